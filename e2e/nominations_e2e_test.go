package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Excellent-assistant nominations (评优申请) end to end over HTTP: eligibility with its hours and
// window boundaries, the reason rule, edit, withdraw and review, the lists, every role's
// refusals, races and the statement count of a page. The test year 2026-2027 takes nominations
// in June 2027 and asks for 40 recorded hours.

// ---------------------------------------------------------------------------------------------
// helpers (all prefixed nom)

const (
	nomOpen = "2027-06-10T10:00:00+08:00" // inside the test year's nomination window

	nomFields = `nomination { id academicYear reason status statusLabel submittedAt updatedAt reviewedAt reviewer comment
		hoursWorked student { studentNo name } } userErrors { code field message }`
	nomSubmitQ   = `mutation($y: String!, $r: String!) { r: submitNomination(input: {academicYear: $y, reason: $r}) { ` + nomFields + ` } }`
	nomUpdateQ   = `mutation($id: ID!, $r: String!) { r: updateNomination(id: $id, reason: $r) { ` + nomFields + ` } }`
	nomWithdrawQ = `mutation($id: ID!) { r: withdrawNomination(id: $id) { ` + nomFields + ` } }`
	nomReviewQ   = `mutation($id: ID!, $a: Boolean!, $c: String) { r: reviewNomination(id: $id, awarded: $a, comment: $c) { ` + nomFields + ` } }`
	nomEligQ     = `query($y: String!) { r: nominationEligibility(academicYear: $y) {
		academicYear eligible windowOpen opensAt closesAt hoursWorked hoursRequired alreadySubmitted enrolled reasons } }`
	nomMineQ = `query { r: myNominations { id academicYear reason status statusLabel submittedAt updatedAt reviewedAt reviewer comment
		hoursWorked student { studentNo name } } }`
	nomListQ = `query($y: String!, $s: NominationStatus, $first: Int, $after: String) {
		r: nominations(academicYear: $y, status: $s, first: $first, after: $after) {
			totalCount edges { cursor node { id status reason hoursWorked student { studentNo name phone } } } pageInfo { hasNextPage endCursor } } }`
	nomRecordQ = `mutation($a: ID!, $m: Month!, $h: Float!) { r: recordWork(input: {applicationId: $a, month: $m, hours: $h, amount: "100.00"}) {
		workRecord { month hours } userErrors { code field message } } }`
)

type nomNode struct {
	ID, AcademicYear, Reason, Status, StatusLabel, SubmittedAt, UpdatedAt string
	ReviewedAt, Reviewer, Comment                                         *string
	HoursWorked                                                           float64
	Student                                                               struct {
		StudentNo, Name string
		Phone           *string
	}
}

type nomPayload struct {
	Nomination *nomNode
	UserErrors []UserError
}

type nomElig struct {
	AcademicYear                                     string
	Eligible, WindowOpen, AlreadySubmitted, Enrolled bool
	OpensAt, ClosesAt                                string
	HoursWorked, HoursRequired                       float64
	Reasons                                          []string
}

type nomConn struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   nomNode
	}
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
}

// nomDecode reads the field aliased r of a response; top-level errors become an error.
func nomDecode(r Response, v any) error {
	if len(r.Errors) > 0 {
		b, _ := json.Marshal(r.Errors)
		return fmt.Errorf("graphql errors (HTTP %d): %s", r.Status, b)
	}
	var out struct{ R json.RawMessage }
	if err := json.Unmarshal(r.Data, &out); err != nil {
		return fmt.Errorf("decode %s: %w", r.Data, err)
	}
	return json.Unmarshal(out.R, v)
}

// nomDo runs an operation whose field is aliased r and decodes that field into v; top-level
// errors fail the test.
func nomDo(t *testing.T, s *Server, token, q string, vars map[string]any, v any, headers ...string) {
	t.Helper()
	if err := nomDecode(s.Do(t, token, q, vars, headers...), v); err != nil {
		t.Fatal(err)
	}
}

func nomMutate(t *testing.T, s *Server, token, q string, vars map[string]any, headers ...string) nomPayload {
	t.Helper()
	var p nomPayload
	nomDo(t, s, token, q, vars, &p, headers...)
	return p
}

func nomSubmit(t *testing.T, s *Server, no, reason string, headers ...string) nomPayload {
	t.Helper()
	return nomMutate(t, s, s.Student(t, no), nomSubmitQ, map[string]any{"y": TestYear, "r": reason}, headers...)
}

func nomEligibility(t *testing.T, s *Server, no, year string, headers ...string) nomElig {
	t.Helper()
	var e nomElig
	nomDo(t, s, s.Student(t, no), nomEligQ, map[string]any{"y": year}, &e, headers...)
	return e
}

func nomMine(t *testing.T, s *Server, no string) []nomNode {
	t.Helper()
	var ns []nomNode
	nomDo(t, s, s.Student(t, no), nomMineQ, nil, &ns)
	return ns
}

func nomList(t *testing.T, s *Server, year string, status any, first int, after any) nomConn {
	t.Helper()
	var c nomConn
	nomDo(t, s, s.Admin(t), nomListQ, map[string]any{"y": year, "s": status, "first": first, "after": after}, &c)
	return c
}

// nomOK fails unless the payload holds a nomination in status and no userErrors.
func nomOK(t *testing.T, p nomPayload, status string) *nomNode {
	t.Helper()
	if len(p.UserErrors) > 0 || p.Nomination == nil || p.Nomination.Status != status {
		t.Fatalf("got nomination %+v with userErrors %+v, want a %s nomination", p.Nomination, p.UserErrors, status)
	}
	return p.Nomination
}

// nomRefused fails unless the payload has no nomination and exactly the userErrors want, in
// order, each written "CODE dotted.field" (just "CODE" for no field); it returns them.
func nomRefused(t *testing.T, p nomPayload, want ...string) []UserError {
	t.Helper()
	got := make([]string, len(p.UserErrors))
	for i, e := range p.UserErrors {
		got[i] = strings.TrimSpace(e.Code + " " + strings.Join(e.Field, "."))
		if strings.TrimSpace(e.Message) == "" {
			t.Errorf("userErrors[%d].message: got empty, want a sentence", i)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("userErrors: got %q %+v, want %q", got, p.UserErrors, want)
	}
	if p.Nomination != nil {
		t.Errorf("nomination: got %+v, want null", p.Nomination)
	}
	return p.UserErrors
}

// nomMentions fails unless text contains every one of subs.
func nomMentions(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(text, sub) {
			t.Errorf("%s: got %q, want it to contain %q", what, text, sub)
		}
	}
}

// nomReason is a reason of n Chinese characters.
func nomReason(n int) string { return strings.Repeat("优", n) }

// nomSnapshot is every nomination row as text, to prove that a refused call changed nothing.
func nomSnapshot(t *testing.T, s *Server) string {
	t.Helper()
	var out string
	err := s.DB.Get(&out, `SELECT coalesce(string_agg(concat_ws('|', id, student_no, academic_year, status, md5(reason),
		submitted_at, updated_at, reviewed_at, reviewer, review_comment), ',' ORDER BY id), '') FROM nominations`)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// nomSeed creates the test year, a unit with a published position (headcount 50, work in
// January and February 2027) and the students with profiles: those in hours get an employment
// there with their hours recorded, split over both months; the others get none. The clock ends
// at nomOpen, inside the nomination window. Returns the unit's id.
func nomSeed(t *testing.T, s *Server, hours map[string]float64, others ...string) string {
	t.Helper()
	nos := append(slices.Sorted(maps.Keys(hours)), others...)
	unit, _ := s.SeedSchool(t, nos...)
	pos := concPosition(t, s, unit, "评优工时", map[string]any{"headcount": 50})
	apps := map[string]string{}
	for no := range hours {
		apps[no] = nomEmploy(t, s, unit, no, pos)
	}
	s.SetNow(mustTime(t, "2027-03-10T10:00:00+08:00"))
	for no, h := range hours {
		january := math.Floor(h / 2)
		nomRecord(t, s, unit, apps[no], "2027-01", january)
		nomRecord(t, s, unit, apps[no], "2027-02", math.Round((h-january)*100)/100)
	}
	s.SetNow(mustTime(t, nomOpen))
	return unit
}

// nomEmploy takes student no through apply, hire and confirm on position and returns the application's id.
func nomEmploy(t *testing.T, s *Server, unit, no, position string) string {
	t.Helper()
	id := concApply(t, s, no, position)
	concStep(t, s, s.Unit(t, unit), concHire, map[string]any{"id": id}, "HIRED")
	concStep(t, s, s.Student(t, no), concConfirm, map[string]any{"id": id}, "CONFIRMED")
	return id
}

// nomRecord records hours of an employment in month, as its unit.
func nomRecord(t *testing.T, s *Server, unit, app, month string, hours float64) {
	t.Helper()
	var p struct {
		WorkRecord *struct{ Month string }
		UserErrors []UserError
	}
	nomDo(t, s, s.Unit(t, unit), nomRecordQ, map[string]any{"a": app, "m": month, "h": hours}, &p)
	if p.WorkRecord == nil || len(p.UserErrors) > 0 {
		t.Fatalf("record %vh in %s for application %s: got %+v, want a work record", hours, month, app, p.UserErrors)
	}
}

// nomUpsertYear creates or changes an academic year as admin: the test year with kv changed.
func nomUpsertYear(t *testing.T, s *Server, kv ...any) {
	t.Helper()
	var out struct {
		UpsertAcademicYear struct{ UserErrors []UserError }
	}
	s.Do(t, s.Admin(t), accYearMutation, map[string]any{"in": accCopy(YearInput(), kv...)}).Decode(t, &out)
	if len(out.UpsertAcademicYear.UserErrors) > 0 {
		t.Fatalf("upsert year %v: %+v", kv, out.UpsertAcademicYear.UserErrors)
	}
}

// ---------------------------------------------------------------------------------------------
// 1. Eligibility: hours just under, at and over the minimum

func TestNominationEligibilityHours(t *testing.T) {
	s := NewServer(t)
	under, at, over, none := "20160001", "20160002", "20160003", "20160004"
	nomSeed(t, s, map[string]float64{under: 39.99, at: 40, over: 40.01}, none)

	cases := []struct {
		no       string
		hours    float64
		eligible bool
	}{{under, 39.99, false}, {at, 40, true}, {over, 40.01, true}, {none, 0, false}}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%vh", c.hours), func(t *testing.T) {
			e := nomEligibility(t, s, c.no, TestYear)
			if e.HoursWorked != c.hours || e.HoursRequired != 40 || e.Eligible != c.eligible {
				t.Errorf("eligibility: got %vh of %vh, eligible %v; want %vh of 40h, eligible %v", e.HoursWorked, e.HoursRequired, e.Eligible, c.hours, c.eligible)
			}
			if !e.WindowOpen || e.AlreadySubmitted || !e.Enrolled || e.AcademicYear != TestYear {
				t.Errorf("eligibility: got %+v, want window open, not submitted, enrolled, year %s", e, TestYear)
			}
			if e.OpensAt != "2027-06-01T00:00:00+08:00" || e.ClosesAt != "2027-06-30T23:59:59+08:00" {
				t.Errorf("window: got %s .. %s, want the year's", e.OpensAt, e.ClosesAt)
			}
			if c.eligible {
				if len(e.Reasons) != 0 {
					t.Errorf("reasons: got %q, want none", e.Reasons)
				}
				n := nomOK(t, nomSubmit(t, s, c.no, nomReason(500)), "SUBMITTED")
				if n.HoursWorked != c.hours {
					t.Errorf("nomination hoursWorked: got %v, want %v", n.HoursWorked, c.hours)
				}
				return
			}
			if len(e.Reasons) != 1 {
				t.Fatalf("reasons: got %q, want one (hours)", e.Reasons)
			}
			nomMentions(t, "reason", e.Reasons[0], "工作时长", fmt.Sprint(c.hours), "40")
			en := nomEligibility(t, s, c.no, TestYear, accEN...)
			if len(en.Reasons) != 1 || posHasHan(en.Reasons[0]) {
				t.Errorf("English reasons: got %q, want one without Chinese", en.Reasons)
			}
			nomMentions(t, "English reason", en.Reasons[0], "hours", fmt.Sprint(c.hours), "40")
			errs := nomRefused(t, nomSubmit(t, s, c.no, nomReason(500)), "NOT_ELIGIBLE")
			if errs[0].Message != e.Reasons[0] {
				t.Errorf("NOT_ELIGIBLE message: got %q, want the eligibility's reason %q", errs[0].Message, e.Reasons[0])
			}
		})
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations`); n != 2 {
		t.Errorf("nominations: got %d, want 2 (at and over the minimum)", n)
	}

	t.Run("after submitting", func(t *testing.T) {
		e := nomEligibility(t, s, at, TestYear)
		if e.Eligible || !e.AlreadySubmitted || len(e.Reasons) != 1 {
			t.Fatalf("eligibility: got %+v, want not eligible, already submitted, one reason", e)
		}
		nomMentions(t, "reason", e.Reasons[0], "已提交", TestYear)
	})
	t.Run("unknown year is NOT_FOUND", func(t *testing.T) {
		r := s.Do(t, s.Student(t, at), nomEligQ, map[string]any{"y": "2030-2031"})
		accWantTop(t, r, "r", "NOT_FOUND", "2030-2031")
	})
}

// Hours count the work records whose month lies in the year's months, whatever position they
// belong to: a record in August 2026 belongs to no part of 2026-2027 (September to July).
func TestNominationHoursMonthsOfYear(t *testing.T) {
	s := NewServer(t)
	no := "20160001"
	s.SetNow(mustTime(t, "2026-07-15T10:00:00+08:00"))
	unit, _ := s.SeedSchool(t, no)
	nomUpsertYear(t, s, "name", "2025-2026", "startDate", "2025-09-01", "endDate", "2026-08-31",
		"nominationOpensAt", "2026-06-01T00:00:00+08:00", "nominationClosesAt", "2026-09-30T00:00:00+08:00")
	nomUpsertYear(t, s, "name", "2027-2028", "startDate", "2027-08-01", "endDate", "2028-07-31",
		"nominationOpensAt", "2028-06-01T00:00:00+08:00", "nominationClosesAt", "2028-06-30T00:00:00+08:00")
	pos := concPosition(t, s, unit, "跨学年岗位", map[string]any{
		"applyStart": "2026-07-01T00:00:00+08:00", "applyEnd": "2026-07-31T00:00:00+08:00",
		"workStart": "2026-08-01T00:00:00+08:00", "workEnd": "2027-09-30T00:00:00+08:00"})
	app := nomEmploy(t, s, unit, no, pos)
	s.SetNow(mustTime(t, "2027-09-10T10:00:00+08:00"))
	// One power of two per month, so each year's sum shows which months it took.
	for month, h := range map[string]float64{"2026-08": 1, "2026-09": 2, "2027-07": 4, "2027-08": 8} {
		nomRecord(t, s, unit, app, month, h)
	}
	for year, want := range map[string]float64{"2025-2026": 1, TestYear: 6, "2027-2028": 8} {
		if e := nomEligibility(t, s, no, year); e.HoursWorked != want {
			t.Errorf("%s: hoursWorked got %v, want %v", year, e.HoursWorked, want)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// 2. The window: before, at its edges, after

func TestNominationWindow(t *testing.T) {
	s := NewServer(t)
	first, second := "20160001", "20160002"
	nomSeed(t, s, map[string]float64{first: 40, second: 40})
	stu := s.Student(t, first)

	closed := func(t *testing.T, when string, submitted string) {
		t.Helper()
		s.SetNow(mustTime(t, when))
		before := nomSnapshot(t, s)
		e := nomEligibility(t, s, second, TestYear)
		if e.WindowOpen || e.Eligible || len(e.Reasons) != 1 {
			t.Fatalf("eligibility at %s: got %+v, want window closed, not eligible, one reason", when, e)
		}
		nomMentions(t, "reason", e.Reasons[0], "2027-06-01 00:00", "2027-06-30 23:59")
		errs := nomRefused(t, nomSubmit(t, s, second, nomReason(500)), "WINDOW_CLOSED input.academicYear")
		if errs[0].Message != e.Reasons[0] {
			t.Errorf("WINDOW_CLOSED message: got %q, want the eligibility's reason %q", errs[0].Message, e.Reasons[0])
		}
		if submitted != "" {
			nomRefused(t, nomMutate(t, s, stu, nomUpdateQ, map[string]any{"id": submitted, "r": nomReason(600)}), "WINDOW_CLOSED")
			nomRefused(t, nomMutate(t, s, stu, nomWithdrawQ, map[string]any{"id": submitted}), "WINDOW_CLOSED")
		}
		if after := nomSnapshot(t, s); after != before {
			t.Errorf("nominations after refusals at %s: got %s, want %s", when, after, before)
		}
	}
	t.Run("a second before it opens", func(t *testing.T) { closed(t, "2027-05-31T23:59:59+08:00", "") })

	var id string
	t.Run("as it opens", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-06-01T00:00:00+08:00"))
		if e := nomEligibility(t, s, first, TestYear); !e.WindowOpen || !e.Eligible {
			t.Fatalf("eligibility: got %+v, want open and eligible", e)
		}
		n := nomOK(t, nomSubmit(t, s, first, nomReason(500)), "SUBMITTED")
		id = n.ID
		if n.SubmittedAt != "2027-06-01T00:00:00+08:00" || n.UpdatedAt != n.SubmittedAt {
			t.Errorf("times: got submitted %s updated %s, want both 2027-06-01T00:00:00+08:00", n.SubmittedAt, n.UpdatedAt)
		}
	})
	if id == "" {
		t.Fatal("no nomination to edit")
	}
	t.Run("a second before it closes", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-06-30T23:59:58+08:00"))
		if e := nomEligibility(t, s, second, TestYear); !e.WindowOpen || !e.Eligible {
			t.Fatalf("eligibility: got %+v, want open and eligible", e)
		}
		n := nomOK(t, nomMutate(t, s, stu, nomUpdateQ, map[string]any{"id": id, "r": nomReason(501)}), "SUBMITTED")
		if n.UpdatedAt != "2027-06-30T23:59:58+08:00" || utf8.RuneCountInString(n.Reason) != 501 {
			t.Errorf("edited: got updatedAt %s and %d characters, want 2027-06-30T23:59:58+08:00 and 501", n.UpdatedAt, utf8.RuneCountInString(n.Reason))
		}
	})
	t.Run("as it closes", func(t *testing.T) { closed(t, "2027-06-30T23:59:59+08:00", id) })
	t.Run("after it closed", func(t *testing.T) { closed(t, "2027-07-15T10:00:00+08:00", id) })
	t.Run("English", func(t *testing.T) {
		p := nomSubmit(t, s, second, nomReason(500), accEN...)
		errs := nomRefused(t, p, "WINDOW_CLOSED input.academicYear")
		accNoHan(t, errs)
		nomMentions(t, "message", errs[0].Message, TestYear, "2027-06-01 00:00")
	})
}

// ---------------------------------------------------------------------------------------------
// 3. The reason: 499/500/501 in Chinese, ASCII and emoji, white space around and inside, 5000/5001

func TestNominationReasonBoundaries(t *testing.T) {
	s := NewServer(t)
	no := "20160001"
	nomSeed(t, s, map[string]float64{no: 40})
	stu := s.Student(t, no)
	han := func(n int) string { return strings.Repeat("评", n) }
	ascii := func(n int) string { return strings.Repeat("x", n) }
	emoji := func(n int) string { return strings.Repeat("😀", n) }
	cases := []struct {
		name   string
		reason string
		count  int // characters after trimming
	}{
		{"Chinese 499", han(499), 499},
		{"Chinese 500", han(500), 500},
		{"Chinese 501", han(501), 501},
		{"ASCII 499", ascii(499), 499},
		{"ASCII 500", ascii(500), 500},
		{"ASCII 501", ascii(501), 501},
		{"emoji 499", emoji(499), 499},
		{"emoji 500", emoji(500), 500},
		{"emoji 501", emoji(501), 501},
		{"surrounding white space around 499", " \t\n\u3000" + han(499) + "\u3000\r\n ", 499},
		{"surrounding white space around 500", "\u3000\u3000" + han(500) + " \n", 500},
		{"inner white space counts (498 + 2)", han(249) + " \u3000" + han(249), 500},
		{"inner white space counts (497 + 2)", han(248) + "\n\n" + han(249), 499},
		{"Chinese 5000", han(5000), 5000},
		{"Chinese 5001", han(5001), 5001},
		{"emoji 5000 with white space around", "\u3000" + emoji(5000) + "\n", 5000},
		{"emoji 5001", emoji(5001), 5001},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := s.Count(t, `SELECT count(*) FROM nominations`)
			p := nomSubmit(t, s, no, c.reason)
			if c.count < 500 || c.count > 5000 {
				errs := nomRefused(t, p, "VALIDATION input.reason")
				bound := map[bool]string{true: "500", false: "5000"}[c.count < 500]
				nomMentions(t, "message", errs[0].Message, "理由", bound, fmt.Sprintf("实际 %d 个", c.count))
				en := nomRefused(t, nomSubmit(t, s, no, c.reason, accEN...), "VALIDATION input.reason")
				accNoHan(t, en)
				nomMentions(t, "English message", en[0].Message, "reason", bound, fmt.Sprintf("got %d", c.count))
				if n := s.Count(t, `SELECT count(*) FROM nominations`); n != before {
					t.Errorf("nominations: got %d, want %d", n, before)
				}
				return
			}
			n := nomOK(t, p, "SUBMITTED")
			if n.Reason != strings.TrimSpace(c.reason) {
				t.Errorf("stored reason: got %d characters starting %.10q, want the input trimmed", utf8.RuneCountInString(n.Reason), n.Reason)
			}
			if got := s.Count(t, `SELECT char_length(reason) FROM nominations WHERE id = $1`, n.ID); got != c.count {
				t.Errorf("char_length in the database: got %d, want %d", got, c.count)
			}
			// Withdraw, so that the next case may submit again.
			nomOK(t, nomMutate(t, s, stu, nomWithdrawQ, map[string]any{"id": n.ID}), "WITHDRAWN")
		})
	}

	t.Run("updateNomination follows the same rule", func(t *testing.T) {
		id := nomOK(t, nomSubmit(t, s, no, han(500)), "SUBMITTED").ID
		for _, r := range []string{han(499), "\u3000" + han(499) + " ", emoji(5001)} {
			errs := nomRefused(t, nomMutate(t, s, stu, nomUpdateQ, map[string]any{"id": id, "r": r}), "VALIDATION reason")
			nomMentions(t, "message", errs[0].Message, "理由")
		}
		n := nomOK(t, nomMutate(t, s, stu, nomUpdateQ, map[string]any{"id": id, "r": " " + emoji(500) + "\u3000"}), "SUBMITTED")
		if n.Reason != emoji(500) {
			t.Errorf("edited reason: got %.10q..., want 500 emoji", n.Reason)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 4. Refusals of submitNomination, alone and together; nothing is written

func TestNominationSubmitRefusals(t *testing.T) {
	s := NewServer(t)
	short, ok, leaver := "20160001", "20160002", "20160003"
	nomSeed(t, s, map[string]float64{short: 39.99, ok: 40, leaver: 50})
	before := nomSnapshot(t, s)
	unchanged := func(t *testing.T) {
		t.Helper()
		if after := nomSnapshot(t, s); after != before {
			t.Errorf("nominations after a refusal: got %s, want %s", after, before)
		}
	}

	t.Run("every condition at once, in order", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-05-01T10:00:00+08:00"))
		defer s.SetNow(mustTime(t, nomOpen))
		nomRefused(t, nomSubmit(t, s, short, nomReason(10)), "NOT_ELIGIBLE", "WINDOW_CLOSED input.academicYear", "VALIDATION input.reason")
		unchanged(t)
	})
	t.Run("unknown year", func(t *testing.T) {
		p := nomMutate(t, s, s.Student(t, ok), nomSubmitQ, map[string]any{"y": "2030-2031", "r": nomReason(500)})
		errs := nomRefused(t, p, "VALIDATION input.academicYear")
		nomMentions(t, "message", errs[0].Message, "2030-2031")
		p = nomMutate(t, s, s.Student(t, ok), nomSubmitQ, map[string]any{"y": "2030-2031", "r": ""})
		nomRefused(t, p, "VALIDATION input.reason", "VALIDATION input.academicYear")
		unchanged(t)
	})
	t.Run("malformed year", func(t *testing.T) {
		p := nomMutate(t, s, s.Student(t, ok), nomSubmitQ, map[string]any{"y": "2026", "r": nomReason(500)})
		nomRefused(t, p, "VALIDATION input.academicYear")
		unchanged(t)
	})
	t.Run("no enrollment record", func(t *testing.T) {
		e := nomEligibility(t, s, "20169999", TestYear)
		if e.Eligible || e.Enrolled || e.HoursWorked != 0 || len(e.Reasons) != 2 {
			t.Errorf("eligibility: got %+v, want not enrolled, 0 hours, two reasons", e)
		}
		nomRefused(t, nomSubmit(t, s, "20169999", nomReason(500)), "NOT_ELIGIBLE", "NOT_ELIGIBLE")
		unchanged(t)
	})
	t.Run("no longer enrolled", func(t *testing.T) {
		row := accCopy(StudentRow(leaver), "enrolled", false)
		var out struct {
			ImportStudents struct{ UserErrors []UserError }
		}
		s.Do(t, s.Admin(t), accImportMutation, map[string]any{"rows": []any{row}}).Decode(t, &out)
		if len(out.ImportStudents.UserErrors) > 0 {
			t.Fatalf("import: %+v", out.ImportStudents.UserErrors)
		}
		e := nomEligibility(t, s, leaver, TestYear)
		if e.Eligible || e.Enrolled || e.HoursWorked != 50 || len(e.Reasons) != 1 {
			t.Errorf("eligibility: got %+v, want not enrolled with 50 hours and one reason", e)
		}
		errs := nomRefused(t, nomSubmit(t, s, leaver, nomReason(500)), "NOT_ELIGIBLE")
		nomMentions(t, "message", errs[0].Message, "在读")
		unchanged(t)
	})
	t.Run("a second nomination in the year is a CONFLICT", func(t *testing.T) {
		first := nomOK(t, nomSubmit(t, s, ok, nomReason(500)), "SUBMITTED")
		before = nomSnapshot(t, s)
		errs := nomRefused(t, nomSubmit(t, s, ok, nomReason(800)), "CONFLICT input.academicYear")
		nomMentions(t, "message", errs[0].Message, TestYear)
		nomRefused(t, nomSubmit(t, s, ok, nomReason(3)), "CONFLICT input.academicYear", "VALIDATION input.reason")
		unchanged(t)
		if mine := nomMine(t, s, ok); len(mine) != 1 || mine[0].ID != first.ID {
			t.Errorf("myNominations: got %+v, want only %s", mine, first.ID)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 5. Edit and withdraw: own SUBMITTED nominations only, inside the window

func TestNominationEditWithdraw(t *testing.T) {
	s := NewServer(t)
	owner, other := "20160001", "20160002"
	nomSeed(t, s, map[string]float64{owner: 45, other: 45})
	stu := s.Student(t, owner)
	n := nomOK(t, nomSubmit(t, s, owner, "  "+nomReason(500)+"  "), "SUBMITTED")
	if n.StatusLabel != "评审中" || n.Student.StudentNo != owner || n.AcademicYear != TestYear || n.HoursWorked != 45 {
		t.Errorf("submitted: got %+v, want 评审中 of %s in %s with 45h", n, owner, TestYear)
	}
	if n.ReviewedAt != nil || n.Reviewer != nil || n.Comment != nil {
		t.Errorf("review fields: got %v %v %v, want null before the review", n.ReviewedAt, n.Reviewer, n.Comment)
	}

	t.Run("edit", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-06-11T09:00:00+08:00"))
		e := nomOK(t, nomMutate(t, s, stu, nomUpdateQ, map[string]any{"id": n.ID, "r": nomReason(700)}), "SUBMITTED")
		if e.ID != n.ID || utf8.RuneCountInString(e.Reason) != 700 || e.SubmittedAt != n.SubmittedAt || e.UpdatedAt != "2027-06-11T09:00:00+08:00" {
			t.Errorf("edited: got %+v, want the same id and submittedAt, 700 characters, updated 2027-06-11T09:00", e)
		}
	})
	t.Run("another student's or a missing nomination is NOT_FOUND", func(t *testing.T) {
		before := nomSnapshot(t, s)
		otok := s.Student(t, other)
		for _, c := range []struct {
			q    string
			vars map[string]any
		}{
			{nomUpdateQ, map[string]any{"id": n.ID, "r": nomReason(500)}},
			{nomWithdrawQ, map[string]any{"id": n.ID}},
		} {
			accWantTop(t, s.Do(t, otok, c.q, c.vars), "r", "NOT_FOUND")
			a := s.Do(t, otok, c.q, c.vars, accEN...)
			c.vars["id"] = "999999"
			b := s.Do(t, otok, c.q, c.vars, accEN...)
			accWantTop(t, b, "r", "NOT_FOUND")
			if len(a.Errors) > 0 && len(b.Errors) > 0 &&
				strings.ReplaceAll(a.Errors[0].Message, n.ID, "N") != strings.ReplaceAll(b.Errors[0].Message, "999999", "N") {
				t.Errorf("another's vs missing: got %q and %q, want the same shape", a.Errors[0].Message, b.Errors[0].Message)
			}
		}
		if after := nomSnapshot(t, s); after != before {
			t.Errorf("nominations: got %s, want %s", after, before)
		}
	})
	var again string
	t.Run("withdraw, then submit again", func(t *testing.T) {
		w := nomOK(t, nomMutate(t, s, stu, nomWithdrawQ, map[string]any{"id": n.ID}), "WITHDRAWN")
		if w.StatusLabel != "已撤回" || w.ReviewedAt != nil {
			t.Errorf("withdrawn: got %+v, want 已撤回 without a review", w)
		}
		for _, c := range []struct {
			q    string
			vars map[string]any
		}{
			{nomWithdrawQ, map[string]any{"id": n.ID}},
			{nomUpdateQ, map[string]any{"id": n.ID, "r": nomReason(500)}},
		} {
			errs := nomRefused(t, nomMutate(t, s, stu, c.q, c.vars), "INVALID_TRANSITION")
			nomMentions(t, "message", errs[0].Message, "已撤回")
			en := nomRefused(t, nomMutate(t, s, stu, c.q, c.vars, accEN...), "INVALID_TRANSITION")
			nomMentions(t, "English message", en[0].Message, "WITHDRAWN")
		}
		if e := nomEligibility(t, s, owner, TestYear); !e.Eligible || e.AlreadySubmitted {
			t.Errorf("eligibility after withdrawing: got %+v, want eligible again", e)
		}
		again = nomOK(t, nomSubmit(t, s, owner, nomReason(520)), "SUBMITTED").ID
		mine := nomMine(t, s, owner)
		if len(mine) != 2 || mine[0].ID != again || mine[1].ID != n.ID || mine[1].Status != "WITHDRAWN" {
			t.Errorf("myNominations: got %+v, want %s (SUBMITTED) then %s (WITHDRAWN)", mine, again, n.ID)
		}
	})
	t.Run("reviewed: no edit or withdraw, every refusal at once", func(t *testing.T) {
		nomOK(t, nomMutate(t, s, s.Admin(t), nomReviewQ, map[string]any{"id": again, "a": true}), "AWARDED")
		before := nomSnapshot(t, s)
		errs := nomRefused(t, nomMutate(t, s, stu, nomWithdrawQ, map[string]any{"id": again}), "INVALID_TRANSITION")
		nomMentions(t, "message", errs[0].Message, "已获评", "撤回")
		s.SetNow(mustTime(t, "2027-07-01T09:00:00+08:00"))
		nomRefused(t, nomMutate(t, s, stu, nomUpdateQ, map[string]any{"id": again, "r": "太短"}), "INVALID_TRANSITION", "WINDOW_CLOSED", "VALIDATION reason")
		if after := nomSnapshot(t, s); after != before {
			t.Errorf("nominations: got %s, want %s", after, before)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 6. Review and the lists

func TestNominationReviewAndLists(t *testing.T) {
	s := NewServer(t)
	a, b, c, d := "20160001", "20160002", "20160003", "20160004"
	nomSeed(t, s, map[string]float64{a: 40, b: 41.5, c: 60, d: 100})
	admin := s.Admin(t)
	ids := map[string]string{}
	for i, no := range []string{a, b, c, d} {
		s.SetNow(mustTime(t, fmt.Sprintf("2027-06-10T1%d:00:00+08:00", i)))
		ids[no] = nomOK(t, nomSubmit(t, s, no, nomReason(500+i)), "SUBMITTED").ID
	}
	nomOK(t, nomMutate(t, s, s.Student(t, d), nomWithdrawQ, map[string]any{"id": ids[d]}), "WITHDRAWN")

	t.Run("list newest first, WITHDRAWN left out, paged", func(t *testing.T) {
		all := nomList(t, s, TestYear, nil, 20, nil)
		var got []string
		for _, e := range all.Edges {
			got = append(got, e.Node.Student.StudentNo)
		}
		if !slices.Equal(got, []string{c, b, a}) || all.TotalCount != 3 || all.PageInfo.HasNextPage {
			t.Fatalf("nominations: got %v (totalCount %d), want [%s %s %s] and 3", got, all.TotalCount, c, b, a)
		}
		for _, e := range all.Edges {
			want := map[string]float64{a: 40, b: 41.5, c: 60}[e.Node.Student.StudentNo]
			if e.Node.HoursWorked != want || e.Node.Student.Name != "学生"+e.Node.Student.StudentNo || e.Node.Student.Phone == nil {
				t.Errorf("%s: got %vh, name %q, phone %v; want %vh, its name and phone", e.Node.Student.StudentNo, e.Node.HoursWorked, e.Node.Student.Name, e.Node.Student.Phone, want)
			}
		}
		p1 := nomList(t, s, TestYear, nil, 2, nil)
		if len(p1.Edges) != 2 || !p1.PageInfo.HasNextPage || p1.TotalCount != 3 || p1.PageInfo.EndCursor == nil {
			t.Fatalf("page 1: got %d edges, hasNext %v, totalCount %d; want 2, true, 3", len(p1.Edges), p1.PageInfo.HasNextPage, p1.TotalCount)
		}
		p2 := nomList(t, s, TestYear, nil, 2, *p1.PageInfo.EndCursor)
		if len(p2.Edges) != 1 || p2.Edges[0].Node.ID != ids[a] || p2.PageInfo.HasNextPage {
			t.Errorf("page 2: got %+v, want only %s and no next page", p2.Edges, ids[a])
		}
		if w := nomList(t, s, TestYear, "WITHDRAWN", 20, nil); w.TotalCount != 1 || len(w.Edges) != 1 || w.Edges[0].Node.ID != ids[d] {
			t.Errorf("status WITHDRAWN: got %+v, want %s", w, ids[d])
		}
	})

	t.Run("review", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-07-05T15:00:00+08:00"))
		n := nomOK(t, nomMutate(t, s, admin, nomReviewQ, map[string]any{"id": ids[c], "a": true, "c": "  工作认真，表现突出  "}), "AWARDED")
		if n.StatusLabel != "已获评" || n.Comment == nil || *n.Comment != "工作认真，表现突出" || n.Reviewer == nil || *n.Reviewer != "admin" ||
			n.ReviewedAt == nil || *n.ReviewedAt != "2027-07-05T15:00:00+08:00" || n.UpdatedAt != *n.ReviewedAt {
			t.Errorf("awarded: got %+v, want 已获评 with the trimmed comment, reviewer admin, reviewed and updated 2027-07-05T15:00", n)
		}
		n = nomOK(t, nomMutate(t, s, admin, nomReviewQ, map[string]any{"id": ids[b], "a": false, "c": "   "}), "NOT_AWARDED")
		if n.StatusLabel != "未获评" || n.Comment != nil || n.Reviewer == nil || n.ReviewedAt == nil {
			t.Errorf("not awarded: got %+v, want 未获评 without a comment, with reviewer and time", n)
		}
		before := nomSnapshot(t, s)
		for _, c := range []struct{ id, status string }{{ids[c], "已获评"}, {ids[b], "未获评"}, {ids[d], "已撤回"}} {
			errs := nomRefused(t, nomMutate(t, s, admin, nomReviewQ, map[string]any{"id": c.id, "a": true}), "INVALID_TRANSITION")
			nomMentions(t, "message", errs[0].Message, c.status, "评审")
		}
		errs := nomRefused(t, nomMutate(t, s, admin, nomReviewQ, map[string]any{"id": ids[a], "a": true, "c": nomReason(1001)}), "VALIDATION comment")
		nomMentions(t, "message", errs[0].Message, "评审意见", "1000", "1001")
		accWantTop(t, s.Do(t, admin, nomReviewQ, map[string]any{"id": "999999", "a": true}), "r", "NOT_FOUND")
		if after := nomSnapshot(t, s); after != before {
			t.Errorf("nominations after refused reviews: got %s, want %s", after, before)
		}
		n = nomOK(t, nomMutate(t, s, admin, nomReviewQ, map[string]any{"id": ids[a], "a": false, "c": nomReason(1000)}), "NOT_AWARDED")
		if n.Comment == nil || utf8.RuneCountInString(*n.Comment) != 1000 {
			t.Errorf("comment of 1000 characters: got %v, want it kept", n.Comment)
		}
	})

	t.Run("status filters", func(t *testing.T) {
		for status, want := range map[string][]string{"SUBMITTED": nil, "AWARDED": {ids[c]}, "NOT_AWARDED": {ids[b], ids[a]}, "WITHDRAWN": {ids[d]}} {
			l := nomList(t, s, TestYear, status, 20, nil)
			var got []string
			for _, e := range l.Edges {
				got = append(got, e.Node.ID)
			}
			if !slices.Equal(got, want) || l.TotalCount != len(want) {
				t.Errorf("status %s: got %v (totalCount %d), want %v", status, got, l.TotalCount, want)
			}
		}
	})

	t.Run("list arguments", func(t *testing.T) {
		accWantTop(t, s.Do(t, admin, nomListQ, map[string]any{"y": "2030-2031", "first": 20}), "r", "NOT_FOUND")
		for _, first := range []int{0, 101} {
			accWantTop(t, s.Do(t, admin, nomListQ, map[string]any{"y": TestYear, "first": first}), "r", "BAD_USER_INPUT")
		}
		accWantTop(t, s.Do(t, admin, nomListQ, map[string]any{"y": TestYear, "first": 20, "after": "nope"}), "r", "BAD_USER_INPUT")
	})

	t.Run("the student sees the result, newest year first", func(t *testing.T) {
		// A second year with no minimum hours, so the student may nominate with none recorded there.
		nomUpsertYear(t, s, "name", "2027-2028", "startDate", "2027-09-01", "endDate", "2028-07-31", "nominationMinHours", 0,
			"nominationOpensAt", "2028-06-01T00:00:00+08:00", "nominationClosesAt", "2028-06-30T00:00:00+08:00")
		s.SetNow(mustTime(t, "2028-06-02T10:00:00+08:00"))
		next := nomOK(t, nomMutate(t, s, s.Student(t, c), nomSubmitQ, map[string]any{"y": "2027-2028", "r": nomReason(500)}), "SUBMITTED")
		mine := nomMine(t, s, c)
		if len(mine) != 2 || mine[0].ID != next.ID || mine[1].ID != ids[c] {
			t.Fatalf("myNominations: got %+v, want %s (2027-2028) then %s (2026-2027)", mine, next.ID, ids[c])
		}
		if m := mine[0]; m.AcademicYear != "2027-2028" || m.HoursWorked != 0 || m.Status != "SUBMITTED" {
			t.Errorf("2027-2028: got %+v, want SUBMITTED with 0h", m)
		}
		if m := mine[1]; m.AcademicYear != TestYear || m.HoursWorked != 60 || m.Status != "AWARDED" || m.StatusLabel != "已获评" ||
			m.Comment == nil || *m.Comment != "工作认真，表现突出" || m.ReviewedAt == nil {
			t.Errorf("2026-2027: got %+v, want AWARDED with 60h, the comment and the review time", m)
		}
		if other := nomMine(t, s, b); len(other) != 1 || other[0].ID != ids[b] {
			t.Errorf("another student's myNominations: got %+v, want only their own %s", other, ids[b])
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 7. Every role attempting every operation it must not

func TestNominationRoles(t *testing.T) {
	s := NewServer(t)
	owner, other := "20160001", "20160002"
	unit := nomSeed(t, s, map[string]float64{owner: 40, other: 40})
	id := nomOK(t, nomSubmit(t, s, owner, nomReason(500)), "SUBMITTED").ID
	before := nomSnapshot(t, s)
	tokens := map[string]string{
		"admin": s.Admin(t), "unit staff": s.Unit(t, unit), "owner": s.Student(t, owner), "other student": s.Student(t, other), "anonymous": "",
	}
	ops := []struct {
		name, q string
		vars    map[string]any
		refused map[string]string // who -> top-level code
	}{
		{"nominationEligibility", nomEligQ, map[string]any{"y": TestYear},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN"}},
		{"myNominations", nomMineQ, nil,
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN"}},
		{"submitNomination", nomSubmitQ, map[string]any{"y": TestYear, "r": nomReason(500)},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN"}},
		{"updateNomination", nomUpdateQ, map[string]any{"id": id, "r": nomReason(600)},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN", "other student": "NOT_FOUND"}},
		{"withdrawNomination", nomWithdrawQ, map[string]any{"id": id},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN", "other student": "NOT_FOUND"}},
		{"nominations", nomListQ, map[string]any{"y": TestYear, "first": 20},
			map[string]string{"unit staff": "FORBIDDEN", "owner": "FORBIDDEN", "other student": "FORBIDDEN"}},
		{"reviewNomination", nomReviewQ, map[string]any{"id": id, "a": true, "c": "好"},
			map[string]string{"unit staff": "FORBIDDEN", "owner": "FORBIDDEN", "other student": "FORBIDDEN"}},
	}
	for _, op := range ops {
		op.refused["anonymous"] = "UNAUTHENTICATED"
		for who, code := range op.refused {
			t.Run(op.name+" as "+who, func(t *testing.T) {
				accWantTop(t, s.Do(t, tokens[who], op.q, op.vars, accEN...), "r", code)
			})
		}
	}
	if after := nomSnapshot(t, s); after != before {
		t.Errorf("nominations after refused calls: got %s, want %s", after, before)
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations`); n != 1 {
		t.Errorf("nominations: got %d, want 1", n)
	}
}

// ---------------------------------------------------------------------------------------------
// 8. Races

// nomRace runs the mutation q n times at once as token and returns each payload or error.
func nomRace(s *Server, n int, token, q string, vars func(i int) map[string]any) ([]nomPayload, []error) {
	out, errs := make([]nomPayload, n), make([]error, n)
	concRace(n, func(i int) {
		r, err := PostOp(s.URL, token, q, vars(i))
		if err == nil {
			err = nomDecode(r, &out[i])
		}
		errs[i] = err
	})
	return out, errs
}

// nomCountOutcomes counts payloads with a nomination in status ok and those refused with exactly
// one userError of code refused, and reports any other outcome.
func nomCountOutcomes(t *testing.T, out []nomPayload, errs []error, ok, refused string) (oks, refusals int, id string) {
	t.Helper()
	for i, p := range out {
		switch {
		case errs[i] != nil:
			t.Errorf("#%d: got error %v, want %s or %s", i, errs[i], ok, refused)
		case p.Nomination != nil && p.Nomination.Status == ok && len(p.UserErrors) == 0:
			oks++
			id = p.Nomination.ID
		case p.Nomination == nil && len(p.UserErrors) == 1 && p.UserErrors[0].Code == refused:
			refusals++
		default:
			t.Errorf("#%d: got %+v, want %s or %s", i, p, ok, refused)
		}
	}
	return oks, refusals, id
}

func TestNominationConcurrency(t *testing.T) {
	s := NewServer(t)
	no := "20160001"
	nomSeed(t, s, map[string]float64{no: 40})
	stu := s.Student(t, no)
	submit := func(i int) map[string]any { return map[string]any{"y": TestYear, "r": nomReason(500 + i)} }

	out, errs := nomRace(s, 10, stu, nomSubmitQ, submit)
	oks, conflicts, id := nomCountOutcomes(t, out, errs, "SUBMITTED", "CONFLICT")
	if oks != 1 || conflicts != 9 {
		t.Fatalf("ten submits: got %d SUBMITTED and %d CONFLICT, want 1 and 9", oks, conflicts)
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations WHERE student_no = $1`, no); n != 1 {
		t.Errorf("database: got %d nominations, want 1", n)
	}

	// After a withdrawal the partial unique index lets exactly one new nomination in again.
	nomOK(t, nomMutate(t, s, stu, nomWithdrawQ, map[string]any{"id": id}), "WITHDRAWN")
	out, errs = nomRace(s, 10, stu, nomSubmitQ, submit)
	oks, conflicts, id = nomCountOutcomes(t, out, errs, "SUBMITTED", "CONFLICT")
	if oks != 1 || conflicts != 9 {
		t.Fatalf("ten submits after withdrawing: got %d SUBMITTED and %d CONFLICT, want 1 and 9", oks, conflicts)
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations WHERE student_no = $1 AND status = 'SUBMITTED'`, no); n != 1 {
		t.Errorf("database: got %d SUBMITTED, want 1", n)
	}

	// Two reviews at once, one awarding and one not: one decides, the other is refused.
	out, errs = nomRace(s, 2, s.Admin(t), nomReviewQ, func(i int) map[string]any {
		return map[string]any{"id": id, "a": i == 0, "c": fmt.Sprintf("评审 %d", i)}
	})
	decided := 0
	var winner *nomNode
	for i, p := range out {
		switch {
		case errs[i] != nil:
			t.Errorf("review #%d: got error %v", i, errs[i])
		case p.Nomination != nil && len(p.UserErrors) == 0:
			decided++
			winner = p.Nomination
		case p.Nomination == nil && len(p.UserErrors) == 1 && p.UserErrors[0].Code == "INVALID_TRANSITION":
		default:
			t.Errorf("review #%d: got %+v, want a decision or INVALID_TRANSITION", i, p)
		}
	}
	if decided != 1 || winner == nil {
		t.Fatalf("two reviews: got %d decisions, want 1", decided)
	}
	var status, comment string
	if err := s.DB.QueryRow(`SELECT status, review_comment FROM nominations WHERE id = $1`, id).Scan(&status, &comment); err != nil {
		t.Fatal(err)
	}
	if status != winner.Status || winner.Comment == nil || comment != *winner.Comment {
		t.Errorf("database: got %s %q, want the winner's %s %v", status, comment, winner.Status, winner.Comment)
	}
}

// ---------------------------------------------------------------------------------------------
// 9. One page costs the same number of statements whatever its size

func TestNominationStatementCount(t *testing.T) {
	s := NewServer(t)
	worked := map[string]float64{"20160001": 12.5, "20160002": 30, "20160003": 45.25}
	nos := concStudents(101, 52)
	nomSeed(t, s, worked, nos...)
	nomUpsertYear(t, s, "nominationMinHours", 0) // everyone may nominate, with or without hours
	for _, no := range append(nos, "20160001", "20160002", "20160003") {
		nomOK(t, nomSubmit(t, s, no, nomReason(500)), "SUBMITTED")
	}
	const q = `query($first: Int!) { nominations(academicYear: "2026-2027", first: $first) {
		edges { node { id hoursWorked student { name } } } } }`
	admin := s.Admin(t)
	cost := func(first int, measure statementMeasure) int64 {
		t.Helper()
		n, r := measure(t, admin, q, map[string]any{"first": first})
		var out struct {
			Nominations struct {
				Edges []struct {
					Node struct {
						HoursWorked float64
						Student     struct{ Name string }
					}
				}
			}
		}
		r.Decode(t, &out)
		if got := len(out.Nominations.Edges); got != first {
			t.Fatalf("first %d: got %d edges", first, got)
		}
		// The students with hours submitted last, so they lead every page.
		for i, want := range []float64{45.25, 30, 12.5, 0}[:min(first, 4)] {
			if e := out.Nominations.Edges[i].Node; e.HoursWorked != want || e.Student.Name == "" {
				t.Errorf("first %d, edge %d: got %vh and name %q, want %vh and a name", first, i, e.HoursWorked, e.Student.Name, want)
			}
		}
		return n
	}
	// The big pages get a few chances to cost no more than expected (see StatementsAtMost); the
	// comparisons stay exact.
	one := cost(1, s.FewestStatements)
	fifty := cost(50, s.atMost(one))
	t.Logf("statements: first 1 -> %d, first 50 -> %d", one, fifty)
	if one != fifty {
		t.Errorf("statements: got %d for first 1 and %d for first 50, want the same", one, fifty)
	}
	withTotal, _ := s.StatementsAtMost(t, fifty+1, admin, `{ nominations(academicYear: "2026-2027", first: 50) { totalCount edges { node { id hoursWorked student { name } } } } }`, nil)
	if withTotal != fifty+1 {
		t.Errorf("statements with totalCount: got %d, want %d (one more for the count)", withTotal, fifty+1)
	}
}
