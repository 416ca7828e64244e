package db

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/zhuguan/zhuguan/service"
)

// A history statement's text is cached by shape, so two queries of one shape must get the same
// text with their own values, and every shape's placeholders must number exactly its parameters.
func TestHistorySQLShapes(t *testing.T) {
	str := func(s string) *string { return &s }
	unit := int64(7)
	long := service.NatureLongTerm
	full := service.HistoryFilter{Keyword: str("50%_off"), UnitID: &unit, PositionTitle: str("助教"), Nature: &long, AcademicYear: str("2025-2026")}
	after := &service.HistoryCursor{Key: []byte(`"x"`), ID: 99}
	queries := []service.HistoryQuery{
		{StudentNo: "20160001", Columns: service.AllHistoryColumns, Limit: 51},
		{StudentNo: "20160001", Columns: []service.HistoryColumn{service.ColNature}, Limit: 11, WithTotal: true, After: after},
		{UnitID: 3, HistoryFilter: full, Columns: []service.HistoryColumn{service.ColUnit}, UnitName: true, Limit: 6,
			Order: service.HistoryOrder{Column: service.ColPaidAmount, Direction: service.Desc}, After: after},
		{HistoryFilter: service.HistoryFilter{Keyword: str("")}, Columns: []service.HistoryColumn{service.ColStatus}, Limit: 2},
	}
	placeholder := regexp.MustCompile(`\$(\d+)`)
	for i, q := range queries {
		text, args := historySQL(q)
		seen := map[int]bool{}
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			n, _ := strconv.Atoi(m[1])
			seen[n] = true
		}
		for n := 1; n <= len(args); n++ {
			if !seen[n] {
				t.Errorf("query %d: $%d missing for %d parameters: %s", i, n, len(args), text)
			}
		}
		if len(seen) != len(args) {
			t.Errorf("query %d: %d placeholders for %d parameters: %s", i, len(seen), len(args), text)
		}
		if got := args[len(args)-1]; got != q.Limit {
			t.Errorf("query %d: last parameter %v, want the limit %d", i, got, q.Limit)
		}

		// Same shape, other values: same text, new values; and a fresh build agrees with the cache.
		other := q
		other.Limit++
		if other.StudentNo != "" {
			other.StudentNo = "20169999"
		}
		text2, args2 := historySQL(other)
		if text2 != text || args2[len(args2)-1] != other.Limit || (q.StudentNo != "" && args2[0] != "20169999") {
			t.Errorf("query %d: same shape gave text %q args %v, want text %q with the new values", i, text2, args2, text)
		}
		historyStatements.Purge()
		if fresh, _ := historySQL(q); fresh != text {
			t.Errorf("query %d: cached text %q differs from a fresh build %q", i, text, fresh)
		}
	}

	// The full filter's parameters, in statement order, with the keyword's LIKE wildcards escaped.
	_, args := historySQL(queries[2])
	want := []any{int64(3), int64(7), "助教", "LONG_TERM", "2025-2026", `%50\%\_off%`, `"x"`, int64(99), 6}
	if len(args) != len(want) {
		t.Fatalf("args: got %v, want %v", args, want)
	}
	for i := range want {
		if args[i] != want[i] {
			t.Errorf("arg %d: got %#v, want %#v", i+1, args[i], want[i])
		}
	}
}
