package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/service"
)

// wsMessage is a graphql-transport-ws message.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsClient is one graphql-transport-ws connection to a test server.
type wsClient struct {
	t *testing.T
	c *websocket.Conn
}

// dialWS opens a connection, with extra headers of the upgrade request as name, value pairs.
func dialWS(t *testing.T, base string, headers ...string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
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
	return &wsClient{t: t, c: c}
}

func (w *wsClient) send(m any) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, w.c, m); err != nil {
		w.t.Fatalf("send %v: %v", m, err)
	}
}

// next reads the next message that is not a keep-alive.
func (w *wsClient) next() wsMessage {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, w.c, &m); err != nil {
			w.t.Fatalf("read: %v", err)
		}
		if m.Type != "ping" && m.Type != "pong" {
			return m
		}
	}
}

// query runs one operation over the connection and returns its single result's payload.
func (w *wsClient) query(id, q string) string {
	w.t.Helper()
	w.send(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{"query": q}})
	res := w.next()
	if res.Type != "next" || res.ID != id {
		w.t.Fatalf("operation %s: got %s %s %s, want next", id, res.Type, res.ID, res.Payload)
	}
	if done := w.next(); done.Type != "complete" || done.ID != id {
		w.t.Fatalf("operation %s: got %s %s, want complete", id, done.Type, done.ID)
	}
	return string(res.Payload)
}

// A websocket connection is long-lived: the request deadline and the server's read and write
// timeouts that end ordinary requests do not end it, and the token of connection_init names
// the caller of each operation.
func TestWebsocketOutlivesRequestDeadlines(t *testing.T) {
	const short = 200 * time.Millisecond
	s := e2e.NewServer(t, e2e.WithLimits(httpapi.Limits{RequestTimeout: short, ReadTimeout: short, WriteTimeout: short}))
	ws := dialWS(t, s.URL)
	ws.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + s.Admin(t)}})
	if ack := ws.next(); ack.Type != "connection_ack" {
		t.Fatalf("after connection_init: got %s %s, want connection_ack", ack.Type, ack.Payload)
	}
	const want = `{"data":{"me":{"role":"ADMIN"}}}`
	if got := ws.query("1", `{ me { role } }`); got != want {
		t.Errorf("first operation: got %s, want %s", got, want)
	}
	// Every deadline of an ordinary request has passed after this; the connection must still work.
	time.Sleep(5 * short)
	if got := ws.query("2", `{ me { role } }`); got != want {
		t.Errorf("operation after the request deadline and both timeouts passed: got %s, want %s", got, want)
	}
}

// Without a token in connection_init (or the upgrade request) an operation is anonymous.
func TestWebsocketWithoutToken(t *testing.T) {
	s := e2e.NewServer(t)
	ws := dialWS(t, s.URL)
	ws.send(map[string]any{"type": "connection_init"})
	if ack := ws.next(); ack.Type != "connection_ack" {
		t.Fatalf("after connection_init: got %s %s, want connection_ack", ack.Type, ack.Payload)
	}
	var res struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal([]byte(ws.query("1", `{ me { role } }`)), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("anonymous operation: got %+v, want one UNAUTHENTICATED error", res.Errors)
	}
}

// Shutting the server down closes its websocket connections, which http.Server.Shutdown alone
// would leave open: they are hijacked, so it does not wait for them. An operation that arrives
// once shutdown began is refused.
func TestShutdownClosesWebsockets(t *testing.T) {
	v, err := auth.NewVerifier(e2e.TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	h := httpapi.New(httpapi.Deps{Service: service.New(nil), Verifier: v, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hs := httptest.NewUnstartedServer(h)
	hs.Config = h.Server("")
	hs.Start()
	defer hs.Close()
	tok, err := v.Sign(auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ws := dialWS(t, hs.URL)
	ws.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}})
	if ack := ws.next(); ack.Type != "connection_ack" {
		t.Fatalf("after connection_init: got %s, want connection_ack", ack.Type)
	}
	if got := ws.query("1", `{ me { role } }`); got != `{"data":{"me":{"role":"ADMIN"}}}` {
		t.Fatalf("before the shutdown: got %s, want the admin", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Config.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	h.Shutdown(ctx)
	var m wsMessage
	if err := wsjson.Read(ctx, ws.c, &m); err == nil || ctx.Err() != nil {
		t.Errorf("reading after the shutdown: got message %+v (%v), want the connection closed", m, ctx.Err())
	}
}

// A token given in connection_init and refused closes the connection instead of acknowledging it.
func TestWebsocketRefusesABadToken(t *testing.T) {
	s := e2e.NewServer(t)
	ws := dialWS(t, s.URL)
	ws.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer not-a-token"}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		var m wsMessage
		err := wsjson.Read(ctx, ws.c, &m)
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("after a bad token: still open after 10 s, want the connection closed")
			}
			return // closed
		}
		if m.Type == "connection_ack" {
			t.Fatalf("after a bad token: got connection_ack, want the connection closed")
		}
	}
}

// A connection ends when its token expires.
func TestWebsocketClosesWhenTheTokenExpires(t *testing.T) {
	s := e2e.NewServer(t)
	v, err := auth.NewVerifier(e2e.TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := v.Sign(auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ws := dialWS(t, s.URL)
	ws.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + tok}})
	if ack := ws.next(); ack.Type != "connection_ack" {
		t.Fatalf("after connection_init: got %s, want connection_ack", ack.Type)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		var m wsMessage
		if err := wsjson.Read(ctx, ws.c, &m); err != nil {
			if ctx.Err() != nil {
				t.Fatalf("10 s after a 1 s token: still open, want the connection closed at its expiry")
			}
			return
		}
	}
}

// Operations of one connection run concurrently, each with its own answer.
func TestWebsocketConcurrentOperations(t *testing.T) {
	s := e2e.NewServer(t)
	ws := dialWS(t, s.URL)
	ws.send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + s.Admin(t)}})
	if ack := ws.next(); ack.Type != "connection_ack" {
		t.Fatalf("after connection_init: got %s, want connection_ack", ack.Type)
	}
	const n = 20
	for i := range n {
		ws.send(map[string]any{"id": strconv.Itoa(i), "type": "subscribe", "payload": map[string]any{"query": `query Who { me { role } }`}})
	}
	results, completes := map[string]string{}, 0
	for completes < n {
		m := ws.next()
		switch m.Type {
		case "next":
			results[m.ID] = string(m.Payload)
		case "complete":
			completes++
		default:
			t.Fatalf("got %s %s, want next or complete", m.Type, m.Payload)
		}
	}
	for i := range n {
		if got := results[strconv.Itoa(i)]; got != `{"data":{"me":{"role":"ADMIN"}}}` {
			t.Errorf("operation %d: got %s, want the admin", i, got)
		}
	}
}
