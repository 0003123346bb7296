//! Goals in the console: the list with the version in force, and per goal the form that changes
//! its baseline and target (editors) and its version history (everyone signed in).
//!
//! Also the form parts the other target pages share: an error summary whose entries link to
//! their fields, and fields that carry their hint and error (`aria-invalid`,
//! `aria-describedby`), following the GOV.UK error pattern (WCAG 2.1 AA 3.3.1, 3.3.3).

use super::{CsrfField, tr, tr_args, when};
use domain::Locale;
use leptos::prelude::*;

/// A problem with one form field, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    /// The input's `id` (and `name`).
    pub field: String,
    /// What is wrong, translated.
    pub text: String,
}

fn message_for(errors: &[FieldMessage], field: &str) -> Option<String> {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.text.clone())
        .reduce(|a, b| format!("{a} {b}"))
}

/// The list of a form's problems, each linking to its field; announced when the page loads.
#[component]
pub fn ErrorSummary(locale: Locale, errors: Vec<FieldMessage>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        let items = errors
            .into_iter()
            .map(|e| {
                let href = format!("#{}", e.field);
                view! { <li><a href=href>{e.text}</a></li> }
            })
            .collect_view();
        view! {
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
                <h2 id="error-summary-title">{tr(locale, "targets-error-summary")}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

/// How a [`FormField`] is typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Input {
    /// One line of text.
    #[default]
    Text,
    /// A number (`inputmode="decimal"`; checked on the server, so a decimal comma works).
    Decimal,
    /// A date (`type="date"`, which sends `YYYY-MM-DD`).
    Date,
    /// A web address.
    Url,
    /// Several lines.
    Multiline,
}

/// A labelled input with an optional hint and the error that concerns it.
#[component]
pub fn FormField(
    /// Language of the page.
    locale: Locale,
    /// The input's `name` and `id`.
    name: &'static str,
    /// The visible label.
    label: String,
    /// The value to show.
    value: String,
    /// The form's problems (the one for this field is shown with it).
    errors: Vec<FieldMessage>,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<String>,
    /// Whether it must be filled in.
    #[prop(optional)]
    required: bool,
    /// How it is typed in.
    #[prop(optional)]
    input: Input,
) -> impl IntoView {
    let error = message_for(&errors, name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = [
        hint.as_ref().map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let invalid = error.is_some().then_some("true");
    let hint = hint.map(|h| view! { <span class="hint" id=hint_id>{h}</span> });
    let error = error.map(|e| {
        view! {
            <span class="field-error" id=error_id>
                <span class="visually-hidden">{tr(locale, "targets-error-prefix")}</span>
                {e}
            </span>
        }
    });
    let control = match input {
        Input::Multiline => view! {
            <textarea id=name name=name required=required aria-invalid=invalid aria-describedby=described>{value}</textarea>
        }
        .into_any(),
        Input::Text | Input::Decimal | Input::Date | Input::Url => {
            let (kind, mode) = match input {
                Input::Decimal => ("text", Some("decimal")),
                Input::Date => ("date", None),
                Input::Url => ("url", None),
                _ => ("text", None),
            };
            view! {
                <input id=name name=name type=kind inputmode=mode value=value required=required
                    aria-invalid=invalid aria-describedby=described />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=name>{label}</label>
            {hint}
            {error}
            {control}
        </div>
    }
}

/// A goal in the list.
#[derive(Debug, Clone)]
pub struct GoalRow {
    /// Goal id.
    pub id: String,
    /// Its name.
    pub title: String,
    /// Baseline in words ("30.600 (2023)").
    pub baseline: String,
    /// Target in words.
    pub target: String,
    /// Version in force.
    pub version: i64,
    /// When it took effect (epoch ms).
    pub changed_at: i64,
    /// Who made it.
    pub changed_by: String,
}

/// `/console/goals`.
#[component]
pub fn GoalsPage(locale: Locale, goals: Vec<GoalRow>, can_edit: bool) -> impl IntoView {
    let rows = goals
        .into_iter()
        .map(|g| {
            let href = format!("/console/goals/{}", g.id);
            let link = tr(locale, if can_edit { "targets-edit" } else { "targets-view" });
            view! {
                <tr>
                    <th scope="row">{g.title}</th>
                    <td>{g.baseline}</td>
                    <td>{g.target}</td>
                    <td class="num">{g.version}</td>
                    <td>{when(locale, g.changed_at)}" ("{g.changed_by}")"</td>
                    <td><a href=href>{link}<span class="visually-hidden">{format!(" {}", g.id)}</span></a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{tr(locale, "goals-intro")}</p>
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="goals-caption">
            <table>
                <caption id="goals-caption">{tr(locale, "goals-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "goals-goal")}</th>
                        <th scope="col">{tr(locale, "goals-baseline")}</th>
                        <th scope="col">{tr(locale, "goals-target")}</th>
                        <th scope="col" class="num">{tr(locale, "goals-version")}</th>
                        <th scope="col">{tr(locale, "goals-changed")}</th>
                        <th scope="col"><span class="visually-hidden">{tr(locale, "targets-actions")}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One version in the history.
#[derive(Debug, Clone)]
pub struct VersionRow {
    /// Number.
    pub version: i64,
    /// Baseline in words.
    pub baseline: String,
    /// Target in words.
    pub target: String,
    /// Remark.
    pub note: String,
    /// Who.
    pub changed_by: String,
    /// When (epoch ms).
    pub changed_at: i64,
    /// Why.
    pub reason: String,
}

/// What the goal form shows: the values (as typed, or the goal's own).
#[derive(Debug, Clone, Default)]
pub struct GoalFormValues {
    /// Baseline period.
    pub baseline_period: String,
    /// Baseline value.
    pub baseline_value: String,
    /// Target period.
    pub target_period: String,
    /// Target value.
    pub target_value: String,
    /// Remark.
    pub note: String,
    /// Reason for the change.
    pub reason: String,
    /// The version the form was opened on.
    pub version: i64,
}

/// `/console/goals/{id}`: the form (editors) and the version history.
#[component]
pub fn GoalEditPage(
    locale: Locale,
    csrf: String,
    goal_id: String,
    /// "Geen dakloosheid in 2030" on series "Dakloze mensen (18-65 jaar)".
    summary: String,
    /// `down` or `up`, cumulative or not, in words.
    kind: String,
    values: GoalFormValues,
    errors: Vec<FieldMessage>,
    history: Vec<VersionRow>,
    can_edit: bool,
    public_href: String,
) -> impl IntoView {
    let action = format!("/console/goals/{goal_id}");
    let form = can_edit.then(|| {
        let e = errors.clone();
        view! {
            <h2 id="goal-form-heading">{tr(locale, "goals-form-heading")}</h2>
            <ErrorSummary locale errors=e.clone() />
            <form method="post" action=action class="console-form narrow" novalidate aria-labelledby="goal-form-heading">
                <CsrfField token=csrf />
                <input type="hidden" name="version" value=values.version.to_string() />
                <FormField locale name="baseline_period" label=tr(locale, "goals-baseline-period")
                    hint=tr(locale, "goals-period-hint") value=values.baseline_period required=true errors=e.clone() />
                <FormField locale name="baseline_value" label=tr(locale, "goals-baseline-value")
                    hint=tr(locale, "goals-value-hint") value=values.baseline_value required=true input=Input::Decimal errors=e.clone() />
                <FormField locale name="target_period" label=tr(locale, "goals-target-period")
                    hint=tr(locale, "goals-period-hint") value=values.target_period required=true errors=e.clone() />
                <FormField locale name="target_value" label=tr(locale, "goals-target-value")
                    hint=tr(locale, "goals-value-hint") value=values.target_value required=true input=Input::Decimal errors=e.clone() />
                <FormField locale name="note" label=tr(locale, "goals-note") hint=tr(locale, "goals-note-hint")
                    value=values.note input=Input::Multiline errors=e.clone() />
                <FormField locale name="reason" label=tr(locale, "goals-reason") hint=tr(locale, "goals-reason-hint")
                    value=values.reason required=true input=Input::Multiline errors=e />
                <button type="submit">{tr(locale, "goals-save")}</button>
            </form>
        }
    });
    let rows = history
        .into_iter()
        .map(|v| {
            view! {
                <tr>
                    <td class="num">{v.version}</td>
                    <td>{when(locale, v.changed_at)}</td>
                    <td>{v.changed_by}</td>
                    <td>{v.baseline}</td>
                    <td>{v.target}</td>
                    <td>{v.reason}{(!v.note.is_empty()).then(|| view! { <details><summary>{tr(locale, "goals-note")}</summary><p>{v.note}</p></details> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p>{summary}</p>
        <p class="hint">{kind}</p>
        <p><a href=public_href>{tr(locale, "goals-public-page")}</a></p>
        {form}
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="versions-caption">
            <table>
                <caption id="versions-caption">{tr(locale, "goals-history")}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{tr(locale, "goals-version")}</th>
                        <th scope="col">{tr(locale, "goals-changed")}</th>
                        <th scope="col">{tr(locale, "goals-changed-by")}</th>
                        <th scope="col">{tr(locale, "goals-baseline")}</th>
                        <th scope="col">{tr(locale, "goals-target")}</th>
                        <th scope="col">{tr(locale, "goals-reason")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p><a href="/console/goals">{tr_args(locale, "targets-back", &[("page", tr(locale, "console-nav-goals"))])}</a></p>
    }
}
