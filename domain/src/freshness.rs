//! How fresh a source's figures are against its publisher's rhythm: the verdict and its
//! particulars, as `jobs::freshness` works them out and the console, metrics and alerts show
//! them.

/// The state of a source's data against its rhythm.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum FreshnessState {
    /// The next figure is not expected yet.
    Fresh,
    /// The next figure's usual release date has passed; it is within its grace period.
    Due,
    /// The next figure should have been published by now.
    Late,
    /// The latest finished fetch failed.
    Failing,
    /// The source has never been fetched to the end.
    #[default]
    Never,
}

impl FreshnessState {
    /// Every state, in order of increasing concern (except `Never`, last).
    pub const ALL: [Self; 5] = [
        Self::Fresh,
        Self::Due,
        Self::Late,
        Self::Failing,
        Self::Never,
    ];

    /// Stable name (metrics labels, CSS classes, alerts).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fresh => "fresh",
            Self::Due => "due",
            Self::Late => "late",
            Self::Failing => "failing",
            Self::Never => "never",
        }
    }
}

/// A source's freshness at one moment.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Freshness {
    /// The verdict.
    pub state: FreshnessState,
    /// The newest period stored (of the rhythm's grain; for several series, the one that lags),
    /// canonical form (`2024`, `2025-Q2`).
    pub newest_period: Option<String>,
    /// The period whose figure comes next.
    pub next_period: Option<String>,
    /// From when the next figure is usually published (epoch ms, midnight UTC).
    pub due_from_ms: Option<i64>,
    /// When the next figure should have been published at the latest (epoch ms): after this,
    /// the source is late.
    pub expected_by_ms: Option<i64>,
    /// Whole days past `expected_by_ms` (only when that has passed).
    pub late_by_days: Option<i64>,
    /// End of the last fetch that ended well (epoch ms).
    pub last_success_ms: Option<i64>,
    /// Error text of the latest finished fetch, when it failed.
    pub last_error: Option<String>,
}

impl Freshness {
    /// A one-line English explanation for logs and webhooks ("next figure (2025) expected by
    /// 2026-09-28; 57 days late"). The console shows a translated version.
    pub fn describe(&self) -> String {
        let expected = match (&self.next_period, self.expected_by_ms) {
            (Some(next), Some(by)) => format!("next figure ({next}) expected by {}", day(by)),
            _ => "no figure stored, so none is expected yet".to_owned(),
        };
        match self.state {
            FreshnessState::Never => format!("never fetched; {expected}"),
            FreshnessState::Failing => format!(
                "latest fetch failed: {}; {expected}",
                self.last_error.as_deref().unwrap_or("no error text")
            ),
            FreshnessState::Late => match self.late_by_days {
                Some(days) => format!("{expected}; {days} days late"),
                None => "no figure stored".to_owned(),
            },
            FreshnessState::Due => format!("{expected}; usual release date passed"),
            FreshnessState::Fresh => format!("{expected}; on time"),
        }
    }
}

fn day(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}
