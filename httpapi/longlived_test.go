package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/service"
)

// A websocket connection is long-lived: the request deadline and the server's read and write
// timeouts that end ordinary requests do not end it, and the token of connection_init names
// the caller of each operation.
func TestWebsocketOutlivesRequestDeadlines(t *testing.T) {
	const short = 200 * time.Millisecond
	s := e2e.NewServer(t, e2e.WithLimits(httpapi.Limits{RequestTimeout: short, ReadTimeout: short, WriteTimeout: short}))
	ws := e2e.DialWS(t, s.URL)
	ws.Init(s.Admin(t))
	const want = `{"data":{"me":{"role":"ADMIN"}}}`
	if got := ws.Query("1", `{ me { role } }`); got != want {
		t.Errorf("first operation: got %s, want %s", got, want)
	}
	// Every deadline of an ordinary request has passed after this; the connection must still work.
	time.Sleep(5 * short)
	if got := ws.Query("2", `{ me { role } }`); got != want {
		t.Errorf("operation after the request deadline and both timeouts passed: got %s, want %s", got, want)
	}
}

// Without a token in connection_init (or the upgrade request) the connection is refused: closed
// with graphql-transport-ws's 4403 and the reason, never acknowledged.
func TestWebsocketWithoutToken(t *testing.T) {
	s := e2e.NewServer(t)
	ws := e2e.DialWS(t, s.URL)
	ws.Send(map[string]any{"type": "connection_init"})
	wantRefused(t, ws, "未提供令牌")
}

// wantRefused checks that the connection closes with 4403 and a reason containing want.
func wantRefused(t *testing.T, ws *e2e.WS, want string) {
	t.Helper()
	code, reason := ws.Closed()
	if code != 4403 || !strings.Contains(reason, want) {
		t.Errorf("close: got %d %q, want 4403 with %q", code, reason, want)
	}
}

// Shutting the server down closes its websocket connections, which http.Server.Shutdown alone
// would leave open: they are hijacked, so it does not wait for them. A subscription does not hold
// the shutdown back; it ends with its connection's normal close, and the service forgets it.
func TestShutdownClosesWebsockets(t *testing.T) {
	v, err := auth.NewVerifier(e2e.TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(nil)
	h := httpapi.New(httpapi.Deps{Service: svc, Verifier: v, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	hs := httptest.NewUnstartedServer(h)
	hs.Config = h.Server("")
	hs.Start()
	defer hs.Close()
	tok, err := v.Sign(auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ws := e2e.DialWS(t, hs.URL)
	ws.Init(tok)
	if got := ws.Query("1", `{ me { role } }`); got != `{"data":{"me":{"role":"ADMIN"}}}` {
		t.Fatalf("before the shutdown: got %s, want the admin", got)
	}
	ws.Subscribe("2", `subscription { applicationUpdated { id } }`)
	e2e.WaitReady(t, hs.URL, "subscribed", func(r httpapi.Readiness) bool { return r.Subscribers == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Config.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	h.Shutdown(ctx)
	if code, _ := ws.Closed(); code != websocket.StatusNormalClosure {
		t.Errorf("close at shutdown: got %d, want %d", code, websocket.StatusNormalClosure)
	}
	for svc.Subscribers() != 0 { // the subscription's end is noted as its context ends
		if ctx.Err() != nil {
			t.Fatalf("after the shutdown: %d subscribers, want 0", svc.Subscribers())
		}
		time.Sleep(time.Millisecond)
	}
}

// A token given in connection_init and refused closes the connection with 4403 instead of
// acknowledging it.
func TestWebsocketRefusesABadToken(t *testing.T) {
	s := e2e.NewServer(t)
	ws := e2e.DialWS(t, s.URL)
	ws.Send(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer not-a-token"}})
	wantRefused(t, ws, "令牌格式无效")
}

// A connection ends when its token expires, with graphql-transport-ws's 4403 and the reason.
func TestWebsocketClosesWhenTheTokenExpires(t *testing.T) {
	s := e2e.NewServer(t)
	ws := e2e.DialWS(t, s.URL)
	ws.Init(s.TokenFor(t, auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, 2*time.Second))
	if code, reason := ws.Closed(); code != 4403 || !strings.Contains(reason, "令牌已过期") {
		t.Errorf("close at the token's expiry: got %d %q, want 4403 with 令牌已过期", code, reason)
	}
}

// Operations of one connection run concurrently, each with its own answer.
func TestWebsocketConcurrentOperations(t *testing.T) {
	s := e2e.NewServer(t)
	ws := e2e.DialWS(t, s.URL)
	ws.Init(s.Admin(t))
	const n = 20
	for i := range n {
		ws.Send(map[string]any{"id": strconv.Itoa(i), "type": "subscribe", "payload": map[string]any{"query": `query Who { me { role } }`}})
	}
	results, completes := map[string]string{}, 0
	for completes < n {
		m := ws.Next()
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
