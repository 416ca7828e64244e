package limits

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// fuzzLimits are small, so that short documents reach them.
var fuzzLimits = Limits{Depth: 4, Aliases: 3, DuplicateFields: 2, FragmentSpreads: 4, Selections: 20, Directives: 2}

// FuzzLimits: Check never panics, and on a document without fragment cycles it agrees with a
// naive count that expands every fragment spread in full: it refuses exactly the documents the
// naive count finds over a limit, and the limit it names is one the naive count finds passed.
func FuzzLimits(f *testing.F) {
	for _, s := range []string{
		"{ a { b { c { d } } } }",
		"{ a { b { c { d { e } } } } }",
		"{ x: a y: a z: a w: a }",
		"{ a a a }",
		"{ a(x: 1) a(x: 2) a(x: 1) }",
		"{ a(x: 1) a(x: 2) }",
		"{ ...A ...A ...A } fragment A on Q { ...B ...B }",
		"{ ... on Q { a } a a }",
		"{ a @x @y @z }",
		"{ ...A ...A } fragment A on Q { ...B ...B } fragment B on Q { c d }",
		"{ ...A } fragment A on Q { ...A }",
		"{ __schema { a { b { c { d { e } } } } } }",
		"query Q { a } query R { b { c } } fragment F on T { d }",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			return
		}
		got := Check(doc, fuzzLimits)
		n, ok := naiveCount(doc)
		switch {
		case !ok:
			return // a cycle: the walk's answer is validation's to overrule
		case n.selections > 10*fuzzLimits.Selections: // the naive count gave up: its other counts are partial
			if got == nil {
				t.Fatalf("%q: got nil, want a refusal of a document of over %d selections", q, n.selections)
			}
			return
		}
		passed := map[string]bool{
			CodeDepth:          n.depth > fuzzLimits.Depth,
			CodeAliases:        n.aliases > fuzzLimits.Aliases,
			CodeDuplicateField: n.repeats > fuzzLimits.DuplicateFields,
			CodeSelections:     n.selections > fuzzLimits.Selections,
			CodeDirectives:     n.directives > fuzzLimits.Directives,
			CodeSpreads:        n.spreads > fuzzLimits.FragmentSpreads,
		}
		anyPassed := false
		for _, p := range passed {
			anyPassed = anyPassed || p
		}
		switch {
		case got == nil && anyPassed:
			t.Fatalf("%q: got nil, want a refusal (naive count %+v)", q, n)
		case got != nil && !passed[got.Code]:
			t.Fatalf("%q: got %v, but the naive count %+v is within that limit", q, got, n)
		case got != nil && got.Code == CodeAliases && got.Found != n.aliases:
			t.Fatalf("%q: got %d aliases, naive count %d", q, got.Found, n.aliases)
		}
	})
}

// naive is what naiveCount finds: the largest repeat of one field or one response name in one
// response object, the most directives on one selection, the fragment spreads, the deepest
// operation, and the selections of the operations (or of one fragment, if more).
type naive struct{ depth, aliases, repeats, selections, directives, spreads int }

// naiveCount materializes every expansion (up to a budget well above fuzzLimits.Selections); ok
// is false when a fragment spreads itself, directly or not.
func naiveCount(doc *ast.QueryDocument) (n naive, ok bool) {
	frags := map[string]*ast.FragmentDefinition{}
	for _, f := range doc.Fragments {
		if frags[f.Name] == nil {
			frags[f.Name] = f
		}
	}
	budget := 10 * fuzzLimits.Selections
	cyclic := false
	// expand returns the fields s selects and its depth; path holds the fragments being expanded.
	var expand func(s ast.SelectionSet, path map[string]bool) (int, int)
	expand = func(s ast.SelectionSet, path map[string]bool) (sel, depth int) {
		for _, x := range s {
			if budget < 0 {
				return sel, depth
			}
			switch x := x.(type) {
			case *ast.Field:
				budget--
				inner, d := expand(x.SelectionSet, path)
				sel += 1 + inner
				if x.Name == "__schema" || x.Name == "__type" {
					d = 0
				}
				depth = max(depth, 1+d)
			case *ast.InlineFragment:
				inner, d := expand(x.SelectionSet, path)
				sel, depth = sel+inner, max(depth, d)
			case *ast.FragmentSpread:
				f := frags[x.Name]
				if f == nil {
					continue
				}
				if path[f.Name] {
					cyclic = true
					continue
				}
				path[f.Name] = true
				inner, d := expand(f.SelectionSet, path)
				delete(path, f.Name)
				sel, depth = sel+inner, max(depth, d)
			}
		}
		return sel, depth
	}
	// text reads every selection set as written.
	var text func(s ast.SelectionSet)
	text = func(s ast.SelectionSet) {
		var fields []*ast.Field // of this response object, inline fragments included
		var collect func(s ast.SelectionSet)
		collect = func(s ast.SelectionSet) {
			for _, x := range s {
				switch x := x.(type) {
				case *ast.Field:
					fields = append(fields, x)
					if x.Alias != x.Name {
						n.aliases++
					}
					n.directives = max(n.directives, len(x.Directives))
					text(x.SelectionSet)
				case *ast.InlineFragment:
					n.directives = max(n.directives, len(x.Directives))
					collect(x.SelectionSet)
				case *ast.FragmentSpread:
					n.spreads++
					n.directives = max(n.directives, len(x.Directives))
				}
			}
		}
		collect(s)
		for _, a := range fields { // quadratic, as naive as it gets
			same, named := 0, 0
			for _, b := range fields {
				if a.Name == b.Name && sameArguments(a.Arguments, b.Arguments) {
					same++
				}
				if a.Alias == b.Alias {
					named++
				}
			}
			n.repeats = max(n.repeats, same, named)
		}
	}
	for _, op := range doc.Operations {
		text(op.SelectionSet)
		sel, d := expand(op.SelectionSet, map[string]bool{})
		n.selections += sel
		n.depth = max(n.depth, d)
	}
	for _, f := range doc.Fragments {
		text(f.SelectionSet)
		sel, _ := expand(f.SelectionSet, map[string]bool{f.Name: true})
		n.selections = max(n.selections, sel)
	}
	if budget < 0 {
		n.selections = 10*fuzzLimits.Selections + 1
	}
	return n, !cyclic
}

// sameArguments compares two argument lists as multisets of name and written value.
func sameArguments(a, b ast.ArgumentList) bool {
	if len(a) != len(b) {
		return false
	}
	left := map[string]int{}
	for _, x := range a {
		left[x.Name+"="+x.Value.String()]++
	}
	for _, y := range b {
		k := y.Name + "=" + y.Value.String()
		if left[k] == 0 {
			return false
		}
		left[k]--
	}
	return true
}
