//! `GET /api/v1/series/{id}/datapackage.json`: the metadata of a view's figures as a Frictionless
//! Data Package (<https://specs.frictionlessdata.io/data-package/>): what is counted, the unit,
//! source and licence, the vintage, the citation, and the CSV files of the view and of the full
//! series with a described column for every field.

use super::{ApiError, parse_lang};
use crate::routes::api::{as_known_on, param, view_unit};
use crate::startup::AppContext;
use app::ssr::chart::series_chart;
use app::ssr::fragment::{citation, pin_moment};
use app::ssr::views::{self, SeriesQuery, SeriesSelection};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use domain::Locale;
use serde_json::{Value, json};

/// The CSV columns of `/api/v1/series/{id}.csv`: name, Table Schema type, description.
pub const CSV_FIELDS: [(&str, &str, &str); 14] = [
    ("series", "string", "Koers series id"),
    (
        "category",
        "string",
        "Breakdown category key; `total` is the headline figure",
    ),
    (
        "period",
        "string",
        "Period code: 2024, 2024-Q3, 2024-03, 2024-H1, 2024/2025 (school year) or a day",
    ),
    ("period_start", "date", "First day of the period"),
    ("value", "number", "The figure, in `unit`"),
    ("unit", "string", "Unit of `value`"),
    (
        "status",
        "string",
        "final, provisional, revised_provisional, estimated or forecast",
    ),
    (
        "lower",
        "number",
        "Lower bound of the margin, where the publisher gives one",
    ),
    (
        "upper",
        "number",
        "Upper bound of the margin, where the publisher gives one",
    ),
    (
        "first_seen_at",
        "datetime",
        "When Koers first saw this value (its vintage)",
    ),
    (
        "as_known_on",
        "string",
        "The vintage of the whole file: the figures as known on this date or moment",
    ),
    ("source", "string", "Publisher and table"),
    (
        "source_url",
        "string",
        "The publisher's page for the figure",
    ),
    ("note", "string", "Remark by the publisher or by Koers"),
];

fn schema() -> Value {
    let fields: Vec<Value> = CSV_FIELDS
        .iter()
        .map(|(name, kind, description)| {
            json!({ "name": name, "type": kind, "description": description })
        })
        .collect();
    json!({ "fields": fields, "missingValues": [""] })
}

/// The metadata of a view's figures.
///
/// A Frictionless Data Package: title, definition, unit, source with table, licence, vintage,
/// series breaks, the citation to copy, and the CSV files of the view and of the whole series
/// with every column described. Takes the same view parameters as the series.
#[utoipa::path(
    get,
    path = "/api/v1/series/{id}/datapackage.json",
    tag = super::api::TAG,
    params(
        ("id" = String, Path, description = "The series", example = "homeless_people_18_65"),
        ("lang" = Option<String>, Query, description = "Language of the titles, citation and error messages: `nl` or `en` (default `en`).", example = "en"),
        super::ViewParams,
    ),
    responses(
        (status = 200, description = "The data package (datapackage.json)", content_type = "application/json", body = Object),
        (status = 304, description = "Not modified (the `If-None-Match` ETag still holds)"),
        (status = 400, description = "A parameter is not valid", body = super::ErrorBody),
        (status = 404, description = "No such series or category", body = super::ErrorBody),
    )
)]
pub async fn datapackage(
    State(ctx): State<AppContext>,
    Path(raw_id): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let raw_query = raw_query.unwrap_or_default();
    let locale = parse_lang(param(&raw_query, "lang").as_deref(), Locale::En)?;
    let query = SeriesQuery::from_query_string(&raw_query);
    let view = views::series_view(&ctx.store, &raw_id, &query, locale).await?;
    let (meta, selection) = (&view.meta, &view.selection);
    let data = series_chart(&ctx.store, &ctx.public_url, locale, meta, selection).await?;
    let pin = pin_moment(&ctx.store, meta, selection).await?;
    let public = &ctx.public_url;
    let id = meta.id.as_str();
    let dutch = locale.is_dutch();
    let lang = format!("lang={}", locale.code());
    let with = |path: &str, extra: &str| {
        let q = selection.query_string();
        let joined = [q.trim_start_matches('?'), extra]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&");
        if joined.is_empty() {
            format!("{public}{path}")
        } else {
            format!("{public}{path}?{joined}")
        }
    };
    // The full series: every category, status and period, at the same vintage.
    let full = SeriesSelection {
        vintage: selection.vintage,
        ..SeriesSelection::default()
    };
    let full_query = full.query_string();
    let full_csv = format!(
        "{public}/api/v1/series/{id}.csv{}{}all=true",
        full_query,
        if full_query.is_empty() { "?" } else { "&" }
    );
    let table = meta.table_id.clone();
    let source_title = match &table {
        Some(t) => format!(
            "{}, {} {t}",
            meta.producer,
            if dutch { "tabel" } else { "table" }
        ),
        None => meta.producer.clone(),
    };
    let breaks: Vec<Value> = data
        .breaks
        .iter()
        .map(|b| {
            json!({
                "before": b.before.to_string(),
                "after": b.after.to_string(),
                "reason": b.reason(dutch),
                "source_url": b.source_url,
            })
        })
        .collect();
    let caveat = if dutch {
        &meta.caveat_nl
    } else {
        &meta.caveat_en
    };
    Ok(Json(json!({
        "profile": "tabular-data-package",
        "name": format!("koers-{}", id.replace('_', "-")),
        "id": with(&format!("{}/series/{id}", locale.prefix()), ""),
        "title": meta.title(dutch),
        "description": meta.description(dutch),
        "homepage": with(&format!("{}/series/{id}", locale.prefix()), ""),
        "version": as_known_on(selection),
        "created": time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .ok()
            .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok()),
        "licenses": [{ "name": "CC-BY-4.0", "title": meta.licence, "path": meta.licence_url }],
        "sources": [{ "title": source_title, "path": meta.source_url }],
        "contributors": [
            { "title": meta.producer, "role": "publisher", "path": meta.source_url },
            { "title": "Koers", "role": "contributor", "path": public },
        ],
        "citation": citation(locale, public, meta, selection, &data, pin),
        "koers": {
            "series": id,
            "unit": view_unit(&view),
            "measure": meta.measure.as_str(),
            "table_id": table,
            "vintage": selection.vintage.map(|v| v.to_string()),
            "as_known_on": as_known_on(selection),
            "categories": selection.categories.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "per_10000_inhabitants": selection.per_capita,
            "caveat": (!caveat.is_empty()).then_some(caveat),
            "breaks": breaks,
            "chart_notes": data.spec.footer,
            "goal": data.goal.as_ref().map(|g| json!({
                "id": g.goal.id.as_str(),
                "baseline": { "period": g.goal.baseline_period.to_string(), "value": g.goal.baseline_value },
                "target": { "period": g.goal.target_period.to_string(), "value": g.goal.target_value },
                "target_version": g.version.version,
                "target_version_text": views::goal_version_text(&g.version, locale),
            })),
            "figures_in_view": data.shown.len(),
        },
        "resources": [
            {
                "name": "view",
                "title": if dutch { "De cijfers van deze weergave" } else { "The figures of this view" },
                "path": with(&format!("/api/v1/series/{id}.csv"), &lang),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(),
            },
            {
                "name": "full-series",
                "title": if dutch { "De hele reeks: alle categorieën en perioden" } else { "The whole series: every category and period" },
                "path": full_csv,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema(),
            },
            {
                "name": "view-json",
                "path": with(&format!("/api/v1/series/{id}"), &lang),
                "format": "json",
                "mediatype": "application/json",
            },
        ],
    })))
}
