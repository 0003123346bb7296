//! Series metadata and breakdown categories.

// Dynamic SQL below only splices in the constant column lists of this module.
use crate::{Store, StoreError};
use domain::{CategoryKey, Measure, SeriesId, SeriesMeta, SourceId, Unit};
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;

/// A breakdown category of a series, with the publisher's label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    /// Category key (`total` for the headline figure).
    pub key: CategoryKey,
    /// Label as published (CBS labels are Dutch).
    pub title_nl: String,
    /// English label where one is known.
    pub title_en: Option<String>,
    /// Group the category belongs to (`Geslacht`, `Leeftijd`, ...).
    pub group_title_nl: Option<String>,
    /// Display order as published.
    pub position: i64,
}

/// A series with what the overview needs to know about its data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesSummary {
    /// The metadata.
    pub meta: SeriesMeta,
    /// Current observations of the headline category.
    pub observation_count: i64,
    /// First period start with data (ISO date).
    pub first_period_start: Option<String>,
    /// Last period start with data (ISO date).
    pub last_period_start: Option<String>,
    /// When a value of the series last changed in Koers (first seen), epoch ms.
    pub last_changed_at: Option<i64>,
    /// When the series' source was last fetched successfully, epoch ms.
    pub last_checked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SeriesRow {
    id: String,
    title_nl: String,
    title_en: String,
    description_nl: String,
    description_en: String,
    unit: String,
    measure: String,
    producer: String,
    table_id: Option<String>,
    source_url: String,
    licence: String,
    licence_url: String,
    source: Option<String>,
    caveat_nl: String,
    caveat_en: String,
}

impl TryFrom<SeriesRow> for SeriesMeta {
    type Error = StoreError;
    fn try_from(r: SeriesRow) -> Result<Self, StoreError> {
        Ok(SeriesMeta {
            id: SeriesId::parse(&r.id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            unit: Unit::parse(&r.unit)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown unit {:?}", r.unit)))?,
            measure: Measure::parse(&r.measure)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown measure {:?}", r.measure)))?,
            title_nl: r.title_nl,
            title_en: r.title_en,
            description_nl: r.description_nl,
            description_en: r.description_en,
            producer: r.producer,
            table_id: r.table_id,
            source_url: r.source_url,
            licence: r.licence,
            licence_url: r.licence_url,
            source: r
                .source
                .as_deref()
                .map(SourceId::parse)
                .transpose()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            caveat_nl: r.caveat_nl,
            caveat_en: r.caveat_en,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    series: SeriesRow,
    observation_count: i64,
    first_period_start: Option<String>,
    last_period_start: Option<String>,
    last_changed_at: Option<i64>,
    last_checked_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    key: String,
    title_nl: String,
    title_en: Option<String>,
    group_title_nl: Option<String>,
    position: i64,
}

impl TryFrom<CategoryRow> for Category {
    type Error = StoreError;
    fn try_from(r: CategoryRow) -> Result<Self, StoreError> {
        Ok(Category {
            key: CategoryKey::parse(&r.key).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            title_nl: r.title_nl,
            title_en: r.title_en,
            group_title_nl: r.group_title_nl,
            position: r.position,
        })
    }
}

const SERIES_COLUMNS: &str = "s.id, s.title_nl, s.title_en, s.description_nl, s.description_en, \
     s.unit, s.measure, s.producer, s.table_id, s.source_url, s.licence, s.licence_url, s.source, s.caveat_nl, s.caveat_en";

impl Store {
    /// Inserts or updates series definitions (the catalogue is code; the database mirrors it).
    pub async fn upsert_series(&self, series: &[SeriesMeta], now: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for s in series {
            sqlx::query(
                "INSERT INTO series (id, title_nl, title_en, description_nl, description_en, unit, measure, \
                 producer, table_id, source_url, licence, licence_url, source, caveat_nl, caveat_en, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                 ON CONFLICT (id) DO UPDATE SET title_nl = excluded.title_nl, title_en = excluded.title_en, \
                 description_nl = excluded.description_nl, description_en = excluded.description_en, \
                 unit = excluded.unit, measure = excluded.measure, producer = excluded.producer, \
                 table_id = excluded.table_id, source_url = excluded.source_url, licence = excluded.licence, \
                 licence_url = excluded.licence_url, source = excluded.source, caveat_nl = excluded.caveat_nl, \
                 caveat_en = excluded.caveat_en, updated_at = excluded.updated_at",
            )
            .bind(s.id.as_str())
            .bind(&s.title_nl)
            .bind(&s.title_en)
            .bind(&s.description_nl)
            .bind(&s.description_en)
            .bind(s.unit.as_str())
            .bind(s.measure.as_str())
            .bind(&s.producer)
            .bind(s.table_id.as_deref())
            .bind(&s.source_url)
            .bind(&s.licence)
            .bind(&s.licence_url)
            .bind(s.source.as_ref().map(SourceId::as_str))
            .bind(&s.caveat_nl)
            .bind(&s.caveat_en)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.touched();
        Ok(())
    }

    /// All series with a summary of their data, in id order.
    pub async fn list_series(&self) -> Result<Vec<SeriesSummary>, StoreError> {
        let load = async {
            let sql = format!(
                "SELECT {SERIES_COLUMNS}, \
                 (SELECT COUNT(*) FROM observations o WHERE o.series_id = s.id AND o.category = 'total' \
                    AND o.superseded_at IS NULL) AS observation_count, \
                 (SELECT MIN(o.period_start) FROM observations o WHERE o.series_id = s.id \
                    AND o.superseded_at IS NULL) AS first_period_start, \
                 (SELECT MAX(o.period_start) FROM observations o WHERE o.series_id = s.id \
                    AND o.superseded_at IS NULL) AS last_period_start, \
                 (SELECT MAX(o.first_seen_at) FROM observations o WHERE o.series_id = s.id) AS last_changed_at, \
                 (SELECT MAX(f.finished_at) FROM fetches f WHERE f.outcome IN ('succeeded', 'unchanged') \
                    AND f.source = s.source) AS last_checked_at \
                 FROM series s ORDER BY s.id"
            );
            let rows: Vec<SummaryRow> = sqlx::query_as(AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?;
            rows.into_iter()
                .map(|r| {
                    Ok(SeriesSummary {
                        meta: r.series.try_into()?,
                        observation_count: r.observation_count,
                        first_period_start: r.first_period_start,
                        last_period_start: r.last_period_start,
                        last_changed_at: r.last_changed_at,
                        last_checked_at: r.last_checked_at,
                    })
                })
                .collect()
        };
        self.memoized("list_series".to_owned(), load).await
    }

    /// One series' summary, or `NotFound`.
    pub async fn series_summary(&self, id: &SeriesId) -> Result<SeriesSummary, StoreError> {
        self.list_series()
            .await?
            .into_iter()
            .find(|s| &s.meta.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("series {id}")))
    }

    /// One series' metadata, or `NotFound`.
    pub async fn get_series(&self, id: &SeriesId) -> Result<SeriesMeta, StoreError> {
        let load = async {
            let sql = format!("SELECT {SERIES_COLUMNS} FROM series s WHERE s.id = $1");
            let row: Option<SeriesRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
            row.ok_or_else(|| StoreError::NotFound(format!("series {id}")))?
                .try_into()
        };
        self.memoized(format!("get_series {id}"), load).await
    }

    /// The breakdown categories of a series, in published order (total first).
    pub async fn list_categories(&self, id: &SeriesId) -> Result<Vec<Category>, StoreError> {
        let load = async {
            let rows: Vec<CategoryRow> = sqlx::query_as(
                "SELECT key, title_nl, title_en, group_title_nl, position FROM categories \
                 WHERE series_id = $1 ORDER BY position, key",
            )
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(Category::try_from).collect()
        };
        self.memoized(format!("list_categories {id}"), load).await
    }
}
