package service

import "context"

// HistoryColumn is a column of the employment history.
type HistoryColumn string

// The eleven columns of SPEC.md's employment history (聘用历史), in its order: a user chooses which
// to show and in what order, and sorts by any one of them.
const (
	ColStatus              HistoryColumn = "STATUS"
	ColUnit                HistoryColumn = "UNIT"
	ColPositionTitle       HistoryColumn = "POSITION_TITLE"
	ColPaidAmount          HistoryColumn = "PAID_AMOUNT"
	ColNature              HistoryColumn = "NATURE"
	ColDescription         HistoryColumn = "DESCRIPTION"
	ColApplyStart          HistoryColumn = "APPLY_START"
	ColApplyEnd            HistoryColumn = "APPLY_END"
	ColWorkStart           HistoryColumn = "WORK_START"
	ColWorkEnd             HistoryColumn = "WORK_END"
	ColWorkTimeRequirement HistoryColumn = "WORK_TIME_REQUIREMENT"
)

// SortKeyType is the type of a column's sort key, which a history cursor carries.
type SortKeyType int

// The types a sort key may have, which a cursor's key must parse as: an integer (an id, a status's
// rank, an amount in fen), text, or an instant.
const (
	KeyInt SortKeyType = iota
	KeyText
	KeyTime
)

// HistoryTables are the tables besides applications that reading a history column joins.
type HistoryTables uint8

// The tables a column may need joined: the position, the unit (through the position), and the
// work records, summed into the paid amount.
const (
	ReadsPosition HistoryTables = 1 << iota
	ReadsUnit                   // through the position
	ReadsPaid                   // the sum of the work records' amounts
)

// HistoryColumnDef is one column of the employment history, defined once: the HistoryRow fields
// that show it (a client selecting one of them asks for the column), how the store reads and
// sorts it, the type of its sort key, and its header in Chinese and English. The store builds
// every history statement from this table; the SQL in it is fixed text, and a client's input
// only ever reaches the statement as a parameter.
type HistoryColumnDef struct {
	Column HistoryColumn
	Fields []string // the GraphQL fields of HistoryRow that read it
	// Select is the column's select expression and Alias its name in the statement; Dest is
	// where the value goes in a row.
	Select, Alias string
	Dest          func(r *HistoryRow) any
	SortKey       string // the expression the rows are ordered by
	KeyType       SortKeyType
	Reads         HistoryTables
	Header        [2]string // Chinese, English: the header a table or an export shows
}

// HistoryColumnDefs are the eleven columns in SPEC order.
var HistoryColumnDefs = []HistoryColumnDef{
	{Column: ColStatus, Fields: []string{"status", "statusLabel"}, Select: "a.status", Alias: "status",
		Dest:    func(r *HistoryRow) any { return (*string)(&r.Status) },
		SortKey: "array_position(ARRAY[" + QuoteSQL(HistoryStatuses...) + "]::text[], a.status)", KeyType: KeyInt,
		Header: [2]string{"状态", "Status"}},
	{Column: ColUnit, Fields: []string{"unit"}, Select: "p.unit_id", Alias: "unit.id",
		Dest:    func(r *HistoryRow) any { return &r.Unit.ID },
		SortKey: "u.name", KeyType: KeyText, Reads: ReadsPosition | ReadsUnit, Header: [2]string{"聘用单位", "Unit"}},
	{Column: ColPositionTitle, Fields: []string{"positionTitle"}, Select: "p.title", Alias: "position_title",
		Dest:    func(r *HistoryRow) any { return &r.PositionTitle },
		SortKey: "p.title", KeyType: KeyText, Reads: ReadsPosition, Header: [2]string{"岗位名称", "Position"}},
	{Column: ColPaidAmount, Fields: []string{"paidAmount"}, Select: "pa.paid", Alias: "paid_amount",
		Dest:    func(r *HistoryRow) any { return (*int64)(&r.PaidAmount) },
		SortKey: "pa.paid", KeyType: KeyInt, Reads: ReadsPaid, Header: [2]string{"发放金额", "Paid amount"}},
	{Column: ColNature, Fields: []string{"nature"}, Select: "p.nature", Alias: "nature",
		Dest:    func(r *HistoryRow) any { return (*string)(&r.Nature) },
		SortKey: "p.nature", KeyType: KeyText, Reads: ReadsPosition, Header: [2]string{"岗位性质", "Nature"}},
	{Column: ColDescription, Fields: []string{"description"}, Select: "p.description", Alias: "description",
		Dest:    func(r *HistoryRow) any { return &r.Description },
		SortKey: "p.description", KeyType: KeyText, Reads: ReadsPosition, Header: [2]string{"岗位描述", "Description"}},
	{Column: ColApplyStart, Fields: []string{"applyStart"}, Select: "p.apply_start", Alias: "apply_start",
		Dest:    func(r *HistoryRow) any { return &r.ApplyStart },
		SortKey: "p.apply_start", KeyType: KeyTime, Reads: ReadsPosition, Header: [2]string{"申请开始时间", "Applications open"}},
	{Column: ColApplyEnd, Fields: []string{"applyEnd"}, Select: "p.apply_end", Alias: "apply_end",
		Dest:    func(r *HistoryRow) any { return &r.ApplyEnd },
		SortKey: "p.apply_end", KeyType: KeyTime, Reads: ReadsPosition, Header: [2]string{"申请结束时间", "Applications close"}},
	{Column: ColWorkStart, Fields: []string{"workStart"}, Select: "p.work_start", Alias: "work_start",
		Dest:    func(r *HistoryRow) any { return &r.WorkStart },
		SortKey: "p.work_start", KeyType: KeyTime, Reads: ReadsPosition, Header: [2]string{"工作开始时间", "Work starts"}},
	{Column: ColWorkEnd, Fields: []string{"workEnd"}, Select: "p.work_end", Alias: "work_end",
		Dest:    func(r *HistoryRow) any { return &r.WorkEnd },
		SortKey: "p.work_end", KeyType: KeyTime, Reads: ReadsPosition, Header: [2]string{"工作结束时间", "Work ends"}},
	{Column: ColWorkTimeRequirement, Fields: []string{"workTimeRequirement"}, Select: "p.work_time_requirement",
		Alias: "work_time_requirement", Dest: func(r *HistoryRow) any { return &r.WorkTimeRequirement },
		SortKey: "p.work_time_requirement", KeyType: KeyText, Reads: ReadsPosition, Header: [2]string{"工作时间要求", "Work time"}},
}

// AllHistoryColumns is every column in SPEC order: the default choice.
var AllHistoryColumns = func() []HistoryColumn {
	out := make([]HistoryColumn, len(HistoryColumnDefs))
	for i, d := range HistoryColumnDefs {
		out[i] = d.Column
	}
	return out
}()

// HistoryColumnDefOf returns the definition of column c; false for an unknown column.
func HistoryColumnDefOf(c HistoryColumn) (HistoryColumnDef, bool) {
	for _, d := range HistoryColumnDefs {
		if d.Column == c {
			return d, true
		}
	}
	return HistoryColumnDef{}, false
}

// Valid reports whether c is one of the eleven columns.
func (c HistoryColumn) Valid() bool { _, ok := HistoryColumnDefOf(c); return ok }

// Label is the column's header in the caller's language.
func (d HistoryColumnDef) Label(ctx context.Context) string { return d.Header[localeOf(ctx)] }
