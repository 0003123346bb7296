//! Manual data: the upload page (everyone signed in sees the format and the recent uploads),
//! the multipart upload (editors), and the result of one upload.
//!
//! A file over [`MAX_UPLOAD_BYTES`] is refused with 413 and is never kept in memory: the rest
//! of it is read and dropped, so the browser still gets the answer. A request body whose
//! declared length is over [`MAX_REQUEST_BYTES`] is refused before anything is read.

use super::goals::field_messages;
use super::{Console, Editor, Flash, Nav, Viewer, audit, body, check_csrf};
use crate::startup::AppContext;
use app::console::goals::FieldMessage;
use app::console::uploads::{LineMessage, UploadResultPage, UploadView, UploadsPage};
use auth::Role;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::{FieldError, Problem, SeriesId};
use jobs::upload::{
    MAX_UPLOAD_BYTES, Rejected, UploadError, UploadForm, UploadProblem, UploadRequest,
    UploadResult, UploadTarget, check_upload_form, parse_upload, store_upload,
};
use serde_json::json;
use store::{StoreError, UploadSummary};

/// The largest request body read at all (a too-large file is read to here and dropped).
const MAX_REQUEST_BYTES: usize = 64 * 1024 * 1024;
/// Longest text field of the form, in bytes.
const MAX_FIELD_BYTES: usize = 16 * 1024;
/// Most text fields read.
const MAX_FIELDS: usize = 40;
/// Uploads listed on the page.
const RECENT: u32 = 20;

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route(
            "/console/uploads",
            get(page)
                .post(upload)
                .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES)),
        )
        .route("/console/uploads/{id}", get(result))
}

fn mb(bytes: usize) -> String {
    let tenths = (bytes as f64 / (1024.0 * 1024.0) * 10.0).ceil() / 10.0;
    format!("{tenths} MB")
}

/// A file problem in the page's language, with its line.
fn line_message(console: &Console, e: &UploadError) -> LineMessage {
    let mut args = e.problem.args();
    if let UploadProblem::TooLarge { size, limit } = e.problem {
        args = vec![("size", mb(size)), ("limit", mb(limit))];
    }
    LineMessage {
        line: e.line,
        text: console.t_args(&format!("upload-problem-{}", e.problem.key()), &args),
    }
}

async fn view_of(ctx: &AppContext, console: &Console, u: UploadSummary) -> UploadView {
    let series_title = ctx
        .store
        .get_series(&u.series)
        .await
        .map(|s| s.title(console.locale.is_dutch()).to_owned())
        .unwrap_or_else(|_| u.series.to_string());
    UploadView {
        id: u.id,
        series: u.series.to_string(),
        series_title,
        file_name: u.file_name,
        size_bytes: u.size_bytes,
        checksum: u.checksum,
        uploaded_by: u.uploaded_by,
        uploaded_at: u.uploaded_at,
        created_series: u.created_series,
        counts: (u.rows_new, u.rows_revised, u.rows_unchanged),
        fetch_id: u.fetch_id,
    }
}

/// What the page shows besides the lists.
#[derive(Default)]
struct Shown {
    values: UploadForm,
    errors: Vec<FieldMessage>,
    file_errors: Vec<LineMessage>,
    file_errors_total: usize,
}

async fn render(ctx: &AppContext, console: &Console, status: StatusCode, shown: Shown) -> Response {
    let (series, uploads) = match (
        ctx.store.list_series().await,
        ctx.store.recent_uploads(RECENT).await,
    ) {
        (Ok(s), Ok(u)) => (s, u),
        (Err(e), _) | (_, Err(e)) => {
            return console
                .redirect("/console", Flash::error(e.to_string()))
                .await;
        }
    };
    let locale = console.locale;
    let series_options = series
        .into_iter()
        .map(|s| {
            (
                s.meta.id.to_string(),
                format!("{} ({})", s.meta.title(locale.is_dutch()), s.meta.id),
            )
        })
        .collect();
    let mut views = Vec::new();
    for u in uploads {
        views.push(view_of(ctx, console, u).await);
    }
    let Shown {
        values,
        errors,
        file_errors,
        file_errors_total,
    } = shown;
    let view = body(leptos::view! {
        <UploadsPage
            locale
            csrf=console.csrf.clone()
            can_edit=console.user.can(Role::Editor)
            values
            errors
            file_errors
            file_errors_total
            series_options
            uploads=views
            max_mb=(MAX_UPLOAD_BYTES / (1024 * 1024)) as u32
        />
    });
    console
        .page_with_status(status, console.t("console-nav-uploads"), Nav::Uploads, view)
        .await
}

async fn page(State(ctx): State<AppContext>, console: Viewer) -> Response {
    render(&ctx, &console, StatusCode::OK, Shown::default()).await
}

async fn result(State(ctx): State<AppContext>, console: Viewer, Path(id): Path<i64>) -> Response {
    match ctx.store.get_upload(id).await {
        Ok(u) => {
            let title = console.t_args("uploads-result-title", &[("file", u.file_name.clone())]);
            let upload = view_of(&ctx, &console, u).await;
            let locale = console.locale;
            let view = body(leptos::view! { <UploadResultPage locale upload /> });
            console.page(title, Nav::Uploads, view).await
        }
        Err(StoreError::NotFound(_)) => console.not_found().await,
        Err(e) => {
            console
                .redirect("/console/uploads", Flash::error(e.to_string()))
                .await
        }
    }
}

/// What the multipart body held.
#[derive(Default)]
struct Received {
    csrf: String,
    form: UploadForm,
    file_name: String,
    file: Option<Vec<u8>>,
    /// Size of a file that was over the limit (its bytes were dropped).
    too_large: Option<usize>,
}

/// The name of an uploaded file without any path a browser may send, at most 200 characters.
fn clean_file_name(raw: &str) -> String {
    let name = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.trim().is_empty() {
        "upload.csv".to_owned()
    } else {
        name.trim().to_owned()
    }
}

/// Reads the multipart body: text fields (bounded) and the file (kept only up to the limit).
/// `Err(Some(size))`: the body broke off at the request limit.
async fn receive(mut multipart: Multipart) -> Result<Received, Option<usize>> {
    let mut r = Received::default();
    let mut texts = 0;
    let mut total = 0usize;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(Some(total)),
            Err(_) => return Err(None),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            r.file_name = clean_file_name(field.file_name().unwrap_or_default());
            let mut field = field;
            let mut bytes = Vec::new();
            let mut size = 0usize;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        size += chunk.len();
                        total += chunk.len();
                        if size <= MAX_UPLOAD_BYTES {
                            bytes.extend_from_slice(&chunk);
                        } else if !bytes.is_empty() {
                            bytes = Vec::new();
                        }
                    }
                    Ok(None) => break,
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(Some(total.max(size)));
                    }
                    Err(_) => return Err(None),
                }
            }
            if size > MAX_UPLOAD_BYTES {
                r.too_large = Some(size);
            } else if size > 0 || !r.file_name.is_empty() {
                r.file = Some(bytes);
            }
            continue;
        }
        texts += 1;
        let text = match field.text().await {
            Ok(t) if texts <= MAX_FIELDS && t.len() <= MAX_FIELD_BYTES => t,
            Ok(_) => continue,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(Some(total)),
            Err(_) => return Err(None),
        };
        total += text.len();
        let f = &mut r.form;
        match name.as_str() {
            "csrf" => r.csrf = text,
            "target" => f.target = text,
            "series" => f.series = text,
            "new_id" => f.new_id = text,
            "new_title_nl" => f.new_title_nl = text,
            "new_title_en" => f.new_title_en = text,
            "new_unit" => f.new_unit = text,
            "new_measure" => f.new_measure = text,
            "new_description_nl" => f.new_description_nl = text,
            "new_description_en" => f.new_description_en = text,
            "new_licence" => f.new_licence = text,
            "new_licence_url" => f.new_licence_url = text,
            "source_label" => f.source_label = text,
            "source_url" => f.source_url = text,
            _ => {}
        }
    }
    Ok(r)
}

/// The page answering a refused upload: the form as filled in, the field problems and the
/// file's problems by line.
async fn refuse(
    ctx: &AppContext,
    console: &Console,
    status: StatusCode,
    form: &UploadForm,
    errors: &[FieldError],
    rejected: Option<Rejected>,
) -> Response {
    let (file_errors, total) = match rejected {
        Some(r) => (
            r.errors.iter().map(|e| line_message(console, e)).collect(),
            r.total,
        ),
        None => (Vec::new(), 0),
    };
    let shown = Shown {
        values: form.clone(),
        errors: field_messages(console, errors),
        file_errors,
        file_errors_total: total,
    };
    render(ctx, console, status, shown).await
}

async fn upload(State(ctx): State<AppContext>, console: Editor, request: Request) -> Response {
    let too_large = |size: usize| Rejected {
        errors: vec![UploadError {
            line: None,
            problem: UploadProblem::TooLarge {
                size,
                limit: MAX_UPLOAD_BYTES,
            },
        }],
        total: 1,
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(size) = declared.filter(|s| *s > MAX_REQUEST_BYTES) {
        let form = UploadForm::default();
        return refuse(
            &ctx,
            &console,
            StatusCode::PAYLOAD_TOO_LARGE,
            &form,
            &[],
            Some(too_large(size)),
        )
        .await;
    }
    // Not multipart at all: there is no CSRF field to check, so it is refused as forged.
    let multipart = match Multipart::from_request(request, &ctx).await {
        Ok(m) => m,
        Err(_) => {
            return match check_csrf(&console, "") {
                Err(response) => response,
                Ok(()) => StatusCode::BAD_REQUEST.into_response(),
            };
        }
    };
    let received = match receive(multipart).await {
        Ok(r) => r,
        Err(size) => {
            let size = size.unwrap_or(0).max(declared.unwrap_or(0));
            let form = UploadForm::default();
            let status = if size > MAX_UPLOAD_BYTES {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            return refuse(&ctx, &console, status, &form, &[], Some(too_large(size))).await;
        }
    };
    if let Err(response) = check_csrf(&console, &received.csrf) {
        return response;
    }
    let known: Vec<SeriesId> = match ctx.store.list_series().await {
        Ok(series) => series.into_iter().map(|s| s.meta.id).collect(),
        Err(e) => {
            return console
                .redirect("/console/uploads", Flash::error(e.to_string()))
                .await;
        }
    };
    let checked = check_upload_form(&received.form, &known);
    let mut field_errors = checked.as_ref().err().cloned().unwrap_or_default();
    let rejected = if let Some(size) = received.too_large {
        Some(too_large(size))
    } else {
        match &received.file {
            None => {
                field_errors.push(FieldError::new("file", Problem::Required));
                None
            }
            Some(bytes) => parse_upload(bytes).err(),
        }
    };
    let status = if received.too_large.is_some() {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (Ok(checked), None, Some(bytes)) = (checked, &rejected, &received.file) else {
        return refuse(
            &ctx,
            &console,
            status,
            &received.form,
            &field_errors,
            rejected,
        )
        .await;
    };
    let request = UploadRequest {
        target: checked.target.clone(),
        file_name: &received.file_name,
        bytes,
        uploaded_by: &console.user.username,
        source_label: &checked.source_label,
        source_url: &checked.source_url,
    };
    match store_upload(&ctx.store, &request, store::now_ms()).await {
        Ok(UploadResult::Stored {
            series,
            rows,
            outcome,
        }) => {
            let created = matches!(checked.target, UploadTarget::New(_));
            let mut after = json!({
                "upload_id": outcome.upload_id,
                "fetch_id": outcome.fetch_id,
                "file": received.file_name,
                "size_bytes": bytes.len(),
                "checksum": hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)),
                "rows": rows,
                "new": outcome.counts.new,
                "revised": outcome.counts.revised,
                "unchanged": outcome.counts.unchanged,
                "source": checked.source_label,
                "source_url": checked.source_url,
                "created_series": created,
            });
            if let UploadTarget::New(meta) = &checked.target {
                after["series"] = json!({
                    "id": meta.id.as_str(),
                    "title_nl": meta.title_nl,
                    "title_en": meta.title_en,
                    "unit": meta.unit.as_str(),
                    "measure": meta.measure.as_str(),
                    "licence": meta.licence,
                    "licence_url": meta.licence_url,
                });
            }
            audit(
                &ctx,
                &console,
                "upload.store",
                &format!("series:{series}"),
                None,
                Some(after),
            )
            .await;
            super::check_alerts_soon(&ctx);
            let text = console.t_args(
                "uploads-stored",
                &[
                    ("file", received.file_name.clone()),
                    ("new", outcome.counts.new.to_string()),
                    ("revised", outcome.counts.revised.to_string()),
                    ("unchanged", outcome.counts.unchanged.to_string()),
                ],
            );
            console
                .redirect(
                    &format!("/console/uploads/{}", outcome.upload_id),
                    Flash::ok(text),
                )
                .await
        }
        Ok(UploadResult::Rejected(rejected)) => {
            refuse(
                &ctx,
                &console,
                StatusCode::UNPROCESSABLE_ENTITY,
                &received.form,
                &[],
                Some(rejected),
            )
            .await
        }
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, "storing an upload failed; nothing was stored");
            let text = format!("{e:#}");
            console
                .redirect("/console/uploads", Flash::error(text))
                .await
        }
    }
}
