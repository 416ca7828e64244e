// Package demo seeds a small, idempotent demo data set through the service, so every demo row
// passed the same validation as real input.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// DemoStudentNo is the student of the original screenshot; the printed STUDENT token speaks for
// them and they have a profile in the current year.
const DemoStudentNo = "20160931"

// TokenTTL is how long the printed tokens stay valid: a week of trying the API without seeding again.
const TokenTTL = 7 * 24 * time.Hour

// unitNames are the demo's employing units; the first one gets the printed UNIT_STAFF token.
var unitNames = []string{"研究生院", "基础医学院", "图书馆", "学生工作部"}

// students are the demo enrollment records: mixed degrees, a few with financial need, one
// part-time and one no longer enrolled.
var students = []service.Student{
	{StudentNo: DemoStudentNo, Name: "陈思远", Phone: "13800000931", Email: "20160931@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "基础医学院", FullTime: true, Enrolled: true, FinancialNeed: true},
	{StudentNo: "20190101", Name: "王磊", Phone: "13811110101", Email: "wanglei@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "基础医学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190102", Name: "李娜", Phone: "13811110102", Email: "lina@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "基础医学院", FullTime: true, Enrolled: true, FinancialNeed: true},
	{StudentNo: "20190103", Name: "张伟", Phone: "13811110103", Email: "zhangwei@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "药学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190104", Name: "刘洋", Phone: "13811110104", Email: "liuyang@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "药学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190105", Name: "陈静", Phone: "13811110105", Email: "chenjing@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "公共卫生学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190106", Name: "杨帆", Phone: "13811110106", Email: "yangfan@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "公共卫生学院", FullTime: true, Enrolled: true, FinancialNeed: true},
	{StudentNo: "20190107", Name: "赵敏", Phone: "13811110107", Email: "zhaomin@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "护理学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190108", Name: "黄晓峰", Phone: "13811110108", Email: "huangxf@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "护理学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190109", Name: "周婷", Phone: "13811110109", Email: "zhouting@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "口腔医学院", FullTime: true, Enrolled: true},
	{StudentNo: "20190110", Name: "吴昊", Phone: "13811110110", Email: "wuhao@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "口腔医学院", FullTime: true, Enrolled: true},
	{StudentNo: "20200111", Name: "徐丽", Phone: "13911110111", Email: "xuli@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "第一临床医学院", FullTime: true, Enrolled: true, FinancialNeed: true},
	{StudentNo: "20200112", Name: "孙鹏", Phone: "13911110112", Email: "sunpeng@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "第一临床医学院", FullTime: true, Enrolled: true},
	{StudentNo: "20200113", Name: "马晨", Phone: "13911110113", Email: "machen@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "第三临床医学院", FullTime: true, Enrolled: true},
	{StudentNo: "20200114", Name: "朱琳", Phone: "13911110114", Email: "zhulin@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "医学人文学院", FullTime: true, Enrolled: true},
	{StudentNo: "20200115", Name: "胡凯", Phone: "13911110115", Email: "hukai@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "医学人文学院", FullTime: true, Enrolled: true},
	{StudentNo: "20200116", Name: "郭雪", Phone: "13911110116", Email: "guoxue@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "基础医学院", FullTime: false, Enrolled: true},
	{StudentNo: "20200117", Name: "何宇", Phone: "13911110117", Email: "heyu@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "药学院", FullTime: true, Enrolled: false},
	{StudentNo: "20200118", Name: "林涛", Phone: "13911110118", Email: "lintao@stu.example.edu.cn", Degree: service.DegreeDoctoral, Department: "公共卫生学院", FullTime: true, Enrolled: true},
	{StudentNo: "20200119", Name: "罗佳", Phone: "13911110119", Email: "luojia@stu.example.edu.cn", Degree: service.DegreeMaster, Department: "护理学院", FullTime: true, Enrolled: true, FinancialNeed: true},
}

// demoPosition is one demo job; its windows are placed around the time of seeding.
type demoPosition struct {
	unit        int // index into unitNames
	title       string
	description string
	nature      service.Nature
	duty        service.DutyCategory
	headcount   int
	pay         service.Money // fen
	weeklyHours int
	workTime    string
	workDays    int // length of the work period
	status      service.PositionStatus
}

var positions = []demoPosition{
	{0, "研究生院综合办公室助理", "研究生院综合办公室日常事务：文件收发、材料归档、来访接待与电话记录。", service.NatureLongTerm, service.DutyAdministrative,
		2, 250000, 10, "周一至周五任选两个半天", 120, service.PositionPublished},
	{0, "数据整理助理", "整理研究生招生与培养数据，用 Excel 完成统计表和图表，每月提交一次汇总。需熟悉 Excel 函数和数据透视表。", service.NatureLongTerm, service.DutyDataAnalysis,
		1, 180000, 8, "每周不少于 8 小时，时间可协商", 120, service.PositionPublished},
	{0, "招生宣传文稿撰写", "为研究生招生宣传册撰写各学科介绍和优秀学生访谈稿，共约 6 篇，每篇 1500 字左右。", service.NatureTemporary, service.DutyWriting,
		2, 60000, 6, "两周内完成，时间自定", 14, service.PositionDraft},
	{1, "实验室安全培训活动策划", "协助策划并组织新生实验室安全培训：联系讲者、布置会场、签到与现场秩序。", service.NatureTemporary, service.DutyEventPlanning,
		3, 40000, 6, "培训当天全天及前两天下午", 7, service.PositionPublished},
	{1, "活动摄影", "学术讲座和学院活动的现场摄影，活动后两天内交付精选照片 30 张以上。自备相机者优先。", service.NatureTemporary, service.DutyPhotoVideo,
		1, 30000, 4, "讲座当天下午 14:00-17:00", 10, service.PositionPublished},
	{1, "教学秘书助理", "协助教学秘书安排课表、收集作业成绩、通知调课，整理教学档案。", service.NatureLongTerm, service.DutyAdministrative,
		1, 150000, 10, "工作日上午", 120, service.PositionClosed},
	{2, "读者服务台助理", "图书馆总服务台值班：借还书咨询、读者证办理、自助设备使用指导。", service.NatureLongTerm, service.DutyAdministrative,
		4, 120000, 8, "按排班表，每周两个半天", 150, service.PositionPublished},
	{2, "数据库培训海报设计", "为“医学文献数据库使用培训”系列讲座设计海报和电子屏图片，共 3 张。需会使用 PS 或 Canva。", service.NatureTemporary, service.DutyPosterDesign,
		1, 20000, 4, "一周内交稿", 7, service.PositionPublished},
	{3, "微信公众号运营", "负责学生工作部微信公众号的日常推送：选题、排版、留言管理，每周推送 2 至 3 篇。", service.NatureLongTerm, service.DutySocialMedia,
		2, 160000, 8, "每周推送日晚 20:00 前完成排版", 150, service.PositionPublished},
	{3, "毕业生就业数据统计", "汇总本届毕业研究生就业去向，核对问卷数据并完成统计分析报告。", service.NatureTemporary, service.DutyDataAnalysis,
		2, 80000, 10, "三周内完成，可在宿舍工作", 21, service.PositionPublished},
}

// Seed writes the demo data through the service over store and prints one token per role and the
// GraphiQL URL. Running it again creates nothing new: the years and the students are upserted,
// units and positions are found by name and title, profiles are saved only when the student has
// none for the year, and the employments of last year and of this year so far are replayed only
// when their positions are missing (and nominations only when the student has none that year).
// It stops at the first step the service refuses and returns that error, in English, wrapped with
// the step's name.
func Seed(ctx context.Context, store service.Store, v *auth.Verifier, url string, out io.Writer) error {
	return seed(ctx, store, v, url, out, time.Now())
}

// seed is Seed on a day of the test's choosing: the service's clock starts at start and runs on
// from there, so the windows and replays placed relative to today can be tried on any date.
func seed(ctx context.Context, store service.Store, v *auth.Verifier, url string, out io.Writer, start time.Time) error {
	began := time.Now()
	svc := service.New(store, service.WithClock(func() time.Time { return start.Add(time.Since(began)) }))
	ctx = service.WithLocale(ctx, service.English) // messages of a failed step go to a terminal
	admin := auth.WithPrincipal(ctx, &auth.Principal{Subject: "demo-admin", Role: auth.RoleAdmin})
	now := start.In(service.SchoolZone)

	year, err := seedYear(admin, svc, now)
	if err != nil {
		return fmt.Errorf("seed academic year: %w", err)
	}
	units, newUnits, err := seedUnits(admin, svc)
	if err != nil {
		return fmt.Errorf("seed units: %w", err)
	}
	imported, err := svc.ImportStudents(admin, append([]service.Student(nil), students...))
	if err != nil {
		return fmt.Errorf("seed students: %w", err)
	}
	student := auth.WithPrincipal(ctx, &auth.Principal{Subject: "demo-student-" + DemoStudentNo, Role: auth.RoleStudent, StudentNo: DemoStudentNo})
	newProfile, err := seedProfile(student, svc, year.Name)
	if err != nil {
		return fmt.Errorf("seed profile of %s: %w", DemoStudentNo, err)
	}
	newPositions, err := seedPositions(admin, svc, year.Name, units, now)
	if err != nil {
		return fmt.Errorf("seed positions: %w", err)
	}
	pastJobs, err := seedLastYear(ctx, store, units, now)
	if err != nil {
		return fmt.Errorf("seed last year's employments: %w", err)
	}
	currentJobs, err := seedThisYear(ctx, store, units, year, now)
	if err != nil {
		return fmt.Errorf("seed this year's employments: %w", err)
	}
	pending, err := seedSchoolMonth(ctx, store, units, now)
	if err != nil {
		return fmt.Errorf("seed the school's month: %w", err)
	}

	tokens := []struct {
		label string
		p     auth.Principal
	}{
		{"STUDENT " + DemoStudentNo, auth.Principal{Subject: "demo-student-" + DemoStudentNo, Role: auth.RoleStudent, StudentNo: DemoStudentNo}},
		{fmt.Sprintf("UNIT_STAFF %s (unitId %d)", units[0].Name, units[0].ID), auth.Principal{Subject: fmt.Sprintf("demo-unit-%d", units[0].ID), Role: auth.RoleUnitStaff, UnitID: units[0].ID}},
		{"ADMIN", auth.Principal{Subject: "demo-admin", Role: auth.RoleAdmin}},
	}
	signed := make([]string, len(tokens))
	for i, t := range tokens {
		if signed[i], err = v.Sign(t.p, TokenTTL); err != nil {
			return fmt.Errorf("seed tokens: %w", err)
		}
	}

	fmt.Fprintf(out, "Demo data for academic year %s: %d units (%d new), %d students (%d new), profile of %s (%s), %d positions (%d new).\n",
		year.Name, len(units), newUnits, len(imported.Students), imported.Created, DemoStudentNo, map[bool]string{true: "new", false: "kept"}[newProfile],
		len(positions), newPositions)
	fmt.Fprintf(out, "Employments for the history page: last year's of %s %d new, this year's %d new; this year's nominee: %s.\n",
		DemoStudentNo, pastJobs, currentJobs, NomineeNo)
	fmt.Fprintf(out, "The school's month: %s closed with its pay sheet, next year's positions pending review %d new.\n", ClosedMonth(now), pending)
	fmt.Fprintf(out, "GraphiQL: %s\n", url)
	fmt.Fprintf(out, "Tokens (valid %d days); in GraphiQL's Headers tab paste {\"Authorization\": \"Bearer <token>\"}\n", int(TokenTTL.Hours()/24))
	for i, t := range tokens {
		fmt.Fprintf(out, "  %s\n    %s\n", t.label, signed[i])
	}
	return nil
}

// YearName names the academic year that contains t in the school's zone: from September on
// "Y-(Y+1)", before it "(Y-1)-Y".
func YearName(t time.Time) string {
	t = t.In(service.SchoolZone)
	y := t.Year()
	if t.Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d-%d", y, y+1)
}

// seedYear upserts the current academic year: September 1 to July 31, and the nomination window
// from two weeks before today to four weeks after, so that the demo always has a nomination to
// submit and one to review (a real school's window is in June). Every run moves the window along.
func seedYear(ctx context.Context, svc *service.Service, now time.Time) (*service.AcademicYear, error) {
	first := now.Year()
	if now.Month() < time.September {
		first--
	}
	z := service.SchoolZone
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, z)
	return svc.UpsertAcademicYear(ctx, service.AcademicYear{
		Name:               YearName(now),
		StartDate:          time.Date(first, time.September, 1, 0, 0, 0, 0, z),
		EndDate:            time.Date(first+1, time.July, 31, 0, 0, 0, 0, z),
		NominationOpensAt:  today.AddDate(0, 0, -14),
		NominationClosesAt: today.AddDate(0, 0, 29).Add(-time.Second), // the end of the 28th day after today
		NominationMinHours: 40,
		MaxWeeklyHours:     20,
		MaxMonthlyHours:    80,
	})
}

// seedUnits creates the units that do not exist yet and returns all of them in unitNames order,
// with how many were created.
func seedUnits(ctx context.Context, svc *service.Service) ([]service.Unit, int, error) {
	var existing map[string]service.Unit // read once, on the first name that is taken
	out := make([]service.Unit, len(unitNames))
	created := 0
	for i, name := range unitNames {
		u, err := svc.CreateUnit(ctx, service.CreateUnitInput{Name: name})
		if err == nil {
			out[i], created = *u, created+1
			continue
		}
		if !isConflict(err) {
			return nil, 0, fmt.Errorf("create %s: %w", name, err)
		}
		if existing == nil {
			all, err := svc.Units(ctx)
			if err != nil {
				return nil, 0, err
			}
			existing = make(map[string]service.Unit, len(all))
			for _, u := range all {
				existing[u.Name] = u
			}
		}
		u2, ok := existing[name]
		if !ok {
			return nil, 0, fmt.Errorf("create %s: name taken but no unit has it: %w", name, err)
		}
		out[i] = u2
	}
	return out, created, nil
}

// isConflict reports whether err is a user error saying the object exists.
func isConflict(err error) bool {
	var ue service.UserErrors
	if !errors.As(err, &ue) || len(ue) == 0 {
		return false
	}
	for _, e := range ue {
		if e.Code != service.UserErrConflict {
			return false
		}
	}
	return true
}

// seedProfile saves the screenshot's profile unless the student already has one for the year
// (so edits made while trying the API survive a restart); it reports whether it saved one.
func seedProfile(ctx context.Context, svc *service.Service, year string) (bool, error) {
	cur, err := svc.MyProfile(ctx, year)
	if err != nil {
		return false, err
	}
	if cur != nil {
		return false, nil
	}
	slot := func(d service.Weekday, start, end string) service.Slot {
		return service.Slot{Weekday: d, Start: start, End: end}
	}
	_, err = svc.SaveProfile(ctx, service.ProfileInput{
		AcademicYear: year,
		Specialties:  "熟练使用 Excel 和 SPSS 做数据整理与统计；会摄影和简单的海报设计；有学生会宣传部工作经历。",
		Natures:      []service.Nature{service.NatureLongTerm, service.NatureTemporary},
		WeeklyHours:  20,
		FreeTime: []service.Slot{
			slot(service.Monday, "08:00", "11:00"), slot(service.Monday, "13:00", "17:00"),
			slot(service.Tuesday, "08:00", "11:00"), slot(service.Tuesday, "13:00", "17:00"),
		},
	})
	return err == nil, err
}

// seedPositions creates the demo positions a unit does not have yet (matched by exact title) and
// moves each one forward to its intended status; it returns how many it created.
func seedPositions(ctx context.Context, svc *service.Service, year string, units []service.Unit, now time.Time) (int, error) {
	day := func(offset, hour int) time.Time {
		return time.Date(now.Year(), now.Month(), now.Day()+offset, hour, 0, 0, 0, service.SchoolZone)
	}
	applyStart, applyEnd := day(-7, 8), day(21, 18) // a week ago .. three weeks ahead: open now
	workStart := day(23, 8)
	created := 0
	for _, dp := range positions {
		unit := units[dp.unit]
		pos, err := findPosition(ctx, svc, unit.ID, dp.title)
		if err != nil {
			return 0, fmt.Errorf("find %q of %s: %w", dp.title, unit.Name, err)
		}
		if pos == nil {
			unitID, workTime := unit.ID, dp.workTime
			pos, err = svc.CreatePosition(ctx, service.PositionInput{
				Title: dp.title, Description: dp.description, Nature: dp.nature, DutyCategory: dp.duty,
				Headcount: dp.headcount, Pay: dp.pay, WeeklyHours: dp.weeklyHours, WorkTimeRequirement: &workTime,
				ApplyStart: applyStart, ApplyEnd: applyEnd,
				WorkStart: workStart, WorkEnd: workStart.AddDate(0, 0, dp.workDays).Add(10 * time.Hour), // ends at 18:00
				AcademicYear: year, UnitID: &unitID,
			})
			if err != nil {
				return 0, fmt.Errorf("create %q of %s: %w", dp.title, unit.Name, err)
			}
			created++
		}
		// Only forward moves, so a rerun after a half-finished seed completes it and changes nothing else.
		if pos.Status == service.PositionDraft && dp.status != service.PositionDraft {
			if pos, err = svc.PublishPosition(ctx, pos.ID); err != nil {
				return 0, fmt.Errorf("publish %q of %s: %w", dp.title, unit.Name, err)
			}
		}
		if pos.Status == service.PositionPublished && dp.status == service.PositionClosed {
			if _, err = svc.ClosePosition(ctx, pos.ID); err != nil {
				return 0, fmt.Errorf("close %q of %s: %w", dp.title, unit.Name, err)
			}
		}
	}
	return created, nil
}

// findPosition returns the unit's position titled exactly title, or nil.
func findPosition(ctx context.Context, svc *service.Service, unitID int64, title string) (*service.Position, error) {
	f := service.PositionFilter{UnitID: &unitID, Keyword: &title}
	page := service.PageArgs{First: service.MaxPage}
	for {
		res, err := svc.Positions(ctx, f, page)
		if err != nil {
			return nil, err
		}
		for i := range res.Items {
			if res.Items[i].Title == title {
				return &res.Items[i], nil
			}
		}
		if !res.HasNext {
			return nil, nil
		}
		last := res.Cursor(len(res.Items) - 1)
		page.After = &last
	}
}
