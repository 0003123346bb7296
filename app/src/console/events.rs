//! Policy events in the console: the list (everyone signed in), and for editors a form to add
//! one, and per event a form to change or remove it. Events are drawn on the public charts.

use super::goals::{ErrorSummary, FieldMessage, FormField, Input};
use super::{CsrfField, tr, tr_args};
use domain::Locale;
use leptos::prelude::*;

/// An event in the list.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// Id.
    pub id: String,
    /// Date in words.
    pub date: String,
    /// Dutch title.
    pub title_nl: String,
    /// English title.
    pub title_en: String,
    /// Where to read about it.
    pub url: String,
    /// The series' title, or `None` for every series.
    pub series: Option<String>,
}

/// What an event form shows.
#[derive(Debug, Clone, Default)]
pub struct EventFormValues {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Dutch title.
    pub title_nl: String,
    /// English title.
    pub title_en: String,
    /// URL.
    pub url: String,
    /// Series id or empty.
    pub series: String,
}

/// The fields of an event form (add and edit).
#[component]
fn EventFields(
    locale: Locale,
    values: EventFormValues,
    errors: Vec<FieldMessage>,
    series_options: Vec<(String, String)>,
) -> impl IntoView {
    let series_error = errors
        .iter()
        .find(|e| e.field == "series")
        .map(|e| e.text.clone());
    let invalid = series_error.is_some().then_some("true");
    let options = series_options
        .into_iter()
        .map(|(id, title)| {
            let selected = id == values.series;
            view! { <option value=id selected=selected>{title}</option> }
        })
        .collect_view();
    let e = errors.clone();
    view! {
        <FormField locale name="date" label=tr(locale, "events-date") hint=tr(locale, "events-date-hint")
            value=values.date required=true input=Input::Date errors=e.clone() />
        <FormField locale name="title_nl" label=tr(locale, "events-title-nl") value=values.title_nl required=true errors=e.clone() />
        <FormField locale name="title_en" label=tr(locale, "events-title-en") value=values.title_en required=true errors=e.clone() />
        <FormField locale name="url" label=tr(locale, "events-url") hint=tr(locale, "events-url-hint")
            value=values.url required=true input=Input::Url errors=e />
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for="series">{tr(locale, "events-series")}</label>
            {series_error.map(|text| view! {
                <span class="field-error" id="series-error">
                    <span class="visually-hidden">{tr(locale, "targets-error-prefix")}</span>{text}
                </span>
            })}
            <select id="series" name="series" aria-invalid=invalid aria-describedby=invalid.map(|_| "series-error")>
                <option value="" selected=values.series.is_empty()>{tr(locale, "events-all-series")}</option>
                {options}
            </select>
        </div>
    }
}

/// `/console/events`: the list and, for editors, the form to add one.
#[component]
pub fn EventsPage(
    locale: Locale,
    csrf: String,
    events: Vec<EventRow>,
    can_edit: bool,
    values: EventFormValues,
    errors: Vec<FieldMessage>,
    series_options: Vec<(String, String)>,
) -> impl IntoView {
    let empty = events
        .is_empty()
        .then(|| view! { <p>{tr(locale, "events-empty")}</p> });
    let rows = events
        .into_iter()
        .map(|e| {
            let href = format!("/console/events/{}", e.id);
            let series = e.series.unwrap_or_else(|| tr(locale, "events-all-series"));
            let edit = can_edit.then(|| {
                view! {
                    <a href=href>{tr(locale, "targets-edit")}<span class="visually-hidden">{format!(" {}", e.title_nl)}</span></a>
                }
            });
            view! {
                <tr>
                    <td>{e.date}</td>
                    <th scope="row"><span lang="nl">{e.title_nl}</span></th>
                    <td><span lang="en">{e.title_en}</span></td>
                    <td>{series}</td>
                    <td><a href=e.url.clone()>{e.url.clone()}</a></td>
                    <td>{edit}</td>
                </tr>
            }
        })
        .collect_view();
    let add = can_edit.then(|| {
        view! {
            <h2 id="event-add-heading">{tr(locale, "events-add")}</h2>
            <ErrorSummary locale errors=errors.clone() />
            <form method="post" action="/console/events" class="console-form narrow" novalidate aria-labelledby="event-add-heading">
                <CsrfField token=csrf />
                <EventFields locale values errors series_options />
                <button type="submit">{tr(locale, "events-add-button")}</button>
            </form>
        }
    });
    view! {
        <p>{tr(locale, "events-intro")}</p>
        {empty}
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="events-caption">
            <table>
                <caption id="events-caption">{tr(locale, "events-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "events-date")}</th>
                        <th scope="col">{tr(locale, "events-title-nl")}</th>
                        <th scope="col">{tr(locale, "events-title-en")}</th>
                        <th scope="col">{tr(locale, "events-series")}</th>
                        <th scope="col">{tr(locale, "events-url")}</th>
                        <th scope="col"><span class="visually-hidden">{tr(locale, "targets-actions")}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {add}
    }
}

/// `/console/events/{id}`: change or remove one event (editors).
#[component]
pub fn EventEditPage(
    locale: Locale,
    csrf: String,
    id: String,
    values: EventFormValues,
    errors: Vec<FieldMessage>,
    series_options: Vec<(String, String)>,
) -> impl IntoView {
    let action = format!("/console/events/{id}");
    let delete_action = format!("/console/events/{id}/delete");
    view! {
        <p class="hint">{tr_args(locale, "events-id", &[("id", id.clone())])}</p>
        <ErrorSummary locale errors=errors.clone() />
        <form method="post" action=action class="console-form narrow" novalidate aria-labelledby="event-edit-heading">
            <h2 id="event-edit-heading">{tr(locale, "events-edit")}</h2>
            <CsrfField token=csrf.clone() />
            <EventFields locale values errors series_options />
            <button type="submit">{tr(locale, "console-save")}</button>
        </form>
        <form method="post" action=delete_action class="console-form narrow" aria-labelledby="event-delete-heading">
            <h2 id="event-delete-heading">{tr(locale, "events-delete")}</h2>
            <p>{tr(locale, "events-delete-hint")}</p>
            <CsrfField token=csrf />
            <button type="submit" class="danger">{tr(locale, "events-delete-button")}</button>
        </form>
        <p><a href="/console/events">{tr_args(locale, "targets-back", &[("page", tr(locale, "console-nav-events"))])}</a></p>
    }
}
