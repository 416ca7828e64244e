package service

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    Money
		wantErr bool
	}{
		{"2500", 250000, false},
		{"2500.5", 250050, false},
		{"2500.50", 250050, false},
		{"2500.05", 250005, false},
		{"0.01", 1, false},
		{"0", 0, false},
		{"0.00", 0, false},
		{"-0", 0, false},
		{"-1.00", -100, false},
		{"-0.05", -5, false},
		{"007.10", 710, false},
		{" 12.30 ", 1230, false},
		{"\t12.30\n", 1230, false},
		{"1000000000", 100_000_000_000, false},
		{"-1000000000", -100_000_000_000, false},
		{"1.234", 0, true},
		{"1.", 0, true},
		{".5", 0, true},
		{"+5", 0, true},
		{"--5", 0, true},
		{"1,000", 0, true},
		{"1 000", 0, true},
		{"¥10", 0, true},
		{"abc", 0, true},
		{"", 0, true},
		{"   ", 0, true},
		{"1e3", 0, true},
		{"0x10", 0, true},
		{"NaN", 0, true},
		{"１２", 0, true}, // full-width digits
		{"1000000001", 0, true},
		{"-1000000001", 0, true},
		{"9999999999", 0, true},
		{"10000000000", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMoney(context.Background(), tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseMoney(%q): got %d, nil error, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q): got %d, %v, want %d, nil", tt.in, got, err, tt.want)
		}
	}
}

// TestParseMoneyError: the error is BAD_USER_INPUT in the caller's language and shows what was
// given, so a client can see its mistake.
func TestParseMoneyError(t *testing.T) {
	tests := []struct {
		in     string
		locale Locale
		want   []string
	}{
		{"1.234", English, []string{`"1.234"`, "2500.00"}},
		{"abc", Chinese, []string{`"abc"`, "金额"}},
		{"1000000001", English, []string{`"1000000001"`, "1000000000"}},
		{"1000000001", Chinese, []string{`"1000000001"`, "1000000000 元"}},
	}
	for _, tt := range tests {
		_, err := ParseMoney(WithLocale(context.Background(), tt.locale), tt.in)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeBadInput {
			t.Errorf("ParseMoney(%q): got %#v, want *Error with code %s", tt.in, err, CodeBadInput)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(e.Message, w) {
				t.Errorf("ParseMoney(%q) in %s: got message %q, want it to contain %q", tt.in, localeName(tt.locale), e.Message, w)
			}
		}
	}
}

// TestParseMoneyMaxIncludesFraction: the upper bound is in yuan, so a fraction above it is over it.
func TestParseMoneyMaxIncludesFraction(t *testing.T) {
	for _, in := range []string{"1000000000.01", "1000000000.99", "-1000000000.50"} {
		if got, err := ParseMoney(context.Background(), in); err == nil {
			t.Errorf("ParseMoney(%q): got %d fen and no error, want an error: the bound of %d yuan includes the fraction", in, got, maxYuan)
		}
	}
}

func TestMoneyString(t *testing.T) {
	tests := []struct {
		in   Money
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{10, "0.10"},
		{99, "0.99"},
		{100, "1.00"},
		{-1, "-0.01"},
		{-150, "-1.50"},
		{250000, "2500.00"},
		{250050, "2500.50"},
		{100_000_000_000, "1000000000.00"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Money(%d).String(): got %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestMoneyRoundTrip(t *testing.T) {
	values := []Money{0, 1, -1, 9, 10, 99, 100, 101, 12345, -12345, 250000, 99_999_999_999, 100_000_000_000, -100_000_000_000}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		values = append(values, Money(r.Int64N(2*100_000_000_000+1)-100_000_000_000))
	}
	for _, m := range values {
		s := m.String()
		got, err := ParseMoney(context.Background(), s)
		if err != nil || got != m {
			t.Errorf("ParseMoney(Money(%d).String() = %q): got %d, %v, want %d, nil", int64(m), s, got, err, int64(m))
		}
	}
}
