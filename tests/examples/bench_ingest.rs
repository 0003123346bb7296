//! Ingest throughput of the store: `apply_batch` for new figures, for an unchanged re-fetch and
//! for a full revision, on a fresh database from `testkit::TestDb` (a temporary SQLite file, or
//! a new PostgreSQL database when KOERS_TEST_DATABASE_URL is set; the named database is never
//! touched). Prints rows per second; run with
//! `cargo run --release -p tests --example bench_ingest [ROWS]`.

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

async fn run(rows: usize) {
    let db = testkit::TestDb::new().await;
    let store = db.store().clone();
    let label = format!("{:?}", db.backend()).to_lowercase();
    let meta = SeriesMeta {
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
    };
    store
        .upsert_series(&[meta], 0)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
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
        println!(
            "{label:<10} {phase:<22} {rows:>7} rows in {:>7.3} s = {:>9.0} rows/s  (new {}, revised {}, unchanged {})",
            secs,
            rows as f64 / secs,
            counts.new,
            counts.revised,
            counts.unchanged
        );
    }
}

#[tokio::main]
async fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    run(rows).await;
}
