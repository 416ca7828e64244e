package db

import (
	"context"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

// statusHistory is a table of status histories (migration 00006): one line per change of an
// object's status, keyed by the object's column.
type statusHistory struct{ table, object string }

// appendStatusEvent adds a line to h; the table refuses updates and deletes.
func appendStatusEvent[S ~string](ctx context.Context, s queries, h statusHistory, e service.StatusEvent[S]) error {
	q := `INSERT INTO ` + h.table + ` (` + h.object + `, from_status, to_status, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6)`
	return s.exec(ctx, q, e.ObjectID, e.From, e.To, e.Actor, e.Note, e.At)
}

// statusEventsOf returns the lines of h of the objects, each object's oldest first.
func statusEventsOf[S ~string](ctx context.Context, s queries, h statusHistory, ids []int64) ([]service.StatusEvent[S], error) {
	q := `SELECT id, ` + h.object + ` AS object_id, from_status, to_status, actor, note, at
		FROM ` + h.table + ` WHERE ` + h.object + ` = ANY($1) ORDER BY ` + h.object + `, id`
	out := []service.StatusEvent[S]{}
	return out, s.sel(ctx, &out, q, pq.Array(ids))
}
