package db

import "github.com/zhuguan/zhuguan/service"

// HistorySQLForBench returns the statement History runs for q, with its parameters, for the
// benchmark alone: it runs the same statement directly to measure what GraphQL adds, and EXPLAINs
// it. The server never calls it.
func HistorySQLForBench(q service.HistoryQuery) (string, []any) { return historySQL(q) }

// ReportSQLForBench returns the statement Report runs for q, with its parameters, for the
// benchmark to EXPLAIN; the server never calls it.
func ReportSQLForBench(q service.ReportQuery) (string, []any) { return reportSQL(q) }
