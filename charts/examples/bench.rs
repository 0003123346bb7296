//! Render timings for a long series: `cargo run --release -p charts --example bench`.
//!
//! 40 years of monthly points (480) plus a required path and a projection; prints the median
//! of 30 renders and the output size for each format and size. "full" adds everything else a
//! chart can carry: a margin band over the last ten years (120 points), 40 yearly bars on their
//! own axis (the last one hollow), six policy events and two series breaks. With a directory
//! argument (`-- /tmp/charts-look`) it also writes the rendered charts there.

use std::time::{Duration, Instant};

use charts::{
    Band, BandPoint, Bar, BreakMarker, ChartPoint, ChartSpec, EventMarker, Line, LineKind, Size,
    TargetMarker, render_png, render_svg,
};

fn spec() -> ChartSpec {
    let point = |t: f64, value: f64, provisional| ChartPoint {
        t,
        value,
        provisional,
        revised: false,
    };
    let actual = (0..480)
        .map(|i| {
            let t = 1985.0 + f64::from(i) / 12.0;
            let trend = 15_000.0 + 450.0 * (t - 1985.0);
            let season = 1_500.0 * (t * std::f64::consts::TAU).sin();
            point(
                t,
                trend + season + 800.0 * (f64::from(i) * 0.37).sin(),
                i >= 468,
            )
        })
        .collect();
    ChartSpec {
        title: "Dakloosheid per maand, 1985-2024 (synthetische reeks)".into(),
        subtitle: "Aantal dakloze mensen van 18 tot 65 jaar".into(),
        lines: vec![
            Line {
                label: "Dakloze mensen".into(),
                kind: LineKind::Actual,
                points: actual,
            },
            Line {
                label: "Nodig voor het doel".into(),
                kind: LineKind::RequiredPath,
                points: vec![point(2023.0, 33_000.0, false), point(2030.0, 0.0, false)],
            },
            Line {
                label: "Bij het huidige tempo".into(),
                kind: LineKind::Projection,
                points: vec![
                    point(2025.0, 33_500.0, false),
                    point(2030.0, 36_000.0, false),
                ],
            },
        ],
        target: Some(TargetMarker {
            t: 2030.0,
            value: 0.0,
            label: "Doel 2030: 0".into(),
        }),
        x_range: None,
        y_from_zero: true,
        footer: vec![
            "Bron: CBS, tabel 80799ned".into(),
            "Licentie: CC BY 4.0 · Gegevens van 24 november 2026".into(),
        ],
        thousands_separator: '.',
        alt_title: "Dakloosheid per maand".into(),
        alt_description: "Een lange synthetische reeks om de tekensnelheid te meten.".into(),
        ..ChartSpec::default()
    }
}

/// [`spec`] with a band, yearly bars on a right axis, events and breaks.
fn full_spec() -> ChartSpec {
    let mut spec = spec();
    spec.title = "Dakloosheid per maand met marge, jaartotalen, beleid en breuken".into();
    spec.bands = vec![Band {
        label: "Marge (95 %)".into(),
        points: spec.lines[0]
            .points
            .iter()
            .skip(360)
            .map(|p| BandPoint {
                t: p.t,
                lower: p.value - 1_800.0,
                upper: p.value + 1_800.0,
            })
            .collect(),
    }];
    spec.bars = (1985..2025)
        .map(|y| Bar {
            t: f64::from(y) + 0.5,
            value: 2_000.0 + 40.0 * f64::from(y - 1985),
            label: "Instroom per jaar (rechteras)".into(),
            hollow: y == 2024,
        })
        .collect();
    spec.bars_axis = Some("Per jaar".into());
    spec.events = [1994.3, 2006.1, 2022.17, 2022.37, 2022.93, 2026.0]
        .iter()
        .enumerate()
        .map(|(i, t)| EventMarker {
            t: *t,
            label: (i + 1).to_string(),
        })
        .collect();
    spec.breaks = [2001.0, 2019.0]
        .iter()
        .map(|t| BreakMarker {
            t: *t,
            label: "breuk".into(),
        })
        .collect();
    spec.legend_break = Some("Breuk in de reeks".into());
    spec.legend_events = Some("Beleidsmomenten (zie lijst)".into());
    spec
}

/// Renders once and returns the output size in bytes.
type Render<'a> = Box<dyn Fn() -> Result<usize, charts::ChartError> + 'a>;

fn median(f: &Render) -> (Duration, usize) {
    let mut times = Vec::with_capacity(30);
    let mut bytes = 0;
    for _ in 0..30 {
        let start = Instant::now();
        bytes = f().unwrap_or(0);
        times.push(start.elapsed());
    }
    times.sort();
    (times[times.len() / 2], bytes)
}

fn main() {
    let spec = spec();
    let full = full_spec();
    let wide = Size {
        width: 1200,
        height: 675,
    };
    let square = Size {
        width: 1080,
        height: 1080,
    };
    let phone = Size {
        width: 480,
        height: 420,
    };
    let cases: [(&str, Render); 9] = [
        (
            "SVG 1200x675",
            Box::new(|| render_svg(&spec, wide).map(|s| s.len())),
        ),
        (
            "PNG 1200x675 @1x",
            Box::new(|| render_png(&spec, wide, 1).map(|p| p.len())),
        ),
        (
            "PNG 1200x675 @2x",
            Box::new(|| render_png(&spec, wide, 2).map(|p| p.len())),
        ),
        (
            "SVG 1080x1080",
            Box::new(|| render_svg(&spec, square).map(|s| s.len())),
        ),
        (
            "PNG 1080x1080 @1x",
            Box::new(|| render_png(&spec, square, 1).map(|p| p.len())),
        ),
        (
            "full SVG 1200x675",
            Box::new(|| render_svg(&full, wide).map(|s| s.len())),
        ),
        (
            "full PNG 1200x675 @1x",
            Box::new(|| render_png(&full, wide, 1).map(|p| p.len())),
        ),
        (
            "full PNG 1200x675 @2x",
            Box::new(|| render_png(&full, wide, 2).map(|p| p.len())),
        ),
        (
            "full PNG 480x420 @1x",
            Box::new(|| render_png(&full, phone, 1).map(|p| p.len())),
        ),
    ];
    if let Some(dir) = std::env::args().nth(1) {
        let write = |name: &str, bytes: Result<Vec<u8>, charts::ChartError>| match bytes {
            Ok(b) => std::fs::write(format!("{dir}/{name}"), b).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        let written = [
            write(
                "bench-1200x675.svg",
                render_svg(&spec, wide).map(String::into_bytes),
            ),
            write("bench-1200x675@2x.png", render_png(&spec, wide, 2)),
            write("bench-1080x1080@1x.png", render_png(&spec, square, 1)),
            write(
                "bench-full-1200x675.svg",
                render_svg(&full, wide).map(String::into_bytes),
            ),
            write("bench-full-1200x675@1x.png", render_png(&full, wide, 1)),
            write("bench-full-480x420@1x.png", render_png(&full, phone, 1)),
        ];
        for result in written {
            if let Err(e) = result {
                eprintln!("could not write to {dir}: {e}");
            }
        }
    }
    println!("{:<24} {:>12} {:>12}", "output", "median", "bytes");
    for (name, render) in cases {
        let (time, bytes) = median(&render);
        println!(
            "{name:<24} {:>9.2} ms {bytes:>12}",
            time.as_secs_f64() * 1e3
        );
    }
}
