//! Accounts (admins): the list, a form to add one, and per account its role, state and a new
//! password.

use super::{CsrfField, tr, when};
use domain::Locale;
use leptos::prelude::*;

/// An account as the list shows it.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Row id.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
    /// Whether it may sign in.
    pub active: bool,
    /// When it was made (epoch ms).
    pub created_at: i64,
}

const ROLES: [&str; 3] = ["viewer", "editor", "admin"];

fn role_options(locale: Locale, selected: &str) -> impl IntoView + use<> {
    ROLES
        .iter()
        .map(|r| {
            let is_selected = *r == selected;
            view! { <option value=*r selected=is_selected>{tr(locale, &format!("console-role-{r}"))}</option> }
        })
        .collect_view()
}

/// The accounts page.
#[component]
pub fn UsersPage(locale: Locale, csrf: String, users: Vec<UserRow>, me: i64) -> impl IntoView {
    let rows = users
        .into_iter()
        .map(|u| {
            let state = if u.active { "console-user-active" } else { "console-user-inactive" };
            let role_id = format!("role-{}", u.id);
            let active_id = format!("active-{}", u.id);
            let pw_id = format!("password-{}", u.id);
            let action = format!("/console/users/{}", u.id);
            let pw_action = format!("/console/users/{}/password", u.id);
            let you = (u.id == me).then(|| view! { <span class="hint">" "{tr(locale, "console-user-you")}</span> });
            view! {
                <tr>
                    <th scope="row">{u.username.clone()}{you}</th>
                    <td>{tr(locale, &format!("console-role-{}", u.role))}</td>
                    <td>{tr(locale, state)}</td>
                    <td>{when(locale, u.created_at)}</td>
                    <td>
                        <form method="post" action=action class="inline-form">
                            <CsrfField token=csrf.clone() />
                            <label for=role_id.clone() class="visually-hidden">{format!("{} {}", tr(locale, "console-role"), u.username)}</label>
                            <select id=role_id name="role">{role_options(locale, &u.role)}</select>
                            <span class="check">
                                <input type="checkbox" id=active_id.clone() name="active" value="1" checked=u.active />
                                <label for=active_id>{tr(locale, "console-user-may-sign-in")}</label>
                            </span>
                            <button type="submit">{tr(locale, "console-save")}</button>
                        </form>
                        <form method="post" action=pw_action class="inline-form">
                            <CsrfField token=csrf.clone() />
                            <label for=pw_id.clone()>{tr(locale, "console-new-password")}</label>
                            <input type="password" id=pw_id name="password" autocomplete="new-password" minlength="12" required />
                            <button type="submit">{tr(locale, "console-set-password")}</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="users-caption">
            <table>
                <caption id="users-caption">{tr(locale, "console-users-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "console-username")}</th>
                        <th scope="col">{tr(locale, "console-role")}</th>
                        <th scope="col">{tr(locale, "console-user-state")}</th>
                        <th scope="col">{tr(locale, "console-created")}</th>
                        <th scope="col">{tr(locale, "console-change")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <h2>{tr(locale, "console-user-add")}</h2>
        <form method="post" action="/console/users" class="console-form narrow">
            <CsrfField token=csrf />
            <div class="field">
                <label for="new-username">{tr(locale, "console-username")}</label>
                <input id="new-username" name="username" type="text" autocomplete="off" required />
            </div>
            <div class="field">
                <label for="new-role">{tr(locale, "console-role")}</label>
                <select id="new-role" name="role">{role_options(locale, "viewer")}</select>
            </div>
            <div class="field">
                <label for="new-password">{tr(locale, "console-first-password")}</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password" minlength="12" required aria-describedby="new-password-hint" />
                <span class="hint" id="new-password-hint">{tr(locale, "console-password-hint")}</span>
            </div>
            <button type="submit">{tr(locale, "console-user-add")}</button>
        </form>
    }
}
