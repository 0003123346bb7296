//! Security headers on every answer, set by one middleware ([`headers`]) around the whole router.
//!
//! - **Content-Security-Policy.** Every request gets a fresh random nonce ([`RequestNonce`], in
//!   the request's extensions). Leptos reads it through its own nonce support
//!   ([`provide_nonce`] puts it in the render's context, where `HydrationScripts` and the
//!   streamed resource scripts find it with `use_nonce`), and the same value goes into the
//!   header, so the one inline script of a page (the islands bootstrap) runs and no other
//!   inline script would. What the pages load, and why the policy allows it:
//!   - `script-src 'self' 'nonce-…' 'wasm-unsafe-eval'`: the bootstrap (nonce), the bundle's JS
//!     glue imported from `/pkg/` and `/embed-frame.js` ('self'), and compiling the hydration
//!     bundle with `WebAssembly.instantiateStreaming` ('wasm-unsafe-eval'; no JS `eval`).
//!   - `style-src 'self' 'nonce-…'`: the hashed stylesheets. No page has a `<style>` element or
//!     a `style="…"` attribute (the charts use SVG presentation attributes, which CSP does not
//!     govern); the nonce is there so a `leptos_meta` `<Style>`, which carries it, would work.
//!   - `img-src 'self'`: chart images and the favicon. Nothing uses `data:` URLs.
//!   - `connect-src 'self'`: server functions, and the preload of the `.wasm` file.
//!   - `object-src 'none'; base-uri 'none'; form-action 'self'`: no plugins, no `<base>`, forms
//!     post only to Koers (the console's forms, the explorer's GET form).
//!
//!   No `'unsafe-inline'` anywhere. Answers that are not HTML (JSON, CSV, images, assets) get
//!   `default-src 'none'`: nothing in them may load anything. A `304 Not Modified` gets no
//!   policy at all: browsers copy a 304's headers onto the stored answer, so the policy stays the
//!   one that came with the body.
//! - **Framing.** Embeds (`/embed/…`) may be framed by any site: no `frame-ancestors` and no
//!   `X-Frame-Options` (an explicit `frame-ancestors *` would still refuse hosts with an opaque
//!   origin, such as an article previewed in a sandboxed frame). Everything else:
//!   `frame-ancestors 'none'` and `X-Frame-Options: DENY`. `/embed.js` and `/embed-frame.js` are
//!   scripts loaded by `<script src>`, where framing headers play no part.
//! - **Cached answers.** The render cache (`crate::cache`) wraps routes inside this middleware:
//!   it stores bodies and headers without a policy, and every answer, cached or not, gets a
//!   policy with its own nonce here. Cached bodies carry no nonce: the only cached HTML, the
//!   embed page, has no inline script (its one script is `/embed-frame.js`).
//! - **HSTS** (`max-age` one year, `includeSubDomains`) only when the public URL is https
//!   (`KOERS_PUBLIC_URL`), so a plain-http setup is never pinned to https.
//! - Everywhere: `X-Content-Type-Options: nosniff`, `Referrer-Policy:
//!   strict-origin-when-cross-origin` (a route that set its own keeps it: the console says
//!   `same-origin`), and `Permissions-Policy` switching off the device features no page uses.
//!   HTML pages other than embeds also get `Cross-Origin-Opener-Policy: same-origin`.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

/// `Strict-Transport-Security` behind TLS.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";
/// `Content-Security-Policy` of answers that are not HTML.
pub const NON_HTML_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// `Referrer-Policy` unless a route set its own.
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";
/// `Permissions-Policy`: device features no Koers page uses, off for the page and its frames.
pub const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// What the middleware needs to know of the deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityHeaders {
    /// Whether the site is served over https (the public URL says so): sends HSTS.
    pub https: bool,
}

impl SecurityHeaders {
    /// The headers for a site served at `public_url`.
    pub fn for_public_url(public_url: &str) -> Self {
        Self {
            https: public_url
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://")),
        }
    }
}

/// The nonce of one request's answer, in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestNonce(pub Nonce);

/// Puts this request's nonce in the Leptos context (call it in the context closure of the
/// Leptos routes), replacing the one `leptos_axum` draws itself, so the nonce in the page's
/// scripts is the one in the header.
pub fn provide_nonce() {
    if let Some(nonce) = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestNonce>().cloned())
    {
        leptos::prelude::provide_context(nonce.0);
    }
}

/// The policy of an HTML page, with its nonce.
pub fn page_policy(nonce: &str, embed: bool) -> String {
    let framing = if embed {
        ""
    } else {
        "; frame-ancestors 'none'"
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self'; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'{framing}"
    )
}

/// Whether the answer is an HTML document.
fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .get(..9)
                .is_some_and(|s| s.eq_ignore_ascii_case("text/html"))
        })
}

/// The middleware: see the module documentation.
pub async fn headers(
    State(settings): State<SecurityHeaders>,
    mut request: Request,
    next: Next,
) -> Response {
    let embed = request.uri().path().starts_with("/embed/");
    let nonce = Nonce::new();
    request.extensions_mut().insert(RequestNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let not_modified = response.status() == StatusCode::NOT_MODIFIED;
    let html = is_html(response.headers());
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static(REFERRER_POLICY));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(PERMISSIONS_POLICY),
    );
    if settings.https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if embed {
        h.remove(header::X_FRAME_OPTIONS);
    } else {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if not_modified {
        return response;
    }
    let policy = if html || embed {
        HeaderValue::from_str(&page_policy(&nonce, embed)).ok()
    } else {
        Some(HeaderValue::from_static(NON_HTML_POLICY))
    };
    if let Some(policy) = policy {
        h.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    if html && !embed {
        h.insert(
            "cross-origin-opener-policy",
            HeaderValue::from_static("same-origin"),
        );
    }
    response
}

/// An optional secret in `Debug` output: `Some("***")` or `None`, never the value.
pub struct Redacted<'a>(pub &'a Option<String>);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(\"***\")"),
            None => f.write_str("None"),
        }
    }
}

/// Settings as `Debug` shows them: the database URL without its password, whether the metrics
/// token is set (not its value), the console settings without their key.
impl std::fmt::Debug for crate::startup::Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("database_url", &store::redact_url(&self.database_url))
            .field("db_max_connections", &self.db_max_connections)
            .field("public_url", &self.public_url)
            .field("jobs", &self.jobs)
            .field("schedule", &self.schedule)
            .field("cache", &self.cache)
            .field("console", &self.console)
            .field("metrics_token", &Redacted(&self.metrics_token))
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_for_an_https_public_url() {
        assert!(SecurityHeaders::for_public_url("https://koers.example").https);
        assert!(SecurityHeaders::for_public_url("HTTPS://koers.example").https);
        assert!(!SecurityHeaders::for_public_url("http://koers.example").https);
        assert!(!SecurityHeaders::for_public_url("http://127.0.0.1:3000").https);
        assert!(!SecurityHeaders::for_public_url("").https);
    }

    #[test]
    fn the_page_policy_names_the_nonce_and_allows_no_inline_code() {
        let policy = page_policy("abc123", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!page_policy("abc123", true).contains("frame-ancestors"));
    }

    const PASSWORD: &str = "s3cr3t-pw";
    const SECRET_KEY: &str = "secret-key-of-the-console-0123456789";
    const METRICS_TOKEN: &str = "metrics-token-abcdef";

    #[test]
    fn debug_output_of_the_settings_holds_no_secret() {
        let settings = crate::startup::Settings {
            addr: "127.0.0.1:0".into(),
            database_url: format!("postgres://koers:{PASSWORD}@db:5432/koers"),
            db_max_connections: 8,
            public_url: Some("https://koers.example".into()),
            jobs: jobs::JobsConfig::default(),
            schedule: true,
            cache: crate::cache::CacheSettings::default(),
            console: crate::console::ConsoleSettings {
                secret_key: Some(SECRET_KEY.into()),
                ..Default::default()
            },
            metrics_token: Some(METRICS_TOKEN.into()),
            trusted_proxies: crate::client::TrustedProxies::default(),
        };
        let text = format!("{settings:?} {settings:#?}");
        for secret in [PASSWORD, SECRET_KEY, METRICS_TOKEN] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(
            text.contains("postgres://koers:***@db:5432/koers"),
            "{text}"
        );
        assert!(text.contains("metrics_token: Some(\"***\")"), "{text}");
    }

    #[test]
    fn debug_output_of_the_command_line_holds_no_secret() {
        use clap::Parser;
        let url = format!("postgres://koers:{PASSWORD}@db/koers?sslpassword={PASSWORD}");
        let cli = crate::config::Cli::parse_from([
            "koers",
            "--database-url",
            &url,
            "serve",
            "--secret-key",
            SECRET_KEY,
            "--metrics-token",
            METRICS_TOKEN,
        ]);
        let text = format!("{cli:?} {cli:#?}");
        for secret in [PASSWORD, SECRET_KEY, METRICS_TOKEN] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("koers:***@db/koers"), "{text}");
    }

    #[test]
    fn html_is_recognised_by_its_content_type() {
        let mut h = HeaderMap::new();
        assert!(!is_html(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        assert!(is_html(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        assert!(!is_html(&h));
    }
}
