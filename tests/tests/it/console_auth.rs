//! The console's sign-in, sessions, roles, CSRF protection, accounts and audit log.

use auth::Role;
use std::time::Duration;
use tests::{TEST_PASSWORD, spawn_app, spawn_app_with};

/// Every console route in the server's source with the methods it answers: scanned from
/// `.route("/console…", get(…).post(…))`, so a new route is covered without editing this test.
fn console_routes() -> Vec<(String, Vec<&'static str>)> {
    let mut routes = Vec::new();
    for file in tests::server_source_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        for (i, _) in text.match_indices(".route(") {
            let rest = text[i + ".route(".len()..].trim_start();
            let Some(literal) = rest.strip_prefix('"') else {
                continue;
            };
            let Some(end) = literal.find('"') else {
                continue;
            };
            let path = &literal[..end];
            if !path.starts_with("/console") {
                continue;
            }
            // The method router: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let mut stop = literal.len();
            for (j, c) in literal[end..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            stop = end + j;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let methods_text = &literal[end..stop];
            let mut methods = Vec::new();
            if methods_text.contains("get(") {
                methods.push("GET");
            }
            if methods_text.contains("post(") {
                methods.push("POST");
            }
            routes.push((path.to_owned(), methods));
        }
    }
    routes.sort();
    routes
}

/// A concrete path for a route pattern (`{id}` → `1`).
fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                "1".to_owned()
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Routes anyone may use: signing in and choosing the language.
const PUBLIC_ROUTES: [&str; 2] = ["/console/login", "/console/language"];

#[tokio::test]
async fn an_anonymous_visitor_sees_no_console_page_and_changes_nothing() {
    let app = spawn_app().await;
    let routes = console_routes();
    assert!(
        routes.len() >= 8,
        "the scan found too few console routes: {routes:?}"
    );
    let anonymous = app.anonymous();
    for (pattern, methods) in &routes {
        if PUBLIC_ROUTES.contains(&pattern.as_str()) {
            continue;
        }
        let path = concrete(pattern);
        for method in methods {
            let response = match *method {
                "GET" => anonymous.get(&path).await,
                _ => anonymous.post_form(&path, &[]).await,
            };
            let status = response.status().as_u16();
            if *method == "GET" {
                assert_eq!(status, 303, "GET {path}");
                let location = response.headers()["location"].to_str().unwrap_or_default();
                assert!(
                    location.starts_with("/console/login?next=%2Fconsole"),
                    "GET {path} → {location}"
                );
            } else {
                assert_eq!(status, 401, "POST {path}");
            }
        }
    }
    // Nothing was written on the way.
    let audit = app.ctx.store.list_audit(&Default::default()).await;
    assert_eq!(audit.map(|a| a.len()).ok(), Some(0));
    app.stop().await;
}

#[tokio::test]
async fn viewers_and_editors_cannot_reach_admin_pages_and_viewers_cannot_post_anything() {
    let app = spawn_app().await;
    let viewer = app.console_user(Role::Viewer).await;
    let editor = app.console_user(Role::Editor).await;
    let admin = app.console_user(Role::Admin).await;
    for path in ["/console/users", "/console/audit"] {
        assert_eq!(viewer.get(path).await.status(), 403, "viewer GET {path}");
        assert_eq!(editor.get(path).await.status(), 403, "editor GET {path}");
        assert_eq!(admin.get(path).await.status(), 200, "admin GET {path}");
    }
    let (status, html) = viewer.get_text("/console/users").await;
    assert_eq!(status, 403);
    assert!(html.contains("Uw rol (Lezer) mag dit niet"), "{html}");
    // A viewer's POST to any console route that changes data is refused with 403 (or 404 for
    // an object that does not exist, never a change).
    for (pattern, methods) in console_routes() {
        if !methods.contains(&"POST")
            || PUBLIC_ROUTES.contains(&pattern.as_str())
            || pattern == "/console/logout"
            || pattern.starts_with("/console/account")
        {
            continue;
        }
        let path = concrete(&pattern);
        let status = viewer.post_form(&path, &[]).await.status().as_u16();
        assert_eq!(status, 403, "viewer POST {path}");
    }
    // Admin-only POSTs are refused to editors too.
    for path in [
        "/console/users",
        "/console/users/1",
        "/console/users/1/password",
    ] {
        let status = editor.post_form(path, &[]).await.status().as_u16();
        assert_eq!(status, 403, "editor POST {path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn signing_in_sets_a_hardened_session_cookie_and_a_new_session_id() {
    let app = spawn_app().await;
    auth::create_user(&app.ctx.store, "anna", TEST_PASSWORD, Role::Editor)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = app.anonymous();
    // Wrong password: 401, the form again with the message, and no session.
    let wrong = client.sign_in("anna", "not the password").await;
    assert_eq!(wrong.status(), 401);
    let html = wrong.text().await.unwrap_or_default();
    assert!(
        html.contains("Gebruikersnaam of wachtwoord klopt niet"),
        "{html}"
    );
    assert!(html.contains("value=\"anna\""), "the username is kept");
    assert_eq!(
        client.get("/console/account").await.status(),
        303,
        "still signed out"
    );

    let response = client.sign_in("anna", TEST_PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("koers_session="))
        .unwrap_or_else(|| panic!("no session cookie"))
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/console"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    let (status, html) = client.get_text("/console/account").await;
    assert_eq!(status, 200);
    assert!(html.contains("anna") && html.contains("Redacteur"));

    // Public pages never set a cookie.
    for path in ["/", "/en", "/api/v1/goals"] {
        let response = app.get(path).await;
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{path} set a cookie"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn sign_in_follows_only_console_paths() {
    let app = spawn_app().await;
    auth::create_user(&app.ctx.store, "anna", TEST_PASSWORD, Role::Admin)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = app.anonymous();
    let (_, html) = client
        .get_text("/console/login?next=%2Fconsole%2Faudit")
        .await;
    assert!(html.contains("name=\"next\" value=\"/console/audit\""));
    let response = client
        .post_form(
            "/console/login",
            &[
                ("username", "anna"),
                ("password", TEST_PASSWORD),
                ("next", "https://evil.example/console"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/console");
    app.stop().await;
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.console_user(Role::Admin).await;
    let fields = [
        ("username", "mallory"),
        ("role", "admin"),
        ("password", "a long enough password"),
    ];
    // No token at all.
    let response = admin.post_form_raw("/console/users", &fields).await;
    assert_eq!(response.status(), 403);
    let html = response.text().await.unwrap_or_default();
    assert!(html.contains("formulier is verlopen"), "{html}");
    assert!(
        html.contains("/pkg/console-") && html.contains("class=\"skip-link\""),
        "the refusal keeps the console's frame and styles: {html}"
    );
    // A forged token.
    let mut forged = vec![("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")];
    forged.extend_from_slice(&fields);
    assert_eq!(
        admin
            .post_form_raw("/console/users", &forged)
            .await
            .status(),
        403
    );
    // A real token from another browser (another CSRF cookie).
    let other = app.anonymous();
    let token = other.csrf().await;
    let mut stolen = vec![("csrf", token.as_str())];
    stolen.extend_from_slice(&fields);
    assert_eq!(
        admin
            .post_form_raw("/console/users", &stolen)
            .await
            .status(),
        403
    );
    // Sign-in and sign-out need the token too.
    assert_eq!(
        other
            .post_form_raw(
                "/console/login",
                &[("username", &admin.username), ("password", TEST_PASSWORD)]
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        admin.post_form_raw("/console/logout", &[]).await.status(),
        403
    );
    assert_eq!(
        admin.get("/console/account").await.status(),
        200,
        "still signed in"
    );

    assert!(
        app.ctx
            .store
            .find_user("mallory")
            .await
            .ok()
            .flatten()
            .is_none()
    );
    // With the token it works.
    let response = admin.post_form("/console/users", &fields).await;
    assert_eq!(response.status(), 303);
    assert!(
        app.ctx
            .store
            .find_user("mallory")
            .await
            .ok()
            .flatten()
            .is_some()
    );
    app.stop().await;
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled() {
    let app = spawn_app_with(|s| s.console.logins_per_minute_per_user = 3).await;
    auth::create_user(&app.ctx.store, "anna", TEST_PASSWORD, Role::Viewer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let client = app.anonymous();
    for _ in 0..3 {
        assert_eq!(
            client.sign_in("anna", "guess guess guess").await.status(),
            401
        );
    }
    let throttled = client.sign_in("anna", TEST_PASSWORD).await;
    assert_eq!(throttled.status(), 429, "even the right password waits");
    assert_eq!(throttled.headers()["retry-after"], "60");
    let html = throttled.text().await.unwrap_or_default();
    assert!(html.contains("Te veel inlogpogingen"), "{html}");
    // Another account is not locked by it.
    auth::create_user(&app.ctx.store, "bert", TEST_PASSWORD, Role::Viewer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        app.anonymous()
            .sign_in("bert", TEST_PASSWORD)
            .await
            .status(),
        303
    );
    app.stop().await;
}

#[tokio::test]
async fn a_session_ends_after_the_idle_time() {
    let app = spawn_app_with(|s| s.console.session_idle = Duration::from_secs(1)).await;
    let viewer = app.console_user(Role::Viewer).await;
    assert_eq!(viewer.get("/console/account").await.status(), 200);
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let response = viewer.get("/console/account").await;
    assert_eq!(response.status(), 303, "expired sessions sign out");
    // The next sign-in sweeps the expired record out of the table.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.ctx.store.pool())
        .await
        .unwrap_or_default();
    app.console_user(Role::Viewer).await;
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.ctx.store.pool())
        .await
        .unwrap_or_default();
    assert!(
        after < before + 1,
        "expired sessions removed: {before} → {after}"
    );
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap_or_default()
            .starts_with("/console/login")
    );
    app.stop().await;
}

#[tokio::test]
async fn sign_out_ends_the_session_for_good() {
    let app = spawn_app().await;
    let viewer = app.console_user(Role::Viewer).await;
    let response = viewer.post_form("/console/logout", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/console/login");
    let (_, html) = viewer.get_text("/console/login").await;
    assert!(html.contains("U bent uitgelogd"), "{html}");
    assert_eq!(viewer.get("/console/account").await.status(), 303);
    app.stop().await;
}

#[tokio::test]
async fn admins_manage_accounts_and_every_change_is_in_the_audit_log() {
    let app = spawn_app().await;
    let admin = app.console_user(Role::Admin).await;
    let store = &app.ctx.store;

    // Add an editor.
    let response = admin
        .post_form(
            "/console/users",
            &[
                ("username", "bert"),
                ("role", "editor"),
                ("password", "bert zijn eerste wachtwoord"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, html) = admin.get_text("/console/users").await;
    assert!(html.contains("Account bert is aangemaakt"), "flash: {html}");
    // A weak password is refused with the reason, and nothing is stored.
    admin
        .post_form(
            "/console/users",
            &[
                ("username", "cor"),
                ("role", "viewer"),
                ("password", "kort"),
            ],
        )
        .await;
    let (_, html) = admin.get_text("/console/users").await;
    assert!(html.contains("at least 12 characters"), "{html}");
    assert!(store.find_user("cor").await.ok().flatten().is_none());

    // Bert signs in; making him a viewer applies on his next request.
    let bert = app.anonymous();
    assert_eq!(
        bert.sign_in("bert", "bert zijn eerste wachtwoord")
            .await
            .status(),
        303
    );
    let bert_id = store
        .find_user("bert")
        .await
        .ok()
        .flatten()
        .map(|u| u.id)
        .unwrap_or_default();
    let path = format!("/console/users/{bert_id}");
    admin
        .post_form(&path, &[("role", "viewer"), ("active", "1")])
        .await;
    let (_, html) = bert.get_text("/console/account").await;
    assert!(html.contains("Lezer"), "{html}");
    // Disabling him ends his session.
    admin.post_form(&path, &[("role", "viewer")]).await;
    assert_eq!(bert.get("/console/account").await.status(), 303);
    assert_eq!(
        app.anonymous()
            .sign_in("bert", "bert zijn eerste wachtwoord")
            .await
            .status(),
        401
    );

    // The last active admin cannot demote themselves.
    let me = store
        .find_user(&admin.username)
        .await
        .ok()
        .flatten()
        .map(|u| u.id)
        .unwrap_or_default();
    admin
        .post_form(
            &format!("/console/users/{me}"),
            &[("role", "editor"), ("active", "1")],
        )
        .await;
    let (status, html) = admin.get_text("/console/users").await;
    assert_eq!(status, 200, "still an admin");
    assert!(html.contains("minstens één actieve beheerder"), "{html}");

    // The audit log names who did what, with before and after.
    let log = store
        .list_audit(&Default::default())
        .await
        .unwrap_or_default();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    let me_name = admin.username.as_str();
    assert!(actions.contains(&(me_name, "user.add")), "{actions:?}");
    assert!(
        actions.contains(&("bert", "session.sign_in")),
        "{actions:?}"
    );
    let demotion = log
        .iter()
        .find(|e| {
            e.action == "user.update"
                && e.after
                    .as_ref()
                    .is_some_and(|a| a["role"] == "viewer" && a["active"] == true)
        })
        .unwrap_or_else(|| panic!("no demotion in {log:?}"));
    assert_eq!(
        demotion.before.as_ref().map(|b| b["role"].clone()),
        Some("editor".into())
    );
    assert_eq!(demotion.subject, "user:bert");
    assert!(
        log.iter().all(|e| !e
            .after
            .as_ref()
            .is_some_and(|a| a.to_string().contains("wachtwoord"))),
        "no passwords in the log"
    );

    let (status, html) = admin.get_text("/console/audit?action=user.").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("user.update") && !html.contains("session.sign_in"),
        "filtered: {html}"
    );
    app.stop().await;
}

#[tokio::test]
async fn changing_ones_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let first = app.console_user(Role::Viewer).await;
    let second = app.anonymous();
    assert_eq!(
        second
            .sign_in(&first.username, TEST_PASSWORD)
            .await
            .status(),
        303
    );

    first
        .post_form(
            "/console/account/password",
            &[
                ("current", "wrong wrong wrong"),
                ("password", "een nieuw lang wachtwoord"),
            ],
        )
        .await;
    let (_, html) = first.get_text("/console/account").await;
    assert!(html.contains("huidige wachtwoord klopt niet"), "{html}");

    let response = first
        .post_form(
            "/console/account/password",
            &[
                ("current", TEST_PASSWORD),
                ("password", "een nieuw lang wachtwoord"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/console/login");
    assert_eq!(
        second.get("/console/account").await.status(),
        303,
        "the other session ended"
    );
    assert_eq!(
        app.anonymous()
            .sign_in(&first.username, "een nieuw lang wachtwoord")
            .await
            .status(),
        303
    );
    app.stop().await;
}

#[tokio::test]
async fn the_console_speaks_english_on_request_and_is_never_cached_or_framed() {
    let app = spawn_app().await;
    let admin = app.console_user(Role::Admin).await;
    let response = admin
        .get("/console/language?to=en&next=%2Fconsole%2Fusers")
        .await;
    assert_eq!(response.headers()["location"], "/console/users");
    let response = admin.get("/console/users").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["x-frame-options"], "DENY");
    let html = response.text().await.unwrap_or_default();
    assert!(
        html.contains("<html lang=\"en\"") && html.contains("Add an account"),
        "{html}"
    );
    app.stop().await;
}
