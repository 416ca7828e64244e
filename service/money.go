package service

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

// Money is an amount in fen (分), the only form money takes inside the system.
type Money int64

// maxYuan bounds parsed amounts far below int64 overflow.
const maxYuan = 1_000_000_000

var moneyRe = regexp.MustCompile(`^(-?)([0-9]{1,10})(?:\.([0-9]{1,2}))?$`)

// ParseMoney reads a decimal string in yuan with at most two places ("2500", "2500.5", "2500.50").
// Negative amounts parse, so that validation can name the field that holds one. Returns a
// BAD_USER_INPUT *Error, in the caller's language, for any other form or more than 1,000,000,000 yuan.
func ParseMoney(ctx context.Context, s string) (Money, error) {
	m := moneyRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, BadInput(ctx, "scalarMoney", Quote(s))
	}
	yuan, _ := strconv.ParseInt(m[2], 10, 64)
	fen, _ := strconv.ParseInt((m[3] + "00")[:2], 10, 64)
	v := Money(yuan*100 + fen)
	if v > maxYuan*100 {
		return 0, BadInput(ctx, "scalarMoneyMax", maxYuan, Quote(s))
	}
	if m[1] == "-" {
		v = -v
	}
	return v, nil
}

// String formats m in yuan with two places, e.g. "2500.00".
func (m Money) String() string { return string(m.Append(nil)) }

// Append appends m as String formats it; the history page writes one per row.
func (m Money) Append(b []byte) []byte {
	v := int64(m)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	return append(b, '.', byte('0'+v%100/10), byte('0'+v%10))
}
