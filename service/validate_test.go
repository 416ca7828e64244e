package service

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
)

// paths returns the dotted field paths of errs, sorted, so tables can compare sets.
func paths(errs []UserError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = strings.Join(e.Field, ".")
	}
	sort.Strings(out)
	return out
}

func TestCheckSlots(t *testing.T) {
	tests := []struct {
		name  string
		slots []Slot
		want  []string // dotted field paths of the errors, sorted
	}{
		{"none", nil, []string{}},
		{"one slot", []Slot{{Monday, "08:00", "10:00"}}, []string{}},
		{"touching slots pass", []Slot{{Monday, "08:00", "11:00"}, {Monday, "11:00", "12:00"}}, []string{}},
		{"touching slots pass in any order", []Slot{{Monday, "11:00", "12:00"}, {Monday, "08:00", "11:00"}}, []string{}},
		{"overlap reported on the later slot", []Slot{{Monday, "08:00", "10:00"}, {Monday, "09:00", "11:00"}},
			[]string{"input.freeTime.1.start"}},
		{"later slot given first is still the one reported", []Slot{{Monday, "09:00", "11:00"}, {Monday, "08:00", "10:00"}},
			[]string{"input.freeTime.0.start"}},
		{"identical slots: the second is reported", []Slot{{Friday, "08:00", "10:00"}, {Friday, "08:00", "10:00"}},
			[]string{"input.freeTime.1.start"}},
		{"a long slot overlaps every slot inside it", []Slot{
			{Monday, "08:00", "12:00"}, {Monday, "09:00", "10:00"}, {Monday, "10:30", "11:30"},
		}, []string{"input.freeTime.1.start", "input.freeTime.2.start"}},
		{"chain: each overlaps the one before", []Slot{
			{Monday, "08:00", "09:00"}, {Monday, "08:30", "10:00"}, {Monday, "09:30", "11:00"},
		}, []string{"input.freeTime.1.start", "input.freeTime.2.start"}},
		{"different weekdays never overlap", []Slot{
			{Monday, "08:00", "12:00"}, {Tuesday, "08:00", "12:00"}, {Sunday, "09:00", "10:00"},
		}, []string{}},
		{"start equal to end is reported on end", []Slot{{Monday, "10:00", "10:00"}}, []string{"input.freeTime.0.end"}},
		{"start after end is reported on end", []Slot{{Monday, "08:00", "09:00"}, {Monday, "11:00", "09:00"}},
			[]string{"input.freeTime.1.end"}},
		{"reversed slot takes no part in overlap", []Slot{{Monday, "08:00", "12:00"}, {Monday, "11:00", "10:00"}},
			[]string{"input.freeTime.1.end"}},
		{"malformed times are skipped", []Slot{
			{Monday, "8:00", "10:00"}, {Monday, "09:00", "24:00"}, {Monday, "25:00", "26:00"}, {Monday, "", ""},
		}, []string{}},
		{"malformed slot does not overlap a good one", []Slot{{Monday, "08:00", "12:00"}, {Monday, "9:00", "10:00"}},
			[]string{}},
		{"midnight to 23:59 is one slot", []Slot{{Sunday, "00:00", "23:59"}}, []string{}},
		{"both kinds at once", []Slot{
			{Wednesday, "13:00", "15:00"}, {Wednesday, "14:00", "16:00"}, {Thursday, "18:00", "17:00"},
		}, []string{"input.freeTime.1.start", "input.freeTime.2.end"}},
		{"indexes past nine", []Slot{
			{Saturday, "08:00", "09:00"}, {Monday, "08:00", "09:00"}, {Tuesday, "08:00", "09:00"}, {Wednesday, "08:00", "09:00"},
			{Thursday, "08:00", "09:00"}, {Friday, "08:00", "09:00"}, {Sunday, "08:00", "09:00"}, {Monday, "10:00", "11:00"},
			{Tuesday, "10:00", "11:00"}, {Wednesday, "10:00", "11:00"}, {Saturday, "08:30", "09:30"}, {Monday, "10:30", "12:00"},
		},
			[]string{"input.freeTime.10.start", "input.freeTime.11.start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := checkSlots(context.Background(), tt.slots)
			if got := paths(errs); !slices.Equal(got, tt.want) {
				t.Fatalf("got error fields %q, want %q", got, tt.want)
			}
			for _, e := range errs {
				if e.Code != UserErrValidation {
					t.Errorf("got code %s for %v, want %s", e.Code, e.Field, UserErrValidation)
				}
			}
		})
	}
}

func TestCheckSlotsMessages(t *testing.T) {
	overlap := []Slot{{Monday, "08:00", "12:00"}, {Monday, "09:00", "10:00"}}
	reversed := []Slot{{Tuesday, "11:00", "09:00"}}
	tests := []struct {
		name   string
		locale Locale
		slots  []Slot
		want   []string
	}{
		{"overlap en", English, overlap, []string{"MONDAY", "09:00-10:00", "08:00-12:00", "overlaps"}},
		{"overlap zh", Chinese, overlap, []string{"周一", "09:00-10:00", "08:00-12:00", "重叠"}},
		{"reversed en", English, reversed, []string{"start 11:00 must be before end 09:00"}},
		{"reversed zh", Chinese, reversed, []string{"开始时间 11:00 必须早于结束时间 09:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := checkSlots(WithLocale(context.Background(), tt.locale), tt.slots)
			if len(errs) != 1 {
				t.Fatalf("got %d errors %v, want 1", len(errs), errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs[0].Message, w) {
					t.Errorf("got message %q, want it to contain %q", errs[0].Message, w)
				}
			}
		})
	}
}

func TestFieldPath(t *testing.T) {
	tests := []struct {
		prefix []string
		ns     string
		want   []string
	}{
		{[]string{"input"}, "ProfileInput.freeTime[1].end", []string{"input", "freeTime", "1", "end"}},
		{[]string{"input"}, "ProfileInput.natures[0]", []string{"input", "natures", "0"}},
		{[]string{"input"}, "ProfileInput.natures", []string{"input", "natures"}},
		{[]string{"input"}, "CreateUnitInput.name", []string{"input", "name"}},
		{[]string{"input", "3"}, "Student.email", []string{"input", "3", "email"}},
		{[]string{"input"}, "ProfileInput.freeTime[12].start", []string{"input", "freeTime", "12", "start"}},
		{nil, "Student.studentNo", []string{"studentNo"}},
	}
	for _, tt := range tests {
		t.Run(tt.ns, func(t *testing.T) {
			if got := fieldPath(tt.prefix, tt.ns); !slices.Equal(got, tt.want) {
				t.Errorf("fieldPath(%q, %q): got %q, want %q", tt.prefix, tt.ns, got, tt.want)
			}
		})
	}
}

// TestFieldPathDoesNotShareThePrefix guards against append writing into the caller's prefix array.
func TestFieldPathDoesNotShareThePrefix(t *testing.T) {
	prefix := make([]string, 1, 8)
	prefix[0] = "input"
	a := fieldPath(prefix, "Student.name")
	b := fieldPath(prefix, "Student.email")
	if !slices.Equal(a, []string{"input", "name"}) {
		t.Errorf("got first path %q, want [input name]", a)
	}
	if !slices.Equal(b, []string{"input", "email"}) {
		t.Errorf("got second path %q, want [input email]", b)
	}
}

func TestValidYearName(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"2019-2020", true},
		{"2025-2026", true},
		{"1999-2000", true},
		{"0000-0001", false},
		{"0001-0002", true},
		{"9998-9999", true},
		{"2019-2021", false},
		{"2019-2019", false},
		{"2020-2019", false},
		{"2019", false},
		{"abcd-abce", false},
		{"20190-2020", false},
		{"2019-20200", false},
		{"2019/2020", false},
		{" 2019-2020", false},
		{"2019-2020 ", false},
		{"２０１９-２０２０", false}, // full-width digits
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidYearName(tt.in); got != tt.want {
			t.Errorf("ValidYearName(%q): got %v, want %v", tt.in, got, tt.want)
		}
	}
}

func strp(s string) *string { return &s }

func validProfileInput() ProfileInput {
	return ProfileInput{
		AcademicYear: "2025-2026", Specialties: "摄影、海报设计", Natures: []Nature{NatureLongTerm, NatureTemporary},
		WeeklyHours: 10, FreeTime: []Slot{{Monday, "08:00", "10:00"}, {Tuesday, "14:00", "17:30"}},
		Phone: strp("+86 138-0013-8000"), Email: strp("zhang.san@example.edu.cn"),
	}
}

func validPositionInput() PositionInput {
	return PositionInput{
		Title: "数据整理助理", Description: "整理科研数据", Nature: NatureLongTerm, DutyCategory: DutyDataAnalysis,
		Headcount: 2, Pay: 250000, WeeklyHours: 8, WorkTimeRequirement: strp("周一下午"), AcademicYear: "2025-2026",
	}
}

func validStudent() Student {
	return Student{
		StudentNo: "20160931", Name: "张三", Phone: "13800138000", Email: "zs@example.edu.cn",
		Degree: DegreeMaster, Department: "基础医学院", FullTime: true, Enrolled: true,
	}
}

func validYear() AcademicYear {
	return AcademicYear{Name: "2025-2026", NominationMinHours: 20, MaxWeeklyHours: 10, MaxMonthlyHours: 40}
}

// longEmail returns a syntactically valid address of n bytes (n >= 20).
func longEmail(n int) string {
	domain := "example.com"
	local := "a"
	host := ""
	for len(local)+1+len(host)+len(domain) < n {
		label := strings.Repeat("b", min(63, n-(len(local)+1+len(host)+len(domain))-1))
		if len(label) == 0 {
			break
		}
		host += label + "."
	}
	s := local + "@" + host + domain
	for len(s) < n { // pad the local part (at most 64 bytes) if the labels fell short
		local += "c"
		s = local + "@" + host + domain
	}
	return s
}

func TestCheckValidInputs(t *testing.T) {
	s := New(nil)
	tests := []struct {
		name string
		v    any
	}{
		{"profile", validProfileInput()},
		{"profile without phone and email", func() ProfileInput { p := validProfileInput(); p.Phone, p.Email = nil, nil; return p }()},
		{"profile with 1000 characters of specialties", func() ProfileInput {
			p := validProfileInput()
			p.Specialties = strings.Repeat("特", 1000)
			return p
		}()},
		{"profile with 50 slots", func() ProfileInput {
			p := validProfileInput()
			p.FreeTime = slices.Repeat([]Slot{{Monday, "08:00", "09:00"}}, 50)
			return p
		}()},
		{"position", validPositionInput()},
		{"position without work-time requirement", func() PositionInput { p := validPositionInput(); p.WorkTimeRequirement = nil; return p }()},
		{"position at the bounds", func() PositionInput {
			p := validPositionInput()
			p.Title, p.Description, p.Headcount, p.WeeklyHours, p.Pay = strings.Repeat("岗", 100), strings.Repeat("述", 5000), 1000, 168, 0
			p.WorkTimeRequirement = strp(strings.Repeat("时", 500))
			return p
		}()},
		{"student", validStudent()},
		{"student with 254-byte email", func() Student { s := validStudent(); s.Email = longEmail(254); return s }()},
		{"year", validYear()},
		{"year at the bounds", AcademicYear{Name: "2019-2020", NominationMinHours: 10000, MaxWeeklyHours: 168, MaxMonthlyHours: 744}},
		{"year with two decimals", AcademicYear{Name: "2019-2020", NominationMinHours: 12.25, MaxWeeklyHours: 10, MaxMonthlyHours: 0.01}},
		{"student with 20-character phone", func() Student { s := validStudent(); s.Phone = "+86 138 0013 8000 12"; return s }()},
		{"unit", CreateUnitInput{Name: "研究生院"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if errs := s.check(context.Background(), tt.v, "input"); len(errs) != 0 {
				t.Errorf("got errors %v, want none", errs)
			}
		})
	}
}

// TestCheckRules breaks one rule at a time and asserts the path and that the message names the rule
// and the value found, in both languages.
func TestCheckRules(t *testing.T) {
	s := New(nil)
	profile := func(f func(*ProfileInput)) ProfileInput { p := validProfileInput(); f(&p); return p }
	position := func(f func(*PositionInput)) PositionInput { p := validPositionInput(); f(&p); return p }
	student := func(f func(*Student)) Student { p := validStudent(); f(&p); return p }
	year := func(f func(*AcademicYear)) AcademicYear { p := validYear(); f(&p); return p }
	email255 := longEmail(255)

	tests := []struct {
		name   string
		v      any
		path   string
		wantEN []string
		wantZH []string
	}{
		// ProfileInput
		{"profile year name", profile(func(p *ProfileInput) { p.AcademicYear = "2019-2021" }), "input.academicYear",
			[]string{"academicYear", "YYYY-YYYY", `"2019-2021"`}, []string{"学年", "YYYY-YYYY", `"2019-2021"`}},
		{"specialties 1001 characters", profile(func(p *ProfileInput) { p.Specialties = strings.Repeat("特", 1001) }), "input.specialties",
			[]string{"specialties must be at most 1000 characters, got 1001"}, []string{"特长最多 1000 个字符，实际 1001 个"}},
		{"natures empty", profile(func(p *ProfileInput) { p.Natures = nil }), "input.natures",
			[]string{"natures must have at least 1 item", "got 0"}, []string{"申请类型至少 1 项，实际 0 项"}},
		{"natures repeated", profile(func(p *ProfileInput) { p.Natures = []Nature{NatureTemporary, NatureTemporary} }), "input.natures",
			[]string{"natures is repeated", "TEMPORARY"}, []string{"申请类型重复", "TEMPORARY"}},
		{"nature unknown", profile(func(p *ProfileInput) { p.Natures = []Nature{NatureLongTerm, "PART_TIME"} }), "input.natures.1",
			[]string{"invalid value: PART_TIME"}, []string{"的值无效：PART_TIME"}},
		{"weekly hours zero", profile(func(p *ProfileInput) { p.WeeklyHours = 0 }), "input.weeklyHours",
			[]string{"weeklyHours must be at least 1, got 0"}, []string{"工作时长不能小于 1，实际为 0"}},
		{"weekly hours negative", profile(func(p *ProfileInput) { p.WeeklyHours = -3 }), "input.weeklyHours",
			[]string{"weeklyHours must be at least 1, got -3"}, []string{"工作时长不能小于 1，实际为 -3"}},
		{"51 slots", profile(func(p *ProfileInput) { p.FreeTime = slices.Repeat([]Slot{{Monday, "08:00", "09:00"}}, 51) }), "input.freeTime",
			[]string{"freeTime must have at most 50 item", "got 51"}, []string{"课余时间最多 50 项，实际 51 项"}},
		{"slot end 24:00", profile(func(p *ProfileInput) { p.FreeTime[1].End = "24:00" }), "input.freeTime.1.end",
			[]string{"end must be a time HH:MM", `"24:00"`}, []string{"结束时间必须是 HH:MM", `"24:00"`}},
		{"slot start without leading zero", profile(func(p *ProfileInput) { p.FreeTime[0].Start = "8:00" }), "input.freeTime.0.start",
			[]string{"start must be a time HH:MM", `"8:00"`}, []string{"开始时间必须是 HH:MM", `"8:00"`}},
		{"slot weekday 8", profile(func(p *ProfileInput) { p.FreeTime[0].Weekday = 8 }), "input.freeTime.0.weekday",
			[]string{"weekday has an invalid value", "8"}, []string{"星期的值无效", "8"}},
		{"slot weekday 0", profile(func(p *ProfileInput) { p.FreeTime[1].Weekday = 0 }), "input.freeTime.1.weekday",
			[]string{"weekday has an invalid value", "0"}, []string{"星期的值无效", "0"}},
		{"phone letters", profile(func(p *ProfileInput) { p.Phone = strp("12ab") }), "input.phone",
			[]string{"phone must be a phone number", `"12ab"`}, []string{"联系电话必须是 7 到 20 位的电话号码", `"12ab"`}},
		{"email malformed", profile(func(p *ProfileInput) { p.Email = strp("not-an-email") }), "input.email",
			[]string{"email is not a valid email address", `"not-an-email"`}, []string{"邮箱不是有效的邮箱地址", `"not-an-email"`}},
		{"email 255 bytes", profile(func(p *ProfileInput) { p.Email = strp(email255) }), "input.email",
			[]string{"email must be at most 254 characters, got 255"}, []string{"邮箱最多 254 个字符，实际 255 个"}},

		// PositionInput
		{"title blank", position(func(p *PositionInput) { p.Title = "  \t" }), "input.title",
			[]string{"title is required"}, []string{"岗位名称不能为空"}},
		{"title 101 characters", position(func(p *PositionInput) { p.Title = strings.Repeat("岗", 101) }), "input.title",
			[]string{"title must be at most 100 characters, got 101"}, []string{"岗位名称最多 100 个字符，实际 101 个"}},
		{"description 5001 characters", position(func(p *PositionInput) { p.Description = strings.Repeat("d", 5001) }), "input.description",
			[]string{"description must be at most 5000 characters, got 5001"}, []string{"岗位描述最多 5000 个字符，实际 5001 个"}},
		{"nature unknown", position(func(p *PositionInput) { p.Nature = "PART_TIME" }), "input.nature",
			[]string{"nature has an invalid value: PART_TIME"}, []string{"岗位性质的值无效：PART_TIME"}},
		{"nature empty", position(func(p *PositionInput) { p.Nature = "" }), "input.nature",
			[]string{"nature has an invalid value"}, []string{"岗位性质的值无效"}},
		{"duty category unknown", position(func(p *PositionInput) { p.DutyCategory = "COOKING" }), "input.dutyCategory",
			[]string{"dutyCategory has an invalid value: COOKING"}, []string{"工作类别的值无效：COOKING"}},
		{"headcount zero", position(func(p *PositionInput) { p.Headcount = 0 }), "input.headcount",
			[]string{"headcount must be at least 1, got 0"}, []string{"招聘人数不能小于 1，实际为 0"}},
		{"headcount 1001", position(func(p *PositionInput) { p.Headcount = 1001 }), "input.headcount",
			[]string{"headcount must be at most 1000, got 1001"}, []string{"招聘人数不能大于 1000，实际为 1001"}},
		{"pay negative", position(func(p *PositionInput) { p.Pay = -100 }), "input.pay",
			[]string{"pay must be at least 0, got -1.00"}, []string{"岗位津贴不能小于 0，实际为 -1.00"}},
		{"weekly hours zero", position(func(p *PositionInput) { p.WeeklyHours = 0 }), "input.weeklyHours",
			[]string{"weeklyHours must be at least 1, got 0"}, []string{"工作时长不能小于 1，实际为 0"}},
		{"weekly hours 169", position(func(p *PositionInput) { p.WeeklyHours = 169 }), "input.weeklyHours",
			[]string{"weeklyHours must be at most 168, got 169"}, []string{"工作时长不能大于 168，实际为 169"}},
		{"work-time requirement 501", position(func(p *PositionInput) { p.WorkTimeRequirement = strp(strings.Repeat("时", 501)) }), "input.workTimeRequirement",
			[]string{"workTimeRequirement must be at most 500 characters, got 501"}, []string{"工作时间要求最多 500 个字符，实际 501 个"}},
		{"position year name", position(func(p *PositionInput) { p.AcademicYear = "abcd-abce" }), "input.academicYear",
			[]string{"academicYear must be two consecutive years", `"abcd-abce"`}, []string{"学年必须是 YYYY-YYYY", `"abcd-abce"`}},

		// Student
		{"student number short", student(func(s *Student) { s.StudentNo = "123" }), "input.studentNo",
			[]string{"studentNo must be 4 to 20 letters or digits", `"123"`}, []string{"学号必须是 4 到 20 位字母或数字", `"123"`}},
		{"student number with dash", student(func(s *Student) { s.StudentNo = "2016-0931" }), "input.studentNo",
			[]string{"studentNo must be 4 to 20 letters or digits", `"2016-0931"`}, []string{"学号必须是", `"2016-0931"`}},
		{"student number 21 characters", student(func(s *Student) { s.StudentNo = strings.Repeat("1", 21) }), "input.studentNo",
			[]string{"studentNo must be 4 to 20", strings.Repeat("1", 21)}, []string{"学号必须是", strings.Repeat("1", 21)}},
		{"student name blank", student(func(s *Student) { s.Name = " " }), "input.name",
			[]string{"name is required"}, []string{"名称不能为空"}},
		{"student name 51 characters", student(func(s *Student) { s.Name = strings.Repeat("名", 51) }), "input.name",
			[]string{"name must be at most 50 characters, got 51"}, []string{"名称最多 50 个字符，实际 51 个"}},
		{"student phone too short", student(func(s *Student) { s.Phone = "12345" }), "input.phone",
			[]string{"phone must be a phone number", `"12345"`}, []string{"联系电话必须是", `"12345"`}},
		{"student phone 21 characters", student(func(s *Student) { s.Phone = "+" + strings.Repeat("1", 20) }), "input.phone",
			[]string{"phone must be a phone number", strings.Repeat("1", 20)}, []string{"联系电话必须是", strings.Repeat("1", 20)}},
		{"student phone ends with a dash", student(func(s *Student) { s.Phone = "138-0013-800-" }), "input.phone",
			[]string{"phone must be a phone number", `"138-0013-800-"`}, []string{"联系电话必须是", `"138-0013-800-"`}},
		{"student email", student(func(s *Student) { s.Email = "zs@" }), "input.email",
			[]string{"email is not a valid email address", `"zs@"`}, []string{"邮箱不是有效的邮箱地址", `"zs@"`}},
		{"student email 255 bytes", student(func(s *Student) { s.Email = email255 }), "input.email",
			[]string{"email must be at most 254 characters, got 255"}, []string{"邮箱最多 254 个字符，实际 255 个"}},
		{"student degree", student(func(s *Student) { s.Degree = "BACHELOR" }), "input.degree",
			[]string{"degree has an invalid value: BACHELOR"}, []string{"学位的值无效：BACHELOR"}},
		{"student department blank", student(func(s *Student) { s.Department = "" }), "input.department",
			[]string{"department is required"}, []string{"院系不能为空"}},
		{"student department 101", student(func(s *Student) { s.Department = strings.Repeat("院", 101) }), "input.department",
			[]string{"department must be at most 100 characters, got 101"}, []string{"院系最多 100 个字符，实际 101 个"}},

		// AcademicYear
		{"year name", year(func(y *AcademicYear) { y.Name = "2019-2021" }), "input.name",
			[]string{"name must be two consecutive years", `"2019-2021"`}, []string{"名称必须是 YYYY-YYYY", `"2019-2021"`}},
		{"nomination hours negative", year(func(y *AcademicYear) { y.NominationMinHours = -1.5 }), "input.nominationMinHours",
			[]string{"nominationMinHours must be at least 0, got -1.5"}, []string{"评优最低工作时长不能小于 0，实际为 -1.5"}},
		{"nomination hours over", year(func(y *AcademicYear) { y.NominationMinHours = 10000.5 }), "input.nominationMinHours",
			[]string{"nominationMinHours must be at most 10000, got 10000.5"}, []string{"评优最低工作时长不能大于 10000，实际为 10000.5"}},
		{"weekly cap zero", year(func(y *AcademicYear) { y.MaxWeeklyHours = 0 }), "input.maxWeeklyHours",
			[]string{"maxWeeklyHours must be at least 1, got 0"}, []string{"每周工作时长上限不能小于 1，实际为 0"}},
		{"weekly cap 169", year(func(y *AcademicYear) { y.MaxWeeklyHours = 169 }), "input.maxWeeklyHours",
			[]string{"maxWeeklyHours must be at most 168, got 169"}, []string{"每周工作时长上限不能大于 168，实际为 169"}},
		{"nomination hours three decimals", year(func(y *AcademicYear) { y.NominationMinHours = 12.345 }), "input.nominationMinHours",
			[]string{"nominationMinHours may have at most two decimal places, got 12.345"}, []string{"评优最低工作时长最多保留两位小数，实际为 12.345"}},
		{"monthly cap three decimals", year(func(y *AcademicYear) { y.MaxMonthlyHours = 40.001 }), "input.maxMonthlyHours",
			[]string{"maxMonthlyHours may have at most two decimal places, got 40.001"}, []string{"每月工作时长上限最多保留两位小数，实际为 40.001"}},
		{"monthly cap zero", year(func(y *AcademicYear) { y.MaxMonthlyHours = 0 }), "input.maxMonthlyHours",
			[]string{"maxMonthlyHours must be greater than 0, got 0"}, []string{"每月工作时长上限必须大于 0，实际为 0"}},
		{"monthly cap 744.5", year(func(y *AcademicYear) { y.MaxMonthlyHours = 744.5 }), "input.maxMonthlyHours",
			[]string{"maxMonthlyHours must be at most 744, got 744.5"}, []string{"每月工作时长上限不能大于 744，实际为 744.5"}},

		// CreateUnitInput
		{"unit name empty", CreateUnitInput{Name: ""}, "input.name",
			[]string{"name is required"}, []string{"名称不能为空"}},
		{"unit name 101", CreateUnitInput{Name: strings.Repeat("单", 101)}, "input.name",
			[]string{"name must be at most 100 characters, got 101"}, []string{"名称最多 100 个字符，实际 101 个"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []struct {
				name   string
				ctx    context.Context
				substr []string
			}{
				{"en", WithLocale(context.Background(), English), tt.wantEN},
				{"zh", context.Background(), tt.wantZH},
			} {
				errs := s.check(lang.ctx, tt.v, "input")
				if got := paths(errs); !slices.Equal(got, []string{tt.path}) {
					t.Fatalf("%s: got error fields %q (%v), want [%s]", lang.name, got, errs, tt.path)
				}
				if errs[0].Code != UserErrValidation {
					t.Errorf("%s: got code %s, want %s", lang.name, errs[0].Code, UserErrValidation)
				}
				for _, w := range lang.substr {
					if !strings.Contains(errs[0].Message, w) {
						t.Errorf("%s: got message %q, want it to contain %q", lang.name, errs[0].Message, w)
					}
				}
			}
		})
	}
}

// TestCheckChineseLabelsOfListElements: a bad element of a list of scalars names the list in Chinese.
func TestCheckChineseLabelsOfListElements(t *testing.T) {
	p := validProfileInput()
	p.Natures = []Nature{"PART_TIME"}
	errs := New(nil).check(context.Background(), p, "input")
	if len(errs) != 1 {
		t.Fatalf("got %d errors %v, want 1", len(errs), errs)
	}
	if want := "申请类型"; !strings.Contains(errs[0].Message, want) {
		t.Errorf("message for natures[0]: got %q, want it to name the list by its label %q", errs[0].Message, want)
	}
}

// TestCheckEveryBadFieldReported: each bad field gets its own error, under a row prefix too.
func TestCheckEveryBadFieldReported(t *testing.T) {
	s := New(nil)
	p := validProfileInput()
	p.AcademicYear, p.WeeklyHours, p.Natures = "2019", 0, nil
	p.FreeTime[0].Start, p.FreeTime[1].End = "x", "y"
	got := paths(s.check(context.Background(), p, "input"))
	want := []string{"input.academicYear", "input.freeTime.0.start", "input.freeTime.1.end", "input.natures", "input.weeklyHours"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	st := validStudent()
	st.Email, st.Degree = "nope", ""
	got = paths(s.check(context.Background(), st, "input", "7"))
	want = []string{"input.7.degree", "input.7.email"}
	if !slices.Equal(got, want) {
		t.Errorf("row prefix: got %q, want %q", got, want)
	}
}

func TestPositionActions(t *testing.T) {
	want := map[PositionAction]struct{ from, to PositionStatus }{
		ActionPublish: {PositionDraft, PositionPublished},
		ActionClose:   {PositionPublished, PositionClosed},
		ActionSubmit:  {PositionDraft, PositionPendingReview},
		ActionApprove: {PositionPendingReview, PositionPublished},
		ActionReturn:  {PositionPendingReview, PositionDraft},
	}
	moves := 0
	for _, a := range PositionMachine.Arrows {
		if a.From != a.To {
			moves++
		}
	}
	if moves != len(want) {
		t.Errorf("got %d moves %v, want %d", moves, PositionMachine.Arrows, len(want))
	}
	for a, w := range want {
		got := arrowsOf(PositionMachine, a)
		if len(got) != 1 || got[0].From != w.from || got[0].To != w.to {
			t.Errorf("action %s: got %v, want %v", a, got, w)
		}
	}
	// Every status x action: a move is allowed only when the status is the action's from; an edit
	// of a DRAFT or PUBLISHED position keeps its status, and a CLOSED one or one waiting for
	// review cannot be edited.
	for _, st := range AllPositionStatuses {
		for _, a := range []PositionAction{ActionPublish, ActionClose, ActionEdit, ActionSubmit, ActionApprove, ActionReturn, "reopen", "unpublish", "draft", ""} {
			allowed := PositionMachine.Allowed(a, st)
			w, moves := want[a]
			wantAllowed := (moves && st == w.from) || (a == ActionEdit && (st == PositionDraft || st == PositionPublished))
			if allowed != wantAllowed {
				t.Errorf("%s from %s: got allowed %v, want %v", a, st, allowed, wantAllowed)
			}
			if arrow, ok := PositionMachine.arrow(a, st, ""); ok && (!arrow.To.Valid() || a == ActionEdit && arrow.To != st) {
				t.Errorf("%s from %s: got target %q, want a valid status (the same for an edit)", a, st, arrow.To)
			}
		}
	}
}
