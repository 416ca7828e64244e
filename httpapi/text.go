package httpapi

import (
	"context"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// Text that PostgreSQL cannot store (service.ValidText: U+0000, invalid UTF-8) is refused where it
// enters, with one BAD_USER_INPUT naming where it was, instead of a driver failure deep inside:
// the transports check the raw request (a POST body, a GET's decoded parameters), and rejectNUL
// the operation's string literals, whatever escape spelled them (\u0000, \u{0}), and its variables.

// rejectNUL refuses an operation whose string literals or variables hold text PostgreSQL cannot
// store: U+0000 in any spelling, or invalid UTF-8 (which only a transport that did not check its
// bytes could let through; the check costs nothing and guards every transport).
type rejectNUL struct{}

func (rejectNUL) ExtensionName() string                   { return "RejectNUL" }
func (rejectNUL) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refuses the operation with BAD_USER_INPUT, before it runs, naming the
// first literal (by line and column) or variable (by path) that holds bad text.
func (rejectNUL) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Doc != nil {
		if v := badLiteral(oc.Doc); v != nil {
			where := service.Message(ctx, "textLiteral", v.Position.Line, v.Position.Column)
			return textError(ctx, where, v.Raw)
		}
	}
	if path, s, ok := badVariable(oc.Variables, "$"); ok {
		return textError(ctx, service.Message(ctx, "textVariable", path), s)
	}
	return nil
}

// textError says what is wrong with s, found where: a NUL character or invalid UTF-8.
func textError(ctx context.Context, where, s string) *gqlerror.Error {
	key := "nulChar"
	if !utf8.ValidString(s) {
		key = "invalidUTF8"
	}
	return &gqlerror.Error{Message: service.Message(ctx, key, where), Extensions: map[string]any{"code": string(service.CodeBadInput)}}
}

// badLiteral returns the first string value of the document, in operations, fragments, variable
// defaults and directive arguments alike, that is not valid text; nil when there is none.
func badLiteral(doc *ast.QueryDocument) *ast.Value {
	var found *ast.Value
	var value func(v *ast.Value) bool
	value = func(v *ast.Value) bool {
		if v == nil {
			return false
		}
		if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && !service.ValidText(v.Raw) {
			found = v
			return true
		}
		for _, c := range v.Children {
			if value(c.Value) {
				return true
			}
		}
		return false
	}
	directives := func(ds ast.DirectiveList) bool {
		for _, d := range ds {
			for _, a := range d.Arguments {
				if value(a.Value) {
					return true
				}
			}
		}
		return false
	}
	var selections func(ss ast.SelectionSet) bool
	selections = func(ss ast.SelectionSet) bool {
		for _, sel := range ss {
			switch sel := sel.(type) {
			case *ast.Field:
				for _, a := range sel.Arguments {
					if value(a.Value) {
						return true
					}
				}
				if directives(sel.Directives) || selections(sel.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if directives(sel.Directives) || selections(sel.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if directives(sel.Directives) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		for _, vd := range op.VariableDefinitions {
			if value(vd.DefaultValue) || directives(vd.Directives) {
				return found
			}
		}
		if directives(op.Directives) || selections(op.SelectionSet) {
			return found
		}
	}
	for _, f := range doc.Fragments {
		if directives(f.Directives) || selections(f.SelectionSet) {
			return found
		}
	}
	return nil
}

// badVariable returns the path ($in.freeTime[0].start), as the client wrote the JSON, and the
// text of the first key or string among the variables that is not valid text. Object keys are
// visited in order, so that the same request always names the same variable.
func badVariable(v any, path string) (string, string, bool) {
	switch x := v.(type) {
	case string:
		if !service.ValidText(x) {
			return path, x, true
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + k
			if path != "$" {
				p = path + "." + k
			}
			if !service.ValidText(k) {
				return p, k, true
			}
			if p, s, ok := badVariable(x[k], p); ok {
				return p, s, true
			}
		}
	case []any:
		for i, e := range x {
			if p, s, ok := badVariable(e, path+"["+strconv.Itoa(i)+"]"); ok {
				return p, s, true
			}
		}
	}
	return "", "", false
}

// textProblem is the message for a value of the raw request that is not valid text (where names
// it), "" for valid text; the transports refuse such a request before decoding it further.
func textProblem(ctx context.Context, where, s string) string {
	if service.ValidText(s) {
		return ""
	}
	return textError(ctx, where, s).Message
}

// invalidUTF8At is the offset of b's first byte that is not part of valid UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && w == 1 {
			return i
		}
		i += w
	}
	return len(b)
}
