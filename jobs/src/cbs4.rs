//! CBS OData v4 (`https://datasets.cbs.nl/odata/v1`): the second CBS adapter, for tables that
//! CBS publishes only there. It reads a table's `Properties`, `Dimensions`, `MeasureCodes`,
//! one `{Dim}Codes` list per dimension and every page of `Observations` (paged with
//! `@odata.nextLink`, with the `@`), and turns them into the shapes of the v3 adapter
//! ([`TableInfo`], [`TableMeta`], wide [`DataRow`]s) so that the same schema check, validation
//! and transactional write apply, with the same guarantees.
//!
//! v4 differs from v3 in ways that matter here: observations come one row per cell (`Measure`
//! names the topic, `Value` holds the number), empty cells are not sent at all, keys are not
//! padded, and topics are named by measure codes instead of `Name_n` keys.

use crate::cbs::{CategoryGroup, CbsError, DataProperty, DataRow, DimensionRow, TableInfo};
use crate::cbs::{TableData, TableMeta, next_page_url};
use crate::http::{Http, RequestObserver};
use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use url::Url;

/// Most observation pages read for one table before giving up.
pub const MAX_PAGES: usize = 5_000;

fn shape(what: &'static str, e: impl std::fmt::Display) -> CbsError {
    CbsError::Shape {
        what,
        detail: format!("{e} (CBS OData v4)"),
    }
}

/// Every v4 list response: `{"@odata.context": "...", "value": [...], "@odata.nextLink": "..."}`.
#[derive(Deserialize)]
struct List<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

fn list<T: serde::de::DeserializeOwned>(
    what: &'static str,
    body: &[u8],
) -> Result<List<T>, CbsError> {
    serde_json::from_slice(body).map_err(|e| shape(what, e))
}

/// Reads `Properties` (one object) as the v3 `TableInfos` row it corresponds to: the title,
/// the change marker (`ObservationsModified`, else `Modified`) and the texts where CBS marks a
/// stopped table.
pub fn parse_properties(body: &[u8]) -> Result<TableInfo, CbsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Properties {
        title: String,
        #[serde(default)]
        modified: Option<String>,
        #[serde(default)]
        observations_modified: Option<String>,
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        reason_delivery: Option<String>,
        #[serde(default)]
        frequency: Option<String>,
        #[serde(default)]
        summary: Option<String>,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        long_description: Option<String>,
    }
    let p: Properties = serde_json::from_slice(body).map_err(|e| shape("Properties", e))?;
    let modified = p.observations_modified.or(p.modified).ok_or_else(|| {
        shape(
            "Properties",
            "it has neither ObservationsModified nor Modified",
        )
    })?;
    let description = [p.description, p.long_description]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    Ok(TableInfo {
        title: p.title,
        short_title: None,
        summary: p.summary,
        frequency: p.frequency,
        modified,
        reason_delivery: p.reason_delivery,
        output_status: p.status,
        short_description: None,
        description: (!description.is_empty()).then_some(description),
    })
}

/// Reads `Dimensions` as v3 `DataProperties` rows of the dimension kinds.
pub fn parse_dimensions(body: &[u8]) -> Result<Vec<DataProperty>, CbsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Dimension {
        identifier: String,
        kind: String,
        #[serde(default)]
        title: Option<String>,
    }
    Ok(list::<Dimension>("Dimensions", body)?
        .value
        .into_iter()
        .map(|d| DataProperty {
            key: d.identifier,
            kind: d.kind,
            title: d.title,
            unit: None,
            decimals: None,
            position: None,
        })
        .collect())
}

/// Reads `MeasureCodes` as v3 topics: the measure code is the topic key.
pub fn parse_measure_codes(body: &[u8]) -> Result<Vec<DataProperty>, CbsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Measure {
        identifier: String,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        unit: Option<String>,
        #[serde(default)]
        decimals: Option<u32>,
        #[serde(default)]
        index: Option<i64>,
    }
    Ok(list::<Measure>("MeasureCodes", body)?
        .value
        .into_iter()
        .map(|m| DataProperty {
            key: m.identifier,
            kind: "Topic".to_owned(),
            title: m.title,
            unit: m.unit,
            decimals: m.decimals,
            position: m.index,
        })
        .collect())
}

/// Reads a `{Dim}Codes` list as v3 dimension rows (keys trimmed all the same).
pub fn parse_codes(body: &[u8]) -> Result<Vec<DimensionRow>, CbsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Code {
        identifier: String,
        title: String,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        dimension_group_id: Option<Value>,
        #[serde(default)]
        status: Option<String>,
    }
    Ok(list::<Code>("a {Dim}Codes list", body)?
        .value
        .into_iter()
        .map(|c| DimensionRow {
            key: domain::region::normalize_region_key(&c.identifier).to_owned(),
            title: c.title.trim().to_owned(),
            description: c.description.filter(|d| !d.trim().is_empty()),
            group_id: c.dimension_group_id.and_then(|g| g.as_i64()),
            status: c.status,
        })
        .collect())
}

/// One page of `Observations`: one row per published cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationPage {
    /// The rows as sent.
    pub rows: Vec<Map<String, Value>>,
    /// Where the next page is, absent on the last page.
    pub next_link: Option<String>,
}

/// Reads an `Observations` page.
pub fn parse_observations(body: &[u8]) -> Result<ObservationPage, CbsError> {
    let page = list::<Map<String, Value>>("an Observations page", body)?;
    Ok(ObservationPage {
        rows: page.value,
        next_link: page.next_link,
    })
}

/// Turns one-row-per-cell observations into v3-style wide rows: one row per combination of
/// `dimensions`, one column per measure. Fails on a row without a text `Measure` or without a
/// dimension, and on the same cell twice.
pub fn pivot(
    observations: &[Map<String, Value>],
    dimensions: &[String],
) -> Result<Vec<DataRow>, String> {
    let mut rows: BTreeMap<Vec<String>, DataRow> = BTreeMap::new();
    for (n, obs) in observations.iter().enumerate() {
        let id = obs
            .get("Id")
            .map_or_else(|| format!("#{n}"), ToString::to_string);
        let measure = obs
            .get("Measure")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("observation {id} has no text Measure"))?;
        let mut key = Vec::with_capacity(dimensions.len());
        for dim in dimensions {
            let code = obs
                .get(dim)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("observation {id} has no text column {dim}"))?;
            key.push(code.trim().to_owned());
        }
        let next_id = rows.len();
        let row = rows.entry(key.clone()).or_insert_with(|| {
            let mut row = DataRow::new();
            row.insert("ID".to_owned(), Value::from(next_id));
            for (dim, code) in dimensions.iter().zip(&key) {
                row.insert(dim.clone(), Value::from(code.clone()));
            }
            row
        });
        let value = obs.get("Value").cloned().unwrap_or(Value::Null);
        if row.insert(measure.to_owned(), value).is_some() {
            return Err(format!(
                "observation {id}: measure {measure} of {} appears twice",
                key.join(" / ")
            ));
        }
    }
    Ok(rows.into_values().collect())
}

/// Reads CBS OData v4 tables through the shared [`Http`] client.
#[derive(Debug, Clone)]
pub struct Cbs4Client {
    http: Http,
    base: Url,
}

impl Cbs4Client {
    /// A client for the v4 base URL (`https://datasets.cbs.nl/odata/v1`, or a test server).
    pub fn new(http: Http, base_url: &str) -> anyhow::Result<Self> {
        let base = Url::parse(base_url.trim_end_matches('/'))
            .with_context(|| format!("CBS_ODATA4_URL {base_url:?} is not a URL"))?;
        Ok(Self {
            http: http.for_upstream("CBS"),
            base,
        })
    }

    /// `{base}/CBS/{table}/{entity}`.
    pub fn url(&self, table: &str, entity: &str) -> String {
        format!(
            "{}/CBS/{table}/{entity}",
            self.base.as_str().trim_end_matches('/')
        )
    }

    async fn get(&self, url: &str, observer: &dyn RequestObserver) -> anyhow::Result<Vec<u8>> {
        Ok(self.http.get_json(url, observer).await?.body)
    }

    /// Reads `Properties`.
    pub async fn table_info(
        &self,
        table: &str,
        observer: &dyn RequestObserver,
    ) -> anyhow::Result<TableInfo> {
        let url = self.url(table, "Properties");
        parse_properties(&self.get(&url, observer).await?).with_context(|| format!("reading {url}"))
    }

    /// Reads `Dimensions`, `MeasureCodes` and the codes of each wanted dimension.
    pub async fn table_meta(
        &self,
        table: &str,
        dimensions: &[&str],
        observer: &dyn RequestObserver,
        step: &(dyn Fn(&str) + Send + Sync),
    ) -> anyhow::Result<TableMeta> {
        step("reading Dimensions");
        let url = self.url(table, "Dimensions");
        let mut properties = parse_dimensions(&self.get(&url, observer).await?)
            .with_context(|| format!("reading {url}"))?;
        step("reading MeasureCodes");
        let url = self.url(table, "MeasureCodes");
        properties.extend(
            parse_measure_codes(&self.get(&url, observer).await?)
                .with_context(|| format!("reading {url}"))?,
        );
        if properties.is_empty() {
            bail!("{table} lists no dimensions and no measures (CBS OData v4)");
        }
        let mut dims = HashMap::new();
        for &dim in dimensions {
            if !properties.iter().any(|p| p.key == dim && p.is_dimension()) {
                continue; // the schema check names the missing dimension
            }
            step(&format!("reading {dim}Codes"));
            let url = self.url(table, &format!("{dim}Codes"));
            let rows = parse_codes(&self.get(&url, observer).await?)
                .with_context(|| format!("reading {url}"))?;
            dims.insert(dim.to_owned(), rows);
        }
        Ok(TableMeta {
            properties,
            dimensions: dims,
            groups: Vec::<CategoryGroup>::new(),
        })
    }

    /// Reads every page of `Observations`, following `@odata.nextLink` until it is absent, and
    /// pivots the cells into wide rows over the table's dimensions.
    pub async fn data(
        &self,
        table: &str,
        meta: &TableMeta,
        observer: &dyn RequestObserver,
        on_page: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> anyhow::Result<TableData> {
        let first = self.url(table, "Observations");
        let mut url = Url::parse(&first).with_context(|| format!("{first} is not a URL"))?;
        let mut seen = HashSet::new();
        let mut hasher = Sha256::new();
        let mut cells = Vec::new();
        let mut pages = 0;
        loop {
            if !seen.insert(url.to_string()) {
                bail!("@odata.nextLink repeats {url} (a paging loop); stopped after {pages} pages");
            }
            if pages == MAX_PAGES {
                bail!("{table} has more than {MAX_PAGES} Observations pages; stopped");
            }
            let body = self.get(url.as_str(), observer).await?;
            hasher.update(&body);
            let page = parse_observations(&body).with_context(|| format!("reading {url}"))?;
            pages += 1;
            cells.extend(page.rows);
            on_page(pages, cells.len());
            match page.next_link {
                Some(link) => url = next_page_url(&url, &link, &self.base)?,
                None => break,
            }
        }
        let dimensions: Vec<String> = meta
            .properties
            .iter()
            .filter(|p| p.is_dimension())
            .map(|p| p.key.clone())
            .collect();
        let mut rows = pivot(&cells, &dimensions)
            .map_err(|e| anyhow::anyhow!("{e} (CBS OData v4 {table})"))?;
        // v4 leaves empty cells out; v3 sends them as null, which the validation skips.
        for row in &mut rows {
            for topic in meta.properties.iter().filter(|p| p.is_topic()) {
                row.entry(topic.key.clone()).or_insert(Value::Null);
            }
        }
        Ok(TableData {
            url: first,
            rows,
            pages,
            checksum: hex::encode(hasher.finalize()),
            etag: None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn properties_give_the_title_the_change_marker_and_a_stop() {
        // Arrange
        let body = json!({"Identifier": "84990NED", "Title": "Daklozen",
            "Modified": "2022-09-29T02:00:00", "ObservationsModified": "2022-09-28T02:00:00",
            "Status": "Gediscontinueerd",
            "Description": "Deze tabel is stopgezet.\nDeze tabel wordt opgevolgd door: Dakloze mensen (80799ned).\n"});
        // Act
        let info = parse_properties(body.to_string().as_bytes()).unwrap();
        // Assert
        assert_eq!(info.modified, "2022-09-28T02:00:00");
        let err = info.check_active("84990NED").unwrap_err().to_string();
        assert!(
            err.contains("successor: Dakloze mensen (80799ned)"),
            "{err}"
        );
    }

    #[test]
    fn dimensions_and_measures_become_data_properties() {
        let dims = parse_dimensions(
            br#"{"value":[{"Identifier":"Persoonskenmerken","Kind":"Dimension"},{"Identifier":"Perioden","Kind":"TimeDimension"}]}"#,
        )
        .unwrap();
        assert!(dims.iter().all(DataProperty::is_dimension));
        let measures = parse_measure_codes(
            br#"{"value":[{"Identifier":"M001","Title":"Dakloze mensen","Unit":"x 1 000","Decimals":1,"Index":3}]}"#,
        )
        .unwrap();
        assert!(measures[0].is_topic());
        assert_eq!(
            (measures[0].unit.as_deref(), measures[0].decimals),
            (Some("x 1 000"), Some(1))
        );
    }

    #[test]
    fn observations_pivot_into_one_row_per_combination() {
        // Arrange: 2 periods x 2 measures, one cell not published (v4 leaves it out).
        let page = parse_observations(
            br#"{"value":[
            {"Id":0,"Measure":"M1","Value":10.0,"Perioden":"2023JJ00"},
            {"Id":1,"Measure":"M2","Value":1.5,"Perioden":"2023JJ00"},
            {"Id":2,"Measure":"M1","Value":11.0,"Perioden":"2024JJ00"}],
            "@odata.nextLink":"https://datasets.cbs.nl/odata/v1/CBS/X/Observations?$skip=3"}"#,
        )
        .unwrap();
        // Act
        let rows = pivot(&page.rows, &["Perioden".to_owned()]).unwrap();
        // Assert
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["M2"], json!(1.5));
        assert_eq!(rows[1].get("M2"), None, "an unpublished cell stays absent");
        assert!(page.next_link.unwrap().ends_with("$skip=3"));
    }

    #[test]
    fn a_cell_sent_twice_or_without_its_dimension_fails() {
        let twice = parse_observations(
            br#"{"value":[
            {"Id":0,"Measure":"M1","Value":1,"Perioden":"2023JJ00"},
            {"Id":1,"Measure":"M1","Value":2,"Perioden":"2023JJ00"}]}"#,
        )
        .unwrap();
        assert!(
            pivot(&twice.rows, &["Perioden".to_owned()])
                .unwrap_err()
                .contains("twice")
        );
        let missing =
            parse_observations(br#"{"value":[{"Id":0,"Measure":"M1","Value":1}]}"#).unwrap();
        assert!(
            pivot(&missing.rows, &["Perioden".to_owned()])
                .unwrap_err()
                .contains("Perioden")
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_properties(&body).map(|i| i.check_active("t"));
            let _ = parse_dimensions(&body);
            let _ = parse_measure_codes(&body);
            let _ = parse_codes(&body);
            if let Ok(page) = parse_observations(&body) {
                let _ = pivot(&page.rows, &["Perioden".to_owned()]);
            }
        }

        #[test]
        fn pivoted_cells_round_trip(
            cells in proptest::collection::btree_map(
                (1990i32..2030, "[A-Z][0-9]{1,3}"),
                proptest::option::of(-1_000_000i64..1_000_000),
                0..40,
            )
        ) {
            // Arrange: one observation per published cell, in any order.
            let observations: Vec<Map<String, Value>> = cells
                .iter()
                .enumerate()
                .filter_map(|(i, ((year, measure), value))| {
                    value.map(|v| json!({"Id": i, "Measure": measure, "Value": v,
                        "Perioden": format!("{year}JJ00")}))
                })
                .filter_map(|v| v.as_object().cloned())
                .rev()
                .collect();
            // Act
            let rows = pivot(&observations, &["Perioden".to_owned()]).unwrap();
            // Assert: every published cell is in its row, nothing else.
            let mut back = 0;
            for row in &rows {
                let period = row["Perioden"].as_str().unwrap();
                for (k, v) in row.iter().filter(|(k, _)| *k != "ID" && *k != "Perioden") {
                    let year: i32 = period[..4].parse().unwrap();
                    prop_assert_eq!(cells.get(&(year, k.clone())).copied().flatten(), v.as_i64());
                    back += 1;
                }
            }
            prop_assert_eq!(back, cells.values().filter(|v| v.is_some()).count());
        }
    }
}
