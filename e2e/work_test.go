package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// End-to-end tests of recording work over HTTP: which months an employment may record, the
// validation of hours and amounts, the precision of hours, refusals for applications that are not
// employments, the monthly cap over all of a student's employments, and corrections with their
// timeline. Every refusal checks the userErrors code, field and message and that nothing was written.

// employedInFebruary starts a server with one student (20260001) employed on the school's
// position, whose work runs in January and February 2027, and moves the clock to 2027-02-10,
// when both months may be recorded; it returns the server, the unit and the application.
func employedInFebruary(t *testing.T) (s *Server, unit, app string) {
	t.Helper()
	s = NewServer(t)
	const no = "20260001"
	unit, pos := s.SeedSchool(t, no)
	app = s.Drive(t, unit, no, pos, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	return s, unit, app
}

func TestHireRecordWorkMonths(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(1, 12)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("记录工时", "headcount", 50))
	staff := s.Unit(t, unit)
	cases := []struct {
		name, now, dismissAt, month string
		ok                          bool
	}{
		{name: "first month of the work period", now: "2027-02-10T10:00:00+08:00", month: "2027-01", ok: true},
		{name: "current month", now: "2027-02-10T10:00:00+08:00", month: "2027-02", ok: true},
		{name: "after the work period", now: "2027-02-10T10:00:00+08:00", month: "2027-03"},
		{name: "before the work period", now: "2027-02-10T10:00:00+08:00", month: "2026-12"},
		{name: "in the future inside the work period", now: "2027-01-20T10:00:00+08:00", month: "2027-02"},
		{name: "after the work period long after", now: "2027-06-10T10:00:00+08:00", month: "2027-03"},
		{name: "last month of the work period later", now: "2027-06-10T10:00:00+08:00", month: "2027-02", ok: true},
		{name: "Shanghai still January", now: "2027-01-31T23:30:00+08:00", month: "2027-02"},
		{name: "Shanghai already February (UTC January)", now: "2027-02-01T00:30:00+08:00", month: "2027-02", ok: true},
		{name: "after the dismissal's month", now: "2027-02-10T10:00:00+08:00", dismissAt: "2027-01-20T10:00:00+08:00", month: "2027-02"},
		{name: "the dismissal's month", now: "2027-02-10T10:00:00+08:00", dismissAt: "2027-01-20T10:00:00+08:00", month: "2027-01", ok: true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.SetNow(mustTime(t, applyWindowNow)) // the case before moved the clock past the window
			id := s.Drive(t, unit, nos[i], pos, "CONFIRMED")
			if c.dismissAt != "" {
				s.SetNow(mustTime(t, c.dismissAt))
				s.MustTransition(t, staff, "DISMISS", id, nil)
			}
			s.SetNow(mustTime(t, c.now))
			before := snapshotApplication(t, s, id)
			w, r := s.RecordWorkAs(t, staff, id, c.month, 8, "320.00")
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: %+v", r.Errors)
			}
			if c.ok {
				if len(w.UserErrors) > 0 || w.WorkRecord == nil || w.WorkRecord.Month != c.month {
					t.Fatalf("record %s at %s: got %+v, want it recorded", c.month, c.now, w)
				}
				if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = $2`, id, c.month); got != 1 {
					t.Errorf("stored records: got %d, want 1", got)
				}
				return
			}
			CheckUserErrors(t, w.UserErrors, WantErr{"VALIDATION", "input.month", []string{c.month}})
			if w.WorkRecord != nil {
				t.Errorf("workRecord: got %+v, want null", w.WorkRecord)
			}
			wantApplicationUnchanged(t, s, id, before)
		})
	}
}

func TestHireRecordWorkValidation(t *testing.T) {
	s, unit, id := employedInFebruary(t)
	staff := s.Unit(t, unit)
	cases := []struct {
		name   string
		hours  any
		amount string
		want   []WantErr
	}{
		{"hours with three decimals", 1.234, "100.00", []WantErr{{"VALIDATION", "input.hours", []string{"1.234"}}}},
		{"negative hours", -1, "100.00", []WantErr{{"VALIDATION", "input.hours", nil}}},
		{"hours past a month's hours", 745, "100.00", []WantErr{{"VALIDATION", "input.hours", []string{"744"}}}},
		{"negative amount", 10, "-1.00", []WantErr{{"VALIDATION", "input.amount", nil}}},
		{"negative amount and hours", -2, "-0.01", []WantErr{{"VALIDATION", "input.hours", nil}, {"VALIDATION", "input.amount", nil}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := snapshotApplication(t, s, id)
			w, r := s.RecordWorkAs(t, staff, id, "2027-01", c.hours, c.amount)
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
			}
			CheckUserErrors(t, w.UserErrors, c.want...)
			if w.WorkRecord != nil {
				t.Errorf("workRecord: got %+v, want null", w.WorkRecord)
			}
			wantApplicationUnchanged(t, s, id, before)
		})
	}
	t.Run("zero hours and amount are allowed", func(t *testing.T) {
		s.RecordWork(t, unit, id, "2027-02", 0, "0.00")
	})
}

// TestHireRecordWorkHoursPrecision: hours with two decimals whose binary value is not exact
// (1.15*100 == 114.99999999999999) are accepted; a third decimal is refused, however close.
func TestHireRecordWorkHoursPrecision(t *testing.T) {
	s, unit, id := employedInFebruary(t)
	staff := s.Unit(t, unit)
	cases := []struct {
		hours float64
		ok    bool
	}{
		{1.15, true}, {0.29, true}, {0.07, true}, {0.57, true}, {1.1, true}, {33.33, true}, {59.99, true},
		{2.675, false}, {1.005, false}, {0.001, false}, {10.999, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.hours), func(t *testing.T) {
			before := snapshotApplication(t, s, id)
			w, r := s.RecordWorkAs(t, staff, id, "2027-01", c.hours, "10.00")
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: %+v", r.Errors)
			}
			if !c.ok {
				CheckUserErrors(t, w.UserErrors, WantErr{"VALIDATION", "input.hours", []string{fmt.Sprint(c.hours)}})
				wantApplicationUnchanged(t, s, id, before)
				return
			}
			if len(w.UserErrors) > 0 || w.WorkRecord == nil || w.WorkRecord.Hours != c.hours {
				t.Fatalf("record %v hours: got %+v, want the record with %v hours", c.hours, w, c.hours)
			}
			var stored float64
			if err := s.DB.Get(&stored, `SELECT hours FROM work_records WHERE application_id = $1 AND month = '2027-01'`, id); err != nil || stored != c.hours {
				t.Errorf("stored hours: got %v (%v), want %v", stored, err, c.hours)
			}
		})
	}
}

func TestHireRecordWorkNotEmployment(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005"}
	unit, pos := s.SeedSchool(t, nos...)
	staff := s.Unit(t, unit)
	ids := map[string]string{}
	for i, st := range []string{"APPLIED", "HIRED", "REJECTED", "WITHDRAWN", "DECLINED"} {
		ids[st] = s.Drive(t, unit, nos[i], pos, st)
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	for _, st := range applicationStatusLabels {
		id, ok := ids[st.Name]
		if !ok {
			continue
		}
		t.Run(st.Name, func(t *testing.T) {
			for _, en := range []bool{false, true} {
				before := snapshotApplication(t, s, id)
				var headers []string
				want := st.Label
				if en {
					headers, want = English, st.Name
				}
				w, r := s.RecordWorkAs(t, staff, id, "2027-01", 10, "100.00", headers...)
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want INVALID_TRANSITION", r.Errors)
				}
				CheckUserErrors(t, w.UserErrors, WantErr{"INVALID_TRANSITION", AnyField, []string{want}})
				wantApplicationUnchanged(t, s, id, before)
			}
		})
	}
}

func TestHireRecordWorkMonthlyCap(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, first := s.SeedSchool(t, no)
	other := s.SeedUnit(t, "药学院")
	second := s.SeedPosition(t, other, "PUBLISHED", PositionInput("药学院岗位"))
	a := s.Drive(t, unit, no, first, "CONFIRMED") // 10 + 10 weekly hours: at the cap of 20, allowed
	b := s.Drive(t, other, no, second, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	staffA, staffB := s.Unit(t, unit), s.Unit(t, other)

	capped := func(name, token, id string, hours float64, wantParts ...string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := snapshotApplication(t, s, id)
			w, r := s.RecordWorkAs(t, token, id, "2027-01", hours, "100.00")
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want HOURS_CAP", r.Errors)
			}
			CheckUserErrors(t, w.UserErrors, WantErr{"HOURS_CAP", "input.hours", append([]string{"2027-01", "60"}, wantParts...)})
			wantApplicationUnchanged(t, s, id, before)
		})
	}
	s.RecordWork(t, unit, a, "2027-01", 40, "1600.00")
	capped("second employment passes the cap", staffB, b, 30, "40", "30")
	capped("one employment alone passes the cap", staffB, b, 60.5)
	t.Run("up to the cap exactly", func(t *testing.T) {
		s.RecordWork(t, other, b, "2027-01", 20, "800.00")
	})
	t.Run("correction does not count the record it replaces", func(t *testing.T) {
		s.RecordWork(t, unit, a, "2027-01", 39.5, "1580.00") // 20 elsewhere + 39.5 <= 60
		if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01' AND hours = 39.5`, a); got != 1 {
			t.Errorf("corrected record: got %d rows with 39.5 hours, want 1", got)
		}
	})
	capped("correction past the cap", staffA, a, 40.5, "20", "40.5")
	capped("correction of the other past the cap", staffB, b, 20.75, "39.5")
	t.Run("another month has its own cap", func(t *testing.T) {
		s.RecordWork(t, unit, a, "2027-02", 60, "2400.00")
	})
	if got := s.Count(t, `SELECT count(*) FROM work_records WHERE student_no = $1`, no); got != 3 {
		t.Errorf("work records: got %d, want 3", got)
	}
}

func TestHireRecordWorkCorrection(t *testing.T) {
	s, unit, id := employedInFebruary(t)
	staff := s.Unit(t, unit)
	s.RecordWork(t, unit, id, "2027-01", 30, "1200.50")
	s.SetNow(mustTime(t, "2027-02-12T15:00:00+08:00"))
	w, _ := s.RecordWorkAs(t, staff, id, "2027-01", 32.25, "1300")
	if w.WorkRecord == nil || len(w.UserErrors) > 0 {
		t.Fatalf("correction: got %+v, want the corrected record", w)
	}
	if r := w.WorkRecord; r.Hours != 32.25 || r.Amount != "1300.00" || r.RecordedAt != "2027-02-10T10:00:00+08:00" || r.UpdatedAt != "2027-02-12T15:00:00+08:00" {
		t.Errorf("corrected record: got %+v, want 32.25h 1300.00 recorded 2027-02-10T10:00 updated 2027-02-12T15:00", r)
	}
	if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1`, id); got != 1 {
		t.Errorf("work records: got %d, want 1", got)
	}
	if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01' AND hours = 32.25 AND amount_fen = 130000`, id); got != 1 {
		t.Errorf("stored values: got %d rows with 32.25h and 130000 fen, want 1", got)
	}
	s.RecordWork(t, unit, id, "2027-02", 20, "1199.50")

	var out struct {
		Application struct {
			Timeline []struct {
				Event, From, To, Note, ActorRole string
			}
			WorkRecords []struct {
				Month  string
				Hours  float64
				Amount string
			}
			Employment struct {
				HoursWorked float64
				PaidAmount  string
			}
		}
	}
	s.Do(t, staff, `query($id: ID!) { application(id: $id) { timeline { event from to note actorRole } workRecords { month hours amount } employment { hoursWorked paidAmount } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	a := out.Application
	var events []string
	for _, e := range a.Timeline {
		events = append(events, e.Event)
	}
	if want := []string{"APPLY", "HIRE", "CONFIRM", "RECORD_WORK", "CORRECT_WORK", "RECORD_WORK"}; !slices.Equal(events, want) {
		t.Fatalf("timeline events: got %v, want %v", events, want)
	}
	rec, cor := a.Timeline[3], a.Timeline[4]
	for _, part := range []string{"2027-01", "30", "1200.50"} {
		if !strings.Contains(rec.Note, part) {
			t.Errorf("RECORD_WORK note: got %q, want it to contain %q", rec.Note, part)
		}
	}
	for _, part := range []string{"2027-01", "30", "1200.50", "32.25", "1300.00"} {
		if !strings.Contains(cor.Note, part) {
			t.Errorf("CORRECT_WORK note: got %q, want it to contain %q", cor.Note, part)
		}
	}
	if strings.Index(cor.Note, "1200.50") > strings.Index(cor.Note, "1300.00") {
		t.Errorf("CORRECT_WORK note: got %q, want the old values before the new", cor.Note)
	}
	if cor.From != "CONFIRMED" || cor.To != "CONFIRMED" || cor.ActorRole != "UNIT_STAFF" {
		t.Errorf("CORRECT_WORK entry: got %+v, want CONFIRMED -> CONFIRMED by UNIT_STAFF", cor)
	}
	if len(a.WorkRecords) != 2 || a.WorkRecords[0].Month != "2027-01" || a.WorkRecords[0].Amount != "1300.00" || a.WorkRecords[1].Month != "2027-02" {
		t.Errorf("workRecords: got %+v, want 2027-01 (1300.00) and 2027-02", a.WorkRecords)
	}
	if e := a.Employment; e.PaidAmount != "2499.50" || e.HoursWorked != 52.25 {
		t.Errorf("employment totals: got %+v, want 2499.50 and 52.25h", e)
	}
	// Correcting February to 1200.00 makes a round sum in the "2500.00" format.
	s.RecordWork(t, unit, id, "2027-02", 20, "1200.00")
	s.Do(t, staff, `query($id: ID!) { application(id: $id) { timeline { event from to note actorRole } workRecords { month hours amount } employment { hoursWorked paidAmount } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	if e := out.Application.Employment; e.PaidAmount != "2500.00" || e.HoursWorked != 52.25 {
		t.Errorf("employment totals: got %+v, want 2500.00 and 52.25h", e)
	}
}

// applicantsQuery selects every field of an applicant a unit can ask for.
