package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/service"
)

// explainHistory runs EXPLAIN ANALYZE on the history statements the portal sends most, on the
// seeded data, and prints for each the indexes its plan reads, the rows it scans and its time.
func explainHistory(ctx context.Context, d *sqlx.DB) error {
	var emptyUnit int64
	if err := d.GetContext(ctx, &emptyUnit, `INSERT INTO units (name) VALUES ('没有聘用记录的单位') RETURNING id`); err != nil {
		return fmt.Errorf("unit without rows: %w", err)
	}
	str := func(s string) *string { return &s }
	page := func(q service.HistoryQuery) service.HistoryQuery {
		q.Columns, q.UnitName, q.Limit = service.AllHistoryColumns, true, 51
		if q.Order.Direction == "" {
			q.Order.Direction = service.Desc
		}
		return q
	}
	shapes := []struct {
		name string
		q    service.HistoryQuery
	}{
		{"student, newest first", page(service.HistoryQuery{StudentNo: studentNo(42)})},
		{"student, newest first, totalCount", page(service.HistoryQuery{StudentNo: studentNo(42), WithTotal: true})},
		{"student, year filter, by work start", page(service.HistoryQuery{StudentNo: studentNo(42),
			HistoryFilter: service.HistoryFilter{AcademicYear: str("2025-2026")},
			Order:         service.HistoryOrder{Column: service.ColWorkStart, Direction: service.Asc}})},
		{"unit, newest first", page(service.HistoryQuery{UnitID: 7})},
		{"unit, newest first, totalCount", page(service.HistoryQuery{UnitID: 7, WithTotal: true})},
		{"unit without rows, newest first", page(service.HistoryQuery{UnitID: emptyUnit})},
		{"unit, by paid amount", page(service.HistoryQuery{UnitID: 7,
			Order: service.HistoryOrder{Column: service.ColPaidAmount, Direction: service.Desc}})},
		{"admin, keyword, totalCount", page(service.HistoryQuery{WithTotal: true,
			HistoryFilter: service.HistoryFilter{Keyword: str("岗位1")}})},
		{"admin, all rows, newest first", page(service.HistoryQuery{})},
		{"admin, all rows, by work start", page(service.HistoryQuery{
			Order: service.HistoryOrder{Column: service.ColWorkStart, Direction: service.Desc}})},
		{"admin, unit filter", page(service.HistoryQuery{HistoryFilter: service.HistoryFilter{UnitID: func() *int64 { u := int64(7); return &u }()}})},
	}
	fmt.Println("EXPLAIN ANALYZE of history statements (51-row page, all 11 columns):")
	for _, sh := range shapes {
		text, args := db.HistorySQLForBench(sh.q)
		plan, reads, err := explain(ctx, d, text, args)
		if err != nil {
			return fmt.Errorf("%s: %w", sh.name, err)
		}
		fmt.Printf("  %-38s %-22s reads %s\n", sh.name, strings.TrimSpace(strings.TrimPrefix(plan[len(plan)-1], "Execution Time:")),
			strings.Join(reads, ", "))
	}
	return nil
}

var (
	indexScan = regexp.MustCompile(`(?:Index|Index Only|Bitmap Index) Scan(?: Backward)? (?:using|on) (\w+)`)
	seqScan   = regexp.MustCompile(`Seq Scan on (\w+)`)
)

// explain runs EXPLAIN ANALYZE of a statement and returns its plan and what the plan reads: each
// index once, in the plan's order, and "seq scan of T" for each table it reads whole.
func explain(ctx context.Context, d *sqlx.DB, text string, args []any) (plan, reads []string, err error) {
	if err := d.SelectContext(ctx, &plan, "EXPLAIN (ANALYZE, COSTS OFF) "+text, args...); err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, line := range plan {
		for _, m := range indexScan.FindAllStringSubmatch(line, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				reads = append(reads, m[1])
			}
		}
		for _, m := range seqScan.FindAllStringSubmatch(line, -1) {
			if !seen["seq "+m[1]] {
				seen["seq "+m[1]] = true
				reads = append(reads, "seq scan of "+m[1])
			}
		}
	}
	return plan, reads, nil
}
