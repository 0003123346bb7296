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

// Job leases (store::leases): one conditional UPDATE decides every claim.

const JOB: &str = "ingest:lease-test";

#[tokio::test]
async fn a_scheduled_tick_is_claimed_once_and_a_live_lease_blocks_later_ticks() {
    // Arrange
    let db = TestDb::new().await;
    let s = db.store();
    // Act + Assert: A takes tick 1000 until 1500.
    assert!(
        s.claim_lease_tick(JOB, "a/1", 1_000, 1_000, 500)
            .await
            .unwrap()
    );
    assert!(
        !s.claim_lease_tick(JOB, "b/1", 1_000, 1_001, 500)
            .await
            .unwrap(),
        "the same tick twice"
    );
    assert!(
        !s.claim_lease_tick(JOB, "a/2", 1_000, 1_002, 500)
            .await
            .unwrap(),
        "the same tick by the same process"
    );
    assert!(
        !s.claim_lease_tick(JOB, "b/1", 2_000, 1_499, 500)
            .await
            .unwrap(),
        "a later tick while the lease lives"
    );
    // The lease lapses at 1500: B takes the later tick.
    assert!(
        s.claim_lease_tick(JOB, "b/1", 2_000, 1_500, 500)
            .await
            .unwrap()
    );
    let lease = s.lease(JOB).await.unwrap().unwrap();
    assert_eq!(
        (lease.holder.as_str(), lease.last_tick, lease.expires_at),
        ("b/1", 2_000, 2_000)
    );
    assert!(lease.is_live(1_999) && !lease.is_live(2_000));
    // A tick once claimed stays claimed, even after the lease lapsed.
    assert!(
        !s.claim_lease_tick(JOB, "a/3", 2_000, 9_000, 500)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn only_the_holder_renews_or_releases_and_a_release_frees_the_next_tick_at_once() {
    // Arrange
    let db = TestDb::new().await;
    let s = db.store();
    assert!(
        s.claim_lease_tick(JOB, "b/1", 2_000, 2_000, 500)
            .await
            .unwrap()
    );
    // Act + Assert
    assert!(
        !s.renew_lease(JOB, "a/1", 2_100, 500).await.unwrap(),
        "not A's"
    );
    assert!(s.renew_lease(JOB, "b/1", 2_100, 500).await.unwrap());
    assert_eq!(s.lease(JOB).await.unwrap().unwrap().expires_at, 2_600);
    assert!(
        !s.release_lease(JOB, "a/1", 2_200).await.unwrap(),
        "not A's"
    );
    assert!(s.release_lease(JOB, "b/1", 2_200).await.unwrap());
    assert!(
        !s.release_lease(JOB, "b/1", 2_200).await.unwrap(),
        "released already"
    );
    assert!(
        !s.renew_lease(JOB, "b/1", 2_300, 500).await.unwrap(),
        "a released lease is not renewed"
    );
    let lease = s.lease(JOB).await.unwrap().unwrap();
    assert_eq!((lease.holder.as_str(), lease.last_tick), ("b/1", 2_000));
    assert!(!lease.is_live(2_200));
    // Released: the next tick is claimable at once.
    assert!(
        s.claim_lease_tick(JOB, "a/1", 3_000, 2_200, 500)
            .await
            .unwrap()
    );
    // A lapsed lease cannot be renewed: its holder must stop.
    assert!(!s.renew_lease(JOB, "a/1", 2_700, 500).await.unwrap());
}

#[tokio::test]
async fn a_claim_by_hand_waits_for_nobody_but_is_refused_while_the_lease_lives() {
    // Arrange
    let db = TestDb::new().await;
    let s = db.store();
    assert!(
        s.claim_lease_tick(JOB, "a/1", 1_000, 1_000, 500)
            .await
            .unwrap()
    );
    // Act + Assert
    assert!(
        !s.claim_lease(JOB, "b/1", 1_200, 500).await.unwrap(),
        "live"
    );
    assert!(s.release_lease(JOB, "a/1", 1_300).await.unwrap());
    assert!(s.claim_lease(JOB, "b/1", 1_300, 500).await.unwrap());
    let lease = s.lease(JOB).await.unwrap().unwrap();
    assert_eq!(
        (lease.holder.as_str(), lease.last_tick, lease.expires_at),
        ("b/1", 1_000, 1_800),
        "a claim by hand keeps the last tick"
    );
    assert!(
        !s.claim_lease_tick(JOB, "a/2", 2_000, 1_400, 500)
            .await
            .unwrap(),
        "a scheduled tick waits for the run by hand"
    );
    // A process takes back only its own abandoned claim, and only from that claim.
    assert!(
        !s.reclaim_lease(JOB, "a/1", "a/3", None, 1_500, 500)
            .await
            .unwrap()
    );
    assert!(
        s.reclaim_lease(JOB, "b/1", "b/2", None, 1_500, 500)
            .await
            .unwrap()
    );
    assert!(
        !s.reclaim_lease(JOB, "b/2", "b/3", Some(1_000), 1_600, 500)
            .await
            .unwrap(),
        "not for a tick claimed already"
    );
    assert!(
        s.reclaim_lease(JOB, "b/2", "b/3", Some(2_000), 1_600, 500)
            .await
            .unwrap()
    );
    let lease = s.lease(JOB).await.unwrap().unwrap();
    assert_eq!((lease.holder.as_str(), lease.last_tick), ("b/3", 2_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_concurrent_claims_of_one_tick_exactly_one_wins() {
    // Arrange: 16 replicas fire the same tick at once, twice over (scheduled, then by hand).
    let db = TestDb::new().await;
    let now = store::now_ms();
    for round in 0..2 {
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(16));
        let claims = (0..16).map(|i| {
            let (store, start) = (db.store().clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let holder = format!("replica-{i}/{round}");
                if round == 0 {
                    store.claim_lease_tick(JOB, &holder, now, now, 60_000).await
                } else {
                    store.claim_lease(JOB, &holder, now + 1, 60_000).await
                }
            })
        });
        // Act
        let won: Vec<bool> = futures_all(claims).await;
        // Assert
        assert_eq!(
            won.iter().filter(|w| **w).count(),
            1,
            "round {round}: {won:?}"
        );
        let lease = db.store().lease(JOB).await.unwrap().unwrap();
        assert!(lease.holder.ends_with(&format!("/{round}")), "{lease:?}");
        assert!(
            db.store()
                .release_lease(JOB, &lease.holder, now + 1)
                .await
                .unwrap()
        );
    }
}

async fn futures_all(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<Result<bool, StoreError>>>,
) -> Vec<bool> {
    let mut out = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        out.push(task.await.unwrap().unwrap());
    }
    out
}

#[tokio::test]
async fn a_run_left_running_is_marked_interrupted_only_once_its_source_lease_lapsed() {
    // Arrange: a replica runs cbs-homeless (lease until 110); cbs-housing's runner died
    // without a lease left.
    let db = seeded().await;
    let s = db.store();
    let live = s.begin_fetch("cbs-homeless", "u", 10).await.unwrap();
    let dead = s.begin_fetch("cbs-housing", "u", 10).await.unwrap();
    assert!(
        s.claim_lease("ingest:cbs-homeless", "web-2:7:x/1", 10, 100)
            .await
            .unwrap()
    );
    // Act: another replica starts at 50.
    let marked = s.mark_interrupted_fetches(50).await.unwrap();
    // Assert
    assert_eq!(marked, 1);
    assert_eq!(
        s.get_fetch(live).await.unwrap().outcome,
        FetchOutcome::Running
    );
    let dead = s.get_fetch(dead).await.unwrap();
    assert_eq!(dead.outcome, FetchOutcome::Interrupted);
    assert_eq!(dead.error.as_deref(), Some(store::STOPPED_PROCESS));
    // Once its lease lapsed, the live one's runner is presumed dead too.
    assert_eq!(s.mark_interrupted_fetches(110).await.unwrap(), 1);
    assert_eq!(
        s.get_fetch(live).await.unwrap().outcome,
        FetchOutcome::Interrupted
    );
}

#[tokio::test]
async fn the_process_taking_a_source_over_marks_only_that_sources_runs_interrupted() {
    // Arrange
    let db = seeded().await;
    let s = db.store();
    let left = s.begin_fetch("cbs-housing", "u", 10).await.unwrap();
    let other = s.begin_fetch("cbs-homeless", "u", 10).await.unwrap();
    // Act
    let marked = s
        .interrupt_fetches_of("cbs-housing", "taken over", 20)
        .await
        .unwrap();
    // Assert
    assert_eq!(marked, 1);
    let left = s.get_fetch(left).await.unwrap();
    assert_eq!(
        (left.outcome, left.error.as_deref(), left.finished_at),
        (FetchOutcome::Interrupted, Some("taken over"), Some(20))
    );
    assert_eq!(
        s.get_fetch(other).await.unwrap().outcome,
        FetchOutcome::Running
    );
}

#[tokio::test]
async fn memoized_reads_show_a_local_write_at_once_and_another_process_write_within_the_ttl() {
    let db = seeded().await;
    let series = SeriesId::parse("new_build_homes").unwrap();
    let value_2023 = |obs: Vec<store::StoredObservation>| {
        obs.iter()
            .find(|o| o.observation.period == Period::Year(2023))
            .map(|o| o.observation.value)
    };
    let read = |store: store::Store| {
        let series = series.clone();
        async move { store.observations(&series, None, None).await.unwrap() }
    };
    // Read twice: the second answer comes from the memo.
    let before = value_2023(read(db.store().clone()).await);
    assert_eq!(before, value_2023(read(db.store().clone()).await));

    // A write through this store shows on the very next read.
    apply(
        &db,
        5_000,
        vec![figure(2023, 90_001.0, ObservationStatus::Final)],
    )
    .await
    .unwrap();
    assert_eq!(value_2023(read(db.store().clone()).await), Some(90_001.0));

    // A write by another process (a second store on the same database) shows within the TTL.
    let other = store::Store::open(db.url(), 2).await.unwrap();
    let fetch = other.begin_fetch("test", "u", 6_000).await.unwrap();
    let batch = Batch {
        categories: Vec::new(),
        observations: vec![figure(2023, 90_002.0, ObservationStatus::Final)],
        breaks: Vec::new(),
    };
    other
        .apply_batch(fetch, &batch, &FetchRecord::default(), 6_000)
        .await
        .unwrap();
    tokio::time::sleep(store::VERSION_TTL + std::time::Duration::from_millis(50)).await;
    assert_eq!(value_2023(read(db.store().clone()).await), Some(90_002.0));
    assert_eq!(
        db.store().data_version().await.unwrap(),
        other.data_version().await.unwrap()
    );
}
