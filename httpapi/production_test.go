package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/zhuguan/zhuguan/e2e"
)

// Documents whose answers differ between the modes: introspection, and validation errors that
// gqlparser gives with suggestions (a misspelt field, a misspelt enum value).
const (
	schemaQuery    = `{ __schema { queryType { name } } }`
	typeQuery      = `{ ...Q } fragment Q on Query { __type(name: "Unit") { name } }`
	typenameQuery  = `{ __typename me { __typename role } }`
	misspeltField  = `{ positions { edges { node { titel } } } }`
	misspeltEnum   = `{ positions(filter: {nature: LONG_TERN}) { totalCount } }`
	suggestedField = `did you mean "title"`
	suggestedEnum  = `did you mean "LONG_TERM"`
)

// In development (the default) introspection answers, validation messages suggest names, and
// GraphiQL is served.
func TestDevelopmentMode(t *testing.T) {
	s := e2e.NewServer(t)
	admin := s.Admin(t)
	if r := s.Do(t, admin, schemaQuery, nil); len(r.Errors) > 0 || !strings.Contains(string(r.Data), `"Query"`) {
		t.Errorf("__schema: got %s %+v, want the query type", r.Data, r.Errors)
	}
	for q, want := range map[string]string{misspeltField: suggestedField, misspeltEnum: suggestedEnum} {
		r := s.Do(t, admin, q, nil, "Accept-Language", "en")
		if r.Code() != errcode.ValidationFailed || !strings.Contains(r.Errors[0].Message, want) {
			t.Errorf("%s: got %+v, want %s with %q", q, r.Errors, errcode.ValidationFailed, want)
		}
	}
	wantStatus(t, s.URL+"/", http.StatusOK)
}

// In production introspection is refused as a request error with a message, __typename still
// answers, validation messages suggest nothing, and GraphiQL is not served unless asked for
// (GRAPHIQL=on), which brings the introspection it needs back, not the suggestions.
func TestProductionMode(t *testing.T) {
	s := e2e.NewServer(t, e2e.WithProduction(false))
	admin := s.Admin(t)
	for _, q := range []string{schemaQuery, typeQuery} {
		for _, lang := range []struct{ header, want string }{{"", "此服务器已关闭内省"}, {"en", "introspection is off on this server"}} {
			r := s.Do(t, admin, q, nil, "Accept-Language", lang.header)
			e2e.WantTopLevel(t, r, errcode.ValidationFailed, lang.want)
			if len(r.Data) != 0 {
				t.Errorf("%s: got data %s, want none (a request error)", q, r.Data)
			}
		}
		if r := s.Do(t, "", q, nil); r.Code() != errcode.ValidationFailed {
			t.Errorf("%s without a token: got %+v, want %s", q, r.Errors, errcode.ValidationFailed)
		}
	}
	var typename struct {
		Typename string `json:"__typename"`
		Me       struct{ Typename, Role string }
	}
	s.Do(t, admin, typenameQuery, nil).Decode(t, &typename)
	if typename.Typename != "Query" || typename.Me.Role != "ADMIN" {
		t.Errorf("__typename: got %+v, want Query and the admin", typename)
	}
	for q, unwanted := range map[string]string{misspeltField: "titel", misspeltEnum: "LONG_TERN"} {
		for _, lang := range []string{"", "en"} {
			r := s.Do(t, admin, q, nil, "Accept-Language", lang)
			if r.Code() != errcode.ValidationFailed {
				t.Fatalf("%s: got %+v, want %s", q, r.Errors, errcode.ValidationFailed)
			}
			msg := r.Errors[0].Message
			if !strings.Contains(msg, unwanted) || strings.Contains(strings.ToLower(msg), "did you mean") || strings.Contains(msg, "你是否") {
				t.Errorf("%s (Accept-Language %q): got %q, want the error naming %s without a suggestion", q, lang, msg, unwanted)
			}
		}
	}
	wantStatus(t, s.URL+"/", http.StatusNotFound)
	wantStatus(t, s.URL+"/graphiql/init.js", http.StatusNotFound)

	withPage := s.Replica(t, "", e2e.WithProduction(true))
	wantStatus(t, withPage+"/", http.StatusOK)
	if r, err := e2e.PostOp(withPage, admin, schemaQuery, nil); err != nil || len(r.Errors) > 0 {
		t.Errorf("__schema with GRAPHIQL=on: got %+v (%v), want the answer GraphiQL needs", r.Errors, err)
	}
	if r, err := e2e.PostOp(withPage, admin, misspeltField, nil, "Accept-Language", "en"); err != nil || strings.Contains(r.Errors[0].Message, suggestedField) {
		t.Errorf("%s with GRAPHIQL=on: got %+v (%v), want no suggestion", misspeltField, r.Errors, err)
	}
}

func wantStatus(t *testing.T, u string, want int) {
	t.Helper()
	res, body := e2e.RawRequest(t, http.MethodGet, u, nil)
	if res.StatusCode != want {
		t.Errorf("GET %s: got %d %.100s, want %d", u, res.StatusCode, body, want)
	}
}
