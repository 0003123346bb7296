//! Ingest throughput of the store: `apply_batch` for new figures, for an unchanged re-fetch and
//! for a full revision, on a fresh database from `testkit::TestDb` (a temporary SQLite file, or
//! a new PostgreSQL database when KOERS_TEST_DATABASE_URL is set; the named database is never
//! touched). Prints rows per second; run with
//! `cargo run --release -p tests --example bench_ingest [ROWS]`.
//!
//! On SQLite it then inserts the same new figures with plain rusqlite (one prepared `INSERT`
//! per row, one transaction, the store's own pragmas and schema, so the same indexes and
//! foreign keys) into a second fresh store, and prints Koers's rate for new figures against it.

use domain::{
    CategoryKey, Measure, Observation, ObservationStatus, Period, SeriesId, SeriesMeta, Unit,
};
use std::time::Instant;
use store::{Batch, FetchRecord, NewObservation};

fn batch(rows: usize, bump: f64) -> Batch {
    let series = SeriesId::parse("bench_series").unwrap_or_else(|e| panic!("{e}"));
    let observations = (0..rows)
        .map(|i| {
            let (category, month) = (i / 240, i % 240);
            NewObservation {
                observation: Observation {
                    series: series.clone(),
                    category: CategoryKey::parse(&format!("c{category}"))
                        .unwrap_or_else(|e| panic!("{e}")),
                    period: Period::Month(2000 + (month / 12) as i32, (month % 12 + 1) as u8),
                    value: i as f64 + bump,
                    status: ObservationStatus::Final,
                },
                source_label: "CBS bench".into(),
                source_url: "https://example.org".into(),
                note: None,
                margin: None,
            }
        })
        .collect();
    Batch {
        categories: Vec::new(),
        observations,
        breaks: Vec::new(),
    }
}

fn meta() -> SeriesMeta {
    SeriesMeta {
        id: SeriesId::parse("bench_series").unwrap_or_else(|e| panic!("{e}")),
        title_nl: "bench".into(),
        title_en: "bench".into(),
        description_nl: String::new(),
        description_en: String::new(),
        unit: Unit::Persons,
        measure: Measure::Level,
        producer: "bench".into(),
        table_id: None,
        source_url: String::new(),
        licence: String::new(),
        licence_url: String::new(),
        source: None,
        caveat_nl: String::new(),
        caveat_en: String::new(),
    }
}

/// A fresh store with the bench series, and its label ("sqlite", "postgres").
async fn fresh() -> (testkit::TestDb, String) {
    let db = testkit::TestDb::new().await;
    db.store()
        .upsert_series(&[meta()], 0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let label = format!("{:?}", db.backend()).to_lowercase();
    (db, label)
}

/// Rows per second of Koers's three phases (new, unchanged, revised).
async fn run(rows: usize) -> f64 {
    let (db, label) = fresh().await;
    let store = db.store().clone();
    let mut new_rate = 0.0;
    for (phase, bump) in [
        ("new figures", 0.0),
        ("unchanged re-fetch", 0.0),
        ("every figure revised", 0.5),
    ] {
        let b = batch(rows, bump);
        let fetch = store
            .begin_fetch("bench", "bench", store::now_ms())
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let started = Instant::now();
        let counts = store
            .apply_batch(fetch, &b, &FetchRecord::default(), store::now_ms())
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let secs = started.elapsed().as_secs_f64();
        if bump == 0.0 && counts.new > 0 {
            new_rate = rows as f64 / secs;
        }
        println!(
            "{label:<10} {phase:<22} {rows:>7} rows in {:>7.3} s = {:>9.0} rows/s  (new {}, revised {}, unchanged {})",
            secs,
            rows as f64 / secs,
            counts.new,
            counts.revised,
            counts.unchanged
        );
    }
    new_rate
}

/// The same new figures inserted with plain rusqlite into a fresh store's `observations`.
async fn rusqlite_baseline(rows: usize) -> f64 {
    let (db, _) = fresh().await;
    let fetch = db
        .store()
        .begin_fetch("bench", "bench", store::now_ms())
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let path = store::sqlite_path(db.url()).unwrap_or_else(|| panic!("not SQLite: {}", db.url()));
    let b = batch(rows, 0.0);
    let now = store::now_ms();
    let started = Instant::now();
    let mut conn = rusqlite::Connection::open(path).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .unwrap_or_else(|e| panic!("{e}"));
    let tx = conn.transaction().unwrap_or_else(|e| panic!("{e}"));
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO observations (series_id, category, period, period_start, value, \
                 status, fetch_id, source_label, source_url, note, first_seen_at, lower, upper) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .unwrap_or_else(|e| panic!("{e}"));
        for new in &b.observations {
            let o = &new.observation;
            insert
                .execute(rusqlite::params![
                    o.series.as_str(),
                    o.category.as_str(),
                    o.period.to_string(),
                    o.period.start().to_string(),
                    o.value,
                    o.status.as_str(),
                    fetch,
                    new.source_label,
                    new.source_url,
                    new.note,
                    now,
                    new.margin.map(|m| m.lower),
                    new.margin.map(|m| m.upper),
                ])
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    tx.commit().unwrap_or_else(|e| panic!("{e}"));
    let secs = started.elapsed().as_secs_f64();
    let rate = rows as f64 / secs;
    println!(
        "{:<10} {:<22} {rows:>7} rows in {secs:>7.3} s = {rate:>9.0} rows/s  (plain rusqlite, same schema)",
        "rusqlite", "new figures"
    );
    rate
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let koers = run(rows).await;
    if std::env::var(testkit::TEST_DATABASE_URL_VAR).is_err() {
        let plain = rusqlite_baseline(rows).await;
        println!(
            "sqlite new figures: Koers / plain rusqlite = {:.2}x (goal >= 0.2x)",
            koers / plain
        );
    }
}
