package e2e

import (
	"strings"
	"testing"
)

// End-to-end tests of students' enrollment records (学籍): importStudents' rules, all or nothing,
// and which fields each role reads.

const (
	// importStudentsMutation imports the enrollment records $rows.
	importStudentsMutation = `mutation($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { students { studentNo } created updated userErrors { code field message } } }`
	// studentByNoQuery reads the enrollment record of student $no.
	studentByNoQuery = `query($no: String!) { student(studentNo: $no) { studentNo name degree department phone email fullTime enrolled financialNeed } }`
)

// studentRecord is a Student as the API returns it; the pointers are the fields a role may not see.
type studentRecord struct {
	StudentNo     string
	Name          string
	Degree        string
	Department    string
	Phone         *string
	Email         *string
	FullTime      *bool
	Enrolled      *bool
	FinancialNeed *bool
}

// studentText shows an optional field of a studentRecord, "<nil>" for null.
func studentText(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// studentFlag shows an optional flag of a studentRecord, "<nil>" for null.
func studentFlag(p *bool) string {
	if p == nil {
		return "<nil>"
	}
	if *p {
		return "true"
	}
	return "false"
}

func TestAccountsImportStudents(t *testing.T) {
	s := NewServer(t)
	admin := s.Admin(t)
	studentRows := func() int { return s.Count(t, "SELECT count(*) FROM students") }
	type importPayload struct {
		ImportStudents struct {
			Students   []struct{ StudentNo string }
			Created    int
			Updated    int
			UserErrors []UserError
		}
	}
	doImport := func(t *testing.T, rows ...map[string]any) importPayload {
		t.Helper()
		var out importPayload
		s.Do(t, admin, importStudentsMutation, map[string]any{"rows": rows}, English...).Decode(t, &out)
		return out
	}
	getStudent := func(t *testing.T, tok, no string) studentRecord {
		t.Helper()
		var out struct{ Student studentRecord }
		s.Do(t, tok, studentByNoQuery, map[string]any{"no": no}).Decode(t, &out)
		return out.Student
	}

	t.Run("create three", func(t *testing.T) {
		out := doImport(t, StudentRow("20160001"), StudentRow("20160002"), StudentRow("20160003"))
		CheckUserErrorsAnyOrder(t, out.ImportStudents.UserErrors)
		if out.ImportStudents.Created != 3 || out.ImportStudents.Updated != 0 {
			t.Errorf("created/updated: got %d/%d, want 3/0", out.ImportStudents.Created, out.ImportStudents.Updated)
		}
		if len(out.ImportStudents.Students) != 3 || out.ImportStudents.Students[2].StudentNo != "20160003" {
			t.Errorf("students: got %+v, want the 3 rows in input order", out.ImportStudents.Students)
		}
		if got := studentRows(); got != 3 {
			t.Errorf("rows: got %d, want 3", got)
		}
	})

	t.Run("re-import one changed and one new", func(t *testing.T) {
		changed := With(StudentRow("20160001"), "name", "王小明", "phone", "010-62345678", "email", "wxm@example.com",
			"degree", "DOCTORAL", "department", "药学院", "fullTime", false, "enrolled", false, "financialNeed", true)
		out := doImport(t, changed, StudentRow("20160004"))
		CheckUserErrorsAnyOrder(t, out.ImportStudents.UserErrors)
		if out.ImportStudents.Created != 1 || out.ImportStudents.Updated != 1 {
			t.Errorf("created/updated: got %d/%d, want 1/1", out.ImportStudents.Created, out.ImportStudents.Updated)
		}
		if got := studentRows(); got != 4 {
			t.Errorf("rows: got %d, want 4", got)
		}
		st := getStudent(t, admin, "20160001")
		if st.Name != "王小明" || st.Degree != "DOCTORAL" || st.Department != "药学院" ||
			studentText(st.Phone) != "010-62345678" || studentText(st.Email) != "wxm@example.com" ||
			studentFlag(st.FullTime) != "false" || studentFlag(st.Enrolled) != "false" || studentFlag(st.FinancialNeed) != "true" {
			t.Errorf("updated record: got %+v phone=%s email=%s fullTime=%s enrolled=%s financialNeed=%s, want the re-imported values",
				st, studentText(st.Phone), studentText(st.Email), studentFlag(st.FullTime), studentFlag(st.Enrolled), studentFlag(st.FinancialNeed))
		}
		st = getStudent(t, admin, "20160004")
		if st.Name != "学生20160004" || studentText(st.Email) != "20160004@bjmu.edu.cn" || studentFlag(st.FinancialNeed) != "false" {
			t.Errorf("new record: got %+v, want 学生20160004", st)
		}
	})

	t.Run("all or nothing", func(t *testing.T) {
		update := With(StudentRow("20160002"), "name", "不应写入")
		out := doImport(t, update, With(StudentRow("20160005"), "email", "not-an-email"), With(StudentRow("20160006"), "studentNo", "ab!"))
		CheckUserErrorsAnyOrder(t, out.ImportStudents.UserErrors,
			WantErr{"VALIDATION", "input.1.email", []string{"not-an-email"}},
			WantErr{"VALIDATION", "input.2.studentNo", []string{"ab!"}})
		if out.ImportStudents.Created != 0 || out.ImportStudents.Updated != 0 || len(out.ImportStudents.Students) != 0 {
			t.Errorf("payload: got created %d updated %d students %d, want 0 0 0", out.ImportStudents.Created, out.ImportStudents.Updated, len(out.ImportStudents.Students))
		}
		if got := studentRows(); got != 4 {
			t.Errorf("rows: got %d, want 4", got)
		}
		if st := getStudent(t, admin, "20160002"); st.Name != "学生20160002" {
			t.Errorf("valid row of a refused batch was written: name got %q, want 学生20160002", st.Name)
		}
	})

	t.Run("row rules", func(t *testing.T) {
		cases := []struct {
			name  string
			row   map[string]any
			field string
		}{
			{"studentNo too short", With(StudentRow("x"), "studentNo", "123"), "input.0.studentNo"},
			{"studentNo 21 chars", With(StudentRow("x"), "studentNo", strings.Repeat("1", 21)), "input.0.studentNo"},
			{"blank name", With(StudentRow("20160007"), "name", "  "), "input.0.name"},
			{"phone letters", With(StudentRow("20160007"), "phone", "call-me"), "input.0.phone"},
			{"phone too short", With(StudentRow("20160007"), "phone", "123456"), "input.0.phone"},
			{"blank department", With(StudentRow("20160007"), "department", ""), "input.0.department"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				out := doImport(t, c.row)
				CheckUserErrorsAnyOrder(t, out.ImportStudents.UserErrors, WantErr{"VALIDATION", c.field, nil})
				if got := studentRows(); got != 4 {
					t.Errorf("rows: got %d, want 4", got)
				}
			})
		}
	})

	t.Run("duplicate number within the batch", func(t *testing.T) {
		out := doImport(t, StudentRow("20160008"), StudentRow("20160009"), StudentRow("20160008"))
		CheckUserErrorsAnyOrder(t, out.ImportStudents.UserErrors, WantErr{"VALIDATION", "input.2.studentNo", []string{"20160008"}})
		if got := studentRows(); got != 4 {
			t.Errorf("rows: got %d, want 4", got)
		}
	})

	t.Run("empty list", func(t *testing.T) {
		var out importPayload
		s.Do(t, admin, importStudentsMutation, map[string]any{"rows": []any{}}, English...).Decode(t, &out)
		if len(out.ImportStudents.UserErrors) != 1 || out.ImportStudents.UserErrors[0].Code != "VALIDATION" {
			t.Fatalf("userErrors: got %+v, want one VALIDATION", out.ImportStudents.UserErrors)
		}
	})

	t.Run("field visibility", func(t *testing.T) {
		// 20160001 has financialNeed true since the re-import
		st := getStudent(t, s.Student(t, "20160001"), "20160001")
		if studentText(st.Phone) != "010-62345678" || studentText(st.Email) != "wxm@example.com" {
			t.Errorf("own contact: got phone %s email %s, want 010-62345678 wxm@example.com", studentText(st.Phone), studentText(st.Email))
		}
		if st.FullTime == nil || st.Enrolled == nil {
			t.Errorf("own status: got fullTime %s enrolled %s, want values", studentFlag(st.FullTime), studentFlag(st.Enrolled))
		}
		if st.FinancialNeed != nil {
			t.Errorf("own financialNeed: got %s, want null", studentFlag(st.FinancialNeed))
		}
		var me struct {
			Me struct{ Student *studentRecord }
		}
		s.Do(t, s.Student(t, "20160001"), `{ me { student { studentNo name degree department phone email fullTime enrolled financialNeed } } }`, nil).Decode(t, &me)
		if me.Me.Student == nil || me.Me.Student.FinancialNeed != nil || studentText(me.Me.Student.Phone) != "010-62345678" {
			t.Errorf("me.student: got %+v, want own phone and financialNeed null", me.Me.Student)
		}
		st = getStudent(t, admin, "20160001")
		if studentFlag(st.FinancialNeed) != "true" || st.Phone == nil || st.Email == nil || st.FullTime == nil || st.Enrolled == nil {
			t.Errorf("admin view: got %+v financialNeed=%s, want every field", st, studentFlag(st.FinancialNeed))
		}
	})
}

// A phone of '+' and 20 digits has 21 characters: the schema promises 7..20 and the database
// refuses it, so the service must refuse it first, as a userError rather than a failed insert.
func TestAccountsImportPhoneLengthBound(t *testing.T) {
	s := NewServer(t)
	phone := "+" + strings.Repeat("8", 20) // 21 characters
	r := s.Do(t, s.Admin(t), importStudentsMutation, map[string]any{"rows": []any{With(StudentRow("20160001"), "phone", phone)}}, English...)
	if len(r.Errors) > 0 {
		t.Fatalf("importStudents with a 21-character phone: got top-level %s %q, want a VALIDATION userError on input.0.phone",
			r.Code(), r.Errors[0].Message)
	}
	CheckUserErrorsAnyOrder(t, r.UserErrors(t, "importStudents"), WantErr{"VALIDATION", "input.0.phone", nil})
	if got := s.Count(t, "SELECT count(*) FROM students"); got != 0 {
		t.Errorf("rows: got %d, want 0", got)
	}
}
