//! Accounts (admins only): add, change role or state, set a password. The last active
//! administrator cannot be demoted or disabled.

use super::{Admin, CsrfForm, Flash, Nav, audit, body};
use crate::startup::AppContext;
use app::console::users::{UserRow, UsersPage};
use auth::Role;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;
use store::UserRecord;

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route("/console/users", get(list).post(add))
        .route("/console/users/{id}", post(update))
        .route("/console/users/{id}/password", post(password))
}

fn snapshot(u: &UserRecord) -> serde_json::Value {
    json!({"username": u.username, "role": u.role, "active": u.active})
}

async fn list(State(ctx): State<AppContext>, console: Admin) -> Response {
    let users = match ctx.store.list_users().await {
        Ok(users) => users,
        Err(e) => {
            return console
                .redirect("/console", Flash::error(e.to_string()))
                .await;
        }
    };
    let rows = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username,
            role: u.role,
            active: u.active,
            created_at: u.created_at,
        })
        .collect();
    let locale = console.locale;
    let view = body(leptos::view! {
        <UsersPage locale csrf=console.csrf.clone() users=rows me=console.user.id />
    });
    console
        .page(console.t("console-nav-users"), Nav::Users, view)
        .await
}

/// The role chosen in a form, or the accounts page again with the reason.
async fn chosen_role(console: &Admin, name: &str) -> Result<Role, Response> {
    match Role::parse(name) {
        Some(role) => Ok(role),
        None => Err(console
            .redirect(
                "/console/users",
                Flash::error(format!("unknown role {name:?}")),
            )
            .await),
    }
}

#[derive(serde::Deserialize)]
struct NewUser {
    username: String,
    role: String,
    password: String,
}

async fn add(
    State(ctx): State<AppContext>,
    console: Admin,
    CsrfForm(form): CsrfForm<NewUser>,
) -> Response {
    let role = match chosen_role(&console, &form.role).await {
        Ok(role) => role,
        Err(refused) => return refused,
    };
    let username = form.username.trim();
    match auth::create_user(&ctx.store, username, &form.password, role).await {
        Ok(user) => {
            let after = json!({"username": user.username, "role": role.as_str(), "active": true});
            let subject = format!("user:{}", user.username);
            audit(&ctx, &console, "user.add", &subject, None, Some(after)).await;
            let text = console.t_args("console-user-added", &[("name", user.username)]);
            console.redirect("/console/users", Flash::ok(text)).await
        }
        Err(e) => {
            console
                .redirect("/console/users", Flash::error(e.to_string()))
                .await
        }
    }
}

#[derive(serde::Deserialize)]
struct UserChange {
    role: String,
    /// Present (`1`) when the box is ticked.
    active: Option<String>,
}

async fn update(
    State(ctx): State<AppContext>,
    console: Admin,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<UserChange>,
) -> Response {
    let before = match ctx.store.get_user(id).await {
        Ok(u) => u,
        Err(_) => return console.not_found().await,
    };
    let role = match chosen_role(&console, &form.role).await {
        Ok(role) => role,
        Err(refused) => return refused,
    };
    let active = form.active.is_some();
    let was_active_admin = before.role == "admin" && before.active;
    let stays_active_admin = role == Role::Admin && active;
    if was_active_admin && !stays_active_admin {
        match ctx.store.count_active_admins().await {
            Ok(n) if n > 1 => {}
            _ => {
                let text = console.t("console-last-admin");
                return console.redirect("/console/users", Flash::error(text)).await;
            }
        }
    }
    match ctx.store.update_user(id, role.as_str(), active).await {
        Ok(after) => {
            let subject = format!("user:{}", after.username);
            audit(
                &ctx,
                &console,
                "user.update",
                &subject,
                Some(snapshot(&before)),
                Some(snapshot(&after)),
            )
            .await;
            let text = console.t_args("console-user-updated", &[("name", after.username)]);
            console.redirect("/console/users", Flash::ok(text)).await
        }
        Err(e) => {
            console
                .redirect("/console/users", Flash::error(e.to_string()))
                .await
        }
    }
}

#[derive(serde::Deserialize)]
struct SetPassword {
    password: String,
}

async fn password(
    State(ctx): State<AppContext>,
    console: Admin,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<SetPassword>,
) -> Response {
    let user = match ctx.store.get_user(id).await {
        Ok(u) => u,
        Err(_) => return console.not_found().await,
    };
    match auth::set_password(&ctx.store, id, &form.password).await {
        Ok(()) => {
            let subject = format!("user:{}", user.username);
            audit(&ctx, &console, "user.password", &subject, None, None).await;
            let text = console.t_args("console-user-password-set", &[("name", user.username)]);
            console.redirect("/console/users", Flash::ok(text)).await
        }
        Err(e) => {
            console
                .redirect("/console/users", Flash::error(e.to_string()))
                .await
        }
    }
}
