package limits

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func parse(t testing.TB, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatalf("parse %.80q: %v", q, err)
	}
	return doc
}

// nested is n fields each inside the one before: { f { f { ... f } } }.
func nested(n int) string {
	return strings.Repeat("f { ", n-1) + "f" + strings.Repeat(" }", n-1)
}

// fragmentChain is a document of n fragments each spreading the next one twice, the last
// selecting leaf, spread once by the operation: 2^(n-1) copies of leaf once expanded.
func fragmentChain(n int, leaf string) string {
	var b strings.Builder
	b.WriteString("{ ...F0 }\n")
	for i := range n - 1 {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	fmt.Fprintf(&b, "fragment F%d on Query { %s }\n", n-1, leaf)
	return b.String()
}

// TestCheckAtAndOverEachLimit: each limit lets a document through at the limit and refuses it
// one above, with its code, the limit and what was found.
func TestCheckAtAndOverEachLimit(t *testing.T) {
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{ ")
		for i := range n {
			fmt.Fprintf(&b, "a%d: f ", i)
		}
		return b.String() + "}"
	}
	directives := func(n int) string { return "{ f" + strings.Repeat(" @include(if: true)", n) + " }" }
	for _, c := range []struct {
		name         string
		at, over     string
		code         string
		found        int
		errName      string
		foundAtLeast bool
	}{
		{"depth", "{ " + nested(10) + " }", "{ " + nested(11) + " }", CodeDepth, 11, "f", false},
		{"depth through fragments", "{ g { ...A } } fragment A on Q { " + nested(9) + " }",
			"{ g { ...A } } fragment A on Q { " + nested(10) + " }", CodeDepth, 11, "f", false},
		{"aliases", aliases(30), aliases(31), CodeAliases, 31, "", false},
		{"repeated field", "{ " + strings.Repeat("__typename ", 50) + "}", "{ " + strings.Repeat("__typename ", 51) + "}",
			CodeDuplicateField, 51, "__typename", false},
		{"repeated field with arguments, aliased", "{ " + strings.Repeat("f(a: 1, b: 2) ", 29) + aliasedTwice + " }",
			"{ " + strings.Repeat("f(b: 2, a: 1) ", 49) + aliasedTwice + " }", CodeDuplicateField, 51, "f", false},
		{"repeated field across inline fragments", "{ ... on Q { " + strings.Repeat("f ", 25) + "} " + strings.Repeat("f ", 25) + "}",
			"{ ... on Q { " + strings.Repeat("f ", 25) + "} " + strings.Repeat("f ", 26) + "}", CodeDuplicateField, 51, "f", false},
		{"selections", "{ " + distinct(1000) + "}", "{ " + distinct(1000) + "h }", CodeSelections, 2001, "", true},
		{"selections through fragments", fragmentChain(11, "f"), fragmentChain(11, "f g"), CodeSelections, 2001, "", true},
		{"directives", directives(10), directives(11), CodeDirectives, 11, "f", false},
		{"one response name", "{ " + strings.Repeat("f(a: 1) ", 25) + strings.Repeat("f(a: 2) ", 25) + "}",
			"{ " + strings.Repeat("f(a: 1) ", 25) + strings.Repeat("f(a: 2) ", 26) + "}", CodeDuplicateField, 51, "f", false},
		{"fragment spreads", "{ " + strings.Repeat("...A ", 100) + "} fragment A on Q { f }",
			"{ " + strings.Repeat("...A ", 50) + "} fragment A on Q { f " + strings.Repeat("...B ", 51) + "} fragment B on Q { g }",
			CodeSpreads, 101, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := Check(parse(t, c.at), Defaults); err != nil {
				t.Errorf("at the limit: got %v, want nil", err)
			}
			err := Check(parse(t, c.over), Defaults)
			if err == nil {
				t.Fatalf("over the limit: got nil, want %s", c.code)
			}
			if err.Code != c.code || err.Name != c.errName || (err.Found != c.found && !c.foundAtLeast) || err.Found < c.found || err.Pos == nil {
				t.Errorf("over the limit: got %s %q found %d at %v, want %s %q found %d", err.Code, err.Name, err.Found, err.Pos, c.code, c.errName, c.found)
			}
		})
	}
}

// distinct is n selections of different fields, two fields each.
func distinct(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "f%d { g } ", i)
	}
	return b.String()
}

// aliasedTwice are two more selections of f(a: 1, b: 2) under aliases: still the same field.
const aliasedTwice = "x: f(a: 1, b: 2) y: f(a: 1, b: 2)"

// TestIntrospectionIsExemptFromDepth: GraphiQL's schema query is 13 deep and passes; a field as
// deep outside __schema does not.
func TestIntrospectionIsExemptFromDepth(t *testing.T) {
	q, err := os.ReadFile("testdata/graphiql-introspection.graphql")
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(parse(t, string(q)), Defaults); err != nil {
		t.Errorf("GraphiQL's introspection query: got %v, want nil", err)
	}
	if err := Check(parse(t, `{ __type(name: "Q") { `+nested(12)+` } }`), Defaults); err != nil {
		t.Errorf("__type 13 deep: got %v, want nil", err)
	}
	if err := Check(parse(t, `{ f { __schema { `+nested(12)+` } } }`), Defaults); err != nil {
		t.Errorf("__schema under a field: got %v, want nil (validation refuses it)", err)
	}
}

// TestCheckCountsRepeatsPerResponseObject: a field repeats within one response object: the
// same field in sibling objects, or spread from a fragment, is not a repeat; one response name
// with different arguments is.
func TestCheckCountsRepeatsPerResponseObject(t *testing.T) {
	aliased := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "a: f(x: %d) ", i)
		}
		return b.String()
	}
	for _, c := range []struct {
		q    string
		name string // the repeated name, "" when the document passes
	}{
		{"{ " + distinct(60) + "}", ""},
		{"{ " + strings.Repeat("x { g } ", 60) + "}", "x"},
		{"{ " + strings.Repeat("g(a: 1) ", 30) + strings.Repeat("g(a: 2) ", 30) + "}", "g"},
		{"{ " + aliased(60) + "}", "a"},
		{"{ " + strings.Repeat("...A ", 60) + "} fragment A on Q { h }", ""},
	} {
		err := Check(parse(t, c.q), Limits{DuplicateFields: 50})
		switch {
		case c.name == "" && err != nil:
			t.Errorf("%.40q: got %v, want nil", c.q, err)
		case c.name != "" && (err == nil || err.Code != CodeDuplicateField || err.Found != 60 || err.Name != c.name):
			t.Errorf("%.40q: got %v, want %s of %q found 60", c.q, err, CodeDuplicateField, c.name)
		}
	}
}

// TestFragmentBombIsRefusedAtOnce: 40 fragments each spreading the next twice stand for 2^39
// fields; the walk stops after a few thousand of them.
func TestFragmentBombIsRefusedAtOnce(t *testing.T) {
	doc := parse(t, fragmentChain(40, "__typename"))
	start := time.Now()
	err := Check(doc, Defaults)
	if err == nil || err.Code != CodeSelections {
		t.Fatalf("got %v, want %s", err, CodeSelections)
	}
	if err.Found > 2*Defaults.Selections {
		t.Errorf("got found %d, want the walk to stop soon after %d", err.Found, Defaults.Selections)
	}
	t.Logf("refused in %v", time.Since(start)) // the time is the benchmark's to measure, not a test's to assert
}

// TestCheckTerminatesOnCycles: a cycle of fragments is left to validation; counting it stops.
func TestCheckTerminatesOnCycles(t *testing.T) {
	for _, q := range []string{
		"{ ...A } fragment A on Q { f ...A }",
		"{ ...A } fragment A on Q { f ...B } fragment B on Q { g ...A }",
		"{ ...A ...B } fragment B on Q { g { ...A } } fragment A on Q { f { ...B } }",
		"{ ...Missing }",
	} {
		if err := Check(parse(t, q), Defaults); err != nil {
			t.Errorf("%q: got %v, want nil", q, err)
		}
	}
}

func TestZeroIsNoLimit(t *testing.T) {
	if err := Check(parse(t, fragmentChain(12, "a: f @a @b")), Limits{}); err != nil {
		t.Errorf("got %v, want nil with no limits", err)
	}
}

func BenchmarkCheck(b *testing.B) {
	for _, c := range []struct{ name, q string }{
		{"fragment bomb", fragmentChain(40, "__typename")},
		{"typename x14990", "{ " + strings.Repeat("__typename ", 14990) + "}"},
		{"introspection", mustRead(b, "testdata/graphiql-introspection.graphql")},
	} {
		doc := parse(b, c.q)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Check(doc, Defaults)
			}
		})
	}
}

func mustRead(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
