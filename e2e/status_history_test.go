package e2e

import (
	"strings"
	"testing"
)

// Status histories of positions and nominations: every change of status with who, when, from,
// to and the note, readable by those who may see the object; edits and refusals add nothing.

// statusEvent is a PositionEvent or a NominationEvent.
type statusEvent struct {
	From      *string
	To, Actor string
	At, Note  string
}

// statusLine renders an event as "FROM>TO actor note" ("-" for no from) to compare whole histories.
func statusLine(e statusEvent) string {
	from := "-"
	if e.From != nil {
		from = *e.From
	}
	return strings.TrimSpace(from + ">" + e.To + " " + e.Actor + " " + e.Note)
}

func statusLines(es []statusEvent) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = statusLine(e)
	}
	return out
}

// positionHistoryOf reads a position's publishedAt and history as token.
func positionHistoryOf(t *testing.T, s *Server, token, id string) (publishedAt *string, history []statusEvent) {
	t.Helper()
	var out struct {
		Position struct {
			PublishedAt *string
			History     []statusEvent
		}
	}
	s.Do(t, token, `query($id: ID!) { position(id: $id) { publishedAt history { from to at actor note } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	return out.Position.PublishedAt, out.Position.History
}

func wantLines(t *testing.T, what string, got []statusEvent, want ...string) {
	t.Helper()
	if g := statusLines(got); strings.Join(g, " | ") != strings.Join(want, " | ") {
		t.Errorf("%s: got %q, want %q", what, g, want)
	}
}

func TestPositionHistory(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	unit, other := s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "药学院")
	s.SeedStudents(t, "20160931")
	staff, admin := s.Unit(t, unit), s.Admin(t)
	actor := "u" + unit // the harness's unit tokens have subject "u<id>"

	id := s.SeedPosition(t, unit, "DRAFT", PositionInput("数据整理"))
	published, h := positionHistoryOf(t, s, staff, id)
	if published != nil {
		t.Errorf("publishedAt of a draft: got %s, want null", *published)
	}
	wantLines(t, "a new draft", h, "->DRAFT "+actor)
	if len(h) == 1 && h[0].At != "2026-11-15T10:00:00+08:00" {
		t.Errorf("creation time: got %s, want the clock's 2026-11-15T10:00:00+08:00", h[0].At)
	}

	// An edit and a refused move leave the history as it is.
	var upd struct {
		R struct{ UserErrors []UserError }
	}
	s.Do(t, staff, `mutation($id: ID!, $in: PositionInput!) { r: updatePosition(id: $id, input: $in) { userErrors { code field message } } }`,
		map[string]any{"id": id, "in": PositionInput("数据整理（修改）")}).Decode(t, &upd)
	CheckUserErrors(t, upd.R.UserErrors)
	var closeDraft struct {
		R struct{ UserErrors []UserError }
	}
	s.Do(t, staff, `mutation($id: ID!) { r: closePosition(id: $id) { userErrors { code field message } } }`,
		map[string]any{"id": id}).Decode(t, &closeDraft)
	CheckUserErrors(t, closeDraft.R.UserErrors, WantErr{Code: "INVALID_TRANSITION", Field: ""})
	_, h = positionHistoryOf(t, s, staff, id)
	wantLines(t, "after an edit and a refused close", h, "->DRAFT "+actor)

	publishAt := "2026-11-16T09:30:00+08:00"
	s.SetNow(mustTime(t, publishAt))
	var pub struct {
		R struct{ UserErrors []UserError }
	}
	s.Do(t, staff, `mutation($id: ID!) { r: publishPosition(id: $id) { userErrors { code field message } } }`,
		map[string]any{"id": id}).Decode(t, &pub)
	CheckUserErrors(t, pub.R.UserErrors)
	s.SetNow(mustTime(t, "2026-11-20T17:00:00+08:00"))
	var closed struct {
		R struct{ UserErrors []UserError }
	}
	s.Do(t, admin, `mutation($id: ID!) { r: closePosition(id: $id) { userErrors { code field message } } }`,
		map[string]any{"id": id}).Decode(t, &closed)
	CheckUserErrors(t, closed.R.UserErrors)

	published, h = positionHistoryOf(t, s, staff, id)
	if published == nil || *published != publishAt {
		t.Errorf("publishedAt after publish and close: got %v, want %s (the publication, not the close)", published, publishAt)
	}
	wantLines(t, "created, published by the unit, closed by admin", h, "->DRAFT "+actor, "DRAFT>PUBLISHED "+actor, "PUBLISHED>CLOSED admin")
	if len(h) == 3 && (h[1].At != publishAt || h[2].At != "2026-11-20T17:00:00+08:00") {
		t.Errorf("times: got %s and %s, want the publication and the close", h[1].At, h[2].At)
	}
	_, adminSees := positionHistoryOf(t, s, admin, id)
	wantLines(t, "admin", adminSees, statusLines(h)...)

	// A copy starts a history of its own that names its source.
	var cp struct {
		R struct {
			Position struct {
				ID      string
				History []statusEvent
			}
		}
	}
	s.Do(t, staff, `mutation($id: ID!) { r: copyPosition(id: $id) { position { id history { from to actor note } } } }`,
		map[string]any{"id": id}).Decode(t, &cp)
	wantLines(t, "a copy", cp.R.Position.History, "->DRAFT "+actor+" 复制自岗位 "+id)

	// A student sees a published position but not its history; another unit sees neither.
	open := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("开放岗位"))
	if _, h := positionHistoryOf(t, s, s.Student(t, "20160931"), open); len(h) != 0 {
		t.Errorf("a student's view of the history: got %q, want none", statusLines(h))
	}
	WantTopLevel(t, s.Do(t, s.Unit(t, other), `query($id: ID!) { position(id: $id) { history { to } } }`, map[string]any{"id": id}), "NOT_FOUND")
}

func TestNominationHistory(t *testing.T) {
	s := NewServer(t)
	seedNominationSchool(t, s, map[string]float64{"20160001": 40, "20160002": 40})
	first, second := submitNomination(t, s, "20160001", nominationReason(500)), submitNomination(t, s, "20160002", nominationReason(500))
	a, b := wantNomination(t, first, "SUBMITTED").ID, wantNomination(t, second, "SUBMITTED").ID

	// An edit keeps the status and is not listed.
	wantNomination(t, mutateNomination(t, s, s.Student(t, "20160001"), updateNominationMutation,
		map[string]any{"id": a, "r": nominationReason(600)}), "SUBMITTED")
	wantNomination(t, mutateNomination(t, s, s.Student(t, "20160002"), withdrawNominationMutation, map[string]any{"id": b}), "WITHDRAWN")
	s.SetNow(mustTime(t, "2027-07-02T10:00:00+08:00")) // review after the window
	wantNomination(t, mutateNomination(t, s, s.Admin(t), reviewNominationMutation,
		map[string]any{"id": a, "a": true, "c": " 表现突出 "}), "AWARDED")
	// A second review is refused and adds nothing.
	nominationRefused(t, mutateNomination(t, s, s.Admin(t), reviewNominationMutation, map[string]any{"id": a, "a": false}),
		WantErr{Code: "INVALID_TRANSITION", Field: ""})

	var mine struct {
		R []struct {
			ID      string
			History []statusEvent
		}
	}
	s.Do(t, s.Student(t, "20160001"), `{ r: myNominations { id history { from to at actor note } } }`, nil).Decode(t, &mine)
	if len(mine.R) != 1 || mine.R[0].ID != a {
		t.Fatalf("myNominations: got %+v, want nomination %s", mine.R, a)
	}
	// The student is shown the review by the office, not the reviewer (TestNominationReviewerShown).
	wantLines(t, "submitted, edited, awarded", mine.R[0].History, "->SUBMITTED s20160001", "SUBMITTED>AWARDED 研究生院 表现突出")
	if h := mine.R[0].History; len(h) == 2 && h[1].At != "2027-07-02T10:00:00+08:00" {
		t.Errorf("review time: got %s, want 2027-07-02T10:00:00+08:00", h[1].At)
	}

	var list struct {
		R struct {
			Edges []struct {
				Node struct {
					ID      string
					History []statusEvent
				}
			}
		}
	}
	s.Do(t, s.Admin(t), `{ r: nominations(academicYear: "2026-2027", status: WITHDRAWN) { edges { node { id history { from to actor } } } } }`, nil).Decode(t, &list)
	if len(list.R.Edges) != 1 || list.R.Edges[0].Node.ID != b {
		t.Fatalf("withdrawn nominations: got %+v, want %s", list.R.Edges, b)
	}
	wantLines(t, "withdrawn", list.R.Edges[0].Node.History, "->SUBMITTED s20160002", "SUBMITTED>WITHDRAWN s20160002")
}
