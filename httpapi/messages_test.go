package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/e2e"
)

// requestErrorCases are the parse, validation and variable errors clients meet most, each with
// its code and its message in both languages (a suggestion included where gqlparser makes one).
var requestErrorCases = []struct {
	name, query string
	vars        map[string]any
	code        string
	zh, en      string
}{
	{"syntax error", `{ me { role }`, nil, "GRAPHQL_PARSE_FAILED",
		"GraphQL 语法错误：此处应为 Name，实际为 文档结尾",
		"GraphQL syntax error: expected Name, found the end of the document"},
	{"unexpected token", `{ me { role } } }`, nil, "GRAPHQL_PARSE_FAILED",
		`GraphQL 语法错误：此处不应出现 }`,
		`GraphQL syntax error: unexpected }`},
	{"unknown field", `{ positions { totalCont } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`类型 "PositionConnection" 上没有字段 "totalCont"；你是否想用 "totalCount"？`,
		`cannot query field "totalCont" on type "PositionConnection"; did you mean "totalCount"?`},
	{"unknown field, no suggestion", `{ me { nickname } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`类型 "Viewer" 上没有字段 "nickname"`,
		`cannot query field "nickname" on type "Viewer"`},
	{"object without a selection", `{ me }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`字段 "me" 的类型是 Viewer!，必须选择其子字段；你是否想用 "me { ... }"？`,
		`field "me" of type Viewer! must have a selection of subfields; did you mean "me { ... }"?`},
	{"several operations, none named", `query A { me { role } } query B { me { role } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`文档中有多个操作，请用 operationName 指明要执行的一个`,
		`the document has several operations; name the one to run in operationName`},
	{"unknown argument", `{ positions(firts: 5) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`字段 "Query.positions" 没有参数 "firts"；你是否想用 "first" 或 "filter"？`,
		`unknown argument "firts" on field "Query.positions"; did you mean "first" or "filter"?`},
	{"wrong argument value type", `{ positions(first: "five") { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`此处需要 Int 类型的值，实际为 "five"`,
		`expected a value of type Int, found "five"`},
	{"argument not in enum", `{ positions(filter: {nature: LONGTERM}) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`枚举 PositionNature 没有取值 LONGTERM；你是否想用 "LONG_TERM"？`,
		`value LONGTERM does not exist in enum PositionNature; did you mean "LONG_TERM"?`},
	{"missing argument", `{ position { id } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`字段 "position" 的参数 "id"（类型 ID!）是必填的，但没有提供`,
		`field "position" argument "id" of type ID! is required but was not provided`},
	{"wrong variable type", `query($n: String) { positions(first: $n) { totalCount } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`变量 "$n" 的类型是 String，此处需要 Int`,
		`variable "$n" of type String is used where Int is expected`},
	{"undefined variable", `query Open { position(id: $id) { id } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`变量 "$id" 没有在操作 "Open" 中声明`,
		`variable "$id" is not defined by operation "Open"`},
	{"missing variable", `query($id: ID!) { position(id: $id) { id } }`, nil, "GRAPHQL_VALIDATION_FAILED",
		`变量 $id 是必填的，但没有提供`,
		`variable $id is required but was not provided`},
	{"variable of the wrong JSON type", `query($f: Int) { positions(first: $f) { totalCount } }`, map[string]any{"f": true}, "GRAPHQL_VALIDATION_FAILED",
		`变量 $f 必须是 Int 类型，实际为布尔值`,
		`variable $f must be of type Int, got a boolean`},
	{"null in a variable's field", `mutation($in: ProfileInput!) { saveProfile(input: $in) { userErrors { code } } }`,
		map[string]any{"in": map[string]any{"academicYear": "2026-2027", "specialties": "", "natures": []any{"LONG_TERM"}, "weeklyHours": 1,
			"freeTime": []any{map[string]any{"weekday": "MONDAY", "start": "08:00", "end": nil}}}}, "GRAPHQL_VALIDATION_FAILED",
		`变量 $in.freeTime[0].end 不能为 null`,
		`variable $in.freeTime[0].end must not be null`},
	{"variable not in enum", `query($s: ApplicationStatus) { myApplications(status: $s) { totalCount } }`, map[string]any{"s": "HIRD"}, "GRAPHQL_VALIDATION_FAILED",
		`变量 $s 的值 HIRD 不是枚举 ApplicationStatus 的取值`,
		`variable $s: HIRD is not a value of enum ApplicationStatus`},
}

// TestRequestErrorsFollowAcceptLanguage: a document or variables gqlgen refuses keep gqlgen's
// code, and the message is Chinese by default and English with Accept-Language: en, over POST.
func TestRequestErrorsFollowAcceptLanguage(t *testing.T) {
	s := e2e.NewServer(t)
	token := s.Admin(t)
	for _, c := range requestErrorCases {
		t.Run(c.name, func(t *testing.T) {
			for _, lang := range []struct{ header, want string }{{"", c.zh}, {"en", c.en}} {
				r := s.Do(t, token, c.query, c.vars, "Accept-Language", lang.header)
				if len(r.Errors) != 1 || r.Code() != c.code || r.Errors[0].Message != lang.want {
					t.Errorf("Accept-Language %q: got %+v, want one %s error %q", lang.header, r.Errors, c.code, lang.want)
				}
			}
		})
	}
}

// TestRequestErrorsLocalizedOnEveryTransport: GET and websocket requests are presented by the
// same presenter, so their request errors follow Accept-Language as POST's do.
func TestRequestErrorsLocalizedOnEveryTransport(t *testing.T) {
	s := e2e.NewServer(t)
	token := s.Admin(t)
	c := requestErrorCases[2] // unknown field, with a suggestion

	res, body := e2e.RawRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape(c.query), nil,
		"Authorization", "Bearer "+token, "Accept-Language", "en")
	var r e2e.Response
	if err := json.Unmarshal(body, &r); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET: got %d %s, want 200 and a GraphQL response", res.StatusCode, body)
	}
	if len(r.Errors) != 1 || r.Code() != c.code || r.Errors[0].Message != c.en {
		t.Errorf("GET: got %+v, want one %s error %q", r.Errors, c.code, c.en)
	}

	ws := e2e.DialWS(t, s.URL, "Accept-Language", "en")
	ws.Init(token)
	ws.Subscribe("1", c.query)
	m := ws.Next()
	var errs []e2e.GQLError
	if err := json.Unmarshal(m.Payload, &errs); m.Type != "error" || err != nil {
		t.Fatalf("websocket: got %s %s, want an error message", m.Type, m.Payload)
	}
	if len(errs) != 1 || errs[0].Extensions["code"] != c.code || errs[0].Message != c.en {
		t.Errorf("websocket: got %+v, want one %s error %q", errs, c.code, c.en)
	}
}

// TestUnsupportedRequestsGetACode: requests to /graphql that no transport serves are refused as
// a GraphQL error with a code, like every other refusal: a POST body not declared JSON is a 415,
// another method a 405 naming GET and POST.
func TestUnsupportedRequestsGetACode(t *testing.T) {
	s := e2e.NewServer(t)
	for _, c := range []struct {
		method, contentType string
		status              int
		want, allow         string
	}{
		{http.MethodPost, "text/plain", http.StatusUnsupportedMediaType, `a POST body must have Content-Type application/json, got "text/plain"`, ""},
		{http.MethodPost, "", http.StatusUnsupportedMediaType, `a POST body must have Content-Type application/json, got ""`, ""},
		{http.MethodPut, "application/json", http.StatusMethodNotAllowed, "/graphql takes GET and POST only, not PUT", "OPTIONS, GET, POST"},
	} {
		res, body := e2e.RawRequest(t, c.method, s.URL+"/graphql", strings.NewReader(`{"query":"{ me { role } }"}`),
			"Content-Type", c.contentType, "Accept-Language", "en")
		var r e2e.Response
		if err := json.Unmarshal(body, &r); err != nil || res.StatusCode != c.status || len(r.Errors) != 1 ||
			r.Code() != "BAD_USER_INPUT" || r.Errors[0].Message != c.want || res.Header.Get("Allow") != c.allow {
			t.Errorf("%s %q: got %d (Allow %q) %s, want %d (Allow %q) with one BAD_USER_INPUT error %q",
				c.method, c.contentType, res.StatusCode, res.Header.Get("Allow"), body, c.status, c.allow, c.want)
		}
	}
}
