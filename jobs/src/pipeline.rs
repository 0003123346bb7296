//! The ingestion pipeline: fetch → validate → write in one transaction → record.
//!
//! CONTRACT (used by the server and the CLI; keep these signatures):
//! - `Ingestor::new(store, config)` builds the shared HTTP client and the source registry.
//! - `Ingestor::sources()` lists the sources (CBS tables and Eurostat dataset sets) with their
//!   upstream ids and schedule.
//! - `Ingestor::run(&source, options, &progress)` runs one source now. A fetch that fails
//!   (network, HTTP status, parse, schema drift, empty table) is NOT an `Err`: it returns a
//!   `RunReport` with `outcome: FetchOutcome::Failed` and the error text, and the failure is
//!   recorded in the `fetches` table. `Err` only for an unknown source or when the source is
//!   already running (no overlap: a second concurrent call returns `RunError::AlreadyRunning`).

use crate::JobsConfig;
use crate::alerts::{Alerts, CheckReport};
use crate::cbs::CbsClient;
use crate::eurostat::EurostatClient;
use crate::http::{FetchError, Http, RequestObserver};
use crate::sources::{CbsTable, EurostatSet, SOURCES, SourceDef, Upstream};
use anyhow::Context;
use domain::SourceId;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use store::{ApplyCounts, Batch, FetchOutcome, FetchRecord, Store};

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
    /// The source is running already (scheduler, CLI or another request).
    #[error("source {0} is already running")]
    AlreadyRunning(SourceId),
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
    eurostat: EurostatClient,
    sources: Vec<(SourceId, &'static SourceDef)>,
    running: Mutex<HashSet<SourceId>>,
    alerts: Alerts,
    sinks: Mutex<Vec<Arc<dyn ProgressSink>>>,
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
        let http = Http::new(&config)?;
        let cbs = CbsClient::new(http.clone(), &config.cbs_odata_url)?;
        let eurostat = EurostatClient::new(http, &config.eurostat_api_url)?;
        let alerts = Alerts::new(store.clone(), &config.alerts, &config.user_agent)?;
        let sources = SOURCES
            .iter()
            .map(|def| SourceId::parse(def.slug).map(|id| (id, def)))
            .collect::<Result<_, _>>()
            .context("the source registry holds an invalid slug")?;
        Ok(Self {
            store,
            config,
            cbs,
            eurostat,
            sources,
            running: Mutex::new(HashSet::new()),
            alerts,
            sinks: Mutex::new(Vec::new()),
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

    /// Runs one source now.
    pub async fn run(
        &self,
        source: &SourceId,
        options: RunOptions,
        progress: &dyn ProgressSink,
    ) -> Result<RunReport, RunError> {
        let Some(&(_, def)) = self.sources.iter().find(|(id, _)| id == source) else {
            let known: Vec<&str> = self.sources.iter().map(|(id, _)| id.as_str()).collect();
            return Err(RunError::UnknownSource(
                source.to_string(),
                known.join(", "),
            ));
        };
        let guard = self.claim(source)?;
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
        let fetch_id = self
            .store
            .begin_fetch(def.slug, &data_url, store::now_ms())
            .await?;
        progress.emit(&ProgressEvent::Started {
            source: source.clone(),
        });
        tracing::info!(source = %source, upstream = %def.upstream_id(), force = options.force, "ingest started");

        let ctx = RunCtx::new(source, progress);
        let mut record = FetchRecord {
            url: Some(data_url),
            ..FetchRecord::default()
        };
        let fetched = self.fetch(def, options, &ctx, &mut record).await;
        record.attempts = ctx.attempts.load(Ordering::Relaxed);
        record.http_status = *ctx
            .last_status
            .lock()
            .unwrap_or_else(PoisonError::into_inner);

        let written = match fetched {
            Ok(None) => {
                self.store
                    .finish_fetch(fetch_id, FetchOutcome::Unchanged, &record, store::now_ms())
                    .await?;
                Ok((FetchOutcome::Unchanged, ApplyCounts::default()))
            }
            Ok(Some(batch)) => self
                .store
                .apply_batch(fetch_id, &batch, &record, store::now_ms())
                .await
                .map(|counts| (FetchOutcome::Succeeded, counts))
                .context("writing the figures failed and was rolled back"),
            Err(e) => Err(e),
        };
        let (outcome, counts) = match written {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(
                    error.cause_chain = ?e,
                    error.message = %e,
                    source = %source,
                    upstream = %def.upstream_id(),
                    "ingest failed; stored figures kept"
                );
                record.error = Some(format!("{e:#}"));
                self.store
                    .finish_fetch(fetch_id, FetchOutcome::Failed, &record, store::now_ms())
                    .await?;
                (FetchOutcome::Failed, ApplyCounts::default())
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
        if outcome != FetchOutcome::Failed {
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
        // The source is free again before alerts are sent; they never fail the run.
        drop(guard);
        self.check_alerts().await;
        Ok(report)
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
