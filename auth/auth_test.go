package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const secret = "test-secret-0123456789abcdef"

func newVerifier(t *testing.T) *Verifier {
	t.Helper()
	v, err := NewVerifier(secret)
	if err != nil {
		t.Fatalf("NewVerifier: got %v, want nil", err)
	}
	return v
}

// hs256 signs arbitrary claims with key.
func hs256(t *testing.T, key string, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func exp(d time.Duration) int64 { return time.Now().Add(d).Unix() }

func TestNewVerifier(t *testing.T) {
	tests := []struct {
		secret  string
		wantErr bool
	}{
		{"", true},
		{strings.Repeat("x", 15), true},
		{strings.Repeat("x", 16), false},
		{strings.Repeat("x", 64), false},
	}
	for _, tt := range tests {
		v, err := NewVerifier(tt.secret)
		if (err != nil) != tt.wantErr || (err == nil) != (v != nil) {
			t.Errorf("NewVerifier(%d bytes): got %v, %v, want error %v", len(tt.secret), v, err, tt.wantErr)
		}
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	v := newVerifier(t)
	tests := []Principal{
		{Subject: "s-1", Role: RoleStudent, StudentNo: "20160931"},
		{Subject: "u-1", Role: RoleUnitStaff, UnitID: 7},
		{Subject: "u-2", Role: RoleUnitStaff, UnitID: 9223372036854775807},
		{Subject: "a-1", Role: RoleAdmin},
		{Subject: "", Role: RoleAdmin},
	}
	for _, want := range tests {
		tok, err := v.Sign(want, time.Hour)
		if err != nil {
			t.Fatalf("Sign(%+v): got %v, want nil", want, err)
		}
		got, err := v.Verify(tok)
		if err != nil || got == nil || *got != want {
			t.Errorf("Verify(Sign(%+v)): got %+v, %v, want %+v, nil", want, got, err, want)
		}
	}
}

func TestVerify(t *testing.T) {
	v := newVerifier(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rs256, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{"role": "ADMIN", "sub": "a", "exp": exp(time.Hour)}).SignedString(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"role": "ADMIN", "sub": "a", "exp": exp(time.Hour)}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"role": "ADMIN", "sub": "a", "exp": exp(time.Hour)}).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	valid := hs256(t, secret, jwt.MapClaims{"role": "ADMIN", "sub": "a", "exp": exp(time.Hour)})

	tests := []struct {
		name    string
		token   string
		want    *Principal
		wantErr string // substring of the error; "" means success
		wantIs  error  // the sentinel the error wraps; nil: any refusal
	}{
		{"student", hs256(t, secret, jwt.MapClaims{"sub": "s", "role": "STUDENT", "studentNo": "2016A01", "exp": exp(time.Hour)}),
			&Principal{Subject: "s", Role: RoleStudent, StudentNo: "2016A01"}, "", nil},
		{"unit staff", hs256(t, secret, jwt.MapClaims{"sub": "u", "role": "UNIT_STAFF", "unitId": "12", "exp": exp(time.Hour)}),
			&Principal{Subject: "u", Role: RoleUnitStaff, UnitID: 12}, "", nil},
		{"admin", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(time.Hour)}),
			&Principal{Subject: "a", Role: RoleAdmin}, "", nil},
		{"admin ignores other claims", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "studentNo": "x", "unitId": "3", "exp": exp(time.Hour)}),
			&Principal{Subject: "a", Role: RoleAdmin}, "", nil},
		{"student ignores unitId", hs256(t, secret, jwt.MapClaims{"sub": "s", "role": "STUDENT", "studentNo": "2016", "unitId": "3", "exp": exp(time.Hour)}),
			&Principal{Subject: "s", Role: RoleStudent, StudentNo: "2016"}, "", nil},
		{"expired within leeway", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(-10 * time.Second)}),
			&Principal{Subject: "a", Role: RoleAdmin}, "", nil},
		{"expired", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(-time.Minute)}), nil, "token expired", ErrExpired},
		{"wrong secret", hs256(t, "another-secret-0123456789", jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(time.Hour)}), nil, "signature invalid", ErrBadSignature},
		{"tampered payload", tamper(t, valid), nil, "signature invalid", ErrBadSignature},
		{"alg none", none, nil, "token", nil},
		{"RS256", rs256, nil, "token", nil},
		{"HS512 with the right secret", hs512, nil, "token", nil},
		{"missing exp", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN"}), nil, "not valid", ErrMalformed},
		{"not yet valid", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(2 * time.Hour), "nbf": exp(time.Hour)}), nil, "not valid", ErrMalformed},
		{"student without studentNo", hs256(t, secret, jwt.MapClaims{"sub": "s", "role": "STUDENT", "exp": exp(time.Hour)}), nil, "studentNo", ErrBadClaims},
		{"student with empty studentNo", hs256(t, secret, jwt.MapClaims{"sub": "s", "role": "STUDENT", "studentNo": "", "exp": exp(time.Hour)}), nil, "studentNo", ErrBadClaims},
		{"unit staff without unitId", hs256(t, secret, jwt.MapClaims{"sub": "u", "role": "UNIT_STAFF", "exp": exp(time.Hour)}), nil, "unitId", ErrBadClaims},
		{"unit staff unitId abc", hs256(t, secret, jwt.MapClaims{"sub": "u", "role": "UNIT_STAFF", "unitId": "abc", "exp": exp(time.Hour)}), nil, `"abc"`, ErrBadClaims},
		{"unit staff unitId 0", hs256(t, secret, jwt.MapClaims{"sub": "u", "role": "UNIT_STAFF", "unitId": "0", "exp": exp(time.Hour)}), nil, `"0"`, ErrBadClaims},
		{"unit staff unitId -4", hs256(t, secret, jwt.MapClaims{"sub": "u", "role": "UNIT_STAFF", "unitId": "-4", "exp": exp(time.Hour)}), nil, `"-4"`, ErrBadClaims},
		{"unknown role", hs256(t, secret, jwt.MapClaims{"sub": "x", "role": "ROOT", "exp": exp(time.Hour)}), nil, `unknown role "ROOT"`, ErrBadClaims},
		{"lower-case role", hs256(t, secret, jwt.MapClaims{"sub": "x", "role": "admin", "exp": exp(time.Hour)}), nil, `unknown role "admin"`, ErrBadClaims},
		{"no role", hs256(t, secret, jwt.MapClaims{"sub": "x", "exp": exp(time.Hour)}), nil, "unknown role", ErrBadClaims},
		{"exp a string", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": strconv.FormatInt(exp(time.Hour), 10)}), nil, "token claims invalid: exp must be a JSON number", ErrBadClaims},
		{"eXp a string", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(time.Hour), "eXp": "1"}), nil, "eXp must be a JSON number", ErrBadClaims},
		{"nbf a string", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(time.Hour), "nbf": "1"}), nil, "nbf must be a JSON number", ErrBadClaims},
		{"iat null", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": exp(time.Hour), "iat": nil}), nil, "iat must be a JSON number", ErrBadClaims},
		{"exp past the year 9999", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": 1e300}), nil, "exp must be seconds between 0 and", ErrBadClaims},
		{"exp negative", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": "ADMIN", "exp": -1}), nil, "exp must be seconds", ErrBadClaims},
		{"sub a number", hs256(t, secret, jwt.MapClaims{"sub": 7, "role": "ADMIN", "exp": exp(time.Hour)}), nil, "sub must be a JSON string", ErrBadClaims},
		{"aud a number", hs256(t, secret, jwt.MapClaims{"sub": "a", "aud": 7, "role": "ADMIN", "exp": exp(time.Hour)}), nil, "aud must be a JSON string or an array", ErrBadClaims},
		{"aud a list of strings", hs256(t, secret, jwt.MapClaims{"sub": "a", "aud": []string{"x"}, "role": "ADMIN", "exp": exp(time.Hour)}),
			&Principal{Subject: "a", Role: RoleAdmin}, "", nil},
		{"role a number", hs256(t, secret, jwt.MapClaims{"sub": "a", "role": 3, "exp": exp(time.Hour)}), nil, "role must be a JSON string", ErrBadClaims},
		{"unitId a number", hs256(t, secret, jwt.MapClaims{"sub": "u", "role": "UNIT_STAFF", "unitId": 12, "exp": exp(time.Hour)}), nil, "unitId must be a JSON string", ErrBadClaims},
		{"empty token", "", nil, "not valid", ErrMalformed},
		{"not a JWT", "x", nil, "not valid", ErrMalformed},
		{"two segments", "a.b", nil, "not valid", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(tt.token)
			checkPrincipal(t, got, err, tt.want, tt.wantErr, tt.wantIs)
		})
	}
}

// tamper changes the payload of a signed token and keeps the old signature.
func tamper(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("got %d segments, want 3", len(parts))
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"a","role":"ADMIN","exp":` + strconv.FormatInt(exp(24*time.Hour), 10) + `}`))
	return strings.Join(parts, ".")
}

func TestFromContextWithoutToken(t *testing.T) {
	p, err := FromContext(context.Background())
	if p != nil || !errors.Is(err, ErrNoToken) {
		t.Errorf("got %+v, %v, want nil, ErrNoToken", p, err)
	}
	want := &Principal{Role: RoleAdmin, Subject: "a"}
	p, err = FromContext(WithPrincipal(context.Background(), want))
	if err != nil || p != want {
		t.Errorf("got %+v, %v, want %+v, nil", p, err, want)
	}
}

func TestAuthenticate(t *testing.T) {
	v := newVerifier(t)
	student := Principal{Subject: "s", Role: RoleStudent, StudentNo: "20160931"}
	tok, err := v.Sign(student, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	expired, err := v.Sign(student, -time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		header  string
		want    *Principal
		wantErr string // substring of the error; "" means success
		wantIs  error  // the sentinel the error wraps
	}{
		{"no header is anonymous", "", nil, ErrNoToken.Error(), ErrNoToken},
		{"Bearer x", "Bearer x", nil, "not valid", ErrMalformed},
		{"bearer in lower case", "bearer " + tok, &student, "", nil},
		{"BEARER in upper case", "BEARER " + tok, &student, "", nil},
		{"Bearer with extra spaces", "Bearer   " + tok + " ", &student, "", nil},
		{"Bearer without token", "Bearer", nil, "Bearer <token>", ErrBadHeader},
		{"Bearer with blank token", "Bearer   ", nil, "Bearer <token>", ErrBadHeader},
		{"Basic", "Basic x", nil, "Bearer <token>", ErrBadHeader},
		{"token without scheme", tok, nil, "Bearer <token>", ErrBadHeader},
		{"expired", "Bearer " + expired, nil, "token expired", ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromContext(v.Authenticate(context.Background(), tt.header))
			if !checkPrincipal(t, got, err, tt.want, tt.wantErr, tt.wantIs) {
				return
			}
			if anonymous := tt.header == ""; anonymous != errors.Is(err, ErrNoToken) {
				t.Errorf("got errors.Is(err, ErrNoToken) = %v, want %v", !anonymous, anonymous)
			}
		})
	}
}

func TestRoleValid(t *testing.T) {
	tests := []struct {
		r    Role
		want bool
	}{
		{RoleStudent, true}, {RoleUnitStaff, true}, {RoleAdmin, true}, {"", false}, {"admin", false}, {"ROOT", false},
	}
	for _, tt := range tests {
		if got := tt.r.Valid(); got != tt.want {
			t.Errorf("Role(%q).Valid(): got %v, want %v", tt.r, got, tt.want)
		}
	}
}

// TestVerifiedTokenExpiresFromCache: a token verified once is refused once it has expired, even
// though the verifier remembers it.
func TestVerifiedTokenExpiresFromCache(t *testing.T) {
	v, err := NewVerifier("0123456789abcdef0123")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	v.now = func() time.Time { return start }
	tok, err := v.Sign(Principal{Subject: "s", Role: RoleStudent, StudentNo: "20160931"}, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second call is answered from the cache
		if p, err := v.Verify(tok); err != nil || p.StudentNo != "20160931" {
			t.Fatalf("verify %d: got %+v, %v, want the student", i, p, err)
		}
	}
	v.now = func() time.Time { return start.Add(11 * time.Minute) }
	if p, err := v.Verify(tok); !errors.Is(err, ErrExpired) {
		t.Fatalf("after expiry: got %+v, %v, want ErrExpired", p, err)
	}
}

// checkPrincipal compares a verification's outcome: want and no error when wantErr is empty,
// else no principal and an error containing wantErr (and wrapping wantIs when set). It reports
// whether an error was expected, so callers can check more of it.
func checkPrincipal(t *testing.T, got *Principal, err error, want *Principal, wantErr string, wantIs error) bool {
	t.Helper()
	if wantErr == "" {
		if err != nil || got == nil || *got != *want {
			t.Fatalf("got %+v, %v, want %+v, nil", got, err, want)
		}
		return false
	}
	if err == nil || got != nil {
		t.Fatalf("got %+v, %v, want nil and an error containing %q", got, err, wantErr)
	}
	if !strings.Contains(err.Error(), wantErr) {
		t.Errorf("got error %q, want it to contain %q", err, wantErr)
	}
	if wantIs != nil && !errors.Is(err, wantIs) {
		t.Errorf("got error %q, want one wrapping %q", err, wantIs)
	}
	return true
}
