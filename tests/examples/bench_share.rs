//! Chart images over HTTP: render time per size on a cache miss, and throughput of cached hits
//! and of conditional requests (304), against the real application on a fresh SQLite store with
//! the first-run snapshot. Prints a table; run with
//! `cargo run --release -p tests --example bench_share [SECONDS] [CONNECTIONS]`.
//!
//! Misses are forced with an extra, ignored query parameter (each distinct URL is rendered once),
//! with the render rate limit raised out of the way.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tests::spawn_app_with;

const SERIES: &str = "/charts/homeless_people_18_65";
const MISSES: usize = 15;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let connections: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(32);
    let app = spawn_app_with(|s| {
        s.cache.render_burst = 1_000_000;
        s.cache.renders_per_minute = 1_000_000;
    })
    .await;
    println!("render on a cache miss (median of {MISSES} distinct URLs, over HTTP on 127.0.0.1)");
    println!("| image | median | bytes |");
    println!("|---|---|---|");
    let sizes = [
        ("SVG 1200×675", "svg", 1200, 675, 1),
        ("PNG 1200×675", "png", 1200, 675, 1),
        ("SVG 1080×1080", "svg", 1080, 1080, 1),
        ("PNG 1080×1080", "png", 1080, 1080, 1),
        ("PNG 800×600", "png", 800, 600, 1),
        ("PNG 2400×1350 (print, 1200×675 @2×)", "png", 1200, 675, 2),
    ];
    for (label, ext, w, h, scale) in sizes {
        let mut times = Vec::new();
        let mut bytes = 0;
        for i in 0..MISSES {
            let path = format!("{SERIES}.{ext}?width={w}&height={h}&scale={scale}&bench={i}");
            let start = Instant::now();
            let response = app.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["x-koers-cache"], "miss", "{path}");
            bytes = response.bytes().await.map(|b| b.len()).unwrap_or(0);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        println!("| {label} | {:.2} ms | {bytes} |", median(times));
    }

    let hit = format!("{SERIES}.png?width=1200&height=675");
    let first = app.get(&hit).await;
    let etag = first.headers()["etag"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    println!();
    println!("cached answers: {connections} connections for {seconds} s each");
    println!("| request | requests/s | errors |");
    println!("|---|---|---|");
    for (label, conditional) in [
        ("cached PNG 1200×675 (200, full body)", false),
        ("same with If-None-Match (304)", true),
    ] {
        let done = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(AtomicU64::new(0));
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let (client, url, etag) = (
                app.client.clone(),
                format!("{}{hit}", app.address),
                etag.clone(),
            );
            let (done, errors) = (done.clone(), errors.clone());
            tasks.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    let mut request = client.get(&url);
                    if conditional {
                        request = request.header("If-None-Match", &etag);
                    }
                    let ok = match request.send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            r.bytes().await.is_ok() && (status == 200 || status == 304)
                        }
                        Err(_) => false,
                    };
                    if ok {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
        println!(
            "| {label} | {:.0} | {} |",
            done.load(Ordering::Relaxed) as f64 / seconds as f64,
            errors.load(Ordering::Relaxed)
        );
    }
    app.stop().await;
}
