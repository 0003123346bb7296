//! The one HTTP client Koers uses upstream: a timeout, a user agent and gzip, with retries and
//! jittered exponential backoff ([`backon`]) on transient failures only, honouring `Retry-After`.
//!
//! Errors are classified the way uv's `retry.rs` does: connect errors, timeouts, broken bodies,
//! HTTP 5xx, 408 and 429 are [`Retry::Transient`]; everything else (other 4xx, a body that is
//! not JSON) is [`Retry::Fatal`] and returned at once.

use crate::JobsConfig;
use anyhow::Context;
use backon::{ExponentialBuilder, Retryable};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, RETRY_AFTER};
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

/// Whether a failed request may succeed when tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Worth another attempt after a pause (network trouble, overload, server error).
    Transient,
    /// Another attempt would fail the same way (client error, malformed body).
    Fatal,
}

/// A request that failed, with what a person needs to see: the URL, the HTTP status and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The URL requested.
    pub url: String,
    /// HTTP status of the failing response, if one arrived.
    pub status: Option<u16>,
    /// What went wrong.
    pub message: String,
    /// Whether a retry may help.
    pub retry: Retry,
    /// How long the server asked us to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// Attempts made before giving up (set once retrying ends).
    pub attempts: u32,
}

impl FetchError {
    fn new(url: &str, status: Option<u16>, retry: Retry, message: impl Into<String>) -> Self {
        Self {
            url: url.to_owned(),
            status,
            message: message.into(),
            retry,
            retry_after: None,
            attempts: 0,
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GET {}: {}", self.url, self.message)?;
        if self.attempts > 1 {
            write!(f, " (gave up after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

/// A successful response whose body is a complete JSON document.
#[derive(Debug, Clone)]
pub struct JsonResponse {
    /// The URL requested.
    pub url: String,
    /// HTTP status (2xx).
    pub status: u16,
    /// `ETag` header, when sent.
    pub etag: Option<String>,
    /// The raw body (checked to be JSON).
    pub body: Vec<u8>,
}

/// Hears about each request of a run: attempts, statuses and retries.
pub trait RequestObserver: Send + Sync {
    /// An attempt is about to be sent.
    fn attempt_started(&self) {}
    /// A response arrived with this status (success or not).
    fn status_received(&self, _status: u16) {}
    /// An attempt ended without a response (no connection, timeout, refused redirect): the
    /// status of an earlier request no longer describes the failure.
    fn no_response(&self) {}
    /// Attempt `attempt` failed transiently; the next one follows after `delay`.
    fn retrying(&self, _attempt: u32, _delay: Duration, _error: &FetchError) {}
}

/// Observes nothing.
impl RequestObserver for () {}

/// The shared client with its retry policy. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    backoff: ExponentialBuilder,
    max_delay: Duration,
    upstream: &'static str,
}

impl Http {
    /// Builds the client from the ingestion settings.
    pub fn new(config: &JobsConfig) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(&config.user_agent)
            .timeout(config.http_timeout)
            .connect_timeout(config.http_timeout.min(Duration::from_secs(10)))
            .gzip(true)
            .redirect(redirect_policy())
            .build()
            .context("building the HTTP client")?;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(config.retry_base_delay)
            .with_max_delay(config.retry_max_delay)
            .with_max_times(config.http_max_retries as usize)
            .with_jitter();
        Ok(Self {
            client,
            backoff,
            max_delay: config.retry_max_delay,
            upstream: "the upstream",
        })
    }

    /// The same client, naming `upstream` ("CBS", "Eurostat") in the errors it reports.
    pub fn for_upstream(&self, upstream: &'static str) -> Self {
        Self {
            upstream,
            ..self.clone()
        }
    }

    /// GETs `url`, retrying transient failures, and returns a body that is complete JSON.
    pub async fn get_json(
        &self,
        url: &str,
        observer: &dyn RequestObserver,
    ) -> Result<JsonResponse, FetchError> {
        let attempts = AtomicU32::new(0);
        let result = (|| async {
            attempts.fetch_add(1, Ordering::Relaxed);
            observer.attempt_started();
            self.attempt(url, observer).await
        })
        .retry(self.backoff)
        .when(|e: &FetchError| e.retry == Retry::Transient)
        .adjust(|e: &FetchError, backoff: Option<Duration>| {
            // `None` means the retries are used up; the server's wish only shapes the pause.
            backoff.map(|d| e.retry_after.unwrap_or(d).min(self.max_delay))
        })
        .notify(|e: &FetchError, delay: Duration| {
            observer.retrying(attempts.load(Ordering::Relaxed), delay, e);
        })
        .await;
        result.map_err(|mut e| {
            e.attempts = attempts.load(Ordering::Relaxed);
            e
        })
    }

    async fn attempt(
        &self,
        url: &str,
        observer: &dyn RequestObserver,
    ) -> Result<JsonResponse, FetchError> {
        let response = self
            .client
            .get(url)
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| {
                observer.no_response();
                from_reqwest(url, e)
            })?;
        let status = response.status();
        observer.status_received(status.as_u16());
        let headers = response.headers().clone();
        if !status.is_success() {
            let body = response.bytes().await.unwrap_or_default();
            let mut error = FetchError::new(
                url,
                Some(status.as_u16()),
                classify_status(status),
                status_message(status, &headers, &body),
            );
            error.retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            return Err(error);
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| from_reqwest(url, e))?
            .to_vec();
        let content_type = header_text(&headers, CONTENT_TYPE.as_str());
        check_json(&body, content_type.as_deref(), self.upstream)
            .map_err(|m| FetchError::new(url, Some(status.as_u16()), Retry::Fatal, m))?;
        Ok(JsonResponse {
            url: url.to_owned(),
            status: status.as_u16(),
            etag: header_text(&headers, ETAG.as_str()),
            body,
        })
    }
}

/// Redirects followed for one request at most.
pub const MAX_REDIRECTS: usize = 5;

/// Follows a few redirects, and stops at once at a loop (a URL already visited) instead of
/// going round until the limit.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().iter().any(|u| u == attempt.url()) {
            let looped = format!(
                "redirect loop: {} back to {}, already visited",
                attempt.status(),
                attempt.url()
            );
            attempt.error(looped)
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else {
            attempt.follow()
        }
    })
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Transient: 408 Request Timeout, 429 Too Many Requests and every 5xx. Fatal: the rest.
pub fn classify_status(status: StatusCode) -> Retry {
    if status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
    {
        Retry::Transient
    } else {
        Retry::Fatal
    }
}

fn from_reqwest(url: &str, error: reqwest::Error) -> FetchError {
    let retry = if error.is_timeout() || error.is_connect() || error.is_body() || error.is_request()
    {
        Retry::Transient
    } else {
        Retry::Fatal
    };
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_redirect() {
        "the redirect was not followed"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() {
        "the connection broke while reading the response"
    } else {
        "the request failed"
    };
    let mut message = what.to_owned();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    FetchError::new(url, error.status().map(|s| s.as_u16()), retry, message)
}

/// "HTTP 500 Internal Server Error: <the OData error message>" when the body carries one.
fn status_message(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> String {
    let mut message = format!("HTTP {status}");
    let odata_message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            // OData v3 (`odata.error.message.value`) or v4 (`error.message`).
            v.pointer("/odata.error/message/value")
                .or_else(|| v.pointer("/error/message"))
                .and_then(|m| m.as_str())
                .map(str::to_owned)
        });
    let is_html = header_text(headers, CONTENT_TYPE.as_str()).is_some_and(|ct| ct.contains("html"));
    let detail = odata_message.or_else(|| {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        (!is_html && !text.is_empty() && !text.starts_with('<'))
            .then(|| text.chars().take(200).collect())
    });
    if let Some(detail) = detail {
        message.push_str(": ");
        message.push_str(&detail);
    }
    if let Some(ra) = header_text(headers, RETRY_AFTER.as_str()) {
        message.push_str(&format!(" (Retry-After: {ra})"));
    }
    message
}

/// Reads `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past
/// means "now"; anything unreadable is ignored.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Checks that a 2xx body is one complete JSON document; explains what it is otherwise, naming
/// the `upstream` that sent it.
pub fn check_json(body: &[u8], content_type: Option<&str>, upstream: &str) -> Result<(), String> {
    let trimmed = body.trim_ascii_start();
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    // CBS answers an OData request that lost its `$format=json` with an Atom (XML) feed.
    if ct.contains("xml") || trimmed.starts_with(b"<?xml") {
        let shown = if ct.is_empty() {
            "no content type".to_owned()
        } else {
            ct
        };
        return Err(format!(
            "{upstream} answered with XML instead of JSON ({shown}); was $format=json dropped?"
        ));
    }
    if ct.contains("html") || trimmed.starts_with(b"<") {
        let shown = if ct.is_empty() {
            "no content type".to_owned()
        } else {
            ct
        };
        return Err(format!(
            "{upstream} answered with HTML instead of JSON ({shown})"
        ));
    }
    if !ct.is_empty() && !ct.contains("json") {
        return Err(format!(
            "{upstream} answered with content type {ct} instead of JSON"
        ));
    }
    if trimmed.is_empty() {
        return Err("the response body is empty (expected JSON)".to_owned());
    }
    match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
        Ok(_) => Ok(()),
        Err(e) if e.is_eof() => Err(format!(
            "the response ended mid-document (truncated JSON after {} bytes)",
            body.len()
        )),
        Err(e) => Err(format!("the response is not valid JSON: {e}")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;

    #[test]
    fn server_errors_timeouts_and_rate_limits_are_transient() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert_eq!(
                classify_status(StatusCode::from_u16(code).unwrap()),
                Retry::Transient,
                "{code}"
            );
        }
    }

    #[test]
    fn other_client_errors_are_fatal() {
        for code in [400, 401, 403, 404, 410, 422] {
            assert_eq!(
                classify_status(StatusCode::from_u16(code).unwrap()),
                Retry::Fatal,
                "{code}"
            );
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        // Arrange
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        // Act / Assert
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 1 ", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn an_html_page_is_not_json() {
        let err = check_json(
            b"<!DOCTYPE html><html>Onderhoud</html>",
            Some("text/html; charset=utf-8"),
            "CBS",
        )
        .unwrap_err();
        assert!(
            err.contains("CBS answered with HTML instead of JSON"),
            "{err}"
        );
        let err = check_json(b"  <html></html>", None, "Eurostat").unwrap_err();
        assert!(
            err.contains("Eurostat answered with HTML instead of JSON"),
            "{err}"
        );
    }

    #[test]
    fn an_atom_feed_is_reported_as_xml_not_html() {
        let err = check_json(
            br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>"#,
            Some("application/atom+xml;type=feed;charset=utf-8"),
            "CBS",
        )
        .unwrap_err();
        assert!(
            err.contains("CBS answered with XML instead of JSON"),
            "{err}"
        );
        assert!(err.contains("application/atom+xml"), "{err}");
    }

    #[test]
    fn a_cut_off_document_is_reported_as_truncated() {
        let err = check_json(
            br#"{"value": [{"ID": 0, "Peri"#,
            Some("application/json"),
            "CBS",
        )
        .unwrap_err();
        assert!(err.contains("truncated JSON"), "{err}");
    }

    #[test]
    fn a_wrong_content_type_and_garbage_are_refused() {
        assert!(
            check_json(b"{}", Some("text/plain"), "CBS")
                .unwrap_err()
                .contains("text/plain")
        );
        assert!(
            check_json(b"{} trailing", None, "CBS")
                .unwrap_err()
                .contains("not valid JSON")
        );
        assert!(check_json(b"", None, "CBS").unwrap_err().contains("empty"));
    }

    #[test]
    fn odata_json_passes() {
        let ct = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
        assert_eq!(
            check_json(br#"{"odata.metadata":"x","value":[]}"#, Some(ct), "CBS"),
            Ok(())
        );
    }

    #[test]
    fn the_status_message_carries_the_odata_error() {
        let body = br#"{"odata.error":{"code":"","message":{"lang":"en-US","value":"query returns more than 10000 records"}}}"#;
        let msg = status_message(StatusCode::INTERNAL_SERVER_ERROR, &HeaderMap::new(), body);
        assert_eq!(
            msg,
            "HTTP 500 Internal Server Error: query returns more than 10000 records"
        );
    }

    #[test]
    fn the_status_message_carries_an_odata_v4_error_too() {
        let body = br#"{"error":{"code":"404","message":"Resource not found"}}"#;
        let msg = status_message(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
        assert_eq!(msg, "HTTP 404 Not Found: Resource not found");
    }

    #[test]
    fn the_error_text_names_url_and_attempts() {
        let mut e = FetchError::new(
            "http://x/TableInfos",
            Some(500),
            Retry::Transient,
            "HTTP 500",
        );
        e.attempts = 3;
        assert_eq!(
            e.to_string(),
            "GET http://x/TableInfos: HTTP 500 (gave up after 3 attempts)"
        );
    }

    proptest::proptest! {
        #[test]
        fn check_json_never_panics(body in proptest::collection::vec(proptest::num::u8::ANY, 0..256)) {
            let _ = check_json(&body, None, "CBS");
        }

        #[test]
        fn retry_after_never_panics(value in ".{0,40}") {
            let _ = parse_retry_after(&value, SystemTime::now());
        }
    }
}
