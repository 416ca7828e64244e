package service

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ValidText reports whether s can be stored as PostgreSQL text: valid UTF-8 without U+0000.
// Every way in refuses other text before it reaches the store (the HTTP edge for documents,
// variables and URLs; the service for what it decodes itself, such as cursors).
func ValidText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// MaxQuoted is how many characters of a client's input a message quotes: enough to recognize
// the value, never the whole of a long one sent back.
const MaxQuoted = 40

// Quote renders a client's input for a message: the first MaxQuoted characters, "…" where it was
// cut, between double quotes with Go's escapes, so that control characters, U+0000 and invalid
// UTF-8 show as \x00, \xff rather than being sent back raw. Every message that quotes input
// quotes it with Quote; the catalog has no %q.
func Quote(s string) string { return strconv.Quote(Shorten(s)) }

// Shorten cuts s after MaxQuoted characters (runes; each invalid byte counts as one) and marks
// the cut with "…"; shorter text is returned as it is. Quote uses it, and so do messages that
// show a value already rendered (JSON) rather than a string.
func Shorten(s string) string {
	n := 0
	for i := 0; i < len(s); n++ {
		if n == MaxQuoted {
			return s[:i] + "…"
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return s
}

// MaxNoteChars is the longest note a person writes with a change: a dismissal's reason, the
// review's note when a position is returned to its unit.
const MaxNoteChars = 500

// requiredNote trims note, the argument called field, and refuses it when it is blank or longer
// than MaxNoteChars (VALIDATION on field).
func requiredNote(ctx context.Context, field, note string) (string, []UserError) {
	note = strings.TrimSpace(note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return note, []UserError{fieldErr(ctx, []string{field}, "required", label(ctx, field))}
	case n > MaxNoteChars:
		return note, []UserError{fieldErr(ctx, []string{field}, "maxChars", label(ctx, field), strconv.Itoa(MaxNoteChars), n)}
	}
	return note, nil
}
