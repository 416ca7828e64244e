// Package scalars converts the schema's custom scalars between their wire form and Go values.
// gqlgen finds these functions by name (MarshalX / UnmarshalX) through gqlgen.yml; they take the
// request context so that a malformed value is explained in the caller's language.
package scalars

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/zhuguan/zhuguan/service"
)

// MarshalID writes a numeric id as a GraphQL ID string.
func MarshalID(id int64) graphql.ContextMarshaler {
	return writeQuoted(func(b []byte) []byte { return strconv.AppendInt(b, id, 10) })
}

// UnmarshalID reads an ID given as a string or an integer; every id in this API is a positive
// integer, and anything else is a BAD_USER_INPUT *service.Error.
func UnmarshalID(ctx context.Context, v any) (int64, error) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	case int64:
		s = strconv.FormatInt(x, 10)
	case int:
		s = strconv.Itoa(x)
	default:
		return 0, service.BadInput(ctx, "scalarID", show(v))
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, service.BadInput(ctx, "scalarID", show(s))
	}
	return id, nil
}

// MarshalTime writes an instant as RFC 3339 in the school's zone, or in UTC before 1901, when the
// zone's offset was Shanghai's local mean time (+08:05:43), which RFC 3339 cannot write: its
// seconds would be lost, and the time read back would be another instant.
func MarshalTime(t time.Time) graphql.ContextMarshaler {
	local := t.In(service.SchoolZone)
	if _, off := local.Zone(); off%60 != 0 {
		local = t.UTC()
	}
	return writeQuoted(func(b []byte) []byte { return local.AppendFormat(b, time.RFC3339) })
}

// rfc3339Re is RFC 3339's date-time, which Go's parser reads leniently (an hour of one digit).
var rfc3339Re = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`)

// UnmarshalTime reads RFC 3339 with an offset (Z included) that PostgreSQL can store as written
// (service.InstantProblem: an offset within ±15:59, the years 0001 to 9999); anything else is
// BAD_USER_INPUT.
func UnmarshalTime(ctx context.Context, v any) (time.Time, error) {
	s, ok := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if !ok || err != nil || !rfc3339Re.MatchString(s) {
		return time.Time{}, service.BadInput(ctx, "scalarTime", show(v))
	}
	if key := service.InstantProblem(t); key != "" {
		return time.Time{}, service.BadInput(ctx, key, show(v))
	}
	return t, nil
}

// MarshalDate writes a calendar date as YYYY-MM-DD, in the zone t carries (dates are not instants).
func MarshalDate(t time.Time) graphql.ContextMarshaler { return quoted(t.Format(time.DateOnly)) }

// UnmarshalDate reads a real calendar date YYYY-MM-DD as its midnight in the school's zone, where
// the program's dates are (an academic year starts on the 1st in Beijing, not in London), in the
// years 0001 to 9999; anything else is BAD_USER_INPUT.
func UnmarshalDate(ctx context.Context, v any) (time.Time, error) {
	s, ok := v.(string)
	t, err := time.ParseInLocation(time.DateOnly, s, service.SchoolZone)
	if !ok || err != nil {
		return time.Time{}, service.BadInput(ctx, "scalarDate", show(v))
	}
	if !service.InYears(t) {
		return time.Time{}, service.BadInput(ctx, "scalarDateYear", show(v))
	}
	return t, nil
}

var monthRe = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// MarshalMonth writes a month YYYY-MM.
func MarshalMonth(m string) graphql.ContextMarshaler { return quoted(m) }

// UnmarshalMonth reads YYYY-MM with a month 01..12 in the years 0001 to 9999; anything else is
// BAD_USER_INPUT.
func UnmarshalMonth(ctx context.Context, v any) (string, error) {
	s, ok := v.(string)
	if !ok || !monthRe.MatchString(s) {
		return "", service.BadInput(ctx, "scalarMonth", show(v))
	}
	if strings.HasPrefix(s, "0000") {
		return "", service.BadInput(ctx, "scalarMonthYear", show(v))
	}
	return s, nil
}

// MarshalMoney writes fen as a yuan decimal string, e.g. "2500.00".
func MarshalMoney(m service.Money) graphql.ContextMarshaler { return writeQuoted(m.Append) }

// UnmarshalMoney reads a yuan decimal string with at most two places (service.ParseMoney);
// anything else, a JSON number included, is BAD_USER_INPUT.
func UnmarshalMoney(ctx context.Context, v any) (service.Money, error) {
	s, ok := v.(string)
	if !ok {
		return 0, service.BadInput(ctx, "scalarMoney", show(v))
	}
	return service.ParseMoney(ctx, s)
}

// show renders a received value for an error message: strings quoted, others as JSON would,
// both cut as service.Quote cuts.
func show(v any) string {
	if s, ok := v.(string); ok {
		return service.Quote(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return service.Shorten(string(b))
}

// writeQuoted writes what appendTo appends (digits, a date: nothing that needs escaping) between
// quotes, building it in a stack buffer: these scalars are written for every row of every page.
func writeQuoted(appendTo func([]byte) []byte) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		var buf [48]byte
		b := appendTo(append(buf[:0], '"'))
		_, err := w.Write(append(b, '"'))
		return err
	})
}

func quoted(s string) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, strconv.Quote(s))
		return err
	})
}
