package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
)

// applicationsChannel is the NOTIFY channel on which committed changes of applications are
// announced, the payload being the application's id: small, so that every replica reads the
// application itself, as each of its subscribers may see it.
const applicationsChannel = "zhuguan_application_updated"

// PublishApplicationUpdated announces that application id changed. PostgreSQL delivers a
// notification sent inside a transaction when it commits, and drops it when it rolls back, so
// listeners (on every replica) hear only of committed changes, after the commit.
func (s queries) PublishApplicationUpdated(ctx context.Context, id int64) error {
	const q = `SELECT pg_notify($1, $2)`
	return s.exec(ctx, q, applicationsChannel, strconv.FormatInt(id, 10))
}

// ListenerAppName is the application_name of the listener's session unless its URL names one,
// so that pg_stat_activity tells it from the pool's sessions.
const ListenerAppName = "zhuguan-listener"

// The listener's reconnection waits: from the first to the longest, doubling after each failure.
const (
	listenerMinReconnect = 100 * time.Millisecond
	listenerMaxReconnect = 5 * time.Second
)

// ErrListenerDown is Listener.Err while LISTEN is not established: before the first connection,
// and from a lost connection until it is back.
var ErrListenerDown = errors.New("listener down")

// Listener hears the announcements of PublishApplicationUpdated on a session of its own. A lost
// session is re-established by itself (lib/pq's pq.Listener repeats the LISTEN before it reports
// the reconnection); announcements committed while it was down are not heard, so delivery is at
// most once and clients re-read what they show when they reconnect.
type Listener struct {
	pq     *pq.Listener
	logger *slog.Logger
	// connected follows pq's connection events; listening is set once the first LISTEN is
	// acknowledged. Err is nil only when both hold.
	connected, listening atomic.Bool
}

// NewListener starts listening on the database at rawURL in the background (Err reports when it
// is established) and returns at once; close it with Close. It fails only for a URL that does
// not parse.
func NewListener(rawURL string, logger *slog.Logger) (*Listener, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse listener URL: %w", err)
	}
	q := u.Query()
	if q.Get("application_name") == "" {
		q.Set("application_name", ListenerAppName)
	}
	withConnectTimeout(q) // a reconnection that hangs would hold the listener down for as long
	u.RawQuery = q.Encode()
	l := &Listener{logger: logger}
	l.pq = pq.NewListener(u.String(), listenerMinReconnect, listenerMaxReconnect, l.event)
	go func() {
		// Listen waits for the first connection, however long the database takes to answer.
		err := l.pq.Listen(applicationsChannel)
		switch {
		case err == nil:
			l.listening.Store(true)
		case !errors.Is(err, net.ErrClosed):
			logger.Error("listen", "channel", applicationsChannel, "err", err)
		}
	}()
	return l, nil
}

// event follows the connection's state; pq calls it from the goroutine that delivers
// notifications, so it does no more than record and log.
func (l *Listener) event(e pq.ListenerEventType, err error) {
	switch e {
	case pq.ListenerEventConnected, pq.ListenerEventReconnected:
		l.connected.Store(true)
		l.logger.Info("listener connected", "event", e.String())
	case pq.ListenerEventDisconnected:
		l.connected.Store(false)
		l.logger.Warn("listener disconnected; announcements until it is back are lost", "err", err)
	case pq.ListenerEventConnectionAttemptFailed:
		l.connected.Store(false)
		l.logger.Warn("listener reconnection failed", "err", err)
	}
}

// Err returns nil while LISTEN is established, else ErrListenerDown.
func (l *Listener) Err() error {
	if l.connected.Load() && l.listening.Load() {
		return nil
	}
	return ErrListenerDown
}

// deliverTimeout bounds each delivery: it reads the database, on behalf of every subscriber.
const deliverTimeout = 10 * time.Second

// Run calls deliver with the id of every application announced, one at a time in the order
// heard, until ctx ends or the listener is closed; deliver's errors are logged. A payload that
// is not an id is logged and skipped.
func (l *Listener) Run(ctx context.Context, deliver func(ctx context.Context, applicationID int64) error) {
	for {
		select {
		case <-ctx.Done():
			return
		case n, ok := <-l.pq.Notify:
			if !ok {
				return
			}
			if n == nil { // pq's mark of a reconnection: what was sent meanwhile is lost
				continue
			}
			id, err := strconv.ParseInt(n.Extra, 10, 64)
			if err != nil {
				l.logger.Error("announcement is not an application id", "channel", n.Channel, "payload", n.Extra)
				continue
			}
			dctx, cancel := context.WithTimeout(ctx, deliverTimeout)
			if err := deliver(dctx, id); err != nil {
				l.logger.Error("live update not delivered", "application", id, "err", err)
			}
			cancel()
		}
	}
}

// Close ends the listener's session and stops its reconnections.
func (l *Listener) Close() error {
	if err := l.pq.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close listener: %w", err)
	}
	return nil
}
