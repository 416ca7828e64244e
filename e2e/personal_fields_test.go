package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Personal fields on every way unit staff reach a student: the application, the list of
// applicants, the history rows, a mutation's payload, the live updates and the exports. Unit
// staff see the contact given with the application and in the profile, never the enrollment
// record's contact, status or financial need; admin sees the record.

// personFields selects everything of an application that holds personal data.
const personFields = `fragment person on Application {
	id phone email reason
	student { studentNo name degree department phone email fullTime enrolled financialNeed }
	profile { phone email specialties student { studentNo phone email fullTime enrolled financialNeed } }
	timeline { actor actorRole note }
	employment { endReason application { student { phone email fullTime enrolled financialNeed } } }
}`

// The contact of the one student of these tests: each source its own, so that a value shown
// names where it came from.
const (
	recordPhone, recordEmail   = "13911112222", "record@bjmu.edu.cn"
	profilePhone, profileEmail = "13933334444", "profile@example.com"
	applyPhone, applyEmail     = "13955556666", "apply@example.com"
)

// hiddenStudentFields are the Student fields that come from the enrollment record beyond the
// name, number, degree and department: null for unit staff.
var hiddenStudentFields = []string{"phone", "email", "fullTime", "enrolled", "financialNeed"}

// checkUnitView fails when what the unit was shown (raw JSON or CSV) holds the enrollment
// record's contact or the financial-need flag, or a Student object with one of
// hiddenStudentFields not null; want lists text it must hold, so the check sees the fields.
func checkUnitView(t *testing.T, what, raw string, want ...string) {
	t.Helper()
	for _, leak := range []string{recordPhone, recordEmail, `"financialNeed":true`, `"financialNeed":false`} {
		if strings.Contains(raw, leak) {
			t.Errorf("%s for unit staff: shows %q, want it hidden: %s", what, leak, raw)
		}
	}
	for _, w := range want {
		if !strings.Contains(raw, w) {
			t.Errorf("%s for unit staff: got %s, want it to show %q", what, raw, w)
		}
	}
	var v any
	if json.Unmarshal([]byte(raw), &v) != nil {
		return // a CSV file
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, y := range x {
				if m, ok := y.(map[string]any); ok && k == "student" {
					for _, f := range hiddenStudentFields {
						if m[f] != nil {
							t.Errorf("%s: %s.student.%s: got %v, want null for unit staff", what, path, f, m[f])
						}
					}
				}
				walk(path+"."+k, y)
			}
		case []any:
			for i, y := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), y)
			}
		}
	}
	walk("data", v)
}

func TestPersonalFieldsForUnitStaff(t *testing.T) {
	const no = "20240001"
	s := NewServer(t)
	s.SeedYear(t)
	unit := s.SeedUnit(t, "研究生院")
	s.SeedStudentRows(t, With(StudentRow(no), "phone", recordPhone, "email", recordEmail, "financialNeed", true))
	s.SeedProfile(t, no, With(ProfileInput(TestYear), "phone", profilePhone, "email", profileEmail))
	pos := s.SeedPosition(t, unit, "PUBLISHED", authzPosition("数据整理"))
	p, r := s.ApplyAs(t, s.Student(t, no), pos, map[string]any{"phone": applyPhone, "email": applyEmail})
	if len(r.Errors) > 0 || p.Application == nil {
		t.Fatalf("apply: got %+v, errors %+v", p, r.Errors)
	}
	app := p.Application.ID
	staff := s.Unit(t, unit)
	s.MustTransition(t, staff, "HIRE", app, nil)
	s.MustTransition(t, s.Student(t, no), "CONFIRM", app, nil)
	s.RecordWork(t, unit, app, "2026-11", 4, "100.00")
	given := []string{applyPhone, applyEmail, profilePhone, profileEmail}

	reads := map[string]string{
		"application": `query($id: ID!) { application(id: $id) { ...person } }`,
		"applicants":  `query($p: ID!) { applicants(positionId: $p) { edges { node { ...person } } } }`,
		"history":     `{ employmentHistory { edges { node { application { ...person } } } } }`,
	}
	vars := map[string]any{"id": app, "p": pos}
	for name, q := range reads {
		t.Run(name, func(t *testing.T) {
			r := s.Do(t, staff, q+personFields, vars)
			r.Decode(t, &struct{}{})
			checkUnitView(t, name, string(r.Data), given...)
			// Admin is shown the record itself: what the unit's view above must not hold.
			adm := string(s.Do(t, s.Admin(t), q+personFields, vars).Data)
			for _, w := range []string{recordPhone, recordEmail, `"financialNeed":true`} {
				if !strings.Contains(adm, w) {
					t.Errorf("%s for admin: got %s, want it to show %q", name, adm, w)
				}
			}
		})
	}

	t.Run("exports", func(t *testing.T) {
		f := export(t, s, staff, "/export/applicants.csv?positionId="+pos)
		checkUnitView(t, "applicants.csv", string(f.raw), applyPhone, applyEmail)
		f = export(t, s, staff, "/export/history.csv")
		checkUnitView(t, "history.csv", string(f.raw), "数据整理")
	})

	// Last, since the dismissal ends the employment: its payload and the live update it sends.
	t.Run("payload and live update", func(t *testing.T) {
		ws := DialWS(t, s.URL)
		ws.Init(staff)
		ws.Subscribe("live", `subscription { applicationUpdated { ...person } }`+personFields)
		waitSubscribers(t, s.URL, 1)
		r := s.Do(t, staff, `mutation($id: ID!) { dismissApplication(id: $id, reason: "合同到期") { application { ...person } } }`+personFields,
			map[string]any{"id": app})
		r.Decode(t, &struct{}{})
		checkUnitView(t, "dismissApplication", string(r.Data), given...)
		m := ws.Next()
		if m.Type != "next" {
			t.Fatalf("live update: got %s %s, want next", m.Type, m.Payload)
		}
		var live struct {
			Data   json.RawMessage
			Errors []GQLError
		}
		if err := json.Unmarshal(m.Payload, &live); err != nil || len(live.Errors) > 0 {
			t.Fatalf("live update: payload %s (%v), want data without errors", m.Payload, err)
		}
		checkUnitView(t, "applicationUpdated", string(live.Data), given...)
	})
}
