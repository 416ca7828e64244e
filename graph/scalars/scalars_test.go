package scalars

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/service"
)

func marshal(m graphql.ContextMarshaler) string {
	var b bytes.Buffer
	if err := m.MarshalGQLContext(context.Background(), &b); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

var ctx = context.Background()

func TestUnmarshalID(t *testing.T) {
	tests := []struct {
		name    string
		in      any
		want    int64
		wantErr bool
	}{
		{"string", "42", 42, false},
		{"int64", int64(42), 42, false},
		{"int", 42, 42, false},
		{"largest", "9223372036854775807", 9223372036854775807, false},
		{"zero string", "0", 0, true},
		{"zero int", 0, 0, true},
		{"negative string", "-1", 0, true},
		{"negative int64", int64(-1), 0, true},
		{"letters", "abc", 0, true},
		{"empty", "", 0, true},
		{"spaces", " 42", 0, true},
		{"overflow", "9223372036854775808", 0, true},
		{"float", 4.2, 0, true},
		{"float whole", 42.0, 0, true},
		{"bool", true, 0, true},
		{"nil", nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := UnmarshalID(ctx, tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("UnmarshalID(%#v): got %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestUnmarshalIDJSONNumber: gqlgen decodes request variables with UseNumber, so {"id": 42} in the
// variables reaches the scalar as json.Number; GraphQL's ID input coercion accepts integers.
func TestUnmarshalIDJSONNumber(t *testing.T) {
	tests := []struct {
		in      json.Number
		want    int64
		wantErr bool
	}{
		{"42", 42, false},
		{"4.2", 0, true},
		{"0", 0, true},
		{"-7", 0, true},
		{"1e3", 0, true},
	}
	for _, tt := range tests {
		got, err := UnmarshalID(ctx, tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("UnmarshalID(json.Number(%q)): got %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestScalarErrors: a malformed scalar is a BAD_USER_INPUT error in the caller's language that
// shows the value received.
func TestScalarErrors(t *testing.T) {
	en := service.WithLocale(context.Background(), service.English)
	zh := context.Background()
	tests := []struct {
		name string
		err  func(context.Context) error
		en   []string
		zh   []string
	}{
		{"ID letters", func(c context.Context) error { _, err := UnmarshalID(c, "abc"); return err },
			[]string{"ID", `"abc"`}, []string{"ID", `"abc"`}},
		{"ID float", func(c context.Context) error { _, err := UnmarshalID(c, 4.2); return err },
			[]string{"ID", "4.2"}, []string{"ID", "4.2"}},
		{"Time without offset", func(c context.Context) error { _, err := UnmarshalTime(c, "2026-09-01T08:00:00"); return err },
			[]string{"RFC 3339", `"2026-09-01T08:00:00"`}, []string{"RFC 3339", `"2026-09-01T08:00:00"`}},
		{"Date not in the calendar", func(c context.Context) error { _, err := UnmarshalDate(c, "2026-02-30"); return err },
			[]string{"Date", `"2026-02-30"`}, []string{"日期", `"2026-02-30"`}},
		{"Month 13", func(c context.Context) error { _, err := UnmarshalMonth(c, "2026-13"); return err },
			[]string{"Month", `"2026-13"`}, []string{"月份", `"2026-13"`}},
		{"Money number", func(c context.Context) error { _, err := UnmarshalMoney(c, 2500); return err },
			[]string{"Money", "2500"}, []string{"金额", "2500"}},
		{"Money three places", func(c context.Context) error { _, err := UnmarshalMoney(c, "1.234"); return err },
			[]string{"Money", `"1.234"`}, []string{"金额", `"1.234"`}},
		{"Time offset +16:00", func(c context.Context) error { _, err := UnmarshalTime(c, "2026-09-01T08:00:00+16:00"); return err },
			[]string{"offset", "15:59", `"2026-09-01T08:00:00+16:00"`}, []string{"时区偏移", "15:59"}},
		{"Time year 0", func(c context.Context) error { _, err := UnmarshalTime(c, "0000-12-31T08:00:00Z"); return err },
			[]string{"0001 to 9999", `"0000-12-31T08:00:00Z"`}, []string{"0001 年到 9999 年"}},
		{"Time year 0 in UTC", func(c context.Context) error { _, err := UnmarshalTime(c, "0001-01-01T00:00:00+08:00"); return err },
			[]string{"0001 to 9999", "in UTC"}, []string{"0001 年到 9999 年"}},
		{"Time year 10000 in Beijing", func(c context.Context) error { _, err := UnmarshalTime(c, "9999-12-31T20:00:00Z"); return err },
			[]string{"0001 to 9999", "Beijing"}, []string{"北京时间"}},
		{"Date year 0", func(c context.Context) error { _, err := UnmarshalDate(c, "0000-09-01"); return err },
			[]string{"Date's year", "0001", `"0000-09-01"`}, []string{"日期的年份", "0001"}},
		{"Month year 0", func(c context.Context) error { _, err := UnmarshalMonth(c, "0000-09"); return err },
			[]string{"Month's year", "0001", `"0000-09"`}, []string{"月份的年份", "0001"}},
		{"Month with NUL", func(c context.Context) error { _, err := UnmarshalMonth(c, "2026-0\x001"); return err },
			[]string{"Month", `"2026-0\x001"`}, []string{"月份"}},
		{"long Money cut", func(c context.Context) error { _, err := UnmarshalMoney(c, strings.Repeat("9", 500)); return err },
			[]string{"Money", `"` + strings.Repeat("9", service.MaxQuoted) + `…"`}, []string{"金额", "…"}},
	}
	for _, tt := range tests {
		for _, lang := range []struct {
			name string
			ctx  context.Context
			want []string
		}{{"en", en, tt.en}, {"zh", zh, tt.zh}} {
			err := tt.err(lang.ctx)
			var e *service.Error
			if !errors.As(err, &e) || e.Code != service.CodeBadInput {
				t.Errorf("%s %s: got %#v, want *service.Error with code %s", tt.name, lang.name, err, service.CodeBadInput)
				continue
			}
			for _, w := range lang.want {
				if !strings.Contains(e.Message, w) {
					t.Errorf("%s %s: got message %q, want it to contain %q", tt.name, lang.name, e.Message, w)
				}
			}
		}
	}
}

func TestMarshalID(t *testing.T) {
	if got, want := marshal(MarshalID(42)), `"42"`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestUnmarshalTime(t *testing.T) {
	tests := []struct {
		in      any
		want    time.Time
		wantErr bool
	}{
		{"2026-09-01T08:00:00+08:00", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026-09-01T00:00:00Z", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026-09-01T00:00:00.5-05:00", time.Date(2026, 9, 1, 5, 0, 0, 500_000_000, time.UTC), false},
		{"2026-09-01T08:00:00", time.Time{}, true},
		{"2026-09-01 08:00:00+08:00", time.Time{}, true},
		{"2026-09-01", time.Time{}, true},
		{"2026-02-30T08:00:00+08:00", time.Time{}, true},
		{"2026-09-01T08:00:00+15:59", time.Date(2026, 8, 31, 16, 1, 0, 0, time.UTC), false},
		{"2026-09-01T08:00:00-15:59", time.Date(2026, 9, 1, 23, 59, 0, 0, time.UTC), false},
		{"2026-09-01T08:00:00+16:00", time.Time{}, true},
		{"2026-09-01T08:00:00-16:00", time.Time{}, true},
		{"2026-09-01T08:00:00+99:59", time.Time{}, true},
		{"2026-09-01T08:00:00+99:99", time.Time{}, true},
		{"2026-09-01T8:00:00+08:00", time.Time{}, true}, // one-digit hour, which Go's parser takes (found by FuzzTime)
		{"0000-01-01T00:00:00Z", time.Time{}, true},
		{"0001-01-01T00:00:00Z", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"9999-12-31T15:59:59Z", time.Date(9999, 12, 31, 15, 59, 59, 0, time.UTC), false},
		{"9999-12-31T16:00:00Z", time.Time{}, true},
		{"", time.Time{}, true},
		{int64(1767225600), time.Time{}, true},
		{nil, time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := UnmarshalTime(ctx, tt.in)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("UnmarshalTime(%#v): got %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMarshalTime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), `"2026-09-01T08:00:00+08:00"`},
		{time.Date(2026, 12, 31, 20, 30, 0, 0, time.UTC), `"2027-01-01T04:30:00+08:00"`},
		{time.Date(2026, 9, 1, 8, 0, 0, 0, time.FixedZone("x", -5*3600)), `"2026-09-01T21:00:00+08:00"`},
		// Before 1901 Shanghai kept local mean time, +08:05:43, which RFC 3339 cannot write (found by FuzzTime).
		{time.Date(1900, 6, 1, 0, 0, 0, 0, time.UTC), `"1900-06-01T00:00:00Z"`},
	}
	for _, tt := range tests {
		got := marshal(MarshalTime(tt.in))
		if got != tt.want {
			t.Errorf("MarshalTime(%v): got %s, want %s", tt.in, got, tt.want)
		}
		var s string
		if err := json.Unmarshal([]byte(got), &s); err != nil {
			t.Fatalf("got %s, want a JSON string: %v", got, err)
		}
		back, err := UnmarshalTime(ctx, s)
		if err != nil || !back.Equal(tt.in) {
			t.Errorf("UnmarshalTime(MarshalTime(%v)): got %v, %v, want the same instant", tt.in, back, err)
		}
	}
}

func TestUnmarshalDate(t *testing.T) {
	tests := []struct {
		in      any
		want    string
		wantErr bool
	}{
		{"2026-02-28", "2026-02-28", false},
		{"2024-02-29", "2024-02-29", false},
		{"2026-02-30", "", true},
		{"2025-02-29", "", true},
		{"2026-13-01", "", true},
		{"0000-01-01", "", true},
		{"0001-01-01", "0001-01-01", false},
		{"9999-12-31", "9999-12-31", false},
		{"2026-2-3", "", true},
		{"2026-02-28T00:00:00Z", "", true},
		{"", "", true},
		{20260228, "", true},
	}
	for _, tt := range tests {
		got, err := UnmarshalDate(ctx, tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("UnmarshalDate(%#v): got %v, %v, want error %v", tt.in, got, err, tt.wantErr)
			continue
		}
		if err == nil {
			if s := got.Format(time.DateOnly); s != tt.want || got.Location() != service.SchoolZone || got.Hour() != 0 {
				t.Errorf("UnmarshalDate(%#v): got %s, want %s at midnight in the school's zone", tt.in, got, tt.want)
			}
			if m := marshal(MarshalDate(got)); m != `"`+tt.want+`"` {
				t.Errorf("MarshalDate(UnmarshalDate(%#v)): got %s, want %q", tt.in, m, tt.want)
			}
		}
	}
}

func TestMonth(t *testing.T) {
	tests := []struct {
		in      any
		wantErr bool
	}{
		{"2026-01", false},
		{"2026-12", false},
		{"2026-13", true},
		{"0000-01", true},
		{"0001-01", false},
		{"9999-12", false},
		{"2026-00", true},
		{"2026-1", true},
		{"26-01", true},
		{"2026-01-01", true},
		{"", true},
		{202601, true},
		{nil, true},
	}
	for _, tt := range tests {
		got, err := UnmarshalMonth(ctx, tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("UnmarshalMonth(%#v): got %q, %v, want error %v", tt.in, got, err, tt.wantErr)
			continue
		}
		if err == nil {
			if got != tt.in {
				t.Errorf("UnmarshalMonth(%#v): got %q, want the same string", tt.in, got)
			}
			if m := marshal(MarshalMonth(got)); m != `"`+got+`"` {
				t.Errorf("MarshalMonth(%q): got %s, want %q", got, m, got)
			}
		}
	}
}

func TestUnmarshalMoney(t *testing.T) {
	tests := []struct {
		in      any
		want    service.Money
		wantErr bool
	}{
		{"2500.00", 250000, false},
		{"2500", 250000, false},
		{"0.01", 1, false},
		{"-1.00", -100, false}, // parses; validation names the field that holds it
		{"1.234", 0, true},
		{"abc", 0, true},
		{"", 0, true},
		{2500, 0, true},
		{int64(2500), 0, true},
		{2500.5, 0, true},
		{json.Number("2500"), 0, true},
		{nil, 0, true},
	}
	for _, tt := range tests {
		got, err := UnmarshalMoney(ctx, tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("UnmarshalMoney(%#v): got %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMarshalMoney(t *testing.T) {
	tests := []struct {
		in   service.Money
		want string
	}{
		{0, `"0.00"`},
		{5, `"0.05"`},
		{250000, `"2500.00"`},
		{-150, `"-1.50"`},
	}
	for _, tt := range tests {
		if got := marshal(MarshalMoney(tt.in)); got != tt.want {
			t.Errorf("MarshalMoney(%d): got %s, want %s", int64(tt.in), got, tt.want)
		}
	}
}
