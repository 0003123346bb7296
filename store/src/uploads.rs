//! Manual uploads: a checked CSV file written like any ingestion run. The figures go through
//! the same vintage logic as a CBS fetch, under a `fetches` row whose source is
//! `upload:<username>`, so revisions, history and provenance work the same way. A new series,
//! the fetch row, the figures and the `uploads` row are written in one transaction.

use crate::fetches::{FetchOutcome, FetchRecord, close_fetch};
use crate::observations::apply_in;
use crate::{ApplyCounts, Batch, Store, StoreError};
use domain::{CategoryKey, SeriesId, SeriesMeta};
use serde::{Deserialize, Serialize};

/// Prefix of the `fetches.source` of an upload; the uploader's username follows.
pub const UPLOAD_SOURCE_PREFIX: &str = "upload:";

/// What is being uploaded, besides the figures.
#[derive(Debug, Clone)]
pub struct NewUpload<'a> {
    /// The series the figures belong to.
    pub series: &'a SeriesMeta,
    /// Whether to create the series (it must not exist yet) rather than add to it (it must).
    pub create_series: bool,
    /// The file's name as sent by the browser.
    pub file_name: &'a str,
    /// Its size.
    pub size_bytes: u64,
    /// SHA-256 of its bytes, hex.
    pub checksum: &'a str,
    /// Who uploaded it.
    pub uploaded_by: &'a str,
    /// Data rows in the file.
    pub rows: u64,
}

/// What storing an upload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadOutcome {
    /// The `uploads` row.
    pub upload_id: i64,
    /// The `fetches` row the figures were written under.
    pub fetch_id: i64,
    /// Figures new / revised / unchanged.
    pub counts: ApplyCounts,
}

/// A stored upload, for the console's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadSummary {
    /// Row id.
    pub id: i64,
    /// Its fetch row.
    pub fetch_id: i64,
    /// The series.
    pub series: SeriesId,
    /// File name.
    pub file_name: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256, hex.
    pub checksum: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When, epoch ms.
    pub uploaded_at: i64,
    /// Whether the upload created the series.
    pub created_series: bool,
    /// Figures new to Koers.
    pub rows_new: i64,
    /// Figures revised.
    pub rows_revised: i64,
    /// Figures unchanged.
    pub rows_unchanged: i64,
}

type UploadRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
);

impl Store {
    /// Stores a checked upload in one transaction: creates the series when asked, opens and
    /// closes a fetch row (`upload:<username>`), adds missing breakdown categories (labelled
    /// with their key; existing labels are kept), applies the figures with the vintage logic of every
    /// fetch, and records the upload. On any error nothing is stored.
    pub async fn apply_upload(
        &self,
        upload: &NewUpload<'_>,
        batch: &Batch,
        now: i64,
    ) -> Result<UploadOutcome, StoreError> {
        let series = &upload.series.id;
        if let Some(o) = batch
            .observations
            .iter()
            .find(|o| &o.observation.series != series)
        {
            return Err(StoreError::Conflict(format!(
                "an upload to {series} holds a figure of {}",
                o.observation.series
            )));
        }
        let mut tx = self.pool.begin().await?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM series WHERE id = $1")
            .bind(series.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        match (upload.create_series, exists.is_some()) {
            (true, true) => {
                return Err(StoreError::Conflict(format!(
                    "series {series} exists already"
                )));
            }
            (false, false) => return Err(StoreError::NotFound(format!("series {series}"))),
            (true, false) => insert_series(&mut tx, upload.series, now).await?,
            (false, true) => {}
        }
        let source = format!("{UPLOAD_SOURCE_PREFIX}{}", upload.uploaded_by);
        let url = format!("upload:{}", upload.file_name);
        let fetch_id: i64 = sqlx::query_scalar(
            "INSERT INTO fetches (source, url, started_at, outcome) VALUES ($1, $2, $3, 'running') RETURNING id",
        )
        .bind(&source)
        .bind(&url)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;

        let mut keys: Vec<&CategoryKey> = batch
            .observations
            .iter()
            .map(|o| &o.observation.category)
            .filter(|k| !k.is_total())
            .collect();
        keys.sort();
        keys.dedup();
        let position: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(position), -1) AS BIGINT) FROM categories WHERE series_id = $1",
        )
        .bind(series.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let mut next = position + 1;
        for key in keys {
            let done = sqlx::query(
                "INSERT INTO categories (series_id, key, title_nl, title_en, group_title_nl, position) \
                 VALUES ($1, $2, $3, NULL, NULL, $4) ON CONFLICT (series_id, key) DO NOTHING",
            )
            .bind(series.as_str())
            .bind(key.as_str())
            .bind(key.as_str())
            .bind(next)
            .execute(&mut *tx)
            .await?;
            next += done.rows_affected() as i64;
        }

        let plain = Batch {
            categories: Vec::new(),
            observations: batch.observations.clone(),
            breaks: batch.breaks.clone(),
        };
        let counts = apply_in(&mut tx, fetch_id, &plain, now).await?;
        let record = FetchRecord {
            url: Some(url),
            checksum: Some(upload.checksum.to_owned()),
            rows_seen: upload.rows,
            ..FetchRecord::default()
        };
        close_fetch(
            &mut tx,
            fetch_id,
            FetchOutcome::Succeeded,
            &record,
            [counts.new, counts.revised, counts.unchanged],
            now,
        )
        .await?;
        let upload_id: i64 = sqlx::query_scalar(
            "INSERT INTO uploads (fetch_id, series_id, file_name, size_bytes, checksum, uploaded_by, \
             uploaded_at, created_series) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(fetch_id)
        .bind(series.as_str())
        .bind(upload.file_name)
        .bind(upload.size_bytes as i64)
        .bind(upload.checksum)
        .bind(upload.uploaded_by)
        .bind(now)
        .bind(i64::from(upload.create_series))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.touched();
        Ok(UploadOutcome {
            upload_id,
            fetch_id,
            counts,
        })
    }

    /// The most recent uploads, newest first.
    pub async fn recent_uploads(&self, limit: u32) -> Result<Vec<UploadSummary>, StoreError> {
        let sql = format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads u JOIN fetches f ON f.id = u.fetch_id \
             ORDER BY u.uploaded_at DESC, u.id DESC LIMIT $1"
        );
        let rows: Vec<UploadRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(summary).collect()
    }

    /// One upload, or `NotFound`.
    pub async fn get_upload(&self, id: i64) -> Result<UploadSummary, StoreError> {
        let sql = format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads u JOIN fetches f ON f.id = u.fetch_id WHERE u.id = $1"
        );
        let row: Option<UploadRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        summary(row.ok_or_else(|| StoreError::NotFound(format!("upload {id}")))?)
    }
}

const UPLOAD_COLUMNS: &str = "u.id, u.fetch_id, u.series_id, u.file_name, u.size_bytes, u.checksum, \
     u.uploaded_by, u.uploaded_at, u.created_series, f.rows_new, f.rows_revised, f.rows_unchanged";

fn summary(
    (
        id,
        fetch_id,
        series,
        file_name,
        size_bytes,
        checksum,
        uploaded_by,
        uploaded_at,
        created,
        new,
        revised,
        unchanged,
    ): UploadRow,
) -> Result<UploadSummary, StoreError> {
    Ok(UploadSummary {
        id,
        fetch_id,
        series: SeriesId::parse(&series).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        file_name,
        size_bytes,
        checksum,
        uploaded_by,
        uploaded_at,
        created_series: created != 0,
        rows_new: new,
        rows_revised: revised,
        rows_unchanged: unchanged,
    })
}

async fn insert_series(
    conn: &mut sqlx::AnyConnection,
    s: &SeriesMeta,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO series (id, title_nl, title_en, description_nl, description_en, unit, measure, \
         producer, table_id, source_url, licence, licence_url, source, caveat_nl, caveat_en, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
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
    .bind(s.source.as_ref().map(domain::SourceId::as_str))
    .bind(&s.caveat_nl)
    .bind(&s.caveat_en)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
