//! Runs started from the console ("Run now"), kept so that any replica can show them: the run
//! itself is stored as JSON (`jobs::TrackedRun` writes and reads it); the columns are what the
//! pages select and order by.

use crate::{Store, StoreError};

/// How many console runs are kept; older ones are removed when a new one starts (the `fetches`
/// table stays the lasting record of every run).
pub const KEPT_CONSOLE_RUNS: i64 = 200;

/// A stored console run.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConsoleRun {
    /// Random id.
    pub id: String,
    /// Source slug.
    pub source: String,
    /// Console username that started it.
    pub started_by: String,
    /// Start, epoch ms.
    pub started_at: i64,
    /// Last write by the server running it, epoch ms (renewed while it runs).
    pub updated_at: i64,
    /// End, epoch ms; `None` while it runs.
    pub finished_at: Option<i64>,
    /// The run as JSON.
    pub state: String,
}

const COLUMNS: &str = "id, source, started_by, started_at, updated_at, finished_at, state";

impl Store {
    /// Records a run that starts now, and forgets the oldest beyond [`KEPT_CONSOLE_RUNS`].
    pub async fn insert_console_run(&self, run: &ConsoleRun) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO console_runs (id, source, started_by, started_at, updated_at, finished_at, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&run.id)
        .bind(&run.source)
        .bind(&run.started_by)
        .bind(run.started_at)
        .bind(run.updated_at)
        .bind(run.finished_at)
        .bind(&run.state)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM console_runs WHERE started_at < (SELECT started_at FROM console_runs \
             ORDER BY started_at DESC LIMIT 1 OFFSET $1)",
        )
        .bind(KEPT_CONSOLE_RUNS - 1)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a run's progress (`finished_at` once it ended). A run that ended stays ended.
    pub async fn update_console_run(
        &self,
        id: &str,
        state: &str,
        updated_at: i64,
        finished_at: Option<i64>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE console_runs SET state = $2, updated_at = $3, finished_at = $4 \
             WHERE id = $1 AND finished_at IS NULL",
        )
        .bind(id)
        .bind(state)
        .bind(updated_at)
        .bind(finished_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One run by id.
    pub async fn console_run(&self, id: &str) -> Result<Option<ConsoleRun>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM console_runs WHERE id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The newest runs, of one source or all, newest first.
    pub async fn recent_console_runs(
        &self,
        source: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ConsoleRun>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM console_runs WHERE ($1 IS NULL OR source = $1) \
             ORDER BY started_at DESC, id DESC LIMIT $2"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(source)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
    }
}
