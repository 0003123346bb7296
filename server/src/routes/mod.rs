//! HTTP routes besides the Leptos pages: the public API, chart images, health.

pub mod api;
pub mod charts;
pub mod health;

use app::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Locale;
use serde::Deserialize;

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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "error": { "code": self.0.code(), "message": self.0.to_string() } });
        (status, Json(body)).into_response()
    }
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
