package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/zhuguan/zhuguan/httpapi"
)

// TestReadmeLayoutMatchesTheTree: the README's Layout table names every folder of the repository
// (and of its packages, by the folder or its parent), and everything it names exists.
func TestReadmeLayoutMatchesTheTree(t *testing.T) {
	section := readmeSection(t, "## Layout")
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([^`]+)` \\|").FindAllStringSubmatch(section, -1) {
		listed[strings.TrimSuffix(m[1], "/")] = true
	}
	if len(listed) < 8 {
		t.Fatalf("Layout table: got %d paths, want the repository's folders", len(listed))
	}
	for p := range listed {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("Layout names %s: %v", p, err)
		}
	}
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || p == "bin" || d.Name() == "node_modules" {
			return filepath.SkipDir // git, CI, build output and installed npm packages
		}
		if listed[p] || listed[filepath.Dir(p)] {
			return nil
		}
		if strings.Contains(section, "`"+p+"`") || strings.Contains(section, "`"+filepath.Base(p)+"/`") {
			return nil // named in its parent's row
		}
		t.Errorf("folder %s is not in the README's Layout table", p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readmeSection is the README's section under heading, up to the next heading of its level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "\n"+heading+"\n")
	if start < 0 {
		t.Fatalf("README.md has no %q section", heading)
	}
	section = section[start+1:]
	if end := strings.Index(section[len(heading):], "\n## "); end >= 0 {
		section = section[:len(heading)+end]
	}
	return section
}

// TestReadmeErrorCodesMatchTheCode: the README's Errors section lists, once each and in its two
// tables, exactly the UserErrorCode values of the schema and exactly the top-level codes the
// server defines (httpapi.Codes), so a client reading it meets no code it was not told of.
func TestReadmeErrorCodesMatchTheCode(t *testing.T) {
	section := readmeSection(t, "## Errors")
	tables := map[string][]string{}
	var table string
	for _, line := range strings.Split(section, "\n") {
		if m := regexp.MustCompile("^\\| `([a-zA-Z_.]+)` \\|").FindStringSubmatch(line); m != nil {
			if strings.Contains(m[1], ".") { // a header: userErrors.code or extensions.code
				table = m[1]
			} else {
				tables[table] = append(tables[table], m[1])
			}
		}
	}
	schema := loadSchema(t)
	var userCodes []string
	for _, v := range schema.Types["UserErrorCode"].EnumValues {
		userCodes = append(userCodes, v.Name)
	}
	for _, c := range []struct {
		table string
		want  []string
	}{{"userErrors.code", userCodes}, {"extensions.code", httpapi.Codes}} {
		got, want := slices.Sorted(slices.Values(tables[c.table])), slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("README Errors table of %s: got %v, want exactly %v, each once", c.table, got, want)
		}
	}
}

// loadSchema parses schema.graphqls, failing the test when it cannot.
func loadSchema(t *testing.T) *ast.Schema {
	t.Helper()
	text, err := os.ReadFile("schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(text)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	return schema
}

// TestReadmeStartsWithTheTwoCommands: the README's first code block is the set-up a newcomer
// types on a fresh machine, exactly `make run` and `make test`; other targets are documented where
// they belong, not there.
func TestReadmeStartsWithTheTwoCommands(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README has no code block")
	}
	var cmds []string
	for line := range strings.SplitSeq(strings.TrimSpace(string(m[1])), "\n") {
		cmds = append(cmds, strings.TrimSpace(strings.SplitN(line, "#", 2)[0]))
	}
	if want := []string{"make run", "make test"}; !slices.Equal(cmds, want) {
		t.Errorf("README's first code block: got %q, want %q", cmds, want)
	}
}
