//! One cron schedule per source (tokio-cron-scheduler; six fields, seconds first, UTC). A tick
//! that finds its source still running is skipped and logged; runs never queue up or overlap.
//!
//! Schedules come from [`JobsConfig::schedule_for`](crate::JobsConfig::schedule_for); the
//! server fills them from `KOERS_SCHEDULE_<SOURCE>` (see [`schedule_variable`]).

use crate::pipeline::{Ingestor, RunError, RunOptions};
use anyhow::Context;
use domain::SourceId;
use std::sync::Arc;
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
        let (ingestor, id) = (ingestor.clone(), source.id.clone());
        let job = Job::new_async(source.schedule.as_str(), move |_job, _scheduler| {
            let (ingestor, id) = (ingestor.clone(), id.clone());
            Box::pin(async move { tick(&ingestor, &id).await })
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
    let job = Job::new_async(schedule.as_str(), move |_job, _scheduler| {
        let ingestor = ingestor.clone();
        Box::pin(async move {
            ingestor.check_alerts().await;
        })
    })
    .map_err(|_| invalid())?;
    inner.add(job).await.context("scheduling the alert check")?;
    tracing::info!(%schedule, "alert check scheduled (UTC)");
    Ok(())
}

/// One scheduled tick: run the source unless it is running already.
async fn tick(ingestor: &Ingestor, source: &SourceId) {
    if ingestor.is_running(source) {
        tracing::info!(source = %source, "scheduled run skipped: the source is still running");
        return;
    }
    match ingestor.run(source, RunOptions::default(), &()).await {
        Ok(_) => {}
        Err(RunError::AlreadyRunning(_)) => {
            tracing::info!(source = %source, "scheduled run skipped: the source is still running");
        }
        Err(e) => {
            tracing::error!(error.cause_chain = ?e, error.message = %e, source = %source, "scheduled run could not start");
        }
    }
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
