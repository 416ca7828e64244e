package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// pastEmployment is an employment of last year that the seed replays, step by step, through the
// service with its clock set to when each step happened, so the rows obey every rule.
type pastEmployment struct {
	unit, title, description string
	pay                      service.Money
	monthly                  []service.Money // paid per month from October on
	dismiss                  string          // non-empty: dismissed in January with this reason
}

// pastEmployments are the screenshot's history rows: one still running, one dismissed.
var pastEmployments = []pastEmployment{
	{unit: "研究生院", title: "演示2", description: "协助研究生院整理学籍材料", pay: 250000,
		monthly: []service.Money{250000, 250000, 250000}},
	{unit: "基础医学院", title: "test岗位名称", description: "test岗位描述", pay: 240000,
		monthly: []service.Money{240000}, dismiss: "项目提前结束"},
}

// seedLastYear replays last academic year for the demo student, so the history page and its
// detail view have rows: year, profile, positions, apply, hire, confirm, monthly work, dismissal,
// and an awarded nomination. It stops at the first of last year's positions that exists already
// (the year and the profile are upserted before), so a rerun replays nothing twice; it returns
// how many employments it wrote.
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
	var clock time.Time
	svc := service.New(store, service.WithClock(func() time.Time { return clock }))
	admin := auth.WithPrincipal(ctx, &auth.Principal{Subject: "demo-admin", Role: auth.RoleAdmin})
	student := auth.WithPrincipal(ctx, &auth.Principal{Subject: "demo-student-" + DemoStudentNo, Role: auth.RoleStudent, StudentNo: DemoStudentNo})
	unitID := map[string]int64{}
	for _, u := range units {
		unitID[u.Name] = u.ID
	}
	clock = at(time.September, 20)
	if _, err := svc.UpsertAcademicYear(admin, service.AcademicYear{
		Name: year, StartDate: time.Date(first, time.September, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(first+1, time.July, 31, 0, 0, 0, 0, time.UTC),
		NominationOpensAt: at(time.June, 1), NominationClosesAt: at(time.June, 30),
		NominationMinHours: 40, MaxWeeklyHours: 20, MaxMonthlyHours: 80,
	}); err != nil {
		return 0, fmt.Errorf("year %s: %w", year, err)
	}
	if _, err := seedProfile(student, svc, year); err != nil {
		return 0, fmt.Errorf("profile %s: %w", year, err)
	}
	written := 0
	for _, pe := range pastEmployments {
		id := unitID[pe.unit]
		if existing, err := findPosition(admin, svc, id, pe.title); err != nil || existing != nil {
			return written, err
		}
		clock = at(time.September, 20)
		desc, wtr := pe.description, "工作日下午"
		pos, err := svc.CreatePosition(admin, service.PositionInput{
			Title: pe.title, Description: desc, Nature: service.NatureLongTerm, DutyCategory: service.DutyAdministrative,
			Headcount: 2, Pay: pe.pay, WeeklyHours: 10, WorkTimeRequirement: &wtr,
			ApplyStart: at(time.September, 25), ApplyEnd: at(time.October, 10), WorkStart: at(time.October, 15), WorkEnd: at(time.March, 31),
			AcademicYear: year, UnitID: &id,
		})
		if err == nil {
			_, err = svc.PublishPosition(admin, pos.ID)
		}
		clock = at(time.October, 1)
		var app *service.ApplyResult
		if err == nil {
			app, err = svc.Apply(student, service.ApplyInput{PositionID: pos.ID, Reason: "有相关工作经验，课余时间充足"})
		}
		if err == nil {
			_, err = svc.Hire(admin, app.Application.ID)
		}
		if err == nil {
			_, err = svc.Confirm(student, app.Application.ID)
		}
		clock = at(time.October, 11)
		if err == nil {
			_, err = svc.ClosePosition(admin, pos.ID)
		}
		clock = at(time.January, 20)
		for i, paid := range pe.monthly {
			if err == nil {
				month := at(time.October, 1).AddDate(0, i, 0).Format("2006-01")
				_, err = svc.RecordWork(admin, service.WorkRecordInput{ApplicationID: app.Application.ID, Month: month, Hours: 40, Amount: paid})
			}
		}
		if err == nil && pe.dismiss != "" {
			_, err = svc.Dismiss(admin, app.Application.ID, pe.dismiss)
		}
		if err != nil {
			return written, fmt.Errorf("%q of %s: %w", pe.title, pe.unit, err)
		}
		written++
	}
	// With 160 hours worked the student was eligible, nominated themselves in June and was
	// awarded, so the nominations pages have a row of last year to show.
	clock = at(time.June, 10)
	nom, err := svc.SubmitNomination(student, service.NominationInput{AcademicYear: year, Reason: nominationReason})
	if err == nil {
		comment := "工作认真负责，评为优秀助管"
		clock = at(time.July, 5)
		_, err = svc.ReviewNomination(admin, nom.ID, true, &comment)
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
