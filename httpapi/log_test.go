package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
)

// lockedBuffer is a writer the test can read while the server writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Every request leaves one JSON line with its id, method, path, operation, status, statements
// and duration.
func TestRequestLogLine(t *testing.T) {
	var out lockedBuffer
	s := e2e.NewServer(t, e2e.WithLog(&out))

	body := `{"query": "query WhoAmI { me { role } }"}`
	res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(body),
		"Content-Type", "application/json", "Authorization", "Bearer "+s.Admin(t), "X-Request-Id", "log-probe-1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, raw)
	}
	e2e.RawRequest(t, http.MethodGet, s.URL+"/healthz", nil)

	type line struct {
		Msg        string `json:"msg"`
		RequestID  string `json:"request_id"`
		Method     string `json:"method"`
		Path       string `json:"path"`
		Operation  string `json:"operation"`
		Status     int    `json:"status"`
		Statements *int64 `json:"statements"`
		DurationUS *int64 `json:"duration_us"`
	}
	var lines []line
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", sc.Text(), err)
		}
		if l.Msg == "request" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("request lines: got %d (%s), want 2", len(lines), out.String())
	}
	g := lines[0]
	if g.RequestID != "log-probe-1" || g.Method != "POST" || g.Path != "/graphql" || g.Operation != "WhoAmI" ||
		g.Status != 200 || g.Statements == nil || g.DurationUS == nil || *g.DurationUS < 0 {
		t.Errorf("GraphQL request line: got %+v, want id log-probe-1, POST /graphql, operation WhoAmI, 200, statements and duration", g)
	}
	h := lines[1]
	if len(h.RequestID) != 16 || h.Path != "/healthz" || h.Operation != "" || h.Status != 200 {
		t.Errorf("health line: got %+v, want a generated 16-character id, /healthz, no operation, 200", h)
	}
}

// The log buffer writes a line out within its interval without being asked, and what is left
// when it closes.
func TestLogBuffer(t *testing.T) {
	var out lockedBuffer
	b := httpapi.NewLogBuffer(&out, 20*time.Millisecond)
	if _, err := b.Write([]byte("one\n")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for out.String() != "one\n" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := out.String(); got != "one\n" {
		t.Fatalf("after the interval: got %q, want %q", got, "one\n")
	}
	b2 := httpapi.NewLogBuffer(&out, time.Hour)
	if _, err := b2.Write([]byte("two\n")); err != nil {
		t.Fatal(err)
	}
	b2.Close()
	b.Close()
	if got := out.String(); got != "one\ntwo\n" {
		t.Errorf("after Close: got %q, want %q", got, "one\ntwo\n")
	}
}
