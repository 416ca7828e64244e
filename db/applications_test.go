package db_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/service"
)

// applicationsFixture is a year, a unit, a published position of it and the students, in a store.
func applicationsFixture(t *testing.T, nos ...string) (*db.Store, service.Position) {
	t.Helper()
	ctx := ctxT(t)
	s, _ := newStore(t)
	mustYear(t, s, "2026-2027")
	u := mustUnit(t, s, "图书馆")
	p := mustPosition(t, s, positionFixture(u.ID, "2026-2027", day(2026, 9, 1)))
	rows := make([]service.Student, len(nos))
	for i, no := range nos {
		rows[i] = studentFixture(no)
	}
	if _, err := s.UpsertStudents(ctx, rows); err != nil {
		t.Fatal(err)
	}
	return s, p
}

func applyAt(t *testing.T, s *db.Store, pos int64, no string, at time.Time) (service.Application, error) {
	t.Helper()
	return s.InsertApplication(ctxT(t), service.Application{PositionID: pos, StudentNo: no, Status: service.AppApplied,
		Phone: "13800138000", Email: no + "@example.edu.cn", Reason: "想参与", AppliedAt: at})
}

// A student has at most one live application per position: the database refuses a second one
// (applications_one_live_idx), and allows a new one once the first is no longer live.
func TestOneLiveApplication(t *testing.T) {
	ctx := ctxT(t)
	s, p := applicationsFixture(t, "20260001")
	first, err := applyAt(t, s, p.ID, "20260001", day(2026, 9, 2))
	if err != nil {
		t.Fatal(err)
	}
	_, err = applyAt(t, s, p.ID, "20260001", day(2026, 9, 3))
	var ce *service.ConstraintError
	if !errors.As(err, &ce) || !ce.Unique || ce.Constraint != "applications_one_live_idx" {
		t.Fatalf("a second live application: got %v, want a unique violation of applications_one_live_idx", err)
	}
	if _, err := s.SetApplicationStatus(ctx, first.ID, service.AppApplied, service.AppWithdrawn, day(2026, 9, 4), service.EmploymentChange{}); err != nil {
		t.Fatal(err)
	}
	again, err := applyAt(t, s, p.ID, "20260001", day(2026, 9, 5))
	if err != nil {
		t.Fatalf("applying again after withdrawing: got %v, want a new application", err)
	}
	if _, err := applyAt(t, s, p.ID, "20260001", day(2026, 9, 6)); !errors.As(err, &ce) || !ce.Unique {
		t.Errorf("a second live application after the new one (%d): got %v, want a unique violation", again.ID, err)
	}
}

// Applicants come with financial need first, then by application time, without the flag; a
// status narrows them, and the count follows the same filter.
func TestApplicantsNeedFirst(t *testing.T) {
	ctx := ctxT(t)
	s, p := applicationsFixture(t)
	need := map[string]bool{"20260001": false, "20260002": true, "20260003": false, "20260004": true}
	rows := []service.Student{}
	for _, no := range []string{"20260001", "20260002", "20260003", "20260004"} {
		st := studentFixture(no)
		st.FinancialNeed = need[no]
		rows = append(rows, st)
	}
	if _, err := s.UpsertStudents(ctx, rows); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for i, no := range []string{"20260001", "20260002", "20260003", "20260004"} {
		a, err := applyAt(t, s, p.ID, no, day(2026, 9, 2).Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ids[no] = a.ID
	}
	if _, err := s.SetApplicationStatus(ctx, ids["20260004"], service.AppApplied, service.AppHired, day(2026, 9, 3), service.EmploymentChange{}); err != nil {
		t.Fatal(err)
	}
	order := func(status *service.ApplicationStatus, offset, limit int) []string {
		t.Helper()
		as, err := s.ListApplicants(ctx, p.ID, status, offset, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.StudentNo)
		}
		return out
	}
	if got, want := order(nil, 0, 10), []string{"20260002", "20260004", "20260001", "20260003"}; !slices.Equal(got, want) {
		t.Errorf("applicants: got %v, want need first (by time), then the rest by time %v", got, want)
	}
	if got, want := order(nil, 1, 2), []string{"20260004", "20260001"}; !slices.Equal(got, want) {
		t.Errorf("applicants from offset 1, 2 of them: got %v, want %v", got, want)
	}
	applied := service.AppApplied
	if got, want := order(&applied, 0, 10), []string{"20260002", "20260001", "20260003"}; !slices.Equal(got, want) {
		t.Errorf("APPLIED applicants: got %v, want %v", got, want)
	}
	if n, err := s.CountApplicants(ctx, p.ID, &applied); err != nil || n != 3 {
		t.Errorf("CountApplicants(APPLIED): got %d, %v, want 3", n, err)
	}
	if n, err := s.CountHired(ctx, p.ID); err != nil || n != 1 {
		t.Errorf("CountHired: got %d, %v, want 1 (the HIRED one)", n, err)
	}
}

// A page of history reads only the columns asked for: the others stay empty in every row.
func TestHistoryProjection(t *testing.T) {
	ctx := ctxT(t)
	s, p := applicationsFixture(t, "20260001")
	a, err := applyAt(t, s, p.ID, "20260001", day(2026, 9, 2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetApplicationStatus(ctx, a.ID, service.AppApplied, service.AppHired, day(2026, 9, 3), service.EmploymentChange{}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.History(ctx, service.HistoryQuery{StudentNo: "20260001", Columns: []service.HistoryColumn{service.ColPositionTitle},
		Order: service.HistoryOrder{Direction: service.Desc}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("history rows: got %d, want 1", len(rows))
	}
	r := rows[0]
	if r.ID != a.ID || r.PositionTitle != p.Title {
		t.Errorf("the row: got id %d title %q, want %d %q", r.ID, r.PositionTitle, a.ID, p.Title)
	}
	if r.Status != "" || r.Unit != (service.Unit{}) || r.Description != "" || r.Nature != "" || r.WorkTimeRequirement != "" ||
		!r.ApplyStart.IsZero() || !r.WorkEnd.IsZero() || r.PaidAmount != 0 || r.Total != 0 {
		t.Errorf("columns not asked for: got %+v, want them empty", r)
	}
}
