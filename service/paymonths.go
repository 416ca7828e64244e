package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// PayMonthStatus is a school month's place in OPEN -> CLOSED -> OPEN (工资月结算).
type PayMonthStatus string

// The statuses: an OPEN month takes work records; a CLOSED one has been sent to the finance office
// as its pay sheet and refuses them (MONTH_CLOSED) until admin reopens it.
const (
	PayMonthOpen   PayMonthStatus = "OPEN"
	PayMonthClosed PayMonthStatus = "CLOSED"
)

// AllPayMonthStatuses lists the statuses in the schema's order.
var AllPayMonthStatuses = []PayMonthStatus{PayMonthOpen, PayMonthClosed}

// ClosedPayMonthStatuses are those of a month that has its closing time and who closed it.
var ClosedPayMonthStatuses = []PayMonthStatus{PayMonthClosed}

// Valid reports whether s is a known status.
func (s PayMonthStatus) Valid() bool { return slices.Contains(AllPayMonthStatuses, s) }

var payMonthLabels = map[PayMonthStatus][2]string{PayMonthOpen: {"未结算", "open"}, PayMonthClosed: {"已结算", "closed"}}

// PayMonthAction is an action of the pay month state machine.
type PayMonthAction string

// The actions admin takes on a month: close it for the pay sheet, reopen it with a reason.
const (
	ActionCloseMonth  PayMonthAction = "close"
	ActionReopenMonth PayMonthAction = "reopen"
)

var payMonthActionLabels = map[PayMonthAction][2]string{ActionCloseMonth: {"结算", "close"}, ActionReopenMonth: {"重新开放", "reopen"}}

// PayMonthMachine is the pay month state machine: admin closes an OPEN month and reopens a CLOSED one.
var PayMonthMachine = Machine[PayMonthStatus, PayMonthAction]{Arrows: []Arrow[PayMonthStatus, PayMonthAction]{
	{Action: ActionCloseMonth, From: PayMonthOpen, To: PayMonthClosed, By: auth.RoleAdmin},
	{Action: ActionReopenMonth, From: PayMonthClosed, To: PayMonthOpen, By: auth.RoleAdmin},
}}

// PayMonthEvent is one line of a month's close and reopen history.
type PayMonthEvent = StatusEvent[PayMonthStatus]

// PayMonth is one school month's settlement and its work records' figures. A month never closed
// has no row: it is OPEN, with ID 0.
type PayMonth struct {
	ID       int64          `db:"id"`
	Month    string         `db:"month"`
	Status   PayMonthStatus `db:"status"`
	ClosedAt *time.Time     `db:"closed_at"`
	ClosedBy *string        `db:"closed_by"`
	MonthFigures
}

// MonthFigures are the count, distinct students, hours and amount of a month's work records (of
// one unit, or all).
type MonthFigures struct {
	Records  int     `db:"records"`
	Students int     `db:"students"`
	Hours    float64 `db:"hours"`
	Amount   Money   `db:"amount_fen"`
}

// payMonths drives PayMonthMachine; admin acts on every month. Its lock is on the month's row,
// which recordWork holds FOR SHARE while it writes that month.
var payMonths = kind[PayMonth, PayMonthStatus, PayMonthAction]{
	name:    "payMonth",
	machine: PayMonthMachine,
	lock:    func(ctx context.Context, tx Tx, id int64) (PayMonth, error) { return tx.PayMonthForUpdate(ctx, id) },
	status:  func(m PayMonth) PayMonthStatus { return m.Status },
	visible: func(*auth.Principal, PayMonth) bool { return true },
	refused: func(ctx context.Context, cur PayMonthStatus, a PayMonthAction) string {
		l := localeOf(ctx)
		return Message(ctx, "badPayMonthTransition", payMonthLabels[cur][l], cur, payMonthActionLabels[a][l])
	},
	// The figures are read under the lock, once the records being written have committed: a
	// closed month's figures are its pay sheet's, which no record can join afterwards.
	write: func(ctx context.Context, tx Tx, m PayMonth, a Arrow[PayMonthStatus, PayMonthAction], c Change) (PayMonth, error) {
		out, err := tx.SetPayMonthStatus(ctx, m.ID, a.From, a.To, c.At, actorName(c.Actor))
		if err != nil {
			return out, err
		}
		out.MonthFigures, err = tx.MonthFigures(ctx, out.Month, 0)
		out.Hours = roundHours(out.Hours)
		return out, err
	},
	record: func(ctx context.Context, tx Tx, id int64, a Arrow[PayMonthStatus, PayMonthAction], c Change) error {
		return tx.AppendPayMonthEvent(ctx, PayMonthEvent{ObjectID: id, From: &a.From, To: a.To, Actor: actorName(c.Actor), Note: c.Note, At: c.At})
	},
}

// ClosePayMonth closes a month (admin): from then on recordWork refuses it with MONTH_CLOSED,
// also a record that was being written while it closed (it either committed first, and is in the
// pay sheet, or is refused); the month returned has the figures read under the close's lock,
// those of the pay sheet as it was closed. Returns VALIDATION for a month that has not begun in
// the school's zone, INVALID_TRANSITION for a month closed already.
func (s *Service) ClosePayMonth(ctx context.Context, month string) (*PayMonth, error) {
	var input []UserError
	if now := monthOf(s.now()); month > now {
		input = append(input, fieldErr(ctx, []string{"month"}, "monthNotBegun", month, now))
	}
	return s.takePayMonth(ctx, month, step[PayMonth, PayMonthStatus, PayMonthAction]{action: ActionCloseMonth, input: input})
}

// ReopenPayMonth reopens a closed month (admin) so that its records can be corrected; the reason
// is kept in the month's history. Returns VALIDATION when the reason is blank or past
// MaxNoteChars characters, INVALID_TRANSITION for a month that is open.
func (s *Service) ReopenPayMonth(ctx context.Context, month, reason string) (*PayMonth, error) {
	reason, input := requiredNote(ctx, "reason", reason)
	return s.takePayMonth(ctx, month, step[PayMonth, PayMonthStatus, PayMonthAction]{action: ActionReopenMonth, note: reason, input: input})
}

// takePayMonth runs st on month's row, which it makes first when the month has none.
func (s *Service) takePayMonth(ctx context.Context, month string, st step[PayMonth, PayMonthStatus, PayMonthAction]) (*PayMonth, error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	if len(st.input) > 0 {
		return nil, UserErrors(st.input)
	}
	id, err := s.store.EnsurePayMonth(ctx, month)
	if err != nil {
		return nil, fmt.Errorf("pay month %s: %w", month, err)
	}
	st.id = id
	return take(ctx, s, payMonths, st)
}

// PayMonth returns a month's status and figures (admin: all units; unit staff: their own unit's
// figures). A month never closed is OPEN.
func (s *Service) PayMonth(ctx context.Context, month string) (*PayMonth, error) {
	p, err := requireRole(ctx, auth.RoleAdmin, auth.RoleUnitStaff)
	if err != nil {
		return nil, err
	}
	m, err := s.store.PayMonth(ctx, month)
	if errors.Is(err, ErrNoRows) {
		m, err = PayMonth{Month: month, Status: PayMonthOpen}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pay month %s: %w", month, err)
	}
	var unit int64
	if p.Role == auth.RoleUnitStaff {
		unit = p.UnitID
	}
	if m.MonthFigures, err = s.store.MonthFigures(ctx, month, unit); err != nil {
		return nil, fmt.Errorf("pay month %s: %w", month, err)
	}
	m.Hours = roundHours(m.Hours)
	return &m, nil
}

// PayMonthHistory returns a month's closes and reopens, oldest first, with who made them as
// actorShown names them to the caller; empty for a month never closed. The caller was allowed to
// see the month.
func (s *Service) PayMonthHistory(ctx context.Context, m *PayMonth) ([]PayMonthEvent, error) {
	if m.ID == 0 {
		return []PayMonthEvent{}, nil
	}
	es, err := s.store.PayMonthEventsOf(ctx, []int64{m.ID})
	if err != nil {
		return nil, fmt.Errorf("pay month %s history: %w", m.Month, err)
	}
	viewer, _ := auth.FromContext(ctx)
	for i := range es {
		es[i].Actor = actorShown(ctx, viewer, es[i].Actor, auth.RoleAdmin, "")
	}
	return es, nil
}

// checkMonthOpen holds month's row FOR SHARE until tx ends, so that the month cannot close while
// a record of it is written, and returns MONTH_CLOSED (UserErrors) when it is closed. A close
// under way is waited for, and its outcome seen.
func checkMonthOpen(ctx context.Context, tx Tx, month string) error {
	st, err := tx.LockPayMonthShared(ctx, month)
	if err != nil {
		return fmt.Errorf("pay month %s: %w", month, err)
	}
	if st == PayMonthClosed {
		return UserErrors{{Code: UserErrMonthClosed, Field: []string{"input", "month"}, Message: Message(ctx, "monthClosed", month)}}
	}
	return nil
}

// MissingWorkRecords lists the employments that recordWork would take a record of month from and
// that have none yet (unit staff: their unit's; admin: all), by id, up to page.First of them after
// the employment id page.After: CONFIRMED or DISMISSED not before the month, the month inside the
// position's work period, and not in the future. Whether the month is closed does not matter: a
// closed month's list is what was never paid. Returns BAD_USER_INPUT for a page size outside
// 1..MaxPage.
func (s *Service) MissingWorkRecords(ctx context.Context, month string, first int, after int64) ([]Employment, error) {
	p, err := requireRole(ctx, auth.RoleAdmin, auth.RoleUnitStaff)
	if err != nil {
		return nil, err
	}
	if first < 1 || first > MaxPage {
		return nil, BadInput(ctx, "firstRange", MaxPage, first)
	}
	out := []Employment{}
	if month > monthOf(s.now()) {
		return out, nil
	}
	var unit int64
	if p.Role == auth.RoleUnitStaff {
		unit = p.UnitID
	}
	as, err := s.store.MissingWorkRecords(ctx, month, unit, after, first)
	if err != nil {
		return nil, fmt.Errorf("missing work records of %s: %w", month, err)
	}
	for _, a := range as {
		out = append(out, *a.Employment())
	}
	return out, nil
}

// PayrollLine is one employment's record in a month's pay sheet.
type PayrollLine struct {
	StudentNo     string  `db:"student_no"`
	ApplicationID int64   `db:"application_id"`
	UnitID        int64   `db:"unit_id"`
	UnitName      string  `db:"unit_name"`
	PositionTitle string  `db:"position_title"`
	Hours         float64 `db:"hours"`
	Amount        Money   `db:"amount_fen"`
}

// PayrollRow is one student's lines in a month's pay sheet, with their sums.
type PayrollRow struct {
	StudentNo string
	Hours     float64
	Amount    Money
	Lines     []PayrollLine
}

// Payroll is one page of a month's pay sheet and the whole month's totals.
type Payroll struct {
	Page[PayrollRow]
	TotalHours  float64
	TotalAmount Money
}

// Payroll returns a page of a month's pay sheet (admin): the students with records that month by
// student number, each with their employments' lines by application id, and, when
// page.WithTotal, the month's distinct students, hours and amount. Returns BAD_USER_INPUT for a page size outside 1..MaxPage
// or a cursor not made here.
func (s *Service) Payroll(ctx context.Context, month string, page PageArgs) (*Payroll, error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	limit, offset, err := pageBounds(ctx, page)
	if err != nil {
		return nil, err
	}
	lines, err := s.store.PayrollLines(ctx, month, int(offset), limit+1)
	if err != nil {
		return nil, fmt.Errorf("payroll of %s: %w", month, err)
	}
	var rows []PayrollRow
	for _, l := range lines {
		if len(rows) == 0 || rows[len(rows)-1].StudentNo != l.StudentNo {
			rows = append(rows, PayrollRow{StudentNo: l.StudentNo})
		}
		r := &rows[len(rows)-1]
		r.Hours += l.Hours
		r.Amount += l.Amount
		r.Lines = append(r.Lines, l)
	}
	for i := range rows {
		rows[i].Hours = roundHours(rows[i].Hours)
	}
	out := &Payroll{Page: newOffsetPage(rows, limit, int(offset))}
	if !page.WithTotal { // the totals read the whole month: only when asked for
		return out, nil
	}
	t, err := s.store.MonthFigures(ctx, month, 0)
	if err != nil {
		return nil, fmt.Errorf("payroll totals of %s: %w", month, err)
	}
	out.TotalCount, out.TotalHours, out.TotalAmount = t.Students, roundHours(t.Hours), t.Amount
	return out, nil
}

// PayrollSheetRow is a record of the pay sheet's spreadsheet: an employment's line with the
// student's name and department, a student's subtotal (Subtotal) or the month's total (Total),
// whose Hours and Amount are the sums of the lines before them.
type PayrollSheetRow struct {
	PayrollLine
	StudentName string `db:"student_name"`
	Department  string `db:"department"`
	Subtotal    bool   `db:"-"`
	Total       bool   `db:"-"`
}

// ExportPayroll is the month's pay sheet for the finance office (admin): a row per student and
// employment by student number and application id, a subtotal row after each student's, and the
// total last; the sums are added from the rows themselves, so they equal the records to the fen.
func (s *Service) ExportPayroll(ctx context.Context, month string) (Rows[PayrollSheetRow], error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	return func(ctx context.Context, yield func(*PayrollSheetRow) error) error {
		var sub, total PayrollSheetRow
		sub.Subtotal, total.Total = true, true
		flush := func() error {
			if sub.StudentNo == "" {
				return nil
			}
			sub.Hours = roundHours(sub.Hours)
			return yield(&sub)
		}
		err := s.store.Streaming().EachPayrollLine(ctx, month, func(r *PayrollSheetRow) error {
			if r.StudentNo != sub.StudentNo {
				if err := flush(); err != nil {
					return err
				}
				sub.PayrollLine = PayrollLine{StudentNo: r.StudentNo}
				sub.StudentName, sub.Department = r.StudentName, r.Department
			}
			sub.Hours += r.Hours
			sub.Amount += r.Amount
			total.Hours += r.Hours
			total.Amount += r.Amount
			return yield(r)
		})
		if err == nil {
			err = flush()
		}
		if err == nil {
			total.Hours = roundHours(total.Hours)
			err = yield(&total)
		}
		if err != nil {
			return fmt.Errorf("payroll export of %s: %w", month, err)
		}
		return nil
	}, nil
}
