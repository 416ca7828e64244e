package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// End-to-end tests of the employment history (聘用历史查看) over HTTP: which rows appear, their
// fields, who sees what, filters, every order in both directions with paging, bad paging input,
// column preferences, history units, and which SQL a page sends.

// historyAllFields selects every column of a HistoryRow.
const historyAllFields = `id status statusLabel unit { id name } positionTitle paidAmount nature description
	applyStart applyEnd workStart workEnd workTimeRequirement`

// allHistoryColumns is every HistoryColumn in SPEC order.
var allHistoryColumns = []string{"STATUS", "UNIT", "POSITION_TITLE", "PAID_AMOUNT", "NATURE", "DESCRIPTION",
	"APPLY_START", "APPLY_END", "WORK_START", "WORK_END", "WORK_TIME_REQUIREMENT"}

// historyQuery builds an employmentHistory query selecting the node fields given, and totalCount when asked.
func historyQuery(nodeFields string, withTotal bool) string {
	total := ""
	if withTotal {
		total = "totalCount"
	}
	return `query($f: HistoryFilter, $o: HistoryOrder, $n: Int, $a: String, $s: String) {
		employmentHistory(filter: $f, orderBy: $o, first: $n, after: $a, studentNo: $s) {
			` + total + ` pageInfo { hasNextPage endCursor } edges { cursor node { ` + nodeFields + ` } } } }`
}

// historyNode is a HistoryRow; Application is read only where a test selects it.
type historyNode struct {
	ID                  string
	Status              string
	StatusLabel         string
	Unit                struct{ ID, Name string }
	PositionTitle       string
	PaidAmount          string
	Nature              string
	Description         string
	ApplyStart          string
	ApplyEnd            string
	WorkStart           string
	WorkEnd             string
	WorkTimeRequirement string
	Application         *struct {
		Status   string
		Timeline []struct{ Event string }
	}
}

// historyConnection is a HistoryConnection; TotalCount is nil unless selected.
type historyConnection struct {
	TotalCount *int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   *string
	}
	Edges []struct {
		Cursor string
		Node   historyNode
	}
}

// ids returns the rows' ids in page order.
func (c historyConnection) ids() []string {
	out := []string{}
	for _, e := range c.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// byID returns the rows by id.
func (c historyConnection) byID() map[string]historyNode {
	m := map[string]historyNode{}
	for _, e := range c.Edges {
		m[e.Node.ID] = e.Node
	}
	return m
}

// historyVars is the variables kv (name, value pairs) without the nil ones, so that absent
// arguments take their schema defaults.
func historyVars(kv ...any) map[string]any { return With(map[string]any{}, kv...) }

// historyPage runs a history query that must succeed.
func historyPage(t *testing.T, s *Server, token, query string, vars map[string]any) historyConnection {
	t.Helper()
	var out struct{ EmploymentHistory historyConnection }
	s.Do(t, token, query, vars).Decode(t, &out)
	return out.EmploymentHistory
}

// historySameSet reports whether a and b hold the same ids, in any order.
func historySameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// seedHistoryPosition seeds a published position of unit: PositionInput(title, kv...) at five
// hours a week, so that student A's overlapping confirmed employments stay under the year's
// weekly cap, which confirmApplication enforces.
func seedHistoryPosition(t *testing.T, s *Server, unit, title string, kv ...any) string {
	t.Helper()
	return s.SeedPosition(t, unit, "PUBLISHED", PositionInput(title, append([]any{"weeklyHours", 5}, kv...)...))
}

// historyFixture is a school with rows in every history status and a few that must never appear.
//
//	unit U1 (研究生院): P1 "数据整理" and P2, an exact copy of P1 (equal sort keys on every position
//	  column), P5 "档案data整理"
//	unit U2 (基础医学院): P3 "Data_录入 100%" (TEMPORARY), P4 "海报设计" (TEMPORARY, year 2027-2028),
//	  P6 "摄影" (only APPLIED / REJECTED / WITHDRAWN applications)
//	unit U3 (药学院): nothing
//	student A: a1 P1 HIRED, a2 P2 CONFIRMED paid 1200.50 + 2500.00, a3 P3 DECLINED, a4 P4 DISMISSED,
//	  a5 P5 CONFIRMED paid 800.00; on P6 one WITHDRAWN, one REJECTED, one APPLIED
//	student B: b1 P1 CONFIRMED paid 300.00, b2 P5 HIRED; on P6 one APPLIED
type historyFixture struct {
	s                      *Server
	U1, U2, U3             string
	P1, P2, P3, P4, P5, P6 string
	A, B                   string // student numbers
	a1, a2, a3, a4, a5     string
	b1, b2                 string
	never                  []string // applications that must never be rows
}

// aRows, bRows and allRows are the history rows of student A, of student B and of both.
func (f *historyFixture) aRows() []string   { return []string{f.a1, f.a2, f.a3, f.a4, f.a5} }
func (f *historyFixture) bRows() []string   { return []string{f.b1, f.b2} }
func (f *historyFixture) allRows() []string { return append(f.aRows(), f.bRows()...) }

// newHistoryFixture seeds historyFixture on a server of its own; it leaves the clock in February
// 2027, after the work records.
func newHistoryFixture(t *testing.T) *historyFixture {
	t.Helper()
	s := NewServer(t)
	f := &historyFixture{s: s, A: "20160931", B: "20160932"}
	s.SeedYear(t)
	s.UpsertYear(t, YearInputOf("2027-2028"))
	f.U1, f.U2, f.U3 = s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "基础医学院"), s.SeedUnit(t, "药学院")
	s.SeedStudents(t, f.A, f.B)
	s.SeedProfile(t, f.A, ProfileInput(TestYear))
	s.SeedProfile(t, f.A, ProfileInput("2027-2028"))
	s.SeedProfile(t, f.B, ProfileInput(TestYear))

	// P2 repeats P1 to the letter: PositionInput's description, nature and work-time requirement.
	f.P1 = seedHistoryPosition(t, s, f.U1, "数据整理")
	f.P2 = seedHistoryPosition(t, s, f.U1, "数据整理")
	f.P3 = seedHistoryPosition(t, s, f.U2, "Data_录入 100%", "description", "录入问卷", "nature", "TEMPORARY",
		"workTimeRequirement", "周末", "applyStart", "2026-11-02T08:30:00+08:00", "applyEnd", "2026-12-20T18:00:00+08:00",
		"workStart", "2027-01-05T09:00:00+08:00", "workEnd", "2027-01-20T17:00:00+08:00", "pay", "600.00")
	f.P4 = seedHistoryPosition(t, s, f.U2, "海报设计", "description", "设计海报", "nature", "TEMPORARY",
		"workTimeRequirement", "随时", "applyStart", "2026-11-10T00:00:00+08:00", "applyEnd", "2026-12-31T00:00:00+08:00",
		"workStart", "2027-09-01T00:00:00+08:00", "workEnd", "2027-10-01T00:00:00+08:00", "academicYear", "2027-2028")
	f.P5 = seedHistoryPosition(t, s, f.U1, "档案data整理", "description", "扫描档案", "nature", "LONG_TERM",
		"workTimeRequirement", "周三下午", "applyStart", "2026-11-05T00:00:00+08:00", "applyEnd", "2026-12-15T00:00:00+08:00",
		"workStart", "2027-01-01T00:00:00+08:00", "workEnd", "2027-06-30T00:00:00+08:00")
	f.P6 = seedHistoryPosition(t, s, f.U2, "摄影", "description", "拍照", "nature", "TEMPORARY")

	// Applications in this order: the default order (newest first) is the reverse of it.
	f.a1 = s.Drive(t, f.U1, f.A, f.P1, "HIRED")
	f.a2 = s.Drive(t, f.U1, f.A, f.P2, "CONFIRMED")
	f.a3 = s.Drive(t, f.U2, f.A, f.P3, "DECLINED")
	f.a4 = s.Drive(t, f.U2, f.A, f.P4, "DISMISSED")
	f.a5 = s.Drive(t, f.U1, f.A, f.P5, "CONFIRMED")
	f.b1 = s.Drive(t, f.U1, f.B, f.P1, "CONFIRMED")
	f.b2 = s.Drive(t, f.U1, f.B, f.P5, "HIRED")
	f.never = []string{
		s.Drive(t, f.U2, f.A, f.P6, "WITHDRAWN"),
		s.Drive(t, f.U2, f.A, f.P6, "REJECTED"),
		s.Apply(t, f.A, f.P6),
		s.Apply(t, f.B, f.P6),
	}

	// Paid amount before any record.
	h := historyPage(t, s, s.Student(t, f.A), historyQuery("id status paidAmount", false), nil).byID()
	if got := h[f.a2]; got.Status != "CONFIRMED" || got.PaidAmount != "0.00" {
		t.Fatalf("confirmed row before any work record: got %+v, want CONFIRMED and paidAmount 0.00", got)
	}

	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	s.RecordWork(t, f.U1, f.a2, "2027-01", 30, "1200.50")
	s.RecordWork(t, f.U1, f.a2, "2027-02", 20, "2500.00")
	s.RecordWork(t, f.U1, f.a5, "2027-01", 10, "800.00")
	s.RecordWork(t, f.U1, f.b1, "2027-01", 10, "300.00")
	return f
}

// historyCollationRank orders strings as the database's collation does: rank 0 is the smallest; equal strings share a rank.
func historyCollationRank(t *testing.T, s *Server, values []string) map[string]int {
	t.Helper()
	var sorted []string
	list, _ := json.Marshal(values)
	if err := s.DB.Select(&sorted, `SELECT DISTINCT v FROM jsonb_array_elements_text($1::jsonb) v ORDER BY v`, string(list)); err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for i, v := range sorted {
		m[v] = i
	}
	return m
}

// historySortKeys computes, for one order column, each row's sort key from the row's own values.
func historySortKeys(t *testing.T, s *Server, rows []historyNode, column string) map[string]int64 {
	t.Helper()
	keys := map[string]int64{}
	text := func(get func(historyNode) string) {
		var vals []string
		for _, r := range rows {
			vals = append(vals, get(r))
		}
		rank := historyCollationRank(t, s, vals)
		for _, r := range rows {
			keys[r.ID] = int64(rank[get(r)])
		}
	}
	tm := func(get func(historyNode) string) {
		for _, r := range rows {
			keys[r.ID] = mustTime(t, get(r)).UnixNano()
		}
	}
	switch column {
	case "":
		for _, r := range rows {
			keys[r.ID] = historyRowID(t, r.ID)
		}
	case "STATUS": // the life-cycle order of the HistoryRow doc: HIRED, CONFIRMED, DECLINED, DISMISSED
		for _, r := range rows {
			i := slices.Index([]string{"HIRED", "CONFIRMED", "DECLINED", "DISMISSED"}, r.Status)
			if i < 0 {
				t.Fatalf("row %s has status %s", r.ID, r.Status)
			}
			keys[r.ID] = int64(i)
		}
	case "UNIT":
		text(func(r historyNode) string { return r.Unit.Name })
	case "POSITION_TITLE":
		text(func(r historyNode) string { return r.PositionTitle })
	case "PAID_AMOUNT":
		for _, r := range rows {
			yuan, err := strconv.ParseFloat(r.PaidAmount, 64)
			if err != nil {
				t.Fatalf("paidAmount %q: %v", r.PaidAmount, err)
			}
			keys[r.ID] = int64(yuan*100 + 0.5)
		}
	case "NATURE":
		text(func(r historyNode) string { return r.Nature })
	case "DESCRIPTION":
		text(func(r historyNode) string { return r.Description })
	case "APPLY_START":
		tm(func(r historyNode) string { return r.ApplyStart })
	case "APPLY_END":
		tm(func(r historyNode) string { return r.ApplyEnd })
	case "WORK_START":
		tm(func(r historyNode) string { return r.WorkStart })
	case "WORK_END":
		tm(func(r historyNode) string { return r.WorkEnd })
	case "WORK_TIME_REQUIREMENT":
		text(func(r historyNode) string { return r.WorkTimeRequirement })
	default:
		t.Fatalf("unknown column %s", column)
	}
	return keys
}

// historyRowID is a row's id as the number it sorts by.
func historyRowID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	return n
}

// historyExpectedOrder sorts ids by key, ties by id, both in the direction given.
func historyExpectedOrder(t *testing.T, keys map[string]int64, desc bool) []string {
	t.Helper()
	ids := make([]string, 0, len(keys))
	for id := range keys {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		ki, kj := keys[ids[i]], keys[ids[j]]
		less := ki < kj || (ki == kj && historyRowID(t, ids[i]) < historyRowID(t, ids[j]))
		if desc {
			return !less
		}
		return less
	})
	return ids
}

// historyPageAll pages through the history with first: n, checking every page, and returns the ids in order.
func historyPageAll(t *testing.T, s *Server, token string, order map[string]any, filter map[string]any, n, wantTotal int) []string {
	t.Helper()
	var ids []string
	var after any
	for page := 1; ; page++ {
		c := historyPage(t, s, token, historyQuery("id", true), historyVars("o", order, "f", filter, "n", n, "a", after))
		if c.TotalCount == nil || *c.TotalCount != wantTotal {
			t.Fatalf("order %v page %d: totalCount %v, want %d", order, page, c.TotalCount, wantTotal)
		}
		if len(c.Edges) > n {
			t.Fatalf("order %v page %d: %d rows for first %d", order, page, len(c.Edges), n)
		}
		ids = append(ids, c.ids()...)
		if len(ids) > wantTotal+n {
			t.Fatalf("order %v: paging does not end: %v", order, ids)
		}
		if len(c.Edges) > 0 && (c.PageInfo.EndCursor == nil || *c.PageInfo.EndCursor != c.Edges[len(c.Edges)-1].Cursor) {
			t.Fatalf("order %v page %d: endCursor %v is not the last edge's cursor", order, page, c.PageInfo.EndCursor)
		}
		if !c.PageInfo.HasNextPage {
			if len(ids) != wantTotal {
				t.Fatalf("order %v: hasNextPage false after %d of %d rows: %v", order, len(ids), wantTotal, ids)
			}
			return ids
		}
		if len(c.Edges) != n {
			t.Fatalf("order %v page %d: hasNextPage with a short page of %d", order, page, len(c.Edges))
		}
		after = *c.PageInfo.EndCursor
	}
}

// historyCaptureSQL runs one operation while the test holds an exclusive lock on applications, reads
// the text of the server's statement that waits for the lock from pg_stat_activity, then lets it
// go. It returns the SQL of the first statement that touched applications, lower-cased.
//
// The operation goes to a fresh instance of the server (historyCaptureServer), and only the sessions
// of that instance's pool are read. The store prepares each statement text it has not seen yet in
// the background, on another connection of its pool, and the preparation waits for the lock like
// the statement itself. On a shared server a preparation started by an earlier operation (the
// previous capture's statement, or a set-up INSERT INTO applications) could still be waiting, or
// only then start, while this capture held the lock, and its text was read in place of the
// operation's: TestHistoryE2EProjection failed now and then on the previous capture's SQL. A
// fresh instance has seen no other statement, so whatever of its pool waits is this operation's.
func historyCaptureSQL(t *testing.T, s *Server, token, query string, vars map[string]any) (string, Response) {
	t.Helper()
	base, appName := historyCaptureServer(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `LOCK TABLE applications IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	type result struct {
		r   Response
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := PostOp(base, token, query, vars)
		done <- result{r, err}
	}()
	var sql string
	for sql == "" {
		var qs []string
		// Polled outside the locking transaction: pg_stat_activity is a snapshot within one.
		if err := s.DB.SelectContext(ctx, &qs, `SELECT query FROM pg_stat_activity WHERE datname = current_database()
			AND application_name = $1 AND wait_event_type = 'Lock' AND query ILIKE '%applications%'`, appName); err != nil {
			t.Fatalf("waiting for the server's statement: %v", err)
		}
		if len(qs) > 0 {
			sql = qs[0]
			break
		}
		select {
		case res := <-done:
			t.Fatalf("the operation finished without touching applications: %+v %v", res.r, res.err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	return strings.ToLower(sql), res.r
}

// historyCaptures numbers the capture servers, which name their pools' sessions after it.
var historyCaptures atomic.Int64

// historyCaptureServer starts a replica whose sessions carry a unique application_name and returns
// its URL and that name.
func historyCaptureServer(t *testing.T, s *Server) (base, appName string) {
	t.Helper()
	appName = fmt.Sprintf("zhuguan_history_capture_%d", historyCaptures.Add(1))
	return s.Replica(t, appName), appName
}

// ---------------------------------------------------------------------------------------------
// tests

// Rows are the applications that reached HIRED or later, with every column right.
func TestHistoryE2ERowsAndFields(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	stuA := s.Student(t, f.A)
	q := historyQuery(historyAllFields+` application { status timeline { event } }`, true)
	c := historyPage(t, s, stuA, q, historyVars("n", 100))
	if c.TotalCount == nil || *c.TotalCount != 5 || !historySameSet(c.ids(), f.aRows()) {
		t.Fatalf("student A: got ids %v total %v, want %v", c.ids(), c.TotalCount, f.aRows())
	}
	// Default order: newest application first.
	want := slices.Clone(f.aRows())
	slices.Reverse(want)
	if !slices.Equal(c.ids(), want) {
		t.Fatalf("default order: got %v, want newest first %v", c.ids(), want)
	}
	for _, id := range f.never {
		if slices.Contains(c.ids(), id) {
			t.Fatalf("application %s (APPLIED/REJECTED/WITHDRAWN) appears in the history", id)
		}
	}
	rows := c.byID()
	type want1 struct {
		status, label, unit, unitName, title, paid, nature, desc, as, ae, ws, we, wtr string
		timeline                                                                      []string
	}
	wants := map[string]want1{
		f.a1: {"HIRED", "已聘用", f.U1, "研究生院", "数据整理", "0.00", "LONG_TERM", "整理数据",
			"2026-11-01T00:00:00+08:00", "2026-12-31T00:00:00+08:00", "2027-01-01T00:00:00+08:00", "2027-03-01T00:00:00+08:00", "周一上午",
			[]string{"APPLY", "HIRE"}},
		f.a2: {"CONFIRMED", "已聘已确认", f.U1, "研究生院", "数据整理", "3700.50", "LONG_TERM", "整理数据",
			"2026-11-01T00:00:00+08:00", "2026-12-31T00:00:00+08:00", "2027-01-01T00:00:00+08:00", "2027-03-01T00:00:00+08:00", "周一上午",
			[]string{"APPLY", "HIRE", "CONFIRM", "RECORD_WORK", "RECORD_WORK"}},
		f.a3: {"DECLINED", "已放弃", f.U2, "基础医学院", "Data_录入 100%", "0.00", "TEMPORARY", "录入问卷",
			"2026-11-02T08:30:00+08:00", "2026-12-20T18:00:00+08:00", "2027-01-05T09:00:00+08:00", "2027-01-20T17:00:00+08:00", "周末",
			[]string{"APPLY", "HIRE", "DECLINE"}},
		f.a4: {"DISMISSED", "已解聘", f.U2, "基础医学院", "海报设计", "0.00", "TEMPORARY", "设计海报",
			"2026-11-10T00:00:00+08:00", "2026-12-31T00:00:00+08:00", "2027-09-01T00:00:00+08:00", "2027-10-01T00:00:00+08:00", "随时",
			[]string{"APPLY", "HIRE", "CONFIRM", "DISMISS"}},
		f.a5: {"CONFIRMED", "已聘已确认", f.U1, "研究生院", "档案data整理", "800.00", "LONG_TERM", "扫描档案",
			"2026-11-05T00:00:00+08:00", "2026-12-15T00:00:00+08:00", "2027-01-01T00:00:00+08:00", "2027-06-30T00:00:00+08:00", "周三下午",
			[]string{"APPLY", "HIRE", "CONFIRM", "RECORD_WORK"}},
	}
	for id, w := range wants {
		r := rows[id]
		got := want1{r.Status, r.StatusLabel, r.Unit.ID, r.Unit.Name, r.PositionTitle, r.PaidAmount, r.Nature, r.Description,
			r.ApplyStart, r.ApplyEnd, r.WorkStart, r.WorkEnd, r.WorkTimeRequirement, nil}
		w2 := w
		w2.timeline = nil
		if fmt.Sprint(got) != fmt.Sprint(w2) {
			t.Errorf("row %s:\n got %+v\nwant %+v", id, got, w2)
		}
		if r.Application == nil || r.Application.Status != w.status {
			t.Errorf("row %s: application %+v, want status %s", id, r.Application, w.status)
			continue
		}
		var events []string
		for _, e := range r.Application.Timeline {
			events = append(events, e.Event)
		}
		if !slices.Equal(events, w.timeline) {
			t.Errorf("row %s: timeline %v, want %v", id, events, w.timeline)
		}
	}

	// The detail view through the row: the position and the monthly payments.
	var d struct {
		EmploymentHistory struct {
			Edges []struct {
				Node struct {
					ID          string
					Application struct {
						Position    struct{ ID, Title string }
						WorkRecords []struct{ Month, Amount string }
						Employment  *struct{ PaidAmount string }
					}
				}
			}
		}
	}
	s.Do(t, stuA, `query($f: HistoryFilter) { employmentHistory(filter: $f) { edges { node { id application {
		position { id title } workRecords { month amount } employment { paidAmount } } } } } }`,
		map[string]any{"f": map[string]any{"positionTitle": "数据整理"}}).Decode(t, &d)
	found := false
	for _, e := range d.EmploymentHistory.Edges {
		if e.Node.ID != f.a2 {
			continue
		}
		found = true
		a := e.Node.Application
		if a.Position.ID != f.P2 || len(a.WorkRecords) != 2 || a.WorkRecords[0].Month != "2027-01" || a.WorkRecords[0].Amount != "1200.50" ||
			a.WorkRecords[1].Amount != "2500.00" || a.Employment == nil || a.Employment.PaidAmount != "3700.50" {
			t.Fatalf("detail of %s: got %+v", f.a2, a)
		}
	}
	if !found || len(d.EmploymentHistory.Edges) != 2 {
		t.Fatalf("detail: filter positionTitle 数据整理 gave %+v, want a1 and a2", d.EmploymentHistory.Edges)
	}

	// Only statusLabel (no status) still reads the status; a row read through a named fragment and
	// aliases gets its columns too.
	var fr struct {
		EmploymentHistory struct {
			Edges []struct {
				Node struct {
					ID, Label, T, Money string
					U                   struct{ N string }
				}
			}
		}
	}
	s.Do(t, stuA, `query { employmentHistory(first: 100) { edges { node { ...Row } } } }
		fragment Row on HistoryRow { id label: statusLabel t: positionTitle money: paidAmount u: unit { n: name } }`, nil).Decode(t, &fr)
	for _, e := range fr.EmploymentHistory.Edges {
		w := wants[e.Node.ID]
		if e.Node.Label != w.label || e.Node.T != w.title || e.Node.Money != w.paid || e.Node.U.N != w.unitName {
			t.Errorf("row %s through a fragment: got %+v, want %s %s %s %s", e.Node.ID, e.Node, w.label, w.title, w.paid, w.unitName)
		}
	}
}

// Students see their own rows only; admin all or one student's; unit staff their unit's.
func TestHistoryE2EVisibility(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	q := historyQuery("id unit { id }", true)
	list := func(token string, vars map[string]any) []string {
		t.Helper()
		c := historyPage(t, s, token, q, vars)
		if c.TotalCount == nil || *c.TotalCount != len(c.Edges) {
			t.Fatalf("totalCount %v for %d rows", c.TotalCount, len(c.Edges))
		}
		return c.ids()
	}
	stuA, stuB := s.Student(t, f.A), s.Student(t, f.B)
	if got := list(stuA, nil); !historySameSet(got, f.aRows()) {
		t.Errorf("student A: got %v, want %v", got, f.aRows())
	}
	if got := list(stuB, nil); !historySameSet(got, f.bRows()) {
		t.Errorf("student B: got %v, want only B's %v", got, f.bRows())
	}
	if got := list(stuA, historyVars("s", f.A)); !historySameSet(got, f.aRows()) {
		t.Errorf("student A naming themselves: got %v, want %v", got, f.aRows())
	}
	// Another student's number, and one that does not exist, look the same.
	for _, no := range []string{f.A, "99999999"} {
		t.Run("student B asking for "+no, func(t *testing.T) {
			WantTopLevel(t, s.Do(t, stuB, q, historyVars("s", no)), "NOT_FOUND")
		})
		t.Run("historyUnits of student B asking for "+no, func(t *testing.T) {
			WantTopLevel(t, s.Do(t, stuB, `query($s: String) { historyUnits(studentNo: $s) { id } }`, historyVars("s", no)), "NOT_FOUND")
		})
	}
	// A filter for A's unit does not let B see A's rows.
	if got := list(stuB, historyVars("f", map[string]any{"unitId": f.U2})); len(got) != 0 {
		t.Errorf("student B filtering unit U2: got %v, want none", got)
	}
	// Another token (another subject) of the same student number sees the same rows.
	other := s.Token(t, auth.Principal{Subject: "mobile-app-A", Role: auth.RoleStudent, StudentNo: f.A})
	if got := list(other, nil); !historySameSet(got, f.aRows()) {
		t.Errorf("second token of A: got %v, want %v", got, f.aRows())
	}

	admin := s.Admin(t)
	if got := list(admin, nil); !historySameSet(got, f.allRows()) {
		t.Errorf("admin: got %v, want all %v", got, f.allRows())
	}
	if got := list(admin, historyVars("s", f.A)); !historySameSet(got, f.aRows()) {
		t.Errorf("admin with A's number: got %v, want %v", got, f.aRows())
	}
	if got := list(admin, historyVars("s", f.B)); !historySameSet(got, f.bRows()) {
		t.Errorf("admin with B's number: got %v, want %v", got, f.bRows())
	}

	u1Rows := []string{f.a1, f.a2, f.a5, f.b1, f.b2}
	u2Rows := []string{f.a3, f.a4}
	u1, u2, u3 := s.Unit(t, f.U1), s.Unit(t, f.U2), s.Unit(t, f.U3)
	if got := list(u1, nil); !historySameSet(got, u1Rows) {
		t.Errorf("unit U1: got %v, want %v", got, u1Rows)
	}
	if got := list(u2, nil); !historySameSet(got, u2Rows) {
		t.Errorf("unit U2: got %v, want %v", got, u2Rows)
	}
	if got := list(u3, nil); len(got) != 0 {
		t.Errorf("unit U3 (no positions): got %v, want none", got)
	}
	if got := list(u1, historyVars("f", map[string]any{"unitId": f.U2})); len(got) != 0 {
		t.Errorf("unit U1 filtering U2: got %v, want none", got)
	}
	if got := list(u2, historyVars("f", map[string]any{"unitId": f.U1, "keyword": "数据"})); len(got) != 0 {
		t.Errorf("unit U2 filtering U1: got %v, want none", got)
	}
	if got := list(u1, historyVars("s", f.A)); !historySameSet(got, []string{f.a1, f.a2, f.a5}) {
		t.Errorf("unit U1 with A's number: got %v, want A's rows of U1 only", got)
	}
	for _, tok := range []string{u1, u2, u3, stuA, stuB} {
		for _, e := range historyPage(t, s, tok, q, historyVars("n", 100)).Edges {
			if slices.Contains(f.never, e.Node.ID) {
				t.Errorf("application %s that never reached HIRED appears", e.Node.ID)
			}
		}
	}
	WantTopLevel(t, s.Do(t, "", q, nil), "UNAUTHENTICATED")
}

// Each filter field alone and combined; an empty filter is all.
func TestHistoryE2EFilters(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	stuA, admin := s.Student(t, f.A), s.Admin(t)
	cases := []struct {
		name   string
		token  string
		filter map[string]any
		want   []string
	}{
		{"empty", stuA, map[string]any{}, f.aRows()},
		{"all null", stuA, map[string]any{"keyword": nil, "unitId": nil, "positionTitle": nil, "nature": nil, "academicYear": nil}, f.aRows()},
		{"keyword case-insensitive", stuA, map[string]any{"keyword": "DATA"}, []string{f.a3, f.a5}},
		{"keyword padded", stuA, map[string]any{"keyword": "  data  "}, []string{f.a3, f.a5}},
		{"keyword inside the title", stuA, map[string]any{"keyword": "整理"}, []string{f.a1, f.a2, f.a5}},
		{"keyword % literal", stuA, map[string]any{"keyword": "%"}, []string{f.a3}},
		{"keyword _ literal", stuA, map[string]any{"keyword": "_"}, []string{f.a3}},
		{"keyword ta_ literal, not ta?", stuA, map[string]any{"keyword": "ta_"}, []string{f.a3}},
		{"keyword 0% literal", stuA, map[string]any{"keyword": "0%"}, []string{f.a3}},
		{"keyword backslash", stuA, map[string]any{"keyword": `\`}, []string{}},
		{"keyword matches description? no", stuA, map[string]any{"keyword": "问卷"}, []string{}},
		{"keyword no match", stuA, map[string]any{"keyword": "化学"}, []string{}},
		{"unit U1", stuA, map[string]any{"unitId": f.U1}, []string{f.a1, f.a2, f.a5}},
		{"unit U2", stuA, map[string]any{"unitId": f.U2}, []string{f.a3, f.a4}},
		{"unit U3", stuA, map[string]any{"unitId": f.U3}, []string{}},
		{"title exact", stuA, map[string]any{"positionTitle": "数据整理"}, []string{f.a1, f.a2}},
		{"title is not a substring match", stuA, map[string]any{"positionTitle": "数据"}, []string{}},
		{"title is exact in case", stuA, map[string]any{"positionTitle": "data_录入 100%"}, []string{}},
		{"title with %", stuA, map[string]any{"positionTitle": "Data_录入 100%"}, []string{f.a3}},
		{"nature LONG_TERM", stuA, map[string]any{"nature": "LONG_TERM"}, []string{f.a1, f.a2, f.a5}},
		{"nature TEMPORARY", stuA, map[string]any{"nature": "TEMPORARY"}, []string{f.a3, f.a4}},
		{"year 2026-2027", stuA, map[string]any{"academicYear": "2026-2027"}, []string{f.a1, f.a2, f.a3, f.a5}},
		{"year 2027-2028", stuA, map[string]any{"academicYear": "2027-2028"}, []string{f.a4}},
		{"year unknown", stuA, map[string]any{"academicYear": "2019-2020"}, []string{}},
		{"keyword + nature", stuA, map[string]any{"keyword": "data", "nature": "LONG_TERM"}, []string{f.a5}},
		{"unit + title", stuA, map[string]any{"unitId": f.U1, "positionTitle": "数据整理"}, []string{f.a1, f.a2}},
		{"nature + year", stuA, map[string]any{"nature": "TEMPORARY", "academicYear": "2026-2027"}, []string{f.a3}},
		{"unit + nature, disjoint", stuA, map[string]any{"unitId": f.U1, "nature": "TEMPORARY"}, []string{}},
		{"all five", stuA, map[string]any{"keyword": "整理", "unitId": f.U1, "positionTitle": "数据整理", "nature": "LONG_TERM", "academicYear": "2026-2027"}, []string{f.a1, f.a2}},
		{"admin keyword", admin, map[string]any{"keyword": "数据整理"}, []string{f.a1, f.a2, f.b1}},
		{"admin unit U1 + keyword data", admin, map[string]any{"unitId": f.U1, "keyword": "DaTa"}, []string{f.a5, f.b2}},
	}
	q := historyQuery("id positionTitle", true)
	for _, c := range cases {
		conn := historyPage(t, s, c.token, q, historyVars("f", c.filter, "n", 100))
		if !historySameSet(conn.ids(), c.want) {
			t.Errorf("%s: got %v, want %v", c.name, conn.ids(), c.want)
		}
		if conn.TotalCount == nil || *conn.TotalCount != len(c.want) {
			t.Errorf("%s: totalCount %v, want %d", c.name, conn.TotalCount, len(c.want))
		}
		// The same filter paged with first 1 gives the same rows and the same count on each page.
		if len(c.want) > 1 {
			got := historyPageAll(t, s, c.token, nil, c.filter, 1, len(c.want))
			if !historySameSet(got, c.want) {
				t.Errorf("%s paged: got %v, want %v", c.name, got, c.want)
			}
		}
	}
	r := s.Do(t, stuA, q, historyVars("f", map[string]any{"nature": "PART_TIME"}))
	if len(r.Errors) == 0 {
		t.Errorf("unknown nature: got %s, want an error", r.Data)
	}
}

// Every column in both directions sorts right, breaks ties by id in the same direction, and pages
// with first 2 without gaps or repeats; the default order is newest first.
func TestHistoryE2EOrdersAndPaging(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	admin := s.Admin(t)
	all := historyPage(t, s, admin, historyQuery(historyAllFields, true), historyVars("n", 100))
	if !historySameSet(all.ids(), f.allRows()) {
		t.Fatalf("admin: got %v, want %v", all.ids(), f.allRows())
	}
	var rows []historyNode
	for _, e := range all.Edges {
		rows = append(rows, e.Node)
	}
	type ord struct {
		column string
		desc   bool
	}
	orders := []ord{{"", true}}
	for _, c := range allHistoryColumns {
		orders = append(orders, ord{c, false}, ord{c, true})
	}
	for _, o := range orders {
		keys := historySortKeys(t, s, rows, o.column)
		// The fixture must have ties on every column, or the tie-break is not proven.
		if o.column != "" {
			seen, tie := map[int64]bool{}, false
			for _, k := range keys {
				tie = tie || seen[k]
				seen[k] = true
			}
			if !tie {
				t.Fatalf("fixture has no two rows with equal %s", o.column)
			}
		}
		want := historyExpectedOrder(t, keys, o.desc)
		var order map[string]any
		name := "default (newest first)"
		if o.column != "" {
			dir := "ASC"
			if o.desc {
				dir = "DESC"
			}
			order = map[string]any{"column": o.column, "direction": dir}
			name = o.column + " " + dir
		}
		one := historyPage(t, s, admin, historyQuery("id", false), historyVars("o", order, "n", 100))
		if !slices.Equal(one.ids(), want) {
			t.Errorf("%s in one page: got %v, want %v", name, one.ids(), want)
		}
		if got := historyPageAll(t, s, admin, order, nil, 2, len(rows)); !slices.Equal(got, want) {
			t.Errorf("%s paged by 2: got %v, want %v", name, got, want)
		}
	}
	// direction defaults to ASC.
	asc := historyPage(t, s, admin, historyQuery("id", false), historyVars("o", map[string]any{"column": "POSITION_TITLE"}, "n", 100))
	if want := historyExpectedOrder(t, historySortKeys(t, s, rows, "POSITION_TITLE"), false); !slices.Equal(asc.ids(), want) {
		t.Errorf("POSITION_TITLE without direction: got %v, want ascending %v", asc.ids(), want)
	}
	// A student's own history pages the same way, with a filter kept across pages.
	stuA := s.Student(t, f.A)
	for _, c := range []string{"PAID_AMOUNT", "UNIT", "WORK_START"} {
		for _, dir := range []string{"ASC", "DESC"} {
			order := map[string]any{"column": c, "direction": dir}
			want := historyPage(t, s, stuA, historyQuery("id", false), historyVars("o", order, "n", 100, "f", map[string]any{"academicYear": "2026-2027"})).ids()
			got := historyPageAll(t, s, stuA, order, map[string]any{"academicYear": "2026-2027"}, 2, 4)
			if !slices.Equal(got, want) || len(want) != 4 {
				t.Errorf("student A %s %s 2026-2027 paged: got %v, want %v", c, dir, got, want)
			}
		}
	}
}

// first out of range, garbage cursors and cursors of another order are BAD_USER_INPUT; totalCount
// stays right past the end.
func TestHistoryE2EBadPaging(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	admin := s.Admin(t)
	q := historyQuery("id", true)
	for _, n := range []int{0, -1, 101, 1000} {
		t.Run(fmt.Sprintf("first %d", n), func(t *testing.T) {
			WantTopLevel(t, s.Do(t, admin, q, historyVars("n", n)), "BAD_USER_INPUT")
		})
	}
	if c := historyPage(t, s, admin, q, historyVars("n", 100)); len(c.Edges) != 7 {
		t.Fatalf("first 100: got %d rows", len(c.Edges))
	}
	if c := historyPage(t, s, admin, q, historyVars("n", 1)); len(c.Edges) != 1 || !c.PageInfo.HasNextPage || *c.TotalCount != 7 {
		t.Fatalf("first 1: got %+v", c)
	}
	b64 := func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }
	for _, garbage := range []string{"garbage", "!!!", b64("v1:5"), b64(`{"c":"UNIT"}`), b64(`{"c":"","d":"DESC","k":1,"i":0}`), b64("null")} {
		t.Run("cursor "+garbage, func(t *testing.T) {
			WantTopLevel(t, s.Do(t, admin, q, historyVars("a", garbage)), "BAD_USER_INPUT")
		})
	}
	unitAsc := map[string]any{"column": "UNIT", "direction": "ASC"}
	c := historyPage(t, s, admin, q, historyVars("o", unitAsc, "n", 2))
	cursor := *c.PageInfo.EndCursor
	for name, o := range map[string]map[string]any{
		"UNIT DESC":          {"column": "UNIT", "direction": "DESC"},
		"POSITION_TITLE ASC": {"column": "POSITION_TITLE", "direction": "ASC"},
		"default":            nil,
	} {
		t.Run("UNIT ASC cursor with "+name, func(t *testing.T) {
			WantTopLevel(t, s.Do(t, admin, q, historyVars("o", o, "a", cursor)), "BAD_USER_INPUT")
		})
	}
	def := historyPage(t, s, admin, q, historyVars("n", 2))
	// A default-order cursor with STATUS DESC.
	WantTopLevel(t, s.Do(t, admin, q, historyVars("o", map[string]any{"column": "STATUS", "direction": "DESC"}, "a", *def.PageInfo.EndCursor)),
		"BAD_USER_INPUT")
	// A positions cursor is not a history cursor.
	var pc struct {
		Positions struct{ PageInfo struct{ EndCursor string } }
	}
	s.Do(t, admin, `{ positions(first: 1) { pageInfo { endCursor } } }`, nil).Decode(t, &pc)
	WantTopLevel(t, s.Do(t, admin, q, historyVars("a", pc.Positions.PageInfo.EndCursor)), "BAD_USER_INPUT")

	// Past the end, the count is still right.
	all := historyPage(t, s, admin, q, historyVars("o", unitAsc, "n", 7))
	if all.PageInfo.HasNextPage {
		t.Fatalf("first 7 of 7: hasNextPage")
	}
	end := historyPage(t, s, admin, q, historyVars("o", unitAsc, "a", *all.PageInfo.EndCursor))
	if len(end.Edges) != 0 || end.PageInfo.HasNextPage || end.TotalCount == nil || *end.TotalCount != 7 {
		t.Fatalf("past the end: got %+v, want no rows and totalCount 7", end)
	}
}

// A cursor that decodes but carries a sort key of the wrong type is garbage too: BAD_USER_INPUT,
// not INTERNAL.
func TestHistoryE2EForgedCursor(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	admin := s.Admin(t)
	q := historyQuery("id", false)
	b64 := func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }
	cases := []struct {
		order  map[string]any
		cursor string
	}{
		{map[string]any{"column": "APPLY_START", "direction": "ASC"}, `{"c":"APPLY_START","d":"ASC","k":"not a time","i":1}`},
		{map[string]any{"column": "STATUS", "direction": "ASC"}, `{"c":"STATUS","d":"ASC","k":"x","i":1}`},
		{map[string]any{"column": "PAID_AMOUNT", "direction": "DESC"}, `{"c":"PAID_AMOUNT","d":"DESC","k":1e30,"i":1}`},
		{nil, `{"c":"","d":"DESC","k":"abc","i":5}`},
	}
	var bad []string
	for _, c := range cases {
		r := s.Do(t, admin, q, historyVars("o", c.order, "a", b64(c.cursor)))
		if r.Code() != "BAD_USER_INPUT" {
			bad = append(bad, fmt.Sprintf("%s -> code %q %v", c.cursor, r.Code(), r.Errors))
		}
	}
	if len(bad) > 0 {
		t.Errorf("forged cursors must be BAD_USER_INPUT: %s", strings.Join(bad, "; "))
	}
}

// historyUnits lists the distinct units of the caller's history, by name.
func TestHistoryE2EUnits(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	type unit struct{ ID, Name string }
	get := func(token string, no any) []unit {
		t.Helper()
		var out struct{ HistoryUnits []unit }
		s.Do(t, token, `query($s: String) { historyUnits(studentNo: $s) { id name } }`, historyVars("s", no)).Decode(t, &out)
		return out.HistoryUnits
	}
	rank := historyCollationRank(t, s, []string{"研究生院", "基础医学院"})
	u1 := unit{f.U1, "研究生院"}
	u2 := unit{f.U2, "基础医学院"}
	both := []unit{u1, u2}
	if rank["基础医学院"] < rank["研究生院"] {
		both = []unit{u2, u1}
	}
	check := func(name string, got, want []unit) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	check("student A", get(s.Student(t, f.A), nil), both)
	check("student B", get(s.Student(t, f.B), nil), []unit{u1})
	check("student B naming themselves", get(s.Student(t, f.B), f.B), []unit{u1})
	check("admin", get(s.Admin(t), nil), both)
	check("admin for A", get(s.Admin(t), f.A), both)
	check("admin for B", get(s.Admin(t), f.B), []unit{u1})
	check("unit U1", get(s.Unit(t, f.U1), nil), []unit{u1})
	check("unit U2", get(s.Unit(t, f.U2), nil), []unit{u2})
	check("unit U3", get(s.Unit(t, f.U3), nil), []unit{})
	// B applied to P6 of U2 but was never hired there: U2 is not among B's units (checked above).
}

// Only the columns asked for are read, and the count only when totalCount is asked for: the SQL of
// the page, read from pg_stat_activity while it waits for a lock the test holds.
func TestHistoryE2EProjection(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	stuA := s.Student(t, f.A)

	sql, r := historyCaptureSQL(t, s, stuA, historyQuery("id", false), nil)
	var out struct{ EmploymentHistory historyConnection }
	r.Decode(t, &out)
	if len(out.EmploymentHistory.Edges) != 5 {
		t.Fatalf("id only: got %d rows", len(out.EmploymentHistory.Edges))
	}
	t.Logf("id only, no totalCount: %s", sql)
	if strings.Contains(sql, "count(") || strings.Contains(sql, "units") || strings.Contains(sql, "work_records") ||
		strings.Contains(sql, "description") || strings.Contains(sql, "title") {
		t.Errorf("id only without totalCount reads more than it needs: %s", sql)
	}

	sql, r = historyCaptureSQL(t, s, stuA, historyQuery("id", true), nil)
	r.Decode(t, &out)
	if out.EmploymentHistory.TotalCount == nil || *out.EmploymentHistory.TotalCount != 5 {
		t.Fatalf("with totalCount: got %+v", out.EmploymentHistory.TotalCount)
	}
	t.Logf("id + totalCount: %s", sql)
	if !strings.Contains(sql, "count(") {
		t.Errorf("totalCount asked, but the page's statement does not count: %s", sql)
	}

	sql, r = historyCaptureSQL(t, s, stuA, historyQuery("id positionTitle nature", false), nil)
	r.Decode(t, &out)
	t.Logf("title + nature: %s", sql)
	if !strings.Contains(sql, "title") || !strings.Contains(sql, "nature") || strings.Contains(sql, "description") ||
		strings.Contains(sql, "work_records") || strings.Contains(sql, "units") || strings.Contains(sql, "count(") {
		t.Errorf("title + nature: unexpected SQL %s", sql)
	}

	sql, r = historyCaptureSQL(t, s, stuA, historyQuery("id paidAmount unit { name }", false), nil)
	r.Decode(t, &out)
	t.Logf("paid + unit name: %s", sql)
	if !strings.Contains(sql, "work_records") || !strings.Contains(sql, "units") || strings.Contains(sql, "description") {
		t.Errorf("paid + unit name: unexpected SQL %s", sql)
	}
	for _, e := range out.EmploymentHistory.Edges {
		if e.Node.Unit.Name == "" || e.Node.PaidAmount == "" {
			t.Errorf("paid + unit name: row %+v lacks them", e.Node)
		}
	}
}

// One hired student's history: the row's fields, and every order paging past the single row.
func TestHistorySmoke(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	stu := s.Student(t, "20160931")
	id := s.Drive(t, unit, "20160931", pos, "HIRED")
	c := historyPage(t, s, stu, historyQuery("id statusLabel positionTitle paidAmount unit { id name }", true), historyVars("n", 10))
	if c.TotalCount == nil || *c.TotalCount != 1 || len(c.Edges) != 1 {
		t.Fatalf("got %d rows, totalCount %v, want one row", len(c.Edges), c.TotalCount)
	}
	n := c.Edges[0].Node
	if n.ID != id || n.StatusLabel != "已聘用" || n.PositionTitle != "数据整理" || n.PaidAmount != "0.00" || n.Unit.Name != "研究生院" {
		t.Fatalf("row: got %+v, want %s 已聘用 数据整理 0.00 at 研究生院", n, id)
	}
	for _, column := range allHistoryColumns {
		order := map[string]any{"column": column, "direction": "DESC"}
		first := historyPage(t, s, stu, historyQuery("id", true), historyVars("o", order, "n", 1))
		if len(first.Edges) != 1 {
			t.Fatalf("order %s: got %d rows, want 1", column, len(first.Edges))
		}
		next := historyPage(t, s, stu, historyQuery("id", true), historyVars("o", order, "n", 1, "a", first.Edges[0].Cursor))
		if len(next.Edges) != 0 || next.TotalCount == nil || *next.TotalCount != 1 {
			t.Fatalf("order %s page 2: got %d rows, totalCount %v, want no rows and total 1", column, len(next.Edges), next.TotalCount)
		}
	}
}

// Fields selected through a fragment on HistoryRow are read like any other: the projection
// follows fragments, and so does the prefetch of the rows' applications.
func TestHistoryFieldsInFragments(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	id := s.Drive(t, unit, "20160931", pos, "HIRED")
	var out struct {
		EmploymentHistory struct {
			Edges []struct {
				Node struct {
					ID, PositionTitle string
					Application       struct{ Status string }
				}
			}
		}
	}
	s.Do(t, s.Student(t, "20160931"), `query { employmentHistory(first: 5) { edges { node { id ...Row } } } }
		fragment Row on HistoryRow { positionTitle ... on HistoryRow { application { status } } }`, nil).Decode(t, &out)
	if e := out.EmploymentHistory.Edges; len(e) != 1 || e[0].Node.ID != id || e[0].Node.PositionTitle != "数据整理" || e[0].Node.Application.Status != "HIRED" {
		t.Errorf("history through fragments: got %+v, want the row %s with its title and application", e, id)
	}
}
