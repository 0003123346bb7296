//! Goals and events in the console: roles on every route, CSRF, versioned goal changes that
//! the public pages and the API name, pinned views with the version in force then, refused
//! edits that change nothing, and events added, changed and removed with an audit trail.

#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers outside #[test] functions panic on failure"
)]

use auth::Role;
use domain::{GoalId, GoalTargets, Period};
use store::{AuditFilter, StoreError};
use testkit::TestDb;
use tests::{TestApp, spawn_app};

const GOAL: &str = "zero-homelessness-2030";
const GOAL_PAGE: &str = "/console/goals/zero-homelessness-2030";

fn goal_id() -> GoalId {
    GoalId::parse(GOAL).unwrap()
}

async fn audit(app: &TestApp, prefix: &str) -> Vec<store::AuditEntry> {
    app.ctx
        .store
        .list_audit(&AuditFilter {
            action_prefix: Some(prefix.to_owned()),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

/// The goal form with new values (as an editor types them: Dutch decimal comma allowed).
fn goal_fields<'a>(baseline: &'a str, value: &'a str, version: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("version", version),
        ("baseline_period", baseline),
        ("baseline_value", value),
        ("target_period", "2030"),
        ("target_value", "0"),
        ("note", "baseline = the CBS count of 1 January 2024"),
        (
            "reason",
            "New CBS count published; the plan now counts from 2024.",
        ),
    ]
}

#[tokio::test]
async fn goal_pages_need_a_sign_in_and_only_editors_may_change_a_goal() {
    // Arrange
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let viewer = app.console_user(Role::Viewer).await;
    let editor = app.console_user(Role::Editor).await;
    // Act + Assert: anonymous visitors are sent to the sign-in page, their POSTs refused.
    for path in ["/console/goals", GOAL_PAGE] {
        let response = anonymous.get(path).await;
        assert_eq!(response.status(), 303, "GET {path}");
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/console/login?next=%2Fconsole%2Fgoals")
        );
    }
    assert_eq!(anonymous.post_form(GOAL_PAGE, &[]).await.status(), 401);
    // Viewers see the goals and the history, without a form; their POSTs are refused.
    let (status, html) = viewer.get_text("/console/goals").await;
    assert_eq!(status, 200);
    assert!(html.contains("Geen dakloosheid in 2030"), "{html}");
    let (status, html) = viewer.get_text(GOAL_PAGE).await;
    assert_eq!(status, 200);
    assert!(html.contains("Alle doelversies"), "{html}");
    assert!(!html.contains("name=\"reason\""), "a viewer sees no form");
    let response = viewer
        .post_form(GOAL_PAGE, &goal_fields("2024", "33000", "1"))
        .await;
    assert_eq!(response.status(), 403);
    // Editors get the form; an unknown goal is a 404.
    let (status, html) = editor.get_text(GOAL_PAGE).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"reason\""), "{html}");
    assert_eq!(
        editor.get("/console/goals/no-such-goal").await.status(),
        404
    );
    assert_eq!(
        app.ctx.store.goal_versions(&goal_id()).await.unwrap().len(),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_goal_change_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let response = editor
        .post_form_raw(GOAL_PAGE, &goal_fields("2024", "33000", "1"))
        .await;
    assert_eq!(response.status(), 403);
    let mut forged = goal_fields("2024", "33000", "1");
    forged.push(("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    assert_eq!(editor.post_form_raw(GOAL_PAGE, &forged).await.status(), 403);
    assert_eq!(
        app.ctx.store.goal_versions(&goal_id()).await.unwrap().len(),
        1
    );
    assert!(audit(&app, "goal.").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_goal_change_is_a_new_version_with_an_audit_entry_and_the_public_pages_name_it() {
    // Arrange
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let (_, before) = app.get_text("/").await;
    assert!(before.contains("doelversie 1 (oorspronkelijk)"), "{before}");
    // Act
    let response = editor
        .post_form(GOAL_PAGE, &goal_fields("2024", "33000", "1"))
        .await;
    // Assert: redirected to the goal page with a message.
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], GOAL_PAGE);
    let (_, page) = editor.get_text(GOAL_PAGE).await;
    assert!(page.contains("opgeslagen als doelversie 2"), "{page}");
    assert!(page.contains("New CBS count published"), "{page}");
    // The version and the goal row.
    let versions = app.ctx.store.goal_versions(&goal_id()).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].version, 2);
    assert_eq!(versions[0].changed_by, editor.username);
    assert_eq!(versions[0].targets.baseline_period, Period::Year(2024));
    assert_eq!(versions[0].targets.baseline_value, 33_000.0);
    assert_eq!(versions[1].changed_by, "system");
    let (goal, version) = app.ctx.store.get_goal(&goal_id()).await.unwrap();
    assert_eq!((goal.baseline_value, version), (33_000.0, 2));
    // The audit entry holds both states.
    let entries = audit(&app, "goal.").await;
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry.action, "goal.update");
    assert_eq!(entry.subject, format!("goal:{GOAL}"));
    assert_eq!(entry.actor, editor.username);
    assert_eq!(entry.before.as_ref().unwrap()["baseline_value"], 30_600.0);
    assert_eq!(entry.after.as_ref().unwrap()["baseline_value"], 33_000.0);
    assert_eq!(entry.after.as_ref().unwrap()["version"], 2);
    // The public overview, the series page and the API name the new version.
    let (_, overview) = app.get_text("/").await;
    assert!(overview.contains("doelversie 2, gewijzigd"), "{overview}");
    let (_, english) = app.get_text("/en/series/homeless_people_18_65").await;
    assert!(english.contains("target version 2, changed"), "{english}");
    let (status, api) = app.get_json("/api/v1/goals").await;
    assert_eq!(status, 200);
    let goal = api["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == GOAL)
        .unwrap();
    assert_eq!(goal["version"]["number"], 2);
    assert_eq!(goal["baseline"]["value"], 33_000.0);
    assert!(
        goal["version"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("New CBS count")
    );
    // A view pinned before the change uses the version in force then.
    let (_, pinned) = app.get_json("/api/v1/goals?vintage=2025-06-30").await;
    let old = pinned["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == GOAL)
        .unwrap();
    assert_eq!(old["version"]["number"], 1);
    assert_eq!(old["baseline"]["value"], 30_600.0);
    // The data package of the goal's series names it too.
    let (_, package) = app
        .get_json("/api/v1/series/homeless_people_18_65/datapackage.json")
        .await;
    assert_eq!(package["koers"]["goal"]["target_version"], 2);
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_goal_change_names_every_field_and_changes_nothing() {
    // Arrange
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let fields = [
        ("version", "1"),
        ("baseline_period", "2031"),
        ("baseline_value", "30.600"),
        ("target_period", "2030"),
        ("target_value", "NaN"),
        ("note", ""),
        ("reason", " "),
    ];
    // Act
    let response = editor.post_form(GOAL_PAGE, &fields).await;
    // Assert: the form again, with a linked error summary and marked fields.
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""), "{html}");
    for field in ["baseline_value", "target_period", "target_value", "reason"] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field}: {html}"
        );
        assert!(html.contains(&format!("id=\"{field}-error\"")), "{field}");
    }
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("dubbelzinnig"), "30.600 is ambiguous: {html}");
    assert!(html.contains("moet na de nulmeting"), "{html}");
    assert!(html.contains("value=\"30.600\""), "typed values are kept");
    // A stale form (opened on an older version) is refused as well.
    let stale = editor
        .post_form(GOAL_PAGE, &goal_fields("2024", "33000", "0"))
        .await;
    assert_eq!(stale.status(), 422);
    assert!(stale.text().await.unwrap().contains("intussen gewijzigd"));
    // Nothing changed.
    let (goal, version) = app.ctx.store.get_goal(&goal_id()).await.unwrap();
    assert_eq!((goal.baseline_value, version), (30_600.0, 1));
    assert_eq!(
        app.ctx.store.goal_versions(&goal_id()).await.unwrap().len(),
        1
    );
    assert!(audit(&app, "goal.").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn goal_versions_are_kept_in_order_and_found_by_moment() {
    // Arrange: the built-in goals (version 1 at t=1), then two changes.
    let db = TestDb::new().await;
    let store = db.store();
    jobs::bootstrap(store, 1).await.unwrap();
    let id = goal_id();
    let targets = |value: f64| GoalTargets {
        baseline_period: Period::Year(2024),
        baseline_value: value,
        target_period: Period::Year(2030),
        target_value: 0.0,
        note: String::new(),
    };
    // Act
    store
        .update_goal_targets(&id, 1, &targets(33_000.0), "ed", "new count", 1_000)
        .await
        .unwrap();
    store
        .update_goal_targets(&id, 2, &targets(34_000.0), "ed", "corrected", 2_000)
        .await
        .unwrap();
    let stale = store
        .update_goal_targets(&id, 2, &targets(1.0), "ed", "late", 3_000)
        .await;
    let backwards = GoalTargets {
        target_period: Period::Year(2020),
        ..targets(1.0)
    };
    let invalid = store
        .update_goal_targets(&id, 3, &backwards, "ed", "x", 3_000)
        .await;
    // Assert
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert!(
        matches!(invalid, Err(StoreError::Conflict(_))),
        "{invalid:?}"
    );
    let at = |t| store.goal_version_at(&id, t);
    assert_eq!(
        at(Some(0)).await.unwrap().version,
        1,
        "before any: the first"
    );
    assert_eq!(at(Some(999)).await.unwrap().version, 1);
    assert_eq!(at(Some(1_000)).await.unwrap().version, 2);
    assert_eq!(at(Some(2_500)).await.unwrap().version, 3);
    assert_eq!(at(None).await.unwrap().version, 3);
    let all: Vec<i64> = store
        .goal_versions(&id)
        .await
        .unwrap()
        .iter()
        .map(|v| v.version)
        .collect();
    assert_eq!(all, [3, 2, 1]);
    let current = store.current_goal_versions().await.unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current[0].version, 3);
    assert_eq!(current[0].targets.baseline_value, 34_000.0);
    let series = domain::SeriesId::parse("homeless_people_18_65").unwrap();
    assert_eq!(store.last_goal_change(&series).await.unwrap(), Some(2_000));
}

#[tokio::test]
async fn event_pages_need_a_sign_in_and_only_editors_may_change_events() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let viewer = app.console_user(Role::Viewer).await;
    let fields = [
        ("date", "2026-11-24"),
        ("title_nl", "Kamerbrief"),
        ("title_en", "Letter to parliament"),
        ("url", "https://www.rijksoverheid.nl/"),
        ("series", ""),
    ];
    for path in ["/console/events", "/console/events/nad-2022"] {
        assert_eq!(anonymous.get(path).await.status(), 303, "GET {path}");
    }
    for path in [
        "/console/events",
        "/console/events/nad-2022",
        "/console/events/nad-2022/delete",
    ] {
        assert_eq!(
            anonymous.post_form(path, &fields).await.status(),
            401,
            "anonymous POST {path}"
        );
        assert_eq!(
            viewer.post_form(path, &fields).await.status(),
            403,
            "viewer POST {path}"
        );
    }
    // Viewers see the list without the form, and may not open the edit page.
    let (status, html) = viewer.get_text("/console/events").await;
    assert_eq!(status, 200);
    assert!(html.contains("Nationaal Actieplan Dakloosheid"), "{html}");
    assert!(!html.contains("name=\"title_nl\""));
    assert_eq!(viewer.get("/console/events/nad-2022").await.status(), 403);
    assert_eq!(app.ctx.store.list_all_events().await.unwrap().len(), 4);
    assert!(audit(&app, "event.").await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn editors_add_change_and_remove_events_and_each_step_is_audited() {
    // Arrange
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    // Act: add.
    let response = editor
        .post_form(
            "/console/events",
            &[
                ("date", "2026-11-24"),
                ("title_nl", "Kamerbrief over de aanpak van dakloosheid"),
                ("title_en", "Letter on tackling homelessness"),
                ("url", "https://www.rijksoverheid.nl/documenten"),
                ("series", "homeless_people_18_65"),
            ],
        )
        .await;
    // Assert
    assert_eq!(response.status(), 303);
    let id = "letter-on-tackling-homelessness-2026";
    let event = app.ctx.store.get_event(id).await.unwrap();
    assert_eq!(event.series.unwrap().as_str(), "homeless_people_18_65");
    let (_, list) = editor.get_text("/console/events").await;
    assert!(list.contains("is toegevoegd"), "{list}");
    // The public series page lists it with the chart.
    let (_, page) = app.get_text("/series/homeless_people_18_65").await;
    assert!(
        page.contains("Kamerbrief over de aanpak van dakloosheid"),
        "{page}"
    );

    // Change it.
    let path = format!("/console/events/{id}");
    let (status, form) = editor.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"2026-11-24\""), "{form}");
    let response = editor
        .post_form(
            &path,
            &[
                ("date", "2026-11-25"),
                ("title_nl", "Kamerbrief aanpak dakloosheid"),
                ("title_en", "Letter on tackling homelessness"),
                ("url", "https://www.rijksoverheid.nl/documenten/2"),
                ("series", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let event = app.ctx.store.get_event(id).await.unwrap();
    assert_eq!(event.date.to_string(), "2026-11-25");
    assert_eq!(event.series, None);

    // An invalid change is refused and changes nothing.
    let response = editor
        .post_form(
            &path,
            &[
                ("date", "2026-02-30"),
                ("title_nl", ""),
                ("title_en", "x"),
                ("url", "javascript:alert(1)"),
                ("series", "mystery"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for field in ["date", "title_nl", "url", "series"] {
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "{field}: {html}"
        );
    }
    assert_eq!(
        app.ctx.store.get_event(id).await.unwrap().title_nl,
        "Kamerbrief aanpak dakloosheid"
    );

    // Remove it.
    let response = editor.post_form(&format!("{path}/delete"), &[]).await;
    assert_eq!(response.status(), 303);
    assert!(matches!(
        app.ctx.store.get_event(id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        editor
            .post_form(&format!("{path}/delete"), &[])
            .await
            .status(),
        404
    );

    // Every step is in the audit log, with what was there before.
    let mut actions: Vec<_> = audit(&app, "event.")
        .await
        .into_iter()
        .map(|e| (e.action, e.subject, e.before.is_some(), e.after.is_some()))
        .collect();
    actions.reverse();
    let subject = format!("event:{id}");
    assert_eq!(
        actions,
        [
            ("event.add".to_owned(), subject.clone(), false, true),
            ("event.update".to_owned(), subject.clone(), true, true),
            ("event.delete".to_owned(), subject, true, false),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn an_invalid_or_forged_event_is_refused_and_nothing_is_added() {
    let app = spawn_app().await;
    let editor = app.console_user(Role::Editor).await;
    let good = [
        ("date", "2026-11-24"),
        ("title_nl", "Kamerbrief"),
        ("title_en", "Letter"),
        ("url", "https://www.rijksoverheid.nl/"),
        ("series", ""),
    ];
    // No CSRF token.
    assert_eq!(
        editor
            .post_form_raw("/console/events", &good)
            .await
            .status(),
        403
    );
    // Invalid fields.
    let response = editor
        .post_form(
            "/console/events",
            &[
                ("date", "24-11-2026"),
                ("title_nl", "Kamerbrief"),
                ("title_en", ""),
                ("url", "www.rijksoverheid.nl"),
                ("series", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("is geen datum"), "{html}");
    assert!(html.contains("geen webadres"), "{html}");
    assert!(
        html.contains("value=\"Kamerbrief\""),
        "typed values are kept"
    );
    assert_eq!(app.ctx.store.list_all_events().await.unwrap().len(), 4);
    assert!(audit(&app, "event.").await.is_empty());
    app.stop().await;
}
