package main

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/jmoiron/sqlx"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/graph"
	"github.com/zhuguan/zhuguan/resolvers"
	"github.com/zhuguan/zhuguan/service"
)

// Limits that keep one client from starving the rest.
const (
	maxBodyBytes    = 1 << 20
	maxParserTokens = 15000
	maxComplexity   = 5000
	requestTimeout  = 20 * time.Second
)

// newHandler assembles the HTTP surface: /graphql, GraphiQL at /, /healthz and /readyz.
func newHandler(d *sqlx.DB, verifier *auth.Verifier, logger *slog.Logger, opts ...service.Option) http.Handler {
	svc := service.New(db.NewStore(d), opts...)
	gql := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{Service: svc}}))
	gql.AddTransport(transport.Options{})
	gql.AddTransport(getTransport{})
	gql.AddTransport(postTransport{})
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.SetParserTokenLimit(maxParserTokens)
	gql.Use(extension.Introspection{})
	gql.Use(extension.FixedComplexityLimit(maxComplexity))
	gql.Use(rejectNUL{})
	gql.Use(graph.RefuseIncremental{})
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
			info.operation = operationName(graphql.GetOperationContext(ctx))
		}
		return next(ctx)
	})
	gql.SetErrorPresenter(presentError(logger))
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		logger.ErrorContext(ctx, "panic", "request_id", requestIDOf(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return fmt.Errorf("panic: %v", p)
	})

	mux := http.NewServeMux()
	mux.Handle("/graphql", limitBody(resolvers.Middleware(svc, gql)))
	mux.Handle("GET /{$}", playground.Handler("zhuguan GraphiQL", "/graphql"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ready(ctx, d); err != nil {
			logger.WarnContext(ctx, "not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	return withRequest(verifier, logger, mux)
}

type requestInfoKey struct{}

// requestInfo travels in the context so the log line can name what the request turned out to be.
type requestInfo struct {
	id        string
	operation string
}

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequest gives every request an id, a deadline, a locale and its principal, and logs one
// line for it when it ends.
func withRequest(verifier *auth.Verifier, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: r.Header.Get("X-Request-Id")}
		if !requestIDRe.MatchString(info.id) {
			info.id = newRequestID()
		}
		w.Header().Set("X-Request-Id", info.id)
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		ctx = context.WithValue(ctx, requestInfoKey{}, info)
		ctx = service.WithLocale(ctx, service.LocaleFromAcceptLanguage(r.Header.Get("Accept-Language")))
		ctx = verifier.Authenticate(ctx, r.Header.Get("Authorization"))
		ctx, stmts := db.WithStatementCount(ctx)
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r.WithContext(ctx))
		// Written once per request, so built directly: typed attributes, and no caller program
		// counter (Logger.LogAttrs takes one for source locations, which this log does not print).
		if h := logger.Handler(); h.Enabled(ctx, slog.LevelInfo) {
			rec := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
			rec.AddAttrs(slog.String("request_id", info.id), slog.String("method", r.Method),
				slog.String("path", r.URL.Path), slog.String("operation", info.operation), slog.Int("status", sw.status),
				slog.Int64("statements", stmts.Load()), slog.Int64("duration_us", time.Since(start).Microseconds()))
			_ = h.Handle(ctx, rec)
		}
	})
}

// newRequestID makes a correlation id for logs; it guards nothing, so a fast generator will do.
func newRequestID() string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

func requestIDOf(ctx context.Context) string {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

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

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// presentError is the one place errors become GraphQL errors. Service errors carry a safe message
// and a code; gqlgen's own parse, validation and argument errors are safe as they are; anything
// else is logged with the request id and shown only as INTERNAL.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := graphql.DefaultErrorPresenter(ctx, err)
		var se *service.Error
		var ge *gqlerror.Error
		switch {
		case errors.As(err, &se):
			out.Message = se.Message
			out.Extensions = map[string]any{"code": string(se.Code)}
		case errors.As(err, &ge) && ge.Err == nil:
			// gqlgen's own verdict on the document or the variables: nothing of ours inside.
			if out.Extensions == nil {
				out.Extensions = map[string]any{}
			}
			if _, ok := out.Extensions["code"]; !ok {
				out.Extensions["code"] = string(service.CodeBadInput)
			}
		default:
			rid := requestIDOf(ctx)
			logger.ErrorContext(ctx, "internal error", "request_id", rid, "err", err.Error(), "path", out.Path.String())
			out.Message = service.Message(ctx, "internal", rid)
			out.Extensions = map[string]any{"code": "INTERNAL", "requestId": rid}
		}
		return out
	}
}

// limitBody answers 413 to a body declared too large and cuts off one that grows too large unannounced.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBodyBytes {
			writeErrorBody(w, mediaJSON, http.StatusRequestEntityTooLarge, service.Message(r.Context(), "bodyTooLarge", maxBodyBytes, r.ContentLength))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// rejectNUL refuses an operation whose text or variables hold U+0000, which PostgreSQL text cannot
// store: one clear error up front instead of a driver failure deep inside.
type rejectNUL struct{}

func (rejectNUL) ExtensionName() string                   { return "RejectNUL" }
func (rejectNUL) Validate(graphql.ExecutableSchema) error { return nil }

func (rejectNUL) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if strings.ContainsRune(oc.RawQuery, 0) || strings.Contains(oc.RawQuery, `\u0000`) || hasNUL(oc.Variables) {
		return &gqlerror.Error{Message: service.Message(ctx, "nulChar"), Extensions: map[string]any{"code": string(service.CodeBadInput)}}
	}
	return nil
}

func hasNUL(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.ContainsRune(x, 0)
	case map[string]any:
		for k, e := range x {
			if strings.ContainsRune(k, 0) || hasNUL(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasNUL(e) {
				return true
			}
		}
	}
	return false
}
