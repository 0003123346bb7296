//! `GET /charts/{id}.svg` and `GET /charts/{id}.png`: the chart of a series view as an image,
//! with title, source, licence, data date and permalink drawn in. Caching, ETags and the render
//! rate limit come from the `cache` layer around this route.

use super::{ApiError, parse_lang};
use crate::routes::api::param;
use crate::startup::AppContext;
use app::AppError;
use app::ssr::chart::series_chart;
use app::ssr::views::{self, SeriesQuery};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::Locale;

/// Default image size: 16:9, fits articles.
pub const DEFAULT_SIZE: charts::Size = charts::Size {
    width: 1200,
    height: 675,
};

fn bounded(
    raw: Option<&str>,
    name: &str,
    default: u32,
    min: u32,
    max: u32,
) -> Result<u32, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|v| (min..=max).contains(v))
            .ok_or_else(|| {
                ApiError(AppError::InvalidInput(format!(
                    "{name}={:?} must be a whole number from {min} to {max}",
                    text.chars().take(20).collect::<String>()
                )))
            }),
    }
}

/// The query parameters of a chart image (read from the raw query string).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // never built: it documents what `chart_image` and `SeriesQuery` read
pub struct ChartParams {
    /// Language of the texts drawn in: `nl` (default) or `en`.
    #[param(example = "en")]
    lang: Option<String>,
    /// Width in pixels (default 1200).
    #[param(example = 800, minimum = 200, maximum = 4000)]
    width: Option<u32>,
    /// Height in pixels (default 675).
    #[param(example = 450, minimum = 200, maximum = 4000)]
    height: Option<u32>,
    /// PNG only: pixel density, 1 to 4 (default 1).
    #[param(example = 2, minimum = 1, maximum = 4)]
    scale: Option<u32>,
}

/// A series' chart as an image.
///
/// The chart of a series as SVG or PNG, with title, source, licence, data date and permalink
/// drawn in, ready for an article. `file` is the series id followed by `.svg` or `.png`.
#[utoipa::path(
    get,
    path = "/charts/{file}",
    tag = "charts",
    params(
        ("file" = String, Path, description = "The series id and `.svg` or `.png`", example = "homeless_people_18_65.svg"),
        ChartParams,
        super::ViewParams,
    ),
    responses(
        (status = 200, description = "The image; `ETag` and `Cache-Control` are set",
         content((String = "image/svg+xml"), (Vec<u8> = "image/png"))),
        (status = 304, description = "Not modified (the `If-None-Match` ETag still holds)"),
        (status = 400, description = "A parameter is not valid", body = super::ErrorBody),
        (status = 404, description = "No such series, or not `.svg`/`.png`", body = super::ErrorBody),
        (status = 429, description = "Too many renders from this address (cached images are not counted); see `Retry-After`", body = super::ErrorBody),
    )
)]
pub async fn chart_image(
    State(ctx): State<AppContext>,
    Path(file): Path<String>,
    RawQuery(raw_query): RawQuery,
) -> Result<Response, ApiError> {
    let raw_query = raw_query.unwrap_or_default();
    let get = |name: &str| param(&raw_query, name);
    let locale = parse_lang(get("lang").as_deref(), Locale::Nl)?;
    let (raw_id, png) = match (file.strip_suffix(".svg"), file.strip_suffix(".png")) {
        (Some(id), _) => (id, false),
        (_, Some(id)) => (id, true),
        _ => {
            return Err(ApiError(AppError::NotFound(
                "chart images end in .svg or .png, e.g. /charts/homeless_people_18_65.svg".into(),
            )));
        }
    };
    let width = bounded(
        get("width").as_deref(),
        "width",
        DEFAULT_SIZE.width,
        charts::MIN_SIDE,
        charts::MAX_SIDE,
    )?;
    let height = bounded(
        get("height").as_deref(),
        "height",
        DEFAULT_SIZE.height,
        charts::MIN_SIDE,
        charts::MAX_SIDE,
    )?;
    let scale = bounded(get("scale").as_deref(), "scale", 1, 1, 4)?;
    if png && width.max(height) * scale > charts::MAX_SIDE {
        return Err(ApiError(AppError::InvalidInput(format!(
            "width and height times scale must stay within {} pixels",
            charts::MAX_SIDE
        ))));
    }
    let query = SeriesQuery::from_query_string(&raw_query);
    let view = views::series_view(&ctx.store, raw_id, &query, locale).await?;
    let data = series_chart(
        &ctx.store,
        &ctx.public_url,
        locale,
        &view.meta,
        &view.selection,
    )
    .await?;
    let id = &view.meta.id;
    let size = charts::Size { width, height };
    let content_type = if png { "image/png" } else { "image/svg+xml" };
    // Drawing is CPU work (a large PNG takes long): on the blocking pool, so renders in
    // progress never stall the runtime's workers and with them every other request.
    let spec = data.spec;
    let rendered = tokio::task::spawn_blocking(move || {
        if png {
            charts::render_png(&spec, size, scale)
        } else {
            charts::render_svg(&spec, size).map(String::into_bytes)
        }
    })
    .await
    .map_err(|e| {
        tracing::error!(error.message = %e, "the chart rendering task failed");
        ApiError(AppError::Internal)
    })?;
    let bytes = rendered.map_err(|e| {
        tracing::error!(error.message = %e, "chart rendering failed");
        ApiError(AppError::Internal)
    })?;
    let filename = format!("{id}-{}.{}", locale.code(), if png { "png" } else { "svg" });
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
