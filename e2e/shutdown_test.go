package e2e

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/httpapi"
)

// process is the real server binary (server.go) running on s's database.
type process struct {
	cmd    *exec.Cmd
	url    string
	log    string        // its stdout and stderr
	exited chan struct{} // closed when it has exited; err then says how
	err    error
}

// startBinary builds the server and starts it on a free port against s's database, with the
// test's token secret and env added, and waits for /readyz; the process is killed when the test
// ends, should it still run.
func startBinary(t *testing.T, s *Server, env ...string) *process {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "zhuguan")
	build := exec.Command("go", "build", "-o", bin, "github.com/zhuguan/zhuguan")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	p := &process{url: "http://127.0.0.1:" + port, log: filepath.Join(dir, "server.log"), exited: make(chan struct{})}
	logFile, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append(os.Environ(), append([]string{"DATABASE_URL=" + dbtest.URLOf(s.DBName), "JWT_SECRET=" + TestSecret,
		"PORT=" + port}, env...)...)
	p.cmd.Stdout, p.cmd.Stderr = logFile, logFile
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			if b, err := os.ReadFile(p.log); err == nil {
				t.Logf("server log:\n%s", b)
			}
		}
	})
	WaitReady(t, p.url, "ready", func(r httpapi.Readiness) bool { return r.Database == "ok" && r.Listener == "ok" })
	return p
}

// oneShot is a client that opens a connection per request, so that each request after the
// server stopped accepting shows it.
var oneShot = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}

// refused tells an error of a request the server never took: the connection was refused, or
// reset while it waited in the listen queue when the listener closed, or closed unanswered (EOF)
// because net/http read its request only after shutdown began, which it then never hands to the
// handler.
func refused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)
}

// holdTimeline begins a transaction of the test that locks the timeline, so that a transition
// waits, having written the application's status, to write its entry; it returns the transaction
// and its backend's pid.
func holdTimeline(t *testing.T, d *sqlx.DB) (*sqlx.Tx, int) {
	t.Helper()
	hold, err := d.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hold.Rollback() })
	var pid int
	if err := hold.Get(&pid, `LOCK TABLE application_events IN SHARE MODE; SELECT pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	return hold, pid
}

// waitBlocked returns the backend of the transaction of s's database that has written and waits
// for holder's lock (a background preparation may wait too, without having written).
func waitBlocked(t *testing.T, s *Server, holder int) int {
	t.Helper()
	admin := dbAdmin(t)
	var pid int
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		err := admin.Get(&pid, `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_xid IS NOT NULL
			AND $2 = ANY(pg_blocking_pids(pid))`, s.DBName, holder)
		if err == nil {
			return pid
		}
		if time.Now().After(deadline) {
			t.Fatalf("no transaction waiting for the timeline's lock after a minute: %v", err)
		}
	}
}

// hireRequest posts the hire of application app to base as the unit's staff, with extra headers
// as name, value pairs.
func hireRequest(t *testing.T, s *Server, base, unit, app string, headers ...string) *http.Request {
	t.Helper()
	body := `{"query":"mutation($id: ID!) { hireApplication(id: $id) { application { status } userErrors { code } } }","variables":{"id":"` + app + `"}}`
	req, err := NewRequest(http.MethodPost, base+"/graphql", s.Unit(t, unit), strings.NewReader(body),
		append([]string{"Content-Type", "application/json"}, headers...)...)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// SIGTERM while clients keep asking: the request in flight (a hire held by the test's lock)
// finishes after the signal with its data, new connections are refused while it still runs,
// every other answer is data or a refusal (never a broken response), and the process exits
// cleanly, within SHUTDOWN_GRACE, once the hire is done.
func TestSIGTERMDuringLoad(t *testing.T) {
	const student = "20230001"
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, student)
	app := s.Apply(t, student, pos)
	p := startBinary(t, s, "SHUTDOWN_GRACE=20s")
	token := s.Student(t, student)

	var mu sync.Mutex
	var data, refusals int
	var broken []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, err := NewRequest(http.MethodPost, p.url+"/graphql", token,
					strings.NewReader(`{"query":"{ positions(first: 5) { totalCount } }"}`), "Content-Type", "application/json")
				a := answer{err: err}
				if err == nil {
					a = loadWith(oneShot, a, req)
				}
				mu.Lock()
				switch {
				case a.err == nil && a.code == "" && a.status == http.StatusOK:
					data++
				case a.err != nil && refused(a.err):
					refusals++
				default:
					broken = append(broken, strconv.Itoa(a.status)+" "+a.code+" "+a.message+" "+errString(a.err))
				}
				mu.Unlock()
			}
		}()
	}
	defer func() {
		select {
		case <-stop:
		default:
			close(stop)
		}
		wg.Wait()
	}()

	hold, holder := holdTimeline(t, s.DB)
	hired := make(chan answer, 1)
	req := hireRequest(t, s, p.url, unit, app)
	go func() { hired <- loadWith(http.DefaultClient, answer{}, req) }()
	waitBlocked(t, s, holder)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The hire still waits for the lock, so the process runs on; a new connection is refused.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
		res, err := oneShot.Get(p.url + "/healthz")
		if err == nil {
			res.Body.Close()
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a new connection a minute after SIGTERM: got %v, want refused", err)
		}
	}
	select {
	case <-p.exited:
		t.Fatalf("the process exited (%v) with a request in flight", p.err)
	default:
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}
	if a := <-hired; a.err != nil || a.status != http.StatusOK || a.code != "" {
		t.Errorf("the hire in flight at SIGTERM: got %+v, want its data", a)
	}
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the process still runs 20 s (SHUTDOWN_GRACE) after its last request ended")
	}
	if p.err != nil {
		t.Errorf("exit: got %v, want status 0", p.err)
	}
	close(stop)
	wg.Wait()
	if len(broken) > 0 {
		t.Errorf("answers neither data nor refused: %q", broken)
	}
	if data == 0 || refusals == 0 {
		t.Errorf("load: %d answers with data, %d refused; want some of each", data, refusals)
	}
	if n := s.Count(t, `SELECT count(*) FROM applications WHERE id = $1 AND status = 'HIRED'`, app); n != 1 {
		t.Errorf("the hire in flight at SIGTERM is not committed")
	}
	t.Logf("load: %d answers with data, %d refused", data, refusals)
}

// A request that outlasts SHUTDOWN_GRACE is canceled: the process exits soon after the grace
// (1 s here), long before the request's own deadline (20 s), with an error status, and the
// request's transaction is rolled back.
func TestShutdownGraceCancels(t *testing.T) {
	const student = "20230001"
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, student)
	app := s.Apply(t, student, pos)
	p := startBinary(t, s, "SHUTDOWN_GRACE=1s")
	hold, holder := holdTimeline(t, s.DB)
	hired := make(chan answer, 1)
	req := hireRequest(t, s, p.url, unit, app)
	go func() { hired <- loadWith(http.DefaultClient, answer{}, req) }()
	waitBlocked(t, s, holder)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(15 * time.Second):
		t.Fatal("the process still runs 15 s after SIGTERM with a grace of 1 s")
	}
	var exit *exec.ExitError
	if !errors.As(p.err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("exit after the grace: got %v, want status 1", p.err)
	}
	if a := <-hired; a.err == nil {
		t.Errorf("the hire canceled at the grace's end: got %+v, want its connection closed", a)
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}
	if n := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, app); n != 1 {
		t.Errorf("timeline entries after the canceled hire: got %d, want 1 (APPLIED alone)", n)
	}
	if n := s.Count(t, `SELECT count(*) FROM applications WHERE id = $1 AND status = 'APPLIED'`, app); n != 1 {
		t.Errorf("the canceled hire changed the application's status")
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
