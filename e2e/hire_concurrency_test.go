package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests race mutations against the real server and database: goroutines are started,
// wait on one barrier, and are released together.

// concRace runs fn(0..n-1) in n goroutines that all wait on one barrier, closes it once every
// goroutine is waiting, and returns when all are done.
func concRace(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// concPayload is an ApplicationPayload or WorkRecordPayload as the tests read it.
type concPayload struct {
	Application *struct{ ID, Status string }
	WorkRecord  *struct {
		Month  string
		Hours  float64
		Amount string
	}
	UserErrors []UserError
}

// concOutcome is what one racing mutation got back: a payload, or a transport/GraphQL error.
type concOutcome struct {
	P   concPayload
	Err error
}

// ok reports a payload with an application or work record and no userErrors.
func (o concOutcome) ok() bool {
	return o.Err == nil && len(o.P.UserErrors) == 0 && (o.P.Application != nil || o.P.WorkRecord != nil)
}

// refused reports a payload refused with exactly one userError of code and nothing returned.
func (o concOutcome) refused(code string) bool {
	return o.Err == nil && o.P.Application == nil && o.P.WorkRecord == nil &&
		len(o.P.UserErrors) == 1 && o.P.UserErrors[0].Code == code
}

func (o concOutcome) String() string {
	if o.Err != nil {
		return "error: " + o.Err.Error()
	}
	b, _ := json.Marshal(o.P)
	return string(b)
}

const concAppFields = `application { id status } userErrors { code field message }`

// concMutate runs one mutation aliased r against base and decodes its payload; top-level GraphQL
// errors become Err.
func concMutate(base, token, mutation string, vars map[string]any) concOutcome {
	r, err := PostOp(base, token, mutation, vars)
	if err != nil {
		return concOutcome{Err: err}
	}
	if len(r.Errors) > 0 {
		b, _ := json.Marshal(r.Errors)
		return concOutcome{Err: fmt.Errorf("graphql errors (HTTP %d): %s", r.Status, b)}
	}
	var out struct{ R concPayload }
	if err := json.Unmarshal(r.Data, &out); err != nil {
		return concOutcome{Err: fmt.Errorf("decode %s: %w", r.Data, err)}
	}
	return concOutcome{P: out.R}
}

const (
	concHire    = `mutation($id: ID!) { r: hireApplication(id: $id) { ` + concAppFields + ` } }`
	concConfirm = `mutation($id: ID!) { r: confirmApplication(id: $id) { ` + concAppFields + ` } }`
	concDecline = `mutation($id: ID!) { r: declineApplication(id: $id) { ` + concAppFields + ` } }`
	concDismiss = `mutation($id: ID!, $why: String!) { r: dismissApplication(id: $id, reason: $why) { ` + concAppFields + ` } }`
	concApplyQ  = `mutation($p: ID!) { r: applyToPosition(input: {positionId: $p, reason: "我想做"}) { ` + concAppFields + ` } }`
	concRecord  = `mutation($a: ID!, $h: Float!) { r: recordWork(input: {applicationId: $a, month: "2027-01", hours: $h, amount: "800.00"}) { workRecord { month hours amount } userErrors { code field message } } }`
)

// concStudents returns n student numbers starting at 2016<first>.
func concStudents(first, n int) []string {
	nos := make([]string, n)
	for i := range nos {
		nos[i] = fmt.Sprintf("2016%04d", first+i)
	}
	return nos
}

// concPosition creates a position of unit with PositionInput(title) changed by set, publishes it and
// returns its id.
func concPosition(t *testing.T, s *Server, unit, title string, set map[string]any) string {
	t.Helper()
	in := PositionInput(title)
	for k, v := range set {
		in[k] = v
	}
	var created struct {
		CreatePosition struct {
			Position   *struct{ ID string }
			UserErrors []UserError
		}
	}
	s.Do(t, s.Unit(t, unit), `mutation($in: PositionInput!) { createPosition(input: $in) { position { id } userErrors { code field message } } }`,
		map[string]any{"in": in}).Decode(t, &created)
	if created.CreatePosition.Position == nil || len(created.CreatePosition.UserErrors) > 0 {
		t.Fatalf("create position %s: got %+v, want a position", title, created.CreatePosition.UserErrors)
	}
	id := created.CreatePosition.Position.ID
	var pub struct {
		PublishPosition struct {
			Position   *struct{ Status string }
			UserErrors []UserError
		}
	}
	s.Do(t, s.Unit(t, unit), `mutation($id: ID!) { publishPosition(id: $id) { position { status } userErrors { code field message } } }`,
		map[string]any{"id": id}).Decode(t, &pub)
	if p := pub.PublishPosition.Position; p == nil || p.Status != "PUBLISHED" {
		t.Fatalf("publish position %s: got %+v, want PUBLISHED", id, pub.PublishPosition)
	}
	return id
}

// concStep runs one mutation sequentially (setup) and fails unless it returns status want.
func concStep(t *testing.T, s *Server, token, mutation string, vars map[string]any, want string) string {
	t.Helper()
	o := concMutate(s.URL, token, mutation, vars)
	if !o.ok() || o.P.Application == nil || o.P.Application.Status != want {
		t.Fatalf("setup: got %s, want an application in %s", o, want)
	}
	return o.P.Application.ID
}

// concApply makes student no apply to position and returns the APPLIED application's id.
func concApply(t *testing.T, s *Server, no, position string) string {
	t.Helper()
	return concStep(t, s, s.Student(t, no), concApplyQ, map[string]any{"p": position}, "APPLIED")
}

// concDetail is an application as its timeline and employment show it.
type concDetail struct {
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

// concRead reads application id as admin.
func concRead(t *testing.T, s *Server, id string) concDetail {
	t.Helper()
	var out struct{ Application concDetail }
	s.Do(t, s.Admin(t), `query($id: ID!) { application(id: $id) { status timeline { event from to note } employment { startedAt endedAt endReason } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	return out.Application
}

// concCheckTimeline fails unless the timeline's events are exactly want, each entry starts where
// the one before ended, and the last ends in the application's status.
func concCheckTimeline(t *testing.T, id string, d concDetail, want ...string) {
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
	nos := concStudents(1, 50)
	unit, _ := s.SeedSchool(t, nos...)
	pos := concPosition(t, s, unit, "三个名额", map[string]any{"headcount": 3})
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = concApply(t, s, no, pos)
	}
	concCheckFiftyHires(t, s, unit, pos, ids, []string{s.URL})
}

// TestConcurrencyFiftyHiresTwoReplicas: the same race with half the hires sent to a second server
// instance that has its own connection pool on the same database.
func TestConcurrencyFiftyHiresTwoReplicas(t *testing.T) {
	s := NewServer(t)
	nos := concStudents(1, 50)
	unit, _ := s.SeedSchool(t, nos...)
	pos := concPosition(t, s, unit, "三个名额", map[string]any{"headcount": 3})
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = concApply(t, s, no, pos)
	}
	second := s.Replica(t, "")
	concCheckFiftyHires(t, s, unit, pos, ids, []string{s.URL, second})
}

// concCheckFiftyHires fires one hire per application, spread over the servers, all at once, and
// checks that exactly 3 win, everywhere it can be seen.
func concCheckFiftyHires(t *testing.T, s *Server, unit, pos string, ids, servers []string) {
	t.Helper()
	tok := s.Unit(t, unit)
	out := make([]concOutcome, len(ids))
	began := time.Now()
	concRace(len(ids), func(i int) {
		out[i] = concMutate(servers[i%len(servers)], tok, concHire, map[string]any{"id": ids[i]})
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
		concCheckTimeline(t, id, concRead(t, s, id), "APPLY", "HIRE")
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
			if o := concMutate(s.URL, tok, concHire, map[string]any{"id": id}); !o.refused("HEADCOUNT_FULL") {
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
	pos := concPosition(t, s, unit, "只能申请一次", nil)
	tok := s.Student(t, no)
	out := make([]concOutcome, 20)
	concRace(len(out), func(i int) {
		out[i] = concMutate(s.URL, tok, concApplyQ, map[string]any{"p": pos})
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
		concCheckTimeline(t, id, concRead(t, s, id), "APPLY")
	}
}

// TestConcurrencyConfirmRacesDismiss: a confirm and a dismiss of one HIRED application, released
// together, end CONFIRMED (dismiss came first and was refused) or DISMISSED after CONFIRMED.
func TestConcurrencyConfirmRacesDismiss(t *testing.T) {
	s := NewServer(t)
	nos := concStudents(101, 20)
	unit, _ := s.SeedSchool(t, nos...)
	pos := concPosition(t, s, unit, "确认与解聘", map[string]any{"headcount": 50})
	utok := s.Unit(t, unit)
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = concApply(t, s, no, pos)
		concStep(t, s, utok, concHire, map[string]any{"id": ids[i]}, "HIRED")
	}
	outcomes := map[string]int{}
	for i, no := range nos {
		id := ids[i]
		var confirm, dismiss concOutcome
		stok := s.Student(t, no)
		concRace(2, func(k int) {
			if k == 0 {
				confirm = concMutate(s.URL, stok, concConfirm, map[string]any{"id": id})
			} else {
				dismiss = concMutate(s.URL, utok, concDismiss, map[string]any{"id": id, "why": "x"})
			}
		})
		if !confirm.ok() || confirm.P.Application.Status != "CONFIRMED" {
			t.Errorf("run %d: confirm got %s, want CONFIRMED (it is allowed in either order)", i, confirm)
			continue
		}
		d := concRead(t, s, id)
		switch {
		case dismiss.ok() && dismiss.P.Application.Status == "DISMISSED":
			outcomes["DISMISSED"]++
			if d.Status != "DISMISSED" {
				t.Errorf("run %d: status got %s, want DISMISSED (both succeeded)", i, d.Status)
			}
			concCheckTimeline(t, id, d, "APPLY", "HIRE", "CONFIRM", "DISMISS")
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
			concCheckTimeline(t, id, d, "APPLY", "HIRE", "CONFIRM")
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
	nos := concStudents(201, 20)
	unit, _ := s.SeedSchool(t, nos...)
	pos := concPosition(t, s, unit, "放弃与聘用", map[string]any{"headcount": 50})
	utok := s.Unit(t, unit)
	ids := make([]string, len(nos))
	for i, no := range nos {
		ids[i] = concApply(t, s, no, pos)
	}
	outcomes := map[string]int{}
	for i, no := range nos {
		id := ids[i]
		var decline, hire concOutcome
		stok := s.Student(t, no)
		concRace(2, func(k int) {
			if k == 0 {
				decline = concMutate(s.URL, stok, concDecline, map[string]any{"id": id})
			} else {
				hire = concMutate(s.URL, utok, concHire, map[string]any{"id": id})
			}
		})
		if !hire.ok() || hire.P.Application.Status != "HIRED" {
			t.Errorf("run %d: hire got %s, want HIRED (it is allowed in either order)", i, hire)
			continue
		}
		d := concRead(t, s, id)
		switch {
		case decline.ok() && decline.P.Application.Status == "DECLINED":
			outcomes["DECLINED"]++
			if d.Status != "DECLINED" {
				t.Errorf("run %d: status got %s, want DECLINED (both succeeded)", i, d.Status)
			}
			concCheckTimeline(t, id, d, "APPLY", "HIRE", "DECLINE")
		case decline.refused("INVALID_TRANSITION"):
			outcomes["HIRED"]++
			if d.Status != "HIRED" {
				t.Errorf("run %d: status got %s, want HIRED (decline refused)", i, d.Status)
			}
			if m := decline.P.UserErrors[0].Message; !strings.Contains(m, "APPLIED") && !strings.Contains(m, "已申请") {
				t.Errorf("run %d: INVALID_TRANSITION message got %q, want it to name APPLIED", i, m)
			}
			concCheckTimeline(t, id, d, "APPLY", "HIRE")
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
	nos := concStudents(301, 5)
	unit, _ := s.SeedSchool(t, nos...)
	utok := s.Unit(t, unit)
	posA := concPosition(t, s, unit, "每周12小时A", map[string]any{"weeklyHours": 12, "headcount": 10})
	posB := concPosition(t, s, unit, "每周12小时B", map[string]any{"weeklyHours": 12, "headcount": 10,
		"workStart": "2027-02-01T00:00:00+08:00", "workEnd": "2027-04-01T00:00:00+08:00"}) // overlaps A in February
	for _, no := range nos {
		ids := []string{concApply(t, s, no, posA), concApply(t, s, no, posB)}
		for _, id := range ids {
			concStep(t, s, utok, concHire, map[string]any{"id": id}, "HIRED")
		}
		stok := s.Student(t, no)
		out := make([]concOutcome, 2)
		concRace(2, func(k int) { out[k] = concMutate(s.URL, stok, concConfirm, map[string]any{"id": ids[k]}) })
		confirmed, capped := 0, 0
		for k, o := range out {
			d := concRead(t, s, ids[k])
			switch {
			case o.ok() && o.P.Application.Status == "CONFIRMED":
				confirmed++
				if d.Status != "CONFIRMED" || d.Employment == nil {
					t.Errorf("%s: application %s got %s with employment %v, want CONFIRMED with one", no, ids[k], d.Status, d.Employment)
				}
				concCheckTimeline(t, ids[k], d, "APPLY", "HIRE", "CONFIRM")
			case o.refused("HOURS_CAP"):
				capped++
				if d.Status != "HIRED" || d.Employment != nil {
					t.Errorf("%s: application %s got %s with employment %v, want HIRED without one", no, ids[k], d.Status, d.Employment)
				}
				concCheckTimeline(t, ids[k], d, "APPLY", "HIRE")
			default:
				t.Errorf("%s: confirm %s got %s, want CONFIRMED or HOURS_CAP", no, ids[k], o)
			}
		}
		if confirmed != 1 || capped != 1 {
			t.Errorf("%s: got %d CONFIRMED and %d HOURS_CAP, want 1 and 1", no, confirmed, capped)
		}
		if n := s.Count(t, `select count(*) from applications where student_no=$1 and status='CONFIRMED'`, no); n != 1 {
			t.Errorf("%s: database got %d CONFIRMED, want 1", no, n)
		}
	}
}

// TestConcurrencyRecordWorkPassesMonthlyCap: two units record 40 hours each for the same student
// and month, at once, across two employments; with the monthly cap of 60 one gets HOURS_CAP.
func TestConcurrencyRecordWorkPassesMonthlyCap(t *testing.T) {
	s := NewServer(t)
	nos := concStudents(401, 5)
	unitA, _ := s.SeedSchool(t, nos...)
	unitB := s.SeedUnit(t, "基础医学院")
	units := []string{unitA, unitB}
	posA := concPosition(t, s, unitA, "甲单位岗位", map[string]any{"headcount": 10}) // 10 h a week each: both can be confirmed
	posB := concPosition(t, s, unitB, "乙单位岗位", map[string]any{"headcount": 10})
	emps := map[string][]string{}
	for _, no := range nos {
		for k, pos := range []string{posA, posB} {
			id := concApply(t, s, no, pos)
			concStep(t, s, s.Unit(t, units[k]), concHire, map[string]any{"id": id}, "HIRED")
			concStep(t, s, s.Student(t, no), concConfirm, map[string]any{"id": id}, "CONFIRMED")
			emps[no] = append(emps[no], id)
		}
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	toks := []string{s.Unit(t, unitA), s.Unit(t, unitB)}
	for _, no := range nos {
		ids := emps[no]
		out := make([]concOutcome, 2)
		concRace(2, func(k int) {
			out[k] = concMutate(s.URL, toks[k], concRecord, map[string]any{"a": ids[k], "h": 40})
		})
		recorded, capped := 0, 0
		for k, o := range out {
			switch {
			case o.ok() && o.P.WorkRecord.Month == "2027-01" && o.P.WorkRecord.Hours == 40:
				recorded++
				concCheckTimeline(t, ids[k], concRead(t, s, ids[k]), "APPLY", "HIRE", "CONFIRM", "RECORD_WORK")
			case o.refused("HOURS_CAP"):
				capped++
				concCheckTimeline(t, ids[k], concRead(t, s, ids[k]), "APPLY", "HIRE", "CONFIRM")
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
