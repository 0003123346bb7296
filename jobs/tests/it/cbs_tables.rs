//! The national slices of regional CBS tables: building permits by client and tenure
//! (83671NED) and Wmo clients with shelter or protected housing (86050NED).

use crate::helpers::{Harness, error, fails_and_keeps_data, recovers};
use domain::{ObservationStatus, Period};
use store::FetchOutcome;

#[tokio::test]
async fn permits_are_read_for_the_netherlands_only_by_client_and_tenure() {
    // Arrange
    let h = Harness::start().await;

    // Act
    let report = h.run("cbs-permits").await;

    // Assert: the Feed was asked for NL01 with its padding, so no municipal row came back
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    let data: Vec<String> = h
        .cbs
        .requests()
        .into_iter()
        .filter(|r| r.contains("TypedDataSet"))
        .collect();
    assert!(
        data.iter()
            .all(|r| r.contains("$filter=RegioS%20eq%20%27NL01%20%20%27")),
        "{data:?}"
    );
    assert_eq!(report.rows_seen, 96, "8 periods x 4 clients x 3 tenures");
    assert_eq!(report.counts.new, 8 * 7);

    // the published national figures, quarters and years side by side
    let q = |y, q| Period::Quarter(y, q);
    assert_eq!(
        h.figure("permits_by_client", "total", q(2025, 1)).await,
        Some((12_500.0, ObservationStatus::Provisional))
    );
    assert_eq!(
        h.figure("permits_by_client", "total", q(2024, 1))
            .await
            .map(|f| f.0),
        Some(16_000.0)
    );
    assert_eq!(
        h.figure("permits_by_client", "total", q(2025, 2))
            .await
            .map(|f| f.0),
        Some(20_000.0)
    );
    assert_eq!(
        h.figure("permits_by_client", "total", Period::Year(2016))
            .await
            .map(|f| f.0),
        Some(50_997.0)
    );
    assert_eq!(
        h.figure("permits_by_client", "A028184", q(2025, 1))
            .await
            .map(|f| f.0),
        Some(3_750.0)
    );
    assert_eq!(
        h.figure("permits_by_tenure", "A028867", q(2025, 1))
            .await
            .map(|f| f.0),
        Some(6_823.0)
    );
    let clients = h
        .store()
        .list_categories(&"permits_by_client".parse().unwrap())
        .await
        .unwrap();
    let labels: Vec<&str> = clients.iter().map(|c| c.title_nl.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Totaal opdrachtgevers",
            "Corporaties en overheid",
            "Marktpartijen",
            "Particulieren"
        ]
    );
    let f = h.last_fetch("cbs-permits").await;
    assert_eq!(
        f.url,
        format!(
            "{}/ODataFeed/odata/83671NED/TypedDataSet?$format=json&$filter=RegioS%20eq%20%27NL01%20%20%27",
            h.cbs.url()
        )
    );
}

#[tokio::test]
async fn an_unchanged_permits_table_is_skipped() {
    let h = Harness::start().await;
    h.run("cbs-permits").await;
    let pages = h.cbs.request_count("TypedDataSet");

    let report = h.run("cbs-permits").await;

    assert_eq!(report.outcome, FetchOutcome::Unchanged);
    assert_eq!(h.cbs.request_count("TypedDataSet"), pages);
}

#[tokio::test]
async fn wmo_shelter_clients_are_derived_per_year() {
    // Act
    let h = Harness::start().await;
    let report = h.run("cbs-wmo").await;

    // Assert: 1,284,680 − 1,259,250 clients in 2024* (CBS); half-years are left out
    assert_eq!(
        report.outcome,
        FetchOutcome::Succeeded,
        "{:?}",
        report.error
    );
    assert_eq!(report.rows_seen, 35, "7 periods x 5 types, national only");
    let figures = h.figures("wmo_clients_shelter", "total").await;
    let years: Vec<(Period, f64, ObservationStatus)> = figures
        .iter()
        .map(|o| {
            (
                o.observation.period,
                o.observation.value,
                o.observation.status,
            )
        })
        .collect();
    assert_eq!(years.len(), 5);
    assert_eq!(
        years.last(),
        Some(&(Period::Year(2024), 25_430.0, ObservationStatus::Provisional))
    );
    assert!(years.iter().all(|(p, ..)| p.is_year()));
}

#[tokio::test]
async fn a_retitled_wmo_category_is_drift_and_keeps_the_figures() {
    let h = Harness::start().await;
    let fetch = fails_and_keeps_data(&h, "cbs-wmo", |h| {
        h.cbs.set_category_title(
            "86050NED",
            "TypeMaatwerkvoorziening",
            "A050661",
            "Wmo zonder verblijf",
        )
    })
    .await;
    assert_eq!(
        error(&fetch),
        "schema drift in 86050NED: TypeMaatwerkvoorziening has no category titled \
         \"totaal exclusief verblijf en opvang...\" (the titles changed); stored figures kept; \
         review the source definition"
    );
    // CBS restores the title: the next fetch is good again.
    h.cbs.set_category_title(
        "86050NED",
        "TypeMaatwerkvoorziening",
        "A050661",
        "Totaal exclusief verblijf en opvang",
    );
    recovers(&h, "cbs-wmo").await;
}

#[tokio::test]
async fn a_500_or_a_truncated_body_fails_each_new_cbs_source_and_keeps_data() {
    for source in ["cbs-permits", "cbs-wmo"] {
        let h = Harness::start().await;
        let fetch = fails_and_keeps_data(&h, source, |h| h.cbs.fail_next(100, 500)).await;
        assert!(
            error(&fetch).contains("HTTP 500 Internal Server Error"),
            "{source}: {}",
            error(&fetch)
        );
        recovers(&h, source).await;

        let h = Harness::start().await;
        let fetch = fails_and_keeps_data(&h, source, |h| h.cbs.truncate_data()).await;
        assert!(
            error(&fetch).contains("truncated JSON"),
            "{source}: {}",
            error(&fetch)
        );
        recovers(&h, source).await;
    }
}
