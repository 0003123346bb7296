//! Ingestion health: every source with its freshness, next scheduled run and latest fetches;
//! one source's fetch history; and the page that follows a run started from the console.

use super::{CsrfField, tr, tr_args, when};
use domain::Locale;
use domain::freshness::{Freshness, FreshnessState};
use leptos::prelude::*;
use time::OffsetDateTime;

/// When a source runs next on the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextRun {
    /// Scheduled fetching is off on this server.
    Off,
    /// The scheduler does not know.
    Unknown,
    /// At this moment (epoch ms).
    At(i64),
}

/// One fetch row.
#[derive(Debug, Clone)]
pub struct FetchView {
    /// Start (epoch ms).
    pub started_ms: i64,
    /// Duration in ms, when finished.
    pub duration_ms: Option<i64>,
    /// `running`, `succeeded`, `unchanged`, `failed` or `interrupted`.
    pub outcome: String,
    /// Rows read from upstream.
    pub rows_seen: i64,
    /// Figures new to Koers.
    pub rows_new: i64,
    /// Figures revised.
    pub rows_revised: i64,
    /// Error text.
    pub error: Option<String>,
}

/// A source with everything the health pages show of it.
#[derive(Debug, Clone)]
pub struct SourceHealth {
    /// Slug.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Upstream table or datasets.
    pub upstream: String,
    /// Cron expression (UTC).
    pub schedule: String,
    /// Next scheduled run.
    pub next_run: NextRun,
    /// The release rhythm in one line.
    pub rhythm: String,
    /// Freshness now.
    pub freshness: Freshness,
    /// Latest fetches, newest first.
    pub fetches: Vec<FetchView>,
    /// The run started from the console that is still going, if any.
    pub running_run: Option<String>,
    /// Whether a run is going now (from anywhere).
    pub running: bool,
}

/// A run started from the console, as its page shows it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// Source slug.
    pub source: String,
    /// Source name.
    pub source_name: String,
    /// Who started it.
    pub started_by: String,
    /// Start (epoch ms).
    pub started_ms: i64,
    /// Progress lines with their time (epoch ms), oldest first, already in words.
    pub events: Vec<(i64, String)>,
    /// Rows read so far.
    pub rows: u64,
    /// The end, when it has ended.
    pub finished: Option<RunEnd>,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub enum RunEnd {
    /// The run ran (its fetch may still have failed).
    Report {
        /// End (epoch ms).
        finished_ms: i64,
        /// `succeeded`, `unchanged` or `failed`.
        outcome: String,
        /// Duration in ms.
        duration_ms: i64,
        /// Rows read.
        rows_seen: u64,
        /// New figures.
        new: u64,
        /// Revised figures.
        revised: u64,
        /// Unchanged figures.
        unchanged: u64,
        /// Error text of a failed fetch.
        error: Option<String>,
    },
    /// The run could not start or stopped abnormally.
    NotRun(String),
}

/// The state of a source in words, with the class of its badge.
fn state_badge(locale: Locale, state: FreshnessState) -> impl IntoView + use<> {
    let state = state.as_str();
    let class = match state {
        "fresh" => "state state-ok",
        "due" => "state state-warn",
        "late" | "failing" => "state state-bad",
        _ => "state state-none",
    };
    view! { <span class=class>{tr(locale, &format!("health-state-{state}"))}</span> }
}

fn date(locale: Locale, ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| i18n::format_date(locale, t.date()))
        .unwrap_or_else(|_| "–".to_owned())
}

/// Why the source is in its state, in plain language.
pub fn reason(locale: Locale, f: &Freshness) -> String {
    let expectation = match (&f.next_period, f.due_from_ms, f.expected_by_ms) {
        (Some(period), Some(due), Some(by)) => {
            let args = [
                ("period", period.clone()),
                ("due", date(locale, due)),
                ("by", date(locale, by)),
                ("days", f.late_by_days.unwrap_or(0).to_string()),
            ];
            let key = match (f.state.as_str(), f.late_by_days) {
                ("late", _) | (_, Some(_)) => "health-reason-late",
                ("due", _) => "health-reason-due",
                _ => "health-reason-expected",
            };
            tr_args(locale, key, &args)
        }
        _ => tr(locale, "health-reason-no-figure"),
    };
    match f.state.as_str() {
        "failing" => {
            let error = f.last_error.clone().unwrap_or_default();
            let failing = tr_args(locale, "health-reason-failing", &[("error", error)]);
            format!(
                "{}. {expectation}",
                failing.trim_end().trim_end_matches('.')
            )
        }
        "never" => format!("{} {expectation}", tr(locale, "health-reason-never")),
        _ => expectation,
    }
}

fn outcome(locale: Locale, outcome: &str) -> String {
    tr(locale, &format!("health-outcome-{outcome}"))
}

fn seconds(locale: Locale, ms: i64) -> String {
    i18n::format_number(locale, ms as f64 / 1000.0, 1)
}

/// The time of day of a progress event (UTC), to the second.
fn clock(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second()))
        .unwrap_or_default()
}

/// A table of fetches.
#[component]
fn FetchTable(locale: Locale, name: String, fetches: Vec<FetchView>) -> impl IntoView {
    if fetches.is_empty() {
        return view! { <p>{tr(locale, "health-no-fetches")}</p> }.into_any();
    }
    let rows = fetches
        .into_iter()
        .map(|f| {
            let class = match f.outcome.as_str() {
                "failed" | "interrupted" => "state state-bad",
                "running" => "state state-warn",
                _ => "state state-ok",
            };
            view! {
                <tr>
                    <td>{when(locale, f.started_ms)}</td>
                    <td><span class=class>{outcome(locale, &f.outcome)}</span></td>
                    <td class="num">{f.duration_ms.map(|d| format!("{} s", seconds(locale, d)))}</td>
                    <td class="num">{f.rows_seen}</td>
                    <td class="num">{f.rows_new}</td>
                    <td class="num">{f.rows_revised}</td>
                    <td class="fetch-error">{f.error}</td>
                </tr>
            }
        })
        .collect_view();
    let caption = tr_args(locale, "health-fetches-caption", &[("name", name)]);
    let label = caption.clone();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label=label>
            <table class="fetches">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(locale, "health-col-started")}</th>
                        <th scope="col">{tr(locale, "health-col-outcome")}</th>
                        <th scope="col">{tr(locale, "health-col-duration")}</th>
                        <th scope="col">{tr(locale, "health-col-rows-seen")}</th>
                        <th scope="col">{tr(locale, "health-col-rows-new")}</th>
                        <th scope="col">{tr(locale, "health-col-rows-revised")}</th>
                        <th scope="col">{tr(locale, "health-col-error")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The facts of one source and, for admins, its "run now" button.
#[component]
fn SourceFacts(locale: Locale, source: SourceHealth, csrf: Option<String>) -> impl IntoView {
    let next = match source.next_run {
        NextRun::Off => tr(locale, "health-next-run-off"),
        NextRun::Unknown => tr(locale, "health-next-run-unknown"),
        NextRun::At(ms) => when(locale, ms),
    };
    let f = &source.freshness;
    let why = reason(locale, f);
    let newest = f
        .newest_period
        .clone()
        .unwrap_or_else(|| tr(locale, "health-none"));
    let last_success = f
        .last_success_ms
        .map_or_else(|| tr(locale, "health-never"), |ms| when(locale, ms));
    let watch = source.running_run.map(|run| {
        view! { <a href=format!("/console/runs/{run}")>{tr(locale, "health-watch-run")}</a> }
    });
    let action = format!("/console/sources/{}/run", source.id);
    let run_now = match (source.running, csrf) {
        (true, _) => {
            Some(view! { <p>{tr(locale, "health-running-now")} " " {watch}</p> }.into_any())
        }
        (false, Some(csrf)) => Some(
            view! {
                <form method="post" action=action class="inline-form">
                    <CsrfField token=csrf />
                    <button type="submit">{tr(locale, "health-run-now")}</button>
                </form>
            }
            .into_any(),
        ),
        (false, None) => None,
    };
    view! {
        <p class="health-state">{state_badge(locale, f.state)} " " {why}</p>
        <dl class="health-facts">
            <dt>{tr(locale, "health-upstream")}</dt>
            <dd><code>{source.upstream}</code></dd>
            <dt>{tr(locale, "health-newest-period")}</dt>
            <dd>{newest}</dd>
            <dt>{tr(locale, "health-last-success")}</dt>
            <dd>{last_success}</dd>
            <dt>{tr(locale, "health-rhythm")}</dt>
            <dd>{source.rhythm}</dd>
            <dt>{tr(locale, "health-schedule")}</dt>
            <dd><code>{source.schedule}</code></dd>
            <dt>{tr(locale, "health-next-run")}</dt>
            <dd>{next}</dd>
        </dl>
        {run_now}
    }
}

/// `/console`: every source. `csrf` is given to admins only (it shows the run buttons).
#[component]
pub fn HealthPage(
    locale: Locale,
    sources: Vec<SourceHealth>,
    scheduler_on: bool,
    csrf: Option<String>,
) -> impl IntoView {
    let off = (!scheduler_on).then(
        || view! { <p class="health-note" role="status">{tr(locale, "health-scheduler-off")}</p> },
    );
    let sections = sources
        .into_iter()
        .map(|s| {
            let heading = format!("source-{}", s.id);
            let labelled_by = heading.clone();
            let href = format!("/console/sources/{}", s.id);
            let details_href = href.clone();
            let details = tr_args(locale, "health-details", &[("name", s.name.clone())]);
            let (id, state) = (s.id.clone(), s.freshness.state.as_str());
            let (name, title, fetches) = (s.name.clone(), s.name.clone(), s.fetches.clone());
            let csrf = csrf.clone();
            view! {
                <section class="health-source" aria-labelledby=labelled_by data-source=id data-state=state>
                    <h2 id=heading><a href=href>{title}</a></h2>
                    <SourceFacts locale source=s csrf />
                    <FetchTable locale name fetches />
                    <p><a href=details_href>{details}</a></p>
                </section>
            }
        })
        .collect_view();
    view! {
        <p>{tr(locale, "health-intro")}</p>
        {off}
        {sections}
    }
}

/// `/console/sources/{id}`: one source with its last fetches and the runs started here.
#[component]
pub fn SourcePage(
    locale: Locale,
    source: SourceHealth,
    runs: Vec<(String, i64, String)>,
    csrf: Option<String>,
) -> impl IntoView {
    let (name, fetches) = (source.name.clone(), source.fetches.clone());
    let runs = (!runs.is_empty()).then(|| {
        let items = runs
            .into_iter()
            .map(|(id, at, by)| {
                view! { <li><a href=format!("/console/runs/{id}")>{when(locale, at)}</a> " (" {by} ")"</li> }
            })
            .collect_view();
        view! {
            <h2>{tr(locale, "health-recent-runs")}</h2>
            <ul>{items}</ul>
        }
    });
    view! {
        <SourceFacts locale source csrf />
        <FetchTable locale name fetches />
        {runs}
    }
}

/// `/console/runs/{id}`: a run's progress, then its outcome.
#[component]
pub fn RunPage(locale: Locale, run: RunView) -> impl IntoView {
    let started = tr_args(
        locale,
        "health-run-started-by",
        &[
            ("user", run.started_by),
            ("at", when(locale, run.started_ms)),
        ],
    );
    let status = match run.finished {
        None => view! {
            <p class="flash flash-ok" role="status">{tr(locale, "health-run-in-progress")}</p>
            <p>{tr_args(locale, "health-run-rows", &[("rows", run.rows.to_string())])}</p>
        }
        .into_any(),
        Some(RunEnd::Report {
            finished_ms,
            outcome: end,
            duration_ms,
            rows_seen,
            new,
            revised,
            unchanged,
            error,
        }) => {
            let class = if end == "failed" {
                "flash flash-error"
            } else {
                "flash flash-ok"
            };
            let finished = tr_args(
                locale,
                "health-run-finished",
                &[
                    ("at", when(locale, finished_ms)),
                    ("seconds", seconds(locale, duration_ms)),
                    ("outcome", outcome(locale, &end)),
                ],
            );
            let counts = tr_args(
                locale,
                "health-run-counts",
                &[
                    ("seen", rows_seen.to_string()),
                    ("new", new.to_string()),
                    ("revised", revised.to_string()),
                    ("unchanged", unchanged.to_string()),
                ],
            );
            let error = error.map(|e| {
                view! { <p class="fetch-error">{tr_args(locale, "health-run-error", &[("error", e)])}</p> }
            });
            view! {
                <p class=class role="status" data-outcome=end.clone()>{finished}</p>
                <p>{counts}</p>
                {error}
            }
            .into_any()
        }
        Some(RunEnd::NotRun(e)) => view! {
            <p class="flash flash-error" role="alert" data-outcome="not-run">
                {tr_args(locale, "health-run-could-not-run", &[("error", e)])}
            </p>
        }
        .into_any(),
    };
    let events = run
        .events
        .into_iter()
        .map(|(at, text)| view! { <li><span class="when">{clock(at)}</span> " " {text}</li> })
        .collect_view();
    let back = tr_args(locale, "health-run-back", &[("name", run.source_name)]);
    view! {
        <p>{started}</p>
        {status}
        <h2>{tr(locale, "health-run-progress")}</h2>
        <ol class="run-events">{events}</ol>
        <p><a href=format!("/console/sources/{}", run.source)>{back}</a></p>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(text: &str) -> BTreeSet<&str> {
        text.lines()
            .filter(|l| !l.starts_with(['#', ' ']) && l.contains(" ="))
            .filter_map(|l| l.split(" =").next())
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_health_texts() {
        let nl = keys(include_str!("../../../i18n/locales/nl/console-health.ftl"));
        let en = keys(include_str!("../../../i18n/locales/en/console-health.ftl"));
        assert!(nl.len() > 40);
        assert_eq!(nl, en);
    }

    #[test]
    fn a_late_source_says_by_when_and_how_late() {
        // Arrange: expected by 28 September 2026, 57 days late.
        let f = Freshness {
            state: FreshnessState::Late,
            next_period: Some("2025".into()),
            due_from_ms: Some(1_775_001_600_000),
            expected_by_ms: Some(1_790_553_600_000),
            late_by_days: Some(57),
            ..Freshness::default()
        };

        // Act / Assert
        assert_eq!(
            reason(Locale::En, &f),
            "Next figure (2025) expected by 28 September 2026; 57 days late."
        );
        assert_eq!(
            reason(Locale::Nl, &f),
            "Volgend cijfer (2025) verwacht vóór 28 september 2026; 57 dagen te laat."
        );
    }

    #[test]
    fn a_failing_source_leads_with_its_error() {
        let f = Freshness {
            state: FreshnessState::Failing,
            last_error: Some("HTTP 500".into()),
            ..Freshness::default()
        };
        assert_eq!(
            reason(Locale::En, &f),
            "The latest fetch failed: HTTP 500. No figure of this source is stored."
        );
    }
}
