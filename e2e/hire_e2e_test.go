package e2e

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// End-to-end tests of the hire state machine over HTTP: applying, every transition and refusal,
// who may act on what, headcount and hours caps, work records, and the lists of applications.
// Every refusal checks the userErrors code, field and message and that nothing was written.

// hireStart is the clock newTestServer starts with; it lies inside PositionInput's window.
const hireStart = "2026-11-15T10:00:00+08:00"

// hireApp is an application as these tests read it from a payload.
type hireApp struct {
	ID, Status, StatusLabel, Phone, Email string
	Employment                            *struct {
		EndedAt     *string
		EndReason   *string
		PaidAmount  string
		HoursWorked float64
	}
}

// hirePayload is an ApplicationPayload.
type hirePayload struct {
	Application *hireApp
	UserErrors  []UserError
	Warnings    []string
}

const hirePayloadFields = `application { id status statusLabel phone email employment { endedAt endReason paidAmount hoursWorked } }
	userErrors { code field message } warnings`

// hireOps are the six transition mutations of the hire state machine, by their timeline event.
var hireOps = map[string]string{
	"WITHDRAW": `mutation($id: ID!) { r: withdrawApplication(id: $id) { ` + hirePayloadFields + ` } }`,
	"HIRE":     `mutation($id: ID!) { r: hireApplication(id: $id) { ` + hirePayloadFields + ` } }`,
	"REJECT":   `mutation($id: ID!, $note: String) { r: rejectApplication(id: $id, note: $note) { ` + hirePayloadFields + ` } }`,
	"CONFIRM":  `mutation($id: ID!) { r: confirmApplication(id: $id) { ` + hirePayloadFields + ` } }`,
	"DECLINE":  `mutation($id: ID!) { r: declineApplication(id: $id) { ` + hirePayloadFields + ` } }`,
	"DISMISS":  `mutation($id: ID!, $reason: String!) { r: dismissApplication(id: $id, reason: $reason) { ` + hirePayloadFields + ` } }`,
}

// hireOpOrder lists hireOps in the order of the diagram.
var hireOpOrder = []string{"WITHDRAW", "HIRE", "REJECT", "CONFIRM", "DECLINE", "DISMISS"}

// hireArrows is the diagram of SPEC.md: event -> from, to, and whether the student (else the unit) acts.
var hireArrows = map[string]struct {
	From, To  string
	ByStudent bool
}{
	"WITHDRAW": {"APPLIED", "WITHDRAWN", true},
	"HIRE":     {"APPLIED", "HIRED", false},
	"REJECT":   {"APPLIED", "REJECTED", false},
	"CONFIRM":  {"HIRED", "CONFIRMED", true},
	"DECLINE":  {"HIRED", "DECLINED", true},
	"DISMISS":  {"CONFIRMED", "DISMISSED", false},
}

// hireStatuses are all application statuses with their Chinese labels.
var hireStatuses = []struct{ Name, Label string }{
	{"APPLIED", "已申请"}, {"HIRED", "已聘用"}, {"CONFIRMED", "已聘已确认"}, {"REJECTED", "未录用"},
	{"DECLINED", "已放弃"}, {"WITHDRAWN", "已撤回"}, {"DISMISSED", "已解聘"},
}

// hireOp runs one transition mutation on application id. vars adds or overrides variables (note,
// reason); a dismissal without a given reason uses one. Returns the payload (zero on top-level errors).
func hireOp(t *testing.T, s *Server, token, op, id string, vars map[string]any, headers ...string) (hirePayload, Response) {
	t.Helper()
	q, ok := hireOps[op]
	if !ok {
		t.Fatalf("no mutation for %s", op)
	}
	v := map[string]any{"id": id}
	if op == "DISMISS" {
		v["reason"] = "工作失职"
	}
	for k, x := range vars {
		if strings.Contains(q, "$"+k+":") { // only the variables this mutation declares
			v[k] = x
		}
	}
	r := s.Do(t, token, q, v, headers...)
	var out struct{ R hirePayload }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// hireMustOp runs a transition that must succeed and land in want.
func hireMustOp(t *testing.T, s *Server, token, op, id, want string, vars map[string]any) hirePayload {
	t.Helper()
	p, r := hireOp(t, s, token, op, id, vars)
	if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != want {
		t.Fatalf("%s %s: got %+v, errors %+v, want status %s", op, id, p, r.Errors, want)
	}
	return p
}

// hireApply applies to position pos as student no; input overrides fields of the ApplyInput.
func hireApply(t *testing.T, s *Server, no, pos string, input map[string]any, headers ...string) (hirePayload, Response) {
	t.Helper()
	return hireApplyAs(t, s, s.Student(t, no), pos, input, headers...)
}

func hireApplyAs(t *testing.T, s *Server, token, pos string, input map[string]any, headers ...string) (hirePayload, Response) {
	t.Helper()
	in := map[string]any{"positionId": pos, "reason": "我有相关经验"}
	for k, v := range input {
		in[k] = v
	}
	r := s.Do(t, token, `mutation($in: ApplyInput!) { r: applyToPosition(input: $in) { `+hirePayloadFields+` } }`,
		map[string]any{"in": in}, headers...)
	var out struct{ R hirePayload }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// hireMustApply applies and returns the new application's id.
func hireMustApply(t *testing.T, s *Server, no, pos string) string {
	t.Helper()
	p, r := hireApply(t, s, no, pos, nil)
	if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != "APPLIED" {
		t.Fatalf("apply %s to %s: got %+v, errors %+v, want APPLIED", no, pos, p, r.Errors)
	}
	return p.Application.ID
}

// hireDrive applies as student no to pos and takes the arrows that lead to status; unit acts for the position.
func hireDrive(t *testing.T, s *Server, unit, no, pos, status string) string {
	t.Helper()
	id := hireMustApply(t, s, no, pos)
	stu, staff := s.Student(t, no), s.Unit(t, unit)
	steps := map[string][]string{
		"APPLIED":   nil,
		"HIRED":     {"HIRE"},
		"CONFIRMED": {"HIRE", "CONFIRM"},
		"REJECTED":  {"REJECT"},
		"DECLINED":  {"HIRE", "DECLINE"},
		"WITHDRAWN": {"WITHDRAW"},
		"DISMISSED": {"HIRE", "CONFIRM", "DISMISS"},
	}[status]
	for _, op := range steps {
		tok := staff
		if hireArrows[op].ByStudent {
			tok = stu
		}
		hireMustOp(t, s, tok, op, id, hireArrows[op].To, nil)
	}
	return id
}

// hireStudents imports enrollment records; change edits each StudentRow before the import.
func hireStudents(t *testing.T, s *Server, change func(no string, row map[string]any), nos ...string) {
	t.Helper()
	rows := make([]any, len(nos))
	for i, no := range nos {
		row := StudentRow(no)
		if change != nil {
			change(no, row)
		}
		rows[i] = row
	}
	var out struct {
		ImportStudents struct{ UserErrors []UserError }
	}
	s.Do(t, s.Admin(t), `mutation($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { userErrors { code field message } } }`,
		map[string]any{"rows": rows}).Decode(t, &out)
	if len(out.ImportStudents.UserErrors) > 0 {
		t.Fatalf("import students: %+v", out.ImportStudents.UserErrors)
	}
}

// hireProfile saves a 2026-2027 profile (20 hours a week) for each student.
func hireProfile(t *testing.T, s *Server, nos ...string) {
	t.Helper()
	for _, no := range nos {
		var out struct {
			SaveProfile struct{ UserErrors []UserError }
		}
		s.Do(t, s.Student(t, no), `mutation { saveProfile(input: {academicYear: "2026-2027", specialties: "写作", natures: [LONG_TERM], weeklyHours: 20, freeTime: []}) { userErrors { code field message } } }`, nil).Decode(t, &out)
		if len(out.SaveProfile.UserErrors) > 0 {
			t.Fatalf("profile of %s: %+v", no, out.SaveProfile.UserErrors)
		}
	}
}

// hireOtherYearProfile defines academic year 2027-2028 and saves only a profile of that year for no.
func hireOtherYearProfile(t *testing.T, s *Server, no string) {
	t.Helper()
	y := YearInput()
	y["name"], y["startDate"], y["endDate"] = "2027-2028", "2027-09-01", "2028-07-31"
	y["nominationOpensAt"], y["nominationClosesAt"] = "2028-06-01T00:00:00+08:00", "2028-06-30T23:59:59+08:00"
	var out struct {
		UpsertAcademicYear struct{ UserErrors []UserError }
		SaveProfile        struct{ UserErrors []UserError }
	}
	s.Do(t, s.Admin(t), `mutation($in: AcademicYearInput!) { upsertAcademicYear(input: $in) { userErrors { code field message } } }`,
		map[string]any{"in": y}).Decode(t, &out)
	s.Do(t, s.Student(t, no), `mutation { saveProfile(input: {academicYear: "2027-2028", specialties: "写作", natures: [LONG_TERM], weeklyHours: 10, freeTime: []}) { userErrors { code field message } } }`, nil).Decode(t, &out)
	if len(out.UpsertAcademicYear.UserErrors)+len(out.SaveProfile.UserErrors) > 0 {
		t.Fatalf("year 2027-2028 and profile: %+v %+v", out.UpsertAcademicYear.UserErrors, out.SaveProfile.UserErrors)
	}
}

// hirePosition creates a position of unit from PositionInput(title) edited by change, and publishes it.
func hirePosition(t *testing.T, s *Server, unit, title string, change func(in map[string]any)) string {
	t.Helper()
	in := PositionInput(title)
	if change != nil {
		change(in)
	}
	var out struct {
		CreatePosition struct {
			Position   *struct{ ID string }
			UserErrors []UserError
		}
	}
	s.Do(t, s.Unit(t, unit), `mutation($in: PositionInput!) { createPosition(input: $in) { position { id } userErrors { code field message } } }`,
		map[string]any{"in": in}).Decode(t, &out)
	if out.CreatePosition.Position == nil {
		t.Fatalf("create position %s: %+v", title, out.CreatePosition.UserErrors)
	}
	id := out.CreatePosition.Position.ID
	hirePositionMove(t, s, unit, "publishPosition", id)
	return id
}

// hirePositionMove publishes or closes a position.
func hirePositionMove(t *testing.T, s *Server, unit, mutation, id string) {
	t.Helper()
	var out map[string]struct{ UserErrors []UserError }
	s.Do(t, s.Unit(t, unit), `mutation($id: ID!) { r: `+mutation+`(id: $id) { userErrors { code field message } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	if ue := out["r"].UserErrors; len(ue) > 0 {
		t.Fatalf("%s %s: %+v", mutation, id, ue)
	}
}

// hireWork is a WorkRecordPayload.
type hireWork struct {
	WorkRecord *struct {
		Month      string
		Hours      float64
		Amount     string
		RecordedAt string
		UpdatedAt  string
	}
	UserErrors []UserError
}

// hireRecordWork records hours and amount for an application's month.
func hireRecordWork(t *testing.T, s *Server, token, id, month string, hours any, amount string, headers ...string) (hireWork, Response) {
	t.Helper()
	r := s.Do(t, token, `mutation($in: WorkRecordInput!) { r: recordWork(input: $in) { workRecord { month hours amount recordedAt updatedAt } userErrors { code field message } } }`,
		map[string]any{"in": map[string]any{"applicationId": id, "month": month, "hours": hours, "amount": amount}}, headers...)
	var out struct{ R hireWork }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// hireMustRecordWork records work that must be accepted.
func hireMustRecordWork(t *testing.T, s *Server, token, id, month string, hours any, amount string) {
	t.Helper()
	w, r := hireRecordWork(t, s, token, id, month, hours, amount)
	if len(r.Errors) > 0 || len(w.UserErrors) > 0 || w.WorkRecord == nil {
		t.Fatalf("record %s %v h %s for %s: got %+v, errors %+v, want a record", month, hours, amount, id, w, r.Errors)
	}
}

// hireSnap is what a refused request must leave as it was.
type hireSnap struct {
	Status, EndedAt, EndReason   string // of the application ("" when none is watched)
	Events, Works                int    // of the application
	AllApps, AllEvents, AllWorks int    // in the whole database
	Work                         string // the application's work records, month:hours:fen
}

func hireSnapshot(t *testing.T, s *Server, id string) hireSnap {
	t.Helper()
	snap := hireSnap{
		AllApps:   s.Count(t, `SELECT count(*) FROM applications`),
		AllEvents: s.Count(t, `SELECT count(*) FROM application_events`),
		AllWorks:  s.Count(t, `SELECT count(*) FROM work_records`),
	}
	if id == "" {
		return snap
	}
	var row struct {
		Status, EndedAt, EndReason, Work string
	}
	if err := s.DB.Get(&row, `SELECT status, coalesce(ended_at::text, '') AS endedat, coalesce(end_reason, '') AS endreason,
		coalesce((SELECT string_agg(month || ':' || hours || ':' || amount_fen, ',' ORDER BY month) FROM work_records WHERE application_id = a.id), '') AS work
		FROM applications a WHERE id = $1`, id); err != nil {
		t.Fatalf("application %s: %v", id, err)
	}
	snap.Status, snap.EndedAt, snap.EndReason, snap.Work = row.Status, row.EndedAt, row.EndReason, row.Work
	snap.Events = s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, id)
	snap.Works = s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1`, id)
	return snap
}

// hireUnchanged fails when the database differs from before.
func hireUnchanged(t *testing.T, s *Server, id string, before hireSnap) {
	t.Helper()
	if got := hireSnapshot(t, s, id); got != before {
		t.Errorf("database changed by a refused request: got %+v, want %+v", got, before)
	}
}

// hireStatus is an application's status in the database.
func hireStatus(t *testing.T, s *Server, id string) string {
	t.Helper()
	var st string
	if err := s.DB.Get(&st, `SELECT status FROM applications WHERE id = $1`, id); err != nil {
		t.Fatalf("status of %s: %v", id, err)
	}
	return st
}

// hireWantErr describes an expected user error: code, field (nil: not checked) and message parts.
type hireWantErr struct {
	Code     string
	Field    []string
	Contains []string
}

// hireCheckUserErrors compares userErrors with want, in order.
func hireCheckUserErrors(t *testing.T, got []UserError, want ...hireWantErr) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("userErrors: got %+v, want %d errors %+v", got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Code != w.Code {
			t.Errorf("userErrors[%d].code: got %s, want %s (%+v)", i, g.Code, w.Code, g)
		}
		if w.Field != nil && !slices.Equal(g.Field, w.Field) {
			t.Errorf("userErrors[%d].field: got %q, want %q", i, g.Field, w.Field)
		}
		for _, part := range w.Contains {
			if !strings.Contains(g.Message, part) {
				t.Errorf("userErrors[%d].message: got %q, want it to contain %q", i, g.Message, part)
			}
		}
	}
}

// hireCheckTopLevel wants exactly one top-level error with extensions.code code and no data.
func hireCheckTopLevel(t *testing.T, r Response, code string) {
	t.Helper()
	if r.Code() != code || len(r.Errors) != 1 {
		t.Fatalf("top-level errors: got %+v, want one %s", r.Errors, code)
	}
	if d := string(r.Data); d != "" && d != "null" {
		t.Errorf("data: got %s, want null", d)
	}
}

// hireEN asks for English messages.
var hireEN = []string{"Accept-Language", "en"}

func TestHireApplyRefusals(t *testing.T) {
	s := NewServer(t)
	const (
		ok, noProfile, notEnrolled, partTime, neither, noRecord, twice = "20260001", "20260002", "20260003", "20260004", "20260005", "20260099", "20260006"
		otherYear                                                      = "20260007"
	)
	unit, open := s.SeedSchool(t, ok, twice)
	hireStudents(t, s, func(no string, row map[string]any) {
		row["enrolled"] = no != notEnrolled && no != neither
		row["fullTime"] = no != partTime && no != neither
	}, noProfile, notEnrolled, partTime, neither)
	hireProfile(t, s, notEnrolled, partTime, neither)
	hireStudents(t, s, nil, otherYear)
	hireOtherYearProfile(t, s, otherYear)
	draft := s.SeedPosition(t, unit, "DRAFT", PositionInput("草稿岗位"))
	closed := hirePosition(t, s, unit, "已关闭岗位", nil)
	hirePositionMove(t, s, unit, "closePosition", closed)
	live := hireMustApply(t, s, twice, open)

	cases := []struct {
		name     string
		token    string
		pos      string
		now      string
		input    map[string]any
		en       bool
		topLevel string
		want     []hireWantErr
	}{
		{name: "draft position", token: s.Student(t, ok), pos: draft, topLevel: "NOT_FOUND"},
		{name: "unknown position", token: s.Student(t, ok), pos: "987654", topLevel: "NOT_FOUND"},
		{name: "before the window", token: s.Student(t, ok), pos: open, now: "2026-10-31T23:59:59+08:00",
			want: []hireWantErr{{"WINDOW_CLOSED", []string{"input", "positionId"}, []string{"2026-11-01 00:00", "2026-12-31 00:00"}}}},
		{name: "just after the window", token: s.Student(t, ok), pos: open, now: "2026-12-31T00:00:01+08:00",
			want: []hireWantErr{{"WINDOW_CLOSED", []string{"input", "positionId"}, []string{"2026-12-31 00:00"}}}},
		{name: "long after the window", token: s.Student(t, ok), pos: open, now: "2027-01-05T09:00:00+08:00",
			want: []hireWantErr{{"WINDOW_CLOSED", []string{"input", "positionId"}, nil}}},
		{name: "closed position", token: s.Student(t, ok), pos: closed,
			want: []hireWantErr{{"WINDOW_CLOSED", []string{"input", "positionId"}, []string{"已关闭"}}}},
		{name: "closed position en", token: s.Student(t, ok), pos: closed, en: true,
			want: []hireWantErr{{"WINDOW_CLOSED", []string{"input", "positionId"}, []string{"CLOSED"}}}},
		{name: "no profile", token: s.Student(t, noProfile), pos: open,
			want: []hireWantErr{{"PROFILE_REQUIRED", nil, []string{"2026-2027"}}}},
		{name: "profile of another year only", token: s.Student(t, otherYear), pos: open,
			want: []hireWantErr{{"PROFILE_REQUIRED", nil, []string{"2026-2027"}}}},
		{name: "no profile en", token: s.Student(t, noProfile), pos: open, en: true,
			want: []hireWantErr{{"PROFILE_REQUIRED", nil, []string{"2026-2027", "profile"}}}},
		{name: "not enrolled", token: s.Student(t, notEnrolled), pos: open,
			want: []hireWantErr{{"NOT_ELIGIBLE", nil, []string{"在读"}}}},
		{name: "not enrolled en", token: s.Student(t, notEnrolled), pos: open, en: true,
			want: []hireWantErr{{"NOT_ELIGIBLE", nil, []string{"enrolled"}}}},
		{name: "not full-time", token: s.Student(t, partTime), pos: open,
			want: []hireWantErr{{"NOT_ELIGIBLE", nil, []string{"全日制"}}}},
		{name: "not full-time en", token: s.Student(t, partTime), pos: open, en: true,
			want: []hireWantErr{{"NOT_ELIGIBLE", nil, []string{"full-time"}}}},
		{name: "neither enrolled nor full-time", token: s.Student(t, neither), pos: open,
			want: []hireWantErr{{"NOT_ELIGIBLE", nil, []string{"在读"}}, {"NOT_ELIGIBLE", nil, []string{"全日制"}}}},
		{name: "no enrollment record", token: s.Student(t, noRecord), pos: open,
			want: []hireWantErr{{"NOT_ELIGIBLE", nil, []string{noRecord}}}},
		{name: "second live application", token: s.Student(t, twice), pos: open,
			want: []hireWantErr{{"CONFLICT", []string{"input", "positionId"}, nil}}},
		{name: "empty reason", token: s.Student(t, ok), pos: open, input: map[string]any{"reason": ""},
			want: []hireWantErr{{"VALIDATION", []string{"input", "reason"}, []string{"理由"}}}},
		{name: "blank reason", token: s.Student(t, ok), pos: open, input: map[string]any{"reason": " \t\n "},
			want: []hireWantErr{{"VALIDATION", []string{"input", "reason"}, []string{"理由"}}}},
		{name: "reason too long", token: s.Student(t, ok), pos: open, input: map[string]any{"reason": strings.Repeat("理", 1001)},
			want: []hireWantErr{{"VALIDATION", []string{"input", "reason"}, []string{"1000", "1001"}}}},
		{name: "bad phone", token: s.Student(t, ok), pos: open, input: map[string]any{"phone": "12ab"},
			want: []hireWantErr{{"VALIDATION", []string{"input", "phone"}, []string{"12ab"}}}},
		{name: "bad email", token: s.Student(t, ok), pos: open, input: map[string]any{"email": "not-an-email"},
			want: []hireWantErr{{"VALIDATION", []string{"input", "email"}, []string{"not-an-email"}}}},
		{name: "bad phone and email", token: s.Student(t, ok), pos: open, input: map[string]any{"phone": "x", "email": "@"},
			want: []hireWantErr{{"VALIDATION", []string{"input", "phone"}, nil}, {"VALIDATION", []string{"input", "email"}, nil}}},
		{name: "as unit staff", token: s.Unit(t, unit), pos: open, topLevel: "FORBIDDEN"},
		{name: "as admin", token: s.Admin(t), pos: open, topLevel: "FORBIDDEN"},
		{name: "without a token", token: "", pos: open, topLevel: "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.SetNow(mustTime(t, hireStart))
			if c.now != "" {
				s.SetNow(mustTime(t, c.now))
			}
			defer s.SetNow(mustTime(t, hireStart))
			before := hireSnapshot(t, s, live)
			var headers []string
			if c.en {
				headers = hireEN
			}
			p, r := hireApplyAs(t, s, c.token, c.pos, c.input, headers...)
			if c.topLevel != "" {
				hireCheckTopLevel(t, r, c.topLevel)
			} else {
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
				}
				hireCheckUserErrors(t, p.UserErrors, c.want...)
				if p.Application != nil {
					t.Errorf("application: got %+v, want null", p.Application)
				}
			}
			hireUnchanged(t, s, live, before)
		})
	}
}

func TestHireApplyAgainAfterEnd(t *testing.T) {
	// A student may hold one live application per position; once it ended, a new one is allowed.
	for _, st := range []string{"WITHDRAWN", "REJECTED", "DECLINED", "DISMISSED"} {
		t.Run(st, func(t *testing.T) {
			s := NewServer(t)
			const no = "20260001"
			unit, pos := s.SeedSchool(t, no)
			old := hireDrive(t, s, unit, no, pos, st)
			s.SetNow(mustTime(t, "2026-12-01T10:00:00+08:00")) // back inside the window after the dismissal's clock
			p, r := hireApply(t, s, no, pos, nil)
			if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil {
				t.Fatalf("apply after %s: got %+v, errors %+v, want a new application", st, p, r.Errors)
			}
			if p.Application.ID == old || p.Application.Status != "APPLIED" {
				t.Errorf("new application: got id %s status %s, want a new id (old %s) in APPLIED", p.Application.ID, p.Application.Status, old)
			}
			if got := hireStatus(t, s, old); got != st {
				t.Errorf("old application: got %s, want %s", got, st)
			}
			if got := s.Count(t, `SELECT count(*) FROM applications WHERE student_no = $1`, no); got != 2 {
				t.Errorf("applications: got %d, want 2", got)
			}
			// And the new one is live: a third is a conflict.
			p, _ = hireApply(t, s, no, pos, nil)
			hireCheckUserErrors(t, p.UserErrors, hireWantErr{"CONFLICT", []string{"input", "positionId"}, nil})
		})
	}
}

func TestHireApplyContactWarnings(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005", "20260006"}
	_, pos := s.SeedSchool(t, nos...)
	const recPhone = "13800000000" // StudentRow's phone
	cases := []struct {
		name                 string
		no                   string
		input                map[string]any
		en                   bool
		wantPhone, wantEmail string
		wantWarnings         [][]string // parts each warning must contain
	}{
		{name: "omitted: the record's", no: nos[0], wantPhone: recPhone, wantEmail: nos[0] + "@bjmu.edu.cn"},
		{name: "same as the record", no: nos[1], input: map[string]any{"phone": recPhone, "email": nos[1] + "@bjmu.edu.cn"},
			wantPhone: recPhone, wantEmail: nos[1] + "@bjmu.edu.cn"},
		{name: "phone differs", no: nos[2], input: map[string]any{"phone": "13911112222"},
			wantPhone: "13911112222", wantEmail: nos[2] + "@bjmu.edu.cn", wantWarnings: [][]string{{"联系电话", recPhone}}},
		{name: "email differs", no: nos[3], input: map[string]any{"email": "me@example.com"},
			wantPhone: recPhone, wantEmail: "me@example.com", wantWarnings: [][]string{{"邮箱", nos[3] + "@bjmu.edu.cn"}}},
		{name: "both differ", no: nos[4], input: map[string]any{"phone": "010-62345678", "email": "me2@example.com"},
			wantPhone: "010-62345678", wantEmail: "me2@example.com", wantWarnings: [][]string{{"联系电话"}, {"邮箱"}}},
		{name: "phone differs en", no: nos[5], input: map[string]any{"phone": "13911113333"}, en: true,
			wantPhone: "13911113333", wantEmail: nos[5] + "@bjmu.edu.cn", wantWarnings: [][]string{{"phone", recPhone}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var headers []string
			if c.en {
				headers = hireEN
			}
			p, r := hireApply(t, s, c.no, pos, c.input, headers...)
			if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil {
				t.Fatalf("apply: got %+v, errors %+v, want success", p, r.Errors)
			}
			if p.Warnings == nil || len(p.Warnings) != len(c.wantWarnings) {
				t.Fatalf("warnings: got %q, want %d", p.Warnings, len(c.wantWarnings))
			}
			for i, parts := range c.wantWarnings {
				for _, part := range parts {
					if !strings.Contains(p.Warnings[i], part) {
						t.Errorf("warnings[%d]: got %q, want it to contain %q", i, p.Warnings[i], part)
					}
				}
			}
			if a := p.Application; a.Phone != c.wantPhone || a.Email != c.wantEmail {
				t.Errorf("payload contact: got %s %s, want %s %s", a.Phone, a.Email, c.wantPhone, c.wantEmail)
			}
			var db struct{ Phone, Email string }
			if err := s.DB.Get(&db, `SELECT phone, email FROM applications WHERE id = $1`, p.Application.ID); err != nil {
				t.Fatal(err)
			}
			if db.Phone != c.wantPhone || db.Email != c.wantEmail {
				t.Errorf("stored contact: got %s %s, want %s %s", db.Phone, db.Email, c.wantPhone, c.wantEmail)
			}
			// The enrollment record is not touched by an application.
			if got := s.Count(t, `SELECT count(*) FROM students WHERE student_no = $1 AND phone = $2`, c.no, recPhone); got != 1 {
				t.Errorf("enrollment record phone changed: got %d rows with %s, want 1", got, recPhone)
			}
		})
	}
}

func TestHireTransitionMatrix(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	var nos []string
	for i := 1; i <= 14; i++ {
		nos = append(nos, fmt.Sprintf("2026%04d", i))
	}
	hireStudents(t, s, nil, nos...)
	hireProfile(t, s, nos...)
	pos := hirePosition(t, s, unit, "矩阵", func(in map[string]any) { in["headcount"] = 50 })
	next := 0
	student := func() string { next++; return nos[next-1] }

	for _, st := range hireStatuses {
		no := student()
		id := hireDrive(t, s, unit, no, pos, st.Name)
		for _, op := range hireOpOrder {
			arrow := hireArrows[op]
			tokenFor := func(no string) string {
				if arrow.ByStudent {
					return s.Student(t, no)
				}
				return s.Unit(t, unit)
			}
			if arrow.From == st.Name {
				t.Run(st.Name+"/"+op+"/allowed", func(t *testing.T) {
					fresh := student()
					fid := hireDrive(t, s, unit, fresh, pos, st.Name)
					events := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, fid)
					p := hireMustOp(t, s, tokenFor(fresh), op, fid, arrow.To, nil)
					if got := hireStatus(t, s, fid); got != arrow.To {
						t.Errorf("stored status: got %s, want %s", got, arrow.To)
					}
					if got := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1 AND event = $2 AND from_status = $3 AND to_status = $4`,
						fid, op, arrow.From, arrow.To); got != 1 {
						t.Errorf("timeline entries %s %s->%s: got %d, want 1", op, arrow.From, arrow.To, got)
					}
					if got := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1`, fid); got != events+1 {
						t.Errorf("timeline length: got %d, want %d", got, events+1)
					}
					if hasEmployment := arrow.To == "CONFIRMED" || arrow.To == "DISMISSED"; (p.Application.Employment != nil) != hasEmployment {
						t.Errorf("employment after %s: got %+v, want present %v", op, p.Application.Employment, hasEmployment)
					}
					if want := map[string]string{"WITHDRAWN": "已撤回", "HIRED": "已聘用", "REJECTED": "未录用", "CONFIRMED": "已聘已确认", "DECLINED": "已放弃", "DISMISSED": "已解聘"}[arrow.To]; p.Application.StatusLabel != want {
						t.Errorf("statusLabel: got %s, want %s", p.Application.StatusLabel, want)
					}
				})
				continue
			}
			t.Run(st.Name+"/"+op+"/refused", func(t *testing.T) {
				for _, en := range []bool{false, true} {
					before := hireSnapshot(t, s, id)
					var headers []string
					want := st.Label // Chinese label by default
					if en {
						headers, want = hireEN, st.Name
					}
					p, r := hireOp(t, s, tokenFor(no), op, id, nil, headers...)
					if len(r.Errors) > 0 {
						t.Fatalf("top-level errors: got %+v, want INVALID_TRANSITION", r.Errors)
					}
					hireCheckUserErrors(t, p.UserErrors, hireWantErr{"INVALID_TRANSITION", nil, []string{want}})
					if en && strings.Contains(p.UserErrors[0].Message, "申请当前状态") {
						t.Errorf("message: got %q, want English", p.UserErrors[0].Message)
					}
					if !en && strings.Contains(p.UserErrors[0].Message, "the application is") {
						t.Errorf("message: got %q, want Chinese", p.UserErrors[0].Message)
					}
					if p.Application != nil {
						t.Errorf("application: got %+v, want null", p.Application)
					}
					hireUnchanged(t, s, id, before)
				}
			})
		}
	}
}

func TestHireCrossRoleAndUnit(t *testing.T) {
	s := NewServer(t)
	const a, b, c, d = "20260001", "20260002", "20260003", "20260004"
	unit, pos := s.SeedSchool(t, a, b, c, d)
	other := s.SeedUnit(t, "药学院")
	otherPos := hirePosition(t, s, other, "药学院岗位", nil)
	stuA, stuB := s.Student(t, a), s.Student(t, b)
	staff, otherStaff, admin := s.Unit(t, unit), s.Unit(t, other), s.Admin(t)

	app := hireMustApply(t, s, a, pos)
	appC := hireMustApply(t, s, c, pos)
	appD := hireMustApply(t, s, d, pos)

	refuse := func(name, token, op, id, code string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := hireSnapshot(t, s, id)
			_, r := hireOp(t, s, token, op, id, map[string]any{"note": "x"})
			hireCheckTopLevel(t, r, code)
			hireUnchanged(t, s, id, before)
		})
	}
	refuseWork := func(name, token, id, code string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := hireSnapshot(t, s, id)
			_, r := hireRecordWork(t, s, token, id, "2027-01", 10, "100.00")
			hireCheckTopLevel(t, r, code)
			hireUnchanged(t, s, id, before)
		})
	}

	// APPLIED: the arrows out of it, taken by the wrong people.
	refuse("another student withdraws", stuB, "WITHDRAW", app, "NOT_FOUND")
	refuse("other unit hires", otherStaff, "HIRE", app, "NOT_FOUND")
	refuse("other unit rejects", otherStaff, "REJECT", app, "NOT_FOUND")
	refuse("student hires", stuA, "HIRE", app, "FORBIDDEN")
	refuse("student rejects", stuA, "REJECT", app, "FORBIDDEN")
	refuse("unit withdraws", staff, "WITHDRAW", app, "FORBIDDEN")
	t.Run("unit applies", func(t *testing.T) {
		before := hireSnapshot(t, s, app)
		_, r := hireApplyAs(t, s, staff, pos, nil)
		hireCheckTopLevel(t, r, "FORBIDDEN")
		hireUnchanged(t, s, app, before)
	})

	hireMustOp(t, s, staff, "HIRE", app, "HIRED", nil)
	refuse("another student confirms", stuB, "CONFIRM", app, "NOT_FOUND")
	refuse("another student declines", stuB, "DECLINE", app, "NOT_FOUND")
	refuse("unit confirms", staff, "CONFIRM", app, "FORBIDDEN")
	refuse("unit declines", staff, "DECLINE", app, "FORBIDDEN")
	refuse("admin confirms for the student", admin, "CONFIRM", app, "FORBIDDEN")

	hireMustOp(t, s, stuA, "CONFIRM", app, "CONFIRMED", nil)
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	refuse("other unit dismisses", otherStaff, "DISMISS", app, "NOT_FOUND")
	refuse("student dismisses", stuA, "DISMISS", app, "FORBIDDEN")
	refuseWork("other unit records work", otherStaff, app, "NOT_FOUND")
	refuseWork("student records work", stuA, app, "FORBIDDEN")
	refuseWork("another student records work", stuB, app, "FORBIDDEN")

	t.Run("admin acts for any unit", func(t *testing.T) {
		hireMustRecordWork(t, s, admin, app, "2027-01", 10, "100.00")
		hireMustOp(t, s, admin, "DISMISS", app, "DISMISSED", nil)
		hireMustOp(t, s, admin, "HIRE", appC, "HIRED", nil)
		hireMustOp(t, s, admin, "REJECT", appD, "REJECTED", map[string]any{"note": "名额已满"})
		if got := s.Count(t, `SELECT count(*) FROM application_events WHERE actor = 'admin' AND actor_role = 'ADMIN'`); got != 4 {
			t.Errorf("admin timeline entries: got %d, want 4", got)
		}
	})

	t.Run("application(id)", func(t *testing.T) {
		cases := []struct {
			name, token, code string
		}{
			{"its student", stuA, ""}, {"its unit", staff, ""}, {"admin", admin, ""},
			{"another student", stuB, "NOT_FOUND"}, {"another unit", otherStaff, "NOT_FOUND"}, {"no token", "", "UNAUTHENTICATED"},
		}
		for _, c := range cases {
			r := s.Do(t, c.token, `query($id: ID!) { application(id: $id) { id status } }`, map[string]any{"id": app})
			if c.code != "" {
				if r.Code() != c.code {
					t.Errorf("%s: got %+v, want %s", c.name, r.Errors, c.code)
				}
				continue
			}
			var out struct{ Application struct{ ID, Status string } }
			r.Decode(t, &out)
			if out.Application.ID != app || out.Application.Status != "DISMISSED" {
				t.Errorf("%s: got %+v, want %s DISMISSED", c.name, out.Application, app)
			}
		}
		// An unknown id looks exactly like another student's.
		r := s.Do(t, stuB, `query($id: ID!) { application(id: $id) { id } }`, map[string]any{"id": "987654"})
		if r.Code() != "NOT_FOUND" {
			t.Errorf("unknown id: got %+v, want NOT_FOUND", r.Errors)
		}
	})

	t.Run("applicants(positionId)", func(t *testing.T) {
		cases := []struct {
			name, token, pos, code string
			want                   int
		}{
			{"its unit", staff, pos, "", 3}, {"admin", admin, pos, "", 3}, {"other unit's own", otherStaff, otherPos, "", 0},
			{"another unit", otherStaff, pos, "NOT_FOUND", 0}, {"unit on another unit's", staff, otherPos, "NOT_FOUND", 0},
			{"unknown position", staff, "987654", "NOT_FOUND", 0}, {"a student", stuA, pos, "FORBIDDEN", 0},
		}
		for _, c := range cases {
			r := s.Do(t, c.token, `query($p: ID!) { applicants(positionId: $p) { totalCount edges { node { id } } } }`, map[string]any{"p": c.pos})
			if c.code != "" {
				if r.Code() != c.code {
					t.Errorf("%s: got %+v, want %s", c.name, r.Errors, c.code)
				}
				continue
			}
			var out struct {
				Applicants struct {
					TotalCount int
					Edges      []struct{ Node struct{ ID string } }
				}
			}
			r.Decode(t, &out)
			if out.Applicants.TotalCount != c.want || len(out.Applicants.Edges) != c.want {
				t.Errorf("%s: got %d of %d, want %d", c.name, len(out.Applicants.Edges), out.Applicants.TotalCount, c.want)
			}
		}
	})
}

func TestHireDismissReason(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, pos := s.SeedSchool(t, no)
	id := hireDrive(t, s, unit, no, pos, "CONFIRMED")
	staff := s.Unit(t, unit)

	for _, reason := range []string{"", "   ", "\t\n"} {
		t.Run(fmt.Sprintf("reason %q", reason), func(t *testing.T) {
			before := hireSnapshot(t, s, id)
			p, r := hireOp(t, s, staff, "DISMISS", id, map[string]any{"reason": reason})
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want VALIDATION", r.Errors)
			}
			hireCheckUserErrors(t, p.UserErrors, hireWantErr{"VALIDATION", []string{"reason"}, []string{"理由"}})
			hireUnchanged(t, s, id, before)
		})
	}
	t.Run("reason too long", func(t *testing.T) {
		before := hireSnapshot(t, s, id)
		p, _ := hireOp(t, s, staff, "DISMISS", id, map[string]any{"reason": strings.Repeat("因", 501)})
		hireCheckUserErrors(t, p.UserErrors, hireWantErr{"VALIDATION", []string{"reason"}, []string{"500", "501"}})
		hireUnchanged(t, s, id, before)
	})

	at := "2027-01-20T09:30:00+08:00"
	s.SetNow(mustTime(t, at))
	const reason = "连续三周未到岗"
	p := hireMustOp(t, s, staff, "DISMISS", id, "DISMISSED", map[string]any{"reason": "  " + reason + "  "})
	e := p.Application.Employment
	if e == nil || e.EndedAt == nil || *e.EndedAt != at || e.EndReason == nil || *e.EndReason != reason {
		t.Fatalf("employment: got %+v, want endedAt %s and endReason %q", e, at, reason)
	}
	if p.Application.StatusLabel != "已解聘" {
		t.Errorf("statusLabel: got %s, want 已解聘", p.Application.StatusLabel)
	}
	if got := s.Count(t, `SELECT count(*) FROM application_events WHERE application_id = $1 AND event = 'DISMISS' AND note = $2`, id, reason); got != 1 {
		t.Errorf("DISMISS timeline entries with the reason as note: got %d, want 1", got)
	}
	if got := s.Count(t, `SELECT count(*) FROM applications WHERE id = $1 AND end_reason = $2 AND ended_at IS NOT NULL`, id, reason); got != 1 {
		t.Errorf("stored end: got %d rows, want 1", got)
	}
}

func TestHireRejectNote(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003"}
	unit, pos := s.SeedSchool(t, nos...)
	staff := s.Unit(t, unit)
	cases := []struct {
		name     string
		no       string
		note     any
		wantNote string
	}{
		{"with a note", nos[0], "专业方向不符", "专业方向不符"},
		{"without a note", nos[1], nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := hireMustApply(t, s, c.no, pos)
			hireMustOp(t, s, staff, "REJECT", id, "REJECTED", map[string]any{"note": c.note})
			var out struct {
				Application struct {
					Timeline []struct{ Event, Note string }
				}
			}
			s.Do(t, s.Student(t, c.no), `query($id: ID!) { application(id: $id) { timeline { event note } } }`, map[string]any{"id": id}).Decode(t, &out)
			tl := out.Application.Timeline
			if len(tl) != 2 || tl[1].Event != "REJECT" || tl[1].Note != c.wantNote {
				t.Errorf("timeline: got %+v, want APPLY then REJECT with note %q", tl, c.wantNote)
			}
		})
	}
	t.Run("note too long", func(t *testing.T) {
		id := hireMustApply(t, s, nos[2], pos)
		before := hireSnapshot(t, s, id)
		p, _ := hireOp(t, s, staff, "REJECT", id, map[string]any{"note": strings.Repeat("注", 501)})
		hireCheckUserErrors(t, p.UserErrors, hireWantErr{"VALIDATION", []string{"note"}, []string{"500", "501"}})
		hireUnchanged(t, s, id, before)
	})
}

func TestHireHeadcount(t *testing.T) {
	s := NewServer(t)
	const a, b, c = "20260001", "20260002", "20260003"
	unit, _ := s.SeedSchool(t, a, b, c)
	pos := hirePosition(t, s, unit, "单人岗位", func(in map[string]any) { in["headcount"] = 1 })
	staff := s.Unit(t, unit)
	appA, appB, appC := hireMustApply(t, s, a, pos), hireMustApply(t, s, b, pos), hireMustApply(t, s, c, pos)

	full := func(name, id string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			for _, en := range []bool{false, true} {
				before := hireSnapshot(t, s, id)
				var headers []string
				want := []string{"1"}
				if en {
					headers, want = hireEN, []string{"headcount of 1", "1 hired"}
				}
				p, r := hireOp(t, s, staff, "HIRE", id, nil, headers...)
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want HEADCOUNT_FULL", r.Errors)
				}
				hireCheckUserErrors(t, p.UserErrors, hireWantErr{"HEADCOUNT_FULL", nil, want})
				hireUnchanged(t, s, id, before)
			}
		})
	}
	hireMustOp(t, s, staff, "HIRE", appA, "HIRED", nil)
	full("full while A is HIRED", appB)
	hireMustOp(t, s, s.Student(t, a), "DECLINE", appA, "DECLINED", nil)
	t.Run("declining frees the place", func(t *testing.T) {
		hireMustOp(t, s, staff, "HIRE", appB, "HIRED", nil)
	})
	hireMustOp(t, s, s.Student(t, b), "CONFIRM", appB, "CONFIRMED", nil)
	full("full while B is CONFIRMED", appC)
	hireMustOp(t, s, staff, "DISMISS", appB, "DISMISSED", nil)
	t.Run("dismissal frees the place", func(t *testing.T) {
		hireMustOp(t, s, staff, "HIRE", appC, "HIRED", nil)
	})
	if got := s.Count(t, `SELECT count(*) FROM applications WHERE position_id = $1 AND status IN ('HIRED', 'CONFIRMED')`, pos); got != 1 {
		t.Errorf("hired and confirmed: got %d, want 1", got)
	}
}

func TestHireConfirmWeeklyCap(t *testing.T) {
	cases := []struct {
		name                   string
		secondStart, secondEnd string
		dismissFirst           bool
		wantCap                bool
	}{
		{name: "overlapping periods", secondStart: "2027-02-01T00:00:00+08:00", secondEnd: "2027-04-01T00:00:00+08:00", wantCap: true},
		{name: "same period", secondStart: "2027-01-01T00:00:00+08:00", secondEnd: "2027-03-01T00:00:00+08:00", wantCap: true},
		{name: "second inside first", secondStart: "2027-01-10T00:00:00+08:00", secondEnd: "2027-01-20T00:00:00+08:00", wantCap: true},
		{name: "second starts when first ends", secondStart: "2027-03-01T00:00:00+08:00", secondEnd: "2027-05-01T00:00:00+08:00"},
		{name: "disjoint periods", secondStart: "2027-04-01T00:00:00+08:00", secondEnd: "2027-06-01T00:00:00+08:00"},
		{name: "overlapping but first dismissed", secondStart: "2027-02-01T00:00:00+08:00", secondEnd: "2027-04-01T00:00:00+08:00", dismissFirst: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewServer(t)
			const no = "20260001"
			unit, _ := s.SeedSchool(t, no)
			first := hirePosition(t, s, unit, "岗位一", func(in map[string]any) { in["weeklyHours"] = 12 })
			second := hirePosition(t, s, unit, "岗位二", func(in map[string]any) {
				in["weeklyHours"], in["workStart"], in["workEnd"] = 12, c.secondStart, c.secondEnd
			})
			firstApp := hireDrive(t, s, unit, no, first, "CONFIRMED")
			if c.dismissFirst {
				hireMustOp(t, s, s.Unit(t, unit), "DISMISS", firstApp, "DISMISSED", nil)
			}
			app := hireDrive(t, s, unit, no, second, "HIRED")
			before := hireSnapshot(t, s, app)
			for _, en := range []bool{false, true} {
				var headers []string
				if en {
					headers = hireEN
				}
				p, r := hireOp(t, s, s.Student(t, no), "CONFIRM", app, nil, headers...)
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: %+v", r.Errors)
				}
				if !c.wantCap {
					if len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != "CONFIRMED" || p.Application.Employment == nil {
						t.Fatalf("confirm: got %+v, want CONFIRMED with an employment", p)
					}
					return
				}
				want := []string{"12", "20", "2026-2027"}
				if en {
					want = append(want, "weekly cap")
				}
				hireCheckUserErrors(t, p.UserErrors, hireWantErr{"HOURS_CAP", nil, want})
				if p.Application != nil {
					t.Errorf("application: got %+v, want null", p.Application)
				}
				hireUnchanged(t, s, app, before)
				if got := s.Count(t, `SELECT count(*) FROM applications WHERE id = $1 AND started_at IS NULL`, app); got != 1 {
					t.Errorf("employment started by a refused confirm")
				}
			}
		})
	}
}

// hireEmployment makes a CONFIRMED application of student no to pos, inside the application window.
func hireEmployment(t *testing.T, s *Server, unit, no, pos string) string {
	t.Helper()
	s.SetNow(mustTime(t, hireStart))
	return hireDrive(t, s, unit, no, pos, "CONFIRMED")
}

func TestHireRecordWorkMonths(t *testing.T) {
	s := NewServer(t)
	var nos []string
	for i := 1; i <= 12; i++ {
		nos = append(nos, fmt.Sprintf("2026%04d", i))
	}
	unit, _ := s.SeedSchool(t, nos...)
	pos := hirePosition(t, s, unit, "记录工时", func(in map[string]any) { in["headcount"] = 50 })
	staff := s.Unit(t, unit)
	cases := []struct {
		name, now, dismissAt, month string
		ok                          bool
	}{
		{name: "first month of the work period", now: "2027-02-10T10:00:00+08:00", month: "2027-01", ok: true},
		{name: "current month", now: "2027-02-10T10:00:00+08:00", month: "2027-02", ok: true},
		{name: "after the work period", now: "2027-02-10T10:00:00+08:00", month: "2027-03"},
		{name: "before the work period", now: "2027-02-10T10:00:00+08:00", month: "2026-12"},
		{name: "in the future inside the work period", now: "2027-01-20T10:00:00+08:00", month: "2027-02"},
		{name: "after the work period long after", now: "2027-06-10T10:00:00+08:00", month: "2027-03"},
		{name: "last month of the work period later", now: "2027-06-10T10:00:00+08:00", month: "2027-02", ok: true},
		{name: "Shanghai still January", now: "2027-01-31T23:30:00+08:00", month: "2027-02"},
		{name: "Shanghai already February (UTC January)", now: "2027-02-01T00:30:00+08:00", month: "2027-02", ok: true},
		{name: "after the dismissal's month", now: "2027-02-10T10:00:00+08:00", dismissAt: "2027-01-20T10:00:00+08:00", month: "2027-02"},
		{name: "the dismissal's month", now: "2027-02-10T10:00:00+08:00", dismissAt: "2027-01-20T10:00:00+08:00", month: "2027-01", ok: true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := hireEmployment(t, s, unit, nos[i], pos)
			if c.dismissAt != "" {
				s.SetNow(mustTime(t, c.dismissAt))
				hireMustOp(t, s, staff, "DISMISS", id, "DISMISSED", nil)
			}
			s.SetNow(mustTime(t, c.now))
			before := hireSnapshot(t, s, id)
			w, r := hireRecordWork(t, s, staff, id, c.month, 8, "320.00")
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: %+v", r.Errors)
			}
			if c.ok {
				if len(w.UserErrors) > 0 || w.WorkRecord == nil || w.WorkRecord.Month != c.month {
					t.Fatalf("record %s at %s: got %+v, want it recorded", c.month, c.now, w)
				}
				if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = $2`, id, c.month); got != 1 {
					t.Errorf("stored records: got %d, want 1", got)
				}
				return
			}
			hireCheckUserErrors(t, w.UserErrors, hireWantErr{"VALIDATION", []string{"input", "month"}, []string{c.month}})
			if w.WorkRecord != nil {
				t.Errorf("workRecord: got %+v, want null", w.WorkRecord)
			}
			hireUnchanged(t, s, id, before)
		})
	}
}

func TestHireRecordWorkValidation(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, pos := s.SeedSchool(t, no)
	id := hireDrive(t, s, unit, no, pos, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	staff := s.Unit(t, unit)
	cases := []struct {
		name   string
		hours  any
		amount string
		want   []hireWantErr
	}{
		{"hours with three decimals", 1.234, "100.00", []hireWantErr{{"VALIDATION", []string{"input", "hours"}, []string{"1.234"}}}},
		{"negative hours", -1, "100.00", []hireWantErr{{"VALIDATION", []string{"input", "hours"}, nil}}},
		{"hours past a month's hours", 745, "100.00", []hireWantErr{{"VALIDATION", []string{"input", "hours"}, []string{"744"}}}},
		{"negative amount", 10, "-1.00", []hireWantErr{{"VALIDATION", []string{"input", "amount"}, nil}}},
		{"negative amount and hours", -2, "-0.01", []hireWantErr{{"VALIDATION", []string{"input", "hours"}, nil}, {"VALIDATION", []string{"input", "amount"}, nil}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := hireSnapshot(t, s, id)
			w, r := hireRecordWork(t, s, staff, id, "2027-01", c.hours, c.amount)
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
			}
			hireCheckUserErrors(t, w.UserErrors, c.want...)
			if w.WorkRecord != nil {
				t.Errorf("workRecord: got %+v, want null", w.WorkRecord)
			}
			hireUnchanged(t, s, id, before)
		})
	}
	t.Run("zero hours and amount are allowed", func(t *testing.T) {
		hireMustRecordWork(t, s, staff, id, "2027-02", 0, "0.00")
	})
}

// TestHireRecordWorkHoursPrecision: hours with two decimals whose binary value is not exact
// (1.15*100 == 114.99999999999999) are accepted; a third decimal is refused, however close.
func TestHireRecordWorkHoursPrecision(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, pos := s.SeedSchool(t, no)
	id := hireDrive(t, s, unit, no, pos, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	staff := s.Unit(t, unit)
	cases := []struct {
		hours float64
		ok    bool
	}{
		{1.15, true}, {0.29, true}, {0.07, true}, {0.57, true}, {1.1, true}, {33.33, true}, {59.99, true},
		{2.675, false}, {1.005, false}, {0.001, false}, {10.999, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.hours), func(t *testing.T) {
			before := hireSnapshot(t, s, id)
			w, r := hireRecordWork(t, s, staff, id, "2027-01", c.hours, "10.00")
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: %+v", r.Errors)
			}
			if !c.ok {
				hireCheckUserErrors(t, w.UserErrors, hireWantErr{"VALIDATION", []string{"input", "hours"}, []string{fmt.Sprint(c.hours)}})
				hireUnchanged(t, s, id, before)
				return
			}
			if len(w.UserErrors) > 0 || w.WorkRecord == nil || w.WorkRecord.Hours != c.hours {
				t.Fatalf("record %v hours: got %+v, want the record with %v hours", c.hours, w, c.hours)
			}
			var stored float64
			if err := s.DB.Get(&stored, `SELECT hours FROM work_records WHERE application_id = $1 AND month = '2027-01'`, id); err != nil || stored != c.hours {
				t.Errorf("stored hours: got %v (%v), want %v", stored, err, c.hours)
			}
		})
	}
}

func TestHireRecordWorkNotEmployment(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005"}
	unit, pos := s.SeedSchool(t, nos...)
	staff := s.Unit(t, unit)
	ids := map[string]string{}
	for i, st := range []string{"APPLIED", "HIRED", "REJECTED", "WITHDRAWN", "DECLINED"} {
		ids[st] = hireDrive(t, s, unit, nos[i], pos, st)
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	for _, st := range hireStatuses {
		id, ok := ids[st.Name]
		if !ok {
			continue
		}
		t.Run(st.Name, func(t *testing.T) {
			for _, en := range []bool{false, true} {
				before := hireSnapshot(t, s, id)
				var headers []string
				want := st.Label
				if en {
					headers, want = hireEN, st.Name
				}
				w, r := hireRecordWork(t, s, staff, id, "2027-01", 10, "100.00", headers...)
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want INVALID_TRANSITION", r.Errors)
				}
				hireCheckUserErrors(t, w.UserErrors, hireWantErr{"INVALID_TRANSITION", nil, []string{want}})
				hireUnchanged(t, s, id, before)
			}
		})
	}
}

func TestHireRecordWorkMonthlyCap(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, first := s.SeedSchool(t, no)
	other := s.SeedUnit(t, "药学院")
	second := hirePosition(t, s, other, "药学院岗位", nil)
	a := hireDrive(t, s, unit, no, first, "CONFIRMED") // 10 + 10 weekly hours: at the cap of 20, allowed
	b := hireDrive(t, s, other, no, second, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	staffA, staffB := s.Unit(t, unit), s.Unit(t, other)

	capped := func(name, token, id string, hours float64, wantParts ...string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			before := hireSnapshot(t, s, id)
			w, r := hireRecordWork(t, s, token, id, "2027-01", hours, "100.00")
			if len(r.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want HOURS_CAP", r.Errors)
			}
			hireCheckUserErrors(t, w.UserErrors, hireWantErr{"HOURS_CAP", []string{"input", "hours"}, append([]string{"2027-01", "60"}, wantParts...)})
			hireUnchanged(t, s, id, before)
		})
	}
	hireMustRecordWork(t, s, staffA, a, "2027-01", 40, "1600.00")
	capped("second employment passes the cap", staffB, b, 30, "40", "30")
	capped("one employment alone passes the cap", staffB, b, 60.5)
	t.Run("up to the cap exactly", func(t *testing.T) {
		hireMustRecordWork(t, s, staffB, b, "2027-01", 20, "800.00")
	})
	t.Run("correction does not count the record it replaces", func(t *testing.T) {
		hireMustRecordWork(t, s, staffA, a, "2027-01", 39.5, "1580.00") // 20 elsewhere + 39.5 <= 60
		if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01' AND hours = 39.5`, a); got != 1 {
			t.Errorf("corrected record: got %d rows with 39.5 hours, want 1", got)
		}
	})
	capped("correction past the cap", staffA, a, 40.5, "20", "40.5")
	capped("correction of the other past the cap", staffB, b, 20.75, "39.5")
	t.Run("another month has its own cap", func(t *testing.T) {
		hireMustRecordWork(t, s, staffA, a, "2027-02", 60, "2400.00")
	})
	if got := s.Count(t, `SELECT count(*) FROM work_records WHERE student_no = $1`, no); got != 3 {
		t.Errorf("work records: got %d, want 3", got)
	}
}

func TestHireRecordWorkCorrection(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	unit, pos := s.SeedSchool(t, no)
	id := hireDrive(t, s, unit, no, pos, "CONFIRMED")
	staff := s.Unit(t, unit)
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	hireMustRecordWork(t, s, staff, id, "2027-01", 30, "1200.50")
	s.SetNow(mustTime(t, "2027-02-12T15:00:00+08:00"))
	w, _ := hireRecordWork(t, s, staff, id, "2027-01", 32.25, "1300")
	if w.WorkRecord == nil || len(w.UserErrors) > 0 {
		t.Fatalf("correction: got %+v, want the corrected record", w)
	}
	if r := w.WorkRecord; r.Hours != 32.25 || r.Amount != "1300.00" || r.RecordedAt != "2027-02-10T10:00:00+08:00" || r.UpdatedAt != "2027-02-12T15:00:00+08:00" {
		t.Errorf("corrected record: got %+v, want 32.25h 1300.00 recorded 2027-02-10T10:00 updated 2027-02-12T15:00", r)
	}
	if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1`, id); got != 1 {
		t.Errorf("work records: got %d, want 1", got)
	}
	if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01' AND hours = 32.25 AND amount_fen = 130000`, id); got != 1 {
		t.Errorf("stored values: got %d rows with 32.25h and 130000 fen, want 1", got)
	}
	hireMustRecordWork(t, s, staff, id, "2027-02", 20, "1199.50")

	var out struct {
		Application struct {
			Timeline []struct {
				Event, From, To, Note, ActorRole string
			}
			WorkRecords []struct {
				Month  string
				Hours  float64
				Amount string
			}
			Employment struct {
				HoursWorked float64
				PaidAmount  string
			}
		}
	}
	s.Do(t, staff, `query($id: ID!) { application(id: $id) { timeline { event from to note actorRole } workRecords { month hours amount } employment { hoursWorked paidAmount } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	a := out.Application
	var events []string
	for _, e := range a.Timeline {
		events = append(events, e.Event)
	}
	if want := []string{"APPLY", "HIRE", "CONFIRM", "RECORD_WORK", "CORRECT_WORK", "RECORD_WORK"}; !slices.Equal(events, want) {
		t.Fatalf("timeline events: got %v, want %v", events, want)
	}
	rec, cor := a.Timeline[3], a.Timeline[4]
	for _, part := range []string{"2027-01", "30", "1200.50"} {
		if !strings.Contains(rec.Note, part) {
			t.Errorf("RECORD_WORK note: got %q, want it to contain %q", rec.Note, part)
		}
	}
	for _, part := range []string{"2027-01", "30", "1200.50", "32.25", "1300.00"} {
		if !strings.Contains(cor.Note, part) {
			t.Errorf("CORRECT_WORK note: got %q, want it to contain %q", cor.Note, part)
		}
	}
	if strings.Index(cor.Note, "1200.50") > strings.Index(cor.Note, "1300.00") {
		t.Errorf("CORRECT_WORK note: got %q, want the old values before the new", cor.Note)
	}
	if cor.From != "CONFIRMED" || cor.To != "CONFIRMED" || cor.ActorRole != "UNIT_STAFF" {
		t.Errorf("CORRECT_WORK entry: got %+v, want CONFIRMED -> CONFIRMED by UNIT_STAFF", cor)
	}
	if len(a.WorkRecords) != 2 || a.WorkRecords[0].Month != "2027-01" || a.WorkRecords[0].Amount != "1300.00" || a.WorkRecords[1].Month != "2027-02" {
		t.Errorf("workRecords: got %+v, want 2027-01 (1300.00) and 2027-02", a.WorkRecords)
	}
	if e := a.Employment; e.PaidAmount != "2499.50" || e.HoursWorked != 52.25 {
		t.Errorf("employment totals: got %+v, want 2499.50 and 52.25h", e)
	}
	// Correcting February to 1200.00 makes a round sum in the "2500.00" format.
	hireMustRecordWork(t, s, staff, id, "2027-02", 20, "1200.00")
	s.Do(t, staff, `query($id: ID!) { application(id: $id) { timeline { event from to note actorRole } workRecords { month hours amount } employment { hoursWorked paidAmount } } }`,
		map[string]any{"id": id}).Decode(t, &out)
	if e := out.Application.Employment; e.PaidAmount != "2500.00" || e.HoursWorked != 52.25 {
		t.Errorf("employment totals: got %+v, want 2500.00 and 52.25h", e)
	}
}

// hireApplicantsQuery selects every field of an applicant a unit can ask for.
const hireApplicantsQuery = `query($p: ID!, $status: ApplicationStatus, $first: Int, $after: String) {
	applicants(positionId: $p, status: $status, first: $first, after: $after) {
		totalCount
		pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
		edges { cursor node {
			id status statusLabel phone email reason appliedAt updatedAt
			student { studentNo name degree department phone email fullTime enrolled financialNeed }
			position { id title }
			profile { academicYear specialties natures weeklyHours freeTime { weekday start end } phone email updatedAt
				student { studentNo financialNeed } }
			timeline { event from to at actor actorRole note }
			workRecords { month hours amount }
			employment { id startedAt hoursWorked paidAmount }
		} }
	}
}`

type hireConn struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct {
		Cursor string
		Node   struct {
			ID, Status string
			Student    struct {
				StudentNo     string
				FinancialNeed *bool
			}
		}
	}
}

func (c hireConn) students() []string {
	var out []string
	for _, e := range c.Edges {
		out = append(out, e.Node.Student.StudentNo)
	}
	return out
}

// hireApplicants runs hireApplicantsQuery and returns the connection and the raw data.
func hireApplicants(t *testing.T, s *Server, token, pos string, vars map[string]any) (hireConn, string) {
	t.Helper()
	v := map[string]any{"p": pos}
	for k, x := range vars {
		v[k] = x
	}
	r := s.Do(t, token, hireApplicantsQuery, v)
	var out struct{ Applicants hireConn }
	r.Decode(t, &out)
	return out.Applicants, string(r.Data)
}

func TestHireApplicantsOrderAndPrivacy(t *testing.T) {
	s := NewServer(t)
	// Application order 1..5; students 2 and 4 have financial need.
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005"}
	need := map[string]bool{nos[1]: true, nos[3]: true}
	unit, pos := s.SeedSchool(t, nos...)
	hireStudents(t, s, func(no string, row map[string]any) { row["financialNeed"] = need[no] }, nos...)
	// Numbers and application order disagree, so that neither can pass for the other.
	for i, no := range []string{nos[2], nos[0], nos[3], nos[4], nos[1]} {
		s.SetNow(mustTime(t, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 16+i)))
		hireMustApply(t, s, no, pos)
	}
	want := []string{nos[3], nos[1], nos[2], nos[0], nos[4]} // need first, each group by application time

	staff := s.Unit(t, unit)
	conn, raw := hireApplicants(t, s, staff, pos, nil)
	if got := conn.students(); !slices.Equal(got, want) {
		t.Errorf("order for the unit: got %v, want %v", got, want)
	}
	if conn.TotalCount != 5 {
		t.Errorf("totalCount: got %d, want 5", conn.TotalCount)
	}
	var anyData any
	if err := json.Unmarshal([]byte(raw), &anyData); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if strings.Contains(strings.ToLower(k), "financial") && y != nil {
					t.Errorf("%s.%s: got %v, want null for unit staff", path, k, y)
				}
				walk(path+"."+k, y)
			}
		case []any:
			for i, y := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), y)
			}
		case string:
			if strings.Contains(strings.ToLower(x), "financial") || strings.Contains(x, "困难") {
				t.Errorf("%s: got %q, want no mention of financial need", path, x)
			}
		}
	}
	walk("data", anyData)
	if strings.Contains(raw, `"financialNeed":true`) || strings.Contains(raw, `"financialNeed":false`) {
		t.Errorf("raw response reveals the flag: %s", raw)
	}

	t.Run("admin sees the same order and the flag", func(t *testing.T) {
		conn, _ := hireApplicants(t, s, s.Admin(t), pos, nil)
		if got := conn.students(); !slices.Equal(got, want) {
			t.Errorf("order for admin: got %v, want %v", got, want)
		}
		for _, e := range conn.Edges {
			if f := e.Node.Student.FinancialNeed; f == nil || *f != need[e.Node.Student.StudentNo] {
				t.Errorf("financialNeed of %s for admin: got %v, want %v", e.Node.Student.StudentNo, f, need[e.Node.Student.StudentNo])
			}
		}
	})
}

func TestHireApplicantsFilterAndPaging(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005"}
	need := map[string]bool{nos[1]: true, nos[3]: true}
	unit, pos := s.SeedSchool(t, nos...)
	hireStudents(t, s, func(no string, row map[string]any) { row["financialNeed"] = need[no] }, nos...)
	ids := map[string]string{}
	for i, no := range nos {
		s.SetNow(mustTime(t, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 16+i)))
		ids[no] = hireMustApply(t, s, no, pos)
	}
	staff := s.Unit(t, unit)
	all := []string{nos[1], nos[3], nos[0], nos[2], nos[4]}

	t.Run("paging first:2", func(t *testing.T) {
		var got []string
		after := ""
		var pages int
		for {
			vars := map[string]any{"first": 2}
			if after != "" {
				vars["after"] = after
			}
			conn, _ := hireApplicants(t, s, staff, pos, vars)
			pages++
			if conn.TotalCount != 5 {
				t.Errorf("page %d totalCount: got %d, want 5", pages, conn.TotalCount)
			}
			if len(conn.Edges) > 2 {
				t.Fatalf("page %d: got %d edges, want at most 2", pages, len(conn.Edges))
			}
			got = append(got, conn.students()...)
			if !conn.PageInfo.HasNextPage {
				break
			}
			if pages > 5 {
				t.Fatalf("paging does not end: got %v so far", got)
			}
			after = conn.PageInfo.EndCursor
		}
		if !slices.Equal(got, all) || pages != 3 {
			t.Errorf("pages: got %v in %d pages, want %v in 3", got, pages, all)
		}
	})

	hireMustOp(t, s, staff, "HIRE", ids[nos[3]], "HIRED", nil)
	hireMustOp(t, s, staff, "REJECT", ids[nos[0]], "REJECTED", nil)
	hireMustOp(t, s, staff, "HIRE", ids[nos[2]], "HIRED", nil)
	cases := []struct {
		status string
		want   []string
	}{
		{"APPLIED", []string{nos[1], nos[4]}},
		{"HIRED", []string{nos[3], nos[2]}},
		{"REJECTED", []string{nos[0]}},
		{"CONFIRMED", nil},
	}
	for _, c := range cases {
		t.Run("status "+c.status, func(t *testing.T) {
			conn, _ := hireApplicants(t, s, staff, pos, map[string]any{"status": c.status})
			if got := conn.students(); !slices.Equal(got, c.want) || conn.TotalCount != len(c.want) {
				t.Errorf("applicants: got %v (totalCount %d), want %v", got, conn.TotalCount, c.want)
			}
			for _, e := range conn.Edges {
				if e.Node.Status != c.status {
					t.Errorf("status of %s: got %s, want %s", e.Node.ID, e.Node.Status, c.status)
				}
			}
		})
	}
	t.Run("status HIRED first:1 paging", func(t *testing.T) {
		p1, _ := hireApplicants(t, s, staff, pos, map[string]any{"status": "HIRED", "first": 1})
		p2, _ := hireApplicants(t, s, staff, pos, map[string]any{"status": "HIRED", "first": 1, "after": p1.PageInfo.EndCursor})
		got := append(p1.students(), p2.students()...)
		if !slices.Equal(got, []string{nos[3], nos[2]}) || !p1.PageInfo.HasNextPage || p2.PageInfo.HasNextPage {
			t.Errorf("pages: got %v (hasNext %v, %v), want %v (true, false)", got, p1.PageInfo.HasNextPage, p2.PageInfo.HasNextPage, []string{nos[3], nos[2]})
		}
	})
}

type hireMyConn struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct {
		Node struct {
			ID, Status string
			Student    struct{ StudentNo string }
			Position   struct{ ID string }
		}
	}
}

func (c hireMyConn) ids() []string {
	var out []string
	for _, e := range c.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

func hireMyApplications(t *testing.T, s *Server, token string, vars map[string]any) hireMyConn {
	t.Helper()
	var out struct{ MyApplications hireMyConn }
	s.Do(t, token, `query($status: ApplicationStatus, $first: Int, $after: String) {
		myApplications(status: $status, first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor } edges { node { id status student { studentNo } position { id } } } } }`,
		vars).Decode(t, &out)
	return out.MyApplications
}

func TestHireMyApplications(t *testing.T) {
	s := NewServer(t)
	const me, other = "20260001", "20260002"
	unit, p1 := s.SeedSchool(t, me, other)
	p2 := hirePosition(t, s, unit, "岗位二", nil)
	p3 := hirePosition(t, s, unit, "岗位三", nil)
	var mine []string // in application order
	for i, p := range []string{p1, p2, p3} {
		s.SetNow(mustTime(t, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 16+i)))
		mine = append(mine, hireMustApply(t, s, me, p))
		hireMustApply(t, s, other, p)
	}
	hireMustOp(t, s, s.Student(t, me), "WITHDRAW", mine[1], "WITHDRAWN", nil)
	s.SetNow(mustTime(t, "2026-11-20T10:00:00+08:00"))
	mine = append(mine, hireMustApply(t, s, me, p2)) // again, after withdrawing
	tok := s.Student(t, me)

	newestFirst := []string{mine[3], mine[2], mine[1], mine[0]}
	conn := hireMyApplications(t, s, tok, nil)
	if got := conn.ids(); !slices.Equal(got, newestFirst) || conn.TotalCount != 4 {
		t.Errorf("myApplications: got %v (totalCount %d), want %v (4)", got, conn.TotalCount, newestFirst)
	}
	for _, e := range conn.Edges {
		if e.Node.Student.StudentNo != me {
			t.Errorf("application %s of %s: want only %s's", e.Node.ID, e.Node.Student.StudentNo, me)
		}
	}
	cases := []struct {
		status string
		want   []string
	}{
		{"APPLIED", []string{mine[3], mine[2], mine[0]}},
		{"WITHDRAWN", []string{mine[1]}},
		{"HIRED", nil},
	}
	for _, c := range cases {
		t.Run("status "+c.status, func(t *testing.T) {
			conn := hireMyApplications(t, s, tok, map[string]any{"status": c.status})
			if got := conn.ids(); !slices.Equal(got, c.want) || conn.TotalCount != len(c.want) {
				t.Errorf("myApplications(%s): got %v (totalCount %d), want %v", c.status, got, conn.TotalCount, c.want)
			}
		})
	}
	t.Run("paging first:2", func(t *testing.T) {
		a := hireMyApplications(t, s, tok, map[string]any{"first": 2})
		b := hireMyApplications(t, s, tok, map[string]any{"first": 2, "after": a.PageInfo.EndCursor})
		got := append(a.ids(), b.ids()...)
		if !slices.Equal(got, newestFirst) || !a.PageInfo.HasNextPage || b.PageInfo.HasNextPage || a.TotalCount != 4 || b.TotalCount != 4 {
			t.Errorf("pages: got %v (hasNext %v, %v; totalCount %d, %d), want %v (true, false; 4, 4)",
				got, a.PageInfo.HasNextPage, b.PageInfo.HasNextPage, a.TotalCount, b.TotalCount, newestFirst)
		}
	})
	t.Run("other student sees only theirs", func(t *testing.T) {
		conn := hireMyApplications(t, s, s.Student(t, other), nil)
		if conn.TotalCount != 3 || len(conn.Edges) != 3 {
			t.Errorf("other's applications: got %d (totalCount %d), want 3", len(conn.Edges), conn.TotalCount)
		}
		for _, id := range conn.ids() {
			if slices.Contains(mine, id) {
				t.Errorf("other's list holds %s, which is %s's", id, me)
			}
		}
	})
	t.Run("unit staff", func(t *testing.T) {
		r := s.Do(t, s.Unit(t, unit), `{ myApplications { totalCount } }`, nil)
		if r.Code() != "FORBIDDEN" {
			t.Errorf("unit staff: got %+v, want FORBIDDEN", r.Errors)
		}
	})
}

func TestHirePositionMyApplication(t *testing.T) {
	s := NewServer(t)
	const me, other, none = "20260001", "20260002", "20260003"
	unit, pos := s.SeedSchool(t, me, other, none)
	first := hireMustApply(t, s, me, pos)
	hireMustOp(t, s, s.Student(t, me), "WITHDRAW", first, "WITHDRAWN", nil)
	s.SetNow(mustTime(t, "2026-11-16T10:00:00+08:00"))
	newest := hireMustApply(t, s, me, pos)
	otherApp := hireMustApply(t, s, other, pos)

	cases := []struct {
		name, token, want string
	}{
		{"the student: newest", s.Student(t, me), newest},
		{"another student: theirs", s.Student(t, other), otherApp},
		{"a student without one", s.Student(t, none), ""},
		{"unit staff", s.Unit(t, unit), ""},
		{"admin", s.Admin(t), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out struct {
				Position struct {
					MyApplication *struct{ ID, Status string }
				}
			}
			s.Do(t, c.token, `query($id: ID!) { position(id: $id) { myApplication { id status } } }`, map[string]any{"id": pos}).Decode(t, &out)
			got := out.Position.MyApplication
			switch {
			case c.want == "" && got != nil:
				t.Errorf("myApplication: got %+v, want null", got)
			case c.want != "" && (got == nil || got.ID != c.want || got.Status != "APPLIED"):
				t.Errorf("myApplication: got %+v, want %s APPLIED", got, c.want)
			}
		})
	}
	t.Run("in a list of positions", func(t *testing.T) {
		var out struct {
			Positions struct {
				Edges []struct {
					Node struct {
						ID            string
						MyApplication *struct{ ID string }
					}
				}
			}
		}
		s.Do(t, s.Student(t, me), `{ positions { edges { node { id myApplication { id } } } } }`, nil).Decode(t, &out)
		if len(out.Positions.Edges) != 1 || out.Positions.Edges[0].Node.MyApplication == nil || out.Positions.Edges[0].Node.MyApplication.ID != newest {
			t.Errorf("positions: got %+v, want %s with myApplication %s", out.Positions.Edges, pos, newest)
		}
	})
}

func TestHireApplicationRoundTrip(t *testing.T) {
	s := NewServer(t)
	const no = "20260001"
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedStudents(t, no)
	var prof struct {
		SaveProfile struct{ UserErrors []UserError }
	}
	s.Do(t, s.Student(t, no), `mutation { saveProfile(input: {academicYear: "2026-2027", specialties: "统计分析、海报设计", natures: [LONG_TERM, TEMPORARY], weeklyHours: 15,
		freeTime: [{weekday: WEDNESDAY, start: "14:00", end: "16:30"}, {weekday: MONDAY, start: "08:00", end: "10:00"}]}) { userErrors { code field message } } }`, nil).Decode(t, &prof)
	if len(prof.SaveProfile.UserErrors) > 0 {
		t.Fatalf("profile: %+v", prof.SaveProfile.UserErrors)
	}
	pos := hirePosition(t, s, unit, "数据整理", nil)
	stu, staff := s.Student(t, no), s.Unit(t, unit)

	times := []string{
		"2026-11-15T10:00:00+08:00", // apply
		"2026-11-20T09:00:00+08:00", // hire
		"2026-11-21T11:15:00+08:00", // confirm
		"2027-02-03T16:00:00+08:00", // record January
		"2027-02-05T08:45:00+08:00", // correct January
		"2027-02-25T17:00:00+08:00", // record February
		"2027-02-27T12:00:00+08:00", // dismiss
	}
	s.SetNow(mustTime(t, times[0]))
	ap, _ := hireApply(t, s, no, pos, map[string]any{"phone": "13911112222", "reason": "想锻炼数据分析能力"})
	if ap.Application == nil {
		t.Fatalf("apply: %+v", ap)
	}
	id := ap.Application.ID
	s.SetNow(mustTime(t, times[1]))
	hireMustOp(t, s, staff, "HIRE", id, "HIRED", nil)
	s.SetNow(mustTime(t, times[2]))
	hireMustOp(t, s, stu, "CONFIRM", id, "CONFIRMED", nil)
	s.SetNow(mustTime(t, times[3]))
	hireMustRecordWork(t, s, staff, id, "2027-01", 30, "1200.50")
	s.SetNow(mustTime(t, times[4]))
	hireMustRecordWork(t, s, staff, id, "2027-01", 31.5, "1300.00")
	s.SetNow(mustTime(t, times[5]))
	hireMustRecordWork(t, s, staff, id, "2027-02", 28.5, "1200.00")
	s.SetNow(mustTime(t, times[6]))
	hireMustOp(t, s, staff, "DISMISS", id, "DISMISSED", map[string]any{"reason": "项目提前结束"})

	type entry struct {
		Event     string
		From      *string
		To        string
		At        string
		Actor     string
		ActorRole string
		Note      string
	}
	type view struct {
		Application struct {
			ID, Status, StatusLabel, Phone, Email, Reason, AppliedAt string
			Timeline                                                 []entry
			WorkRecords                                              []struct {
				Month  string
				Hours  float64
				Amount string
			}
			Employment struct {
				ID, StartedAt string
				EndedAt       *string
				EndReason     *string
				HoursWorked   float64
				PaidAmount    string
				WorkRecords   []struct{ Month string }
				Application   struct{ ID string }
			}
			Profile struct {
				Specialties string
				FreeTime    []struct{ Weekday, Start, End string }
			}
			Student  struct{ StudentNo, Name string }
			Position struct{ ID, Title string }
		}
	}
	const q = `query($id: ID!) { application(id: $id) {
		id status statusLabel phone email reason appliedAt
		timeline { event from to at actor actorRole note }
		workRecords { month hours amount }
		employment { id startedAt endedAt endReason hoursWorked paidAmount workRecords { month } application { id } }
		profile { specialties freeTime { weekday start end } }
		student { studentNo name }
		position { id title } } }`
	for _, viewer := range []struct{ name, token string }{{"student", stu}, {"unit", staff}, {"admin", s.Admin(t)}} {
		t.Run(viewer.name, func(t *testing.T) {
			var out view
			s.Do(t, viewer.token, q, map[string]any{"id": id}).Decode(t, &out)
			a := out.Application
			if a.ID != id || a.Status != "DISMISSED" || a.StatusLabel != "已解聘" || a.Phone != "13911112222" ||
				a.Email != no+"@bjmu.edu.cn" || a.Reason != "想锻炼数据分析能力" || a.AppliedAt != times[0] {
				t.Errorf("application: got %+v, want %s DISMISSED 已解聘 with the given contact, reason and time", a, id)
			}
			str := func(s string) *string { return &s }
			su, uu := "s"+no, "u"+unit
			want := []entry{
				{"APPLY", nil, "APPLIED", times[0], su, "STUDENT", ""},
				{"HIRE", str("APPLIED"), "HIRED", times[1], uu, "UNIT_STAFF", ""},
				{"CONFIRM", str("HIRED"), "CONFIRMED", times[2], su, "STUDENT", ""},
				{"RECORD_WORK", str("CONFIRMED"), "CONFIRMED", times[3], uu, "UNIT_STAFF", ""},
				{"CORRECT_WORK", str("CONFIRMED"), "CONFIRMED", times[4], uu, "UNIT_STAFF", ""},
				{"RECORD_WORK", str("CONFIRMED"), "CONFIRMED", times[5], uu, "UNIT_STAFF", ""},
				{"DISMISS", str("CONFIRMED"), "DISMISSED", times[6], uu, "UNIT_STAFF", "项目提前结束"},
			}
			if len(a.Timeline) != len(want) {
				t.Fatalf("timeline: got %d entries %+v, want %d", len(a.Timeline), a.Timeline, len(want))
			}
			for i, w := range want {
				g := a.Timeline[i]
				sameFrom := (g.From == nil) == (w.From == nil) && (g.From == nil || *g.From == *w.From)
				if g.Event != w.Event || !sameFrom || g.To != w.To || g.At != w.At || g.Actor != w.Actor || g.ActorRole != w.ActorRole {
					t.Errorf("timeline[%d]: got %+v (from %v), want %+v (from %v)", i, g, g.From, w, w.From)
				}
				if w.Event == "DISMISS" && g.Note != w.Note {
					t.Errorf("timeline[%d].note: got %q, want %q", i, g.Note, w.Note)
				}
			}
			if n := a.Timeline[4].Note; !strings.Contains(n, "1200.50") || !strings.Contains(n, "1300.00") {
				t.Errorf("CORRECT_WORK note: got %q, want old 1200.50 and new 1300.00", n)
			}
			type wr = struct {
				Month  string
				Hours  float64
				Amount string
			}
			if wantW := []wr{{"2027-01", 31.5, "1300.00"}, {"2027-02", 28.5, "1200.00"}}; !slices.Equal(a.WorkRecords, wantW) {
				t.Errorf("workRecords: got %+v, want %+v", a.WorkRecords, wantW)
			}
			e := a.Employment
			if e.ID != id || e.StartedAt != times[2] || e.EndedAt == nil || *e.EndedAt != times[6] || e.EndReason == nil || *e.EndReason != "项目提前结束" ||
				e.HoursWorked != 60 || e.PaidAmount != "2500.00" || len(e.WorkRecords) != 2 || e.WorkRecords[0].Month != "2027-01" ||
				e.WorkRecords[1].Month != "2027-02" || e.Application.ID != id {
				t.Errorf("employment: got %+v, want id %s started %s ended %s, 60h, 2500.00, two months", e, id, times[2], times[6])
			}
			wantSlots := []struct{ Weekday, Start, End string }{{"MONDAY", "08:00", "10:00"}, {"WEDNESDAY", "14:00", "16:30"}}
			if a.Profile.Specialties != "统计分析、海报设计" || !slices.Equal(a.Profile.FreeTime, wantSlots) {
				t.Errorf("profile: got %+v, want the saved specialties and %+v", a.Profile, wantSlots)
			}
			if a.Student.StudentNo != no || a.Student.Name != "学生"+no || a.Position.ID != pos || a.Position.Title != "数据整理" {
				t.Errorf("student and position: got %+v %+v, want %s and %s 数据整理", a.Student, a.Position, no, pos)
			}
		})
	}
}
