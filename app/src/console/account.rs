//! The signed-in user's own account: change the password.

use super::{CsrfField, tr};
use domain::Locale;
use leptos::prelude::*;

/// The account page.
#[component]
pub fn AccountPage(locale: Locale, csrf: String, username: String, role: String) -> impl IntoView {
    view! {
        <dl class="facts">
            <div><dt>{tr(locale, "console-username")}</dt><dd>{username}</dd></div>
            <div><dt>{tr(locale, "console-role")}</dt><dd>{tr(locale, &format!("console-role-{role}"))}</dd></div>
        </dl>
        <h2>{tr(locale, "console-change-password")}</h2>
        <form method="post" action="/console/account/password" class="console-form narrow">
            <CsrfField token=csrf />
            <div class="field">
                <label for="current">{tr(locale, "console-current-password")}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required />
            </div>
            <div class="field">
                <label for="password">{tr(locale, "console-new-password")}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required aria-describedby="password-hint" />
                <span class="hint" id="password-hint">{tr(locale, "console-password-hint")}</span>
            </div>
            <button type="submit">{tr(locale, "console-change-password")}</button>
        </form>
    }
}
