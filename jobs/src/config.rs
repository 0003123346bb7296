//! Ingestion settings. The server builds this from its environment (`server::config`); tests
//! build it directly to point sources at a local fake upstream.

use crate::alerts::AlertConfig;
use std::time::Duration;

/// Default base URL of CBS StatLine OData v3.
pub const DEFAULT_CBS_ODATA_URL: &str = "https://opendata.cbs.nl";
/// Default base URL of CBS OData v4 (`datasets.cbs.nl`, with the `/v1` of release 1.12).
pub const DEFAULT_CBS_ODATA4_URL: &str = "https://datasets.cbs.nl/odata/v1";
/// Default base URL of Eurostat's dissemination API (JSON-stat 2.0 statistics service).
pub const DEFAULT_EUROSTAT_API_URL: &str =
    "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0";
/// Default timeout of one HTTP request.
pub const DEFAULT_HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of retries after the first attempt.
pub const DEFAULT_HTTP_MAX_RETRIES: u32 = 4;
/// Default first backoff delay (doubled each retry, with jitter).
pub const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(500);
/// Default longest wait between attempts, also the cap on a server's `Retry-After`.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(60);
/// Default schedule of every source: daily at 06:15 UTC (six fields, seconds first).
pub const DEFAULT_SCHEDULE: &str = "0 15 6 * * *";
/// Default time to live of a job lease (see [`crate::leases`]): a replica that dies mid-run
/// holds its source this long at most; a live one renews it every third of it.
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(60);

/// Ingestion settings.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// Base URL of CBS OData v3 (`CBS_ODATA_URL`).
    pub cbs_odata_url: String,
    /// Base URL of CBS OData v4 (`CBS_ODATA4_URL`), up to and including `v1`.
    pub cbs_odata4_url: String,
    /// Base URL of the Eurostat statistics API (`EUROSTAT_API_URL`), up to and including `1.0`.
    pub eurostat_api_url: String,
    /// Timeout of one HTTP request.
    pub http_timeout: Duration,
    /// Retries after the first attempt, for transient failures only.
    pub http_max_retries: u32,
    /// First backoff delay.
    pub retry_base_delay: Duration,
    /// Longest wait between attempts (caps `Retry-After` too).
    pub retry_max_delay: Duration,
    /// Per-source cron overrides, `(source slug, six-field cron expression)`.
    pub schedules: Vec<(String, String)>,
    /// User agent sent upstream (and to webhooks).
    pub user_agent: String,
    /// Webhook delivery and the schedule of the periodic alert check.
    pub alerts: AlertConfig,
    /// Time to live of a job lease (`KOERS_LEASE_SECONDS`): how long a run's source stays taken
    /// after its process died without releasing it.
    pub lease_ttl: Duration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            cbs_odata_url: DEFAULT_CBS_ODATA_URL.to_owned(),
            cbs_odata4_url: DEFAULT_CBS_ODATA4_URL.to_owned(),
            eurostat_api_url: DEFAULT_EUROSTAT_API_URL.to_owned(),
            http_timeout: DEFAULT_HTTP_TIMEOUT,
            http_max_retries: DEFAULT_HTTP_MAX_RETRIES,
            retry_base_delay: DEFAULT_RETRY_BASE_DELAY,
            retry_max_delay: DEFAULT_RETRY_MAX_DELAY,
            schedules: Vec::new(),
            user_agent: concat!(
                "koers/",
                env!("CARGO_PKG_VERSION"),
                " (+https://github.com/koers-nl/koers)"
            )
            .to_owned(),
            alerts: AlertConfig::default(),
            lease_ttl: DEFAULT_LEASE_TTL,
        }
    }
}

impl JobsConfig {
    /// The cron expression of a source: its override, or the default.
    pub fn schedule_for(&self, source: &str) -> &str {
        self.schedules
            .iter()
            .find(|(s, _)| s == source)
            .map_or(DEFAULT_SCHEDULE, |(_, cron)| cron.as_str())
    }
}
