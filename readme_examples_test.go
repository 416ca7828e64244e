package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/zhuguan/zhuguan/db/dbtest"
	"github.com/zhuguan/zhuguan/e2e"
)

// example is one runnable block of the README's "Example operations" and "Clients" sections.
type example struct {
	line int    // of the opening fence, for messages
	lang string // graphql or sh
	text string
	vars string // the json block right after a graphql block; "" when none
	role string // the label of its "# as ROLE" line
}

var (
	fenceRe = regexp.MustCompile("^```([a-z]*)$")
	roleRe  = regexp.MustCompile(`(?m)^#\s*as\s+(.+?)\s*$`)
	// yearRe finds the academic year the README's examples are written for.
	yearRe = regexp.MustCompile("written for the academic year `(\\d{4})-\\d{4}`")
	// seededYearRe and tokenLabelRe read what seed-demo prints.
	seededYearRe = regexp.MustCompile(`academic year (\d{4})-\d{4}`)
	tokenLabelRe = regexp.MustCompile(`^  (\S.*?)(?: \(unitId \d+\))?$`)
	fourDigitsRe = regexp.MustCompile(`\b\d{4}\b`)
)

// readmeExamples parses the README's graphql and sh blocks, in order, with the json block that
// follows a graphql block as its variables. Other fenced blocks (plain ``` ones) are not examples.
// It refuses an example without a role line, a json block after anything but a graphql block
// (blank lines aside), and a block left open.
func readmeExamples(readme string) ([]example, error) {
	var out []example
	var cur *example
	var body []string
	lastGraphQL := -1 // index in out of a graphql block that only blank lines follow
	sc := bufio.NewScanner(strings.NewReader(readme))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		m := fenceRe.FindStringSubmatch(line)
		switch {
		case cur == nil && m != nil: // opening fence
			body, cur = nil, &example{line: n, lang: m[1]}
		case cur == nil:
			if strings.TrimSpace(line) != "" {
				lastGraphQL = -1
			}
		case line == "```": // closing fence
			text := strings.Join(body, "\n") + "\n"
			switch cur.lang {
			case "graphql", "sh":
				cur.text = text
				if r := roleRe.FindStringSubmatch(text); r != nil {
					cur.role = r[1]
				} else {
					return nil, fmt.Errorf("README.md:%d: %s block has no \"# as ROLE\" line", cur.line, cur.lang)
				}
				out = append(out, *cur)
				lastGraphQL = -1
				if cur.lang == "graphql" {
					lastGraphQL = len(out) - 1
				}
			case "json":
				if lastGraphQL < 0 {
					return nil, fmt.Errorf("README.md:%d: json block follows no graphql example", cur.line)
				}
				out[lastGraphQL].vars = text
				lastGraphQL = -1
			default:
				lastGraphQL = -1
			}
			cur = nil
		default:
			body = append(body, line)
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("README.md:%d: block is not closed", cur.line)
	}
	return out, sc.Err()
}

// shiftYears adds offset to every four-digit number within two years of ref in text: the
// README's years and dates, written for the academic year starting in ref, as of today's year.
// Other numbers (pay, student numbers, phones) are not four digits long or not near ref.
func shiftYears(text string, ref, offset int) string {
	if offset == 0 {
		return text
	}
	return fourDigitsRe.ReplaceAllStringFunc(text, func(s string) string {
		y, _ := strconv.Atoi(s)
		if y < ref-1 || y > ref+2 {
			return s
		}
		return strconv.Itoa(y + offset)
	})
}

// seedDemo runs the seed-demo subcommand, as `make run` does after migrate, on the database at
// dbURL, and returns the tokens it printed by label ("STUDENT 20160931") and the first calendar
// year of the academic year it seeded.
func seedDemo(t *testing.T, dbURL string) (map[string]string, int) {
	t.Helper()
	env := map[string]string{"DATABASE_URL": dbURL, "JWT_SECRET": e2e.TestSecret, "PORT": "18089"}
	var out bytes.Buffer
	for _, cmd := range []string{"migrate", "seed-demo"} {
		out.Reset()
		if err := run(context.Background(), []string{cmd}, func(k string) string { return env[k] }, &out); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out.String())
		}
	}
	printed := out.String()
	m := seededYearRe.FindStringSubmatch(printed)
	if m == nil {
		t.Fatalf("seed-demo printed no academic year:\n%s", printed)
	}
	year, _ := strconv.Atoi(m[1])
	tokens := map[string]string{}
	lines := strings.Split(printed, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if l := tokenLabelRe.FindStringSubmatch(lines[i]); l != nil && strings.HasPrefix(lines[i+1], "    eyJ") {
			tokens[l[1]] = strings.TrimSpace(lines[i+1])
		}
	}
	if len(tokens) != 3 {
		t.Fatalf("seed-demo printed %d labelled tokens, want 3:\n%s", len(tokens), printed)
	}
	return tokens, year
}

// TestReadmeExamplesRunOnTheDemo runs every example of the README, in order, against the real
// server over HTTP on a database that seed-demo wrote, with the token its "# as ROLE" line names,
// and checks that each answer shows something (see checkAnswer). The README states the
// conventions this test reads.
func TestReadmeExamplesRunOnTheDemo(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := readmeExamples(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, ex := range examples {
		counts[ex.lang]++
	}
	if counts["graphql"] < 10 || counts["sh"] < 1 {
		t.Fatalf("README.md: got %d graphql and %d sh examples, want at least 10 and 1", counts["graphql"], counts["sh"])
	}
	m := yearRe.FindStringSubmatch(string(readme))
	if m == nil {
		t.Fatal("README.md does not say which academic year its examples are written for")
	}
	readmeYear, _ := strconv.Atoi(m[1])
	schema := loadSchema(t)

	s := e2e.NewServer(t)
	var dbName string
	if err := s.DB.Get(&dbName, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	tokens, seededYear := seedDemo(t, dbtest.URLOf(dbName))
	s.SetNow(time.Now()) // the seed ran on the real clock; the server takes up after it
	offset := seededYear - readmeYear

	for _, ex := range examples {
		where := fmt.Sprintf("README.md:%d (%s as %s)", ex.line, ex.lang, ex.role)
		token, ok := tokens[ex.role]
		if !ok {
			t.Errorf("%s: seed-demo prints no token labelled %q", where, ex.role)
			continue
		}
		ex.text = shiftYears(ex.text, readmeYear, offset)
		ex.vars = shiftYears(ex.vars, readmeYear, offset)
		var answer []byte
		var doc *ast.QueryDocument
		if ex.lang == "graphql" {
			doc, answer, err = postExample(schema, ex, s.URL, token)
		} else {
			answer, err = runScript(t, ex.text, s.URL, token)
		}
		if err != nil {
			t.Errorf("%s: %v\n%s", where, err, ex.text)
			continue
		}
		for _, problem := range checkAnswer(answer, doc) {
			t.Errorf("%s: %s\nanswer: %s", where, problem, answer)
		}
	}
}

// postExample validates a graphql example against schema and posts it with its variables and
// token to the server at url; it returns the parsed document and the answer, or why it could
// not send the example (it does not validate, it has more than one operation, bad variables).
func postExample(schema *ast.Schema, ex example, url, token string) (*ast.QueryDocument, []byte, error) {
	doc, errs := gqlparser.LoadQuery(schema, ex.text)
	if errs != nil {
		return nil, nil, fmt.Errorf("does not validate: %w", errs)
	}
	if len(doc.Operations) != 1 {
		return nil, nil, fmt.Errorf("got %d operations, want one per block", len(doc.Operations))
	}
	var vars map[string]any
	if ex.vars != "" {
		if err := json.Unmarshal([]byte(ex.vars), &vars); err != nil {
			return nil, nil, fmt.Errorf("variables: %w", err)
		}
	}
	r, err := e2e.PostOp(url, token, ex.text, vars)
	if err != nil {
		return nil, nil, err
	}
	answer, err := json.Marshal(map[string]any{"data": r.Data, "errors": r.Errors})
	return doc, answer, err
}

// runScript runs an sh example with bash in an empty directory, with URL and TOKEN set, and
// returns what it printed; it fails when bash does, with what the script wrote to stderr.
func runScript(t *testing.T, script, url, token string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // only against a hang: a script never waits on time
	defer cancel()
	dir := t.TempDir()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "URL=" + url, "TOKEN=" + token}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bash: %w; stderr: %s; stdout: %s", err, stderr.Bytes(), stdout.Bytes())
	}
	return stdout.Bytes(), nil
}

// mayBeEmpty are the lists an answer may leave empty: a payload's reminders are none when all is well.
var mayBeEmpty = map[string]bool{"warnings": true}

// checkAnswer returns what is wrong with an example's answer: a GraphQL response (a JSON object)
// must have data and no errors, every userErrors must be empty, every other list (but
// mayBeEmpty) must have elements and every totalCount must be positive, and where doc selects
// fields of an object the answer may not be null. Anything else (a download) must not be empty.
func checkAnswer(answer []byte, doc *ast.QueryDocument) []string {
	trimmed := bytes.TrimSpace(answer)
	if doc == nil && !bytes.HasPrefix(trimmed, []byte("{")) {
		if len(trimmed) == 0 {
			return []string{"printed nothing"}
		}
		return nil
	}
	var r struct {
		Data   any   `json:"data"`
		Errors []any `json:"errors"`
	}
	if err := json.Unmarshal(trimmed, &r); err != nil {
		return []string{fmt.Sprintf("answer is not JSON: %v", err)}
	}
	var problems []string
	if len(r.Errors) > 0 {
		problems = append(problems, fmt.Sprintf("got %d errors, want none", len(r.Errors)))
	}
	if r.Data == nil {
		if len(problems) == 0 {
			problems = append(problems, "got no data")
		}
		return problems
	}
	problems = checkValues("data", r.Data, problems)
	if doc != nil {
		problems = checkSelection("data", doc.Operations[0].SelectionSet, r.Data, problems)
	}
	return problems
}

// checkValues appends the problems of the answer's value v at path: non-empty userErrors, empty
// lists, a totalCount of 0.
func checkValues(path string, v any, problems []string) []string {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			p := path + "." + k
			switch list, isList := e.([]any); {
			case k == "userErrors" && len(list) > 0:
				problems = append(problems, fmt.Sprintf("%s: got %v, want none", p, list))
			case k == "userErrors" || mayBeEmpty[k]:
			case isList && len(list) == 0:
				problems = append(problems, fmt.Sprintf("%s: got an empty list; the demo should give the example rows to show", p))
			case k == "totalCount" && e == float64(0):
				problems = append(problems, fmt.Sprintf("%s: got 0; the demo should give the example rows to show", p))
			default:
				problems = checkValues(p, e, problems)
			}
		}
	case []any:
		for i, e := range v {
			problems = checkValues(fmt.Sprintf("%s[%d]", path, i), e, problems)
		}
	}
	return problems
}

// checkSelection appends a problem for each field of set that selects fields of its own but is
// null in v, the answer at path.
func checkSelection(path string, set ast.SelectionSet, v any, problems []string) []string {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			problems = checkSelection(fmt.Sprintf("%s[%d]", path, i), set, e, problems)
		}
		return problems
	case map[string]any:
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				p := path + "." + sel.Alias
				e, present := v[sel.Alias]
				if len(sel.SelectionSet) == 0 || !present {
					continue
				}
				if e == nil {
					problems = append(problems, fmt.Sprintf("%s: got null, want an object", p))
					continue
				}
				problems = checkSelection(p, sel.SelectionSet, e, problems)
			case *ast.InlineFragment:
				problems = checkSelection(path, sel.SelectionSet, v, problems)
			case *ast.FragmentSpread:
				problems = checkSelection(path, sel.Definition.SelectionSet, v, problems)
			}
		}
	}
	return problems
}

func TestShiftYears(t *testing.T) {
	const text = `{"year": "2026-2027", "at": "2027-01-04T08:00:00+08:00", "no": "20160931", "pay": "2400.00", "old": "2019-2020"}`
	for _, c := range []struct {
		offset int
		want   string
	}{
		{0, text},
		{1, `{"year": "2027-2028", "at": "2028-01-04T08:00:00+08:00", "no": "20160931", "pay": "2400.00", "old": "2019-2020"}`},
		{3, `{"year": "2029-2030", "at": "2030-01-04T08:00:00+08:00", "no": "20160931", "pay": "2400.00", "old": "2019-2020"}`},
	} {
		if got := shiftYears(text, 2026, c.offset); got != c.want {
			t.Errorf("shiftYears(+%d):\n got %s\nwant %s", c.offset, got, c.want)
		}
	}
}

func TestReadmeExamplesParse(t *testing.T) {
	const ok = "text\n```graphql\n# as ADMIN\nquery A { units { id } }\n```\n\n```json\n{\"x\": 1}\n```\n" +
		"```\nmake run\n```\n```sh\n# as STUDENT 20160931\ncurl -sS \"$URL\"\n```\n"
	got, err := readmeExamples(ok)
	if err != nil {
		t.Fatal(err)
	}
	want := []example{
		{line: 2, lang: "graphql", text: "# as ADMIN\nquery A { units { id } }\n", vars: "{\"x\": 1}\n", role: "ADMIN"},
		{line: 13, lang: "sh", text: "# as STUDENT 20160931\ncurl -sS \"$URL\"\n", role: "STUDENT 20160931"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, c := range []struct{ readme, want string }{
		{"```graphql\nquery A { units { id } }\n```\n", "README.md:1: graphql block has no \"# as ROLE\" line"},
		{"```graphql\n# as ADMIN\nquery A { units { id } }\n```\nprose\n```json\n{}\n```\n", "README.md:6: json block follows no graphql example"},
		{"```sh\n# as ADMIN\n", "README.md:1: block is not closed"},
	} {
		if _, err := readmeExamples(c.readme); err == nil || err.Error() != c.want {
			t.Errorf("readmeExamples(%q): got error %v, want %s", c.readme, err, c.want)
		}
	}
}
