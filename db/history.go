package db

import (
	"context"
	"math/bits"
	"strconv"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

var historyStatusList = service.QuoteSQL(service.HistoryStatuses...)

// keyTypes are the SQL types of the sort keys, to read a cursor's key back.
var keyTypes = map[service.SortKeyType]string{service.KeyInt: "bigint", service.KeyText: "text", service.KeyTime: "timestamptz"}

// newestFirst is the default order: by application id.
var newestFirst = service.HistoryColumnDef{SortKey: "a.id", KeyType: service.KeyInt}

// historyDests is where each alias of a history statement goes in a row: the columns' own, and
// those every statement may have besides.
var historyDests = func() map[string]func(*service.HistoryRow) any {
	m := map[string]func(*service.HistoryRow) any{
		"id":        func(r *service.HistoryRow) any { return &r.ID },
		"sort_key":  func(r *service.HistoryRow) any { return (*[]byte)(&r.SortKey) },
		"unit.name": func(r *service.HistoryRow) any { return &r.Unit.Name },
		"total":     func(r *service.HistoryRow) any { return &r.Total },
	}
	for _, d := range service.HistoryColumnDefs {
		m[d.Alias] = d.Dest
	}
	return m
}()

// History reads one page of history rows in one statement: only the asked columns, only the
// joins they, the filter and the order need, and the count over all matching rows when asked.
func (s queries) History(ctx context.Context, q service.HistoryQuery) ([]service.HistoryRow, error) {
	out := make([]service.HistoryRow, 0, min(q.Limit, 8)) // most histories are short; a page of 51 rows is rare
	if err := s.EachHistory(ctx, q, func(r *service.HistoryRow) error { out = append(out, *r); return nil }); err != nil {
		return nil, err
	}
	return out, nil
}

// EachHistory runs History's statement (without a limit when q.Limit is 0) and hands each row
// to fn as it arrives, scanned into one reused row; fn's error stops it and is returned as it is.
func (s queries) EachHistory(ctx context.Context, q service.HistoryQuery, fn func(*service.HistoryRow) error) error {
	query, args := historySQL(q)
	rows, err := s.shape().query(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	// The hottest read of the portal: each column goes straight to its field of the one row,
	// without the reflection a generic scanner spends per row.
	var r service.HistoryRow
	dest := make([]any, len(cols))
	for i, c := range cols {
		d := historyDests[c]
		if d == nil {
			panic("db: history column without a field: " + c) // the builder and historyDests disagree
		}
		dest[i] = d(&r)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// historySQL is the one statement History runs for q, with its parameters. The text depends only
// on the shape of q (columns, order, which conditions, cursor or not), so it is built once per
// shape and cached; the parameters are q's values.
func historySQL(q service.HistoryQuery) (string, []any) {
	args, conds := historyParams(q)
	if q.After != nil {
		args = append(args, string(q.After.Key), q.After.ID)
	}
	var limit any // NULL: LIMIT ALL
	if q.Limit > 0 {
		limit = q.Limit
	}
	args = append(args, limit)
	shape := historyShape{order: q.Order.Column, desc: q.Order.Direction == service.Desc, unitName: q.UnitName,
		withTotal: q.WithTotal, after: q.After != nil, conds: conds}
	for _, c := range q.Columns {
		shape.columns |= 1 << historyColumnBit[c]
	}
	if text, ok := historyStatements.Get(shape); ok {
		return text, args
	}
	text := shape.statement()
	historyStatements.Add(shape, text)
	return text, args
}

// historyShape is everything the text of a history statement depends on; it is comparable, so it
// keys the cache of built statements.
type historyShape struct {
	columns                   uint16 // bit historyColumnBit[c] for each column c
	order                     service.HistoryColumn
	desc, unitName, withTotal bool
	after                     bool
	conds                     uint16 // bit i for historyConds[i]
}

// historyStatements holds built statement texts. Shapes are finite but many (column sets times
// orders times conditions), so the cache is bounded, at a few hundred kilobytes of the server's
// memory.
var historyStatements = func() *lru.Cache[historyShape, string] {
	c, _ := lru.New[historyShape, string](2000)
	return c
}()

var historyColumnBit = func() map[service.HistoryColumn]uint {
	if len(service.AllHistoryColumns) > 16 {
		panic("db: historyShape.columns holds 16 columns; widen it") // caught by every test run
	}
	m := make(map[service.HistoryColumn]uint, len(service.AllHistoryColumns))
	for i, c := range service.AllHistoryColumns {
		m[c] = uint(i)
	}
	return m
}()

func (h historyShape) statement() string {
	order := newestFirst
	if h.order != "" {
		order, _ = service.HistoryColumnDefOf(h.order) // the service checked it is a column
	}
	need := order.Reads
	sel := []string{"a.id AS id", "to_jsonb(" + order.SortKey + ") AS sort_key", order.SortKey + " AS sk"}
	// The paid sum reads work records, so unless the page is ordered by it, it is taken for the
	// page's rows only, after the limit, and not for every matching row (which a totalCount or a
	// sort over a unit's rows would otherwise pay).
	paidAfterLimit := false
	for i, col := range service.HistoryColumnDefs {
		if h.columns&(1<<i) == 0 {
			continue
		}
		if col.Column == service.ColPaidAmount && h.order != service.ColPaidAmount {
			paidAfterLimit = true
			continue
		}
		sel = append(sel, col.Select+` AS "`+col.Alias+`"`)
		need |= col.Reads
	}
	if h.unitName {
		sel = append(sel, `u.name AS "unit.name"`)
		need |= service.ReadsPosition | service.ReadsUnit
	}
	if h.withTotal {
		sel = append(sel, "count(*) OVER () AS total")
	}
	for i, c := range historyConds {
		if c.onPosition && h.conds&(1<<i) != 0 {
			need |= service.ReadsPosition
		}
	}
	inner := "SELECT " + strings.Join(sel, ", ") + " FROM applications a" + historyJoins(need) + " WHERE " + historyWhere(h.conds)

	dir := "ASC"
	cmp := ">"
	if h.desc {
		dir, cmp = "DESC", "<"
	}
	out := make([]string, 0, len(sel))
	for _, e := range sel {
		if alias := e[strings.LastIndex(e, " AS ")+4:]; alias != "sk" { // sk only orders and pages
			out = append(out, "t."+alias)
		}
	}
	if paidAfterLimit {
		out = append(out, "(SELECT coalesce(sum(w.amount_fen), 0) FROM work_records w WHERE w.application_id = t.id) AS paid_amount")
	}
	n := bits.OnesCount16(h.conds) // parameters so far
	param := func() string { n++; return "$" + strconv.Itoa(n) }
	outer := "SELECT " + strings.Join(out, ", ") + " FROM (" + inner + ") t"
	if h.after {
		outer += " WHERE (t.sk, t.id) " + cmp + " ((" + param() + "::jsonb #>> '{}')::" + keyTypes[order.KeyType] + ", " + param() + ")"
	}
	return outer + " ORDER BY t.sk " + dir + ", t.id " + dir + " LIMIT " + param()
}

// historyConds are the conditions of a history query beyond its statuses: the scope, then the
// filter. A condition's parameters are numbered in this order. The unit is read from the
// application's copy of it (migration 00005), so a unit's page needs no join to find its rows.
var historyConds = []struct {
	sql        string // the condition up to its parameter
	onPosition bool   // the condition reads the position
	value      func(q service.HistoryQuery) (any, bool)
}{
	{"a.student_no = ", false, func(q service.HistoryQuery) (any, bool) { return q.StudentNo, q.StudentNo != "" }},
	{"a.unit_id = ", false, func(q service.HistoryQuery) (any, bool) { return q.UnitID, q.UnitID != 0 }},
	{"a.unit_id = ", false, func(q service.HistoryQuery) (any, bool) {
		if q.HistoryFilter.UnitID == nil {
			return nil, false
		}
		return *q.HistoryFilter.UnitID, true
	}},
	{"p.title = ", true, func(q service.HistoryQuery) (any, bool) { return nonEmpty(q.PositionTitle) }},
	{"p.nature = ", true, func(q service.HistoryQuery) (any, bool) {
		if q.Nature == nil {
			return nil, false
		}
		return string(*q.Nature), true
	}},
	{"p.academic_year = ", true, func(q service.HistoryQuery) (any, bool) { return nonEmpty(q.AcademicYear) }},
	{"p.title ILIKE ", true, func(q service.HistoryQuery) (any, bool) {
		if q.Keyword == nil || *q.Keyword == "" {
			return nil, false
		}
		return "%" + escapeLike(*q.Keyword) + "%", true
	}},
}

// historyParams returns q's condition parameters in statement order, and which conditions apply.
func historyParams(q service.HistoryQuery) ([]any, uint16) {
	args := make([]any, 0, 4)
	var conds uint16
	for i, c := range historyConds {
		if v, ok := c.value(q); ok {
			args = append(args, v)
			conds |= 1 << i
		}
	}
	return args, conds
}

// historyWhere is the statuses and the conditions in conds, numbered from $1.
func historyWhere(conds uint16) string {
	parts := []string{"a.status IN (" + historyStatusList + ")"}
	n := 0
	for i, c := range historyConds {
		if conds&(1<<i) != 0 {
			n++
			parts = append(parts, c.sql+"$"+strconv.Itoa(n))
		}
	}
	return strings.Join(parts, " AND ")
}

func nonEmpty(p *string) (any, bool) {
	if p == nil || *p == "" {
		return nil, false
	}
	return *p, true
}

func historyJoins(j service.HistoryTables) string {
	var s string
	if j&(service.ReadsPosition|service.ReadsUnit) != 0 {
		s += " JOIN positions p ON p.id = a.position_id"
	}
	if j&service.ReadsUnit != 0 {
		s += " JOIN units u ON u.id = p.unit_id"
	}
	if j&service.ReadsPaid != 0 {
		s += " LEFT JOIN LATERAL (SELECT coalesce(sum(w.amount_fen), 0) AS paid FROM work_records w" +
			" WHERE w.application_id = a.id) pa ON true"
	}
	return s
}

// HistoryUnits lists the units of the rows the query's scope and filter select, by name, with
// the conditions History uses.
func (s queries) HistoryUnits(ctx context.Context, q service.HistoryQuery) ([]service.Unit, error) {
	args, conds := historyParams(q)
	query := "SELECT DISTINCT u.id, u.name FROM applications a" + historyJoins(service.ReadsPosition|service.ReadsUnit) +
		" WHERE " + historyWhere(conds) + " ORDER BY u.name, u.id"
	out := []service.Unit{}
	return out, s.shape().sel(ctx, &out, query, args...)
}

// HistoryColumns returns an owner's saved columns, or service.ErrNoRows.
func (s queries) HistoryColumns(ctx context.Context, owner string) ([]service.HistoryColumn, error) {
	const q = `SELECT columns FROM history_preferences WHERE owner = $1`
	var cols pq.StringArray
	if err := s.get(ctx, &cols, q, owner); err != nil {
		return nil, err
	}
	out := make([]service.HistoryColumn, len(cols))
	for i, c := range cols {
		out[i] = service.HistoryColumn(c)
	}
	return out, nil
}

// SetHistoryColumns saves an owner's columns, replacing earlier ones (ON CONFLICT on the owner);
// service.ErrCheckViolation for none, more than eleven or an unknown one.
func (s queries) SetHistoryColumns(ctx context.Context, owner string, cols []service.HistoryColumn) error {
	const q = `INSERT INTO history_preferences (owner, columns) VALUES ($1, $2)
		ON CONFLICT (owner) DO UPDATE SET columns = EXCLUDED.columns, updated_at = now()`
	strs := make([]string, len(cols))
	for i, c := range cols {
		strs[i] = string(c)
	}
	return s.exec(ctx, q, owner, pq.Array(strs))
}
