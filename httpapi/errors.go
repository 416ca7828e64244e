package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/service"
)

// presentError is the one place errors become GraphQL errors. Service errors carry a safe message
// and a code; gqlgen's own parse, validation and argument errors are safe as they are, and those
// clients meet most are said again in the caller's language (localizeRequestError), with
// gqlparser's suggestions of names when suggest holds; anything else is logged with the request
// id and shown only as INTERNAL.
func presentError(logger *slog.Logger, suggest bool) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error { return present(ctx, logger, err, suggest) }
}

// codeStatus is the HTTP status of each code, for the answers that are not GraphQL responses
// (the CSV exports); a code not listed is a 500.
var codeStatus = map[string]int{
	string(service.CodeUnauthenticated): http.StatusUnauthorized,
	string(service.CodeForbidden):       http.StatusForbidden,
	string(service.CodeNotFound):        http.StatusNotFound,
	string(service.CodeBadInput):        http.StatusBadRequest,
	codeShuttingDown:                    http.StatusServiceUnavailable,
	CodeUnavailable:                     http.StatusServiceUnavailable,
}

// retryAfter is the Retry-After of a 503: the seconds a client should wait before it tries again
// (a replica that shuts down, or the database coming back).
const retryAfter = "2"

// writeHTTPError answers a plain HTTP request (a CSV export) that failed before its body began:
// the error as presentError shows it, in a GraphQL-shaped JSON body, under the status its code
// stands for.
func writeHTTPError(w http.ResponseWriter, r *http.Request, logger *slog.Logger, err error) {
	e := present(r.Context(), logger, err, false)
	code, _ := e.Extensions["code"].(string)
	status, ok := codeStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{"message": e.Message, "extensions": e.Extensions}}})
	h := w.Header()
	h.Set("Content-Type", mediaJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	switch status {
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", "Bearer")
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// present is presentError's verdict on one error.
func present(ctx context.Context, logger *slog.Logger, err error, suggest bool) *gqlerror.Error {
	out := graphql.DefaultErrorPresenter(ctx, err)
	var se *service.Error
	var ge *gqlerror.Error
	switch {
	case errors.As(err, &se):
		out.Message = se.Message
		out.Extensions = map[string]any{"code": string(se.Code)}
	case errors.As(err, &ge) && ge.Err == nil:
		// gqlgen's own verdict on the document or the variables: nothing of ours inside.
		if out.Extensions == nil {
			out.Extensions = map[string]any{}
		}
		if _, ok := out.Extensions["code"]; !ok {
			out.Extensions["code"] = string(service.CodeBadInput)
		}
		// In place: the websocket transport sends some request errors as they were before
		// presentation, and they are the same values.
		if msg, ok := localizeRequestError(ctx, out, suggest); ok {
			out.Message = msg
		} else if m := suggestionRe.FindStringSubmatch(out.Message); m != nil && !suggest {
			out.Message = m[1]
		}
	case errors.Is(err, service.ErrUnavailable):
		// Not a bug but an outage: the client may retry, and the log says what the driver met.
		rid := requestIDOf(ctx)
		logger.WarnContext(ctx, "database unavailable", "request_id", rid, "err", err.Error(), "path", out.Path.String())
		out.Message = service.Message(ctx, "unavailable", rid)
		out.Extensions = map[string]any{"code": CodeUnavailable, "requestId": rid}
	case ctx.Err() != nil:
		// The deadline passed, or the client left, before this field was resolved: whatever the
		// resolver wrapped it in, that is the cause. Not logged: deadline says it once.
		out.Message = service.Message(ctx, "fieldTimedOut")
		out.Extensions = map[string]any{"code": CodeTimeout}
	default:
		rid := requestIDOf(ctx)
		logger.ErrorContext(ctx, "internal error", "request_id", rid, "err", err.Error(), "path", out.Path.String())
		out.Message = service.Message(ctx, "internal", rid)
		out.Extensions = map[string]any{"code": CodeInternal, "requestId": rid}
	}
	return out
}

// The codes of top-level errors that the HTTP edge and gqlgen give, beside the service's
// (service.Code), the persisted queries' (apq.go), the cost limit's (CodeCostLimit), the
// deadline's (CodeTimeout) and shutdown's (codeShuttingDown): INTERNAL, a failure whose details
// only the log has; UNAVAILABLE, the database could not be reached or lost the connection
// (service.ErrUnavailable), nothing was done and a retry may succeed.
const (
	CodeInternal    = "INTERNAL"
	CodeUnavailable = "UNAVAILABLE"
)

// Codes is every `extensions.code` a top-level error of this server can carry. readme_test.go
// holds the README's Errors table to exactly this list, and codes_test.go this list to the code
// constants and literals of the server's packages: a new code is a constant, listed here and there.
var Codes = append([]string{
	string(service.CodeUnauthenticated), string(service.CodeForbidden), string(service.CodeNotFound),
	string(service.CodeBadInput), CodeInternal, CodeUnavailable,
	errcode.ParseFailed, errcode.ValidationFailed, CodeCostLimit, CodeTimeout,
	codePersistedQueryNotFound, codePersistedQueryMismatch, codeShuttingDown,
}, limitCodes...)

// requestMessages are the verdicts of gqlparser and gqlgen on a document that clients meet most,
// each found by the validation rule that gave it (without its WithoutSuggestions suffix; none for
// the parser and the executor) and its English wording, whose groups are the arguments of the
// catalog entry that says it in the caller's language. A suggestion ("Did you mean ...") is cut
// off before matching and said again after it.
var requestMessages = []struct {
	rule string
	re   *regexp.Regexp
	key  string
}{
	{"", regexp.MustCompile(`^Expected (.+), found (.+)$`), "gqlExpected"},
	{"", regexp.MustCompile(`^Unexpected (.+)$`), "gqlUnexpected"},
	{"", regexp.MustCompile(`^exceeded token limit of (\d+)$`), "gqlTokenLimit"},
	{"", regexp.MustCompile(`^exceeded maximum nesting depth of (\d+)$`), "gqlNestingLimit"},
	{"", regexp.MustCompile(`^no operation provided$`), "gqlNoOperation"},
	{"", regexp.MustCompile(`^operation  not found$`), "gqlOperationUnnamed"},
	{"", regexp.MustCompile(`^operation (.+) not found$`), "gqlOperationNotFound"},
	{"FieldsOnCorrectType", regexp.MustCompile(`^Cannot query field "(.+)" on type "(.+)"\.$`), "gqlUnknownField"},
	{"KnownArgumentNames", regexp.MustCompile(`^Unknown argument "(.+)" on field "(.+)"\.$`), "gqlUnknownArgument"},
	{"KnownArgumentNames", regexp.MustCompile(`^Unknown argument "(.+)" on directive "@(.+)"\.$`), "gqlUnknownDirectiveArg"},
	{"ProvidedRequiredArguments", regexp.MustCompile(`^Field "(.+)" argument "(.+)" of type "(.+)" is required, but it was not provided\.$`), "gqlMissingArgument"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^Expected value of type "(.+)", found (.+)\.$`), "gqlWrongValue"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^Int cannot represent non 32-bit signed integer value: (.+)$`), "gqlIntRange"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^(Int|Float|String|Boolean|ID) cannot represent (?:a )?non[- ].* value: (.+)$`), "gqlWrongValue"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^Enum "(.+)" cannot represent non-enum value: (.+)\.$`), "gqlNotEnumValue"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^Value "(.+)" does not exist in "(.+)" enum\.$`), "gqlUnknownEnumValue"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^Field "(.+)" of required type "(.+)" was not provided\.$`), "gqlMissingInputField"},
	{"ValuesOfCorrectType", regexp.MustCompile(`^Field "(.+)" is not defined by type "(.+)"\.$`), "gqlUnknownInputField"},
	{"VariablesInAllowedPosition", regexp.MustCompile(`^Variable "(.+)" of type "(.+)" used in position expecting type "(.+)"\.$`), "gqlVariablePosition"},
	{"ScalarLeafs", regexp.MustCompile(`^Field "(.+)" of type "(.+)" must have a selection of subfields\.$`), "gqlNeedsSelection"},
	{"ScalarLeafs", regexp.MustCompile(`^Field "(.+)" must not have a selection since type "(.+)" has no subfields\.$`), "gqlNoSelection"},
	{"NoUndefinedVariables", regexp.MustCompile(`^Variable "(.+)" is not defined\.$`), "gqlUndefinedVariable"},
	{"NoUndefinedVariables", regexp.MustCompile(`^Variable "(.+)" is not defined by operation "(.+)"\.$`), "gqlUndefinedVariableIn"},
}

// variableMessages are the refusals of gqlparser's coercion of the request's variables
// (validator.VariableValues), whose path names the variable. The catalog entry's arguments are
// that path, then the groups value, type and kind that its pattern has, in that order; kind is
// the Go kind gqlparser saw, said as the JSON the client sent.
var variableMessages = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^must be defined$`), "gqlVariableMissing"},
	{regexp.MustCompile(`^cannot be null$`), "gqlVariableNull"},
	{regexp.MustCompile(`^unknown field$`), "gqlVariableUnknownField"},
	{regexp.MustCompile(`^cannot use (?:value \S+|(?P<kind>\w+)) as (?P<type>\w+)$`), "gqlVariableType"},
	{regexp.MustCompile(`^must be an? (?P<type>\w+), not an? (?P<kind>\w+)$`), "gqlVariableType"},
	{regexp.MustCompile(`^(?P<value>.*) is not a valid (?P<type>\w+)$`), "gqlVariableEnum"},
}

// suggestionRe splits gqlparser's suggestion off a message; quotedRe finds the names suggested.
var (
	suggestionRe = regexp.MustCompile(`^(.*?) Did you mean (to use an inline fragment on |the enum value )?(.*)\?$`)
	quotedRe     = regexp.MustCompile(`"([^"]*)"`)
)

// localizeRequestError says a parse, validation or variable error of gqlgen (e's
// code and rule tell which) in the caller's language, with gqlparser's suggestion when suggest
// holds; false leaves e's message as gqlparser wrote it, in English, for the rarer ones. A parse
// error always comes back localized, its detail in English at worst.
func localizeRequestError(ctx context.Context, e *gqlerror.Error, suggest bool) (string, bool) {
	code, _ := e.Extensions["code"].(string)
	if code != errcode.ParseFailed && code != errcode.ValidationFailed {
		return "", false
	}
	if len(e.Path) > 1 && e.Path[0] == ast.PathName("variable") && e.Rule == "" {
		return localizeVariableError(ctx, e)
	}
	msg, suggestion := e.Message, ""
	if m := suggestionRe.FindStringSubmatch(msg); m != nil {
		msg = m[1]
		if suggest {
			suggestion = didYouMean(ctx, m[2], m[3])
		}
	}
	rule := strings.TrimSuffix(e.Rule, "WithoutSuggestions")
	for _, rm := range requestMessages {
		if rm.rule != rule {
			continue
		}
		if m := rm.re.FindStringSubmatch(msg); m != nil {
			return service.Message(ctx, rm.key, tokenArgs(ctx, m[1:])...) + suggestion, true
		}
	}
	if code == errcode.ParseFailed {
		return service.Message(ctx, "gqlSyntax", e.Message), true
	}
	return "", false
}

// localizeVariableError says a refusal of the variables' coercion, naming the variable by its
// path in the request ($input.freeTime[0].end).
func localizeVariableError(ctx context.Context, e *gqlerror.Error) (string, bool) {
	for _, vm := range variableMessages {
		m := vm.re.FindStringSubmatch(e.Message)
		if m == nil {
			continue
		}
		args := []any{variablePath(e.Path[1:])}
		for _, group := range []string{"value", "type", "kind"} {
			if i := vm.re.SubexpIndex(group); i > 0 {
				if group == "kind" {
					args = append(args, jsonKindOf(ctx, m[i]))
				} else {
					args = append(args, service.Shorten(m[i]))
				}
			}
		}
		return service.Message(ctx, vm.key, args...), true
	}
	return "", false
}

// variablePath writes a variable's path as the client wrote the JSON: $name.field[index].
func variablePath(p ast.Path) string {
	var b strings.Builder
	b.WriteByte('$')
	for i, el := range p {
		switch el := el.(type) {
		case ast.PathName:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(el))
		case ast.PathIndex:
			b.WriteString("[" + strconv.Itoa(int(el)) + "]")
		}
	}
	return b.String()
}

// jsonKindOf names in JSON's terms the Go kind gqlparser reports. Numbers reach it as
// json.Number, whose kind is string, so a string may have been either; no kind at all is a
// number it could not convert.
func jsonKindOf(ctx context.Context, kind string) string {
	switch kind {
	case "bool":
		return service.Message(ctx, "jsonBoolean")
	case "string":
		return service.Message(ctx, "jsonStringOrNumber")
	case "map", "struct":
		return service.Message(ctx, "jsonObject")
	case "slice", "array":
		return service.Message(ctx, "jsonArray")
	default:
		return service.Message(ctx, "jsonNumber")
	}
}

// didYouMean says gqlparser's suggestion again in the caller's language; kind is the wording
// between "Did you mean" and the names, which are quoted.
func didYouMean(ctx context.Context, kind, names string) string {
	quoted := quotedRe.FindAllString(names, -1)
	if len(quoted) == 0 {
		return ""
	}
	list := quoted[len(quoted)-1]
	if n := len(quoted); n > 1 {
		list = service.Message(ctx, "listOr", strings.Join(quoted[:n-1], service.Message(ctx, "listSeparator")), quoted[n-1])
	}
	if strings.HasPrefix(kind, "to use an inline fragment") {
		return service.Message(ctx, "gqlDidYouMeanFragment", list)
	}
	return service.Message(ctx, "gqlDidYouMean", list)
}

// tokenArgs are a message's parts as catalog arguments; the parser's <EOF> is said in words, and
// a part that shows the client's text (a literal found where another was expected) is cut as
// service.Quote cuts it.
func tokenArgs(ctx context.Context, parts []string) []any {
	args := make([]any, len(parts))
	for i, p := range parts {
		if p == "<EOF>" {
			p = service.Message(ctx, "gqlEOF")
		}
		args[i] = service.Shorten(p)
	}
	return args
}
