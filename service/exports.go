package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/zhuguan/zhuguan/auth"
)

// Rows is an export's row source. Called, it reads the rows from the store's stream pool (no
// statement_timeout, connections of its own) one at a time, in the order of the matching query,
// and hands each to yield; it stops at yield's first error and returns it. The row passed to
// yield is reused for the next one, so yield must not keep it. Nothing ever holds all the rows.
type Rows[R any] func(ctx context.Context, yield func(*R) error) error

// HistoryExport is the employment history as a spreadsheet: the caller's saved columns, in their
// saved order, and the rows.
type HistoryExport struct {
	Columns []HistoryColumn
	Rows    Rows[HistoryRow]
}

// ExportHistory is History for a spreadsheet (any role, the same rows History shows the caller):
// every matching row in the default order, newest application first, with the caller's saved
// columns (the unit's name with UNIT). Returns NOT_FOUND when a student names another student.
func (s *Service) ExportHistory(ctx context.Context, filter HistoryFilter, studentNo *string) (*HistoryExport, error) {
	q, err := s.historyScope(ctx, studentNo)
	if err != nil {
		return nil, err
	}
	cols, err := s.HistoryColumns(ctx)
	if err != nil {
		return nil, err
	}
	q.HistoryFilter, q.Columns, q.UnitName, q.Order = filter.trimmed(), cols, slices.Contains(cols, ColUnit), defaultHistoryOrder
	return &HistoryExport{Columns: cols, Rows: func(ctx context.Context, yield func(*HistoryRow) error) error {
		if err := s.store.Streaming().EachHistory(ctx, q, yield); err != nil {
			return fmt.Errorf("history export: %w", err)
		}
		return nil
	}}, nil
}

// ApplicantRow is one line of a position's applicants as a spreadsheet: the application, the
// student's name, degree and department, and their profile for the position's year (nil fields
// when they have none). The financial-need flag is not in it: it only orders the rows.
type ApplicantRow struct {
	Application
	StudentName string  `db:"student_name"`
	Degree      Degree  `db:"degree"`
	Department  string  `db:"department"`
	Specialties *string `db:"specialties"`
	WeeklyHours *int    `db:"weekly_hours"`
}

// ExportApplicants is Applicants for a spreadsheet (the position's unit, or admin): every
// application of the position, of status when given, in the same order (financial need first,
// then application time). Returns NOT_FOUND for a missing position or another unit's.
func (s *Service) ExportApplicants(ctx context.Context, positionID int64, status *ApplicationStatus) (Rows[ApplicantRow], error) {
	if err := s.mayListApplicants(ctx, positionID); err != nil {
		return nil, err
	}
	return func(ctx context.Context, yield func(*ApplicantRow) error) error {
		if err := s.store.Streaming().EachApplicant(ctx, positionID, status, yield); err != nil {
			return fmt.Errorf("applicants export of position %d: %w", positionID, err)
		}
		return nil
	}, nil
}

// NominationRow is one line of a year's nominations as a spreadsheet: the nomination, the
// student's name and department, and their recorded hours in the year (as Nomination.hoursWorked).
type NominationRow struct {
	Nomination
	StudentName string  `db:"student_name"`
	Department  string  `db:"department"`
	HoursWorked float64 `db:"hours_worked"`
}

// ExportNominations is Nominations for a spreadsheet (admin): every nomination of the year, of
// status when given, else all but WITHDRAWN ones, newest first. Returns NOT_FOUND when the year
// does not exist.
func (s *Service) ExportNominations(ctx context.Context, year string, status *NominationStatus) (Rows[NominationRow], error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	y, err := s.reviewYear(ctx, year)
	if err != nil {
		return nil, err
	}
	first, last := y.Months()
	return func(ctx context.Context, yield func(*NominationRow) error) error {
		err := s.store.Streaming().EachNomination(ctx, year, status, first, last, func(r *NominationRow) error {
			r.HoursWorked = roundHours(r.HoursWorked)
			return yield(r)
		})
		if err != nil {
			return fmt.Errorf("nominations export of %s: %w", year, err)
		}
		return nil
	}, nil
}
