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

// positionPayload wraps the outcome of a position mutation.
func positionPayload(p *service.Position, err error) (*model.PositionPayload, error) {
	ue, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	if len(ue) > 0 {
		p = nil
	}
	return &model.PositionPayload{Position: p, UserErrors: ue}, nil
}

// pageArgs reads a connection's paging arguments, counting only when totalCount was selected.
func pageArgs(ctx context.Context, first *int, after *string) service.PageArgs {
	a := service.PageArgs{First: 20, After: after, WithTotal: graphql.FieldRequested(ctx, "totalCount")}
	if first != nil {
		a.First = *first
	}
	return a
}

func positionConnection(p *service.Page[service.Position]) *model.PositionConnection {
	c := &model.PositionConnection{
		Edges:      make([]model.PositionEdge, len(p.Items)),
		PageInfo:   pageInfo(p.Cursors, p.HasNext),
		TotalCount: p.TotalCount,
	}
	for i := range p.Items {
		c.Edges[i] = model.PositionEdge{Cursor: p.Cursors[i], Node: &p.Items[i]}
	}
	return c
}

func pageInfo(cursors []string, hasNext bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext}
	if n := len(cursors); n > 0 {
		pi.StartCursor, pi.EndCursor = &cursors[0], &cursors[n-1]
	}
	return pi
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
	ue, err := userErrors(err)
	if err != nil {
		return nil, err
	}
	if len(ue) > 0 {
		a = nil
	}
	return &model.ApplicationPayload{Application: a, UserErrors: ue, Warnings: []string{}}, nil
}

func applicationConnection(p *service.Page[service.Application]) *model.ApplicationConnection {
	c := &model.ApplicationConnection{
		Edges:      make([]model.ApplicationEdge, len(p.Items)),
		PageInfo:   pageInfo(p.Cursors, p.HasNext),
		TotalCount: p.TotalCount,
	}
	for i := range p.Items {
		c.Edges[i] = model.ApplicationEdge{Cursor: p.Cursors[i], Node: &p.Items[i]}
	}
	return c
}
