package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The CSV writer's answers to a row source that fails: before the first row a proper error
// response, after it a cut connection, never a short file that reads as whole.

var oneColumn = []exportColumn[string]{{header: [2]string{"列", "Column"}, value: func(_ context.Context, r *string) string { return *r }}}

// serveRows serves rows through streamCSV and GETs it.
func serveRows(t *testing.T, rows func(ctx context.Context, yield func(*string) error) error) (*http.Response, error) {
	t.Helper()
	x := exporter{logger: slog.New(slog.NewTextHandler(io.Discard, nil)), shutdown: context.Background()}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		streamCSV(x, w, r, "t.csv", oneColumn, rows)
	}))
	t.Cleanup(srv.Close)
	return http.Get(srv.URL)
}

func TestStreamCSVFailureAfterTheFirstRowCutsTheDownload(t *testing.T) {
	res, err := serveRows(t, func(_ context.Context, yield func(*string) error) error {
		for _, v := range []string{"first", strings.Repeat("x", 100<<10)} { // the second fills the buffer: bytes go out
			if err := yield(&v); err != nil {
				return err
			}
		}
		return errors.New("the database connection broke")
	})
	if err != nil {
		return // cut before the status line even went out: no file at all, as good
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil {
		t.Errorf("reading a download whose rows failed: got %d bytes and a clean end, want the connection cut", len(body))
	}
}

func TestStreamCSVFailureBeforeAnyRowIsAnError(t *testing.T) {
	res, err := serveRows(t, func(context.Context, func(*string) error) error {
		return errors.New(`pq: relation "applications" does not exist`)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusInternalServerError || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "INTERNAL" {
		t.Fatalf("got %d %+v, want 500 and one INTERNAL error", res.StatusCode, body)
	}
	if strings.Contains(body.Errors[0].Message, "pq") || strings.Contains(body.Errors[0].Message, "relation") {
		t.Errorf("message: got %q, want nothing of the driver's text", body.Errors[0].Message)
	}
}

func TestStreamCSVWithoutRowsIsTheHeaderRow(t *testing.T) {
	res, err := serveRows(t, func(context.Context, func(*string) error) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || string(body) != "\uFEFF列\n" {
		t.Errorf("no rows: got %q (%v), want the BOM and the header row", body, err)
	}
}
