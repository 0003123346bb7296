//! Loading a series or goal from the store and describing it in one language. Pages, server
//! functions, chart images and the REST API all read through here, so they always agree.

use crate::AppError;
use crate::model::{Explorer, ExplorerLabels, GoalCard, Overview, SeriesListItem, SeriesPage};
pub use crate::query::SeriesQuery;
use domain::progress::{PaceMethod, Point, evaluate_with_breaks};
use domain::{
    CategoryKey, ChangeKind, ChangeNote, Goal, Grain, Locale, Period, Progress, Projection,
    SeriesBreak, SeriesId, SeriesMeta, Unit,
};
use i18n::{
    LatestChange, format_count, format_date, format_period, format_signed, format_timestamp,
    format_value, goal_sentence, status_label, t, t_args,
};
use std::collections::BTreeSet;
use store::{
    Category, GoalVersion, SNAPSHOT_SOURCE, SeriesSummary, Store, StoredObservation,
    UPLOAD_SOURCE_PREFIX,
};
use time::Date;

/// Most breakdown lines one view may show.
pub const MAX_CATEGORIES: usize = 8;

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A validated choice of range, breakdown lines and vintage.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSelection {
    /// First year shown, if limited.
    pub from: Option<i32>,
    /// Last year shown, if limited.
    pub to: Option<i32>,
    /// The categories shown, one line each (at least one; `total` by default).
    pub categories: Vec<CategoryKey>,
    /// Show the figures as known at this vintage.
    pub vintage: Option<Vintage>,
    /// Period length to show; `None`: years when the series has them, else all it has.
    pub grain: Option<Grain>,
    /// Figures per 10,000 inhabitants (CBS population on 1 January) instead of numbers.
    pub per_capita: bool,
}

impl Default for SeriesSelection {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            categories: vec![CategoryKey::total()],
            vintage: None,
            grain: None,
            per_capita: false,
        }
    }
}

/// A vintage: the figures as Koers knew them at a moment. A date means the end of that day
/// (UTC); an RFC 3339 instant (`2026-11-24T21:05:00Z`) pins an exact moment, which is what a
/// pinned embed uses, so it can never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vintage {
    /// The day, for display.
    pub date: Date,
    /// The moment, as the store's epoch-millisecond `as_of`.
    pub as_of: i64,
    /// Whether it names an instant rather than a whole day.
    pub precise: bool,
}

impl Vintage {
    /// The end of a day.
    pub fn day(date: Date) -> Self {
        let next = date.next_day().unwrap_or(date).midnight().assume_utc();
        Self {
            date,
            as_of: (next.unix_timestamp_nanos() / 1_000_000) as i64 - 1,
            precise: false,
        }
    }

    /// An exact moment (whole seconds).
    pub fn at(at: time::OffsetDateTime) -> Self {
        let at = at
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap_or(at);
        Self {
            date: at.date(),
            as_of: (at.unix_timestamp_nanos() / 1_000_000) as i64,
            precise: true,
        }
    }

    /// Whether everything this vintage shows is final: it lies in the past, so the append-only
    /// history can no longer change what it shows.
    pub fn is_settled(&self, now_ms: i64) -> bool {
        self.as_of < now_ms
    }
}

impl std::fmt::Display for Vintage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.precise {
            let at =
                time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.as_of) * 1_000_000)
                    .map_err(|_| std::fmt::Error)?;
            let text = at
                .format(&time::format_description::well_known::Rfc3339)
                .map_err(|_| std::fmt::Error)?;
            f.write_str(&text)
        } else {
            write!(f, "{}", self.date)
        }
    }
}

/// Reads a `vintage` parameter (`2025-06-30` or `2025-06-30T12:00:00Z`), with a localized error.
pub fn parse_vintage(raw: Option<&str>, locale: Locale) -> Result<Option<Vintage>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => Date::parse(text, ISO_DATE)
            .map(Vintage::day)
            .or_else(|_| {
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .map(Vintage::at)
            })
            .map(Some)
            .map_err(|_| {
                AppError::InvalidInput(t_args(
                    locale,
                    "error-bad-vintage",
                    &[("value", text.chars().take(40).collect())],
                ))
            }),
    }
}

/// The store's `as_of` for a vintage.
pub fn as_of(vintage: Option<Vintage>) -> Option<i64> {
    vintage.map(|v| v.as_of)
}

impl SeriesSelection {
    /// Validates the query; messages are in `locale`.
    pub fn parse(query: &SeriesQuery, locale: Locale) -> Result<Self, AppError> {
        let year = |raw: &Option<String>| -> Result<Option<i32>, AppError> {
            match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(text) => match Period::parse(text) {
                    Ok(p) if (1900..=2100).contains(&p.year()) => Ok(Some(p.year())),
                    _ => Err(AppError::InvalidInput(t_args(
                        locale,
                        "error-bad-period",
                        &[("value", text.chars().take(40).collect())],
                    ))),
                },
            }
        };
        let (from, to) = (year(&query.from)?, year(&query.to)?);
        if let (Some(first), Some(last)) = (from, to)
            && first > last
        {
            return Err(AppError::InvalidInput(t(locale, "error-bad-range")));
        }
        let mut categories: Vec<CategoryKey> = Vec::new();
        for raw in query
            .category
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            let key = CategoryKey::parse(raw).map_err(|_| {
                AppError::InvalidInput(t_args(
                    locale,
                    "error-unknown-category",
                    &[("value", raw.chars().take(40).collect())],
                ))
            })?;
            if !categories.contains(&key) {
                categories.push(key);
            }
        }
        if categories.len() > MAX_CATEGORIES {
            return Err(AppError::InvalidInput(t_args(
                locale,
                "error-too-many-categories",
                &[("max", MAX_CATEGORIES.to_string())],
            )));
        }
        if categories.is_empty() {
            categories.push(CategoryKey::total());
        }
        let vintage = parse_vintage(query.vintage.as_deref(), locale)?;
        let grain = match query
            .grain
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(text) => Some(Grain::parse(text).ok_or_else(|| {
                AppError::InvalidInput(t_args(
                    locale,
                    "error-bad-grain",
                    &[("value", text.chars().take(20).collect())],
                ))
            })?),
        };
        let per_capita = match query
            .per
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => false,
            Some("10000") => true,
            Some(other) => {
                return Err(AppError::InvalidInput(t_args(
                    locale,
                    "error-bad-per",
                    &[("value", other.chars().take(20).collect())],
                )));
            }
        };
        Ok(Self {
            from,
            to,
            categories,
            vintage,
            grain,
            per_capita,
        })
    }

    /// Checks every category against the series' own, with a localized error.
    pub fn check_categories(&self, known: &[Category], locale: Locale) -> Result<(), AppError> {
        match self
            .categories
            .iter()
            .find(|c| !c.is_total() && !known.iter().any(|k| &k.key == *c))
        {
            Some(unknown) => Err(AppError::InvalidInput(t_args(
                locale,
                "error-unknown-category",
                &[("value", unknown.to_string())],
            ))),
            None => Ok(()),
        }
    }

    /// Whether only the headline figure is shown (goals apply to it).
    pub fn is_total_only(&self) -> bool {
        self.categories.len() == 1 && self.categories[0].is_total()
    }

    /// Whether a period falls inside the range.
    pub fn contains(&self, period: Period) -> bool {
        self.from.is_none_or(|first| period.year() >= first)
            && self.to.is_none_or(|last| period.year() <= last)
    }

    /// The store's `as_of` for this selection.
    pub fn as_of(&self) -> Option<i64> {
        as_of(self.vintage)
    }

    /// The path of the series page showing this selection: `/en/series/{id}?from=2015`.
    pub fn page_path(&self, locale: Locale, series: &SeriesId) -> String {
        format!("{}/series/{series}{}", locale.prefix(), self.query_string())
    }

    /// The query string that reproduces this selection (empty for the default view).
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(first) = self.from {
            parts.push(format!("from={first}"));
        }
        if let Some(last) = self.to {
            parts.push(format!("to={last}"));
        }
        if !self.is_total_only() {
            parts.extend(self.categories.iter().map(|c| format!("category={c}")));
        }
        if let Some(g) = self.grain {
            parts.push(format!("grain={}", g.as_str()));
        }
        if self.per_capita {
            parts.push("per=10000".to_owned());
        }
        if let Some(v) = self.vintage {
            parts.push(format!("vintage={v}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// The figures a view shows: the chosen categories inside the range, as known at the
/// vintage, observations only (no forecasts). Chart, table and CSV all use this.
pub async fn selected_observations(
    store: &Store,
    series: &SeriesId,
    selection: &SeriesSelection,
) -> Result<Vec<StoredObservation>, AppError> {
    let mut out = Vec::new();
    for category in &selection.categories {
        out.extend(
            store
                .observations(series, Some(category), selection.as_of())
                .await?
                .into_iter()
                .filter(|o| {
                    selection.contains(o.observation.period) && o.observation.status.is_observed()
                }),
        );
    }
    // One grain per view: a line never joins a quarter to a year.
    let grain = selection.grain.or_else(|| {
        let grains: BTreeSet<Grain> = out.iter().map(|o| o.observation.period.grain()).collect();
        (grains.len() > 1)
            .then(|| grains.first().copied())
            .flatten()
    });
    if let Some(grain) = grain {
        out.retain(|o| o.observation.period.grain() == grain);
    }
    if selection.per_capita {
        out = per_10k(store, out, selection.as_of()).await?;
    }
    Ok(out)
}

/// The series whose 1 January totals make figures "per 10,000 inhabitants".
pub const POPULATION_SERIES: &str = "population_nl";

/// Whether a series can be shown per 10,000 inhabitants: Dutch counts of people.
pub fn per_capita_applies(meta: &SeriesMeta) -> bool {
    meta.unit == Unit::Persons && meta.producer == "CBS" && meta.id.as_str() != POPULATION_SERIES
}

/// Divides yearly figures by the population on 1 January of the same year, times 10,000.
/// Figures without a population for their year are left out (never guessed).
async fn per_10k(
    store: &Store,
    figures: Vec<StoredObservation>,
    as_of: Option<i64>,
) -> Result<Vec<StoredObservation>, AppError> {
    let Ok(id) = SeriesId::parse(POPULATION_SERIES) else {
        return Ok(Vec::new());
    };
    let population: std::collections::HashMap<Period, f64> = match store
        .observations(&id, Some(&CategoryKey::total()), as_of)
        .await
    {
        Ok(rows) => rows
            .into_iter()
            .map(|o| (o.observation.period, o.observation.value))
            .collect(),
        Err(store::StoreError::NotFound(_)) => Default::default(),
        Err(e) => return Err(e.into()),
    };
    Ok(figures
        .into_iter()
        .filter_map(|mut o| {
            let people = *population.get(&Period::Year(o.observation.period.year()))?;
            (people > 0.0).then(|| {
                let rate = |v: f64| (v / people * 10_000.0 * 100.0).round() / 100.0;
                o.observation.value = rate(o.observation.value);
                o.margin = o
                    .margin
                    .and_then(|m| domain::Margin::new(rate(m.lower), rate(m.upper)));
                o
            })
        })
        .collect())
}

/// Periods of a series with more than one vintage known at `as_of` (revised figures).
pub async fn revised_periods(
    store: &Store,
    series: &SeriesId,
    category: &CategoryKey,
    as_of: Option<i64>,
) -> Result<BTreeSet<Period>, AppError> {
    let history = store.observation_history(series, category, None).await?;
    let mut seen = BTreeSet::new();
    let mut revised = BTreeSet::new();
    for o in history
        .iter()
        .filter(|o| as_of.is_none_or(|t| o.first_seen_at <= t))
    {
        if !seen.insert(o.observation.period) {
            revised.insert(o.observation.period);
        }
    }
    Ok(revised)
}

/// A goal with its computed progress, its series and what surrounds the figures.
#[derive(Debug, Clone)]
pub struct GoalState {
    /// The goal, with the baseline and target of [`GoalState::version`].
    pub goal: Goal,
    /// The version of its baseline and target in use: the current one, or for a vintage the
    /// one in force at that moment.
    pub version: GoalVersion,
    /// Its progress.
    pub progress: Progress,
    /// The series it is measured on.
    pub series: SeriesMeta,
    /// The series' data summary.
    pub summary: SeriesSummary,
    /// How fresh the figures behind it are.
    pub freshness: Freshness,
    /// The headline figures used.
    pub observations: Vec<StoredObservation>,
    /// The series' breaks.
    pub breaks: Vec<SeriesBreak>,
    /// Publishers' remarks on changes.
    pub notes: Vec<ChangeNote>,
}

/// Where the current figures come from and when they were last confirmed.
#[derive(Debug, Clone, PartialEq)]
pub enum Freshness {
    /// Only the built-in published figures, as of this date (ISO).
    Snapshot(String),
    /// A live source was checked successfully at this moment (epoch ms).
    Checked(i64),
    /// The figures as they were known at a vintage.
    Vintage(Vintage),
    /// Figures uploaded by hand in the console, last at this moment (epoch ms).
    Uploaded(i64),
    /// No figures at all.
    Empty,
}

impl Freshness {
    /// In words.
    pub fn describe(&self, locale: Locale) -> String {
        match self {
            Self::Snapshot(date) => {
                let date = Date::parse(date, ISO_DATE)
                    .map(|d| format_date(locale, d))
                    .unwrap_or_else(|_| date.clone());
                t_args(locale, "freshness-snapshot", &[("date", date)])
            }
            Self::Checked(at) => t_args(
                locale,
                "freshness-checked",
                &[("date", format_timestamp(locale, *at))],
            ),
            Self::Vintage(v) => t_args(
                locale,
                "chart-data-date",
                &[("date", vintage_text(locale, v))],
            ),
            Self::Uploaded(at) => t_args(
                locale,
                "freshness-uploaded",
                &[("date", format_timestamp(locale, *at))],
            ),
            Self::Empty => t(locale, "freshness-never"),
        }
    }
}

/// A vintage in words: `24 november 2026` or, for an instant, `24 november 2026, 21:05 UTC`.
pub fn vintage_text(locale: Locale, v: &Vintage) -> String {
    if v.precise {
        format_timestamp(locale, v.as_of)
    } else {
        format_date(locale, v.date)
    }
}

/// How fresh a series' figures are: the vintage asked for; else when its source last answered
/// well; else the newest load of its current figures: the published-figures snapshot (its
/// date) or an upload in the console (when it was stored).
pub async fn freshness(
    store: &Store,
    meta: &SeriesMeta,
    observations: &[StoredObservation],
    vintage: Option<Vintage>,
) -> Result<Freshness, AppError> {
    if let Some(date) = vintage {
        return Ok(Freshness::Vintage(date));
    }
    if let Some(source) = &meta.source
        && let Some(at) = store
            .last_good_fetch(source.as_str())
            .await?
            .and_then(|f| f.finished_at)
    {
        return Ok(Freshness::Checked(at));
    }
    // The newest load that wrote current figures decides: the snapshot or an upload.
    let ids: BTreeSet<i64> = observations.iter().map(|o| o.fetch_id).collect();
    for id in ids.into_iter().rev() {
        let fetch = store.get_fetch(id).await?;
        if fetch.source == SNAPSHOT_SOURCE
            && let Some(date) = fetch.upstream_modified
        {
            return Ok(Freshness::Snapshot(date));
        }
        if fetch.source.starts_with(UPLOAD_SOURCE_PREFIX)
            && let Some(at) = fetch.finished_at
        {
            return Ok(Freshness::Uploaded(at));
        }
    }
    Ok(if observations.is_empty() {
        Freshness::Empty
    } else {
        Freshness::Snapshot(String::new())
    })
}

/// The figures as input to the progress arithmetic.
pub fn points(observations: &[StoredObservation]) -> Vec<Point> {
    observations
        .iter()
        .map(|o| Point {
            period: o.observation.period,
            value: o.observation.value,
            status: o.observation.status,
        })
        .collect()
}

/// Evaluates one goal against the figures known at the end of `vintage` (now when `None`).
pub async fn goal_state(
    store: &Store,
    goal: Goal,
    vintage: Option<Vintage>,
) -> Result<GoalState, AppError> {
    let total = CategoryKey::total();
    let as_of = as_of(vintage);
    let version = store.goal_version_at(&goal.id, as_of).await?;
    let goal = goal.with_targets(&version.targets);
    let series = store.get_series(&goal.series).await?;
    let summary = store.series_summary(&goal.series).await?;
    let observations = store
        .observations(&goal.series, Some(&total), as_of)
        .await?;
    let lower = match &goal.lower_bound_series {
        Some(id) => store.observations(id, Some(&total), as_of).await?,
        None => Vec::new(),
    };
    let breaks = store.list_breaks(&goal.series).await?;
    let after: Vec<Period> = breaks.iter().map(|b| b.after).collect();
    let progress = evaluate_with_breaks(&goal, &points(&observations), &points(&lower), &after);
    let freshness = freshness(store, &series, &observations, vintage).await?;
    let notes = store.list_change_notes(&goal.series).await?;
    Ok(GoalState {
        goal,
        version,
        progress,
        series,
        summary,
        freshness,
        observations,
        breaks,
        notes,
    })
}

/// All goals, in display order, as known at `vintage`.
pub async fn goal_states(
    store: &Store,
    vintage: Option<Vintage>,
) -> Result<Vec<GoalState>, AppError> {
    let mut out = Vec::new();
    for goal in store.list_goals().await? {
        out.push(goal_state(store, goal, vintage).await?);
    }
    Ok(out)
}

/// What changed since the figure before the latest, within the latest series segment.
pub fn latest_change(state: &GoalState, locale: Locale) -> Option<LatestChange> {
    if state.progress.cumulative {
        return None;
    }
    let observed: Vec<&StoredObservation> = state
        .observations
        .iter()
        .filter(|o| o.observation.status.is_observed())
        .collect();
    let (latest, previous) = match observed.as_slice() {
        [.., previous, latest] => (*latest, *previous),
        _ => return None,
    };
    let (to, from) = (latest.observation.period, previous.observation.period);
    if state.breaks.iter().any(|b| b.after > from && b.after <= to) {
        return None;
    }
    let note = state
        .notes
        .iter()
        .find(|n| n.period == to && n.kind == ChangeKind::NotSignificant)
        .map(|n| {
            if locale.is_dutch() {
                n.text_nl.clone()
            } else {
                n.text_en.clone()
            }
        });
    let within_margin =
        matches!((latest.margin, previous.margin), (Some(a), Some(b)) if a.overlaps(&b));
    Some(LatestChange {
        previous: from,
        delta: latest.observation.value - previous.observation.value,
        within_margin,
        note,
    })
}

/// The goal's full text in one language (also the chart's text alternative).
pub fn goal_text(state: &GoalState, locale: Locale) -> String {
    goal_sentence(
        locale,
        &state.progress,
        &state.series,
        latest_change(state, locale).as_ref(),
    )
}

fn per_year(locale: Locale, value: String) -> String {
    t_args(locale, "per-year", &[("value", value)])
}

/// Which target version a goal uses, in words: "doelversie 2, gewijzigd 24 november 2026",
/// or for the first version "doelversie 1 (oorspronkelijk)".
pub fn goal_version_text(version: &GoalVersion, locale: Locale) -> String {
    if version.version <= 1 {
        return t(locale, "goal-version-original");
    }
    let date =
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(version.changed_at) * 1_000_000)
            .map(|at| format_date(locale, at.date()))
            .unwrap_or_default();
    t_args(
        locale,
        "goal-version-changed",
        &[("version", version.version.to_string()), ("date", date)],
    )
}

/// Describes a goal for a card, in one language.
pub fn goal_card(state: &GoalState, locale: Locale) -> GoalCard {
    let GoalState {
        goal,
        version,
        progress: p,
        series,
        freshness,
        ..
    } = state;
    let percent = series.unit == Unit::Percent;
    let value = |v: f64| format_value(locale, v, percent);
    let (latest_value, latest_when) = match p.latest {
        Some(l) if p.cumulative => {
            let v = value(l.value);
            let v = if p.is_lower_bound() {
                format!("{} {v}", t(locale, "lower-bound"))
            } else {
                v
            };
            (
                v,
                format!(
                    "{}-{}",
                    format_period(locale, p.baseline.period),
                    format_period(locale, l.period)
                ),
            )
        }
        Some(l) => (value(l.value), format_date(locale, l.period.start())),
        None => ("–".to_owned(), String::new()),
    };
    let pace = match &p.pace {
        Some(pace) => {
            let v = if pace.method == PaceMethod::MeanFlow {
                format_count(locale, pace.per_year)
            } else {
                format_signed(locale, pace.per_year)
            };
            format!(
                "{} ({}-{})",
                per_year(locale, v),
                format_period(locale, pace.from),
                format_period(locale, pace.to)
            )
        }
        None => "–".to_owned(),
    };
    let pace_needed = p
        .pace_needed_now
        .map(|v| {
            per_year(
                locale,
                if p.cumulative {
                    format_count(locale, v)
                } else {
                    format_signed(locale, v)
                },
            )
        })
        .unwrap_or_else(|| "–".to_owned());
    let projection = match p.projection {
        Projection::Year(y) => t_args(locale, "projection-year", &[("year", y.to_string())]),
        Projection::Never => t(locale, "projection-never"),
        Projection::Reached => t(locale, "projection-reached"),
        Projection::Unknown => t(locale, "projection-unknown"),
    };
    let list = |ps: &[Period]| {
        ps.iter()
            .map(|x| format_period(locale, *x))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut notes = Vec::new();
    if !p.lower_bound_periods.is_empty() {
        notes.push(t_args(
            locale,
            "lower-bound-note",
            &[("periods", list(&p.lower_bound_periods))],
        ));
    }
    if !p.missing_periods.is_empty() {
        notes.push(t_args(
            locale,
            "missing-note",
            &[("periods", list(&p.missing_periods))],
        ));
    }
    let series_href = format!("{}/series/{}", locale.prefix(), series.id);
    let vintage = match freshness {
        Freshness::Vintage(d) => format!("&vintage={d}"),
        _ => String::new(),
    };
    let chart_src_base = format!("/charts/{}.svg?lang={}{vintage}", series.id, locale.code());
    GoalCard {
        goal_id: goal.id.to_string(),
        series_id: series.id.to_string(),
        goal_title: goal.title(locale.is_dutch()).to_owned(),
        title: series.title(locale.is_dutch()).to_owned(),
        status: p.status.as_str().to_owned(),
        status_label: status_label(locale, p.status),
        sentence: goal_text(state, locale),
        latest_value,
        latest_when,
        baseline: format!(
            "{} ({})",
            value(p.baseline.value),
            format_period(locale, p.baseline.period)
        ),
        target: format!(
            "{} ({})",
            value(p.target.value),
            format_period(locale, p.target.period)
        ),
        pace,
        pace_needed,
        projection,
        freshness: freshness.describe(locale),
        notes,
        commitment: goal.commitment(locale.is_dutch()).to_owned(),
        commitment_url: goal.source_url.clone(),
        target_version: goal_version_text(version, locale),
        chart_src: format!("{chart_src_base}&width=800&height=450"),
        chart_src_base,
        series_href,
    }
}

/// The overview page, as known at `vintage`.
pub async fn overview(
    store: &Store,
    locale: Locale,
    vintage: Option<&str>,
) -> Result<Overview, AppError> {
    let vintage = parse_vintage(vintage, locale)?;
    let goals = goal_states(store, vintage)
        .await?
        .iter()
        .map(|g| goal_card(g, locale))
        .collect();
    Ok(Overview { goals })
}

/// The list of all series, with the latest figure known at `vintage`.
pub async fn series_list(
    store: &Store,
    locale: Locale,
    vintage: Option<Vintage>,
) -> Result<Vec<SeriesListItem>, AppError> {
    let total = CategoryKey::total();
    let vintage_query = vintage.map(|v| format!("?vintage={v}")).unwrap_or_default();
    let mut out = Vec::new();
    for s in store.list_series().await? {
        let latest = store
            .observations(&s.meta.id, Some(&total), as_of(vintage))
            .await?
            .into_iter()
            .rfind(|o| o.observation.status.is_observed())
            .map(|o| {
                format!(
                    "{} ({})",
                    format_value(locale, o.observation.value, s.meta.unit == Unit::Percent),
                    format_period(locale, o.observation.period)
                )
            })
            .unwrap_or_else(|| "–".to_owned());
        out.push(SeriesListItem {
            id: s.meta.id.to_string(),
            title: s.meta.title(locale.is_dutch()).to_owned(),
            source: source_line(&s.meta),
            latest,
            href: format!("{}/series/{}{vintage_query}", locale.prefix(), s.meta.id),
        });
    }
    Ok(out)
}

/// "CBS, 80799ned" or just the producer.
pub fn source_line(meta: &SeriesMeta) -> String {
    match &meta.table_id {
        Some(table) => format!("{}, {table}", meta.producer),
        None => meta.producer.clone(),
    }
}

/// The label of a category in one language.
pub fn category_label(categories: &[Category], key: &CategoryKey, locale: Locale) -> String {
    if key.is_total() {
        return t(locale, "breakdown-total");
    }
    categories
        .iter()
        .find(|c| &c.key == key)
        .map(|c| match (locale, &c.title_en) {
            (Locale::En, Some(en)) => en.clone(),
            _ => c.title_nl.clone(),
        })
        .unwrap_or_else(|| key.to_string())
}

/// Parses a series id from a URL, with a localized "no such series" message.
pub fn parse_series_id(raw: &str, locale: Locale) -> Result<SeriesId, AppError> {
    SeriesId::parse(raw).map_err(|_| not_found_series(raw, locale))
}

/// The localized "no such series" error.
pub fn not_found_series(raw: &str, locale: Locale) -> AppError {
    AppError::NotFound(t_args(
        locale,
        "error-unknown-series",
        &[("id", raw.chars().take(64).collect())],
    ))
}

/// Loads a series' metadata, mapping a missing one to a localized 404.
pub async fn series_meta(
    store: &Store,
    id: &SeriesId,
    locale: Locale,
) -> Result<SeriesMeta, AppError> {
    match store.get_series(id).await {
        Ok(meta) => Ok(meta),
        Err(store::StoreError::NotFound(_)) => Err(not_found_series(id.as_str(), locale)),
        Err(e) => Err(e.into()),
    }
}

/// A validated series view: the series, its categories and the selection.
pub struct SeriesView {
    /// The series.
    pub meta: SeriesMeta,
    /// Its breakdown categories.
    pub categories: Vec<Category>,
    /// The validated choices.
    pub selection: SeriesSelection,
}

/// Validates a request for a series view (unknown series: 404; bad choices: 400).
pub async fn series_view(
    store: &Store,
    raw_id: &str,
    query: &SeriesQuery,
    locale: Locale,
) -> Result<SeriesView, AppError> {
    let id = parse_series_id(raw_id, locale)?;
    let meta = series_meta(store, &id, locale).await?;
    let selection = SeriesSelection::parse(query, locale)?;
    let categories = store.list_categories(&id).await?;
    selection.check_categories(&categories, locale)?;
    Ok(SeriesView {
        meta,
        categories,
        selection,
    })
}

/// The series page.
pub async fn series_page(
    store: &Store,
    public_url: &str,
    locale: Locale,
    raw_id: &str,
    query: &SeriesQuery,
) -> Result<SeriesPage, AppError> {
    let SeriesView {
        meta,
        categories,
        selection,
    } = series_view(store, raw_id, query, locale).await?;
    let id = meta.id.clone();
    let summary = store.series_summary(&id).await?;
    let mut goals = Vec::new();
    for goal in store.goals_for_series(&id).await? {
        goals.push(goal_card(
            &goal_state(store, goal, selection.vintage).await?,
            locale,
        ));
    }
    let all = store.observations(&id, None, selection.as_of()).await?;
    let mut years: Vec<i32> = all.iter().map(|o| o.observation.period.year()).collect();
    if let Some(g) = store.goals_for_series(&id).await?.first() {
        years.push(g.target_period.year());
    }
    years.sort_unstable();
    years.dedup();
    let (first, last) = (
        years.first().copied().unwrap_or(2000),
        years.last().copied().unwrap_or(2030),
    );
    let mut category_options = vec![(CategoryKey::TOTAL.to_owned(), t(locale, "breakdown-total"))];
    category_options.extend(categories.iter().filter(|c| !c.key.is_total()).map(|c| {
        (
            c.key.to_string(),
            category_label(&categories, &c.key, locale),
        )
    }));
    let view_html =
        crate::ssr::fragment::series_view(store, public_url, locale, &meta, &selection).await?;
    let mut facts = vec![
        (
            t(locale, "source-label"),
            meta.producer.clone(),
            Some(meta.source_url.clone()),
        ),
        (
            t(locale, "licence-label"),
            meta.licence.clone(),
            Some(meta.licence_url.clone()),
        ),
        (
            t(locale, "unit-label"),
            t(locale, &format!("unit-{}", meta.unit.as_str())),
            None,
        ),
    ];
    if let Some(table) = &meta.table_id {
        facts.insert(
            1,
            (
                t(locale, "table-id-label"),
                table.clone(),
                Some(meta.source_url.clone()),
            ),
        );
    }
    let current: Vec<StoredObservation> = all
        .into_iter()
        .filter(|o| o.observation.category.is_total())
        .collect();
    facts.push((
        t(locale, "fetched-label"),
        freshness(store, &meta, &current, selection.vintage)
            .await?
            .describe(locale),
        None,
    ));
    if let Some(at) = summary.last_changed_at {
        facts.push((
            t(locale, "changed-label"),
            format_timestamp(locale, at),
            None,
        ));
    }
    // Series from the same source: the same figures as counts and as shares, new-build beside
    // all additions. The choices carry over when the other series has the same breakdown.
    let mut related = Vec::new();
    for other in store.list_series().await? {
        if other.meta.id == id || other.meta.source.is_none() || other.meta.source != meta.source {
            continue;
        }
        let other_categories = store.list_categories(&other.meta.id).await?;
        let keep = selection
            .check_categories(&other_categories, locale)
            .is_ok();
        let query = if keep {
            selection.query_string()
        } else {
            String::new()
        };
        related.push((
            other.meta.title(locale.is_dutch()).to_owned(),
            format!("{}/series/{}{query}", locale.prefix(), other.meta.id),
        ));
    }
    Ok(SeriesPage {
        related,
        id: id.to_string(),
        title: meta.title(locale.is_dutch()).to_owned(),
        description: meta.description(locale.is_dutch()).to_owned(),
        facts,
        goals,
        explorer: Explorer {
            action: format!("{}/series/{}", locale.prefix(), id),
            series: id.to_string(),
            lang: locale.code().to_owned(),
            from: selection.from.unwrap_or(first).clamp(first, last),
            to: selection.to.unwrap_or(last).clamp(first, last),
            categories: selection
                .categories
                .iter()
                .map(ToString::to_string)
                .collect(),
            vintage: selection.vintage.map(|v| v.to_string()),
            grain: selection.grain.map(|g| g.as_str().to_owned()),
            per_capita: per_capita_applies(&meta).then_some(selection.per_capita),
            years: (first..=last).collect(),
            options: category_options,
            labels: ExplorerLabels {
                heading: t(locale, "range-heading"),
                from: t(locale, "range-from"),
                to: t(locale, "range-to"),
                breakdown: t(locale, "breakdown-label"),
                apply: t(locale, "apply-filters"),
                updated: t(locale, "chart-updated"),
                vintage: t(locale, "vintage-label"),
                vintage_hint: t(locale, "vintage-hint"),
                display: t(locale, "display-label"),
                absolute: t(locale, "display-absolute"),
                per_10k: t(locale, "display-per-10k"),
            },
        },
        view_html,
    })
}
