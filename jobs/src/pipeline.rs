//! The ingestion pipeline: fetch → validate → write in one transaction → record.
//!
//! CONTRACT (used by the server and the CLI; keep these signatures):
//! - `Ingestor::new(store, config)` builds the shared HTTP client and the source registry.
//! - `Ingestor::sources()` lists the sources (CBS tables and Eurostat dataset sets) with their
//!   upstream ids and schedule.
//! - `Ingestor::run(&source, options, &progress)` runs one source now. A fetch that fails
//!   (network, HTTP status, parse, schema drift, empty table) is NOT an `Err`: it returns a
//!   `RunReport` with `outcome: FetchOutcome::Failed` and the error text, and the failure is
//!   recorded in the `fetches` table. `Err` only for an unknown source, when the source is
//!   already running (no overlap: a second concurrent call returns `RunError::AlreadyRunning`,
//!   and `RunError::RunningElsewhere` while another replica runs it), or while the server shuts
//!   down (`RunError::ShuttingDown`).
//!
//! Every run holds its source's lease (`ingest:<source>`, see [`crate::leases`]) from before its
//! fetch row opens until after it closes, across all processes sharing the database. A run
//! stopped before it ends (the server shuts down past its grace period, or the lease was lost)
//! ends `interrupted`: its write transaction never commits, so nothing of it is stored.

use crate::JobsConfig;
use crate::alerts::{Alerts, CheckReport};
use crate::cbs::CbsClient;
use crate::cbs4::Cbs4Client;
use crate::eurostat::EurostatClient;
use crate::http::{FetchError, Http, RequestObserver};
use crate::leases::{Claim, HeldLease, LeaseLost, Leases};
use crate::sources::{CbsTable, EurostatSet, SOURCES, SourceDef, Upstream};
use anyhow::Context;
use domain::SourceId;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use store::{ApplyCounts, Batch, FetchOutcome, FetchRecord, Store, StoreError};
use tokio::sync::watch;

/// Options of one run.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// Fetch even when upstream `Modified` equals the last good fetch.
    pub force: bool,
}

/// The result of one run, also written to the `fetches` table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunReport {
    /// The source.
    pub source: SourceId,
    /// The `fetches` row.
    pub fetch_id: Option<i64>,
    /// How it ended.
    pub outcome: FetchOutcome,
    /// Figures new / revised / unchanged.
    pub counts: ApplyCounts,
    /// Rows read from upstream.
    pub rows_seen: u64,
    /// Wall-clock duration.
    pub duration: Duration,
    /// Upstream change marker: `TableInfos.Modified` of a CBS table, or `{dataset} {updated}`
    /// of each Eurostat dataset.
    pub upstream_modified: Option<String>,
    /// Error text when it failed.
    pub error: Option<String>,
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// No source with that slug.
    #[error("unknown source {0:?}; known sources: {1}")]
    UnknownSource(String, String),
    /// The source is running already in this process (scheduler or another request).
    #[error("source {0} is already running")]
    AlreadyRunning(SourceId),
    /// Another process sharing the database (a replica, `koers ingest`) is running the source.
    /// The second field names the process that holds the source's lease (`host:pid:random`).
    #[error(
        "source {0} is already running on another replica ({1}); try again when it has finished"
    )]
    RunningElsewhere(SourceId, String),
    /// The server is shutting down and starts no more runs.
    #[error("the server is shutting down; source {0} was not started")]
    ShuttingDown(SourceId),
    /// The store failed while opening or closing the run record.
    #[error("could not record the run")]
    Store(#[from] store::StoreError),
}

/// Something worth telling a watching user while a run proceeds.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ProgressEvent {
    /// The run started.
    Started {
        /// Source.
        source: SourceId,
    },
    /// A step began ("reading TableInfos", "reading page 3").
    Step {
        /// Source.
        source: SourceId,
        /// Human-readable step.
        message: String,
    },
    /// A transient failure; the request is retried after `delay`.
    Retrying {
        /// Source.
        source: SourceId,
        /// Attempt that failed (1-based).
        attempt: u32,
        /// Wait before the next attempt.
        delay: Duration,
        /// What failed.
        reason: String,
    },
    /// Rows read so far.
    Rows {
        /// Source.
        source: SourceId,
        /// Count so far.
        rows: u64,
    },
    /// The run ended.
    Finished(RunReport),
}

/// Receives progress events (the CLI draws them; the server logs them).
pub trait ProgressSink: Send + Sync {
    /// Handles one event.
    fn emit(&self, event: &ProgressEvent);
}

/// Ignores every event.
impl ProgressSink for () {
    fn emit(&self, _event: &ProgressEvent) {}
}

/// The caller's sink followed by the ingestor's own (see [`Ingestor::add_sink`]).
struct Tee<'a> {
    first: &'a dyn ProgressSink,
    rest: Vec<Arc<dyn ProgressSink>>,
}

impl ProgressSink for Tee<'_> {
    fn emit(&self, event: &ProgressEvent) {
        self.first.emit(event);
        for sink in &self.rest {
            sink.emit(event);
        }
    }
}

impl RunError {
    /// Whether the source is running already, here or on another replica.
    pub fn is_already_running(&self) -> bool {
        matches!(self, Self::AlreadyRunning(_) | Self::RunningElsewhere(..))
    }
}

/// How long stopped runs get to close their fetch rows and release their leases.
const CLOSE_PATIENCE: Duration = Duration::from_secs(10);

/// The error text of a run stopped because it lost its source's lease.
fn lost_text(lost: &LeaseLost) -> String {
    format!(
        "this server lost its hold on the source ({lost}) and stopped the run; nothing of it was written"
    )
}

/// The error text of a run stopped because its server shut down.
pub const STOPPED_BY_SHUTDOWN: &str = "the server shut down before this run finished and stopped it (its grace period had passed); nothing of it was written";

/// The error text of a run marked interrupted by the process that took its source over.
pub const TAKEN_OVER: &str = "the server running this fetch stopped before it finished (its lease lapsed and another server took the source over); nothing of it was written";

/// Where a process is in its shutdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Runs start.
    Open,
    /// No run starts; runs in progress go on.
    Draining,
    /// Runs in progress are stopped.
    Cancelling,
}

/// How a run's work ended.
enum Ended {
    /// It finished: how, and what it changed.
    Done(FetchOutcome, ApplyCounts),
    /// It was stopped before it finished; why.
    Stopped(String),
}

/// Describes a registered source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// Slug (`cbs-homeless`).
    pub id: SourceId,
    /// Human name.
    pub name: String,
    /// Upstream table id, or the Eurostat datasets (`sts_cobp_a + tps00001`).
    pub table_id: String,
    /// Cron expression in use.
    pub schedule: String,
}

/// Runs sources. Cheap to share (`Arc`); one per process.
pub struct Ingestor {
    store: Store,
    config: JobsConfig,
    cbs: CbsClient,
    cbs4: Cbs4Client,
    eurostat: EurostatClient,
    sources: Vec<(SourceId, &'static SourceDef)>,
    running: Mutex<HashSet<SourceId>>,
    alerts: Alerts,
    sinks: Mutex<Vec<Arc<dyn ProgressSink>>>,
    leases: Leases,
    phase: watch::Sender<Phase>,
}

/// Marks a source as running; dropping it (normal end, error, panic or cancellation) frees it.
struct RunningGuard<'a> {
    running: &'a Mutex<HashSet<SourceId>>,
    source: SourceId,
}

impl Drop for RunningGuard<'_> {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.source);
    }
}

impl Ingestor {
    /// Builds the HTTP client and source registry.
    pub fn new(store: Store, config: JobsConfig) -> anyhow::Result<Self> {
        Self::with_sources(store, config, SOURCES)
    }

    /// As [`new`](Self::new), running `sources` instead of the built-in registry (a table to
    /// follow before it has its own entry, or a test's source).
    pub fn with_sources(
        store: Store,
        config: JobsConfig,
        sources: &'static [SourceDef],
    ) -> anyhow::Result<Self> {
        let http = Http::new(&config)?;
        let cbs = CbsClient::new(http.clone(), &config.cbs_odata_url)?;
        let cbs4 = Cbs4Client::new(http.clone(), &config.cbs_odata4_url)?;
        let eurostat = EurostatClient::new(http, &config.eurostat_api_url)?;
        let alerts = Alerts::new(store.clone(), &config.alerts, &config.user_agent)?;
        let sources = sources
            .iter()
            .map(|def| SourceId::parse(def.slug).map(|id| (id, def)))
            .collect::<Result<_, _>>()
            .context("the source registry holds an invalid slug")?;
        Ok(Self {
            cbs,
            cbs4,
            eurostat,
            sources,
            running: Mutex::new(HashSet::new()),
            alerts,
            sinks: Mutex::new(Vec::new()),
            leases: Leases::new(store.clone(), config.lease_ttl),
            phase: watch::Sender::new(Phase::Open),
            store,
            config,
        })
    }

    /// The registered sources.
    pub fn sources(&self) -> Vec<SourceInfo> {
        self.sources
            .iter()
            .map(|(id, def)| SourceInfo {
                id: id.clone(),
                name: def.name.to_owned(),
                table_id: def.upstream_id(),
                schedule: self.config.schedule_for(def.slug).to_owned(),
            })
            .collect()
    }

    /// The store runs write to.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The ingestion settings.
    pub fn config(&self) -> &JobsConfig {
        &self.config
    }

    /// Adds a sink that sees the events of every run, whoever started it (scheduler, console,
    /// CLI): how metrics learn of finished runs.
    pub fn add_sink(&self, sink: Arc<dyn ProgressSink>) {
        self.sinks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(sink);
    }

    /// The alert engine (webhooks, the test notification).
    pub fn alerts(&self) -> &Alerts {
        &self.alerts
    }

    /// Checks every alert condition now and notifies each change; failures are logged.
    pub async fn check_alerts(&self) -> CheckReport {
        self.alerts
            .check_logged(&self.sources(), store::now_ms())
            .await
    }

    /// Whether a run of `source` is in progress in this process.
    pub fn is_running(&self, source: &SourceId) -> bool {
        self.running
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(source)
    }

    fn claim(&self, source: &SourceId) -> Result<RunningGuard<'_>, RunError> {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if !running.insert(source.clone()) {
            return Err(RunError::AlreadyRunning(source.clone()));
        }
        Ok(RunningGuard {
            running: &self.running,
            source: source.clone(),
        })
    }

    /// Runs one source now (a run started by hand: the console, `koers ingest`, a test). It
    /// claims the source's lease whatever the schedule; while another replica holds it the run
    /// is refused with [`RunError::RunningElsewhere`].
    pub async fn run(
        &self,
        source: &SourceId,
        options: RunOptions,
        progress: &dyn ProgressSink,
    ) -> Result<RunReport, RunError> {
        match self.run_claiming(source, options, None, progress).await? {
            Some(report) => Ok(report),
            // Without a tick, a refused claim is an error, never `None`.
            None => Err(RunError::AlreadyRunning(source.clone())),
        }
    }

    /// Runs `source` for its scheduled `tick` (epoch ms of the scheduled instant), unless
    /// another replica claimed that tick first or is still running the source: `Ok(None)`.
    pub async fn run_scheduled(
        &self,
        source: &SourceId,
        tick: i64,
        progress: &dyn ProgressSink,
    ) -> Result<Option<RunReport>, RunError> {
        self.run_claiming(source, RunOptions::default(), Some(tick), progress)
            .await
    }

    async fn run_claiming(
        &self,
        source: &SourceId,
        options: RunOptions,
        tick: Option<i64>,
        progress: &dyn ProgressSink,
    ) -> Result<Option<RunReport>, RunError> {
        let Some(&(_, def)) = self.sources.iter().find(|(id, _)| id == source) else {
            let known: Vec<&str> = self.sources.iter().map(|(id, _)| id.as_str()).collect();
            return Err(RunError::UnknownSource(
                source.to_string(),
                known.join(", "),
            ));
        };
        let guard = self.claim(source)?;
        if self.is_stopping() {
            return Err(RunError::ShuttingDown(source.clone()));
        }
        let job = store::source_lease(def.slug);
        let mut lease = match self.leases.claim_exclusive(&job, tick).await? {
            Claim::Won(lease) => lease,
            Claim::Lost(_) if tick.is_some() => return Ok(None),
            Claim::Lost(current) => {
                let holder = current
                    .map(|l| crate::leases::process_of(&l.holder).to_owned())
                    .unwrap_or_default();
                return Err(RunError::RunningElsewhere(source.clone(), holder));
            }
        };
        let report = self
            .run_holding(source, def, options, &mut lease, progress)
            .await;
        // The fetch row is closed: the next holder finds nothing of this run left running.
        lease.release().await;
        // The source is free again before alerts are sent; they never fail the run.
        drop(guard);
        if report.is_ok() && !self.is_stopping() {
            self.check_alerts().await;
        }
        report.map(Some)
    }

    /// One run, its source's lease held: opens the fetch row, fetches, writes, closes the row.
    async fn run_holding(
        &self,
        source: &SourceId,
        def: &SourceDef,
        options: RunOptions,
        lease: &mut HeldLease,
        progress: &dyn ProgressSink,
    ) -> Result<RunReport, RunError> {
        let tee = Tee {
            first: progress,
            rest: self
                .sinks
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        };
        let progress: &dyn ProgressSink = &tee;
        let started = Instant::now();
        let data_url = self.data_url(def);
        // Holding the lease, no other process runs this source: a row still `running` was left
        // by one that stopped or lost its lease.
        let left = self
            .store
            .interrupt_fetches_of(def.slug, TAKEN_OVER, store::now_ms())
            .await?;
        if left > 0 {
            tracing::warn!(source = %source, runs = left, "marked runs left by a stopped server as interrupted");
        }
        let fetch_id = self
            .store
            .begin_fetch(def.slug, &data_url, store::now_ms())
            .await?;
        progress.emit(&ProgressEvent::Started {
            source: source.clone(),
        });
        tracing::info!(source = %source, upstream = %def.upstream_id(), force = options.force, holder = lease.holder(), "ingest started");

        let ctx = RunCtx::new(source, progress);
        let mut record = FetchRecord {
            url: Some(data_url),
            ..FetchRecord::default()
        };
        let work = self.fetch_and_write(def, options, &ctx, &mut record, fetch_id);
        let mut phase = self.phase.subscribe();
        let cancelled = async move {
            if phase.wait_for(|p| *p == Phase::Cancelling).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let ended = tokio::select! {
            held = lease.hold(work) => match held {
                Ok(done) => done?,
                Err(lost) => Ended::Stopped(lost_text(&lost)),
            },
            () = cancelled => Ended::Stopped(STOPPED_BY_SHUTDOWN.to_owned()),
        };
        let (outcome, counts) = match ended {
            Ended::Done(outcome, counts) => (outcome, counts),
            Ended::Stopped(reason) => {
                // The write transaction, if it had begun, was dropped uncommitted: rolled back.
                record.attempts = ctx.attempts.load(Ordering::Relaxed);
                record.http_status = *ctx
                    .last_status
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                tracing::warn!(source = %source, reason = %reason, "ingest stopped before it finished; nothing of it was written");
                record.error = Some(reason);
                self.close_stopped(fetch_id, &record).await?
            }
        };
        let report = RunReport {
            source: source.clone(),
            fetch_id: Some(fetch_id),
            outcome,
            counts,
            rows_seen: record.rows_seen,
            duration: started.elapsed(),
            upstream_modified: record.upstream_modified.clone(),
            error: record.error.clone(),
        };
        if outcome.is_good() {
            tracing::info!(
                source = %source,
                outcome = outcome.as_str(),
                new = counts.new,
                revised = counts.revised,
                unchanged = counts.unchanged,
                rows_seen = report.rows_seen,
                duration_ms = report.duration.as_millis() as u64,
                "ingest finished"
            );
        }
        progress.emit(&ProgressEvent::Finished(report.clone()));
        Ok(report)
    }

    /// Fetches, validates and writes; closes the fetch row with how it went.
    async fn fetch_and_write(
        &self,
        def: &SourceDef,
        options: RunOptions,
        ctx: &RunCtx<'_>,
        record: &mut FetchRecord,
        fetch_id: i64,
    ) -> Result<Ended, RunError> {
        let fetched = self.fetch(def, options, ctx, record).await;
        record.attempts = ctx.attempts.load(Ordering::Relaxed);
        record.http_status = *ctx
            .last_status
            .lock()
            .unwrap_or_else(PoisonError::into_inner);

        let written = match fetched {
            Ok(None) => {
                self.store
                    .finish_fetch(fetch_id, FetchOutcome::Unchanged, record, store::now_ms())
                    .await?;
                Ok((FetchOutcome::Unchanged, ApplyCounts::default()))
            }
            Ok(Some(batch)) => self
                .store
                .apply_batch(fetch_id, &batch, record, store::now_ms())
                .await
                .map(|counts| (FetchOutcome::Succeeded, counts))
                .context("writing the figures failed and was rolled back"),
            Err(e) => Err(e),
        };
        match written {
            Ok((outcome, counts)) => Ok(Ended::Done(outcome, counts)),
            Err(e) => {
                tracing::error!(
                    error.cause_chain = ?e,
                    error.message = %e,
                    source = %ctx.source,
                    upstream = %def.upstream_id(),
                    "ingest failed; stored figures kept"
                );
                record.error = Some(format!("{e:#}"));
                self.store
                    .finish_fetch(fetch_id, FetchOutcome::Failed, record, store::now_ms())
                    .await?;
                Ok(Ended::Done(FetchOutcome::Failed, ApplyCounts::default()))
            }
        }
    }

    /// Closes the row of a run stopped before it finished as `interrupted`. When the row was
    /// closed already (the run committed just before it was stopped, or the server that took
    /// the source over marked it), the stored outcome stands and is returned.
    async fn close_stopped(
        &self,
        fetch_id: i64,
        record: &FetchRecord,
    ) -> Result<(FetchOutcome, ApplyCounts), RunError> {
        match self
            .store
            .finish_fetch(fetch_id, FetchOutcome::Interrupted, record, store::now_ms())
            .await
        {
            Ok(()) => Ok((FetchOutcome::Interrupted, ApplyCounts::default())),
            Err(StoreError::Conflict(_)) => {
                let row = self.store.get_fetch(fetch_id).await?;
                let counts = ApplyCounts {
                    new: u64::try_from(row.rows_new).unwrap_or(0),
                    revised: u64::try_from(row.rows_revised).unwrap_or(0),
                    unchanged: u64::try_from(row.rows_unchanged).unwrap_or(0),
                };
                Ok((row.outcome, counts))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// This process's leases (the scheduler claims its ticks through them).
    pub fn leases(&self) -> &Leases {
        &self.leases
    }

    /// The process running `source` elsewhere (another replica, `koers ingest`): its name when
    /// the source's lease is live and not this process's, `None` otherwise.
    pub async fn running_elsewhere(&self, source: &SourceId) -> Result<Option<String>, StoreError> {
        let lease = self
            .store
            .lease(&store::source_lease(source.as_str()))
            .await?;
        Ok(lease
            .filter(|l| l.is_live(store::now_ms()) && !self.leases.is_mine(&l.holder))
            .map(|l| crate::leases::process_of(&l.holder).to_owned()))
    }

    /// Whether the process is shutting down (no run starts any more).
    pub fn is_stopping(&self) -> bool {
        *self.phase.borrow() != Phase::Open
    }

    /// Starts no more runs: from now on [`run`](Self::run) answers
    /// [`RunError::ShuttingDown`]. Runs in progress go on.
    pub fn stop_new_runs(&self) {
        self.phase.send_if_modified(|phase| {
            let open = *phase == Phase::Open;
            if open {
                *phase = Phase::Draining;
            }
            open
        });
    }

    /// Stops the runs in progress: each closes its fetch row as `interrupted`, having written
    /// nothing, and releases its source. Starts no more runs either.
    pub fn cancel_runs(&self) {
        self.phase.send_replace(Phase::Cancelling);
    }

    /// Waits until no run is in progress in this process, at most `timeout`. `true`: none is.
    pub async fn wait_idle(&self, timeout: Duration) -> bool {
        let give_up = Instant::now() + timeout;
        loop {
            if self
                .running
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_empty()
            {
                return true;
            }
            if Instant::now() >= give_up {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Shuts ingestion down: starts no more runs, gives the runs in progress `grace` to finish,
    /// then stops the rest (they end `interrupted`, nothing of them written, their sources
    /// released). `true`: every run finished by itself.
    pub async fn shut_down(&self, grace: Duration) -> bool {
        self.stop_new_runs();
        if self.wait_idle(grace).await {
            return true;
        }
        tracing::warn!(
            grace_s = grace.as_secs_f64(),
            "runs still in progress after the grace period: stopping them; they end interrupted and write nothing"
        );
        self.cancel_runs();
        if !self.wait_idle(CLOSE_PATIENCE).await {
            tracing::error!(
                "stopped runs could not close their fetch rows; they are marked interrupted when their leases lapse"
            );
        }
        false
    }

    /// Runs every source, one after the other.
    pub async fn run_all(
        &self,
        options: RunOptions,
        progress: &dyn ProgressSink,
    ) -> Vec<(SourceId, Result<RunReport, RunError>)> {
        let mut reports = Vec::with_capacity(self.sources.len());
        for (id, _) in &self.sources {
            reports.push((id.clone(), self.run(id, options, progress).await));
        }
        reports
    }

    /// The main URL of a source, recorded with each fetch.
    fn data_url(&self, def: &SourceDef) -> String {
        match &def.upstream {
            Upstream::Cbs(table) => self
                .cbs
                .data_url(table.table_id, table.feed_filter().as_deref()),
            Upstream::Cbs4(table) => self.cbs4.url(table.table_id, "Observations"),
            Upstream::Eurostat(set) => set
                .datasets
                .first()
                .map(|d| self.eurostat.data_url(d.code, &d.query()))
                .unwrap_or_default(),
        }
    }

    /// Reads upstream and validates everything. `Ok(None)`: upstream unchanged, nothing written.
    async fn fetch(
        &self,
        def: &SourceDef,
        options: RunOptions,
        ctx: &RunCtx<'_>,
        record: &mut FetchRecord,
    ) -> anyhow::Result<Option<Batch>> {
        match &def.upstream {
            Upstream::Cbs(table) => self.fetch_cbs(def.slug, table, options, ctx, record).await,
            Upstream::Cbs4(table) => self.fetch_cbs4(def.slug, table, options, ctx, record).await,
            Upstream::Eurostat(set) => {
                self.fetch_eurostat(def.slug, set, options, ctx, record)
                    .await
            }
        }
    }

    /// Whether the last good fetch of `slug` saw the same upstream change marker.
    async fn unchanged(
        &self,
        slug: &str,
        marker: &str,
        options: RunOptions,
    ) -> anyhow::Result<bool> {
        if options.force {
            return Ok(false);
        }
        let last = self
            .store
            .last_good_fetch(slug)
            .await
            .context("reading the last good fetch")?;
        Ok(last.and_then(|f| f.upstream_modified).as_deref() == Some(marker))
    }

    /// A CBS table: `TableInfos` first (nothing more when `Modified` is unchanged), then the
    /// metadata (schema drift stops here), then every data page.
    async fn fetch_cbs(
        &self,
        slug: &str,
        def: &CbsTable,
        options: RunOptions,
        ctx: &RunCtx<'_>,
        record: &mut FetchRecord,
    ) -> anyhow::Result<Option<Batch>> {
        let table = def.table_id;
        ctx.step("reading TableInfos");
        let info = self
            .cbs
            .table_info(table, ctx)
            .await
            .with_context(|| format!("reading TableInfos of CBS {table}"))?;
        record.upstream_modified = Some(info.modified.clone());
        info.check_active(table)?;
        if self.unchanged(slug, &info.modified, options).await? {
            ctx.step(&format!(
                "unchanged since {} (TableInfos.Modified); nothing downloaded",
                info.modified
            ));
            return Ok(None);
        }
        let meta = self
            .cbs
            .table_meta(table, &def.dimensions(), ctx, &|m| ctx.step(m))
            .await
            .with_context(|| format!("reading the metadata of CBS {table}"))?;
        let plan = def.check_schema(&meta)?;
        let filter = def.feed_filter();
        let data = self
            .cbs
            .data(table, filter.as_deref(), ctx, &|page, rows| {
                ctx.step(&format!("read data page {page}"));
                ctx.emit(ProgressEvent::Rows {
                    source: ctx.source.clone(),
                    rows: rows as u64,
                });
            })
            .await
            .with_context(|| format!("reading the data of CBS {table}"))?;
        record.etag = data.etag;
        record.checksum = Some(data.checksum);
        record.rows_seen = data.rows.len() as u64;
        ctx.step("validating");
        Ok(Some(def.build_batch(&meta, &plan, &data.rows)?))
    }

    /// A CBS table through OData v4: `Properties` first (nothing more when its change marker is
    /// unchanged), then `Dimensions`, `MeasureCodes` and the codes (schema drift stops here),
    /// then every `Observations` page; validated exactly as a v3 table.
    async fn fetch_cbs4(
        &self,
        slug: &str,
        def: &CbsTable,
        options: RunOptions,
        ctx: &RunCtx<'_>,
        record: &mut FetchRecord,
    ) -> anyhow::Result<Option<Batch>> {
        let table = def.table_id;
        ctx.step("reading Properties (CBS OData v4)");
        let info = self
            .cbs4
            .table_info(table, ctx)
            .await
            .with_context(|| format!("reading Properties of CBS {table} (OData v4)"))?;
        record.upstream_modified = Some(info.modified.clone());
        info.check_active(table)?;
        if self.unchanged(slug, &info.modified, options).await? {
            ctx.step(&format!(
                "unchanged since {} (ObservationsModified); nothing downloaded",
                info.modified
            ));
            return Ok(None);
        }
        let meta = self
            .cbs4
            .table_meta(table, &def.dimensions(), ctx, &|m| ctx.step(m))
            .await
            .with_context(|| format!("reading the metadata of CBS {table} (OData v4)"))?;
        let plan = def.check_schema(&meta)?;
        let data = self
            .cbs4
            .data(table, &meta, ctx, &|page, cells| {
                ctx.step(&format!("read Observations page {page}"));
                ctx.emit(ProgressEvent::Rows {
                    source: ctx.source.clone(),
                    rows: cells as u64,
                });
            })
            .await
            .with_context(|| format!("reading the data of CBS {table} (OData v4)"))?;
        record.checksum = Some(data.checksum);
        record.rows_seen = data.rows.len() as u64;
        ctx.step("validating");
        Ok(Some(def.build_batch(&meta, &plan, &data.rows)?))
    }

    /// Eurostat datasets: each is one request whose `updated` is the change marker. All are
    /// read before anything is compared or validated, and the batch holds all or nothing.
    async fn fetch_eurostat(
        &self,
        slug: &str,
        set: &EurostatSet,
        options: RunOptions,
        ctx: &RunCtx<'_>,
        record: &mut FetchRecord,
    ) -> anyhow::Result<Option<Batch>> {
        let mut hasher = Sha256::new();
        let mut markers = Vec::new();
        let mut fetched = Vec::new();
        for def in set.datasets {
            ctx.step(&format!("reading {}", def.code));
            let response = self
                .eurostat
                .dataset(def.code, &def.query(), ctx)
                .await
                .with_context(|| format!("reading Eurostat {}", def.code))?;
            hasher.update(&response.body);
            // Without `updated`, the body itself tells whether anything changed.
            let updated = response.dataset.updated.clone().unwrap_or_else(|| {
                let digest = hex::encode(Sha256::digest(&response.body));
                format!("sha256:{}", digest.get(..16).unwrap_or(&digest))
            });
            markers.push(format!("{} {updated}", def.code));
            record.etag = record.etag.take().or_else(|| response.etag.clone());
            record.rows_seen += response
                .dataset
                .cells
                .iter()
                .filter(|c| c.value.is_some())
                .count() as u64;
            ctx.emit(ProgressEvent::Rows {
                source: ctx.source.clone(),
                rows: record.rows_seen,
            });
            fetched.push((def, response));
        }
        let marker = markers.join("; ");
        record.upstream_modified = Some(marker.clone());
        record.checksum = Some(hex::encode(hasher.finalize()));
        if self.unchanged(slug, &marker, options).await? {
            ctx.step(&format!(
                "unchanged since {marker} (updated); nothing written"
            ));
            return Ok(None);
        }
        ctx.step("validating");
        let mut batch = Batch::default();
        for (def, response) in &fetched {
            let plan = def.check_schema(&response.dataset)?;
            def.add_to_batch(&response.dataset, &plan, &mut batch)?;
        }
        Ok(Some(batch))
    }
}

/// What one run has seen of its requests; reports progress as it goes.
struct RunCtx<'a> {
    source: SourceId,
    progress: &'a dyn ProgressSink,
    attempts: AtomicU32,
    last_status: Mutex<Option<u16>>,
}

impl<'a> RunCtx<'a> {
    fn new(source: &SourceId, progress: &'a dyn ProgressSink) -> Self {
        Self {
            source: source.clone(),
            progress,
            attempts: AtomicU32::new(0),
            last_status: Mutex::new(None),
        }
    }

    fn emit(&self, event: ProgressEvent) {
        self.progress.emit(&event);
    }

    fn step(&self, message: &str) {
        tracing::debug!(source = %self.source, "{message}");
        self.emit(ProgressEvent::Step {
            source: self.source.clone(),
            message: message.to_owned(),
        });
    }
}

impl RequestObserver for RunCtx<'_> {
    fn attempt_started(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }

    fn status_received(&self, status: u16) {
        *self
            .last_status
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(status);
    }

    fn no_response(&self) {
        *self
            .last_status
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn retrying(&self, attempt: u32, delay: Duration, error: &FetchError) {
        tracing::warn!(source = %self.source, attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying");
        self.emit(ProgressEvent::Retrying {
            source: self.source.clone(),
            attempt,
            delay,
            reason: error.to_string(),
        });
    }
}
