package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// End-to-end tests of students' profiles (个人信息): saveProfile's rules, replacing a profile, and
// myProfile.

const (
	// saveProfileMutation saves the caller's profile $in, returning every field.
	saveProfileMutation = `mutation($in: ProfileInput!) { saveProfile(input: $in) {
		profile { academicYear specialties natures weeklyHours freeTime { weekday start end } phone email updatedAt student { studentNo } }
		userErrors { code field message } } }`
	// myProfileQuery reads the caller's profile of year $y.
	myProfileQuery = `query($y: String!) { myProfile(academicYear: $y) {
		academicYear specialties natures weeklyHours freeTime { weekday start end } phone email updatedAt student { studentNo } } }`
)

// freeTimeSlot is a FreeTimeSlot as the API returns it.
type freeTimeSlot struct {
	Weekday string
	Start   string
	End     string
}

// profileNode is a Profile as the API returns it.
type profileNode struct {
	AcademicYear string
	Specialties  string
	Natures      []string
	WeeklyHours  int
	FreeTime     []freeTimeSlot
	Phone        string
	Email        string
	UpdatedAt    string
	Student      struct{ StudentNo string }
}

// saveProfilePayload is the data of saveProfileMutation.
type saveProfilePayload struct {
	SaveProfile struct {
		Profile    *profileNode
		UserErrors []UserError
	}
}

// profileSampleInput is ProfileInput(TestYear) as these tests know it: specialties 数据分析、摄影,
// long-term work only, 10 hours a week, free on Monday 08:00-10:00.
func profileSampleInput() map[string]any {
	return With(ProfileInput(TestYear), "specialties", "数据分析、摄影", "natures", []any{"LONG_TERM"}, "weeklyHours", 10,
		"freeTime", freeTimeSlotList(freeTimeSlotInput("MONDAY", "08:00", "10:00")))
}

// freeTimeSlotInput is a FreeTimeSlotInput.
func freeTimeSlotInput(day, start, end string) map[string]any {
	return map[string]any{"weekday": day, "start": start, "end": end}
}

// freeTimeSlotList is a ProfileInput's freeTime of the given slots.
func freeTimeSlotList(slots ...map[string]any) []any {
	out := make([]any, len(slots))
	for i, s := range slots {
		out[i] = s
	}
	return out
}

func TestAccountsProfileSave(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160001", "20160002")
	tok := s.Student(t, "20160001")

	t.Run("happy path round-trips", func(t *testing.T) {
		in := With(profileSampleInput(), "natures", []any{"TEMPORARY", "LONG_TERM"}, "freeTime", freeTimeSlotList(
			freeTimeSlotInput("WEDNESDAY", "14:00", "16:00"), freeTimeSlotInput("MONDAY", "10:00", "12:00"), freeTimeSlotInput("MONDAY", "08:00", "09:30")))
		var out saveProfilePayload
		s.Do(t, tok, saveProfileMutation, map[string]any{"in": in}, English...).Decode(t, &out)
		CheckUserErrorsAnyOrder(t, out.SaveProfile.UserErrors)
		if out.SaveProfile.Profile == nil {
			t.Fatal("profile: got null, want the saved profile")
		}
		wantSlots := []freeTimeSlot{{"MONDAY", "08:00", "09:30"}, {"MONDAY", "10:00", "12:00"}, {"WEDNESDAY", "14:00", "16:00"}}
		check := func(where string, p *profileNode) {
			t.Helper()
			if p == nil {
				t.Fatalf("%s: got null", where)
			}
			if p.AcademicYear != TestYear || p.Specialties != "数据分析、摄影" || p.WeeklyHours != 10 || p.Student.StudentNo != "20160001" {
				t.Errorf("%s: got %+v, want year %s, specialties 数据分析、摄影, 10 hours, student 20160001", where, *p, TestYear)
			}
			n := append([]string{}, p.Natures...)
			sort.Strings(n)
			if strings.Join(n, ",") != "LONG_TERM,TEMPORARY" {
				t.Errorf("%s natures: got %v, want LONG_TERM and TEMPORARY", where, p.Natures)
			}
			if len(p.FreeTime) != len(wantSlots) {
				t.Fatalf("%s freeTime: got %+v, want %+v", where, p.FreeTime, wantSlots)
			}
			for i := range wantSlots {
				if p.FreeTime[i] != wantSlots[i] {
					t.Errorf("%s freeTime[%d]: got %+v, want %+v", where, i, p.FreeTime[i], wantSlots[i])
				}
			}
			if p.Phone != "13800000000" || p.Email != "20160001@bjmu.edu.cn" {
				t.Errorf("%s contact: got %s %s, want the enrollment record's 13800000000 20160001@bjmu.edu.cn", where, p.Phone, p.Email)
			}
			if _, err := time.Parse(time.RFC3339, p.UpdatedAt); err != nil {
				t.Errorf("%s updatedAt: got %q, want RFC 3339", where, p.UpdatedAt)
			}
		}
		check("saveProfile", out.SaveProfile.Profile)
		var q struct{ MyProfile *profileNode }
		s.Do(t, tok, myProfileQuery, map[string]any{"y": TestYear}).Decode(t, &q)
		check("myProfile", q.MyProfile)
		if got := s.Count(t, "SELECT count(*) FROM free_time_slots"); got != 3 {
			t.Errorf("slot rows: got %d, want 3", got)
		}
	})

	t.Run("saving again replaces", func(t *testing.T) {
		in := With(profileSampleInput(), "specialties", "写作", "natures", []any{"TEMPORARY"}, "weeklyHours", 20,
			"freeTime", freeTimeSlotList(freeTimeSlotInput("FRIDAY", "19:00", "21:00")), "phone", "010-12345678", "email", "me@example.com")
		var out saveProfilePayload
		s.Do(t, tok, saveProfileMutation, map[string]any{"in": in}, English...).Decode(t, &out)
		CheckUserErrorsAnyOrder(t, out.SaveProfile.UserErrors)
		var q struct{ MyProfile *profileNode }
		s.Do(t, tok, myProfileQuery, map[string]any{"y": TestYear}).Decode(t, &q)
		p := q.MyProfile
		if p == nil || p.Specialties != "写作" || strings.Join(p.Natures, ",") != "TEMPORARY" || p.WeeklyHours != 20 ||
			len(p.FreeTime) != 1 || p.FreeTime[0] != (freeTimeSlot{"FRIDAY", "19:00", "21:00"}) ||
			p.Phone != "010-12345678" || p.Email != "me@example.com" {
			t.Errorf("replaced profile: got %+v, want 写作/TEMPORARY/20/FRIDAY 19:00-21:00/010-12345678/me@example.com", p)
		}
		if got := s.Count(t, "SELECT count(*) FROM profiles"); got != 1 {
			t.Errorf("profile rows: got %d, want 1", got)
		}
		if got := s.Count(t, "SELECT count(*) FROM free_time_slots"); got != 1 {
			t.Errorf("slot rows: got %d, want 1", got)
		}
	})

	t.Run("myProfile without a profile is null", func(t *testing.T) {
		s.UpsertYear(t, YearInputOf("2027-2028"))
		for _, c := range []struct{ tok, year string }{
			{tok, "2027-2028"}, {tok, "2030-2031"}, {tok, "garbage"}, {s.Student(t, "20160002"), TestYear},
		} {
			var q struct{ MyProfile *profileNode }
			s.Do(t, c.tok, myProfileQuery, map[string]any{"y": c.year}).Decode(t, &q)
			if q.MyProfile != nil {
				t.Errorf("myProfile(%s): got %+v, want null", c.year, *q.MyProfile)
			}
		}
	})

	t.Run("a student without an enrollment record is not eligible", func(t *testing.T) {
		var out saveProfilePayload
		s.Do(t, s.Student(t, "20169999"), saveProfileMutation, map[string]any{"in": profileSampleInput()}, English...).Decode(t, &out)
		CheckUserErrors(t, out.SaveProfile.UserErrors, WantErr{"NOT_ELIGIBLE", AnyField, []string{"20169999"}})
		if out.SaveProfile.Profile != nil {
			t.Errorf("profile: got %+v, want null", *out.SaveProfile.Profile)
		}
		if got := s.Count(t, "SELECT count(*) FROM profiles WHERE student_no = '20169999'"); got != 0 {
			t.Errorf("profile rows: got %d, want 0", got)
		}
	})
}

func TestAccountsProfileRules(t *testing.T) {
	s := NewServer(t)
	s.SeedYear(t)
	s.SeedStudents(t, "20160001", "20160002")
	tok := s.Student(t, "20160002")
	// 20160001 has a profile so that "nothing written" also covers replacing one
	s.SeedProfile(t, "20160001", profileSampleInput())
	base := profileSampleInput()
	rows := func() [2]int {
		return [2]int{s.Count(t, "SELECT count(*) FROM profiles"), s.Count(t, "SELECT count(*) FROM free_time_slots")}
	}
	before := rows()
	slot := func(start, end string) []any { return freeTimeSlotList(freeTimeSlotInput("MONDAY", start, end)) }

	cases := []struct {
		name string
		in   map[string]any
		want []WantErr
	}{
		{"specialties 1001 Chinese characters", With(base, "specialties", strings.Repeat("中", 1001)),
			[]WantErr{{"VALIDATION", "input.specialties", []string{"specialties", "1000", "1001"}}}},
		{"natures empty", With(base, "natures", []any{}), []WantErr{{"VALIDATION", "input.natures", []string{"natures"}}}},
		{"natures duplicated", With(base, "natures", []any{"LONG_TERM", "LONG_TERM"}), []WantErr{{"VALIDATION", "input.natures", []string{"natures"}}}},
		{"weeklyHours 0", With(base, "weeklyHours", 0), []WantErr{{"VALIDATION", "input.weeklyHours", []string{"weeklyHours", "0"}}}},
		{"weeklyHours -3", With(base, "weeklyHours", -3), []WantErr{{"VALIDATION", "input.weeklyHours", []string{"-3"}}}},
		{"weeklyHours 21 over the year cap", With(base, "weeklyHours", 21), []WantErr{{"VALIDATION", "input.weeklyHours", []string{"weeklyHours", "cap", "20", "21", TestYear}}}},
		{"start 8:00", With(base, "freeTime", slot("8:00", "10:00")), []WantErr{{"VALIDATION", "input.freeTime.0.start", []string{"8:00"}}}},
		{"start 24:00", With(base, "freeTime", slot("24:00", "23:00")), []WantErr{{"VALIDATION", "input.freeTime.0.start", []string{"24:00"}}}},
		{"start 12:60", With(base, "freeTime", slot("12:60", "13:30")), []WantErr{{"VALIDATION", "input.freeTime.0.start", []string{"12:60"}}}},
		{"end 25:00", With(base, "freeTime", slot("12:00", "25:00")), []WantErr{{"VALIDATION", "input.freeTime.0.end", []string{"25:00"}}}},
		{"start == end", With(base, "freeTime", slot("10:00", "10:00")), []WantErr{{"VALIDATION", "input.freeTime.0.end", []string{"10:00"}}}},
		{"start > end", With(base, "freeTime", slot("11:00", "10:00")), []WantErr{{"VALIDATION", "input.freeTime.0.end", []string{"11:00", "10:00"}}}},
		{"overlap on the same weekday", With(base, "freeTime", freeTimeSlotList(freeTimeSlotInput("MONDAY", "08:00", "11:00"), freeTimeSlotInput("MONDAY", "10:00", "12:00"))),
			[]WantErr{{"VALIDATION", "input.freeTime.1.start", []string{"10:00", "08:00"}}}},
		{"overlap, later slot listed first", With(base, "freeTime", freeTimeSlotList(freeTimeSlotInput("TUESDAY", "10:00", "12:00"), freeTimeSlotInput("TUESDAY", "08:00", "11:00"))),
			[]WantErr{{"VALIDATION", "input.freeTime.0.start", nil}}},
		{"one slot inside another", With(base, "freeTime", freeTimeSlotList(freeTimeSlotInput("MONDAY", "08:00", "18:00"), freeTimeSlotInput("MONDAY", "12:00", "13:00"))),
			[]WantErr{{"VALIDATION", "input.freeTime.1.start", nil}}},
		{"third overlaps the first, not the second", With(base, "freeTime", freeTimeSlotList(
			freeTimeSlotInput("MONDAY", "08:00", "12:00"), freeTimeSlotInput("MONDAY", "09:00", "10:00"), freeTimeSlotInput("MONDAY", "10:30", "11:30"))),
			[]WantErr{{"VALIDATION", "input.freeTime.1.start", nil}, {"VALIDATION", "input.freeTime.2.start", nil}}},
		{"unknown year", With(base, "academicYear", "2030-2031"), []WantErr{{"VALIDATION", "input.academicYear", []string{"academic year", "2030-2031"}}}},
		{"malformed year", With(base, "academicYear", "2026"), []WantErr{{"VALIDATION", "input.academicYear", []string{"2026"}}}},
		{"bad phone", With(base, "phone", "call-me"), []WantErr{{"VALIDATION", "input.phone", nil}}},
		{"bad email", With(base, "email", "nobody"), []WantErr{{"VALIDATION", "input.email", nil}}},
		{"several bad fields at once", With(base, "specialties", strings.Repeat("中", 1001), "natures", []any{},
			"weeklyHours", 0, "freeTime", freeTimeSlotList(freeTimeSlotInput("MONDAY", "8:00", "10:00"), freeTimeSlotInput("FRIDAY", "12:00", "11:00"))),
			[]WantErr{
				{"VALIDATION", "input.specialties", nil}, {"VALIDATION", "input.natures", nil}, {"VALIDATION", "input.weeklyHours", nil},
				{"VALIDATION", "input.freeTime.0.start", nil}, {"VALIDATION", "input.freeTime.1.end", nil},
			}},
		{"over the cap and an overlap at once", With(base, "weeklyHours", 30, "freeTime", freeTimeSlotList(
			freeTimeSlotInput("MONDAY", "08:00", "11:00"), freeTimeSlotInput("MONDAY", "10:00", "12:00"))),
			[]WantErr{{"VALIDATION", "input.weeklyHours", []string{"20"}}, {"VALIDATION", "input.freeTime.1.start", nil}}},
	}
	for _, who := range []struct{ name, tok string }{{"new profile", tok}, {"replacing a profile", s.Student(t, "20160001")}} {
		for _, c := range cases {
			t.Run(who.name+"/"+c.name, func(t *testing.T) {
				var out saveProfilePayload
				s.Do(t, who.tok, saveProfileMutation, map[string]any{"in": c.in}, English...).Decode(t, &out)
				CheckUserErrorsAnyOrder(t, out.SaveProfile.UserErrors, c.want...)
				NoChinese(t, out.SaveProfile.UserErrors)
				if out.SaveProfile.Profile != nil {
					t.Errorf("profile: got %+v, want null", *out.SaveProfile.Profile)
				}
				if after := rows(); after != before {
					t.Errorf("rows (profiles, slots): got %v, want %v", after, before)
				}
			})
		}
	}
	var q struct{ MyProfile *profileNode }
	s.Do(t, s.Student(t, "20160001"), myProfileQuery, map[string]any{"y": TestYear}).Decode(t, &q)
	if q.MyProfile == nil || q.MyProfile.WeeklyHours != 10 || len(q.MyProfile.FreeTime) != 1 {
		t.Errorf("profile after refused saves: got %+v, want the first one (10 hours, 1 slot)", q.MyProfile)
	}

	t.Run("chinese messages by default", func(t *testing.T) {
		r := s.Do(t, tok, saveProfileMutation, map[string]any{"in": With(base, "specialties", strings.Repeat("中", 1001))})
		CheckUserErrorsAnyOrder(t, r.UserErrors(t, "saveProfile"), WantErr{"VALIDATION", "input.specialties", []string{"特长", "1001"}})
	})

	passing := []struct {
		name  string
		in    map[string]any
		check func(p *profileNode) string // returns a complaint or ""
	}{
		{"specialties exactly 1000 Chinese characters", With(base, "specialties", strings.Repeat("中", 1000)), func(p *profileNode) string {
			if n := len([]rune(p.Specialties)); n != 1000 {
				return fmt.Sprintf("specialties length: got %d characters, want 1000", n)
			}
			return ""
		}},
		{"specialties empty", With(base, "specialties", ""), nil},
		{"touching slots", With(base, "freeTime", freeTimeSlotList(freeTimeSlotInput("MONDAY", "08:00", "11:00"), freeTimeSlotInput("MONDAY", "11:00", "12:00"))), nil},
		{"same times on different weekdays", With(base, "freeTime", freeTimeSlotList(freeTimeSlotInput("MONDAY", "08:00", "11:00"), freeTimeSlotInput("TUESDAY", "08:00", "11:00"))), nil},
		{"no slots", With(base, "freeTime", []any{}), nil},
		{"whole day", With(base, "freeTime", slot("00:00", "23:59")), nil},
		{"weeklyHours at the cap", With(base, "weeklyHours", 20), nil},
		{"weeklyHours 1", With(base, "weeklyHours", 1), nil},
		{"both natures", With(base, "natures", []any{"LONG_TERM", "TEMPORARY"}), nil},
	}
	for _, c := range passing {
		t.Run("passes/"+c.name, func(t *testing.T) {
			var out saveProfilePayload
			s.Do(t, tok, saveProfileMutation, map[string]any{"in": c.in}, English...).Decode(t, &out)
			CheckUserErrorsAnyOrder(t, out.SaveProfile.UserErrors)
			if out.SaveProfile.Profile == nil {
				t.Fatal("profile: got null, want the saved profile")
			}
			if c.check != nil {
				if msg := c.check(out.SaveProfile.Profile); msg != "" {
					t.Error(msg)
				}
			}
			if got := s.Count(t, "SELECT count(*) FROM profiles WHERE student_no = '20160002'"); got != 1 {
				t.Errorf("profile rows of 20160002: got %d, want 1", got)
			}
		})
	}
}
