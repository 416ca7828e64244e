package limits

import (
	"encoding/json"
	"math"
	"strings"
	"weak"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Paging is what the cost model needs to know of the connections' page sizes: Default stands for
// a `first` that is null, or omitted where the schema gives no default, and Max for any larger
// one (the service refuses a page over Max, so the model charges no more than that).
type Paging struct{ Default, Max int }

// CostModel prices operations: an object or a list item costs 1 and a scalar or enum 0; a
// connection (a field of a type named ...Connection with a `first` argument) counts its list
// fields (edges, with their nodes) `first` times; any other list counts as one item. Fragments
// count where they are spread, inline fragments and the branches of abstract types all add up,
// and @skip/@include are ignored: the cost is an upper bound of what the operation resolves.
// Introspection is priced by the same rule (its lists are plain lists), so GraphiQL's schema
// query costs a few dozen.
//
// Each operation is compiled once into a Cost (kept in an LRU cache keyed by the operation's
// parsed definition, which gqlgen's query cache hands out again for the same text), so that a
// repeated document costs only the arithmetic of its variable page sizes.
type CostModel struct {
	paging Paging
	// A weak key does not keep alive a document that the query cache has dropped; its entry
	// is then never hit again and leaves by age.
	compiled *lru.Cache[weak.Pointer[ast.OperationDefinition], *Cost]
}

// NewCostModel prices with p's page sizes and keeps the compiled form of size operations.
func NewCostModel(p Paging, size int) *CostModel {
	c, err := lru.New[weak.Pointer[ast.OperationDefinition], *Cost](size)
	if err != nil {
		panic("limits: cost cache size must be positive") // a programming error
	}
	return &CostModel{paging: p, compiled: c}
}

// Compile returns the cost of op, an operation of doc that has passed validation (its fields know
// their definitions), as a function of the variables; a second call for the same op is a cache hit.
func (m *CostModel) Compile(doc *ast.QueryDocument, op *ast.OperationDefinition) *Cost {
	key := weak.Make(op)
	if c, ok := m.compiled.Get(key); ok {
		return c
	}
	cp := compiler{paging: m.paging, doc: doc, fragments: map[string]*node{}}
	c := &Cost{paging: m.paging, root: cp.set(op.SelectionSet), introspection: cp.introspection}
	m.compiled.Add(key, c)
	return c
}

// Cost is one operation's cost with its variables left open.
type Cost struct {
	paging        Paging
	root          *node
	introspection bool
}

// Of is the operation's cost under vars, the request's coerced variables. It saturates at
// math.MaxInt64 instead of overflowing, whatever the document multiplies.
func (c *Cost) Of(vars map[string]any) int64 {
	e := evaluation{vars: vars, paging: c.paging, memo: map[*node][2]int64{}}
	o, l := e.node(c.root)
	return add(o, l)
}

// Introspection tells whether the operation asks for __schema or __type.
func (c *Cost) Introspection() bool { return c.introspection }

// node is a selection set compiled: what its non-list fields cost (once), and what its list fields
// cost as one item each (each), which a connection multiplies by its page size. Fragment spreads
// stay references to their fragment's node, shared however often it is spread, so a document
// that spreads fragments exponentially compiles and evaluates in linear time.
type node struct {
	once, each bucket
	spreads    []*node
	// constant holds when no page size inside depends on a variable; o and e are then its
	// costs, computed once at compile time.
	constant bool
	o, e     int64
}

// bucket is a sum: fixed (the fields themselves, each object 1) plus each child selection's cost.
type bucket struct {
	fixed    int64
	children []child
}

// child is a field's selection: it costs once plus size times each of its node (size nil: 1).
type child struct {
	sel  *node
	size *pageSize
}

// pageSize is a connection's `first`: the variable's value when the request gives it, else value.
type pageSize struct {
	variable string
	value    int64
}

type compiler struct {
	paging        Paging
	doc           *ast.QueryDocument
	fragments     map[string]*node // compiled, or being compiled (cycles are invalid and cost nothing)
	introspection bool
}

func (cp *compiler) set(sel ast.SelectionSet) *node {
	n := &node{}
	cp.into(n, sel)
	constant := n.once.constant() && n.each.constant()
	for _, s := range n.spreads {
		constant = constant && s.constant
	}
	if constant {
		n.o, n.e = evaluation{}.node(n)
		n.constant = true
	}
	return n
}

// into adds sel's fields to n; an inline fragment's fields are n's own.
func (cp *compiler) into(n *node, sel ast.SelectionSet) {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			cp.field(n, s)
		case *ast.InlineFragment:
			cp.into(n, s.SelectionSet)
		case *ast.FragmentSpread:
			if f := cp.fragment(s.Name); f != nil {
				n.spreads = append(n.spreads, f)
			}
		}
	}
}

func (cp *compiler) fragment(name string) *node {
	if f, ok := cp.fragments[name]; ok {
		return f
	}
	def := cp.doc.Fragments.ForName(name)
	if def == nil {
		return nil
	}
	cp.fragments[name] = &node{constant: true} // a cycle back here adds nothing
	f := cp.set(def.SelectionSet)
	cp.fragments[name] = f
	return f
}

func (cp *compiler) field(n *node, f *ast.Field) {
	if len(f.SelectionSet) == 0 {
		return // a scalar or an enum
	}
	if f.Name == "__schema" || f.Name == "__type" {
		cp.introspection = true
	}
	b := &n.once
	var size *pageSize
	if d := f.Definition; d != nil {
		if d.Type.Elem != nil {
			b = &n.each
		} else if strings.HasSuffix(d.Type.Name(), "Connection") && d.Arguments.ForName("first") != nil {
			size = cp.pageSize(f, d.Arguments.ForName("first"))
		}
	}
	b.fixed++
	b.children = append(b.children, child{sel: cp.set(f.SelectionSet), size: size})
}

// pageSize reads `first` as gqlgen will: the literal, or the variable (when the request gives
// it), else the argument's default in the schema, else the paging default.
func (cp *compiler) pageSize(f *ast.Field, def *ast.ArgumentDefinition) *pageSize {
	fallback := int64(cp.paging.Default)
	if def.DefaultValue != nil {
		if v, err := def.DefaultValue.Value(nil); err == nil {
			fallback = cp.paging.number(v)
		}
	}
	arg := f.Arguments.ForName("first")
	switch {
	case arg == nil:
		return &pageSize{value: fallback}
	case arg.Value.Kind == ast.Variable:
		return &pageSize{variable: arg.Value.Raw, value: fallback}
	default:
		v, err := arg.Value.Value(nil)
		if err != nil {
			return &pageSize{value: int64(cp.paging.Max)}
		}
		return &pageSize{value: cp.paging.number(v)}
	}
}

// number is a page size as the model charges it: null is the default, and it is held to 0..Max.
func (p Paging) number(v any) int64 {
	var n int64
	switch v := v.(type) {
	case nil:
		n = int64(p.Default)
	case int64:
		n = v
	case int:
		n = int64(v)
	case float64:
		n = int64(math.Min(v, float64(p.Max)))
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			i = int64(p.Max)
		}
		n = i
	default:
		n = int64(p.Max)
	}
	return min(max(n, 0), int64(p.Max))
}

func (b bucket) constant() bool {
	for _, c := range b.children {
		if !c.sel.constant || (c.size != nil && c.size.variable != "") {
			return false
		}
	}
	return true
}

// evaluation prices nodes under one request's variables, each shared fragment once.
type evaluation struct {
	vars   map[string]any
	paging Paging
	memo   map[*node][2]int64
}

func (e evaluation) node(n *node) (once, each int64) {
	if n.constant {
		return n.o, n.e
	}
	if v, ok := e.memo[n]; ok {
		return v[0], v[1]
	}
	once, each = e.bucket(n.once), e.bucket(n.each)
	for _, s := range n.spreads {
		so, se := e.node(s)
		once, each = add(once, so), add(each, se)
	}
	if len(n.spreads) > 0 && e.memo != nil {
		e.memo[n] = [2]int64{once, each}
	}
	return once, each
}

func (e evaluation) bucket(b bucket) int64 {
	sum := b.fixed
	for _, c := range b.children {
		o, l := e.node(c.sel)
		if c.size != nil {
			l = mul(l, e.size(c.size))
		}
		sum = add(sum, add(o, l))
	}
	return sum
}

func (e evaluation) size(p *pageSize) int64 {
	if p.variable != "" {
		if v, ok := e.vars[p.variable]; ok {
			return e.paging.number(v)
		}
	}
	return p.value
}

// add and mul saturate at math.MaxInt64: a cost past it is refused all the same.
func add(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

func mul(a, b int64) int64 {
	if a != 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}
