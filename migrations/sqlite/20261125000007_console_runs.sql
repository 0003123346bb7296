-- Runs started from the console ("Run now"): their progress and outcome, kept in the database
-- so that every replica can show a run, whichever replica runs it. `state` is the run as JSON
-- (events, rows so far, the end); `updated_at` is renewed while the run goes on, so a run whose
-- server stopped can be told from one still running.
CREATE TABLE console_runs (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    finished_at BIGINT,
    state       TEXT NOT NULL
);
CREATE INDEX console_runs_by_source ON console_runs (source, started_at);
CREATE INDEX console_runs_by_start ON console_runs (started_at);
