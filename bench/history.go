package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/service"
)

// historyQuery is the portal's history page with six columns, as a client would send it.
const historyQuery = `query History { employmentHistory(first: 50) { totalCount edges { node {
	id statusLabel unit { name } positionTitle paidAmount nature workStart } } } }`

// historyColumns are the six columns of historyQuery, for the same statement run directly.
var historyColumns = []service.HistoryColumn{service.ColStatus, service.ColUnit, service.ColPositionTitle,
	service.ColPaidAmount, service.ColNature, service.ColWorkStart}

// benchHistory drives the history page for random students through the server, then runs the
// statement the server runs for it directly at the same concurrency: the physical limit.
func benchHistory(ctx context.Context, dbURL string, srv *server, v *auth.Verifier, duration time.Duration, conc int) error {
	tokens := make([]string, 20000)
	for i := range tokens {
		tokens[i], _ = v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleStudent, StudentNo: studentNo(i + 1)}, time.Hour)
	}
	if _, err := srv.gql(tokens[0], historyQuery, nil, "X-Request-Id", "bench-probe"); err != nil {
		return err
	}
	probeStatements := srv.statementsOf("bench-probe")

	body, _ := json.Marshal(map[string]any{"query": historyQuery, "operationName": "History"})
	// Steady state first: every student's page once, as a portal's users page through their
	// history with one token each, so the token cache and PostgreSQL's buffers are warm.
	var next atomic.Int64
	if err := parallel(conc, func() error {
		for i := next.Add(1) - 1; i < int64(len(tokens)); i = next.Add(1) - 1 {
			if err := srv.post(tokens[i], body); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	var gqlLat latencies
	profiled := srv.profileCPU(duration - time.Second)
	gqlCPU := cpuNow(srv.cmd.Process.Pid)
	gqlN, gqlErr := drive(duration, conc, &gqlLat, func(r *rand.Rand) error {
		return srv.post(tokens[r.IntN(len(tokens))], body)
	})
	gqlCPUEnd := cpuNow(srv.cmd.Process.Pid)
	profiled()
	rss := srv.peakRSS()

	pool, err := db.Open(ctx, dbURL, db.Config{MaxConns: conc})
	if err != nil {
		return err
	}
	defer pool.Close()
	query := func(no string) (string, []any) {
		return db.HistorySQL(service.HistoryQuery{StudentNo: no, Columns: historyColumns, UnitName: true,
			Order: service.HistoryOrder{Direction: service.Desc}, Limit: 51, WithTotal: true})
	}
	text, _ := query(studentNo(1))
	stmt, err := pool.PrepareContext(ctx, text) // as pgbench -M prepared: planned once per connection
	if err != nil {
		return err
	}
	defer stmt.Close()
	var sqlLat latencies
	sqlCPU := cpuNow(0)
	sqlN, sqlErr := drive(duration, conc, &sqlLat, func(r *rand.Rand) error {
		_, args := query(studentNo(r.IntN(20000) + 1))
		return readAll(ctx, stmt, args)
	})
	sqlCPUEnd := cpuNow(0)
	if gqlErr != nil || sqlErr != nil {
		return fmt.Errorf("graphql: %v; sql: %v", gqlErr, sqlErr)
	}
	gqlRPS, sqlRPS := float64(gqlN)/duration.Seconds(), float64(sqlN)/duration.Seconds()
	fmt.Printf("employmentHistory(first: 50), 6 columns + totalCount, random students, concurrency %d, %s each:\n", conc, duration)
	fmt.Printf("  GraphQL over HTTP: %8.0f req/s  p50 %-9v p99 %v\n", gqlRPS, gqlLat.pct(0.5), gqlLat.pct(0.99))
	fmt.Printf("  same SQL directly: %8.0f req/s  p50 %-9v p99 %v\n", sqlRPS, sqlLat.pct(0.5), sqlLat.pct(0.99))
	fmt.Printf("  CPU per request, GraphQL: %s\n", perRequest(gqlCPU, gqlCPUEnd, gqlN))
	fmt.Printf("  CPU per request, SQL:     %s\n", perRequest(sqlCPU, sqlCPUEnd, sqlN))
	fmt.Printf("  ratio GraphQL/SQL throughput: %.2f (target >= 0.35)\n", gqlRPS/sqlRPS)
	fmt.Printf("  ratio GraphQL/SQL p99: %.2f (target < 4)\n", float64(gqlLat.pct(0.99))/float64(sqlLat.pct(0.99)))
	fmt.Printf("  SQL statements per GraphQL request: %s\n", probeStatements)
	fmt.Printf("  server peak RSS: %s (target < 150 MB)\n", rss)
	return nil
}

func studentNo(i int) string { return fmt.Sprintf("s%07d", i) }

// parallel runs fn on conc goroutines and returns the first error.
func parallel(conc int, fn func() error) error {
	errs := make(chan error, conc)
	for w := 0; w < conc; w++ {
		go func() { errs <- fn() }()
	}
	var first error
	for w := 0; w < conc; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// drive runs fn from conc goroutines for duration and returns how many calls succeeded, or the
// first error.
func drive(duration time.Duration, conc int, lat *latencies, fn func(*rand.Rand) error) (int64, error) {
	var n atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, seed*7919))
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if err := fn(r); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				lat.add(time.Since(t0))
				n.Add(1)
			}
		}(uint64(w + 1))
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return n.Load(), err
	}
	return n.Load(), nil
}

// readAll runs the statement and reads every value of every row, as a client of the database would.
func readAll(ctx context.Context, stmt *sql.Stmt, args []any) error {
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}
