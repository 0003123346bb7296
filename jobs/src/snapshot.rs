//! The first-run snapshot: real published figures and the goals, compiled into the binary and
//! loaded into an empty store so a new user sees real data before any live fetch.

use crate::catalog;
use crate::leases::Leases;
use anyhow::Context;
use domain::{
    CategoryKey, ChangeKind, ChangeNote, Direction, Event, Goal, GoalId, Observation,
    ObservationStatus, Period, SeriesBreak, SeriesId,
};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use store::{Batch, FetchRecord, NewObservation, Store};

/// The published figures (copy of `data/snapshot/published-figures.csv`).
pub const FIGURES_CSV: &str = include_str!("../../data/snapshot/published-figures.csv");
/// The goals (copy of `data/snapshot/targets.csv`).
pub const TARGETS_CSV: &str = include_str!("../../data/snapshot/targets.csv");
/// Series breaks (copy of `data/snapshot/breaks.csv`).
pub const BREAKS_CSV: &str = include_str!("../../data/snapshot/breaks.csv");
/// Policy events (copy of `data/snapshot/events.csv`).
pub const EVENTS_CSV: &str = include_str!("../../data/snapshot/events.csv");
/// Publishers' remarks on changes (copy of `data/snapshot/change-notes.csv`).
pub const CHANGE_NOTES_CSV: &str = include_str!("../../data/snapshot/change-notes.csv");
/// Date of the latest publication in the snapshot: the "as of" of its label.
pub const AS_OF: &str = "2025-12-19";
/// The `source` of the fetch row that records a snapshot load.
pub const SOURCE: &str = "snapshot";
/// The `url` of that fetch row.
pub const URL: &str = "koers:data/snapshot/published-figures.csv";

/// A row of a snapshot file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{file} line {line}: {message}")]
pub struct SnapshotError {
    /// Which file.
    pub file: &'static str,
    /// 1-based line number (the header is line 1).
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

#[derive(serde::Deserialize)]
struct FigureRow {
    series: String,
    period: String,
    value: String,
    unit: String,
    status: String,
    source: String,
    source_url: String,
    note: String,
}

#[derive(serde::Deserialize)]
struct TargetRow {
    goal: String,
    title_nl: String,
    title_en: String,
    series: String,
    baseline_period: String,
    baseline_value: String,
    target_period: String,
    target_value: String,
    direction: String,
    cumulative: String,
    pace_window: String,
    lower_bound_series: String,
    commitment_nl: String,
    commitment_en: String,
    source_url: String,
    note: String,
}

fn rows<T: serde::de::DeserializeOwned>(
    file: &'static str,
    text: &str,
) -> Result<Vec<(u64, T)>, SnapshotError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .deserialize::<T>()
        .enumerate()
        .map(|(i, r)| {
            let line = i as u64 + 2;
            r.map(|row| (line, row)).map_err(|e| SnapshotError {
                file,
                line,
                message: e.to_string(),
            })
        })
        .collect()
}

fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{text:?} is not a number"))
}

/// Reads the published figures, checking every row against the catalogue.
pub fn parse_figures(text: &str) -> Result<Vec<NewObservation>, SnapshotError> {
    const FILE: &str = "published-figures.csv";
    let known = catalog::series();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (line, r) in rows::<FigureRow>(FILE, text)? {
        let fail = |message: String| SnapshotError {
            file: FILE,
            line,
            message,
        };
        let series = SeriesId::parse(r.series.trim()).map_err(|e| fail(e.to_string()))?;
        let meta = known
            .iter()
            .find(|s| s.id == series)
            .ok_or_else(|| fail(format!("series {series} is not in the catalogue")))?;
        if meta.unit.as_str() != r.unit.trim() {
            return Err(fail(format!(
                "unit {:?} does not match the catalogue's {:?}",
                r.unit,
                meta.unit.as_str()
            )));
        }
        let period = Period::parse(&r.period).map_err(|e| fail(e.to_string()))?;
        if !seen.insert((series.clone(), period)) {
            return Err(fail(format!("{series} {period} appears twice")));
        }
        out.push(NewObservation {
            observation: Observation {
                series,
                category: CategoryKey::total(),
                period,
                value: number(&r.value).map_err(fail)?,
                status: ObservationStatus::parse(&r.status).map_err(|e| fail(e.to_string()))?,
            },
            source_label: r.source.trim().to_owned(),
            source_url: r.source_url.trim().to_owned(),
            note: Some(r.note.trim().to_owned()).filter(|n| !n.is_empty()),
            margin: None,
        });
    }
    Ok(out)
}

/// Reads the goals.
pub fn parse_targets(text: &str) -> Result<Vec<Goal>, SnapshotError> {
    const FILE: &str = "targets.csv";
    let known = catalog::series();
    rows::<TargetRow>(FILE, text)?
        .into_iter()
        .map(|(line, r)| {
            let fail = |message: String| SnapshotError {
                file: FILE,
                line,
                message,
            };
            let series_id = |text: &str| {
                let id = SeriesId::parse(text.trim()).map_err(|e| fail(e.to_string()))?;
                if known.iter().any(|s| s.id == id) {
                    Ok(id)
                } else {
                    Err(fail(format!("series {id} is not in the catalogue")))
                }
            };
            let flag = |text: &str| match text.trim() {
                "true" => Ok(true),
                "false" | "" => Ok(false),
                other => Err(fail(format!("{other:?} is not true or false"))),
            };
            Ok(Goal {
                id: GoalId::parse(r.goal.trim()).map_err(|e| fail(e.to_string()))?,
                series: series_id(&r.series)?,
                baseline_period: Period::parse(&r.baseline_period)
                    .map_err(|e| fail(e.to_string()))?,
                baseline_value: number(&r.baseline_value).map_err(fail)?,
                target_period: Period::parse(&r.target_period).map_err(|e| fail(e.to_string()))?,
                target_value: number(&r.target_value).map_err(fail)?,
                direction: Direction::parse(&r.direction).ok_or_else(|| {
                    fail(format!("direction {:?} is not up or down", r.direction))
                })?,
                cumulative: flag(&r.cumulative)?,
                pace_window: r
                    .pace_window
                    .trim()
                    .parse()
                    .ok()
                    .filter(|w| *w >= 2)
                    .ok_or_else(|| {
                        fail(format!(
                            "pace_window {:?} is not a whole number >= 2",
                            r.pace_window
                        ))
                    })?,
                lower_bound_series: match r.lower_bound_series.trim() {
                    "" => None,
                    id => Some(series_id(id)?),
                },
                title_nl: r.title_nl.trim().to_owned(),
                title_en: r.title_en.trim().to_owned(),
                commitment_nl: r.commitment_nl.trim().to_owned(),
                commitment_en: r.commitment_en.trim().to_owned(),
                source_url: r.source_url.trim().to_owned(),
                note: r.note.trim().to_owned(),
            })
        })
        .collect()
}

#[derive(serde::Deserialize)]
struct BreakRow {
    series: String,
    before: String,
    after: String,
    reason_nl: String,
    reason_en: String,
    source_url: String,
}

#[derive(serde::Deserialize)]
struct EventRow {
    id: String,
    date: String,
    title_nl: String,
    title_en: String,
    url: String,
    series: String,
}

#[derive(serde::Deserialize)]
struct ChangeNoteRow {
    series: String,
    period: String,
    kind: String,
    text_nl: String,
    text_en: String,
    source_url: String,
}

fn catalogue_series(text: &str) -> Result<SeriesId, String> {
    let id = SeriesId::parse(text.trim()).map_err(|e| e.to_string())?;
    if catalog::find(&id).is_some() {
        Ok(id)
    } else {
        Err(format!("series {id} is not in the catalogue"))
    }
}

/// Reads the series breaks.
pub fn parse_breaks(text: &str) -> Result<Vec<SeriesBreak>, SnapshotError> {
    const FILE: &str = "breaks.csv";
    rows::<BreakRow>(FILE, text)?
        .into_iter()
        .map(|(line, r)| {
            let fail = |message: String| SnapshotError {
                file: FILE,
                line,
                message,
            };
            let before = Period::parse(&r.before).map_err(|e| fail(e.to_string()))?;
            let after = Period::parse(&r.after).map_err(|e| fail(e.to_string()))?;
            if after <= before {
                return Err(fail(format!("{after} is not after {before}")));
            }
            Ok(SeriesBreak {
                series: catalogue_series(&r.series).map_err(fail)?,
                before,
                after,
                reason_nl: r.reason_nl.trim().to_owned(),
                reason_en: r.reason_en.trim().to_owned(),
                source_url: r.source_url.trim().to_owned(),
            })
        })
        .collect()
}

/// Reads the policy events.
pub fn parse_events(text: &str) -> Result<Vec<Event>, SnapshotError> {
    const FILE: &str = "events.csv";
    let format = time::macros::format_description!("[year]-[month]-[day]");
    rows::<EventRow>(FILE, text)?
        .into_iter()
        .map(|(line, r)| {
            let fail = |message: String| SnapshotError {
                file: FILE,
                line,
                message,
            };
            Ok(Event {
                id: GoalId::parse(r.id.trim())
                    .map_err(|e| fail(e.to_string()))?
                    .to_string(),
                date: time::Date::parse(r.date.trim(), &format)
                    .map_err(|e| fail(format!("date {:?}: {e}", r.date)))?,
                title_nl: r.title_nl.trim().to_owned(),
                title_en: r.title_en.trim().to_owned(),
                url: r.url.trim().to_owned(),
                series: match r.series.trim() {
                    "" => None,
                    id => Some(catalogue_series(id).map_err(fail)?),
                },
            })
        })
        .collect()
}

/// Reads the publishers' remarks on changes.
pub fn parse_change_notes(text: &str) -> Result<Vec<ChangeNote>, SnapshotError> {
    const FILE: &str = "change-notes.csv";
    rows::<ChangeNoteRow>(FILE, text)?
        .into_iter()
        .map(|(line, r)| {
            let fail = |message: String| SnapshotError {
                file: FILE,
                line,
                message,
            };
            Ok(ChangeNote {
                series: catalogue_series(&r.series).map_err(fail)?,
                period: Period::parse(&r.period).map_err(|e| fail(e.to_string()))?,
                kind: ChangeKind::parse(&r.kind)
                    .ok_or_else(|| fail(format!("unknown kind {:?}", r.kind)))?,
                text_nl: r.text_nl.trim().to_owned(),
                text_en: r.text_en.trim().to_owned(),
                source_url: r.source_url.trim().to_owned(),
            })
        })
        .collect()
}

/// What start-up preparation did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BootstrapReport {
    /// Goals inserted because they were missing.
    pub goals_inserted: u64,
    /// Runs found `running` from a stopped process (their source's lease had lapsed), now
    /// marked interrupted.
    pub interrupted_fetches: u64,
    /// Figures loaded from the snapshot (0 when the store already had data).
    pub snapshot_figures: u64,
}

/// How long a starting server waits for another one to finish preparing the database.
const BOOTSTRAP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(300);

/// Prepares a migrated store: mirrors the catalogue, adds missing goals, closes runs left by a
/// stopped process, and loads the snapshot when the store holds no figures yet.
///
/// Replicas starting together over one database prepare it one at a time: each holds the
/// snapshot's lease (`ingest:snapshot`, see [`crate::leases`]) while it prepares, so the
/// snapshot is loaded once and no replica takes another's snapshot load for an interrupted run.
pub async fn bootstrap(store: &Store, now: i64) -> anyhow::Result<BootstrapReport> {
    let leases = Leases::new(store.clone(), crate::config::DEFAULT_LEASE_TTL);
    let mut lease = leases
        .claim_waiting(&store::source_lease(SOURCE), BOOTSTRAP_PATIENCE)
        .await
        .context("claiming the database's preparation")?
        .with_context(|| {
            format!(
                "another server has been preparing the database for over {} s",
                BOOTSTRAP_PATIENCE.as_secs()
            )
        })?;
    let prepared = lease.hold(prepare(store, now)).await;
    lease.release().await;
    prepared.context("preparing the database stopped: its lease could not be kept")?
}

async fn prepare(store: &Store, now: i64) -> anyhow::Result<BootstrapReport> {
    store
        .upsert_series(&catalog::series(), now)
        .await
        .context("writing the series catalogue")?;
    let goals = parse_targets(TARGETS_CSV).context("reading the built-in targets")?;
    let goals_inserted = store
        .insert_missing_goals(&goals, now)
        .await
        .context("storing the goals")?;
    let breaks = parse_breaks(BREAKS_CSV).context("reading the built-in series breaks")?;
    store
        .insert_missing_breaks(&breaks)
        .await
        .context("storing the series breaks")?;
    let events = parse_events(EVENTS_CSV).context("reading the built-in policy events")?;
    store
        .insert_missing_events(&events)
        .await
        .context("storing the policy events")?;
    let notes =
        parse_change_notes(CHANGE_NOTES_CSV).context("reading the built-in change notes")?;
    store
        .insert_missing_change_notes(&notes)
        .await
        .context("storing the change notes")?;
    // Only runs whose source's lease lapsed: a replica that is up may be running the others.
    // A snapshot load left running is closed too: this process holds the snapshot's lease.
    let interrupted_fetches = store
        .mark_interrupted_fetches(now)
        .await
        .context("closing interrupted runs")?
        + store
            .interrupt_fetches_of(SOURCE, store::STOPPED_PROCESS, now)
            .await
            .context("closing an interrupted snapshot load")?;
    let mut report = BootstrapReport {
        goals_inserted,
        interrupted_fetches,
        snapshot_figures: 0,
    };
    if store
        .has_no_observations()
        .await
        .context("checking for data")?
    {
        report.snapshot_figures = load_snapshot(store, now).await?;
    }
    Ok(report)
}

/// Loads the snapshot figures as one recorded run (source `snapshot`); returns the count.
pub async fn load_snapshot(store: &Store, now: i64) -> anyhow::Result<u64> {
    let figures = parse_figures(FIGURES_CSV).context("reading the built-in published figures")?;
    let fetch_id = store
        .begin_fetch(SOURCE, URL, now)
        .await
        .context("recording the snapshot load")?;
    let record = FetchRecord {
        url: Some(URL.to_owned()),
        upstream_modified: Some(AS_OF.to_owned()),
        checksum: Some(hex::encode(Sha256::digest(FIGURES_CSV.as_bytes()))),
        rows_seen: figures.len() as u64,
        ..FetchRecord::default()
    };
    let batch = Batch {
        categories: Vec::new(),
        observations: figures,
        breaks: Vec::new(),
    };
    let counts = store
        .apply_batch(fetch_id, &batch, &record, now)
        .await
        .context("writing the snapshot figures")?;
    tracing::info!(
        figures = counts.new,
        as_of = AS_OF,
        "loaded the published-figures snapshot"
    );
    Ok(counts.new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_figures_parse() {
        // Act
        let figures = parse_figures(FIGURES_CSV).unwrap();
        // Assert: the 2024 homelessness count is the real CBS figure.
        let h2024 = figures
            .iter()
            .find(|f| {
                f.observation.series.as_str() == "homeless_people_18_65"
                    && f.observation.period == Period::Year(2024)
            })
            .unwrap();
        assert_eq!(h2024.observation.value, 33_000.0);
        assert_eq!(h2024.source_label, "CBS (press 2025-01)");
        assert!(figures.len() > 40);
    }

    #[test]
    fn the_built_in_targets_parse() {
        let goals = parse_targets(TARGETS_CSV).unwrap();
        let ids: Vec<_> = goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["zero-homelessness-2030", "homes-900k-2030"]);
        assert!(goals[1].cumulative);
        assert_eq!(goals[0].target_value, 0.0);
    }

    #[test]
    fn the_built_in_breaks_events_and_notes_parse() {
        let breaks = parse_breaks(BREAKS_CSV).unwrap();
        assert!(
            breaks
                .iter()
                .any(|b| b.series.as_str() == "homeless_people_18_65"
                    && b.before == Period::Year(2018)
                    && b.after == Period::Year(2020))
        );
        let events = parse_events(EVENTS_CSV).unwrap();
        assert_eq!(events.len(), 4);
        assert_eq!(events[2].date.to_string(), "2022-12-05");
        let notes = parse_change_notes(CHANGE_NOTES_CSV).unwrap();
        assert_eq!(notes[0].period, Period::Year(2023));
    }

    #[test]
    fn a_break_must_go_forward_in_time() {
        let text =
            "series,before,after,reason_nl,reason_en,source_url\nnew_build_homes,2020,2019,a,b,u\n";
        assert!(
            parse_breaks(text)
                .unwrap_err()
                .message
                .contains("is not after")
        );
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let text = "series,period,value,unit,status,source,source_url,note\n\
                    homeless_people_18_65,2024,33000,persons,final,CBS,https://cbs.nl,\n\
                    homeless_people_18_65,2023,lots,persons,final,CBS,https://cbs.nl,\n";
        let err = parse_figures(text).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.to_string().contains("\"lots\" is not a number"),
            "{err}"
        );
    }

    #[test]
    fn duplicates_and_unknown_series_are_refused() {
        let dup = "series,period,value,unit,status,source,source_url,note\n\
                   new_build_homes,2024,1,dwellings,final,CBS,u,\nnew_build_homes,2024,2,dwellings,final,CBS,u,\n";
        assert!(parse_figures(dup).unwrap_err().message.contains("twice"));
        let unknown = "series,period,value,unit,status,source,source_url,note\nmystery,2024,1,dwellings,final,CBS,u,\n";
        assert!(
            parse_figures(unknown)
                .unwrap_err()
                .message
                .contains("not in the catalogue")
        );
    }
}
