package db

import (
	"context"
	"errors"
	"time"

	"github.com/zhuguan/zhuguan/service"
)

const payMonthCols = `id, month, status, closed_at, closed_by`

// EnsurePayMonth returns the id of month's row, inserting an OPEN one when there is none; two
// calls at once make one row.
func (s queries) EnsurePayMonth(ctx context.Context, month string) (int64, error) {
	const q = `WITH ins AS (INSERT INTO pay_months (month) VALUES ($1) ON CONFLICT (month) DO NOTHING RETURNING id)
		SELECT id FROM ins UNION ALL SELECT id FROM pay_months WHERE month = $1 LIMIT 1`
	var id int64
	if err := s.get(ctx, &id, q, month); !errors.Is(err, service.ErrNoRows) {
		return id, err
	}
	// The row was inserted by a transaction that committed after this statement's snapshot.
	return id, s.get(ctx, &id, `SELECT id FROM pay_months WHERE month = $1`, month)
}

// PayMonth returns month's row, or service.ErrNoRows.
func (s queries) PayMonth(ctx context.Context, month string) (service.PayMonth, error) {
	const q = `SELECT ` + payMonthCols + ` FROM pay_months WHERE month = $1`
	var out service.PayMonth
	return out, s.get(ctx, &out, q, month)
}

// PayMonthForUpdate reads pay month id with SELECT ... FOR UPDATE, which waits for the records
// being written in the month (they hold it FOR SHARE); service.ErrNoRows when it is missing.
func (s queries) PayMonthForUpdate(ctx context.Context, id int64) (service.PayMonth, error) {
	const q = `SELECT ` + payMonthCols + ` FROM pay_months WHERE id = $1 FOR UPDATE`
	var out service.PayMonth
	return out, s.get(ctx, &out, q, id)
}

// LockPayMonthShared inserts month's row when there is none, then reads its status FOR SHARE:
// records of one month hold it together, a close waits for them, and they wait for a close (and
// then read the status it committed, as READ COMMITTED re-reads a row it waited for).
func (s queries) LockPayMonthShared(ctx context.Context, month string) (service.PayMonthStatus, error) {
	const ins = `INSERT INTO pay_months (month) VALUES ($1) ON CONFLICT (month) DO NOTHING`
	const q = `SELECT status FROM pay_months WHERE month = $1 FOR SHARE`
	if err := s.exec(ctx, ins, month); err != nil {
		return "", err
	}
	var st service.PayMonthStatus
	return st, s.get(ctx, &st, q, month)
}

// SetPayMonthStatus moves pay month id from one status to another; closing sets closed_at and
// closed_by, reopening clears them. service.ErrNoRows when it is not in from.
func (s queries) SetPayMonthStatus(ctx context.Context, id int64, from, to service.PayMonthStatus, at time.Time, actor string) (service.PayMonth, error) {
	closed := `$3 IN (` + service.QuoteSQL(service.ClosedPayMonthStatuses...) + `)`
	q := `UPDATE pay_months SET status = $3, updated_at = $4::timestamptz,
			closed_at = CASE WHEN ` + closed + ` THEN $4::timestamptz END, closed_by = CASE WHEN ` + closed + ` THEN $5::text END
		WHERE id = $1 AND status = $2
		RETURNING ` + payMonthCols
	var out service.PayMonth
	return out, s.get(ctx, &out, q, id, from, to, at, actor)
}

// AppendPayMonthEvent adds a line to a pay month's history; the table refuses updates and deletes.
func (s queries) AppendPayMonthEvent(ctx context.Context, e service.PayMonthEvent) error {
	return appendStatusEvent(ctx, s, payMonthEvents, e)
}

// PayMonthEventsOf returns the histories of the pay months, oldest first.
func (s queries) PayMonthEventsOf(ctx context.Context, ids []int64) ([]service.PayMonthEvent, error) {
	return statusEventsOf[service.PayMonthStatus](ctx, s, payMonthEvents, ids)
}

var payMonthEvents = newStatusHistory("pay_month_events", "pay_month_id")

// MonthFigures sums month's work records, of unit unitID's employments when it is not 0; all
// units' from work_records_month_idx alone.
func (s queries) MonthFigures(ctx context.Context, month string, unitID int64) (service.MonthFigures, error) {
	const sums = `SELECT count(*) AS records, count(DISTINCT w.student_no) AS students,
			coalesce(sum(w.hours), 0) AS hours, coalesce(sum(w.amount_fen), 0) AS amount_fen FROM work_records w`
	const all = sums + ` WHERE w.month = $1`
	const ofUnit = sums + ` JOIN applications a ON a.id = w.application_id WHERE w.month = $1 AND a.unit_id = $2`
	var out service.MonthFigures
	if unitID == 0 {
		return out, s.get(ctx, &out, all, month)
	}
	return out, s.get(ctx, &out, ofUnit, month, unitID)
}

// MissingWorkRecords lists the employments recordable in month without a record of it, by id
// above afterID: started, not ended before the month, the month inside the position's work period
// (in the school's zone, as report_month takes it), of unit unitID when it is not 0.
func (s queries) MissingWorkRecords(ctx context.Context, month string, unitID, afterID int64, limit int) ([]service.Application, error) {
	const q = `SELECT ` + applicationCols + applicationFrom + `
		WHERE a.started_at IS NOT NULL AND ($2::bigint = 0 OR a.unit_id = $2) AND a.id > $3
			AND report_month(p.work_start) <= $1 AND report_month(p.work_end - interval '1 microsecond') >= $1
			AND (a.ended_at IS NULL OR report_month(a.ended_at) >= $1)
			AND NOT EXISTS (SELECT 1 FROM work_records w WHERE w.application_id = a.id AND w.month = $1)
		ORDER BY a.id LIMIT $4`
	out := []service.Application{}
	return out, s.sel(ctx, &out, q, month, unitID, afterID, limit)
}

// payrollFrom joins a month's records ($1) to their employments' units and positions.
const payrollFrom = ` FROM work_records w JOIN applications a ON a.id = w.application_id
	JOIN positions p ON p.id = a.position_id JOIN units u ON u.id = a.unit_id`

const payrollCols = `w.student_no, w.application_id, a.unit_id, u.name AS unit_name, p.title AS position_title,
	w.hours, w.amount_fen`

// PayrollLines returns the pay sheet's lines of the offset-th to at most limit students of month
// by student number, in one statement.
func (s queries) PayrollLines(ctx context.Context, month string, offset, limit int) ([]service.PayrollLine, error) {
	const q = `SELECT ` + payrollCols + payrollFrom + `
		WHERE w.month = $1 AND w.student_no = ANY (ARRAY(SELECT DISTINCT student_no FROM work_records
			WHERE month = $1 ORDER BY student_no OFFSET $2 LIMIT $3))
		ORDER BY w.student_no, w.application_id`
	out := []service.PayrollLine{}
	return out, s.sel(ctx, &out, q, month, offset, limit)
}

// EachPayrollLine streams month's pay sheet lines in PayrollLines' order, with the students' names
// and departments; work_records_month_idx gives the order.
func (s queries) EachPayrollLine(ctx context.Context, month string, fn func(*service.PayrollSheetRow) error) error {
	const q = `SELECT ` + payrollCols + `, st.name AS student_name, st.department` + payrollFrom + `
		JOIN students st ON st.student_no = w.student_no
		WHERE w.month = $1 ORDER BY w.student_no, w.application_id`
	return each(ctx, s, fn, q, month)
}
