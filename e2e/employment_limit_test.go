package e2e

import (
	"testing"
)

// End-to-end tests of one job at a time (每名研究生同时担任岗位数上限): the academic year's
// maxConcurrentEmployments, EMPLOYMENT_LIMIT on confirm, and Application.jobLimitReached.

// jobLimitQuery reads an application's status and jobLimitReached.
const jobLimitQuery = `query($id: ID!) { application(id: $id) { status jobLimitReached } }`

// jobLimitReached reads application id's jobLimitReached as token.
func (s *Server) jobLimitReached(t *testing.T, token, id string) bool {
	t.Helper()
	var out struct {
		Application *struct {
			Status          string
			JobLimitReached bool
		}
	}
	r := s.Do(t, token, jobLimitQuery, map[string]any{"id": id})
	if len(r.Errors) > 0 {
		t.Fatalf("application %s: %+v", id, r.Errors)
	}
	r.Decode(t, &out)
	if out.Application == nil {
		t.Fatalf("application %s: got null", id)
	}
	return out.Application.JobLimitReached
}

// withLimit returns YearInput with maxConcurrentEmployments set to limit (nil: no limit).
func withLimit(limit any) map[string]any {
	in := YearInput()
	in["maxConcurrentEmployments"] = limit
	return in
}

func TestEmploymentLimitYearSetting(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	const q = `mutation($in: AcademicYearInput!) { upsertAcademicYear(input: $in) {
		academicYear { maxConcurrentEmployments } userErrors { code field message } } }`
	type payload struct {
		UpsertAcademicYear struct {
			AcademicYear *struct{ MaxConcurrentEmployments *int }
			UserErrors   []UserError
		}
	}
	stored := func() *int {
		var out struct {
			AcademicYear *struct{ MaxConcurrentEmployments *int }
		}
		s.Do(t, s.Student(t, "20160001"), `query($n: String!) { academicYear(name: $n) { maxConcurrentEmployments } }`,
			map[string]any{"n": TestYear}).Decode(t, &out)
		if out.AcademicYear == nil {
			t.Fatalf("academicYear(%s): got null", TestYear)
		}
		return out.AcademicYear.MaxConcurrentEmployments
	}
	for _, c := range []struct {
		name string
		in   map[string]any
		want *int
	}{
		{"omitted is no limit", YearInput(), nil},
		{"one", withLimit(1), ptr(1)},
		{"three", withLimit(3), ptr(3)},
		{"null is no limit again", withLimit(nil), nil},
	} {
		var out payload
		s.Do(t, admin, q, map[string]any{"in": c.in}).Decode(t, &out)
		CheckUserErrors(t, out.UpsertAcademicYear.UserErrors)
		got := out.UpsertAcademicYear.AcademicYear
		if got == nil || !samePtr(got.MaxConcurrentEmployments, c.want) || !samePtr(stored(), c.want) {
			t.Errorf("%s: got %+v (stored %v), want %v", c.name, got, stored(), show(c.want))
		}
	}
	s.UpsertYear(t, withLimit(2))
	for _, bad := range []int{0, -1} {
		for _, lang := range [][]string{nil, English} {
			var out payload
			s.Do(t, admin, q, map[string]any{"in": withLimit(bad)}, lang...).Decode(t, &out)
			if out.UpsertAcademicYear.AcademicYear != nil {
				t.Errorf("limit %d: got year %+v, want none", bad, out.UpsertAcademicYear.AcademicYear)
			}
			CheckUserErrors(t, out.UpsertAcademicYear.UserErrors, WantErr{"VALIDATION", "input.maxConcurrentEmployments", []string{"1"}})
		}
		if got := stored(); !samePtr(got, ptr(2)) {
			t.Errorf("limit %d refused: stored got %v, want 2 unchanged", bad, show(got))
		}
	}
}

func ptr(n int) *int { return &n }

func samePtr(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func show(p *int) any {
	if p == nil {
		return "null"
	}
	return *p
}

// TestEmploymentLimitConfirm walks the rule: A (January..February) is confirmed, B overlaps it
// (February..March) and C does not (April..May). With a limit of 1, hiring B still works, B shows
// jobLimitReached to everyone who sees it, and confirming it is EMPLOYMENT_LIMIT naming A; C
// confirms. Once A is dismissed, B confirms.
func TestEmploymentLimitConfirm(t *testing.T) {
	const no = "20160501"
	s := NewServer(t)
	unit, _ := s.SeedSchool(t, no)
	other := s.SeedUnit(t, "药学院")
	posA := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("图书整理A"))
	posB := s.SeedPosition(t, other, "PUBLISHED", PositionInput("实验助理B",
		"workStart", "2027-02-01T00:00:00+08:00", "workEnd", "2027-04-01T00:00:00+08:00"))
	posC := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("会议服务C",
		"workStart", "2027-04-01T00:00:00+08:00", "workEnd", "2027-06-01T00:00:00+08:00"))
	stu, admin, staffB := s.Student(t, no), s.Admin(t), s.Unit(t, other)

	a := s.Drive(t, unit, no, posA, "CONFIRMED")
	b := s.Drive(t, other, no, posB, "HIRED")
	if s.jobLimitReached(t, staffB, b) {
		t.Errorf("no limit: jobLimitReached of B got true, want false")
	}
	s.UpsertYear(t, withLimit(1))
	c := s.Drive(t, unit, no, posC, "HIRED") // hiring is not refused for the limit
	for _, v := range []struct{ app, who, token string }{
		{b, "B's unit", staffB}, {b, "admin", admin}, {b, "the student", stu},
		{c, "C's unit", s.Unit(t, unit)}, {c, "admin", admin}, {c, "the student", stu},
	} {
		// B overlaps the confirmed A; C's work period overlaps nothing held.
		if got, want := s.jobLimitReached(t, v.token, v.app), v.app == b; got != want {
			t.Errorf("%s: jobLimitReached of application %s got %v, want %v", v.who, v.app, got, want)
		}
	}
	if s.jobLimitReached(t, admin, a) {
		t.Errorf("jobLimitReached of A itself got true, want false (an employment does not count against itself)")
	}
	var applicants struct {
		Applicants struct {
			Edges []struct {
				Node struct {
					ID              string
					JobLimitReached bool
				}
			}
		}
	}
	s.Do(t, staffB, `query($p: ID!) { applicants(positionId: $p) { edges { node { id jobLimitReached } } } }`,
		map[string]any{"p": posB}).Decode(t, &applicants)
	if e := applicants.Applicants.Edges; len(e) != 1 || e[0].Node.ID != b || !e[0].Node.JobLimitReached {
		t.Errorf("applicants of B: got %+v, want %s with jobLimitReached", e, b)
	}

	for _, lang := range []struct {
		headers []string
		parts   []string
	}{
		{nil, []string{"图书整理A", TestYear, "1"}},
		{English, []string{"图书整理A", TestYear, "at most 1"}},
	} {
		p, r := s.Transition(t, stu, "CONFIRM", b, nil, lang.headers...)
		if len(r.Errors) > 0 || p.Application != nil {
			t.Fatalf("confirm B: got %+v, errors %+v, want EMPLOYMENT_LIMIT", p, r.Errors)
		}
		CheckUserErrors(t, p.UserErrors, WantErr{"EMPLOYMENT_LIMIT", "", lang.parts})
	}
	d := readRacedApplication(t, s, b)
	if d.Status != "HIRED" || d.Employment != nil {
		t.Errorf("B after refusal: got %s with employment %v, want HIRED without one", d.Status, d.Employment)
	}
	checkRacedTimeline(t, b, d, "APPLY", "HIRE")

	s.MustTransition(t, stu, "CONFIRM", c, nil)
	s.MustTransition(t, s.Unit(t, unit), "DISMISS", a, nil)
	if s.jobLimitReached(t, staffB, b) {
		t.Errorf("after A's dismissal: jobLimitReached of B got true, want false (dismissed ones do not count)")
	}
	s.MustTransition(t, stu, "CONFIRM", b, nil)
	if n := s.Count(t, `select count(*) from applications where student_no=$1 and status='CONFIRMED'`, no); n != 2 {
		t.Errorf("database: got %d CONFIRMED, want 2 (B and C, which do not overlap)", n)
	}
}

// TestEmploymentLimitWithHoursCap: confirming B (12 hours a week) beside a confirmed A (12 hours,
// overlapping) under a limit of 1 and a weekly cap of 20 breaks both rules: both errors come back.
func TestEmploymentLimitWithHoursCap(t *testing.T) {
	const no = "20160502"
	s := NewServer(t)
	unit, _ := s.SeedSchool(t, no)
	s.UpsertYear(t, withLimit(1))
	posA := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("每周12小时A", "weeklyHours", 12))
	posB := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("每周12小时B", "weeklyHours", 12,
		"workStart", "2027-02-01T00:00:00+08:00", "workEnd", "2027-04-01T00:00:00+08:00"))
	s.Drive(t, unit, no, posA, "CONFIRMED")
	b := s.Drive(t, unit, no, posB, "HIRED")
	p, r := s.Transition(t, s.Student(t, no), "CONFIRM", b, nil)
	if len(r.Errors) > 0 || p.Application != nil {
		t.Fatalf("confirm B: got %+v, errors %+v, want HOURS_CAP and EMPLOYMENT_LIMIT", p, r.Errors)
	}
	CheckUserErrorsAnyOrder(t, p.UserErrors, WantErr{"HOURS_CAP", "", []string{"12", "20"}},
		WantErr{"EMPLOYMENT_LIMIT", "", []string{"每周12小时A"}})
	if n := s.Count(t, `select count(*) from applications where id=$1 and status='HIRED' and started_at is null`, b); n != 1 {
		t.Errorf("database: B got changed, want HIRED without an employment")
	}
}

// TestConcurrencyConfirmsRaceForLastPlace: under a limit of 2, a student who holds one employment
// confirms two more overlapping HIRED applications at once (5 hours a week each, far below the
// cap): exactly one is CONFIRMED, the other EMPLOYMENT_LIMIT. The student's row serialises them.
func TestConcurrencyConfirmsRaceForLastPlace(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(511, 5)
	unit, _ := s.SeedSchool(t, nos...)
	s.UpsertYear(t, withLimit(2))
	in := func(title string) map[string]any { return PositionInput(title, "weeklyHours", 5, "headcount", 10) }
	held, posA, posB := s.SeedPosition(t, unit, "PUBLISHED", in("已担任")), s.SeedPosition(t, unit, "PUBLISHED", in("竞争A")),
		s.SeedPosition(t, unit, "PUBLISHED", in("竞争B"))
	for _, no := range nos {
		s.Drive(t, unit, no, held, "CONFIRMED")
		ids := []string{s.Drive(t, unit, no, posA, "HIRED"), s.Drive(t, unit, no, posB, "HIRED")}
		raceTwoConfirms(t, s, no, ids, "EMPLOYMENT_LIMIT", 2)
	}
}

// TestStatementsJobLimitReached: jobLimitReached costs one statement for a page of applicants,
// whatever its size, and reads right on the seeded school: student 0 holds confirmed employments
// overlapping positions[0], the others apply to positions[0] only.
func TestStatementsJobLimitReached(t *testing.T) {
	f := seedPages(t)
	s := f.s
	s.UpsertYear(t, withLimit(1))
	staff := s.Unit(t, f.units[0])
	const without = `query($n: Int, $p: ID!) { applicants(positionId: $p, first: $n) { edges { node { id status student { studentNo } } } } }`
	const with = `query($n: Int, $p: ID!) { applicants(positionId: $p, first: $n) { edges { node { id status student { studentNo } jobLimitReached } } } }`
	vars := map[string]any{"p": f.positions[0]}
	rows := func(t *testing.T, r Response) int {
		var out struct {
			Applicants struct {
				Edges []struct {
					Node struct {
						Status          string
						Student         struct{ StudentNo string }
						JobLimitReached *bool
					}
				}
			}
		}
		r.Decode(t, &out)
		for _, e := range out.Applicants.Edges {
			n := e.Node
			if n.JobLimitReached == nil {
				continue // the query without the field
			}
			if want := n.Student.StudentNo == pageStudent(0); *n.JobLimitReached != want {
				t.Errorf("applicant %s (%s): jobLimitReached got %v, want %v", n.Student.StudentNo, n.Status, *n.JobLimitReached, want)
			}
		}
		return len(out.Applicants.Edges)
	}
	name := "applicants with jobLimitReached"
	small, large := comparePageCosts(t, s, name, staff, with, vars, 100, pageRows, rows)
	wantSameCost(t, name, small, large)
	_, base := comparePageCosts(t, s, "applicants without it", staff, without, vars, 100, pageRows, rows)
	if large != base+1 {
		t.Errorf("jobLimitReached: got %d statements, %d without it; want exactly one more", large, base)
	}
}
