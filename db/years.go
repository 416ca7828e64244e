package db

import (
	"context"
	"time"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

const yearCols = `name, start_date, end_date, nomination_opens_at, nomination_closes_at,
	nomination_min_hours, max_weekly_hours, max_monthly_hours, positions_need_approval,
	max_concurrent_employments`

// UpsertAcademicYear inserts the year or replaces the settings of the one with its name (ON CONFLICT
// on the name); service.ErrCheckViolation for a name or settings the table's checks refuse.
func (s queries) UpsertAcademicYear(ctx context.Context, y service.AcademicYear) (service.AcademicYear, error) {
	const q = `INSERT INTO academic_years (` + yearCols + `)
		VALUES ($1, $2::date, $3::date, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (name) DO UPDATE SET start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date,
			nomination_opens_at = EXCLUDED.nomination_opens_at, nomination_closes_at = EXCLUDED.nomination_closes_at,
			nomination_min_hours = EXCLUDED.nomination_min_hours, max_weekly_hours = EXCLUDED.max_weekly_hours,
			max_monthly_hours = EXCLUDED.max_monthly_hours, positions_need_approval = EXCLUDED.positions_need_approval,
			max_concurrent_employments = EXCLUDED.max_concurrent_employments,
			updated_at = now()
		RETURNING ` + yearCols
	var out service.AcademicYear
	err := s.get(ctx, &out, q, y.Name, y.StartDate.Format(time.DateOnly), y.EndDate.Format(time.DateOnly),
		y.NominationOpensAt, y.NominationClosesAt, y.NominationMinHours, y.MaxWeeklyHours, y.MaxMonthlyHours, y.PositionsNeedApproval, y.MaxConcurrentEmployments)
	return schoolDates(out), err
}

// AcademicYear returns the year called name, or service.ErrNoRows.
func (s queries) AcademicYear(ctx context.Context, name string) (service.AcademicYear, error) {
	const q = `SELECT ` + yearCols + ` FROM academic_years WHERE name = $1`
	var out service.AcademicYear
	err := s.get(ctx, &out, q, name)
	return schoolDates(out), err
}

// AcademicYears returns every year, newest first.
func (s queries) AcademicYears(ctx context.Context) ([]service.AcademicYear, error) {
	const q = `SELECT ` + yearCols + ` FROM academic_years ORDER BY name DESC`
	out := []service.AcademicYear{}
	err := s.sel(ctx, &out, q)
	for i := range out {
		out[i] = schoolDates(out[i])
	}
	return out, err
}

// schoolDates puts the year's calendar dates at midnight in the school's zone; the driver reads a
// date column as midnight UTC.
func schoolDates(y service.AcademicYear) service.AcademicYear {
	at := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, service.SchoolZone)
	}
	y.StartDate, y.EndDate = at(y.StartDate), at(y.EndDate)
	return y
}

// AcademicYearsByName returns the years among names that exist.
func (s queries) AcademicYearsByName(ctx context.Context, names []string) ([]service.AcademicYear, error) {
	const q = `SELECT ` + yearCols + ` FROM academic_years WHERE name = ANY($1)`
	out := []service.AcademicYear{}
	return out, s.sel(ctx, &out, q, pq.Array(names))
}
