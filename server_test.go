package main

import "testing"

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
	if cfg, err := loadConfig(func(k string) string { return map[string]string{"LIMIT_COST": "250"}[k] }); err != nil || cfg.Cost != 250 {
		t.Errorf("LIMIT_COST=250: got %d (%v), want 250", cfg.Cost, err)
	}
	if _, err := loadConfig(func(k string) string { return map[string]string{"LIMIT_COST": "0"}[k] }); err == nil {
		t.Errorf("LIMIT_COST=0: accepted, want refused")
	}
}
