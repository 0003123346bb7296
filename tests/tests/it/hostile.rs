//! Hostile requests against every public route: thousands of generated paths, query strings
//! and headers, sent as raw HTTP so nothing is cleaned up on the way. The server must never
//! answer 5xx, never drop a connection without an answer (what a panicking handler does),
//! never send a runaway body, and stay within a bounded amount of memory; oversized chart
//! sizes and ranges must be refused with a 4xx.
//!
//! `KOERS_HOSTILE_REQUESTS` sets the number of requests (default 3000) and
//! `KOERS_HOSTILE_SEED` replays a run (the seed is printed).

use std::collections::BTreeMap;
use std::time::Duration;
use testkit::Rng;
use tests::{TestApp, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SERIES: &str = "homeless_people_18_65";
/// The largest answer a public route may give (a big PNG chart is a few MB).
const MAX_BODY: usize = 16 * 1024 * 1024;
/// How long an answer may take before it counts as none. In full runs of this test binary on a
/// loaded machine a series-list page has, now and then, had no answer within this time (never
/// when this module runs alone); see docs/reliability.md, "Known issues".
const NO_ANSWER: Duration = Duration::from_secs(60);
/// How much the process may grow while it answers every hostile request.
const MAX_GROWTH_BYTES: u64 = 512 * 1024 * 1024;

/// Every public route, `{id}` standing for a series id and `{file}` for an asset.
const ROUTES: &[&str] = &[
    "/",
    "/en",
    "/series",
    "/en/series",
    "/series/{id}",
    "/housing",
    "/en/housing",
    "/countries",
    "/een-thuis-voor-iedereen",
    "/toegankelijkheid",
    "/en/accessibility",
    "/api",
    "/en/api",
    "/api/v1/series",
    "/api/v1/series/{id}",
    "/api/v1/series/{id}/history",
    "/api/v1/series/{id}/datapackage.json",
    "/api/v1/goals",
    "/api/v1/sources",
    "/api/v1/openapi.json",
    "/api/fn/overview",
    "/api/fn/series-list",
    "/api/fn/series-page",
    "/api/fn/series-view",
    "/api/fn/topic",
    "/charts/{id}.svg",
    "/charts/{id}.png",
    "/embed/series/{id}",
    "/health",
    "/ready",
    "/metrics",
    "/pkg/{file}",
    "/favicon.svg",
    "/embed.js",
    "/embed-frame.js",
    "/embed.css",
    "/console/login",
    "/console/language",
    "/{random}",
];

const KEYS: &[&str] = &[
    "from", "to", "category", "vintage", "grain", "per", "lang", "width", "height", "scale", "id",
    "topic", "format", "as_of", "page", "limit", "next", "q", "", "%", "from[]", "x",
];

const VALUES: &[&str] = &[
    "",
    " ",
    "0",
    "-1",
    "1",
    "2024",
    "1899",
    "2101",
    "0001",
    "9999",
    "2024-Q5",
    "2024-13",
    "2024-02-30",
    "2024JJ00",
    "2012/13",
    "2024-+1-01",
    "4294967296",
    "99999999999999999999999999",
    "1e9",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "0x10",
    "total",
    "3000",
    "T009002",
    "nl",
    "en",
    "xx",
    "year",
    "month",
    "10000",
    "2025-06-30",
    "9999-12-31",
    "../../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "' OR 1=1 --",
    "%",
    "%zz",
    "%00",
    "%ff%fe",
    "%e2%80%ae",
    "dakloos🏠",
    "\u{202e}2024",
    "${jndi:ldap://x}",
    "{{7*7}}",
];

const IDS: &[&str] = &[
    SERIES,
    SERIES,
    SERIES,
    "new_build_homes",
    "population",
    "",
    ".",
    "..",
    "%2e%2e%2f%2e%2e%2fetc",
    "homeless_people_18_65%00",
    "homeless_people_18_65.svg",
    "HOMELESS",
    "dakloos🏠",
    "<script>",
    "%",
    "%zz",
    "a;b",
    "unknown_series",
];

/// Percent-encodes what a request line cannot carry raw, and leaves `%` alone (so broken
/// escapes such as `%zz` reach the server as they are).
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~%!$'()*+,;:@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn value(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => "x".repeat(rng.below(20_000)),
        1 => (0..rng.below(30))
            .map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?'))
            .collect(),
        2 => format!("{}", rng.next_u64() as i64),
        _ => rng.pick(VALUES).to_owned(),
    }
}

fn query(rng: &mut Rng) -> String {
    let pairs = if rng.chance(20) {
        200 + rng.below(800)
    } else {
        rng.below(6)
    };
    let mut parts = Vec::with_capacity(pairs);
    for _ in 0..pairs {
        let key = if rng.chance(15) {
            value(rng)
        } else {
            rng.pick(KEYS).to_owned()
        };
        match rng.below(12) {
            0 => parts.push(encode(&key)),
            1 => parts.push(format!("{}==", encode(&key))),
            _ => parts.push(format!("{}={}", encode(&key), encode(&value(rng)))),
        }
    }
    let sep = if rng.chance(10) { ";" } else { "&" };
    parts.join(sep)
}

fn path(rng: &mut Rng) -> String {
    let route = rng.pick(ROUTES);
    let id = if rng.chance(8) {
        encode(&value(rng))
    } else {
        rng.pick(IDS).to_owned()
    };
    let file = rng.pick(&["x.js", "..%2f..%2fCargo.toml", "koers.css", "%00", ""]);
    let random: String = (0..1 + rng.below(4))
        .map(|_| encode(&value(rng)))
        .collect::<Vec<_>>()
        .join("/");
    let mut path = route
        .replace("{id}", &id)
        .replace("{file}", file)
        .replace("{random}", &random);
    match rng.below(12) {
        0 => path.push('/'),
        1 => path = path.replacen('/', "//", 1),
        2 => path.push_str("/.."),
        _ => {}
    }
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    path.chars().take(30_000).collect()
}

/// Header values a request line can carry (no CR or LF), some of them absurd.
fn headers(rng: &mut Rng) -> Vec<(&'static str, String)> {
    let names = [
        "Accept-Language",
        "Accept",
        "Accept-Encoding",
        "Cookie",
        "X-Forwarded-For",
        "X-Forwarded-Proto",
        "If-None-Match",
        "If-Modified-Since",
        "Range",
        "Referer",
        "User-Agent",
        "Authorization",
        "Origin",
        "HX-Request",
    ];
    let absurd = [
        "",
        "*",
        "nl-NL,nl;q=0.9,en;q=abc",
        "zz-ZZ;q=2, *;q=-1",
        "gzip;q=abc, br, identity;q=0, *;q=0",
        "bytes=-1-",
        "bytes=0-18446744073709551616",
        "id=; koers_session=%zz; csrf=\u{7f}",
        "999.999.999.999, ::g, 127.0.0.1",
        "W/\"\", *, \"a\"",
        "Thu, 32 Dec 99999 25:61:61 GMT",
        "Bearer ",
        "Basic !!!!",
        "null",
        "true",
        "text/html;q=x, application/json;charset=\"",
    ];
    let mut out = Vec::new();
    for _ in 0..rng.below(5) {
        let name = names[rng.below(names.len())];
        let value = match rng.below(4) {
            0 => "a".repeat(rng.below(8_000)),
            1 => value(rng)
                .chars()
                .filter(|c| !c.is_control() && c.is_ascii())
                .collect(),
            _ => absurd[rng.below(absurd.len())].to_owned(),
        };
        out.push((name, value));
    }
    out
}

/// How a raw request ended.
enum Answer {
    Status(u16, usize),
    /// The connection closed without a complete answer: what a panicking handler causes.
    Dropped(String),
}

async fn send(addr: &str, target: &str, headers: &[(&str, String)]) -> Answer {
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut raw = Vec::new();
        let mut buf = [0_u8; 64 * 1024];
        loop {
            let n = stream.read(&mut buf).await?;
            if n == 0 || raw.len() > MAX_BODY + 64 * 1024 {
                break;
            }
            raw.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(raw)
    };
    let raw = match tokio::time::timeout(NO_ANSWER, exchange).await {
        Ok(Ok(raw)) => raw,
        Ok(Err(e)) => return Answer::Dropped(e.to_string()),
        Err(_) => return Answer::Dropped(format!("no answer within {NO_ANSWER:?}")),
    };
    let status = std::str::from_utf8(raw.get(..12).unwrap_or_default())
        .ok()
        .and_then(|line| line.strip_prefix("HTTP/1.1 "))
        .and_then(|s| s.get(..3))
        .and_then(|s| s.parse().ok());
    match status {
        Some(status) => Answer::Status(status, raw.len()),
        None => Answer::Dropped(format!("{} bytes without a status line", raw.len())),
    }
}

/// Resident memory of this process (the server runs in it), in bytes.
fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// An app with the render limit out of the way, so every request reaches its handler, and
/// one ingested source, so pages have data to show.
async fn app() -> TestApp {
    let app = spawn_app_with(|s| {
        s.cache.renders_per_minute = 1_000_000;
        s.cache.render_burst = 1_000_000;
    })
    .await;
    app.ingest("cbs-homeless").await;
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_hostile_requests_get_no_5xx_no_dropped_connection_and_bounded_memory() {
    // Arrange
    let app = app().await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let total: usize = std::env::var("KOERS_HOSTILE_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut rng = Rng::from_env("KOERS_HOSTILE_SEED");
    let seed = rng.seed();
    let requests: Vec<(String, Vec<(&str, String)>)> = (0..total)
        .map(|_| {
            let path = path(&mut rng);
            let target = if rng.chance(6) {
                path
            } else {
                format!("{path}?{}", query(&mut rng))
            };
            (target, headers(&mut rng))
        })
        .collect();
    let memory_before = resident_bytes();

    // Act: eight at a time.
    let mut answers = Vec::with_capacity(total);
    for chunk in requests.chunks(8) {
        let mut set = tokio::task::JoinSet::new();
        for (i, (target, headers)) in chunk.iter().cloned().enumerate() {
            let addr = addr.clone();
            set.spawn(async move {
                let started = std::time::Instant::now();
                let answer = send(&addr, &target, &headers).await;
                (i, answer, started.elapsed())
            });
        }
        let mut done: Vec<(usize, Answer, Duration)> = set.join_all().await;
        done.sort_by_key(|(i, _, _)| *i);
        answers.extend(done.into_iter().map(|(_, a, took)| (a, took)));
    }
    let growth = resident_bytes().saturating_sub(memory_before);

    // Assert
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut broken = Vec::new();
    let (slowest, took) = requests
        .iter()
        .zip(&answers)
        .max_by_key(|(_, (_, took))| *took)
        .map(|((target, _), (_, took))| (target.chars().take(80).collect::<String>(), *took))
        .unwrap_or_default();
    for ((target, headers), (answer, _)) in requests.iter().zip(&answers) {
        let shown: String = target.chars().take(160).collect();
        match answer {
            Answer::Status(status, size) => {
                *by_status.entry(*status).or_default() += 1;
                if *status >= 500 {
                    broken.push(format!("{status} for GET {shown} {headers:?}"));
                }
                if *size > MAX_BODY {
                    broken.push(format!("a body over {MAX_BODY} bytes for GET {shown}"));
                }
            }
            Answer::Dropped(why) => {
                broken.push(format!("dropped ({why}) for GET {shown} {headers:?}"))
            }
        }
    }
    println!(
        "hostile requests: {total} sent (KOERS_HOSTILE_SEED={seed}); answers by status: {by_status:?}; \
         memory grew {} MiB; slowest answer {took:?} for GET {slowest}",
        growth / (1024 * 1024)
    );
    assert!(
        broken.is_empty(),
        "{} of {total} hostile requests broke the server (KOERS_HOSTILE_SEED={seed}):\n{}",
        broken.len(),
        broken
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        growth < MAX_GROWTH_BYTES,
        "memory grew by {growth} bytes while answering hostile requests"
    );
    let (status, _) = app.get_text("/health").await;
    assert_eq!(status, 200, "the server is not healthy afterwards");
    let (status, _) = app.get_text(&format!("/series/{SERIES}")).await;
    assert_eq!(status, 200, "a normal page fails afterwards");
}

#[tokio::test]
async fn oversized_chart_sizes_and_ranges_are_refused_with_a_4xx() {
    // Arrange
    let app = app().await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let chart = format!("/charts/{SERIES}");
    let refused = [
        format!("{chart}.svg?width=100000"),
        format!("{chart}.svg?height=100000"),
        format!("{chart}.svg?width=0"),
        format!("{chart}.svg?width=-1"),
        format!("{chart}.svg?width=1e9"),
        format!("{chart}.svg?width=4294967296&height=4294967296"),
        format!("{chart}.png?width=100000"),
        format!("{chart}.png?scale=1000"),
        format!("{chart}.png?width=4000&height=4000&scale=4"),
        format!("{chart}.svg?from=0001"),
        format!("{chart}.svg?to=9999"),
        format!("{chart}.svg?from=1&to=100000"),
        format!("{chart}.svg?from=2100&to=1900"),
        format!("{chart}.png?from=1800&to=2200"),
        format!("/series/{SERIES}?from=0001&to=9999"),
        format!("/embed/series/{SERIES}?from=2100&to=1900"),
        format!("/api/v1/series/{SERIES}?from=0001&to=9999"),
        format!(
            "{chart}.svg?{}",
            (0..1000)
                .map(|i| format!("category=c{i}"))
                .collect::<Vec<_>>()
                .join("&")
        ),
    ];

    // Act / Assert
    let mut wrong = Vec::new();
    for target in &refused {
        match send(&addr, target, &[]).await {
            Answer::Status(status, _) if (400..500).contains(&status) => {}
            Answer::Status(status, _) => wrong.push(format!("{status} for {target:.120}")),
            Answer::Dropped(why) => wrong.push(format!("dropped ({why}) for {target:.120}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "oversized requests not refused with a 4xx:\n{}",
        wrong.join("\n")
    );
    // The largest sizes allowed still render.
    let (status, _) = app
        .get_text(&format!("{chart}.svg?width=2400&height=1600"))
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn server_functions_answer_bad_arguments_with_400_and_unknown_series_with_404() {
    // Arrange
    let app = app().await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let cases = [
        ("/api/fn/series-list", 400),
        ("/api/fn/overview?vintage=2024", 400),
        ("/api/fn/series-page?lang=nl", 400),
        ("/api/fn/series-list?lang=nl&vintage=9999-99-99", 400),
        ("/api/fn/topic?lang=nl&topic=no_such_topic", 404),
        ("/api/fn/series-list?lang=nl", 200),
    ];
    // Act / Assert
    for (target, expected) in cases {
        match send(&addr, target, &[]).await {
            Answer::Status(status, _) => assert_eq!(status, expected, "GET {target}"),
            Answer::Dropped(why) => panic!("GET {target} dropped: {why}"),
        }
    }
}

/// `GET path` from a thread of its own (blocking socket, its own clock), so the time measured
/// is the server's, not the test runtime's: the server shares that runtime.
fn timed_get_on_a_thread(
    addr: String,
    path: &'static str,
) -> std::thread::JoinHandle<(u16, Duration)> {
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        let started = std::time::Instant::now();
        let mut stream = std::net::TcpStream::connect(&addr)
            .unwrap_or_else(|e| panic!("connecting to {addr}: {e}"));
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap_or_else(|e| panic!("sending GET {path}: {e}"));
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .unwrap_or_else(|e| panic!("reading the answer: {e}"));
        let status = String::from_utf8_lossy(&raw[..12.min(raw.len())])
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, started.elapsed())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_renders_in_progress_do_not_stall_other_requests() {
    // Arrange: more of the largest PNG renders at once than the runtime has workers.
    let app = app().await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut renders = tokio::task::JoinSet::new();
    for i in 0..4 {
        let addr = addr.clone();
        renders.spawn(async move {
            let target = format!(
                "/charts/{SERIES}.png?width=4000&height=4000&from={}",
                2000 + i
            );
            let started = std::time::Instant::now();
            (send(&addr, &target, &[]).await, started.elapsed())
        });
    }
    // Act: a health check, sent from outside the runtime while they draw.
    std::thread::sleep(Duration::from_millis(500));
    let health = timed_get_on_a_thread(addr.clone(), "/health");
    let (status, waited) = tokio::task::spawn_blocking(move || health.join())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|_| panic!("the health check thread panicked"));

    // Assert
    let renders: Vec<(Answer, Duration)> = renders.join_all().await;
    let slowest = renders.iter().map(|(_, d)| *d).max().unwrap_or_default();
    assert!(
        renders
            .iter()
            .all(|(a, _)| matches!(a, Answer::Status(200, _))),
        "a large render failed"
    );
    assert_eq!(status, 200);
    println!("health answered in {waited:?} while renders took up to {slowest:?}");
    assert!(
        waited < Duration::from_secs(1),
        "the health check waited {waited:?} behind renders taking up to {slowest:?}"
    );
}
