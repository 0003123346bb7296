-- Koers core schema (PostgreSQL dialect). Times are Unix epoch milliseconds, UTC.

CREATE TABLE series (
    id             TEXT PRIMARY KEY,
    title_nl       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_en TEXT NOT NULL,
    unit           TEXT NOT NULL,
    measure        TEXT NOT NULL,
    producer       TEXT NOT NULL,
    table_id       TEXT,
    source_url     TEXT NOT NULL,
    licence        TEXT NOT NULL,
    licence_url    TEXT NOT NULL,
    source         TEXT,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE categories (
    series_id      TEXT NOT NULL REFERENCES series (id),
    key            TEXT NOT NULL,
    title_nl       TEXT NOT NULL,
    title_en       TEXT,
    group_title_nl TEXT,
    position       BIGINT NOT NULL,
    PRIMARY KEY (series_id, key)
);

-- One row per ingestion run of a source (or first-run snapshot load).
CREATE TABLE fetches (
    id                BIGSERIAL PRIMARY KEY,
    source            TEXT NOT NULL,
    url               TEXT NOT NULL,
    started_at        BIGINT NOT NULL,
    finished_at       BIGINT,
    http_status       BIGINT,
    upstream_modified TEXT,
    etag              TEXT,
    checksum          TEXT,
    rows_seen         BIGINT NOT NULL DEFAULT 0,
    rows_new          BIGINT NOT NULL DEFAULT 0,
    rows_revised      BIGINT NOT NULL DEFAULT 0,
    rows_unchanged    BIGINT NOT NULL DEFAULT 0,
    attempts          BIGINT NOT NULL DEFAULT 0,
    outcome           TEXT NOT NULL,
    error             TEXT
);
CREATE INDEX fetches_by_source ON fetches (source, started_at);

-- Every value ever seen. The current vintage has superseded_at NULL.
CREATE TABLE observations (
    id            BIGSERIAL PRIMARY KEY,
    series_id     TEXT NOT NULL REFERENCES series (id),
    category      TEXT NOT NULL,
    period        TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    status        TEXT NOT NULL,
    fetch_id      BIGINT NOT NULL REFERENCES fetches (id),
    source_label  TEXT NOT NULL,
    source_url    TEXT NOT NULL,
    note          TEXT,
    first_seen_at BIGINT NOT NULL,
    superseded_at BIGINT
);
CREATE UNIQUE INDEX observations_current
    ON observations (series_id, category, period) WHERE superseded_at IS NULL;
CREATE INDEX observations_by_series ON observations (series_id, category, period_start);

CREATE TABLE goals (
    id                 TEXT PRIMARY KEY,
    title_nl           TEXT NOT NULL,
    title_en           TEXT NOT NULL,
    series_id          TEXT NOT NULL REFERENCES series (id),
    baseline_period    TEXT NOT NULL,
    baseline_value     DOUBLE PRECISION NOT NULL,
    target_period      TEXT NOT NULL,
    target_value       DOUBLE PRECISION NOT NULL,
    direction          TEXT NOT NULL,
    cumulative         BIGINT NOT NULL,
    pace_window        BIGINT NOT NULL,
    lower_bound_series TEXT,
    commitment_nl      TEXT NOT NULL,
    commitment_en      TEXT NOT NULL,
    source_url         TEXT NOT NULL,
    note               TEXT NOT NULL,
    position           BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
