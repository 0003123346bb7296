-- Alerts: webhooks that receive signed JSON notifications, the revision threshold, what was
-- last notified per subject (so a restart never sends a change twice), and a log of every
-- delivery and each of its attempts.

CREATE TABLE alert_webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    kinds      TEXT NOT NULL,
    active     BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One row (id 1): a revision larger than this share of the old value is notified.
CREATE TABLE alert_settings (
    id             BIGINT PRIMARY KEY,
    revision_share REAL NOT NULL,
    updated_at     BIGINT NOT NULL
);
INSERT INTO alert_settings (id, revision_share, updated_at) VALUES (1, 0.05, 0);

-- The state last notified per subject (`goal:<id>` → status, `source:<slug>` → ok/late/failing).
CREATE TABLE alert_state (
    subject    TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Fetches whose revisions have been checked; fetches older than alerts are marked checked.
CREATE TABLE alert_checked_fetches (
    fetch_id   BIGINT PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
INSERT INTO alert_checked_fetches (fetch_id, checked_at) SELECT id, 0 FROM fetches;

-- One row per notification sent to one webhook. webhook_id has no foreign key: the log
-- outlives a removed webhook.
CREATE TABLE alert_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid         TEXT NOT NULL UNIQUE,
    webhook_id   BIGINT,
    webhook_name TEXT NOT NULL,
    webhook_url  TEXT NOT NULL,
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    status_code  BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    delivered_at BIGINT
);
CREATE INDEX alert_deliveries_by_time ON alert_deliveries (created_at);

CREATE TABLE alert_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id BIGINT NOT NULL REFERENCES alert_deliveries (id) ON DELETE CASCADE,
    attempt     BIGINT NOT NULL,
    at          BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    status_code BIGINT,
    error       TEXT
);
CREATE INDEX alert_attempts_by_delivery ON alert_attempts (delivery_id, attempt);
