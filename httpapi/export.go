package httpapi

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/zhuguan/zhuguan/graph/scalars"
	"github.com/zhuguan/zhuguan/service"
)

// The CSV exports (GET /export/...) are the queries' rows as spreadsheets: the same token, the
// same visibility (the service's checks, run before anything is written), the same filters and
// the query's default order. Each export is a table of columns and a row source; one writer
// streams them all, row by row from the stream pool, so no export holds its rows in memory. An
// export is a long-lived request (see requestContext): it has no request deadline and no write
// deadline, and it ends when its client goes or when the server shuts down.

// exportColumn is one column of a CSV export: its header {Chinese, English} and how a row
// shows in it.
type exportColumn[R any] struct {
	header [2]string
	value  func(ctx context.Context, r *R) string
}

// exportRoutes adds the exports to mux.
func exportRoutes(mux *http.ServeMux, svc *service.Service, logger *slog.Logger, shutdown context.Context) {
	x := exporter{svc: svc, logger: logger, shutdown: shutdown}
	mux.HandleFunc("GET /export/history.csv", x.refusing(x.history))
	mux.HandleFunc("GET /export/applicants.csv", x.refusing(x.applicants))
	mux.HandleFunc("GET /export/nominations.csv", x.refusing(x.nominations))
	mux.HandleFunc("GET /export/report.csv", x.refusing(x.report))
	mux.HandleFunc("GET /export/payroll.csv", x.refusing(x.payroll))
}

// isExport tells the requests that are CSV exports, which are long-lived.
func isExport(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/export/") }

type exporter struct {
	svc      *service.Service
	logger   *slog.Logger
	shutdown context.Context // done once the server began to shut down
}

// refusing serves an export whose refusals (bad parameters, the service's checks) come back as
// its error, before anything was written.
func (x exporter) refusing(export func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := export(w, r); err != nil {
			writeHTTPError(w, r, x.logger, err)
		}
	}
}

// history is the caller's employment history (the HistoryFilter fields, and studentNo for
// admin) in the caller's saved columns and order.
func (x exporter) history(w http.ResponseWriter, r *http.Request) error {
	p, err := queryParams(r.Context(), r, "keyword", "unitId", "positionTitle", "nature", "academicYear", "studentNo")
	if err != nil {
		return err
	}
	f := service.HistoryFilter{Keyword: p.text("keyword"), PositionTitle: p.text("positionTitle"), AcademicYear: p.text("academicYear")}
	if f.UnitID, err = scalarParam(p, "unitId", false, scalars.UnmarshalID); err != nil {
		return err
	}
	if f.Nature, err = enumParam(p, "nature", service.AllNatures); err != nil {
		return err
	}
	e, err := x.svc.ExportHistory(r.Context(), f, p.text("studentNo"))
	if err != nil {
		return err
	}
	cols := make([]exportColumn[service.HistoryRow], len(e.Columns))
	for i, c := range e.Columns {
		cols[i] = historyColumns[c]
	}
	streamCSV(x, w, r, "employment-history.csv", cols, e.Rows)
	return nil
}

// applicants is a position's applicants (positionId, and status as the query takes it).
func (x exporter) applicants(w http.ResponseWriter, r *http.Request) error {
	p, err := queryParams(r.Context(), r, "positionId", "status")
	if err != nil {
		return err
	}
	id, err := scalarParam(p, "positionId", true, scalars.UnmarshalID)
	if err != nil {
		return err
	}
	status, err := enumParam(p, "status", service.AllApplicationStatuses)
	if err != nil {
		return err
	}
	rows, err := x.svc.ExportApplicants(r.Context(), *id, status)
	if err != nil {
		return err
	}
	streamCSV(x, w, r, fmt.Sprintf("applicants-position-%d.csv", *id), applicantColumns, rows)
	return nil
}

// nominations is a year's nominations (academicYear, and status as the query takes it).
func (x exporter) nominations(w http.ResponseWriter, r *http.Request) error {
	p, err := queryParams(r.Context(), r, "academicYear", "status")
	if err != nil {
		return err
	}
	year := p.text("academicYear")
	if year == nil {
		return service.BadInput(r.Context(), "paramRequired", "academicYear")
	}
	status, err := enumParam(p, "status", service.AllNominationStatuses)
	if err != nil {
		return err
	}
	rows, err := x.svc.ExportNominations(r.Context(), *year, status)
	if err != nil {
		return err
	}
	streamCSV(x, w, r, "nominations-"+*year+".csv", nominationColumns, rows)
	return nil
}

// report is a year's report (academicYear; groupBy as a comma-separated list of dimensions, in
// the order the columns come; the ReportFilter fields): a column per dimension, then the
// measures, one record per row in the query's order and the total last. A report is aggregated
// by the database, so its rows are few (at most units x months) and are read as the query reads
// them.
func (x exporter) report(w http.ResponseWriter, r *http.Request) error {
	p, err := queryParams(r.Context(), r, "academicYear", "groupBy", "unitId", "nature", "dutyCategory", "fromMonth", "toMonth")
	if err != nil {
		return err
	}
	year := p.text("academicYear")
	if year == nil {
		return service.BadInput(r.Context(), "paramRequired", "academicYear")
	}
	a := service.ReportArgs{AcademicYear: *year}
	if g := p.text("groupBy"); g != nil {
		for v := range strings.SplitSeq(*g, ",") {
			d, err := enumValue(p.ctx, "groupBy", strings.TrimSpace(v), service.AllReportDimensions)
			if err != nil {
				return err
			}
			a.GroupBy = append(a.GroupBy, d)
		}
	}
	f := &a.Filter
	if f.UnitID, err = scalarParam(p, "unitId", false, scalars.UnmarshalID); err != nil {
		return err
	}
	if f.Nature, err = enumParam(p, "nature", service.AllNatures); err != nil {
		return err
	}
	if f.DutyCategory, err = enumParam(p, "dutyCategory", service.AllDutyCategories); err != nil {
		return err
	}
	if f.FromMonth, err = scalarParam(p, "fromMonth", false, scalars.UnmarshalMonth); err != nil {
		return err
	}
	if f.ToMonth, err = scalarParam(p, "toMonth", false, scalars.UnmarshalMonth); err != nil {
		return err
	}
	rep, err := x.svc.Report(r.Context(), a)
	if err != nil {
		return err
	}
	cols := make([]exportColumn[reportLine], 0, len(rep.GroupBy)+len(reportMeasureColumns))
	for i, d := range rep.GroupBy {
		c := reportDimColumns[d]
		if i == 0 { // the total's row says what it is in its first column
			c = labelTotal(c)
		}
		cols = append(cols, c)
	}
	cols = append(cols, reportMeasureColumns...)
	rows := func(ctx context.Context, yield func(*reportLine) error) error {
		for i := range rep.Rows {
			if err := yield(&reportLine{ReportRow: &rep.Rows[i]}); err != nil {
				return err
			}
		}
		if len(rep.GroupBy) == 0 { // the one row is the total already
			return nil
		}
		return yield(&reportLine{ReportRow: &rep.Total, total: true})
	}
	streamCSV(x, w, r, "report-"+rep.AcademicYear+".csv", cols, rows)
	return nil
}

// payroll is a month's pay sheet for the finance office (month): a row per student and
// employment, a subtotal after each student, the total last.
func (x exporter) payroll(w http.ResponseWriter, r *http.Request) error {
	p, err := queryParams(r.Context(), r, "month")
	if err != nil {
		return err
	}
	month, err := scalarParam(p, "month", true, scalars.UnmarshalMonth)
	if err != nil {
		return err
	}
	rows, err := x.svc.ExportPayroll(r.Context(), *month)
	if err != nil {
		return err
	}
	streamCSV(x, w, r, "payroll-"+*month+".csv", payrollColumns, rows)
	return nil
}

// payrollColumns are the pay sheet's columns; a subtotal row says 小计 (Subtotal) in the unit's
// column under its student, the total 合计 (Total) in the first.
var payrollColumns = []exportColumn[service.PayrollSheetRow]{
	{[2]string{"学号", "Student number"}, func(ctx context.Context, r *service.PayrollSheetRow) string {
		if r.Total {
			return service.Message(ctx, "reportTotal")
		}
		return cell(r.StudentNo)
	}},
	{[2]string{"姓名", "Name"}, func(_ context.Context, r *service.PayrollSheetRow) string { return cell(r.StudentName) }},
	{[2]string{"院系", "Department"}, func(_ context.Context, r *service.PayrollSheetRow) string { return cell(r.Department) }},
	{historyColumns[service.ColUnit].header, func(ctx context.Context, r *service.PayrollSheetRow) string {
		if r.Subtotal {
			return service.Message(ctx, "payrollSubtotal")
		}
		return cell(r.UnitName)
	}},
	{historyColumns[service.ColPositionTitle].header, func(_ context.Context, r *service.PayrollSheetRow) string {
		return cell(r.PositionTitle)
	}},
	{[2]string{"工时（小时）", "Hours"}, func(_ context.Context, r *service.PayrollSheetRow) string {
		return strconv.FormatFloat(r.Hours, 'f', -1, 64)
	}},
	{[2]string{"发放金额（元）", "Paid amount (yuan)"}, func(_ context.Context, r *service.PayrollSheetRow) string { return r.Amount.String() }},
}

// reportLine is a record of the report's CSV: a group's row, or the total.
type reportLine struct {
	*service.ReportRow
	total bool
}

// reportDimColumns show a row's group, by dimension, with the history's headers where the
// history has the column.
var reportDimColumns = map[service.ReportDimension]exportColumn[reportLine]{
	service.DimUnit: {historyColumns[service.ColUnit].header, func(_ context.Context, r *reportLine) string {
		return cell(deref(r.UnitName))
	}},
	service.DimNature: {historyColumns[service.ColNature].header, func(ctx context.Context, r *reportLine) string {
		if r.Nature == nil {
			return ""
		}
		return r.Nature.LabelIn(ctx)
	}},
	service.DimDutyCategory: {[2]string{"工作类别", "Duty category"}, func(ctx context.Context, r *reportLine) string {
		if r.DutyCategory == nil {
			return ""
		}
		return r.DutyCategory.LabelIn(ctx)
	}},
	service.DimMonth: {[2]string{"月份", "Month"}, func(_ context.Context, r *reportLine) string { return deref(r.Month) }},
}

// labelTotal is column c that shows the total's row as 合计 (Total).
func labelTotal(c exportColumn[reportLine]) exportColumn[reportLine] {
	value := c.value
	c.value = func(ctx context.Context, r *reportLine) string {
		if r.total {
			return service.Message(ctx, "reportTotal")
		}
		return value(ctx, r)
	}
	return c
}

// reportMeasureColumns are the measures of API.md, in the ReportRow's order.
var reportMeasureColumns = []exportColumn[reportLine]{
	{[2]string{"发布岗位数", "Positions published"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Positions) }},
	{[2]string{"招聘人数", "Headcount"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Headcount) }},
	{[2]string{"申请数", "Applications"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Applications) }},
	{[2]string{"录用数", "Hired"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Hired) }},
	{[2]string{"确认上岗数", "Confirmed"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Confirmed) }},
	{[2]string{"解聘数", "Dismissed"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Dismissed) }},
	{[2]string{"学生数", "Students"}, func(_ context.Context, r *reportLine) string { return strconv.Itoa(r.Students) }},
	{[2]string{"工时（小时）", "Hours"}, func(_ context.Context, r *reportLine) string { return strconv.FormatFloat(r.Hours, 'f', -1, 64) }},
	{[2]string{"发放金额（元）", "Paid amount (yuan)"}, func(_ context.Context, r *reportLine) string { return r.PaidAmount.String() }},
}

// streamCSV writes rows as a CSV file called filename: UTF-8 with a byte-order mark (so that
// spreadsheet programs read the Chinese right), a header row in the caller's language, then one
// record per row as the store hands it over. Nothing is sent before the first row is read, so a
// failure until then is a proper error response; a failure after it cuts the connection
// (http.ErrAbortHandler), so the client sees a broken download, never a short file that looks
// whole.
func streamCSV[R any](x exporter, w http.ResponseWriter, r *http.Request, filename string, cols []exportColumn[R], rows service.Rows[R]) {
	ctx := r.Context()
	// A write blocked on a client that stopped reading would outlast the request: once the
	// request ends (the client went, the server shuts down) a started download's writes fail at
	// once instead. Before it starts nothing is written, and the refusal that answers then must
	// not fail: the lock makes "started" and "ended" exclusive.
	var mu sync.Mutex
	started, ended := false, false
	rc := http.NewResponseController(w)
	defer context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		ended = true
		if started {
			_ = rc.SetWriteDeadline(time.Now())
		}
	})()

	bw := bufio.NewWriterSize(w, 32<<10) // csv.Writer writes through it: 32 KiB chunks
	cw := csv.NewWriter(bw)
	record := make([]string, len(cols))
	n := 0
	start := func() error {
		mu.Lock()
		if ended {
			mu.Unlock()
			return context.Cause(ctx)
		}
		started = true
		mu.Unlock()
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
		h.Set("Cache-Control", "no-store") // personal data: no cache keeps a copy
		h.Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return err
		}
		for i, c := range cols {
			record[i] = c.header[service.LocaleOf(ctx)]
		}
		return cw.Write(record)
	}
	err := rows(ctx, func(row *R) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		for i, c := range cols {
			record[i] = c.value(ctx, row)
		}
		n++
		return cw.Write(record)
	})
	if err == nil && !started {
		err = start() // no rows: the header row alone
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		return
	}
	switch {
	case started:
		x.logger.WarnContext(ctx, "export cut", "request_id", requestIDOf(ctx), "file", filename, "rows", n, "err", err.Error())
		panic(http.ErrAbortHandler)
	case x.shutdown.Err() != nil:
		writeHTTPError(w, r, x.logger, &gqlerror.Error{Message: service.Message(ctx, "shuttingDown"),
			Extensions: map[string]any{"code": codeShuttingDown}})
	case ctx.Err() != nil: // the client went: nobody to answer
	default:
		writeHTTPError(w, r, x.logger, err)
	}
}

// historyColumns show each history column in a CSV, with the screen's headers
// (service.HistoryColumnDefs).
var historyColumns = func() map[service.HistoryColumn]exportColumn[service.HistoryRow] {
	values := map[service.HistoryColumn]func(ctx context.Context, r *service.HistoryRow) string{
		service.ColStatus:              func(ctx context.Context, r *service.HistoryRow) string { return r.Status.LabelIn(ctx) },
		service.ColUnit:                func(_ context.Context, r *service.HistoryRow) string { return cell(r.Unit.Name) },
		service.ColPositionTitle:       func(_ context.Context, r *service.HistoryRow) string { return cell(r.PositionTitle) },
		service.ColPaidAmount:          func(_ context.Context, r *service.HistoryRow) string { return r.PaidAmount.String() },
		service.ColNature:              func(ctx context.Context, r *service.HistoryRow) string { return r.Nature.LabelIn(ctx) },
		service.ColDescription:         func(_ context.Context, r *service.HistoryRow) string { return cell(r.Description) },
		service.ColApplyStart:          func(_ context.Context, r *service.HistoryRow) string { return schoolTime(r.ApplyStart) },
		service.ColApplyEnd:            func(_ context.Context, r *service.HistoryRow) string { return schoolTime(r.ApplyEnd) },
		service.ColWorkStart:           func(_ context.Context, r *service.HistoryRow) string { return schoolTime(r.WorkStart) },
		service.ColWorkEnd:             func(_ context.Context, r *service.HistoryRow) string { return schoolTime(r.WorkEnd) },
		service.ColWorkTimeRequirement: func(_ context.Context, r *service.HistoryRow) string { return cell(r.WorkTimeRequirement) },
	}
	out := make(map[service.HistoryColumn]exportColumn[service.HistoryRow], len(values))
	for _, d := range service.HistoryColumnDefs {
		v, ok := values[d.Column]
		if !ok {
			panic("httpapi: history column " + string(d.Column) + " has no CSV value") // caught by every test run
		}
		out[d.Column] = exportColumn[service.HistoryRow]{header: d.Header, value: v}
	}
	return out
}()

// applicantColumns are what a unit sees of its applicants, in the query's order of fields.
var applicantColumns = []exportColumn[service.ApplicantRow]{
	{[2]string{"学号", "Student number"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(r.StudentNo) }},
	{[2]string{"姓名", "Name"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(r.StudentName) }},
	{[2]string{"学位", "Degree"}, func(ctx context.Context, r *service.ApplicantRow) string { return r.Degree.LabelIn(ctx) }},
	{[2]string{"院系", "Department"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(r.Department) }},
	{[2]string{"状态", "Status"}, func(ctx context.Context, r *service.ApplicantRow) string { return r.Status.LabelIn(ctx) }},
	{[2]string{"联系电话", "Phone"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(r.Phone) }},
	{[2]string{"邮箱", "Email"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(r.Email) }},
	{[2]string{"申请理由", "Reason"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(r.Reason) }},
	{[2]string{"特长", "Specialties"}, func(_ context.Context, r *service.ApplicantRow) string { return cell(deref(r.Specialties)) }},
	{[2]string{"每周工作时长（小时）", "Weekly hours"}, func(_ context.Context, r *service.ApplicantRow) string {
		if r.WeeklyHours == nil {
			return ""
		}
		return strconv.Itoa(*r.WeeklyHours)
	}},
	{[2]string{"申请时间", "Applied at"}, func(_ context.Context, r *service.ApplicantRow) string { return schoolTime(r.AppliedAt) }},
}

// nominationColumns are what the reviewer sees of a year's nominations.
var nominationColumns = []exportColumn[service.NominationRow]{
	{[2]string{"学号", "Student number"}, func(_ context.Context, r *service.NominationRow) string { return cell(r.StudentNo) }},
	{[2]string{"姓名", "Name"}, func(_ context.Context, r *service.NominationRow) string { return cell(r.StudentName) }},
	{[2]string{"院系", "Department"}, func(_ context.Context, r *service.NominationRow) string { return cell(r.Department) }},
	{[2]string{"学年", "Academic year"}, func(_ context.Context, r *service.NominationRow) string { return r.AcademicYear }},
	{[2]string{"状态", "Status"}, func(ctx context.Context, r *service.NominationRow) string { return r.Status.LabelIn(ctx) }},
	{[2]string{"工作时长（小时）", "Hours worked"}, func(_ context.Context, r *service.NominationRow) string {
		return strconv.FormatFloat(r.HoursWorked, 'f', -1, 64)
	}},
	{[2]string{"申请理由", "Reason"}, func(_ context.Context, r *service.NominationRow) string { return cell(r.Reason) }},
	{[2]string{"提交时间", "Submitted at"}, func(_ context.Context, r *service.NominationRow) string { return schoolTime(r.SubmittedAt) }},
	{[2]string{"评审时间", "Reviewed at"}, func(_ context.Context, r *service.NominationRow) string {
		if r.ReviewedAt == nil {
			return ""
		}
		return schoolTime(*r.ReviewedAt)
	}},
	{[2]string{"评审人", "Reviewer"}, func(_ context.Context, r *service.NominationRow) string { return cell(deref(r.Reviewer)) }},
	{[2]string{"评审意见", "Comment"}, func(_ context.Context, r *service.NominationRow) string { return cell(deref(r.Comment)) }},
}

// schoolTime shows an instant as a spreadsheet reads it: YYYY-MM-DD HH:MM in the school's zone.
func schoolTime(t time.Time) string { return t.In(service.SchoolZone).Format("2006-01-02 15:04") }

// cell keeps text that users typed from being read as a formula by a spreadsheet (CSV
// injection): text that begins with one of = + - @ or a tab or carriage return gets a leading
// apostrophe, which spreadsheets show as text and do not evaluate.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// params are an export's query parameters; an empty value counts as not given, as an empty
// filter field does.
type params struct {
	ctx context.Context
	v   map[string]string
}

// queryParams reads the request's query string: only the known names, each at most once
// (BAD_USER_INPUT naming the parameter otherwise, so a misspelt filter is not silently ignored).
func queryParams(ctx context.Context, r *http.Request, known ...string) (params, error) {
	vals, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return params{}, service.BadInput(ctx, "badURLQuery")
	}
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names) // the same request always names the same parameter
	p := params{ctx: ctx, v: make(map[string]string, len(vals))}
	for _, k := range names {
		switch {
		case !slices.Contains(known, k):
			return p, service.BadInput(ctx, "paramUnknown", k, strings.Join(known, ", "))
		case len(vals[k]) > 1:
			return p, service.BadInput(ctx, "paramRepeated", k)
		case vals[k][0] != "":
			p.v[k] = vals[k][0]
		}
	}
	return p, nil
}

// text is the parameter's value, nil when it is not given.
func (p params) text(name string) *string {
	if v, ok := p.v[name]; ok {
		return &v
	}
	return nil
}

// scalarParam reads parameter name as the scalar's parse does (scalars.UnmarshalID, ...);
// BAD_USER_INPUT naming the parameter when it is malformed, or missing and required.
func scalarParam[T any](p params, name string, required bool, parse func(context.Context, any) (T, error)) (*T, error) {
	v, ok := p.v[name]
	if !ok {
		if required {
			return nil, service.BadInput(p.ctx, "paramRequired", name)
		}
		return nil, nil
	}
	t, err := parse(p.ctx, v)
	if err != nil {
		var se *service.Error
		if errors.As(err, &se) {
			return nil, service.BadInput(p.ctx, "paramInvalid", name, se.Message)
		}
		return nil, err
	}
	return &t, nil
}

// enumParam reads an optional enum parameter by its schema name; BAD_USER_INPUT listing the
// values when it is none of them.
func enumParam[T ~string](p params, name string, all []T) (*T, error) {
	v, ok := p.v[name]
	if !ok {
		return nil, nil
	}
	t, err := enumValue(p.ctx, name, v, all)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// enumValue is v as one of the values all of parameter name; BAD_USER_INPUT listing them when it
// is none of them.
func enumValue[T ~string](ctx context.Context, name, v string, all []T) (T, error) {
	if slices.Contains(all, T(v)) {
		return T(v), nil
	}
	names := make([]string, len(all))
	for i, a := range all {
		names[i] = string(a)
	}
	return "", service.BadInput(ctx, "paramEnum", name, strings.Join(names, ", "), service.Quote(v))
}
