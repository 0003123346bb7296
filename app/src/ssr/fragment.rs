//! The part of the series page that changes with the choices: chart, events and breaks, the
//! figures, the revision history and the downloads. Rendered to an HTML string on the server,
//! both for the first page load and for in-place updates (the explorer island swaps it in),
//! so both paths produce identical markup.

use crate::AppError;
use crate::ssr::chart::{ChartData, is_provisional, series_chart};
use crate::ssr::views::{SeriesSelection, Vintage, category_label, vintage_text};
use domain::{CategoryKey, Locale, Period, SeriesMeta, Unit};
use i18n::{format_date, format_period, format_timestamp, format_value, t, t_args};
use leptos::prelude::*;
use std::collections::BTreeMap;
use store::{Category, Store, StoredObservation};

/// Size of the chart drawn inline on the series page.
pub const INLINE_CHART: charts::Size = charts::Size {
    width: 960,
    height: 540,
};

/// Size of the chart on narrow screens (phones): the same chart laid out for 480 px, so its
/// text stays legible instead of being shrunk to a third.
pub const NARROW_CHART: charts::Size = charts::Size {
    width: 480,
    height: 420,
};

/// A chart drawn twice, wide and narrow, as HTML; the stylesheet shows the one that fits the
/// screen and hides the other with `display: none` (so assistive technology meets one chart).
/// `id` names the `<title>` and `<desc>` ids; by default they come from the title and size.
pub fn responsive_svg(spec: &charts::ChartSpec, id: Option<&str>) -> Result<String, AppError> {
    let render = |size: charts::Size, suffix: &str| match id {
        Some(id) => charts::render_svg_with_id(spec, size, &format!("{id}{suffix}")),
        None => charts::render_svg(spec, size),
    };
    let (wide, narrow) = render(INLINE_CHART, "")
        .and_then(|wide| Ok((wide, render(NARROW_CHART, "-narrow")?)))
        .map_err(|e| {
            tracing::error!(error.message = %e, "chart rendering failed");
            AppError::Internal
        })?;
    Ok(format!(
        "<div class=\"chart-svg chart-wide\">{wide}</div><div class=\"chart-svg chart-narrow\">{narrow}</div>"
    ))
}

/// A figure as a table cell: value plus CBS marks (`*`, `**`), and "revised" when it was.
fn cell(locale: Locale, o: &StoredObservation, percent: bool, revised: bool) -> String {
    let mark = o.observation.status.mark();
    let revised = if revised {
        format!(" ({})", t(locale, "revised-mark"))
    } else {
        String::new()
    };
    format!(
        "{}{mark}{revised}",
        format_value(locale, o.observation.value, percent)
    )
}

/// Renders the chart, lists, tables and download links for a selection.
pub async fn series_view(
    store: &Store,
    public_url: &str,
    locale: Locale,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
) -> Result<String, AppError> {
    let data = series_chart(store, public_url, locale, meta, selection).await?;
    let svg = responsive_svg(&data.spec, None)?;
    let categories = store.list_categories(&meta.id).await?;
    let history = store
        .observation_history(&meta.id, &selection.categories[0], None)
        .await?;
    let notes = store.list_change_notes(&meta.id).await?;
    let pin = pin_moment(store, meta, selection).await?;
    Ok(render(
        locale,
        public_url,
        meta,
        selection,
        &categories,
        &data,
        svg,
        &history,
        &notes,
        pin,
    ))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one render of many prepared parts"
)]
fn render(
    locale: Locale,
    public_url: &str,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
    categories: &[Category],
    data: &ChartData,
    svg: String,
    history: &[StoredObservation],
    notes: &[domain::ChangeNote],
    pin: Vintage,
) -> String {
    let dutch = locale.is_dutch();
    let percent = meta.unit == Unit::Percent || selection.per_capita;
    let vintage_notice = selection.vintage.map(|date| {
        let latest = SeriesSelection {
            vintage: None,
            ..selection.clone()
        };
        let href = latest.page_path(locale, &meta.id);
        view! {
            <p class="notice vintage-notice">
                {t_args(locale, "vintage-notice", &[("date", vintage_text(locale, &date))])} " "
                <a href=href>{t(locale, "vintage-latest-link")}</a>
            </p>
        }
    });
    let events = (!data.events.is_empty()).then(|| {
        view! {
            <h3>{t(locale, "events-heading")}</h3>
            <ol class="events">
                {data
                    .events
                    .iter()
                    .map(|e| view! {
                        <li>
                            <time datetime=e.date.to_string()>{format_date(locale, e.date)}</time>
                            ": " <a href=e.url.clone()>{e.title(dutch).to_owned()}</a>
                        </li>
                    })
                    .collect_view()}
            </ol>
        }
    });
    let breaks = (!data.breaks.is_empty()).then(|| {
        view! {
            <h3>{t(locale, "breaks-heading")}</h3>
            <ul class="breaks">
                {data
                    .breaks
                    .iter()
                    .map(|b| view! {
                        <li>
                            {format!("{} | {}: ", format_period(locale, b.before), format_period(locale, b.after))}
                            <a href=b.source_url.clone()>{b.reason(dutch).to_owned()}</a>
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
    });
    let table = figures_table(locale, meta, selection, categories, data, notes);
    let any_provisional = data
        .shown
        .iter()
        .any(|o| is_provisional(o.observation.status));
    let description = data.spec.alt_description.clone();
    let empty = data.shown.is_empty();
    view! {
        {vintage_notice}
        <figure class="chart">
            <div class="chart-svgs" inner_html=svg></div>
            <figcaption>{description}</figcaption>
        </figure>
        {events}
        {breaks}
        {empty.then(|| {
            let key = if selection.per_capita { "per-capita-unavailable" } else { "no-data" };
            view! { <p class="notice">{t(locale, key)}</p> }
        })}
        {table}
        {any_provisional.then(|| view! { <p class="table-note">{t(locale, "provisional-legend")}</p> })}
        {history_section(locale, meta, selection, categories, history, percent)}
        {share_section(locale, public_url, meta, selection, data, pin)}
    }
    .to_html()
}

/// The figures of a view as a table: one category with status, source and remarks, or several
/// side by side. The chart's data alternative, on the series page and in embeds.
pub(crate) fn figures_table(
    locale: Locale,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
    categories: &[Category],
    data: &ChartData,
    notes: &[domain::ChangeNote],
) -> AnyView {
    let dutch = locale.is_dutch();
    let percent = meta.unit == Unit::Percent || selection.per_capita;
    let category_text = match selection.categories.as_slice() {
        [only] if !only.is_total() => format!(" ({})", category_label(categories, only, locale)),
        _ => String::new(),
    };
    let caption = t_args(
        locale,
        "table-caption",
        &[
            ("title", meta.title(dutch).to_owned()),
            ("category", category_text),
        ],
    );
    if selection.categories.len() == 1 {
        single_table(locale, data, notes, percent, &caption).into_any()
    } else {
        wide_table(
            locale,
            data,
            categories,
            &selection.categories,
            percent,
            &caption,
        )
        .into_any()
    }
}

/// One category: period, value, status, source and the publisher's remark.
fn single_table(
    locale: Locale,
    data: &ChartData,
    notes: &[domain::ChangeNote],
    percent: bool,
    caption: &str,
) -> impl IntoView + use<> {
    let dutch = locale.is_dutch();
    let rows = data
        .shown
        .iter()
        .rev()
        .map(|o| {
            let ob = &o.observation;
            let revised = data.revised.contains(&(ob.category.clone(), ob.period));
            let mut status = t(locale, &format!("obs-{}", ob.status.as_str()));
            if revised {
                status.push_str(&format!(", {}", t(locale, "revised-mark")));
            }
            let note = notes
                .iter()
                .filter(|n| n.period == ob.period)
                .map(|n| if dutch { n.text_nl.clone() } else { n.text_en.clone() })
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <tr>
                    <th scope="row">{format!("{}{}", format_period(locale, ob.period), ob.status.mark())}</th>
                    <td class="num">{format_value(locale, ob.value, percent)}</td>
                    <td>{status}</td>
                    <td><a href=o.source_url.clone()>{o.source_label.clone()}</a></td>
                    <td>{note}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption.to_owned()>
            <table>
                <caption>{caption.to_owned()}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, "table-period")}</th>
                        <th scope="col" class="num">{t(locale, "table-value")}</th>
                        <th scope="col">{t(locale, "table-status")}</th>
                        <th scope="col">{t(locale, "table-source")}</th>
                        <th scope="col">{t(locale, "table-note")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Several categories side by side: one row per period, one column per category.
fn wide_table(
    locale: Locale,
    data: &ChartData,
    categories: &[Category],
    chosen: &[CategoryKey],
    percent: bool,
    caption: &str,
) -> impl IntoView + use<> {
    let mut by_period: BTreeMap<Period, Vec<Option<&StoredObservation>>> = BTreeMap::new();
    for o in &data.shown {
        let column = chosen
            .iter()
            .position(|c| c == &o.observation.category)
            .unwrap_or(0);
        by_period
            .entry(o.observation.period)
            .or_insert_with(|| vec![None; chosen.len()])[column] = Some(o);
    }
    let header = chosen
        .iter()
        .map(|c| view! { <th scope="col" class="num">{category_label(categories, c, locale)}</th> })
        .collect_view();
    let rows = by_period
        .iter()
        .rev()
        .map(|(period, cells)| {
            let cells = cells
                .iter()
                .map(|o| {
                    let text = o
                        .map(|o| {
                            cell(
                                locale,
                                o,
                                percent,
                                data.revised
                                    .contains(&(o.observation.category.clone(), *period)),
                            )
                        })
                        .unwrap_or_else(|| "–".to_owned());
                    view! { <td class="num">{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{format_period(locale, *period)}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=caption.to_owned()>
            <table>
                <caption>{caption.to_owned()}</caption>
                <thead><tr><th scope="col">{t(locale, "table-period")}</th>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Every value ever stored for the periods in range, oldest vintage first per period.
fn history_section(
    locale: Locale,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
    categories: &[Category],
    history: &[StoredObservation],
    percent: bool,
) -> impl IntoView + use<> {
    let as_of = selection.as_of();
    let known: Vec<&StoredObservation> = history
        .iter()
        .filter(|o| {
            selection.contains(o.observation.period) && as_of.is_none_or(|t| o.first_seen_at <= t)
        })
        .collect();
    let mut count: BTreeMap<Period, usize> = BTreeMap::new();
    for o in &known {
        *count.entry(o.observation.period).or_default() += 1;
    }
    let any_revision = count.values().any(|n| *n > 1);
    let category = category_label(categories, &selection.categories[0], locale);
    let caption = format!(
        "{}: {} ({category})",
        t(locale, "history-heading"),
        meta.title(locale.is_dutch())
    );
    let rows = known
        .iter()
        .rev()
        .map(|o| {
            let replaced = match o.superseded_at {
                Some(at) if as_of.is_none_or(|t| at <= t) => format_timestamp(locale, at),
                _ => t(locale, "history-current"),
            };
            let revised = count.get(&o.observation.period).is_some_and(|n| *n > 1);
            view! {
                <tr class:revised=revised>
                    <th scope="row">{format_period(locale, o.observation.period)}</th>
                    <td class="num">{format!("{}{}", format_value(locale, o.observation.value, percent), o.observation.status.mark())}</td>
                    <td>{format_timestamp(locale, o.first_seen_at)}</td>
                    <td>{replaced}</td>
                    <td><a href=o.source_url.clone()>{o.source_label.clone()}</a></td>
                </tr>
            }
        })
        .collect_view();
    let (summary, label) = (caption.clone(), caption.clone());
    view! {
        <section class="history" aria-labelledby="history-heading">
            <h2 id="history-heading">{t(locale, "history-heading")}</h2>
            <p>{t(locale, "history-intro")}</p>
            {(!any_revision).then(|| view! { <p class="table-note">{t(locale, "history-none")}</p> })}
            <details open=any_revision>
                <summary>{summary}</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-label=label>
                    <table>
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t(locale, "table-period")}</th>
                                <th scope="col" class="num">{t(locale, "table-value")}</th>
                                <th scope="col">{t(locale, "history-first-seen")}</th>
                                <th scope="col">{t(locale, "history-superseded")}</th>
                                <th scope="col">{t(locale, "table-source")}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </section>
    }
}

/// Image sizes offered for download: (label key, width, height, PNG scale).
const IMAGE_SIZES: [(&str, u32, u32, u32); 4] = [
    ("share-size-article", 1200, 675, 1),
    ("share-size-square", 1080, 1080, 1),
    ("share-size-small", 800, 600, 1),
    ("share-size-print", 1200, 675, 2),
];

/// Appends parameters to a path that may already have a query.
fn with_params(path: &str, params: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{params}")
}

/// The moment a view is pinned to when it is shared: its own vintage, or the moment its newest
/// figure was first seen or its goal last changed (rounded up to the second). The pinned view
/// then shows exactly what the live one shows now (figures and target version), and the same
/// view rendered twice pins the same moment.
pub async fn pin_moment(
    store: &Store,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
) -> Result<Vintage, AppError> {
    if let Some(vintage) = selection.vintage {
        return Ok(vintage);
    }
    let mut latest = store
        .last_first_seen(&meta.id)
        .await?
        .max(store.last_goal_change(&meta.id).await?);
    if selection.per_capita
        && let Ok(population) = domain::SeriesId::parse("population_nl")
    {
        latest = latest.max(store.last_first_seen(&population).await?);
    }
    let ms = latest.unwrap_or_else(store::now_ms);
    let seconds = ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) > 0);
    Ok(time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(Vintage::at)
        .unwrap_or_else(|_| Vintage::at(time::OffsetDateTime::now_utc())))
}

/// The citation of a view, pointing at a permalink pinned to `pin` (see [`pin_moment`]) so the
/// cited figures never change.
pub fn citation(
    locale: Locale,
    public_url: &str,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
    data: &ChartData,
    pin: Vintage,
) -> String {
    let now = time::OffsetDateTime::now_utc();
    let pinned = SeriesSelection {
        vintage: Some(pin),
        ..selection.clone()
    };
    let year = data
        .shown
        .iter()
        .map(|o| o.first_seen_at)
        .max()
        .and_then(|ms| {
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
        })
        .map_or(now.year(), |t| t.year());
    let table = meta
        .table_id
        .as_ref()
        .map(|tb| t_args(locale, "citation-table", &[("table", tb.clone())]))
        .unwrap_or_default();
    t_args(
        locale,
        "citation",
        &[
            ("producer", meta.producer.clone()),
            ("year", year.to_string()),
            ("title", meta.title(locale.is_dutch()).to_owned()),
            ("table", table),
            (
                "url",
                format!("{public_url}{}", pinned.page_path(locale, &meta.id)),
            ),
            ("date", format_date(locale, now.date())),
        ],
    )
}

/// Escapes text for HTML: element content or a quoted attribute value.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The iframe code of an embed (with the small script that resizes it to its content).
fn embed_code(public_url: &str, path: &str, title: &str) -> String {
    let title = escape_html(title);
    let path = path.replace('&', "&amp;");
    format!(
        "<iframe src=\"{public_url}{path}\" title=\"{title}\" style=\"width:100%;height:560px;border:0\" \
         loading=\"lazy\" data-koers-embed></iframe>\n<script src=\"{public_url}/embed.js\" async></script>"
    )
}

/// Download panel: images at article, square, small and print sizes, the figures and their
/// metadata, embed codes (live and pinned) and a citation. Plain links and text: no script.
fn share_section(
    locale: Locale,
    public_url: &str,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
    data: &ChartData,
    pin: Vintage,
) -> impl IntoView + use<> {
    let id = meta.id.to_string();
    let query = selection.query_string();
    let chart = |format: &str, lang: &str, w: u32, h: u32, scale: u32| {
        let scale = if scale > 1 {
            format!("&scale={scale}")
        } else {
            String::new()
        };
        with_params(
            &format!("/charts/{id}.{format}{query}"),
            &format!("lang={lang}&width={w}&height={h}{scale}"),
        )
    };
    let lang = locale.code();
    let rows = IMAGE_SIZES
        .iter()
        .map(|(key, w, h, scale)| {
            let size = format!("{} × {}", w * scale, h * scale);
            let svg = (*scale == 1).then(|| {
                let href = chart("svg", lang, *w, *h, 1);
                view! { <a href=href download="">"SVG"<span class="visually-hidden">{format!(", {size}")}</span></a> }
            });
            let png = chart("png", lang, *w, *h, *scale);
            view! {
                <tr>
                    <th scope="row">{format!("{} ({size})", t(locale, key))}</th>
                    <td>{svg}</td>
                    <td><a href=png download="">"PNG"<span class="visually-hidden">{format!(", {size}")}</span></a></td>
                </tr>
            }
        })
        .collect_view();
    let other = locale.other();
    let other_link = chart("png", other.code(), 1200, 675, 1);
    let live = SeriesSelection {
        vintage: None,
        ..selection.clone()
    };
    let pinned = SeriesSelection {
        vintage: Some(pin),
        ..selection.clone()
    };
    let embed_path = |s: &SeriesSelection| {
        with_params(
            &format!("/embed/series/{id}{}", s.query_string()),
            &format!("lang={lang}"),
        )
    };
    let title = meta.title(locale.is_dutch()).to_owned();
    let live_code = embed_code(public_url, &embed_path(&live), &title);
    let pinned_code = embed_code(public_url, &embed_path(&pinned), &title);
    let pinned_when = vintage_text(locale, &pin);
    let cite = citation(locale, public_url, meta, selection, data, pin);
    view! {
        <section class="share" aria-labelledby="downloads">
            <h2 id="downloads">{t(locale, "share-heading")}</h2>
            <h3>{t(locale, "share-images")}</h3>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t(locale, "share-images")>
                <table class="downloads-table">
                    <caption class="visually-hidden">{t(locale, "share-images")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(locale, "share-format")}</th>
                            <th scope="col">"SVG"</th>
                            <th scope="col">"PNG"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <p><a href=other_link hreflang=other.code() download="">{t(locale, "share-other-language")}</a></p>
            <h3>{t(locale, "share-data")}</h3>
            <ul class="downloads">
                <li><a href=format!("/api/v1/series/{id}.csv{query}") download="">{t(locale, "download-csv")}</a></li>
                <li><a href=format!("/api/v1/series/{id}.csv?all=true") download="">{t(locale, "download-csv-all")}</a></li>
                <li><a href=format!("/api/v1/series/{id}{query}")>{t(locale, "download-json")}</a></li>
                <li><a href=format!("/api/v1/series/{id}/datapackage.json{query}")>{t(locale, "download-metadata")}</a></li>
            </ul>
            <h3>{t(locale, "share-embed")}</h3>
            <p>{t(locale, "share-embed-live")}</p>
            <label for="embed-live">{t(locale, "share-embed-live-label")}</label>
            <textarea id="embed-live" class="code" readonly rows="3" inner_html=escape_html(&live_code)></textarea>
            <p>{t_args(locale, "share-embed-pinned", &[("date", pinned_when)])}</p>
            <label for="embed-pinned">{t(locale, "share-embed-pinned-label")}</label>
            <textarea id="embed-pinned" class="code" readonly rows="3" inner_html=escape_html(&pinned_code)></textarea>
            <h3>{t(locale, "share-cite")}</h3>
            <p class="citation" id="citation">{cite}</p>
        </section>
    }
}
