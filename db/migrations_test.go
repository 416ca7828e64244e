package db_test

import (
	"strings"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
)

// Migration 00006 gives the positions and nominations a database already holds their history
// and publication time, from what their rows tell.
func TestStatusHistoryBackfill(t *testing.T) {
	ctx := ctxT(t)
	d, err := db.Open(ctx, dbtest.Empty(t), db.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := db.MigrateTo(ctx, d, 5); err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 9, day, hour, 0, 0, 0, zone) }
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	y := yearFixture("2026-2027")
	exec(`INSERT INTO academic_years (name, start_date, end_date, nomination_opens_at, nomination_closes_at,
		nomination_min_hours, max_weekly_hours, max_monthly_hours) VALUES ($1, '2026-09-01', '2027-07-31', $2, $3, 40, 20, 60)`,
		y.Name, y.NominationOpensAt, y.NominationClosesAt)
	exec(`INSERT INTO units (id, name) VALUES (1, '图书馆')`)
	exec(`INSERT INTO students (student_no, name, phone, email, degree, department, full_time, enrolled, financial_need)
		VALUES ('20160001', '甲', '13800000000', 'a@example.edu.cn', 'MASTER', '药学院', true, true, false)`)
	position := func(id int64, status string, created, updated time.Time) {
		t.Helper()
		exec(`INSERT INTO positions (id, unit_id, academic_year, title, description, nature, duty_category, headcount, pay_fen,
			weekly_hours, apply_start, apply_end, work_start, work_end, status, created_at, updated_at)
			VALUES ($1, 1, '2026-2027', '岗位', '', 'LONG_TERM', 'OTHER', 3, 100, 5, '2026-09-01', '2026-09-20', '2026-10-01', '2026-12-01',
			$2, $3, $4)`, id, status, created, updated)
	}
	position(1, "DRAFT", at(1, 8), at(2, 8))
	position(2, "PUBLISHED", at(1, 8), at(5, 8)) // edited after its first application came
	position(3, "PUBLISHED", at(1, 8), at(6, 8)) // no application
	position(4, "CLOSED", at(1, 8), at(9, 8))
	apply := func(pos int64, applied time.Time) {
		t.Helper()
		exec(`INSERT INTO applications (position_id, student_no, status, phone, email, reason, applied_at, updated_at)
			VALUES ($1, '20160001', 'WITHDRAWN', '13800000000', 'a@example.edu.cn', '想参加', $2, $2)`, pos, applied)
	}
	apply(2, at(3, 8))
	apply(2, at(4, 8))
	apply(4, at(7, 8))
	reason := strings.Repeat("优", 500)
	exec(`INSERT INTO nominations (id, student_no, academic_year, reason, status, submitted_at, updated_at) VALUES
		(1, '20160001', '2026-2027', $1, 'WITHDRAWN', $2, $3)`, reason, at(10, 8), at(11, 8))
	exec(`INSERT INTO nominations (id, student_no, academic_year, reason, status, submitted_at, updated_at, reviewed_at, reviewer, review_comment)
		VALUES (2, '20160001', '2026-2027', $1, 'AWARDED', $2, $3, $3, 'admin', '认真')`, reason, at(12, 8), at(13, 8))

	if _, err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	var published []struct {
		ID          int64      `db:"id"`
		PublishedAt *time.Time `db:"published_at"`
	}
	if err := d.SelectContext(ctx, &published, `SELECT id, published_at FROM positions ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	wantPublished := map[int64]*time.Time{1: nil, 2: ptr(at(3, 8)), 3: ptr(at(6, 8)), 4: ptr(at(7, 8))}
	for _, p := range published {
		w := wantPublished[p.ID]
		if (w == nil) != (p.PublishedAt == nil) || w != nil && !w.Equal(*p.PublishedAt) {
			t.Errorf("position %d published_at: got %v, want %v (the first application, else the last change)", p.ID, p.PublishedAt, w)
		}
	}
	lines := func(q string) []string {
		t.Helper()
		var out []string
		if err := d.SelectContext(ctx, &out, q); err != nil {
			t.Fatal(err)
		}
		return out
	}
	const row = `concat_ws(' ', o, coalesce(from_status, '-') || '>' || to_status, actor, to_char(at AT TIME ZONE 'Asia/Shanghai', 'DD HH24'), nullif(note, ''))`
	gotPositions := lines(`SELECT ` + strings.Replace(row, "o,", "position_id,", 1) + ` FROM position_events ORDER BY id`)
	note := "reconstructed from the position's times"
	wantPositions := []string{
		"1 ->DRAFT migration 01 08 " + note,
		"2 ->DRAFT migration 01 08 " + note, "2 DRAFT>PUBLISHED migration 03 08 " + note,
		"3 ->DRAFT migration 01 08 " + note, "3 DRAFT>PUBLISHED migration 06 08 " + note,
		"4 ->DRAFT migration 01 08 " + note, "4 DRAFT>PUBLISHED migration 07 08 " + note, "4 PUBLISHED>CLOSED migration 09 08 " + note,
	}
	if strings.Join(gotPositions, "\n") != strings.Join(wantPositions, "\n") {
		t.Errorf("position histories:\ngot  %q\nwant %q", gotPositions, wantPositions)
	}
	gotNominations := lines(`SELECT ` + strings.Replace(row, "o,", "nomination_id,", 1) + ` FROM nomination_events ORDER BY id`)
	wantNominations := []string{
		"1 ->SUBMITTED student:20160001 10 08", "1 SUBMITTED>WITHDRAWN student:20160001 11 08",
		"2 ->SUBMITTED student:20160001 12 08", "2 SUBMITTED>AWARDED admin 13 08 认真",
	}
	if strings.Join(gotNominations, "\n") != strings.Join(wantNominations, "\n") {
		t.Errorf("nomination histories:\ngot  %q\nwant %q", gotNominations, wantNominations)
	}
}
