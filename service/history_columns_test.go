package service

import (
	"slices"
	"testing"
)

// Every history column is defined whole: the fields that show it, how it is read and sorted, and
// both headers; no two columns share a field or an alias.
func TestHistoryColumnDefsComplete(t *testing.T) {
	spec := []HistoryColumn{"STATUS", "UNIT", "POSITION_TITLE", "PAID_AMOUNT", "NATURE", "DESCRIPTION",
		"APPLY_START", "APPLY_END", "WORK_START", "WORK_END", "WORK_TIME_REQUIREMENT"}
	if !slices.Equal(AllHistoryColumns, spec) {
		t.Errorf("AllHistoryColumns: got %v, want SPEC's order %v", AllHistoryColumns, spec)
	}
	fields, aliases := map[string]HistoryColumn{}, map[string]HistoryColumn{}
	for _, d := range HistoryColumnDefs {
		if len(d.Fields) == 0 || d.Select == "" || d.Alias == "" || d.Dest == nil || d.SortKey == "" || d.Header[0] == "" || d.Header[1] == "" {
			t.Errorf("%s: got %+v, want fields, select, alias, destination, sort key and both headers", d.Column, d)
		}
		for _, f := range d.Fields {
			if c, ok := fields[f]; ok {
				t.Errorf("field %s: read by %s and %s, want one column", f, c, d.Column)
			}
			fields[f] = d.Column
		}
		if c, ok := aliases[d.Alias]; ok {
			t.Errorf("alias %s: used by %s and %s, want one column", d.Alias, c, d.Column)
		}
		aliases[d.Alias] = d.Column
		if d.Dest != nil && d.Dest(&HistoryRow{}) == nil {
			t.Errorf("%s: Dest gave nil, want a pointer into the row", d.Column)
		}
	}
}
