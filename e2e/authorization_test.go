package e2e

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// The authorization matrix: every operation of the schema (queries and mutations over HTTP, the
// subscription over a websocket) and every CSV export, called by each kind of caller against
// objects owned by a student and a unit, with the decision SPEC.md's roles give. The tables are
// checked against schema.graphqls and the README's downloads, so a new operation or export
// without an entry fails the test.

// The callers of the matrix, in its column order.
const (
	anonymous    = iota
	owner        // the student who owns the objects
	otherStudent // a student who owns none of them
	unitStaff    // staff of the unit that owns them
	otherStaff   // staff of another unit
	admin
	callers
)

var callerNames = [callers]string{"anonymous", "student", "another student", "unit staff", "another unit's staff", "admin"}

// The decisions: a top-level extensions.code, a userErrors code, EMPTY (null, or a list, a
// connection or a file with nothing in it: none of the owners' objects), OK (anything else), or for the
// subscription HIDDEN (accepted, and the owner's change is not delivered).
const (
	dOK     = "OK"
	dEmpty  = "EMPTY"
	dUnauth = "UNAUTHENTICATED"
	dForbid = "FORBIDDEN"
	dNF     = "NOT_FOUND"
	dHidden = "HIDDEN"
)

// authzTarget is what one call acts on: its variables, and the student who owns the object when
// it is not the fixture's (objects whose owner's state the call changes: a fresh student each).
type authzTarget struct {
	vars  map[string]any
	owner string
}

// authzCase is one operation's row of the matrix. doc aliases the operation's field r; setup,
// when not nil, is called before every caller's call, so a call that changes state finds its
// object fresh.
type authzCase struct {
	doc   string
	setup func(t *testing.T, f *authzFixture) authzTarget
	want  [callers]string
}

// authzFixture is the data every case reads: unit u owns the positions, student a the
// applications, profile and nomination; unit v and student b own nothing of them.
type authzFixture struct {
	s          *Server
	u, v       string
	a, b       string
	pos, draft string // u's published position (open now, work from November) and a draft
	app        string // a's APPLIED application to pos
	emp        string // a's CONFIRMED application to another of u's positions
	nom        string // a's SUBMITTED nomination of TestYear
	seq        atomic.Int64
	tokens     [callers]string // of the fixture's own callers; the owner's is a's
}

// authzPosition is a PositionInput whose window contains the test clock and whose work starts in
// the clock's month, so that work can be recorded without moving it; its headcount never fills.
func authzPosition(title string) map[string]any {
	return PositionInput(title, "headcount", 1000, "weeklyHours", 5, "applyEnd", "2026-11-20T00:00:00+08:00",
		"workStart", "2026-11-20T00:00:00+08:00", "workEnd", "2027-01-31T00:00:00+08:00")
}

// student seeds a fresh enrolled student with a profile of TestYear and returns the number.
func (f *authzFixture) student(t *testing.T) string {
	t.Helper()
	no := fmt.Sprintf("2099%04d", f.seq.Add(1))
	f.s.SeedStudents(t, no)
	f.s.SeedProfile(t, no, ProfileInput(TestYear))
	return no
}

// position seeds a fresh position of u in status.
func (f *authzFixture) position(t *testing.T, status string) string {
	t.Helper()
	return f.s.SeedPosition(t, f.u, status, authzPosition(fmt.Sprintf("岗位%d", f.seq.Add(1))))
}

// reviewed seeds a fresh position of u in ReviewYear, whose positions need approval, in status.
func (f *authzFixture) reviewed(t *testing.T, status string) string {
	t.Helper()
	return f.s.SeedPosition(t, f.u, status, With(authzPosition(fmt.Sprintf("岗位%d", f.seq.Add(1))), "academicYear", ReviewYear))
}

// application seeds a fresh student's application to a fresh position of u, driven to status.
func (f *authzFixture) application(t *testing.T, status string) authzTarget {
	t.Helper()
	no := f.student(t)
	return authzTarget{vars: map[string]any{"id": f.s.Drive(t, f.u, no, f.position(t, "PUBLISHED"), status)}, owner: no}
}

// nomination seeds a fresh student's SUBMITTED nomination and returns its id.
func (f *authzFixture) nomination(t *testing.T, no string) string {
	t.Helper()
	var out struct{ Nomination struct{ ID string } }
	f.s.mustMutate(t, f.s.Student(t, no), `mutation($in: NominationInput!) { r: submitNomination(input: $in) { nomination { id } `+userErrorFields+` } }`,
		map[string]any{"in": map[string]any{"academicYear": TestYear, "reason": nominationReason(500)}}, &out)
	return out.Nomination.ID
}

// newAuthzFixture seeds the objects every case reads, through the API.
func newAuthzFixture(t *testing.T, s *Server) *authzFixture {
	f := &authzFixture{s: s, a: "20160001", b: "20160002"}
	// The year's nomination window contains the test clock and asks no hours, so that
	// nominations can be made without moving it.
	s.UpsertYear(t, With(YearInput(), "nominationOpensAt", "2026-11-01T00:00:00+08:00", "nominationMinHours", 0))
	s.UpsertYear(t, ReviewYearInput())
	f.u, f.v = s.SeedUnit(t, "研究生院"), s.SeedUnit(t, "图书馆")
	s.SeedStudents(t, f.a, f.b)
	for _, no := range []string{f.a, f.b} {
		s.SeedProfile(t, no, ProfileInput(TestYear))
	}
	f.pos, f.draft = f.position(t, "PUBLISHED"), f.position(t, "DRAFT")
	f.app = s.Apply(t, f.a, f.pos)
	f.emp = s.Drive(t, f.u, f.a, f.position(t, "PUBLISHED"), "CONFIRMED")
	f.nom = f.nomination(t, f.a)
	f.tokens = [callers]string{"", s.Student(t, f.a), s.Student(t, f.b), s.Unit(t, f.u), s.Unit(t, f.v), s.Admin(t)}
	return f
}

// token is caller c's token for a call on target (its owner when it has one).
func (f *authzFixture) token(t *testing.T, c int, target authzTarget) string {
	if c == owner && target.owner != "" {
		return f.s.Student(t, target.owner)
	}
	return f.tokens[c]
}

// vars returns a setup that gives every caller the same variables, made from the fixture.
func vars(fn func(f *authzFixture) map[string]any) func(*testing.T, *authzFixture) authzTarget {
	return func(_ *testing.T, f *authzFixture) authzTarget { return authzTarget{vars: fn(f)} }
}

// row builds a want: the decisions for anonymous, the owner, another student, the unit's staff,
// another unit's staff and admin. Every operation needs a token, so anonymous is always refused.
func row(student, other, staff, otherUnit, adm string) [callers]string {
	return [callers]string{dUnauth, student, other, staff, otherUnit, adm}
}

var (
	anyCaller   = row(dOK, dOK, dOK, dOK, dOK)
	studentOnly = row(dOK, dOK, dForbid, dForbid, dForbid)
	adminOnly   = row(dForbid, dForbid, dForbid, dForbid, dOK)
	// ownStudent: the owner's object, which another student cannot find and staff may never touch.
	ownStudent = row(dOK, dNF, dForbid, dForbid, dForbid)
	// ownUnit: the unit's object, which students may never touch and another unit cannot find.
	ownUnit = row(dForbid, dForbid, dOK, dNF, dOK)
)

// authzCases is the matrix, keyed by Type.field of the schema.
var authzCases = map[string]authzCase{
	"Query.me":            {doc: `{ r: me { role } }`, want: anyCaller},
	"Query.academicYears": {doc: `{ r: academicYears { name } }`, want: anyCaller},
	"Query.academicYear":  {doc: `query($y: String!) { r: academicYear(name: $y) { name } }`, setup: vars(func(*authzFixture) map[string]any { return map[string]any{"y": TestYear} }), want: anyCaller},
	"Query.units":         {doc: `{ r: units { id } }`, want: anyCaller},
	// Another unit's staff list only their own unit's positions, of which it has none.
	"Query.positions":           {doc: `{ r: positions { totalCount } }`, want: row(dOK, dOK, dOK, dEmpty, dOK)},
	"Query.historyColumns":      {doc: `{ r: historyColumns }`, want: anyCaller},
	"Query.historyColumnLabels": {doc: `{ r: historyColumnLabels { label } }`, want: anyCaller},
	"Query.position": {doc: `query($id: ID!) { r: position(id: $id) { id } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"id": f.draft} }),
		want:  row(dNF, dNF, dOK, dNF, dOK)},
	"Query.myProfile": {doc: `query($y: String!) { r: myProfile(academicYear: $y) { weeklyHours } }`,
		setup: vars(func(*authzFixture) map[string]any { return map[string]any{"y": TestYear} }), want: studentOnly},
	"Query.student": {doc: `query($no: String!) { r: student(studentNo: $no) { studentNo } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"no": f.a} }),
		want:  row(dOK, dNF, dNF, dNF, dOK)},
	"Query.application": {doc: `query($id: ID!) { r: application(id: $id) { id } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"id": f.app} }),
		want:  row(dOK, dNF, dOK, dNF, dOK)},
	"Query.applicants": {doc: `query($id: ID!) { r: applicants(positionId: $id) { totalCount } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"id": f.pos} }), want: ownUnit},
	// The queries run before any mutation, so another student has no applications or nominations yet.
	"Query.myApplications": {doc: `{ r: myApplications { totalCount } }`, want: row(dOK, dEmpty, dForbid, dForbid, dForbid)},
	// The owner's history holds their employment; another unit's staff naming the owner get an
	// empty one, since their unit has none of it.
	"Query.employmentHistory": {doc: `query($no: String) { r: employmentHistory(studentNo: $no) { totalCount } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"no": f.a} }),
		want:  row(dOK, dNF, dOK, dEmpty, dOK)},
	"Query.historyUnits": {doc: `query($no: String) { r: historyUnits(studentNo: $no) { id } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"no": f.a} }),
		want:  row(dOK, dNF, dOK, dEmpty, dOK)},
	"Query.nominationEligibility": {doc: `query($y: String!) { r: nominationEligibility(academicYear: $y) { eligible } }`,
		setup: vars(func(*authzFixture) map[string]any { return map[string]any{"y": TestYear} }), want: studentOnly},
	"Query.myNominations": {doc: `{ r: myNominations { id } }`, want: row(dOK, dEmpty, dForbid, dForbid, dForbid)},
	// Unit staff see every month's status, with their own unit's figures (none for another unit).
	"Query.payMonth": {doc: `{ r: payMonth(month: "2026-11") { status records } }`, want: row(dForbid, dForbid, dOK, dOK, dOK)},
	"Query.payroll":  {doc: `{ r: payroll(month: "2026-11") { totalAmount } }`, want: adminOnly},
	// The fixture's employment has no record of its first month before the mutations run.
	"Query.missingWorkRecords": {doc: `{ r: missingWorkRecords(month: "2026-11") { id } }`, want: row(dForbid, dForbid, dOK, dEmpty, dOK)},
	"Query.nominations": {doc: `query($y: String!) { r: nominations(academicYear: $y) { totalCount } }`,
		setup: vars(func(*authzFixture) map[string]any { return map[string]any{"y": TestYear} }), want: adminOnly},
	"Query.report": {doc: `query($y: String!, $u: ID) { r: report(academicYear: $y, groupBy: [UNIT], filter: {unitId: $u}) { total { applications } } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"y": TestYear, "u": f.u} }), want: ownUnit},

	"Mutation.upsertAcademicYear": {doc: `mutation($in: AcademicYearInput!) { r: upsertAcademicYear(input: $in) { userErrors { code } } }`,
		setup: vars(func(*authzFixture) map[string]any { return map[string]any{"in": YearInputOf("2030-2031")} }), want: adminOnly},
	"Mutation.createUnit": {doc: `mutation($n: String!) { r: createUnit(input: {name: $n}) { userErrors { code } } }`,
		setup: func(_ *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"n": fmt.Sprintf("单位%d", f.seq.Add(1))}}
		}, want: adminOnly},
	"Mutation.importStudents": {doc: `mutation($rows: [EnrollmentInput!]!) { r: importStudents(input: $rows) { userErrors { code } } }`,
		setup: func(_ *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"rows": []any{StudentRow(fmt.Sprintf("2098%04d", f.seq.Add(1)))}}}
		}, want: adminOnly},
	"Mutation.saveProfile": {doc: `mutation($in: ProfileInput!) { r: saveProfile(input: $in) { userErrors { code } } }`,
		setup: vars(func(*authzFixture) map[string]any { return map[string]any{"in": ProfileInput(TestYear)} }), want: studentOnly},
	// Unit staff create for their own unit: naming another is a VALIDATION error of the field.
	"Mutation.createPosition": {doc: `mutation($in: PositionInput!) { r: createPosition(input: $in) { userErrors { code } } }`,
		setup: vars(func(f *authzFixture) map[string]any {
			return map[string]any{"in": With(authzPosition("新岗位"), "unitId", f.u)}
		}), want: row(dForbid, dForbid, dOK, "VALIDATION", dOK)},
	"Mutation.updatePosition": {doc: `mutation($id: ID!, $in: PositionInput!) { r: updatePosition(id: $id, input: $in) { userErrors { code } } }`,
		setup: vars(func(f *authzFixture) map[string]any {
			return map[string]any{"id": f.draft, "in": authzPosition("改过的草稿")}
		}), want: ownUnit},
	"Mutation.publishPosition": {doc: `mutation($id: ID!) { r: publishPosition(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"id": f.position(t, "DRAFT")}}
		}, want: ownUnit},
	"Mutation.submitPosition": {doc: `mutation($id: ID!) { r: submitPosition(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"id": f.reviewed(t, "DRAFT")}}
		}, want: ownUnit},
	"Mutation.approvePosition": {doc: `mutation($id: ID!) { r: approvePosition(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"id": f.reviewed(t, "PENDING_REVIEW")}}
		}, want: adminOnly},
	"Mutation.returnPosition": {doc: `mutation($id: ID!) { r: returnPosition(id: $id, note: "请补充岗位描述") { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"id": f.reviewed(t, "PENDING_REVIEW")}}
		}, want: adminOnly},
	"Mutation.closePosition": {doc: `mutation($id: ID!) { r: closePosition(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"id": f.position(t, "PUBLISHED")}}
		}, want: ownUnit},
	"Mutation.copyPosition": {doc: `mutation($id: ID!) { r: copyPosition(id: $id) { userErrors { code } } }`,
		setup: vars(func(f *authzFixture) map[string]any { return map[string]any{"id": f.draft} }), want: ownUnit},
	// Each student applies on their own behalf, to a position fresh for the call.
	"Mutation.applyToPosition": {doc: `mutation($in: ApplyInput!) { r: applyToPosition(input: $in) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"in": map[string]any{"positionId": f.position(t, "PUBLISHED"), "reason": "我有相关经验"}}}
		}, want: studentOnly},
	"Mutation.withdrawApplication": {doc: `mutation($id: ID!) { r: withdrawApplication(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget { return f.application(t, "APPLIED") }, want: ownStudent},
	"Mutation.hireApplication": {doc: `mutation($id: ID!) { r: hireApplication(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget { return f.application(t, "APPLIED") }, want: ownUnit},
	"Mutation.rejectApplication": {doc: `mutation($id: ID!) { r: rejectApplication(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget { return f.application(t, "APPLIED") }, want: ownUnit},
	"Mutation.confirmApplication": {doc: `mutation($id: ID!) { r: confirmApplication(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget { return f.application(t, "HIRED") }, want: ownStudent},
	"Mutation.declineApplication": {doc: `mutation($id: ID!) { r: declineApplication(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget { return f.application(t, "HIRED") }, want: ownStudent},
	"Mutation.dismissApplication": {doc: `mutation($id: ID!) { r: dismissApplication(id: $id, reason: "工作失职") { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget { return f.application(t, "CONFIRMED") }, want: ownUnit},
	// A second record of the month corrects the first, so both allowed callers succeed.
	"Mutation.recordWork": {doc: `mutation($in: WorkRecordInput!) { r: recordWork(input: $in) { userErrors { code } } }`,
		setup: vars(func(f *authzFixture) map[string]any {
			return map[string]any{"in": map[string]any{"applicationId": f.emp, "month": "2026-11", "hours": 1, "amount": "10.00"}}
		}), want: ownUnit},
	// Months of their own, before the fixture's work period, so that recordWork is not concerned.
	"Mutation.closePayMonth": {doc: `mutation { r: closePayMonth(month: "2026-01") { userErrors { code } } }`, want: adminOnly},
	"Mutation.reopenPayMonth": {doc: `mutation($m: Month!) { r: reopenPayMonth(month: $m, reason: "更正") { userErrors { code } } }`,
		setup: func() func(*testing.T, *authzFixture) authzTarget {
			n := 0
			return func(t *testing.T, f *authzFixture) authzTarget {
				n++
				m := fmt.Sprintf("2025-%02d", n)
				if p, _ := f.s.closeMonth(t, f.s.Admin(t), m); p.PayMonth == nil {
					t.Fatalf("close %s: got %+v, want it closed", m, p)
				}
				return authzTarget{vars: map[string]any{"m": m}}
			}
		}(), want: adminOnly},
	"Mutation.setHistoryColumns": {doc: `mutation { r: setHistoryColumns(columns: [UNIT, STATUS]) { userErrors { code } } }`, want: anyCaller},
	// Each student nominates themselves: the owner is a fresh student, the other student makes
	// their only nomination here.
	"Mutation.submitNomination": {doc: `mutation($in: NominationInput!) { r: submitNomination(input: $in) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			return authzTarget{vars: map[string]any{"in": map[string]any{"academicYear": TestYear, "reason": nominationReason(500)}}, owner: f.student(t)}
		}, want: studentOnly},
	"Mutation.updateNomination": {doc: `mutation($id: ID!, $reason: String!) { r: updateNomination(id: $id, reason: $reason) { userErrors { code } } }`,
		setup: vars(func(f *authzFixture) map[string]any {
			return map[string]any{"id": f.nom, "reason": nominationReason(501)}
		}),
		want: ownStudent},
	"Mutation.withdrawNomination": {doc: `mutation($id: ID!) { r: withdrawNomination(id: $id) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			no := f.student(t)
			return authzTarget{vars: map[string]any{"id": f.nomination(t, no)}, owner: no}
		}, want: ownStudent},
	"Mutation.reviewNomination": {doc: `mutation($id: ID!) { r: reviewNomination(id: $id, awarded: true) { userErrors { code } } }`,
		setup: func(t *testing.T, f *authzFixture) authzTarget {
			no := f.student(t)
			return authzTarget{vars: map[string]any{"id": f.nomination(t, no)}, owner: no}
		}, want: adminOnly},

	// Over a websocket: anonymous is refused at connection_init; the others subscribe, and the
	// owner's change reaches those who may see it (HIDDEN: it does not).
	"Subscription.applicationUpdated": {doc: `subscription { r: applicationUpdated { id } }`,
		want: row(dOK, dHidden, dOK, dHidden, dOK)},
}

// schemaOperations lists Type.field of every field of Query, Mutation and Subscription in
// schema.graphqls.
func schemaOperations(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gqlErr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	if gqlErr != nil {
		t.Fatal(gqlErr)
	}
	var ops []string
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation, schema.Subscription} {
		if root == nil {
			continue
		}
		for _, fd := range root.Fields {
			if !strings.HasPrefix(fd.Name, "__") {
				ops = append(ops, root.Name+"."+fd.Name)
			}
		}
	}
	slices.Sort(ops)
	return ops
}

// decision reads what the server decided of one call: the first top-level error's code, else
// the payload's first userErrors code, else EMPTY for null, an empty list or a totalCount of 0,
// else OK.
func decision(t *testing.T, r Response) string {
	t.Helper()
	if len(r.Errors) > 0 {
		return r.Code()
	}
	var data struct{ R json.RawMessage }
	r.Decode(t, &data)
	var list []json.RawMessage
	if json.Unmarshal(data.R, &list) == nil {
		if len(list) == 0 {
			return dEmpty
		}
		return dOK
	}
	var p struct {
		UserErrors []UserError
		TotalCount *int
	}
	if err := json.Unmarshal(data.R, &p); err != nil {
		return dOK // a scalar
	}
	if len(p.UserErrors) > 0 {
		return p.UserErrors[0].Code
	}
	if p.TotalCount != nil && *p.TotalCount == 0 {
		return dEmpty
	}
	return dOK
}

// Every operation of the schema and every export decides as SPEC.md's roles say for each kind of
// caller; an operation or export without an entry, or an entry without one, fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	ops := schemaOperations(t)
	for _, op := range ops {
		if _, found := authzCases[op]; !found {
			t.Errorf("%s: in the schema, no entry in authzCases: add its call and the decision of each caller", op)
		}
	}
	for op := range authzCases {
		if !slices.Contains(ops, op) {
			t.Errorf("%s: in authzCases, not in the schema: remove its entry", op)
		}
	}
	exports := readmeExports(t)
	if got := slices.Sorted(maps.Keys(exportCases)); !slices.Equal(got, exports) {
		t.Errorf("exportCases: got %v, want the README's CSV downloads %v", got, exports)
	}
	if t.Failed() {
		return
	}
	t.Logf("authorization matrix: %d operations and %d exports x %d callers = %d decisions",
		len(ops), len(exports), callers, (len(ops)+len(exports))*callers)

	s := NewServer(t)
	f := newAuthzFixture(t, s)
	// Queries and exports first, all before any mutation, so that what they find (EMPTY or not)
	// is the fixture's; then the mutations, each on objects of its own where it changes them.
	t.Run("Query", func(t *testing.T) { callMatrix(t, f, "Query.", ops) })
	t.Run("Export", func(t *testing.T) { exportMatrix(t, f) })
	t.Run("Mutation", func(t *testing.T) { callMatrix(t, f, "Mutation.", ops) })
	subscriptionMatrix(t, f, "Subscription.applicationUpdated")
}

// exportCases are the CSV exports' rows of the matrix, keyed by path: the query string of one
// download, and the decisions, as for the queries whose rows they are (EMPTY: the header alone).
var exportCases = map[string]struct {
	query func(f *authzFixture) string
	want  [callers]string
}{
	"/export/history.csv": {func(f *authzFixture) string { return "studentNo=" + f.a },
		row(dOK, dNF, dOK, dEmpty, dOK)},
	"/export/applicants.csv": {func(f *authzFixture) string { return "positionId=" + f.pos }, ownUnit},
	"/export/report.csv": {func(f *authzFixture) string {
		return "academicYear=" + TestYear + "&groupBy=UNIT&unitId=" + f.u
	}, ownUnit},
	"/export/nominations.csv": {func(*authzFixture) string { return "academicYear=" + TestYear }, adminOnly},
	"/export/payroll.csv":     {func(*authzFixture) string { return "month=2026-11" }, adminOnly},
}

// readmeExports lists the export paths of the README's table of CSV downloads.
func readmeExports(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, found := strings.CutPrefix(line, "| `GET /export/"); found {
			name, _, _ := strings.Cut(rest, "`")
			name, _, _ = strings.Cut(name, "?")
			paths = append(paths, "/export/"+name)
		}
	}
	slices.Sort(paths)
	return paths
}

// exportMatrix downloads every export as every caller.
func exportMatrix(t *testing.T, f *authzFixture) {
	for _, path := range slices.Sorted(maps.Keys(exportCases)) {
		c := exportCases[path]
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			for who := range callers {
				file := export(t, f.s, f.tokens[who], path+"?"+c.query(f))
				got := dOK
				switch {
				case file.status != http.StatusOK:
					got = file.errCode
				case len(file.records) == 1:
					got = dEmpty
				}
				if got != c.want[who] {
					t.Errorf("%s as %s: got %s (status %d), want %s", path, callerNames[who], got, file.status, c.want[who])
				}
			}
		})
	}
}

// callMatrix runs the cases of the operations of ops under root ("Query.", "Mutation."), in
// parallel with each other, each caller's call after the other's.
func callMatrix(t *testing.T, f *authzFixture, root string, ops []string) {
	s := f.s
	for _, op := range ops {
		c := authzCases[op]
		if !strings.HasPrefix(op, root) {
			continue
		}
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			for who := range callers {
				target := authzTarget{}
				if c.setup != nil {
					target = c.setup(t, f)
				}
				got := decision(t, s.Do(t, f.token(t, who, target), c.doc, target.vars))
				if got != c.want[who] {
					t.Errorf("%s as %s: got %s, want %s", op, callerNames[who], got, c.want[who])
				}
			}
		})
	}
}

// subscriptionMatrix subscribes every caller to op and makes three changes: the owner applies,
// then the other student applies to a position of the owner unit and to one of the other unit.
// Each subscriber's first message tells whether it saw the owner's change (OK) or not (HIDDEN:
// its first is a later change it may see); every subscriber may see one of them.
func subscriptionMatrix(t *testing.T, f *authzFixture, op string) {
	s, c := f.s, authzCases[op]
	anon := DialWS(t, s.URL)
	anon.Send(map[string]any{"type": "connection_init"})
	got := [callers]string{}
	if code, _ := anon.Closed(); code == 4403 {
		got[anonymous] = dUnauth
	} else {
		got[anonymous] = fmt.Sprintf("closed %d", code)
	}
	var ws [callers]*WS
	for who := owner; who < callers; who++ {
		ws[who] = DialWS(t, s.URL)
		ws[who].Init(f.tokens[who])
		ws[who].Send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": c.doc}})
	}
	waitSubscribers(t, s.URL, callers-1)
	mine := s.Apply(t, f.a, f.position(t, "PUBLISHED"))
	s.Apply(t, f.b, f.position(t, "PUBLISHED"))
	s.Apply(t, f.b, s.SeedPosition(t, f.v, "PUBLISHED", authzPosition("馆藏整理")))
	for who := owner; who < callers; who++ {
		m := ws[who].Next()
		var p struct {
			Data   struct{ R struct{ ID string } }
			Errors []GQLError
		}
		if err := json.Unmarshal(m.Payload, &p); m.Type != "next" || err != nil || len(p.Errors) > 0 {
			got[who] = fmt.Sprintf("%s %s", m.Type, m.Payload)
		} else if p.Data.R.ID == mine {
			got[who] = dOK
		} else {
			got[who] = dHidden
		}
	}
	for who := range callers {
		if got[who] != c.want[who] {
			t.Errorf("%s as %s: got %s, want %s", op, callerNames[who], got[who], c.want[who])
		}
	}
}
