package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// The three state machines of the program (applications, positions, nominations) share one
// shape: a Machine lists its arrows as data, and take drives any of them in one transaction:
// lock the object, check who may act and that an arrow of the action starts at its status, run
// the arrow's own rules, write the change (on condition that the status is still the arrow's
// start, or under the lock for an edit), and record it in the object's history. A new status or
// arrow is one row of a Machine plus, when it has one, its rule.

// Arrow is one arrow of a state machine: Action takes an object from From to To, and By may take
// it. Where By is RoleUnitStaff, admin may act for any unit too. An arrow whose From and To are
// equal changes the object but not its status (an edit) and is not recorded in its history.
type Arrow[S, A ~string] struct {
	Action   A
	From, To S
	By       auth.Role
}

// Machine is a state machine: these arrows, and nothing else.
type Machine[S, A ~string] struct {
	Arrows []Arrow[S, A]
}

// Allowed reports whether action may be taken from status from.
func (m Machine[S, A]) Allowed(action A, from S) bool {
	_, ok := m.arrow(action, from, "")
	return ok
}

// arrow finds the arrow of action from status from; to, when not empty, picks among an
// action's several targets (a review awards or does not).
func (m Machine[S, A]) arrow(action A, from, to S) (Arrow[S, A], bool) {
	for _, a := range m.Arrows {
		if a.Action == action && a.From == from && (to == "" || a.To == to) {
			return a, true
		}
	}
	return Arrow[S, A]{}, false
}

// roles returns who may take action: its arrows' side (every arrow of one action has the same),
// and admin for a unit's action.
func (m Machine[S, A]) roles(action A) []auth.Role {
	for _, a := range m.Arrows {
		if a.Action == action {
			if a.By == auth.RoleUnitStaff {
				return []auth.Role{auth.RoleUnitStaff, auth.RoleAdmin}
			}
			return []auth.Role{a.By}
		}
	}
	return nil
}

// StatusEvent is one line of an object's status history: its creation (From nil) and every
// change of status, with who made it and the note kept with it. Positions and nominations keep
// one (PositionEvent, NominationEvent); applications keep a richer timeline (TimelineEntry).
type StatusEvent[S ~string] struct {
	ID       int64     `db:"id"`
	ObjectID int64     `db:"object_id"` // the position's or nomination's id
	From     *S        `db:"from_status"`
	To       S         `db:"to_status"`
	Actor    string    `db:"actor"`
	Note     string    `db:"note"`
	At       time.Time `db:"at"`
}

// Change is who takes an arrow, when, and the note kept with it in the history.
type Change struct {
	Actor *auth.Principal
	At    time.Time
	Note  string
}

// kind is how take reads, checks, writes and records one kind of object T whose status is S.
type kind[T any, S, A ~string] struct {
	name    string // the object's kind in NOT_FOUND messages
	machine Machine[S, A]
	// lock reads object id and locks it until the transaction ends; ErrNoRows when it is missing.
	lock    func(ctx context.Context, tx Tx, id int64) (T, error)
	status  func(T) S
	visible func(p *auth.Principal, obj T) bool
	// refused is the INVALID_TRANSITION message for an object in status cur.
	refused func(ctx context.Context, cur S, action A) string
	// together reports the status refusal with the rules' refusals at once (so a student sees
	// everything that stands in the way); otherwise the rules run only once the arrow applies.
	together bool
	// write moves id along a on condition that it is still in a.From; ErrNoRows when it is not.
	write func(ctx context.Context, tx Tx, cur T, a Arrow[S, A], c Change) (T, error)
	// record appends the change to the object's history.
	record func(ctx context.Context, tx Tx, id int64, a Arrow[S, A], c Change) error
}

// step is one use of an action on one object.
type step[T any, S, A ~string] struct {
	action A
	to     S // the target, when the action has several; "" otherwise
	id     int64
	note   string
	// rules are the arrow's own checks besides its status; nil when it has none. Its user errors
	// refuse the step; its error is a failure of the store.
	rules func(tx Tx, cur *T, c Change) ([]UserError, error)
	// write replaces the kind's write for an arrow that changes more than the status (an edit):
	// conditional on the arrow's From where the store can make it so, else safe under the lock.
	write func(tx Tx, cur T, a Arrow[S, A], c Change) (T, error)
	// input are the refusals of the step's own input, reported once the caller may act and
	// before anything is read.
	input []UserError
}

// take runs st in one transaction. It returns UNAUTHENTICATED or FORBIDDEN, then the step's input
// refusals (UserErrors), before anything is read; NOT_FOUND for an object that is missing or that
// the caller may not see; and UserErrors (INVALID_TRANSITION naming the current status, and the
// rules' refusals) with nothing changed.
func take[T any, S, A ~string](ctx context.Context, s *Service, k kind[T, S, A], st step[T, S, A]) (*T, error) {
	p, err := requireRole(ctx, k.machine.roles(st.action)...)
	if err != nil {
		return nil, err
	}
	if len(st.input) > 0 {
		return nil, UserErrors(st.input)
	}
	var out T
	err = s.inTx(ctx, func(tx Tx) error {
		cur, err := k.lock(ctx, tx, st.id)
		if errors.Is(err, ErrNoRows) || (err == nil && !k.visible(p, cur)) {
			return notFound(ctx, k.name, st.id)
		}
		if err != nil {
			return err
		}
		c := Change{Actor: p, At: s.now(), Note: st.note}
		var refusals []UserError
		arrow, ok := k.machine.arrow(st.action, k.status(cur), st.to)
		if !ok {
			refusals = append(refusals, UserError{Code: UserErrInvalidTransition, Message: k.refused(ctx, k.status(cur), st.action)})
			if !k.together {
				return UserErrors(refusals)
			}
		}
		if st.rules != nil {
			ue, err := st.rules(tx, &cur, c)
			if err != nil {
				return err
			}
			refusals = append(refusals, ue...)
		}
		if len(refusals) > 0 {
			return UserErrors(refusals)
		}
		if st.write != nil {
			out, err = st.write(tx, cur, arrow, c)
		} else {
			out, err = k.write(ctx, tx, cur, arrow, c)
		}
		if err != nil || arrow.From == arrow.To {
			return err
		}
		return k.record(ctx, tx, st.id, arrow, c)
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s %d: %w", strings.ToLower(string(st.action)), k.name, st.id, err)
	}
	return &out, nil
}
