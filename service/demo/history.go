package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// pastEmployment is an employment that the seed replays, step by step, through the service with
// its clock set to when each step happened, so the rows obey every rule.
type pastEmployment struct {
	studentNo, unit, title, description string
	duty                                service.DutyCategory
	pay                                 service.Money
	weeklyHours                         int
	hours                               float64         // recorded per month
	monthly                             []service.Money // paid per month from the work period's first month on
	dismiss                             string          // non-empty: dismissed when the work is recorded, with this reason
}

// timeline is when each step of a replayed employment happens: the position is created and
// published at created, the student applies, is hired and confirms at applied, the position
// closes at closed, and the work months (and a dismissal) are recorded at recorded.
type timeline struct {
	created, applyStart, applyEnd, applied, closed, workStart, workEnd, recorded time.Time
}

// replayer replays employments through a service whose clock it sets before each step.
type replayer struct {
	svc   *service.Service
	clock *time.Time
	admin context.Context
	units map[string]int64 // unit ids by name
}

func newReplayer(ctx context.Context, store service.Store, units []service.Unit) *replayer {
	r := &replayer{clock: new(time.Time), units: map[string]int64{}}
	r.svc = service.New(store, service.WithClock(func() time.Time { return *r.clock }))
	r.admin = auth.WithPrincipal(ctx, &auth.Principal{Subject: "demo-admin", Role: auth.RoleAdmin})
	for _, u := range units {
		r.units[u.Name] = u.ID
	}
	return r
}

// student is ctx acting as the demo's student no.
func (r *replayer) student(no string) context.Context {
	return auth.WithPrincipal(r.admin, &auth.Principal{Subject: "demo-student-" + no, Role: auth.RoleStudent, StudentNo: no})
}

// exists reports whether pe's position was created by an earlier run.
func (r *replayer) exists(pe pastEmployment) (bool, error) {
	pos, err := findPosition(r.admin, r.svc, r.units[pe.unit], pe.title)
	return pos != nil, err
}

// employ replays pe in year along tl: position, application, hire, confirmation, closing, work
// records and the dismissal. It stops at the first step the service refuses.
func (r *replayer) employ(year string, pe pastEmployment, tl timeline) error {
	student := r.student(pe.studentNo)
	id := r.units[pe.unit]
	*r.clock = tl.created
	wtr := "工作日下午"
	pos, err := r.svc.CreatePosition(r.admin, service.PositionInput{
		Title: pe.title, Description: pe.description, Nature: service.NatureLongTerm, DutyCategory: pe.duty,
		Headcount: 2, Pay: pe.pay, WeeklyHours: pe.weeklyHours, WorkTimeRequirement: &wtr,
		ApplyStart: tl.applyStart, ApplyEnd: tl.applyEnd, WorkStart: tl.workStart, WorkEnd: tl.workEnd,
		AcademicYear: year, UnitID: &id,
	})
	if err == nil {
		_, err = r.svc.PublishPosition(r.admin, pos.ID)
	}
	*r.clock = tl.applied
	var app *service.ApplyResult
	if err == nil {
		app, err = r.svc.Apply(student, service.ApplyInput{PositionID: pos.ID, Reason: "有相关工作经验，课余时间充足"})
	}
	if err == nil {
		_, err = r.svc.Hire(r.admin, app.Application.ID)
	}
	if err == nil {
		_, err = r.svc.Confirm(student, app.Application.ID)
	}
	*r.clock = tl.closed
	if err == nil {
		_, err = r.svc.ClosePosition(r.admin, pos.ID)
	}
	*r.clock = tl.recorded
	for i, paid := range pe.monthly {
		if err == nil {
			month := tl.workStart.In(service.SchoolZone).AddDate(0, i, 0).Format("2006-01")
			_, err = r.svc.RecordWork(r.admin, service.WorkRecordInput{ApplicationID: app.Application.ID, Month: month, Hours: pe.hours, Amount: paid})
		}
	}
	if err == nil && pe.dismiss != "" {
		_, err = r.svc.Dismiss(r.admin, app.Application.ID, pe.dismiss)
	}
	if err != nil {
		return fmt.Errorf("%q of %s for %s: %w", pe.title, pe.unit, pe.studentNo, err)
	}
	return nil
}

// nominated reports whether student no has a nomination in year that an earlier run submitted.
func (r *replayer) nominated(no, year string) (bool, error) {
	mine, err := r.svc.MyNominations(r.student(no))
	if err != nil {
		return false, err
	}
	for _, n := range mine {
		if n.AcademicYear == year {
			return true, nil
		}
	}
	return false, nil
}

// lastYear are the screenshot's history rows of the demo student: one still running, one dismissed.
var lastYear = []pastEmployment{
	{studentNo: DemoStudentNo, unit: "研究生院", title: "学籍档案整理助理",
		description: "协助研究生院培养办整理研究生学籍材料：核对入学信息、学位申请材料和培养计划，建立按学院和年级分类的电子目录。",
		duty:        service.DutyAdministrative, pay: 250000, weeklyHours: 10, hours: 40,
		monthly: []service.Money{250000, 250000, 250000}},
	{studentNo: DemoStudentNo, unit: "基础医学院", title: "实验中心仪器预约管理",
		description: "协助基础医学院实验中心管理大型仪器的预约和耗材登记，每周汇总预约情况并提醒使用人按时归还。",
		duty:        service.DutyAdministrative, pay: 240000, weeklyHours: 10, hours: 40,
		monthly: []service.Money{240000}, dismiss: "项目提前结束"},
}

// seedLastYear replays last academic year for the demo student, so the history page and its
// detail view have rows: year, profile, positions, apply, hire, confirm, monthly work, dismissal,
// and an awarded nomination. A run that finds last year's nomination replays nothing; otherwise
// it skips the employments whose positions exist (the year and the profile are upserted before),
// so a rerun replays nothing twice. It returns how many employments it wrote.
func seedLastYear(ctx context.Context, store service.Store, units []service.Unit, now time.Time) (int, error) {
	first := now.Year() - 1
	if now.Month() < time.September {
		first--
	}
	year := fmt.Sprintf("%d-%d", first, first+1)
	at := func(month time.Month, day int) time.Time {
		y := first
		if month < time.September {
			y++
		}
		return time.Date(y, month, day, 10, 0, 0, 0, service.SchoolZone)
	}
	r := newReplayer(ctx, store, units)
	*r.clock = at(time.September, 20)
	if _, err := r.svc.UpsertAcademicYear(r.admin, service.AcademicYear{
		Name: year, StartDate: time.Date(first, time.September, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(first+1, time.July, 31, 0, 0, 0, 0, time.UTC),
		NominationOpensAt: at(time.June, 1), NominationClosesAt: at(time.June, 30),
		NominationMinHours: 40, MaxWeeklyHours: 20, MaxMonthlyHours: 80,
	}); err != nil {
		return 0, fmt.Errorf("year %s: %w", year, err)
	}
	if _, err := seedProfile(r.student(DemoStudentNo), r.svc, year); err != nil {
		return 0, fmt.Errorf("profile %s: %w", year, err)
	}
	// Seeds of older versions named the positions differently; their nomination says the year is done.
	if done, err := r.nominated(DemoStudentNo, year); err != nil || done {
		return 0, err
	}
	tl := timeline{
		created: at(time.September, 20), applyStart: at(time.September, 25), applyEnd: at(time.October, 10),
		applied: at(time.October, 1), closed: at(time.October, 11),
		workStart: at(time.October, 15), workEnd: at(time.March, 31), recorded: at(time.January, 20),
	}
	written := 0
	for _, pe := range lastYear {
		if done, err := r.exists(pe); err != nil || done {
			return written, err
		}
		if err := r.employ(year, pe, tl); err != nil {
			return written, err
		}
		written++
	}
	// With 160 hours worked the student was eligible, nominated themselves in June and was
	// awarded, so the nominations pages have a row of last year to show.
	*r.clock = at(time.June, 10)
	nom, err := r.svc.SubmitNomination(r.student(DemoStudentNo), service.NominationInput{AcademicYear: year, Reason: nominationReason})
	if err == nil {
		comment := "工作认真负责，评为优秀助管"
		*r.clock = at(time.July, 5)
		_, err = r.svc.ReviewNomination(r.admin, nom.ID, true, &comment)
	}
	if err != nil {
		return written, fmt.Errorf("nomination %s: %w", year, err)
	}
	return written, nil
}

// nominationReason is the demo student's self-nomination; the rules ask for at least 500 characters.
const nominationReason = "本学年我在研究生院和基础医学院两个单位担任助管，累计工作一百六十小时。" +
	"在研究生院，我主要协助老师整理研究生学籍材料，核对入学信息、学位申请材料和培养计划，共整理档案四百余份，建立了按学院和年级分类的电子目录，使查找时间由过去的十几分钟缩短到一两分钟。" +
	"在整理过程中，我发现部分学生的培养计划与课程成绩记录不一致，及时列出清单报告老师，协助逐一核实更正，避免了学位审核阶段可能出现的问题。" +
	"在基础医学院，我协助实验中心管理仪器预约和耗材登记，每周汇总预约情况并提醒使用人按时归还，学期末配合老师完成了耗材盘点。" +
	"工作中我始终按照岗位要求安排时间，没有因为个人课程或科研任务耽误工作，遇到临时任务也能主动加班完成。" +
	"我注意保护学生个人信息，严格遵守档案管理的保密规定，所有材料当日整理、当日归档。" +
	"通过这份工作，我不仅提高了文字处理、数据整理和沟通协调的能力，也更加理解了学校管理工作的细致和辛苦。" +
	"老师们对我的工作给予了肯定，单位也在期末考核中给了我优秀的评价。" +
	"我希望以此申请本学年的优秀助管，也希望在今后的工作中继续认真负责，把每一件小事做好，为老师和同学们提供更好的服务，同时把在助管岗位上学到的方法用到自己的学习和科研中。"
