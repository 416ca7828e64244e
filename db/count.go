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

type countingConnector struct {
	driver.Connector
	c *StatementCounter
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
	cn.c.n.Add(1)
	return cn.pqConn.QueryContext(ctx, q, args)
}

func (cn *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	cn.c.n.Add(1)
	return cn.pqConn.ExecContext(ctx, q, args)
}

func (cn *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	cn.c.n.Add(1)
	tx, err := cn.pqConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, c: cn.c}, nil
}

type countingTx struct {
	driver.Tx
	c *StatementCounter
}

func (t countingTx) Commit() error   { t.c.n.Add(1); return t.Tx.Commit() }
func (t countingTx) Rollback() error { t.c.n.Add(1); return t.Tx.Rollback() }
