//! Identifiers that appear in URLs, the API and the database.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An identifier that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {value:?}: {reason}")]
pub struct InvalidId {
    /// Which kind of identifier (series id, source id, ...).
    pub kind: &'static str,
    /// The rejected input, shortened when very long.
    pub value: String,
    /// What rule it broke.
    pub reason: &'static str,
}

const MAX_ID_LEN: usize = 64;

fn validate(kind: &'static str, raw: &str, extra: char) -> Result<(), InvalidId> {
    let fail = |reason| InvalidId {
        kind,
        value: raw.chars().take(80).collect(),
        reason,
    };
    if raw.is_empty() {
        return Err(fail("it is empty"));
    }
    if raw.len() > MAX_ID_LEN {
        return Err(fail("it is longer than 64 characters"));
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == extra)
    {
        return Err(fail(if extra == '_' {
            "only lowercase letters, digits and '_' are allowed"
        } else {
            "only lowercase letters, digits and '-' are allowed"
        }));
    }
    if !raw.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(fail("it must start with a letter"));
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $sep:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates `raw` and wraps it.
            pub fn parse(raw: &str) -> Result<Self, InvalidId> {
                validate($kind, raw, $sep)?;
                Ok(Self(raw.to_owned()))
            }
            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(raw: String) -> Result<Self, InvalidId> {
                validate($kind, &raw, $sep)?;
                Ok(Self(raw))
            }
        }
        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::parse(s)
            }
        }
        /// In the OpenAPI document an identifier is its text.
        #[cfg(feature = "utoipa")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("A ", $kind, ": lower-case letters, digits and `", $sep, "`.")))
                    .into()
            }
        }
        #[cfg(feature = "utoipa")]
        impl utoipa::ToSchema for $name {}
    };
}

id_type!(
    /// A time series, e.g. `homeless_people_18_65`.
    SeriesId, "series id", '_'
);
id_type!(
    /// An ingestion source, e.g. `cbs-homeless`.
    SourceId, "source id", '-'
);
id_type!(
    /// A goal, e.g. `zero-homelessness-2030`.
    GoalId, "goal id", '-'
);

/// A breakdown category of a series. `total` is the headline figure; other keys are the
/// publisher's own category codes (for CBS the `Persoonskenmerken` key, trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryKey(String);

impl CategoryKey {
    /// The key of the headline (total) figure.
    pub const TOTAL: &'static str = "total";

    /// The headline category.
    pub fn total() -> Self {
        Self(Self::TOTAL.to_owned())
    }
    /// Validates a category key: 1-32 ASCII letters, digits, `_` or `-`.
    pub fn parse(raw: &str) -> Result<Self, InvalidId> {
        let raw = raw.trim();
        let ok = !raw.is_empty()
            && raw.len() <= 32
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidId {
                kind: "category",
                value: raw.chars().take(80).collect(),
                reason: "use 1-32 letters, digits, '_' or '-'",
            })
        }
    }
    /// Whether this is the headline figure.
    pub fn is_total(&self) -> bool {
        self.0 == Self::TOTAL
    }
    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CategoryKey {
    type Error = InvalidId;
    fn try_from(raw: String) -> Result<Self, InvalidId> {
        Self::parse(&raw)
    }
}
impl From<CategoryKey> for String {
    fn from(k: CategoryKey) -> String {
        k.0
    }
}
impl fmt::Display for CategoryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// In the OpenAPI document a category key is its text.
#[cfg(feature = "utoipa")]
impl utoipa::PartialSchema for CategoryKey {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A breakdown category: `total` for the headline figure, otherwise the publisher's \
                 own code (1-32 letters, digits, `_` or `-`).",
            ))
            .examples(["total"])
            .into()
    }
}
#[cfg(feature = "utoipa")]
impl utoipa::ToSchema for CategoryKey {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_id_accepts_snake_case() {
        assert!(SeriesId::parse("homeless_people_18_65").is_ok());
    }

    #[test]
    fn series_id_rejects_path_tricks_and_uppercase() {
        for bad in [
            "",
            "../etc",
            "Homeless",
            "a b",
            "1abc",
            "x".repeat(65).as_str(),
        ] {
            assert!(SeriesId::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn source_id_uses_dashes() {
        assert!(SourceId::parse("cbs-homeless").is_ok());
        assert!(SourceId::parse("cbs_homeless").is_err());
    }

    #[test]
    fn category_key_trims_cbs_padding() {
        assert_eq!(
            CategoryKey::parse("  T009002 ").unwrap().as_str(),
            "T009002"
        );
        assert!(CategoryKey::parse("a/b").is_err());
    }

    proptest::proptest! {
        #[test]
        fn accepted_ids_round_trip_and_stay_safe_in_paths(raw in "\\PC{0,70}|[a-z][a-z0-9_-]{0,70}") {
            // Series and category ids come from URLs, uploads and CBS keys: an accepted id
            // parses back to itself and never holds a path or markup character.
            if let Ok(id) = SeriesId::parse(&raw) {
                proptest::prop_assert_eq!(SeriesId::parse(id.as_str()).unwrap(), id.clone());
                proptest::prop_assert!(!id.as_str().contains(['/', '.', '<', '%', ' ']));
            }
            if let Ok(id) = SourceId::parse(&raw) {
                proptest::prop_assert_eq!(SourceId::parse(id.as_str()).unwrap(), id);
            }
            if let Ok(key) = CategoryKey::parse(&raw) {
                proptest::prop_assert_eq!(CategoryKey::parse(key.as_str()).unwrap(), key.clone());
                proptest::prop_assert_eq!(key.as_str(), raw.trim());
                proptest::prop_assert!(!key.as_str().contains(['/', '.', '<', '%', ' ']));
            }
        }
    }
}
