package httpapi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
)

// costlyNesting is the abusive shape: each of a hundred positions' unit with its own
// hundred positions, 20,401 by the cost model.
const costlyNesting = `positions(first: 100) { edges { node { id unit { positions(first: 100) { edges { node { id } } } } } } }`

// Under the default limit the portal's pages run and the abusive shape is refused before any
// statement, priced after its variables are known.
func TestCostLimitDecisions(t *testing.T) {
	s := e2e.NewServer(t)
	student := s.Student(t, "20160931")
	introspection, err := os.ReadFile("../limits/testdata/graphiql-introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, query string
		vars        map[string]any
		code        string // "" when it must run
		parts       []string
	}{
		{"history page with detail, 100 rows (cost 701)", `query HistoryDetail($n: Int) { employmentHistory(first: $n) { edges { node { id positionTitle
			application { status timeline { event at } workRecords { month amount } position { title unit { name } } } } } } }`,
			map[string]any{"n": 100}, "", nil},
		{"positions page, 50 rows (cost 152)", `{ positions(first: 50) { totalCount edges { node { id title nature pay applyEnd unit { name } } }
			pageInfo { hasNextPage endCursor } } }`, nil, "", nil},
		{"GraphiQL's schema query (cost 59)", string(introspection), nil, "", nil},
		{"nested positions, first 1 from a variable (cost 7)", `query($n: Int) { positions(first: $n) { edges { node { id unit { positions(first: $n) { edges { node { id } } } } } } } }`,
			map[string]any{"n": 1}, "", nil},
		{"the same document, first 100 from the variable", `query($n: Int) { positions(first: $n) { edges { node { id unit { positions(first: $n) { edges { node { id } } } } } } } }`,
			map[string]any{"n": 100}, httpapi.CodeCostLimit, []string{"20401", "1000"}},
		{"three aliases of nested positions", "{ a: " + costlyNesting + " b: " + costlyNesting + " c: " + costlyNesting + " }",
			nil, httpapi.CodeCostLimit, []string{"61203", "1000"}},
	} {
		n, r := s.Statements(t, student, c.query, c.vars)
		if c.code == "" {
			if len(r.Errors) > 0 {
				t.Errorf("%s: got %+v, want it to run", c.name, r.Errors)
			}
			continue
		}
		e2e.WantTopLevel(t, r, c.code, c.parts...)
		if n != 0 {
			t.Errorf("%s: %d statements ran, want none", c.name, n)
		}
	}
}

// The refusal says the cost and the limit in the caller's language.
func TestCostLimitLocalized(t *testing.T) {
	s := e2e.NewServer(t, e2e.WithLimits(httpapi.Limits{Cost: 1}))
	q := `{ me { role } academicYears { name } }`
	for _, lang := range []struct{ header, want string }{
		{"", "操作的代价为 2，超过了 1 的上限"}, {"en", "the operation costs 2, over the limit of 1"},
	} {
		r := s.Do(t, s.Admin(t), q, nil, "Accept-Language", lang.header)
		if len(r.Errors) != 1 || r.Code() != httpapi.CodeCostLimit || !strings.HasPrefix(r.Errors[0].Message, lang.want) {
			t.Errorf("Accept-Language %q: got %+v, want one %s error beginning %q", lang.header, r.Errors, httpapi.CodeCostLimit, lang.want)
		}
	}
}
