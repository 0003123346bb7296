//! Page frame: skip link, header with navigation and language switch, main, footer; and the
//! error pages, which keep the navigation.

use super::{page_locale, tr};
use crate::AppError;
use domain::Locale;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

/// The frame around every page.
#[component]
pub fn Layout(locale: Locale, title: String, children: Children) -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let other = locale.other();
    let switch_href = format!(
        "{}{}",
        other.localize_path(&path),
        if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        }
    );
    let home = if locale == Locale::En {
        "/en".to_owned()
    } else {
        "/".to_owned()
    };
    let series = format!("{}/series", locale.prefix());
    let housing = format!("{}/housing", locale.prefix());
    let groups = format!("{}/een-thuis-voor-iedereen", locale.prefix());
    let countries = format!("{}/countries", locale.prefix());
    let current = |href: &str| (path == href).then_some("page");
    let full_title = format!("{title} – {}", tr(locale, "site-name"));
    view! {
        <Title text=full_title />
        <Meta name="description" content=tr(locale, "site-description") />
        <a class="skip-link" href="#main">{tr(locale, "skip-to-content")}</a>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href=home.clone()>
                    <span class="brand-name">{tr(locale, "site-name")}</span>
                    <span class="brand-tagline">{tr(locale, "site-tagline")}</span>
                </a>
                <nav aria-label=tr(locale, "nav-label")>
                    <ul>
                        <li><a href=home.clone() aria-current=current(&home)>{tr(locale, "nav-overview")}</a></li>
                        <li><a href=housing.clone() aria-current=current(&housing)>{tr(locale, "nav-housing")}</a></li>
                        <li><a href=groups.clone() aria-current=current(&groups)>{tr(locale, "nav-groups")}</a></li>
                        <li><a href=countries.clone() aria-current=current(&countries)>{tr(locale, "nav-countries")}</a></li>
                        <li><a href=series.clone() aria-current=current(&series)>{tr(locale, "nav-series")}</a></li>
                        <li>
                            <a href=switch_href hreflang=other.code() lang=other.code() aria-label=tr(locale, "language-switch-label")>
                                {tr(locale, "language-switch")}
                            </a>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" class="wrap" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{tr(locale, "footer-data")}</p>
                <p>{tr(locale, "footer-made")}</p>
                <p><a href=format!("{}/toegankelijkheid", locale.prefix())>{tr(locale, "a11y-title")}</a></p>
                <p><a href=format!("{}/api", locale.prefix())>{tr(locale, "api-nav")}</a></p>
            </div>
        </footer>
    }
}

/// An error inside a page: a friendly message, the right HTTP status, navigation kept.
#[component]
pub fn ErrorView(locale: Locale, error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(error.status());
    let (title, body) = match &error {
        AppError::NotFound(msg) => (tr(locale, "error-not-found-title"), msg.clone()),
        AppError::InvalidInput(msg) => (tr(locale, "error-bad-request-title"), msg.clone()),
        AppError::Unavailable | AppError::Internal => (
            tr(locale, "error-internal-title"),
            tr(locale, "error-internal-body"),
        ),
    };
    let home = if locale == Locale::En { "/en" } else { "/" };
    view! {
        <Title text=format!("{title} – {}", tr(locale, "site-name")) />
        <section class="error-page" aria-labelledby="error-title">
            <h1 id="error-title">{title}</h1>
            <p>{body}</p>
            <p><a href=home>{tr(locale, "error-back-home")}</a></p>
        </section>
    }
}

/// The page for unknown paths (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = page_locale();
    let error = AppError::NotFound(tr(locale, "error-not-found-body"));
    view! {
        <Layout locale title=tr(locale, "error-not-found-title")>
            <ErrorView locale error />
        </Layout>
    }
}
