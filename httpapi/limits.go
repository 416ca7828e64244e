package httpapi

import (
	"net/http"
	"time"

	"github.com/zhuguan/zhuguan/limits"
	"github.com/zhuguan/zhuguan/service"
)

// Limits keep one client from starving the rest. The zero value of a field means its default.
type Limits struct {
	BodyBytes    int64 // request body; 413 past it
	ParserTokens int   // tokens of one GraphQL document
	// Document bounds the parsed document before it is validated (package limits); each of its
	// zero fields takes its default too.
	Document         limits.Limits
	ValidationErrors int           // validation errors in one response: validation stops at the last
	Cost             int           // the cost of one operation (limits.CostModel), once its variables are known
	RequestTimeout   time.Duration // one ordinary request, or one operation over a websocket
	ReadTimeout      time.Duration // reading an ordinary request, body included
	WriteTimeout     time.Duration // writing an ordinary response
	// PersistedQueries is how many documents the automatic persisted queries keep (the least
	// recently used goes first), and PersistedQueryBytes the longest one kept: together they bound
	// the cache's memory, whoever fills it.
	PersistedQueries    int
	PersistedQueryBytes int
	// Documents is how many validated documents are kept, by their text, so that a repeated query
	// is neither parsed nor validated again; DocumentBytes is the longest text kept. A parsed
	// document takes about 18 times its text's bytes, so together they bound the cache's memory
	// (500 of 4 KiB: about 36 MB) whoever fills it.
	Documents     int
	DocumentBytes int
}

// DefaultLimits are the limits of a server that does not set its own.
var DefaultLimits = Limits{
	BodyBytes:        3 << 20, // the largest importStudents, 5,000 rows, takes 1.2 to 1.9 MB (README)
	ParserTokens:     15000,
	Document:         limits.Defaults,
	ValidationErrors: 50,
	Cost:             1000,
	RequestTimeout:   20 * time.Second,
	ReadTimeout:      15 * time.Second,
	WriteTimeout:     30 * time.Second,

	PersistedQueries:    1000,
	PersistedQueryBytes: 16 << 10,
	Documents:           500,
	DocumentBytes:       4 << 10,
}

// withDefaults returns l with each zero field replaced by DefaultLimits' value.
func (l Limits) withDefaults() Limits {
	d, ld, dd := DefaultLimits, l.Document, DefaultLimits.Document
	return Limits{
		BodyBytes: or(l.BodyBytes, d.BodyBytes), ParserTokens: or(l.ParserTokens, d.ParserTokens),
		Document: limits.Limits{
			Depth: or(ld.Depth, dd.Depth), Aliases: or(ld.Aliases, dd.Aliases), DuplicateFields: or(ld.DuplicateFields, dd.DuplicateFields),
			FragmentSpreads: or(ld.FragmentSpreads, dd.FragmentSpreads),
			Selections:      or(ld.Selections, dd.Selections), Directives: or(ld.Directives, dd.Directives),
		},
		ValidationErrors: or(l.ValidationErrors, d.ValidationErrors),
		Cost:             or(l.Cost, d.Cost), RequestTimeout: or(l.RequestTimeout, d.RequestTimeout),
		ReadTimeout: or(l.ReadTimeout, d.ReadTimeout), WriteTimeout: or(l.WriteTimeout, d.WriteTimeout),
		PersistedQueries: or(l.PersistedQueries, d.PersistedQueries), PersistedQueryBytes: or(l.PersistedQueryBytes, d.PersistedQueryBytes),
		Documents: or(l.Documents, d.Documents), DocumentBytes: or(l.DocumentBytes, d.DocumentBytes),
	}
}

// or is v, or def when v is the zero value.
func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// limitBody answers 413 to a body declared too large and cuts off one that grows too large unannounced.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeErrorBody(w, mediaJSON, http.StatusRequestEntityTooLarge, service.Message(r.Context(), "bodyTooLarge", max, r.ContentLength))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		next.ServeHTTP(w, r)
	})
}
