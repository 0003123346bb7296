//! Goal versions: every change of a goal's baseline and target is kept, numbered from 1 (what
//! the built-in targets loaded, by `system`). The `goals` row holds the version in force, which
//! public pages read; a view pinned to a moment uses the version in force then.

use crate::{Store, StoreError};
use domain::{Goal, GoalId, GoalTargets, Period};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// Who made version 1 of a goal: the built-in targets.
pub const SYSTEM_USER: &str = "system";

/// One version of a goal's editable part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalVersion {
    /// The goal.
    pub goal: GoalId,
    /// 1, 2, ...
    pub version: i64,
    /// Baseline, target and remark.
    pub targets: GoalTargets,
    /// Username of the editor (`system` for version 1).
    pub changed_by: String,
    /// When it took effect, epoch ms.
    pub changed_at: i64,
    /// Why it changed.
    pub reason: String,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    goal_id: String,
    version: i64,
    baseline_period: String,
    baseline_value: f64,
    target_period: String,
    target_value: f64,
    note: String,
    changed_by: String,
    changed_at: i64,
    reason: String,
}

impl TryFrom<VersionRow> for GoalVersion {
    type Error = StoreError;
    fn try_from(r: VersionRow) -> Result<Self, StoreError> {
        let corrupt = |e: &dyn std::fmt::Display| {
            StoreError::Corrupt(format!("goal {} version {}: {e}", r.goal_id, r.version))
        };
        Ok(GoalVersion {
            goal: GoalId::parse(&r.goal_id).map_err(|e| corrupt(&e))?,
            version: r.version,
            targets: GoalTargets {
                baseline_period: Period::parse(&r.baseline_period).map_err(|e| corrupt(&e))?,
                baseline_value: r.baseline_value,
                target_period: Period::parse(&r.target_period).map_err(|e| corrupt(&e))?,
                target_value: r.target_value,
                note: r.note.clone(),
            },
            changed_by: r.changed_by.clone(),
            changed_at: r.changed_at,
            reason: r.reason.clone(),
        })
    }
}

const VERSION_COLUMNS: &str = "goal_id, version, baseline_period, baseline_value, target_period, \
     target_value, note, changed_by, changed_at, reason";

/// Writes a version row.
pub(crate) async fn insert_version(
    conn: &mut AnyConnection,
    goal: &GoalId,
    version: i64,
    t: &GoalTargets,
    changed_by: &str,
    reason: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO goal_versions (goal_id, version, baseline_period, baseline_value, target_period, \
         target_value, note, changed_by, changed_at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (goal_id, version) DO NOTHING",
    )
    .bind(goal.as_str())
    .bind(version)
    .bind(t.baseline_period.to_string())
    .bind(t.baseline_value)
    .bind(t.target_period.to_string())
    .bind(t.target_value)
    .bind(&t.note)
    .bind(changed_by)
    .bind(now)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Every version of a goal, newest first (`NotFound` when the goal does not exist).
    pub async fn goal_versions(&self, goal: &GoalId) -> Result<Vec<GoalVersion>, StoreError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM goal_versions WHERE goal_id = $1 ORDER BY version DESC"
        );
        let rows: Vec<VersionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(goal.as_str())
            .fetch_all(&self.pool)
            .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound(format!("goal {goal}")));
        }
        rows.into_iter().map(GoalVersion::try_from).collect()
    }

    /// The version in force of every goal, in display order.
    pub async fn current_goal_versions(&self) -> Result<Vec<GoalVersion>, StoreError> {
        let sql = format!(
            "SELECT {} FROM goal_versions v JOIN goals g ON g.id = v.goal_id AND g.version = v.version \
             ORDER BY g.position, g.id",
            VERSION_COLUMNS
                .split(", ")
                .map(|c| format!("v.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let rows: Vec<VersionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(GoalVersion::try_from).collect()
    }

    /// The version of a goal in force at `as_of` (epoch ms): the newest one made at or before
    /// it, or the first version for moments before any was recorded. `None`: the current one.
    pub async fn goal_version_at(
        &self,
        goal: &GoalId,
        as_of: Option<i64>,
    ) -> Result<GoalVersion, StoreError> {
        let load = async {
            let sql = format!(
                "SELECT {VERSION_COLUMNS} FROM goal_versions WHERE goal_id = $1 \
                 ORDER BY CASE WHEN $2 IS NULL THEN version \
                               WHEN changed_at <= $2 THEN version \
                               ELSE -version END DESC \
                 LIMIT 1"
            );
            let row: Option<VersionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(goal.as_str())
                .bind(as_of)
                .fetch_optional(&self.pool)
                .await?;
            row.ok_or_else(|| StoreError::NotFound(format!("goal {goal}")))?
                .try_into()
        };
        if as_of.is_none() {
            self.memoized(format!("goal_version_at {goal}"), load).await
        } else {
            load.await
        }
    }

    /// When a person last changed a goal measured on `series` (versions after the first), if
    /// ever: a view pinned before that moment shows an older target.
    pub async fn last_goal_change(
        &self,
        series: &domain::SeriesId,
    ) -> Result<Option<i64>, StoreError> {
        let load = async {
            let at: Option<i64> = sqlx::query_scalar(
                "SELECT CAST(MAX(v.changed_at) AS BIGINT) FROM goal_versions v JOIN goals g ON g.id = v.goal_id \
                 WHERE g.series_id = $1 AND v.version > 1",
            )
            .bind(series.as_str())
            .fetch_one(&self.pool)
            .await?;
            Ok(at)
        };
        self.memoized(format!("last_goal_change {series}"), load)
            .await
    }

    /// One goal as it is now, with the number of its version.
    pub async fn get_goal(&self, id: &GoalId) -> Result<(Goal, i64), StoreError> {
        let goal = self
            .list_goals()
            .await?
            .into_iter()
            .find(|g| &g.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("goal {id}")))?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM goals WHERE id = $1")
            .bind(id.as_str())
            .fetch_one(&self.pool)
            .await?;
        Ok((goal, version))
    }

    /// Saves a new version of a goal's baseline and target and makes it the one in force, in
    /// one transaction. `based_on` is the version the editor started from: when another
    /// version was saved since, nothing changes and the answer is `Conflict`. Returns the goal
    /// as it was before and the new version.
    pub async fn update_goal_targets(
        &self,
        id: &GoalId,
        based_on: i64,
        targets: &GoalTargets,
        changed_by: &str,
        reason: &str,
        now: i64,
    ) -> Result<(Goal, GoalVersion), StoreError> {
        if !targets.baseline_value.is_finite() || !targets.target_value.is_finite() {
            return Err(StoreError::Conflict(
                "baseline and target values must be finite numbers".into(),
            ));
        }
        if targets.target_period.start() < targets.baseline_period.end() {
            return Err(StoreError::Conflict(
                "the target period must come after the baseline period".into(),
            ));
        }
        let (before, current) = self.get_goal(id).await?;
        if current != based_on {
            return Err(StoreError::Conflict(format!(
                "goal {id} is at version {current}, not {based_on}"
            )));
        }
        let version = current + 1;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE goals SET baseline_period = $1, baseline_value = $2, target_period = $3, \
             target_value = $4, note = $5, version = $6, updated_at = $7 WHERE id = $8 AND version = $9",
        )
        .bind(targets.baseline_period.to_string())
        .bind(targets.baseline_value)
        .bind(targets.target_period.to_string())
        .bind(targets.target_value)
        .bind(&targets.note)
        .bind(version)
        .bind(now)
        .bind(id.as_str())
        .bind(current)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "goal {id} was changed meanwhile"
            )));
        }
        insert_version(&mut tx, id, version, targets, changed_by, reason, now).await?;
        tx.commit().await?;
        self.touched();
        Ok((
            before,
            GoalVersion {
                goal: id.clone(),
                version,
                targets: targets.clone(),
                changed_by: changed_by.to_owned(),
                changed_at: now,
                reason: reason.to_owned(),
            },
        ))
    }
}
