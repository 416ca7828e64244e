package service

import (
	"context"
	"testing"
)

// TestEveryEnumValueHasLabels: the exports show natures, duty categories, degrees and statuses by
// label, so a value added to a list without its labels would show as an empty cell.
func TestEveryEnumValueHasLabels(t *testing.T) {
	labelled := map[string][]interface{ LabelIn(context.Context) string }{}
	for _, v := range AllNatures {
		labelled["nature"] = append(labelled["nature"], v)
	}
	for _, v := range AllDutyCategories {
		labelled["duty category"] = append(labelled["duty category"], v)
	}
	for _, v := range AllDegrees {
		labelled["degree"] = append(labelled["degree"], v)
	}
	for _, v := range AllApplicationStatuses {
		labelled["application status"] = append(labelled["application status"], v)
	}
	for _, v := range AllNominationStatuses {
		labelled["nomination status"] = append(labelled["nomination status"], v)
	}
	for kind, values := range labelled {
		for _, v := range values {
			for _, l := range []Locale{Chinese, English} {
				if v.LabelIn(WithLocale(context.Background(), l)) == "" {
					t.Errorf("%s %v has no label in locale %d", kind, v, l)
				}
			}
		}
	}
}
