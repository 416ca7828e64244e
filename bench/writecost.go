package main

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// writeStatements are the writes whose triggers keep the reports' rollups (migrations 00008 and
// 00009), as the service sends them, on the seeded year: a confirmation (the first employment
// of a student with none: every counter of their groups changes), a dismissal (no student
// changes group), a month's first work record, and its correction. $1 is the application.
var writeStatements = []struct {
	name, pick, q string
}{
	{"confirm", `SELECT id FROM applications WHERE status = 'HIRED' ORDER BY id OFFSET $1 LIMIT 1`,
		`UPDATE applications SET status = 'CONFIRMED', started_at = now(), updated_at = now() WHERE id = $1`},
	{"dismiss", `SELECT id FROM applications WHERE status = 'CONFIRMED' ORDER BY id OFFSET $1 LIMIT 1`,
		`UPDATE applications SET status = 'DISMISSED', ended_at = now(), end_reason = '结束', updated_at = now() WHERE id = $1`},
	{"record work", `SELECT id FROM applications WHERE status = 'CONFIRMED' ORDER BY id OFFSET $1 LIMIT 1`,
		`INSERT INTO work_records (application_id, month, student_no, hours, amount_fen)
			SELECT id, '2026-01', student_no, 5, 50000 FROM applications WHERE id = $1
			ON CONFLICT (application_id, month) DO UPDATE SET hours = EXCLUDED.hours, amount_fen = EXCLUDED.amount_fen`},
	{"correct work", `SELECT id FROM applications WHERE status = 'CONFIRMED' ORDER BY id OFFSET $1 LIMIT 1`,
		`INSERT INTO work_records (application_id, month, student_no, hours, amount_fen)
			SELECT id, '2025-10', student_no, 6, 60000 FROM applications WHERE id = $1
			ON CONFLICT (application_id, month) DO UPDATE SET hours = EXCLUDED.hours, amount_fen = EXCLUDED.amount_fen`},
}

var triggerTime = regexp.MustCompile(`^Trigger (?:for constraint )?(\w+).*: time=([0-9.]+) calls=`)

// benchWriteCost runs each of writeStatements on runs different applications, each under
// EXPLAIN ANALYZE in a transaction that is rolled back (the data stays as seeded), and prints
// the median time of the statement and of each trigger it fired: what the rollups cost a write.
// All run on one connection after two runs to warm up, as the server's pooled connections have
// the triggers' plans cached.
func benchWriteCost(ctx context.Context, d *sqlx.DB, runs int) error {
	conn, err := d.Connx(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	fmt.Printf("write cost: medians of %d statements each, rolled back (EXPLAIN ANALYZE; trigger times in ms):\n", runs)
	for _, w := range writeStatements {
		var total []float64
		triggers := map[string][]float64{}
		for i := -2; i < runs; i++ {
			var id int64
			if err := conn.GetContext(ctx, &id, w.pick, i+2); err != nil {
				return fmt.Errorf("%s: pick an application: %w", w.name, err)
			}
			plan, settle, err := explainRolledBack(ctx, conn, w.q, id)
			if err != nil {
				return fmt.Errorf("%s: %w", w.name, err)
			}
			if i < 0 {
				continue
			}
			triggers["report_students_settle (at commit)"] = append(triggers["report_students_settle (at commit)"],
				float64(settle.Microseconds())/1000)
			for _, line := range plan {
				line = strings.TrimSpace(line)
				if m := triggerTime.FindStringSubmatch(line); m != nil {
					ms, _ := strconv.ParseFloat(m[2], 64)
					triggers[m[1]] = append(triggers[m[1]], ms)
				}
				if rest, ok := strings.CutPrefix(line, "Execution Time: "); ok {
					ms, _ := strconv.ParseFloat(strings.TrimSuffix(rest, " ms"), 64)
					total = append(total, ms)
				}
			}
		}
		names := make([]string, 0, len(triggers))
		for n := range triggers {
			names = append(names, n)
		}
		sort.Strings(names)
		var parts []string
		for _, n := range names {
			parts = append(parts, fmt.Sprintf("%s %.3f", n, median(triggers[n])))
		}
		fmt.Printf("  %-13s %7.3f ms   %s\n", w.name, median(total), strings.Join(parts, ", "))
	}
	return nil
}

// explainRolledBack returns the EXPLAIN ANALYZE plan of q run with id, in a transaction it rolls
// back, and how long the deferred trigger that settles report_students (migration 00009) took
// when made to fire before the rollback (as it would at commit), measured by the client.
func explainRolledBack(ctx context.Context, conn *sqlx.Conn, q string, id int64) ([]string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var plan []string
	if err := tx.SelectContext(ctx, &plan, "EXPLAIN (ANALYZE, COSTS OFF) "+q, id); err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	if _, err := tx.ExecContext(ctx, `SET CONSTRAINTS report_students_settle IMMEDIATE`); err != nil {
		return nil, 0, err
	}
	return plan, time.Since(t0), nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	return v[len(v)/2]
}
