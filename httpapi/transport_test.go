package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/e2e"
	"github.com/zhuguan/zhuguan/httpapi"
)

// TestGraphQLOverHTTP pins the POST transport to the graphql-over-http draft: media type
// negotiation, status codes of request errors, no data entry when execution never began, and a
// response body sent whole with its length.
func TestGraphQLOverHTTP(t *testing.T) {
	s := e2e.NewServer(t)
	admin := s.Admin(t)
	post := func(t *testing.T, body io.Reader, accept string) (*http.Response, map[string]json.RawMessage, []byte) {
		t.Helper()
		h := []string{"Content-Type", "application/json", "Authorization", "Bearer " + admin}
		if accept != "" {
			h = append(h, "Accept", accept)
		}
		res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", body, h...)
		var out map[string]json.RawMessage
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("status %d body %q: not a JSON object: %v", res.StatusCode, raw, err)
		}
		return res, out, raw
	}
	query := func(q string) io.Reader {
		b, _ := json.Marshal(map[string]any{"query": q})
		return bytes.NewReader(b)
	}

	t.Run("a query's response has its length and the negotiated media type", func(t *testing.T) {
		for _, c := range []struct{ accept, want string }{
			{"", "application/json"},
			{"*/*", "application/json"},
			{"application/json", "application/json"},
			{"application/graphql-response+json", "application/graphql-response+json"},
			{"text/html, application/graphql-response+json;charset=utf-8, application/json;q=0.9", "application/graphql-response+json"},
			{"application/json, application/graphql-response+json", "application/json"},
			{"application/json;q=0, application/graphql-response+json", "application/graphql-response+json"},
		} {
			res, out, raw := post(t, query(`{ me { role } }`), c.accept)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != c.want {
				t.Errorf("Accept %q: got %d %q, want 200 %q", c.accept, res.StatusCode, res.Header.Get("Content-Type"), c.want)
			}
			if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(raw)) {
				t.Errorf("Accept %q: Content-Length %q for a body of %d bytes", c.accept, got, len(raw))
			}
			if string(out["data"]) != `{"me":{"role":"ADMIN"}}` || out["errors"] != nil {
				t.Errorf("Accept %q: body %s, want data.me.role ADMIN and no errors", c.accept, raw)
			}
		}
	})

	t.Run("request errors have no data entry; 400 only with graphql-response+json", func(t *testing.T) {
		for _, c := range []struct {
			name, q, accept string
			status          int
		}{
			{"parse error, application/json", `{ me { role }`, "application/json", http.StatusOK},
			{"parse error, graphql-response+json", `{ me { role }`, "application/graphql-response+json", http.StatusBadRequest},
			{"unknown field, application/json", `{ me { colour } }`, "", http.StatusOK},
			{"unknown field, graphql-response+json", `{ me { colour } }`, "application/graphql-response+json", http.StatusBadRequest},
			{"NUL refused, graphql-response+json", "{ me { role } } # \x00", "application/graphql-response+json", http.StatusBadRequest},
			{"@defer refused", `{ me { role ... @defer { unit { id } } } }`, "", http.StatusOK},
			{"@defer in a fragment refused, graphql-response+json", `{ me { ...F } } fragment F on Viewer { role ... @defer(label: "u") { unit { id } } }`,
				"application/graphql-response+json", http.StatusBadRequest},
		} {
			res, out, raw := post(t, query(c.q), c.accept)
			if res.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d (%s)", c.name, res.StatusCode, c.status, raw)
			}
			if _, ok := out["data"]; ok {
				t.Errorf("%s: body %s has a data entry, but execution never began", c.name, raw)
			}
			if len(out["errors"]) < 3 {
				t.Errorf("%s: body %s, want errors", c.name, raw)
			}
			if strings.Contains(c.q, "@defer") && (!strings.Contains(string(out["errors"]), "不支持 @defer") ||
				!strings.Contains(string(out["errors"]), "GRAPHQL_VALIDATION_FAILED")) {
				t.Errorf("%s: body %s, want a validation error saying @defer is not supported", c.name, raw)
			}
		}
	})

	t.Run("an execution error keeps data and status 200 under either media type", func(t *testing.T) {
		for _, accept := range []string{"application/json", "application/graphql-response+json"} {
			res, out, raw := post(t, query(`{ position(id: "999999") { id } }`), accept)
			if res.StatusCode != http.StatusOK {
				t.Errorf("Accept %q: status %d, want 200 (%s)", accept, res.StatusCode, raw)
			}
			if _, ok := out["data"]; !ok {
				t.Errorf("Accept %q: body %s has no data entry", accept, raw)
			}
		}
	})

	t.Run("a body that is not JSON is a 400 naming the problem, not echoing the body", func(t *testing.T) {
		for _, c := range []struct{ body, want string }{
			{`{"query": "{ me { role } }"`, "unexpected EOF"},
			{`{"query": 42}`, `field "query" must be a string, got number`},
			{`{"query": "{ me { role } }", "variables": []}`, `field "variables" must be an object, got array`},
			{`[{"query": "{ me { role } }"}]`, "expected a JSON object, got array (batches of operations are not supported)"},
			{`{"query": "{ me { role } }", x}`, "invalid character 'x'"},
			{``, "empty body"},
		} {
			res, out, raw := post(t, strings.NewReader(c.body), "")
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("body %q: status %d, want 400", c.body, res.StatusCode)
			}
			var errs []struct {
				Message    string
				Extensions struct{ Code string }
			}
			_ = json.Unmarshal(out["errors"], &errs)
			if len(errs) != 1 || !strings.Contains(errs[0].Message, c.want) || errs[0].Extensions.Code != "BAD_USER_INPUT" {
				t.Errorf("body %q: got %s, want one BAD_USER_INPUT error mentioning %q", c.body, raw, c.want)
			}
			if c.body != "" && strings.Contains(errs[0].Message, c.body) {
				t.Errorf("body %q: the error echoes the body: %s", c.body, raw)
			}
		}
	})

	t.Run("GET answers like POST and refuses mutations", func(t *testing.T) {
		get := func(params url.Values, accept string) (*http.Response, map[string]json.RawMessage, []byte) {
			t.Helper()
			h := []string{"Authorization", "Bearer " + admin}
			if accept != "" {
				h = append(h, "Accept", accept)
			}
			res, raw := e2e.RawRequest(t, http.MethodGet, s.URL+"/graphql?"+params.Encode(), nil, h...)
			var out map[string]json.RawMessage
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatalf("status %d body %q: not a JSON object: %v", res.StatusCode, raw, err)
			}
			return res, out, raw
		}
		res, out, raw := get(url.Values{"query": {`query($f: Int) { positions(first: $f) { totalCount } }`}, "variables": {`{"f": 1}`}}, "")
		if res.StatusCode != http.StatusOK || out["errors"] != nil || res.Header.Get("Content-Length") != strconv.Itoa(len(raw)) {
			t.Errorf("query with variables: got %d %s, want 200 with data and a Content-Length", res.StatusCode, raw)
		}
		res, out, raw = get(url.Values{"query": {`{ me { colour } }`}}, "application/graphql-response+json")
		if _, ok := out["data"]; ok || res.StatusCode != http.StatusBadRequest {
			t.Errorf("invalid query: got %d %s, want 400 and no data entry", res.StatusCode, raw)
		}
		res, _, raw = get(url.Values{"query": {`{ me { role } }`}, "variables": {`{"f": `}}, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "variables") {
			t.Errorf("variables not JSON: got %d %s, want 400 naming variables", res.StatusCode, raw)
		}
		res, _, raw = get(url.Values{"query": {`query Q { me { role } } mutation M { createUnit(input: {name: "GET 单位"}) { unit { id } } }`},
			"operationName": {"M"}}, "")
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "POST" {
			t.Errorf("mutation by GET: got %d %s (Allow %q), want 405 with Allow: POST", res.StatusCode, raw, res.Header.Get("Allow"))
		}
		if got := s.Count(t, "SELECT count(*) FROM units WHERE name = 'GET 单位'"); got != 0 {
			t.Errorf("units created by GET: %d, want 0", got)
		}
	})

	t.Run("a streamed body over the limit is a 413 and runs nothing", func(t *testing.T) {
		limit := httpapi.DefaultLimits.BodyBytes
		q := `mutation { createUnit(input: {name: "流式大单位"}) { unit { id } } }` + strings.Repeat(" ", int(limit))
		b, _ := json.Marshal(map[string]any{"query": q})
		// Hiding the length makes the client send the body chunked, so only reading it can tell.
		res, out, raw := post(t, io.MultiReader(bytes.NewReader(b)), "")
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(out["errors"]), strconv.FormatInt(limit, 10)) {
			t.Errorf("status %d body %.200s, want 413 naming the limit of %d bytes", res.StatusCode, raw, limit)
		}
		if got := s.Count(t, "SELECT count(*) FROM units WHERE name = '流式大单位'"); got != 0 {
			t.Errorf("units created: %d, want 0", got)
		}
	})
}

// TestAccountsTransport covers what every client meets before any resolver runs: GET and POST,
// OPTIONS, the health and GraphiQL routes, the body limit and the X-Request-Id header.
func TestAccountsTransport(t *testing.T) {
	s := e2e.NewServer(t)
	admin := s.Admin(t)
	authH := []string{"Authorization", "Bearer " + admin}

	t.Run("GET query with a token", func(t *testing.T) {
		res, raw := e2e.RawRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape("{me{role}}"), nil, authH...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status: got %d (%s), want 200", res.StatusCode, raw)
		}
		var out struct {
			Data struct{ Me struct{ Role string } }
		}
		if err := json.Unmarshal(raw, &out); err != nil || out.Data.Me.Role != "ADMIN" {
			t.Fatalf("body: got %s, want me.role ADMIN", raw)
		}
	})

	t.Run("GET query without a token", func(t *testing.T) {
		_, raw := e2e.RawRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape("{me{role}}"), nil)
		var out e2e.Response
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("body %s: %v", raw, err)
		}
		if out.Code() != "UNAUTHENTICATED" {
			t.Fatalf("code: got %q (%s), want UNAUTHENTICATED", out.Code(), raw)
		}
	})

	t.Run("GET with a mutation is refused", func(t *testing.T) {
		q := `mutation { createUnit(input: {name: "GET单位"}) { unit { id } } }`
		res, raw := e2e.RawRequest(t, http.MethodGet, s.URL+"/graphql?query="+url.QueryEscape(q), nil, authH...)
		if res.StatusCode < 400 {
			t.Errorf("status: got %d, want 4xx", res.StatusCode)
		}
		if !bytes.Contains(raw, []byte(`"errors"`)) {
			t.Errorf("body: got %s, want errors", raw)
		}
		if got := s.Count(t, "SELECT count(*) FROM units"); got != 0 {
			t.Errorf("units: got %d, want 0 (the mutation ran)", got)
		}
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("status: got %d, want 405 Method Not Allowed (GraphQL over HTTP: a GET may not run a mutation)", res.StatusCode)
		}
	})

	t.Run("OPTIONS", func(t *testing.T) {
		res, _ := e2e.RawRequest(t, http.MethodOptions, s.URL+"/graphql", nil)
		if res.StatusCode/100 != 2 {
			t.Fatalf("status: got %d, want 2xx", res.StatusCode)
		}
		allow := res.Header.Get("Allow")
		if !strings.Contains(allow, "POST") || !strings.Contains(allow, "GET") {
			t.Errorf("Allow: got %q, want GET and POST", allow)
		}
	})

	t.Run("health, readiness and GraphiQL", func(t *testing.T) {
		for _, p := range []string{"/healthz", "/readyz"} {
			res, raw := e2e.RawRequest(t, http.MethodGet, s.URL+p, nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: got %d %s, want 200", p, res.StatusCode, raw)
			}
		}
		res, raw := e2e.RawRequest(t, http.MethodGet, s.URL+"/", nil)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(strings.ToLower(string(raw)), "<html") {
			t.Errorf("GraphiQL: got %d %q %.80s, want 200 text/html", res.StatusCode, res.Header.Get("Content-Type"), raw)
		}
		res, _ = e2e.RawRequest(t, http.MethodGet, s.URL+"/nope", nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("/nope: got %d, want 404", res.StatusCode)
		}
	})

	limit := int(httpapi.DefaultLimits.BodyBytes)
	t.Run("body over the limit is refused", func(t *testing.T) {
		q := `mutation { createUnit(input: {name: "大单位"}) { unit { id } } }` + strings.Repeat(" ", limit)
		body, _ := json.Marshal(map[string]any{"query": q})
		res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", bytes.NewReader(body), append([]string{"Content-Type", "application/json"}, authH...)...)
		if got := s.Count(t, "SELECT count(*) FROM units"); got != 0 {
			t.Fatalf("units: got %d, want 0 (the oversized mutation ran)", got)
		}
		if res.StatusCode == http.StatusOK && !bytes.Contains(raw, []byte(`"errors"`)) {
			t.Fatalf("response: got %d %.200s, want a refusal", res.StatusCode, raw)
		}
		if len(raw) > 64<<10 {
			t.Errorf("response size: got %d bytes, want a short error (not the echoed body)", len(raw))
		}
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status: got %d (body %.160s), want 413 Request Entity Too Large", res.StatusCode, raw)
		}
	})

	t.Run("body just under the limit is served", func(t *testing.T) {
		q := `{ me { role } }` + strings.Repeat(" ", limit-200)
		body, _ := json.Marshal(map[string]any{"query": q})
		res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", bytes.NewReader(body), append([]string{"Content-Type", "application/json"}, authH...)...)
		if res.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte(`"ADMIN"`)) {
			t.Fatalf("response: got %d %.200s, want me.role ADMIN", res.StatusCode, raw)
		}
	})

	t.Run("X-Request-Id", func(t *testing.T) {
		sane := regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
		post := func(id string) string {
			h := []string{"Content-Type", "application/json"}
			if id != "" {
				h = append(h, "X-Request-Id", id)
			}
			res, _ := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{"query":"{ me { role } }"}`), append(h, authH...)...)
			return res.Header.Get("X-Request-Id")
		}
		a, b := post(""), post("")
		if !sane.MatchString(a) || !sane.MatchString(b) || a == b {
			t.Errorf("generated ids: got %q and %q, want two distinct sane ids", a, b)
		}
		if got := post("req-2026.11_15-abc"); got != "req-2026.11_15-abc" {
			t.Errorf("echo: got %q, want req-2026.11_15-abc", got)
		}
		for _, bad := range []string{"has space", "<script>", "a\"b", strings.Repeat("x", 65), "id;rm -rf"} {
			got := post(bad)
			if got == bad || !sane.MatchString(got) {
				t.Errorf("incoming %q: got %q, want a fresh sane id", bad, got)
			}
		}
		res, _ := e2e.RawRequest(t, http.MethodGet, s.URL+"/healthz", nil, "X-Request-Id", "health-1")
		if got := res.Header.Get("X-Request-Id"); got != "health-1" {
			t.Errorf("healthz X-Request-Id: got %q, want health-1", got)
		}
	})
}

// Only a websocket upgrade takes the websocket's long-lived path: a POST that merely carries an
// Upgrade header is an ordinary request, served, and under the request's limits.
func TestUpgradeHeaderOnAPost(t *testing.T) {
	s := e2e.NewServer(t)
	res, raw := e2e.RawRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{"query": "{ me { role } }"}`),
		"Content-Type", "application/json", "Authorization", "Bearer "+s.Admin(t), "Upgrade", "websocket", "Connection", "Upgrade")
	if res.StatusCode != http.StatusOK || string(raw) != `{"data":{"me":{"role":"ADMIN"}}}` {
		t.Errorf("POST with Upgrade: got %d %s, want 200 and the admin", res.StatusCode, raw)
	}
}
