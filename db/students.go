package db

import (
	"context"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

const studentCols = `student_no, name, phone, email, degree, department, full_time, enrolled, financial_need`

// UpsertStudents writes all rows in one INSERT ... ON CONFLICT over arrays, so that a row the
// table's checks refuse (service.ErrCheckViolation) writes none of them; it returns the numbers
// that existed before.
func (s queries) UpsertStudents(ctx context.Context, rows []service.Student) (map[string]bool, error) {
	// xmax is 0 on a freshly inserted row and non-zero on one the conflict clause updated.
	const q = `INSERT INTO students (` + studentCols + `)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
			$7::boolean[], $8::boolean[], $9::boolean[])
		ON CONFLICT (student_no) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone,
			email = EXCLUDED.email, degree = EXCLUDED.degree, department = EXCLUDED.department,
			full_time = EXCLUDED.full_time, enrolled = EXCLUDED.enrolled,
			financial_need = EXCLUDED.financial_need, updated_at = now()
		RETURNING student_no, xmax <> 0 AS existed`
	n := len(rows)
	nos, names, phones, emails, degrees, depts := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	fullTime, enrolled, need := make([]bool, n), make([]bool, n), make([]bool, n)
	for i, r := range rows {
		nos[i], names[i], phones[i], emails[i], degrees[i], depts[i] = r.StudentNo, r.Name, r.Phone, r.Email, string(r.Degree), r.Department
		fullTime[i], enrolled[i], need[i] = r.FullTime, r.Enrolled, r.FinancialNeed
	}
	var res []struct {
		StudentNo string `db:"student_no"`
		Existed   bool   `db:"existed"`
	}
	err := s.sel(ctx, &res, q, pq.Array(nos), pq.Array(names), pq.Array(phones), pq.Array(emails),
		pq.Array(degrees), pq.Array(depts), pq.Array(fullTime), pq.Array(enrolled), pq.Array(need))
	if err != nil {
		return nil, err
	}
	existed := map[string]bool{}
	for _, r := range res {
		if r.Existed {
			existed[r.StudentNo] = true
		}
	}
	return existed, nil
}

// StudentsByNo returns the records among nos that exist.
func (s queries) StudentsByNo(ctx context.Context, nos []string) ([]service.Student, error) {
	const q = `SELECT ` + studentCols + ` FROM students WHERE student_no = ANY($1)`
	out := []service.Student{}
	return out, s.sel(ctx, &out, q, pq.Array(nos))
}
