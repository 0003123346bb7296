//! What pages receive from the server: plain, already translated and formatted data, so the
//! components only lay it out (and no texts or formats are needed in the browser).

use serde::{Deserialize, Serialize};

/// One goal, ready for a card on the overview or the series page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalCard {
    /// Goal id (`zero-homelessness-2030`).
    pub goal_id: String,
    /// Series id, for links.
    pub series_id: String,
    /// Heading: the goal's name.
    pub goal_title: String,
    /// The series title.
    pub title: String,
    /// Status code (`on_track`, `moving_away`, ...) for styling.
    pub status: String,
    /// Status in words.
    pub status_label: String,
    /// The generated sentence (also the chart's text alternative).
    pub sentence: String,
    /// Latest figure ("33.000").
    pub latest_value: String,
    /// When the latest figure applies ("1 januari 2024", "2022-2024").
    pub latest_when: String,
    /// Baseline ("30.600 (2023)").
    pub baseline: String,
    /// Target ("0 in 2030").
    pub target: String,
    /// Recent pace ("+700 per jaar (2021-2024)").
    pub pace: String,
    /// Pace needed from now on.
    pub pace_needed: String,
    /// Projection ("nooit, in dit tempo", "in 2032").
    pub projection: String,
    /// Freshness ("Bron gecontroleerd op 24 november 2026" or the snapshot label).
    pub freshness: String,
    /// Remarks on the total (lower bound, missing years).
    pub notes: Vec<String>,
    /// The commitment the goal comes from.
    pub commitment: String,
    /// Where the commitment is documented.
    pub commitment_url: String,
    /// Which target version is used ("doelversie 2, gewijzigd 24 november 2026").
    pub target_version: String,
    /// Link to the series page in the page's language.
    pub series_href: String,
    /// URL of the chart image (desktop size).
    pub chart_src: String,
    /// URL of the chart image without a size, to append one.
    pub chart_src_base: String,
}

/// The overview page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// One card per goal.
    pub goals: Vec<GoalCard>,
}

/// One row of the series list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesListItem {
    /// Series id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Producer and table ("CBS, tabel 80799ned").
    pub source: String,
    /// Latest figure with its period ("33.000 (2024)"), or a dash.
    pub latest: String,
    /// Link to the series page.
    pub href: String,
}

/// The choices on the series page: they live in the URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explorer {
    /// Path of this page (form action).
    pub action: String,
    /// Series id.
    pub series: String,
    /// Page language code.
    pub lang: String,
    /// Selected first year.
    pub from: i32,
    /// Selected last year.
    pub to: i32,
    /// Selected category keys, one line each.
    pub categories: Vec<String>,
    /// The vintage shown (`2025-06-30`), if not today's figures.
    pub vintage: Option<String>,
    /// The period length asked for in the URL (kept by the form).
    pub grain: Option<String>,
    /// `Some(chosen)` when the series can be shown per 10,000 inhabitants.
    pub per_capita: Option<bool>,
    /// Years that can be chosen.
    pub years: Vec<i32>,
    /// Categories that can be chosen: (key, label), total first.
    pub options: Vec<(String, String)>,
    /// Control labels: from, to, breakdown, apply, heading, updated.
    pub labels: ExplorerLabels,
}

/// Texts of the explorer controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplorerLabels {
    /// Group heading.
    pub heading: String,
    /// "Van".
    pub from: String,
    /// "Tot en met".
    pub to: String,
    /// "Uitsplitsing".
    pub breakdown: String,
    /// Submit button.
    pub apply: String,
    /// Announced after an in-place update.
    pub updated: String,
    /// "Cijfers zoals bekend op".
    pub vintage: String,
    /// Explains the vintage field.
    pub vintage_hint: String,
    /// "Weergave".
    pub display: String,
    /// "Aantallen".
    pub absolute: String,
    /// "Per 10.000 inwoners".
    pub per_10k: String,
}

/// The series page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPage {
    /// Series id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Definition and caveats.
    pub description: String,
    /// Facts about the source: (label, value, optional link).
    pub facts: Vec<(String, String, Option<String>)>,
    /// Goals measured on this series.
    pub goals: Vec<GoalCard>,
    /// The controls.
    pub explorer: Explorer,
    /// Chart, table and downloads for the current choices (server-rendered HTML).
    pub view_html: String,
    /// Other series from the same source (e.g. shares beside counts): (title, link).
    pub related: Vec<(String, String)>,
}

/// A topic page (housing, the programme for vulnerable groups, other countries): headed
/// sections of server-rendered HTML (charts, tables, lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicPage {
    /// Title.
    pub title: String,
    /// Introductory paragraphs.
    pub intro: Vec<String>,
    /// The sections.
    pub sections: Vec<TopicSection>,
}

/// One section of a topic page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicSection {
    /// Anchor id.
    pub id: String,
    /// Heading.
    pub heading: String,
    /// Body, rendered on the server.
    pub html: String,
}
