package httpapi

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/limits"
	"github.com/zhuguan/zhuguan/service"
)

// CodeCostLimit refuses an operation whose cost (limits.CostModel) is over Limits.Cost.
const CodeCostLimit = "COST_LIMIT"

// costLimit refuses, before anything runs, an operation that would cost more than limit, priced
// once its variables are coerced (so a `first` given as a variable counts at its value). Without
// introspection, it also refuses an operation that asks for __schema or __type: refused here, it
// is a request error with a message, where gqlgen would answer each field with an error of its
// own wording.
type costLimit struct {
	model         *limits.CostModel
	limit         int
	introspection bool
}

func newCostLimit(limit int, introspection bool) costLimit {
	// As many compiled operations as gqlgen's query cache keeps documents.
	return costLimit{model: limits.NewCostModel(limits.Paging{Default: service.DefaultPage, Max: service.MaxPage}, queryCacheSize),
		limit: limit, introspection: introspection}
}

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses oc with COST_LIMIT when its cost passes the limit (the message
// gives both), and with GRAPHQL_VALIDATION_FAILED when it introspects while introspection is off.
func (c costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	cost := c.model.Compile(oc.Doc, oc.Operation)
	if !c.introspection && cost.Introspection() {
		return &gqlerror.Error{Message: service.Message(ctx, "introspectionOff"), Extensions: map[string]any{"code": errcode.ValidationFailed}}
	}
	if n := cost.Of(oc.Variables); n > int64(c.limit) {
		return &gqlerror.Error{Message: service.Message(ctx, "costLimit", n, c.limit), Extensions: map[string]any{"code": CodeCostLimit}}
	}
	return nil
}
