package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/service"
)

// Store is the PostgreSQL implementation of service.Store.
type Store struct {
	queries
	db        *sqlx.DB
	streaming queries
	reporting queries
}

// NewStore returns a Store over d; long-lived reads share d until WithStreamPool gives them a
// pool of their own.
func NewStore(d *sqlx.DB) *Store {
	s := &Store{queries: queries{q: d, prep: newPrepared(d)}, db: d}
	s.streaming, s.reporting = s.queries, s.queries
	return s
}

// WithStreamPool runs the store's long-lived reads (streamed exports, which may take minutes) on
// pool, which should have no statement_timeout and a few connections of its own: there they are
// neither cut by the limit that protects ordinary requests nor able to take the connections
// those need. It returns s.
func (s *Store) WithStreamPool(pool *sqlx.DB) *Store {
	s.streaming = queries{q: pool}
	return s
}

// Streaming returns the queries of long-lived reads, on the stream pool when there is one.
func (s *Store) Streaming() service.Queries { return s.streaming }

// WithPreparedShapes bounds the statements built from a request's shape (history columns,
// filters and orders, position filters, report groupings) that the store keeps prepared to n
// (DefaultPreparedShapes until it is called); past it they run unprepared. PostgreSQL keeps
// every prepared statement in the memory of each connection that ran it, about 50 KB for a
// history statement, so n bounds each backend's growth whatever shapes clients ask for. The
// store's constant statements are always prepared. It returns s.
func (s *Store) WithPreparedShapes(n int) *Store {
	for _, p := range []*prepared{s.prep, s.reporting.prep} {
		if p != nil {
			p.mu.Lock()
			p.maxShapes = n
			p.mu.Unlock()
		}
	}
	return s
}

// WithReportPool runs the store's reports on pool, e.g. a streaming replica's: a dashboard's
// aggregates then cost the primary nothing, at the price of missing the changes the replica has
// not replayed yet (its lag, usually well under a second). Nothing else reads it, so no write is
// ever followed by a read of a replica. Its statements are prepared like the primary's. It
// returns s.
func (s *Store) WithReportPool(pool *sqlx.DB) *Store {
	s.reporting = queries{q: pool, prep: newPrepared(pool)}
	s.reporting.prep.maxShapes = s.prep.maxShapes
	return s
}

// Reporting returns the queries of reports, on the report pool when there is one.
func (s *Store) Reporting() service.Queries { return s.reporting }

// Begin starts a transaction bound to ctx: when ctx ends before Commit, it is rolled back.
func (s *Store) Begin(ctx context.Context) (service.Tx, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", translate(err))
	}
	return &Tx{queries: queries{q: tx, prep: s.prep, tx: tx}, tx: tx}, nil
}

// Tx is a store transaction; its statements run on the transaction's connection, prepared when
// the pool has them prepared.
type Tx struct {
	queries
	tx *sqlx.Tx
}

// Commit makes the transaction's writes visible; its error is translated like a statement's.
func (t *Tx) Commit() error { return translate(t.tx.Commit()) }

// Rollback abandons the transaction; after Commit it does nothing.
func (t *Tx) Rollback() error {
	if err := t.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return translate(err)
	}
	return nil
}

// queries holds every statement; q is the pool or a transaction (then tx is set too). shaped
// marks the statements a request's shape builds (see shape).
type queries struct {
	q      sqlx.ExtContext
	prep   *prepared
	tx     *sqlx.Tx
	shaped bool
}

// shape returns s for a statement built from the shape of a request (which columns, filters,
// order or grouping it asks for) rather than a constant: clients can make thousands of those, so
// only WithPreparedShapes' number of them are prepared.
func (s queries) shape() queries {
	s.shaped = true
	return s
}

func (s queries) get(ctx context.Context, dest any, query string, args ...any) error {
	if st := s.stmt(ctx, query); st != nil {
		return translate(st.GetContext(ctx, dest, args...))
	}
	return translate(sqlx.GetContext(ctx, s.q, dest, query, args...))
}

func (s queries) sel(ctx context.Context, dest any, query string, args ...any) error {
	if st := s.stmt(ctx, query); st != nil {
		return translate(st.SelectContext(ctx, dest, args...))
	}
	return translate(sqlx.SelectContext(ctx, s.q, dest, query, args...))
}

func (s queries) exec(ctx context.Context, query string, args ...any) error {
	var err error
	if st := s.stmt(ctx, query); st != nil {
		_, err = st.ExecContext(ctx, args...)
	} else {
		_, err = s.q.ExecContext(ctx, query, args...)
	}
	return translate(err)
}

// query runs a statement whose rows the caller reads itself; unlike get, sel and exec it leaves
// the error untranslated, for the caller to translate.
func (s queries) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.q.QueryContext(ctx, query, args...)
}

// each runs a statement and hands its rows to fn one at a time, scanned into one reused R by
// column name; fn's error stops it and is returned as it is. The driver reads each row off the
// connection as it is scanned, so nothing holds them all.
func each[R any](ctx context.Context, s queries, fn func(*R) error, query string, args ...any) error {
	var rows *sqlx.Rows
	var err error
	if st := s.stmt(ctx, query); st != nil {
		rows, err = st.QueryxContext(ctx, args...)
	} else {
		rows, err = s.q.QueryxContext(ctx, query, args...)
	}
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	var r R
	for rows.Next() {
		if err := rows.StructScan(&r); err != nil {
			return translate(err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// stmt returns query prepared, inside the transaction when there is one, or nil to run it plain.
func (s queries) stmt(ctx context.Context, query string) *sqlx.Stmt {
	if s.prep == nil { // the stream pool: a long read is not worth a preparation
		return nil
	}
	st := s.prep.get(query, s.shaped)
	if st == nil || s.tx == nil {
		return st
	}
	return s.tx.StmtxContext(ctx, st) // reuses the connection's preparation when it has one
}

// DefaultPreparedShapes is how many statements built from requests' shapes a store keeps
// prepared until WithPreparedShapes says otherwise: with the store's constant statements, a
// connection's backend then holds at most about 6 MB of them (bench -mode prepared).
const DefaultPreparedShapes = 100

// maxPrepared bounds all the statements kept prepared, constant ones included: a safety net
// should a built statement ever be run without shape. Past a bound a statement simply runs
// unprepared, so none is ever closed while in use.
const maxPrepared = 1000

// prepared keeps each statement text prepared once for the pool, so PostgreSQL plans it once
// per connection instead of on every execution. A statement is prepared in the background the
// first time it is seen, and runs plain until then: preparing on the caller's path could wait for
// a free connection while the caller's own transaction holds one. Only one preparation runs at a
// time, briefly: a preparation waits behind table locks like any statement, and several waiting at
// once behind a long lock (a migration, a LOCK TABLE) would each hold a connection of the pool.
type prepared struct {
	db        *sqlx.DB
	mu        sync.RWMutex
	stmts     map[string]*sqlx.Stmt
	pending   map[string]bool
	shapes    int // the shaped statements prepared or being prepared
	maxShapes int
	busy      chan struct{} // capacity 1: the preparation under way
}

func newPrepared(d *sqlx.DB) *prepared {
	return &prepared{db: d, stmts: map[string]*sqlx.Stmt{}, pending: map[string]bool{}, maxShapes: DefaultPreparedShapes,
		busy: make(chan struct{}, 1)}
}

// prepareTimeout bounds how long a background preparation may hold its connection.
const prepareTimeout = 2 * time.Second

// get returns query's prepared statement, or nil when there is none yet; then it starts the
// preparation in the background, unless one is under way or a bound is reached (maxPrepared, or
// maxShapes for a shaped query).
func (p *prepared) get(query string, shaped bool) *sqlx.Stmt {
	p.mu.RLock()
	st, ok := p.stmts[query]
	p.mu.RUnlock()
	if ok {
		return st
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending[query] || len(p.stmts)+len(p.pending) >= maxPrepared || (shaped && p.shapes >= p.maxShapes) {
		return nil
	}
	select {
	case p.busy <- struct{}{}:
	default:
		return nil // another preparation is under way; this text is tried again on its next use
	}
	p.pending[query] = true
	if shaped {
		p.shapes++
	}
	go func() {
		defer func() { <-p.busy }()
		ctx, cancel := context.WithTimeout(context.Background(), prepareTimeout)
		defer cancel()
		st, err := p.db.PreparexContext(ctx, query)
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.pending, query)
		switch {
		case err == nil:
			p.stmts[query] = st
		case shaped:
			p.shapes-- // it may be tried again
		}
	}()
	return nil
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
