-- +goose Up
-- Position approval (设岗审核): a year may have its positions reviewed by the graduate school
-- before students see them, and a position waits for that review in PENDING_REVIEW.
--
-- The status lists below repeat service.AllPositionStatuses in its order; db/schema_test.go fails
-- when they drift apart.
ALTER TABLE academic_years ADD COLUMN positions_need_approval boolean NOT NULL DEFAULT false;

ALTER TABLE positions DROP CONSTRAINT positions_status_check,
    ADD CONSTRAINT positions_status_check CHECK (status IN ('DRAFT', 'PENDING_REVIEW', 'PUBLISHED', 'CLOSED'));
ALTER TABLE position_events DROP CONSTRAINT position_events_from_status_check,
    ADD CONSTRAINT position_events_from_status_check CHECK (from_status IN ('DRAFT', 'PENDING_REVIEW', 'PUBLISHED', 'CLOSED')),
    DROP CONSTRAINT position_events_to_status_check,
    ADD CONSTRAINT position_events_to_status_check CHECK (to_status IN ('DRAFT', 'PENDING_REVIEW', 'PUBLISHED', 'CLOSED'));

-- +goose Down
ALTER TABLE position_events DROP CONSTRAINT position_events_from_status_check,
    ADD CONSTRAINT position_events_from_status_check CHECK (from_status IN ('DRAFT', 'PUBLISHED', 'CLOSED')),
    DROP CONSTRAINT position_events_to_status_check,
    ADD CONSTRAINT position_events_to_status_check CHECK (to_status IN ('DRAFT', 'PUBLISHED', 'CLOSED'));
ALTER TABLE positions DROP CONSTRAINT positions_status_check,
    ADD CONSTRAINT positions_status_check CHECK (status IN ('DRAFT', 'PUBLISHED', 'CLOSED'));
ALTER TABLE academic_years DROP COLUMN positions_need_approval;
