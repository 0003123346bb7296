//! Consistent copies of the embedded SQLite store, taken while Koers runs. PostgreSQL has its
//! own tools (`pg_dump`, WAL archiving); the README's production section describes them.

use crate::{Backend, Store, StoreError};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the SQLite store to `path` with `VACUUM INTO` (readers and
    /// the writer go on meanwhile); `path` must not exist yet. Refused on PostgreSQL.
    pub async fn backup_sqlite(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend() != Backend::Sqlite {
            return Err(StoreError::Conflict(
                "this store is PostgreSQL: copy it with pg_dump".to_owned(),
            ));
        }
        if path.exists() {
            return Err(StoreError::Conflict(format!(
                "{} exists already; a backup never overwrites a file",
                path.display()
            )));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Conflict(format!("{} is not a UTF-8 path", path.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
