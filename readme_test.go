package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeLayoutMatchesTheTree: the README's Layout table names every folder of the repository
// (and of its packages, by the folder or its parent), and everything it names exists.
func TestReadmeLayoutMatchesTheTree(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)
	start := strings.Index(section, "## Layout")
	if start < 0 {
		t.Fatal("README.md has no Layout section")
	}
	section = section[start:]
	if end := strings.Index(section[len("## Layout"):], "\n## "); end >= 0 {
		section = section[:len("## Layout")+end]
	}
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
	err = filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
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
