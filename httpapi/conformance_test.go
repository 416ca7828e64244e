package httpapi_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/zhuguan/zhuguan/e2e"
)

// auditDir holds the graphql-http audit: its runner and the npm packages it pins.
const auditDir = "../scripts/audit"

// TestGraphQLOverHTTPAudit runs graphql-http's server audit (the GraphQL-over-HTTP spec's
// conformance suite, pinned in scripts/audit/package-lock.json) against the real server and fails
// on any warning or error, showing the audit's report.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed: run scripts/ensure-audit.sh (make test does): %v", err)
	}
	if _, err := os.Stat(filepath.Join(auditDir, "node_modules", "graphql-http", "package.json")); err != nil {
		t.Fatalf("the audit's npm packages are not installed: run scripts/ensure-audit.sh (make test does): %v", err)
	}
	s := e2e.NewServer(t)
	out, err := exec.CommandContext(t.Context(), node, filepath.Join(auditDir, "audit.mjs"), s.URL+"/graphql").CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		t.Fatalf("graphql-http audit failed (exit %d):\n%s", exit.ExitCode(), out)
	case err != nil:
		t.Fatalf("running the audit: %v\n%s", err, out)
	}
	summary := regexp.MustCompile(`graphql-http audit: \d+ ok, \d+ notice, 0 warn, 0 error`).Find(out)
	if summary == nil {
		t.Fatalf("audit output has no summary line with 0 warn and 0 error:\n%s", out)
	}
	t.Logf("%s", out)
}
