package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/zhuguan/zhuguan/auth"
)

// The portal's pages the soak reads, besides historyQuery.
const (
	positionsPage = `query Positions { positions(first: 50) { totalCount edges { node { id title nature dutyCategory pay
		weeklyHours applyStart applyEnd openNow unit { name } } } pageInfo { hasNextPage endCursor } } }`
	meQuery        = `query Me { me { role student { studentNo name department } } }`
	applicantsPage = `query Applicants($p: ID!) { applicants(positionId: $p, first: 20) { totalCount
		edges { node { id status statusLabel appliedAt phone email student { name degree } } } } }`
	recordWorkMutation = `mutation($in: WorkRecordInput!) { r: recordWork(input: $in) { workRecord { month hours amount } userErrors { code message } } }`
)

// soakWarmUp is the load before the measured phases, which fills the server's caches and pool.
const soakWarmUp = 5 * time.Second

// ref is an object of the bench data and the unit it belongs to.
type ref struct {
	ID     int64 `db:"id"`
	UnitID int64 `db:"unit_id"`
}

// soakPhase is what one phase of the soak saw.
type soakPhase struct {
	name   string
	start  time.Time
	mu     sync.Mutex
	ops    map[string]*latencies // legitimate requests by operation
	all    latencies
	userEr map[string]int // expected userErrors, by code
	fail   map[string]int // everything that fails the run, by kind
	sample []string       // the first few failures in full
	// hostile counts the hostile client's answers by document and outcome.
	hostile map[string]map[string]int
	// status5xx counts the answers with a 5xx status, legitimate or hostile.
	status5xx   int
	hostileSent int
}

func newPhase(name string) *soakPhase {
	return &soakPhase{name: name, start: time.Now(), ops: map[string]*latencies{}, userEr: map[string]int{},
		fail: map[string]int{}, hostile: map[string]map[string]int{}}
}

func (p *soakPhase) failure(kind, detail string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail[kind]++
	if len(p.sample) < 5 {
		p.sample = append(p.sample, kind+": "+detail)
	}
}

func (p *soakPhase) hostileOutcome(doc, outcome string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hostileSent++
	if p.hostile[doc] == nil {
		p.hostile[doc] = map[string]int{}
	}
	p.hostile[doc][outcome]++
}

// count5xx counts an answer with a 5xx status, the server's own failure.
func (p *soakPhase) count5xx(a answer) {
	if a.status >= 500 {
		p.mu.Lock()
		p.status5xx++
		p.mu.Unlock()
	}
}

func (p *soakPhase) latency(op string, d time.Duration) {
	p.mu.Lock()
	l := p.ops[op]
	if l == nil {
		l = &latencies{}
		p.ops[op] = l
	}
	p.mu.Unlock()
	l.add(d)
	p.all.add(d)
}

// soaker drives the soak: legitimate clients on the bench data, and the hostile client.
type soaker struct {
	srv        *server
	client     *http.Client
	students   []string         // tokens, by student index
	units      map[int64]string // tokens, by unit id
	admin      string
	open       []ref // this year's positions, open for applications
	last       []ref // last year's positions, with applicants
	employed   []ref // last year's CONFIRMED applications, whose months the units record
	cycle      atomic.Int64
	phase      atomic.Pointer[soakPhase]
	ctx        context.Context // ends when the server had to be killed
	hostileTTL time.Duration
}

// legit sends one request of the workload and records it in the phase it started in: any
// transport failure, status but 200 or GraphQL error is a failure, userErrors are expected and
// counted. It returns the payload under the alias r, or nil when there is none usable.
func (s *soaker) legit(op, token, query string, vars map[string]any) *payload {
	ph := s.phase.Load()
	a := s.srv.send(s.ctx, s.client, token, "", query, vars)
	if s.ctx.Err() != nil {
		return nil // the run was stopped; what failed then says nothing of the server
	}
	ph.latency(op, a.wall)
	switch {
	case a.err != nil:
		ph.failure(op+": transport", a.err.Error())
		return nil
	case a.status != http.StatusOK:
		ph.failure(fmt.Sprintf("%s: HTTP %d", op, a.status), codeSummary(a.codes))
		ph.count5xx(a)
		return nil
	case len(a.codes) > 0:
		ph.failure(op+": "+codeSummary(a.codes), query)
		return nil
	}
	raw, ok := a.payload["r"]
	if !ok {
		return nil
	}
	var p payload
	if err := json.Unmarshal(raw, &p); err != nil {
		ph.failure(op+": payload", err.Error())
		return nil
	}
	for _, ue := range p.UserErrors {
		ph.mu.Lock()
		ph.userEr[op+" "+ue.Code]++
		ph.mu.Unlock()
	}
	return &p
}

// payload is a mutation's answer under the alias r.
type payload struct {
	Application *struct{ ID string }
	UserErrors  []struct{ Code, Message string }
}

// work is one legitimate client: reads of the portal's pages and the state machine's writes,
// in the proportions of a portal's day (reads 8 of 10).
func (s *soaker) work(r *rand.Rand, until time.Time) {
	for time.Now().Before(until) && s.ctx.Err() == nil {
		student := r.IntN(len(s.students))
		switch n := r.IntN(10); {
		case n < 3:
			s.legit("history", s.students[student], historyQuery, nil)
		case n < 5:
			s.legit("positions", s.students[student], positionsPage, nil)
		case n < 6:
			s.legit("me", s.students[student], meQuery, nil)
		case n < 8:
			p := s.last[r.IntN(len(s.last))]
			s.legit("applicants", s.units[p.UnitID], applicantsPage, map[string]any{"p": p.ID})
		case n < 9:
			s.hireCycle()
		default:
			e := s.employed[r.IntN(len(s.employed))]
			s.legit("recordWork", s.units[e.UnitID], recordWorkMutation, map[string]any{"in": map[string]any{
				"applicationId": e.ID, "month": fmt.Sprintf("2026-%02d", 1+r.IntN(6)), "hours": 5, "amount": "500.00"}})
		}
	}
}

// hireCycle applies, hires and confirms with a student who has not applied to that position yet.
func (s *soaker) hireCycle() {
	k := int(s.cycle.Add(1))
	student := k % len(s.students)
	pos := s.open[(k+k/len(s.students))%len(s.open)] // a new (student, position) pair up to len(students) * len(open) cycles
	a := s.legit("apply", s.students[student], applyMutation, map[string]any{"p": pos.ID})
	if a == nil || a.Application == nil {
		return
	}
	if h := s.legit("hire", s.units[pos.UnitID], hireMutation, map[string]any{"id": a.Application.ID}); h == nil || h.Application == nil {
		return
	}
	s.legit("confirm", s.students[student], confirmMutation, map[string]any{"id": a.Application.ID})
}

// attack is the hostile client: it sends docs one after another (each with its copies at once)
// until ctx ends, and records how each was answered. A document must be refused; the history
// shapes, ordinary pages, must be answered.
func (s *soaker) attack(ctx context.Context, docs []hostileDoc, shapes bool) {
	var wg sync.WaitGroup
	if shapes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				ph := s.phase.Load()
				a := s.srv.send(ctx, s.client, s.students[0], "", historyShape(i%preparedShapes), nil)
				if ctx.Err() != nil {
					return
				}
				outcome := outcomeOf(a)
				ph.hostileOutcome("history shapes", outcome)
				ph.count5xx(a)
				if outcome != "answered" {
					ph.failure("history shape: "+outcome, codeSummary(a.codes))
				}
			}
		}()
	}
	for len(docs) > 0 && ctx.Err() == nil {
		for _, d := range docs {
			ph := s.phase.Load()
			rctx, cancel := context.WithTimeout(ctx, s.hostileTTL)
			answers := make([]answer, d.copies)
			var each sync.WaitGroup
			for i := range answers {
				each.Add(1)
				go func() {
					defer each.Done()
					answers[i] = s.srv.send(rctx, s.client, s.token(d.as), "", d.query, nil)
				}()
			}
			each.Wait()
			cancel()
			if ctx.Err() != nil { // cut off by the end of the phase, not by the server
				ph.hostileOutcome(d.name, "cut off by the end of the phase")
				break
			}
			for _, a := range answers {
				outcome := outcomeOf(a)
				ph.hostileOutcome(d.name, outcome)
				ph.count5xx(a)
				if !a.refusal() {
					ph.failure(d.name+": "+outcome, "")
				}
			}
		}
	}
	wg.Wait()
}

func (s *soaker) token(c caller) string {
	switch c {
	case asStudent:
		return s.students[0]
	case asAdmin:
		return s.admin
	}
	return ""
}

// outcomeOf names how an answer went: "refused CODE[,CODE]", "answered", "timeout", "HTTP 5xx", ...
func outcomeOf(a answer) string {
	switch {
	case errors.Is(a.err, context.DeadlineExceeded):
		return "timeout"
	case a.err != nil:
		return "failed"
	case a.status >= 500:
		return fmt.Sprintf("HTTP %d", a.status)
	case a.refusal():
		var codes []string
		for _, c := range a.codes {
			if !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
		return "refused " + strings.Join(codes, ",")
	case len(a.codes) > 0:
		return "errors " + codeSummary(a.codes)
	}
	return "answered"
}

// rssSample is the server's RSS at a moment of the measured phases.
type rssSample struct {
	at    time.Duration // since the first measured phase began
	kB    int64
	phase string
}

// benchSoak runs the soak: warm-up, then conc legitimate clients for soakBaseline alone and for
// duration with the hostile client sending its documents too. It fails when any request fails
// (transport, a status other than 200, a GraphQL error; userErrors are expected), when a hostile
// document is not refused (or a history shape not answered), when the server's RSS passes
// soakMaxMB, or when its mean over the last 10 s with the hostile client exceeds the first 10 s'
// by more than soakGrowth and rssSwingMB.
func benchSoak(ctx context.Context, admin, d *sqlx.DB, dbName string, srv *server, v *auth.Verifier, duration time.Duration, conc int) error {
	docs, shapes, err := selectHostile(soakHostile)
	if err != nil {
		return err
	}
	s := &soaker{srv: srv, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * conc}, Timeout: 30 * time.Second},
		units: map[int64]string{}, hostileTTL: abuseTimeout}
	if err := s.load(ctx, d, v); err != nil {
		return err
	}
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	s.ctx = runCtx

	// The RSS watch: the server is killed past rssCapMB, so that an unbounded server cannot take
	// the machine with it; a sample a second feeds the verdict.
	var samples []rssSample
	var killedAt atomic.Int64
	var measureFrom atomic.Pointer[time.Time]
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		var lastSample time.Time
		for {
			select {
			case <-runCtx.Done():
				return
			case <-tick.C:
			}
			rss, _ := srv.memory()
			if rss > rssCapMB*1024 {
				killedAt.Store(rss)
				srv.kill()
				stopRun()
				return
			}
			if from := measureFrom.Load(); from != nil && time.Since(lastSample) >= time.Second {
				lastSample = time.Now()
				samples = append(samples, rssSample{at: time.Since(*from), kB: rss, phase: s.phase.Load().name})
			}
		}
	}()

	var phases []*soakPhase
	runPhase := func(name string, d time.Duration, hostile bool) {
		ph := newPhase(name)
		phases = append(phases, ph)
		s.phase.Store(ph)
		until := time.Now().Add(d)
		hctx, stopHostile := context.WithDeadline(runCtx, until)
		defer stopHostile()
		var wg sync.WaitGroup
		if hostile {
			wg.Add(1)
			go func() { defer wg.Done(); s.attack(hctx, docs, shapes) }()
		}
		for w := range conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.work(rand.New(rand.NewPCG(uint64(w+1), uint64(time.Now().UnixNano()))), until)
			}()
		}
		wg.Wait()
	}
	pgBefore, _ := pgBackends(ctx, admin, dbName, srv)
	// The warm-up also sends every history shape once, as the hostile client will: the caches
	// they fill (statements, documents) are bounded, and full before RSS is first sampled, so
	// that what grows afterwards is not a cache filling up.
	primed := make(chan answer, 1)
	if shapes {
		go func() { primed <- srv.sendShapes(runCtx, s.client, s.students[0], 1) }()
	} else {
		primed <- answer{status: http.StatusOK, data: true}
	}
	runPhase("warm-up", soakWarmUp, false)
	if a := <-primed; a.err != nil || a.status != http.StatusOK || len(a.codes) > 0 {
		phases[0].failure("history shapes in the warm-up: "+outcomeOf(a), codeSummary(a.codes))
	}
	now := time.Now()
	measureFrom.Store(&now)
	runPhase("without hostile", soakBaseline, false)
	runPhase("with hostile", duration, len(docs) > 0 || shapes)
	pgAfter, _ := pgBackends(ctx, admin, dbName, srv)
	stopRun()
	<-watchDone

	fmt.Printf("soak at concurrency %d: %s warm-up, %s without the hostile client, %s with it (%s)\n",
		conc, soakWarmUp, soakBaseline, duration, hostileNames(docs, shapes))
	failed := report(phases)
	var verdict []string
	if failed > 0 {
		verdict = append(verdict, fmt.Sprintf("%d failed requests", failed))
	}
	if k := killedAt.Load(); k > 0 {
		verdict = append(verdict, fmt.Sprintf("server killed at RSS %.0f MB (cap %d MB)", mb(k), rssCapMB))
	}
	verdict = append(verdict, rssVerdict(samples, "with hostile")...)
	fmt.Printf("PostgreSQL backends of the server: %s at start, %s at the end\n", pgBefore, pgAfter)
	if len(verdict) > 0 {
		return fmt.Errorf("soak failed: %s", strings.Join(verdict, "; "))
	}
	fmt.Println("soak passed")
	return nil
}

// load reads the bench data the workload needs and signs its tokens.
func (s *soaker) load(ctx context.Context, d *sqlx.DB, v *auth.Verifier) error {
	if err := d.SelectContext(ctx, &s.open, `SELECT id, unit_id FROM positions WHERE academic_year = '2026-2027' ORDER BY id`); err != nil {
		return err
	}
	if err := d.SelectContext(ctx, &s.last, `SELECT id, unit_id FROM positions WHERE academic_year = '2025-2026' ORDER BY id`); err != nil {
		return err
	}
	if err := d.SelectContext(ctx, &s.employed, `SELECT a.id, p.unit_id FROM applications a JOIN positions p ON p.id = a.position_id
		WHERE a.status = 'CONFIRMED' AND p.academic_year = '2025-2026' ORDER BY a.id LIMIT 20000`); err != nil {
		return err
	}
	var units []int64
	if err := d.SelectContext(ctx, &units, `SELECT id FROM units`); err != nil {
		return err
	}
	if len(s.open) == 0 || len(s.last) == 0 || len(s.employed) == 0 || len(units) == 0 {
		return errors.New("soak: the bench data has no positions, employments or units")
	}
	for _, u := range units {
		s.units[u], _ = v.Sign(auth.Principal{Subject: fmt.Sprintf("soak-unit-%d", u), Role: auth.RoleUnitStaff, UnitID: u}, time.Hour)
	}
	s.students = make([]string, seededStudents())
	for i := range s.students {
		s.students[i], _ = v.Sign(auth.Principal{Subject: "soak", Role: auth.RoleStudent, StudentNo: studentNo(i + 1)}, time.Hour)
	}
	s.admin, _ = v.Sign(auth.Principal{Subject: "soak-admin", Role: auth.RoleAdmin}, time.Hour)
	return nil
}

// selectHostile picks the hostile client's documents by name ("all", "none", or a comma list of
// hostileDocs' names and "history shapes").
func selectHostile(names string) ([]hostileDoc, bool, error) {
	all := hostileDocs()
	switch names {
	case "all":
		return all, true, nil
	case "none", "":
		return nil, false, nil
	}
	var docs []hostileDoc
	shapes := false
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		if n == "history shapes" {
			shapes = true
			continue
		}
		i := slices.IndexFunc(all, func(d hostileDoc) bool { return d.name == n })
		if i < 0 {
			known := []string{"history shapes"}
			for _, d := range all {
				known = append(known, d.name)
			}
			return nil, false, fmt.Errorf("-hostile: no document %q (known: %s)", n, strings.Join(known, "; "))
		}
		docs = append(docs, all[i])
	}
	return docs, shapes, nil
}

func hostileNames(docs []hostileDoc, shapes bool) string {
	var names []string
	for _, d := range docs {
		names = append(names, d.name)
	}
	if shapes {
		names = append(names, "history shapes")
	}
	if len(names) == 0 {
		return "no hostile documents"
	}
	return "hostile: " + strings.Join(names, "; ")
}

// report prints each phase's requests and latencies, userErrors, failures and the hostile
// client's answers, and returns how many requests failed in all.
func report(phases []*soakPhase) int {
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\toperation\trequests\treq/s\tp50\tp99\t")
	failed := 0
	for i, ph := range phases {
		secs := time.Since(ph.start).Seconds()
		if i+1 < len(phases) {
			secs = phases[i+1].start.Sub(ph.start).Seconds()
		}
		ops := make([]string, 0, len(ph.ops))
		for op := range ph.ops {
			ops = append(ops, op)
		}
		sort.Strings(ops)
		row := func(op string, l *latencies) {
			n := len(l.d)
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%v\t%v\t\n", ph.name, op, n, float64(n)/secs, l.pct(0.5), l.pct(0.99))
		}
		row("all legitimate", &ph.all)
		for _, op := range ops {
			row(op, ph.ops[op])
		}
		for _, n := range ph.fail {
			failed += n
		}
	}
	_ = tw.Flush()
	for _, ph := range phases {
		fails := 0
		for _, n := range ph.fail {
			fails += n
		}
		fmt.Printf("%s: %d legitimate requests, %d hostile, %d failed, %d with a 5xx status\n", ph.name, len(ph.all.d), ph.hostileSent, fails, ph.status5xx)
		if len(ph.userEr) > 0 {
			fmt.Printf("%s: expected userErrors: %s\n", ph.name, countsOf(ph.userEr))
		}
		for doc, outcomes := range ph.hostile {
			fmt.Printf("%s: hostile %s: %s\n", ph.name, doc, countsOf(outcomes))
		}
		if len(ph.fail) > 0 {
			fmt.Printf("%s: FAILURES: %s\n", ph.name, countsOf(ph.fail))
			for _, s := range ph.sample {
				fmt.Printf("  e.g. %.300s\n", s)
			}
		}
	}
	return failed
}

// countsOf formats counts by key, most frequent first.
func countsOf(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// rssVerdict prints the server's RSS over the measured phases (its curve by 5 s, and the mean of
// each phase) and judges the samples of phase, which the issue holds flat under the hostile
// client: the mean of its first and last 10 s, and the max. It returns what fails the soak.
func rssVerdict(samples []rssSample, phase string) []string {
	mean := func(v []rssSample) float64 {
		var sum int64
		for _, x := range v {
			sum += x.kB
		}
		return mb(sum) / float64(len(v))
	}
	var curve []string // 5 s means, for the shape of the curve
	byPhase := map[string][]rssSample{}
	var order []string
	for i, s := range samples {
		if i%5 == 0 {
			curve = append(curve, fmt.Sprintf("%.0f", mean(samples[i:min(i+5, len(samples))])))
		}
		if byPhase[s.phase] == nil {
			order = append(order, s.phase)
		}
		byPhase[s.phase] = append(byPhase[s.phase], s)
	}
	fmt.Printf("server RSS by 5 s, MB: %s\n", strings.Join(curve, " "))
	for _, p := range order {
		fmt.Printf("server RSS %s: mean %.1f MB over %d samples\n", p, mean(byPhase[p]), len(byPhase[p]))
	}
	judged := byPhase[phase]
	if len(judged) < 3 {
		return []string{fmt.Sprintf("only %d RSS samples %s", len(judged), phase)}
	}
	start, end := judged[0].at, judged[len(judged)-1].at
	window := min(10*time.Second, (end-start)/3).Round(time.Second)
	var first, last []rssSample
	var peak int64
	for _, s := range judged {
		if s.at < start+window {
			first = append(first, s)
		}
		if s.at > end-window {
			last = append(last, s)
		}
		peak = max(peak, s.kB)
	}
	f, l := mean(first), mean(last)
	fmt.Printf("server RSS %s: first %s mean %.1f MB, last %s mean %.1f MB (%+.0f%%), max %.1f MB\n",
		phase, window, f, window, l, 100*(l/f-1), mb(peak))
	var out []string
	if mb(peak) >= soakMaxMB {
		out = append(out, fmt.Sprintf("server RSS reached %.1f MB, limit %.0f MB", mb(peak), soakMaxMB))
	}
	if l > f*(1+soakGrowth) && l-f > rssSwingMB {
		out = append(out, fmt.Sprintf("server RSS grew from %.1f MB to %.1f MB, more than %.0f%%", f, l, 100*soakGrowth))
	}
	return out
}

// rssSwingMB is growth the collector makes on its own: at GOGC=400 the heap may reach five times
// the live heap, and a few more requests in flight move that target by more than a relative bound
// on a small server allows.
const rssSwingMB = 20

// loopbackOnly refuses a database URL that is not on this machine: the soak is a load test, and
// a load test must never reach anyone else's server.
func loopbackOnly(dbURL string) error {
	u, err := url.Parse(dbURL)
	if err != nil {
		return fmt.Errorf("-db: %w", err)
	}
	for _, host := range append([]string{u.Hostname()}, u.Query()["host"]...) {
		if host == "" || strings.HasPrefix(host, "/") || host == "localhost" {
			continue // no host, or a socket on this machine
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("-db: the soak runs on loopback only, got host %q", host)
		}
	}
	return nil
}
