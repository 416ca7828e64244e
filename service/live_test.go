package service

import (
	"context"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// The hub gives a change to exactly the subscribers who may see it, ends one that falls
// liveBuffer changes behind instead of waiting for it, and forgets one whose context ended.
func TestLiveHubDelivers(t *testing.T) {
	var h liveHub
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sub := func(p auth.Principal) *subscriber {
		s := &subscriber{ctx: ctx, p: &p, ch: make(chan *Application, liveBuffer)}
		h.add(s)
		return s
	}
	student := sub(auth.Principal{Role: auth.RoleStudent, StudentNo: "20230001"})
	other := sub(auth.Principal{Role: auth.RoleStudent, StudentNo: "20230002"})
	unit := sub(auth.Principal{Role: auth.RoleUnitStaff, UnitID: 7})
	admin := sub(auth.Principal{Role: auth.RoleAdmin})
	endedCtx, end := context.WithCancel(context.Background())
	ended := &subscriber{ctx: endedCtx, p: &auth.Principal{Role: auth.RoleAdmin}, ch: make(chan *Application, liveBuffer)}
	h.add(ended)
	end()

	a := Application{ID: 1, UnitID: 7, StudentNo: "20230001", Status: AppApplied}
	if sent, dropped := h.deliver(a); sent != 3 || dropped != 0 {
		t.Errorf("deliver: got %d sent, %d dropped, want 3 and 0", sent, dropped)
	}
	for name, s := range map[string]*subscriber{"student": student, "unit": unit, "admin": admin} {
		if got := len(s.ch); got != 1 {
			t.Errorf("%s: got %d changes, want 1", name, got)
		}
	}
	if got := len(other.ch); got != 0 {
		t.Errorf("another student: got %d changes, want 0", got)
	}
	if got := len(ended.ch); got != 0 {
		t.Errorf("an ended subscription: got %d changes, want 0", got)
	}

	<-admin.ch
	// The student stops reading: liveBuffer changes fill their buffer, the next ends them (the
	// admin, who sees these too, has read the first and has room).
	for range liveBuffer - 1 {
		h.deliver(Application{ID: 2, UnitID: 8, StudentNo: "20230001"})
	}
	if _, dropped := h.deliver(Application{ID: 3, UnitID: 8, StudentNo: "20230001"}); dropped != 1 {
		t.Errorf("a change past a full buffer: got %d dropped, want 1", dropped)
	}
	n := 0
	for range student.ch { // closed after the buffered changes
		n++
	}
	if n != liveBuffer {
		t.Errorf("changes before the end: got %d, want %d", n, liveBuffer)
	}
	// The ended subscription's removal runs as its context ends; the others stay.
	for deadline := time.Now().Add(time.Minute); h.count() != 3; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("subscribers: got %d, want 3 (other, unit, admin)", h.count())
		}
	}
}
