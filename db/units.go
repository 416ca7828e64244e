package db

import (
	"context"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

// CreateUnit inserts a unit; a taken name is a unique *service.ConstraintError (units_name_key),
// a blank one service.ErrCheckViolation.
func (s queries) CreateUnit(ctx context.Context, name string) (service.Unit, error) {
	const q = `INSERT INTO units (name) VALUES ($1) RETURNING id, name`
	var u service.Unit
	return u, s.get(ctx, &u, q, name)
}

// Units returns every unit by name.
func (s queries) Units(ctx context.Context) ([]service.Unit, error) {
	const q = `SELECT id, name FROM units ORDER BY name, id`
	out := []service.Unit{}
	return out, s.sel(ctx, &out, q)
}

// UnitsByID returns the units among ids that exist.
func (s queries) UnitsByID(ctx context.Context, ids []int64) ([]service.Unit, error) {
	const q = `SELECT id, name FROM units WHERE id = ANY($1)`
	out := []service.Unit{}
	return out, s.sel(ctx, &out, q, pq.Array(ids))
}
