package service

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func localeName(l Locale) string {
	switch l {
	case Chinese:
		return "Chinese"
	case English:
		return "English"
	}
	return "Locale(?)"
}

func TestLocaleFromAcceptLanguage(t *testing.T) {
	tests := []struct {
		header string
		want   Locale
	}{
		{"en", English},
		{"EN", English},
		{"en-US", English},
		{"en-GB,en;q=0.9", English},
		{"en-US,zh;q=0.8", English},
		{"en;q=0.9,zh;q=0.8", English},
		{"  en-US , zh", English},
		{"zh-CN,en;q=0.5", Chinese},
		{"zh", Chinese},
		{"zh-Hans-CN", Chinese},
		{"", Chinese},
		{"*", Chinese},
		{"fr-FR,en;q=0.9", English}, // English is the best language we have that the client accepts
		{"eng", English},            // ISO 639-2 code of English
	}
	for _, tt := range tests {
		if got := LocaleFromAcceptLanguage(tt.header); got != tt.want {
			t.Errorf("LocaleFromAcceptLanguage(%q): got %s, want %s", tt.header, localeName(got), localeName(tt.want))
		}
	}
}

// TestLocaleFromAcceptLanguageQuality: RFC 9110 ranks languages by q, not by their place in the list.
func TestLocaleFromAcceptLanguageQuality(t *testing.T) {
	h := "zh;q=0.1,en;q=0.9"
	if got := LocaleFromAcceptLanguage(h); got != English {
		t.Errorf("LocaleFromAcceptLanguage(%q): got %s, want English (English has the highest q)", h, localeName(got))
	}
}

func TestLocaleDefaultsToChinese(t *testing.T) {
	if got := localeOf(context.Background()); got != Chinese {
		t.Errorf("got %s, want Chinese for a context without a locale", localeName(got))
	}
	if got := localeOf(WithLocale(context.Background(), English)); got != English {
		t.Errorf("got %s, want English after WithLocale(English)", localeName(got))
	}
}

var verbRe = regexp.MustCompile(`%[-+# 0]*(?:\[([0-9]+)\])?[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// verbs returns the formatting verbs of a catalog entry in argument order, "%%" excluded; explicit
// argument indexes (%[2]s), which English word order sometimes needs, are honoured.
func verbs(format string) []string {
	byArg := map[int]string{}
	arg := 0
	for _, m := range verbRe.FindAllStringSubmatch(format, -1) {
		if m[0] == "%%" {
			continue
		}
		if m[1] != "" {
			arg, _ = strconv.Atoi(m[1])
		} else {
			arg++
		}
		byArg[arg] = m[0][len(m[0])-1:]
	}
	out := make([]string, 0, len(byArg))
	for i := 1; i <= len(byArg); i++ {
		out = append(out, byArg[i])
	}
	return out
}

// plausibleArg gives an argument of the type a verb expects.
func plausibleArg(verb string) any {
	switch verb {
	case "d":
		return 7
	case "s", "q":
		return "x"
	default:
		return "v"
	}
}

// TestMessagesRender: every entry has the same verbs in both languages and renders cleanly.
func TestMessagesRender(t *testing.T) {
	if len(messages) == 0 {
		t.Fatal("got an empty catalog, want messages")
	}
	for key, m := range messages {
		zh, en := verbs(m[Chinese]), verbs(m[English])
		if !slices.Equal(zh, en) {
			t.Errorf("%s: got verbs %v in Chinese and %v in English, want the same", key, zh, en)
			continue
		}
		if m[Chinese] == "" || m[English] == "" {
			t.Errorf("%s: got an empty sentence %q, want both languages", key, m)
		}
		args := make([]any, len(zh))
		for i, v := range zh {
			args[i] = plausibleArg(v)
		}
		for _, l := range []Locale{Chinese, English} {
			got := Message(WithLocale(context.Background(), l), key, args...)
			if strings.Contains(got, "%!") {
				t.Errorf("%s in %s: got %q, want no formatting error", key, localeName(l), got)
			}
		}
	}
}

func TestMsgPanicsOnUnknownKey(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("got no panic, want one for an unknown key")
		}
	}()
	Message(context.Background(), "no-such-message")
}

func TestLabel(t *testing.T) {
	zh, en := context.Background(), WithLocale(context.Background(), English)
	tests := []struct {
		ctx  context.Context
		name string
		want string
	}{
		{zh, "specialties", "特长"},
		{zh, "MONDAY", "周一"},
		{zh, "PUBLISHED", "已发布"},
		{zh, "noSuchField", "noSuchField"},
		{en, "specialties", "specialties"},
		{en, "MONDAY", "MONDAY"},
	}
	for _, tt := range tests {
		if got := label(tt.ctx, tt.name); got != tt.want {
			t.Errorf("label(%s, %q): got %q, want %q", localeName(localeOf(tt.ctx)), tt.name, got, tt.want)
		}
	}
}

// TestLabelsCoverInputFields: every json name of an input struct has a Chinese label.
func TestLabelsCoverInputFields(t *testing.T) {
	fields := []string{
		"academicYear", "specialties", "natures", "weeklyHours", "freeTime", "phone", "email", "weekday", "start", "end",
		"title", "description", "nature", "dutyCategory", "headcount", "pay", "workTimeRequirement",
		"applyStart", "applyEnd", "workStart", "workEnd", "unitId",
		"studentNo", "name", "degree", "department",
		"startDate", "endDate", "nominationOpensAt", "nominationClosesAt", "nominationMinHours", "maxWeeklyHours", "maxMonthlyHours",
	}
	for _, f := range fields {
		if l, ok := zhLabels[f]; !ok || l == "" {
			t.Errorf("zhLabels[%q]: got %q, want a Chinese label", f, l)
		}
	}
	for d := Monday; d <= Sunday; d++ {
		if _, ok := zhLabels[d.String()]; !ok {
			t.Errorf("zhLabels[%q]: got none, want a Chinese weekday", d)
		}
	}
}

func TestInternalMessage(t *testing.T) {
	for _, l := range []Locale{Chinese, English} {
		got := Message(WithLocale(context.Background(), l), "internal", "req-123")
		if !strings.Contains(got, "req-123") {
			t.Errorf("%s: got %q, want it to contain the request id", localeName(l), got)
		}
	}
}
