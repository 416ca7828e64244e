package httpapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
	"github.com/zhuguan/zhuguan/limits"
	"github.com/zhuguan/zhuguan/service"
)

func init() {
	// A document refused by a limit is a request error like a parse or validation error: over a
	// websocket it is an error message, not a result.
	for _, code := range limitCodes {
		errcode.RegisterErrorType(code, errcode.KindProtocol)
	}
}

// limitCodes are the codes of the document limits (listed in Codes).
var limitCodes = []string{limits.CodeDepth, limits.CodeAliases, limits.CodeDuplicateField, limits.CodeSpreads, limits.CodeSelections, limits.CodeDirectives}

// documents turns a request's query into the document gqlgen executes, for every transport of
// ours: persisted query resolved, parsed under the token limit, held to the document limits
// (package limits), then validated with at most Limits.ValidationErrors errors. gqlgen has no
// hook between its parsing and its validation, whose rules expand fragments and compare fields
// pairwise, so it is given the document ready (preparedCache) and parses nothing itself. A
// document that passed is kept, by its text, so that a repeated query skips all of this.
type documents struct {
	schema    *ast.Schema
	limits    Limits
	rules     []validator.Rule // gqlparser's, in its order (by name)
	valid     graphql.Cache[*ast.QueryDocument]
	persisted persistedQueries
}

// newDocuments prepares the documents of schema under lim (with its defaults filled in);
// suggestions keeps gqlparser's "Did you mean" in validation messages.
func newDocuments(schema *ast.Schema, lim Limits, suggestions bool, persisted persistedQueries) *documents {
	rs := rules.NewDefaultRules()
	if !suggestions {
		for _, r := range []validator.Rule{rules.FieldsOnCorrectTypeRuleWithoutSuggestions, rules.ScalarLeafsRuleWithoutSuggestions} {
			rs.RemoveRule(strings.TrimSuffix(r.Name, "WithoutSuggestions"))
			rs.AddRule(r.Name, r.RuleFunc)
		}
	}
	d := &documents{schema: schema, limits: lim, valid: lru.New[*ast.QueryDocument](lim.Documents), persisted: persisted}
	for name, fn := range rs.GetInner() {
		d.rules = append(d.rules, validator.Rule{Name: name, RuleFunc: fn})
	}
	slices.SortFunc(d.rules, func(a, b validator.Rule) int { return strings.Compare(a.Name, b.Name) })
	return d
}

// executor is exec for one of our transports: its operations are prepared here first.
func (d *documents) executor(exec graphql.GraphExecutor) graphql.GraphExecutor {
	return preparingExecutor{GraphExecutor: exec, docs: d}
}

type preparingExecutor struct {
	graphql.GraphExecutor
	docs *documents
}

// CreateOperationContext resolves a persisted query's hash, prepares the document and lets gqlgen
// take it from there (operation, variables, the operation checks of its extensions). A query
// sent with its hash is kept for the hash once all of that passed. The errors are the persisted
// queries' (PERSISTED_QUERY_*), GRAPHQL_PARSE_FAILED, a document limit's code, at most
// Limits.ValidationErrors of GRAPHQL_VALIDATION_FAILED, and gqlgen's.
func (p preparingExecutor) CreateOperationContext(ctx context.Context, params *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	hash, err := p.docs.persisted.resolve(ctx, params)
	if err != nil {
		return refusedOperation(params), gqlerror.List{err}
	}
	doc, errs := p.docs.prepare(ctx, params.Query)
	if errs != nil {
		return refusedOperation(params), errs
	}
	oc, errs := p.GraphExecutor.CreateOperationContext(context.WithValue(ctx, preparedKey{}, prepared{params.Query, doc}), params)
	if errs == nil && hash != "" {
		p.docs.persisted.keep(ctx, hash, params.Query)
	}
	return oc, errs
}

// refusedOperation is the operation context of a request refused before gqlgen saw it, as gqlgen
// gives one with its own request errors: the request as sent, no document.
func refusedOperation(params *graphql.RawParams) *graphql.OperationContext {
	return &graphql.OperationContext{RawQuery: params.Query, OperationName: params.OperationName,
		Variables: params.Variables, Extensions: params.Extensions, Headers: params.Headers}
}

// prepare returns query's document, parsed, held to the limits and validated, or the errors
// that refuse it.
func (d *documents) prepare(ctx context.Context, query string) (*ast.QueryDocument, gqlerror.List) {
	if doc, ok := d.valid.Get(ctx, query); ok {
		return doc, nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, d.limits.ParserTokens)
	if err != nil {
		var ge *gqlerror.Error
		if !errors.As(err, &ge) { // gqlparser's errors are all *gqlerror.Error; say another's text
			ge = gqlerror.Errorf("%s", err)
		}
		errcode.Set(ge, errcode.ParseFailed)
		return nil, gqlerror.List{ge}
	}
	if len(doc.Operations) == 0 {
		ge := gqlerror.Errorf("no operation provided")
		errcode.Set(ge, errcode.ValidationFailed)
		return nil, gqlerror.List{ge}
	}
	if e := limits.Check(doc, d.limits.Document); e != nil {
		return nil, gqlerror.List{limitError(ctx, e)}
	}
	if errs := d.validate(doc); len(errs) > 0 {
		return nil, errs
	}
	if len(query) <= d.limits.DocumentBytes {
		d.valid.Add(ctx, query, doc)
	}
	return doc, nil
}

// enoughErrors stops gqlparser's walk once the response has all the errors it will show.
type enoughErrors struct{}

// validate runs gqlparser's rules on doc and returns their errors, at most
// Limits.ValidationErrors of them: the walk stops at the last one shown, since gqlparser's walk
// cannot be stopped otherwise and a document within every limit may still yield thousands
// (fields of one name with different arguments conflict pairwise).
func (d *documents) validate(doc *ast.QueryDocument) (errs gqlerror.List) {
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(enoughErrors); !ok {
				panic(p)
			}
		}
	}()
	observers := &validator.Events{}
	for _, r := range d.rules {
		r.RuleFunc(observers, func(options ...validator.ErrorOption) {
			e := &gqlerror.Error{Rule: r.Name}
			for _, o := range options {
				o(e)
			}
			errcode.Set(e, errcode.ValidationFailed)
			if errs = append(errs, e); len(errs) >= d.limits.ValidationErrors {
				panic(enoughErrors{})
			}
		})
	}
	validator.Walk(d.schema, doc, observers)
	return errs
}

// limitMessages are the catalog entries of the document limits' refusals; each takes the
// arguments that limitError gives it.
var limitMessages = map[string]string{
	limits.CodeDepth:          "limitDepth",
	limits.CodeAliases:        "limitAliases",
	limits.CodeDuplicateField: "limitDuplicateField",
	limits.CodeSpreads:        "limitSpreads",
	limits.CodeSelections:     "limitSelections",
	limits.CodeDirectives:     "limitDirectives",
}

// limitError says e in the caller's language, at its place in the document.
func limitError(ctx context.Context, e *limits.Error) *gqlerror.Error {
	var msg string
	switch key := limitMessages[e.Code]; e.Code {
	case limits.CodeAliases, limits.CodeSpreads, limits.CodeSelections:
		msg = service.Message(ctx, key, e.Found, e.Limit)
	default:
		msg = service.Message(ctx, key, e.Name, e.Found, e.Limit)
	}
	ge := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": e.Code}}
	if e.Pos != nil {
		ge.Locations = []gqlerror.Location{{Line: e.Pos.Line, Column: e.Pos.Column}}
	}
	return ge
}

type preparedKey struct{}

// prepared is the document of a query, ready, in the context of its operation.
type prepared struct {
	query string
	doc   *ast.QueryDocument
}

// preparedCache is gqlgen's query cache: it holds the document that documents prepared for the
// operation being created, so that gqlgen neither parses nor validates it again. Nothing is
// added to it: documents keeps the documents that passed.
type preparedCache struct{}

// Get returns the prepared document of query. Without one (an operation that did not come
// through documents.executor) it returns an empty document, which gqlgen refuses as naming no
// operation: gqlgen's own parsing and validation, which no limit bounds, never run.
func (preparedCache) Get(ctx context.Context, query string) (*ast.QueryDocument, bool) {
	p, ok := ctx.Value(preparedKey{}).(prepared)
	if !ok || p.query != query {
		return &ast.QueryDocument{}, true
	}
	return p.doc, true
}

func (preparedCache) Add(context.Context, string, *ast.QueryDocument) {}
