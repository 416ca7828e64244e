package service

import "github.com/zhuguan/zhuguan/auth"

// ApplicationStatus is an application's place in the hire state machine.
type ApplicationStatus string

// The statuses of SPEC.md's diagram; APPLIED, HIRED and CONFIRMED are live.
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

var statusLabels = map[ApplicationStatus]string{
	AppApplied: "已申请", AppHired: "已聘用", AppConfirmed: "已聘已确认", AppDismissed: "已解聘",
	AppRejected: "未录用", AppDeclined: "已放弃", AppWithdrawn: "已撤回",
}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool { _, ok := statusLabels[s]; return ok }

// Label is the Chinese display label of s (已聘已确认, 已解聘, ...).
func (s ApplicationStatus) Label() string { return statusLabels[s] }

// Live reports whether s still holds the student's place: at most one live application per position.
func (s ApplicationStatus) Live() bool { return s == AppApplied || s == AppHired || s == AppConfirmed }

// Event is what happened to an application: a transition, or a work record written for it.
type Event string

// The events of the timeline.
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

// Transition is one arrow of the hire state machine and the side that may take it.
type Transition struct {
	From, To ApplicationStatus
	By       auth.Role // RoleStudent or RoleUnitStaff; admin may act for any unit
}

// Transitions is the hire state machine of SPEC.md: every arrow, and nothing else. Apply creates an
// application in APPLIED and is not a transition between statuses.
var Transitions = map[Event]Transition{
	EventWithdraw: {From: AppApplied, To: AppWithdrawn, By: auth.RoleStudent},
	EventHire:     {From: AppApplied, To: AppHired, By: auth.RoleUnitStaff},
	EventReject:   {From: AppApplied, To: AppRejected, By: auth.RoleUnitStaff},
	EventConfirm:  {From: AppHired, To: AppConfirmed, By: auth.RoleStudent},
	EventDecline:  {From: AppHired, To: AppDeclined, By: auth.RoleStudent},
	EventDismiss:  {From: AppConfirmed, To: AppDismissed, By: auth.RoleUnitStaff},
}

// allowed reports whether event may be taken from status.
func allowed(event Event, from ApplicationStatus) bool {
	t, ok := Transitions[event]
	return ok && t.From == from
}
