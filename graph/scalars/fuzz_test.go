package scalars

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/service"
)

// The scalars' fuzz targets (scripts/fuzz.sh runs them; seeds in testdata/fuzz): whatever a
// client sends, a scalar either refuses it with a BAD_USER_INPUT whose message is short, valid
// text, or accepts a value within the bounds the database holds, which is written back in a
// form that reads as the same value.

// maxMessageRunes bounds a refusal's message: its sentence, plus at most service.MaxQuoted
// characters of the input (each escaped to at most 10 bytes, as \U0010ffff).
const maxMessageRunes = 200 + 10*service.MaxQuoted

// wantUserError fails unless err is a BAD_USER_INPUT *service.Error with a short, valid message.
func wantUserError(t *testing.T, in string, err error) {
	t.Helper()
	var se *service.Error
	if !errors.As(err, &se) || se.Code != service.CodeBadInput {
		t.Fatalf("%q: got error %#v, want a BAD_USER_INPUT *service.Error", in, err)
	}
	if !service.ValidText(se.Message) || utf8.RuneCountInString(se.Message) > maxMessageRunes {
		t.Fatalf("%q: got message %q, want valid text of at most %d characters", in, se.Message, maxMessageRunes)
	}
}

// written is what a marshaler writes, unquoted.
func written(t *testing.T, m graphql.ContextMarshaler) string {
	t.Helper()
	var b bytes.Buffer
	if err := m.MarshalGQLContext(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	s, err := strconv.Unquote(b.String())
	if err != nil {
		t.Fatalf("marshaled %s: not a quoted string: %v", b.String(), err)
	}
	return s
}

func FuzzMoney(f *testing.F) {
	ctx := service.WithLocale(context.Background(), service.English)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := UnmarshalMoney(ctx, s)
		if err != nil {
			wantUserError(t, s, err)
			return
		}
		if m > 1_000_000_000*100 || m < -1_000_000_000*100 {
			t.Fatalf("%q: got %d fen, want at most a billion yuan either way", s, m)
		}
		back, err := UnmarshalMoney(ctx, written(t, MarshalMoney(m)))
		if err != nil || back != m {
			t.Fatalf("%q: %d fen written as %q reads back as %d, %v", s, m, written(t, MarshalMoney(m)), back, err)
		}
	})
}

func FuzzMonth(f *testing.F) {
	ctx := service.WithLocale(context.Background(), service.English)
	f.Fuzz(func(t *testing.T, s string) {
		m, err := UnmarshalMonth(ctx, s)
		if err != nil {
			wantUserError(t, s, err)
			return
		}
		first, perr := time.Parse("2006-01", m)
		if perr != nil || !service.InYears(first) {
			t.Fatalf("%q: accepted %q, want a month of the years 0001..9999 (%v)", s, m, perr)
		}
		if w := written(t, MarshalMonth(m)); w != m {
			t.Fatalf("%q: written back as %q", m, w)
		}
	})
}

func FuzzDate(f *testing.F) {
	ctx := service.WithLocale(context.Background(), service.English)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := UnmarshalDate(ctx, s)
		if err != nil {
			wantUserError(t, s, err)
			return
		}
		if !service.InYears(d) || d.Location() != service.SchoolZone || d.Hour() != 0 || d.Minute() != 0 {
			t.Fatalf("%q: accepted %v, want a midnight in the school's zone in the years 0001..9999", s, d)
		}
		if w := written(t, MarshalDate(d)); w != s {
			t.Fatalf("%q: written back as %q", s, w)
		}
	})
}

func FuzzTime(f *testing.F) {
	ctx := service.WithLocale(context.Background(), service.English)
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := UnmarshalTime(ctx, s)
		if err != nil {
			wantUserError(t, s, err)
			return
		}
		if key := service.InstantProblem(tm); key != "" {
			t.Fatalf("%q: accepted %v, which has %s", s, tm, key)
		}
		w := written(t, MarshalTime(tm))
		back, err := UnmarshalTime(ctx, w)
		if err != nil || !back.Equal(tm.Truncate(time.Second)) {
			t.Fatalf("%q: %v written as %q reads back as %v, %v", s, tm, w, back, err)
		}
	})
}
