//! Alerts: the webhooks that receive signed notifications, the revision threshold, the state
//! last notified per goal and source, and the delivery log. Everyone signed in sees them;
//! administrators add, pause, remove and test webhooks and set the threshold.

use super::{CsrfField, tr, tr_args, when};
use domain::Locale;
use leptos::prelude::*;

/// A webhook as the page shows it.
#[derive(Debug, Clone)]
pub struct WebhookRow {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The address: in full for administrators, only the host for others (an address can
    /// itself be a credential, as chat services' incoming webhooks are).
    pub target: String,
    /// What it receives (kind keys: `goal_status`, …).
    pub kinds: Vec<String>,
    /// The secret, masked.
    pub secret: String,
    /// Whether it receives notifications.
    pub active: bool,
}

/// A delivery as the log shows it.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    /// Row id.
    pub id: i64,
    /// When it was made (epoch ms).
    pub created_at: i64,
    /// The webhook's name.
    pub webhook: String,
    /// The event name.
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// HTTP status of the last attempt.
    pub status_code: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// The JSON sent, pretty-printed.
    pub payload: String,
    /// Each attempt in one line ("1 · 24-11-2026 22:05 UTC · HTTP 500 · 12 ms · busy").
    pub attempt_log: Vec<String>,
}

/// A goal or source with the state last notified.
#[derive(Debug, Clone)]
pub struct ConditionRow {
    /// What it is about ("Dakloosheid halveren", "CBS 80799ned").
    pub subject: String,
    /// The state, in words.
    pub state: String,
    /// Whether the state is a problem (late, failing, moving away).
    pub concern: bool,
    /// Since when (epoch ms).
    pub since: i64,
}

/// Everything the alerts page shows.
#[derive(Debug, Clone)]
pub struct AlertsView {
    /// Whether the user may change things (administrator).
    pub admin: bool,
    /// The webhooks.
    pub webhooks: Vec<WebhookRow>,
    /// The revision threshold in percent, formatted.
    pub threshold_percent: String,
    /// The threshold as the form's value (`5`, `2.5`).
    pub threshold_value: String,
    /// Last notified states.
    pub conditions: Vec<ConditionRow>,
    /// Latest deliveries.
    pub deliveries: Vec<DeliveryRow>,
}

/// The kinds a webhook can receive, as form field suffixes.
pub const KINDS: [&str; 3] = ["goal_status", "source_freshness", "revision"];

fn kind_label(locale: Locale, kind: &str) -> String {
    tr(locale, &format!("alerts-kind-{kind}"))
}

fn webhook_actions(locale: Locale, csrf: String, w: &WebhookRow) -> impl IntoView + use<> {
    let toggle = format!("/console/alerts/webhooks/{}/active", w.id);
    let test = format!("/console/alerts/webhooks/{}/test", w.id);
    let remove = format!("/console/alerts/webhooks/{}/remove", w.id);
    let (next, label) = if w.active {
        ("0", tr(locale, "alerts-pause"))
    } else {
        ("1", tr(locale, "alerts-resume"))
    };
    let named = |key: &str| format!("{} {}", tr(locale, key), w.name);
    view! {
        <form method="post" action=toggle class="inline-form">
            <CsrfField token=csrf.clone() />
            <input type="hidden" name="active" value=next />
            <button type="submit" aria-label=format!("{label} {}", w.name)>{label.clone()}</button>
        </form>
        <form method="post" action=test class="inline-form">
            <CsrfField token=csrf.clone() />
            <button type="submit" aria-label=named("alerts-send-test")>{tr(locale, "alerts-send-test")}</button>
        </form>
        <form method="post" action=remove class="inline-form">
            <CsrfField token=csrf />
            <button type="submit" class="danger" aria-label=named("alerts-remove")>{tr(locale, "alerts-remove")}</button>
        </form>
    }
}

fn webhooks_table(locale: Locale, csrf: &str, admin: bool, webhooks: Vec<WebhookRow>) -> AnyView {
    if webhooks.is_empty() {
        return view! { <p>{tr(locale, "alerts-webhooks-empty")}</p> }.into_any();
    }
    let rows = webhooks
        .into_iter()
        .map(|w| {
            let kinds = w
                .kinds
                .iter()
                .map(|k| kind_label(locale, k))
                .collect::<Vec<_>>()
                .join(", ");
            let (state_class, state) = if w.active {
                ("state state-ok", tr(locale, "alerts-active"))
            } else {
                ("state state-none", tr(locale, "alerts-paused"))
            };
            let actions =
                admin.then(|| view! { <td>{webhook_actions(locale, csrf.to_owned(), &w)}</td> });
            view! {
                <tr>
                    <th scope="row">{w.name.clone()}</th>
                    <td class="alerts-url">{w.target.clone()}</td>
                    <td>{kinds}</td>
                    <td><code>{w.secret.clone()}</code></td>
                    <td><span class=state_class>{state}</span></td>
                    {actions}
                </tr>
            }
        })
        .collect_view();
    let actions_head = admin.then(|| view! { <th scope="col">{tr(locale, "alerts-actions")}</th> });
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="webhooks-caption">
            <table>
                <caption id="webhooks-caption">{tr(locale, "alerts-webhooks-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "alerts-name")}</th>
                        <th scope="col">{tr(locale, "alerts-url")}</th>
                        <th scope="col">{tr(locale, "alerts-kinds")}</th>
                        <th scope="col">{tr(locale, "alerts-secret")}</th>
                        <th scope="col">{tr(locale, "alerts-state")}</th>
                        {actions_head}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn add_form(locale: Locale, csrf: String) -> impl IntoView {
    let kinds = KINDS
        .iter()
        .map(|k| {
            let id = format!("kind-{k}");
            let name = format!("kind_{k}");
            view! {
                <span class="check">
                    <input type="checkbox" id=id.clone() name=name value="1" checked=true />
                    <label for=id>{kind_label(locale, k)}</label>
                </span>
            }
        })
        .collect_view();
    view! {
        <h3>{tr(locale, "alerts-add")}</h3>
        <form method="post" action="/console/alerts/webhooks" class="console-form narrow">
            <CsrfField token=csrf />
            <div class="field">
                <label for="webhook-name">{tr(locale, "alerts-name")}</label>
                <input id="webhook-name" name="name" type="text" required maxlength="100" />
            </div>
            <div class="field">
                <label for="webhook-url">{tr(locale, "alerts-url")}</label>
                <input id="webhook-url" name="url" type="url" required aria-describedby="webhook-url-hint" />
                <span class="hint" id="webhook-url-hint">{tr(locale, "alerts-url-hint")}</span>
            </div>
            <div class="field">
                <label for="webhook-secret">{tr(locale, "alerts-secret")}</label>
                <input id="webhook-secret" name="secret" type="password" autocomplete="off" aria-describedby="webhook-secret-hint" />
                <span class="hint" id="webhook-secret-hint">{tr(locale, "alerts-secret-hint")}</span>
            </div>
            <fieldset class="alerts-kinds">
                <legend>{tr(locale, "alerts-kinds")}</legend>
                {kinds}
            </fieldset>
            <span class="check">
                <input type="checkbox" id="webhook-active" name="active" value="1" checked=true />
                <label for="webhook-active">{tr(locale, "alerts-start-active")}</label>
            </span>
            <button type="submit">{tr(locale, "alerts-add")}</button>
        </form>
    }
}

fn threshold_section(
    locale: Locale,
    csrf: String,
    admin: bool,
    percent: String,
    value: String,
) -> impl IntoView {
    let now = tr_args(locale, "alerts-threshold-now", &[("percent", percent)]);
    let form = admin.then(|| {
        view! {
            <form method="post" action="/console/alerts/settings" class="console-form narrow">
                <CsrfField token=csrf />
                <div class="field">
                    <label for="revision-percent">{tr(locale, "alerts-threshold-label")}</label>
                    <input id="revision-percent" name="revision_percent" type="text" inputmode="decimal"
                        required value=value aria-describedby="revision-percent-hint" />
                    <span class="hint" id="revision-percent-hint">{tr(locale, "alerts-threshold-hint")}</span>
                </div>
                <button type="submit">{tr(locale, "alerts-save-threshold")}</button>
            </form>
        }
    });
    view! {
        <h2>{tr(locale, "alerts-threshold")}</h2>
        <p>{now}</p>
        {form}
    }
}

fn conditions_table(locale: Locale, conditions: Vec<ConditionRow>) -> AnyView {
    if conditions.is_empty() {
        return view! { <p>{tr(locale, "alerts-conditions-empty")}</p> }.into_any();
    }
    let rows = conditions
        .into_iter()
        .map(|c| {
            let class = if c.concern {
                "state state-bad"
            } else {
                "state state-ok"
            };
            view! {
                <tr>
                    <th scope="row">{c.subject}</th>
                    <td><span class=class>{c.state}</span></td>
                    <td>{when(locale, c.since)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="conditions-caption">
            <table>
                <caption id="conditions-caption">{tr(locale, "alerts-conditions-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "alerts-subject")}</th>
                        <th scope="col">{tr(locale, "alerts-state")}</th>
                        <th scope="col">{tr(locale, "alerts-since")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn deliveries_table(locale: Locale, deliveries: Vec<DeliveryRow>) -> AnyView {
    if deliveries.is_empty() {
        return view! { <p>{tr(locale, "alerts-deliveries-empty")}</p> }.into_any();
    }
    let rows = deliveries
        .into_iter()
        .map(|d| {
            let class = match d.status.as_str() {
                "delivered" => "state state-ok",
                "failed" => "state state-bad",
                _ => "state state-warn",
            };
            let status = tr(locale, &format!("alerts-status-{}", d.status));
            view! {
                <tr id=format!("delivery-{}", d.id)>
                    <td>{when(locale, d.created_at)}</td>
                    <td>{d.webhook}</td>
                    <td><code>{d.event}</code></td>
                    <td><span class=class>{status}</span></td>
                    <td>{d.attempts}</td>
                    <td>{d.status_code.map(|s| s.to_string()).unwrap_or_default()}</td>
                    <td class="alerts-error">{d.last_error.unwrap_or_default()}</td>
                    <td>
                        <details>
                            <summary>{tr(locale, "alerts-payload")}</summary>
                            <pre>{d.payload}</pre>
                            <p>{tr(locale, "alerts-attempt-log")}</p>
                            <ol class="alerts-attempts">
                                {d.attempt_log.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ol>
                        </details>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="deliveries-caption">
            <table class="alerts-deliveries">
                <caption id="deliveries-caption">{tr(locale, "alerts-deliveries-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "alerts-when")}</th>
                        <th scope="col">{tr(locale, "alerts-webhook")}</th>
                        <th scope="col">{tr(locale, "alerts-event")}</th>
                        <th scope="col">{tr(locale, "alerts-result")}</th>
                        <th scope="col">{tr(locale, "alerts-attempts")}</th>
                        <th scope="col">{tr(locale, "alerts-http-status")}</th>
                        <th scope="col">{tr(locale, "alerts-error")}</th>
                        <th scope="col">{tr(locale, "alerts-payload")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The alerts page.
#[component]
pub fn AlertsPage(locale: Locale, csrf: String, data: AlertsView) -> impl IntoView {
    let AlertsView {
        admin,
        webhooks,
        threshold_percent,
        threshold_value,
        conditions,
        deliveries,
    } = data;
    view! {
        <p>{tr(locale, "alerts-intro")}</p>
        <p class="hint">{tr(locale, "alerts-docs")}</p>
        <h2>{tr(locale, "alerts-webhooks")}</h2>
        {webhooks_table(locale, &csrf, admin, webhooks)}
        {admin.then(|| add_form(locale, csrf.clone()))}
        {threshold_section(locale, csrf.clone(), admin, threshold_percent, threshold_value)}
        <h2>{tr(locale, "alerts-conditions")}</h2>
        {conditions_table(locale, conditions)}
        <h2>{tr(locale, "alerts-deliveries")}</h2>
        {deliveries_table(locale, deliveries)}
    }
}
