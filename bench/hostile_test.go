package main

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// The figures of the abuse mode compare with the issue's only if its documents are the issue's:
// the same size, inside the parser's token limit, and valid where the attack needs them to run.

func TestHostileDocumentsHaveTheIssuesSizes(t *testing.T) {
	docs := map[string]string{}
	for _, d := range hostileDocs() {
		docs[d.name] = d.query
	}
	for _, c := range []struct {
		name     string
		min, max int // bytes
	}{
		{"fragment bomb", 900, 1024},
		{"1000 conflicting aliases", 33000, 37000},
		{"nested 12 levels", 500, 620},
	} {
		if n := len(docs[c.name]); n < c.min || n > c.max {
			t.Errorf("%s: got %d bytes, want %d..%d", c.name, n, c.min, c.max)
		}
	}
	for _, name := range []string{"__typename x14990", "2499 aliases", "1000 conflicting aliases"} {
		if n := tokens(t, docs[name]); n > 15000 {
			t.Errorf("%s: got %d tokens, want at most the parser's 15000", name, n)
		}
	}
}

func TestHostileDocumentsThatMustRunAreValid(t *testing.T) {
	src, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	valid := map[string]string{"deadline": deadlineDoc(), "first shape": historyShape(0), "last shape": historyShape(preparedShapes - 1)}
	for _, d := range hostileDocs() {
		switch d.name {
		case "nested 12 levels", "4 x nested 30 levels", "2499 aliases":
			valid[d.name] = d.query
		}
	}
	for name, q := range valid {
		if _, errs := gqlparser.LoadQuery(schema, q); len(errs) > 0 {
			t.Errorf("%s: got %v, want a valid document", name, errs)
		}
	}
}

func TestHistoryShapesAreDistinct(t *testing.T) {
	seen := make(map[string]bool, preparedShapes)
	for i := range preparedShapes {
		q := historyShape(i)
		if seen[q] {
			t.Fatalf("shape %d repeats an earlier one: %s", i, q)
		}
		seen[q] = true
	}
}

func tokens(t *testing.T, q string) int {
	t.Helper()
	lx := lexer.New(&ast.Source{Input: q})
	for n := 0; ; n++ {
		tok, err := lx.ReadToken()
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind == lexer.EOF {
			return n
		}
	}
}
