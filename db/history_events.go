package db

import (
	"context"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

// statusHistory is a table of status histories (migration 00006), one line per change of an
// object's status keyed by the object's column, with its two statements.
type statusHistory struct{ insert, read string }

// newStatusHistory builds the statements of table, whose object column is object.
func newStatusHistory(table, object string) statusHistory {
	return statusHistory{
		insert: `INSERT INTO ` + table + ` (` + object + `, from_status, to_status, actor, note, at) VALUES ($1, $2, $3, $4, $5, $6)`,
		read: `SELECT id, ` + object + ` AS object_id, from_status, to_status, actor, note, at
			FROM ` + table + ` WHERE ` + object + ` = ANY($1) ORDER BY ` + object + `, id`,
	}
}

// appendStatusEvent adds a line to h; the table refuses updates and deletes.
func appendStatusEvent[S ~string](ctx context.Context, s queries, h statusHistory, e service.StatusEvent[S]) error {
	return s.exec(ctx, h.insert, e.ObjectID, e.From, e.To, e.Actor, e.Note, e.At)
}

// statusEventsOf returns the lines of h of the objects, each object's oldest first.
func statusEventsOf[S ~string](ctx context.Context, s queries, h statusHistory, ids []int64) ([]service.StatusEvent[S], error) {
	out := []service.StatusEvent[S]{}
	return out, s.sel(ctx, &out, h.read, pq.Array(ids))
}
