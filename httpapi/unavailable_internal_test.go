package httpapi

import (
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Only a response without data whose errors include UNAVAILABLE is answered 503: with data, even
// partial, graphql-over-http wants a 2xx, and other errors keep their statuses.
func TestUnavailableResponse(t *testing.T) {
	unavailable := gqlerror.List{{Message: "x", Extensions: map[string]any{"code": CodeUnavailable}}}
	internal := gqlerror.List{{Message: "x", Extensions: map[string]any{"code": CodeInternal}}}
	for _, c := range []struct {
		name string
		resp graphql.Response
		want bool
	}{
		{"no data", graphql.Response{Errors: unavailable}, true},
		{"null data", graphql.Response{Data: json.RawMessage("null"), Errors: unavailable}, true},
		{"partial data", graphql.Response{Data: json.RawMessage(`{"a":1,"b":null}`), Errors: unavailable}, false},
		{"another code", graphql.Response{Errors: internal}, false},
		{"no errors", graphql.Response{Data: json.RawMessage(`{"a":1}`)}, false},
	} {
		if got := unavailableResponse(&c.resp); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
