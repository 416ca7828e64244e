package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/zhuguan/zhuguan/auth"
)

// ReportDimension is what a report groups by.
type ReportDimension string

// The dimensions: the position's unit, nature and duty category, and the month (in SchoolZone)
// in which each counted event happened.
const (
	DimUnit         ReportDimension = "UNIT"
	DimNature       ReportDimension = "NATURE"
	DimDutyCategory ReportDimension = "DUTY_CATEGORY"
	DimMonth        ReportDimension = "MONTH"
)

// AllReportDimensions lists the dimensions in the schema's order.
var AllReportDimensions = []ReportDimension{DimUnit, DimNature, DimDutyCategory, DimMonth}

// The events a report counts, each at the time the application's status history gives it:
// an application at its application time, a hire at its timeline's entry into HIRED, a
// confirmation when its employment started, a dismissal when it ended. Which applications count
// is read from the status sets, so a new status in a set is counted without a change here.
var (
	// ReportHiredStatuses are those of an application that reached HIRED or later; the
	// timeline's entry into ReportHireEntry says when.
	ReportHiredStatuses = HistoryStatuses
	ReportHireEntry     = AppHired
	// ReportConfirmedStatuses are those of an application that reached CONFIRMED or later: an employment.
	ReportConfirmedStatuses = EmployedStatuses
	// ReportDismissedStatuses are those of an employment the unit ended.
	ReportDismissedStatuses = EndedStatuses
)

// ReportFilter narrows a report; nil fields match everything. FromMonth and ToMonth ("YYYY-MM",
// both included) keep the events that happened in those months.
type ReportFilter struct {
	UnitID       *int64        `json:"unitId"`
	Nature       *Nature       `json:"nature"`
	DutyCategory *DutyCategory `json:"dutyCategory"`
	FromMonth    *string       `json:"fromMonth"`
	ToMonth      *string       `json:"toMonth"`
}

// ReportArgs is one report request as a client makes it (the GraphQL query, the CSV export).
type ReportArgs struct {
	AcademicYear string
	GroupBy      []ReportDimension
	Filter       ReportFilter
}

// ReportQuery is a report as the store runs it, in one statement: the year's positions that
// match the filter (UnitID is the caller's unit for unit staff), grouped by GroupBy, plus the
// total over all of them.
type ReportQuery struct {
	AcademicYear string
	GroupBy      []ReportDimension // no repeats, in any order
	ReportFilter
}

// Has reports whether q groups by d.
func (q ReportQuery) Has(d ReportDimension) bool { return slices.Contains(q.GroupBy, d) }

// ByMonth reports whether q groups or filters by month. Then every event is placed in its month,
// and the students counted are those with work recorded in the month (of the row, or of the
// filter) instead of those whose application reached CONFIRMED.
func (q ReportQuery) ByMonth() bool { return q.Has(DimMonth) || q.FromMonth != nil || q.ToMonth != nil }

// ReportRow is one group of a report, or its total: the group's keys (nil when not grouped by
// them) and the measures of the events in the group.
type ReportRow struct {
	UnitID       *int64        `db:"unit_id"`
	UnitName     *string       `db:"unit_name"`
	Nature       *Nature       `db:"nature"`
	DutyCategory *DutyCategory `db:"duty_category"`
	Month        *string       `db:"month"`
	// Positions published and the sum of their headcounts.
	Positions int `db:"positions"`
	Headcount int `db:"headcount"`
	// Applications made, and those that reached HIRED, CONFIRMED and DISMISSED.
	Applications int `db:"applications"`
	Hired        int `db:"hired"`
	Confirmed    int `db:"confirmed"`
	Dismissed    int `db:"dismissed"`
	// Students counts distinct students (see ReportQuery.ByMonth).
	Students   int     `db:"students"`
	Hours      float64 `db:"hours"`
	PaidAmount Money   `db:"paid_amount"`
}

// Unit is the row's unit, nil when the report is not grouped by unit.
func (r ReportRow) Unit() *Unit {
	if r.UnitID == nil {
		return nil
	}
	return &Unit{ID: *r.UnitID, Name: *r.UnitName}
}

// ReportData is what the store reads for a report: its rows, sorted by unit name, nature and
// duty category in their schema order, then month; the total; and whether the year (and the unit
// of the filter, when there is one) exist.
type ReportData struct {
	Rows      []ReportRow
	Total     ReportRow
	YearKnown bool
	UnitKnown bool
}

// Report is a year's figures for a dashboard: one row per group with something in it, sorted by
// unit name, nature and duty category in their schema order, then month, and the total of the
// whole filter (which is not the sum of the rows: a student counts once).
type Report struct {
	AcademicYear string
	GroupBy      []ReportDimension
	Rows         []ReportRow
	Total        ReportRow
}

// Report computes a year's report (admin: every unit; unit staff: their own). Every measure
// counts its event in the year's positions, by MONTH in the month it happened. Students are the
// distinct students whose application reached CONFIRMED (DISMISSED included) or, grouped by MONTH
// or filtered by month, those with work recorded in the month. An empty groupBy gives the total
// as the one row.
//
// Returns FORBIDDEN for students and for unit staff whose token names a unit that does not exist;
// NOT_FOUND for an unknown year, an unknown unit, or unit staff naming another unit; BAD_USER_INPUT for a dimension listed twice or fromMonth after toMonth.
// It reads one statement, on the store's reporting pool (which may lag the primary by seconds).
func (s *Service) Report(ctx context.Context, a ReportArgs) (*Report, error) {
	p, err := requireRole(ctx, auth.RoleAdmin, auth.RoleUnitStaff)
	if err != nil {
		return nil, err
	}
	q := ReportQuery{AcademicYear: a.AcademicYear, GroupBy: a.GroupBy, ReportFilter: a.Filter}
	if p.Role == auth.RoleUnitStaff {
		if q.UnitID != nil && *q.UnitID != p.UnitID {
			return nil, notFound(ctx, "unit", *q.UnitID)
		}
		q.UnitID = &p.UnitID
	}
	for i, d := range q.GroupBy {
		if slices.Contains(q.GroupBy[:i], d) {
			return nil, BadInput(ctx, "duplicate", "groupBy", string(d))
		}
	}
	if q.FromMonth != nil && q.ToMonth != nil && *q.FromMonth > *q.ToMonth {
		return nil, BadInput(ctx, "monthOrder", *q.FromMonth, *q.ToMonth)
	}
	d, err := s.store.Reporting().Report(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report %s by %v: %w", q.AcademicYear, q.GroupBy, err)
	}
	if !d.YearKnown {
		return nil, notFound(ctx, "academicYear", q.AcademicYear)
	}
	if q.UnitID != nil && !d.UnitKnown {
		if p.Role == auth.RoleUnitStaff { // the token's own unit: found missing by the report's statement
			return nil, unitGone(ctx, p)
		}
		return nil, notFound(ctx, "unit", *q.UnitID)
	}
	r := &Report{AcademicYear: q.AcademicYear, GroupBy: q.GroupBy, Rows: d.Rows, Total: d.Total}
	if len(q.GroupBy) == 0 && d.Total != (ReportRow{}) {
		r.Rows = []ReportRow{d.Total}
	}
	return r, nil
}
