package db

import (
	"context"
	"strconv"
	"strings"

	"github.com/zhuguan/zhuguan/service"
)

// reportDim is how one dimension appears in the report statement: what it selects (as the
// ReportRow's columns) and groups by while events are summed, and how the result is ordered.
type reportDim struct {
	sel, group string
	aliases    []string
	order      string
}

var reportDims = map[service.ReportDimension]reportDim{
	service.DimUnit: {sel: "u.id AS unit_id, u.name AS unit_name", group: "u.id, u.name",
		aliases: []string{"unit_id", "unit_name"}, order: "unit_name, unit_id"},
	service.DimNature: {sel: "p.nature", group: "p.nature", aliases: []string{"nature"},
		order: "array_position(ARRAY[" + service.QuoteSQL(service.AllNatures...) + "], nature)"},
	service.DimDutyCategory: {sel: "p.duty_category", group: "p.duty_category", aliases: []string{"duty_category"},
		order: "array_position(ARRAY[" + service.QuoteSQL(service.AllDutyCategories...) + "], duty_category)"},
	service.DimMonth: {sel: "e.month", group: "e.month", aliases: []string{"month"}, order: "month"},
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
// p is the year's positions that match the filter. e holds their additive measures per position
// and month: publications, read live from p, and the applications' four events and the work
// records, read from report_cells (migration 00008), which the writing transactions keep summed
// per position and month. s holds the students, which do not add up across groups: one row per
// employment or, by month, per work record. Each is grouped by the dimensions and in total
// (GROUPING SETS); the students are made distinct per group by grouping them with the student
// number first, so every aggregate can hash instead of sorting. The month is computed only when
// the report groups or filters by it. The students are read from applications_report_idx and
// work_records_report_idx (migration 00007) for the year's positions.
func reportSQL(q service.ReportQuery) (string, []any) {
	args := []any{q.AcademicYear}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }

	posConds := []string{"academic_year = $1"}
	unitKnown := "true"
	if q.UnitID != nil {
		n := arg(*q.UnitID)
		posConds = append(posConds, "unit_id = "+n)
		unitKnown = "EXISTS (SELECT 1 FROM units WHERE id = " + n + ")"
	}
	if q.Nature != nil {
		posConds = append(posConds, "nature = "+arg(*q.Nature))
	}
	if q.DutyCategory != nil {
		posConds = append(posConds, "duty_category = "+arg(*q.DutyCategory))
	}
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

	// Without months, the cells of every month are summed, and the students are the employed
	// ones; by month, the students are read from the work records.
	ofYear := "a.position_id IN (SELECT id FROM p)"
	published, cellMonth := "NULL::text", "NULL::text"
	students := `SELECT a.position_id, NULL::text, a.student_no FROM applications a WHERE ` + ofYear +
		` AND a.status IN (` + service.QuoteSQL(service.ReportConfirmedStatuses...) + `)`
	if q.ByMonth() {
		published, cellMonth = monthOf("published_at"), "c.month"
		students = `SELECT a.position_id, w.month, w.student_no FROM work_records w JOIN applications a ON a.id = w.application_id
			WHERE ` + ofYear
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
	from := func(events string) string {
		f := ` FROM ` + events + ` e JOIN p ON p.id = e.position_id`
		if q.Has(service.DimUnit) {
			f += ` JOIN units u ON u.id = p.unit_id`
		}
		return f + where
	}
	outDims := ""
	if len(aliases) > 0 {
		outDims = strings.Join(aliases, ", ") + ", "
	}

	query := `WITH p AS MATERIALIZED (
		SELECT id, unit_id, nature, duty_category, headcount, status, published_at FROM positions
		WHERE ` + strings.Join(posConds, " AND ") + `
	), e (position_id, month, positions, headcount, applications, hired, confirmed, dismissed, hours, amount_fen) AS (
		SELECT id, ` + published + `, 1, headcount, 0, 0, 0, 0, 0::numeric, 0::bigint
			FROM p WHERE status IN (` + service.QuoteSQL(service.PublishedStatuses...) + `)
		UNION ALL
		SELECT c.position_id, ` + cellMonth + `, 0, 0, c.applications, c.hired, c.confirmed, c.dismissed, c.hours, c.amount_fen
			FROM report_cells c WHERE c.position_id IN (SELECT id FROM p)
				-- a cell its rows left (an application moved away) is no event, as it was not when counted live
				AND (c.applications, c.hired, c.confirmed, c.dismissed, c.hours, c.amount_fen) <> (0, 0, 0, 0, 0, 0)
	), s (position_id, month, student_no) AS (
		` + students + `
	), g AS (
		SELECT ` + dims + isTotal + ` AS is_total, sum(e.positions) AS positions, sum(e.headcount) AS headcount,
				sum(e.applications) AS applications, sum(e.hired) AS hired, sum(e.confirmed) AS confirmed,
				sum(e.dismissed) AS dismissed, 0 AS students, sum(e.hours) AS hours, sum(e.amount_fen) AS amount_fen
			` + from("e") + ` GROUP BY GROUPING SETS (` + sets + `)
		UNION ALL
		SELECT ` + outDims + `is_total, 0, 0, 0, 0, 0, 0, count(*), 0, 0 FROM (
			SELECT ` + dims + isTotal + ` AS is_total` + from("s") + ` GROUP BY GROUPING SETS (` + perStudent + `)
		) d GROUP BY ` + outDims + `is_total
	)
	SELECT ` + outDims + `is_total, coalesce(sum(positions), 0) AS positions, coalesce(sum(headcount), 0) AS headcount,
		coalesce(sum(applications), 0) AS applications, coalesce(sum(hired), 0) AS hired,
		coalesce(sum(confirmed), 0) AS confirmed, coalesce(sum(dismissed), 0) AS dismissed,
		coalesce(sum(students), 0) AS students, coalesce(sum(hours), 0)::float8 AS hours,
		coalesce(sum(amount_fen), 0)::bigint AS paid_amount,
		EXISTS (SELECT 1 FROM academic_years WHERE name = $1) AS year_known, ` + unitKnown + ` AS unit_known
	FROM g GROUP BY ` + outDims + `is_total ORDER BY is_total`
	if len(order) > 0 {
		query += ", " + strings.Join(order, ", ")
	}
	return query, args
}
