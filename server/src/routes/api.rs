//! The public REST API, `/api/v1`: series, their figures with vintages, revision history,
//! goals with the computed progress, sources. JSON errors, stable URLs, open to any origin.

use super::{ApiError, parse_lang};
use crate::startup::AppContext;
use app::AppError;
use app::ssr::views::{self, SeriesQuery, SeriesSelection};
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::{CategoryKey, Locale, Period};
use serde::{Deserialize, Serialize};
use store::{Category, StoredObservation};
use time::format_description::well_known::Rfc3339;

/// A text in both languages.
#[derive(Debug, Serialize)]
pub struct Texts {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

fn rfc3339(epoch_ms: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(epoch_ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
}

/// One row of `GET /api/v1/series`.
#[derive(Debug, Serialize)]
pub struct SeriesListEntry {
    id: String,
    title: Texts,
    unit: &'static str,
    measure: &'static str,
    producer: String,
    table_id: Option<String>,
    source_url: String,
    licence: String,
    last_updated: Option<String>,
    last_checked: Option<String>,
    observations: i64,
    first_period_start: Option<String>,
    last_period_start: Option<String>,
    links: Links,
}

#[derive(Debug, Serialize)]
struct Links {
    #[serde(rename = "self")]
    this: String,
    csv: String,
    page: String,
    chart_svg: String,
}

fn links(id: &str) -> Links {
    Links {
        this: format!("/api/v1/series/{id}"),
        csv: format!("/api/v1/series/{id}.csv"),
        page: format!("/series/{id}"),
        chart_svg: format!("/charts/{id}.svg"),
    }
}

/// `GET /api/v1/series`.
pub async fn list_series(
    State(ctx): State<AppContext>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list: Vec<SeriesListEntry> = ctx
        .store
        .list_series()
        .await?
        .into_iter()
        .map(|s| SeriesListEntry {
            id: s.meta.id.to_string(),
            title: Texts {
                nl: s.meta.title_nl.clone(),
                en: s.meta.title_en.clone(),
            },
            unit: s.meta.unit.as_str(),
            measure: s.meta.measure.as_str(),
            producer: s.meta.producer.clone(),
            table_id: s.meta.table_id.clone(),
            source_url: s.meta.source_url.clone(),
            licence: s.meta.licence.clone(),
            last_updated: s.last_changed_at.and_then(rfc3339),
            last_checked: s.last_checked_at.and_then(rfc3339),
            observations: s.observation_count,
            first_period_start: s.first_period_start,
            last_period_start: s.last_period_start,
            links: links(s.meta.id.as_str()),
        })
        .collect();
    Ok(Json(serde_json::json!({ "series": list })))
}

/// One figure in the API.
#[derive(Debug, Serialize)]
pub struct ObservationJson {
    period: String,
    period_start: String,
    category: String,
    value: f64,
    status: &'static str,
    /// When Koers first saw this value: its vintage.
    first_seen_at: Option<String>,
    /// When a newer value replaced it (only in revision history).
    #[serde(skip_serializing_if = "Option::is_none")]
    superseded_at: Option<String>,
    source: String,
    source_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl From<&StoredObservation> for ObservationJson {
    fn from(o: &StoredObservation) -> Self {
        Self {
            period: o.observation.period.to_string(),
            period_start: o.observation.period.start().to_string(),
            category: o.observation.category.to_string(),
            value: o.observation.value,
            status: o.observation.status.as_str(),
            first_seen_at: rfc3339(o.first_seen_at),
            superseded_at: o.superseded_at.and_then(rfc3339),
            source: o.source_label.clone(),
            source_url: o.source_url.clone(),
            note: o.note.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
struct CategoryJson {
    key: String,
    title_nl: String,
    title_en: Option<String>,
    group: Option<String>,
}

impl From<&Category> for CategoryJson {
    fn from(c: &Category) -> Self {
        Self {
            key: c.key.to_string(),
            title_nl: c.title_nl.clone(),
            title_en: c.title_en.clone(),
            group: c.group_title_nl.clone(),
        }
    }
}

fn is_true(raw: Option<&str>) -> Result<bool, ApiError> {
    match raw.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(ApiError(AppError::InvalidInput(format!(
            "all={:?} is not true or false",
            other.chars().take(20).collect::<String>()
        )))),
    }
}

/// The first value of a query parameter.
pub fn param(raw_query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(raw_query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A validated series read: the view and the figures it asks for.
struct Requested {
    view: views::SeriesView,
    observations: Vec<StoredObservation>,
}

/// The figures a request asks for: the view's selection, or with `all=true` every category and
/// status (forecasts included) over the whole range, as known at the vintage.
async fn requested(
    ctx: &AppContext,
    raw_id: &str,
    raw_query: &str,
    locale: Locale,
) -> Result<Requested, ApiError> {
    let query = SeriesQuery::from_query_string(raw_query);
    let view = views::series_view(&ctx.store, raw_id, &query, locale).await?;
    let observations = if is_true(param(raw_query, "all").as_deref())? {
        ctx.store
            .observations(&view.meta.id, None, view.selection.as_of())
            .await?
    } else {
        views::selected_observations(&ctx.store, &view.meta.id, &view.selection).await?
    };
    Ok(Requested { view, observations })
}

/// The moment a view's figures are as known on: the vintage, or today.
fn as_known_on(selection: &SeriesSelection) -> String {
    match selection.vintage {
        Some(v) => v.to_string(),
        None => time::OffsetDateTime::now_utc().date().to_string(),
    }
}

/// `GET /api/v1/series/{id}` (JSON) and `GET /api/v1/series/{id}.csv`; parameters `from`, `to`,
/// `category` (repeatable), `vintage`, `all`, `lang`.
pub async fn get_series(
    State(ctx): State<AppContext>,
    Path(raw): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let raw_query = raw_query.unwrap_or_default();
    let locale = parse_lang(param(&raw_query, "lang").as_deref(), Locale::En)?;
    if let Some(id) = raw.strip_suffix(".csv") {
        let r = requested(&ctx, id, &raw_query, locale).await?;
        return csv_response(&r.view, &r.observations);
    }
    let Requested { view, observations } = requested(&ctx, &raw, &raw_query, locale).await?;
    let meta = &view.meta;
    let summary = ctx.store.series_summary(&meta.id).await?;
    let breaks = ctx.store.list_breaks(&meta.id).await?;
    let body = serde_json::json!({
        "id": meta.id,
        "title": Texts { nl: meta.title_nl.clone(), en: meta.title_en.clone() },
        "description": Texts { nl: meta.description_nl.clone(), en: meta.description_en.clone() },
        "caveat": Texts { nl: meta.caveat_nl.clone(), en: meta.caveat_en.clone() },
        "unit": view_unit(&view),
        "measure": meta.measure.as_str(),
        "producer": meta.producer,
        "table_id": meta.table_id,
        "source_url": meta.source_url,
        "licence": meta.licence,
        "licence_url": meta.licence_url,
        "last_updated": summary.last_changed_at.and_then(rfc3339),
        "last_checked": summary.last_checked_at.and_then(rfc3339),
        "vintage": view.selection.vintage.map(|d| d.to_string()),
        "as_known_on": as_known_on(&view.selection),
        "categories": view.categories.iter().map(CategoryJson::from).collect::<Vec<_>>(),
        "breaks": breaks.iter().map(|b| serde_json::json!({
            "before": b.before, "after": b.after,
            "reason": Texts { nl: b.reason_nl.clone(), en: b.reason_en.clone() },
            "source_url": b.source_url,
        })).collect::<Vec<_>>(),
        "observations": observations.iter().map(ObservationJson::from).collect::<Vec<_>>(),
        "links": links(meta.id.as_str()),
    });
    Ok(Json(body).into_response())
}

/// The unit of a view's values: the series' own, or per 10,000 inhabitants.
fn view_unit(view: &views::SeriesView) -> String {
    if view.selection.per_capita {
        format!("{}_per_10000_inhabitants", view.meta.unit.as_str())
    } else {
        view.meta.unit.as_str().to_owned()
    }
}

fn csv_response(
    view: &views::SeriesView,
    observations: &[StoredObservation],
) -> Result<Response, ApiError> {
    let (meta, known_on, vintage) = (
        &view.meta,
        as_known_on(&view.selection),
        view.selection.vintage,
    );
    let unit = view_unit(view);
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!(error.message = %e, "writing CSV failed");
        ApiError(AppError::Internal)
    };
    out.write_record([
        "series",
        "category",
        "period",
        "period_start",
        "value",
        "unit",
        "status",
        "lower",
        "upper",
        "first_seen_at",
        "as_known_on",
        "source",
        "source_url",
        "note",
    ])
    .map_err(|e| internal(&e))?;
    for o in observations {
        let j = ObservationJson::from(o);
        let (lower, upper) = o
            .margin
            .map(|m| (m.lower.to_string(), m.upper.to_string()))
            .unwrap_or_default();
        out.write_record([
            meta.id.as_str(),
            &j.category,
            &j.period,
            &j.period_start,
            &j.value.to_string(),
            &unit,
            j.status,
            &lower,
            &upper,
            j.first_seen_at.as_deref().unwrap_or(""),
            &known_on,
            &j.source,
            &j.source_url,
            j.note.as_deref().unwrap_or(""),
        ])
        .map_err(|e| internal(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| internal(&e))?;
    let per = if view.selection.per_capita {
        "-per-10000"
    } else {
        ""
    };
    let suffix = format!(
        "{per}{}",
        vintage.map(|d| format!("-as-of-{d}")).unwrap_or_default()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}{suffix}.csv\"", meta.id),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Query parameters of a revision-history read.
#[derive(Debug, Default, Deserialize)]
pub struct HistoryParams {
    vintage: Option<String>,
    category: Option<String>,
    period: Option<String>,
    lang: Option<String>,
}

/// `GET /api/v1/series/{id}/history`: every value ever stored, oldest vintage first.
pub async fn history(
    State(ctx): State<AppContext>,
    Path(raw): Path<String>,
    Query(params): Query<HistoryParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let locale = parse_lang(params.lang.as_deref(), Locale::En)?;
    let id = views::parse_series_id(&raw, locale)?;
    views::series_meta(&ctx.store, &id, locale).await?;
    let category = match params.category.as_deref() {
        None => CategoryKey::total(),
        Some(raw) => {
            CategoryKey::parse(raw).map_err(|e| ApiError(AppError::InvalidInput(e.to_string())))?
        }
    };
    let period = params
        .period
        .as_deref()
        .map(Period::parse)
        .transpose()
        .map_err(|e| ApiError(AppError::InvalidInput(e.to_string())))?;
    let vintage = views::parse_vintage(params.vintage.as_deref(), locale)?;
    let as_of = views::as_of(vintage);
    let rows: Vec<StoredObservation> = ctx
        .store
        .observation_history(&id, &category, period)
        .await?
        .into_iter()
        .filter(|o| as_of.is_none_or(|t| o.first_seen_at <= t))
        .map(|mut o| {
            // As known then: a replacement that came later had not happened yet.
            if o.superseded_at.zip(as_of).is_some_and(|(s, t)| s > t) {
                o.superseded_at = None;
            }
            o
        })
        .collect();
    Ok(Json(serde_json::json!({
        "id": id,
        "category": category,
        "vintages": rows.iter().map(ObservationJson::from).collect::<Vec<_>>(),
    })))
}

/// Query parameters of the goals read.
#[derive(Debug, Default, Deserialize)]
pub struct GoalParams {
    /// Language of error messages.
    lang: Option<String>,
    /// Figures as known on this date.
    vintage: Option<String>,
}

/// `GET /api/v1/goals`: every goal with the computed progress and the sentences.
pub async fn goals(
    State(ctx): State<AppContext>,
    Query(params): Query<GoalParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let locale = parse_lang(params.lang.as_deref(), Locale::En)?;
    let vintage = views::parse_vintage(params.vintage.as_deref(), locale)?;
    let mut out = Vec::new();
    for g in views::goal_states(&ctx.store, vintage).await? {
        let sentence = Texts {
            nl: views::goal_text(&g, Locale::Nl),
            en: views::goal_text(&g, Locale::En),
        };
        out.push(serde_json::json!({
            "id": g.goal.id,
            "series": g.goal.series,
            "title": Texts { nl: g.goal.title_nl.clone(), en: g.goal.title_en.clone() },
            "commitment": Texts { nl: g.goal.commitment_nl.clone(), en: g.goal.commitment_en.clone() },
            "source_url": g.goal.source_url,
            "note": g.goal.note,
            "baseline": { "period": g.goal.baseline_period, "value": g.goal.baseline_value },
            "target": { "period": g.goal.target_period, "value": g.goal.target_value },
            "direction": g.goal.direction,
            "cumulative": g.goal.cumulative,
            "pace_window": g.goal.pace_window,
            "status": g.progress.status.as_str(),
            "status_label": Texts {
                nl: i18n::status_label(Locale::Nl, g.progress.status),
                en: i18n::status_label(Locale::En, g.progress.status),
            },
            "progress": g.progress,
            "sentence": sentence,
            "freshness": Texts { nl: g.freshness.describe(Locale::Nl), en: g.freshness.describe(Locale::En) },
        }));
    }
    Ok(Json(serde_json::json!({ "goals": out })))
}

/// `GET /api/v1/sources`: each source with its schedule and recent fetches.
pub async fn sources(State(ctx): State<AppContext>) -> Result<Json<serde_json::Value>, ApiError> {
    let mut out = Vec::new();
    for s in ctx.ingestor.sources() {
        let fetches = ctx.store.recent_fetches(Some(s.id.as_str()), 10).await?;
        out.push(serde_json::json!({
            "id": s.id,
            "name": s.name,
            "table_id": s.table_id,
            "schedule": s.schedule,
            "running": ctx.ingestor.is_running(&s.id),
            "fetches": fetches.iter().map(|f| serde_json::json!({
                "id": f.id,
                "url": f.url,
                "started_at": rfc3339(f.started_at),
                "finished_at": f.finished_at.and_then(rfc3339),
                "http_status": f.http_status,
                "upstream_modified": f.upstream_modified,
                "etag": f.etag,
                "checksum": f.checksum,
                "rows_seen": f.rows_seen,
                "rows_new": f.rows_new,
                "rows_revised": f.rows_revised,
                "rows_unchanged": f.rows_unchanged,
                "attempts": f.attempts,
                "outcome": f.outcome,
                "error": f.error,
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(Json(serde_json::json!({ "sources": out })))
}
