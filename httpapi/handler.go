// Package httpapi is the HTTP edge of the server: routes, request ids, deadlines and size limits,
// the caller's locale and principal, the GraphQL-over-HTTP and websocket transports, the error
// presenter and the request log. It turns HTTP into operations of the GraphQL executor and holds
// no rules and no SQL; everything it knows of the data it learns from the service.
//
// Two kinds of request pass through it. Ordinary requests (a query, a mutation, a health check)
// run under the per-request deadline and the server's read and write timeouts. Long-lived ones
// (a websocket connection, a streamed CSV export) are given their own path: no request deadline
// and no write deadline on the connection; they end when the client leaves or the server shuts
// down (exports as soon as http.Server.Shutdown begins, websockets at Handler.Shutdown).
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/graph"
	"github.com/zhuguan/zhuguan/httpapi/graphiql"
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
	// Listener reports whether the database listener that feeds subscriptions has its LISTEN
	// established; /readyz answers 503 while it fails. Nil: there is no listener to wait for.
	Listener func() error
	// CountStatements returns ctx carrying a fresh count of the SQL statements sent on its
	// behalf, and a function that reads the count; the request log line reports it. Nil: no count.
	CountStatements func(context.Context) (context.Context, func() int64)
	// Limits bound what one request may cost; zero fields take DefaultLimits.
	Limits Limits
	// Production turns off what helps a developer and an attacker alike: introspection (an
	// operation asking for __schema or __type is refused; __typename still answers), the names
	// validation messages suggest ("did you mean ..."), and GraphiQL (but see GraphiQL). The zero value is
	// development: all three on.
	Production bool
	// GraphiQL serves the GraphiQL page at / in production too, with the introspection it cannot
	// work without (suggestions stay off); in development both are always on.
	GraphiQL bool
}

// Handler is the server's whole HTTP surface: /graphql (POST, GET and websocket), the CSV exports
// under /export/, GraphiQL at /, /healthz and /readyz (see Readiness).
type Handler struct {
	http.Handler
	limits    Limits
	longLived context.Context // canceled when the server shuts down
	closeLong context.CancelFunc
	ops       liveOperations  // the operations running over websockets
	exports   context.Context // canceled when the server begins to shut down
	endExport context.CancelFunc
}

// New assembles the handler from d: gqlgen with this package's transports and extensions, the
// limits of d.Limits (zero fields take DefaultLimits), the error presenter, and the routes.
func New(d Deps) *Handler {
	lim := d.Limits.withDefaults()
	longLived, closeLong := context.WithCancel(context.Background())
	exports, endExport := context.WithCancel(context.Background())
	h := &Handler{limits: lim, longLived: longLived, closeLong: closeLong, exports: exports, endExport: endExport}

	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{Service: d.Service}})
	gql := handler.New(schema)
	// Our transports parse and validate (docs); gqlgen takes the document from preparedCache.
	docs := newDocuments(schema.Schema(), lim, !d.Production, newPersistedQueries(lim.PersistedQueries, lim.PersistedQueryBytes))
	gql.AddTransport(transport.Options{})
	gql.AddTransport(getTransport{docs})
	gql.AddTransport(postTransport{docs})
	gql.AddTransport(websocketTransport{websocket(d.Verifier), docs})
	gql.AddTransport(unsupportedTransport{})
	gql.SetQueryCache(preparedCache{})
	introspection := !d.Production || d.GraphiQL
	if introspection {
		gql.Use(extension.Introspection{})
	}
	gql.Use(newCostLimit(lim.Cost, introspection))
	gql.Use(rejectNUL{})
	gql.Use(oneStream{})
	gql.Use(graph.RefuseIncremental{})
	gql.Use(deadline{timeout: lim.RequestTimeout, logger: d.Logger})
	gql.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		oc := graphql.GetOperationContext(ctx)
		info, _ := ctx.Value(requestInfoKey{}).(*requestInfo)
		if info != nil && !info.websocket {
			info.operation = operationName(oc)
		}
		ctx = resolvers.WithLoaders(ctx, d.Service) // per operation: nothing cached crosses operations
		if info == nil || !info.websocket || oc.Operation == nil || isSubscription(oc) {
			return next(ctx)
		}
		// An operation over a websocket gets the deadline an HTTP request would have had, and
		// holds shutdown back until it is done.
		if !h.ops.start() {
			return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{Message: service.Message(ctx, "shuttingDown"),
				Extensions: map[string]any{"code": codeShuttingDown}}}})
		}
		ctx, cancel := context.WithTimeout(ctx, lim.RequestTimeout)
		responses := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			r := responses(ctx)
			if r == nil { // the transport reads until nil: the operation is over
				cancel()
				h.ops.done()
			}
			return r
		}
	})
	gql.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		// A subscription's every event is a response of its own, and the objects it shows change
		// between events: each event resolves its fields with fresh loaders.
		// A refused document's response has no operation context (HasOperationContext is false).
		if graphql.HasOperationContext(ctx) && isSubscription(graphql.GetOperationContext(ctx)) {
			ctx = resolvers.WithLoaders(ctx, d.Service)
		}
		return next(ctx)
	})
	gql.SetErrorPresenter(presentError(d.Logger, !d.Production))
	gql.SetRecoverFunc(func(ctx context.Context, p any) error {
		rid := requestIDOf(ctx)
		d.Logger.ErrorContext(ctx, "panic", "request_id", rid, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		// A gqlerror of our own wording: the websocket transport shows a panic's error as it is.
		return &gqlerror.Error{Message: service.Message(ctx, "internal", rid), Extensions: map[string]any{"code": CodeInternal, "requestId": rid}}
	})

	mux := http.NewServeMux()
	mux.Handle("/graphql", privateAnswers(limitBody(lim.BodyBytes, gql)))
	exportRoutes(mux, d.Service, d.Logger, exports)
	if introspection {
		page := graphiql.Handler("/graphql") // served from the binary: nothing from the internet
		mux.Handle("GET /{$}", page)
		mux.Handle("GET "+graphiql.Prefix, page)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", readiness(d))
	h.Handler = h.withRequest(d, mux)
	return h
}

// Server returns an HTTP server for h on addr, with the read and write timeouts that protect
// ordinary requests (a websocket's connection is free of them once upgraded, an export's write
// deadline is lifted). Its Shutdown waits for ordinary requests in flight and ends the exports at once (one may
// take minutes, longer than any grace period; its client sees the download broken and can ask
// another replica); call h.Shutdown after it for the websockets.
func (h *Handler) Server(addr string) *http.Server {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       h.limits.ReadTimeout,
		WriteTimeout:      h.limits.WriteTimeout,
		IdleTimeout:       2 * time.Minute,
	}
	srv.RegisterOnShutdown(h.endExport)
	return srv
}

// Shutdown ends the long-lived connections: operations arriving over a websocket from now on are
// refused (SHUTTING_DOWN), those under way may finish until ctx is done, and then every
// websocket closes. http.Server.Shutdown does not wait for them: they are hijacked.
func (h *Handler) Shutdown(ctx context.Context) {
	h.endExport() // already done when the server came from h.Server
	h.ops.drain(ctx)
	h.closeLong()
}

// queryCacheSize is how many parsed documents gqlgen keeps, and as many operations their cost.
const queryCacheSize = 1000

// codeShuttingDown refuses work that arrives, or would run on, once the server shuts down: an
// operation over a websocket, an export.
const codeShuttingDown = "SHUTTING_DOWN"

func isSubscription(oc *graphql.OperationContext) bool {
	return oc.Operation != nil && oc.Operation.Operation == ast.Subscription
}

// isWebsocket tells a websocket upgrade (RFC 6455: a GET with Connection: Upgrade and Upgrade:
// websocket), one of the two kinds of long-lived request; streamed exports (isExport) are the other.
func isWebsocket(r *http.Request) bool {
	if r.Method != http.MethodGet || !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		return false
	}
	for _, v := range r.Header.Values("Connection") {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "upgrade") {
				return true
			}
		}
	}
	return false
}

// liveOperations counts the operations running over websockets, so that shutdown can let them
// finish.
type liveOperations struct {
	mu      sync.Mutex
	active  int
	closing bool
	idle    chan struct{} // closed once closing and none is active
}

// start counts a new operation in; false once shutdown began.
func (o *liveOperations) start() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closing {
		return false
	}
	o.active++
	return true
}

func (o *liveOperations) done() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.active--
	if o.closing && o.active == 0 {
		close(o.idle)
	}
}

// drain refuses new operations and waits until none is active or ctx is done.
func (o *liveOperations) drain(ctx context.Context) {
	o.mu.Lock()
	if !o.closing {
		o.closing, o.idle = true, make(chan struct{})
		if o.active == 0 {
			close(o.idle)
		}
	}
	idle := o.idle
	o.mu.Unlock()
	select {
	case <-idle:
	case <-ctx.Done():
	}
}
