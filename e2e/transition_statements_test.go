package e2e

import "testing"

// TestStatementsPerTransition pins what each hire transition costs in SQL round trips (BEGIN and
// COMMIT included), so a change that adds statements to the hot path is a visible decision.
func TestStatementsPerTransition(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	stu, staff := s.Student(t, "20160931"), s.Unit(t, unit)
	const fields = `{ application { id status } userErrors { code message } }`
	want := map[string]int64{"apply": 8, "hire": 7, "confirm": 9}

	n, r := s.Statements(t, stu, `mutation($p: ID!) { r: applyToPosition(input: {positionId: $p, reason: "r"}) `+fields+` }`, map[string]any{"p": pos})
	var out struct {
		R struct{ Application struct{ ID string } }
	}
	r.Decode(t, &out)
	got := map[string]int64{"apply": n}
	id := out.R.Application.ID
	for _, step := range []struct{ name, token, mutation string }{
		{"hire", staff, "hireApplication"}, {"confirm", stu, "confirmApplication"},
	} {
		n, r := s.Statements(t, step.token, `mutation($id: ID!) { r: `+step.mutation+`(id: $id) `+fields+` }`, map[string]any{"id": id})
		r.Decode(t, &out)
		got[step.name] = n
	}
	for name, w := range want {
		t.Logf("%s: %d statements", name, got[name])
		if got[name] != w {
			t.Errorf("%s: got %d statements, want %d", name, got[name], w)
		}
	}
}
