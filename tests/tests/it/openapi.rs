//! The documented public API: the OpenAPI document, its coverage of the routes, the human API
//! page, JSON errors and CORS.

use serde_json::Value;
use std::collections::BTreeSet;
use tests::{TestApp, spawn_app};

const PUBLIC_URL: &str = "https://koers.example";

/// Path prefixes of the public, documented URLs.
const PUBLIC_PREFIXES: [&str; 3] = ["/api/v1", "/charts", "/embed"];

async fn document(app: &TestApp) -> Value {
    let (status, json) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    json
}

/// Every GET operation: (path, operation object).
fn get_operations(doc: &Value) -> Vec<(String, Value)> {
    doc["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .filter_map(|(path, item)| Some((path.clone(), item.get("get")?.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// The parameters of an operation in one place (`path` or `query`): (name, example).
fn params(op: &Value, place: &str) -> Vec<(String, Value)> {
    op["parameters"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|p| p["in"] == place)
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or_default().to_owned();
                    (name, p["example"].clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A documented path with its path parameters replaced by their examples.
fn example_path(path: &str, op: &Value) -> String {
    params(op, "path")
        .into_iter()
        .fold(path.to_owned(), |out, (name, example)| {
            let value = example
                .as_str()
                .unwrap_or_else(|| panic!("{path}: path parameter {name} has no example"));
            out.replace(&format!("{{{name}}}"), value)
        })
}

/// The query string made of every documented query parameter's example.
fn example_query(op: &Value) -> String {
    let mut pairs = form_pairs(params(op, "query"));
    pairs.sort();
    pairs.join("&")
}

fn form_pairs(params: Vec<(String, Value)>) -> Vec<String> {
    let mut out = Vec::new();
    for (name, example) in params {
        let values = match example {
            Value::Array(items) => items,
            Value::Null => panic!("query parameter {name} has no example"),
            other => vec![other],
        };
        for v in values {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            out.push(format!("{name}={text}"));
        }
    }
    out
}

/// Every `.route("…")` path literal in the server's source: the routes it registers.
fn registered_routes() -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    for file in tests::server_source_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
        for (i, _) in text.match_indices(".route(") {
            let rest = text[i + ".route(".len()..].trim_start();
            if let Some(literal) = rest.strip_prefix('"')
                && let Some(end) = literal.find('"')
            {
                routes.insert(literal[..end].to_owned());
            }
        }
    }
    routes
}

#[tokio::test]
async fn openapi_document_is_a_valid_openapi_3_document_of_this_server() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/json")
    );
    let text = response.text().await.unwrap_or_default();

    // It parses as an OpenAPI 3.1 document.
    let spec = oas3::from_json(&text).unwrap_or_else(|e| panic!("not OpenAPI 3.1: {e}"));
    let version = spec
        .validate_version()
        .unwrap_or_else(|e| panic!("bad version: {e}"));
    assert_eq!(version.major, 3);
    assert_eq!(spec.servers[0].url, PUBLIC_URL);
    assert!(spec.info.license.is_some(), "the data licence is stated");
    let operations: Vec<_> = spec.operations().collect();
    assert!(operations.len() >= 8, "{} operations", operations.len());

    // Every `$ref` points at something in the document.
    let json: Value = serde_json::from_str(&text).unwrap_or_default();
    let mut refs = Vec::new();
    collect_refs(&json, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external $ref {r}"));
        assert!(json.pointer(pointer).is_some(), "dangling $ref {r}");
    }

    // Every operation says what it does and documents its errors as the shared JSON error.
    for (path, op) in get_operations(&json) {
        assert!(op["summary"].is_string(), "{path}: no summary");
        assert!(op["responses"]["200"].is_object(), "{path}: no 200");
        // Pages for iframes (embeds) answer errors as short HTML pages instead.
        let page = op["responses"]["200"]["content"]["text/html"].is_object();
        if page {
            assert!(
                op["responses"]["400"]["content"]["text/html"].is_object(),
                "{path}: errors undocumented"
            );
        } else if path != "/api/v1/openapi.json" {
            assert_eq!(
                op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .or(
                        op["responses"]["500"]["content"]["application/json"]["schema"]["$ref"]
                            .as_str()
                    ),
                Some("#/components/schemas/ErrorBody"),
                "{path}: errors undocumented"
            );
        }
    }
    app.stop().await;
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_public_route_the_server_registers_is_documented() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    // The code's own list and the served document agree.
    let listed: BTreeSet<String> = server::routes::openapi::documented_paths()
        .into_iter()
        .collect();
    assert_eq!(documented, listed);

    let public: Vec<String> = registered_routes()
        .into_iter()
        .filter(|r| {
            PUBLIC_PREFIXES
                .iter()
                .any(|p| r == p || r.starts_with(&format!("{p}/")))
        })
        .collect();
    // The scan sees the routes (so an empty scan cannot pass).
    for known in ["/api/v1/series", "/api/v1/series/{id}", "/charts/{file}"] {
        assert!(
            public.iter().any(|r| r == known),
            "{known} not found in {public:?}"
        );
    }
    let missing: Vec<&String> = public.iter().filter(|r| !documented.contains(*r)).collect();
    assert!(
        missing.is_empty(),
        "registered but not in the OpenAPI document (add #[utoipa::path] and list it in \
         server/src/routes/openapi.rs): {missing:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn every_documented_path_answers_with_its_examples() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let operations = get_operations(&doc);
    assert!(operations.len() >= 8);
    for (path, op) in operations {
        let url = example_path(&path, &op);
        let documented_types: Vec<String> = op["responses"]["200"]["content"]
            .as_object()
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        for query in ["".to_owned(), example_query(&op)] {
            let full = if query.is_empty() {
                url.clone()
            } else {
                format!("{url}?{query}")
            };
            let response = app.get(&full).await;
            let status = response.status().as_u16();
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .to_owned();
            let body = response.text().await.unwrap_or_default();
            assert_eq!(status, 200, "GET {full}: {body}");
            assert!(
                documented_types
                    .iter()
                    .any(|t| content_type.starts_with(t.as_str())),
                "GET {full}: {content_type} is not one of {documented_types:?}"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn every_documented_query_parameter_is_read_and_a_bad_value_is_a_json_400() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let mut checked = 0;
    for (path, op) in get_operations(&doc) {
        let url = example_path(&path, &op);
        let page = op["responses"]["200"]["content"]["text/html"].is_object();
        for (name, _) in params(&op, "query") {
            let full = format!("{url}?{name}=%C2%A7%C2%A7");
            if page {
                let (status, html) = app.get_text(&full).await;
                assert_eq!(status, 400, "GET {full}: {html}");
                assert!(html.contains("<html"), "GET {full}: not a page: {html}");
                checked += 1;
                continue;
            }
            let (status, json) = app.get_json(&full).await;
            assert_eq!(status, 400, "GET {full}: {json}");
            assert_eq!(json["error"]["code"], "invalid_input", "GET {full}");
            assert!(json["error"]["message"].is_string());
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} parameters checked");
    app.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_wrong_methods_and_bad_queries_get_json_errors() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/nothing",
        "/api/v2/series",
        "/api/",
        "/api/v1/series/x/y/z",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap_or_default()
                .starts_with("application/json"),
            "{path}"
        );
        let json: Value = response.json().await.unwrap_or_default();
        assert_eq!(json["error"]["code"], "not_found", "{path}");
    }

    let response = app
        .client
        .post(format!("{}/api/v1/series", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 405);
    assert!(
        response.headers()["allow"]
            .to_str()
            .unwrap_or_default()
            .contains("GET")
    );
    let json: Value = response.json().await.unwrap_or_default();
    assert_eq!(json["error"]["code"], "method_not_allowed");

    // axum's own rejection of a query it cannot read (a repeated field) is JSON too.
    let (status, json) = app
        .get_json("/api/v1/goals?vintage=2025-01-01&vintage=2025-02-01")
        .await;
    assert_eq!(status, 400);
    assert_eq!(json["error"]["code"], "invalid_input");
    // So is a path segment that is not UTF-8.
    let (status, json) = app.get_json("/api/v1/series/%FF/history").await;
    assert_eq!(status, 400);
    assert_eq!(json["error"]["code"], "invalid_input");

    // Server functions under /api/fn keep working: the catch-all does not take them.
    let (_, body) = app.get_text("/api/fn/overview").await;
    assert!(!body.contains("no API endpoint"), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn api_answers_any_origin_for_get() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/series",
        "/api/v1/openapi.json",
        "/api/v1/nothing",
        "/api/v1/goals?vintage=nonsense",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .header("origin", "https://newsroom.example")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            response
                .headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            Some("*"),
            "{path}"
        );
    }
    app.stop().await;
}

/// HTML text with the entities the renderer may use turned back into characters.
fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The part of the page about one endpoint: from its heading to the next one.
fn section<'a>(html: &'a str, path: &str) -> Option<&'a str> {
    let start = html.find(&format!("GET {path}</code>"))?;
    let rest = &html[start..];
    let end = rest[1..].find("<h3").map_or(rest.len(), |i| i + 1);
    Some(&rest[..end])
}

#[tokio::test]
async fn api_page_documents_every_path_and_parameter_in_both_languages() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let operations = get_operations(&doc);
    for (page, lang) in [("/api", "nl"), ("/en/api", "en")] {
        let (status, html) = app.get_text(page).await;
        assert_eq!(status, 200, "{page}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{page}");
        assert!(html.contains("href=\"/api/v1/openapi.json\""), "{page}");
        for (path, op) in &operations {
            let part = section(&html, path)
                .unwrap_or_else(|| panic!("{page} does not document GET {path}"));
            for (name, _) in params(op, "path").into_iter().chain(params(op, "query")) {
                assert!(
                    part.contains(&format!("<code>{name}</code>")),
                    "{page}: GET {path} does not explain {name}"
                );
            }
            // A copyable example on the public URL.
            assert!(
                unescape(part).contains(&format!("<code>curl '{PUBLIC_URL}")),
                "{page}: GET {path} has no example request: {part}"
            );
        }
        // The footer links to it.
        let (_, home) = app.get_text(if lang == "nl" { "/" } else { "/en" }).await;
        assert!(
            home.contains(&format!("href=\"{page}\"")),
            "no footer link to {page}"
        );
    }
    app.stop().await;
}
