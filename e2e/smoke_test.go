package e2e

import "testing"

func TestHarnessPublishFlow(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedStudents(t, "20160931")
	id := s.SeedPosition(t, unit, "DRAFT", PositionInput("数据整理"))
	var pub struct {
		PublishPosition struct {
			Position struct{ Status string }
		}
	}
	s.Do(t, s.Unit(t, unit), `mutation($id: ID!) { publishPosition(id: $id) { position { status } } }`, map[string]any{"id": id}).Decode(t, &pub)
	if got := pub.PublishPosition.Position.Status; got != "PUBLISHED" {
		t.Fatalf("status: got %s, want PUBLISHED", got)
	}
	var list struct {
		Positions struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	s.Do(t, s.Student(t, "20160931"), `{ positions { totalCount edges { node { id } } } }`, nil).Decode(t, &list)
	if list.Positions.TotalCount != 1 || len(list.Positions.Edges) != 1 || list.Positions.Edges[0].Node.ID != id {
		t.Fatalf("student list: got %+v, want the one published position %s", list.Positions, id)
	}
}
