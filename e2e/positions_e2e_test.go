package e2e

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/zhuguan/zhuguan/auth"
)

// End-to-end tests of positions (岗位) over HTTP: create, validate, update, publish/close, copy,
// visibility, filters and paging.

// posFields selects every field of a Position.
const posFields = `id unit { id name } title description nature dutyCategory headcount pay weeklyHours
	workTimeRequirement applyStart applyEnd workStart workEnd academicYear status openNow createdAt updatedAt`

const posPayloadSel = `{ position { ` + posFields + ` } userErrors { code field message } }`

// The position mutations, each taking the variables its name says.
const (
	posCreateQ  = `mutation($in: PositionInput!) { createPosition(input: $in) ` + posPayloadSel + ` }`
	posUpdateQ  = `mutation($id: ID!, $in: PositionInput!) { updatePosition(id: $id, input: $in) ` + posPayloadSel + ` }`
	posPublishQ = `mutation($id: ID!) { publishPosition(id: $id) ` + posPayloadSel + ` }`
	posCloseQ   = `mutation($id: ID!) { closePosition(id: $id) ` + posPayloadSel + ` }`
	posCopyQ    = `mutation($id: ID!, $title: String) { copyPosition(id: $id, title: $title) ` + posPayloadSel + ` }`
	posGetQ     = `query($id: ID!) { position(id: $id) { ` + posFields + ` } }`
	posListQ    = `query($f: PositionFilter, $first: Int, $after: String) {
		positions(filter: $f, first: $first, after: $after) {
			totalCount pageInfo { hasNextPage endCursor }
			edges { cursor node { id title status openNow unit { id } } } } }`
	posCountSQL = `select count(*) from positions`
)

// posNode is a Position as the API returns it.
type posNode struct {
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

// posPayload is a PositionPayload.
type posPayload struct {
	Position   *posNode
	UserErrors []UserError
}

// posConn is one page of a PositionConnection.
type posConn struct {
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

// posResult is a position mutation's payload and the raw response it came in.
type posResult struct {
	posPayload
	R Response
}

// split returns the payload and the response.
func (x posResult) split() (posPayload, Response) { return x.posPayload, x.R }

// posDo runs a position mutation; the payload is zero when the response has top-level errors.
func posDo(t *testing.T, s *Server, token, query string, vars map[string]any, headers ...string) posResult {
	t.Helper()
	r := s.Do(t, token, query, vars, headers...)
	res := posResult{R: r}
	if len(r.Errors) > 0 {
		return res
	}
	var m map[string]posPayload
	if err := json.Unmarshal(r.Data, &m); err != nil || len(m) != 1 {
		t.Fatalf("decode payload %s: %v", r.Data, err)
	}
	for _, p := range m {
		res.posPayload = p
	}
	return res
}

// posOK fails the test unless the mutation succeeded, and returns its position.
func posOK(t *testing.T, res posResult) *posNode {
	t.Helper()
	p, r := res.posPayload, res.R
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

// posTopErr fails the test unless the response's first error has code want.
func posTopErr(t *testing.T, r Response, want string) {
	t.Helper()
	if len(r.Errors) == 0 {
		t.Fatalf("errors: got none (data %s), want top-level %s", r.Data, want)
	}
	if got := r.Code(); got != want {
		t.Fatalf("error code: got %q (%+v), want %q", got, r.Errors, want)
	}
}

// posOneUserErr fails the test unless the payload holds exactly one user error with code and
// (when field is not nil) that field path; it returns that error.
func posOneUserErr(t *testing.T, res posResult, code string, field []string) UserError {
	t.Helper()
	p, r := res.posPayload, res.R
	if len(r.Errors) > 0 {
		t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
	}
	if len(p.UserErrors) != 1 {
		t.Fatalf("userErrors: got %+v, want exactly one %s on %v", p.UserErrors, code, field)
	}
	ue := p.UserErrors[0]
	if ue.Code != code {
		t.Errorf("code: got %s, want %s (%+v)", ue.Code, code, ue)
	}
	if field != nil && !slices.Equal(ue.Field, field) {
		t.Errorf("field: got %q, want %q (%+v)", ue.Field, field, ue)
	}
	if p.Position != nil {
		t.Errorf("position: got %+v, want null alongside userErrors", p.Position)
	}
	return ue
}

// posInput is PositionInput(title) with changes applied.
func posInput(title string, changes map[string]any) map[string]any {
	in := PositionInput(title)
	for k, v := range changes {
		if v == nil {
			delete(in, k)
			continue
		}
		in[k] = v
	}
	return in
}

// posCreate creates a position from in as token and returns it.
func posCreate(t *testing.T, s *Server, token string, in map[string]any) *posNode {
	t.Helper()
	return posOK(t, posDo(t, s, token, posCreateQ, map[string]any{"in": in}))
}

// posMove runs publishPosition or closePosition (query q) and fails unless it succeeds.
func posMove(t *testing.T, s *Server, token, q, id, wantStatus string) {
	t.Helper()
	got := posOK(t, posDo(t, s, token, q, map[string]any{"id": id}))
	if got.Status != wantStatus {
		t.Fatalf("status: got %s, want %s", got.Status, wantStatus)
	}
}

// posSeed creates a position of unit from in and brings it to status (DRAFT, PUBLISHED or CLOSED).
func posSeed(t *testing.T, s *Server, unit, status string, in map[string]any) string {
	t.Helper()
	tok := s.Unit(t, unit)
	id := posCreate(t, s, tok, in).ID
	if status == "PUBLISHED" || status == "CLOSED" {
		posMove(t, s, tok, posPublishQ, id, "PUBLISHED")
	}
	if status == "CLOSED" {
		posMove(t, s, tok, posCloseQ, id, "CLOSED")
	}
	return id
}

// posList reads one page of positions as token.
func posList(t *testing.T, s *Server, token string, filter map[string]any, first int, after string) posConn {
	t.Helper()
	vars := map[string]any{"first": first}
	if filter != nil {
		vars["f"] = filter
	}
	if after != "" {
		vars["after"] = after
	}
	var out struct{ Positions posConn }
	s.Do(t, token, posListQ, vars).Decode(t, &out)
	return out.Positions
}

// posIDs lists the ids of a page's nodes in order.
func posIDs(c posConn) []string {
	ids := make([]string, len(c.Edges))
	for i, e := range c.Edges {
		ids[i] = e.Node.ID
	}
	return ids
}

// posNewestFirst returns ids sorted newest (largest id) first.
func posNewestFirst(ids ...string) []string {
	out := slices.Clone(ids)
	slices.SortFunc(out, func(a, b string) int {
		var x, y int64
		fmt.Sscan(a, &x)
		fmt.Sscan(b, &y)
		return int(y - x)
	})
	return out
}

// posRow is the stored row of position id as JSON, to prove a refused mutation changed nothing.
func posRow(t *testing.T, s *Server, id string) string {
	t.Helper()
	var row string
	if err := s.DB.Get(&row, `select row_to_json(p)::text from positions p where id = $1`, id); err != nil {
		t.Fatalf("read position %s: %v", id, err)
	}
	return row
}

// posMentions reports whether msg contains val as a whole token (not inside a longer number).
func posMentions(msg, val string) bool {
	re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(val) + `([^0-9.]|\.[^0-9]|\.?$)`)
	return re.MatchString(msg)
}

// posHasHan reports whether s contains a Chinese character.
func posHasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// posSeedYear adds academic year name (consecutive years) with the given weekly cap.
func posSeedYear(t *testing.T, s *Server, name string, weeklyCap int) {
	t.Helper()
	var a, b int
	fmt.Sscanf(name, "%d-%d", &a, &b)
	in := YearInput()
	in["name"], in["maxWeeklyHours"] = name, weeklyCap
	in["startDate"], in["endDate"] = fmt.Sprintf("%d-09-01", a), fmt.Sprintf("%d-07-31", b)
	in["nominationOpensAt"] = fmt.Sprintf("%d-06-01T00:00:00+08:00", b)
	in["nominationClosesAt"] = fmt.Sprintf("%d-06-30T23:59:59+08:00", b)
	var out struct {
		UpsertAcademicYear struct{ UserErrors []UserError }
	}
	s.Do(t, s.Admin(t), `mutation($in: AcademicYearInput!) { upsertAcademicYear(input: $in) { userErrors { code field message } } }`,
		map[string]any{"in": in}).Decode(t, &out)
	if len(out.UpsertAcademicYear.UserErrors) > 0 {
		t.Fatalf("seed year %s: %+v", name, out.UpsertAcademicYear.UserErrors)
	}
}

func TestPositionCreate(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := posTwoUnits(t)

	t.Run("unit staff: fields round-trip", func(t *testing.T) {
		got := posCreate(t, s, s.Unit(t, unitA), PositionInput("数据整理"))
		want := posNode{
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
		var back struct{ Position posNode }
		s.Do(t, s.Unit(t, unitA), posGetQ, map[string]any{"id": got.ID}).Decode(t, &back)
		if back.Position != *got {
			t.Errorf("position(id):\n got %+v\nwant %+v", back.Position, *got)
		}
	})

	t.Run("UTC input is shown in +08:00, pay normalised, text trimmed", func(t *testing.T) {
		in := posInput("  手工录入  ", map[string]any{
			"applyStart": "2026-10-31T16:00:00Z", "applyEnd": "2026-12-30T16:00:00Z",
			"workStart": "2026-12-31T16:00:00Z", "workEnd": "2027-02-28T16:00:00Z",
			"pay": "1200.5", "workTimeRequirement": nil,
		})
		got := posCreate(t, s, s.Unit(t, unitA), in)
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
		got := posCreate(t, s, s.Unit(t, unitA), posInput("本单位", map[string]any{"unitId": unitA}))
		if got.Unit.ID != unitA {
			t.Errorf("unit: got %s, want %s", got.Unit.ID, unitA)
		}
	})

	t.Run("admin with unitId", func(t *testing.T) {
		got := posCreate(t, s, s.Admin(t), posInput("管理员创建", map[string]any{"unitId": unitB}))
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
		field   []string
		mention string
	}{
		{"admin without unitId", func() string { return s.Admin(t) }, PositionInput("x"), []string{"input", "unitId"}, ""},
		{"admin with unknown unit", func() string { return s.Admin(t) }, posInput("x", map[string]any{"unitId": "987654"}), []string{"input", "unitId"}, "987654"},
		{"unit staff naming another unit", func() string { return s.Unit(t, unitA) }, posInput("x", map[string]any{"unitId": unitB}), []string{"input", "unitId"}, ""},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			before := s.Count(t, posCountSQL)
			ue := posOneUserErr(t, posCreateRun(t, s, c.token(), c.in), "VALIDATION", c.field)
			if c.mention != "" && !posMentions(ue.Message, c.mention) {
				t.Errorf("message: got %q, want it to mention %s", ue.Message, c.mention)
			}
			if after := s.Count(t, posCountSQL); after != before {
				t.Errorf("positions: got %d rows, want %d (nothing written)", after, before)
			}
		})
	}

	t.Run("student is FORBIDDEN", func(t *testing.T) {
		before := s.Count(t, posCountSQL)
		r := posDo(t, s, s.Student(t, "20160931"), posCreateQ, map[string]any{"in": PositionInput("x")}).R
		posTopErr(t, r, "FORBIDDEN")
		if after := s.Count(t, posCountSQL); after != before {
			t.Errorf("positions: got %d rows, want %d", after, before)
		}
	})
}

// posCreateRun runs createPosition with input in as token, returning payload and response.
func posCreateRun(t *testing.T, s *Server, token string, in map[string]any) posResult {
	t.Helper()
	return posDo(t, s, token, posCreateQ, map[string]any{"in": in})
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
		change  map[string]any
		field   string
		mention []string // the values found, as the message should show them
	}{
		{"blank title", map[string]any{"title": " \t "}, "title", nil},
		{"empty title", map[string]any{"title": ""}, "title", nil},
		{"title of 101 Chinese characters", map[string]any{"title": han(101)}, "title", []string{"101"}},
		{"description of 5001 characters", map[string]any{"description": strings.Repeat("述", 5001)}, "description", []string{"5001"}},
		{"headcount 0", map[string]any{"headcount": 0}, "headcount", []string{"0"}},
		{"headcount 1001", map[string]any{"headcount": 1001}, "headcount", []string{"1001"}},
		{"negative pay", map[string]any{"pay": "-1.00"}, "pay", []string{"-1.00"}},
		{"weeklyHours 0", map[string]any{"weeklyHours": 0}, "weeklyHours", []string{"0"}},
		{"weeklyHours over the year's cap", map[string]any{"weeklyHours": 21}, "weeklyHours", []string{"21", "20", TestYear}},
		{"workTimeRequirement of 501 characters", map[string]any{"workTimeRequirement": strings.Repeat("时", 501)}, "workTimeRequirement", []string{"501"}},
		{"applyStart equal to applyEnd", map[string]any{"applyStart": "2026-12-31T00:00:00+08:00"}, "applyEnd", []string{"2026-12-31 00:00"}},
		{"applyStart after applyEnd", map[string]any{"applyStart": "2026-12-31T08:00:00+08:00"}, "applyEnd", []string{"2026-12-31 08:00", "2026-12-31 00:00"}},
		{"workStart before applyEnd", map[string]any{"workStart": "2026-12-30T00:00:00+08:00"}, "workStart", []string{"2026-12-30 00:00", "2026-12-31 00:00"}},
		{"workStart equal to workEnd", map[string]any{"workEnd": "2027-01-01T00:00:00+08:00"}, "workEnd", []string{"2027-01-01 00:00"}},
		{"workEnd before workStart", map[string]any{"workEnd": "2026-12-31T12:00:00+08:00"}, "workEnd", []string{"2026-12-31 12:00", "2027-01-01 00:00"}},
		{"unknown academic year", map[string]any{"academicYear": "2030-2031"}, "academicYear", []string{"2030-2031"}},
		{"malformed academic year", map[string]any{"academicYear": "2026"}, "academicYear", []string{"2026"}},
		{"non-consecutive academic year", map[string]any{"academicYear": "2026-2028"}, "academicYear", []string{"2026-2028"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := s.Count(t, posCountSQL)
			ue := posOneUserErr(t, posCreateRun(t, s, tok, posInput("岗位", c.change)), "VALIDATION", []string{"input", c.field})
			for _, v := range c.mention {
				if !posMentions(ue.Message, v) {
					t.Errorf("message: got %q, want it to mention %q", ue.Message, v)
				}
			}
			if after := s.Count(t, posCountSQL); after != before {
				t.Errorf("positions: got %d rows, want %d (nothing written)", after, before)
			}
		})
	}

	t.Run("weeklyHours over both 168 and the year's cap gives one error", func(t *testing.T) {
		before := s.Count(t, posCountSQL)
		ue := posOneUserErr(t, posCreateRun(t, s, tok, posInput("岗位", map[string]any{"weeklyHours": 169})), "VALIDATION", []string{"input", "weeklyHours"})
		if !posMentions(ue.Message, "169") {
			t.Errorf("message: got %q, want it to mention 169", ue.Message)
		}
		if after := s.Count(t, posCountSQL); after != before {
			t.Errorf("positions: got %d rows, want %d", after, before)
		}
	})

	t.Run("pay that is not money is BAD_USER_INPUT", func(t *testing.T) {
		for _, pay := range []any{"abc", "1.234", 2500} {
			before := s.Count(t, posCountSQL)
			r := posCreateRun(t, s, tok, posInput("岗位", map[string]any{"pay": pay})).R
			posTopErr(t, r, "BAD_USER_INPUT")
			if after := s.Count(t, posCountSQL); after != before {
				t.Errorf("pay %v: positions: got %d rows, want %d", pay, after, before)
			}
		}
	})

	t.Run("pay that is not money is explained in Chinese by default", func(t *testing.T) {
		r := posCreateRun(t, s, tok, posInput("岗位", map[string]any{"pay": "abc"})).R
		posTopErr(t, r, "BAD_USER_INPUT")
		if !posHasHan(r.Errors[0].Message) {
			t.Errorf("message: got %q, want Chinese", r.Errors[0].Message)
		}
	})

	t.Run("workTimeRequirement is counted after trimming, like title and description", func(t *testing.T) {
		got := posCreate(t, s, tok, posInput("岗位", map[string]any{"workTimeRequirement": "  " + strings.Repeat("时", 500) + " "}))
		if n := len([]rune(got.WorkTimeRequirement)); n != 500 {
			t.Errorf("workTimeRequirement: got %d characters, want 500", n)
		}
	})

	accepted := []struct {
		name   string
		change map[string]any
	}{
		{"title of 100 Chinese characters", map[string]any{"title": han(100)}},
		{"title of 100 characters inside spaces", map[string]any{"title": "  " + han(100) + " "}},
		{"description of 5000 characters", map[string]any{"description": strings.Repeat("述", 5000)}},
		{"headcount 1 and zero pay", map[string]any{"headcount": 1, "pay": "0"}},
		{"headcount 1000", map[string]any{"headcount": 1000}},
		{"weeklyHours at the year's cap", map[string]any{"weeklyHours": 20}},
		{"workTimeRequirement of 500 characters", map[string]any{"workTimeRequirement": strings.Repeat("时", 500)}},
		{"workStart equal to applyEnd", map[string]any{"workStart": "2026-12-31T00:00:00+08:00"}},
	}
	for _, c := range accepted {
		t.Run("accepts "+c.name, func(t *testing.T) {
			before := s.Count(t, posCountSQL)
			got := posCreate(t, s, tok, posInput("岗位", c.change))
			if v, ok := c.change["title"].(string); ok && got.Title != strings.TrimSpace(v) {
				t.Errorf("title: got %d characters, want %d", len([]rune(got.Title)), len([]rune(strings.TrimSpace(v))))
			}
			if after := s.Count(t, posCountSQL); after != before+1 {
				t.Errorf("positions: got %d rows, want %d", after, before+1)
			}
		})
	}

	t.Run("several bad fields give one error per field", func(t *testing.T) {
		before := s.Count(t, posCountSQL)
		p, r := posCreateRun(t, s, tok, posInput("", map[string]any{
			"headcount": 0, "pay": "-5.00", "weeklyHours": 21, "description": strings.Repeat("a", 5001),
			"workEnd": "2026-12-01T00:00:00+08:00",
		})).split()
		if len(r.Errors) > 0 {
			t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
		}
		var got []string
		for _, ue := range p.UserErrors {
			if ue.Code != "VALIDATION" {
				t.Errorf("code: got %s, want VALIDATION (%+v)", ue.Code, ue)
			}
			got = append(got, strings.Join(ue.Field, "."))
		}
		slices.Sort(got)
		want := []string{"input.description", "input.headcount", "input.pay", "input.title", "input.weeklyHours", "input.workEnd"}
		if !slices.Equal(got, want) {
			t.Errorf("fields: got %v, want %v", got, want)
		}
		if p.Position != nil {
			t.Errorf("position: got %+v, want null", p.Position)
		}
		if after := s.Count(t, posCountSQL); after != before {
			t.Errorf("positions: got %d rows, want %d", after, before)
		}
	})

	t.Run("admin: missing unitId and a bad field are both reported", func(t *testing.T) {
		p, r := posCreateRun(t, s, s.Admin(t), posInput("岗位", map[string]any{"headcount": 0})).split()
		if len(r.Errors) > 0 {
			t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
		}
		var got []string
		for _, ue := range p.UserErrors {
			got = append(got, strings.Join(ue.Field, "."))
		}
		slices.Sort(got)
		if want := []string{"input.headcount", "input.unitId"}; !slices.Equal(got, want) {
			t.Errorf("fields: got %v, want %v", got, want)
		}
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
		change   map[string]any
		headers  []string
		english  bool
		mentions []string
	}{
		{"blank title, default Chinese", map[string]any{"title": " "}, nil, false, []string{"岗位名称"}},
		{"blank title, en", map[string]any{"title": " "}, []string{"Accept-Language", "en"}, true, []string{"title"}},
		{"headcount, zh-CN", map[string]any{"headcount": 0}, []string{"Accept-Language", "zh-CN,zh;q=0.9"}, false, []string{"招聘人数", "0"}},
		{"headcount, en-US first", map[string]any{"headcount": 0}, []string{"Accept-Language", "en-US,en;q=0.9,zh;q=0.5"}, true, []string{"headcount", "0"}},
		{"year cap, en", map[string]any{"weeklyHours": 25}, []string{"Accept-Language", "en"}, true, []string{"weeklyHours", "25", "20"}},
		{"year cap, default Chinese", map[string]any{"weeklyHours": 25}, nil, false, []string{"工作时长", "25", "20"}},
		{"unknown year, en", map[string]any{"academicYear": "2030-2031"}, []string{"Accept-Language", "en"}, true, []string{"2030-2031"}},
		{"date order, en", map[string]any{"workEnd": "2026-12-01T00:00:00+08:00", "workStart": "2026-12-31T00:00:00+08:00"}, []string{"Accept-Language", "en"}, true, []string{"workStart", "workEnd"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := posDo(t, s, tok, posCreateQ, map[string]any{"in": posInput("岗位", c.change)}, c.headers...)
			ue := posOneUserErr(t, res, "VALIDATION", nil)
			if got := posHasHan(ue.Message); got == c.english {
				t.Errorf("message %q: got Chinese=%v, want Chinese=%v", ue.Message, got, !c.english)
			}
			for _, m := range c.mentions {
				if !strings.Contains(ue.Message, m) {
					t.Errorf("message: got %q, want it to contain %q", ue.Message, m)
				}
			}
		})
	}

	t.Run("top-level errors follow the language too", func(t *testing.T) {
		r := s.Do(t, tok, posGetQ, map[string]any{"id": "999999"}, "Accept-Language", "en")
		posTopErr(t, r, "NOT_FOUND")
		if posHasHan(r.Errors[0].Message) {
			t.Errorf("message: got %q, want English", r.Errors[0].Message)
		}
		r = s.Do(t, tok, posGetQ, map[string]any{"id": "999999"})
		posTopErr(t, r, "NOT_FOUND")
		if !posHasHan(r.Errors[0].Message) {
			t.Errorf("message: got %q, want Chinese", r.Errors[0].Message)
		}
	})
}

func TestPositionUpdate(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := posTwoUnits(t)
	tokA := s.Unit(t, unitA)

	edit := posInput("新标题", map[string]any{
		"description": "新描述", "nature": "TEMPORARY", "dutyCategory": "WRITING", "headcount": 5, "pay": "800.00",
		"weeklyHours": 6, "workTimeRequirement": "周末", "applyStart": "2026-11-10T09:00:00+08:00",
		"applyEnd": "2026-12-20T18:00:00+08:00", "workStart": "2026-12-21T00:00:00+08:00", "workEnd": "2027-01-31T00:00:00+08:00",
	})
	for _, status := range []string{"DRAFT", "PUBLISHED"} {
		t.Run(status+" is editable", func(t *testing.T) {
			id := posSeed(t, s, unitA, status, PositionInput("旧标题"))
			got := posOK(t, posDo(t, s, tokA, posUpdateQ, map[string]any{"id": id, "in": edit}))
			want := posNode{
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
			var back struct{ Position posNode }
			s.Do(t, tokA, posGetQ, map[string]any{"id": id}).Decode(t, &back)
			if back.Position != *got {
				t.Errorf("read back:\n got %+v\nwant %+v", back.Position, *got)
			}
		})
	}

	t.Run("admin may edit any unit's position", func(t *testing.T) {
		id := posSeed(t, s, unitB, "DRAFT", PositionInput("B 的岗位"))
		got := posOK(t, posDo(t, s, s.Admin(t), posUpdateQ, map[string]any{"id": id, "in": edit}))
		if got.Title != "新标题" || got.Unit.ID != unitB {
			t.Errorf("got title %q unit %s, want 新标题 unit %s", got.Title, got.Unit.ID, unitB)
		}
	})

	t.Run("CLOSED is INVALID_TRANSITION naming the status", func(t *testing.T) {
		id := posSeed(t, s, unitA, "CLOSED", PositionInput("已关闭岗位"))
		before := posRow(t, s, id)
		for _, lang := range []struct {
			headers []string
			status  string
		}{{nil, "已关闭"}, {[]string{"Accept-Language", "en"}, "CLOSED"}} {
			res := posDo(t, s, tokA, posUpdateQ, map[string]any{"id": id, "in": edit}, lang.headers...)
			ue := posOneUserErr(t, res, "INVALID_TRANSITION", nil)
			if !strings.Contains(ue.Message, lang.status) {
				t.Errorf("message: got %q, want it to name %s", ue.Message, lang.status)
			}
		}
		if after := posRow(t, s, id); after != before {
			t.Errorf("row changed:\n got %s\nwant %s", after, before)
		}
	})

	t.Run("another unit's staff gets NOT_FOUND and nothing changes", func(t *testing.T) {
		id := posSeed(t, s, unitA, "PUBLISHED", PositionInput("A 的岗位"))
		before := posRow(t, s, id)
		r := posDo(t, s, s.Unit(t, unitB), posUpdateQ, map[string]any{"id": id, "in": edit}).R
		posTopErr(t, r, "NOT_FOUND")
		missing := posDo(t, s, s.Unit(t, unitB), posUpdateQ, map[string]any{"id": "987654", "in": edit}).R
		posTopErr(t, missing, "NOT_FOUND")
		if after := posRow(t, s, id); after != before {
			t.Errorf("row changed:\n got %s\nwant %s", after, before)
		}
	})

	t.Run("the unit never changes, whatever unitId says", func(t *testing.T) {
		id := posSeed(t, s, unitA, "DRAFT", PositionInput("A 的岗位"))
		for _, tok := range []string{tokA, s.Admin(t)} {
			res := posDo(t, s, tok, posUpdateQ, map[string]any{"id": id, "in": posInput("改名", map[string]any{"unitId": unitB})})
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
		id := posSeed(t, s, unitA, "PUBLISHED", PositionInput("A 的岗位"))
		before := posRow(t, s, id)
		r := posDo(t, s, s.Student(t, "20160931"), posUpdateQ, map[string]any{"id": id, "in": edit}).R
		posTopErr(t, r, "FORBIDDEN")
		if after := posRow(t, s, id); after != before {
			t.Errorf("row changed:\n got %s\nwant %s", after, before)
		}
	})

	invalid := []struct {
		name   string
		change map[string]any
		fields []string
	}{
		{"blank title", map[string]any{"title": "  "}, []string{"input.title"}},
		{"headcount 0", map[string]any{"headcount": 0}, []string{"input.headcount"}},
		{"negative pay", map[string]any{"pay": "-0.01"}, []string{"input.pay"}},
		{"weeklyHours over cap", map[string]any{"weeklyHours": 21}, []string{"input.weeklyHours"}},
		{"window reversed", map[string]any{"applyStart": "2027-01-01T00:00:00+08:00"}, []string{"input.applyEnd"}},
		{"unknown year", map[string]any{"academicYear": "2030-2031"}, []string{"input.academicYear"}},
		{"several", map[string]any{"title": "", "headcount": 1001, "workEnd": "2026-01-01T00:00:00+08:00"}, []string{"input.headcount", "input.title", "input.workEnd"}},
	}
	for _, status := range []string{"DRAFT", "PUBLISHED"} {
		id := posSeed(t, s, unitA, status, PositionInput("原样"))
		for _, c := range invalid {
			t.Run(status+": "+c.name+" changes nothing", func(t *testing.T) {
				before := posRow(t, s, id)
				in := posInput("改了", c.change)
				in["description"] = "改了"
				p, r := posDo(t, s, tokA, posUpdateQ, map[string]any{"id": id, "in": in}).split()
				if len(r.Errors) > 0 {
					t.Fatalf("top-level errors: got %+v, want userErrors", r.Errors)
				}
				var got []string
				for _, ue := range p.UserErrors {
					if ue.Code != "VALIDATION" {
						t.Errorf("code: got %s, want VALIDATION", ue.Code)
					}
					got = append(got, strings.Join(ue.Field, "."))
				}
				slices.Sort(got)
				if !slices.Equal(got, c.fields) {
					t.Errorf("fields: got %v, want %v", got, c.fields)
				}
				if after := posRow(t, s, id); after != before {
					t.Errorf("row changed:\n got %s\nwant %s", after, before)
				}
			})
		}
	}
}

func TestPositionPublishClose(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := posTwoUnits(t)
	tokA := s.Unit(t, unitA)
	en := []string{"Accept-Language", "en"}
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
		pub := posOK(t, posDo(t, s, tokA, posPublishQ, map[string]any{"id": id}))
		if pub.Status != "PUBLISHED" || !pub.OpenNow {
			t.Errorf("after publish: got status %s openNow %v, want PUBLISHED true", pub.Status, pub.OpenNow)
		}
		if got := status(t, id); got != "PUBLISHED" {
			t.Errorf("stored status: got %s, want PUBLISHED", got)
		}
		closed := posOK(t, posDo(t, s, tokA, posCloseQ, map[string]any{"id": id}))
		if closed.Status != "CLOSED" || closed.OpenNow {
			t.Errorf("after close: got status %s openNow %v, want CLOSED false", closed.Status, closed.OpenNow)
		}
		if got := status(t, id); got != "CLOSED" {
			t.Errorf("stored status: got %s, want CLOSED", got)
		}
	})

	t.Run("admin may publish and close any unit's position", func(t *testing.T) {
		id := s.SeedPosition(t, unitB, "DRAFT", PositionInput("B 岗位"))
		posMove(t, s, s.Admin(t), posPublishQ, id, "PUBLISHED")
		posMove(t, s, s.Admin(t), posCloseQ, id, "CLOSED")
	})

	refused := []struct {
		name   string
		from   string
		q      string
		zh, en string
	}{
		{"publish twice", "PUBLISHED", posPublishQ, "已发布", "PUBLISHED"},
		{"close a DRAFT", "DRAFT", posCloseQ, "草稿", "DRAFT"},
		{"close twice", "CLOSED", posCloseQ, "已关闭", "CLOSED"},
		{"publish a CLOSED", "CLOSED", posPublishQ, "已关闭", "CLOSED"},
	}
	for _, c := range refused {
		t.Run(c.name+" is INVALID_TRANSITION", func(t *testing.T) {
			id := posSeed(t, s, unitA, c.from, PositionInput("状态机"))
			before := posRow(t, s, id)
			res := posDo(t, s, tokA, c.q, map[string]any{"id": id})
			ue := posOneUserErr(t, res, "INVALID_TRANSITION", nil)
			if !strings.Contains(ue.Message, c.zh) {
				t.Errorf("message: got %q, want it to name %s", ue.Message, c.zh)
			}
			res = posDo(t, s, tokA, c.q, map[string]any{"id": id}, en...)
			ue = posOneUserErr(t, res, "INVALID_TRANSITION", nil)
			if !strings.Contains(ue.Message, c.en) {
				t.Errorf("message: got %q, want it to name %s", ue.Message, c.en)
			}
			if after := posRow(t, s, id); after != before {
				t.Errorf("row changed:\n got %s\nwant %s", after, before)
			}
		})
	}

	t.Run("concurrent publishes: exactly one wins", func(t *testing.T) {
		id := s.SeedPosition(t, unitA, "DRAFT", PositionInput("并发"))
		const n = 12
		results := make(chan posResult, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results <- posDo(t, s, tokA, posPublishQ, map[string]any{"id": id})
			}()
		}
		wg.Wait()
		close(results)
		won, refused := 0, 0
		for res := range results {
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
		{"publish", "DRAFT", posPublishQ}, {"close", "PUBLISHED", posCloseQ},
	} {
		t.Run(c.name+": another unit's staff gets NOT_FOUND", func(t *testing.T) {
			id := posSeed(t, s, unitA, c.from, PositionInput("A 岗位"))
			r := posDo(t, s, s.Unit(t, unitB), c.q, map[string]any{"id": id}).R
			posTopErr(t, r, "NOT_FOUND")
			missing := posDo(t, s, tokA, c.q, map[string]any{"id": "987654"}).R
			posTopErr(t, missing, "NOT_FOUND")
			if got := status(t, id); got != c.from {
				t.Errorf("status: got %s, want %s", got, c.from)
			}
		})
		t.Run(c.name+": student is FORBIDDEN", func(t *testing.T) {
			id := posSeed(t, s, unitA, c.from, PositionInput("A 岗位"))
			r := posDo(t, s, s.Student(t, "20160931"), c.q, map[string]any{"id": id}).R
			posTopErr(t, r, "FORBIDDEN")
			if got := status(t, id); got != c.from {
				t.Errorf("status: got %s, want %s", got, c.from)
			}
		})
	}
}

func TestPositionCopy(t *testing.T) {
	t.Parallel()
	s, unitA, unitB := posTwoUnits(t)
	tokA := s.Unit(t, unitA)
	src := posInput("数据整理", map[string]any{
		"description": "整理问卷数据", "nature": "TEMPORARY", "dutyCategory": "WRITING", "headcount": 2, "pay": "666.60",
		"weeklyHours": 8, "workTimeRequirement": "周三下午",
	})
	// same reports whether b has a's fields (all but id, title, status, openNow and times of the row).
	same := func(t *testing.T, got, want *posNode) {
		t.Helper()
		g, w := *got, *want
		g.ID, g.Title, g.Status, g.OpenNow, g.CreatedAt, g.UpdatedAt = "", "", "", false, "", ""
		w.ID, w.Title, w.Status, w.OpenNow, w.CreatedAt, w.UpdatedAt = "", "", "", false, "", ""
		if g != w {
			t.Errorf("copied fields:\n got %+v\nwant %+v", g, w)
		}
	}
	copyOf := func(t *testing.T, token, id string, title any) posResult {
		t.Helper()
		return posDo(t, s, token, posCopyQ, map[string]any{"id": id, "title": title})
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
			id := posSeed(t, s, unitA, c.status, src)
			var orig struct{ Position posNode }
			s.Do(t, tokA, posGetQ, map[string]any{"id": id}).Decode(t, &orig)
			before := posRow(t, s, id)
			n := s.Count(t, posCountSQL)
			got := posOK(t, copyOf(t, tokA, id, c.title))
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
			if m := s.Count(t, posCountSQL); m != n+1 {
				t.Errorf("positions: got %d rows, want %d", m, n+1)
			}
			if after := posRow(t, s, id); after != before {
				t.Errorf("source changed:\n got %s\nwant %s", after, before)
			}
		})
	}

	t.Run("admin copies any unit's position into that unit", func(t *testing.T) {
		id := posSeed(t, s, unitB, "DRAFT", src)
		got := posOK(t, copyOf(t, s.Admin(t), id, nil))
		if got.Unit.ID != unitB {
			t.Errorf("unit: got %s, want %s", got.Unit.ID, unitB)
		}
	})

	t.Run("another unit's staff gets NOT_FOUND", func(t *testing.T) {
		id := posSeed(t, s, unitA, "PUBLISHED", src)
		n := s.Count(t, posCountSQL)
		r := copyOf(t, s.Unit(t, unitB), id, nil).R
		posTopErr(t, r, "NOT_FOUND")
		missing := copyOf(t, tokA, "987654", nil).R
		posTopErr(t, missing, "NOT_FOUND")
		if m := s.Count(t, posCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
	})

	t.Run("student is FORBIDDEN", func(t *testing.T) {
		id := posSeed(t, s, unitA, "PUBLISHED", src)
		n := s.Count(t, posCountSQL)
		r := copyOf(t, s.Student(t, "20160931"), id, nil).R
		posTopErr(t, r, "FORBIDDEN")
		if m := s.Count(t, posCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
	})

	t.Run("explicit blank title is VALIDATION", func(t *testing.T) {
		id := posSeed(t, s, unitA, "DRAFT", src)
		n := s.Count(t, posCountSQL)
		for _, title := range []string{"", "   "} {
			ue := posOneUserErr(t, copyOf(t, tokA, id, title), "VALIDATION", nil)
			if len(ue.Field) == 0 || ue.Field[len(ue.Field)-1] != "title" {
				t.Errorf("field: got %q, want a path ending in title", ue.Field)
			}
		}
		if m := s.Count(t, posCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
	})

	t.Run("default title too long for 100 characters is VALIDATION; a chosen title works", func(t *testing.T) {
		id := posSeed(t, s, unitA, "DRAFT", posInput(strings.Repeat("长", 100), nil))
		n := s.Count(t, posCountSQL)
		ue := posOneUserErr(t, copyOf(t, tokA, id, nil), "VALIDATION", nil)
		if !posMentions(ue.Message, "103") {
			t.Errorf("message: got %q, want it to mention 103", ue.Message)
		}
		if m := s.Count(t, posCountSQL); m != n {
			t.Errorf("positions: got %d rows, want %d", m, n)
		}
		if got := posOK(t, copyOf(t, tokA, id, "短标题")); got.Title != "短标题" {
			t.Errorf("title: got %q, want 短标题", got.Title)
		}
	})

	t.Run("explicit blank title error names the title argument", func(t *testing.T) {
		id := posSeed(t, s, unitA, "DRAFT", src)
		res := copyOf(t, tokA, id, " ")
		posOneUserErr(t, res, "VALIDATION", []string{"title"})
	})
}

// posVisibilityFixture creates, in unit A: a DRAFT, a PUBLISHED and a CLOSED position; in unit B: a
// DRAFT and a PUBLISHED one.
type posVisibilityFixture struct {
	unitA, unitB                string
	aDraft, aPublished, aClosed string
	bDraft, bPublished          string
}

func TestPositionVisibility(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160931")
	f := posVisibilityFixture{unitA: s.SeedUnit(t, "研究生院"), unitB: s.SeedUnit(t, "基础医学院")}
	f.aDraft = posSeed(t, s, f.unitA, "DRAFT", PositionInput("A 草稿"))
	f.aPublished = posSeed(t, s, f.unitA, "PUBLISHED", PositionInput("A 已发布"))
	f.aClosed = posSeed(t, s, f.unitA, "CLOSED", PositionInput("A 已关闭"))
	f.bDraft = posSeed(t, s, f.unitB, "DRAFT", PositionInput("B 草稿"))
	f.bPublished = posSeed(t, s, f.unitB, "PUBLISHED", PositionInput("B 已发布"))
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
			got := posList(t, s, c.token, c.filter, 50, "")
			want := posNewestFirst(c.want...)
			if ids := posIDs(got); !slices.Equal(ids, want) {
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
			r := s.Do(t, c.token, posGetQ, map[string]any{"id": c.id})
			if c.ok {
				var out struct{ Position posNode }
				r.Decode(t, &out)
				if out.Position.ID != c.id {
					t.Errorf("id: got %s, want %s", out.Position.ID, c.id)
				}
				return
			}
			posTopErr(t, r, "NOT_FOUND")
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
			posTopErr(t, s.Do(t, admin, posGetQ, map[string]any{"id": id}), "BAD_USER_INPUT")
		}
	})
}

func TestPositionFilters(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	posSeedYear(t, s, "2027-2028", 20)
	s.SeedStudents(t, "20160931")
	unitA, unitB := s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "基础医学院")
	p1 := posSeed(t, s, unitA, "PUBLISHED", posInput("数据整理助理", map[string]any{"description": "整理科研数据"}))
	p2 := posSeed(t, s, unitA, "PUBLISHED", posInput("Poster Designer", map[string]any{
		"description": "Make posters for EVENTS", "nature": "TEMPORARY", "dutyCategory": "POSTER_DESIGN"}))
	p3 := posSeed(t, s, unitA, "PUBLISHED", posInput("活动策划", map[string]any{
		"description": "学术会议 100% 投入", "nature": "TEMPORARY", "dutyCategory": "EVENT_PLANNING", "academicYear": "2027-2028"}))
	p4 := posSeed(t, s, unitB, "PUBLISHED", posInput("摄影 under_score", map[string]any{
		"description": "拍照", "dutyCategory": "PHOTO_VIDEO"}))
	p5 := posSeed(t, s, unitA, "DRAFT", posInput("草稿 POSTER", map[string]any{
		"description": "未发布", "nature": "TEMPORARY", "dutyCategory": "POSTER_DESIGN"}))
	p6 := posSeed(t, s, unitA, "CLOSED", posInput("closed job", map[string]any{"description": "旧岗位 back\\slash"}))
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
			got := posList(t, s, c.token, c.filter, 100, "")
			want := posNewestFirst(c.want...)
			if ids := posIDs(got); !slices.Equal(ids, want) {
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
	early := posSeed(t, s, unit, "PUBLISHED", PositionInput("十一月窗口"))
	late := posSeed(t, s, unit, "PUBLISHED", posInput("一月窗口", map[string]any{
		"applyStart": "2027-01-10T00:00:00+08:00", "applyEnd": "2027-01-20T00:00:00+08:00",
		"workStart": "2027-02-01T00:00:00+08:00", "workEnd": "2027-03-01T00:00:00+08:00"}))
	draft := posSeed(t, s, unit, "DRAFT", PositionInput("草稿同窗口"))
	closed := posSeed(t, s, unit, "CLOSED", PositionInput("已关闭同窗口"))
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
			want := posNewestFirst(c.open...)
			got := posList(t, s, admin, map[string]any{"openNow": true}, 50, "")
			if ids := posIDs(got); !slices.Equal(ids, want) || got.TotalCount != len(want) {
				t.Errorf("admin openNow=true: got %v (total %d), want %v", ids, got.TotalCount, want)
			}
			got = posList(t, s, student, map[string]any{"openNow": true}, 50, "")
			if ids := posIDs(got); !slices.Equal(ids, want) || got.TotalCount != len(want) {
				t.Errorf("student openNow=true: got %v (total %d), want %v", ids, got.TotalCount, want)
			}
			var rest []string
			for _, id := range all {
				if !slices.Contains(c.open, id) {
					rest = append(rest, id)
				}
			}
			rest = posNewestFirst(rest...)
			got = posList(t, s, admin, map[string]any{"openNow": false}, 50, "")
			if ids := posIDs(got); !slices.Equal(ids, rest) || got.TotalCount != len(rest) {
				t.Errorf("admin openNow=false: got %v (total %d), want %v", ids, got.TotalCount, rest)
			}
			// The openNow field agrees with the filter.
			got = posList(t, s, admin, nil, 50, "")
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
			page := posList(t, s, token, filter, first, after)
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
			posMove(t, s, tok, posPublishQ, id, "PUBLISHED")
		}
		var ids []string
		after := ""
		for i := 0; i < 5; i++ {
			page := posList(t, s, s.Student(t, "20160931"), map[string]any{"unitId": unit}, 3, after)
			if page.TotalCount != 4 {
				t.Errorf("totalCount: got %d, want 4", page.TotalCount)
			}
			ids = append(ids, posIDs(page)...)
			if !page.PageInfo.HasNextPage {
				break
			}
			after = *page.PageInfo.EndCursor
		}
		if want := posNewestFirst(pub...); !slices.Equal(ids, want) {
			t.Errorf("ids: got %v, want %v", ids, want)
		}
	})

	t.Run("a cursor past the last item gives an empty last page", func(t *testing.T) {
		page := posList(t, s, s.Unit(t, unit), nil, 7, "")
		last := page.Edges[len(page.Edges)-1].Cursor
		next := posList(t, s, s.Unit(t, unit), nil, 3, last)
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
			posTopErr(t, r, "BAD_USER_INPUT")
		})
	}

	t.Run("first given inline is checked too", func(t *testing.T) {
		for _, first := range []int{0, 101} {
			r := s.Do(t, s.Admin(t), fmt.Sprintf(`{ positions(first: %d) { totalCount } }`, first), nil)
			posTopErr(t, r, "BAD_USER_INPUT")
		}
	})
}

// posUnitsQ lists every unit the caller sees with the positions under it.
const posUnitsQ = `query($first: Int) { units { id name positions(first: $first) {
	totalCount pageInfo { hasNextPage endCursor } edges { node { id status unit { id } } } } } }`

func TestPositionUnitPositions(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160931")
	unitA, unitB := s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "基础医学院")
	aDraft := posSeed(t, s, unitA, "DRAFT", PositionInput("A 草稿"))
	aPub := posSeed(t, s, unitA, "PUBLISHED", PositionInput("A 已发布"))
	aClosed := posSeed(t, s, unitA, "CLOSED", PositionInput("A 已关闭"))
	bDraft := posSeed(t, s, unitB, "DRAFT", PositionInput("B 草稿"))
	bPub := posSeed(t, s, unitB, "PUBLISHED", PositionInput("B 已发布"))
	bPub2 := posSeed(t, s, unitB, "PUBLISHED", PositionInput("B 已发布 2"))

	type unitRow struct {
		ID        string
		Positions posConn
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
			s.Do(t, c.token, posUnitsQ, map[string]any{"first": 10}).Decode(t, &out)
			if len(out.Units) != len(c.want) {
				t.Fatalf("units: got %d, want %d (%+v)", len(out.Units), len(c.want), out.Units)
			}
			for _, u := range out.Units {
				want, ok := c.want[u.ID]
				if !ok {
					t.Errorf("unit %s: got it listed, want it hidden", u.ID)
					continue
				}
				want = posNewestFirst(want...)
				if ids := posIDs(u.Positions); !slices.Equal(ids, want) {
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
		s.Do(t, s.Student(t, "20160931"), posUnitsQ, map[string]any{"first": 1}).Decode(t, &out)
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
			posTopErr(t, s.Do(t, s.Admin(t), posUnitsQ, map[string]any{"first": first}), "BAD_USER_INPUT")
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
		{"position(id)", posGetQ, map[string]any{"id": id}},
		{"createPosition", posCreateQ, map[string]any{"in": posInput("x", map[string]any{"unitId": unit})}},
		{"publishPosition", posPublishQ, map[string]any{"id": id}},
	}
	for _, tk := range tokens {
		for _, op := range ops {
			t.Run(tk.name+": "+op.name, func(t *testing.T) {
				n := s.Count(t, posCountSQL)
				r := s.Do(t, tk.token, op.query, op.vars)
				posTopErr(t, r, "UNAUTHENTICATED")
				if string(r.Data) != "null" {
					t.Errorf("data: got %s, want null", r.Data)
				}
				if m := s.Count(t, posCountSQL); m != n {
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

// posTwoUnits is the setting of the position tests: this year, two units (研究生院 and 基础医学院)
// and student 20160931.
func posTwoUnits(t *testing.T) (s *Server, unitA, unitB string) {
	t.Helper()
	s = NewServer(t)
	s.SeedYear(t)
	unitA = s.SeedUnit(t, "研究生院")
	unitB = s.SeedUnit(t, "基础医学院")
	s.SeedStudents(t, "20160931")
	return s, unitA, unitB
}
