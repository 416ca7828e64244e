package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// presentError is the one place errors become GraphQL errors. Service errors carry a safe message
// and a code; gqlgen's own parse, validation and argument errors are safe as they are; anything
// else is logged with the request id and shown only as INTERNAL.
func presentError(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error { return present(ctx, logger, err) }
}

// codeStatus is the HTTP status of each code, for the answers that are not GraphQL responses
// (the CSV exports); a code not listed is a 500.
var codeStatus = map[string]int{
	string(service.CodeUnauthenticated): http.StatusUnauthorized,
	string(service.CodeForbidden):       http.StatusForbidden,
	string(service.CodeNotFound):        http.StatusNotFound,
	string(service.CodeBadInput):        http.StatusBadRequest,
	codeShuttingDown:                    http.StatusServiceUnavailable,
}

// writeHTTPError answers a plain HTTP request (a CSV export) that failed before its body began:
// the error as presentError shows it, in a GraphQL-shaped JSON body, under the status its code
// stands for.
func writeHTTPError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	e := present(r.Context(), logger, err)
	code, _ := e.Extensions["code"].(string)
	status, ok := codeStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"message": e.Message, "extensions": e.Extensions}}})
	h := w.Header()
	h.Set("Content-Type", mediaJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", "Bearer")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// present is presentError's verdict on one error.
func present(ctx context.Context, logger *slog.Logger, err error) *gqlerror.Error {
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
