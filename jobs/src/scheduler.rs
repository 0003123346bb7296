//! One cron schedule per source (tokio-cron-scheduler; six fields, seconds first, UTC). A tick
//! that finds its source still running is skipped and logged; runs never queue up or overlap.
//!
//! Schedules come from [`JobsConfig::schedule_for`](crate::JobsConfig::schedule_for); the
//! server fills them from `KOERS_SCHEDULE_<SOURCE>` (see [`schedule_variable`]).
//!
//! With several replicas over one database every replica schedules every job, and each firing
//! is run by exactly one of them: the one whose claim of that tick's lease succeeds (see
//! [`crate::leases`]). A firing stands for its *scheduled instant* ([`TickClock`]), so replicas
//! whose timers fire some milliseconds apart claim the same tick. The periodic alert check
//! claims its ticks the same way (lease `alert-check`), and also sweeps up fetch rows left
//! `running` by a replica that died.

use crate::leases::ALERT_CHECK_JOB;
use crate::pipeline::{Ingestor, RunError};
use anyhow::Context;
use chrono::{DateTime, Timelike, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds};
use domain::SourceId;
use std::sync::{Arc, Mutex, PoisonError};
use time::OffsetDateTime;
use tokio_cron_scheduler::{Job, JobScheduler};
use uuid::Uuid;

/// The environment variable that sets a source's schedule: `KOERS_SCHEDULE_CBS_HOMELESS`.
pub fn schedule_variable(source: &str) -> String {
    format!(
        "KOERS_SCHEDULE_{}",
        source.to_ascii_uppercase().replace('-', "_")
    )
}

/// A schedule that is not a six-field cron expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{variable}={value:?} is not a valid schedule: expected six cron fields in UTC, seconds first \
     (second minute hour day-of-month month day-of-week), e.g. \"0 15 6 * * *\" for 06:15 UTC daily"
)]
pub struct InvalidSchedule {
    /// The variable that holds it.
    pub variable: String,
    /// The rejected text.
    pub value: String,
}

/// The running scheduler: one job per source.
pub struct Scheduler {
    inner: JobScheduler,
    jobs: Vec<(SourceId, Uuid)>,
}

/// Schedules every source of `ingestor` and starts the timer.
pub async fn start(ingestor: Arc<Ingestor>) -> anyhow::Result<Scheduler> {
    let inner = JobScheduler::new()
        .await
        .context("creating the scheduler")?;
    let mut jobs = Vec::new();
    for source in ingestor.sources() {
        let invalid = || InvalidSchedule {
            variable: schedule_variable(source.id.as_str()),
            value: source.schedule.clone(),
        };
        if source.schedule.split_whitespace().count() != 6 {
            return Err(invalid().into());
        }
        let clock = TickClock::new(&source.schedule, Utc::now()).ok_or_else(invalid)?;
        let (ingestor, id) = (ingestor.clone(), source.id.clone());
        let job = Job::new_async(source.schedule.as_str(), move |_job, _scheduler| {
            let (ingestor, id) = (ingestor.clone(), id.clone());
            let tick = clock.fired(Utc::now());
            Box::pin(async move { run_tick(&ingestor, &id, tick).await })
        })
        .map_err(|_| invalid())?;
        let job_id = inner
            .add(job)
            .await
            .with_context(|| format!("scheduling {}", source.id))?;
        tracing::info!(source = %source.id, schedule = %source.schedule, "scheduled (UTC)");
        jobs.push((source.id, job_id));
    }
    schedule_alert_check(&inner, ingestor).await?;
    inner.start().await.context("starting the scheduler")?;
    Ok(Scheduler { inner, jobs })
}

/// The periodic alert check: lateness changes with the calendar alone, without any run.
async fn schedule_alert_check(inner: &JobScheduler, ingestor: Arc<Ingestor>) -> anyhow::Result<()> {
    let schedule = ingestor.config().alerts.schedule.clone();
    let invalid = || InvalidSchedule {
        variable: crate::alerts::ALERT_SCHEDULE_VARIABLE.to_owned(),
        value: schedule.clone(),
    };
    if schedule.split_whitespace().count() != 6 {
        return Err(invalid().into());
    }
    let clock = TickClock::new(&schedule, Utc::now()).ok_or_else(invalid)?;
    let job = Job::new_async(schedule.as_str(), move |_job, _scheduler| {
        let ingestor = ingestor.clone();
        let tick = clock.fired(Utc::now());
        Box::pin(async move { alert_tick(&ingestor, tick).await })
    })
    .map_err(|_| invalid())?;
    inner.add(job).await.context("scheduling the alert check")?;
    tracing::info!(%schedule, "alert check scheduled (UTC)");
    Ok(())
}

/// The scheduled instant each firing of a job stands for, in epoch milliseconds.
///
/// tokio-cron-scheduler fires a job when its clock passes the job's next scheduled time, up to
/// half a second late (more on a busy machine), and then schedules the first time after the
/// moment it fired. The clock mirrors that: a firing stands for the time it was scheduled for,
/// however late it comes, and every replica derives the same instant from the schedule.
pub struct TickClock {
    cron: Cron,
    next: Mutex<DateTime<Utc>>,
}

impl TickClock {
    /// A clock for `schedule` (six cron fields, seconds first, UTC) whose job was created at
    /// `created`. `None` when the schedule does not parse.
    pub fn new(schedule: &str, created: DateTime<Utc>) -> Option<Self> {
        let cron = CronParser::builder()
            .seconds(Seconds::Required)
            .dom_and_dow(true)
            .build()
            .parse(schedule)
            .ok()?;
        let next = cron
            .find_next_occurrence(&whole_second(created), false)
            .ok()?;
        Some(Self {
            cron,
            next: Mutex::new(next),
        })
    }

    /// The scheduled instant of a firing at `now`, in epoch milliseconds.
    pub fn fired(&self, now: DateTime<Utc>) -> i64 {
        // Schedules have whole seconds; croner would carry the fraction of `now` along.
        let now = whole_second(now);
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let tick = if *next <= now {
            *next
        } else {
            // Fired again before the next scheduled time (the timer repeats a firing): the
            // latest scheduled time, which was claimed already.
            self.cron
                .find_previous_occurrence(&now, true)
                .unwrap_or(now)
        };
        if let Ok(after) = self.cron.find_next_occurrence(&now, false) {
            *next = after;
        }
        tick.timestamp() * 1_000
    }
}

/// `at` without its fraction of a second.
fn whole_second(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_nanosecond(0).unwrap_or(at)
}

/// One scheduled firing of a source: run it for `tick`, unless it is running here already or
/// another replica claimed the tick (or still runs the source).
async fn run_tick(ingestor: &Ingestor, source: &SourceId, tick: i64) {
    if ingestor.is_running(source) {
        tracing::info!(source = %source, "scheduled run skipped: the source is still running");
        return;
    }
    match ingestor.run_scheduled(source, tick, &()).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            tracing::debug!(source = %source, tick, "scheduled run left to another replica: it claimed this tick first, or still runs the source");
        }
        Err(RunError::AlreadyRunning(_)) => {
            tracing::info!(source = %source, "scheduled run skipped: the source is still running");
        }
        Err(RunError::ShuttingDown(_)) => {
            tracing::debug!(source = %source, "scheduled run skipped: shutting down");
        }
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, source = %source, "scheduled run could not start");
        }
    }
}

/// One firing of the periodic alert check: run by the replica that claims `tick`. It also marks
/// fetch rows left `running` by a replica that died (their lease lapsed) as interrupted.
async fn alert_tick(ingestor: &Ingestor, tick: i64) {
    if ingestor.is_stopping() {
        return;
    }
    let mut lease = match ingestor.leases().claim_tick(ALERT_CHECK_JOB, tick).await {
        Ok(Some(lease)) => lease,
        Ok(None) => {
            tracing::debug!(
                tick,
                "alert check left to the replica that claimed this tick"
            );
            return;
        }
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, "the alert check could not claim its tick");
            return;
        }
    };
    let checked = lease
        .hold(async {
            match ingestor
                .store()
                .mark_interrupted_fetches(store::now_ms())
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::warn!(runs = n, "marked runs left by a stopped server as interrupted"),
                Err(e) => tracing::warn!(error.message = %e, "could not sweep up runs left by a stopped server"),
            }
            ingestor.check_alerts().await;
        })
        .await;
    if let Err(lost) = checked {
        tracing::warn!(error.message = %lost, "the alert check stopped: it lost its lease");
    }
    lease.release().await;
}

/// The scheduler as the web application shares it: absent when scheduling is switched off, and
/// taken out again at shutdown.
#[derive(Clone, Default)]
pub struct SchedulerHandle(Arc<tokio::sync::Mutex<Option<Scheduler>>>);

impl SchedulerHandle {
    /// A handle holding `scheduler` (`None`: scheduling is off).
    pub fn new(scheduler: Option<Scheduler>) -> Self {
        Self(Arc::new(tokio::sync::Mutex::new(scheduler)))
    }

    /// When each source runs next, or `None` when scheduling is off.
    pub async fn next_runs(&self) -> Option<Vec<(SourceId, Option<OffsetDateTime>)>> {
        match &*self.0.lock().await {
            Some(scheduler) => Some(scheduler.next_runs().await),
            None => None,
        }
    }

    /// Stops the scheduler, if there is one; later calls do nothing.
    pub async fn shutdown(&self) -> anyhow::Result<()> {
        match self.0.lock().await.take() {
            Some(scheduler) => scheduler.shutdown().await,
            None => Ok(()),
        }
    }
}

impl Scheduler {
    /// When each source runs next (UTC); `None` when the scheduler does not know.
    pub async fn next_runs(&self) -> Vec<(SourceId, Option<OffsetDateTime>)> {
        let mut inner = self.inner.clone();
        let mut out = Vec::with_capacity(self.jobs.len());
        for (source, job) in &self.jobs {
            let next = inner
                .next_tick_for_job(*job)
                .await
                .ok()
                .flatten()
                .and_then(|t| OffsetDateTime::from_unix_timestamp(t.timestamp()).ok());
            out.push((source.clone(), next));
        }
        out
    }

    /// Stops the timer; runs in progress finish on their own.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.inner
            .shutdown()
            .await
            .context("stopping the scheduler")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;

    #[test]
    fn the_variable_name_follows_the_slug() {
        assert_eq!(
            schedule_variable("cbs-homeless"),
            "KOERS_SCHEDULE_CBS_HOMELESS"
        );
        assert_eq!(
            schedule_variable("cbs-housing"),
            "KOERS_SCHEDULE_CBS_HOUSING"
        );
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn ms(text: &str) -> i64 {
        at(text).timestamp_millis()
    }

    #[test]
    fn a_firing_stands_for_its_scheduled_instant_even_when_late() {
        // Arrange
        let clock = TickClock::new("*/2 * * * * *", at("2026-01-01T10:00:00.300Z")).unwrap();
        // Act
        let on_time = clock.fired(at("2026-01-01T10:00:02.450Z"));
        let late = clock.fired(at("2026-01-01T10:00:06.100Z"));
        let repeated = clock.fired(at("2026-01-01T10:00:06.300Z"));
        // Assert
        assert_eq!(on_time, ms("2026-01-01T10:00:02Z"));
        assert_eq!(
            late,
            ms("2026-01-01T10:00:04Z"),
            "2.1 s late: still the 04 tick"
        );
        assert_eq!(repeated, ms("2026-01-01T10:00:06Z"));
    }

    #[test]
    fn replicas_whose_timers_fire_apart_name_the_same_tick() {
        // Arrange: two replicas started at different moments.
        let a = TickClock::new("0 */5 * * * *", at("2026-01-01T10:00:00.300Z")).unwrap();
        let b = TickClock::new("0 */5 * * * *", at("2026-01-01T10:03:59.900Z")).unwrap();
        // Act
        let (ta, tb) = (
            a.fired(at("2026-01-01T10:05:00.010Z")),
            b.fired(at("2026-01-01T10:05:00.480Z")),
        );
        // Assert
        assert_eq!(ta, ms("2026-01-01T10:05:00Z"));
        assert_eq!(ta, tb);
    }

    #[test]
    fn a_schedule_that_does_not_parse_has_no_clock() {
        assert!(TickClock::new("daily", Utc::now()).is_none());
    }

    #[test]
    fn the_error_names_the_variable_and_the_value() {
        let e = InvalidSchedule {
            variable: "KOERS_SCHEDULE_CBS_HOMELESS".into(),
            value: "daily".into(),
        };
        let text = e.to_string();
        assert!(
            text.starts_with("KOERS_SCHEDULE_CBS_HOMELESS=\"daily\" is not a valid schedule"),
            "{text}"
        );
    }
}
