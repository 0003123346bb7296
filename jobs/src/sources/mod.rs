//! The source registry: every upstream table or dataset Koers reads, exactly what it expects
//! there, and how published numbers become figures. Any difference from those expectations fails
//! the fetch as schema drift, so a redesigned table never slips wrong numbers into a series.
//!
//! A source is either one CBS OData v3 table ([`cbs::CbsTable`]) or a set of Eurostat datasets
//! ([`eurostat::EurostatSet`]); each has its own slug and schedule.

pub mod cbs;
pub mod eurostat;

pub use cbs::{Categories, CbsTable, Periods, Pick, SeriesRule, Topic};
pub use eurostat::{EurostatDataset, EurostatSet, Geo};

use crate::freshness::{Reference, ReleaseRhythm};
use domain::{CategoryKey, Grain, Observation, ObservationStatus, Period, SeriesId};
use std::collections::HashSet;
use store::NewObservation;

/// One source: a slug with its own schedule, and the upstream it reads.
#[derive(Debug)]
pub struct SourceDef {
    /// Slug (`cbs-homeless`, `eurostat-permits`).
    pub slug: &'static str,
    /// Human name.
    pub name: &'static str,
    /// What is read, and how.
    pub upstream: Upstream,
    /// When the publisher releases the next figure: what "late" means for this source.
    pub rhythm: ReleaseRhythm,
}

/// The kinds of upstream Koers reads.
#[derive(Debug)]
pub enum Upstream {
    /// One CBS StatLine OData v3 table.
    Cbs(CbsTable),
    /// One CBS table read through OData v4 (`datasets.cbs.nl`), for tables CBS publishes only
    /// there; its topic keys are v4 measure codes. Checked and validated as a v3 table.
    Cbs4(CbsTable),
    /// One or more Eurostat datasets (JSON-stat 2.0 statistics API).
    Eurostat(EurostatSet),
}

impl SourceDef {
    /// The upstream ids as shown to people: `80799ned`, `sts_cobp_a + tps00001`.
    pub fn upstream_id(&self) -> String {
        match &self.upstream {
            Upstream::Cbs(table) | Upstream::Cbs4(table) => table.table_id.to_owned(),
            Upstream::Eurostat(set) => set
                .datasets
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
                .join(" + "),
        }
    }

    /// The series this source keeps up to date.
    pub fn series(&self) -> Vec<&'static str> {
        match &self.upstream {
            Upstream::Cbs(table) | Upstream::Cbs4(table) => {
                table.series.iter().map(|r| r.series).collect()
            }
            Upstream::Eurostat(set) => set.datasets.iter().map(|d| d.series).collect(),
        }
    }

    /// Whether this source keeps `series` up to date.
    pub fn produces(&self, series: &str) -> bool {
        self.series().contains(&series)
    }
}

/// The countries and aggregate Koers compares with Eurostat figures, in display order.
const COMPARED: &[Geo] = &[
    Geo {
        code: "NL",
        name_nl: "Nederland",
    },
    Geo {
        code: "FI",
        name_nl: "Finland",
    },
    Geo {
        code: "DK",
        name_nl: "Denemarken",
    },
    Geo {
        code: "EU27_2020",
        name_nl: "Europese Unie (27 landen, vanaf 2020)",
    },
];

/// Every source Koers runs.
pub const SOURCES: &[SourceDef] = &[
    SourceDef {
        slug: "cbs-homeless",
        name: "Dakloze mensen; persoonskenmerken (CBS 80799ned)",
        upstream: Upstream::Cbs(CbsTable {
            table_id: "80799ned",
            region: None,
            topics: &[
                Topic {
                    key: "DaklozeMensen_1",
                    unit: "x 1 000",
                },
                Topic {
                    key: "DaklozeMensenRelatief_2",
                    unit: "%",
                },
            ],
            series: &[
                SeriesRule {
                    series: "homeless_people_18_65",
                    sum_of: &["DaklozeMensen_1"],
                    categories: Categories::Each("Persoonskenmerken"),
                    fixed: &[],
                    periods: Periods::All,
                },
                SeriesRule {
                    series: "homeless_people_share",
                    sum_of: &["DaklozeMensenRelatief_2"],
                    categories: Categories::Each("Persoonskenmerken"),
                    fixed: &[],
                    periods: Periods::All,
                },
            ],
        }),
        // SOURCES.md §2.1: a count on 1 January, released yearly and irregularly 9-15 months
        // later (Sep 2021, Sep 2023, Mar 2024, Jan 2025); the 2022 count took 20 months.
        rhythm: ReleaseRhythm {
            grain: Grain::Year,
            reference: Reference::PeriodStart,
            lag_months: 15,
            grace_days: 180,
            basis: "yearly count on 1 January, published irregularly 9 to 15 months later",
        },
    },
    SourceDef {
        slug: "cbs-housing",
        name: "Voorraad woningen; standen en mutaties (CBS 82235NED)",
        upstream: Upstream::Cbs(CbsTable {
            table_id: "82235NED",
            region: None,
            topics: &[
                Topic {
                    key: "Nieuwbouw_2",
                    unit: "aantal",
                },
                Topic {
                    key: "OverigeToevoeging_3",
                    unit: "aantal",
                },
            ],
            series: &[
                SeriesRule {
                    series: "new_build_homes",
                    sum_of: &["Nieuwbouw_2"],
                    categories: Categories::Total,
                    fixed: &[],
                    periods: Periods::All,
                },
                SeriesRule {
                    series: "homes_added_total",
                    sum_of: &["Nieuwbouw_2", "OverigeToevoeging_3"],
                    categories: Categories::Total,
                    fixed: &[],
                    periods: Periods::All,
                },
            ],
        }),
        // SOURCES.md §2.2: a yearly table; CBS announces the year's new-build in January
        // (provisional) and the yearly stock table follows within the first half-year.
        rhythm: ReleaseRhythm {
            grain: Grain::Year,
            reference: Reference::PeriodEnd,
            lag_months: 6,
            grace_days: 90,
            basis: "yearly additions to the housing stock, published within six months of the year's end",
        },
    },
    SourceDef {
        slug: "cbs-permits",
        name: "Bouwvergunningen woonruimten; type, opdrachtgever, eigendom, gemeente (CBS 83671NED)",
        upstream: Upstream::Cbs(CbsTable {
            table_id: "83671NED",
            region: Some("NL01"),
            topics: &[Topic {
                key: "Woningen_2",
                unit: "aantal",
            }],
            series: &[
                SeriesRule {
                    series: "permits_by_client",
                    sum_of: &["Woningen_2"],
                    categories: Categories::Each("Opdrachtgever"),
                    fixed: &[("Eigendom", Pick::Total)],
                    periods: Periods::All,
                },
                SeriesRule {
                    series: "permits_by_tenure",
                    sum_of: &["Woningen_2"],
                    categories: Categories::Each("Eigendom"),
                    fixed: &[("Opdrachtgever", Pick::Total)],
                    periods: Periods::All,
                },
            ],
        }),
        // SOURCES.md §2.2: quarterly; Q1 2025 was reported in May 2025, permits about two months
        // after the period (83668NED, the monthly sibling, also ~2 months).
        rhythm: ReleaseRhythm {
            grain: Grain::Quarter,
            reference: Reference::PeriodEnd,
            lag_months: 2,
            grace_days: 45,
            basis: "quarterly permits, published about two months after the quarter",
        },
    },
    SourceDef {
        slug: "cbs-population",
        name: "Bevolking; kerncijfers (CBS 37296ned)",
        upstream: Upstream::Cbs(CbsTable {
            table_id: "37296ned",
            region: None,
            // Keys and units as public code and the StatLine page of 37296ned show them: the
            // total and the age bands "20 tot 40 jaar" and "40 tot 65 jaar", all in "aantal".
            // The table has no 18-year boundary; 20 up to 65 is the closest band to the 18-65
            // of the homelessness count.
            topics: &[
                Topic {
                    key: "TotaleBevolking_1",
                    unit: "aantal",
                },
                Topic {
                    key: "k_20Tot40Jaar_11",
                    unit: "aantal",
                },
                Topic {
                    key: "k_40Tot65Jaar_12",
                    unit: "aantal",
                },
            ],
            series: &[
                SeriesRule {
                    series: "population_nl",
                    sum_of: &["TotaleBevolking_1"],
                    categories: Categories::Total,
                    fixed: &[],
                    periods: Periods::Years,
                },
                SeriesRule {
                    series: "population_nl_20_64",
                    sum_of: &["k_20Tot40Jaar_11", "k_40Tot65Jaar_12"],
                    categories: Categories::Total,
                    fixed: &[],
                    periods: Periods::Years,
                },
            ],
        }),
        // Not in SOURCES.md: the key figures of 37296ned are the population on 1 January,
        // updated once a year (the fixture's table changed in August with that year's figure).
        rhythm: ReleaseRhythm {
            grain: Grain::Year,
            reference: Reference::PeriodStart,
            lag_months: 8,
            grace_days: 90,
            basis: "population on 1 January, updated once a year within eight months",
        },
    },
    SourceDef {
        slug: "cbs-wmo",
        name: "Wmo-cliënten; type maatwerkvoorziening (detail), regio (CBS 86050NED)",
        upstream: Upstream::Cbs(CbsTable {
            table_id: "86050NED",
            region: Some("NL01"),
            // The dimension and topic keys are not known from open sources: a differing key
            // fails the first fetch as drift, naming it.
            topics: &[Topic {
                key: "WmoClienten_1",
                unit: "aantal",
            }],
            series: &[SeriesRule {
                series: "wmo_clients_shelter",
                sum_of: &["WmoClienten_1"],
                categories: Categories::Difference {
                    dimension: "TypeMaatwerkvoorziening",
                    minuend: Pick::Total,
                    subtrahend: Pick::Title("Totaal exclusief verblijf en opvang"),
                },
                fixed: &[],
                periods: Periods::Years,
            }],
        }),
        // SOURCES.md §2.4: yearly and half-yearly; Koers reads the years, whose provisional
        // figure (2024*) appears in the first half of the next year.
        rhythm: ReleaseRhythm {
            grain: Grain::Year,
            reference: Reference::PeriodEnd,
            lag_months: 6,
            grace_days: 90,
            basis: "yearly Wmo clients, provisional figure within six months of the year's end",
        },
    },
    SourceDef {
        slug: "eurostat-permits",
        name: "Building permits and population (Eurostat sts_cobp_a, tps00001)",
        upstream: Upstream::Eurostat(EurostatSet {
            datasets: &[
                EurostatDataset {
                    code: "sts_cobp_a",
                    series: "building_permits_dwellings",
                    // Dwellings in residential buildings, unadjusted, published in thousands.
                    filters: &[
                        ("indic_bt", "BPRM_DW"),
                        ("cpa2_1", "CPA_F41001"),
                        ("s_adj", "NSA"),
                        ("unit", "THS"),
                    ],
                    geos: COMPARED,
                },
                EurostatDataset {
                    code: "tps00001",
                    series: "population_eurostat",
                    filters: &[],
                    geos: COMPARED,
                },
            ],
        }),
        // SOURCES.md §3: Eurostat refreshes twice a day, but a year's permits (summed from the
        // countries' quarters) and the population on 1 January are complete months later.
        rhythm: ReleaseRhythm {
            grain: Grain::Year,
            reference: Reference::PeriodEnd,
            lag_months: 6,
            grace_days: 120,
            basis: "yearly figures per country, complete about six months after the year",
        },
    },
];

/// The source with this slug.
pub fn find(slug: &str) -> Option<&'static SourceDef> {
    SOURCES.iter().find(|s| s.slug == slug)
}

/// The upstream changed shape: Koers refuses to guess what the figures now mean.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("schema drift in {table}: {}; stored figures kept; review the source definition", .problems.join("; "))]
pub struct SchemaDrift {
    /// The table or dataset.
    pub table: String,
    /// Every difference found.
    pub problems: Vec<String>,
}

/// The data cannot be stored as they are (empty, duplicated, undecodable).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid data in {table}: {message}; stored figures kept")]
pub struct InvalidData {
    /// The table or dataset.
    pub table: String,
    /// What is wrong, with the row or cell.
    pub message: String,
}

/// Figures collected for a batch: finite, each at most once, with the source's provenance.
pub(crate) struct Figures {
    label: String,
    url: String,
    seen: HashSet<(SeriesId, CategoryKey, Period)>,
    /// The figures so far.
    pub observations: Vec<NewObservation>,
}

impl Figures {
    pub(crate) fn new(label: String, url: String) -> Self {
        Self {
            label,
            url,
            seen: HashSet::new(),
            observations: Vec::new(),
        }
    }

    /// Adds a figure; an empty value is skipped (never stored as 0).
    pub(crate) fn push(
        &mut self,
        series: &SeriesId,
        category: CategoryKey,
        period: Period,
        value: Option<f64>,
        status: ObservationStatus,
    ) -> Result<(), String> {
        self.push_noted(series, category, period, value, status, None)
    }

    /// Adds a figure with a remark that travels with it.
    pub(crate) fn push_noted(
        &mut self,
        series: &SeriesId,
        category: CategoryKey,
        period: Period,
        value: Option<f64>,
        status: ObservationStatus,
        note: Option<String>,
    ) -> Result<(), String> {
        let Some(value) = value else {
            return Ok(());
        };
        if !value.is_finite() {
            return Err(format!(
                "{series} / {category} / {period}: {value} is not a finite number"
            ));
        }
        if !self.seen.insert((series.clone(), category.clone(), period)) {
            return Err(format!("duplicate figure {series} / {category} / {period}"));
        }
        self.observations.push(NewObservation {
            observation: Observation {
                series: series.clone(),
                category,
                period,
                value,
                status,
            },
            source_label: self.label.clone(),
            source_url: self.url.clone(),
            note,
            margin: None,
        });
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use domain::SeriesId;

    #[test]
    fn every_source_has_a_valid_slug_and_catalogued_series_only_it_produces() {
        for def in SOURCES {
            assert!(domain::SourceId::parse(def.slug).is_ok(), "{}", def.slug);
            for series in def.series() {
                let meta = crate::catalog::find(&SeriesId::parse(series).unwrap());
                assert!(meta.is_some(), "{series} is not in the catalogue");
                let producers: Vec<&str> = SOURCES
                    .iter()
                    .filter(|s| s.produces(series))
                    .map(|s| s.slug)
                    .collect();
                assert_eq!(producers, [def.slug], "{series}");
            }
        }
    }

    #[test]
    fn upstream_ids_name_the_table_or_every_dataset() {
        assert_eq!(find("cbs-homeless").unwrap().upstream_id(), "80799ned");
        assert_eq!(
            find("eurostat-permits").unwrap().upstream_id(),
            "sts_cobp_a + tps00001"
        );
        assert!(find("nothing").is_none());
    }
}
