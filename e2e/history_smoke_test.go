package e2e

import "testing"

func TestHistorySmoke(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	stu := s.Student(t, "20160931")
	var applied struct{ ApplyToPosition appPayload }
	s.Do(t, stu, `mutation($p: ID!) { applyToPosition(input: {positionId: $p, reason: "r"}) { `+appFields+` } }`, map[string]any{"p": pos}).Decode(t, &applied)
	id := applied.ApplyToPosition.Application.ID
	s.Do(t, s.Unit(t, unit), `mutation($id: ID!) { hireApplication(id: $id) { userErrors { message } } }`, map[string]any{"id": id})
	var h struct {
		EmploymentHistory struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct {
					ID, StatusLabel, PositionTitle, PaidAmount string
					Unit                                       struct{ ID, Name string }
				}
			}
		}
	}
	s.Do(t, stu, `{ employmentHistory(first: 10) { totalCount edges { cursor node { id statusLabel positionTitle paidAmount unit { id name } } } } }`, nil).Decode(t, &h)
	if h.EmploymentHistory.TotalCount != 1 || len(h.EmploymentHistory.Edges) != 1 {
		t.Fatalf("got %+v, want one row", h)
	}
	n := h.EmploymentHistory.Edges[0].Node
	if n.ID != id || n.StatusLabel != "已聘用" || n.PositionTitle != "数据整理" || n.PaidAmount != "0.00" || n.Unit.Name != "研究生院" {
		t.Fatalf("row: got %+v", n)
	}
	for _, order := range []string{"STATUS", "UNIT", "POSITION_TITLE", "PAID_AMOUNT", "NATURE", "DESCRIPTION", "APPLY_START", "APPLY_END", "WORK_START", "WORK_END", "WORK_TIME_REQUIREMENT"} {
		r := s.Do(t, stu, `query($o: HistoryColumn!, $a: String) { employmentHistory(first: 1, after: $a, orderBy: {column: $o, direction: DESC}) { totalCount edges { cursor node { id } } } }`,
			map[string]any{"o": order})
		var out struct {
			EmploymentHistory struct {
				TotalCount int
				Edges      []struct{ Cursor string }
			}
		}
		r.Decode(t, &out)
		if len(out.EmploymentHistory.Edges) != 1 {
			t.Fatalf("order %s: got %+v", order, out)
		}
		r = s.Do(t, stu, `query($o: HistoryColumn!, $a: String) { employmentHistory(first: 1, after: $a, orderBy: {column: $o, direction: DESC}) { totalCount edges { cursor node { id } } } }`,
			map[string]any{"o": order, "a": out.EmploymentHistory.Edges[0].Cursor})
		var next struct {
			EmploymentHistory struct {
				TotalCount int
				Edges      []struct{ Cursor string }
			}
		}
		r.Decode(t, &next)
		if len(next.EmploymentHistory.Edges) != 0 || next.EmploymentHistory.TotalCount != 1 {
			t.Fatalf("order %s page 2: got %+v, want no rows and total 1", order, next)
		}
	}
}
