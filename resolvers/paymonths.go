package resolvers

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/graph/model"
	"github.com/zhuguan/zhuguan/service"
)

func payMonthPayload(m *service.PayMonth, err error) (*model.PayMonthPayload, error) {
	return payload(m, err, func(m *service.PayMonth, ue []service.UserError) *model.PayMonthPayload {
		return &model.PayMonthPayload{PayMonth: m, UserErrors: ue}
	})
}

// payrollArgs are payroll's page arguments; the month's totals are read when any of them is selected.
func payrollArgs(ctx context.Context, first *int, after *string) service.PageArgs {
	a := pageArgs(ctx, first, after)
	a.WithTotal = graphql.AnyFieldRequested(ctx, "totalCount", "totalHours", "totalAmount")
	return a
}

// payrollConnection builds a pay sheet's page after fetching the page's students at once, when
// the operation selects them.
func payrollConnection(ctx context.Context, p *service.Payroll) *model.PayrollConnection {
	if graphql.FieldRequested(ctx, "edges.node.student") {
		nos := make([]string, len(p.Items))
		for i, r := range p.Items {
			nos[i] = r.StudentNo
		}
		_, _ = loaders(ctx).Students.Prefetch(ctx, nos) // on failure the fields load, and report it, one by one
	}
	edge := func(c string, n *service.PayrollRow) model.PayrollEdge { return model.PayrollEdge{Cursor: c, Node: n} }
	es, pi := edges(ctx, &p.Page, edge)
	return &model.PayrollConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount, TotalHours: p.TotalHours, TotalAmount: p.TotalAmount}
}
