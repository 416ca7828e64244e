-- +goose Up
-- An application is also its employment once CONFIRMED (started_at set) and until DISMISSED
-- (ended_at set): the two are one-to-one, so they share a row and an id.
CREATE TABLE applications (
    id          bigserial PRIMARY KEY,
    position_id bigint NOT NULL REFERENCES positions (id),
    student_no  text NOT NULL REFERENCES students (student_no),
    status      text NOT NULL CHECK (status IN ('APPLIED', 'HIRED', 'CONFIRMED', 'REJECTED', 'DECLINED',
                    'WITHDRAWN', 'DISMISSED')),
    phone       text NOT NULL CHECK (char_length(phone) BETWEEN 7 AND 20),
    email       text NOT NULL CHECK (position('@' IN email) > 1),
    reason      text NOT NULL CHECK (char_length(btrim(reason)) BETWEEN 1 AND 1000),
    applied_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    ended_at    timestamptz,
    end_reason  text,
    CHECK ((started_at IS NOT NULL) = (status IN ('CONFIRMED', 'DISMISSED'))),
    CHECK ((ended_at IS NOT NULL) = (status = 'DISMISSED')),
    CHECK ((end_reason IS NOT NULL) = (status = 'DISMISSED'))
);

-- At most one live application per student and position, also when two arrive at once.
CREATE UNIQUE INDEX applications_one_live_idx ON applications (position_id, student_no)
    WHERE status IN ('APPLIED', 'HIRED', 'CONFIRMED');
CREATE INDEX applications_student_idx ON applications (student_no, id DESC);
CREATE INDEX applications_position_idx ON applications (position_id, status);

-- The append-only timeline: each transition and each work record written with it.
CREATE TABLE application_events (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES applications (id),
    event          text NOT NULL CHECK (event IN ('APPLY', 'WITHDRAW', 'HIRE', 'REJECT', 'CONFIRM', 'DECLINE',
                       'DISMISS', 'RECORD_WORK', 'CORRECT_WORK')),
    from_status    text,
    to_status      text NOT NULL,
    actor          text NOT NULL,
    actor_role     text NOT NULL CHECK (actor_role IN ('STUDENT', 'UNIT_STAFF', 'ADMIN')),
    note           text NOT NULL DEFAULT '',
    at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_events_application_idx ON application_events (application_id, id);

-- +goose StatementBegin
CREATE FUNCTION application_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'application_events is append-only' USING ERRCODE = 'check_violation',
        CONSTRAINT = 'application_events_append_only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER application_events_append_only BEFORE UPDATE OR DELETE ON application_events
    FOR EACH ROW EXECUTE FUNCTION application_events_append_only();

-- One record per employment and month; a correction overwrites it and leaves an event behind.
CREATE TABLE work_records (
    application_id bigint NOT NULL REFERENCES applications (id),
    month          text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    student_no     text NOT NULL REFERENCES students (student_no),
    hours          numeric(6,2) NOT NULL CHECK (hours >= 0 AND hours <= 744),
    amount_fen     bigint NOT NULL CHECK (amount_fen >= 0),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, month)
);
-- The monthly cap sums one student's hours in one month across employments.
CREATE INDEX work_records_student_month_idx ON work_records (student_no, month);

-- +goose Down
DROP TABLE work_records;
DROP TRIGGER application_events_append_only ON application_events;
DROP FUNCTION application_events_append_only();
DROP TABLE application_events;
DROP TABLE applications;
