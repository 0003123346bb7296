//! Eurostat source definitions: which dataset, filtered how, for which countries, and how its
//! JSON-stat cells become figures. Every requested dimension, code and country must come back
//! exactly as asked; anything else is schema drift.
//!
//! The breakdown is always `geo` (one category per country or aggregate, keyed by its code).
//! The `unit` dimension, when present, decides the scale: `THS` (thousands) × 1,000, `NR` × 1.
//! Flags: `p` provisional, `e` estimated, `b` a break (stored as a series break), `c`/`:`/`z`
//! no figure; see [`crate::eurostat::read_flags`].

use super::{Figures, InvalidData, SchemaDrift};
use crate::eurostat::{dataset_page, parse_period, read_flags};
use crate::jsonstat::Dataset;
use domain::unit::{Scale, apply_scale};
use domain::{CategoryKey, Period, SeriesBreak, SeriesId};
use std::collections::BTreeMap;
use store::{Batch, Category};

/// The breakdown dimension of every Eurostat dataset Koers reads.
pub const GEO_DIMENSION: &str = "geo";
/// The time dimension.
pub const TIME_DIMENSION: &str = "time";
/// The unit dimension (absent from some datasets, which then publish plain counts).
pub const UNIT_DIMENSION: &str = "unit";

/// A country or aggregate, with its Dutch name (Eurostat labels are English).
#[derive(Debug)]
pub struct Geo {
    /// Eurostat code (`NL`, `EU27_2020`), also the stored category key.
    pub code: &'static str,
    /// Dutch name.
    pub name_nl: &'static str,
}

/// One Eurostat dataset and what Koers takes from it.
#[derive(Debug)]
pub struct EurostatDataset {
    /// Dataset code (`sts_cobp_a`).
    pub code: &'static str,
    /// Target series (must exist in `catalog`).
    pub series: &'static str,
    /// Dimensions held at one code each (`indic_bt=BPRM_DW`), sent as filters.
    pub filters: &'static [(&'static str, &'static str)],
    /// Countries and aggregates requested; each becomes a category of the series.
    pub geos: &'static [Geo],
}

/// The datasets of one Eurostat source, read together in one run.
#[derive(Debug)]
pub struct EurostatSet {
    /// The datasets.
    pub datasets: &'static [EurostatDataset],
}

/// Where the parts of a checked dataset are: built by [`EurostatDataset::check_schema`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    geo: usize,
    time: usize,
    scale: Scale,
}

/// The scale of a Eurostat unit code that counts things.
fn unit_scale(code: &str) -> Option<Scale> {
    let factor = match code {
        "NR" => 1.0,
        "THS" => 1_000.0,
        _ => return None,
    };
    Some(Scale {
        factor,
        percent: false,
    })
}

/// Decimals of a published number as written (`73.412` → 3), so scaling keeps what was
/// published and drops floating-point noise.
fn decimals_of(value: f64) -> u32 {
    let text = value.to_string();
    text.split_once('.')
        .map_or(0, |(_, fraction)| fraction.len().min(12) as u32)
}

impl EurostatDataset {
    /// The filters of the request: every fixed dimension, then every country.
    pub fn query(&self) -> Vec<(&'static str, &'static str)> {
        self.filters
            .iter()
            .copied()
            .chain(self.geos.iter().map(|g| (GEO_DIMENSION, g.code)))
            .collect()
    }

    /// The publisher label stored with each figure (`Eurostat sts_cobp_a`).
    pub fn source_label(&self) -> String {
        format!("Eurostat {}", self.code)
    }

    /// The public page of the dataset, stored with each figure.
    pub fn source_url(&self) -> String {
        dataset_page(self.code)
    }

    /// Compares a response with this definition: every filtered dimension present with exactly
    /// the code asked for, every country present, a time dimension, every other dimension down
    /// to one category, and a unit Koers can scale.
    pub fn check_schema(&self, ds: &Dataset) -> Result<Plan, SchemaDrift> {
        let mut problems = Vec::new();
        let codes = |d: &crate::jsonstat::Dimension| {
            d.categories
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        for &(dim, code) in self.filters {
            match ds.dimension(dim) {
                None => problems.push(format!("requested dimension {dim} is missing")),
                Some((_, d)) if d.position(code).is_none() => problems.push(format!(
                    "{dim} {code} is missing (the response has {})",
                    codes(d)
                )),
                Some((_, d)) if d.categories.len() != 1 => problems.push(format!(
                    "{dim} has {} categories where only {code} was asked for",
                    d.categories.len()
                )),
                Some(_) => {}
            }
        }
        let geo = ds.dimension(GEO_DIMENSION);
        match geo {
            None => problems.push(format!("dimension {GEO_DIMENSION} is missing")),
            Some((_, d)) => {
                for g in self.geos.iter().filter(|g| d.position(g.code).is_none()) {
                    problems.push(format!("{GEO_DIMENSION} {} is missing", g.code));
                }
            }
        }
        let time = ds.dimension(TIME_DIMENSION);
        if time.is_none() {
            problems.push(format!("dimension {TIME_DIMENSION} is missing"));
        }
        let known = |id: &str| {
            id == GEO_DIMENSION
                || id == TIME_DIMENSION
                || self.filters.iter().any(|(f, _)| *f == id)
        };
        for d in ds.dimensions.iter().filter(|d| !known(&d.id)) {
            if d.categories.len() != 1 {
                problems.push(format!(
                    "dimension {} has {} categories ({}); the source definition must choose one",
                    d.id,
                    d.categories.len(),
                    codes(d)
                ));
            }
        }
        let scale = match ds.dimension(UNIT_DIMENSION) {
            None => unit_scale("NR"),
            Some((_, d)) => match d.categories.as_slice() {
                [only] => unit_scale(&only.code).or_else(|| {
                    problems.push(format!(
                        "unit {} ({}) is not a count Koers can scale (expected THS or NR)",
                        only.code,
                        only.label.as_deref().unwrap_or("no label")
                    ));
                    None
                }),
                _ => None, // reported above
            },
        };
        match (geo, time, scale) {
            (Some((geo, _)), Some((time, _)), Some(scale)) if problems.is_empty() => {
                Ok(Plan { geo, time, scale })
            }
            _ => Err(SchemaDrift {
                table: self.code.to_owned(),
                problems,
            }),
        }
    }

    /// Adds the dataset's categories, figures and breaks to `batch`. Missing and withheld
    /// values are skipped (never 0); an unknown flag or a bad period fails the whole run.
    /// Returns the number of figures added.
    pub fn add_to_batch(
        &self,
        ds: &Dataset,
        plan: &Plan,
        batch: &mut Batch,
    ) -> Result<usize, InvalidData> {
        let fail = |message: String| InvalidData {
            table: self.code.to_owned(),
            message,
        };
        let series = SeriesId::parse(self.series).map_err(|e| fail(e.to_string()))?;
        let geo_labels = ds.dimensions.get(plan.geo);
        for (position, geo) in self.geos.iter().enumerate() {
            let label = geo_labels
                .and_then(|d| d.categories.iter().find(|c| c.code == geo.code))
                .and_then(|c| c.label.clone());
            batch.categories.push((
                series.clone(),
                Category {
                    key: CategoryKey::parse(geo.code).map_err(|e| fail(e.to_string()))?,
                    title_nl: geo.name_nl.to_owned(),
                    title_en: label,
                    group_title_nl: None,
                    position: position as i64,
                },
            ));
        }

        let mut figures = Figures::new(self.source_label(), self.source_url());
        // Per country, the periods with a figure and whether each one starts after a break.
        let mut periods: BTreeMap<&str, Vec<(Period, bool)>> = BTreeMap::new();
        for cell in &ds.cells {
            let (Some(geo), Some(time)) = (ds.code(cell, plan.geo), ds.code(cell, plan.time))
            else {
                continue;
            };
            let Some(value) = cell.value else { continue };
            if !self.geos.iter().any(|g| g.code == geo) {
                continue;
            }
            let at = || format!("{GEO_DIMENSION} {geo}, {TIME_DIMENSION} {time}");
            let flags =
                read_flags(cell.status.as_deref()).map_err(|e| fail(format!("{}: {e}", at())))?;
            if flags.withheld {
                continue;
            }
            let period = parse_period(time).map_err(|e| fail(format!("{}: {e}", at())))?;
            let category = CategoryKey::parse(geo).map_err(|e| fail(e.to_string()))?;
            let note = (!flags.meaning.is_empty()).then(|| {
                format!(
                    "Eurostat flag {}: {}",
                    cell.status.as_deref().unwrap_or("").trim(),
                    flags.meaning.join(", ")
                )
            });
            let scaled = apply_scale(value, plan.scale, decimals_of(value));
            figures
                .push_noted(&series, category, period, Some(scaled), flags.status, note)
                .map_err(&fail)?;
            periods.entry(geo).or_default().push((period, flags.breaks));
        }
        if figures.observations.is_empty() {
            return Err(fail(format!(
                "no figures for {}",
                self.geos
                    .iter()
                    .map(|g| g.code)
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        batch.breaks.extend(self.breaks(&series, periods));
        let added = figures.observations.len();
        batch.observations.extend(figures.observations);
        Ok(added)
    }

    /// A `b` flag breaks the series between the previous period with a figure and the flagged
    /// one. Breaks store no country, so countries breaking at the same period share one entry
    /// that names them all.
    fn breaks(
        &self,
        series: &SeriesId,
        mut periods: BTreeMap<&str, Vec<(Period, bool)>>,
    ) -> Vec<SeriesBreak> {
        let mut by_after: BTreeMap<Period, (Period, Vec<&Geo>)> = BTreeMap::new();
        for (code, list) in &mut periods {
            list.sort();
            let Some(geo) = self.geos.iter().find(|g| g.code == *code) else {
                continue;
            };
            for pair in list.windows(2) {
                let [(before, _), (after, true)] = pair else {
                    continue;
                };
                let entry = by_after.entry(*after).or_insert((*before, Vec::new()));
                entry.0 = entry.0.max(*before);
                entry.1.push(geo);
            }
        }
        by_after
            .into_iter()
            .map(|(after, (before, geos))| {
                let names =
                    |f: fn(&Geo) -> &str| geos.iter().map(|g| f(g)).collect::<Vec<_>>().join(", ");
                SeriesBreak {
                    series: series.clone(),
                    before,
                    after,
                    reason_nl: format!(
                        "Eurostat: breuk in de reeks (vlag b) bij {}",
                        names(|g| g.name_nl)
                    ),
                    reason_en: format!(
                        "Eurostat: break in series (flag b) for {}",
                        names(|g| g.code)
                    ),
                    source_url: self.source_url(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use crate::jsonstat::parse;
    use crate::sources::{Upstream, find};
    use domain::ObservationStatus;
    use serde_json::{Value, json};

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/../tests/fixtures/eurostat/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap()
    }

    fn dataset(code: &str) -> &'static EurostatDataset {
        match find("eurostat-permits").map(|s| &s.upstream) {
            Some(Upstream::Eurostat(set)) => set.datasets.iter().find(|d| d.code == code).unwrap(),
            _ => panic!("eurostat-permits is no Eurostat source"),
        }
    }

    fn batch_of(code: &str, doc: &Value) -> Result<Batch, String> {
        let def = dataset(code);
        let ds = parse(doc.to_string().as_bytes()).map_err(|e| e.to_string())?;
        let plan = def.check_schema(&ds).map_err(|e| e.to_string())?;
        let mut batch = Batch::default();
        def.add_to_batch(&ds, &plan, &mut batch)
            .map_err(|e| e.to_string())?;
        Ok(batch)
    }

    fn figure(
        b: &Batch,
        geo: &str,
        period: Period,
    ) -> Option<(f64, ObservationStatus, Option<String>)> {
        b.observations
            .iter()
            .find(|o| o.observation.category.as_str() == geo && o.observation.period == period)
            .map(|o| (o.observation.value, o.observation.status, o.note.clone()))
    }

    #[test]
    fn permits_are_scaled_from_thousands_with_statuses_and_notes() {
        // Act
        let b = batch_of("sts_cobp_a", &fixture("sts_cobp_a.json")).unwrap();
        // Assert: THS × 1,000; flags p and e become statuses and a note.
        assert_eq!(
            figure(&b, "NL", Period::Year(2016)),
            Some((50_997.0, ObservationStatus::Final, None))
        );
        assert_eq!(
            figure(&b, "NL", Period::Year(2024)),
            Some((
                73_000.0,
                ObservationStatus::Provisional,
                Some("Eurostat flag p: provisional".into())
            ))
        );
        let (value, status, _) = figure(&b, "EU27_2020", Period::Year(2024)).unwrap();
        assert_eq!((value, status), (1_478_500.0, ObservationStatus::Estimated));
        assert!(b.observations.iter().all(|o| o.observation.value > 0.0));
        assert!(
            b.observations
                .iter()
                .all(|o| o.source_label == "Eurostat sts_cobp_a")
        );
    }

    #[test]
    fn missing_and_confidential_cells_are_skipped_never_zero() {
        let b = batch_of("sts_cobp_a", &fixture("sts_cobp_a.json")).unwrap();
        assert_eq!(figure(&b, "DK", Period::Year(2024)), None, "absent value");
        assert_eq!(
            figure(&b, "FI", Period::Year(2015)),
            None,
            "flag c without a value"
        );
        assert!(figure(&b, "DK", Period::Year(2023)).is_some());
    }

    #[test]
    fn a_b_flag_becomes_a_break_from_the_previous_period_with_data() {
        let b = batch_of("sts_cobp_a", &fixture("sts_cobp_a.json")).unwrap();
        assert_eq!(b.breaks.len(), 1);
        let brk = &b.breaks[0];
        assert_eq!(
            (brk.before, brk.after),
            (Period::Year(2019), Period::Year(2020))
        );
        assert_eq!(brk.reason_en, "Eurostat: break in series (flag b) for DK");
        assert_eq!(
            brk.reason_nl,
            "Eurostat: breuk in de reeks (vlag b) bij Denemarken"
        );
        assert_eq!(brk.series.as_str(), "building_permits_dwellings");
    }

    #[test]
    fn categories_are_the_countries_with_both_names() {
        let b = batch_of("sts_cobp_a", &fixture("sts_cobp_a.json")).unwrap();
        let cats: Vec<(&str, &str, Option<&str>)> = b
            .categories
            .iter()
            .map(|(_, c)| (c.key.as_str(), c.title_nl.as_str(), c.title_en.as_deref()))
            .collect();
        assert_eq!(cats[0], ("NL", "Nederland", Some("Netherlands")));
        assert_eq!(cats.len(), 4);
        assert_eq!(cats[3].2, Some("European Union - 27 countries (from 2020)"));
    }

    #[test]
    fn the_array_form_gives_the_same_batch() {
        let object = batch_of("sts_cobp_a", &fixture("sts_cobp_a.json")).unwrap();
        let array = batch_of("sts_cobp_a", &fixture("sts_cobp_a.array.json")).unwrap();
        assert_eq!(object.observations, array.observations);
        assert_eq!(object.breaks, array.breaks);
    }

    #[test]
    fn population_has_no_unit_dimension_and_counts_people() {
        let b = batch_of("tps00001", &fixture("tps00001.json")).unwrap();
        let (nl, status, _) = figure(&b, "NL", Period::Year(2024)).unwrap();
        assert_eq!((nl, status), (17_942_942.0, ObservationStatus::Final));
        assert_eq!(
            figure(&b, "EU27_2020", Period::Year(2025)).map(|f| f.1),
            Some(ObservationStatus::Provisional)
        );
    }

    #[test]
    fn a_missing_filter_code_or_an_index_unit_is_drift() {
        // Arrange: another cpa2_1 code, and an index instead of thousands.
        let mut doc = fixture("sts_cobp_a.json");
        doc["dimension"]["cpa2_1"]["category"] = json!({"index": {"CPA_F41001_X_410014": 0}});
        doc["dimension"]["unit"]["category"] =
            json!({"index": {"I21": 0}, "label": {"I21": "Index, 2021=100"}});
        // Act
        let err = batch_of("sts_cobp_a", &doc).unwrap_err();
        // Assert
        assert!(
            err.contains("cpa2_1 CPA_F41001 is missing (the response has CPA_F41001_X_410014)"),
            "{err}"
        );
        assert!(err.contains("unit THS is missing"), "{err}");
        assert!(err.starts_with("schema drift in sts_cobp_a"), "{err}");
    }

    #[test]
    fn a_geo_the_response_lacks_is_drift() {
        // Arrange: a response for three countries (Finland, the last, gone from the cube)
        let mut doc = fixture("tps00001.json");
        let years = doc["size"][3].as_u64().unwrap();
        doc["dimension"]["geo"]["category"]["index"] = json!({"EU27_2020": 0, "DK": 1, "NL": 2});
        doc["size"][2] = json!(3);
        let keep = |cells: &Value| -> Value {
            let kept: serde_json::Map<String, Value> = cells
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.parse::<u64>().unwrap() < 3 * years)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Value::Object(kept)
        };
        doc["value"] = keep(&doc["value"]);
        doc["status"] = keep(&doc["status"]);
        // Act
        let err = batch_of("tps00001", &doc).unwrap_err();
        // Assert
        assert_eq!(
            err,
            "schema drift in tps00001: geo FI is missing; stored figures kept; review the source definition"
        );
    }

    #[test]
    fn an_unexpected_second_category_or_unknown_flag_fails() {
        let mut doc = fixture("tps00001.json");
        doc["dimension"]["indic_de"]["category"] = json!({"index": {"JAN": 0, "DEATH": 1}});
        let err = batch_of("tps00001", &doc).unwrap_err();
        assert!(err.contains("dimension indic_de has 2 categories"), "{err}");

        let mut doc = fixture("tps00001.json");
        doc["status"] = json!({"0": "x"});
        let err = batch_of("tps00001", &doc).unwrap_err();
        assert!(err.contains("unknown Eurostat flag 'x'"), "{err}");
        assert!(err.contains("geo EU27_2020, time 2015"), "{err}");
    }

    #[test]
    fn decimals_follow_the_published_number() {
        assert_eq!(decimals_of(73.412), 3);
        assert_eq!(decimals_of(50.997), 3);
        assert_eq!(decimals_of(17_942_942.0), 0);
        let thousands = unit_scale("THS").unwrap();
        assert_eq!(
            apply_scale(50.997, thousands, decimals_of(50.997)),
            50_997.0
        );
        assert_eq!(unit_scale("I21"), None);
    }
}
