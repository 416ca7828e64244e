package httpapi

import (
	"context"
	"testing"

	"github.com/zhuguan/zhuguan/service"
)

// A suggestion of several names is listed in the caller's language, the last joined by "or".
func TestDidYouMeanLists(t *testing.T) {
	names := `"first", "filter", or "after"`
	for _, c := range []struct {
		locale     service.Locale
		kind, want string
	}{
		{service.Chinese, "", `；你是否想用 "first"、"filter" 或 "after"？`},
		{service.English, "", `; did you mean "first", "filter" or "after"?`},
		{service.English, "to use an inline fragment on ", `; did you mean to use an inline fragment on "first", "filter" or "after"?`},
		{service.English, "the enum value ", `; did you mean "first", "filter" or "after"?`},
	} {
		if got := didYouMean(service.WithLocale(context.Background(), c.locale), c.kind, names); got != c.want {
			t.Errorf("didYouMean(%q, %q): got %q, want %q", c.kind, names, got, c.want)
		}
	}
}
