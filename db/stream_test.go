package db_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/zhuguan/zhuguan/db"
	"github.com/zhuguan/zhuguan/db/dbtest"
)

// Long-lived reads run on the stream pool, without the statement_timeout that cuts an ordinary
// statement short.
func TestStreamingOutlivesStatementTimeout(t *testing.T) {
	ctx := ctxT(t)
	pool := dbtest.Open(t, db.Config{MaxConns: 2, StatementTimeout: 50 * time.Millisecond})
	var name string
	if err := pool.GetContext(ctx, &name, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	// The URL asks for a limit, as a DATABASE_URL might; the stream pool turns it off anyway.
	u, err := url.Parse(dbtest.URLOf(name))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("statement_timeout", "50")
	u.RawQuery = q.Encode()
	streamPool, err := db.Open(ctx, u.String(), db.Config{MaxConns: 1, StatementTimeout: db.NoStatementTimeout})
	if err != nil {
		t.Fatal(err)
	}
	defer streamPool.Close()
	s := db.NewStore(pool).WithStreamPool(streamPool)

	const slow = `SELECT pg_sleep(0.5)`
	var pe *pq.Error
	if err := db.Exec(ctx, s, slow); !errors.As(err, &pe) || pe.Code != "57014" {
		t.Errorf("a slow statement on the ordinary pool: got %v, want it canceled by statement_timeout (57014)", err)
	}
	if err := db.Exec(ctx, s.Streaming(), slow); err != nil {
		t.Errorf("the same statement as a long-lived read: got %v, want it to run to its end", err)
	}
}
