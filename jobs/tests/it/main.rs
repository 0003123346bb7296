//! jobs integration tests: the real pipeline and scheduler against `testkit::FakeCbs` and
//! `testkit::FakeEurostat`, on SQLite (default) or PostgreSQL
//! (`KOERS_TEST_DATABASE_URL=postgres://...`).

#![allow(clippy::unwrap_used, reason = "a failing test may panic")]

mod cbs4;
mod cbs_tables;
mod eurostat;
mod failures;
mod fault_matrix;
mod freshness;
mod helpers;
mod ingest;
mod population;
mod scheduler;
