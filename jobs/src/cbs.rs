//! CBS StatLine OData v3: the URLs of a table, a client that reads its metadata and all its data
//! pages, and pure parsers of every response (tested against `tests/fixtures/cbs/`).
//!
//! Metadata comes from `ODataApi` (`TableInfos`, `DataProperties`, one endpoint per dimension,
//! `CategoryGroups`); data comes in bulk from `ODataFeed` (`TypedDataSet`), paged with
//! `odata.nextLink` (v3 spelling, no `@`). Table ids are case-sensitive and never changed.

use crate::http::{Http, RequestObserver};
use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use url::Url;

/// Most data pages read for one table before giving up (CBS Feed pages hold thousands of rows).
pub const MAX_PAGES: usize = 2_000;

/// A CBS response that is JSON but not what the OData v3 contract promises, or a stopped table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CbsError {
    /// The document does not have the expected shape.
    #[error("{what} is not in the expected CBS OData v3 shape: {detail}")]
    Shape {
        /// Which response.
        what: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// CBS stopped the table (`stopgezet`), usually naming a successor.
    #[error("table {table} is stopped (stopgezet) and gets no new figures; {}", successor_text(.successor))]
    Stopped {
        /// The stopped table.
        table: String,
        /// Successor as CBS names it (title or id).
        successor: Option<String>,
    },
}

fn successor_text(successor: &Option<String>) -> String {
    match successor {
        Some(s) => {
            format!("CBS names its successor: {s}; point the source definition at that table")
        }
        None => "CBS names no successor; find the replacing table on cbs.nl".to_owned(),
    }
}

fn shape(what: &'static str, e: impl std::fmt::Display) -> CbsError {
    CbsError::Shape {
        what,
        detail: e.to_string(),
    }
}

/// Every v3 list response: `{"odata.metadata": "...", "value": [...], "odata.nextLink": "..."}`.
#[derive(Deserialize)]
struct List<T> {
    value: Vec<T>,
    #[serde(rename = "odata.nextLink")]
    next_link: Option<String>,
}

fn list<T: serde::de::DeserializeOwned>(
    what: &'static str,
    body: &[u8],
) -> Result<List<T>, CbsError> {
    serde_json::from_slice(body).map_err(|e| shape(what, e))
}

/// The service document: the names of a table's entity sets (`TableInfos`, `Perioden`, ...).
pub fn parse_service_document(body: &[u8]) -> Result<Vec<String>, CbsError> {
    #[derive(Deserialize)]
    struct Entry {
        name: String,
    }
    Ok(list::<Entry>("the service document", body)?
        .value
        .into_iter()
        .map(|e| e.name)
        .collect())
}

/// What `TableInfos` says about a table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableInfo {
    /// Table title.
    pub title: String,
    /// Short title.
    #[serde(default)]
    pub short_title: Option<String>,
    /// Summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Update cadence (`Perjaar`, `Permaand`), not the grain of the data.
    #[serde(default)]
    pub frequency: Option<String>,
    /// When the data last changed: Koers's cheap change detector.
    pub modified: String,
    /// Why the last delivery happened (`Actualisering`, `Stopgezet`, ...).
    #[serde(default)]
    pub reason_delivery: Option<String>,
    /// `Regulier`, or `Gediscontinueerd` for a stopped table.
    #[serde(default)]
    pub output_status: Option<String>,
    /// Short description.
    #[serde(default)]
    pub short_description: Option<String>,
    /// Long description (where CBS writes "opgevolgd door ...").
    #[serde(default)]
    pub description: Option<String>,
}

impl TableInfo {
    /// Fails when CBS has stopped the table, naming the successor when CBS does.
    pub fn check_active(&self, table: &str) -> Result<(), CbsError> {
        let texts = [
            self.reason_delivery.as_deref(),
            Some(self.title.as_str()),
            self.short_description.as_deref(),
            self.description.as_deref(),
        ];
        let texts: Vec<&str> = texts.into_iter().flatten().collect();
        let stopped = self
            .output_status
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("gediscontinueerd"))
            || texts.iter().any(|t| {
                let t = t.to_lowercase();
                t.contains("stopgezet") || t.contains("opgevolgd door")
            });
        if !stopped {
            return Ok(());
        }
        Err(CbsError::Stopped {
            table: table.to_owned(),
            successor: texts.iter().find_map(|t| successor_in(t)),
        })
    }
}

/// The text after "opgevolgd door" up to the end of its sentence or line.
fn successor_in(text: &str) -> Option<String> {
    const MARK: &str = "opgevolgd door";
    // ASCII lowercasing keeps byte offsets, so `start` is valid in `text` too.
    let start = text.to_ascii_lowercase().find(MARK)? + MARK.len();
    let rest = text.get(start..)?;
    let rest = rest.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let end = [rest.find('\n'), rest.find(". ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let name = rest[..end].trim().trim_end_matches('.').trim();
    (!name.is_empty()).then(|| name.chars().take(200).collect())
}

/// Reads `TableInfos` (one row).
pub fn parse_table_infos(body: &[u8]) -> Result<TableInfo, CbsError> {
    list::<TableInfo>("TableInfos", body)?
        .value
        .into_iter()
        .next()
        .ok_or_else(|| shape("TableInfos", "it has no row"))
}

/// One column of a table as listed in `DataProperties`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DataProperty {
    /// Column key (`Perioden`, `DaklozeMensen_1`).
    pub key: String,
    /// `Dimension`, `TimeDimension`, `GeoDimension`, `GeoDetail`, `Topic` or `TopicGroup`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Unit of a topic (`x 1 000`, `aantal`, `%`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Decimals of a topic.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// Column position.
    #[serde(default)]
    pub position: Option<i64>,
}

impl DataProperty {
    /// Whether the column is a figure.
    pub fn is_topic(&self) -> bool {
        self.kind == "Topic"
    }
    /// Whether the column is a dimension of any kind.
    pub fn is_dimension(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "Dimension" | "TimeDimension" | "GeoDimension" | "GeoDetail"
        )
    }
}

/// Reads `DataProperties`.
pub fn parse_data_properties(body: &[u8]) -> Result<Vec<DataProperty>, CbsError> {
    let props = list::<DataProperty>("DataProperties", body)?.value;
    if props.is_empty() {
        return Err(shape("DataProperties", "it lists no columns"));
    }
    Ok(props)
}

/// One category of a dimension (`Persoonskenmerken`, `Perioden`, `RegioS`).
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionRow {
    /// Key with CBS's padding removed.
    pub key: String,
    /// Label.
    pub title: String,
    /// Explanation.
    pub description: Option<String>,
    /// Group (see `CategoryGroups`).
    pub group_id: Option<i64>,
    /// `Definitief` / `Voorlopig` / `NaderVoorlopig` (on `Perioden`).
    pub status: Option<String>,
}

/// Reads a dimension endpoint; keys are trimmed (`"T009002 "`, `"NL01  "`).
pub fn parse_dimension(body: &[u8]) -> Result<Vec<DimensionRow>, CbsError> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Row {
        key: String,
        title: String,
        #[serde(default)]
        description: Option<String>,
        #[serde(default, rename = "CategoryGroupID")]
        category_group_id: Option<i64>,
        #[serde(default)]
        status: Option<String>,
    }
    let rows = list::<Row>("a dimension list", body)?.value;
    Ok(rows
        .into_iter()
        .map(|r| DimensionRow {
            key: domain::region::normalize_region_key(&r.key).to_owned(),
            title: r.title.trim().to_owned(),
            description: r.description.filter(|d| !d.trim().is_empty()),
            group_id: r.category_group_id,
            status: r.status,
        })
        .collect())
}

/// A group of categories (`Geslacht`, `Leeftijd`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CategoryGroup {
    /// Group id, referenced by `DimensionRow::group_id`.
    #[serde(rename = "ID")]
    pub id: i64,
    /// The dimension the group belongs to.
    #[serde(default)]
    pub dimension_key: Option<String>,
    /// Label.
    pub title: String,
}

/// Reads `CategoryGroups`.
pub fn parse_category_groups(body: &[u8]) -> Result<Vec<CategoryGroup>, CbsError> {
    Ok(list::<CategoryGroup>("CategoryGroups", body)?.value)
}

/// One data row: `ID`, one column per dimension, one per topic.
pub type DataRow = Map<String, Value>;

/// One page of `TypedDataSet`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataPage {
    /// The rows.
    pub rows: Vec<DataRow>,
    /// Where the next page is, absent on the last page.
    pub next_link: Option<String>,
}

/// Reads a data page.
pub fn parse_data_page(body: &[u8]) -> Result<DataPage, CbsError> {
    let page = list::<DataRow>("a TypedDataSet page", body)?;
    Ok(DataPage {
        rows: page.value,
        next_link: page.next_link,
    })
}

/// Reads one cell: a number, or `None` for a missing figure (`null` in typed data; `"."` or an
/// empty string, possibly padded, in untyped data).
pub fn cell_number(cell: &Value) -> Result<Option<f64>, String> {
    match cell {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("{n} is not a number")),
        Value::String(s) => match s.trim() {
            "" | "." | "-" | "x" => Ok(None),
            t => t.parse::<f64>().map(Some).map_err(|_| {
                format!(
                    "{:?} is not a number",
                    t.chars().take(40).collect::<String>()
                )
            }),
        },
        other => Err(format!("{other} is not a number")),
    }
}

/// Resolves an `odata.nextLink` against the page it came from, refusing another origin than
/// the configured CBS base, and keeps `$format=json` on it.
pub fn next_page_url(current: &Url, next_link: &str, allowed: &Url) -> anyhow::Result<Url> {
    let mut next = current
        .join(next_link)
        .with_context(|| format!("odata.nextLink {next_link:?} is not a URL"))?;
    if next.origin() != allowed.origin() {
        bail!(
            "odata.nextLink points to another host ({}), not {}; refused",
            next.origin().ascii_serialization(),
            allowed.origin().ascii_serialization()
        );
    }
    if !next.query_pairs().any(|(k, _)| k == "$format") {
        let query = match next.query() {
            Some(q) if !q.is_empty() => format!("{q}&$format=json"),
            _ => "$format=json".to_owned(),
        };
        next.set_query(Some(&query));
    }
    Ok(next)
}

/// A table's metadata, read before its data.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMeta {
    /// `DataProperties`.
    pub properties: Vec<DataProperty>,
    /// Rows of each dimension read, by dimension key.
    pub dimensions: HashMap<String, Vec<DimensionRow>>,
    /// `CategoryGroups` (empty when the table has none).
    pub groups: Vec<CategoryGroup>,
}

/// All data rows of a table, with what the fetch record needs.
#[derive(Debug, Clone, PartialEq)]
pub struct TableData {
    /// URL of the first page.
    pub url: String,
    /// The rows of every page, in order.
    pub rows: Vec<DataRow>,
    /// Pages read.
    pub pages: usize,
    /// SHA-256 over the page bodies in order, hex.
    pub checksum: String,
    /// `ETag` of the first page, when sent.
    pub etag: Option<String>,
}

/// Reads CBS OData v3 tables through the shared [`Http`] client.
#[derive(Debug, Clone)]
pub struct CbsClient {
    http: Http,
    base: Url,
}

impl CbsClient {
    /// A client for the CBS base URL (`https://opendata.cbs.nl`, or a test server).
    pub fn new(http: Http, base_url: &str) -> anyhow::Result<Self> {
        let base = Url::parse(base_url.trim_end_matches('/'))
            .with_context(|| format!("CBS_ODATA_URL {base_url:?} is not a URL"))?;
        Ok(Self {
            http: http.for_upstream("CBS"),
            base,
        })
    }

    fn base(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// `{base}/ODataApi/OData/{table}` (the service document), or one of its entity sets.
    pub fn api_url(&self, table: &str, entity: Option<&str>) -> String {
        match entity {
            Some(e) => format!("{}/ODataApi/OData/{table}/{e}?$format=json", self.base()),
            None => format!("{}/ODataApi/OData/{table}?$format=json", self.base()),
        }
    }

    /// `{base}/ODataFeed/odata/{table}/TypedDataSet?$format=json`: the bulk data, with
    /// `&$filter=...` (percent-encoded, spaces as `%20`) when only some rows are wanted.
    pub fn data_url(&self, table: &str, filter: Option<&str>) -> String {
        let url = format!(
            "{}/ODataFeed/odata/{table}/TypedDataSet?$format=json",
            self.base()
        );
        match filter {
            // form encoding writes a space as `+`; OData filters want `%20` (a `+` is `%2B`).
            Some(f) => format!(
                "{url}&$filter={}",
                url::form_urlencoded::byte_serialize(f.as_bytes())
                    .collect::<String>()
                    .replace('+', "%20")
            ),
            None => url,
        }
    }

    async fn get(
        &self,
        url: &str,
        observer: &dyn RequestObserver,
    ) -> anyhow::Result<crate::http::JsonResponse> {
        Ok(self.http.get_json(url, observer).await?)
    }

    /// Reads `TableInfos`.
    pub async fn table_info(
        &self,
        table: &str,
        observer: &dyn RequestObserver,
    ) -> anyhow::Result<TableInfo> {
        let url = self.api_url(table, Some("TableInfos"));
        let response = self.get(&url, observer).await?;
        parse_table_infos(&response.body).with_context(|| format!("reading {url}"))
    }

    /// Reads `DataProperties`, the given dimensions and (when listed) `CategoryGroups`.
    pub async fn table_meta(
        &self,
        table: &str,
        dimensions: &[&str],
        observer: &dyn RequestObserver,
        step: &(dyn Fn(&str) + Send + Sync),
    ) -> anyhow::Result<TableMeta> {
        let url = self.api_url(table, None);
        step("reading the service document");
        let names = parse_service_document(&self.get(&url, observer).await?.body)
            .with_context(|| format!("reading {url}"))?;
        step("reading DataProperties");
        let url = self.api_url(table, Some("DataProperties"));
        let properties = parse_data_properties(&self.get(&url, observer).await?.body)
            .with_context(|| format!("reading {url}"))?;
        let mut dims = HashMap::new();
        for &dim in dimensions {
            if !properties.iter().any(|p| p.key == dim && p.is_dimension()) {
                continue; // the schema check names the missing dimension
            }
            step(&format!("reading {dim}"));
            let url = self.api_url(table, Some(dim));
            let rows = parse_dimension(&self.get(&url, observer).await?.body)
                .with_context(|| format!("reading {url}"))?;
            dims.insert(dim.to_owned(), rows);
        }
        let groups = if names.iter().any(|n| n == "CategoryGroups") {
            step("reading CategoryGroups");
            let url = self.api_url(table, Some("CategoryGroups"));
            parse_category_groups(&self.get(&url, observer).await?.body)
                .with_context(|| format!("reading {url}"))?
        } else {
            Vec::new()
        };
        Ok(TableMeta {
            properties,
            dimensions: dims,
            groups,
        })
    }

    /// Reads every page of `TypedDataSet` (only the rows `filter` selects, when given),
    /// following `odata.nextLink` until it is absent. `on_page(page, rows_so_far)` is called
    /// after each page.
    pub async fn data(
        &self,
        table: &str,
        filter: Option<&str>,
        observer: &dyn RequestObserver,
        on_page: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> anyhow::Result<TableData> {
        let first = self.data_url(table, filter);
        let mut url = Url::parse(&first).with_context(|| format!("{first} is not a URL"))?;
        let mut seen = HashSet::new();
        let mut hasher = Sha256::new();
        let mut rows = Vec::new();
        let mut etag = None;
        let mut pages = 0;
        loop {
            if !seen.insert(url.to_string()) {
                bail!("odata.nextLink repeats {url} (a paging loop); stopped after {pages} pages");
            }
            if pages == MAX_PAGES {
                bail!("{table} has more than {MAX_PAGES} data pages; stopped");
            }
            let response = self.get(url.as_str(), observer).await?;
            if pages == 0 {
                etag = response.etag.clone();
            }
            hasher.update(&response.body);
            let page = parse_data_page(&response.body).with_context(|| format!("reading {url}"))?;
            pages += 1;
            rows.extend(page.rows);
            on_page(pages, rows.len());
            match page.next_link {
                Some(link) => url = next_page_url(&url, &link, &self.base)?,
                None => break,
            }
        }
        Ok(TableData {
            url: first,
            rows,
            pages,
            checksum: hex::encode(hasher.finalize()),
            etag,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    fn fixture(table: &str, name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../tests/fixtures/cbs/{table}/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn table_infos_of_80799ned_give_modified_and_titles() {
        // Act
        let info = parse_table_infos(&fixture("80799ned", "TableInfos")).unwrap();
        // Assert
        assert_eq!(info.title, "Dakloze mensen; persoonskenmerken");
        assert_eq!(info.modified, "2025-01-22T02:00:00");
        assert_eq!(info.frequency.as_deref(), Some("Perjaar"));
        assert!(info.check_active("80799ned").is_ok());
    }

    #[test]
    fn a_stopped_table_names_its_successor() {
        // Arrange: the wording of 84990NED, stopped in favour of 80799ned.
        let body = serde_json::json!({"odata.metadata": "m", "value": [{
            "Title": "Daklozen 18 tot 65 jaar; persoonskenmerken, 1 januari: 2020-2021",
            "Modified": "2022-09-29T02:00:00",
            "ReasonDelivery": "Stopgezet",
            "Description": "Deze tabel is stopgezet.\nDeze tabel wordt opgevolgd door: Dakloze mensen; persoonskenmerken (80799ned).\n"
        }]});
        let info = parse_table_infos(body.to_string().as_bytes()).unwrap();
        // Act
        let err = info.check_active("84990NED").unwrap_err();
        // Assert
        assert_eq!(
            err,
            CbsError::Stopped {
                table: "84990NED".into(),
                successor: Some("Dakloze mensen; persoonskenmerken (80799ned)".into())
            }
        );
        assert!(
            err.to_string()
                .contains("successor: Dakloze mensen; persoonskenmerken (80799ned)"),
            "{err}"
        );
    }

    #[test]
    fn a_discontinued_status_without_text_is_stopped_too() {
        let body = br#"{"value":[{"Title":"T","Modified":"m","OutputStatus":"Gediscontinueerd"}]}"#;
        let err = parse_table_infos(body)
            .unwrap()
            .check_active("1NED")
            .unwrap_err();
        assert!(err.to_string().contains("names no successor"), "{err}");
    }

    #[test]
    fn data_properties_give_topics_with_unit_and_decimals() {
        let props = parse_data_properties(&fixture("80799ned", "DataProperties")).unwrap();
        let topic = props.iter().find(|p| p.key == "DaklozeMensen_1").unwrap();
        assert!(topic.is_topic());
        assert_eq!(topic.unit.as_deref(), Some("x 1 000"));
        assert_eq!(topic.decimals, Some(1));
        assert!(
            props
                .iter()
                .any(|p| p.key == "Perioden" && p.kind == "TimeDimension")
        );
    }

    #[test]
    fn dimension_keys_are_trimmed_and_statuses_kept() {
        let rows = parse_dimension(&fixture("80799ned", "Persoonskenmerken")).unwrap();
        assert!(
            rows.iter()
                .any(|r| r.key == "3000" && r.title == "Mannen" && r.group_id == Some(1))
        );
        let periods = parse_dimension(&fixture("80799ned", "Perioden")).unwrap();
        let p2021 = periods.iter().find(|p| p.key == "2021JJ00").unwrap();
        assert_eq!(
            (p2021.title.as_str(), p2021.status.as_deref()),
            ("2021*", Some("Voorlopig"))
        );
    }

    #[test]
    fn category_groups_and_the_service_document_parse() {
        let groups = parse_category_groups(&fixture("80799ned", "CategoryGroups")).unwrap();
        assert_eq!(groups[0].title, "Geslacht");
        let names = parse_service_document(&fixture("80799ned", "service")).unwrap();
        assert!(names.iter().any(|n| n == "CategoryGroups"));
        assert!(names.iter().any(|n| n == "Persoonskenmerken"));
    }

    #[test]
    fn a_data_page_gives_rows_and_the_next_link() {
        // Arrange
        let body = br#"{"odata.metadata":"m","value":[{"ID":0,"Perioden":"2021JJ00","DaklozeMensen_1":32.0}],
            "odata.nextLink":"https://opendata.cbs.nl/ODataFeed/odata/80799ned/TypedDataSet?$format=json&$skip=1"}"#;
        // Act
        let page = parse_data_page(body).unwrap();
        // Assert
        assert_eq!(page.rows.len(), 1);
        assert_eq!(page.rows[0]["DaklozeMensen_1"], serde_json::json!(32.0));
        assert!(page.next_link.unwrap().ends_with("$skip=1"));
        let full = parse_data_page(&fixture("80799ned", "TypedDataSet")).unwrap();
        assert_eq!(full.rows.len(), 210);
        assert_eq!(full.next_link, None);
    }

    #[test]
    fn missing_cells_are_none_never_zero() {
        assert_eq!(cell_number(&Value::Null), Ok(None));
        assert_eq!(cell_number(&serde_json::json!("       .")), Ok(None));
        assert_eq!(cell_number(&serde_json::json!("   183.3")), Ok(Some(183.3)));
        assert_eq!(cell_number(&serde_json::json!(32.0)), Ok(Some(32.0)));
        assert!(cell_number(&serde_json::json!("abc")).is_err());
        assert!(cell_number(&serde_json::json!([1])).is_err());
    }

    #[test]
    fn next_links_stay_on_the_cbs_host_and_keep_json() {
        // Arrange
        let base = Url::parse("https://opendata.cbs.nl").unwrap();
        let current = Url::parse(
            "https://opendata.cbs.nl/ODataFeed/odata/80799ned/TypedDataSet?$format=json",
        )
        .unwrap();
        // Act / Assert
        let next = next_page_url(
            &current,
            "https://opendata.cbs.nl/ODataFeed/odata/80799ned/TypedDataSet?$skip=10000",
            &base,
        )
        .unwrap();
        assert_eq!(
            next.as_str(),
            "https://opendata.cbs.nl/ODataFeed/odata/80799ned/TypedDataSet?$skip=10000&$format=json"
        );
        let err = next_page_url(&current, "https://evil.example/TypedDataSet", &base).unwrap_err();
        assert!(err.to_string().contains("another host"), "{err}");
    }

    #[test]
    fn a_filtered_data_url_encodes_the_padded_region() {
        let http = Http::new(&crate::JobsConfig::default()).unwrap();
        let client = CbsClient::new(http, "https://opendata.cbs.nl/").unwrap();
        assert_eq!(
            client.data_url("83671NED", Some("RegioS eq 'NL01  '")),
            "https://opendata.cbs.nl/ODataFeed/odata/83671NED/TypedDataSet?$format=json\
             &$filter=RegioS%20eq%20%27NL01%20%20%27"
        );
        assert_eq!(
            client.data_url("80799ned", None),
            "https://opendata.cbs.nl/ODataFeed/odata/80799ned/TypedDataSet?$format=json"
        );
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        assert!(parse_table_infos(br#"{"value":[]}"#).is_err());
        assert!(parse_data_properties(br#"{"value":[]}"#).is_err());
        assert!(parse_dimension(br#"{"value":[{"Title":"no key"}]}"#).is_err());
        assert!(parse_data_page(br#"[1,2]"#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(body in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = parse_service_document(&body);
            let _ = parse_table_infos(&body).map(|i| i.check_active("t"));
            let _ = parse_data_properties(&body);
            let _ = parse_dimension(&body);
            let _ = parse_category_groups(&body);
            let _ = parse_data_page(&body);
        }

        #[test]
        fn parsers_never_panic_on_odata_shaped_json(rows in proptest::collection::vec(
            proptest::collection::hash_map(
                proptest::sample::select(vec!["Key", "Title", "Type", "Unit", "Decimals", "Modified", "ID",
                    "CategoryGroupID", "Status", "name", "Description", "ReasonDelivery"]),
                proptest::prop_oneof![
                    proptest::strategy::Just(Value::Null),
                    proptest::num::i64::ANY.prop_map(Value::from),
                    proptest::num::f64::ANY.prop_map(Value::from),
                    "\\PC{0,20}".prop_map(Value::from),
                    proptest::bool::ANY.prop_map(Value::from),
                ],
                0..8,
            ),
            0..4,
        )) {
            let body = serde_json::json!({"odata.metadata": "m", "value": rows}).to_string();
            let body = body.as_bytes();
            let _ = parse_service_document(body);
            let _ = parse_table_infos(body).map(|i| i.check_active("t"));
            let _ = parse_data_properties(body);
            let _ = parse_dimension(body);
            let _ = parse_category_groups(body);
            if let Ok(page) = parse_data_page(body) {
                for cell in page.rows.iter().flat_map(|r| r.values()) {
                    let _ = cell_number(cell);
                }
            }
        }

        #[test]
        fn a_data_page_round_trips(
            rows in proptest::collection::vec(
                (0u32..100_000, 1900i32..2100, proptest::option::of(-1_000_000i64..1_000_000), "[ ]{0,3}[0-9]{1,6}[ ]{0,3}"),
                0..20,
            ),
            next in proptest::option::of("[a-z0-9/?=&$]{1,30}"),
        ) {
            // Arrange: typed cells (numbers, nulls) and untyped ones (padded strings).
            let rows: Vec<DataRow> = rows
                .into_iter()
                .map(|(id, year, typed, untyped)| {
                    let mut row = DataRow::new();
                    row.insert("ID".into(), Value::from(id));
                    row.insert("Perioden".into(), Value::from(format!("{year}JJ00")));
                    row.insert("Typed_1".into(), typed.map_or(Value::Null, Value::from));
                    row.insert("Untyped_2".into(), Value::from(untyped));
                    row
                })
                .collect();
            let mut doc = serde_json::json!({"odata.metadata": "m", "value": rows});
            if let Some(next) = &next {
                doc["odata.nextLink"] = Value::from(next.clone());
            }
            // Act
            let page = parse_data_page(doc.to_string().as_bytes()).unwrap();
            // Assert
            proptest::prop_assert_eq!(&page.rows, &rows);
            proptest::prop_assert_eq!(page.next_link, next);
            for row in &page.rows {
                let typed = cell_number(&row["Typed_1"]).unwrap();
                proptest::prop_assert_eq!(typed, row["Typed_1"].as_i64().map(|n| n as f64));
                let text = row["Untyped_2"].as_str().unwrap();
                proptest::prop_assert_eq!(
                    cell_number(&row["Untyped_2"]).unwrap(),
                    Some(text.trim().parse::<f64>().unwrap())
                );
            }
        }

        #[test]
        fn dimension_rows_read_back_with_cbs_padding_removed(
            rows in proptest::collection::vec(
                ("[A-Z]{0,2}[0-9]{1,7}", 0usize..4, "[A-Za-z][A-Za-z0-9 ;*]{0,20}",
                 proptest::option::of(proptest::sample::select(vec!["Definitief", "Voorlopig", "NaderVoorlopig"]))),
                0..12,
            )
        ) {
            let value: Vec<Value> = rows
                .iter()
                .map(|(key, pad, title, status)| serde_json::json!({
                    "Key": format!("{key}{}", " ".repeat(*pad)),
                    "Title": title,
                    "Description": "",
                    "CategoryGroupID": null,
                    "Status": status,
                }))
                .collect();
            let body = serde_json::json!({"odata.metadata": "m", "value": value}).to_string();
            let parsed = parse_dimension(body.as_bytes()).unwrap();
            proptest::prop_assert_eq!(parsed.len(), rows.len());
            for (got, (key, _, title, status)) in parsed.iter().zip(&rows) {
                proptest::prop_assert_eq!(&got.key, key);
                proptest::prop_assert_eq!(&got.title, title.trim());
                proptest::prop_assert_eq!(got.status.as_deref(), *status);
                proptest::prop_assert_eq!(&got.description, &None);
            }
        }

        #[test]
        fn typed_and_untyped_numbers_read_the_same(n in -1_000_000_000i64..1_000_000_000, width in 0usize..14) {
            // Untyped cells are right-aligned strings ("   183.3"); typed cells are numbers.
            let text = format!("{:.1}", n as f64 / 10.0);
            let padded = format!("{text:>width$}");
            let from_text = cell_number(&Value::from(padded)).unwrap();
            let from_number = cell_number(&serde_json::json!(text.parse::<f64>().unwrap())).unwrap();
            proptest::prop_assert_eq!(from_text, from_number);
        }

        #[test]
        fn next_links_never_leave_the_cbs_host(link in "\\PC{0,60}|(https?://[a-z.]{1,12}(:[0-9]{1,5})?)?/[a-zA-Z0-9/?=&$%.]{0,40}") {
            let base = Url::parse("https://opendata.cbs.nl").unwrap();
            let current = Url::parse("https://opendata.cbs.nl/ODataFeed/odata/80799ned/TypedDataSet?$format=json").unwrap();
            if let Ok(next) = next_page_url(&current, &link, &base) {
                proptest::prop_assert_eq!(next.origin(), base.origin());
                proptest::prop_assert!(next.query_pairs().any(|(k, v)| k == "$format" || v.contains("json")));
            }
        }

        #[test]
        fn stop_detection_never_panics(text in "\\PC{0,200}") {
            let _ = successor_in(&text);
            let _ = successor_in(&format!("opgevolgd door{text}"));
        }

        #[test]
        fn cells_never_panic(s in "\\PC{0,30}") {
            let _ = cell_number(&Value::String(s));
        }
    }
}
