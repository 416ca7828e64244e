package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// Reports: a small school driven through the API month by month, so every event has the time
// the service gave it, and each report is compared with figures worked out by hand below.
//
// Units Alpha and Beta (Beta created first, so the order by name is not the order by id):
//
//	P1 Beta  LONG_TERM DATA_ANALYSIS headcount 3, published 2026-11
//	P2 Alpha TEMPORARY WRITING       headcount 2, published 2026-11
//	P3 Alpha LONG_TERM DATA_ANALYSIS headcount 1, published 2026-12
//
//	2026-11  s1, s2, s3 apply to P1; s1, s4 apply to P2; P1 hires s1; P2 hires s1
//	2026-12  s2 applies to P3; P1 hires s2, s2 declines; P1 rejects s3; s1 confirms P1 and P2
//	2027-01  P3 hires s2, s2 confirms; work: P1 s1 10h 1000.00, P2 s1 8h 800.00, P3 s2 5h 500.00
//	2027-02  work: P2 s1 6h 600.00; P1 dismisses s1
//
// Unit Gamma has only a DRAFT of this year and a published position of 2027-2028: it appears in
// no report of this year.

// reportFixture is the seeded school: the units' ids.
type reportFixture struct {
	s                  *Server
	alpha, beta, gamma string
}

func seedReports(t *testing.T) *reportFixture {
	t.Helper()
	s := NewServer(t)
	f := &reportFixture{s: s}
	s.SeedYear(t)
	s.UpsertYear(t, YearInputOf("2027-2028"))
	f.beta = s.SeedUnit(t, "Beta 基础医学院")
	f.alpha = s.SeedUnit(t, "Alpha 研究生院")
	f.gamma = s.SeedUnit(t, "Gamma 药学院")
	nos := StudentNos(1, 4)
	s1, s2, s3, s4 := nos[0], nos[1], nos[2], nos[3]
	s.SeedStudents(t, nos...)
	for _, no := range nos {
		s.SeedProfile(t, no, ProfileInput(TestYear))
	}
	at := func(day string) { s.SetNow(mustTime(t, day+"T10:00:00+08:00")) }
	unit := func(u string) string { return s.Unit(t, u) }
	student := func(no string) string { return s.Student(t, no) }

	at("2026-11-15")
	p1 := s.SeedPosition(t, f.beta, "PUBLISHED", PositionInput("P1", "headcount", 3))
	p2 := s.SeedPosition(t, f.alpha, "PUBLISHED", PositionInput("P2", "headcount", 2, "nature", "TEMPORARY", "dutyCategory", "WRITING"))
	s.SeedPosition(t, f.gamma, "DRAFT", PositionInput("草稿"))
	s.SeedPosition(t, f.gamma, "PUBLISHED", PositionInput("下一学年", "academicYear", "2027-2028",
		"applyStart", "2027-09-10T00:00:00+08:00", "applyEnd", "2027-09-20T00:00:00+08:00",
		"workStart", "2027-10-01T00:00:00+08:00", "workEnd", "2027-12-01T00:00:00+08:00"))
	a11, a12, a13 := s.Apply(t, s1, p1), s.Apply(t, s2, p1), s.Apply(t, s3, p1)
	a21 := s.Apply(t, s1, p2)
	s.Apply(t, s4, p2)
	s.MustTransition(t, unit(f.beta), "HIRE", a11, nil)
	s.MustTransition(t, unit(f.alpha), "HIRE", a21, nil)

	at("2026-12-10")
	p3 := s.SeedPosition(t, f.alpha, "PUBLISHED", PositionInput("P3", "headcount", 1))
	a32 := s.Apply(t, s2, p3)
	s.MustTransition(t, unit(f.beta), "HIRE", a12, nil)
	s.MustTransition(t, student(s2), "DECLINE", a12, nil)
	s.MustTransition(t, unit(f.beta), "REJECT", a13, nil)
	s.MustTransition(t, student(s1), "CONFIRM", a11, nil)
	s.MustTransition(t, student(s1), "CONFIRM", a21, nil)

	at("2027-01-20")
	s.MustTransition(t, unit(f.alpha), "HIRE", a32, nil)
	s.MustTransition(t, student(s2), "CONFIRM", a32, nil)
	s.RecordWork(t, f.beta, a11, "2027-01", 10, "1000.00")
	s.RecordWork(t, f.alpha, a21, "2027-01", 8, "800.00")
	s.RecordWork(t, f.alpha, a32, "2027-01", 5, "500.00")

	at("2027-02-10")
	s.RecordWork(t, f.alpha, a21, "2027-02", 6, "600.00")
	s.MustTransition(t, unit(f.beta), "DISMISS", a11, nil)
	return f
}

// reportQuery selects every field of a report.
const reportQuery = `query($y: String!, $g: [ReportDimension!]!, $f: ReportFilter) {
	report(academicYear: $y, groupBy: $g, filter: $f) {
		academicYear groupBy
		rows { ...row }
		total { ...row }
	}
}
fragment row on ReportRow {
	unit { id name } nature dutyCategory month
	positions headcount applications hired confirmed dismissed students hours paidAmount
}`

type reportRow struct {
	Unit                                                                      *struct{ ID, Name string }
	Nature, DutyCategory, Month                                               *string
	Positions, Headcount, Applications, Hired, Confirmed, Dismissed, Students int
	Hours                                                                     float64
	PaidAmount                                                                string
}

// String is the row as the expectations below write it: its keys ("-" when not grouped by
// one), then positions headcount applications hired confirmed dismissed students hours paidAmount.
func (r reportRow) String() string {
	key := func(s *string) string {
		if s == nil {
			return "-"
		}
		return *s
	}
	unit := "-"
	if r.Unit != nil {
		unit = strings.Fields(r.Unit.Name)[0]
	}
	return fmt.Sprintf("%s/%s/%s/%s %d %d %d %d %d %d %d %v %s", unit, key(r.Nature), key(r.DutyCategory), key(r.Month),
		r.Positions, r.Headcount, r.Applications, r.Hired, r.Confirmed, r.Dismissed, r.Students, r.Hours, r.PaidAmount)
}

type report struct {
	AcademicYear string
	GroupBy      []string
	Rows         []reportRow
	Total        reportRow
}

// report runs the report query as token and returns it decoded; the response must have no errors.
func (f *reportFixture) report(t *testing.T, token, year string, groupBy []string, filter map[string]any) report {
	t.Helper()
	var out struct{ Report report }
	f.s.Do(t, token, reportQuery, map[string]any{"y": year, "g": groupBy, "f": filter}).Decode(t, &out)
	return out.Report
}

// wantReport fails unless r's rows are exactly rows, in order, and its total is total.
func wantReport(t *testing.T, name string, r report, total string, rows ...string) {
	t.Helper()
	got := make([]string, len(r.Rows))
	for i, row := range r.Rows {
		got[i] = row.String()
	}
	if strings.Join(got, "\n") != strings.Join(rows, "\n") {
		t.Errorf("%s rows:\ngot\n  %s\nwant\n  %s", name, strings.Join(got, "\n  "), strings.Join(rows, "\n  "))
	}
	if g := r.Total.String(); g != total {
		t.Errorf("%s total: got %s, want %s", name, g, total)
	}
}

func TestReports(t *testing.T) {
	f := seedReports(t)
	admin := f.s.Admin(t)
	dims := func(d ...string) []string { return append([]string{}, d...) } // [] for none, never null
	// The total of every report without a month: students are the employed ones (s1, s2).
	const total = "-/-/-/- 3 6 6 4 3 1 2 29 2900.00"

	t.Run("by unit", func(t *testing.T) {
		r := f.report(t, admin, TestYear, dims("UNIT"), nil)
		if r.AcademicYear != TestYear || strings.Join(r.GroupBy, ",") != "UNIT" {
			t.Errorf("report: got year %s groupBy %v, want %s [UNIT]", r.AcademicYear, r.GroupBy, TestYear)
		}
		wantReport(t, "UNIT", r, total,
			"Alpha/-/-/- 2 3 3 2 2 0 2 19 1900.00",
			"Beta/-/-/- 1 3 3 2 1 1 1 10 1000.00")
		if r.Rows[0].Unit.ID != f.alpha || r.Rows[1].Unit.ID != f.beta {
			t.Errorf("unit ids: got %s, %s, want %s, %s", r.Rows[0].Unit.ID, r.Rows[1].Unit.ID, f.alpha, f.beta)
		}
	})
	t.Run("by nature", func(t *testing.T) {
		wantReport(t, "NATURE", f.report(t, admin, TestYear, dims("NATURE"), nil), total,
			"-/LONG_TERM/-/- 2 4 4 3 2 1 2 15 1500.00",
			"-/TEMPORARY/-/- 1 2 2 1 1 0 1 14 1400.00")
	})
	t.Run("by duty category, in the schema's order", func(t *testing.T) {
		wantReport(t, "DUTY_CATEGORY", f.report(t, admin, TestYear, dims("DUTY_CATEGORY"), nil), total,
			"-/-/WRITING/- 1 2 2 1 1 0 1 14 1400.00",
			"-/-/DATA_ANALYSIS/- 2 4 4 3 2 1 2 15 1500.00")
	})
	// By month every event counts in its own month, and students are those with work that month.
	const monthTotal = "-/-/-/- 3 6 6 4 3 1 2 29 2900.00"
	t.Run("by month", func(t *testing.T) {
		wantReport(t, "MONTH", f.report(t, admin, TestYear, dims("MONTH"), nil), monthTotal,
			"-/-/-/2026-11 2 5 5 2 0 0 0 0 0.00",
			"-/-/-/2026-12 1 1 1 1 2 0 0 0 0.00",
			"-/-/-/2027-01 0 0 0 1 1 0 2 23 2300.00",
			"-/-/-/2027-02 0 0 0 0 0 1 1 6 600.00")
	})
	unitMonth := []string{
		"Alpha/-/-/2026-11 1 2 2 1 0 0 0 0 0.00",
		"Alpha/-/-/2026-12 1 1 1 0 1 0 0 0 0.00",
		"Alpha/-/-/2027-01 0 0 0 1 1 0 2 13 1300.00",
		"Alpha/-/-/2027-02 0 0 0 0 0 0 1 6 600.00",
		"Beta/-/-/2026-11 1 3 3 1 0 0 0 0 0.00",
		"Beta/-/-/2026-12 0 0 0 1 1 0 0 0 0.00",
		"Beta/-/-/2027-01 0 0 0 0 0 0 1 10 1000.00",
		"Beta/-/-/2027-02 0 0 0 0 0 1 0 0 0.00",
	}
	t.Run("by unit and month, whatever the order asked", func(t *testing.T) {
		wantReport(t, "UNIT x MONTH", f.report(t, admin, TestYear, dims("UNIT", "MONTH"), nil), monthTotal, unitMonth...)
		r := f.report(t, admin, TestYear, dims("MONTH", "UNIT"), nil)
		wantReport(t, "MONTH x UNIT", r, monthTotal, unitMonth...)
		if strings.Join(r.GroupBy, ",") != "MONTH,UNIT" {
			t.Errorf("groupBy: got %v, want [MONTH UNIT] as asked", r.GroupBy)
		}
	})
	t.Run("by all four", func(t *testing.T) {
		wantReport(t, "all four", f.report(t, admin, TestYear, dims("MONTH", "DUTY_CATEGORY", "NATURE", "UNIT"), nil), monthTotal,
			"Alpha/LONG_TERM/DATA_ANALYSIS/2026-12 1 1 1 0 0 0 0 0 0.00",
			"Alpha/LONG_TERM/DATA_ANALYSIS/2027-01 0 0 0 1 1 0 1 5 500.00",
			"Alpha/TEMPORARY/WRITING/2026-11 1 2 2 1 0 0 0 0 0.00",
			"Alpha/TEMPORARY/WRITING/2026-12 0 0 0 0 1 0 0 0 0.00",
			"Alpha/TEMPORARY/WRITING/2027-01 0 0 0 0 0 0 1 8 800.00",
			"Alpha/TEMPORARY/WRITING/2027-02 0 0 0 0 0 0 1 6 600.00",
			"Beta/LONG_TERM/DATA_ANALYSIS/2026-11 1 3 3 1 0 0 0 0 0.00",
			"Beta/LONG_TERM/DATA_ANALYSIS/2026-12 0 0 0 1 1 0 0 0 0.00",
			"Beta/LONG_TERM/DATA_ANALYSIS/2027-01 0 0 0 0 0 0 1 10 1000.00",
			"Beta/LONG_TERM/DATA_ANALYSIS/2027-02 0 0 0 0 0 1 0 0 0.00")
	})
	t.Run("month filter", func(t *testing.T) {
		// December and January: Alpha's December publication, application and confirmation and
		// January's hire, confirmation and work; Beta's December hire and confirmation, January's work.
		r := f.report(t, admin, TestYear, dims("UNIT"), map[string]any{"fromMonth": "2026-12", "toMonth": "2027-01"})
		wantReport(t, "UNIT, 2026-12..2027-01", r, "-/-/-/- 1 1 1 2 3 0 2 23 2300.00",
			"Alpha/-/-/- 1 1 1 1 2 0 2 13 1300.00",
			"Beta/-/-/- 0 0 0 1 1 0 1 10 1000.00")
		wantReport(t, "MONTH, from 2027-02", f.report(t, admin, TestYear, dims("MONTH"), map[string]any{"fromMonth": "2027-02"}),
			"-/-/-/- 0 0 0 0 0 1 1 6 600.00",
			"-/-/-/2027-02 0 0 0 0 0 1 1 6 600.00")
		wantReport(t, "UNIT, to 2026-11", f.report(t, admin, TestYear, dims("UNIT"), map[string]any{"toMonth": "2026-11"}),
			"-/-/-/- 2 5 5 2 0 0 0 0 0.00",
			"Alpha/-/-/- 1 2 2 1 0 0 0 0 0.00",
			"Beta/-/-/- 1 3 3 1 0 0 0 0 0.00")
	})
	t.Run("filters and no grouping", func(t *testing.T) {
		const p2 = "-/-/-/- 1 2 2 1 1 0 1 14 1400.00"
		wantReport(t, "TEMPORARY, no grouping", f.report(t, admin, TestYear, dims(), map[string]any{"nature": "TEMPORARY"}), p2, p2)
		wantReport(t, "no grouping", f.report(t, admin, TestYear, dims(), nil), total, total)
		wantReport(t, "DATA_ANALYSIS of Alpha by nature",
			f.report(t, admin, TestYear, dims("NATURE"), map[string]any{"unitId": f.alpha, "dutyCategory": "DATA_ANALYSIS"}),
			"-/-/-/- 1 1 1 1 1 0 1 5 500.00",
			"-/LONG_TERM/-/- 1 1 1 1 1 0 1 5 500.00")
		wantReport(t, "a month with nothing", f.report(t, admin, TestYear, dims("UNIT"), map[string]any{"fromMonth": "2027-05"}),
			"-/-/-/- 0 0 0 0 0 0 0 0 0.00")
		wantReport(t, "the next year", f.report(t, admin, "2027-2028", dims("UNIT"), nil),
			"-/-/-/- 1 3 0 0 0 0 0 0 0.00",
			"Gamma/-/-/- 1 3 0 0 0 0 0 0 0.00")
	})
	t.Run("unit staff see their own unit", func(t *testing.T) {
		const beta = "Beta/-/-/- 1 3 3 2 1 1 1 10 1000.00"
		own := "-/-/-/- 1 3 3 2 1 1 1 10 1000.00"
		wantReport(t, "Beta's staff", f.report(t, f.s.Unit(t, f.beta), TestYear, dims("UNIT"), nil), own, beta)
		wantReport(t, "Beta's staff naming Beta", f.report(t, f.s.Unit(t, f.beta), TestYear, dims("UNIT"),
			map[string]any{"unitId": f.beta}), own, beta)
		wantReport(t, "Gamma's staff", f.report(t, f.s.Unit(t, f.gamma), TestYear, dims("UNIT", "MONTH"), nil),
			"-/-/-/- 0 0 0 0 0 0 0 0 0.00")
	})
	t.Run("refusals", func(t *testing.T) {
		run := func(token, year string, groupBy []string, filter map[string]any, headers ...string) Response {
			return f.s.Do(t, token, reportQuery, map[string]any{"y": year, "g": groupBy, "f": filter}, headers...)
		}
		WantTopLevel(t, run(f.s.Unit(t, f.beta), TestYear, dims("UNIT"), map[string]any{"unitId": f.alpha}), "NOT_FOUND", f.alpha)
		WantTopLevel(t, run(f.s.Student(t, StudentNos(1, 1)[0]), TestYear, dims("UNIT"), nil), "FORBIDDEN")
		WantTopLevel(t, run("", TestYear, dims("UNIT"), nil), "UNAUTHENTICATED")
		WantTopLevel(t, run(admin, "2019-2020", dims("UNIT"), nil, English...), "NOT_FOUND", "academicYear 2019-2020")
		WantTopLevel(t, run(admin, TestYear, dims("UNIT"), map[string]any{"unitId": "9999"}, English...), "NOT_FOUND", "unit 9999")
		WantTopLevel(t, run(admin, TestYear, dims("UNIT", "MONTH", "UNIT"), nil, English...), "BAD_USER_INPUT", "groupBy", "UNIT")
		WantTopLevel(t, run(admin, TestYear, dims("MONTH"), map[string]any{"fromMonth": "2027-02", "toMonth": "2026-12"}, English...),
			"BAD_USER_INPUT", "fromMonth (2027-02)", "toMonth (2026-12)")
		WantTopLevel(t, run(admin, TestYear, dims("MONTH"), map[string]any{"fromMonth": "2027-13"}), "BAD_USER_INPUT", "2027-13")
	})
	t.Run("one statement whatever the grouping", func(t *testing.T) {
		for _, g := range [][]string{dims(), dims("UNIT"), dims("MONTH"), dims("UNIT", "MONTH"), dims("UNIT", "NATURE", "DUTY_CATEGORY", "MONTH")} {
			for _, filter := range []map[string]any{nil, {"unitId": f.alpha, "nature": "LONG_TERM", "dutyCategory": "DATA_ANALYSIS",
				"fromMonth": "2026-12", "toMonth": "2027-01"}} {
				n, r := f.s.Statements(t, admin, reportQuery, map[string]any{"y": TestYear, "g": g, "f": filter})
				if len(r.Errors) > 0 || n != 1 {
					t.Errorf("groupBy %v filter %v: got %d statements (errors %+v), want 1", g, filter, n, r.Errors)
				}
			}
		}
	})
}
