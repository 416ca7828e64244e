package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// Application is one student's application to one position; from CONFIRMED on it is also the
// employment (StartedAt set), which DISMISSED ends (EndedAt, EndReason).
type Application struct {
	ID         int64             `db:"id"`
	PositionID int64             `db:"position_id"`
	UnitID     int64             `db:"unit_id"` // the position's unit, for access checks
	StudentNo  string            `db:"student_no"`
	Status     ApplicationStatus `db:"status"`
	Phone      string            `db:"phone"`
	Email      string            `db:"email"`
	Reason     string            `db:"reason"`
	AppliedAt  time.Time         `db:"applied_at"`
	UpdatedAt  time.Time         `db:"updated_at"`
	StartedAt  *time.Time        `db:"started_at"`
	EndedAt    *time.Time        `db:"ended_at"`
	EndReason  *string           `db:"end_reason"`
}

// StatusLabel is the Chinese display label of the status.
func (a Application) StatusLabel() string { return a.Status.Label() }

// Employment returns the employment an application became, nil before CONFIRMED.
func (a Application) Employment() *Employment {
	if a.StartedAt == nil {
		return nil
	}
	return &Employment{ID: a.ID, StartedAt: *a.StartedAt, EndedAt: a.EndedAt, EndReason: a.EndReason}
}

// Employment is a confirmed hire; its id is its application's id.
type Employment struct {
	ID        int64
	StartedAt time.Time
	EndedAt   *time.Time
	EndReason *string
}

// TimelineEntry is one line of an application's append-only timeline.
type TimelineEntry struct {
	ID            int64              `db:"id"`
	ApplicationID int64              `db:"application_id"`
	Event         Event              `db:"event"`
	From          *ApplicationStatus `db:"from_status"`
	To            ApplicationStatus  `db:"to_status"`
	Actor         string             `db:"actor"`
	ActorRole     auth.Role          `db:"actor_role"`
	Note          string             `db:"note"`
	At            time.Time          `db:"at"`
	// UnitName is the application's unit, read with the entry and never stored: staff who act on
	// an application act for it, and a student is shown it in their place (see actorShown).
	UnitName string `db:"unit_name"`
}

// ApplyInput is a student's application; phone and email default to the enrollment record.
type ApplyInput struct {
	PositionID int64   `json:"positionId"`
	Phone      *string `json:"phone" validate:"omitnil,phone"`
	Email      *string `json:"email" validate:"omitnil,email,max=254"`
	Reason     string  `json:"reason" validate:"notblank,max=1000"`
}

// ApplyResult is a new application and the reminders that did not block it.
type ApplyResult struct {
	Application *Application
	Warnings    []string
}

// Apply creates an APPLIED application and starts its timeline (student). Returns NOT_FOUND for a
// position that is missing or was never published, and stops at the first of these refusals:
// VALIDATION for each bad input field; WINDOW_CLOSED outside the window or when the position is CLOSED;
// NOT_ELIGIBLE without an enrollment record, or when not enrolled or not full-time (both at once);
// PROFILE_REQUIRED without a profile for the position's year; CONFLICT when a live application
// exists, also when two arrive at once (the unique index decides). A phone or email unlike the
// enrollment record succeeds with a warning.
func (s *Service) Apply(ctx context.Context, in ApplyInput) (*ApplyResult, error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if errs := s.check(ctx, in, "input"); len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	pos, err := s.positionByID(ctx, in.PositionID)
	if err != nil {
		return nil, err
	}
	if pos == nil || !slices.Contains(PublishedStatuses, pos.Status) { // never shown to students
		return nil, notFound(ctx, "position", in.PositionID)
	}
	now := s.now()
	if !pos.OpenAt(now) {
		return nil, UserErrors{{Code: UserErrWindowClosed, Field: []string{"input", "positionId"},
			Message: Message(ctx, "windowClosed", fmtTime(pos.ApplyStart), fmtTime(pos.ApplyEnd), label(ctx, string(pos.Status)))}}
	}
	st, err := s.student(ctx, p.StudentNo)
	if errors.Is(err, ErrNoRows) {
		return nil, UserErrors{{Code: UserErrNotEligible, Message: Message(ctx, "noEnrollment", p.StudentNo)}}
	}
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	if errs := eligibility(ctx, st); len(errs) > 0 {
		return nil, UserErrors(errs)
	}
	if prof, err := s.profile(ctx, s.store, p.StudentNo, pos.AcademicYear); err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	} else if prof == nil {
		return nil, UserErrors{{Code: UserErrProfileRequired, Message: Message(ctx, "profileRequired", pos.AcademicYear)}}
	}

	a := Application{PositionID: pos.ID, UnitID: pos.UnitID, StudentNo: st.StudentNo, Status: AppApplied,
		Phone: st.Phone, Email: st.Email, Reason: in.Reason, AppliedAt: now}
	var warnings []string
	if in.Phone != nil && *in.Phone != st.Phone {
		a.Phone = *in.Phone
		warnings = append(warnings, Message(ctx, "contactDiffers", label(ctx, "phone"), st.Phone))
	}
	if in.Email != nil && *in.Email != st.Email {
		a.Email = *in.Email
		warnings = append(warnings, Message(ctx, "contactDiffers", label(ctx, "email"), st.Email))
	}
	err = s.inTx(ctx, func(tx Tx) error {
		saved, err := tx.InsertApplication(ctx, a)
		if err != nil {
			return err
		}
		a = saved
		return appendTimeline(ctx, tx, TimelineEntry{ApplicationID: a.ID, Event: EventApply, To: AppApplied,
			Actor: actorName(p), ActorRole: p.Role, At: now})
	})
	var ce *ConstraintError
	if errors.As(err, &ce) && ce.Unique {
		return nil, UserErrors{{Code: UserErrConflict, Field: []string{"input", "positionId"}, Message: Message(ctx, "alreadyApplied")}}
	}
	if err != nil {
		return nil, fmt.Errorf("apply to position %d: %w", in.PositionID, err)
	}
	if warnings == nil {
		warnings = []string{}
	}
	return &ApplyResult{Application: &a, Warnings: warnings}, nil
}

// eligibility lists the conditions of the program a student does not meet: enrolled, full-time.
func eligibility(ctx context.Context, st *Student) []UserError {
	var errs []UserError
	if !st.Enrolled {
		errs = append(errs, UserError{Code: UserErrNotEligible, Message: Message(ctx, "notEnrolled")})
	}
	if !st.FullTime {
		errs = append(errs, UserError{Code: UserErrNotEligible, Message: Message(ctx, "notFullTime")})
	}
	return errs
}

// Withdraw takes back an APPLIED application (its student). Returns NOT_FOUND for a missing
// application or another student's, INVALID_TRANSITION naming the status unless APPLIED.
func (s *Service) Withdraw(ctx context.Context, id int64) (*Application, error) {
	return take(ctx, s, applications, step[Application, ApplicationStatus, Event]{action: EventWithdraw, id: id})
}

// Hire moves an APPLIED application to HIRED (the position's unit, or admin). Returns NOT_FOUND for
// a missing application or another unit's, INVALID_TRANSITION unless APPLIED, and HEADCOUNT_FULL
// when the HeadcountStatuses already fill the headcount; concurrent hires are serialised on the
// position's row, so they can never pass it.
func (s *Service) Hire(ctx context.Context, id int64) (*Application, error) {
	return take(ctx, s, applications, step[Application, ApplicationStatus, Event]{action: EventHire, id: id,
		rules: func(tx Tx, a *Application, _ Change) ([]UserError, error) {
			headcount, err := tx.LockPositionHeadcount(ctx, a.PositionID)
			if err != nil {
				return nil, err
			}
			taken, err := tx.CountHired(ctx, a.PositionID) // a new statement: it sees hires committed before the lock
			if err != nil {
				return nil, err
			}
			if taken >= headcount {
				return []UserError{{Code: UserErrHeadcountFull, Message: Message(ctx, "headcountFull", headcount, taken)}}, nil
			}
			return nil, nil
		}})
}

// Reject refuses an APPLIED application (the position's unit, or admin), with an optional note of
// at most 500 characters, kept in the timeline. Returns VALIDATION past it, NOT_FOUND for a
// missing application or another unit's, INVALID_TRANSITION unless APPLIED.
func (s *Service) Reject(ctx context.Context, id int64, note *string) (*Application, error) {
	n := ""
	if note != nil {
		n = strings.TrimSpace(*note)
	}
	var input []UserError
	if len([]rune(n)) > 500 {
		input = append(input, fieldErr(ctx, []string{"note"}, "maxChars", label(ctx, "note"), "500", len([]rune(n))))
	}
	return take(ctx, s, applications, step[Application, ApplicationStatus, Event]{action: EventReject, id: id, note: n, input: input})
}

// Confirm accepts a HIRED application (its student) and starts the employment. Returns NOT_FOUND
// for a missing application or another student's, INVALID_TRANSITION unless HIRED, and, counting
// the student's WorkingStatuses employments whose positions' work periods overlap this one's:
// HOURS_CAP when their weekly hours plus this one's would pass the year's weekly cap, and
// EMPLOYMENT_LIMIT (naming them) when they already number the year's MaxConcurrentEmployments;
// both when both apply. Concurrent confirms by one student are serialised on the student's row.
func (s *Service) Confirm(ctx context.Context, id int64) (*Application, error) {
	return take(ctx, s, applications, step[Application, ApplicationStatus, Event]{action: EventConfirm, id: id,
		rules: func(tx Tx, a *Application, _ Change) ([]UserError, error) {
			if err := tx.LockStudent(ctx, a.StudentNo); err != nil {
				return nil, err
			}
			pos, err := tx.PositionsByID(ctx, []int64{a.PositionID})
			if err != nil || len(pos) == 0 {
				return nil, fmt.Errorf("position %d of application %d: %w", a.PositionID, a.ID, errors.Join(err, ErrNoRows))
			}
			year, err := tx.AcademicYear(ctx, pos[0].AcademicYear)
			if err != nil {
				return nil, fmt.Errorf("year %s: %w", pos[0].AcademicYear, err)
			}
			held, err := tx.HeldEmployments(ctx, a.StudentNo, pos[0].WorkStart, pos[0].WorkEnd)
			if err != nil {
				return nil, err
			}
			return confirmRules(ctx, year, pos[0], held), nil
		}})
}

// HeldEmployment is one of a student's ongoing employments, as the confirmation's caps count it.
type HeldEmployment struct {
	ApplicationID int64  `db:"id"`
	Title         string `db:"title"`
	WeeklyHours   int    `db:"weekly_hours"`
}

// confirmRules lists the year's caps that confirming pos would pass, given the employments the
// student holds whose work periods overlap it.
func confirmRules(ctx context.Context, year AcademicYear, pos Position, held []HeldEmployment) []UserError {
	var errs []UserError
	other := 0
	titles := make([]string, len(held))
	for i, h := range held {
		other += h.WeeklyHours
		titles[i] = h.Title
	}
	if other+pos.WeeklyHours > year.MaxWeeklyHours {
		errs = append(errs, UserError{Code: UserErrHoursCap, Message: Message(ctx, "weeklyCap", other, pos.WeeklyHours, year.Name, year.MaxWeeklyHours)})
	}
	if limit := year.MaxConcurrentEmployments; limit != nil && len(held) >= *limit {
		errs = append(errs, UserError{Code: UserErrEmploymentLimit,
			Message: Message(ctx, "employmentLimit", year.Name, *limit, len(held), strings.Join(titles, Message(ctx, "listSeparator")))})
	}
	return errs
}

// JobLimit is, for an application whose position's year limits concurrent employments, the limit
// and how many employments the student holds besides it whose work periods overlap its position's.
type JobLimit struct {
	ApplicationID int64 `db:"application_id"`
	Max           int   `db:"max"`
	Held          int   `db:"held"`
}

// Reached reports whether confirming the application would pass the limit.
func (l JobLimit) Reached() bool { return l.Held >= l.Max }

// JobLimits returns the limits of those of the applications whose year has one; dataloaders call
// it for Application.jobLimitReached, whose parents the caller was already allowed to see.
func (s *Service) JobLimits(ctx context.Context, ids []int64) ([]JobLimit, error) {
	ls, err := s.store.JobLimits(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("job limits: %w", err)
	}
	return ls, nil
}

// Decline turns down a HIRED application (its student). Returns NOT_FOUND for a missing
// application or another student's, INVALID_TRANSITION naming the status unless HIRED.
func (s *Service) Decline(ctx context.Context, id int64) (*Application, error) {
	return take(ctx, s, applications, step[Application, ApplicationStatus, Event]{action: EventDecline, id: id})
}

// Dismiss ends a CONFIRMED employment (the position's unit, or admin); the reason is required and
// kept as the employment's end reason. Returns VALIDATION when it is blank or past MaxNoteChars characters,
// NOT_FOUND for a missing application or another unit's, INVALID_TRANSITION unless CONFIRMED.
func (s *Service) Dismiss(ctx context.Context, id int64, reason string) (*Application, error) {
	reason, input := requiredNote(ctx, "reason", reason)
	return take(ctx, s, applications, step[Application, ApplicationStatus, Event]{action: EventDismiss, id: id, note: reason, input: input})
}

// applications drives the hire state machine. Its write starts the employment on an arrow into
// EmployedStatuses and ends it, with the note as its reason, on one into EndedStatuses.
var applications = kind[Application, ApplicationStatus, Event]{
	name:    "application",
	machine: ApplicationMachine,
	lock: func(ctx context.Context, tx Tx, id int64) (Application, error) {
		return tx.ApplicationForUpdate(ctx, id)
	},
	status:  func(a Application) ApplicationStatus { return a.Status },
	visible: canSeeApplication,
	refused: func(ctx context.Context, cur ApplicationStatus, e Event) string {
		return Message(ctx, "badAppTransition", cur.Label(), cur, label(ctx, string(e)))
	},
	write: func(ctx context.Context, tx Tx, a Application, arrow Arrow[ApplicationStatus, Event], c Change) (Application, error) {
		var e EmploymentChange
		if slices.Contains(EmployedStatuses, arrow.To) && a.StartedAt == nil {
			e.StartedAt = &c.At
		}
		if slices.Contains(EndedStatuses, arrow.To) {
			e.EndedAt, e.EndReason = &c.At, &c.Note
		}
		return tx.SetApplicationStatus(ctx, a.ID, arrow.From, arrow.To, c.At, e)
	},
	record: func(ctx context.Context, tx Tx, id int64, arrow Arrow[ApplicationStatus, Event], c Change) error {
		return appendTimeline(ctx, tx, TimelineEntry{ApplicationID: id, Event: arrow.Action, From: &arrow.From, To: arrow.To,
			Actor: actorName(c.Actor), ActorRole: c.Actor.Role, Note: c.Note, At: c.At})
	},
}

// EmploymentChange is what a transition changes of the employment: its start, or its end with
// the reason; nil fields stay as they are.
type EmploymentChange struct {
	StartedAt, EndedAt *time.Time
	EndReason          *string
}

// canSeeApplication reports whether p may see a: the student who applied, the position's unit,
// and admin.
func canSeeApplication(p *auth.Principal, a Application) bool {
	switch p.Role {
	case auth.RoleAdmin:
		return true
	case auth.RoleUnitStaff:
		return a.UnitID == p.UnitID
	default:
		return a.StudentNo == p.StudentNo
	}
}

// actorName is how the timeline names who acted: the token's subject, else role and number.
func actorName(p *auth.Principal) string {
	if p.Subject != "" {
		return p.Subject
	}
	switch p.Role {
	case auth.RoleStudent:
		return "student:" + p.StudentNo
	case auth.RoleUnitStaff:
		return fmt.Sprintf("unit:%d", p.UnitID)
	}
	return "admin"
}

// actorShown is how a history names to viewer who acted (recorded as actor, in role, for the
// object's unit unitName). Unit staff and admin see the token's subject as recorded, and so
// does a student for their own steps. For a staff member's step a student sees only the office
// that acted, the unit (聘用单位：<name>) or the graduate school (研究生院): a staff subject is an
// account of the school's, which tells a student nothing they need and names a person. Without
// a viewer nothing is shown but the office either.
func actorShown(ctx context.Context, viewer *auth.Principal, actor string, role auth.Role, unitName string) string {
	switch {
	case viewer != nil && viewer.Role != auth.RoleStudent, role == auth.RoleStudent:
		return actor
	case role == auth.RoleUnitStaff:
		return Message(ctx, "actorUnit", unitName)
	}
	return Message(ctx, "actorSchool")
}

// Application returns one application the caller may see (any role: see canSeeApplication);
// NOT_FOUND otherwise, as for an id that does not exist.
func (s *Service) Application(ctx context.Context, id int64) (*Application, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	return visibleByID(ctx, "application", id, s.store.ApplicationsByID, func(a Application) bool { return canSeeApplication(p, a) })
}

// Applicants lists a position's applications, of status when given (its unit, or admin): students
// with financial need first, then by application time. The flag itself never leaves the service,
// and the cursor is an offset so that it cannot carry it either. Returns NOT_FOUND for a missing
// position or another unit's, BAD_USER_INPUT for a page size outside 1..MaxPage or a bad cursor.
func (s *Service) Applicants(ctx context.Context, positionID int64, status *ApplicationStatus, page PageArgs) (*Page[Application], error) {
	if err := s.mayListApplicants(ctx, positionID); err != nil {
		return nil, err
	}
	limit, offset, err := pageBounds(ctx, page)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.ListApplicants(ctx, positionID, status, int(offset), limit+1)
	if err != nil {
		return nil, fmt.Errorf("applicants of position %d: %w", positionID, err)
	}
	res := newOffsetPage(rows, limit, int(offset))
	if page.WithTotal {
		if res.TotalCount, err = s.store.CountApplicants(ctx, positionID, status); err != nil {
			return nil, fmt.Errorf("count applicants of position %d: %w", positionID, err)
		}
	}
	return &res, nil
}

// mayListApplicants checks that the caller may list the applicants of the position: its unit's
// staff, or admin (FORBIDDEN for others); NOT_FOUND for a missing position or another unit's.
func (s *Service) mayListApplicants(ctx context.Context, positionID int64) error {
	p, err := requireRole(ctx, auth.RoleUnitStaff, auth.RoleAdmin)
	if err != nil {
		return err
	}
	_, err = s.visiblePosition(ctx, p, positionID)
	return err
}

// MyApplications lists the caller's applications, of status when given, newest first (student).
// Returns BAD_USER_INPUT for a page size outside 1..MaxPage or a cursor not made here.
func (s *Service) MyApplications(ctx context.Context, status *ApplicationStatus, page PageArgs) (*Page[Application], error) {
	p, err := requireRole(ctx, auth.RoleStudent)
	if err != nil {
		return nil, err
	}
	limit, after, err := pageBounds(ctx, page)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.ListStudentApplications(ctx, p.StudentNo, status, after, limit+1)
	if err != nil {
		return nil, fmt.Errorf("applications of %s: %w", p.StudentNo, err)
	}
	res := newPage(rows, limit, func(a Application) int64 { return a.ID })
	if page.WithTotal {
		if res.TotalCount, err = s.store.CountStudentApplications(ctx, p.StudentNo, status); err != nil {
			return nil, fmt.Errorf("count applications of %s: %w", p.StudentNo, err)
		}
	}
	return &res, nil
}

// LatestApplications returns, for a STUDENT caller, their newest application to each of the given
// positions (any role; none for other roles); dataloaders call it for Position.myApplication.
func (s *Service) LatestApplications(ctx context.Context, positionIDs []int64) ([]Application, error) {
	p, err := Caller(ctx)
	if err != nil || p.Role != auth.RoleStudent {
		return nil, err
	}
	as, err := s.store.LatestApplications(ctx, p.StudentNo, positionIDs)
	if err != nil {
		return nil, fmt.Errorf("latest applications of %s: %w", p.StudentNo, err)
	}
	return as, nil
}

// ApplicationsByID returns those of the applications that exist, in no particular order;
// dataloaders call it for nested application fields, whose parents the caller was already
// allowed to see.
func (s *Service) ApplicationsByID(ctx context.Context, ids []int64) ([]Application, error) {
	as, err := s.store.ApplicationsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("applications by id: %w", err)
	}
	return as, nil
}

// TimelinesOf returns the timeline entries of the given applications, oldest first, each actor
// as actorShown names it to the caller; dataloaders call it for Application.timeline, whose
// applications the caller was already allowed to see.
func (s *Service) TimelinesOf(ctx context.Context, ids []int64) ([]TimelineEntry, error) {
	es, err := s.store.EventsOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("timelines: %w", err)
	}
	viewer, _ := auth.FromContext(ctx)
	for i := range es {
		es[i].Actor = actorShown(ctx, viewer, es[i].Actor, es[i].ActorRole, es[i].UnitName)
	}
	return es, nil
}

// PositionsByID returns those of the positions that exist; dataloaders call it for nested
// position fields, whose parents the caller was already allowed to see.
func (s *Service) PositionsByID(ctx context.Context, ids []int64) ([]Position, error) {
	ps, err := s.store.PositionsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("positions by id: %w", err)
	}
	return ps, nil
}

func (s *Service) positionByID(ctx context.Context, id int64) (*Position, error) {
	ps, err := s.PositionsByID(ctx, []int64{id})
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}
