//! HTTP caching of chart images, exports, embeds and API answers, and the rate limit on
//! rendering. One middleware does it for every route it wraps:
//!
//! - **ETag** from the request (path, query, `Accept`), the build, and the store's data version
//!   (`Store::data_version`): a conditional request with a matching `If-None-Match` gets `304`
//!   before anything is loaded or drawn. The version is memoized by the store: a write of this
//!   process shows at once, one of another replica within `store::VERSION_TTL` (1 s).
//! - **Cache-Control**: a view pinned to a settled vintage (`vintage=` a moment in the past) can
//!   never change, so it is `immutable` for a year and its ETag leaves the data version out;
//!   anything else may be cached for five minutes.
//! - **Render cache**: successful answers are kept in memory (moka, bounded by bytes) under their
//!   ETag, so a view is rendered once per data version, not once per request.
//! - **Rate limit** (governor, per client address) on renders of expensive routes (chart images,
//!   embeds) that miss the cache: `429` with `Retry-After` and a JSON error. Cached hits and
//!   `304`s are never limited.
//! - **Load shedding** of pages (`shed_pages`): at most `page_renders` pages are rendered at once
//!   (pages are never cached whole: each carries its own CSP nonce); a request that finds no free
//!   renderer within `PAGE_QUEUE_WAIT` gets a quick `503` with `Retry-After` instead of a queue
//!   that makes every visitor wait during a news spike.

use crate::routes::api::param;
use app::ssr::views::parse_vintage;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::Locale;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use store::Store;

/// `Cache-Control` of a view that can still change.
pub const SHORT: &str = "public, max-age=300";
/// `Cache-Control` of a view pinned to a settled vintage.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// How long past a vintage must be before it counts as settled: longer than any ingest
/// transaction takes, so no figure first seen before the vintage can still arrive.
const SETTLE_MS: i64 = 60_000;
/// Response header saying whether an answer came from the render cache (`hit`) or was made
/// for this request (`miss`).
pub const CACHE_STATUS: &str = "x-koers-cache";
/// Largest answer kept in the render cache.
const MAX_ENTRY_BYTES: usize = 8 * 1024 * 1024;

/// Limits of the HTTP cache and of rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheSettings {
    /// Renders one client may start per minute (cache misses of chart images and embeds).
    pub renders_per_minute: u32,
    /// Renders one client may start at once before the rate applies.
    pub render_burst: u32,
    /// Memory for cached answers, in bytes.
    pub capacity_bytes: u64,
    /// Pages rendered at once; more wait up to `PAGE_QUEUE_WAIT`, then get `503`.
    pub page_renders: u32,
}

/// The default number of pages rendered at once: four per core.
pub fn default_page_renders() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| u32::try_from(n.get()).unwrap_or(8)) * 4
}

/// How long a page request waits for a free renderer before it is turned away with `503`.
pub const PAGE_QUEUE_WAIT: Duration = Duration::from_millis(20);

impl Default for CacheSettings {
    fn default() -> Self {
        Self {
            renders_per_minute: 120,
            render_burst: 30,
            capacity_bytes: 64 * 1024 * 1024,
            page_renders: default_page_renders(),
        }
    }
}

/// One cached answer.
#[derive(Debug)]
struct Entry {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// The shared cache, render limiter and page renderers. Cheap to clone (axum clones it for every
/// request): every clone shares the same parts.
#[derive(Clone)]
pub struct HttpCache(Arc<Parts>);

struct Parts {
    store: Store,
    entries: moka::future::Cache<String, Arc<Entry>>,
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    pages: Arc<tokio::sync::Semaphore>,
}

impl std::fmt::Debug for HttpCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpCache")
            .field("entries", &self.0.entries.entry_count())
            .finish_non_exhaustive()
    }
}

/// Which routes a cache layer wraps: cheap ones, or renders that the rate limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// Reading and formatting stored figures.
    Cheap,
    /// Drawing a chart (any size): limited per client on a cache miss.
    Render,
}

/// What a cache layer needs.
#[derive(Debug, Clone)]
pub struct CacheLayer {
    /// The cache.
    pub cache: HttpCache,
    /// How costly a miss is.
    pub cost: Cost,
}

/// An identifier of this build, so cached answers and ETags from an older program are never
/// reused: the running executable's size and modification time.
fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata).ok();
        let modified = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let len = meta.map(|m| m.len()).unwrap_or_default();
        format!("{}:{len}:{modified}", env!("CARGO_PKG_VERSION"))
    })
}

impl HttpCache {
    /// A cache over `store` with these limits.
    pub fn new(store: Store, settings: CacheSettings) -> Self {
        let per_minute =
            NonZeroU32::new(settings.renders_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(settings.render_burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let limiter = RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst));
        let entries = moka::future::Cache::builder()
            .weigher(|key: &String, entry: &Arc<Entry>| {
                u32::try_from(key.len() + entry.body.len() + 256).unwrap_or(u32::MAX)
            })
            .max_capacity(settings.capacity_bytes)
            .build();
        Self(Arc::new(Parts {
            store,
            entries,
            limiter: Arc::new(limiter),
            pages: Arc::new(tokio::sync::Semaphore::new(
                usize::try_from(settings.page_renders.max(1)).unwrap_or(1),
            )),
        }))
    }
}

/// Whether the request pins a vintage that can no longer change.
fn pinned_and_settled(query: &str, now_ms: i64) -> bool {
    param(query, "vintage")
        .and_then(|raw| parse_vintage(Some(&raw), Locale::En).ok().flatten())
        .is_some_and(|v| v.is_settled(now_ms - SETTLE_MS))
}

/// Whether `If-None-Match` names `etag` (weak comparison, lists and `*`).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

fn not_modified(etag: &HeaderValue, cache_control: &'static str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let h = response.headers_mut();
    h.insert(header::ETAG, etag.clone());
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

fn from_entry(entry: &Entry) -> Response {
    let mut response = Response::new(Body::from(entry.body.clone()));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers.clone();
    response
}

fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let body = serde_json::json!({ "error": {
        "code": "rate_limited",
        "message": format!("too many chart renders from this address; try again in {seconds} s (cached charts are not limited)"),
    }});
    let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// Load shedding of page renders: see the module documentation.
pub async fn shed_pages(State(cache): State<HttpCache>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(PAGE_QUEUE_WAIT, cache.0.pages.clone().acquire_owned()).await {
        Ok(Ok(_permit)) => next.run(request).await,
        _ => busy(),
    }
}

/// `503` for a page when every renderer is taken: a short page in both languages.
fn busy() -> Response {
    let body = "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Koers: even druk</title>\
        <p>Koers is op dit moment erg druk. Probeer het over een paar seconden opnieuw.</p>\
        <p lang=\"en\">Koers is very busy right now. Please try again in a few seconds.</p></html>";
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// The middleware: see the module documentation.
pub async fn layer(State(layer): State<CacheLayer>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let cache = &layer.cache;
    let query = request.uri().query().unwrap_or("").to_owned();
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let immutable = pinned_and_settled(&query, store::now_ms());
    let cache_control = if immutable { IMMUTABLE } else { SHORT };
    let version = if immutable {
        String::new()
    } else {
        // Today's date too: a live view says "as known on <today>".
        match cache.0.store.data_version().await {
            Ok(v) => format!("{v}@{}", time::OffsetDateTime::now_utc().date()),
            Err(e) => {
                tracing::warn!(error.message = %e, "reading the data version failed; not caching");
                return next.run(request).await;
            }
        }
    };
    // Only the parts of Accept that change the answer (CSV or JSON) split the cache.
    let wants_csv = accept.contains("text/csv");
    let mut hash = Sha256::new();
    for part in [
        build_id(),
        request.uri().path(),
        &query,
        if wants_csv { "csv" } else { "" },
        &version,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let key = hex::encode(&hash.finalize()[..12]);
    let etag = HeaderValue::from_str(&format!("W/\"{key}\""))
        .unwrap_or(HeaderValue::from_static("W/\"0\""));
    if matches(request.headers(), &format!("\"{key}\"")) {
        return not_modified(&etag, cache_control);
    }
    if let Some(entry) = cache.0.entries.get(&key).await {
        let mut response = from_entry(&entry);
        response
            .headers_mut()
            .insert(CACHE_STATUS, HeaderValue::from_static("hit"));
        return response;
    }
    if layer.cost == Cost::Render {
        let client = crate::client::ClientAddr::of(request.extensions()).0;
        if let Err(not_until) = cache.0.limiter.check_key(&client) {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            return too_many(wait);
        }
    }
    let response = next.run(request).await;
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_ENTRY_BYTES).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error.message = %e, "reading a response to cache failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    parts.headers.insert(header::ETAG, etag);
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    parts.headers.insert(
        header::VARY,
        HeaderValue::from_static("accept, accept-encoding"),
    );
    let entry = Arc::new(Entry {
        status: parts.status,
        headers: parts.headers,
        body,
    });
    cache.0.entries.insert(key, entry.clone()).await;
    let mut response = from_entry(&entry);
    response
        .headers_mut()
        .insert(CACHE_STATUS, HeaderValue::from_static("miss"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_page_that_finds_every_renderer_taken_gets_a_quick_503() {
        use tower::ServiceExt;
        let store = Store::connect("sqlite::memory:", 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let settings = CacheSettings {
            page_renders: 1,
            ..CacheSettings::default()
        };
        let app = axum::Router::new()
            .route(
                "/page",
                axum::routing::get(|| async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    "rendered"
                }),
            )
            .route_layer(axum::middleware::from_fn_with_state(
                HttpCache::new(store, settings),
                shed_pages,
            ));
        let get = || {
            let app = app.clone();
            async move {
                let started = std::time::Instant::now();
                let request = Request::builder()
                    .uri("/page")
                    .body(Body::empty())
                    .unwrap_or_else(|e| panic!("{e}"));
                let response = app.oneshot(request).await.unwrap_or_else(|e| match e {});
                (response, started.elapsed())
            }
        };
        let ((first, _), (second, waited)) = tokio::join!(get(), async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            get().await
        });
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(second.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(second.headers()[header::RETRY_AFTER], "1");
        assert!(
            waited < Duration::from_millis(250),
            "turned away after the queue wait, not after the render: {waited:?}"
        );
        // Once the renderer is free again, pages are served.
        assert_eq!(get().await.0.status(), StatusCode::OK);
    }

    #[test]
    fn if_none_match_compares_weakly_and_reads_lists() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(matches(&h, "\"b\""));
        assert!(matches(&h, "W/\"a\""));
        assert!(!matches(&h, "\"c\""));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&h, "\"c\""));
        assert!(!matches(&HeaderMap::new(), "\"c\""));
    }

    #[test]
    fn only_a_vintage_well_in_the_past_is_immutable() {
        let now = 1_800_000_000_000;
        assert!(pinned_and_settled("vintage=2026-11-20T10:00:00Z", now));
        assert!(pinned_and_settled("from=2015&vintage=2024-01-01", now));
        assert!(!pinned_and_settled("from=2015", now));
        assert!(!pinned_and_settled("vintage=nonsense", now));
        // A moment 30 seconds ago is not settled yet: an ingest could still be committing.
        let recent = time::OffsetDateTime::from_unix_timestamp(now / 1000 - 30)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        assert!(!pinned_and_settled(&format!("vintage={recent}"), now));
    }
}
