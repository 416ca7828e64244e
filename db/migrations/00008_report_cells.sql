-- +goose Up
-- The additive measures of reports, summed per position and month (YYYY-MM in the school's
-- zone, service.SchoolZone) as the writes happen, so that a report reads about one row per
-- position and month instead of every application, hire and work record of the year (200,000
-- applications: 1.5 to 9 s). A cell counts exactly what the report statement counted live
-- (db/reports.go): every application in the month of applied_at; a hire, while the application
-- is in service.ReportHiredStatuses, in the month of its timeline's entry into
-- service.ReportHireEntry; a confirmation (service.ReportConfirmedStatuses) in the month of
-- started_at; a dismissal (service.ReportDismissedStatuses) in the month of ended_at; hours and
-- amounts in their work record's month.
--
-- Those counts follow the application's current status, which changes, so the rollup is kept
-- by the rows' contribution: report_application_cells gives one application's; a trigger on
-- applications adds the new row's and subtracts the old one's, one on the timeline adds a hire
-- whose entry arrives after the status (either order counts it once), and one on work_records
-- adds each record's change (a correction, a delete) as a delta. The triggers run inside the
-- writing transaction, so a report never sees a write half counted.
--
-- Concurrency: the upsert locks the cell (position, month) until commit, so writers of one
-- position and month queue there. Each write adds its cells last, after the rows it locks
-- itself (position, application, student), and a statement upserts its cells netted (a
-- confirmation's old and new hire cancel) and sorted, so a transition or a work record locks
-- one cell and no two transactions can wait on each other's cells.
--
-- The status lists and the zone repeat the service's definitions; db/schema_test.go compares them.
CREATE TABLE report_cells (
    position_id  bigint NOT NULL,
    month        text NOT NULL,
    applications int NOT NULL DEFAULT 0,
    hired        int NOT NULL DEFAULT 0,
    confirmed    int NOT NULL DEFAULT 0,
    dismissed    int NOT NULL DEFAULT 0,
    hours        numeric NOT NULL DEFAULT 0,
    amount_fen   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (position_id, month)
) WITH (fillfactor = 70); -- every write updates a cell: room on its page keeps the update HOT

-- +goose StatementBegin
CREATE FUNCTION report_month(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')
$$;
-- +goose StatementEnd

-- One application's contribution to the cells. SET keeps it from being inlined: PostgreSQL 15
-- fails to plan the inlined union over a whole row ("variable not found in subplan target list").
-- +goose StatementBegin
CREATE FUNCTION report_application_cells(a applications)
    RETURNS TABLE (position_id bigint, month text, applications int, hired int, confirmed int, dismissed int)
    LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT a.position_id, report_month(a.applied_at), 1, 0, 0, 0
    UNION ALL
    SELECT a.position_id, report_month(h.at), 0, 1, 0, 0 FROM application_events h
        WHERE h.application_id = a.id AND h.to_status = 'HIRED'
            AND a.status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED')
    UNION ALL
    SELECT a.position_id, report_month(a.started_at), 0, 0, 1, 0 WHERE a.status IN ('CONFIRMED', 'DISMISSED')
    UNION ALL
    SELECT a.position_id, report_month(a.ended_at), 0, 0, 0, 1 WHERE a.status IN ('DISMISSED')
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION report_cells_of_application() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_cells AS c (position_id, month, applications, hired, confirmed, dismissed)
    SELECT d.position_id, d.month, sum(d.applications), sum(d.hired), sum(d.confirmed), sum(d.dismissed)
        FROM (SELECT * FROM report_application_cells(NEW) WHERE TG_OP <> 'DELETE'
            UNION ALL
            SELECT o.position_id, o.month, -o.applications, -o.hired, -o.confirmed, -o.dismissed
                FROM report_application_cells(OLD) o WHERE TG_OP <> 'INSERT') d
        GROUP BY 1, 2
        HAVING sum(d.applications) <> 0 OR sum(d.hired) <> 0 OR sum(d.confirmed) <> 0 OR sum(d.dismissed) <> 0
        ORDER BY 1, 2
    ON CONFLICT (position_id, month) DO UPDATE SET applications = c.applications + EXCLUDED.applications,
        hired = c.hired + EXCLUDED.hired, confirmed = c.confirmed + EXCLUDED.confirmed,
        dismissed = c.dismissed + EXCLUDED.dismissed;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_cells_of_application AFTER INSERT OR DELETE
    OR UPDATE OF position_id, status, applied_at, started_at, ended_at ON applications
    FOR EACH ROW EXECUTE FUNCTION report_cells_of_application();

-- +goose StatementBegin
CREATE FUNCTION report_cells_of_hire() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_cells AS c (position_id, month, hired)
    SELECT a.position_id, report_month(NEW.at), 1 FROM applications a
        WHERE a.id = NEW.application_id AND a.status IN ('HIRED', 'CONFIRMED', 'DECLINED', 'DISMISSED')
    ON CONFLICT (position_id, month) DO UPDATE SET hired = c.hired + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_cells_of_hire AFTER INSERT ON application_events
    FOR EACH ROW WHEN (NEW.to_status = 'HIRED') EXECUTE FUNCTION report_cells_of_hire();

-- +goose StatementBegin
CREATE FUNCTION report_cells_of_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_cells AS c (position_id, month, hours, amount_fen)
    SELECT a.position_id, d.month, sum(d.hours), sum(d.amount_fen)
        FROM (SELECT NEW.application_id, NEW.month, NEW.hours, NEW.amount_fen WHERE TG_OP <> 'DELETE'
            UNION ALL
            SELECT OLD.application_id, OLD.month, -OLD.hours, -OLD.amount_fen WHERE TG_OP <> 'INSERT')
            d (application_id, month, hours, amount_fen)
        JOIN applications a ON a.id = d.application_id
        GROUP BY 1, 2
        HAVING sum(d.hours) <> 0 OR sum(d.amount_fen) <> 0
        ORDER BY 1, 2
    ON CONFLICT (position_id, month) DO UPDATE SET hours = c.hours + EXCLUDED.hours,
        amount_fen = c.amount_fen + EXCLUDED.amount_fen;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_cells_of_work AFTER INSERT OR DELETE OR UPDATE OF application_id, month, hours, amount_fen
    ON work_records FOR EACH ROW EXECUTE FUNCTION report_cells_of_work();

-- The rows written before this migration, summed as the triggers would have.
INSERT INTO report_cells (position_id, month, applications, hired, confirmed, dismissed, hours, amount_fen)
SELECT position_id, month, sum(applications), sum(hired), sum(confirmed), sum(dismissed), sum(hours), sum(amount_fen)
    FROM (SELECT c.position_id, c.month, c.applications, c.hired, c.confirmed, c.dismissed, 0::numeric AS hours,
            0::bigint AS amount_fen
            FROM applications a, report_application_cells(a) c
        UNION ALL
        SELECT a.position_id, w.month, 0, 0, 0, 0, w.hours, w.amount_fen
            FROM work_records w JOIN applications a ON a.id = w.application_id) d
    GROUP BY 1, 2;

-- +goose Down
DROP TRIGGER report_cells_of_work ON work_records;
DROP FUNCTION report_cells_of_work();
DROP TRIGGER report_cells_of_hire ON application_events;
DROP FUNCTION report_cells_of_hire();
DROP TRIGGER report_cells_of_application ON applications;
DROP FUNCTION report_cells_of_application();
DROP FUNCTION report_application_cells(applications);
DROP FUNCTION report_month(timestamptz);
DROP TABLE report_cells;
