package graph

import (
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestPlainSelection pins which list selections are marshalled in order: only those that reach
// no concurrently resolved field, however the field is reached (fragments) or left out (@skip,
// @include with variables). A wrong "plain" answer would serialise dataloader waits.
func TestPlainSelection(t *testing.T) {
	cases := []struct {
		name  string
		query string
		vars  map[string]any
		plain bool
	}{
		{"columns only", `{ employmentHistory { edges { cursor node { id status unit { id name } paidAmount } } } }`, nil, true},
		{"typename and aliases", `{ employmentHistory { edges { __typename n: node { __typename t: positionTitle } } } }`, nil, true},
		{"resolver field", `{ employmentHistory { edges { node { id application { id } } } } }`, nil, false},
		{"resolver field in a named fragment", `{ employmentHistory { edges { node { ...F } } } } fragment F on HistoryRow { application { id } }`, nil, false},
		{"resolver field in an inline fragment", `{ employmentHistory { edges { node { ... on HistoryRow { application { id } } } } } }`, nil, false},
		{"resolver field skipped", `{ employmentHistory { edges { node { id application @skip(if: true) { id } } } } }`, nil, true},
		{"resolver field included by a variable", `query($a: Boolean!) { employmentHistory { edges { node { id application @include(if: $a) { id } } } } }`, map[string]any{"a": true}, false},
		{"resolver field excluded by a variable", `query($a: Boolean!) { employmentHistory { edges { node { id application @include(if: $a) { id } } } } }`, map[string]any{"a": false}, true},
		{"resolver field that is itself a list", `{ myApplications { edges { node { id timeline { at } } } } }`, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(parsedSchema, c.query)
			if errs != nil {
				t.Fatalf("query does not validate: %v", errs)
			}
			oc := &graphql.OperationContext{Doc: doc, Variables: c.vars}
			root := graphql.CollectFields(oc, doc.Operations[0].SelectionSet, []string{"Query"})
			if len(root) != 1 {
				t.Fatalf("root fields: got %d, want 1", len(root))
			}
			conn := graphql.CollectFields(oc, root[0].Selections, []string{root[0].Definition.Type.Name()})
			for _, f := range conn {
				if f.Name != "edges" {
					continue
				}
				if got := plainSelection(parsedSchema, oc, f.Selections, f.Definition.Type.Elem.NamedType); got != c.plain {
					t.Errorf("plainSelection: got %v, want %v", got, c.plain)
				}
				return
			}
			t.Fatal("no edges field selected")
		})
	}
}

// Fields reached through an interface the element type implements count like its own: this
// schema has no interfaces yet, so the case is pinned on a small one of the same names.
func TestPlainSelectionThroughInterface(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
		type Query { rows: [HistoryRow!]! }
		interface Employable { application: Application }
		type Application { id: ID }
		type HistoryRow implements Employable { id: ID application: Application }`})
	for _, c := range []struct {
		query string
		plain bool
	}{
		{`{ rows { id ... on Employable { __typename } } }`, true},
		{`{ rows { id ... on Employable { application { id } } } }`, false},
	} {
		doc, errs := gqlparser.LoadQuery(schema, c.query)
		if errs != nil {
			t.Fatalf("%s: %v", c.query, errs)
		}
		oc := &graphql.OperationContext{Doc: doc}
		rows := graphql.CollectFields(oc, doc.Operations[0].SelectionSet, []string{"Query"})[0]
		if got := plainSelection(schema, oc, rows.Selections, "HistoryRow"); got != c.plain {
			t.Errorf("%s: plainSelection got %v, want %v", c.query, got, c.plain)
		}
	}
}
