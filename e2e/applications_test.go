package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// End-to-end tests of applying over HTTP: every refusal of an application, the contact a student
// gives and its warnings, applying again once an application ended, the student's own list, a
// position's myApplication, and one application read back in full by each role. Every refusal
// checks the userErrors code, field and message and that nothing was written.

func TestHireApplyRefusals(t *testing.T) {
	s := NewServer(t)
	const (
		ok, noProfile, notEnrolled, partTime, neither, noRecord, twice = "20260001", "20260002", "20260003", "20260004", "20260005", "20260099", "20260006"
		otherYear                                                      = "20260007"
	)
	unit, open := s.SeedSchool(t, ok, twice)
	s.SeedStudentRows(t, StudentRow(noProfile), With(StudentRow(notEnrolled), "enrolled", false),
		With(StudentRow(partTime), "fullTime", false), With(StudentRow(neither), "enrolled", false, "fullTime", false),
		StudentRow(otherYear))
	for _, no := range []string{notEnrolled, partTime, neither} {
		s.SeedProfile(t, no, ProfileInput(TestYear))
	}
	// otherYear has a profile, but of 2027-2028 only.
	s.UpsertYear(t, YearInputOf("2027-2028"))
	s.SeedProfile(t, otherYear, With(ProfileInput("2027-2028"), "weeklyHours", 10))
	draft := s.SeedPosition(t, unit, "DRAFT", PositionInput("草稿岗位"))
	closed := s.SeedPosition(t, unit, "CLOSED", PositionInput("已关闭岗位"))
	live := s.Apply(t, twice, open)

	cases := []struct {
		name     string
		token    string
		pos      string
		now      string
		input    map[string]any
		en       bool
		topLevel string
		want     []WantErr
	}{
		{name: "draft position", token: s.Student(t, ok), pos: draft, topLevel: "NOT_FOUND"},
		{name: "unknown position", token: s.Student(t, ok), pos: "987654", topLevel: "NOT_FOUND"},
		{name: "before the window", token: s.Student(t, ok), pos: open, now: "2026-10-31T23:59:59+08:00",
			want: []WantErr{{"WINDOW_CLOSED", "input.positionId", []string{"2026-11-01 00:00", "2026-12-31 00:00"}}}},
		{name: "just after the window", token: s.Student(t, ok), pos: open, now: "2026-12-31T00:00:01+08:00",
			want: []WantErr{{"WINDOW_CLOSED", "input.positionId", []string{"2026-12-31 00:00"}}}},
		{name: "long after the window", token: s.Student(t, ok), pos: open, now: "2027-01-05T09:00:00+08:00",
			want: []WantErr{{"WINDOW_CLOSED", "input.positionId", nil}}},
		{name: "closed position", token: s.Student(t, ok), pos: closed,
			want: []WantErr{{"WINDOW_CLOSED", "input.positionId", []string{"已关闭"}}}},
		{name: "closed position en", token: s.Student(t, ok), pos: closed, en: true,
			want: []WantErr{{"WINDOW_CLOSED", "input.positionId", []string{"CLOSED"}}}},
		{name: "no profile", token: s.Student(t, noProfile), pos: open,
			want: []WantErr{{"PROFILE_REQUIRED", AnyField, []string{"2026-2027"}}}},
		{name: "profile of another year only", token: s.Student(t, otherYear), pos: open,
			want: []WantErr{{"PROFILE_REQUIRED", AnyField, []string{"2026-2027"}}}},
		{name: "no profile en", token: s.Student(t, noProfile), pos: open, en: true,
			want: []WantErr{{"PROFILE_REQUIRED", AnyField, []string{"2026-2027", "profile"}}}},
		{name: "not enrolled", token: s.Student(t, notEnrolled), pos: open,
			want: []WantErr{{"NOT_ELIGIBLE", AnyField, []string{"在读"}}}},
		{name: "not enrolled en", token: s.Student(t, notEnrolled), pos: open, en: true,
			want: []WantErr{{"NOT_ELIGIBLE", AnyField, []string{"enrolled"}}}},
		{name: "not full-time", token: s.Student(t, partTime), pos: open,
			want: []WantErr{{"NOT_ELIGIBLE", AnyField, []string{"全日制"}}}},
		{name: "not full-time en", token: s.Student(t, partTime), pos: open, en: true,
			want: []WantErr{{"NOT_ELIGIBLE", AnyField, []string{"full-time"}}}},
		{name: "neither enrolled nor full-time", token: s.Student(t, neither), pos: open,
			want: []WantErr{{"NOT_ELIGIBLE", AnyField, []string{"在读"}}, {"NOT_ELIGIBLE", AnyField, []string{"全日制"}}}},
		{name: "no enrollment record", token: s.Student(t, noRecord), pos: open,
			want: []WantErr{{"NOT_ELIGIBLE", AnyField, []string{noRecord}}}},
		{name: "second live application", token: s.Student(t, twice), pos: open,
			want: []WantErr{{"CONFLICT", "input.positionId", nil}}},
		{name: "empty reason", token: s.Student(t, ok), pos: open, input: map[string]any{"reason": ""},
			want: []WantErr{{"VALIDATION", "input.reason", []string{"理由"}}}},
		{name: "blank reason", token: s.Student(t, ok), pos: open, input: map[string]any{"reason": " \t\n "},
			want: []WantErr{{"VALIDATION", "input.reason", []string{"理由"}}}},
		{name: "reason too long", token: s.Student(t, ok), pos: open, input: map[string]any{"reason": strings.Repeat("理", 1001)},
			want: []WantErr{{"VALIDATION", "input.reason", []string{"1000", "1001"}}}},
		{name: "bad phone", token: s.Student(t, ok), pos: open, input: map[string]any{"phone": "12ab"},
			want: []WantErr{{"VALIDATION", "input.phone", []string{"12ab"}}}},
		{name: "bad email", token: s.Student(t, ok), pos: open, input: map[string]any{"email": "not-an-email"},
			want: []WantErr{{"VALIDATION", "input.email", []string{"not-an-email"}}}},
		{name: "bad phone and email", token: s.Student(t, ok), pos: open, input: map[string]any{"phone": "x", "email": "@"},
			want: []WantErr{{"VALIDATION", "input.phone", nil}, {"VALIDATION", "input.email", nil}}},
		{name: "as unit staff", token: s.Unit(t, unit), pos: open, topLevel: "FORBIDDEN"},
		{name: "as admin", token: s.Admin(t), pos: open, topLevel: "FORBIDDEN"},
		{name: "without a token", token: "", pos: open, topLevel: "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.SetNow(mustTime(t, applyWindowNow))
			if c.now != "" {
				s.SetNow(mustTime(t, c.now))
			}
			defer s.SetNow(mustTime(t, applyWindowNow))
			before := snapshotApplication(t, s, live)
			var headers []string
			if c.en {
				headers = English
			}
			p, r := s.ApplyAs(t, c.token, c.pos, c.input, headers...)
			if c.topLevel != "" {
				WantTopLevel(t, r, c.topLevel)
			} else {
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
				}
				CheckUserErrors(t, p.UserErrors, c.want...)
				if p.Application != nil {
					t.Errorf("application: got %+v, want null", p.Application)
				}
			}
			wantApplicationUnchanged(t, s, live, before)
		})
	}
}

func TestHireApplyAgainAfterEnd(t *testing.T) {
	// A student may hold one live application per position; once it ended, a new one is allowed.
	for _, st := range []string{"WITHDRAWN", "REJECTED", "DECLINED", "DISMISSED"} {
		t.Run(st, func(t *testing.T) {
			s := NewServer(t)
			const no = "20260001"
			unit, pos := s.SeedSchool(t, no)
			old := s.Drive(t, unit, no, pos, st)
			s.SetNow(mustTime(t, "2026-12-01T10:00:00+08:00")) // back inside the window after the dismissal's clock
			p, r := s.ApplyAs(t, s.Student(t, no), pos, nil)
			if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil {
				t.Fatalf("apply after %s: got %+v, errors %+v, want a new application", st, p, r.Errors)
			}
			if p.Application.ID == old || p.Application.Status != "APPLIED" {
				t.Errorf("new application: got id %s status %s, want a new id (old %s) in APPLIED", p.Application.ID, p.Application.Status, old)
			}
			if got := storedApplicationStatus(t, s, old); got != st {
				t.Errorf("old application: got %s, want %s", got, st)
			}
			if got := s.Count(t, `SELECT count(*) FROM applications WHERE student_no = $1`, no); got != 2 {
				t.Errorf("applications: got %d, want 2", got)
			}
			// And the new one is live: a third is a conflict.
			p, _ = s.ApplyAs(t, s.Student(t, no), pos, nil)
			CheckUserErrors(t, p.UserErrors, WantErr{"CONFLICT", "input.positionId", nil})
		})
	}
}

func TestHireApplyContactWarnings(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005", "20260006"}
	_, pos := s.SeedSchool(t, nos...)
	const recPhone = "13800000000" // StudentRow's phone
	cases := []struct {
		name                 string
		no                   string
		input                map[string]any
		en                   bool
		wantPhone, wantEmail string
		wantWarnings         [][]string // parts each warning must contain
	}{
		{name: "omitted: the record's", no: nos[0], wantPhone: recPhone, wantEmail: nos[0] + "@bjmu.edu.cn"},
		{name: "same as the record", no: nos[1], input: map[string]any{"phone": recPhone, "email": nos[1] + "@bjmu.edu.cn"},
			wantPhone: recPhone, wantEmail: nos[1] + "@bjmu.edu.cn"},
		{name: "phone differs", no: nos[2], input: map[string]any{"phone": "13911112222"},
			wantPhone: "13911112222", wantEmail: nos[2] + "@bjmu.edu.cn", wantWarnings: [][]string{{"联系电话", recPhone}}},
		{name: "email differs", no: nos[3], input: map[string]any{"email": "me@example.com"},
			wantPhone: recPhone, wantEmail: "me@example.com", wantWarnings: [][]string{{"邮箱", nos[3] + "@bjmu.edu.cn"}}},
		{name: "both differ", no: nos[4], input: map[string]any{"phone": "010-62345678", "email": "me2@example.com"},
			wantPhone: "010-62345678", wantEmail: "me2@example.com", wantWarnings: [][]string{{"联系电话"}, {"邮箱"}}},
		{name: "phone differs en", no: nos[5], input: map[string]any{"phone": "13911113333"}, en: true,
			wantPhone: "13911113333", wantEmail: nos[5] + "@bjmu.edu.cn", wantWarnings: [][]string{{"phone", recPhone}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var headers []string
			if c.en {
				headers = English
			}
			p, r := s.ApplyAs(t, s.Student(t, c.no), pos, c.input, headers...)
			if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil {
				t.Fatalf("apply: got %+v, errors %+v, want success", p, r.Errors)
			}
			if p.Warnings == nil || len(p.Warnings) != len(c.wantWarnings) {
				t.Fatalf("warnings: got %q, want %d", p.Warnings, len(c.wantWarnings))
			}
			for i, parts := range c.wantWarnings {
				for _, part := range parts {
					if !strings.Contains(p.Warnings[i], part) {
						t.Errorf("warnings[%d]: got %q, want it to contain %q", i, p.Warnings[i], part)
					}
				}
			}
			if a := p.Application; a.Phone != c.wantPhone || a.Email != c.wantEmail {
				t.Errorf("payload contact: got %s %s, want %s %s", a.Phone, a.Email, c.wantPhone, c.wantEmail)
			}
			var db struct{ Phone, Email string }
			if err := s.DB.Get(&db, `SELECT phone, email FROM applications WHERE id = $1`, p.Application.ID); err != nil {
				t.Fatal(err)
			}
			if db.Phone != c.wantPhone || db.Email != c.wantEmail {
				t.Errorf("stored contact: got %s %s, want %s %s", db.Phone, db.Email, c.wantPhone, c.wantEmail)
			}
			// The enrollment record is not touched by an application.
			if got := s.Count(t, `SELECT count(*) FROM students WHERE student_no = $1 AND phone = $2`, c.no, recPhone); got != 1 {
				t.Errorf("enrollment record phone changed: got %d rows with %s, want 1", got, recPhone)
			}
		})
	}
}

// myApplicationsConnection is myApplications as the tests read it: whose, which and in what order.
type myApplicationsConnection struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct {
		Node struct {
			ID, Status string
			Student    struct{ StudentNo string }
			Position   struct{ ID string }
		}
	}
}

// ids returns the applications' ids in the order of the page.
func (c myApplicationsConnection) ids() []string {
	var out []string
	for _, e := range c.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// myApplicationsPage runs myApplications as token with vars (status, first, after).
func myApplicationsPage(t *testing.T, s *Server, token string, vars map[string]any) myApplicationsConnection {
	t.Helper()
	var out struct{ MyApplications myApplicationsConnection }
	s.Do(t, token, `query($status: ApplicationStatus, $first: Int, $after: String) {
		myApplications(status: $status, first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { node { id status student { studentNo } position { id } } } } }`,
		vars).Decode(t, &out)
	return out.MyApplications
}

func TestHireMyApplications(t *testing.T) {
	s := NewServer(t)
	const me, other = "20260001", "20260002"
	unit, p1 := s.SeedSchool(t, me, other)
	p2 := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("岗位二"))
	p3 := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("岗位三"))
	var mine []string // in application order
	for i, p := range []string{p1, p2, p3} {
		s.SetNow(mustTime(t, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 16+i)))
		mine = append(mine, s.Apply(t, me, p))
		s.Apply(t, other, p)
	}
	s.MustTransition(t, s.Student(t, me), "WITHDRAW", mine[1], nil)
	s.SetNow(mustTime(t, "2026-11-20T10:00:00+08:00"))
	mine = append(mine, s.Apply(t, me, p2)) // again, after withdrawing
	tok := s.Student(t, me)

	newestFirst := []string{mine[3], mine[2], mine[1], mine[0]}
	conn := myApplicationsPage(t, s, tok, nil)
	if got := conn.ids(); !slices.Equal(got, newestFirst) || conn.TotalCount != 4 {
		t.Errorf("myApplications: got %v (totalCount %d), want %v (4)", got, conn.TotalCount, newestFirst)
	}
	for _, e := range conn.Edges {
		if e.Node.Student.StudentNo != me {
			t.Errorf("application %s of %s: want only %s's", e.Node.ID, e.Node.Student.StudentNo, me)
		}
	}
	cases := []struct {
		status string
		want   []string
	}{
		{"APPLIED", []string{mine[3], mine[2], mine[0]}},
		{"WITHDRAWN", []string{mine[1]}},
		{"HIRED", nil},
	}
	for _, c := range cases {
		t.Run("status "+c.status, func(t *testing.T) {
			conn := myApplicationsPage(t, s, tok, map[string]any{"status": c.status})
			if got := conn.ids(); !slices.Equal(got, c.want) || conn.TotalCount != len(c.want) {
				t.Errorf("myApplications(%s): got %v (totalCount %d), want %v", c.status, got, conn.TotalCount, c.want)
			}
		})
	}
	t.Run("paging first:2", func(t *testing.T) {
		a := myApplicationsPage(t, s, tok, map[string]any{"first": 2})
		b := myApplicationsPage(t, s, tok, map[string]any{"first": 2, "after": a.PageInfo.EndCursor})
		got := append(a.ids(), b.ids()...)
		if !slices.Equal(got, newestFirst) || !a.PageInfo.HasNextPage || b.PageInfo.HasNextPage || a.TotalCount != 4 || b.TotalCount != 4 {
			t.Errorf("pages: got %v (hasNext %v, %v; totalCount %d, %d), want %v (true, false; 4, 4)",
				got, a.PageInfo.HasNextPage, b.PageInfo.HasNextPage, a.TotalCount, b.TotalCount, newestFirst)
		}
	})
	t.Run("other student sees only theirs", func(t *testing.T) {
		conn := myApplicationsPage(t, s, s.Student(t, other), nil)
		if conn.TotalCount != 3 || len(conn.Edges) != 3 {
			t.Errorf("other's applications: got %d (totalCount %d), want 3", len(conn.Edges), conn.TotalCount)
		}
		for _, id := range conn.ids() {
			if slices.Contains(mine, id) {
				t.Errorf("other's list holds %s, which is %s's", id, me)
			}
		}
	})
	t.Run("unit staff", func(t *testing.T) {
		r := s.Do(t, s.Unit(t, unit), `{ myApplications { totalCount } }`, nil)
		if r.Code() != "FORBIDDEN" {
			t.Errorf("unit staff: got %+v, want FORBIDDEN", r.Errors)
		}
	})
}

func TestHirePositionMyApplication(t *testing.T) {
	s := NewServer(t)
	const me, other, none = "20260001", "20260002", "20260003"
	unit, pos := s.SeedSchool(t, me, other, none)
	first := s.Apply(t, me, pos)
	s.MustTransition(t, s.Student(t, me), "WITHDRAW", first, nil)
	s.SetNow(mustTime(t, "2026-11-16T10:00:00+08:00"))
	newest := s.Apply(t, me, pos)
	otherApp := s.Apply(t, other, pos)

	cases := []struct {
		name, token, want string
	}{
		{"the student: newest", s.Student(t, me), newest},
		{"another student: theirs", s.Student(t, other), otherApp},
		{"a student without one", s.Student(t, none), ""},
		{"unit staff", s.Unit(t, unit), ""},
		{"admin", s.Admin(t), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out struct {
				Position struct {
					MyApplication *struct{ ID, Status string }
				}
			}
			s.Do(t, c.token, `query($id: ID!) { position(id: $id) { myApplication { id status } } }`, map[string]any{"id": pos}).Decode(t, &out)
			got := out.Position.MyApplication
			switch {
			case c.want == "" && got != nil:
				t.Errorf("myApplication: got %+v, want null", got)
			case c.want != "" && (got == nil || got.ID != c.want || got.Status != "APPLIED"):
				t.Errorf("myApplication: got %+v, want %s APPLIED", got, c.want)
			}
		})
	}
	t.Run("in a list of positions", func(t *testing.T) {
		var out struct {
			Positions struct {
				Edges []struct {
					Node struct {
						ID            string
						MyApplication *struct{ ID string }
					}
				}
			}
		}
		s.Do(t, s.Student(t, me), `{ positions { edges { node { id myApplication { id } } } } }`, nil).Decode(t, &out)
		if len(out.Positions.Edges) != 1 || out.Positions.Edges[0].Node.MyApplication == nil || out.Positions.Edges[0].Node.MyApplication.ID != newest {
			t.Errorf("positions: got %+v, want %s with myApplication %s", out.Positions.Edges, pos, newest)
		}
	})
}

func TestHireApplicationRoundTrip(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedStudents(t, no)
	// Slots saved out of order, to see them come back sorted.
	s.SeedProfile(t, no, With(ProfileInput(TestYear), "specialties", "统计分析、海报设计", "weeklyHours", 15, "freeTime", []any{
		map[string]any{"weekday": "WEDNESDAY", "start": "14:00", "end": "16:30"},
		map[string]any{"weekday": "MONDAY", "start": "08:00", "end": "10:00"},
	}))
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("数据整理"))
	stu, staff := s.Student(t, no), s.Unit(t, unit)

	times := []string{
		"2026-11-15T10:00:00+08:00", // apply
		"2026-11-20T09:00:00+08:00", // hire
		"2026-11-21T11:15:00+08:00", // confirm
		"2027-02-03T16:00:00+08:00", // record January
		"2027-02-05T08:45:00+08:00", // correct January
		"2027-02-25T17:00:00+08:00", // record February
		"2027-02-27T12:00:00+08:00", // dismiss
	}
	s.SetNow(mustTime(t, times[0]))
	ap, _ := s.ApplyAs(t, s.Student(t, no), pos, map[string]any{"phone": "13911112222", "reason": "想锻炼数据分析能力"})
	if ap.Application == nil {
		t.Fatalf("apply: %+v", ap)
	}
	id := ap.Application.ID
	s.SetNow(mustTime(t, times[1]))
	s.MustTransition(t, staff, "HIRE", id, nil)
	s.SetNow(mustTime(t, times[2]))
	s.MustTransition(t, stu, "CONFIRM", id, nil)
	s.SetNow(mustTime(t, times[3]))
	s.RecordWork(t, unit, id, "2027-01", 30, "1200.50")
	s.SetNow(mustTime(t, times[4]))
	s.RecordWork(t, unit, id, "2027-01", 31.5, "1300.00")
	s.SetNow(mustTime(t, times[5]))
	s.RecordWork(t, unit, id, "2027-02", 28.5, "1200.00")
	s.SetNow(mustTime(t, times[6]))
	s.MustTransition(t, staff, "DISMISS", id, map[string]any{"reason": "项目提前结束"})

	type entry struct {
		Event     string
		From      *string
		To        string
		At        string
		Actor     string
		ActorRole string
		Note      string
	}
	type view struct {
		Application struct {
			ID, Status, StatusLabel, Phone, Email, Reason, AppliedAt string
			Timeline                                                 []entry
			WorkRecords                                              []struct {
				Month  string
				Hours  float64
				Amount string
			}
			Employment struct {
				ID, StartedAt string
				EndedAt       *string
				EndReason     *string
				HoursWorked   float64
				PaidAmount    string
				WorkRecords   []struct{ Month string }
				Application   struct{ ID string }
			}
			Profile struct {
				Specialties string
				FreeTime    []struct{ Weekday, Start, End string }
			}
			Student  struct{ StudentNo, Name string }
			Position struct{ ID, Title string }
		}
	}
	const q = `query($id: ID!) { application(id: $id) {
		id status statusLabel phone email reason appliedAt
		timeline { event from to at actor actorRole note }
		workRecords { month hours amount }
		employment { id startedAt endedAt endReason hoursWorked paidAmount workRecords { month } application { id } }
		profile { specialties freeTime { weekday start end } }
		student { studentNo name }
		position { id title } } }`
	for _, viewer := range []struct{ name, token string }{{"student", stu}, {"unit", staff}, {"admin", s.Admin(t)}} {
		t.Run(viewer.name, func(t *testing.T) {
			var out view
			s.Do(t, viewer.token, q, map[string]any{"id": id}).Decode(t, &out)
			a := out.Application
			if a.ID != id || a.Status != "DISMISSED" || a.StatusLabel != "已解聘" || a.Phone != "13911112222" ||
				a.Email != no+"@bjmu.edu.cn" || a.Reason != "想锻炼数据分析能力" || a.AppliedAt != times[0] {
				t.Errorf("application: got %+v, want %s DISMISSED 已解聘 with the given contact, reason and time", a, id)
			}
			str := func(s string) *string { return &s }
			su, uu := "s"+no, "u"+unit
			if viewer.name == "student" { // a staff member's step by the office, not the person (TestTimelineActorShown)
				uu = "聘用单位：研究生院"
			}
			want := []entry{
				{"APPLY", nil, "APPLIED", times[0], su, "STUDENT", ""},
				{"HIRE", str("APPLIED"), "HIRED", times[1], uu, "UNIT_STAFF", ""},
				{"CONFIRM", str("HIRED"), "CONFIRMED", times[2], su, "STUDENT", ""},
				{"RECORD_WORK", str("CONFIRMED"), "CONFIRMED", times[3], uu, "UNIT_STAFF", ""},
				{"CORRECT_WORK", str("CONFIRMED"), "CONFIRMED", times[4], uu, "UNIT_STAFF", ""},
				{"RECORD_WORK", str("CONFIRMED"), "CONFIRMED", times[5], uu, "UNIT_STAFF", ""},
				{"DISMISS", str("CONFIRMED"), "DISMISSED", times[6], uu, "UNIT_STAFF", "项目提前结束"},
			}
			if len(a.Timeline) != len(want) {
				t.Fatalf("timeline: got %d entries %+v, want %d", len(a.Timeline), a.Timeline, len(want))
			}
			for i, w := range want {
				g := a.Timeline[i]
				sameFrom := (g.From == nil) == (w.From == nil) && (g.From == nil || *g.From == *w.From)
				if g.Event != w.Event || !sameFrom || g.To != w.To || g.At != w.At || g.Actor != w.Actor || g.ActorRole != w.ActorRole {
					t.Errorf("timeline[%d]: got %+v (from %v), want %+v (from %v)", i, g, g.From, w, w.From)
				}
				if w.Event == "DISMISS" && g.Note != w.Note {
					t.Errorf("timeline[%d].note: got %q, want %q", i, g.Note, w.Note)
				}
			}
			if n := a.Timeline[4].Note; !strings.Contains(n, "1200.50") || !strings.Contains(n, "1300.00") {
				t.Errorf("CORRECT_WORK note: got %q, want old 1200.50 and new 1300.00", n)
			}
			type wr = struct {
				Month  string
				Hours  float64
				Amount string
			}
			if wantW := []wr{{"2027-01", 31.5, "1300.00"}, {"2027-02", 28.5, "1200.00"}}; !slices.Equal(a.WorkRecords, wantW) {
				t.Errorf("workRecords: got %+v, want %+v", a.WorkRecords, wantW)
			}
			e := a.Employment
			if e.ID != id || e.StartedAt != times[2] || e.EndedAt == nil || *e.EndedAt != times[6] || e.EndReason == nil || *e.EndReason != "项目提前结束" ||
				e.HoursWorked != 60 || e.PaidAmount != "2500.00" || len(e.WorkRecords) != 2 || e.WorkRecords[0].Month != "2027-01" ||
				e.WorkRecords[1].Month != "2027-02" || e.Application.ID != id {
				t.Errorf("employment: got %+v, want id %s started %s ended %s, 60h, 2500.00, two months", e, id, times[2], times[6])
			}
			wantSlots := []struct{ Weekday, Start, End string }{{"MONDAY", "08:00", "10:00"}, {"WEDNESDAY", "14:00", "16:30"}}
			if a.Profile.Specialties != "统计分析、海报设计" || !slices.Equal(a.Profile.FreeTime, wantSlots) {
				t.Errorf("profile: got %+v, want the saved specialties and %+v", a.Profile, wantSlots)
			}
			if a.Student.StudentNo != no || a.Student.Name != "学生"+no || a.Position.ID != pos || a.Position.Title != "数据整理" {
				t.Errorf("student and position: got %+v %+v, want %s and %s 数据整理", a.Student, a.Position, no, pos)
			}
		})
	}
}
