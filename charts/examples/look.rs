//! Writes the sample charts at every supported size, as PNG and SVG, for a visual check:
//! `cargo run -p charts --example look -- /tmp/charts-look`.
//!
//! `chart-*`: the plain homelessness chart; `story-*`: with its series break, policy moments
//! and a revised point; `band-*`: the same with a margin; `housing-*`: the 900,000 homes path
//! with yearly bars on their own axis; `breakdown-*`: eight breakdown lines with long labels;
//! `groups-*`: every colour and marker shape with a clipping x range and a mid-plot target.

#[path = "../src/fixture.rs"]
mod fixture;

use charts::{
    Band, BandPoint, Bar, BreakMarker, ChartPoint, ChartSpec, EventMarker, Line, LineKind, Size,
    TargetMarker, render_png, render_svg,
};

/// Every size a chart is served at: share image, square, inline, small, phone card.
const SIZES: [(u32, u32); 5] = [
    (1200, 675),
    (1080, 1080),
    (800, 600),
    (640, 400),
    (480, 420),
];

fn write(dir: &str, name: &str, spec: &ChartSpec, sizes: &[(u32, u32)]) -> std::io::Result<()> {
    for &(width, height) in sizes {
        let size = Size { width, height };
        let png = render_png(spec, size, 1).map_err(std::io::Error::other)?;
        std::fs::write(format!("{dir}/{name}-{width}x{height}@1x.png"), png)?;
        let svg = render_svg(spec, size).map_err(std::io::Error::other)?;
        std::fs::write(format!("{dir}/{name}-{width}x{height}.svg"), svg)?;
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/charts-look".into());
    std::fs::create_dir_all(&dir)?;
    let spec = fixture::dutch_spec('.');
    write(&dir, "chart", &spec, &SIZES)?;
    std::fs::write(
        format!("{dir}/chart-1200x675@2x.png"),
        render_png(
            &spec,
            Size {
                width: 1200,
                height: 675,
            },
            2,
        )?,
    )?;
    write(&dir, "story", &fixture::story_spec(), &SIZES)?;
    write(&dir, "band", &fixture::band_spec(), &SIZES)?;
    write(&dir, "housing", &fixture::housing_spec(), &SIZES)?;
    write(&dir, "breakdown", &fixture::breakdown_spec(), &SIZES)?;

    // Every colour and marker shape, ',' separator, a clipping x range, a long title that
    // wraps, a target in the middle of the plot and a provisional last year.
    let mut spec = fixture::dutch_spec(',');
    spec.title = "Homelessness by age group & region: eight breakdown lines to check every colour and marker shape".into();
    spec.subtitle = "People aged 18-65 on 1 January (illustrative split of the CBS total)".into();
    spec.x_range = Some((2012.0, 2026.0));
    spec.lines = (0u8..8)
        .map(|i| Line {
            label: format!("Group {}", i + 1),
            kind: LineKind::Breakdown(i),
            points: (2009..=2024)
                .filter(|y| *y != 2019)
                .map(|y| ChartPoint {
                    t: f64::from(y),
                    value: 1_500.0
                        + 600.0 * f64::from(i)
                        + 180.0 * f64::from(y - 2009) * (1.0 + f64::from(i % 3)),
                    provisional: y == 2024,
                    revised: y == 2022,
                })
                .collect(),
        })
        .collect();
    spec.target = Some(TargetMarker {
        t: 2022.0,
        value: 4_000.0,
        label: "Interim target 2022".into(),
    });
    write(&dir, "groups", &spec, &[(1200, 675), (640, 400)])?;
    println!("written to {dir}");
    Ok(())
}
