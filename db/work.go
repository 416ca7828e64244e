package db

import (
	"context"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

// MonthHours sums the student's hours in month over all employments but one, which
// work_records_student_month_idx serves.
func (s queries) MonthHours(ctx context.Context, studentNo, month string, exceptApplication int64) (float64, error) {
	const q = `SELECT coalesce(sum(hours), 0) FROM work_records WHERE student_no = $1 AND month = $2 AND application_id <> $3`
	var h float64
	return h, s.get(ctx, &h, q, studentNo, month, exceptApplication)
}

const workCols = `application_id, student_no, month, hours, amount_fen, recorded_at, updated_at`

// WorkRecord returns one month's record of an employment, or service.ErrNoRows.
func (s queries) WorkRecord(ctx context.Context, applicationID int64, month string) (service.WorkRecord, error) {
	const q = `SELECT ` + workCols + ` FROM work_records WHERE application_id = $1 AND month = $2`
	var out service.WorkRecord
	return out, s.get(ctx, &out, q, applicationID, month)
}

// UpsertWorkRecord writes the month's record, replacing hours, amount and updated_at of an
// existing one (recorded_at stays); a foreign-key *service.ConstraintError for an unknown
// application or student.
func (s queries) UpsertWorkRecord(ctx context.Context, w service.WorkRecord) (service.WorkRecord, error) {
	const q = `INSERT INTO work_records (` + workCols + `) VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (application_id, month) DO UPDATE SET hours = EXCLUDED.hours,
			amount_fen = EXCLUDED.amount_fen, updated_at = EXCLUDED.updated_at
		RETURNING ` + workCols
	var out service.WorkRecord
	return out, s.get(ctx, &out, q, w.ApplicationID, w.StudentNo, w.Month, w.Hours, w.Amount, w.RecordedAt)
}

// WorkRecordsOf returns the records of the applications by month.
func (s queries) WorkRecordsOf(ctx context.Context, ids []int64) ([]service.WorkRecord, error) {
	const q = `SELECT ` + workCols + ` FROM work_records WHERE application_id = ANY($1) ORDER BY application_id, month`
	out := []service.WorkRecord{}
	return out, s.sel(ctx, &out, q, pq.Array(ids))
}

// StudentHours sums, for every range, the student's work records whose month lies in it, all in
// one statement; a range with no records sums to 0.
func (s queries) StudentHours(ctx context.Context, ranges []service.HoursRange) ([]service.YearHours, error) {
	const q = `SELECT k.student_no, k.academic_year, coalesce(sum(w.hours), 0) AS hours
		FROM (SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
			AS u(student_no, academic_year, first_month, last_month)) k
		LEFT JOIN work_records w ON w.student_no = k.student_no AND w.month BETWEEN k.first_month AND k.last_month
		GROUP BY k.student_no, k.academic_year`
	n := len(ranges)
	nos, years, firsts, lasts := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, r := range ranges {
		nos[i], years[i], firsts[i], lasts[i] = r.StudentNo, r.AcademicYear, r.First, r.Last
	}
	out := []service.YearHours{}
	return out, s.sel(ctx, &out, q, pq.Array(nos), pq.Array(years), pq.Array(firsts), pq.Array(lasts))
}
