package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// Codes of the automatic persisted queries' errors.
const (
	codePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"
	codePersistedQueryMismatch = "PERSISTED_QUERY_HASH_MISMATCH"
)

// persistedQueryNotFound is the Apollo protocol's message for an unknown hash, sent as it is in
// every language: Apollo Kotlin and Apollo iOS recognise the error by this exact message (not by
// its code) and resend the operation with its query. No person reads it.
const persistedQueryNotFound = "PersistedQueryNotFound"

// persistedQueries serves Apollo's automatic persisted queries: a client sends
// extensions.persistedQuery {version: 1, sha256Hash} with or without the query; with it, the query
// is checked against the hash and kept; without it, the query kept for the hash is used, or the
// request fails with PERSISTED_QUERY_NOT_FOUND and the client sends it again with the query.
//
// It replaces gqlgen's extension.AutomaticPersistedQuery, whose errors are English sentences
// without codes, and which keeps a document before it is known to parse and validate. Here the
// query is swapped in before parsing (documents resolves it first), so a persisted query meets
// the same token, document, cost and method checks as one sent in full, and it is kept
// only once the document passed validation and every operation check. The cache holds at most a
// bounded number of documents, each at most maxBytes long; a longer document runs but is not
// kept.
type persistedQueries struct {
	cache    graphql.Cache[string]
	maxBytes int
}

// newPersistedQueries keeps up to entries documents of at most maxBytes each, evicting the least
// recently used.
func newPersistedQueries(entries, maxBytes int) persistedQueries {
	return persistedQueries{cache: lru.New[string](entries), maxBytes: maxBytes}
}

// resolve sets raw.Query to the document kept for a hash sent without a query. For a query sent
// with its hash it returns the hash, for keep once the operation passed its checks; for one too
// long to keep, or a request without a persisted query, "". It returns BAD_USER_INPUT for an
// extension that is not {version: 1, sha256Hash: 64 hex digits}, PERSISTED_QUERY_HASH_MISMATCH
// when the query sent is not the hash's, and PERSISTED_QUERY_NOT_FOUND for a hash without a query
// that is not kept (never sent, or evicted).
func (p persistedQueries) resolve(ctx context.Context, raw *graphql.RawParams) (string, *gqlerror.Error) {
	ext, ok := raw.Extensions["persistedQuery"]
	if !ok {
		return "", nil
	}
	hash, err := persistedQueryHash(ctx, ext)
	if err != nil {
		return "", err
	}
	if raw.Query == "" {
		q, ok := p.cache.Get(ctx, hash)
		if !ok {
			return "", &gqlerror.Error{Message: persistedQueryNotFound, Extensions: map[string]any{"code": codePersistedQueryNotFound}}
		}
		raw.Query = q
		return "", nil
	}
	sum := sha256.Sum256([]byte(raw.Query))
	if got := hex.EncodeToString(sum[:]); got != hash {
		return "", &gqlerror.Error{
			Message:    service.Message(ctx, "persistedQueryMismatch", hash, got),
			Extensions: map[string]any{"code": codePersistedQueryMismatch},
		}
	}
	if len(raw.Query) > p.maxBytes {
		return "", nil
	}
	return hash, nil
}

// keep remembers query for hash, which resolve returned for it.
func (p persistedQueries) keep(ctx context.Context, hash, query string) {
	p.cache.Add(ctx, hash, query)
}

// persistedQueryHash reads extensions.persistedQuery and returns its hash in lower case; the
// error, BAD_USER_INPUT, names the field that is wrong and what was found.
func persistedQueryHash(ctx context.Context, ext any) (string, *gqlerror.Error) {
	bad := func(key string, found any) *gqlerror.Error {
		return &gqlerror.Error{Message: service.Message(ctx, key, shown(found)), Extensions: map[string]any{"code": string(service.CodeBadInput)}}
	}
	m, ok := ext.(map[string]any)
	if !ok {
		return "", bad("persistedQueryShape", ext)
	}
	switch v := m["version"].(type) {
	case json.Number: // how our transports decode numbers
		ok = v.String() == "1"
	case float64: // how the websocket transport does
		ok = v == 1
	default:
		ok = false
	}
	if !ok {
		return "", bad("persistedQueryVersion", m["version"])
	}
	hash, _ := m["sha256Hash"].(string)
	if _, err := hex.DecodeString(hash); err != nil || len(hash) != 2*sha256.Size {
		return "", bad("persistedQueryHash", m["sha256Hash"])
	}
	return strings.ToLower(hash), nil
}

// shown is v as JSON, cut short: what the client sent, quoted back in an error.
func shown(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	if r := []rune(string(b)); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return string(b)
}
