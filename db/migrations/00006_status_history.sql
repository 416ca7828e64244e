-- +goose Up
-- Positions and nominations keep a status history like the applications' timeline (who, when,
-- from, to, note), and a position remembers when it was first published. Reports and the
-- review of positions read them.
--
-- The status lists below repeat the service's definitions (service.AllPositionStatuses,
-- PublishedStatuses, AllNominationStatuses); db/schema_test.go fails when they drift apart.

-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation',
        CONSTRAINT = TG_TABLE_NAME || '_append_only';
END;
$$;
-- +goose StatementEnd

ALTER TABLE positions ADD COLUMN published_at timestamptz;

-- What the database knows of earlier publications: a published position was published at the
-- latest when it was last changed, and before its first application arrived.
UPDATE positions p SET published_at = LEAST(p.updated_at,
        (SELECT min(a.applied_at) FROM applications a WHERE a.position_id = p.id))
    WHERE p.status IN ('PUBLISHED', 'CLOSED');
ALTER TABLE positions ADD CONSTRAINT positions_published_at_check
    CHECK ((published_at IS NOT NULL) = (status IN ('PUBLISHED', 'CLOSED')));

CREATE TABLE position_events (
    id          bigserial PRIMARY KEY,
    position_id bigint NOT NULL REFERENCES positions (id),
    from_status text CHECK (from_status IN ('DRAFT', 'PUBLISHED', 'CLOSED')),
    to_status   text NOT NULL CHECK (to_status IN ('DRAFT', 'PUBLISHED', 'CLOSED')),
    actor       text NOT NULL,
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL
);
CREATE INDEX position_events_position_idx ON position_events (position_id, id);
CREATE TRIGGER position_events_append_only BEFORE UPDATE OR DELETE ON position_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The history of existing positions, as far as their rows tell it; who acted is not known.
INSERT INTO position_events (position_id, from_status, to_status, actor, note, at)
SELECT id, from_status, to_status, 'migration', 'reconstructed from the position''s times', at FROM (
    SELECT id, NULL AS from_status, 'DRAFT' AS to_status, created_at AS at, 1 AS n FROM positions
    UNION ALL
    SELECT id, 'DRAFT', 'PUBLISHED', published_at, 2 FROM positions WHERE published_at IS NOT NULL
    UNION ALL
    SELECT id, 'PUBLISHED', 'CLOSED', updated_at, 3 FROM positions WHERE status = 'CLOSED'
) h ORDER BY id, n;

CREATE TABLE nomination_events (
    id            bigserial PRIMARY KEY,
    nomination_id bigint NOT NULL REFERENCES nominations (id),
    from_status   text CHECK (from_status IN ('SUBMITTED', 'AWARDED', 'NOT_AWARDED', 'WITHDRAWN')),
    to_status     text NOT NULL CHECK (to_status IN ('SUBMITTED', 'AWARDED', 'NOT_AWARDED', 'WITHDRAWN')),
    actor         text NOT NULL,
    note          text NOT NULL DEFAULT '',
    at            timestamptz NOT NULL
);
CREATE INDEX nomination_events_nomination_idx ON nomination_events (nomination_id, id);
CREATE TRIGGER nomination_events_append_only BEFORE UPDATE OR DELETE ON nomination_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The history of existing nominations: submitted by their student, then reviewed (by the
-- reviewer on record, with the comment) or withdrawn (at the last change).
INSERT INTO nomination_events (nomination_id, from_status, to_status, actor, note, at)
SELECT id, from_status, to_status, actor, note, at FROM (
    SELECT id, NULL AS from_status, 'SUBMITTED' AS to_status, 'student:' || student_no AS actor, '' AS note,
        submitted_at AS at, 1 AS n FROM nominations
    UNION ALL
    SELECT id, 'SUBMITTED', status, reviewer, coalesce(review_comment, ''), reviewed_at, 2 FROM nominations
        WHERE reviewed_at IS NOT NULL
    UNION ALL
    SELECT id, 'SUBMITTED', status, 'student:' || student_no, '', updated_at, 2 FROM nominations
        WHERE status = 'WITHDRAWN'
) h ORDER BY id, n;

-- +goose Down
DROP TABLE nomination_events;
DROP TABLE position_events;
ALTER TABLE positions DROP CONSTRAINT positions_published_at_check;
ALTER TABLE positions DROP COLUMN published_at;
DROP FUNCTION refuse_change();
