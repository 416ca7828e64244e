package graph

import (
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
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
				if got := plainSelection(oc, f.Selections, f.Definition.Type.Elem.NamedType); got != c.plain {
					t.Errorf("plainSelection: got %v, want %v", got, c.plain)
				}
				return
			}
			t.Fatal("no edges field selected")
		})
	}
}
