//! `/embed/series/{id}`: a series view as a minimal page for an iframe in someone else's
//! article: title, chart, the figures as a table, source and licence, and a link back. No
//! navigation, no hydration bundle; one small script reports the height to the host page so the
//! iframe fits its content (`/embed.js` on the host listens).
//!
//! A **live** embed (no `vintage`) follows new figures. A **pinned** embed (`vintage=` a moment)
//! shows the figures as known then, so it never changes under a published article; it says so,
//! and says when newer figures exist.

use crate::AppError;
use crate::ssr::chart::series_chart;
use crate::ssr::fragment::{escape_html, figures_table, responsive_svg};
use crate::ssr::views::{self, SeriesQuery, SeriesSelection, vintage_text};
use domain::{Locale, SeriesId};
use i18n::{t, t_args};
use leptos::prelude::*;
use store::Store;

/// The series the per-10,000 view divides by: newer population figures also make a pinned
/// per-capita view out of date.
const POPULATION: &str = "population_nl";

/// Whether figures newer than the pinned vintage exist for the view.
async fn has_newer(
    store: &Store,
    series: &SeriesId,
    selection: &SeriesSelection,
) -> Result<bool, AppError> {
    let Some(as_of) = selection.as_of() else {
        return Ok(false);
    };
    let mut ids = vec![series.clone()];
    if selection.per_capita
        && let Ok(population) = SeriesId::parse(POPULATION)
    {
        ids.push(population);
    }
    for id in &ids {
        if store
            .last_first_seen(id)
            .await?
            .is_some_and(|at| at > as_of)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The embed page of a series view, as a complete HTML document.
pub async fn embed_page(
    store: &Store,
    public_url: &str,
    locale: Locale,
    raw_id: &str,
    query: &SeriesQuery,
) -> Result<String, AppError> {
    let view = views::series_view(store, raw_id, query, locale).await?;
    let (meta, selection) = (&view.meta, &view.selection);
    let data = series_chart(store, public_url, locale, meta, selection).await?;
    let svg = responsive_svg(&data.spec, None)?;
    let notes = store.list_change_notes(&meta.id).await?;
    let table = figures_table(locale, meta, selection, &view.categories, &data, &notes);
    let permalink = format!("{public_url}{}", selection.page_path(locale, &meta.id));
    let latest = SeriesSelection {
        vintage: None,
        ..selection.clone()
    };
    let latest_link = format!("{public_url}{}", latest.page_path(locale, &meta.id));
    let newer = has_newer(store, &meta.id, selection).await?;
    let pinned = selection.vintage.map(|v| {
        view! {
            <p class="embed-pinned">
                {t_args(locale, "embed-pinned", &[("date", vintage_text(locale, &v))])}
                {newer.then(|| view! {
                    " " <strong>{t(locale, "embed-newer")}</strong> " "
                    <a href=latest_link.clone() target="_top">{t(locale, "embed-newer-link")}</a>
                })}
            </p>
        }
    });
    let title = meta.title(locale.is_dutch()).to_owned();
    let subtitle = data.spec.subtitle.clone();
    let description = data.spec.alt_description.clone();
    let source = data
        .spec
        .footer
        .iter()
        .take(2)
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
    let body = view! {
        <main class="embed">
            // The chart draws its own title and unit; the heading names the page for screen
            // readers and the browser's outline without repeating them on screen.
            <h1 class="visually-hidden">{format!("{title}: {subtitle}")}</h1>
            <figure class="chart">
                <div class="chart-svgs" inner_html=svg></div>
                <figcaption class="visually-hidden">{description}</figcaption>
            </figure>
            {pinned}
            <details>
                <summary>{t(locale, "embed-table")}</summary>
                {table}
            </details>
            <p class="embed-source">
                {source} " · "
                <a href=permalink.clone() target="_top">{t(locale, "embed-view-on-koers")}</a>
            </p>
        </main>
    }
    .to_html();
    let lang = locale.code();
    let title = escape_html(&format!("{title} – Koers"));
    let canonical = escape_html(&permalink);
    Ok(format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>{title}</title><link rel=\"canonical\" href=\"{canonical}\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <link rel=\"stylesheet\" href=\"/embed.css\"></head>\
         <body>{body}<script src=\"/embed-frame.js\" defer></script></body></html>"
    ))
}
