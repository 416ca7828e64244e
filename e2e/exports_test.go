package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/service"
)

// End-to-end tests of the CSV exports over HTTP: the file (BOM, media type, attachment), headers
// in both languages, rows in the query's order with the query's values, filters, who may export
// what, bad parameters, an export that outlives the deadlines of ordinary requests, and one that
// the server's shutdown ends.

// csvFile is a downloaded export.
type csvFile struct {
	status  int
	header  http.Header
	raw     []byte
	records [][]string // the header row first
	errCode string     // extensions.code of a refusal
	errMsg  string
}

// export GETs path (with its query string) as token ("" for none) and parses the answer; a
// failure to get or read one fails the test.
func export(t *testing.T, s *Server, token, path string, headers ...string) csvFile {
	t.Helper()
	f, err := fetchCSV(s.URL, token, path, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// fetchCSV is export reporting through its result, for goroutines other than the test's.
func fetchCSV(base, token, path string, headers ...string) (csvFile, error) {
	req, err := NewRequest(http.MethodGet, base+path, token, nil, headers...)
	if err != nil {
		return csvFile{}, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return csvFile{}, fmt.Errorf("GET %s: %w", path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return csvFile{}, fmt.Errorf("GET %s: reading the body: %w", path, err)
	}
	f := csvFile{status: res.StatusCode, header: res.Header, raw: raw}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Errors []GQLError `json:"errors"`
		}
		if err := json.Unmarshal(raw, &e); err != nil || len(e.Errors) != 1 {
			return f, fmt.Errorf("GET %s: status %d, body %q: want one JSON error", path, res.StatusCode, raw)
		}
		f.errCode, _ = e.Errors[0].Extensions["code"].(string)
		f.errMsg = e.Errors[0].Message
		return f, nil
	}
	body, ok := bytes.CutPrefix(raw, []byte("\uFEFF"))
	if !ok {
		return f, fmt.Errorf("GET %s: body starts %q, want the UTF-8 byte-order mark", path, raw[:min(len(raw), 8)])
	}
	if f.records, err = csv.NewReader(bytes.NewReader(body)).ReadAll(); err != nil {
		return f, fmt.Errorf("GET %s: not CSV: %w\n%s", path, err, body)
	}
	return f, nil
}

// rows are the records after the header row.
func (f csvFile) rows() [][]string { return f.records[1:] }

// wantFile fails unless f is a CSV attachment called name with the header row want.
func wantFile(t *testing.T, f csvFile, name string, want ...string) {
	t.Helper()
	if f.status != http.StatusOK {
		t.Fatalf("status: got %d (%s %s), want 200", f.status, f.errCode, f.errMsg)
	}
	if got := f.header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type: got %q, want text/csv; charset=utf-8", got)
	}
	if got, want := f.header.Get("Content-Disposition"), `attachment; filename=`+name; got != want {
		t.Errorf("Content-Disposition: got %q, want %q", got, want)
	}
	if !slices.Equal(f.records[0], want) {
		t.Errorf("header row: got %q, want %q", f.records[0], want)
	}
}

// wantRefused fails unless f is a refusal with status and code whose message contains parts.
func wantRefused(t *testing.T, what string, f csvFile, status int, code string, parts ...string) {
	t.Helper()
	if f.status != status || f.errCode != code {
		t.Errorf("%s: got %d %s (%q), want %d %s", what, f.status, f.errCode, f.errMsg, status, code)
	}
	for _, p := range parts {
		if !strings.Contains(f.errMsg, p) {
			t.Errorf("%s: message %q, want it to name %q", what, f.errMsg, p)
		}
	}
}

// spreadsheetTime is an RFC 3339 time of the API as the exports show it.
func spreadsheetTime(t *testing.T, s string) string {
	return mustTime(t, s).In(service.SchoolZone).Format("2006-01-02 15:04")
}

var (
	historyHeadersZh = []string{"状态", "聘用单位", "岗位名称", "发放金额", "岗位性质", "岗位描述", "申请开始时间", "申请结束时间",
		"工作开始时间", "工作结束时间", "工作时间要求"}
	historyHeadersEn = []string{"Status", "Unit", "Position", "Paid amount", "Nature", "Description", "Applications open",
		"Applications close", "Work starts", "Work ends", "Work time"}
)

// historyAsCSV is what the history export shows of rows, in all columns.
func historyAsCSV(t *testing.T, rows []historyNode, labels, natures map[string]string) [][]string {
	out := [][]string{}
	for _, r := range rows {
		out = append(out, []string{labels[r.Status], r.Unit.Name, r.PositionTitle, r.PaidAmount, natures[r.Nature], r.Description,
			spreadsheetTime(t, r.ApplyStart), spreadsheetTime(t, r.ApplyEnd), spreadsheetTime(t, r.WorkStart),
			spreadsheetTime(t, r.WorkEnd), r.WorkTimeRequirement})
	}
	return out
}

func (c historyConnection) nodes() []historyNode {
	out := []historyNode{}
	for _, e := range c.Edges {
		out = append(out, e.Node)
	}
	return out
}

func TestExportHistory(t *testing.T) {
	t.Parallel()
	f := newHistoryFixture(t)
	s := f.s
	stuA := s.Student(t, f.A)
	zhLabels := map[string]string{"HIRED": "已聘用", "CONFIRMED": "已聘已确认", "DECLINED": "已放弃", "DISMISSED": "已解聘"}
	enLabels := map[string]string{"HIRED": "Hired", "CONFIRMED": "Confirmed", "DECLINED": "Declined", "DISMISSED": "Dismissed"}
	zhNatures := map[string]string{"LONG_TERM": "长期", "TEMPORARY": "临时"}
	enNatures := map[string]string{"LONG_TERM": "Long-term", "TEMPORARY": "Temporary"}
	q := historyQuery(historyAllFields, false)

	// The query's rows, values and default order (newest first), in every column by default.
	page := historyPage(t, s, stuA, q, historyVars("n", 100)).nodes()
	file := export(t, s, stuA, "/export/history.csv")
	wantFile(t, file, "employment-history.csv", historyHeadersZh...)
	if got, want := file.rows(), historyAsCSV(t, page, zhLabels, zhNatures); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("student A's rows:\ngot  %q\nwant %q", got, want)
	}
	// One row spelled out: money in yuan, labels, times in the school's zone.
	a2 := []string{"已聘已确认", "研究生院", "数据整理", "3700.50", "长期", "整理数据", "2026-11-01 00:00", "2026-12-31 00:00",
		"2027-01-01 00:00", "2027-03-01 00:00", "周一上午"}
	if len(file.rows()) != 5 || !slices.Equal(file.rows()[3], a2) {
		t.Errorf("row of a2 (fourth, newest first): got %q, want %q", file.rows(), a2)
	}
	en := export(t, s, stuA, "/export/history.csv", English...)
	wantFile(t, en, "employment-history.csv", historyHeadersEn...)
	if got, want := en.rows(), historyAsCSV(t, page, enLabels, enNatures); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("student A's rows in English:\ngot  %q\nwant %q", got, want)
	}

	// Filters as the query takes them.
	for _, c := range []struct {
		query  string
		filter map[string]any
	}{
		{"nature=TEMPORARY", map[string]any{"nature": "TEMPORARY"}},
		{"keyword=+data+", map[string]any{"keyword": " data "}},
		{"academicYear=2027-2028", map[string]any{"academicYear": "2027-2028"}},
		{"unitId=" + f.U1 + "&positionTitle=" + url.QueryEscape("数据整理"), map[string]any{"unitId": f.U1, "positionTitle": "数据整理"}},
		{"nature=", map[string]any{}},
	} {
		want := historyAsCSV(t, historyPage(t, s, stuA, q, historyVars("n", 100, "f", c.filter)).nodes(), zhLabels, zhNatures)
		got := export(t, s, stuA, "/export/history.csv?"+c.query)
		if got.status != http.StatusOK || fmt.Sprint(got.rows()) != fmt.Sprint(want) {
			t.Errorf("filter %s: got %d %q, want %q", c.query, got.status, got.records, want)
		}
		if len(want) == 0 && c.query != "nature=" {
			t.Errorf("filter %s: the query finds nothing, the test checks nothing", c.query)
		}
	}

	// Who sees what: admin everyone or one student, unit staff their unit's rows.
	admin, unit1 := s.Admin(t), s.Unit(t, f.U1)
	for _, c := range []struct {
		who, token, query string
		vars              map[string]any
		n                 int
	}{
		{"admin", admin, "", historyVars("n", 100), 7},
		{"admin, student B", admin, "?studentNo=" + f.B, historyVars("n", 100, "s", f.B), 2},
		{"unit U1", unit1, "", historyVars("n", 100), 5},
	} {
		want := historyAsCSV(t, historyPage(t, s, c.token, q, c.vars).nodes(), zhLabels, zhNatures)
		got := export(t, s, c.token, "/export/history.csv"+c.query)
		if len(want) != c.n || fmt.Sprint(got.rows()) != fmt.Sprint(want) {
			t.Errorf("%s: got %q, want the query's %d rows %q", c.who, got.records, c.n, want)
		}
	}

	// The saved columns, in their saved order.
	s.Do(t, stuA, `mutation { setHistoryColumns(columns: [PAID_AMOUNT, STATUS, UNIT]) { columns } }`, nil)
	saved := export(t, s, stuA, "/export/history.csv")
	wantFile(t, saved, "employment-history.csv", "发放金额", "状态", "聘用单位")
	if len(saved.rows()) != 5 || !slices.Equal(saved.rows()[3], []string{"3700.50", "已聘已确认", "研究生院"}) {
		t.Errorf("saved columns: got %q, want a2 as 3700.50, 已聘已确认, 研究生院", saved.rows())
	}

	// Refusals, as the query's, with the status they stand for.
	wantRefused(t, "no token", export(t, s, "", "/export/history.csv"), 401, "UNAUTHENTICATED")
	wantRefused(t, "another student's", export(t, s, stuA, "/export/history.csv?studentNo="+f.B), 404, "NOT_FOUND", f.B)
	wantRefused(t, "bad nature", export(t, s, stuA, "/export/history.csv?nature=SHORT"), 400, "BAD_USER_INPUT", "nature", "LONG_TERM", "SHORT")
	wantRefused(t, "bad unit id", export(t, s, stuA, "/export/history.csv?unitId=abc", English...), 400, "BAD_USER_INPUT",
		"unitId", "positive integer", `"abc"`)
	wantRefused(t, "misspelt filter", export(t, s, stuA, "/export/history.csv?natrue=LONG_TERM", English...), 400, "BAD_USER_INPUT",
		"natrue", "nature")
	wantRefused(t, "repeated filter", export(t, s, stuA, "/export/history.csv?nature=LONG_TERM&nature=TEMPORARY"), 400, "BAD_USER_INPUT", "nature")
	if r, _ := RawRequest(t, http.MethodPost, s.URL+"/export/history.csv", nil, "Authorization", "Bearer "+stuA); r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: got %d, want 405", r.StatusCode)
	}
}

// applicantsOrder is the query's applicants of position p, as student numbers.
func applicantsOrder(t *testing.T, s *Server, token, p string, status any) []string {
	t.Helper()
	var out struct{ Applicants applicantsConnection }
	// 50, not 100: a page of every field of 100 applicants costs 1,002, over the cost limit.
	s.Do(t, token, applicantsQuery, map[string]any{"p": p, "status": status, "first": 50}).Decode(t, &out)
	return out.Applicants.students()
}

func TestExportApplicants(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	nos := StudentNos(1, 4)
	s.SeedYear(t)
	unit, other := s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "药学院")
	needy := With(StudentRow(nos[2]), "financialNeed", true, "degree", "DOCTORAL")
	s.SeedStudentRows(t, StudentRow(nos[0]), StudentRow(nos[1]), needy, StudentRow(nos[3]))
	for _, no := range nos[:3] {
		s.SeedProfile(t, no, ProfileInput(TestYear))
	}
	pos := s.SeedPosition(t, unit, "PUBLISHED", PositionInput("数据整理"))
	apps := map[string]string{}
	for i, no := range nos[:3] {
		s.SetNow(time.Date(2026, 11, 15, 10, i, 0, 0, service.SchoolZone))
		apps[no] = s.Apply(t, no, pos)
	}
	s.MustTransition(t, s.Unit(t, unit), "HIRE", apps[nos[1]], nil)
	staff := s.Unit(t, unit)

	file := export(t, s, staff, "/export/applicants.csv?positionId="+pos)
	wantFile(t, file, "applicants-position-"+pos+".csv",
		"学号", "姓名", "学位", "院系", "状态", "联系电话", "邮箱", "申请理由", "特长", "每周工作时长（小时）", "申请时间")
	var got []string
	for _, r := range file.rows() {
		got = append(got, r[0])
	}
	if want := applicantsOrder(t, s, staff, pos, nil); !slices.Equal(got, want) || want[0] != nos[2] {
		t.Errorf("order: got %v, want the query's %v (financial need first)", got, want)
	}
	var student struct {
		Student struct{ Name, Department, Phone, Email string }
	}
	s.Do(t, s.Admin(t), `query($no: String!) { student(studentNo: $no) { name department phone email } }`, map[string]any{"no": nos[2]}).Decode(t, &student)
	st := student.Student
	var app struct {
		Application struct{ Reason, AppliedAt string }
	}
	s.Do(t, staff, `query($id: ID!) { application(id: $id) { reason appliedAt } }`, map[string]any{"id": apps[nos[2]]}).Decode(t, &app)
	wantRow := []string{nos[2], st.Name, "博士", st.Department, "已申请", st.Phone, st.Email, app.Application.Reason,
		ProfileInput(TestYear)["specialties"].(string), fmt.Sprint(ProfileInput(TestYear)["weeklyHours"]), "2026-11-15 10:02"}
	if !slices.Equal(file.rows()[0], wantRow) {
		t.Errorf("the needy applicant's row: got %q, want %q", file.rows()[0], wantRow)
	}
	if slices.ContainsFunc(file.records, func(r []string) bool { return slices.Contains(r, "true") || slices.Contains(r, "是") }) {
		t.Errorf("the financial-need flag shows: %q", file.records)
	}

	en := export(t, s, s.Admin(t), "/export/applicants.csv?positionId="+pos+"&status=HIRED", English...)
	wantFile(t, en, "applicants-position-"+pos+".csv", "Student number", "Name", "Degree", "Department", "Status", "Phone",
		"Email", "Reason", "Specialties", "Weekly hours", "Applied at")
	if len(en.rows()) != 1 || en.rows()[0][0] != nos[1] || en.rows()[0][2] != "Master's" || en.rows()[0][4] != "Hired" {
		t.Errorf("admin, HIRED, English: got %q, want %s alone, Master's, Hired", en.rows(), nos[1])
	}

	// One statement reads all the rows, after one for the visibility check, however many there
	// are (nothing else runs on this server meanwhile).
	cost := func(query string) (int64, int) {
		before := s.stmts.Load()
		f := export(t, s, staff, "/export/applicants.csv?positionId="+pos+query)
		return s.stmts.Load() - before, len(f.rows())
	}
	if all, n := cost(""); all != 2 || n != 3 {
		t.Errorf("statements of the export of %d applicants: got %d, want 2", n, all)
	}
	if one, n := cost("&status=HIRED"); one != 2 || n != 1 {
		t.Errorf("statements of the export of %d applicant: got %d, want 2", n, one)
	}

	wantRefused(t, "no token", export(t, s, "", "/export/applicants.csv?positionId="+pos), 401, "UNAUTHENTICATED")
	wantRefused(t, "student", export(t, s, s.Student(t, nos[0]), "/export/applicants.csv?positionId="+pos), 403, "FORBIDDEN")
	wantRefused(t, "another unit", export(t, s, s.Unit(t, other), "/export/applicants.csv?positionId="+pos), 404, "NOT_FOUND", pos)
	wantRefused(t, "no such position", export(t, s, staff, "/export/applicants.csv?positionId=999999"), 404, "NOT_FOUND")
	wantRefused(t, "no position", export(t, s, staff, "/export/applicants.csv", English...), 400, "BAD_USER_INPUT", "positionId", "required")
	wantRefused(t, "bad position", export(t, s, staff, "/export/applicants.csv?positionId=-3"), 400, "BAD_USER_INPUT", "positionId", "-3")
	wantRefused(t, "bad status", export(t, s, staff, "/export/applicants.csv?positionId="+pos+"&status=hired"), 400, "BAD_USER_INPUT",
		"status", "HIRED", "hired")
}

func TestExportNominations(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	worked := map[string]float64{"20160001": 41.5, "20160002": 45.25, "20160003": 50}
	unit := seedNominationSchool(t, s, worked)
	var ids []string
	for _, no := range []string{"20160001", "20160002", "20160003"} {
		ids = append(ids, wantNomination(t, submitNomination(t, s, no, nominationReason(500)), "SUBMITTED").ID)
	}
	admin := s.Admin(t)
	reviewed := wantNomination(t, mutateNomination(t, s, admin, reviewNominationMutation, map[string]any{"id": ids[1], "a": true, "c": "=认真"}), "AWARDED")
	mutateNomination(t, s, s.Student(t, "20160003"), withdrawNominationMutation, map[string]any{"id": ids[2]})

	file := export(t, s, admin, "/export/nominations.csv?academicYear="+TestYear)
	wantFile(t, file, "nominations-"+TestYear+".csv",
		"学号", "姓名", "院系", "学年", "状态", "工作时长（小时）", "申请理由", "提交时间", "评审时间", "评审人", "评审意见")
	page := nominationsPage(t, s, TestYear, nil, 100, nil)
	var want [][]string
	for _, e := range page.Edges {
		n := e.Node
		var full struct{ Student struct{ Department string } }
		s.Do(t, admin, `query($no: String!) { student(studentNo: $no) { department } }`, map[string]any{"no": n.Student.StudentNo}).Decode(t, &full)
		row := []string{n.Student.StudentNo, n.Student.Name, full.Student.Department, TestYear, map[string]string{"SUBMITTED": "评审中", "AWARDED": "已获评"}[n.Status],
			fmt.Sprint(n.HoursWorked), n.Reason, "2027-06-10 10:00", "", "", ""}
		if n.ID == reviewed.ID {
			row[8], row[9], row[10] = spreadsheetTime(t, *reviewed.ReviewedAt), *reviewed.Reviewer, "'=认真" // a formula is shown as text
		}
		want = append(want, row)
	}
	if len(want) != 2 || fmt.Sprint(file.rows()) != fmt.Sprint(want) {
		t.Errorf("rows (newest first, withdrawn left out):\ngot  %q\nwant %q", file.rows(), want)
	}
	awarded := export(t, s, admin, "/export/nominations.csv?academicYear="+TestYear+"&status=AWARDED", English...)
	if len(awarded.rows()) != 1 || awarded.rows()[0][4] != "Awarded" || awarded.rows()[0][5] != "45.25" || awarded.records[0][5] != "Hours worked" {
		t.Errorf("AWARDED in English: got %q, want 20160002's row alone, Awarded, 45.25 hours", awarded.records)
	}
	wantRefused(t, "unit staff", export(t, s, s.Unit(t, unit), "/export/nominations.csv?academicYear="+TestYear), 403, "FORBIDDEN")
	wantRefused(t, "student", export(t, s, s.Student(t, "20160001"), "/export/nominations.csv?academicYear="+TestYear), 403, "FORBIDDEN")
	wantRefused(t, "no such year", export(t, s, admin, "/export/nominations.csv?academicYear=2030-2031"), 404, "NOT_FOUND", "2030-2031")
	wantRefused(t, "no year", export(t, s, admin, "/export/nominations.csv"), 400, "BAD_USER_INPUT", "academicYear")
	wantRefused(t, "bad status", export(t, s, admin, "/export/nominations.csv?academicYear="+TestYear+"&status=DONE"), 400, "BAD_USER_INPUT", "status", "DONE")
}

// csvResult is what fetchCSV returned in a goroutine.
type csvResult struct {
	f   csvFile
	err error
}

func (r csvResult) must(t *testing.T) csvFile {
	t.Helper()
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.f
}

// holdApplications locks the applications table until the returned function releases it, so an
// export's statement waits in the database as long as the test wants; waitBlocked returns once a
// statement of the server is waiting for that lock.
func holdApplications(t *testing.T, s *Server) (waitBlocked func(longerThan time.Duration), release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`LOCK TABLE applications IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			_ = tx.Rollback()
		}
	}
	t.Cleanup(release)
	waitBlocked = func(longerThan time.Duration) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			var n int
			// Only the history's statement selects a sort_key (the export's, or its preparation,
			// which the export's first run starts); the clock is the database's.
			if err := s.DB.Get(&n, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
				AND wait_event_type = 'Lock' AND query LIKE '%AS sort_key%' AND now() - query_start > $1::interval`,
				longerThan.String()); err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("no statement of the export waited for the lock within 30 s")
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return waitBlocked, release
}

// An export is long-lived: it runs past the request deadline and the read and write timeouts that
// cut an ordinary request, which the same wait does cut.
func TestExportOutlivesRequestDeadlines(t *testing.T) {
	t.Parallel()
	const short = 100 * time.Millisecond
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, StudentNos(1, 3)...)
	for _, no := range StudentNos(1, 3) {
		s.Drive(t, unit, no, pos, "HIRED")
	}
	// Seeded under ordinary limits; served with tiny ones.
	tiny := s.Replica(t, "", WithLimits(httpapi.Limits{RequestTimeout: short, ReadTimeout: short, WriteTimeout: short}))
	admin := s.Admin(t)
	waitBlocked, release := holdApplications(t, s)

	// An ordinary request waiting on the same lock is cut at its deadline.
	// Its answer is INTERNAL, or no answer at all: the write timeout has passed too by then.
	if r, err := PostOp(tiny, admin, `{ employmentHistory(first: 5) { edges { node { id } } } }`, nil); err == nil && r.Code() != "INTERNAL" {
		t.Errorf("history query behind the lock: got %s %v, want it cut at the request deadline", r.Data, r.Errors)
	}
	done := make(chan csvResult, 1)
	go func() { f, err := fetchCSV(tiny, admin, "/export/history.csv"); done <- csvResult{f, err} }()
	waitBlocked(5 * short) // well past every deadline of an ordinary request
	release()
	file := (<-done).must(t)
	wantFile(t, file, "employment-history.csv", historyHeadersZh...)
	if len(file.rows()) != 3 {
		t.Errorf("rows: got %q, want the 3 hires", file.rows())
	}
}

// Shutting the server down ends an export that is still running: its client gets 503
// SHUTTING_DOWN (or, once rows went out, a broken download), and the shutdown does not wait for it.
func TestExportEndsAtShutdown(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, StudentNos(1, 2)...)
	s.Drive(t, unit, StudentNos(1, 1)[0], pos, "HIRED")
	admin := s.Admin(t)
	waitBlocked, _ := holdApplications(t, s)
	done := make(chan csvResult, 1)
	go func() { f, err := fetchCSV(s.URL, admin, "/export/history.csv"); done <- csvResult{f, err} }()
	waitBlocked(0)
	// Half the request deadline of an ordinary request: an export that were one would hold the
	// shutdown past it.
	ctx, cancel := context.WithTimeout(context.Background(), httpapi.DefaultLimits.RequestTimeout/2)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: got %v, want the export ended and the server down", err)
	}
	wantRefused(t, "export under way at shutdown", (<-done).must(t), http.StatusServiceUnavailable, "SHUTTING_DOWN")
}
