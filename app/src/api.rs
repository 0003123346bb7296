//! Server functions: thin wrappers that read the language, validate input and call
//! [`crate::ssr::views`]. Pages call them during server rendering; the explorer island calls
//! `get_series_view` from the browser to update the chart in place.

use crate::AppError;
use crate::model::{Overview, SeriesListItem, SeriesPage};
pub use crate::query::SeriesQuery;
#[cfg(feature = "ssr")]
use domain::Locale;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn locale(lang: &str) -> Locale {
    Locale::parse(lang).unwrap_or_default()
}

/// The overview page data, as known at `vintage` (`2025-06-30`) when given.
#[server(prefix = "/api/fn", endpoint = "overview", input = server_fn::codec::GetUrl)]
pub async fn get_overview(lang: String, vintage: Option<String>) -> Result<Overview, AppError> {
    let state = crate::ssr::state()?;
    crate::ssr::views::overview(&state.store, locale(&lang), vintage.as_deref()).await
}

/// The list of series.
#[server(prefix = "/api/fn", endpoint = "series-list", input = server_fn::codec::GetUrl)]
pub async fn get_series_list(
    lang: String,
    vintage: Option<String>,
) -> Result<Vec<SeriesListItem>, AppError> {
    let state = crate::ssr::state()?;
    let vintage = crate::ssr::views::parse_vintage(vintage.as_deref(), locale(&lang))?;
    crate::ssr::views::series_list(&state.store, locale(&lang), vintage).await
}

/// The series page data.
#[server(prefix = "/api/fn", endpoint = "series-page", input = server_fn::codec::GetUrl)]
pub async fn get_series_page(
    lang: String,
    id: String,
    query: SeriesQuery,
) -> Result<SeriesPage, AppError> {
    let state = crate::ssr::state()?;
    crate::ssr::views::series_page(&state.store, &state.public_url, locale(&lang), &id, &query)
        .await
}

/// The chart, table and downloads of a series for a choice of range and breakdown, as HTML.
#[server(prefix = "/api/fn", endpoint = "series-view", input = server_fn::codec::GetUrl)]
pub async fn get_series_view(
    lang: String,
    id: String,
    query: SeriesQuery,
) -> Result<String, AppError> {
    let state = crate::ssr::state()?;
    let locale = locale(&lang);
    let view = crate::ssr::views::series_view(&state.store, &id, &query, locale).await?;
    crate::ssr::fragment::series_view(
        &state.store,
        &state.public_url,
        locale,
        &view.meta,
        &view.selection,
    )
    .await
}

/// A topic page: `housing`, `groups` or `countries`.
#[server(prefix = "/api/fn", endpoint = "topic", input = server_fn::codec::GetUrl)]
pub async fn get_topic(
    lang: String,
    topic: String,
    vintage: Option<String>,
) -> Result<crate::model::TopicPage, AppError> {
    use crate::ssr::topics;
    let state = crate::ssr::state()?;
    let locale = locale(&lang);
    let vintage = crate::ssr::views::parse_vintage(vintage.as_deref(), locale)?;
    match topic.as_str() {
        "housing" => topics::housing(&state.store, &state.public_url, locale, vintage).await,
        "groups" => {
            let today = time::OffsetDateTime::now_utc().date();
            topics::groups(&state.store, &state.public_url, locale, today, vintage).await
        }
        "countries" => topics::countries(&state.store, locale, vintage).await,
        other => Err(AppError::NotFound(format!("no topic {other:?}"))),
    }
}
