package service

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
)

// MaxPage is the largest `first` a connection accepts, so that one request's page, and its
// statement, stay small; a larger one is BAD_USER_INPUT.
const MaxPage = 100

// DefaultPage is the page size of a connection whose `first` is omitted or null; the schema
// declares it as each `first` argument's default.
const DefaultPage = 20

// PageArgs are a Relay connection's forward paging arguments.
type PageArgs struct {
	First     int
	After     *string
	WithTotal bool // count all matches too; only when the client asked for totalCount
}

// Page is one page of a connection, in the list's own order, with whether another page follows
// and, when asked for, the count of all matches.
type Page[T any] struct {
	Items      []T
	HasNext    bool
	TotalCount int
	cursor     func(i int) string
}

// Cursor is the opaque cursor of item i. It is computed on demand: most pages are shown without
// asking for one.
func (p *Page[T]) Cursor(i int) string { return p.cursor(i) }

// cursorPrefix versions the opaque cursor format so it can change without confusing old clients.
const cursorPrefix = "v1:"

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(id, 10)))
}

// pageBounds checks first and after and returns the limit and the id to continue below (0: start;
// for offset pages, the offset). Returns BAD_USER_INPUT for first outside 1..MaxPage and for a
// cursor this service did not make.
func pageBounds(ctx context.Context, a PageArgs) (limit int, afterID int64, err error) {
	if a.First < 1 || a.First > MaxPage {
		return 0, 0, BadInput(ctx, "firstRange", MaxPage, a.First)
	}
	if a.After == nil || *a.After == "" {
		return a.First, 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*a.After)
	id, perr := strconv.ParseInt(strings.TrimPrefix(string(raw), cursorPrefix), 10, 64)
	if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) || perr != nil || id <= 0 {
		return 0, 0, BadInput(ctx, "badCursor", Quote(*a.After))
	}
	return a.First, id, nil
}

// newPage trims the one extra row fetched to learn whether another page follows; an item's
// cursor is its id.
func newPage[T any](rows []T, limit int, id func(T) int64) Page[T] {
	p := trimPage(rows, limit)
	p.cursor = func(i int) string { return encodeCursor(id(p.Items[i])) }
	return p
}

// newOffsetPage is newPage for lists whose order cannot be put in a cursor without revealing it:
// each cursor is the row's place in the whole list, counted from 1.
func newOffsetPage[T any](rows []T, limit, offset int) Page[T] {
	p := trimPage(rows, limit)
	p.cursor = func(i int) string { return encodeCursor(int64(offset + i + 1)) }
	return p
}

func trimPage[T any](rows []T, limit int) Page[T] {
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items, p.HasNext = rows[:limit], true
	}
	return p
}
