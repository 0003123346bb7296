//! Job leases: the rows that decide which of several processes sharing one database runs a
//! scheduled job, and that no two processes fetch the same source at once.
//!
//! A lease is one row per job (`job_leases`). Every change is a single conditional `UPDATE`
//! whose `WHERE` clause is the whole decision, so the database serialises competing claims:
//! PostgreSQL makes a second concurrent `UPDATE` of the row wait for the first to commit and then
//! re-checks its `WHERE` against the new row (it matches nothing), and SQLite runs one writer at a
//! time. `rows_affected() == 1` is the answer; there is no read-then-write anywhere.
//!
//! - [`Store::claim_lease_tick`]: take a *scheduled* tick: the tick must be newer than the last
//!   one claimed and the lease must have expired. Every replica fires the same tick; one wins.
//! - [`Store::claim_lease`]: take the lease now whatever the tick (a run started by a person or
//!   by `koers ingest`): only when it has expired.
//! - [`Store::renew_lease`]: push the expiry on while the holder still holds a live lease.
//! - [`Store::release_lease`]: end the holder's lease now (the next tick may be claimed at once).
//! - [`Store::reclaim_lease`]: take back a lease from one named holder (a process's own
//!   abandoned claim).
//!
//! Times are epoch milliseconds of the caller's clock; replicas' clocks must agree to well
//! within the lease's time to live (NTP does that).

use crate::{Store, StoreError};

/// The lease job of a source's fetches: `ingest:<source>`. The first-run snapshot load holds
/// `ingest:snapshot`.
pub const SOURCE_LEASE_PREFIX: &str = "ingest:";

/// The lease job of a source (`ingest:cbs-homeless`).
pub fn source_lease(source: &str) -> String {
    format!("{SOURCE_LEASE_PREFIX}{source}")
}

/// A lease row as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Lease {
    /// The job (`ingest:cbs-homeless`, `alert-check`).
    pub job: String,
    /// Who holds (or last held) it; empty before the first claim.
    pub holder: String,
    /// The last scheduled tick claimed, epoch ms (0: none yet).
    pub last_tick: i64,
    /// When the holder claimed it, epoch ms.
    pub acquired_at: i64,
    /// When it lapses unless renewed, epoch ms. At or before "now": free.
    pub expires_at: i64,
}

impl Lease {
    /// Whether the lease is held at `now` (epoch ms).
    pub fn is_live(&self, now: i64) -> bool {
        self.expires_at > now
    }
}

impl Store {
    /// Adds the job's row, free and never claimed, unless it exists.
    async fn ensure_lease_row(&self, job: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO job_leases (job, holder, last_tick, acquired_at, expires_at) \
             VALUES ($1, '', 0, 0, 0) ON CONFLICT (job) DO NOTHING",
        )
        .bind(job)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Claims the scheduled `tick` (epoch ms of the scheduled instant) of `job` for `holder`
    /// until `now + ttl_ms`. `true`: this holder runs the tick. `false`: the tick was claimed
    /// already (by anyone, this holder too), a later one was, or the lease is live.
    pub async fn claim_lease_tick(
        &self,
        job: &str,
        holder: &str,
        tick: i64,
        now: i64,
        ttl_ms: i64,
    ) -> Result<bool, StoreError> {
        self.ensure_lease_row(job).await?;
        let done = sqlx::query(
            "UPDATE job_leases SET holder = $2, last_tick = $3, acquired_at = $4, expires_at = $5 \
             WHERE job = $1 AND last_tick < $3 AND expires_at <= $4",
        )
        .bind(job)
        .bind(holder)
        .bind(tick)
        .bind(now)
        .bind(now.saturating_add(ttl_ms.max(1)))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims `job` for `holder` until `now + ttl_ms` whatever the tick (a run started by hand);
    /// `last_tick` stays. `false`: the lease is live (held by anyone, this holder too).
    pub async fn claim_lease(
        &self,
        job: &str,
        holder: &str,
        now: i64,
        ttl_ms: i64,
    ) -> Result<bool, StoreError> {
        self.ensure_lease_row(job).await?;
        let done = sqlx::query(
            "UPDATE job_leases SET holder = $2, acquired_at = $3, expires_at = $4 \
             WHERE job = $1 AND expires_at <= $3",
        )
        .bind(job)
        .bind(holder)
        .bind(now)
        .bind(now.saturating_add(ttl_ms.max(1)))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Takes `job` over from the claim `from` (whatever its expiry) for `holder` until
    /// `now + ttl_ms`; with `tick`, only when that tick is newer than the last one claimed, and
    /// it becomes the last. For a process taking back its own abandoned claim (a run whose task
    /// was cancelled before it released the lease), never another process's. `false`: the lease
    /// is no longer `from`'s, or the tick was claimed already.
    pub async fn reclaim_lease(
        &self,
        job: &str,
        from: &str,
        holder: &str,
        tick: Option<i64>,
        now: i64,
        ttl_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE job_leases SET holder = $3, last_tick = COALESCE($4, last_tick), \
             acquired_at = $5, expires_at = $6 \
             WHERE job = $1 AND holder = $2 AND ($4 IS NULL OR last_tick < $4)",
        )
        .bind(job)
        .bind(from)
        .bind(holder)
        .bind(tick)
        .bind(now)
        .bind(now.saturating_add(ttl_ms.max(1)))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Extends `holder`'s live lease on `job` to `now + ttl_ms`. `false`: the lease is no longer
    /// this holder's (it lapsed, or another holder took it): the holder must stop.
    pub async fn renew_lease(
        &self,
        job: &str,
        holder: &str,
        now: i64,
        ttl_ms: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE job_leases SET expires_at = $4 WHERE job = $1 AND holder = $2 AND expires_at > $3",
        )
        .bind(job)
        .bind(holder)
        .bind(now)
        .bind(now.saturating_add(ttl_ms.max(1)))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends `holder`'s live lease on `job` at `now`, keeping who held it and the last tick.
    /// `false`: it was not this holder's any more (nothing changed).
    pub async fn release_lease(
        &self,
        job: &str,
        holder: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE job_leases SET expires_at = $3 WHERE job = $1 AND holder = $2 AND expires_at > $3",
        )
        .bind(job)
        .bind(holder)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The lease row of `job`, if it was ever claimed.
    pub async fn lease(&self, job: &str) -> Result<Option<Lease>, StoreError> {
        let row: Option<Lease> = sqlx::query_as(
            "SELECT job, holder, last_tick, acquired_at, expires_at FROM job_leases WHERE job = $1",
        )
        .bind(job)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }

    /// Every lease row, by job.
    pub async fn leases(&self) -> Result<Vec<Lease>, StoreError> {
        let rows: Vec<Lease> = sqlx::query_as(
            "SELECT job, holder, last_tick, acquired_at, expires_at FROM job_leases ORDER BY job",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
