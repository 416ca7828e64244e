package limits_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/zhuguan/zhuguan/limits"
	"github.com/zhuguan/zhuguan/service"
)

var (
	schemaOnce sync.Once
	schema     *ast.Schema
)

// testSchema is the server's schema, read from the file gqlgen generates from.
func testSchema(t *testing.T) *ast.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		src, err := os.ReadFile("../schema.graphqls")
		if err != nil {
			t.Fatal(err)
		}
		s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
		if gerr != nil {
			t.Fatal(gerr)
		}
		schema = s
	})
	return schema
}

var paging = limits.Paging{Default: service.DefaultPage, Max: service.MaxPage}

// costOf validates query, coerces vars (JSON, as a request sends them) as gqlgen does, and prices
// its one operation.
func costOf(t *testing.T, m *limits.CostModel, query, vars string) (int64, *limits.Cost) {
	t.Helper()
	s := testSchema(t)
	doc, errs := gqlparser.LoadQuery(s, query)
	if errs != nil {
		t.Fatalf("%s: %v", query, errs)
	}
	raw := map[string]any{}
	if vars != "" {
		dec := json.NewDecoder(strings.NewReader(vars))
		dec.UseNumber()
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
	}
	op := doc.Operations[0]
	coerced, err := validator.VariableValues(s, op, raw)
	if err != nil {
		t.Fatalf("%s %s: %v", query, vars, err)
	}
	c := m.Compile(doc, op)
	return c.Of(coerced), c
}

// nestedPositions is the abusive shape: each of a hundred positions' unit with its own
// hundred positions.
const nestedPositions = `positions(first: 100) { edges { node { id unit { positions(first: 100) { edges { node { id } } } } } } }`

func TestCostModel(t *testing.T) {
	m := limits.NewCostModel(paging, 16)
	for _, c := range []struct {
		name, query, vars string
		want              int64
	}{
		{"a scalar costs nothing", `{ historyColumns }`, "", 0},
		{"an object costs 1", `{ me { role } }`, "", 1},
		{"a connection multiplies its edges by first", `{ positions(first: 50) { totalCount pageInfo { hasNextPage }
			edges { cursor node { id title unit { name } } } } }`, "", 1 + 1 + 50*3},
		{"first omitted is the schema's default", `{ positions { edges { node { id } } } }`, "", 1 + int64(service.DefaultPage)*2},
		{"first over the maximum costs the maximum", `{ positions(first: 5000) { edges { node { id } } } }`, "", 1 + service.MaxPage*2},
		{"first from a variable", `query($n: Int) { positions(first: $n) { edges { node { id } } } }`, `{"n": 7}`, 1 + 7*2},
		{"a variable not given is the argument's default", `query($n: Int) { positions(first: $n) { edges { node { id } } } }`, "", 1 + int64(service.DefaultPage)*2},
		{"a variable's own default", `query($n: Int = 3) { positions(first: $n) { edges { node { id } } } }`, "", 1 + 3*2},
		{"a null variable is the paging default", `query($n: Int) { positions(first: $n) { edges { node { id } } } }`, `{"n": null}`, 1 + int64(service.DefaultPage)*2},
		{"a plain list counts as one item", `query($id: ID!) { application(id: $id) { timeline { event } workRecords { month } position { title } } }`,
			`{"id": "1"}`, 1 + 1 + 1 + 1},
		{"a list of scalars costs nothing", `{ myNominations { id } }`, "", 1},
		{"fragments count where they are spread", `{ positions(first: 10) { ...Page } } fragment Page on PositionConnection { edges { ...Edge } }
			fragment Edge on PositionEdge { node { id unit { name } } }`, "", 1 + 10*3},
		{"inline fragments count as the fields around them", `{ positions(first: 10) { ... on PositionConnection { edges { node { id } } } } }`, "", 1 + 10*2},
		{"nested connections multiply", "{ " + nestedPositions + " }", "", 1 + 100*(1+1+1+(1+100*2))},
		{"aliases each count", "{ a: " + nestedPositions + " b: " + nestedPositions + " c: " + nestedPositions + " }", "", 3 * (1 + 100*(1+1+1+(1+100*2)))},
	} {
		if got, _ := costOf(t, m, c.query, c.vars); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
}

// The portal's pages pass the default limit by a margin, and the abusive shape is far over it.
func TestCostOfThePortalsPages(t *testing.T) {
	const limit = 1000
	m := limits.NewCostModel(paging, 16)
	for _, c := range []struct {
		name, query, vars string
		want              int64
	}{
		// bench/nested.go's history page with each row's detail, at 100 rows.
		{"history page with detail, 100 rows", `query HistoryDetail($n: Int) { employmentHistory(first: $n) { edges { node { id positionTitle
			application { status timeline { event at } workRecords { month amount } position { title unit { name } } } } } } }`, `{"n": 100}`, 701},
		{"positions page, 50 rows", `query Positions { positions(first: 50) { totalCount edges { node { id title nature pay applyEnd unit { name } } }
			pageInfo { hasNextPage endCursor } } }`, "", 152},
	} {
		got, _ := costOf(t, m, c.query, c.vars)
		if got != c.want || got > limit {
			t.Errorf("%s: got %d, want %d (under %d)", c.name, got, c.want, limit)
		}
	}
	if got, _ := costOf(t, m, "{ a: "+nestedPositions+" b: "+nestedPositions+" c: "+nestedPositions+" }", ""); got <= limit {
		t.Errorf("three aliases of nested positions: got %d, want over %d", got, limit)
	}
}

// GraphiQL's schema query is priced by the same rule and passes; it is marked as introspection.
func TestCostOfIntrospection(t *testing.T) {
	q, err := os.ReadFile("testdata/graphiql-introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	m := limits.NewCostModel(paging, 16)
	got, c := costOf(t, m, string(q), "")
	t.Logf("GraphiQL's introspection query costs %d", got)
	if !c.Introspection() || got < 10 || got > 100 {
		t.Errorf("GraphiQL's introspection query: cost %d, introspection %v; want a few dozen, true", got, c.Introspection())
	}
	if _, c := costOf(t, m, `{ __typename me { __typename role } }`, ""); c.Introspection() {
		t.Errorf("__typename: introspection true, want false")
	}
	if _, c := costOf(t, m, `{ ...Q } fragment Q on Query { __type(name: "Unit") { name } }`, ""); !c.Introspection() {
		t.Errorf("__type in a fragment: introspection false, want true")
	}
}

// An operation is compiled once: the same definition is a cache hit, priced afresh under each
// request's variables.
func TestCostCompiledOnce(t *testing.T) {
	m := limits.NewCostModel(paging, 16)
	const q = `query($n: Int) { positions(first: $n) { edges { node { id } } } }`
	a, ca := costOf(t, m, q, `{"n": 1}`)
	s := testSchema(t)
	doc, _ := gqlparser.LoadQuery(s, q)
	if m.Compile(doc, doc.Operations[0]) == ca {
		t.Errorf("another document of the same text: got the first one's compiled cost, want its own")
	}
	again := m.Compile(doc, doc.Operations[0])
	if again != m.Compile(doc, doc.Operations[0]) {
		t.Errorf("the same operation twice: compiled twice, want a cache hit")
	}
	if b := again.Of(map[string]any{"n": int64(40)}); a != 3 || b != 81 {
		t.Errorf("first 1 then 40: got %d and %d, want 3 and 81", a, b)
	}
}

// A fragment bomb (each fragment spreads the next twice, 2^70 fields expanded) compiles and prices
// in linear time, so this test ends, and its cost saturates instead of overflowing. It is parsed
// only: validation would expand every spread (the other limits refuse it before that).
func TestCostFragmentBomb(t *testing.T) {
	const depth = 70
	for _, c := range []struct {
		leaf string
		want int64
	}{{"me { role }", math.MaxInt64}, {"historyColumns", 0}} {
		var b strings.Builder
		b.WriteString("{ ...F0 }\n")
		for i := range depth {
			fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
		}
		fmt.Fprintf(&b, "fragment F%d on Query { %s }\n", depth, c.leaf)
		doc, err := parser.ParseQuery(&ast.Source{Input: b.String()})
		if err != nil {
			t.Fatal(err)
		}
		m := limits.NewCostModel(paging, 16)
		if got := m.Compile(doc, doc.Operations[0]).Of(nil); got != c.want {
			t.Errorf("bomb of %s: got %d, want %d", c.leaf, got, c.want)
		}
	}
}

// Every connection's `first` defaults, in the schema, to service.DefaultPage, the page size the
// resolvers give a null one: the cost model reads the schema's, so the two must not drift apart.
func TestSchemaPageDefaults(t *testing.T) {
	n := 0
	for _, typ := range testSchema(t).Types {
		for _, f := range typ.Fields {
			first := f.Arguments.ForName("first")
			if first == nil || !strings.HasSuffix(f.Type.Name(), "Connection") {
				continue
			}
			n++
			if first.DefaultValue == nil || first.DefaultValue.Raw != strconv.Itoa(service.DefaultPage) {
				t.Errorf("%s.%s(first): default %v, want %d", typ.Name, f.Name, first.DefaultValue, service.DefaultPage)
			}
		}
	}
	if n < 5 {
		t.Errorf("found %d connections with first, want every one of the schema's", n)
	}
}

// BenchmarkCost prices the portal's history page with detail: compiled once (a cache hit after
// the first), then evaluated under each request's variables; and compiled afresh, as a document
// that gqlgen's query cache does not hold would be.
func BenchmarkCost(b *testing.B) {
	src, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		b.Fatal(err)
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	if gerr != nil {
		b.Fatal(gerr)
	}
	const q = `query HistoryDetail($n: Int) { employmentHistory(first: $n) { edges { node { id positionTitle
		application { status timeline { event at } workRecords { month amount } position { title unit { name } } } } } } }`
	doc, errs := gqlparser.LoadQuery(s, q)
	if errs != nil {
		b.Fatal(errs)
	}
	vars := map[string]any{"n": int64(100)}
	b.Run("cached", func(b *testing.B) {
		m := limits.NewCostModel(paging, 16)
		for b.Loop() {
			if m.Compile(doc, doc.Operations[0]).Of(vars) != 701 {
				b.Fatal("wrong cost")
			}
		}
	})
	b.Run("compiled", func(b *testing.B) {
		for b.Loop() {
			limits.NewCostModel(paging, 1).Compile(doc, doc.Operations[0]).Of(vars)
		}
	})
}
