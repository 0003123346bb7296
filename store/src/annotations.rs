//! Series breaks, policy events and change notes: inserted from the built-in data when missing,
//! read per series. Editors add, change and remove events in the console.

use crate::{Store, StoreError};
use domain::{ChangeKind, ChangeNote, Event, Period, SeriesBreak, SeriesId};
use sqlx::AnyConnection;

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// ISO date format of the `events.date` column.
const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// id, date, title_nl, title_en, url, series_id of an `events` row.
type EventRow = (String, String, String, String, String, Option<String>);

fn event_from_row(
    (id, date, title_nl, title_en, url, series_id): EventRow,
) -> Result<Event, StoreError> {
    Ok(Event {
        id,
        date: time::Date::parse(&date, DATE).map_err(corrupt)?,
        title_nl,
        title_en,
        url,
        series: series_id
            .as_deref()
            .map(SeriesId::parse)
            .transpose()
            .map_err(corrupt)?,
    })
}

pub(crate) async fn insert_break(
    conn: &mut AnyConnection,
    b: &SeriesBreak,
) -> Result<u64, StoreError> {
    let done = sqlx::query(
        "INSERT INTO series_breaks (series_id, before_period, after_period, reason_nl, reason_en, source_url) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (series_id, after_period) DO NOTHING",
    )
    .bind(b.series.as_str())
    .bind(b.before.to_string())
    .bind(b.after.to_string())
    .bind(&b.reason_nl)
    .bind(&b.reason_en)
    .bind(&b.source_url)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

impl Store {
    /// Inserts breaks that are not stored yet (keyed by series and first period after).
    pub async fn insert_missing_breaks(&self, breaks: &[SeriesBreak]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for b in breaks {
            n += insert_break(&mut tx, b).await?;
        }
        tx.commit().await?;
        self.touched();
        Ok(n)
    }

    /// The breaks of a series, oldest first.
    pub async fn list_breaks(&self, series: &SeriesId) -> Result<Vec<SeriesBreak>, StoreError> {
        let load = async {
            let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
                "SELECT before_period, after_period, reason_nl, reason_en, source_url FROM series_breaks \
                 WHERE series_id = $1",
            )
            .bind(series.as_str())
            .fetch_all(&self.pool)
            .await?;
            let mut out = rows
                .into_iter()
                .map(|(before, after, reason_nl, reason_en, source_url)| {
                    Ok(SeriesBreak {
                        series: series.clone(),
                        before: Period::parse(&before).map_err(corrupt)?,
                        after: Period::parse(&after).map_err(corrupt)?,
                        reason_nl,
                        reason_en,
                        source_url,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            out.sort_by_key(|b| b.after);
            Ok(out)
        };
        self.memoized(format!("list_breaks {series}"), load).await
    }

    /// Inserts events that are not stored yet (keyed by id).
    pub async fn insert_missing_events(&self, events: &[Event]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for e in events {
            let date = e.date.format(DATE).map_err(corrupt)?;
            let done = sqlx::query(
                "INSERT INTO events (id, date, title_nl, title_en, url, series_id) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(&e.id)
            .bind(date)
            .bind(&e.title_nl)
            .bind(&e.title_en)
            .bind(&e.url)
            .bind(e.series.as_ref().map(SeriesId::as_str))
            .execute(&mut *tx)
            .await?;
            n += done.rows_affected();
        }
        tx.commit().await?;
        self.touched();
        Ok(n)
    }

    /// Events of a series and those concerning every series, by date.
    pub async fn list_events(&self, series: &SeriesId) -> Result<Vec<Event>, StoreError> {
        let load = async {
            let rows: Vec<EventRow> = sqlx::query_as(
                "SELECT id, date, title_nl, title_en, url, series_id FROM events \
                 WHERE series_id IS NULL OR series_id = $1 ORDER BY date, id",
            )
            .bind(series.as_str())
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(event_from_row).collect()
        };
        self.memoized(format!("list_events {series}"), load).await
    }

    /// Every event, newest first (the console's list).
    pub async fn list_all_events(&self) -> Result<Vec<Event>, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, date, title_nl, title_en, url, series_id FROM events ORDER BY date DESC, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(event_from_row).collect()
    }

    /// One event, or `NotFound`.
    pub async fn get_event(&self, id: &str) -> Result<Event, StoreError> {
        let row: Option<EventRow> = sqlx::query_as(
            "SELECT id, date, title_nl, title_en, url, series_id FROM events WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        event_from_row(row.ok_or_else(|| StoreError::NotFound(format!("event {id}")))?)
    }

    /// Adds an event an editor wrote; `Conflict` when its id is taken.
    pub async fn insert_event(&self, e: &Event, now: i64) -> Result<(), StoreError> {
        let date = e.date.format(DATE).map_err(corrupt)?;
        let done = sqlx::query(
            "INSERT INTO events (id, date, title_nl, title_en, url, series_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&e.id)
        .bind(date)
        .bind(&e.title_nl)
        .bind(&e.title_en)
        .bind(&e.url)
        .bind(e.series.as_ref().map(SeriesId::as_str))
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.touched();
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!(
                "event {} exists already",
                e.id
            )))
        }
    }

    /// Replaces an event's date, titles, URL and series; returns it as it was before.
    pub async fn update_event(&self, e: &Event, now: i64) -> Result<Event, StoreError> {
        let date = e.date.format(DATE).map_err(corrupt)?;
        let mut tx = self.pool.begin().await?;
        let before: Option<EventRow> = sqlx::query_as(
            "SELECT id, date, title_nl, title_en, url, series_id FROM events WHERE id = $1",
        )
        .bind(&e.id)
        .fetch_optional(&mut *tx)
        .await?;
        let before =
            event_from_row(before.ok_or_else(|| StoreError::NotFound(format!("event {}", e.id)))?)?;
        sqlx::query(
            "UPDATE events SET date = $1, title_nl = $2, title_en = $3, url = $4, series_id = $5, \
             updated_at = $6 WHERE id = $7",
        )
        .bind(date)
        .bind(&e.title_nl)
        .bind(&e.title_en)
        .bind(&e.url)
        .bind(e.series.as_ref().map(SeriesId::as_str))
        .bind(now)
        .bind(&e.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.touched();
        Ok(before)
    }

    /// Removes an event; returns it as it was.
    pub async fn delete_event(&self, id: &str) -> Result<Event, StoreError> {
        let mut tx = self.pool.begin().await?;
        let before: Option<EventRow> = sqlx::query_as(
            "SELECT id, date, title_nl, title_en, url, series_id FROM events WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let before =
            event_from_row(before.ok_or_else(|| StoreError::NotFound(format!("event {id}")))?)?;
        sqlx::query("DELETE FROM events WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.touched();
        Ok(before)
    }

    /// Inserts change notes that are not stored yet.
    pub async fn insert_missing_change_notes(
        &self,
        notes: &[ChangeNote],
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut n = 0;
        for c in notes {
            let done = sqlx::query(
                "INSERT INTO change_notes (series_id, period, kind, text_nl, text_en, source_url) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (series_id, period, kind) DO NOTHING",
            )
            .bind(c.series.as_str())
            .bind(c.period.to_string())
            .bind(c.kind.as_str())
            .bind(&c.text_nl)
            .bind(&c.text_en)
            .bind(&c.source_url)
            .execute(&mut *tx)
            .await?;
            n += done.rows_affected();
        }
        tx.commit().await?;
        self.touched();
        Ok(n)
    }

    /// The change notes of a series.
    pub async fn list_change_notes(
        &self,
        series: &SeriesId,
    ) -> Result<Vec<ChangeNote>, StoreError> {
        let load = async {
            let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
                "SELECT period, kind, text_nl, text_en, source_url FROM change_notes WHERE series_id = $1 ORDER BY period",
            )
            .bind(series.as_str())
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map(|(period, kind, text_nl, text_en, source_url)| {
                    Ok(ChangeNote {
                        series: series.clone(),
                        period: Period::parse(&period).map_err(corrupt)?,
                        kind: ChangeKind::parse(&kind)
                            .ok_or_else(|| corrupt(format!("unknown change kind {kind:?}")))?,
                        text_nl,
                        text_en,
                        source_url,
                    })
                })
                .collect()
        };
        self.memoized(format!("list_change_notes {series}"), load)
            .await
    }
}
