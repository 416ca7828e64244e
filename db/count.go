package db

import (
	"context"
	"database/sql/driver"
	"sync/atomic"
)

// StatementCounter counts the round trips a pool makes: queries, execs, BEGIN, COMMIT and
// ROLLBACK. Tests use it to prove that a request's cost does not grow with its page size, and
// benchmarks to report statements per operation.
type StatementCounter struct{ n atomic.Int64 }

// Load returns the number of statements counted so far.
func (c *StatementCounter) Load() int64 { return c.n.Load() }

func (c *StatementCounter) add() {
	if c != nil {
		c.n.Add(1)
	}
}

type counterKey struct{}

// CountStatements returns ctx with a fresh counter of the statements sent on its behalf, and the
// counter's Load; the request log line reports it, so a request that grew an N+1 shows up in the
// logs.
func CountStatements(ctx context.Context) (context.Context, func() int64) {
	c := &StatementCounter{}
	return context.WithValue(ctx, counterKey{}, c), c.Load
}

func countIn(ctx context.Context) *StatementCounter {
	c, _ := ctx.Value(counterKey{}).(*StatementCounter)
	return c
}

// pqConn is what lib/pq's connection offers and database/sql uses.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

// countingConnector wraps lib/pq's connector so that each connection it makes counts its
// statements, for the pool and for the request whose context runs them.
type countingConnector struct {
	driver.Connector
	c *StatementCounter // the pool's counter, nil when nobody asked for one
}

func (cc countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := cc.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{pqConn: conn.(pqConn), c: cc.c}, nil
}

type countingConn struct {
	pqConn
	c *StatementCounter
}

func (cn *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	cn.c.add()
	countIn(ctx).add()
	return cn.pqConn.QueryContext(ctx, q, args)
}

func (cn *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	cn.c.add()
	countIn(ctx).add()
	return cn.pqConn.ExecContext(ctx, q, args)
}

func (cn *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	cn.c.add()
	countIn(ctx).add()
	tx, err := cn.pqConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, pool: cn.c, req: countIn(ctx)}, nil
}

type countingTx struct {
	driver.Tx
	pool, req *StatementCounter
}

func (t countingTx) Commit() error   { t.pool.add(); t.req.add(); return t.Tx.Commit() }
func (t countingTx) Rollback() error { t.pool.add(); t.req.add(); return t.Tx.Rollback() }

// PrepareContext is not counted: preparing is a protocol step on one connection, not a statement
// the application runs; each execution of the prepared statement is.
func (cn *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	st, err := cn.pqConn.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return countingStmt{pqStmt: st.(pqStmt), pool: cn.c}, nil
}

// pqStmt is what lib/pq's prepared statement offers.
type pqStmt interface {
	driver.Stmt
	driver.StmtQueryContext
	driver.StmtExecContext
}

type countingStmt struct {
	pqStmt
	pool *StatementCounter
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.pool.add()
	countIn(ctx).add()
	return s.pqStmt.QueryContext(ctx, args)
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.pool.add()
	countIn(ctx).add()
	return s.pqStmt.ExecContext(ctx, args)
}
