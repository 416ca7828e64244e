package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/service"
)

// reportShapes are the reports a dashboard asks for most, on the seeded year (200,000
// applications): the target is 50 ms for each of the first three. The last is what a unit's
// staff see: their unit's report, which reads the indexes for its 25 positions only.
var reportShapes = []struct {
	name   string
	dims   []service.ReportDimension
	filter service.ReportFilter
}{
	{"UNIT", []service.ReportDimension{service.DimUnit}, service.ReportFilter{}},
	{"MONTH", []service.ReportDimension{service.DimMonth}, service.ReportFilter{}},
	{"UNIT x MONTH", []service.ReportDimension{service.DimUnit, service.DimMonth}, service.ReportFilter{}},
	{"all four", service.AllReportDimensions, service.ReportFilter{}},
	{"one unit, all four", service.AllReportDimensions, service.ReportFilter{UnitID: ptr(int64(7))}},
	// A month filter keeps the students of those months only, counted from the rows (db/reports.go).
	{"UNIT, 2025-11..12", []service.ReportDimension{service.DimUnit}, service.ReportFilter{FromMonth: ptr("2025-11"), ToMonth: ptr("2025-12")}},
}

func ptr[T any](v T) *T { return &v }

// reportRuns is how many times each report is asked for.
var reportRuns int

// benchReport asks the server for each report shape runs times in a row (one client: a report
// is a dashboard's occasional request, not a load) and prints the median and p90 of the whole
// GraphQL request and of its statement run directly, then the statement's plan: its time and the
// indexes it reads; then what the rollups behind reports cost a write (benchWriteCost).
func benchReport(ctx context.Context, d *sqlx.DB, srv *server, v *auth.Verifier, runs int) error {
	const year = "2025-2026"
	admin, err := v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleAdmin}, time.Hour)
	if err != nil {
		return err
	}
	const query = `query($y: String!, $g: [ReportDimension!]!, $f: ReportFilter) { report(academicYear: $y, groupBy: $g, filter: $f) {
		rows { unit { id name } nature dutyCategory month positions headcount applications hired confirmed dismissed students hours paidAmount }
		total { positions applications hired confirmed dismissed students hours paidAmount } } }`
	load, _ := os.ReadFile("/proc/loadavg") // the figures mean little on a busy machine: say how busy
	fmt.Printf("reports of %s (200,000 applications), %d runs each after 2 to warm up; median and p90 (load average %s):\n",
		year, runs, strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
	var failed error
	for _, sh := range reportShapes {
		dims := make([]string, len(sh.dims))
		for i, dim := range sh.dims {
			dims[i] = string(dim)
		}
		var gql, direct latencies
		for i := -2; i < runs; i++ {
			t0 := time.Now()
			vars := map[string]any{"y": year, "g": dims, "f": filterVars(sh.filter)}
			if _, err := srv.gql(admin, query, vars); err != nil {
				// Past the request deadline (20 s) on a very busy machine; the statement alone is still measured.
				failed = fmt.Errorf("report %s through GraphQL: %w", sh.name, err)
				fmt.Println("  " + failed.Error())
				break
			}
			if i >= 0 {
				gql.add(time.Since(t0))
			}
		}
		text, args := db.ReportSQLForBench(service.ReportQuery{AcademicYear: year, GroupBy: sh.dims, ReportFilter: sh.filter})
		for i := -2; i < runs; i++ {
			t0 := time.Now()
			r, err := d.QueryxContext(ctx, text, args...)
			if err != nil {
				return fmt.Errorf("report %s statement: %w", sh.name, err)
			}
			for r.Next() { // read every row, as the server does
			}
			if err := r.Close(); err != nil {
				return err
			}
			if i >= 0 {
				direct.add(time.Since(t0))
			}
		}
		fmt.Printf("  %-18s GraphQL %9v %9v   SQL alone %9v %9v\n", sh.name, gql.pct(0.5), gql.pct(0.9), direct.pct(0.5), direct.pct(0.9))
	}
	fmt.Println("EXPLAIN ANALYZE of the report statements:")
	for _, sh := range reportShapes {
		text, args := db.ReportSQLForBench(service.ReportQuery{AcademicYear: year, GroupBy: sh.dims, ReportFilter: sh.filter})
		plan, reads, err := explain(ctx, d, text, args)
		if err != nil {
			return fmt.Errorf("explain %s: %w", sh.name, err)
		}
		fmt.Printf("  %-18s %-12s reads %s\n", sh.name, strings.TrimSpace(strings.TrimPrefix(plan[len(plan)-1], "Execution Time:")),
			strings.Join(reads, ", "))
	}
	if err := benchWriteCost(ctx, d, runs); err != nil {
		return err
	}
	return failed
}

// filterVars is f as the report query's filter variable.
func filterVars(f service.ReportFilter) map[string]any {
	v := map[string]any{}
	if f.UnitID != nil {
		v["unitId"] = strconv.FormatInt(*f.UnitID, 10)
	}
	if f.FromMonth != nil {
		v["fromMonth"] = *f.FromMonth
	}
	if f.ToMonth != nil {
		v["toMonth"] = *f.ToMonth
	}
	return v
}
