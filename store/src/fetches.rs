//! Fetch provenance: one row per ingestion run, opened when it starts and closed, together
//! with the data it wrote, in one transaction.

// Dynamic SQL below only splices in the constant column lists of this module.
use crate::leases::SOURCE_LEASE_PREFIX;
use crate::{Store, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;

/// How an ingestion run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FetchOutcome {
    /// Still running (or the process died: see `mark_interrupted_fetches`).
    Running,
    /// New data was read and applied (possibly with zero changes).
    Succeeded,
    /// Upstream reported no change (`Modified` equal to the last good fetch): nothing read.
    Unchanged,
    /// The run failed; stored data were left as they were.
    Failed,
    /// The process stopped during the run; nothing was written.
    Interrupted,
}

impl FetchOutcome {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Unchanged => "unchanged",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }
    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Running,
            Self::Succeeded,
            Self::Unchanged,
            Self::Failed,
            Self::Interrupted,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
    /// Whether the run ended well.
    pub fn is_good(self) -> bool {
        matches!(self, Self::Succeeded | Self::Unchanged)
    }
}

/// What a finished run reports; written when the run closes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FetchRecord {
    /// The main URL fetched (the data set).
    pub url: Option<String>,
    /// Last HTTP status seen.
    pub http_status: Option<u16>,
    /// Upstream change marker (`TableInfos.Modified`).
    pub upstream_modified: Option<String>,
    /// Upstream ETag, when sent.
    pub etag: Option<String>,
    /// SHA-256 of the data pages, hex.
    pub checksum: Option<String>,
    /// Rows read from upstream.
    pub rows_seen: u64,
    /// HTTP attempts made, retries included.
    pub attempts: u32,
    /// Error text of a failed run.
    pub error: Option<String>,
}

/// A stored fetch row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchSummary {
    /// Row id.
    pub id: i64,
    /// Source slug, or `snapshot`.
    pub source: String,
    /// URL fetched.
    pub url: String,
    /// Start, epoch ms.
    pub started_at: i64,
    /// End, epoch ms.
    pub finished_at: Option<i64>,
    /// Last HTTP status.
    pub http_status: Option<i64>,
    /// Upstream `Modified`.
    pub upstream_modified: Option<String>,
    /// Upstream ETag.
    pub etag: Option<String>,
    /// SHA-256 of the data, hex.
    pub checksum: Option<String>,
    /// Rows read.
    pub rows_seen: i64,
    /// Figures new to Koers.
    pub rows_new: i64,
    /// Figures whose value or status changed (old value kept as a vintage).
    pub rows_revised: i64,
    /// Figures read and found equal.
    pub rows_unchanged: i64,
    /// HTTP attempts.
    pub attempts: i64,
    /// How it ended.
    pub outcome: FetchOutcome,
    /// Error text.
    pub error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FetchRow {
    id: i64,
    source: String,
    url: String,
    started_at: i64,
    finished_at: Option<i64>,
    http_status: Option<i64>,
    upstream_modified: Option<String>,
    etag: Option<String>,
    checksum: Option<String>,
    rows_seen: i64,
    rows_new: i64,
    rows_revised: i64,
    rows_unchanged: i64,
    attempts: i64,
    outcome: String,
    error: Option<String>,
}

impl TryFrom<FetchRow> for FetchSummary {
    type Error = StoreError;
    fn try_from(r: FetchRow) -> Result<Self, StoreError> {
        Ok(FetchSummary {
            outcome: FetchOutcome::parse(&r.outcome).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown fetch outcome {:?}", r.outcome))
            })?,
            id: r.id,
            source: r.source,
            url: r.url,
            started_at: r.started_at,
            finished_at: r.finished_at,
            http_status: r.http_status,
            upstream_modified: r.upstream_modified,
            etag: r.etag,
            checksum: r.checksum,
            rows_seen: r.rows_seen,
            rows_new: r.rows_new,
            rows_revised: r.rows_revised,
            rows_unchanged: r.rows_unchanged,
            attempts: r.attempts,
            error: r.error,
        })
    }
}

const FETCH_COLUMNS: &str = "id, source, url, started_at, finished_at, http_status, upstream_modified, \
     etag, checksum, rows_seen, rows_new, rows_revised, rows_unchanged, attempts, outcome, error";

/// The error text of a run marked interrupted because its process stopped.
pub const STOPPED_PROCESS: &str =
    "the process stopped before this run finished (crash, kill or restart); nothing was written";

/// Longest error text kept per fetch.
const MAX_ERROR_LEN: usize = 4_000;

pub(crate) fn clip(text: &str) -> String {
    if text.len() <= MAX_ERROR_LEN {
        return text.to_owned();
    }
    let mut end = MAX_ERROR_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

impl Store {
    /// Opens a fetch row in state `running` and returns its id.
    pub async fn begin_fetch(&self, source: &str, url: &str, now: i64) -> Result<i64, StoreError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO fetches (source, url, started_at, outcome) VALUES ($1, $2, $3, 'running') RETURNING id",
        )
        .bind(source)
        .bind(url)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        self.touched();
        Ok(id)
    }

    /// Closes a fetch row that wrote no data (unchanged or failed).
    pub async fn finish_fetch(
        &self,
        id: i64,
        outcome: FetchOutcome,
        record: &FetchRecord,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let closed = close_fetch(&mut conn, id, outcome, record, [0, 0, 0], now).await;
        self.touched();
        closed
    }

    /// Marks runs left `running` by a process that stopped (crash, kill) as interrupted: every
    /// `running` row except those of a source whose lease (`ingest:<source>`, see
    /// [`Store::claim_lease`]) is live at `now`, because a live lease means a process (this one
    /// or another replica) may be running that source right now. A run whose lease lapsed has
    /// lost it: it cannot close its row any more. Safe at any time: at start-up, and
    /// periodically to sweep up after a replica that died.
    pub async fn mark_interrupted_fetches(&self, now: i64) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE fetches SET outcome = 'interrupted', finished_at = $1, error = $2 \
             WHERE outcome = 'running' AND NOT EXISTS (SELECT 1 FROM job_leases l \
             WHERE l.job = $3 || fetches.source AND l.expires_at > $1)",
        )
        .bind(now)
        .bind(STOPPED_PROCESS)
        .bind(SOURCE_LEASE_PREFIX)
        .execute(&self.pool)
        .await?;
        self.touched();
        Ok(done.rows_affected())
    }

    /// Marks the `running` rows of `source` as interrupted with `error`: what a process does
    /// right after it claimed the source's lease, before it opens its own row. Holding the
    /// lease, it knows that no other process runs the source, so every such row was left by a
    /// process that stopped or lost its lease.
    pub async fn interrupt_fetches_of(
        &self,
        source: &str,
        error: &str,
        now: i64,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE fetches SET outcome = 'interrupted', finished_at = $1, error = $2 \
             WHERE outcome = 'running' AND source = $3",
        )
        .bind(now)
        .bind(clip(error))
        .bind(source)
        .execute(&self.pool)
        .await?;
        self.touched();
        Ok(done.rows_affected())
    }

    /// The most recent fetches, newest first, of one source or of all.
    pub async fn recent_fetches(
        &self,
        source: Option<&str>,
        limit: u32,
    ) -> Result<Vec<FetchSummary>, StoreError> {
        let load = async {
            let sql = format!(
                "SELECT {FETCH_COLUMNS} FROM fetches WHERE ($1 IS NULL OR source = $1) \
                 ORDER BY started_at DESC, id DESC LIMIT $2"
            );
            let rows: Vec<FetchRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(source)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
            rows.into_iter().map(FetchSummary::try_from).collect()
        };
        self.memoized(format!("recent_fetches {source:?} {limit}"), load)
            .await
    }

    /// One fetch by id.
    pub async fn get_fetch(&self, id: i64) -> Result<FetchSummary, StoreError> {
        let sql = format!("SELECT {FETCH_COLUMNS} FROM fetches WHERE id = $1");
        let row: Option<FetchRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.ok_or_else(|| StoreError::NotFound(format!("fetch {id}")))?
            .try_into()
    }

    /// The last run of a source that ended well (succeeded or unchanged).
    pub async fn last_good_fetch(&self, source: &str) -> Result<Option<FetchSummary>, StoreError> {
        let load = async {
            let sql = format!(
                "SELECT {FETCH_COLUMNS} FROM fetches WHERE source = $1 AND outcome IN ('succeeded', 'unchanged') \
                 ORDER BY started_at DESC, id DESC LIMIT 1"
            );
            let row: Option<FetchRow> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(source)
                .fetch_optional(&self.pool)
                .await?;
            row.map(FetchSummary::try_from).transpose()
        };
        self.memoized(format!("last_good_fetch {source}"), load)
            .await
    }
}

pub(crate) async fn close_fetch(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    outcome: FetchOutcome,
    r: &FetchRecord,
    [new, revised, unchanged]: [u64; 3],
    now: i64,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE fetches SET finished_at = $1, url = COALESCE($2, url), http_status = $3, \
         upstream_modified = $4, etag = $5, checksum = $6, rows_seen = $7, rows_new = $8, \
         rows_revised = $9, rows_unchanged = $10, attempts = $11, outcome = $12, error = $13 \
         WHERE id = $14 AND outcome = 'running'",
    )
    .bind(now)
    .bind(r.url.as_deref())
    .bind(r.http_status.map(i64::from))
    .bind(r.upstream_modified.as_deref())
    .bind(r.etag.as_deref())
    .bind(r.checksum.as_deref())
    .bind(r.rows_seen as i64)
    .bind(new as i64)
    .bind(revised as i64)
    .bind(unchanged as i64)
    .bind(i64::from(r.attempts))
    .bind(outcome.as_str())
    .bind(r.error.as_deref().map(clip))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!(
            "fetch {id} is not running (already closed, or marked interrupted)"
        )))
    }
}
