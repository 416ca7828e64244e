package service

import (
	"testing"

	"github.com/zhuguan/zhuguan/auth"
)

// specArrow is one arrow of SPEC.md's hire state machine diagram, written out by hand so that the
// test does not derive its expectation from Transitions itself.
type specArrow struct {
	from, to ApplicationStatus
	by       auth.Role
}

// specArrows is the diagram of SPEC.md "Application: the hire state machine": these six arrows
// and nothing else (apply creates an application and is not an arrow between statuses).
var specArrows = map[Event]specArrow{
	EventWithdraw: {from: "APPLIED", to: "WITHDRAWN", by: auth.RoleStudent},
	EventHire:     {from: "APPLIED", to: "HIRED", by: auth.RoleUnitStaff},
	EventReject:   {from: "APPLIED", to: "REJECTED", by: auth.RoleUnitStaff},
	EventConfirm:  {from: "HIRED", to: "CONFIRMED", by: auth.RoleStudent},
	EventDecline:  {from: "HIRED", to: "DECLINED", by: auth.RoleStudent},
	EventDismiss:  {from: "CONFIRMED", to: "DISMISSED", by: auth.RoleUnitStaff},
}

// specStatuses are the seven statuses of the diagram with their display labels.
var specStatuses = map[ApplicationStatus]string{
	"APPLIED": "已申请", "HIRED": "已聘用", "CONFIRMED": "已聘已确认", "DISMISSED": "已解聘",
	"REJECTED": "未录用", "DECLINED": "已放弃", "WITHDRAWN": "已撤回",
}

// arrowsOf returns the arrows of action in m.
func arrowsOf[S, A ~string](m Machine[S, A], action A) []Arrow[S, A] {
	var out []Arrow[S, A]
	for _, a := range m.Arrows {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

func TestTransitionsEventsAreExactlyTheSpecArrows(t *testing.T) {
	if got, want := len(ApplicationMachine.Arrows), len(specArrows); got != want {
		t.Errorf("len(ApplicationMachine.Arrows): got %d, want %d", got, want)
	}
	for _, a := range ApplicationMachine.Arrows {
		if _, ok := specArrows[a.Action]; !ok {
			t.Errorf("ApplicationMachine arrow %s: got an arrow, want none (not in SPEC's diagram)", a.Action)
		}
		if n := len(arrowsOf(ApplicationMachine, a.Action)); n != 1 {
			t.Errorf("ApplicationMachine arrows of %s: got %d, want 1", a.Action, n)
		}
	}
	for _, e := range []Event{EventApply, EventRecordWork, EventCorrectWork} {
		if len(arrowsOf(ApplicationMachine, e)) > 0 {
			t.Errorf("ApplicationMachine arrow %s: got an arrow, want none (not a transition between statuses)", e)
		}
	}
}

func TestTransitionsAllowedExhaustive(t *testing.T) {
	if got, want := len(AllApplicationStatuses), len(specStatuses); got != want {
		t.Fatalf("len(AllApplicationStatuses): got %d, want %d", got, want)
	}
	seen := map[ApplicationStatus]bool{}
	for _, st := range AllApplicationStatuses {
		if _, ok := specStatuses[st]; !ok {
			t.Errorf("AllApplicationStatuses: got %q, want only SPEC's statuses", st)
		}
		if seen[st] {
			t.Errorf("AllApplicationStatuses: got %q twice, want each once", st)
		}
		seen[st] = true
	}
	events := []Event{EventWithdraw, EventHire, EventReject, EventConfirm, EventDecline, EventDismiss,
		EventApply, EventRecordWork, EventCorrectWork}
	nAllowed := 0
	for _, st := range AllApplicationStatuses {
		for _, e := range events {
			arrow, isArrow := specArrows[e]
			want := isArrow && arrow.from == st
			if got := ApplicationMachine.Allowed(e, st); got != want {
				t.Errorf("allowed(%s, %s): got %v, want %v", e, st, got, want)
			}
			if want {
				nAllowed++
			}
		}
		// Unknown events and statuses are refused too.
		if ApplicationMachine.Allowed(Event("BOGUS"), st) {
			t.Errorf("allowed(BOGUS, %s): got true, want false", st)
		}
	}
	if nAllowed != 6 {
		t.Errorf("allowed pairs: got %d, want 6", nAllowed)
	}
	for e := range specArrows {
		if ApplicationMachine.Allowed(e, ApplicationStatus("")) || ApplicationMachine.Allowed(e, ApplicationStatus("PENDING")) {
			t.Errorf("allowed(%s, unknown status): got true, want false", e)
		}
	}
}

func TestTransitionsTargetsAndActors(t *testing.T) {
	for e, want := range specArrows {
		arrows := arrowsOf(ApplicationMachine, e)
		if len(arrows) == 0 {
			t.Errorf("arrow %s: got none, want %s -> %s by %s", e, want.from, want.to, want.by)
			continue
		}
		got := arrows[0]
		if got.From != want.from {
			t.Errorf("arrow %s.From: got %s, want %s", e, got.From, want.from)
		}
		if got.To != want.to {
			t.Errorf("arrow %s.To: got %s, want %s", e, got.To, want.to)
		}
		if got.By != want.by {
			t.Errorf("arrow %s.By: got %s, want %s", e, got.By, want.by)
		}
		if !got.To.Valid() {
			t.Errorf("arrow %s.To: got %q, want a valid status", e, got.To)
		}
	}
}

func TestApplicationStatusLabels(t *testing.T) {
	for _, st := range AllApplicationStatuses {
		if got, want := st.Label(), specStatuses[st]; got != want {
			t.Errorf("%s.Label(): got %q, want %q", st, got, want)
		}
		if !st.Valid() {
			t.Errorf("%s.Valid(): got false, want true", st)
		}
		if got, want := (Application{Status: st}).StatusLabel(), specStatuses[st]; got != want {
			t.Errorf("Application{%s}.StatusLabel(): got %q, want %q", st, got, want)
		}
	}
	for _, st := range []ApplicationStatus{"", "PENDING", "applied"} {
		if st.Valid() {
			t.Errorf("%q.Valid(): got true, want false", st)
		}
		if got := st.Label(); got != "" {
			t.Errorf("%q.Label(): got %q, want \"\"", st, got)
		}
	}
}

func TestApplicationStatusLive(t *testing.T) {
	live := map[ApplicationStatus]bool{"APPLIED": true, "HIRED": true, "CONFIRMED": true}
	for _, st := range AllApplicationStatuses {
		if got, want := st.Live(), live[st]; got != want {
			t.Errorf("%s.Live(): got %v, want %v", st, got, want)
		}
	}
}

// In each state machine the arrows of one action are taken by one side, which is who take lets
// act, and lead only between known statuses.
func TestMachinesArrowsOfAnActionShareTheirSide(t *testing.T) {
	check := func(name string, arrows [][3]string, valid func(string) bool) {
		by := map[string]string{}
		for _, a := range arrows {
			action, side := a[0], a[1]
			if b, ok := by[action]; ok && b != side {
				t.Errorf("%s: action %s is taken by %s and by %s, want one side", name, action, b, side)
			}
			by[action] = side
			if !valid(a[2]) {
				t.Errorf("%s: action %s leads to unknown status %q", name, action, a[2])
			}
		}
	}
	check("applications", machineRows(ApplicationMachine), func(s string) bool { return ApplicationStatus(s).Valid() })
	check("positions", machineRows(PositionMachine), func(s string) bool { return PositionStatus(s).Valid() })
	check("nominations", machineRows(NominationMachine), func(s string) bool { return NominationStatus(s).Valid() })
	check("pay months", machineRows(PayMonthMachine), func(s string) bool { return PayMonthStatus(s).Valid() })
}

// machineRows lists each arrow of m twice, as (action, side, status) with its From and its To.
func machineRows[S, A ~string](m Machine[S, A]) [][3]string {
	var out [][3]string
	for _, a := range m.Arrows {
		out = append(out, [3]string{string(a.Action), string(a.By), string(a.From)}, [3]string{string(a.Action), string(a.By), string(a.To)})
	}
	return out
}
