package resolvers

import (
	"context"
	"errors"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/graph/model"
	"github.com/zhuguan/zhuguan/service"
)

// userErrors splits a service result into the payload's userErrors (expected failures) and a
// top-level error (everything else, mapped by the error presenter).
func userErrors(err error) ([]service.UserError, error) {
	var ue service.UserErrors
	if errors.As(err, &ue) {
		return ue, nil
	}
	if err != nil {
		return nil, err
	}
	return []service.UserError{}, nil
}

// payload builds a mutation's payload from a service result: the object and no userErrors, or
// no object and the userErrors; any other error stays a top-level error.
func payload[T, P any](v *T, err error, build func(v *T, ue []service.UserError) *P) (*P, error) {
	ue, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	if len(ue) > 0 {
		v = nil
	}
	return build(v, ue), nil
}

// positionPayload wraps the outcome of a position mutation.
func positionPayload(p *service.Position, err error) (*model.PositionPayload, error) {
	return payload(p, err, func(p *service.Position, ue []service.UserError) *model.PositionPayload {
		return &model.PositionPayload{Position: p, UserErrors: ue}
	})
}

// pageArgs reads a connection's paging arguments, counting only when totalCount was selected (a
// count is a second statement); first is 20 when absent, as in the schema.
func pageArgs(ctx context.Context, first *int, after *string) service.PageArgs {
	a := service.PageArgs{First: service.DefaultPage, After: after, WithTotal: graphql.FieldRequested(ctx, "totalCount")}
	if first != nil {
		a.First = *first
	}
	return a
}

// positionConnection builds a page's connection after prefetching, for the whole page at once, the
// nested objects the operation selects of its nodes.
func positionConnection(ctx context.Context, p *service.Page[service.Position]) *model.PositionConnection {
	pf := newPrefetcher(ctx)
	pf.positions(pf.nodes("Position"), pointers(p.Items))
	edge := func(c string, n *service.Position) model.PositionEdge { return model.PositionEdge{Cursor: c, Node: n} }
	es, pi := edges(ctx, p, edge)
	return &model.PositionConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

// edges makes one edge per item of a page and the page info; cursors are encoded only when the
// operation selects one.
func edges[T, E any](ctx context.Context, p *service.Page[T], edge func(cursor string, node *T) E) ([]E, *model.PageInfo) {
	withCursors := graphql.AnyFieldRequested(ctx, "edges.cursor", "pageInfo.startCursor", "pageInfo.endCursor")
	out := make([]E, len(p.Items))
	for i := range p.Items {
		var c string
		if withCursors {
			c = p.Cursor(i)
		}
		out[i] = edge(c, &p.Items[i])
	}
	pi := &model.PageInfo{HasNextPage: p.HasNext}
	if n := len(p.Items); n > 0 && withCursors {
		first, last := p.Cursor(0), p.Cursor(n-1)
		pi.StartCursor, pi.EndCursor = &first, &last
	}
	return out, pi
}

// visible returns v when the caller may see it, else nil (the field reads as null).
func visible[T any](ok bool, v T) *T {
	if !ok {
		return nil
	}
	return &v
}

func derefFilter(f *service.PositionFilter) service.PositionFilter {
	if f == nil {
		return service.PositionFilter{}
	}
	return *f
}

// applicationPayload wraps the outcome of a transition.
func applicationPayload(a *service.Application, err error) (*model.ApplicationPayload, error) {
	return payload(a, err, func(a *service.Application, ue []service.UserError) *model.ApplicationPayload {
		return &model.ApplicationPayload{Application: a, UserErrors: ue, Warnings: []string{}}
	})
}

// applicationConnection builds a page's connection after prefetching, for the whole page at once,
// the nested objects the operation selects of its nodes.
func applicationConnection(ctx context.Context, p *service.Page[service.Application]) *model.ApplicationConnection {
	pf := newPrefetcher(ctx)
	pf.applications(pf.nodes("Application"), pointers(p.Items))
	edge := func(c string, n *service.Application) model.ApplicationEdge {
		return model.ApplicationEdge{Cursor: c, Node: n}
	}
	es, pi := edges(ctx, p, edge)
	return &model.ApplicationConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

// nominationPayload wraps the outcome of a nomination mutation.
func nominationPayload(n *service.Nomination, err error) (*model.NominationPayload, error) {
	return payload(n, err, func(n *service.Nomination, ue []service.UserError) *model.NominationPayload {
		return &model.NominationPayload{Nomination: n, UserErrors: ue}
	})
}

// nominationConnection builds a page's connection after prefetching, for the whole page at once,
// the nested objects the operation selects of its nodes.
func nominationConnection(ctx context.Context, p *service.Page[service.Nomination]) *model.NominationConnection {
	pf := newPrefetcher(ctx)
	pf.nominations(pf.nodes("Nomination"), pointers(p.Items))
	edge := func(c string, n *service.Nomination) model.NominationEdge {
		return model.NominationEdge{Cursor: c, Node: n}
	}
	es, pi := edges(ctx, p, edge)
	return &model.NominationConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}
