// Package graphiql serves the GraphiQL page and everything it loads from the binary itself, so
// that the page needs nothing from the internet. The third-party browser bundles (React, ReactDOM,
// GraphiQL) are not committed: scripts/graphiql-assets.sh fetches them from the npm registry, at
// the versions locked in web/graphiql/package-lock.json, into assets/, which is embedded. A build
// without them (a plain `go build .`) embeds only the folder's placeholder and serves, at the same
// address, a page that says how to get them.
package graphiql

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// bundles are the files of assets/ the page loads, scripts in the order they must run (GraphiQL's
// UMD bundle reads the React and ReactDOM globals), then the style sheet. scripts/graphiql-assets.sh
// writes exactly these (a test compares them).
var bundles = []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css"}

// Prefix is the path under which the page's files are served.
const Prefix = "/graphiql/"

// contentSecurityPolicy allows the page to load only its own files and to talk only to its own
// origin (POST /graphql and its websocket). GraphiQL's style sheet inlines its fonts and icons as
// data: URLs; its React components set style attributes, hence 'unsafe-inline' for styles only.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

//go:embed assets
var fetched embed.FS

//go:embed page.html missing.html page.css init.js
var own embed.FS

// Available reports whether the binary embeds every bundle; when it does not, the page at / says
// how to get them.
func Available() bool { return available(fetched) }

func available(fsys fs.FS) bool {
	for _, name := range bundles {
		if _, err := fs.Stat(fsys, path.Join("assets", name)); err != nil {
			return false
		}
	}
	return true
}

// file is one file the handler serves under Prefix, with the content hash its URL carries.
type file struct {
	body        []byte
	contentType string
	hash        string
}

// url is the file's address; the hash in it makes a changed file a new URL, so the file itself
// may be cached for good.
func (f file) url(name string) string { return Prefix + name + "?v=" + f.hash }

type handler struct {
	page  file // the GraphiQL page, or the page that says how to get the bundles
	files map[string]file
}

// Handler serves, at GET /, the GraphiQL page for the GraphQL endpoint at endpoint (a path on the
// same origin, such as /graphql), and the files it loads under Prefix. Without the bundles in the
// binary, / serves a page that says how to get them (still 200: the server works, only the page
// is missing). It panics when the embedded files are unreadable, which only a broken build causes.
func Handler(endpoint string) http.Handler {
	files, err := embedded()
	if err == nil {
		var h *handler
		if h, err = newHandler(files, available(fetched), endpoint); err == nil {
			return h
		}
	}
	panic(fmt.Sprintf("graphiql: %v", err))
}

// embedded reads and hashes the embedded files once per process, however many handlers serve them.
var embedded = sync.OnceValues(func() (map[string]file, error) { return readFiles(fetched, own) })

// readFiles reads the files the handler serves: ours from own, and the bundles from fetched's
// assets/ when they are all there.
func readFiles(fetched, own fs.FS) (map[string]file, error) {
	files := map[string]file{}
	add := func(fsys fs.FS, name, dir string) error {
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return err
		}
		files[name] = newFile(name, body)
		return nil
	}
	for _, name := range []string{"page.css", "init.js"} {
		if err := add(own, name, "."); err != nil {
			return nil, err
		}
	}
	if available(fetched) {
		for _, name := range bundles {
			if err := add(fetched, name, "assets"); err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// newHandler renders the page for endpoint from files: the GraphiQL page when withBundles, else
// the page that says how to get them.
func newHandler(files map[string]file, withBundles bool, endpoint string) (*handler, error) {
	h := &handler{files: files}
	data := map[string]any{"Endpoint": endpoint, "PageCSS": h.files["page.css"].url("page.css")}
	tmpl := "missing.html"
	if withBundles {
		tmpl = "page.html"
		var scripts []string
		for _, name := range bundles {
			if strings.HasSuffix(name, ".css") {
				data["CSS"] = h.files[name].url(name)
			} else {
				scripts = append(scripts, h.files[name].url(name))
			}
		}
		data["Scripts"] = append(scripts, h.files["init.js"].url("init.js"))
	}
	t, err := template.ParseFS(own, tmpl)
	if err != nil {
		return nil, err
	}
	var page bytes.Buffer
	if err := t.Execute(&page, data); err != nil {
		return nil, fmt.Errorf("%s: %w", tmpl, err)
	}
	h.page = newFile(tmpl, page.Bytes())
	return h, nil
}

// contentTypes are the types of the files served, by extension.
var contentTypes = map[string]string{
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".html": "text/html; charset=utf-8",
}

// newFile makes the file called name with body, its type told by the name's extension.
func newFile(name string, body []byte) file {
	sum := sha256.Sum256(body)
	return file{body: body, contentType: contentTypes[path.Ext(name)], hash: hex.EncodeToString(sum[:8])}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	if r.URL.Path == "/" {
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		h.page.serve(w, r, "no-cache") // the page names the files' current hashes
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	f, found := h.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	if r.URL.Query().Get("v") == f.hash {
		f.serve(w, r, "public, max-age=31536000, immutable")
		return
	}
	f.serve(w, r, "no-cache") // an old or no hash: the browser revalidates by ETag
}

// serve writes f with cacheControl, or 304 when the request names f's ETag.
func (f file) serve(w http.ResponseWriter, r *http.Request, cacheControl string) {
	hd := w.Header()
	hd.Set("Content-Type", f.contentType)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", cacheControl)
	hd.Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
