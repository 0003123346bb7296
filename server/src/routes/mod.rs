//! HTTP routes besides the Leptos pages: the public API, chart images, health.

pub mod api;
pub mod charts;
pub mod embed;
pub mod export;
pub mod health;
pub mod openapi;
pub mod server_fns;

use app::AppError;
use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Locale;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An API error: JSON `{"error": {"code", "message"}}` with the matching status.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<store::StoreError> for ApiError {
    fn from(e: store::StoreError) -> Self {
        Self(e.into())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self(AppError::InvalidInput(rejection.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self(AppError::InvalidInput(rejection.body_text()))
    }
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "not_found", "message": "There is no series called homeless."}}))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `not_found` (404), `invalid_input` (400),
    /// `method_not_allowed` (405), `rate_limited` (429), `unavailable` (503) or `internal`
    /// (500).
    #[schema(example = "not_found")]
    pub code: &'static str,
    /// A sentence that says what to change.
    pub message: String,
}

/// A JSON error response.
pub fn error_response(status: StatusCode, code: &'static str, message: String) -> Response {
    let body = ErrorBody {
        error: ErrorDetail { code, message },
    };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        error_response(status, self.0.code(), self.0.to_string())
    }
}

/// The query string of an API request, read with serde; a bad one is a JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// The path parameters of an API request; a bad one is a JSON 400.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// An unknown path under `/api/`: a JSON 404, not the HTML page.
pub async fn api_not_found(uri: axum::http::Uri) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no API endpoint at {}; the list is at /api/v1/openapi.json",
            uri.path().chars().take(200).collect::<String>()
        ),
    )
}

/// A known API path asked with a method it does not answer: a JSON 405 (axum adds `Allow`).
pub async fn api_method_not_allowed(method: axum::http::Method) -> Response {
    error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed here; the API only answers GET"),
    )
}

/// The `lang` query parameter: messages and texts in that language (API default: English).
#[derive(Debug, Default, Deserialize)]
pub struct LangParam {
    /// `nl` or `en`.
    pub lang: Option<String>,
}

/// Reads `lang`, refusing unknown codes with a clear message.
pub fn parse_lang(raw: Option<&str>, default: Locale) -> Result<Locale, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(code) => Locale::parse(code).ok_or_else(|| {
            ApiError(AppError::InvalidInput(format!(
                "unknown language {:?}; use nl or en",
                code.chars().take(20).collect::<String>()
            )))
        }),
    }
}

/// The query parameters that choose a view of a series: the same on the series JSON and CSV,
/// chart images, embeds and data packages (read from the raw query string by
/// `SeriesQuery`, so `category` can repeat; this type only documents them).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // never built: it documents what `SeriesQuery` reads
pub struct ViewParams {
    /// First year to include.
    #[param(example = "2015")]
    from: Option<String>,
    /// Last year to include.
    #[param(example = "2024")]
    to: Option<String>,
    /// A breakdown category (repeat for more, at most 8); default `total`. The keys are in
    /// `categories` of the series.
    #[param(style = Form, explode, example = json!(["total"]))]
    category: Option<Vec<String>>,
    /// The figures as known at a date (`YYYY-MM-DD`, end of that day) or a moment (RFC 3339,
    /// `2026-11-24T21:05:00Z`): later figures and revisions are left out. A view pinned to a
    /// past moment never changes, and is cached as immutable.
    #[param(example = "2025-06-30")]
    vintage: Option<String>,
    /// Only periods of this length: `year`, `half_year`, `quarter`, `month`, `school_year`, `day`.
    #[param(example = "year")]
    grain: Option<String>,
    /// `10000`: values per 10,000 inhabitants (series of people only).
    #[param(example = "10000")]
    per: Option<String>,
}
