package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// nestedQuery is the history page with each row's detail three levels deep: the application,
// its timeline, work records and position, and the position's unit.
const nestedQuery = `query HistoryDetail { employmentHistory(first: 20) { edges { node { id positionTitle
	application { status timeline { event at } workRecords { month amount } position { title unit { name } } } } } } }`

// benchNested drives nestedQuery for random students and prints its latency and statements: what
// a page with nested objects costs, whose loads a loader batches or a list prefetches.
func benchNested(srv *server, v *auth.Verifier, duration time.Duration, conc int) error {
	tokens := make([]string, seededStudents())
	for i := range tokens {
		tokens[i], _ = v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleStudent, StudentNo: studentNo(i + 1)}, time.Hour)
	}
	if _, err := srv.gql(tokens[0], nestedQuery, nil, "X-Request-Id", "bench-probe"); err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"query": nestedQuery, "operationName": "HistoryDetail"})
	warm := func(r *rand.Rand) error { return srv.post(tokens[r.IntN(len(tokens))], body) }
	var warming, lat latencies
	if _, err := drive(duration/5, conc, &warming, warm); err != nil {
		return err
	}
	n, err := drive(duration, conc, &lat, warm)
	if err != nil {
		return err
	}
	fmt.Printf("employmentHistory(first: 20) with application { timeline workRecords position { unit } }, random students, concurrency %d, %s:\n",
		conc, duration)
	fmt.Printf("  %8.0f req/s  p50 %-9v p90 %-9v p99 %v\n", float64(n)/duration.Seconds(), lat.pct(0.5), lat.pct(0.9), lat.pct(0.99))
	fmt.Printf("  SQL statements per request: %s\n", srv.statementsOf("bench-probe"))
	return nil
}
