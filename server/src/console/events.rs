//! Policy events: everyone signed in sees the list; editors add, change and remove events.
//! Every change is checked first (nothing is stored when a field is wrong) and audited.

use super::goals::field_messages;
use super::{Console, CsrfForm, Editor, Flash, Nav, NoFields, Viewer, audit, body};
use crate::startup::AppContext;
use app::console::events::{EventEditPage, EventFormValues, EventRow, EventsPage};
use app::console::goals::FieldMessage;
use auth::Role;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use domain::edits::{EventForm, check_event_form, event_id};
use domain::{Event, SeriesId};
use serde_json::json;
use store::StoreError;

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route("/console/events", get(list).post(add))
        .route("/console/events/{id}", get(edit).post(update))
        .route("/console/events/{id}/delete", post(delete))
}

fn event_json(e: &Event) -> serde_json::Value {
    json!({
        "id": e.id,
        "date": e.date.to_string(),
        "title_nl": e.title_nl,
        "title_en": e.title_en,
        "url": e.url,
        "series": e.series.as_ref().map(SeriesId::as_str),
    })
}

fn values_of(e: &Event) -> EventFormValues {
    EventFormValues {
        date: e.date.to_string(),
        title_nl: e.title_nl.clone(),
        title_en: e.title_en.clone(),
        url: e.url.clone(),
        series: e
            .series
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

fn typed(form: &EventForm) -> EventFormValues {
    EventFormValues {
        date: form.date.clone(),
        title_nl: form.title_nl.clone(),
        title_en: form.title_en.clone(),
        url: form.url.clone(),
        series: form.series.clone(),
    }
}

/// The series an event may concern: (id, title in the page's language).
async fn series_options(
    ctx: &AppContext,
    console: &Console,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(ctx
        .store
        .list_series()
        .await?
        .into_iter()
        .map(|s| {
            (
                s.meta.id.to_string(),
                s.meta.title(console.locale.is_dutch()).to_owned(),
            )
        })
        .collect())
}

/// The events page with the add form showing `values` and `errors`.
async fn render_list(
    ctx: &AppContext,
    console: &Console,
    status: StatusCode,
    values: EventFormValues,
    errors: Vec<FieldMessage>,
) -> Response {
    let (events, options) = match (
        ctx.store.list_all_events().await,
        series_options(ctx, console).await,
    ) {
        (Ok(e), Ok(o)) => (e, o),
        (Err(e), _) | (_, Err(e)) => {
            return console
                .redirect("/console", Flash::error(e.to_string()))
                .await;
        }
    };
    let locale = console.locale;
    let rows = events
        .into_iter()
        .map(|e| EventRow {
            date: i18n::format_date(locale, e.date),
            series: e.series.as_ref().map(|id| {
                options
                    .iter()
                    .find(|(o, _)| o == id.as_str())
                    .map_or_else(|| id.to_string(), |(_, title)| title.clone())
            }),
            id: e.id,
            title_nl: e.title_nl,
            title_en: e.title_en,
            url: e.url,
        })
        .collect();
    let view = body(leptos::view! {
        <EventsPage
            locale
            csrf=console.csrf.clone()
            events=rows
            can_edit=console.user.can(Role::Editor)
            values
            errors
            series_options=options
        />
    });
    console
        .page_with_status(status, console.t("console-nav-events"), Nav::Events, view)
        .await
}

async fn list(State(ctx): State<AppContext>, console: Viewer) -> Response {
    render_list(
        &ctx,
        &console,
        StatusCode::OK,
        EventFormValues::default(),
        Vec::new(),
    )
    .await
}

async fn known_series(ctx: &AppContext) -> Result<Vec<SeriesId>, StoreError> {
    Ok(ctx
        .store
        .list_series()
        .await?
        .into_iter()
        .map(|s| s.meta.id)
        .collect())
}

async fn add(
    State(ctx): State<AppContext>,
    console: Editor,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Response {
    let (known, existing) = match (known_series(&ctx).await, ctx.store.list_all_events().await) {
        (Ok(k), Ok(e)) => (k, e),
        (Err(e), _) | (_, Err(e)) => {
            return console
                .redirect("/console/events", Flash::error(e.to_string()))
                .await;
        }
    };
    let mut event = match check_event_form(&form, &known, String::new()) {
        Ok(event) => event,
        Err(errors) => {
            let errors = field_messages(&console, &errors);
            return render_list(
                &ctx,
                &console,
                StatusCode::UNPROCESSABLE_ENTITY,
                typed(&form),
                errors,
            )
            .await;
        }
    };
    let taken: Vec<String> = existing.into_iter().map(|e| e.id).collect();
    event.id = event_id(&event.title_en, event.date, &taken);
    match ctx.store.insert_event(&event, store::now_ms()).await {
        Ok(()) => {
            audit(
                &ctx,
                &console,
                "event.add",
                &format!("event:{}", event.id),
                None,
                Some(event_json(&event)),
            )
            .await;
            let title = event.title(console.locale.is_dutch()).to_owned();
            let text = console.t_args("events-added", &[("title", title)]);
            console.redirect("/console/events", Flash::ok(text)).await
        }
        Err(e) => {
            console
                .redirect("/console/events", Flash::error(e.to_string()))
                .await
        }
    }
}

/// The edit page of one event with `values` and `errors`.
async fn render_edit(
    ctx: &AppContext,
    console: &Console,
    status: StatusCode,
    event: &Event,
    values: EventFormValues,
    errors: Vec<FieldMessage>,
) -> Response {
    let options = match series_options(ctx, console).await {
        Ok(o) => o,
        Err(e) => {
            return console
                .redirect("/console/events", Flash::error(e.to_string()))
                .await;
        }
    };
    let locale = console.locale;
    let view = body(leptos::view! {
        <EventEditPage
            locale
            csrf=console.csrf.clone()
            id=event.id.clone()
            values
            errors
            series_options=options
        />
    });
    let title = event.title(locale.is_dutch()).to_owned();
    console
        .page_with_status(status, title, Nav::Events, view)
        .await
}

async fn find(ctx: &AppContext, console: &Console, id: &str) -> Result<Event, Response> {
    match ctx.store.get_event(id).await {
        Ok(e) => Ok(e),
        Err(StoreError::NotFound(_)) => Err(console.not_found().await),
        Err(e) => Err(console
            .redirect("/console/events", Flash::error(e.to_string()))
            .await),
    }
}

async fn edit(State(ctx): State<AppContext>, console: Editor, Path(id): Path<String>) -> Response {
    match find(&ctx, &console, &id).await {
        Ok(event) => {
            let values = values_of(&event);
            render_edit(&ctx, &console, StatusCode::OK, &event, values, Vec::new()).await
        }
        Err(response) => response,
    }
}

async fn update(
    State(ctx): State<AppContext>,
    console: Editor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EventForm>,
) -> Response {
    let before = match find(&ctx, &console, &id).await {
        Ok(e) => e,
        Err(response) => return response,
    };
    let known = match known_series(&ctx).await {
        Ok(k) => k,
        Err(e) => {
            return console
                .redirect("/console/events", Flash::error(e.to_string()))
                .await;
        }
    };
    let event = match check_event_form(&form, &known, before.id.clone()) {
        Ok(event) => event,
        Err(errors) => {
            let errors = field_messages(&console, &errors);
            return render_edit(
                &ctx,
                &console,
                StatusCode::UNPROCESSABLE_ENTITY,
                &before,
                typed(&form),
                errors,
            )
            .await;
        }
    };
    match ctx.store.update_event(&event, store::now_ms()).await {
        Ok(before) => {
            audit(
                &ctx,
                &console,
                "event.update",
                &format!("event:{}", event.id),
                Some(event_json(&before)),
                Some(event_json(&event)),
            )
            .await;
            let title = event.title(console.locale.is_dutch()).to_owned();
            let text = console.t_args("events-updated", &[("title", title)]);
            console.redirect("/console/events", Flash::ok(text)).await
        }
        Err(StoreError::NotFound(_)) => console.not_found().await,
        Err(e) => {
            console
                .redirect("/console/events", Flash::error(e.to_string()))
                .await
        }
    }
}

async fn delete(
    State(ctx): State<AppContext>,
    console: Editor,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    match ctx.store.delete_event(&id).await {
        Ok(before) => {
            audit(
                &ctx,
                &console,
                "event.delete",
                &format!("event:{}", before.id),
                Some(event_json(&before)),
                None,
            )
            .await;
            let title = before.title(console.locale.is_dutch()).to_owned();
            let text = console.t_args("events-deleted", &[("title", title)]);
            console.redirect("/console/events", Flash::ok(text)).await
        }
        Err(StoreError::NotFound(_)) => console.not_found().await,
        Err(e) => {
            console
                .redirect("/console/events", Flash::error(e.to_string()))
                .await
        }
    }
}
