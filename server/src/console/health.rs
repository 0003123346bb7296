//! Ingestion health: `/console` (every source), `/console/sources/{id}` (one source's fetches),
//! `POST /console/sources/{id}/run` (admins start a run) and `/console/runs/{id}` (the run's
//! progress, reloading itself until it ends).

use super::{Admin, Console, CsrfForm, Flash, Nav, NoFields, Viewer, audit, body};
use crate::startup::AppContext;
use app::console::health::{
    FetchView, HealthPage, NextRun, RunEnd, RunPage, RunView, SourceHealth, SourcePage,
};
use auth::Role;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use domain::{Locale, SourceId};
use jobs::{ProgressEvent, SourceInfo, TrackedRun};
use leptos::prelude::ElementChild;
use store::FetchSummary;

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route("/console", get(overview))
        .route("/console/sources/{id}", get(source_page))
        .route("/console/sources/{id}/run", post(run_source))
        .route("/console/runs/{id}", get(run_page))
}

/// Fetches shown per source on the overview.
const OVERVIEW_FETCHES: u32 = 3;
/// Fetches shown on a source's page.
const SOURCE_FETCHES: u32 = 20;
/// Seconds between reloads of a running run's page.
const RUN_REFRESH_SECONDS: u32 = 2;

fn fetch_view(f: FetchSummary) -> FetchView {
    FetchView {
        started_ms: f.started_at,
        duration_ms: f.finished_at.map(|end| end - f.started_at),
        outcome: f.outcome.as_str().to_owned(),
        rows_seen: f.rows_seen,
        rows_new: f.rows_new,
        rows_revised: f.rows_revised,
        error: f.error,
    }
}

/// Everything the pages show of one source.
async fn source_health(
    ctx: &AppContext,
    locale: Locale,
    source: SourceInfo,
    next_runs: &Option<Vec<(SourceId, Option<time::OffsetDateTime>)>>,
    fetches: u32,
) -> Result<SourceHealth, store::StoreError> {
    let now = store::now_ms();
    let freshness = jobs::freshness::assess(&ctx.store, &source, now).await?;
    let history = ctx
        .store
        .recent_fetches(Some(source.id.as_str()), fetches)
        .await?;
    let next_run = match next_runs {
        None => NextRun::Off,
        Some(runs) => runs
            .iter()
            .find(|(id, _)| id == &source.id)
            .and_then(|(_, at)| *at)
            .map_or(NextRun::Unknown, |at| {
                NextRun::At((at.unix_timestamp_nanos() / 1_000_000) as i64)
            }),
    };
    // The registry's English basis is the fallback for a source without a translated line.
    let key = format!("health-rhythm-{}", source.id);
    let rhythm = match i18n::t(locale, &key) {
        text if text != key => text,
        _ => jobs::sources::find(source.id.as_str())
            .map(|def| def.rhythm.basis.to_owned())
            .unwrap_or_default(),
    };
    let running_run = ctx
        .runs
        .recent(Some(&source.id))
        .await?
        .into_iter()
        .find(TrackedRun::is_running)
        .map(|r| r.id);
    Ok(SourceHealth {
        running: ctx.ingestor.is_running(&source.id) || running_run.is_some(),
        id: source.id.to_string(),
        name: source.name,
        upstream: source.table_id,
        schedule: source.schedule,
        next_run,
        rhythm,
        freshness,
        fetches: history.into_iter().map(fetch_view).collect(),
        running_run,
    })
}

/// A page that could not be built: logged, and a short 500 page in the frame.
async fn failed(console: &Console, e: store::StoreError) -> Response {
    tracing::error!(error.cause_chain = ?e, error.message = %e, "console health page failed");
    let view = body(leptos::view! { <p>{console.t("health-error")}</p> });
    console
        .page_with_status(
            StatusCode::INTERNAL_SERVER_ERROR,
            console.t("health-title"),
            Nav::Health,
            view,
        )
        .await
}

/// The CSRF token for the run buttons, for admins only.
fn run_token(console: &Console) -> Option<String> {
    console.user.can(Role::Admin).then(|| console.csrf.clone())
}

async fn overview(State(ctx): State<AppContext>, console: Viewer) -> Response {
    let next_runs = ctx.scheduler.next_runs().await;
    let mut sources = Vec::new();
    for source in ctx.ingestor.sources() {
        match source_health(&ctx, console.locale, source, &next_runs, OVERVIEW_FETCHES).await {
            Ok(s) => sources.push(s),
            Err(e) => return failed(&console, e).await,
        }
    }
    let locale = console.locale;
    let view = body(leptos::view! {
        <HealthPage locale sources scheduler_on=next_runs.is_some() csrf=run_token(&console) />
    });
    console
        .page(console.t("health-title"), Nav::Health, view)
        .await
}

fn find_source(ctx: &AppContext, id: &str) -> Option<SourceInfo> {
    ctx.ingestor
        .sources()
        .into_iter()
        .find(|s| s.id.as_str() == id)
}

async fn source_page(
    State(ctx): State<AppContext>,
    console: Viewer,
    Path(id): Path<String>,
) -> Response {
    let Some(source) = find_source(&ctx, &id) else {
        return console.not_found().await;
    };
    let runs = match ctx.runs.recent(Some(&source.id)).await {
        Ok(runs) => runs
            .into_iter()
            .map(|r| (r.id, r.started_ms, r.started_by))
            .collect(),
        Err(e) => return failed(&console, e).await,
    };
    let next_runs = ctx.scheduler.next_runs().await;
    let health = match source_health(&ctx, console.locale, source, &next_runs, SOURCE_FETCHES).await
    {
        Ok(h) => h,
        Err(e) => return failed(&console, e).await,
    };
    let title = health.name.clone();
    let locale = console.locale;
    let view = body(leptos::view! {
        <SourcePage locale source=health runs csrf=run_token(&console) />
    });
    console.page(title, Nav::Health, view).await
}

async fn run_source(
    State(ctx): State<AppContext>,
    console: Admin,
    Path(id): Path<String>,
    CsrfForm(NoFields {}): CsrfForm<NoFields>,
) -> Response {
    let Some(source) = find_source(&ctx, &id) else {
        return console.not_found().await;
    };
    let back = format!("/console/sources/{}", source.id);
    let name = [("name", source.name.clone())];
    match ctx.runs.start(&source.id, &console.user.username).await {
        Ok(run) => {
            let after = serde_json::json!({ "run": run, "force": true });
            audit(
                &ctx,
                &console,
                "source.run",
                &format!("source:{}", source.id),
                None,
                Some(after),
            )
            .await;
            console
                .redirect(
                    &format!("/console/runs/{run}"),
                    Flash::ok(console.t_args("health-run-started", &name)),
                )
                .await
        }
        Err(e) if e.is_already_running() => {
            console
                .redirect(
                    &back,
                    Flash::error(console.t_args("health-already-running", &name)),
                )
                .await
        }
        Err(e) => {
            tracing::error!(error.message = %e, source = %source.id, "could not start a run");
            console
                .redirect(&back, Flash::error(console.t("health-error")))
                .await
        }
    }
}

/// A progress event in words.
fn event_text(locale: Locale, event: &ProgressEvent) -> String {
    match event {
        ProgressEvent::Started { .. } => i18n::t(locale, "health-event-started"),
        ProgressEvent::Step { message, .. } => message.clone(),
        ProgressEvent::Retrying {
            attempt,
            delay,
            reason,
            ..
        } => i18n::t_args(
            locale,
            "health-event-retrying",
            &[
                ("attempt", attempt.to_string()),
                ("reason", reason.clone()),
                (
                    "seconds",
                    i18n::format_number(locale, delay.as_secs_f64(), 1),
                ),
            ],
        ),
        ProgressEvent::Rows { rows, .. } => {
            i18n::t_args(locale, "health-event-rows", &[("rows", rows.to_string())])
        }
        ProgressEvent::Finished(report) => i18n::t_args(
            locale,
            "health-event-finished",
            &[(
                "outcome",
                i18n::t(
                    locale,
                    &format!("health-outcome-{}", report.outcome.as_str()),
                ),
            )],
        ),
    }
}

fn run_view(locale: Locale, run: TrackedRun, source_name: String) -> RunView {
    let finished = run.finished.map(|end| match end {
        Ok(report) => RunEnd::Report {
            finished_ms: run.finished_ms.unwrap_or(run.started_ms),
            outcome: report.outcome.as_str().to_owned(),
            duration_ms: report.duration.as_millis() as i64,
            rows_seen: report.rows_seen,
            new: report.counts.new,
            revised: report.counts.revised,
            unchanged: report.counts.unchanged,
            error: report.error,
        },
        Err(e) => RunEnd::NotRun(e),
    });
    RunView {
        source: run.source.to_string(),
        source_name,
        started_by: run.started_by,
        started_ms: run.started_ms,
        events: run
            .events
            .iter()
            .map(|(at, e)| (*at, event_text(locale, e)))
            .collect(),
        rows: run.rows,
        finished,
    }
}

async fn run_page(
    State(ctx): State<AppContext>,
    console: Viewer,
    Path(id): Path<String>,
) -> Response {
    let run = match ctx.runs.get(&id).await {
        Ok(run) => run,
        Err(e) => return failed(&console, e).await,
    };
    let Some(run) = run else {
        let view = body(leptos::view! { <p>{console.t("health-run-unknown")}</p> });
        return console
            .page_with_status(
                StatusCode::NOT_FOUND,
                console.t("health-title"),
                Nav::Health,
                view,
            )
            .await;
    };
    let name =
        find_source(&ctx, run.source.as_str()).map_or_else(|| run.source.to_string(), |s| s.name);
    let title = console.t_args("health-run-title", &[("name", name.clone())]);
    let running = run.is_running();
    let locale = console.locale;
    let run = run_view(locale, run, name);
    let view = body(leptos::view! { <RunPage locale run /> });
    if running {
        console
            .page_refreshing(title, Nav::Health, view, RUN_REFRESH_SECONDS)
            .await
    } else {
        console.page(title, Nav::Health, view).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_has_its_rhythm_in_both_languages() {
        for def in jobs::sources::SOURCES {
            let key = format!("health-rhythm-{}", def.slug);
            for locale in Locale::ALL {
                assert_ne!(i18n::t(locale, &key), key, "{key} in {locale:?}");
            }
        }
    }
}
