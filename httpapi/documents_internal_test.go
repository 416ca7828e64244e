package httpapi

import (
	"context"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/graph"
)

// TestDocumentsWithoutSuggestions: with suggestions off (production mode), validation names
// the unknown field without guessing what was meant; with them on, it guesses.
func TestDocumentsWithoutSuggestions(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	lim := DefaultLimits.withDefaults()
	for _, c := range []struct {
		suggestions bool
		want        bool // a "Did you mean"
	}{{true, true}, {false, false}} {
		d := newDocuments(schema, lim, c.suggestions, newPersistedQueries(1, 1))
		_, errs := d.prepare(context.Background(), `{ positions { totalCont } }`)
		if len(errs) != 1 || strings.Contains(errs[0].Message, "Did you mean") != c.want {
			t.Errorf("suggestions %v: got %v, want one error, a suggestion %v", c.suggestions, errs, c.want)
		}
	}
}
