//! CBS source definitions: the exact columns a table must have (with their units), which
//! categories of which dimensions make each series, and how rows become a validated batch.
//!
//! A series rule takes the categories of one breakdown dimension (or only the total, or the
//! difference of two categories) while every other dimension it names is held at one category.
//! Categories are named by key, as "the total", or by the start of their title when CBS keys
//! are not known in advance; a name that no longer matches is schema drift.

use super::{Figures, InvalidData, SchemaDrift};
use crate::cbs::{DataProperty, DataRow, DimensionRow, TableMeta, cell_number};
use domain::region::{REGIO_S_WIDTH, pad_region_key};
use domain::unit::{Scale, apply_scale, parse_cbs_unit};
use domain::{CategoryKey, ObservationStatus, Period, SeriesId};
use std::collections::{BTreeMap, HashMap, HashSet};
use store::{Batch, Category};

/// The time dimension of every CBS table Koers reads.
pub const PERIOD_DIMENSION: &str = "Perioden";
/// The region dimension of regional CBS tables.
pub const REGION_DIMENSION: &str = "RegioS";

/// A topic (figure column) a source needs, with the unit it must have.
#[derive(Debug)]
pub struct Topic {
    /// Column key, suffix included (`DaklozeMensen_1`).
    pub key: &'static str,
    /// Expected `DataProperties.Unit`.
    pub unit: &'static str,
}

/// A category of a dimension, as a source definition names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The total: the first category whose key starts with `T` and whose title starts with
    /// "Totaal" (CBS lists the total first).
    Total,
    /// The category with this key (trimmed, as stored).
    Key(&'static str),
    /// The one category whose title starts with this text (ignoring case), for tables whose
    /// keys are not known in advance.
    Title(&'static str),
}

/// Where a series' categories come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Categories {
    /// Only the headline figure: the table has no other dimension than those held fixed.
    Total,
    /// Every category of this dimension (the total stored as `total`).
    Each(&'static str),
    /// One headline figure: `minuend − subtrahend`, two categories of `dimension`, stored only
    /// when both are published.
    Difference {
        /// The dimension both categories belong to.
        dimension: &'static str,
        /// The category subtracted from.
        minuend: Pick,
        /// The category subtracted.
        subtrahend: Pick,
    },
}

/// Which periods of a table a series takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periods {
    /// Every period CBS publishes (years, quarters, months, ...).
    All,
    /// Calendar years only.
    Years,
}

/// How one series is computed from the rows of a table.
#[derive(Debug)]
pub struct SeriesRule {
    /// Target series (must exist in `catalog`).
    pub series: &'static str,
    /// Topics added together (only when every cell of the sum exists).
    pub sum_of: &'static [&'static str],
    /// The series' categories.
    pub categories: Categories,
    /// Other dimensions, each held at one category.
    pub fixed: &'static [(&'static str, Pick)],
    /// Periods taken.
    pub periods: Periods,
}

/// A CBS table and what Koers takes from it.
#[derive(Debug)]
pub struct CbsTable {
    /// CBS table id, exactly as published (case matters).
    pub table_id: &'static str,
    /// Only this region (`NL01`): the Feed is asked for it with a padded `$filter` on
    /// `RegioS`, and every series holds `RegioS` at it. `None`: the table has no regions.
    pub region: Option<&'static str>,
    /// Required topics.
    pub topics: &'static [Topic],
    /// Series produced.
    pub series: &'static [SeriesRule],
}

/// Scale and decimals of each required topic, read from `DataProperties`.
pub type TopicScales = HashMap<&'static str, (Scale, u32)>;

/// What a table's metadata made of its source definition: the unit of every topic and the
/// actual key of every category a rule names. Built by [`CbsTable::check_schema`].
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    scales: TopicScales,
    rules: Vec<Resolved>,
}

#[derive(Debug, Clone, PartialEq)]
struct Resolved {
    fixed: Vec<(&'static str, String)>,
    categories: ResolvedCategories,
}

#[derive(Debug, Clone, PartialEq)]
enum ResolvedCategories {
    Total,
    Each {
        dimension: &'static str,
        total: String,
    },
    Difference {
        dimension: &'static str,
        minuend: String,
        subtrahend: String,
    },
}

/// The part of a topic key before its position suffix: `Nieuwbouw` for `Nieuwbouw_2`.
fn topic_stem(key: &str) -> &str {
    match key.rsplit_once('_') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => key,
    }
}

/// The key of the category `pick` names among `rows` of dimension `dim`.
fn resolve(pick: Pick, dim: &str, rows: &[DimensionRow]) -> Result<String, String> {
    match pick {
        Pick::Total => rows
            .iter()
            .find(|r| r.key.starts_with('T') && r.title.starts_with("Totaal"))
            .map(|r| r.key.clone())
            .ok_or_else(|| {
                format!("{dim} has no total (a key starting with T titled \"Totaal ...\")")
            }),
        Pick::Key(key) => rows
            .iter()
            .find(|r| r.key == key.trim())
            .map(|r| r.key.clone())
            .ok_or_else(|| format!("{dim} has no category {key}")),
        Pick::Title(start) => {
            let start = start.to_lowercase();
            let found: Vec<&DimensionRow> = rows
                .iter()
                .filter(|r| r.title.to_lowercase().starts_with(&start))
                .collect();
            match found.as_slice() {
                [one] => Ok(one.key.clone()),
                [] => Err(format!(
                    "{dim} has no category titled \"{start}...\" (the titles changed)"
                )),
                several => Err(format!(
                    "several categories of {dim} are titled \"{start}...\" ({})",
                    several
                        .iter()
                        .map(|r| r.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    }
}

impl CbsTable {
    /// Dimensions the source reads: every dimension a rule names, the region, and the periods.
    pub fn dimensions(&self) -> Vec<&'static str> {
        let mut dims: Vec<&'static str> = Vec::new();
        for rule in self.series {
            let named = match rule.categories {
                Categories::Total => None,
                Categories::Each(dim) | Categories::Difference { dimension: dim, .. } => Some(dim),
            };
            for dim in named.into_iter().chain(rule.fixed.iter().map(|(d, _)| *d)) {
                if !dims.contains(&dim) {
                    dims.push(dim);
                }
            }
        }
        if self.region.is_some() {
            dims.push(REGION_DIMENSION);
        }
        dims.push(PERIOD_DIMENSION);
        dims
    }

    /// The Feed `$filter` of a regional table: `RegioS eq 'NL01  '` (CBS pads region keys to
    /// six characters; an unpadded key silently matches nothing).
    pub fn feed_filter(&self) -> Option<String> {
        self.region.map(|r| {
            format!(
                "{REGION_DIMENSION} eq '{}'",
                pad_region_key(r, REGIO_S_WIDTH)
            )
        })
    }

    /// The publisher label stored with each figure (`CBS 80799ned`).
    pub fn source_label(&self) -> String {
        format!("CBS {}", self.table_id)
    }

    /// The public page of the table, stored with each figure.
    pub fn source_url(&self) -> String {
        format!("https://www.cbs.nl/nl-nl/cijfers/detail/{}", self.table_id)
    }

    /// Compares the metadata with what this source expects: every dimension present, every
    /// topic under its exact key with its unit, every named category found. Returns the plan
    /// [`build_batch`](Self::build_batch) follows.
    pub fn check_schema(&self, meta: &TableMeta) -> Result<Plan, SchemaDrift> {
        let mut problems = Vec::new();
        let mut usable = HashSet::new();
        for dim in self.dimensions() {
            match meta.properties.iter().find(|p| p.key == dim) {
                Some(p) if p.is_dimension() => {
                    usable.insert(dim);
                }
                Some(p) => problems.push(format!(
                    "column {dim} is now a {} instead of a dimension",
                    p.kind
                )),
                None => problems.push(format!(
                    "required dimension {dim} is missing (DataProperties changed)"
                )),
            }
        }
        let scales = self.topic_scales(&meta.properties, &mut problems);
        // The key `pick` names in `dim`; `None` (with the problem noted) when it cannot be found.
        let find = |pick: Pick, dim: &'static str, problems: &mut Vec<String>| {
            if !usable.contains(dim) {
                return None; // reported above
            }
            let Some(rows) = meta.dimensions.get(dim) else {
                problems.push(format!("dimension {dim} was not read"));
                return None;
            };
            resolve(pick, dim, rows).map_err(|e| problems.push(e)).ok()
        };
        let mut rules = Vec::new();
        for rule in self.series {
            let region = self.region.map(|r| (REGION_DIMENSION, Pick::Key(r)));
            let mut fixed = Vec::new();
            for &(dim, pick) in region.iter().chain(rule.fixed) {
                if let Some(key) = find(pick, dim, &mut problems) {
                    fixed.push((dim, key));
                }
            }
            let categories = match rule.categories {
                Categories::Total => Some(ResolvedCategories::Total),
                Categories::Each(dimension) => find(Pick::Total, dimension, &mut problems)
                    .map(|total| ResolvedCategories::Each { dimension, total }),
                Categories::Difference {
                    dimension,
                    minuend,
                    subtrahend,
                } => {
                    let m = find(minuend, dimension, &mut problems);
                    let s = find(subtrahend, dimension, &mut problems);
                    match (m, s) {
                        (Some(m), Some(s)) if m == s => {
                            problems.push(format!(
                                "{}: both sides of the difference are {dimension} {m}",
                                rule.series
                            ));
                            None
                        }
                        (Some(minuend), Some(subtrahend)) => Some(ResolvedCategories::Difference {
                            dimension,
                            minuend,
                            subtrahend,
                        }),
                        _ => None,
                    }
                }
            };
            if let Some(categories) = categories {
                rules.push(Resolved { fixed, categories });
            }
        }
        if problems.is_empty() {
            Ok(Plan { scales, rules })
        } else {
            // Several rules may hold the same category: name each problem once.
            let mut seen = HashSet::new();
            problems.retain(|p| seen.insert(p.clone()));
            Err(SchemaDrift {
                table: self.table_id.to_owned(),
                problems,
            })
        }
    }

    fn topic_scales(&self, properties: &[DataProperty], problems: &mut Vec<String>) -> TopicScales {
        let mut scales = TopicScales::new();
        for topic in self.topics {
            let Some(found) = properties
                .iter()
                .find(|p| p.is_topic() && p.key == topic.key)
            else {
                let stem = topic_stem(topic.key);
                problems.push(
                    match properties
                        .iter()
                        .find(|p| p.is_topic() && topic_stem(&p.key) == stem)
                    {
                        Some(moved) => format!(
                            "topic {} moved to {} (DataProperties changed)",
                            topic.key, moved.key
                        ),
                        None => format!("topic {} is missing from DataProperties", topic.key),
                    },
                );
                continue;
            };
            let unit = found.unit.as_deref().unwrap_or("").trim();
            match (parse_cbs_unit(topic.unit), parse_cbs_unit(unit)) {
                (Ok(expected), Ok(actual)) if expected == actual => {
                    scales.insert(topic.key, (actual, found.decimals.unwrap_or(0)));
                }
                _ => problems.push(format!(
                    "the unit of topic {} changed from {:?} to {:?}",
                    topic.key, topic.unit, unit
                )),
            }
        }
        scales
    }

    /// Turns the rows into a validated batch: every period decodes and is listed in `Perioden`
    /// (its status gives the figure's status), every category is known, every number is finite,
    /// no figure appears twice, and missing cells are skipped (never stored as 0).
    pub fn build_batch(
        &self,
        meta: &TableMeta,
        plan: &Plan,
        rows: &[DataRow],
    ) -> Result<Batch, InvalidData> {
        let fail = |message: String| InvalidData {
            table: self.table_id.to_owned(),
            message,
        };
        if rows.is_empty() {
            return Err(fail("empty table: TypedDataSet has no rows".to_owned()));
        }
        if plan.rules.len() != self.series.len() {
            return Err(fail("the plan belongs to another source".to_owned()));
        }
        let rules: Vec<(SeriesId, &SeriesRule, &Resolved)> = self
            .series
            .iter()
            .zip(&plan.rules)
            .map(|(r, resolved)| SeriesId::parse(r.series).map(|id| (id, r, resolved)))
            .collect::<Result<_, _>>()
            .map_err(|e| fail(e.to_string()))?;
        let statuses = self.period_statuses(meta).map_err(&fail)?;
        let mut categories = Vec::new();
        let mut keys: HashMap<&str, HashMap<String, CategoryKey>> = HashMap::new();
        for (series_id, _, resolved) in &rules {
            if let ResolvedCategories::Each { dimension, total } = &resolved.categories {
                let (list, map) = category_list(meta, dimension, total).map_err(&fail)?;
                categories.extend(list.into_iter().map(|c| (series_id.clone(), c)));
                keys.insert(dimension, map);
            }
        }

        let mut out = Figures::new(self.source_label(), self.source_url());
        // (rule, period) → (minuend, subtrahend, status): a cell is `Some(None)` when read empty.
        type Sides = (Option<Option<f64>>, Option<Option<f64>>, ObservationStatus);
        let mut differences: BTreeMap<(usize, Period), Sides> = BTreeMap::new();
        for row in rows {
            let id = row
                .get("ID")
                .map_or_else(|| "?".to_owned(), |v| v.to_string());
            let text = |column: &str| {
                row.get(column)
                    .and_then(|v| v.as_str())
                    .map(str::trim)
                    .ok_or_else(|| fail(format!("row ID {id} has no text column {column}")))
            };
            let code = text(PERIOD_DIMENSION)?;
            let period = Period::parse_cbs(code).map_err(|e| fail(format!("row ID {id}: {e}")))?;
            let status = *statuses.get(code).ok_or_else(|| {
                fail(format!(
                    "row ID {id}: period {code:?} is not listed in {PERIOD_DIMENSION}"
                ))
            })?;
            for (i, (series_id, rule, resolved)) in rules.iter().enumerate() {
                if rule.periods == Periods::Years && !period.is_year() {
                    continue;
                }
                let mut held = true;
                for (dim, key) in &resolved.fixed {
                    held &= text(dim)? == key.as_str();
                }
                if !held {
                    continue;
                }
                match &resolved.categories {
                    ResolvedCategories::Total => {
                        let value = self
                            .row_value(row, rule, &plan.scales, &id)
                            .map_err(&fail)?;
                        out.push(series_id, CategoryKey::total(), period, value, status)
                            .map_err(|e| fail(format!("{e} (row ID {id})")))?;
                    }
                    ResolvedCategories::Each { dimension, .. } => {
                        let key = text(dimension)?;
                        let category = keys
                            .get(dimension)
                            .and_then(|k| k.get(key))
                            .ok_or_else(|| {
                                fail(format!(
                                    "row ID {id}: category {key:?} is not listed in {dimension}"
                                ))
                            })?
                            .clone();
                        let value = self
                            .row_value(row, rule, &plan.scales, &id)
                            .map_err(&fail)?;
                        out.push(series_id, category, period, value, status)
                            .map_err(|e| fail(format!("{e} (row ID {id})")))?;
                    }
                    ResolvedCategories::Difference {
                        dimension,
                        minuend,
                        subtrahend,
                    } => {
                        let key = text(dimension)?;
                        if key != minuend.as_str() && key != subtrahend.as_str() {
                            continue;
                        }
                        let value = self
                            .row_value(row, rule, &plan.scales, &id)
                            .map_err(&fail)?;
                        let sides = differences
                            .entry((i, period))
                            .or_insert((None, None, status));
                        let side = if key == minuend.as_str() {
                            &mut sides.0
                        } else {
                            &mut sides.1
                        };
                        if side.replace(value).is_some() {
                            return Err(fail(format!(
                                "duplicate figure {series_id} / {dimension} {key} / {period} (row ID {id})"
                            )));
                        }
                    }
                }
            }
        }
        for ((i, period), sides) in differences {
            let (Some(Some(minuend)), Some(Some(subtrahend)), status) = sides else {
                continue;
            };
            let Some((series_id, _, resolved)) = rules.get(i) else {
                continue;
            };
            let value = minuend - subtrahend;
            if value < 0.0 {
                let names = match &resolved.categories {
                    ResolvedCategories::Difference {
                        dimension,
                        minuend,
                        subtrahend,
                    } => format!("{dimension} {minuend} minus {subtrahend}"),
                    _ => String::new(),
                };
                return Err(fail(format!(
                    "{series_id} {period}: {names} is negative ({minuend} - {subtrahend}); \
                     the categories no longer nest"
                )));
            }
            out.push(series_id, CategoryKey::total(), period, Some(value), status)
                .map_err(&fail)?;
        }
        if out.observations.is_empty() {
            return Err(fail(format!(
                "no figures: none of the {} rows holds a figure Koers takes",
                rows.len()
            )));
        }
        Ok(Batch {
            categories,
            observations: out.observations,
            breaks: Vec::new(),
        })
    }

    /// The rule's topics summed over one row; `None` when any cell is empty.
    fn row_value(
        &self,
        row: &DataRow,
        rule: &SeriesRule,
        scales: &TopicScales,
        id: &str,
    ) -> Result<Option<f64>, String> {
        let mut sum = Some(0.0);
        for &topic in rule.sum_of {
            let cell = row
                .get(topic)
                .ok_or_else(|| format!("row ID {id} has no column {topic}"))?;
            let value = cell_number(cell).map_err(|e| format!("row ID {id}, {topic}: {e}"))?;
            let &(scale, decimals) = scales
                .get(topic)
                .ok_or_else(|| format!("topic {topic} has no unit (not declared in the source)"))?;
            sum = sum
                .zip(value)
                .map(|(s, v)| s + apply_scale(v, scale, decimals));
        }
        Ok(sum)
    }

    fn period_statuses(
        &self,
        meta: &TableMeta,
    ) -> Result<HashMap<String, ObservationStatus>, String> {
        let rows = meta
            .dimensions
            .get(PERIOD_DIMENSION)
            .ok_or_else(|| format!("dimension {PERIOD_DIMENSION} was not read"))?;
        rows.iter()
            .map(|p| {
                ObservationStatus::from_cbs(p.status.as_deref())
                    .map(|s| (p.key.clone(), s))
                    .map_err(|e| format!("period {}: {e}", p.key))
            })
            .collect()
    }
}

/// The categories of a breakdown dimension, and CBS key → stored key (the total is `total`).
fn category_list(
    meta: &TableMeta,
    dim: &str,
    total: &str,
) -> Result<(Vec<Category>, HashMap<String, CategoryKey>), String> {
    let rows = meta
        .dimensions
        .get(dim)
        .ok_or_else(|| format!("dimension {dim} was not read"))?;
    let mut keys = HashMap::new();
    let mut categories = Vec::new();
    for (position, row) in rows.iter().enumerate() {
        let key = if row.key == total {
            CategoryKey::total()
        } else {
            CategoryKey::parse(&row.key).map_err(|e| format!("{dim}: {e}"))?
        };
        let group = row
            .group_id
            .and_then(|g| meta.groups.iter().find(|cg| cg.id == g))
            .map(|cg| cg.title.clone());
        categories.push(Category {
            key: key.clone(),
            title_nl: row.title.clone(),
            title_en: None,
            group_title_nl: group,
            position: position as i64,
        });
        keys.insert(row.key.clone(), key);
    }
    Ok((categories, keys))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use crate::cbs::DataRow;
    use crate::cbs::{
        CategoryGroup, parse_category_groups, parse_data_page, parse_data_properties,
        parse_dimension,
    };
    use crate::sources::{SOURCES, Upstream, find};

    fn fixture(table: &str, name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../tests/fixtures/cbs/{table}/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn table(slug: &str) -> &'static CbsTable {
        match find(slug).map(|s| &s.upstream) {
            Some(Upstream::Cbs(t)) => t,
            _ => panic!("{slug} is no CBS source"),
        }
    }

    fn meta(def: &CbsTable) -> TableMeta {
        let t = def.table_id;
        let groups: Vec<CategoryGroup> = std::fs::read(format!(
            "{}/../tests/fixtures/cbs/{t}/CategoryGroups.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .map(|body| parse_category_groups(&body).unwrap())
        .unwrap_or_default();
        TableMeta {
            properties: parse_data_properties(&fixture(t, "DataProperties")).unwrap(),
            dimensions: def
                .dimensions()
                .into_iter()
                .map(|d| (d.to_owned(), parse_dimension(&fixture(t, d)).unwrap()))
                .collect(),
            groups,
        }
    }

    fn rows(def: &CbsTable) -> Vec<DataRow> {
        parse_data_page(&fixture(def.table_id, "TypedDataSet"))
            .unwrap()
            .rows
    }

    fn batch(slug: &str) -> Batch {
        let def = table(slug);
        let meta = meta(def);
        let plan = def.check_schema(&meta).unwrap();
        def.build_batch(&meta, &plan, &rows(def)).unwrap()
    }

    fn value(
        b: &Batch,
        series: &str,
        category: &str,
        period: Period,
    ) -> Option<(f64, ObservationStatus)> {
        b.observations
            .iter()
            .map(|o| &o.observation)
            .find(|o| {
                o.series.as_str() == series && o.category.as_str() == category && o.period == period
            })
            .map(|o| (o.value, o.status))
    }

    fn year(y: i32) -> Period {
        Period::Year(y)
    }

    fn retitle(meta: &mut TableMeta, dim: &str, key: &str, title: &str) {
        meta.dimensions
            .get_mut(dim)
            .unwrap()
            .iter_mut()
            .find(|r| r.key == key)
            .unwrap()
            .title = title.to_owned();
    }

    #[test]
    fn every_rule_sums_declared_topics_with_known_units() {
        for def in SOURCES {
            let Upstream::Cbs(t) = &def.upstream else {
                continue;
            };
            for rule in t.series {
                for topic in rule.sum_of {
                    assert!(t.topics.iter().any(|d| d.key == *topic), "{topic}");
                }
            }
            for topic in t.topics {
                assert!(parse_cbs_unit(topic.unit).is_ok(), "{}", topic.unit);
            }
        }
    }

    #[test]
    fn homeless_figures_are_scaled_from_thousands_to_people() {
        // Act
        let b = batch("cbs-homeless");
        // Assert: the real 80799ned values, in people, with the Perioden status.
        let total = |y| value(&b, "homeless_people_18_65", "total", year(y));
        assert_eq!(total(2009), Some((17_800.0, ObservationStatus::Final)));
        assert_eq!(total(2018), Some((39_300.0, ObservationStatus::Final)));
        assert_eq!(
            total(2021),
            Some((32_000.0, ObservationStatus::Provisional))
        );
        assert_eq!(total(2024), Some((33_000.0, ObservationStatus::Final)));
        assert_eq!(
            value(&b, "homeless_people_18_65", "3000", year(2021))
                .unwrap()
                .0,
            26_700.0
        );
        assert_eq!(
            value(&b, "homeless_people_18_65", "4000", year(2021))
                .unwrap()
                .0,
            5_300.0
        );
        assert_eq!(
            value(&b, "homeless_people_share", "4000", year(2021))
                .unwrap()
                .0,
            16.6
        );
        assert_eq!(total(2019), None, "2019 was not published");
    }

    #[test]
    fn null_cells_are_skipped_not_stored_as_zero() {
        let b = batch("cbs-homeless");
        // 18-30 is an age band of the old source only (to 2018).
        assert!(value(&b, "homeless_people_18_65", "53115", year(2017)).is_some());
        assert_eq!(
            value(&b, "homeless_people_18_65", "53115", year(2021)),
            None
        );
        assert!(b.observations.iter().all(|o| o.observation.value != 0.0));
        assert_eq!(b.observations.len(), 2 * 175);
    }

    #[test]
    fn categories_keep_labels_groups_and_the_total() {
        let b = batch("cbs-homeless");
        let cats: Vec<&Category> = b
            .categories
            .iter()
            .filter(|(s, _)| s.as_str() == "homeless_people_18_65")
            .map(|(_, c)| c)
            .collect();
        assert_eq!(cats.len(), 14);
        assert_eq!(
            (cats[0].key.as_str(), cats[0].title_nl.as_str()),
            ("total", "Totaal personen")
        );
        let women = cats.iter().find(|c| c.key.as_str() == "4000").unwrap();
        assert_eq!(
            (women.title_nl.as_str(), women.group_title_nl.as_deref()),
            ("Vrouwen", Some("Geslacht"))
        );
    }

    #[test]
    fn population_totals_are_stored_as_people_per_year() {
        // Act
        let b = batch("cbs-population");
        // Assert: the CBS totals on 1 January, in people, final like their periods.
        let total = |y| value(&b, "population_nl", "total", year(y));
        for (y, people) in [
            (2018, 17_181_084.0),
            (2019, 17_282_163.0),
            (2020, 17_407_585.0),
            (2021, 17_475_415.0),
            (2022, 17_590_672.0),
            (2023, 17_811_291.0),
            (2024, 17_942_942.0),
        ] {
            assert_eq!(total(y), Some((people, ObservationStatus::Final)), "{y}");
        }
        assert!(b.categories.is_empty());
        // 12 years in the fixture, two series
        assert_eq!(b.observations.len(), 2 * 12);
        assert!(
            b.observations
                .iter()
                .all(|o| o.observation.period.is_year())
        );
    }

    #[test]
    fn the_20_to_64_band_adds_the_two_cbs_age_groups() {
        let b = batch("cbs-population");
        // 4,253,083 (20 tot 40) + 5,878,229 (40 tot 65) on 1 January 2018 (CBS 37296ned)
        assert_eq!(
            value(&b, "population_nl_20_64", "total", year(2018)),
            Some((10_131_312.0, ObservationStatus::Final))
        );
        assert_eq!(
            value(&b, "population_nl_20_64", "total", year(2019))
                .unwrap()
                .0,
            4_309_987.0 + 5_866_334.0
        );
        for y in [1950, 2000, 2010, 2015, 2016, 2018, 2019, 2024] {
            let band = value(&b, "population_nl_20_64", "total", year(y))
                .unwrap()
                .0;
            let all = value(&b, "population_nl", "total", year(y)).unwrap().0;
            assert!(band > 0.3 * all && band < all, "{y}: {band} of {all}");
        }
    }

    #[test]
    fn a_population_topic_published_in_thousands_is_scaled_to_people() {
        // Arrange: CBS switches the total to "x 1 000" and the source follows.
        let def = CbsTable {
            table_id: "37296ned",
            region: None,
            topics: &[Topic {
                key: "TotaleBevolking_1",
                unit: "x 1 000",
            }],
            series: &[SeriesRule {
                series: "population_nl",
                sum_of: &["TotaleBevolking_1"],
                categories: Categories::Total,
                fixed: &[],
                periods: Periods::Years,
            }],
        };
        let mut meta = meta(table("cbs-population"));
        meta.properties
            .iter_mut()
            .find(|p| p.key == "TotaleBevolking_1")
            .unwrap()
            .unit = Some("x 1 000".into());
        let mut rows = rows(table("cbs-population"));
        for row in &mut rows {
            if row["Perioden"] == "2024JJ00" {
                row.insert("TotaleBevolking_1".into(), serde_json::json!(17_942.9));
            }
        }
        // Act
        let plan = def.check_schema(&meta).unwrap();
        let b = def.build_batch(&meta, &plan, &rows).unwrap();
        // Assert
        assert_eq!(
            value(&b, "population_nl", "total", year(2024)).unwrap().0,
            17_942_900.0
        );
        // and the real source refuses the changed unit
        let err = table("cbs-population")
            .check_schema(&meta)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "the unit of topic TotaleBevolking_1 changed from \"aantal\" to \"x 1 000\""
            ),
            "{err}"
        );
    }

    #[test]
    fn housing_sums_only_when_both_cells_exist() {
        let b = batch("cbs-housing");
        assert_eq!(
            value(&b, "new_build_homes", "total", year(2024)),
            Some((69_000.0, ObservationStatus::Provisional))
        );
        assert_eq!(
            value(&b, "homes_added_total", "total", year(2024))
                .unwrap()
                .0,
            82_000.0
        );
        assert_eq!(
            value(&b, "new_build_homes", "total", year(2023)).unwrap().0,
            73_300.0
        );
        assert_eq!(
            value(&b, "homes_added_total", "total", year(2023)),
            None,
            "other additions 2023 are empty"
        );
        assert!(b.categories.is_empty());
    }

    #[test]
    fn permits_by_client_hold_tenure_at_its_total_and_the_region_at_nl01() {
        // Act
        let b = batch("cbs-permits");
        // Assert: the published national totals (rd.nl, cobouw.nl), quarters and years apart.
        let total = |p| value(&b, "permits_by_client", "total", p);
        assert_eq!(
            total(Period::Quarter(2025, 1)),
            Some((12_500.0, ObservationStatus::Provisional))
        );
        assert_eq!(total(Period::Quarter(2024, 1)).unwrap().0, 16_000.0);
        assert_eq!(total(Period::Quarter(2025, 2)).unwrap().0, 20_000.0);
        assert_eq!(total(Period::Quarter(2024, 2)).unwrap().0, 23_300.0);
        assert_eq!(
            total(year(2016)),
            Some((50_997.0, ObservationStatus::Final))
        );
        assert_eq!(total(year(2024)).unwrap().0, 73_000.0);
        // the clients add up to the total; Amsterdam's rows are not taken
        let q1 = Period::Quarter(2025, 1);
        let clients: f64 = ["A028184", "A028185", "A028186"]
            .iter()
            .map(|c| value(&b, "permits_by_client", c, q1).unwrap().0)
            .sum();
        assert_eq!(clients, 12_500.0);
        assert_eq!(
            value(&b, "permits_by_client", "A028184", q1).unwrap().0,
            3_750.0
        );
        let keys: Vec<&str> = b
            .categories
            .iter()
            .filter(|(s, _)| s.as_str() == "permits_by_client")
            .map(|(_, c)| c.key.as_str())
            .collect();
        assert_eq!(keys, ["total", "A028184", "A028185", "A028186"]);
        // 8 periods × (4 clients + 3 tenures)
        assert_eq!(b.observations.len(), 8 * 7);
    }

    #[test]
    fn permits_by_tenure_hold_the_client_at_its_total() {
        let b = batch("cbs-permits");
        let q1 = Period::Quarter(2025, 1);
        let rent = value(&b, "permits_by_tenure", "A028867", q1).unwrap().0;
        let buy = value(&b, "permits_by_tenure", "A028868", q1).unwrap().0;
        assert_eq!((rent, buy), (6_823.0, 5_677.0));
        assert_eq!(
            value(&b, "permits_by_tenure", "total", q1).unwrap().0,
            rent + buy
        );
        let labels: Vec<&str> = b
            .categories
            .iter()
            .filter(|(s, _)| s.as_str() == "permits_by_tenure")
            .map(|(_, c)| c.title_nl.as_str())
            .collect();
        assert_eq!(labels, ["Totaal eigendom", "Huur", "Koop"]);
    }

    #[test]
    fn a_regional_table_is_filtered_with_the_padded_key() {
        let permits = table("cbs-permits");
        assert_eq!(permits.feed_filter().as_deref(), Some("RegioS eq 'NL01  '"));
        assert_eq!(
            permits.dimensions(),
            ["Opdrachtgever", "Eigendom", "RegioS", "Perioden"]
        );
        assert_eq!(table("cbs-homeless").feed_filter(), None);
        assert_eq!(
            table("cbs-homeless").dimensions(),
            ["Persoonskenmerken", "Perioden"]
        );
    }

    #[test]
    fn wmo_shelter_clients_are_the_total_minus_clients_excluding_shelter_per_year() {
        // Act
        let b = batch("cbs-wmo");
        // Assert: 1,284,680 − 1,259,250 (CBS 2024*), provisional like its period.
        assert_eq!(
            value(&b, "wmo_clients_shelter", "total", year(2024)),
            Some((25_430.0, ObservationStatus::Provisional))
        );
        assert_eq!(
            value(&b, "wmo_clients_shelter", "total", year(2020)),
            Some((23_500.0, ObservationStatus::Final))
        );
        let periods: Vec<Period> = b
            .observations
            .iter()
            .map(|o| o.observation.period)
            .collect();
        assert_eq!(
            periods,
            (2020..=2024).map(year).collect::<Vec<_>>(),
            "half-years left out"
        );
        assert!(b.categories.is_empty());
    }

    #[test]
    fn a_category_title_that_no_longer_matches_is_drift() {
        // Arrange
        let def = table("cbs-wmo");
        let mut meta = meta(def);
        retitle(
            &mut meta,
            "TypeMaatwerkvoorziening",
            "A050661",
            "Zonder verblijf",
        );
        // Act
        let err = def.check_schema(&meta).unwrap_err();
        // Assert
        assert_eq!(
            err.to_string(),
            "schema drift in 86050NED: TypeMaatwerkvoorziening has no category titled \
             \"totaal exclusief verblijf en opvang...\" (the titles changed); stored figures kept; \
             review the source definition"
        );
    }

    #[test]
    fn an_ambiguous_title_or_a_missing_region_is_drift() {
        let def = table("cbs-wmo");
        let mut meta = meta(def);
        retitle(
            &mut meta,
            "TypeMaatwerkvoorziening",
            "A050662",
            "Totaal exclusief verblijf en opvang (oud)",
        );
        meta.dimensions
            .get_mut("RegioS")
            .unwrap()
            .retain(|r| r.key != "NL01");
        let err = def.check_schema(&meta).unwrap_err().to_string();
        assert!(
            err.contains("several categories of TypeMaatwerkvoorziening are titled"),
            "{err}"
        );
        assert!(err.contains("A050661, A050662"), "{err}");
        assert!(err.contains("RegioS has no category NL01"), "{err}");
    }

    #[test]
    fn a_difference_below_zero_fails() {
        let def = table("cbs-wmo");
        let meta = meta(def);
        let plan = def.check_schema(&meta).unwrap();
        let mut rows = rows(def);
        let excl = rows
            .iter_mut()
            .find(|r| r["TypeMaatwerkvoorziening"] == "A050661" && r["Perioden"] == "2023JJ00")
            .unwrap();
        excl.insert("WmoClienten_1".into(), serde_json::json!(2_000_000));
        let err = def
            .build_batch(&meta, &plan, &rows)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("wmo_clients_shelter 2023: TypeMaatwerkvoorziening T001449 minus A050661 is negative"),
            "{err}"
        );
    }

    #[test]
    fn a_renumbered_topic_is_reported_as_moved() {
        // Arrange
        let def = table("cbs-housing");
        let mut meta = meta(def);
        meta.properties
            .iter_mut()
            .find(|p| p.key == "Nieuwbouw_2")
            .unwrap()
            .key = "Nieuwbouw_4".into();
        // Act
        let err = def.check_schema(&meta).unwrap_err();
        // Assert
        assert_eq!(
            err.to_string(),
            "schema drift in 82235NED: topic Nieuwbouw_2 moved to Nieuwbouw_4 (DataProperties changed); \
             stored figures kept; review the source definition"
        );
    }

    #[test]
    fn a_changed_unit_or_missing_dimension_is_drift() {
        let def = table("cbs-homeless");
        let mut m = meta(def);
        m.properties
            .iter_mut()
            .find(|p| p.key == "DaklozeMensen_1")
            .unwrap()
            .unit = Some("aantal".into());
        m.properties.retain(|p| p.key != "Persoonskenmerken");
        let err = def.check_schema(&m).unwrap_err().to_string();
        assert!(
            err.contains("unit of topic DaklozeMensen_1 changed from \"x 1 000\" to \"aantal\""),
            "{err}"
        );
        assert!(
            err.contains("required dimension Persoonskenmerken is missing"),
            "{err}"
        );
        // A unit written differently but meaning the same is no drift.
        let mut m = meta(def);
        m.properties
            .iter_mut()
            .find(|p| p.key == "DaklozeMensen_1")
            .unwrap()
            .unit = Some("x\u{a0}1\u{a0}000".into());
        assert!(def.check_schema(&m).is_ok());
    }

    #[test]
    fn duplicates_bad_periods_and_empty_tables_fail() {
        let def = table("cbs-housing");
        let meta = meta(def);
        let plan = def.check_schema(&meta).unwrap();
        let rows = rows(def);

        let twice: Vec<DataRow> = rows.iter().chain(&rows[..1]).cloned().collect();
        assert!(
            def.build_batch(&meta, &plan, &twice)
                .unwrap_err()
                .message
                .contains("duplicate figure")
        );

        let mut bad = rows.clone();
        bad[0].insert("Perioden".into(), "2021XX99".into());
        assert!(
            def.build_batch(&meta, &plan, &bad)
                .unwrap_err()
                .message
                .contains("row ID 0")
        );

        let mut text = rows.clone();
        text[0].insert("Nieuwbouw_2".into(), "veel".into());
        assert!(
            def.build_batch(&meta, &plan, &text)
                .unwrap_err()
                .message
                .contains("not a number")
        );

        let err = def.build_batch(&meta, &plan, &[]).unwrap_err();
        assert!(err.to_string().contains("empty table"), "{err}");
    }

    #[test]
    fn topic_stems_drop_the_position_suffix() {
        assert_eq!(topic_stem("Nieuwbouw_2"), "Nieuwbouw");
        assert_eq!(
            topic_stem("DaklozeMensenRelatief_2"),
            "DaklozeMensenRelatief"
        );
        assert_eq!(topic_stem("Perioden"), "Perioden");
        assert_eq!(topic_stem("A_b"), "A_b");
    }
}
