package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// End-to-end tests of the hire state machine's transitions over HTTP: every arrow and every
// refusal, who may act on what, the dismissal's reason and the rejection's note, the headcount and
// the weekly hours cap, and one full cycle. Every refusal checks the userErrors code, field and
// message and that nothing was written.

// applyWindowNow is the clock NewServer starts with; it lies inside PositionInput's application
// window, so tests that move the clock move it back here to apply.
const applyWindowNow = "2026-11-15T10:00:00+08:00"

// applicationStatusLabels are all application statuses with their Chinese labels.
var applicationStatusLabels = []struct{ Name, Label string }{
	{"APPLIED", "已申请"}, {"HIRED", "已聘用"}, {"CONFIRMED", "已聘已确认"}, {"REJECTED", "未录用"},
	{"DECLINED", "已放弃"}, {"WITHDRAWN", "已撤回"}, {"DISMISSED", "已解聘"},
}

// applicationSnapshot is what a refused request must leave as it was.
type applicationSnapshot struct {
	Status, EndedAt, EndReason   string // of the application ("" when none is watched)
	Events, Works                int    // of the application
	AllApps, AllEvents, AllWorks int    // in the whole database
	Work                         string // the application's work records, month:hours:fen
}

// snapshotApplication reads application id's row, timeline and work records, and the whole
// database's counts of applications, timeline entries and work records.
func snapshotApplication(t *testing.T, s *Server, id string) applicationSnapshot {
	t.Helper()
	snap := applicationSnapshot{
		AllApps:   s.Count(t, `SELECT count(*) FROM applications`),
		AllEvents: s.Count(t, `SELECT count(*) FROM application_events`),
		AllWorks:  s.Count(t, `SELECT count(*) FROM work_records`),
	}
	var row struct {
		Status, EndedAt, EndReason, Work string
	}
	if err := s.DB.Get(&row, `SELECT status, coalesce(ended_at::text, '') AS endedat, coalesce(end_reason, '') AS endreason,
		coalesce((SELECT string_agg(month || ':' || hours || ':' || amount_fen, ',' ORDER BY month) FROM work_records WHERE application_id = a.id), '') AS work
		FROM applications a WHERE id = $1`, id); err != nil {
		t.Fatalf("application %s: %v", id, err)
	}
	snap.Status, snap.EndedAt, snap.EndReason, snap.Work = row.Status, row.EndedAt, row.EndReason, row.Work
	snap.Events = s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, id)
	snap.Works = s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1`, id)
	return snap
}

// wantApplicationUnchanged fails when the database differs from before.
func wantApplicationUnchanged(t *testing.T, s *Server, id string, before applicationSnapshot) {
	t.Helper()
	if got := snapshotApplication(t, s, id); got != before {
		t.Errorf("database changed by a refused request: got %+v, want %+v", got, before)
	}
}

// storedApplicationStatus is an application's status in the database.
func storedApplicationStatus(t *testing.T, s *Server, id string) string {
	t.Helper()
	var st string
	if err := s.DB.Get(&st, `SELECT status FROM applications WHERE id = $1`, id); err != nil {
		t.Fatalf("status of %s: %v", id, err)
	}
	return st
}

func TestHireTransitionMatrix(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(1, 14)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("矩阵", "headcount", 50))
	next := 0
	student := func() string { next++; return nos[next-1] }

	for _, st := range applicationStatusLabels {
		no := student()
		id := s.Drive(t, unit, no, pos, st.Name)
		for _, op := range Events {
			arrow := Arrows[op]
			tokenFor := func(no string) string {
				if arrow.ByStudent {
					return s.Student(t, no)
				}
				return s.Unit(t, unit)
			}
			if arrow.From == st.Name {
				t.Run(st.Name+"/"+op+"/allowed", func(t *testing.T) {
					fresh := student()
					fid := s.Drive(t, unit, fresh, pos, st.Name)
					events := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, fid)
					p := s.MustTransition(t, tokenFor(fresh), op, fid, nil)
					if got := storedApplicationStatus(t, s, fid); got != arrow.To {
						t.Errorf("stored status: got %s, want %s", got, arrow.To)
					}
					if got := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1 AND event = $2 AND from_status = $3 AND to_status = $4`,
						fid, op, arrow.From, arrow.To); got != 1 {
						t.Errorf("timeline entries %s %s->%s: got %d, want 1", op, arrow.From, arrow.To, got)
					}
					if got := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, fid); got != events+1 {
						t.Errorf("timeline length: got %d, want %d", got, events+1)
					}
					if hasEmployment := arrow.To == "CONFIRMED" || arrow.To == "DISMISSED"; (p.Application.Employment != nil) != hasEmployment {
						t.Errorf("employment after %s: got %+v, want present %v", op, p.Application.Employment, hasEmployment)
					}
					if want := map[string]string{"WITHDRAWN": "已撤回", "HIRED": "已聘用", "REJECTED": "未录用", "CONFIRMED": "已聘已确认", "DECLINED": "已放弃", "DISMISSED": "已解聘"}[arrow.To]; p.Application.StatusLabel != want {
						t.Errorf("statusLabel: got %s, want %s", p.Application.StatusLabel, want)
					}
				})
				continue
			}
			t.Run(st.Name+"/"+op+"/refused", func(t *testing.T) {
				for _, en := range []bool{false, true} {
					before := snapshotApplication(t, s, id)
					var headers []string
					want := st.Label // Chinese label by default
					if en {
						headers, want = English, st.Name
					}
					p, r := s.Transition(t, tokenFor(no), op, id, nil, headers...)
					if len(r.Errors) > 0 {
						t.Fatalf("top-level errors: got %+v, want INVALID_TRANSITION", r.Errors)
					}
					CheckUserErrors(t, p.UserErrors, WantErr{"INVALID_TRANSITION", AnyField, []string{want}})
					if en && strings.Contains(p.UserErrors[0].Message, "申请当前状态") {
						t.Errorf("message: got %q, want English", p.UserErrors[0].Message)
					}
					if !en && strings.Contains(p.UserErrors[0].Message, "the application is") {
						t.Errorf("message: got %q, want Chinese", p.UserErrors[0].Message)
					}
					if p.Application != nil {
						t.Errorf("application: got %+v, want null", p.Application)
					}
					wantApplicationUnchanged(t, s, id, before)
				}
			})
		}
	}
}

func TestHireCrossRoleAndUnit(t *testing.T) {
	s := NewServer(t)
	const a, b, c, d = "20260001", "20260002", "20260003", "20260004"
	unit, pos := s.SeedSchool(t, a, b, c, d)
	other := s.SeedUnit(t, "药学院")
	otherPos := s.SeedPosition(t, other, "PUBLISHED", PositionInput("药学院岗位"))
	stuA, stuB := s.Student(t, a), s.Student(t, b)
	staff, otherStaff, admin := s.Unit(t, unit), s.Unit(t, other), s.Admin(t)

	app := s.Apply(t, a, pos)
	appC := s.Apply(t, c, pos)
	appD := s.Apply(t, d, pos)

	refuse := func(name, token, op, id, code string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := snapshotApplication(t, s, id)
			_, r := s.Transition(t, token, op, id, map[string]any{"note": "x"})
			WantTopLevel(t, r, code)
			wantApplicationUnchanged(t, s, id, before)
		})
	}
	refuseWork := func(name, token, id, code string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := snapshotApplication(t, s, id)
			_, r := s.RecordWorkAs(t, token, id, "2027-01", 10, "100.00")
			WantTopLevel(t, r, code)
			wantApplicationUnchanged(t, s, id, before)
		})
	}

	// APPLIED: the arrows out of it, taken by the wrong people.
	refuse("another student withdraws", stuB, "WITHDRAW", app, "NOT_FOUND")
	refuse("other unit hires", otherStaff, "HIRE", app, "NOT_FOUND")
	refuse("other unit rejects", otherStaff, "REJECT", app, "NOT_FOUND")
	refuse("student hires", stuA, "HIRE", app, "FORBIDDEN")
	refuse("student rejects", stuA, "REJECT", app, "FORBIDDEN")
	refuse("unit withdraws", staff, "WITHDRAW", app, "FORBIDDEN")
	t.Run("unit applies", func(t *testing.T) {
		before := snapshotApplication(t, s, app)
		_, r := s.ApplyAs(t, staff, pos, nil)
		WantTopLevel(t, r, "FORBIDDEN")
		wantApplicationUnchanged(t, s, app, before)
	})

	s.MustTransition(t, staff, "HIRE", app, nil)
	refuse("another student confirms", stuB, "CONFIRM", app, "NOT_FOUND")
	refuse("another student declines", stuB, "DECLINE", app, "NOT_FOUND")
	refuse("unit confirms", staff, "CONFIRM", app, "FORBIDDEN")
	refuse("unit declines", staff, "DECLINE", app, "FORBIDDEN")
	refuse("admin confirms for the student", admin, "CONFIRM", app, "FORBIDDEN")

	s.MustTransition(t, stuA, "CONFIRM", app, nil)
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	refuse("other unit dismisses", otherStaff, "DISMISS", app, "NOT_FOUND")
	refuse("student dismisses", stuA, "DISMISS", app, "FORBIDDEN")
	refuseWork("other unit records work", otherStaff, app, "NOT_FOUND")
	refuseWork("student records work", stuA, app, "FORBIDDEN")
	refuseWork("another student records work", stuB, app, "FORBIDDEN")

	t.Run("admin acts for any unit", func(t *testing.T) {
		if w, r := s.RecordWorkAs(t, admin, app, "2027-01", 10, "100.00"); len(r.Errors) > 0 || len(w.UserErrors) > 0 || w.WorkRecord == nil {
			t.Fatalf("record work as admin: got %+v, errors %+v, want a record", w, r.Errors)
		}
		s.MustTransition(t, admin, "DISMISS", app, nil)
		s.MustTransition(t, admin, "HIRE", appC, nil)
		s.MustTransition(t, admin, "REJECT", appD, map[string]any{"note": "名额已满"})
		if got := s.Count(t, `SELECT count(*) FROM application_events WHERE actor = 'admin' AND actor_role = 'ADMIN'`); got != 4 {
			t.Errorf("admin timeline entries: got %d, want 4", got)
		}
	})

	t.Run("application(id)", func(t *testing.T) {
		cases := []struct {
			name, token, code string
		}{
			{"its student", stuA, ""}, {"its unit", staff, ""}, {"admin", admin, ""},
			{"another student", stuB, "NOT_FOUND"}, {"another unit", otherStaff, "NOT_FOUND"}, {"no token", "", "UNAUTHENTICATED"},
		}
		for _, c := range cases {
			r := s.Do(t, c.token, `query($id: ID!) { application(id: $id) { id status } }`, map[string]any{"id": app})
			if c.code != "" {
				if r.Code() != c.code {
					t.Errorf("%s: got %+v, want %s", c.name, r.Errors, c.code)
				}
				continue
			}
			var out struct{ Application struct{ ID, Status string } }
			r.Decode(t, &out)
			if out.Application.ID != app || out.Application.Status != "DISMISSED" {
				t.Errorf("%s: got %+v, want %s DISMISSED", c.name, out.Application, app)
			}
		}
		// An unknown id looks exactly like another student's.
		r := s.Do(t, stuB, `query($id: ID!) { application(id: $id) { id } }`, map[string]any{"id": "987654"})
		if r.Code() != "NOT_FOUND" {
			t.Errorf("unknown id: got %+v, want NOT_FOUND", r.Errors)
		}
	})

	t.Run("applicants(positionId)", func(t *testing.T) {
		cases := []struct {
			name, token, pos, code string
			want                   int
		}{
			{"its unit", staff, pos, "", 3}, {"admin", admin, pos, "", 3}, {"other unit's own", otherStaff, otherPos, "", 0},
			{"another unit", otherStaff, pos, "NOT_FOUND", 0}, {"unit on another unit's", staff, otherPos, "NOT_FOUND", 0},
			{"unknown position", staff, "987654", "NOT_FOUND", 0}, {"a student", stuA, pos, "FORBIDDEN", 0},
		}
		for _, c := range cases {
			r := s.Do(t, c.token, `query($p: ID!) { applicants(positionId: $p) { totalCount edges { node { id } } } }`, map[string]any{"p": c.pos})
			if c.code != "" {
				if r.Code() != c.code {
					t.Errorf("%s: got %+v, want %s", c.name, r.Errors, c.code)
				}
				continue
			}
			var out struct {
				Applicants struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
			r.Decode(t, &out)
			if out.Applicants.TotalCount != c.want || len(out.Applicants.Edges) != c.want {
				t.Errorf("%s: got %d of %d, want %d", c.name, len(out.Applicants.Edges), out.Applicants.TotalCount, c.want)
			}
		}
	})
}

func TestHireDismissReason(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, pos := s.SeedSchool(t, no)
	id := s.Drive(t, unit, no, pos, "CONFIRMED")
	staff := s.Unit(t, unit)

	for _, reason := range []string{"", "   ", "\t\n"} {
		t.Run(fmt.Sprintf("reason %q", reason), func(t *testing.T) {
			before := snapshotApplication(t, s, id)
			p, r := s.Transition(t, staff, "DISMISS", id, map[string]any{"reason": reason})
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want VALIDATION", r.Errors)
			}
			CheckUserErrors(t, p.UserErrors, WantErr{"VALIDATION", "reason", []string{"理由"}})
			wantApplicationUnchanged(t, s, id, before)
		})
	}
	t.Run("reason too long", func(t *testing.T) {
		before := snapshotApplication(t, s, id)
		p, _ := s.Transition(t, staff, "DISMISS", id, map[string]any{"reason": strings.Repeat("因", 501)})
		CheckUserErrors(t, p.UserErrors, WantErr{"VALIDATION", "reason", []string{"500", "501"}})
		wantApplicationUnchanged(t, s, id, before)
	})

	at := "2027-01-20T09:30:00+08:00"
	s.SetNow(mustTime(t, at))
	const reason = "连续三周未到岗"
	p := s.MustTransition(t, staff, "DISMISS", id, map[string]any{"reason": "  " + reason + "  "})
	e := p.Application.Employment
	if e == nil || e.EndedAt == nil || *e.EndedAt != at || e.EndReason == nil || *e.EndReason != reason {
		t.Fatalf("employment: got %+v, want endedAt %s and endReason %q", e, at, reason)
	}
	if p.Application.StatusLabel != "已解聘" {
		t.Errorf("statusLabel: got %s, want 已解聘", p.Application.StatusLabel)
	}
	if got := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1 AND event = 'DISMISS' AND note = $2`, id, reason); got != 1 {
		t.Errorf("DISMISS timeline entries with the reason as note: got %d, want 1", got)
	}
	if got := s.Count(t, `SELECT count(*) FROM applications WHERE id = $1 AND end_reason = $2 AND ended_at IS NOT NULL`, id, reason); got != 1 {
		t.Errorf("stored end: got %d rows, want 1", got)
	}
}

func TestHireRejectNote(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003"}
	unit, pos := s.SeedSchool(t, nos...)
	staff := s.Unit(t, unit)
	cases := []struct {
		name     string
		no       string
		note     any
		wantNote string
	}{
		{"with a note", nos[0], "专业方向不符", "专业方向不符"},
		{"without a note", nos[1], nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := s.Apply(t, c.no, pos)
			s.MustTransition(t, staff, "REJECT", id, map[string]any{"note": c.note})
			var out struct {
				Application struct {
					Timeline []struct{ Event, Note string }
				}
			}
			s.Do(t, s.Student(t, c.no), `query($id: ID!) { application(id: $id) { timeline { event note } } }`, map[string]any{"id": id}).Decode(t, &out)
			tl := out.Application.Timeline
			if len(tl) != 2 || tl[1].Event != "REJECT" || tl[1].Note != c.wantNote {
				t.Errorf("timeline: got %+v, want APPLY then REJECT with note %q", tl, c.wantNote)
			}
		})
	}
	t.Run("note too long", func(t *testing.T) {
		id := s.Apply(t, nos[2], pos)
		before := snapshotApplication(t, s, id)
		p, _ := s.Transition(t, staff, "REJECT", id, map[string]any{"note": strings.Repeat("注", 501)})
		CheckUserErrors(t, p.UserErrors, WantErr{"VALIDATION", "note", []string{"500", "501"}})
		wantApplicationUnchanged(t, s, id, before)
	})
}

func TestHireHeadcount(t *testing.T) {
	s := NewServer(t)
	const a, b, c = "20260001", "20260002", "20260003"
	unit, _ := s.SeedSchool(t, a, b, c)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("单人岗位", "headcount", 1))
	staff := s.Unit(t, unit)
	appA, appB, appC := s.Apply(t, a, pos), s.Apply(t, b, pos), s.Apply(t, c, pos)

	full := func(name, id string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			for _, en := range []bool{false, true} {
				before := snapshotApplication(t, s, id)
				var headers []string
				want := []string{"1"}
				if en {
					headers, want = English, []string{"headcount of 1", "1 hired"}
				}
				p, r := s.Transition(t, staff, "HIRE", id, nil, headers...)
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want HEADCOUNT_FULL", r.Errors)
				}
				CheckUserErrors(t, p.UserErrors, WantErr{"HEADCOUNT_FULL", AnyField, want})
				wantApplicationUnchanged(t, s, id, before)
			}
		})
	}
	s.MustTransition(t, staff, "HIRE", appA, nil)
	full("full while A is HIRED", appB)
	s.MustTransition(t, s.Student(t, a), "DECLINE", appA, nil)
	t.Run("declining frees the place", func(t *testing.T) {
		s.MustTransition(t, staff, "HIRE", appB, nil)
	})
	s.MustTransition(t, s.Student(t, b), "CONFIRM", appB, nil)
	full("full while B is CONFIRMED", appC)
	s.MustTransition(t, staff, "DISMISS", appB, nil)
	t.Run("dismissal frees the place", func(t *testing.T) {
		s.MustTransition(t, staff, "HIRE", appC, nil)
	})
	if got := s.Count(t, `SELECT count(*) FROM applications WHERE position_id = $1 AND status IN ('HIRED', 'CONFIRMED')`, pos); got != 1 {
		t.Errorf("hired and confirmed: got %d, want 1", got)
	}
}

func TestHireConfirmWeeklyCap(t *testing.T) {
	cases := []struct {
		name                   string
		secondStart, secondEnd string
		dismissFirst           bool
		wantCap                bool
	}{
		{name: "overlapping periods", secondStart: "2027-02-01T00:00:00+08:00", secondEnd: "2027-04-01T00:00:00+08:00", wantCap: true},
		{name: "same period", secondStart: "2027-01-01T00:00:00+08:00", secondEnd: "2027-03-01T00:00:00+08:00", wantCap: true},
		{name: "second inside first", secondStart: "2027-01-10T00:00:00+08:00", secondEnd: "2027-01-20T00:00:00+08:00", wantCap: true},
		{name: "second starts when first ends", secondStart: "2027-03-01T00:00:00+08:00", secondEnd: "2027-05-01T00:00:00+08:00"},
		{name: "disjoint periods", secondStart: "2027-04-01T00:00:00+08:00", secondEnd: "2027-06-01T00:00:00+08:00"},
		{name: "overlapping but first dismissed", secondStart: "2027-02-01T00:00:00+08:00", secondEnd: "2027-04-01T00:00:00+08:00", dismissFirst: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewServer(t)
			const no = "20260001"
			unit, _ := s.SeedSchool(t, no)
			first := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("岗位一", "weeklyHours", 12))
			second := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("岗位二", "weeklyHours", 12, "workStart", c.secondStart, "workEnd", c.secondEnd))
			firstApp := s.Drive(t, unit, no, first, "CONFIRMED")
			if c.dismissFirst {
				s.MustTransition(t, s.Unit(t, unit), "DISMISS", firstApp, nil)
			}
			app := s.Drive(t, unit, no, second, "HIRED")
			before := snapshotApplication(t, s, app)
			for _, en := range []bool{false, true} {
				var headers []string
				if en {
					headers = English
				}
				p, r := s.Transition(t, s.Student(t, no), "CONFIRM", app, nil, headers...)
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: %+v", r.Errors)
				}
				if !c.wantCap {
					if len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != "CONFIRMED" || p.Application.Employment == nil {
						t.Fatalf("confirm: got %+v, want CONFIRMED with an employment", p)
					}
					return
				}
				want := []string{"12", "20", "2026-2027"}
				if en {
					want = append(want, "weekly cap")
				}
				CheckUserErrors(t, p.UserErrors, WantErr{"HOURS_CAP", AnyField, want})
				if p.Application != nil {
					t.Errorf("application: got %+v, want null", p.Application)
				}
				wantApplicationUnchanged(t, s, app, before)
				if got := s.Count(t, `SELECT count(*) FROM applications WHERE id = $1 AND started_at IS NULL`, app); got != 1 {
					t.Errorf("applications not started: got %d, want 1 (a refused confirm starts no employment)", got)
				}
			}
		})
	}
}

func TestHireSmokeFullCycle(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	stu := s.Student(t, "20160931")
	a, r := s.ApplyAs(t, stu, pos, map[string]any{"reason": "我想做", "phone": "13900000000"})
	if len(r.Errors) > 0 || a.Application == nil || a.Application.Status != "APPLIED" || len(a.Warnings) != 1 {
		t.Fatalf("apply: got %+v, errors %+v, want APPLIED with one warning", a, r.Errors)
	}
	id := a.Application.ID
	s.MustTransition(t, s.Unit(t, unit), "HIRE", id, nil)
	s.MustTransition(t, stu, "CONFIRM", id, nil)
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	s.RecordWork(t, unit, id, "2027-01", 30, "1200.50")
	var detail struct {
		Application struct {
			Timeline   []struct{ Event, To string }
			Employment struct {
				PaidAmount  string
				HoursWorked float64
			}
		}
	}
	s.Do(t, stu, `query($id: ID!) { application(id: $id) { timeline { event to } employment { paidAmount hoursWorked } } }`, map[string]any{"id": id}).Decode(t, &detail)
	if got := len(detail.Application.Timeline); got != 4 {
		t.Fatalf("timeline: got %d entries %+v, want 4", got, detail.Application.Timeline)
	}
	if e := detail.Application.Employment; e.PaidAmount != "1200.50" || e.HoursWorked != 30 {
		t.Fatalf("employment: got %+v, want 1200.50 and 30h", e)
	}
}

// Who may act is checked before the input: a student or an anonymous caller sending a bad
// rejection note or dismissal reason learns only that they may not act.
func TestTransitionCallerCheckedBeforeInput(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	id := s.Drive(t, unit, "20160931", pos, "CONFIRMED")
	long := strings.Repeat("长", 501)
	for _, c := range []struct {
		name, token, event string
		vars               map[string]any
		code               string
	}{
		{"student dismissing without a reason", s.Student(t, "20160931"), "DISMISS", map[string]any{"reason": ""}, "FORBIDDEN"},
		{"anonymous dismissing without a reason", "", "DISMISS", map[string]any{"reason": " "}, "UNAUTHENTICATED"},
		{"student rejecting with a long note", s.Student(t, "20160931"), "REJECT", map[string]any{"note": long}, "FORBIDDEN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, r := s.Transition(t, c.token, c.event, id, c.vars)
			WantTopLevel(t, r, c.code)
		})
	}
	// Unit staff with the same input get the input's refusal.
	p, r := s.Transition(t, s.Unit(t, unit), "DISMISS", id, map[string]any{"reason": ""})
	if len(r.Errors) > 0 {
		t.Fatalf("unit dismissing without a reason: got %+v, want a user error", r.Errors)
	}
	CheckUserErrors(t, p.UserErrors, WantErr{Code: "VALIDATION", Field: "reason"})
}
