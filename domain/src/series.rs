//! What a series is: its unit, how it is measured, and where it comes from.

use crate::{SeriesId, SourceId};
use serde::{Deserialize, Serialize};

/// What a series counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// People.
    Persons,
    /// Dwellings (homes).
    Dwellings,
    /// A percentage.
    Percent,
}

impl Unit {
    /// The stored and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Persons => "persons",
            Self::Dwellings => "dwellings",
            Self::Percent => "percent",
        }
    }
    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Persons, Self::Dwellings, Self::Percent]
            .into_iter()
            .find(|u| u.as_str() == text)
    }
}

/// How a figure relates to its period, which decides where it sits on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A count on a reference date at the start of the period (CBS: "1 januari").
    Level,
    /// A total over the period (homes completed during the year). Goals may add it up.
    Flow,
}

impl Measure {
    /// The stored and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Level => "level",
            Self::Flow => "flow",
        }
    }
    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "level" => Some(Self::Level),
            "flow" => Some(Self::Flow),
            _ => None,
        }
    }
}

/// Descriptive metadata of a series, in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesMeta {
    /// Stable id, used in URLs.
    pub id: SeriesId,
    /// Dutch title.
    pub title_nl: String,
    /// English title.
    pub title_en: String,
    /// Dutch definition and caveats.
    pub description_nl: String,
    /// English definition and caveats.
    pub description_en: String,
    /// What is counted.
    pub unit: Unit,
    /// Level on a reference date, or flow over the period.
    pub measure: Measure,
    /// Producer of the figures ("CBS").
    pub producer: String,
    /// Publisher table id when there is one (`80799ned`, exactly as published).
    pub table_id: Option<String>,
    /// Page where a reader can check the figures.
    pub source_url: String,
    /// Licence name ("CC BY 4.0").
    pub licence: String,
    /// Licence text URL.
    pub licence_url: String,
    /// The ingestion source that keeps the series up to date (`None`: published figures only).
    pub source: Option<SourceId>,
    /// Short caveat on how the figures are made, in Dutch ("Dit zijn schattingen ..."); empty if none.
    pub caveat_nl: String,
    /// The caveat in English.
    pub caveat_en: String,
}

impl SeriesMeta {
    /// The title in the requested language (`true` for Dutch).
    pub fn title(&self, dutch: bool) -> &str {
        if dutch {
            &self.title_nl
        } else {
            &self.title_en
        }
    }
    /// The caveat in the requested language (`true` for Dutch); empty when there is none.
    pub fn caveat(&self, dutch: bool) -> &str {
        if dutch {
            &self.caveat_nl
        } else {
            &self.caveat_en
        }
    }
    /// The description in the requested language (`true` for Dutch).
    pub fn description(&self, dutch: bool) -> &str {
        if dutch {
            &self.description_nl
        } else {
            &self.description_en
        }
    }
}
