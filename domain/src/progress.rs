//! Progress toward a goal: the required straight path, the recent pace, the status and the
//! year the target is reached at that pace.
//!
//! The arithmetic works on a continuous time axis in fractional years. A level (a count on
//! 1 January) sits at the start of its period; a cumulative flow is the total after its
//! period, so it sits at the period's end. Paces are "per year". Only differences of values
//! are used, never growth rates, so a target of zero needs no special case.

use crate::period::year_fraction;
use crate::{Direction, Goal, GoalId, ObservationStatus, Period};
use serde::{Deserialize, Serialize};

/// Share of the required pace at or above which a goal is on track.
pub const ON_TRACK_RATIO: f64 = 0.95;
/// Share of the required pace at or above which a goal only needs acceleration.
pub const NEEDS_ACCELERATION_RATIO: f64 = 0.60;
/// Ratios this close to a threshold count as meeting it (floating-point noise).
const RATIO_TOLERANCE: f64 = 1e-9;
/// Projections further away than this many years are reported as "never".
const MAX_PROJECTION_YEARS: f64 = 300.0;

/// One figure of the goal's series, as input to [`evaluate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The period.
    pub period: Period,
    /// The value.
    pub value: f64,
    /// Its status; forecasts are ignored.
    pub status: ObservationStatus,
}

/// The goal's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The target value has been reached.
    Reached,
    /// Recent pace is at least 95 % of the required pace.
    OnTrack,
    /// Recent pace is 60-95 % of the required pace.
    NeedsAcceleration,
    /// Recent pace is 0-60 % of the required pace.
    LimitedProgress,
    /// The series moves away from the target.
    MovingAway,
    /// Too few observations to measure a pace.
    InsufficientData,
}

impl Status {
    /// The API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reached => "reached",
            Self::OnTrack => "on_track",
            Self::NeedsAcceleration => "needs_acceleration",
            Self::LimitedProgress => "limited_progress",
            Self::MovingAway => "moving_away",
            Self::InsufficientData => "insufficient_data",
        }
    }
}

/// How the pace was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaceMethod {
    /// Least-squares slope of the levels over time.
    LeastSquares,
    /// Mean of the yearly flows (the slope of their running total).
    MeanFlow,
}

/// The recent pace, with its window stated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Pace {
    /// Change per year (negative: falling).
    pub per_year: f64,
    /// First period in the window.
    pub from: Period,
    /// Last period in the window.
    pub to: Period,
    /// How many observations the window holds.
    pub observations: u32,
    /// How the pace was measured.
    pub method: PaceMethod,
}

/// When the target is reached at the recent pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "year", rename_all = "snake_case")]
pub enum Projection {
    /// Already reached.
    Reached,
    /// Reached in this year.
    Year(i32),
    /// Never at this pace (it moves away, stands still, or would take centuries).
    Never,
    /// No pace to project with.
    Unknown,
}

/// A point of the goal's own line: baseline, target, latest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Anchor {
    /// The period.
    pub period: Period,
    /// The value (for a cumulative goal: the running total).
    pub value: f64,
    /// Position on the time axis, in fractional years.
    pub t: f64,
}

/// Everything Koers says about a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Progress {
    /// The goal.
    pub goal: GoalId,
    /// Whether values are running totals of the series.
    pub cumulative: bool,
    /// Down or up.
    pub direction: Direction,
    /// Start of the required path.
    pub baseline: Anchor,
    /// End of the required path.
    pub target: Anchor,
    /// Slope of the required path, per year.
    pub required_pace: f64,
    /// The latest observed value (running total for a cumulative goal).
    pub latest: Option<Anchor>,
    /// Status of the latest figure.
    pub latest_status: Option<ObservationStatus>,
    /// Value of the required path at the latest observation.
    pub path_at_latest: Option<f64>,
    /// How far the latest value is behind the path (negative: ahead of it).
    pub behind_path: Option<f64>,
    /// The recent pace.
    pub pace: Option<Pace>,
    /// Recent pace as a share of the required pace.
    pub pace_ratio: Option<f64>,
    /// The verdict.
    pub status: Status,
    /// When the target is reached at the recent pace.
    pub projection: Projection,
    /// Pace needed from the latest figure on to still reach the target in time.
    pub pace_needed_now: Option<f64>,
    /// Cumulative goals: periods with no figure at all (the total is then a lower bound).
    pub missing_periods: Vec<Period>,
    /// Cumulative goals: periods counted with the lower-bound series instead.
    pub lower_bound_periods: Vec<Period>,
    /// The pace window was cut short at a series break: its first period after the break.
    pub pace_since_break: Option<Period>,
    /// A series break lies between the baseline and the latest figure (first period after it).
    pub baseline_across_break: Option<Period>,
}

impl Progress {
    /// Whether the running total is only a lower bound (some periods missing or filled).
    pub fn is_lower_bound(&self) -> bool {
        !self.missing_periods.is_empty() || !self.lower_bound_periods.is_empty()
    }
    /// Value of the required path at time `t`.
    pub fn path_at(&self, t: f64) -> f64 {
        self.baseline.value + self.required_pace * (t - self.baseline.t)
    }
}

/// Evaluates a goal against the observations of its series (total category, any order).
/// `lower_bound` holds the goal's lower-bound series (empty when it has none).
pub fn evaluate(goal: &Goal, points: &[Point], lower_bound: &[Point]) -> Progress {
    evaluate_with_breaks(goal, points, lower_bound, &[])
}

/// [`evaluate`] on a series with breaks, given as the first period after each break: the pace
/// is never measured across a break, and a baseline before a break is reported.
pub fn evaluate_with_breaks(
    goal: &Goal,
    points: &[Point],
    lower_bound: &[Point],
    breaks: &[Period],
) -> Progress {
    let mut observed: Vec<Point> = points
        .iter()
        .copied()
        .filter(|p| p.status.is_observed() && p.value.is_finite())
        .collect();
    observed.sort_by_key(|p| p.period);

    let baseline = Anchor {
        period: goal.baseline_period,
        value: goal.baseline_value,
        t: year_fraction(goal.baseline_period.start()),
    };
    let target_date = if goal.cumulative {
        goal.target_period.end()
    } else {
        goal.target_period.start()
    };
    let target = Anchor {
        period: goal.target_period,
        value: goal.target_value,
        t: year_fraction(target_date),
    };
    let span = target.t - baseline.t;
    let required_pace = if span > 0.0 {
        (target.value - baseline.value) / span
    } else {
        0.0
    };

    let mut progress = Progress {
        goal: goal.id.clone(),
        cumulative: goal.cumulative,
        direction: goal.direction,
        baseline,
        target,
        required_pace,
        latest: None,
        latest_status: None,
        path_at_latest: None,
        behind_path: None,
        pace: None,
        pace_ratio: None,
        status: Status::InsufficientData,
        projection: Projection::Unknown,
        pace_needed_now: None,
        missing_periods: Vec::new(),
        lower_bound_periods: Vec::new(),
        pace_since_break: None,
        baseline_across_break: None,
    };
    let last_period = observed.last().map(|p| p.period);
    // The segment after the latest break at or before the latest figure.
    let segment_start = breaks
        .iter()
        .copied()
        .filter(|b| last_period.is_some_and(|l| *b <= l))
        .max();
    let segment: Vec<Point> = match segment_start {
        Some(start) => observed
            .iter()
            .copied()
            .filter(|p| p.period >= start)
            .collect(),
        None => observed.clone(),
    };

    if goal.cumulative {
        running_total(goal, &observed, lower_bound, &mut progress);
        progress.pace = mean_flow_pace(&segment, goal.pace_window);
        let unbroken = mean_flow_pace(&observed, goal.pace_window);
        if progress.pace.as_ref().map(|p| p.from) != unbroken.as_ref().map(|p| p.from) {
            progress.pace_since_break = segment_start;
        }
    } else {
        if let Some(last) = observed.last() {
            progress.latest = Some(Anchor {
                period: last.period,
                value: last.value,
                t: year_fraction(last.period.start()),
            });
            progress.latest_status = Some(last.status);
        }
        progress.pace = least_squares_pace(&segment, goal.pace_window);
        let unbroken = least_squares_pace(&observed, goal.pace_window);
        if progress.pace.as_ref().map(|p| p.from) != unbroken.as_ref().map(|p| p.from) {
            progress.pace_since_break = segment_start;
        }
    }

    let Some(latest) = progress.latest else {
        return progress;
    };
    progress.baseline_across_break = breaks
        .iter()
        .copied()
        .filter(|b| *b > goal.baseline_period && *b <= latest.period)
        .max();
    let path = progress.path_at(latest.t);
    progress.path_at_latest = Some(path);
    let sign = match goal.direction {
        Direction::Down => 1.0,
        Direction::Up => -1.0,
    };
    progress.behind_path = Some(sign * (latest.value - path));
    if target.t > latest.t {
        progress.pace_needed_now = Some((target.value - latest.value) / (target.t - latest.t));
    }

    let reached = sign * (latest.value - target.value) <= 0.0;
    if reached {
        progress.status = Status::Reached;
        progress.projection = Projection::Reached;
        return progress;
    }
    let Some(pace) = progress.pace.as_ref().map(|p| p.per_year) else {
        return progress;
    };
    progress.pace_ratio = (required_pace != 0.0).then(|| pace / required_pace);
    progress.status = match progress.pace_ratio {
        Some(r) if r >= ON_TRACK_RATIO - RATIO_TOLERANCE => Status::OnTrack,
        Some(r) if r >= NEEDS_ACCELERATION_RATIO - RATIO_TOLERANCE => Status::NeedsAcceleration,
        Some(r) if r >= -RATIO_TOLERANCE => Status::LimitedProgress,
        Some(_) => Status::MovingAway,
        // Baseline equals target but the latest value is on the wrong side of it.
        None if sign * pace < 0.0 => Status::LimitedProgress,
        None => Status::MovingAway,
    };
    let toward = sign * pace < 0.0;
    progress.projection = if toward {
        let years = (target.value - latest.value) / pace;
        if years > MAX_PROJECTION_YEARS {
            Projection::Never
        } else {
            Projection::Year(year_reached(latest.t + years, goal.cumulative))
        }
    } else {
        Projection::Never
    };
    progress
}

/// The calendar year in which time `t` falls for a running total (reached during the year),
/// or the first 1-January count at or after `t` for a level.
fn year_reached(t: f64, cumulative: bool) -> i32 {
    // A small tolerance keeps exact year boundaries exact despite floating point.
    let ceil = (t - 1e-9).ceil() as i32;
    if cumulative { ceil - 1 } else { ceil }
}

/// One point of a cumulative goal's running total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunningTotal {
    /// The period added last.
    pub period: Period,
    /// The total after that period.
    pub value: f64,
    /// Status of that period's figure.
    pub status: ObservationStatus,
    /// Whether the total is only a lower bound (an earlier period was missing or filled).
    pub lower_bound: bool,
}

/// The running totals of a cumulative goal, year by year from the baseline period to the last
/// observed year within the goal, with the periods that were filled or missing.
pub fn running_totals(
    goal: &Goal,
    points: &[Point],
    lower_bound: &[Point],
) -> (Vec<RunningTotal>, Vec<Period>, Vec<Period>) {
    let first = goal.baseline_period.year();
    let last_target = goal.target_period.year();
    let yearly = |pts: &[Point], year: i32| {
        pts.iter()
            .find(|p| {
                p.period == Period::Year(year) && p.status.is_observed() && p.value.is_finite()
            })
            .copied()
    };
    let (mut totals, mut filled, mut missing) = (Vec::new(), Vec::new(), Vec::new());
    let Some(last_year) = points
        .iter()
        .filter(|p| p.period.is_year() && p.status.is_observed())
        .map(|p| p.period.year())
        .filter(|y| (first..=last_target).contains(y))
        .max()
    else {
        return (totals, filled, missing);
    };
    let mut total = goal.baseline_value;
    for year in first..=last_year {
        let status = if let Some(p) = yearly(points, year) {
            total += p.value;
            p.status
        } else if let Some(p) = yearly(lower_bound, year) {
            total += p.value;
            filled.push(Period::Year(year));
            p.status
        } else {
            missing.push(Period::Year(year));
            ObservationStatus::Final
        };
        totals.push(RunningTotal {
            period: Period::Year(year),
            value: total,
            status,
            lower_bound: !filled.is_empty() || !missing.is_empty(),
        });
    }
    (totals, filled, missing)
}

fn running_total(goal: &Goal, observed: &[Point], lower_bound: &[Point], progress: &mut Progress) {
    let (totals, filled, missing) = running_totals(goal, observed, lower_bound);
    progress.lower_bound_periods = filled;
    progress.missing_periods = missing;
    // The latest total is the last year with a figure of its own.
    if let Some(last) = totals
        .iter()
        .rev()
        .find(|r| !progress.missing_periods.contains(&r.period))
    {
        progress.latest = Some(Anchor {
            period: last.period,
            value: last.value,
            t: year_fraction(last.period.end()),
        });
        progress.latest_status = Some(last.status);
    }
}

fn window(observed: &[Point], size: u32) -> &[Point] {
    let size = (size.max(2) as usize).min(observed.len());
    &observed[observed.len() - size..]
}

fn least_squares_pace(observed: &[Point], size: u32) -> Option<Pace> {
    let win = window(observed, size);
    if win.len() < 2 {
        return None;
    }
    let n = win.len() as f64;
    let ts: Vec<f64> = win
        .iter()
        .map(|p| year_fraction(p.period.start()))
        .collect();
    let mean_t = ts.iter().sum::<f64>() / n;
    let mean_v = win.iter().map(|p| p.value).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for (t, p) in ts.iter().zip(win) {
        num += (t - mean_t) * (p.value - mean_v);
        den += (t - mean_t) * (t - mean_t);
    }
    (den > 0.0).then(|| Pace {
        per_year: num / den,
        from: win[0].period,
        to: win[win.len() - 1].period,
        observations: win.len() as u32,
        method: PaceMethod::LeastSquares,
    })
}

fn mean_flow_pace(observed: &[Point], size: u32) -> Option<Pace> {
    let years: Vec<Point> = observed
        .iter()
        .copied()
        .filter(|p| p.period.is_year())
        .collect();
    let win = window(&years, size);
    if win.len() < 2 {
        return None;
    }
    let mean = win.iter().map(|p| p.value).sum::<f64>() / win.len() as f64;
    Some(Pace {
        per_year: mean,
        from: win[0].period,
        to: win[win.len() - 1].period,
        observations: win.len() as u32,
        method: PaceMethod::MeanFlow,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Goal, GoalId, SeriesId};
    use ObservationStatus::*;

    fn pts(rows: &[(i32, f64, ObservationStatus)]) -> Vec<Point> {
        rows.iter()
            .map(|&(y, v, s)| Point {
                period: Period::Year(y),
                value: v,
                status: s,
            })
            .collect()
    }

    /// The real CBS figures (18-65, 1 January) from the first-run snapshot.
    fn homeless() -> Vec<Point> {
        pts(&[
            (2009, 17_800.0, Final),
            (2010, 23_300.0, Final),
            (2011, 24_400.0, Final),
            (2012, 27_300.0, Final),
            (2013, 24_800.0, Final),
            (2014, 26_900.0, Final),
            (2015, 31_000.0, Final),
            (2016, 30_500.0, Final),
            (2017, 34_500.0, Final),
            (2018, 39_300.0, Final),
            (2020, 36_400.0, Provisional),
            (2021, 32_000.0, Provisional),
            (2022, 26_600.0, Final),
            (2023, 30_600.0, Final),
            (2024, 33_000.0, Final),
        ])
    }

    fn zero_homelessness() -> Goal {
        Goal {
            id: GoalId::parse("zero-homelessness-2030").unwrap(),
            series: SeriesId::parse("homeless_people_18_65").unwrap(),
            baseline_period: Period::Year(2023),
            baseline_value: 30_600.0,
            target_period: Period::Year(2030),
            target_value: 0.0,
            direction: Direction::Down,
            cumulative: false,
            pace_window: 4,
            lower_bound_series: None,
            title_nl: String::new(),
            title_en: String::new(),
            commitment_nl: String::new(),
            commitment_en: String::new(),
            source_url: String::new(),
            note: String::new(),
        }
    }

    fn homes_900k() -> Goal {
        Goal {
            id: GoalId::parse("homes-900k-2030").unwrap(),
            series: SeriesId::parse("homes_added_total").unwrap(),
            baseline_period: Period::Year(2022),
            baseline_value: 0.0,
            target_period: Period::Year(2030),
            target_value: 900_000.0,
            direction: Direction::Up,
            cumulative: true,
            pace_window: 4,
            lower_bound_series: SeriesId::parse("new_build_homes").ok(),
            title_nl: String::new(),
            title_en: String::new(),
            commitment_nl: String::new(),
            commitment_en: String::new(),
            source_url: String::new(),
            note: String::new(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn zero_homelessness_on_real_figures_is_moving_away() {
        // Arrange
        let goal = zero_homelessness();
        // Act
        let p = evaluate(&goal, &homeless(), &[]);
        // Assert: 30,600 to 0 over 2023-2030 is -4,371.43 a year.
        assert!(close(p.required_pace, -30_600.0 / 7.0));
        let latest = p.latest.unwrap();
        assert_eq!(
            (latest.period, latest.value),
            (Period::Year(2024), 33_000.0)
        );
        // Least squares over 2021-2024 (32.0, 26.6, 30.6, 33.0 thousand): +700 a year.
        let pace = p.pace.clone().unwrap();
        assert_eq!(
            (pace.from, pace.to, pace.observations),
            (Period::Year(2021), Period::Year(2024), 4)
        );
        assert!(close(pace.per_year, 700.0), "{}", pace.per_year);
        assert_eq!(p.status, Status::MovingAway);
        assert_eq!(p.projection, Projection::Never);
        // The path stood at 26,228.57 on 1 January 2024: 6,771.43 behind.
        assert!(close(p.path_at_latest.unwrap(), 30_600.0 - 30_600.0 / 7.0));
        assert!(close(
            p.behind_path.unwrap(),
            33_000.0 - (30_600.0 - 30_600.0 / 7.0)
        ));
        // From 33,000 on 1 January 2024, zero by 1 January 2030 needs -5,500 a year.
        assert!(close(p.pace_needed_now.unwrap(), -5_500.0));
    }

    #[test]
    fn homes_900k_on_real_figures_needs_acceleration() {
        // Arrange: 2022 and 2024 total additions; 2023 only known as new-build (a lower bound);
        // 2025 is a forecast and must not count.
        let goal = homes_900k();
        let added = pts(&[
            (2022, 90_000.0, Rounded),
            (2024, 82_400.0, Final),
            (2025, 77_600.0, Forecast),
        ]);
        let new_build = pts(&[
            (2022, 74_000.0, Rounded),
            (2023, 73_300.0, Rounded),
            (2024, 69_000.0, Rounded),
        ]);
        // Act
        let p = evaluate(&goal, &added, &new_build);
        // Assert: 900,000 over 2022-2030 (nine years) is 100,000 a year.
        assert!(close(p.required_pace, 100_000.0));
        let latest = p.latest.unwrap();
        assert_eq!(latest.period, Period::Year(2024));
        assert!(close(latest.value, 245_700.0));
        assert_eq!(p.lower_bound_periods, vec![Period::Year(2023)]);
        assert!(p.missing_periods.is_empty() && p.is_lower_bound());
        assert!(close(p.path_at_latest.unwrap(), 300_000.0));
        assert!(close(p.behind_path.unwrap(), 54_300.0));
        // Mean of the observed years 2022 and 2024.
        let pace = p.pace.clone().unwrap();
        assert!(close(pace.per_year, 86_200.0));
        assert_eq!(
            (pace.from, pace.to, pace.observations),
            (Period::Year(2022), Period::Year(2024), 2)
        );
        assert!(close(p.pace_ratio.unwrap(), 0.862));
        assert_eq!(p.status, Status::NeedsAcceleration);
        // 654,300 still to go at 86,200 a year from the end of 2024: reached during 2032.
        assert_eq!(p.projection, Projection::Year(2032));
        assert!(close(p.pace_needed_now.unwrap(), 654_300.0 / 6.0));
    }

    #[test]
    fn a_missing_year_without_lower_bound_is_reported() {
        let mut goal = homes_900k();
        goal.lower_bound_series = None;
        let added = pts(&[(2022, 90_000.0, Rounded), (2024, 82_400.0, Final)]);
        let p = evaluate(&goal, &added, &[]);
        assert_eq!(p.missing_periods, vec![Period::Year(2023)]);
        assert!(close(p.latest.unwrap().value, 172_400.0));
    }

    #[test]
    fn status_thresholds_follow_the_share_of_required_pace() {
        // Arrange: a straight fall at a chosen share of the required -4,371.43 a year.
        let goal = zero_homelessness();
        let at_share = |share: f64| {
            let pace = share * -30_600.0 / 7.0;
            let pts: Vec<Point> = (2023..=2026)
                .map(|y| Point {
                    period: Period::Year(y),
                    value: 30_600.0 + pace * f64::from(y - 2023),
                    status: Final,
                })
                .collect();
            evaluate(&goal, &pts, &[]).status
        };
        // Act / Assert
        assert_eq!(at_share(1.2), Status::OnTrack);
        assert_eq!(at_share(0.95), Status::OnTrack);
        assert_eq!(at_share(0.94), Status::NeedsAcceleration);
        assert_eq!(at_share(0.60), Status::NeedsAcceleration);
        assert_eq!(at_share(0.59), Status::LimitedProgress);
        assert_eq!(at_share(0.0), Status::LimitedProgress);
        assert_eq!(at_share(-0.1), Status::MovingAway);
    }

    #[test]
    fn a_zero_target_projects_the_year_it_is_reached() {
        // Falling 5,000 a year from 30,600 (2023): 0 crossed during 2029, first zero count 2030.
        let goal = zero_homelessness();
        let pts = pts(&[
            (2023, 30_600.0, Final),
            (2024, 25_600.0, Final),
            (2025, 20_600.0, Final),
        ]);
        let p = evaluate(&goal, &pts, &[]);
        assert_eq!(p.status, Status::OnTrack);
        assert_eq!(p.projection, Projection::Year(2030));
    }

    #[test]
    fn reaching_zero_is_reported_as_reached() {
        let goal = zero_homelessness();
        let pts = pts(&[(2029, 1_000.0, Final), (2030, 0.0, Final)]);
        let p = evaluate(&goal, &pts, &[]);
        assert_eq!(p.status, Status::Reached);
        assert_eq!(p.projection, Projection::Reached);
    }

    #[test]
    fn one_observation_gives_no_pace() {
        let goal = zero_homelessness();
        let p = evaluate(&goal, &pts(&[(2024, 33_000.0, Final)]), &[]);
        assert_eq!(p.status, Status::InsufficientData);
        assert_eq!(p.projection, Projection::Unknown);
        assert!(p.latest.is_some());
    }

    #[test]
    fn no_observations_give_no_latest() {
        let p = evaluate(&zero_homelessness(), &[], &[]);
        assert!(p.latest.is_none());
        assert_eq!(p.status, Status::InsufficientData);
    }

    #[test]
    fn the_pace_window_stops_at_a_break() {
        // Arrange: a window of six would reach back to 2016; the 2018|2020 break cuts it at 2020.
        let mut goal = zero_homelessness();
        goal.pace_window = 6;
        // Act
        let p = evaluate_with_breaks(
            &goal,
            &homeless(),
            &[],
            &[Period::Year(2010), Period::Year(2020)],
        );
        // Assert
        let pace = p.pace.clone().unwrap();
        assert_eq!(
            (pace.from, pace.to, pace.observations),
            (Period::Year(2020), Period::Year(2024), 5)
        );
        assert_eq!(p.pace_since_break, Some(Period::Year(2020)));
        // 2020-2024 least squares: 36.4, 32.0, 26.6, 30.6, 33.0 thousand: -820 a year.
        assert!(close(pace.per_year, -820.0), "{}", pace.per_year);
        assert_eq!(p.status, Status::LimitedProgress);
        assert_eq!(
            p.baseline_across_break, None,
            "the 2023 baseline is after the break"
        );
    }

    #[test]
    fn a_window_inside_one_segment_is_not_marked() {
        let p = evaluate_with_breaks(
            &zero_homelessness(),
            &homeless(),
            &[],
            &[Period::Year(2020)],
        );
        assert_eq!(p.pace_since_break, None);
        assert!(close(p.pace.unwrap().per_year, 700.0));
    }

    #[test]
    fn a_baseline_before_a_break_is_reported() {
        let mut goal = zero_homelessness();
        goal.baseline_period = Period::Year(2018);
        goal.baseline_value = 39_300.0;
        let p = evaluate_with_breaks(&goal, &homeless(), &[], &[Period::Year(2020)]);
        assert_eq!(p.baseline_across_break, Some(Period::Year(2020)));
    }

    #[test]
    fn a_crawling_pace_projects_never() {
        let goal = zero_homelessness();
        let pts = pts(&[(2023, 30_600.0, Final), (2024, 30_599.0, Final)]);
        assert_eq!(evaluate(&goal, &pts, &[]).projection, Projection::Never);
    }
}
