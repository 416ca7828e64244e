package service

import "time"

// MaxOffset is the widest offset from UTC that PostgreSQL's timestamptz takes (±15:59); Go's
// RFC 3339 parser takes up to ±99:59.
const MaxOffset = 15*time.Hour + 59*time.Minute

// InstantProblem says why PostgreSQL could not take t as the client wrote it, as the catalog key
// of the message: "scalarTimeOffset" for an offset beyond ±MaxOffset, "scalarTimeYear" for a year
// outside 0001..9999 as written, in UTC or in the school's zone (the year RFC 3339 and PostgreSQL
// write with four digits of the common era, and the one the API writes times back in); "" when t
// is fine. The Time scalar and the history's cursors both check it.
func InstantProblem(t time.Time) string {
	if _, off := t.Zone(); time.Duration(off)*time.Second > MaxOffset || time.Duration(-off)*time.Second > MaxOffset {
		return "scalarTimeOffset"
	}
	if !InYears(t) || !InYears(t.UTC()) || !InYears(t.In(SchoolZone)) {
		return "scalarTimeYear"
	}
	return ""
}

// InYears reports whether t's year, in t's own zone, is in 0001..9999; a Date's and a Month's
// year must be too.
func InYears(t time.Time) bool { return t.Year() >= 1 && t.Year() <= 9999 }
