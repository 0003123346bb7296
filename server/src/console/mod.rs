//! The monitoring console under `/console`: sign-in, roles, CSRF, the page frame, and the routes
//! of every section.
//!
//! - Sessions: tower-sessions over the Koers database ([`auth::SessionStore`]); the cookie is
//!   HttpOnly, SameSite=Strict, Secure when the public URL is https, and ends after
//!   [`ConsoleSettings::session_idle`] without requests. Only console routes carry the session
//!   layer: public pages stay cookie-free and cacheable.
//! - Sign-in: axum-login over argon2id hashes ([`auth::Backend`]); the session id changes at
//!   sign-in; attempts are rate-limited per client address and per username.
//! - Roles: every handler takes one of the extractors [`Viewer`], [`Editor`] or [`Admin`].
//!   Anonymous GETs are sent to the sign-in page, other anonymous requests get 401, a lower
//!   role 403.
//! - CSRF: axum_csrf (an encrypted cookie and a token in every form); [`CsrfForm`] checks it on
//!   every urlencoded POST, [`check_csrf`] on multipart ones.
//! - Every change is written to the audit log (`store::Store::audit`).

mod account;
mod alerts;
mod audit;
mod events;
mod goals;
mod health;
mod signin;
mod uploads;
mod users;

pub use app::console::{Flash, Nav};

use crate::startup::AppContext;
use app::console::{Frame, SignedIn};
use auth::{AuthSession, Role};
use axum::Router;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_csrf::{CsrfConfig, CsrfToken};
use axum_login::AuthManagerLayerBuilder;
use domain::Locale;
use leptos::prelude::*;
use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// Session key of the one-time message.
const FLASH_KEY: &str = "koers.flash";
/// Session key of the chosen console language.
const LOCALE_KEY: &str = "koers.locale";
/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "koers_session";
/// Name of the CSRF cookie.
pub const CSRF_COOKIE: &str = "koers_csrf";

/// Console settings. Its `Debug` says whether a secret key is set, never the key.
#[derive(Clone)]
pub struct ConsoleSettings {
    /// A session ends after this long without requests.
    pub session_idle: Duration,
    /// Secret that keys the CSRF cookie (at least 64 bytes after derivation; any length in).
    /// `None` draws a random one at start: fine for one process, but replicas behind a load
    /// balancer need the same secret (`KOERS_SECRET_KEY`).
    pub secret_key: Option<String>,
    /// Sign-in attempts per minute per client address.
    pub logins_per_minute_per_client: u32,
    /// Sign-in attempts per minute per username.
    pub logins_per_minute_per_user: u32,
}

impl std::fmt::Debug for ConsoleSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleSettings")
            .field("session_idle", &self.session_idle)
            .field("secret_key", &crate::security::Redacted(&self.secret_key))
            .field(
                "logins_per_minute_per_client",
                &self.logins_per_minute_per_client,
            )
            .field(
                "logins_per_minute_per_user",
                &self.logins_per_minute_per_user,
            )
            .finish()
    }
}

impl Default for ConsoleSettings {
    fn default() -> Self {
        Self {
            session_idle: Duration::from_secs(60 * 60),
            secret_key: None,
            logins_per_minute_per_client: 20,
            logins_per_minute_per_user: 5,
        }
    }
}

type KeyedLimiter<K> = governor::DefaultKeyedRateLimiter<K>;

/// Console state shared by the handlers: CSRF configuration and sign-in limits.
#[derive(Clone)]
pub struct ConsoleState {
    csrf: CsrfConfig,
    per_client: Arc<KeyedLimiter<std::net::IpAddr>>,
    per_user: Arc<KeyedLimiter<String>>,
    secure: bool,
    settings: ConsoleSettings,
}

impl std::fmt::Debug for ConsoleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleState")
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

fn quota(per_minute: u32) -> governor::Quota {
    let n = std::num::NonZeroU32::new(per_minute.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
    governor::Quota::per_minute(n)
}

impl ConsoleState {
    /// Console state for a site served at `public_url`.
    pub fn new(settings: ConsoleSettings, public_url: &str) -> Self {
        let secure = public_url.starts_with("https://");
        let mut csrf = CsrfConfig::default()
            .with_cookie_name(CSRF_COOKIE)
            .with_cookie_path("/console")
            .with_cookie_same_site(axum_csrf::SameSite::Strict)
            .with_http_only(true)
            .with_secure(secure)
            .with_lifetime(time::Duration::hours(12));
        if let Some(secret) = &settings.secret_key {
            use sha2::Digest;
            // 128 bytes of key material (encryption and signing keys) from the secret, and a
            // salt of its own, so that every replica makes and accepts the same tokens.
            let first = sha2::Sha512::digest(secret.as_bytes());
            let second = sha2::Sha512::digest(first);
            let material = [first.as_slice(), second.as_slice()].concat();
            if let Ok(key) = axum_csrf::Key::try_from(material.as_slice()) {
                csrf = csrf
                    .with_key(Some(key))
                    .with_salt(hex::encode(sha2::Sha256::digest(&material)));
            }
        }
        Self {
            csrf,
            per_client: Arc::new(governor::RateLimiter::keyed(quota(
                settings.logins_per_minute_per_client,
            ))),
            per_user: Arc::new(governor::RateLimiter::keyed(quota(
                settings.logins_per_minute_per_user,
            ))),
            secure,
            settings,
        }
    }
}

impl FromRef<AppContext> for CsrfConfig {
    fn from_ref(ctx: &AppContext) -> Self {
        ctx.console.csrf.clone()
    }
}

/// The console routes with their session, sign-in and header layers.
pub fn routes(ctx: &AppContext) -> Router<AppContext> {
    let state = &ctx.console;
    let sessions = SessionManagerLayer::new(auth::SessionStore::new(ctx.store.clone()))
        .with_name(SESSION_COOKIE)
        .with_path("/console")
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(state.secure)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(state.settings.session_idle)
                .unwrap_or(time::Duration::hours(1)),
        ));
    let auth_layer =
        AuthManagerLayerBuilder::new(auth::Backend::new(ctx.store.clone()), sessions).build();
    Router::new()
        .merge(signin::routes())
        .merge(account::routes())
        .merge(users::routes())
        .merge(audit::routes())
        .merge(health::routes())
        .merge(alerts::routes())
        .merge(goals::routes())
        .merge(events::routes())
        .merge(uploads::routes())
        .fallback(not_found)
        .layer(auth_layer)
        .layer(axum::middleware::from_fn(private_headers))
}

/// Console answers are private: never stored, and their addresses (which name accounts, runs
/// and uploads) are not sent to other sites. The headers every answer gets (the content
/// security policy, no framing, nosniff, HSTS) come from [`crate::security`]; it keeps this
/// stricter referrer policy.
async fn private_headers(request: Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The request's language: the session's choice, else the browser's first preference, else
/// Dutch.
async fn request_locale(parts: &Parts, session: Option<&Session>) -> Locale {
    if let Some(session) = session
        && let Ok(Some(code)) = session.get::<String>(LOCALE_KEY).await
        && let Some(locale) = Locale::parse(&code)
    {
        return locale;
    }
    parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .and_then(|first| Locale::parse(first.trim().get(..2).unwrap_or_default()))
        .unwrap_or_default()
}

/// What every console page needs: the page frame's parts without a signed-in user.
pub struct Chrome {
    /// Language.
    pub locale: Locale,
    /// CSRF token for forms.
    pub csrf: String,
    token: CsrfToken,
    session: Session,
    stylesheets: Vec<String>,
    path: String,
}

impl FromRequestParts<AppContext> for Chrome {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ctx: &AppContext) -> Result<Self, Response> {
        let session = Session::from_request_parts(parts, ctx)
            .await
            .map_err(|(status, text)| (status, text).into_response())?;
        let token = CsrfToken::from_request_parts(parts, ctx)
            .await
            .map_err(IntoResponse::into_response)?;
        let csrf = token
            .authenticity_token()
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
        let locale = request_locale(parts, Some(&session)).await;
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/console".to_owned(), |p| p.as_str().to_owned());
        Ok(Self {
            locale,
            csrf,
            token,
            session,
            stylesheets: vec![
                ctx.assets.css_href.clone(),
                ctx.assets.console_css_href.clone(),
            ],
            path,
        })
    }
}

impl Chrome {
    /// Renders a page (no signed-in user shown) with `status`.
    pub async fn page_as(
        &self,
        status: StatusCode,
        user: Option<&auth::User>,
        title: String,
        nav: Nav,
        body: AnyView,
        refresh_seconds: Option<u32>,
    ) -> Response {
        let flash = self.session.remove::<Flash>(FLASH_KEY).await.ok().flatten();
        let frame = Frame {
            locale: self.locale,
            stylesheets: self.stylesheets.clone(),
            user: user.map(|u| SignedIn {
                username: u.username.clone(),
                role: u.role.as_str().to_owned(),
                admin: u.can(Role::Admin),
                csrf: self.csrf.clone(),
            }),
            nav,
            flash,
            path: self.path.clone(),
            refresh_seconds,
        };
        let html = app::console::render_page(frame, title, body);
        (
            status,
            self.token.clone(),
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response()
    }

    /// A 303 redirect to `to` that shows `flash` on the next page.
    pub async fn redirect(&self, to: &str, flash: Flash) -> Response {
        if let Err(e) = self.session.insert(FLASH_KEY, flash).await {
            tracing::warn!(error.message = %e, "could not keep a flash message");
        }
        Redirect::to(to).into_response()
    }

    /// The session (for sign-in and language).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Checks a submitted CSRF token (multipart forms read it themselves).
    #[allow(
        clippy::result_large_err,
        reason = "the refusal page is the answer; handlers return it as it is"
    )]
    pub fn check_csrf(&self, submitted: &str) -> Result<(), Response> {
        self.token.verify(submitted).map_err(|_| {
            // The page's own frame and styles, without the session's user or flash (this check
            // is synchronous); the response renews the CSRF cookie so a reload works.
            let frame = Frame {
                locale: self.locale,
                stylesheets: self.stylesheets.clone(),
                user: None,
                nav: Nav::None,
                flash: None,
                path: self.path.clone(),
                refresh_seconds: None,
            };
            let text = i18n::t(self.locale, "console-csrf-failed");
            let body = leptos::view! { <p>{text}</p> }.into_any();
            let title = i18n::t(self.locale, "console-name");
            let html = app::console::render_page(frame, title, body);
            (
                StatusCode::FORBIDDEN,
                self.token.clone(),
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                html,
            )
                .into_response()
        })
    }

    /// A refusal page (401/403/404) with the frame.
    pub async fn refuse(
        &self,
        status: StatusCode,
        user: Option<&auth::User>,
        text: String,
    ) -> Response {
        let locale = self.locale;
        let body = leptos::view! {
            <app::console::Refusal locale text signed_in=user.is_some() />
        }
        .into_any();
        let title = i18n::t(
            locale,
            match status {
                StatusCode::UNAUTHORIZED => "console-sign-in",
                StatusCode::NOT_FOUND => "console-not-found",
                _ => "console-name",
            },
        );
        self.page_as(status, user, title, Nav::None, body, None)
            .await
    }
}

/// A signed-in user with the page frame: what every console handler works with.
pub struct Console {
    /// Who is signed in.
    pub user: auth::User,
    /// Language of the page.
    pub locale: Locale,
    /// CSRF token to put in forms (`<input type="hidden" name="csrf">`).
    pub csrf: String,
    chrome: Chrome,
}

impl Console {
    /// Renders a page of the console with the signed-in frame.
    pub async fn page(&self, title: String, nav: Nav, body: AnyView) -> Response {
        self.chrome
            .page_as(StatusCode::OK, Some(&self.user), title, nav, body, None)
            .await
    }

    /// [`Console::page`] that reloads itself every `seconds` (a page following a running job).
    pub async fn page_refreshing(
        &self,
        title: String,
        nav: Nav,
        body: AnyView,
        seconds: u32,
    ) -> Response {
        self.chrome
            .page_as(
                StatusCode::OK,
                Some(&self.user),
                title,
                nav,
                body,
                Some(seconds),
            )
            .await
    }

    /// [`Console::page`] with another status (a form re-shown with errors: 422).
    pub async fn page_with_status(
        &self,
        status: StatusCode,
        title: String,
        nav: Nav,
        body: AnyView,
    ) -> Response {
        self.chrome
            .page_as(status, Some(&self.user), title, nav, body, None)
            .await
    }

    /// A 303 redirect that shows `flash` on the next page.
    pub async fn redirect(&self, to: &str, flash: Flash) -> Response {
        self.chrome.redirect(to, flash).await
    }

    /// A 404 page in the frame.
    pub async fn not_found(&self) -> Response {
        self.chrome
            .refuse(
                StatusCode::NOT_FOUND,
                Some(&self.user),
                i18n::t(self.locale, "console-not-found"),
            )
            .await
    }

    /// The text with this key in the page's language.
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.locale, key)
    }

    /// The text with this key and arguments in the page's language.
    pub fn t_args(&self, key: &str, args: &[(&'static str, String)]) -> String {
        i18n::t_args(self.locale, key, args)
    }

    async fn require(parts: &mut Parts, ctx: &AppContext, role: Role) -> Result<Self, Response> {
        let chrome = Chrome::from_request_parts(parts, ctx).await?;
        let auth = AuthSession::from_request_parts(parts, ctx)
            .await
            .map_err(|(status, text)| (status, text).into_response())?;
        let Some(user) = auth.user else {
            if parts.method == Method::GET || parts.method == Method::HEAD {
                let next = chrome.path.clone();
                let to = format!(
                    "/console/login?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return Err(Redirect::to(&to).into_response());
            }
            let text = i18n::t(chrome.locale, "console-unauthenticated");
            return Err(chrome.refuse(StatusCode::UNAUTHORIZED, None, text).await);
        };
        if !user.can(role) {
            let text = i18n::t_args(
                chrome.locale,
                "console-forbidden",
                &[(
                    "role",
                    i18n::t(chrome.locale, &format!("console-role-{}", user.role)),
                )],
            );
            return Err(chrome
                .refuse(StatusCode::FORBIDDEN, Some(&user), text)
                .await);
        }
        Ok(Self {
            locale: chrome.locale,
            csrf: chrome.csrf.clone(),
            user,
            chrome,
        })
    }
}

/// Checks the CSRF token of a multipart form (read the `csrf` field first).
#[allow(
    clippy::result_large_err,
    reason = "the refusal page is the answer; handlers return it as it is"
)]
pub fn check_csrf(console: &Console, submitted: &str) -> Result<(), Response> {
    console.chrome.check_csrf(submitted)
}

macro_rules! role_extractor {
    ($name:ident, $role:expr, $doc:literal) => {
        #[doc = $doc]
        pub struct $name(pub Console);

        impl Deref for $name {
            type Target = Console;
            fn deref(&self) -> &Console {
                &self.0
            }
        }

        impl FromRequestParts<AppContext> for $name {
            type Rejection = Response;

            async fn from_request_parts(
                parts: &mut Parts,
                ctx: &AppContext,
            ) -> Result<Self, Response> {
                Console::require(parts, ctx, $role).await.map(Self)
            }
        }
    };
}

role_extractor!(
    Viewer,
    Role::Viewer,
    "A signed-in user with any role (viewer, editor or admin)."
);
role_extractor!(
    Editor,
    Role::Editor,
    "A signed-in editor or admin: may change targets, events, annotations and data."
);
role_extractor!(
    Admin,
    Role::Admin,
    "A signed-in admin: may manage accounts, sources, runs and alerts."
);

/// The largest urlencoded console form accepted.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// A urlencoded form whose `csrf` field matches the request's CSRF cookie; yields `T` read from
/// the same body (unknown fields ignored).
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

impl<T> FromRequest<AppContext> for CsrfForm<T>
where
    T: serde::de::DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, ctx: &AppContext) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let chrome = Chrome::from_request_parts(&mut parts, ctx).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE.into_response())?;
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes).unwrap_or(CsrfField {
            csrf: String::new(),
        });
        chrome.check_csrf(&field.csrf)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| {
                (
                    StatusCode::BAD_REQUEST,
                    format!("the form could not be read: {e}"),
                )
                    .into_response()
            })
    }
}

async fn not_found(chrome: Chrome, auth: AuthSession) -> Response {
    let text = i18n::t(chrome.locale, "console-not-found");
    chrome
        .refuse(StatusCode::NOT_FOUND, auth.user.as_ref(), text)
        .await
}

/// Runs something as a view for [`Console::page`].
pub fn body(view: impl IntoView + 'static) -> AnyView {
    view.into_any()
}

/// Checks the alert conditions in the background after a change made in the console (a new
/// target can change a goal's status; an upload can revise figures), so the page does not wait
/// for webhook deliveries.
pub fn check_alerts_soon(ctx: &AppContext) {
    let ingestor = ctx.ingestor.clone();
    tokio::spawn(async move {
        ingestor.check_alerts().await;
    });
}

/// A form with nothing but its CSRF token (sign out, run now, send a test).
#[derive(Debug, serde::Deserialize)]
pub struct NoFields {}

/// Writes an audit entry; a failure is logged, never shown (the change itself succeeded).
pub async fn audit(
    ctx: &AppContext,
    console: &Console,
    action: &str,
    subject: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) {
    audit_as(ctx, &console.user.username, action, subject, before, after).await;
}

/// [`audit`] for an actor who is not signed in yet (a sign-in).
pub async fn audit_as(
    ctx: &AppContext,
    actor: &str,
    action: &str,
    subject: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) {
    let entry = store::NewAudit {
        actor,
        action,
        subject,
        before,
        after,
    };
    if let Err(e) = ctx.store.audit(entry).await {
        tracing::error!(error.message = %e, action, subject, "could not write the audit log");
    }
}
