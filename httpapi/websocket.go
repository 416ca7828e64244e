package httpapi

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/zhuguan/zhuguan/auth"
)

// websocketTransport serves GraphQL over a websocket (graphql-transport-ws, and the older
// graphql-ws) on /graphql. Browsers cannot set headers on a websocket, so the bearer token comes
// in the connection_init payload as {"Authorization": "Bearer <JWT>"}; a token in the upgrade
// request's own Authorization header counts when the payload has none.
func websocketTransport(v *auth.Verifier) transport.Websocket {
	return transport.Websocket{
		KeepAlivePingInterval: 15 * time.Second,
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			return v.Authenticate(ctx, p.Authorization()), nil, nil
		},
	}
}
