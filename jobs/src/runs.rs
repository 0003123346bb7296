//! Runs started by a person (the console's "run now"), tracked in memory so that the page can
//! show their progress and outcome while they run in the background.
//!
//! The tracker keeps the newest [`KEPT_RUNS`] runs of this process; the `fetches` table stays
//! the lasting record. A run id is random, so a bookmarked run page never shows another run
//! after a restart.

use crate::pipeline::{Ingestor, ProgressEvent, ProgressSink, RunError, RunOptions, RunReport};
use domain::SourceId;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// How many runs the tracker remembers.
pub const KEPT_RUNS: usize = 50;

/// Longest list of progress events kept per run (a long retry storm keeps its newest events).
const KEPT_EVENTS: usize = 200;

/// One tracked run as it stands.
#[derive(Debug, Clone, PartialEq)]
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
}

/// Starts runs in the background and remembers how they go. Cheap to clone.
#[derive(Clone)]
pub struct RunTracker {
    ingestor: Arc<Ingestor>,
    runs: Arc<Mutex<VecDeque<TrackedRun>>>,
}

/// Records one run's events in the tracker; dropped unfinished (a panic, a runtime shutting
/// down), it marks the run as stopped so that no page waits for it forever.
struct Recorder {
    runs: Arc<Mutex<VecDeque<TrackedRun>>>,
    id: String,
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
        let mut runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(run) = runs.iter_mut().find(|r| r.id == self.id) {
            f(run);
        }
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

impl RunTracker {
    /// A tracker that runs sources with `ingestor`.
    pub fn new(ingestor: Arc<Ingestor>) -> Self {
        Self {
            ingestor,
            runs: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    /// Starts `source` in the background (a forced run: the person asked for it) and returns
    /// the run id at once. Fails without starting anything when the source is unknown or
    /// already running.
    pub fn start(&self, source: &SourceId, started_by: &str) -> Result<String, RunError> {
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
        let id = uuid::Uuid::new_v4().simple().to_string();
        {
            let mut runs = self.runs.lock().unwrap_or_else(PoisonError::into_inner);
            if runs.len() >= KEPT_RUNS {
                runs.pop_back();
            }
            runs.push_front(TrackedRun {
                id: id.clone(),
                source: source.clone(),
                started_by: started_by.to_owned(),
                started_ms: store::now_ms(),
                events: Vec::new(),
                rows: 0,
                finished: None,
                finished_ms: None,
            });
        }
        let recorder = Recorder {
            runs: self.runs.clone(),
            id: id.clone(),
            done: AtomicBool::new(false),
        };
        let (ingestor, source) = (self.ingestor.clone(), source.clone());
        tokio::spawn(async move {
            let result = ingestor
                .run(&source, RunOptions { force: true }, &recorder)
                .await;
            if let Err(e) = &result {
                tracing::error!(error.cause_chain = ?e, error.message = %e, source = %source, "triggered run could not run");
            }
            recorder.finish(result.map_err(|e| e.to_string()));
        });
        Ok(id)
    }

    /// One run by id.
    pub fn get(&self, id: &str) -> Option<TrackedRun> {
        self.runs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|r| r.id == id)
            .cloned()
    }

    /// The remembered runs, newest first, of one source or all.
    pub fn recent(&self, source: Option<&SourceId>) -> Vec<TrackedRun> {
        self.runs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|r| source.is_none_or(|s| &r.source == s))
            .cloned()
            .collect()
    }
}
