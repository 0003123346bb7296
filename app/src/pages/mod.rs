//! The pages. They render on the server only (islands mode), from data the server functions
//! return already translated; layout and headings come from the `i18n` texts.

mod api_docs;
mod layout;
mod overview;
mod series;
mod statement;
mod topic;

pub use api_docs::ApiPage;
pub use layout::{ErrorView, Layout, NotFound};
#[cfg(feature = "ssr")]
pub use overview::GoalCardView;
pub use overview::OverviewPage;
pub use series::{SeriesListPage, SeriesPage};
pub use statement::AccessibilityStatement;
pub use topic::TopicPageView;

use domain::Locale;
use leptos::prelude::*;

/// The text with this key in the page's language.
pub(crate) fn tr(locale: Locale, key: &str) -> String {
    i18n::t(locale, key)
}

/// The language of the current page.
pub(crate) fn page_locale() -> Locale {
    let location = leptos_router::hooks::use_location();
    Locale::from_path(&location.pathname.get_untracked())
}
