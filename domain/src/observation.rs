//! One published figure and its status.

use crate::{CategoryKey, Period, SeriesId};
use serde::{Deserialize, Serialize};

/// How final a figure is. CBS marks periods `Voorlopig` (shown `*`) and `NaderVoorlopig`
/// (shown `**`); the first-run snapshot adds press figures that are rounded or forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObservationStatus {
    /// Definitive.
    Final,
    /// Provisional (`Voorlopig`).
    Provisional,
    /// Revised provisional (`NaderVoorlopig`).
    RevisedProvisional,
    /// A rounded press figure ("ruim 90.000").
    Rounded,
    /// An expectation, not yet an observation. Never used for progress.
    Forecast,
    /// Estimated by the publisher (Eurostat flag `e`).
    Estimated,
}

/// A status text that is not one of the known ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown status {0:?} (expected final, provisional, revised_provisional, rounded or forecast)"
)]
pub struct UnknownStatus(pub String);

impl ObservationStatus {
    /// Every status, in a stable order.
    pub const ALL: [Self; 6] = [
        Self::Final,
        Self::Provisional,
        Self::RevisedProvisional,
        Self::Rounded,
        Self::Forecast,
        Self::Estimated,
    ];

    /// The stored and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Final => "final",
            Self::Provisional => "provisional",
            Self::RevisedProvisional => "revised_provisional",
            Self::Rounded => "rounded",
            Self::Forecast => "forecast",
            Self::Estimated => "estimated",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Result<Self, UnknownStatus> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text.trim())
            .ok_or_else(|| UnknownStatus(text.to_owned()))
    }

    /// Reads the `Status` of a CBS `Perioden` row (`Definitief`, `Voorlopig`,
    /// `NaderVoorlopig`). A missing status means final.
    pub fn from_cbs(status: Option<&str>) -> Result<Self, UnknownStatus> {
        match status.map(str::trim) {
            None | Some("") | Some("Definitief") => Ok(Self::Final),
            Some("Voorlopig") => Ok(Self::Provisional),
            Some("NaderVoorlopig") => Ok(Self::RevisedProvisional),
            Some(other) => Err(UnknownStatus(other.to_owned())),
        }
    }

    /// The mark CBS prints after a provisional period (`*`, `**`); empty otherwise.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Provisional => "*",
            Self::RevisedProvisional => "**",
            _ => "",
        }
    }

    /// Whether the figure is an actual observation (everything but a forecast).
    pub fn is_observed(self) -> bool {
        self != Self::Forecast
    }
}

/// A published uncertainty margin around a figure (same unit as the value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Margin {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

impl Margin {
    /// A margin whose bounds are finite and ordered, or `None`.
    pub fn new(lower: f64, upper: f64) -> Option<Self> {
        (lower.is_finite() && upper.is_finite() && lower <= upper).then_some(Self { lower, upper })
    }
    /// Whether two figures differ by less than their margins allow to call it a change.
    pub fn overlaps(&self, other: &Self) -> bool {
        self.lower <= other.upper && other.lower <= self.upper
    }
}

/// One figure: a series, a breakdown category, a period, a value and its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The series.
    pub series: SeriesId,
    /// The breakdown category (`total` for the headline figure).
    pub category: CategoryKey,
    /// The period the figure refers to.
    pub period: Period,
    /// The value in the series' unit (already scaled: people, not thousands).
    pub value: f64,
    /// How final the figure is.
    pub status: ObservationStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbs_status_texts_map_to_statuses() {
        assert_eq!(
            ObservationStatus::from_cbs(Some("Voorlopig")),
            Ok(ObservationStatus::Provisional)
        );
        assert_eq!(
            ObservationStatus::from_cbs(Some("NaderVoorlopig")),
            Ok(ObservationStatus::RevisedProvisional)
        );
        assert_eq!(
            ObservationStatus::from_cbs(Some("Definitief")),
            Ok(ObservationStatus::Final)
        );
        assert_eq!(
            ObservationStatus::from_cbs(None),
            Ok(ObservationStatus::Final)
        );
        assert!(ObservationStatus::from_cbs(Some("Geschat")).is_err());
    }

    #[test]
    fn stored_form_round_trips() {
        for s in ObservationStatus::ALL {
            assert_eq!(ObservationStatus::parse(s.as_str()), Ok(s));
        }
    }

    #[test]
    fn provisional_marks_follow_cbs() {
        assert_eq!(ObservationStatus::Provisional.mark(), "*");
        assert_eq!(ObservationStatus::RevisedProvisional.mark(), "**");
        assert_eq!(ObservationStatus::Final.mark(), "");
    }
}
