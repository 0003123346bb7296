//! Liveness and readiness for load balancers and for humans checking a deployment.

use crate::startup::AppContext;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// `GET /health`: the process is up.
pub async fn health() -> impl IntoResponse {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /ready`: the database answers and every migration is applied.
pub async fn ready(State(ctx): State<AppContext>) -> impl IntoResponse {
    let ok =
        ctx.store.ping().await.is_ok() && ctx.store.migrations_applied().await.unwrap_or(false);
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(serde_json::json!({ "status": if ok { "ready" } else { "not ready" } })),
    )
}
