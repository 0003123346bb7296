//! Koers web UI: Leptos in islands mode. Pages are rendered on the server (complete HTML, so
//! everything works without JavaScript); only the series explorer is hydrated in the browser.
//!
//! Dutch pages live at `/`, English ones under `/en`. Every text comes from the `i18n` crate on
//! the server, so the wasm bundle carries no texts.

#![recursion_limit = "256"]

pub mod api;
#[cfg(feature = "ssr")]
pub mod console;
pub mod error;
pub mod islands;
pub mod model;
mod pages;
pub mod query;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use error::AppError;

use domain::Locale;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// Where the shell finds the stylesheet (a content-hashed URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// URL of the stylesheet.
    pub css_href: String,
    /// Whether the hydration bundle is available (built with scripts/build-site.sh).
    pub has_wasm: bool,
}

/// The HTML document around every page.
pub fn shell(options: LeptosOptions, assets: Assets) -> impl IntoView {
    let locale = current_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=assets.css_href />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {assets.has_wasm.then(|| view! { <HydrationScripts options islands=true /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The language of the page being rendered, from its path.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>() {
            return Locale::from_path(parts.uri.path());
        }
    }
    Locale::default()
}

/// The routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <FlatRoutes fallback=pages::NotFound>
                <Route path=StaticSegment("") view=pages::OverviewPage ssr=SsrMode::Async />
                <Route path=StaticSegment("en") view=pages::OverviewPage ssr=SsrMode::Async />
                <Route path=StaticSegment("series") view=pages::SeriesListPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("series")) view=pages::SeriesListPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("series"), ParamSegment("id")) view=pages::SeriesPage ssr=SsrMode::Async />
                <Route path=StaticSegment("toegankelijkheid") view=pages::AccessibilityStatement ssr=SsrMode::Async />
                <Route path=StaticSegment("api") view=pages::ApiPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("api")) view=pages::ApiPage ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("toegankelijkheid")) view=pages::AccessibilityStatement ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("accessibility")) view=pages::AccessibilityStatement ssr=SsrMode::Async />
                <Route path=StaticSegment("housing") view=|| view! { <pages::TopicPageView topic="housing" /> } ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("housing")) view=|| view! { <pages::TopicPageView topic="housing" /> } ssr=SsrMode::Async />
                <Route path=StaticSegment("een-thuis-voor-iedereen") view=|| view! { <pages::TopicPageView topic="groups" /> } ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("een-thuis-voor-iedereen")) view=|| view! { <pages::TopicPageView topic="groups" /> } ssr=SsrMode::Async />
                <Route path=StaticSegment("countries") view=|| view! { <pages::TopicPageView topic="countries" /> } ssr=SsrMode::Async />
                <Route path=(StaticSegment("en"), StaticSegment("countries")) view=|| view! { <pages::TopicPageView topic="countries" /> } ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("en"), StaticSegment("series"), ParamSegment("id"))
                    view=pages::SeriesPage
                    ssr=SsrMode::Async
                />
            </FlatRoutes>
        </Router>
    }
}
