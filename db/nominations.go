package db

import (
	"context"
	"time"

	"github.com/zhuguan/zhuguan/service"
)

const nominationCols = `id, student_no, academic_year, reason, status, submitted_at, updated_at,
	reviewed_at, reviewer, review_comment`

// InsertNomination stores a new nomination; a second one of the student and year that is not
// WITHDRAWN is a unique *service.ConstraintError (nominations_one_per_year_idx).
func (s queries) InsertNomination(ctx context.Context, n service.Nomination) (service.Nomination, error) {
	const q = `INSERT INTO nominations (student_no, academic_year, reason, status, submitted_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING ` + nominationCols
	var out service.Nomination
	return out, s.get(ctx, &out, q, n.StudentNo, n.AcademicYear, n.Reason, n.Status, n.SubmittedAt, n.UpdatedAt)
}

// nominationCounts holds for a nomination that still counts, as nominations_one_per_year_idx does.
var nominationCounts = `status NOT IN (` + service.QuoteSQL(service.WithdrawnStatuses...) + `)`

// currentNominationSQL reads a student's nomination of a year that still counts.
var currentNominationSQL = `SELECT ` + nominationCols + ` FROM nominations
	WHERE student_no = $1 AND academic_year = $2 AND ` + nominationCounts

// CurrentNomination returns the student's nomination of year that is not in
// service.WithdrawnStatuses, or service.ErrNoRows.
func (s queries) CurrentNomination(ctx context.Context, studentNo, year string) (service.Nomination, error) {
	var out service.Nomination
	return out, s.get(ctx, &out, currentNominationSQL, studentNo, year)
}

// AppendNominationEvent adds a line to a nomination's history; the table refuses updates and deletes.
func (s queries) AppendNominationEvent(ctx context.Context, e service.NominationEvent) error {
	return appendStatusEvent(ctx, s, nominationEvents, e)
}

// NominationEventsOf returns the histories of the nominations, oldest first.
func (s queries) NominationEventsOf(ctx context.Context, ids []int64) ([]service.NominationEvent, error) {
	return statusEventsOf[service.NominationStatus](ctx, s, nominationEvents, ids)
}

var nominationEvents = newStatusHistory("nomination_events", "nomination_id")

// NominationForUpdate reads nomination id and locks its row (FOR UPDATE); service.ErrNoRows when
// it is missing.
func (s queries) NominationForUpdate(ctx context.Context, id int64) (service.Nomination, error) {
	const q = `SELECT ` + nominationCols + ` FROM nominations WHERE id = $1 FOR UPDATE`
	var out service.Nomination
	return out, s.get(ctx, &out, q, id)
}

// UpdateNominationReason replaces the reason of a nomination in status from and nothing else; the
// UPDATE is conditional on the status, so service.ErrNoRows when it is not in from (or missing).
func (s queries) UpdateNominationReason(ctx context.Context, id int64, from service.NominationStatus, reason string, at time.Time) (service.Nomination, error) {
	const q = `UPDATE nominations SET reason = $3, updated_at = $4 WHERE id = $1 AND status = $2
		RETURNING ` + nominationCols
	var out service.Nomination
	return out, s.get(ctx, &out, q, id, from, reason, at)
}

// SetNominationStatus is the conditional write of a change of status: it changes nothing unless
// the nomination is still in from, and returns service.ErrNoRows then. With a reviewer it records
// the review at the same time; without one, reviewed_at and reviewer become null.
func (s queries) SetNominationStatus(ctx context.Context, id int64, from, to service.NominationStatus, at time.Time, reviewer, comment *string) (service.Nomination, error) {
	const q = `UPDATE nominations SET status = $3, updated_at = $4,
			reviewed_at = CASE WHEN $5::text IS NULL THEN NULL ELSE $4::timestamptz END, reviewer = $5, review_comment = $6
		WHERE id = $1 AND status = $2
		RETURNING ` + nominationCols
	var out service.Nomination
	return out, s.get(ctx, &out, q, id, from, to, at, reviewer, comment)
}

// NominationsOf lists the student's nominations, newest year first, then newest first.
func (s queries) NominationsOf(ctx context.Context, studentNo string) ([]service.Nomination, error) {
	const q = `SELECT ` + nominationCols + ` FROM nominations WHERE student_no = $1 ORDER BY academic_year DESC, id DESC`
	out := []service.Nomination{}
	return out, s.sel(ctx, &out, q, studentNo)
}

// nominationStatusIs2 filters on the status in $2 when it is given, else on those that still count.
var nominationStatusIs2 = `CASE WHEN $2::text IS NULL THEN ` + nominationCounts + ` ELSE status = $2 END`

// ListNominations lists a year's nominations newest first, below afterID when not 0; of status
// when given, else all but WITHDRAWN ones.
func (s queries) ListNominations(ctx context.Context, year string, status *service.NominationStatus, afterID int64, limit int) ([]service.Nomination, error) {
	out := []service.Nomination{}
	return out, s.sel(ctx, &out, listNominationsSQL, year, status, afterID, limit)
}

var listNominationsSQL = `SELECT ` + nominationCols + ` FROM nominations
	WHERE academic_year = $1 AND ` + nominationStatusIs2 + ` AND ($3::bigint = 0 OR id < $3)
	ORDER BY id DESC LIMIT $4`

// EachNomination streams what ListNominations lists, all of it, with the student's name and
// department and their hours recorded in the months first..last (the year's, as StudentHours
// sums them); fn's error stops it and is returned.
func (s queries) EachNomination(ctx context.Context, year string, status *service.NominationStatus, first, last string, fn func(*service.NominationRow) error) error {
	return each(ctx, s, fn, eachNominationSQL, year, status, first, last)
}

var eachNominationSQL = `SELECT n.*, s.name AS student_name, s.department,
		(SELECT coalesce(sum(w.hours), 0) FROM work_records w WHERE w.student_no = n.student_no
			AND w.month BETWEEN $3 AND $4) AS hours_worked
	FROM (SELECT ` + nominationCols + ` FROM nominations WHERE academic_year = $1 AND ` + nominationStatusIs2 + `) n
	JOIN students s ON s.student_no = n.student_no
	ORDER BY n.id DESC`

// CountNominations counts what ListNominations lists, ignoring paging.
func (s queries) CountNominations(ctx context.Context, year string, status *service.NominationStatus) (int, error) {
	var n int
	return n, s.get(ctx, &n, countNominationsSQL, year, status)
}

var countNominationsSQL = `SELECT count(*) FROM nominations WHERE academic_year = $1 AND ` + nominationStatusIs2
