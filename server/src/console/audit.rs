//! The audit log (admins only), filterable by actor and action, paged by id.

use super::{Admin, Flash, Nav, body};
use crate::startup::AppContext;
use app::console::audit::{AuditPage, AuditRow};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use store::AuditFilter;

pub(super) fn routes() -> Router<AppContext> {
    Router::new().route("/console/audit", get(page))
}

#[derive(serde::Deserialize, Default)]
struct Params {
    actor: Option<String>,
    action: Option<String>,
    before: Option<i64>,
}

const PAGE: i64 = 50;

fn pretty(value: Option<serde_json::Value>) -> Option<String> {
    value.map(|v| serde_json::to_string_pretty(&v).unwrap_or_else(|_| v.to_string()))
}

async fn page(State(ctx): State<AppContext>, console: Admin, Query(p): Query<Params>) -> Response {
    let actor = p.actor.unwrap_or_default().trim().to_owned();
    let action = p.action.unwrap_or_default().trim().to_owned();
    let filter = AuditFilter {
        actor: (!actor.is_empty()).then(|| actor.clone()),
        action_prefix: (!action.is_empty()).then(|| action.clone()),
        before_id: p.before,
        limit: Some(PAGE),
    };
    let entries = match ctx.store.list_audit(&filter).await {
        Ok(e) => e,
        Err(e) => {
            return console
                .redirect("/console", Flash::error(e.to_string()))
                .await;
        }
    };
    let older_href = (entries.len() as i64 == PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten()
        .map(|id| {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("actor", &actor)
                .append_pair("action", &action)
                .append_pair("before", &id.to_string())
                .finish();
            format!("/console/audit?{query}")
        });
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            before: pretty(e.before),
            after: pretty(e.after),
        })
        .collect();
    let locale = console.locale;
    let view = body(leptos::view! {
        <AuditPage locale entries=rows actor action older_href />
    });
    console
        .page(console.t("console-nav-audit"), Nav::Audit, view)
        .await
}
