//! `FakeCbs`: a wiremock server with one stateful responder that answers like CBS OData v3.

use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The tables served, with their ids exactly as CBS publishes them.
pub const CBS_TABLES: [&str; 5] = ["37296ned", "80799ned", "82235NED", "83671NED", "86050NED"];

/// The base URL written in the fixtures; replaced by the fake's own address when served.
const FIXTURE_BASE: &str = "https://opendata.cbs.nl";
/// The content type CBS sends with `$format=json`.
const ODATA_JSON: &str = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8";
/// Rows per `TypedDataSet` page by default: small, so every table spans several pages.
const DEFAULT_PAGE_SIZE: usize = 80;

/// One table: its metadata documents and its data rows, all editable.
pub(crate) struct Table {
    pub(crate) docs: HashMap<String, Value>,
    pub(crate) rows: Vec<Value>,
}

/// A fault answered instead of the next request, whatever it is.
enum Fault {
    Status(u16),
    /// 429, with `Retry-After: <secs>` when given.
    RateLimited(Option<u64>),
}

/// How data pages (`TypedDataSet`) are broken, until [`FakeCbs::heal`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum DataMode {
    Normal,
    Truncated,
    Empty,
    Html,
    NextLinkLoop,
    /// Valid JSON sent as `text/plain`.
    WrongContentType,
    /// An Atom XML feed (what CBS sends when `$format=json` is lost).
    Atom,
    /// A complete body that is not JSON.
    InvalidJson,
    /// A redirect to the same URL.
    RedirectLoop,
    /// The first page answers; later pages answer with this status.
    FailAfterFirstPage(u16),
}

struct State {
    base: String,
    tables: HashMap<String, Table>,
    page_size: usize,
    faults: VecDeque<Fault>,
    data_mode: DataMode,
    delay: Option<Duration>,
    requests: Vec<String>,
    revision: u32,
}

/// A local CBS OData v3 server for tests: service documents, `TableInfos`, `DataProperties`,
/// dimensions, `CategoryGroups`, and `TypedDataSet` paged with `odata.nextLink`. The Feed
/// understands `$filter=Dim eq 'key' [and ...]` with CBS's exact matching: a region key without
/// its padding matches no row.
pub struct FakeCbs {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/cbs")
}

pub(crate) fn load_table(id: &str) -> Table {
    let dir = fixtures_dir().join(id);
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    let mut docs = HashMap::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let doc: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            docs.insert(name, doc);
        }
    }
    let rows = docs
        .remove("TypedDataSet")
        .and_then(|d| d.get("value").and_then(Value::as_array).cloned())
        .unwrap_or_else(|| panic!("{}: TypedDataSet.json has no value list", dir.display()));
    Table { docs, rows }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeCbs {
    /// Starts the server with every table of [`CBS_TABLES`] loaded from `tests/fixtures/cbs/`.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            base: server.uri(),
            tables: CBS_TABLES
                .iter()
                .map(|id| ((*id).to_owned(), load_table(id)))
                .collect(),
            page_size: DEFAULT_PAGE_SIZE,
            faults: VecDeque::new(),
            data_mode: DataMode::Normal,
            delay: None,
            requests: Vec::new(),
            revision: 0,
        }));
        Mock::given(any())
            .respond_with(Responder(state.clone()))
            .mount(&server)
            .await;
        Self { server, state }
    }

    /// The base URL to configure as `CBS_ODATA_URL`.
    pub fn url(&self) -> String {
        self.server.uri()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn edit<R>(&self, table: &str, f: impl FnOnce(&mut Table) -> R) -> R {
        let mut state = self.state();
        let t = state
            .tables
            .get_mut(table)
            .unwrap_or_else(|| panic!("FakeCbs serves {CBS_TABLES:?}, not {table:?}"));
        f(t)
    }

    fn table_info_field(&self, table: &str, field: &str, value: Value) {
        self.edit(table, |t| {
            let row = t
                .docs
                .get_mut("TableInfos")
                .and_then(|d| d.pointer_mut("/value/0"))
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("{table}: TableInfos has no row"));
            row.insert(field.to_owned(), value);
        });
    }

    /// The table's current `TableInfos.Modified`.
    pub fn modified(&self, table: &str) -> String {
        self.edit(table, |t| {
            t.docs
                .get("TableInfos")
                .and_then(|d| d.pointer("/value/0/Modified"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
    }

    /// Sets `TableInfos.Modified` (the change marker Koers compares).
    pub fn set_modified(&self, table: &str, modified: &str) {
        self.table_info_field(table, "Modified", json!(modified));
    }

    /// Moves `Modified` to a new value, as CBS does with every delivery.
    pub fn bump_modified(&self, table: &str) {
        let revision = {
            let mut state = self.state();
            state.revision += 1;
            state.revision
        };
        self.set_modified(table, &format!("2026-02-{:02}T02:00:00", revision % 28 + 1));
    }

    /// Changes a cell in every row whose columns match `filter` (keys compared trimmed), e.g.
    /// `[("Persoonskenmerken", "T009002"), ("Perioden", "2022JJ00")]`, and bumps `Modified`.
    /// Returns the number of rows changed (panics when none matched).
    pub fn revise_value(
        &self,
        table: &str,
        filter: &[(&str, &str)],
        topic: &str,
        value: Value,
    ) -> usize {
        let changed = self.edit(table, |t| {
            let mut changed = 0;
            for row in t.rows.iter_mut().filter_map(Value::as_object_mut) {
                let matches = filter
                    .iter()
                    .all(|(k, v)| row.get(*k).and_then(Value::as_str).map(str::trim) == Some(*v));
                if matches {
                    row.insert(topic.to_owned(), value.clone());
                    changed += 1;
                }
            }
            changed
        });
        assert!(
            changed > 0,
            "revise_value: no row of {table} matches {filter:?}"
        );
        self.bump_modified(table);
        changed
    }

    /// Renames a column in `DataProperties` and in the data (as a CBS redesign does, e.g.
    /// `Nieuwbouw_2` → `Nieuwbouw_4`), and bumps `Modified`.
    pub fn drift_data_properties(&self, table: &str, from_key: &str, to_key: &str) {
        self.edit(table, |t| {
            let mut found = false;
            for prop in t.data_properties_mut() {
                if prop.get("Key").and_then(Value::as_str) == Some(from_key) {
                    prop.insert("Key".to_owned(), json!(to_key));
                    found = true;
                }
            }
            assert!(
                found,
                "drift_data_properties: {table} has no column {from_key}"
            );
            for row in t.rows.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(v) = row.remove(from_key) {
                    row.insert(to_key.to_owned(), v);
                }
            }
        });
        self.bump_modified(table);
    }

    /// Changes the `Unit` of a topic in `DataProperties`, and bumps `Modified`.
    pub fn set_unit(&self, table: &str, topic: &str, unit: &str) {
        self.edit(table, |t| {
            let prop = t
                .data_properties_mut()
                .find(|p| p.get("Key").and_then(Value::as_str) == Some(topic))
                .unwrap_or_else(|| panic!("set_unit: {table} has no column {topic}"));
            prop.insert("Unit".to_owned(), json!(unit));
        });
        self.bump_modified(table);
    }

    /// Retitles a category in a dimension endpoint (as a CBS redesign may), and bumps
    /// `Modified`. `key` is compared trimmed.
    pub fn set_category_title(&self, table: &str, dimension: &str, key: &str, title: &str) {
        self.edit(table, |t| {
            let row = t
                .docs
                .get_mut(dimension)
                .and_then(|d| d.get_mut("value"))
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object_mut)
                .find(|r| r.get("Key").and_then(Value::as_str).map(str::trim) == Some(key))
                .unwrap_or_else(|| panic!("set_category_title: {table}/{dimension} has no {key}"));
            row.insert("Title".to_owned(), json!(title));
        });
        self.bump_modified(table);
    }

    /// Marks the table stopped (`stopgezet`), succeeded by `successor`, as CBS writes it.
    pub fn stop_table(&self, table: &str, successor: &str) {
        self.table_info_field(table, "ReasonDelivery", json!("Stopgezet"));
        self.table_info_field(table, "OutputStatus", json!("Gediscontinueerd"));
        self.table_info_field(
            table,
            "Description",
            json!(format!(
                "\nDeze tabel is stopgezet.\nDeze tabel wordt opgevolgd door: {successor}.\n"
            )),
        );
        self.bump_modified(table);
    }

    /// The next `n` requests (of any kind) answer with `status`.
    pub fn fail_next(&self, n: usize, status: u16) {
        let mut state = self.state();
        state.faults.extend((0..n).map(|_| Fault::Status(status)));
    }

    /// The next request answers 429 with `Retry-After: <secs>`; later ones answer normally.
    pub fn respond_429_then_ok(&self, retry_after_secs: u64) {
        self.state()
            .faults
            .push_back(Fault::RateLimited(Some(retry_after_secs)));
    }

    /// The next `n` requests answer 429, with `Retry-After: <secs>` when given.
    pub fn rate_limit_next(&self, n: usize, retry_after_secs: Option<u64>) {
        let mut state = self.state();
        state
            .faults
            .extend((0..n).map(|_| Fault::RateLimited(retry_after_secs)));
    }

    /// Data pages are valid JSON sent as `text/plain` until [`heal`](Self::heal).
    pub fn wrong_content_type(&self) {
        self.state().data_mode = DataMode::WrongContentType;
    }

    /// Data pages are an Atom XML feed (`application/atom+xml`) until [`heal`](Self::heal).
    pub fn atom_feed(&self) {
        self.state().data_mode = DataMode::Atom;
    }

    /// Data pages are a complete body that is not JSON until [`heal`](Self::heal).
    pub fn invalid_json(&self) {
        self.state().data_mode = DataMode::InvalidJson;
    }

    /// Data requests redirect (302) to themselves until [`heal`](Self::heal).
    pub fn redirect_loop(&self) {
        self.state().data_mode = DataMode::RedirectLoop;
    }

    /// The first data page answers; every later page answers `status` until
    /// [`heal`](Self::heal) (a failure halfway through a table).
    pub fn fail_after_first_page(&self, status: u16) {
        self.state().data_mode = DataMode::FailAfterFirstPage(status);
    }

    /// Removes a category from a dimension endpoint only; the data keep referring to it.
    /// `key` is compared trimmed. Bumps `Modified`.
    pub fn remove_category(&self, table: &str, dimension: &str, key: &str) {
        self.edit(table, |t| {
            let list = t
                .docs
                .get_mut(dimension)
                .and_then(|d| d.get_mut("value"))
                .and_then(Value::as_array_mut)
                .unwrap_or_else(|| panic!("remove_category: {table} has no dimension {dimension}"));
            let before = list.len();
            list.retain(|r| r.get("Key").and_then(Value::as_str).map(str::trim) != Some(key));
            assert!(
                list.len() < before,
                "remove_category: {table}/{dimension} has no {key}"
            );
        });
        self.bump_modified(table);
    }

    /// Appends a copy (with a new `ID`) of the first data row matching `filter` (keys compared
    /// trimmed): the same figure twice. Bumps `Modified`.
    pub fn duplicate_row(&self, table: &str, filter: &[(&str, &str)]) {
        self.edit(table, |t| {
            let mut copy = t
                .rows
                .iter()
                .find(|row| {
                    filter.iter().all(|(k, v)| {
                        row.get(*k).and_then(Value::as_str).map(str::trim) == Some(*v)
                    })
                })
                .cloned()
                .unwrap_or_else(|| panic!("duplicate_row: no row of {table} matches {filter:?}"));
            copy["ID"] = json!(t.rows.len() + 100_000);
            t.rows.push(copy);
        });
        self.bump_modified(table);
    }

    /// Heals every fault and reloads every table from its fixtures (undoing all edits), with
    /// a new `Modified`.
    pub fn reset(&self) {
        self.heal();
        {
            let mut state = self.state();
            for id in CBS_TABLES {
                state.tables.insert(id.to_owned(), load_table(id));
            }
        }
        for id in CBS_TABLES {
            self.bump_modified(id);
        }
    }

    /// Data pages end mid-document until [`heal`](Self::heal).
    pub fn truncate_data(&self) {
        self.state().data_mode = DataMode::Truncated;
    }

    /// `TypedDataSet` returns no rows until [`heal`](Self::heal).
    pub fn empty_table(&self) {
        self.state().data_mode = DataMode::Empty;
    }

    /// Data requests get an HTML maintenance page with status 200 until [`heal`](Self::heal).
    pub fn html_error_page(&self) {
        self.state().data_mode = DataMode::Html;
    }

    /// Every data page links to itself as the next page until [`heal`](Self::heal).
    pub fn next_link_loop(&self) {
        self.state().data_mode = DataMode::NextLinkLoop;
    }

    /// Removes every pending fault and broken data mode (edits of the data stay).
    pub fn heal(&self) {
        let mut state = self.state();
        state.faults.clear();
        state.data_mode = DataMode::Normal;
    }

    /// Delays every response (to hold a run open while a test does something else).
    pub fn delay_responses(&self, delay: Option<Duration>) {
        self.state().delay = delay;
    }

    /// Rows per data page.
    pub fn set_page_size(&self, rows: usize) {
        self.state().page_size = rows.max(1);
    }

    /// Number of requests whose path ends with `path_suffix` (`"TableInfos"`, `"TypedDataSet"`).
    pub fn request_count(&self, path_suffix: &str) -> usize {
        self.state()
            .requests
            .iter()
            .filter(|r| {
                r.split('?')
                    .next()
                    .is_some_and(|p| p.ends_with(path_suffix))
            })
            .count()
    }

    /// Every request so far, as path and query.
    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }
}

impl Table {
    fn data_properties_mut(&mut self) -> impl Iterator<Item = &mut serde_json::Map<String, Value>> {
        self.docs
            .get_mut("DataProperties")
            .and_then(|d| d.get_mut("value"))
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
            .filter_map(Value::as_object_mut)
    }
}

struct Responder(Arc<Mutex<State>>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        let path = request.url.path().to_owned();
        state.requests.push(match request.url.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        });
        let response = match state.faults.pop_front() {
            Some(Fault::Status(status)) => {
                odata_error(status, "Er is een interne fout opgetreden.")
            }
            Some(Fault::RateLimited(secs)) => {
                let response = odata_error(429, "Te veel verzoeken; probeer het later opnieuw.");
                match secs {
                    Some(secs) => response.insert_header("Retry-After", secs.to_string()),
                    None => response,
                }
            }
            None => route(&state, &path, request),
        };
        match state.delay {
            Some(d) => response.set_delay(d),
            None => response,
        }
    }
}

fn odata_error(status: u16, message: &str) -> ResponseTemplate {
    let body = json!({"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": message}}});
    ResponseTemplate::new(status).set_body_raw(body.to_string(), ODATA_JSON)
}

fn json_response(state: &State, doc: &Value) -> ResponseTemplate {
    let text = doc.to_string().replace(FIXTURE_BASE, &state.base);
    ResponseTemplate::new(200).set_body_raw(text, ODATA_JSON)
}

fn route(state: &State, path: &str, request: &Request) -> ResponseTemplate {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["ODataApi", "OData", table] => match state.tables.get(*table) {
            Some(t) => doc_response(state, t, "service"),
            None => not_found(table),
        },
        ["ODataApi", "OData", table, entity] => match state.tables.get(*table) {
            Some(t) => doc_response(state, t, entity),
            None => not_found(table),
        },
        ["ODataFeed", "odata", table, "TypedDataSet"] => match state.tables.get(*table) {
            Some(t) => data_page(state, table, t, request),
            None => not_found(table),
        },
        _ => not_found(path),
    }
}

fn not_found(what: &str) -> ResponseTemplate {
    odata_error(
        404,
        &format!("Resource not found for the segment '{what}'."),
    )
}

fn doc_response(state: &State, table: &Table, name: &str) -> ResponseTemplate {
    match table.docs.get(name) {
        Some(doc) => json_response(state, doc),
        None => not_found(name),
    }
}

/// The clauses of a Feed `$filter` (`RegioS eq 'NL01  ' and ...`), or `None` when it uses
/// anything else (the fake then refuses the request, as a reminder to extend it).
fn parse_filter(filter: &str) -> Option<Vec<(String, String)>> {
    filter
        .split(" and ")
        .map(|clause| {
            let (column, rest) = clause.trim().split_once(" eq '")?;
            let value = rest.strip_suffix('\'')?;
            Some((column.trim().to_owned(), value.to_owned()))
        })
        .collect()
}

fn data_page(state: &State, id: &str, table: &Table, request: &Request) -> ResponseTemplate {
    let query = |name: &str| {
        request
            .url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let skip: usize = query("$skip").and_then(|v| v.parse().ok()).unwrap_or(0);
    let filter = query("$filter");
    let clauses = match filter.as_deref().map(parse_filter) {
        None => Vec::new(),
        Some(Some(clauses)) => clauses,
        Some(None) => {
            return odata_error(400, "FakeCbs understands only `Column eq 'value'` filters.");
        }
    };
    // Exact matching, padding included: that is what CBS does.
    let selected: Vec<&Value> = table
        .rows
        .iter()
        .filter(|row| {
            clauses
                .iter()
                .all(|(column, value)| row.get(column).and_then(Value::as_str) == Some(value))
        })
        .collect();
    let filter_part = filter.as_deref().map_or_else(String::new, |f| {
        let encoded: String = url::form_urlencoded::byte_serialize(f.as_bytes()).collect();
        format!("&$filter={}", encoded.replace('+', "%20"))
    });
    let link = |skip: usize| {
        format!(
            "{}/ODataFeed/odata/{id}/TypedDataSet?$format=json{filter_part}&$skip={skip}",
            state.base
        )
    };
    let metadata = format!(
        "{}/ODataFeed/odata/{id}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
        state.base
    );
    let rows: Vec<Value> = match state.data_mode {
        DataMode::Empty => Vec::new(),
        _ => selected
            .iter()
            .skip(skip)
            .take(state.page_size)
            .map(|row| (*row).clone())
            .collect(),
    };
    let next = match state.data_mode {
        DataMode::Empty => None,
        DataMode::NextLinkLoop => Some(link(skip)),
        _ => (skip + state.page_size < selected.len()).then(|| link(skip + state.page_size)),
    };
    let mut doc = json!({"odata.metadata": metadata, "value": rows});
    if let Some(next) = next {
        doc["odata.nextLink"] = json!(next);
    }
    match state.data_mode {
        DataMode::FailAfterFirstPage(status) if skip > 0 => {
            odata_error(status, "Er is een interne fout opgetreden.")
        }
        DataMode::WrongContentType => {
            ResponseTemplate::new(200).set_body_raw(doc.to_string(), "text/plain; charset=utf-8")
        }
        DataMode::Atom => ResponseTemplate::new(200).set_body_raw(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title type=\"text\">TypedDataSet</title></feed>",
            "application/atom+xml;type=feed;charset=utf-8",
        ),
        DataMode::InvalidJson => ResponseTemplate::new(200).set_body_raw(
            "{\"value\": [{\"ID\": 0,, \"Perioden\": 2021JJ00}]}",
            ODATA_JSON,
        ),
        DataMode::RedirectLoop => {
            let query = request
                .url
                .query()
                .map_or_else(String::new, |q| format!("?{q}"));
            let here = format!("{}{}{query}", state.base, request.url.path());
            ResponseTemplate::new(302).insert_header("Location", here.as_str())
        }
        DataMode::Html => ResponseTemplate::new(200).set_body_raw(
            "<!DOCTYPE html><html><head><title>CBS - Onderhoud</title></head>\
             <body><h1>StatLine is tijdelijk niet beschikbaar</h1></body></html>",
            "text/html; charset=utf-8",
        ),
        DataMode::Truncated => {
            let text = doc.to_string();
            let cut: String = text.chars().take(text.chars().count() / 2).collect();
            ResponseTemplate::new(200).set_body_raw(cut, ODATA_JSON)
        }
        _ => json_response(state, &doc),
    }
}
