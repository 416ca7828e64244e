package e2e

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/zhuguan/zhuguan/httpapi/graphiql"
)

// The GraphiQL page in a real headless browser: it loads from the server alone, the user pastes a
// token into the Headers tab, runs a query, and sees the result.

// chromium is Debian's browser, which scripts/ensure-test-tools.sh installs (make test runs it).
const chromium = "/usr/bin/chromium"

// browserLog is what the page did that the test judges afterwards: every URL it requested, and
// every error it reported (exceptions, failed loads, Content-Security-Policy refusals).
type browserLog struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (b *browserLog) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, e.Request.Method+" "+e.Request.URL)
	case *network.EventWebSocketCreated:
		b.requests = append(b.requests, "WS "+e.URL)
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		b.errors = append(b.errors, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber, msg))
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			b.errors = append(b.errors, fmt.Sprintf("%s: %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var args []string
			for _, a := range e.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			b.errors = append(b.errors, "console.error: "+strings.Join(args, " "))
		}
	}
}

func (b *browserLog) snapshot() (requests, errors []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...), append([]string(nil), b.errors...)
}

// isLoopback tells a URL the page may load: one of this machine's loopback addresses, or data
// the page carries itself.
func isLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Scheme == "data" || u.Scheme == "blob" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

func TestGraphiQLInABrowser(t *testing.T) {
	if !graphiql.Available() {
		t.Fatal("GraphiQL's browser bundles are not embedded in this build: run scripts/graphiql-assets.sh " +
			"(make test runs it first), then test again")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%v: run scripts/ensure-test-tools.sh (make test runs it first)", err)
	}
	s := NewServer(t)
	token := s.Student(t, "20160931")

	// One generous bound for everything: on a busy machine chromium alone may take many seconds
	// to start. Every wait below is on a condition of the page, never on a duration.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		// Without these chromium reaches for the network on its own and stalls on a closed one.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	defer cancelAlloc() // waits for the browser to exit, before the temporary folder goes
	var bl browserLog
	ctx, cancelTab := chromedp.NewContext(ctx, chromedp.WithLogf(t.Logf), chromedp.WithListener(bl.listen))
	defer cancelTab()
	const (
		queryEditor   = `.graphiql-query-editor .CodeMirror`
		headersTab    = `//button[contains(@class, "graphiql-un-styled") and normalize-space(.) = "Headers"]`
		headersEditor = `.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror`
		resultEditor  = `.result-window .CodeMirror`
	)
	// chromedp enables the network, log and runtime domains of the tab, so the listener sees
	// every request and every error from the first navigation on.
	var result string
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(queryEditor)),
		chromedp.Click(chromedp.Search(headersTab)),
		chromedp.WaitVisible(chromedp.CSS(headersEditor)),
		setEditor(headersEditor, `{"Authorization": "Bearer `+token+`"}`),
		setEditor(queryEditor, `{ me { role } }`),
		chromedp.Click(chromedp.CSS(`.graphiql-execute-button`)),
	)
	if err == nil {
		// The response pane fills in once the response arrives; an error response counts too,
		// so that a failure shows what the page got.
		result, err = chromedp.Run(ctx, chromedp.Poll[string](`(() => {
			const cm = document.querySelector('`+resultEditor+`');
			const text = cm ? cm.CodeMirror.getValue() : '';
			return text.includes('"role"') || text.includes('"errors"') ? text : false;
		})()`, chromedp.WithPollingTimeout(0)))
	}
	requests, errs := bl.snapshot()
	if err != nil {
		t.Fatalf("browser: %v\nrequests: %q\nerrors: %q", err, requests, errs)
	}
	if !strings.Contains(result, `"role": "STUDENT"`) {
		t.Errorf("result pane: got %s, want data.me.role STUDENT", result)
	}
	var sawBundle, sawQuery bool
	for _, r := range requests {
		method, u, _ := strings.Cut(r, " ")
		if !isLoopback(u) {
			t.Errorf("the page requested %s, which is not this machine", r)
		}
		sawBundle = sawBundle || strings.Contains(u, graphiql.Prefix+"graphiql.min.js")
		sawQuery = sawQuery || method == "POST" && strings.HasSuffix(u, "/graphql")
	}
	if !sawBundle || !sawQuery {
		t.Errorf("requests: got %q, want the GraphiQL bundle and a POST to /graphql among them", requests)
	}
	for _, e := range errs {
		t.Errorf("the page reported: %s", e)
	}
}

// setEditor replaces the text of the CodeMirror editor at selector, as pasting into it would.
func setEditor(selector, text string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		js := fmt.Sprintf(`(() => {
			const el = document.querySelector(%q);
			if (!el || !el.CodeMirror) return false;
			el.CodeMirror.setValue(%q);
			return true;
		})()`, selector, text)
		ok, err := chromedp.Evaluate[bool](js)(ctx, t)
		if err != nil {
			return chromedp.Void{}, fmt.Errorf("set %s: %w", selector, err)
		}
		if !ok {
			return chromedp.Void{}, fmt.Errorf("set %s: no CodeMirror editor there", selector)
		}
		return chromedp.Void{}, nil
	}
}
