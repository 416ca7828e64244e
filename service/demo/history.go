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
// detail view have rows: year, profile, positions, apply, hire, confirm, monthly work, dismissal.
// It does nothing when last year's positions exist already. It returns how many employments it wrote.
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
	return written, nil
}
