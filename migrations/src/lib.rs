//! Koers database migrations, embedded in the binary.
//!
//! `sqlite/` and `postgres/` hold the same versions with the same names; only the SQL dialect
//! differs (identity columns, floating-point type). A unit test keeps the two lists equal.

use sqlx::migrate::Migrator;

/// Migrations for the embedded SQLite store.
pub static SQLITE: Migrator = sqlx::migrate!("./sqlite");

/// Migrations for PostgreSQL.
pub static POSTGRES: Migrator = sqlx::migrate!("./postgres");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_dialects_list_the_same_versions_and_names() {
        // Arrange
        let list = |m: &Migrator| {
            m.iter()
                .map(|x| (x.version, x.description.to_string()))
                .collect::<Vec<_>>()
        };
        // Act
        let (sqlite, postgres) = (list(&SQLITE), list(&POSTGRES));
        // Assert
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }
}
