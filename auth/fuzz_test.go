package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzVerify signs whatever token body it is given with the server's secret, as a holder of the
// secret could, and verifies it (scripts/fuzz.sh runs it; seeds in testdata/fuzz): Verify never
// panics, refuses with one of the documented reasons, and accepts only a principal of a known
// role with what that role needs, from claims of their registered types.
func FuzzVerify(f *testing.F) {
	v, err := NewVerifier(secret)
	if err != nil {
		f.Fatal(err)
	}
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	f.Fuzz(func(t *testing.T, body string) {
		unsigned := header + "." + base64.RawURLEncoding.EncodeToString([]byte(body))
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(unsigned))
		token := unsigned + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

		p, err := v.Verify(token)
		if err != nil {
			if !errors.Is(err, ErrExpired) && !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrBadClaims) {
				t.Fatalf("%q: got %v, want one of the documented refusals", body, err)
			}
			return
		}
		switch {
		case p.Role == RoleStudent && p.StudentNo == "",
			p.Role == RoleUnitStaff && p.UnitID <= 0,
			!p.Role.Valid():
			t.Fatalf("%q: accepted %+v", body, p)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &raw); err != nil {
			t.Fatalf("%q: accepted a body that is not a JSON object: %v", body, err)
		}
		for name, v := range raw { // encoding/json takes a key in any case
			var exp float64
			if strings.EqualFold(name, "exp") && (json.Unmarshal(v, &exp) != nil || v[0] == '"') {
				t.Fatalf("%q: accepted %s %s, want a JSON number", body, name, v)
			}
		}
		// A second Verify answers from the cache, with the same principal.
		if again, err := v.Verify(token); err != nil || *again != *p {
			t.Fatalf("%q: verified again as %+v, %v; want %+v", body, again, err, p)
		}
	})
}
