package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// End-to-end tests of a position's list of applicants: financial need first without revealing the
// flag, what of the enrollment record unit staff and admin see, the status filter and paging.

// applicantsQuery selects every field of an applicant a unit can ask for.
const applicantsQuery = `query($p: ID!, $status: ApplicationStatus, $first: Int, $after: String) {
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

// applicantsConnection is applicants as the tests read it: order, paging, status, and what of the
// enrollment record, the profile and the application's contact each role is shown.
type applicantsConnection struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct {
		Cursor string
		Node   struct {
			ID, Status, Phone, Email string
			Student                  applicantStudent
			Profile                  *struct{ Phone, Email string }
		}
	}
}

// applicantStudent is an applicant's Student: the enrollment record's contact and flags are
// pointers, null when hidden from the caller.
type applicantStudent struct {
	StudentNo                         string
	Phone, Email                      *string
	FullTime, Enrolled, FinancialNeed *bool
}

// students returns the applicants' student numbers in the order of the page.
func (c applicantsConnection) students() []string {
	var out []string
	for _, e := range c.Edges {
		out = append(out, e.Node.Student.StudentNo)
	}
	return out
}

// applicantsPage runs applicantsQuery and returns the connection and the raw data.
func applicantsPage(t *testing.T, s *Server, token, pos string, vars map[string]any) (applicantsConnection, string) {
	t.Helper()
	v := map[string]any{"p": pos}
	maps.Copy(v, vars)
	r := s.Do(t, token, applicantsQuery, v)
	var out struct{ Applicants applicantsConnection }
	r.Decode(t, &out)
	return out.Applicants, string(r.Data)
}

func TestHireApplicantsOrderAndPrivacy(t *testing.T) {
	s := NewServer(t)
	// Application order 1..5; students 2 and 4 have financial need.
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005"}
	need := map[string]bool{nos[1]: true, nos[3]: true}
	unit, pos := s.SeedSchool(t, nos...)
	s.SeedStudentRows(t, financialNeedRows(nos, need)...)
	for _, no := range nos {
		c := givenContactOf(no)
		s.SeedProfile(t, no, With(ProfileInput(TestYear), "phone", c.ProfilePhone, "email", c.ProfileEmail))
	}
	// Numbers and application order disagree, so that neither can pass for the other.
	for i, no := range []string{nos[2], nos[0], nos[3], nos[4], nos[1]} {
		s.SetNow(mustTime(t, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 16+i)))
		c := givenContactOf(no)
		p, r := s.ApplyAs(t, s.Student(t, no), pos, map[string]any{"phone": c.ApplyPhone, "email": c.ApplyEmail})
		if len(r.Errors) > 0 || len(p.UserErrors) > 0 || p.Application == nil || p.Application.Status != "APPLIED" {
			t.Fatalf("apply %s with contact %+v: got %+v, errors %+v, want APPLIED", no, c, p, r.Errors)
		}
	}
	want := []string{nos[3], nos[1], nos[2], nos[0], nos[4]} // need first, each group by application time

	staff := s.Unit(t, unit)
	conn, raw := applicantsPage(t, s, staff, pos, nil)
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
	// Unit staff see the contact the student gave, never the enrollment record's.
	checkGivenContact(t, "unit", conn)
	for _, e := range conn.Edges {
		shown := enrollmentRecordShown(e.Node.Student)
		for _, field := range slices.Sorted(maps.Keys(shown)) {
			if got := shown[field]; got != "null" {
				t.Errorf("student.%s of %s for the unit: got %s, want null", field, e.Node.Student.StudentNo, got)
			}
		}
	}

	t.Run("admin sees the same order and the flag", func(t *testing.T) {
		conn, _ := applicantsPage(t, s, s.Admin(t), pos, nil)
		if got := conn.students(); !slices.Equal(got, want) {
			t.Errorf("order for admin: got %v, want %v", got, want)
		}
		for _, e := range conn.Edges {
			if f := e.Node.Student.FinancialNeed; f == nil || *f != need[e.Node.Student.StudentNo] {
				t.Errorf("financialNeed of %s for admin: got %v, want %v", e.Node.Student.StudentNo, f, need[e.Node.Student.StudentNo])
			}
		}
		// The admin is shown the enrollment record itself: what the unit's nulls above hide.
		checkGivenContact(t, "admin", conn)
		for _, e := range conn.Edges {
			no := e.Node.Student.StudentNo
			row := StudentRow(no)
			want := map[string]string{"phone": fmt.Sprint(row["phone"]), "email": fmt.Sprint(row["email"]),
				"fullTime": fmt.Sprint(row["fullTime"]), "enrolled": fmt.Sprint(row["enrolled"]), "financialNeed": fmt.Sprint(need[no])}
			shown := enrollmentRecordShown(e.Node.Student)
			for _, field := range slices.Sorted(maps.Keys(shown)) {
				if got := shown[field]; got != want[field] {
					t.Errorf("student.%s of %s for admin: got %s, want %s", field, no, got, want[field])
				}
			}
		}
	})
}

func TestHireApplicantsFilterAndPaging(t *testing.T) {
	s := NewServer(t)
	nos := []string{"20260001", "20260002", "20260003", "20260004", "20260005"}
	need := map[string]bool{nos[1]: true, nos[3]: true}
	unit, pos := s.SeedSchool(t, nos...)
	s.SeedStudentRows(t, financialNeedRows(nos, need)...)
	ids := map[string]string{}
	for i, no := range nos {
		s.SetNow(mustTime(t, fmt.Sprintf("2026-11-%02dT10:00:00+08:00", 16+i)))
		ids[no] = s.Apply(t, no, pos)
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
			conn, _ := applicantsPage(t, s, staff, pos, vars)
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

	s.MustTransition(t, staff, "HIRE", ids[nos[3]], nil)
	s.MustTransition(t, staff, "REJECT", ids[nos[0]], nil)
	s.MustTransition(t, staff, "HIRE", ids[nos[2]], nil)
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
			conn, _ := applicantsPage(t, s, staff, pos, map[string]any{"status": c.status})
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
		p1, _ := applicantsPage(t, s, staff, pos, map[string]any{"status": "HIRED", "first": 1})
		p2, _ := applicantsPage(t, s, staff, pos, map[string]any{"status": "HIRED", "first": 1, "after": p1.PageInfo.EndCursor})
		got := append(p1.students(), p2.students()...)
		if !slices.Equal(got, []string{nos[3], nos[2]}) || !p1.PageInfo.HasNextPage || p2.PageInfo.HasNextPage {
			t.Errorf("pages: got %v (hasNext %v, %v), want %v (true, false)", got, p1.PageInfo.HasNextPage, p2.PageInfo.HasNextPage, []string{nos[3], nos[2]})
		}
	})
}

// financialNeedRows are the StudentRow records of nos, with financial need for the numbers need marks.
func financialNeedRows(nos []string, need map[string]bool) []map[string]any {
	rows := make([]map[string]any, len(nos))
	for i, no := range nos {
		rows[i] = With(StudentRow(no), "financialNeed", need[no])
	}
	return rows
}

// givenContact is the contact a student gave in their profile and in their application. Each
// differs from the other and from the enrollment record's (StudentRow), so that a response shows
// which one it took.
type givenContact struct {
	ProfilePhone, ProfileEmail, ApplyPhone, ApplyEmail string
}

// givenContactOf is the contact student no gives in the applicants tests.
func givenContactOf(no string) givenContact {
	return givenContact{ProfilePhone: "137" + no, ProfileEmail: "profile." + no + "@example.com",
		ApplyPhone: "136" + no, ApplyEmail: "apply." + no + "@example.com"}
}

// checkGivenContact fails unless every applicant on the page shows, to who, the contact the
// student gave: in the application and in the profile.
func checkGivenContact(t *testing.T, who string, conn applicantsConnection) {
	t.Helper()
	for _, e := range conn.Edges {
		n, c := e.Node, givenContactOf(e.Node.Student.StudentNo)
		if n.Phone != c.ApplyPhone || n.Email != c.ApplyEmail {
			t.Errorf("application contact of %s for %s: got %s %s, want the given %s %s", n.Student.StudentNo, who, n.Phone, n.Email, c.ApplyPhone, c.ApplyEmail)
		}
		if n.Profile == nil || n.Profile.Phone != c.ProfilePhone || n.Profile.Email != c.ProfileEmail {
			t.Errorf("profile contact of %s for %s: got %+v, want the given %s %s", n.Student.StudentNo, who, n.Profile, c.ProfilePhone, c.ProfileEmail)
		}
	}
}

// enrollmentRecordShown is what an applicant's Student shows of the enrollment record's contact
// and flags, by field, each as its JSON text ("null" when hidden).
func enrollmentRecordShown(st applicantStudent) map[string]string {
	text := func(v any) string {
		b, _ := json.Marshal(v)
		return strings.Trim(string(b), `"`)
	}
	return map[string]string{"phone": text(st.Phone), "email": text(st.Email), "fullTime": text(st.FullTime),
		"enrolled": text(st.Enrolled), "financialNeed": text(st.FinancialNeed)}
}
