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

const (
	nominationWindowTime = "2027-06-10T10:00:00+08:00" // inside the test year's nomination window

	nominationFields = `nomination { id academicYear reason status statusLabel submittedAt updatedAt reviewedAt reviewer comment
		hoursWorked student { studentNo name } } userErrors { code field message }`
	submitNominationMutation   = `mutation($y: String!, $r: String!) { r: submitNomination(input: {academicYear: $y, reason: $r}) { ` + nominationFields + ` } }`
	updateNominationMutation   = `mutation($id: ID!, $r: String!) { r: updateNomination(id: $id, reason: $r) { ` + nominationFields + ` } }`
	withdrawNominationMutation = `mutation($id: ID!) { r: withdrawNomination(id: $id) { ` + nominationFields + ` } }`
	reviewNominationMutation   = `mutation($id: ID!, $a: Boolean!, $c: String) { r: reviewNomination(id: $id, awarded: $a, comment: $c) { ` + nominationFields + ` } }`
	nominationEligibilityQuery = `query($y: String!) { r: nominationEligibility(academicYear: $y) {
		academicYear eligible windowOpen opensAt closesAt hoursWorked hoursRequired alreadySubmitted enrolled reasons } }`
	myNominationsQuery = `query { r: myNominations { id academicYear reason status statusLabel submittedAt updatedAt reviewedAt reviewer comment
		hoursWorked student { studentNo name } } }`
	nominationsQuery = `query($y: String!, $s: NominationStatus, $first: Int, $after: String) {
		r: nominations(academicYear: $y, status: $s, first: $first, after: $after) {
			totalCount edges { cursor node { id status reason hoursWorked student { studentNo name phone } } } pageInfo { hasNextPage endCursor } } }`
)

// nominationNode is a Nomination; the student's phone is read by the admin's list only.
type nominationNode struct {
	ID, AcademicYear, Reason, Status, StatusLabel, SubmittedAt, UpdatedAt string
	ReviewedAt, Reviewer, Comment                                         *string
	HoursWorked                                                           float64
	Student                                                               struct {
		StudentNo, Name string
		Phone           *string
	}
}

// nominationPayload is a NominationPayload.
type nominationPayload struct {
	Nomination *nominationNode
	UserErrors []UserError
}

// nominationEligibilityResult is a NominationEligibility.
type nominationEligibilityResult struct {
	AcademicYear                                     string
	Eligible, WindowOpen, AlreadySubmitted, Enrolled bool
	OpensAt, ClosesAt                                string
	HoursWorked, HoursRequired                       float64
	Reasons                                          []string
}

// nominationConnection is a NominationConnection.
type nominationConnection struct {
	TotalCount int
	Edges      []struct {
		Cursor string
		Node   nominationNode
	}
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
}

// decodeNomination reads the field aliased r of a response; top-level errors become an error. It
// reports through its result rather than t, for the racing goroutines.
func decodeNomination(r Response, v any) error {
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

// mutateNomination runs a nomination mutation as token and returns its payload; top-level errors
// fail the test.
func mutateNomination(t *testing.T, s *Server, token, q string, vars map[string]any, headers ...string) nominationPayload {
	t.Helper()
	var p nominationPayload
	s.Do(t, token, q, vars, headers...).Field(t, "r", &p)
	return p
}

// submitNomination submits a nomination of TestYear with reason as student no.
func submitNomination(t *testing.T, s *Server, no, reason string, headers ...string) nominationPayload {
	t.Helper()
	return mutateNomination(t, s, s.Student(t, no), submitNominationMutation, map[string]any{"y": TestYear, "r": reason}, headers...)
}

// nominationEligibilityOf is student no's eligibility in year; top-level errors fail the test.
func nominationEligibilityOf(t *testing.T, s *Server, no, year string, headers ...string) nominationEligibilityResult {
	t.Helper()
	var e nominationEligibilityResult
	s.Do(t, s.Student(t, no), nominationEligibilityQuery, map[string]any{"y": year}, headers...).Field(t, "r", &e)
	return e
}

// myNominationsOf is student no's myNominations; top-level errors fail the test.
func myNominationsOf(t *testing.T, s *Server, no string) []nominationNode {
	t.Helper()
	var ns []nominationNode
	s.Do(t, s.Student(t, no), myNominationsQuery, nil).Field(t, "r", &ns)
	return ns
}

// nominationsPage is one page of the admin's nominations of year (status and after nil for
// none); top-level errors fail the test.
func nominationsPage(t *testing.T, s *Server, year string, status any, first int, after any) nominationConnection {
	t.Helper()
	var c nominationConnection
	s.Do(t, s.Admin(t), nominationsQuery, map[string]any{"y": year, "s": status, "first": first, "after": after}).Field(t, "r", &c)
	return c
}

// wantNomination fails unless the payload holds a nomination in status and no userErrors.
func wantNomination(t *testing.T, p nominationPayload, status string) *nominationNode {
	t.Helper()
	if len(p.UserErrors) > 0 || p.Nomination == nil || p.Nomination.Status != status {
		t.Fatalf("got nomination %+v with userErrors %+v, want a %s nomination", p.Nomination, p.UserErrors, status)
	}
	return p.Nomination
}

// nominationRefused fails unless the payload has no nomination and exactly the userErrors want,
// in order, as CheckUserErrors compares them; it returns them.
func nominationRefused(t *testing.T, p nominationPayload, want ...WantErr) []UserError {
	t.Helper()
	if p.Nomination != nil {
		t.Errorf("nomination: got %+v, want null", p.Nomination)
	}
	CheckUserErrors(t, p.UserErrors, want...)
	return p.UserErrors
}

// nominationMentions fails unless text contains every one of subs.
func nominationMentions(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(text, sub) {
			t.Errorf("%s: got %q, want it to contain %q", what, text, sub)
		}
	}
}

// nominationReason is a reason of n Chinese characters.
func nominationReason(n int) string { return strings.Repeat("优", n) }

// nominationSnapshot is every nomination row as text, to prove that a refused call changed nothing.
func nominationSnapshot(t *testing.T, s *Server) string {
	t.Helper()
	var out string
	err := s.DB.Get(&out, `SELECT coalesce(string_agg(concat_ws('|', id, student_no, academic_year, status, md5(reason),
		submitted_at, updated_at, reviewed_at, reviewer, review_comment), ',' ORDER BY id), '') FROM nominations`)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// seedNominationSchool seeds SeedSchool's year, unit and students with profiles, and a published
// position there (headcount 50, so that every student can be hired; work in January and February
// 2027): the students in hours are employed on it with their hours recorded, split over both
// months; the others get none. The clock ends at nominationWindowTime, inside the nomination
// window. Returns the unit's id.
func seedNominationSchool(t *testing.T, s *Server, hours map[string]float64, others ...string) string {
	t.Helper()
	nos := append(slices.Sorted(maps.Keys(hours)), others...)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("评优工时", "headcount", 50))
	apps := map[string]string{}
	for no := range hours {
		apps[no] = s.Drive(t, unit, no, pos, "CONFIRMED")
	}
	s.SetNow(mustTime(t, "2027-03-10T10:00:00+08:00"))
	for no, h := range hours {
		january := math.Floor(h / 2)
		s.RecordWork(t, unit, apps[no], "2027-01", january, "100.00")
		s.RecordWork(t, unit, apps[no], "2027-02", math.Round((h-january)*100)/100, "100.00")
	}
	s.SetNow(mustTime(t, nominationWindowTime))
	return unit
}

// ---------------------------------------------------------------------------------------------
// 1. Eligibility: hours just under, at and over the minimum

func TestNominationEligibilityHours(t *testing.T) {
	s := NewServer(t)
	under, at, over, none := "20160001", "20160002", "20160003", "20160004"
	seedNominationSchool(t, s, map[string]float64{under: 39.99, at: 40, over: 40.01}, none)

	cases := []struct {
		no       string
		hours    float64
		eligible bool
	}{{under, 39.99, false}, {at, 40, true}, {over, 40.01, true}, {none, 0, false}}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%vh", c.hours), func(t *testing.T) {
			e := nominationEligibilityOf(t, s, c.no, TestYear)
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
				n := wantNomination(t, submitNomination(t, s, c.no, nominationReason(500)), "SUBMITTED")
				if n.HoursWorked != c.hours {
					t.Errorf("nomination hoursWorked: got %v, want %v", n.HoursWorked, c.hours)
				}
				return
			}
			if len(e.Reasons) != 1 {
				t.Fatalf("reasons: got %q, want one (hours)", e.Reasons)
			}
			nominationMentions(t, "reason", e.Reasons[0], "工作时长", fmt.Sprint(c.hours), "40")
			en := nominationEligibilityOf(t, s, c.no, TestYear, English...)
			if len(en.Reasons) != 1 || HasChinese(en.Reasons[0]) {
				t.Errorf("English reasons: got %q, want one without Chinese", en.Reasons)
			}
			nominationMentions(t, "English reason", en.Reasons[0], "hours", fmt.Sprint(c.hours), "40")
			errs := nominationRefused(t, submitNomination(t, s, c.no, nominationReason(500)), WantErr{Code: "NOT_ELIGIBLE"})
			if errs[0].Message != e.Reasons[0] {
				t.Errorf("NOT_ELIGIBLE message: got %q, want the eligibility's reason %q", errs[0].Message, e.Reasons[0])
			}
		})
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations`); n != 2 {
		t.Errorf("nominations: got %d, want 2 (at and over the minimum)", n)
	}

	t.Run("after submitting", func(t *testing.T) {
		e := nominationEligibilityOf(t, s, at, TestYear)
		if e.Eligible || !e.AlreadySubmitted || len(e.Reasons) != 1 {
			t.Fatalf("eligibility: got %+v, want not eligible, already submitted, one reason", e)
		}
		nominationMentions(t, "reason", e.Reasons[0], "已提交", TestYear)
	})
	t.Run("unknown year is NOT_FOUND", func(t *testing.T) {
		r := s.Do(t, s.Student(t, at), nominationEligibilityQuery, map[string]any{"y": "2030-2031"})
		WantTopLevel(t, r, "NOT_FOUND", "2030-2031")
	})
}

// Hours count the work records whose month lies in the year's months, whatever position they
// belong to: a record in August 2026 belongs to no part of 2026-2027 (September to July).
func TestNominationHoursMonthsOfYear(t *testing.T) {
	s := NewServer(t)
	no := "20160001"
	s.SetNow(mustTime(t, "2026-07-15T10:00:00+08:00"))
	unit, _ := s.SeedSchool(t, no)
	// August 2026 ends 2025-2026 and August 2027 starts 2027-2028.
	s.UpsertYear(t, With(YearInputOf("2025-2026"), "endDate", "2026-08-31", "nominationClosesAt", "2026-09-30T00:00:00+08:00"))
	s.UpsertYear(t, With(YearInputOf("2027-2028"), "startDate", "2027-08-01", "nominationClosesAt", "2028-06-30T00:00:00+08:00"))
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("跨学年岗位",
		"applyStart", "2026-07-01T00:00:00+08:00", "applyEnd", "2026-07-31T00:00:00+08:00",
		"workStart", "2026-08-01T00:00:00+08:00", "workEnd", "2027-09-30T00:00:00+08:00"))
	app := s.Drive(t, unit, no, pos, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-09-10T10:00:00+08:00"))
	// One power of two per month, so each year's sum shows which months it took.
	for month, h := range map[string]float64{"2026-08": 1, "2026-09": 2, "2027-07": 4, "2027-08": 8} {
		s.RecordWork(t, unit, app, month, h, "100.00")
	}
	for year, want := range map[string]float64{"2025-2026": 1, TestYear: 6, "2027-2028": 8} {
		if e := nominationEligibilityOf(t, s, no, year); e.HoursWorked != want {
			t.Errorf("%s: hoursWorked got %v, want %v", year, e.HoursWorked, want)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// 2. The window: before, at its edges, after

func TestNominationWindow(t *testing.T) {
	s := NewServer(t)
	first, second := "20160001", "20160002"
	seedNominationSchool(t, s, map[string]float64{first: 40, second: 40})
	stu := s.Student(t, first)

	closed := func(t *testing.T, when string, submitted string) {
		t.Helper()
		s.SetNow(mustTime(t, when))
		before := nominationSnapshot(t, s)
		e := nominationEligibilityOf(t, s, second, TestYear)
		if e.WindowOpen || e.Eligible || len(e.Reasons) != 1 {
			t.Fatalf("eligibility at %s: got %+v, want window closed, not eligible, one reason", when, e)
		}
		nominationMentions(t, "reason", e.Reasons[0], "2027-06-01 00:00", "2027-06-30 23:59")
		errs := nominationRefused(t, submitNomination(t, s, second, nominationReason(500)), WantErr{Code: "WINDOW_CLOSED", Field: "input.academicYear"})
		if errs[0].Message != e.Reasons[0] {
			t.Errorf("WINDOW_CLOSED message: got %q, want the eligibility's reason %q", errs[0].Message, e.Reasons[0])
		}
		if submitted != "" {
			nominationRefused(t, mutateNomination(t, s, stu, updateNominationMutation, map[string]any{"id": submitted, "r": nominationReason(600)}),
				WantErr{Code: "WINDOW_CLOSED"})
			nominationRefused(t, mutateNomination(t, s, stu, withdrawNominationMutation, map[string]any{"id": submitted}), WantErr{Code: "WINDOW_CLOSED"})
		}
		if after := nominationSnapshot(t, s); after != before {
			t.Errorf("nominations after refusals at %s: got %s, want %s", when, after, before)
		}
	}
	t.Run("a second before it opens", func(t *testing.T) { closed(t, "2027-05-31T23:59:59+08:00", "") })

	var id string
	t.Run("as it opens", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-06-01T00:00:00+08:00"))
		if e := nominationEligibilityOf(t, s, first, TestYear); !e.WindowOpen || !e.Eligible {
			t.Fatalf("eligibility: got %+v, want open and eligible", e)
		}
		n := wantNomination(t, submitNomination(t, s, first, nominationReason(500)), "SUBMITTED")
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
		if e := nominationEligibilityOf(t, s, second, TestYear); !e.WindowOpen || !e.Eligible {
			t.Fatalf("eligibility: got %+v, want open and eligible", e)
		}
		n := wantNomination(t, mutateNomination(t, s, stu, updateNominationMutation, map[string]any{"id": id, "r": nominationReason(501)}), "SUBMITTED")
		if n.UpdatedAt != "2027-06-30T23:59:58+08:00" || utf8.RuneCountInString(n.Reason) != 501 {
			t.Errorf("edited: got updatedAt %s and %d characters, want 2027-06-30T23:59:58+08:00 and 501", n.UpdatedAt, utf8.RuneCountInString(n.Reason))
		}
	})
	t.Run("as it closes", func(t *testing.T) { closed(t, "2027-06-30T23:59:59+08:00", id) })
	t.Run("after it closed", func(t *testing.T) { closed(t, "2027-07-15T10:00:00+08:00", id) })
	t.Run("English", func(t *testing.T) {
		p := submitNomination(t, s, second, nominationReason(500), English...)
		errs := nominationRefused(t, p, WantErr{Code: "WINDOW_CLOSED", Field: "input.academicYear", Contains: []string{TestYear, "2027-06-01 00:00"}})
		NoChinese(t, errs)
	})
}

// ---------------------------------------------------------------------------------------------
// 3. The reason: 499/500/501 in Chinese, ASCII and emoji, white space around and inside, 5000/5001

func TestNominationReasonBoundaries(t *testing.T) {
	s := NewServer(t)
	no := "20160001"
	seedNominationSchool(t, s, map[string]float64{no: 40})
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
			p := submitNomination(t, s, no, c.reason)
			if c.count < 500 || c.count > 5000 {
				bound := map[bool]string{true: "500", false: "5000"}[c.count < 500]
				nominationRefused(t, p, WantErr{Code: "VALIDATION", Field: "input.reason", Contains: []string{"理由", bound, fmt.Sprintf("实际 %d 个", c.count)}})
				en := nominationRefused(t, submitNomination(t, s, no, c.reason, English...),
					WantErr{Code: "VALIDATION", Field: "input.reason", Contains: []string{"reason", bound, fmt.Sprintf("got %d", c.count)}})
				NoChinese(t, en)
				if n := s.Count(t, `SELECT count(*) FROM nominations`); n != before {
					t.Errorf("nominations: got %d, want %d", n, before)
				}
				return
			}
			n := wantNomination(t, p, "SUBMITTED")
			if n.Reason != strings.TrimSpace(c.reason) {
				t.Errorf("stored reason: got %d characters starting %.10q, want the input trimmed", utf8.RuneCountInString(n.Reason), n.Reason)
			}
			if got := s.Count(t, `SELECT char_length(reason) FROM nominations WHERE id = $1`, n.ID); got != c.count {
				t.Errorf("char_length in the database: got %d, want %d", got, c.count)
			}
			// Withdraw, so that the next case may submit again.
			wantNomination(t, mutateNomination(t, s, stu, withdrawNominationMutation, map[string]any{"id": n.ID}), "WITHDRAWN")
		})
	}

	t.Run("updateNomination follows the same rule", func(t *testing.T) {
		id := wantNomination(t, submitNomination(t, s, no, han(500)), "SUBMITTED").ID
		for _, r := range []string{han(499), "\u3000" + han(499) + " ", emoji(5001)} {
			nominationRefused(t, mutateNomination(t, s, stu, updateNominationMutation, map[string]any{"id": id, "r": r}),
				WantErr{Code: "VALIDATION", Field: "reason", Contains: []string{"理由"}})
		}
		n := wantNomination(t, mutateNomination(t, s, stu, updateNominationMutation, map[string]any{"id": id, "r": " " + emoji(500) + "\u3000"}), "SUBMITTED")
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
	seedNominationSchool(t, s, map[string]float64{short: 39.99, ok: 40, leaver: 50})
	before := nominationSnapshot(t, s)
	unchanged := func(t *testing.T) {
		t.Helper()
		if after := nominationSnapshot(t, s); after != before {
			t.Errorf("nominations after a refusal: got %s, want %s", after, before)
		}
	}

	t.Run("every condition at once, in order", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-05-01T10:00:00+08:00"))
		defer s.SetNow(mustTime(t, nominationWindowTime))
		nominationRefused(t, submitNomination(t, s, short, nominationReason(10)),
			WantErr{Code: "NOT_ELIGIBLE"}, WantErr{Code: "WINDOW_CLOSED", Field: "input.academicYear"}, WantErr{Code: "VALIDATION", Field: "input.reason"})
		unchanged(t)
	})
	t.Run("unknown year", func(t *testing.T) {
		p := mutateNomination(t, s, s.Student(t, ok), submitNominationMutation, map[string]any{"y": "2030-2031", "r": nominationReason(500)})
		nominationRefused(t, p, WantErr{Code: "VALIDATION", Field: "input.academicYear", Contains: []string{"2030-2031"}})
		p = mutateNomination(t, s, s.Student(t, ok), submitNominationMutation, map[string]any{"y": "2030-2031", "r": ""})
		nominationRefused(t, p, WantErr{Code: "VALIDATION", Field: "input.reason"}, WantErr{Code: "VALIDATION", Field: "input.academicYear"})
		unchanged(t)
	})
	t.Run("malformed year", func(t *testing.T) {
		p := mutateNomination(t, s, s.Student(t, ok), submitNominationMutation, map[string]any{"y": "2026", "r": nominationReason(500)})
		nominationRefused(t, p, WantErr{Code: "VALIDATION", Field: "input.academicYear"})
		unchanged(t)
	})
	t.Run("no enrollment record", func(t *testing.T) {
		e := nominationEligibilityOf(t, s, "20169999", TestYear)
		if e.Eligible || e.Enrolled || e.HoursWorked != 0 || len(e.Reasons) != 2 {
			t.Errorf("eligibility: got %+v, want not enrolled, 0 hours, two reasons", e)
		}
		nominationRefused(t, submitNomination(t, s, "20169999", nominationReason(500)), WantErr{Code: "NOT_ELIGIBLE"}, WantErr{Code: "NOT_ELIGIBLE"})
		unchanged(t)
	})
	t.Run("no longer enrolled", func(t *testing.T) {
		s.SeedStudentRows(t, With(StudentRow(leaver), "enrolled", false))
		e := nominationEligibilityOf(t, s, leaver, TestYear)
		if e.Eligible || e.Enrolled || e.HoursWorked != 50 || len(e.Reasons) != 1 {
			t.Errorf("eligibility: got %+v, want not enrolled with 50 hours and one reason", e)
		}
		nominationRefused(t, submitNomination(t, s, leaver, nominationReason(500)), WantErr{Code: "NOT_ELIGIBLE", Contains: []string{"在读"}})
		unchanged(t)
	})
	t.Run("a second nomination in the year is a CONFLICT", func(t *testing.T) {
		first := wantNomination(t, submitNomination(t, s, ok, nominationReason(500)), "SUBMITTED")
		before = nominationSnapshot(t, s)
		nominationRefused(t, submitNomination(t, s, ok, nominationReason(800)),
			WantErr{Code: "CONFLICT", Field: "input.academicYear", Contains: []string{TestYear}})
		nominationRefused(t, submitNomination(t, s, ok, nominationReason(3)),
			WantErr{Code: "CONFLICT", Field: "input.academicYear"}, WantErr{Code: "VALIDATION", Field: "input.reason"})
		unchanged(t)
		if mine := myNominationsOf(t, s, ok); len(mine) != 1 || mine[0].ID != first.ID {
			t.Errorf("myNominations: got %+v, want only %s", mine, first.ID)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 5. Edit and withdraw: own SUBMITTED nominations only, inside the window

func TestNominationEditWithdraw(t *testing.T) {
	s := NewServer(t)
	owner, other := "20160001", "20160002"
	seedNominationSchool(t, s, map[string]float64{owner: 45, other: 45})
	stu := s.Student(t, owner)
	n := wantNomination(t, submitNomination(t, s, owner, "  "+nominationReason(500)+"  "), "SUBMITTED")
	if n.StatusLabel != "评审中" || n.Student.StudentNo != owner || n.AcademicYear != TestYear || n.HoursWorked != 45 {
		t.Errorf("submitted: got %+v, want 评审中 of %s in %s with 45h", n, owner, TestYear)
	}
	if n.ReviewedAt != nil || n.Reviewer != nil || n.Comment != nil {
		t.Errorf("review fields: got %v %v %v, want null before the review", n.ReviewedAt, n.Reviewer, n.Comment)
	}

	t.Run("edit", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-06-11T09:00:00+08:00"))
		e := wantNomination(t, mutateNomination(t, s, stu, updateNominationMutation, map[string]any{"id": n.ID, "r": nominationReason(700)}), "SUBMITTED")
		if e.ID != n.ID || utf8.RuneCountInString(e.Reason) != 700 || e.SubmittedAt != n.SubmittedAt || e.UpdatedAt != "2027-06-11T09:00:00+08:00" {
			t.Errorf("edited: got %+v, want the same id and submittedAt, 700 characters, updated 2027-06-11T09:00", e)
		}
	})
	t.Run("another student's or a missing nomination is NOT_FOUND", func(t *testing.T) {
		before := nominationSnapshot(t, s)
		otok := s.Student(t, other)
		for _, c := range []struct {
			q    string
			vars map[string]any
		}{
			{updateNominationMutation, map[string]any{"id": n.ID, "r": nominationReason(500)}},
			{withdrawNominationMutation, map[string]any{"id": n.ID}},
		} {
			WantTopLevel(t, s.Do(t, otok, c.q, c.vars), "NOT_FOUND")
			a := s.Do(t, otok, c.q, c.vars, English...)
			c.vars["id"] = "999999"
			b := s.Do(t, otok, c.q, c.vars, English...)
			WantTopLevel(t, b, "NOT_FOUND")
			if len(a.Errors) > 0 && len(b.Errors) > 0 &&
				strings.ReplaceAll(a.Errors[0].Message, n.ID, "N") != strings.ReplaceAll(b.Errors[0].Message, "999999", "N") {
				t.Errorf("another's vs missing: got %q and %q, want the same shape", a.Errors[0].Message, b.Errors[0].Message)
			}
		}
		if after := nominationSnapshot(t, s); after != before {
			t.Errorf("nominations: got %s, want %s", after, before)
		}
	})
	var again string
	t.Run("withdraw, then submit again", func(t *testing.T) {
		w := wantNomination(t, mutateNomination(t, s, stu, withdrawNominationMutation, map[string]any{"id": n.ID}), "WITHDRAWN")
		if w.StatusLabel != "已撤回" || w.ReviewedAt != nil {
			t.Errorf("withdrawn: got %+v, want 已撤回 without a review", w)
		}
		for _, c := range []struct {
			q    string
			vars map[string]any
		}{
			{withdrawNominationMutation, map[string]any{"id": n.ID}},
			{updateNominationMutation, map[string]any{"id": n.ID, "r": nominationReason(500)}},
		} {
			nominationRefused(t, mutateNomination(t, s, stu, c.q, c.vars), WantErr{Code: "INVALID_TRANSITION", Contains: []string{"已撤回"}})
			nominationRefused(t, mutateNomination(t, s, stu, c.q, c.vars, English...), WantErr{Code: "INVALID_TRANSITION", Contains: []string{"WITHDRAWN"}})
		}
		if e := nominationEligibilityOf(t, s, owner, TestYear); !e.Eligible || e.AlreadySubmitted {
			t.Errorf("eligibility after withdrawing: got %+v, want eligible again", e)
		}
		again = wantNomination(t, submitNomination(t, s, owner, nominationReason(520)), "SUBMITTED").ID
		mine := myNominationsOf(t, s, owner)
		if len(mine) != 2 || mine[0].ID != again || mine[1].ID != n.ID || mine[1].Status != "WITHDRAWN" {
			t.Errorf("myNominations: got %+v, want %s (SUBMITTED) then %s (WITHDRAWN)", mine, again, n.ID)
		}
	})
	t.Run("reviewed: no edit or withdraw, every refusal at once", func(t *testing.T) {
		wantNomination(t, mutateNomination(t, s, s.Admin(t), reviewNominationMutation, map[string]any{"id": again, "a": true}), "AWARDED")
		before := nominationSnapshot(t, s)
		nominationRefused(t, mutateNomination(t, s, stu, withdrawNominationMutation, map[string]any{"id": again}),
			WantErr{Code: "INVALID_TRANSITION", Contains: []string{"已获评", "撤回"}})
		s.SetNow(mustTime(t, "2027-07-01T09:00:00+08:00"))
		nominationRefused(t, mutateNomination(t, s, stu, updateNominationMutation, map[string]any{"id": again, "r": "太短"}),
			WantErr{Code: "INVALID_TRANSITION"}, WantErr{Code: "WINDOW_CLOSED"}, WantErr{Code: "VALIDATION", Field: "reason"})
		if after := nominationSnapshot(t, s); after != before {
			t.Errorf("nominations: got %s, want %s", after, before)
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 6. Review and the lists

func TestNominationReviewAndLists(t *testing.T) {
	s := NewServer(t)
	a, b, c, d := "20160001", "20160002", "20160003", "20160004"
	seedNominationSchool(t, s, map[string]float64{a: 40, b: 41.5, c: 60, d: 100})
	admin := s.Admin(t)
	ids := map[string]string{}
	for i, no := range []string{a, b, c, d} {
		s.SetNow(mustTime(t, fmt.Sprintf("2027-06-10T1%d:00:00+08:00", i)))
		ids[no] = wantNomination(t, submitNomination(t, s, no, nominationReason(500+i)), "SUBMITTED").ID
	}
	wantNomination(t, mutateNomination(t, s, s.Student(t, d), withdrawNominationMutation, map[string]any{"id": ids[d]}), "WITHDRAWN")

	t.Run("list newest first, WITHDRAWN left out, paged", func(t *testing.T) {
		all := nominationsPage(t, s, TestYear, nil, 20, nil)
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
		p1 := nominationsPage(t, s, TestYear, nil, 2, nil)
		if len(p1.Edges) != 2 || !p1.PageInfo.HasNextPage || p1.TotalCount != 3 || p1.PageInfo.EndCursor == nil {
			t.Fatalf("page 1: got %d edges, hasNext %v, totalCount %d; want 2, true, 3", len(p1.Edges), p1.PageInfo.HasNextPage, p1.TotalCount)
		}
		p2 := nominationsPage(t, s, TestYear, nil, 2, *p1.PageInfo.EndCursor)
		if len(p2.Edges) != 1 || p2.Edges[0].Node.ID != ids[a] || p2.PageInfo.HasNextPage {
			t.Errorf("page 2: got %+v, want only %s and no next page", p2.Edges, ids[a])
		}
		if w := nominationsPage(t, s, TestYear, "WITHDRAWN", 20, nil); w.TotalCount != 1 || len(w.Edges) != 1 || w.Edges[0].Node.ID != ids[d] {
			t.Errorf("status WITHDRAWN: got %+v, want %s", w, ids[d])
		}
	})

	t.Run("review", func(t *testing.T) {
		s.SetNow(mustTime(t, "2027-07-05T15:00:00+08:00"))
		n := wantNomination(t, mutateNomination(t, s, admin, reviewNominationMutation, map[string]any{"id": ids[c], "a": true, "c": "  工作认真，表现突出  "}), "AWARDED")
		if n.StatusLabel != "已获评" || n.Comment == nil || *n.Comment != "工作认真，表现突出" || n.Reviewer == nil || *n.Reviewer != "admin" ||
			n.ReviewedAt == nil || *n.ReviewedAt != "2027-07-05T15:00:00+08:00" || n.UpdatedAt != *n.ReviewedAt {
			t.Errorf("awarded: got %+v, want 已获评 with the trimmed comment, reviewer admin, reviewed and updated 2027-07-05T15:00", n)
		}
		n = wantNomination(t, mutateNomination(t, s, admin, reviewNominationMutation, map[string]any{"id": ids[b], "a": false, "c": "   "}), "NOT_AWARDED")
		if n.StatusLabel != "未获评" || n.Comment != nil || n.Reviewer == nil || n.ReviewedAt == nil {
			t.Errorf("not awarded: got %+v, want 未获评 without a comment, with reviewer and time", n)
		}
		before := nominationSnapshot(t, s)
		for _, c := range []struct{ id, status string }{{ids[c], "已获评"}, {ids[b], "未获评"}, {ids[d], "已撤回"}} {
			nominationRefused(t, mutateNomination(t, s, admin, reviewNominationMutation, map[string]any{"id": c.id, "a": true}),
				WantErr{Code: "INVALID_TRANSITION", Contains: []string{c.status, "评审"}})
		}
		nominationRefused(t, mutateNomination(t, s, admin, reviewNominationMutation, map[string]any{"id": ids[a], "a": true, "c": nominationReason(1001)}),
			WantErr{Code: "VALIDATION", Field: "comment", Contains: []string{"评审意见", "1000", "1001"}})
		WantTopLevel(t, s.Do(t, admin, reviewNominationMutation, map[string]any{"id": "999999", "a": true}), "NOT_FOUND")
		if after := nominationSnapshot(t, s); after != before {
			t.Errorf("nominations after refused reviews: got %s, want %s", after, before)
		}
		n = wantNomination(t, mutateNomination(t, s, admin, reviewNominationMutation, map[string]any{"id": ids[a], "a": false, "c": nominationReason(1000)}), "NOT_AWARDED")
		if n.Comment == nil || utf8.RuneCountInString(*n.Comment) != 1000 {
			t.Errorf("comment of 1000 characters: got %v, want it kept", n.Comment)
		}
	})

	t.Run("status filters", func(t *testing.T) {
		for status, want := range map[string][]string{"SUBMITTED": nil, "AWARDED": {ids[c]}, "NOT_AWARDED": {ids[b], ids[a]}, "WITHDRAWN": {ids[d]}} {
			l := nominationsPage(t, s, TestYear, status, 20, nil)
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
		WantTopLevel(t, s.Do(t, admin, nominationsQuery, map[string]any{"y": "2030-2031", "first": 20}), "NOT_FOUND")
		for _, first := range []int{0, 101} {
			WantTopLevel(t, s.Do(t, admin, nominationsQuery, map[string]any{"y": TestYear, "first": first}), "BAD_USER_INPUT")
		}
		WantTopLevel(t, s.Do(t, admin, nominationsQuery, map[string]any{"y": TestYear, "first": 20, "after": "nope"}), "BAD_USER_INPUT")
	})

	t.Run("the student sees the result, newest year first", func(t *testing.T) {
		// A second year with no minimum hours, so the student may nominate with none recorded there.
		s.UpsertYear(t, With(YearInputOf("2027-2028"), "nominationMinHours", 0))
		s.SetNow(mustTime(t, "2028-06-02T10:00:00+08:00"))
		next := wantNomination(t, mutateNomination(t, s, s.Student(t, c), submitNominationMutation, map[string]any{"y": "2027-2028", "r": nominationReason(500)}), "SUBMITTED")
		mine := myNominationsOf(t, s, c)
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
		if other := myNominationsOf(t, s, b); len(other) != 1 || other[0].ID != ids[b] {
			t.Errorf("another student's myNominations: got %+v, want only their own %s", other, ids[b])
		}
	})
}

// ---------------------------------------------------------------------------------------------
// 7. Every role attempting every operation it must not

func TestNominationRoles(t *testing.T) {
	s := NewServer(t)
	owner, other := "20160001", "20160002"
	unit := seedNominationSchool(t, s, map[string]float64{owner: 40, other: 40})
	id := wantNomination(t, submitNomination(t, s, owner, nominationReason(500)), "SUBMITTED").ID
	before := nominationSnapshot(t, s)
	tokens := map[string]string{
		"admin": s.Admin(t), "unit staff": s.Unit(t, unit), "owner": s.Student(t, owner), "other student": s.Student(t, other), "anonymous": "",
	}
	ops := []struct {
		name, q string
		vars    map[string]any
		refused map[string]string // who -> top-level code
	}{
		{"nominationEligibility", nominationEligibilityQuery, map[string]any{"y": TestYear},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN"}},
		{"myNominations", myNominationsQuery, nil,
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN"}},
		{"submitNomination", submitNominationMutation, map[string]any{"y": TestYear, "r": nominationReason(500)},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN"}},
		{"updateNomination", updateNominationMutation, map[string]any{"id": id, "r": nominationReason(600)},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN", "other student": "NOT_FOUND"}},
		{"withdrawNomination", withdrawNominationMutation, map[string]any{"id": id},
			map[string]string{"admin": "FORBIDDEN", "unit staff": "FORBIDDEN", "other student": "NOT_FOUND"}},
		{"nominations", nominationsQuery, map[string]any{"y": TestYear, "first": 20},
			map[string]string{"unit staff": "FORBIDDEN", "owner": "FORBIDDEN", "other student": "FORBIDDEN"}},
		{"reviewNomination", reviewNominationMutation, map[string]any{"id": id, "a": true, "c": "好"},
			map[string]string{"unit staff": "FORBIDDEN", "owner": "FORBIDDEN", "other student": "FORBIDDEN"}},
	}
	for _, op := range ops {
		op.refused["anonymous"] = "UNAUTHENTICATED"
		for who, code := range op.refused {
			t.Run(op.name+" as "+who, func(t *testing.T) {
				WantTopLevel(t, s.Do(t, tokens[who], op.q, op.vars, English...), code)
			})
		}
	}
	if after := nominationSnapshot(t, s); after != before {
		t.Errorf("nominations after refused calls: got %s, want %s", after, before)
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations`); n != 1 {
		t.Errorf("nominations: got %d, want 1", n)
	}
}

// ---------------------------------------------------------------------------------------------
// 8. Races

// raceNominations runs the mutation q n times at once as token and returns each payload or error.
func raceNominations(s *Server, n int, token, q string, vars func(i int) map[string]any) ([]nominationPayload, []error) {
	out, errs := make([]nominationPayload, n), make([]error, n)
	Race(n, func(i int) {
		r, err := PostOp(s.URL, token, q, vars(i))
		if err == nil {
			err = decodeNomination(r, &out[i])
		}
		errs[i] = err
	})
	return out, errs
}

// countNominationOutcomes counts payloads with a nomination in status ok and those refused with exactly
// one userError of code refused, and reports any other outcome.
func countNominationOutcomes(t *testing.T, out []nominationPayload, errs []error, ok, refused string) (oks, refusals int, id string) {
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
	seedNominationSchool(t, s, map[string]float64{no: 40})
	stu := s.Student(t, no)
	submit := func(i int) map[string]any { return map[string]any{"y": TestYear, "r": nominationReason(500 + i)} }

	out, errs := raceNominations(s, 10, stu, submitNominationMutation, submit)
	oks, conflicts, id := countNominationOutcomes(t, out, errs, "SUBMITTED", "CONFLICT")
	if oks != 1 || conflicts != 9 {
		t.Fatalf("ten submits: got %d SUBMITTED and %d CONFLICT, want 1 and 9", oks, conflicts)
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations WHERE student_no = $1`, no); n != 1 {
		t.Errorf("database: got %d nominations, want 1", n)
	}

	// After a withdrawal the partial unique index lets exactly one new nomination in again.
	wantNomination(t, mutateNomination(t, s, stu, withdrawNominationMutation, map[string]any{"id": id}), "WITHDRAWN")
	out, errs = raceNominations(s, 10, stu, submitNominationMutation, submit)
	oks, conflicts, id = countNominationOutcomes(t, out, errs, "SUBMITTED", "CONFLICT")
	if oks != 1 || conflicts != 9 {
		t.Fatalf("ten submits after withdrawing: got %d SUBMITTED and %d CONFLICT, want 1 and 9", oks, conflicts)
	}
	if n := s.Count(t, `SELECT count(*) FROM nominations WHERE student_no = $1 AND status = 'SUBMITTED'`, no); n != 1 {
		t.Errorf("database: got %d SUBMITTED, want 1", n)
	}

	// Two reviews at once, one awarding and one not: one decides, the other is refused.
	out, errs = raceNominations(s, 2, s.Admin(t), reviewNominationMutation, func(i int) map[string]any {
		return map[string]any{"id": id, "a": i == 0, "c": fmt.Sprintf("评审 %d", i)}
	})
	decided := 0
	var winner *nominationNode
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
	nos := StudentNos(101, 52)
	seedNominationSchool(t, s, worked, nos...)
	s.UpsertYear(t, With(YearInput(), "nominationMinHours", 0)) // everyone may nominate, with or without hours
	for _, no := range append(nos, "20160001", "20160002", "20160003") {
		wantNomination(t, submitNomination(t, s, no, nominationReason(500)), "SUBMITTED")
	}
	const q = `query($first: Int!) { nominations(academicYear: "2026-2027", first: $first) {
		edges { node { id hoursWorked student { name } } } } }`
	admin := s.Admin(t)
	cost := func(first int) int64 {
		t.Helper()
		n, r := s.Statements(t, admin, q, map[string]any{"first": first})
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
	one := cost(1)
	fifty := cost(50)
	t.Logf("statements: first 1 -> %d, first 50 -> %d", one, fifty)
	if one != fifty {
		t.Errorf("statements: got %d for first 1 and %d for first 50, want the same", one, fifty)
	}
	withTotal, _ := s.Statements(t, admin, `{ nominations(academicYear: "2026-2027", first: 50) { totalCount edges { node { id hoursWorked student { name } } } } }`, nil)
	if withTotal != fifty+1 {
		t.Errorf("statements with totalCount: got %d, want %d (one more for the count)", withTotal, fifty+1)
	}
}
