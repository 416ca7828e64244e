package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/auth"
)

// Column preferences of the employment history (自定义显示列): each user's saved choice of
// HistoryColumn, in order.

// historyColumns defaults to all eleven in SPEC order; setHistoryColumns keeps the saved order per
// user (a student's choice follows their number across tokens) and refuses empty lists and repeats.
func TestHistoryE2EColumns(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	s.SeedStudents(t, "20160931", "20160932")
	stuA, stuB := s.Student(t, "20160931"), s.Student(t, "20160932")
	otherA := s.Token(t, auth.Principal{Subject: "mobile-app-A", Role: auth.RoleStudent, StudentNo: "20160931"})
	admin, unit := s.Admin(t), s.Unit(t, "1")
	get := func(token string) []string {
		t.Helper()
		var out struct{ HistoryColumns []string }
		s.Do(t, token, `{ historyColumns }`, nil).Decode(t, &out)
		return out.HistoryColumns
	}
	type payload struct {
		SetHistoryColumns struct {
			Columns    []string
			UserErrors []UserError
		}
	}
	set := func(token string, cols any) payload {
		t.Helper()
		var out payload
		s.Do(t, token, `mutation($c: [HistoryColumn!]!) { setHistoryColumns(columns: $c) { columns userErrors { code field message } } }`,
			map[string]any{"c": cols}).Decode(t, &out)
		return out
	}
	for _, tok := range []string{stuA, stuB, admin, unit} {
		if got := get(tok); !slices.Equal(got, allHistoryColumns) {
			t.Fatalf("default: got %v, want %v", got, allHistoryColumns)
		}
	}
	choice := []string{"PAID_AMOUNT", "STATUS", "WORK_END", "UNIT"}
	p := set(stuA, choice)
	if len(p.SetHistoryColumns.UserErrors) > 0 || !slices.Equal(p.SetHistoryColumns.Columns, choice) {
		t.Fatalf("set: got %+v, want %v", p, choice)
	}
	if got := get(stuA); !slices.Equal(got, choice) {
		t.Fatalf("after set: got %v, want %v in that order", got, choice)
	}
	if got := get(otherA); !slices.Equal(got, choice) {
		t.Fatalf("another token of the same student: got %v, want the student's choice %v", got, choice)
	}
	for name, tok := range map[string]string{"student B": stuB, "admin": admin, "unit staff": unit} {
		if got := get(tok); !slices.Equal(got, allHistoryColumns) {
			t.Fatalf("%s after A saved: got %v, want the default", name, got)
		}
	}
	// Saving again replaces, from the other token too.
	choice2 := []string{"WORK_TIME_REQUIREMENT"}
	if p := set(otherA, choice2); len(p.SetHistoryColumns.UserErrors) > 0 {
		t.Fatalf("set from the other token: %+v", p)
	}
	if got := get(stuA); !slices.Equal(got, choice2) {
		t.Fatalf("after the other token saved: got %v, want %v", got, choice2)
	}
	// All eleven reversed is a valid choice.
	rev := slices.Clone(allHistoryColumns)
	slices.Reverse(rev)
	if p := set(unit, rev); len(p.SetHistoryColumns.UserErrors) > 0 || !slices.Equal(get(unit), rev) {
		t.Fatalf("unit staff all reversed: %+v / %v", p, get(unit))
	}

	// Empty: VALIDATION, nothing saved.
	p = set(stuA, []string{})
	if ue := p.SetHistoryColumns.UserErrors; len(ue) != 1 || ue[0].Code != "VALIDATION" || strings.Join(ue[0].Field, ".") != "columns" {
		t.Fatalf("empty: got %+v, want one VALIDATION on columns", p)
	}
	// Repeats: VALIDATION naming the repeated column, nothing saved.
	p = set(stuA, []string{"STATUS", "UNIT", "STATUS"})
	if ue := p.SetHistoryColumns.UserErrors; len(ue) != 1 || ue[0].Code != "VALIDATION" || !strings.Contains(ue[0].Message, "STATUS") ||
		len(ue[0].Field) == 0 || ue[0].Field[0] != "columns" {
		t.Fatalf("repeat: got %+v, want one VALIDATION naming STATUS", p)
	} else {
		t.Logf("repeat: field %v message %q", ue[0].Field, ue[0].Message)
	}
	p = set(stuA, []string{"NATURE", "DESCRIPTION", "NATURE", "DESCRIPTION"})
	if ue := p.SetHistoryColumns.UserErrors; len(ue) == 0 || ue[0].Code != "VALIDATION" || !strings.Contains(ue[0].Message, "NATURE") {
		t.Fatalf("two repeats: got %+v, want VALIDATION naming NATURE", p)
	}
	if got := get(stuA); !slices.Equal(got, choice2) {
		t.Fatalf("after refused saves: got %v, want unchanged %v", got, choice2)
	}
	// An unknown column is not a HistoryColumn at all: a top-level error, nothing saved.
	r := s.Do(t, stuA, `mutation($c: [HistoryColumn!]!) { setHistoryColumns(columns: $c) { columns } }`, map[string]any{"c": []string{"STATUS", "SALARY"}})
	if len(r.Errors) == 0 || (len(r.Data) > 0 && string(r.Data) != "null") {
		t.Fatalf("unknown column: got data %s errors %+v, want a top-level error", r.Data, r.Errors)
	}
	r = s.Do(t, stuA, `mutation { setHistoryColumns(columns: [STATUS, SALARY]) { columns } }`, nil)
	if len(r.Errors) == 0 {
		t.Fatalf("unknown column literal: got %s, want a top-level error", r.Data)
	}
	if got := get(stuA); !slices.Equal(got, choice2) {
		t.Fatalf("after unknown column: got %v, want unchanged %v", got, choice2)
	}
	WantTopLevel(t, s.Do(t, "", `{ historyColumns }`, nil), "UNAUTHENTICATED")
}

// The headers of the history columns come in the request's language, in the columns' order.
func TestHistoryColumnLabels(t *testing.T) {
	s := NewServer(t)
	s.SeedStudents(t, "20160931")
	q := `{ historyColumnLabels { column label } historyColumns }`
	var zh, en struct {
		HistoryColumnLabels []struct{ Column, Label string }
		HistoryColumns      []string
	}
	s.Do(t, s.Student(t, "20160931"), q, nil).Decode(t, &zh)
	s.Do(t, s.Admin(t), q, nil, English...).Decode(t, &en)
	wantZH := []string{"状态", "聘用单位", "岗位名称", "发放金额", "岗位性质", "岗位描述", "申请开始时间", "申请结束时间", "工作开始时间", "工作结束时间", "工作时间要求"}
	if len(zh.HistoryColumnLabels) != len(wantZH) || len(en.HistoryColumnLabels) != len(wantZH) {
		t.Fatalf("labels: got %d and %d, want %d", len(zh.HistoryColumnLabels), len(en.HistoryColumnLabels), len(wantZH))
	}
	for i, l := range zh.HistoryColumnLabels {
		if l.Column != zh.HistoryColumns[i] || l.Label != wantZH[i] {
			t.Errorf("label %d: got %s %q, want %s %q (the default column order)", i, l.Column, l.Label, zh.HistoryColumns[i], wantZH[i])
		}
		if e := en.HistoryColumnLabels[i]; e.Column != l.Column || e.Label == "" || HasChinese(e.Label) {
			t.Errorf("English label %d: got %s %q, want %s in English", i, e.Column, e.Label, l.Column)
		}
	}
	WantTopLevel(t, s.Do(t, "", `{ historyColumnLabels { label } }`, nil), "UNAUTHENTICATED")
}
