package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/httpapi"
)

// liveQuery subscribes to the changes; the timeline's length tells each change's state apart.
const liveQuery = `subscription { applicationUpdated { id status student { studentNo } timeline { event } } }`

// liveEvent is what a test compares of one applicationUpdated message.
type liveEvent struct {
	ID, Status, Student string
	Timeline            int
}

func (e liveEvent) String() string {
	return fmt.Sprintf("%s(%s) %s/%d", e.ID, e.Student, e.Status, e.Timeline)
}

// subscribe opens a connection to base as token, subscribes to applicationUpdated and returns
// the connection.
func subscribe(t *testing.T, base, token string) *WS {
	t.Helper()
	ws := DialWS(t, base)
	ws.Init(token)
	ws.Subscribe("live", liveQuery)
	return ws
}

// waitSubscribers waits until base serves n subscriptions: a change made after that reaches them.
func waitSubscribers(t *testing.T, base string, n int) {
	t.Helper()
	WaitReady(t, base, fmt.Sprintf("serving %d subscriptions", n), func(r httpapi.Readiness) bool {
		return r.Listener == "ok" && r.Subscribers == n
	})
}

// nextEvent reads the subscription's next change; anything else fails the test.
func nextEvent(t *testing.T, who string, ws *WS) liveEvent {
	t.Helper()
	m := ws.Next()
	var p struct {
		Data struct {
			ApplicationUpdated struct {
				ID, Status string
				Student    struct{ StudentNo string }
				Timeline   []struct{ Event string }
			}
		}
		Errors []GQLError
	}
	if m.Type != "next" || m.ID != "live" {
		t.Fatalf("%s: got %s %s %s, want next of the subscription", who, m.Type, m.ID, m.Payload)
	}
	if err := json.Unmarshal(m.Payload, &p); err != nil || len(p.Errors) > 0 {
		t.Fatalf("%s: payload %s (%v), want data without errors", who, m.Payload, err)
	}
	a := p.Data.ApplicationUpdated
	return liveEvent{ID: a.ID, Status: a.Status, Student: a.Student.StudentNo, Timeline: len(a.Timeline)}
}

// Changes made through one replica reach the subscribers of another (apply, hire, confirm,
// recordWork and its correction, withdraw), each subscriber receiving exactly the changes of the
// applications they may see, in order: a student their own, unit staff their unit's, admin all.
func TestLiveAcrossReplicas(t *testing.T) {
	const a, b = "20230001", "20230002"
	s := NewServer(t)
	replica := s.Replica(t, "replica2")
	unit1, pos1 := s.SeedSchool(t, a, b)
	unit2 := s.SeedUnit(t, "药学院")
	pos2 := s.SeedPosition(t, unit2, "PUBLISHED", PositionInput("摄影"))

	subs := map[string]*WS{
		"student A": subscribe(t, replica, s.Student(t, a)),
		"student B": subscribe(t, replica, s.Student(t, b)),
		"unit 1":    subscribe(t, replica, s.Unit(t, unit1)),
		"unit 2":    subscribe(t, replica, s.Unit(t, unit2)),
		"admin":     subscribe(t, replica, s.Admin(t)),
	}
	waitSubscribers(t, replica, len(subs))

	// change makes one change on the first replica and checks that the admin and those named in
	// who receive it next, each as the application read after the change (nested fields are read
	// as a message is written: the next change waits for them). Every change a subscriber must
	// not see is followed by one they must, which would come after it.
	change := func(do func() string, student, status string, timeline int, who ...string) {
		t.Helper()
		want := liveEvent{ID: do(), Status: status, Student: student, Timeline: timeline}
		for _, name := range append(who, "admin") {
			if got := nextEvent(t, name, subs[name]); got != want {
				t.Fatalf("%s: got %v, want %v", name, got, want)
			}
		}
	}
	const sa, sb, u1, u2 = "student A", "student B", "unit 1", "unit 2"
	var appA, appB2 string
	change(func() string { appA = s.Apply(t, a, pos1); return appA }, a, "APPLIED", 1, sa, u1)
	change(func() string { s.MustTransition(t, s.Unit(t, unit1), "HIRE", appA, nil); return appA }, a, "HIRED", 2, sa, u1)
	change(func() string { s.MustTransition(t, s.Student(t, a), "CONFIRM", appA, nil); return appA }, a, "CONFIRMED", 3, sa, u1)
	change(func() string { appB2 = s.Apply(t, b, pos2); return appB2 }, b, "APPLIED", 1, sb, u2)
	change(func() string { return s.Apply(t, b, pos1) }, b, "APPLIED", 1, sb, u1)
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	change(func() string { s.RecordWork(t, unit1, appA, "2027-01", 20, "800.00"); return appA }, a, "CONFIRMED", 4, sa, u1)
	change(func() string { s.MustTransition(t, s.Student(t, b), "WITHDRAW", appB2, nil); return appB2 }, b, "WITHDRAWN", 2, sb, u2)
	change(func() string { s.RecordWork(t, unit1, appA, "2027-01", 25, "1000.00"); return appA }, a, "CONFIRMED", 5, sa, u1) // a correction
}

// A subscription ends when its connection's token expires: the connection closes with 4403 and
// the subscriber is forgotten. A change before the expiry is still delivered.
func TestLiveTokenExpiry(t *testing.T) {
	const a = "20230001"
	s := NewServer(t)
	_, pos := s.SeedSchool(t, a)
	ws := subscribe(t, s.URL, s.TokenFor(t, auth.Principal{Subject: "s" + a, Role: auth.RoleStudent, StudentNo: a}, 3*time.Second))
	waitSubscribers(t, s.URL, 1)
	id := s.Apply(t, a, pos)
	if got, want := nextEvent(t, "student", ws), (liveEvent{ID: id, Status: "APPLIED", Student: a, Timeline: 1}); got != want {
		t.Errorf("before the expiry: got %v, want %v", got, want)
	}
	if code, reason := ws.Closed(); code != 4403 || !strings.Contains(reason, "令牌已过期") {
		t.Errorf("close at the token's expiry: got %d %q, want 4403 with 令牌已过期", code, reason)
	}
	waitSubscribers(t, s.URL, 0)
}

// A connection_init without a token, or with one refused, is closed with 4403 before anything
// can be subscribed.
func TestLiveRefusesUnauthenticated(t *testing.T) {
	s := NewServer(t)
	for name, init := range map[string]map[string]any{
		"no token":  {"type": "connection_init"},
		"bad token": {"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer x.y.z"}},
		"expired": {"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " +
			s.TokenFor(t, auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, -time.Hour)}},
	} {
		t.Run(name, func(t *testing.T) {
			ws := DialWS(t, s.URL)
			ws.Send(init)
			if code, reason := ws.Closed(); code != 4403 || !strings.Contains(reason, "需要登录") {
				t.Errorf("close: got %d %q, want 4403 with 需要登录", code, reason)
			}
		})
	}
	waitSubscribers(t, s.URL, 0)
}

// A lost LISTEN session comes back by itself: /readyz says "down" while it is lost (here the
// database refuses new sessions meanwhile, so that the loss lasts until the test ends it) and
// "ok" again after, and changes flow again to the subscribers of both replicas.
func TestLiveListenerComesBack(t *testing.T) {
	const a = "20230001"
	s := NewServer(t)
	replica := s.Replica(t, "replica2")
	_, pos := s.SeedSchool(t, a)
	ws1, ws2 := subscribe(t, s.URL, s.Admin(t)), subscribe(t, replica, s.Admin(t))
	waitSubscribers(t, s.URL, 1)
	waitSubscribers(t, replica, 1)

	admin, err := sqlx.Open("postgres", dbtest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() }) // after the database accepts sessions again
	allow := func(on bool) {
		t.Helper()
		if _, err := admin.Exec(fmt.Sprintf(`ALTER DATABASE %s WITH ALLOW_CONNECTIONS %t`, s.DBName, on)); err != nil {
			t.Fatal(err)
		}
	}
	allow(false)
	t.Cleanup(func() { allow(true) })
	var killed int
	if err := admin.Get(&killed, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = $1 AND application_name = $2`, s.DBName, db.ListenerAppName); err != nil {
		t.Fatal(err)
	}
	if killed != 2 {
		t.Fatalf("listener sessions terminated: got %d, want 2 (one per replica)", killed)
	}
	down := func(r httpapi.Readiness) bool { return r.Listener == "down" }
	WaitReady(t, s.URL, "without its listener", down)
	WaitReady(t, replica, "without its listener", down)
	allow(true)
	WaitReady(t, s.URL, "listening again", Listening)
	WaitReady(t, replica, "listening again", Listening)

	id := s.Apply(t, a, pos)
	want := liveEvent{ID: id, Status: "APPLIED", Student: a, Timeline: 1}
	for name, ws := range map[string]*WS{"replica 1": ws1, "replica 2": ws2} {
		if got := nextEvent(t, name, ws); got != want {
			t.Errorf("%s after the listener came back: got %v, want %v", name, got, want)
		}
	}
}

// A subscription document that does not parse or validate, or that selects two streams, is
// refused with a code saying so for that operation (never INTERNAL), and the connection
// stays usable.
func TestLiveBadDocument(t *testing.T) {
	s := NewServer(t)
	ws := DialWS(t, s.URL)
	ws.Init(s.Admin(t))
	for id, c := range map[string]struct{ q, code string }{
		"parse":      {`subscription {`, "GRAPHQL_PARSE_FAILED"},
		"validate":   {`subscription { applicationUpdated { nope } }`, "GRAPHQL_VALIDATION_FAILED"},
		"two fields": {`subscription { a: applicationUpdated { id } b: applicationUpdated { id } }`, "BAD_USER_INPUT"},
	} {
		ws.Subscribe(id, c.q)
		// gqlgen refuses a document with an error message, and our own check with a result
		// carrying only errors.
		m := ws.Next()
		var errs []GQLError
		err := json.Unmarshal(m.Payload, &errs)
		if m.Type == "next" {
			var r Response
			err = json.Unmarshal(m.Payload, &r)
			errs = r.Errors
		}
		if m.ID != id || err != nil || len(errs) != 1 || errs[0].Extensions["code"] != c.code {
			t.Errorf("%s: got %s %s %s, want one error with code %s", id, m.Type, m.ID, m.Payload, c.code)
		}
		if m := ws.Next(); m.Type != "complete" || m.ID != id {
			t.Errorf("%s: got %s %s %s, want complete", id, m.Type, m.ID, m.Payload)
		}
	}
	if got := ws.Query("me", `{ me { role } }`); got != `{"data":{"me":{"role":"ADMIN"}}}` {
		t.Errorf("after the refused documents: got %s, want the admin", got)
	}
	waitSubscribers(t, s.URL, 0)
}

// A subscription sent as an ordinary request (POST or GET) is refused at once with 400: it would
// otherwise hold the request open until its deadline for a single change.
func TestLiveNotOverHTTP(t *testing.T) {
	s := NewServer(t)
	r := s.Do(t, s.Admin(t), liveQuery, nil, English...)
	if r.Status != http.StatusBadRequest || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "websocket") {
		t.Errorf("POST: got %d %+v, want 400 naming the websocket", r.Status, r.Errors)
	}
	res, body := RawRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape(liveQuery), nil,
		"Authorization", "Bearer "+s.Admin(t), "Accept-Language", "en")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "websocket") {
		t.Errorf("GET: got %d %s, want 400 naming the websocket", res.StatusCode, body)
	}
}
