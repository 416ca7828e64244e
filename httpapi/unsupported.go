package httpapi

import (
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/service"
)

// unsupportedTransport takes, last, the requests to /graphql that no other transport serves, so
// that they too are refused as a GraphQL error with a code, in the caller's language, rather
// than with gqlgen's bare "transport not supported".
type unsupportedTransport struct{}

var _ graphql.Transport = unsupportedTransport{}

// Supports takes everything; the transports added before it get the first pick.
func (unsupportedTransport) Supports(*http.Request) bool { return true }

// Do answers 415 to a POST whose body is not declared application/json and 405, naming GET and
// POST (and OPTIONS), to any other method, each as a BAD_USER_INPUT GraphQL error.
func (unsupportedTransport) Do(w http.ResponseWriter, r *http.Request, _ graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r.Header.Get("Accept"))
	if r.Method == http.MethodPost {
		writeErrorBody(w, media, http.StatusUnsupportedMediaType, service.Message(ctx, "notJSONMedia", service.Quote(r.Header.Get("Content-Type"))))
		return
	}
	w.Header().Set("Allow", "OPTIONS, GET, POST")
	writeErrorBody(w, media, http.StatusMethodNotAllowed, service.Message(ctx, "methodNotAllowed", r.Method))
}
