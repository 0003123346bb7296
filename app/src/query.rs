//! The query parameters of a series view, shared by pages, the island and the API. Every
//! choice lives in the URL, so every view is a permalink.

use serde::{Deserialize, Serialize};

/// Raw query parameters of a series view (validated on the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesQuery {
    /// First year (`2015`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Breakdown category keys, one line each (`total` when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<String>,
    /// Period length shown when a series has several (`year`, `quarter`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grain: Option<String>,
    /// `10000`: figures per 10,000 inhabitants instead of absolute numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Show the figures as known on this date (`2025-06-30`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
}

impl SeriesQuery {
    /// Reads the parameters from a URL query string (`from=2015&category=a&category=b`);
    /// unknown parameters are ignored.
    pub fn from_query_string(raw: &str) -> Self {
        let mut q = Self::default();
        for (key, value) in form_urlencoded::parse(raw.trim_start_matches('?').as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "from" => q.from = Some(value),
                "to" => q.to = Some(value),
                "category" => q.category.push(value),
                "vintage" => q.vintage = Some(value),
                "grain" => q.grain = Some(value),
                "per" => q.per = Some(value),
                _ => {}
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_categories_and_escapes_are_read() {
        let q = SeriesQuery::from_query_string(
            "?from=2015&category=3000&category=4000&vintage=2025-06-30&x=%2",
        );
        assert_eq!(q.from.as_deref(), Some("2015"));
        assert_eq!(q.category, ["3000", "4000"]);
        assert_eq!(q.vintage.as_deref(), Some("2025-06-30"));
        assert_eq!(
            SeriesQuery::from_query_string("category=a%20b+c").category,
            ["a b c"]
        );
    }
}
