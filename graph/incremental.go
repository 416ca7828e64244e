package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// RefuseIncremental is the handler extension that refuses @defer. It asks for a response
// delivered in parts, and this server's transports send each response whole: executed anyway,
// the deferred parts would silently never arrive. It refuses @defer anywhere in the document,
// also with if: false, which is stricter than needed and simpler to state. The refusal is also
// what makes newDeferredGroup correct, so the two live together; a handler built on this schema
// must use it (TestGraphQLOverHTTP sends @defer through the real handler).
type RefuseIncremental struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = RefuseIncremental{}

// ExtensionName names the extension in gqlgen's tracing.
func (RefuseIncremental) ExtensionName() string { return "RefuseIncremental" }

// Validate accepts every schema.
func (RefuseIncremental) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses the operation before execution when its document uses @defer,
// in an operation or in a fragment. (@stream is not declared by gqlparser, so validation has
// already refused it.)
func (RefuseIncremental) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Doc == nil {
		return nil
	}
	deferred := false
	for _, op := range oc.Doc.Operations {
		deferred = deferred || defers(op.SelectionSet)
	}
	for _, f := range oc.Doc.Fragments {
		deferred = deferred || defers(f.SelectionSet)
	}
	if !deferred {
		return nil
	}
	return &gqlerror.Error{
		Message:    service.Message(ctx, "incremental", "defer"),
		Extensions: map[string]any{"code": errcode.ValidationFailed},
	}
}

// defers reports whether sel holds a @defer at any depth.
func defers(sel ast.SelectionSet) bool {
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
		if dirs.ForName("defer") != nil || defers(inner) {
			return true
		}
	}
	return false
}

// newDeferredGroup stands in for graphql.NewDeferredGroup in the generated code (see
// graph/generate). gqlgen builds, for every object it marshals, a group to collect the object's
// @defer'd fields: the object's path, a field set and a map, 5% of the server's CPU on a 50-row
// history page. RefuseIncremental keeps every operation free of @defer, so the group is only
// ever asked whether it is empty, and an empty one will do.
func newDeferredGroup(ctx context.Context) graphql.DeferredGroup {
	return graphql.DeferredGroup{Context: ctx}
}
