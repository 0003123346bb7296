//! Ingestion through the running application: live figures replace the snapshot as new
//! vintages, and every upstream failure leaves the served figures untouched.

use store::FetchOutcome;
use tests::{TestApp, spawn_app};

async fn figures(app: &TestApp, id: &str) -> serde_json::Value {
    let (status, json) = app.get_json(&format!("/api/v1/series/{id}?all=true")).await;
    assert_eq!(status, 200);
    json["observations"].clone()
}

#[tokio::test]
async fn a_live_fetch_brings_breakdowns_and_marks_the_figures_as_checked() {
    // Arrange
    let app = spawn_app().await;
    // Act
    let report = app.ingest("cbs-homeless").await;
    // Assert
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert!(
        report.counts.new > 100,
        "breakdowns are new: {:?}",
        report.counts
    );
    let (_, json) = app.get_json("/api/v1/series/homeless_people_18_65").await;
    let categories = json["categories"].as_array().cloned().unwrap_or_default();
    assert!(
        categories.iter().any(|c| c["title_nl"] == "Mannen"),
        "{categories:?}"
    );
    let (status, html) = app
        .get_text("/series/homeless_people_18_65?category=3000")
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Mannen"));
    let (_, overview) = app.get_text("/").await;
    assert!(
        overview.contains("Bron gecontroleerd op"),
        "freshness must switch to the live check"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_revised_figure_keeps_its_old_vintage() {
    let app = spawn_app().await;
    // The snapshot says 82,400 homes were added in 2024; the (fake) table says 69,000 + 13,000.
    let report = app.ingest("cbs-housing").await;
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert!(report.counts.revised >= 1);
    let (status, json) = app
        .get_json("/api/v1/series/homes_added_total/history?period=2024")
        .await;
    assert_eq!(status, 200);
    let vintages = json["vintages"].as_array().cloned().unwrap_or_default();
    assert_eq!(vintages.len(), 2, "{json}");
    assert_eq!(vintages[0]["value"], 82400.0);
    assert!(vintages[0]["superseded_at"].is_string());
    assert_eq!(vintages[1]["value"], 82000.0);
    assert!(vintages[1]["superseded_at"].is_null());
    app.stop().await;
}

#[tokio::test]
async fn an_unchanged_table_is_skipped_without_downloading_data() {
    let app = spawn_app().await;
    assert_eq!(
        app.ingest("cbs-homeless").await.outcome,
        FetchOutcome::Succeeded
    );
    let data_requests = app.cbs.request_count("TypedDataSet");
    let report = app.ingest("cbs-homeless").await;
    assert_eq!(report.outcome, FetchOutcome::Unchanged);
    assert_eq!(app.cbs.request_count("TypedDataSet"), data_requests);
    app.stop().await;
}

/// Each upstream fault: the run fails (or recovers), is recorded with a useful error, serves the
/// last good figures meanwhile, and the next good fetch succeeds.
#[tokio::test]
async fn upstream_faults_keep_the_last_good_figures_and_are_recorded() {
    type Step = fn(&testkit::FakeCbs);
    let heal: Step = |c| c.heal();
    let cases: [(&str, Step, Option<&str>, Step); 6] = [
        ("HTTP 500", |c| c.fail_next(10, 500), Some("500"), heal),
        (
            "truncated JSON",
            |c| c.truncate_data(),
            Some("truncated"),
            heal,
        ),
        (
            "HTML error page with status 200",
            |c| c.html_error_page(),
            Some("HTML"),
            heal,
        ),
        ("empty table", |c| c.empty_table(), Some("empty"), heal),
        (
            "drifted DataProperties",
            |c| c.drift_data_properties("80799ned", "DaklozeMensen_1", "DaklozeMensen_3"),
            Some("drift"),
            |c| c.drift_data_properties("80799ned", "DaklozeMensen_3", "DaklozeMensen_1"),
        ),
        (
            "429 with Retry-After, then OK",
            |c| c.respond_429_then_ok(1),
            None,
            heal,
        ),
    ];
    let mut matrix = Vec::new();
    for (name, setup, expected_error, undo) in cases {
        // Arrange: a store with live figures, then a fault upstream.
        let app = spawn_app().await;
        assert_eq!(
            app.ingest("cbs-homeless").await.outcome,
            FetchOutcome::Succeeded
        );
        let before = figures(&app, "homeless_people_18_65").await;
        app.cbs.bump_modified("80799ned");
        setup(&app.cbs);
        // Act
        let report = app.ingest("cbs-homeless").await;
        // Assert
        let after = figures(&app, "homeless_people_18_65").await;
        let (_, sources) = app.get_json("/api/v1/sources").await;
        let last = sources["sources"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["id"] == "cbs-homeless"))
            .map(|s| s["fetches"][0].clone())
            .unwrap_or_default();
        match expected_error {
            Some(needle) => {
                assert_eq!(report.outcome, FetchOutcome::Failed, "{name}");
                assert_eq!(before, after, "{name}: stored figures changed");
                assert_eq!(last["outcome"], "failed", "{name}");
                let error = last["error"].as_str().unwrap_or_default();
                assert!(
                    error.contains(needle),
                    "{name}: error {error:?} lacks {needle:?}"
                );
            }
            None => assert_eq!(
                report.outcome,
                FetchOutcome::Succeeded,
                "{name}: {:?}",
                report.error
            ),
        }
        undo(&app.cbs);
        app.cbs.bump_modified("80799ned");
        let recovery = app.ingest("cbs-homeless").await;
        assert_eq!(
            recovery.outcome,
            FetchOutcome::Succeeded,
            "{name}: no recovery: {:?}",
            recovery.error
        );
        matrix.push(format!(
            "| {name:<34} | {:<9} | {:<5} | {:<9} |",
            report.outcome.as_str(),
            report.rows_seen,
            recovery.outcome.as_str()
        ));
        app.stop().await;
    }
    println!("| fault                              | outcome   | rows  | next run  |");
    println!("{}", matrix.join("\n"));
}
