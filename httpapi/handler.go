// Package httpapi is the HTTP edge of the server: routes, request ids, deadlines and size limits,
// the caller's locale and principal, the GraphQL-over-HTTP and websocket transports, the error
// presenter and the request log. It turns HTTP into operations of the GraphQL executor and holds
// no rules and no SQL; everything it knows of the data it learns from the service.
//
// Two kinds of request pass through it. Ordinary requests (a query, a mutation, a health check)
// run under the per-request deadline and the server's read and write timeouts. Long-lived ones
// (a websocket connection; streamed exports will join them) are given their own path: no request
// deadline, no read or write deadline on the connection, and they end when the client leaves or
// the server shuts down.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/graph"
	"github.com/zhuguan/zhuguan/resolvers"
	"github.com/zhuguan/zhuguan/service"
)

// Deps is what the HTTP edge serves from. Service, Verifier and Logger are required.
type Deps struct {
	Service  *service.Service
	Verifier *auth.Verifier
	Logger   *slog.Logger
	// Ready reports whether the server can take traffic (the database answers, the migrations
	// are applied); /readyz answers 503 with the error logged while it fails. Nil: always ready.
	Ready func(context.Context) error
	// CountStatements returns ctx carrying a fresh count of the SQL statements sent on its
	// behalf, and a function that reads the count; the request log line reports it. Nil: no count.
	CountStatements func(context.Context) (context.Context, func() int64)
	// Limits bound what one request may cost; zero fields take DefaultLimits.
	Limits Limits
}

// Handler is the server's whole HTTP surface: /graphql (POST, GET and websocket), GraphiQL at /,
// /healthz and /readyz.
type Handler struct {
	http.Handler
	limits    Limits
	longLived context.Context // canceled when the server shuts down
	closeLong context.CancelFunc
}

// New assembles the handler from d: gqlgen with this package's transports and extensions, the
// limits of d.Limits (zero fields take DefaultLimits), the error presenter, and the routes.
func New(d Deps) *Handler {
	lim := d.Limits.withDefaults()
	longLived, closeLong := context.WithCancel(context.Background())
	h := &Handler{limits: lim, longLived: longLived, closeLong: closeLong}

	gql := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{Service: d.Service}}))
	gql.AddTransport(transport.Options{})
	gql.AddTransport(getTransport{})
	gql.AddTransport(postTransport{})
	gql.AddTransport(websocketTransport(d.Verifier))
	gql.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	gql.SetParserTokenLimit(lim.ParserTokens)
	gql.Use(extension.Introspection{})
	gql.Use(extension.FixedComplexityLimit(lim.Complexity))
	gql.Use(rejectNUL{})
	gql.Use(graph.RefuseIncremental{})
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok {
			info.operation = operationName(oc)
		}
		// Over a websocket several operations share one connection: each gets its own loaders
		// (so nothing cached crosses operations) and, unless it is a subscription, the
		// deadline an HTTP request would have had.
		if _, ok := ctx.Deadline(); !ok && oc.Operation != nil && oc.Operation.Operation != ast.Subscription {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, lim.RequestTimeout)
			context.AfterFunc(ctx, cancel)
		}
		return next(resolvers.WithLoaders(ctx, d.Service))
	})
	gql.SetErrorPresenter(presentError(d.Logger))
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		d.Logger.ErrorContext(ctx, "panic", "request_id", requestIDOf(ctx), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return fmt.Errorf("panic: %v", p)
	})

	ready := d.Ready
	if ready == nil {
		ready = func(context.Context) error { return nil }
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", limitBody(lim.BodyBytes, gql))
	mux.Handle("GET /{$}", playground.Handler("zhuguan GraphiQL", "/graphql"))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			d.Logger.WarnContext(ctx, "not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	h.Handler = h.withRequest(d, mux)
	return h
}

// Server returns an HTTP server for h on addr, with the read and write timeouts that protect
// ordinary requests (long-lived ones lift them for their own connection). Its Shutdown waits
// for ordinary requests in flight and tells long-lived connections to close.
func (h *Handler) Server(addr string) *http.Server {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       h.limits.ReadTimeout,
		WriteTimeout:      h.limits.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	srv.RegisterOnShutdown(h.closeLong)
	return srv
}

// isLongLived tells the requests that take the long-lived path: websocket upgrades.
func isLongLived(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }
