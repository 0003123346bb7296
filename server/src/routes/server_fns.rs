//! The HTTP status of server-function errors. `server_fn` answers every error with 500 and the
//! error in the body; a malformed or missing argument is then reported as a server failure
//! (and counted and alerted on as one). This layer reads the [`AppError`] back from the body
//! and gives the answer the status that fits it: 400 for bad input, 404, 503, or 500.

use app::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// The header `server_fn` puts on its error answers (`server_fn::error::SERVER_FN_ERROR_HEADER`).
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// The largest error body read back; larger ones keep their 500.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Rewrites the 500 of a server-function error to the status of the error it carries.
pub async fn error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Some(status) = serde_json::from_slice::<AppError>(&bytes)
        .ok()
        .and_then(|e| StatusCode::from_u16(e.status()).ok())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}
