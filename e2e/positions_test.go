package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// End-to-end tests of positions (岗位) over HTTP: create, validate, update, publish/close, copy,
// visibility, filters and paging.

// positionFields selects every field of a Position.
const positionFields = `id unit { id name } title description nature dutyCategory headcount pay weeklyHours
	workTimeRequirement applyStart applyEnd workStart workEnd academicYear status openNow createdAt updatedAt`

// positionPayloadSelection selects every field of a PositionPayload.
const positionPayloadSelection = `{ position { ` + positionFields + ` } userErrors { code field message } }`

// The position operations, each taking the variables its name says.
const (
	createPositionMutation  = `mutation($in: PositionInput!) { createPosition(input: $in) ` + positionPayloadSelection + ` }`
	updatePositionMutation  = `mutation($id: ID!, $in: PositionInput!) { updatePosition(id: $id, input: $in) ` + positionPayloadSelection + ` }`
	publishPositionMutation = `mutation($id: ID!) { publishPosition(id: $id) ` + positionPayloadSelection + ` }`
	closePositionMutation   = `mutation($id: ID!) { closePosition(id: $id) ` + positionPayloadSelection + ` }`
	copyPositionMutation    = `mutation($id: ID!, $title: String) { copyPosition(id: $id, title: $title) ` + positionPayloadSelection + ` }`
	positionQuery           = `query($id: ID!) { position(id: $id) { ` + positionFields + ` } }`
	positionsQuery          = `query($f: PositionFilter, $first: Int, $after: String) {
		positions(filter: $f, first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor }
			edges { cursor node { id title status openNow unit { id } } } } }`
	positionCountSQL = `select count(*) from positions`
)

// positionNode is a Position as the API returns it.
type positionNode struct {
	ID   string
	Unit struct {
		ID   string
		Name string
	}
	Title               string
	Description         string
	Nature              string
	DutyCategory        string
	Headcount           int
	Pay                 string
	WeeklyHours         int
	WorkTimeRequirement string
	ApplyStart          string
	ApplyEnd            string
	WorkStart           string
	WorkEnd             string
	AcademicYear        string
	Status              string
	OpenNow             bool
	CreatedAt           string
	UpdatedAt           string
}

// positionPayload is a PositionPayload.
type positionPayload struct {
	Position   *positionNode
	UserErrors []UserError
}

// positionPage is one page of a PositionConnection.
type positionPage struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   *string
	}
	Edges []struct {
		Cursor string
		Node   struct {
			ID      string
			Title   string
			Status  string
			OpenNow bool
			Unit    struct{ ID string }
		}
	}
}

// positionResult is a position mutation's payload and the raw response it came in.
type positionResult struct {
	positionPayload
	R Response
}

// split returns the payload and the response.
func (x positionResult) split() (positionPayload, Response) { return x.positionPayload, x.R }

// runPositionMutation runs a position mutation; the payload is zero when the response has
// top-level errors.
func runPositionMutation(t *testing.T, s *Server, token, query string, vars map[string]any, headers ...string) positionResult {
	t.Helper()
	return positionResultOf(t, s.Do(t, token, query, vars, headers...))
}

// positionResultOf decodes the response of a position mutation; the payload is zero when the
// response has top-level errors.
func positionResultOf(t *testing.T, r Response) positionResult {
	t.Helper()
	res := positionResult{R: r}
	if len(r.Errors) > 0 {
		return res
	}
	var m map[string]positionPayload
	if err := json.Unmarshal(r.Data, &m); err != nil || len(m) != 1 {
		t.Fatalf("decode payload %s: %v", r.Data, err)
	}
	for _, p := range m {
		res.positionPayload = p
	}
	return res
}

// wantPosition fails the test unless the mutation succeeded, and returns its position.
func wantPosition(t *testing.T, res positionResult) *positionNode {
	t.Helper()
	p, r := res.positionPayload, res.R
	if len(r.Errors) > 0 {
		t.Fatalf("top-level errors: got %+v, want none", r.Errors)
	}
	if len(p.UserErrors) > 0 {
		t.Fatalf("userErrors: got %+v, want none", p.UserErrors)
	}
	if p.Position == nil {
		t.Fatalf("position: got null, want a position")
	}
	return p.Position
}

// onePositionUserError fails the test unless the mutation was refused with exactly the user
// error want and no position; it returns that error.
func onePositionUserError(t *testing.T, res positionResult, want WantErr) UserError {
	t.Helper()
	p, r := res.positionPayload, res.R
	if len(r.Errors) > 0 {
		t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
	}
	CheckUserErrors(t, p.UserErrors, want)
	if p.Position != nil {
		t.Errorf("position: got %+v, want null alongside userErrors", p.Position)
	}
	return p.UserErrors[0]
}

// positionValidationErrors is one VALIDATION user error on each of the dotted fields.
func positionValidationErrors(fields ...string) []WantErr {
	want := make([]WantErr, len(fields))
	for i, f := range fields {
		want[i] = WantErr{Code: "VALIDATION", Field: f}
	}
	return want
}

// tryCreatePosition runs createPosition with input in as token, returning payload and response.
func tryCreatePosition(t *testing.T, s *Server, token string, in map[string]any, headers ...string) positionResult {
	t.Helper()
	return runPositionMutation(t, s, token, createPositionMutation, map[string]any{"in": in}, headers...)
}

// createPosition creates a position from in as token, which must succeed, and returns it as
// createPosition answered.
func createPosition(t *testing.T, s *Server, token string, in map[string]any) *positionNode {
	t.Helper()
	return wantPosition(t, tryCreatePosition(t, s, token, in))
}

// movePosition runs publishPosition or closePosition (query q) and fails unless it succeeds
// with wantStatus.
func movePosition(t *testing.T, s *Server, token, q, id, wantStatus string) {
	t.Helper()
	got := wantPosition(t, runPositionMutation(t, s, token, q, map[string]any{"id": id}))
	if got.Status != wantStatus {
		t.Fatalf("status: got %s, want %s", got.Status, wantStatus)
	}
}

// positionsPage reads one page of positions as token.
func positionsPage(t *testing.T, s *Server, token string, filter map[string]any, first int, after string) positionPage {
	t.Helper()
	vars := map[string]any{"first": first}
	if filter != nil {
		vars["f"] = filter
	}
	if after != "" {
		vars["after"] = after
	}
	var out struct{ Positions positionPage }
	s.Do(t, token, positionsQuery, vars).Decode(t, &out)
	return out.Positions
}

// positionIDs lists the ids of a page's nodes in order.
func positionIDs(c positionPage) []string {
	ids := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		ids[i] = e.Node.ID
	}
	return ids
}

// newestPositionsFirst returns ids sorted newest (largest id) first.
func newestPositionsFirst(ids ...string) []string {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b string) int {
		var x, y int64
		fmt.Sscan(a, &x)
		fmt.Sscan(b, &y)
		return int(y - x)
	})
	return out
}

// positionRow is the stored row of position id as JSON, to prove a refused mutation changed nothing.
func positionRow(t *testing.T, s *Server, id string) string {
	t.Helper()
	var row string
	if err := s.DB.Get(&row, `select row_to_json(p)::text from positions p where id = $1`, id); err != nil {
		t.Fatalf("read position %s: %v", id, err)
	}
	return row
}

// positionMessageMentions reports whether msg contains val as a whole token (not inside a
// longer number).
func positionMessageMentions(msg, val string) bool {
	re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(val) + `([^0-9.]|\.[^0-9]|\.?$)`)
	return re.MatchString(msg)
}

// positionSchool is the setting of the position tests: this year, two units (研究生院 and
// 基础医学院) and student 20160931.
func positionSchool(t *testing.T) (s *Server, unitA, unitB string) {
	t.Helper()
	s = NewServer(t)
	s.SeedYear(t)
	unitA = s.SeedUnit(t, "研究生院")
	unitB = s.SeedUnit(t, "基础医学院")
	s.SeedStudents(t, "20160931")
	return s, unitA, unitB
}

func TestPositionCreate(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := positionSchool(t)

	t.Run("unit staff: fields round-trip", func(t *testing.T) {
		got := createPosition(t, s, s.Unit(t, unitA), PositionInput("数据整理"))
		want := positionNode{
			ID: got.ID, Title: "数据整理", Description: "整理数据", Nature: "LONG_TERM", DutyCategory: "DATA_ANALYSIS",
			Headcount: 3, Pay: "2500.00", WeeklyHours: 10, WorkTimeRequirement: "周一上午",
			ApplyStart: "2026-11-01T00:00:00+08:00", ApplyEnd: "2026-12-31T00:00:00+08:00",
			WorkStart: "2027-01-01T00:00:00+08:00", WorkEnd: "2027-03-01T00:00:00+08:00",
			AcademicYear: TestYear, Status: "DRAFT", OpenNow: false,
			CreatedAt: got.CreatedAt, UpdatedAt: got.UpdatedAt,
		}
		want.Unit.ID, want.Unit.Name = unitA, "研究生院"
		if got.ID == "" {
			t.Errorf("id: got empty, want an id")
		}
		if *got != want {
			t.Errorf("position:\n got %+v\nwant %+v", *got, want)
		}
		for name, v := range map[string]string{"createdAt": got.CreatedAt, "updatedAt": got.UpdatedAt} {
			if _, err := time.Parse(time.RFC3339, v); err != nil || !strings.HasSuffix(v, "+08:00") {
				t.Errorf("%s: got %q, want RFC 3339 in +08:00", name, v)
			}
		}
		// Reading it back gives the same position.
		var back struct{ Position positionNode }
		s.Do(t, s.Unit(t, unitA), positionQuery, map[string]any{"id": got.ID}).Decode(t, &back)
		if back.Position != *got {
			t.Errorf("position(id):\n got %+v\nwant %+v", back.Position, *got)
		}
	})

	t.Run("UTC input is shown in +08:00, pay normalised, text trimmed", func(t *testing.T) {
		in := PositionInput("  手工录入  ",
			"applyStart", "2026-10-31T16:00:00Z", "applyEnd", "2026-12-30T16:00:00Z",
			"workStart", "2026-12-31T16:00:00Z", "workEnd", "2027-02-28T16:00:00Z",
			"pay", "1200.5", "workTimeRequirement", nil)
		got := createPosition(t, s, s.Unit(t, unitA), in)
		for _, c := range []struct{ name, got, want string }{
			{"title", got.Title, "手工录入"},
			{"pay", got.Pay, "1200.50"},
			{"workTimeRequirement", got.WorkTimeRequirement, ""},
			{"applyStart", got.ApplyStart, "2026-11-01T00:00:00+08:00"},
			{"applyEnd", got.ApplyEnd, "2026-12-31T00:00:00+08:00"},
			{"workStart", got.WorkStart, "2027-01-01T00:00:00+08:00"},
			{"workEnd", got.WorkEnd, "2027-03-01T00:00:00+08:00"},
		} {
			if c.got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
			}
		}
		var fen int64
		if err := s.DB.Get(&fen, `select pay_fen from positions where id = $1`, got.ID); err != nil || fen != 120050 {
			t.Errorf("stored pay_fen: got %d (%v), want 120050", fen, err)
		}
	})

	t.Run("unit staff may name their own unit", func(t *testing.T) {
		got := createPosition(t, s, s.Unit(t, unitA), PositionInput("本单位", "unitId", unitA))
		if got.Unit.ID != unitA {
			t.Errorf("unit: got %s, want %s", got.Unit.ID, unitA)
		}
	})

	t.Run("admin with unitId", func(t *testing.T) {
		got := createPosition(t, s, s.Admin(t), PositionInput("管理员创建", "unitId", unitB))
		if got.Unit.ID != unitB || got.Unit.Name != "基础医学院" {
			t.Errorf("unit: got %+v, want {%s 基础医学院}", got.Unit, unitB)
		}
		if got.Status != "DRAFT" {
			t.Errorf("status: got %s, want DRAFT", got.Status)
		}
	})

	refused := []struct {
		name    string
		token   func() string
		in      map[string]any
		field   string
		mention string
	}{
		{"admin without unitId", func() string { return s.Admin(t) }, PositionInput("x"), "input.unitId", ""},
		{"admin with unknown unit", func() string { return s.Admin(t) }, PositionInput("x", "unitId", "987654"), "input.unitId", "987654"},
		{"unit staff naming another unit", func() string { return s.Unit(t, unitA) }, PositionInput("x", "unitId", unitB), "input.unitId", ""},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			before := s.Count(t, positionCountSQL)
			ue := onePositionUserError(t, tryCreatePosition(t, s, c.token(), c.in), WantErr{"VALIDATION", c.field, nil})
			if c.mention != "" && !positionMessageMentions(ue.Message, c.mention) {
				t.Errorf("message: got %q, want it to mention %s", ue.Message, c.mention)
			}
			if after := s.Count(t, positionCountSQL); after != before {
				t.Errorf("positions: got %d rows, want %d (nothing written)", after, before)
			}
		})
	}

	t.Run("student is FORBIDDEN", func(t *testing.T) {
		before := s.Count(t, positionCountSQL)
		r := runPositionMutation(t, s, s.Student(t, "20160931"), createPositionMutation, map[string]any{"in": PositionInput("x")}).R
		WantTopLevel(t, r, "FORBIDDEN")
		if after := s.Count(t, positionCountSQL); after != before {
			t.Errorf("positions: got %d rows, want %d", after, before)
		}
	})
}

func TestPositionValidation(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedPosition(t, unit, "DRAFT", PositionInput("已有岗位")) // so "unchanged" is not just "still zero"
	tok := s.Unit(t, unit)

	han := func(n int) string { return strings.Repeat("岗", n) }
	cases := []struct {
		name    string
		change  []any
		field   string
		mention []string // the values found, as the message should show them
	}{
		{"blank title", []any{"title", " \t "}, "title", nil},
		{"empty title", []any{"title", ""}, "title", nil},
		{"title of 101 Chinese characters", []any{"title", han(101)}, "title", []string{"101"}},
		{"description of 5001 characters", []any{"description", strings.Repeat("述", 5001)}, "description", []string{"5001"}},
		{"headcount 0", []any{"headcount", 0}, "headcount", []string{"0"}},
		{"headcount 1001", []any{"headcount", 1001}, "headcount", []string{"1001"}},
		{"negative pay", []any{"pay", "-1.00"}, "pay", []string{"-1.00"}},
		{"weeklyHours 0", []any{"weeklyHours", 0}, "weeklyHours", []string{"0"}},
		{"weeklyHours over the year's cap", []any{"weeklyHours", 21}, "weeklyHours", []string{"21", "20", TestYear}},
		{"workTimeRequirement of 501 characters", []any{"workTimeRequirement", strings.Repeat("时", 501)}, "workTimeRequirement", []string{"501"}},
		{"applyStart equal to applyEnd", []any{"applyStart", "2026-12-31T00:00:00+08:00"}, "applyEnd", []string{"2026-12-31 00:00"}},
		{"applyStart after applyEnd", []any{"applyStart", "2026-12-31T08:00:00+08:00"}, "applyEnd", []string{"2026-12-31 08:00", "2026-12-31 00:00"}},
		{"workStart before applyEnd", []any{"workStart", "2026-12-30T00:00:00+08:00"}, "workStart", []string{"2026-12-30 00:00", "2026-12-31 00:00"}},
		{"workStart equal to workEnd", []any{"workEnd", "2027-01-01T00:00:00+08:00"}, "workEnd", []string{"2027-01-01 00:00"}},
		{"workEnd before workStart", []any{"workEnd", "2026-12-31T12:00:00+08:00"}, "workEnd", []string{"2026-12-31 12:00", "2027-01-01 00:00"}},
		{"unknown academic year", []any{"academicYear", "2030-2031"}, "academicYear", []string{"2030-2031"}},
		{"malformed academic year", []any{"academicYear", "2026"}, "academicYear", []string{"2026"}},
		{"non-consecutive academic year", []any{"academicYear", "2026-2028"}, "academicYear", []string{"2026-2028"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := s.Count(t, positionCountSQL)
			ue := onePositionUserError(t, tryCreatePosition(t, s, tok, PositionInput("岗位", c.change...)), WantErr{"VALIDATION", "input." + c.field, nil})
			for _, v := range c.mention {
				if !positionMessageMentions(ue.Message, v) {
					t.Errorf("message: got %q, want it to mention %q", ue.Message, v)
				}
			}
			if after := s.Count(t, positionCountSQL); after != before {
				t.Errorf("positions: got %d rows, want %d (nothing written)", after, before)
			}
		})
	}

	t.Run("weeklyHours over both 168 and the year's cap gives one error", func(t *testing.T) {
		before := s.Count(t, positionCountSQL)
		ue := onePositionUserError(t, tryCreatePosition(t, s, tok, PositionInput("岗位", "weeklyHours", 169)), WantErr{"VALIDATION", "input.weeklyHours", nil})
		if !positionMessageMentions(ue.Message, "169") {
			t.Errorf("message: got %q, want it to mention 169", ue.Message)
		}
		if after := s.Count(t, positionCountSQL); after != before {
			t.Errorf("positions: got %d rows, want %d", after, before)
		}
	})

	t.Run("pay that is not money is BAD_USER_INPUT", func(t *testing.T) {
		for _, pay := range []any{"abc", "1.234", 2500} {
			before := s.Count(t, positionCountSQL)
			r := tryCreatePosition(t, s, tok, PositionInput("岗位", "pay", pay)).R
			WantTopLevel(t, r, "BAD_USER_INPUT")
			if after := s.Count(t, positionCountSQL); after != before {
				t.Errorf("pay %v: positions: got %d rows, want %d", pay, after, before)
			}
		}
	})

	t.Run("pay that is not money is explained in Chinese by default", func(t *testing.T) {
		r := tryCreatePosition(t, s, tok, PositionInput("岗位", "pay", "abc")).R
		WantTopLevel(t, r, "BAD_USER_INPUT")
		if !HasChinese(r.Errors[0].Message) {
			t.Errorf("message: got %q, want Chinese", r.Errors[0].Message)
		}
	})

	t.Run("workTimeRequirement is counted after trimming, like title and description", func(t *testing.T) {
		got := createPosition(t, s, tok, PositionInput("岗位", "workTimeRequirement", "  "+strings.Repeat("时", 500)+" "))
		if n := len([]rune(got.WorkTimeRequirement)); n != 500 {
			t.Errorf("workTimeRequirement: got %d characters, want 500", n)
		}
	})

	accepted := []struct {
		name   string
		change []any
	}{
		{"title of 100 Chinese characters", []any{"title", han(100)}},
		{"title of 100 characters inside spaces", []any{"title", "  " + han(100) + " "}},
		{"description of 5000 characters", []any{"description", strings.Repeat("述", 5000)}},
		{"headcount 1 and zero pay", []any{"headcount", 1, "pay", "0"}},
		{"headcount 1000", []any{"headcount", 1000}},
		{"weeklyHours at the year's cap", []any{"weeklyHours", 20}},
		{"workTimeRequirement of 500 characters", []any{"workTimeRequirement", strings.Repeat("时", 500)}},
		{"workStart equal to applyEnd", []any{"workStart", "2026-12-31T00:00:00+08:00"}},
	}
	for _, c := range accepted {
		t.Run("accepts "+c.name, func(t *testing.T) {
			before := s.Count(t, positionCountSQL)
			in := PositionInput("岗位", c.change...)
			got := createPosition(t, s, tok, in)
			if want := strings.TrimSpace(in["title"].(string)); got.Title != want {
				t.Errorf("title: got %d characters, want %d", len([]rune(got.Title)), len([]rune(want)))
			}
			if after := s.Count(t, positionCountSQL); after != before+1 {
				t.Errorf("positions: got %d rows, want %d", after, before+1)
			}
		})
	}

	t.Run("several bad fields give one error per field", func(t *testing.T) {
		before := s.Count(t, positionCountSQL)
		p, r := tryCreatePosition(t, s, tok, PositionInput("",
			"headcount", 0, "pay", "-5.00", "weeklyHours", 21, "description", strings.Repeat("a", 5001),
			"workEnd", "2026-12-01T00:00:00+08:00")).split()
		if len(r.Errors) > 0 {
			t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
		}
		CheckUserErrorsAnyOrder(t, p.UserErrors, positionValidationErrors(
			"input.description", "input.headcount", "input.pay", "input.title", "input.weeklyHours", "input.workEnd")...)
		if p.Position != nil {
			t.Errorf("position: got %+v, want null", p.Position)
		}
		if after := s.Count(t, positionCountSQL); after != before {
			t.Errorf("positions: got %d rows, want %d", after, before)
		}
	})

	t.Run("admin: missing unitId and a bad field are both reported", func(t *testing.T) {
		p, r := tryCreatePosition(t, s, s.Admin(t), PositionInput("岗位", "headcount", 0)).split()
		if len(r.Errors) > 0 {
			t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
		}
		CheckUserErrorsAnyOrder(t, p.UserErrors, positionValidationErrors("input.headcount", "input.unitId")...)
	})
}

func TestPositionValidationLanguage(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	tok := s.Unit(t, unit)

	cases := []struct {
		name     string
		change   []any
		headers  []string
		english  bool
		mentions []string
	}{
		{"blank title, default Chinese", []any{"title", " "}, nil, false, []string{"岗位名称"}},
		{"blank title, en", []any{"title", " "}, English, true, []string{"title"}},
		{"headcount, zh-CN", []any{"headcount", 0}, []string{"Accept-Language", "zh-CN,zh;q=0.9"}, false, []string{"招聘人数", "0"}},
		{"headcount, en-US first", []any{"headcount", 0}, []string{"Accept-Language", "en-US,en;q=0.9,zh;q=0.5"}, true, []string{"headcount", "0"}},
		{"year cap, en", []any{"weeklyHours", 25}, English, true, []string{"weeklyHours", "25", "20"}},
		{"year cap, default Chinese", []any{"weeklyHours", 25}, nil, false, []string{"工作时长", "25", "20"}},
		{"unknown year, en", []any{"academicYear", "2030-2031"}, English, true, []string{"2030-2031"}},
		{"date order, en", []any{"workEnd", "2026-12-01T00:00:00+08:00", "workStart", "2026-12-31T00:00:00+08:00"}, English, true, []string{"workStart", "workEnd"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runPositionMutation(t, s, tok, createPositionMutation, map[string]any{"in": PositionInput("岗位", c.change...)}, c.headers...)
			ue := onePositionUserError(t, res, WantErr{"VALIDATION", AnyField, c.mentions})
			if got := HasChinese(ue.Message); got == c.english {
				t.Errorf("message %q: got Chinese=%v, want Chinese=%v", ue.Message, got, !c.english)
			}
		})
	}

	t.Run("top-level errors follow the language too", func(t *testing.T) {
		r := s.Do(t, tok, positionQuery, map[string]any{"id": "999999"}, English...)
		WantTopLevel(t, r, "NOT_FOUND")
		if HasChinese(r.Errors[0].Message) {
			t.Errorf("message: got %q, want English", r.Errors[0].Message)
		}
		r = s.Do(t, tok, positionQuery, map[string]any{"id": "999999"})
		WantTopLevel(t, r, "NOT_FOUND")
		if !HasChinese(r.Errors[0].Message) {
			t.Errorf("message: got %q, want Chinese", r.Errors[0].Message)
		}
	})
}

func TestPositionUpdate(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := positionSchool(t)
	tokA := s.Unit(t, unitA)

	edit := PositionInput("新标题",
		"description", "新描述", "nature", "TEMPORARY", "dutyCategory", "WRITING", "headcount", 5, "pay", "800.00",
		"weeklyHours", 6, "workTimeRequirement", "周末", "applyStart", "2026-11-10T09:00:00+08:00",
		"applyEnd", "2026-12-20T18:00:00+08:00", "workStart", "2026-12-21T00:00:00+08:00", "workEnd", "2027-01-31T00:00:00+08:00")
	for _, status := range []string{"DRAFT", "PUBLISHED"} {
		t.Run(status+" is editable", func(t *testing.T) {
			id := s.SeedPosition(t, unitA, status, PositionInput("旧标题"))
			got := wantPosition(t, runPositionMutation(t, s, tokA, updatePositionMutation, map[string]any{"id": id, "in": edit}))
			want := positionNode{
				ID: id, Title: "新标题", Description: "新描述", Nature: "TEMPORARY", DutyCategory: "WRITING", Headcount: 5,
				Pay: "800.00", WeeklyHours: 6, WorkTimeRequirement: "周末", ApplyStart: "2026-11-10T09:00:00+08:00",
				ApplyEnd: "2026-12-20T18:00:00+08:00", WorkStart: "2026-12-21T00:00:00+08:00", WorkEnd: "2027-01-31T00:00:00+08:00",
				AcademicYear: TestYear, Status: status, OpenNow: status == "PUBLISHED",
				CreatedAt: got.CreatedAt, UpdatedAt: got.UpdatedAt,
			}
			want.Unit.ID, want.Unit.Name = unitA, "研究生院"
			if *got != want {
				t.Errorf("position:\n got %+v\nwant %+v", *got, want)
			}
			var back struct{ Position positionNode }
			s.Do(t, tokA, positionQuery, map[string]any{"id": id}).Decode(t, &back)
			if back.Position != *got {
				t.Errorf("read back:\n got %+v\nwant %+v", back.Position, *got)
			}
		})
	}

	t.Run("admin may edit any unit's position", func(t *testing.T) {
		id := s.SeedPosition(t, unitB, "DRAFT", PositionInput("B 的岗位"))
		got := wantPosition(t, runPositionMutation(t, s, s.Admin(t), updatePositionMutation, map[string]any{"id": id, "in": edit}))
		if got.Title != "新标题" || got.Unit.ID != unitB {
			t.Errorf("got title %q unit %s, want 新标题 unit %s", got.Title, got.Unit.ID, unitB)
		}
	})

	t.Run("CLOSED is INVALID_TRANSITION naming the status", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "CLOSED", PositionInput("已关闭岗位"))
		before := positionRow(t, s, id)
		for _, lang := range []struct {
			headers []string
			status  string
		}{{nil, "已关闭"}, {English, "CLOSED"}} {
			res := runPositionMutation(t, s, tokA, updatePositionMutation, map[string]any{"id": id, "in": edit}, lang.headers...)
			onePositionUserError(t, res, WantErr{"INVALID_TRANSITION", AnyField, []string{lang.status}})
		}
		if after := positionRow(t, s, id); after != before {
			t.Errorf("row changed:\n got %s\nwant %s", after, before)
		}
	})

	t.Run("another unit's staff gets NOT_FOUND and nothing changes", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("A 的岗位"))
		before := positionRow(t, s, id)
		r := runPositionMutation(t, s, s.Unit(t, unitB), updatePositionMutation, map[string]any{"id": id, "in": edit}).R
		WantTopLevel(t, r, "NOT_FOUND")
		missing := runPositionMutation(t, s, s.Unit(t, unitB), updatePositionMutation, map[string]any{"id": "987654", "in": edit}).R
		WantTopLevel(t, missing, "NOT_FOUND")
		if after := positionRow(t, s, id); after != before {
			t.Errorf("row changed:\n got %s\nwant %s", after, before)
		}
	})

	t.Run("the unit never changes, whatever unitId says", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", PositionInput("A 的岗位"))
		for _, tok := range []string{tokA, s.Admin(t)} {
			res := runPositionMutation(t, s, tok, updatePositionMutation, map[string]any{"id": id, "in": PositionInput("改名", "unitId", unitB)})
			if len(res.R.Errors) > 0 {
				t.Fatalf("top-level errors: got %+v, want none", res.R.Errors)
			}
			if res.Position != nil && res.Position.Unit.ID != unitA {
				t.Errorf("unit: got %s, want %s", res.Position.Unit.ID, unitA)
			}
		}
		var unit string
		if err := s.DB.Get(&unit, `select unit_id::text from positions where id = $1`, id); err != nil || unit != unitA {
			t.Errorf("stored unit: got %q (%v), want %s", unit, err, unitA)
		}
	})

	t.Run("student is FORBIDDEN", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("A 的岗位"))
		before := positionRow(t, s, id)
		r := runPositionMutation(t, s, s.Student(t, "20160931"), updatePositionMutation, map[string]any{"id": id, "in": edit}).R
		WantTopLevel(t, r, "FORBIDDEN")
		if after := positionRow(t, s, id); after != before {
			t.Errorf("row changed:\n got %s\nwant %s", after, before)
		}
	})

	invalid := []struct {
		name   string
		change []any
		fields []string
	}{
		{"blank title", []any{"title", "  "}, []string{"input.title"}},
		{"headcount 0", []any{"headcount", 0}, []string{"input.headcount"}},
		{"negative pay", []any{"pay", "-0.01"}, []string{"input.pay"}},
		{"weeklyHours over cap", []any{"weeklyHours", 21}, []string{"input.weeklyHours"}},
		{"window reversed", []any{"applyStart", "2027-01-01T00:00:00+08:00"}, []string{"input.applyEnd"}},
		{"unknown year", []any{"academicYear", "2030-2031"}, []string{"input.academicYear"}},
		{"several", []any{"title", "", "headcount", 1001, "workEnd", "2026-01-01T00:00:00+08:00"}, []string{"input.headcount", "input.title", "input.workEnd"}},
	}
	for _, status := range []string{"DRAFT", "PUBLISHED"} {
		id := s.SeedPosition(t, unitA, status, PositionInput("原样"))
		for _, c := range invalid {
			t.Run(status+": "+c.name+" changes nothing", func(t *testing.T) {
				before := positionRow(t, s, id)
				in := PositionInput("改了", c.change...)
				in["description"] = "改了"
				p, r := runPositionMutation(t, s, tokA, updatePositionMutation, map[string]any{"id": id, "in": in}).split()
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
				}
				CheckUserErrorsAnyOrder(t, p.UserErrors, positionValidationErrors(c.fields...)...)
				if after := positionRow(t, s, id); after != before {
					t.Errorf("row changed:\n got %s\nwant %s", after, before)
				}
			})
		}
	}
}

func TestPositionPublishClose(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := positionSchool(t)
	tokA := s.Unit(t, unitA)
	status := func(t *testing.T, id string) string {
		t.Helper()
		var st string
		if err := s.DB.Get(&st, `select status from positions where id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return st
	}

	t.Run("DRAFT -> PUBLISHED -> CLOSED", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", PositionInput("流程"))
		pub := wantPosition(t, runPositionMutation(t, s, tokA, publishPositionMutation, map[string]any{"id": id}))
		if pub.Status != "PUBLISHED" || !pub.OpenNow {
			t.Errorf("after publish: got status %s openNow %v, want PUBLISHED true", pub.Status, pub.OpenNow)
		}
		if got := status(t, id); got != "PUBLISHED" {
			t.Errorf("stored status: got %s, want PUBLISHED", got)
		}
		closed := wantPosition(t, runPositionMutation(t, s, tokA, closePositionMutation, map[string]any{"id": id}))
		if closed.Status != "CLOSED" || closed.OpenNow {
			t.Errorf("after close: got status %s openNow %v, want CLOSED false", closed.Status, closed.OpenNow)
		}
		if got := status(t, id); got != "CLOSED" {
			t.Errorf("stored status: got %s, want CLOSED", got)
		}
	})

	t.Run("admin may publish and close any unit's position", func(t *testing.T) {
		id := s.SeedPosition(t, unitB, "DRAFT", PositionInput("B 岗位"))
		movePosition(t, s, s.Admin(t), publishPositionMutation, id, "PUBLISHED")
		movePosition(t, s, s.Admin(t), closePositionMutation, id, "CLOSED")
	})

	refused := []struct {
		name   string
		from   string
		q      string
		zh, en string
	}{
		{"publish twice", "PUBLISHED", publishPositionMutation, "已发布", "PUBLISHED"},
		{"close a DRAFT", "DRAFT", closePositionMutation, "草稿", "DRAFT"},
		{"close twice", "CLOSED", closePositionMutation, "已关闭", "CLOSED"},
		{"publish a CLOSED", "CLOSED", publishPositionMutation, "已关闭", "CLOSED"},
	}
	for _, c := range refused {
		t.Run(c.name+" is INVALID_TRANSITION", func(t *testing.T) {
			id := s.SeedPosition(t, unitA, c.from, PositionInput("状态机"))
			before := positionRow(t, s, id)
			res := runPositionMutation(t, s, tokA, c.q, map[string]any{"id": id})
			onePositionUserError(t, res, WantErr{"INVALID_TRANSITION", AnyField, []string{c.zh}})
			res = runPositionMutation(t, s, tokA, c.q, map[string]any{"id": id}, English...)
			onePositionUserError(t, res, WantErr{"INVALID_TRANSITION", AnyField, []string{c.en}})
			if after := positionRow(t, s, id); after != before {
				t.Errorf("row changed:\n got %s\nwant %s", after, before)
			}
		})
	}

	t.Run("concurrent publishes: exactly one wins", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", PositionInput("并发"))
		const n = 12
		responses, errs := make([]Response, n), make([]error, n)
		Race(n, func(i int) {
			responses[i], errs[i] = PostOp(s.URL, tokA, publishPositionMutation, map[string]any{"id": id})
		})
		won, refused := 0, 0
		for i, r := range responses {
			if errs[i] != nil {
				t.Fatalf("publish %d: %v", i, errs[i])
			}
			res := positionResultOf(t, r)
			switch {
			case len(res.R.Errors) > 0:
				t.Errorf("top-level errors: got %+v, want none", res.R.Errors)
			case len(res.UserErrors) == 0:
				won++
			case len(res.UserErrors) == 1 && res.UserErrors[0].Code == "INVALID_TRANSITION":
				refused++
			default:
				t.Errorf("userErrors: got %+v, want one INVALID_TRANSITION", res.UserErrors)
			}
		}
		if won != 1 || refused != n-1 {
			t.Errorf("got %d published and %d refused, want 1 and %d", won, refused, n-1)
		}
		if got := status(t, id); got != "PUBLISHED" {
			t.Errorf("status: got %s, want PUBLISHED", got)
		}
	})

	for _, c := range []struct{ name, from, q string }{
		{"publish", "DRAFT", publishPositionMutation}, {"close", "PUBLISHED", closePositionMutation},
	} {
		t.Run(c.name+": another unit's staff gets NOT_FOUND", func(t *testing.T) {
			id := s.SeedPosition(t, unitA, c.from, PositionInput("A 岗位"))
			r := runPositionMutation(t, s, s.Unit(t, unitB), c.q, map[string]any{"id": id}).R
			WantTopLevel(t, r, "NOT_FOUND")
			missing := runPositionMutation(t, s, tokA, c.q, map[string]any{"id": "987654"}).R
			WantTopLevel(t, missing, "NOT_FOUND")
			if got := status(t, id); got != c.from {
				t.Errorf("status: got %s, want %s", got, c.from)
			}
		})
		t.Run(c.name+": student is FORBIDDEN", func(t *testing.T) {
			id := s.SeedPosition(t, unitA, c.from, PositionInput("A 岗位"))
			r := runPositionMutation(t, s, s.Student(t, "20160931"), c.q, map[string]any{"id": id}).R
			WantTopLevel(t, r, "FORBIDDEN")
			if got := status(t, id); got != c.from {
				t.Errorf("status: got %s, want %s", got, c.from)
			}
		})
	}
}

func TestPositionCopy(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := positionSchool(t)
	tokA := s.Unit(t, unitA)
	src := PositionInput("数据整理",
		"description", "整理问卷数据", "nature", "TEMPORARY", "dutyCategory", "WRITING", "headcount", 2, "pay", "666.60",
		"weeklyHours", 8, "workTimeRequirement", "周三下午")
	// same reports whether b has a's fields (all but id, title, status, openNow and times of the row).
	same := func(t *testing.T, got, want *positionNode) {
		t.Helper()
		g, w := *got, *want
		g.ID, g.Title, g.Status, g.OpenNow, g.CreatedAt, g.UpdatedAt = "", "", "", false, "", ""
		w.ID, w.Title, w.Status, w.OpenNow, w.CreatedAt, w.UpdatedAt = "", "", "", false, "", ""
		if g != w {
			t.Errorf("copied fields:\n got %+v\nwant %+v", g, w)
		}
	}
	copyOf := func(t *testing.T, token, id string, title any) positionResult {
		t.Helper()
		return runPositionMutation(t, s, token, copyPositionMutation, map[string]any{"id": id, "title": title})
	}

	for _, c := range []struct {
		name      string
		status    string
		title     any
		wantTitle string
	}{
		{"default title", "PUBLISHED", nil, "数据整理_复制"},
		{"explicit title", "DRAFT", "下学期数据整理", "下学期数据整理"},
		{"of a CLOSED position", "CLOSED", nil, "数据整理_复制"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id := s.SeedPosition(t, unitA, c.status, src)
			var orig struct{ Position positionNode }
			s.Do(t, tokA, positionQuery, map[string]any{"id": id}).Decode(t, &orig)
			before := positionRow(t, s, id)
			n := s.Count(t, positionCountSQL)
			got := wantPosition(t, copyOf(t, tokA, id, c.title))
			if got.ID == id || got.ID == "" {
				t.Errorf("id: got %q, want a new id (source %s)", got.ID, id)
			}
			if got.Title != c.wantTitle {
				t.Errorf("title: got %q, want %q", got.Title, c.wantTitle)
			}
			if got.Status != "DRAFT" {
				t.Errorf("status: got %s, want DRAFT", got.Status)
			}
			same(t, got, &orig.Position)
			if m := s.Count(t, positionCountSQL); m != n+1 {
				t.Errorf("positions: got %d rows, want %d", m, n+1)
			}
			if after := positionRow(t, s, id); after != before {
				t.Errorf("source changed:\n got %s\nwant %s", after, before)
			}
		})
	}

	t.Run("admin copies any unit's position into that unit", func(t *testing.T) {
		id := s.SeedPosition(t, unitB, "DRAFT", src)
		got := wantPosition(t, copyOf(t, s.Admin(t), id, nil))
		if got.Unit.ID != unitB {
			t.Errorf("unit: got %s, want %s", got.Unit.ID, unitB)
		}
	})

	t.Run("another unit's staff gets NOT_FOUND", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "PUBLISHED", src)
		n := s.Count(t, positionCountSQL)
		r := copyOf(t, s.Unit(t, unitB), id, nil).R
		WantTopLevel(t, r, "NOT_FOUND")
		missing := copyOf(t, tokA, "987654", nil).R
		WantTopLevel(t, missing, "NOT_FOUND")
		if m := s.Count(t, positionCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
	})

	t.Run("student is FORBIDDEN", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "PUBLISHED", src)
		n := s.Count(t, positionCountSQL)
		r := copyOf(t, s.Student(t, "20160931"), id, nil).R
		WantTopLevel(t, r, "FORBIDDEN")
		if m := s.Count(t, positionCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
	})

	t.Run("explicit blank title is VALIDATION", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", src)
		n := s.Count(t, positionCountSQL)
		for _, title := range []string{"", "   "} {
			ue := onePositionUserError(t, copyOf(t, tokA, id, title), WantErr{"VALIDATION", AnyField, nil})
			if len(ue.Field) == 0 || ue.Field[len(ue.Field)-1] != "title" {
				t.Errorf("field: got %q, want a path ending in title", ue.Field)
			}
		}
		if m := s.Count(t, positionCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
	})

	t.Run("default title too long for 100 characters is VALIDATION; a chosen title works", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", PositionInput(strings.Repeat("长", 100)))
		n := s.Count(t, positionCountSQL)
		ue := onePositionUserError(t, copyOf(t, tokA, id, nil), WantErr{"VALIDATION", AnyField, nil})
		if !positionMessageMentions(ue.Message, "103") {
			t.Errorf("message: got %q, want it to mention 103", ue.Message)
		}
		if m := s.Count(t, positionCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
		if got := wantPosition(t, copyOf(t, tokA, id, "短标题")); got.Title != "短标题" {
			t.Errorf("title: got %q, want 短标题", got.Title)
		}
	})

	t.Run("explicit blank title error names the title argument", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", src)
		res := copyOf(t, tokA, id, " ")
		onePositionUserError(t, res, WantErr{"VALIDATION", "title", nil})
	})
}

// visibilityPositions creates, in unit A: a DRAFT, a PUBLISHED and a CLOSED position; in unit B: a
// DRAFT and a PUBLISHED one.
type visibilityPositions struct {
	unitA, unitB                string
	aDraft, aPublished, aClosed string
	bDraft, bPublished          string
}

func TestPositionVisibility(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160931")
	f := visibilityPositions{unitA: s.SeedUnit(t, "研究生院"), unitB: s.SeedUnit(t, "基础医学院")}
	f.aDraft = s.SeedPosition(t, f.unitA, "DRAFT", PositionInput("A 草稿"))
	f.aPublished = s.SeedPosition(t, f.unitA, "PUBLISHED", PositionInput("A 已发布"))
	f.aClosed = s.SeedPosition(t, f.unitA, "CLOSED", PositionInput("A 已关闭"))
	f.bDraft = s.SeedPosition(t, f.unitB, "DRAFT", PositionInput("B 草稿"))
	f.bPublished = s.SeedPosition(t, f.unitB, "PUBLISHED", PositionInput("B 已发布"))
	all := []string{f.aDraft, f.aPublished, f.aClosed, f.bDraft, f.bPublished}
	student, staffA, staffB, admin := s.Student(t, "20160931"), s.Unit(t, f.unitA), s.Unit(t, f.unitB), s.Admin(t)

	lists := []struct {
		name   string
		token  string
		filter map[string]any
		want   []string
	}{
		{"student sees PUBLISHED only", student, nil, []string{f.aPublished, f.bPublished}},
		{"student asking for DRAFT still sees PUBLISHED only", student, map[string]any{"status": "DRAFT"}, nil},
		{"student asking for CLOSED still sees PUBLISHED only", student, map[string]any{"status": "CLOSED"}, nil},
		{"student filtering by unit", student, map[string]any{"unitId": f.unitA}, []string{f.aPublished}},
		{"unit A staff see their own, drafts included", staffA, nil, []string{f.aDraft, f.aPublished, f.aClosed}},
		{"unit B staff see their own", staffB, nil, []string{f.bDraft, f.bPublished}},
		{"unit A staff filtering by unit B see nothing", staffA, map[string]any{"unitId": f.unitB}, nil},
		{"unit A staff, DRAFT", staffA, map[string]any{"status": "DRAFT"}, []string{f.aDraft}},
		{"admin sees all", admin, nil, all},
		{"admin, DRAFT", admin, map[string]any{"status": "DRAFT"}, []string{f.aDraft, f.bDraft}},
	}
	for _, c := range lists {
		t.Run(c.name, func(t *testing.T) {
			got := positionsPage(t, s, c.token, c.filter, 50, "")
			want := newestPositionsFirst(c.want...)
			if ids := positionIDs(got); !slices.Equal(ids, want) {
				t.Errorf("ids: got %v, want %v", ids, want)
			}
			if got.TotalCount != len(want) {
				t.Errorf("totalCount: got %d, want %d", got.TotalCount, len(want))
			}
			if got.PageInfo.HasNextPage {
				t.Errorf("hasNextPage: got true, want false")
			}
		})
	}

	gets := []struct {
		name  string
		token string
		id    string
		ok    bool
	}{
		{"student reads PUBLISHED", student, f.aPublished, true},
		{"student reads DRAFT", student, f.aDraft, false},
		{"student reads CLOSED", student, f.aClosed, false},
		{"student reads a nonexistent id", student, "987654", false},
		{"unit A reads own DRAFT", staffA, f.aDraft, true},
		{"unit A reads own CLOSED", staffA, f.aClosed, true},
		{"unit A reads unit B's PUBLISHED", staffA, f.bPublished, false},
		{"unit A reads unit B's DRAFT", staffA, f.bDraft, false},
		{"unit A reads a nonexistent id", staffA, "987654", false},
		{"admin reads unit B's DRAFT", admin, f.bDraft, true},
		{"admin reads a nonexistent id", admin, "987654", false},
	}
	for _, c := range gets {
		t.Run("position(id): "+c.name, func(t *testing.T) {
			r := s.Do(t, c.token, positionQuery, map[string]any{"id": c.id})
			if c.ok {
				var out struct{ Position positionNode }
				r.Decode(t, &out)
				if out.Position.ID != c.id {
					t.Errorf("id: got %s, want %s", out.Position.ID, c.id)
				}
				return
			}
			WantTopLevel(t, r, "NOT_FOUND")
			// The refusal must not tell a hidden object from a missing one: same message but for the id.
			if got, want := strings.ReplaceAll(r.Errors[0].Message, c.id, "<id>"), "岗位 <id> 不存在"; got != want {
				t.Errorf("message: got %q, want %q", got, want)
			}
			if string(r.Data) != "null" {
				t.Errorf("data: got %s, want null", r.Data)
			}
		})
	}

	t.Run("position(id) with a malformed id is BAD_USER_INPUT", func(t *testing.T) {
		for _, id := range []string{"abc", "-1", "0"} {
			WantTopLevel(t, s.Do(t, admin, positionQuery, map[string]any{"id": id}), "BAD_USER_INPUT")
		}
	})
}

func TestPositionFilters(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.UpsertYear(t, YearInputOf("2027-2028"))
	s.SeedStudents(t, "20160931")
	unitA, unitB := s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "基础医学院")
	p1 := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("数据整理助理", "description", "整理科研数据"))
	p2 := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("Poster Designer",
		"description", "Make posters for EVENTS", "nature", "TEMPORARY", "dutyCategory", "POSTER_DESIGN"))
	p3 := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("活动策划",
		"description", "学术会议 100% 投入", "nature", "TEMPORARY", "dutyCategory", "EVENT_PLANNING", "academicYear", "2027-2028"))
	p4 := s.SeedPosition(t, unitB, "PUBLISHED", PositionInput("摄影 under_score",
		"description", "拍照", "dutyCategory", "PHOTO_VIDEO"))
	p5 := s.SeedPosition(t, unitA, "DRAFT", PositionInput("草稿 POSTER",
		"description", "未发布", "nature", "TEMPORARY", "dutyCategory", "POSTER_DESIGN"))
	p6 := s.SeedPosition(t, unitA, "CLOSED", PositionInput("closed job", "description", "旧岗位 back\\slash"))
	student, staffA, staffB, admin := s.Student(t, "20160931"), s.Unit(t, unitA), s.Unit(t, unitB), s.Admin(t)

	cases := []struct {
		name   string
		token  string
		filter map[string]any
		want   []string
	}{
		{"empty filter", admin, map[string]any{}, []string{p1, p2, p3, p4, p5, p6}},
		{"nature TEMPORARY", admin, map[string]any{"nature": "TEMPORARY"}, []string{p2, p3, p5}},
		{"nature LONG_TERM", admin, map[string]any{"nature": "LONG_TERM"}, []string{p1, p4, p6}},
		{"dutyCategory POSTER_DESIGN", admin, map[string]any{"dutyCategory": "POSTER_DESIGN"}, []string{p2, p5}},
		{"dutyCategory OTHER", admin, map[string]any{"dutyCategory": "OTHER"}, nil},
		{"unitId B", admin, map[string]any{"unitId": unitB}, []string{p4}},
		{"unitId unknown", admin, map[string]any{"unitId": "987654"}, nil},
		{"academicYear 2027-2028", admin, map[string]any{"academicYear": "2027-2028"}, []string{p3}},
		{"academicYear 2026-2027", admin, map[string]any{"academicYear": TestYear}, []string{p1, p2, p4, p5, p6}},
		{"academicYear unknown", admin, map[string]any{"academicYear": "2030-2031"}, nil},
		{"status PUBLISHED", admin, map[string]any{"status": "PUBLISHED"}, []string{p1, p2, p3, p4}},
		{"status DRAFT", admin, map[string]any{"status": "DRAFT"}, []string{p5}},
		{"status CLOSED", admin, map[string]any{"status": "CLOSED"}, []string{p6}},
		{"keyword in title, other case", admin, map[string]any{"keyword": "poster"}, []string{p2, p5}},
		{"keyword in description, other case", admin, map[string]any{"keyword": "events"}, []string{p2}},
		{"keyword in Chinese title and description", admin, map[string]any{"keyword": "数据"}, []string{p1}},
		{"keyword trimmed", admin, map[string]any{"keyword": "  POSTER  "}, []string{p2, p5}},
		{"keyword blank matches all", admin, map[string]any{"keyword": "   "}, []string{p1, p2, p3, p4, p5, p6}},
		{"keyword % is literal", admin, map[string]any{"keyword": "%"}, []string{p3}},
		{"keyword 100% is literal", admin, map[string]any{"keyword": "100%"}, []string{p3}},
		{"keyword _ is literal", admin, map[string]any{"keyword": "_"}, []string{p4}},
		{"keyword p_ster does not match Poster", admin, map[string]any{"keyword": "p_ster"}, nil},
		{"keyword backslash is literal", admin, map[string]any{"keyword": `k\s`}, []string{p6}},
		{"keyword no match", admin, map[string]any{"keyword": "no such words"}, nil},
		{"nature + status", admin, map[string]any{"nature": "TEMPORARY", "status": "PUBLISHED"}, []string{p2, p3}},
		{"nature + unit", admin, map[string]any{"nature": "LONG_TERM", "unitId": unitA}, []string{p1, p6}},
		{"keyword + status", admin, map[string]any{"keyword": "poster", "status": "PUBLISHED"}, []string{p2}},
		{"duty + year + status", admin, map[string]any{"dutyCategory": "DATA_ANALYSIS", "academicYear": TestYear, "status": "PUBLISHED"}, []string{p1}},
		{"every filter at once", admin, map[string]any{
			"nature": "TEMPORARY", "dutyCategory": "POSTER_DESIGN", "unitId": unitA, "academicYear": TestYear,
			"keyword": "MAKE", "openNow": true, "status": "PUBLISHED"}, []string{p2}},
		{"contradicting filters", admin, map[string]any{"nature": "LONG_TERM", "dutyCategory": "POSTER_DESIGN"}, nil},
		{"student: nature TEMPORARY", student, map[string]any{"nature": "TEMPORARY"}, []string{p2, p3}},
		{"student: keyword poster", student, map[string]any{"keyword": "poster"}, []string{p2}},
		{"student: dutyCategory DATA_ANALYSIS", student, map[string]any{"dutyCategory": "DATA_ANALYSIS"}, []string{p1}},
		{"unit A: nature TEMPORARY", staffA, map[string]any{"nature": "TEMPORARY"}, []string{p2, p3, p5}},
		{"unit A: keyword", staffA, map[string]any{"keyword": "e"}, []string{p2, p5, p6}},
		{"unit B: dutyCategory POSTER_DESIGN", staffB, map[string]any{"dutyCategory": "POSTER_DESIGN"}, nil},
		{"unit B: keyword _", staffB, map[string]any{"keyword": "_"}, []string{p4}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := positionsPage(t, s, c.token, c.filter, 100, "")
			want := newestPositionsFirst(c.want...)
			if ids := positionIDs(got); !slices.Equal(ids, want) {
				t.Errorf("ids: got %v, want %v", ids, want)
			}
			if got.TotalCount != len(want) {
				t.Errorf("totalCount: got %d, want %d", got.TotalCount, len(want))
			}
		})
	}
}

func TestPositionOpenNow(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160931")
	unit := s.SeedUnit(t, "研究生院")
	// Window 2026-11-01 .. 2026-12-31 (end exclusive), and a later one in January.
	early := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("十一月窗口"))
	late := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("一月窗口",
		"applyStart", "2027-01-10T00:00:00+08:00", "applyEnd", "2027-01-20T00:00:00+08:00",
		"workStart", "2027-02-01T00:00:00+08:00", "workEnd", "2027-03-01T00:00:00+08:00"))
	draft := s.SeedPosition(t, unit, "DRAFT", PositionInput("草稿同窗口"))
	closed := s.SeedPosition(t, unit, "CLOSED", PositionInput("已关闭同窗口"))
	all := []string{early, late, draft, closed}
	student, admin := s.Student(t, "20160931"), s.Admin(t)
	at := func(v string) time.Time {
		tm, err := time.Parse(time.RFC3339, v)
		if err != nil {
			panic(err)
		}
		return tm
	}

	cases := []struct {
		name string
		now  time.Time
		open []string
	}{
		{"a second before the window", at("2026-10-31T23:59:59+08:00"), nil},
		{"at the window's start", at("2026-11-01T00:00:00+08:00"), []string{early}},
		{"inside the window", at("2026-11-15T10:00:00+08:00"), []string{early}},
		{"a second before the window's end", at("2026-12-30T23:59:59+08:00"), []string{early}},
		{"at the window's end", at("2026-12-31T00:00:00+08:00"), nil},
		{"inside the later window", at("2027-01-15T12:00:00+08:00"), []string{late}},
		{"after every window", at("2027-02-01T00:00:00+08:00"), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s.SetNow(c.now)
			want := newestPositionsFirst(c.open...)
			got := positionsPage(t, s, admin, map[string]any{"openNow": true}, 50, "")
			if ids := positionIDs(got); !slices.Equal(ids, want) || got.TotalCount != len(want) {
				t.Errorf("admin openNow=true: got %v (total %d), want %v", ids, got.TotalCount, want)
			}
			got = positionsPage(t, s, student, map[string]any{"openNow": true}, 50, "")
			if ids := positionIDs(got); !slices.Equal(ids, want) || got.TotalCount != len(want) {
				t.Errorf("student openNow=true: got %v (total %d), want %v", ids, got.TotalCount, want)
			}
			var rest []string
			for _, id := range all {
				if !slices.Contains(c.open, id) {
					rest = append(rest, id)
				}
			}
			rest = newestPositionsFirst(rest...)
			got = positionsPage(t, s, admin, map[string]any{"openNow": false}, 50, "")
			if ids := positionIDs(got); !slices.Equal(ids, rest) || got.TotalCount != len(rest) {
				t.Errorf("admin openNow=false: got %v (total %d), want %v", ids, got.TotalCount, rest)
			}
			// The openNow field agrees with the filter.
			got = positionsPage(t, s, admin, nil, 50, "")
			for _, e := range got.Edges {
				if want := slices.Contains(c.open, e.Node.ID); e.Node.OpenNow != want {
					t.Errorf("position %s (%s) openNow: got %v, want %v", e.Node.ID, e.Node.Title, e.Node.OpenNow, want)
				}
			}
		})
	}
}

func TestPositionPaging(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160931")
	unit := s.SeedUnit(t, "研究生院")
	other := s.SeedUnit(t, "基础医学院")
	s.SeedPosition(t, other, "DRAFT", PositionInput("别的单位")) // not on unit staff's pages
	var created []string
	for i := 1; i <= 7; i++ {
		created = append(created, s.SeedPosition(t, unit, "DRAFT", PositionInput(fmt.Sprintf("岗位 %d", i))))
	}
	newest := slices.Clone(created)
	slices.Reverse(newest)

	walk := func(t *testing.T, token string, filter map[string]any, first int) (ids []string, pages int) {
		t.Helper()
		seen := map[string]bool{}
		after := ""
		for pages = 1; pages <= 20; pages++ {
			page := positionsPage(t, s, token, filter, first, after)
			if page.TotalCount != 7 {
				t.Errorf("page %d totalCount: got %d, want 7", pages, page.TotalCount)
			}
			if len(page.Edges) == 0 || len(page.Edges) > first {
				t.Fatalf("page %d: got %d edges, want 1..%d", pages, len(page.Edges), first)
			}
			for _, e := range page.Edges {
				if seen[e.Node.ID] {
					t.Errorf("page %d: got %s again, want no repeats", pages, e.Node.ID)
				}
				seen[e.Node.ID] = true
				ids = append(ids, e.Node.ID)
			}
			if page.PageInfo.EndCursor == nil || *page.PageInfo.EndCursor != page.Edges[len(page.Edges)-1].Cursor {
				t.Errorf("page %d endCursor: got %v, want the last edge's cursor %q", pages, page.PageInfo.EndCursor, page.Edges[len(page.Edges)-1].Cursor)
			}
			if !page.PageInfo.HasNextPage {
				return ids, pages
			}
			after = *page.PageInfo.EndCursor
		}
		t.Fatalf("hasNextPage: still true after 20 pages")
		return nil, 0
	}

	for _, c := range []struct {
		name      string
		token     string
		filter    map[string]any
		first     int
		wantPages int
	}{
		{"unit staff, first 3", s.Unit(t, unit), nil, 3, 3},
		{"admin filtering by unit, first 3", s.Admin(t), map[string]any{"unitId": unit}, 3, 3},
		{"unit staff, first 7", s.Unit(t, unit), nil, 7, 1},
		{"unit staff, first 1", s.Unit(t, unit), nil, 1, 7},
		{"unit staff, first 100", s.Unit(t, unit), nil, 100, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			ids, pages := walk(t, c.token, c.filter, c.first)
			if !slices.Equal(ids, newest) {
				t.Errorf("ids: got %v, want %v (newest first, no gaps)", ids, newest)
			}
			if pages != c.wantPages {
				t.Errorf("pages: got %d, want %d", pages, c.wantPages)
			}
		})
	}

	t.Run("students page over PUBLISHED only", func(t *testing.T) {
		tok := s.Unit(t, unit)
		pub := []string{created[0], created[2], created[4], created[6]}
		for _, id := range pub {
			movePosition(t, s, tok, publishPositionMutation, id, "PUBLISHED")
		}
		var ids []string
		after := ""
		for i := 0; i < 5; i++ {
			page := positionsPage(t, s, s.Student(t, "20160931"), map[string]any{"unitId": unit}, 3, after)
			if page.TotalCount != 4 {
				t.Errorf("totalCount: got %d, want 4", page.TotalCount)
			}
			ids = append(ids, positionIDs(page)...)
			if !page.PageInfo.HasNextPage {
				break
			}
			after = *page.PageInfo.EndCursor
		}
		if want := newestPositionsFirst(pub...); !slices.Equal(ids, want) {
			t.Errorf("ids: got %v, want %v", ids, want)
		}
	})

	t.Run("a cursor past the last item gives an empty last page", func(t *testing.T) {
		page := positionsPage(t, s, s.Unit(t, unit), nil, 7, "")
		last := page.Edges[len(page.Edges)-1].Cursor
		next := positionsPage(t, s, s.Unit(t, unit), nil, 3, last)
		if len(next.Edges) != 0 || next.PageInfo.HasNextPage || next.TotalCount != 7 {
			t.Errorf("got %d edges, hasNextPage %v, totalCount %d; want 0, false, 7", len(next.Edges), next.PageInfo.HasNextPage, next.TotalCount)
		}
		if next.PageInfo.EndCursor != nil {
			t.Errorf("endCursor: got %q, want null", *next.PageInfo.EndCursor)
		}
	})

	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	bad := []struct {
		name string
		vars map[string]any
	}{
		{"first 0", map[string]any{"first": 0}},
		{"first 101", map[string]any{"first": 101}},
		{"first -1", map[string]any{"first": -1}},
		{"garbage after", map[string]any{"first": 3, "after": "garbage!!"}},
		{"after of the wrong version", map[string]any{"first": 3, "after": enc("v2:5")}},
		{"after that is not a number", map[string]any{"first": 3, "after": enc("v1:abc")}},
		{"after that is negative", map[string]any{"first": 3, "after": enc("v1:-3")}},
	}
	for _, c := range bad {
		t.Run(c.name+" is BAD_USER_INPUT", func(t *testing.T) {
			r := s.Do(t, s.Unit(t, unit), `query($first: Int, $after: String) { positions(first: $first, after: $after) { totalCount edges { node { id } } } }`, c.vars)
			WantTopLevel(t, r, "BAD_USER_INPUT")
		})
	}

	t.Run("first given inline is checked too", func(t *testing.T) {
		for _, first := range []int{0, 101} {
			r := s.Do(t, s.Admin(t), fmt.Sprintf(`{ positions(first: %d) { totalCount } }`, first), nil)
			WantTopLevel(t, r, "BAD_USER_INPUT")
		}
	})
}

// unitsWithPositionsQuery lists every unit the caller sees with the positions under it.
const unitsWithPositionsQuery = `query($first: Int) { units { id name positions(first: $first) {
	totalCount pageInfo { hasNextPage endCursor } edges { node { id status unit { id } } } } } }`

func TestPositionUnitPositions(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160931")
	unitA, unitB := s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "基础医学院")
	aDraft := s.SeedPosition(t, unitA, "DRAFT", PositionInput("A 草稿"))
	aPub := s.SeedPosition(t, unitA, "PUBLISHED", PositionInput("A 已发布"))
	aClosed := s.SeedPosition(t, unitA, "CLOSED", PositionInput("A 已关闭"))
	bDraft := s.SeedPosition(t, unitB, "DRAFT", PositionInput("B 草稿"))
	bPub := s.SeedPosition(t, unitB, "PUBLISHED", PositionInput("B 已发布"))
	bPub2 := s.SeedPosition(t, unitB, "PUBLISHED", PositionInput("B 已发布 2"))

	type unitRow struct {
		ID        string
		Positions positionPage
	}
	cases := []struct {
		name  string
		token string
		want  map[string][]string // unit id -> its positions, for exactly the units listed
	}{
		{"student: PUBLISHED only, every unit", s.Student(t, "20160931"), map[string][]string{unitA: {aPub}, unitB: {bPub, bPub2}}},
		{"unit A staff: their unit, drafts included", s.Unit(t, unitA), map[string][]string{unitA: {aDraft, aPub, aClosed}}},
		{"unit B staff: their unit", s.Unit(t, unitB), map[string][]string{unitB: {bDraft, bPub, bPub2}}},
		{"admin: everything", s.Admin(t), map[string][]string{unitA: {aDraft, aPub, aClosed}, unitB: {bDraft, bPub, bPub2}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out struct{ Units []unitRow }
			s.Do(t, c.token, unitsWithPositionsQuery, map[string]any{"first": 10}).Decode(t, &out)
			if len(out.Units) != len(c.want) {
				t.Fatalf("units: got %d, want %d (%+v)", len(out.Units), len(c.want), out.Units)
			}
			for _, u := range out.Units {
				want, ok := c.want[u.ID]
				if !ok {
					t.Errorf("unit %s: got it listed, want it hidden", u.ID)
					continue
				}
				want = newestPositionsFirst(want...)
				if ids := positionIDs(u.Positions); !slices.Equal(ids, want) {
					t.Errorf("unit %s positions: got %v, want %v", u.ID, ids, want)
				}
				if u.Positions.TotalCount != len(want) {
					t.Errorf("unit %s totalCount: got %d, want %d", u.ID, u.Positions.TotalCount, len(want))
				}
				for _, e := range u.Positions.Edges {
					if e.Node.Unit.ID != u.ID {
						t.Errorf("position %s: got unit %s, want %s", e.Node.ID, e.Node.Unit.ID, u.ID)
					}
				}
			}
		})
	}

	t.Run("first 1 pages inside a unit", func(t *testing.T) {
		var out struct{ Units []unitRow }
		s.Do(t, s.Student(t, "20160931"), unitsWithPositionsQuery, map[string]any{"first": 1}).Decode(t, &out)
		for _, u := range out.Units {
			if u.ID != unitB {
				continue
			}
			if len(u.Positions.Edges) != 1 || !u.Positions.PageInfo.HasNextPage || u.Positions.TotalCount != 2 {
				t.Errorf("unit B: got %d edges, hasNextPage %v, totalCount %d; want 1, true, 2",
					len(u.Positions.Edges), u.Positions.PageInfo.HasNextPage, u.Positions.TotalCount)
			}
		}
	})

	t.Run("first out of range is BAD_USER_INPUT", func(t *testing.T) {
		for _, first := range []int{0, 101} {
			// Each unit's positions field fails on its own, so there is one error per unit listed:
			// WantTopLevel's single error does not apply here.
			r := s.Do(t, s.Admin(t), unitsWithPositionsQuery, map[string]any{"first": first})
			if len(r.Errors) == 0 {
				t.Fatalf("first %d: got no errors (data %s), want BAD_USER_INPUT", first, r.Data)
			}
			for _, e := range r.Errors {
				if code, _ := e.Extensions["code"].(string); code != "BAD_USER_INPUT" {
					t.Errorf("first %d: got error %+v, want code BAD_USER_INPUT", first, e)
				}
			}
		}
	})
}

func TestPositionUnauthenticated(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	id := s.SeedPosition(t, unit, "DRAFT", PositionInput("岗位"))
	admin := auth.Principal{Subject: "admin", Role: auth.RoleAdmin}
	expired, err := s.verifier.Sign(admin, -time.Hour) // well past the verifier's leeway
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := auth.NewVerifier("another-secret-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	forged, err := foreign.Sign(admin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tokens := []struct{ name, token string }{
		{"no token", ""},
		{"garbage token", "not-a-jwt"},
		{"expired token", expired},
		{"token signed with another secret", forged},
	}
	ops := []struct {
		name  string
		query string
		vars  map[string]any
	}{
		{"positions", `{ positions { totalCount edges { node { id } } } }`, nil},
		{"position(id)", positionQuery, map[string]any{"id": id}},
		{"createPosition", createPositionMutation, map[string]any{"in": PositionInput("x", "unitId", unit)}},
		{"publishPosition", publishPositionMutation, map[string]any{"id": id}},
	}
	for _, tk := range tokens {
		for _, op := range ops {
			t.Run(tk.name+": "+op.name, func(t *testing.T) {
				n := s.Count(t, positionCountSQL)
				r := s.Do(t, tk.token, op.query, op.vars)
				WantTopLevel(t, r, "UNAUTHENTICATED")
				if string(r.Data) != "null" {
					t.Errorf("data: got %s, want null", r.Data)
				}
				if m := s.Count(t, positionCountSQL); m != n {
					t.Errorf("positions: got %d rows, want %d", m, n)
				}
			})
		}
	}
	var st string
	if err := s.DB.Get(&st, `select status from positions where id = $1`, id); err != nil || st != "DRAFT" {
		t.Errorf("status: got %q (%v), want DRAFT", st, err)
	}
}

// TestHarnessPublishFlow is the harness's smoke test: a seeded draft, published by its unit,
// is the one position a student lists.
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
