package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
)

// aliased is n aliases of field, under the alias limit.
func aliased(n int, field string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " f%d: %s", i, field)
	}
	return b.String()
}

// A request whose deadline passes while its fields wait for the database (a table the test
// holds locked, so the deadline passes whatever the machine's speed) stops there: the client gets
// one TIMEOUT error naming the limit, not one per field, nothing is applied, and the log has one
// line for the request, marked timed_out.
func TestDeadlineStopsTheRequestOnce(t *testing.T) {
	const timeout = 300 * time.Millisecond
	var out lockedBuffer
	s := e2e.NewServer(t, e2e.WithLog(&out), e2e.WithLimits(httpapi.Limits{RequestTimeout: timeout}))
	admin := s.Admin(t)
	for _, c := range []struct {
		name, table, query string
		fields             int
	}{
		{"query", "positions", "{" + aliased(25, `positions(first: 1) { totalCount edges { node { id title } } }`) + " }", 25},
		// A mutation's fields run one after the other: the first waits out the deadline, the
		// others are never started.
		{"mutation", "units", "mutation {" + aliased(25, `createUnit(input: {name: "U"}) { unit { id } userErrors { code } }`) + " }", 25},
	} {
		t.Run(c.name, func(t *testing.T) {
			units := s.Count(t, `SELECT count(*) FROM units`)
			tx, err := s.DB.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(`LOCK TABLE ` + c.table + ` IN ACCESS EXCLUSIVE MODE`); err != nil {
				t.Fatal(err)
			}
			rid := "deadline-" + c.name
			r := s.Do(t, admin, c.query, nil, "X-Request-Id", rid, "Accept-Language", "en")
			if err := tx.Rollback(); err != nil {
				t.Fatal(err)
			}
			if len(r.Errors) != 1 || r.Code() != httpapi.CodeTimeout ||
				!strings.HasPrefix(r.Errors[0].Message, "the request ran past its time limit of "+timeout.String()+": ") {
				t.Errorf("errors: got %+v, want one %s error naming the limit %s", r.Errors, httpapi.CodeTimeout, timeout)
			}
			if n := s.Count(t, `SELECT count(*) FROM units`); n != units {
				t.Errorf("units: got %d, want %d: nothing applied", n, units)
			}
			lines := requestLines(t, &out, rid)
			if len(lines) != 1 || lines[0]["msg"] != "request" || lines[0]["timed_out"] != true {
				t.Errorf("log lines of the request: got %v, want the one request line, marked timed_out", lines)
			}
		})
	}
}

// requestLines waits until the request line of request id rid is written (the last line a
// request writes, after its response), then returns every line naming rid.
func requestLines(t *testing.T, out *lockedBuffer, rid string) []map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		var lines []map[string]any
		done := false
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var l map[string]any
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("log line is not JSON: %q: %v", sc.Text(), err)
			}
			if l["request_id"] == rid {
				lines = append(lines, l)
				done = done || l["msg"] == "request"
			}
		}
		if done {
			return lines
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no request line for %s after a minute; log:\n%s", rid, out.String())
		case <-time.After(5 * time.Millisecond): // the pace of the polling, not a wait for the condition
		}
	}
}

// An operation over a websocket has the same deadline, with the same answer, and logs one line
// of its own (the connection's request line stands for all its operations).
func TestDeadlineStopsAWebsocketOperationOnce(t *testing.T) {
	const timeout = 300 * time.Millisecond
	var out lockedBuffer
	s := e2e.NewServer(t, e2e.WithLog(&out), e2e.WithLimits(httpapi.Limits{RequestTimeout: timeout}))
	ws := e2e.DialWS(t, s.URL, "X-Request-Id", "deadline-ws")
	ws.Init(s.Admin(t))
	tx, err := s.DB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE positions IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	payload := ws.Query("1", "{"+aliased(25, `positions(first: 1) { totalCount }`)+" }")
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	var r e2e.Response
	if err := json.Unmarshal([]byte(payload), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 1 || r.Code() != httpapi.CodeTimeout || !strings.Contains(r.Errors[0].Message, "25") {
		t.Errorf("errors: got %+v, want one %s error counting 25 fields", r.Errors, httpapi.CodeTimeout)
	}
	// The line is written before the answer is sent.
	var lines []string
	for l := range strings.Lines(out.String()) {
		if strings.Contains(l, `"deadline-ws"`) {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], `"msg":"operation timed out"`) {
		t.Errorf("log lines of the connection: got %q, want one operation timed out", lines)
	}
}
