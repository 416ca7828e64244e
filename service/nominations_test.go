package service

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNominationReasonRule(t *testing.T) {
	han := func(n int) string { return strings.Repeat("优", n) }
	ascii := func(n int) string { return strings.Repeat("a", n) }
	emoji := func(n int) string { return strings.Repeat("😀", n) } // U+1F600, outside the BMP: 4 bytes, 2 UTF-16 units
	cases := []struct {
		name   string
		reason string
		want   int    // characters counted
		code   string // "" when accepted
	}{
		{"Chinese 499", han(499), 499, "VALIDATION"},
		{"Chinese 500", han(500), 500, ""},
		{"Chinese 501", han(501), 501, ""},
		{"ASCII 499", ascii(499), 499, "VALIDATION"},
		{"ASCII 500", ascii(500), 500, ""},
		{"ASCII 501", ascii(501), 501, ""},
		{"emoji 499", emoji(499), 499, "VALIDATION"},
		{"emoji 500", emoji(500), 500, ""},
		{"emoji 501", emoji(501), 501, ""},
		{"mixed 250 Chinese + 250 emoji", han(250) + emoji(250), 500, ""},
		{"mixed 249 Chinese + 250 emoji", han(249) + emoji(250), 499, "VALIDATION"},
		{"surrounding spaces not counted", "  \t\n" + han(499) + " \r\n", 499, "VALIDATION"},
		{"surrounding full-width spaces U+3000 not counted", "\u3000\u3000" + han(499) + "\u3000", 499, "VALIDATION"},
		{"surrounding NBSP U+00A0 not counted", "\u00a0" + ascii(499) + "\u00a0", 499, "VALIDATION"},
		{"surrounding white space around 500", "\u3000 " + han(500) + "\n\u3000", 500, ""},
		{"inner spaces counted", han(249) + "  " + han(249), 500, ""},
		{"inner full-width space counted", han(250) + "\u3000" + han(248), 499, "VALIDATION"},
		{"inner newlines counted", ascii(200) + "\n\n" + ascii(298), 500, ""},
		{"zero-width space is not white space", "\u200b" + han(499), 500, ""},
		{"only white space", strings.Repeat("\u3000", 600), 0, "VALIDATION"},
		{"empty", "", 0, "VALIDATION"},
		{"Chinese 5000", han(5000), 5000, ""},
		{"Chinese 5001", han(5001), 5001, "VALIDATION"},
		{"emoji 5000", emoji(5000), 5000, ""},
		{"emoji 5001", emoji(5001), 5001, "VALIDATION"},
		{"5000 with surrounding white space", " \u3000" + ascii(5000) + "\t", 5000, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := checkReason(context.Background(), []string{"input", "reason"}, c.reason)
			if got != strings.TrimSpace(c.reason) {
				t.Errorf("reason: got %d characters %.20q..., want it trimmed", len([]rune(got)), got)
			}
			if n := len([]rune(got)); n != c.want {
				t.Errorf("trimmed length: got %d, want %d", n, c.want)
			}
			if c.code == "" {
				if len(errs) != 0 {
					t.Errorf("errors: got %+v, want none", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("errors: got %+v, want one %s", errs, c.code)
			}
			e := errs[0]
			if string(e.Code) != c.code || strings.Join(e.Field, ".") != "input.reason" {
				t.Errorf("error: got %s on %v, want %s on input.reason", e.Code, e.Field, c.code)
			}
			bound := "500"
			if c.want > MaxReasonChars {
				bound = "5000"
			}
			for _, sub := range []string{"理由", bound, "实际 " + strconv.Itoa(c.want) + " 个"} {
				if !strings.Contains(e.Message, sub) {
					t.Errorf("message: got %q, want it to contain %q", e.Message, sub)
				}
			}
		})
	}
}

func TestNominationReasonMessageLanguages(t *testing.T) {
	_, errs := checkReason(WithLocale(context.Background(), English), []string{"reason"}, strings.Repeat("字", 499))
	if len(errs) != 1 {
		t.Fatalf("errors: got %+v, want one", errs)
	}
	if got, want := errs[0].Message, "reason must be at least 500 characters, got 499"; got != want {
		t.Errorf("English message: got %q, want %q", got, want)
	}
	if got, want := strings.Join(errs[0].Field, "."), "reason"; got != want {
		t.Errorf("field: got %q, want %q", got, want)
	}
	_, errs = checkReason(context.Background(), []string{"reason"}, strings.Repeat("字", 5001))
	if got, want := errs[0].Message, "理由最多 5000 个字符，实际 5001 个"; got != want {
		t.Errorf("Chinese message: got %q, want %q", got, want)
	}
}

func TestAcademicYearMonths(t *testing.T) {
	date := func(s string, loc *time.Location) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		name        string
		start, end  string
		loc         *time.Location // the Date scalar and the database give UTC midnight; code may use the school's zone
		first, last string
	}{
		{"September to July", "2026-09-01", "2027-07-31", time.UTC, "2026-09", "2027-07"},
		{"mid-month start and end count whole months", "2026-08-25", "2027-07-05", time.UTC, "2026-08", "2027-07"},
		{"last day of a month", "2026-08-31", "2027-08-31", time.UTC, "2026-08", "2027-08"},
		{"first day of a month", "2026-09-01", "2027-09-01", time.UTC, "2026-09", "2027-09"},
		{"dates in the school's zone", "2026-09-01", "2027-06-30", SchoolZone, "2026-09", "2027-06"},
		{"calendar year", "2027-01-01", "2027-12-31", time.UTC, "2027-01", "2027-12"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			y := AcademicYear{StartDate: date(c.start, c.loc), EndDate: date(c.end, c.loc)}
			first, last := y.Months()
			if first != c.first || last != c.last {
				t.Errorf("Months(): got %s..%s, want %s..%s", first, last, c.first, c.last)
			}
		})
	}
}

func TestNominationWindow(t *testing.T) {
	opens := time.Date(2027, 6, 1, 0, 0, 0, 0, SchoolZone)
	closes := time.Date(2027, 6, 30, 23, 59, 59, 0, SchoolZone)
	y := AcademicYear{NominationOpensAt: opens, NominationClosesAt: closes}
	cases := []struct {
		name string
		at   time.Time
		want bool
	}{
		{"a second before it opens", opens.Add(-time.Second), false},
		{"a nanosecond before it opens", opens.Add(-1), false},
		{"as it opens", opens, true},
		{"inside", opens.Add(24 * time.Hour), true},
		{"a nanosecond before it closes", closes.Add(-1), true},
		{"as it closes", closes, false},
		{"after it closed", closes.Add(time.Second), false},
		{"the same instant in UTC", opens.UTC(), true},
	}
	for _, c := range cases {
		if got := y.NominationOpenAt(c.at); got != c.want {
			t.Errorf("%s (%s): got %v, want %v", c.name, c.at, got, c.want)
		}
	}
}

func TestNominationStatusLabels(t *testing.T) {
	want := map[NominationStatus]string{"SUBMITTED": "评审中", "AWARDED": "已获评", "NOT_AWARDED": "未获评", "WITHDRAWN": "已撤回"}
	for st, label := range want {
		if !st.Valid() {
			t.Errorf("%s.Valid(): got false, want true", st)
		}
		if got := (Nomination{Status: st}).StatusLabel(); got != label {
			t.Errorf("%s label: got %q, want %q", st, got, label)
		}
	}
	if len(nominationLabels) != len(want) {
		t.Errorf("statuses: got %d, want %d", len(nominationLabels), len(want))
	}
	if NominationStatus("REVIEWED").Valid() {
		t.Errorf(`"REVIEWED".Valid(): got true, want false`)
	}
}
