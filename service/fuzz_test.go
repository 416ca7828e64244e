package service

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The service's fuzz targets (scripts/fuzz.sh runs them; seeds in testdata/fuzz): cursors and
// free-time slots, whatever a client sends, are refused as the client's error with a short,
// valid message, or accepted as values the store can take.

var fuzzCtx = WithLocale(context.Background(), English)

// wantBadInput fails unless err is a BAD_USER_INPUT *Error naming after, with a short message.
func wantBadInput(t *testing.T, in string, err error) {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) || se.Code != CodeBadInput || !strings.Contains(se.Message, "after") {
		t.Fatalf("%q: got %#v, want a BAD_USER_INPUT *Error naming after", in, err)
	}
	if !ValidText(se.Message) || utf8.RuneCountInString(se.Message) > 100+10*MaxQuoted {
		t.Fatalf("%q: got message %q, want short valid text", in, se.Message)
	}
}

func FuzzPageCursor(f *testing.F) {
	f.Fuzz(func(t *testing.T, after string) {
		limit, id, err := pageBounds(fuzzCtx, PageArgs{First: 10, After: &after})
		if err != nil {
			wantBadInput(t, after, err)
			return
		}
		if after == "" {
			return
		}
		if limit != 10 || id <= 0 {
			t.Fatalf("%q: got limit %d, id %d, want 10 and a positive id", after, limit, id)
		}
		again := encodeCursor(id)
		if _, id2, err := pageBounds(fuzzCtx, PageArgs{First: 10, After: &again}); err != nil || id2 != id {
			t.Fatalf("%q: id %d re-encoded as %q reads back as %d, %v", after, id, again, id2, err)
		}
	})
}

func FuzzHistoryCursor(f *testing.F) {
	f.Fuzz(func(t *testing.T, after string, column string, desc bool) {
		order := HistoryOrder{Column: HistoryColumn(column), Direction: Asc}
		if desc {
			order.Direction = Desc
		}
		c, err := historyAfter(fuzzCtx, after, order)
		if err != nil {
			wantBadInput(t, after, err)
			return
		}
		if c.ID <= 0 || c.Column != order.Column || c.Direction != order.Direction {
			t.Fatalf("%q: accepted %+v for order %+v", after, c, order)
		}
		// What reaches the store is a value of the column's key type that PostgreSQL takes.
		kt := KeyInt
		if def, ok := HistoryColumnDefOf(c.Column); ok {
			kt = def.KeyType
		} else if c.Column != "" {
			t.Fatalf("%q: accepted unknown column %q", after, c.Column)
		}
		switch kt {
		case KeyInt:
			if _, err := strconv.ParseInt(string(c.Key), 10, 64); err != nil {
				t.Fatalf("%q: integer key %s: %v", after, c.Key, err)
			}
		case KeyTime:
			var tm time.Time
			if err := json.Unmarshal(c.Key, &tm); err != nil || InstantProblem(tm) != "" {
				t.Fatalf("%q: time key %s: %v %s", after, c.Key, err, InstantProblem(tm))
			}
		default:
			var s string
			if err := json.Unmarshal(c.Key, &s); err != nil || !ValidText(s) || strings.Contains(string(c.Key), `\u0000`) {
				t.Fatalf("%q: text key %s: %v", after, c.Key, err)
			}
		}
		// The cursor the page would give for that row reads back as the same cursor.
		again := encodeHistoryCursor(*c)
		c2, err := historyAfter(fuzzCtx, again, order)
		if err != nil || string(c2.Key) != string(c.Key) || c2.ID != c.ID {
			t.Fatalf("%q: re-encoded as %q reads back as %+v, %v", after, again, c2, err)
		}
	})
}

// FuzzFreeTime reads its input as free-time slots, one per line, "WEEKDAY START END", and checks
// them as saveProfile does (the tags, then checkSlots).
func FuzzFreeTime(f *testing.F) {
	s := &Service{validate: newValidator()}
	f.Fuzz(func(t *testing.T, text string) {
		var slots []Slot
		for line := range strings.Lines(text) {
			parts := strings.Fields(line)
			for len(parts) < 3 {
				parts = append(parts, "")
			}
			slots = append(slots, Slot{Weekday: weekdayOf(parts[0]), Start: parts[1], End: parts[2]})
		}
		if len(slots) > 60 {
			slots = slots[:60]
		}
		in := ProfileInput{AcademicYear: "2026-2027", Natures: []Nature{NatureLongTerm}, WeeklyHours: 1, FreeTime: slots}
		errs := append(s.check(fuzzCtx, in, "input"), checkSlots(fuzzCtx, slots)...)
		for _, e := range errs {
			if e.Code != UserErrValidation || len(e.Field) < 2 || e.Field[0] != "input" || e.Field[1] != "freeTime" {
				t.Fatalf("%q: got %+v, want VALIDATION on input.freeTime", text, e)
			}
			if len(e.Field) > 2 {
				if i, err := strconv.Atoi(e.Field[2]); err != nil || i < 0 || i >= len(slots) {
					t.Fatalf("%q: got field %v, want an index below %d", text, e.Field, len(slots))
				}
			}
			if !ValidText(e.Message) {
				t.Fatalf("%q: got message %q, want valid text", text, e.Message)
			}
		}
		if len(errs) > 0 {
			return
		}
		// Accepted: real times, each slot ending after it starts, no two of one day overlapping.
		for i, a := range slots {
			if !a.Weekday.Valid() || !hhmmRe.MatchString(a.Start) || !hhmmRe.MatchString(a.End) || a.Start >= a.End {
				t.Fatalf("%q: accepted slot %d %+v", text, i, a)
			}
			for j, b := range slots[:i] {
				if a.Weekday == b.Weekday && a.Start < b.End && b.Start < a.End {
					t.Fatalf("%q: accepted overlapping slots %d %+v and %d %+v", text, j, b, i, a)
				}
			}
		}
	})
}

// weekdayOf reads a weekday's name, or gives an invalid Weekday for anything else.
func weekdayOf(name string) Weekday {
	for d := Monday; d <= Sunday; d++ {
		if d.String() == name {
			return d
		}
	}
	return Weekday(99)
}
