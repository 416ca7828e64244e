package httpapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service"
)

// websocketTransport serves GraphQL over a websocket (graphql-transport-ws, and the older
// graphql-ws) on /graphql, for websocket upgrades only (isWebsocket): a POST or GET that merely
// carries an Upgrade header is an ordinary request.
type websocketTransport struct{ transport.Websocket }

// Supports takes the websocket upgrades.
func (t websocketTransport) Supports(r *http.Request) bool { return isWebsocket(r) }

// websocket configures gqlgen's transport. Browsers cannot set headers on a websocket, so the
// bearer token comes in the connection_init payload as {"Authorization": "Bearer <JWT>"} (a token
// in the upgrade request's own Authorization header counts when the payload has none). A token
// given and refused closes the connection with the reason; a valid one bounds the connection,
// which closes when the token expires. A client that never sends connection_init is dropped
// after InitTimeout, and one that stops answering pings after twice PingPongInterval.
func websocket(v *auth.Verifier) transport.Websocket {
	return transport.Websocket{
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: 15 * time.Second,
		PingPongInterval:      15 * time.Second,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			ctx = v.Authenticate(ctx, p.Authorization())
			if _, err := auth.FromContext(ctx); err != nil && !errors.Is(err, auth.ErrNoToken) {
				_, refused := service.Caller(ctx)
				return ctx, nil, refused
			}
			if exp, ok := auth.ExpiresAt(ctx); ok {
				ctx = transport.AppendCloseReason(ctx, service.Message(ctx, "tokenExpired"))
				var cancel context.CancelFunc
				ctx, cancel = context.WithDeadline(ctx, exp)
				context.AfterFunc(ctx, cancel) // released when the connection ends or the token expires
			}
			return ctx, nil, nil
		},
	}
}
