//! Freshness read from a real store (SQLite, or PostgreSQL with `KOERS_TEST_DATABASE_URL`):
//! the newest stored period, the fetch history and the source's rhythm together.

use crate::helpers::Harness;
use jobs::SourceInfo;
use jobs::freshness::{FreshnessState, assess};
use store::FetchOutcome;
use time::macros::datetime;

fn ms(at: time::OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

fn source(h: &Harness, slug: &str) -> SourceInfo {
    h.ingestor
        .sources()
        .into_iter()
        .find(|s| s.id.as_str() == slug)
        .unwrap()
}

#[tokio::test]
async fn a_source_never_fetched_is_never_and_names_no_period() {
    let h = Harness::start().await;
    let f = assess(
        h.store(),
        &source(&h, "cbs-homeless"),
        ms(datetime!(2026-01-01 0:00 UTC)),
    )
    .await
    .unwrap();
    assert_eq!(f.state, FreshnessState::Never);
    assert_eq!(f.newest_period, None);
}

#[tokio::test]
async fn after_a_good_fetch_the_newest_count_sets_when_the_next_is_late() {
    // Arrange: the fixture's newest count is 1 January 2024.
    let h = Harness::start().await;
    let report = h.run("cbs-homeless").await;
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    let info = source(&h, "cbs-homeless");

    // Act
    let fresh = assess(h.store(), &info, ms(datetime!(2026-01-01 0:00 UTC)))
        .await
        .unwrap();
    let late = assess(h.store(), &info, ms(datetime!(2026-11-24 12:00 UTC)))
        .await
        .unwrap();

    // Assert
    assert_eq!(fresh.state, FreshnessState::Fresh);
    assert_eq!(fresh.newest_period.as_deref(), Some("2024"));
    assert_eq!(fresh.next_period.as_deref(), Some("2025"));
    assert!(fresh.last_success_ms.is_some());
    assert_eq!(late.state, FreshnessState::Late);
    assert_eq!(late.late_by_days, Some(57));
}

#[tokio::test]
async fn a_failed_fetch_makes_the_source_failing_with_its_error() {
    // Arrange
    let h = Harness::start().await;
    assert_eq!(h.run("cbs-permits").await.outcome, FetchOutcome::Succeeded);
    h.cbs.fail_next(100, 500);
    let failed = h.run_forced("cbs-permits").await;
    assert_eq!(failed.outcome, FetchOutcome::Failed);

    // Act
    let f = assess(
        h.store(),
        &source(&h, "cbs-permits"),
        ms(datetime!(2025-10-01 0:00 UTC)),
    )
    .await
    .unwrap();

    // Assert: the quarters, not the yearly totals, set the next period.
    assert_eq!(f.state, FreshnessState::Failing);
    assert_eq!(f.last_error, failed.error);
    assert_eq!(f.newest_period.as_deref(), Some("2025-Q2"));
    assert_eq!(f.next_period.as_deref(), Some("2025-Q3"));
}

#[tokio::test]
async fn current_periods_lists_each_stored_period_once_in_order() {
    let h = Harness::start().await;
    h.run("cbs-permits").await;
    let periods = h
        .store()
        .current_periods(&"permits_by_client".parse().unwrap())
        .await
        .unwrap();
    let mut sorted = periods.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(periods, sorted);
    assert!(periods.contains(&domain::Period::Quarter(2025, 2)));
    assert!(periods.contains(&domain::Period::Year(2016)));
}

#[tokio::test]
async fn a_tracked_run_records_progress_and_its_report() {
    // Arrange
    let h = Harness::start().await;
    let tracker = jobs::RunTracker::new(h.ingestor.clone());
    let source: domain::SourceId = "cbs-homeless".parse().unwrap();

    // Act
    let id = tracker.start(&source, "admin").await.unwrap();
    let run = loop {
        let run = tracker.get(&id).await.unwrap().unwrap();
        if !run.is_running() {
            break run;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };

    // Assert
    let report = run.finished.clone().unwrap().unwrap();
    assert_eq!(report.outcome, FetchOutcome::Succeeded);
    assert_eq!(run.started_by, "admin");
    assert!(
        matches!(
            run.events.first(),
            Some((_, jobs::ProgressEvent::Started { .. }))
        ),
        "{:?}",
        run.events
    );
    assert!(run.rows > 0);
    assert_eq!(tracker.recent(Some(&source)).await.unwrap().len(), 1);
    assert!(
        tracker
            .start(&"nothing".parse().unwrap(), "admin")
            .await
            .is_err()
    );
    // A second tracker (another replica over the same database) sees the run as it ended.
    let elsewhere = jobs::RunTracker::new(h.ingestor.clone());
    let stored = loop {
        let stored = elsewhere.get(&id).await.unwrap().unwrap();
        if !stored.is_running() {
            break stored;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(stored.finished, run.finished);
    assert_eq!(stored.rows, run.rows);
}
