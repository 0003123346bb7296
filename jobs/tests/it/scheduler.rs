//! The cron scheduler: configuration errors, next runs, scheduled runs that never overlap.

use crate::helpers::Harness;
use jobs::config::DEFAULT_SCHEDULE;
use std::time::Duration;
use store::FetchOutcome;

/// Never fires during a test (1 January, midnight).
const YEARLY: &str = "0 0 0 1 1 *";

#[tokio::test]
async fn an_invalid_schedule_names_the_variable_and_the_value() {
    for bad in ["daily", "15 6 * * *", "0 61 6 * * *"] {
        let h = Harness::with_config(|mut c| {
            c.schedules = vec![("cbs-homeless".into(), bad.into())];
            c
        })
        .await;
        let err = jobs::scheduler::start(h.ingestor.clone())
            .await
            .err()
            .expect("an error")
            .to_string();
        assert!(err.contains("KOERS_SCHEDULE_CBS_HOMELESS"), "{err}");
        assert!(err.contains(&format!("{bad:?}")), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_runs_lists_every_source_in_utc() {
    let h = Harness::start().await;
    let scheduler = jobs::scheduler::start(h.ingestor.clone()).await.unwrap();

    let next = scheduler.next_runs().await;

    assert_eq!(
        next.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        [
            "cbs-homeless",
            "cbs-housing",
            "cbs-permits",
            "cbs-population",
            "cbs-wmo",
            "eurostat-permits"
        ]
    );
    let now = time::OffsetDateTime::now_utc();
    for (source, at) in &next {
        let at = at.unwrap_or_else(|| panic!("{source} has no next run"));
        assert!(
            at > now && at - now <= time::Duration::days(1),
            "{source}: {at}"
        );
        assert_eq!(
            (at.hour(), at.minute(), at.second()),
            (6, 15, 0),
            "default {DEFAULT_SCHEDULE}"
        );
    }
    scheduler.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_tick_runs_the_source_and_never_overlaps() {
    // Arrange: housing every second, each response slow enough that a run spans several ticks
    let h = Harness::with_config(|mut c| {
        c.schedules = vec![
            ("cbs-housing".into(), "* * * * * *".into()),
            ("cbs-homeless".into(), YEARLY.into()),
        ];
        c
    })
    .await;
    h.cbs.delay_responses(Some(Duration::from_millis(800)));

    // Act
    let scheduler = jobs::scheduler::start(h.ingestor.clone()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    scheduler.shutdown().await.unwrap();

    // Assert: one run started; the ticks during it were skipped
    let fetches = h
        .store()
        .recent_fetches(Some("cbs-housing"), 10)
        .await
        .unwrap();
    assert_eq!(fetches.len(), 1, "{fetches:?}");
    assert!(
        h.store()
            .recent_fetches(Some("cbs-homeless"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Let the run finish before the store goes away.
    for _ in 0..100 {
        if !h.ingestor.is_running(&"cbs-housing".parse().unwrap()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let last = h.last_fetch("cbs-housing").await;
    assert_eq!(last.outcome, FetchOutcome::Succeeded, "{:?}", last.error);
}
