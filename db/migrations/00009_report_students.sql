-- +goose Up
-- The distinct students of reports, counted per group as the writes happen, so that a report
-- reads one row per group instead of making every employment or work record of the year distinct
-- per group (200,000 applications: 0.4 to 2 s). students counts, for one academic year, the
-- distinct students of one group:
--   worked = false: whose application reached CONFIRMED (service.ReportConfirmedStatuses), grouped
--     by a subset of unit, nature and duty category (month = '');
--   worked = true: with work recorded, grouped by a subset of unit, nature, duty category and the
--     work record's month; month = '' is the whole year (a MONTH report's total).
-- mask says which dimensions the group has (1 unit, 2 nature, 4 duty category, 8 month, as
-- db/reports.go's reportDims); the others hold 0 or ''. A group's count is the sum of its
-- shards (report_shard). A report reads the rows of one mask for its rows and of another for its
-- total; a month filter on a grouping without month cannot be read from here (a student counts
-- once over several months), and db/reports.go counts that case from the rows.
--
-- A student is a member of a group while any of their rows puts them in it, so a row's change
-- cannot be counted alone: statement triggers on applications, work_records and positions take
-- the students whose rows changed, compute their memberships before the statement (the tables
-- with the transition tables' old rows in place of the new) and after it (report_memberships),
-- and add the difference. That holds for statements of many rows (a seed, a moved position) too.
--
-- Concurrency: two transactions must not both see a student outside a group and both count them
-- in, so report_students_move locks the students' rows (FOR NO KEY UPDATE, sorted), which the
-- service's confirmations and work records already hold (LockStudent). A position's edit locks
-- every student with an application to it, so a confirmation racing the edit is counted under the
-- position's dimensions as they end up. A group's counter changes only when a student enters or
-- leaves it (the first employment of the year, the first work of a month); the year's total is
-- such a group for every first confirmation. So the changes are staged and added as the
-- transaction commits (report_students_settle), in one statement sorted by key, and each group is
-- split in 16 shards: a counter is locked only while its transaction commits, and concurrent
-- first confirmations spread over 16 rows.
--
-- The status list repeats service.ReportConfirmedStatuses; db/schema_test.go compares them.
CREATE TABLE report_students (
    academic_year text NOT NULL,
    worked        boolean NOT NULL,
    mask          smallint NOT NULL CHECK (mask BETWEEN 0 AND 15 AND (worked OR mask < 8)),
    unit_id       bigint NOT NULL,
    nature        text NOT NULL,
    duty_category text NOT NULL,
    month         text NOT NULL,
    shard         smallint NOT NULL,
    students      int NOT NULL, -- no CHECK (>= 0): it would refuse the negative deltas the upsert adds
    PRIMARY KEY (academic_year, worked, mask, unit_id, nature, duty_category, month, shard)
) WITH (fillfactor = 70); -- a counter is updated in place: room on its page keeps the update HOT

-- The memberships of students who in the academic years years: one row per (group, student),
-- read from the tables as they were before a statement that wrote apps_new, works_new in place of
-- apps_old, works_old and positions_old (the statement's transition tables); with NULLs, as they
-- are now. A work
-- record's student is its application's (the service writes it from there). PL/pgSQL, so that
-- its plan is cached per connection: planned on every call, as a SQL function is, it cost more
-- than running it.
-- +goose StatementBegin
CREATE FUNCTION report_memberships(who text[], years text[], apps_new applications[], apps_old applications[],
        works_new work_records[], works_old work_records[], positions_old positions[])
    RETURNS TABLE (academic_year text, worked boolean, mask smallint, unit_id bigint, nature text,
        duty_category text, month text, student_no text)
    LANGUAGE plpgsql STABLE SET search_path = public AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH a AS (
        SELECT a.id, a.student_no, a.position_id, a.status FROM applications a
            WHERE a.student_no = ANY (who) AND NOT EXISTS (SELECT 1 FROM unnest(apps_new) n WHERE n.id = a.id)
        UNION ALL
        SELECT o.id, o.student_no, o.position_id, o.status FROM unnest(apps_old) o WHERE o.student_no = ANY (who)
    ), w AS (
        SELECT w.application_id, w.month FROM work_records w
            WHERE w.student_no = ANY (who) AND NOT EXISTS (SELECT 1 FROM unnest(works_new) n
                WHERE n.application_id = w.application_id AND n.month = w.month)
        UNION ALL
        SELECT o.application_id, o.month FROM unnest(works_old) o WHERE o.student_no = ANY (who)
    ), r (student_no, position_id, month) AS (
        SELECT a.student_no, a.position_id, NULL::text FROM a WHERE a.status IN ('CONFIRMED', 'DISMISSED')
        UNION ALL
        SELECT a.student_no, a.position_id, w.month FROM w JOIN a ON a.id = w.application_id
    )
    SELECT DISTINCT coalesce(o.academic_year, p.academic_year), r.month IS NOT NULL, m.mask::smallint,
        CASE WHEN m.mask & 1 <> 0 THEN coalesce(o.unit_id, p.unit_id) ELSE 0 END,
        CASE WHEN m.mask & 2 <> 0 THEN coalesce(o.nature, p.nature) ELSE '' END,
        CASE WHEN m.mask & 4 <> 0 THEN coalesce(o.duty_category, p.duty_category) ELSE '' END,
        CASE WHEN m.mask & 8 <> 0 THEN r.month ELSE '' END,
        r.student_no
    FROM r JOIN positions p ON p.id = r.position_id
        LEFT JOIN unnest(positions_old) o ON o.id = p.id
        CROSS JOIN generate_series(0, 15) m (mask)
    WHERE (r.month IS NOT NULL OR m.mask < 8) AND coalesce(o.academic_year, p.academic_year) = ANY (years);
END;
$$;
-- +goose StatementEnd

-- The counter row of a group that a student's change goes to: a group's count is the sum of its
-- 16 shards, so that concurrent first confirmations of the year (which all change the year's
-- total) queue on 16 rows instead of one. Which shard a change goes to decides only how writers
-- spread, never the sum (a shard may go below zero if this function ever changes).
-- +goose StatementBegin
CREATE FUNCTION report_shard(student_no text) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
    SELECT (hashtext(student_no) & 15)::smallint
$$;
-- +goose StatementEnd

-- The changes of counters a transaction made, kept until it commits (one row per writing
-- statement), so that the counters, among them the year's total that every first confirmation
-- changes, are locked only while the transaction commits instead of from its writing statement
-- on. Every row is deleted before its transaction commits, so the table is empty but for
-- transactions in flight, each seeing only its own rows: unlogged, it costs no WAL, and a crash
-- loses nothing that was committed.
CREATE UNLOGGED TABLE report_students_pending (deltas report_students[] NOT NULL);

-- Stages the change of who's memberships from before the statement (see report_memberships) to
-- now, for report_students_settle.
-- +goose StatementBegin
CREATE FUNCTION report_students_move(who text[], apps_new applications[], apps_old applications[],
        works_new work_records[], works_old work_records[], positions_old positions[])
    RETURNS void LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
    years text[];
BEGIN
    IF coalesce(cardinality(who), 0) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM students s WHERE s.student_no = ANY (who) ORDER BY s.student_no FOR NO KEY UPDATE;
    -- Only the years of the positions of the rows written (before and after) can change.
    years := ARRAY(SELECT p.academic_year FROM positions p WHERE p.id IN (
            SELECT n.position_id FROM unnest(apps_new) n UNION SELECT o.position_id FROM unnest(apps_old) o
            UNION SELECT a.position_id FROM applications a WHERE a.id IN (
                SELECT n.application_id FROM unnest(works_new) n UNION SELECT o.application_id FROM unnest(works_old) o)
            UNION SELECT o.id FROM unnest(positions_old) o)
        UNION SELECT o.academic_year FROM unnest(positions_old) o);
    INSERT INTO report_students_pending (deltas)
    SELECT array_agg(ROW(g.academic_year, g.worked, g.mask, g.unit_id, g.nature, g.duty_category, g.month, g.shard,
            g.n)::report_students)
        FROM (SELECT d.academic_year, d.worked, d.mask, d.unit_id, d.nature, d.duty_category, d.month,
                report_shard(d.student_no) AS shard, sum(d.n)::int AS n
            FROM (SELECT m.*, 1 AS n FROM report_memberships(who, years, NULL, NULL, NULL, NULL, NULL) m
                UNION ALL
                SELECT m.*, -1 FROM report_memberships(who, years, apps_new, apps_old, works_new, works_old, positions_old) m) d
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            HAVING sum(d.n) <> 0) g
        HAVING count(*) > 0;
END;
$$;
-- +goose StatementEnd

-- Adds the transaction's staged changes to the counters as it commits (the first call takes
-- them all; the others find none), in one statement sorted by key, so that two committing
-- transactions cannot wait on each other's counters.
-- +goose StatementBegin
CREATE FUNCTION report_students_settle() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
    WITH d AS (DELETE FROM report_students_pending RETURNING deltas)
    INSERT INTO report_students AS c (academic_year, worked, mask, unit_id, nature, duty_category, month, shard, students)
    SELECT x.academic_year, x.worked, x.mask, x.unit_id, x.nature, x.duty_category, x.month, x.shard, sum(x.students)
        FROM d CROSS JOIN LATERAL unnest(d.deltas) x
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        HAVING sum(x.students) <> 0
        ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (academic_year, worked, mask, unit_id, nature, duty_category, month, shard)
        DO UPDATE SET students = c.students + EXCLUDED.students;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER report_students_settle AFTER INSERT ON report_students_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION report_students_settle();

-- An application's memberships depend on its student, its position and whether it reached
-- CONFIRMED (its work records follow its position); the students whose rows changed in none of
-- these are passed over (a hire, a dismissal, an edited phone number).
-- +goose StatementBegin
CREATE FUNCTION report_students_of_application() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
    who text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT a.student_no) INTO who FROM new_rows a WHERE a.status IN ('CONFIRMED', 'DISMISSED');
        PERFORM report_students_move(who, ARRAY(SELECT n::applications FROM new_rows n WHERE n.student_no = ANY (who)),
            NULL, NULL, NULL, NULL);
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT a.student_no) INTO who FROM old_rows a WHERE a.status IN ('CONFIRMED', 'DISMISSED');
        PERFORM report_students_move(who, NULL, ARRAY(SELECT o::applications FROM old_rows o WHERE o.student_no = ANY (who)),
            NULL, NULL, NULL);
    ELSE
        WITH o AS (SELECT a.id, a.student_no, a.position_id, a.status IN ('CONFIRMED', 'DISMISSED') FROM old_rows a),
            n AS (SELECT a.id, a.student_no, a.position_id, a.status IN ('CONFIRMED', 'DISMISSED') FROM new_rows a)
        SELECT array_agg(DISTINCT c.student_no) INTO who
            FROM ((SELECT * FROM o EXCEPT ALL SELECT * FROM n) UNION ALL (SELECT * FROM n EXCEPT ALL SELECT * FROM o)) c;
        PERFORM report_students_move(who, ARRAY(SELECT n::applications FROM new_rows n WHERE n.student_no = ANY (who)),
            ARRAY(SELECT o::applications FROM old_rows o WHERE o.student_no = ANY (who)), NULL, NULL, NULL);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_students_of_application_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_application();
CREATE TRIGGER report_students_of_application_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_application();
CREATE TRIGGER report_students_of_application_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_application();

-- A work record's memberships depend on its application, month and student; the students whose
-- rows changed in none of these are passed over (a corrected amount).
-- +goose StatementBegin
CREATE FUNCTION report_students_of_work() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
    who text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT n.student_no) INTO who FROM new_rows n;
        PERFORM report_students_move(who, NULL, NULL, ARRAY(SELECT n::work_records FROM new_rows n), NULL, NULL);
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT o.student_no) INTO who FROM old_rows o;
        PERFORM report_students_move(who, NULL, NULL, NULL, ARRAY(SELECT o::work_records FROM old_rows o), NULL);
    ELSE
        WITH o AS (SELECT o.application_id, o.month, o.student_no FROM old_rows o),
            n AS (SELECT n.application_id, n.month, n.student_no FROM new_rows n)
        SELECT array_agg(DISTINCT c.student_no) INTO who
            FROM ((SELECT * FROM o EXCEPT ALL SELECT * FROM n) UNION ALL (SELECT * FROM n EXCEPT ALL SELECT * FROM o)) c;
        PERFORM report_students_move(who, NULL, NULL, ARRAY(SELECT n::work_records FROM new_rows n WHERE n.student_no = ANY (who)),
            ARRAY(SELECT o::work_records FROM old_rows o WHERE o.student_no = ANY (who)), NULL);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_students_of_work_insert AFTER INSERT ON work_records
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_work();
CREATE TRIGGER report_students_of_work_update AFTER UPDATE ON work_records
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_work();
CREATE TRIGGER report_students_of_work_delete AFTER DELETE ON work_records
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_work();

-- A position's year, unit, nature or duty category is every one of its members' group (an edit
-- of a published position may change all but the unit); its students are all who applied, so a
-- confirmation or a work record in flight waits for the edit or the edit for it.
-- +goose StatementBegin
CREATE FUNCTION report_students_of_position() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
DECLARE
    moved positions[];
    who text[];
BEGIN
    SELECT array_agg(o::positions) INTO moved FROM old_rows o JOIN new_rows n USING (id)
        WHERE (o.academic_year, o.unit_id, o.nature, o.duty_category) IS DISTINCT FROM
            (n.academic_year, n.unit_id, n.nature, n.duty_category);
    IF moved IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(DISTINCT a.student_no) INTO who FROM applications a
        WHERE a.position_id IN (SELECT m.id FROM unnest(moved) m);
    PERFORM report_students_move(who, NULL, NULL, NULL, NULL, moved);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER report_students_of_position AFTER UPDATE ON positions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_students_of_position();

-- The memberships of the rows written before this migration.
INSERT INTO report_students (academic_year, worked, mask, unit_id, nature, duty_category, month, shard, students)
SELECT academic_year, worked, mask, unit_id, nature, duty_category, month, report_shard(student_no), count(*)
    FROM report_memberships(ARRAY(SELECT student_no FROM students), ARRAY(SELECT name FROM academic_years),
        NULL, NULL, NULL, NULL, NULL)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- +goose Down
DROP TRIGGER report_students_of_position ON positions;
DROP FUNCTION report_students_of_position();
DROP TRIGGER report_students_of_work_delete ON work_records;
DROP TRIGGER report_students_of_work_update ON work_records;
DROP TRIGGER report_students_of_work_insert ON work_records;
DROP FUNCTION report_students_of_work();
DROP TRIGGER report_students_of_application_delete ON applications;
DROP TRIGGER report_students_of_application_update ON applications;
DROP TRIGGER report_students_of_application_insert ON applications;
DROP FUNCTION report_students_of_application();
DROP FUNCTION report_students_move(text[], applications[], applications[], work_records[], work_records[], positions[]);
DROP TRIGGER report_students_settle ON report_students_pending;
DROP FUNCTION report_students_settle();
DROP TABLE report_students_pending;
DROP FUNCTION report_memberships(text[], text[], applications[], applications[], work_records[], work_records[], positions[]);
DROP FUNCTION report_shard(text);
DROP TABLE report_students;
