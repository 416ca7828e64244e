// Package db is the PostgreSQL store: SQL beside each method, embedded migrations, and the
// translation of driver errors into the service's sentinels. It implements service.Store.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/zhuguan/zhuguan/service"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Config tunes the connection pool and the per-statement time limit.
type Config struct {
	MaxConns int
	// StatementTimeout is each session's statement_timeout: unset (0) leaves the URL's or the
	// server's; NoStatementTimeout turns it off whatever they say (the stream pool).
	StatementTimeout time.Duration
	Counter          *StatementCounter // counts every statement of the pool when set
}

// NoStatementTimeout as a Config's StatementTimeout turns the limit off for the pool's sessions.
const NoStatementTimeout time.Duration = -1

// ConnectTimeout is the connect_timeout of every session whose URL names none: the longest a
// request waits for a new connection, so that a database that does not answer is reported as
// unavailable well within a request's deadline instead of hanging it.
const ConnectTimeout = 5 * time.Second

// withConnectTimeout sets q's connect_timeout (whole seconds, as libpq reads it) to
// ConnectTimeout unless q has one.
func withConnectTimeout(q url.Values) {
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", strconv.Itoa(int(ConnectTimeout/time.Second)))
	}
}

// Open connects to the database at rawURL and pings it. Every session runs in the school's zone
// with the configured statement_timeout, so one slow query cannot hold a connection forever, and
// connects within ConnectTimeout; settings already in the URL win, but for NoStatementTimeout. A
// failure names the URL without its password.
func Open(ctx context.Context, rawURL string, cfg Config) (*sqlx.DB, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	q := u.Query()
	if q.Get("timezone") == "" {
		q.Set("timezone", service.SchoolZone.String())
	}
	withConnectTimeout(q)
	switch {
	case cfg.StatementTimeout == NoStatementTimeout:
		q.Set("statement_timeout", "0")
	case q.Get("statement_timeout") == "" && cfg.StatementTimeout > 0:
		q.Set("statement_timeout", fmt.Sprint(cfg.StatementTimeout.Milliseconds()))
	}
	u.RawQuery = q.Encode()
	connector, err := pq.NewConnector(u.String())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	d := sqlx.NewDb(sql.OpenDB(countingConnector{Connector: connector, c: cfg.Counter}), "postgres")
	if cfg.MaxConns > 0 {
		d.SetMaxOpenConns(cfg.MaxConns)
		d.SetMaxIdleConns(cfg.MaxConns)
	}
	d.SetConnMaxLifetime(30 * time.Minute)
	d.SetConnMaxIdleTime(5 * time.Minute)
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to database %s: %w", u.Redacted(), err)
	}
	return d, nil
}

func provider(d *sqlx.DB) (*goose.Provider, error) {
	// A session advisory lock lets several replicas start at once: one migrates, the others wait.
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, d.DB, mustSub(migrations, "migrations"), goose.WithSessionLocker(locker))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Migrate applies every pending embedded migration and returns the versions it applied, under a
// session advisory lock, so replicas starting together migrate once.
func Migrate(ctx context.Context, d *sqlx.DB) ([]int64, error) {
	p, err := provider(d)
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	applied := make([]int64, len(res))
	for i, r := range res {
		applied[i] = r.Source.Version
	}
	return applied, nil
}

// Ready returns nil when the database answers and every embedded migration is applied, and
// otherwise an error saying which (a pending migration is "migrations pending").
func Ready(ctx context.Context, d *sqlx.DB) error {
	p, err := provider(d)
	if err != nil {
		return err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("check migrations: %w", err)
	}
	if pending {
		return errors.New("migrations pending")
	}
	return nil
}

// translate turns driver errors into the service's sentinels at the store's edge: sql.ErrNoRows
// into service.ErrNoRows, a refused or lost connection (see unavailable) into
// service.ErrUnavailable wrapping the cause, 23505 and 23503 into a *service.ConstraintError
// (unique, foreign key), 23514 and 23P01 (check, exclusion) into service.ErrCheckViolation;
// others pass unchanged.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return service.ErrNoRows
	}
	if unavailable(err) {
		return fmt.Errorf("%w: %w", service.ErrUnavailable, err)
	}
	var pe *pq.Error
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505":
		return &service.ConstraintError{Constraint: pe.Constraint, Unique: true}
	case "23503":
		return &service.ConstraintError{Constraint: pe.Constraint}
	case "23514", "23P01":
		return fmt.Errorf("%w: %s", service.ErrCheckViolation, pe.Constraint)
	}
	return err
}

// unavailable tells the errors of a database that cannot be reached or lost the session: the
// dial failed (refused, unreachable, connect_timeout), PostgreSQL refused the session or ended it
// (any FATAL error: 57P01 admin_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections,
// 55000 "database is not currently accepting connections"; class 08, connection exception), or
// lib/pq found the connection broken (driver.ErrBadConn, which it also reports for a FATAL error
// of a statement; EOF on the socket). A statement's context running out is not among them: that
// is the request's deadline, not the database.
func unavailable(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Fatal() || pe.Code.Class() == "08" || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || pe.Code == "53300"
	}
	var op *net.OpError
	var dns *net.DNSError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &op) || errors.As(err, &dns)
}
