//! The audit log: every change made in the console or on the command line, with who made it,
//! what it touched, the state before and after (JSON) and when.

use crate::{Store, StoreError, now_ms};

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    /// Username of who made it (`system` for built-in loads, `cli` for the command line).
    pub actor: &'a str,
    /// What was done, dotted: `goal.update`, `user.add`, `source.run`.
    pub action: &'a str,
    /// What it touched: `goal:homelessness`, `user:anna`.
    pub subject: &'a str,
    /// State before (absent for additions).
    pub before: Option<serde_json::Value>,
    /// State after (absent for removals).
    pub after: Option<serde_json::Value>,
}

/// A recorded change.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Row id (increasing).
    pub id: i64,
    /// When (epoch ms).
    pub at: i64,
    /// Who.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// What it touched.
    pub subject: String,
    /// State before.
    pub before: Option<serde_json::Value>,
    /// State after.
    pub after: Option<serde_json::Value>,
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only actions starting with this (`goal.`).
    pub action_prefix: Option<String>,
    /// Only entries older than this id (paging).
    pub before_id: Option<i64>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<i64>,
}

fn parse_json(text: Option<String>) -> Result<Option<serde_json::Value>, StoreError> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

impl Store {
    /// Records a change.
    pub async fn audit(&self, entry: NewAudit<'_>) -> Result<(), StoreError> {
        let before = entry.before.as_ref().map(serde_json::Value::to_string);
        let after = entry.after.as_ref().map(serde_json::Value::to_string);
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, before, after) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(now_ms())
        .bind(entry.actor)
        .bind(entry.action)
        .bind(entry.subject)
        .bind(before)
        .bind(after)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Recorded changes, newest first.
    pub async fn list_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = filter.limit.unwrap_or(50).clamp(1, 500);
        let prefix = filter
            .action_prefix
            .as_deref()
            .map(|p| format!("{}%", p.replace(['%', '_'], "")));
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            i64,
            i64,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        )> = sqlx::query_as(
            "SELECT id, at, actor, action, subject, before, after FROM audit_log \
                 WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR action LIKE $2) \
                 AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4",
        )
        .bind(filter.actor.as_deref())
        .bind(prefix)
        .bind(filter.before_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, at, actor, action, subject, before, after)| {
                Ok(AuditEntry {
                    id,
                    at,
                    actor,
                    action,
                    subject,
                    before: parse_json(before)?,
                    after: parse_json(after)?,
                })
            })
            .collect()
    }
}
