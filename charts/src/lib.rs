//! Koers charts: a plain, language-neutral [`ChartSpec`] rendered to SVG or PNG with plotters.
//!
//! Every user-facing text (title, axis labels, source line, notes, the text alternative) is
//! already translated and formatted by the caller; this crate only draws. It is a crate of its
//! own so plotters never reaches the wasm bundle and charts compile without Leptos.
//! The font (DejaVu Sans, embedded) makes PNG output byte-identical on every machine: no
//! system font or fontconfig is ever consulted.
//!
//! Layout is computed once per chart in final pixels (text measured with the embedded font),
//! then painted on plotters' SVG or bitmap backend, so SVG and PNG look alike. PNG text is
//! rasterised with ab_glyph at sub-pixel positions for even letter spacing.
//!
//! Besides lines and a target, a chart can carry published margins ([`Band`]), yearly bars
//! ([`Bar`], optionally on their own right-hand axis), policy moments ([`EventMarker`], numbered
//! badges above the plot) and series breaks ([`BreakMarker`]); revised points get a ring
//! ([`ChartPoint::revised`]). Every one of them stays readable without colour (patterns,
//! outlines, hatching, rings). A spec that leaves them empty draws exactly as before.

use std::fmt::Write as _;

use image::ImageEncoder as _;
use plotters::prelude::{BitMapBackend, IntoDrawingArea as _, SVGBackend};
use serde::{Deserialize, Serialize};

mod axis;
mod draw;
mod font;
mod legend;

use draw::{Backend, Layout, draw_err, paint};

/// What a line means, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineKind {
    /// Observed figures: solid, with point markers (hollow when provisional).
    Actual,
    /// The straight required path from baseline to target: thin, dotted.
    RequiredPath,
    /// Projection at the recent pace: dashed.
    Projection,
    /// A breakdown category: solid with its own colour and marker shape (index into the palette).
    Breakdown(u8),
}

/// One point of a line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ChartPoint {
    /// Position on the time axis in fractional years (2024.0 is 1 January 2024).
    pub t: f64,
    /// The value.
    pub value: f64,
    /// Provisional figure: drawn as a hollow marker.
    pub provisional: bool,
    /// Revised figure (an earlier vintage published another value): drawn with an extra
    /// ring around its marker, filled or hollow. The caller explains the ring in the footer.
    #[serde(default)]
    pub revised: bool,
}

/// A line (polyline + markers). A `None` between points would be a break; lines are split by
/// the caller into separate `Line`s instead, so a line never crosses a series break.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// Legend label.
    pub label: String,
    /// How to draw it.
    pub kind: LineKind,
    /// The points, in time order.
    pub points: Vec<ChartPoint>,
}

/// A horizontal or point target marker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetMarker {
    /// When the target applies (fractional year).
    pub t: f64,
    /// The target value.
    pub value: f64,
    /// Label next to the marker ("Doel 2030: 0").
    pub label: String,
}

/// One time of a [`Band`]: the published margin around a figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BandPoint {
    /// Position on the time axis (fractional years).
    pub t: f64,
    /// Lower end of the margin.
    pub lower: f64,
    /// Upper end of the margin.
    pub upper: f64,
}

/// A published margin (e.g. a 95 % interval), drawn behind the lines as a light translucent
/// area in the hue of [`LineKind::Actual`] with a thin dashed outline, so it still reads
/// without colour. Like lines, a band never crosses a series break: the caller splits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Legend label ("Marge (95 %)"); empty: no legend entry.
    pub label: String,
    /// The margin over time, in time order.
    pub points: Vec<BandPoint>,
}

/// One yearly bar (e.g. homes added in a year), centred on `t`, 0.6 year wide, from zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// Centre of the bar on the time axis (fractional years; 2022.0 for the year 2022).
    pub t: f64,
    /// Height of the bar.
    pub value: f64,
    /// Legend label of the set the bar belongs to: the same for all bars of one set.
    pub label: String,
    /// Provisional or lower-bound value: drawn hollow (outline and hatching).
    pub hollow: bool,
}

/// A policy moment drawn as a thin dotted vertical line with a short label ("1", "2", ...)
/// in a small circled badge above the plot; the page lists the full titles under the chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventMarker {
    /// When it happened (fractional years: 5 December 2022 is about 2022.93). Events outside
    /// the visible time range are not drawn.
    pub t: f64,
    /// Short badge text, a number or a letter.
    pub label: String,
}

/// A series break: a dashed vertical line with an axis-break sign (//) on the time axis and
/// `label` ("breuk") at the bottom of the plot. The caller splits lines and bands at breaks;
/// this only marks the place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BreakMarker {
    /// Where the break lies on the time axis (e.g. 2019.0 between 2018 and 2020).
    pub t: f64,
    /// Short text at the bottom of the plot ("breuk", "break"); empty: no text.
    pub label: String,
}

/// Everything needed to draw one chart. All texts are final (translated, formatted).
///
/// The fields after [`ChartSpec::alt_description`] were added later; they default to empty,
/// so a spec that leaves them out draws exactly as before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// Title, drawn at the top.
    pub title: String,
    /// Subtitle (unit, scope), drawn under the title.
    pub subtitle: String,
    /// Lines to draw.
    pub lines: Vec<Line>,
    /// The goal's target, if any.
    pub target: Option<TargetMarker>,
    /// Visible time range (fractional years). `None`: fit to the data.
    pub x_range: Option<(f64, f64)>,
    /// Whether the y axis starts at zero (true for counts).
    pub y_from_zero: bool,
    /// Footer lines drawn under the plot, in order: e.g. "Bron: CBS, tabel 80799ned",
    /// "Licentie: CC BY 4.0", "Gegevens van 24 november 2026", the permalink, and notes
    /// ("* voorlopig cijfer").
    pub footer: Vec<String>,
    /// Thousands separator for axis labels ('.' in Dutch, ',' in English).
    pub thousands_separator: char,
    /// Text alternative: goes into the SVG `<title>` (short) ...
    pub alt_title: String,
    /// ... and `<desc>` (the generated sentence).
    pub alt_description: String,
    /// Published margins, drawn behind the lines.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Yearly bars, drawn behind the lines (one set; bars of one year should not repeat).
    #[serde(default)]
    pub bars: Vec<Bar>,
    /// `Some(title)`: the bars get their own axis on the right, from zero, titled `title`
    /// ("Woningen per jaar"), its grid aligned with the left axis where the left axis starts
    /// at zero. `None`: the bars share the left axis.
    #[serde(default)]
    pub bars_axis: Option<String>,
    /// Policy moments, as numbered badges above the plot.
    #[serde(default)]
    pub events: Vec<EventMarker>,
    /// Series breaks.
    #[serde(default)]
    pub breaks: Vec<BreakMarker>,
    /// Legend text for the break sign ("Breuk in de reeks"); `None`: no legend entry. Only
    /// shown when a break is drawn.
    #[serde(default)]
    pub legend_break: Option<String>,
    /// Legend text for the event badges ("Beleidsmomenten (zie lijst)"); `None`: no legend
    /// entry. Only shown when an event is drawn.
    #[serde(default)]
    pub legend_events: Option<String>,
}

impl Default for ChartSpec {
    /// An empty chart: no texts, no data, counts from zero, Dutch thousands separator ('.').
    /// (Written out rather than derived: a derived `char` would be NUL, which is not valid
    /// in XML.)
    fn default() -> Self {
        Self {
            title: String::new(),
            subtitle: String::new(),
            lines: Vec::new(),
            target: None,
            x_range: None,
            y_from_zero: true,
            footer: Vec::new(),
            thousands_separator: '.',
            alt_title: String::new(),
            alt_description: String::new(),
            bands: Vec::new(),
            bars: Vec::new(),
            bars_axis: None,
            events: Vec::new(),
            breaks: Vec::new(),
            legend_break: None,
            legend_events: None,
        }
    }
}

/// Output size in pixels (SVG user units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Size {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

/// Bounds on sizes the renderer accepts (callers turn larger requests into a 400 error).
pub const MIN_SIDE: u32 = 200;
/// See [`MIN_SIDE`].
pub const MAX_SIDE: u32 = 4_000;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Requested size outside [`MIN_SIDE`]..=[`MAX_SIDE`] (PNG: after scaling).
    #[error("chart size {0}x{1} is outside {MIN_SIDE}..={MAX_SIDE} pixels per side")]
    BadSize(u32, u32),
    /// plotters failed.
    #[error("drawing failed: {0}")]
    Draw(String),
}

/// Largest PNG scale factor accepted by [`render_png`] (2 is "print").
pub const MAX_SCALE: u32 = 4;

fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    let ok = |side| (MIN_SIDE..=MAX_SIDE).contains(&side);
    (ok(width) && ok(height))
        .then_some(())
        .ok_or(ChartError::BadSize(width, height))
}

/// Renders `spec` as a standalone SVG document of `size` user units.
///
/// The root `<svg>` has `role="img"` and `aria-labelledby` pointing at a `<title>`
/// ([`ChartSpec::alt_title`]) and a `<desc>` ([`ChartSpec::alt_description`]); their ids are
/// derived from the title and size (see [`render_svg_with_id`] to choose them, e.g. for two
/// charts of the same title on one page). Text is drawn as `<text>` in DejaVu Sans (falling
/// back to Verdana, then the browser's sans-serif); the layout is measured with the embedded
/// DejaVu Sans, so the output is identical on every machine.
///
/// Bands, bars, the bars' axis, events, breaks, revised rings and their legend entries are
/// each wrapped in a `<g data-kind="...">` (`band`, `bar`, `bar-hollow`, `bars-axis`, `event`,
/// `break`, `revised`, `legend-band`, `legend-bar`, `legend-event`, `legend-break`), for
/// styling and tests; everything else is ungrouped.
pub fn render_svg(spec: &ChartSpec, size: Size) -> Result<String, ChartError> {
    let seed = format!(
        "{}\u{1f}{}\u{1f}{}x{}",
        spec.alt_title, spec.title, size.width, size.height
    );
    // FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
    let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    render_svg_with_id(spec, size, &format!("koers-chart-{:08x}", hash >> 32))
}

/// [`render_svg`] with the ids of `<title>` and `<desc>` set to `{id}-title` and `{id}-desc`.
/// Characters other than ASCII letters, digits, `-` and `_` in `id` become `-`.
pub fn render_svg_with_id(spec: &ChartSpec, size: Size, id: &str) -> Result<String, ChartError> {
    check_size(size.width, size.height)?;
    font::init()?;
    let layout = Layout::new(spec, size, 1)?;
    // Each part on its own backend, so the new kinds of element can be wrapped in a
    // `<g data-kind="...">` (plotters cannot write attributes of its own).
    let mut svg = String::new();
    let mut body = String::new();
    for part in layout.parts() {
        let mut piece = String::new();
        {
            let area =
                SVGBackend::with_string(&mut piece, (size.width, size.height)).into_drawing_area();
            paint(&area, spec, &layout, Backend::Svg, part)?;
            area.present().map_err(draw_err)?;
        }
        let (Some(open), Some(close)) = (piece.find(">\n"), piece.rfind("</svg>")) else {
            return Err(ChartError::Draw("plotters wrote no <svg> element".into()));
        };
        if svg.is_empty() {
            svg.push_str(&piece[..open + 2]);
        }
        let elements = &piece[open + 2..close];
        match layout.kind(part) {
            Some(kind) if !elements.is_empty() => {
                // `write!` into a String cannot fail.
                let _ = write!(body, "<g data-kind=\"{kind}\">\n{elements}</g>\n");
            }
            _ => body.push_str(elements),
        }
    }
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    let end = svg
        .find('>')
        .ok_or_else(|| ChartError::Draw("plotters wrote no <svg> element".into()))?;
    let mut id: String = id
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            _ => '-',
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "chart-");
    }
    let mut out = String::with_capacity(svg.len() + spec.alt_description.len() + 300);
    out.push_str(&svg[..end]);
    // `write!` into a String cannot fail.
    let _ = write!(
        out,
        r#" role="img" aria-labelledby="{id}-title {id}-desc" stroke-linejoin="round">
<title id="{id}-title">{}</title>
<desc id="{id}-desc">{}</desc>"#,
        xml_escape(&spec.alt_title),
        xml_escape(&spec.alt_description)
    );
    out.push_str(&svg[end + 1..]);
    Ok(out.replace(
        r#"font-family="sans-serif""#,
        r#"font-family="DejaVu Sans,Verdana,sans-serif""#,
    ))
}

/// Escapes text for XML content and attribute values.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Renders `spec` as an RGB PNG of `size × scale` pixels. Fonts, strokes and markers scale
/// with `scale` (1..=[`MAX_SCALE`]; 2 is "print"), so a 2× image looks like the 1× one, only
/// sharper. A scale outside that range, or a scaled side outside
/// [`MIN_SIDE`]..=[`MAX_SIDE`], gives [`ChartError::BadSize`] with the scaled size.
/// The same spec always gives the same bytes.
pub fn render_png(spec: &ChartSpec, size: Size, scale: u32) -> Result<Vec<u8>, ChartError> {
    let (w, h) = (
        size.width.saturating_mul(scale),
        size.height.saturating_mul(scale),
    );
    if !(1..=MAX_SCALE).contains(&scale) {
        return Err(ChartError::BadSize(w, h));
    }
    check_size(w, h)?;
    font::init()?;
    let layout = Layout::new(spec, size, scale)?;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
        for part in layout.parts() {
            paint(&area, spec, &layout, Backend::Bitmap, part)?;
        }
        area.present().map_err(draw_err)?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, w, h, image::ColorType::Rgb8)
        .map_err(draw_err)?;
    Ok(png)
}

#[cfg(test)]
mod fixture;

#[cfg(test)]
mod tests {
    use super::*;

    const WIDE: Size = Size {
        width: 1200,
        height: 675,
    };

    fn point(t: f64, value: f64) -> ChartPoint {
        ChartPoint {
            t,
            value,
            ..ChartPoint::default()
        }
    }

    fn empty_spec() -> ChartSpec {
        ChartSpec {
            title: "Leeg".into(),
            subtitle: String::new(),
            lines: Vec::new(),
            target: None,
            x_range: None,
            y_from_zero: true,
            footer: vec!["Bron: CBS, tabel 80799ned".into()],
            thousands_separator: '.',
            alt_title: "Lege grafiek".into(),
            alt_description: "Er zijn nog geen cijfers.".into(),
            ..ChartSpec::default()
        }
    }

    fn decode(png: &[u8]) -> image::RgbImage {
        image::load_from_memory(png)
            .expect("the PNG decodes")
            .to_rgb8()
    }

    #[test]
    fn svg_is_xml_with_role_img_title_desc_and_the_source_line() {
        // Arrange
        let spec = fixture::dutch_spec('.');
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        let labelled_by: Vec<&str> = root
            .attribute("aria-labelledby")
            .expect("aria-labelledby")
            .split(' ')
            .collect();
        let first: Vec<_> = root.children().filter(|n| n.is_element()).take(2).collect();
        assert_eq!(first[0].tag_name().name(), "title");
        assert_eq!(first[0].text(), Some(spec.alt_title.as_str()));
        assert_eq!(first[1].tag_name().name(), "desc");
        assert_eq!(first[1].text(), Some(spec.alt_description.as_str()));
        assert_eq!(
            labelled_by,
            [first[0].attribute("id"), first[1].attribute("id")].map(Option::unwrap_or_default)
        );
        let texts: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(texts.contains(
            &"Bron: CBS, tabel 80799ned (dakloze personen van 18 tot 65 jaar, 1 januari)"
        ));
        assert!(texts.contains(&"30.000"));
        assert!(texts.contains(&"2030"));
    }

    #[test]
    fn svg_escapes_titles_with_ampersands_angle_brackets_and_quotes() {
        // Arrange
        let mut spec = fixture::dutch_spec(',');
        spec.title = r#"Wonen & zorg: <"dak- en thuisloos"> 'NL'"#.into();
        spec.alt_title = spec.title.clone();
        spec.alt_description = "a < b & c > d".into();
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let texts: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(
            texts.contains(&spec.title.as_str()),
            "title drawn as text and in <title>"
        );
        assert!(texts.contains(&"a < b & c > d"));
        assert!(svg.contains("Wonen &amp; zorg: &lt;&quot;dak- en thuisloos&quot;&gt;"));
        assert!(texts.contains(&"30,000"), "English thousands separator");
    }

    #[test]
    fn svg_ids_can_be_chosen_so_two_charts_share_a_page() {
        // Arrange
        let spec = fixture::dutch_spec('.');
        // Act
        let a = render_svg_with_id(&spec, WIDE, "trend").expect("renders");
        let b = render_svg_with_id(&spec, WIDE, "9 x\"y").expect("renders");
        let default = render_svg(&spec, WIDE).expect("renders");
        // Assert
        assert!(a.contains(r#"aria-labelledby="trend-title trend-desc""#));
        assert!(a.contains(r#"<title id="trend-title">"#));
        assert!(b.contains(r#"<desc id="chart-9-x-y-desc">"#));
        assert!(default.contains(r#"<title id="koers-chart-"#));
        assert_ne!(
            default,
            render_svg(
                &spec,
                Size {
                    width: 800,
                    height: 600
                }
            )
            .expect("renders")
        );
    }

    #[test]
    fn png_decodes_to_exactly_the_asked_pixel_size_at_scale_1_and_2() {
        // Arrange
        let spec = fixture::dutch_spec('.');
        for (size, scale) in [
            (WIDE, 1),
            (WIDE, 2),
            (
                Size {
                    width: 640,
                    height: 400,
                },
                1,
            ),
        ] {
            // Act
            let png = render_png(&spec, size, scale).expect("renders");
            // Assert
            let img = decode(&png);
            assert_eq!(img.dimensions(), (size.width * scale, size.height * scale));
            assert_eq!(img.get_pixel(0, 0).0, [255, 255, 255], "white background");
        }
    }

    #[test]
    fn sizes_and_scales_outside_the_bounds_give_bad_size() {
        // Arrange
        let spec = fixture::dutch_spec('.');
        let size = |width, height| Size { width, height };
        // Act / Assert
        for result in [
            render_svg(&spec, size(199, 675)).map(|_| ()),
            render_svg(&spec, size(1200, 4001)).map(|_| ()),
            render_png(&spec, size(4001, 300), 1).map(|_| ()),
            render_png(&spec, WIDE, 4).map(|_| ()),
            render_png(&spec, WIDE, 0).map(|_| ()),
            render_png(&spec, size(200, 200), 5).map(|_| ()),
        ] {
            assert!(matches!(result, Err(ChartError::BadSize(..))), "{result:?}");
        }
        assert!(
            render_png(&spec, size(100, 100), 2).is_ok(),
            "the scaled size counts"
        );
    }

    #[test]
    fn extreme_but_valid_sizes_render_without_panicking() {
        // Arrange
        let spec = fixture::dutch_spec('.');
        for (width, height) in [(200, 200), (200, 2000), (2000, 200), (MIN_SIDE, MAX_SIDE)] {
            let size = Size { width, height };
            // Act
            let svg = render_svg(&spec, size);
            let png = render_png(&spec, size, 1);
            // Assert
            assert!(svg.is_ok() && png.is_ok(), "{width}x{height}");
        }
    }

    #[test]
    fn an_empty_spec_renders_title_axes_and_footer() {
        // Arrange
        let spec = empty_spec();
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        let png = render_png(
            &spec,
            Size {
                width: 640,
                height: 400,
            },
            1,
        )
        .expect("renders");
        // Assert
        assert!(svg.contains("Leeg") && svg.contains("Bron: CBS, tabel 80799ned"));
        assert!(roxmltree::Document::parse(&svg).is_ok());
        assert_eq!(decode(&png).dimensions(), (640, 400));
    }

    #[test]
    fn nan_and_infinite_values_are_skipped_without_panicking() {
        // Arrange
        let mut spec = fixture::dutch_spec('.');
        spec.lines[0].points.push(point(f64::NAN, 1.0));
        spec.lines[0].points.push(point(2019.0, f64::INFINITY));
        spec.lines[1].points.insert(0, point(2019.5, f64::NAN));
        spec.lines.push(Line {
            label: "Alleen NaN".into(),
            kind: LineKind::Breakdown(3),
            points: vec![point(f64::NAN, f64::NAN), point(f64::NEG_INFINITY, 3.0)],
        });
        spec.target = Some(TargetMarker {
            t: f64::NAN,
            value: 0.0,
            label: "Doel".into(),
        });
        spec.x_range = Some((f64::NAN, 2030.0));
        // Act
        let svg = render_svg(&spec, WIDE);
        let png = render_png(&spec, WIDE, 1);
        // Assert
        assert!(svg.is_ok() && png.is_ok());
    }

    #[test]
    fn lines_with_one_point_and_x_ranges_that_clip_render() {
        // Arrange
        let mut spec = fixture::dutch_spec('.');
        spec.lines.push(Line {
            label: "Eén meting".into(),
            kind: LineKind::Breakdown(2),
            points: vec![point(2016.0, 12_000.0)],
        });
        spec.x_range = Some((2012.5, 2026.0));
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        assert!(svg.contains("Eén meting"));
        assert!(!svg.contains(">\n2010\n<"), "2010 lies outside the x range");
        assert!(svg.contains(">\n2014\n<"));
    }

    #[test]
    fn the_same_spec_twice_gives_byte_identical_png() {
        // Arrange
        let spec = fixture::dutch_spec('.');
        // Act
        let first = render_png(&spec, WIDE, 2).expect("renders");
        let second = render_png(&spec, WIDE, 2).expect("renders");
        // Assert
        assert!(first == second);
    }

    /// FNV-1a of `bytes`, to pin outputs without storing them.
    fn fnv(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    /// The `<g data-kind="...">` groups of an SVG, in document order.
    fn kinds(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
        doc.descendants()
            .filter_map(|n| n.attribute("data-kind"))
            .map(str::to_owned)
            .collect()
    }

    fn count(kinds: &[String], kind: &str) -> usize {
        kinds.iter().filter(|k| *k == kind).count()
    }

    /// The texts inside the groups of `kind`.
    fn texts_in(svg: &str, kind: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
        doc.descendants()
            .filter(|n| n.attribute("data-kind") == Some(kind))
            .flat_map(|g| {
                g.descendants()
                    .filter(|n| n.is_element())
                    .filter_map(|n| n.text())
                    .map(str::trim)
            })
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }

    const PHONE: Size = Size {
        width: 480,
        height: 420,
    };

    #[test]
    fn a_spec_without_the_new_fields_renders_byte_identical_to_before_they_existed() {
        // Arrange: hashes of the output of the renderer before bands, bars, events and breaks.
        let spec = fixture::dutch_spec('.');
        let small = Size {
            width: 640,
            height: 400,
        };
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        let png = render_png(&spec, WIDE, 1).expect("renders");
        let png_small = render_png(&spec, small, 1).expect("renders");
        // Assert
        assert!(!svg.contains("data-kind"), "no new groups");
        assert_eq!(fnv(svg.as_bytes()), 0x50c4_fada_5253_6fcc);
        assert_eq!(fnv(&png), 0x1745_1392_faff_0d24);
        assert_eq!(fnv(&png_small), 0xe742_680f_7b50_2a60);
    }

    #[test]
    fn a_default_spec_is_empty_counts_from_zero_and_renders() {
        // Arrange
        let spec = ChartSpec::default();
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        assert!(spec.y_from_zero && spec.lines.is_empty() && spec.bars_axis.is_none());
        assert_eq!(spec.thousands_separator, '.');
        assert!(roxmltree::Document::parse(&svg).is_ok());
        assert!(kinds(&svg).is_empty());
    }

    #[test]
    fn a_band_renders_as_a_group_behind_the_lines_with_a_legend_entry() {
        // Arrange
        let spec = fixture::band_spec();
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let kinds = kinds(&svg);
        assert_eq!(count(&kinds, "band"), 1);
        assert_eq!(count(&kinds, "legend-band"), 1);
        assert!(texts_in(&svg, "legend-band").contains(&"Marge (illustratief)".to_owned()));
        let band = svg.find(r#"data-kind="band""#).expect("band group");
        let actual_line = svg
            .find(r##"stroke="#0072B2" stroke-width="3""##)
            .expect("the actual line");
        assert!(band < actual_line, "the band lies behind the line");
        assert!(svg.contains(r#"opacity="0.17""#), "translucent fill");
    }

    #[test]
    fn a_band_of_one_point_or_outside_the_range_is_left_out() {
        // Arrange
        let mut spec = fixture::band_spec();
        spec.bands[0].points.truncate(1);
        spec.bands.push(Band {
            label: "Buiten beeld".into(),
            points: vec![
                BandPoint {
                    t: 1990.0,
                    lower: 1.0,
                    upper: 2.0,
                },
                BandPoint {
                    t: 1991.0,
                    lower: 1.0,
                    upper: 2.0,
                },
            ],
        });
        spec.x_range = Some((2009.0, 2030.0));
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        assert_eq!(count(&kinds(&svg), "band"), 0);
        assert_eq!(count(&kinds(&svg), "legend-band"), 0);
    }

    #[test]
    fn bars_on_their_own_axis_render_filled_and_hollow_with_the_axis_and_its_title() {
        // Arrange
        let spec = fixture::housing_spec();
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let kinds = kinds(&svg);
        assert_eq!(count(&kinds, "bar"), 2);
        assert_eq!(count(&kinds, "bar-hollow"), 1);
        assert_eq!(count(&kinds, "legend-bar"), 1);
        let axis = texts_in(&svg, "bars-axis");
        assert!(axis.contains(&"Woningen per jaar".to_owned()), "{axis:?}");
        assert!(axis.contains(&"100.000".to_owned()), "{axis:?}");
        assert!(axis.contains(&"0".to_owned()), "from zero: {axis:?}");
    }

    #[test]
    fn bars_without_an_axis_of_their_own_share_the_left_axis_from_zero() {
        // Arrange
        let mut spec = fixture::housing_spec();
        spec.bars_axis = None;
        spec.lines.clear();
        spec.target = None;
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let kinds = kinds(&svg);
        assert_eq!(count(&kinds, "bars-axis"), 0);
        assert_eq!(count(&kinds, "bar") + count(&kinds, "bar-hollow"), 3);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let texts: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        assert!(
            texts.contains(&"80.000") && texts.contains(&"0"),
            "{texts:?}"
        );
    }

    #[test]
    fn events_inside_the_range_get_a_badge_and_those_outside_are_skipped() {
        // Arrange
        let mut spec = fixture::story_spec();
        for t in [1990.0, 2040.0, f64::NAN] {
            spec.events.push(EventMarker {
                t,
                label: "X".into(),
            });
        }
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let kinds = kinds(&svg);
        assert_eq!(count(&kinds, "event"), 4);
        assert_eq!(
            texts_in(&svg, "event"),
            ["1", "2", "3", "4"].map(String::from)
        );
        assert_eq!(count(&kinds, "legend-event"), 1);
        assert!(texts_in(&svg, "legend-event").contains(&"Beleidsmomenten (zie lijst)".to_owned()));
    }

    #[test]
    fn the_event_and_break_legend_entries_need_both_a_text_and_a_drawn_marker() {
        // Arrange
        let mut without_text = fixture::story_spec();
        without_text.legend_events = None;
        without_text.legend_break = None;
        let mut without_markers = fixture::story_spec();
        without_markers.x_range = Some((2009.0, 2018.5));
        // Act
        let a = kinds(&render_svg(&without_text, WIDE).expect("renders"));
        let b = kinds(&render_svg(&without_markers, WIDE).expect("renders"));
        // Assert
        assert_eq!(count(&a, "event"), 4);
        assert_eq!(count(&a, "legend-event") + count(&a, "legend-break"), 0);
        assert_eq!(count(&b, "event") + count(&b, "break"), 0);
        assert_eq!(count(&b, "legend-event") + count(&b, "legend-break"), 0);
    }

    #[test]
    fn a_series_break_draws_its_label_and_legend_entry() {
        // Arrange
        let spec = fixture::story_spec();
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        let kinds = kinds(&svg);
        assert_eq!(count(&kinds, "break"), 1);
        assert_eq!(texts_in(&svg, "break"), ["breuk".to_owned()]);
        assert_eq!(
            texts_in(&svg, "legend-break"),
            ["Breuk in de reeks".to_owned()]
        );
    }

    #[test]
    fn revised_points_get_a_ring_whether_filled_or_hollow() {
        // Arrange
        let mut spec = fixture::story_spec();
        spec.lines[1].points[0].revised = true; // 2020, provisional: hollow marker
        // Act
        let svg = render_svg(&spec, WIDE).expect("renders");
        // Assert
        assert_eq!(count(&kinds(&svg), "revised"), 2);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let ring = doc
            .descendants()
            .find(|n| n.attribute("data-kind") == Some("revised"))
            .and_then(|g| g.descendants().find(|n| n.has_tag_name("circle")))
            .expect("a ring");
        assert_eq!(ring.attribute("fill"), Some("none"));
    }

    #[test]
    fn every_new_element_renders_as_png_of_the_asked_size_at_every_served_size() {
        // Arrange
        let specs = [
            fixture::story_spec(),
            fixture::band_spec(),
            fixture::housing_spec(),
            fixture::breakdown_spec(),
        ];
        let sizes = [
            (1200, 675),
            (1080, 1080),
            (800, 600),
            (640, 400),
            (480, 420),
        ];
        for spec in &specs {
            for (width, height) in sizes {
                let size = Size { width, height };
                // Act
                let png = render_png(spec, size, 1).expect("renders");
                let svg = render_svg(spec, size).expect("renders");
                // Assert
                assert_eq!(decode(&png).dimensions(), (width, height));
                assert!(roxmltree::Document::parse(&svg).is_ok(), "{width}x{height}");
            }
        }
        let png = render_png(&specs[2], PHONE, 2).expect("renders");
        assert_eq!(decode(&png).dimensions(), (960, 840));
    }

    #[test]
    fn non_finite_bands_bars_events_and_breaks_are_skipped_without_panicking() {
        // Arrange
        let mut spec = fixture::housing_spec();
        spec.bars.push(Bar {
            t: f64::NAN,
            value: 1.0,
            label: "x".into(),
            hollow: false,
        });
        spec.bars.push(Bar {
            t: 2025.0,
            value: f64::INFINITY,
            label: "x".into(),
            hollow: true,
        });
        spec.bands.push(Band {
            label: "nan".into(),
            points: vec![
                BandPoint {
                    t: 2022.0,
                    lower: f64::NAN,
                    upper: 1.0,
                },
                BandPoint {
                    t: f64::INFINITY,
                    lower: 0.0,
                    upper: 1.0,
                },
            ],
        });
        spec.breaks.push(BreakMarker {
            t: f64::NEG_INFINITY,
            label: "breuk".into(),
        });
        // Act
        let svg = render_svg(&spec, PHONE).expect("renders");
        let png = render_png(&spec, PHONE, 1);
        // Assert
        assert_eq!(
            count(&kinds(&svg), "bar") + count(&kinds(&svg), "bar-hollow"),
            3
        );
        assert_eq!(
            count(&kinds(&svg), "band") + count(&kinds(&svg), "break"),
            0
        );
        assert!(png.is_ok());
    }

    #[test]
    fn a_small_svg_matches_its_snapshot() {
        // Arrange
        let spec = ChartSpec {
            title: "Dakloze mensen".into(),
            subtitle: "18-65 jaar, 1 januari".into(),
            lines: vec![Line {
                label: "CBS".into(),
                kind: LineKind::Actual,
                points: vec![
                    point(2022.0, 26_600.0),
                    point(2023.0, 30_600.0),
                    ChartPoint {
                        t: 2024.0,
                        value: 33_000.0,
                        provisional: true,
                        revised: false,
                    },
                ],
            }],
            target: Some(TargetMarker {
                t: 2030.0,
                value: 0.0,
                label: "Doel: 0".into(),
            }),
            x_range: None,
            y_from_zero: true,
            footer: vec!["Bron: CBS, tabel 80799ned".into()],
            thousands_separator: '.',
            alt_title: "Dakloosheid 2022-2024".into(),
            alt_description: "Van 26.600 naar 33.000.".into(),
            ..ChartSpec::default()
        };
        // Act
        let svg = render_svg_with_id(
            &spec,
            Size {
                width: 320,
                height: 220,
            },
            "snap",
        )
        .expect("renders");
        // Assert
        insta::assert_snapshot!("small_svg", svg);
    }
}
