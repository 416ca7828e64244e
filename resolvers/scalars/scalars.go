// Package scalars converts the schema's custom scalars between their wire form and Go values.
// gqlgen finds these functions by name (MarshalX / UnmarshalX) through gqlgen.yml.
package scalars

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/service"
)

// MarshalID writes a numeric id as a GraphQL ID string.
func MarshalID(id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(strconv.FormatInt(id, 10))) })
}

// UnmarshalID reads an ID given as a string or an integer; every id in this API is a positive integer.
func UnmarshalID(v any) (int64, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case int64:
		s = strconv.FormatInt(x, 10)
	case int:
		s = strconv.Itoa(x)
	default:
		return 0, fmt.Errorf("ID must be a string of digits, got %T", v)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("ID must be a positive integer such as \"42\", got %q", s)
	}
	return id, nil
}

// MarshalTime writes an instant as RFC 3339 in the school's zone.
func MarshalTime(t time.Time) graphql.Marshaler {
	return quoted(t.In(service.SchoolZone).Format(time.RFC3339))
}

// UnmarshalTime reads RFC 3339 with an offset.
func UnmarshalTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("Time must be an RFC 3339 string such as \"2026-09-01T08:00:00+08:00\", got %T", v)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("Time must be RFC 3339 with an offset such as \"2026-09-01T08:00:00+08:00\", got %q", s)
	}
	return t, nil
}

// MarshalDate writes a calendar date as YYYY-MM-DD.
func MarshalDate(t time.Time) graphql.Marshaler { return quoted(t.Format(time.DateOnly)) }

// UnmarshalDate reads YYYY-MM-DD.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("Date must be a string YYYY-MM-DD, got %T", v)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("Date must be a real calendar date YYYY-MM-DD, got %q", s)
	}
	return t, nil
}

var monthRe = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// MarshalMonth writes a month YYYY-MM.
func MarshalMonth(m string) graphql.Marshaler { return quoted(m) }

// UnmarshalMonth reads YYYY-MM with a month 01..12.
func UnmarshalMonth(v any) (string, error) {
	s, ok := v.(string)
	if !ok || !monthRe.MatchString(s) {
		return "", fmt.Errorf("Month must be a string YYYY-MM with month 01..12, got %v", v)
	}
	return s, nil
}

// MarshalMoney writes fen as a yuan decimal string, e.g. "2500.00".
func MarshalMoney(m service.Money) graphql.Marshaler { return quoted(m.String()) }

// UnmarshalMoney reads a yuan decimal string with at most two places.
func UnmarshalMoney(v any) (service.Money, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("Money must be a decimal string in yuan such as \"2500.00\", got %T %v", v, v)
	}
	return service.ParseMoney(s)
}

func quoted(s string) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(s)) })
}
