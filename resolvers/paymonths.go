package resolvers

import (
	"github.com/zhuguan/zhuguan/graph/model"
	"github.com/zhuguan/zhuguan/service"
)

func payMonthPayload(m *service.PayMonth, err error) (*model.PayMonthPayload, error) {
	return payload(m, err, func(m *service.PayMonth, ue []service.UserError) *model.PayMonthPayload {
		return &model.PayMonthPayload{PayMonth: m, UserErrors: ue}
	})
}
