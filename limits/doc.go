// Package limits bounds what a GraphQL document may ask for before anything costly is done with
// it: it reads the parsed, not yet validated document (gqlparser's *ast.QueryDocument), so that a
// hostile document is refused for the price of one pass over its text, before validation (whose
// rules expand fragments and compare fields pairwise) and before execution.
//
// Check applies the document limits (Limits): depth of nested fields, aliases, repeats of one
// field in one selection set, field selections with fragments expanded, directives on one
// selection. Each refusal is an *Error with its own code (CodeDepth, ...), the limit and what was
// found, so that the HTTP edge can say it in the caller's language.
package limits
