//! `GET /charts/{id}.svg` and `GET /charts/{id}.png`: the chart of a series view as an image,
//! with title, source, licence, data date and permalink drawn in.

use super::{ApiError, parse_lang};
use crate::routes::api::param;
use crate::startup::AppContext;
use app::AppError;
use app::ssr::chart::series_chart;
use app::ssr::views::{self, SeriesQuery};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Locale;
use sha2::{Digest, Sha256};

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

/// Renders a chart image.
pub async fn chart_image(
    State(ctx): State<AppContext>,
    Path(file): Path<String>,
    RawQuery(raw_query): RawQuery,
    headers: HeaderMap,
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
    let (bytes, content_type) = if png {
        (charts::render_png(&data.spec, size, scale), "image/png")
    } else {
        (
            charts::render_svg(&data.spec, size).map(String::into_bytes),
            "image/svg+xml",
        )
    };
    let bytes = bytes.map_err(|e| {
        tracing::error!(error.message = %e, "chart rendering failed");
        ApiError(AppError::Internal)
    })?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..8]));
    let cache = "public, max-age=300";
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
        )
            .into_response());
    }
    let filename = format!("{id}-{}.{}", locale.code(), if png { "png" } else { "svg" });
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::ETAG, etag),
            (header::CACHE_CONTROL, cache.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
