package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/zhuguan/zhuguan/service"
)

// Prefetching. The elements of a list resolve their nested objects concurrently, each through a
// loader that waits a moment for its siblings' keys; an element that comes late splits the
// batch, so the number of statements of a page would depend on scheduling, and every level of
// nesting would wait. Instead, the resolver of a list looks at what the operation selects of its
// elements and fetches each kind of nested object for the whole list at once, level by level,
// before the elements resolve: one statement per kind and level, whatever the size of the page
// and however busy the machine. The elements then find everything in the loaders' caches.
//
// A field that is not listed here still works: it loads through its loader.

// prefetcher walks one operation's selections. Its loaders are built only when a selection
// needs one, so a page without nested objects (the history's hot path) builds none.
type prefetcher struct {
	ctx context.Context
	oc  *graphql.OperationContext
}

func newPrefetcher(ctx context.Context) prefetcher {
	return prefetcher{ctx: ctx, oc: graphql.GetOperationContext(ctx)}
}

func (p prefetcher) l() *loaderSet { return loaders(p.ctx) }

// nodes returns the selections of the node of the connection field being resolved (edges.node).
func (p prefetcher) nodes(typ string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, e := range p.fields(graphql.GetFieldContext(p.ctx).Field.Selections, "") {
		if e.Name != "edges" {
			continue
		}
		for _, n := range p.fields(e.Selections, "") {
			if n.Name == "node" {
				out = append(out, p.fields(n.Selections, typ)...)
			}
		}
	}
	return out
}

// own returns the selections of the object or list field being resolved.
func (p prefetcher) own(typ string) []graphql.CollectedField {
	return p.fields(graphql.GetFieldContext(p.ctx).Field.Selections, typ)
}

func (p prefetcher) fields(sel ast.SelectionSet, typ string) []graphql.CollectedField {
	var satisfies []string
	if typ != "" {
		satisfies = []string{typ}
	}
	return graphql.CollectFields(p.oc, sel, satisfies)
}

// keys returns each item's key once, in the items' order.
func keys[T any, K comparable](items []*T, key func(*T) K) []K {
	seen := make(map[K]bool, len(items))
	out := make([]K, 0, len(items))
	for _, it := range items {
		if k := key(it); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// present drops the keys that had no object.
func present[T any](vs []*T) []*T {
	out := vs[:0:0]
	for _, v := range vs {
		if v != nil {
			out = append(out, v)
		}
	}
	return out
}

// applications prefetches, for the applications as, each kind of nested object that fields select,
// and recurses into positions, profiles and employments.
func (p prefetcher) applications(fields []graphql.CollectedField, as []*service.Application) {
	if len(as) == 0 {
		return
	}
	ids := keys(as, func(a *service.Application) int64 { return a.ID })
	for _, f := range fields {
		switch f.Name {
		case "student":
			_, _ = p.l().Students.Prefetch(p.ctx, keys(as, func(a *service.Application) string { return a.StudentNo }))
		case "position":
			if ps, err := p.l().Positions.Prefetch(p.ctx, keys(as, func(a *service.Application) int64 { return a.PositionID })); err == nil {
				p.positions(p.fields(f.Selections, "Position"), present(ps))
			}
		case "profile":
			p.profiles(p.fields(f.Selections, "Profile"), as)
		case "timeline":
			_, _ = p.l().Timelines.Prefetch(p.ctx, ids)
		case "workRecords":
			_, _ = p.l().WorkRecords.Prefetch(p.ctx, ids)
		case "jobLimitReached":
			_, _ = p.l().JobLimits.Prefetch(p.ctx, ids)
		case "employment":
			var employed []*service.Application
			for _, a := range as {
				if a.StartedAt != nil {
					employed = append(employed, a)
				}
			}
			p.employments(p.fields(f.Selections, "Employment"), employed)
		}
	}
}

// employments prefetches for the employments of the applications as.
func (p prefetcher) employments(fields []graphql.CollectedField, as []*service.Application) {
	if len(as) == 0 {
		return
	}
	for _, f := range fields {
		switch f.Name {
		case "application":
			for _, a := range as {
				p.l().Applications.Put(a.ID, a)
			}
			p.applications(p.fields(f.Selections, "Application"), as)
		case "workRecords", "hoursWorked", "paidAmount":
			_, _ = p.l().WorkRecords.Prefetch(p.ctx, keys(as, func(a *service.Application) int64 { return a.ID }))
		}
	}
}

// profiles prefetches the profiles of the applications as (each student's in their position's
// year) and what is selected of them.
func (p prefetcher) profiles(fields []graphql.CollectedField, as []*service.Application) {
	ps, err := p.l().Positions.Prefetch(p.ctx, keys(as, func(a *service.Application) int64 { return a.PositionID }))
	if err != nil {
		return
	}
	year := make(map[int64]string, len(ps))
	for _, pos := range present(ps) {
		year[pos.ID] = pos.AcademicYear
	}
	profiles, err := p.l().Profiles.Prefetch(p.ctx, keys(as, func(a *service.Application) service.ProfileKey {
		return service.ProfileKey{StudentNo: a.StudentNo, AcademicYear: year[a.PositionID]}
	}))
	if err != nil {
		return
	}
	for _, f := range fields {
		if f.Name == "student" {
			_, _ = p.l().Students.Prefetch(p.ctx, keys(present(profiles), func(pr *service.Profile) string { return pr.StudentNo }))
		}
	}
}

// positions prefetches, for the positions ps, their units, the caller's applications to them and
// their histories, as fields select them.
func (p prefetcher) positions(fields []graphql.CollectedField, ps []*service.Position) {
	if len(ps) == 0 {
		return
	}
	ids := keys(ps, func(pos *service.Position) int64 { return pos.ID })
	for _, f := range fields {
		switch f.Name {
		case "unit":
			_, _ = p.l().Units.Prefetch(p.ctx, keys(ps, func(pos *service.Position) int64 { return pos.UnitID }))
		case "myApplication":
			if as, err := p.l().MyApplication.Prefetch(p.ctx, ids); err == nil {
				p.applications(p.fields(f.Selections, "Application"), present(as))
			}
		case "history":
			_, _ = p.l().PositionHistories.Prefetch(p.ctx, ids)
		}
	}
}

// nominations prefetches, for the nominations ns, their students, hours worked and histories, as
// fields select them.
func (p prefetcher) nominations(fields []graphql.CollectedField, ns []*service.Nomination) {
	if len(ns) == 0 {
		return
	}
	for _, f := range fields {
		switch f.Name {
		case "student":
			_, _ = p.l().Students.Prefetch(p.ctx, keys(ns, func(n *service.Nomination) string { return n.StudentNo }))
		case "hoursWorked":
			_, _ = p.l().YearHours.Prefetch(p.ctx, keys(ns, func(n *service.Nomination) service.StudentYear {
				return service.StudentYear{StudentNo: n.StudentNo, AcademicYear: n.AcademicYear}
			}))
		case "history":
			_, _ = p.l().NominationHistories.Prefetch(p.ctx, keys(ns, func(n *service.Nomination) int64 { return n.ID }))
		}
	}
}

// historyRows prefetches the applications of the history rows when fields select them.
func (p prefetcher) historyRows(fields []graphql.CollectedField, rows []*service.HistoryRow) {
	for _, f := range fields {
		if f.Name == "application" && len(rows) > 0 {
			if as, err := p.l().Applications.Prefetch(p.ctx, keys(rows, func(r *service.HistoryRow) int64 { return r.ID })); err == nil {
				p.applications(p.fields(f.Selections, "Application"), present(as))
			}
		}
	}
}

// pointers returns a pointer to each item, as the edges hold them.
func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}
