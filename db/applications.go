package db

import (
	"context"
	"time"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

// applicationCols reads an application with its position's unit (alias a, p).
const applicationCols = `a.id, a.position_id, p.unit_id, a.student_no, a.status, a.phone, a.email, a.reason,
	a.applied_at, a.updated_at, a.started_at, a.ended_at, a.end_reason`

const applicationFrom = ` FROM applications a JOIN positions p ON p.id = a.position_id`

// InsertApplication stores a new application; a second live one for the same student and position
// is a unique *service.ConstraintError (applications_one_live_idx), and a missing position or
// student a foreign-key one (the trigger that copies the unit reports a missing position so too).
func (s queries) InsertApplication(ctx context.Context, a service.Application) (service.Application, error) {
	const q = `INSERT INTO applications (position_id, student_no, status, phone, email, reason, applied_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		RETURNING id, applied_at, updated_at`
	var out struct {
		ID        int64     `db:"id"`
		AppliedAt time.Time `db:"applied_at"`
		UpdatedAt time.Time `db:"updated_at"`
	}
	if err := s.get(ctx, &out, q, a.PositionID, a.StudentNo, a.Status, a.Phone, a.Email, a.Reason, a.AppliedAt); err != nil {
		return service.Application{}, err
	}
	a.ID, a.AppliedAt, a.UpdatedAt = out.ID, out.AppliedAt, out.UpdatedAt
	return a, nil
}

// ApplicationForUpdate reads application id and locks its row (FOR UPDATE OF a: not the
// position's, which hires lock on their own); service.ErrNoRows when it is missing.
func (s queries) ApplicationForUpdate(ctx context.Context, id int64) (service.Application, error) {
	const q = `SELECT ` + applicationCols + applicationFrom + ` WHERE a.id = $1 FOR UPDATE OF a`
	var out service.Application
	return out, s.get(ctx, &out, q, id)
}

// ApplicationsByID returns the applications among ids that exist.
func (s queries) ApplicationsByID(ctx context.Context, ids []int64) ([]service.Application, error) {
	const q = `SELECT ` + applicationCols + applicationFrom + ` WHERE a.id = ANY($1)`
	out := []service.Application{}
	return out, s.sel(ctx, &out, q, pq.Array(ids))
}

// SetApplicationStatus is the conditional write of a transition: it changes nothing unless the
// application is still in from, so a transition can never apply twice; service.ErrNoRows then.
// The employment's times and end reason change only where e sets them.
func (s queries) SetApplicationStatus(ctx context.Context, id int64, from, to service.ApplicationStatus, at time.Time, e service.EmploymentChange) (service.Application, error) {
	const q = `WITH u AS (
			UPDATE applications SET status = $3, updated_at = $4, started_at = coalesce($5, started_at),
				ended_at = coalesce($6, ended_at), end_reason = coalesce($7, end_reason)
			WHERE id = $1 AND status = $2
			RETURNING *)
		SELECT ` + applicationCols + ` FROM u a JOIN positions p ON p.id = a.position_id`
	var out service.Application
	return out, s.get(ctx, &out, q, id, from, to, at, e.StartedAt, e.EndedAt, e.EndReason)
}

// AppendEvent adds a timeline entry; the table refuses updates and deletes.
func (s queries) AppendEvent(ctx context.Context, e service.TimelineEntry) error {
	const q = `INSERT INTO application_events (application_id, event, from_status, to_status, actor, actor_role, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	return s.exec(ctx, q, e.ApplicationID, e.Event, e.From, e.To, e.Actor, e.ActorRole, e.Note, e.At)
}

// EventsOf returns the timeline entries of the applications, oldest first, with their unit's name.
func (s queries) EventsOf(ctx context.Context, ids []int64) ([]service.TimelineEntry, error) {
	const q = `SELECT e.id, e.application_id, e.event, e.from_status, e.to_status, e.actor, e.actor_role, e.note, e.at,
			u.name AS unit_name
		FROM application_events e JOIN applications a ON a.id = e.application_id JOIN units u ON u.id = a.unit_id
		WHERE e.application_id = ANY($1) ORDER BY e.application_id, e.id`
	out := []service.TimelineEntry{}
	return out, s.sel(ctx, &out, q, pq.Array(ids))
}

// LockPositionHeadcount locks the position's row (FOR UPDATE) and returns its headcount, so that
// concurrent hires count one after another; service.ErrNoRows when it is missing.
func (s queries) LockPositionHeadcount(ctx context.Context, positionID int64) (int, error) {
	const q = `SELECT headcount FROM positions WHERE id = $1 FOR UPDATE`
	var n int
	return n, s.get(ctx, &n, q, positionID)
}

// countHiredSQL counts a position's applications that take one of its places.
var countHiredSQL = `SELECT count(*) FROM applications WHERE position_id = $1 AND status IN (` +
	service.QuoteSQL(service.HeadcountStatuses...) + `)`

// CountHired counts the applications of a position in service.HeadcountStatuses.
func (s queries) CountHired(ctx context.Context, positionID int64) (int, error) {
	var n int
	return n, s.get(ctx, &n, countHiredSQL, positionID)
}

// LockStudent locks the student's row (FOR UPDATE), so that one student's cap checks run one after
// another; service.ErrNoRows when there is no such student.
func (s queries) LockStudent(ctx context.Context, studentNo string) error {
	const q = `SELECT student_no FROM students WHERE student_no = $1 FOR UPDATE`
	var no string
	return s.get(ctx, &no, q, studentNo)
}

// heldSQL reads a student's employments that go on and overlap a period, with their positions'
// titles and weekly hours.
var heldSQL = `SELECT a.id, p.title, p.weekly_hours` + applicationFrom + `
	WHERE a.student_no = $1 AND a.status IN (` + service.QuoteSQL(service.WorkingStatuses...) + `) AND p.work_start < $3 AND p.work_end > $2
	ORDER BY p.work_start, p.id`

// HeldEmployments returns the student's employments in service.WorkingStatuses whose positions'
// work periods overlap [from, to), by the positions' work start and id.
func (s queries) HeldEmployments(ctx context.Context, studentNo string, from, to time.Time) ([]service.HeldEmployment, error) {
	out := []service.HeldEmployment{}
	return out, s.sel(ctx, &out, heldSQL, studentNo, from, to)
}

// jobLimitsSQL counts, in one statement for a page of applications ($1), each one's overlapping
// employments where its year has a limit; applications_student_idx finds each student's rows.
var jobLimitsSQL = `SELECT a.id AS application_id, y.max_concurrent_employments AS max, (
		SELECT count(*) FROM applications o JOIN positions op ON op.id = o.position_id
		WHERE o.student_no = a.student_no AND o.id <> a.id AND o.status IN (` + service.QuoteSQL(service.WorkingStatuses...) + `)
			AND op.work_start < p.work_end AND op.work_end > p.work_start) AS held` + applicationFrom + `
	JOIN academic_years y ON y.name = p.academic_year
	WHERE a.id = ANY($1) AND y.max_concurrent_employments IS NOT NULL`

// JobLimits returns, for those of the applications whose position's year has
// max_concurrent_employments, the limit and the student's other overlapping employments in
// service.WorkingStatuses.
func (s queries) JobLimits(ctx context.Context, applicationIDs []int64) ([]service.JobLimit, error) {
	out := []service.JobLimit{}
	return out, s.sel(ctx, &out, jobLimitsSQL, pq.Array(applicationIDs))
}

// ListApplicants orders financial need first, then application time, then id, paging by OFFSET
// (that order is not a keyset a cursor could carry without revealing the flag).
func (s queries) ListApplicants(ctx context.Context, positionID int64, status *service.ApplicationStatus, offset, limit int) ([]service.Application, error) {
	const q = `SELECT ` + applicationCols + applicantsFrom + applicantsWhere + ` OFFSET $3 LIMIT $4`
	out := []service.Application{}
	return out, s.sel(ctx, &out, q, positionID, status, offset, limit)
}

// applicantsFrom and applicantsWhere are the rows of a position's applicants ($1), of one status
// when $2 is not null, in their order: the list and the export share them.
const (
	applicantsFrom  = applicationFrom + ` JOIN students s ON s.student_no = a.student_no`
	applicantsWhere = ` WHERE a.position_id = $1 AND ($2::text IS NULL OR a.status = $2)
		ORDER BY s.financial_need DESC, a.applied_at, a.id`
)

// EachApplicant streams what ListApplicants lists, all of it, with the student's name, degree and
// department and their profile of the position's year; fn's error stops it and is returned.
func (s queries) EachApplicant(ctx context.Context, positionID int64, status *service.ApplicationStatus, fn func(*service.ApplicantRow) error) error {
	const q = `SELECT ` + applicationCols + `, s.name AS student_name, s.degree, s.department,
		pr.specialties, pr.weekly_hours` + applicantsFrom + `
		LEFT JOIN profiles pr ON pr.student_no = a.student_no AND pr.academic_year = p.academic_year` + applicantsWhere
	return each(ctx, s, fn, q, positionID, status)
}

// CountApplicants counts a position's applications, of one status when given.
func (s queries) CountApplicants(ctx context.Context, positionID int64, status *service.ApplicationStatus) (int, error) {
	const q = `SELECT count(*) FROM applications WHERE position_id = $1 AND ($2::text IS NULL OR status = $2)`
	var n int
	return n, s.get(ctx, &n, q, positionID, status)
}

// ListStudentApplications lists a student's applications newest first, below afterID when not 0,
// which applications_student_idx serves.
func (s queries) ListStudentApplications(ctx context.Context, studentNo string, status *service.ApplicationStatus, afterID int64, limit int) ([]service.Application, error) {
	const q = `SELECT ` + applicationCols + applicationFrom + `
		WHERE a.student_no = $1 AND ($2::text IS NULL OR a.status = $2) AND ($3::bigint = 0 OR a.id < $3)
		ORDER BY a.id DESC LIMIT $4`
	out := []service.Application{}
	return out, s.sel(ctx, &out, q, studentNo, status, afterID, limit)
}

// CountStudentApplications counts a student's applications, of one status when given.
func (s queries) CountStudentApplications(ctx context.Context, studentNo string, status *service.ApplicationStatus) (int, error) {
	const q = `SELECT count(*) FROM applications WHERE student_no = $1 AND ($2::text IS NULL OR status = $2)`
	var n int
	return n, s.get(ctx, &n, q, studentNo, status)
}

// LatestApplications returns the student's newest application to each of the positions.
func (s queries) LatestApplications(ctx context.Context, studentNo string, positionIDs []int64) ([]service.Application, error) {
	const q = `SELECT DISTINCT ON (a.position_id) ` + applicationCols + applicationFrom + `
		WHERE a.student_no = $1 AND a.position_id = ANY($2) ORDER BY a.position_id, a.id DESC`
	out := []service.Application{}
	return out, s.sel(ctx, &out, q, studentNo, pq.Array(positionIDs))
}
