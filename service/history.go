package service

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zhuguan/zhuguan/auth"
)

// SortDirection orders a list.
type SortDirection string

// The directions of an order: an order given without one is ASC; with no order at all the history
// is newest first.
const (
	Asc  SortDirection = "ASC"
	Desc SortDirection = "DESC"
)

// HistoryStatuses are the statuses of applications that reached HIRED: the rows of the history.
var HistoryStatuses = []ApplicationStatus{AppHired, AppConfirmed, AppDeclined, AppDismissed}

// HistoryFilter narrows the history; nil (and empty) fields match everything. Keyword matches any
// part of the position title, ignoring case; PositionTitle the whole title.
type HistoryFilter struct {
	Keyword       *string `json:"keyword"`
	UnitID        *int64  `json:"unitId"`
	PositionTitle *string `json:"positionTitle"`
	Nature        *Nature `json:"nature"`
	AcademicYear  *string `json:"academicYear"`
}

// trimmed is f with the keyword's surrounding white space removed, as every reading of the
// history takes it.
func (f HistoryFilter) trimmed() HistoryFilter {
	if f.Keyword != nil {
		kw := strings.TrimSpace(*f.Keyword)
		f.Keyword = &kw
	}
	return f
}

// defaultHistoryOrder is the history's order when none is asked for: newest application first.
var defaultHistoryOrder = HistoryOrder{Column: "", Direction: Desc}

// HistoryOrder sorts the history by one column; ties go by application id in the same direction.
type HistoryOrder struct {
	Column    HistoryColumn `json:"column"`
	Direction SortDirection `json:"direction"`
}

// HistoryRow is one row of the history; only the columns asked for are filled.
type HistoryRow struct {
	ID                  int64             `db:"id"`
	Status              ApplicationStatus `db:"status"`
	Unit                Unit              `db:"unit"`
	PositionTitle       string            `db:"position_title"`
	PaidAmount          Money             `db:"paid_amount"`
	Nature              Nature            `db:"nature"`
	Description         string            `db:"description"`
	ApplyStart          time.Time         `db:"apply_start"`
	ApplyEnd            time.Time         `db:"apply_end"`
	WorkStart           time.Time         `db:"work_start"`
	WorkEnd             time.Time         `db:"work_end"`
	WorkTimeRequirement string            `db:"work_time_requirement"`
	SortKey             json.RawMessage   `db:"sort_key"` // the order column's value, for the cursor
	Total               int               `db:"total"`    // all matching rows, when counted
}

// StatusLabel is the Chinese display label of the status.
func (r HistoryRow) StatusLabel() string { return r.Status.Label() }

// HistoryArgs is one history request: what to read, for whom, in which order, which page.
type HistoryArgs struct {
	Filter    HistoryFilter
	Order     *HistoryOrder
	Page      PageArgs
	StudentNo *string
	Columns   []HistoryColumn // the columns to read
	UnitName  bool            // read the unit's name too (UNIT alone gives its id)
}

// HistoryQuery is a history request as the store runs it: one statement.
type HistoryQuery struct {
	HistoryFilter
	Columns   []HistoryColumn
	UnitName  bool
	StudentNo string // "" = any student
	UnitID    int64  // 0 = any unit
	Order     HistoryOrder
	After     *HistoryCursor
	Limit     int
	WithTotal bool
}

// HistoryCursor is where a page ends: the order column's value and the application id.
type HistoryCursor struct {
	Column    HistoryColumn   `json:"c"`
	Direction SortDirection   `json:"d"`
	Key       json.RawMessage `json:"k"`
	ID        int64           `json:"i"`
}

// History lists the employment history the caller may see (any role): students their own, unit
// staff the rows of their unit's positions, admin all; studentNo narrows it to one student. Returns
// NOT_FOUND when a student names another, BAD_USER_INPUT for a page size outside 1..MaxPage or a
// cursor of another order or not made here. One statement reads exactly the columns asked for, and
// the count when asked; a second runs only to count when a cursor points past the last row.
func (s *Service) History(ctx context.Context, a HistoryArgs) (*Page[HistoryRow], error) {
	q, err := s.historyScope(ctx, a.StudentNo)
	if err != nil {
		return nil, err
	}
	q.HistoryFilter, q.Columns, q.UnitName, q.WithTotal = a.Filter.trimmed(), a.Columns, a.UnitName, a.Page.WithTotal
	q.Order = defaultHistoryOrder
	if a.Order != nil {
		q.Order = *a.Order
	}
	if q.Order.Direction == "" {
		q.Order.Direction = Asc
	}
	if a.Page.First < 1 || a.Page.First > MaxPage {
		return nil, BadInput(ctx, "firstRange", MaxPage, a.Page.First)
	}
	q.Limit = a.Page.First + 1
	if a.Page.After != nil && *a.Page.After != "" {
		if q.After, err = historyAfter(ctx, *a.Page.After, q.Order); err != nil {
			return nil, err
		}
	}
	rows, err := s.store.History(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	p := trimPage(rows, a.Page.First)
	if len(rows) > 0 {
		p.TotalCount = rows[0].Total
	} else if q.WithTotal && q.After != nil { // past the end: the count rode on rows there are none of
		counted := q
		counted.After, counted.Limit = nil, 1
		first, err := s.store.History(ctx, counted)
		if err != nil {
			return nil, fmt.Errorf("history count: %w", err)
		}
		if len(first) > 0 {
			p.TotalCount = first[0].Total
		}
	}
	p.cursor = func(i int) string {
		r := p.Items[i]
		return encodeHistoryCursor(HistoryCursor{Column: q.Order.Column, Direction: q.Order.Direction, Key: r.SortKey, ID: r.ID})
	}
	return &p, nil
}

// HistoryUnits lists the units that appear in the history the caller may see, by name (any role):
// the choices of its unit filter. Returns NOT_FOUND when a student names another student.
func (s *Service) HistoryUnits(ctx context.Context, studentNo *string) ([]Unit, error) {
	q, err := s.historyScope(ctx, studentNo)
	if err != nil {
		return nil, err
	}
	us, err := s.store.HistoryUnits(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("history units: %w", err)
	}
	return us, nil
}

// historyScope decides whose rows the caller sees. A student naming another student sees nothing
// of them (NOT_FOUND, as if the number did not exist).
func (s *Service) historyScope(ctx context.Context, studentNo *string) (HistoryQuery, error) {
	p, err := Caller(ctx)
	if err != nil {
		return HistoryQuery{}, err
	}
	var q HistoryQuery
	if studentNo != nil {
		q.StudentNo = *studentNo
	}
	switch p.Role {
	case auth.RoleStudent:
		if studentNo != nil && *studentNo != p.StudentNo {
			return q, notFound(ctx, "student", *studentNo)
		}
		q.StudentNo = p.StudentNo
	case auth.RoleUnitStaff:
		q.UnitID = p.UnitID
	}
	return q, nil
}

// HistoryColumnLabel is a history column and its header in the caller's language.
type HistoryColumnLabel struct {
	Column HistoryColumn
	Label  string
}

// HistoryColumnLabels lists every column with its header in the caller's language, in SPEC
// order (any role).
func (s *Service) HistoryColumnLabels(ctx context.Context) ([]HistoryColumnLabel, error) {
	if _, err := Caller(ctx); err != nil {
		return nil, err
	}
	out := make([]HistoryColumnLabel, len(HistoryColumnDefs))
	for i, d := range HistoryColumnDefs {
		out[i] = HistoryColumnLabel{Column: d.Column, Label: d.Label(ctx)}
	}
	return out, nil
}

// HistoryColumns returns the caller's saved column choice, all columns in SPEC order when none was
// saved (any role).
func (s *Service) HistoryColumns(ctx context.Context) ([]HistoryColumn, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	cols, err := s.store.HistoryColumns(ctx, prefOwner(p))
	if errors.Is(err, ErrNoRows) {
		return AllHistoryColumns, nil
	}
	if err != nil {
		return nil, fmt.Errorf("history columns: %w", err)
	}
	return cols, nil
}

// SetHistoryColumns saves the caller's column choice and order (any role). Returns VALIDATION for
// an empty list or a repeated column.
func (s *Service) SetHistoryColumns(ctx context.Context, cols []HistoryColumn) ([]HistoryColumn, error) {
	p, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, UserErrors{fieldErr(ctx, []string{"columns"}, "minItems", label(ctx, "columns"), "1", 0)}
	}
	seen := map[HistoryColumn]bool{}
	for i, c := range cols {
		if seen[c] {
			return nil, UserErrors{fieldErr(ctx, []string{"columns", fmt.Sprint(i)}, "duplicate", label(ctx, "columns"), string(c))}
		}
		seen[c] = true
	}
	if err := s.store.SetHistoryColumns(ctx, prefOwner(p), cols); err != nil {
		return nil, fmt.Errorf("set history columns: %w", err)
	}
	return cols, nil
}

// prefOwner keys a user's preferences: a student by number (stable across tokens), staff by subject.
func prefOwner(p *auth.Principal) string {
	switch p.Role {
	case auth.RoleStudent:
		return "student:" + p.StudentNo
	case auth.RoleUnitStaff:
		return fmt.Sprintf("unit:%d:%s", p.UnitID, p.Subject)
	}
	return "admin:" + p.Subject
}

// validSortKey checks that a cursor's key is a value of its column's sort key type that the
// store can take, so a forged cursor is the client's error and never reaches the database as a
// failed cast: an integer, text without U+0000, or a time PostgreSQL can store
// (InstantProblem). It replaces the key with its canonical JSON, so that the store reads
// exactly the value checked here (JSON escapes Go reads leniently, such as a lone surrogate,
// PostgreSQL refuses).
func validSortKey(c *HistoryCursor) bool {
	kt := KeyInt // the default order is by id
	if c.Column != "" {
		def, ok := HistoryColumnDefOf(c.Column)
		if !ok {
			return false
		}
		kt = def.KeyType
	}
	var key any
	switch kt {
	case KeyInt:
		var n int64
		if json.Unmarshal(c.Key, &n) != nil {
			return false
		}
		key = n
	case KeyTime:
		var t time.Time
		if json.Unmarshal(c.Key, &t) != nil || InstantProblem(t) != "" {
			return false
		}
		key = t
	default:
		var s string
		if json.Unmarshal(c.Key, &s) != nil || !ValidText(s) {
			return false
		}
		key = s
	}
	canonical, err := json.Marshal(key)
	if err != nil {
		return false
	}
	c.Key = canonical
	return true
}

func encodeHistoryCursor(c HistoryCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// historyAfter reads the cursor after of a history page in order. Returns BAD_USER_INPUT naming
// after for a cursor not made here, made for another order, or whose key the store could not take.
func historyAfter(ctx context.Context, after string, order HistoryOrder) (*HistoryCursor, error) {
	c, err := decodeHistoryCursor(after)
	if err != nil || c.Column != order.Column || c.Direction != order.Direction || !validSortKey(c) {
		return nil, BadInput(ctx, "badCursor", Quote(after))
	}
	return c, nil
}

func decodeHistoryCursor(s string) (*HistoryCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var c HistoryCursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID <= 0 || len(c.Key) == 0 {
		return nil, errors.New("malformed history cursor")
	}
	return &c, nil
}
