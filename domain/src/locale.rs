//! The two languages Koers speaks. Dutch is the default; English lives under `/en`.

use serde::{Deserialize, Serialize};

/// A user-facing language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Dutch (default).
    #[default]
    Nl,
    /// English.
    En,
}

impl Locale {
    /// Both languages, default first.
    pub const ALL: [Self; 2] = [Self::Nl, Self::En];

    /// ISO 639-1 code (`nl`, `en`), also the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    /// Reads a language code (`nl`, `en`, `en-GB`, case-insensitive).
    pub fn parse(code: &str) -> Option<Self> {
        let lower = code.trim().to_ascii_lowercase();
        match lower.split(['-', '_']).next() {
            Some("nl") => Some(Self::Nl),
            Some("en") => Some(Self::En),
            _ => None,
        }
    }

    /// Path prefix of pages in this language: `""` for Dutch, `"/en"` for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Nl => "",
            Self::En => "/en",
        }
    }

    /// The language of a request path (`/en` or `/en/...` is English).
    pub fn from_path(path: &str) -> Self {
        if path == "/en" || path.starts_with("/en/") {
            Self::En
        } else {
            Self::Nl
        }
    }

    /// The path of the same page in this language, given a path in either language.
    pub fn localize_path(self, path: &str) -> String {
        let bare = match Self::from_path(path) {
            Self::En => &path[3..],
            Self::Nl => path,
        };
        let bare = if bare.is_empty() { "/" } else { bare };
        match (self, bare) {
            (Self::Nl, b) => b.to_owned(),
            (Self::En, "/") => "/en".to_owned(),
            (Self::En, b) => format!("/en{b}"),
        }
    }

    /// The other language (for the language switch).
    pub fn other(self) -> Self {
        match self {
            Self::Nl => Self::En,
            Self::En => Self::Nl,
        }
    }

    /// Whether this is Dutch.
    pub fn is_dutch(self) -> bool {
        self == Self::Nl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_carry_the_language() {
        assert_eq!(Locale::from_path("/en/series/x"), Locale::En);
        assert_eq!(Locale::from_path("/en"), Locale::En);
        assert_eq!(Locale::from_path("/english"), Locale::Nl);
        assert_eq!(Locale::from_path("/series/x"), Locale::Nl);
    }

    #[test]
    fn localize_path_switches_between_languages() {
        assert_eq!(Locale::En.localize_path("/series/x"), "/en/series/x");
        assert_eq!(Locale::Nl.localize_path("/en/series/x"), "/series/x");
        assert_eq!(Locale::En.localize_path("/"), "/en");
        assert_eq!(Locale::Nl.localize_path("/en"), "/");
        assert_eq!(Locale::En.localize_path("/en"), "/en");
    }

    #[test]
    fn codes_parse_loosely() {
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("NL"), Some(Locale::Nl));
        assert_eq!(Locale::parse("de"), None);
    }
}
