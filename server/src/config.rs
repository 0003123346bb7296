//! Configuration of the `koers` binary: command-line flags, each also readable from the
//! environment (a `.env` file in the working directory is loaded first, if present).
//!
//! | variable | flag | default |
//! |---|---|---|
//! | `DATABASE_URL` | `--database-url` | `sqlite://data/koers.db` (created if missing) |
//! | `DB_MAX_CONNECTIONS` | `--db-max-connections` | 8 |
//! | `KOERS_ADDR` | `serve --addr` | `127.0.0.1:3000` |
//! | `KOERS_PUBLIC_URL` | `serve --public-url` | `http://<addr>` (used in permalinks drawn into charts) |
//! | `KOERS_SCHEDULE` | `serve --schedule on\|off`, `serve --no-schedule` | `on` |
//! | `KOERS_SCHEDULE_<SOURCE>` | – | `0 15 6 * * *` (daily 06:15 UTC; six fields, seconds first), e.g. `KOERS_SCHEDULE_CBS_HOMELESS` |
//! | `CBS_ODATA_URL` | `--cbs-odata-url` | `https://opendata.cbs.nl` |
//! | `CBS_ODATA4_URL` | `--cbs-odata4-url` | `https://datasets.cbs.nl/odata/v1` (CBS OData v4, for tables published only there) |
//! | `EUROSTAT_API_URL` | `--eurostat-api-url` | `https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0` |
//! | `KOERS_HTTP_TIMEOUT_SECS` | `--http-timeout-secs` | 30 |
//! | `KOERS_HTTP_MAX_RETRIES` | `--http-max-retries` | 4 |
//! | `KOERS_RENDER_RATE` | `serve --render-rate` | 120 chart renders per minute per client address (cache misses only) |
//! | `KOERS_RENDER_BURST` | `serve --render-burst` | 30 |
//! | `KOERS_CACHE_MB` | `serve --cache-mb` | 64 (memory for cached charts, exports and API answers) |
//! | `KOERS_PAGE_RENDERS` | `serve --page-renders` | four per core (pages rendered at once; a request that finds none free within 20 ms gets `503` with `Retry-After: 1`) |
//! | `KOERS_SESSION_IDLE_MINUTES` | `serve --session-idle-minutes` | 60 (a console session ends after this long without requests) |
//! | `KOERS_SECRET_KEY` | `serve --secret-key` | random per process (keys the console's CSRF cookie; set the same value on every replica) |
//! | `KOERS_LOGIN_RATE` | `serve --login-rate` | 5 console sign-in attempts per minute per username (20 per client address) |
//! | `KOERS_METRICS_TOKEN` | `serve --metrics-token` | unset: `/metrics` is public (operational counts only); set, a scrape needs `Authorization: Bearer <token>` |
//! | `KOERS_ALERT_SCHEDULE` | `--alert-schedule` | `0 7 * * * *` (hourly; alert conditions are also checked after every run) |
//! | `KOERS_LEASE_SECONDS` | `--lease-seconds` | 60 (how long a source stays taken after the replica running it died; see `jobs::leases`) |
//! | `KOERS_SHUTDOWN_DRAIN_SECONDS` | `serve --shutdown-drain-seconds` | 0 (after SIGTERM, `/ready` answers 503 this long while requests are still accepted) |
//! | `KOERS_SHUTDOWN_GRACE_SECONDS` | `serve --shutdown-grace-seconds` | 25 (then requests and ingestion runs in progress get this long to finish; a run stopped after it writes nothing; keep drain + grace below the orchestrator's kill timeout) |
//! | `KOERS_TRUSTED_PROXIES` | `serve --trusted-proxies` | empty (the TCP peer is the client); behind reverse proxies their addresses or networks, e.g. `10.0.0.0/8`, so per-client limits count visitors by `X-Forwarded-For` (see `crate::client`) |
//! | `RUST_LOG` | – | `info` |

use crate::cache::CacheSettings;
use clap::{Args, Parser, Subcommand, ValueEnum};
use jobs::JobsConfig;
use std::time::Duration;

/// Default database: an SQLite file under `./data/`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/koers.db";
/// Default listening address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// Koers: the road to no homelessness in 2030, from open statistics.
#[derive(Debug, Parser)]
#[command(name = "koers", version, about, long_about = None)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Settings shared by every command. Its `Debug` shows the database URL without its password.
#[derive(Clone, Args)]
pub struct GlobalArgs {
    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,
    /// Size of the database connection pool.
    #[arg(long, env = "DB_MAX_CONNECTIONS", default_value_t = store::DEFAULT_MAX_CONNECTIONS, global = true)]
    pub db_max_connections: u32,
    /// Base URL of CBS StatLine OData v3.
    #[arg(long, env = "CBS_ODATA_URL", default_value = jobs::config::DEFAULT_CBS_ODATA_URL, global = true)]
    pub cbs_odata_url: String,
    /// Base URL of CBS OData v4, for tables published only there.
    #[arg(long, env = "CBS_ODATA4_URL", default_value = jobs::config::DEFAULT_CBS_ODATA4_URL, global = true)]
    pub cbs_odata4_url: String,
    /// Base URL of the Eurostat dissemination API (JSON-stat).
    #[arg(long, env = "EUROSTAT_API_URL", default_value = jobs::config::DEFAULT_EUROSTAT_API_URL, global = true)]
    pub eurostat_api_url: String,
    /// Timeout of one upstream HTTP request, in seconds.
    #[arg(
        long,
        env = "KOERS_HTTP_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub http_timeout_secs: u64,
    /// Retries of a transient upstream failure.
    #[arg(long, env = "KOERS_HTTP_MAX_RETRIES", default_value_t = jobs::config::DEFAULT_HTTP_MAX_RETRIES, global = true)]
    pub http_max_retries: u32,
    /// When alert conditions are checked besides after every run (six cron fields, UTC).
    #[arg(long, env = "KOERS_ALERT_SCHEDULE", default_value = jobs::alerts::DEFAULT_ALERT_SCHEDULE, global = true)]
    pub alert_schedule: String,
    /// Seconds a job lease lives unless renewed: how long a source stays taken after the
    /// replica running it died (renewed every third of it while a run goes on).
    #[arg(long, env = "KOERS_LEASE_SECONDS", default_value_t = jobs::config::DEFAULT_LEASE_TTL.as_secs(), global = true)]
    pub lease_seconds: u64,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app, the API and the scheduled ingestion.
    Serve(ServeArgs),
    /// Fetch sources now (all when none is named) and print a summary.
    Ingest(IngestArgs),
    /// List the sources with their table, schedule and last fetch.
    Sources,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage console accounts (the first administrator is made here).
    #[command(subcommand)]
    User(UserCommand),
    /// Copy the SQLite store to a new file while Koers runs (PostgreSQL: use pg_dump).
    Backup(BackupArgs),
}

/// `koers backup`.
#[derive(Debug, Clone, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    pub file: std::path::PathBuf,
}

/// `koers user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a console account; asks for its password (twice) on the terminal.
    Add(UserAddArgs),
    /// List the console accounts.
    List,
    /// Set a new password for an account; asks for it on the terminal.
    Password(UserPasswordArgs),
}

/// `koers user add`.
#[derive(Debug, Clone, Args)]
pub struct UserAddArgs {
    /// Sign-in name.
    pub username: String,
    /// Make an administrator (same as `--role admin`).
    #[arg(long, conflicts_with = "role")]
    pub admin: bool,
    /// Role: viewer, editor or admin.
    #[arg(long, default_value = "viewer")]
    pub role: String,
    /// Read the password from the first line of standard input instead of asking.
    #[arg(long)]
    pub password_stdin: bool,
}

/// `koers user password`.
#[derive(Debug, Clone, Args)]
pub struct UserPasswordArgs {
    /// Sign-in name.
    pub username: String,
    /// Read the password from the first line of standard input instead of asking.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Whether scheduled fetching runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleMode {
    /// Fetch on each source's schedule.
    On,
    /// No scheduled fetching (ingest by hand with `koers ingest`).
    Off,
}

/// `koers serve`. Its `Debug` says whether the secret key and metrics token are set, never
/// their values.
#[derive(Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KOERS_ADDR", default_value = DEFAULT_ADDR)]
    pub addr: String,
    /// Public base URL (for permalinks in charts and exports).
    #[arg(long, env = "KOERS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Scheduled fetching on or off.
    #[arg(long, env = "KOERS_SCHEDULE", value_enum, default_value_t = ScheduleMode::On, ignore_case = true)]
    pub schedule: ScheduleMode,
    /// Shorthand for `--schedule off`.
    #[arg(long)]
    pub no_schedule: bool,
    /// Chart renders (images, embeds) one client address may start per minute; cached charts
    /// are not counted.
    #[arg(long, env = "KOERS_RENDER_RATE", default_value_t = CacheSettings::default().renders_per_minute)]
    pub render_rate: u32,
    /// Chart renders one client may start at once before the per-minute rate applies.
    #[arg(long, env = "KOERS_RENDER_BURST", default_value_t = CacheSettings::default().render_burst)]
    pub render_burst: u32,
    /// Memory for cached chart images, exports and API answers, in MB.
    #[arg(long, env = "KOERS_CACHE_MB", default_value_t = 64)]
    pub cache_mb: u64,
    /// Pages rendered at once; beyond that a request waits briefly, then gets 503 (load
    /// shedding during a news spike). Default: four per core.
    #[arg(long, env = "KOERS_PAGE_RENDERS", default_value_t = crate::cache::default_page_renders())]
    pub page_renders: u32,
    /// Minutes without requests after which a console session ends.
    #[arg(long, env = "KOERS_SESSION_IDLE_MINUTES", default_value_t = 60)]
    pub session_idle_minutes: u64,
    /// Secret that keys the console's CSRF cookie; replicas must share it (random per process
    /// when unset).
    #[arg(long, env = "KOERS_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Console sign-in attempts per minute per username (per client address: four times this).
    #[arg(long, env = "KOERS_LOGIN_RATE", default_value_t = 5)]
    pub login_rate: u32,
    /// Bearer token Prometheus must send to read `/metrics`; unset, `/metrics` is public (it
    /// holds operational counts only: no figures, no personal data).
    #[arg(long, env = "KOERS_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Seconds `/ready` answers 503 after SIGTERM while requests are still accepted, so that a
    /// load balancer stops sending new ones first.
    #[arg(long, env = "KOERS_SHUTDOWN_DRAIN_SECONDS", default_value_t = 0)]
    pub shutdown_drain_seconds: u64,
    /// Seconds requests and ingestion runs in progress then get to finish; a run still going
    /// after that is stopped, writes nothing and ends `interrupted`.
    #[arg(long, env = "KOERS_SHUTDOWN_GRACE_SECONDS", default_value_t = crate::startup::DEFAULT_SHUTDOWN_GRACE.as_secs())]
    pub shutdown_grace_seconds: u64,
    /// Reverse proxies (addresses or networks, comma-separated) whose `X-Forwarded-For` names
    /// the client for per-client limits; empty: the TCP peer is the client.
    #[arg(long, env = "KOERS_TRUSTED_PROXIES", default_value = "", value_parser = crate::client::TrustedProxies::parse)]
    pub trusted_proxies: crate::client::TrustedProxies,
}

impl std::fmt::Debug for GlobalArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlobalArgs")
            .field("database_url", &store::redact_url(&self.database_url))
            .field("db_max_connections", &self.db_max_connections)
            .field("cbs_odata_url", &self.cbs_odata_url)
            .field("cbs_odata4_url", &self.cbs_odata4_url)
            .field("eurostat_api_url", &self.eurostat_api_url)
            .field("http_timeout_secs", &self.http_timeout_secs)
            .field("http_max_retries", &self.http_max_retries)
            .field("alert_schedule", &self.alert_schedule)
            .field("lease_seconds", &self.lease_seconds)
            .finish()
    }
}

impl std::fmt::Debug for ServeArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::security::Redacted;
        f.debug_struct("ServeArgs")
            .field("addr", &self.addr)
            .field("public_url", &self.public_url)
            .field("schedule", &self.schedule)
            .field("no_schedule", &self.no_schedule)
            .field("render_rate", &self.render_rate)
            .field("render_burst", &self.render_burst)
            .field("cache_mb", &self.cache_mb)
            .field("page_renders", &self.page_renders)
            .field("session_idle_minutes", &self.session_idle_minutes)
            .field("secret_key", &Redacted(&self.secret_key))
            .field("login_rate", &self.login_rate)
            .field("metrics_token", &Redacted(&self.metrics_token))
            .field("shutdown_drain_seconds", &self.shutdown_drain_seconds)
            .field("shutdown_grace_seconds", &self.shutdown_grace_seconds)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

impl ServeArgs {
    /// The HTTP cache and render limit settings.
    pub fn cache_settings(&self) -> CacheSettings {
        CacheSettings {
            renders_per_minute: self.render_rate.max(1),
            render_burst: self.render_burst.max(1),
            capacity_bytes: self.cache_mb.saturating_mul(1024 * 1024),
            page_renders: self.page_renders.max(1),
        }
    }

    /// The console's session and sign-in settings.
    pub fn console_settings(&self) -> crate::console::ConsoleSettings {
        crate::console::ConsoleSettings {
            session_idle: Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            secret_key: self.secret_key.clone().filter(|s| !s.trim().is_empty()),
            logins_per_minute_per_user: self.login_rate.max(1),
            logins_per_minute_per_client: self.login_rate.max(1).saturating_mul(4),
        }
    }

    /// How the server stops on SIGTERM or Ctrl-C.
    pub fn shutdown_settings(&self) -> crate::startup::ShutdownSettings {
        crate::startup::ShutdownSettings {
            drain: Duration::from_secs(self.shutdown_drain_seconds),
            grace: Duration::from_secs(self.shutdown_grace_seconds),
        }
    }

    /// Whether the scheduler should start.
    pub fn scheduling(&self) -> bool {
        !self.no_schedule && self.schedule == ScheduleMode::On
    }
}

/// `koers ingest`.
#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// Sources to run (e.g. cbs-homeless); all when none is given.
    pub sources: Vec<String>,
    /// Fetch even when the table's `Modified` date has not changed.
    #[arg(long)]
    pub force: bool,
}

impl GlobalArgs {
    /// The ingestion settings, including `KOERS_SCHEDULE_<SOURCE>` overrides from the environment.
    pub fn jobs_config(&self) -> JobsConfig {
        let schedules = std::env::vars()
            .filter_map(|(k, v)| {
                let source = k.strip_prefix("KOERS_SCHEDULE_")?;
                Some((source.to_ascii_lowercase().replace('_', "-"), v))
            })
            .collect();
        JobsConfig {
            cbs_odata_url: self.cbs_odata_url.trim_end_matches('/').to_owned(),
            cbs_odata4_url: self.cbs_odata4_url.trim_end_matches('/').to_owned(),
            eurostat_api_url: self.eurostat_api_url.trim_end_matches('/').to_owned(),
            http_timeout: Duration::from_secs(self.http_timeout_secs.max(1)),
            http_max_retries: self.http_max_retries,
            schedules,
            alerts: jobs::alerts::AlertConfig {
                schedule: self.alert_schedule.clone(),
                ..jobs::alerts::AlertConfig::default()
            },
            lease_ttl: Duration::from_secs(self.lease_seconds.max(1)),
            ..JobsConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_can_be_switched_off_both_ways() {
        let cli = Cli::parse_from(["koers", "serve", "--no-schedule"]);
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert!(!args.scheduling());
        let cli = Cli::parse_from(["koers", "serve", "--schedule", "OFF"]);
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert!(!args.scheduling());
    }

    #[test]
    fn leases_and_the_shutdown_are_set_in_seconds() {
        let cli = Cli::parse_from([
            "koers",
            "--lease-seconds",
            "2",
            "serve",
            "--shutdown-drain-seconds",
            "5",
            "--shutdown-grace-seconds",
            "7",
        ]);
        let Command::Serve(args) = cli.command else {
            panic!("not serve")
        };
        assert_eq!(cli.global.jobs_config().lease_ttl, Duration::from_secs(2));
        let shutdown = args.shutdown_settings();
        assert_eq!(
            (shutdown.drain, shutdown.grace),
            (Duration::from_secs(5), Duration::from_secs(7))
        );
    }

    #[test]
    fn ingest_takes_source_names() {
        let cli = Cli::parse_from(["koers", "ingest", "cbs-homeless", "--force"]);
        let Command::Ingest(args) = cli.command else {
            panic!("not ingest")
        };
        assert_eq!(args.sources, ["cbs-homeless"]);
        assert!(args.force);
    }
}
