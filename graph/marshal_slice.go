package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// marshalSlice stands in for graphql.MarshalSliceConcurrently in the generated code (see
// graph/generate). gqlgen gives every element of a list its own goroutine so that the elements'
// resolvers can wait on a dataloader together. When the selection below the list reaches no such
// resolver, nothing can wait, and the elements are marshalled in order on the caller's goroutine,
// with the same field context and panic handling per element.
func marshalSlice(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if length < 2 || !plainList(ctx) {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		ret[i] = marshalElementAt(ctx, i, omitPanicHandler, marshalElement)
	}
	return ret
}

// marshalElementAt marshals element i under its own field context, as gqlgen's goroutine would:
// unless omitPanicHandler, a panic becomes the element's error and null, not a crashed request.
func marshalElementAt(ctx context.Context, i int, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) (m graphql.Marshaler) {
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
	if !omitPanicHandler {
		defer func() {
			if r := recover(); r != nil {
				graphql.AddError(ctx, graphql.Recover(ctx, r))
				m = graphql.Null
			}
		}()
	}
	return marshalElement(ctx, i)
}

// plainList reports whether the list field being marshalled selects, at any depth, only fields
// that gqlgen resolves in line. Lists of lists and anything it cannot tell keep the goroutines.
func plainList(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil {
		return false
	}
	t := fc.Field.Definition.Type
	if t.Elem == nil || t.Elem.Elem != nil {
		return false
	}
	return plainSelection(parsedSchema, graphql.GetOperationContext(ctx), fc.Field.Selections, t.Elem.NamedType)
}

// plainSelection walks sel on the named type as the executor will (fragments, also on the
// interfaces and unions the type belongs to, @skip and @include with this operation's variables;
// gqlgen caches the collection per operation). A list of an interface or union is not followed
// into its members, so it counts as not plain.
func plainSelection(schema *ast.Schema, oc *graphql.OperationContext, sel ast.SelectionSet, typeName string) bool {
	def := schema.Types[typeName]
	if def == nil {
		return false
	}
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return true
	case ast.Object:
	default:
		return false
	}
	satisfies := []string{typeName}
	for _, d := range schema.GetImplements(def) {
		satisfies = append(satisfies, d.Name)
	}
	for _, f := range graphql.CollectFields(oc, sel, satisfies) {
		if resolvedFields[typeName][f.Name] {
			return false
		}
		if f.Definition != nil && len(f.Selections) > 0 && !plainSelection(schema, oc, f.Selections, f.Definition.Type.Name()) {
			return false
		}
	}
	return true
}
