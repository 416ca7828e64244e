package main

import (
	"os"
	"regexp"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestReadmeOperationsMatchTheSchema: every GraphQL example in the README parses and validates
// against schema.graphqls, so the documentation cannot drift from the API.
func TestReadmeOperationsMatchTheSchema(t *testing.T) {
	schemaText, err := os.ReadFile("schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(schemaText)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 5 {
		t.Fatalf("got %d GraphQL examples in README.md, want at least 5", len(blocks))
	}
	for i, b := range blocks {
		if _, errs := gqlparser.LoadQuery(schema, b[1]); errs != nil {
			t.Errorf("README example %d does not validate: %v\n%s", i+1, errs, b[1])
		}
	}
}
