//! The sentence Koers writes about each goal: where the figure stands, the path required, the
//! recent pace with its window, the verdict and the projection. The same text is the chart's
//! text alternative (`<desc>`), so it must stand on its own.

use crate::format::{format_count, format_date, format_period, format_signed, format_value};
use crate::{Locale, t, t_args};
use domain::progress::PaceMethod;
use domain::{Period, Progress, Projection, SeriesMeta, Status, Unit};

/// The label of a goal status ("Op koers", "Moving away from the goal").
pub fn status_label(locale: Locale, status: Status) -> String {
    t(locale, &format!("status-{}", status.as_str()))
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn periods_list(locale: Locale, periods: &[Period]) -> String {
    periods
        .iter()
        .map(|p| format_period(locale, *p))
        .collect::<Vec<_>>()
        .join(", ")
}

fn yes(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

/// What happened since the figure before the latest one (levels only).
#[derive(Debug, Clone, PartialEq)]
pub struct LatestChange {
    /// The period of the previous figure (not across a break).
    pub previous: Period,
    /// Latest minus previous.
    pub delta: f64,
    /// Both figures have published margins, and they overlap.
    pub within_margin: bool,
    /// The publisher's own remark on this change, in the page's language.
    pub note: Option<String>,
}

/// The full progress text for a goal on `series`, in one language.
pub fn progress_sentence(locale: Locale, progress: &Progress, series: &SeriesMeta) -> String {
    goal_sentence(locale, progress, series, None)
}

/// The full progress text, with what is known about the latest change: the publisher's remark
/// wins, then the margins; only then is the change called more or fewer.
pub fn goal_sentence(
    locale: Locale,
    progress: &Progress,
    series: &SeriesMeta,
    change: Option<&LatestChange>,
) -> String {
    let Some(latest) = progress.latest else {
        return t(locale, "sentence-no-data");
    };
    let percent = series.unit == Unit::Percent;
    let value = |v: f64| format_value(locale, v, percent);
    let what = lower_first(series.title(locale.is_dutch()));
    let mut parts = Vec::new();

    if progress.cumulative {
        let mut total = value(latest.value);
        if progress.is_lower_bound() {
            total = format!("{} {total}", t(locale, "lower-bound"));
        }
        parts.push(t_args(
            locale,
            "sentence-latest-cumulative",
            &[
                ("from", format_period(locale, progress.baseline.period)),
                ("to", format_period(locale, latest.period)),
                ("value", total),
                ("what", what),
            ],
        ));
        if !progress.lower_bound_periods.is_empty() {
            let periods = periods_list(locale, &progress.lower_bound_periods);
            parts.push(t_args(
                locale,
                "sentence-lower-bound",
                &[("periods", periods)],
            ));
        }
        if !progress.missing_periods.is_empty() {
            let periods = periods_list(locale, &progress.missing_periods);
            parts.push(t_args(locale, "sentence-missing", &[("periods", periods)]));
        }
    } else {
        parts.push(t_args(
            locale,
            "sentence-latest-level",
            &[
                ("date", format_date(locale, latest.period.start())),
                ("value", value(latest.value)),
                ("what", what),
            ],
        ));
        if let Some(c) = change {
            let previous = format_date(locale, c.previous.start());
            parts.push(match (&c.note, c.within_margin) {
                (Some(note), _) => t_args(
                    locale,
                    "sentence-change-note",
                    &[("previous", previous), ("note", note.clone())],
                ),
                (None, true) => t_args(
                    locale,
                    "sentence-change-within-margin",
                    &[("previous", previous)],
                ),
                (None, false) => {
                    let direction = if c.delta > 0.0 {
                        "up"
                    } else if c.delta < 0.0 {
                        "down"
                    } else {
                        "same"
                    };
                    t_args(
                        locale,
                        "sentence-change",
                        &[
                            ("direction", direction.to_owned()),
                            ("delta", value(c.delta.abs())),
                            ("previous", previous),
                        ],
                    )
                }
            });
        }
    }
    let caveat = series.caveat(locale.is_dutch());

    let target = value(progress.target.value);
    if progress.status == Status::Reached {
        parts.push(t_args(locale, "sentence-reached", &[("target", target)]));
        if !caveat.is_empty() {
            parts.push(caveat.to_owned());
        }
        return parts.join(" ");
    }

    let down = progress.direction == domain::Direction::Down;
    let behind = progress.behind_path.unwrap_or(0.0);
    parts.push(t_args(
        locale,
        "sentence-path",
        &[
            ("cumulative", yes(progress.cumulative)),
            ("target", target.clone()),
            ("year", progress.target.period.year().to_string()),
            ("pace", format_count(locale, progress.required_pace.abs())),
            ("baseline", value(progress.baseline.value)),
            (
                "baseline_year",
                format_period(locale, progress.baseline.period),
            ),
            ("gap", format_count(locale, behind.abs())),
            ("behind", yes(behind > 0.0)),
            ("down", yes(down)),
        ],
    ));

    match (&progress.pace, progress.status) {
        (Some(pace), status) if status != Status::InsufficientData => {
            let target_year = progress.target.period.year();
            let (projection, year, years) = match progress.projection {
                Projection::Year(y) if y > target_year => ("late", y, y - target_year),
                Projection::Year(y) if y < target_year => ("early", y, 0),
                Projection::Year(y) => ("ontime", y, 0),
                _ => ("never", 0, 0),
            };
            let pace_text = if pace.method == PaceMethod::MeanFlow {
                format_count(locale, pace.per_year)
            } else {
                format_signed(locale, pace.per_year)
            };
            parts.push(t_args(
                locale,
                "sentence-pace",
                &[
                    (
                        "method",
                        if pace.method == PaceMethod::MeanFlow {
                            "mean"
                        } else {
                            "trend"
                        }
                        .to_owned(),
                    ),
                    ("from", format_period(locale, pace.from)),
                    ("to", format_period(locale, pace.to)),
                    ("pace", pace_text),
                    ("status", status.as_str().to_owned()),
                    (
                        "ratio",
                        format_count(locale, progress.pace_ratio.unwrap_or(0.0) * 100.0),
                    ),
                    ("projection", projection.to_owned()),
                    ("target", target),
                    ("year", year.to_string()),
                    ("years", years.to_string()),
                ],
            ));
            if status != Status::OnTrack
                && let Some(needed) = progress.pace_needed_now
            {
                let needed = if progress.cumulative {
                    format_count(locale, needed)
                } else {
                    format_signed(locale, needed)
                };
                parts.push(t_args(locale, "sentence-needed", &[("pace", needed)]));
            }
        }
        _ => parts.push(t(locale, "sentence-insufficient")),
    }
    if let Some(period) = progress.pace_since_break {
        parts.push(t_args(
            locale,
            "sentence-pace-since-break",
            &[("period", format_period(locale, period))],
        ));
    }
    if let Some(period) = progress.baseline_across_break {
        parts.push(t_args(
            locale,
            "sentence-baseline-break",
            &[("period", format_period(locale, period))],
        ));
    }
    if !caveat.is_empty() {
        parts.push(caveat.to_owned());
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::progress::{Point, evaluate};
    use domain::{Direction, Goal, GoalId, Measure, ObservationStatus::*, SeriesId};

    fn meta(id: &str, nl: &str, en: &str, unit: Unit) -> SeriesMeta {
        SeriesMeta {
            id: SeriesId::parse(id).unwrap(),
            title_nl: nl.into(),
            title_en: en.into(),
            description_nl: String::new(),
            description_en: String::new(),
            unit,
            measure: Measure::Level,
            producer: "CBS".into(),
            table_id: None,
            source_url: String::new(),
            licence: String::new(),
            licence_url: String::new(),
            source: None,
            caveat_nl: String::new(),
            caveat_en: String::new(),
        }
    }

    fn homeless_progress() -> Progress {
        let goal = Goal {
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
        };
        let pts: Vec<Point> = [
            (2021, 32_000.0),
            (2022, 26_600.0),
            (2023, 30_600.0),
            (2024, 33_000.0),
        ]
        .into_iter()
        .map(|(y, v)| Point {
            period: Period::Year(y),
            value: v,
            status: Final,
        })
        .collect();
        evaluate(&goal, &pts, &[])
    }

    #[test]
    fn zero_homelessness_sentence_in_english_states_everything() {
        // Arrange
        let p = homeless_progress();
        let m = meta(
            "homeless_people_18_65",
            "Dakloze mensen (18 tot 65 jaar)",
            "Homeless people (aged 18 to 65)",
            Unit::Persons,
        );
        // Act
        let text = progress_sentence(Locale::En, &p, &m);
        // Assert
        assert_eq!(
            text,
            "On 1 January 2024 there were 33,000 homeless people (aged 18 to 65). \
             Reaching 0 in 2030 takes a fall of 4,371 a year from the 2023 baseline of 30,600; \
             the figure is now 6,771 above that path. \
             At the pace of 2021-2024 (+700 a year) the figure is moving away from the goal, \
             and 0 would never be reached at this pace. \
             To still reach the goal, \u{2212}5,500 a year is needed from now on."
        );
    }

    #[test]
    fn zero_homelessness_sentence_in_dutch_uses_dutch_numbers() {
        let p = homeless_progress();
        let m = meta(
            "homeless_people_18_65",
            "Dakloze mensen (18 tot 65 jaar)",
            "Homeless people (aged 18 to 65)",
            Unit::Persons,
        );
        let text = progress_sentence(Locale::Nl, &p, &m);
        assert!(
            text.starts_with("Op 1 januari 2024 waren er 33.000 dakloze mensen (18 tot 65 jaar)."),
            "{text}"
        );
        assert!(text.contains("met 4.371 per jaar dalen"), "{text}");
        assert!(text.contains("6.771 boven dat pad"), "{text}");
        assert!(
            text.contains("beweegt het cijfer van het doel af"),
            "{text}"
        );
    }

    #[test]
    fn housing_sentence_states_the_lower_bound_and_the_late_year() {
        // Arrange: the real figures (2023 only known as new-build).
        let goal = Goal {
            id: GoalId::parse("homes-900k-2030").unwrap(),
            series: SeriesId::parse("homes_added_total").unwrap(),
            baseline_period: Period::Year(2022),
            baseline_value: 0.0,
            target_period: Period::Year(2030),
            target_value: 900_000.0,
            direction: Direction::Up,
            cumulative: true,
            pace_window: 4,
            lower_bound_series: None,
            title_nl: String::new(),
            title_en: String::new(),
            commitment_nl: String::new(),
            commitment_en: String::new(),
            source_url: String::new(),
            note: String::new(),
        };
        let pt = |y, v, s| Point {
            period: Period::Year(y),
            value: v,
            status: s,
        };
        let p = evaluate(
            &goal,
            &[pt(2022, 90_000.0, Rounded), pt(2024, 82_400.0, Final)],
            &[pt(2023, 73_300.0, Rounded)],
        );
        let m = meta(
            "homes_added_total",
            "Woningen toegevoegd",
            "Homes added",
            Unit::Dwellings,
        );
        // Act
        let text = progress_sentence(Locale::En, &p, &m);
        // Assert
        assert!(
            text.starts_with("From 2022 to 2024: at least 245,700 homes added."),
            "{text}"
        );
        assert!(text.contains("For 2023 only new-build is known"), "{text}");
        assert!(
            text.contains(
                "takes 100,000 a year from 2022 on; the total is 54,300 behind that path"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "At the 2022-2024 average (86,200 a year) it needs to speed up: that is 86 percent"
            ),
            "{text}"
        );
        assert!(
            text.contains("900,000 would be reached in 2032, 2 years after the goal"),
            "{text}"
        );
    }
}
