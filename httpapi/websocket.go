package httpapi

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// closeForbidden is graphql-transport-ws's close code for a connection refused for its
// authorization: connection_init without a valid token, or a token that expired since.
const closeForbidden = 4403

// errTokenExpired is the cause of a connection's context ending at its token's expiry.
var errTokenExpired = errors.New("token expired")

// websocketTransport serves GraphQL over a websocket (graphql-transport-ws, and the older
// graphql-ws) on /graphql, for websocket upgrades only (isWebsocket): a POST or GET that merely
// carries an Upgrade header is an ordinary request.
type websocketTransport struct {
	transport.Websocket
	docs *documents
}

// Supports takes the websocket upgrades.
func (t websocketTransport) Supports(r *http.Request) bool { return isWebsocket(r) }

// Do serves one connection. gqlgen closes a connection whose context ends with a normal close
// (1000), whatever the reason; the connection's session lets its close say 4403 when the reason
// is the token's expiry.
func (t websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	s := &wsSession{}
	t.Implementation = sessionSockets{s}
	t.Websocket.Do(w, r.WithContext(context.WithValue(r.Context(), wsSessionKey{}, s)), t.docs.executor(exec))
}

// websocket configures gqlgen's transport. Browsers cannot set headers on a websocket, so the
// bearer token comes in the connection_init payload as {"Authorization": "Bearer <JWT>"} (a token
// in the upgrade request's own Authorization header counts when the payload has none). Without a
// valid token the connection is closed with 4403 and the reason; with one, the connection is
// bounded by the token and closes with 4403 when it expires. A client that never sends
// connection_init is dropped after InitTimeout, and one that stops answering pings after twice
// PingPongInterval.
func websocket(v *auth.Verifier) transport.Websocket {
	return transport.Websocket{
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
		PingPongInterval:      15 * time.Second,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			ctx = v.Authenticate(ctx, p.Authorization())
			if _, err := service.Caller(ctx); err != nil {
				reason := err.Error()
				if se := (*service.Error)(nil); errors.As(err, &se) {
					reason = se.Message // without the code, which the close code says
				}
				ctx = transport.WithWebsocketCloseCode(ctx, closeForbidden)
				return transport.AppendCloseReason(ctx, closeReason(reason)), nil, err
			}
			if exp, ok := auth.ExpiresAt(ctx); ok {
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadlineCause(ctx, exp, errTokenExpired)
				context.AfterFunc(ctx, cancel) // released when the connection ends or the token expires
			}
			if s, ok := ctx.Value(wsSessionKey{}).(*wsSession); ok {
				s.authenticated(ctx, closeReason(service.Message(ctx, "tokenExpired")))
			}
			return ctx, nil, nil
		},
	}
}

// closeReason cuts s to the 123 bytes a close frame's reason may hold, at a character boundary.
func closeReason(s string) string {
	const limit = 123
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

type wsSessionKey struct{}

// wsSession is what a connection's close needs to know of its connection_init.
type wsSession struct {
	mu      sync.Mutex
	ctx     context.Context // the authenticated connection's; nil before connection_init
	expired string          // the close reason when the token expires
}

func (s *wsSession) authenticated(ctx context.Context, expired string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx, s.expired = ctx, expired
}

// closeFor turns gqlgen's normal close into 4403 when the connection's token has expired.
func (s *wsSession) closeFor(code int, reason string) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == transport.WebsocketCloseNormalClosure && s.ctx != nil && errors.Is(context.Cause(s.ctx), errTokenExpired) {
		return closeForbidden, s.expired
	}
	return code, reason
}

// sessionSockets accepts websockets with gqlgen's default implementation (coder/websocket) and
// gives their close to the session.
type sessionSockets struct{ s *wsSession }

func (a sessionSockets) Accept(w http.ResponseWriter, r *http.Request, o transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := transport.CoderWebsocketImplementation{}.Accept(w, r, o)
	if err != nil {
		return nil, err
	}
	return sessionSocket{WebsocketConn: c, s: a.s}, nil
}

// sessionSocket is a websocket whose close code the session decides. It keeps the read limit
// and read deadline of the connection underneath, which gqlgen finds by interface.
type sessionSocket struct {
	transport.WebsocketConn
	s *wsSession
}

func (c sessionSocket) WriteClose(code int, reason string) error {
	return c.WebsocketConn.WriteClose(c.s.closeFor(code, reason))
}

func (c sessionSocket) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c sessionSocket) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// oneStream refuses, before it runs, a subscription whose root selects more than one response
// key: gqlgen runs exactly one stream per subscription, and gqlparser's rule lets the same field
// under two aliases through, which gqlgen would then refuse with an error of no code of ours.
type oneStream struct{}

func (oneStream) ExtensionName() string                   { return "OneStream" }
func (oneStream) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext returns BAD_USER_INPUT for a subscription of several root fields.
func (oneStream) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if !isSubscription(oc) {
		return nil
	}
	if n := len(graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Subscription"})); n != 1 {
		return &gqlerror.Error{Message: service.Message(ctx, "oneStream", n), Extensions: map[string]any{"code": string(service.CodeBadInput)}}
	}
	return nil
}
