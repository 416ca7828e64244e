// Package service holds the rules of the student-assistant program: who may do what, validation,
// the position and hire state machines, windows, caps and eligibility. It owns transactions and
// declares the store it needs; it knows nothing of GraphQL or SQL.
package service

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/zhuguan/zhuguan/auth"
)

// SchoolZone is the zone in which months, academic-year dates and "today" are taken.
var SchoolZone = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// Queries are the store's reads and writes; the store itself and each of its transactions offer them.
// Methods return ErrNoRows when the row asked for is missing (for a conditional write: not in the
// status it expects) and *ConstraintError or ErrCheckViolation when the database refuses a write.
// Batch reads (ByID, ByNo, ByName, Of, Profiles) return the rows that exist and never ErrNoRows.
type Queries interface {
	// UpsertAcademicYear inserts the year or replaces the settings of the one with its name.
	UpsertAcademicYear(ctx context.Context, y AcademicYear) (AcademicYear, error)
	// AcademicYear returns the year called name, or ErrNoRows.
	AcademicYear(ctx context.Context, name string) (AcademicYear, error)
	// AcademicYears returns every year, newest first.
	AcademicYears(ctx context.Context) ([]AcademicYear, error)
	// AcademicYearsByName returns those of the named years that exist.
	AcademicYearsByName(ctx context.Context, names []string) ([]AcademicYear, error)

	// CreateUnit returns a unique *ConstraintError when the name is taken, also by a concurrent create.
	CreateUnit(ctx context.Context, name string) (Unit, error)
	// Units returns every unit, by name.
	Units(ctx context.Context) ([]Unit, error)
	UnitsByID(ctx context.Context, ids []int64) ([]Unit, error)

	// UpsertStudents writes the records, all or none, and returns the student numbers that already existed.
	UpsertStudents(ctx context.Context, rows []Student) (existed map[string]bool, err error)
	StudentsByNo(ctx context.Context, nos []string) ([]Student, error)
	// LockStudent locks a student's row until the transaction ends, serialising their cap checks;
	// ErrNoRows when there is no such student.
	LockStudent(ctx context.Context, studentNo string) error

	// SaveProfile inserts or replaces the (student, year) profile and its free-time slots, in
	// several statements (run it in a transaction); a foreign-key *ConstraintError when the student
	// or the year does not exist, ErrCheckViolation for slots that overlap.
	SaveProfile(ctx context.Context, p Profile) (Profile, error)
	Profiles(ctx context.Context, keys []ProfileKey) ([]Profile, error)

	// InsertPosition returns the new position with its id and times; a foreign-key *ConstraintError
	// when its unit or year does not exist.
	InsertPosition(ctx context.Context, p Position) (Position, error)
	// UpdatePosition replaces the editable fields of position p.ID, not its unit or status, whatever
	// its status: the caller holds the row's lock; ErrNoRows when it does not exist.
	UpdatePosition(ctx context.Context, p Position) (Position, error)
	// PositionForUpdate reads a position and locks its row until the transaction ends, or ErrNoRows.
	PositionForUpdate(ctx context.Context, id int64) (Position, error)
	PositionsByID(ctx context.Context, ids []int64) ([]Position, error)
	// SetPositionStatus moves a position from one status to another at the given time, setting
	// its PublishedAt when published is not nil; ErrNoRows when it is not in from.
	SetPositionStatus(ctx context.Context, id int64, from, to PositionStatus, at time.Time, published *time.Time) (Position, error)
	// AppendPositionEvent adds a line to a position's history, which is append-only.
	AppendPositionEvent(ctx context.Context, e PositionEvent) error
	// PositionEventsOf returns the positions' histories, oldest first.
	PositionEventsOf(ctx context.Context, positionIDs []int64) ([]PositionEvent, error)
	// ListPositions returns the positions q matches, newest first, below q.AfterID when it is not 0
	// and at most q.Limit when it is not 0.
	ListPositions(ctx context.Context, q PositionQuery) ([]Position, error)
	// CountPositions counts the positions q matches; q.AfterID narrows it too, so callers clear it.
	CountPositions(ctx context.Context, q PositionQuery) (int, error)
	// LockPositionHeadcount locks a position's row until the transaction ends and returns its
	// headcount; ErrNoRows when it does not exist.
	LockPositionHeadcount(ctx context.Context, positionID int64) (int, error)

	// InsertApplication returns a unique *ConstraintError when the student has a live application to
	// the position, also one inserted concurrently; a foreign-key one for a missing position or student.
	InsertApplication(ctx context.Context, a Application) (Application, error)
	// ApplicationForUpdate reads an application with its position's unit and locks it until the
	// transaction ends, or ErrNoRows.
	ApplicationForUpdate(ctx context.Context, id int64) (Application, error)
	ApplicationsByID(ctx context.Context, ids []int64) ([]Application, error)
	// SetApplicationStatus moves an application from one status to another at the given time,
	// with the change of its employment; ErrNoRows when it is not in from.
	SetApplicationStatus(ctx context.Context, id int64, from, to ApplicationStatus, at time.Time, e EmploymentChange) (Application, error)
	// AppendEvent adds a line to an application's timeline, which is append-only.
	AppendEvent(ctx context.Context, e TimelineEntry) error
	// PublishApplicationUpdated announces to every replica's listener that application id changed;
	// inside a transaction the announcement leaves at commit, and never on rollback.
	PublishApplicationUpdated(ctx context.Context, id int64) error
	// EventsOf returns the applications' timelines, oldest first.
	EventsOf(ctx context.Context, applicationIDs []int64) ([]TimelineEntry, error)
	// CountHired counts a position's applications in HeadcountStatuses.
	CountHired(ctx context.Context, positionID int64) (int, error)
	// HeldEmployments returns the student's employments in WorkingStatuses whose positions' work
	// periods overlap [from, to), by the positions' work start and id.
	HeldEmployments(ctx context.Context, studentNo string, from, to time.Time) ([]HeldEmployment, error)
	// JobLimits returns, for those of the applications whose position's year limits concurrent
	// employments, the limit and how many employments in WorkingStatuses the student holds, besides
	// the application itself, whose positions' work periods overlap its position's.
	JobLimits(ctx context.Context, applicationIDs []int64) ([]JobLimit, error)
	// ListApplicants lists a position's applications, of status when given: financial need first,
	// then application time and id. It pages by offset, since a keyset cursor would carry the flag.
	ListApplicants(ctx context.Context, positionID int64, status *ApplicationStatus, offset, limit int) ([]Application, error)
	// CountApplicants counts what ListApplicants lists, ignoring paging.
	CountApplicants(ctx context.Context, positionID int64, status *ApplicationStatus) (int, error)
	// EachApplicant hands every application ListApplicants would list, in its order, to fn one at
	// a time, with the student and their profile for the position's year; it stops at fn's first
	// error and returns it. The row is reused.
	EachApplicant(ctx context.Context, positionID int64, status *ApplicationStatus, fn func(*ApplicantRow) error) error
	// ListStudentApplications lists a student's applications, of status when given, newest first,
	// below afterID when it is not 0.
	ListStudentApplications(ctx context.Context, studentNo string, status *ApplicationStatus, afterID int64, limit int) ([]Application, error)
	// CountStudentApplications counts what ListStudentApplications lists, ignoring paging.
	CountStudentApplications(ctx context.Context, studentNo string, status *ApplicationStatus) (int, error)
	// LatestApplications returns the student's newest application to each of the positions.
	LatestApplications(ctx context.Context, studentNo string, positionIDs []int64) ([]Application, error)

	// MonthHours sums a student's recorded hours in month, leaving out one application's record.
	MonthHours(ctx context.Context, studentNo, month string, exceptApplication int64) (float64, error)
	// WorkRecord returns an application's record of month, or ErrNoRows.
	WorkRecord(ctx context.Context, applicationID int64, month string) (WorkRecord, error)
	// UpsertWorkRecord writes an application's record of a month, replacing the hours and amount of
	// an existing one (its RecordedAt stays).
	UpsertWorkRecord(ctx context.Context, w WorkRecord) (WorkRecord, error)
	// WorkRecordsOf returns the applications' records, by application and month.
	WorkRecordsOf(ctx context.Context, applicationIDs []int64) ([]WorkRecord, error)
	// StudentHours sums each range's recorded hours in one statement; every range gets a row, 0
	// when nothing is recorded.
	StudentHours(ctx context.Context, ranges []HoursRange) ([]YearHours, error)

	// EnsurePayMonth returns the id of month's row, making an OPEN one when there is none.
	EnsurePayMonth(ctx context.Context, month string) (int64, error)
	// PayMonth returns month's row, or ErrNoRows when it has none (it was never recorded or closed).
	PayMonth(ctx context.Context, month string) (PayMonth, error)
	// PayMonthForUpdate reads pay month id and locks its row until the transaction ends, or ErrNoRows.
	PayMonthForUpdate(ctx context.Context, id int64) (PayMonth, error)
	// LockPayMonthShared makes month's row when there is none and holds it FOR SHARE until the
	// transaction ends, waiting for a close or reopen under way; it returns the month's status.
	LockPayMonthShared(ctx context.Context, month string) (PayMonthStatus, error)
	// SetPayMonthStatus moves a pay month from one status to another at the given time, by actor
	// when it closes; ErrNoRows when it is not in from.
	SetPayMonthStatus(ctx context.Context, id int64, from, to PayMonthStatus, at time.Time, actor string) (PayMonth, error)
	// AppendPayMonthEvent adds a line to a pay month's history, which is append-only.
	AppendPayMonthEvent(ctx context.Context, e PayMonthEvent) error
	// PayMonthEventsOf returns the pay months' histories, oldest first.
	PayMonthEventsOf(ctx context.Context, ids []int64) ([]PayMonthEvent, error)
	// MonthFigures sums month's work records, of the unit's employments when unitID is not 0.
	MonthFigures(ctx context.Context, month string, unitID int64) (MonthFigures, error)
	// MissingWorkRecords lists, by id above afterID and at most limit, the applications that are
	// employments recordable in month (see Service.MissingWorkRecords) without a record of it, of
	// the unit when unitID is not 0.
	MissingWorkRecords(ctx context.Context, month string, unitID, afterID int64, limit int) ([]Application, error)
	// PayrollLines returns the lines of month's pay sheet of the students with records that month,
	// by student number from the offset-th to at most limit students, each's by application id.
	PayrollLines(ctx context.Context, month string, offset, limit int) ([]PayrollLine, error)
	// EachPayrollLine hands every line of month's pay sheet, in PayrollLines' order and with the
	// student's name and department, to fn one at a time; it stops at fn's first error and
	// returns it. The row is reused.
	EachPayrollLine(ctx context.Context, month string, fn func(*PayrollSheetRow) error) error

	// History reads one page of history rows, with the total over all pages when q.WithTotal.
	History(ctx context.Context, q HistoryQuery) ([]HistoryRow, error)
	// EachHistory hands the history rows q selects to fn one at a time, in q's order, all of them
	// when q.Limit is 0; it stops at fn's first error and returns it. The row is reused.
	EachHistory(ctx context.Context, q HistoryQuery, fn func(*HistoryRow) error) error
	// HistoryUnits returns the units of the history rows q's scope and filter select, by name.
	HistoryUnits(ctx context.Context, q HistoryQuery) ([]Unit, error)
	// HistoryColumns returns the owner's saved column choice, or ErrNoRows when there is none.
	HistoryColumns(ctx context.Context, owner string) ([]HistoryColumn, error)
	// SetHistoryColumns saves the owner's column choice, replacing an earlier one.
	SetHistoryColumns(ctx context.Context, owner string, cols []HistoryColumn) error

	// InsertNomination returns a unique *ConstraintError when the student has a nomination of the
	// year that is not in WithdrawnStatuses.
	InsertNomination(ctx context.Context, n Nomination) (Nomination, error)
	// CurrentNomination returns the student's nomination of the year that is not in
	// WithdrawnStatuses, or ErrNoRows.
	CurrentNomination(ctx context.Context, studentNo, year string) (Nomination, error)
	// NominationForUpdate reads a nomination and locks its row until the transaction ends, or ErrNoRows.
	NominationForUpdate(ctx context.Context, id int64) (Nomination, error)
	// UpdateNominationReason replaces the reason of a nomination in status from; ErrNoRows when it
	// is not in from (or missing).
	UpdateNominationReason(ctx context.Context, id int64, from NominationStatus, reason string, at time.Time) (Nomination, error)
	// SetNominationStatus moves a nomination from one status to another at the given time,
	// recording the review when reviewer is set; ErrNoRows when it is not in from.
	SetNominationStatus(ctx context.Context, id int64, from, to NominationStatus, at time.Time, reviewer, comment *string) (Nomination, error)
	// AppendNominationEvent adds a line to a nomination's history, which is append-only.
	AppendNominationEvent(ctx context.Context, e NominationEvent) error
	// NominationEventsOf returns the nominations' histories, oldest first.
	NominationEventsOf(ctx context.Context, nominationIDs []int64) ([]NominationEvent, error)
	// NominationsOf lists a student's nominations, newest year first.
	NominationsOf(ctx context.Context, studentNo string) ([]Nomination, error)
	// ListNominations lists a year's nominations newest first, below afterID when it is not 0; of
	// status when given, else all but those in WithdrawnStatuses.
	ListNominations(ctx context.Context, year string, status *NominationStatus, afterID int64, limit int) ([]Nomination, error)
	// EachNomination hands every nomination ListNominations would list, in its order, to fn one at
	// a time, with the student and their hours recorded in the months first..last; it stops at
	// fn's first error and returns it. The row is reused.
	EachNomination(ctx context.Context, year string, status *NominationStatus, first, last string, fn func(*NominationRow) error) error
	// CountNominations counts what ListNominations lists, ignoring paging.
	CountNominations(ctx context.Context, year string, status *NominationStatus) (int, error)

	// Report reads a report's rows and total in one statement, whatever q groups by.
	Report(ctx context.Context, q ReportQuery) (ReportData, error)
}

// Store is the database: Queries outside a transaction, Begin for one, and Streaming for reads
// that may outlast an ordinary request (streamed exports): those are not cut by the time limit
// of ordinary statements and do not take the connections ordinary requests need.
type Store interface {
	Queries
	// Begin starts a transaction bound to ctx: when ctx ends first, the transaction is rolled back.
	Begin(ctx context.Context) (Tx, error)
	Streaming() Queries
	// Reporting returns the queries of reports, which may read a streaming replica and so miss the
	// last seconds of changes; nothing else may use them.
	Reporting() Queries
}

// Tx is a store transaction. Rollback after Commit is a no-op, so callers defer it.
type Tx interface {
	Queries
	Commit() error
	Rollback() error
}

// Service carries out every operation of the API. It is safe for concurrent use.
//
// A method's doc names in parentheses who may call it: anyone else gets FORBIDDEN, and a request
// without a valid token UNAUTHENTICATED, before anything is read. The methods that serve
// dataloaders for nested fields check no role: the caller was allowed to see the parents.
type Service struct {
	store    Store
	validate *validator.Validate
	now      func() time.Time
	live     liveHub // this replica's subscribers to application changes
	logger   *slog.Logger
}

// Option configures a Service.
type Option func(*Service)

// WithClock makes the service read the time from now; tests use it to stand inside or outside windows.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithLogger makes the service log what it cannot tell a caller (subscribers it ended) to l.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.logger = l } }

// New returns a Service over store that reads the time from time.Now unless WithClock is given,
// and logs to slog.Default unless WithLogger is.
func New(store Store, opts ...Option) *Service {
	s := &Service{store: store, validate: newValidator(), now: time.Now, logger: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Caller returns the request's principal, or UNAUTHENTICATED with the reason its token was
// refused (none, malformed, expired, badly signed, bad claims).
func Caller(ctx context.Context) (*auth.Principal, error) {
	p, err := auth.FromContext(ctx)
	if err == nil {
		return p, nil
	}
	reason := Message(ctx, "authMalformed")
	for sentinel, key := range authReasons {
		if errors.Is(err, sentinel) {
			reason = Message(ctx, key)
		}
	}
	if errors.Is(err, auth.ErrBadClaims) {
		reason = Message(ctx, "authBadClaims", strings.TrimPrefix(err.Error(), auth.ErrBadClaims.Error()+": "))
	}
	return nil, &Error{Code: CodeUnauthenticated, Message: Message(ctx, "unauthenticated", reason)}
}

var authReasons = map[error]string{
	auth.ErrNoToken: "authNoToken", auth.ErrBadHeader: "authBadHeader", auth.ErrExpired: "authExpired",
	auth.ErrBadSignature: "authBadSignature", auth.ErrMalformed: "authMalformed",
}

// requireRole returns the principal when its role is one of roles, else UNAUTHENTICATED or FORBIDDEN.
func requireRole(ctx context.Context, roles ...auth.Role) (*auth.Principal, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		if p.Role == r {
			return p, nil
		}
	}
	return nil, &Error{Code: CodeForbidden, Message: Message(ctx, "forbidden", p.Role)}
}

// inTx runs fn in one transaction: committed when fn returns nil, rolled back otherwise. fn's error
// comes back unwrapped, so a refusal (UserErrors, a NOT_FOUND *Error) reaches the caller as it was made.
func (s *Service) inTx(ctx context.Context, fn func(tx Tx) error) error {
	tx, err := s.store.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
