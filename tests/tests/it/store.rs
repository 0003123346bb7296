//! The store on its own, on whichever backend the run uses: vintages, atomicity, conflicts.

#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers outside #[test] functions panic on failure"
)]

use domain::{CategoryKey, Observation, ObservationStatus, Period, SeriesId};
use store::{Batch, FetchOutcome, FetchRecord, NewObservation, StoreError};
use testkit::TestDb;

fn figure(year: i32, value: f64, status: ObservationStatus) -> NewObservation {
    NewObservation {
        observation: Observation {
            series: SeriesId::parse("new_build_homes").unwrap(),
            category: CategoryKey::total(),
            period: Period::Year(year),
            value,
            status,
        },
        source_label: "test".into(),
        source_url: "https://example.org".into(),
        note: None,
        margin: None,
    }
}

async fn apply(
    db: &TestDb,
    at: i64,
    figures: Vec<NewObservation>,
) -> Result<store::ApplyCounts, StoreError> {
    let store = db.store();
    let fetch = store.begin_fetch("test", "u", at).await?;
    let batch = Batch {
        categories: Vec::new(),
        observations: figures,
        breaks: Vec::new(),
    };
    let result = store
        .apply_batch(fetch, &batch, &FetchRecord::default(), at)
        .await;
    if result.is_err() {
        store
            .finish_fetch(fetch, FetchOutcome::Failed, &FetchRecord::default(), at)
            .await?;
    }
    result
}

async fn seeded() -> TestDb {
    let db = TestDb::new().await;
    jobs::bootstrap(db.store(), 1).await.unwrap();
    db
}

#[tokio::test]
async fn values_as_known_on_a_date_come_from_the_right_vintage() {
    // Arrange: 2030 first published at t=1000 as 70,000 provisional, revised at t=2000.
    let db = seeded().await;
    let id = SeriesId::parse("new_build_homes").unwrap();
    let total = CategoryKey::total();
    apply(
        &db,
        1_000,
        vec![figure(2030, 70_000.0, ObservationStatus::Provisional)],
    )
    .await
    .unwrap();
    let counts = apply(
        &db,
        2_000,
        vec![figure(2030, 71_000.0, ObservationStatus::Final)],
    )
    .await
    .unwrap();
    assert_eq!(counts.revised, 1);
    // Act
    let value_at = |rows: Vec<store::StoredObservation>| {
        rows.into_iter()
            .find(|o| o.observation.period == Period::Year(2030))
            .map(|o| o.observation.value)
    };
    let before = db
        .store()
        .observations(&id, Some(&total), Some(999))
        .await
        .unwrap();
    let first = db
        .store()
        .observations(&id, Some(&total), Some(1_500))
        .await
        .unwrap();
    let now = db
        .store()
        .observations(&id, Some(&total), None)
        .await
        .unwrap();
    // Assert
    assert_eq!(value_at(before), None);
    assert_eq!(value_at(first), Some(70_000.0));
    assert_eq!(value_at(now), Some(71_000.0));
    let history = db
        .store()
        .observation_history(&id, &total, Some(Period::Year(2030)))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].superseded_at, Some(2_000));
    assert_eq!(history[1].first_seen_at, 2_000);
}

#[tokio::test]
async fn a_status_change_alone_is_a_new_vintage() {
    let db = seeded().await;
    apply(
        &db,
        1_000,
        vec![figure(2030, 70_000.0, ObservationStatus::Provisional)],
    )
    .await
    .unwrap();
    let counts = apply(
        &db,
        2_000,
        vec![figure(2030, 70_000.0, ObservationStatus::Final)],
    )
    .await
    .unwrap();
    assert_eq!((counts.new, counts.revised, counts.unchanged), (0, 1, 0));
}

#[tokio::test]
async fn a_bad_batch_writes_nothing() {
    let db = seeded().await;
    let before = db.store().observation_counts().await.unwrap();
    for bad in [
        vec![
            figure(2030, 1.0, ObservationStatus::Final),
            figure(2030, 2.0, ObservationStatus::Final),
        ],
        vec![
            figure(2031, 1.0, ObservationStatus::Final),
            figure(2032, f64::NAN, ObservationStatus::Final),
        ],
    ] {
        let err = apply(&db, 5_000, bad).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    }
    assert_eq!(db.store().observation_counts().await.unwrap(), before);
}

#[tokio::test]
async fn a_figure_for_an_unknown_series_rolls_the_whole_batch_back() {
    let db = seeded().await;
    let before = db.store().observation_counts().await.unwrap();
    let mut stray = figure(2031, 1.0, ObservationStatus::Final);
    stray.observation.series = SeriesId::parse("not_in_the_catalogue").unwrap();
    let result = apply(
        &db,
        5_000,
        vec![figure(2030, 1.0, ObservationStatus::Final), stray],
    )
    .await;
    assert!(result.is_err());
    assert_eq!(db.store().observation_counts().await.unwrap(), before);
}

#[tokio::test]
async fn runs_left_running_by_a_stopped_process_are_marked_interrupted() {
    let db = seeded().await;
    let id = db
        .store()
        .begin_fetch("cbs-homeless", "u", 10)
        .await
        .unwrap();
    assert_eq!(db.store().mark_interrupted_fetches(20).await.unwrap(), 1);
    let fetch = db.store().get_fetch(id).await.unwrap();
    assert_eq!(fetch.outcome, FetchOutcome::Interrupted);
    // A closed run cannot be closed again (e.g. by the process that was presumed dead).
    let again = db
        .store()
        .finish_fetch(id, FetchOutcome::Failed, &FetchRecord::default(), 30)
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
}

#[tokio::test]
async fn goals_are_inserted_once_and_edits_survive_a_restart() {
    let db = seeded().await;
    let pool = db.store().pool();
    sqlx::query("UPDATE goals SET baseline_value = 26600 WHERE id = 'zero-homelessness-2030'")
        .execute(pool)
        .await
        .unwrap();
    let report = jobs::bootstrap(db.store(), 2).await.unwrap();
    assert_eq!(report.goals_inserted, 0);
    assert_eq!(
        report.snapshot_figures, 0,
        "the snapshot loads only into an empty store"
    );
    let goals = db.store().list_goals().await.unwrap();
    assert_eq!(goals[0].baseline_value, 26_600.0);
}

#[tokio::test]
async fn the_first_run_snapshot_is_labelled_with_its_date_and_sources() {
    let db = seeded().await;
    let snapshot = db
        .store()
        .recent_fetches(Some(store::SNAPSHOT_SOURCE), 1)
        .await
        .unwrap();
    assert_eq!(snapshot[0].upstream_modified.as_deref(), Some("2025-12-19"));
    let id = SeriesId::parse("homes_added_total").unwrap();
    let rows = db.store().observations(&id, None, None).await.unwrap();
    let y2022 = rows
        .iter()
        .find(|o| o.observation.period == Period::Year(2022))
        .unwrap();
    assert_eq!(y2022.source_label, "Minister BZK (2023-05)");
    assert_eq!(y2022.observation.status, ObservationStatus::Rounded);
}
