//! `FakeEurostat`: a wiremock server with one stateful responder that answers like Eurostat's
//! statistics API (`/data/{dataset}?format=JSON&lang=EN&{dim}={code}...`, JSON-stat 2.0).
//!
//! Each request slices the stored cube by its filters, as Eurostat does (codes compared without
//! regard to case). A filter on a dimension the cube lacks is ignored and a code it lacks is
//! left out (a dimension may end up empty), so a test can take something away and see what the
//! client makes of the smaller answer; the real API may answer such requests with an error.
//! The cube helpers here are written independently of `jobs::jsonstat`, so each checks the other.

use serde_json::{Map, Value, json};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The datasets served (from `tests/fixtures/eurostat/{code}.json`).
pub const EUROSTAT_DATASETS: [&str; 2] = ["sts_cobp_a", "tps00001"];

const JSON: &str = "application/json;charset=UTF-8";

/// Query parameters that are not dimension filters.
const NOT_FILTERS: [&str; 7] = [
    "format",
    "lang",
    "sinceTimePeriod",
    "untilTimePeriod",
    "lastTimePeriod",
    "geoLevel",
    "precision",
];

struct State {
    datasets: HashMap<String, Value>,
    faults: VecDeque<u16>,
    truncated: bool,
    delay: Option<Duration>,
    requests: Vec<String>,
    revision: u32,
}

/// A local Eurostat statistics API for tests.
pub struct FakeEurostat {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

fn fixture(code: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/eurostat")
        .join(format!("{code}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeEurostat {
    /// Starts the server with every dataset of [`EUROSTAT_DATASETS`] loaded.
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State {
            datasets: EUROSTAT_DATASETS
                .iter()
                .map(|code| ((*code).to_owned(), fixture(code)))
                .collect(),
            faults: VecDeque::new(),
            truncated: false,
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

    /// The base URL to configure as `EUROSTAT_API_URL` (datasets are under `{url}/data/`).
    pub fn url(&self) -> String {
        self.server.uri()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn edit<R>(&self, dataset: &str, f: impl FnOnce(&mut Value) -> R) -> R {
        let mut state = self.state();
        let doc = state.datasets.get_mut(dataset).unwrap_or_else(|| {
            panic!("FakeEurostat serves {EUROSTAT_DATASETS:?}, not {dataset:?}")
        });
        f(doc)
    }

    /// The dataset's current `updated`.
    pub fn updated(&self, dataset: &str) -> String {
        self.edit(dataset, |d| {
            d["updated"].as_str().unwrap_or_default().to_owned()
        })
    }

    /// Moves `updated` on, as Eurostat does when it republishes a dataset.
    pub fn bump_updated(&self, dataset: &str) {
        let revision = {
            let mut state = self.state();
            state.revision += 1;
            state.revision
        };
        self.edit(dataset, |d| {
            d["updated"] = json!(format!("2026-02-{:02}T23:00:00+0100", revision % 28 + 1));
        });
    }

    /// Sets the value and status of one cell, named by its codes (dimensions left out must
    /// have one category), e.g. `[("geo", "NL"), ("time", "2023")]`; `None` removes them.
    /// Bumps `updated`.
    pub fn set_cell(
        &self,
        dataset: &str,
        at: &[(&str, &str)],
        value: Option<f64>,
        status: Option<&str>,
    ) {
        self.edit(dataset, |doc| {
            let cube = Cube::read(doc);
            let index = cube.flat_index(at);
            set_entry(doc, "value", index, cube.cells(), value.map(|v| json!(v)));
            set_entry(doc, "status", index, cube.cells(), status.map(|s| json!(s)));
        });
        self.bump_updated(dataset);
    }

    /// Removes a category from the cube, as when Eurostat stops publishing a country or
    /// renames a code; requests for it then get a cube without it. Bumps `updated`.
    pub fn drop_category(&self, dataset: &str, dimension: &str, code: &str) {
        self.edit(dataset, |doc| {
            let cube = Cube::read(doc);
            let codes = cube.codes(dimension);
            assert!(
                codes.iter().any(|c| c == code),
                "drop_category: {dataset}/{dimension} has no {code}"
            );
            let keep: Vec<String> = codes.into_iter().filter(|c| c != code).collect();
            *doc = cube.slice(doc, &HashMap::from([(dimension.to_owned(), keep)]));
        });
        self.bump_updated(dataset);
    }

    /// Serves `value` and `status` as arrays over every cell (the other legal form).
    pub fn use_array_form(&self, dataset: &str) {
        self.edit(dataset, |doc| {
            let cells = Cube::read(doc).cells();
            for member in ["value", "status"] {
                if let Some(Value::Object(entries)) = doc.get(member) {
                    let mut array = vec![Value::Null; cells];
                    for (k, v) in entries {
                        if let Some(slot) = k.parse::<usize>().ok().and_then(|i| array.get_mut(i)) {
                            *slot = v.clone();
                        }
                    }
                    doc[member] = Value::Array(array);
                }
            }
        });
    }

    /// The next `n` requests answer with `status` (429 carries `Retry-After: 1`).
    pub fn fail_next(&self, n: usize, status: u16) {
        self.state().faults.extend((0..n).map(|_| status));
    }

    /// Responses end mid-document until [`heal`](Self::heal).
    pub fn truncate_responses(&self) {
        self.state().truncated = true;
    }

    /// Removes pending faults and truncation (edits of the data stay).
    pub fn heal(&self) {
        let mut state = self.state();
        state.faults.clear();
        state.truncated = false;
    }

    /// Heals every fault and reloads every dataset from its fixture (undoing all edits), with
    /// a new `updated`.
    pub fn reset(&self) {
        self.heal();
        {
            let mut state = self.state();
            for code in EUROSTAT_DATASETS {
                state.datasets.insert(code.to_owned(), fixture(code));
            }
        }
        for code in EUROSTAT_DATASETS {
            self.bump_updated(code);
        }
    }

    /// Delays every response.
    pub fn delay_responses(&self, delay: Option<Duration>) {
        self.state().delay = delay;
    }

    /// Number of requests for `dataset`.
    pub fn request_count(&self, dataset: &str) -> usize {
        let path = format!("/data/{dataset}");
        self.state()
            .requests
            .iter()
            .filter(|r| r.split('?').next() == Some(path.as_str()))
            .count()
    }

    /// Every request so far, as path and query.
    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }
}

/// The shape of a JSON-stat cube: dimension ids, sizes and category codes in index order.
struct Cube {
    ids: Vec<String>,
    sizes: Vec<usize>,
    codes: Vec<Vec<String>>,
}

impl Cube {
    fn read(doc: &Value) -> Self {
        let ids: Vec<String> = doc["id"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let codes: Vec<Vec<String>> = ids
            .iter()
            .map(|id| match &doc["dimension"][id]["category"]["index"] {
                Value::Array(codes) => codes
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
                Value::Object(index) => {
                    let mut pairs: Vec<(u64, String)> = index
                        .iter()
                        .map(|(code, p)| (p.as_u64().unwrap_or(u64::MAX), code.clone()))
                        .collect();
                    pairs.sort();
                    pairs.into_iter().map(|(_, code)| code).collect()
                }
                _ => doc["dimension"][id]["category"]["label"]
                    .as_object()
                    .map(|l| l.keys().cloned().collect())
                    .unwrap_or_default(),
            })
            .collect();
        let sizes = codes.iter().map(Vec::len).collect();
        Self { ids, sizes, codes }
    }

    fn cells(&self) -> usize {
        self.sizes.iter().product()
    }

    fn codes(&self, dimension: &str) -> Vec<String> {
        self.ids
            .iter()
            .position(|id| id == dimension)
            .map(|i| self.codes[i].clone())
            .unwrap_or_else(|| panic!("the cube has no dimension {dimension}"))
    }

    fn coords(&self, mut index: usize) -> Vec<usize> {
        let mut coords = vec![0; self.sizes.len()];
        for (i, &size) in self.sizes.iter().enumerate().rev() {
            coords[i] = index % size.max(1);
            index /= size.max(1);
        }
        coords
    }

    fn index(sizes: &[usize], coords: &[usize]) -> usize {
        sizes
            .iter()
            .zip(coords)
            .fold(0, |acc, (size, c)| acc * size + c)
    }

    fn flat_index(&self, at: &[(&str, &str)]) -> usize {
        let coords: Vec<usize> = self
            .ids
            .iter()
            .zip(&self.codes)
            .map(|(id, codes)| match at.iter().find(|(d, _)| d == id) {
                Some((_, code)) => codes
                    .iter()
                    .position(|c| c == code)
                    .unwrap_or_else(|| panic!("the cube has no {id} {code}")),
                None if codes.len() == 1 => 0,
                None => panic!("name a {id} code: it has {} categories", codes.len()),
            })
            .collect();
        Self::index(&self.sizes, &coords)
    }

    /// The cube with only the `keep` codes of the named dimensions (unknown dimensions and
    /// codes are ignored), `value` and `status` re-indexed in their original form.
    fn slice(&self, doc: &Value, keep: &HashMap<String, Vec<String>>) -> Value {
        let kept: Vec<Vec<usize>> = self
            .ids
            .iter()
            .zip(&self.codes)
            .map(|(id, codes)| {
                let wanted = keep.iter().find(|(d, _)| d.eq_ignore_ascii_case(id));
                (0..codes.len())
                    .filter(|&p| {
                        wanted.is_none_or(|(_, w)| {
                            w.iter().any(|c| c.eq_ignore_ascii_case(&codes[p]))
                        })
                    })
                    .collect()
            })
            .collect();
        let new_sizes: Vec<usize> = kept.iter().map(Vec::len).collect();
        let remap = |old: usize| -> Option<usize> {
            let coords: Option<Vec<usize>> = self
                .coords(old)
                .iter()
                .zip(&kept)
                .map(|(c, k)| k.iter().position(|p| p == c))
                .collect();
            coords.map(|c| Self::index(&new_sizes, &c))
        };
        let mut out = doc.clone();
        for (i, id) in self.ids.iter().enumerate() {
            let category = &mut out["dimension"][id]["category"];
            let index: Map<String, Value> = kept[i]
                .iter()
                .enumerate()
                .map(|(new, &old)| (self.codes[i][old].clone(), json!(new)))
                .collect();
            category["index"] = Value::Object(index);
            if let Some(labels) = category.get_mut("label").and_then(Value::as_object_mut) {
                labels.retain(|code, _| kept[i].iter().any(|&p| self.codes[i][p] == *code));
            }
        }
        out["size"] = json!(new_sizes);
        let total: usize = new_sizes.iter().product();
        for member in ["value", "status"] {
            out[member] = match doc.get(member) {
                Some(Value::Object(entries)) => Value::Object(
                    entries
                        .iter()
                        .filter_map(|(k, v)| {
                            let new = remap(k.parse().ok()?)?;
                            Some((new.to_string(), v.clone()))
                        })
                        .collect(),
                ),
                Some(Value::Array(entries)) => {
                    let mut array = vec![Value::Null; total];
                    for (old, v) in entries.iter().enumerate() {
                        if let Some(slot) = remap(old).and_then(|new| array.get_mut(new)) {
                            *slot = v.clone();
                        }
                    }
                    Value::Array(array)
                }
                Some(other) => other.clone(),
                None => continue,
            };
        }
        out
    }
}

/// Sets (or with `None` removes) entry `index` of `value` or `status`, in either form.
fn set_entry(doc: &mut Value, member: &str, index: usize, cells: usize, entry: Option<Value>) {
    match doc.get_mut(member) {
        Some(Value::Array(items)) => {
            items.resize(cells, Value::Null);
            items[index] = entry.unwrap_or(Value::Null);
        }
        Some(Value::Object(items)) => match entry {
            Some(v) => {
                items.insert(index.to_string(), v);
            }
            None => {
                items.remove(&index.to_string());
            }
        },
        _ => {
            if let Some(v) = entry {
                doc[member] = json!({ index.to_string(): v });
            }
        }
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
            Some(429) => error(429, "Too many requests").insert_header("Retry-After", "1"),
            Some(status) => error(status, "Internal server error"),
            None => route(&state, &path, request),
        };
        match state.delay {
            Some(d) => response.set_delay(d),
            None => response,
        }
    }
}

/// An error body (illustrative: the shape of Eurostat's error JSON was not confirmed).
fn error(status: u16, label: &str) -> ResponseTemplate {
    let body = json!({"error": [{"status": status, "id": status, "label": label}]});
    ResponseTemplate::new(status).set_body_raw(body.to_string(), JSON)
}

fn route(state: &State, path: &str, request: &Request) -> ResponseTemplate {
    let Some(code) = path.strip_prefix("/data/") else {
        return error(404, &format!("No service at {path}"));
    };
    let Some(doc) = state.datasets.get(code) else {
        return error(404, &format!("Dataset {code} not found"));
    };
    let mut keep: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in request.url.query_pairs() {
        if k.eq_ignore_ascii_case("format") && !v.eq_ignore_ascii_case("JSON") {
            return error(400, "Only format=JSON is served");
        }
        if !NOT_FILTERS.iter().any(|n| n.eq_ignore_ascii_case(&k)) {
            keep.entry(k.into_owned()).or_default().push(v.into_owned());
        }
    }
    let sliced = Cube::read(doc).slice(doc, &keep);
    let text = sliced.to_string();
    let text = if state.truncated {
        text.chars().take(text.chars().count() / 2).collect()
    } else {
        text
    };
    ResponseTemplate::new(200).set_body_raw(text, JSON)
}
