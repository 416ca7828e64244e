package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// seedSQL fills a migrated database at the scale of a real school: 20,000 students, 200 units,
// 5,000 positions of last year and 200,000 applications with timelines and monthly work records,
// plus bench positions of this year that the hire benchmark applies to. Set-based SQL keeps it
// to seconds.
var seedSQL = []string{
	`INSERT INTO academic_years VALUES
		('2025-2026', '2025-09-01', '2026-07-31', '2026-06-01', '2026-06-30', 40, 20, 80, now()),
		('2026-2027', '2026-09-01', '2027-07-31', '2027-06-01', '2027-06-30', 40, 20, 80, now())`,
	`INSERT INTO units (name) SELECT '单位' || g FROM generate_series(1, 200) g`,
	`INSERT INTO students (student_no, name, phone, email, degree, department, full_time, enrolled, financial_need)
		SELECT 's' || lpad(g::text, 7, '0'), '学生' || g, '13800000000', 's' || g || '@bjmu.edu.cn',
			CASE WHEN g % 3 = 0 THEN 'DOCTORAL' ELSE 'MASTER' END, '院系' || (g % 30), true, true, g % 7 = 0
		FROM generate_series(1, 20000) g`,
	`INSERT INTO profiles (student_no, academic_year, specialties, natures, weekly_hours, phone, email)
		SELECT student_no, y, '写作与数据整理', '{LONG_TERM,TEMPORARY}', 20, phone, email
		FROM students, unnest(ARRAY['2025-2026', '2026-2027']) y`,
	`INSERT INTO positions (unit_id, academic_year, title, description, nature, duty_category, headcount, pay_fen,
			weekly_hours, work_time_requirement, apply_start, apply_end, work_start, work_end, status, published_at)
		SELECT g % 200 + 1, '2025-2026', '岗位' || g, '负责' || g || '号岗位的日常事务与数据整理',
			CASE WHEN g % 2 = 0 THEN 'LONG_TERM' ELSE 'TEMPORARY' END,
			(ARRAY['ADMINISTRATIVE','WRITING','DATA_ANALYSIS','EVENT_PLANNING','PHOTO_VIDEO','POSTER_DESIGN','SOCIAL_MEDIA','OTHER'])[g % 8 + 1],
			100, 100000 + (g % 20) * 10000, 8, '工作日下午', '2025-09-01', '2025-09-20', '2025-10-01', '2026-06-30', 'CLOSED',
			'2025-08-31'
		FROM generate_series(1, 5000) g`,
	// Each student applies to ten different positions; (student, position) pairs never repeat.
	`INSERT INTO applications (position_id, student_no, status, phone, email, reason, applied_at, updated_at,
			started_at, ended_at, end_reason)
		SELECT pos, sno, st, '13800000000', 'x@bjmu.edu.cn', '申请理由', at, at,
			CASE WHEN st IN ('CONFIRMED', 'DISMISSED') THEN at + interval '10 days' END,
			CASE WHEN st = 'DISMISSED' THEN at + interval '90 days' END,
			CASE WHEN st = 'DISMISSED' THEN '项目结束' END
		FROM (SELECT ((i / 20000) * 503 + i % 5000) % 5000 + 1 AS pos,
				's' || lpad((i % 20000 + 1)::text, 7, '0') AS sno,
				(ARRAY['CONFIRMED','CONFIRMED','CONFIRMED','DISMISSED','REJECTED','WITHDRAWN','DECLINED','APPLIED','HIRED','CONFIRMED'])[i % 10 + 1] AS st,
				timestamptz '2025-09-02' + (i % 400) * interval '1 hour' AS at
			FROM generate_series(0, 199999) i) x`,
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
		SELECT g % 200 + 1, '2026-2027', '压测岗位' || g, '压测', 'LONG_TERM', 'OTHER', 1000, 200000, 2, '',
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

// seed runs seedSQL and prints how many rows it wrote; a failed statement is returned with its text.
func seed(ctx context.Context, d *sqlx.DB) error {
	start := time.Now()
	for _, q := range seedSQL {
		if _, err := d.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seed: %w\n%s", err, q)
		}
	}
	var apps, events, records int
	_ = d.GetContext(ctx, &apps, `SELECT count(*) FROM applications`)
	_ = d.GetContext(ctx, &events, `SELECT count(*) FROM application_events`)
	_ = d.GetContext(ctx, &records, `SELECT count(*) FROM work_records`)
	fmt.Printf("seeded 20000 students, 200 units, 5100 positions, %d applications, %d timeline entries, %d work records in %s\n",
		apps, events, records, time.Since(start).Round(time.Millisecond))
	return nil
}
