//! `/metrics` for Prometheus (OpenMetrics text format, `prometheus-client`), one registry per
//! application so that several apps in one process (tests) never share counters.
//!
//! | series | type | labels |
//! |---|---|---|
//! | `koers_fetches_total` | counter | `source`, `outcome` (`succeeded`, `unchanged`, `failed`) |
//! | `koers_fetch_duration_seconds` | histogram | `source` |
//! | `koers_fetch_rows_total` | counter | `source`, `kind` (`seen`, `new`, `revised`, `unchanged`) |
//! | `koers_source_late_seconds` | gauge | `source`: seconds past the date the next figure was due (0 when not late) |
//! | `koers_source_state` | gauge | `source`, `state` (`fresh`, `due`, `late`, `failing`, `never`): 1 for the current state |
//! | `koers_source_last_success_timestamp_seconds` | gauge | `source` (absent until a fetch succeeds) |
//! | `koers_http_requests_total` | counter | `method`, `route`, `status` |
//! | `koers_http_request_duration_seconds` | histogram | `method`, `route`, `status` |
//!
//! Fetch series are counted when a run finishes, whoever started it (an [`Ingestor`] sink);
//! freshness is assessed when `/metrics` is read. HTTP requests are labelled with the matched
//! route pattern (`/api/v1/series/{id}`), never the raw path, and `unmatched` for requests no
//! route matched, so the number of series stays bounded.
//!
//! Access: `KOERS_METRICS_TOKEN` (see [`crate::config`]). Unset, `/metrics` is public: it holds
//! operational counts only, no figures and no personal data, and Prometheus usually scrapes
//! over a private network. Set, every scrape needs `Authorization: Bearer <token>`.

use crate::startup::AppContext;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jobs::freshness::FreshnessState;
use jobs::{Ingestor, ProgressEvent, ProgressSink};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;
use subtle::ConstantTimeEq;

/// Content type of the OpenMetrics text format.
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Route label of a request that no route matched.
const UNMATCHED: &str = "unmatched";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabels {
    source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    source: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RowLabels {
    source: String,
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    source: String,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    status: u16,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn fetch_buckets() -> Histogram {
    Histogram::new([
        0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
    ])
}

fn http_buckets() -> Histogram {
    Histogram::new([
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

/// The application's metrics and their registry.
pub struct Metrics {
    registry: Registry,
    token: Option<String>,
    fetches: Family<OutcomeLabels, Counter>,
    fetch_duration: Histograms<SourceLabels>,
    fetch_rows: Family<RowLabels, Counter>,
    late_seconds: Family<SourceLabels, Gauge>,
    state: Family<StateLabels, Gauge>,
    last_success: Family<SourceLabels, Gauge>,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Histograms<HttpLabels>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("protected", &self.token.is_some())
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// A fresh registry; `token`, when set, is required to read `/metrics`.
    pub fn new(token: Option<String>) -> Self {
        let mut registry = Registry::with_prefix("koers");
        let fetches = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "fetches",
            "Finished fetches per source and outcome",
            fetches.clone(),
        );
        let fetch_duration = Histograms::<SourceLabels>::new_with_constructor(fetch_buckets);
        registry.register(
            "fetch_duration_seconds",
            "Duration of finished fetches",
            fetch_duration.clone(),
        );
        let fetch_rows = Family::<RowLabels, Counter>::default();
        registry.register(
            "fetch_rows",
            "Rows read from upstream (seen) and figures new, revised or unchanged, per source",
            fetch_rows.clone(),
        );
        let late_seconds = Family::<SourceLabels, Gauge>::default();
        registry.register(
            "source_late_seconds",
            "Seconds since the next figure of a source should have been published (0 when not late)",
            late_seconds.clone(),
        );
        let state = Family::<StateLabels, Gauge>::default();
        registry.register(
            "source_state",
            "Freshness state of a source against its release rhythm (1 for the current state)",
            state.clone(),
        );
        let last_success = Family::<SourceLabels, Gauge>::default();
        registry.register(
            "source_last_success_timestamp_seconds",
            "End of the last fetch of a source that ended well (Unix time)",
            last_success.clone(),
        );
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by method, matched route and status",
            http_requests.clone(),
        );
        let http_duration = Histograms::<HttpLabels>::new_with_constructor(http_buckets);
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by method, matched route and status",
            http_duration.clone(),
        );
        Self {
            registry,
            token: token.filter(|t| !t.trim().is_empty()),
            fetches,
            fetch_duration,
            fetch_rows,
            late_seconds,
            state,
            last_success,
            http_requests,
            http_duration,
        }
    }

    /// Makes every source's fetch counters visible at 0 before its first run, so that a rate
    /// over them starts at the first fetch rather than at the second.
    pub fn register_sources(&self, ingestor: &Ingestor) {
        for source in ingestor.sources() {
            for outcome in ["succeeded", "unchanged", "failed"] {
                self.fetches
                    .get_or_create(&OutcomeLabels {
                        source: source.id.to_string(),
                        outcome: outcome.to_owned(),
                    })
                    .inc_by(0);
            }
        }
    }

    /// Counts one finished HTTP request.
    fn observe_request(&self, labels: HttpLabels, seconds: f64) {
        self.http_duration.get_or_create(&labels).observe(seconds);
        self.http_requests.get_or_create(&labels).inc();
    }

    /// Brings the freshness gauges up to date (one assessment per source).
    async fn refresh_sources(&self, ctx: &AppContext) {
        let now = store::now_ms();
        for source in ctx.ingestor.sources() {
            let freshness = match jobs::freshness::assess(&ctx.store, &source, now).await {
                Ok(f) => f,
                Err(e) => {
                    tracing::error!(error.cause_chain = ?e, error.message = %e, source = %source.id, "metrics: assessing freshness failed");
                    continue;
                }
            };
            let label = SourceLabels {
                source: source.id.to_string(),
            };
            let late = freshness
                .expected_by_ms
                .filter(|by| now > *by)
                .map_or(0, |by| (now - by) / 1000);
            self.late_seconds.get_or_create(&label).set(late);
            if let Some(at) = freshness.last_success_ms {
                self.last_success.get_or_create(&label).set(at / 1000);
            }
            for state in FreshnessState::ALL {
                self.state
                    .get_or_create(&StateLabels {
                        source: source.id.to_string(),
                        state: state.as_str(),
                    })
                    .set(i64::from(state == freshness.state));
            }
        }
    }

    /// The registry in the OpenMetrics text format.
    fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }

    /// Whether the request may read the metrics.
    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        given.as_bytes().ct_eq(token.as_bytes()).into()
    }
}

impl ProgressSink for Metrics {
    fn emit(&self, event: &ProgressEvent) {
        let ProgressEvent::Finished(report) = event else {
            return;
        };
        let source = report.source.to_string();
        self.fetches
            .get_or_create(&OutcomeLabels {
                source: source.clone(),
                outcome: report.outcome.as_str().to_owned(),
            })
            .inc();
        self.fetch_duration
            .get_or_create(&SourceLabels {
                source: source.clone(),
            })
            .observe(report.duration.as_secs_f64());
        for (kind, rows) in [
            ("seen", report.rows_seen),
            ("new", report.counts.new),
            ("revised", report.counts.revised),
            ("unchanged", report.counts.unchanged),
        ] {
            self.fetch_rows
                .get_or_create(&RowLabels {
                    source: source.clone(),
                    kind,
                })
                .inc_by(rows);
        }
    }
}

/// The matched route pattern, carried from inside the router (where it is known) out to
/// [`track_requests`] (which sees every request, also those no route matched).
#[derive(Clone)]
struct Route(MatchedPath);

/// Route layer: copies the matched route onto the response.
pub async fn mark_route(path: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Some(path) = path {
        response.extensions_mut().insert(Route(path));
    }
    response
}

/// Outer layer: counts and times every request by method, matched route and status.
pub async fn track_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let route = response
        .extensions()
        .get::<Route>()
        .map_or(UNMATCHED, |r| r.0.as_str())
        .to_owned();
    metrics.observe_request(
        HttpLabels {
            method,
            route,
            status: response.status().as_u16(),
        },
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
pub async fn metrics(State(ctx): State<AppContext>, headers: HeaderMap) -> Response {
    if !ctx.metrics.allows(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"koers metrics\""),
            )],
            "a bearer token is required (KOERS_METRICS_TOKEN)\n",
        )
            .into_response();
    }
    ctx.metrics.refresh_sources(&ctx).await;
    match ctx.metrics.encode() {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error.message = %e, "encoding the metrics failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use domain::SourceId;
    use std::time::Duration;
    use store::{ApplyCounts, FetchOutcome};

    fn finished(outcome: FetchOutcome, seconds: u64) -> ProgressEvent {
        ProgressEvent::Finished(jobs::RunReport {
            source: SourceId::parse("cbs-homeless").unwrap(),
            fetch_id: Some(1),
            outcome,
            counts: ApplyCounts {
                new: 3,
                revised: 1,
                unchanged: 10,
            },
            rows_seen: 14,
            duration: Duration::from_secs(seconds),
            upstream_modified: None,
            error: None,
        })
    }

    #[test]
    fn a_finished_run_counts_its_outcome_duration_and_rows() {
        // Arrange
        let m = Metrics::new(None);

        // Act
        m.emit(&finished(FetchOutcome::Succeeded, 2));
        m.emit(&finished(FetchOutcome::Failed, 7));
        let text = m.encode().unwrap();

        // Assert
        assert!(
            text.contains("koers_fetches_total{source=\"cbs-homeless\",outcome=\"succeeded\"} 1"),
            "{text}"
        );
        assert!(text.contains("koers_fetches_total{source=\"cbs-homeless\",outcome=\"failed\"} 1"));
        assert!(text.contains("koers_fetch_duration_seconds_count{source=\"cbs-homeless\"} 2"));
        assert!(text.contains("koers_fetch_duration_seconds_sum{source=\"cbs-homeless\"} 9.0"));
        assert!(text.contains("koers_fetch_rows_total{source=\"cbs-homeless\",kind=\"new\"} 6"));
    }

    #[test]
    fn a_token_is_required_only_when_set() {
        let mut headers = HeaderMap::new();
        assert!(Metrics::new(None).allows(&headers));
        assert!(Metrics::new(Some(" ".into())).allows(&headers));
        let protected = Metrics::new(Some("s3cret".into()));
        assert!(!protected.allows(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer nope"),
        );
        assert!(!protected.allows(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(protected.allows(&headers));
    }
}
