//! The public REST API, `/api/v1`: series, their figures with vintages, revision history,
//! goals with the computed progress, sources. JSON errors, stable URLs, open to any origin.

use super::{ApiError, ApiPath, ApiQuery, ErrorBody, ViewParams, parse_lang};
use crate::startup::AppContext;
use app::AppError;
use app::ssr::views::{self, SeriesQuery, SeriesSelection};
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::{CategoryKey, Direction, Locale, ObservationStatus, Period, Progress};
use serde::{Deserialize, Serialize};
use store::{Category, StoredObservation};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

/// The OpenAPI tag of the data endpoints.
pub const TAG: &str = "data";

/// A text in both languages.
#[derive(Debug, Serialize, ToSchema)]
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

/// The answer of `GET /api/v1/series`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesList {
    /// Every series, ordered as on the site.
    series: Vec<SeriesListEntry>,
}

/// One row of `GET /api/v1/series`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesListEntry {
    /// Stable identifier, used in every URL.
    #[schema(example = "homeless_people_18_65")]
    id: String,
    /// Name.
    title: Texts,
    /// What one unit of a value is.
    #[schema(value_type = domain::Unit)]
    unit: &'static str,
    /// How a figure relates to its period.
    #[schema(value_type = domain::Measure)]
    measure: &'static str,
    /// Who publishes the figures.
    #[schema(example = "CBS")]
    producer: String,
    /// The publisher's table.
    #[schema(example = "80799ned")]
    table_id: Option<String>,
    /// Where the figures are published.
    source_url: String,
    /// Licence of the figures.
    #[schema(example = "CC BY 4.0")]
    licence: String,
    /// When a figure last changed (RFC 3339).
    last_updated: Option<String>,
    /// When the source was last checked (RFC 3339).
    last_checked: Option<String>,
    /// How many figures are stored (all categories and vintages).
    observations: i64,
    /// Start date of the first period.
    first_period_start: Option<String>,
    /// Start date of the last period.
    last_period_start: Option<String>,
    /// Related URLs, relative to the site.
    links: Links,
}

/// Related URLs, relative to the site.
#[derive(Debug, Serialize, ToSchema)]
struct Links {
    /// This series in the API.
    #[serde(rename = "self")]
    #[schema(example = "/api/v1/series/homeless_people_18_65")]
    this: String,
    /// Its figures as CSV.
    #[schema(example = "/api/v1/series/homeless_people_18_65.csv")]
    csv: String,
    /// Its page on the site.
    #[schema(example = "/series/homeless_people_18_65")]
    page: String,
    /// Its chart as an SVG image.
    #[schema(example = "/charts/homeless_people_18_65.svg")]
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

/// Every series.
///
/// Each series with its name, unit, publisher, licence, how many figures Koers holds and when
/// they last changed, and links to its figures, CSV, page and chart.
#[utoipa::path(
    get,
    path = "/api/v1/series",
    tag = TAG,
    responses(
        (status = 200, description = "Every series", body = SeriesList),
        (status = 500, description = "Server error", body = ErrorBody),
    )
)]
pub async fn list_series(State(ctx): State<AppContext>) -> Result<Json<SeriesList>, ApiError> {
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
    Ok(Json(SeriesList { series: list }))
}

/// One figure in the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObservationJson {
    /// The period the figure is about.
    #[schema(value_type = Period, example = "2024")]
    period: String,
    /// First day of the period.
    #[schema(example = "2024-01-01")]
    period_start: String,
    /// The breakdown category (`total` for the headline figure).
    #[schema(example = "total")]
    category: String,
    /// The figure, in the series' unit.
    #[schema(example = 30600.0)]
    value: f64,
    /// How final the figure is.
    #[schema(value_type = ObservationStatus)]
    status: &'static str,
    /// When Koers first saw this value: its vintage (RFC 3339).
    first_seen_at: Option<String>,
    /// When a newer value replaced it (only in revision history).
    #[serde(skip_serializing_if = "Option::is_none")]
    superseded_at: Option<String>,
    /// Where the value came from.
    source: String,
    /// The publisher's page for it.
    source_url: String,
    /// A remark by the publisher or by Koers.
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

/// A breakdown category of a series.
#[derive(Debug, Serialize, ToSchema)]
struct CategoryJson {
    /// Its key, for `category=`.
    #[schema(example = "total")]
    key: String,
    /// Name in Dutch.
    title_nl: String,
    /// Name in English, where there is one.
    title_en: Option<String>,
    /// The group it belongs to (Dutch).
    group: Option<String>,
}

/// A break in a series: figures on either side are not comparable.
#[derive(Debug, Serialize, ToSchema)]
struct BreakJson {
    /// Last period before the break.
    before: Period,
    /// First period after the break.
    after: Period,
    /// Why.
    reason: Texts,
    /// Where the publisher explains it.
    source_url: String,
}

/// The answer of `GET /api/v1/series/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesDetail {
    /// Stable identifier.
    #[schema(example = "homeless_people_18_65")]
    id: String,
    /// Name.
    title: Texts,
    /// What is counted, and how.
    description: Texts,
    /// What to keep in mind when using the figures.
    caveat: Texts,
    /// Unit of the values: the series' own, or with `per=10000` followed by
    /// `_per_10000_inhabitants`.
    #[schema(example = "persons")]
    unit: String,
    /// How a figure relates to its period.
    #[schema(value_type = domain::Measure)]
    measure: &'static str,
    /// Who publishes the figures.
    producer: String,
    /// The publisher's table.
    table_id: Option<String>,
    /// Where the figures are published.
    source_url: String,
    /// Licence of the figures.
    licence: String,
    /// The licence text.
    licence_url: String,
    /// When a figure last changed (RFC 3339).
    last_updated: Option<String>,
    /// When the source was last checked (RFC 3339).
    last_checked: Option<String>,
    /// The `vintage` asked for, if any.
    vintage: Option<String>,
    /// The date the figures are as known on: the vintage, or today.
    #[schema(example = "2025-06-30")]
    as_known_on: String,
    /// The series' categories.
    categories: Vec<CategoryJson>,
    /// Series breaks.
    breaks: Vec<BreakJson>,
    /// The figures asked for.
    observations: Vec<ObservationJson>,
    /// Related URLs.
    links: Links,
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
pub(crate) fn as_known_on(selection: &SeriesSelection) -> String {
    match selection.vintage {
        Some(v) => v.to_string(),
        None => time::OffsetDateTime::now_utc().date().to_string(),
    }
}

/// One series with its figures.
///
/// The figures of one series with their status, vintage and source, its categories, breaks and
/// licence. By default the headline figure (`total`) over the whole range, as known today.
#[utoipa::path(
    get,
    path = "/api/v1/series/{id}",
    tag = TAG,
    params(
        ("id" = String, Path, description = "The series", example = "homeless_people_18_65"),
        ViewParams,
        SeriesParams,
    ),
    responses(
        (status = 200, description = "The series and its figures", body = SeriesDetail),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such series or category", body = ErrorBody),
    )
)]
pub async fn get_series(
    State(ctx): State<AppContext>,
    ApiPath(raw): ApiPath<String>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let raw_query = raw_query.unwrap_or_default();
    if let Some(id) = raw.strip_suffix(".csv") {
        return series_csv(&ctx, id, &raw_query).await;
    }
    let locale = parse_lang(param(&raw_query, "lang").as_deref(), Locale::En)?;
    let Requested { view, observations } = requested(&ctx, &raw, &raw_query, locale).await?;
    let meta = &view.meta;
    let summary = ctx.store.series_summary(&meta.id).await?;
    let breaks = ctx.store.list_breaks(&meta.id).await?;
    let body = SeriesDetail {
        id: meta.id.to_string(),
        title: Texts {
            nl: meta.title_nl.clone(),
            en: meta.title_en.clone(),
        },
        description: Texts {
            nl: meta.description_nl.clone(),
            en: meta.description_en.clone(),
        },
        caveat: Texts {
            nl: meta.caveat_nl.clone(),
            en: meta.caveat_en.clone(),
        },
        unit: view_unit(&view),
        measure: meta.measure.as_str(),
        producer: meta.producer.clone(),
        table_id: meta.table_id.clone(),
        source_url: meta.source_url.clone(),
        licence: meta.licence.clone(),
        licence_url: meta.licence_url.clone(),
        last_updated: summary.last_changed_at.and_then(rfc3339),
        last_checked: summary.last_checked_at.and_then(rfc3339),
        vintage: view.selection.vintage.map(|d| d.to_string()),
        as_known_on: as_known_on(&view.selection),
        categories: view.categories.iter().map(CategoryJson::from).collect(),
        breaks: breaks
            .iter()
            .map(|b| BreakJson {
                before: b.before,
                after: b.after,
                reason: Texts {
                    nl: b.reason_nl.clone(),
                    en: b.reason_en.clone(),
                },
                source_url: b.source_url.clone(),
            })
            .collect(),
        observations: observations.iter().map(ObservationJson::from).collect(),
        links: links(meta.id.as_str()),
    };
    Ok(Json(body).into_response())
}

/// The query parameters of a series read (JSON, CSV) besides the view's ([`ViewParams`]).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // never built: it documents what `all`/`lang` read
pub struct SeriesParams {
    /// `true`: every category and status (forecasts too) over the whole range.
    #[param(example = false)]
    all: Option<bool>,
    /// Language of error messages: `nl` or `en` (default `en`).
    #[param(example = "en")]
    lang: Option<String>,
}

/// One series' figures as CSV.
///
/// The same figures as the JSON, one row per figure, with unit, status, margins, vintage and
/// source in columns. `GET /api/v1/series/{id}` answers it when the id ends in `.csv`.
#[utoipa::path(
    get,
    path = "/api/v1/series/{id}.csv",
    tag = TAG,
    params(
        ("id" = String, Path, description = "The series", example = "homeless_people_18_65"),
        ViewParams,
        SeriesParams,
    ),
    responses(
        (status = 200, description = "The figures as CSV", content_type = "text/csv", body = String,
         example = "series,category,period,period_start,value,unit,status,lower,upper,first_seen_at,as_known_on,source,source_url,note\nhomeless_people_18_65,total,2021,2021-01-01,32000,persons,provisional,,,2025-12-19T06:15:02Z,2026-01-05,CBS 80799ned,https://www.cbs.nl/nl-nl/cijfers/detail/80799ned,\"men 26700, women 5300\"\n"),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such series or category", body = ErrorBody),
    )
)]
pub async fn series_csv(
    ctx: &AppContext,
    raw_id: &str,
    raw_query: &str,
) -> Result<Response, ApiError> {
    let locale = parse_lang(param(raw_query, "lang").as_deref(), Locale::En)?;
    let r = requested(ctx, raw_id, raw_query, locale).await?;
    csv_response(&r.view, &r.observations)
}

/// The unit of a view's values: the series' own, or per 10,000 inhabitants.
pub(crate) fn view_unit(view: &views::SeriesView) -> String {
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
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// Only what was known on this date (`YYYY-MM-DD`).
    #[param(example = "2025-06-30")]
    vintage: Option<String>,
    /// The breakdown category; default `total`.
    #[param(example = "total")]
    category: Option<String>,
    /// Only this period.
    #[param(example = "2024")]
    period: Option<String>,
    /// Language of error messages: `nl` or `en` (default `en`).
    #[param(example = "en")]
    lang: Option<String>,
}

/// The answer of `GET /api/v1/series/{id}/history`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesHistory {
    /// The series.
    #[schema(value_type = String, example = "homeless_people_18_65")]
    id: domain::SeriesId,
    /// The category.
    category: CategoryKey,
    /// Every value ever published for it, oldest vintage first; a replaced value has
    /// `superseded_at`.
    vintages: Vec<ObservationJson>,
}

/// Every value ever published.
///
/// The revision history of one category of a series: each value Koers has seen, when it first
/// saw it and when a newer value replaced it, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/series/{id}/history",
    tag = TAG,
    params(
        ("id" = String, Path, description = "The series", example = "homeless_people_18_65"),
        HistoryParams,
    ),
    responses(
        (status = 200, description = "The revision history", body = SeriesHistory),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
        (status = 404, description = "No such series", body = ErrorBody),
    )
)]
pub async fn history(
    State(ctx): State<AppContext>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> Result<Json<SeriesHistory>, ApiError> {
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
    Ok(Json(SeriesHistory {
        id,
        category,
        vintages: rows.iter().map(ObservationJson::from).collect(),
    }))
}

/// Query parameters of the goals read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GoalParams {
    /// Language of error messages: `nl` or `en` (default `en`).
    #[param(example = "en")]
    lang: Option<String>,
    /// The goals as they stood on this date (`YYYY-MM-DD`): figures as known then.
    #[param(example = "2025-06-30")]
    vintage: Option<String>,
}

/// A period with a value: a goal's baseline or target.
#[derive(Debug, Serialize, ToSchema)]
struct PeriodValue {
    /// The period.
    period: Period,
    /// The value.
    value: f64,
}

/// Which version of a goal's baseline and target is used.
#[derive(Debug, Serialize, ToSchema)]
struct GoalVersionJson {
    /// 1 for the original baseline and target; each change by an editor adds one.
    #[schema(example = 2)]
    number: i64,
    /// When this version took effect (RFC 3339); for version 1, when Koers first loaded it.
    changed_at: Option<String>,
    /// Why it was changed.
    reason: String,
    /// In words ("target version 2, changed 24 November 2026").
    text: Texts,
}

/// One goal and how it is going.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalJson {
    /// Stable identifier.
    #[schema(value_type = String, example = "zero-homelessness-2030")]
    id: domain::GoalId,
    /// The series it is measured on.
    #[schema(value_type = String, example = "homeless_people_18_65")]
    series: domain::SeriesId,
    /// Short name.
    title: Texts,
    /// The commitment it comes from.
    commitment: Texts,
    /// Where the commitment is documented.
    source_url: String,
    /// Remarks on the choice of baseline and target.
    note: String,
    /// Start of the straight path.
    baseline: PeriodValue,
    /// The target.
    target: PeriodValue,
    /// The version of baseline and target used (for a vintage: the one in force then).
    version: GoalVersionJson,
    /// Whether the series should go down or up.
    direction: Direction,
    /// Whether the series' yearly figures are added up from the baseline on.
    cumulative: bool,
    /// How many recent figures the pace is measured over.
    pace_window: u32,
    /// The verdict.
    #[schema(value_type = domain::Status)]
    status: &'static str,
    /// The verdict in words.
    status_label: Texts,
    /// Everything computed: the required and the recent pace, the projection, gaps.
    progress: Progress,
    /// The verdict as a sentence.
    sentence: Texts,
    /// How fresh the figures behind it are.
    freshness: Texts,
}

/// The answer of `GET /api/v1/goals`.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalList {
    /// Every goal.
    goals: Vec<GoalJson>,
}

/// Every goal and how it is going.
///
/// Each goal with its baseline and target, the pace it requires, the recent pace, the status
/// (on track, needs acceleration, ...), the projected year and the sentence the site shows.
#[utoipa::path(
    get,
    path = "/api/v1/goals",
    tag = TAG,
    params(GoalParams),
    responses(
        (status = 200, description = "Every goal with its progress", body = GoalList),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn goals(
    State(ctx): State<AppContext>,
    ApiQuery(params): ApiQuery<GoalParams>,
) -> Result<Json<GoalList>, ApiError> {
    let locale = parse_lang(params.lang.as_deref(), Locale::En)?;
    let vintage = views::parse_vintage(params.vintage.as_deref(), locale)?;
    let mut out = Vec::new();
    for g in views::goal_states(&ctx.store, vintage).await? {
        let sentence = Texts {
            nl: views::goal_text(&g, Locale::Nl),
            en: views::goal_text(&g, Locale::En),
        };
        out.push(GoalJson {
            id: g.goal.id.clone(),
            series: g.goal.series.clone(),
            title: Texts {
                nl: g.goal.title_nl.clone(),
                en: g.goal.title_en.clone(),
            },
            commitment: Texts {
                nl: g.goal.commitment_nl.clone(),
                en: g.goal.commitment_en.clone(),
            },
            source_url: g.goal.source_url.clone(),
            note: g.goal.note.clone(),
            baseline: PeriodValue {
                period: g.goal.baseline_period,
                value: g.goal.baseline_value,
            },
            target: PeriodValue {
                period: g.goal.target_period,
                value: g.goal.target_value,
            },
            version: GoalVersionJson {
                number: g.version.version,
                changed_at: rfc3339(g.version.changed_at),
                reason: g.version.reason.clone(),
                text: Texts {
                    nl: views::goal_version_text(&g.version, Locale::Nl),
                    en: views::goal_version_text(&g.version, Locale::En),
                },
            },
            direction: g.goal.direction,
            cumulative: g.goal.cumulative,
            pace_window: g.goal.pace_window,
            status: g.progress.status.as_str(),
            status_label: Texts {
                nl: i18n::status_label(Locale::Nl, g.progress.status),
                en: i18n::status_label(Locale::En, g.progress.status),
            },
            progress: g.progress.clone(),
            sentence,
            freshness: Texts {
                nl: g.freshness.describe(Locale::Nl),
                en: g.freshness.describe(Locale::En),
            },
        });
    }
    Ok(Json(GoalList { goals: out }))
}

/// One fetch of a source.
#[derive(Debug, Serialize, ToSchema)]
struct FetchJson {
    /// Sequence number.
    id: i64,
    /// The URL fetched.
    url: String,
    /// Start (RFC 3339).
    started_at: Option<String>,
    /// End (RFC 3339); empty while running.
    finished_at: Option<String>,
    /// Last HTTP status seen.
    http_status: Option<i64>,
    /// The publisher's own "modified" date.
    upstream_modified: Option<String>,
    /// HTTP ETag.
    etag: Option<String>,
    /// SHA-256 of the data read.
    checksum: Option<String>,
    /// Rows read.
    rows_seen: i64,
    /// New figures.
    rows_new: i64,
    /// Figures with a new value.
    rows_revised: i64,
    /// Figures unchanged.
    rows_unchanged: i64,
    /// HTTP attempts (retries included).
    attempts: i64,
    /// `running`, `succeeded`, `unchanged`, `failed` or `interrupted`.
    #[schema(example = "succeeded")]
    outcome: &'static str,
    /// What went wrong, for a failed fetch.
    error: Option<String>,
}

/// One source and its recent fetches.
#[derive(Debug, Serialize, ToSchema)]
struct SourceJson {
    /// Stable identifier.
    #[schema(value_type = String, example = "cbs-homeless")]
    id: domain::SourceId,
    /// Name.
    name: String,
    /// The publisher's table.
    #[schema(example = "80799ned")]
    table_id: String,
    /// When it is fetched (cron, six fields, UTC).
    schedule: String,
    /// Whether a fetch runs now.
    running: bool,
    /// The last ten fetches, newest first.
    fetches: Vec<FetchJson>,
}

/// The answer of `GET /api/v1/sources`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceList {
    /// Every source.
    sources: Vec<SourceJson>,
}

/// Every data source and its recent fetches.
///
/// Each source with its publisher table, fetch schedule and the outcome of its last ten fetches:
/// when, what HTTP status, how many figures were new or revised, and any error.
#[utoipa::path(
    get,
    path = "/api/v1/sources",
    tag = TAG,
    responses(
        (status = 200, description = "Every source with its recent fetches", body = SourceList),
        (status = 500, description = "Server error", body = ErrorBody),
    )
)]
pub async fn sources(State(ctx): State<AppContext>) -> Result<Json<SourceList>, ApiError> {
    let mut out = Vec::new();
    for s in ctx.ingestor.sources() {
        let fetches = ctx.store.recent_fetches(Some(s.id.as_str()), 10).await?;
        out.push(SourceJson {
            running: ctx.ingestor.is_running(&s.id),
            id: s.id,
            name: s.name,
            table_id: s.table_id,
            schedule: s.schedule,
            fetches: fetches
                .iter()
                .map(|f| FetchJson {
                    id: f.id,
                    url: f.url.clone(),
                    started_at: rfc3339(f.started_at),
                    finished_at: f.finished_at.and_then(rfc3339),
                    http_status: f.http_status,
                    upstream_modified: f.upstream_modified.clone(),
                    etag: f.etag.clone(),
                    checksum: f.checksum.clone(),
                    rows_seen: f.rows_seen,
                    rows_new: f.rows_new,
                    rows_revised: f.rows_revised,
                    rows_unchanged: f.rows_unchanged,
                    attempts: f.attempts,
                    outcome: f.outcome.as_str(),
                    error: f.error.clone(),
                })
                .collect(),
        });
    }
    Ok(Json(SourceList { sources: out }))
}
