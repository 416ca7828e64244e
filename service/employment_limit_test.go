package service

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// The confirmation's caps, without a database: the weekly cap and the year's limit on
// employments with overlapping work periods, each alone and both at once.
func TestConfirmRules(t *testing.T) {
	one, two := 1, 2
	held := []HeldEmployment{{ApplicationID: 1, Title: "图书整理", WeeklyHours: 8}, {ApplicationID: 2, Title: "实验助理", WeeklyHours: 8}}
	tests := []struct {
		name  string
		limit *int
		held  []HeldEmployment
		hours int
		want  []UserErrorCode
	}{
		{"no limit, under the cap", nil, held, 4, nil},
		{"no limit, past the cap", nil, held, 5, []UserErrorCode{UserErrHoursCap}},
		{"nothing held", &one, nil, 10, nil},
		{"under the limit", &two, held[:1], 4, nil},
		{"at the limit", &two, held, 4, []UserErrorCode{UserErrEmploymentLimit}},
		{"at the limit and past the cap", &one, held, 5, []UserErrorCode{UserErrHoursCap, UserErrEmploymentLimit}},
	}
	for _, tt := range tests {
		for _, ctx := range []context.Context{context.Background(), WithLocale(context.Background(), English)} {
			year := AcademicYear{Name: "2026-2027", MaxWeeklyHours: 20, MaxConcurrentEmployments: tt.limit}
			errs := confirmRules(ctx, year, Position{WeeklyHours: tt.hours}, tt.held)
			var got []UserErrorCode
			for _, e := range errs {
				got = append(got, e.Code)
				if e.Code == UserErrEmploymentLimit {
					for _, h := range tt.held {
						if !strings.Contains(e.Message, h.Title) {
							t.Errorf("%s: message %q does not name %s", tt.name, e.Message, h.Title)
						}
					}
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
	}
}
