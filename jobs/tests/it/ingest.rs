//! Normal runs: a first fetch, an unchanged table, a forced refetch, a revision, overlap.

use crate::helpers::{Events, Harness};
use domain::{ObservationStatus, Period};
use jobs::{ProgressEvent, RunError, RunOptions};
use serde_json::json;
use std::time::Duration;
use store::FetchOutcome;

#[tokio::test]
async fn a_first_fetch_stores_every_figure_scaled_with_status_and_labels() {
    // Arrange
    let h = Harness::start().await;
    let events = Events::default();

    // Act
    let report = h
        .run_with("cbs-homeless", RunOptions::default(), &events)
        .await;

    // Assert: the report
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(report.rows_seen, 210);
    assert_eq!(
        (
            report.counts.new,
            report.counts.revised,
            report.counts.unchanged
        ),
        (350, 0, 0)
    );
    assert_eq!(
        report.upstream_modified.as_deref(),
        Some("2025-01-22T02:00:00")
    );

    // values in people, with the Perioden status; 2019 was never published
    let total = h.figures("homeless_people_18_65", "total").await;
    assert_eq!(total.len(), 15);
    let at = |year| {
        total
            .iter()
            .find(|o| o.observation.period == Period::Year(year))
    };
    assert_eq!(
        at(2009).map(|o| (o.observation.value, o.observation.status)),
        Some((17_800.0, ObservationStatus::Final))
    );
    assert_eq!(
        at(2021).map(|o| (o.observation.value, o.observation.status)),
        Some((32_000.0, ObservationStatus::Provisional))
    );
    assert_eq!(at(2024).map(|o| o.observation.value), Some(33_000.0));
    assert!(at(2019).is_none());
    let first = &total[0];
    assert_eq!(first.source_label, "CBS 80799ned");
    assert_eq!(
        first.source_url,
        "https://www.cbs.nl/nl-nl/cijfers/detail/80799ned"
    );
    let women = h.figures("homeless_people_18_65", "4000").await;
    assert_eq!(
        women
            .iter()
            .find(|o| o.observation.period == Period::Year(2021))
            .map(|o| o.observation.value),
        Some(5_300.0)
    );

    // categories with labels and groups
    let cats = h
        .store()
        .list_categories(&"homeless_people_18_65".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(cats.len(), 14);
    let total_cat = cats.iter().find(|c| c.key.is_total()).unwrap();
    assert_eq!(total_cat.title_nl, "Totaal personen");
    let women_cat = cats.iter().find(|c| c.key.as_str() == "4000").unwrap();
    assert_eq!(
        (
            women_cat.title_nl.as_str(),
            women_cat.group_title_nl.as_deref()
        ),
        ("Vrouwen", Some("Geslacht"))
    );

    // paging followed: 210 rows at 80 a page
    assert_eq!(h.cbs.request_count("TypedDataSet"), 3);
    assert!(
        h.cbs.requests().iter().all(|r| r.contains("$format=json")),
        "{:?}",
        h.cbs.requests()
    );

    // the fetch row is complete
    let f = h.last_fetch("cbs-homeless").await;
    assert_eq!(f.outcome, FetchOutcome::Succeeded);
    assert_eq!(
        f.url,
        format!(
            "{}/ODataFeed/odata/80799ned/TypedDataSet?$format=json",
            h.cbs.url()
        )
    );
    assert_eq!(f.http_status, Some(200));
    assert_eq!(f.upstream_modified.as_deref(), Some("2025-01-22T02:00:00"));
    assert_eq!(f.checksum.as_deref().map(str::len), Some(64));
    assert_eq!(
        (f.rows_seen, f.rows_new, f.rows_revised, f.rows_unchanged),
        (210, 350, 0, 0)
    );
    assert_eq!(f.attempts, h.cbs.requests().len() as i64);
    assert!(f.finished_at.is_some() && f.error.is_none());

    // progress was reported
    let all = events.all();
    assert!(matches!(all.first(), Some(ProgressEvent::Started { .. })));
    assert!(
        matches!(all.last(), Some(ProgressEvent::Finished(r)) if r.outcome == FetchOutcome::Succeeded)
    );
    assert!(
        all.iter()
            .any(|e| matches!(e, ProgressEvent::Rows { rows: 210, .. }))
    );
    assert!(events.retries().is_empty());
}

#[tokio::test]
async fn housing_gives_new_build_and_the_sum_of_additions() {
    // Arrange
    let h = Harness::start().await;
    // Act
    let report = h.run("cbs-housing").await;
    // Assert
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    let new_build = h.figures("new_build_homes", "total").await;
    let added = h.figures("homes_added_total", "total").await;
    assert_eq!(
        (new_build.len(), added.len()),
        (12, 11),
        "2023 has no other additions"
    );
    let y2024 = |v: &[store::StoredObservation]| {
        v.iter()
            .find(|o| o.observation.period == Period::Year(2024))
            .map(|o| (o.observation.value, o.observation.status))
    };
    assert_eq!(
        y2024(&new_build),
        Some((69_000.0, ObservationStatus::Provisional))
    );
    assert_eq!(
        y2024(&added),
        Some((82_000.0, ObservationStatus::Provisional))
    );
}

#[tokio::test]
async fn an_unchanged_modified_skips_the_download() {
    // Arrange
    let h = Harness::start().await;
    h.run("cbs-homeless").await;
    let pages = h.cbs.request_count("TypedDataSet");
    let before = h.all_figures().await;

    // Act
    let report = h.run("cbs-homeless").await;

    // Assert
    assert_eq!(report.outcome, FetchOutcome::Unchanged);
    assert_eq!(report.counts, store::ApplyCounts::default());
    assert_eq!(
        h.cbs.request_count("TypedDataSet"),
        pages,
        "no data request"
    );
    assert_eq!(
        h.cbs.request_count("DataProperties"),
        1,
        "no metadata beyond TableInfos"
    );
    let f = h.last_fetch("cbs-homeless").await;
    assert_eq!(
        (f.outcome, f.upstream_modified.as_deref(), f.attempts),
        (FetchOutcome::Unchanged, Some("2025-01-22T02:00:00"), 1)
    );
    assert_eq!(h.all_figures().await, before);
}

#[tokio::test]
async fn force_refetches_and_finds_everything_equal() {
    let h = Harness::start().await;
    h.run("cbs-homeless").await;

    let report = h.run_forced("cbs-homeless").await;

    assert_eq!(report.outcome, FetchOutcome::Succeeded);
    assert_eq!(
        (
            report.counts.new,
            report.counts.revised,
            report.counts.unchanged
        ),
        (0, 0, 350)
    );
    assert_eq!(h.cbs.request_count("TypedDataSet"), 6);
}

#[tokio::test]
async fn a_revised_value_keeps_its_old_vintage() {
    // Arrange
    let h = Harness::start().await;
    h.run("cbs-homeless").await;
    h.cbs.revise_value(
        "80799ned",
        &[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")],
        "DaklozeMensen_1",
        json!(26.9),
    );

    // Act: the new Modified makes the run read the data
    let report = h.run("cbs-homeless").await;

    // Assert
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(
        (
            report.counts.new,
            report.counts.revised,
            report.counts.unchanged
        ),
        (0, 1, 349)
    );
    let history = h
        .store()
        .observation_history(
            &"homeless_people_18_65".parse().unwrap(),
            &domain::CategoryKey::total(),
            Some(Period::Year(2022)),
        )
        .await
        .unwrap();
    let values: Vec<(f64, bool)> = history
        .iter()
        .map(|o| (o.observation.value, o.superseded_at.is_some()))
        .collect();
    assert_eq!(values, [(26_600.0, true), (26_900.0, false)]);
    assert_eq!(history[0].superseded_at, Some(history[1].first_seen_at));
    assert_ne!(history[0].fetch_id, history[1].fetch_id);
    let current = h.figures("homeless_people_18_65", "total").await;
    assert_eq!(
        current
            .iter()
            .find(|o| o.observation.period == Period::Year(2022))
            .map(|o| o.observation.value),
        Some(26_900.0)
    );
}

#[tokio::test]
async fn a_live_fetch_after_the_snapshot_finds_the_published_totals_equal() {
    // Arrange: a first start loads the published figures
    let h = Harness::start().await;
    jobs::bootstrap(h.store(), store::now_ms()).await.unwrap();
    // Act
    let report = h.run("cbs-homeless").await;
    // Assert: the 15 totals match the snapshot; only the breakdown and shares are new
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(
        (
            report.counts.new,
            report.counts.revised,
            report.counts.unchanged
        ),
        (335, 0, 15)
    );
}

#[tokio::test]
async fn a_second_concurrent_run_is_refused() {
    // Arrange
    let h = Harness::start().await;
    h.cbs.delay_responses(Some(Duration::from_millis(100)));
    let id: domain::SourceId = "cbs-homeless".parse().unwrap();

    // Act
    let (first, second) = tokio::join!(h.ingestor.run(&id, RunOptions::default(), &()), async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let running = h.ingestor.is_running(&id);
        (
            running,
            h.ingestor.run(&id, RunOptions::default(), &()).await,
        )
    });

    // Assert
    assert_eq!(first.unwrap().outcome, FetchOutcome::Succeeded);
    let (was_running, second) = second;
    assert!(was_running);
    assert!(
        matches!(second, Err(RunError::AlreadyRunning(ref s)) if *s == id),
        "{second:?}"
    );
    assert!(!h.ingestor.is_running(&id));
    // Another source may run at the same time.
    assert!(!h.ingestor.is_running(&"cbs-housing".parse().unwrap()));
}

#[tokio::test]
async fn a_cancelled_run_frees_its_source() {
    let h = Harness::start().await;
    h.cbs.delay_responses(Some(Duration::from_millis(300)));
    let id: domain::SourceId = "cbs-homeless".parse().unwrap();

    let cancelled = tokio::time::timeout(
        Duration::from_millis(100),
        h.ingestor.run(&id, RunOptions::default(), &()),
    )
    .await;

    assert!(cancelled.is_err(), "the run was cut off");
    assert!(!h.ingestor.is_running(&id));
    h.cbs.delay_responses(None);
    assert_eq!(h.run("cbs-homeless").await.outcome, FetchOutcome::Succeeded);
}

#[tokio::test]
async fn an_unknown_source_is_an_error_naming_the_known_ones() {
    let h = Harness::start().await;
    let err = h
        .ingestor
        .run(&"cbs-nothing".parse().unwrap(), RunOptions::default(), &())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown source \"cbs-nothing\"; known sources: cbs-homeless, cbs-housing, cbs-permits, \
         cbs-population, cbs-wmo, eurostat-permits"
    );
}

#[tokio::test]
async fn run_all_runs_every_source_and_sources_lists_them() {
    let h = Harness::start().await;
    let infos = h.ingestor.sources();
    assert_eq!(
        infos
            .iter()
            .map(|s| (s.id.as_str(), s.table_id.as_str()))
            .collect::<Vec<_>>(),
        [
            ("cbs-homeless", "80799ned"),
            ("cbs-housing", "82235NED"),
            ("cbs-permits", "83671NED"),
            ("cbs-population", "37296ned"),
            ("cbs-wmo", "86050NED"),
            ("eurostat-permits", "sts_cobp_a + tps00001"),
        ]
    );
    assert!(
        infos
            .iter()
            .all(|s| s.schedule == jobs::config::DEFAULT_SCHEDULE)
    );

    let reports = h.ingestor.run_all(RunOptions::default(), &()).await;

    assert_eq!(reports.len(), 6);
    for (source, report) in &reports {
        let report = report.as_ref().unwrap();
        assert_eq!(
            report.outcome,
            FetchOutcome::Succeeded,
            "{source}: {:?}",
            report.error
        );
    }
}

#[tokio::test]
async fn the_store_backend_follows_koers_test_database_url() {
    let h = Harness::start().await;
    let wants_postgres =
        std::env::var(testkit::TEST_DATABASE_URL_VAR).is_ok_and(|u| u.starts_with("postgres"));
    let expected = if wants_postgres {
        store::Backend::Postgres
    } else {
        store::Backend::Sqlite
    };
    assert_eq!(h.db.backend(), expected);
}
