package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/service"
)

// The error presenter: what a client is told when input cannot reach the database, or when the
// database fails.

// The operations these tests send, as the end-to-end tests of each feature send them (package
// e2e keeps its copies in test files, which other packages cannot import).
const (
	createUnitMutation     = `mutation($n: String!) { createUnit(input: {name: $n}) { unit { id name } userErrors { code field message } } }`
	importStudentsMutation = `mutation($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { students { studentNo } created updated userErrors { code field message } } }`
	studentByNoQuery       = `query($no: String!) { student(studentNo: $no) { studentNo name degree department phone email fullTime enrolled financialNeed } }`
	academicYearQuery      = `query($n: String!) { academicYear(name: $n) {
		name startDate endDate nominationOpensAt nominationClosesAt nominationMinHours maxWeeklyHours maxMonthlyHours } }`
	saveProfileMutation = `mutation($in: ProfileInput!) { saveProfile(input: $in) {
		profile { academicYear specialties natures weeklyHours freeTime { weekday start end } phone email updatedAt student { studentNo } }
		userErrors { code field message } } }`
	myProfileQuery = `query($y: String!) { myProfile(academicYear: $y) {
		academicYear specialties natures weeklyHours freeTime { weekday start end } phone email updatedAt student { studentNo } } }`
)

// profileWithFreeTime is a valid ProfileInput of e2e.TestYear with one free-time slot, so that
// saving and reading it touch free_time_slots.
func profileWithFreeTime() map[string]any {
	return e2e.With(e2e.ProfileInput(e2e.TestYear), "specialties", "数据分析、摄影", "natures", []any{"LONG_TERM"}, "weeklyHours", 10,
		"freeTime", []any{map[string]any{"weekday": "MONDAY", "start": "08:00", "end": "10:00"}})
}

// A NUL character is valid JSON but cannot be stored in PostgreSQL text: it must be refused as a
// VALIDATION userError (or, for a lookup, find nothing), never reach the driver.
func TestAccountsNULCharacterInput(t *testing.T) {
	s := e2e.NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160001")
	admin := s.Admin(t)
	cases := []struct {
		name, token, query, payload, field string
		vars                               map[string]any
	}{
		{"createUnit name", admin, createUnitMutation, "createUnit", "input.name", map[string]any{"n": "研究\u0000生院"}},
		{"importStudents name", admin, importStudentsMutation, "importStudents", "input.0.name",
			map[string]any{"rows": []any{e2e.With(e2e.StudentRow("20160002"), "name", "张\u0000三")}}},
		{"saveProfile specialties", s.Student(t, "20160001"), saveProfileMutation, "saveProfile", "input.specialties",
			map[string]any{"in": e2e.With(profileWithFreeTime(), "specialties", "摄影\u0000")}},
		{"academicYear lookup", admin, academicYearQuery, "academicYear", "", map[string]any{"n": "2026\u00002027"}},
		{"student lookup", admin, studentByNoQuery, "student", "", map[string]any{"no": "2016\u00000001"}},
	}
	var bugs []string
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Decision: PostgreSQL text cannot hold U+0000, so any operation carrying one is refused
			// up front with one specific BAD_USER_INPUT, before any resolver runs.
			r := s.Do(t, c.token, c.query, c.vars, e2e.English...)
			if r.Code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "NUL character") {
				bugs = append(bugs, fmt.Sprintf("%s: got %+v, want BAD_USER_INPUT naming the NUL character", c.name, r.Errors))
			}
		})
	}
	for table, want := range map[string]int{"units": 0, "students": 1, "profiles": 0} {
		if got := s.Count(t, "SELECT count(*) FROM "+table); got != want {
			t.Errorf("rows in %s: got %d, want %d", table, got, want)
		}
	}
	if len(bugs) > 0 {
		t.Errorf("NUL character not refused up front: %s", strings.Join(bugs, "; "))
	}
}

func TestAccountsInternalErrorNoLeak(t *testing.T) {
	var log lockedBuffer
	s := e2e.NewServer(t, e2e.WithLog(&log))
	s.SeedYear(t)
	s.SeedStudents(t, "20160001")
	tok := s.Student(t, "20160001")
	s.SeedProfile(t, "20160001", profileWithFreeTime())
	if _, err := s.DB.Exec("DROP TABLE free_time_slots CASCADE"); err != nil {
		t.Fatal(err)
	}
	if r := s.Do(t, tok, myProfileQuery, map[string]any{"y": e2e.TestYear}, e2e.English...); r.Code() != "INTERNAL" {
		t.Fatalf("myProfile without its table: got code %q, errors %+v, want code INTERNAL", r.Code(), r.Errors)
	}
	leaks := []string{"pq:", "relation", "SQL", "sql", "free_time_slots", "does not exist", "profile", "slots", "goroutine", ".go:"}
	cases := []struct {
		name, query, lang, rid, want string
		vars                         map[string]any
	}{
		{"myProfile", myProfileQuery, "en", "leak-check-1", "internal error", map[string]any{"y": e2e.TestYear}},
		{"myProfile chinese", myProfileQuery, "zh-CN", "leak-check-2", "服务器内部错误", map[string]any{"y": e2e.TestYear}},
		{"saveProfile", saveProfileMutation, "en", "leak-check-3", "internal error", map[string]any{"in": profileWithFreeTime()}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.Do(t, tok, c.query, c.vars, "Accept-Language", c.lang, "X-Request-Id", c.rid)
			e2e.WantTopLevel(t, r, "INTERNAL", c.want, c.rid)
			e := r.Errors[0]
			if got, _ := e.Extensions["requestId"].(string); got != c.rid {
				t.Errorf("extensions.requestId: got %q, want %q", got, c.rid)
			}
			for _, l := range leaks {
				if strings.Contains(e.Message, l) {
					t.Errorf("message: got %q, want no %q", e.Message, l)
				}
			}
			ext, _ := json.Marshal(e.Extensions)
			for _, l := range []string{"pq:", "relation", "free_time_slots"} {
				if strings.Contains(string(ext), l) {
					t.Errorf("extensions: got %s, want no %q", ext, l)
				}
			}
			// The cause is in the log, under the id the client was given.
			wantLogLine(t, log.String(), "internal error", c.rid, "err", `relation "free_time_slots" does not exist`)
		})
	}
	t.Run("generated request id", func(t *testing.T) {
		r := s.Do(t, tok, myProfileQuery, map[string]any{"y": e2e.TestYear}, e2e.English...)
		e2e.WantTopLevel(t, r, "INTERNAL")
		rid, _ := r.Errors[0].Extensions["requestId"].(string)
		if rid == "" || !strings.Contains(r.Errors[0].Message, rid) {
			t.Errorf("requestId %q and message %q: want a non-empty id quoted in the message", rid, r.Errors[0].Message)
		}
	})
}

// panickingStore panics in Units and UnitsByID, below a top-level and a nested resolver, as a
// bug in production code would.
type panickingStore struct{ service.Store }

func (panickingStore) Units(context.Context) ([]service.Unit, error) {
	panic("units exploded: SELECT secret FROM units")
}

func (panickingStore) UnitsByID(context.Context, []int64) ([]service.Unit, error) {
	panic(fmt.Errorf("units by id exploded: %w", errors.New("pq: SELECT secret")))
}

// A panic below a resolver answers INTERNAL with the request id and nothing of the panic; the
// log has the panic and its stack under that id, and the server goes on serving.
func TestPanicNoLeak(t *testing.T) {
	var log lockedBuffer
	s := e2e.NewServer(t, e2e.WithLog(&log), e2e.WithStore(func(st service.Store) service.Store { return panickingStore{st} }))
	unit := s.SeedUnit(t, "研究生院")
	s.SeedYear(t)
	s.SeedPosition(t, unit, "PUBLISHED", e2e.PositionInput("数据整理"))
	admin := s.Admin(t)
	// A resolver's panic is recovered by gqlgen and logged with its stack; a dataloader's batch
	// function runs apart from the resolvers, and the loader recovers its panic into an error,
	// logged as an internal error with the panic's value.
	cases := []struct{ name, query, rid, msg, attr, cause string }{
		{"top-level", `{ units { id name } }`, "leak-check-p1", "panic", "panic", "units exploded"},
		{"nested, through a dataloader", `{ positions(first: 5) { edges { node { id unit { name } } } } }`, "leak-check-p2",
			"internal error", "err", "panic during fetch: units by id exploded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.Do(t, admin, c.query, nil, append([]string{"X-Request-Id", c.rid}, e2e.English...)...)
			if len(r.Errors) == 0 || r.Code() != "INTERNAL" {
				t.Fatalf("errors: got %+v, want INTERNAL", r.Errors)
			}
			for _, e := range r.Errors {
				if got, _ := e.Extensions["requestId"].(string); got != c.rid {
					t.Errorf("extensions.requestId: got %q, want %q", got, c.rid)
				}
				all, _ := json.Marshal(e)
				for _, l := range []string{"exploded", "SELECT", "secret", "pq:", "goroutine", ".go:", "panic"} {
					if strings.Contains(string(all), l) {
						t.Errorf("error: got %s, want no %q", all, l)
					}
				}
			}
			wantLogLine(t, log.String(), c.msg, c.rid, c.attr, c.cause)
			if c.msg == "panic" {
				wantLogLine(t, log.String(), "panic", c.rid, "stack", "goroutine")
			}
		})
	}
	var out struct{ Me struct{ Role string } }
	s.Do(t, admin, `{ me { role } }`, nil).Decode(t, &out)
	if out.Me.Role != "ADMIN" {
		t.Errorf("after the panics: got role %q, want ADMIN", out.Me.Role)
	}
}

// wantLogLine fails unless the JSON log has a line with message msg and request id rid whose
// attribute attr contains want.
func wantLogLine(t *testing.T, log, msg, rid, attr, want string) {
	t.Helper()
	for _, raw := range strings.Split(log, "\n") {
		var line map[string]any
		if json.Unmarshal([]byte(raw), &line) != nil || line["msg"] != msg || line["request_id"] != rid {
			continue
		}
		if v, _ := line[attr].(string); strings.Contains(v, want) {
			return
		}
	}
	t.Errorf("log: got no %q line with request_id %s and %s containing %q; log:\n%s", msg, rid, attr, want, log)
}
