//! Freshness: is a source's newest figure as new as its publisher's own rhythm says it should be?
//!
//! Each source declares a [`ReleaseRhythm`] (see [`crate::sources::SOURCES`]): the length of its
//! periods, whether a figure is about the start of its period (a count on 1 January) or the whole
//! period (a year's new-build), how long after that the publisher usually releases it, and how
//! much later still counts as on time. From the newest stored period follows the next one; its
//! figure is *due* from `reference date + lag` and *late* after `+ grace`. So a yearly,
//! irregular CBS count is not "stale" after a month, and a quarterly table is not "fresh" for a
//! year.
//!
//! The fetch history adds two states that trump the calendar: [`FreshnessState::Never`] (the
//! source was never fetched to the end) and [`FreshnessState::Failing`] (its latest finished
//! fetch failed).

use crate::pipeline::SourceInfo;
pub use domain::freshness::{Freshness, FreshnessState};
use domain::{Grain, Period};
use store::{FetchOutcome, FetchSummary, Store, StoreError};
use time::{Date, Duration, Month, Time};

/// Which date a figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// A stock counted at the start of the period (homeless people on 1 January).
    PeriodStart,
    /// A flow over the whole period, known once it has ended (homes built in a year).
    PeriodEnd,
}

/// How a source publishes: the period length, what date a figure is about, and when it appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseRhythm {
    /// The grain freshness is measured in; figures of other grains are ignored.
    pub grain: Grain,
    /// Which date of the period a figure is about.
    pub reference: Reference,
    /// Usual months between the reference date and publication (the latest usual release).
    pub lag_months: u8,
    /// Days after `reference + lag` that still count as on time (publishers slip).
    pub grace_days: u16,
    /// Where the rhythm comes from, in one line (shown to the console's users).
    pub basis: &'static str,
}

/// The period after `period`, of the same grain.
pub fn next_period(period: Period) -> Period {
    let start = period.end();
    let (year, month) = (start.year(), u8::from(start.month()));
    match period {
        Period::Year(_) => Period::Year(year),
        Period::HalfYear(..) => Period::HalfYear(year, if month <= 6 { 1 } else { 2 }),
        Period::Quarter(..) => Period::Quarter(year, (month - 1) / 3 + 1),
        Period::Month(..) => Period::Month(year, month),
        Period::SchoolYear(_) => Period::SchoolYear(year),
        Period::Day(_) => Period::Day(start),
    }
}

/// `date` plus `months` calendar months (the day clamped to the month's length).
fn add_months(date: Date, months: u8) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + i32::from(months);
    let (year, month) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = Month::try_from(month).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MAX)
}

fn midnight_ms(date: Date) -> i64 {
    let at = date.with_time(Time::MIDNIGHT).assume_utc();
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

impl ReleaseRhythm {
    /// When the figure of `period` is usually out, and when it is late: `(due_from, expected_by)`.
    pub fn window(&self, period: Period) -> (Date, Date) {
        let reference = match self.reference {
            Reference::PeriodStart => period.start(),
            Reference::PeriodEnd => period.end(),
        };
        let due = add_months(reference, self.lag_months);
        (due, due + Duration::days(i64::from(self.grace_days)))
    }

    /// The newest period of this rhythm's grain in `periods`.
    pub fn newest(&self, periods: &[Period]) -> Option<Period> {
        periods
            .iter()
            .filter(|p| p.grain() == self.grain)
            .max()
            .copied()
    }
}

/// Judges a source from its newest stored period and its fetch history (newest first). Pure:
/// everything it needs is passed in, `now_ms` included.
pub fn evaluate(
    rhythm: &ReleaseRhythm,
    newest: Option<Period>,
    fetches: &[FetchSummary],
    now_ms: i64,
) -> Freshness {
    // Runs still going or cut off by a restart say nothing about the source.
    let finished = fetches.iter().find(|f| {
        matches!(
            f.outcome,
            FetchOutcome::Succeeded | FetchOutcome::Unchanged | FetchOutcome::Failed
        )
    });
    let last_success_ms = fetches
        .iter()
        .find(|f| f.outcome.is_good())
        .map(|f| f.finished_at.unwrap_or(f.started_at));
    let last_error = finished
        .filter(|f| f.outcome == FetchOutcome::Failed)
        .map(|f| f.error.clone().unwrap_or_default());
    let next = newest.map(next_period);
    let window = next.map(|p| rhythm.window(p));
    let (due_from_ms, expected_by_ms) = match window {
        Some((due, by)) => (Some(midnight_ms(due)), Some(midnight_ms(by))),
        None => (None, None),
    };
    let late_by_days = expected_by_ms
        .filter(|by| now_ms > *by)
        .map(|by| (now_ms - by) / 86_400_000);
    let state = if finished.is_none() {
        FreshnessState::Never
    } else if last_error.is_some() {
        FreshnessState::Failing
    } else {
        match (due_from_ms, expected_by_ms) {
            // Fetched fine, yet no figure of the source's grain at all.
            (None, _) | (_, None) => FreshnessState::Late,
            (Some(_), Some(by)) if now_ms > by => FreshnessState::Late,
            (Some(due), Some(_)) if now_ms >= due => FreshnessState::Due,
            _ => FreshnessState::Fresh,
        }
    };
    Freshness {
        state,
        newest_period: newest.map(|p| p.to_string()),
        next_period: next.map(|p| p.to_string()),
        due_from_ms,
        expected_by_ms,
        late_by_days,
        last_success_ms,
        last_error,
    }
}

/// How many fetches are read to find the latest finished one.
const HISTORY: u32 = 20;

/// Judges one registered source at `now_ms` from what the store holds. For a source with several
/// series the newest period is that of the series that lags most: a source is as fresh as its
/// stalest series (series without any figure of the grain are left out).
pub async fn assess(
    store: &Store,
    source: &SourceInfo,
    now_ms: i64,
) -> Result<Freshness, StoreError> {
    let def = crate::sources::find(source.id.as_str())
        .ok_or_else(|| StoreError::NotFound(format!("source {}", source.id)))?;
    let mut newest: Option<Period> = None;
    for series in def.series() {
        let id = domain::SeriesId::parse(series)
            .map_err(|e| StoreError::Corrupt(format!("series id {series}: {e}")))?;
        let periods = store.current_periods(&id).await?;
        if let Some(p) = def.rhythm.newest(&periods) {
            newest = Some(newest.map_or(p, |n| n.min(p)));
        }
    }
    let fetches = store.recent_fetches(Some(def.slug), HISTORY).await?;
    Ok(evaluate(&def.rhythm, newest, &fetches, now_ms))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use time::OffsetDateTime;
    use time::macros::datetime;

    fn ms(at: OffsetDateTime) -> i64 {
        (at.unix_timestamp_nanos() / 1_000_000) as i64
    }

    fn fetch(
        id: i64,
        outcome: FetchOutcome,
        at: OffsetDateTime,
        error: Option<&str>,
    ) -> FetchSummary {
        FetchSummary {
            id,
            source: "cbs-homeless".into(),
            url: "https://example.org".into(),
            started_at: ms(at),
            finished_at: Some(ms(at) + 1_000),
            http_status: Some(200),
            upstream_modified: None,
            etag: None,
            checksum: None,
            rows_seen: 0,
            rows_new: 0,
            rows_revised: 0,
            rows_unchanged: 0,
            attempts: 1,
            outcome,
            error: error.map(str::to_owned),
        }
    }

    fn rhythm(slug: &str) -> ReleaseRhythm {
        crate::sources::find(slug).unwrap().rhythm
    }

    fn good() -> Vec<FetchSummary> {
        vec![fetch(
            1,
            FetchOutcome::Succeeded,
            datetime!(2025-02-01 06:00 UTC),
            None,
        )]
    }

    #[test]
    fn homelessness_counted_on_1_january_is_due_15_months_later_and_late_after_the_grace() {
        // Arrange: 1 January 2024 is the newest count; 2025's is due from 1 April 2026.
        let r = rhythm("cbs-homeless");
        let newest = Some(Period::Year(2024));

        // Act
        let before = evaluate(&r, newest, &good(), ms(datetime!(2026-03-31 12:00 UTC)));
        let due = evaluate(&r, newest, &good(), ms(datetime!(2026-04-01 00:00 UTC)));
        let late = evaluate(&r, newest, &good(), ms(datetime!(2026-11-24 12:00 UTC)));

        // Assert
        assert_eq!(before.state, FreshnessState::Fresh);
        assert_eq!(before.next_period.as_deref(), Some("2025"));
        assert_eq!(
            before.due_from_ms,
            Some(ms(datetime!(2026-04-01 00:00 UTC)))
        );
        assert_eq!(before.late_by_days, None);
        assert_eq!(due.state, FreshnessState::Due);
        assert_eq!(late.state, FreshnessState::Late);
        assert_eq!(
            late.expected_by_ms,
            Some(ms(datetime!(2026-09-28 00:00 UTC)))
        );
        assert_eq!(late.late_by_days, Some(57));
        assert_eq!(
            late.describe(),
            "next figure (2025) expected by 2026-09-28; 57 days late"
        );
    }

    #[test]
    fn a_year_of_new_build_is_measured_from_the_end_of_the_next_year() {
        // Arrange: 2024 is stored; 2025 ends on 1 January 2026.
        let r = rhythm("cbs-housing");

        // Act
        let f = evaluate(
            &r,
            Some(Period::Year(2024)),
            &good(),
            ms(datetime!(2026-05-01 0:00 UTC)),
        );

        // Assert
        assert_eq!(f.state, FreshnessState::Fresh);
        assert_eq!(f.due_from_ms, Some(ms(datetime!(2026-07-01 0:00 UTC))));
    }

    #[test]
    fn quarterly_permits_ignore_the_yearly_totals_in_the_same_table() {
        // Arrange: the table holds 2025 (a year, started later than Q2) and 2025-Q2.
        let r = rhythm("cbs-permits");
        let periods = [
            Period::Year(2024),
            Period::Quarter(2025, 1),
            Period::Quarter(2025, 2),
        ];

        // Act
        let newest = r.newest(&periods);
        let f = evaluate(&r, newest, &good(), ms(datetime!(2025-12-01 0:00 UTC)));

        // Assert: Q3 ends 1 October, due 1 December, late after 45 days.
        assert_eq!(newest, Some(Period::Quarter(2025, 2)));
        assert_eq!(f.next_period.as_deref(), Some("2025-Q3"));
        assert_eq!(f.state, FreshnessState::Due);
        assert_eq!(f.expected_by_ms, Some(ms(datetime!(2026-01-15 0:00 UTC))));
    }

    #[test]
    fn a_failed_latest_fetch_is_failing_whatever_the_calendar_says() {
        // Arrange: an interrupted run and a running one after the failure do not count.
        let fetches = vec![
            fetch(
                4,
                FetchOutcome::Running,
                datetime!(2025-03-04 0:00 UTC),
                None,
            ),
            fetch(
                3,
                FetchOutcome::Interrupted,
                datetime!(2025-03-03 0:00 UTC),
                Some("stopped"),
            ),
            fetch(
                2,
                FetchOutcome::Failed,
                datetime!(2025-03-02 0:00 UTC),
                Some("HTTP 500"),
            ),
            fetch(
                1,
                FetchOutcome::Unchanged,
                datetime!(2025-03-01 0:00 UTC),
                None,
            ),
        ];

        // Act
        let f = evaluate(
            &rhythm("cbs-homeless"),
            Some(Period::Year(2024)),
            &fetches,
            ms(datetime!(2025-03-05 0:00 UTC)),
        );

        // Assert
        assert_eq!(f.state, FreshnessState::Failing);
        assert_eq!(f.last_error.as_deref(), Some("HTTP 500"));
        assert_eq!(
            f.last_success_ms,
            Some(ms(datetime!(2025-03-01 0:00:01 UTC)))
        );
        assert!(f.describe().starts_with("latest fetch failed: HTTP 500;"));
    }

    #[test]
    fn a_source_without_a_finished_fetch_is_never_even_with_snapshot_figures() {
        let fetches = vec![fetch(
            1,
            FetchOutcome::Interrupted,
            datetime!(2025-03-03 0:00 UTC),
            None,
        )];
        let f = evaluate(
            &rhythm("cbs-homeless"),
            Some(Period::Year(2024)),
            &fetches,
            ms(datetime!(2025-03-05 0:00 UTC)),
        );
        assert_eq!(f.state, FreshnessState::Never);
        assert_eq!(f.last_success_ms, None);
        assert_eq!(f.newest_period.as_deref(), Some("2024"));
    }

    #[test]
    fn a_good_fetch_without_any_figure_is_late() {
        let f = evaluate(
            &rhythm("cbs-wmo"),
            None,
            &good(),
            ms(datetime!(2025-03-05 0:00 UTC)),
        );
        assert_eq!(f.state, FreshnessState::Late);
        assert_eq!((f.expected_by_ms, f.late_by_days), (None, None));
    }

    #[test]
    fn next_periods_roll_over_the_year() {
        assert_eq!(next_period(Period::Year(2024)), Period::Year(2025));
        assert_eq!(
            next_period(Period::HalfYear(2024, 2)),
            Period::HalfYear(2025, 1)
        );
        assert_eq!(
            next_period(Period::Quarter(2024, 4)),
            Period::Quarter(2025, 1)
        );
        assert_eq!(next_period(Period::Month(2024, 12)), Period::Month(2025, 1));
        assert_eq!(next_period(Period::Month(2024, 3)), Period::Month(2024, 4));
        assert_eq!(
            next_period(Period::SchoolYear(2024)),
            Period::SchoolYear(2025)
        );
    }

    #[test]
    fn adding_months_clamps_the_day() {
        let jan31 = Date::from_calendar_date(2025, Month::January, 31).unwrap();
        assert_eq!(
            add_months(jan31, 1),
            Date::from_calendar_date(2025, Month::February, 28).unwrap()
        );
        assert_eq!(
            add_months(jan31, 13),
            Date::from_calendar_date(2026, Month::February, 28).unwrap()
        );
    }

    #[test]
    fn every_source_declares_a_rhythm_with_a_basis() {
        for def in crate::sources::SOURCES {
            assert!(!def.rhythm.basis.is_empty(), "{}", def.slug);
            assert!(def.rhythm.lag_months > 0, "{}", def.slug);
        }
    }
}
