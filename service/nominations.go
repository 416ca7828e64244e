package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhuguan/zhuguan/auth"
)

// NominationStatus is where an excellent-assistant nomination (评优申请) stands: SUBMITTED, then
// AWARDED or NOT_AWARDED by the school's review, or WITHDRAWN by the student before it.
type NominationStatus string

// The statuses of a nomination: SUBMITTED waits for the review and may still be edited or
// withdrawn; AWARDED (已获评) and NOT_AWARDED (未获评) are the review's verdicts; WITHDRAWN no
// longer counts. Only SUBMITTED can still change.
const (
	NominationSubmitted  NominationStatus = "SUBMITTED"
	NominationAwarded    NominationStatus = "AWARDED"
	NominationNotAwarded NominationStatus = "NOT_AWARDED"
	NominationWithdrawn  NominationStatus = "WITHDRAWN"
)

// AllNominationStatuses lists the statuses in the schema's order.
var AllNominationStatuses = []NominationStatus{NominationSubmitted, NominationAwarded, NominationNotAwarded, NominationWithdrawn}

// ReviewedStatuses are those of a reviewed nomination, which has its review time and reviewer.
var ReviewedStatuses = []NominationStatus{NominationAwarded, NominationNotAwarded}

// WithdrawnStatuses are those of a nomination that no longer counts: it stays for the record,
// and the student may nominate themselves again in the year.
var WithdrawnStatuses = []NominationStatus{NominationWithdrawn}

// NominationAction is an action of the nomination state machine; its zhLabels entry names it.
type NominationAction string

// The actions on a SUBMITTED nomination: its student edits the reason or withdraws it while the
// year's window is open, and admin reviews it.
const (
	NominationEdit     NominationAction = "edit"
	NominationWithdraw NominationAction = "withdraw"
	NominationReview   NominationAction = "review"
)

// NominationMachine is the nomination state machine: while SUBMITTED the student may edit or
// withdraw it, and admin reviews it to AWARDED or NOT_AWARDED.
var NominationMachine = Machine[NominationStatus, NominationAction]{Arrows: []Arrow[NominationStatus, NominationAction]{
	{Action: NominationEdit, From: NominationSubmitted, To: NominationSubmitted, By: auth.RoleStudent},
	{Action: NominationWithdraw, From: NominationSubmitted, To: NominationWithdrawn, By: auth.RoleStudent},
	{Action: NominationReview, From: NominationSubmitted, To: NominationAwarded, By: auth.RoleAdmin},
	{Action: NominationReview, From: NominationSubmitted, To: NominationNotAwarded, By: auth.RoleAdmin},
}}

// NominationEvent is one line of a nomination's status history (a review's comment is its note).
type NominationEvent = StatusEvent[NominationStatus]

// nominationLabels are the statuses' display labels, {Chinese, English}.
var nominationLabels = map[NominationStatus][2]string{
	NominationSubmitted: {"评审中", "Under review"}, NominationAwarded: {"已获评", "Awarded"},
	NominationNotAwarded: {"未获评", "Not awarded"}, NominationWithdrawn: {"已撤回", "Withdrawn"},
}

// Valid reports whether s is a known status.
func (s NominationStatus) Valid() bool { return slices.Contains(AllNominationStatuses, s) }

// Label is the Chinese display label of s (评审中, 已获评, 未获评, 已撤回).
func (s NominationStatus) Label() string { return nominationLabels[s][Chinese] }

// LabelIn is the display label of s in the caller's language.
func (s NominationStatus) LabelIn(ctx context.Context) string {
	return nominationLabels[s][localeOf(ctx)]
}

// Bounds, in Unicode characters, of a nomination's reason (after trimming surrounding white
// space) and of a review's comment.
const (
	MinReasonChars  = 500
	MaxReasonChars  = 5000
	MaxCommentChars = 1000
)

// Nomination is a student's self-nomination for excellent assistant of one academic year.
type Nomination struct {
	ID           int64            `db:"id"`
	StudentNo    string           `db:"student_no"`
	AcademicYear string           `db:"academic_year"`
	Reason       string           `db:"reason"`
	Status       NominationStatus `db:"status"`
	SubmittedAt  time.Time        `db:"submitted_at"`
	UpdatedAt    time.Time        `db:"updated_at"`
	ReviewedAt   *time.Time       `db:"reviewed_at"` // set exactly when AWARDED or NOT_AWARDED
	Reviewer     *string          `db:"reviewer"`    // the reviewing admin's token subject
	Comment      *string          `db:"review_comment"`
}

// StatusLabel is the Chinese display label of the status.
func (n Nomination) StatusLabel() string { return n.Status.Label() }

// NominationInput is a student's nomination for a year.
type NominationInput struct {
	AcademicYear string `json:"academicYear" validate:"yearname"`
	Reason       string `json:"reason"`
}

// NominationEligibility tells a student whether they may nominate themselves for a year, with
// the facts behind it and one sentence per condition they do not meet.
type NominationEligibility struct {
	AcademicYear     string
	Eligible         bool // WindowOpen && HoursWorked >= HoursRequired && !AlreadySubmitted && Enrolled
	WindowOpen       bool
	OpensAt          time.Time
	ClosesAt         time.Time
	HoursWorked      float64
	HoursRequired    float64
	AlreadySubmitted bool // a nomination of the year that is not WITHDRAWN exists
	Enrolled         bool
	Reasons          []string
}

// NominationOpenAt reports whether nominations for the year are taken at t: opens <= t < closes.
func (y AcademicYear) NominationOpenAt(t time.Time) bool {
	return !t.Before(y.NominationOpensAt) && t.Before(y.NominationClosesAt)
}

// checkReason trims a nomination's reason and checks its length: MinReasonChars..MaxReasonChars
// Unicode characters (code points) after trimming surrounding white space, the full-width space
// U+3000 included; white space inside counts. The error, on path, states the count found.
func checkReason(ctx context.Context, path []string, reason string) (string, []UserError) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n < MinReasonChars:
		return reason, []UserError{fieldErr(ctx, path, "minChars", label(ctx, "reason"), strconv.Itoa(MinReasonChars), n)}
	case n > MaxReasonChars:
		return reason, []UserError{fieldErr(ctx, path, "maxChars", label(ctx, "reason"), strconv.Itoa(MaxReasonChars), n)}
	}
	return reason, nil
}

// NominationEligibility tells the calling student whether they may nominate themselves for year
// now, with the facts and a reason per unmet condition (student). Returns NOT_FOUND when the year
// does not exist.
func (s *Service) NominationEligibility(ctx context.Context, year string) (*NominationEligibility, error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	y, err := s.store.AcademicYear(ctx, year)
	if errors.Is(err, ErrNoRows) {
		return nil, notFound(ctx, "academicYear", year)
	}
	if err != nil {
		return nil, fmt.Errorf("nomination eligibility %s: %w", year, err)
	}
	e, _, err := s.nominationEligibility(ctx, p.StudentNo, y)
	if err != nil {
		return nil, fmt.Errorf("nomination eligibility %s/%s: %w", p.StudentNo, year, err)
	}
	return e, nil
}

// nominationEligibility gathers the facts for one student and year, with one user error per
// unmet condition in the order NOT_ELIGIBLE (enrollment, hours), WINDOW_CLOSED, CONFLICT; their
// messages are the eligibility's reasons.
func (s *Service) nominationEligibility(ctx context.Context, studentNo string, y AcademicYear) (*NominationEligibility, []UserError, error) {
	e := &NominationEligibility{AcademicYear: y.Name, OpensAt: y.NominationOpensAt, ClosesAt: y.NominationClosesAt,
		HoursRequired: y.NominationMinHours, WindowOpen: y.NominationOpenAt(s.now())}
	var errs []UserError
	st, err := s.student(ctx, studentNo)
	switch {
	case errors.Is(err, ErrNoRows):
		errs = append(errs, UserError{Code: UserErrNotEligible, Message: Message(ctx, "noEnrollment", studentNo)})
	case err != nil:
		return nil, nil, err
	case !st.Enrolled:
		errs = append(errs, UserError{Code: UserErrNotEligible, Message: Message(ctx, "notEnrolled")})
	default:
		e.Enrolled = true
	}
	first, last := y.Months()
	hs, err := s.store.StudentHours(ctx, []HoursRange{{StudentYear: StudentYear{StudentNo: studentNo, AcademicYear: y.Name}, First: first, Last: last}})
	if err != nil {
		return nil, nil, err
	}
	if len(hs) > 0 {
		e.HoursWorked = roundHours(hs[0].Hours)
	}
	if e.HoursWorked < e.HoursRequired {
		errs = append(errs, UserError{Code: UserErrNotEligible,
			Message: Message(ctx, "nominationHours", y.Name, fmtHours(e.HoursWorked), fmtHours(e.HoursRequired))})
	}
	if !e.WindowOpen {
		errs = append(errs, nominationWindowClosed(ctx, []string{"input", "academicYear"}, y))
	}
	switch _, err := s.store.CurrentNomination(ctx, studentNo, y.Name); {
	case err == nil:
		e.AlreadySubmitted = true
		errs = append(errs, alreadyNominated(ctx, y.Name))
	case !errors.Is(err, ErrNoRows):
		return nil, nil, err
	}
	e.Eligible = len(errs) == 0
	e.Reasons = make([]string, len(errs))
	for i, ue := range errs {
		e.Reasons[i] = ue.Message
	}
	return e, errs, nil
}

func nominationWindowClosed(ctx context.Context, path []string, y AcademicYear) UserError {
	return UserError{Code: UserErrWindowClosed, Field: path,
		Message: Message(ctx, "nominationWindow", y.Name, fmtTime(y.NominationOpensAt), fmtTime(y.NominationClosesAt))}
}

func alreadyNominated(ctx context.Context, year string) UserError {
	return UserError{Code: UserErrConflict, Field: []string{"input", "academicYear"}, Message: Message(ctx, "alreadyNominated", year)}
}

// SubmitNomination nominates the calling student for in.AcademicYear (student). Every failing
// condition is reported at once, in this order: NOT_ELIGIBLE without an enrollment record, when
// not enrolled, or with fewer recorded hours in the year than its minimum; WINDOW_CLOSED outside
// the year's nomination window; CONFLICT when a nomination of the year that is not WITHDRAWN
// exists, also when two arrive at once (the database's unique index decides); VALIDATION on
// input.reason unless it has 500..5000 characters after trimming, and on input.academicYear for
// a malformed or unknown year (then only the input is checked).
func (s *Service) SubmitNomination(ctx context.Context, in NominationInput) (*Nomination, error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	reason, reasonErrs := checkReason(ctx, []string{"input", "reason"}, in.Reason)
	invalid := append(s.check(ctx, in, "input"), reasonErrs...)
	y, err := s.store.AcademicYear(ctx, in.AcademicYear)
	if errors.Is(err, ErrNoRows) {
		if ValidYearName(in.AcademicYear) {
			invalid = append(invalid, fieldErr(ctx, []string{"input", "academicYear"}, "noSuchYear", Shorten(in.AcademicYear)))
		}
		return nil, UserErrors(invalid)
	}
	if err != nil {
		return nil, fmt.Errorf("submit nomination: year %s: %w", in.AcademicYear, err)
	}
	_, errs, err := s.nominationEligibility(ctx, p.StudentNo, y)
	if err != nil {
		return nil, fmt.Errorf("submit nomination %s/%s: %w", p.StudentNo, y.Name, err)
	}
	if errs = append(errs, invalid...); len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	now := s.now()
	var n Nomination
	err = s.inTx(ctx, func(tx Tx) error {
		var err error
		n, err = tx.InsertNomination(ctx, Nomination{StudentNo: p.StudentNo, AcademicYear: y.Name, Reason: reason,
			Status: NominationSubmitted, SubmittedAt: now, UpdatedAt: now})
		if err != nil {
			return err
		}
		return tx.AppendNominationEvent(ctx, NominationEvent{ObjectID: n.ID, To: n.Status, Actor: actorName(p), At: now})
	})
	var ce *ConstraintError
	if errors.As(err, &ce) && ce.Unique {
		return nil, UserErrors{alreadyNominated(ctx, y.Name)}
	}
	if err != nil {
		return nil, fmt.Errorf("submit nomination %s/%s: %w", p.StudentNo, y.Name, err)
	}
	return &n, nil
}

// UpdateNomination replaces the reason of the caller's own SUBMITTED nomination while the year's
// window is open (student). Refusals, all reported at once: INVALID_TRANSITION naming the status
// unless SUBMITTED; WINDOW_CLOSED outside the window; VALIDATION on reason unless it has
// 500..5000 characters after trimming. Another student's nomination is NOT_FOUND.
func (s *Service) UpdateNomination(ctx context.Context, id int64, reason string) (*Nomination, error) {
	reason, errs := checkReason(ctx, []string{"reason"}, reason)
	return take(ctx, s, nominations, step[Nomination, NominationStatus, NominationAction]{action: NominationEdit, id: id,
		rules: s.nominationRules(ctx, errs),
		write: func(tx Tx, _ Nomination, a Arrow[NominationStatus, NominationAction], c Change) (Nomination, error) {
			return tx.UpdateNominationReason(ctx, id, a.From, reason, c.At)
		}})
}

// WithdrawNomination moves the caller's own SUBMITTED nomination to WITHDRAWN while the year's
// window is open (student); it stays for the record and a new nomination may follow. Refusals:
// INVALID_TRANSITION naming the status unless SUBMITTED, WINDOW_CLOSED outside the window.
// Another student's nomination is NOT_FOUND.
func (s *Service) WithdrawNomination(ctx context.Context, id int64) (*Nomination, error) {
	return take(ctx, s, nominations, step[Nomination, NominationStatus, NominationAction]{action: NominationWithdraw, id: id,
		rules: s.nominationRules(ctx, nil)})
}

// ReviewNomination decides a SUBMITTED nomination (admin): AWARDED when awarded, else
// NOT_AWARDED, recording the time, the reviewer (the token's subject) and the comment (trimmed,
// blank is none). Returns NOT_FOUND for a missing nomination, and these refusals at once:
// INVALID_TRANSITION naming the status unless SUBMITTED, also for the loser of two concurrent
// reviews; VALIDATION on comment past 1000 characters.
func (s *Service) ReviewNomination(ctx context.Context, id int64, awarded bool, comment *string) (*Nomination, error) {
	var errs []UserError
	note := ""
	if comment != nil {
		note = strings.TrimSpace(*comment)
		if n := utf8.RuneCountInString(note); n > MaxCommentChars {
			errs = append(errs, fieldErr(ctx, []string{"comment"}, "maxChars", label(ctx, "comment"), strconv.Itoa(MaxCommentChars), n))
		}
	}
	to := NominationNotAwarded
	if awarded {
		to = NominationAwarded
	}
	return take(ctx, s, nominations, step[Nomination, NominationStatus, NominationAction]{action: NominationReview, to: to, id: id,
		note: note, rules: s.nominationRules(ctx, errs)})
}

// nominationRules are the checks of a change besides its status: a student changes a nomination
// only while its year's window is open; errs are the input's own refusals.
func (s *Service) nominationRules(ctx context.Context, errs []UserError) func(Tx, *Nomination, Change) ([]UserError, error) {
	return func(tx Tx, n *Nomination, c Change) ([]UserError, error) {
		var out []UserError
		if c.Actor.Role == auth.RoleStudent {
			y, err := tx.AcademicYear(ctx, n.AcademicYear)
			if err != nil {
				return nil, fmt.Errorf("year %s: %w", n.AcademicYear, err)
			}
			if !y.NominationOpenAt(c.At) {
				out = append(out, nominationWindowClosed(ctx, nil, y))
			}
		}
		return append(out, errs...), nil
	}
}

// nominations drives NominationMachine: students act on their own nominations, admin on any, and
// every refusal (status, window, input) is reported at once. Its write records the review, with
// the step's note as the comment, on an arrow into ReviewedStatuses.
var nominations = kind[Nomination, NominationStatus, NominationAction]{
	name:    "nomination",
	machine: NominationMachine,
	lock:    func(ctx context.Context, tx Tx, id int64) (Nomination, error) { return tx.NominationForUpdate(ctx, id) },
	status:  func(n Nomination) NominationStatus { return n.Status },
	visible: func(p *auth.Principal, n Nomination) bool {
		return p.Role != auth.RoleStudent || n.StudentNo == p.StudentNo
	},
	together: true,
	refused: func(ctx context.Context, cur NominationStatus, a NominationAction) string {
		return Message(ctx, "badNominationTransition", cur.Label(), cur, label(ctx, string(a)))
	},
	write: func(ctx context.Context, tx Tx, n Nomination, a Arrow[NominationStatus, NominationAction], c Change) (Nomination, error) {
		var reviewer, comment *string
		if slices.Contains(ReviewedStatuses, a.To) {
			r := actorName(c.Actor)
			reviewer = &r
			if c.Note != "" {
				comment = &c.Note
			}
		}
		return tx.SetNominationStatus(ctx, n.ID, a.From, a.To, c.At, reviewer, comment)
	},
	record: func(ctx context.Context, tx Tx, id int64, a Arrow[NominationStatus, NominationAction], c Change) error {
		return tx.AppendNominationEvent(ctx, NominationEvent{ObjectID: id, From: &a.From, To: a.To, Actor: actorName(c.Actor), Note: c.Note, At: c.At})
	},
}

// MyNominations lists the calling student's nominations of every year, WITHDRAWN ones included,
// newest year first (student).
func (s *Service) MyNominations(ctx context.Context) ([]Nomination, error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	ns, err := s.store.NominationsOf(ctx, p.StudentNo)
	if err != nil {
		return nil, fmt.Errorf("nominations of %s: %w", p.StudentNo, err)
	}
	return ns, nil
}

// Nominations lists a year's nominations newest first (admin): of one status when given, else
// all but WITHDRAWN ones. Returns BAD_USER_INPUT for a page size outside 1..MaxPage or a cursor
// not made here, and NOT_FOUND when the year does not exist.
func (s *Service) Nominations(ctx context.Context, year string, status *NominationStatus, page PageArgs) (*Page[Nomination], error) {
	if _, err := requireRole(ctx, auth.RoleAdmin); err != nil {
		return nil, err
	}
	limit, after, err := pageBounds(ctx, page)
	if err != nil {
		return nil, err
	}
	if _, err := s.reviewYear(ctx, year); err != nil {
		return nil, err
	}
	rows, err := s.store.ListNominations(ctx, year, status, after, limit+1)
	if err != nil {
		return nil, fmt.Errorf("nominations of %s: %w", year, err)
	}
	res := newPage(rows, limit, func(n Nomination) int64 { return n.ID })
	if page.WithTotal {
		if res.TotalCount, err = s.store.CountNominations(ctx, year, status); err != nil {
			return nil, fmt.Errorf("count nominations of %s: %w", year, err)
		}
	}
	return &res, nil
}

// reviewYear returns the academic year whose nominations are listed, or NOT_FOUND when it does
// not exist.
func (s *Service) reviewYear(ctx context.Context, year string) (AcademicYear, error) {
	y, err := s.store.AcademicYear(ctx, year)
	if errors.Is(err, ErrNoRows) {
		return y, notFound(ctx, "academicYear", year)
	} else if err != nil {
		return y, fmt.Errorf("nominations of %s: %w", year, err)
	}
	return y, nil
}

// NominationHistories returns the histories of the given nominations, oldest first. Dataloaders
// call it for Nomination.history, whose nominations the caller (their student, or admin) was
// already allowed to see.
func (s *Service) NominationHistories(ctx context.Context, ids []int64) ([]NominationEvent, error) {
	es, err := s.store.NominationEventsOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("nomination histories: %w", err)
	}
	viewer, _ := auth.FromContext(ctx)
	for i := range es {
		es[i].Actor = actorShown(ctx, viewer, es[i].Actor, nominationActorRole(es[i]), "")
	}
	return es, nil
}

// nominationActorRole is who made a line of a nomination's history, as NominationMachine says:
// the student submits (from null) and takes their arrows, admin reviews. A line of no arrow
// counts as admin's, so a student is never shown a subject that may not be theirs.
func nominationActorRole(e NominationEvent) auth.Role {
	if e.From == nil {
		return auth.RoleStudent
	}
	for _, a := range NominationMachine.Arrows {
		if a.From == *e.From && a.To == e.To {
			return a.By
		}
	}
	return auth.RoleAdmin
}

// ReviewerShown is a nomination's reviewer as actorShown names an admin to the caller: the
// token's subject for admin, the graduate school for the student; nil before the review.
func ReviewerShown(ctx context.Context, n *Nomination) *string {
	if n.Reviewer == nil {
		return nil
	}
	viewer, _ := auth.FromContext(ctx)
	r := actorShown(ctx, viewer, *n.Reviewer, auth.RoleAdmin, "")
	return &r
}
