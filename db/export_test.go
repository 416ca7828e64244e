package db

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/service"
)

// Exec runs one statement on q, a Store or the queries it hands out; tests of package db_test
// use it to run statements that no store method has.
func Exec(ctx context.Context, q service.Queries, query string) error {
	if s, ok := q.(*Store); ok {
		return s.exec(ctx, query)
	}
	return q.(queries).exec(ctx, query)
}

// MigrateTo applies the embedded migrations up to version, as a database an older release left.
func MigrateTo(ctx context.Context, d *sqlx.DB, version int64) error {
	p, err := provider(d)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// PreparationsPending counts the preparations of s's pool still under way, so that a test can
// wait for them before it counts what PostgreSQL holds.
func PreparationsPending(s *Store) int {
	s.prep.mu.RLock()
	defer s.prep.mu.RUnlock()
	return len(s.prep.pending)
}
