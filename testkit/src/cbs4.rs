//! `FakeCbs4`: a wiremock server that answers like CBS OData v4 (`datasets.cbs.nl/odata/v1`)
//! for the tables of [`crate::CBS_TABLES`], built from their v3 fixtures: `Properties`,
//! `Dimensions`, `MeasureCodes`, `{Dim}Codes` and `Observations` (one row per published cell,
//! empty cells left out, keys unpadded, paged with `@odata.nextLink`).
//!
//! v4 names topics by measure code; this fake derives the code from the v3 key's position
//! suffix: `DaklozeMensen_1` is `M000001` (see [`measure_code`]).

use crate::cbs::load_table;
use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const JSON: &str = "application/json; odata.metadata=minimal; charset=utf-8";
const PAGE_SIZE: usize = 100;

/// The fake's v4 measure code of a v3 topic key: `M` and the position suffix on six digits.
pub fn measure_code(v3_key: &str) -> String {
    let n: u32 = v3_key
        .rsplit_once('_')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0);
    format!("M{n:06}")
}

/// How `Observations` pages are broken, until [`FakeCbs4::heal`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Truncated,
    Empty,
}

struct Table {
    properties: Value,
    dimensions: Vec<Value>,
    measures: Vec<Value>,
    codes: HashMap<String, Vec<Value>>,
    observations: Vec<Value>,
}

struct State {
    base: String,
    tables: HashMap<String, Table>,
    faults: VecDeque<u16>,
    mode: Mode,
    requests: Vec<String>,
    revision: u32,
}

/// A local CBS OData v4 server for tests.
pub struct FakeCbs4 {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn convert(id: &str) -> Table {
    let v3 = load_table(id);
    let info = v3
        .docs
        .get("TableInfos")
        .and_then(|d| d.pointer("/value/0"))
        .cloned()
        .unwrap_or_else(|| panic!("{id}: no TableInfos row"));
    let properties = json!({
        "Identifier": id,
        "Title": info["Title"],
        "Modified": info["Modified"],
        "ObservationsModified": info["Modified"],
        "Status": info["OutputStatus"],
        "Description": info["Description"],
    });
    let props: Vec<Value> = v3
        .docs
        .get("DataProperties")
        .and_then(|d| d.get("value"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let is_dim = |p: &Value| {
        matches!(
            p.get("Type").and_then(Value::as_str),
            Some("Dimension" | "TimeDimension" | "GeoDimension" | "GeoDetail")
        )
    };
    let is_topic = |p: &Value| p.get("Type").and_then(Value::as_str) == Some("Topic");
    let dimensions: Vec<Value> = props
        .iter()
        .filter(|p| is_dim(p))
        .map(|p| json!({"Identifier": p["Key"], "Title": p["Title"], "Kind": p["Type"]}))
        .collect();
    let topics: Vec<String> = props
        .iter()
        .filter(|p| is_topic(p))
        .map(|p| text(p, "Key"))
        .collect();
    let measures: Vec<Value> = props
        .iter()
        .filter(|p| is_topic(p))
        .enumerate()
        .map(|(i, p)| {
            json!({"Identifier": measure_code(&text(p, "Key")), "Index": i + 1, "Title": p["Title"],
                   "Unit": p["Unit"], "Decimals": p["Decimals"]})
        })
        .collect();
    let mut codes = HashMap::new();
    for d in &dimensions {
        let dim = text(d, "Identifier");
        let rows: Vec<Value> = v3
            .docs
            .get(&dim)
            .and_then(|doc| doc.get("value"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, r)| {
                json!({"Identifier": text(r, "Key").trim(), "Index": i + 1, "Title": r["Title"],
                       "Description": r.get("Description").cloned().unwrap_or(Value::Null),
                       "DimensionGroupId": r.get("CategoryGroupID").cloned().unwrap_or(Value::Null),
                       "Status": r.get("Status").cloned().unwrap_or(Value::Null)})
            })
            .collect();
        codes.insert(dim, rows);
    }
    let mut observations = Vec::new();
    for row in &v3.rows {
        for topic in &topics {
            let Some(value) = row.get(topic).filter(|v| !v.is_null()) else {
                continue;
            };
            let mut obs = Map::new();
            obs.insert("Id".into(), json!(observations.len()));
            obs.insert("Measure".into(), json!(measure_code(topic)));
            obs.insert("ValueAttribute".into(), json!("None"));
            obs.insert("Value".into(), value.clone());
            obs.insert("StringValue".into(), Value::Null);
            for d in &dimensions {
                let dim = text(d, "Identifier");
                obs.insert(dim.clone(), json!(text(row, &dim).trim()));
            }
            observations.push(Value::Object(obs));
        }
    }
    Table {
        properties,
        dimensions,
        measures,
        codes,
        observations,
    }
}

impl FakeCbs4 {
    /// Starts the server with every table of [`crate::CBS_TABLES`].
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            base: server.uri(),
            tables: crate::CBS_TABLES
                .iter()
                .map(|id| ((*id).to_owned(), convert(id)))
                .collect(),
            faults: VecDeque::new(),
            mode: Mode::Normal,
            requests: Vec::new(),
            revision: 0,
        }));
        Mock::given(any())
            .respond_with(Responder(state.clone()))
            .mount(&server)
            .await;
        Self { server, state }
    }

    /// The base URL to configure as `CBS_ODATA4_URL` (the fake's `/v1` level).
    pub fn url(&self) -> String {
        self.server.uri()
    }

    fn edit(&self, table: &str, f: impl FnOnce(&mut Table)) {
        let mut state = lock(&self.state);
        state.revision += 1;
        let revision = state.revision;
        let t = state
            .tables
            .get_mut(table)
            .unwrap_or_else(|| panic!("FakeCbs4 does not serve {table:?}"));
        f(t);
        t.properties["ObservationsModified"] =
            json!(format!("2026-03-{:02}T02:00:00", revision % 28 + 1));
    }

    /// The next `n` requests answer with `status`.
    pub fn fail_next(&self, n: usize, status: u16) {
        lock(&self.state).faults.extend((0..n).map(|_| status));
    }

    /// `Observations` pages end mid-document until [`heal`](Self::heal).
    pub fn truncate_data(&self) {
        lock(&self.state).mode = Mode::Truncated;
    }

    /// `Observations` has no rows until [`heal`](Self::heal).
    pub fn empty_table(&self) {
        lock(&self.state).mode = Mode::Empty;
    }

    /// Removes pending faults and broken modes.
    pub fn heal(&self) {
        let mut state = lock(&self.state);
        state.faults.clear();
        state.mode = Mode::Normal;
    }

    /// Heals every fault and rebuilds every table from its fixtures (undoing all edits), with a
    /// new `ObservationsModified`.
    pub fn reset(&self) {
        self.heal();
        for id in crate::CBS_TABLES {
            lock(&self.state).tables.insert(id.to_owned(), convert(id));
            self.edit(id, |_| {});
        }
    }

    /// Renames a measure code in `MeasureCodes` and in the observations (a redesign).
    pub fn drift_measure(&self, table: &str, from: &str, to: &str) {
        self.edit(table, |t| {
            for m in t.measures.iter_mut().chain(&mut t.observations) {
                if m.get("Identifier").and_then(Value::as_str) == Some(from) {
                    m["Identifier"] = json!(to);
                }
                if m.get("Measure").and_then(Value::as_str) == Some(from) {
                    m["Measure"] = json!(to);
                }
            }
        });
    }

    /// Sets the value of every observation of `measure` whose dimensions match `filter`.
    pub fn revise_value(&self, table: &str, filter: &[(&str, &str)], measure: &str, value: Value) {
        self.edit(table, |t| {
            for o in &mut t.observations {
                let hit = o.get("Measure").and_then(Value::as_str) == Some(measure)
                    && filter
                        .iter()
                        .all(|(k, v)| o.get(*k).and_then(Value::as_str) == Some(*v));
                if hit {
                    o["Value"] = value.clone();
                }
            }
        });
    }

    /// Marks the table stopped, succeeded by `successor`, as CBS writes it.
    pub fn stop_table(&self, table: &str, successor: &str) {
        self.edit(table, |t| {
            t.properties["Status"] = json!("Gediscontinueerd");
            t.properties["Description"] = json!(format!(
                "Deze tabel is stopgezet.\nDeze tabel wordt opgevolgd door: {successor}.\n"
            ));
        });
    }

    /// Number of requests whose path ends with `suffix`.
    pub fn request_count(&self, suffix: &str) -> usize {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.split('?').next().is_some_and(|p| p.ends_with(suffix)))
            .count()
    }
}

struct Responder(Arc<Mutex<State>>);

fn not_found(what: &str) -> ResponseTemplate {
    let body = json!({"error": {"code": "404", "message": format!("Resource not found: {what}")}});
    ResponseTemplate::new(404).set_body_raw(body.to_string(), JSON)
}

fn ok(doc: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(doc.to_string(), JSON)
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        let path = request.url.path().to_owned();
        state.requests.push(match request.url.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.clone(),
        });
        if let Some(status) = state.faults.pop_front() {
            let body = json!({"error": {"code": status.to_string(), "message": "Er is een fout opgetreden."}});
            return ResponseTemplate::new(status).set_body_raw(body.to_string(), JSON);
        }
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let ["CBS", table, entity] = segments.as_slice() else {
            return not_found(&path);
        };
        let Some(t) = state.tables.get(*table) else {
            return not_found(table);
        };
        match *entity {
            "Properties" => ok(&t.properties),
            "Dimensions" => ok(&json!({"value": t.dimensions})),
            "MeasureCodes" => ok(&json!({"value": t.measures})),
            "Observations" => {
                let skip: usize = request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == "$skip")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let rows: Vec<&Value> = match state.mode {
                    Mode::Empty => Vec::new(),
                    _ => t.observations.iter().skip(skip).take(PAGE_SIZE).collect(),
                };
                let mut doc = json!({"@odata.context": format!("{}/CBS/{table}/$metadata#Observations", state.base), "value": rows});
                if state.mode != Mode::Empty && skip + PAGE_SIZE < t.observations.len() {
                    doc["@odata.nextLink"] = json!(format!(
                        "{}/CBS/{table}/Observations?$skip={}",
                        state.base,
                        skip + PAGE_SIZE
                    ));
                }
                if state.mode == Mode::Truncated {
                    let text = doc.to_string();
                    let cut: String = text.chars().take(text.chars().count() / 2).collect();
                    return ResponseTemplate::new(200).set_body_raw(cut, JSON);
                }
                ok(&doc)
            }
            codes => match codes.strip_suffix("Codes").and_then(|d| t.codes.get(d)) {
                Some(rows) => ok(&json!({"value": rows})),
                None => not_found(codes),
            },
        }
    }
}
