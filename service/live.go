package service

import (
	"context"
	"fmt"
	"sync"

	"github.com/zhuguan/zhuguan/auth"
)

// Live updates: every line written to an application's timeline (each transition, each work
// month recorded or corrected) is announced through the store inside the line's transaction, so
// the announcement leaves at commit and never for a change rolled back. The store's listener on
// every replica hands each announcement to ApplicationUpdated, which reads the application once
// and gives it to each subscriber who may see it (canSeeApplication, the rule of every read).

// liveBuffer is how many changes a subscriber may fall behind by; one further behind is ended,
// and its client re-reads what it shows when it subscribes again.
const liveBuffer = 32

// subscriber is one subscription to applicationUpdated.
type subscriber struct {
	ctx context.Context // the subscription's: it ends with the connection or the token
	p   *auth.Principal
	ch  chan *Application
}

// liveHub is the replica's set of subscribers.
type liveHub struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

// add registers sub until its context ends; then its channel is closed.
func (h *liveHub) add(sub *subscriber) {
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[*subscriber]struct{}{}
	}
	h.subs[sub] = struct{}{}
	h.mu.Unlock()
	context.AfterFunc(sub.ctx, func() { h.remove(sub) })
}

// remove closes sub's channel, once, whoever calls first (its context's end, or falling behind).
func (h *liveHub) remove(sub *subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(sub)
}

func (h *liveHub) removeLocked(sub *subscriber) {
	if _, ok := h.subs[sub]; ok {
		delete(h.subs, sub)
		close(sub.ch)
	}
}

// count is the number of subscribers.
func (h *liveHub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// deliver gives a to every subscriber who may see it and whose subscription has not ended; it
// never waits: a subscriber whose buffer is full is ended instead. It returns how many got it
// and how many were ended.
func (h *liveHub) deliver(a Application) (sent, dropped int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		if sub.ctx.Err() != nil || !canSeeApplication(sub.p, a) {
			continue
		}
		c := a // each subscriber's resolvers get their own copy
		select {
		case sub.ch <- &c:
			sent++
		default:
			h.removeLocked(sub)
			dropped++
		}
	}
	return sent, dropped
}

// ApplicationUpdates subscribes the caller to the committed changes of the applications they may
// see (any role: see canSeeApplication), each delivered as the application reads after the
// change. The channel is closed when ctx ends (the connection closes, the token expires) or when
// the caller falls liveBuffer changes behind. Returns UNAUTHENTICATED without a valid token.
func (s *Service) ApplicationUpdates(ctx context.Context) (<-chan *Application, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	sub := &subscriber{ctx: ctx, p: p, ch: make(chan *Application, liveBuffer)}
	s.live.add(sub)
	return sub.ch, nil
}

// Subscribers returns how many subscriptions this replica serves.
func (s *Service) Subscribers() int { return s.live.count() }

// ApplicationUpdated delivers the committed change of application id to this replica's
// subscribers who may see it; the listener calls it for every announcement, in order. It reads
// the application once, whatever the number of subscribers, and not at all without any; it logs
// the subscribers it ends for falling behind. Returns the store's error; an application that no
// longer exists is no error (nothing is sent).
func (s *Service) ApplicationUpdated(ctx context.Context, id int64) error {
	if s.live.count() == 0 {
		return nil
	}
	as, err := s.store.ApplicationsByID(ctx, []int64{id})
	if err != nil {
		return fmt.Errorf("application %d for subscribers: %w", id, err)
	}
	if len(as) == 0 {
		return nil
	}
	if _, dropped := s.live.deliver(as[0]); dropped > 0 {
		s.logger.WarnContext(ctx, "subscribers ended: too far behind", "application", id, "subscribers", dropped, "buffer", liveBuffer)
	}
	return nil
}

// appendTimeline writes a line of an application's timeline and announces the change to
// subscribers; the announcement leaves when tx commits.
func appendTimeline(ctx context.Context, tx Tx, e TimelineEntry) error {
	if err := tx.AppendEvent(ctx, e); err != nil {
		return err
	}
	return tx.PublishApplicationUpdated(ctx, e.ApplicationID)
}
