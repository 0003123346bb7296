//! What surrounds the figures: series breaks, policy events, and publishers' remarks on a change.

use crate::{Period, SeriesId};
use serde::{Deserialize, Serialize};
use time::Date;

/// A break in a series: figures before and after are not comparable (new source, new method,
/// a missing period). Lines are not drawn across it; the pace is not measured across it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesBreak {
    /// The series.
    pub series: SeriesId,
    /// Last period before the break.
    pub before: Period,
    /// First period after the break.
    pub after: Period,
    /// Why, in Dutch.
    pub reason_nl: String,
    /// Why, in English.
    pub reason_en: String,
    /// Where the publisher explains it.
    pub source_url: String,
}

impl SeriesBreak {
    /// The reason in the requested language (`true` for Dutch).
    pub fn reason(&self, dutch: bool) -> &str {
        if dutch {
            &self.reason_nl
        } else {
            &self.reason_en
        }
    }
}

/// A policy event drawn on charts and listed under them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id (`nad-2022`).
    pub id: String,
    /// The day it happened.
    pub date: Date,
    /// Dutch title.
    pub title_nl: String,
    /// English title.
    pub title_en: String,
    /// Where to read about it.
    pub url: String,
    /// The series it concerns (`None`: every series).
    pub series: Option<SeriesId>,
}

impl Event {
    /// The title in the requested language (`true` for Dutch).
    pub fn title(&self, dutch: bool) -> &str {
        if dutch {
            &self.title_nl
        } else {
            &self.title_en
        }
    }
}

/// What a publisher said about the change to a period's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// "Too early to speak of an increase": the change is within the margins.
    NotSignificant,
}

impl ChangeKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSignificant => "not_significant",
        }
    }
    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        (text.trim() == "not_significant").then_some(Self::NotSignificant)
    }
}

/// A publisher's remark on the change from the previous figure to `period`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeNote {
    /// The series.
    pub series: SeriesId,
    /// The period whose change is qualified.
    pub period: Period,
    /// What was said.
    pub kind: ChangeKind,
    /// The remark in Dutch.
    pub text_nl: String,
    /// The remark in English.
    pub text_en: String,
    /// Where it was said.
    pub source_url: String,
}
