-- +goose Up
-- Indexes of the report statement (db/reports.go). A report reads every application, hire and
-- work record of a year's positions; these carry what it needs of each, so it reads them alone
-- (index-only, where the visibility map allows) instead of the wide rows with their texts.
--
-- The hire's predicate repeats service.ReportHireEntry; db/schema_test.go compares them.
CREATE INDEX applications_report_idx ON applications (position_id)
    INCLUDE (status, applied_at, started_at, ended_at, student_no);
CREATE INDEX application_events_hired_idx ON application_events (application_id) INCLUDE (at)
    WHERE to_status = 'HIRED';
CREATE INDEX work_records_report_idx ON work_records (application_id)
    INCLUDE (month, hours, amount_fen, student_no);

-- +goose Down
DROP INDEX work_records_report_idx;
DROP INDEX application_events_hired_idx;
DROP INDEX applications_report_idx;
