package main

import (
	"strings"
	"testing"

	"github.com/zhuguan/zhuguan/httpapi"
	"github.com/zhuguan/zhuguan/limits"
)

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
