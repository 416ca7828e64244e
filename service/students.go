package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/zhuguan/zhuguan/auth"
)

// Degree is a student's programme.
type Degree string

// The degrees of API.md: a master's (硕士) or a doctoral (博士) student.
const (
	DegreeMaster   Degree = "MASTER"
	DegreeDoctoral Degree = "DOCTORAL"
)

// AllDegrees lists the degrees in the schema's order.
var AllDegrees = []Degree{DegreeMaster, DegreeDoctoral}

// Valid reports whether d is a known degree.
func (d Degree) Valid() bool { return slices.Contains(AllDegrees, d) }

var degreeLabels = map[Degree][2]string{DegreeMaster: {"硕士", "Master's"}, DegreeDoctoral: {"博士", "Doctoral"}}

// LabelIn is the display label of d in the caller's language (硕士, 博士).
func (d Degree) LabelIn(ctx context.Context) string { return degreeLabels[d][localeOf(ctx)] }

// Student is an enrollment record (学籍信息); it is also the import row.
type Student struct {
	StudentNo     string `json:"studentNo" db:"student_no" validate:"studentno"`
	Name          string `json:"name" db:"name" validate:"notblank,max=50"`
	Phone         string `json:"phone" db:"phone" validate:"phone"`
	Email         string `json:"email" db:"email" validate:"email,max=254"`
	Degree        Degree `json:"degree" db:"degree" validate:"enum"`
	Department    string `json:"department" db:"department" validate:"notblank,max=100"`
	FullTime      bool   `json:"fullTime" db:"full_time"`
	Enrolled      bool   `json:"enrolled" db:"enrolled"`
	FinancialNeed bool   `json:"financialNeed" db:"financial_need"`
}

// MaxImportRows bounds one importStudents call so a single request stays within its time limit.
const MaxImportRows = 5000

// ImportResult says what an import wrote.
type ImportResult struct {
	Students []Student
	Created  int
	Updated  int
}

// ImportStudents upserts enrollment records by student number (admin), in one statement. Every
// row is checked first; when any field of any row is bad, nothing is written and each bad field is
// reported (VALIDATION) with its row index, as is a student number repeated within the input.
// VALIDATION also for no rows or more than MaxImportRows.
func (s *Service) ImportStudents(ctx context.Context, rows []Student) (*ImportResult, error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, UserErrors{fieldErr(ctx, []string{"input"}, "noRows")}
	}
	if len(rows) > MaxImportRows {
		return nil, UserErrors{fieldErr(ctx, []string{"input"}, "tooManyRows", MaxImportRows, len(rows))}
	}
	var errs []UserError
	firstRow := make(map[string]int, len(rows))
	for i := range rows {
		r := &rows[i]
		r.StudentNo, r.Name, r.Department = strings.TrimSpace(r.StudentNo), strings.TrimSpace(r.Name), strings.TrimSpace(r.Department)
		r.Phone, r.Email = strings.TrimSpace(r.Phone), strings.TrimSpace(r.Email)
		row := strconv.Itoa(i)
		errs = append(errs, s.check(ctx, *r, "input", row)...)
		if j, dup := firstRow[r.StudentNo]; dup {
			errs = append(errs, fieldErr(ctx, []string{"input", row, "studentNo"}, "duplicateRow", r.StudentNo, j))
		} else {
			firstRow[r.StudentNo] = i
		}
	}
	if len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	existed, err := s.store.UpsertStudents(ctx, rows) // one statement: all rows or none
	if err != nil {
		return nil, fmt.Errorf("import %d students: %w", len(rows), err)
	}
	return &ImportResult{Students: rows, Created: len(rows) - len(existed), Updated: len(existed)}, nil
}

// Student returns an enrollment record by number (admin, or the student themself). Anyone else
// gets NOT_FOUND, the same answer as for a number without a record.
func (s *Service) Student(ctx context.Context, studentNo string) (*Student, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	if p.Role != auth.RoleAdmin && !(p.Role == auth.RoleStudent && p.StudentNo == studentNo) {
		return nil, notFound(ctx, "student", studentNo)
	}
	st, err := s.student(ctx, studentNo)
	if errors.Is(err, ErrNoRows) {
		return nil, notFound(ctx, "student", studentNo)
	}
	return st, err
}

// ViewerStudent returns a STUDENT caller's enrollment record (any role): nil for other roles, and
// when the number has no record.
func (s *Service) ViewerStudent(ctx context.Context) (*Student, error) {
	p, err := Caller(ctx)
	if err != nil || p.Role != auth.RoleStudent {
		return nil, err
	}
	st, err := s.student(ctx, p.StudentNo)
	if errors.Is(err, ErrNoRows) {
		return nil, nil
	}
	return st, err
}

// StudentsByNo returns those of the records that exist, in no particular order; dataloaders call
// it for nested student fields, whose parents the caller was already allowed to see.
func (s *Service) StudentsByNo(ctx context.Context, nos []string) ([]Student, error) {
	sts, err := s.store.StudentsByNo(ctx, nos)
	if err != nil {
		return nil, fmt.Errorf("students by number: %w", err)
	}
	return sts, nil
}

// student returns the enrollment record of number no, or ErrNoRows, without checking the caller.
func (s *Service) student(ctx context.Context, no string) (*Student, error) {
	sts, err := s.StudentsByNo(ctx, []string{no})
	if err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return nil, ErrNoRows
	}
	return &sts[0], nil
}

// ContactVisible reports whether the caller may see a student's contact and status fields: the
// student themself and admin.
func ContactVisible(ctx context.Context, studentNo string) bool {
	p, err := auth.FromContext(ctx)
	if err != nil {
		return false
	}
	return p.Role == auth.RoleAdmin || (p.Role == auth.RoleStudent && p.StudentNo == studentNo)
}

// FinancialNeedVisible reports whether the caller may see the raw financial-need flag: admin only.
func FinancialNeedVisible(ctx context.Context) bool {
	p, err := auth.FromContext(ctx)
	return err == nil && p.Role == auth.RoleAdmin
}
