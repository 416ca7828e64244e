package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/graph/model"
	"github.com/zhuguan/zhuguan/service"
)

// historyFields maps each HistoryRow field to the column that holds it, from the columns'
// definitions: the resolver asks the service for exactly the columns of the fields the client
// selected.
var historyFields = func() map[string]service.HistoryColumn {
	m := map[string]service.HistoryColumn{}
	for _, d := range service.HistoryColumnDefs {
		for _, f := range d.Fields {
			m[f] = d.Column
		}
	}
	return m
}()

// historyArgs reads which row fields the operation selected under edges.node (nodes, collected
// once per page), so that the one statement of the page reads only those columns.
func historyArgs(pf prefetcher, nodes []graphql.CollectedField, filter *service.HistoryFilter, order *service.HistoryOrder, studentNo *string) service.HistoryArgs {
	a := service.HistoryArgs{Order: order, StudentNo: studentNo}
	if filter != nil {
		a.Filter = *filter
	}
	seen := map[service.HistoryColumn]bool{}
	for _, f := range nodes {
		col, ok := historyFields[f.Name]
		if ok && !seen[col] {
			seen[col] = true
			a.Columns = append(a.Columns, col)
		}
		if f.Name == "unit" {
			for _, uf := range pf.fields(f.Selections, "Unit") {
				a.UnitName = a.UnitName || uf.Name == "name"
			}
		}
	}
	return a
}

// historyConnection builds a history page's connection after prefetching the applications of its
// rows when the operation selects them (nodes: the fields selected of each row).
func historyConnection(ctx context.Context, pf prefetcher, nodes []graphql.CollectedField, p *service.Page[service.HistoryRow]) *model.HistoryConnection {
	pf.historyRows(nodes, pointers(p.Items))
	edge := func(c string, n *service.HistoryRow) model.HistoryEdge { return model.HistoryEdge{Cursor: c, Node: n} }
	es, pi := edges(ctx, p, edge)
	return &model.HistoryConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}
