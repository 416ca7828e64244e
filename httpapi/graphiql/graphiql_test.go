package graphiql

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// fakeBundles is an assets folder as the script leaves it, with small stand-ins for the bundles.
func fakeBundles() fstest.MapFS {
	fsys := fstest.MapFS{"assets/README.md": {Data: []byte("placeholder")}}
	for _, name := range bundles {
		fsys["assets/"+name] = &fstest.MapFile{Data: []byte("/* " + name + " */")}
	}
	return fsys
}

// handlerOn is the handler for /graphql serving fetched's bundles (when all are there) and our files.
func handlerOn(t *testing.T, fetched fstest.MapFS) *handler {
	t.Helper()
	files, err := readFiles(fetched, own)
	if err != nil {
		t.Fatal(err)
	}
	h, err := newHandler(files, available(fetched), "/graphql")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func get(t *testing.T, h http.Handler, target string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestThePageLoadsOnlyItsOwnFiles(t *testing.T) {
	h := handlerOn(t, fakeBundles())
	res := get(t, h, "/")
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("page: got %d %q, want 200 text/html; charset=utf-8", res.Code, res.Header().Get("Content-Type"))
	}
	for name, want := range map[string]string{
		"Content-Security-Policy": contentSecurityPolicy,
		"Cache-Control":           "no-cache",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := res.Header().Get(name); got != want {
			t.Errorf("page %s: got %q, want %q", name, got, want)
		}
	}
	page := res.Body.String()
	if !strings.Contains(page, `data-endpoint="/graphql"`) {
		t.Errorf("page does not name the endpoint /graphql:\n%s", page)
	}
	// Every file the page loads is one of ours, under Prefix, with its hash; the scripts in the
	// order they must run, ours last.
	var scripts, loaded []string
	for _, m := range regexp.MustCompile(`(src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if m[2] == "data:," { // the empty icon, so that the browser asks for no favicon
			continue
		}
		name, ok := strings.CutPrefix(m[2], Prefix)
		name, v, _ := strings.Cut(name, "?v=")
		if !ok || v != h.files[name].hash {
			t.Errorf("page loads %s, want %s<name>?v=<hash of the file>", m[2], Prefix)
		}
		loaded = append(loaded, name)
		if m[1] == "src" {
			scripts = append(scripts, name)
		}
	}
	wantScripts := append(slices.DeleteFunc(slices.Clone(bundles), func(n string) bool { return strings.HasSuffix(n, ".css") }), "init.js")
	if !slices.Equal(scripts, wantScripts) {
		t.Errorf("scripts: got %q, want %q", scripts, wantScripts)
	}
	for _, name := range bundles {
		if !slices.Contains(loaded, name) {
			t.Errorf("page does not load %s", name)
		}
	}
}

func TestFilesHaveTheirTypeAndAreCachedByHash(t *testing.T) {
	h := handlerOn(t, fakeBundles())
	for name, wantType := range map[string]string{
		"graphiql.min.js":  "text/javascript; charset=utf-8",
		"graphiql.min.css": "text/css; charset=utf-8",
		"init.js":          "text/javascript; charset=utf-8",
		"page.css":         "text/css; charset=utf-8",
	} {
		f := h.files[name]
		res := get(t, h, f.url(name))
		if res.Code != http.StatusOK || res.Header().Get("Content-Type") != wantType || res.Body.String() != string(f.body) {
			t.Errorf("%s: got %d %q %.40q, want 200 %q and the file", name, res.Code, res.Header().Get("Content-Type"), res.Body.String(), wantType)
		}
		if got, want := res.Header().Get("Cache-Control"), "public, max-age=31536000, immutable"; got != want {
			t.Errorf("%s with its hash: Cache-Control %q, want %q", name, got, want)
		}
		if got := res.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q, want nosniff", name, got)
		}
		// An old hash (a page cached from before an upgrade) is revalidated, never kept.
		res = get(t, h, Prefix+name+"?v=0123")
		if got := res.Header().Get("Cache-Control"); res.Code != http.StatusOK || got != "no-cache" {
			t.Errorf("%s with another hash: got %d, Cache-Control %q, want 200 no-cache", name, res.Code, got)
		}
		res = get(t, h, Prefix+name, "If-None-Match", `"`+f.hash+`"`)
		if res.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: got %d, want 304", name, res.Code)
		}
	}
	for _, target := range []string{Prefix + "README.md", Prefix + "page.html", Prefix + "../graphiql.go", Prefix} {
		if res := get(t, h, target); res.Code != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", target, res.Code)
		}
	}
}

func TestWithoutTheBundlesThePageSaysHowToGetThem(t *testing.T) {
	fsys := fstest.MapFS{"assets/README.md": {Data: []byte("placeholder")}}
	for _, partial := range []fstest.MapFS{fsys, {"assets/graphiql.min.js": {Data: []byte("x")}}} {
		if available(partial) {
			t.Fatalf("available with only %v: got true, want false", partial)
		}
	}
	h := handlerOn(t, fsys)
	res := get(t, h, "/")
	page := res.Body.String()
	if res.Code != http.StatusOK || !strings.Contains(page, "make build") || !strings.Contains(page, "scripts/graphiql-assets.sh") {
		t.Errorf("page without bundles: got %d\n%s\nwant 200 naming make build and scripts/graphiql-assets.sh", res.Code, page)
	}
	if strings.Contains(page, "<script") {
		t.Errorf("page without bundles loads a script:\n%s", page)
	}
	if res := get(t, h, Prefix+"graphiql.min.js"); res.Code != http.StatusNotFound {
		t.Errorf("a missing bundle: got %d, want 404", res.Code)
	}
}

// TestTheScriptCopiesTheBundles: scripts/graphiql-assets.sh writes exactly the files the page
// loads.
func TestTheScriptCopiesTheBundles(t *testing.T) {
	script, err := os.ReadFile("../../scripts/graphiql-assets.sh")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)readonly -a COPY=\((.*?)\n\)`).FindSubmatch(script)
	if block == nil {
		t.Fatal("scripts/graphiql-assets.sh has no COPY=( ... ) list")
	}
	var copied []string
	for _, line := range strings.Split(strings.TrimSpace(string(block[1])), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 {
			t.Fatalf("COPY line %q: want a source and a file name", line)
		}
		copied = append(copied, f[1])
	}
	if !slices.Equal(copied, bundles) {
		t.Errorf("the script copies %q, the page loads %q", copied, bundles)
	}
}
