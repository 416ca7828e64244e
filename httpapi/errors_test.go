package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/e2e"
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
	s := e2e.NewServer(t)
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
