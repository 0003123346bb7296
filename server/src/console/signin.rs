//! Signing in and out, and the console language.

use super::{Chrome, CsrfForm, Flash, Nav, NoFields, Viewer};
use crate::client::ClientAddr;
use crate::startup::AppContext;
use app::console::SignInForm;
use auth::{AuthSession, Credentials};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::Locale;
use leptos::prelude::*;

pub(super) fn routes() -> Router<AppContext> {
    Router::new()
        .route("/console/login", get(form).post(sign_in))
        .route("/console/logout", axum::routing::post(sign_out))
        .route("/console/language", get(language))
}

#[derive(serde::Deserialize, Default)]
struct NextParam {
    next: Option<String>,
}

/// Only console paths are followed after sign-in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n == "/console" || n.starts_with("/console/") || n.starts_with("/console?"))
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => "/console".to_owned(),
    }
}

async fn render(
    chrome: &Chrome,
    status: StatusCode,
    next: String,
    username: String,
    error: Option<String>,
) -> Response {
    let locale = chrome.locale;
    let body = leptos::view! {
        <SignInForm locale csrf=chrome.csrf.clone() next username error />
    }
    .into_any();
    chrome
        .page_as(
            status,
            None,
            i18n::t(locale, "console-sign-in"),
            Nav::None,
            body,
            None,
        )
        .await
}

async fn form(chrome: Chrome, auth: AuthSession, Query(q): Query<NextParam>) -> Response {
    let next = safe_next(q.next.as_deref());
    if auth.user.is_some() {
        return Redirect::to(&next).into_response();
    }
    render(&chrome, StatusCode::OK, next, String::new(), None).await
}

#[derive(serde::Deserialize)]
struct SignIn {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn sign_in(
    State(ctx): State<AppContext>,
    ClientAddr(client): ClientAddr,
    chrome: Chrome,
    mut auth: AuthSession,
    CsrfForm(form): CsrfForm<SignIn>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let username = form.username.trim().to_owned();
    let limited = ctx.console.per_client.check_key(&client).is_err()
        || ctx
            .console
            .per_user
            .check_key(&username.to_lowercase())
            .is_err();
    if limited {
        tracing::warn!(%client, username = %username, "sign-in attempts throttled");
        let text = i18n::t(chrome.locale, "console-sign-in-throttled");
        let mut response = render(
            &chrome,
            StatusCode::TOO_MANY_REQUESTS,
            next,
            username,
            Some(text),
        )
        .await;
        response
            .headers_mut()
            .insert("retry-after", axum::http::HeaderValue::from_static("60"));
        return response;
    }
    let creds = Credentials {
        username: username.clone(),
        password: form.password,
    };
    let user = match auth.authenticate(creds).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            tracing::info!(%client, username = %username, "sign-in refused");
            let text = i18n::t(chrome.locale, "console-sign-in-failed");
            return render(
                &chrome,
                StatusCode::UNAUTHORIZED,
                next,
                username,
                Some(text),
            )
            .await;
        }
        Err(e) => {
            tracing::error!(error.message = %e, "sign-in failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // `login` gives the session a new id (no session fixation).
    if let Err(e) = auth.login(&user).await {
        tracing::error!(error.message = %e, "could not start the session");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let subject = format!("user:{}", user.username);
    super::audit_as(
        &ctx,
        &user.username,
        "session.sign_in",
        &subject,
        None,
        None,
    )
    .await;
    // Expired sessions are never loaded; sign-ins (rare) also sweep them out of the table.
    if let Err(e) = auth::SessionStore::new(ctx.store.clone())
        .delete_expired()
        .await
    {
        tracing::warn!(error.message = %e, "could not remove expired sessions");
    }
    Redirect::to(&next).into_response()
}

async fn sign_out(
    State(ctx): State<AppContext>,
    console: Viewer,
    mut auth: AuthSession,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Response {
    let username = console.user.username.clone();
    if let Err(e) = auth.logout().await {
        tracing::error!(error.message = %e, "could not end the session");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let subject = format!("user:{username}");
    super::audit_as(&ctx, &username, "session.sign_out", &subject, None, None).await;
    let text = console.t("console-signed-out");
    console.redirect("/console/login", Flash::ok(text)).await
}

#[derive(serde::Deserialize)]
struct LanguageParams {
    to: String,
    next: Option<String>,
}

/// Remembers the chosen language in the session (harmless without CSRF: it changes no data).
async fn language(chrome: Chrome, Query(q): Query<LanguageParams>) -> Response {
    let locale = Locale::parse(&q.to).unwrap_or_default();
    let _ = chrome
        .session()
        .insert(super::LOCALE_KEY, locale.code().to_owned())
        .await;
    Redirect::to(&safe_next(q.next.as_deref())).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_console_paths_are_followed() {
        assert_eq!(safe_next(Some("/console/goals?x=1")), "/console/goals?x=1");
        assert_eq!(safe_next(Some("https://evil.example/")), "/console");
        assert_eq!(safe_next(Some("//evil.example/console")), "/console");
        assert_eq!(safe_next(Some("/console//evil.example")), "/console");
        assert_eq!(safe_next(Some("/consolex")), "/console");
        assert_eq!(safe_next(None), "/console");
    }
}
