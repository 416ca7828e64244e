package db_test

import (
	"errors"
	"reflect"
	"strconv"

	"regexp"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/auth"

	"github.com/zhuguan/zhuguan/service"
)

// An application's copy of its position's unit (migration 00005) is filled in by the database and
// cannot disagree with the position.
func TestApplicationUnitCopy(t *testing.T) {
	ctx := ctxT(t)
	s, d := newStore(t)
	mustYear(t, s, "2026-2027")
	u1, u2 := mustUnit(t, s, "图书馆"), mustUnit(t, s, "档案馆")
	p1 := mustPosition(t, s, positionFixture(u1.ID, "2026-2027", day(2026, 9, 1)))
	p2 := mustPosition(t, s, positionFixture(u2.ID, "2026-2027", day(2026, 9, 1)))
	if _, err := s.UpsertStudents(ctx, []service.Student{studentFixture("20260001")}); err != nil {
		t.Fatal(err)
	}
	a, err := s.InsertApplication(ctx, service.Application{PositionID: p1.ID, StudentNo: "20260001", Status: service.AppApplied,
		Phone: "13800138000", Email: "a@example.edu.cn", Reason: "想参与", AppliedAt: day(2026, 9, 2)})
	if err != nil {
		t.Fatal(err)
	}
	unitOf := func() int64 {
		var id int64
		if err := d.GetContext(ctx, &id, `SELECT unit_id FROM applications WHERE id = $1`, a.ID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if got := unitOf(); got != u1.ID {
		t.Errorf("unit of a new application: got %d, want its position's %d", got, u1.ID)
	}
	if _, err := d.ExecContext(ctx, `UPDATE applications SET unit_id = $2 WHERE id = $1`, a.ID, u2.ID); err == nil {
		t.Errorf("setting another unit than the position's: got nil, want a foreign key violation")
	}
	if _, err := d.ExecContext(ctx, `UPDATE applications SET position_id = $2 WHERE id = $1`, a.ID, p2.ID); err != nil {
		t.Fatal(err)
	}
	if got := unitOf(); got != u2.ID {
		t.Errorf("unit after moving to another unit's position: got %d, want %d", got, u2.ID)
	}

	// An application for a position that does not exist is the position's foreign key violation.
	_, err = s.InsertApplication(ctx, service.Application{PositionID: p2.ID + 1000, StudentNo: "20260001", Status: service.AppApplied,
		Phone: "13800138000", Email: "a@example.edu.cn", Reason: "想参与", AppliedAt: day(2026, 9, 2)})
	var ce *service.ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "applications_position_id_fkey" || ce.Unique {
		t.Errorf("application for a missing position: got %v, want a foreign key violation of applications_position_id_fkey", err)
	}
}

// The partial history indexes repeat the history statuses as literals; PostgreSQL uses them only
// while their predicate matches the statement's, so they must list exactly service.HistoryStatuses.
func TestHistoryIndexesMatchStatuses(t *testing.T) {
	ctx := ctxT(t)
	_, d := newStore(t)
	var defs []string
	if err := d.SelectContext(ctx, &defs, `SELECT indexdef FROM pg_indexes
		WHERE tablename = 'applications' AND indexname LIKE 'applications_history_%' ORDER BY indexname`); err != nil {
		t.Fatal(err)
	}
	if len(defs) != 3 {
		t.Fatalf("history indexes: got %d (%v), want student, position and unit", len(defs), defs)
	}
	quoted := regexp.MustCompile(`'([A-Z_]+)'`)
	for _, def := range defs {
		var got []string
		for _, m := range quoted.FindAllStringSubmatch(def, -1) {
			got = append(got, m[1])
		}
		want := make([]string, len(service.HistoryStatuses))
		for i, s := range service.HistoryStatuses {
			want[i] = string(s)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: statuses %v, want %v", def, got, want)
		}
	}
}

// The schema repeats the service's definitions where SQL must hold a literal: CHECK constraints
// behind every enum and status rule, and the predicates of partial indexes (which PostgreSQL uses
// only while they match the statement's, and the statements are built from the Go lists). Each
// such list must be exactly its Go definition; every CHECK or predicate that lists values must be
// accounted for here, so a new one cannot drift unnoticed.
func TestSchemaListsMatchTheService(t *testing.T) {
	ctx := ctxT(t)
	_, d := newStore(t)
	type def struct{ Table, Name, Def string }
	var defs []def
	if err := d.SelectContext(ctx, &defs, `
		SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
			FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace
		UNION ALL
		SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '% WHERE %'
		ORDER BY 1, 2`); err != nil {
		t.Fatal(err)
	}
	// Each expectation names a table and a part of the definition (or the index name) that
	// identifies it; the first that fits a definition is compared with it, so specific ones come first.
	want := []struct {
		table, contains string
		values          []string
	}{
		{"positions", "published_at IS NOT NULL", strs(service.PublishedStatuses)},
		{"positions", "nature", strs(service.AllNatures)},
		{"positions", "duty_category", strs(service.AllDutyCategories)},
		{"students", "degree", strs(service.AllDegrees)},
		{"profiles", "natures", strs(service.AllNatures)},
		{"applications", "started_at IS NOT NULL", strs(service.EmployedStatuses)},
		{"applications", "ended_at IS NOT NULL", strs(service.EndedStatuses)},
		{"applications", "end_reason IS NOT NULL", strs(service.EndedStatuses)},
		{"applications", "applications_one_live_idx", strs(service.LiveStatuses)},
		{"applications", "applications_history_student_idx", strs(service.HistoryStatuses)},
		{"applications", "applications_history_position_idx", strs(service.HistoryStatuses)},
		{"applications", "applications_history_unit_idx", strs(service.HistoryStatuses)},
		{"application_events", "application_events_hired_idx", strs([]service.ApplicationStatus{service.ReportHireEntry})},
		{"application_events", "event", strs(service.AllEvents)},
		{"application_events", "actor_role", strs(auth.AllRoles)},
		{"history_preferences", "columns", strs(service.AllHistoryColumns)},
		{"nominations", "reviewed_at IS NOT NULL", strs(service.ReviewedStatuses)},
		{"nominations", "reviewer IS NOT NULL", strs(service.ReviewedStatuses)},
		{"nominations", "review_comment IS NULL", strs(service.ReviewedStatuses)},
		{"nominations", "nominations_one_per_year_idx", strs(service.WithdrawnStatuses)},
		{"position_events", "from_status", strs(service.AllPositionStatuses)},
		{"position_events", "to_status", strs(service.AllPositionStatuses)},
		{"nomination_events", "from_status", strs(service.AllNominationStatuses)},
		{"nomination_events", "to_status", strs(service.AllNominationStatuses)},
		{"pay_months", "closed_at IS NOT NULL", strs(service.ClosedPayMonthStatuses)},
		{"pay_months", "closed_by IS NOT NULL", strs(service.ClosedPayMonthStatuses)},
		{"pay_months", "(status = ANY", strs(service.AllPayMonthStatuses)},
		{"pay_month_events", "from_status", strs(service.AllPayMonthStatuses)},
		{"pay_month_events", "to_status", strs(service.AllPayMonthStatuses)},
		{"positions", "(status = ANY", strs(service.AllPositionStatuses)},
		{"applications", "(status = ANY", strs(service.AllApplicationStatuses)},
		{"nominations", "(status = ANY", strs(service.AllNominationStatuses)},
	}
	quoted := regexp.MustCompile(`'([A-Z_]+)'`)
	matched := make([]int, len(want))
	for _, c := range defs {
		var got []string
		for _, m := range quoted.FindAllStringSubmatch(c.Def, -1) {
			got = append(got, m[1])
		}
		if len(got) == 0 {
			continue // no list of values: a range or a pattern
		}
		found := false
		for i, w := range want {
			if w.table == c.Table && (strings.Contains(c.Def, w.contains) || c.Name == w.contains) {
				found = true
				matched[i]++
				if strings.Join(got, ",") != strings.Join(w.values, ",") {
					t.Errorf("%s %s: lists %v, want %v as the service defines it (%s)", c.Table, c.Name, got, w.values, c.Def)
				}
				break
			}
		}
		if !found {
			t.Errorf("%s %s lists %v but no Go definition is compared with it: add it to this test (%s)", c.Table, c.Name, got, c.Def)
		}
	}
	for i, w := range want {
		if matched[i] == 0 {
			t.Errorf("%s: no constraint or index contains %q; the schema lost a rule this test expects", w.table, w.contains)
		}
	}
}

// strs is the values of a list of Go string constants.
func strs[S ~string](vs []S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// The CHECK constraints repeat the numeric bounds and lengths of the service's validation (a
// validate tag, or a constant of the rule): every bound a constraint states must be the one the
// service validates, or a valid input would fail as INTERNAL, or an invalid one pass validation.
func TestSchemaLimitsMatchValidation(t *testing.T) {
	ctx := ctxT(t)
	_, d := newStore(t)
	type def struct{ Table, Def string }
	var defs []def
	if err := d.SelectContext(ctx, &defs, `SELECT conrelid::regclass::text AS table, pg_get_constraintdef(oid) AS def
		FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace`); err != nil {
		t.Fatal(err)
	}
	// tag reads the bounds a validate tag sets on field of struct v: notblank is a minimum of
	// one character; max and lte are maximums, gte a minimum, gt a strict one.
	tag := func(v any, field string) map[string]float64 {
		f, ok := reflect.TypeOf(v).FieldByName(field)
		if !ok {
			t.Fatalf("%T has no field %s", v, field)
		}
		out := map[string]float64{}
		for _, rule := range strings.Split(f.Tag.Get("validate"), ",") {
			name, val, _ := strings.Cut(rule, "=")
			n, _ := strconv.ParseFloat(val, 64)
			switch name {
			case "notblank":
				out[">="] = 1
			case "max", "lte":
				out["<="] = n
			case "gte":
				out[">="] = n
			case "gt":
				out[">"] = n
			}
		}
		return out
	}
	cases := []struct {
		table, column string // column as the constraint reads it, e.g. char_length(btrim(title))
		want          map[string]float64
	}{
		{"positions", "char_length(btrim(title))", tag(service.PositionInput{}, "Title")},
		{"positions", "char_length(description)", tag(service.PositionInput{}, "Description")},
		{"positions", "headcount", tag(service.PositionInput{}, "Headcount")},
		{"positions", "pay_fen", tag(service.PositionInput{}, "Pay")},
		{"positions", "weekly_hours", tag(service.PositionInput{}, "WeeklyHours")},
		{"positions", "char_length(work_time_requirement)", tag(service.PositionInput{}, "WorkTimeRequirement")},
		{"units", "char_length(btrim(name))", tag(service.CreateUnitInput{}, "Name")},
		{"students", "char_length(btrim(name))", tag(service.Student{}, "Name")},
		{"students", "char_length(btrim(department))", tag(service.Student{}, "Department")},
		{"profiles", "char_length(specialties)", tag(service.ProfileInput{}, "Specialties")},
		{"profiles", "weekly_hours", tag(service.ProfileInput{}, "WeeklyHours")},
		{"applications", "char_length(btrim(reason))", tag(service.ApplyInput{}, "Reason")},
		{"work_records", "hours", tag(service.WorkRecordInput{}, "Hours")},
		{"work_records", "amount_fen", tag(service.WorkRecordInput{}, "Amount")},
		{"academic_years", "nomination_min_hours", tag(service.AcademicYear{}, "NominationMinHours")},
		{"academic_years", "max_weekly_hours", tag(service.AcademicYear{}, "MaxWeeklyHours")},
		{"academic_years", "max_monthly_hours", tag(service.AcademicYear{}, "MaxMonthlyHours")},
		{"academic_years", "max_concurrent_employments", tag(service.AcademicYear{}, "MaxConcurrentEmployments")},
		{"nominations", "char_length(reason)", map[string]float64{">=": service.MinReasonChars, "<=": service.MaxReasonChars}},
		{"nominations", "char_length(review_comment)", map[string]float64{"<=": service.MaxCommentChars}},
	}
	for _, c := range cases {
		bound := regexp.MustCompile(`\(?` + regexp.QuoteMeta(c.column) + `\)? (>=|<=|>|<) \(?(-?[0-9.]+)`)
		got := map[string]float64{}
		for _, d := range defs {
			if d.Table != c.table {
				continue
			}
			for _, m := range bound.FindAllStringSubmatch(d.Def, -1) {
				n, _ := strconv.ParseFloat(m[2], 64)
				got[m[1]] = n
			}
		}
		if len(got) == 0 {
			t.Errorf("%s: no CHECK bounds %s; the schema lost a limit this test expects", c.table, c.column)
		}
		for op, n := range got {
			if w, ok := c.want[op]; !ok || w != n {
				t.Errorf("%s.%s: the CHECK says %s %v, the service validates %v", c.table, c.column, op, n, c.want)
			}
		}
	}
}

// The rollup of reports (migrations 00008 and 00009) counts what the report statement used to
// count live, so its functions repeat the service's status sets, the hire's timeline entry and the school's
// zone. Each function must hold exactly the fragments built from the Go definitions here, and no
// other status literal, so a changed set or a new literal cannot drift unnoticed.
func TestReportRollupMatchesTheService(t *testing.T) {
	ctx := ctxT(t)
	_, d := newStore(t)
	in := func(vs []service.ApplicationStatus) string { return "a.status IN (" + service.QuoteSQL(vs...) + ")" }
	want := map[string][]string{
		"report_month": {"AT TIME ZONE " + service.QuoteSQL(service.SchoolZone.String())},
		"report_application_cells": {"h.to_status = " + service.QuoteSQL(service.ReportHireEntry),
			in(service.ReportHiredStatuses), in(service.ReportConfirmedStatuses), in(service.ReportDismissedStatuses)},
		"report_cells_of_hire": {in(service.ReportHiredStatuses)},
		// The trigger that calls report_cells_of_hire, as pg_get_triggerdef prints its condition.
		"trigger report_cells_of_hire":        {"(new.to_status = " + service.QuoteSQL(service.ReportHireEntry) + "::text)"},
		"report_cells_of_application":         {},
		"report_cells_of_work":                {},
		"trigger report_cells_of_application": {},
		"trigger report_cells_of_work":        {},
		// The distinct students (migration 00009): the employed ones, and which changes of an
		// application can change them (inserted, deleted, and before and after an update).
		"report_memberships": {in(service.ReportConfirmedStatuses)},
		"report_students_of_application": {in(service.ReportConfirmedStatuses), in(service.ReportConfirmedStatuses),
			in(service.ReportConfirmedStatuses), in(service.ReportConfirmedStatuses)},
		"report_students_move":                          {},
		"report_shard":                                  {},
		"report_students_settle":                        {},
		"trigger report_students_settle":                {},
		"report_students_of_work":                       {},
		"report_students_of_position":                   {},
		"trigger report_students_of_application_insert": {},
		"trigger report_students_of_application_update": {},
		"trigger report_students_of_application_delete": {},
		"trigger report_students_of_work_insert":        {},
		"trigger report_students_of_work_update":        {},
		"trigger report_students_of_work_delete":        {},
		"trigger report_students_of_position":           {},
	}
	var defs []struct{ Name, Def string }
	if err := d.SelectContext(ctx, &defs, `
		SELECT proname AS name, pg_get_functiondef(oid) AS def FROM pg_proc
			WHERE pronamespace = 'public'::regnamespace AND proname LIKE 'report\_%'
		UNION ALL
		SELECT 'trigger ' || tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname LIKE 'report\_%'`); err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`'([A-Z_]+)'`)
	seen := map[string]bool{}
	for _, f := range defs {
		frags, ok := want[f.Name]
		if !ok {
			t.Errorf("%s is not compared with the service's definitions: add it to this test", f.Name)
			continue
		}
		seen[f.Name] = true
		rest := f.Def
		for _, frag := range frags {
			if !strings.Contains(rest, frag) {
				t.Errorf("%s does not hold %q as the service defines it:\n%s", f.Name, frag, f.Def)
			}
			rest = strings.Replace(rest, frag, "", 1)
		}
		for _, m := range literal.FindAllStringSubmatch(rest, -1) {
			if m[1] != "INSERT" && m[1] != "DELETE" { // TG_OP's values are PostgreSQL's, not the service's
				t.Errorf("%s lists %s outside the fragments compared here:\n%s", f.Name, m[0], f.Def)
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s is missing from the schema", name)
		}
	}
}
