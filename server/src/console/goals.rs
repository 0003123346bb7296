//! Goals: everyone signed in sees the goals with their version in force and each goal's
//! history; editors save a new version of a goal's baseline and target. Every change is
//! checked first (nothing is stored when a field is wrong) and written to the audit log.

use super::{CsrfForm, Editor, Flash, Nav, Viewer, audit, body};
use crate::startup::AppContext;
use app::console::goals::{
    FieldMessage, GoalEditPage, GoalFormValues, GoalRow, GoalsPage, VersionRow,
};
use auth::Role;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use domain::edits::{GoalForm, check_goal_form};
use domain::{FieldError, Goal, GoalId, GoalTargets, Locale, Period, Unit};
use i18n::{format_period, format_value};
use serde_json::json;
use store::{GoalVersion, StoreError};

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route("/console/goals", get(list))
        .route("/console/goals/{id}", get(show).post(update))
}

/// The problems of a form, in the page's language.
pub(super) fn field_messages(console: &super::Console, errors: &[FieldError]) -> Vec<FieldMessage> {
    errors
        .iter()
        .map(|e| {
            let message =
                console.t_args(&format!("problem-{}", e.problem.key()), &e.problem.args());
            FieldMessage {
                // The hidden version field cannot take focus: point at the form's first field.
                field: if e.field == "version" {
                    "baseline_period"
                } else {
                    e.field
                }
                .to_owned(),
                // The summary names the field, so "Fill in this field" says which one.
                text: match field_label(console, e.field) {
                    Some(label) => format!("{label}: {message}"),
                    None => message,
                },
            }
        })
        .collect()
}

/// The label of a console form field (`target_value` → "Streefwaarde"), from the texts of the
/// forms that have it.
fn field_label(console: &super::Console, field: &str) -> Option<String> {
    let slug = field.replace('_', "-");
    ["goals", "events", "uploads"]
        .iter()
        .map(|area| format!("{area}-{slug}"))
        .find_map(|key| {
            let text = console.t(&key);
            (text != key).then_some(text)
        })
}

fn value_text(locale: Locale, value: f64, period: Period, percent: bool) -> String {
    format!(
        "{} ({})",
        format_value(locale, value, percent),
        format_period(locale, period)
    )
}

fn state_json(t: &GoalTargets, version: i64) -> serde_json::Value {
    json!({
        "version": version,
        "baseline_period": t.baseline_period.to_string(),
        "baseline_value": t.baseline_value,
        "target_period": t.target_period.to_string(),
        "target_value": t.target_value,
        "note": t.note,
    })
}

/// A number as it is typed back into the form (`30600`, `12.5`).
fn plain(value: f64) -> String {
    format!("{value}")
}

async fn percent(ctx: &AppContext, goal: &Goal) -> bool {
    ctx.store
        .get_series(&goal.series)
        .await
        .is_ok_and(|s| s.unit == Unit::Percent)
}

async fn list(State(ctx): State<AppContext>, console: Viewer) -> Response {
    let (goals, versions) = match (
        ctx.store.list_goals().await,
        ctx.store.current_goal_versions().await,
    ) {
        (Ok(g), Ok(v)) => (g, v),
        (Err(e), _) | (_, Err(e)) => {
            return console
                .redirect("/console", Flash::error(e.to_string()))
                .await;
        }
    };
    let locale = console.locale;
    let mut rows = Vec::new();
    for goal in goals {
        let Some(v) = versions.iter().find(|v| v.goal == goal.id) else {
            continue;
        };
        let pct = percent(&ctx, &goal).await;
        rows.push(GoalRow {
            id: goal.id.to_string(),
            title: goal.title(locale.is_dutch()).to_owned(),
            baseline: value_text(locale, goal.baseline_value, goal.baseline_period, pct),
            target: value_text(locale, goal.target_value, goal.target_period, pct),
            version: v.version,
            changed_at: v.changed_at,
            changed_by: v.changed_by.clone(),
        });
    }
    let can_edit = console.user.can(Role::Editor);
    let view = body(leptos::view! { <GoalsPage locale goals=rows can_edit /> });
    console
        .page(console.t("console-nav-goals"), Nav::Goals, view)
        .await
}

/// Everything the goal page shows.
struct Loaded {
    goal: Goal,
    version: i64,
    history: Vec<GoalVersion>,
    series_title_nl: String,
    series_title_en: String,
    percent: bool,
}

async fn load(ctx: &AppContext, raw: &str) -> Result<Option<Loaded>, StoreError> {
    let Ok(id) = GoalId::parse(raw) else {
        return Ok(None);
    };
    let (goal, version) = match ctx.store.get_goal(&id).await {
        Ok(found) => found,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let history = ctx.store.goal_versions(&id).await?;
    let series = ctx.store.get_series(&goal.series).await?;
    Ok(Some(Loaded {
        version,
        history,
        series_title_nl: series.title_nl.clone(),
        series_title_en: series.title_en.clone(),
        percent: series.unit == Unit::Percent,
        goal,
    }))
}

/// Renders the goal page with the form showing `values` and `errors`.
async fn render(
    console: &super::Console,
    status: StatusCode,
    loaded: Loaded,
    values: GoalFormValues,
    errors: Vec<FieldMessage>,
) -> Response {
    let locale = console.locale;
    let dutch = locale.is_dutch();
    let Loaded {
        goal,
        history,
        series_title_nl,
        series_title_en,
        percent,
        ..
    } = loaded;
    let history = history
        .into_iter()
        .map(|v| VersionRow {
            version: v.version,
            baseline: value_text(
                locale,
                v.targets.baseline_value,
                v.targets.baseline_period,
                percent,
            ),
            target: value_text(
                locale,
                v.targets.target_value,
                v.targets.target_period,
                percent,
            ),
            note: v.targets.note,
            changed_by: v.changed_by,
            changed_at: v.changed_at,
            reason: v.reason,
        })
        .collect();
    let mut kind = console.t(match goal.direction {
        domain::Direction::Down => "goals-kind-down",
        domain::Direction::Up => "goals-kind-up",
    });
    if goal.cumulative {
        kind = format!("{kind} {}", console.t("goals-kind-cumulative"));
    }
    let series = if dutch {
        series_title_nl
    } else {
        series_title_en
    };
    let summary = console.t_args(
        "goals-summary",
        &[("goal", goal.title(dutch).to_owned()), ("series", series)],
    );
    let public_href = format!("{}/series/{}", locale.prefix(), goal.series);
    let title = goal.title(dutch).to_owned();
    let view = body(leptos::view! {
        <GoalEditPage
            locale
            csrf=console.csrf.clone()
            goal_id=goal.id.to_string()
            summary
            kind
            values
            errors
            history
            can_edit=console.user.can(Role::Editor)
            public_href
        />
    });
    console
        .page_with_status(status, title, Nav::Goals, view)
        .await
}

fn current_values(goal: &Goal, version: i64) -> GoalFormValues {
    GoalFormValues {
        baseline_period: goal.baseline_period.to_string(),
        baseline_value: plain(goal.baseline_value),
        target_period: goal.target_period.to_string(),
        target_value: plain(goal.target_value),
        note: goal.note.clone(),
        reason: String::new(),
        version,
    }
}

async fn show(State(ctx): State<AppContext>, console: Viewer, Path(id): Path<String>) -> Response {
    match load(&ctx, &id).await {
        Ok(Some(loaded)) => {
            let values = current_values(&loaded.goal, loaded.version);
            render(&console, StatusCode::OK, loaded, values, Vec::new()).await
        }
        Ok(None) => console.not_found().await,
        Err(e) => {
            console
                .redirect("/console/goals", Flash::error(e.to_string()))
                .await
        }
    }
}

async fn update(
    State(ctx): State<AppContext>,
    console: Editor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<GoalForm>,
) -> Response {
    let loaded = match load(&ctx, &id).await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return console.not_found().await,
        Err(e) => {
            return console
                .redirect("/console/goals", Flash::error(e.to_string()))
                .await;
        }
    };
    let typed = GoalFormValues {
        baseline_period: form.baseline_period.clone(),
        baseline_value: form.baseline_value.clone(),
        target_period: form.target_period.clone(),
        target_value: form.target_value.clone(),
        note: form.note.clone(),
        reason: form.reason.clone(),
        version: loaded.version,
    };
    let edit = match check_goal_form(&form, &loaded.goal, loaded.version) {
        Ok(edit) => edit,
        Err(errors) => {
            let errors = field_messages(&console, &errors);
            return render(
                &console,
                StatusCode::UNPROCESSABLE_ENTITY,
                loaded,
                typed,
                errors,
            )
            .await;
        }
    };
    let goal_id = loaded.goal.id.clone();
    match ctx
        .store
        .update_goal_targets(
            &goal_id,
            edit.based_on,
            &edit.targets,
            &console.user.username,
            &edit.reason,
            store::now_ms(),
        )
        .await
    {
        Ok((before, version)) => {
            let mut after = state_json(&version.targets, version.version);
            after["reason"] = json!(version.reason);
            audit(
                &ctx,
                &console,
                "goal.update",
                &format!("goal:{goal_id}"),
                Some(state_json(&before.targets(), loaded.version)),
                Some(after),
            )
            .await;
            super::check_alerts_soon(&ctx);
            let text = console.t_args(
                "goals-saved",
                &[
                    ("goal", before.title(console.locale.is_dutch()).to_owned()),
                    ("version", version.version.to_string()),
                ],
            );
            console
                .redirect(&format!("/console/goals/{goal_id}"), Flash::ok(text))
                .await
        }
        Err(StoreError::Conflict(_)) => {
            // Saved by someone else between the check and the write: show the newer state.
            match load(&ctx, &id).await {
                Ok(Some(fresh)) => {
                    let problem = domain::Problem::Stale(fresh.version);
                    let errors = field_messages(&console, &[FieldError::new("version", problem)]);
                    render(&console, StatusCode::CONFLICT, fresh, typed, errors).await
                }
                _ => console.not_found().await,
            }
        }
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, goal = %goal_id, "saving a goal version failed");
            console
                .redirect(
                    &format!("/console/goals/{goal_id}"),
                    Flash::error(e.to_string()),
                )
                .await
        }
    }
}
