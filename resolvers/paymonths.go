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
