-- +goose Up
-- Excellent-assistant nominations (评优申请): one live nomination per student and academic year.
-- The reason is stored trimmed, so its char_length (Unicode characters) is the length the rule counts.
CREATE TABLE nominations (
    id             bigserial PRIMARY KEY,
    student_no     text NOT NULL REFERENCES students (student_no),
    academic_year  text NOT NULL REFERENCES academic_years (name),
    reason         text NOT NULL CHECK (char_length(reason) BETWEEN 500 AND 5000),
    status         text NOT NULL CHECK (status IN ('SUBMITTED', 'AWARDED', 'NOT_AWARDED', 'WITHDRAWN')),
    submitted_at   timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    reviewed_at    timestamptz,
    reviewer       text,
    review_comment text CHECK (char_length(review_comment) <= 1000),
    CHECK ((reviewed_at IS NOT NULL) = (status IN ('AWARDED', 'NOT_AWARDED'))),
    CHECK ((reviewer IS NOT NULL) = (status IN ('AWARDED', 'NOT_AWARDED'))),
    CHECK (review_comment IS NULL OR status IN ('AWARDED', 'NOT_AWARDED'))
);

-- At most one nomination per student and year that is not WITHDRAWN, also when two arrive at once;
-- a withdrawn one stays for the record and a new one may follow it.
CREATE UNIQUE INDEX nominations_one_per_year_idx ON nominations (student_no, academic_year)
    WHERE status <> 'WITHDRAWN';
-- Admin lists a year newest first; a student lists their own.
CREATE INDEX nominations_year_idx ON nominations (academic_year, id DESC);
CREATE INDEX nominations_student_idx ON nominations (student_no, id DESC);

-- +goose Down
DROP TABLE nominations;
