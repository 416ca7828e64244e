package db

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

type profileRow struct {
	ID           int64          `db:"id"`
	StudentNo    string         `db:"student_no"`
	AcademicYear string         `db:"academic_year"`
	Specialties  string         `db:"specialties"`
	Natures      pq.StringArray `db:"natures"`
	WeeklyHours  int            `db:"weekly_hours"`
	Phone        string         `db:"phone"`
	Email        string         `db:"email"`
	UpdatedAt    time.Time      `db:"updated_at"`
}

type slotRow struct {
	ProfileID int64 `db:"profile_id"`
	Weekday   int   `db:"weekday"`
	StartMin  int   `db:"start_min"`
	EndMin    int   `db:"end_min"`
}

// SaveProfile upserts the (student, year) profile and replaces its slots in three statements, so
// call it in a transaction. A foreign-key *service.ConstraintError when the student or the year does
// not exist; service.ErrCheckViolation for overlapping slots (free_time_slots_no_overlap).
func (s queries) SaveProfile(ctx context.Context, p service.Profile) (service.Profile, error) {
	const upsert = `INSERT INTO profiles (student_no, academic_year, specialties, natures, weekly_hours, phone, email)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (student_no, academic_year) DO UPDATE SET specialties = EXCLUDED.specialties,
			natures = EXCLUDED.natures, weekly_hours = EXCLUDED.weekly_hours, phone = EXCLUDED.phone,
			email = EXCLUDED.email, updated_at = now()
		RETURNING id, updated_at`
	natures := make([]string, len(p.Natures))
	for i, n := range p.Natures {
		natures[i] = string(n)
	}
	var saved struct {
		ID        int64     `db:"id"`
		UpdatedAt time.Time `db:"updated_at"`
	}
	if err := s.get(ctx, &saved, upsert, p.StudentNo, p.AcademicYear, p.Specialties, pq.Array(natures), p.WeeklyHours, p.Phone, p.Email); err != nil {
		return service.Profile{}, fmt.Errorf("upsert profile: %w", err)
	}
	p.ID, p.UpdatedAt = saved.ID, saved.UpdatedAt

	const clear = `DELETE FROM free_time_slots WHERE profile_id = $1`
	if err := s.exec(ctx, clear, p.ID); err != nil {
		return service.Profile{}, fmt.Errorf("clear slots: %w", err)
	}
	const insert = `INSERT INTO free_time_slots (profile_id, weekday, start_min, end_min)
		SELECT $1, * FROM unnest($2::smallint[], $3::smallint[], $4::smallint[])`
	days, starts, ends := make([]int, len(p.FreeTime)), make([]int, len(p.FreeTime)), make([]int, len(p.FreeTime))
	for i, sl := range p.FreeTime {
		days[i], starts[i], ends[i] = int(sl.Weekday), minutes(sl.Start), minutes(sl.End)
	}
	if err := s.exec(ctx, insert, p.ID, pq.Array(days), pq.Array(starts), pq.Array(ends)); err != nil {
		return service.Profile{}, fmt.Errorf("insert slots: %w", err)
	}
	return p, nil
}

// Profiles returns the profiles among keys that exist, each with its slots, in two statements.
func (s queries) Profiles(ctx context.Context, keys []service.ProfileKey) ([]service.Profile, error) {
	const q = `SELECT id, student_no, academic_year, specialties, natures, weekly_hours, phone, email, updated_at
		FROM profiles WHERE (student_no, academic_year) IN (SELECT * FROM unnest($1::text[], $2::text[]))`
	nos, years := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		nos[i], years[i] = k.StudentNo, k.AcademicYear
	}
	var rows []profileRow
	if err := s.sel(ctx, &rows, q, pq.Array(nos), pq.Array(years)); err != nil || len(rows) == 0 {
		return []service.Profile{}, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	const slots = `SELECT profile_id, weekday, start_min, end_min FROM free_time_slots
		WHERE profile_id = ANY($1) ORDER BY profile_id, weekday, start_min`
	var slotRows []slotRow
	if err := s.sel(ctx, &slotRows, slots, pq.Array(ids)); err != nil {
		return nil, fmt.Errorf("slots: %w", err)
	}
	byProfile := map[int64][]service.Slot{}
	for _, sl := range slotRows {
		byProfile[sl.ProfileID] = append(byProfile[sl.ProfileID],
			service.Slot{Weekday: service.Weekday(sl.Weekday), Start: hhmm(sl.StartMin), End: hhmm(sl.EndMin)})
	}
	out := make([]service.Profile, len(rows))
	for i, r := range rows {
		out[i] = service.Profile{
			ID: r.ID, StudentNo: r.StudentNo, AcademicYear: r.AcademicYear, Specialties: r.Specialties,
			WeeklyHours: r.WeeklyHours, Phone: r.Phone, Email: r.Email, UpdatedAt: r.UpdatedAt,
			Natures: make([]service.Nature, len(r.Natures)), FreeTime: byProfile[r.ID],
		}
		if out[i].FreeTime == nil {
			out[i].FreeTime = []service.Slot{}
		}
		for k, n := range r.Natures {
			out[i].Natures[k] = service.Nature(n)
		}
	}
	return out, nil
}

// minutes turns a validated "HH:MM" into minutes since midnight.
func minutes(hm string) int {
	var h, m int
	fmt.Sscanf(hm, "%d:%d", &h, &m)
	return h*60 + m
}

func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }
