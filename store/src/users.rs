//! Console accounts. Passwords arrive here already hashed (argon2id, by the `auth` crate); the
//! role is stored as its name and checked by `auth`.

use crate::{Store, StoreError, now_ms};

/// A stored console account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Row id.
    pub id: i64,
    /// Unique sign-in name.
    pub username: String,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
    /// Whether the account may sign in.
    pub active: bool,
    /// When the account was made (epoch ms).
    pub created_at: i64,
    /// When it last changed (epoch ms).
    pub updated_at: i64,
}

type Row = (i64, String, String, String, i64, i64, i64);

fn from_row(
    (id, username, password_hash, role, active, created_at, updated_at): Row,
) -> UserRecord {
    UserRecord {
        id,
        username,
        password_hash,
        role,
        active: active != 0,
        created_at,
        updated_at,
    }
}

/// `SELECT <the user columns> FROM users <tail>` as one static string.
macro_rules! select_users {
    ($tail:literal) => {
        concat!(
            "SELECT id, username, password_hash, role, active, created_at, updated_at FROM users ",
            $tail
        )
    };
}

impl Store {
    /// Adds an account; a taken username is a [`StoreError::Conflict`].
    pub async fn insert_user(
        &self,
        username: &str,
        password_hash: &str,
        role: &str,
    ) -> Result<UserRecord, StoreError> {
        if self.find_user(username).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "there is already an account called {username:?}"
            )));
        }
        let now = now_ms();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, password_hash, role, active, created_at, updated_at) \
             VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict(format!("there is already an account called {username:?}"))
            }
            other => other.into(),
        })?;
        self.get_user(id).await
    }

    /// The account with this id.
    pub async fn get_user(&self, id: i64) -> Result<UserRecord, StoreError> {
        let row: Option<Row> = sqlx::query_as(select_users!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(from_row)
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
    }

    /// The account with this username, if any.
    pub async fn find_user(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let row: Option<Row> = sqlx::query_as(select_users!("WHERE username = $1"))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(from_row))
    }

    /// Every account, by username.
    pub async fn list_users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(select_users!("ORDER BY username"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }

    /// Changes an account's role and whether it may sign in.
    pub async fn update_user(
        &self,
        id: i64,
        role: &str,
        active: bool,
    ) -> Result<UserRecord, StoreError> {
        let done =
            sqlx::query("UPDATE users SET role = $1, active = $2, updated_at = $3 WHERE id = $4")
                .bind(role)
                .bind(i64::from(active))
                .bind(now_ms())
                .bind(id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        self.get_user(id).await
    }

    /// Replaces an account's password hash.
    pub async fn set_password_hash(&self, id: i64, password_hash: &str) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(now_ms())
                .bind(id)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        Ok(())
    }

    /// How many active administrators there are (the last one cannot be demoted).
    pub async fn count_active_admins(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
