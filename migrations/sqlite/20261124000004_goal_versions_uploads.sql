-- Versioned goals, editable events and manual uploads (console, issue 6).
--
-- goal_versions keeps every state of a goal's editable fields; version 1 is what the built-in
-- targets loaded (changed_by 'system'). The goals row stays the current state that public
-- pages read, with the number of the version it shows.

CREATE TABLE goal_versions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    goal_id         TEXT NOT NULL REFERENCES goals (id),
    version         BIGINT NOT NULL,
    baseline_period TEXT NOT NULL,
    baseline_value  REAL NOT NULL,
    target_period   TEXT NOT NULL,
    target_value    REAL NOT NULL,
    note            TEXT NOT NULL,
    changed_by      TEXT NOT NULL,
    changed_at      BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    UNIQUE (goal_id, version)
);

INSERT INTO goal_versions (goal_id, version, baseline_period, baseline_value, target_period,
    target_value, note, changed_by, changed_at, reason)
SELECT id, 1, baseline_period, baseline_value, target_period, target_value, note, 'system',
    updated_at, 'initial version'
FROM goals;

ALTER TABLE goals ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- When an event was last added or edited (epoch ms; 0 for the built-in ones), so a change
-- invalidates cached pages.
ALTER TABLE events ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- One row per CSV upload; its figures are written under the fetch row like any ingestion run.
CREATE TABLE uploads (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    fetch_id    BIGINT NOT NULL REFERENCES fetches (id),
    series_id   TEXT NOT NULL REFERENCES series (id),
    file_name   TEXT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    checksum    TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    created_series BIGINT NOT NULL
);
CREATE INDEX uploads_by_series ON uploads (series_id, uploaded_at);
