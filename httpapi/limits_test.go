package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/limits"
	"github.com/zhuguan/zhuguan/service"
)

// nestedPositions is positions -> unit -> positions ..., with levels positions fields and depth
// 4*levels-2 fields nested: each level's positions, edges, node and unit, the last level's
// positions selecting totalCount.
func nestedPositions(levels int) string {
	return strings.Repeat("positions(first: 1) { edges { node { unit { ", levels-1) + "positions(first: 1) { totalCount }" +
		strings.Repeat(" } } } }", levels-1)
}

// TestDocumentLimits: over real HTTP, each document limit lets a document through at the limit
// and refuses it one above, before validation, with one error of its code whose message names
// the limit and what was found, in the caller's language.
func TestDocumentLimits(t *testing.T) {
	s := e2e.NewServer(t)
	admin := s.Admin(t)
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: me { role } ", i)
		}
		return b.String() + "}"
	}
	directives := func(n int) string { return "{ me { role" + strings.Repeat(" @include(if: true)", n) + " } }" }
	// selections is me and n roles, through fragments P0..P10 where Pk selects 2^k roles.
	selections := func(n int) string {
		var b strings.Builder
		b.WriteString("{ me { ")
		for k := 10; k >= 0; k-- {
			if n&(1<<k) != 0 {
				fmt.Fprintf(&b, "...P%d ", k)
			}
		}
		b.WriteString("} } fragment P0 on Viewer { role }")
		for k := 1; k <= 10; k++ {
			fmt.Fprintf(&b, " fragment P%d on Viewer { ...P%d ...P%d }", k, k-1, k-1)
		}
		return b.String()
	}
	spreads := func(n int) string {
		return "{ me { " + strings.Repeat("...V ", n) + "} } fragment V on Viewer { role }"
	}
	for _, c := range []struct {
		name, at, over, code string
		atCode               string // the at-limit document's code when it is refused by validation after the limit; "" when it runs
		zh, en               string
	}{
		{"depth", "{ " + nestedPositions(3) + " }", "{ " + strings.Replace(nestedPositions(3), "{ totalCount }", "{ edges { cursor } }", 1) + " }",
			limits.CodeDepth, "",
			`字段 "cursor" 嵌套在第 11 层，超过了 10 层的深度上限（内省字段不计）`,
			`field "cursor" is nested 11 deep, over the depth limit of 10 (introspection not counted)`},
		{"aliases", aliases(30), aliases(31), limits.CodeAliases, "",
			`文档中有 31 个别名，超过了 30 个的上限`, `the document has 31 aliases, over the limit of 30`},
		{"repeated field", "{ me { " + strings.Repeat("role ", 50) + "} }", "{ me { " + strings.Repeat("role ", 51) + "} }",
			limits.CodeDuplicateField, "",
			`"role" 在同一个对象中被选择了 51 次，超过了 50 次的上限`, `"role" is selected 51 times into one object, over the limit of 50`},
		{"fragment spreads", spreads(100), spreads(101), limits.CodeSpreads, "",
			`文档中有 101 个片段展开，超过了 100 个的上限`, `the document has 101 fragment spreads, over the limit of 100`},
		{"selections", selections(1999), selections(2000), limits.CodeSelections, "",
			`展开片段后，文档选择的字段至少有 2001 个，超过了 2000 个的上限`,
			`the document selects at least 2001 fields once its fragments are expanded, over the limit of 2000`},
		// No field takes ten different directives; at the limit validation refuses the repeats.
		{"directives", directives(10), directives(11), limits.CodeDirectives, "GRAPHQL_VALIDATION_FAILED",
			`"role" 上有 11 个指令，超过了 10 个的上限`, `"role" has 11 directives, over the limit of 10`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := s.Do(t, admin, c.at, nil)
			if r.Code() != c.atCode {
				t.Errorf("at the limit: got %+v, want code %q", r.Errors, c.atCode)
			}
			for _, lang := range []struct{ header, want string }{{"zh-CN", c.zh}, {"en", c.en}} {
				r := s.Do(t, admin, c.over, nil, "Accept-Language", lang.header)
				if len(r.Errors) != 1 || r.Code() != c.code || r.Errors[0].Message != lang.want || r.Data != nil {
					t.Errorf("over the limit, %s: got %+v data %s, want one %s error %q and no data", lang.header, r.Errors, r.Data, c.code, lang.want)
				}
			}
		})
	}
}

// TestHostileDocuments: the documents of issue 11 are refused by the limits, each with one
// small error; how long they take is BenchmarkHostileDocuments'.
func TestHostileDocuments(t *testing.T) {
	s := e2e.NewServer(t)
	for _, c := range []struct {
		name, query, code string
	}{
		{"fragment bomb", fragmentBomb, limits.CodeSelections},
		{"__typename x14990", typenames, limits.CodeDuplicateField},
		{"1,000 conflicting aliases", conflictingAliases, limits.CodeAliases},
		{"1,000 conflicting selections of one field", strings.ReplaceAll(conflictingAliases, "a: ", ""), limits.CodeDuplicateField},
		{"a tree of 1,023 fragments", fragmentTree, limits.CodeSpreads},
		{"positions nested 12 levels", "{ " + nestedPositions(12) + " }", limits.CodeDepth},
	} {
		body, _ := json.Marshal(map[string]any{"query": c.query})
		res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", bytes.NewReader(body), "Content-Type", "application/json",
			"Accept", "application/graphql-response+json", "Authorization", "Bearer "+s.Student(t, "20160931"))
		var r e2e.Response
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: %d %q: %v", c.name, res.StatusCode, raw, err)
		}
		if res.StatusCode != http.StatusBadRequest || len(r.Errors) != 1 || r.Code() != c.code || len(raw) > 512 {
			t.Errorf("%s: got %d, %d bytes: %s; want 400 and one %s error in a small body", c.name, res.StatusCode, len(raw), raw, c.code)
		}
	}
}

// TestValidationErrorsBounded: a document within every limit that breaks a rule many times gets
// the first 50 errors, in a body of a few kilobytes.
func TestValidationErrorsBounded(t *testing.T) {
	s := e2e.NewServer(t)
	var b strings.Builder
	b.WriteString("{ me { ")
	for i := range 500 {
		fmt.Fprintf(&b, "x%d ", i)
	}
	b.WriteString("} }")
	r := s.Do(t, s.Admin(t), b.String(), nil)
	if len(r.Errors) != httpapi.DefaultLimits.ValidationErrors || r.Code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("got %d errors (first %+v), want %d GRAPHQL_VALIDATION_FAILED", len(r.Errors), r.Errors[:min(1, len(r.Errors))], httpapi.DefaultLimits.ValidationErrors)
	}
	if !strings.Contains(r.Errors[49].Message, `"x49"`) {
		t.Errorf("50th error: got %q, want the one of x49 (errors in document order)", r.Errors[49].Message)
	}
	s2 := e2e.NewServer(t, e2e.WithLimits(httpapi.Limits{ValidationErrors: 3}))
	if r := s2.Do(t, s2.Admin(t), b.String(), nil); len(r.Errors) != 3 {
		t.Errorf("with ValidationErrors 3: got %d errors, want 3", len(r.Errors))
	}
}

// TestPortalDocumentsPass: what real clients send passes every limit: GraphiQL's schema query
// (13 deep inside __schema), the portal's history page with its detail at 100 rows and its
// positions page at 50.
func TestPortalDocumentsPass(t *testing.T) {
	s := e2e.NewServer(t)
	introspection, err := os.ReadFile("../limits/testdata/graphiql-introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	const history = `query HistoryPage($first: Int) {
  employmentHistory(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id status statusLabel unit { id name } positionTitle paidAmount nature description
      applyStart applyEnd workStart workEnd workTimeRequirement
      application {
        id status
        timeline { from to at actor note }
        workRecords { month hours amount }
        position { id title unit { name } }
        employment { startedAt endedAt paidAmount hoursWorked }
      }
    } }
  }
}`
	const positions = `query OpenPositions($first: Int) {
  positions(filter: { openNow: true }, first: $first) {
    totalCount
    edges { cursor node { id title nature dutyCategory pay headcount weeklyHours applyStart applyEnd workStart workEnd unit { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`
	student := s.Student(t, "20160931")
	for _, c := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"GraphiQL's introspection", string(introspection), nil},
		{"history page with detail", history, map[string]any{"first": 100}},
		{"positions page", positions, map[string]any{"first": 50}},
	} {
		if r := s.Do(t, student, c.query, c.vars); len(r.Errors) > 0 {
			t.Errorf("%s: got %+v, want no errors", c.name, r.Errors)
		}
	}
}

// TestLimitsOnEveryTransport: GET, the websocket and a persisted query meet the same limits; a
// persisted query refused is not kept.
func TestLimitsOnEveryTransport(t *testing.T) {
	s := e2e.NewServer(t)
	admin := s.Admin(t)
	deep := "{ " + nestedPositions(4) + " }"

	res, body := e2e.RawRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape(deep), nil, "Authorization", "Bearer "+admin)
	var r e2e.Response
	if err := json.Unmarshal(body, &r); err != nil || res.StatusCode != http.StatusOK || r.Code() != limits.CodeDepth {
		t.Errorf("GET: got %d %s, want 200 and %s", res.StatusCode, body, limits.CodeDepth)
	}

	ws := e2e.DialWS(t, s.URL)
	ws.Init(admin)
	ws.Subscribe("1", deep)
	m := ws.Next()
	var errs []e2e.GQLError
	if err := json.Unmarshal(m.Payload, &errs); m.Type != "error" || err != nil || len(errs) != 1 || errs[0].Extensions["code"] != limits.CodeDepth {
		t.Errorf("websocket: got %s %s, want an error message with %s", m.Type, m.Payload, limits.CodeDepth)
	}

	sum := sha256.Sum256([]byte(deep))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	post := func(query string) e2e.Response {
		b, _ := json.Marshal(map[string]any{"query": query, "extensions": ext})
		_, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", bytes.NewReader(b), "Content-Type", "application/json", "Authorization", "Bearer "+admin)
		var r e2e.Response
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return r
	}
	if r := post(deep); r.Code() != limits.CodeDepth {
		t.Errorf("persisted query with its text: got %+v, want %s", r.Errors, limits.CodeDepth)
	}
	if r := post(""); r.Code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Errorf("its hash alone afterwards: got %+v, want PERSISTED_QUERY_NOT_FOUND (a refused document is not kept)", r.Errors)
	}
}

// TestConfiguredLimits: each document limit follows the server's configuration.
func TestConfiguredLimits(t *testing.T) {
	s := e2e.NewServer(t, e2e.WithLimits(httpapi.Limits{Document: limits.Limits{Depth: 2, Aliases: 1, DuplicateFields: 1, FragmentSpreads: 1, Selections: 3, Directives: 1}}))
	admin := s.Admin(t)
	for q, code := range map[string]string{
		"{ me { unit { id } } }":                              limits.CodeDepth,
		"{ a: me { role } b: me { role } }":                   limits.CodeAliases,
		"{ me { role role } }":                                limits.CodeDuplicateField,
		"{ me { role } historyColumns historyUnits { id } }":  limits.CodeSelections,
		"{ me { role @skip(if: false) @include(if: true) } }": limits.CodeDirectives,
	} {
		if r := s.Do(t, admin, q, nil); r.Code() != code {
			t.Errorf("%s: got %+v, want %s", q, r.Errors, code)
		}
	}
	if r := s.Do(t, admin, "{ me { role } }", nil); len(r.Errors) > 0 {
		t.Errorf("within the limits: got %+v, want no errors", r.Errors)
	}
}

// importRows are n enrollment records as the graduate office's spreadsheet has them: Chinese
// names and departments of realistic length, long email addresses, phones with the country code.
func importRows(n int) []map[string]any {
	surnames := []string{"欧阳", "司马", "诸葛", "上官", "王", "李", "张", "刘", "陈", "杨"}
	given := []string{"思远", "子涵", "雨桐", "浩然", "欣怡", "梓萱", "一诺", "俊杰", "嘉怡", "宇轩"}
	departments := []string{"临床医学院（第一附属医院）", "公共卫生学院", "基础医学院", "药学院", "护理学院", "医学人文与管理学院", "生物医学工程学院"}
	rows := make([]map[string]any, n)
	for i := range rows {
		degree := "MASTER"
		if i%3 == 0 {
			degree = "DOCTORAL"
		}
		rows[i] = map[string]any{
			"studentNo": fmt.Sprintf("2026%06d", i), "name": surnames[i%len(surnames)] + given[i/len(surnames)%len(given)],
			"phone": fmt.Sprintf("+86 138-%04d-%04d", i%10000, i*7%10000), "email": fmt.Sprintf("student%05d.graduate@stu.example-med.edu.cn", i),
			"degree": degree, "department": departments[i%len(departments)], "fullTime": true, "enrolled": true, "financialNeed": i%7 == 0,
		}
	}
	return rows
}

// TestLargestImportFitsTheLimits: the documented largest importStudents, 5,000 realistic rows,
// sent as variables, passes the body limit (also pretty-printed with every character escaped
// \uXXXX, as some JSON encoders write it) and the token limit, and is imported.
func TestLargestImportFitsTheLimits(t *testing.T) {
	const mutation = `mutation Import($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { created updated userErrors { code field message } } }`
	rows := importRows(service.MaxImportRows)
	body, _ := json.Marshal(map[string]any{"query": mutation, "variables": map[string]any{"rows": rows}})
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, body, "", "  ")
	escaped := asciiJSON(pretty.Bytes())
	t.Logf("%d rows: %d bytes compact, %d pretty-printed and \\u-escaped; body limit %d", len(rows), len(body), len(escaped), httpapi.DefaultLimits.BodyBytes)
	if int64(len(escaped)) > httpapi.DefaultLimits.BodyBytes*2/3 {
		t.Errorf("the largest import takes %d bytes, over two thirds of the body limit %d: raise the limit", len(escaped), httpapi.DefaultLimits.BodyBytes)
	}
	if n := tokens(mutation); n > httpapi.DefaultLimits.ParserTokens/100 {
		t.Errorf("the import's document has %d tokens, want a few: its rows travel as variables", n)
	}

	s := e2e.NewServer(t)
	res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", bytes.NewReader(escaped), "Content-Type", "application/json", "Authorization", "Bearer "+s.Admin(t))
	var r e2e.Response
	if err := json.Unmarshal(raw, &r); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("got %d %.300s, want 200", res.StatusCode, raw)
	}
	var got struct {
		ImportStudents struct {
			Created    int
			UserErrors []any
		}
	}
	r.Decode(t, &got)
	if got.ImportStudents.Created != len(rows) || len(got.ImportStudents.UserErrors) > 0 {
		t.Errorf("got %+v, want %d created", got.ImportStudents, len(rows))
	}
}

// asciiJSON escapes every non-ASCII character of a JSON text as \uXXXX (UTF-16), as encoders
// such as Python's json.dumps do by default.
func asciiJSON(b []byte) []byte {
	var out bytes.Buffer
	for _, r := range string(b) {
		switch {
		case r < 0x80:
			out.WriteRune(r)
		case r < 0x10000:
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			r -= 0x10000
			fmt.Fprintf(&out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		}
	}
	return out.Bytes()
}

// tokens counts the lexical tokens of a GraphQL document, as the parser's token limit does.
func tokens(q string) int {
	l := lexer.New(&ast.Source{Input: q})
	n := 0
	for {
		tok, err := l.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return n
		}
		n++
	}
}
