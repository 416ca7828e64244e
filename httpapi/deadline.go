package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// CodeTimeout answers the fields an operation had not resolved when its request's deadline passed
// (Limits.RequestTimeout), or its client went away.
const CodeTimeout = "TIMEOUT"

// deadline stops an operation's work once its context is done: no resolver of ours starts after
// that, so nothing more is asked of the database, and gqlgen, which still walks every field
// left, collects only the context's error for each. Fields read from what a resolver already
// returned still answer: a mutation committed just before the deadline shows its payload. Those errors become one TIMEOUT error per
// response, and one mark on the request's log line (an operation over a websocket, whose
// connection has one line for all its operations, logs one line of its own), where the error
// presenter would have logged each.
type deadline struct {
	timeout time.Duration
	logger  *slog.Logger
}

func (deadline) ExtensionName() string                   { return "Deadline" }
func (deadline) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptField runs a field's resolver only while ctx is not done.
func (deadline) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if fc := graphql.GetFieldContext(ctx); ctx.Err() != nil && fc != nil && fc.IsResolver {
		return nil, ctx.Err()
	}
	return next(ctx)
}

// InterceptOperation answers TIMEOUT when the context was done before execution began: gqlgen's
// response handler then gives nil, which to a transport is the end of the stream, with no
// response at all.
func (d deadline) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	responses := next(ctx)
	first := true
	return func(ctx context.Context) *graphql.Response {
		r := responses(ctx)
		if r == nil && first && ctx.Err() != nil {
			r = &graphql.Response{Errors: gqlerror.List{d.timedOut(ctx, 0)}}
		}
		first = false
		return r
	}
}

// InterceptResponse puts one TIMEOUT error, which counts the fields, in place of every field's.
func (d deadline) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	r := next(ctx)
	if r == nil {
		return nil
	}
	n := 0
	for _, e := range r.Errors {
		if e.Extensions["code"] == CodeTimeout {
			n++
		}
	}
	if n == 0 {
		return r
	}
	kept := gqlerror.List{d.timedOut(ctx, n)}
	for _, e := range r.Errors {
		if e.Extensions["code"] != CodeTimeout {
			kept = append(kept, e)
		}
	}
	r.Errors = kept
	return r
}

// timedOut is the response's one TIMEOUT error, for n fields left unresolved, and its log mark.
func (d deadline) timedOut(ctx context.Context, fields int) *gqlerror.Error {
	if info, ok := ctx.Value(requestInfoKey{}).(*requestInfo); ok && !info.websocket {
		info.timedOut = true // the request's goroutine runs this and writes the line afterwards
	} else {
		d.logger.WarnContext(ctx, "operation timed out", "request_id", requestIDOf(ctx), "fields", fields)
	}
	return &gqlerror.Error{Message: service.Message(ctx, "timedOut", d.timeout, fields), Extensions: map[string]any{"code": CodeTimeout}}
}
