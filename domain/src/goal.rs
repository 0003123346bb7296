//! Goals are data: which series, from which baseline to which target, by when.

use crate::{GoalId, Period, SeriesId};
use serde::{Deserialize, Serialize};

/// Whether the goal wants the series to go down or up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Fewer is better (homelessness).
    Down,
    /// More is better (homes built).
    Up,
}

impl Direction {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Down => "down",
            Self::Up => "up",
        }
    }
    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "down" => Some(Self::Down),
            "up" => Some(Self::Up),
            _ => None,
        }
    }
}

/// A policy goal on one series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// Stable id (`zero-homelessness-2030`).
    pub id: GoalId,
    /// Short name in Dutch ("Geen dakloosheid in 2030").
    pub title_nl: String,
    /// Short name in English.
    pub title_en: String,
    /// The series measured.
    pub series: SeriesId,
    /// Period of the baseline. For a cumulative goal: the first period counted.
    pub baseline_period: Period,
    /// Value at the baseline (0 for a cumulative goal).
    pub baseline_value: f64,
    /// Period of the target. For a cumulative goal: the last period counted.
    pub target_period: Period,
    /// The target value (may be 0).
    pub target_value: f64,
    /// Down or up.
    pub direction: Direction,
    /// Whether the series' flows are added up from the baseline period on.
    pub cumulative: bool,
    /// How many recent observations the pace is computed over.
    pub pace_window: u32,
    /// For a cumulative goal: a series whose values are a lower bound for missing periods
    /// (total additions are never below new-build), so a gap is shown, not hidden.
    pub lower_bound_series: Option<SeriesId>,
    /// The commitment the goal comes from, in Dutch.
    pub commitment_nl: String,
    /// The commitment in English.
    pub commitment_en: String,
    /// Where the commitment is documented.
    pub source_url: String,
    /// Remarks on the choice of baseline and target.
    pub note: String,
}

impl Goal {
    /// The short name in the requested language (`true` for Dutch).
    pub fn title(&self, dutch: bool) -> &str {
        if dutch {
            &self.title_nl
        } else {
            &self.title_en
        }
    }
    /// The commitment in the requested language (`true` for Dutch).
    pub fn commitment(&self, dutch: bool) -> &str {
        if dutch {
            &self.commitment_nl
        } else {
            &self.commitment_en
        }
    }
}
