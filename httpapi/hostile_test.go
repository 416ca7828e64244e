package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/service"
)

// The hostile documents of issue 11, built as the attacker built them.
var (
	// fragmentBomb is 1 KB of fragments each spreading the next twice: 2^25 fields once expanded.
	fragmentBomb = func() string {
		var b strings.Builder
		b.WriteString("{ ...F0 }\n")
		const n = 25
		for i := range n {
			fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
		}
		fmt.Fprintf(&b, "fragment F%d on Query { __typename }\n", n)
		return b.String()
	}()
	// typenames is __typename 14,990 times, just under the parser's token limit.
	typenames = "{ " + strings.Repeat("__typename ", 14990) + "}"
	// conflictingAliases is 1,000 selections of positions under one alias with different
	// arguments (35 KB): every pair conflicts.
	conflictingAliases = func() string {
		var b strings.Builder
		b.WriteString("{")
		for i := range 1000 {
			fmt.Fprintf(&b, " a: positions(first: %d) { totalCount }", i+1)
		}
		return b.String() + " }"
	}()
)

// fragmentTree is 1,023 fragments, each spreading two more: within the selection limit, but
// validation compares the fragments pairwise (580 ms before the spread limit).
var fragmentTree = func() string {
	var b strings.Builder
	b.WriteString("{ me { ...T1 } }")
	for i := 1; i < 1024; i++ {
		if 2*i < 1024 {
			fmt.Fprintf(&b, " fragment T%d on Viewer { role ...T%d ...T%d }", i, 2*i, 2*i+1)
		} else {
			fmt.Fprintf(&b, " fragment T%d on Viewer { role }", i)
		}
	}
	return b.String()
}()

// hostileDocuments are the documents BenchmarkHostileDocuments sends without a token.
var hostileDocuments = []struct{ name, query string }{
	{"fragment bomb", fragmentBomb},
	{"typename x14990", typenames},
	{"1000 conflicting aliases", conflictingAliases},
	{"1000 conflicting selections", strings.ReplaceAll(conflictingAliases, "a: ", "")},
	{"fragment tree 1023", fragmentTree},
}

// BenchmarkHostileDocuments sends each hostile document without a token to the real handler over
// loopback HTTP and reports the process's CPU time per request (server and client share the
// process; the client's part is reading the answer) and the response's size. It builds the
// handler with nothing but httpapi.New, so that the same file measures an older server:
//
//	go test -run XXX -bench HostileDocuments -benchtime 3x ./httpapi
func BenchmarkHostileDocuments(b *testing.B) {
	d := dbtest.Open(b, db.Config{MaxConns: 4, StatementTimeout: 10 * time.Second})
	v, err := auth.NewVerifier("bench-secret-0123456789abcdef")
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := httpapi.New(httpapi.Deps{Service: service.New(db.NewStore(d), service.WithLogger(logger)), Verifier: v, Logger: logger})
	srv := httptest.NewServer(h)
	b.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.Shutdown(ctx)
	})
	for _, c := range hostileDocuments {
		body, _ := json.Marshal(map[string]any{"query": c.query})
		b.Run(c.name, func(b *testing.B) {
			var cpu time.Duration
			var size int64
			var status int
			for range b.N {
				before := processCPU(b)
				res, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				size, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				status = res.StatusCode
				cpu += processCPU(b) - before
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(size), "resp-bytes")
			b.ReportMetric(float64(len(body)), "req-bytes")
			b.ReportMetric(float64(status), "status")
		})
	}
}

// processCPU is the CPU time, user and system, the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
