//! Server-only code: reading the store and turning it into page data, chart specs and HTML
//! fragments. Pages, server functions and the REST API all go through here.

pub mod chart;
pub mod embed;
pub mod fragment;
pub mod topics;
pub mod views;

use crate::AppError;
use leptos::prelude::use_context;
use store::Store;

/// What server functions and pages need from the running server.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// Public base URL, without trailing slash (for permalinks drawn into charts).
    pub public_url: String,
}

/// The state provided by the server to every page render and server function.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// Sets the HTTP status of the page being rendered (404 for an unknown series, ...).
pub fn set_status(code: u16) {
    if let (Some(options), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
}
