package httpapi

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// When the deadline passed before execution began (a slow parse or validation), gqlgen's
// response handler gives nil without a response; the client gets one TIMEOUT error instead,
// once, and the stream then ends.
func TestDeadlineBeforeExecution(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d := deadline{timeout: time.Second, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	responses := d.InterceptOperation(ctx, func(context.Context) graphql.ResponseHandler {
		return func(context.Context) *graphql.Response { return nil }
	})
	r := responses(ctx)
	if r == nil || len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != CodeTimeout {
		t.Fatalf("first response: got %+v, want one %s error", r, CodeTimeout)
	}
	if r := responses(ctx); r != nil {
		t.Errorf("second response: got %+v, want nil, the end of the stream", r)
	}
}
