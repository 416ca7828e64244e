package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/service"
)

// Statements built from requests' shapes are prepared up to the store's bound and no further,
// however many shapes clients ask for: PostgreSQL keeps each one in the memory of every
// connection that ran it. On a pool of one connection, ten history shapes asked for again and
// again leave exactly the bound's three prepared on its backend, and every page still answers.
func TestPreparedShapesBounded(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.Config{MaxConns: 1})
	store := db.NewStore(d).WithPreparedShapes(3)
	cols := service.AllHistoryColumns
	pass := func() {
		t.Helper()
		for i := 1; i <= 10; i++ {
			q := service.HistoryQuery{Columns: cols[:i], StudentNo: "20230001", Limit: 20}
			if _, err := store.History(ctx, q); err != nil {
				t.Fatalf("shape %d: %v", i, err)
			}
		}
	}
	// prepared is what the backend holds once no preparation is under way.
	prepared := func() int {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); db.PreparationsPending(store) > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("preparations still under way after a minute")
			}
		}
		var n int
		if err := d.Get(&n, `SELECT count(*) FROM pg_prepared_statements`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A shape is prepared in the background on one of its uses, so passes go on until the bound
	// is reached (each pass can prepare at least one).
	for i := 0; prepared() < 3; i++ {
		if i == 10 {
			t.Fatalf("statements prepared after 10 passes: got %d, want 3", prepared())
		}
		pass()
	}
	for range 3 {
		pass()
	}
	if n := prepared(); n != 3 {
		t.Errorf("statements prepared on the backend: got %d, want 3 (the bound)", n)
	}
}
