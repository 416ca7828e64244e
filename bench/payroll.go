package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
)

// payrollMonth is a month of the seed's work records (every employment has one).
const payrollMonth = "2025-11"

// benchPayroll measures one month of the seed's pay sheet: the payroll query's first page
// (first: 100, with the month's totals and without) asked 20 times each, its median and p90 and
// its SQL statements from the server's request log; then the month's CSV pay sheet downloaded once, its
// rows, time and the server's RSS before and at its peak. It fails when the file does not have
// a row per record, a subtotal per student and the total.
func benchPayroll(ctx context.Context, d *sqlx.DB, srv *server, v *auth.Verifier) error {
	var records, students int
	if err := d.QueryRowxContext(ctx, `SELECT count(*), count(DISTINCT student_no) FROM work_records WHERE month = $1`,
		payrollMonth).Scan(&records, &students); err != nil {
		return err
	}
	tok, _ := v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleAdmin}, time.Hour)
	const page = `edges { node { student { studentNo name } hours amount lines { unit { name } positionTitle applicationId hours amount } } }`
	vars := map[string]any{"m": payrollMonth}
	fmt.Printf("pay sheet of %s: %d records of %d students\n", payrollMonth, records, students)
	for _, c := range []struct{ id, name, q string }{
		{"bench-payroll-totals", "with the month's totals", `query($m: Month!) { payroll(month: $m, first: 100) { totalCount totalHours totalAmount ` + page + ` } }`},
		{"bench-payroll-page", "without totals", `query($m: Month!) { payroll(month: $m, first: 100) { ` + page + ` } }`},
	} {
		id := c.id
		if _, err := srv.gql(tok, c.q, vars, "X-Request-Id", id); err != nil {
			return err
		}
		const payrollRuns = 20
		lat := make([]time.Duration, payrollRuns)
		for i := range lat {
			t0 := time.Now()
			if _, err := srv.gql(tok, c.q, vars); err != nil {
				return err
			}
			lat[i] = time.Since(t0)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Printf("  payroll(first: 100) with lines, %s, %d runs: p50 %v p90 %v; SQL statements: %s\n", c.name,
			payrollRuns, lat[payrollRuns/2].Round(time.Microsecond), lat[payrollRuns*9/10].Round(time.Microsecond), srv.statementsOf(id))
	}

	before, _ := srv.memory()
	peakRSS := srv.samplePeakRSS()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.url+"/export/payroll.csv?month="+payrollMonth, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Request-Id", "bench-payroll-csv")
	t0 := time.Now()
	n, size, err := readCSV(req, peakRSS)
	if err != nil {
		return fmt.Errorf("payroll export: %w", err)
	}
	elapsed := time.Since(t0)
	peak := peakRSS()
	rows := n - 1 // the header row
	fmt.Printf("  payroll.csv: %d rows (%d lines, %d subtotals, the total), %.1f MB in %s; SQL statements: %s\n",
		rows, records, students, float64(size)/1e6, elapsed.Round(time.Millisecond), srv.statementsOf("bench-payroll-csv"))
	fmt.Printf("  server RSS: %.1f MB before, peak %.1f MB during (sampled every 20 ms)\n", mb(before), mb(peak))
	if want := records + students + 1; rows != want {
		return fmt.Errorf("payroll export: got %d rows, want %d", rows, want)
	}
	return nil
}
