//! Observations with vintages: applying a validated batch in one transaction, and reading the
//! current values, the values as known on a date, or every value ever seen.

// Dynamic SQL below only splices in the constant column lists of this module.
use crate::fetches::{FetchOutcome, FetchRecord, close_fetch};
use crate::series::Category;
use crate::{Store, StoreError};
use domain::{CategoryKey, Margin, Observation, ObservationStatus, Period, SeriesBreak, SeriesId};
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AssertSqlSafe};
use std::collections::{HashMap, HashSet};

/// One incoming figure with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObservation {
    /// The figure.
    pub observation: Observation,
    /// Who published it ("CBS 80799ned", "CBS (press 2025-01)").
    pub source_label: String,
    /// Where it can be checked.
    pub source_url: String,
    /// A remark that travels with the figure.
    pub note: Option<String>,
    /// The published margin, if any.
    pub margin: Option<Margin>,
}

/// A validated set of figures from one run, applied atomically with its fetch record.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Categories to insert or relabel, per series.
    pub categories: Vec<(SeriesId, Category)>,
    /// The figures.
    pub observations: Vec<NewObservation>,
    /// Series breaks the upstream reports (inserted when new).
    pub breaks: Vec<SeriesBreak>,
}

/// What applying a batch changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyCounts {
    /// Figures Koers had not seen before.
    pub new: u64,
    /// Figures whose value or status changed; the old value is kept as an earlier vintage.
    pub revised: u64,
    /// Figures equal to what was stored.
    pub unchanged: u64,
}

/// A stored figure with its vintage and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredObservation {
    /// The figure.
    pub observation: Observation,
    /// When Koers first saw this value, epoch ms.
    pub first_seen_at: i64,
    /// When a newer value replaced it, epoch ms (`None`: current).
    pub superseded_at: Option<i64>,
    /// The fetch (or snapshot load) that wrote it.
    pub fetch_id: i64,
    /// Publisher label.
    pub source_label: String,
    /// Where it can be checked.
    pub source_url: String,
    /// Remark.
    pub note: Option<String>,
    /// Published margin.
    pub margin: Option<Margin>,
}

#[derive(sqlx::FromRow)]
struct ObservationRow {
    series_id: String,
    category: String,
    period: String,
    value: f64,
    status: String,
    fetch_id: i64,
    source_label: String,
    source_url: String,
    note: Option<String>,
    first_seen_at: i64,
    superseded_at: Option<i64>,
    lower: Option<f64>,
    upper: Option<f64>,
}

impl TryFrom<ObservationRow> for StoredObservation {
    type Error = StoreError;
    fn try_from(r: ObservationRow) -> Result<Self, StoreError> {
        let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(e.to_string());
        Ok(StoredObservation {
            observation: Observation {
                series: SeriesId::parse(&r.series_id).map_err(|e| corrupt(&e))?,
                category: CategoryKey::parse(&r.category).map_err(|e| corrupt(&e))?,
                period: Period::parse(&r.period).map_err(|e| corrupt(&e))?,
                value: r.value,
                status: ObservationStatus::parse(&r.status).map_err(|e| corrupt(&e))?,
            },
            first_seen_at: r.first_seen_at,
            superseded_at: r.superseded_at,
            fetch_id: r.fetch_id,
            source_label: r.source_label,
            source_url: r.source_url,
            note: r.note,
            margin: r.lower.zip(r.upper).and_then(|(l, u)| Margin::new(l, u)),
        })
    }
}

const OBS_COLUMNS: &str = "series_id, category, period, value, status, fetch_id, source_label, \
     source_url, note, first_seen_at, superseded_at, lower, upper";

/// Columns bound per inserted row.
const INSERT_COLUMNS: usize = 13;
/// Rows per multi-row INSERT (well under SQLite's and PostgreSQL's bind-parameter limits).
const INSERT_CHUNK: usize = 500;
/// Ids per UPDATE that closes old vintages.
const SUPERSEDE_CHUNK: usize = 1_000;

/// Values closer than this (relative) are the same figure; guards against float noise.
const SAME_VALUE_TOLERANCE: f64 = 1e-9;

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= SAME_VALUE_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// id, category, period, value, status, lower, upper of a current row.
type CurrentRow = (i64, String, String, f64, String, Option<f64>, Option<f64>);

/// The current vintage of a figure, as far as change detection needs it.
struct Current {
    id: i64,
    value: f64,
    status: String,
    margin: Option<Margin>,
}

impl Current {
    /// Whether an incoming figure equals this one: value, status and margin.
    fn same_as(&self, new: &NewObservation) -> bool {
        let margins_equal = match (self.margin, new.margin) {
            (None, None) => true,
            (Some(a), Some(b)) => same_value(a.lower, b.lower) && same_value(a.upper, b.upper),
            _ => false,
        };
        same_value(self.value, new.observation.value)
            && self.status == new.observation.status.as_str()
            && margins_equal
    }
}

impl Store {
    /// Applies a validated batch and closes the fetch row, all in one transaction: either every
    /// figure is written and the fetch is recorded as succeeded, or nothing changes.
    ///
    /// A figure equal to the stored one is left alone; a changed value or status supersedes the
    /// stored row (which keeps its value as an earlier vintage). Figures absent from the batch
    /// are never removed.
    pub async fn apply_batch(
        &self,
        fetch_id: i64,
        batch: &Batch,
        record: &FetchRecord,
        now: i64,
    ) -> Result<ApplyCounts, StoreError> {
        let mut tx = self.pool.begin().await?;
        let counts = apply_in(&mut tx, fetch_id, batch, now).await?;
        close_fetch(
            &mut tx,
            fetch_id,
            FetchOutcome::Succeeded,
            record,
            [counts.new, counts.revised, counts.unchanged],
            now,
        )
        .await?;
        tx.commit().await?;
        self.touched();
        Ok(counts)
    }

    /// The figures of a series, ordered by category and period. `category: None` returns all
    /// categories. `as_of` (epoch ms) returns the values as Koers knew them at that moment.
    pub async fn observations(
        &self,
        series: &SeriesId,
        category: Option<&CategoryKey>,
        as_of: Option<i64>,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let load = async {
            let sql = format!(
                "SELECT {OBS_COLUMNS} FROM observations WHERE series_id = $1 \
                 AND ($2 IS NULL OR category = $2) \
                 AND (CASE WHEN $3 IS NULL THEN superseded_at IS NULL \
                      ELSE first_seen_at <= $3 AND (superseded_at IS NULL OR superseded_at > $3) END) \
                 ORDER BY category, period_start, period"
            );
            let rows: Vec<ObservationRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(series.as_str())
                .bind(category.map(CategoryKey::as_str))
                .bind(as_of)
                .fetch_all(&self.pool)
                .await?;
            let mut out: Vec<StoredObservation> = rows
                .into_iter()
                .map(StoredObservation::try_from)
                .collect::<Result<_, _>>()?;
            // Same start date, different length (a year and its first month): keep Period order.
            out.sort_by(|a, b| {
                (a.observation.category.as_str(), a.observation.period)
                    .cmp(&(b.observation.category.as_str(), b.observation.period))
            });
            Ok(out)
        };
        if as_of.is_none() {
            self.memoized(format!("observations {series} {category:?}"), load)
                .await
        } else {
            load.await
        }
    }

    /// Every value ever stored for a series (optionally one category and period), oldest
    /// vintage first: the revision history.
    pub async fn observation_history(
        &self,
        series: &SeriesId,
        category: &CategoryKey,
        period: Option<Period>,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        let load = async {
            let sql = format!(
                "SELECT {OBS_COLUMNS} FROM observations WHERE series_id = $1 AND category = $2 \
                 AND ($3 IS NULL OR period = $3) ORDER BY period_start, period, first_seen_at, id"
            );
            let rows: Vec<ObservationRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(series.as_str())
                .bind(category.as_str())
                .bind(period.map(|p| p.to_string()))
                .fetch_all(&self.pool)
                .await?;
            rows.into_iter().map(StoredObservation::try_from).collect()
        };
        self.memoized(
            format!("observation_history {series} {category} {period:?}"),
            load,
        )
        .await
    }

    /// The periods for which `series` has a current figure (any category), oldest first:
    /// what freshness is measured against.
    pub async fn current_periods(&self, series: &SeriesId) -> Result<Vec<Period>, StoreError> {
        let load = async {
            let texts: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT period FROM observations WHERE series_id = $1 AND superseded_at IS NULL",
            )
            .bind(series.as_str())
            .fetch_all(&self.pool)
            .await?;
            let mut periods = texts
                .iter()
                .map(|t| Period::parse(t).map_err(|e| StoreError::Corrupt(e.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            periods.sort();
            Ok(periods)
        };
        self.memoized(format!("current_periods {series}"), load)
            .await
    }

    /// Whether the store holds no figures at all (a fresh install).
    pub async fn has_no_observations(&self) -> Result<bool, StoreError> {
        let any: Option<i64> = sqlx::query_scalar("SELECT id FROM observations LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(any.is_none())
    }

    /// A token that changes whenever anything a page, chart or export can show changes: a new
    /// or revised figure, a fetch started or finished, a series definition, a goal (a new
    /// version), an event added, edited or removed, a break or a publisher's note. HTTP caching
    /// keys its ETags on it, and the read memo (`memo.rs`) its entries; `data_version` is the
    /// memoized reading of it.
    pub(crate) async fn data_version_uncached(&self) -> Result<String, StoreError> {
        let row: (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT \
             CAST((SELECT COALESCE(MAX(id), 0) FROM observations) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM observations WHERE superseded_at IS NOT NULL) AS BIGINT), \
             CAST((SELECT COALESCE(MAX(id), 0) FROM fetches) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM fetches WHERE finished_at IS NOT NULL) AS BIGINT), \
             CAST((SELECT COALESCE(MAX(updated_at), 0) FROM series) AS BIGINT), \
             CAST((SELECT COALESCE(MAX(updated_at), 0) FROM goals) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM events) AS BIGINT), \
             CAST((SELECT COALESCE(MAX(updated_at), 0) FROM events) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM series_breaks) AS BIGINT), \
             CAST((SELECT COUNT(*) FROM change_notes) AS BIGINT)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(format!(
            "{}.{}.{}.{}.{}.{}.{}.{}.{}.{}",
            row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9
        ))
    }

    /// When a figure of `series` was last first seen (a new or revised value), if ever: a view
    /// pinned before that moment has newer figures.
    pub async fn last_first_seen(&self, series: &SeriesId) -> Result<Option<i64>, StoreError> {
        let load = async {
            let at: Option<i64> = sqlx::query_scalar(
                "SELECT CAST(MAX(first_seen_at) AS BIGINT) FROM observations WHERE series_id = $1",
            )
            .bind(series.as_str())
            .fetch_one(&self.pool)
            .await?;
            Ok(at)
        };
        self.memoized(format!("last_first_seen {series}"), load)
            .await
    }

    /// Counts of current figures and of all stored rows (vintages included), for invariants.
    pub async fn observation_counts(&self) -> Result<(i64, i64), StoreError> {
        let current: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE superseded_at IS NULL")
                .fetch_one(&self.pool)
                .await?;
        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM observations")
            .fetch_one(&self.pool)
            .await?;
        Ok((current, all))
    }
}

/// Writes a checked batch's categories, breaks and figures on `conn` (inside the caller's
/// transaction) and counts what changed; the caller closes the fetch row.
pub(crate) async fn apply_in(
    tx: &mut AnyConnection,
    fetch_id: i64,
    batch: &Batch,
    now: i64,
) -> Result<ApplyCounts, StoreError> {
    check_unique(batch)?;
    for (series, c) in &batch.categories {
        sqlx::query(
            "INSERT INTO categories (series_id, key, title_nl, title_en, group_title_nl, position) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (series_id, key) DO UPDATE SET \
             title_nl = excluded.title_nl, title_en = COALESCE(excluded.title_en, categories.title_en), \
             group_title_nl = excluded.group_title_nl, position = excluded.position",
        )
        .bind(series.as_str())
        .bind(c.key.as_str())
        .bind(&c.title_nl)
        .bind(c.title_en.as_deref())
        .bind(c.group_title_nl.as_deref())
        .bind(c.position)
        .execute(&mut *tx)
        .await?;
    }

    // Load the current vintage of every touched series once.
    let series: HashSet<&SeriesId> = batch
        .observations
        .iter()
        .map(|o| &o.observation.series)
        .collect();
    let mut current: HashMap<(String, String, String), Current> = HashMap::new();
    for s in series {
        let rows: Vec<CurrentRow> = sqlx::query_as(
            "SELECT id, category, period, value, status, lower, upper FROM observations \
             WHERE series_id = $1 AND superseded_at IS NULL",
        )
        .bind(s.as_str())
        .fetch_all(&mut *tx)
        .await?;
        for (id, category, period, value, status, lower, upper) in rows {
            let margin = lower.zip(upper).and_then(|(l, u)| Margin::new(l, u));
            current.insert(
                (s.as_str().to_owned(), category, period),
                Current {
                    id,
                    value,
                    status,
                    margin,
                },
            );
        }
    }
    for b in &batch.breaks {
        crate::annotations::insert_break(tx, b).await?;
    }

    let mut counts = ApplyCounts::default();
    let mut superseded: Vec<i64> = Vec::new();
    let mut inserts: Vec<&NewObservation> = Vec::new();
    for new in &batch.observations {
        let o = &new.observation;
        let key = (
            o.series.as_str().to_owned(),
            o.category.as_str().to_owned(),
            o.period.to_string(),
        );
        match current.get(&key) {
            Some(c) if c.same_as(new) => {
                counts.unchanged += 1;
                continue;
            }
            Some(c) => {
                superseded.push(c.id);
                counts.revised += 1;
            }
            None => counts.new += 1,
        }
        inserts.push(new);
    }
    // Old vintages first: the unique index allows one current row per figure.
    for ids in superseded.chunks(SUPERSEDE_CHUNK) {
        let sql = format!(
            "UPDATE observations SET superseded_at = {} WHERE id IN ({})",
            placeholders(tx, 1, 1),
            placeholders(tx, 2, ids.len())
        );
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(now);
        for id in ids {
            query = query.bind(*id);
        }
        query.execute(&mut *tx).await?;
    }
    for rows in inserts.chunks(INSERT_CHUNK) {
        let values = (0..rows.len())
            .map(|r| {
                format!(
                    "({})",
                    placeholders(tx, r * INSERT_COLUMNS + 1, INSERT_COLUMNS)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO observations (series_id, category, period, period_start, value, status, fetch_id, \
             source_label, source_url, note, first_seen_at, lower, upper) VALUES {values}"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for new in rows {
            let o = &new.observation;
            query = query
                .bind(o.series.as_str())
                .bind(o.category.as_str())
                .bind(o.period.to_string())
                .bind(o.period.start().to_string())
                .bind(o.value)
                .bind(o.status.as_str())
                .bind(fetch_id)
                .bind(&new.source_label)
                .bind(&new.source_url)
                .bind(new.note.as_deref())
                .bind(now)
                .bind(new.margin.map(|m| m.lower))
                .bind(new.margin.map(|m| m.upper));
        }
        query.execute(&mut *tx).await?;
    }

    Ok(counts)
}

/// `count` bind parameters numbered from `first`, as `conn`'s dialect spells them: `$n` on
/// PostgreSQL, anonymous `?` on SQLite. (sqlx looks up every named SQLite parameter by number,
/// which SQLite answers with a linear scan: with `$n`, binding a multi-row `INSERT` of thousands
/// of parameters took 30 times longer than the insert itself.)
fn placeholders(conn: &AnyConnection, first: usize, count: usize) -> String {
    let sqlite = conn.backend_name() == "SQLite";
    (first..first + count)
        .map(|n| {
            if sqlite {
                "?".to_owned()
            } else {
                format!("${n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_unique(batch: &Batch) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    for o in batch.observations.iter().map(|n| &n.observation) {
        if !seen.insert((&o.series, &o.category, o.period)) {
            return Err(StoreError::Conflict(format!(
                "the batch holds {} / {} / {} twice",
                o.series, o.category, o.period
            )));
        }
        if !o.value.is_finite() {
            return Err(StoreError::Conflict(format!(
                "{} / {} / {} is not a finite number",
                o.series, o.category, o.period
            )));
        }
    }
    Ok(())
}
