package resolvers

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Every field of HistoryRow but its id and its application is a column's field, and every
// column's field is one of HistoryRow's: a field added to the schema without its column (or a
// column naming a field that is not there) would read as empty without a word.
func TestHistoryFieldsAreTheSchemas(t *testing.T) {
	text, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(text)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	row := schema.Types["HistoryRow"]
	if row == nil {
		t.Fatal("the schema has no HistoryRow")
	}
	inSchema := map[string]bool{}
	for _, f := range row.Fields {
		inSchema[f.Name] = true
		if _, ok := historyFields[f.Name]; !ok && f.Name != "id" && f.Name != "application" {
			t.Errorf("HistoryRow.%s: no history column reads it", f.Name)
		}
	}
	for f, c := range historyFields {
		if !inSchema[f] {
			t.Errorf("column %s names field %s, which HistoryRow does not have", c, f)
		}
	}
}
