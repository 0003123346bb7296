//! Goals: the targets Koers measures progress against.

use crate::{Store, StoreError};
use domain::{Direction, Goal, GoalId, Period, SeriesId};

#[derive(sqlx::FromRow)]
struct GoalRow {
    id: String,
    title_nl: String,
    title_en: String,
    series_id: String,
    baseline_period: String,
    baseline_value: f64,
    target_period: String,
    target_value: f64,
    direction: String,
    cumulative: i64,
    pace_window: i64,
    lower_bound_series: Option<String>,
    commitment_nl: String,
    commitment_en: String,
    source_url: String,
    note: String,
}

impl TryFrom<GoalRow> for Goal {
    type Error = StoreError;
    fn try_from(r: GoalRow) -> Result<Self, StoreError> {
        let corrupt = |e: String| StoreError::Corrupt(format!("goal {}: {e}", r.id));
        Ok(Goal {
            id: GoalId::parse(&r.id).map_err(|e| corrupt(e.to_string()))?,
            series: SeriesId::parse(&r.series_id).map_err(|e| corrupt(e.to_string()))?,
            baseline_period: Period::parse(&r.baseline_period)
                .map_err(|e| corrupt(e.to_string()))?,
            baseline_value: r.baseline_value,
            target_period: Period::parse(&r.target_period).map_err(|e| corrupt(e.to_string()))?,
            target_value: r.target_value,
            direction: Direction::parse(&r.direction)
                .ok_or_else(|| corrupt(format!("unknown direction {:?}", r.direction)))?,
            cumulative: r.cumulative != 0,
            pace_window: u32::try_from(r.pace_window).map_err(|e| corrupt(e.to_string()))?,
            lower_bound_series: r
                .lower_bound_series
                .as_deref()
                .map(SeriesId::parse)
                .transpose()
                .map_err(|e| corrupt(e.to_string()))?,
            title_nl: r.title_nl.clone(),
            title_en: r.title_en.clone(),
            commitment_nl: r.commitment_nl.clone(),
            commitment_en: r.commitment_en.clone(),
            source_url: r.source_url.clone(),
            note: r.note.clone(),
        })
    }
}

impl Store {
    /// Inserts goals that are not stored yet, each with its version 1; existing goals (possibly
    /// edited) are kept.
    pub async fn insert_missing_goals(&self, goals: &[Goal], now: i64) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut inserted = 0;
        for (position, g) in goals.iter().enumerate() {
            let done = sqlx::query(
                "INSERT INTO goals (id, title_nl, title_en, series_id, baseline_period, baseline_value, target_period, \
                 target_value, direction, cumulative, pace_window, lower_bound_series, commitment_nl, commitment_en, \
                 source_url, note, position, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(g.id.as_str())
            .bind(&g.title_nl)
            .bind(&g.title_en)
            .bind(g.series.as_str())
            .bind(g.baseline_period.to_string())
            .bind(g.baseline_value)
            .bind(g.target_period.to_string())
            .bind(g.target_value)
            .bind(g.direction.as_str())
            .bind(i64::from(g.cumulative))
            .bind(i64::from(g.pace_window))
            .bind(g.lower_bound_series.as_ref().map(SeriesId::as_str))
            .bind(&g.commitment_nl)
            .bind(&g.commitment_en)
            .bind(&g.source_url)
            .bind(&g.note)
            .bind(position as i64)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                crate::goal_versions::insert_version(
                    &mut tx,
                    &g.id,
                    1,
                    &g.targets(),
                    crate::goal_versions::SYSTEM_USER,
                    "initial version",
                    now,
                )
                .await?;
            }
            inserted += done.rows_affected();
        }
        tx.commit().await?;
        self.touched();
        Ok(inserted)
    }

    /// All goals in display order.
    pub async fn list_goals(&self) -> Result<Vec<Goal>, StoreError> {
        let load = async {
            let rows: Vec<GoalRow> = sqlx::query_as(
                "SELECT id, title_nl, title_en, series_id, baseline_period, baseline_value, target_period, target_value, \
                 direction, cumulative, pace_window, lower_bound_series, commitment_nl, commitment_en, source_url, note \
                 FROM goals ORDER BY position, id",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(Goal::try_from).collect()
        };
        self.memoized("list_goals".to_owned(), load).await
    }

    /// Goals measured on a series.
    pub async fn goals_for_series(&self, series: &SeriesId) -> Result<Vec<Goal>, StoreError> {
        Ok(self
            .list_goals()
            .await?
            .into_iter()
            .filter(|g| &g.series == series)
            .collect())
    }
}
