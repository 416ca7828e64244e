package demo

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/service"
)

type counts struct {
	Units, Students, Positions, Profiles, Slots int
}

func countRows(t *testing.T, d *sqlx.DB) counts {
	t.Helper()
	var c counts
	for _, q := range []struct {
		dst   *int
		table string
	}{{&c.Units, "units"}, {&c.Students, "students"}, {&c.Positions, "positions"}, {&c.Profiles, "profiles"}, {&c.Slots, "free_time_slots"}} {
		if err := d.Get(q.dst, "SELECT count(*) FROM "+q.table); err != nil {
			t.Fatalf("count %s: %v", q.table, err)
		}
	}
	return c
}

var jwtRe = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

func TestSeedIsIdempotent(t *testing.T) {
	d := dbtest.Open(t, db.Config{MaxConns: 4})
	v, err := auth.NewVerifier("demo-test-secret-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	store := db.NewStore(d)
	ctx := context.Background()
	const url = "http://localhost:18080/"

	var first bytes.Buffer
	if err := Seed(ctx, store, v, url, &first); err != nil {
		t.Fatalf("first seed: %v", err)
	}
	after1 := countRows(t, d)
	var second bytes.Buffer
	if err := Seed(ctx, store, v, url, &second); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	after2 := countRows(t, d)
	if after1 != after2 {
		t.Errorf("second seed changed row counts: after first %+v, after second %+v", after1, after2)
	}
	if after2.Units != 4 || after2.Students != 20 || after2.Positions < 10 || after2.Profiles != 3 || after2.Slots != 12 {
		t.Errorf("counts: got %+v, want 4 units, 20 students, >= 10 positions, 3 profiles (the demo student's this year and last, the nominee's) with 4 slots each", after2)
	}
	t.Logf("second run printed:\n%s", second.String())

	// The data set itself: the current year, both natures, several categories, one draft, one
	// closed, several open now, and the screenshot's student and profile.
	yearName := YearName(time.Now())
	var years []string
	if err := d.Select(&years, "SELECT name || ' ' || positions_need_approval FROM academic_years ORDER BY name"); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("[%s false %s false %s true]", YearName(time.Now().AddDate(-1, 0, 0)), yearName, YearName(time.Now().AddDate(1, 0, 0))); fmt.Sprint(years) != want {
		t.Errorf("academic years: got %v, want %s", years, want)
	}
	var agg struct {
		Natures    int `db:"natures"`
		Categories int `db:"categories"`
		Drafts     int `db:"drafts"`
		Closed     int `db:"closed"`
		OpenNow    int `db:"open_now"`
		OtherYear  int `db:"other_year"`
	}
	err = d.Get(&agg, `SELECT count(DISTINCT nature) AS natures, count(DISTINCT duty_category) AS categories,
			count(*) FILTER (WHERE status = 'DRAFT') AS drafts, count(*) FILTER (WHERE status = 'CLOSED') AS closed,
			count(*) FILTER (WHERE status = 'PUBLISHED' AND apply_start <= now() AND apply_end > now()) AS open_now,
			(SELECT count(*) FROM positions WHERE academic_year <> $1 AND status = 'CLOSED') AS other_year
		FROM positions WHERE academic_year = $1`, yearName)
	if err != nil {
		t.Fatal(err)
	}
	if agg.Natures != 2 || agg.Categories < 5 || agg.Drafts != 1 || agg.Closed != 1+len(thisYear) || agg.OpenNow < 5 || agg.OtherYear != 2 {
		t.Errorf("positions: got %+v, want in %s 2 natures, >= 5 categories, 1 draft, 1 closed and those of this year's replayed employments, >= 5 open now; and 2 closed of last year", agg, yearName)
	}
	// Last year, replayed through the service: one employment still running with three months
	// paid, one dismissed after a month, each with its whole timeline; this year one running with
	// a month paid.
	var past []struct {
		Status string `db:"status"`
		Paid   int64  `db:"paid"`
		Events int    `db:"events"`
	}
	if err := d.Select(&past, `SELECT a.status, coalesce((SELECT sum(amount_fen) FROM work_records w WHERE w.application_id = a.id), 0) AS paid,
			(SELECT count(*) FROM application_events e WHERE e.application_id = a.id) AS events
		FROM applications a WHERE a.student_no = $1 ORDER BY a.id`, DemoStudentNo); err != nil {
		t.Fatal(err)
	}
	// The school's month: next year's positions wait for review, last year's October is closed
	// with its pay sheet, and this month has an employment without its record.
	var month struct {
		Pending int   `db:"pending"`
		Closed  int64 `db:"closed"`
		Missing int   `db:"-"`
	}
	if err := d.Get(&month, `SELECT
			(SELECT count(*) FROM positions WHERE academic_year = $1 AND status = 'PENDING_REVIEW') AS pending,
			(SELECT coalesce(sum(w.amount_fen), 0) FROM pay_months m JOIN work_records w ON w.month = m.month WHERE m.month = $2 AND m.status = 'CLOSED') AS closed`, YearName(time.Now().AddDate(1, 0, 0)), ClosedMonth(time.Now())); err != nil {
		t.Fatal(err)
	}
	admin := auth.WithPrincipal(ctx, &auth.Principal{Subject: "demo-admin", Role: auth.RoleAdmin})
	missing, err := service.New(store).MissingWorkRecords(admin, time.Now().In(service.SchoolZone).Format("2006-01"), service.MaxPage, 0)
	if err != nil {
		t.Fatal(err)
	}
	month.Missing = len(missing)
	if month.Pending != len(nextYearPositions) || month.Closed != 250000+240000 || month.Missing < 1 {
		t.Errorf("school's month: got %+v, want %d pending next year, %s closed with 4900.00 paid, >= 1 missing record this month", month, len(nextYearPositions), ClosedMonth(time.Now()))
	}
	wantPast := "[{CONFIRMED 750000 6} {DISMISSED 240000 5} {CONFIRMED 80000 4}]" // APPLY HIRE CONFIRM + work records (+ DISMISS)
	if got := fmt.Sprint(past); got != wantPast {
		t.Errorf("employments of %s: got %s, want %s", DemoStudentNo, got, wantPast)
	}
	var nominations []string
	if err := d.Select(&nominations, `SELECT academic_year || ' ' || status FROM nominations WHERE student_no = $1`, DemoStudentNo); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("[%s AWARDED]", YearName(time.Now().AddDate(-1, 0, 0))); fmt.Sprint(nominations) != want {
		t.Errorf("nominations of %s: got %v, want %s", DemoStudentNo, nominations, want)
	}
	// The current year's nomination to review: submitted inside the year's window, which is open now.
	var toReview []string
	if err := d.Select(&toReview, `SELECT n.student_no || ' ' || n.status FROM nominations n JOIN academic_years y ON y.name = n.academic_year
		WHERE n.academic_year = $1 AND y.nomination_opens_at <= now() AND y.nomination_closes_at > now()`, yearName); err != nil {
		t.Fatal(err)
	}
	if want := "[" + NomineeNo + " SUBMITTED]"; fmt.Sprint(toReview) != want {
		t.Errorf("nominations of %s in its open window: got %v, want %s", yearName, toReview, want)
	}
	var name string
	if err := d.Get(&name, "SELECT s.name FROM students s JOIN profiles p USING (student_no) WHERE p.academic_year = $1 AND p.student_no = $2", yearName, DemoStudentNo); err != nil || name != "陈思远" {
		t.Errorf("profile of %s: got student %q, err %v", DemoStudentNo, name, err)
	}

	for run, out := range []string{first.String(), second.String()} {
		if !strings.Contains(out, url) {
			t.Errorf("run %d: output does not name the GraphiQL URL %s:\n%s", run+1, url, out)
		}
		if !strings.Contains(out, `{"Authorization": "Bearer <token>"}`) {
			t.Errorf("run %d: output has no header hint:\n%s", run+1, out)
		}
		toks := jwtRe.FindAllString(out, -1)
		if len(toks) != 3 {
			t.Fatalf("run %d: got %d tokens, want 3:\n%s", run+1, len(toks), out)
		}
		roles := map[auth.Role]*auth.Principal{}
		for _, tok := range toks {
			p, err := v.Verify(tok)
			if err != nil {
				t.Fatalf("run %d: token does not verify: %v", run+1, err)
			}
			roles[p.Role] = p
		}
		if p := roles[auth.RoleStudent]; p == nil || p.StudentNo != DemoStudentNo {
			t.Errorf("run %d: STUDENT token: got %+v, want student %s", run+1, p, DemoStudentNo)
		}
		if p := roles[auth.RoleUnitStaff]; p == nil || p.UnitID == 0 {
			t.Errorf("run %d: UNIT_STAFF token: got %+v, want a unit id", run+1, p)
		} else {
			var unit string
			if err := d.Get(&unit, "SELECT name FROM units WHERE id = $1", p.UnitID); err != nil || unit != unitNames[0] {
				t.Errorf("run %d: UNIT_STAFF token's unit %d: got %q (err %v), want %s", run+1, p.UnitID, unit, err, unitNames[0])
			}
		}
		if roles[auth.RoleAdmin] == nil {
			t.Errorf("run %d: no ADMIN token", run+1)
		}
	}
}

func TestYearName(t *testing.T) {
	z := service.SchoolZone
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, time.August, 31, 23, 59, 0, 0, z), "2025-2026"},
		{time.Date(2026, time.September, 1, 0, 0, 0, 0, z), "2026-2027"},
		{time.Date(2027, time.January, 15, 12, 0, 0, 0, z), "2026-2027"},
		// 2026-08-31 17:00 UTC is already September 1 in Shanghai.
		{time.Date(2026, time.August, 31, 17, 0, 0, 0, time.UTC), "2026-2027"},
	} {
		if got := YearName(c.at); got != c.want {
			t.Errorf("YearName(%s) = %s, want %s", c.at, got, c.want)
		}
	}
}

// TestSeedOnAnyDay: the windows and replays placed relative to today give the README's examples
// their rows on every day of the year, at its edges too: the current year's nomination to review
// in a window open now, the demo student's employment of this year, positions open now.
func TestSeedOnAnyDay(t *testing.T) {
	v, err := auth.NewVerifier("demo-test-secret-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	z := service.SchoolZone
	for _, day := range []time.Time{
		time.Date(2027, time.September, 1, 0, 5, 0, 0, z), // the year's first minutes
		time.Date(2027, time.January, 20, 12, 0, 0, 0, z),
		time.Date(2027, time.July, 31, 23, 0, 0, 0, z),   // its last day
		time.Date(2027, time.August, 31, 23, 0, 0, 0, z), // after its end, before the next one
	} {
		t.Run(day.Format(time.DateTime), func(t *testing.T) {
			d := dbtest.Open(t, db.Config{MaxConns: 4})
			var out bytes.Buffer
			if err := seed(context.Background(), db.NewStore(d), v, "http://localhost:18080/", &out, day); err != nil {
				t.Fatalf("seed: %v", err)
			}
			year := YearName(day)
			type facts struct {
				Nominations string `db:"nominations"` // of the year, in a window open now
				Employments string `db:"employments"` // the demo student's of the year
				OpenNow     int    `db:"open_now"`
			}
			var got facts
			err := d.Get(&got, `SELECT
					(SELECT string_agg(n.student_no || ' ' || n.status, ',') FROM nominations n JOIN academic_years y ON y.name = n.academic_year
						WHERE n.academic_year = $1 AND y.nomination_opens_at <= $3 AND y.nomination_closes_at > $3) AS nominations,
					(SELECT string_agg(a.status, ',') FROM applications a JOIN positions p ON p.id = a.position_id
						WHERE p.academic_year = $1 AND a.student_no = $2) AS employments,
					(SELECT count(*) FROM positions WHERE academic_year = $1 AND status = 'PUBLISHED' AND apply_start <= $3 AND apply_end > $3) AS open_now`,
				year, DemoStudentNo, day)
			if err != nil {
				t.Fatal(err)
			}
			if want := (facts{NomineeNo + " SUBMITTED", "CONFIRMED", 8}); got != want {
				t.Errorf("in %s: got %+v, want %+v", year, got, want)
			}
			var closed string
			if err := d.Get(&closed, `SELECT status FROM pay_months WHERE month = $1`, ClosedMonth(day)); err != nil || closed != "CLOSED" {
				t.Errorf("pay month %s: got %q (err %v), want CLOSED", ClosedMonth(day), closed, err)
			}
		})
	}
}
