package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/service"
)

// preparedShapes is how many distinct history statements the prepared mode runs: the count the
// hardening issue found growing PostgreSQL's backends from 30 MB to 737 MB.
const preparedShapes = 2100

// benchPrepared runs preparedShapes distinct history statements through the store on a pool of
// one connection, pass after pass until no more of them get prepared, and prints what that one
// PostgreSQL backend holds before and after: its memory contexts (pg_backend_memory_contexts,
// read on the same connection), its resident memory (/proc) and its prepared statements. The
// server's pool has DB_MAX_CONNS such backends, each growing alike.
func benchPrepared(ctx context.Context, dbURL string) error {
	d, err := db.Open(ctx, dbURL, db.Config{MaxConns: 1, StatementTimeout: time.Minute})
	if err != nil {
		return err
	}
	defer d.Close()
	store := db.NewStore(d)
	shapes := historyShapes(preparedShapes)
	before, err := backendMemory(ctx, d)
	if err != nil {
		return err
	}
	fmt.Printf("%d distinct history statements on one connection (backend pid %d)\n", len(shapes), before.pid)
	fmt.Printf("before:  %s\n", before)
	start := time.Now()
	runs, last := 0, before
	for pass := 1; pass <= 10; pass++ {
		for _, q := range shapes {
			if _, err := store.History(ctx, q); err != nil {
				return fmt.Errorf("history: %w", err)
			}
			runs++
		}
		m, err := backendMemory(ctx, d)
		if err != nil {
			return err
		}
		fmt.Printf("pass %2d: %s\n", pass, m)
		if pass > 1 && m.prepared == last.prepared {
			break
		}
		last = m
	}
	fmt.Printf("%d statements in %v (%.0f us each)\n", runs, time.Since(start).Round(time.Millisecond),
		float64(time.Since(start).Microseconds())/float64(runs))
	// What a shape past the bound costs: the first shape is prepared, the last one is not; they
	// alternate so that the machine's load weighs on both alike.
	var took [2]time.Duration
	const rounds = 1000
	for range rounds {
		for i, q := range []service.HistoryQuery{shapes[0], shapes[len(shapes)-1]} {
			t0 := time.Now()
			if _, err := store.History(ctx, q); err != nil {
				return fmt.Errorf("history: %w", err)
			}
			took[i] += time.Since(t0)
		}
	}
	fmt.Printf("one page, %d times each: prepared %.0f us, unprepared %.0f us\n", rounds,
		float64(took[0].Microseconds())/rounds, float64(took[1].Microseconds())/rounds)
	return nil
}

// historyShapes makes n history queries whose statements all differ: every choice of columns,
// then the same with the total count.
func historyShapes(n int) []service.HistoryQuery {
	var out []service.HistoryQuery
	seen := map[string]bool{}
	defs := service.AllHistoryColumns
	for _, total := range []bool{false, true} {
		for mask := 1; mask < 1<<len(defs) && len(out) < n; mask++ {
			var cols []service.HistoryColumn
			for i, c := range defs {
				if mask&(1<<i) != 0 {
					cols = append(cols, c)
				}
			}
			q := service.HistoryQuery{Columns: cols, StudentNo: "20160931", Limit: 21, WithTotal: total,
				Order: service.HistoryOrder{Column: service.ColWorkStart, Direction: service.Desc}}
			if text, _ := db.HistorySQLForBench(q); !seen[text] {
				seen[text] = true
				out = append(out, q)
			}
		}
	}
	return out
}

// memory is what one PostgreSQL backend holds.
type memory struct {
	pid                 int
	contexts, rss, anon int64 // bytes
	prepared            int
}

func (m memory) String() string {
	return fmt.Sprintf("memory contexts %6.1f MB, VmRSS %6.1f MB, RssAnon %6.1f MB, %4d statements prepared",
		float64(m.contexts)/1e6, float64(m.rss)/1e6, float64(m.anon)/1e6, m.prepared)
}

// backendMemory reads the memory of the backend behind d, a pool of one connection.
func backendMemory(ctx context.Context, d *sqlx.DB) (memory, error) {
	var m memory
	const q = `SELECT pg_backend_pid(), (SELECT sum(total_bytes) FROM pg_backend_memory_contexts)::bigint,
		(SELECT count(*) FROM pg_prepared_statements)`
	if err := d.QueryRowContext(ctx, q).Scan(&m.pid, &m.contexts, &m.prepared); err != nil {
		return m, fmt.Errorf("backend memory: %w", err)
	}
	m.rss, m.anon = procStatus(m.pid, "VmRSS:"), procStatus(m.pid, "RssAnon:")
	return m, nil
}

// procStatus reads one kB field of /proc/<pid>/status in bytes; 0 when it cannot be read (a
// PostgreSQL on another machine).
func procStatus(pid int, field string) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
