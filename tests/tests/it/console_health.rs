//! Ingestion health in the console (freshness, fetches, runs started and followed from the page)
//! and `/metrics`.

use auth::Role;
use domain::SourceId;
use std::time::{Duration, Instant};
use store::FetchOutcome;
use tests::{ConsoleClient, TestApp, spawn_app, spawn_app_with};

/// Text as Leptos escapes it in an HTML text node.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Follows a run page until it stops reloading itself; returns its last HTML.
async fn follow_run(client: &ConsoleClient, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, html) = client.get_text(path).await;
        assert_eq!(status, 200, "{html}");
        if !html.contains("http-equiv=\"refresh\"") {
            return html;
        }
        assert!(Instant::now() < deadline, "the run did not finish: {html}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The value of one sample line of `/metrics` (`name{labels} value`), if present.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn metrics(app: &TestApp) -> String {
    let (status, text) = app.get_text("/metrics").await;
    assert_eq!(status, 200, "{text}");
    text
}

#[tokio::test]
async fn the_health_page_lists_every_source_with_its_freshness() {
    // Arrange
    let app = spawn_app().await;
    let viewer = app.console_user(Role::Viewer).await;

    // Act
    let (status, html) = viewer.get_text("/console").await;

    // Assert
    assert_eq!(status, 200, "{html}");
    for source in app.ctx.ingestor.sources() {
        assert!(
            html.contains(&format!("data-source=\"{}\"", source.id)),
            "{} missing",
            source.id
        );
    }
    // Nothing fetched yet: figures come from the snapshot, every source says so.
    assert!(html.contains("data-state=\"never\""), "{html}");
    assert!(!html.contains("data-state=\"fresh\""));
    // The test app runs without the scheduler, and the page says so.
    assert!(html.contains("Gepland ophalen staat uit"), "{html}");
    // Viewers see no run buttons.
    assert!(!html.contains("/run\""), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn a_failing_fetch_shows_its_error_text() {
    // Arrange
    let app = spawn_app().await;
    app.cbs.fail_next(100, 500);
    let report = app.ingest("cbs-homeless").await;
    assert_eq!(report.outcome, FetchOutcome::Failed);
    let error = report.error.expect("an error text");
    let viewer = app.console_user(Role::Viewer).await;

    // Act
    let (status, overview) = viewer.get_text("/console").await;
    let (detail_status, detail) = viewer.get_text("/console/sources/cbs-homeless").await;

    // Assert
    assert_eq!((status, detail_status), (200, 200));
    assert!(overview.contains("data-state=\"failing\""), "{overview}");
    assert!(
        overview.contains(&escaped(&error)),
        "{error} not in {overview}"
    );
    assert!(detail.contains(&escaped(&error)));
    assert!(detail.contains("mislukt"));
    app.stop().await;
}

#[tokio::test]
async fn the_health_pages_need_a_signed_in_user() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    for path in [
        "/console",
        "/console/sources/cbs-homeless",
        "/console/runs/0123456789abcdef",
    ] {
        let response = anonymous.get(path).await;
        assert_eq!(response.status().as_u16(), 303, "{path}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with("/console/login?next="), "{location}");
    }
    let unknown = app.console_user(Role::Viewer).await;
    assert_eq!(unknown.get("/console/sources/nothing").await.status(), 404);
    assert_eq!(unknown.get("/console/runs/nothing").await.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn only_admins_may_start_a_run() {
    // Arrange
    let app = spawn_app().await;
    let path = "/console/sources/cbs-homeless/run";

    // Act
    let anonymous = app.anonymous().post_form(path, &[]).await;
    let viewer = app
        .console_user(Role::Viewer)
        .await
        .post_form(path, &[])
        .await;
    let editor = app
        .console_user(Role::Editor)
        .await
        .post_form(path, &[])
        .await;

    // Assert
    assert_eq!(anonymous.status(), 401);
    assert_eq!(viewer.status(), 403);
    assert_eq!(editor.status(), 403);
    assert!(
        app.db()
            .store()
            .recent_fetches(Some("cbs-homeless"), 5)
            .await
            .unwrap()
            .is_empty(),
        "nothing ran"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_run_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let admin = app.console_user(Role::Admin).await;
    let response = admin
        .post_form_raw("/console/sources/cbs-homeless/run", &[])
        .await;
    assert_eq!(response.status(), 403);
    assert!(app.ctx.runs.recent(None).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_admin_starts_a_run_follows_it_to_the_end_and_sees_the_new_fetch() {
    // Arrange
    let app = spawn_app().await;
    let admin = app.console_user(Role::Admin).await;
    let (_, before) = admin.get_text("/console").await;
    assert!(
        before.contains("action=\"/console/sources/cbs-homeless/run\""),
        "{before}"
    );

    // Act
    let response = admin
        .post_form("/console/sources/cbs-homeless/run", &[])
        .await;
    assert_eq!(response.status(), 303);
    let run_page = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(run_page.starts_with("/console/runs/"), "{run_page}");
    let html = follow_run(&admin, &run_page).await;

    // Assert: the run page shows the outcome and no longer reloads.
    assert!(html.contains("data-outcome=\"succeeded\""), "{html}");
    assert!(html.contains("gestart"), "{html}");
    let fetches = app
        .db()
        .store()
        .recent_fetches(Some("cbs-homeless"), 5)
        .await
        .unwrap();
    assert_eq!(fetches.len(), 1);
    assert_eq!(fetches[0].outcome, FetchOutcome::Succeeded);
    let (_, detail) = admin.get_text("/console/sources/cbs-homeless").await;
    assert!(detail.contains("geslaagd"), "{detail}");
    assert!(detail.contains(&run_page), "the run is listed: {detail}");
    let (_, overview) = admin.get_text("/console").await;
    assert!(!overview.contains("data-source=\"cbs-homeless\" data-state=\"never\""));
    // The start is in the audit log.
    let (_, audit) = admin.get_text("/console/audit?action=source.run").await;
    assert!(audit.contains("source:cbs-homeless"), "{audit}");
    app.stop().await;
}

#[tokio::test]
async fn a_run_started_on_one_replica_is_followed_on_another() {
    // Arrange: two servers over one database; the load balancer sends the browser's next
    // requests to the other one.
    let app = spawn_app().await;
    let replica = app.spawn_replica(|_| {}).await;
    let admin = app.console_user(Role::Admin).await;
    let elsewhere = replica.same_browser(&admin);

    // Act
    let response = admin
        .post_form("/console/sources/cbs-homeless/run", &[])
        .await;
    assert_eq!(response.status(), 303);
    let run_page = response.headers()["location"].to_str().unwrap().to_owned();
    let html = follow_run(&elsewhere, &run_page).await;

    // Assert: the other replica shows the run's progress and outcome, and lists it.
    assert!(html.contains("data-outcome=\"succeeded\""), "{html}");
    assert!(html.contains("gestart"), "{html}");
    let (_, detail) = elsewhere.get_text("/console/sources/cbs-homeless").await;
    assert!(detail.contains(&run_page), "the run is listed: {detail}");
    replica.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_run_whose_server_stopped_reads_as_stopped_instead_of_reloading_forever() {
    // Arrange: a run recorded by a server that went away two minutes ago, mid-run.
    let app = spawn_app().await;
    let admin = app.console_user(Role::Admin).await;
    let now = store::now_ms();
    let run = jobs::TrackedRun {
        id: "feedfacefeedfacefeedfacefeedface".to_owned(),
        source: SourceId::parse("cbs-homeless").unwrap(),
        started_by: admin.username.clone(),
        started_ms: now - 180_000,
        events: Vec::new(),
        rows: 40,
        finished: None,
        finished_ms: None,
    };
    app.ctx
        .store
        .insert_console_run(&store::ConsoleRun {
            id: run.id.clone(),
            source: "cbs-homeless".to_owned(),
            started_by: run.started_by.clone(),
            started_at: run.started_ms,
            updated_at: now - 120_000,
            finished_at: None,
            state: serde_json::to_string(&run).unwrap(),
        })
        .await
        .unwrap();

    // Act
    let (status, html) = admin.get_text(&format!("/console/runs/{}", run.id)).await;

    // Assert
    assert_eq!(status, 200, "{html}");
    assert!(!html.contains("http-equiv=\"refresh\""), "{html}");
    assert!(html.contains(jobs::runs::STOPPED), "{html}");
    let (_, overview) = admin.get_text("/console").await;
    assert!(
        !overview.contains("href=\"/console/runs/feedface"),
        "a stopped run is not shown as running: {overview}"
    );
    app.stop().await;
}

#[tokio::test]
async fn metrics_count_fetches_freshness_and_http_requests() {
    // Arrange
    let app = spawn_app().await;
    let first = metrics(&app).await;
    let health = "koers_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"}";
    let before = sample(&first, health).unwrap_or(0.0);

    // Act
    app.get("/health").await;
    app.get("/health").await;
    app.get("/no/such/page").await;
    let report = app.ingest("cbs-homeless").await;
    assert_eq!(report.outcome, FetchOutcome::Succeeded);
    let text = metrics(&app).await;

    // Assert
    assert!(text.ends_with("# EOF\n"), "OpenMetrics text: {text}");
    assert_eq!(sample(&text, health), Some(before + 2.0), "{text}");
    assert!(
        text.contains("route=\"unmatched\""),
        "raw paths never become labels: {text}"
    );
    assert!(!text.contains("/no/such/page"));
    assert_eq!(
        sample(
            &text,
            "koers_fetches_total{source=\"cbs-homeless\",outcome=\"succeeded\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            "koers_fetches_total{source=\"cbs-housing\",outcome=\"failed\"}"
        ),
        Some(0.0),
        "every source is listed before its first fetch"
    );
    assert_eq!(
        sample(
            &text,
            "koers_fetch_duration_seconds_count{source=\"cbs-homeless\"}"
        ),
        Some(1.0)
    );
    assert!(
        sample(
            &text,
            "koers_fetch_rows_total{source=\"cbs-homeless\",kind=\"new\"}"
        )
        .is_some_and(|n| n > 0.0)
    );
    assert_eq!(
        sample(
            &text,
            "koers_source_state{source=\"cbs-housing\",state=\"never\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            "koers_source_state{source=\"cbs-homeless\",state=\"never\"}"
        ),
        Some(0.0)
    );
    assert!(sample(&text, "koers_source_late_seconds{source=\"cbs-homeless\"}").is_some());
    assert!(
        text.lines().any(
            |l| l.starts_with("koers_http_request_duration_seconds_bucket{")
                && l.contains("method=\"GET\",route=\"/health\",status=\"200\"")
        ),
        "{text}"
    );
    app.stop().await;
}

#[tokio::test]
async fn metrics_need_the_bearer_token_when_one_is_set() {
    let app = spawn_app_with(|s| s.metrics_token = Some("scrape-me".to_owned())).await;
    let url = format!("{}/metrics", app.address);

    let none = app.client.get(&url).send().await.unwrap();
    let wrong = app
        .client
        .get(&url)
        .bearer_auth("guess")
        .send()
        .await
        .unwrap();
    let right = app
        .client
        .get(&url)
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();

    assert_eq!(none.status(), 401);
    assert_eq!(wrong.status(), 401);
    assert_eq!(right.status(), 200);
    assert!(right.text().await.unwrap().contains("koers_fetches_total"));
    app.stop().await;
}
