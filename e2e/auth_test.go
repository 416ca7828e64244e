package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/zhuguan/zhuguan/auth"
)

// End-to-end tests of who the caller is: tokens (missing, malformed, forged, expired, with bad
// claims), me for each role, and the role each operation requires.

// signAuthClaims signs claims with secret and method, as a client with its own token would.
func signAuthClaims(t *testing.T, secret string, method jwt.SigningMethod, claims jwt.MapClaims) string {
	t.Helper()
	var key any = []byte(secret)
	if method == jwt.SigningMethodNone {
		key = jwt.UnsafeAllowNoneSignatureType
	}
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAccountsAuthNoToken(t *testing.T) {
	s := NewServer(t)
	ops := []struct {
		name, query string
		vars        map[string]any
	}{
		{"me", `{ me { role } }`, nil},
		{"positions", `{ positions { totalCount } }`, nil},
		{"academicYears", `{ academicYears { name } }`, nil},
		{"academicYear", `{ academicYear(name: "2026-2027") { name } }`, nil},
		{"units", `{ units { id } }`, nil},
		{"student", studentByNoQuery, map[string]any{"no": "20160001"}},
		{"myProfile", myProfileQuery, map[string]any{"y": TestYear}},
		{"upsertAcademicYear", upsertAcademicYearMutation, map[string]any{"in": YearInput()}},
		{"createUnit", createUnitMutation, map[string]any{"n": "研究生院"}},
		{"importStudents", importStudentsMutation, map[string]any{"rows": []any{StudentRow("20160001")}}},
		{"saveProfile", saveProfileMutation, map[string]any{"in": profileSampleInput()}},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			r := s.Do(t, "", op.query, op.vars, English...)
			WantTopLevel(t, r, "UNAUTHENTICATED", "authentication required")
		})
	}
	t.Run("chinese by default", func(t *testing.T) {
		r := s.Do(t, "", `{ me { role } }`, nil)
		WantTopLevel(t, r, "UNAUTHENTICATED", "需要登录")
	})
	for table, want := range map[string]int{"academic_years": 0, "units": 0, "students": 0, "profiles": 0} {
		if got := s.Count(t, "SELECT count(*) FROM "+table); got != want {
			t.Errorf("rows in %s after unauthenticated calls: got %d, want %d", table, got, want)
		}
	}
}

func TestAccountsAuthBadTokens(t *testing.T) {
	s := NewServer(t)
	exp := time.Now().Add(time.Hour).Unix()
	v, err := auth.NewVerifier(TestSecret)
	if err != nil {
		t.Fatal(err)
	}
	expired, err := v.Sign(auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, -time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other, err := auth.NewVerifier("another-secret-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	otherTok, err := other.Sign(auth.Principal{Subject: "admin", Role: auth.RoleAdmin}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		header string
		want   []string // message substrings (English)
	}{
		{"scheme Token", "Token x", []string{"Bearer"}},
		{"Bearer without token", "Bearer", []string{"Bearer"}},
		{"Bearer with blank token", "Bearer   ", []string{"Bearer"}},
		{"garbage token", "Bearer not-a-jwt", []string{"malformed"}},
		{"three garbage parts", "Bearer aaa.bbb.ccc", []string{"not valid"}},
		{"other secret", "Bearer " + otherTok, []string{"signature"}},
		{"expired", "Bearer " + expired, []string{"expired"}},
		{"unknown role", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "role": "JANITOR", "exp": exp}), []string{"unknown role", "JANITOR"}},
		{"no role", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "exp": exp}), []string{"role"}},
		{"student without studentNo", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "role": "STUDENT", "exp": exp}), []string{"studentNo"}},
		{"unit staff with unitId abc", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "role": "UNIT_STAFF", "unitId": "abc", "exp": exp}), []string{"unitId", "abc"}},
		{"unit staff with unitId 0", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "role": "UNIT_STAFF", "unitId": "0", "exp": exp}), []string{"unitId"}},
		{"no exp", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "role": "ADMIN"}), []string{"not valid"}},
		{"HS512 with the right secret", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS512, jwt.MapClaims{"sub": "x", "role": "ADMIN", "exp": exp}), []string{"token"}},
		{"alg none", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodNone, jwt.MapClaims{"sub": "x", "role": "ADMIN", "exp": exp}), []string{"token"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := append([]string{"Authorization", c.header}, English...)
			r := s.Do(t, "", `{ me { role } }`, nil, h...)
			WantTopLevel(t, r, "UNAUTHENTICATED", c.want...)
			// a mutation with the same header writes nothing
			r = s.Do(t, "", createUnitMutation, map[string]any{"n": "单位" + c.name}, h...)
			WantTopLevel(t, r, "UNAUTHENTICATED", c.want...)
			r = s.Do(t, "", upsertAcademicYearMutation, map[string]any{"in": YearInput()}, h...)
			WantTopLevel(t, r, "UNAUTHENTICATED", c.want...)
		})
	}
	if got := s.Count(t, "SELECT count(*) FROM units"); got != 0 {
		t.Errorf("units after refused tokens: got %d, want 0", got)
	}
	if got := s.Count(t, "SELECT count(*) FROM academic_years"); got != 0 {
		t.Errorf("academic years after refused tokens: got %d, want 0", got)
	}
	t.Run("lower-case bearer scheme is accepted", func(t *testing.T) {
		var out struct{ Me struct{ Role string } }
		s.Do(t, "", `{ me { role } }`, nil, "Authorization", "bearer "+s.Admin(t)).Decode(t, &out)
		if out.Me.Role != "ADMIN" {
			t.Fatalf("role: got %q, want ADMIN", out.Me.Role)
		}
	})
}

func TestAccountsMe(t *testing.T) {
	s := NewServer(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedStudents(t, "20160001")
	const q = `{ me { role student { studentNo name } unit { id name } } }`
	type viewer struct {
		Me struct {
			Role    string
			Student *struct{ StudentNo, Name string }
			Unit    *struct{ ID, Name string }
		}
	}
	cases := []struct {
		name        string
		token       string
		role        string
		studentNo   string // "" = student must be null
		studentName string
		unitID      string // "" = unit must be null
		unitName    string
	}{
		{"admin", s.Admin(t), "ADMIN", "", "", "", ""},
		{"student", s.Student(t, "20160001"), "STUDENT", "20160001", "学生20160001", "", ""},
		{"student without enrollment record", s.Student(t, "20169999"), "STUDENT", "", "", "", ""},
		{"unit staff", s.Unit(t, unit), "UNIT_STAFF", "", "", unit, "研究生院"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out viewer
			s.Do(t, c.token, q, nil).Decode(t, &out)
			if out.Me.Role != c.role {
				t.Errorf("role: got %q, want %q", out.Me.Role, c.role)
			}
			switch {
			case c.studentNo == "" && out.Me.Student != nil:
				t.Errorf("student: got %+v, want null", *out.Me.Student)
			case c.studentNo != "" && out.Me.Student == nil:
				t.Errorf("student: got null, want %s", c.studentNo)
			case c.studentNo != "" && (out.Me.Student.StudentNo != c.studentNo || out.Me.Student.Name != c.studentName):
				t.Errorf("student: got %+v, want {%s %s}", *out.Me.Student, c.studentNo, c.studentName)
			}
			switch {
			case c.unitID == "" && out.Me.Unit != nil:
				t.Errorf("unit: got %+v, want null", *out.Me.Unit)
			case c.unitID != "" && out.Me.Unit == nil:
				t.Errorf("unit: got null, want %s", c.unitID)
			case c.unitID != "" && (out.Me.Unit.ID != c.unitID || out.Me.Unit.Name != c.unitName):
				t.Errorf("unit: got %+v, want {%s %s}", *out.Me.Unit, c.unitID, c.unitName)
			}
		})
	}
}

func TestAccountsRoleChecks(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedStudents(t, "20160001", "20160002")
	student, staff, admin := s.Student(t, "20160001"), s.Unit(t, unit), s.Admin(t)

	counts := func() [4]int {
		return [4]int{
			s.Count(t, "SELECT count(*) FROM academic_years"), s.Count(t, "SELECT count(*) FROM units"),
			s.Count(t, "SELECT count(*) FROM students"), s.Count(t, "SELECT count(*) FROM profiles"),
		}
	}
	before := counts()

	adminOnly := []struct {
		name, query string
		vars        map[string]any
	}{
		{"upsertAcademicYear", upsertAcademicYearMutation, map[string]any{"in": YearInputOf("2027-2028")}},
		{"upsertAcademicYear update", upsertAcademicYearMutation, map[string]any{"in": With(YearInput(), "maxWeeklyHours", 5)}},
		{"createUnit", createUnitMutation, map[string]any{"n": "新单位"}},
		{"importStudents", importStudentsMutation, map[string]any{"rows": []any{StudentRow("20169999")}}},
	}
	for _, op := range adminOnly {
		for _, who := range []struct{ name, token string }{{"student", student}, {"unit staff", staff}} {
			t.Run(op.name+" as "+who.name, func(t *testing.T) {
				r := s.Do(t, who.token, op.query, op.vars, English...)
				WantTopLevel(t, r, "FORBIDDEN")
			})
		}
	}
	studentOnly := []struct {
		name, query string
		vars        map[string]any
	}{
		{"saveProfile", saveProfileMutation, map[string]any{"in": profileSampleInput()}},
		{"myProfile", myProfileQuery, map[string]any{"y": TestYear}},
	}
	for _, op := range studentOnly {
		for _, who := range []struct{ name, token string }{{"admin", admin}, {"unit staff", staff}} {
			t.Run(op.name+" as "+who.name, func(t *testing.T) {
				r := s.Do(t, who.token, op.query, op.vars, English...)
				WantTopLevel(t, r, "FORBIDDEN")
			})
		}
	}
	if after := counts(); after != before {
		t.Errorf("rows (years, units, students, profiles) after forbidden calls: got %v, want %v", after, before)
	}
	var y struct{ AcademicYear academicYearNode }
	s.Do(t, admin, academicYearQuery, map[string]any{"n": TestYear}).Decode(t, &y)
	if y.AcademicYear.MaxWeeklyHours != 20 {
		t.Errorf("maxWeeklyHours after forbidden update: got %d, want 20", y.AcademicYear.MaxWeeklyHours)
	}

	t.Run("student query", func(t *testing.T) {
		cases := []struct {
			name, token, no, code string
		}{
			{"student for another student", student, "20160002", "NOT_FOUND"},
			{"student for an unknown number", student, "20169999", "NOT_FOUND"},
			{"student for self", student, "20160001", ""},
			{"admin for a student", admin, "20160002", ""},
			{"admin for an unknown number", admin, "20169999", "NOT_FOUND"},
			{"unit staff for a student", staff, "20160002", "NOT_FOUND"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := s.Do(t, c.token, studentByNoQuery, map[string]any{"no": c.no}, English...)
				if c.code != "" {
					WantTopLevel(t, r, c.code)
					if strings.Contains(r.Errors[0].Message, "学生"+c.no) {
						t.Errorf("NOT_FOUND message leaks the record: %q", r.Errors[0].Message)
					}
					return
				}
				var out struct{ Student studentRecord }
				r.Decode(t, &out)
				if out.Student.StudentNo != c.no || out.Student.Name != "学生"+c.no {
					t.Errorf("student: got %+v, want %s", out.Student, c.no)
				}
			})
		}
		// a forbidden record and a missing one read the same, so numbers cannot be probed
		a := s.Do(t, student, studentByNoQuery, map[string]any{"no": "20160002"}, English...)
		b := s.Do(t, student, studentByNoQuery, map[string]any{"no": "20160003"}, English...)
		if len(a.Errors) == 0 || len(b.Errors) == 0 {
			t.Fatalf("errors: got %+v and %+v, want an error for each", a.Errors, b.Errors)
		}
		if strings.ReplaceAll(a.Errors[0].Message, "20160002", "N") != strings.ReplaceAll(b.Errors[0].Message, "20160003", "N") {
			t.Errorf("forbidden vs missing messages: got %q and %q, want the same shape", a.Errors[0].Message, b.Errors[0].Message)
		}
	})
}
