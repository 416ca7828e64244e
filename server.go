// Command zhuguan serves the student-assistant GraphQL API. With no arguments it applies the
// embedded migrations and serves; subcommands: migrate, token, seed-demo.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the school's zone must resolve on machines without a zoneinfo database

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/httpapi/graphiql"
	"github.com/zhuguan/zhuguan/service"
	"github.com/zhuguan/zhuguan/service/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "zhuguan:", err)
		os.Exit(1)
	}
}

// config is read from the environment, with defaults for local use.
type config struct {
	DebugAddr        string // serves net/http/pprof when set, e.g. 127.0.0.1:6060
	DatabaseURL      string
	JWTSecret        string
	Port             string
	MaxConns         int
	StatementTimeout time.Duration
	StreamConns      int // the pool of long-lived reads, which has no statement_timeout
	PreparedShapes   int // built statements kept prepared (db.Store.WithPreparedShapes)
	// ShutdownGrace is how long requests in flight may run on after SIGTERM or SIGINT; what
	// still runs then is canceled, its transaction rolled back.
	ShutdownGrace time.Duration
	// Production (ENV=production) turns introspection, suggestions and GraphiQL off; GraphiQL
	// (GRAPHIQL=on) serves the page, and the introspection it needs, in production all the same.
	Production, GraphiQL bool
	// ReadURL is a streaming replica that reports read (they may miss its lag's changes); when
	// unset, reports read DatabaseURL like everything else.
	ReadURL string
	// Limits are the request limits set by LIMIT_* variables; those left unset are zero, which
	// httpapi reads as its default.
	Limits httpapi.Limits
}

// loadConfig reads the configuration through getenv, with defaults for local use; it refuses pool
// sizes, a number of prepared shapes, limits, a statement timeout and a shutdown grace that are
// not positive, and an ENV or GRAPHIQL it does not know.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		DebugAddr:        getenv("DEBUG_ADDR"),
		DatabaseURL:      getenv("DATABASE_URL"),
		ReadURL:          getenv("DATABASE_READ_URL"),
		JWTSecret:        getenv("JWT_SECRET"),
		Port:             getenv("PORT"),
		MaxConns:         20,
		StatementTimeout: 5 * time.Second,
		StreamConns:      4,
		PreparedShapes:   db.DefaultPreparedShapes,
		// Longer than a request's deadline (httpapi.DefaultLimits.RequestTimeout), so that every
		// ordinary request in flight can finish; within the 30 s a container runtime usually gives.
		ShutdownGrace: 25 * time.Second,
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "postgres://postgres@127.0.0.1:5432/zhuguan?sslmode=disable"
	}
	if c.Port == "" {
		c.Port = "8080"
	}
	for _, e := range []struct {
		name string
		into *int
	}{
		{"DB_MAX_CONNS", &c.MaxConns}, {"DB_STREAM_MAX_CONNS", &c.StreamConns}, {"DB_PREPARED_SHAPES", &c.PreparedShapes},
		{"LIMIT_PARSER_TOKENS", &c.Limits.ParserTokens}, {"LIMIT_VALIDATION_ERRORS", &c.Limits.ValidationErrors},
		{"LIMIT_DEPTH", &c.Limits.Document.Depth}, {"LIMIT_ALIASES", &c.Limits.Document.Aliases},
		{"LIMIT_DUPLICATE_FIELDS", &c.Limits.Document.DuplicateFields}, {"LIMIT_SELECTIONS", &c.Limits.Document.Selections},
		{"LIMIT_FRAGMENT_SPREADS", &c.Limits.Document.FragmentSpreads}, {"LIMIT_DIRECTIVES", &c.Limits.Document.Directives},
		{"LIMIT_COST", &c.Limits.Cost},
	} {
		if v := getenv(e.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return c, fmt.Errorf("%s must be a positive integer, got %q", e.name, v)
			}
			*e.into = n
		}
	}
	if v := getenv("LIMIT_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return c, fmt.Errorf("LIMIT_BODY_BYTES must be a positive integer, got %q", v)
		}
		c.Limits.BodyBytes = n
	}
	switch v := getenv("ENV"); v {
	case "", "development":
	case "production":
		c.Production = true
	default:
		return c, fmt.Errorf("ENV must be production or development, got %q", v)
	}
	switch v := getenv("GRAPHIQL"); v {
	case "", "off":
	case "on":
		c.GraphiQL = true
	default:
		return c, fmt.Errorf("GRAPHIQL must be on or off, got %q", v)
	}
	for _, e := range []struct {
		name string
		into *time.Duration
	}{{"DB_STATEMENT_TIMEOUT", &c.StatementTimeout}, {"SHUTDOWN_GRACE", &c.ShutdownGrace}} {
		if v := getenv(e.name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return c, fmt.Errorf("%s must be a positive duration such as 5s, got %q", e.name, v)
			}
			*e.into = d
		}
	}
	return c, nil
}

// run is the whole program, so tests can drive it without a process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		tuneGC(getenv)
		out := httpapi.NewLogBuffer(stdout, httpapi.LogFlushEvery)
		defer out.Close()
		return serve(ctx, cfg, slog.New(slog.NewJSONHandler(out, nil)))
	case "migrate":
		return withDB(ctx, cfg, func(d *sqlx.DB) error {
			applied, err := db.Migrate(ctx, d)
			fmt.Fprintf(stdout, "migrations applied: %v\n", applied)
			return err
		})
	case "token":
		return tokenCmd(cfg, args, stdout)
	case "seed-demo":
		return withDB(ctx, cfg, func(d *sqlx.DB) error {
			if _, err := db.Migrate(ctx, d); err != nil {
				return err
			}
			v, err := auth.NewVerifier(cfg.JWTSecret)
			if err != nil {
				return err
			}
			return demo.Seed(ctx, db.NewStore(d), v, "http://localhost:"+cfg.Port+"/", stdout)
		})
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, token or seed-demo)", cmd)
	}
}

// withDB runs fn on a small pool for the subcommands: their statements (migrations, the demo seed)
// may take longer than a request's, so the pool's statement timeout is a minute.
func withDB(ctx context.Context, cfg config, fn func(*sqlx.DB) error) error {
	d, err := db.Open(ctx, cfg.DatabaseURL, db.Config{MaxConns: 4, StatementTimeout: time.Minute})
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(d)
}

// tokenCmd prints a signed token: token --role STUDENT --student-no 20160931 [--unit-id 3] [--sub x] [--ttl 24h].
// It refuses to print one the server would refuse, such as a STUDENT token without --student-no.
func tokenCmd(cfg config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "STUDENT, UNIT_STAFF or ADMIN")
	studentNo := fs.String("student-no", "", "student number (STUDENT)")
	unitID := fs.Int64("unit-id", 0, "unit id (UNIT_STAFF)")
	sub := fs.String("sub", "", "subject; defaults to the role and number")
	ttl := fs.Duration("ttl", 24*time.Hour, "lifetime")
	if err := fs.Parse(args); err != nil {
		return err
	}
	v, err := auth.NewVerifier(cfg.JWTSecret)
	if err != nil {
		return err
	}
	p := auth.Principal{Subject: *sub, Role: auth.Role(*role), StudentNo: *studentNo, UnitID: *unitID}
	if p.Subject == "" {
		switch p.Role {
		case auth.RoleStudent:
			p.Subject = "student:" + p.StudentNo
		case auth.RoleUnitStaff:
			p.Subject = fmt.Sprintf("unit:%d", p.UnitID)
		default:
			p.Subject = strings.ToLower(string(p.Role))
		}
	}
	tok, err := v.Sign(p, *ttl)
	if err != nil {
		return err
	}
	if _, err := v.Verify(tok); err != nil { // refuse to print a token the server would refuse
		return fmt.Errorf("token: %w", err)
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

// serve migrates the database and serves until ctx ends, then gives requests in flight
// cfg.ShutdownGrace to finish and cancels those that do not; it returns the error of the first
// step that fails, or of a shutdown that had to cancel requests.
func serve(ctx context.Context, cfg config, logger *slog.Logger) error {
	verifier, err := auth.NewVerifier(cfg.JWTSecret)
	if err != nil {
		return err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL, db.Config{MaxConns: cfg.MaxConns, StatementTimeout: cfg.StatementTimeout})
	if err != nil {
		return err
	}
	defer d.Close()
	stream, err := db.Open(ctx, cfg.DatabaseURL, db.Config{MaxConns: cfg.StreamConns, StatementTimeout: db.NoStatementTimeout})
	if err != nil {
		return err
	}
	defer stream.Close()
	store := db.NewStore(d).WithStreamPool(stream)
	if cfg.ReadURL != "" {
		// A replica refuses writes, so migrations and everything but reports stay on the primary.
		read, err := db.Open(ctx, cfg.ReadURL, db.Config{MaxConns: cfg.StreamConns, StatementTimeout: cfg.StatementTimeout})
		if err != nil {
			return fmt.Errorf("DATABASE_READ_URL: %w", err)
		}
		defer read.Close()
		store = store.WithReportPool(read)
	}
	store = store.WithPreparedShapes(cfg.PreparedShapes)
	applied, err := db.Migrate(ctx, d)
	if err != nil {
		return err
	}
	logger.Info("migrations applied", "versions", applied)

	svc := service.New(store, service.WithLogger(logger))
	listener, err := db.NewListener(cfg.DatabaseURL, logger)
	if err != nil {
		return err
	}
	defer listener.Close()
	liveCtx, stopLive := context.WithCancel(context.Background())
	defer stopLive()
	go listener.Run(liveCtx, svc.ApplicationUpdated)

	h := httpapi.New(httpapi.Deps{
		Service:         svc,
		Verifier:        verifier,
		Logger:          logger,
		Ready:           func(ctx context.Context) error { return db.Ready(ctx, d) },
		Listener:        listener.Err,
		CountStatements: db.CountStatements,
		Limits:          cfg.Limits,
		Production:      cfg.Production,
		GraphiQL:        cfg.GraphiQL,
	})
	srv := h.Server(":" + cfg.Port)
	// Every request's context derives from this one, so that those still running when the grace
	// is over can be canceled: their statements stop and their transactions roll back.
	requests, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	srv.BaseContext = func(net.Listener) context.Context { return requests }
	if cfg.DebugAddr != "" {
		go func() { // profiles on their own listener, never on the public port
			logger.Info("debug server", "addr", cfg.DebugAddr, "err", http.ListenAndServe(cfg.DebugAddr, debugMux()))
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	page := "http://localhost:" + cfg.Port + "/"
	if cfg.Production && !cfg.GraphiQL {
		page = "off"
	}
	logger.Info("serving", "addr", srv.Addr, "production", cfg.Production, "graphiql", page)
	if !graphiql.Available() {
		logger.Warn("GraphiQL's browser bundles are not in this build; build with make build (scripts/graphiql-assets.sh) to serve the page")
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// In-flight requests, and then the operations running over websockets, get the grace to
	// finish; new connections are refused meanwhile. What still runs after it is canceled, so
	// the process ends within the grace (and the pools, closed last, wait for no one).
	logger.Info("shutting down", "grace", cfg.ShutdownGrace.String())
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	h.Shutdown(shutCtx)
	if err != nil {
		cancelRequests()
		_ = srv.Close()
		return fmt.Errorf("shutdown: requests still in flight after SHUTDOWN_GRACE %v were canceled: %w", cfg.ShutdownGrace, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// debugMux serves net/http/pprof's profiles, for the DEBUG_ADDR listener only.
func debugMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// tuneGC makes the collector run less often than Go's default: the live heap of this server is a
// few megabytes, so GOGC=400 trades some of the memory budget for CPU, and a soft limit of
// 100 MiB keeps the process well under 150 MB whatever the load. GOGC and GOMEMLIMIT in the
// environment take precedence.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(100 << 20)
	}
}
