//! Numbers and dates in each language's own format: Dutch `33.000` and `1 januari 2024`,
//! English `33,000` and `1 January 2024`.

use crate::{Locale, t, t_args};
use domain::Period;
use time::{Date, OffsetDateTime};

fn separators(locale: Locale) -> (char, char) {
    match locale {
        Locale::Nl => ('.', ','),
        Locale::En => (',', '.'),
    }
}

/// A number with `decimals` decimals and grouped thousands (`33.000`, `30.600,5`).
/// Negative numbers get a true minus sign (U+2212).
pub fn format_number(locale: Locale, value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let (group, point) = separators(locale);
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "\u{2212}" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A whole count (`33.000`).
pub fn format_count(locale: Locale, value: f64) -> String {
    format_number(locale, value.round(), 0)
}

/// A count with an explicit sign (`+700`, `−4.371`).
pub fn format_signed(locale: Locale, value: f64) -> String {
    let body = format_count(locale, value);
    if value.round() > 0.0 {
        format!("+{body}")
    } else {
        body
    }
}

/// A percentage (`86` or `16,6`), without the sign.
pub fn format_percent(locale: Locale, value: f64, decimals: usize) -> String {
    format_number(locale, value, decimals)
}

/// A value in its unit's usual precision: whole counts, or one decimal for percentages.
pub fn format_value(locale: Locale, value: f64, percent: bool) -> String {
    if percent {
        format_number(locale, value, 1)
    } else {
        format_count(locale, value)
    }
}

/// The month's name (1 = January).
pub fn month_name(locale: Locale, month: u8) -> String {
    t(locale, &format!("month-{month}"))
}

/// A date written out: `1 januari 2024` / `1 January 2024`.
pub fn format_date(locale: Locale, date: Date) -> String {
    format!(
        "{} {} {}",
        date.day(),
        month_name(locale, u8::from(date.month())),
        date.year()
    )
}

/// A moment (epoch ms) as a date with UTC time: `24 november 2026, 18:10 UTC`.
pub fn format_timestamp(locale: Locale, epoch_ms: i64) -> String {
    match OffsetDateTime::from_unix_timestamp_nanos(i128::from(epoch_ms) * 1_000_000) {
        Ok(at) => format!(
            "{}, {:02}:{:02} UTC",
            format_date(locale, at.date()),
            at.hour(),
            at.minute()
        ),
        Err(_) => "–".to_owned(),
    }
}

/// A period in words: `2024`, `1e kwartaal 2024` / `Q1 2024`, `januari 2024`.
pub fn format_period(locale: Locale, period: Period) -> String {
    match period {
        Period::Year(y) => y.to_string(),
        Period::HalfYear(y, n) => t_args(
            locale,
            "period-half",
            &[("n", n.to_string()), ("year", y.to_string())],
        ),
        Period::Quarter(y, n) => t_args(
            locale,
            "period-quarter",
            &[("n", n.to_string()), ("year", y.to_string())],
        ),
        Period::Month(y, m) => t_args(
            locale,
            "period-month",
            &[("month", month_name(locale, m)), ("year", y.to_string())],
        ),
        Period::SchoolYear(y) => format!("{y}/'{:02}", (y + 1) % 100),
        Period::Day(d) => format_date(locale, d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn numbers_use_each_languages_separators() {
        assert_eq!(format_count(Locale::Nl, 33_000.0), "33.000");
        assert_eq!(format_count(Locale::En, 33_000.0), "33,000");
        assert_eq!(format_number(Locale::Nl, 1_234_567.891, 2), "1.234.567,89");
        assert_eq!(format_number(Locale::En, 1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_count(Locale::Nl, 900.0), "900");
        assert_eq!(format_count(Locale::Nl, 0.0), "0");
    }

    #[test]
    fn signs_are_explicit_and_negative_zero_is_zero() {
        assert_eq!(format_signed(Locale::En, 700.0), "+700");
        assert_eq!(format_signed(Locale::Nl, -4_371.43), "\u{2212}4.371");
        assert_eq!(format_count(Locale::En, -0.2), "0");
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(
            format_date(Locale::Nl, date!(2024 - 01 - 01)),
            "1 januari 2024"
        );
        assert_eq!(
            format_date(Locale::En, date!(2024 - 01 - 01)),
            "1 January 2024"
        );
    }

    #[test]
    fn periods_are_written_out() {
        assert_eq!(
            format_period(Locale::Nl, Period::Quarter(2024, 1)),
            "1e kwartaal 2024"
        );
        assert_eq!(
            format_period(Locale::En, Period::Quarter(2024, 1)),
            "Q1 2024"
        );
        assert_eq!(
            format_period(Locale::Nl, Period::Month(2024, 3)),
            "maart 2024"
        );
        assert_eq!(format_period(Locale::En, Period::Year(2024)), "2024");
    }

    #[test]
    fn timestamps_are_utc() {
        assert_eq!(format_timestamp(Locale::En, 0), "1 January 1970, 00:00 UTC");
    }
}
