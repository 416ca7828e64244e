package e2e

import (
	"fmt"
	"testing"
	"time"
)

// Statement counts: a page's cost in SQL statements must not grow with its size. Each operation
// runs with first: 1 and with a page of every row (at least 30), nested objects selected, and the
// two counts must be equal. The data is written with SQL straight into the tables (valid rows:
// every status with its timeline, employments with their work records) because seeding hundreds
// of transitions through the API is slow.

// pageRows is how many positions, students and applicants the fixture has.
const pageRows = 40

// pageStudent is the number of the i-th student; student 0 applied to every position.
func pageStudent(i int) string { return fmt.Sprintf("2020%04d", i) }

// pagesFixture is the seeded school.
type pagesFixture struct {
	s         *Server
	units     []string // three units
	positions []int64  // pageRows published positions; positions[0] belongs to units[0]
}

// seededTimeline is the timeline that leads to each status, as (event, from, to).
var seededTimeline = map[string][][3]string{
	"APPLIED":   {{"APPLY", "", "APPLIED"}},
	"WITHDRAWN": {{"APPLY", "", "APPLIED"}, {"WITHDRAW", "APPLIED", "WITHDRAWN"}},
	"REJECTED":  {{"APPLY", "", "APPLIED"}, {"REJECT", "APPLIED", "REJECTED"}},
	"HIRED":     {{"APPLY", "", "APPLIED"}, {"HIRE", "APPLIED", "HIRED"}},
	"DECLINED":  {{"APPLY", "", "APPLIED"}, {"HIRE", "APPLIED", "HIRED"}, {"DECLINE", "HIRED", "DECLINED"}},
	"CONFIRMED": {{"APPLY", "", "APPLIED"}, {"HIRE", "APPLIED", "HIRED"}, {"CONFIRM", "HIRED", "CONFIRMED"}},
	"DISMISSED": {{"APPLY", "", "APPLIED"}, {"HIRE", "APPLIED", "HIRED"}, {"CONFIRM", "HIRED", "CONFIRMED"},
		{"DISMISS", "CONFIRMED", "DISMISSED"}},
}

// seedPages seeds: 3 units, pageRows students with profiles (two free-time slots each), pageRows
// published positions; student 0 applied to every position (statuses cycling through the four
// history statuses), and every other student applied to positions[0] (statuses cycling through all
// seven). CONFIRMED and DISMISSED applications have two months of work records.
func seedPages(t *testing.T) *pagesFixture {
	t.Helper()
	s := NewServer(t)
	f := &pagesFixture{s: s}
	s.SeedYear(t)
	for _, n := range []string{"研究生院", "基础医学院", "药学院"} {
		f.units = append(f.units, s.SeedUnit(t, n))
	}
	nos := make([]string, pageRows)
	for i := range nos {
		nos[i] = pageStudent(i)
	}
	s.SeedStudents(t, nos...)

	tx := s.DB.MustBegin()
	defer tx.Rollback()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, no := range nos {
		_, err := tx.Exec(`UPDATE students SET financial_need = $2 WHERE student_no = $1`, no, i%5 == 0)
		must(err)
		var pid int64
		must(tx.Get(&pid, `INSERT INTO profiles (student_no, academic_year, specialties, natures, weekly_hours, phone, email)
			VALUES ($1, $2, $3, ARRAY['LONG_TERM', 'TEMPORARY'], 20, '13800000000', $1 || '@bjmu.edu.cn') RETURNING id`,
			no, TestYear, "特长"+no))
		_, err = tx.Exec(`INSERT INTO free_time_slots (profile_id, weekday, start_min, end_min) VALUES ($1, 1, 480, 600), ($1, 3, 840, 960)`, pid)
		must(err)
	}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	natures := []string{"LONG_TERM", "TEMPORARY"}
	for j := 0; j < pageRows; j++ {
		var id int64
		applyStart := base.Add(time.Duration(j) * time.Hour)
		must(tx.Get(&id, `INSERT INTO positions (unit_id, academic_year, title, description, nature, duty_category, headcount,
				pay_fen, weekly_hours, work_time_requirement, apply_start, apply_end, work_start, work_end, status, published_at)
			VALUES ($1, $2, $3, $4, $5, 'DATA_ANALYSIS', 1000, $6, 5, $7, $8, $9, $10, $11, 'PUBLISHED', $8) RETURNING id`,
			f.units[j%3], TestYear, fmt.Sprintf("岗位%02d", j), fmt.Sprintf("描述%02d", j), natures[j%2], 250000+j,
			fmt.Sprintf("周%d", j%7+1), applyStart, base.AddDate(0, 2, 0), base.AddDate(0, 2, 0), base.AddDate(0, 4, 0)))
		f.positions = append(f.positions, id)
		_, err := tx.Exec(`INSERT INTO position_events (position_id, from_status, to_status, actor, at)
			VALUES ($1, NULL, 'DRAFT', 'seed', $2), ($1, 'DRAFT', 'PUBLISHED', 'seed', $2)`, id, applyStart)
		must(err)
	}
	insert := func(no string, pos int64, status string, k int) {
		t.Helper()
		at := base.Add(time.Duration(k) * time.Minute)
		var started, ended, reason any
		if status == "CONFIRMED" || status == "DISMISSED" {
			started = at.Add(2 * time.Hour)
		}
		if status == "DISMISSED" {
			ended, reason = at.Add(3*time.Hour), "不再需要"
		}
		var id int64
		must(tx.Get(&id, `INSERT INTO applications (position_id, student_no, status, phone, email, reason, applied_at, updated_at,
				started_at, ended_at, end_reason)
			VALUES ($1, $2, $3, '13800000000', $2 || '@bjmu.edu.cn', '想参加', $4, $4, $5, $6, $7) RETURNING id`,
			pos, no, status, at, started, ended, reason))
		for n, e := range seededTimeline[status] {
			var from any
			if e[1] != "" {
				from = e[1]
			}
			role := "STUDENT"
			if e[0] == "HIRE" || e[0] == "REJECT" || e[0] == "DISMISS" {
				role = "UNIT_STAFF"
			}
			_, err := tx.Exec(`INSERT INTO application_events (application_id, event, from_status, to_status, actor, actor_role, note, at)
				VALUES ($1, $2, $3, $4, 'seed', $5, '', $6)`, id, e[0], from, e[2], role, at.Add(time.Duration(n)*time.Hour))
			must(err)
		}
		if started != nil {
			for m, month := range []string{"2027-01", "2027-02"} {
				_, err := tx.Exec(`INSERT INTO work_records (application_id, month, student_no, hours, amount_fen) VALUES ($1, $2, $3, 10, $4)`,
					id, month, no, 50000+m*100+k)
				must(err)
			}
		}
	}
	history := []string{"HIRED", "CONFIRMED", "DECLINED", "DISMISSED"}
	for j, pos := range f.positions {
		insert(pageStudent(0), pos, history[j%4], j)
	}
	all := []string{"APPLIED", "HIRED", "CONFIRMED", "REJECTED", "WITHDRAWN", "DECLINED", "DISMISSED"}
	for i := 1; i < pageRows; i++ {
		insert(pageStudent(i), f.positions[0], all[i%7], pageRows+i)
	}
	must(tx.Commit())
	return f
}

// comparePageCosts runs query with first: 1 and first: big and asserts equal statement counts; rows
// returns how many nodes a response holds (and checks their nested objects).
func comparePageCosts(t *testing.T, s *Server, name, token, query string, vars map[string]any, big, wantBig int,
	rows func(t *testing.T, r Response) int) (small, large int64) {
	t.Helper()
	run := func(first int) (int64, int) {
		v := map[string]any{"n": first}
		for k, x := range vars {
			v[k] = x
		}
		n, r := s.Statements(t, token, query, v)
		if len(r.Errors) > 0 {
			t.Fatalf("%s first %d: %+v", name, first, r.Errors)
		}
		return n, rows(t, r)
	}
	small, got1 := run(1)
	large, gotN := run(big)
	if got1 != 1 || gotN != wantBig || wantBig < 30 {
		t.Fatalf("%s: got %d and %d rows, want 1 and %d (at least 30)", name, got1, gotN, wantBig)
	}
	t.Logf("%s: %d statements for 1 row, %d statements for %d rows", name, small, large, gotN)
	return small, large
}

// wantSameCost fails the test when the two counts differ.
func wantSameCost(t *testing.T, name string, small, large int64) {
	t.Helper()
	if small != large {
		t.Errorf("%s: %d statements for 1 row but %d for the full page; the cost grows with the page", name, small, large)
	}
}

// historyPageQuery selects every row field, the unit's name, the application with its nested
// objects, and totalCount.
const historyPageQuery = `query($n: Int) { employmentHistory(first: $n) { totalCount pageInfo { hasNextPage endCursor }
	edges { cursor node { id status statusLabel unit { id name } positionTitle paidAmount nature description
		applyStart applyEnd workStart workEnd workTimeRequirement
		application { id status timeline { event } workRecords { month } position { title unit { name } } student { name } } } } } }`

func historyPageRows(t *testing.T, r Response) int {
	t.Helper()
	var out struct {
		EmploymentHistory struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID, PositionTitle string
					Unit              struct{ Name string }
					Application       struct {
						ID          string
						Timeline    []struct{ Event string }
						WorkRecords []struct{ Month string }
						Position    struct {
							Title string
							Unit  struct{ Name string }
						}
						Student struct{ Name string }
					}
				}
			}
		}
	}
	r.Decode(t, &out)
	for _, e := range out.EmploymentHistory.Edges {
		n := e.Node
		if n.Unit.Name == "" || n.Application.ID != n.ID || len(n.Application.Timeline) < 2 || n.Application.Position.Title != n.PositionTitle ||
			n.Application.Position.Unit.Name != n.Unit.Name || n.Application.Student.Name == "" {
			t.Fatalf("history row with missing nested objects: %+v", n)
		}
	}
	return len(out.EmploymentHistory.Edges)
}

func TestStatementsEmploymentHistory(t *testing.T) {
	f := seedPages(t)
	s := f.s
	// Student 0: one history row per position. Admin: those and the applicants of positions[0] that reached HIRED.
	name := "employmentHistory (student, all fields + nested)"
	small, large := comparePageCosts(t, s, name, s.Student(t, pageStudent(0)), historyPageQuery, nil, 100, pageRows, historyPageRows)
	wantSameCost(t, name, small, large)
	adminRows := s.Count(t, `SELECT count(*) FROM applications WHERE status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED')`)
	name = "employmentHistory (admin, all fields + nested)"
	small, large = comparePageCosts(t, s, name, s.Admin(t), historyPageQuery, nil, 100, adminRows, historyPageRows)
	wantSameCost(t, name, small, large)
	name = "employmentHistory (unit staff, all fields + nested)"
	small, large = comparePageCosts(t, s, name, s.Unit(t, f.units[0]), historyPageQuery, nil, 100,
		s.Count(t, `SELECT count(*) FROM applications a JOIN positions p ON p.id = a.position_id
			WHERE a.status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED') AND p.unit_id = $1`, f.units[0]), historyPageRows)
	wantSameCost(t, name, small, large)
}

// A history page of plain columns costs exactly one statement, whatever its size; the unit's name
// and the total count ride on the same statement.
func TestStatementsHistoryPlainColumns(t *testing.T) {
	f := seedPages(t)
	s := f.s
	admin := s.Admin(t)
	adminRows := s.Count(t, `SELECT count(*) FROM applications WHERE status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED')`)
	count := func(t *testing.T, r Response) int {
		var out struct {
			EmploymentHistory struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		r.Decode(t, &out)
		return len(out.EmploymentHistory.Edges)
	}
	plain := `query($n: Int) { employmentHistory(first: $n) { edges { cursor node { id status positionTitle paidAmount nature applyStart workEnd } } } }`
	small, large := comparePageCosts(t, s, "employmentHistory (6 plain columns, no totalCount)", admin, plain, nil, 100, adminRows, count)
	t.Logf("6 plain columns without totalCount: %d statement(s) for page 1, %d for a page of %d", small, large, adminRows)
	if small != 1 || large != 1 {
		t.Errorf("6 plain columns without totalCount: %d and %d statements, want exactly 1 (the page query)", small, large)
	}
	sorted := `query($n: Int) { employmentHistory(first: $n, orderBy: {column: UNIT, direction: DESC}) { edges { cursor node { id status positionTitle paidAmount nature applyStart workEnd } } } }`
	small, large = comparePageCosts(t, s, "employmentHistory (6 plain columns, ordered by UNIT)", admin, sorted, nil, 100, adminRows, count)
	if small != 1 || large != 1 {
		t.Errorf("6 plain columns ordered by UNIT: %d and %d statements, want exactly 1", small, large)
	}
	withUnit := `query($n: Int) { employmentHistory(first: $n) { totalCount edges { cursor node { id status statusLabel unit { id name } positionTitle paidAmount nature description applyStart applyEnd workStart workEnd workTimeRequirement } } } }`
	small, large = comparePageCosts(t, s, "employmentHistory (all 11 columns + unit name + totalCount)", admin, withUnit, nil, 100, adminRows, count)
	if small > 2 || large > 2 {
		t.Errorf("all columns with totalCount: %d and %d statements, want at most 2 (page + count)", small, large)
	}
	// The next page, through a cursor, costs the same.
	var first struct {
		EmploymentHistory struct {
			PageInfo struct{ EndCursor string }
		}
	}
	s.Do(t, admin, `{ employmentHistory(first: 5) { pageInfo { endCursor } } }`, nil).Decode(t, &first)
	n, r := s.Statements(t, admin, `query($a: String) { employmentHistory(first: 5, after: $a) { edges { node { id status positionTitle paidAmount nature applyStart workEnd } } } }`,
		map[string]any{"a": first.EmploymentHistory.PageInfo.EndCursor})
	if len(r.Errors) > 0 || n != 1 {
		t.Errorf("second page of 6 plain columns: %d statements (errors %+v), want 1", n, r.Errors)
	}
	t.Logf("employmentHistory second page (6 plain columns): %d statements", n)
}

func TestStatementsPositions(t *testing.T) {
	f := seedPages(t)
	s := f.s
	q := `query($n: Int) { positions(first: $n) { totalCount edges { node { id title unit { name } myApplication { status } } } } }`
	name := "positions (student, unit + myApplication + totalCount)"
	small, large := comparePageCosts(t, s, name, s.Student(t, pageStudent(0)), q, nil, 100, pageRows,
		func(t *testing.T, r Response) int {
			var out struct {
				Positions struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Unit          struct{ Name string }
							MyApplication *struct{ Status string }
						}
					}
				}
			}
			r.Decode(t, &out)
			if out.Positions.TotalCount != pageRows {
				t.Fatalf("positions totalCount %d, want %d", out.Positions.TotalCount, pageRows)
			}
			for _, e := range out.Positions.Edges {
				if e.Node.Unit.Name == "" || e.Node.MyApplication == nil || e.Node.MyApplication.Status == "" {
					t.Fatalf("position with missing nested objects: %+v", e.Node)
				}
			}
			return len(out.Positions.Edges)
		})
	wantSameCost(t, name, small, large)

	q = `query($n: Int) { positions(first: $n) { edges { node { id unit { name } history { from to actor } } } } }`
	name = "positions (admin, unit + history)"
	small, large = comparePageCosts(t, s, name, s.Admin(t), q, nil, 100, pageRows,
		func(t *testing.T, r Response) int {
			var out struct {
				Positions struct {
					Edges []struct {
						Node struct {
							Unit    struct{ Name string }
							History []struct{ To string }
						}
					}
				}
			}
			r.Decode(t, &out)
			for _, e := range out.Positions.Edges {
				if e.Node.Unit.Name == "" || len(e.Node.History) != 2 || e.Node.History[1].To != "PUBLISHED" {
					t.Fatalf("position with missing nested objects: %+v", e.Node)
				}
			}
			return len(out.Positions.Edges)
		})
	wantSameCost(t, name, small, large)
}

func TestStatementsMyApplications(t *testing.T) {
	f := seedPages(t)
	s := f.s
	q := `query($n: Int) { myApplications(first: $n) { edges { node { id status position { title unit { name } } timeline { event } employment { paidAmount } } } } }`
	name := "myApplications (position + unit + timeline + employment.paidAmount)"
	small, large := comparePageCosts(t, s, name, s.Student(t, pageStudent(0)), q, nil, 100, pageRows,
		func(t *testing.T, r Response) int {
			var out struct {
				MyApplications struct {
					Edges []struct {
						Node struct {
							Status   string
							Position struct {
								Title string
								Unit  struct{ Name string }
							}
							Timeline   []struct{ Event string }
							Employment *struct{ PaidAmount string }
						}
					}
				}
			}
			r.Decode(t, &out)
			for _, e := range out.MyApplications.Edges {
				n := e.Node
				emp := n.Status == "CONFIRMED" || n.Status == "DISMISSED"
				if n.Position.Title == "" || n.Position.Unit.Name == "" || len(n.Timeline) == 0 || (n.Employment != nil) != emp ||
					(emp && n.Employment.PaidAmount == "0.00") {
					t.Fatalf("application with missing nested objects: %+v", n)
				}
			}
			return len(out.MyApplications.Edges)
		})
	if small != large {
		t.Errorf("%s: got %d statements for 1 row and %d for %d rows, want the same", name, small, large, pageRows)
	}
}

func TestStatementsApplicants(t *testing.T) {
	f := seedPages(t)
	s := f.s
	q := `query($n: Int, $p: ID!) { applicants(positionId: $p, first: $n) { edges { node { id status student { name }
		profile { specialties freeTime { weekday } } position { title } timeline { event } workRecords { month } } } } }`
	name := "applicants (unit staff, student + profile.freeTime + position + timeline + workRecords)"
	small, large := comparePageCosts(t, s, name, s.Unit(t, f.units[0]), q,
		map[string]any{"p": f.positions[0]}, 100, pageRows,
		func(t *testing.T, r Response) int {
			var out struct {
				Applicants struct {
					Edges []struct {
						Node struct {
							Status  string
							Student struct{ Name string }
							Profile *struct {
								Specialties string
								FreeTime    []struct{ Weekday string }
							}
							Position    struct{ Title string }
							Timeline    []struct{ Event string }
							WorkRecords []struct{ Month string }
						}
					}
				}
			}
			r.Decode(t, &out)
			for _, e := range out.Applicants.Edges {
				n := e.Node
				emp := n.Status == "CONFIRMED" || n.Status == "DISMISSED"
				if n.Student.Name == "" || n.Profile == nil || len(n.Profile.FreeTime) != 2 || n.Position.Title == "" ||
					len(n.Timeline) == 0 || (len(n.WorkRecords) == 2) != emp {
					t.Fatalf("applicant with missing nested objects: %+v", n)
				}
			}
			return len(out.Applicants.Edges)
		})
	wantSameCost(t, name, small, large)
}

// TestStatementsPerTransition pins what each hire transition costs in SQL round trips (BEGIN and
// COMMIT included), so a change that adds statements to the hot path is a visible decision.
func TestStatementsPerTransition(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	stu, staff := s.Student(t, "20160931"), s.Unit(t, unit)
	const fields = `{ application { id status } userErrors { code message } }`
	// Each includes the pg_notify that announces the change to live subscribers.
	want := map[string]int64{"apply": 9, "hire": 8, "confirm": 10}

	n, r := s.Statements(t, stu, `mutation($p: ID!) { r: applyToPosition(input: {positionId: $p, reason: "r"}) `+fields+` }`, map[string]any{"p": pos})
	var out struct {
		R struct{ Application struct{ ID string } }
	}
	r.Decode(t, &out)
	got := map[string]int64{"apply": n}
	id := out.R.Application.ID
	for _, step := range []struct{ name, token, mutation string }{
		{"hire", staff, "hireApplication"}, {"confirm", stu, "confirmApplication"},
	} {
		n, r := s.Statements(t, step.token, `mutation($id: ID!) { r: `+step.mutation+`(id: $id) `+fields+` }`, map[string]any{"id": id})
		r.Decode(t, &out)
		got[step.name] = n
	}
	for name, w := range want {
		t.Logf("%s: %d statements", name, got[name])
		if got[name] != w {
			t.Errorf("%s: got %d statements, want %d", name, got[name], w)
		}
	}
}
