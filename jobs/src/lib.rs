//! Koers ingestion: which sources exist, how they are fetched, checked and stored, and when.
//!
//! - [`catalog`]: the series Koers knows, in both languages.
//! - [`sources`]: the registry of upstream CBS tables and Eurostat datasets, and what Koers
//!   expects of each.
//! - [`cbs`] (OData v3), [`cbs4`] (OData v4, for tables only published there) and [`eurostat`] (with the pure [`jsonstat`] reader): the two upstream clients,
//!   both over the shared retrying [`http`] client.
//! - [`snapshot`]: real published figures and goals loaded into an empty store on first run.
//! - [`config`]: HTTP and schedule settings (filled in by the server's configuration).
//! - [`pipeline`]: [`Ingestor::run`] fetches a source, validates everything, then writes it in one
//!   transaction together with the fetch record; a failure changes no stored figure.
//! - [`scheduler`]: one cron schedule per source (tokio-cron-scheduler), never overlapping.
//! - [`leases`]: which of several replicas sharing one database runs each scheduled tick, and
//!   no source fetched by two processes at once.
//! - [`upload`]: CSV files editors upload, checked row by row and stored as a vintage.
//! - [`runs`]: runs started by a person, run in the background and watched until they end.
//! - [`alerts`]: signed webhooks when a goal's status changes, a source is late or failing, or
//!   a figure is revised by more than a set share; checked after every run and hourly.
//! - [`freshness`]: whether a source's newest figure is as new as its release rhythm says.

pub mod alerts;
pub mod catalog;
pub mod cbs;
pub mod cbs4;
pub mod config;
pub mod eurostat;
pub mod freshness;
pub mod http;
pub mod jsonstat;
pub mod leases;
pub mod pipeline;
pub mod runs;
pub mod scheduler;
pub mod snapshot;
pub mod sources;
pub mod upload;

pub use config::JobsConfig;
pub use pipeline::{
    Ingestor, ProgressEvent, ProgressSink, RunError, RunOptions, RunReport, SourceInfo,
};
pub use runs::{RunTracker, TrackedRun};
pub use scheduler::{Scheduler, SchedulerHandle};
pub use snapshot::{BootstrapReport, bootstrap};
