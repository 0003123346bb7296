//! Units as CBS writes them in `DataProperties.Unit` (`"x 1 000"`, `"aantal"`, `"%"`), turned
//! into a multiplier so stored values are always plain counts or percentages.

/// How a published number must be scaled to get the stored value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Multiply the published number by this.
    pub factor: f64,
    /// Whether the figure is a percentage (stored as published).
    pub percent: bool,
}

/// A unit text that Koers does not know how to scale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit {0:?} (known: aantal, x 1 000, x 1 000 000, x mln, %)")]
pub struct UnknownUnit(pub String);

/// Reads a CBS unit text. Spaces (including non-breaking ones) and case are ignored.
pub fn parse_cbs_unit(unit: &str) -> Result<Scale, UnknownUnit> {
    let squashed: String = unit
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '.')
        .flat_map(char::to_lowercase)
        .collect();
    let plain = |factor| {
        Ok(Scale {
            factor,
            percent: false,
        })
    };
    match squashed.as_str() {
        "" | "aantal" | "number" | "woningen" | "personen" => plain(1.0),
        "x1000" | "×1000" | "1000" | "x1000personen" | "x1000woningen" => plain(1_000.0),
        "x1000000" | "×1000000" | "xmln" | "mln" | "x1mln" => plain(1_000_000.0),
        "%" | "procent" | "percent" => Ok(Scale {
            factor: 1.0,
            percent: true,
        }),
        _ => Err(UnknownUnit(unit.to_owned())),
    }
}

/// Applies a scale to a published number, rounding away floating-point noise: a value
/// published with `decimals` decimals and scaled by 1,000 is exact to `decimals - 3` places.
pub fn apply_scale(published: f64, scale: Scale, decimals: u32) -> f64 {
    let value = published * scale.factor;
    let magnitude = scale.factor.log10().round() as i32;
    let places = (decimals as i32 - magnitude).max(0);
    let p = 10f64.powi(places);
    (value * p).round() / p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_unit_of_80799ned_scales_to_people() {
        // Arrange
        let scale = parse_cbs_unit("x 1 000").unwrap();
        // Act
        let people = apply_scale(30.6, scale, 1);
        // Assert: 30.6 thousand is exactly 30,600 people, not 30599.999...
        assert_eq!(people, 30_600.0);
    }

    #[test]
    fn plain_counts_and_percentages_pass_through() {
        assert_eq!(
            apply_scale(82_932.0, parse_cbs_unit("aantal").unwrap(), 0),
            82_932.0
        );
        let pct = parse_cbs_unit("%").unwrap();
        assert!(pct.percent);
        assert_eq!(apply_scale(16.6, pct, 1), 16.6);
    }

    #[test]
    fn non_breaking_spaces_are_ignored() {
        assert_eq!(parse_cbs_unit("x\u{a0}1\u{a0}000").unwrap().factor, 1_000.0);
    }

    #[test]
    fn unknown_units_are_errors() {
        assert!(parse_cbs_unit("euro").is_err());
    }
}
