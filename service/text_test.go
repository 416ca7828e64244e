package service

import (
	"strings"
	"testing"
)

func TestValidText(t *testing.T) {
	for s, want := range map[string]bool{
		"": true, "研究生院": true, "tab\tand\nnewline": true,
		"a\x00b": false, "\xff": false, "a\xc3": false, "\xed\xa0\x80": false, // a surrogate, encoded
	} {
		if got := ValidText(s); got != want {
			t.Errorf("ValidText(%q): got %v, want %v", s, got, want)
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("岗", 100)
	tests := []struct{ in, want string }{
		{"abc", `"abc"`},
		{"a\x00b\xff", `"a\x00b\xff"`},
		{strings.Repeat("x", MaxQuoted), `"` + strings.Repeat("x", MaxQuoted) + `"`},
		{strings.Repeat("x", MaxQuoted+1), `"` + strings.Repeat("x", MaxQuoted) + `…"`},
		{long, `"` + strings.Repeat("岗", MaxQuoted) + `…"`},
		{strings.Repeat("\xff", 50), `"` + strings.Repeat(`\xff`, MaxQuoted) + `…"`},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%.20q…): got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestCatalogQuotesThroughQuote: a catalog entry that shows input takes it already quoted (%s of
// Quote's result), so no message can send a long or raw value back.
func TestCatalogQuotesThroughQuote(t *testing.T) {
	for key, m := range messages {
		for _, s := range m {
			for _, v := range verbs(s) {
				if v == "q" {
					t.Errorf("%s: got a %%q verb in %q, want %%s with Quote(input)", key, s)
				}
			}
		}
	}
}
