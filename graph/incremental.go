package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// RefuseIncremental is the handler extension that refuses @defer and @stream. Both ask for a
// response delivered in parts, and this server's transports send each response whole: executed
// anyway, the deferred parts would silently never arrive. The refusal is also what makes
// newDeferredGroup correct, so the two live together.
type RefuseIncremental struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = RefuseIncremental{}

// ExtensionName names the extension in gqlgen's tracing.
func (RefuseIncremental) ExtensionName() string { return "RefuseIncremental" }

// Validate accepts every schema.
func (RefuseIncremental) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses the operation before execution when its document uses either
// directive anywhere, in the operation or in a fragment.
func (RefuseIncremental) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Doc == nil {
		return nil
	}
	for _, op := range oc.Doc.Operations {
		if name := incrementalIn(op.SelectionSet); name != "" {
			return refusal(ctx, name)
		}
	}
	for _, f := range oc.Doc.Fragments {
		if name := incrementalIn(f.SelectionSet); name != "" {
			return refusal(ctx, name)
		}
	}
	return nil
}

func refusal(ctx context.Context, directive string) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    service.Message(ctx, "incremental", directive),
		Extensions: map[string]any{"code": errcode.ValidationFailed},
	}
}

// incrementalIn returns the name of the first @defer or @stream in sel, or "".
func incrementalIn(sel ast.SelectionSet) string {
	for _, s := range sel {
		var dirs ast.DirectiveList
		var inner ast.SelectionSet
		switch x := s.(type) {
		case *ast.Field:
			dirs, inner = x.Directives, x.SelectionSet
		case *ast.InlineFragment:
			dirs, inner = x.Directives, x.SelectionSet
		case *ast.FragmentSpread:
			dirs = x.Directives
		}
		for _, d := range dirs {
			if d.Name == "defer" || d.Name == "stream" {
				return d.Name
			}
		}
		if name := incrementalIn(inner); name != "" {
			return name
		}
	}
	return ""
}

// newDeferredGroup stands in for graphql.NewDeferredGroup in the generated code (see
// graph/generate). gqlgen builds, for every object it marshals, a group to collect the object's
// @defer'd fields: the object's path, a field set and a map, 5% of the server's CPU on a 50-row
// history page. RefuseIncremental keeps every operation free of @defer, so the group is only
// ever asked whether it is empty, and an empty one will do.
func newDeferredGroup(ctx context.Context) graphql.DeferredGroup {
	return graphql.DeferredGroup{Context: ctx}
}
