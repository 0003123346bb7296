//! Leadership across replicas: which `koers serve` runs a scheduled job when several share one
//! database, and why no two of them ever fetch the same source at once.
//!
//! Every replica schedules every job; what decides who runs a firing is one row per job in
//! `job_leases` (see `store::Store::claim_lease_tick`), nothing held in memory:
//!
//! 1. **Claim.** When a schedule fires, each replica works out the *scheduled instant* it fired
//!    for (not its own "now": two replicas firing a few milliseconds apart must agree) and runs
//!    one conditional `UPDATE`: take the lease if that tick is newer than the last one claimed
//!    *and* the lease has expired. The database serialises the competing updates; exactly one
//!    replica's update changes the row, and only that replica runs the tick. The others log it
//!    and wait for the next tick. A run started by a person (console "Run now", `koers ingest`)
//!    claims the same lease without the tick condition, so it waits for nobody and is refused
//!    while any replica runs the source ([`crate::RunError::RunningElsewhere`]).
//! 2. **Hold.** While the run goes on, its replica renews the lease every third of its time to
//!    live ([`HeldLease::hold`]). A replica that cannot renew it (the database unreachable for
//!    two renewals, or another replica took it over) stops the run: it ends `interrupted` and
//!    writes nothing, as the replica that takes over expects.
//! 3. **Release.** At the end the lease is released (its expiry set to the present) after the
//!    fetch row is closed, so the next tick can be claimed at once.
//! 4. **Take over.** A replica killed mid-run stops renewing: its lease lapses after its time to
//!    live (`KOERS_LEASE_SECONDS`, 60 s by default), and the next tick after that is claimed by
//!    another replica. Right after claiming a source, a replica marks the source's `running`
//!    fetch rows `interrupted`: holding the lease, it knows nobody else runs that source. At
//!    start-up a replica marks only the `running` rows of sources whose lease has lapsed, never
//!    the fetch another live replica has in flight.
//!
//! Each claim has its own holder token (this process's name plus a counter), so a renewal or a
//! late release of one run can never touch the next run's lease, even in the same process. The
//! process name (`host:pid:random`) is what logs and errors show as "another replica".
//!
//! Leases are ordinary rows with expiry times from the replicas' clocks: keep those in sync
//! (NTP) to well within the lease's time to live.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use store::{Store, StoreError};

/// The lease job of the periodic alert check.
pub const ALERT_CHECK_JOB: &str = "alert-check";

/// How often a waiting claim ([`Leases::claim_waiting`]) asks again.
const WAIT_STEP: Duration = Duration::from_millis(250);

/// This process's name in the lease table and its lease settings. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Leases {
    store: Store,
    process: Arc<str>,
    claims: Arc<AtomicU64>,
    ttl: Duration,
}

/// The process part of a holder token (`web-2:7:1f2e3d4c/12` → `web-2:7:1f2e3d4c`).
pub fn process_of(holder: &str) -> &str {
    holder
        .rsplit_once('/')
        .map_or(holder, |(process, _)| process)
}

fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "koers".to_owned())
}

impl Leases {
    /// Leases for this process over `store`, each living `ttl` unless renewed.
    pub fn new(store: Store, ttl: Duration) -> Self {
        let random = uuid::Uuid::new_v4().simple().to_string();
        let process = format!(
            "{}:{}:{}",
            host_name(),
            std::process::id(),
            random.get(..8).unwrap_or(&random)
        );
        Self {
            store,
            process: process.into(),
            claims: Arc::new(AtomicU64::new(0)),
            ttl: ttl.max(Duration::from_millis(300)),
        }
    }

    /// This process's name, as the `holder` of its leases begins (`host:pid:random`).
    pub fn process(&self) -> &str {
        &self.process
    }

    /// Whether a stored holder token is one of this process's claims.
    pub fn is_mine(&self, holder: &str) -> bool {
        process_of(holder) == &*self.process
    }

    /// The time to live of a lease.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn ttl_ms(&self) -> i64 {
        i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX)
    }

    fn token(&self) -> String {
        let n = self.claims.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}/{n}", self.process)
    }

    fn held(&self, job: &str, holder: String, asked: Instant) -> HeldLease {
        HeldLease {
            store: self.store.clone(),
            job: job.to_owned(),
            holder,
            ttl: self.ttl,
            expires: asked + self.ttl,
            released: false,
        }
    }

    /// Claims the scheduled `tick` (epoch ms of the scheduled instant) of `job`. `None`: another
    /// claim has it (this tick or a later one was claimed, or the lease is live).
    pub async fn claim_tick(&self, job: &str, tick: i64) -> Result<Option<HeldLease>, StoreError> {
        let (holder, asked) = (self.token(), Instant::now());
        let won = self
            .store
            .claim_lease_tick(job, &holder, tick, store::now_ms(), self.ttl_ms())
            .await?;
        Ok(won.then(|| self.held(job, holder, asked)))
    }

    /// Claims `job` now, whatever the tick (a run started by hand). `None`: the lease is live.
    pub async fn claim(&self, job: &str) -> Result<Option<HeldLease>, StoreError> {
        let (holder, asked) = (self.token(), Instant::now());
        let won = self
            .store
            .claim_lease(job, &holder, store::now_ms(), self.ttl_ms())
            .await?;
        Ok(won.then(|| self.held(job, holder, asked)))
    }

    /// Claims `job` for work that nothing else in this process does at the same time (the
    /// ingestor's own guard makes sure): for the scheduled `tick`, or now when `None`. A lease
    /// still held by an earlier claim of this process is then an abandoned one (its task was
    /// cancelled and its release is still on the way) and is taken back at once.
    pub async fn claim_exclusive(&self, job: &str, tick: Option<i64>) -> Result<Claim, StoreError> {
        // A refused claim reads the lease to say who has it; when that read finds the lease
        // released in between (the abandoned claim's release landing), the claim is asked again.
        for _ in 0..3 {
            let claimed = match tick {
                Some(tick) => self.claim_tick(job, tick).await?,
                None => self.claim(job).await?,
            };
            if let Some(lease) = claimed {
                return Ok(Claim::Won(lease));
            }
            let current = self.store.lease(job).await?;
            let Some(lease) = current.as_ref() else {
                return Ok(Claim::Lost(current));
            };
            if tick.is_some_and(|tick| lease.last_tick >= tick) {
                return Ok(Claim::Lost(current));
            }
            if !lease.is_live(store::now_ms()) {
                continue;
            }
            if !self.is_mine(&lease.holder) {
                return Ok(Claim::Lost(current));
            }
            let (holder, asked) = (self.token(), Instant::now());
            let taken = self
                .store
                .reclaim_lease(
                    job,
                    &lease.holder,
                    &holder,
                    tick,
                    store::now_ms(),
                    self.ttl_ms(),
                )
                .await?;
            if taken {
                return Ok(Claim::Won(self.held(job, holder, asked)));
            }
        }
        Ok(Claim::Lost(self.store.lease(job).await?))
    }

    /// Claims `job` now, waiting up to `patience` for the holder to release it or for its lease
    /// to lapse. `None`: still held after `patience`.
    pub async fn claim_waiting(
        &self,
        job: &str,
        patience: Duration,
    ) -> Result<Option<HeldLease>, StoreError> {
        let give_up = Instant::now() + patience;
        let mut said = false;
        loop {
            if let Some(lease) = self.claim(job).await? {
                return Ok(Some(lease));
            }
            if Instant::now() >= give_up {
                return Ok(None);
            }
            if !said {
                let holder = self.store.lease(job).await.ok().flatten();
                tracing::info!(
                    job,
                    holder = holder.as_ref().map_or("", |l| process_of(&l.holder)),
                    "waiting for another server to finish {job}"
                );
                said = true;
            }
            tokio::time::sleep(WAIT_STEP).await;
        }
    }
}

/// The answer to [`Leases::claim_exclusive`].
#[derive(Debug)]
pub enum Claim {
    /// This process holds the lease now.
    Won(HeldLease),
    /// Someone else has it; the lease as it was read after the refusal.
    Lost(Option<store::Lease>),
}

/// Why a held lease stopped being this process's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeaseLost {
    /// It lapsed or another process took it (this one seemed dead to the others).
    #[error("the lease {job} was taken over by another server")]
    TakenOver {
        /// The job.
        job: String,
    },
    /// The database did not answer the renewals before the lease would lapse.
    #[error("the lease {job} could not be renewed before it lapsed: {error}")]
    Unrenewable {
        /// The job.
        job: String,
        /// The last database error.
        error: String,
    },
}

/// A lease this process holds. Renew it by running the work inside [`hold`](Self::hold); end it
/// with [`release`](Self::release). Dropped unreleased (a panic, a cancelled task), it is
/// released in the background.
#[derive(Debug)]
pub struct HeldLease {
    store: Store,
    job: String,
    holder: String,
    ttl: Duration,
    /// When the lease lapses unless renewed, by this process's monotonic clock (a little early:
    /// measured from before the claim was sent).
    expires: Instant,
    released: bool,
}

impl HeldLease {
    /// The job.
    pub fn job(&self) -> &str {
        &self.job
    }

    /// The holder token stored with the lease.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Runs `work` while renewing the lease every third of its time to live. `Err`: the lease
    /// was lost before `work` finished; `work` was dropped (cancelled) then.
    pub async fn hold<F: Future>(&mut self, work: F) -> Result<F::Output, LeaseLost> {
        let every = self.ttl / 3;
        let ttl_ms = i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX);
        let renewing = async {
            loop {
                tokio::time::sleep(every).await;
                let asked = Instant::now();
                match self
                    .store
                    .renew_lease(&self.job, &self.holder, store::now_ms(), ttl_ms)
                    .await
                {
                    Ok(true) => self.expires = asked + self.ttl,
                    Ok(false) => {
                        return LeaseLost::TakenOver {
                            job: self.job.clone(),
                        };
                    }
                    Err(e) if Instant::now() + every >= self.expires => {
                        return LeaseLost::Unrenewable {
                            job: self.job.clone(),
                            error: e.to_string(),
                        };
                    }
                    Err(e) => {
                        tracing::warn!(job = %self.job, error.message = %e, "could not renew the lease; trying again");
                    }
                }
            }
        };
        tokio::select! {
            out = work => Ok(out),
            lost = renewing => Err(lost),
        }
    }

    /// Ends the lease now, so that the next tick can be claimed at once. A failure is logged:
    /// the lease then lapses by itself.
    pub async fn release(mut self) {
        self.released = true;
        if let Err(e) = self
            .store
            .release_lease(&self.job, &self.holder, store::now_ms())
            .await
        {
            tracing::warn!(job = %self.job, error.message = %e, "could not release the lease; it lapses by itself");
        }
    }
}

impl Drop for HeldLease {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (store, job, holder) = (
                self.store.clone(),
                std::mem::take(&mut self.job),
                std::mem::take(&mut self.holder),
            );
            runtime.spawn(async move {
                let _ = store.release_lease(&job, &holder, store::now_ms()).await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_process_is_the_holder_token_without_its_claim_number() {
        assert_eq!(process_of("web-2:7:1f2e3d4c/12"), "web-2:7:1f2e3d4c");
        assert_eq!(process_of("web-2:7:1f2e3d4c"), "web-2:7:1f2e3d4c");
        assert_eq!(process_of(""), "");
    }
}
