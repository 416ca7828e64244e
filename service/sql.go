package service

import "strings"

// QuoteSQL lists values as SQL string literals, 'A', 'B': the SQL of the history columns and the
// store's statements hold the service's status sets this way, built from their one definition.
// The values are the service's own constants, never a client's input.
func QuoteSQL[S ~string](values ...S) string {
	if len(values) == 0 {
		panic("service: QuoteSQL of no values") // IN () is not SQL; a status set is never empty
	}
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + strings.ReplaceAll(string(v), "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}
