//! Liveness and readiness for load balancers and for humans checking a deployment.
//!
//! - `GET /health`: the process is up and serving (liveness). It answers 200 while the server
//!   shuts down too: a process finishing its requests must not be restarted.
//! - `GET /ready`: the process should be sent traffic (readiness): 200 when the database answers
//!   and every migration is applied, 503 when not, and 503 from the moment a shutdown begins,
//!   so that load balancers stop sending new requests while those in progress finish.

use crate::startup::AppContext;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// `GET /health`: the process is up.
pub async fn health() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /ready`: the database answers, every migration is applied, and the server is not
/// shutting down.
pub async fn ready(State(ctx): State<AppContext>) -> impl IntoResponse {
    let (ok, status) = if ctx.lifecycle.is_shutting_down() {
        (false, "shutting down")
    } else if ctx.store.ping().await.is_err() {
        (false, "database unreachable")
    } else if !ctx.store.migrations_applied().await.unwrap_or(false) {
        (false, "migrations pending")
    } else {
        (true, "ready")
    };
    let code = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(serde_json::json!({ "status": status })))
}
