package main

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// The soak's verdict is its point: these hold it to what the README promises.

func TestRefusalIsACheapNoWithACodeOfOurs(t *testing.T) {
	for _, c := range []struct {
		a    answer
		want bool
	}{
		{answer{status: 200, codes: []string{"ALIAS_LIMIT"}}, true},
		{answer{status: 200, codes: []string{"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED"}}, true},
		{answer{status: 400, codes: []string{"BAD_USER_INPUT"}}, true},
		{answer{status: 413, codes: []string{"REQUEST_TOO_LARGE"}}, true},
		{answer{status: 200, data: true}, false},                                 // answered: the work was done
		{answer{status: 200, data: true, codes: []string{"INTERNAL"}}, false},    // partly answered
		{answer{status: 200, codes: []string{"INTERNAL"}}, false},                // the server failed
		{answer{status: 200, codes: []string{"TIMEOUT"}}, false},                 // the server gave up late
		{answer{status: 503, codes: []string{"UNAVAILABLE"}}, false},             // the server is down
		{answer{status: 200, codes: []string{""}}, false},                        // an error without a code
		{answer{status: 500}, false},                                             // no GraphQL answer at all
		{answer{err: fmt.Errorf("post: %w", context.DeadlineExceeded)}, false},   // the client gave up
		{answer{status: 200, codes: []string{"ALIAS_LIMIT", "INTERNAL"}}, false}, // one failure spoils it
	} {
		if got := c.a.refusal(); got != c.want {
			t.Errorf("refusal of %+v: got %v, want %v", c.a, got, c.want)
		}
	}
}

func TestOutcomeNamesCodesOnce(t *testing.T) {
	for _, c := range []struct {
		a    answer
		want string
	}{
		{answer{status: 200, codes: []string{"DEPTH_LIMIT"}}, "refused DEPTH_LIMIT"},
		{answer{status: 200, codes: []string{"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_VALIDATION_FAILED"}}, "refused GRAPHQL_VALIDATION_FAILED"},
		{answer{status: 200, data: true}, "answered"},
		{answer{status: 200, data: true, codes: []string{"INTERNAL", "INTERNAL"}}, "errors INTERNAL x2"},
		{answer{status: 502}, "HTTP 502"},
		{answer{err: context.DeadlineExceeded}, "timeout"},
		{answer{err: errors.New("connection reset")}, "failed"},
	} {
		if got := outcomeOf(c.a); got != c.want {
			t.Errorf("outcome of %+v: got %q, want %q", c.a, got, c.want)
		}
	}
}

func TestRSSVerdict(t *testing.T) {
	series := func(kB ...int64) []rssSample {
		out := make([]rssSample, 0, 30)
		for i := range 30 { // 30 s: the first and last 10 take the first and last third
			out = append(out, rssSample{at: time.Duration(i) * time.Second, kB: kB[i*len(kB)/30], phase: "with hostile"})
		}
		return out
	}
	soakMaxMB, soakGrowth = 150, 0.25
	for _, c := range []struct {
		name    string
		samples []rssSample
		fails   int
	}{
		{"flat", series(60<<10, 62<<10, 61<<10), 0},
		{"grows 20%", series(60<<10, 66<<10, 72<<10), 0},
		{"grows 50%", series(60<<10, 75<<10, 90<<10), 1},
		{"grows 50% of little", series(20<<10, 25<<10, 30<<10), 0},
		{"a peak at 150 MB", series(60<<10, 150<<10, 60<<10), 1},
		{"grows past the limit", series(60<<10, 120<<10, 160<<10), 2},
	} {
		if got := rssVerdict(c.samples, "with hostile"); len(got) != c.fails {
			t.Errorf("%s: got %d failures %q, want %d", c.name, len(got), got, c.fails)
		}
	}
	// A step up from the phase before is more work in flight, not growth.
	step := append(series(40<<10), series(70<<10)...)
	for i := range 30 {
		step[i].phase = "without hostile"
		step[30+i].at += 30 * time.Second
	}
	if got := rssVerdict(step, "with hostile"); len(got) != 0 {
		t.Errorf("a step between phases: got %q, want no failure", got)
	}
	if got := rssVerdict(nil, "with hostile"); len(got) != 1 {
		t.Errorf("no samples: got %q, want one failure", got)
	}
}

func TestSelectHostile(t *testing.T) {
	docs, shapes, err := selectHostile("nested 12 levels, history shapes")
	if err != nil || len(docs) != 1 || docs[0].name != "nested 12 levels" || !shapes {
		t.Errorf("got %v, %v, %v; want the nested document and the shapes", docs, shapes, err)
	}
	if _, _, err := selectHostile("no such document"); err == nil {
		t.Error("an unknown name: got no error, want one")
	}
	if docs, shapes, _ := selectHostile("none"); len(docs) != 0 || shapes {
		t.Errorf("none: got %d documents and shapes %v, want nothing", len(docs), shapes)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for u, ok := range map[string]bool{
		"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable": true,
		"postgres://postgres@localhost/postgres":                      true,
		"postgres://postgres@[::1]:5432/postgres":                     true,
		"postgres:///postgres?host=/var/run/postgresql":               true,
		"postgres://postgres@db.example.edu.cn:5432/postgres":         false,
		"postgres://postgres@10.0.0.5/postgres":                       false,
	} {
		if err := loopbackOnly(u); (err == nil) != ok {
			t.Errorf("%s: got %v, want allowed %v", u, err, ok)
		}
	}
}
