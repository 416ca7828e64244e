package e2e

// Names that files not yet converted to the fixtures still use, kept here after the hire test
// files that defined them went over to fixtures.go: appPayload and appFields (history_e2e_test.go,
// history_smoke_test.go). Once those files are converted, nothing uses this file and it goes, whole.

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
