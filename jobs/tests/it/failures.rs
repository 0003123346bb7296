//! Failed fetches beyond the fault matrix (`fault_matrix.rs`, one row per upstream fault):
//! what drift stops, the retry pauses and messages of a 5xx, a 429 that clears, a first run
//! that fails.

use crate::helpers::{Events, Harness, MAX_RETRIES, error, fails_and_keeps_data, recovers};
use jobs::RunOptions;
use std::time::{Duration, Instant};
use store::FetchOutcome;

#[tokio::test]
async fn drifted_data_properties_fail_with_the_drift_message() {
    let h = Harness::start().await;
    let pages_before_drift = std::cell::Cell::new(0);

    let fetch = fails_and_keeps_data(&h, "cbs-housing", |h| {
        pages_before_drift.set(h.cbs.request_count("TypedDataSet"));
        h.cbs
            .drift_data_properties("82235NED", "Nieuwbouw_2", "Nieuwbouw_4");
    })
    .await;

    assert_eq!(
        error(&fetch),
        "schema drift in 82235NED: topic Nieuwbouw_2 moved to Nieuwbouw_4 (DataProperties changed); \
         stored figures kept; review the source definition"
    );
    assert_eq!(
        h.cbs.request_count("TypedDataSet"),
        pages_before_drift.get(),
        "no data read after drift"
    );
    // CBS moves the column back: the next fetch is good again.
    h.cbs
        .drift_data_properties("82235NED", "Nieuwbouw_4", "Nieuwbouw_2");
    recovers(&h, "cbs-housing").await;
}

#[tokio::test]
async fn a_changed_unit_is_drift() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, "cbs-homeless", |h| {
        h.cbs.set_unit("80799ned", "DaklozeMensen_1", "aantal")
    })
    .await;
    assert!(
        error(&fetch)
            .contains("schema drift in 80799ned: the unit of topic DaklozeMensen_1 changed"),
        "{}",
        error(&fetch)
    );
}

#[tokio::test]
async fn http_500_is_retried_then_recorded_as_failed() {
    // Arrange
    let h = Harness::start().await;
    let events = Events::default();
    let good = h.run("cbs-homeless").await;
    assert_eq!(good.outcome, FetchOutcome::Succeeded);
    let before = h.all_figures().await;
    h.cbs.fail_next(100, 500);

    // Act
    let report = h
        .run_with("cbs-homeless", RunOptions { force: true }, &events)
        .await;

    // Assert
    assert_eq!(report.outcome, FetchOutcome::Failed);
    let fetch = h.last_fetch("cbs-homeless").await;
    assert_eq!(
        fetch.attempts,
        i64::from(1 + MAX_RETRIES),
        "attempts are bounded"
    );
    assert_eq!(fetch.http_status, Some(500));
    let text = error(&fetch);
    assert!(
        text.contains(&format!(
            "{}/ODataApi/OData/80799ned/TableInfos?$format=json",
            h.cbs.url()
        )),
        "{text}"
    );
    assert!(text.contains("HTTP 500 Internal Server Error"), "{text}");
    assert!(
        text.contains(&format!("gave up after {} attempts", 1 + MAX_RETRIES)),
        "{text}"
    );
    assert_eq!(events.retries().len(), MAX_RETRIES as usize);
    assert!(
        events
            .retries()
            .iter()
            .all(|(_, delay, reason)| *delay <= Duration::from_secs(2)
                && reason.contains("HTTP 500"))
    );
    assert_eq!(h.all_figures().await, before);
    recovers(&h, "cbs-homeless").await;
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_then_succeeds() {
    // Arrange
    let h = Harness::start().await;
    let events = Events::default();
    h.cbs.respond_429_then_ok(1);
    let started = Instant::now();

    // Act
    let report = h
        .run_with("cbs-homeless", RunOptions::default(), &events)
        .await;

    // Assert
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    let retries = events.retries();
    assert_eq!(retries.len(), 1);
    let (attempt, delay, reason) = &retries[0];
    assert_eq!((*attempt, *delay), (1, Duration::from_secs(1)));
    assert!(reason.contains("429"), "{reason}");
    let fetch = h.last_fetch("cbs-homeless").await;
    assert_eq!(fetch.attempts, h.cbs.requests().len() as i64);
}

#[tokio::test]
async fn a_failure_on_the_first_run_leaves_an_empty_store() {
    let h = Harness::start().await;
    h.cbs.empty_table();
    let report = h.run("cbs-homeless").await;
    assert_eq!(report.outcome, FetchOutcome::Failed);
    assert_eq!(h.store().observation_counts().await.unwrap(), (0, 0));
    h.cbs.heal();
    assert_eq!(
        h.run("cbs-homeless").await.outcome,
        FetchOutcome::Succeeded,
        "a failed run is no good fetch to compare Modified with"
    );
}
