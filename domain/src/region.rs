//! CBS region keys. CBS pads `RegioS` keys to 6 characters (`"NL01  "`) and `WijkenEnBuurten`
//! keys to 10; Koers stores them trimmed and pads them again only when building a filter.

/// Width of a padded `RegioS` key.
pub const REGIO_S_WIDTH: usize = 6;
/// Width of a padded `WijkenEnBuurten` key.
pub const WIJKEN_EN_BUURTEN_WIDTH: usize = 10;

/// The stored form of a region key: surrounding spaces removed.
pub fn normalize_region_key(raw: &str) -> &str {
    raw.trim()
}

/// The form CBS expects in an exact-match filter: right-padded with spaces to `width`.
pub fn pad_region_key(key: &str, width: usize) -> String {
    format!("{:<width$}", key.trim())
}

/// The kind of region a key denotes, read from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    /// `NL01`: the whole country.
    Country,
    /// `LDxx`: one of the four "landsdelen".
    Landsdeel,
    /// `PVxx`: a province.
    Province,
    /// `CRxx`: a COROP region.
    Corop,
    /// `GMxxxx`: a municipality.
    Municipality,
    /// Any other prefix.
    Other,
}

/// Classifies a (padded or trimmed) region key.
pub fn region_kind(key: &str) -> RegionKind {
    match key.trim().get(..2) {
        Some("NL") => RegionKind::Country,
        Some("LD") => RegionKind::Landsdeel,
        Some("PV") => RegionKind::Province,
        Some("CR") => RegionKind::Corop,
        Some("GM") => RegionKind::Municipality,
        _ => RegionKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_keys_are_trimmed_and_padded_back() {
        assert_eq!(normalize_region_key("NL01  "), "NL01");
        assert_eq!(pad_region_key("NL01", REGIO_S_WIDTH), "NL01  ");
        assert_eq!(
            pad_region_key("GM0363", WIJKEN_EN_BUURTEN_WIDTH),
            "GM0363    "
        );
        assert_eq!(pad_region_key("GM0363", REGIO_S_WIDTH), "GM0363");
    }

    #[test]
    fn region_kind_reads_the_prefix() {
        assert_eq!(region_kind("NL01  "), RegionKind::Country);
        assert_eq!(region_kind("PV20  "), RegionKind::Province);
        assert_eq!(region_kind("GM0363"), RegionKind::Municipality);
        assert_eq!(region_kind(""), RegionKind::Other);
    }

    proptest::proptest! {
        #[test]
        fn padding_round_trips_to_the_stored_key(
            key in "[A-Z]{2}[0-9]{2,4}|\\PC{0,12}",
            width in 0usize..16,
        ) {
            let padded = pad_region_key(&key, width);
            proptest::prop_assert_eq!(normalize_region_key(&padded), key.trim());
            proptest::prop_assert!(padded.chars().count() >= width);
            proptest::prop_assert_eq!(region_kind(&padded), region_kind(&key));
        }

        #[test]
        fn a_padded_cbs_key_has_exactly_the_cbs_width(key in "(NL|LD|PV|CR)[0-9]{2}|GM[0-9]{4}") {
            proptest::prop_assert_eq!(pad_region_key(&key, REGIO_S_WIDTH).len(), REGIO_S_WIDTH);
            proptest::prop_assert_eq!(
                pad_region_key(&key, WIJKEN_EN_BUURTEN_WIDTH).len(),
                WIJKEN_EN_BUURTEN_WIDTH
            );
            proptest::prop_assert_ne!(region_kind(&key), RegionKind::Other);
        }

        #[test]
        fn region_kind_never_panics(key in "\\PC{0,8}") {
            let _ = region_kind(&key);
        }
    }
}
