package db_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/service"
)

// An application's copy of its position's unit (migration 00005) is filled in by the database and
// cannot disagree with the position.
func TestApplicationUnitCopy(t *testing.T) {
	ctx := ctxT(t)
	s, d := newStore(t)
	mustYear(t, s, "2026-2027")
	u1, u2 := mustUnit(t, s, "图书馆"), mustUnit(t, s, "档案馆")
	p1 := mustPosition(t, s, positionFixture(u1.ID, "2026-2027", day(2026, 9, 1)))
	p2 := mustPosition(t, s, positionFixture(u2.ID, "2026-2027", day(2026, 9, 1)))
	if _, err := s.UpsertStudents(ctx, []service.Student{studentFixture("20260001")}); err != nil {
		t.Fatal(err)
	}
	a, err := s.InsertApplication(ctx, service.Application{PositionID: p1.ID, StudentNo: "20260001", Status: service.AppApplied,
		Phone: "13800138000", Email: "a@example.edu.cn", Reason: "想参与", AppliedAt: day(2026, 9, 2)})
	if err != nil {
		t.Fatal(err)
	}
	unitOf := func() int64 {
		var id int64
		if err := d.GetContext(ctx, &id, `SELECT unit_id FROM applications WHERE id = $1`, a.ID); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if got := unitOf(); got != u1.ID {
		t.Errorf("unit of a new application: got %d, want its position's %d", got, u1.ID)
	}
	if _, err := d.ExecContext(ctx, `UPDATE applications SET unit_id = $2 WHERE id = $1`, a.ID, u2.ID); err == nil {
		t.Errorf("setting another unit than the position's: got nil, want a foreign key violation")
	}
	if _, err := d.ExecContext(ctx, `UPDATE applications SET position_id = $2 WHERE id = $1`, a.ID, p2.ID); err != nil {
		t.Fatal(err)
	}
	if got := unitOf(); got != u2.ID {
		t.Errorf("unit after moving to another unit's position: got %d, want %d", got, u2.ID)
	}

	// An application for a position that does not exist is the position's foreign key violation.
	_, err = s.InsertApplication(ctx, service.Application{PositionID: p2.ID + 1000, StudentNo: "20260001", Status: service.AppApplied,
		Phone: "13800138000", Email: "a@example.edu.cn", Reason: "想参与", AppliedAt: day(2026, 9, 2)})
	var ce *service.ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "applications_position_id_fkey" || ce.Unique {
		t.Errorf("application for a missing position: got %v, want a foreign key violation of applications_position_id_fkey", err)
	}
}

// The partial history indexes repeat the history statuses as literals; PostgreSQL uses them only
// while their predicate matches the statement's, so they must list exactly service.HistoryStatuses.
func TestHistoryIndexesMatchStatuses(t *testing.T) {
	ctx := ctxT(t)
	_, d := newStore(t)
	var defs []string
	if err := d.SelectContext(ctx, &defs, `SELECT indexdef FROM pg_indexes
		WHERE tablename = 'applications' AND indexname LIKE 'applications_history_%' ORDER BY indexname`); err != nil {
		t.Fatal(err)
	}
	if len(defs) != 3 {
		t.Fatalf("history indexes: got %d (%v), want student, position and unit", len(defs), defs)
	}
	quoted := regexp.MustCompile(`'([A-Z_]+)'`)
	for _, def := range defs {
		var got []string
		for _, m := range quoted.FindAllStringSubmatch(def, -1) {
			got = append(got, m[1])
		}
		want := make([]string, len(service.HistoryStatuses))
		for i, s := range service.HistoryStatuses {
			want[i] = string(s)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: statuses %v, want %v", def, got, want)
		}
	}
}
