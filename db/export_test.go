package db

import (
	"context"

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
