package e2e

import (
	"testing"
)

type appPayload struct {
	Application *struct {
		ID, Status, StatusLabel string
		Employment              *struct{ PaidAmount string }
	}
	UserErrors []UserError
	Warnings   []string
}

const appFields = `application { id status statusLabel employment { paidAmount } } userErrors { code field message } warnings`

func TestHireSmokeFullCycle(t *testing.T) {
	s := NewServer(t)
	unit, pos := s.SeedSchool(t, "20160931")
	stu := s.Student(t, "20160931")
	var applied struct{ ApplyToPosition appPayload }
	s.Do(t, stu, `mutation($p: ID!) { applyToPosition(input: {positionId: $p, reason: "我想做", phone: "13900000000"}) { `+appFields+` } }`,
		map[string]any{"p": pos}).Decode(t, &applied)
	a := applied.ApplyToPosition
	if a.Application == nil || a.Application.Status != "APPLIED" || len(a.Warnings) != 1 {
		t.Fatalf("apply: got %+v, want APPLIED with one warning", a)
	}
	id := a.Application.ID
	step := func(token, mutation, want string) {
		t.Helper()
		var out map[string]appPayload
		s.Do(t, token, `mutation($id: ID!) { r: `+mutation+`(id: $id) { `+appFields+` } }`, map[string]any{"id": id}).Decode(t, &out)
		if got := out["r"]; got.Application == nil || got.Application.Status != want {
			t.Fatalf("%s: got %+v, want %s", mutation, got, want)
		}
	}
	step(s.Unit(t, unit), "hireApplication", "HIRED")
	step(stu, "confirmApplication", "CONFIRMED")
	s.SetNow(mustTime(t, "2027-02-10T10:00:00+08:00"))
	var rec struct {
		RecordWork struct {
			WorkRecord *struct{ Month, Amount string }
			UserErrors []UserError
		}
	}
	s.Do(t, s.Unit(t, unit), `mutation($a: ID!) { recordWork(input: {applicationId: $a, month: "2027-01", hours: 30, amount: "1200.50"}) { workRecord { month amount } userErrors { code field message } } }`,
		map[string]any{"a": id}).Decode(t, &rec)
	if rec.RecordWork.WorkRecord == nil {
		t.Fatalf("record work: %+v", rec.RecordWork.UserErrors)
	}
	var detail struct {
		Application struct {
			Timeline   []struct{ Event, To string }
			Employment struct {
				PaidAmount  string
				HoursWorked float64
			}
		}
	}
	s.Do(t, stu, `query($id: ID!) { application(id: $id) { timeline { event to } employment { paidAmount hoursWorked } } }`, map[string]any{"id": id}).Decode(t, &detail)
	if got := len(detail.Application.Timeline); got != 4 {
		t.Fatalf("timeline: got %d entries %+v, want 4", got, detail.Application.Timeline)
	}
	if e := detail.Application.Employment; e.PaidAmount != "1200.50" || e.HoursWorked != 30 {
		t.Fatalf("employment: got %+v, want 1200.50 and 30h", e)
	}
}
