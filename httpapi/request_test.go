package httpapi

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// connWriter is a ResponseWriter that can flush and hand over its connection, as net/http's is.
type connWriter struct {
	*httptest.ResponseRecorder
	hijacked bool
}

func (w *connWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	a, _ := net.Pipe()
	return a, nil, nil
}

// The log's status recorder keeps what the writer underneath can do: hijacking (websocket
// upgrades), flushing (streamed responses) and, through Unwrap, the connection's deadlines.
func TestResponseWriterKeepsCapabilities(t *testing.T) {
	under := &connWriter{ResponseRecorder: httptest.NewRecorder()}
	var w http.ResponseWriter = &responseWriter{ResponseWriter: under, status: http.StatusOK}
	if u, ok := w.(interface{ Unwrap() http.ResponseWriter }); !ok || u.Unwrap() != under {
		t.Errorf("Unwrap: got %v, want the writer underneath", ok)
	}
	f, ok := w.(http.Flusher)
	if !ok {
		t.Fatal("the status recorder hides http.Flusher")
	}
	f.Flush()
	if !under.Flushed {
		t.Error("Flush did not reach the writer underneath")
	}
	h, ok := w.(http.Hijacker)
	if !ok {
		t.Fatal("the status recorder hides http.Hijacker")
	}
	conn, _, err := h.Hijack()
	if err != nil || !under.hijacked {
		t.Fatalf("Hijack: got %v (reached the writer underneath: %v), want the connection", err, under.hijacked)
	}
	conn.Close()
	if got := w.(*responseWriter).status; got != http.StatusSwitchingProtocols {
		t.Errorf("status after a hijack: got %d, want 101", got)
	}
}

// A long-lived request is not cut by the request deadline or the server's write timeout, which
// do cut an ordinary one: the same handler streams for longer than both, and only the long-lived
// request gets every line.
func TestLongLivedRequestOutlivesDeadlines(t *testing.T) {
	const short = 100 * time.Millisecond
	v, err := auth.NewVerifier("test-secret-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	d := Deps{Service: service.New(nil), Verifier: v, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Limits: Limits{RequestTimeout: short, WriteTimeout: short}}
	h := New(d)
	const lines = 20 // a second in all, ten times the deadlines, so the ordinary request is cut however busy the machine
	stream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := range lines {
			fmt.Fprintf(w, "line %d\n", i)
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(short / 2):
			}
		}
	})
	hs := httptest.NewUnstartedServer(nil)
	hs.Config = h.Server("")
	hs.Config.Handler = h.withRequest(d, stream)
	hs.Start()
	defer hs.Close()

	get := func(upgrade string) int {
		req, _ := http.NewRequest(http.MethodGet, hs.URL, nil)
		if upgrade != "" {
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Upgrade", upgrade)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		defer res.Body.Close()
		n := 0
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			n++
		}
		return n
	}
	if got := get("websocket"); got != lines {
		t.Errorf("long-lived request: got %d lines, want all %d", got, lines)
	}
	if got := get(""); got >= lines {
		t.Errorf("ordinary request: got all %d lines, want it cut by its deadline", got)
	}
}
