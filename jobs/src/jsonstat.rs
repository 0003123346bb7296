//! A pure reader of JSON-stat 2.0 datasets (<https://json-stat.org/format/>), the format of
//! Eurostat's statistics API: `id` and `size` give the dimensions in order, each
//! `dimension.{id}.category` lists its categories (`index` as an object or an array, `label`),
//! and `value` and `status` hold the cells (an array over every cell, or an object keyed by the
//! flat cell index), in row-major order: the last dimension varies fastest.
//!
//! Only cells that carry a value or a status are kept; a missing value stays missing (never 0).
//! Every malformed document is an error that says what is wrong; nothing here panics.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

/// Most cells a cube may declare: far above anything Koers asks for, low enough that index
/// arithmetic cannot overflow.
pub const MAX_CELLS: u64 = 1 << 40;

/// A document that is not a JSON-stat 2.0 dataset Koers can read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JsonStatError {
    /// Not JSON at all.
    #[error("the response is not JSON: {0}")]
    NotJson(String),
    /// A required part is missing or has the wrong type.
    #[error("not a JSON-stat 2.0 dataset: {0}")]
    Shape(String),
    /// `id` and `size` disagree.
    #[error("JSON-stat `id` lists {ids} dimensions but `size` has {sizes} entries")]
    SizeMismatch {
        /// Length of `id`.
        ids: usize,
        /// Length of `size`.
        sizes: usize,
    },
    /// A dimension lists another number of categories than its `size`.
    #[error("dimension {dimension} has {categories} categories but `size` says {size}")]
    CategoryCount {
        /// Dimension id.
        dimension: String,
        /// Its entry in `size`.
        size: u64,
        /// Categories listed.
        categories: usize,
    },
    /// A cell index or category position outside the cube.
    #[error("{what} {index} is out of range (the cube has {limit})")]
    OutOfRange {
        /// What was indexed (`value index`, `position of category X`).
        what: String,
        /// The offending index, as written.
        index: String,
        /// The bound it must stay under.
        limit: u64,
    },
    /// A value that is not a number.
    #[error("value at index {index} is not a number: {value}")]
    NotANumber {
        /// Flat index of the cell.
        index: u64,
        /// The value as written (shortened).
        value: String,
    },
}

fn shape(message: impl Into<String>) -> JsonStatError {
    JsonStatError::Shape(message.into())
}

/// One category of a dimension.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Code (`NL`, `2024`, `BPRM_DW`).
    pub code: String,
    /// Label as published, when there is one.
    pub label: Option<String>,
}

/// One dimension, its categories in index order.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// Dimension id (`geo`, `time`).
    pub id: String,
    /// Label as published.
    pub label: Option<String>,
    /// Categories, position `i` at index `i`.
    pub categories: Vec<Category>,
}

impl Dimension {
    /// The position of the category with this code.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.code == code)
    }
}

/// A cell that carries a value, a status, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Category position in each dimension, in `id` order.
    pub coords: Vec<usize>,
    /// The value; `None` when missing.
    pub value: Option<f64>,
    /// The status (Eurostat: flags such as `p`, `e`, `b`), when given.
    pub status: Option<String>,
}

/// A JSON-stat 2.0 dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Title.
    pub label: Option<String>,
    /// Producer (`ESTAT`).
    pub source: Option<String>,
    /// When the data last changed (ISO 8601, as written).
    pub updated: Option<String>,
    /// Dimensions in `id` order.
    pub dimensions: Vec<Dimension>,
    /// The cells that carry a value or a status, by increasing flat index.
    pub cells: Vec<Cell>,
}

impl Dataset {
    /// The dimension with this id and its position in `id`.
    pub fn dimension(&self, id: &str) -> Option<(usize, &Dimension)> {
        self.dimensions.iter().enumerate().find(|(_, d)| d.id == id)
    }

    /// The code of a cell's category in dimension `dim` (a position in `id`).
    pub fn code(&self, cell: &Cell, dim: usize) -> Option<&str> {
        let position = *cell.coords.get(dim)?;
        let category = self.dimensions.get(dim)?.categories.get(position)?;
        Some(category.code.as_str())
    }
}

/// Strides of a row-major cube (the flat index of coordinates `c` is `sum(c[i] * strides[i])`)
/// and its number of cells. `None` when the cube has more than [`MAX_CELLS`] cells.
pub fn strides(sizes: &[u64]) -> Option<(Vec<u64>, u64)> {
    let mut strides = vec![0; sizes.len()];
    let mut step: u64 = 1;
    for (i, &size) in sizes.iter().enumerate().rev() {
        strides[i] = step;
        step = step.checked_mul(size)?;
    }
    (step <= MAX_CELLS).then_some((strides, step))
}

/// The coordinates of flat index `index` in a cube of `sizes` (which must hold it).
pub fn coords_of(index: u64, sizes: &[u64], strides: &[u64]) -> Vec<usize> {
    sizes
        .iter()
        .zip(strides)
        .map(|(&size, &stride)| {
            let position = if stride == 0 || size == 0 {
                0
            } else {
                (index / stride) % size
            };
            usize::try_from(position).unwrap_or(usize::MAX)
        })
        .collect()
}

/// Reads a JSON-stat 2.0 dataset.
pub fn parse(body: &[u8]) -> Result<Dataset, JsonStatError> {
    let root: Value =
        serde_json::from_slice(body).map_err(|e| JsonStatError::NotJson(e.to_string()))?;
    let root = root
        .as_object()
        .ok_or_else(|| shape("the document is not a JSON object"))?;
    if let Some(class) = root.get("class")
        && class.as_str() != Some("dataset")
    {
        return Err(shape(format!("class is {class}, not \"dataset\"")));
    }
    let ids = read_ids(root)?;
    let sizes = read_sizes(root)?;
    if ids.len() != sizes.len() {
        return Err(JsonStatError::SizeMismatch {
            ids: ids.len(),
            sizes: sizes.len(),
        });
    }
    let (strides, cells_total) = strides(&sizes).ok_or_else(|| JsonStatError::OutOfRange {
        what: "the number of cells".to_owned(),
        index: shorten(&format!("{sizes:?}")),
        limit: MAX_CELLS,
    })?;
    let dims = root
        .get("dimension")
        .and_then(Value::as_object)
        .ok_or_else(|| shape("`dimension` is missing or not an object"))?;
    let dimensions = ids
        .iter()
        .zip(&sizes)
        .map(|(id, &size)| read_dimension(id, size, dims.get(id.as_str())))
        .collect::<Result<Vec<_>, _>>()?;

    let mut cells: BTreeMap<u64, (Option<f64>, Option<String>)> = BTreeMap::new();
    for (index, value) in read_cells(root.get("value"), "value", cells_total)? {
        let number = number(index, value)?;
        if number.is_some() {
            cells.entry(index).or_default().0 = number;
        }
    }
    match root.get("status") {
        Some(Value::String(all)) => {
            for cell in cells.values_mut() {
                cell.1 = Some(all.clone());
            }
        }
        status => {
            for (index, flag) in read_cells(status, "status", cells_total)? {
                match flag {
                    Value::Null => {}
                    Value::String(s) => cells.entry(index).or_default().1 = Some(s.clone()),
                    other => {
                        return Err(shape(format!(
                            "status at index {index} is {}, not a string",
                            shorten(&other.to_string())
                        )));
                    }
                }
            }
        }
    }

    let text = |key: &str| root.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(Dataset {
        label: text("label"),
        source: text("source"),
        updated: text("updated"),
        dimensions,
        cells: cells
            .into_iter()
            .map(|(index, (value, status))| Cell {
                coords: coords_of(index, &sizes, &strides),
                value,
                status,
            })
            .collect(),
    })
}

fn read_ids(root: &Map<String, Value>) -> Result<Vec<String>, JsonStatError> {
    let ids = root
        .get("id")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("`id` is missing or not an array"))?;
    let mut seen = HashSet::new();
    ids.iter()
        .map(|id| {
            let id = id.as_str().ok_or_else(|| {
                shape(format!(
                    "`id` holds {}, not a string",
                    shorten(&id.to_string())
                ))
            })?;
            if !seen.insert(id) {
                return Err(shape(format!("`id` lists dimension {id} twice")));
            }
            Ok(id.to_owned())
        })
        .collect()
}

fn read_sizes(root: &Map<String, Value>) -> Result<Vec<u64>, JsonStatError> {
    root.get("size")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("`size` is missing or not an array"))?
        .iter()
        .map(|s| {
            s.as_u64().ok_or_else(|| {
                shape(format!(
                    "`size` holds {}, not a whole number",
                    shorten(&s.to_string())
                ))
            })
        })
        .collect()
}

fn read_dimension(id: &str, size: u64, dim: Option<&Value>) -> Result<Dimension, JsonStatError> {
    let dim = dim.and_then(Value::as_object).ok_or_else(|| {
        shape(format!(
            "dimension {id} is listed in `id` but not described"
        ))
    })?;
    let category = dim
        .get("category")
        .and_then(Value::as_object)
        .ok_or_else(|| shape(format!("dimension {id} has no `category` object")))?;
    let labels = match category.get("label") {
        None => None,
        Some(Value::Object(labels)) => Some(labels),
        Some(_) => return Err(shape(format!("labels of dimension {id} are not an object"))),
    };
    let out_of_range = |code: &str, position: String| JsonStatError::OutOfRange {
        what: format!("position of category {code} in dimension {id}"),
        index: position,
        limit: size,
    };
    let codes: Vec<String> = match category.get("index") {
        Some(Value::Array(codes)) => codes
            .iter()
            .map(|c| {
                c.as_str().map(str::to_owned).ok_or_else(|| {
                    shape(format!("index of dimension {id} holds a non-string code"))
                })
            })
            .collect::<Result<_, _>>()?,
        Some(Value::Object(index)) => {
            if index.len() as u64 != size {
                return Err(JsonStatError::CategoryCount {
                    dimension: id.to_owned(),
                    size,
                    categories: index.len(),
                });
            }
            let mut slots: Vec<Option<String>> = vec![None; index.len()];
            for (code, position) in index {
                let p = position
                    .as_u64()
                    .ok_or_else(|| out_of_range(code, shorten(&position.to_string())))?;
                let slot = usize::try_from(p)
                    .ok()
                    .filter(|_| p < size)
                    .and_then(|p| slots.get_mut(p))
                    .ok_or_else(|| out_of_range(code, p.to_string()))?;
                if slot.replace(code.clone()).is_some() {
                    return Err(shape(format!(
                        "two categories of dimension {id} share position {p}"
                    )));
                }
            }
            slots.into_iter().flatten().collect()
        }
        // JSON-stat allows leaving out the index of a single-category dimension.
        None => match labels {
            Some(labels) if labels.len() == 1 => labels.keys().cloned().collect(),
            _ => return Err(shape(format!("dimension {id} has no category index"))),
        },
        Some(_) => {
            return Err(shape(format!(
                "index of dimension {id} is not an object or array"
            )));
        }
    };
    if codes.len() as u64 != size {
        return Err(JsonStatError::CategoryCount {
            dimension: id.to_owned(),
            size,
            categories: codes.len(),
        });
    }
    let categories = codes
        .into_iter()
        .map(|code| Category {
            label: labels
                .and_then(|l| l.get(&code))
                .and_then(Value::as_str)
                .map(str::to_owned),
            code,
        })
        .collect();
    Ok(Dimension {
        id: id.to_owned(),
        label: dim.get("label").and_then(Value::as_str).map(str::to_owned),
        categories,
    })
}

/// The entries of `value` or `status`: an array over every cell, or an object keyed by the
/// flat index. Absent means no entries.
fn read_cells<'a>(
    cells: Option<&'a Value>,
    what: &'static str,
    total: u64,
) -> Result<Vec<(u64, &'a Value)>, JsonStatError> {
    match cells {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            if items.len() as u64 != total {
                return Err(shape(format!(
                    "`{what}` has {} entries but the cube has {total} cells",
                    items.len()
                )));
            }
            Ok((0..).zip(items).collect())
        }
        Some(Value::Object(items)) => items
            .iter()
            .map(|(key, item)| {
                key.parse::<u64>()
                    .ok()
                    .filter(|&i| i < total)
                    .map(|i| (i, item))
                    .ok_or_else(|| JsonStatError::OutOfRange {
                        what: format!("{what} index"),
                        index: shorten(key),
                        limit: total,
                    })
            })
            .collect(),
        Some(other) => Err(shape(format!(
            "`{what}` is {}, not an array or object",
            shorten(&other.to_string())
        ))),
    }
}

/// A cell value: a number, `null` (missing), or a string holding a number.
fn number(index: u64, value: &Value) -> Result<Option<f64>, JsonStatError> {
    let not_a_number = || JsonStatError::NotANumber {
        index,
        value: shorten(&value.to_string()),
    };
    let number = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match number {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(not_a_number()),
    }
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a failing test may panic")]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../tests/fixtures/eurostat/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A 2 × 3 × 2 cube (`a` × `b` × `c`) with the given value and status members.
    fn cube(value: Value, status: Option<Value>) -> Vec<u8> {
        let mut doc = json!({
            "version": "2.0", "class": "dataset", "label": "test", "updated": "2025-01-01T11:00:00+0100",
            "id": ["a", "b", "c"], "size": [2, 3, 2],
            "dimension": {
                "a": {"label": "A", "category": {"index": {"a0": 0, "a1": 1}}},
                "b": {"category": {"index": ["b0", "b1", "b2"], "label": {"b0": "B zero"}}},
                "c": {"category": {"index": {"c1": 1, "c0": 0}}}
            },
            "value": value
        });
        if let Some(status) = status {
            doc["status"] = status;
        }
        doc.to_string().into_bytes()
    }

    fn at(d: &Dataset, coords: [usize; 3]) -> Option<&Cell> {
        d.cells.iter().find(|c| c.coords == coords)
    }

    #[test]
    fn strides_are_row_major_over_three_dimensions() {
        // Arrange / Act
        let (s, cells) = strides(&[2, 3, 2]).unwrap();
        // Assert: the last dimension varies fastest.
        assert_eq!((s.as_slice(), cells), ([6, 2, 1].as_slice(), 12));
        assert_eq!(coords_of(0, &[2, 3, 2], &s), [0, 0, 0]);
        assert_eq!(coords_of(7, &[2, 3, 2], &s), [1, 0, 1]);
        assert_eq!(coords_of(11, &[2, 3, 2], &s), [1, 2, 1]);
        assert_eq!(strides(&[u64::MAX, 2]), None);
    }

    #[test]
    fn an_object_of_values_is_read_by_flat_index() {
        // Arrange: index 7 = a1, b0, c1; index 4 = a0, b2, c0.
        let body = cube(json!({"7": 12.5, "4": 3, "9": null}), None);
        // Act
        let d = parse(&body).unwrap();
        // Assert
        assert_eq!(d.cells.len(), 2, "null is no value");
        assert_eq!(at(&d, [1, 0, 1]).unwrap().value, Some(12.5));
        assert_eq!(at(&d, [0, 2, 0]).unwrap().value, Some(3.0));
        assert_eq!(d.code(at(&d, [1, 0, 1]).unwrap(), 2), Some("c1"));
        assert_eq!(d.updated.as_deref(), Some("2025-01-01T11:00:00+0100"));
    }

    #[test]
    fn an_array_of_values_with_nulls_gives_the_same_cells() {
        let mut values = vec![Value::Null; 12];
        values[7] = json!(12.5);
        values[4] = json!("3");
        let d = parse(&cube(Value::Array(values), None)).unwrap();
        assert_eq!(d.cells.len(), 2);
        assert_eq!(at(&d, [1, 0, 1]).unwrap().value, Some(12.5));
        assert_eq!(at(&d, [0, 2, 0]).unwrap().value, Some(3.0));
    }

    #[test]
    fn categories_follow_their_index_with_labels_where_given() {
        let d = parse(&cube(json!({}), None)).unwrap();
        let codes = |i: usize| -> Vec<&str> {
            d.dimensions[i]
                .categories
                .iter()
                .map(|c| c.code.as_str())
                .collect()
        };
        assert_eq!(codes(0), ["a0", "a1"]);
        assert_eq!(codes(2), ["c0", "c1"], "object index sorted by position");
        assert_eq!(
            d.dimensions[1].categories[0].label.as_deref(),
            Some("B zero")
        );
        assert_eq!(d.dimensions[1].categories[1].label, None);
        assert_eq!(d.dimension("b").map(|(i, _)| i), Some(1));
        assert_eq!(d.dimensions[0].position("a1"), Some(1));
    }

    #[test]
    fn statuses_come_as_object_array_or_one_string() {
        // object: a status may stand on a cell without a value (":" not available)
        let d = parse(&cube(
            json!({"0": 1.0, "1": 2.0}),
            Some(json!({"1": "p", "5": ":"})),
        ))
        .unwrap();
        assert_eq!(at(&d, [0, 0, 0]).unwrap().status, None);
        assert_eq!(at(&d, [0, 0, 1]).unwrap().status.as_deref(), Some("p"));
        let flagged = at(&d, [0, 2, 1]).unwrap();
        assert_eq!(
            (flagged.value, flagged.status.as_deref()),
            (None, Some(":"))
        );
        // array
        let mut flags = vec![Value::Null; 12];
        flags[0] = json!("e");
        let d = parse(&cube(json!({"0": 1.0}), Some(Value::Array(flags)))).unwrap();
        assert_eq!(at(&d, [0, 0, 0]).unwrap().status.as_deref(), Some("e"));
        // one string for every value
        let d = parse(&cube(json!({"0": 1.0, "3": 2.0}), Some(json!("p")))).unwrap();
        assert!(d.cells.iter().all(|c| c.status.as_deref() == Some("p")));
    }

    #[test]
    fn a_single_category_may_leave_out_its_index() {
        let body = json!({
            "id": ["freq"], "size": [1],
            "dimension": {"freq": {"category": {"label": {"A": "Annual"}}}},
            "value": [7]
        });
        let d = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(d.dimensions[0].categories[0].code, "A");
        assert_eq!(d.cells[0].value, Some(7.0));
    }

    #[test]
    fn malformed_documents_are_clear_errors() {
        let doc = |f: &dyn Fn(&mut Value)| {
            let mut d: Value = serde_json::from_slice(&cube(json!({"0": 1}), None)).unwrap();
            f(&mut d);
            parse(d.to_string().as_bytes()).unwrap_err()
        };
        assert_eq!(
            doc(&|d| d["size"] = json!([2, 3])),
            JsonStatError::SizeMismatch { ids: 3, sizes: 2 }
        );
        assert_eq!(
            doc(&|d| d["size"] = json!([2, 4, 2])),
            JsonStatError::CategoryCount {
                dimension: "b".into(),
                size: 4,
                categories: 3
            }
        );
        let e = doc(&|d| d["value"] = json!({"12": 1}));
        assert_eq!(
            e.to_string(),
            "value index 12 is out of range (the cube has 12)"
        );
        let e = doc(&|d| d["value"] = json!({"x": 1}));
        assert!(matches!(e, JsonStatError::OutOfRange { .. }), "{e}");
        let e = doc(&|d| d["value"] = json!({"3": "n/a"}));
        assert_eq!(e.to_string(), "value at index 3 is not a number: \"n/a\"");
        let e = doc(&|d| d["value"] = json!({"3": true}));
        assert!(
            matches!(e, JsonStatError::NotANumber { index: 3, .. }),
            "{e}"
        );
        let e = doc(&|d| d["value"] = json!([1, 2]));
        assert!(
            e.to_string()
                .contains("has 2 entries but the cube has 12 cells"),
            "{e}"
        );
        let e = doc(&|d| d["dimension"]["c"]["category"]["index"] = json!({"c0": 0, "c1": 2}));
        assert!(
            e.to_string()
                .contains("position of category c1 in dimension c"),
            "{e}"
        );
        let e = doc(&|d| d["dimension"]["c"]["category"]["index"] = json!({"c0": 0, "c1": 0}));
        assert!(e.to_string().contains("share position 0"), "{e}");
        let e = doc(&|d| {
            d["dimension"].as_object_mut().unwrap().remove("b");
        });
        assert!(
            e.to_string()
                .contains("dimension b is listed in `id` but not described"),
            "{e}"
        );
        let e = doc(&|d| d["id"] = json!(["a", "a", "c"]));
        assert!(e.to_string().contains("twice"), "{e}");
        let e = doc(&|d| d["class"] = json!("collection"));
        assert!(e.to_string().contains("not \"dataset\""), "{e}");
        let e = doc(&|d| d["status"] = json!({"0": 5}));
        assert!(e.to_string().contains("not a string"), "{e}");
        assert!(matches!(
            parse(b"{\"id\": [\"a\""),
            Err(JsonStatError::NotJson(_))
        ));
        assert!(matches!(parse(b"[1, 2]"), Err(JsonStatError::Shape(_))));
    }

    #[test]
    fn the_eurostat_fixtures_parse_in_both_forms() {
        let object = parse(&fixture("sts_cobp_a.json")).unwrap();
        let array = parse(&fixture("sts_cobp_a.array.json")).unwrap();
        assert_eq!(object, array);
        let ids: Vec<&str> = object.dimensions.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["freq", "indic_bt", "cpa2_1", "s_adj", "unit", "geo", "time"]
        );
        let population = parse(&fixture("tps00001.json")).unwrap();
        assert!(population.cells.iter().any(|c| c.value.is_some()));
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-z0-9:]{0,6}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::hash_map("[a-z0-9]{1,3}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A cell as written: its value and its status.
    type CubeCell = (Option<f64>, Option<String>);

    /// A cube: the number of categories of each dimension, and per cell a value (a multiple
    /// of 1/4, exact in binary and in decimal) or none, and a status or none.
    fn any_cube() -> impl Strategy<Value = (Vec<usize>, Vec<CubeCell>)> {
        proptest::collection::vec(1usize..4, 1..4).prop_flat_map(|sizes| {
            let total = sizes.iter().product::<usize>();
            let cell = (
                proptest::option::of((-4_000_000i64..4_000_000).prop_map(|n| n as f64 / 4.0)),
                proptest::option::of(
                    proptest::sample::select(vec!["p", "e", "b", "ep", ":"])
                        .prop_map(str::to_owned),
                ),
            );
            (Just(sizes), proptest::collection::vec(cell, total))
        })
    }

    proptest! {
        #[test]
        fn a_written_cube_reads_back_in_every_form(
            (sizes, cells) in any_cube(),
            array_values: bool,
            array_index: bool,
            labels: bool,
        ) {
            // Arrange: dimensions d0, d1, ... with categories c0, c1, ...
            let ids: Vec<String> = (0..sizes.len()).map(|i| format!("d{i}")).collect();
            let mut dimension = Map::new();
            for (id, &size) in ids.iter().zip(&sizes) {
                let codes: Vec<String> = (0..size).map(|c| format!("c{c}")).collect();
                let index = if array_index {
                    json!(codes)
                } else {
                    Value::Object(codes.iter().enumerate().map(|(i, c)| (c.clone(), json!(i))).collect())
                };
                let mut category = json!({"index": index});
                if labels {
                    category["label"] = Value::Object(
                        codes.iter().map(|c| (c.clone(), json!(format!("label {c}")))).collect(),
                    );
                }
                dimension.insert(id.clone(), json!({"label": id, "category": category}));
            }
            let value = if array_values {
                json!(cells.iter().map(|(v, _)| *v).collect::<Vec<_>>())
            } else {
                Value::Object(cells.iter().enumerate()
                    .filter_map(|(i, (v, _))| v.map(|v| (i.to_string(), json!(v))))
                    .collect())
            };
            let status = Value::Object(cells.iter().enumerate()
                .filter_map(|(i, (_, s))| s.clone().map(|s| (i.to_string(), json!(s))))
                .collect());
            let body = json!({"version": "2.0", "class": "dataset", "id": ids, "size": sizes,
                "dimension": dimension, "value": value, "status": status, "updated": "2026-01-01"});

            // Act
            let d = parse(body.to_string().as_bytes()).unwrap();

            // Assert: every dimension and category in order, every cell with something in it.
            prop_assert_eq!(d.dimensions.len(), sizes.len());
            for (dim, &size) in d.dimensions.iter().zip(&sizes) {
                prop_assert_eq!(dim.categories.len(), size);
                for (i, c) in dim.categories.iter().enumerate() {
                    prop_assert_eq!(&c.code, &format!("c{i}"));
                }
            }
            let (strides, _) = strides(&sizes.iter().map(|&s| s as u64).collect::<Vec<_>>()).unwrap();
            let expected: Vec<Cell> = cells.iter().enumerate()
                .filter(|(_, (v, s))| v.is_some() || s.is_some())
                .map(|(i, (v, s))| Cell {
                    coords: coords_of(i as u64, &sizes.iter().map(|&s| s as u64).collect::<Vec<_>>(), &strides),
                    value: *v,
                    status: s.clone(),
                })
                .collect();
            prop_assert_eq!(d.cells, expected);
            prop_assert_eq!(d.updated.as_deref(), Some("2026-01-01"));
        }

        #[test]
        fn the_parser_never_panics_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse(&body);
        }

        #[test]
        fn the_parser_never_panics_on_json_stat_shaped_documents(
            ids in proptest::collection::vec("[a-c]", 0..4),
            sizes in proptest::collection::vec(prop_oneof![0u64..4, Just(u64::MAX)], 0..4),
            dimension in json_value(),
            value in json_value(),
            status in json_value(),
            index_forms in proptest::collection::vec(json_value(), 0..4),
        ) {
            let mut dims = Map::new();
            for (id, index) in ids.iter().zip(index_forms) {
                dims.insert(id.clone(), json!({"category": {"index": index}}));
            }
            for body in [
                json!({"id": ids, "size": sizes, "dimension": dims, "value": value, "status": status}),
                json!({"id": ids, "size": sizes, "dimension": dimension, "value": value}),
            ] {
                if let Ok(d) = parse(body.to_string().as_bytes()) {
                    for cell in &d.cells {
                        for i in 0..d.dimensions.len() {
                            let _ = d.code(cell, i);
                        }
                    }
                }
            }
        }
    }
}
