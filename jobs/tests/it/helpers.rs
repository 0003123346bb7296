//! A fake CBS, a fake Eurostat, a fresh store and an `Ingestor` wired to them.

use domain::SeriesId;
use jobs::{Ingestor, JobsConfig, ProgressEvent, ProgressSink, RunOptions, RunReport};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::{FetchOutcome, FetchSummary, Store, StoredObservation};
use testkit::{FakeCbs, FakeEurostat, TestDb};

/// Retries after the first attempt in these tests.
pub const MAX_RETRIES: u32 = 2;

pub struct Harness {
    pub cbs: FakeCbs,
    pub eurostat: FakeEurostat,
    pub db: TestDb,
    pub ingestor: Arc<Ingestor>,
}

/// Settings for tests: the fake upstreams, short timeouts and millisecond backoff; the longest
/// wait (2 s) leaves room to honour a `Retry-After: 1`.
pub fn test_config(cbs: &FakeCbs, eurostat: &FakeEurostat) -> JobsConfig {
    JobsConfig {
        cbs_odata_url: cbs.url(),
        eurostat_api_url: eurostat.url(),
        http_timeout: Duration::from_secs(5),
        http_max_retries: MAX_RETRIES,
        retry_base_delay: Duration::from_millis(10),
        retry_max_delay: Duration::from_secs(2),
        ..JobsConfig::default()
    }
}

impl Harness {
    pub async fn start() -> Self {
        Self::with_config(|c| c).await
    }

    pub async fn with_config(adjust: impl FnOnce(JobsConfig) -> JobsConfig) -> Self {
        let cbs = FakeCbs::start().await;
        let eurostat = FakeEurostat::start().await;
        let db = TestDb::new().await;
        db.store()
            .upsert_series(&jobs::catalog::series(), store::now_ms())
            .await
            .expect("catalogue");
        let ingestor = Arc::new(
            Ingestor::new(db.store().clone(), adjust(test_config(&cbs, &eurostat)))
                .expect("ingestor"),
        );
        Self {
            cbs,
            eurostat,
            db,
            ingestor,
        }
    }

    pub fn store(&self) -> &Store {
        self.db.store()
    }

    pub async fn run(&self, source: &str) -> RunReport {
        self.run_with(source, RunOptions::default(), &()).await
    }

    pub async fn run_forced(&self, source: &str) -> RunReport {
        self.run_with(source, RunOptions { force: true }, &()).await
    }

    pub async fn run_with(
        &self,
        source: &str,
        options: RunOptions,
        progress: &dyn ProgressSink,
    ) -> RunReport {
        self.ingestor
            .run(&source.parse().expect("source id"), options, progress)
            .await
            .expect("the run starts")
    }

    /// The newest fetch row of a source.
    pub async fn last_fetch(&self, source: &str) -> FetchSummary {
        self.store()
            .recent_fetches(Some(source), 1)
            .await
            .expect("fetches")
            .into_iter()
            .next()
            .expect("a fetch row")
    }

    /// Removes every pending fault of both fakes.
    pub fn heal(&self) {
        self.cbs.heal();
        self.eurostat.heal();
    }

    /// Every stored figure of every series Koers fetches, current and earlier vintages.
    pub async fn all_figures(&self) -> Vec<StoredObservation> {
        let mut out = Vec::new();
        for id in live_series() {
            let mut keys: std::collections::BTreeSet<domain::CategoryKey> = self
                .store()
                .list_categories(&id)
                .await
                .expect("categories")
                .into_iter()
                .map(|c| c.key)
                .collect();
            keys.insert(domain::CategoryKey::total());
            for key in keys {
                out.extend(
                    self.store()
                        .observation_history(&id, &key, None)
                        .await
                        .expect("history"),
                );
            }
        }
        out
    }

    /// The series breaks stored for `series`.
    pub async fn breaks(&self, series: &str) -> Vec<domain::SeriesBreak> {
        self.store()
            .list_breaks(&SeriesId::parse(series).expect("series"))
            .await
            .expect("breaks")
    }

    /// The current figure of one series, category and period, with its status.
    pub async fn figure(
        &self,
        series: &str,
        category: &str,
        period: domain::Period,
    ) -> Option<(f64, domain::ObservationStatus)> {
        self.figures(series, category)
            .await
            .into_iter()
            .find(|o| o.observation.period == period)
            .map(|o| (o.observation.value, o.observation.status))
    }

    pub async fn figures(&self, series: &str, category: &str) -> Vec<StoredObservation> {
        self.store()
            .observations(
                &SeriesId::parse(series).expect("series"),
                Some(&domain::CategoryKey::parse(category).expect("category")),
                None,
            )
            .await
            .expect("observations")
    }
}

/// Every series a source keeps up to date.
pub fn live_series() -> Vec<SeriesId> {
    jobs::catalog::series()
        .into_iter()
        .filter(|s| s.source.is_some())
        .map(|s| s.id)
        .collect()
}

/// Records every progress event.
#[derive(Default)]
pub struct Events(Mutex<Vec<ProgressEvent>>);

impl ProgressSink for Events {
    fn emit(&self, event: &ProgressEvent) {
        self.0.lock().expect("events").push(event.clone());
    }
}

impl Events {
    pub fn all(&self) -> Vec<ProgressEvent> {
        self.0.lock().expect("events").clone()
    }

    pub fn retries(&self) -> Vec<(u32, Duration, String)> {
        self.all()
            .into_iter()
            .filter_map(|e| match e {
                ProgressEvent::Retrying {
                    attempt,
                    delay,
                    reason,
                    ..
                } => Some((attempt, delay, reason)),
                _ => None,
            })
            .collect()
    }
}

/// Runs a first good fetch, breaks the fake with `break_it`, runs `source` again and checks
/// that it failed without touching the stored figures. Returns the failed fetch row.
pub async fn fails_and_keeps_data(
    h: &Harness,
    source: &str,
    break_it: impl FnOnce(&Harness),
) -> FetchSummary {
    // Arrange
    let good = h.run(source).await;
    assert_eq!(good.outcome, FetchOutcome::Succeeded, "{:?}", good.error);
    let before = h.all_figures().await;
    let counts_before = h.store().observation_counts().await.unwrap();
    break_it(h);

    // Act
    let report = h.run_forced(source).await;

    // Assert
    assert_eq!(report.outcome, FetchOutcome::Failed);
    assert_eq!(report.counts, store::ApplyCounts::default());
    assert_eq!(h.all_figures().await, before, "stored figures changed");
    assert_eq!(h.store().observation_counts().await.unwrap(), counts_before);
    let fetch = h.last_fetch(source).await;
    assert_eq!(fetch.outcome, FetchOutcome::Failed);
    assert_eq!(fetch.error, report.error);
    assert!(fetch.finished_at.is_some());
    assert_eq!(
        (fetch.rows_new, fetch.rows_revised, fetch.rows_unchanged),
        (0, 0, 0)
    );
    fetch
}

/// After `heal`, a forced run succeeds again and finds the figures unchanged.
pub async fn recovers(h: &Harness, source: &str) {
    h.heal();
    let report = h.run_forced(source).await;
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(report.counts.new + report.counts.revised, 0);
}

/// The error text of a fetch row (empty when it has none).
pub fn error(fetch: &FetchSummary) -> &str {
    fetch.error.as_deref().unwrap_or_default()
}
