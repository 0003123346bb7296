//! The audit log (admins): who changed what, before and after, when; filterable and paged.

use super::{tr, when};
use domain::Locale;
use leptos::prelude::*;

/// One entry as the log shows it.
#[derive(Debug, Clone)]
pub struct AuditRow {
    /// Row id.
    pub id: i64,
    /// When (epoch ms).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// What it touched.
    pub subject: String,
    /// State before, pretty JSON.
    pub before: Option<String>,
    /// State after, pretty JSON.
    pub after: Option<String>,
}

fn state(label: String, json: Option<String>) -> impl IntoView {
    json.map(|j| {
        view! {
            <details>
                <summary>{label}</summary>
                <pre>{j}</pre>
            </details>
        }
    })
}

/// The audit page.
#[component]
pub fn AuditPage(
    locale: Locale,
    entries: Vec<AuditRow>,
    actor: String,
    action: String,
    older_href: Option<String>,
) -> impl IntoView {
    let empty = entries
        .is_empty()
        .then(|| view! { <p>{tr(locale, "console-audit-empty")}</p> });
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{when(locale, e.at)}</td>
                    <td>{e.actor}</td>
                    <td><code>{e.action}</code></td>
                    <td>{e.subject}</td>
                    <td>
                        {state(tr(locale, "console-audit-before"), e.before)}
                        {state(tr(locale, "console-audit-after"), e.after)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <form method="get" action="/console/audit" class="console-form filters">
            <div class="field">
                <label for="actor">{tr(locale, "console-audit-actor")}</label>
                <input id="actor" name="actor" type="text" value=actor />
            </div>
            <div class="field">
                <label for="action">{tr(locale, "console-audit-action")}</label>
                <input id="action" name="action" type="text" value=action aria-describedby="action-hint" />
                <span class="hint" id="action-hint">{tr(locale, "console-audit-action-hint")}</span>
            </div>
            <button type="submit">{tr(locale, "console-filter")}</button>
        </form>
        {empty}
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="audit-caption">
            <table class="audit">
                <caption id="audit-caption">{tr(locale, "console-audit-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "console-audit-when")}</th>
                        <th scope="col">{tr(locale, "console-audit-actor")}</th>
                        <th scope="col">{tr(locale, "console-audit-action")}</th>
                        <th scope="col">{tr(locale, "console-audit-subject")}</th>
                        <th scope="col">{tr(locale, "console-audit-change")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {older_href.map(|href| view! { <p><a href=href>{tr(locale, "console-audit-older")}</a></p> })}
    }
}
