package httpapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/httpapi"
)

// TestCodesListsEveryCode: httpapi.Codes, which the README is held to, names every code the
// server's own packages can emit: each string constant named Code... or code..., and each string
// literal given as an error's "code" extension, outside tests and generated code.
func TestCodesListsEveryCode(t *testing.T) {
	var files []string
	for _, dir := range []string{".", "../service", "../graph", "../graph/scalars", "../resolvers", "../auth", "../db", "../limits"} {
		matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range matches {
			if !strings.HasSuffix(f, "_test.go") && !strings.HasSuffix(f, "generated.go") && !strings.HasSuffix(f, "_gen.go") {
				files = append(files, f)
			}
		}
	}
	fset := token.NewFileSet()
	found := map[string]string{} // code -> where
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec: // const CodeX = "X" and const CodeX Code = "X"
				for i, name := range n.Names {
					if strings.HasPrefix(strings.ToLower(name.Name), "code") && i < len(n.Values) {
						if s, ok := stringLit(n.Values[i]); ok {
							found[s] = fset.Position(name.Pos()).String()
						}
					}
				}
			case *ast.KeyValueExpr: // {"code": "X"}
				if k, ok := stringLit(n.Key); ok && k == "code" {
					if s, ok := stringLit(n.Value); ok {
						found[s] = fset.Position(n.Pos()).String()
					}
				}
			}
			return true
		})
	}
	if len(found) < 5 {
		t.Fatalf("found %d codes in the sources, want the service's and the edge's", len(found))
	}
	for code, where := range found {
		if !slices.Contains(httpapi.Codes, code) {
			t.Errorf("%s: code %s is not in httpapi.Codes (nor, then, in the README)", where, code)
		}
	}
}

// stringLit is the value of a string literal, or of string(...) around one.
func stringLit(e ast.Expr) (string, bool) {
	if c, ok := e.(*ast.CallExpr); ok && len(c.Args) == 1 {
		e = c.Args[0]
	}
	b, ok := e.(*ast.BasicLit)
	if !ok || b.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(b.Value)
	return s, err == nil
}
