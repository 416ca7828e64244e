package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
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
	tokens := make([]string, seededStudents())
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
	pool, err := db.Open(ctx, dbURL, db.Config{MaxConns: conc})
	if err != nil {
		return err
	}
	defer pool.Close()
	query := func(no string) (string, []any) {
		return db.HistorySQLForBench(service.HistoryQuery{StudentNo: no, Columns: historyColumns, UnitName: true,
			Order: service.HistoryOrder{Direction: service.Desc}, Limit: 51, WithTotal: true})
	}
	text, _ := query(studentNo(1))
	stmt, err := pool.PrepareContext(ctx, text) // as pgbench -M prepared: planned once per connection
	if err != nil {
		return err
	}
	defer stmt.Close()

	// The two sides alternate in slices, so that a change of pace of the machine during the run
	// (other tenants, clock speed) falls on both rather than on whichever ran second.
	slice := duration / historyRounds
	pid := srv.cmd.Process.Pid
	var gql, direct phase
	ratios := make([]float64, 0, historyRounds)
	for round := 0; round < historyRounds; round++ {
		profiled := func() {}
		if round == 0 {
			profiled = srv.profileCPU(slice - time.Second)
		}
		gn, err := gql.run(slice, conc, pid, func(r *rand.Rand) error {
			return srv.post(tokens[r.IntN(len(tokens))], body)
		})
		profiled()
		if err != nil {
			return fmt.Errorf("graphql: %w", err)
		}
		sn, err := direct.run(slice, conc, pid, func(r *rand.Rand) error {
			_, args := query(studentNo(r.IntN(seededStudents()) + 1))
			return readAll(ctx, stmt, args)
		})
		if err != nil {
			return fmt.Errorf("sql: %w", err)
		}
		ratios = append(ratios, float64(gn)/float64(sn))
	}
	sort.Float64s(ratios)
	secs := float64(historyRounds) * slice.Seconds()
	fmt.Printf("employmentHistory(first: 50), 6 columns + totalCount, random students, concurrency %d, %d rounds of %s GraphQL then %s SQL:\n",
		conc, historyRounds, slice, slice)
	fmt.Printf("  GraphQL over HTTP: %8.0f req/s  p50 %-9v p99 %v\n", float64(gql.n)/secs, gql.lat.pct(0.5), gql.lat.pct(0.99))
	fmt.Printf("  same SQL directly: %8.0f req/s  p50 %-9v p99 %v\n", float64(direct.n)/secs, direct.lat.pct(0.5), direct.lat.pct(0.99))
	fmt.Printf("  CPU per request, GraphQL: %s\n", gql.cpu.perRequest(gql.n))
	fmt.Printf("  CPU per request, SQL:     %s\n", direct.cpu.perRequest(direct.n))
	fmt.Printf("  ratio GraphQL/SQL throughput: %.3f over the run, %.3f median of rounds %s (target >= 0.35)\n",
		float64(gql.n)/float64(direct.n), ratios[len(ratios)/2], fmt.Sprintf("%.3f", ratios))
	fmt.Printf("  ratio GraphQL/SQL p99: %.2f (target < 4)\n", float64(gql.lat.pct(0.99))/float64(direct.lat.pct(0.99)))
	fmt.Printf("  SQL statements per GraphQL request: %s\n", probeStatements)
	fmt.Printf("  server peak RSS: %s (target < 150 MB)\n", srv.peakRSS())
	return nil
}

// historyRounds is how many slices of each side a history run alternates.
const historyRounds = 3

// phase is one side of the history comparison, summed over its slices.
type phase struct {
	n   int64
	lat latencies
	cpu cpuUse // spent during the side's slices only
}

// run drives fn for one slice and adds it to the phase.
func (p *phase) run(d time.Duration, conc, serverPID int, fn func(*rand.Rand) error) (int64, error) {
	before := cpuNow(serverPID)
	n, err := drive(d, conc, &p.lat, fn)
	p.cpu = p.cpu.plus(cpuNow(serverPID).minus(before))
	p.n += n
	return n, err
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

// drive runs fn from conc goroutines for duration and returns how many calls succeeded and the
// first error, after which that goroutine stops.
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
