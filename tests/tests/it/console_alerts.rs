//! Alerts: signed webhook deliveries to a local receiver (retries, signatures), the conditions
//! that fire them (goal status, revisions, late and failing sources) exactly once, and the
//! console page that manages webhooks, with its role and CSRF checks.

#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers outside #[test] functions panic on failure"
)]

use auth::Role;
use domain::{CategoryKey, Observation, ObservationStatus, SeriesId};
use hmac::{Hmac, Mac};
use jobs::alerts::{AlertConfig, CheckReport, Retrying};
use jobs::freshness::next_period;
use std::time::Duration;
use store::{AlertKind, Batch, DeliveryStatus, FetchRecord, NewObservation, NewWebhook};
use tests::{TestApp, spawn_app_with};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "a shared test secret of some length";
const DAY_MS: i64 = 86_400_000;

/// The application with alert retries in milliseconds.
async fn spawn() -> TestApp {
    spawn_app_with(|s| {
        s.jobs.alerts = AlertConfig {
            timeout: Duration::from_secs(5),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(10),
            retry_max_delay: Duration::from_millis(50),
            ..AlertConfig::default()
        };
    })
    .await
}

/// A receiver that accepts everything posted to `/hook`.
async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

async fn add_webhook(app: &TestApp, server: &MockServer, kinds: &[AlertKind]) -> i64 {
    let url = format!("{}/hook", server.uri());
    app.ctx
        .store
        .add_webhook(
            NewWebhook {
                name: "test receiver",
                url: &url,
                secret: SECRET,
                kinds,
                active: true,
            },
            store::now_ms(),
        )
        .await
        .unwrap()
}

/// A request as received, with its headers of interest and its JSON body.
struct Received {
    event: String,
    delivery: String,
    timestamp: i64,
    signature: String,
    raw: Vec<u8>,
    body: serde_json::Value,
}

async fn received(server: &MockServer) -> Vec<Received> {
    let header = |r: &wiremock::Request, name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| Received {
            event: header(r, "x-koers-event"),
            delivery: header(r, "x-koers-delivery"),
            timestamp: header(r, "x-koers-timestamp").parse().unwrap_or(-1),
            signature: header(r, "x-koers-signature"),
            raw: r.body.clone(),
            body: serde_json::from_slice(&r.body).unwrap_or_default(),
        })
        .collect()
}

fn of_event<'a>(all: &'a [Received], event: &str) -> Vec<&'a Received> {
    all.iter().filter(|r| r.event == event).collect()
}

/// Verifies a signature the way docs/alerts.md tells receivers to, independently of Koers.
fn signature_verifies(r: &Received, secret: &str) -> bool {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.", r.timestamp).as_bytes());
    mac.update(&r.raw);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    expected == r.signature
}

async fn check_at(app: &TestApp, sources: &[jobs::SourceInfo], at_ms: i64) -> CheckReport {
    app.ctx
        .ingestor
        .alerts()
        .check(sources, at_ms)
        .await
        .unwrap_or_else(|e| panic!("alert check: {e:?}"))
}

#[tokio::test]
async fn a_failing_receiver_is_retried_until_it_accepts_and_every_attempt_is_logged() {
    // Arrange: the receiver answers 500 twice, then 200.
    let app = spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(500).set_body_string("busy"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(200))
        .with_priority(2)
        .mount(&server)
        .await;
    let id = add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;

    // Act
    let delivery = app
        .ctx
        .ingestor
        .alerts()
        .send_test(id, Retrying::AsConfigured)
        .await
        .unwrap();

    // Assert: delivered on the third attempt, each attempt logged.
    assert_eq!(delivery.status, DeliveryStatus::Delivered);
    assert_eq!(delivery.attempts, 3);
    assert_eq!(delivery.status_code, Some(200));
    let attempts = app.ctx.store.delivery_attempts(delivery.id).await.unwrap();
    let codes: Vec<Option<i64>> = attempts.iter().map(|a| a.status_code).collect();
    assert_eq!(codes, [Some(500), Some(500), Some(200)]);
    assert_eq!(
        attempts[0].error.as_deref(),
        Some("HTTP 500 Internal Server Error: busy")
    );
    assert_eq!(attempts[2].error, None);
    // Every attempt carried the same delivery id and a valid signature of its own timestamp.
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.event, "test");
        assert_eq!(r.delivery, delivery.uuid);
        assert!(
            signature_verifies(r, SECRET),
            "bad signature {}",
            r.signature
        );
        assert!(!signature_verifies(r, "another secret"));
        assert!((r.timestamp - store::now_ms() / 1000).abs() < 60);
    }
    assert_eq!(requests[0].body["event"], "test");
    // The page lists the attempts.
    let viewer = app.console_user(Role::Viewer).await;
    let (_, html) = viewer.get_text("/console/alerts").await;
    assert_eq!(html.matches(" · HTTP 500 · ").count(), 2, "{html}");
    assert_eq!(html.matches(" · HTTP 200 · ").count(), 1, "{html}");
    app.stop().await;
}

#[tokio::test]
async fn a_receiver_that_refuses_is_not_retried_and_the_delivery_fails_without_breaking_the_run() {
    // Arrange: 400 means the receiver rejects the message itself (say, a bad signature).
    let app = spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    let id = add_webhook(&app, &server, &[AlertKind::SourceFreshness]).await;
    app.cbs.fail_next(50, 500);

    // Act: the run fails, so the source becomes failing and the webhook refuses the message.
    let report = app.ingest("cbs-homeless").await;
    let test = app
        .ctx
        .ingestor
        .alerts()
        .send_test(id, Retrying::AsConfigured)
        .await
        .unwrap();

    // Assert
    assert_eq!(report.outcome, store::FetchOutcome::Failed);
    assert_eq!(test.status, DeliveryStatus::Failed);
    assert_eq!(test.attempts, 1);
    assert_eq!(test.status_code, Some(400));
    let failing: Vec<_> = app
        .ctx
        .store
        .recent_deliveries(20)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.event == "source.failing")
        .collect();
    assert_eq!(failing.len(), 1, "{failing:?}");
    assert_eq!(failing[0].status, DeliveryStatus::Failed);
    app.cbs.heal();
    app.stop().await;
}

#[tokio::test]
async fn a_goal_status_change_is_notified_once() {
    // Arrange: a first check records every goal's status without notifying.
    let app = spawn().await;
    let server = receiver().await;
    add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;
    let first = app.ctx.ingestor.check_alerts().await;
    assert!(first.events.is_empty(), "{first:?}");
    let store = &app.ctx.store;
    let mut chosen = None;
    for goal in store.list_goals().await.unwrap() {
        let (goal, _, progress) = jobs::alerts::goal_progress(store, &goal).await.unwrap();
        if !goal.cumulative && progress.status != domain::progress::Status::Reached {
            chosen = Some((goal, progress));
            break;
        }
    }
    let (goal, progress) = chosen.expect("a goal that is not reached");
    let latest = progress.latest.expect("the goal has figures").period;

    // Act: a new figure at the target value (as a manual upload would add it) reaches the goal.
    let at = store::now_ms();
    let fetch = store.begin_fetch("upload", "test", at).await.unwrap();
    let batch = Batch {
        observations: vec![NewObservation {
            observation: Observation {
                series: goal.series.clone(),
                category: CategoryKey::total(),
                period: next_period(latest),
                value: goal.target_value,
                status: ObservationStatus::Provisional,
            },
            source_label: "test".into(),
            source_url: "https://example.org".into(),
            note: None,
            margin: None,
        }],
        ..Batch::default()
    };
    store
        .apply_batch(fetch, &batch, &FetchRecord::default(), at)
        .await
        .unwrap();
    let changed = app.ctx.ingestor.check_alerts().await;
    let again = app.ctx.ingestor.check_alerts().await;
    app.ingest("cbs-population").await;

    // Assert: one notification, naming the goal and both statuses, never repeated.
    assert_eq!(changed.events, ["goal.status_changed"], "{changed:?}");
    assert_eq!(changed.delivered, 1);
    assert!(again.events.is_empty(), "{again:?}");
    let requests = received(&server).await;
    let sent = of_event(&requests, "goal.status_changed");
    assert_eq!(sent.len(), 1);
    let data = &sent[0].body["data"];
    assert_eq!(data["goal"]["id"], goal.id.as_str());
    assert_eq!(data["previous_status"], progress.status.as_str());
    assert_eq!(data["status"], "reached");
    assert_eq!(data["goal"]["target_version"], 1);
    assert!(signature_verifies(sent[0], SECRET));
    assert_eq!(
        store
            .alert_state(&format!("goal:{}", goal.id))
            .await
            .unwrap()
            .as_deref(),
        Some("reached")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_large_revision_is_notified_with_series_period_old_and_new_value_and_share() {
    // Arrange: a first fetch, then a webhook for revisions.
    let app = spawn().await;
    app.ingest("cbs-homeless").await;
    let server = receiver().await;
    add_webhook(&app, &server, &[AlertKind::Revision]).await;
    let series = SeriesId::parse("homeless_people_18_65").unwrap();
    let stored = app
        .ctx
        .store
        .observations(&series, Some(&CategoryKey::total()), None)
        .await
        .unwrap();
    let old = stored
        .iter()
        .find(|o| o.observation.period.to_string() == "2022")
        .expect("a 2022 figure")
        .observation
        .value;

    // Act: CBS revises 2022 by half (CBS publishes thousands; Koers stores persons).
    let published = (old / 1000.0 * 1.5 * 10.0).round() / 10.0;
    let new = published * 1000.0;
    app.cbs.revise_value(
        "80799ned",
        &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
        "DaklozeMensen_1",
        serde_json::json!(published),
    );
    let report = app.ingest("cbs-homeless").await;
    app.ingest("cbs-homeless").await; // unchanged upstream: nothing new

    // Assert
    assert!(report.counts.revised > 0, "{report:?}");
    let requests = received(&server).await;
    let sent = of_event(&requests, "figures.revised");
    assert_eq!(sent.len(), 1, "{}", requests.len());
    let data = &sent[0].body["data"];
    assert_eq!(data["source"], "cbs-homeless");
    assert_eq!(data["threshold_share"], 0.05);
    let revisions = data["revisions"].as_array().unwrap();
    let ours = revisions
        .iter()
        .find(|r| r["series"] == series.as_str() && r["period"] == "2022")
        .unwrap_or_else(|| panic!("not listed: {revisions:?}"));
    assert_eq!(ours["category"], "total");
    let close = |a: &serde_json::Value, b: f64| (a.as_f64().unwrap() - b).abs() < 1e-6;
    assert!(close(&ours["old_value"], old), "{ours}");
    assert!(close(&ours["new_value"], new), "{ours}");
    assert!(close(&ours["share"], ((new - old) / old).abs()), "{ours}");
    let summary = sent[0].body["summary"].as_str().unwrap();
    assert!(
        summary.contains("figure(s) of cbs-homeless revised by more than 5.0 %"),
        "{summary}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_revision_below_the_threshold_is_not_notified() {
    // Arrange: the admin raises the threshold to 60 %.
    let app = spawn().await;
    app.ingest("cbs-homeless").await;
    let server = receiver().await;
    add_webhook(&app, &server, &[AlertKind::Revision]).await;
    let admin = app.console_user(Role::Admin).await;
    let response = admin
        .post_form("/console/alerts/settings", &[("revision_percent", "60")])
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // Act: a revision of about half.
    app.cbs.revise_value(
        "80799ned",
        &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
        "DaklozeMensen_1",
        serde_json::json!(40.0),
    );
    let report = app.ingest("cbs-homeless").await;

    // Assert
    assert!(report.counts.revised > 0, "{report:?}");
    assert!(received(&server).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_late_source_is_notified_once_and_so_is_its_recovery() {
    // Arrange: one fetched source, judged at moments before and after its next figure is due.
    let app = spawn().await;
    app.ingest("cbs-homeless").await;
    let server = receiver().await;
    add_webhook(&app, &server, &[AlertKind::SourceFreshness]).await;
    let source: Vec<jobs::SourceInfo> = app
        .ctx
        .ingestor
        .sources()
        .into_iter()
        .filter(|s| s.id.as_str() == "cbs-homeless")
        .collect();
    let freshness = jobs::freshness::assess(&app.ctx.store, &source[0], store::now_ms())
        .await
        .unwrap();
    let on_time = freshness.due_from_ms.unwrap() - DAY_MS;
    let late = freshness.expected_by_ms.unwrap() + 10 * DAY_MS;
    // Whatever the state after the fetch (judged by today's date), it is on time now.
    check_at(&app, &source, on_time).await;
    let before = received(&server).await.len();

    // Act
    let became_late = check_at(&app, &source, late).await;
    let still_late = check_at(&app, &source, late + DAY_MS).await;
    let recovered = check_at(&app, &source, on_time).await;

    // Assert
    assert_eq!(became_late.events, ["source.late"]);
    assert!(still_late.events.is_empty(), "{still_late:?}");
    assert_eq!(recovered.events, ["source.recovered"]);
    let requests = received(&server).await.split_off(before);
    let sent = of_event(&requests, "source.late");
    assert_eq!(sent.len(), 1);
    let data = &sent[0].body["data"];
    assert_eq!(data["source"]["id"], "cbs-homeless");
    assert_eq!(data["condition"], "late");
    assert_eq!(data["freshness"]["late_by_days"], 10);
    let back = of_event(&requests, "source.recovered");
    assert_eq!(back.len(), 1);
    assert!(
        back[0].body["summary"]
            .as_str()
            .unwrap()
            .contains("no longer late"),
        "{}",
        back[0].body
    );
    app.stop().await;
}

#[tokio::test]
async fn the_console_adds_a_webhook_sends_a_test_and_shows_the_result() {
    // Arrange
    let app = spawn().await;
    let server = receiver().await;
    let admin = app.console_user(Role::Admin).await;
    let url = format!("{}/hook", server.uri());

    // Act: add with a chosen secret, then send a test.
    let added = admin
        .post_form(
            "/console/alerts/webhooks",
            &[
                ("name", "Teams directie"),
                ("url", &url),
                ("secret", SECRET),
                ("kind_goal_status", "1"),
                ("kind_revision", "1"),
                ("active", "1"),
            ],
        )
        .await;
    let hook = app.ctx.store.list_webhooks().await.unwrap().remove(0);
    let tested = admin
        .post_form(&format!("/console/alerts/webhooks/{}/test", hook.id), &[])
        .await;
    let location = tested
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (status, html) = admin.get_text("/console/alerts").await;

    // Assert
    assert_eq!(added.status().as_u16(), 303);
    assert_eq!(hook.kinds, [AlertKind::GoalStatus, AlertKind::Revision]);
    assert_eq!(tested.status().as_u16(), 303);
    assert_eq!(location, "/console/alerts");
    assert_eq!(status, 200, "{html}");
    // The result after the redirect: status and attempts; the secret only masked.
    // (Dutch: the client sends no Accept-Language.)
    assert!(
        html.contains("afgeleverd met HTTP 200 na 1 poging"),
        "{html}"
    );
    assert!(html.contains("Teams directie"));
    assert!(!html.contains(SECRET), "the secret is shown again");
    assert!(html.contains(&store::mask_secret(SECRET)));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].event, "test");
    assert!(signature_verifies(&requests[0], SECRET));
    // Both changes are in the audit log, without the secret.
    let log = app
        .ctx
        .store
        .list_audit(&store::AuditFilter::default())
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"alert.webhook.add"), "{actions:?}");
    assert!(actions.contains(&"alert.webhook.test"), "{actions:?}");
    assert!(!format!("{log:?}").contains(SECRET));
    app.stop().await;
}

#[tokio::test]
async fn a_generated_secret_is_shown_once_and_then_only_masked() {
    // Arrange
    let app = spawn().await;
    let admin = app.console_user(Role::Admin).await;

    // Act
    let added = admin
        .post_form(
            "/console/alerts/webhooks",
            &[
                ("name", "Ontvanger"),
                ("url", "https://hooks.example.org/koers"),
                ("secret", ""),
                ("kind_source_freshness", "1"),
            ],
        )
        .await;
    let (_, first) = admin.get_text("/console/alerts").await;
    let (_, second) = admin.get_text("/console/alerts").await;

    // Assert
    assert_eq!(added.status().as_u16(), 303);
    let hook = app.ctx.store.list_webhooks().await.unwrap().remove(0);
    assert!(hook.secret.starts_with("whsec_"));
    assert!(!hook.active, "added paused: the box was not ticked");
    assert!(first.contains(&hook.secret), "shown once after adding");
    assert!(!second.contains(&hook.secret), "shown again");
    assert!(second.contains(&hook.masked_secret()));
    app.stop().await;
}

#[tokio::test]
async fn invalid_webhooks_are_refused_with_a_message() {
    let app = spawn().await;
    let admin = app.console_user(Role::Admin).await;
    for fields in [
        vec![
            ("name", "x"),
            ("url", "ftp://example.org/"),
            ("kind_revision", "1"),
        ],
        vec![
            ("name", "x"),
            ("url", "https://u:p@example.org/"),
            ("kind_revision", "1"),
        ],
        vec![
            ("name", ""),
            ("url", "https://example.org/"),
            ("kind_revision", "1"),
        ],
        vec![("name", "x"), ("url", "https://example.org/")],
        vec![
            ("name", "x"),
            ("url", "https://example.org/"),
            ("secret", "short"),
            ("kind_revision", "1"),
        ],
    ] {
        let response = admin.post_form("/console/alerts/webhooks", &fields).await;
        assert_eq!(response.status().as_u16(), 303, "{fields:?}");
        let (_, html) = admin.get_text("/console/alerts").await;
        assert!(html.contains("flash-error"), "{fields:?}: {html}");
    }
    assert!(app.ctx.store.list_webhooks().await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn admins_pause_resume_and_remove_webhooks_and_set_the_threshold() {
    // Arrange
    let app = spawn().await;
    let server = receiver().await;
    let id = add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;
    let admin = app.console_user(Role::Admin).await;
    let base = format!("/console/alerts/webhooks/{id}");

    // Act + Assert: paused, a notification reaches nobody.
    let paused = admin
        .post_form(&format!("{base}/active"), &[("active", "0")])
        .await;
    assert_eq!(paused.status().as_u16(), 303);
    assert!(!app.ctx.store.get_webhook(id).await.unwrap().active);
    let event_reached = app.ctx.ingestor.alerts().notify(&sample_goal_event()).await;
    assert_eq!(event_reached, (0, 0));
    assert!(received(&server).await.is_empty());

    let resumed = admin
        .post_form(&format!("{base}/active"), &[("active", "1")])
        .await;
    assert_eq!(resumed.status().as_u16(), 303);
    assert!(app.ctx.store.get_webhook(id).await.unwrap().active);

    let set = admin
        .post_form("/console/alerts/settings", &[("revision_percent", "2,5")])
        .await;
    assert_eq!(set.status().as_u16(), 303);
    let share = app.ctx.store.alert_settings().await.unwrap().revision_share;
    assert!((share - 0.025).abs() < 1e-12, "{share}");
    let bad = admin
        .post_form("/console/alerts/settings", &[("revision_percent", "veel")])
        .await;
    assert_eq!(bad.status().as_u16(), 303);
    let (_, html) = admin.get_text("/console/alerts").await;
    assert!(html.contains("flash-error"), "{html}");

    let removed = admin.post_form(&format!("{base}/remove"), &[]).await;
    assert_eq!(removed.status().as_u16(), 303);
    assert!(app.ctx.store.list_webhooks().await.unwrap().is_empty());
    let missing = admin.post_form(&format!("{base}/remove"), &[]).await;
    assert_eq!(missing.status().as_u16(), 404);

    let log = app
        .ctx
        .store
        .list_audit(&store::AuditFilter::default())
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "alert.webhook.update",
        "alert.settings.update",
        "alert.webhook.remove",
    ] {
        assert!(actions.contains(&action), "{action} missing: {actions:?}");
    }
    app.stop().await;
}

fn sample_goal_event() -> jobs::alerts::Event {
    jobs::alerts::Event::new(
        jobs::alerts::GOAL_STATUS_CHANGED,
        Some(AlertKind::GoalStatus),
        "sample".into(),
        serde_json::json!({}),
    )
}

/// Every POST route of the alerts page.
fn post_routes(id: i64) -> Vec<(String, Vec<(&'static str, &'static str)>)> {
    vec![
        (
            "/console/alerts/webhooks".to_owned(),
            vec![
                ("name", "x"),
                ("url", "https://example.org/"),
                ("kind_revision", "1"),
            ],
        ),
        (
            format!("/console/alerts/webhooks/{id}/active"),
            vec![("active", "0")],
        ),
        (format!("/console/alerts/webhooks/{id}/test"), vec![]),
        (format!("/console/alerts/webhooks/{id}/remove"), vec![]),
        (
            "/console/alerts/settings".to_owned(),
            vec![("revision_percent", "7")],
        ),
    ]
}

#[tokio::test]
async fn anonymous_users_are_sent_to_sign_in_and_may_not_post() {
    let app = spawn().await;
    let server = receiver().await;
    let id = add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;
    let anonymous = app.anonymous();

    let response = anonymous.get("/console/alerts").await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/console/login?next="), "{location}");

    for (route, fields) in post_routes(id) {
        let response = anonymous.post_form(&route, &fields).await;
        assert_eq!(response.status().as_u16(), 401, "{route}");
    }
    assert_eq!(app.ctx.store.list_webhooks().await.unwrap().len(), 1);
    assert!(received(&server).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn viewers_see_deliveries_but_no_full_addresses_and_may_not_change_anything() {
    // Arrange: one delivery in the log.
    let app = spawn().await;
    let server = receiver().await;
    let id = add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;
    app.ctx
        .ingestor
        .alerts()
        .send_test(id, Retrying::AsConfigured)
        .await
        .unwrap();
    let viewer = app.console_user(Role::Viewer).await;

    // Act
    let (status, html) = viewer.get_text("/console/alerts").await;

    // Assert: the page, the delivery, no forms, and only the receiver's host.
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("test receiver"));
    assert!(html.contains("<code>test</code>"), "{html}");
    assert!(
        !html.contains("/hook"),
        "the full address is shown to a viewer"
    );
    assert!(!html.contains("action=\"/console/alerts/"), "{html}");
    for (route, fields) in post_routes(id) {
        let response = viewer.post_form(&route, &fields).await;
        assert_eq!(response.status().as_u16(), 403, "{route}");
    }
    let hook = app.ctx.store.get_webhook(id).await.unwrap();
    assert!(hook.active);
    assert_eq!(received(&server).await.len(), 1, "a viewer sent a test");
    assert_eq!(
        app.ctx.store.alert_settings().await.unwrap().revision_share,
        0.05
    );
    app.stop().await;
}

#[tokio::test]
async fn every_post_without_a_valid_csrf_token_is_refused() {
    let app = spawn().await;
    let server = receiver().await;
    let id = add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;
    let admin = app.console_user(Role::Admin).await;

    for (route, fields) in post_routes(id) {
        let response = admin.post_form_raw(&route, &fields).await;
        assert_eq!(response.status().as_u16(), 403, "{route} without a token");
        let mut forged = vec![("csrf", "forged")];
        forged.extend(fields.iter().copied());
        let response = admin.post_form_raw(&route, &forged).await;
        assert_eq!(
            response.status().as_u16(),
            403,
            "{route} with a forged token"
        );
    }
    assert_eq!(app.ctx.store.list_webhooks().await.unwrap().len(), 1);
    assert!(app.ctx.store.get_webhook(id).await.unwrap().active);
    assert!(received(&server).await.is_empty());
    assert_eq!(
        app.ctx.store.alert_settings().await.unwrap().revision_share,
        0.05
    );
    app.stop().await;
}

#[tokio::test]
async fn an_upload_that_revises_a_figure_is_notified_without_waiting_for_a_run() {
    // Arrange: the revisions already known are checked; a webhook listens for revisions.
    let app = spawn().await;
    app.ctx.ingestor.check_alerts().await;
    let server = receiver().await;
    add_webhook(&app, &server, &[AlertKind::Revision]).await;
    let editor = app.console_user(Role::Editor).await;

    // Act: an editor uploads 2024 for the homelessness series at twice its published value.
    let csv = b"period,value\n2024,66000\n".to_vec();
    let response = editor
        .post_multipart("/console/uploads", |f| {
            f.text("target", "existing")
                .text("series", "homeless_people_18_65")
                .text("source_label", "Correctie (test)")
                .text("source_url", "https://example.org/correctie")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(csv).file_name("correctie.csv"),
                )
        })
        .await;
    assert_eq!(response.status(), 303, "the upload was stored");

    // Assert: the revision reaches the receiver shortly after, without an ingestion run.
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = received(&server).await;
        if !sent.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let revised = of_event(&sent, jobs::alerts::FIGURES_REVISED);
    assert_eq!(revised.len(), 1, "one revision notice");
    let text = revised[0].body.to_string();
    assert!(
        text.contains("homeless_people_18_65") && text.contains("66000"),
        "{text}"
    );
    assert!(signature_verifies(revised[0], SECRET));
    app.stop().await;
}

#[tokio::test]
async fn a_test_to_a_failing_receiver_is_sent_once_and_reports_the_failure_at_once() {
    // Arrange: a receiver that answers 503 (a transient failure, retried for real events).
    let app = spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let id = add_webhook(&app, &server, &[AlertKind::GoalStatus]).await;
    let admin = app.console_user(Role::Admin).await;

    // Act
    let tested = admin
        .post_form(&format!("/console/alerts/webhooks/{id}/test"), &[])
        .await;
    let (_, html) = admin.get_text("/console/alerts").await;

    // Assert: one attempt, and the page says it failed with what the receiver answered.
    assert_eq!(tested.status().as_u16(), 303);
    assert_eq!(received(&server).await.len(), 1, "a test is not retried");
    assert!(html.contains("mislukt na 1 poging"), "{html}");
    assert!(html.contains("503"), "{html}");
    app.stop().await;
}
