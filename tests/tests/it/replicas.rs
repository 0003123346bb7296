//! Several servers over one database (as replicas behind a load balancer): every scheduled tick
//! runs exactly once, a source never runs on two replicas at once, a replica takes over what a
//! dead one left; and how one server stops: `/ready` off first, then runs get their grace, and
//! a run stopped after it writes nothing.

#![expect(
    clippy::unwrap_used,
    reason = "set-up helpers outside #[test] functions panic on failure"
)]

use domain::SourceId;
use jobs::{ProgressEvent, ProgressSink, RunError, RunOptions};
use server::startup::{AppContext, Application, Settings, ShutdownSettings};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::{FetchOutcome, FetchSummary, Store};
use tests::{TestApp, spawn_app_with};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Never fires during a test (1 January, midnight).
const YEARLY: &str = "0 0 0 1 1 *";
const HOMELESS: &str = "cbs-homeless";
/// The CBS table of `cbs-homeless`.
const HOMELESS_TABLE: &str = "80799ned";

fn homeless() -> SourceId {
    SourceId::parse(HOMELESS).unwrap()
}

/// Every source yearly except `cbs-homeless` on `schedule`; the alert check yearly.
fn schedules(settings: &mut Settings, schedule: &str) {
    settings.jobs.schedules = [
        "cbs-homeless",
        "cbs-housing",
        "cbs-permits",
        "cbs-population",
        "cbs-wmo",
        "eurostat-permits",
    ]
    .iter()
    .map(|s| {
        let cron = if *s == HOMELESS { schedule } else { YEARLY };
        ((*s).to_owned(), cron.to_owned())
    })
    .collect();
    settings.jobs.alerts.schedule = YEARLY.to_owned();
}

/// A server of this test's own over the same database, stopped through `stop`.
struct Server {
    address: String,
    ctx: AppContext,
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl Server {
    async fn start(settings: Settings, shutdown: ShutdownSettings) -> Self {
        let app = Application::build(settings)
            .await
            .unwrap()
            .with_shutdown(shutdown);
        let address = format!("http://127.0.0.1:{}", app.port());
        let ctx = app.context().clone();
        let (tx, rx) = oneshot::channel();
        let handle = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        Self {
            address,
            ctx,
            stop: Some(tx),
            handle,
        }
    }

    /// Sends the stop signal (what SIGTERM does) without waiting.
    fn signal(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// The primary test app (scheduling off) and a copy of its settings for more servers.
async fn app_and_settings(change: impl FnOnce(&mut Settings)) -> (TestApp, Settings) {
    let mut copy = None;
    let app = spawn_app_with(|s| {
        change(s);
        copy = Some(s.clone());
    })
    .await;
    (app, copy.unwrap())
}

async fn fetches_of(store: &Store, source: &str) -> Vec<FetchSummary> {
    let mut all = store.recent_fetches(Some(source), 1_000).await.unwrap();
    all.reverse();
    all
}

/// Polls `check` every 50 ms until it holds; panics with `what` after `limit`.
async fn wait_until<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let give_up = Instant::now() + limit;
    while !check().await {
        assert!(Instant::now() < give_up, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn table_infos_requests(app: &TestApp) -> usize {
    app.cbs
        .requests()
        .iter()
        .filter(|r| {
            r.contains(HOMELESS_TABLE)
                && r.split('?')
                    .next()
                    .is_some_and(|p| p.ends_with("TableInfos"))
        })
        .count()
}

#[tokio::test]
async fn a_run_by_hand_is_refused_while_another_replica_runs_the_source() {
    // Arrange: another replica holds cbs-homeless.
    let (app, _) = app_and_settings(|_| {}).await;
    let store = &app.ctx.store;
    let lease = store::source_lease(HOMELESS);
    assert!(
        store
            .claim_lease(&lease, "web-2:7:0a1b2c3d/1", store::now_ms(), 60_000)
            .await
            .unwrap()
    );
    // Act
    let refused = app
        .ctx
        .ingestor
        .run(&homeless(), RunOptions::default(), &())
        .await;
    let elsewhere = app
        .ctx
        .ingestor
        .running_elsewhere(&homeless())
        .await
        .unwrap();
    // Assert
    let Err(e) = refused else {
        panic!("ran while another replica holds the source: {refused:?}")
    };
    assert!(
        matches!(e, RunError::RunningElsewhere(ref s, ref h) if *s == homeless() && h == "web-2:7:0a1b2c3d"),
        "{e:?}"
    );
    assert!(e.is_already_running());
    assert!(
        e.to_string().contains("another replica (web-2:7:0a1b2c3d)"),
        "{e}"
    );
    assert_eq!(elsewhere.as_deref(), Some("web-2:7:0a1b2c3d"));
    assert!(
        fetches_of(store, HOMELESS).await.is_empty(),
        "nothing was started"
    );
    // Once the other replica is done, the run goes ahead.
    assert!(
        store
            .release_lease(&lease, "web-2:7:0a1b2c3d/1", store::now_ms())
            .await
            .unwrap()
    );
    assert_eq!(app.ingest(HOMELESS).await.outcome, FetchOutcome::Succeeded);
    assert_eq!(
        app.ctx
            .ingestor
            .running_elsewhere(&homeless())
            .await
            .unwrap(),
        None
    );
    app.stop().await;
}

#[tokio::test]
async fn the_replica_taking_a_source_over_marks_the_dead_replicas_run_interrupted() {
    // Arrange: a replica died mid-run after the other one started: its row is `running`,
    // its lease lapsed.
    let (app, settings) = app_and_settings(|_| {}).await;
    let replica = Server::start(settings, ShutdownSettings::default()).await;
    let store = app.ctx.store.clone();
    let lease = store::source_lease(HOMELESS);
    let now = store::now_ms();
    assert!(
        store
            .claim_lease(&lease, "web-2:7:0a1b2c3d/1", now - 120_000, 60_000)
            .await
            .unwrap()
    );
    let dead = store
        .begin_fetch(HOMELESS, "u", now - 110_000)
        .await
        .unwrap();
    // Act
    let report = replica
        .ctx
        .ingestor
        .run(&homeless(), RunOptions::default(), &())
        .await
        .unwrap();
    // Assert
    assert_eq!(report.outcome, FetchOutcome::Succeeded);
    let dead = store.get_fetch(dead).await.unwrap();
    assert_eq!(dead.outcome, FetchOutcome::Interrupted);
    assert_eq!(dead.error.as_deref(), Some(jobs::pipeline::TAKEN_OVER));
    let mut replica = replica;
    replica.signal();
    replica.handle.await.unwrap().unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_starting_replica_leaves_the_run_of_a_live_replica_alone() {
    // Arrange: a live replica runs cbs-homeless.
    let (app, settings) = app_and_settings(|_| {}).await;
    let store = app.ctx.store.clone();
    let lease = store::source_lease(HOMELESS);
    assert!(
        store
            .claim_lease(&lease, "web-2:7:0a1b2c3d/1", store::now_ms(), 60_000)
            .await
            .unwrap()
    );
    let live = store
        .begin_fetch(HOMELESS, "u", store::now_ms())
        .await
        .unwrap();
    // Act: another replica starts (and bootstraps).
    let mut replica = Server::start(settings, ShutdownSettings::default()).await;
    // Assert
    assert_eq!(
        store.get_fetch(live).await.unwrap().outcome,
        FetchOutcome::Running
    );
    // The live replica finishes its run.
    store
        .finish_fetch(
            live,
            FetchOutcome::Unchanged,
            &store::FetchRecord::default(),
            store::now_ms(),
        )
        .await
        .unwrap();
    replica.signal();
    replica.handle.await.unwrap().unwrap();
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_run_every_scheduled_tick_exactly_once() {
    // Arrange: cbs-homeless every 3 s on two servers over one database and one upstream; the
    // first fetch (a full one) is done before the schedules start, so every scheduled run is
    // short (unchanged upstream).
    let (app, mut settings) = app_and_settings(|s| schedules(s, YEARLY)).await;
    assert_eq!(app.ingest(HOMELESS).await.outcome, FetchOutcome::Succeeded);
    schedules(&mut settings, "*/3 * * * * *");
    settings.schedule = true;
    let mut a = Server::start(settings.clone(), ShutdownSettings::default()).await;
    let mut b = Server::start(settings, ShutdownSettings::default()).await;
    let store = app.ctx.store.clone();
    let (runs_before, requests_before) = (
        fetches_of(&store, HOMELESS).await.len(),
        table_infos_requests(&app),
    );
    // Act: watch the lease while 5 ticks pass.
    let lease = store::source_lease(HOMELESS);
    let mut ticks: Vec<i64> = Vec::new();
    let give_up = Instant::now() + Duration::from_secs(60);
    while ticks.len() < 5 {
        assert!(Instant::now() < give_up, "ticks seen: {ticks:?}");
        if let Some(l) = store.lease(&lease).await.unwrap()
            && l.last_tick > 0
            && ticks.last() != Some(&l.last_tick)
        {
            ticks.push(l.last_tick);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    a.signal();
    b.signal();
    a.handle.await.unwrap().unwrap();
    b.handle.await.unwrap().unwrap();
    // Assert: consecutive ticks, 3 s apart (no tick skipped), …
    for pair in ticks.windows(2) {
        assert_eq!(pair[1] - pair[0], 3_000, "ticks claimed: {ticks:?}");
    }
    // … one fetch row per tick claimed and one upstream request per run (no tick run twice).
    let runs: Vec<FetchSummary> = fetches_of(&store, HOMELESS).await.split_off(runs_before);
    assert!(
        runs.iter().all(|f| f.outcome == FetchOutcome::Unchanged),
        "{runs:?}"
    );
    let claimed = store.lease(&lease).await.unwrap().unwrap().last_tick;
    let first = ticks[0];
    let expected = usize::try_from((claimed - first) / 3_000 + 1).unwrap();
    // Runs of ticks before the first one seen may have happened too (the watch starts late).
    let seen: Vec<&FetchSummary> = runs.iter().filter(|f| f.started_at >= first).collect();
    assert_eq!(seen.len(), expected, "ticks {first}..={claimed}: {runs:?}");
    assert_eq!(table_infos_requests(&app) - requests_before, runs.len());
    app.stop().await;
}

/// Records the steps of a run.
#[derive(Default)]
struct Steps(Mutex<Vec<String>>);

impl ProgressSink for Steps {
    fn emit(&self, event: &ProgressEvent) {
        if let ProgressEvent::Step { message, .. } = event {
            self.0.lock().unwrap().push(message.clone());
        }
    }
}

impl Steps {
    fn saw(&self, step: &str) -> bool {
        self.0.lock().unwrap().iter().any(|s| s == step)
    }
}

/// Holds the write lock the run needs (PostgreSQL: on `observations`, so that the run's other
/// writes go through first; SQLite: the database's one write lock) until dropped or released.
enum WriteLock {
    Postgres(sqlx::PgConnection),
    Sqlite(sqlx::SqliteConnection),
}

impl WriteLock {
    async fn take(app: &TestApp) -> Self {
        use sqlx::{Connection, Executor};
        match app.db().backend() {
            store::Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(app.db().url()).await.unwrap();
                c.execute("BEGIN").await.unwrap();
                c.execute("LOCK TABLE observations IN EXCLUSIVE MODE")
                    .await
                    .unwrap();
                Self::Postgres(c)
            }
            store::Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(app.db().url())
                    .await
                    .unwrap();
                c.execute("BEGIN IMMEDIATE").await.unwrap();
                Self::Sqlite(c)
            }
        }
    }

    /// Whether a write is waiting for the lock (PostgreSQL only; SQLite cannot tell).
    async fn someone_waits(&mut self) -> bool {
        match self {
            Self::Postgres(c) => {
                let waiting: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_locks WHERE NOT granted \
                     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                )
                .fetch_one(&mut *c)
                .await
                .unwrap();
                waiting > 0
            }
            Self::Sqlite(_) => true,
        }
    }

    async fn release(self) {
        use sqlx::{Connection, Executor};
        match self {
            Self::Postgres(mut c) => {
                c.execute("ROLLBACK").await.unwrap();
                c.close().await.unwrap();
            }
            Self::Sqlite(mut c) => {
                c.execute("ROLLBACK").await.unwrap();
                c.close().await.unwrap();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_stopped_in_the_middle_of_its_write_leaves_nothing_of_it() {
    // Arrange: the run has read everything and is writing when it is stopped: the database's
    // write lock is taken while it reads (slowly) from upstream.
    let (app, _) = app_and_settings(|_| {}).await;
    let store = app.ctx.store.clone();
    let before = store.observation_counts().await.unwrap();
    app.cbs.delay_responses(Some(Duration::from_millis(150)));
    let steps = Arc::new(Steps::default());
    let run = {
        let (ingestor, steps) = (app.ctx.ingestor.clone(), steps.clone());
        tokio::spawn(async move {
            ingestor
                .run(&homeless(), RunOptions { force: true }, &*steps)
                .await
        })
    };
    wait_until(Duration::from_secs(30), "the run started", || {
        let store = store.clone();
        async move {
            fetches_of(&store, HOMELESS)
                .await
                .iter()
                .any(|f| f.outcome == FetchOutcome::Running)
        }
    })
    .await;
    let lock = WriteLock::take(&app).await;
    assert!(
        !steps.saw("validating"),
        "the run was too quick to be caught writing"
    );
    wait_until(Duration::from_secs(30), "the run writes", || {
        let steps = steps.clone();
        async move { steps.saw("validating") }
    })
    .await;
    let mut lock = lock;
    let give_up = Instant::now() + Duration::from_secs(10);
    while !lock.someone_waits().await {
        assert!(
            Instant::now() < give_up,
            "the write never waited for the lock"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Act: stop it (what a shutdown past its grace period does), then let the database go.
    app.ctx.ingestor.cancel_runs();
    tokio::time::sleep(Duration::from_millis(300)).await;
    lock.release().await;
    let report = run.await.unwrap().unwrap();
    // Assert
    assert_eq!(report.outcome, FetchOutcome::Interrupted, "{report:?}");
    let fetch = store.get_fetch(report.fetch_id.unwrap()).await.unwrap();
    assert_eq!(fetch.outcome, FetchOutcome::Interrupted);
    assert_eq!(
        fetch.error.as_deref(),
        Some(jobs::pipeline::STOPPED_BY_SHUTDOWN)
    );
    assert_eq!((fetch.rows_new, fetch.rows_revised), (0, 0));
    let lease = store
        .lease(&store::source_lease(HOMELESS))
        .await
        .unwrap()
        .unwrap();
    assert!(
        !lease.is_live(store::now_ms()),
        "the source was released: {lease:?}"
    );
    assert!(!app.ctx.ingestor.is_running(&homeless()));
    // Nothing of it was stored, then or after its connection was given back.
    for _ in 0..5 {
        assert_eq!(store.observation_counts().await.unwrap(), before);
        let of_run: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE fetch_id = $1")
                .bind(fetch.id)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(of_run, 0);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The source runs again at once (on a server not shutting down, here a new ingestor), and
    // its figures are new: none of the stopped run's stayed.
    app.cbs.delay_responses(None);
    let ingestor = jobs::Ingestor::new(store.clone(), app.ctx.ingestor.config().clone()).unwrap();
    let again = ingestor
        .run(&homeless(), RunOptions::default(), &())
        .await
        .unwrap();
    assert_eq!(again.outcome, FetchOutcome::Succeeded);
    assert!(again.counts.new > 0, "{again:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_server_turns_ready_off_and_stops_a_stuck_run_after_its_grace() {
    // Arrange: a server whose run is stuck on an upstream that does not answer.
    let (app, settings) = app_and_settings(|_| {}).await;
    let mut server = Server::start(
        settings,
        ShutdownSettings {
            drain: Duration::from_millis(2_500),
            grace: Duration::from_millis(1_000),
        },
    )
    .await;
    app.cbs.delay_responses(Some(Duration::from_secs(60)));
    let store = app.ctx.store.clone();
    let run = {
        let ingestor = server.ctx.ingestor.clone();
        tokio::spawn(async move { ingestor.run(&homeless(), RunOptions::default(), &()).await })
    };
    wait_until(Duration::from_secs(30), "the run started", || {
        let store = store.clone();
        async move {
            fetches_of(&store, HOMELESS)
                .await
                .iter()
                .any(|f| f.outcome == FetchOutcome::Running)
        }
    })
    .await;
    let client = reqwest::Client::new();
    let ready = format!("{}/ready", server.address);
    assert_eq!(client.get(&ready).send().await.unwrap().status(), 200);
    // Act
    let signalled = Instant::now();
    server.signal();
    // Assert: during the drain, the server still answers, but is not ready; no run starts.
    wait_until(Duration::from_secs(5), "/ready answers 503", || {
        let (client, ready) = (client.clone(), ready.clone());
        async move {
            client
                .get(&ready)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .ok()
                == Some(503)
        }
    })
    .await;
    let health = client
        .get(format!("{}/health", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let refused = server
        .ctx
        .ingestor
        .run(
            &SourceId::parse("cbs-housing").unwrap(),
            RunOptions::default(),
            &(),
        )
        .await;
    assert!(
        matches!(refused, Err(RunError::ShuttingDown(_))),
        "{refused:?}"
    );
    // The stuck run is stopped after drain + grace, and the server stops.
    server.handle.await.unwrap().unwrap();
    let took = signalled.elapsed();
    assert!(
        took >= Duration::from_millis(3_400) && took < Duration::from_secs(20),
        "{took:?}"
    );
    let report = run.await.unwrap().unwrap();
    assert_eq!(report.outcome, FetchOutcome::Interrupted);
    let fetch = store.get_fetch(report.fetch_id.unwrap()).await.unwrap();
    assert_eq!(fetch.outcome, FetchOutcome::Interrupted);
    assert_eq!(
        fetch.error.as_deref(),
        Some(jobs::pipeline::STOPPED_BY_SHUTDOWN)
    );
    let lease = store
        .lease(&store::source_lease(HOMELESS))
        .await
        .unwrap()
        .unwrap();
    assert!(
        !lease.is_live(store::now_ms()),
        "released for another replica: {lease:?}"
    );
    app.cbs.delay_responses(None);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_starting_together_prepare_the_database_one_at_a_time() {
    // Arrange: an empty database, two servers starting at once.
    let db = testkit::TestDb::new().await;
    // Act
    let (a, b) = tokio::join!(
        jobs::bootstrap(db.store(), store::now_ms()),
        jobs::bootstrap(db.store(), store::now_ms())
    );
    // Assert: both succeed; the snapshot is loaded once.
    let (a, b) = (a.unwrap(), b.unwrap());
    let loaded = [a.snapshot_figures, b.snapshot_figures];
    assert_eq!(loaded.iter().filter(|n| **n > 0).count(), 1, "{loaded:?}");
    let loads = fetches_of(db.store(), store::SNAPSHOT_SOURCE).await;
    assert_eq!(loads.len(), 1, "{loads:?}");
    assert_eq!(loads[0].outcome, FetchOutcome::Succeeded);
}

#[tokio::test]
async fn a_snapshot_load_cut_off_by_a_crash_is_closed_at_the_next_start() {
    // Arrange: a process died loading the snapshot (its lease has lapsed since).
    let db = testkit::TestDb::new().await;
    let left = db
        .store()
        .begin_fetch(store::SNAPSHOT_SOURCE, "u", 10)
        .await
        .unwrap();
    // Act
    let report = jobs::bootstrap(db.store(), store::now_ms()).await.unwrap();
    // Assert
    assert_eq!(report.interrupted_fetches, 1);
    assert!(report.snapshot_figures > 0);
    let left = db.store().get_fetch(left).await.unwrap();
    assert_eq!(left.outcome, FetchOutcome::Interrupted);
}
