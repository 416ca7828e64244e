package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/httpapi"
)

// unavailableWithin is how long an answer may take while the database is away: the issue's
// bound, well above db.ConnectTimeout, well below the request deadline.
const unavailableWithin = 10 * time.Second

// dbAdmin is a session on the maintenance database, closed when the test ends, through which a
// test takes its own database away and gives it back; it never touches another database.
func dbAdmin(t *testing.T) *sqlx.DB {
	t.Helper()
	admin, err := sqlx.Open("postgres", dbtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return admin
}

// takeDatabaseAway makes s's own database refuse new sessions and ends those it has (the
// server's pool and listener), as an outage would; the returned function gives it back, and
// runs anyway when the test ends, before the database is dropped.
func takeDatabaseAway(t *testing.T, s *Server) (back func()) {
	t.Helper()
	admin := dbAdmin(t)
	allow := func(on bool) {
		t.Helper()
		if _, err := admin.Exec(fmt.Sprintf(`ALTER DATABASE %s WITH ALLOW_CONNECTIONS %t`, s.DBName, on)); err != nil {
			t.Fatal(err)
		}
	}
	allow(false)
	t.Cleanup(func() { allow(true) })
	if _, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, s.DBName); err != nil {
		t.Fatal(err)
	}
	return func() { allow(true) }
}

// answer is one response of the load, classified.
type answer struct {
	phase   int32 // when the request began
	ended   int32 // the phase when its answer had come
	status  int
	code    string // "" for data
	retry   string // Retry-After
	media   string
	took    time.Duration
	message string
	err     error
}

// While the database is away, 8 clients over HTTP get, each within 10 s, either data or
// UNAVAILABLE (503 with Retry-After under application/graphql-response+json, 200 under
// application/json), never a driver's text; /readyz is 503, and so is a CSV export; once the database is back the server
// recovers by itself: /readyz is 200 again, and from then on every answer is data.
func TestDatabaseOutageUnderLoad(t *testing.T) {
	const student = "20230001"
	s := NewServer(t)
	s.SeedSchool(t, student)
	token := s.Student(t, student)
	const q = `{ positions(first: 5) { totalCount edges { node { id title unit { name } } } } }`
	const (
		before = iota
		goingDown
		down
		comingBack
		back
		clients = 8
	)
	var phase atomic.Int32
	var mu sync.Mutex
	answers := map[int32][]answer{}
	done := [5][clients]atomic.Int32{} // answers per phase and client, of requests begun in that phase
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			media := "application/json"
			if c%2 == 0 {
				media = "application/graphql-response+json"
			}
			for {
				select {
				case <-stop:
					return
				default:
				}
				a := answer{phase: phase.Load(), media: media}
				start := time.Now()
				req, err := NewRequest(http.MethodPost, s.URL+"/graphql", token,
					strings.NewReader(`{"query":"`+q+`"}`), "Content-Type", "application/json", "Accept", media)
				if err != nil {
					a.err = err
				} else {
					a = load(a, req)
				}
				a.took, a.ended = time.Since(start), phase.Load()
				mu.Lock()
				answers[a.phase] = append(answers[a.phase], a)
				mu.Unlock()
				done[a.phase][c].Add(1)
			}
		}()
	}
	// waitAnswers lets every client finish n requests begun in phase p; a client stuck there
	// fails the test after a minute (each request is bounded by the request deadline).
	waitAnswers := func(p int32, n int32) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for c := range clients {
			for done[p][c].Load() < n {
				if time.Now().After(deadline) {
					t.Fatalf("phase %d: client %d answered %d requests in a minute, want %d", p, c, done[p][c].Load(), n)
				}
				time.Sleep(time.Millisecond) // the pace of the polling
			}
		}
	}
	defer func() { close(stop); wg.Wait() }()

	waitAnswers(before, 2)
	phase.Store(goingDown)
	giveBack := takeDatabaseAway(t, s)
	r := WaitReady(t, s.URL, "without its database", func(r httpapi.Readiness) bool { return r.Database == "down" })
	t.Logf("readiness while away: %+v", r)
	phase.Store(down)
	waitAnswers(down, 3)
	// A CSV export, refused before its first row, says so under its own status.
	res, body := RawRequest(t, http.MethodGet, s.URL+"/export/history.csv", nil, "Authorization", "Bearer "+token)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") != "2" || !strings.Contains(string(body), httpapi.CodeUnavailable) {
		t.Errorf("export while away: got %d, Retry-After %q, %s; want 503, 2, UNAVAILABLE", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	phase.Store(comingBack)
	giveBack()
	WaitReady(t, s.URL, "ready again", func(r httpapi.Readiness) bool { return r.Database == "ok" && r.Listener == "ok" })
	phase.Store(back)
	waitAnswers(back, 3)
	close(stop)
	wg.Wait()
	stop = make(chan struct{}) // for the deferred close

	unavailable := 0
	for p, list := range answers {
		for _, a := range list {
			// Data is due of a request that began once the database was back, or that was
			// answered before it went away.
			dataDue := p == back || a.ended == before
			if a.err != nil {
				t.Errorf("phase %d: %v", p, a.err)
				continue
			}
			switch {
			case a.code == "":
				if a.status != http.StatusOK {
					t.Errorf("phase %d, %s: data with status %d, want 200", p, a.media, a.status)
				}
			case a.code == httpapi.CodeUnavailable && !dataDue:
				unavailable++
				wantStatus, wantRetry := http.StatusOK, ""
				if a.media == "application/graphql-response+json" {
					wantStatus, wantRetry = http.StatusServiceUnavailable, "2"
				}
				if a.status != wantStatus || a.retry != wantRetry {
					t.Errorf("phase %d, %s: UNAVAILABLE with status %d, Retry-After %q; want %d, %q", p, a.media, a.status, a.retry, wantStatus, wantRetry)
				}
				if m := a.message; strings.Contains(m, "pq") || strings.Contains(m, "driver") || strings.Contains(m, s.DBName) || !strings.Contains(m, "数据库暂时不可用") {
					t.Errorf("phase %d: UNAVAILABLE message %q, want the catalog's words without the driver's", p, m)
				}
			default:
				t.Errorf("phase %d, %s: got %s (%q), status %d; want data%s", p, a.media, a.code, a.message, a.status,
					map[bool]string{true: "", false: " or UNAVAILABLE"}[dataDue])
			}
			if a.code == httpapi.CodeUnavailable && a.took > unavailableWithin {
				t.Errorf("phase %d: UNAVAILABLE took %v, want at most %v", p, a.took, unavailableWithin)
			}
		}
	}
	if unavailable < 3*clients {
		t.Errorf("UNAVAILABLE answers: got %d, want at least %d (3 per client while the database was away)", unavailable, 3*clients)
	}
	t.Logf("answers: %d before, %d going down, %d away, %d coming back, %d back; %d UNAVAILABLE",
		len(answers[before]), len(answers[goingDown]), len(answers[down]), len(answers[comingBack]), len(answers[back]), unavailable)
}

// load sends req and fills a's status, code, message and Retry-After from the answer.
func load(a answer, req *http.Request) answer { return loadWith(http.DefaultClient, a, req) }

// loadWith is load through client.
func loadWith(client *http.Client, a answer, req *http.Request) answer {
	res, err := client.Do(req)
	if err != nil {
		a.err = err
		return a
	}
	defer res.Body.Close()
	var r Response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		a.err = fmt.Errorf("status %d: %w", res.StatusCode, err)
		return a
	}
	a.status, a.retry, a.code = res.StatusCode, res.Header.Get("Retry-After"), r.Code()
	if len(r.Errors) > 0 {
		a.message = r.Errors[0].Message
	} else if len(r.Data) == 0 || string(r.Data) == "null" {
		a.err = fmt.Errorf("status %d: neither data nor errors", res.StatusCode)
	}
	return a
}

// A mutation whose connection is lost in the middle of its transaction answers UNAVAILABLE and
// leaves nothing of itself: the test holds a lock on the timeline, so that a hire has changed the
// application's status and waits to write its timeline entry; the test then ends that backend,
// found as the one in a transaction that its lock blocks. The application is still APPLIED with
// its one entry, the report's cells count no hire, and the same hire succeeds afterwards.
func TestConnectionLostMidTransaction(t *testing.T) {
	const student = "20230001"
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, student)
	app := s.Apply(t, student, pos)
	state := func() string {
		t.Helper()
		var st struct {
			Status string `db:"status"`
			Events int    `db:"events"`
			Hired  int    `db:"hired"`
		}
		if err := s.DB.Get(&st, `SELECT a.status,
			(SELECT count(*) FROM application_events e WHERE e.application_id = a.id) AS events,
			(SELECT coalesce(sum(c.hired), 0) FROM report_cells c WHERE c.position_id = a.position_id) AS hired
			FROM applications a WHERE a.id = $1`, app); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s, %d timeline entries, %d hired in the report", st.Status, st.Events, st.Hired)
	}
	want := state()

	hold, holder := holdTimeline(t, s.DB)
	answers := make(chan answer, 1)
	req := hireRequest(t, s, s.URL, unit, app, "Accept", "application/graphql-response+json")
	go func() { answers <- load(answer{media: "application/graphql-response+json"}, req) }()
	victim := waitBlocked(t, s, holder)
	var ended bool
	if err := dbAdmin(t).Get(&ended, `SELECT pg_terminate_backend($1)`, victim); err != nil || !ended {
		t.Fatalf("terminate backend %d: %v, %v", victim, ended, err)
	}
	a := <-answers
	if a.err != nil || a.code != httpapi.CodeUnavailable || a.status != http.StatusServiceUnavailable || a.retry != "2" {
		t.Errorf("hire on a lost connection: got %+v, want UNAVAILABLE, 503, Retry-After 2", a)
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := state(); got != want {
		t.Errorf("after the lost hire: got %s, want %s (nothing of it)", got, want)
	}
	s.MustTransition(t, s.Unit(t, unit), "HIRE", app, nil)
}
