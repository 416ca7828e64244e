package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// ClosedMonth is the month whose pay sheet the demo has closed: October of last academic year,
// the first month of last year's replayed employments, so it has a pay sheet on every day.
func ClosedMonth(now time.Time) string {
	first := now.In(service.SchoolZone).Year() - 1
	if now.In(service.SchoolZone).Month() < time.September {
		first--
	}
	return fmt.Sprintf("%d-10", first)
}

// nextYearPositions are next year's positions that unit staff have submitted for review.
var nextYearPositions = []struct {
	unit, title, description string
}{
	{"基础医学院", "新生实验安全培训助教", "协助实验中心为新入学研究生开展实验室安全培训：准备培训材料，组织分组演练，登记考核结果并整理培训档案。"},
	{"图书馆", "学位论文提交咨询助理", "在学位论文提交季协助图书馆答复研究生关于论文格式、电子版提交和授权的咨询，登记常见问题并更新指南。"},
}

// seedSchoolMonth adds what the school's month screens need, after everything else so that no id
// the README's examples use shifts: next year (which needs approval) with positions pending
// review, and last year's October closed with its pay sheet. Each step is done once: a position
// that exists, a month already closed, are left as they are.
func seedSchoolMonth(ctx context.Context, store service.Store, units []service.Unit, now time.Time) (int, error) {
	r := newReplayer(ctx, store, units)
	*r.clock = now
	first := now.In(service.SchoolZone).Year() + 1
	if now.In(service.SchoolZone).Month() < time.September {
		first--
	}
	z := service.SchoolZone
	next, err := r.svc.UpsertAcademicYear(r.admin, service.AcademicYear{
		Name: fmt.Sprintf("%d-%d", first, first+1), StartDate: time.Date(first, time.September, 1, 0, 0, 0, 0, z), EndDate: time.Date(first+1, time.July, 31, 0, 0, 0, 0, z),
		NominationOpensAt: time.Date(first+1, time.June, 1, 0, 0, 0, 0, z), NominationClosesAt: time.Date(first+1, time.June, 30, 0, 0, 0, 0, z),
		NominationMinHours: 40, MaxWeeklyHours: 20, MaxMonthlyHours: 80, PositionsNeedApproval: true,
	})
	if err != nil {
		return 0, fmt.Errorf("year %d-%d: %w", first, first+1, err)
	}
	submitted := 0
	for _, np := range nextYearPositions {
		unitID := r.units[np.unit]
		staff := auth.WithPrincipal(ctx, &auth.Principal{Subject: fmt.Sprintf("demo-unit-%d", unitID), Role: auth.RoleUnitStaff, UnitID: unitID})
		pos, err := findPosition(r.admin, r.svc, unitID, np.title)
		if err != nil {
			return submitted, err
		}
		if pos == nil {
			wtr := "工作日上午"
			pos, err = r.svc.CreatePosition(staff, service.PositionInput{
				Title: np.title, Description: np.description, Nature: service.NatureLongTerm, DutyCategory: service.DutyAdministrative,
				Headcount: 2, Pay: 120000, WeeklyHours: 8, WorkTimeRequirement: &wtr,
				ApplyStart: time.Date(first, time.September, 1, 8, 0, 0, 0, z), ApplyEnd: time.Date(first, time.September, 15, 18, 0, 0, 0, z),
				WorkStart: time.Date(first, time.September, 20, 8, 0, 0, 0, z), WorkEnd: time.Date(first+1, time.January, 15, 18, 0, 0, 0, z),
				AcademicYear: next.Name, UnitID: &unitID,
			})
			if err != nil {
				return submitted, fmt.Errorf("create %q of %s: %w", np.title, np.unit, err)
			}
		}
		if pos.Status == service.PositionDraft {
			if _, err := r.svc.SubmitPosition(staff, pos.ID); err != nil {
				return submitted, fmt.Errorf("submit %q of %s: %w", np.title, np.unit, err)
			}
			submitted++
		}
	}
	month := ClosedMonth(now)
	pm, err := r.svc.PayMonth(r.admin, month)
	if err == nil && pm.Status == service.PayMonthOpen {
		_, err = r.svc.ClosePayMonth(r.admin, month)
	}
	if err != nil {
		return submitted, fmt.Errorf("close %s: %w", month, err)
	}
	return submitted, nil
}
