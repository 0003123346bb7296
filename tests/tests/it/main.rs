//! Koers integration tests: one binary, the real application on 127.0.0.1:0 with a fresh
//! database (SQLite by default, PostgreSQL with KOERS_TEST_DATABASE_URL) and a fake CBS.

mod api;
mod charts;
mod console_alerts;
mod console_auth;
mod console_health;
mod console_targets;
mod console_uploads;
mod honest;
mod hostile;
mod ingest;
mod openapi;
mod pages;
mod portal;
mod replicas;
mod security;
mod share;
mod store;
mod topics;
