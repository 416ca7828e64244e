package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
	"github.com/zhuguan/zhuguan/service/demo"
)

// answer is what one GraphQL request over HTTP got.
type answer struct {
	status int
	bytes  int64
	data   bool     // data is present and not null
	codes  []string // extensions.code of each top-level error ("" for an error without one)
	// payload is the data's top-level fields, for the caller to look into (userErrors).
	payload map[string]json.RawMessage
	wall    time.Duration
	err     error // the request failed in transport or by the client's deadline
}

// refusal reports whether the answer refuses the document as a client mistake: no data, and
// each error a code of the server's other than those of a server that gave up (INTERNAL,
// TIMEOUT, UNAVAILABLE). Any limit's code passes, so that the same judgement holds before the
// limits exist (when a refusal is BAD_USER_INPUT or a validation failure) and after.
func (a answer) refusal() bool {
	if a.err != nil || a.status >= 500 || a.data || len(a.codes) == 0 {
		return false
	}
	for _, c := range a.codes {
		switch c {
		case "", "INTERNAL", "TIMEOUT", "UNAVAILABLE":
			return false
		}
	}
	return true
}

// codeSummary counts the answers' error codes, most frequent first: "ALIAS_LIMIT x1".
func codeSummary(codes []string) string {
	if len(codes) == 0 {
		return "-"
	}
	n := map[string]int{}
	for _, c := range codes {
		if c == "" {
			c = "(none)"
		}
		n[c]++
	}
	keys := make([]string, 0, len(n))
	for c := range n {
		keys = append(keys, c)
	}
	sort.Slice(keys, func(i, j int) bool { return n[keys[i]] > n[keys[j]] || n[keys[i]] == n[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, c := range keys {
		parts[i] = fmt.Sprintf("%s x%d", c, n[c])
	}
	return strings.Join(parts, ", ")
}

// send posts one operation with the given request id and reads and decodes the whole answer;
// ctx bounds it. An empty token sends no Authorization header.
func (s *server) send(ctx context.Context, client *http.Client, token, requestID, query string, vars map[string]any) answer {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if requestID != "" {
		req.Header.Set("X-Request-Id", requestID)
	}
	t0 := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return answer{err: err, wall: time.Since(t0)}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, bytes: int64(len(b)), wall: time.Since(t0), err: err}
	if err != nil {
		return a
	}
	var out struct {
		Data   map[string]json.RawMessage
		Errors []struct{ Extensions struct{ Code string } }
	}
	if err := json.Unmarshal(b, &out); err != nil {
		a.err = fmt.Errorf("status %d, not a GraphQL response: %.200s", res.StatusCode, b)
		return a
	}
	a.data, a.payload = out.Data != nil, out.Data
	for _, e := range out.Errors {
		a.codes = append(a.codes, e.Extensions.Code)
	}
	return a
}

// requestLog is what the server's log says about one request: how many lines name it, and the
// statements its request line counts (-1 while there is none).
type requestLog struct {
	lines      int
	statements int
}

// requestLogs reads the server's log for the given request ids, waiting up to 3 s for each
// request line (the server writes its log in batches, at least every 100 ms).
func (s *server) requestLogs(ids []string) map[string]*requestLog {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var out map[string]*requestLog
	for range 30 {
		out = make(map[string]*requestLog, len(ids))
		for _, id := range ids {
			out[id] = &requestLog{statements: -1}
		}
		b, _ := os.ReadFile(s.log)
		for _, line := range bytes.Split(b, []byte("\n")) {
			var l struct {
				Msg        string `json:"msg"`
				RequestID  string `json:"request_id"`
				Statements int    `json:"statements"`
			}
			if json.Unmarshal(line, &l) != nil || !want[l.RequestID] {
				continue
			}
			r := out[l.RequestID]
			r.lines++
			if l.Msg == "request" {
				r.statements = l.Statements
			}
		}
		complete := true
		for _, r := range out {
			complete = complete && r.statements >= 0
		}
		if complete {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return out
}

// abuser sends the abuse documents to a server one at a time and measures each.
type abuser struct {
	srv     *server
	client  *http.Client // no timeout of its own: each document's context bounds it
	timeout time.Duration
	rssCap  int64 // kB; the server is killed past it
	tokens  map[caller]string
	seq     atomic.Int64
}

// measurement is what one document cost the server.
type measurement struct {
	answers      []answer
	ids          []string
	cpu          time.Duration
	wall         time.Duration
	afterKB      int64
	peakKB       int64
	killed       string // why the server had to be killed; empty when it was not
	lines, stmts int
	linesKnown   bool // every request has its request line, so lines and stmts are complete
	sentBytes    int
	timedOut     int // requests the client gave up
}

// measure runs send for copies requests at once, each with a fresh request id, bounded by the
// abuser's timeout; meanwhile it samples the server's RSS every 20 ms and kills the server past
// rssCap. m.killed says when the server was killed or is still busy with a request its client
// gave up: then the caller starts it again, so that the next document meets an idle server.
func (a *abuser) measure(copies int, send func(ctx context.Context, id string) answer) measurement {
	pid := a.srv.cmd.Process.Pid
	var m measurement
	var peak, lastCPU atomic.Int64
	var killed atomic.Value
	cpu0 := processCPU(pid)
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			if c := processCPU(pid); c > 0 {
				lastCPU.Store(int64(c))
			}
			rss, _ := a.srv.memory()
			if rss > peak.Load() {
				peak.Store(rss)
			}
			if rss > a.rssCap && killed.CompareAndSwap(nil, fmt.Sprintf("RSS > %d MB", a.rssCap/1024)) {
				_ = a.srv.cmd.Process.Kill()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	t0 := time.Now()
	m.answers = make([]answer, copies)
	m.ids = make([]string, copies)
	var wg sync.WaitGroup
	for i := range copies {
		m.ids[i] = fmt.Sprintf("abuse-%d", a.seq.Add(1))
		wg.Add(1)
		go func() { defer wg.Done(); m.answers[i] = send(ctx, m.ids[i]) }()
	}
	wg.Wait()
	m.wall = time.Since(t0)
	close(stop)
	sampler.Wait()
	m.cpu = max(processCPU(pid), time.Duration(lastCPU.Load())) - cpu0
	m.afterKB, _ = a.srv.memory()
	m.peakKB = max(peak.Load(), m.afterKB)
	for _, an := range m.answers {
		if errors.Is(an.err, context.DeadlineExceeded) {
			m.timedOut++
		}
	}
	if k, ok := killed.Load().(string); ok {
		m.killed = k
	} else if m.timedOut > 0 {
		m.killed = fmt.Sprintf("client gave up after %s", a.timeout)
	}
	return m
}

// readLogs adds to m what the server's log says about its requests, unless the server was killed.
func (a *abuser) readLogs(m *measurement) {
	if m.killed != "" {
		return
	}
	m.linesKnown = true
	for _, l := range a.srv.requestLogs(m.ids) {
		m.lines += l.lines
		m.stmts += max(l.statements, 0)
		m.linesKnown = m.linesKnown && l.statements >= 0
	}
}

// restart kills the server and starts it again on the same database and port.
func (a *abuser) restart() error {
	a.srv.kill()
	return a.srv.launch()
}

// doc measures one hostile document, sent as its caller.
func (a *abuser) doc(d hostileDoc) measurement {
	m := a.measure(d.copies, func(ctx context.Context, id string) answer {
		return a.srv.send(ctx, a.client, a.tokens[d.as], id, d.query, nil)
	})
	m.sentBytes = len(d.query) * d.copies
	a.readLogs(&m)
	return m
}

// benchAbuse sends each abuse document of issue 11 to a server on the demo data, one at a time,
// and prints what each cost: the server's CPU, the answer, SQL statements, log lines, wall time
// and RSS; the distinct history shapes also PostgreSQL's memory. A document still running at
// timeout, or that takes the server past rssCapMB, is cut off and its figures are lower bounds
// (">"); the server is started again for the next.
func benchAbuse(ctx context.Context, admin *sqlx.DB, d *sqlx.DB, dbName string, srv *server, v *auth.Verifier,
	timeout time.Duration, rssCapMB int64) error {
	student, _ := v.Sign(auth.Principal{Subject: "bench-student", Role: auth.RoleStudent, StudentNo: demo.DemoStudentNo}, time.Hour)
	adminTok, _ := v.Sign(auth.Principal{Subject: "bench-admin", Role: auth.RoleAdmin}, time.Hour)
	a := &abuser{srv: srv, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}, timeout: timeout,
		rssCap: rssCapMB * 1024, tokens: map[caller]string{anonymous: "", asStudent: student, asAdmin: adminTok}}

	fmt.Printf("abuse documents of issue 11 against the demo data, one at a time, each cut off after %s or at %d MB RSS:\n", timeout, rssCapMB)
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	var cut []string // the documents cut off, said below the table
	fmt.Fprintln(tw, "document\tas\tsent B\tstatus\terrors\tbody B\tserver CPU ms\tstatements\tlog lines\twall ms\tRSS after MB\tRSS peak MB\t")
	defer tw.Flush()
	row := func(name string, as string, m measurement) error {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t\n", name, as, m.sentBytes, statuses(m),
			codeSummary(allCodes(m)), bodyBytes(m), bound(m, m.cpu), stmtsOf(m), linesOf(m),
			bound(m, m.wall), mb(m.afterKB), mb(m.peakKB))
		fmt.Fprintf(os.Stderr, "abuse: %s done in %s\n", name, m.wall.Round(time.Millisecond)) // the table prints at the end
		if m.killed != "" {
			cut = append(cut, fmt.Sprintf("%s: %s; the server was killed and started again", name, m.killed))
			return a.restart()
		}
		return nil
	}
	for _, d := range hostileDocs() {
		if err := row(d.name, d.as.String(), a.doc(d)); err != nil {
			return err
		}
	}

	m, err := a.deadline(ctx, d)
	if err != nil {
		return err
	}
	if err := row("deadline (units locked)", "student", m); err != nil {
		return err
	}

	// A fresh server, so that its backends start with no statement prepared by the documents before.
	if err := a.restart(); err != nil {
		return err
	}
	before, err := pgBackends(ctx, admin, dbName, srv)
	if err != nil {
		return err
	}
	m = a.shapes()
	if err := row(fmt.Sprintf("%d history shapes x2", preparedShapes), "student", m); err != nil {
		return err
	}
	after, err := pgBackends(ctx, admin, dbName, srv)
	if err != nil {
		return err
	}
	_ = tw.Flush()
	for _, c := range cut {
		fmt.Println("  " + c)
	}
	fmt.Printf("PostgreSQL backends of the server: %s before the history shapes, %s after\n", before, after)
	return nil
}

// deadline sends deadlineDoc while the units table is locked, so that its unit fields wait past
// the request's deadline; the lock is released once the answer is in.
func (a *abuser) deadline(ctx context.Context, d *sqlx.DB) (measurement, error) {
	tx, err := d.BeginTxx(ctx, nil)
	if err != nil {
		return measurement{}, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = '10s'`); err != nil {
		return measurement{}, err
	}
	if _, err := tx.ExecContext(ctx, `LOCK TABLE units IN ACCESS EXCLUSIVE MODE`); err != nil {
		return measurement{}, fmt.Errorf("lock units: %w", err)
	}
	q := deadlineDoc()
	m := a.measure(1, func(ctx context.Context, id string) answer {
		return a.srv.send(ctx, a.client, a.tokens[asStudent], id, q, nil)
	})
	m.sentBytes = len(q)
	a.readLogs(&m)
	return m, nil
}

// shapeClients is how many clients send the history shapes: as many as the server's pool has
// connections (DB_MAX_CONNS), so that every connection's backend may come to hold them.
const shapeClients = 20

// shapes sends every distinct history shape twice: the first sighting of a statement gets it
// prepared, the second runs it prepared on whichever connection serves it.
func (a *abuser) shapes() measurement {
	m := a.measure(1, func(ctx context.Context, _ string) answer {
		return a.srv.sendShapes(ctx, a.client, a.tokens[asStudent], 2)
	})
	for i := range preparedShapes {
		m.sentBytes += 2 * len(historyShape(i))
	}
	if m.killed == "" {
		m.lines, m.stmts, m.linesKnown = a.srv.logTotals("shape-", 2*preparedShapes)
	}
	return m
}

// sendShapes sends every history shape passes times from shapeClients clients, with request ids
// "shape-N", and sums the answers: their bytes and codes, the first failure, and a status other
// than 200 if any had one. A client stops at its first failed request.
func (s *server) sendShapes(ctx context.Context, client *http.Client, token string, passes int) answer {
	var mu sync.Mutex
	sum := answer{status: http.StatusOK, data: true}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range shapeClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(passes*preparedShapes); i = next.Add(1) - 1 {
				an := s.send(ctx, client, token, fmt.Sprintf("shape-%d", i), historyShape(int(i%preparedShapes)), nil)
				mu.Lock()
				sum.bytes += an.bytes
				sum.codes = append(sum.codes, an.codes...)
				sum.data = sum.data && an.data
				if an.status != http.StatusOK && sum.status == http.StatusOK {
					sum.status = an.status
				}
				if an.err != nil && sum.err == nil {
					sum.err = an.err
				}
				mu.Unlock()
				if an.err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return sum
}

// logTotals sums log lines and statements over the requests whose ids start with prefix,
// waiting up to 3 s for want request lines.
func (s *server) logTotals(prefix string, want int) (lines, statements int, complete bool) {
	for range 30 {
		lines, statements = 0, 0
		requests := 0
		b, _ := os.ReadFile(s.log)
		for _, line := range bytes.Split(b, []byte("\n")) {
			var l struct {
				Msg        string `json:"msg"`
				RequestID  string `json:"request_id"`
				Statements int    `json:"statements"`
			}
			if json.Unmarshal(line, &l) != nil || !strings.HasPrefix(l.RequestID, prefix) {
				continue
			}
			lines++
			if l.Msg == "request" {
				requests++
				statements += l.Statements
			}
		}
		if requests >= want {
			return lines, statements, true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return lines, statements, false
}

func statuses(m measurement) string {
	n := map[string]int{}
	var order []string
	for _, a := range m.answers {
		s := strconv.Itoa(a.status)
		switch {
		case errors.Is(a.err, context.DeadlineExceeded):
			s = "timeout"
		case a.err != nil && a.status == 0:
			s = "failed"
		}
		if n[s] == 0 {
			order = append(order, s)
		}
		n[s]++
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = s
		if n[s] > 1 {
			parts[i] += "x" + strconv.Itoa(n[s])
		}
	}
	return strings.Join(parts, ",")
}

func allCodes(m measurement) []string {
	var out []string
	for _, a := range m.answers {
		out = append(out, a.codes...)
	}
	return out
}

func bodyBytes(m measurement) int64 {
	var n int64
	for _, a := range m.answers {
		n += a.bytes
	}
	return n
}

// bound formats a duration in milliseconds, with a decimal below 10 ms (a refusal costs less than
// one), and as a lower bound for a measurement cut off.
func bound(m measurement, d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	out := strconv.FormatFloat(ms, 'f', 0, 64)
	if ms < 10 {
		out = strconv.FormatFloat(ms, 'f', 1, 64)
	}
	if m.killed != "" {
		return "> " + out
	}
	return out
}

func stmtsOf(m measurement) string {
	if !m.linesKnown {
		return "?"
	}
	return strconv.Itoa(m.stmts)
}

func linesOf(m measurement) string {
	if !m.linesKnown {
		return "?"
	}
	return strconv.Itoa(m.lines)
}

// backends is the memory of the server's PostgreSQL backends, from /proc.
type backends struct {
	n           int
	rssKB, anon int64 // VmRSS (shared buffers touched included) and RssAnon (the backend's own)
}

func (b backends) String() string {
	return fmt.Sprintf("%d backends, VmRSS %.0f MB, RssAnon %.0f MB", b.n, mb(b.rssKB), mb(b.anon))
}

// pgBackends sums the memory of the backends serving srv (startServer names its connections,
// and those of a server it killed may linger a moment) on database dbName.
func pgBackends(ctx context.Context, admin *sqlx.DB, dbName string, srv *server) (backends, error) {
	var pids []int
	if err := admin.SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity
		WHERE datname = $1 AND application_name = $2 AND backend_start >= $3`, dbName, serverAppName, srv.started); err != nil {
		return backends{}, fmt.Errorf("server backends: %w", err)
	}
	out := backends{n: len(pids)}
	for _, pid := range pids {
		rss, anon := procMemory(pid)
		out.rssKB += rss
		out.anon += anon
	}
	return out, nil
}

// procMemory is a process's VmRSS and RssAnon in kB, 0 when they cannot be read.
func procMemory(pid int) (rss, anon int64) {
	v := procStatus(pid, "VmRSS", "RssAnon")
	return v[0], v[1]
}
