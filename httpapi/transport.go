package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/zhuguan/zhuguan/service"
)

// Media types of GraphQL-over-HTTP responses.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// postTransport and getTransport serve GraphQL over HTTP (graphql-over-http draft). They replace
// gqlgen's transports so that both answer alike (media type from Accept, status codes, no data
// entry when execution never began), and so that a response leaves as one body with a
// Content-Length, written in one piece, the data gqlgen has already encoded copied as is rather
// than re-compacted by encoding/json (3.6% of the server's CPU on the history page).
type postTransport struct{ docs *documents }

var _ graphql.Transport = postTransport{}

// Supports takes a POST with a JSON body that is not a websocket upgrade.
func (postTransport) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == mediaJSON
}

// Do reads the body and runs its operation. It answers 413 for a body over the limit and 400 for
// one that cannot be read, is not UTF-8 or is not a JSON object, each as a BAD_USER_INPUT GraphQL
// error.
func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r.Header.Get("Accept"))
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeErrorBody(w, media, http.StatusRequestEntityTooLarge, service.Message(ctx, "bodyOverLimit", tooLarge.Limit))
			return
		}
		writeErrorBody(w, media, http.StatusBadRequest, service.Message(ctx, "bodyUnreadable"))
		return
	}
	if !utf8.Valid(body) { // JSON is UTF-8 (RFC 8259), and decoding would turn bad bytes into U+FFFD silently
		writeErrorBody(w, media, http.StatusBadRequest, textProblem(ctx, service.Message(ctx, "textBody", invalidUTF8At(body)), string(body)))
		return
	}
	params := &graphql.RawParams{Headers: r.Header}
	if err := decodeJSON(body, params); err != nil {
		writeErrorBody(w, media, http.StatusBadRequest, service.Message(ctx, "bodyNotJSON", jsonProblem(err)))
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, t.docs.executor(exec), media, params, false)
}

// getTransport serves queries sent with GET: query, operationName, and variables and extensions
// as JSON, in the URL. Mutations are refused with 405, as the draft requires.
type getTransport struct{ docs *documents }

var _ graphql.Transport = getTransport{}

// Supports takes a GET that is not a websocket upgrade.
func (getTransport) Supports(r *http.Request) bool {
	return r.Method == http.MethodGet && !isWebsocket(r)
}

// Do reads the operation from the URL and runs it. It answers 400 for a malformed query string, a
// parameter that decodes to U+0000 or invalid UTF-8, or variables and extensions that are not
// JSON, each as a BAD_USER_INPUT GraphQL error.
func (t getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	media := responseMedia(r.Header.Get("Accept"))
	start := graphql.Now()
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeErrorBody(w, media, http.StatusBadRequest, service.Message(ctx, "badURLQuery"))
		return
	}
	for _, name := range slices.Sorted(maps.Keys(q)) { // %FF and %00 decode to bytes no text may hold
		for _, v := range q[name] {
			if msg := textProblem(ctx, service.Message(ctx, "textURLParam", service.Quote(name)), v); msg != "" {
				writeErrorBody(w, media, http.StatusBadRequest, msg)
				return
			}
		}
	}
	params := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName"), Headers: r.Header}
	for _, p := range []struct {
		name string
		into any
	}{{"variables", &params.Variables}, {"extensions", &params.Extensions}} {
		if v := q.Get(p.name); v != "" {
			if err := decodeJSON([]byte(v), p.into); err != nil {
				writeErrorBody(w, media, http.StatusBadRequest, service.Message(ctx, "paramNotJSON", p.name, jsonProblem(err)))
				return
			}
		}
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	execute(w, r, t.docs.executor(exec), media, params, true)
}

// execute runs one operation and writes its response. It answers 400 to a request with neither a
// query nor a persisted query's hash, which is no GraphQL request at all, and to a subscription,
// whose place is the websocket. queriesOnly refuses anything but a query before it runs, also one
// a persisted query's hash stands for: a GET must not change anything.
func execute(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, media string, params *graphql.RawParams, queriesOnly bool) {
	ctx := r.Context()
	if _, persisted := params.Extensions["persistedQuery"]; params.Query == "" && !persisted {
		writeErrorBody(w, media, http.StatusBadRequest, service.Message(ctx, "noQuery"))
		return
	}
	oc, requestErrs := exec.CreateOperationContext(ctx, params)
	if requestErrs != nil {
		// A request error means execution never began, so the response has no data entry.
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, oc), requestErrs)
		writeResponse(w, media, requestErrorStatus(media), resp, false)
		return
	}
	if isSubscription(oc) { // its stream would hold the request until its deadline for one event
		writeErrorBody(w, media, http.StatusBadRequest, service.Message(ctx, "subscriptionOverHTTP"))
		return
	}
	if queriesOnly && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		writeErrorBody(w, media, http.StatusMethodNotAllowed, service.Message(ctx, "getMutation"))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	resp := responses(ctx)
	status := http.StatusOK
	if media == mediaGraphQLResponse && unavailableResponse(resp) {
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", retryAfter)
	}
	writeResponse(w, media, status, resp, true)
}

// unavailableResponse tells a response that has no data because the database was unavailable
// (UNAVAILABLE), which graphql-response+json answers with 503 so that a client or a proxy can
// retry; with data, even partial, the status is 200, as graphql-over-http requires.
func unavailableResponse(resp *graphql.Response) bool {
	if len(resp.Data) != 0 && string(resp.Data) != "null" {
		return false
	}
	for _, e := range resp.Errors {
		if e.Extensions["code"] == CodeUnavailable {
			return true
		}
	}
	return false
}

// privateAnswers marks every answer as the caller's own: what /graphql returns depends on the
// bearer token, the language and the media type asked for, so no shared cache may keep it and a
// private one must tell the callers apart.
func privateAnswers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "private")
		h.Set("Vary", "Authorization, Accept, Accept-Language")
		next.ServeHTTP(w, r)
	})
}

// decodeJSON reads one JSON value, keeping numbers as json.Number as gqlgen expects of variables.
func decodeJSON(b []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(into)
}

// responseMedia picks the response media type from Accept: the first of the two GraphQL media
// types the client lists with a q above 0, in the order listed (q-values do not reorder them), and
// application/json for a wildcard, for nothing acceptable and for no Accept at all (what clients
// written before application/graphql-response+json expect).
func responseMedia(accept string) string {
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, err := strconv.ParseFloat(params["q"], 64); err == nil && q == 0 {
			continue // q=0: explicitly not acceptable
		}
		switch mediaType {
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		case mediaJSON, "*/*", "application/*":
			return mediaJSON
		}
	}
	return mediaJSON
}

// requestErrorStatus follows graphql-over-http: with application/graphql-response+json a request
// that cannot be executed (parse, validation, variable coercion, or refused up front) is a 400;
// with application/json every well-formed request gets 200 and the errors say what went wrong.
func requestErrorStatus(media string) int {
	if media == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// jsonProblem names what is wrong with a request body without echoing the body back, and in the
// client's terms rather than Go's.
func jsonProblem(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return syntax.Error() + " at byte " + strconv.FormatInt(syntax.Offset, 10)
	case errors.As(err, &typ) && typ.Field == "":
		return "expected a JSON object, got " + typ.Value + " (batches of operations are not supported)"
	case errors.As(err, &typ):
		return "field " + strconv.Quote(typ.Field) + " must be " + jsonKind(typ.Type.Kind()) + ", got " + typ.Value
	case errors.Is(err, io.EOF):
		return "empty body"
	default:
		return err.Error()
	}
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return k.String()
	}
}

var responseBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeResponse writes resp as one body. Errors and extensions are small and go through
// encoding/json; data is gqlgen's own encoding and is copied verbatim.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response, withData bool) {
	buf := responseBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // one huge response should not pin its buffer forever
			responseBuffers.Put(buf)
		}
	}()
	buf.WriteByte('{')
	sep := ""
	if len(resp.Errors) > 0 {
		buf.WriteString(`"errors":`)
		writeJSON(buf, resp.Errors, `[{"message":"internal error","extensions":{"code":"INTERNAL"}}]`)
		sep = ","
	}
	if withData {
		buf.WriteString(sep + `"data":`)
		if len(resp.Data) == 0 {
			buf.WriteString("null")
		} else {
			buf.Write(resp.Data)
		}
		sep = ","
	}
	if len(resp.Extensions) > 0 {
		buf.WriteString(sep + `"extensions":`)
		writeJSON(buf, resp.Extensions, `{}`)
	}
	buf.WriteByte('}')
	h := w.Header()
	h.Set("Content-Type", media)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeJSON encodes v, which holds only strings, numbers, maps and lists the server built itself;
// should that ever fail, the response still parses.
func writeJSON(buf *bytes.Buffer, v any, fallback string) {
	b, err := json.Marshal(v)
	if err != nil {
		buf.WriteString(fallback)
		return
	}
	buf.Write(b)
}

// writeErrorBody answers a request refused before GraphQL saw it, in the shape of a GraphQL error
// so that clients read every refusal the same way.
func writeErrorBody(w http.ResponseWriter, media string, status int, message string) {
	msg, _ := json.Marshal(message)
	body := `{"errors":[{"message":` + string(msg) + `,"extensions":{"code":"` + string(service.CodeBadInput) + `"}}]}`
	h := w.Header()
	h.Set("Content-Type", media)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
