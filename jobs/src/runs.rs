//! Runs started by a person (the console's "run now"): started in the background and kept in
//! the database (`console_runs`) while they go on, so that the progress page shows the run
//! whichever replica serves the page.
//!
//! The server running a run writes its progress as it changes and at least every
//! [`HEARTBEAT`]; a run that is unfinished but not written for [`STALE_AFTER`] belonged to a
//! server that stopped, and reads as ended. The newest [`store::KEPT_CONSOLE_RUNS`] runs are
//! kept; the `fetches` table stays the lasting record. A run id is random, so a bookmarked run
//! page never shows another run.

use crate::pipeline::{Ingestor, ProgressEvent, ProgressSink, RunError, RunOptions, RunReport};
use domain::SourceId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use store::{ConsoleRun, Store, StoreError};
use tokio::sync::Notify;

/// How many runs a page lists.
pub const KEPT_RUNS: i64 = 50;

/// Longest list of progress events kept per run (a long retry storm keeps its newest events).
const KEPT_EVENTS: usize = 200;

/// A running run is written at least this often, even without news.
pub const HEARTBEAT: Duration = Duration::from_secs(5);

/// An unfinished run not written for this long belonged to a server that stopped.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// Bursts of progress (rows read page after page) are written together after this pause.
const COALESCE: Duration = Duration::from_millis(200);

/// What an unfinished run whose server went away says.
pub const STOPPED: &str = "the run stopped before it finished (its server stopped)";

/// One tracked run as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackedRun {
    /// Random id (32 hex digits).
    pub id: String,
    /// The source.
    pub source: SourceId,
    /// Who started it (a console username).
    pub started_by: String,
    /// When it was started, epoch ms.
    pub started_ms: i64,
    /// Progress so far, oldest first, each with its time (epoch ms).
    pub events: Vec<(i64, ProgressEvent)>,
    /// Rows read so far.
    pub rows: u64,
    /// The end: the run's report, or why it could not run. `None` while it runs.
    pub finished: Option<Result<RunReport, String>>,
    /// When it ended, epoch ms.
    pub finished_ms: Option<i64>,
}

impl TrackedRun {
    /// Whether the run is still going.
    pub fn is_running(&self) -> bool {
        self.finished.is_none()
    }

    /// Reads a stored run; one left unfinished by a server that stopped reads as ended.
    fn from_stored(row: ConsoleRun, now_ms: i64) -> Result<Self, StoreError> {
        let mut run: TrackedRun = serde_json::from_str(&row.state).map_err(|e| {
            StoreError::Corrupt(format!("console run {} cannot be read: {e}", row.id))
        })?;
        let stale = row.updated_at + STALE_AFTER.as_millis() as i64 <= now_ms;
        if run.finished.is_none() && stale {
            run.finished = Some(Err(STOPPED.to_owned()));
            run.finished_ms = Some(row.updated_at);
        }
        Ok(run)
    }
}

/// Starts runs in the background and follows them. Cheap to clone.
#[derive(Clone)]
pub struct RunTracker {
    ingestor: Arc<Ingestor>,
    /// The runs this process is running (newer than what is stored).
    live: Arc<Mutex<HashMap<String, Arc<Recorder>>>>,
}

/// Records one run's events; dropped unfinished (a panic, a runtime shutting down), it marks
/// the run as stopped so that no page waits for it forever.
struct Recorder {
    run: Mutex<TrackedRun>,
    changed: Notify,
    done: AtomicBool,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if !self.done.load(Ordering::Relaxed) {
            self.finish(Err("the run stopped before it finished".to_owned()));
        }
    }
}

impl Recorder {
    fn update(&self, f: impl FnOnce(&mut TrackedRun)) {
        f(&mut self.run.lock().unwrap_or_else(PoisonError::into_inner));
        self.changed.notify_one();
    }

    fn snapshot(&self) -> TrackedRun {
        self.run
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn finish(&self, outcome: Result<RunReport, String>) {
        self.done.store(true, Ordering::Relaxed);
        self.update(|run| {
            run.finished = Some(outcome);
            run.finished_ms = Some(store::now_ms());
        });
    }
}

impl ProgressSink for Recorder {
    fn emit(&self, event: &ProgressEvent) {
        self.update(|run| {
            if let ProgressEvent::Rows { rows, .. } = event {
                run.rows = *rows;
            }
            if run.events.len() >= KEPT_EVENTS {
                run.events.remove(0);
            }
            run.events.push((store::now_ms(), event.clone()));
        });
    }
}

/// The stored form of a run as it stands.
fn stored(run: &TrackedRun, now_ms: i64) -> ConsoleRun {
    ConsoleRun {
        id: run.id.clone(),
        source: run.source.to_string(),
        started_by: run.started_by.clone(),
        started_at: run.started_ms,
        updated_at: now_ms,
        finished_at: run.finished_ms,
        // A run is plain data (strings, numbers, the report): it always serialises.
        state: serde_json::to_string(run).unwrap_or_default(),
    }
}

/// Writes a run's progress until it ends: after each change (bursts together) and at least
/// every [`HEARTBEAT`].
async fn persist(store: Store, recorder: Arc<Recorder>) {
    loop {
        let run = recorder.snapshot();
        let row = stored(&run, store::now_ms());
        if let Err(e) = store
            .update_console_run(&row.id, &row.state, row.updated_at, row.finished_at)
            .await
        {
            tracing::warn!(error.cause_chain = ?e, run = %row.id, "writing a console run's progress failed");
        }
        if !run.is_running() {
            return;
        }
        tokio::select! {
            () = recorder.changed.notified() => tokio::time::sleep(COALESCE).await,
            () = tokio::time::sleep(HEARTBEAT) => {}
        }
    }
}

impl RunTracker {
    /// A tracker that runs sources with `ingestor`.
    pub fn new(ingestor: Arc<Ingestor>) -> Self {
        Self {
            ingestor,
            live: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Starts `source` in the background (a forced run: the person asked for it) and returns
    /// the run id once the run is recorded. Fails without starting anything when the source is
    /// unknown or already running, here or on another replica.
    pub async fn start(&self, source: &SourceId, started_by: &str) -> Result<String, RunError> {
        if !self.ingestor.sources().iter().any(|s| &s.id == source) {
            let known: Vec<String> = self
                .ingestor
                .sources()
                .into_iter()
                .map(|s| s.id.to_string())
                .collect();
            return Err(RunError::UnknownSource(
                source.to_string(),
                known.join(", "),
            ));
        }
        if self.ingestor.is_running(source) {
            return Err(RunError::AlreadyRunning(source.clone()));
        }
        if let Some(holder) = self.ingestor.running_elsewhere(source).await? {
            return Err(RunError::RunningElsewhere(source.clone(), holder));
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let run = TrackedRun {
            id: id.clone(),
            source: source.clone(),
            started_by: started_by.to_owned(),
            started_ms: store::now_ms(),
            events: Vec::new(),
            rows: 0,
            finished: None,
            finished_ms: None,
        };
        let store = self.ingestor.store().clone();
        store
            .insert_console_run(&stored(&run, run.started_ms))
            .await?;
        let recorder = Arc::new(Recorder {
            run: Mutex::new(run),
            changed: Notify::new(),
            done: AtomicBool::new(false),
        });
        self.live
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.clone(), recorder.clone());
        let writer = tokio::spawn(persist(store, recorder.clone()));
        let (ingestor, source, live) = (self.ingestor.clone(), source.clone(), self.live.clone());
        let run_id = id.clone();
        tokio::spawn(async move {
            let options = RunOptions { force: true };
            let result = ingestor.run(&source, options, &*recorder).await;
            if let Err(e) = &result {
                tracing::error!(error.cause_chain = ?e, error.message = %e, source = %source, "triggered run could not run");
            }
            recorder.finish(result.map_err(|e| e.to_string()));
            drop(recorder);
            // Once the end is written, the stored run is as new as the live one.
            let _ = writer.await;
            live.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&run_id);
        });
        Ok(id)
    }

    /// One run by id, from this process while it runs here, else as stored.
    pub async fn get(&self, id: &str) -> Result<Option<TrackedRun>, StoreError> {
        if let Some(run) = self.live_run(id) {
            return Ok(Some(run));
        }
        let now = store::now_ms();
        match self.ingestor.store().console_run(id).await? {
            Some(row) => TrackedRun::from_stored(row, now).map(Some),
            None => Ok(None),
        }
    }

    /// The newest runs (at most [`KEPT_RUNS`]), of one source or all, newest first.
    pub async fn recent(&self, source: Option<&SourceId>) -> Result<Vec<TrackedRun>, StoreError> {
        let now = store::now_ms();
        let rows = self
            .ingestor
            .store()
            .recent_console_runs(source.map(SourceId::as_str), KEPT_RUNS)
            .await?;
        rows.into_iter()
            .map(|row| match self.live_run(&row.id) {
                Some(run) => Ok(run),
                None => TrackedRun::from_stored(row, now),
            })
            .collect()
    }

    fn live_run(&self, id: &str) -> Option<TrackedRun> {
        let live = self.live.lock().unwrap_or_else(PoisonError::into_inner);
        live.get(id).map(|r| r.snapshot())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(finished: Option<Result<RunReport, String>>) -> TrackedRun {
        TrackedRun {
            id: "0123456789abcdef0123456789abcdef".into(),
            source: SourceId::parse("cbs-homeless").unwrap(),
            started_by: "anna".into(),
            started_ms: 1_000,
            events: vec![(
                1_001,
                ProgressEvent::Step {
                    source: SourceId::parse("cbs-homeless").unwrap(),
                    message: "reading TableInfos".into(),
                },
            )],
            rows: 12,
            finished,
            finished_ms: None,
        }
    }

    #[test]
    fn a_stored_run_reads_back_as_it_was() {
        let original = run(None);
        let row = stored(&original, 2_000);
        let back = TrackedRun::from_stored(row, 2_000 + 1_000).unwrap();
        assert_eq!(back, original);
    }

    #[test]
    fn an_unfinished_run_not_written_for_a_minute_reads_as_stopped() {
        let row = stored(&run(None), 2_000);
        let now = 2_000 + STALE_AFTER.as_millis() as i64;
        let back = TrackedRun::from_stored(row, now).unwrap();
        assert_eq!(back.finished, Some(Err(STOPPED.to_owned())));
        assert_eq!(back.finished_ms, Some(2_000));
    }

    #[test]
    fn a_finished_run_never_reads_as_stopped() {
        let row = stored(&run(Some(Err("unknown source".into()))), 2_000);
        let back = TrackedRun::from_stored(row, i64::MAX / 2).unwrap();
        assert_eq!(back.finished, Some(Err("unknown source".into())));
    }
}
