//! `TestDb`: a migrated store on a fresh database, removed again when dropped.

use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use store::{Backend, Store};
use tempfile::TempDir;

/// The variable that switches tests to PostgreSQL: a `postgres://` URL of a server where the
/// tests may create and drop databases (the named database itself is never touched).
pub const TEST_DATABASE_URL_VAR: &str = "KOERS_TEST_DATABASE_URL";

/// A migrated, empty store on a temporary SQLite file (default) or a fresh PostgreSQL database
/// `koers_test_<uuid>` (when `KOERS_TEST_DATABASE_URL` is a `postgres://` URL), dropped on `Drop`.
pub struct TestDb {
    store: Store,
    url: String,
    _dir: Option<TempDir>,
    _postgres: Option<PgDatabase>,
}

/// A database this harness created; dropping it drops the database (also when set-up fails
/// half-way and the test panics).
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl TestDb {
    /// Creates and migrates the database; panics with the reason when that is impossible.
    pub async fn new() -> Self {
        match std::env::var(TEST_DATABASE_URL_VAR) {
            Ok(url) if Backend::from_url(&url).is_ok_and(|b| b == Backend::Postgres) => {
                Self::postgres(&url).await
            }
            _ => Self::sqlite().await,
        }
    }

    async fn sqlite() -> Self {
        let dir =
            tempfile::tempdir().unwrap_or_else(|e| panic!("creating a temporary directory: {e}"));
        let url = format!("sqlite://{}", dir.path().join("koers-test.db").display());
        let store = Store::open(&url, 4)
            .await
            .unwrap_or_else(|e| panic!("opening the test store {url}: {e:?}"));
        Self {
            store,
            url,
            _dir: Some(dir),
            _postgres: None,
        }
    }

    async fn postgres(admin_url: &str) -> Self {
        let name = format!("koers_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(admin_url)
            .await
            .unwrap_or_else(|e| panic!("connecting to {TEST_DATABASE_URL_VAR}: {e}"));
        admin
            .execute(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .await
            .unwrap_or_else(|e| panic!("creating database {name}: {e}"));
        let _ = admin.close().await;
        let database = PgDatabase {
            admin_url: admin_url.to_owned(),
            name,
        };
        let url = with_database(admin_url, &database.name);
        let store = Store::open(&url, 4)
            .await
            .unwrap_or_else(|e| panic!("opening the test store {}: {e:?}", database.name));
        Self {
            store,
            url,
            _dir: None,
            _postgres: Some(database),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The database URL (for starting an application on the same database).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Which backend the tests run on.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread with
        // its own runtime. FORCE ends the pool's connections that are still open.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await.ok()?;
                admin
                    .execute(AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .await
                    .ok()?;
                admin.close().await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!(
                "testkit: could not drop the test database {}; drop it by hand",
                self.name
            );
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with the database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "koers_test_1"),
            "postgres://postgres@127.0.0.1:5432/koers_test_1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
