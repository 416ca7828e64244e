package e2e

import (
	"maps"
	"testing"
)

// Names that files not yet converted to the fixtures still use, kept here after the hire and
// concurrency test files that defined them went over to fixtures.go: appPayload and appFields
// (history_e2e_test.go, history_smoke_test.go) and the conc* helpers (nominations_e2e_test.go).
// The conc* helpers are thin wrappers over the fixtures that replace them. Once those files are
// converted, nothing uses this file and it goes, whole.

// appPayload is an ApplicationPayload as the history tests read it.
type appPayload struct {
	Application *struct {
		ID, Status, StatusLabel string
		Employment              *struct{ PaidAmount string }
	}
	UserErrors []UserError
	Warnings   []string
}

// appFields selects what appPayload reads.
const appFields = `application { id status statusLabel employment { paidAmount } } userErrors { code field message } warnings`

// concHire and concConfirm are the events concStep takes.
const (
	concHire    = "HIRE"
	concConfirm = "CONFIRM"
)

// concRace is Race.
func concRace(n int, fn func(i int)) { Race(n, fn) }

// concStudents is StudentNos.
func concStudents(first, n int) []string { return StudentNos(first, n) }

// concPosition is SeedPosition of a PUBLISHED PositionInput(title) with the fields of set.
func concPosition(t *testing.T, s *Server, unit, title string, set map[string]any) string {
	t.Helper()
	in := PositionInput(title)
	maps.Copy(in, set)
	return s.SeedPosition(t, unit, "PUBLISHED", in)
}

// concApply is Apply.
func concApply(t *testing.T, s *Server, no, position string) string {
	t.Helper()
	return s.Apply(t, no, position)
}

// concStep is MustTransition of event on the application vars["id"], which must land in want;
// it returns the application's id.
func concStep(t *testing.T, s *Server, token, event string, vars map[string]any, want string) string {
	t.Helper()
	id, _ := vars["id"].(string)
	if p := s.MustTransition(t, token, event, id, nil); p.Application.Status != want {
		t.Fatalf("%s %s: got status %s, want %s", event, id, p.Application.Status, want)
	}
	return id
}
