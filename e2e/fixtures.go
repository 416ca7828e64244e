package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// Fixtures: valid inputs, seeding through the API (each fails the test unless the server accepts
// it), the application's transitions, and assertions on user errors and top-level errors. Every
// test file builds its data with these, so a rule that changes how data is made changes here once.

// TestYear is the academic year the fixtures use unless told otherwise.
const TestYear = "2026-2027"

// UserError is one item of a payload's userErrors.
type UserError struct {
	Code    string   `json:"code"`
	Field   []string `json:"field"`
	Message string   `json:"message"`
}

// userErrorFields selects a payload's userErrors.
const userErrorFields = `userErrors { code field message }`

// With returns a copy of m with kv (name, value pairs) set; a nil value removes the name.
func With(m map[string]any, kv ...any) map[string]any {
	out := maps.Clone(m)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// YearInput is a valid AcademicYearInput for TestYear: weekly cap 20, monthly cap 60, 40 hours
// to nominate, nominations in June 2027.
func YearInput() map[string]any { return YearInputOf(TestYear) }

// YearInputOf is YearInput for the year called name ("2027-2028"): September to July, the
// nomination window in its June.
func YearInputOf(name string) map[string]any {
	var a, b int
	fmt.Sscanf(name, "%d-%d", &a, &b)
	return map[string]any{
		"name": name, "startDate": fmt.Sprintf("%d-09-01", a), "endDate": fmt.Sprintf("%d-07-31", b),
		"nominationOpensAt":  fmt.Sprintf("%d-06-01T00:00:00+08:00", b),
		"nominationClosesAt": fmt.Sprintf("%d-06-30T23:59:59+08:00", b),
		"nominationMinHours": 40, "maxWeeklyHours": 20, "maxMonthlyHours": 60,
	}
}

// UpsertYear creates or changes an academic year as admin.
func (s *Server) UpsertYear(t *testing.T, in map[string]any) {
	t.Helper()
	s.mustMutate(t, s.Admin(t), `mutation($in: AcademicYearInput!) { r: upsertAcademicYear(input: $in) { `+userErrorFields+` } }`,
		map[string]any{"in": in}, nil)
}

// SeedYear creates TestYear from YearInput.
func (s *Server) SeedYear(t *testing.T) {
	t.Helper()
	s.UpsertYear(t, YearInput())
}

// SeedUnit creates a unit and returns its id.
func (s *Server) SeedUnit(t *testing.T, name string) string {
	t.Helper()
	var out struct{ Unit struct{ ID string } }
	s.mustMutate(t, s.Admin(t), `mutation($n: String!) { r: createUnit(input: {name: $n}) { unit { id } `+userErrorFields+` } }`,
		map[string]any{"n": name}, &out)
	return out.Unit.ID
}

// StudentRow is a valid EnrollmentInput for number no: enrolled, full-time, no financial need.
func StudentRow(no string) map[string]any {
	return map[string]any{
		"studentNo": no, "name": "学生" + no, "phone": "13800000000", "email": no + "@bjmu.edu.cn",
		"degree": "MASTER", "department": "基础医学院", "fullTime": true, "enrolled": true, "financialNeed": false,
	}
}

// SeedStudents imports the enrollment records StudentRow gives for the numbers.
func (s *Server) SeedStudents(t *testing.T, nos ...string) {
	t.Helper()
	rows := make([]map[string]any, len(nos))
	for i, no := range nos {
		rows[i] = StudentRow(no)
	}
	s.SeedStudentRows(t, rows...)
}

// SeedStudentRows imports the given enrollment records.
func (s *Server) SeedStudentRows(t *testing.T, rows ...map[string]any) {
	t.Helper()
	s.mustMutate(t, s.Admin(t), `mutation($rows: [EnrollmentInput!]!) { r: importStudents(input: $rows) { `+userErrorFields+` } }`,
		map[string]any{"rows": rows}, nil)
}

// ProfileInput is a valid ProfileInput of year: both natures, 20 hours a week, no free time.
func ProfileInput(year string) map[string]any {
	return map[string]any{"academicYear": year, "specialties": "写作", "natures": []string{"LONG_TERM", "TEMPORARY"},
		"weeklyHours": 20, "freeTime": []any{}}
}

// SeedProfile saves profile in for student no.
func (s *Server) SeedProfile(t *testing.T, no string, in map[string]any) {
	t.Helper()
	s.mustMutate(t, s.Student(t, no), `mutation($in: ProfileInput!) { r: saveProfile(input: $in) { `+userErrorFields+` } }`,
		map[string]any{"in": in}, nil)
}

// PositionInput is a valid PositionInput of TestYear titled title, with kv (name, value pairs)
// changed as With does. Its application window (2026-11-01 .. 2026-12-31) contains the test
// clock's start; work runs from January to February 2027; headcount 3, weekly hours 10.
func PositionInput(title string, kv ...any) map[string]any {
	return With(map[string]any{
		"title": title, "description": "整理数据", "nature": "LONG_TERM", "dutyCategory": "DATA_ANALYSIS",
		"headcount": 3, "pay": "2500.00", "weeklyHours": 10, "workTimeRequirement": "周一上午",
		"applyStart": "2026-11-01T00:00:00+08:00", "applyEnd": "2026-12-31T00:00:00+08:00",
		"workStart": "2027-01-01T00:00:00+08:00", "workEnd": "2027-03-01T00:00:00+08:00",
		"academicYear": TestYear,
	}, kv...)
}

// ReviewYear is a year whose positions need approval (ReviewYearInput); the fixtures make it only
// where a test asks for it.
const ReviewYear = "2027-2028"

// ReviewYearInput is YearInputOf(ReviewYear) with positionsNeedApproval on.
func ReviewYearInput() map[string]any {
	return With(YearInputOf(ReviewYear), "positionsNeedApproval", true)
}

// SeedPosition creates a position of unit from in as its staff and brings it to status (DRAFT,
// PUBLISHED, CLOSED, or PENDING_REVIEW in a year that needs approval); it returns the position's id.
func (s *Server) SeedPosition(t *testing.T, unit, status string, in map[string]any) string {
	t.Helper()
	tok := s.Unit(t, unit)
	var out struct{ Position struct{ ID string } }
	s.mustMutate(t, tok, `mutation($in: PositionInput!) { r: createPosition(input: $in) { position { id } `+userErrorFields+` } }`,
		map[string]any{"in": in}, &out)
	id := out.Position.ID
	type move struct{ mutation, to string }
	moves, ok := map[string][]move{"DRAFT": nil, "PUBLISHED": {{"publishPosition", "PUBLISHED"}},
		"CLOSED":         {{"publishPosition", "PUBLISHED"}, {"closePosition", "CLOSED"}},
		"PENDING_REVIEW": {{"submitPosition", "PENDING_REVIEW"}}}[status]
	if !ok {
		t.Fatalf("seed position: no way to status %q", status)
	}
	for _, m := range moves {
		var moved struct{ Position struct{ Status string } }
		s.mustMutate(t, tok, `mutation($id: ID!) { r: `+m.mutation+`(id: $id) { position { status } `+userErrorFields+` } }`,
			map[string]any{"id": id}, &moved)
		if moved.Position.Status != m.to {
			t.Fatalf("seed position %s: %s got status %q, want %s", id, m.mutation, moved.Position.Status, m.to)
		}
	}
	return id
}

// SeedSchool creates TestYear, the unit 研究生院 and the students, each with a profile of TestYear,
// and a published position "数据整理" of PositionInput; it returns the unit's and the position's ids.
func (s *Server) SeedSchool(t *testing.T, students ...string) (unit, position string) {
	t.Helper()
	s.SeedYear(t)
	unit = s.SeedUnit(t, "研究生院")
	s.SeedStudents(t, students...)
	for _, no := range students {
		s.SeedProfile(t, no, ProfileInput(TestYear))
	}
	return unit, s.SeedPosition(t, unit, "PUBLISHED", PositionInput("数据整理"))
}

// The transitions of the hire state machine as the tests drive them: each event's mutation
// (taking $id, and $note or $reason where the mutation has one), the status it leaves, the
// status it makes, and who takes it.
var (
	// Arrows is SPEC.md's diagram: event -> from, to, and whether the student (else the unit) acts.
	Arrows = map[string]struct {
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
	// Events lists Arrows in the order of the diagram.
	Events = []string{"WITHDRAW", "HIRE", "REJECT", "CONFIRM", "DECLINE", "DISMISS"}
	// PathTo is the events that lead from a new application to each status.
	PathTo = map[string][]string{
		"APPLIED": nil, "HIRED": {"HIRE"}, "CONFIRMED": {"HIRE", "CONFIRM"}, "REJECTED": {"REJECT"},
		"DECLINED": {"HIRE", "DECLINE"}, "WITHDRAWN": {"WITHDRAW"}, "DISMISSED": {"HIRE", "CONFIRM", "DISMISS"},
	}
)

// ApplicationFields selects what AppPayload reads of an ApplicationPayload.
const ApplicationFields = `application { id status statusLabel phone email employment { startedAt endedAt endReason paidAmount hoursWorked } }
	` + userErrorFields + ` warnings`

// AppPayload is an ApplicationPayload.
type AppPayload struct {
	Application *struct {
		ID, Status, StatusLabel, Phone, Email string
		Employment                            *struct {
			StartedAt   string
			EndedAt     *string
			EndReason   *string
			PaidAmount  string
			HoursWorked float64
		}
	}
	UserErrors []UserError
	Warnings   []string
}

// transitionMutations are the mutations of Arrows' events.
var transitionMutations = map[string]string{
	"WITHDRAW": `mutation($id: ID!) { r: withdrawApplication(id: $id) { ` + ApplicationFields + ` } }`,
	"HIRE":     `mutation($id: ID!) { r: hireApplication(id: $id) { ` + ApplicationFields + ` } }`,
	"REJECT":   `mutation($id: ID!, $note: String) { r: rejectApplication(id: $id, note: $note) { ` + ApplicationFields + ` } }`,
	"CONFIRM":  `mutation($id: ID!) { r: confirmApplication(id: $id) { ` + ApplicationFields + ` } }`,
	"DECLINE":  `mutation($id: ID!) { r: declineApplication(id: $id) { ` + ApplicationFields + ` } }`,
	"DISMISS":  `mutation($id: ID!, $reason: String!) { r: dismissApplication(id: $id, reason: $reason) { ` + ApplicationFields + ` } }`,
}

// Transition takes event on application id as token. vars adds or overrides variables (note,
// reason); a dismissal without a given reason gets one. The payload is zero when the response
// has top-level errors.
func (s *Server) Transition(t *testing.T, token, event, id string, vars map[string]any, headers ...string) (AppPayload, Response) {
	t.Helper()
	q, ok := transitionMutations[event]
	if !ok {
		t.Fatalf("no mutation for event %s", event)
	}
	v := map[string]any{"id": id}
	if event == "DISMISS" {
		v["reason"] = "工作失职"
	}
	for k, x := range vars {
		if strings.Contains(q, "$"+k+":") { // only the variables this mutation declares
			v[k] = x
		}
	}
	return s.appMutation(t, token, q, v, headers...)
}

// MustTransition takes event on application id, which must succeed and land in the arrow's status.
func (s *Server) MustTransition(t *testing.T, token, event, id string, vars map[string]any) AppPayload {
	t.Helper()
	p, r := s.Transition(t, token, event, id, vars)
	if want := Arrows[event].To; len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != want {
		t.Fatalf("%s %s: got %+v, errors %+v, want status %s", event, id, p, r.Errors, want)
	}
	return p
}

// ApplyAs applies to position pos as token; input overrides fields of the ApplyInput (reason
// "我有相关经验", contact from the enrollment record).
func (s *Server) ApplyAs(t *testing.T, token, pos string, input map[string]any, headers ...string) (AppPayload, Response) {
	t.Helper()
	in := map[string]any{"positionId": pos, "reason": "我有相关经验"}
	maps.Copy(in, input)
	return s.appMutation(t, token, `mutation($in: ApplyInput!) { r: applyToPosition(input: $in) { `+ApplicationFields+` } }`,
		map[string]any{"in": in}, headers...)
}

// Apply makes student no apply to pos, which must succeed, and returns the application's id.
func (s *Server) Apply(t *testing.T, no, pos string) string {
	t.Helper()
	p, r := s.ApplyAs(t, s.Student(t, no), pos, nil)
	if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != "APPLIED" {
		t.Fatalf("apply %s to %s: got %+v, errors %+v, want APPLIED", no, pos, p, r.Errors)
	}
	return p.Application.ID
}

// Drive makes student no apply to pos and takes the arrows that lead to status, the unit's
// staff acting for the unit; it returns the application's id. Drive(..., "CONFIRMED") is an
// employed student.
func (s *Server) Drive(t *testing.T, unit, no, pos, status string) string {
	t.Helper()
	steps, ok := PathTo[status]
	if !ok {
		t.Fatalf("drive: no way to status %q", status)
	}
	id := s.Apply(t, no, pos)
	for _, e := range steps {
		tok := s.Unit(t, unit)
		if Arrows[e].ByStudent {
			tok = s.Student(t, no)
		}
		s.MustTransition(t, tok, e, id, nil)
	}
	return id
}

func (s *Server) appMutation(t *testing.T, token, q string, vars map[string]any, headers ...string) (AppPayload, Response) {
	t.Helper()
	r := s.Do(t, token, q, vars, headers...)
	var out struct{ R AppPayload }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// WorkPayload is a WorkRecordPayload.
type WorkPayload struct {
	WorkRecord *struct {
		Month      string
		Hours      float64
		Amount     string
		RecordedAt string
		UpdatedAt  string
	}
	UserErrors []UserError
}

// RecordWorkAs records hours (a number, or anything else to send as is) and amount for an
// application's month as token; the payload is zero when the response has top-level errors.
func (s *Server) RecordWorkAs(t *testing.T, token, app, month string, hours any, amount string, headers ...string) (WorkPayload, Response) {
	t.Helper()
	r := s.Do(t, token, `mutation($in: WorkRecordInput!) { r: recordWork(input: $in) { workRecord { month hours amount recordedAt updatedAt } `+userErrorFields+` } }`,
		map[string]any{"in": map[string]any{"applicationId": app, "month": month, "hours": hours, "amount": amount}}, headers...)
	var out struct{ R WorkPayload }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// RecordWork records work of an employment as its unit's staff, which must be accepted.
func (s *Server) RecordWork(t *testing.T, unit, app, month string, hours float64, amount string) {
	t.Helper()
	w, r := s.RecordWorkAs(t, s.Unit(t, unit), app, month, hours, amount)
	if len(r.Errors) > 0 || len(w.UserErrors) > 0 || w.WorkRecord == nil {
		t.Fatalf("record %s %vh %s for %s: got %+v, errors %+v, want a record", month, hours, amount, app, w, r.Errors)
	}
}

// mustMutate runs a mutation whose payload is aliased r and fails the test on any error, top
// level or user; into (when not nil) receives the payload.
func (s *Server) mustMutate(t *testing.T, token, q string, vars map[string]any, into any) {
	t.Helper()
	var out struct{ R json.RawMessage }
	s.Do(t, token, q, vars).Decode(t, &out)
	var p struct{ UserErrors []UserError }
	if err := json.Unmarshal(out.R, &p); err != nil {
		t.Fatalf("decode %s: %v", out.R, err)
	}
	if len(p.UserErrors) > 0 {
		t.Fatalf("%s: got userErrors %+v, want none", strings.Join(strings.Fields(q), " "), p.UserErrors)
	}
	if into != nil {
		if err := json.Unmarshal(out.R, into); err != nil {
			t.Fatalf("decode %s: %v", out.R, err)
		}
	}
}

// Field decodes data.name of a response without errors into v.
func (r Response) Field(t *testing.T, name string, v any) {
	t.Helper()
	var m map[string]json.RawMessage
	r.Decode(t, &m)
	raw, ok := m[name]
	if !ok {
		t.Fatalf("response data has no %q: %s", name, r.Data)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}

// UserErrors returns the userErrors of the payload data.name.
func (r Response) UserErrors(t *testing.T, name string) []UserError {
	t.Helper()
	var p struct{ UserErrors []UserError }
	r.Field(t, name, &p)
	return p.UserErrors
}

// WantErr is an expected user error: its code, its field as a dotted path ("" for none, AnyField
// for any), and parts its message must contain.
type WantErr struct {
	Code     string
	Field    string
	Contains []string
}

// AnyField leaves a WantErr's field unchecked.
const AnyField = "*"

// CheckUserErrors fails unless got holds exactly want, in order, each with a non-empty message.
func CheckUserErrors(t *testing.T, got []UserError, want ...WantErr) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("userErrors: got %d %+v, want %d %+v", len(got), got, len(want), want)
	}
	for i, w := range want {
		g := got[i]
		if g.Code != w.Code {
			t.Errorf("userErrors[%d].code: got %s, want %s (%+v)", i, g.Code, w.Code, g)
		}
		if f := strings.Join(g.Field, "."); w.Field != AnyField && f != w.Field {
			t.Errorf("userErrors[%d].field: got %q, want %q (%+v)", i, f, w.Field, g)
		}
		if strings.TrimSpace(g.Message) == "" {
			t.Errorf("userErrors[%d].message: got empty, want a sentence", i)
		}
		for _, part := range w.Contains {
			if !strings.Contains(g.Message, part) {
				t.Errorf("userErrors[%d].message: got %q, want it to contain %q", i, g.Message, part)
			}
		}
	}
}

// CheckUserErrorsAnyOrder is CheckUserErrors for errors whose order is not part of the contract:
// both lists are compared sorted by field, then code.
func CheckUserErrorsAnyOrder(t *testing.T, got []UserError, want ...WantErr) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	sort.SliceStable(g, func(a, b int) bool {
		fa, fb := strings.Join(g[a].Field, "."), strings.Join(g[b].Field, ".")
		return fa < fb || fa == fb && g[a].Code < g[b].Code
	})
	sort.SliceStable(w, func(a, b int) bool {
		return w[a].Field < w[b].Field || w[a].Field == w[b].Field && w[a].Code < w[b].Code
	})
	CheckUserErrors(t, g, w...)
}

// WantTopLevel fails unless the response has exactly one error, with extensions.code code and a
// message that contains every part and no SQL or driver text, and no data (null, or null in
// every field).
func WantTopLevel(t *testing.T, r Response, code string, parts ...string) {
	t.Helper()
	if len(r.Errors) != 1 || r.Code() != code {
		t.Fatalf("top-level errors: got %+v (data %s), want one %s", r.Errors, r.Data, code)
	}
	msg := r.Errors[0].Message
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message: got %q, want it to contain %q", msg, p)
		}
	}
	if low := strings.ToLower(msg); strings.Contains(low, "sql") || strings.Contains(low, "pq:") {
		t.Errorf("message leaks SQL: %q", msg)
	}
	if len(r.Data) > 0 && string(r.Data) != "null" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r.Data, &m); err != nil {
			t.Fatalf("data: got %s, want null or an object", r.Data)
		}
		for k, v := range m {
			if string(v) != "null" {
				t.Errorf("data.%s: got %s, want null alongside the %s error", k, v, code)
			}
		}
	}
}

// English asks for messages in English.
var English = []string{"Accept-Language", "en"}

// StudentNos returns n student numbers from 2016<first>, four digits wide.
func StudentNos(first, n int) []string {
	nos := make([]string, n)
	for i := range nos {
		nos[i] = fmt.Sprintf("2016%04d", first+i)
	}
	return nos
}

// HasChinese reports whether s contains a Chinese character.
func HasChinese(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// NoChinese fails when an English message still carries Chinese text.
func NoChinese(t *testing.T, errs []UserError) {
	t.Helper()
	for _, e := range errs {
		if HasChinese(e.Message) {
			t.Errorf("English message: got %q, want no Chinese", e.Message)
		}
	}
}
