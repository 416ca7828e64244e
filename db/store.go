package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/service"
)

// Store is the PostgreSQL implementation of service.Store.
type Store struct {
	queries
	db *sqlx.DB
}

// NewStore returns a Store over d.
func NewStore(d *sqlx.DB) *Store { return &Store{queries: queries{q: d}, db: d} }

// Begin starts a transaction bound to ctx.
func (s *Store) Begin(ctx context.Context) (service.Tx, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", translate(err))
	}
	return &Tx{queries: queries{q: tx}, tx: tx}, nil
}

// Tx is a store transaction.
type Tx struct {
	queries
	tx *sqlx.Tx
}

// Commit makes the transaction's writes visible.
func (t *Tx) Commit() error { return translate(t.tx.Commit()) }

// Rollback abandons the transaction; after Commit it does nothing.
func (t *Tx) Rollback() error {
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return translate(err)
	}
	return nil
}

// queries holds every statement; q is the pool or a transaction.
type queries struct {
	q sqlx.ExtContext
}

func (s queries) get(ctx context.Context, dest any, query string, args ...any) error {
	return translate(sqlx.GetContext(ctx, s.q, dest, query, args...))
}

func (s queries) sel(ctx context.Context, dest any, query string, args ...any) error {
	return translate(sqlx.SelectContext(ctx, s.q, dest, query, args...))
}

func (s queries) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.q.ExecContext(ctx, query, args...)
	return translate(err)
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
