-- +goose Up
-- The school's month (工资月): once the graduate school closes a month, its work records are the
-- pay sheet sent to the finance office, and recordWork refuses that month until it is reopened.
-- A month has a row from the first time it is recorded or closed; a month without one is OPEN.
-- recordWork holds the month's row FOR SHARE while it writes, and closing takes it FOR UPDATE, so
-- a record either commits before the close or sees the month CLOSED.
--
-- The status list repeats service.AllPayMonthStatuses; db/schema_test.go fails when they drift.
CREATE TABLE pay_months (
    id         bigserial PRIMARY KEY,
    month      text NOT NULL UNIQUE CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    status     text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
    closed_at  timestamptz,
    closed_by  text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((closed_at IS NOT NULL) = (status = 'CLOSED')),
    CHECK ((closed_by IS NOT NULL) = (status = 'CLOSED'))
);

CREATE TABLE pay_month_events (
    id           bigserial PRIMARY KEY,
    pay_month_id bigint NOT NULL REFERENCES pay_months (id),
    from_status  text CHECK (from_status IN ('OPEN', 'CLOSED')),
    to_status    text NOT NULL CHECK (to_status IN ('OPEN', 'CLOSED')),
    actor        text NOT NULL,
    note         text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL
);
CREATE INDEX pay_month_events_month_idx ON pay_month_events (pay_month_id, id);
CREATE TRIGGER pay_month_events_append_only BEFORE UPDATE OR DELETE ON pay_month_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The pay sheet reads one month's records by student number; the month's totals read the index alone.
CREATE INDEX work_records_month_idx ON work_records (month, student_no, application_id) INCLUDE (hours, amount_fen);

-- +goose Down
DROP INDEX work_records_month_idx;
DROP TABLE pay_month_events;
DROP TABLE pay_months;
