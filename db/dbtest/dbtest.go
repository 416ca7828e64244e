// Package dbtest gives each test its own PostgreSQL database, migrated and dropped afterwards, on
// the server named by TEST_DATABASE_URL (default: the local one that `make test` ensures).
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the driver behind sqlx.Open("postgres")
	"github.com/zhuguan/zhuguan/db"
)

// AdminURL returns the URL of the maintenance database through which test databases are created
// and dropped: TEST_DATABASE_URL, else the local server's postgres database.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// New creates a uniquely named database, applies the migrations and returns its URL; the database
// is dropped when the test ends, even when other connections are still open. It fails the test
// when the server cannot be reached or a migration fails.
func New(t testing.TB) string {
	t.Helper()
	dsn := Empty(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	d, err := db.Open(ctx, dsn, db.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := db.Migrate(ctx, d); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Empty creates a uniquely named database without any migration and returns its URL; it is
// dropped when the test ends, even when other connections are still open. It fails the test when
// the database cannot be created, and reports (t.Errorf) one that cannot be dropped.
func Empty(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := sqlx.Open("postgres", AdminURL())
	if err != nil {
		t.Fatalf("open %s: %v", AdminURL(), err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "zhuguan_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database (is PostgreSQL running? `make test` starts it): %v", err)
	}
	t.Cleanup(func() {
		a, err := sqlx.Open("postgres", AdminURL())
		if err != nil {
			t.Errorf("drop %s: %v", name, err)
			return
		}
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	return URLOf(name)
}

// URLOf returns the URL of database name on the server of AdminURL; it panics when AdminURL is
// not a URL, since no test can run then.
func URLOf(name string) string {
	u, err := url.Parse(AdminURL())
	if err != nil {
		panic(fmt.Sprintf("TEST_DATABASE_URL %q: %v", AdminURL(), err)) // every test needs it; nothing runs without
	}
	u.Path = "/" + name
	return u.String()
}

// Open returns a pool on a fresh test database (see New); it is closed before the database is
// dropped.
func Open(t testing.TB, cfg db.Config) *sqlx.DB {
	t.Helper()
	dsn := New(t)
	d, err := db.Open(context.Background(), dsn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
