package service

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// Weekday is a day of the week, Monday = 1 as in ISO 8601.
type Weekday int

// The days of the week as the schema's Weekday enum names them, numbered 1..7 from Monday as ISO
// 8601 and the free_time_slots table do.
const (
	Monday Weekday = iota + 1
	Tuesday
	Wednesday
	Thursday
	Friday
	Saturday
	Sunday
)

var weekdayNames = [...]string{"", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"}

// Valid reports whether d is one of the seven days.
func (d Weekday) Valid() bool { return d >= Monday && d <= Sunday }

// String is the schema's name of d (MONDAY ...), or Weekday(n) for a number out of range.
func (d Weekday) String() string {
	if !d.Valid() {
		return "Weekday(" + strconv.Itoa(int(d)) + ")"
	}
	return weekdayNames[d]
}

// Slot is a free-time slot (课余时间) on one weekday, times "HH:MM"; it is also the input.
type Slot struct {
	Weekday Weekday `json:"weekday" validate:"enum"`
	Start   string  `json:"start" validate:"hhmm"`
	End     string  `json:"end" validate:"hhmm"`
}

// Profile is a student's profile (个人信息) for one academic year: what they offer, when they are
// free, how to reach them. A student needs one for a year before applying in it.
type Profile struct {
	ID           int64
	StudentNo    string
	AcademicYear string
	Specialties  string
	Natures      []Nature
	WeeklyHours  int
	FreeTime     []Slot
	Phone        string
	Email        string
	UpdatedAt    time.Time
}

// ProfileInput is what a student saves; phone and email default to the enrollment record.
type ProfileInput struct {
	AcademicYear string   `json:"academicYear" validate:"yearname"`
	Specialties  string   `json:"specialties" validate:"max=1000"`
	Natures      []Nature `json:"natures" validate:"min=1,unique,dive,enum"`
	WeeklyHours  int      `json:"weeklyHours" validate:"gte=1"`
	FreeTime     []Slot   `json:"freeTime" validate:"max=50,dive"`
	Phone        *string  `json:"phone" validate:"omitnil,phone"`
	Email        *string  `json:"email" validate:"omitnil,email,max=254"`
}

// SaveProfile creates or replaces the caller's profile for input.AcademicYear (student). Every bad
// field is reported on its own (VALIDATION), also an unknown year, weekly hours above the year's cap,
// and free-time slots that do not end after they start or overlap; a student with no enrollment record
// gets NOT_ELIGIBLE. Nothing is saved from a refused input.
func (s *Service) SaveProfile(ctx context.Context, in ProfileInput) (*Profile, error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	in.Specialties = strings.TrimSpace(in.Specialties)
	errs := s.check(ctx, in, "input")
	errs = append(errs, checkSlots(ctx, in.FreeTime)...)

	year, err := s.store.AcademicYear(ctx, in.AcademicYear)
	switch {
	case errors.Is(err, ErrNoRows):
		if ValidYearName(in.AcademicYear) {
			errs = append(errs, fieldErr(ctx, []string{"input", "academicYear"}, "noSuchYear", Shorten(in.AcademicYear)))
		}
	case err != nil:
		return nil, fmt.Errorf("save profile: year %s: %w", in.AcademicYear, err)
	case in.WeeklyHours > year.MaxWeeklyHours:
		errs = append(errs, fieldErr(ctx, []string{"input", "weeklyHours"}, "overYearCap",
			label(ctx, "weeklyHours"), year.Name, year.MaxWeeklyHours, in.WeeklyHours))
	}
	st, err := s.student(ctx, p.StudentNo)
	if errors.Is(err, ErrNoRows) {
		errs = append(errs, UserError{Code: UserErrNotEligible, Message: Message(ctx, "noEnrollment", p.StudentNo)})
	} else if err != nil {
		return nil, fmt.Errorf("save profile: %w", err)
	}
	if len(errs) > 0 {
		return nil, UserErrors(errs)
	}

	prof := Profile{
		StudentNo: p.StudentNo, AcademicYear: year.Name, Specialties: in.Specialties,
		Natures: in.Natures, WeeklyHours: in.WeeklyHours, FreeTime: sortSlots(in.FreeTime),
		Phone: st.Phone, Email: st.Email,
	}
	if in.Phone != nil {
		prof.Phone = *in.Phone
	}
	if in.Email != nil {
		prof.Email = *in.Email
	}
	var saved Profile
	err = s.inTx(ctx, func(tx Tx) error {
		saved, err = tx.SaveProfile(ctx, prof)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("save profile %s/%s: %w", p.StudentNo, year.Name, err)
	}
	return &saved, nil
}

// ProfileKey names one student's profile of one year.
type ProfileKey struct {
	StudentNo    string
	AcademicYear string
}

// MyProfile returns the caller's profile for a year, nil when none was saved (student).
func (s *Service) MyProfile(ctx context.Context, year string) (*Profile, error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	return s.profile(ctx, s.store, p.StudentNo, year)
}

// Profiles returns those of the profiles that exist; dataloaders call it for applicants' profiles,
// whose applications the caller was already allowed to see.
func (s *Service) Profiles(ctx context.Context, keys []ProfileKey) ([]Profile, error) {
	ps, err := s.store.Profiles(ctx, keys)
	if err != nil {
		return nil, fmt.Errorf("profiles: %w", err)
	}
	return ps, nil
}

// profile returns one profile, nil when there is none.
func (s *Service) profile(ctx context.Context, q Queries, studentNo, year string) (*Profile, error) {
	ps, err := q.Profiles(ctx, []ProfileKey{{StudentNo: studentNo, AcademicYear: year}})
	if err != nil {
		return nil, fmt.Errorf("profile %s/%s: %w", studentNo, year, err)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	return &ps[0], nil
}

// checkSlots enforces start < end within a slot and no overlap between slots of one weekday;
// slots that touch (08:00-11:00, 11:00-12:00) do not overlap. Slots with a malformed time are
// left to the tag checks.
func checkSlots(ctx context.Context, slots []Slot) []UserError {
	var errs []UserError
	type indexed struct {
		Slot
		i int
	}
	byDay := map[Weekday][]indexed{}
	for i, sl := range slots {
		if !hhmmRe.MatchString(sl.Start) || !hhmmRe.MatchString(sl.End) {
			continue
		}
		path := []string{"input", "freeTime", strconv.Itoa(i), "end"}
		if sl.Start >= sl.End { // "HH:MM" strings order as times
			errs = append(errs, fieldErr(ctx, path, "startBeforeEnd", sl.Start, sl.End))
			continue
		}
		byDay[sl.Weekday] = append(byDay[sl.Weekday], indexed{sl, i})
	}
	for _, day := range byDay {
		sort.SliceStable(day, func(a, b int) bool { return day[a].Start < day[b].Start })
		latest := day[0] // the slot reaching furthest so far: a later slot may overlap it, not just its neighbour
		for _, cur := range day[1:] {
			if cur.Start < latest.End {
				errs = append(errs, fieldErr(ctx, []string{"input", "freeTime", strconv.Itoa(cur.i), "start"}, "slotOverlap",
					label(ctx, cur.Weekday.String()), cur.Start, cur.End, latest.Start, latest.End))
			}
			if cur.End > latest.End {
				latest = cur
			}
		}
	}
	sort.Slice(errs, func(a, b int) bool { return strings.Join(errs[a].Field, ".") < strings.Join(errs[b].Field, ".") })
	return errs
}

// sortSlots orders slots by weekday and start, the order a timetable shows them in.
func sortSlots(slots []Slot) []Slot {
	out := append([]Slot{}, slots...)
	sort.Slice(out, func(a, b int) bool {
		if out[a].Weekday != out[b].Weekday {
			return out[a].Weekday < out[b].Weekday
		}
		return out[a].Start < out[b].Start
	})
	return out
}
