// Store tests run on a real PostgreSQL database, one per test (dbtest). They live in package
// db_test because dbtest imports db.
package db_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/service"
)

var zone = service.SchoolZone

func newStore(t *testing.T) (*db.Store, *sqlx.DB) {
	t.Helper()
	d := dbtest.Open(t, db.Config{MaxConns: 4})
	return db.NewStore(d), d
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, zone) }

func yearFixture(name string) service.AcademicYear {
	var a int
	for _, c := range name[:4] {
		a = a*10 + int(c-'0')
	}
	return service.AcademicYear{
		Name: name, StartDate: day(a, 9, 1), EndDate: day(a+1, 7, 31),
		NominationOpensAt:  time.Date(a+1, 6, 1, 8, 0, 0, 0, zone),
		NominationClosesAt: time.Date(a+1, 6, 30, 18, 0, 0, 0, zone),
		NominationMinHours: 40, MaxWeeklyHours: 10, MaxMonthlyHours: 40,
	}
}

func mustYear(t *testing.T, s *db.Store, name string) service.AcademicYear {
	t.Helper()
	y, err := s.UpsertAcademicYear(ctxT(t), yearFixture(name))
	if err != nil {
		t.Fatalf("UpsertAcademicYear(%s): got %v, want nil", name, err)
	}
	return y
}

func mustUnit(t *testing.T, s *db.Store, name string) service.Unit {
	t.Helper()
	u, err := s.CreateUnit(ctxT(t), name)
	if err != nil {
		t.Fatalf("CreateUnit(%s): got %v, want nil", name, err)
	}
	return u
}

func studentFixture(no string) service.Student {
	return service.Student{
		StudentNo: no, Name: "学生" + no, Phone: "1380013" + no[len(no)-4:], Email: no + "@example.edu.cn",
		Degree: service.DegreeMaster, Department: "基础医学院", FullTime: true, Enrolled: true,
	}
}

// positionFixture is a valid DRAFT position whose application window opens at start.
func positionFixture(unitID int64, year string, start time.Time) service.Position {
	return service.Position{
		UnitID: unitID, AcademicYear: year, Title: "数据整理助理", Description: "整理科研数据",
		Nature: service.NatureLongTerm, DutyCategory: service.DutyDataAnalysis, Headcount: 2, Pay: 250000,
		WeeklyHours: 8, WorkTimeRequirement: "周一下午",
		ApplyStart: start, ApplyEnd: start.Add(7 * 24 * time.Hour),
		WorkStart: start.Add(10 * 24 * time.Hour), WorkEnd: start.Add(100 * 24 * time.Hour),
		Status: service.PositionDraft, CreatedAt: start.Add(-24 * time.Hour),
	}
}

func mustPosition(t *testing.T, s *db.Store, p service.Position) service.Position {
	t.Helper()
	out, err := s.InsertPosition(ctxT(t), p)
	if err != nil {
		t.Fatalf("InsertPosition(%q): got %v, want nil", p.Title, err)
	}
	return out
}

// samePosition compares every stored field; times as instants.
func samePosition(a, b service.Position) bool {
	return a.UnitID == b.UnitID && a.AcademicYear == b.AcademicYear && a.Title == b.Title &&
		a.Description == b.Description && a.Nature == b.Nature && a.DutyCategory == b.DutyCategory &&
		a.Headcount == b.Headcount && a.Pay == b.Pay && a.WeeklyHours == b.WeeklyHours &&
		a.WorkTimeRequirement == b.WorkTimeRequirement && a.ApplyStart.Equal(b.ApplyStart) &&
		a.ApplyEnd.Equal(b.ApplyEnd) && a.WorkStart.Equal(b.WorkStart) && a.WorkEnd.Equal(b.WorkEnd) &&
		a.Status == b.Status
}

func wantCheckViolation(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, service.ErrCheckViolation) {
		t.Errorf("%s: got %v, want service.ErrCheckViolation", what, err)
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		t.Errorf("%s: got a *pq.Error in the chain, want it translated", what)
	}
}

func wantNoRows(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, service.ErrNoRows) {
		t.Errorf("%s: got %v, want service.ErrNoRows", what, err)
	}
}

func TestAcademicYears(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)

	in := yearFixture("2025-2026")
	got, err := s.UpsertAcademicYear(ctx, in)
	if err != nil {
		t.Fatalf("UpsertAcademicYear: got %v, want nil", err)
	}
	check := func(what string, got, want service.AcademicYear) {
		t.Helper()
		if got.Name != want.Name || got.StartDate.Format(time.DateOnly) != want.StartDate.Format(time.DateOnly) ||
			got.EndDate.Format(time.DateOnly) != want.EndDate.Format(time.DateOnly) ||
			!got.NominationOpensAt.Equal(want.NominationOpensAt) || !got.NominationClosesAt.Equal(want.NominationClosesAt) ||
			got.NominationMinHours != want.NominationMinHours || got.MaxWeeklyHours != want.MaxWeeklyHours ||
			got.MaxMonthlyHours != want.MaxMonthlyHours {
			t.Errorf("%s: got %+v, want %+v", what, got, want)
		}
	}
	check("upsert returns", got, in)
	read, err := s.AcademicYear(ctx, in.Name)
	if err != nil {
		t.Fatalf("AcademicYear: got %v, want nil", err)
	}
	check("read back", read, in)

	// A second upsert of the same name replaces the settings.
	in2 := in
	in2.EndDate, in2.NominationMinHours, in2.MaxWeeklyHours, in2.MaxMonthlyHours = day(2026, 8, 15), 12.5, 20, 80.5
	in2.NominationClosesAt = in.NominationClosesAt.Add(48 * time.Hour)
	got, err = s.UpsertAcademicYear(ctx, in2)
	if err != nil {
		t.Fatalf("second UpsertAcademicYear: got %v, want nil", err)
	}
	check("second upsert returns", got, in2)
	read, err = s.AcademicYear(ctx, in.Name)
	if err != nil {
		t.Fatalf("AcademicYear: got %v, want nil", err)
	}
	check("read after second upsert", read, in2)

	mustYear(t, s, "2024-2025")
	mustYear(t, s, "2026-2027")
	all, err := s.AcademicYears(ctx)
	if err != nil {
		t.Fatalf("AcademicYears: got %v, want nil", err)
	}
	var names []string
	for _, y := range all {
		names = append(names, y.Name)
	}
	if want := []string{"2026-2027", "2025-2026", "2024-2025"}; !slices.Equal(names, want) {
		t.Errorf("AcademicYears: got %q, want %q (newest first, the upserted year once)", names, want)
	}

	_, err = s.AcademicYear(ctx, "2000-2001")
	wantNoRows(t, "AcademicYear of a missing year", err)
}

// TestAcademicYearDatesInSchoolZone: AcademicYear's doc says its dates are calendar dates in
// SchoolZone, so a date read back is midnight of that day in Asia/Shanghai, the instant it was written as.
func TestAcademicYearDatesInSchoolZone(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	in := yearFixture("2025-2026")
	if _, err := s.UpsertAcademicYear(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := s.AcademicYear(ctx, in.Name)
	if err != nil {
		t.Fatal(err)
	}
	if !got.StartDate.Equal(in.StartDate) || !got.EndDate.Equal(in.EndDate) {
		t.Errorf("AcademicYear: got start %v end %v, want %v and %v (midnight in the school's zone, not UTC)",
			got.StartDate, got.EndDate, in.StartDate, in.EndDate)
	}
}

func TestAcademicYearConstraints(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	tests := []struct {
		name string
		edit func(*service.AcademicYear)
	}{
		{"name not consecutive", func(y *service.AcademicYear) { y.Name = "2019-2021" }},
		{"start after end", func(y *service.AcademicYear) { y.StartDate, y.EndDate = y.EndDate, y.StartDate }},
		{"nomination closes before it opens", func(y *service.AcademicYear) {
			y.NominationOpensAt, y.NominationClosesAt = y.NominationClosesAt, y.NominationOpensAt
		}},
		{"weekly cap 0", func(y *service.AcademicYear) { y.MaxWeeklyHours = 0 }},
		{"monthly cap 745", func(y *service.AcademicYear) { y.MaxMonthlyHours = 745 }},
		{"negative nomination hours", func(y *service.AcademicYear) { y.NominationMinHours = -1 }},
	}
	for _, tt := range tests {
		y := yearFixture("2025-2026")
		tt.edit(&y)
		_, err := s.UpsertAcademicYear(ctx, y)
		wantCheckViolation(t, tt.name, err)
	}
	all, err := s.AcademicYears(ctx)
	if err != nil || len(all) != 0 {
		t.Errorf("AcademicYears after refused writes: got %v, %v, want none", all, err)
	}
}

func TestUnits(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)

	b := mustUnit(t, s, "研究生院")
	a := mustUnit(t, s, "Admissions")
	if a.ID <= 0 || b.ID <= 0 || a.ID == b.ID {
		t.Fatalf("got ids %d and %d, want two distinct positive ids", a.ID, b.ID)
	}
	if a.Name != "Admissions" {
		t.Errorf("CreateUnit: got name %q, want %q", a.Name, "Admissions")
	}

	all, err := s.Units(ctx)
	if err != nil {
		t.Fatalf("Units: got %v, want nil", err)
	}
	if want := []service.Unit{a, b}; !slices.Equal(all, want) {
		t.Errorf("Units: got %v, want %v (by name)", all, want)
	}

	tests := []struct {
		ids  []int64
		want []service.Unit
	}{
		{[]int64{b.ID}, []service.Unit{b}},
		{[]int64{a.ID, b.ID}, []service.Unit{a, b}},
		{[]int64{a.ID, 999999}, []service.Unit{a}},
		{[]int64{999999}, nil},
		{[]int64{}, nil},
	}
	for _, tt := range tests {
		got, err := s.UnitsByID(ctx, tt.ids)
		if err != nil {
			t.Errorf("UnitsByID(%v): got %v, want nil", tt.ids, err)
			continue
		}
		slices.SortFunc(got, func(x, y service.Unit) int { return int(x.ID - y.ID) })
		slices.SortFunc(tt.want, func(x, y service.Unit) int { return int(x.ID - y.ID) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("UnitsByID(%v): got %v, want %v", tt.ids, got, tt.want)
		}
	}
}

func TestCreateUnitErrors(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	mustUnit(t, s, "研究生院")

	_, err := s.CreateUnit(ctx, "研究生院")
	var ce *service.ConstraintError
	if !errors.As(err, &ce) {
		t.Fatalf("duplicate name: got %v, want *service.ConstraintError", err)
	}
	if want := (service.ConstraintError{Constraint: "units_name_key", Unique: true}); *ce != want {
		t.Errorf("duplicate name: got %+v, want %+v", *ce, want)
	}

	_, err = s.CreateUnit(ctx, "   ")
	wantCheckViolation(t, "blank name", err)
	_, err = s.CreateUnit(ctx, strings.Repeat("单", 101))
	wantCheckViolation(t, "101-character name", err)
}

func TestStudents(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)

	a, b := studentFixture("20160001"), studentFixture("20160002")
	existed, err := s.UpsertStudents(ctx, []service.Student{a, b})
	if err != nil {
		t.Fatalf("first UpsertStudents: got %v, want nil", err)
	}
	if len(existed) != 0 {
		t.Errorf("first UpsertStudents: got existed %v, want none", existed)
	}

	b.Name, b.Phone, b.Email, b.Degree, b.Department = "李四", "13900000000", "ls@example.org", service.DegreeDoctoral, "临床医学院"
	b.FullTime, b.Enrolled, b.FinancialNeed = false, false, true
	c := studentFixture("2016C003")
	c.FinancialNeed = true
	existed, err = s.UpsertStudents(ctx, []service.Student{b, c})
	if err != nil {
		t.Fatalf("second UpsertStudents: got %v, want nil", err)
	}
	if want := map[string]bool{b.StudentNo: true}; len(existed) != 1 || !existed[b.StudentNo] {
		t.Errorf("second UpsertStudents: got existed %v, want %v", existed, want)
	}

	got, err := s.StudentsByNo(ctx, []string{a.StudentNo, b.StudentNo, c.StudentNo, "99999999"})
	if err != nil {
		t.Fatalf("StudentsByNo: got %v, want nil", err)
	}
	slices.SortFunc(got, func(x, y service.Student) int { return strings.Compare(x.StudentNo, y.StudentNo) })
	if want := []service.Student{a, b, c}; !slices.Equal(got, want) {
		t.Errorf("StudentsByNo: got %+v, want %+v", got, want)
	}
	none, err := s.StudentsByNo(ctx, []string{"nobody"})
	if err != nil || len(none) != 0 {
		t.Errorf("StudentsByNo of a missing number: got %v, %v, want none, nil", none, err)
	}
}

// TestUpsertStudentsAllOrNothing: one bad row refuses the whole batch.
func TestUpsertStudentsAllOrNothing(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	good, bad := studentFixture("20160001"), studentFixture("20160002")
	bad.Degree = "BACHELOR"
	_, err := s.UpsertStudents(ctx, []service.Student{good, bad})
	wantCheckViolation(t, "degree BACHELOR", err)
	got, err := s.StudentsByNo(ctx, []string{good.StudentNo, bad.StudentNo})
	if err != nil || len(got) != 0 {
		t.Errorf("StudentsByNo after a refused batch: got %v, %v, want none, nil", got, err)
	}
}

func TestProfiles(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	mustYear(t, s, "2025-2026")
	mustYear(t, s, "2026-2027")
	st := studentFixture("20160931")
	if _, err := s.UpsertStudents(ctx, []service.Student{st}); err != nil {
		t.Fatal(err)
	}

	_, err := profileOf(ctx, s, st.StudentNo, "2025-2026")
	wantNoRows(t, "Profile before any save", err)

	in := service.Profile{
		StudentNo: st.StudentNo, AcademicYear: "2025-2026", Specialties: "摄影、海报设计",
		Natures: []service.Nature{service.NatureTemporary, service.NatureLongTerm}, WeeklyHours: 8,
		FreeTime: []service.Slot{
			{Weekday: service.Tuesday, Start: "14:00", End: "17:30"},
			{Weekday: service.Monday, Start: "10:00", End: "12:00"},
			{Weekday: service.Monday, Start: "08:00", End: "10:00"}, // touches the next one
			{Weekday: service.Sunday, Start: "00:00", End: "23:59"},
		},
		Phone: "13800000000", Email: "zs@example.edu.cn",
	}
	saved, err := s.SaveProfile(ctx, in)
	if err != nil {
		t.Fatalf("SaveProfile: got %v, want nil", err)
	}
	if saved.ID <= 0 || saved.UpdatedAt.IsZero() {
		t.Errorf("SaveProfile: got id %d, updatedAt %v, want both set", saved.ID, saved.UpdatedAt)
	}
	got, err := profileOf(ctx, s, st.StudentNo, "2025-2026")
	if err != nil {
		t.Fatalf("Profile: got %v, want nil", err)
	}
	wantSlots := []service.Slot{in.FreeTime[2], in.FreeTime[1], in.FreeTime[0], in.FreeTime[3]}
	if got.ID != saved.ID || got.StudentNo != in.StudentNo || got.AcademicYear != in.AcademicYear ||
		got.Specialties != in.Specialties || !slices.Equal(got.Natures, in.Natures) || got.WeeklyHours != in.WeeklyHours ||
		got.Phone != in.Phone || got.Email != in.Email || !got.UpdatedAt.Equal(saved.UpdatedAt) {
		t.Errorf("Profile: got %+v, want %+v with id %d", got, in, saved.ID)
	}
	if !slices.Equal(got.FreeTime, wantSlots) {
		t.Errorf("Profile slots: got %v, want %v (by weekday, then start)", got.FreeTime, wantSlots)
	}

	// Saving again replaces the profile and all of its slots, keeping its id.
	in2 := in
	in2.Specialties, in2.Natures, in2.WeeklyHours, in2.Phone = "写作", []service.Nature{service.NatureLongTerm}, 4, "13900000000"
	in2.FreeTime = []service.Slot{{Weekday: service.Friday, Start: "09:00", End: "10:00"}}
	saved2, err := s.SaveProfile(ctx, in2)
	if err != nil {
		t.Fatalf("second SaveProfile: got %v, want nil", err)
	}
	if saved2.ID != saved.ID {
		t.Errorf("second SaveProfile: got id %d, want the same id %d", saved2.ID, saved.ID)
	}
	got, err = profileOf(ctx, s, st.StudentNo, "2025-2026")
	if err != nil {
		t.Fatalf("Profile: got %v, want nil", err)
	}
	if got.Specialties != "写作" || !slices.Equal(got.Natures, in2.Natures) || got.WeeklyHours != 4 || got.Phone != in2.Phone ||
		!slices.Equal(got.FreeTime, in2.FreeTime) || got.UpdatedAt.Before(saved.UpdatedAt) {
		t.Errorf("Profile after replace: got %+v, want %+v", got, in2)
	}

	// No slots at all; and a second year is a second profile.
	in3 := in2
	in3.AcademicYear, in3.FreeTime = "2026-2027", nil
	saved3, err := s.SaveProfile(ctx, in3)
	if err != nil {
		t.Fatalf("SaveProfile for another year: got %v, want nil", err)
	}
	if saved3.ID == saved.ID {
		t.Errorf("SaveProfile for another year: got id %d, want a new profile", saved3.ID)
	}
	got, err = profileOf(ctx, s, st.StudentNo, "2026-2027")
	if err != nil || len(got.FreeTime) != 0 {
		t.Errorf("Profile without slots: got %+v, %v, want no slots, nil", got, err)
	}
	got, err = profileOf(ctx, s, st.StudentNo, "2025-2026")
	if err != nil || len(got.FreeTime) != 1 {
		t.Errorf("first year's profile after saving another year: got %+v, %v, want its one slot", got, err)
	}

	_, err = profileOf(ctx, s, "nobody", "2025-2026")
	wantNoRows(t, "Profile of an unknown student", err)
}

// TestProfileConstraints: impossible profiles that bypass the service are refused by the database,
// and inside a transaction nothing of the refused save remains.
func TestProfileConstraints(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	mustYear(t, s, "2025-2026")
	st := studentFixture("20160931")
	if _, err := s.UpsertStudents(ctx, []service.Student{st}); err != nil {
		t.Fatal(err)
	}
	base := service.Profile{
		StudentNo: st.StudentNo, AcademicYear: "2025-2026", Specialties: "摄影",
		Natures: []service.Nature{service.NatureLongTerm}, WeeklyHours: 8,
		FreeTime: []service.Slot{{Weekday: service.Monday, Start: "08:00", End: "10:00"}},
		Phone:    st.Phone, Email: st.Email,
	}
	if _, err := s.SaveProfile(ctx, base); err != nil {
		t.Fatalf("SaveProfile: got %v, want nil", err)
	}

	tests := []struct {
		name string
		edit func(*service.Profile)
	}{
		{"overlapping slots", func(p *service.Profile) {
			p.FreeTime = []service.Slot{{Weekday: service.Monday, Start: "08:00", End: "12:00"}, {Weekday: service.Monday, Start: "09:00", End: "10:00"}}
		}},
		{"identical slots", func(p *service.Profile) {
			p.FreeTime = []service.Slot{{Weekday: service.Monday, Start: "08:00", End: "09:00"}, {Weekday: service.Monday, Start: "08:00", End: "09:00"}}
		}},
		{"start equals end", func(p *service.Profile) {
			p.FreeTime = []service.Slot{{Weekday: service.Monday, Start: "09:00", End: "09:00"}}
		}},
		{"start after end", func(p *service.Profile) {
			p.FreeTime = []service.Slot{{Weekday: service.Monday, Start: "11:00", End: "09:00"}}
		}},
		{"weekday 8", func(p *service.Profile) {
			p.FreeTime = []service.Slot{{Weekday: 8, Start: "08:00", End: "09:00"}}
		}},
		{"no natures", func(p *service.Profile) { p.Natures = nil }},
		{"unknown nature", func(p *service.Profile) { p.Natures = []service.Nature{"PART_TIME"} }},
		{"weekly hours 0", func(p *service.Profile) { p.WeeklyHours = 0 }},
		{"specialties 1001 characters", func(p *service.Profile) { p.Specialties = strings.Repeat("特", 1001) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.edit(&p)
			tx, err := s.Begin(ctx)
			if err != nil {
				t.Fatalf("Begin: got %v, want nil", err)
			}
			_, err = tx.SaveProfile(ctx, p)
			wantCheckViolation(t, tt.name, err)
			if err := tx.Rollback(); err != nil {
				t.Errorf("Rollback: got %v, want nil", err)
			}
			got, err := profileOf(ctx, s, st.StudentNo, "2025-2026")
			if err != nil || got.Specialties != base.Specialties || got.WeeklyHours != base.WeeklyHours ||
				!slices.Equal(got.FreeTime, base.FreeTime) || !slices.Equal(got.Natures, base.Natures) {
				t.Errorf("Profile after a refused save: got %+v, %v, want the saved one unchanged", got, err)
			}
		})
	}

	t.Run("unknown student", func(t *testing.T) {
		p := base
		p.StudentNo = "nobody"
		_, err := s.SaveProfile(ctx, p)
		var ce *service.ConstraintError
		if !errors.As(err, &ce) || ce.Unique || ce.Constraint != "profiles_student_no_fkey" {
			t.Errorf("got %v, want a non-unique *service.ConstraintError on profiles_student_no_fkey", err)
		}
	})
	t.Run("unknown year", func(t *testing.T) {
		p := base
		p.AcademicYear = "2030-2031"
		_, err := s.SaveProfile(ctx, p)
		var ce *service.ConstraintError
		if !errors.As(err, &ce) || ce.Unique || ce.Constraint != "profiles_academic_year_fkey" {
			t.Errorf("got %v, want a non-unique *service.ConstraintError on profiles_academic_year_fkey", err)
		}
	})
}

func TestPositionRoundTrip(t *testing.T) {
	ctx := ctxT(t)
	s, d := newStore(t)
	mustYear(t, s, "2025-2026")
	mustYear(t, s, "2026-2027")
	u := mustUnit(t, s, "研究生院")
	other := mustUnit(t, s, "图书馆")

	in := positionFixture(u.ID, "2025-2026", time.Date(2025, 9, 1, 8, 30, 15, 123456000, zone))
	p := mustPosition(t, s, in)
	if p.ID <= 0 || p.CreatedAt.IsZero() || p.UpdatedAt.IsZero() {
		t.Errorf("InsertPosition: got id %d, created %v, updated %v, want all set", p.ID, p.CreatedAt, p.UpdatedAt)
	}
	if !samePosition(p, in) {
		t.Errorf("InsertPosition: got %+v, want %+v", p, in)
	}

	byID, err := s.PositionsByID(ctx, []int64{p.ID, 999999})
	if err != nil || len(byID) != 1 || !samePosition(byID[0], in) || byID[0].ID != p.ID {
		t.Fatalf("PositionsByID: got %+v, %v, want the one inserted", byID, err)
	}
	none, err := s.PositionsByID(ctx, []int64{999999})
	if err != nil || len(none) != 0 {
		t.Errorf("PositionsByID of a missing id: got %v, %v, want none, nil", none, err)
	}

	// UpdatePosition replaces the editable fields and leaves unit and status alone.
	up := positionFixture(other.ID, "2026-2027", time.Date(2026, 9, 1, 9, 0, 0, 0, zone))
	up.ID, up.Status = p.ID, service.PositionClosed
	up.Title, up.Description, up.Nature, up.DutyCategory = "海报设计", "", service.NatureTemporary, service.DutyPosterDesign
	up.Headcount, up.Pay, up.WeeklyHours, up.WorkTimeRequirement = 1, 50, 3, ""
	up.UpdatedAt = p.CreatedAt.Add(time.Hour)
	updated, err := s.UpdatePosition(ctx, up)
	if err != nil {
		t.Fatalf("UpdatePosition: got %v, want nil", err)
	}
	want := up
	want.UnitID, want.Status = u.ID, service.PositionDraft
	if !samePosition(updated, want) || updated.ID != p.ID {
		t.Errorf("UpdatePosition: got %+v, want %+v", updated, want)
	}
	if !updated.CreatedAt.Equal(p.CreatedAt) || !updated.UpdatedAt.Equal(up.UpdatedAt) {
		t.Errorf("UpdatePosition: got created %v updated %v, want created %v and updated %v",
			updated.CreatedAt, updated.UpdatedAt, p.CreatedAt, up.UpdatedAt)
	}
	up.ID = 999999
	_, err = s.UpdatePosition(ctx, up)
	wantNoRows(t, "UpdatePosition of a missing id", err)

	// SetPositionStatus is conditional on the current status.
	at := day(2026, 9, 3)
	pub, err := s.SetPositionStatus(ctx, p.ID, service.PositionDraft, service.PositionPublished, at, &at)
	if err != nil || pub.Status != service.PositionPublished {
		t.Fatalf("SetPositionStatus DRAFT->PUBLISHED: got %v, %v, want PUBLISHED, nil", pub.Status, err)
	}
	if pub.PublishedAt == nil || !pub.PublishedAt.Equal(at) || !pub.UpdatedAt.Equal(at) {
		t.Errorf("SetPositionStatus DRAFT->PUBLISHED: got published %v updated %v, want both %v", pub.PublishedAt, pub.UpdatedAt, at)
	}
	_, err = s.SetPositionStatus(ctx, p.ID, service.PositionDraft, service.PositionPublished, at, &at)
	wantNoRows(t, "SetPositionStatus from the wrong status", err)
	_, err = s.SetPositionStatus(ctx, 999999, service.PositionDraft, service.PositionPublished, at, &at)
	wantNoRows(t, "SetPositionStatus of a missing id", err)
	_, err = s.SetPositionStatus(ctx, p.ID, service.PositionPublished, "ARCHIVED", at, nil)
	wantCheckViolation(t, "SetPositionStatus to an unknown status", err)
	cur, err := s.PositionsByID(ctx, []int64{p.ID})
	if err != nil || len(cur) != 1 || cur[0].Status != service.PositionPublished {
		t.Errorf("status after refused moves: got %+v, %v, want PUBLISHED", cur, err)
	}

	// PositionForUpdate locks the row until the transaction ends.
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatalf("Begin: got %v, want nil", err)
	}
	defer tx.Rollback()
	locked, err := tx.PositionForUpdate(ctx, p.ID)
	if err != nil || locked.ID != p.ID || locked.Status != service.PositionPublished {
		t.Fatalf("PositionForUpdate: got %+v, %v, want position %d", locked, err, p.ID)
	}
	_, err = d.ExecContext(ctx, `SELECT 1 FROM positions WHERE id = $1 FOR UPDATE NOWAIT`, p.ID)
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code != "55P03" {
		t.Errorf("locking the row from another connection: got %v, want lock_not_available (55P03)", err)
	}
	_, err = tx.PositionForUpdate(ctx, 999999)
	wantNoRows(t, "PositionForUpdate of a missing id", err)
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback: got %v, want nil", err)
	}
	if _, err = d.ExecContext(ctx, `SELECT 1 FROM positions WHERE id = $1 FOR UPDATE NOWAIT`, p.ID); err != nil {
		t.Errorf("locking the row after rollback: got %v, want nil", err)
	}
}

func TestPositionConstraints(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	mustYear(t, s, "2025-2026")
	u := mustUnit(t, s, "研究生院")
	start := time.Date(2025, 9, 1, 8, 0, 0, 0, zone)

	t.Run("nonexistent unit", func(t *testing.T) {
		_, err := s.InsertPosition(ctx, positionFixture(999999, "2025-2026", start))
		var ce *service.ConstraintError
		if !errors.As(err, &ce) {
			t.Fatalf("got %v, want *service.ConstraintError", err)
		}
		if want := (service.ConstraintError{Constraint: "positions_unit_id_fkey"}); *ce != want {
			t.Errorf("got %+v, want %+v", *ce, want)
		}
	})
	t.Run("nonexistent year", func(t *testing.T) {
		_, err := s.InsertPosition(ctx, positionFixture(u.ID, "2030-2031", start))
		var ce *service.ConstraintError
		if !errors.As(err, &ce) {
			t.Fatalf("got %v, want *service.ConstraintError", err)
		}
		if want := (service.ConstraintError{Constraint: "positions_academic_year_fkey"}); *ce != want {
			t.Errorf("got %+v, want %+v", *ce, want)
		}
	})

	tests := []struct {
		name string
		edit func(*service.Position)
	}{
		{"applyEnd after workStart", func(p *service.Position) { p.ApplyEnd = p.WorkStart.Add(time.Hour) }},
		{"applyStart equals applyEnd", func(p *service.Position) { p.ApplyEnd = p.ApplyStart }},
		{"workEnd before workStart", func(p *service.Position) { p.WorkEnd = p.WorkStart.Add(-time.Hour) }},
		{"negative pay", func(p *service.Position) { p.Pay = -1 }},
		{"headcount 0", func(p *service.Position) { p.Headcount = 0 }},
		{"weekly hours 169", func(p *service.Position) { p.WeeklyHours = 169 }},
		{"blank title", func(p *service.Position) { p.Title = "  " }},
		{"unknown nature", func(p *service.Position) { p.Nature = "PART_TIME" }},
		{"unknown duty category", func(p *service.Position) { p.DutyCategory = "COOKING" }},
		{"unknown status", func(p *service.Position) { p.Status = "ARCHIVED" }},
	}
	for _, tt := range tests {
		p := positionFixture(u.ID, "2025-2026", start)
		tt.edit(&p)
		_, err := s.InsertPosition(ctx, p)
		wantCheckViolation(t, "insert: "+tt.name, err)
	}

	// The same checks guard updates.
	saved := mustPosition(t, s, positionFixture(u.ID, "2025-2026", start))
	for _, tt := range tests[:4] {
		p := saved
		tt.edit(&p)
		_, err := s.UpdatePosition(ctx, p)
		wantCheckViolation(t, "update: "+tt.name, err)
	}
	got, err := s.PositionsByID(ctx, []int64{saved.ID})
	if err != nil || len(got) != 1 || !samePosition(got[0], saved) {
		t.Errorf("position after refused updates: got %+v, %v, want it unchanged", got, err)
	}
	n, err := s.CountPositions(ctx, service.PositionQuery{})
	if err != nil || n != 1 {
		t.Errorf("CountPositions after refused inserts: got %d, %v, want 1, nil", n, err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestListPositions(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	mustYear(t, s, "2025-2026")
	mustYear(t, s, "2026-2027")
	u1 := mustUnit(t, s, "研究生院")
	u2 := mustUnit(t, s, "图书馆")
	now := time.Date(2025, 10, 15, 10, 0, 0, 0, zone)
	dayDur := 24 * time.Hour

	type spec struct {
		key                  string
		unit                 int64
		year                 string
		nature               service.Nature
		duty                 service.DutyCategory
		status               service.PositionStatus
		title, desc          string
		applyStart, applyEnd time.Time
	}
	specs := []spec{
		{"draft", u1.ID, "2025-2026", service.NatureLongTerm, service.DutyDataAnalysis, service.PositionDraft,
			"Data clerk", "Excel 表格", now.Add(-dayDur), now.Add(dayDur)},
		{"open", u1.ID, "2025-2026", service.NatureTemporary, service.DutyPosterDesign, service.PositionPublished,
			"Poster 100% design", "", now.Add(-dayDur), now.Add(dayDur)},
		{"past", u2.ID, "2025-2026", service.NatureLongTerm, service.DutyWriting, service.PositionPublished,
			"Writer_assistant", "新闻稿", now.Add(-10 * dayDur), now.Add(-5 * dayDur)},
		{"closed", u2.ID, "2026-2027", service.NatureTemporary, service.DutyPhotoVideo, service.PositionClosed,
			"摄影助理", "拍摄 DATA 可视化", now.Add(-dayDur), now.Add(dayDur)},
		{"future", u1.ID, "2026-2027", service.NatureLongTerm, service.DutyOther, service.PositionPublished,
			"Other 1000 hours", "misc", now.Add(5 * dayDur), now.Add(10 * dayDur)},
	}
	id := map[string]int64{}
	for _, sp := range specs {
		p := positionFixture(sp.unit, sp.year, sp.applyStart)
		p.ApplyEnd, p.WorkStart, p.WorkEnd = sp.applyEnd, sp.applyEnd.Add(dayDur), sp.applyEnd.Add(60*dayDur)
		p.Nature, p.DutyCategory, p.Title, p.Description = sp.nature, sp.duty, sp.title, sp.desc
		saved := mustPosition(t, s, p)
		id[sp.key] = saved.ID
		if sp.status != service.PositionDraft {
			if _, err := s.SetPositionStatus(ctx, saved.ID, service.PositionDraft, service.PositionPublished, saved.CreatedAt, &saved.CreatedAt); err != nil {
				t.Fatal(err)
			}
		}
		if sp.status == service.PositionClosed {
			if _, err := s.SetPositionStatus(ctx, saved.ID, service.PositionPublished, service.PositionClosed, saved.CreatedAt, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	ids := func(keys ...string) []int64 {
		out := []int64{}
		for _, k := range keys {
			out = append(out, id[k])
		}
		return out
	}
	f := func(pf service.PositionFilter) service.PositionQuery {
		return service.PositionQuery{PositionFilter: pf, Now: now}
	}

	tests := []struct {
		name string
		q    service.PositionQuery
		want []int64 // newest first
	}{
		{"no filter", f(service.PositionFilter{}), ids("future", "closed", "past", "open", "draft")},
		{"nature", f(service.PositionFilter{Nature: ptr(service.NatureLongTerm)}), ids("future", "past", "draft")},
		{"duty category", f(service.PositionFilter{DutyCategory: ptr(service.DutyWriting)}), ids("past")},
		{"unit", f(service.PositionFilter{UnitID: &u1.ID}), ids("future", "open", "draft")},
		{"academic year", f(service.PositionFilter{AcademicYear: ptr("2026-2027")}), ids("future", "closed")},
		{"unknown academic year", f(service.PositionFilter{AcademicYear: ptr("2000-2001")}), ids()},
		{"status", f(service.PositionFilter{Status: ptr(service.PositionPublished)}), ids("future", "past", "open")},
		{"status draft", f(service.PositionFilter{Status: ptr(service.PositionDraft)}), ids("draft")},
		{"keyword in title or description, any case", f(service.PositionFilter{Keyword: ptr("data")}), ids("closed", "draft")},
		{"keyword upper case", f(service.PositionFilter{Keyword: ptr("DATA")}), ids("closed", "draft")},
		{"keyword in Chinese", f(service.PositionFilter{Keyword: ptr("摄影")}), ids("closed")},
		{"keyword with % is literal", f(service.PositionFilter{Keyword: ptr("100%")}), ids("open")},
		{"keyword with _ is literal", f(service.PositionFilter{Keyword: ptr("_")}), ids("past")},
		{"keyword with backslash", f(service.PositionFilter{Keyword: ptr(`\`)}), ids()},
		{"empty keyword matches all", f(service.PositionFilter{Keyword: ptr("")}), ids("future", "closed", "past", "open", "draft")},
		{"open now", f(service.PositionFilter{OpenNow: ptr(true)}), ids("open")},
		{"not open now", f(service.PositionFilter{OpenNow: ptr(false)}), ids("future", "closed", "past", "draft")},
		{"open at the window's start", service.PositionQuery{PositionFilter: service.PositionFilter{OpenNow: ptr(true)}, Now: now.Add(5 * dayDur)},
			ids("future")},
		{"closed at the window's end", service.PositionQuery{PositionFilter: service.PositionFilter{OpenNow: ptr(true)}, Now: now.Add(dayDur)},
			ids()},
		{"combined filters", f(service.PositionFilter{Nature: ptr(service.NatureLongTerm), AcademicYear: ptr("2025-2026"),
			Status: ptr(service.PositionPublished)}), ids("past")},
		{"students see published only", service.PositionQuery{Statuses: service.ListedToStudents, Now: now}, ids("future", "past", "open")},
		{"published and status draft", service.PositionQuery{Statuses: service.ListedToStudents, PositionFilter: service.PositionFilter{Status: ptr(service.PositionDraft)}, Now: now}, ids()},
		{"only unit", service.PositionQuery{OnlyUnit: u2.ID, Now: now}, ids("closed", "past")},
		{"only unit cannot be widened by the unit filter", service.PositionQuery{OnlyUnit: u2.ID, PositionFilter: service.PositionFilter{UnitID: &u1.ID}, Now: now}, ids()},
		{"first page", service.PositionQuery{Limit: 2, Now: now}, ids("future", "closed")},
		{"second page", service.PositionQuery{AfterID: id["closed"], Limit: 2, Now: now}, ids("past", "open")},
		{"last page", service.PositionQuery{AfterID: id["open"], Limit: 2, Now: now}, ids("draft")},
		{"after the last", service.PositionQuery{AfterID: id["draft"], Limit: 2, Now: now}, ids()},
		{"paging with a filter", service.PositionQuery{PositionFilter: service.PositionFilter{UnitID: &u1.ID}, AfterID: id["future"], Limit: 1, Now: now}, ids("open")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.ListPositions(ctx, tt.q)
			if err != nil {
				t.Fatalf("ListPositions: got %v, want nil", err)
			}
			got := []int64{}
			for _, r := range rows {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ListPositions: got ids %v, want %v", got, tt.want)
			}
			if tt.q.Limit > 0 {
				return // a count covers every page
			}
			n, err := s.CountPositions(ctx, tt.q)
			if err != nil || n != len(tt.want) {
				t.Errorf("CountPositions: got %d, %v, want %d, nil", n, err, len(tt.want))
			}
		})
	}

	// Walking every page of one position at a time visits each exactly once, newest first.
	var walked []int64
	var after int64
	for range 10 {
		rows, err := s.ListPositions(ctx, service.PositionQuery{AfterID: after, Limit: 1, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			break
		}
		walked = append(walked, rows[0].ID)
		after = rows[0].ID
	}
	if want := ids("future", "closed", "past", "open", "draft"); !slices.Equal(walked, want) {
		t.Errorf("keyset walk: got %v, want %v", walked, want)
	}
}

func TestTransactions(t *testing.T) {
	ctx := ctxT(t)
	s, _ := newStore(t)
	names := func() []string {
		t.Helper()
		us, err := s.Units(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Name)
		}
		return out
	}

	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatalf("Begin: got %v, want nil", err)
	}
	if _, err := tx.CreateUnit(ctx, "rolled back"); err != nil {
		t.Fatalf("CreateUnit in tx: got %v, want nil", err)
	}
	inside, err := tx.Units(ctx)
	if err != nil || len(inside) != 1 {
		t.Errorf("Units inside the tx: got %v, %v, want its own write", inside, err)
	}
	if got := names(); len(got) != 0 {
		t.Errorf("Units outside an uncommitted tx: got %q, want none", got)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatalf("Rollback: got %v, want nil", err)
	}
	if got := names(); len(got) != 0 {
		t.Errorf("Units after Rollback: got %q, want none", got)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("second Rollback: got %v, want nil", err)
	}

	tx, err = s.Begin(ctx)
	if err != nil {
		t.Fatalf("Begin: got %v, want nil", err)
	}
	if _, err := tx.CreateUnit(ctx, "committed"); err != nil {
		t.Fatalf("CreateUnit in tx: got %v, want nil", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: got %v, want nil", err)
	}
	if got := names(); !slices.Equal(got, []string{"committed"}) {
		t.Errorf("Units after Commit: got %q, want [committed]", got)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("Rollback after Commit: got %v, want nil", err)
	}
	if got := names(); !slices.Equal(got, []string{"committed"}) {
		t.Errorf("Units after Rollback after Commit: got %q, want [committed]", got)
	}
	if err := tx.Commit(); err == nil {
		t.Errorf("second Commit: got nil, want an error")
	}

	// A failed statement aborts the transaction; Rollback still succeeds and nothing is kept.
	tx, err = s.Begin(ctx)
	if err != nil {
		t.Fatalf("Begin: got %v, want nil", err)
	}
	if _, err := tx.CreateUnit(ctx, "kept?"); err != nil {
		t.Fatal(err)
	}
	_, err = tx.CreateUnit(ctx, "committed")
	var ce *service.ConstraintError
	if !errors.As(err, &ce) || !ce.Unique {
		t.Errorf("duplicate inside tx: got %v, want a unique *service.ConstraintError", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("Rollback after a failed statement: got %v, want nil", err)
	}
	if got := names(); !slices.Equal(got, []string{"committed"}) {
		t.Errorf("Units after an aborted tx: got %q, want [committed]", got)
	}

	// Begin with a cancelled context fails.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if tx, err := s.Begin(cctx); err == nil {
		tx.Rollback()
		t.Errorf("Begin with a cancelled context: got nil, want an error")
	}
}

func TestReady(t *testing.T) {
	ctx := ctxT(t)
	d := dbtest.Open(t, db.Config{MaxConns: 4})
	if err := db.Ready(ctx, d); err != nil {
		t.Errorf("Ready on a migrated database: got %v, want nil", err)
	}
	applied, err := db.Migrate(ctx, d)
	if err != nil || len(applied) != 0 {
		t.Errorf("Migrate again: got %v, %v, want nothing applied, nil", applied, err)
	}
	if _, err := d.ExecContext(ctx, `DELETE FROM goose_db_version WHERE version_id > 0`); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(ctx, d); err == nil || !strings.Contains(err.Error(), "pending") {
		t.Errorf("Ready with the versions forgotten: got %v, want migrations pending", err)
	}
}

func TestReadyOnEmptyDatabase(t *testing.T) {
	ctx := ctxT(t)
	d := emptyDatabase(t)
	if err := db.Ready(ctx, d); err == nil {
		t.Errorf("Ready on an empty database: got nil, want an error")
	}
	applied, err := db.Migrate(ctx, d)
	if err != nil || len(applied) == 0 {
		t.Fatalf("Migrate on an empty database: got %v, %v, want versions applied", applied, err)
	}
	if err := db.Ready(ctx, d); err != nil {
		t.Errorf("Ready after Migrate: got %v, want nil", err)
	}
}

func TestReadyOnClosedPool(t *testing.T) {
	d := dbtest.Open(t, db.Config{MaxConns: 2})
	d.Close()
	if err := db.Ready(ctxT(t), d); err == nil {
		t.Errorf("Ready on a closed pool: got nil, want an error")
	}
}

// emptyDatabase creates an unmigrated database through the admin URL and drops it after the test.
func emptyDatabase(t *testing.T) *sqlx.DB {
	t.Helper()
	d, err := db.Open(ctxT(t), dbtest.Empty(t), db.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestOpenSessionSettings: every session runs in the school's zone with the configured timeout.
func TestOpenSessionSettings(t *testing.T) {
	ctx := ctxT(t)
	d, err := db.Open(ctx, dbtest.New(t), db.Config{MaxConns: 2, StatementTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open: got %v, want nil", err)
	}
	defer d.Close()
	var tz, timeout string
	if err := d.GetContext(ctx, &tz, `SHOW TimeZone`); err != nil || tz != "Asia/Shanghai" {
		t.Errorf("TimeZone: got %q, %v, want Asia/Shanghai", tz, err)
	}
	if err := d.GetContext(ctx, &timeout, `SHOW statement_timeout`); err != nil || timeout != "200ms" {
		t.Errorf("statement_timeout: got %q, %v, want 200ms", timeout, err)
	}
	_, err = d.ExecContext(ctx, `SELECT pg_sleep(2)`)
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code != "57014" {
		t.Errorf("a statement longer than the timeout: got %v, want query_canceled (57014)", err)
	}
}

// TestValidationCoversConstraints: input the service's validation accepts must not be refused by
// a CHECK constraint (the caller would get INTERNAL instead of a VALIDATION error naming the field),
// and what the columns cannot hold must be refused by validation.
func TestValidationCoversConstraints(t *testing.T) {
	ctx := auth.WithPrincipal(ctxT(t), &auth.Principal{Subject: "admin", Role: auth.RoleAdmin})
	s, _ := newStore(t)
	svc := service.New(s)

	wantValidation := func(t *testing.T, err error, field string) {
		t.Helper()
		var ue service.UserErrors
		if !errors.As(err, &ue) || len(ue) != 1 || strings.Join(ue[0].Field, ".") != field || ue[0].Code != service.UserErrValidation {
			t.Errorf("got %v, want one VALIDATION user error on %s", err, field)
		}
	}
	t.Run("student phone of 20 characters is stored", func(t *testing.T) {
		st := studentFixture("20160930")
		st.Phone = "+" + strings.Repeat("8", 19)
		if _, err := svc.ImportStudents(ctx, []service.Student{st}); err != nil {
			t.Errorf("ImportStudents with phone %q: got %v, want nil", st.Phone, err)
		}
	})
	t.Run("student phone of 21 characters is a validation error", func(t *testing.T) {
		st := studentFixture("20160931")
		st.Phone = "+" + strings.Repeat("8", 20) // students.phone CHECK allows 7..20 characters
		_, err := svc.ImportStudents(ctx, []service.Student{st})
		wantValidation(t, err, "input.0.phone")
	})
	t.Run("monthly cap with two decimals is stored exactly", func(t *testing.T) {
		y := yearFixture("2025-2026")
		y.MaxMonthlyHours, y.NominationMinHours = 0.04, 12.25 // numeric(5,1) would round 0.04 to 0.0 and break max_monthly_hours > 0
		got, err := svc.UpsertAcademicYear(ctx, y)
		if err != nil || got.MaxMonthlyHours != 0.04 || got.NominationMinHours != 12.25 {
			t.Fatalf("UpsertAcademicYear: got %+v, %v, want maxMonthlyHours 0.04 and nominationMinHours 12.25 stored", got, err)
		}
	})
	t.Run("monthly cap with three decimals is a validation error", func(t *testing.T) {
		y := yearFixture("2026-2027")
		y.MaxMonthlyHours = 0.004
		_, err := svc.UpsertAcademicYear(ctx, y)
		wantValidation(t, err, "input.maxMonthlyHours")
	})
}

// profileOf reads one profile through the batched Profiles, service.ErrNoRows when there is none.
func profileOf(ctx context.Context, s *db.Store, studentNo, year string) (service.Profile, error) {
	ps, err := s.Profiles(ctx, []service.ProfileKey{{StudentNo: studentNo, AcademicYear: year}})
	if err != nil {
		return service.Profile{}, err
	}
	if len(ps) == 0 {
		return service.Profile{}, service.ErrNoRows
	}
	return ps[0], nil
}
