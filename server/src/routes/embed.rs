//! `GET /embed/series/{id}`: a series view in a minimal frame for iframes on other sites
//! (`app::ssr::embed`). Takes the series page's parameters and `lang`; cached and rate-limited
//! like chart images by the `cache` layer around it.

use super::parse_lang;
use crate::routes::api::param;
use crate::startup::AppContext;
use app::ssr::embed::embed_page;
use app::ssr::fragment::escape_html;
use app::ssr::views::SeriesQuery;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::Locale;

/// A chart to embed in an article.
///
/// A minimal HTML page for an `<iframe>`: title, chart, the figures as a table, source and
/// licence, and a link back. With `/embed.js` on the host page the frame takes the height of its
/// content. Without `vintage` it is live (follows new figures); with `vintage` set to a moment
/// it is pinned: it never changes, and says when newer figures exist. Errors are short HTML
/// pages, readable inside the article.
#[utoipa::path(
    get,
    path = "/embed/series/{id}",
    tag = "charts",
    params(
        ("id" = String, Path, description = "The series", example = "homeless_people_18_65"),
        ("lang" = Option<String>, Query, description = "Language of the page: `nl` (default) or `en`.", example = "en"),
        super::ViewParams,
    ),
    responses(
        (status = 200, description = "The embed page", content_type = "text/html", body = String),
        (status = 304, description = "Not modified (the `If-None-Match` ETag still holds)"),
        (status = 400, description = "A parameter is not valid (an HTML page saying which)", content_type = "text/html", body = String),
        (status = 404, description = "No such series or category (an HTML page)", content_type = "text/html", body = String),
        (status = 429, description = "Too many renders from this address; see `Retry-After`", body = super::ErrorBody),
    )
)]
pub async fn embed_series(
    State(ctx): State<AppContext>,
    Path(id): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Response {
    let raw_query = raw_query.unwrap_or_default();
    let (locale, result) = match parse_lang(param(&raw_query, "lang").as_deref(), Locale::Nl) {
        Ok(locale) => {
            let query = SeriesQuery::from_query_string(&raw_query);
            let page = embed_page(&ctx.store, &ctx.public_url, locale, &id, &query).await;
            (locale, page)
        }
        Err(e) => (Locale::Nl, Err(e.0)),
    };
    match result {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            // A plain page, readable inside someone else's article, not a JSON blob.
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let text = escape_html(&e.to_string());
            (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                format!(
                    "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Koers</title>\
                     <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/embed.css\"></head><body><main class=\"embed\">\
                     <p>{text}</p></main></body></html>",
                    locale.code()
                ),
            )
                .into_response()
        }
    }
}
