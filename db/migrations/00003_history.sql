-- +goose Up
-- The history lists applications that reached HIRED or later; partial indexes keep those lookups
-- small for a student (their rows) and for a unit (rows of its positions).
CREATE INDEX applications_history_student_idx ON applications (student_no, id DESC)
    WHERE status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED');
CREATE INDEX applications_history_position_idx ON applications (position_id, id DESC)
    WHERE status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED');

-- Each user's chosen history columns, in display order.
CREATE TABLE history_preferences (
    owner      text PRIMARY KEY,
    columns    text[] NOT NULL CHECK (cardinality(columns) BETWEEN 1 AND 11
                   AND columns <@ ARRAY['STATUS', 'UNIT', 'POSITION_TITLE', 'PAID_AMOUNT', 'NATURE', 'DESCRIPTION',
                       'APPLY_START', 'APPLY_END', 'WORK_START', 'WORK_END', 'WORK_TIME_REQUIREMENT']::text[]),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE history_preferences;
DROP INDEX applications_history_position_idx;
DROP INDEX applications_history_student_idx;
