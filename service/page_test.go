package service

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
)

func b64(s string) *string {
	e := base64.RawURLEncoding.EncodeToString([]byte(s))
	return &e
}

func TestPageBounds(t *testing.T) {
	valid := encodeCursor(42)
	empty := ""
	garbage := "!!not base64!!"
	padded := base64.URLEncoding.EncodeToString([]byte("v1:42")) // with '=' padding
	tests := []struct {
		name      string
		args      PageArgs
		wantLimit int
		wantAfter int64
		wantErr   string // substring of the message; "" means success
	}{
		{"first 0", PageArgs{First: 0}, 0, 0, "between 1 and 100, got 0"},
		{"first negative", PageArgs{First: -1}, 0, 0, "between 1 and 100, got -1"},
		{"first 1", PageArgs{First: 1}, 1, 0, ""},
		{"first 100", PageArgs{First: 100}, 100, 0, ""},
		{"first 101", PageArgs{First: 101}, 0, 0, "between 1 and 100, got 101"},
		{"after nil", PageArgs{First: 10, After: nil}, 10, 0, ""},
		{"after empty", PageArgs{First: 10, After: &empty}, 10, 0, ""},
		{"after valid", PageArgs{First: 10, After: &valid}, 10, 42, ""},
		{"after garbage", PageArgs{First: 10, After: &garbage}, 0, 0, `"!!not base64!!"`},
		{"after padded base64", PageArgs{First: 10, After: &padded}, 0, 0, "not a valid cursor"},
		{"after v1:abc", PageArgs{First: 10, After: b64("v1:abc")}, 0, 0, "not a valid cursor"},
		{"after v1:-5", PageArgs{First: 10, After: b64("v1:-5")}, 0, 0, "not a valid cursor"},
		{"after v1:0", PageArgs{First: 10, After: b64("v1:0")}, 0, 0, "not a valid cursor"},
		{"after v1:", PageArgs{First: 10, After: b64("v1:")}, 0, 0, "not a valid cursor"},
		{"after without prefix", PageArgs{First: 10, After: b64("42")}, 0, 0, "not a valid cursor"},
		{"after other version", PageArgs{First: 10, After: b64("v2:42")}, 0, 0, "not a valid cursor"},
		{"after id overflows int64", PageArgs{First: 10, After: b64("v1:9223372036854775808")}, 0, 0, "not a valid cursor"},
		{"after largest id", PageArgs{First: 10, After: b64("v1:9223372036854775807")}, 10, 9223372036854775807, ""},
		{"bad first wins over bad after", PageArgs{First: 0, After: &garbage}, 0, 0, "between 1 and 100"},
	}
	ctx := WithLocale(context.Background(), English)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit, after, err := pageBounds(ctx, tt.args)
			if tt.wantErr == "" {
				if err != nil || limit != tt.wantLimit || after != tt.wantAfter {
					t.Fatalf("got %d, %d, %v, want %d, %d, nil", limit, after, err, tt.wantLimit, tt.wantAfter)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeBadInput {
				t.Fatalf("got error %#v, want *Error with code %s", err, CodeBadInput)
			}
			if !strings.Contains(e.Message, tt.wantErr) {
				t.Errorf("got message %q, want it to contain %q", e.Message, tt.wantErr)
			}
		})
	}
}

func TestPageBoundsChinese(t *testing.T) {
	_, _, err := pageBounds(context.Background(), PageArgs{First: 500})
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "1 到 100") || !strings.Contains(e.Message, "500") {
		t.Errorf("got %v, want a Chinese BAD_USER_INPUT naming 1 到 100 and 500", err)
	}
}

func TestNewPage(t *testing.T) {
	id := func(n int64) int64 { return n }
	tests := []struct {
		name     string
		rows     []int64
		limit    int
		wantIDs  []int64
		wantNext bool
	}{
		{"empty", nil, 10, []int64{}, false},
		{"fewer than limit", []int64{9, 7, 3}, 10, []int64{9, 7, 3}, false},
		{"exactly limit", []int64{9, 7, 3}, 3, []int64{9, 7, 3}, false},
		{"one extra row", []int64{9, 7, 3, 2}, 3, []int64{9, 7, 3}, true},
		{"limit one with extra", []int64{5, 4}, 1, []int64{5}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPage(tt.rows, tt.limit, id)
			if !slices.Equal(p.Items, tt.wantIDs) {
				t.Errorf("got items %v, want %v", p.Items, tt.wantIDs)
			}
			if p.HasNext != tt.wantNext {
				t.Errorf("got HasNext %v, want %v", p.HasNext, tt.wantNext)
			}

			for i := range p.Items {
				c := p.Cursor(i)
				_, after, err := pageBounds(context.Background(), PageArgs{First: 1, After: &c})
				if err != nil || after != p.Items[i] {
					t.Errorf("cursor %d %q: got id %d, %v, want %d, nil", i, c, after, err, p.Items[i])
				}
			}
		})
	}
}

func TestCursorIsOpaqueAndURLSafe(t *testing.T) {
	for _, id := range []int64{1, 62, 63, 1 << 40, 9223372036854775807} {
		c := encodeCursor(id)
		if strings.ContainsAny(c, "+/=") || strings.Contains(c, "v1") {
			t.Errorf("encodeCursor(%d): got %q, want URL-safe unpadded base64", id, c)
		}
	}
}
