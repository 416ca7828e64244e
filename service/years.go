package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// AcademicYear is a school year and its settings; it is also the upsert input. Dates are calendar
// dates in SchoolZone.
type AcademicYear struct {
	Name               string    `json:"name" db:"name" validate:"yearname"`
	StartDate          time.Time `json:"startDate" db:"start_date"`
	EndDate            time.Time `json:"endDate" db:"end_date"`
	NominationOpensAt  time.Time `json:"nominationOpensAt" db:"nomination_opens_at"`
	NominationClosesAt time.Time `json:"nominationClosesAt" db:"nomination_closes_at"`
	NominationMinHours float64   `json:"nominationMinHours" db:"nomination_min_hours" validate:"gte=0,lte=10000,cents"`
	MaxWeeklyHours     int       `json:"maxWeeklyHours" db:"max_weekly_hours" validate:"gte=1,lte=168"`
	MaxMonthlyHours    float64   `json:"maxMonthlyHours" db:"max_monthly_hours" validate:"gt=0,lte=744,cents"`
	// PositionsNeedApproval: the year's positions are reviewed before students see them (设岗审核);
	// switching it off leaves the ones waiting for admin to approve or return.
	PositionsNeedApproval bool `json:"positionsNeedApproval" db:"positions_need_approval"`
	// MaxConcurrentEmployments is the most CONFIRMED employments with overlapping work periods a
	// student may hold (Confirm refuses one more with EMPLOYMENT_LIMIT); nil is no limit.
	MaxConcurrentEmployments *int `json:"maxConcurrentEmployments" db:"max_concurrent_employments" validate:"omitnil,gte=1"`
}

// UpsertAcademicYear creates or replaces the year named in y (admin). Returns VALIDATION for each
// bad field, for an end date not after the start date and a nomination window that does not close
// after it opens, all at once.
func (s *Service) UpsertAcademicYear(ctx context.Context, y AcademicYear) (*AcademicYear, error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	errs := s.check(ctx, y, "input")
	if !y.StartDate.Before(y.EndDate) {
		errs = append(errs, fieldErr(ctx, []string{"input", "endDate"}, "dateOrder",
			label(ctx, "startDate"), y.StartDate.Format(time.DateOnly), label(ctx, "endDate"), y.EndDate.Format(time.DateOnly)))
	}
	if !y.NominationOpensAt.Before(y.NominationClosesAt) {
		errs = append(errs, fieldErr(ctx, []string{"input", "nominationClosesAt"}, "dateOrder",
			label(ctx, "nominationOpensAt"), fmtTime(y.NominationOpensAt), label(ctx, "nominationClosesAt"), fmtTime(y.NominationClosesAt)))
	}
	if len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	saved, err := s.store.UpsertAcademicYear(ctx, y)
	if err != nil {
		return nil, fmt.Errorf("upsert academic year %s: %w", y.Name, err)
	}
	return &saved, nil
}

// AcademicYears lists every year, newest first (any role).
func (s *Service) AcademicYears(ctx context.Context) ([]AcademicYear, error) {
	if _, err := Caller(ctx); err != nil {
		return nil, err
	}
	ys, err := s.store.AcademicYears(ctx)
	if err != nil {
		return nil, fmt.Errorf("list academic years: %w", err)
	}
	return ys, nil
}

// AcademicYear returns one year by name, or nil when there is none (any role).
func (s *Service) AcademicYear(ctx context.Context, name string) (*AcademicYear, error) {
	if _, err := Caller(ctx); err != nil {
		return nil, err
	}
	y, err := s.store.AcademicYear(ctx, name)
	if errors.Is(err, ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("academic year %s: %w", name, err)
	}
	return &y, nil
}

// fmtTime shows an instant to users in the school's zone.
func fmtTime(t time.Time) string { return t.In(SchoolZone).Format("2006-01-02 15:04") }

// Months returns the first and last month ("YYYY-MM") of the year: those of its start and end
// dates. A work record counts towards the year when its month lies between them, both included.
func (y AcademicYear) Months() (first, last string) {
	return y.StartDate.Format("2006-01"), y.EndDate.Format("2006-01")
}
