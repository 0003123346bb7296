//! The signed-in user's own account: change the password.

use super::{CsrfForm, Flash, Nav, Viewer, audit, body};
use crate::startup::AppContext;
use app::console::account::AccountPage;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route("/console/account", get(page))
        .route("/console/account/password", post(change_password))
}

async fn page(console: Viewer) -> Response {
    let locale = console.locale;
    let view = body(leptos::view! {
        <AccountPage locale csrf=console.csrf.clone() username=console.user.username.clone() role=console.user.role.as_str().to_owned() />
    });
    console
        .page(console.t("console-account-title"), Nav::Account, view)
        .await
}

#[derive(serde::Deserialize)]
struct NewPassword {
    current: String,
    password: String,
}

async fn change_password(
    State(ctx): State<AppContext>,
    console: Viewer,
    CsrfForm(form): CsrfForm<NewPassword>,
) -> Response {
    let stored = match ctx.store.get_user(console.user.id).await {
        Ok(u) => u,
        Err(e) => {
            return console
                .redirect("/console/account", Flash::error(e.to_string()))
                .await;
        }
    };
    match auth::verify_password(&form.current, &stored.password_hash).await {
        Ok(true) => {}
        _ => {
            let text = console.t("console-current-password-wrong");
            return console
                .redirect("/console/account", Flash::error(text))
                .await;
        }
    }
    if let Err(e) = auth::set_password(&ctx.store, console.user.id, &form.password).await {
        return console
            .redirect("/console/account", Flash::error(e.to_string()))
            .await;
    }
    let subject = format!("user:{}", console.user.username);
    audit(&ctx, &console, "user.password", &subject, None, None).await;
    // The session's password hash no longer matches: this session ends too, so sign in again.
    let text = console.t("console-password-changed");
    console.redirect("/console/login", Flash::ok(text)).await
}
