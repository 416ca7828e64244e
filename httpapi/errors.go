package httpapi

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

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
