package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// seedSQL fills a migrated database at the scale of a real school: 20,000 students, 200 units,
// 5,000 positions of last year and 200,000 applications with timelines and monthly work records,
// plus bench positions of this year that the hire benchmark applies to; each count in braces is
// divided by the seed's scale. Set-based SQL keeps it to seconds, but for the rows' triggers.
var seedSQL = []string{
	`INSERT INTO academic_years VALUES
		('2025-2026', '2025-09-01', '2026-07-31', '2026-06-01', '2026-06-30', 40, 20, 80, now()),
		('2026-2027', '2026-09-01', '2027-07-31', '2027-06-01', '2027-06-30', 40, 20, 80, now())`,
	`INSERT INTO units (name) SELECT '单位' || g FROM generate_series(1, {units}) g`,
	`INSERT INTO students (student_no, name, phone, email, degree, department, full_time, enrolled, financial_need)
		SELECT 's' || lpad(g::text, 7, '0'), '学生' || g, '13800000000', 's' || g || '@bjmu.edu.cn',
			CASE WHEN g % 3 = 0 THEN 'DOCTORAL' ELSE 'MASTER' END, '院系' || (g % 30), true, true, g % 7 = 0
		FROM generate_series(1, {students}) g`,
	`INSERT INTO profiles (student_no, academic_year, specialties, natures, weekly_hours, phone, email)
		SELECT student_no, y, '写作与数据整理', '{LONG_TERM,TEMPORARY}', 20, phone, email
		FROM students, unnest(ARRAY['2025-2026', '2026-2027']) y`,
	`INSERT INTO positions (unit_id, academic_year, title, description, nature, duty_category, headcount, pay_fen,
			weekly_hours, work_time_requirement, apply_start, apply_end, work_start, work_end, status, published_at)
		SELECT g % {units} + 1, '2025-2026', '岗位' || g, '负责' || g || '号岗位的日常事务与数据整理',
			CASE WHEN g % 2 = 0 THEN 'LONG_TERM' ELSE 'TEMPORARY' END,
			(ARRAY['ADMINISTRATIVE','WRITING','DATA_ANALYSIS','EVENT_PLANNING','PHOTO_VIDEO','POSTER_DESIGN','SOCIAL_MEDIA','OTHER'])[g % 8 + 1],
			100, 100000 + (g % 20) * 10000, 8, '工作日下午', '2025-09-01', '2025-09-20', '2025-10-01', '2026-06-30', 'CLOSED',
			'2025-08-31'
		FROM generate_series(1, {positions}) g`,
	// Each student applies to ten different positions; (student, position) pairs never repeat.
	`INSERT INTO applications (position_id, student_no, status, phone, email, reason, applied_at, updated_at,
			started_at, ended_at, end_reason)
		SELECT pos, sno, st, '13800000000', 'x@bjmu.edu.cn', '申请理由', at, at,
			CASE WHEN st IN ('CONFIRMED', 'DISMISSED') THEN at + interval '10 days' END,
			CASE WHEN st = 'DISMISSED' THEN at + interval '90 days' END,
			CASE WHEN st = 'DISMISSED' THEN '项目结束' END
		FROM (SELECT ((i / {students}) * 503 + i % {positions}) % {positions} + 1 AS pos,
				's' || lpad((i % {students} + 1)::text, 7, '0') AS sno,
				(ARRAY['CONFIRMED','CONFIRMED','CONFIRMED','DISMISSED','REJECTED','WITHDRAWN','DECLINED','APPLIED','HIRED','CONFIRMED'])[i % 10 + 1] AS st,
				timestamptz '2025-09-02' + (i % 400) * interval '1 hour' AS at
			FROM generate_series(0, {applications} - 1) i) x`,
	`INSERT INTO application_events (application_id, event, from_status, to_status, actor, actor_role, at)
		SELECT a.id, 'APPLY', NULL, 'APPLIED', a.student_no, 'STUDENT', a.applied_at FROM applications a`,
	`INSERT INTO application_events (application_id, event, from_status, to_status, actor, actor_role, at)
		SELECT a.id, 'HIRE', 'APPLIED', 'HIRED', 'unit', 'UNIT_STAFF', a.applied_at + interval '5 days'
		FROM applications a WHERE a.status IN ('HIRED', 'CONFIRMED', 'DISMISSED', 'DECLINED')`,
	`INSERT INTO application_events (application_id, event, from_status, to_status, actor, actor_role, at)
		SELECT a.id, 'CONFIRM', 'HIRED', 'CONFIRMED', a.student_no, 'STUDENT', a.started_at
		FROM applications a WHERE a.started_at IS NOT NULL`,
	`INSERT INTO work_records (application_id, month, student_no, hours, amount_fen)
		SELECT a.id, m, a.student_no, 5, 50000
		FROM applications a, unnest(ARRAY['2025-10', '2025-11', '2025-12']) m WHERE a.started_at IS NOT NULL`,
	// This year's positions for the hire benchmark: open now, large headcount, no applications yet.
	`INSERT INTO positions (unit_id, academic_year, title, description, nature, duty_category, headcount, pay_fen,
			weekly_hours, work_time_requirement, apply_start, apply_end, work_start, work_end, status, published_at)
		SELECT g % {units} + 1, '2026-2027', '压测岗位' || g, '压测', 'LONG_TERM', 'OTHER', 1000, 200000, 2, '',
			now() - interval '1 day', now() + interval '30 days', now() + interval '31 days', now() + interval '60 days', 'PUBLISHED',
			now() - interval '1 day'
		FROM generate_series(1, 100) g`,
	// The seed's statements update each report cell some fifty times in a few transactions, where
	// no update's old version can be pruned: the table ends at 20 times its size under ordinary
	// writes (42 MB for 20,000 cells), and a report would read that. Compact it to what a school
	// that vacuums has.
	`VACUUM (FULL) report_cells`,
	// Vacuum (which also sets hint bits and the visibility map) and write everything out now, so
	// no autovacuum or checkpoint triggered by the seed runs during one phase and not the other.
	`VACUUM (ANALYZE)`,
	`CHECKPOINT`,
}

// seedScale divides the school seedSQL writes: 1 is the school, 10 a tenth of it (the soak's,
// which needs the mix of rows rather than their number, and seeds in a tenth of the time).
var seedScale int // from -scale

// seedRows are the counts of seedSQL at scale 1. The pairs of student and position stay distinct
// at every scale that divides 20: students are four times positions, so a student's ten
// applications go to positions 503 apart modulo their number, which is above 9 and shares no
// factor with the prime 503.
var seedRows = map[string]int{"students": 20000, "units": 200, "positions": 5000, "applications": 200000}

// seededStudents is how many students the seed wrote, numbered from studentNo(1).
func seededStudents() int { return seedRows["students"] / seedScale }

// seed runs seedSQL at seedScale and prints how many rows it wrote; a failed statement is
// returned with its text.
func seed(ctx context.Context, d *sqlx.DB) error {
	if seedScale < 1 || 20%seedScale != 0 {
		return fmt.Errorf("seed: -scale must divide 20, got %d", seedScale)
	}
	var pairs []string
	for name, n := range seedRows {
		pairs = append(pairs, "{"+name+"}", strconv.Itoa(n/seedScale))
	}
	fill := strings.NewReplacer(pairs...)
	start := time.Now()
	for _, q := range seedSQL {
		q = fill.Replace(q)
		if _, err := d.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seed: %w\n%s", err, q)
		}
	}
	var students, units, positions, apps, events, records int
	_ = d.GetContext(ctx, &students, `SELECT count(*) FROM students`)
	_ = d.GetContext(ctx, &units, `SELECT count(*) FROM units`)
	_ = d.GetContext(ctx, &positions, `SELECT count(*) FROM positions`)
	_ = d.GetContext(ctx, &apps, `SELECT count(*) FROM applications`)
	_ = d.GetContext(ctx, &events, `SELECT count(*) FROM application_events`)
	_ = d.GetContext(ctx, &records, `SELECT count(*) FROM work_records`)
	fmt.Printf("seeded %d students, %d units, %d positions, %d applications, %d timeline entries, %d work records in %s\n",
		students, units, positions, apps, events, records, time.Since(start).Round(time.Millisecond))
	return nil
}
