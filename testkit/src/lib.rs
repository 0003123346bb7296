//! Koers test support (dev-only): never a dependency of a production crate.
//!
//! - [`FakeCbs`]: a local server that answers like CBS StatLine OData v3 for the tables in
//!   [`CBS_TABLES`] (from `tests/fixtures/cbs/`), with switches for the faults and changes tests
//!   need.
//! - [`FakeCbs4`]: the same tables as CBS OData v4 serves them (`datasets.cbs.nl`).
//! - [`FakeEurostat`]: the same for Eurostat's JSON-stat statistics API and the datasets in
//!   [`EUROSTAT_DATASETS`] (from `tests/fixtures/eurostat/`).
//! - [`RawUpstream`] and [`closed_port_url`]: faults below HTTP (an upstream that never answers,
//!   one that drips its answer a byte at a time, a port where nothing listens).
//! - [`Rng`]: a seeded generator for randomized tests, replayable from an environment variable.
//! - [`TestDb`]: a migrated store on a temporary SQLite file, or on a fresh PostgreSQL database
//!   when `KOERS_TEST_DATABASE_URL` is a `postgres://` URL.
//!
//! Helpers panic with a clear message on misuse: they run only inside tests.

mod cbs;
mod cbs4;
mod db;
mod eurostat;
mod raw;
mod rng;

pub use cbs::{CBS_TABLES, FakeCbs};
pub use cbs4::{FakeCbs4, measure_code};
pub use db::{TEST_DATABASE_URL_VAR, TestDb};
pub use eurostat::{EUROSTAT_DATASETS, FakeEurostat};
pub use raw::{RawUpstream, closed_port_url};
pub use rng::Rng;
