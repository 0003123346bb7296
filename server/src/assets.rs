//! Static assets, compiled into the binary so `koers` starts from anywhere with no path to set:
//! the stylesheet (`style/main.css`), the favicon, and the hydration bundle that
//! `scripts/build-site.sh` writes to `dist/site/pkg/` (with `.gz`/`.br` siblings).
//!
//! Files are served under content-hashed names (`/pkg/koers-3f9a1c2e.css`) with an immutable
//! cache lifetime; a new build changes the names.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// Set by build.rs from the bundle's files, so a new bundle always rebuilds this crate.
pub const BUNDLE_STAMP: &str = env!("KOERS_BUNDLE_STAMP");

#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../dist/site/pkg/"]
#[allow_missing = true]
struct Bundle;

const CSS: &str = include_str!("../../style/main.css");
const CONSOLE_CSS: &str = include_str!("../../style/console.css");
const FAVICON: &[u8] = include_bytes!("../../public/favicon.svg");
/// Embeds: the frame's stylesheet and height reporter, and the host page's iframe sizer. Their
/// URLs are stable (pasted into other sites), so they are cached for a day, not forever.
const PUBLIC_FILES: [(&str, &[u8], &str); 3] = [
    (
        "/embed.css",
        include_bytes!("../../public/embed.css"),
        "text/css; charset=utf-8",
    ),
    (
        "/embed-frame.js",
        include_bytes!("../../public/embed-frame.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "/embed.js",
        include_bytes!("../../public/embed.js"),
        "text/javascript; charset=utf-8",
    ),
];

/// One servable file with its precompressed variants.
#[derive(Debug)]
struct Asset {
    body: Vec<u8>,
    gzip: Option<Vec<u8>>,
    brotli: Option<Vec<u8>>,
    content_type: &'static str,
    etag: String,
}

/// Every static asset, keyed by URL path.
#[derive(Debug, Clone)]
pub struct Assets {
    files: Arc<HashMap<String, Asset>>,
    /// Hashed URL of the stylesheet.
    pub css_href: String,
    /// URL of the console's stylesheet (loaded after the site's).
    pub console_css_href: String,
    /// Leptos output name of the bundle (`koers-<hash>`): `/pkg/<name>.js`, `/pkg/<name>_bg.wasm`.
    pub output_name: String,
    /// Whether the hydration bundle was built into this binary.
    pub has_wasm: bool,
}

fn short_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex::encode(&h.finalize()[..4])
}

fn embedded(name: &str) -> Option<Vec<u8>> {
    Bundle::get(name).map(|f| f.data.into_owned())
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).ok()?;
    enc.finish().ok()
}

impl Assets {
    /// Collects the assets compiled into the binary.
    pub fn load() -> Self {
        let mut files = HashMap::new();
        let mut stylesheet = |name: &str, css: &str| {
            let hash = short_hash(&[css.as_bytes()]);
            let href = format!("/pkg/{name}-{hash}.css");
            files.insert(
                href.clone(),
                Asset {
                    gzip: gzip(css.as_bytes()),
                    body: css.as_bytes().to_vec(),
                    brotli: None,
                    content_type: "text/css; charset=utf-8",
                    etag: hash,
                },
            );
            href
        };
        let css_href = stylesheet("koers", CSS);
        let console_css_href = stylesheet("console", CONSOLE_CSS);
        files.insert(
            "/favicon.svg".to_owned(),
            Asset {
                body: FAVICON.to_vec(),
                gzip: None,
                brotli: None,
                content_type: "image/svg+xml",
                etag: short_hash(&[FAVICON]),
            },
        );
        for (url, body, content_type) in PUBLIC_FILES {
            files.insert(
                url.to_owned(),
                Asset {
                    body: body.to_vec(),
                    gzip: gzip(body),
                    brotli: None,
                    content_type,
                    etag: short_hash(&[body]),
                },
            );
        }
        let (js, wasm) = (embedded("koers.js"), embedded("koers_bg.wasm"));
        let (output_name, has_wasm) = match (&js, &wasm) {
            (Some(js), Some(wasm)) => {
                let hash = short_hash(&[js, wasm]);
                let name = format!("koers-{hash}");
                for (file, url, content_type, body) in [
                    (
                        "koers.js",
                        format!("/pkg/{name}.js"),
                        "text/javascript; charset=utf-8",
                        js,
                    ),
                    (
                        "koers_bg.wasm",
                        format!("/pkg/{name}_bg.wasm"),
                        "application/wasm",
                        wasm,
                    ),
                ] {
                    files.insert(
                        url,
                        Asset {
                            body: body.clone(),
                            gzip: embedded(&format!("{file}.gz")),
                            brotli: embedded(&format!("{file}.br")),
                            content_type,
                            etag: hash.clone(),
                        },
                    );
                }
                (name, true)
            }
            _ => ("koers".to_owned(), false),
        };
        Self {
            files: Arc::new(files),
            css_href,
            console_css_href,
            output_name,
            has_wasm,
        }
    }

    /// Total size of an asset as sent with the best encoding `accept` allows (for benchmarks).
    pub fn encoded_len(&self, path: &str, accept: &str) -> Option<usize> {
        let asset = self.files.get(path)?;
        Some(pick(asset, accept).1.len())
    }

    /// URL paths of every asset.
    pub fn paths(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }
}

fn pick<'a>(asset: &'a Asset, accept: &str) -> (Option<&'static str>, &'a [u8]) {
    let accepts = |enc: &str| {
        accept
            .split(',')
            .any(|p| p.split(';').next().map(str::trim) == Some(enc))
    };
    match (&asset.brotli, &asset.gzip) {
        (Some(br), _) if accepts("br") => (Some("br"), br),
        (_, Some(gz)) if accepts("gzip") => (Some("gzip"), gz),
        _ => (None, &asset.body),
    }
}

/// Serves `/pkg/{file}`, `/favicon.svg` and the embed files.
pub async fn serve_asset(State(assets): State<Assets>, uri: Uri, headers: HeaderMap) -> Response {
    let key = uri.path();
    let Some(asset) = assets.files.get(key) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let etag = format!("\"{}\"", asset.etag);
    let immutable = key.starts_with("/pkg/");
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
        )
            .into_response();
    }
    let accept = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (encoding, body) = pick(asset, accept);
    let mut response = Response::new(Body::from(body.to_vec()));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Some(enc) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_is_served_under_a_hashed_name() {
        let assets = Assets::load();
        assert!(assets.css_href.starts_with("/pkg/koers-") && assets.css_href.ends_with(".css"));
        assert!(assets.encoded_len(&assets.css_href, "gzip").unwrap() < CSS.len());
    }
}
