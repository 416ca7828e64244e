-- +goose Up
-- A unit's history page lists its positions' applications, newest first. Reached through
-- positions, PostgreSQL either collects all of the unit's rows and sorts them, or walks every
-- application backwards until it has a page; for a unit with few rows the walk reads the whole
-- table (55 ms at 200,000 applications for a unit with none). So an application carries its
-- position's unit, and the unit's page is one range of an index.
--
-- A foreign key on (position_id, unit_id) keeps the copy equal to the position's unit (and
-- follows it, should a position ever move to another unit), and a trigger fills it in from the
-- position, so no writer has to know it.
--
-- Goose runs this in one transaction, which holds applications (and briefly positions) locked
-- while it rewrites every application and builds the indexes: seconds at 200,000 applications.
ALTER TABLE positions ADD CONSTRAINT positions_id_unit_key UNIQUE (id, unit_id);
ALTER TABLE applications ADD COLUMN unit_id bigint;
UPDATE applications a SET unit_id = p.unit_id FROM positions p WHERE p.id = a.position_id;
ALTER TABLE applications ALTER COLUMN unit_id SET NOT NULL,
    ADD CONSTRAINT applications_position_unit_fkey FOREIGN KEY (position_id, unit_id)
        REFERENCES positions (id, unit_id) ON UPDATE CASCADE;

-- +goose StatementBegin
CREATE FUNCTION applications_set_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT p.unit_id INTO NEW.unit_id FROM positions p WHERE p.id = NEW.position_id;
    IF NOT FOUND THEN
        -- As the position's own foreign key would say, rather than a NOT NULL violation.
        RAISE EXCEPTION 'position % does not exist', NEW.position_id USING ERRCODE = 'foreign_key_violation',
            CONSTRAINT = 'applications_position_id_fkey';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER applications_set_unit BEFORE INSERT OR UPDATE OF position_id ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_set_unit();

CREATE INDEX applications_history_unit_idx ON applications (unit_id, id DESC)
    WHERE status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED');

-- +goose Down
DROP INDEX applications_history_unit_idx;
DROP TRIGGER applications_set_unit ON applications;
DROP FUNCTION applications_set_unit();
ALTER TABLE applications DROP COLUMN unit_id;
ALTER TABLE positions DROP CONSTRAINT positions_id_unit_key;
