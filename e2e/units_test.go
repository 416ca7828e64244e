package e2e

import (
	"sort"
	"strings"
	"testing"
)

// End-to-end tests of units (用人单位): createUnit's rules and who sees which units.

// createUnitMutation creates the unit named $n.
const createUnitMutation = `mutation($n: String!) { createUnit(input: {name: $n}) { unit { id name } userErrors { code field message } } }`

// createUnitPayload is the data of createUnitMutation.
type createUnitPayload struct {
	CreateUnit struct {
		Unit       *struct{ ID, Name string }
		UserErrors []UserError
	}
}

func TestAccountsCreateUnit(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	unitRows := func() int { return s.Count(t, "SELECT count(*) FROM units") }

	var a createUnitPayload
	s.Do(t, admin, createUnitMutation, map[string]any{"n": "研究生院"}).Decode(t, &a)
	CheckUserErrorsAnyOrder(t, a.CreateUnit.UserErrors)
	if a.CreateUnit.Unit == nil || a.CreateUnit.Unit.ID == "" || a.CreateUnit.Unit.Name != "研究生院" {
		t.Fatalf("created unit: got %+v, want id and name 研究生院", a.CreateUnit.Unit)
	}
	unitA := a.CreateUnit.Unit.ID

	hundred := strings.Repeat("院", 100)
	cases := []struct {
		name  string
		in    string
		want  []WantErr
		after int
	}{
		{"duplicate name", "研究生院", []WantErr{{"CONFLICT", "input.name", []string{"研究生院"}}}, 1},
		{"duplicate name with surrounding blanks", "  研究生院 ", []WantErr{{"CONFLICT", "input.name", nil}}, 1},
		{"empty", "", []WantErr{{"VALIDATION", "input.name", nil}}, 1},
		{"blank", "   ", []WantErr{{"VALIDATION", "input.name", nil}}, 1},
		{"101 characters", hundred + "院", []WantErr{{"VALIDATION", "input.name", []string{"100", "101"}}}, 1},
		{"exactly 100 characters", hundred, nil, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out createUnitPayload
			s.Do(t, admin, createUnitMutation, map[string]any{"n": c.in}, English...).Decode(t, &out)
			CheckUserErrorsAnyOrder(t, out.CreateUnit.UserErrors, c.want...)
			if c.want != nil && out.CreateUnit.Unit != nil {
				t.Errorf("unit: got %+v, want null", *out.CreateUnit.Unit)
			}
			if got := unitRows(); got != c.after {
				t.Errorf("rows: got %d, want %d", got, c.after)
			}
		})
	}

	unitB := s.SeedUnit(t, "基础医学院")
	ids := func(tok string) []string {
		var out struct{ Units []struct{ ID, Name string } }
		s.Do(t, tok, `{ units { id name } }`, nil).Decode(t, &out)
		var got []string
		for _, u := range out.Units {
			got = append(got, u.ID)
		}
		sort.Strings(got)
		return got
	}
	all := ids(admin)
	if len(all) != 3 {
		t.Fatalf("admin units: got %v, want 3 units", all)
	}
	if got := ids(s.Student(t, "20160001")); strings.Join(got, ",") != strings.Join(all, ",") {
		t.Errorf("student units: got %v, want all %v", got, all)
	}
	if got := ids(s.Unit(t, unitA)); strings.Join(got, ",") != unitA {
		t.Errorf("unit staff A units: got %v, want [%s]", got, unitA)
	}
	if got := ids(s.Unit(t, unitB)); strings.Join(got, ",") != unitB {
		t.Errorf("unit staff B units: got %v, want [%s]", got, unitB)
	}
}
