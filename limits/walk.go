package limits

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// The codes of the document limits' refusals (the GraphQL error's extensions.code).
const (
	CodeDepth          = "DEPTH_LIMIT"
	CodeAliases        = "ALIAS_LIMIT"
	CodeDuplicateField = "DUPLICATE_FIELD_LIMIT"
	CodeSelections     = "SELECTION_LIMIT"
	CodeDirectives     = "DIRECTIVE_LIMIT"
	CodeSpreads        = "FRAGMENT_SPREAD_LIMIT"
)

// Limits are the bounds Check holds a document to. A field of zero or less is no limit.
type Limits struct {
	// Depth is how deeply fields may nest in an operation, fragments expanded, the root's fields
	// at depth 1. The fields inside __schema and __type are not counted: introspection has a depth
	// rule of its own (gqlparser's MaxIntrospectionDepth), and GraphiQL's schema query is 13 deep.
	Depth int
	// Aliases is how many fields of the whole document may carry an alias.
	Aliases int
	// DuplicateFields is how often one field with the same arguments may be selected into one
	// response object (a selection set together with its inline fragments), whatever the
	// aliases, and how often one response name may be: fields of one name with different
	// arguments cannot be merged, and validation compares them pairwise.
	DuplicateFields int
	// FragmentSpreads is how many fragment spreads the whole document may have: validation
	// compares the fragments spread together pairwise (OverlappingFieldsCanBeMerged), so its
	// work grows with their square.
	FragmentSpreads int
	// Selections is how many fields the document may select with every fragment spread expanded.
	Selections int
	// Directives is how many directives one field, fragment spread or inline fragment may carry.
	Directives int
}

// Defaults are the limits of a server that does not set its own.
var Defaults = Limits{Depth: 10, Aliases: 30, DuplicateFields: 50, FragmentSpreads: 100, Selections: 2000, Directives: 10}

// Error is a document refused by a limit: Code says which, Limit is its value and Found what
// the document has (for CodeSelections, the count reached when the walk stopped: at least that
// many). Name is the field or selection at fault, empty for the document-wide counts (aliases,
// selections); Pos is where in the document, when known.
type Error struct {
	Code  string
	Limit int
	Found int
	Name  string
	Pos   *ast.Position
}

func (e *Error) Error() string {
	switch e.Code {
	case CodeDepth:
		return fmt.Sprintf("field %q is nested %d deep, over the limit of %d", e.Name, e.Found, e.Limit)
	case CodeAliases:
		return fmt.Sprintf("the document has %d aliases, over the limit of %d", e.Found, e.Limit)
	case CodeDuplicateField:
		return fmt.Sprintf("%q is selected %d times into one object, over the limit of %d", e.Name, e.Found, e.Limit)
	case CodeSpreads:
		return fmt.Sprintf("the document has %d fragment spreads, over the limit of %d", e.Found, e.Limit)
	case CodeSelections:
		return fmt.Sprintf("the document selects at least %d fields once its fragments are expanded, over the limit of %d", e.Found, e.Limit)
	default:
		return fmt.Sprintf("%q has %d directives, over the limit of %d", e.Name, e.Found, e.Limit)
	}
}

// Check holds doc, parsed and not yet validated, to l and returns the first limit it passes, or
// nil. It reads every operation and every fragment definition, used or not, since validation
// reads them all. Its work is linear in the document's text: fragments are counted once each
// (a fragment spread adds its fragment's remembered count), and the count of selections stops
// as soon as it passes its limit, so a document whose fragments would expand to millions of
// fields is refused after a few of them. A spread that leads back into the fragment being
// counted adds nothing; validation refuses the cycle (NoFragmentCycles).
//
// The limits on the text (aliases, fragment spreads, repeated fields, directives) are checked
// first, the document-wide counts before the others, so that their error reports the whole
// count; then the selections and the depth, fragments expanded.
func Check(doc *ast.QueryDocument, l Limits) *Error {
	t := textWalk{l: l}
	for _, op := range doc.Operations {
		t.response(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		t.response(f.SelectionSet)
	}
	if over(t.aliases, l.Aliases) {
		return &Error{Code: CodeAliases, Limit: l.Aliases, Found: t.aliases, Pos: t.aliasPos}
	}
	if over(t.spreads, l.FragmentSpreads) {
		return &Error{Code: CodeSpreads, Limit: l.FragmentSpreads, Found: t.spreads, Pos: t.spreadPos}
	}
	if t.first != nil {
		if t.repeats != nil {
			t.first.Found = *t.repeats // the whole count of its selection set, known now
		}
		return t.first
	}

	e := expandWalk{l: l, byName: map[string]*ast.FragmentDefinition{}, memo: map[*ast.FragmentDefinition]expansion{}, open: map[*ast.FragmentDefinition]bool{}}
	for _, f := range doc.Fragments {
		if _, dup := e.byName[f.Name]; !dup { // a spread means the first of that name, as in validation
			e.byName[f.Name] = f
		}
	}
	total := 0
	for _, op := range doc.Operations {
		x, err := e.set(op.SelectionSet)
		if err != nil {
			return err
		}
		if over(x.depth, l.Depth) {
			return &Error{Code: CodeDepth, Limit: l.Depth, Found: x.depth, Name: x.deepest.Name, Pos: x.deepest.Position}
		}
		if total += x.selections; over(total, l.Selections) {
			return &Error{Code: CodeSelections, Limit: l.Selections, Found: total, Pos: op.Position}
		}
	}
	for _, f := range doc.Fragments {
		if _, err := e.fragment(f); err != nil {
			return err
		}
	}
	return nil
}

// over tells whether n passes limit; a limit of zero or less is none.
func over(n, limit int) bool { return limit > 0 && n > limit }

// textWalk reads every selection once, as written, for the limits that need no expansion.
type textWalk struct {
	l         Limits
	aliases   int
	aliasPos  *ast.Position // of the first alias over the limit
	spreads   int
	spreadPos *ast.Position // of the first spread over the limit
	first     *Error        // the first repeated field or directive list over its limit
	repeats   *int          // when first is a repeated field: its count, complete once its set is read
}

// fieldKey is what makes two selections in one object the same: a field's name and its
// arguments as written, in the order of their names; or (alias set) the response name.
type fieldKey struct{ name, args, alias string }

// keysOf are f's two keys: the field with its arguments, and its response name.
func keysOf(f *ast.Field) [2]fieldKey {
	args := make([]string, len(f.Arguments))
	for i, a := range f.Arguments {
		args[i] = a.Name + ":" + a.Value.String()
	}
	slices.Sort(args)
	return [2]fieldKey{{name: f.Name, args: strings.Join(args, ",")}, {alias: f.Alias}}
}

// response reads a selection set whose fields make one response object.
func (t *textWalk) response(s ast.SelectionSet) {
	if len(s) == 0 {
		return
	}
	t.collect(s, map[fieldKey]*int{})
}

// collect reads s into the response object whose fields seen counts: an inline fragment's fields
// land in the same object, a field's own selection set makes another.
func (t *textWalk) collect(s ast.SelectionSet, seen map[fieldKey]*int) {
	for _, sel := range s {
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Alias != sel.Name {
				if t.aliases++; t.aliases == t.l.Aliases+1 {
					t.aliasPos = sel.Position
				}
			}
			t.directives(sel.Name, len(sel.Directives), sel.Position)
			for _, k := range keysOf(sel) {
				n := seen[k]
				if n == nil {
					n = new(int)
					seen[k] = n
				}
				if *n++; *n == t.l.DuplicateFields+1 && t.l.DuplicateFields > 0 && t.first == nil {
					name := k.name
					if k.alias != "" {
						name = k.alias
					}
					t.first = &Error{Code: CodeDuplicateField, Limit: t.l.DuplicateFields, Name: name, Pos: sel.Position}
					t.repeats = n
				}
			}
			t.response(sel.SelectionSet)
		case *ast.InlineFragment:
			name := "..."
			if sel.TypeCondition != "" {
				name += " on " + sel.TypeCondition
			}
			t.directives(name, len(sel.Directives), sel.Position)
			t.collect(sel.SelectionSet, seen)
		case *ast.FragmentSpread:
			if t.spreads++; t.spreads == t.l.FragmentSpreads+1 {
				t.spreadPos = sel.Position
			}
			t.directives("..."+sel.Name, len(sel.Directives), sel.Position)
		}
	}
}

func (t *textWalk) directives(name string, n int, pos *ast.Position) {
	if over(n, t.l.Directives) && t.first == nil {
		t.first = &Error{Code: CodeDirectives, Limit: t.l.Directives, Found: n, Name: name, Pos: pos}
	}
}

// expansion is what a selection set comes to with its fragments expanded: how many fields it
// selects, and its depth with the field at the bottom of its deepest path.
type expansion struct {
	selections int
	depth      int
	deepest    *ast.Field
}

// expandWalk counts selections and depth with fragments expanded, each fragment once.
type expandWalk struct {
	l      Limits
	byName map[string]*ast.FragmentDefinition
	memo   map[*ast.FragmentDefinition]expansion
	open   map[*ast.FragmentDefinition]bool // being counted: a spread of one is a cycle
}

// set expands s; it stops with CodeSelections as soon as s alone selects more than the limit.
func (e *expandWalk) set(s ast.SelectionSet) (expansion, *Error) {
	var x expansion
	for _, sel := range s {
		var c expansion
		var err *Error
		switch sel := sel.(type) {
		case *ast.Field:
			c, err = e.field(sel)
		case *ast.InlineFragment:
			c, err = e.set(sel.SelectionSet)
		case *ast.FragmentSpread:
			if f := e.byName[sel.Name]; f != nil { // an unknown fragment is validation's to refuse
				c, err = e.fragment(f)
			}
		}
		if err != nil {
			return x, err
		}
		if x.selections += c.selections; over(x.selections, e.l.Selections) {
			return x, &Error{Code: CodeSelections, Limit: e.l.Selections, Found: x.selections, Pos: sel.GetPosition()}
		}
		if c.depth > x.depth {
			x.depth, x.deepest = c.depth, c.deepest
		}
	}
	return x, nil
}

func (e *expandWalk) field(f *ast.Field) (expansion, *Error) {
	inner, err := e.set(f.SelectionSet)
	if err != nil {
		return inner, err
	}
	x := expansion{selections: 1 + inner.selections, depth: 1, deepest: f}
	if inner.depth > 0 && !introspection(f.Name) {
		x.depth, x.deepest = 1+inner.depth, inner.deepest
	}
	return x, nil
}

// fragment is f's expansion, counted the first time and remembered.
func (e *expandWalk) fragment(f *ast.FragmentDefinition) (expansion, *Error) {
	if x, ok := e.memo[f]; ok {
		return x, nil
	}
	if e.open[f] {
		return expansion{}, nil
	}
	e.open[f] = true
	x, err := e.set(f.SelectionSet)
	delete(e.open, f)
	if err != nil {
		return x, err
	}
	e.memo[f] = x
	return x, nil
}

// introspection tells the fields whose selections the depth limit does not count.
func introspection(name string) bool { return name == "__schema" || name == "__type" }
