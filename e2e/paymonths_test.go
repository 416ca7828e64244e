package e2e

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
)

// End-to-end tests of the monthly settlement over HTTP: closing and reopening a month with their
// refusals and history, recordWork refused in a closed month, also when racing the close, the
// month's figures as admin and unit staff see them, the employments still missing a record, the
// pay sheet (payroll and its CSV read back with a CSV parser), and the agreement of its amounts
// with the history's and the report's.

const payMonthFields = `payMonth { month status closedAt closedBy records students hours amount history { from to actor note } }`

// payMonth is a PayMonth as the tests read it.
type payMonth struct {
	Month, Status      string
	ClosedAt, ClosedBy *string
	Records, Students  int
	Hours              float64
	Amount             string
	History            []struct {
		From  *string
		To    string
		Actor string
		Note  string
	}
}

type payMonthPayload struct {
	PayMonth   *payMonth
	UserErrors []UserError
}

// closeMonth closes month as token; the payload is zero when the response has top-level errors.
func (s *Server) closeMonth(t *testing.T, token, month string) (payMonthPayload, Response) {
	t.Helper()
	r := s.Do(t, token, `mutation($m: Month!) { r: closePayMonth(month: $m) { `+payMonthFields+` `+userErrorFields+` } }`,
		map[string]any{"m": month})
	var out struct{ R payMonthPayload }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// reopenMonth reopens month as token with reason.
func (s *Server) reopenMonth(t *testing.T, token, month, reason string) (payMonthPayload, Response) {
	t.Helper()
	r := s.Do(t, token, `mutation($m: Month!, $why: String!) { r: reopenPayMonth(month: $m, reason: $why) { `+payMonthFields+` `+userErrorFields+` } }`,
		map[string]any{"m": month, "why": reason})
	var out struct{ R payMonthPayload }
	if len(r.Errors) == 0 {
		r.Decode(t, &out)
	}
	return out.R, r
}

// readPayMonth reads month as token, which must succeed.
func (s *Server) readPayMonth(t *testing.T, token, month string) payMonth {
	t.Helper()
	r := s.Do(t, token, `query($m: Month!) { r: payMonth(month: $m) { `+strings.TrimPrefix(payMonthFields, "payMonth { ")+` }`,
		map[string]any{"m": month})
	if len(r.Errors) > 0 {
		t.Fatalf("payMonth %s: %+v", month, r.Errors)
	}
	var out struct{ R payMonth }
	r.Decode(t, &out)
	return out.R
}

func TestPayMonthCloseAndReopen(t *testing.T) {
	s, unit, app := employedInFebruary(t)
	admin, staff := s.Admin(t), s.Unit(t, unit)
	s.RecordWork(t, unit, app, "2027-01", 10, "400.00")

	m := s.readPayMonth(t, admin, "2027-01")
	if m.Status != "OPEN" || m.ClosedAt != nil || m.ClosedBy != nil || m.Records != 1 || m.Hours != 10 || m.Amount != "400.00" || len(m.History) != 0 {
		t.Fatalf("open month: got %+v, want OPEN with 1 record, 10h, 400.00, no history", m)
	}

	t.Run("a month not begun", func(t *testing.T) {
		p, r := s.closeMonth(t, admin, "2027-03")
		if len(r.Errors) > 0 {
			t.Fatalf("top-level errors: %+v", r.Errors)
		}
		CheckUserErrors(t, p.UserErrors, WantErr{"VALIDATION", "month", []string{"2027-03", "2027-02"}})
		if got := s.Count(t, `SELECT count(*) FROM pay_months WHERE month = '2027-03'`); got != 0 {
			t.Errorf("pay_months rows of 2027-03: got %d, want 0", got)
		}
	})

	p, _ := s.closeMonth(t, admin, "2027-01")
	if len(p.UserErrors) > 0 || p.PayMonth == nil || p.PayMonth.Status != "CLOSED" || p.PayMonth.ClosedAt == nil ||
		p.PayMonth.ClosedBy == nil || p.PayMonth.Records != 1 || p.PayMonth.Amount != "400.00" {
		t.Fatalf("close 2027-01: got %+v, want CLOSED with its closing and 1 record of 400.00", p)
	}

	t.Run("recordWork refused in the closed month", func(t *testing.T) {
		before := snapshotApplication(t, s, app)
		w, r := s.RecordWorkAs(t, staff, app, "2027-01", 12, "480.00")
		if len(r.Errors) > 0 {
			t.Fatalf("top-level errors: %+v", r.Errors)
		}
		CheckUserErrors(t, w.UserErrors, WantErr{"MONTH_CLOSED", "input.month", []string{"2027-01"}})
		wantApplicationUnchanged(t, s, app, before)
		if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01' AND amount_fen = 40000`, app); got != 1 {
			t.Errorf("the closed month's record: got %d at 400.00, want 1 unchanged", got)
		}
		// Another month is not concerned.
		s.RecordWork(t, unit, app, "2027-02", 5, "200.00")
	})

	t.Run("closing a closed month", func(t *testing.T) {
		p, _ := s.closeMonth(t, admin, "2027-01")
		CheckUserErrors(t, p.UserErrors, WantErr{"INVALID_TRANSITION", "", []string{"CLOSED"}})
	})
	t.Run("unit staff see the status and their figures", func(t *testing.T) {
		m := s.readPayMonth(t, staff, "2027-01")
		if m.Status != "CLOSED" || m.Records != 1 || m.Amount != "400.00" {
			t.Errorf("staff's view: got %+v, want CLOSED with their record", m)
		}
		other := s.Unit(t, s.SeedUnit(t, "图书馆"))
		if m := s.readPayMonth(t, other, "2027-01"); m.Status != "CLOSED" || m.Records != 0 || m.Amount != "0.00" {
			t.Errorf("another unit's view: got %+v, want CLOSED with no records", m)
		}
	})
	t.Run("reopen needs a reason", func(t *testing.T) {
		p, _ := s.reopenMonth(t, admin, "2027-01", "  ")
		CheckUserErrors(t, p.UserErrors, WantErr{"VALIDATION", "reason", nil})
		if m := s.readPayMonth(t, admin, "2027-01"); m.Status != "CLOSED" {
			t.Errorf("after a refused reopen: got %s, want CLOSED", m.Status)
		}
	})

	p, _ = s.reopenMonth(t, admin, "2027-01", "财务处退回：工时有误")
	if len(p.UserErrors) > 0 || p.PayMonth == nil || p.PayMonth.Status != "OPEN" || p.PayMonth.ClosedAt != nil || p.PayMonth.ClosedBy != nil {
		t.Fatalf("reopen: got %+v, want OPEN", p)
	}
	h := p.PayMonth.History
	if len(h) != 2 || h[0].From == nil || *h[0].From != "OPEN" || h[0].To != "CLOSED" || h[1].To != "OPEN" || h[1].Note != "财务处退回：工时有误" || h[1].Actor == "" {
		t.Errorf("history: got %+v, want the close and the reopen with its reason", h)
	}
	t.Run("reopening an open month", func(t *testing.T) {
		p, _ := s.reopenMonth(t, admin, "2027-01", "再开一次")
		CheckUserErrors(t, p.UserErrors, WantErr{"INVALID_TRANSITION", "", []string{"OPEN"}})
		if got := s.Count(t, `SELECT count(*) FROM pay_month_events e JOIN pay_months m ON m.id = e.pay_month_id WHERE m.month = '2027-01'`); got != 2 {
			t.Errorf("history lines: got %d, want 2", got)
		}
	})
	s.RecordWork(t, unit, app, "2027-01", 12, "480.00") // the correction the reopening was for
}

// Recordings of a month race its close, put by the test at the two points that decide them:
// the "holders" have read the month OPEN and hold its row FOR SHARE, stopped at the student lock
// the test holds; the "latecomers" are stopped before the status check, at their application rows
// the test holds. The close must wait for the holders (its FOR UPDATE) and count them, and the
// latecomers, released once it committed, must be refused MONTH_CLOSED. Without the month lock
// the close does not wait and the holders land after the sheet was closed, which fails below.
// Three of each: the server's pool has 10 connections, shared with the test's.
func TestPayMonthCloseRacesRecordWork(t *testing.T) {
	const n = 3
	s := NewServer(t)
	nos := StudentNos(1, 2*n+1)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("月末记录", "headcount", 50))
	apps := make([]string, len(nos))
	for i, no := range nos {
		apps[i] = s.Drive(t, unit, no, pos, "CONFIRMED")
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	staff, admin := s.Unit(t, unit), s.Admin(t)
	// The first record makes the month's row, so that the racers do not wait on its insert.
	first := apps[2*n]
	s.RecordWork(t, unit, first, "2027-01", 8, "320.00")
	holders, latecomers := apps[:n], apps[n:2*n]
	amount := func(i int) string { return fmt.Sprintf("3%02d.%02d", i, 7*i+1) } // distinct fen

	students, err := s.DB.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB.Beginx()
	if err != nil {
		students.Rollback()
		t.Fatal(err)
	}
	// However the test ends, the locks go and every racer returns before it does.
	var racers sync.WaitGroup
	defer racers.Wait()
	defer rows.Rollback()
	defer students.Rollback()
	if _, err := students.Exec(`SELECT 1 FROM students WHERE student_no = ANY ($1) FOR UPDATE`, pq.Array(nos[:n])); err != nil {
		t.Fatal(err)
	}
	if _, err := rows.Exec(`SELECT 1 FROM applications WHERE id::text = ANY ($1) FOR UPDATE`, pq.Array(latecomers)); err != nil {
		t.Fatal(err)
	}

	type outcome struct {
		w WorkPayload
		r Response
	}
	record := func(apps []string, base int) ([]outcome, *sync.WaitGroup) {
		out := make([]outcome, len(apps))
		var wg sync.WaitGroup
		for i, app := range apps {
			wg.Add(1)
			racers.Add(1)
			go func() {
				defer racers.Done()
				defer wg.Done()
				out[i].w, out[i].r = s.RecordWorkAs(t, staff, app, "2027-01", 8, amount(base+i))
			}()
		}
		return out, &wg
	}
	held, heldDone := record(holders, 0)
	s.waitLocked(t, n, `%FROM students WHERE student_no = $1 FOR UPDATE%`, nil)
	late, lateDone := record(latecomers, n)
	s.waitLocked(t, n, `%FOR UPDATE OF a%`, nil)

	var closed payMonthPayload
	closeDone := make(chan struct{})
	racers.Add(1)
	go func() {
		defer racers.Done()
		defer close(closeDone)
		p, r := s.closeMonth(t, admin, "2027-01")
		if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.PayMonth == nil {
			t.Errorf("close: got %+v, errors %+v, want it closed", p, r.Errors)
		}
		closed = p
	}()
	// Without the month lock the close does not wait: it returns, and the checks below fail.
	s.waitLocked(t, 1, `%FROM pay_months WHERE id = $1 FOR UPDATE%`, closeDone)
	if err := students.Rollback(); err != nil {
		t.Fatal(err)
	}
	heldDone.Wait()
	<-closeDone
	if err := rows.Rollback(); err != nil {
		t.Fatal(err)
	}
	lateDone.Wait()
	if t.Failed() || closed.PayMonth == nil {
		return
	}

	landed := map[string]string{first: "320.00"}
	for i, o := range held {
		if len(o.r.Errors) > 0 || len(o.w.UserErrors) > 0 || o.w.WorkRecord == nil {
			t.Errorf("holder %s: got %+v, errors %+v, want it recorded before the close", holders[i], o.w, o.r.Errors)
			continue
		}
		landed[holders[i]] = amount(i)
	}
	for i, o := range late {
		if len(o.r.Errors) > 0 {
			t.Errorf("latecomer %s: top-level errors %+v", latecomers[i], o.r.Errors)
			continue
		}
		CheckUserErrors(t, o.w.UserErrors, WantErr{"MONTH_CLOSED", "input.month", []string{"2027-01"}})
	}
	var fen int
	for _, a := range landed {
		f, err := strconv.Atoi(strings.Replace(a, ".", "", 1))
		if err != nil {
			t.Fatal(err)
		}
		fen += f
	}
	want := fmt.Sprintf("%d.%02d", fen/100, fen%100)
	if m := closed.PayMonth; m.Records != len(landed) || m.Amount != want {
		t.Errorf("the month as it closed: got %d records, %s; want the %d that landed, %s", m.Records, m.Amount, len(landed), want)
	}
	for _, app := range apps {
		want := 0
		if _, ok := landed[app]; ok {
			want = 1
		}
		if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01'`, app); got != want {
			t.Errorf("records of %s: got %d, want %d", app, got, want)
		}
	}
	pr := s.payroll(t, admin, "2027-01", 100, "")
	var inSheet []string
	for _, e := range pr.Edges {
		for _, l := range e.Node.Lines {
			inSheet = append(inSheet, l.ApplicationID)
			if l.Amount != landed[l.ApplicationID] {
				t.Errorf("payroll line %s: got %s, want %q as recorded", l.ApplicationID, l.Amount, landed[l.ApplicationID])
			}
		}
	}
	if pr.TotalCount != len(landed) || len(inSheet) != len(landed) || pr.TotalAmount != want {
		t.Errorf("payroll: got %d students, lines %v, total %s; want the %d that landed, %s", pr.TotalCount, inSheet, pr.TotalAmount, len(landed), want)
	}
}

// waitLocked returns once n of the test database's sessions wait for a lock in a statement like
// pattern, or done is closed; it fails the test when that takes longer than the server's
// statement timeout, after which a waiting statement would have been cancelled anyway.
func (s *Server) waitLocked(t *testing.T, n int, pattern string, done <-chan struct{}) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	limit := time.After(10 * time.Second)
	for {
		if s.Count(t, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND query LIKE $1`, pattern) >= n {
			return
		}
		select {
		case <-done:
			return
		case <-limit:
			t.Fatalf("%d sessions waiting in %q: not reached in 10s", n, pattern)
		case <-tick.C:
		}
	}
}

// Twenty recordings of a month race its close with nothing steering the interleaving
// (TestPayMonthCloseRacesRecordWork places recordings on both sides of it): each either committed
// before the close, and then
// is counted in the figures the close read under its lock (the pay sheet as it was closed) and
// is in the payroll, or was refused with MONTH_CLOSED and wrote nothing.
func TestPayMonthCloseRacesTwentyRecordings(t *testing.T) {
	s := NewServer(t)
	nos := StudentNos(1, 20)
	unit, _ := s.SeedSchool(t, nos...)
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("月末记录", "headcount", 50))
	apps := make([]string, len(nos))
	for i, no := range nos {
		apps[i] = s.Drive(t, unit, no, pos, "CONFIRMED")
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	staff, admin := s.Unit(t, unit), s.Admin(t)

	// The close is one more racer: PostgreSQL grants FOR SHARE to recordings that arrive while
	// others hold it, so the close may wait for every one of them, or come first and refuse the
	// rest; the checks hold whatever the interleaving, and the log says which it was.
	var mu sync.Mutex
	landed := map[string]bool{}
	var closed payMonthPayload
	Race(len(apps)+1, func(i int) {
		if i == len(apps) {
			p, r := s.closeMonth(t, admin, "2027-01")
			if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.PayMonth == nil {
				t.Errorf("close: got %+v, errors %+v, want it closed", p, r.Errors)
			}
			closed = p
			return
		}
		w, r := s.RecordWorkAs(t, staff, apps[i], "2027-01", 8, "320.00")
		mu.Lock()
		defer mu.Unlock()
		switch {
		case len(r.Errors) > 0:
			t.Errorf("record %s: top-level errors %+v", apps[i], r.Errors)
		case len(w.UserErrors) == 0 && w.WorkRecord != nil:
			landed[apps[i]] = true
		default:
			CheckUserErrors(t, w.UserErrors, WantErr{"MONTH_CLOSED", "input.month", []string{"2027-01"}})
		}
	})
	if t.Failed() || closed.PayMonth == nil {
		return
	}
	t.Logf("%d of %d recordings landed before the close", len(landed), len(apps))
	if got, want := closed.PayMonth.Records, len(landed); got != want {
		t.Errorf("records in the month as it closed: got %d, want the %d that landed", got, want)
	}
	for _, app := range apps {
		want := 0
		if landed[app] {
			want = 1
		}
		if got := s.Count(t, `SELECT count(*) FROM work_records WHERE application_id = $1 AND month = '2027-01'`, app); got != want {
			t.Errorf("records of %s: got %d, want %d", app, got, want)
		}
	}
	pr := s.payroll(t, admin, "2027-01", 100, "")
	var inSheet []string
	for _, e := range pr.Edges {
		for _, l := range e.Node.Lines {
			inSheet = append(inSheet, l.ApplicationID)
		}
	}
	if pr.TotalCount != len(landed) || len(inSheet) != len(landed) || pr.TotalAmount != fmt.Sprintf("%d.00", 320*len(landed)) {
		t.Errorf("payroll: got %d students, lines %v, total %s; want the %d that landed", pr.TotalCount, inSheet, pr.TotalAmount, len(landed))
	}
	for _, app := range inSheet {
		if !landed[app] {
			t.Errorf("payroll line %s: its recording was refused", app)
		}
	}
}

// payrollPage is a PayrollConnection as the tests read it.
type payrollPage struct {
	TotalCount  int
	TotalHours  float64
	TotalAmount string
	Edges       []struct {
		Cursor string
		Node   struct {
			Student struct{ StudentNo string }
			Hours   float64
			Amount  string
			Lines   []struct {
				Unit          struct{ ID, Name string }
				PositionTitle string
				ApplicationID string
				Hours         float64
				Amount        string
			}
		}
	}
	PageInfo struct {
		HasNextPage bool
		EndCursor   *string
	}
}

// payroll reads a page of month's pay sheet as token, which must succeed.
func (s *Server) payroll(t *testing.T, token, month string, first int, after string) payrollPage {
	t.Helper()
	vars := map[string]any{"m": month, "n": first}
	if after != "" {
		vars["a"] = after
	}
	r := s.Do(t, token, `query($m: Month!, $n: Int, $a: String) { r: payroll(month: $m, first: $n, after: $a) {
		totalCount totalHours totalAmount pageInfo { hasNextPage endCursor }
		edges { cursor node { student { studentNo } hours amount lines { unit { id name } positionTitle applicationId hours amount } } } } }`, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("payroll %s: %+v", month, r.Errors)
	}
	var out struct{ R payrollPage }
	r.Decode(t, &out)
	return out.R
}

// payrollSchool is two units and three students: 20260001 employed by both units, 20260002 by
// the first, 20260003 by the second and dismissed in January; January and February recorded.
type payrollSchool struct {
	s              *Server
	unitA, unitB   string
	a1, a2, b1, b3 string // applications: unit, student
	posA, posB     string
	nos            []string
}

func newPayrollSchool(t *testing.T) *payrollSchool {
	s := NewServer(t)
	f := &payrollSchool{s: s, nos: StudentNos(1, 3)}
	f.unitA, f.posA = s.SeedSchool(t, f.nos...)
	f.unitB = s.SeedUnit(t, "图书馆")
	f.posB = s.SeedPosition(t, f.unitB, "PUBLISHED", PositionInput("图书整理", "pay", "1800.00"))
	f.a1 = s.Drive(t, f.unitA, f.nos[0], f.posA, "CONFIRMED")
	f.a2 = s.Drive(t, f.unitA, f.nos[1], f.posA, "CONFIRMED")
	f.b1 = s.Drive(t, f.unitB, f.nos[0], f.posB, "CONFIRMED")
	f.b3 = s.Drive(t, f.unitB, f.nos[2], f.posB, "CONFIRMED")
	s.SetNow(mustTime(t, "2027-01-20T10:00:00+08:00"))
	s.MustTransition(t, s.Unit(t, f.unitB), "DISMISS", f.b3, nil)
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	s.RecordWork(t, f.unitA, f.a1, "2027-01", 10.5, "420.00")
	s.RecordWork(t, f.unitB, f.b1, "2027-01", 4.25, "170.01")
	s.RecordWork(t, f.unitA, f.a2, "2027-01", 20, "800.00")
	s.RecordWork(t, f.unitB, f.b3, "2027-01", 3, "99.99")
	s.RecordWork(t, f.unitA, f.a1, "2027-02", 6, "240.00")
	return f
}

func TestPayroll(t *testing.T) {
	f := newPayrollSchool(t)
	s, admin := f.s, f.s.Admin(t)
	p := s.payroll(t, admin, "2027-01", 2, "")
	if p.TotalCount != 3 || p.TotalHours != 37.75 || p.TotalAmount != "1490.00" || !p.PageInfo.HasNextPage || len(p.Edges) != 2 {
		t.Fatalf("first page: got %+v, want 3 students, 37.75h, 1490.00, two on the page and more", p)
	}
	first := p.Edges[0].Node
	if first.Student.StudentNo != f.nos[0] || first.Hours != 14.75 || first.Amount != "590.01" || len(first.Lines) != 2 ||
		first.Lines[0].ApplicationID != f.a1 || first.Lines[1].ApplicationID != f.b1 ||
		first.Lines[0].Unit.ID != f.unitA || first.Lines[1].Unit.Name != "图书馆" || first.Lines[1].PositionTitle != "图书整理" ||
		first.Lines[1].Amount != "170.01" || first.Lines[1].Hours != 4.25 {
		t.Errorf("first student: got %+v, want both employments, by application id, summed", first)
	}
	if got := p.Edges[1].Node.Student.StudentNo; got != f.nos[1] {
		t.Errorf("second row: got %s, want %s", got, f.nos[1])
	}
	next := s.payroll(t, admin, "2027-01", 2, *p.PageInfo.EndCursor)
	if len(next.Edges) != 1 || next.PageInfo.HasNextPage || next.Edges[0].Node.Student.StudentNo != f.nos[2] || next.Edges[0].Node.Amount != "99.99" {
		t.Errorf("second page: got %+v, want the dismissed student's January alone", next)
	}
	// Without the totals the month is not summed; the page is the same.
	r := s.Do(t, admin, `{ r: payroll(month: "2027-01", first: 1) { edges { node { student { studentNo } amount } } } }`, nil)
	var bare struct {
		R struct {
			Edges []struct{ Node struct{ Amount string } }
		}
	}
	if r.Decode(t, &bare); len(bare.R.Edges) != 1 || bare.R.Edges[0].Node.Amount != "590.01" {
		t.Errorf("page without totals: got %+v, want the first student's 590.01", bare.R)
	}
	if p := s.payroll(t, admin, "2026-12", 20, ""); p.TotalCount != 0 || len(p.Edges) != 0 || p.TotalAmount != "0.00" {
		t.Errorf("a month without records: got %+v, want an empty sheet", p)
	}
}

func TestExportPayroll(t *testing.T) {
	f := newPayrollSchool(t)
	s, admin := f.s, f.s.Admin(t)
	file := export(t, s, admin, "/export/payroll.csv?month=2027-01")
	wantFile(t, file, "payroll-2027-01.csv", "学号", "姓名", "院系", "聘用单位", "岗位名称", "工时（小时）", "发放金额（元）")
	rows := file.rows()
	want := [][]string{
		{f.nos[0], "420.00"}, {f.nos[0], "170.01"}, {"小计", "590.01"},
		{f.nos[1], "800.00"}, {"小计", "800.00"},
		{f.nos[2], "99.99"}, {"小计", "99.99"},
		{"合计", "1490.00"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows: got %d %q, want %d", len(rows), rows, len(want))
	}
	for i, w := range want {
		r := rows[i]
		who := r[0]
		if r[3] == "小计" {
			who = "小计"
		}
		if who != w[0] || r[6] != w[1] {
			t.Errorf("row %d: got %q, want %s with %s", i, r, w[0], w[1])
		}
	}
	if r := rows[1]; r[1] == "" || r[2] == "" || r[3] != "图书馆" || r[4] != "图书整理" || r[5] != "4.25" {
		t.Errorf("a line: got %q, want the student's name and department, the unit, the position and the hours", r)
	}
	if r := rows[len(rows)-1]; r[5] != "37.75" {
		t.Errorf("total hours: got %q, want 37.75", r[5])
	}
	// The amounts of the lines add up to each subtotal and to the total, to the fen.
	var sum, sub int
	for _, r := range rows {
		fen := moneyFen(t, r[6])
		switch {
		case r[0] == "合计":
			if fen != sum {
				t.Errorf("total: got %d fen, want the lines' %d", fen, sum)
			}
		case r[3] == "小计":
			if fen != sub {
				t.Errorf("subtotal of %s: got %d fen, want the lines' %d", r[0], fen, sub)
			}
			sub = 0
		default:
			sum += fen
			sub += fen
		}
	}

	en := export(t, s, admin, "/export/payroll.csv?month=2027-01", "Accept-Language", "en")
	wantFile(t, en, "payroll-2027-01.csv", "Student number", "Name", "Department", "Unit", "Position", "Hours", "Paid amount (yuan)")
	if r := en.rows(); r[2][3] != "Subtotal" || r[len(r)-1][0] != "Total" {
		t.Errorf("English labels: got %q and %q, want Subtotal and Total", r[2], r[len(r)-1])
	}
	t.Run("bad month", func(t *testing.T) {
		for _, q := range []string{"", "?month=2027-13", "?month=2027-01&month=2027-02"} {
			if f := export(t, s, admin, "/export/payroll.csv"+q); f.status != 400 || f.errCode != "BAD_USER_INPUT" || !strings.Contains(f.errMsg, "month") {
				t.Errorf("%q: got %d %s %q, want 400 BAD_USER_INPUT naming month", q, f.status, f.errCode, f.errMsg)
			}
		}
	})
}

// moneyFen reads a Money string as fen.
func moneyFen(t *testing.T, m string) int {
	t.Helper()
	yuan, fen, ok := strings.Cut(m, ".")
	y, err1 := strconv.Atoi(yuan)
	f, err2 := strconv.Atoi(fen)
	if !ok || err1 != nil || err2 != nil || len(fen) != 2 {
		t.Fatalf("amount %q is not yuan with two decimals", m)
	}
	return y*100 + f
}

// On the seeded school: every employment's paid amount in the history equals its pay-sheet lines
// over all months, and every unit's paid amount in each month of the report equals the pay sheet's.
func TestPayrollAgreesWithHistoryAndReport(t *testing.T) {
	f := newPayrollSchool(t)
	s, admin := f.s, f.s.Admin(t)
	months := []string{"2027-01", "2027-02"}
	byApp := map[string]int{}
	byUnitMonth := map[string]int{}
	for _, m := range months {
		for _, e := range s.payroll(t, admin, m, 100, "").Edges {
			for _, l := range e.Node.Lines {
				byApp[l.ApplicationID] += moneyFen(t, l.Amount)
				byUnitMonth[l.Unit.ID+"/"+m] += moneyFen(t, l.Amount)
			}
		}
	}
	seen := 0
	for _, no := range f.nos {
		r := s.Do(t, admin, `query($no: String) { r: employmentHistory(studentNo: $no, first: 100) { edges { node { paidAmount application { id status } } } } }`,
			map[string]any{"no": no})
		var out struct {
			R struct {
				Edges []struct {
					Node struct {
						PaidAmount  string
						Application struct{ ID, Status string }
					}
				}
			}
		}
		r.Decode(t, &out)
		for _, e := range out.R.Edges {
			seen++
			if got, want := moneyFen(t, e.Node.PaidAmount), byApp[e.Node.Application.ID]; got != want {
				t.Errorf("history of %s, application %s: paid %d fen, pay sheets %d", no, e.Node.Application.ID, got, want)
			}
		}
	}
	if seen != 4 {
		t.Errorf("history rows: got %d, want the 4 employments", seen)
	}
	r := s.Do(t, admin, `query($y: String!) { r: report(academicYear: $y, groupBy: [UNIT, MONTH]) { rows { unit { id } month paidAmount } } }`,
		map[string]any{"y": TestYear})
	var rep struct {
		R struct {
			Rows []struct {
				Unit       struct{ ID string }
				Month      string
				PaidAmount string
			}
		}
	}
	r.Decode(t, &rep)
	cells := 0
	for _, row := range rep.R.Rows {
		key := row.Unit.ID + "/" + row.Month
		got := moneyFen(t, row.PaidAmount)
		if got == 0 && byUnitMonth[key] == 0 {
			continue
		}
		cells++
		if want := byUnitMonth[key]; got != want {
			t.Errorf("report %s: paid %d fen, pay sheet %d", key, got, want)
		}
	}
	if want := len(byUnitMonth); cells != want {
		t.Errorf("report cells with payments: got %d, want the pay sheets' %d", cells, want)
	}
}

func TestMissingWorkRecords(t *testing.T) {
	f := newPayrollSchool(t)
	s := f.s
	list := func(token, month string, vars map[string]any) ([]string, Response) {
		v := map[string]any{"m": month}
		for k, x := range vars {
			v[k] = x
		}
		r := s.Do(t, token, `query($m: Month!, $n: Int, $a: ID) { r: missingWorkRecords(month: $m, first: $n, after: $a) { id application { id } } }`, v)
		var out struct{ R []struct{ ID string } }
		if len(r.Errors) == 0 {
			r.Decode(t, &out)
		}
		var ids []string
		for _, e := range out.R {
			ids = append(ids, e.ID)
		}
		return ids, r
	}
	admin := s.Admin(t)
	// February: a2 and b1 owe it; a1 recorded it; b3 was dismissed in January.
	if got, _ := list(admin, "2027-02", nil); !slices.Equal(got, []string{f.a2, f.b1}) {
		t.Errorf("admin, February: got %v, want %v", got, []string{f.a2, f.b1})
	}
	if got, _ := list(s.Unit(t, f.unitA), "2027-02", nil); !slices.Equal(got, []string{f.a2}) {
		t.Errorf("unit A, February: got %v, want %v", got, []string{f.a2})
	}
	if got, _ := list(s.Unit(t, f.unitB), "2027-02", nil); !slices.Equal(got, []string{f.b1}) {
		t.Errorf("unit B, February: got %v, want %v", got, []string{f.b1})
	}
	if got, _ := list(admin, "2027-01", nil); len(got) != 0 {
		t.Errorf("January, all recorded: got %v, want none", got)
	}
	if got, _ := list(admin, "2027-02", map[string]any{"n": 1}); !slices.Equal(got, []string{f.a2}) {
		t.Errorf("first page of one: got %v, want %v", got, []string{f.a2})
	}
	if got, _ := list(admin, "2027-02", map[string]any{"n": 1, "a": f.a2}); !slices.Equal(got, []string{f.b1}) {
		t.Errorf("after %s: got %v, want %v", f.a2, got, []string{f.b1})
	}
	s.SetNow(mustTime(t, "2027-01-20T10:00:00+08:00"))
	if got, _ := list(admin, "2027-02", nil); len(got) != 0 {
		t.Errorf("a month not begun: got %v, want none", got)
	}
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	if _, r := list(admin, "2027-02", map[string]any{"n": 101}); r.Code() != "BAD_USER_INPUT" {
		t.Errorf("first 101: got %+v, want BAD_USER_INPUT", r.Errors)
	}
	// Recording the month takes the employment off the list.
	s.RecordWork(t, f.unitA, f.a2, "2027-02", 1, "40.00")
	if got, _ := list(admin, "2027-02", nil); !slices.Equal(got, []string{f.b1}) {
		t.Errorf("after a2's record: got %v, want %v", got, []string{f.b1})
	}
}
