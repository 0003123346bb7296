//! Alerts: everyone signed in sees the webhooks (addresses shortened to their host), the
//! revision threshold, the last notified states and the delivery log; administrators add,
//! pause, remove and test webhooks and set the threshold. Every change is audited; a secret is
//! shown once, in the message after adding, and never written to the audit log.

use super::{Admin, Console, CsrfForm, Flash, Nav, NoFields, Viewer, audit, body};
use crate::startup::AppContext;
use app::console::alerts::{AlertsPage, AlertsView, ConditionRow, DeliveryRow, WebhookRow};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::Locale;
use jobs::alerts::{InvalidWebhook, SourceCondition, check_secret, check_webhook_url};
use serde_json::json;
use store::{AlertKind, DeliveryStatus, NewWebhook, Webhook};

const PAGE: &str = "/console/alerts";
/// Deliveries shown on the page.
const DELIVERIES_SHOWN: u32 = 50;

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route(PAGE, get(page))
        .route("/console/alerts/webhooks", post(add))
        .route("/console/alerts/webhooks/{id}/active", post(set_active))
        .route("/console/alerts/webhooks/{id}/remove", post(remove))
        .route("/console/alerts/webhooks/{id}/test", post(send_test))
        .route("/console/alerts/settings", post(settings))
}

/// What the audit log records of a webhook: never its secret.
fn snapshot(w: &Webhook) -> serde_json::Value {
    json!({
        "name": w.name,
        "url": w.url,
        "kinds": w.kinds,
        "active": w.active,
    })
}

/// A share (0.05) as a percentage in the page's language (`5`, `2,5`).
fn percent_text(locale: Locale, share: f64) -> String {
    let percent = share * 100.0;
    let decimals = (0..3)
        .find(|d| {
            let scale = 10f64.powi(*d);
            ((percent * scale) - (percent * scale).round()).abs() < 1e-6
        })
        .unwrap_or(2) as usize;
    i18n::format_percent(locale, percent, decimals)
}

/// Reads a percentage typed by a person (`5`, `2.5`, `2,5`, `5 %`) as a share.
fn parse_percent(text: &str) -> Option<f64> {
    let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let percent: f64 = cleaned.parse().ok()?;
    (percent.is_finite() && (0.0..=100.0).contains(&percent)).then_some(percent / 100.0)
}

/// Only the host of an address, for people who may not see the full one.
fn host_only(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "…".to_owned();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{scheme}://{host}/…")
}

/// One attempt in one line: number, time, HTTP status, duration, error.
fn attempt_line(locale: Locale, a: &store::DeliveryAttempt) -> String {
    let mut parts = vec![
        a.attempt.to_string(),
        i18n::format_timestamp(locale, a.at),
        a.status_code
            .map_or_else(|| "–".to_owned(), |s| format!("HTTP {s}")),
        format!("{} ms", a.duration_ms),
    ];
    parts.extend(a.error.clone());
    parts.join(" · ")
}

fn pretty(payload: &str) -> String {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| payload.to_owned())
}

async fn conditions(
    ctx: &AppContext,
    locale: Locale,
) -> Result<Vec<ConditionRow>, store::StoreError> {
    let goals = ctx.store.list_goals().await?;
    let sources = ctx.ingestor.sources();
    let mut rows = Vec::new();
    for (subject, state, since) in ctx.store.list_alert_states().await? {
        let row = if let Some(id) = subject.strip_prefix("goal:") {
            let name = goals.iter().find(|g| g.id.as_str() == id).map_or_else(
                || id.to_owned(),
                |g| g.title(locale == Locale::Nl).to_owned(),
            );
            ConditionRow {
                subject: name,
                concern: matches!(
                    state.as_str(),
                    "moving_away" | "limited_progress" | "needs_acceleration"
                ),
                state: i18n::t(locale, &format!("status-{state}")),
                since,
            }
        } else if let Some(id) = subject.strip_prefix("source:") {
            let name = sources
                .iter()
                .find(|s| s.id.as_str() == id)
                .map_or_else(|| id.to_owned(), |s| s.name.clone());
            ConditionRow {
                subject: name,
                concern: SourceCondition::parse(&state) != Some(SourceCondition::Ok),
                state: i18n::t(locale, &format!("alerts-condition-{state}")),
                since,
            }
        } else {
            continue;
        };
        rows.push(row);
    }
    Ok(rows)
}

async fn load(ctx: &AppContext, console: &Console) -> Result<AlertsView, store::StoreError> {
    let admin = console.user.can(auth::Role::Admin);
    let locale = console.locale;
    let webhooks = ctx
        .store
        .list_webhooks()
        .await?
        .into_iter()
        .map(|w| WebhookRow {
            id: w.id,
            target: if admin {
                w.url.clone()
            } else {
                host_only(&w.url)
            },
            kinds: w.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            secret: w.masked_secret(),
            active: w.active,
            name: w.name,
        })
        .collect();
    let mut deliveries = Vec::new();
    for d in ctx.store.recent_deliveries(DELIVERIES_SHOWN).await? {
        let attempt_log = ctx
            .store
            .delivery_attempts(d.id)
            .await?
            .into_iter()
            .map(|a| attempt_line(locale, &a))
            .collect();
        deliveries.push(DeliveryRow {
            id: d.id,
            created_at: d.created_at,
            webhook: d.webhook_name,
            event: d.event,
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            status_code: d.status_code,
            last_error: d.last_error,
            payload: pretty(&d.payload),
            attempt_log,
        });
    }
    let share = ctx.store.alert_settings().await?.revision_share;
    Ok(AlertsView {
        admin,
        webhooks,
        threshold_percent: percent_text(locale, share),
        threshold_value: percent_text(locale, share),
        conditions: conditions(ctx, locale).await?,
        deliveries,
    })
}

async fn page(State(ctx): State<AppContext>, console: Viewer) -> Response {
    let data = match load(&ctx, &console).await {
        Ok(data) => data,
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, "could not load the alerts page");
            return console
                .redirect("/console", Flash::error(e.to_string()))
                .await;
        }
    };
    let locale = console.locale;
    let view = body(leptos::view! {
        <AlertsPage locale csrf=console.csrf.clone() data />
    });
    console
        .page(console.t("alerts-title"), Nav::Alerts, view)
        .await
}

#[derive(serde::Deserialize)]
struct NewHook {
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    kind_goal_status: Option<String>,
    kind_source_freshness: Option<String>,
    kind_revision: Option<String>,
    active: Option<String>,
}

async fn add(
    State(ctx): State<AppContext>,
    console: Admin,
    CsrfForm(form): CsrfForm<NewHook>,
) -> Response {
    let refuse = |key: &str| Flash::error(console.t(key));
    let name = form.name.trim();
    if name.is_empty() {
        return console.redirect(PAGE, refuse("alerts-no-name")).await;
    }
    let url = match check_webhook_url(&form.url) {
        Ok(url) => url.to_string(),
        Err(_) => return console.redirect(PAGE, refuse("alerts-invalid-url")).await,
    };
    let kinds: Vec<AlertKind> = [
        (AlertKind::GoalStatus, &form.kind_goal_status),
        (AlertKind::SourceFreshness, &form.kind_source_freshness),
        (AlertKind::Revision, &form.kind_revision),
    ]
    .into_iter()
    .filter_map(|(kind, ticked)| ticked.is_some().then_some(kind))
    .collect();
    if kinds.is_empty() {
        return console.redirect(PAGE, refuse("alerts-no-kinds")).await;
    }
    let typed = form.secret.trim();
    let generated = typed.is_empty();
    let secret = if generated {
        jobs::alerts::generate_secret()
    } else {
        if let Err(InvalidWebhook::ShortSecret) = check_secret(typed) {
            return console
                .redirect(PAGE, refuse("alerts-invalid-secret"))
                .await;
        }
        typed.to_owned()
    };
    let new = NewWebhook {
        name,
        url: &url,
        secret: &secret,
        kinds: &kinds,
        active: form.active.is_some(),
    };
    let id = match ctx.store.add_webhook(new, store::now_ms()).await {
        Ok(id) => id,
        Err(e) => return console.redirect(PAGE, Flash::error(e.to_string())).await,
    };
    let after = match ctx.store.get_webhook(id).await {
        Ok(w) => snapshot(&w),
        Err(_) => json!({ "name": name }),
    };
    audit(
        &ctx,
        &console,
        "alert.webhook.add",
        &format!("webhook:{id}"),
        None,
        Some(after),
    )
    .await;
    let text = if generated {
        console.t_args(
            "alerts-added-secret",
            &[("name", name.to_owned()), ("secret", secret)],
        )
    } else {
        console.t_args("alerts-added", &[("name", name.to_owned())])
    };
    console.redirect(PAGE, Flash::ok(text)).await
}

#[derive(serde::Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: String,
}

async fn set_active(
    State(ctx): State<AppContext>,
    console: Admin,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Response {
    let Ok(before) = ctx.store.get_webhook(id).await else {
        return console.not_found().await;
    };
    let active = form.active == "1";
    if let Err(e) = ctx
        .store
        .set_webhook_active(id, active, store::now_ms())
        .await
    {
        return console.redirect(PAGE, Flash::error(e.to_string())).await;
    }
    let after = Webhook {
        active,
        ..before.clone()
    };
    audit(
        &ctx,
        &console,
        "alert.webhook.update",
        &format!("webhook:{id}"),
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    )
    .await;
    let key = if active {
        "alerts-resumed-done"
    } else {
        "alerts-paused-done"
    };
    let text = console.t_args(key, &[("name", before.name)]);
    console.redirect(PAGE, Flash::ok(text)).await
}

async fn remove(
    State(ctx): State<AppContext>,
    console: Admin,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let Ok(before) = ctx.store.get_webhook(id).await else {
        return console.not_found().await;
    };
    if let Err(e) = ctx.store.remove_webhook(id).await {
        return console.redirect(PAGE, Flash::error(e.to_string())).await;
    }
    audit(
        &ctx,
        &console,
        "alert.webhook.remove",
        &format!("webhook:{id}"),
        Some(snapshot(&before)),
        None,
    )
    .await;
    let text = console.t_args("alerts-removed", &[("name", before.name)]);
    console.redirect(PAGE, Flash::ok(text)).await
}

async fn send_test(
    State(ctx): State<AppContext>,
    console: Admin,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let Ok(webhook) = ctx.store.get_webhook(id).await else {
        return console.not_found().await;
    };
    let delivery = match ctx
        .ingestor
        .alerts()
        .send_test(id, jobs::alerts::Retrying::Never)
        .await
    {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, webhook = id, "the test notification could not be sent");
            return console.redirect(PAGE, Flash::error(format!("{e:#}"))).await;
        }
    };
    audit(
        &ctx,
        &console,
        "alert.webhook.test",
        &format!("webhook:{id}"),
        None,
        Some(json!({
            "delivery": delivery.uuid,
            "status": delivery.status.as_str(),
            "attempts": delivery.attempts,
            "status_code": delivery.status_code,
        })),
    )
    .await;
    let attempts = delivery.attempts.to_string();
    let flash = if delivery.status == DeliveryStatus::Delivered {
        Flash::ok(console.t_args(
            "alerts-test-delivered",
            &[
                ("name", webhook.name),
                (
                    "status",
                    delivery.status_code.unwrap_or_default().to_string(),
                ),
                ("attempts", attempts),
            ],
        ))
    } else {
        Flash::error(console.t_args(
            "alerts-test-failed",
            &[
                ("name", webhook.name),
                ("attempts", attempts),
                ("error", delivery.last_error.unwrap_or_default()),
            ],
        ))
    };
    console.redirect(PAGE, flash).await
}

#[derive(serde::Deserialize)]
struct SettingsForm {
    #[serde(default)]
    revision_percent: String,
}

async fn settings(
    State(ctx): State<AppContext>,
    console: Admin,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Response {
    let Some(share) = parse_percent(&form.revision_percent) else {
        let text = console.t("alerts-threshold-invalid");
        return console.redirect(PAGE, Flash::error(text)).await;
    };
    let before = match ctx.store.alert_settings().await {
        Ok(s) => s.revision_share,
        Err(e) => return console.redirect(PAGE, Flash::error(e.to_string())).await,
    };
    if let Err(e) = ctx.store.set_revision_share(share, store::now_ms()).await {
        return console.redirect(PAGE, Flash::error(e.to_string())).await;
    }
    audit(
        &ctx,
        &console,
        "alert.settings.update",
        "alert-settings",
        Some(json!({ "revision_share": before })),
        Some(json!({ "revision_share": share })),
    )
    .await;
    let text = console.t_args(
        "alerts-threshold-saved",
        &[("percent", percent_text(console.locale, share))],
    );
    console.redirect(PAGE, Flash::ok(text)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_in_either_notation() {
        assert_eq!(parse_percent("5"), Some(0.05));
        assert_eq!(parse_percent(" 2,5 % "), Some(0.025));
        assert_eq!(parse_percent("2.5"), Some(0.025));
        assert_eq!(parse_percent("0"), Some(0.0));
        assert_eq!(parse_percent("101"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent("vijf"), None);
        assert_eq!(parse_percent("NaN"), None);
    }

    #[test]
    fn shares_are_shown_without_needless_decimals() {
        assert_eq!(percent_text(Locale::En, 0.05), "5");
        assert_eq!(percent_text(Locale::Nl, 0.025), "2,5");
    }

    #[test]
    fn viewers_see_only_the_host_of_an_address() {
        assert_eq!(
            host_only("https://hooks.example.org/services/T000/B000/XXXX"),
            "https://hooks.example.org/…"
        );
        assert_eq!(host_only("not a url"), "…");
    }
}
