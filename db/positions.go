package db

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

const positionCols = `id, unit_id, academic_year, title, description, nature, duty_category, headcount, pay_fen,
	weekly_hours, work_time_requirement, apply_start, apply_end, work_start, work_end, status, published_at,
	created_at, updated_at`

// InsertPosition stores a new position and returns it with its id and times; a foreign-key
// *service.ConstraintError when its unit or year does not exist.
func (s queries) InsertPosition(ctx context.Context, p service.Position) (service.Position, error) {
	const q = `INSERT INTO positions (unit_id, academic_year, title, description, nature, duty_category, headcount,
			pay_fen, weekly_hours, work_time_requirement, apply_start, apply_end, work_start, work_end, status,
			created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)
		RETURNING ` + positionCols
	var out service.Position
	err := s.get(ctx, &out, q, p.UnitID, p.AcademicYear, p.Title, p.Description, p.Nature, p.DutyCategory,
		p.Headcount, p.Pay, p.WeeklyHours, p.WorkTimeRequirement, p.ApplyStart, p.ApplyEnd, p.WorkStart, p.WorkEnd, p.Status,
		p.CreatedAt)
	return out, err
}

// UpdatePosition replaces the editable fields of position p.ID. The write is not conditional on
// the status: the caller holds the row from PositionForUpdate. service.ErrNoRows when it is missing.
func (s queries) UpdatePosition(ctx context.Context, p service.Position) (service.Position, error) {
	const q = `UPDATE positions SET academic_year = $2, title = $3, description = $4, nature = $5,
			duty_category = $6, headcount = $7, pay_fen = $8, weekly_hours = $9, work_time_requirement = $10,
			apply_start = $11, apply_end = $12, work_start = $13, work_end = $14, updated_at = $15
		WHERE id = $1
		RETURNING ` + positionCols
	var out service.Position
	err := s.get(ctx, &out, q, p.ID, p.AcademicYear, p.Title, p.Description, p.Nature, p.DutyCategory,
		p.Headcount, p.Pay, p.WeeklyHours, p.WorkTimeRequirement, p.ApplyStart, p.ApplyEnd, p.WorkStart, p.WorkEnd, p.UpdatedAt)
	return out, err
}

// PositionForUpdate reads position id with SELECT ... FOR UPDATE, locking it until the transaction
// ends; service.ErrNoRows when it is missing.
func (s queries) PositionForUpdate(ctx context.Context, id int64) (service.Position, error) {
	const q = `SELECT ` + positionCols + ` FROM positions WHERE id = $1 FOR UPDATE`
	var out service.Position
	return out, s.get(ctx, &out, q, id)
}

// PositionsByID returns the positions among ids that exist.
func (s queries) PositionsByID(ctx context.Context, ids []int64) ([]service.Position, error) {
	const q = `SELECT ` + positionCols + ` FROM positions WHERE id = ANY($1)`
	out := []service.Position{}
	return out, s.sel(ctx, &out, q, pq.Array(ids))
}

// SetPositionStatus moves position id from one status to another, setting published_at when
// published is not nil; the UPDATE is conditional on status = from, so service.ErrNoRows when it
// is not in from (or missing).
func (s queries) SetPositionStatus(ctx context.Context, id int64, from, to service.PositionStatus, at time.Time, published *time.Time) (service.Position, error) {
	const q = `UPDATE positions SET status = $3, updated_at = $4, published_at = coalesce($5, published_at)
		WHERE id = $1 AND status = $2 RETURNING ` + positionCols
	var out service.Position
	return out, s.get(ctx, &out, q, id, from, to, at, published)
}

// AppendPositionEvent adds a line to a position's history; the table refuses updates and deletes.
func (s queries) AppendPositionEvent(ctx context.Context, e service.PositionEvent) error {
	return appendStatusEvent(ctx, s, positionEvents, e)
}

// PositionEventsOf returns the histories of the positions, oldest first.
func (s queries) PositionEventsOf(ctx context.Context, ids []int64) ([]service.PositionEvent, error) {
	return statusEventsOf[service.PositionStatus](ctx, s, positionEvents, ids)
}

var positionEvents = newStatusHistory("position_events", "position_id")

// ListPositions returns one page of positions matching q, newest first (id DESC, below q.AfterID).
// The keyword matches title or description as a literal, case-insensitive substring (ILIKE, which
// the trigram indexes serve).
func (s queries) ListPositions(ctx context.Context, q service.PositionQuery) ([]service.Position, error) {
	where, args := positionWhere(q)
	query := `SELECT ` + positionCols + ` FROM positions` + where + ` ORDER BY id DESC`
	if q.Limit > 0 {
		args = append(args, q.Limit)
		query += ` LIMIT $` + strconv.Itoa(len(args))
	}
	out := []service.Position{}
	return out, s.shape().sel(ctx, &out, query, args...)
}

// CountPositions counts the positions matching q's filter and visibility, and below q.AfterID when
// it is set, so callers clear it to count all.
func (s queries) CountPositions(ctx context.Context, q service.PositionQuery) (int, error) {
	where, args := positionWhere(q)
	var n int
	return n, s.shape().get(ctx, &n, `SELECT count(*) FROM positions`+where, args...)
}

// positionWhere builds the WHERE clause from fixed fragments; every client value is a parameter.
func positionWhere(q service.PositionQuery) (string, []any) {
	var conds []string
	var args []any
	add := func(frag string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			frag = strings.Replace(frag, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		conds = append(conds, frag)
	}
	if q.OnlyUnit != 0 {
		add("unit_id = ?", q.OnlyUnit)
	}
	if q.Statuses != nil {
		add("status = ANY(?)", pq.Array(q.Statuses))
	}
	if q.AfterID > 0 {
		add("id < ?", q.AfterID)
	}
	f := q.PositionFilter
	if f.Nature != nil {
		add("nature = ?", *f.Nature)
	}
	if f.DutyCategory != nil {
		add("duty_category = ?", *f.DutyCategory)
	}
	if f.UnitID != nil {
		add("unit_id = ?", *f.UnitID)
	}
	if f.AcademicYear != nil {
		add("academic_year = ?", *f.AcademicYear)
	}
	if f.Status != nil {
		add("status = ?", *f.Status)
	}
	if f.Keyword != nil && *f.Keyword != "" {
		like := "%" + escapeLike(*f.Keyword) + "%"
		add("(title ILIKE ? OR description ILIKE ?)", like, like)
	}
	if f.OpenNow != nil {
		open := "(status IN (" + service.QuoteSQL(service.OpenStatuses...) + ") AND apply_start <= ? AND apply_end > ?)"
		if !*f.OpenNow {
			open = "NOT " + open
		}
		add(open, q.Now, q.Now)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// escapeLike makes a keyword match literally inside ILIKE's default escape character.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
