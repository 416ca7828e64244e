package main

import (
	"strings"
	"testing"
	"time"

	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/limits"
)

// The shutdown grace and the number of prepared shapes have defaults, take the environment's
// values, and refuse values that are not positive, naming the variable.
func TestLoadConfigGraceAndShapes(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	c, err := loadConfig(env(nil))
	if err != nil || c.ShutdownGrace != 25*time.Second || c.PreparedShapes != db.DefaultPreparedShapes {
		t.Errorf("defaults: got %v, %d, %v; want 25s, %d", c.ShutdownGrace, c.PreparedShapes, err, db.DefaultPreparedShapes)
	}
	c, err = loadConfig(env(map[string]string{"SHUTDOWN_GRACE": "3s", "DB_PREPARED_SHAPES": "7"}))
	if err != nil || c.ShutdownGrace != 3*time.Second || c.PreparedShapes != 7 {
		t.Errorf("set: got %v, %d, %v; want 3s, 7", c.ShutdownGrace, c.PreparedShapes, err)
	}
	for k, v := range map[string]string{"SHUTDOWN_GRACE": "0s", "DB_PREPARED_SHAPES": "0"} {
		if _, err := loadConfig(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: got %v, want an error naming %s", k, v, err, k)
		}
	}
	if _, err := loadConfig(env(map[string]string{"SHUTDOWN_GRACE": "soon"})); err == nil {
		t.Errorf("SHUTDOWN_GRACE=soon: got no error")
	}
}

// TestLoadConfigLimits: each LIMIT_* variable sets its limit; unset ones stay zero (httpapi's
// default); a value that is not a positive integer is refused, naming the variable.
func TestLoadConfigLimits(t *testing.T) {
	env := map[string]string{
		"LIMIT_BODY_BYTES": "4194304", "LIMIT_PARSER_TOKENS": "20000", "LIMIT_VALIDATION_ERRORS": "10",
		"LIMIT_DEPTH": "12", "LIMIT_ALIASES": "40", "LIMIT_DUPLICATE_FIELDS": "60", "LIMIT_FRAGMENT_SPREADS": "200",
		"LIMIT_SELECTIONS": "3000", "LIMIT_DIRECTIVES": "5",
	}
	c, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := httpapi.Limits{BodyBytes: 4194304, ParserTokens: 20000, ValidationErrors: 10,
		Document: limits.Limits{Depth: 12, Aliases: 40, DuplicateFields: 60, FragmentSpreads: 200, Selections: 3000, Directives: 5}}
	if c.Limits != want {
		t.Errorf("got %+v, want %+v", c.Limits, want)
	}
	if c, err := loadConfig(func(string) string { return "" }); err != nil || c.Limits != (httpapi.Limits{}) {
		t.Errorf("nothing set: got %+v, %v; want zero limits (the defaults)", c.Limits, err)
	}
	for name := range env {
		for _, bad := range []string{"0", "-1", "ten"} {
			_, err := loadConfig(func(k string) string {
				if k == name {
					return bad
				}
				return ""
			})
			if err == nil || !strings.Contains(err.Error(), name) {
				t.Errorf("%s=%s: got %v, want an error naming %s", name, bad, err, name)
			}
		}
	}
}

// ENV and GRAPHIQL select the mode; anything else is refused rather than read as development.
func TestLoadConfigMode(t *testing.T) {
	for _, c := range []struct {
		env, graphiql        string
		production, withPage bool
		bad                  bool
	}{
		{"", "", false, false, false},
		{"development", "", false, false, false},
		{"production", "", true, false, false},
		{"production", "on", true, true, false},
		{"production", "off", true, false, false},
		{"prod", "", false, false, true},
		{"production", "yes", false, false, true},
	} {
		cfg, err := loadConfig(func(k string) string {
			return map[string]string{"ENV": c.env, "GRAPHIQL": c.graphiql}[k]
		})
		if (err != nil) != c.bad {
			t.Errorf("ENV=%q GRAPHIQL=%q: error %v, want an error: %v", c.env, c.graphiql, err, c.bad)
			continue
		}
		if !c.bad && (cfg.Production != c.production || cfg.GraphiQL != c.withPage) {
			t.Errorf("ENV=%q GRAPHIQL=%q: got production %v, GraphiQL %v; want %v, %v", c.env, c.graphiql, cfg.Production, cfg.GraphiQL, c.production, c.withPage)
		}
	}
	if cfg, err := loadConfig(func(k string) string { return map[string]string{"LIMIT_COST": "250"}[k] }); err != nil || cfg.Limits.Cost != 250 {
		t.Errorf("LIMIT_COST=250: got %d (%v), want 250", cfg.Limits.Cost, err)
	}
	if _, err := loadConfig(func(k string) string { return map[string]string{"LIMIT_COST": "0"}[k] }); err == nil {
		t.Errorf("LIMIT_COST=0: accepted, want refused")
	}
}
