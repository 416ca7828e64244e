package db_test

import (
	"testing"

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
