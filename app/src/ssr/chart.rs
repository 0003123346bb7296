//! Turns a series view (its goal, breaks, events, revisions and vintage) into a
//! [`charts::ChartSpec`] in one language. The page, the chart images and the exports all draw
//! from here, so they always agree.

use crate::AppError;
use crate::ssr::views::{
    Freshness, GoalState, SeriesSelection, category_label, freshness, goal_state, goal_text,
    points, revised_periods, selected_observations,
};
use charts::{
    Band, BandPoint, Bar, BreakMarker, ChartPoint, ChartSpec, EventMarker, Line, LineKind,
    TargetMarker,
};
use domain::period::year_fraction;
use domain::progress::running_totals;
use domain::{
    CategoryKey, Event, Locale, ObservationStatus, Period, SeriesBreak, SeriesMeta, Unit,
};
use i18n::{format_period, format_value, t, t_args};
use std::collections::{BTreeSet, HashMap};
use store::{Store, StoredObservation};

/// A chart spec plus what it shows, for the page around it and for exports that must match.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// The drawable spec.
    pub spec: ChartSpec,
    /// The figures drawn (the chosen categories inside the range, as known at the vintage).
    pub shown: Vec<StoredObservation>,
    /// The policy events drawn, in the order of their numbers (1, 2, ...).
    pub events: Vec<Event>,
    /// The series breaks drawn.
    pub breaks: Vec<SeriesBreak>,
    /// Revised figures: (category, period) with more than one vintage.
    pub revised: BTreeSet<(CategoryKey, Period)>,
    /// The goal drawn, if the view shows the headline figure of a goal's series.
    pub goal: Option<GoalState>,
}

/// Whether a status is provisional (or estimated): drawn hollow, marked in tables.
pub fn is_provisional(status: ObservationStatus) -> bool {
    !status.mark().is_empty() || status == ObservationStatus::Estimated
}

/// Position of a figure on the time axis: a running total sits at the end of its period,
/// every other figure at the start (CBS levels are counts on 1 January).
fn t_of(period: Period, cumulative: bool) -> f64 {
    if cumulative {
        year_fraction(period.end())
    } else {
        year_fraction(period.start())
    }
}

/// Splits points into runs: a missing year or a series break ends a line, so a line never
/// bridges a period without figures or two incomparable figures.
fn split_runs<T>(points: Vec<(Period, T)>, breaks: &[SeriesBreak]) -> Vec<Vec<T>> {
    let mut runs: Vec<Vec<T>> = Vec::new();
    let mut last: Option<Period> = None;
    for (period, point) in points {
        let contiguous = match (last, period) {
            (Some(Period::Year(a)), Period::Year(b)) => b == a + 1,
            (Some(_), _) => true,
            (None, _) => false,
        };
        let broken = last.is_some_and(|l| breaks.iter().any(|b| b.after > l && b.after <= period));
        match runs.last_mut() {
            Some(run) if contiguous && !broken => run.push(point),
            _ => runs.push(vec![point]),
        }
        last = Some(period);
    }
    runs
}

/// Builds the chart of a series view. `public_url` + the view's path is drawn as permalink.
pub async fn series_chart(
    store: &Store,
    public_url: &str,
    locale: Locale,
    meta: &SeriesMeta,
    selection: &SeriesSelection,
) -> Result<ChartData, AppError> {
    let dutch = locale.is_dutch();
    let categories = store.list_categories(&meta.id).await?;
    let shown = selected_observations(store, &meta.id, selection).await?;
    let breaks = store.list_breaks(&meta.id).await?;
    // Goals are in numbers: their path and target are drawn only over the numbers.
    let goal = match (
        selection.is_total_only() && !selection.per_capita,
        store.goals_for_series(&meta.id).await?.into_iter().next(),
    ) {
        (true, Some(g)) => Some(goal_state(store, g, selection.vintage).await?),
        _ => None,
    };
    let mut revised = BTreeSet::new();
    for category in &selection.categories {
        for period in revised_periods(store, &meta.id, category, selection.as_of()).await? {
            revised.insert((category.clone(), period));
        }
    }
    let cumulative = goal.as_ref().is_some_and(|g| g.goal.cumulative);
    let percent = meta.unit == Unit::Percent || selection.per_capita;
    let unit = if selection.per_capita {
        t(locale, "unit-per-10k")
    } else {
        capitalize(&t(locale, &format!("unit-{}", meta.unit.as_str())))
    };
    let chart_point = |o: &StoredObservation| ChartPoint {
        t: t_of(o.observation.period, false),
        value: o.observation.value,
        provisional: is_provisional(o.observation.status),
        revised: revised.contains(&(o.observation.category.clone(), o.observation.period)),
    };

    let mut lines = Vec::new();
    let mut bands = Vec::new();
    let mut bars = Vec::new();
    let mut notes = Vec::new();
    let mut target = None;
    let (subtitle, description) = if let Some(g) = &goal {
        let p = &g.progress;
        if cumulative {
            let lower = match &g.goal.lower_bound_series {
                Some(id) => {
                    store
                        .observations(id, Some(&CategoryKey::total()), selection.as_of())
                        .await?
                }
                None => Vec::new(),
            };
            let (totals, filled, _) =
                running_totals(&g.goal, &points(&g.observations), &points(&lower));
            let in_range: Vec<_> = totals
                .into_iter()
                .filter(|r| selection.contains(r.period))
                .collect();
            let runs = split_runs(
                in_range
                    .iter()
                    .map(|r| {
                        let point = ChartPoint {
                            t: t_of(r.period, true),
                            value: r.value,
                            provisional: r.lower_bound || is_provisional(r.status),
                            revised: revised.contains(&(CategoryKey::total(), r.period)),
                        };
                        (r.period, point)
                    })
                    .collect(),
                &breaks,
            );
            for run in runs {
                lines.push(Line {
                    label: t(locale, "chart-actual"),
                    kind: LineKind::Actual,
                    points: run,
                });
            }
            // The yearly additions behind the running total, as bars on their own axis.
            let mut previous = g.goal.baseline_value;
            for r in &in_range {
                // Drawn at the year's running-total point, so bar and point line up.
                bars.push(Bar {
                    t: t_of(r.period, true),
                    value: r.value - previous,
                    label: t(locale, "chart-bars"),
                    hollow: filled.contains(&r.period) || is_provisional(r.status),
                });
                previous = r.value;
            }
        } else {
            let actual: Vec<(Period, ChartPoint)> = shown
                .iter()
                .map(|o| (o.observation.period, chart_point(o)))
                .collect();
            for run in split_runs(actual, &breaks) {
                lines.push(Line {
                    label: t(locale, "chart-actual"),
                    kind: LineKind::Actual,
                    points: run,
                });
            }
        }
        lines.push(Line {
            label: t(locale, "chart-path"),
            kind: LineKind::RequiredPath,
            points: vec![
                ChartPoint {
                    t: p.baseline.t,
                    value: p.baseline.value,
                    ..ChartPoint::default()
                },
                ChartPoint {
                    t: p.target.t,
                    value: p.target.value,
                    ..ChartPoint::default()
                },
            ],
        });
        if let (Some(latest), Some(pace)) = (p.latest, &p.pace)
            && latest.t < p.target.t
        {
            let mut end_value = latest.value + pace.per_year * (p.target.t - latest.t);
            if p.direction == domain::Direction::Down && p.target.value <= latest.value {
                end_value = end_value.max(p.target.value.min(latest.value));
            }
            lines.push(Line {
                label: t(locale, "chart-projection"),
                kind: LineKind::Projection,
                points: vec![
                    ChartPoint {
                        t: latest.t,
                        value: latest.value,
                        ..ChartPoint::default()
                    },
                    ChartPoint {
                        t: p.target.t,
                        value: end_value,
                        ..ChartPoint::default()
                    },
                ],
            });
        }
        if p.is_lower_bound() {
            let list = p
                .lower_bound_periods
                .iter()
                .chain(&p.missing_periods)
                .map(|x| format_period(locale, *x))
                .collect::<Vec<_>>()
                .join(", ");
            notes.push(t_args(locale, "lower-bound-note", &[("periods", list)]));
        }
        target = Some(TargetMarker {
            t: p.target.t,
            value: p.target.value,
            label: t_args(
                locale,
                "chart-target",
                &[
                    ("year", p.target.period.year().to_string()),
                    ("value", format_value(locale, p.target.value, percent)),
                ],
            ),
        });
        let subtitle = if cumulative {
            t_args(
                locale,
                "chart-cumulative-subtitle",
                &[
                    ("unit", unit.clone()),
                    ("from", format_period(locale, p.baseline.period)),
                ],
            )
        } else {
            t_args(
                locale,
                "chart-subtitle",
                &[("unit", unit.clone()), ("category", String::new())],
            )
        };
        (subtitle, goal_text(g, locale))
    } else {
        let single = selection.categories.len() == 1;
        let mut by_category: HashMap<&CategoryKey, Vec<&StoredObservation>> = HashMap::new();
        for o in &shown {
            by_category
                .entry(&o.observation.category)
                .or_default()
                .push(o);
        }
        let mut sentences = Vec::new();
        for (i, category) in selection.categories.iter().enumerate() {
            let rows = by_category.remove(category).unwrap_or_default();
            let label = if single {
                t(locale, "chart-actual")
            } else {
                category_label(&categories, category, locale)
            };
            let kind = if single {
                LineKind::Actual
            } else {
                LineKind::Breakdown(i as u8)
            };
            let pts: Vec<(Period, ChartPoint)> = rows
                .iter()
                .map(|o| (o.observation.period, chart_point(o)))
                .collect();
            for run in split_runs(pts, &breaks) {
                lines.push(Line {
                    label: label.clone(),
                    kind,
                    points: run,
                });
            }
            let margins: Vec<(Period, BandPoint)> = rows
                .iter()
                .filter_map(|o| {
                    o.margin.map(|m| {
                        let band = BandPoint {
                            t: t_of(o.observation.period, false),
                            lower: m.lower,
                            upper: m.upper,
                        };
                        (o.observation.period, band)
                    })
                })
                .collect();
            for run in split_runs(margins, &breaks) {
                bands.push(Band {
                    label: t(locale, "chart-band"),
                    points: run,
                });
            }
            let owned: Vec<StoredObservation> = rows.into_iter().cloned().collect();
            let title = if single {
                meta.title(dutch).to_owned()
            } else {
                format!(
                    "{} – {}",
                    meta.title(dutch),
                    category_label(&categories, category, locale)
                )
            };
            let title = if selection.per_capita {
                format!("{title} ({})", t(locale, "display-per-10k"))
            } else {
                title
            };
            sentences.push(summary_sentence(locale, &title, percent, &owned));
        }
        let category = match selection.categories.as_slice() {
            [only] if !only.is_total() => {
                format!(" – {}", category_label(&categories, only, locale))
            }
            _ => String::new(),
        };
        let subtitle = t_args(
            locale,
            "chart-subtitle",
            &[("unit", unit.clone()), ("category", category)],
        );
        (subtitle, sentences.join(" "))
    };

    // Policy events and breaks inside the drawn range (or the data's span).
    let all_t: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.t))
        .collect();
    let lo = selection
        .from
        .map(f64::from)
        .or_else(|| all_t.iter().copied().reduce(f64::min))
        .unwrap_or(f64::MIN);
    let hi = selection
        .to
        .map(|y| f64::from(y) + if cumulative { 1.0 } else { 0.0 })
        .or_else(|| all_t.iter().copied().reduce(f64::max))
        .unwrap_or(f64::MAX);
    let events: Vec<Event> = store
        .list_events(&meta.id)
        .await?
        .into_iter()
        .filter(|e| (lo..=hi).contains(&year_fraction(e.date)))
        .collect();
    let breaks: Vec<SeriesBreak> = breaks
        .into_iter()
        .filter(|b| {
            let (before, after) = (t_of(b.before, cumulative), t_of(b.after, cumulative));
            before >= lo && after <= hi
        })
        .collect();
    let mut event_markers: Vec<EventMarker> = events
        .iter()
        .enumerate()
        .map(|(i, e)| EventMarker {
            t: year_fraction(e.date),
            label: (i + 1).to_string(),
        })
        .collect();
    let mut break_markers: Vec<BreakMarker> = breaks
        .iter()
        .map(|b| BreakMarker {
            t: (t_of(b.before, cumulative) + t_of(b.after, cumulative)) / 2.0,
            label: t(locale, "break-label"),
        })
        .collect();

    if shown.iter().any(|o| is_provisional(o.observation.status)) {
        notes.push(t(locale, "chart-provisional-note"));
    }
    // How the figures are made (estimates, say) travels with every image of them.
    let caveat = if dutch {
        &meta.caveat_nl
    } else {
        &meta.caveat_en
    };
    if !caveat.is_empty() && !shown.is_empty() {
        notes.push(caveat.clone());
    }
    let table = meta
        .table_id
        .as_ref()
        .map(|tb| t_args(locale, "chart-source-table", &[("table", tb.clone())]))
        .unwrap_or_default();
    let mut footer = vec![
        t_args(
            locale,
            "chart-source",
            &[("producer", meta.producer.clone()), ("table", table)],
        ),
        t_args(
            locale,
            "chart-licence",
            &[("licence", meta.licence.clone())],
        ),
    ];
    let all_current = store
        .observations(&meta.id, None, selection.as_of())
        .await?;
    let fresh = freshness(store, meta, &all_current, selection.vintage).await?;
    if fresh != Freshness::Empty {
        footer.push(fresh.describe(locale));
    }
    footer.push(format!(
        "{public_url}{}",
        selection.page_path(locale, &meta.id)
    ));
    footer.extend(notes);

    if cumulative {
        // A running total sits at the end of its year (t = Y + 1); draw it at the year's own
        // tick so "2030" on the axis reads "by the end of 2030". Everything moves together.
        let shift = |t: &mut f64| *t -= 1.0;
        lines
            .iter_mut()
            .flat_map(|l| l.points.iter_mut())
            .for_each(|p| shift(&mut p.t));
        bars.iter_mut().for_each(|b| shift(&mut b.t));
        event_markers.iter_mut().for_each(|e| shift(&mut e.t));
        break_markers.iter_mut().for_each(|b| shift(&mut b.t));
        if let Some(target) = &mut target {
            shift(&mut target.t);
        }
    }
    let x_range = match (selection.from, selection.to) {
        (None, None) => None,
        (from, to) => {
            let all_t: Vec<f64> = lines
                .iter()
                .flat_map(|l| l.points.iter().map(|p| p.t))
                .collect();
            let lo = from
                .map(f64::from)
                .or_else(|| all_t.iter().copied().reduce(f64::min));
            let hi = to
                .map(f64::from)
                .or_else(|| all_t.iter().copied().reduce(f64::max));
            lo.zip(hi).filter(|(l, h)| h > l)
        }
    };
    let title = meta.title(dutch).to_owned();
    Ok(ChartData {
        spec: ChartSpec {
            alt_title: title.clone(),
            title,
            subtitle,
            lines,
            target,
            x_range,
            y_from_zero: true,
            footer,
            thousands_separator: if dutch { '.' } else { ',' },
            alt_description: description,
            bands,
            bars_axis: (!bars.is_empty()).then(|| t(locale, "chart-bars-axis")),
            bars,
            legend_events: (!event_markers.is_empty()).then(|| t(locale, "legend-events")),
            events: event_markers,
            legend_break: (!break_markers.is_empty()).then(|| t(locale, "legend-break")),
            breaks: break_markers,
        },
        shown,
        events,
        breaks,
        revised,
        goal,
    })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A plain description of a series without a goal (the chart's text alternative).
pub fn summary_sentence(
    locale: Locale,
    title: &str,
    one_decimal: bool,
    shown: &[StoredObservation],
) -> String {
    match (shown.first(), shown.last()) {
        (Some(first), Some(last)) => t_args(
            locale,
            "sentence-series-summary",
            &[
                ("title", title.to_owned()),
                ("from", format_period(locale, first.observation.period)),
                ("to", format_period(locale, last.observation.period)),
                (
                    "value",
                    format_value(locale, last.observation.value, one_decimal),
                ),
                ("period", format_period(locale, last.observation.period)),
            ],
        ),
        _ => t(locale, "no-data"),
    }
}
