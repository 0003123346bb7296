//! The monitoring console's HTML: the document frame ([`render_page`]) and, per area, Leptos
//! components that take plain data. Handlers in the server crate (`server::console`) load the
//! data, check the role and CSRF token, and pass a component to [`render_page`].
//!
//! Every console page works without JavaScript: forms post and the server answers with a
//! redirect and a flash message (post/redirect/get).

pub mod account;
pub mod alerts;
pub mod audit;
pub mod events;
pub mod goals;
pub mod health;
pub mod uploads;
pub mod users;

use domain::Locale;
use leptos::prelude::*;

/// The text with this key in `locale`.
pub fn tr(locale: Locale, key: &str) -> String {
    i18n::t(locale, key)
}

/// The text with this key and arguments in `locale`.
pub fn tr_args(locale: Locale, key: &str, args: &[(&'static str, String)]) -> String {
    i18n::t_args(locale, key, args)
}

/// The console's sections, for the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Ingestion health (the start page).
    Health,
    /// Goals: baselines, targets, versions.
    Goals,
    /// Events and annotations.
    Events,
    /// Manual data uploads.
    Uploads,
    /// Webhook alerts.
    Alerts,
    /// Accounts (admins).
    Users,
    /// Audit log (admins).
    Audit,
    /// The signed-in user's own account.
    Account,
    /// Pages outside the sections (sign-in, errors).
    None,
}

impl Nav {
    fn entries() -> [(Nav, &'static str, &'static str, bool); 7] {
        // (section, href, text key, admins only)
        [
            (Nav::Health, "/console", "console-nav-health", false),
            (Nav::Goals, "/console/goals", "console-nav-goals", false),
            (Nav::Events, "/console/events", "console-nav-events", false),
            (
                Nav::Uploads,
                "/console/uploads",
                "console-nav-uploads",
                false,
            ),
            (Nav::Alerts, "/console/alerts", "console-nav-alerts", false),
            (Nav::Users, "/console/users", "console-nav-users", true),
            (Nav::Audit, "/console/audit", "console-nav-audit", true),
        ]
    }
}

/// A one-time message shown on the page after a redirect.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Flash {
    /// Whether it reports a failure.
    pub error: bool,
    /// The message.
    pub text: String,
}

impl Flash {
    /// A success message.
    pub fn ok(text: impl Into<String>) -> Self {
        Self {
            error: false,
            text: text.into(),
        }
    }

    /// A failure message.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            error: true,
            text: text.into(),
        }
    }
}

/// Who is signed in, as the frame shows it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Sign-in name.
    pub username: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
    /// Whether the user is an administrator (sees Users and Audit).
    pub admin: bool,
    /// CSRF token for the sign-out form.
    pub csrf: String,
}

/// Everything around a page's own content.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Language of the page.
    pub locale: Locale,
    /// Stylesheets (hashed URLs): the site's, then the console's.
    pub stylesheets: Vec<String>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn>,
    /// The current section.
    pub nav: Nav,
    /// A message from the previous step.
    pub flash: Option<Flash>,
    /// Path and query of this page (for the language switch).
    pub path: String,
    /// Extra `<meta http-equiv="refresh">` seconds (a page that follows a running job).
    pub refresh_seconds: Option<u32>,
}

/// The whole HTML document of a console page.
pub fn render_page(frame: Frame, title: String, body: AnyView) -> String {
    let owner = Owner::new();
    owner.with(|| {
        let locale = frame.locale;
        let other = locale.other();
        let full_title = format!("{title} – {}", tr(locale, "console-name"));
        let switch = format!(
            "/console/language?to={}&next={}",
            other.code(),
            form_urlencoded::byte_serialize(frame.path.as_bytes()).collect::<String>()
        );
        let nav = frame.nav;
        let user = frame.user.clone();
        let refresh = frame
            .refresh_seconds
            .map(|s| view! { <meta http-equiv="refresh" content=s.to_string() /> });
        let links = user.clone().map(|u| {
            let items = Nav::entries()
                .into_iter()
                .filter(|(_, _, _, admin_only)| !admin_only || u.admin)
                .map(|(section, href, key, _)| {
                    let current = (section == nav).then_some("page");
                    view! { <li><a href=href aria-current=current>{tr(locale, key)}</a></li> }
                })
                .collect_view();
            view! {
                <nav aria-label=tr(locale, "console-nav-label") class="console-nav">
                    <ul>{items}</ul>
                </nav>
            }
        });
        let account = user.map(|u| {
            view! {
                <div class="console-user">
                    <a href="/console/account" aria-current=(nav == Nav::Account).then_some("page")>
                        {u.username.clone()}
                    </a>
                    <span class="role-badge">{tr(locale, &format!("console-role-{}", u.role))}</span>
                    <form method="post" action="/console/logout" class="inline">
                        <input type="hidden" name="csrf" value=u.csrf />
                        <button type="submit" class="link-button">{tr(locale, "console-sign-out")}</button>
                    </form>
                </div>
            }
        });
        let flash = frame.flash.map(|f| {
            let class = if f.error { "flash flash-error" } else { "flash flash-ok" };
            let role = if f.error { "alert" } else { "status" };
            view! { <p class=class role=role>{f.text}</p> }
        });
        let styles = frame
            .stylesheets
            .into_iter()
            .map(|href| view! { <link rel="stylesheet" href=href /> })
            .collect_view();
        view! {
            <!DOCTYPE html>
            <html lang=locale.code()>
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <meta name="robots" content="noindex" />
                    {refresh}
                    <title>{full_title}</title>
                    {styles}
                    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                </head>
                <body class="console">
                    <a class="skip-link" href="#main">{tr(locale, "skip-to-content")}</a>
                    <header class="site-header console-header">
                        <div class="wrap header-inner">
                            <a class="brand" href="/console">
                                <span class="brand-name">{tr(locale, "console-name")}</span>
                                <span class="brand-tagline">{tr(locale, "console-tagline")}</span>
                            </a>
                            {account}
                            <a class="console-lang" href=switch hreflang=other.code() lang=other.code()>
                                {tr(locale, "language-switch")}
                            </a>
                        </div>
                        <div class="wrap">{links}</div>
                    </header>
                    <main id="main" tabindex="-1" class="wrap">
                        {flash}
                        <h1>{title}</h1>
                        {body}
                    </main>
                    <footer class="site-footer">
                        <div class="wrap">
                            <p><a href=if locale == Locale::En { "/en" } else { "/" }>{tr(locale, "console-public-site")}</a></p>
                        </div>
                    </footer>
                </body>
            </html>
        }
        .to_html()
    })
}

/// A hidden CSRF field for a form.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token /> }
}

/// A date and time (epoch ms) for console tables: `24-11-2026 22:05 UTC`.
pub fn when(locale: Locale, epoch_ms: i64) -> String {
    i18n::format_timestamp(locale, epoch_ms)
}

/// The sign-in page body.
#[component]
pub fn SignInForm(
    locale: Locale,
    csrf: String,
    next: String,
    username: String,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.is_some().then_some("true");
    let error = error.map(|e| {
        view! { <p class="flash flash-error" role="alert" id="signin-error">{e}</p> }
    });
    view! {
        {error}
        <form method="post" action="/console/login" class="console-form narrow">
            <CsrfField token=csrf />
            <input type="hidden" name="next" value=next />
            <div class="field">
                <label for="username">{tr(locale, "console-username")}</label>
                <input id="username" name="username" type="text" autocomplete="username"
                    required value=username aria-invalid=invalid aria-describedby=invalid.map(|_| "signin-error") />
            </div>
            <div class="field">
                <label for="password">{tr(locale, "console-password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password"
                    required aria-invalid=invalid aria-describedby=invalid.map(|_| "signin-error") />
            </div>
            <button type="submit">{tr(locale, "console-sign-in")}</button>
        </form>
        <p class="hint">{tr(locale, "console-sign-in-hint")}</p>
    }
}

/// The body of a 401/403/404 page.
#[component]
pub fn Refusal(locale: Locale, text: String, signed_in: bool) -> impl IntoView {
    view! {
        <p>{text}</p>
        {(!signed_in).then(|| view! { <p><a href="/console/login">{tr(locale, "console-sign-in")}</a></p> })}
        {signed_in.then(|| view! { <p><a href="/console">{tr(locale, "console-back-home")}</a></p> })}
    }
}
