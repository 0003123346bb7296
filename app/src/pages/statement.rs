//! The accessibility statement (toegankelijkheidsverklaring) that Dutch government sites must
//! publish: status, what is tested and how, known limitations, how to report a problem.

use super::{Layout, page_locale, tr};
use leptos::prelude::*;

/// `/toegankelijkheid` (and `/en/toegankelijkheid`, `/en/accessibility`).
#[component]
pub fn AccessibilityStatement() -> impl IntoView {
    let locale = page_locale();
    let list = move |prefix: &'static str, n: usize| {
        view! { <ul>{(1..=n).map(|i| view! { <li>{tr(locale, &format!("{prefix}-{i}"))}</li> }).collect_view()}</ul> }
    };
    view! {
        <Layout locale title=tr(locale, "a11y-title")>
            <h1>{tr(locale, "a11y-title")}</h1>
            <p class="lead">{tr(locale, "a11y-intro")}</p>
            <h2>{tr(locale, "a11y-status-heading")}</h2>
            <p>{tr(locale, "a11y-status")}</p>
            <h2>{tr(locale, "a11y-tested-heading")}</h2>
            {list("a11y-tested", 4)}
            <h2>{tr(locale, "a11y-design-heading")}</h2>
            {list("a11y-design", 4)}
            <h2>{tr(locale, "a11y-limits-heading")}</h2>
            {list("a11y-limit", 3)}
            <h2>{tr(locale, "a11y-contact-heading")}</h2>
            <p>{tr(locale, "a11y-contact")}</p>
            <p class="table-note">{tr(locale, "a11y-date")}</p>
        </Layout>
    }
}
