-- +goose Up
-- Constraints here are the second line of defence behind the service's validation: a write the
-- service let through by mistake still cannot store an impossible row.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE academic_years (
    name                 text PRIMARY KEY CHECK (name ~ '^[0-9]{4}-[0-9]{4}$'
                             AND substr(name, 6, 4)::int = substr(name, 1, 4)::int + 1),
    start_date           date NOT NULL,
    end_date             date NOT NULL,
    nomination_opens_at  timestamptz NOT NULL,
    nomination_closes_at timestamptz NOT NULL,
    nomination_min_hours numeric(7,2) NOT NULL CHECK (nomination_min_hours >= 0),
    max_weekly_hours     integer NOT NULL CHECK (max_weekly_hours BETWEEN 1 AND 168),
    max_monthly_hours    numeric(5,2) NOT NULL CHECK (max_monthly_hours > 0 AND max_monthly_hours <= 744),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CHECK (start_date < end_date),
    CHECK (nomination_opens_at < nomination_closes_at)
);

CREATE TABLE units (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT units_name_key UNIQUE (name)
);

CREATE TABLE students (
    student_no     text PRIMARY KEY CHECK (student_no ~ '^[0-9A-Za-z]{4,20}$'),
    name           text NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 50),
    phone          text NOT NULL CHECK (char_length(phone) BETWEEN 7 AND 20),
    email          text NOT NULL CHECK (position('@' IN email) > 1),
    degree         text NOT NULL CHECK (degree IN ('MASTER', 'DOCTORAL')),
    department     text NOT NULL CHECK (char_length(btrim(department)) BETWEEN 1 AND 100),
    full_time      boolean NOT NULL,
    enrolled       boolean NOT NULL,
    financial_need boolean NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
    id            bigserial PRIMARY KEY,
    student_no    text NOT NULL REFERENCES students (student_no),
    academic_year text NOT NULL REFERENCES academic_years (name),
    specialties   text NOT NULL CHECK (char_length(specialties) <= 1000),
    natures       text[] NOT NULL CHECK (cardinality(natures) >= 1
                      AND natures <@ ARRAY['LONG_TERM', 'TEMPORARY']::text[]),
    weekly_hours  integer NOT NULL CHECK (weekly_hours >= 1),
    phone         text NOT NULL,
    email         text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT profiles_student_year_key UNIQUE (student_no, academic_year)
);

-- Minutes since midnight; the exclusion constraint forbids two overlapping slots on one weekday.
CREATE TABLE free_time_slots (
    profile_id bigint NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    weekday    smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_min  smallint NOT NULL CHECK (start_min >= 0),
    end_min    smallint NOT NULL CHECK (end_min <= 1440),
    CHECK (start_min < end_min),
    CONSTRAINT free_time_slots_no_overlap EXCLUDE USING gist (
        profile_id WITH =, weekday WITH =, int4range(start_min, end_min) WITH &&)
);

CREATE TABLE positions (
    id                    bigserial PRIMARY KEY,
    unit_id               bigint NOT NULL REFERENCES units (id),
    academic_year         text NOT NULL REFERENCES academic_years (name),
    title                 text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 100),
    description           text NOT NULL CHECK (char_length(description) <= 5000),
    nature                text NOT NULL CHECK (nature IN ('LONG_TERM', 'TEMPORARY')),
    duty_category         text NOT NULL CHECK (duty_category IN ('ADMINISTRATIVE', 'WRITING', 'DATA_ANALYSIS',
                              'EVENT_PLANNING', 'PHOTO_VIDEO', 'POSTER_DESIGN', 'SOCIAL_MEDIA', 'OTHER')),
    headcount             integer NOT NULL CHECK (headcount BETWEEN 1 AND 1000),
    pay_fen               bigint NOT NULL CHECK (pay_fen >= 0),
    weekly_hours          integer NOT NULL CHECK (weekly_hours BETWEEN 1 AND 168),
    work_time_requirement text NOT NULL DEFAULT '' CHECK (char_length(work_time_requirement) <= 500),
    apply_start           timestamptz NOT NULL,
    apply_end             timestamptz NOT NULL,
    work_start            timestamptz NOT NULL,
    work_end              timestamptz NOT NULL,
    status                text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'PUBLISHED', 'CLOSED')),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (apply_start < apply_end AND apply_end <= work_start AND work_start < work_end)
);

-- Lists are newest first (id DESC) within a unit, a status or a year; keyword search is a
-- case-insensitive substring of title or description, which trigram indexes serve.
CREATE INDEX positions_unit_id_idx ON positions (unit_id, id DESC);
CREATE INDEX positions_status_id_idx ON positions (status, id DESC);
CREATE INDEX positions_year_id_idx ON positions (academic_year, id DESC);
CREATE INDEX positions_title_trgm_idx ON positions USING gin (title gin_trgm_ops);
CREATE INDEX positions_description_trgm_idx ON positions USING gin (description gin_trgm_ops);
CREATE INDEX profiles_year_idx ON profiles (academic_year);

-- +goose Down
DROP TABLE positions;
DROP TABLE free_time_slots;
DROP TABLE profiles;
DROP TABLE students;
DROP TABLE units;
DROP TABLE academic_years;
