//! The population of the Netherlands on 1 January (CBS 37296ned), the denominator of every
//! "per 10,000 inhabitants" figure.

use crate::helpers::{Harness, error, fails_and_keeps_data, recovers};
use domain::{ObservationStatus, Period};
use store::FetchOutcome;

const TABLE: &str = "37296ned";
const SOURCE: &str = "cbs-population";

#[tokio::test]
async fn a_first_fetch_stores_the_totals_on_1_january_as_people() {
    // Arrange
    let h = Harness::start().await;

    // Act
    let report = h.run(SOURCE).await;

    // Assert: one row per year, two series per row
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(report.rows_seen, 12);
    assert_eq!(
        (
            report.counts.new,
            report.counts.revised,
            report.counts.unchanged
        ),
        (24, 0, 0)
    );
    let totals: Vec<(Period, f64, ObservationStatus)> = h
        .figures("population_nl", "total")
        .await
        .iter()
        .map(|o| {
            (
                o.observation.period,
                o.observation.value,
                o.observation.status,
            )
        })
        .filter(|(p, ..)| matches!(p, Period::Year(y) if *y >= 2018))
        .collect();
    assert_eq!(
        totals,
        [
            (2018, 17_181_084.0),
            (2019, 17_282_163.0),
            (2020, 17_407_585.0),
            (2021, 17_475_415.0),
            (2022, 17_590_672.0),
            (2023, 17_811_291.0),
            (2024, 17_942_942.0),
        ]
        .map(|(y, v)| (Period::Year(y), v, ObservationStatus::Final))
    );
    // 20 tot 40 + 40 tot 65 jaar on 1 January 2018, as CBS publishes them
    assert_eq!(
        h.figure("population_nl_20_64", "total", Period::Year(2018))
            .await,
        Some((4_253_083.0 + 5_878_229.0, ObservationStatus::Final))
    );
    let f = h.last_fetch(SOURCE).await;
    assert_eq!(
        f.url,
        format!(
            "{}/ODataFeed/odata/{TABLE}/TypedDataSet?$format=json",
            h.cbs.url()
        )
    );
    assert_eq!(f.upstream_modified.as_deref(), Some("2024-08-22T02:00:00"));
}

#[tokio::test]
async fn an_unchanged_modified_skips_the_population_download() {
    // Arrange
    let h = Harness::start().await;
    h.run(SOURCE).await;
    let pages = h.cbs.request_count("TypedDataSet");
    let before = h.all_figures().await;

    // Act
    let report = h.run(SOURCE).await;

    // Assert
    assert_eq!(report.outcome, FetchOutcome::Unchanged);
    assert_eq!(report.counts, store::ApplyCounts::default());
    assert_eq!(
        h.cbs.request_count("TypedDataSet"),
        pages,
        "no data request"
    );
    assert_eq!(h.all_figures().await, before);
}

#[tokio::test]
async fn a_moved_population_topic_is_drift_and_keeps_the_figures() {
    // Arrange / Act: CBS renumbers the total after inserting a column before it
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| {
        h.cbs
            .drift_data_properties(TABLE, "TotaleBevolking_1", "TotaleBevolking_2");
    })
    .await;

    // Assert
    assert_eq!(
        error(&fetch),
        "schema drift in 37296ned: topic TotaleBevolking_1 moved to TotaleBevolking_2 \
         (DataProperties changed); stored figures kept; review the source definition"
    );
    assert_eq!(
        h.figure("population_nl", "total", Period::Year(2024))
            .await
            .map(|f| f.0),
        Some(17_942_942.0)
    );
    // CBS moves it back: the next fetch is good again.
    h.cbs
        .drift_data_properties(TABLE, "TotaleBevolking_2", "TotaleBevolking_1");
    recovers(&h, SOURCE).await;
}

#[tokio::test]
async fn an_age_band_published_in_thousands_is_drift_not_a_thousandfold_error() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| {
        h.cbs.set_unit(TABLE, "k_40Tot65Jaar_12", "x 1 000");
    })
    .await;
    assert!(
        error(&fetch)
            .contains("the unit of topic k_40Tot65Jaar_12 changed from \"aantal\" to \"x 1 000\""),
        "{}",
        error(&fetch)
    );
}

#[tokio::test]
async fn a_stopped_population_table_names_its_successor() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, SOURCE, |h| {
        h.cbs.stop_table(TABLE, "Bevolking; kerncijfers (85496NED)");
    })
    .await;
    let text = error(&fetch);
    assert!(
        text.contains("table 37296ned is stopped (stopgezet)"),
        "{text}"
    );
    assert!(
        text.contains("successor: Bevolking; kerncijfers (85496NED)"),
        "{text}"
    );
}
