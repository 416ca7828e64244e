package main

import (
	"fmt"
	"strings"
)

// caller is who sends a document: its token is chosen by the mode (the demo's or the bench
// data's student and admin).
type caller int

const (
	anonymous caller = iota
	asStudent
	asAdmin
)

func (c caller) String() string { return [...]string{"anonymous", "student", "admin"}[c] }

// hostileDoc is one abuse document of issue 11's opening list, built at the size the issue gives.
type hostileDoc struct {
	name  string
	as    caller
	query string
	// copies is how many are sent at once: the 30-level admin query does its harm four at a time.
	copies int
}

// hostileDocs are the documents the trial sent, in its order; the deadline and the
// history-shape attacks are not single documents and are built by their own functions.
func hostileDocs() []hostileDoc {
	return []hostileDoc{
		{name: "fragment bomb", as: anonymous, query: fragmentBomb(1024), copies: 1},
		{name: "__typename x14990", as: anonymous, query: repeatedTypename(14990), copies: 1},
		{name: "1000 conflicting aliases", as: anonymous, query: conflictingAliases(1000), copies: 1},
		{name: "nested 12 levels", as: asStudent, query: nestedPositions(12), copies: 1},
		{name: "4 x nested 30 levels", as: asAdmin, query: nestedPositions(30), copies: 4},
		{name: "2499 aliases", as: asStudent, query: manyAliases(2499), copies: 1},
	}
}

// fragmentBomb is at most maxBytes of fragments each spreading the next twice, so that expanding
// them yields 2^n selections of __typename for n fragments.
func fragmentBomb(maxBytes int) string {
	frag := func(i int) string { return fmt.Sprintf("fragment F%d on Query{...F%d ...F%d}\n", i, i+1, i+1) }
	last := func(i int) string { return fmt.Sprintf("fragment F%d on Query{__typename}\n", i) }
	head := "{...F0}\n"
	var b strings.Builder
	b.WriteString(head)
	n := 0
	for b.Len()+len(frag(n))+len(last(n+1)) <= maxBytes {
		b.WriteString(frag(n))
		n++
	}
	b.WriteString(last(n))
	return b.String()
}

// repeatedTypename selects __typename n times in one selection set.
func repeatedTypename(n int) string {
	return "{" + strings.Repeat(" __typename", n) + " }"
}

// conflictingAliases gives n fields the same alias with different arguments, which validation
// reports pairwise.
func conflictingAliases(n int) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "a: positions(first: %d){totalCount}\n", i)
	}
	b.WriteString("}")
	return b.String()
}

// nestedPositions nests positions -> unit -> positions levels deep: each level multiplies the
// statements by the positions per unit.
func nestedPositions(levels int) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := 0; i < levels; i++ {
		b.WriteString("positions { edges { node { id ")
		if i < levels-1 {
			b.WriteString("unit { ")
		}
	}
	for i := 0; i < levels; i++ {
		if i > 0 {
			b.WriteString("} ")
		}
		b.WriteString("} } } ")
	}
	b.WriteString("}")
	return b.String()
}

// manyAliases asks for positions' total n times under distinct aliases, each its own statements;
// six tokens an alias keep 2,499 of them inside the parser's 15,000 tokens.
func manyAliases(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "a%d:positions{totalCount}", i)
	}
	b.WriteString("}")
	return b.String()
}

// deadlineDoc is an ordinary-looking page that passes every limit the issue asks for (depth,
// aliases, cost), but whose units the bench holds locked, so each of its nested unit fields is
// still waiting when the request's deadline passes.
func deadlineDoc() string {
	var b strings.Builder
	b.WriteString("query Deadline {")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, " p%d: positions(first: %d) { edges { node { id title unit { id name } } } }", i, 10+i)
	}
	b.WriteString(" }")
	return b.String()
}

// historyFields are the fields of a history row that each read one column, in SPEC order.
var historyFields = []string{"status", "unit { name }", "positionTitle", "paidAmount", "nature", "description",
	"applyStart", "applyEnd", "workStart", "workEnd", "workTimeRequirement"}

// historyShape is the i-th of the distinct history pages: every non-empty set of columns (2,047),
// then sets again under a sort order, so that no two build the same SQL statement.
func historyShape(i int) string {
	sets := 1<<len(historyFields) - 1
	mask := i%sets + 1
	var b strings.Builder
	b.WriteString("query Shape { employmentHistory(first: 20")
	if i >= sets {
		b.WriteString(", orderBy: {column: WORK_START, direction: DESC}")
	}
	b.WriteString(") { edges { node { id")
	for c, f := range historyFields {
		if mask&(1<<c) != 0 {
			b.WriteString(" " + f)
		}
	}
	b.WriteString(" } } } }")
	return b.String()
}
