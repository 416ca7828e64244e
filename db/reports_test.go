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
