package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/service"
)

// TestSecret signs the test servers' tokens.
const TestSecret = "test-secret-0123456789abcdef"

// Server is the real HTTP server on a fresh database of its own, with a clock tests can move.
// Tests reach into production code through deliberate, documented options only: the service's
// clock (service.WithClock), the statement counter of the server's pool (db.Config.Counter), the
// handler's limits (httpapi.Deps.Limits, through WithLimits) and mode (Deps.Production and
// Deps.GraphiQL, through WithProduction), and the service's store (WithStore).
type Server struct {
	URL      string
	DB       *sqlx.DB // the server's own pool; tests read and write the database through it
	DBName   string   // the test database's name
	stmts    *db.StatementCounter
	verifier *auth.Verifier
	now      atomic.Pointer[time.Time]
	opts     options
	shutdown func(context.Context) error // the first instance's, as server.go shuts down
}

// Option changes how NewServer builds the server.
type Option func(*options)

type options struct {
	log    io.Writer // the server's JSON log at info level; nil: warnings and errors to the test's log
	limits httpapi.Limits
	store  func(service.Store) service.Store
	// production and graphiql are httpapi.Deps.Production and GraphiQL.
	production, graphiql bool
}

// WithLog writes the server's log, JSON lines from info level up, to w.
func WithLog(w io.Writer) Option { return func(o *options) { o.log = w } }

// WithLimits gives the server limits of its own (zero fields keep the defaults).
func WithLimits(l httpapi.Limits) Option { return func(o *options) { o.limits = l } }

// WithStore has the service use wrap(store) instead of the database's store: a test wraps it to
// make one method fail or panic (embedding service.Store, overriding that method), so that a
// fault reaches the resolvers as from production code, with no hook in it.
func WithStore(wrap func(service.Store) service.Store) Option {
	return func(o *options) { o.store = wrap }
}

// WithProduction serves as ENV=production does, with GraphiQL when graphiql (GRAPHIQL=on).
func WithProduction(graphiql bool) Option {
	return func(o *options) { o.production, o.graphiql = true, graphiql }
}

// NewServer starts the server on its own database, dropped when the test ends; the clock starts
// at 2026-11-15 10:00 in the school's zone.
func NewServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	s := &Server{stmts: &db.StatementCounter{}}
	for _, o := range opts {
		o(&s.opts)
	}
	s.DB = dbtest.Open(t, db.Config{MaxConns: 10, StatementTimeout: 10 * time.Second, Counter: s.stmts})
	if err := s.DB.Get(&s.DBName, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	v, err := auth.NewVerifier(TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	s.verifier = v
	s.SetNow(time.Date(2026, 11, 15, 10, 0, 0, 0, service.SchoolZone))
	s.URL = s.serve(t, s.DB, s.opts)
	return s
}

// serve starts a server instance on pool d, with s's clock and verifier and the options o, and a
// listener of its own that feeds its subscriptions, as server.go wires them; it returns its URL
// once the listener is established. The instance's websockets are closed and its listener stopped
// when the test ends.
func (s *Server) serve(t *testing.T, d *sqlx.DB, o options) string {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if o.log != nil {
		logger = slog.New(slog.NewJSONHandler(o.log, nil))
	}
	var store service.Store = db.NewStore(d)
	if o.store != nil {
		store = o.store(store)
	}
	svc := service.New(store, service.WithClock(func() time.Time { return *s.now.Load() }), service.WithLogger(logger))
	listener, err := db.NewListener(dbtest.URLOf(s.DBName), logger)
	if err != nil {
		t.Fatal(err)
	}
	live, stopLive := context.WithCancel(context.Background())
	go listener.Run(live, svc.ApplicationUpdated)
	h := httpapi.New(httpapi.Deps{
		Service:         svc,
		Verifier:        s.verifier,
		Logger:          logger,
		Ready:           func(ctx context.Context) error { return db.Ready(ctx, d) },
		Listener:        listener.Err,
		CountStatements: db.CountStatements,
		Limits:          o.limits,
		Production:      o.production,
		GraphiQL:        o.graphiql,
	})
	hs := httptest.NewUnstartedServer(h)
	hs.Config = h.Server("") // the production server's timeouts
	hs.Start()
	t.Cleanup(func() { // before the pool closes and the database is dropped
		hs.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.Shutdown(ctx)
		stopLive()
		listener.Close()
	})
	if s.shutdown == nil {
		s.shutdown = func(ctx context.Context) error {
			err := hs.Config.Shutdown(ctx)
			h.Shutdown(ctx)
			return err
		}
	}
	// Wait for the LISTEN before the first request, so that every change a test makes is heard
	// (and without asking /readyz, whose requests would show in the request log).
	for deadline := time.Now().Add(time.Minute); listener.Err() != nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("listener: %v after a minute", listener.Err())
		}
	}
	return hs.URL
}

// Shutdown shuts the server at s.URL down as server.go does on SIGINT: http.Server.Shutdown
// (which waits for ordinary requests in flight), then the handler's own for long-lived ones.
// It returns Shutdown's error, ctx's when requests outlasted it.
func (s *Server) Shutdown(ctx context.Context) error { return s.shutdown(ctx) }

// Replica starts another instance of the server on s's database, with a pool of its own and the
// same clock, as a second replica behind a load balancer would be, and returns its URL. A
// non-empty appName names the pool's sessions (application_name), so pg_stat_activity can tell
// them apart; the listener's session is always db.ListenerAppName. opts change s's options for
// this instance only (WithLimits: a replica with tiny limits serves data seeded through s under
// ordinary ones).
func (s *Server) Replica(t *testing.T, appName string, opts ...Option) string {
	t.Helper()
	u, err := url.Parse(dbtest.URLOf(s.DBName))
	if err != nil {
		t.Fatal(err)
	}
	if appName != "" {
		q := u.Query()
		q.Set("application_name", appName)
		u.RawQuery = q.Encode()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := db.Open(ctx, u.String(), db.Config{MaxConns: 10, StatementTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() }) // runs before the database is dropped, after the server closes
	o := s.opts
	for _, opt := range opts {
		opt(&o)
	}
	return s.serve(t, d, o)
}

// WaitReady reads base's /readyz until ok holds of it (what names the condition in the failure
// message) and returns that reading; it fails the test when a minute passes first. Tests wait
// so for the listener to be established, lost or back, and for their subscriptions to be
// registered, instead of sleeping.
func WaitReady(t *testing.T, base, what string, ok func(httpapi.Readiness) bool) httpapi.Readiness {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	var last httpapi.Readiness
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			err = json.NewDecoder(res.Body).Decode(&last)
			res.Body.Close()
		}
		if err == nil && ok(last) {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/readyz: still not %s after a minute; last %+v (%v)", base, what, last, err)
		}
		time.Sleep(10 * time.Millisecond) // the pace of the polling, not a wait for the condition
	}
}

// Listening is WaitReady's condition for an established listener.
func Listening(r httpapi.Readiness) bool { return r.Listener == "ok" }

// SetNow moves the server's clock.
func (s *Server) SetNow(t time.Time) { s.now.Store(&t) }

// Token signs a token for p valid for an hour.
func (s *Server) Token(t *testing.T, p auth.Principal) string {
	t.Helper()
	return s.TokenFor(t, p, time.Hour)
}

// TokenFor signs a token for p valid for ttl.
func (s *Server) TokenFor(t *testing.T, p auth.Principal, ttl time.Duration) string {
	t.Helper()
	tok, err := s.verifier.Sign(p, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Admin, Student and Unit are tokens for the three roles.
func (s *Server) Admin(t *testing.T) string {
	return s.Token(t, auth.Principal{Subject: "admin", Role: auth.RoleAdmin})
}

func (s *Server) Student(t *testing.T, no string) string {
	return s.Token(t, auth.Principal{Subject: "s" + no, Role: auth.RoleStudent, StudentNo: no})
}

func (s *Server) Unit(t *testing.T, id string) string {
	var n int64
	fmt.Sscan(id, &n)
	return s.Token(t, auth.Principal{Subject: "u" + id, Role: auth.RoleUnitStaff, UnitID: n})
}

// GQLError is one entry of a response's errors.
type GQLError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// Response is a decoded GraphQL response.
type Response struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []GQLError      `json:"errors"`
}

// Code is the extensions.code of the first error, "" when there is none.
func (r Response) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// Decode unmarshals data into v and fails the test when the response has errors.
func (r Response) Decode(t *testing.T, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// Do posts one operation with token ("" for none) and extra headers as name, value pairs.
func (s *Server) Do(t *testing.T, token, query string, vars map[string]any, headers ...string) Response {
	t.Helper()
	r, err := PostOp(s.URL, token, query, vars, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// NewRequest is a request to url with token as its bearer ("" for none) and headers as name,
// value pairs.
func NewRequest(method, url, token string, body io.Reader, headers ...string) (*http.Request, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req, nil
}

// PostOp posts one operation to the server at base, with extra headers as name, value pairs. It
// reports failures as an error rather than through t, so goroutines other than the test's may
// use it.
func PostOp(base, token, query string, vars map[string]any, headers ...string) (Response, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := NewRequest(http.MethodPost, base+"/graphql", token, bytes.NewReader(body), append([]string{"Content-Type", "application/json"}, headers...)...)
	if err != nil {
		return Response{}, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return Response{}, err
	}
	var r Response
	if err := json.Unmarshal(raw, &r); err != nil {
		return Response{}, fmt.Errorf("status %d, body %q: %w", res.StatusCode, raw, err)
	}
	r.Status = res.StatusCode
	return r, nil
}

// RawRequest makes one HTTP request, headers given as name, value pairs, and returns the
// response with its body read.
func RawRequest(t *testing.T, method, u string, body io.Reader, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res, raw
}

// Statements runs one operation and returns how many SQL statements the server sent for it.
// The test's own SQL (Count) goes through the same pool, so nothing else may run meanwhile. The
// count is exact: a list fetches its nested objects for the whole list before its elements
// resolve, so it does not depend on scheduling.
func (s *Server) Statements(t *testing.T, token, query string, vars map[string]any) (int64, Response) {
	t.Helper()
	before := s.stmts.Load()
	r := s.Do(t, token, query, vars)
	return s.stmts.Load() - before, r
}

// Count returns the number of rows a SQL count query finds, to prove what was (not) written.
func (s *Server) Count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB.Get(&n, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// mustTime parses an RFC 3339 time.
func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// testWriter sends the server's warnings and errors to the test's log, shown when it fails.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Race runs fn(0..n-1) in n goroutines that all wait on one barrier, opens it once every
// goroutine is waiting, and returns when all are done.
func Race(n int, fn func(i int)) {
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

// WSMessage is a graphql-transport-ws message.
type WSMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// WS is one graphql-transport-ws connection to a test server. A goroutine of its own reads it,
// answering the server's pings (which it would otherwise take for a dead client) and queueing
// every other message for Next.
type WS struct {
	t    *testing.T
	c    *websocket.Conn
	msgs chan WSMessage // closed when the connection ends; err then says how
	err  error
}

// wsWait bounds every wait for a message or the close: generous, for a busy machine.
const wsWait = 30 * time.Second

// DialWS opens a graphql-transport-ws connection to base's /graphql, closed when the test ends,
// with extra headers of the upgrade request as name, value pairs.
func DialWS(t *testing.T, base string, headers ...string) *WS {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	h := http.Header{}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
	if err != nil {
		t.Fatalf("websocket upgrade of /graphql: %v", err)
	}
	t.Cleanup(func() { c.Close(websocket.StatusNormalClosure, "") })
	if got := c.Subprotocol(); got != "graphql-transport-ws" {
		t.Fatalf("subprotocol: got %q, want graphql-transport-ws", got)
	}
	w := &WS{t: t, c: c, msgs: make(chan WSMessage, 1024)}
	go w.read()
	return w
}

func (w *WS) read() {
	defer close(w.msgs)
	for {
		var m WSMessage
		if err := wsjson.Read(context.Background(), w.c, &m); err != nil {
			w.err = err
			return
		}
		switch m.Type {
		case "ping":
			ctx, cancel := context.WithTimeout(context.Background(), wsWait)
			_ = wsjson.Write(ctx, w.c, WSMessage{Type: "pong"}) // a failure ends the next Read
			cancel()
		case "pong":
		default:
			w.msgs <- m
		}
	}
}

// Send writes m to the connection.
func (w *WS) Send(m any) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wsWait)
	defer cancel()
	if err := wsjson.Write(ctx, w.c, m); err != nil {
		w.t.Fatalf("send %v: %v", m, err)
	}
}

// Next returns the next message that is not a ping or pong; it fails the test when the
// connection ends first or none comes in time.
func (w *WS) Next() WSMessage {
	w.t.Helper()
	select {
	case m, ok := <-w.msgs:
		if !ok {
			w.t.Fatalf("websocket: closed (%v), want a message", w.err)
		}
		return m
	case <-time.After(wsWait):
		w.t.Fatalf("websocket: no message in %v", wsWait)
	}
	return WSMessage{}
}

// Init sends connection_init with token ("" for none) and fails the test unless it is
// acknowledged.
func (w *WS) Init(token string) {
	w.t.Helper()
	m := map[string]any{"type": "connection_init"}
	if token != "" {
		m["payload"] = map[string]any{"Authorization": "Bearer " + token}
	}
	w.Send(m)
	if ack := w.Next(); ack.Type != "connection_ack" {
		w.t.Fatalf("after connection_init: got %s %s, want connection_ack", ack.Type, ack.Payload)
	}
}

// Subscribe starts operation id with query q.
func (w *WS) Subscribe(id, q string) {
	w.t.Helper()
	w.Send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": q}})
}

// Query runs one operation over the connection and returns its single result's payload.
func (w *WS) Query(id, q string) string {
	w.t.Helper()
	w.Subscribe(id, q)
	res := w.Next()
	if res.Type != "next" || res.ID != id {
		w.t.Fatalf("operation %s: got %s %s %s, want next", id, res.Type, res.ID, res.Payload)
	}
	if done := w.Next(); done.Type != "complete" || done.ID != id {
		w.t.Fatalf("operation %s: got %s %s, want complete", id, done.Type, done.ID)
	}
	return string(res.Payload)
}

// Closed waits for the server to close the connection, skipping the messages before, and
// returns the close frame's code and reason (-1 when the connection ended without one); it
// fails the test when the connection is still open after wsWait.
func (w *WS) Closed() (websocket.StatusCode, string) {
	w.t.Helper()
	timeout := time.After(wsWait)
	for {
		select {
		case _, ok := <-w.msgs:
			if ok {
				continue
			}
			var ce websocket.CloseError
			if errors.As(w.err, &ce) {
				return ce.Code, ce.Reason
			}
			return -1, ""
		case <-timeout:
			w.t.Fatalf("websocket: still open after %v, want it closed", wsWait)
		}
	}
}
