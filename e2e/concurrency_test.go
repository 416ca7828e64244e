package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// End-to-end tests that race mutations against the real server and database: goroutines are
// started, wait on one barrier (Race), and are released together; setup goes through the fixtures,
// the racing requests through PostOp, which goroutines other than the test's may use.

// racePayload is an ApplicationPayload or WorkRecordPayload as the tests read it.
type racePayload struct {
	Application *struct{ ID, Status string }
	WorkRecord  *struct {
		Month  string
		Hours  float64
		Amount string
	}
	UserErrors []UserError
}

// raceOutcome is what one racing mutation got back: a payload, or a transport/GraphQL error.
type raceOutcome struct {
	P   racePayload
	Err error
}

// ok reports a payload with an application or work record and no userErrors.
func (o raceOutcome) ok() bool {
	return o.Err == nil && len(o.P.UserErrors) == 0 && (o.P.Application != nil || o.P.WorkRecord != nil)
}

// refused reports a payload refused with exactly one userError of code and nothing returned.
func (o raceOutcome) refused(code string) bool {
	return o.Err == nil && o.P.Application == nil && o.P.WorkRecord == nil &&
		len(o.P.UserErrors) == 1 && o.P.UserErrors[0].Code == code
}

// String shows the error or the payload in a failure message.
func (o raceOutcome) String() string {
	if o.Err != nil {
		return "error: " + o.Err.Error()
	}
	b, _ := json.Marshal(o.P)
	return string(b)
}

// raceStep is one transition of a race: who takes which event, with which variables.
type raceStep struct {
	token, event string
	vars         map[string]any
}

// racePair releases two transitions together against base and returns what each got.
func racePair(base string, a, b raceStep) (raceOutcome, raceOutcome) {
	var out [2]raceOutcome
	steps := [2]raceStep{a, b}
	Race(2, func(k int) {
		out[k] = raceMutate(base, steps[k].token, transitionMutations[steps[k].event], steps[k].vars)
	})
	return out[0], out[1]
}

// raceMutate runs one mutation aliased r against base and decodes its payload; top-level GraphQL
// errors become Err.
func raceMutate(base, token, mutation string, vars map[string]any) raceOutcome {
	r, err := PostOp(base, token, mutation, vars)
	if err != nil {
		return raceOutcome{Err: err}
	}
	if len(r.Errors) > 0 {
		b, _ := json.Marshal(r.Errors)
		return raceOutcome{Err: fmt.Errorf("graphql errors (HTTP %d): %s", r.Status, b)}
	}
	var out struct{ R racePayload }
	if err := json.Unmarshal(r.Data, &out); err != nil {
		return raceOutcome{Err: fmt.Errorf("decode %s: %w", r.Data, err)}
	}
	return raceOutcome{P: out.R}
}

// raceApplyMutation and raceRecordMutation are the apply and the record of work the races send
// from goroutines, which may not use the test's t (the transitions are the fixtures' transitionMutations).
const (
	raceApplyMutation  = `mutation($p: ID!) { r: applyToPosition(input: {positionId: $p, reason: "我想做"}) { application { id status } userErrors { code field message } } }`
	raceRecordMutation = `mutation($a: ID!, $h: Float!) { r: recordWork(input: {applicationId: $a, month: "2027-01", hours: $h, amount: "800.00"}) { workRecord { month hours amount } userErrors { code field message } } }`
)

// racedApplication is an application as its timeline and employment show it.
type racedApplication struct {
	Status   string
	Timeline []struct {
		Event, To, Note string
		From            *string
	}
	Employment *struct {
		StartedAt string
		EndedAt   *string
		EndReason *string
	}
}

// readRacedApplication reads application id as admin.
func readRacedApplication(t *testing.T, s *Server, id string) racedApplication {
	t.Helper()
	var out struct{ Application racedApplication }
	s.Do(t, s.Admin(t), `query($id: ID!) { application(id: $id) { status timeline { event from to note } employment { startedAt endedAt endReason } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	return out.Application
}

// checkRacedTimeline fails unless the timeline's events are exactly want, each entry starts where
// the one before ended, and the last ends in the application's status.
func checkRacedTimeline(t *testing.T, id string, d racedApplication, want ...string) {
	t.Helper()
	var got []string
	for _, e := range d.Timeline {
		got = append(got, e.Event)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("application %s (%s): timeline got %v, want %v", id, d.Status, got, want)
		return
	}
	prev := ""
	for i, e := range d.Timeline {
		from := ""
		if e.From != nil {
			from = *e.From
		}
		if from != prev {
			t.Errorf("application %s: timeline[%d] %s from got %q, want %q", id, i, e.Event, from, prev)
		}
		prev = e.To
	}
	if prev != d.Status {
		t.Errorf("application %s: timeline ends in got %s, want %s (the status)", id, prev, d.Status)
	}
}

// TestConcurrencyFiftyHiresThreePlaces: 50 parallel hires for a headcount of 3 give exactly 3.
func TestConcurrencyFiftyHiresThreePlaces(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(1, 50)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("三个名额", "headcount", 3))
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = s.Apply(t, no, pos)
	}
	checkFiftyHiresThreePlaces(t, s, unit, pos, ids, []string{s.URL})
}

// TestConcurrencyFiftyHiresTwoReplicas: the same race with half the hires sent to a second server
// instance that has its own connection pool on the same database.
func TestConcurrencyFiftyHiresTwoReplicas(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(1, 50)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("三个名额", "headcount", 3))
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = s.Apply(t, no, pos)
	}
	second := s.Replica(t, "")
	checkFiftyHiresThreePlaces(t, s, unit, pos, ids, []string{s.URL, second})
}

// checkFiftyHiresThreePlaces fires one hire per application, spread over the servers, all at once, and
// checks that exactly 3 win, everywhere it can be seen.
func checkFiftyHiresThreePlaces(t *testing.T, s *Server, unit, pos string, ids, servers []string) {
	t.Helper()
	tok := s.Unit(t, unit)
	out := make([]raceOutcome, len(ids))
	began := time.Now()
	Race(len(ids), func(i int) {
		out[i] = raceMutate(servers[i%len(servers)], tok, transitionMutations["HIRE"], map[string]any{"id": ids[i]})
	})
	t.Logf("%d hires over %d server(s) in %v", len(ids), len(servers), time.Since(began))
	hired, full := map[string]bool{}, 0
	for i, o := range out {
		switch {
		case o.ok() && o.P.Application.Status == "HIRED" && o.P.Application.ID == ids[i]:
			hired[ids[i]] = true
		case o.refused("HEADCOUNT_FULL"):
			full++
		default:
			t.Errorf("hire %s: got %s, want HIRED or HEADCOUNT_FULL", ids[i], o)
		}
	}
	if len(hired) != 3 || full != len(ids)-3 {
		t.Errorf("hires: got %d HIRED and %d HEADCOUNT_FULL, want 3 and %d", len(hired), full, len(ids)-3)
	}
	if n := s.Count(t, `select count(*) from applications where status in ('HIRED','CONFIRMED') and position_id=$1`, pos); n != 3 {
		t.Errorf("database: got %d HIRED or CONFIRMED applications, want 3", n)
	}
	if n := s.Count(t, `select count(*) from applications where status = 'APPLIED' and position_id=$1`, pos); n != len(ids)-3 {
		t.Errorf("database: got %d APPLIED applications, want %d", n, len(ids)-3)
	}
	if n := s.Count(t, `select count(*) from application_events e join applications a on a.id = e.application_id where a.position_id=$1 and e.event='HIRE'`, pos); n != 3 {
		t.Errorf("timeline: got %d HIRE events, want 3", n)
	}
	if n := s.Count(t, `select count(*) from application_events e join applications a on a.id = e.application_id where a.position_id=$1`, pos); n != len(ids)+3 {
		t.Errorf("timeline: got %d events, want %d (one APPLY each and 3 HIRE)", n, len(ids)+3)
	}
	// The winners' HIRE events are the ones the payloads reported.
	for id := range hired {
		checkRacedTimeline(t, id, readRacedApplication(t, s, id), "APPLY", "HIRE")
	}
	// The unit's list of applicants agrees.
	var list struct {
		Applicants struct{ TotalCount int }
	}
	s.Do(t, tok, `query($id: ID!) { applicants(positionId: $id, status: HIRED) { totalCount } }`, map[string]any{"id": pos}).Decode(t, &list)
	if list.Applicants.TotalCount != 3 {
		t.Errorf("applicants(status: HIRED): got totalCount %d, want 3", list.Applicants.TotalCount)
	}
	// A 51st hire after the race is refused too.
	for _, id := range ids {
		if !hired[id] {
			if o := raceMutate(s.URL, tok, transitionMutations["HIRE"], map[string]any{"id": id}); !o.refused("HEADCOUNT_FULL") {
				t.Errorf("hire %s after the race: got %s, want HEADCOUNT_FULL", id, o)
			}
			break
		}
	}
}

// TestConcurrencyTwentyAppliesOneStudent: 20 parallel applies by one student to one position give
// one application and 19 CONFLICTs.
func TestConcurrencyTwentyAppliesOneStudent(t *testing.T) {
	s := NewServer(t)
	no := "20160001"
	unit, _ := s.SeedSchool(t, no)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("只能申请一次"))
	tok := s.Student(t, no)
	out := make([]raceOutcome, 20)
	Race(len(out), func(i int) {
		out[i] = raceMutate(s.URL, tok, raceApplyMutation, map[string]any{"p": pos})
	})
	applied, conflict := 0, 0
	var id string
	for i, o := range out {
		switch {
		case o.ok() && o.P.Application.Status == "APPLIED":
			applied++
			id = o.P.Application.ID
		case o.refused("CONFLICT"):
			conflict++
		default:
			t.Errorf("apply #%d: got %s, want APPLIED or CONFLICT", i, o)
		}
	}
	if applied != 1 || conflict != 19 {
		t.Errorf("applies: got %d APPLIED and %d CONFLICT, want 1 and 19", applied, conflict)
	}
	if n := s.Count(t, `select count(*) from applications where position_id=$1 and student_no=$2`, pos, no); n != 1 {
		t.Errorf("database: got %d applications, want 1", n)
	}
	if n := s.Count(t, `select count(*) from application_events e join applications a on a.id = e.application_id where a.position_id=$1`, pos); n != 1 {
		t.Errorf("timeline: got %d events, want 1 (APPLY)", n)
	}
	if id != "" {
		checkRacedTimeline(t, id, readRacedApplication(t, s, id), "APPLY")
	}
}

// TestConcurrencyConfirmRacesDismiss: a confirm and a dismiss of one HIRED application, released
// together, end CONFIRMED (dismiss came first and was refused) or DISMISSED after CONFIRMED.
func TestConcurrencyConfirmRacesDismiss(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(101, 20)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("确认与解聘", "headcount", 50))
	utok := s.Unit(t, unit)
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = s.Drive(t, unit, no, pos, "HIRED")
	}
	outcomes := map[string]int{}
	for i, no := range nos {
		id := ids[i]
		stok := s.Student(t, no)
		confirm, dismiss := racePair(s.URL, raceStep{stok, "CONFIRM", map[string]any{"id": id}},
			raceStep{utok, "DISMISS", map[string]any{"id": id, "reason": "x"}})
		if !confirm.ok() || confirm.P.Application.Status != "CONFIRMED" {
			t.Errorf("run %d: confirm got %s, want CONFIRMED (it is allowed in either order)", i, confirm)
			continue
		}
		d := readRacedApplication(t, s, id)
		switch {
		case dismiss.ok() && dismiss.P.Application.Status == "DISMISSED":
			outcomes["DISMISSED"]++
			if d.Status != "DISMISSED" {
				t.Errorf("run %d: status got %s, want DISMISSED (both succeeded)", i, d.Status)
			}
			checkRacedTimeline(t, id, d, "APPLY", "HIRE", "CONFIRM", "DISMISS")
			if e := d.Employment; e == nil || e.EndedAt == nil || e.EndReason == nil || *e.EndReason != "x" {
				t.Errorf("run %d: employment got %+v, want started, ended, reason x", i, e)
			} else if mustTime(t, *e.EndedAt).Before(mustTime(t, e.StartedAt)) {
				t.Errorf("run %d: employment ended %s before it started %s", i, *e.EndedAt, e.StartedAt)
			}
		case dismiss.refused("INVALID_TRANSITION"):
			outcomes["CONFIRMED"]++
			if d.Status != "CONFIRMED" {
				t.Errorf("run %d: status got %s, want CONFIRMED (dismiss refused)", i, d.Status)
			}
			if m := dismiss.P.UserErrors[0].Message; !strings.Contains(m, "HIRED") && !strings.Contains(m, "已聘用") {
				t.Errorf("run %d: INVALID_TRANSITION message got %q, want it to name HIRED", i, m)
			}
			checkRacedTimeline(t, id, d, "APPLY", "HIRE", "CONFIRM")
			if e := d.Employment; e == nil || e.StartedAt == "" || e.EndedAt != nil || e.EndReason != nil {
				t.Errorf("run %d: employment got %+v, want started and not ended", i, e)
			}
		default:
			t.Errorf("run %d: dismiss got %s, want DISMISSED or INVALID_TRANSITION", i, dismiss)
		}
	}
	t.Logf("outcomes: %v", outcomes)
	if n := s.Count(t, `select count(*) from applications where position_id=$1 and status in ('CONFIRMED','DISMISSED') and started_at is not null`, pos); n != len(nos) {
		t.Errorf("database: got %d employments, want %d", n, len(nos))
	}
}

// TestConcurrencyDeclineRacesHire: a decline and a hire of one APPLIED application, released
// together, end HIRED (decline came first and was refused) or DECLINED after HIRED.
func TestConcurrencyDeclineRacesHire(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(201, 20)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("放弃与聘用", "headcount", 50))
	utok := s.Unit(t, unit)
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = s.Apply(t, no, pos)
	}
	outcomes := map[string]int{}
	for i, no := range nos {
		id := ids[i]
		stok := s.Student(t, no)
		decline, hire := racePair(s.URL, raceStep{stok, "DECLINE", map[string]any{"id": id}}, raceStep{utok, "HIRE", map[string]any{"id": id}})
		if !hire.ok() || hire.P.Application.Status != "HIRED" {
			t.Errorf("run %d: hire got %s, want HIRED (it is allowed in either order)", i, hire)
			continue
		}
		d := readRacedApplication(t, s, id)
		switch {
		case decline.ok() && decline.P.Application.Status == "DECLINED":
			outcomes["DECLINED"]++
			if d.Status != "DECLINED" {
				t.Errorf("run %d: status got %s, want DECLINED (both succeeded)", i, d.Status)
			}
			checkRacedTimeline(t, id, d, "APPLY", "HIRE", "DECLINE")
		case decline.refused("INVALID_TRANSITION"):
			outcomes["HIRED"]++
			if d.Status != "HIRED" {
				t.Errorf("run %d: status got %s, want HIRED (decline refused)", i, d.Status)
			}
			if m := decline.P.UserErrors[0].Message; !strings.Contains(m, "APPLIED") && !strings.Contains(m, "已申请") {
				t.Errorf("run %d: INVALID_TRANSITION message got %q, want it to name APPLIED", i, m)
			}
			checkRacedTimeline(t, id, d, "APPLY", "HIRE")
		default:
			t.Errorf("run %d: decline got %s, want DECLINED or INVALID_TRANSITION", i, decline)
		}
		if d.Employment != nil {
			t.Errorf("run %d: employment got %+v, want none (never CONFIRMED)", i, d.Employment)
		}
	}
	t.Logf("outcomes: %v", outcomes)
	if n := s.Count(t, `select count(*) from applications where position_id=$1 and started_at is not null`, pos); n != 0 {
		t.Errorf("database: got %d employments, want 0", n)
	}
}

// TestConcurrencyConfirmsPassWeeklyCap: one student confirms two HIRED applications at once whose
// work periods overlap and whose 12 + 12 weekly hours pass the cap of 20: one CONFIRMED, one HOURS_CAP.
func TestConcurrencyConfirmsPassWeeklyCap(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(301, 5)
	unit, _ := s.SeedSchool(t, nos...)
	posA := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("每周12小时A", "weeklyHours", 12, "headcount", 10))
	posB := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("每周12小时B", "weeklyHours", 12, "headcount", 10,
		"workStart", "2027-02-01T00:00:00+08:00", "workEnd", "2027-04-01T00:00:00+08:00")) // overlaps A in February
	for _, no := range nos {
		ids := []string{s.Drive(t, unit, no, posA, "HIRED"), s.Drive(t, unit, no, posB, "HIRED")}
		raceTwoConfirms(t, s, no, ids, "HOURS_CAP", 1)
	}
}

// raceTwoConfirms has student no confirm the two HIRED applications ids at once, where a rule
// (refusal: its userErrors code) lets only one through: exactly one is CONFIRMED, with its
// employment and timeline, the other is refused and stays HIRED, and the student then holds
// wantConfirmed CONFIRMED applications in all.
func raceTwoConfirms(t *testing.T, s *Server, no string, ids []string, refusal string, wantConfirmed int) {
	t.Helper()
	stok := s.Student(t, no)
	out := make([]raceOutcome, 2)
	Race(2, func(k int) {
		out[k] = raceMutate(s.URL, stok, transitionMutations["CONFIRM"], map[string]any{"id": ids[k]})
	})
	confirmed, refused := 0, 0
	for k, o := range out {
		d := readRacedApplication(t, s, ids[k])
		switch {
		case o.ok() && o.P.Application.Status == "CONFIRMED":
			confirmed++
			if d.Status != "CONFIRMED" || d.Employment == nil {
				t.Errorf("%s: application %s got %s with employment %v, want CONFIRMED with one", no, ids[k], d.Status, d.Employment)
			}
			checkRacedTimeline(t, ids[k], d, "APPLY", "HIRE", "CONFIRM")
		case o.refused(refusal):
			refused++
			if d.Status != "HIRED" || d.Employment != nil {
				t.Errorf("%s: application %s got %s with employment %v, want HIRED without one", no, ids[k], d.Status, d.Employment)
			}
			checkRacedTimeline(t, ids[k], d, "APPLY", "HIRE")
		default:
			t.Errorf("%s: confirm %s got %s, want CONFIRMED or %s", no, ids[k], o, refusal)
		}
	}
	if confirmed != 1 || refused != 1 {
		t.Errorf("%s: got %d CONFIRMED and %d %s, want 1 and 1", no, confirmed, refused, refusal)
	}
	if n := s.Count(t, `select count(*) from applications where student_no=$1 and status='CONFIRMED'`, no); n != wantConfirmed {
		t.Errorf("%s: database got %d CONFIRMED, want %d", no, n, wantConfirmed)
	}
}

// TestConcurrencyRecordWorkPassesMonthlyCap: two units record 40 hours each for the same student
// and month, at once, across two employments; with the monthly cap of 60 one gets HOURS_CAP.
func TestConcurrencyRecordWorkPassesMonthlyCap(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(401, 5)
	unitA, _ := s.SeedSchool(t, nos...)
	unitB := s.SeedUnit(t, "基础医学院")
	units := []string{unitA, unitB}
	posA := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("甲单位岗位", "headcount", 10)) // 10 h a week each: both can be confirmed
	posB := s.SeedPosition(t, unitB, "PUBLISHED", PositionInput("乙单位岗位", "headcount", 10))
	emps := map[string][]string{}
	for _, no := range nos {
		for k, pos := range []string{posA, posB} {
			emps[no] = append(emps[no], s.Drive(t, units[k], no, pos, "CONFIRMED"))
		}
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	toks := []string{s.Unit(t, unitA), s.Unit(t, unitB)}
	for _, no := range nos {
		ids := emps[no]
		out := make([]raceOutcome, 2)
		Race(2, func(k int) {
			out[k] = raceMutate(s.URL, toks[k], raceRecordMutation, map[string]any{"a": ids[k], "h": 40})
		})
		recorded, capped := 0, 0
		for k, o := range out {
			switch {
			case o.ok() && o.P.WorkRecord.Month == "2027-01" && o.P.WorkRecord.Hours == 40:
				recorded++
				checkRacedTimeline(t, ids[k], readRacedApplication(t, s, ids[k]), "APPLY", "HIRE", "CONFIRM", "RECORD_WORK")
			case o.refused("HOURS_CAP"):
				capped++
				checkRacedTimeline(t, ids[k], readRacedApplication(t, s, ids[k]), "APPLY", "HIRE", "CONFIRM")
			default:
				t.Errorf("%s: record work on %s got %s, want a record or HOURS_CAP", no, ids[k], o)
			}
		}
		if recorded != 1 || capped != 1 {
			t.Errorf("%s: got %d recorded and %d HOURS_CAP, want 1 and 1", no, recorded, capped)
		}
		if n := s.Count(t, `select count(*) from work_records where student_no=$1 and month='2027-01'`, no); n != 1 {
			t.Errorf("%s: database got %d work records, want 1", no, n)
		}
		if n := s.Count(t, `select coalesce(sum(hours), 0)::int from work_records where student_no=$1 and month='2027-01'`, no); n != 40 {
			t.Errorf("%s: database got %d hours in 2027-01, want 40", no, n)
		}
	}
}
