//! Alerts: signed JSON webhooks when a goal's status changes, a source becomes late or failing
//! (or recovers), or a published figure is revised by more than the set share.
//!
//! [`Alerts::check`] runs after every ingestion run (the [`Ingestor`](crate::Ingestor) calls it,
//! so scheduled, console and CLI runs all count) and on its own schedule for lateness, which
//! changes with the calendar alone. Each condition is compared with the state last notified,
//! kept in the store: a change is claimed with a compare-and-set before anything is sent, so it
//! is notified once, never again on the next tick or after a restart. A subject seen for the
//! first time is recorded silently, except a source that is already late or failing.
//!
//! Deliveries are POSTs with a JSON body, signed as `docs/alerts.md` describes for receivers:
//! `X-Koers-Signature: sha256=<hex HMAC-SHA256 of "<X-Koers-Timestamp>.<body>">`. Transient
//! failures (no connection, timeout, 408, 429, 5xx) are retried with jittered exponential
//! backoff; every attempt is logged. A failed delivery is logged and never fails a run.

use crate::freshness::{self, Freshness, FreshnessState};
use crate::http::{Retry, classify_status, parse_retry_after};
use crate::pipeline::SourceInfo;
use anyhow::Context;
use backon::{ExponentialBuilder, Retryable};
use domain::progress::{Point, Progress, evaluate_with_breaks};
use domain::{CategoryKey, Goal, Period};
use hmac::{Hmac, Mac};
use rand::RngCore;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use serde_json::json;
use sha2::Sha256;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant, SystemTime};
use store::{
    AlertKind, Delivery, DeliveryAttempt, DeliveryStatus, NewDelivery, Revision, Store, StoreError,
    Webhook,
};

/// Header with the signature: `sha256=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Koers-Signature";
/// Header with the Unix time (seconds) the attempt was signed at; part of the signed text.
pub const TIMESTAMP_HEADER: &str = "X-Koers-Timestamp";
/// Header with the event name (`goal.status_changed`, …).
pub const EVENT_HEADER: &str = "X-Koers-Event";
/// Header with the delivery id, the same on every attempt (receivers deduplicate on it).
pub const DELIVERY_HEADER: &str = "X-Koers-Delivery";

/// Event: a goal's status changed.
pub const GOAL_STATUS_CHANGED: &str = "goal.status_changed";
/// Event: a source's next figure should have been published by now.
pub const SOURCE_LATE: &str = "source.late";
/// Event: a source's latest fetch failed.
pub const SOURCE_FAILING: &str = "source.failing";
/// Event: a source that was late or failing no longer is.
pub const SOURCE_RECOVERED: &str = "source.recovered";
/// Event: a fetch revised figures by more than the set share.
pub const FIGURES_REVISED: &str = "figures.revised";
/// Event: a sample sent from the console.
pub const TEST_EVENT: &str = "test";

/// Default timeout of one delivery attempt.
pub const DEFAULT_ALERT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default retries after the first attempt.
pub const DEFAULT_ALERT_MAX_RETRIES: u32 = 4;
/// Default first pause between attempts (doubled each retry, with jitter).
pub const DEFAULT_ALERT_RETRY_BASE_DELAY: Duration = Duration::from_secs(1);
/// Default longest pause between attempts.
pub const DEFAULT_ALERT_RETRY_MAX_DELAY: Duration = Duration::from_secs(60);
/// Default schedule of the periodic check: hourly at minute 7 (six fields, seconds first, UTC).
pub const DEFAULT_ALERT_SCHEDULE: &str = "0 7 * * * *";
/// The environment variable that sets the schedule of the periodic check.
pub const ALERT_SCHEDULE_VARIABLE: &str = "KOERS_ALERT_SCHEDULE";
/// Deliveries are kept this long in the log.
pub const DELIVERY_LOG_DAYS: i64 = 90;
/// A delivery still pending after this long was cut off by a stop and is sent again.
const STALE_PENDING: Duration = Duration::from_secs(30 * 60);
/// Most revisions listed in one notification (the count of all is sent too).
const MAX_LISTED_REVISIONS: usize = 100;
/// Longest response text kept in an attempt's error.
const MAX_RESPONSE_TEXT: usize = 300;

/// Delivery and schedule settings of alerts.
#[derive(Debug, Clone)]
pub struct AlertConfig {
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// Retries after the first attempt, for transient failures only.
    pub max_retries: u32,
    /// First pause between attempts.
    pub retry_base_delay: Duration,
    /// Longest pause between attempts (caps a receiver's `Retry-After` too).
    pub retry_max_delay: Duration,
    /// Cron expression of the periodic check (six fields, UTC).
    pub schedule: String,
}

impl Default for AlertConfig {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_ALERT_TIMEOUT,
            max_retries: DEFAULT_ALERT_MAX_RETRIES,
            retry_base_delay: DEFAULT_ALERT_RETRY_BASE_DELAY,
            retry_max_delay: DEFAULT_ALERT_RETRY_MAX_DELAY,
            schedule: DEFAULT_ALERT_SCHEDULE.to_owned(),
        }
    }
}

type HmacSha256 = Hmac<Sha256>;

/// Whether a delivery is retried after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retrying {
    /// One attempt only.
    Never,
    /// With backoff, as [`AlertConfig`] says.
    AsConfigured,
}

/// A delivery already in the log: its row, its id for receivers, and the attempts made before
/// (by a process that stopped).
struct Pending<'a> {
    id: i64,
    uuid: &'a str,
    attempts: i64,
}

/// The signature of `body` sent at `timestamp` (Unix seconds): `sha256=` and the hex HMAC-SHA256,
/// keyed with `secret`, of `"<timestamp>.<body>"`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

/// Whether `signature` (the `X-Koers-Signature` value) signs `body` at `timestamp` with
/// `secret`. Compares in constant time; the caller checks that `timestamp` is recent.
pub fn verify(secret: &str, timestamp: i64, body: &[u8], signature: &str) -> bool {
    let Some(bytes) = signature
        .strip_prefix("sha256=")
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&bytes).is_ok()
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// A new random secret: `whsec_` and 32 random bytes in hex.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

/// Shortest secret accepted from a person.
pub const MIN_SECRET_LEN: usize = 16;

/// Why a webhook could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidWebhook {
    /// Not an absolute http(s) URL.
    #[error("{0:?} is not an http:// or https:// URL")]
    Url(String),
    /// The URL carries a user name or password (they would end up in logs).
    #[error("the URL must not contain a user name or password; use the secret instead")]
    Credentials,
    /// A secret that is too short to resist guessing.
    #[error(
        "the secret must be at least {MIN_SECRET_LEN} characters (leave it empty to generate one)"
    )]
    ShortSecret,
    /// No event kind chosen.
    #[error("choose at least one kind of alert")]
    NoKinds,
}

/// Checks a webhook URL: absolute, http or https, without credentials.
pub fn check_webhook_url(text: &str) -> Result<url::Url, InvalidWebhook> {
    let url = url::Url::parse(text.trim()).map_err(|_| InvalidWebhook::Url(text.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(InvalidWebhook::Url(text.to_owned()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(InvalidWebhook::Credentials);
    }
    Ok(url)
}

/// Checks a secret chosen by a person (an empty one is generated instead).
pub fn check_secret(secret: &str) -> Result<(), InvalidWebhook> {
    if secret.chars().count() < MIN_SECRET_LEN {
        return Err(InvalidWebhook::ShortSecret);
    }
    Ok(())
}

/// The body of every notification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// The event name, also sent as `X-Koers-Event`.
    pub event: &'static str,
    /// When the change was noticed (RFC 3339, UTC).
    pub occurred_at: String,
    /// One English sentence for people (chat channels can show it as it is).
    pub summary: String,
    /// The details; their shape depends on the event (see `docs/alerts.md`).
    pub data: serde_json::Value,
    #[serde(skip)]
    kind: Option<AlertKind>,
}

impl Event {
    /// An event noticed now.
    pub fn new(
        event: &'static str,
        kind: Option<AlertKind>,
        summary: String,
        data: serde_json::Value,
    ) -> Self {
        Self {
            event,
            occurred_at: rfc3339(store::now_ms()),
            summary,
            data,
            kind,
        }
    }

    /// What a webhook subscribes to in order to receive it (`None`: the test event).
    pub fn kind(&self) -> Option<AlertKind> {
        self.kind
    }
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The alert condition of a source, as last notified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceCondition {
    /// Fresh, due within its grace, or never fetched yet.
    Ok,
    /// Its next figure is overdue.
    Late,
    /// Its latest fetch failed.
    Failing,
}

impl SourceCondition {
    /// From a freshness verdict.
    pub fn of(state: FreshnessState) -> Self {
        match state {
            FreshnessState::Late => Self::Late,
            FreshnessState::Failing => Self::Failing,
            FreshnessState::Fresh | FreshnessState::Due | FreshnessState::Never => Self::Ok,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Late => "late",
            Self::Failing => "failing",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Ok, Self::Late, Self::Failing]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// The event to send when a source's condition goes from `previous` (`None`: never
/// evaluated) to `next`, if any.
pub fn source_event(
    previous: Option<SourceCondition>,
    next: SourceCondition,
) -> Option<&'static str> {
    match (previous, next) {
        (Some(p), n) if p == n => None,
        (None, SourceCondition::Ok) => None,
        (Some(_), SourceCondition::Ok) => Some(SOURCE_RECOVERED),
        (_, SourceCondition::Late) => Some(SOURCE_LATE),
        (_, SourceCondition::Failing) => Some(SOURCE_FAILING),
    }
}

/// How much a revision changes a figure, as a share of the old value (`None`: from zero to
/// something else, an unbounded change).
pub fn revision_share(old: f64, new: f64) -> Option<f64> {
    if old == 0.0 {
        return (new == 0.0).then_some(0.0);
    }
    Some(((new - old) / old).abs())
}

/// The revisions larger than `threshold` (a share: 0.05 = 5 %), each with its share.
pub fn significant_revisions(
    revisions: &[Revision],
    threshold: f64,
) -> Vec<(&Revision, Option<f64>)> {
    revisions
        .iter()
        .map(|r| (r, revision_share(r.old_value, r.new_value)))
        .filter(|(_, share)| share.is_none_or(|s| s > threshold))
        .collect()
}

/// The state subject of a goal.
pub fn goal_subject(goal: &Goal) -> String {
    format!("goal:{}", goal.id)
}

/// The state subject of a source.
pub fn source_subject(source: &SourceInfo) -> String {
    format!("source:{}", source.id)
}

/// A goal evaluated as the public pages evaluate it (`app::ssr::views::goal_state` does the
/// same): the target version in force, the total category of its series, the lower-bound
/// series and the series breaks. Returns the goal with that version's targets applied, the
/// version number, and the progress.
pub async fn goal_progress(
    store: &Store,
    goal: &Goal,
) -> Result<(Goal, i64, Progress), StoreError> {
    let version = store.goal_version_at(&goal.id, None).await?;
    let goal = goal.clone().with_targets(&version.targets);
    let total = CategoryKey::total();
    let points = |rows: Vec<store::StoredObservation>| -> Vec<Point> {
        rows.into_iter()
            .map(|o| Point {
                period: o.observation.period,
                value: o.observation.value,
                status: o.observation.status,
            })
            .collect()
    };
    let observations = store.observations(&goal.series, Some(&total), None).await?;
    let lower = match &goal.lower_bound_series {
        Some(id) => store.observations(id, Some(&total), None).await?,
        None => Vec::new(),
    };
    let breaks: Vec<Period> = store
        .list_breaks(&goal.series)
        .await?
        .iter()
        .map(|b| b.after)
        .collect();
    let progress = evaluate_with_breaks(&goal, &points(observations), &points(lower), &breaks);
    Ok((goal, version.version, progress))
}

/// What one check noticed and sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Events noticed (sent to every subscribed webhook), in order.
    pub events: Vec<&'static str>,
    /// Deliveries accepted by their receiver.
    pub delivered: u32,
    /// Deliveries that failed.
    pub failed: u32,
}

impl CheckReport {
    fn add(&mut self, event: &'static str, (delivered, failed): (u32, u32)) {
        self.events.push(event);
        self.delivered += delivered;
        self.failed += failed;
    }
}

/// One attempt's failure.
#[derive(Debug, Clone)]
struct AttemptError {
    status: Option<u16>,
    message: String,
    retry: Retry,
    retry_after: Option<Duration>,
}

/// Evaluates alert conditions and delivers notifications. One per process (the ingestor's).
pub struct Alerts {
    store: Store,
    client: reqwest::Client,
    backoff: ExponentialBuilder,
    max_delay: Duration,
    // One evaluation at a time in this process; other processes are kept out by the claims.
    serial: tokio::sync::Mutex<()>,
}

impl Alerts {
    /// Builds the delivery client (timeouts, no redirects followed: a webhook URL is exact).
    pub fn new(store: Store, config: &AlertConfig, user_agent: &str) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("building the alert delivery client")?;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(config.retry_base_delay)
            .with_max_delay(config.retry_max_delay)
            .with_max_times(config.max_retries as usize)
            .with_jitter();
        Ok(Self {
            store,
            client,
            backoff,
            max_delay: config.retry_max_delay,
            serial: tokio::sync::Mutex::new(()),
        })
    }

    /// [`check`](Self::check), logging instead of returning a failure: for callers whose own
    /// work must not fail because of alerts (ingestion runs, the schedule).
    pub async fn check_logged(&self, sources: &[SourceInfo], at_ms: i64) -> CheckReport {
        match self.check(sources, at_ms).await {
            Ok(report) => report,
            Err(e) => {
                tracing::error!(error.cause_chain = ?e, error.message = %e, "alert check failed");
                CheckReport::default()
            }
        }
    }

    /// Evaluates every condition, with the calendar at `at_ms` (epoch ms) for lateness, and
    /// notifies each change once. Also resends deliveries a stopped process left pending and
    /// prunes the delivery log.
    pub async fn check(&self, sources: &[SourceInfo], at_ms: i64) -> anyhow::Result<CheckReport> {
        let _serial = self.serial.lock().await;
        let mut report = CheckReport::default();
        self.check_goals(&mut report)
            .await
            .context("checking goal statuses")?;
        self.check_sources(sources, at_ms, &mut report)
            .await
            .context("checking source freshness")?;
        self.check_revisions(&mut report)
            .await
            .context("checking revisions")?;
        self.resume_pending()
            .await
            .context("resending pending deliveries")?;
        let cutoff = store::now_ms() - DELIVERY_LOG_DAYS * 86_400_000;
        self.store
            .prune_deliveries(cutoff)
            .await
            .context("pruning the delivery log")?;
        Ok(report)
    }

    async fn check_goals(&self, report: &mut CheckReport) -> anyhow::Result<()> {
        for goal in self.store.list_goals().await? {
            let (goal, version, progress) = goal_progress(&self.store, &goal).await?;
            let subject = goal_subject(&goal);
            let next = progress.status.as_str();
            let previous = self.store.alert_state(&subject).await?;
            if previous.as_deref() == Some(next)
                || !self
                    .store
                    .claim_alert_state(&subject, previous.as_deref(), next, store::now_ms())
                    .await?
            {
                continue;
            }
            let Some(previous) = previous else {
                continue; // first evaluation: the status is not a change
            };
            let latest = progress
                .latest
                .map(|a| json!({ "period": a.period.to_string(), "value": a.value }));
            let summary = format!(
                "Goal \"{}\": status changed from {} to {}",
                goal.title_en,
                words(&previous),
                words(next)
            );
            let event = Event::new(
                GOAL_STATUS_CHANGED,
                Some(AlertKind::GoalStatus),
                summary,
                json!({
                    "goal": {
                        "id": goal.id.as_str(),
                        "title_nl": goal.title_nl,
                        "title_en": goal.title_en,
                        "series": goal.series.as_str(),
                        "target_period": goal.target_period.to_string(),
                        "target_value": goal.target_value,
                        "target_version": version,
                    },
                    "previous_status": previous,
                    "status": next,
                    "latest": latest,
                    "pace_ratio": progress.pace_ratio,
                }),
            );
            report.add(GOAL_STATUS_CHANGED, self.notify(&event).await);
        }
        Ok(())
    }

    async fn check_sources(
        &self,
        sources: &[SourceInfo],
        at_ms: i64,
        report: &mut CheckReport,
    ) -> anyhow::Result<()> {
        for source in sources {
            let freshness = freshness::assess(&self.store, source, at_ms).await?;
            let subject = source_subject(source);
            let next = SourceCondition::of(freshness.state);
            let stored = self.store.alert_state(&subject).await?;
            let previous = stored.as_deref().and_then(SourceCondition::parse);
            if previous == Some(next)
                || !self
                    .store
                    .claim_alert_state(&subject, stored.as_deref(), next.as_str(), store::now_ms())
                    .await?
            {
                continue;
            }
            let Some(name) = source_event(previous, next) else {
                continue;
            };
            let event = source_alert(name, source, previous, next, &freshness);
            report.add(name, self.notify(&event).await);
        }
        Ok(())
    }

    async fn check_revisions(&self, report: &mut CheckReport) -> anyhow::Result<()> {
        let threshold = self.store.alert_settings().await?.revision_share;
        for fetch in self.store.unchecked_revising_fetches().await? {
            if !self
                .store
                .claim_fetch_check(fetch.id, store::now_ms())
                .await?
            {
                continue;
            }
            let revisions = self.store.fetch_revisions(fetch.id).await?;
            let significant = significant_revisions(&revisions, threshold);
            let Some(&(first, first_share)) = significant.first() else {
                continue;
            };
            let listed: Vec<serde_json::Value> = significant
                .iter()
                .take(MAX_LISTED_REVISIONS)
                .map(|(r, share)| {
                    json!({
                        "series": r.series.as_str(),
                        "category": r.category.as_str(),
                        "period": r.period.to_string(),
                        "old_value": r.old_value,
                        "new_value": r.new_value,
                        "share": share,
                    })
                })
                .collect();
            let summary = format!(
                "{} figure(s) of {} revised by more than {}, e.g. {} {}: {} → {} ({})",
                significant.len(),
                fetch.source,
                percent(threshold),
                first.series,
                first.period,
                first.old_value,
                first.new_value,
                first_share.map_or_else(|| "from zero".to_owned(), percent)
            );
            let event = Event::new(
                FIGURES_REVISED,
                Some(AlertKind::Revision),
                summary,
                json!({
                    "source": fetch.source,
                    "fetch_id": fetch.id,
                    "threshold_share": threshold,
                    "revised": revisions.len(),
                    "above_threshold": significant.len(),
                    "revisions": listed,
                }),
            );
            report.add(FIGURES_REVISED, self.notify(&event).await);
        }
        Ok(())
    }

    /// Sends `event` to every active webhook subscribed to its kind; returns (delivered, failed).
    pub async fn notify(&self, event: &Event) -> (u32, u32) {
        let webhooks = match self.store.list_webhooks().await {
            Ok(all) => all,
            Err(e) => {
                tracing::error!(error.cause_chain = ?e, error.message = %e, event = event.event, "could not read the webhooks; nothing sent");
                return (0, 1);
            }
        };
        let body = match serde_json::to_string(event) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error.message = %e, event = event.event, "could not encode the event");
                return (0, 1);
            }
        };
        tracing::info!(event = event.event, summary = %event.summary, "alert");
        let targets = webhooks
            .iter()
            .filter(|w| event.kind.is_some_and(|k| w.wants(k)));
        let results = futures::future::join_all(
            targets.map(|w| self.deliver(w, event.event, &body, self.backoff)),
        )
        .await;
        results.iter().fold((0, 0), |(ok, failed), r| match r {
            Ok(d) if d.status == DeliveryStatus::Delivered => (ok + 1, failed),
            _ => (ok, failed + 1),
        })
    }

    /// Sends a sample event to one webhook (active or not) and returns the logged delivery.
    /// The console sends it [`Retrying::Never`]: the admin waits for the answer, which should
    /// say at once whether the receiver works.
    pub async fn send_test(&self, webhook_id: i64, retrying: Retrying) -> anyhow::Result<Delivery> {
        let webhook = self.store.get_webhook(webhook_id).await?;
        let event = Event::new(
            TEST_EVENT,
            None,
            format!("Test notification from Koers to \"{}\"", webhook.name),
            json!({
                "webhook": webhook.name,
                "kinds": webhook.kinds,
                "sample": {
                    "event": GOAL_STATUS_CHANGED,
                    "data": {
                        "goal": { "id": "example", "title_en": "An example goal" },
                        "previous_status": "on_track",
                        "status": "needs_acceleration",
                    },
                },
            }),
        );
        let body = serde_json::to_string(&event).context("encoding the test event")?;
        let backoff = match retrying {
            Retrying::Never => self.backoff.with_max_times(0),
            Retrying::AsConfigured => self.backoff,
        };
        Ok(self.deliver(&webhook, TEST_EVENT, &body, backoff).await?)
    }

    /// Logs a delivery of `body` to `webhook`, sends it with retries, and returns the result.
    async fn deliver(
        &self,
        webhook: &Webhook,
        event: &str,
        body: &str,
        backoff: ExponentialBuilder,
    ) -> Result<Delivery, StoreError> {
        let uuid = uuid::Uuid::new_v4().to_string();
        let id = self
            .store
            .begin_delivery(
                NewDelivery {
                    uuid: &uuid,
                    webhook,
                    event,
                    payload: body,
                },
                store::now_ms(),
            )
            .await?;
        let pending = Pending {
            id,
            uuid: &uuid,
            attempts: 0,
        };
        self.send(pending, webhook, event, body, backoff).await
    }

    /// Sends a logged delivery, retrying transient failures as `backoff` allows.
    async fn send(
        &self,
        pending: Pending<'_>,
        webhook: &Webhook,
        event: &str,
        body: &str,
        backoff: ExponentialBuilder,
    ) -> Result<Delivery, StoreError> {
        let Pending { id, uuid, attempts } = pending;
        let attempts = AtomicI64::new(attempts);
        let result = (|| async {
            let attempt = attempts.fetch_add(1, Ordering::Relaxed) + 1;
            self.attempt(id, attempt, uuid, webhook, event, body).await
        })
        .retry(backoff)
        .when(|e: &AttemptError| e.retry == Retry::Transient)
        .adjust(|e: &AttemptError, backoff: Option<Duration>| {
            backoff.map(|d| e.retry_after.unwrap_or(d).min(self.max_delay))
        })
        .notify(|e: &AttemptError, delay: Duration| {
            tracing::warn!(webhook = webhook.id, event, error = %e.message, delay_ms = delay.as_millis() as u64, "alert delivery failed; retrying");
        })
        .await;
        let status = match &result {
            Ok(()) => DeliveryStatus::Delivered,
            Err(e) => {
                tracing::warn!(webhook = webhook.id, event, status = e.status, error = %e.message, "alert delivery failed");
                DeliveryStatus::Failed
            }
        };
        self.store
            .finish_delivery(id, status, store::now_ms())
            .await?;
        self.store.get_delivery(id).await
    }

    async fn attempt(
        &self,
        id: i64,
        attempt: i64,
        uuid: &str,
        webhook: &Webhook,
        event: &str,
        body: &str,
    ) -> Result<(), AttemptError> {
        let at = store::now_ms();
        let started = Instant::now();
        let timestamp = at.div_euclid(1000);
        let sent = self
            .client
            .post(&webhook.url)
            .header(CONTENT_TYPE, "application/json")
            .header(EVENT_HEADER, event)
            .header(DELIVERY_HEADER, uuid)
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(
                SIGNATURE_HEADER,
                sign(&webhook.secret, timestamp, body.as_bytes()),
            )
            .body(body.to_owned())
            .send()
            .await;
        let result = match sent {
            Ok(response) if response.status().is_success() => Ok(response.status().as_u16()),
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                let text = response.text().await.unwrap_or_default();
                let text: String = text.chars().take(MAX_RESPONSE_TEXT).collect();
                let mut message = format!("HTTP {status}");
                if !text.trim().is_empty() {
                    message.push_str(": ");
                    message.push_str(text.trim());
                }
                Err(AttemptError {
                    status: Some(status.as_u16()),
                    message,
                    retry: classify_status(status),
                    retry_after,
                })
            }
            Err(e) => Err(AttemptError {
                status: None,
                message: error_chain(&e),
                retry: Retry::Transient,
                retry_after: None,
            }),
        };
        let logged = DeliveryAttempt {
            attempt,
            at,
            duration_ms: started.elapsed().as_millis() as i64,
            status_code: match &result {
                Ok(status) => Some(i64::from(*status)),
                Err(e) => e.status.map(i64::from),
            },
            error: result.as_ref().err().map(|e| e.message.clone()),
        };
        if let Err(e) = self.store.record_attempt(id, &logged).await {
            tracing::error!(error.cause_chain = ?e, error.message = %e, delivery = id, "could not log a delivery attempt");
        }
        result.map(|_| ())
    }

    /// Sends again the deliveries a stopped process left pending.
    async fn resume_pending(&self) -> anyhow::Result<()> {
        let before = store::now_ms() - STALE_PENDING.as_millis() as i64;
        for delivery in self.store.stale_pending_deliveries(before).await? {
            let webhook = match delivery.webhook_id {
                Some(id) => match self.store.get_webhook(id).await {
                    Ok(w) => Some(w),
                    Err(StoreError::NotFound(_)) => None,
                    Err(e) => return Err(e.into()),
                },
                None => None,
            };
            match webhook {
                Some(w) => {
                    let pending = Pending {
                        id: delivery.id,
                        uuid: &delivery.uuid,
                        attempts: delivery.attempts,
                    };
                    self.send(
                        pending,
                        &w,
                        &delivery.event,
                        &delivery.payload,
                        self.backoff,
                    )
                    .await?;
                }
                None => {
                    self.store
                        .finish_delivery(delivery.id, DeliveryStatus::Failed, store::now_ms())
                        .await?;
                }
            }
        }
        Ok(())
    }
}

fn source_alert(
    name: &'static str,
    source: &SourceInfo,
    previous: Option<SourceCondition>,
    next: SourceCondition,
    freshness: &Freshness,
) -> Event {
    let summary = match next {
        SourceCondition::Ok => format!(
            "Source {} is no longer {}",
            source.name,
            previous.map_or("late", SourceCondition::as_str)
        ),
        SourceCondition::Late | SourceCondition::Failing => format!(
            "Source {} is {}: {}",
            source.name,
            next.as_str(),
            freshness.describe()
        ),
    };
    Event::new(
        name,
        Some(AlertKind::SourceFreshness),
        summary,
        json!({
            "source": { "id": source.id.as_str(), "name": source.name },
            "previous": previous.map(SourceCondition::as_str),
            "condition": next.as_str(),
            "freshness": freshness,
            "description": freshness.describe(),
        }),
    )
}

fn words(status: &str) -> String {
    status.replace('_', " ")
}

fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

fn error_chain(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    let mut message = what.to_owned();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use domain::SeriesId;

    #[test]
    fn the_signature_matches_a_known_vector() {
        // Arrange: computed independently with
        // printf '1700000000.{"event":"test"}' | openssl dgst -sha256 -hmac 'whsec_test'
        let body = br#"{"event":"test"}"#;

        // Act
        let signature = sign("whsec_test", 1_700_000_000, body);

        // Assert
        assert_eq!(
            signature,
            "sha256=21d2d3606ebbdbf9307ee15e83085df2b83c83dd87cc2e6d2ea6b1cb61afdc3c"
        );
        assert!(verify("whsec_test", 1_700_000_000, body, &signature));
    }

    #[test]
    fn a_signature_fails_for_another_secret_time_or_body() {
        let body = br#"{"event":"test"}"#;
        let signature = sign("whsec_test", 1_700_000_000, body);
        assert!(!verify("whsec_other", 1_700_000_000, body, &signature));
        assert!(!verify("whsec_test", 1_700_000_001, body, &signature));
        assert!(!verify(
            "whsec_test",
            1_700_000_000,
            br#"{"event":"tesT"}"#,
            &signature
        ));
        assert!(!verify("whsec_test", 1_700_000_000, body, "sha256=zz"));
        assert!(!verify(
            "whsec_test",
            1_700_000_000,
            body,
            signature.trim_start_matches("sha256=")
        ));
    }

    #[test]
    fn generated_secrets_are_long_and_different() {
        let (a, b) = (generate_secret(), generate_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), "whsec_".len() + 64);
        assert!(check_secret(&a).is_ok());
    }

    #[test]
    fn webhook_urls_must_be_plain_http_or_https() {
        assert!(check_webhook_url("https://hooks.example.org/koers").is_ok());
        assert!(check_webhook_url("http://127.0.0.1:8080/x").is_ok());
        assert_eq!(
            check_webhook_url("ftp://example.org/"),
            Err(InvalidWebhook::Url("ftp://example.org/".into()))
        );
        assert!(check_webhook_url("/relative").is_err());
        assert_eq!(
            check_webhook_url("https://user:pw@example.org/"),
            Err(InvalidWebhook::Credentials)
        );
        assert_eq!(check_secret("short"), Err(InvalidWebhook::ShortSecret));
    }

    #[test]
    fn a_source_notifies_each_change_once_and_its_recovery() {
        use SourceCondition::{Failing, Late, Ok};
        // First evaluation: only a problem is worth telling.
        assert_eq!(source_event(None, Ok), None);
        assert_eq!(source_event(None, Late), Some(SOURCE_LATE));
        assert_eq!(source_event(None, Failing), Some(SOURCE_FAILING));
        // No change, no event.
        assert_eq!(source_event(Some(Late), Late), None);
        assert_eq!(source_event(Some(Ok), Ok), None);
        // Changes.
        assert_eq!(source_event(Some(Ok), Late), Some(SOURCE_LATE));
        assert_eq!(source_event(Some(Late), Failing), Some(SOURCE_FAILING));
        assert_eq!(source_event(Some(Failing), Late), Some(SOURCE_LATE));
        assert_eq!(source_event(Some(Late), Ok), Some(SOURCE_RECOVERED));
        assert_eq!(source_event(Some(Failing), Ok), Some(SOURCE_RECOVERED));
    }

    #[test]
    fn due_and_never_fetched_sources_are_not_alerts() {
        assert_eq!(
            SourceCondition::of(FreshnessState::Due),
            SourceCondition::Ok
        );
        assert_eq!(
            SourceCondition::of(FreshnessState::Never),
            SourceCondition::Ok
        );
        assert_eq!(
            SourceCondition::of(FreshnessState::Late),
            SourceCondition::Late
        );
        assert_eq!(
            SourceCondition::parse(SourceCondition::Failing.as_str()),
            Some(SourceCondition::Failing)
        );
    }

    fn revision(period: i32, old_value: f64, new_value: f64) -> Revision {
        Revision {
            series: SeriesId::parse("homeless_people").unwrap(),
            category: CategoryKey::total(),
            period: Period::Year(period),
            old_value,
            new_value,
        }
    }

    #[test]
    fn only_revisions_larger_than_the_share_are_significant() {
        // Arrange: 4 % up, exactly 5 % down, 10 % up, from zero, zero to zero.
        let revisions = [
            revision(2020, 100.0, 104.0),
            revision(2021, 100.0, 95.0),
            revision(2022, 30_600.0, 33_660.0),
            revision(2023, 0.0, 12.0),
            revision(2024, 0.0, 0.0),
        ];

        // Act
        let found = significant_revisions(&revisions, 0.05);

        // Assert
        let periods: Vec<String> = found.iter().map(|(r, _)| r.period.to_string()).collect();
        assert_eq!(periods, ["2022", "2023"]);
        assert!((found[0].1.unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(found[1].1, None);
    }

    #[test]
    fn a_zero_threshold_reports_every_real_change() {
        let revisions = [revision(2020, 100.0, 100.5), revision(2021, 7.0, 7.0)];
        let found = significant_revisions(&revisions, 0.0);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn the_event_body_has_a_stable_shape() {
        let event = Event::new(TEST_EVENT, None, "s".into(), json!({ "a": 1 }));
        let value: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
        assert_eq!(value["event"], "test");
        assert_eq!(value["summary"], "s");
        assert_eq!(value["data"]["a"], 1);
        assert!(value["occurred_at"].as_str().unwrap().ends_with('Z'));
        assert!(value.get("kind").is_none());
    }
}
