package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// The helpers of the old accounts and positions test files that nominations_e2e_test.go still
// calls. They stay only until that file is converted to the shared fixtures (in another branch);
// delete this file then. accWantTop keeps its old, weaker checks so the nomination tests behave as
// before; the others are the shared fixtures under their old names.

// accEN is English.
var accEN = English

const (
	accYearMutation = `mutation($in: AcademicYearInput!) { upsertAcademicYear(input: $in) {
		academicYear { name startDate endDate nominationOpensAt nominationClosesAt nominationMinHours maxWeeklyHours maxMonthlyHours }
		userErrors { code field message } } }`
	accImportMutation = `mutation($rows: [EnrollmentInput!]!) { importStudents(input: $rows) { students { studentNo } created updated userErrors { code field message } } }`
)

// accCopy is With.
func accCopy(m map[string]any, kv ...any) map[string]any { return With(m, kv...) }

// accNoHan is NoChinese.
func accNoHan(t *testing.T, errs []UserError) {
	t.Helper()
	NoChinese(t, errs)
}

// posHasHan is HasChinese.
func posHasHan(s string) bool { return HasChinese(s) }

// accWantTop checks a top-level error with code whose message contains subs, and no data for field.
func accWantTop(t *testing.T, r Response, field, code string, subs ...string) {
	t.Helper()
	if got := r.Code(); got != code {
		t.Fatalf("top-level code: got %q (errors %+v, data %s), want %s", got, r.Errors, r.Data, code)
	}
	for _, sub := range subs {
		if !strings.Contains(r.Errors[0].Message, sub) {
			t.Errorf("message: got %q, want it to contain %q", r.Errors[0].Message, sub)
		}
	}
	if field != "" && len(r.Data) > 0 && string(r.Data) != "null" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r.Data, &m); err == nil {
			if v, ok := m[field]; ok && string(v) != "null" {
				t.Errorf("data.%s: got %s, want null", field, v)
			}
		}
	}
}
