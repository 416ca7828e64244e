// Package auth verifies bearer tokens and carries the caller's Principal in the request context.
package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Role says whom a token speaks for.
type Role string

// The roles of API.md: a student (研究生) applies, works and nominates themselves; unit staff act
// for one employing unit (聘用单位) and its positions; admin runs the program for the school.
const (
	RoleStudent   Role = "STUDENT"
	RoleUnitStaff Role = "UNIT_STAFF"
	RoleAdmin     Role = "ADMIN"
)

// AllRoles lists the roles in the schema's order.
var AllRoles = []Role{RoleStudent, RoleUnitStaff, RoleAdmin}

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool { return slices.Contains(AllRoles, r) }

// Principal is the verified caller of a request.
type Principal struct {
	Subject   string
	Role      Role
	StudentNo string // set for RoleStudent
	UnitID    int64  // set for RoleUnitStaff
}

// Why a request has no principal; the service turns each into a message in the caller's language.
var (
	ErrNoToken      = errors.New("no bearer token")
	ErrBadHeader    = errors.New("authorization header is not 'Bearer <token>'")
	ErrExpired      = errors.New("token expired")
	ErrBadSignature = errors.New("token signature invalid")
	ErrMalformed    = errors.New("token malformed or not valid")
	ErrBadClaims    = errors.New("token claims invalid")
)

// claims is the token body of API.md: sub, role, studentNo, unitId, exp.
type claims struct {
	Role      Role   `json:"role"`
	StudentNo string `json:"studentNo,omitempty"`
	UnitID    string `json:"unitId,omitempty"`
	jwt.RegisteredClaims
}

// claimKind is the JSON type a claim must have.
type claimKind int

const (
	claimNumber claimKind = iota
	claimString
	claimAudience // a string or an array of strings (RFC 7519 4.1.3)
)

// claimKinds are the types of the registered claims (RFC 7519 4.1) and of API.md's own. The JWT
// library reads a NumericDate from a JSON string as well, and a wrong type elsewhere only as an
// unreadable token; checked first, each is refused by name.
var claimKinds = map[string]claimKind{
	"exp": claimNumber, "nbf": claimNumber, "iat": claimNumber,
	"sub": claimString, "iss": claimString, "jti": claimString, "aud": claimAudience,
	"role": claimString, "studentNo": claimString, "unitId": claimString,
}

// maxNumericDate is the last second of the year 9999: a time claim past it (or before 1970) is
// no time a token of ours carries, and the library's conversion of larger floats overflows.
const maxNumericDate = 253402300799

// UnmarshalJSON reads the token body after checking that each claim of claimKinds present, under
// any case of its name, has its type, and that the time claims are seconds within 0..maxNumericDate. Returns an error
// wrapping ErrBadClaims that names the claim otherwise.
func (c *claims) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for name, v := range raw {
		for claim, kind := range claimKinds {
			// encoding/json binds a key to a field whatever its case ("eXp" is exp; found by FuzzVerify).
			if strings.EqualFold(name, claim) {
				if err := checkClaim(name, kind, v); err != nil {
					return err
				}
			}
		}
	}
	type plain claims // without this method
	return json.Unmarshal(b, (*plain)(c))
}

func checkClaim(name string, kind claimKind, v json.RawMessage) error {
	switch kind {
	case claimNumber:
		var f float64
		if len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) || json.Unmarshal(v, &f) != nil {
			return fmt.Errorf("%w: %s must be a JSON number", ErrBadClaims, name)
		}
		if f < 0 || f > maxNumericDate {
			return fmt.Errorf("%w: %s must be seconds between 0 and %d", ErrBadClaims, name, maxNumericDate)
		}
	case claimString:
		var s string
		if json.Unmarshal(v, &s) != nil {
			return fmt.Errorf("%w: %s must be a JSON string", ErrBadClaims, name)
		}
	case claimAudience:
		var s string
		var list []string
		if json.Unmarshal(v, &s) != nil && json.Unmarshal(v, &list) != nil {
			return fmt.Errorf("%w: %s must be a JSON string or an array of strings", ErrBadClaims, name)
		}
	}
	return nil
}

// Verifier checks HS256 tokens signed with one secret.
type Verifier struct {
	secret []byte
	parser *jwt.Parser
	// verified remembers tokens that passed, until their expiry: a client sends the same token
	// with every request, and parsing and checking it again each time is a measurable share of a
	// small request's CPU.
	verified *lru.Cache[string, verifiedToken]
	now      func() time.Time
}

type verifiedToken struct {
	p   Principal
	exp time.Time
}

// verifiedTokens bounds the cache of verified tokens: about one per active user of a school
// (20,000 students); a few megabytes at most.
const verifiedTokens = 32768

// MinSecretLen is the shortest JWT_SECRET accepted: HS256 with fewer bytes is guessable.
const MinSecretLen = 16

// NewVerifier returns a Verifier for secret; it refuses secrets shorter than MinSecretLen.
func NewVerifier(secret string) (*Verifier, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("JWT_SECRET must be at least %d bytes, got %d", MinSecretLen, len(secret))
	}
	cache, err := lru.New[string, verifiedToken](verifiedTokens)
	if err != nil {
		return nil, fmt.Errorf("token cache: %w", err)
	}
	v := &Verifier{secret: []byte(secret), verified: cache, now: time.Now}
	v.parser = jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired(),
		jwt.WithLeeway(30*time.Second), jwt.WithTimeFunc(func() time.Time { return v.now() }))
	return v, nil
}

// Verify parses a compact HS256 JWT and returns its Principal. Returns ErrExpired (past exp, with
// 30 seconds of leeway), ErrBadSignature (also for an algorithm other than HS256), ErrMalformed for
// anything else the parser refuses (a missing exp, a token not yet valid), or an error wrapping
// ErrBadClaims for a claim of the wrong JSON type (an exp given as a string, a numeric sub), an
// unknown role or one without its studentNo or unitId; all are safe to show
// the caller. A token that passed is remembered until its exp, so a client's repeated token is
// not parsed again while it stays in the cache.
func (v *Verifier) Verify(token string) (*Principal, error) {
	p, _, err := v.verify(token)
	return p, err
}

// verify is Verify, with the token's expiry.
func (v *Verifier) verify(token string) (*Principal, time.Time, error) {
	if t, ok := v.verified.Get(token); ok && v.now().Before(t.exp) {
		p := t.p // a copy: callers may keep it
		return &p, t.exp, nil
	}
	var c claims
	_, err := v.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return v.secret, nil })
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, time.Time{}, ErrExpired
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return nil, time.Time{}, ErrBadSignature
	case errors.Is(err, ErrBadClaims):
		return nil, time.Time{}, claimsError(err)
	case err != nil:
		return nil, time.Time{}, ErrMalformed
	}
	p := &Principal{Subject: c.Subject, Role: c.Role}
	switch c.Role {
	case RoleStudent:
		if c.StudentNo == "" {
			return nil, time.Time{}, fmt.Errorf("%w: STUDENT token has no studentNo claim", ErrBadClaims)
		}
		p.StudentNo = c.StudentNo
	case RoleUnitStaff:
		id, err := strconv.ParseInt(c.UnitID, 10, 64)
		if err != nil || id <= 0 {
			return nil, time.Time{}, fmt.Errorf("%w: UNIT_STAFF token has no valid unitId claim (got %q)", ErrBadClaims, c.UnitID)
		}
		p.UnitID = id
	case RoleAdmin:
	default:
		return nil, time.Time{}, fmt.Errorf("%w: unknown role %q", ErrBadClaims, c.Role)
	}
	v.verified.Add(token, verifiedToken{p: *p, exp: c.ExpiresAt.Time}) // without the leeway: stricter than the parser
	return p, c.ExpiresAt.Time, nil
}

// claimsError finds, among the errors the library joined, the ErrBadClaims error UnmarshalJSON
// gave, whose text is safe to show the caller; err itself when there is none.
func claimsError(err error) error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			if errors.Is(e, ErrBadClaims) {
				return e
			}
		}
	}
	return err
}

// Sign issues an HS256 token for p that expires after ttl; used by the token subcommand, the demo
// seed and tests. It does not check p: a token that Verify would refuse can be signed.
func (v *Verifier) Sign(p Principal, ttl time.Duration) (string, error) {
	c := claims{
		Role:      p.Role,
		StudentNo: p.StudentNo,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   p.Subject,
			IssuedAt:  jwt.NewNumericDate(time.Now()),
			ExpiresAt: jwt.NewNumericDate(time.Now().Add(ttl)),
		},
	}
	if p.UnitID != 0 {
		c.UnitID = strconv.FormatInt(p.UnitID, 10)
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(v.secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

type ctxKey struct{}

type result struct {
	p   *Principal
	exp time.Time // the token's expiry; zero without a token
	err error
}

// FromContext returns the request's Principal, ErrNoToken when it carried none, or the reason its
// token was refused.
func FromContext(ctx context.Context) (*Principal, error) {
	r, ok := ctx.Value(ctxKey{}).(result)
	if !ok {
		return nil, ErrNoToken
	}
	return r.p, r.err
}

// WithPrincipal returns ctx carrying p as if its token had been verified; tests and the demo seed
// use it to act as someone without a token.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, result{p: p})
}

// Authenticate reads an Authorization header value and returns ctx with its Principal or with the
// reason it was refused; an empty header leaves the request anonymous.
func (v *Verifier) Authenticate(ctx context.Context, header string) context.Context {
	if header == "" {
		return ctx
	}
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return context.WithValue(ctx, ctxKey{}, result{err: ErrBadHeader})
	}
	p, exp, err := v.verify(strings.TrimSpace(token))
	return context.WithValue(ctx, ctxKey{}, result{p: p, exp: exp, err: err})
}

// ExpiresAt returns when the token of ctx's Principal expires; false when ctx carries no verified
// token. A connection that outlives one request (a websocket) must end then.
func ExpiresAt(ctx context.Context) (time.Time, bool) {
	r, ok := ctx.Value(ctxKey{}).(result)
	return r.exp, ok && r.err == nil && !r.exp.IsZero()
}
