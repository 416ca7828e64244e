package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// End-to-end tests of academic years (学年): upsertAcademicYear's rules, the list and the lookup.

const (
	// upsertAcademicYearMutation creates or changes the year $in names, returning every field.
	upsertAcademicYearMutation = `mutation($in: AcademicYearInput!) { upsertAcademicYear(input: $in) {
		academicYear { name startDate endDate nominationOpensAt nominationClosesAt nominationMinHours maxWeeklyHours maxMonthlyHours }
		userErrors { code field message } } }`
	// academicYearQuery looks the year $n up by name.
	academicYearQuery = `query($n: String!) { academicYear(name: $n) {
		name startDate endDate nominationOpensAt nominationClosesAt nominationMinHours maxWeeklyHours maxMonthlyHours } }`
)

// academicYearNode is an AcademicYear as the API returns it.
type academicYearNode struct {
	Name               string
	StartDate          string
	EndDate            string
	NominationOpensAt  string
	NominationClosesAt string
	NominationMinHours float64
	MaxWeeklyHours     int
	MaxMonthlyHours    float64
}

// academicYearPayload is the data of upsertAcademicYearMutation.
type academicYearPayload struct {
	UpsertAcademicYear struct {
		AcademicYear *academicYearNode
		UserErrors   []UserError
	}
}

func TestAccountsAcademicYearUpsert(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	years := func() int { return s.Count(t, "SELECT count(*) FROM academic_years") }

	t.Run("create", func(t *testing.T) {
		var out academicYearPayload
		s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": YearInput()}).Decode(t, &out)
		CheckUserErrorsAnyOrder(t, out.UpsertAcademicYear.UserErrors)
		want := academicYearNode{Name: TestYear, StartDate: "2026-09-01", EndDate: "2027-07-31",
			NominationOpensAt: "2027-06-01T00:00:00+08:00", NominationClosesAt: "2027-06-30T23:59:59+08:00",
			NominationMinHours: 40, MaxWeeklyHours: 20, MaxMonthlyHours: 60}
		if out.UpsertAcademicYear.AcademicYear == nil || *out.UpsertAcademicYear.AcademicYear != want {
			t.Fatalf("created year: got %+v, want %+v", out.UpsertAcademicYear.AcademicYear, want)
		}
		if got := years(); got != 1 {
			t.Fatalf("rows: got %d, want 1", got)
		}
	})

	t.Run("update by name", func(t *testing.T) {
		in := With(YearInput(), "endDate", "2027-08-31", "nominationOpensAt", "2027-05-31T16:00:00Z",
			"nominationMinHours", 30.5, "maxWeeklyHours", 25, "maxMonthlyHours", 80)
		var out academicYearPayload
		s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": in}).Decode(t, &out)
		CheckUserErrorsAnyOrder(t, out.UpsertAcademicYear.UserErrors)
		want := academicYearNode{Name: TestYear, StartDate: "2026-09-01", EndDate: "2027-08-31",
			NominationOpensAt: "2027-06-01T00:00:00+08:00", NominationClosesAt: "2027-06-30T23:59:59+08:00",
			NominationMinHours: 30.5, MaxWeeklyHours: 25, MaxMonthlyHours: 80}
		if out.UpsertAcademicYear.AcademicYear == nil || *out.UpsertAcademicYear.AcademicYear != want {
			t.Fatalf("updated year: got %+v, want %+v", out.UpsertAcademicYear.AcademicYear, want)
		}
		if got := years(); got != 1 {
			t.Fatalf("rows after update: got %d, want 1", got)
		}
		var q struct{ AcademicYear *academicYearNode }
		s.Do(t, s.Student(t, "20160001"), academicYearQuery, map[string]any{"n": TestYear}).Decode(t, &q)
		if q.AcademicYear == nil || *q.AcademicYear != want {
			t.Fatalf("academicYear(name) after update: got %+v, want %+v", q.AcademicYear, want)
		}
	})

	t.Run("rules", func(t *testing.T) {
		fresh := YearInputOf("2030-2031")
		cases := []struct {
			name  string
			in    map[string]any
			field string
			msg   []string
		}{
			{"name 2026-2028", With(fresh, "name", "2026-2028"), "input.name", []string{"2026-2028"}},
			{"name 2026", With(fresh, "name", "2026"), "input.name", []string{"2026"}},
			{"name abcd-efgh", With(fresh, "name", "abcd-efgh"), "input.name", []string{"abcd-efgh"}},
			{"name empty", With(fresh, "name", ""), "input.name", nil},
			{"startDate == endDate", With(fresh, "endDate", "2030-09-01"), "input.endDate", []string{"2030-09-01"}},
			{"startDate > endDate", With(fresh, "endDate", "2030-08-31"), "input.endDate", []string{"2030-08-31"}},
			{"opens == closes", With(fresh, "nominationClosesAt", "2031-06-01T00:00:00+08:00"), "input.nominationClosesAt", nil},
			{"opens > closes", With(fresh, "nominationClosesAt", "2031-05-01T00:00:00+08:00"), "input.nominationClosesAt", nil},
			{"nominationMinHours -1", With(fresh, "nominationMinHours", -1), "input.nominationMinHours", []string{"-1"}},
			{"maxWeeklyHours 0", With(fresh, "maxWeeklyHours", 0), "input.maxWeeklyHours", []string{"0"}},
			{"maxWeeklyHours 169", With(fresh, "maxWeeklyHours", 169), "input.maxWeeklyHours", []string{"168", "169"}},
			{"maxMonthlyHours 0", With(fresh, "maxMonthlyHours", 0), "input.maxMonthlyHours", []string{"0"}},
			{"maxMonthlyHours 745", With(fresh, "maxMonthlyHours", 745), "input.maxMonthlyHours", []string{"744", "745"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var out academicYearPayload
				s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": c.in}, English...).Decode(t, &out)
				CheckUserErrorsAnyOrder(t, out.UpsertAcademicYear.UserErrors, WantErr{"VALIDATION", c.field, c.msg})
				NoChinese(t, out.UpsertAcademicYear.UserErrors)
				if out.UpsertAcademicYear.AcademicYear != nil {
					t.Errorf("academicYear: got %+v, want null", *out.UpsertAcademicYear.AcademicYear)
				}
				if got := years(); got != 1 {
					t.Errorf("rows: got %d, want 1", got)
				}
			})
		}
		t.Run("several bad fields at once", func(t *testing.T) {
			in := With(fresh, "name", "2030", "endDate", "2030-01-01", "maxWeeklyHours", 0, "maxMonthlyHours", 745)
			r := s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": in}, English...)
			CheckUserErrorsAnyOrder(t, r.UserErrors(t, "upsertAcademicYear"),
				WantErr{"VALIDATION", "input.name", nil}, WantErr{"VALIDATION", "input.endDate", nil},
				WantErr{"VALIDATION", "input.maxWeeklyHours", nil}, WantErr{"VALIDATION", "input.maxMonthlyHours", nil})
		})
		t.Run("a refused update leaves the year as it was", func(t *testing.T) {
			r := s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": With(YearInput(), "maxWeeklyHours", 0, "endDate", "2027-12-31")}, English...)
			CheckUserErrorsAnyOrder(t, r.UserErrors(t, "upsertAcademicYear"), WantErr{"VALIDATION", "input.maxWeeklyHours", nil})
			var q struct{ AcademicYear *academicYearNode }
			s.Do(t, admin, academicYearQuery, map[string]any{"n": TestYear}).Decode(t, &q)
			if q.AcademicYear == nil || q.AcademicYear.MaxWeeklyHours != 25 || q.AcademicYear.EndDate != "2027-08-31" {
				t.Errorf("year after refused update: got %+v, want maxWeeklyHours 25, endDate 2027-08-31", q.AcademicYear)
			}
		})
	})

	t.Run("bad scalars", func(t *testing.T) {
		cases := []struct {
			name string
			in   map[string]any
		}{
			{"Date 2026-02-30", With(YearInput(), "name", "2031-2032", "startDate", "2026-02-30")},
			{"Date 2026-9-1", With(YearInput(), "name", "2031-2032", "startDate", "2026-9-1")},
			{"Time without offset", With(YearInput(), "name", "2031-2032", "nominationOpensAt", "2027-06-01T00:00:00")},
			{"Time date only", With(YearInput(), "name", "2031-2032", "nominationClosesAt", "2027-06-30")},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": c.in}, English...)
				WantTopLevel(t, r, "BAD_USER_INPUT")
				if got := years(); got != 1 {
					t.Errorf("rows: got %d, want 1", got)
				}
			})
		}
		t.Run("inline literal", func(t *testing.T) {
			r := s.Do(t, admin, `mutation { upsertAcademicYear(input: {name: "2031-2032", startDate: "2031-02-30", endDate: "2032-07-31",
				nominationOpensAt: "2032-06-01T00:00:00+08:00", nominationClosesAt: "2032-06-30T00:00:00+08:00",
				nominationMinHours: 1, maxWeeklyHours: 10, maxMonthlyHours: 10}) { userErrors { code } } }`, nil, English...)
			WantTopLevel(t, r, "BAD_USER_INPUT")
			if got := years(); got != 1 {
				t.Errorf("rows: got %d, want 1", got)
			}
		})
	})

	t.Run("list newest first and lookup", func(t *testing.T) {
		for _, y := range []string{"2024-2025", "2025-2026"} {
			s.UpsertYear(t, YearInputOf(y))
		}
		unit := s.SeedUnit(t, "研究生院")
		for _, tok := range []string{admin, s.Student(t, "20160001"), s.Unit(t, unit)} {
			var out struct{ AcademicYears []academicYearNode }
			s.Do(t, tok, `{ academicYears { name startDate } }`, nil).Decode(t, &out)
			var names []string
			for _, y := range out.AcademicYears {
				names = append(names, y.Name)
			}
			if got, want := strings.Join(names, ","), "2026-2027,2025-2026,2024-2025"; got != want {
				t.Errorf("academicYears: got %s, want %s", got, want)
			}
		}
		for _, name := range []string{"1999-2000", "garbage"} {
			var q struct{ AcademicYear *academicYearNode }
			s.Do(t, admin, academicYearQuery, map[string]any{"n": name}).Decode(t, &q)
			if q.AcademicYear != nil {
				t.Errorf("academicYear(%q): got %+v, want null", name, *q.AcademicYear)
			}
		}
	})
}

// Hours settings are Float in the API but numeric(…,1) in the database: a value the validation
// accepts must either be stored as given or be refused as a VALIDATION userError.
func TestAccountsAcademicYearFractionalHours(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	cases := []struct {
		name, field string
		value       float64
	}{
		{"maxMonthlyHours 0.04", "maxMonthlyHours", 0.04},
		{"maxMonthlyHours 60.55", "maxMonthlyHours", 60.55},
		{"nominationMinHours 40.25", "nominationMinHours", 40.25},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			y := 2030 + i
			in := With(YearInputOf(fmt.Sprintf("%d-%d", y, y+1)), c.field, c.value)
			r := s.Do(t, admin, upsertAcademicYearMutation, map[string]any{"in": in}, English...)
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %s %q, want the value stored as given or a VALIDATION userError on input.%s",
					r.Code(), r.Errors[0].Message, c.field)
			}
			var out academicYearPayload
			r.Decode(t, &out)
			if len(out.UpsertAcademicYear.UserErrors) > 0 {
				CheckUserErrorsAnyOrder(t, out.UpsertAcademicYear.UserErrors, WantErr{"VALIDATION", "input." + c.field, nil})
				return
			}
			got := out.UpsertAcademicYear.AcademicYear.MaxMonthlyHours
			if c.field == "nominationMinHours" {
				got = out.UpsertAcademicYear.AcademicYear.NominationMinHours
			}
			if got != c.value {
				t.Errorf("%s: got %v stored, want %v as given (or a VALIDATION userError)", c.field, got, c.value)
			}
		})
	}
}
