package db_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/service"
)

// Reports, and reports alone, read the report pool when there is one (a replica in production):
// here a second pool on the same database, told apart by its statement counter.
func TestReportsReadTheReportPool(t *testing.T) {
	ctx := ctxT(t)
	var primary, reports db.StatementCounter
	pool := dbtest.Open(t, db.Config{MaxConns: 2, Counter: &primary})
	var name string
	if err := pool.GetContext(ctx, &name, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	reportPool, err := db.Open(ctx, dbtest.URLOf(name), db.Config{MaxConns: 1, Counter: &reports})
	if err != nil {
		t.Fatal(err)
	}
	defer reportPool.Close()
	s := db.NewStore(pool)
	if s.Reporting() == nil {
		t.Fatal("Reporting without a report pool: got nil, want the primary's queries")
	}
	s.WithReportPool(reportPool)

	before, beforeReports := primary.Load(), reports.Load()
	if _, err := s.Reporting().Report(ctx, service.ReportQuery{AcademicYear: "2026-2027", GroupBy: service.AllReportDimensions}); err != nil {
		t.Fatal(err)
	}
	if got := reports.Load() - beforeReports; got != 1 {
		t.Errorf("report pool: got %d statements, want the report's 1", got)
	}
	if _, err := s.AcademicYears(ctx); err != nil {
		t.Fatal(err)
	}
	if got := primary.Load() - before; got != 1 {
		t.Errorf("primary: got %d statements, want only the years' 1 (the report ran elsewhere)", got)
	}
}

// report_cells (migration 00008) follows every write that changes what a report counts: a hire
// whose timeline entry comes before or after its status, a confirmation and a dismissal, a work
// record written, corrected and deleted, an application moved to another position. After them
// the cells hold exactly what summing the rows afresh gives, and the figures of these writes.
func TestReportCellsFollowTheirRows(t *testing.T) {
	ctx := ctxT(t)
	s, d := newStore(t)
	mustYear(t, s, "2026-2027")
	u := mustUnit(t, s, "图书馆")
	p1 := mustPosition(t, s, positionFixture(u.ID, "2026-2027", day(2026, 9, 1)))
	p2 := mustPosition(t, s, positionFixture(u.ID, "2026-2027", day(2026, 9, 1)))
	if _, err := s.UpsertStudents(ctx, []service.Student{studentFixture("20260001"), studentFixture("20260002")}); err != nil {
		t.Fatal(err)
	}
	apply := func(no string, at time.Time) service.Application {
		a, err := s.InsertApplication(ctx, service.Application{PositionID: p1.ID, StudentNo: no, Status: service.AppApplied,
			Phone: "13800138000", Email: "a@example.edu.cn", Reason: "想参与", AppliedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	move := func(a service.Application, from, to service.ApplicationStatus, at time.Time, e service.EmploymentChange) {
		if _, err := s.SetApplicationStatus(ctx, a.ID, from, to, at, e); err != nil {
			t.Fatal(err)
		}
	}
	entry := func(a service.Application, ev service.Event, from, to service.ApplicationStatus, at time.Time) {
		if err := s.AppendEvent(ctx, service.TimelineEntry{ApplicationID: a.ID, Event: ev, From: &from, To: to,
			Actor: "u", ActorRole: "UNIT_STAFF", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	work := func(a service.Application, month string, hours float64, fen int64) {
		if _, err := s.UpsertWorkRecord(ctx, service.WorkRecord{ApplicationID: a.ID, StudentNo: a.StudentNo, Month: month,
			Hours: hours, Amount: service.Money(fen), RecordedAt: day(2026, 12, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	a1, a2 := apply("20260001", day(2026, 9, 2)), apply("20260002", day(2026, 9, 30))
	move(a1, service.AppApplied, service.AppHired, day(2026, 9, 5), service.EmploymentChange{})
	entry(a1, service.EventHire, service.AppApplied, service.AppHired, day(2026, 9, 5))
	entry(a2, service.EventHire, service.AppApplied, service.AppHired, day(2026, 10, 3))
	move(a2, service.AppApplied, service.AppHired, day(2026, 10, 3), service.EmploymentChange{})
	started, ended, reason := day(2026, 10, 1), day(2026, 12, 1), "结束"
	move(a1, service.AppHired, service.AppConfirmed, started, service.EmploymentChange{StartedAt: &started})
	work(a1, "2026-10", 10, 1000)
	work(a1, "2026-10", 12.5, 1250) // a correction
	work(a1, "2026-11", 3, 300)
	if _, err := d.ExecContext(ctx, `DELETE FROM work_records WHERE application_id = $1 AND month = '2026-11'`, a1.ID); err != nil {
		t.Fatal(err)
	}
	move(a1, service.AppConfirmed, service.AppDismissed, ended, service.EmploymentChange{EndedAt: &ended, EndReason: &reason})
	move(a2, service.AppHired, service.AppDeclined, day(2026, 10, 4), service.EmploymentChange{})
	if _, err := d.ExecContext(ctx, `UPDATE applications SET position_id = $2 WHERE id = $1`, a2.ID, p2.ID); err != nil {
		t.Fatal(err)
	}

	type cell struct {
		PositionID                                int64 `db:"position_id"`
		Month                                     string
		Applications, Hired, Confirmed, Dismissed int
		Hours                                     float64
		AmountFen                                 int64 `db:"amount_fen"`
	}
	var got, afresh []cell
	if err := d.SelectContext(ctx, &got, `SELECT position_id, month, applications, hired, confirmed, dismissed,
		hours::float8 AS hours, amount_fen FROM report_cells
		WHERE (applications, hired, confirmed, dismissed, hours, amount_fen) <> (0, 0, 0, 0, 0, 0) ORDER BY 1, 2`); err != nil {
		t.Fatal(err)
	}
	if err := d.SelectContext(ctx, &afresh, `SELECT position_id, month, sum(applications) AS applications,
		sum(hired) AS hired, sum(confirmed) AS confirmed, sum(dismissed) AS dismissed, sum(hours)::float8 AS hours,
		sum(amount_fen) AS amount_fen
		FROM (SELECT c.position_id, c.month, c.applications, c.hired, c.confirmed, c.dismissed, 0::numeric AS hours,
				0::bigint AS amount_fen FROM applications a, report_application_cells(a) c
			UNION ALL
			SELECT a.position_id, w.month, 0, 0, 0, 0, w.hours, w.amount_fen
				FROM work_records w JOIN applications a ON a.id = w.application_id) d
		GROUP BY 1, 2 ORDER BY 1, 2`); err != nil {
		t.Fatal(err)
	}
	want := []cell{
		{PositionID: p1.ID, Month: "2026-09", Applications: 1, Hired: 1},
		{PositionID: p1.ID, Month: "2026-10", Confirmed: 1, Hours: 12.5, AmountFen: 1250},
		{PositionID: p1.ID, Month: "2026-12", Dismissed: 1},
		{PositionID: p2.ID, Month: "2026-09", Applications: 1},
		{PositionID: p2.ID, Month: "2026-10", Hired: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report_cells after the writes:\n got %+v\nwant %+v", got, want)
	}
	if !reflect.DeepEqual(got, afresh) {
		t.Errorf("report_cells differ from the rows summed afresh:\n got %+v\nafresh %+v", got, afresh)
	}
}

// report_students (migration 00009) follows every write that changes who a report counts: a
// confirmation, work recorded, corrected and deleted, a dismissal, an application moved to
// another position, statements of several rows, an application deleted, and edits of a
// position's nature, duty category and year. After each step the counters hold exactly the
// distinct students that grouping the rows afresh gives, for every combination of dimensions.
func TestReportStudentsFollowTheirRows(t *testing.T) {
	ctx := ctxT(t)
	s, d := newStore(t)
	mustYear(t, s, "2026-2027")
	mustYear(t, s, "2027-2028")
	u1, u2 := mustUnit(t, s, "图书馆"), mustUnit(t, s, "药学院")
	p1 := mustPosition(t, s, positionFixture(u1.ID, "2026-2027", day(2026, 9, 1)))
	p2f := positionFixture(u1.ID, "2026-2027", day(2026, 9, 1))
	p2f.Nature, p2f.DutyCategory = service.NatureTemporary, service.DutyWriting
	p2 := mustPosition(t, s, p2f)
	p3 := mustPosition(t, s, positionFixture(u2.ID, "2026-2027", day(2026, 9, 1)))
	nos := []string{"20260001", "20260002", "20260003"}
	for _, no := range nos {
		if _, err := s.UpsertStudents(ctx, []service.Student{studentFixture(no)}); err != nil {
			t.Fatal(err)
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	apply := func(pos service.Position, no string) service.Application {
		t.Helper()
		a, err := s.InsertApplication(ctx, service.Application{PositionID: pos.ID, StudentNo: no, Status: service.AppApplied,
			Phone: "13800138000", Email: "a@example.edu.cn", Reason: "想参与", AppliedAt: day(2026, 9, 2)})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	confirm := func(a service.Application) {
		t.Helper()
		started := day(2026, 10, 1)
		for _, st := range [][2]service.ApplicationStatus{{service.AppApplied, service.AppHired}, {service.AppHired, service.AppConfirmed}} {
			e := service.EmploymentChange{}
			if st[1] == service.AppConfirmed {
				e.StartedAt = &started
			}
			if _, err := s.SetApplicationStatus(ctx, a.ID, st[0], st[1], started, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	work := func(a service.Application, month string, hours float64) {
		t.Helper()
		if _, err := s.UpsertWorkRecord(ctx, service.WorkRecord{ApplicationID: a.ID, StudentNo: a.StudentNo, Month: month,
			Hours: hours, Amount: service.Money(hours * 100), RecordedAt: day(2026, 12, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string) {
		t.Helper()
		type group struct {
			Year     string `db:"academic_year"`
			Worked   bool
			Mask     int
			UnitID   int64  `db:"unit_id"`
			Nature   string `db:"nature"`
			Duty     string `db:"duty_category"`
			Month    string
			Students int
		}
		var got, afresh []group
		if err := d.SelectContext(ctx, &got, `SELECT academic_year, worked, mask, unit_id, nature, duty_category, month,
				sum(students) AS students
			FROM report_students GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(students) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`); err != nil {
			t.Fatal(err)
		}
		// Every combination of the dimensions at once (CUBE), each student once per group; the
		// mask has a bit per dimension grouped by (1 unit, 2 nature, 4 duty category, 8 month).
		if err := d.SelectContext(ctx, &afresh, `
			WITH r AS (
				SELECT p.academic_year, false AS worked, p.unit_id, p.nature, p.duty_category, NULL::text AS month, a.student_no
					FROM applications a JOIN positions p ON p.id = a.position_id
					WHERE a.status IN (`+service.QuoteSQL(service.ReportConfirmedStatuses...)+`)
				UNION ALL
				SELECT p.academic_year, true, p.unit_id, p.nature, p.duty_category, w.month, w.student_no
					FROM work_records w JOIN applications a ON a.id = w.application_id JOIN positions p ON p.id = a.position_id
			), g AS (
				SELECT academic_year, worked,
					(GROUPING(unit_id) = 0)::int + 2 * (GROUPING(nature) = 0)::int + 4 * (GROUPING(duty_category) = 0)::int
						+ 8 * (GROUPING(month) = 0)::int AS mask,
					coalesce(unit_id, 0) AS unit_id, coalesce(nature, '') AS nature, coalesce(duty_category, '') AS duty_category,
					coalesce(month, '') AS month, count(DISTINCT student_no) AS students
				FROM r GROUP BY academic_year, worked, CUBE (unit_id, nature, duty_category, month)
			)
			SELECT * FROM g WHERE worked OR mask < 8 ORDER BY 1, 2, 3, 4, 5, 6, 7`); err != nil {
			t.Fatal(err)
		}
		var pending int
		if err := d.GetContext(ctx, &pending, `SELECT count(*) FROM report_students_pending`); err != nil || pending != 0 {
			t.Errorf("%s: report_students_pending holds %d committed rows (err %v), want 0: each is settled at its commit", step, pending, err)
		}
		if len(afresh) == 0 && step != "no employment yet" {
			t.Fatalf("%s: nothing counted afresh; the steps wrote nothing a report counts", step)
		}
		if !reflect.DeepEqual(got, afresh) {
			t.Errorf("%s: report_students differ from the rows grouped afresh:\n got %+v\nafresh %+v", step, got, afresh)
		}
	}

	a11, a12, a21 := apply(p1, nos[0]), apply(p2, nos[0]), apply(p1, nos[1])
	check("no employment yet")
	confirm(a11)
	check("a confirmation")
	confirm(a12)
	confirm(a21)
	check("a second employment of a student in the same unit, and another student")
	work(a11, "2026-10", 10)
	work(a12, "2026-10", 5)
	work(a11, "2026-11", 3)
	work(a11, "2026-11", 4) // a correction
	check("work recorded and corrected")
	exec(`DELETE FROM work_records WHERE application_id = $1 AND month = '2026-11'`, a11.ID)
	check("a work record deleted")
	ended, reason := day(2026, 12, 1), "结束"
	if _, err := s.SetApplicationStatus(ctx, a21.ID, service.AppConfirmed, service.AppDismissed, ended,
		service.EmploymentChange{EndedAt: &ended, EndReason: &reason}); err != nil {
		t.Fatal(err)
	}
	check("a dismissal")
	exec(`UPDATE applications SET position_id = $2 WHERE id = $1`, a12.ID, p3.ID)
	check("an application and its work moved to another unit's position")
	exec(`UPDATE work_records SET month = '2026-12' WHERE application_id = $1`, a11.ID)
	check("a work record moved to another month")
	a31, a32 := apply(p1, nos[2]), apply(p3, nos[2])
	exec(`UPDATE applications SET status = 'CONFIRMED', started_at = $2 WHERE id IN ($1, $3)`, a31.ID, day(2026, 10, 1), a32.ID)
	exec(`INSERT INTO work_records (application_id, month, student_no, hours, amount_fen)
		VALUES ($1, '2026-10', $2, 1, 100), ($3, '2026-10', $2, 2, 200)`, a31.ID, nos[2], a32.ID)
	check("one statement for two employments and their work")
	exec(`UPDATE positions SET nature = 'TEMPORARY', duty_category = 'WRITING' WHERE id = $1`, p1.ID)
	check("a position's nature and duty category edited")
	exec(`UPDATE positions SET academic_year = '2027-2028' WHERE id = $1`, p3.ID)
	check("a position moved to another year")
	exec(`DELETE FROM work_records WHERE application_id = $1`, a31.ID)
	exec(`DELETE FROM applications WHERE id = $1`, a31.ID)
	check("an employment deleted")
}
