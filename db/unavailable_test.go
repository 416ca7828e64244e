package db

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/service"
)

// translate tells a refused or lost connection from every other failure: only those become
// service.ErrUnavailable, with the cause kept for the log.
func TestTranslateUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"DNS", &net.DNSError{Err: "no such host", Name: "db"}, true},
		{"bad connection", fmt.Errorf("in tx: %w", driver.ErrBadConn), true},
		{"EOF", io.ErrUnexpectedEOF, true},
		{"admin shutdown", &pq.Error{Severity: "FATAL", Code: "57P01"}, true},
		{"not accepting connections", &pq.Error{Severity: "FATAL", Code: "55000"}, true},
		{"cannot connect now", &pq.Error{Severity: "ERROR", Code: "57P03"}, true},
		{"connection exception", &pq.Error{Severity: "ERROR", Code: "08006"}, true},
		{"too many connections", &pq.Error{Severity: "FATAL", Code: "53300"}, true},
		{"unique violation", &pq.Error{Severity: "ERROR", Code: "23505"}, false},
		{"statement timeout", &pq.Error{Severity: "ERROR", Code: "57014"}, false},
		{"the request's deadline", context.DeadlineExceeded, false},
		{"canceled", context.Canceled, false},
		{"anything else", errors.New("boom"), false},
	} {
		err := translate(c.err)
		if got := errors.Is(err, service.ErrUnavailable); got != c.want {
			t.Errorf("%s: translate(%v) is ErrUnavailable: got %v, want %v", c.name, c.err, got, c.want)
		}
		if c.want && !errors.Is(err, c.err) {
			t.Errorf("%s: translate(%v) = %v, want the cause kept", c.name, c.err, err)
		}
	}
}
