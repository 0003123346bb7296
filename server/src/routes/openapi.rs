//! The OpenAPI document of the public API, `GET /api/v1/openapi.json`, generated from the
//! handlers' `#[utoipa::path]` annotations and the response types' `ToSchema`.
//!
//! To publish a new endpoint: annotate its handler with `#[utoipa::path(...)]`, add it to
//! `paths(...)` of [`ApiDoc`], and explain it for people in `ENDPOINTS` of
//! `app/src/pages/api_docs.rs`. The integration tests (`tests/tests/it/openapi.rs`) fail while a
//! route under `/api/v1`, `/charts` or `/embed` is registered without being listed here, while a
//! listed path does not answer with its examples, and while the API page misses a path or one of
//! its parameters.

use super::{ErrorBody, api, api_not_found, charts, embed, export};
use crate::startup::AppContext;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{any, get};
use utoipa::OpenApi;
use utoipa::openapi::server::Server;

/// Where the document is served.
pub const PATH: &str = "/api/v1/openapi.json";

/// The document, without the server URL (see [`document`]).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Koers API",
        version = "1",
        description = "Figures behind the Dutch goals to end homelessness by 2030 and to build \
                       900,000 homes in 2022-2030: series with every published value and its \
                       vintage, the goals with their computed progress, the data sources, and \
                       chart images. Read-only, no key, open to any origin (CORS). URLs under \
                       /api/v1 stay stable: fields may be added, none are removed or renamed. \
                       Errors are JSON: {\"error\": {\"code\", \"message\"}}. The figures are \
                       published by CBS (Statistics Netherlands) and Eurostat under CC BY 4.0: \
                       name the source when you reuse them.",
        license(name = "Data: CC BY 4.0", url = "https://creativecommons.org/licenses/by/4.0/"),
    ),
    paths(
        api::list_series,
        api::get_series,
        api::series_csv,
        api::history,
        api::goals,
        api::sources,
        export::datapackage,
        charts::chart_image,
        embed::embed_series,
        openapi_json,
    ),
    components(schemas(ErrorBody)),
    tags(
        (name = "data", description = "Series, figures, goals and sources as JSON or CSV"),
        (name = "charts", description = "Chart images for articles"),
        (name = "meta", description = "This description of the API"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document with `servers` set to the public base URL.
pub fn document(public_url: &str) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![Server::new(public_url)]);
    doc
}

/// Every documented path, e.g. `/api/v1/series/{id}`.
pub fn documented_paths() -> Vec<String> {
    ApiDoc::openapi().paths.paths.keys().cloned().collect()
}

/// This description of the API.
///
/// The OpenAPI 3.1 document of every endpoint, with parameters, response schemas and examples.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/json",
         body = Object),
    )
)]
pub async fn openapi_json(State(ctx): State<AppContext>) -> Json<utoipa::openapi::OpenApi> {
    Json(document(&ctx.public_url))
}

/// `GET /api/v1/openapi.json`, and a JSON 404 for every other unknown path under `/api/`.
/// Merged into the API router, so it shares its CORS layer and JSON 405.
pub fn routes() -> Router<AppContext> {
    Router::new()
        .route(PATH, get(openapi_json))
        .route("/api/", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
}
