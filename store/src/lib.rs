//! Koers persistence over one sqlx code path for SQLite (the embedded default) and
//! PostgreSQL (production), chosen by the URL scheme.
//!
//! Queries use portable SQL with `$n` placeholders through `sqlx::Any`; the migrations differ
//! per dialect (see the `migrations` crate). Every figure is kept with its vintages: a revised
//! value supersedes the old row instead of overwriting it.

mod alerts;
mod annotations;
mod audit;
mod backup;
mod console_runs;
mod fetches;
mod goal_versions;
mod goals;
mod leases;
mod memo;
mod observations;
mod series;
mod sessions;
mod uploads;
mod users;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use alerts::{
    AlertKind, AlertSettings, Delivery, DeliveryAttempt, DeliveryStatus, NewDelivery, NewWebhook,
    Revision, UncheckedFetch, Webhook, mask_secret,
};
pub use audit::{AuditEntry, AuditFilter, NewAudit};
pub use console_runs::{ConsoleRun, KEPT_CONSOLE_RUNS};
pub use fetches::{FetchOutcome, FetchRecord, FetchSummary, STOPPED_PROCESS};
pub use goal_versions::{GoalVersion, SYSTEM_USER};
pub use leases::{Lease, SOURCE_LEASE_PREFIX, source_lease};
pub use memo::VERSION_TTL;
pub use observations::{ApplyCounts, Batch, NewObservation, StoredObservation};
pub use series::{Category, SeriesSummary};
pub use uploads::{NewUpload, UPLOAD_SOURCE_PREFIX, UploadOutcome, UploadSummary};
pub use users::UserRecord;

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The requested row does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The write conflicts with what is stored or with itself.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored value could not be read back into a domain type.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// Applying migrations failed.
    #[error("database migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error")]
    Other(#[source] sqlx::Error),
}

impl StoreError {
    /// Whether the database could not be reached (pool exhausted or closed, connection lost):
    /// a temporary condition, not a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Other(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_))
        )
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::NotFound("row".into()),
            other => Self::Other(other),
        }
    }
}

/// Which database engine the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Chooses the backend from a database URL's scheme.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::Conflict(format!(
                "unsupported database URL {:?}: use sqlite://path/to/file.db or postgres://user@host/db",
                redact_url(url)
            )))
        }
    }
}

/// Replaces the password in a database URL with `***` so it can be logged: the one after the
/// user name, and the value of a query parameter such as `password=` or `sslpassword=`. When
/// unsure where the password ends (an `@` further on), it hides more, never less.
pub fn redact_url(url: &str) -> String {
    let (head, rest) = match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => (
                    format!("{}{}:***", &url[..scheme_end + 3], &creds[..colon]),
                    &url[at..],
                ),
                None => (String::new(), url),
            }
        }
        _ => (String::new(), url),
    };
    let Some((before, query)) = rest.split_once('?') else {
        return head + rest;
    };
    let query = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if is_secret_parameter(key) => format!("{key}=***"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    format!("{head}{before}?{query}")
}

/// Whether a URL query parameter holds a secret (`password`, `sslpassword`, `token`, ...).
fn is_secret_parameter(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["pass", "secret", "token"].iter().any(|s| key.contains(s))
}

/// The Koers store: a connection pool and the backend it points at.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    memo: Arc<memo::Memo>,
}

/// The `source` of the fetch row that records a first-run snapshot load.
pub const SNAPSHOT_SOURCE: &str = "snapshot";

/// Default size of the connection pool.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 8;

impl Store {
    /// Connects to `url` (creating a missing SQLite file and its directory) without migrating.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_parent_dir(url)?;
        }
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_owned()
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1));
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work during an ingest; NORMAL is crash-safe in WAL.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            memo: Arc::default(),
        })
    }

    /// Connects and applies pending migrations: what `koers serve` and tests do at start.
    pub async fn open(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let store = Self::connect(url, max_connections).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies the pending migrations of this backend's dialect.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &migrations::SQLITE,
            Backend::Postgres => &migrations::POSTGRES,
        };
        migrator.run(&self.pool).await.map_err(StoreError::Migrate)
    }

    /// Whether every known migration has been applied (for readiness checks).
    pub async fn migrations_applied(&self) -> Result<bool, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &migrations::SQLITE,
            Backend::Postgres => &migrations::POSTGRES,
        };
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_optional(&self.pool)
                .await
                .ok()
                .flatten();
        Ok(applied.unwrap_or(0) >= latest)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The underlying pool, for tests and benchmarks.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The file of an SQLite URL (`sqlite://data/koers.db?mode=rwc` → `data/koers.db`); `None` for
/// other URLs and in-memory databases.
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then_some(path)
}

fn create_sqlite_parent_dir(url: &str) -> Result<(), StoreError> {
    let Some(path) = sqlite_path(url) else {
        return Ok(());
    };
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            StoreError::Conflict(format!(
                "cannot create the database directory {}: {e}",
                parent.display()
            ))
        })?;
    }
    Ok(())
}

/// Current time as Unix epoch milliseconds, UTC: the unit of every `*_at` column.
pub fn now_ms() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_path_reads_every_spelling_of_a_file_url() {
        assert_eq!(sqlite_path("sqlite://data/koers.db"), Some("data/koers.db"));
        assert_eq!(
            sqlite_path("sqlite:data/koers.db?mode=rwc"),
            Some("data/koers.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///var/lib/koers.db"),
            Some("/var/lib/koers.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://koers@db/koers"), None);
    }

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/koers.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mysql://u@h/db").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://koers:s3cret@db:5432/koers"),
            "postgres://koers:***@db:5432/koers"
        );
        assert_eq!(
            redact_url("postgres://koers@db/koers"),
            "postgres://koers@db/koers"
        );
        assert_eq!(
            redact_url("sqlite://data/koers.db"),
            "sqlite://data/koers.db"
        );
        assert_eq!(
            redact_url("postgres://koers@db/koers?sslmode=require&password=s3cret"),
            "postgres://koers@db/koers?sslmode=require&password=***"
        );
        assert_eq!(
            redact_url("postgres://koers:a@b?c@db/koers?SSLPassword=x&application_name=koers"),
            "postgres://koers:***@db/koers?SSLPassword=***&application_name=koers"
        );
        // An `@` in the query makes it hide too much rather than too little.
        assert!(!redact_url("postgres://k:pw@db/x?application_name=a@b").contains("pw"));
    }

    #[test]
    fn unsupported_scheme_error_does_not_leak_the_password() {
        let msg = Backend::from_url("mysql://u:pw@h/db")
            .unwrap_err()
            .to_string();
        assert!(!msg.contains("pw@"), "{msg}");
    }
}
