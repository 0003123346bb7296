//! The `koers` binary as a library, so tests start the real application in-process.
//!
//! [`config`] parses flags and environment, [`startup::Application`] builds and runs the web
//! app, [`cli`] holds the other commands, [`routes`] the API, chart and health handlers, [`console`]
//! the monitoring console, [`security`] the security headers of every answer.

#![recursion_limit = "256"]

pub mod assets;
pub mod cache;
pub mod cli;
pub mod client;
pub mod config;
pub mod console;
pub mod metrics;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;
