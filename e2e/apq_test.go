package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/httpapi"
)

// Automatic persisted queries (Apollo protocol): a query sent once with its hash is afterwards
// run from the hash alone, over POST or GET; GET answers are the caller's own.

// sha256Hex is the hash a client sends for q.
func sha256Hex(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

// persistedQueryExt is extensions.persistedQuery for hash.
func persistedQueryExt(hash string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
}

// postPersisted posts query (none when "") with the extensions ext, as token.
func (s *Server) postPersisted(t *testing.T, token, query string, ext, vars map[string]any, headers ...string) (*http.Response, Response) {
	t.Helper()
	body := map[string]any{"extensions": ext, "variables": vars}
	if query != "" {
		body["query"] = query
	}
	b, _ := json.Marshal(body)
	h := append([]string{"Content-Type", "application/json", "Authorization", "Bearer " + token}, headers...)
	res, raw := RawRequest(t, http.MethodPost, s.URL+"/graphql", bytes.NewReader(b), h...)
	return res, decodeResponse(t, res, raw)
}

// getPersisted sends only the hash and the variables, in the URL, as token.
func (s *Server) getPersisted(t *testing.T, token, hash string, vars map[string]any, headers ...string) (*http.Response, Response) {
	t.Helper()
	ext, _ := json.Marshal(persistedQueryExt(hash))
	q := url.Values{"extensions": {string(ext)}}
	if vars != nil {
		v, _ := json.Marshal(vars)
		q.Set("variables", string(v))
	}
	h := append([]string{"Authorization", "Bearer " + token}, headers...)
	res, raw := RawRequest(t, http.MethodGet, s.URL+"/graphql?"+q.Encode(), nil, h...)
	return res, decodeResponse(t, res, raw)
}

func decodeResponse(t *testing.T, res *http.Response, raw []byte) Response {
	t.Helper()
	var r Response
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("status %d, body %q: %v", res.StatusCode, raw, err)
	}
	r.Status = res.StatusCode
	return r
}

// wantPrivate fails unless res may be kept by no shared cache, and by a private one only per token.
func wantPrivate(t *testing.T, res *http.Response) {
	t.Helper()
	if got := res.Header.Get("Cache-Control"); got != "private" {
		t.Errorf("Cache-Control: got %q, want private", got)
	}
	if got := res.Header.Get("Vary"); !strings.Contains(got, "Authorization") {
		t.Errorf("Vary: got %q, want it to name Authorization", got)
	}
}

func TestPersistedQueryRoundTrip(t *testing.T) {
	s := NewServer(t)
	s.SeedStudents(t, "20160001", "20160002")
	a, b := s.Student(t, "20160001"), s.Student(t, "20160002")
	const q = `query Me { me { role student { studentNo } } }`
	hash := sha256Hex(q)
	type me struct {
		Me struct{ Student struct{ StudentNo string } }
	}

	res, r := s.getPersisted(t, a, hash, nil)
	WantTopLevel(t, r, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
	if r.Status != http.StatusOK {
		t.Errorf("unknown hash over application/json: status %d, want 200", r.Status)
	}
	wantPrivate(t, res)
	_, r = s.getPersisted(t, a, hash, nil, "Accept", "application/graphql-response+json")
	if r.Status != http.StatusBadRequest || r.Code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Errorf("unknown hash over graphql-response+json: got %d %q, want 400 PERSISTED_QUERY_NOT_FOUND", r.Status, r.Code())
	}

	res, r = s.postPersisted(t, a, q, persistedQueryExt(hash), nil)
	var got me
	r.Decode(t, &got)
	if got.Me.Student.StudentNo != "20160001" {
		t.Fatalf("registering POST: got student %q, want 20160001", got.Me.Student.StudentNo)
	}
	wantPrivate(t, res)

	for _, c := range []struct{ token, want string }{{a, "20160001"}, {b, "20160002"}} {
		res, r := s.getPersisted(t, c.token, hash, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET by hash: status %d, want 200 (%+v)", r.Status, r.Errors)
		}
		wantPrivate(t, res)
		var got me
		r.Decode(t, &got)
		if got.Me.Student.StudentNo != c.want {
			t.Errorf("GET by hash: got student %q, want %s, the token's own", got.Me.Student.StudentNo, c.want)
		}
	}

	_, r = s.postPersisted(t, b, "", persistedQueryExt(strings.ToUpper(hash)), nil)
	r.Decode(t, &got)
	if got.Me.Student.StudentNo != "20160002" {
		t.Errorf("POST by hash (in capitals): got student %q, want 20160002", got.Me.Student.StudentNo)
	}
}

func TestPersistedQueryRefusals(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	const q = `{ me { role } }`
	ext := func(pq any) map[string]any { return map[string]any{"persistedQuery": pq} }

	for _, c := range []struct {
		name, query string
		ext         map[string]any
		code        string
		parts       []string
	}{
		{"hash of another query", q, persistedQueryExt(sha256Hex(q + " ")), "PERSISTED_QUERY_HASH_MISMATCH",
			[]string{sha256Hex(q + " "), sha256Hex(q), "is not the SHA-256 of the query sent"}},
		{"version 2", "", ext(map[string]any{"version": 2, "sha256Hash": sha256Hex(q)}), "BAD_USER_INPUT",
			[]string{"extensions.persistedQuery.version must be 1, got 2"}},
		{"version as a string", q, ext(map[string]any{"version": "1", "sha256Hash": sha256Hex(q)}), "BAD_USER_INPUT",
			[]string{`version must be 1, got "1"`}},
		{"hash not hex", "", ext(map[string]any{"version": 1, "sha256Hash": "abc"}), "BAD_USER_INPUT",
			[]string{`sha256Hash must be the query's SHA-256 as 64 hex digits, got "abc"`}},
		{"no hash", "", ext(map[string]any{"version": 1}), "BAD_USER_INPUT", []string{"sha256Hash", "got null"}},
		{"not an object", q, ext("yes"), "BAD_USER_INPUT", []string{"must be an object", `got "yes"`}},
	} {
		_, r := s.postPersisted(t, admin, c.query, c.ext, nil, English...)
		t.Run(c.name, func(t *testing.T) { WantTopLevel(t, r, c.code, c.parts...) })
	}

	t.Run("messages in Chinese by default", func(t *testing.T) {
		_, r := s.postPersisted(t, admin, q, persistedQueryExt(sha256Hex("{ me { unit { id } } }")), nil)
		WantTopLevel(t, r, "PERSISTED_QUERY_HASH_MISMATCH")
		if !HasChinese(r.Errors[0].Message) {
			t.Errorf("message: got %q, want Chinese", r.Errors[0].Message)
		}
	})

	t.Run("a document that does not validate is not kept", func(t *testing.T) {
		const bad = `{ me { colour } }`
		_, r := s.postPersisted(t, admin, bad, persistedQueryExt(sha256Hex(bad)), nil)
		WantTopLevel(t, r, "GRAPHQL_VALIDATION_FAILED", "colour")
		_, r = s.getPersisted(t, admin, sha256Hex(bad), nil)
		WantTopLevel(t, r, "PERSISTED_QUERY_NOT_FOUND")
	})

	t.Run("neither query nor hash is a bad request", func(t *testing.T) {
		res, raw := RawRequest(t, http.MethodPost, s.URL+"/graphql", strings.NewReader(`{"qeury": "{ me { role } }"}`),
			"Content-Type", "application/json", "Accept-Language", "en")
		r := decodeResponse(t, res, raw)
		if r.Status != http.StatusBadRequest {
			t.Errorf("POST: status %d, want 400", r.Status)
		}
		WantTopLevel(t, r, "BAD_USER_INPUT", "the request has no query")
		res, raw = RawRequest(t, http.MethodGet, s.URL+"/graphql?variables=%7B%7D", nil)
		if r := decodeResponse(t, res, raw); r.Status != http.StatusBadRequest || r.Code() != "BAD_USER_INPUT" {
			t.Errorf("GET: got %d %q, want 400 BAD_USER_INPUT", r.Status, r.Code())
		}
	})
}

func TestPersistedMutation(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	const m = `mutation Unit($n: String!) { createUnit(input: {name: $n}) { unit { name } userErrors { code } } }`
	hash := sha256Hex(m)
	units := func() int { return s.Count(t, `SELECT count(*) FROM units`) }

	_, r := s.postPersisted(t, admin, m, persistedQueryExt(hash), map[string]any{"n": "药学院"})
	r.Decode(t, &struct{}{})
	if got := units(); got != 1 {
		t.Fatalf("units after the registering POST: got %d, want 1", got)
	}

	res, r := s.getPersisted(t, admin, hash, map[string]any{"n": "护理学院"})
	if r.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != http.MethodPost {
		t.Errorf("mutation by hash over GET: got %d, Allow %q, want 405, Allow POST", r.Status, res.Header.Get("Allow"))
	}
	WantTopLevel(t, r, "BAD_USER_INPUT")
	if got := units(); got != 1 {
		t.Errorf("units after the GET: got %d, want 1 (the GET ran the mutation)", got)
	}

	_, r = s.postPersisted(t, admin, "", persistedQueryExt(hash), map[string]any{"n": "护理学院"})
	var out struct {
		CreateUnit struct{ Unit struct{ Name string } }
	}
	r.Decode(t, &out)
	if out.CreateUnit.Unit.Name != "护理学院" || units() != 2 {
		t.Errorf("mutation by hash over POST: got unit %q and %d units, want 护理学院 and 2", out.CreateUnit.Unit.Name, units())
	}
}

func TestPersistedQueriesBounded(t *testing.T) {
	s := NewServer(t, WithLimits(httpapi.Limits{PersistedQueries: 2, PersistedQueryBytes: 64, Cost: 2}))
	admin := s.Admin(t)
	qs := []string{`{ me { role } }`, `{ me { unit { id } } }`, `{ me { student { name } } }`}
	register := func(q string) {
		t.Helper()
		_, r := s.postPersisted(t, admin, q, persistedQueryExt(sha256Hex(q)), nil)
		r.Decode(t, &struct{}{})
	}
	kept := func(q string) bool {
		t.Helper()
		_, r := s.getPersisted(t, admin, sha256Hex(q), nil)
		if r.Code() == "PERSISTED_QUERY_NOT_FOUND" {
			return false
		}
		r.Decode(t, &struct{}{})
		return true
	}

	register(qs[0])
	register(qs[1])
	if !kept(qs[0]) { // and qs[0] is now the more recently used
		t.Fatalf("%s: not kept, want kept", qs[0])
	}
	register(qs[2])
	for i, want := range []bool{true, false, true} {
		if got := kept(qs[i]); got != want {
			t.Errorf("%s kept: got %v, want %v (two kept, the least recently used evicted)", qs[i], got, want)
		}
	}

	// The limits apply to a query sent with its hash as to any, and what they refuse is not kept.
	const complex = `{ me { role unit { id name } student { name } } }`
	_, r := s.postPersisted(t, admin, complex, persistedQueryExt(sha256Hex(complex)), nil)
	WantTopLevel(t, r, httpapi.CodeCostLimit)
	if kept(complex) {
		t.Errorf("%s: kept, want refused (cost 3, limit 2) and not kept", complex)
	}
	if !kept(qs[0]) || !kept(qs[2]) {
		t.Errorf("a refused document evicted a kept one")
	}

	long := `{ me { role } }` + strings.Repeat(" ", 64)
	register(long)
	if kept(long) {
		t.Errorf("a %d-byte document: kept, want run but not kept (limit 64 bytes)", len(long))
	}
}
