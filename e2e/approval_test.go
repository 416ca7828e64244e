package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Position approval (设岗审核): in a year whose positions need approval the unit submits a draft,
// admin approves or returns it, and until then students cannot find it; every step is in the
// position's history.

// The review's operations, each taking the variables its name says.
const (
	submitPositionMutation  = `mutation($id: ID!) { submitPosition(id: $id) ` + positionPayloadSelection + ` }`
	approvePositionMutation = `mutation($id: ID!) { approvePosition(id: $id) ` + positionPayloadSelection + ` }`
	returnPositionMutation  = `mutation($id: ID!, $note: String!) { returnPosition(id: $id, note: $note) ` + positionPayloadSelection + ` }`
)

// refusedMove runs the one-argument position mutation q on id as token and returns its
// userErrors, failing the test if it changed the position.
func refusedMove(t *testing.T, s *Server, token, q, id string, headers ...string) []UserError {
	t.Helper()
	res := runPositionMutation(t, s, token, q, map[string]any{"id": id}, headers...)
	if len(res.R.Errors) > 0 || res.Position != nil {
		t.Fatalf("got position %+v, errors %+v; want userErrors only", res.Position, res.R.Errors)
	}
	return res.UserErrors
}

// returnAs returns position id with note as admin and returns the result.
func returnAs(t *testing.T, s *Server, id, note string) positionResult {
	t.Helper()
	return runPositionMutation(t, s, s.Admin(t), returnPositionMutation, map[string]any{"id": id, "note": note})
}

// pendingIDs lists the ids of the PENDING_REVIEW positions token sees, newest first.
func pendingIDs(t *testing.T, s *Server, token string) []string {
	t.Helper()
	return positionIDs(positionsPage(t, s, token, map[string]any{"status": "PENDING_REVIEW"}, 100, ""))
}

func TestPositionApproval(t *testing.T) {
	s := NewServer(t)
	unit, _ := s.SeedSchool(t, "20160001")
	s.UpsertYear(t, ReviewYearInput())
	staff, admin, student := s.Unit(t, unit), s.Admin(t), s.Student(t, "20160001")
	s.SeedProfile(t, "20160001", ProfileInput(ReviewYear))
	actor := "u" + unit
	in := PositionInput("下学年数据整理", "academicYear", ReviewYear)
	id := s.SeedPosition(t, unit, "DRAFT", in)

	// The unit cannot publish directly: the refusal names the review step, in either language.
	errs := refusedMove(t, s, staff, publishPositionMutation, id)
	CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{ReviewYear, "提交审核", "submitPosition"}})
	errs = refusedMove(t, s, staff, publishPositionMutation, id, "Accept-Language", "en")
	CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{"review", "submitPosition"}})

	movePosition(t, s, staff, submitPositionMutation, id, "PENDING_REVIEW")

	// Waiting for review: no edit, no second submission, no publication, no close; the unit
	// cannot review its own position.
	var upd struct {
		R struct{ UserErrors []UserError }
	}
	s.Do(t, staff, `mutation($id: ID!, $in: PositionInput!) { r: updatePosition(id: $id, input: $in) { `+userErrorFields+` } }`,
		map[string]any{"id": id, "in": With(in, "title", "改过的标题")}).Decode(t, &upd)
	CheckUserErrors(t, upd.R.UserErrors, WantErr{Code: "INVALID_TRANSITION", Contains: []string{"待审核", "修改"}})
	for _, q := range []string{submitPositionMutation, publishPositionMutation, closePositionMutation} {
		errs := refusedMove(t, s, staff, q, id)
		CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{"待审核"}})
	}
	errs = refusedMove(t, s, admin, publishPositionMutation, id, "Accept-Language", "en")
	CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{"PENDING_REVIEW", "publish"}})
	WantTopLevel(t, s.Do(t, staff, `mutation($id: ID!) { r: approvePosition(id: $id) { userErrors { code } } }`, map[string]any{"id": id}), "FORBIDDEN")

	// Students do not find it: not by id, not in lists, not to apply.
	WantTopLevel(t, s.Do(t, student, `query($id: ID!) { position(id: $id) { id } }`, map[string]any{"id": id}), "NOT_FOUND")
	if ids := positionIDs(positionsPage(t, s, student, nil, 100, "")); slices.Contains(ids, id) {
		t.Errorf("a student's list: got %v, want no %s", ids, id)
	}
	if ids := pendingIDs(t, s, student); len(ids) != 0 {
		t.Errorf("a student's list of PENDING_REVIEW: got %v, want none", ids)
	}
	var units struct {
		Units []struct {
			Positions struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	s.Do(t, student, `{ units { positions(first: 100) { edges { node { id } } } } }`, nil).Decode(t, &units)
	for _, u := range units.Units {
		for _, e := range u.Positions.Edges {
			if e.Node.ID == id {
				t.Errorf("a unit's positions as a student: got %s, want it left out", id)
			}
		}
	}
	_, r := s.ApplyAs(t, student, id, nil)
	WantTopLevel(t, r, "NOT_FOUND")

	// Admin lists what waits for review, and so does the unit for its own.
	if ids := pendingIDs(t, s, admin); !slices.Equal(ids, []string{id}) {
		t.Errorf("admin's PENDING_REVIEW list: got %v, want [%s]", ids, id)
	}
	if ids := pendingIDs(t, s, staff); !slices.Equal(ids, []string{id}) {
		t.Errorf("the unit's PENDING_REVIEW list: got %v, want [%s]", ids, id)
	}

	// A return needs a note, which the history keeps; the unit may then edit and submit again.
	for _, c := range []struct{ note, contains string }{{"  ", "备注"}, {strings.Repeat("改", 501), "500"}} {
		CheckUserErrors(t, returnAs(t, s, id, c.note).UserErrors, WantErr{Code: "VALIDATION", Field: "note", Contains: []string{c.contains}})
	}
	if got := wantPosition(t, returnAs(t, s, id, "  请写明每周工作时间  ")); got.Status != "DRAFT" {
		t.Fatalf("return: got status %s, want DRAFT", got.Status)
	}
	s.Do(t, staff, `mutation($id: ID!, $in: PositionInput!) { r: updatePosition(id: $id, input: $in) { `+userErrorFields+` } }`,
		map[string]any{"id": id, "in": With(in, "workTimeRequirement", "周一、周三下午")}).Decode(t, &upd)
	CheckUserErrors(t, upd.R.UserErrors)
	movePosition(t, s, staff, submitPositionMutation, id, "PENDING_REVIEW")
	s.SetNow(mustTime(t, "2026-11-16T09:00:00+08:00"))
	movePosition(t, s, admin, approvePositionMutation, id, "PUBLISHED")
	errs = refusedMove(t, s, admin, approvePositionMutation, id)
	CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{"已发布"}})

	published, h := positionHistoryOf(t, s, staff, id)
	if published == nil || *published != "2026-11-16T09:00:00+08:00" {
		t.Errorf("publishedAt after approval: got %v, want the approval's 2026-11-16T09:00:00+08:00", published)
	}
	wantLines(t, "the review's history", h, "->DRAFT "+actor, "DRAFT>PENDING_REVIEW "+actor,
		"PENDING_REVIEW>DRAFT admin 请写明每周工作时间", "DRAFT>PENDING_REVIEW "+actor, "PENDING_REVIEW>PUBLISHED admin")
	if _, r := s.ApplyAs(t, student, id, nil); len(r.Errors) > 0 {
		t.Errorf("apply to the approved position: got errors %+v, want none", r.Errors)
	}
}

func TestPositionApprovalByYear(t *testing.T) {
	s := NewServer(t)
	unit, _ := s.SeedSchool(t, "20160001")
	s.UpsertYear(t, ReviewYearInput())
	staff, admin := s.Unit(t, unit), s.Admin(t)
	review := func(title string) map[string]any { return PositionInput(title, "academicYear", ReviewYear) }

	// A year without approval: submitting is refused and names the year, publishing works.
	plain := s.SeedPosition(t, unit, "DRAFT", PositionInput("本学年岗位"))
	errs := refusedMove(t, s, staff, submitPositionMutation, plain)
	CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{TestYear, "publishPosition"}})
	movePosition(t, s, staff, publishPositionMutation, plain, "PUBLISHED")

	// Admin may publish directly in a year that needs approval.
	direct := s.SeedPosition(t, unit, "DRAFT", review("研究生院直接发布"))
	movePosition(t, s, admin, publishPositionMutation, direct, "PUBLISHED")

	// Submission validates as createPosition does: a weekly cap lowered since the draft was
	// written refuses it, naming the position's field.
	capped := s.SeedPosition(t, unit, "DRAFT", review("每周十小时"))
	s.UpsertYear(t, With(ReviewYearInput(), "maxWeeklyHours", 8))
	errs = refusedMove(t, s, staff, submitPositionMutation, capped)
	CheckUserErrors(t, errs, WantErr{Code: "VALIDATION", Field: "weeklyHours", Contains: []string{"8", "10"}})

	// A pending position can be copied, into a DRAFT.
	s.UpsertYear(t, ReviewYearInput())
	pending := s.SeedPosition(t, unit, "PENDING_REVIEW", review("待审岗位"))
	cp := wantPosition(t, runPositionMutation(t, s, staff, copyPositionMutation, map[string]any{"id": pending}))
	if cp.Status != "DRAFT" {
		t.Fatalf("copy of a pending position: got status %s, want DRAFT", cp.Status)
	}

	// The setting is the year's, shown to everyone, off unless given.
	var year struct {
		AcademicYear struct{ PositionsNeedApproval bool }
	}
	s.Do(t, staff, `query($y: String!) { academicYear(name: $y) { positionsNeedApproval } }`, map[string]any{"y": ReviewYear}).Decode(t, &year)
	if !year.AcademicYear.PositionsNeedApproval {
		t.Errorf("positionsNeedApproval of %s: got false, want true", ReviewYear)
	}
	s.UpsertYear(t, YearInputOf(ReviewYear))
	s.Do(t, staff, `query($y: String!) { academicYear(name: $y) { positionsNeedApproval } }`, map[string]any{"y": ReviewYear}).Decode(t, &year)
	if year.AcademicYear.PositionsNeedApproval {
		t.Errorf("positionsNeedApproval after an upsert without it: got true, want the default false")
	}

	// Switched off, the year takes publications from the unit again, and what waits for review
	// stays for admin to approve or return.
	movePosition(t, s, staff, publishPositionMutation, cp.ID, "PUBLISHED")
	errs = refusedMove(t, s, staff, submitPositionMutation, capped)
	CheckUserErrors(t, errs, WantErr{Code: "INVALID_TRANSITION", Contains: []string{ReviewYear}})
	if ids := pendingIDs(t, s, admin); !slices.Equal(ids, []string{pending}) {
		t.Errorf("pending after switching off: got %v, want [%s]", ids, pending)
	}
	second := s.SeedPosition(t, unit, "DRAFT", review("第二个待审岗位"))
	s.UpsertYear(t, ReviewYearInput())
	movePosition(t, s, staff, submitPositionMutation, second, "PENDING_REVIEW")
	s.UpsertYear(t, YearInputOf(ReviewYear))
	movePosition(t, s, admin, approvePositionMutation, pending, "PUBLISHED")
	if got := wantPosition(t, returnAs(t, s, second, "年度设置已调整，请直接发布")); got.Status != "DRAFT" {
		t.Errorf("return after switching off: got status %s, want DRAFT", got.Status)
	}
}

// Concurrent reviews of one position: exactly one approval or return takes it, the others are
// INVALID_TRANSITION, and the history holds the one review.
func TestPositionReviewRace(t *testing.T) {
	s := NewServer(t)
	s.UpsertYear(t, ReviewYearInput())
	unit := s.SeedUnit(t, "研究生院")
	id := s.SeedPosition(t, unit, "PENDING_REVIEW", PositionInput("并发审核", "academicYear", ReviewYear))
	admin := s.Admin(t)
	const n = 8
	results := make([]positionPayload, n)
	failures := make([]error, n)
	Race(n, func(i int) {
		q, vars := approvePositionMutation, map[string]any{"id": id}
		if i%2 == 1 {
			q, vars = returnPositionMutation, map[string]any{"id": id, "note": "请补充材料"}
		}
		r, err := PostOp(s.URL, admin, q, vars)
		if err == nil && len(r.Errors) > 0 {
			err = fmt.Errorf("errors %+v", r.Errors)
		}
		var m map[string]positionPayload
		if err == nil {
			err = json.Unmarshal(r.Data, &m)
		}
		for _, p := range m {
			results[i] = p
		}
		failures[i] = err
	})
	won := 0
	for i, p := range results {
		switch {
		case failures[i] != nil:
			t.Errorf("review %d: %v", i, failures[i])
		case p.Position != nil:
			won++
		case len(p.UserErrors) != 1 || p.UserErrors[0].Code != "INVALID_TRANSITION":
			t.Errorf("review %d: got %+v, want INVALID_TRANSITION", i, p.UserErrors)
		}
	}
	if won != 1 {
		t.Errorf("reviews that took the position: got %d, want 1", won)
	}
	_, h := positionHistoryOf(t, s, admin, id)
	if len(h) != 3 || h[2].From == nil || *h[2].From != "PENDING_REVIEW" {
		t.Errorf("history after the race: got %q, want creation, submission and one review", statusLines(h))
	}
}
