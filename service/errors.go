package service

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zhuguan/zhuguan/auth"
)

// Code is the `extensions.code` of a top-level GraphQL error.
type Code string

// Codes of failures that are not a mutation's userErrors: UNAUTHENTICATED, no valid token;
// FORBIDDEN, the caller's role may never do this; NOT_FOUND, the object does not exist or the
// caller may not see it (one answer for both, so ids cannot be probed); BAD_USER_INPUT, an
// argument or request that cannot be read at all.
const (
	CodeUnauthenticated Code = "UNAUTHENTICATED"
	CodeForbidden       Code = "FORBIDDEN"
	CodeNotFound        Code = "NOT_FOUND"
	CodeBadInput        Code = "BAD_USER_INPUT"
)

// Error is a failure whose Message is safe to show the caller; the error presenter turns Code into
// `extensions.code`. Anything that is not an *Error (after unwrapping) is reported as INTERNAL.
type Error struct {
	Code    Code
	Message string
}

// Error is the code and the message, for logs; clients see Message, with Code in extensions.
func (e *Error) Error() string { return strings.ToLower(string(e.Code)) + ": " + e.Message }

// UserErrorCode classifies an expected failure of a mutation.
type UserErrorCode string

// The codes of API.md's UserErrorCode enum: VALIDATION, an input field breaks a rule;
// INVALID_TRANSITION, the object's status does not allow the action; CONFLICT, it exists already
// (a unit's name, a live application, the year's nomination); WINDOW_CLOSED, outside the
// application or nomination window; HEADCOUNT_FULL, the position has hired its headcount;
// NOT_ELIGIBLE, the student does not meet the program's conditions; PROFILE_REQUIRED, no profile
// for the position's year; HOURS_CAP, the year's weekly or monthly cap on hours would be passed;
// MONTH_CLOSED, the month's pay sheet is closed;
// EMPLOYMENT_LIMIT, the student already holds the year's most concurrent employments.
const (
	UserErrValidation        UserErrorCode = "VALIDATION"
	UserErrInvalidTransition UserErrorCode = "INVALID_TRANSITION"
	UserErrConflict          UserErrorCode = "CONFLICT"
	UserErrWindowClosed      UserErrorCode = "WINDOW_CLOSED"
	UserErrHeadcountFull     UserErrorCode = "HEADCOUNT_FULL"
	UserErrNotEligible       UserErrorCode = "NOT_ELIGIBLE"
	UserErrProfileRequired   UserErrorCode = "PROFILE_REQUIRED"
	UserErrHoursCap          UserErrorCode = "HOURS_CAP"
	UserErrMonthClosed       UserErrorCode = "MONTH_CLOSED"
	UserErrEmploymentLimit   UserErrorCode = "EMPLOYMENT_LIMIT"
)

// UserError is one expected failure of a mutation, returned to the client as data.
type UserError struct {
	Code    UserErrorCode
	Field   []string // path to the input field, nil when no single field is at fault
	Message string
}

// UserErrors is returned by a mutation that refused its input; nothing was changed.
type UserErrors []UserError

// Error lists the refusals for logs and tests; resolvers hand them to the client as the payload's
// userErrors, never as a top-level error.
func (u UserErrors) Error() string {
	parts := make([]string, len(u))
	for i, e := range u {
		parts[i] = fmt.Sprintf("%s %s: %s", e.Code, strings.Join(e.Field, "."), e.Message)
	}
	return "user errors: " + strings.Join(parts, "; ")
}

// Sentinels the store returns; db translates driver errors into them at its edge.
var (
	// ErrNoRows means the row asked for does not exist.
	ErrNoRows = errors.New("no rows")
	// ErrCheckViolation means a CHECK or exclusion constraint refused a write that validation let through.
	ErrCheckViolation = errors.New("check violation")
	// ErrUnavailable means the database could not be reached, refused the connection or lost it
	// while the statement ran: nothing of the operation was committed (a transaction whose
	// connection is lost is rolled back by PostgreSQL), and the caller may retry it. The one
	// exception no client can rule out: a connection lost during COMMIT itself, after PostgreSQL
	// committed and before its answer arrived.
	ErrUnavailable = errors.New("database unavailable")
)

// ConstraintError is a unique or foreign-key violation, naming the constraint so the service can
// tell which rule was hit.
type ConstraintError struct {
	Constraint string
	Unique     bool
}

// Error names the constraint, for logs; the service turns the violations it expects into user errors.
func (e *ConstraintError) Error() string { return "constraint " + e.Constraint + " violated" }

// notFound is the one answer for an object that does not exist or that the caller may not see;
// an id given as text (a year's name, a student number) is cut as Quote cuts it.
func notFound(ctx context.Context, kind string, id any) error {
	if s, ok := id.(string); ok {
		id = Shorten(s)
	}
	return &Error{Code: CodeNotFound, Message: Message(ctx, "notFound", label(ctx, kind), id)}
}

// unitGone refuses unit staff whose token names a unit that does not exist (it was never created,
// or the token was signed for another database) anything done in the unit's name. It is found
// where the unit is used (a foreign key, a report's statement), never by a look-up of its own;
// reads of the unit's objects simply find none, and me.unit is null.
func unitGone(ctx context.Context, p *auth.Principal) error {
	return &Error{Code: CodeForbidden, Message: Message(ctx, "unitGone", p.UnitID)}
}

// BadInput is a top-level BAD_USER_INPUT error with the catalog message key, for arguments that
// cannot be read at all (a malformed scalar, a forged cursor, a page size out of range).
func BadInput(ctx context.Context, key string, args ...any) error {
	return &Error{Code: CodeBadInput, Message: Message(ctx, key, args...)}
}
