package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// End-to-end tests of input that cannot be used: text PostgreSQL cannot store, times it cannot
// hold, forged cursors, tokens whose claims have the wrong types, a unit token for no unit. Each
// is a clear BAD_USER_INPUT (or the stated code) saying what and where, and changes nothing.

// counts reads the row counts of tables, to prove that a refused request wrote nothing.
func (s *Server) counts(t *testing.T, tables ...string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range tables {
		out[tb] = s.Count(t, "SELECT count(*) FROM "+tb)
	}
	return out
}

// wantUnchanged fails when a table's count moved from before.
func (s *Server) wantUnchanged(t *testing.T, before map[string]int) {
	t.Helper()
	for tb, n := range before {
		if got := s.Count(t, "SELECT count(*) FROM "+tb); got != n {
			t.Errorf("rows in %s: got %d, want %d (unchanged)", tb, got, n)
		}
	}
}

// rawPost posts body as it is (bytes the JSON encoder would never write) and decodes the answer.
func rawPost(t *testing.T, s *Server, token, body string, headers ...string) Response {
	t.Helper()
	h := append([]string{"Content-Type", "application/json", "Authorization", "Bearer " + token}, headers...)
	res, raw := RawRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(body), h...)
	return decodeRaw(t, res, raw)
}

// rawGet sends a GET whose query string is rawQuery as it is, percent escapes and all.
func rawGet(t *testing.T, s *Server, token, rawQuery string, headers ...string) Response {
	t.Helper()
	h := append([]string{"Authorization", "Bearer " + token}, headers...)
	res, raw := RawRequest(t, http.MethodGet, s.URL+"/graphql?"+rawQuery, nil, h...)
	return decodeRaw(t, res, raw)
}

func decodeRaw(t *testing.T, res *http.Response, raw []byte) Response {
	t.Helper()
	var r Response
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	r.Status = res.StatusCode
	return r
}

func TestInputNULAndInvalidUTF8(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160001")
	admin := s.Admin(t)
	const createUnit = `mutation($n: String!) { createUnit(input: {name: $n}) { unit { id } userErrors { message } } }`
	before := s.counts(t, "units", "students", "academic_years")

	cases := []struct {
		name   string
		do     func() Response
		status int
		parts  []string // English message substrings
	}{
		{"\\u0000 in a literal", func() Response {
			return s.Do(t, admin, `mutation { createUnit(input: {name: "a\u0000b"}) { unit { id } } }`, nil, English...)
		}, 200, []string{"the string at line 1, column 38", "NUL character"}},
		{"\\u{0} in a literal", func() Response {
			return s.Do(t, admin, `mutation { createUnit(input: {name: "a\u{0}b"}) { unit { id } } }`, nil, English...)
		}, 200, []string{"the string at line 1, column 38", "NUL character"}},
		{"\\u{000} in a literal of a fragment", func() Response {
			return s.Do(t, admin, "query { ...F }\nfragment F on Query { academicYear(name: \"2026\\u{000}\") { name } }", nil, English...)
		}, 200, []string{"line 2, column 43", "NUL character"}},
		{"\\u0000 in a variable's default", func() Response {
			return s.Do(t, admin, `query($n: String! = "x\u0000") { academicYear(name: $n) { name } }`, nil, English...)
		}, 200, []string{"line 1, column 22", "NUL character"}},
		{"NUL in a variable", func() Response {
			return s.Do(t, admin, createUnit, map[string]any{"n": "a\x00b"}, English...)
		}, 200, []string{"variable $n", "NUL character"}},
		{"NUL deep in a variable", func() Response {
			return s.Do(t, admin, `mutation($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { created } }`,
				map[string]any{"rows": []any{StudentRow("20160002"), With(StudentRow("20160003"), "department", "药学\x00院")}}, English...)
		}, 200, []string{"variable $rows[1].department", "NUL character"}},
		{"invalid UTF-8 in a variable", func() Response {
			return rawPost(t, s, admin, `{"query": "mutation($n: String!) { createUnit(input: {name: $n}) { unit { id } } }", "variables": {"n": "a`+"\xff\xfe"+`b"}}`, English...)
		}, 400, []string{"the request body from byte 106", "not valid UTF-8"}},
		{"invalid UTF-8 in a literal", func() Response {
			return rawPost(t, s, admin, `{"query": "mutation { createUnit(input: {name: \"a`+"\xc3"+`\"}) { unit { id } } }"}`, English...)
		}, 400, []string{"the request body from byte 50", "not valid UTF-8"}},
		{"%FF in a GET", func() Response {
			return rawGet(t, s, admin, "query=%7B%20academicYear(name%3A%20%22%FF%22)%20%7B%20name%20%7D%20%7D", English...)
		}, 400, []string{`the URL parameter "query"`, "not valid UTF-8"}},
		{"%00 in a GET's variables", func() Response {
			return rawGet(t, s, admin, "query="+url.QueryEscape(`query($n: String!) { academicYear(name: $n) { name } }`)+"&variables=%7B%22n%22%3A%22%00%22%7D", English...)
		}, 400, []string{`the URL parameter "variables"`, "NUL character"}},
		{"\\u{0} in a GET's literal", func() Response {
			return rawGet(t, s, admin, "query="+url.QueryEscape(`{ academicYear(name: "a\u{0}") { name } }`), English...)
		}, 200, []string{"the string at line 1, column 23", "NUL character"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.do()
			if r.Status != c.status {
				t.Errorf("HTTP status: got %d, want %d", r.Status, c.status)
			}
			WantTopLevel(t, r, "BAD_USER_INPUT", c.parts...)
		})
	}
	t.Run("chinese", func(t *testing.T) {
		r := s.Do(t, admin, createUnit, map[string]any{"n": "a\x00b"})
		WantTopLevel(t, r, "BAD_USER_INPUT", "变量 $n", "NUL 字符")
		r = rawGet(t, s, admin, "query=%FF")
		WantTopLevel(t, r, "BAD_USER_INPUT", "URL 参数", "UTF-8")
	})
	t.Run("over a websocket", func(t *testing.T) {
		ws := DialWS(t, s.URL, English...)
		ws.Init(admin)
		ws.Subscribe("1", `query { academicYear(name: "a\u{0}") { name } }`)
		// gqlgen's websocket sends a refusal after parsing as a result with errors and no data.
		m := ws.Next()
		if m.Type != "next" || !strings.Contains(string(m.Payload), `"data":null`) || !strings.Contains(string(m.Payload), "BAD_USER_INPUT") ||
			!strings.Contains(string(m.Payload), "the string at line 1, column 29 must not contain the NUL character") {
			t.Errorf("websocket: got %s %s, want a result with no data and an error naming the NUL character", m.Type, m.Payload)
		}
	})
	t.Run("an escaped backslash before u0000 is text", func(t *testing.T) {
		var out struct {
			CreateUnit struct{ Unit struct{ ID string } }
		}
		s.Do(t, admin, `mutation { createUnit(input: {name: "a\\u0000"}) { unit { id } } }`, nil).Decode(t, &out)
		if out.CreateUnit.Unit.ID == "" {
			t.Fatal(`createUnit "a\\u0000": got no unit, want one named a\u0000 (backslash, u, four zeros)`)
		}
		before["units"]++
	})
	s.wantUnchanged(t, before)
}

func TestInputTimeBounds(t *testing.T) {
	s := NewServer(t)
	unit, _ := s.SeedSchool(t, "20160001")
	admin := s.Admin(t)
	const upsert = `mutation($in: AcademicYearInput!) { upsertAcademicYear(input: $in) { academicYear { name } userErrors { message } } }`
	const create = `mutation($in: PositionInput!) { createPosition(input: $in) { position { id } userErrors { message } } }`
	before := s.counts(t, "academic_years", "positions")
	cases := []struct {
		name, token, query string
		vars               map[string]any
		parts              []string
	}{
		{"offset +16:00", admin, upsert, map[string]any{"in": With(YearInputOf("2030-2031"), "nominationOpensAt", "2031-06-01T00:00:00+16:00")},
			[]string{"offset", "-15:59 and +15:59", `"2031-06-01T00:00:00+16:00"`}},
		{"offset -16:00", unit, create, map[string]any{"in": PositionInput("x", "applyStart", "2026-11-01T00:00:00-16:00")},
			[]string{"offset", "15:59"}},
		{"offset +99:99", admin, upsert, map[string]any{"in": With(YearInputOf("2030-2031"), "nominationClosesAt", "2031-06-30T00:00:00+99:99")},
			[]string{"RFC 3339"}},
		{"Time in year 0", unit, create, map[string]any{"in": PositionInput("x", "applyStart", "0000-11-01T00:00:00Z")},
			[]string{"years 0001 to 9999", `"0000-11-01T00:00:00Z"`}},
		{"Time in year 0 in UTC", admin, upsert, map[string]any{"in": With(YearInputOf("2030-2031"), "nominationOpensAt", "0001-01-01T07:00:00+08:00")},
			[]string{"years 0001 to 9999", "in UTC"}},
		{"Time in year 10000 in Beijing", unit, create, map[string]any{"in": PositionInput("x", "workEnd", "9999-12-31T23:00:00Z")},
			[]string{"years 0001 to 9999", "Beijing"}},
		{"Date in year 0", admin, upsert, map[string]any{"in": With(YearInputOf("2030-2031"), "startDate", "0000-09-01")},
			[]string{"Date's year", `"0000-09-01"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok := c.token
			if tok == unit {
				tok = s.Unit(t, unit)
			}
			WantTopLevel(t, s.Do(t, tok, c.query, c.vars, English...), "BAD_USER_INPUT", c.parts...)
		})
	}
	t.Run("Month in year 0", func(t *testing.T) {
		r := s.Do(t, s.Unit(t, unit), `mutation { recordWork(input: {applicationId: "1", month: "0000-01", hours: 1, amount: "1.00"}) { userErrors { message } } }`, nil, English...)
		WantTopLevel(t, r, "BAD_USER_INPUT", "Month's year", `"0000-01"`)
		r = s.Do(t, admin, `{ report(academicYear: "2026-2027", groupBy: [MONTH], filter: {fromMonth: "0000-12"}) { total { positions } } }`, nil)
		WantTopLevel(t, r, "BAD_USER_INPUT", "月份的年份", `"0000-12"`)
	})
	s.wantUnchanged(t, before)
	if n := s.Count(t, `SELECT count(*) FROM academic_years WHERE extract(year FROM start_date) < 1 OR extract(year FROM nomination_opens_at) < 1`); n != 0 {
		t.Errorf("academic years in year 0 or before: got %d, want 0", n)
	}
}

// historyCursor is a cursor of the shape the history makes, with key given as raw JSON.
func historyCursor(column, direction, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(`{"c":"` + column + `","d":"` + direction + `","k":` + key + `,"i":1}`))
}

func TestInputForgedCursors(t *testing.T) {
	s := NewServer(t)
	s.SeedSchool(t, "20160001")
	student := s.Student(t, "20160001")
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	const positions = `query($a: String) { positions(first: 5, after: $a) { totalCount } }`
	const history = `query($a: String, $o: HistoryOrder) { employmentHistory(first: 5, after: $a, orderBy: $o) { totalCount } }`
	byTitle := map[string]any{"column": "POSITION_TITLE", "direction": "ASC"}
	byStart := map[string]any{"column": "WORK_START", "direction": "DESC"}
	cases := []struct {
		name, query, cursor string
		order               map[string]any
	}{
		{"not base64", positions, "%%%", nil},
		{"NUL in a positions cursor", positions, b64("v1:\x00"), nil},
		{"invalid UTF-8 in a positions cursor", positions, b64("v1:\xff"), nil},
		{"another version", positions, b64("v2:1"), nil},
		{"a negative id", positions, b64("v1:-1"), nil},
		{"not JSON", history, b64("v1:1"), byTitle},
		{"NUL in a text key", history, historyCursor("POSITION_TITLE", "ASC", `"a\u0000"`), byTitle},
		{"a number for a text key", history, historyCursor("POSITION_TITLE", "ASC", `7`), byTitle},
		{"another order", history, historyCursor("POSITION_TITLE", "ASC", `"a"`), byStart},
		{"a time key with offset +16:00", history, historyCursor("WORK_START", "DESC", `"2027-01-01T00:00:00+16:00"`), byStart},
		{"a time key in year 0", history, historyCursor("WORK_START", "DESC", `"0000-01-01T00:00:00Z"`), byStart},
		{"an unknown column", history, historyCursor("SALARY", "ASC", `1`), map[string]any{"column": "STATUS", "direction": "ASC"}},
		{"a long cursor", positions, strings.Repeat("A", 500), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vars := map[string]any{"a": c.cursor}
			if c.order != nil {
				vars["o"] = c.order
			}
			want := `"` + c.cursor + `"`
			if len(c.cursor) > 40 {
				want = `"` + c.cursor[:40] + `…"`
			}
			r := s.Do(t, student, c.query, vars, English...)
			WantTopLevel(t, r, "BAD_USER_INPUT", "after is not a valid cursor", want)
		})
	}
	t.Run("a cursor made here still works", func(t *testing.T) {
		var out struct {
			EmploymentHistory struct{ TotalCount int }
		}
		s.Do(t, student, history, map[string]any{"a": historyCursor("WORK_START", "DESC", `"2027-01-01T00:00:00+08:00"`), "o": byStart}).Decode(t, &out)
		// Go reads a lone surrogate as U+FFFD, and the store is given that, never the escape
		// PostgreSQL's jsonb refuses.
		s.Do(t, student, history, map[string]any{"a": historyCursor("POSITION_TITLE", "ASC", `"\ud800"`), "o": byTitle}).Decode(t, &out)
	})
}

func TestInputTokenClaimTypes(t *testing.T) {
	s := NewServer(t)
	exp := time.Now().Add(time.Hour).Unix()
	claims := func(kv ...any) jwt.MapClaims {
		c := jwt.MapClaims{"sub": "x", "role": "ADMIN", "exp": exp}
		for i := 0; i+1 < len(kv); i += 2 {
			c[kv[i].(string)] = kv[i+1]
		}
		return c
	}
	cases := []struct {
		name   string
		claims jwt.MapClaims
		want   string
	}{
		{"exp a string", claims("exp", "9999999999"), "exp must be a JSON number"},
		{"EXP a string", claims("EXP", "9999999999"), "EXP must be a JSON number"}, // encoding/json reads it as exp
		{"nbf a string", claims("nbf", "1"), "nbf must be a JSON number"},
		{"iat a string", claims("iat", "1"), "iat must be a JSON number"},
		{"exp a boolean", claims("exp", true), "exp must be a JSON number"},
		{"exp past the year 9999", claims("exp", 1e15), "exp must be seconds between 0 and 253402300799"},
		{"sub a number", claims("sub", 7), "sub must be a JSON string"},
		{"iss a number", claims("iss", 7), "iss must be a JSON string"},
		{"aud a number", claims("aud", 7), "aud must be a JSON string or an array of strings"},
		{"jti an object", claims("jti", map[string]any{}), "jti must be a JSON string"},
		{"role a number", claims("role", 1), "role must be a JSON string"},
		{"studentNo a number", claims("role", "STUDENT", "studentNo", 20160001), "studentNo must be a JSON string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := append([]string{"Authorization", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, c.claims)}, English...)
			WantTopLevel(t, s.Do(t, "", `{ me { role } }`, nil, h...), "UNAUTHENTICATED", "token claims invalid", c.want)
			WantTopLevel(t, s.Do(t, "", createUnitMutation, map[string]any{"n": "单位" + c.name}, h...), "UNAUTHENTICATED", "token")
		})
	}
	if got := s.Count(t, "SELECT count(*) FROM units"); got != 0 {
		t.Errorf("units after refused tokens: got %d, want 0", got)
	}
	t.Run("numbers as JSON numbers pass", func(t *testing.T) {
		h := []string{"Authorization", "Bearer " + signAuthClaims(t, TestSecret, jwt.SigningMethodHS256, claims("nbf", 1, "iat", 1.5, "aud", []any{"zhuguan"}))}
		var out struct{ Me struct{ Role string } }
		s.Do(t, "", `{ me { role } }`, nil, h...).Decode(t, &out)
		if out.Me.Role != "ADMIN" {
			t.Fatalf("role: got %q, want ADMIN", out.Me.Role)
		}
	})
}

// A unit-staff token for a unit that does not exist (never created, or signed for another
// database) may do nothing in the unit's name: FORBIDDEN, found by the statement that uses the
// unit. Reads of its objects find none, and me.unit is null.
func TestInputTokenForMissingUnit(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	ghost := s.Unit(t, "999")
	before := s.counts(t, "positions", "position_events")
	const create = `mutation($in: PositionInput!) { createPosition(input: $in) { position { id } userErrors { message } } }`
	WantTopLevel(t, s.Do(t, ghost, create, map[string]any{"in": PositionInput("数据整理")}, English...),
		"FORBIDDEN", "the unit 999 your token acts for does not exist")
	WantTopLevel(t, s.Do(t, ghost, create, map[string]any{"in": PositionInput("数据整理")}), "FORBIDDEN", "聘用单位 999 不存在")
	WantTopLevel(t, s.Do(t, ghost, `{ report(academicYear: "2026-2027", groupBy: [UNIT]) { total { positions } } }`, nil, English...),
		"FORBIDDEN", "the unit 999")
	res, raw := RawRequest(t, http.MethodGet, s.URL+"/export/report.csv?academicYear=2026-2027&groupBy=UNIT", nil, "Authorization", "Bearer "+ghost)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(string(raw), "FORBIDDEN") {
		t.Errorf("report.csv: got %d %s, want 403 FORBIDDEN", res.StatusCode, raw)
	}
	var out struct {
		Me        struct{ Unit *struct{ ID string } }
		Positions struct{ TotalCount int }
		Units     []struct{ ID string }
	}
	s.Do(t, ghost, `{ me { unit { id } } positions(first: 5) { totalCount } units { id } }`, nil).Decode(t, &out)
	if out.Me.Unit != nil || out.Positions.TotalCount != 0 || len(out.Units) != 0 {
		t.Errorf("reads: got me.unit %v, %d positions, units %v, want null, 0, none", out.Me.Unit, out.Positions.TotalCount, out.Units)
	}
	WantTopLevel(t, s.Do(t, ghost, `mutation { publishPosition(id: "1") { position { id } } }`, nil), "NOT_FOUND")
	s.wantUnchanged(t, before)
}

// A student token whose number has no enrollment record keeps its answers: me.student is null,
// and applying is NOT_ELIGIBLE naming the missing record.
func TestInputStudentWithoutEnrollment(t *testing.T) {
	s := NewServer(t)
	_, pos := s.SeedSchool(t, "20160001")
	nobody := s.Student(t, "20169999")
	before := s.counts(t, "applications", "application_events")
	var out struct {
		Me struct {
			Role    string
			Student *struct{ StudentNo string }
		}
	}
	s.Do(t, nobody, `{ me { role student { studentNo } } }`, nil).Decode(t, &out)
	if out.Me.Role != "STUDENT" || out.Me.Student != nil {
		t.Errorf("me: got %+v, want role STUDENT and student null", out.Me)
	}
	p, r := s.ApplyAs(t, nobody, pos, map[string]any{"reason": "想参加"}, English...)
	if len(r.Errors) > 0 {
		t.Fatalf("apply: got errors %+v, want a NOT_ELIGIBLE userError", r.Errors)
	}
	CheckUserErrors(t, p.UserErrors, WantErr{Code: "NOT_ELIGIBLE", Field: AnyField, Contains: []string{"20169999 has no enrollment record"}})
	s.wantUnchanged(t, before)
}

// A message that shows what the client sent shows at most its first 40 characters.
func TestInputLongValuesAreCut(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	admin := s.Admin(t)
	long := strings.Repeat("长", 30) + strings.Repeat("x", 2000)
	cut := strings.Repeat("长", 30) + strings.Repeat("x", 10) + "…"
	t.Run("a userError", func(t *testing.T) {
		var out struct {
			ImportStudents struct{ UserErrors []UserError }
		}
		r := s.Do(t, admin, `mutation($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { userErrors { code field message } } }`,
			map[string]any{"rows": []any{With(StudentRow("20160001"), "email", long)}}, English...)
		r.Decode(t, &out)
		errs := out.ImportStudents.UserErrors
		if len(errs) == 0 || !strings.Contains(errs[0].Message, `"`+cut+`"`) || strings.Contains(errs[0].Message, cut+"x") {
			t.Errorf("userErrors: got %+v, want the email quoted as %q", errs, cut)
		}
	})
	t.Run("a scalar", func(t *testing.T) {
		r := s.Do(t, admin, `query($m: Month!) { report(academicYear: "2026-2027", groupBy: [MONTH], filter: {fromMonth: $m}) { total { positions } } }`,
			map[string]any{"m": long}, English...)
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, `"`+cut+`"`) || len(r.Errors[0].Message) > 400 {
			t.Errorf("errors: got %+v, want the value quoted as %q", r.Errors, cut)
		}
	})
	t.Run("a validation error", func(t *testing.T) {
		r := s.Do(t, admin, `{ positions(first: "`+long+`") { totalCount } }`, nil, English...)
		// gqlparser shows the literal with its opening quote, which counts among the 40.
		if len(r.Errors) == 0 || !strings.Contains(r.Errors[0].Message, `"`+cut[:len(cut)-len("x…")]+"…") || len(r.Errors[0].Message) > 400 {
			t.Errorf("errors: got %+v, want the literal cut after 40 characters", r.Errors)
		}
	})
	if n := s.Count(t, "SELECT count(*) FROM students"); n != 0 {
		t.Errorf("students: got %d, want 0", n)
	}
}
