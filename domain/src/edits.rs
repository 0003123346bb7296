//! What editors change in the console, checked before anything is stored: a goal's baseline
//! and target, and policy events. Each check names the form field it concerns, so the console
//! can link an error summary to the fields; nothing here knows about HTML or languages (the
//! console translates a [`Problem`] by its [`Problem::key`]).

use crate::{Direction, Event, Goal, Period, SeriesId};
use serde::{Deserialize, Serialize};
use time::Date;

/// Longest title of an event, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest remark on a goal or reason for a change, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Longest URL, in characters.
pub const MAX_URL_CHARS: usize = 2_000;
/// Longest number typed into a form, in characters.
const MAX_NUMBER_CHARS: usize = 30;

/// What is wrong with one field. `Display` is the English text (logs, tests); the console shows
/// the translation of [`Problem::key`] with [`Problem::args`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Nothing was filled in.
    #[error("this field is required")]
    Required,
    /// Longer than allowed.
    #[error("this text is longer than {0} characters")]
    TooLong(usize),
    /// A line break or control character where one line is expected.
    #[error("this text may not contain line breaks or control characters")]
    ControlCharacters,
    /// Not a plain number.
    #[error(
        "{0:?} is not a number: write digits with at most one decimal separator, without thousands separators"
    )]
    NotANumber(String),
    /// A separator followed by exactly three digits: a thousands separator or a decimal one?
    #[error(
        "{0:?} is ambiguous: write it without a thousands separator (30600) or without the trailing zero (30.6)"
    )]
    AmbiguousNumber(String),
    /// Not a period Koers knows.
    #[error("{0:?} is not a period: write 2030, 2030-Q1, 2030-01, 2030-H1, 2012/13 or 2030-01-01")]
    BadPeriod(String),
    /// The target period does not come after the baseline period.
    #[error("the target period must come after the baseline period ({0})")]
    TargetNotAfterBaseline(String),
    /// A goal that wants fewer needs a target below its baseline, and the other way round.
    #[error("the target must be {0} the baseline value for this goal")]
    TargetWrongSide(String),
    /// A cumulative goal counts from zero.
    #[error("a cumulative goal counts from 0: its baseline value must be 0")]
    CumulativeBaselineNotZero,
    /// Not a valid calendar date.
    #[error("{0:?} is not a date: write YYYY-MM-DD, for example 2026-11-24")]
    BadDate(String),
    /// Not an http(s) URL.
    #[error("{0:?} is not a web address starting with https:// or http://")]
    BadUrl(String),
    /// A series Koers does not have.
    #[error("there is no series {0:?}")]
    UnknownSeries(String),
    /// Not a valid identifier.
    #[error(
        "{0:?} is not a valid id: use lower-case letters, digits and '_', starting with a letter"
    )]
    BadId(String),
    /// The identifier is in use.
    #[error("{0:?} is taken")]
    Taken(String),
    /// Not one of the offered choices.
    #[error("{0:?} is not one of the choices")]
    BadChoice(String),
    /// The values are the ones already in force.
    #[error("nothing was changed")]
    Unchanged,
    /// Someone else saved a newer version since the form was opened.
    #[error("the goal was changed meanwhile (now version {0}); reload and try again")]
    Stale(i64),
}

impl Problem {
    /// The message key suffix (`form-problem-<key>`).
    pub fn key(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong(_) => "too-long",
            Self::ControlCharacters => "control-characters",
            Self::NotANumber(_) => "not-a-number",
            Self::AmbiguousNumber(_) => "ambiguous-number",
            Self::BadPeriod(_) => "bad-period",
            Self::TargetNotAfterBaseline(_) => "target-not-after-baseline",
            Self::TargetWrongSide(_) => "target-wrong-side",
            Self::CumulativeBaselineNotZero => "cumulative-baseline",
            Self::BadDate(_) => "bad-date",
            Self::BadUrl(_) => "bad-url",
            Self::UnknownSeries(_) => "unknown-series",
            Self::BadId(_) => "bad-id",
            Self::Taken(_) => "taken",
            Self::BadChoice(_) => "bad-choice",
            Self::Unchanged => "unchanged",
            Self::Stale(_) => "stale",
        }
    }

    /// The message arguments (`value`, `max`, `side`, `version`).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::TooLong(max) => vec![("max", max.to_string())],
            Self::NotANumber(v)
            | Self::AmbiguousNumber(v)
            | Self::BadPeriod(v)
            | Self::TargetNotAfterBaseline(v)
            | Self::BadDate(v)
            | Self::BadUrl(v)
            | Self::UnknownSeries(v)
            | Self::BadId(v)
            | Self::Taken(v)
            | Self::BadChoice(v) => vec![("value", v.clone())],
            Self::TargetWrongSide(side) => vec![("side", side.clone())],
            Self::Stale(version) => vec![("version", version.to_string())],
            Self::Required
            | Self::ControlCharacters
            | Self::CumulativeBaselineNotZero
            | Self::Unchanged => Vec::new(),
        }
    }
}

/// A problem with the form field named `field` (the input's `name`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    /// The input's `name`.
    pub field: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

/// The value of a field, or `None` after recording its problem.
pub fn take<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    r: Result<T, Problem>,
) -> Option<T> {
    r.map_err(|p| errors.push(FieldError::new(field, p))).ok()
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// The editable part of a goal: baseline, target and the remark on how they were chosen.
/// Every change of these is kept as a numbered version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalTargets {
    /// Period of the baseline (cumulative goals: first period counted).
    pub baseline_period: Period,
    /// Value at the baseline.
    pub baseline_value: f64,
    /// Period of the target (cumulative goals: last period counted).
    pub target_period: Period,
    /// Target value.
    pub target_value: f64,
    /// Remarks on the choice of baseline and target.
    pub note: String,
}

impl Goal {
    /// The goal's editable part.
    pub fn targets(&self) -> GoalTargets {
        GoalTargets {
            baseline_period: self.baseline_period,
            baseline_value: self.baseline_value,
            target_period: self.target_period,
            target_value: self.target_value,
            note: self.note.clone(),
        }
    }

    /// The goal with another editable part (a version of it).
    pub fn with_targets(mut self, t: &GoalTargets) -> Self {
        self.baseline_period = t.baseline_period;
        self.baseline_value = t.baseline_value;
        self.target_period = t.target_period;
        self.target_value = t.target_value;
        self.note.clone_from(&t.note);
        self
    }
}

/// The goal form as submitted: raw text per field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GoalForm {
    /// Baseline period text.
    #[serde(default)]
    pub baseline_period: String,
    /// Baseline value text.
    #[serde(default)]
    pub baseline_value: String,
    /// Target period text.
    #[serde(default)]
    pub target_period: String,
    /// Target value text.
    #[serde(default)]
    pub target_value: String,
    /// Remark on the choice.
    #[serde(default)]
    pub note: String,
    /// Why the goal changes (kept with the version).
    #[serde(default)]
    pub reason: String,
    /// The version the form was opened on (guards against overwriting a newer one).
    #[serde(default)]
    pub version: String,
}

/// A checked goal change.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalEdit {
    /// The new editable part.
    pub targets: GoalTargets,
    /// Why.
    pub reason: String,
    /// The version the editor saw.
    pub based_on: i64,
}

/// Checks a goal form against the goal as it is now (version `current_version`). Every
/// problem is reported, not just the first.
pub fn check_goal_form(
    form: &GoalForm,
    goal: &Goal,
    current_version: i64,
) -> Result<GoalEdit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let baseline_period = take(
        &mut errors,
        "baseline_period",
        parse_period(&form.baseline_period),
    );
    let baseline_value = take(
        &mut errors,
        "baseline_value",
        parse_decimal(&form.baseline_value),
    );
    let target_period = take(
        &mut errors,
        "target_period",
        parse_period(&form.target_period),
    );
    let target_value = take(
        &mut errors,
        "target_value",
        parse_decimal(&form.target_value),
    );
    let note = take(
        &mut errors,
        "note",
        text(&form.note, MAX_TEXT_CHARS, false, true),
    );
    let reason = take(
        &mut errors,
        "reason",
        text(&form.reason, MAX_TEXT_CHARS, true, true),
    );
    let based_on = form
        .version
        .trim()
        .parse::<i64>()
        .unwrap_or(current_version);
    if let (Some(b), Some(t)) = (baseline_period, target_period)
        && t.start() < b.end()
    {
        errors.push(FieldError::new(
            "target_period",
            Problem::TargetNotAfterBaseline(b.to_string()),
        ));
    }
    if let Some(v) = baseline_value
        && goal.cumulative
        && v != 0.0
    {
        errors.push(FieldError::new(
            "baseline_value",
            Problem::CumulativeBaselineNotZero,
        ));
    }
    if let (Some(b), Some(t)) = (baseline_value, target_value) {
        let (ok, side) = match goal.direction {
            Direction::Down => (t < b, "below"),
            Direction::Up => (t > b, "above"),
        };
        if !ok {
            errors.push(FieldError::new(
                "target_value",
                Problem::TargetWrongSide(side.to_owned()),
            ));
        }
    }
    if based_on != current_version {
        errors.push(FieldError::new("version", Problem::Stale(current_version)));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (
        Some(baseline_period),
        Some(baseline_value),
        Some(target_period),
        Some(target_value),
        Some(note),
        Some(reason),
    ) = (
        baseline_period,
        baseline_value,
        target_period,
        target_value,
        note,
        reason,
    )
    else {
        return Err(vec![FieldError::new("reason", Problem::Required)]);
    };
    let targets = GoalTargets {
        baseline_period,
        baseline_value,
        target_period,
        target_value,
        note,
    };
    if targets == goal.targets() {
        return Err(vec![FieldError::new("baseline_period", Problem::Unchanged)]);
    }
    Ok(GoalEdit {
        targets,
        reason,
        based_on,
    })
}

/// The event form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventForm {
    /// Date text (`YYYY-MM-DD`).
    #[serde(default)]
    pub date: String,
    /// Dutch title.
    #[serde(default)]
    pub title_nl: String,
    /// English title.
    #[serde(default)]
    pub title_en: String,
    /// Where to read about it.
    #[serde(default)]
    pub url: String,
    /// Series id, or empty for every series.
    #[serde(default)]
    pub series: String,
}

/// Checks an event form; `known` lists the series an event may concern. `id` is the event's
/// id when editing, or a new one from [`event_id`] when adding.
pub fn check_event_form(
    form: &EventForm,
    known: &[SeriesId],
    id: String,
) -> Result<Event, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = take(&mut errors, "date", parse_date(&form.date));
    let title_nl = take(
        &mut errors,
        "title_nl",
        text(&form.title_nl, MAX_TITLE_CHARS, true, false),
    );
    let title_en = take(
        &mut errors,
        "title_en",
        text(&form.title_en, MAX_TITLE_CHARS, true, false),
    );
    let url = take(&mut errors, "url", parse_url(&form.url));
    let series = take(
        &mut errors,
        "series",
        match form.series.trim() {
            "" => Ok(None),
            raw => SeriesId::parse(raw)
                .ok()
                .filter(|id| known.contains(id))
                .map(Some)
                .ok_or_else(|| Problem::UnknownSeries(clip(raw))),
        },
    );
    match (date, title_nl, title_en, url, series) {
        (Some(date), Some(title_nl), Some(title_en), Some(url), Some(series))
            if errors.is_empty() =>
        {
            Ok(Event {
                id,
                date,
                title_nl,
                title_en,
                url,
                series,
            })
        }
        _ => Err(errors),
    }
}

/// A new event's id: the title as lower-case words joined by `-` (at most 40 characters),
/// then the year, then `-2`, `-3`... when that id is `taken`.
pub fn event_id(title: &str, date: Date, taken: &[String]) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à'..='å' => 'a',
            'è'..='ë' => 'e',
            'ì'..='ï' => 'i',
            'ò'..='ö' => 'o',
            'ù'..='ü' => 'u',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.starts_with(|c: char| c.is_ascii_lowercase()) {
        slug.to_owned()
    } else {
        format!("event-{slug}").trim_end_matches('-').to_owned()
    };
    let base = format!("{slug}-{}", date.year());
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// The start of a rejected input, for a message.
pub fn clip(raw: &str) -> String {
    raw.trim().chars().take(60).collect()
}

/// A required or optional text: trimmed, at most `max` characters; `multiline` allows line
/// breaks (never other control characters).
pub fn text(raw: &str, max: usize, required: bool, multiline: bool) -> Result<String, Problem> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(Problem::Required);
    }
    if value.chars().count() > max {
        return Err(Problem::TooLong(max));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(Problem::ControlCharacters);
    }
    Ok(value.replace("\r\n", "\n"))
}

/// A period in Koers's form (`2030`, `2030-Q1`...) or a CBS code (`2030JJ00`).
pub fn parse_period(raw: &str) -> Result<Period, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    Period::parse(value)
        .or_else(|_| Period::parse_cbs(value))
        .map_err(|_| Problem::BadPeriod(clip(value)))
}

/// A number typed by a person: digits, an optional leading minus, at most one decimal
/// separator (`.` or `,`). Thousands separators are refused, and a separator followed by
/// exactly three digits (`30.600`: thirty thousand six hundred in Dutch, 30.6 in English) is
/// refused as ambiguous rather than guessed.
pub fn parse_decimal(raw: &str) -> Result<f64, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let bad = || Problem::NotANumber(clip(value));
    if value.chars().count() > MAX_NUMBER_CHARS {
        return Err(bad());
    }
    let unsigned = value
        .strip_prefix('-')
        .or_else(|| value.strip_prefix('\u{2212}'))
        .unwrap_or(value);
    let negative = unsigned.len() != value.len();
    let (int, frac) = match unsigned.find(['.', ',']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return Err(bad());
    }
    if let Some(f) = frac
        && f.len() == 3
        && int.len() <= 3
        && int != "0"
    {
        return Err(Problem::AmbiguousNumber(clip(value)));
    }
    let text = match frac {
        Some(f) => format!("{}{int}.{f}", if negative { "-" } else { "" }),
        None => format!("{}{int}", if negative { "-" } else { "" }),
    };
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(bad)
}

/// An ISO date (`2026-11-24`) between 1800 and 2200.
pub fn parse_date(raw: &str) -> Result<Date, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value, &format)
        .ok()
        .filter(|d| (1800..=2200).contains(&d.year()))
        .ok_or_else(|| Problem::BadDate(clip(value)))
}

/// An absolute `http://` or `https://` address with a host and no spaces.
pub fn parse_url(raw: &str) -> Result<String, Problem> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    if value.chars().count() > MAX_URL_CHARS {
        return Err(Problem::TooLong(MAX_URL_CHARS));
    }
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or_default());
    let ok = host.is_some_and(|h| {
        !h.is_empty()
            && !h.starts_with(['.', '-', ':'])
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]@_%".contains(c))
            && h.rsplit('@').next().is_some_and(|h| !h.is_empty())
    }) && !value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    if ok {
        Ok(value.to_owned())
    } else {
        Err(Problem::BadUrl(clip(value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GoalId;
    use proptest::prelude::*;

    fn goal() -> Goal {
        Goal {
            id: GoalId::parse("zero-homelessness-2030").unwrap(),
            title_nl: "Geen dakloosheid".into(),
            title_en: "No homelessness".into(),
            series: SeriesId::parse("homeless_people_18_65").unwrap(),
            baseline_period: Period::Year(2023),
            baseline_value: 30_600.0,
            target_period: Period::Year(2030),
            target_value: 0.0,
            direction: Direction::Down,
            cumulative: false,
            pace_window: 4,
            lower_bound_series: None,
            commitment_nl: String::new(),
            commitment_en: String::new(),
            source_url: String::new(),
            note: "baseline".into(),
        }
    }

    fn form(baseline: &str, value: &str, target: &str, target_value: &str) -> GoalForm {
        GoalForm {
            baseline_period: baseline.into(),
            baseline_value: value.into(),
            target_period: target.into(),
            target_value: target_value.into(),
            note: "baseline".into(),
            reason: "new count".into(),
            version: "1".into(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field, e.problem.key())).collect()
    }

    #[test]
    fn a_valid_goal_form_becomes_an_edit() {
        // Act
        let edit = check_goal_form(&form("2024", "33000", "2030", "0"), &goal(), 1).unwrap();
        // Assert
        assert_eq!(edit.targets.baseline_period, Period::Year(2024));
        assert_eq!(edit.targets.baseline_value, 33_000.0);
        assert_eq!(edit.reason, "new count");
        assert_eq!(edit.based_on, 1);
    }

    #[test]
    fn every_problem_of_a_goal_form_is_reported() {
        let errors = check_goal_form(&form("2023x", "lots", "", "1e5"), &goal(), 1).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("baseline_period", "bad-period"),
                ("baseline_value", "not-a-number"),
                ("target_period", "required"),
                ("target_value", "not-a-number"),
            ]
        );
    }

    #[test]
    fn the_target_must_come_after_the_baseline_and_on_the_right_side() {
        let errors = check_goal_form(&form("2030", "100", "2030", "200"), &goal(), 1).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("target_period", "target-not-after-baseline"),
                ("target_value", "target-wrong-side")
            ]
        );
        // A quarter inside the baseline year does not come after it either.
        let errors = check_goal_form(&form("2023", "1", "2023-Q4", "0"), &goal(), 1).unwrap_err();
        assert_eq!(
            fields(&errors),
            [("target_period", "target-not-after-baseline")]
        );
    }

    #[test]
    fn cumulative_goals_count_from_zero() {
        let mut g = goal();
        g.cumulative = true;
        g.direction = Direction::Up;
        let errors = check_goal_form(&form("2022", "5", "2030", "900000"), &g, 1).unwrap_err();
        assert_eq!(fields(&errors), [("baseline_value", "cumulative-baseline")]);
    }

    #[test]
    fn an_unchanged_or_stale_form_is_refused() {
        let same = check_goal_form(&form("2023", "30600", "2030", "0"), &goal(), 1).unwrap_err();
        assert_eq!(fields(&same), [("baseline_period", "unchanged")]);
        let stale = check_goal_form(&form("2024", "33000", "2030", "0"), &goal(), 2).unwrap_err();
        assert_eq!(stale[0].problem, Problem::Stale(2));
    }

    #[test]
    fn numbers_are_plain_and_unambiguous() {
        assert_eq!(parse_decimal("30600"), Ok(30_600.0));
        assert_eq!(parse_decimal(" 12,5 "), Ok(12.5));
        assert_eq!(parse_decimal("-0.125"), Ok(-0.125));
        assert_eq!(parse_decimal("0,125"), Ok(0.125));
        assert_eq!(parse_decimal("1234.567"), Ok(1234.567));
        assert_eq!(
            parse_decimal("30.600"),
            Err(Problem::AmbiguousNumber("30.600".into()))
        );
        for bad in [
            "1.234.567",
            "1 000",
            "NaN",
            "inf",
            "1e3",
            "12,5.0",
            ".5",
            "5.",
            "--1",
        ] {
            assert!(
                matches!(parse_decimal(bad), Err(Problem::NotANumber(_))),
                "{bad}"
            );
        }
        assert_eq!(parse_decimal("  "), Err(Problem::Required));
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert!(parse_url("https://www.cbs.nl/nl-nl/nieuws?x=1#a").is_ok());
        assert!(parse_url("http://localhost:8080/").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x.nl",
            "https://",
            "https:///path",
            "https://a b.nl",
            "www.cbs.nl",
            "https://x.nl/\"onmouseover",
        ] {
            assert!(matches!(parse_url(bad), Err(Problem::BadUrl(_))), "{bad}");
        }
    }

    #[test]
    fn an_event_form_checks_every_field() {
        // Arrange
        let known = [SeriesId::parse("homeless_people_18_65").unwrap()];
        let bad = EventForm {
            date: "2026-02-30".into(),
            title_nl: " ".into(),
            title_en: "Line\nbreak".into(),
            url: "mailto:x@y.nl".into(),
            series: "mystery".into(),
        };
        // Act
        let errors = check_event_form(&bad, &known, "x-2026".into()).unwrap_err();
        // Assert
        assert_eq!(
            fields(&errors),
            [
                ("date", "bad-date"),
                ("title_nl", "required"),
                ("title_en", "control-characters"),
                ("url", "bad-url"),
                ("series", "unknown-series"),
            ]
        );
        let good = EventForm {
            date: "2026-11-24".into(),
            title_nl: "Kamerbrief".into(),
            title_en: "Letter".into(),
            url: "https://www.rijksoverheid.nl/".into(),
            series: "homeless_people_18_65".into(),
        };
        let event = check_event_form(&good, &known, "kamerbrief-2026".into()).unwrap();
        assert_eq!(event.series, Some(known[0].clone()));
    }

    #[test]
    fn event_ids_are_slugs_with_the_year_and_unique() {
        let date = Date::from_calendar_date(2026, time::Month::November, 24).unwrap();
        assert_eq!(
            event_id("Wet versterking regie: één stap", date, &[]),
            "wet-versterking-regie-een-stap-2026"
        );
        let taken = vec!["kamerbrief-2026".to_owned()];
        assert_eq!(event_id("Kamerbrief", date, &taken), "kamerbrief-2026-2");
        assert_eq!(event_id("2030!", date, &[]), "event-2030-2026");
        assert!(crate::GoalId::parse(&event_id("Überhaupt — ja", date, &[])).is_ok());
    }

    proptest! {
        #[test]
        fn written_numbers_read_back(v in -1.0e9f64..1.0e9) {
            // Two decimals never look like a thousands separator.
            let text = format!("{v:.2}");
            let read = parse_decimal(&text).unwrap();
            prop_assert!((read - v).abs() < 0.01);
        }

        #[test]
        fn event_ids_are_always_valid_ids(title in "\\PC{0,80}", year in 1800i32..2200) {
            let date = Date::from_calendar_date(year, time::Month::June, 1).unwrap();
            prop_assert!(crate::GoalId::parse(&event_id(&title, date, &[])).is_ok());
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = parse_decimal(&s);
            let _ = parse_url(&s);
            let _ = parse_period(&s);
            let _ = parse_date(&s);
        }
    }
}

/// The upload form's fields besides the file (everything as typed).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct UploadForm {
    /// `existing` or `new`.
    pub target: String,
    /// The existing series' id.
    pub series: String,
    /// A new series' id.
    pub new_id: String,
    /// Its Dutch title.
    pub new_title_nl: String,
    /// Its English title.
    pub new_title_en: String,
    /// `persons`, `dwellings` or `percent`.
    pub new_unit: String,
    /// `level` or `flow`.
    pub new_measure: String,
    /// Its Dutch definition (optional).
    pub new_description_nl: String,
    /// Its English definition (optional).
    pub new_description_en: String,
    /// Its licence ("CC BY 4.0").
    pub new_licence: String,
    /// The licence text's address (optional; the source's address when empty).
    pub new_licence_url: String,
    /// Who published the figures.
    pub source_label: String,
    /// Where they can be checked.
    pub source_url: String,
}
