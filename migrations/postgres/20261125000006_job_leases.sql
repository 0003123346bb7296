-- Job leases: which server runs a scheduled job when several `koers serve` replicas share one
-- database (see jobs::leases). One row per job: `ingest:<source>` for a source's fetches,
-- `alert-check` for the periodic alert check. A replica claims a scheduled tick with one
-- conditional UPDATE (the tick is newer than `last_tick` and the lease has expired), renews
-- `expires_at` while it runs, and sets it to the present when done. A replica that dies stops
-- renewing: its lease expires and another replica takes the next tick.
-- Times are Unix epoch milliseconds, UTC.
CREATE TABLE job_leases (
    job         TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    last_tick   BIGINT NOT NULL,
    acquired_at BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
