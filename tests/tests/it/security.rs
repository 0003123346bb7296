//! Security headers (`server::security`): a content security policy with a fresh nonce on every
//! HTML answer that the page's own inline scripts carry, framing only for embeds, HSTS only
//! behind https, nosniff and a referrer policy everywhere; the render cache never replays a
//! nonce.

use reqwest::Response;
use reqwest::header::HeaderMap;
use tests::{TestApp, spawn_app, spawn_app_with};

const SERIES: &str = "/series/homeless_people_18_65";
const EMBED: &str = "/embed/series/homeless_people_18_65";

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap_or_default().to_owned())
}

/// The directives of a policy, by name.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace().map(str::to_owned);
            Some((words.next()?, words.collect()))
        })
        .collect()
}

fn directive(policy: &str, name: &str) -> Option<Vec<String>> {
    directives(policy)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// The nonce named in a policy's `script-src`.
fn policy_nonce(policy: &str) -> String {
    let sources = directive(policy, "script-src").unwrap_or_default();
    let nonce = sources
        .iter()
        .find_map(|s| s.strip_prefix("'nonce-")?.strip_suffix('\''))
        .unwrap_or_else(|| panic!("no nonce in script-src of {policy}"));
    assert!(
        nonce.len() >= 22
            && nonce
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/-_=".contains(c)),
        "not a base64 nonce of 128 bits: {nonce}"
    );
    nonce.to_owned()
}

/// Every `<script …>` start tag of a document.
fn script_tags(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..=i + end]))
        .collect()
}

/// Every start tag of a document (`<name …>`; text such as a code example is escaped and
/// never starts with `<` and a letter).
fn start_tags(html: &str) -> Vec<&str> {
    html.match_indices('<')
        .filter(|(i, _)| html[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..=i + end]))
        .collect()
}

/// The first tag with an inline style (`style="…"`) or event handler (` onclick="…"`).
fn inline_code_attribute(html: &str) -> Option<&str> {
    start_tags(html).into_iter().find(|tag| {
        tag.contains(" style=")
            || tag.match_indices(" on").any(|(i, _)| {
                let name: String = tag[i + 3..]
                    .chars()
                    .take_while(char::is_ascii_lowercase)
                    .collect();
                !name.is_empty() && tag[i + 3 + name.len()..].starts_with('=')
            })
    })
}

/// The headers every answer gets.
fn assert_common(path: &str, headers: &HeaderMap) {
    assert_eq!(
        header(headers, "x-content-type-options").as_deref(),
        Some("nosniff"),
        "{path}"
    );
    let referrer = header(headers, "referrer-policy").unwrap_or_default();
    assert!(
        ["strict-origin-when-cross-origin", "same-origin"].contains(&referrer.as_str()),
        "{path}: referrer policy {referrer:?}"
    );
    let permissions = header(headers, "permissions-policy").unwrap_or_default();
    assert!(permissions.contains("camera=()"), "{path}: {permissions:?}");
}

/// An HTML page that may not be framed: its policy, checked for what every page needs and
/// nothing more; returns the nonce.
fn assert_page(path: &str, headers: &HeaderMap) -> String {
    assert_common(path, headers);
    let policy = header(headers, "content-security-policy")
        .unwrap_or_else(|| panic!("{path}: no content security policy"));
    assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
    assert!(
        !policy.contains("'unsafe-eval'") && !policy.contains("*"),
        "{path}: {policy}"
    );
    let nonce = policy_nonce(&policy);
    for (name, expected) in [
        ("default-src", vec!["'self'".to_owned()]),
        (
            "script-src",
            vec![
                "'self'".to_owned(),
                format!("'nonce-{nonce}'"),
                "'wasm-unsafe-eval'".to_owned(),
            ],
        ),
        (
            "style-src",
            vec!["'self'".to_owned(), format!("'nonce-{nonce}'")],
        ),
        ("object-src", vec!["'none'".to_owned()]),
        ("base-uri", vec!["'none'".to_owned()]),
        ("form-action", vec!["'self'".to_owned()]),
        ("frame-ancestors", vec!["'none'".to_owned()]),
    ] {
        assert_eq!(
            directive(&policy, name),
            Some(expected),
            "{path}: {name} in {policy}"
        );
    }
    assert_eq!(
        header(headers, "x-frame-options").as_deref(),
        Some("DENY"),
        "{path}"
    );
    assert!(
        header(headers, "content-type")
            .unwrap_or_default()
            .starts_with("text/html"),
        "{path}"
    );
    nonce
}

/// An answer that is not HTML: nothing in it may load anything, and it is not framed.
fn assert_not_html(path: &str, headers: &HeaderMap) {
    assert_common(path, headers);
    assert_eq!(
        header(headers, "content-security-policy").as_deref(),
        Some("default-src 'none'; frame-ancestors 'none'"),
        "{path}"
    );
    assert_eq!(
        header(headers, "x-frame-options").as_deref(),
        Some("DENY"),
        "{path}"
    );
}

/// Every inline script of the page carries the header's nonce; script files are same-origin.
/// `islands`: a public page, which has the islands bootstrap when the bundle is built in.
fn assert_scripts_carry(path: &str, html: &str, nonce: &str, app: &TestApp, islands: bool) {
    let tags = script_tags(html);
    for tag in &tags {
        if tag.contains(" src=") {
            assert!(
                tag.contains("src=\"/"),
                "{path}: a script from elsewhere: {tag}"
            );
        } else {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: an inline script without this answer's nonce: {tag}"
            );
        }
    }
    if islands && app.ctx.assets.has_wasm {
        // The islands bootstrap of `HydrationScripts`.
        assert!(
            tags.iter().any(|t| t.contains("type=\"module\"")),
            "{path}: no bootstrap script: {tags:?}"
        );
    }
    assert!(!html.contains("<style"), "{path}: a <style> element");
    assert_eq!(
        inline_code_attribute(html),
        None,
        "{path}: an inline style or event handler"
    );
}

async fn get(app: &TestApp, path: &str) -> (u16, HeaderMap, String) {
    let response: Response = app.get(path).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_page_has_a_policy_whose_fresh_nonce_its_inline_scripts_carry() {
    let app = spawn_app().await;
    let mut nonces = std::collections::BTreeSet::new();
    for (path, status) in [
        ("/", 200),
        ("/en", 200),
        (SERIES, 200),
        ("/en/series/homeless_people_18_65?from=2015", 200),
        ("/api", 200),
        ("/housing", 200),
        ("/bestaat-niet", 404),
        ("/en/series/nothing_here", 404),
        ("/series/homeless_people_18_65?from=abc", 400),
    ] {
        let (got, headers, html) = get(&app, path).await;
        assert_eq!(got, status, "{path}");
        let nonce = assert_page(path, &headers);
        assert_scripts_carry(path, &html, &nonce, &app, true);
        assert_eq!(
            header(&headers, "cross-origin-opener-policy").as_deref(),
            Some("same-origin"),
            "{path}"
        );
        assert_eq!(
            header(&headers, "referrer-policy").as_deref(),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
        assert!(nonces.insert(nonce), "{path}: a nonce was used twice");
    }
    // The same page twice: two nonces, each in its own body.
    let (_, first_headers, first) = get(&app, SERIES).await;
    let (_, second_headers, second) = get(&app, SERIES).await;
    let (a, b) = (
        assert_page(SERIES, &first_headers),
        assert_page(SERIES, &second_headers),
    );
    assert_ne!(a, b);
    assert_scripts_carry(SERIES, &first, &a, &app, true);
    assert_scripts_carry(SERIES, &second, &b, &app, true);
    // Its inline scripts (the resolved resources, and the islands bootstrap) carry them.
    assert!(first.contains(&format!("nonce=\"{a}\"")), "{first}");
    assert!(second.contains(&format!("nonce=\"{b}\"")), "{second}");
    assert!(!first.contains(&b) && !second.contains(&a));
    app.stop().await;
}

#[tokio::test]
async fn console_pages_have_the_policy_and_keep_their_own_private_headers() {
    let app = spawn_app().await;
    let anonymous = app.anonymous();
    let response = anonymous.get("/console/login").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let html = response.text().await.unwrap_or_default();
    let nonce = assert_page("/console/login", &headers);
    assert_scripts_carry("/console/login", &html, &nonce, &app, false);
    assert_eq!(
        header(&headers, "cache-control").as_deref(),
        Some("no-store")
    );
    assert_eq!(
        header(&headers, "referrer-policy").as_deref(),
        Some("same-origin")
    );
    // Signed in: a page and a form page.
    let admin = app.console_user(auth::Role::Admin).await;
    for path in ["/console", "/console/users"] {
        let response = admin.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        let html = response.text().await.unwrap_or_default();
        let nonce = assert_page(path, &headers);
        assert_scripts_carry(path, &html, &nonce, &app, false);
        assert_eq!(
            header(&headers, "referrer-policy").as_deref(),
            Some("same-origin"),
            "{path}"
        );
    }
    // An unknown console address is the site's 404 page: the page policy too.
    let response = admin.get("/console/bestaat-niet").await;
    assert_eq!(response.status(), 404);
    assert_page("/console/bestaat-niet", response.headers());
    let redirect = anonymous.get("/console/users").await;
    assert_eq!(redirect.status(), 303);
    assert_eq!(
        header(redirect.headers(), "x-frame-options").as_deref(),
        Some("DENY")
    );
    app.stop().await;
}

#[tokio::test]
async fn embeds_may_be_framed_anywhere_and_everything_else_nowhere() {
    let app = spawn_app().await;
    for path in [
        EMBED.to_owned(),
        format!("{EMBED}?lang=en&from=2015"),
        "/embed/series/nothing_here".to_owned(),
    ] {
        let (status, headers, html) = get(&app, &path).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert_common(&path, &headers);
        assert_eq!(header(&headers, "x-frame-options"), None, "{path}");
        let policy = header(&headers, "content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no policy"));
        assert_eq!(
            directive(&policy, "frame-ancestors"),
            None,
            "{path}: {policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(
            directive(&policy, "default-src"),
            Some(vec!["'self'".to_owned()]),
            "{path}: {policy}"
        );
        // The embed has no inline script at all: its one script is a file.
        for tag in script_tags(&html) {
            assert!(tag.contains("src=\"/embed-frame.js\""), "{path}: {tag}");
        }
        assert!(!html.contains("<style"), "{path}");
        assert_eq!(inline_code_attribute(&html), None, "{path}");
        // Top-level pages keep their openers apart; a frame in someone's article needs none.
        assert_eq!(
            header(&headers, "cross-origin-opener-policy"),
            None,
            "{path}"
        );
    }
    // A cached embed gets a fresh policy too (the cache keeps bodies, never a nonce).
    let (_, first, body_a) = get(&app, EMBED).await;
    let (_, second, body_b) = get(&app, EMBED).await;
    assert_eq!(header(&second, "x-koers-cache").as_deref(), Some("hit"));
    assert_eq!(body_a, body_b);
    let (a, b) = (
        header(&first, "content-security-policy").unwrap_or_default(),
        header(&second, "content-security-policy").unwrap_or_default(),
    );
    assert_ne!(policy_nonce(&a), policy_nonce(&b));
    // A 304 leaves the stored policy alone (browsers copy a 304's headers onto the stored
    // answer): no policy on it, and still no X-Frame-Options.
    let etag = header(&first, "etag").unwrap_or_default();
    let response = app
        .client
        .get(format!("{}{EMBED}", app.address))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 304);
    assert_eq!(header(response.headers(), "content-security-policy"), None);
    assert_eq!(header(response.headers(), "x-frame-options"), None);
    // The host page's script and the frame's script are plain files.
    for path in ["/embed.js", "/embed-frame.js"] {
        let (status, headers, _) = get(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert_common(path, &headers);
        assert!(
            header(&headers, "content-type")
                .unwrap_or_default()
                .starts_with("text/javascript"),
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn answers_that_are_not_html_get_the_tight_policy() {
    let app = spawn_app().await;
    let css = app.ctx.assets.css_href.clone();
    for (path, status, kind) in [
        ("/api/v1/series", 200, "application/json"),
        (
            "/api/v1/series/homeless_people_18_65?from=abc",
            400,
            "application/json",
        ),
        ("/api/v1/openapi.json", 200, "application/json"),
        (
            "/charts/homeless_people_18_65.svg?lang=nl",
            200,
            "image/svg+xml",
        ),
        (
            "/charts/homeless_people_18_65.png?lang=en",
            200,
            "image/png",
        ),
        ("/api/v1/series/homeless_people_18_65.csv", 200, "text/csv"),
        (css.as_str(), 200, "text/css"),
        ("/favicon.svg", 200, "image/svg+xml"),
        ("/health", 200, ""),
        ("/metrics", 200, ""),
    ] {
        let (got, headers, _) = get(&app, path).await;
        assert_eq!(got, status, "{path}");
        assert!(
            header(&headers, "content-type")
                .unwrap_or_default()
                .starts_with(kind),
            "{path}: {:?}",
            header(&headers, "content-type")
        );
        assert_not_html(path, &headers);
        assert_eq!(
            header(&headers, "strict-transport-security").as_deref(),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn hsts_is_sent_only_when_the_public_url_is_https() {
    // The test harness serves https://koers.example.
    let app = spawn_app().await;
    for path in ["/", "/console/login", EMBED, "/api/v1/series", "/nope"] {
        let (_, headers, _) = get(&app, path).await;
        assert_eq!(
            header(&headers, "strict-transport-security").as_deref(),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
    app.stop().await;
    let plain = spawn_app_with(|s| s.public_url = Some("http://koers.example".into())).await;
    for path in ["/", "/console/login", EMBED, "/api/v1/series", "/nope"] {
        let (_, headers, _) = get(&plain, path).await;
        assert_eq!(
            header(&headers, "strict-transport-security"),
            None,
            "{path}"
        );
        assert!(
            header(&headers, "content-security-policy").is_some(),
            "{path}"
        );
    }
    plain.stop().await;
    // No public URL: derived from the bound address, plain http.
    let derived = spawn_app_with(|s| s.public_url = None).await;
    let (_, headers, _) = get(&derived, "/").await;
    assert_eq!(header(&headers, "strict-transport-security"), None);
    derived.stop().await;
}

#[tokio::test]
async fn the_fragment_the_explorer_swaps_in_needs_no_inline_code() {
    // The island puts this HTML into the page, under the page's policy: no inline script or
    // style may be in it, or the swapped-in chart would lose them.
    let app = spawn_app().await;
    let path =
        "/api/fn/series-view?lang=nl&id=homeless_people_18_65&query[from]=2015&query[to]=2024";
    let (status, headers, body) = get(&app, path).await;
    assert_eq!(status, 200, "{body}");
    assert_not_html(path, &headers);
    let html: String = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert!(html.contains("<svg"), "{html}");
    assert!(
        !html.contains("<script") && !html.contains("<style"),
        "{html}"
    );
    assert_eq!(inline_code_attribute(&html), None);
    app.stop().await;
}
