//! Statistical periods: CBS period codes (`2023JJ00`, `2023KW01`, ...) and Koers's own
//! canonical form (`2023`, `2023-Q1`, `2023-01`, `2023-H1`, `2012/13`, `2006-01-01`).

use serde::{Deserialize, Serialize};
use std::{cmp::Ordering, fmt};
use time::{Date, Month};

/// A period that a figure refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// Half-year 1 or 2.
    HalfYear(i32, u8),
    /// Quarter 1 to 4.
    Quarter(i32, u8),
    /// Month 1 to 12.
    Month(i32, u8),
    /// A school or season year starting in August of the given year (CBS `SJ`).
    SchoolYear(i32),
    /// A single day.
    Day(Date),
}

/// How long a period is: figures of different grains never share a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// Calendar years.
    Year,
    /// Half-years.
    HalfYear,
    /// Quarters.
    Quarter,
    /// Months.
    Month,
    /// School or season years.
    SchoolYear,
    /// Days.
    Day,
}

impl Grain {
    /// The URL and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::HalfYear => "half_year",
            Self::Quarter => "quarter",
            Self::Month => "month",
            Self::SchoolYear => "school_year",
            Self::Day => "day",
        }
    }
    /// Reads the URL form.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Year,
            Self::HalfYear,
            Self::Quarter,
            Self::Month,
            Self::SchoolYear,
            Self::Day,
        ]
        .into_iter()
        .find(|g| g.as_str() == text.trim())
    }
}

/// Why a period code could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParsePeriodError {
    /// The text does not have the shape of any known period code.
    #[error("{0:?} is not a period code (expected e.g. 2023JJ00, 2023KW01, 2023MM01, 2023HJ01)")]
    Malformed(String),
    /// A known shape with an unsupported type (week, multi-year average, ...).
    #[error(
        "period type {kind:?} in {code:?} is not supported (supported: JJ, HJ, KW, MM, SJ, days)"
    )]
    Unsupported {
        /// The whole code.
        code: String,
        /// The two-letter type.
        kind: String,
    },
    /// The index is out of range for its type (e.g. quarter 5, month 13).
    #[error("{0:?} has an index out of range for its period type")]
    OutOfRange(String),
}

/// Reads a number written with ASCII digits only (`str::parse` also takes a leading `+`, which
/// would give one period two spellings).
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

const MIN_YEAR: i32 = 1800;
const MAX_YEAR: i32 = 2200;

impl Period {
    /// Reads a CBS OData v3 period code such as `2023JJ00`, `2023KW01`, `2023MM01`,
    /// `2025HJ01`, `2012SJ00` or the day form `20060101`. Surrounding spaces are ignored.
    pub fn parse_cbs(code: &str) -> Result<Self, ParsePeriodError> {
        let code = code.trim();
        let malformed = || ParsePeriodError::Malformed(code.chars().take(40).collect());
        if code.len() != 8 || !code.is_ascii() {
            return Err(malformed());
        }
        let year: i32 = digits(&code[..4]).ok_or_else(malformed)?;
        let (kind, index) = (&code[4..6], &code[6..8]);
        if kind.bytes().all(|b| b.is_ascii_digit()) {
            // Day form: YYYYMMDD.
            let month: u8 = digits(kind).ok_or_else(malformed)?;
            let day: u8 = digits(index).ok_or_else(malformed)?;
            return Self::day(year, month, day)
                .ok_or_else(|| ParsePeriodError::OutOfRange(code.to_owned()));
        }
        let index: u8 = digits(index).ok_or_else(malformed)?;
        let period = match kind {
            "JJ" if index == 0 => Self::Year(year),
            "SJ" if index == 0 => Self::SchoolYear(year),
            "HJ" => Self::HalfYear(year, index),
            "KW" => Self::Quarter(year, index),
            "MM" => Self::Month(year, index),
            "JJ" | "SJ" => return Err(ParsePeriodError::OutOfRange(code.to_owned())),
            k if k.as_bytes()[0].is_ascii_uppercase()
                && k.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                return Err(ParsePeriodError::Unsupported {
                    code: code.to_owned(),
                    kind: k.to_owned(),
                });
            }
            _ => return Err(malformed()),
        };
        period.validated(code)
    }

    /// Reads Koers's canonical form (the output of `Display`): `2023`, `2023-H1`, `2023-Q1`,
    /// `2023-01`, `2012/13`, `2006-01-01`.
    pub fn parse(text: &str) -> Result<Self, ParsePeriodError> {
        let text = text.trim();
        let malformed = || ParsePeriodError::Malformed(text.chars().take(40).collect());
        if !text.is_ascii() || text.len() < 4 {
            return Err(malformed());
        }
        let year: i32 = digits(&text[..4]).ok_or_else(malformed)?;
        let rest = &text[4..];
        let num = |s: &str| digits::<u8>(s).ok_or_else(malformed);
        let period = match rest.len() {
            0 => Self::Year(year),
            3 if rest.starts_with("-H") => Self::HalfYear(year, num(&rest[2..])?),
            3 if rest.starts_with("-Q") => Self::Quarter(year, num(&rest[2..])?),
            3 if rest.starts_with('-') && rest[1..].bytes().all(|b| b.is_ascii_digit()) => {
                Self::Month(year, num(&rest[1..])?)
            }
            3 if rest.starts_with('/') => {
                let next = num(&rest[1..])?;
                if i32::from(next) != (year + 1) % 100 {
                    return Err(ParsePeriodError::OutOfRange(text.to_owned()));
                }
                Self::SchoolYear(year)
            }
            6 if rest.starts_with('-') && &rest[3..4] == "-" => {
                let (m, d) = (num(&rest[1..3])?, num(&rest[4..6])?);
                Self::day(year, m, d)
                    .ok_or_else(|| ParsePeriodError::OutOfRange(text.to_owned()))?
            }
            _ => return Err(malformed()),
        };
        period.validated(text)
    }

    fn day(year: i32, month: u8, day: u8) -> Option<Self> {
        let month = Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, day)
            .ok()
            .map(Self::Day)
    }

    fn validated(self, text: &str) -> Result<Self, ParsePeriodError> {
        let ok = (MIN_YEAR..=MAX_YEAR).contains(&self.year())
            && match self {
                Self::HalfYear(_, i) => (1..=2).contains(&i),
                Self::Quarter(_, i) => (1..=4).contains(&i),
                Self::Month(_, i) => (1..=12).contains(&i),
                _ => true,
            };
        if ok {
            Ok(self)
        } else {
            Err(ParsePeriodError::OutOfRange(
                text.chars().take(40).collect(),
            ))
        }
    }

    /// The CBS period code of the period (`2023JJ00`, `2023KW01`, `2012SJ00`, `20060101`): the
    /// inverse of [`parse_cbs`](Self::parse_cbs), used to build CBS filters.
    pub fn cbs_code(&self) -> String {
        match *self {
            Self::Year(y) => format!("{y:04}JJ00"),
            Self::HalfYear(y, h) => format!("{y:04}HJ{h:02}"),
            Self::Quarter(y, q) => format!("{y:04}KW{q:02}"),
            Self::Month(y, m) => format!("{y:04}MM{m:02}"),
            Self::SchoolYear(y) => format!("{y:04}SJ00"),
            Self::Day(d) => format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day()),
        }
    }

    /// The calendar year the period starts in.
    pub fn year(&self) -> i32 {
        match *self {
            Self::Year(y)
            | Self::HalfYear(y, _)
            | Self::Quarter(y, _)
            | Self::Month(y, _)
            | Self::SchoolYear(y) => y,
            Self::Day(d) => d.year(),
        }
    }

    /// First day of the period.
    pub fn start(&self) -> Date {
        let first = |y: i32, m: u8| {
            Date::from_calendar_date(y, Month::try_from(m).unwrap_or(Month::January), 1)
                .unwrap_or(Date::MIN)
        };
        match *self {
            Self::Year(y) => first(y, 1),
            Self::HalfYear(y, h) => first(y, if h == 1 { 1 } else { 7 }),
            Self::Quarter(y, q) => first(y, 3 * (q - 1) + 1),
            Self::Month(y, m) => first(y, m),
            Self::SchoolYear(y) => first(y, 8),
            Self::Day(d) => d,
        }
    }

    /// First day after the period.
    pub fn end(&self) -> Date {
        let start = self.start();
        let add_months = |d: Date, n: i32| {
            let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + n;
            let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
            Date::from_calendar_date(y, Month::try_from(m as u8).unwrap_or(Month::January), 1)
                .unwrap_or(Date::MAX)
        };
        match *self {
            Self::Year(_) | Self::SchoolYear(_) => add_months(start, 12),
            Self::HalfYear(..) => add_months(start, 6),
            Self::Quarter(..) => add_months(start, 3),
            Self::Month(..) => add_months(start, 1),
            Self::Day(d) => d.next_day().unwrap_or(Date::MAX),
        }
    }

    /// The period's grain.
    pub fn grain(&self) -> Grain {
        match self {
            Self::Year(_) => Grain::Year,
            Self::HalfYear(..) => Grain::HalfYear,
            Self::Quarter(..) => Grain::Quarter,
            Self::Month(..) => Grain::Month,
            Self::SchoolYear(_) => Grain::SchoolYear,
            Self::Day(_) => Grain::Day,
        }
    }

    /// Whether this is a calendar year.
    pub fn is_year(&self) -> bool {
        matches!(self, Self::Year(_))
    }
}

/// A date as a fractional year (`2024-07-01` is about `2024.497`), the time axis of the
/// progress arithmetic and the charts.
pub fn year_fraction(date: Date) -> f64 {
    let days = if time::util::is_leap_year(date.year()) {
        366.0
    } else {
        365.0
    };
    f64::from(date.year()) + f64::from(date.ordinal() - 1) / days
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Year(y) => write!(f, "{y}"),
            Self::HalfYear(y, h) => write!(f, "{y}-H{h}"),
            Self::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Self::Month(y, m) => write!(f, "{y}-{m:02}"),
            Self::SchoolYear(y) => write!(f, "{y}/{:02}", (y + 1) % 100),
            Self::Day(d) => write!(
                f,
                "{:04}-{:02}-{:02}",
                d.year(),
                u8::from(d.month()),
                d.day()
            ),
        }
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> Ordering {
        self.start()
            .cmp(&other.start())
            .then_with(|| other.end().cmp(&self.end()))
    }
}
impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// In the OpenAPI document a period is its text form.
#[cfg(feature = "utoipa")]
impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A period: `2024` (year), `2024-H1`, `2024-Q1`, `2024-01` (month), `2012/13` \
                 (school year) or `2024-01-01` (day).",
            ))
            .examples(["2024"])
            .into()
    }
}
#[cfg(feature = "utoipa")]
impl utoipa::ToSchema for Period {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cbs_codes_decode_to_periods() {
        // Arrange / Act / Assert: the codes CBS documents.
        assert_eq!(Period::parse_cbs("2023JJ00"), Ok(Period::Year(2023)));
        assert_eq!(Period::parse_cbs("2023KW01"), Ok(Period::Quarter(2023, 1)));
        assert_eq!(Period::parse_cbs("2017KW04"), Ok(Period::Quarter(2017, 4)));
        assert_eq!(Period::parse_cbs("2023MM01"), Ok(Period::Month(2023, 1)));
        assert_eq!(Period::parse_cbs("2025HJ01"), Ok(Period::HalfYear(2025, 1)));
        assert_eq!(Period::parse_cbs("2012SJ00"), Ok(Period::SchoolYear(2012)));
        assert_eq!(
            Period::parse_cbs("20060101").map(|p| p.to_string()),
            Ok("2006-01-01".to_owned())
        );
        assert_eq!(Period::parse_cbs(" 2021JJ00 "), Ok(Period::Year(2021)));
    }

    #[test]
    fn signs_and_other_spellings_of_a_number_are_refused() {
        for text in [
            "2023-Q+1",
            "2023-+1",
            "+2023",
            "2023/+4",
            "2023-H+2",
            "2024-+1-01",
        ] {
            assert!(Period::parse(text).is_err(), "{text:?} must be refused");
        }
        for code in ["+023JJ00", "2023KW+1", "2023MM+1", "2023+101"] {
            assert!(Period::parse_cbs(code).is_err(), "{code:?} must be refused");
        }
    }

    #[test]
    fn unsupported_and_bad_codes_are_errors() {
        assert!(matches!(
            Period::parse_cbs("2023G200"),
            Err(ParsePeriodError::Unsupported { .. })
        ));
        assert!(matches!(
            Period::parse_cbs("2023KW05"),
            Err(ParsePeriodError::OutOfRange(_))
        ));
        assert!(matches!(
            Period::parse_cbs("2023MM13"),
            Err(ParsePeriodError::OutOfRange(_))
        ));
        assert!(matches!(
            Period::parse_cbs("2023JJ01"),
            Err(ParsePeriodError::OutOfRange(_))
        ));
        assert!(Period::parse_cbs("20230230").is_err());
        assert!(Period::parse_cbs("2023").is_err());
        assert!(Period::parse_cbs("abcdJJ00").is_err());
    }

    #[test]
    fn canonical_form_round_trips() {
        for text in [
            "2023",
            "2023-H2",
            "2023-Q3",
            "2023-11",
            "2012/13",
            "2006-01-01",
            "1999/00",
        ] {
            assert_eq!(Period::parse(text).unwrap().to_string(), text);
        }
        assert!(Period::parse("2012/14").is_err());
        assert!(Period::parse("2023-Q0").is_err());
    }

    #[test]
    fn periods_have_start_and_end() {
        let q4 = Period::Quarter(2023, 4);
        assert_eq!(q4.start().to_string(), "2023-10-01");
        assert_eq!(q4.end().to_string(), "2024-01-01");
        assert_eq!(Period::Month(2023, 12).end().to_string(), "2024-01-01");
        assert_eq!(Period::HalfYear(2025, 2).start().to_string(), "2025-07-01");
    }

    #[test]
    fn periods_sort_by_start_then_longest_first() {
        let mut v = vec![
            Period::Month(2023, 1),
            Period::Quarter(2023, 1),
            Period::Year(2022),
            Period::Year(2023),
        ];
        v.sort();
        assert_eq!(
            v,
            vec![
                Period::Year(2022),
                Period::Year(2023),
                Period::Quarter(2023, 1),
                Period::Month(2023, 1)
            ]
        );
    }

    #[test]
    fn year_fraction_is_exact_at_new_year() {
        assert_eq!(year_fraction(Period::Year(2030).start()), 2030.0);
        assert_eq!(year_fraction(Period::Year(2030).end()), 2031.0);
    }

    /// Every period Koers can hold, in the years it accepts.
    fn any_period() -> impl Strategy<Value = Period> {
        let year = MIN_YEAR..=MAX_YEAR;
        prop_oneof![
            year.clone().prop_map(Period::Year),
            (year.clone(), 1u8..=2).prop_map(|(y, h)| Period::HalfYear(y, h)),
            (year.clone(), 1u8..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
            (year.clone(), 1u8..=12).prop_map(|(y, m)| Period::Month(y, m)),
            year.clone().prop_map(Period::SchoolYear),
            (year, 1u8..=12, 1u8..=31)
                .prop_filter_map("a real day", |(y, m, d)| { Period::day(y, m, d) }),
        ]
    }

    /// Text near the accepted forms: digits, signs, spaces and the letters and marks the
    /// formats use, so the search spends its time where parsers go wrong.
    fn period_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{0,5}[ +-]?[-/JKMHQSWGXVCEL ]{0,3}[0-9+-]{0,3}[ -]?[0-9]{0,2}",
            // The canonical forms with a sign or a space where a digit belongs.
            "[+-]?[0-9]{3,4}([-/][HQ]?[+ -]?[0-9]{1,2}([-][+ ]?[0-9]{1,2})?)?",
            // The CBS forms likewise.
            "[+-]?[0-9]{3,4}(JJ|KW|MM|HJ|SJ|[0-9]{2})[+ -]?[0-9]{1,2}",
        ]
    }

    proptest! {
        #[test]
        fn every_period_round_trips_through_its_text_form(p in any_period()) {
            prop_assert_eq!(Period::parse(&p.to_string()), Ok(p));
        }

        #[test]
        fn every_period_round_trips_through_its_cbs_code(p in any_period()) {
            prop_assert_eq!(Period::parse_cbs(&p.cbs_code()), Ok(p));
        }

        #[test]
        fn every_period_round_trips_through_json(p in any_period()) {
            let json = serde_json::to_string(&p).unwrap();
            prop_assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        }

        #[test]
        fn accepted_text_is_the_canonical_form(s in period_like()) {
            // One spelling per period: a permalink or an upload row cannot name the same
            // period two ways.
            if let Ok(p) = Period::parse(&s) {
                prop_assert_eq!(p.to_string(), s.trim());
            }
        }

        #[test]
        fn an_accepted_cbs_code_is_the_canonical_code(s in period_like()) {
            if let Ok(p) = Period::parse_cbs(&s) {
                prop_assert_eq!(p.cbs_code(), s.trim());
            }
        }

        #[test]
        fn every_period_has_a_start_before_its_end(p in any_period()) {
            prop_assert!(p.start() < p.end());
            prop_assert_eq!(p.start().year(), p.year());
            prop_assert!(p.start() <= p.end());
        }

        #[test]
        fn parsers_never_panic_on_period_like_text(s in period_like()) {
            let _ = Period::parse_cbs(&s).map(|p| (p.start(), p.end(), p.grain()));
            let _ = Period::parse(&s).map(|p| (p.start(), p.end(), p.grain()));
        }

        #[test]
        fn parse_cbs_never_panics(s in "\\PC{0,12}") {
            let _ = Period::parse_cbs(&s);
            let _ = Period::parse(&s);
        }

        #[test]
        fn cbs_codes_round_trip_through_canonical_form(
            year in 1900i32..2100, kind in 0usize..4, index in 1u8..13
        ) {
            let code = match kind {
                0 => format!("{year}JJ00"),
                1 => format!("{year}KW{:02}", (index - 1) % 4 + 1),
                2 => format!("{year}MM{index:02}"),
                _ => format!("{year}HJ{:02}", (index - 1) % 2 + 1),
            };
            let p = Period::parse_cbs(&code).unwrap();
            prop_assert_eq!(Period::parse(&p.to_string()).unwrap(), p);
        }
    }
}
