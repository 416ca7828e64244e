package httpapi

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/service"
)

type requestInfoKey struct{}

// requestInfo travels in the context so the log line can name what the request turned out to be.
type requestInfo struct {
	id        string
	websocket bool
	// operation is the one operation of an ordinary request; a websocket's many run concurrently
	// and leave it empty, its line standing for the whole connection.
	operation string
	// timedOut marks an ordinary request whose deadline passed before its operation was done.
	timedOut bool
}

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequest gives every request an id, a locale, its principal and a deadline (long-lived
// requests instead lose the write deadline and end with the server), and logs one line
// for it when it ends.
func (h *Handler) withRequest(d Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: r.Header.Get("X-Request-Id"), websocket: isWebsocket(r)}
		if !requestIDRe.MatchString(info.id) {
			info.id = newRequestID()
		}
		w.Header().Set("X-Request-Id", info.id)
		var until context.Context // the end of a long-lived request; nil for an ordinary one
		switch {
		case info.websocket:
			until = h.longLived
		case isExport(r):
			until = h.exports
		}
		ctx, cancel := h.requestContext(w, r, until)
		defer cancel()
		ctx = context.WithValue(ctx, requestInfoKey{}, info)
		ctx = service.WithLocale(ctx, service.LocaleFromAcceptLanguage(r.Header.Get("Accept-Language")))
		ctx = d.Verifier.Authenticate(ctx, r.Header.Get("Authorization"))
		statements := func() int64 { return 0 }
		if d.CountStatements != nil {
			ctx, statements = d.CountStatements(ctx)
		}
		rw := &responseWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rw, r.WithContext(ctx))
		// Written once per request, so built directly: typed attributes, and no caller program
		// counter (Logger.LogAttrs takes one for source locations, which this log does not print).
		if lh := d.Logger.Handler(); lh.Enabled(ctx, slog.LevelInfo) {
			rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
			rec.AddAttrs(slog.String("request_id", info.id), slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.String("operation", info.operation), slog.Int("status", rw.status),
				slog.Int64("statements", statements()), slog.Int64("duration_us", time.Since(start).Microseconds()))
			if info.timedOut {
				rec.AddAttrs(slog.Bool("timed_out", true))
			}
			_ = lh.Handle(ctx, rec)
		}
	})
}

// requestContext is the context a request runs in. An ordinary request (until nil) gets the
// per-request deadline. A long-lived one gets none, and the write deadline of its connection (the
// server's WriteTimeout) is lifted; it ends when its client goes or when until is done. (A
// websocket's connection loses its deadlines anyway once hijacked; a streamed response keeps its
// connection and needs the lifting.)
func (h *Handler) requestContext(w http.ResponseWriter, r *http.Request, until context.Context) (context.Context, context.CancelFunc) {
	if until == nil {
		return context.WithTimeout(r.Context(), h.limits.RequestTimeout)
	}
	// An error means the connection has no deadline to lift (HTTP/2 streams, test recorders).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	ctx, cancel := context.WithCancel(r.Context())
	stop := context.AfterFunc(until, cancel)
	return ctx, func() { stop(); cancel() }
}

// newRequestID makes a correlation id for logs; it guards nothing, so a fast generator will do.
func newRequestID() string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

// requestIDOf returns the request's id for logs and INTERNAL errors, "" outside a request.
func requestIDOf(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// operationName names the operation for the log line: its given name, else its type.
func operationName(oc *graphql.OperationContext) string {
	if oc.OperationName != "" {
		return oc.OperationName
	}
	if oc.Operation != nil && oc.Operation.Name != "" {
		return oc.Operation.Name
	}
	if oc.Operation != nil {
		return string(oc.Operation.Operation) // anonymous: at least query or mutation
	}
	return ""
}

// responseWriter records the status for the log line. It keeps what the writer underneath can
// do: Flush and Hijack pass through (a websocket upgrade hijacks the connection), and Unwrap
// lets http.ResponseController reach the connection's deadlines.
type responseWriter struct {
	http.ResponseWriter
	status int
}

func (w *responseWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap returns the writer underneath, for http.ResponseController.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush sends what is buffered to the client, when the writer underneath can.
func (w *responseWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// Hijack hands the connection over (websocket upgrades); the request is logged as 101. It fails
// with http.ErrNotSupported when the writer underneath cannot hijack (HTTP/2).
func (w *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil {
		w.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}
