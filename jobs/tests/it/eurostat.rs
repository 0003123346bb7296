//! The Eurostat source (`sts_cobp_a` + `tps00001`): a first fetch, an unchanged `updated`, a
//! revision, breaks, both JSON-stat forms, and failures that keep the stored figures.

use crate::helpers::{Harness, error, fails_and_keeps_data, recovers};
use domain::{ObservationStatus, Period};
use store::FetchOutcome;

const SOURCE: &str = "eurostat-permits";
const PERMITS: &str = "building_permits_dwellings";
const POPULATION: &str = "population_eurostat";
const MARKER: &str = "sts_cobp_a 2025-10-21T23:00:00+0200; tps00001 2025-07-11T23:00:00+0200";

#[tokio::test]
async fn a_first_fetch_stores_permits_and_population_scaled_with_statuses() {
    // Arrange
    let h = Harness::start().await;

    // Act
    let report = h.run(SOURCE).await;

    // Assert: the report (38 permit figures: Finland 2015 is confidential, Denmark 2024 absent)
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(
        (report.counts.new, report.counts.revised, report.rows_seen),
        (38 + 44, 0, 82)
    );
    assert_eq!(report.upstream_modified.as_deref(), Some(MARKER));

    // thousands become dwellings; flags become statuses
    assert_eq!(
        h.figure(PERMITS, "NL", Period::Year(2016)).await,
        Some((50_997.0, ObservationStatus::Final))
    );
    assert_eq!(
        h.figure(PERMITS, "NL", Period::Year(2024)).await,
        Some((73_000.0, ObservationStatus::Provisional))
    );
    assert_eq!(
        h.figure(PERMITS, "EU27_2020", Period::Year(2024)).await,
        Some((1_478_500.0, ObservationStatus::Estimated))
    );
    assert_eq!(h.figure(PERMITS, "DK", Period::Year(2024)).await, None);
    assert_eq!(h.figure(PERMITS, "FI", Period::Year(2015)).await, None);
    assert_eq!(
        h.figure(POPULATION, "NL", Period::Year(2024)).await,
        Some((17_942_942.0, ObservationStatus::Final))
    );
    let nl = h.figures(PERMITS, "NL").await;
    assert_eq!(nl[0].source_label, "Eurostat sts_cobp_a");
    assert_eq!(
        nl[0].source_url,
        "https://ec.europa.eu/eurostat/databrowser/view/sts_cobp_a/default/table?lang=en"
    );

    // a category per country, in both languages
    let cats = h
        .store()
        .list_categories(&PERMITS.parse().unwrap())
        .await
        .unwrap();
    let names: Vec<(&str, &str, Option<&str>)> = cats
        .iter()
        .map(|c| (c.key.as_str(), c.title_nl.as_str(), c.title_en.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("NL", "Nederland", Some("Netherlands")),
            ("FI", "Finland", Some("Finland")),
            ("DK", "Denemarken", Some("Denmark")),
            (
                "EU27_2020",
                "Europese Unie (27 landen, vanaf 2020)",
                Some("European Union - 27 countries (from 2020)")
            ),
        ]
    );

    // the requests carry every filter; the fetch row is complete
    let requests = h.eurostat.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0],
        "/data/sts_cobp_a?format=JSON&lang=EN&indic_bt=BPRM_DW&cpa2_1=CPA_F41001&s_adj=NSA\
         &unit=THS&geo=NL&geo=FI&geo=DK&geo=EU27_2020"
    );
    let f = h.last_fetch(SOURCE).await;
    assert_eq!(f.url, format!("{}{}", h.eurostat.url(), requests[0]));
    assert_eq!(
        (f.outcome, f.http_status, f.attempts, f.rows_seen),
        (FetchOutcome::Succeeded, Some(200), 2, 82)
    );
    assert_eq!(f.upstream_modified.as_deref(), Some(MARKER));
    assert_eq!(f.checksum.as_deref().map(str::len), Some(64));
}

#[tokio::test]
async fn a_b_flag_is_stored_as_a_series_break() {
    let h = Harness::start().await;
    h.run(SOURCE).await;

    let breaks = h.breaks(PERMITS).await;

    assert_eq!(breaks.len(), 1, "{breaks:?}");
    let b = &breaks[0];
    assert_eq!(
        (b.before, b.after),
        (Period::Year(2019), Period::Year(2020))
    );
    assert_eq!(b.reason_en, "Eurostat: break in series (flag b) for DK");
    assert_eq!(
        b.reason_nl,
        "Eurostat: breuk in de reeks (vlag b) bij Denemarken"
    );
    // A second run finds the break stored already.
    h.run_forced(SOURCE).await;
    assert_eq!(h.breaks(PERMITS).await.len(), 1);
}

#[tokio::test]
async fn an_unchanged_updated_writes_nothing() {
    // Arrange
    let h = Harness::start().await;
    h.run(SOURCE).await;
    let before = h.all_figures().await;

    // Act
    let report = h.run(SOURCE).await;

    // Assert
    assert_eq!(
        report.outcome,
        FetchOutcome::Unchanged,
        "{:?}",
        report.error
    );
    assert_eq!(report.counts, store::ApplyCounts::default());
    let f = h.last_fetch(SOURCE).await;
    assert_eq!(
        (f.outcome, f.upstream_modified.as_deref(), f.attempts),
        (FetchOutcome::Unchanged, Some(MARKER), 2)
    );
    assert_eq!(h.all_figures().await, before);
}

#[tokio::test]
async fn a_revised_value_keeps_its_old_vintage() {
    // Arrange
    let h = Harness::start().await;
    h.run(SOURCE).await;
    h.eurostat.set_cell(
        "sts_cobp_a",
        &[("geo", "NL"), ("time", "2023")],
        Some(48.1),
        Some("p"),
    );

    // Act: the new `updated` makes the run write
    let report = h.run(SOURCE).await;

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
        (0, 1, 81)
    );
    let history = h
        .store()
        .observation_history(
            &PERMITS.parse().unwrap(),
            &domain::CategoryKey::parse("NL").unwrap(),
            Some(Period::Year(2023)),
        )
        .await
        .unwrap();
    let values: Vec<(f64, ObservationStatus, bool)> = history
        .iter()
        .map(|o| {
            (
                o.observation.value,
                o.observation.status,
                o.superseded_at.is_some(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            (47_819.0, ObservationStatus::Final, true),
            (48_100.0, ObservationStatus::Provisional, false)
        ]
    );
}

#[tokio::test]
async fn values_and_statuses_as_arrays_give_the_same_figures() {
    let h = Harness::start().await;
    h.run(SOURCE).await;
    h.eurostat.use_array_form("sts_cobp_a");
    h.eurostat.use_array_form("tps00001");

    let report = h.run_forced(SOURCE).await;

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
        (0, 0, 82)
    );
}

#[tokio::test]
async fn http_500_is_retried_then_fails_and_keeps_the_figures() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| h.eurostat.fail_next(100, 500)).await;
    let text = error(&fetch);
    assert!(text.contains("reading Eurostat sts_cobp_a"), "{text}");
    assert!(text.contains("HTTP 500 Internal Server Error"), "{text}");
    assert!(text.contains("gave up after 3 attempts"), "{text}");
    assert_eq!(fetch.http_status, Some(500));
    recovers(&h, SOURCE).await;
}

#[tokio::test]
async fn a_truncated_body_fails_and_keeps_the_figures() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| h.eurostat.truncate_responses()).await;
    let text = error(&fetch);
    assert!(
        text.contains("the response ended mid-document (truncated JSON"),
        "{text}"
    );
    recovers(&h, SOURCE).await;
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out() {
    let h = Harness::start().await;
    h.eurostat.fail_next(1, 429);
    let started = std::time::Instant::now();

    let report = h.run(SOURCE).await;

    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert_eq!(h.last_fetch(SOURCE).await.attempts, 3);
}

#[tokio::test]
async fn a_missing_geo_is_drift_and_keeps_the_figures() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| {
        h.eurostat.drop_category("sts_cobp_a", "geo", "DK")
    })
    .await;
    assert_eq!(
        error(&fetch),
        "schema drift in sts_cobp_a: geo DK is missing; stored figures kept; review the source definition"
    );
}

#[tokio::test]
async fn a_missing_filter_code_is_drift() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| {
        h.eurostat.drop_category("sts_cobp_a", "unit", "THS")
    })
    .await;
    let text = error(&fetch);
    assert!(
        text.starts_with("schema drift in sts_cobp_a: unit THS is missing"),
        "{text}"
    );
}

#[tokio::test]
async fn drift_in_the_second_dataset_writes_nothing_of_the_first() {
    // Arrange: population loses Finland before the first run
    let h = Harness::start().await;
    h.eurostat.drop_category("tps00001", "geo", "FI");

    // Act
    let report = h.run(SOURCE).await;

    // Assert: permits were read and valid, yet none was stored
    assert_eq!(report.outcome, FetchOutcome::Failed);
    assert_eq!(
        report.error.as_deref(),
        Some(
            "schema drift in tps00001: geo FI is missing; stored figures kept; review the source definition"
        )
    );
    assert_eq!(h.store().observation_counts().await.unwrap(), (0, 0));
    assert!(h.breaks(PERMITS).await.is_empty());
}

#[tokio::test]
async fn an_unknown_flag_fails_the_run() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| {
        h.eurostat.set_cell(
            "tps00001",
            &[("geo", "NL"), ("time", "2024")],
            Some(17_942_942.0),
            Some("x"),
        )
    })
    .await;
    let text = error(&fetch);
    assert!(
        text.starts_with("invalid data in tps00001: geo NL, time 2024: unknown Eurostat flag 'x'"),
        "{text}"
    );
}

#[tokio::test]
async fn an_unreachable_eurostat_is_recorded() {
    let h = Harness::with_config(|mut c| {
        c.eurostat_api_url = "http://127.0.0.1:1".into();
        c
    })
    .await;
    let report = h.run(SOURCE).await;
    assert_eq!(report.outcome, FetchOutcome::Failed);
    let fetch = h.last_fetch(SOURCE).await;
    assert!(
        error(&fetch).contains("could not connect"),
        "{}",
        error(&fetch)
    );
    assert_eq!(fetch.http_status, None);
}
