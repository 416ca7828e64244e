package e2e

import (
	"slices"
	"testing"
)

// What an application's timeline shows of who acted: unit staff and admin the token's subject,
// the student their own subject and, for a staff member's step, only the office that acted.
func TestTimelineActorShown(t *testing.T) {
	const no = "20250001"
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "图书馆")
	s.SeedStudents(t, no)
	s.SeedProfile(t, no, ProfileInput(TestYear))
	app := s.Drive(t, unit, no, s.SeedPosition(t, unit, "PUBLISHED", authzPosition("文献传递")), "CONFIRMED")
	w, r := s.RecordWorkAs(t, s.Admin(t), app, "2026-11", 2, "50.00")
	if len(r.Errors) > 0 || len(w.UserErrors) > 0 {
		t.Fatalf("admin records work: got %+v, errors %+v", w, r.Errors)
	}
	const q = `query($id: ID!) { application(id: $id) { timeline { event actor actorRole } } }`
	events := []string{"APPLY", "HIRE", "CONFIRM", "RECORD_WORK"}
	roles := []string{"STUDENT", "UNIT_STAFF", "STUDENT", "ADMIN"}
	subjects := []string{"s" + no, "u" + unit, "s" + no, "admin"}
	for _, c := range []struct {
		who, token string
		headers    []string
		want       []string
	}{
		{"student", s.Student(t, no), nil, []string{"s" + no, "聘用单位：图书馆", "s" + no, "研究生院"}},
		{"student in English", s.Student(t, no), English, []string{"s" + no, "Unit: 图书馆", "s" + no, "Graduate School"}},
		{"unit staff", s.Unit(t, unit), nil, subjects},
		{"admin", s.Admin(t), nil, subjects},
	} {
		var out struct {
			Application struct {
				Timeline []struct{ Event, Actor, ActorRole string }
			}
		}
		s.Do(t, c.token, q, map[string]any{"id": app}, c.headers...).Decode(t, &out)
		var gotEvents, gotActors, gotRoles []string
		for _, e := range out.Application.Timeline {
			gotEvents, gotActors, gotRoles = append(gotEvents, e.Event), append(gotActors, e.Actor), append(gotRoles, e.ActorRole)
		}
		if !slices.Equal(gotEvents, events) || !slices.Equal(gotRoles, roles) {
			t.Fatalf("%s: timeline got events %v roles %v, want %v %v", c.who, gotEvents, gotRoles, events, roles)
		}
		if !slices.Equal(gotActors, c.want) {
			t.Errorf("%s: actors got %q, want %q", c.who, gotActors, c.want)
		}
	}
}

// A nomination's review, like a timeline's staff step: admin sees the reviewer's subject, the
// student the graduate school.
func TestNominationReviewerShown(t *testing.T) {
	const no = "20250002"
	s := NewServer(t)
	// The window contains the test clock and asks no hours.
	s.UpsertYear(t, With(YearInput(), "nominationOpensAt", "2026-11-01T00:00:00+08:00", "nominationMinHours", 0))
	s.SeedStudents(t, no)
	f := &authzFixture{s: s}
	id := f.nomination(t, no)
	s.mustMutate(t, s.Admin(t), `mutation($id: ID!) { r: reviewNomination(id: $id, awarded: true) { `+userErrorFields+` } }`,
		map[string]any{"id": id}, nil)
	const mine = `{ r: myNominations { reviewer history { actor } } }`
	const all = `{ n: nominations(academicYear: "` + TestYear + `", status: AWARDED) { edges { node { reviewer history { actor } } } } }`
	for _, c := range []struct {
		who, token, q string
		headers       []string
		reviewer      string
	}{
		{"student", s.Student(t, no), mine, nil, "研究生院"},
		{"student in English", s.Student(t, no), mine, English, "Graduate School"},
		{"admin", s.Admin(t), all, nil, "admin"},
	} {
		type node struct {
			Reviewer string
			History  []struct{ Actor string }
		}
		var out struct {
			R []node
			N struct{ Edges []struct{ Node node } }
		}
		s.Do(t, c.token, c.q, nil, c.headers...).Decode(t, &out)
		for _, e := range out.N.Edges {
			out.R = append(out.R, e.Node)
		}
		if len(out.R) != 1 {
			t.Fatalf("%s: got %d nominations, want 1", c.who, len(out.R))
		}
		var actors []string
		for _, h := range out.R[0].History {
			actors = append(actors, h.Actor)
		}
		if want := []string{"s" + no, c.reviewer}; out.R[0].Reviewer != c.reviewer || !slices.Equal(actors, want) {
			t.Errorf("%s: reviewer %q, history actors %q; want %q and %q", c.who, out.R[0].Reviewer, actors, c.reviewer, want)
		}
	}
}
