package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// WorkRecord is the hours worked and the amount paid for one employment in one month.
type WorkRecord struct {
	ApplicationID int64     `db:"application_id"`
	StudentNo     string    `db:"student_no"`
	Month         string    `db:"month"`
	Hours         float64   `db:"hours"`
	Amount        Money     `db:"amount_fen"`
	RecordedAt    time.Time `db:"recorded_at"`
	UpdatedAt     time.Time `db:"updated_at"`
}

// WorkRecordInput is what a unit records; Month is "YYYY-MM", already checked by the scalar.
type WorkRecordInput struct {
	ApplicationID int64   `json:"applicationId"`
	Month         string  `json:"month"`
	Hours         float64 `json:"hours" validate:"gte=0,lte=744,cents"`
	Amount        Money   `json:"amount" validate:"gte=0"`
}

// RecordWork writes the month's record of an employment (the position's unit, or admin); a second
// call for the same month corrects it, and both leave a timeline entry. Returns NOT_FOUND for a
// missing application or another unit's. Refusals: VALIDATION for negative or over-precise
// numbers, a month outside the work period, after the dismissal or in the future;
// INVALID_TRANSITION when the application never became an employment; HOURS_CAP when the
// student's hours in that month across all employments would pass the year's monthly cap;
// MONTH_CLOSED when the month's pay sheet is closed (ClosePayMonth). The student's row is locked
// before the hours are summed, so that units recording at once cannot pass the cap together, and
// the month's row is held FOR SHARE, so that the month cannot close while the record is written.
func (s *Service) RecordWork(ctx context.Context, in WorkRecordInput) (*WorkRecord, error) {
	p, err := requireRole(ctx, auth.RoleUnitStaff, auth.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if errs := s.check(ctx, in, "input"); len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	var out WorkRecord
	err = s.inTx(ctx, func(tx Tx) error {
		a, err := tx.ApplicationForUpdate(ctx, in.ApplicationID)
		if errors.Is(err, ErrNoRows) || (err == nil && !canSeeApplication(p, a)) {
			return notFound(ctx, "application", in.ApplicationID)
		}
		if err != nil {
			return err
		}
		if a.StartedAt == nil {
			return UserErrors{{Code: UserErrInvalidTransition, Message: Message(ctx, "noEmployment", a.Status.Label(), a.Status)}}
		}
		pos, err := tx.PositionsByID(ctx, []int64{a.PositionID})
		if err != nil || len(pos) == 0 {
			return fmt.Errorf("position %d: %w", a.PositionID, errors.Join(err, ErrNoRows))
		}
		if ue := s.checkWorkMonth(ctx, in.Month, pos[0], a); ue != nil {
			return UserErrors{*ue}
		}
		if err := checkMonthOpen(ctx, tx, in.Month); err != nil {
			return err
		}
		// Lock the student: the monthly cap spans all their employments, which other units may be recording now.
		if err := tx.LockStudent(ctx, a.StudentNo); err != nil {
			return err
		}
		year, err := tx.AcademicYear(ctx, pos[0].AcademicYear)
		if err != nil {
			return fmt.Errorf("year %s: %w", pos[0].AcademicYear, err)
		}
		others, err := tx.MonthHours(ctx, a.StudentNo, in.Month, a.ID)
		if err != nil {
			return err
		}
		if others+in.Hours > year.MaxMonthlyHours {
			return UserErrors{{Code: UserErrHoursCap, Field: []string{"input", "hours"},
				Message: Message(ctx, "monthlyCap", in.Month, others, in.Hours, year.Name, year.MaxMonthlyHours)}}
		}
		prev, err := tx.WorkRecord(ctx, a.ID, in.Month)
		if err != nil && !errors.Is(err, ErrNoRows) {
			return err
		}
		corrected := err == nil
		now := s.now()
		out, err = tx.UpsertWorkRecord(ctx, WorkRecord{ApplicationID: a.ID, StudentNo: a.StudentNo, Month: in.Month,
			Hours: in.Hours, Amount: in.Amount, RecordedAt: now, UpdatedAt: now})
		if err != nil {
			return err
		}
		e := TimelineEntry{ApplicationID: a.ID, Event: EventRecordWork, From: &a.Status, To: a.Status,
			Actor: actorName(p), ActorRole: p.Role, At: now,
			Note: fmt.Sprintf("%s: %sh, %s", in.Month, fmtHours(in.Hours), in.Amount)}
		if corrected {
			e.Event = EventCorrectWork
			e.Note = fmt.Sprintf("%s: %sh, %s -> %sh, %s", in.Month, fmtHours(prev.Hours), prev.Amount, fmtHours(in.Hours), in.Amount)
		}
		return appendTimeline(ctx, tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("record work %d/%s: %w", in.ApplicationID, in.Month, err)
	}
	return &out, nil
}

// checkWorkMonth returns a VALIDATION error unless month lies from the work period's first month
// to its last, not after the dismissal's month and not after the current month (all in the
// school's zone); nil when it does.
func (s *Service) checkWorkMonth(ctx context.Context, month string, pos Position, a Application) *UserError {
	first, last := monthOf(pos.WorkStart), monthOf(pos.WorkEnd.Add(-time.Nanosecond))
	if a.EndedAt != nil && monthOf(*a.EndedAt) < last {
		last = monthOf(*a.EndedAt)
	}
	if now := monthOf(s.now()); now < last {
		last = now
	}
	if month < first || month > last {
		ue := fieldErr(ctx, []string{"input", "month"}, "monthOutside", month, first, last)
		return &ue
	}
	return nil
}

// monthOf is the "YYYY-MM" of t in the school's zone.
func monthOf(t time.Time) string { return t.In(SchoolZone).Format("2006-01") }

// roundHours rounds to the two decimals hours are recorded with, so sums show no float noise.
func roundHours(h float64) float64 { return math.Round(h*100) / 100 }

func fmtHours(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

// WorkRecordsOf returns the work records of the given applications, by month; dataloaders call it
// for the work records of applications and employments the caller was already allowed to see.
func (s *Service) WorkRecordsOf(ctx context.Context, ids []int64) ([]WorkRecord, error) {
	ws, err := s.store.WorkRecordsOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("work records: %w", err)
	}
	return ws, nil
}

// WorkTotals sums the hours and the payments of an employment's records.
func WorkTotals(ws []WorkRecord) (hours float64, paid Money) {
	for _, w := range ws {
		hours += w.Hours
		paid += w.Amount
	}
	return roundHours(hours), paid
}

// StudentYear names one student in one academic year.
type StudentYear struct {
	StudentNo    string `db:"student_no"`
	AcademicYear string `db:"academic_year"`
}

// YearHours is a student's recorded work hours in an academic year.
type YearHours struct {
	StudentYear
	Hours float64 `db:"hours"`
}

// HoursRange asks for a student's hours recorded in the months First..Last ("YYYY-MM", both
// included), which are those of the academic year it names.
type HoursRange struct {
	StudentYear
	First, Last string
}

// HoursInYears returns each student's recorded hours in each academic year, in two statements
// for any number of keys (the years' dates, then the sums); a key whose year does not exist is
// left out. Dataloaders call it for Nomination.hoursWorked, whose nominations the caller was
// already allowed to see.
func (s *Service) HoursInYears(ctx context.Context, keys []StudentYear) ([]YearHours, error) {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		names = append(names, k.AcademicYear)
	}
	ys, err := s.store.AcademicYearsByName(ctx, names)
	if err != nil {
		return nil, fmt.Errorf("hours in years: %w", err)
	}
	byName := make(map[string]AcademicYear, len(ys))
	for _, y := range ys {
		byName[y.Name] = y
	}
	ranges := make([]HoursRange, 0, len(keys))
	for _, k := range keys {
		if y, ok := byName[k.AcademicYear]; ok {
			first, last := y.Months()
			ranges = append(ranges, HoursRange{StudentYear: k, First: first, Last: last})
		}
	}
	hs, err := s.store.StudentHours(ctx, ranges)
	if err != nil {
		return nil, fmt.Errorf("hours in years: %w", err)
	}
	for i := range hs {
		hs[i].Hours = roundHours(hs[i].Hours)
	}
	return hs, nil
}
