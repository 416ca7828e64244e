// Command bench measures the server under load: it seeds a database at a school's scale, starts
// the real server binary against it, and drives GraphQL over HTTP from concurrent clients.
//
//	go run ./bench -mode hire      # apply -> hire -> confirm cycles
//	go run ./bench -mode history   # employmentHistory pages against the same SQL run directly
//	go run ./bench -mode explain   # the plans of the common history statements
//	go run ./bench -mode nested    # history pages with nested details: latency and statements
//	go run ./bench -mode export    # the whole history as one CSV export: rows/s and server RSS
//	go run ./bench -mode payroll   # one month's pay sheet: payroll's page and the CSV, time, statements, RSS
//	go run ./bench -mode report    # dashboard reports: median and p90, their plans, the write cost of their rollups
//	go run ./bench -mode prepared  # 2,100 history shapes on one connection: PostgreSQL's memory
//	go run ./bench -mode abuse     # issue 11's abuse documents on the demo data: what each costs the server
//	go run ./bench -mode soak      # portal reads and hire writes at concurrency 32, then with a hostile client too
//
// It prints throughput and latency percentiles; run it on an idle machine and compare figures
// from one run only.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/service/demo"
)

const secret = "bench-secret-0123456789abcdef"

func main() {
	mode := flag.String("mode", "history", "hire, history, nested, export, payroll, explain, report, prepared, abuse or soak")
	adminURL := flag.String("db", envOr("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "maintenance database URL")
	duration := flag.Duration("duration", 0, "how long to drive load (default 15s; soak 60s, with the hostile client)")
	conc := flag.Int("concurrency", 0, "concurrent clients (default 16; soak 32)")
	dbName := flag.String("dbname", "", "name of the database the benchmark (re)creates, so that two can run side by side (default zhuguan_bench; zhuguan_abuse, zhuguan_soak for those modes)")
	keep := flag.Bool("keep", false, "keep the benchmark's database afterwards, e.g. to EXPLAIN; a kept database is reused by the next run (migrated, not seeded again)")
	flag.IntVar(&reportRuns, "runs", 20, "report mode: how many times each report is asked for")
	flag.StringVar(&cpuProfile, "cpuprofile", "", "write the server's CPU profile during the GraphQL load to this file")
	flag.StringVar(&serverSource, "server-source", ".", "build the server from this source tree (e.g. a git worktree of an older commit, to compare)")
	flag.DurationVar(&abuseTimeout, "timeout", 0, "abuse and soak modes: a hostile request still unanswered after this is cut off (default 1m; soak 25s, past the server's 20 s request deadline)")
	flag.Int64Var(&rssCapMB, "rss-cap", 1536, "abuse and soak modes: the server is killed when its RSS passes this many MB")
	flag.DurationVar(&soakBaseline, "baseline", 20*time.Second, "soak mode: how long the load runs without the hostile client, before -duration with it")
	flag.Float64Var(&soakMaxMB, "rss-max", 150, "soak mode: fail when the server's RSS passes this many MB")
	flag.Float64Var(&soakGrowth, "rss-growth", 0.25, "soak mode: fail when the mean RSS of the last 10 s exceeds the first 10 s' by more than this fraction (and 20 MB)")
	flag.IntVar(&seedScale, "scale", 0, "seed 1/scale of the school's 20,000 students, 200 units, 5,000 positions and 200,000 applications; a divisor of 20 (default 1; soak 10)")
	flag.StringVar(&soakHostile, "hostile", "all", "soak mode: the hostile client's documents, comma-separated names (see -mode abuse), all, or none")
	flag.Parse()
	if abuseTimeout == 0 {
		abuseTimeout = time.Minute
		if *mode == "soak" {
			abuseTimeout = 25 * time.Second
		}
	}
	if *duration == 0 {
		*duration = 15 * time.Second
		if *mode == "soak" {
			*duration = time.Minute
		}
	}
	if *conc == 0 {
		*conc = 16
		if *mode == "soak" {
			*conc = 32
		}
	}
	if seedScale == 0 {
		seedScale = 1
		if *mode == "soak" { // the soak needs the mix of rows rather than their number
			seedScale = 10
		}
	}
	if *dbName == "" {
		*dbName = "zhuguan_bench"
		if *mode == "abuse" || *mode == "soak" {
			*dbName = "zhuguan_" + *mode
		}
	}
	if err := run(context.Background(), *mode, *adminURL, *dbName, *duration, *conc, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// run seeds a fresh database called dbName next to adminURL and runs one mode against it; the
// database is dropped afterwards unless keep. With keep, a database of that name that a kept run
// seeded is reused: migrated to the latest schema (so a new migration's backfill runs on the
// benchmark's data, and is timed), not seeded again.
func run(ctx context.Context, mode, adminURL, dbName string, duration time.Duration, conc int, keep bool) error {
	if mode == "soak" {
		if err := loopbackOnly(adminURL); err != nil {
			return err
		}
	}
	dbURL, drop, existed, err := benchDatabase(ctx, adminURL, dbName, keep)
	if err != nil {
		return err
	}
	if !keep {
		defer drop()
	}
	// The seed runs row triggers for every row (report_cells): minutes on a busy machine, which
	// must slow it down, not fail it.
	d, err := db.Open(ctx, dbURL, db.Config{MaxConns: 4, StatementTimeout: 30 * time.Minute})
	if err != nil {
		return err
	}
	defer d.Close()
	start := time.Now()
	applied, err := db.Migrate(ctx, d)
	if err != nil {
		return err
	}
	if mode == "prepared" { // needs no rows: plans are made and kept alike for empty tables
		return benchPrepared(ctx, dbURL)
	}
	var seeded bool
	if existed {
		if err := d.GetContext(ctx, &seeded, `SELECT EXISTS (SELECT 1 FROM applications)`); err != nil {
			return err
		}
	}
	seedData := seed
	if mode == "abuse" { // the trial ran on the demo data
		seedData = seedDemo
	}
	if seeded {
		fmt.Printf("reusing the seeded database %s; migrations %v applied to it in %s\n", dbName, applied, time.Since(start).Round(time.Millisecond))
	} else if err := seedData(ctx, d); err != nil {
		return err
	}
	if mode == "explain" {
		return explainHistory(ctx, d)
	}
	var env []string
	if mode == "abuse" || mode == "soak" {
		env = []string{"DB_MAX_CONNS=20"} // the server's own default: these modes judge it as deployed
	}
	srv, err := startServer(ctx, dbURL, env...)
	if err != nil {
		return err
	}
	defer srv.stop()
	v, _ := auth.NewVerifier(secret)
	switch mode {
	case "hire":
		return benchHire(ctx, d, srv, v, duration, conc)
	case "history":
		return benchHistory(ctx, dbURL, srv, v, duration, conc)
	case "nested":
		return benchNested(srv, v, duration, conc)
	case "export":
		return benchExport(ctx, d, srv, v)
	case "payroll":
		return benchPayroll(ctx, d, srv, v)
	case "report":
		return benchReport(ctx, d, srv, v, reportRuns)
	case "abuse", "soak":
		admin, err := sqlx.Open("postgres", adminURL)
		if err != nil {
			return err
		}
		defer admin.Close()
		if mode == "abuse" {
			return benchAbuse(ctx, admin, d, dbName, srv, v, abuseTimeout, rssCapMB)
		}
		return benchSoak(ctx, admin, d, dbName, srv, v, duration, conc)
	}
	return fmt.Errorf("unknown mode %q", mode)
}

// benchDatabase (re)creates a database named name next to adminURL, or with reuse keeps it when
// it exists (existed), and returns its URL and a drop function.
func benchDatabase(ctx context.Context, adminURL, name string, reuse bool) (dbURL string, drop func(), existed bool, err error) {
	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		return "", nil, false, err
	}
	defer admin.Close()
	if reuse {
		if err := admin.GetContext(ctx, &existed, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name); err != nil {
			return "", nil, false, fmt.Errorf("look for %s: %w", name, err)
		}
	}
	if !existed {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return "", nil, false, fmt.Errorf("drop %s: %w", name, err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return "", nil, false, fmt.Errorf("create %s: %w", name, err)
		}
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", nil, false, err
	}
	u.Path = "/" + name
	drop = func() {
		a, err := sqlx.Open("postgres", adminURL)
		if err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	}
	return u.String(), drop, existed, nil
}

// server is the real zhuguan binary running as a child process.
type server struct {
	cmd     *exec.Cmd
	started time.Time // when cmd was started
	env     []string  // the environment it was started with, to start it again the same way
	url     string
	debug   string
	log     string
	http    *http.Client
}

// Flags of the abuse and soak modes.
var (
	abuseTimeout time.Duration
	rssCapMB     int64
	soakBaseline time.Duration
	soakMaxMB    float64
	soakGrowth   float64
	soakHostile  string
)

// seedDemo writes the demo data, as seed-demo does.
func seedDemo(ctx context.Context, d *sqlx.DB) error {
	v, err := auth.NewVerifier(secret)
	if err != nil {
		return err
	}
	return demo.Seed(ctx, db.NewStore(d), v, "http://localhost/", io.Discard)
}

// cpuProfile is where to write the server's CPU profile, when set.
var cpuProfile string

// serverSource is the source tree the benchmarked server is built from.
var serverSource string

// profileCPU records the server's CPU profile for d into cpuProfile, in the background; wait
// blocks until it is written and then saves the allocation profile beside it (.allocs).
func (s *server) profileCPU(d time.Duration) (wait func()) {
	if cpuProfile == "" {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.debug, int(d.Seconds())))
		if err != nil {
			fmt.Fprintln(os.Stderr, "profile:", err)
			return
		}
		defer res.Body.Close()
		f, err := os.Create(cpuProfile)
		if err == nil {
			_, _ = io.Copy(f, res.Body)
			f.Close()
		}
	}()
	return func() {
		<-done
		// The allocations since start, for the same load: allocation drives much of the GC cost.
		if res, err := http.Get(s.debug + "/debug/pprof/allocs"); err == nil {
			if f, err := os.Create(cpuProfile + ".allocs"); err == nil {
				_, _ = io.Copy(f, res.Body)
				f.Close()
			}
			res.Body.Close()
		}
	}
}

// startServer builds the server binary and starts it against dbURL, with a debug listener for
// profiles and its log in a file, and waits about 10 s at most for /readyz to answer 200. env
// adds to or overrides the server's environment.
func startServer(ctx context.Context, dbURL string, env ...string) (*server, error) {
	dir, err := os.MkdirTemp("", "zhuguan-bench")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "zhuguan")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	build.Dir = serverSource
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build server: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	debugPort, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{
		env: append([]string{"DATABASE_URL=" + withAppName(dbURL, serverAppName), "JWT_SECRET=" + secret, "PORT=" + port, "DB_MAX_CONNS=32",
			"DB_STATEMENT_TIMEOUT=2m", // a busy machine must slow a measurement down, not fail it
			"DEBUG_ADDR=127.0.0.1:" + debugPort}, env...),
		url: "http://127.0.0.1:" + port, debug: "http://127.0.0.1:" + debugPort, log: filepath.Join(dir, "server.log"),
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second},
		cmd:  exec.Command(bin),
	}
	if err := s.launch(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// serverAppName names the server's connections in pg_stat_activity, to tell them from the bench's own.
const serverAppName = "zhuguan-bench-server"

// withAppName returns dbURL with its connections' application_name set to name.
func withAppName(dbURL, name string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// launch starts s.cmd's binary afresh, its log appended to s.log, and waits about 10 s at most
// for /readyz to answer 200.
func (s *server) launch() error {
	cmd := exec.Command(s.cmd.Path)
	cmd.Env = append(os.Environ(), s.env...)
	logFile, err := os.OpenFile(s.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close() // the child has its own descriptor
	cmd.Stdout = logFile  // a file, as in production; a terminal would be measured instead
	cmd.Stderr = os.Stderr
	s.started = time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd = cmd
	for i := 0; i < 100; i++ {
		if res, err := s.http.Get(s.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.kill()
	return errors.New("server did not become ready")
}

// kill ends the server at once, as the kernel's OOM killer would: for a process whose work
// could not be bounded otherwise.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
}

// stop interrupts the server, so that it shuts down as on SIGINT, and removes its binary and log.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	_ = s.cmd.Wait()
	_ = os.RemoveAll(filepath.Dir(s.cmd.Path))
}

// peakRSS is the server process's high-water resident set, from /proc.
func (s *server) peakRSS() string {
	if _, hwm := s.memory(); hwm > 0 {
		return strconv.FormatInt(hwm, 10) + " kB"
	}
	return "unknown"
}

// statementsOf reads from the server's log how many SQL statements the request with id sent.
func (s *server) statementsOf(id string) string {
	for range 20 { // the server writes its log in batches, at least every 100 ms
		b, _ := os.ReadFile(s.log)
		for _, line := range strings.Split(string(b), "\n") {
			var l struct {
				RequestID  string `json:"request_id"`
				Statements int    `json:"statements"`
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.RequestID == id {
				return strconv.Itoa(l.Statements)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "unknown"
}

// gql posts one operation and returns the data, or an error for transport or GraphQL errors.
func (s *server) gql(token, query string, vars map[string]any, header ...string) (map[string]json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var out struct {
		Data   map[string]json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("graphql: %s", out.Errors[0].Message)
	}
	return out.Data, nil
}

// post sends a prepared request body and reads the whole answer, checking only that it is a
// success without errors: the load loop stays as light as the direct-SQL client it is compared
// with (the probe request before the load decodes an answer in full).
func (s *server) post(token string, body []byte) error {
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || bytes.Contains(b, []byte(`"errors"`)) {
		return fmt.Errorf("status %d: %.200s", res.StatusCode, b)
	}
	return nil
}

// latencies collects samples from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

// pct returns the p-quantile (0..1) of the samples, 0 when there are none.
func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	sort.Slice(l.d, func(i, j int) bool { return l.d[i] < l.d[j] })
	return l.d[int(p*float64(len(l.d)-1))].Round(10 * time.Microsecond)
}

// The hire cycle's mutations, each payload under the alias r.
const (
	applyMutation   = `mutation($p: ID!) { r: applyToPosition(input: {positionId: $p, reason: "压测"}) { application { id status } userErrors { code message } } }`
	hireMutation    = `mutation($id: ID!) { r: hireApplication(id: $id) { application { id status } userErrors { code message } } }`
	confirmMutation = `mutation($id: ID!) { r: confirmApplication(id: $id) { application { id status } userErrors { code message } } }`
)

// benchHire runs apply -> hire -> confirm cycles, each with a student who has not applied to the
// benchmark's positions, so every cycle succeeds.
func benchHire(ctx context.Context, d *sqlx.DB, srv *server, v *auth.Verifier, duration time.Duration, conc int) error {
	var positions []struct {
		ID     int64 `db:"id"`
		UnitID int64 `db:"unit_id"`
	}
	if err := d.SelectContext(ctx, &positions, `SELECT id, unit_id FROM positions WHERE academic_year = '2026-2027' ORDER BY id`); err != nil {
		return err
	}
	// A reused database (-keep) holds the cycles of earlier runs: go on after them, each student
	// with a position they have not applied to yet.
	students := int64(seededStudents())
	var next atomic.Int64
	var done int64
	if err := d.GetContext(ctx, &done, `SELECT count(*) FROM applications a JOIN positions p ON p.id = a.position_id
		WHERE p.academic_year = '2026-2027'`); err != nil {
		return err
	}
	next.Store(done)
	var cycles, failures atomic.Int64
	var cycleLat, applyLat, hireLat, confirmLat latencies
	step := func(lat *latencies, token, q string, vars map[string]any) (string, error) {
		t0 := time.Now()
		data, err := srv.gql(token, q, vars)
		lat.add(time.Since(t0))
		if err != nil {
			return "", err
		}
		var p struct {
			Application *struct{ ID string }
			UserErrors  []struct{ Code, Message string }
		}
		if err := json.Unmarshal(data["r"], &p); err != nil {
			return "", err
		}
		if p.Application == nil {
			return "", fmt.Errorf("%v", p.UserErrors)
		}
		return p.Application.ID, nil
	}
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	var firstErr atomic.Value
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				k := next.Add(1)
				if k > 5*students { // five positions per student stay within the weekly cap
					return
				}
				round := (k - 1) / students
				pos := positions[(k+round)%int64(len(positions))]
				stu, _ := v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleStudent, StudentNo: studentNo(int((k-1)%students + 1))}, time.Hour)
				unit, _ := v.Sign(auth.Principal{Subject: "bench", Role: auth.RoleUnitStaff, UnitID: pos.UnitID}, time.Hour)
				t0 := time.Now()
				id, err := step(&applyLat, stu, applyMutation, map[string]any{"p": pos.ID})
				if err == nil {
					_, err = step(&hireLat, unit, hireMutation, map[string]any{"id": id})
				}
				if err == nil {
					_, err = step(&confirmLat, stu, confirmMutation, map[string]any{"id": id})
				}
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				cycleLat.add(time.Since(t0))
				cycles.Add(1)
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Printf("hire cycles (apply -> hire -> confirm) at concurrency %d for %s:\n", conc, elapsed.Round(time.Millisecond))
	fmt.Printf("  cycles: %d ok, %d failed (first failure: %v)\n", cycles.Load(), failures.Load(), firstErr.Load())
	fmt.Printf("  cycles/s: %.1f   transitions/s: %.1f\n", float64(cycles.Load())/elapsed.Seconds(), 3*float64(cycles.Load())/elapsed.Seconds())
	fmt.Printf("  cycle   p50 %v  p99 %v\n", cycleLat.pct(0.50), cycleLat.pct(0.99))
	fmt.Printf("  apply   p50 %v  p99 %v\n", applyLat.pct(0.50), applyLat.pct(0.99))
	fmt.Printf("  hire    p50 %v  p99 %v\n", hireLat.pct(0.50), hireLat.pct(0.99))
	fmt.Printf("  confirm p50 %v  p99 %v\n", confirmLat.pct(0.50), confirmLat.pct(0.99))
	fmt.Printf("  server peak RSS: %s\n", srv.peakRSS())
	if failures.Load() > 0 {
		return errors.New("some cycles failed")
	}
	return nil
}
