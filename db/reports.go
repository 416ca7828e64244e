package db

import (
	"context"
	"strconv"
	"strings"

	"github.com/zhuguan/zhuguan/service"
)

// reportDim is how one dimension appears in the report statement: what it selects (as the
// ReportRow's columns) and groups by while events are summed, what it selects from
// report_students and in a total read from there, its bit in report_students.mask (migration
// 00009), and how the result is ordered.
type reportDim struct {
	sel, group      string
	counted, absent string
	bit             int
	aliases         []string
	order           string
}

var reportDims = map[service.ReportDimension]reportDim{
	// The unit's name is joined to the groups, not to the events: a few hundred rows, not 25,000.
	service.DimUnit: {sel: "e.unit_id", group: "e.unit_id", counted: "s.unit_id", absent: "NULL::bigint", bit: 1,
		aliases: []string{"unit_id"}, order: "unit_name, unit_id"},
	service.DimNature: {sel: "e.nature", group: "e.nature", counted: "s.nature", absent: "NULL::text", bit: 2,
		aliases: []string{"nature"},
		order:   "array_position(ARRAY[" + service.QuoteSQL(service.AllNatures...) + "], nature)"},
	service.DimDutyCategory: {sel: "e.duty_category", group: "e.duty_category", counted: "s.duty_category",
		absent: "NULL::text", bit: 4, aliases: []string{"duty_category"},
		order: "array_position(ARRAY[" + service.QuoteSQL(service.AllDutyCategories...) + "], duty_category)"},
	service.DimMonth: {sel: "e.month", group: "e.month", counted: "s.month", absent: "NULL::text", bit: 8,
		aliases: []string{"month"}, order: "month"},
}

// monthOf is the SQL of the month (YYYY-MM, in the school's zone) in which time column col lies.
func monthOf(col string) string {
	return "to_char(" + col + " AT TIME ZONE " + service.QuoteSQL(service.SchoolZone.String()) + ", 'YYYY-MM')"
}

// Report reads a report in one statement (see reportSQL); the rows come sorted, the total last.
func (s queries) Report(ctx context.Context, q service.ReportQuery) (service.ReportData, error) {
	query, args := reportSQL(q)
	var rows []struct {
		service.ReportRow
		IsTotal   bool `db:"is_total"`
		YearKnown bool `db:"year_known"`
		UnitKnown bool `db:"unit_known"`
	}
	if err := s.shape().sel(ctx, &rows, query, args...); err != nil {
		return service.ReportData{}, err
	}
	out := service.ReportData{Rows: make([]service.ReportRow, 0, len(rows))}
	for _, r := range rows {
		out.YearKnown, out.UnitKnown = r.YearKnown, r.UnitKnown
		if r.IsTotal {
			out.Total = r.ReportRow
			continue
		}
		out.Rows = append(out.Rows, r.ReportRow)
	}
	return out, nil
}

// reportSQL builds the statement Report runs for q, and its parameters; its text depends only on
// which dimensions q groups by and which filters it sets, never on a value of q.
//
// p is the year's positions that match the filter. Their additive measures, with the position's
// dimensions, come from two sources, each grouped on its own by the dimensions and in total
// (GROUPING SETS), so that each sums only its own measures instead of a union of both summing
// nine columns, zeros included: pe, the publications, read live from p; ce, the applications'
// four events and the work records, read from report_cells (migration 00008), which the writing
// transactions keep summed per position and month, joined to the matching positions themselves,
// not to p, so that the join hashes the 5,000 positions rather than the 20,000 cells. The month
// is computed only when the report groups or filters by it. The last grouping adds up the groups
// of both sources and the students; the unit's name is joined to its result, a few hundred rows,
// so that it neither widens the rows grouped nor is grouped by.
//
// The students do not add up across groups. Without a month filter they are read from
// report_students (migration 00009), which the writing transactions keep counted per group: the
// rows of the mask of the grouped and filtered dimensions, and the total from the mask of the
// filtered ones (see reportStudents). A month filter keeps the students of some months only, who
// cannot be counted from per-month counts; then they are made distinct per group from the rows
// (see below).
func reportSQL(q service.ReportQuery) (string, []any) {
	args := []any{q.AcademicYear}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }

	posConds := []string{"p.academic_year = $1"}
	var filters []reportFilter
	unitKnown := "true"
	if q.UnitID != nil {
		n := arg(*q.UnitID)
		posConds = append(posConds, "p.unit_id = "+n)
		filters = append(filters, reportFilter{service.DimUnit, "s.unit_id = " + n})
		unitKnown = "EXISTS (SELECT 1 FROM units WHERE id = " + n + ")"
	}
	if q.Nature != nil {
		n := arg(*q.Nature)
		posConds = append(posConds, "p.nature = "+n)
		filters = append(filters, reportFilter{service.DimNature, "s.nature = " + n})
	}
	if q.DutyCategory != nil {
		n := arg(*q.DutyCategory)
		posConds = append(posConds, "p.duty_category = "+n)
		filters = append(filters, reportFilter{service.DimDutyCategory, "s.duty_category = " + n})
	}
	positions := strings.Join(posConds, " AND ")
	var monthConds []string
	if q.FromMonth != nil {
		monthConds = append(monthConds, "e.month >= "+arg(*q.FromMonth))
	}
	if q.ToMonth != nil {
		monthConds = append(monthConds, "e.month <= "+arg(*q.ToMonth))
	}
	where := ""
	if len(monthConds) > 0 {
		where = " WHERE " + strings.Join(monthConds, " AND ")
	}

	published, cellMonth := "NULL::text", "NULL::text"
	if q.ByMonth() {
		published, cellMonth = monthOf("published_at"), "c.month"
	}

	var sel, group, aliases, order []string
	for _, d := range service.AllReportDimensions { // the schema's order, whatever the client's
		if q.Has(d) {
			rd := reportDims[d]
			sel, group, aliases, order = append(sel, rd.sel), append(group, rd.group), append(aliases, rd.aliases...), append(order, rd.order)
		}
	}
	dims, isTotal, sets, perStudent := "", "true", "()", "(e.student_no)"
	if len(group) > 0 {
		g := strings.Join(group, ", ")
		dims, isTotal = strings.Join(sel, ", ")+", ", "GROUPING("+g+") <> 0"
		sets, perStudent = "("+g+"), ()", "("+g+", e.student_no), (e.student_no)"
	}
	from := func(events string) string { return ` FROM ` + events + ` e` + where }
	outDims, unitName, named := "", "", ""
	if len(aliases) > 0 {
		outDims = strings.Join(aliases, ", ") + ", "
	}
	if q.Has(service.DimUnit) {
		unitName, named = ", u.name AS unit_name", " LEFT JOIN units u ON u.id = r.unit_id"
	}
	students := reportStudents(q, filters)
	if len(monthConds) > 0 {
		// One row per work record of the year's positions (work_records_report_idx, migration
		// 00007), grouped by the dimensions and in total with the student number first, so that
		// every aggregate can hash instead of sorting.
		students = `SELECT ` + outDims + `is_total, 0, 0, 0, 0, 0, 0, count(*), 0, 0 FROM (
			SELECT ` + dims + isTotal + ` AS is_total` + from(`(SELECT p.unit_id, p.nature, p.duty_category, w.month, w.student_no
				FROM work_records w JOIN applications a ON a.id = w.application_id JOIN p ON p.id = a.position_id)`) + `
			GROUP BY GROUPING SETS (` + perStudent + `)
		) d GROUP BY ` + outDims + `is_total`
	}

	query := `WITH p AS MATERIALIZED (
		SELECT id, unit_id, nature, duty_category, headcount, status, published_at FROM positions p
		WHERE ` + positions + `
	), pe (unit_id, nature, duty_category, month, headcount) AS (
		SELECT unit_id, nature, duty_category, ` + published + `, headcount
			FROM p WHERE status IN (` + service.QuoteSQL(service.PublishedStatuses...) + `)
	), ce (unit_id, nature, duty_category, month, applications, hired, confirmed, dismissed, hours, amount_fen) AS (
		SELECT p.unit_id, p.nature, p.duty_category, ` + cellMonth + `, c.applications, c.hired, c.confirmed,
				c.dismissed, c.hours, c.amount_fen
			FROM report_cells c JOIN positions p ON p.id = c.position_id AND ` + positions + `
			-- a cell its rows left (an application moved away) is no event, as it was not when counted live
			WHERE (c.applications, c.hired, c.confirmed, c.dismissed, c.hours, c.amount_fen) <> (0, 0, 0, 0, 0, 0)
	), g AS (
		SELECT ` + dims + isTotal + ` AS is_total, count(*) AS positions, sum(e.headcount) AS headcount, 0 AS applications,
				0 AS hired, 0 AS confirmed, 0 AS dismissed, 0 AS students, 0::numeric AS hours, 0::bigint AS amount_fen
			` + from("pe") + ` GROUP BY GROUPING SETS (` + sets + `)
		UNION ALL
		SELECT ` + dims + isTotal + `, 0, 0, sum(e.applications), sum(e.hired), sum(e.confirmed), sum(e.dismissed), 0,
				sum(e.hours), sum(e.amount_fen)
			` + from("ce") + ` GROUP BY GROUPING SETS (` + sets + `)
		UNION ALL
		` + students + `
	)
	SELECT r.*` + unitName + `, EXISTS (SELECT 1 FROM academic_years WHERE name = $1) AS year_known,
		` + unitKnown + ` AS unit_known
	FROM (
		SELECT ` + outDims + `is_total, coalesce(sum(positions), 0) AS positions, coalesce(sum(headcount), 0) AS headcount,
			coalesce(sum(applications), 0) AS applications, coalesce(sum(hired), 0) AS hired,
			coalesce(sum(confirmed), 0) AS confirmed, coalesce(sum(dismissed), 0) AS dismissed,
			coalesce(sum(students), 0) AS students, coalesce(sum(hours), 0)::float8 AS hours,
			coalesce(sum(amount_fen), 0)::bigint AS paid_amount
		FROM g GROUP BY ` + outDims + `is_total
	) r` + named + ` ORDER BY is_total`
	if len(order) > 0 {
		query += ", " + strings.Join(order, ", ")
	}
	return query, args
}

// reportFilter is a dimension the report is filtered by, and its condition on report_students.
type reportFilter struct {
	dim  service.ReportDimension
	cond string
}

// reportStudents is the SQL of the students of a report without a month filter, read from
// report_students: grouped by MONTH, those with work recorded (in the row's month, and in the
// year for the total); otherwise those employed. A filtered dimension is part of the counted
// group (and so of the mask) whether or not the report groups by it. A group's shards are summed
// here, so that the report's last grouping adds one row per group, not 16.
func reportStudents(q service.ReportQuery, filters []reportFilter) string {
	conds := []string{"s.academic_year = $1", "s.worked = " + strconv.FormatBool(q.Has(service.DimMonth)), "s.students <> 0"}
	totalMask := 0
	for _, f := range filters {
		conds, totalMask = append(conds, f.cond), totalMask|reportDims[f.dim].bit
	}
	var counted, absent []string
	rowMask := totalMask
	for _, d := range service.AllReportDimensions {
		if q.Has(d) {
			rd := reportDims[d]
			counted, absent, rowMask = append(counted, rd.counted), append(absent, rd.absent), rowMask|rd.bit
		}
	}
	measures := `, 0, 0, 0, 0, 0, 0, sum(s.students), 0, 0 FROM report_students s`
	where := ` WHERE ` + strings.Join(conds, " AND ") + ` AND s.mask = `
	total := `SELECT ` + strings.Join(append(absent, "true"), ", ") + measures + where + strconv.Itoa(totalMask)
	if len(counted) == 0 {
		return total
	}
	return `SELECT ` + strings.Join(append(counted, "false"), ", ") + measures + where + strconv.Itoa(rowMask) +
		` GROUP BY ` + strings.Join(counted, ", ") + `
		UNION ALL
		` + total
}
