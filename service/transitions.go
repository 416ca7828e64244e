package service

import (
	"context"
	"slices"

	"github.com/zhuguan/zhuguan/auth"
)

// ApplicationStatus is an application's place in the hire state machine.
type ApplicationStatus string

// The statuses of SPEC.md's diagram. APPLIED waits for the unit; HIRED waits for the student to
// confirm or decline; CONFIRMED is an employment that goes on and DISMISSED one the unit ended;
// REJECTED (by the unit), DECLINED (by the student, after a hire) and WITHDRAWN (by the student,
// before one) are final. APPLIED, HIRED and CONFIRMED are live.
const (
	AppApplied   ApplicationStatus = "APPLIED"
	AppHired     ApplicationStatus = "HIRED"
	AppConfirmed ApplicationStatus = "CONFIRMED"
	AppRejected  ApplicationStatus = "REJECTED"
	AppDeclined  ApplicationStatus = "DECLINED"
	AppWithdrawn ApplicationStatus = "WITHDRAWN"
	AppDismissed ApplicationStatus = "DISMISSED"
)

// AllApplicationStatuses lists every status, in the order of the diagram.
var AllApplicationStatuses = []ApplicationStatus{AppApplied, AppHired, AppConfirmed, AppRejected, AppDeclined, AppWithdrawn, AppDismissed}

// statusLabels are the statuses' display labels, {Chinese, English}.
var statusLabels = map[ApplicationStatus][2]string{
	AppApplied: {"已申请", "Applied"}, AppHired: {"已聘用", "Hired"}, AppConfirmed: {"已聘已确认", "Confirmed"},
	AppDismissed: {"已解聘", "Dismissed"}, AppRejected: {"未录用", "Rejected"}, AppDeclined: {"已放弃", "Declined"},
	AppWithdrawn: {"已撤回", "Withdrawn"},
}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool { _, ok := statusLabels[s]; return ok }

// Label is the Chinese display label of s (已聘已确认, 已解聘, ...).
func (s ApplicationStatus) Label() string { return statusLabels[s][Chinese] }

// LabelIn is the display label of s in the caller's language.
func (s ApplicationStatus) LabelIn(ctx context.Context) string { return statusLabels[s][localeOf(ctx)] }

// The sets of statuses that rules depend on. The store builds its SQL from them; where the
// schema repeats one (a CHECK, a partial index), a test of package db compares the two.
var (
	// LiveStatuses still hold the student's place: at most one live application per position.
	LiveStatuses = []ApplicationStatus{AppApplied, AppHired, AppConfirmed}
	// HeadcountStatuses take one of a position's places.
	HeadcountStatuses = []ApplicationStatus{AppHired, AppConfirmed}
	// EmployedStatuses are those of an employment: CONFIRMED started it, DISMISSED ended it.
	EmployedStatuses = []ApplicationStatus{AppConfirmed, AppDismissed}
	// WorkingStatuses are those of an employment that goes on, whose hours count toward the
	// student's weekly cap.
	WorkingStatuses = []ApplicationStatus{AppConfirmed}
	// EndedStatuses are those of an employment that ended, with its end time and reason.
	EndedStatuses = []ApplicationStatus{AppDismissed}
)

// Live reports whether s still holds the student's place: at most one live application per position.
func (s ApplicationStatus) Live() bool { return slices.Contains(LiveStatuses, s) }

// Event is what happened to an application: a transition, or a work record written for it.
type Event string

// The events of the timeline: APPLY creates the application, one event per arrow of
// ApplicationMachine moves it, and RECORD_WORK or CORRECT_WORK says a month's work record was
// written for the first time or written again.
const (
	EventApply       Event = "APPLY"
	EventWithdraw    Event = "WITHDRAW"
	EventHire        Event = "HIRE"
	EventReject      Event = "REJECT"
	EventConfirm     Event = "CONFIRM"
	EventDecline     Event = "DECLINE"
	EventDismiss     Event = "DISMISS"
	EventRecordWork  Event = "RECORD_WORK"
	EventCorrectWork Event = "CORRECT_WORK"
)

// AllEvents lists every event of the timeline.
var AllEvents = []Event{EventApply, EventWithdraw, EventHire, EventReject, EventConfirm, EventDecline, EventDismiss,
	EventRecordWork, EventCorrectWork}

// ApplicationMachine is the hire state machine of SPEC.md: every arrow, and nothing else. Apply
// creates an application in APPLIED and is not an arrow between statuses.
var ApplicationMachine = Machine[ApplicationStatus, Event]{Arrows: []Arrow[ApplicationStatus, Event]{
	{Action: EventWithdraw, From: AppApplied, To: AppWithdrawn, By: auth.RoleStudent},
	{Action: EventHire, From: AppApplied, To: AppHired, By: auth.RoleUnitStaff},
	{Action: EventReject, From: AppApplied, To: AppRejected, By: auth.RoleUnitStaff},
	{Action: EventConfirm, From: AppHired, To: AppConfirmed, By: auth.RoleStudent},
	{Action: EventDecline, From: AppHired, To: AppDeclined, By: auth.RoleStudent},
	{Action: EventDismiss, From: AppConfirmed, To: AppDismissed, By: auth.RoleUnitStaff},
}}
