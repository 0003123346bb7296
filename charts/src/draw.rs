//! Layout (pure text measurement with the embedded font) and painting on any plotters backend.
//!
//! Everything is placed in final pixels by hand so the SVG and the PNG share one layout and
//! nothing depends on plotters' automatic label areas.

use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axis::{
    decimals_for, format_number, nice_ceil, spread, value_domain, value_ticks, year_ticks,
};
use crate::font::width as text_width;
use crate::legend::{self, Metrics, Rect};
use crate::{Bar, ChartError, ChartPoint, ChartSpec, LineKind, Size};

/// plotters' SVG backend writes `font-size = size / 1.24`.
const SVG_SIZE_PER_EM: f64 = 1.24;

const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
const MUTED: RGBColor = RGBColor(0x4D, 0x4D, 0x4D);
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
const AXIS: RGBColor = RGBColor(0x80, 0x80, 0x80);
const RULE: RGBColor = RGBColor(0xD0, 0xD0, 0xD0);
/// Okabe–Ito, with the yellow darkened (#F0E442 → #9A8C00) to reach 3.4:1 on white.
const BREAKDOWN: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x9A, 0x8C, 0x00),
    RGBColor(0x00, 0x00, 0x00),
];

/// Bands: the hue of [`LineKind::Actual`], translucent so the grid shows through, with a
/// thin dashed outline.
const BAND_ALPHA: f64 = 0.17;
const BAND_EDGE: RGBColor = RGBColor(0x4A, 0x95, 0xC8);
/// Bars: a quiet slate, so a cumulative line in the Actual blue stands out on top of them;
/// the edge colour also marks the bars' own axis (4.9:1 on white).
const BAR_FILL: RGBColor = RGBColor(0xB4, 0xC3, 0xD0);
const BAR_EDGE: RGBColor = RGBColor(0x55, 0x6B, 0x7F);
const BAR_HATCH: RGBColor = RGBColor(0x9D, 0xAF, 0xBF);
/// Events: grey and dotted, with numbered badges outside the plot, so they do not read as data.
const EVENT: RGBColor = RGBColor(0x8C, 0x8C, 0x8C);
const EVENT_EDGE: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Series breaks: darker grey, dashed, with an axis-break sign.
const BREAK: RGBColor = RGBColor(0x5E, 0x5E, 0x5E);
/// Width of a yearly bar, in years.
const BAR_WIDTH: f64 = 0.6;

/// Target marker radius, distance from its centre to its label, and the label's white margin
/// (logical pixels).
const TARGET_R: f64 = 6.5;
const TARGET_GAP: f64 = 7.0 + 1.25 * TARGET_R;
const TARGET_MARGIN: f64 = 3.0;
/// From the x axis to the top of the year labels: clears a target marker sitting on the axis.
const X_LABEL_DROP: f64 = 1.25 * TARGET_R + 4.0;

/// How text positions are turned into backend coordinates (the backends differ).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Svg,
    Bitmap,
}

/// Maps any plotters error to [`ChartError::Draw`].
pub(crate) fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stroke {
    Solid,
    Dotted,
    Dashed,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Triangle,
    Square,
    Diamond,
    Cross,
}

/// How one kind of line is drawn: colour, stroke pattern, width (logical px) and marker.
#[derive(Clone, Copy)]
struct Look {
    color: RGBColor,
    stroke: Stroke,
    width: f64,
    /// Marker at every point; `None`: markers only for a line too short to draw.
    marker: Option<Shape>,
}

fn look(kind: LineKind) -> Look {
    let (color, stroke, width, marker) = match kind {
        LineKind::Actual => (BREAKDOWN[0], Stroke::Solid, 3.0, Some(Shape::Circle)),
        LineKind::RequiredPath => (RGBColor(0x55, 0x55, 0x55), Stroke::Dotted, 1.5, None),
        LineKind::Projection => (RGBColor(0xD5, 0x5E, 0x00), Stroke::Dashed, 2.5, None),
        LineKind::Breakdown(i) => {
            const SHAPES: [Shape; 5] = [
                Shape::Circle,
                Shape::Triangle,
                Shape::Square,
                Shape::Diamond,
                Shape::Cross,
            ];
            let i = usize::from(i);
            (
                BREAKDOWN[i % BREAKDOWN.len()],
                Stroke::Solid,
                2.0,
                Some(SHAPES[i % SHAPES.len()]),
            )
        }
    };
    Look {
        color,
        stroke,
        width,
        marker,
    }
}

/// Drawing order: reference lines first, observed figures on top.
fn z_order(kind: LineKind) -> u8 {
    match kind {
        LineKind::RequiredPath => 0,
        LineKind::Projection => 1,
        LineKind::Breakdown(_) => 2,
        LineKind::Actual => 3,
    }
}

/// Font sizes in pixel ems.
struct Ems {
    title: f64,
    subtitle: f64,
    tick: f64,
    legend: f64,
    footer: f64,
}

/// A text line and its baseline.
type Placed = (String, f64);

/// A point ready to draw: `provisional` is `None` for points made up by clipping (no marker).
#[derive(Clone, Copy)]
struct Pt {
    t: f64,
    v: f64,
    provisional: Option<bool>,
    revised: bool,
}

/// What a legend entry shows before its label.
#[derive(Clone)]
enum Sample {
    Line(Look),
    Band,
    /// Bars; `hollow`: all of the set hollow, `mixed`: some.
    Bars {
        hollow: bool,
        mixed: bool,
    },
    Break,
    /// An event badge with this text.
    Event(String),
}

impl Sample {
    /// The SVG group of the entry (`None` for line entries, which stay ungrouped as before).
    fn kind(&self) -> Option<&'static str> {
        match self {
            Sample::Line(_) => None,
            Sample::Band => Some("legend-band"),
            Sample::Bars { .. } => Some("legend-bar"),
            Sample::Break => Some("legend-break"),
            Sample::Event(_) => Some("legend-event"),
        }
    }
}

/// A marker to draw at `c`.
struct Mark {
    c: (f64, f64),
    hollow: bool,
    revised: bool,
}

/// A line in pixels with the markers it gets (`shape` is `None`: no markers).
struct LinePx {
    look: Look,
    px: Vec<(f64, f64)>,
    shape: Option<Shape>,
    marks: Vec<Mark>,
}

/// A band in pixels: both edges over the same times.
struct BandPx {
    upper: Vec<(f64, f64)>,
    lower: Vec<(f64, f64)>,
}

/// The bars' own axis on the right.
struct RightAxis {
    dom: (f64, f64),
    ticks: Vec<(f64, String)>,
    /// Title and its baseline, right-aligned at the right margin.
    title: Option<(String, f64)>,
}

/// An event: its line at `x`, its badge centred at `c` with radius `r`.
struct EventPx {
    x: f64,
    c: (f64, f64),
    r: f64,
    label: String,
}

/// A piece of the chart painted in one go. In SVG, the new kinds of element each get a
/// `<g data-kind="...">` group (see [`Part::kind`]); the original ones stay ungrouped so
/// specs without the new fields give the same bytes as before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Background, grid, axes and their labels.
    Base,
    Band(usize),
    RightAxis,
    Bar(usize),
    Break(usize),
    Event(usize),
    /// All lines and their markers.
    Lines,
    Revised(usize),
    Target,
    Legend(usize),
    /// Title, subtitle, footer.
    Text,
}

/// Everything measured and placed, in final pixels.
pub(crate) struct Layout {
    /// Unit for strokes and gaps: 1 logical pixel at 1200×675, times the PNG scale.
    u: f64,
    ems: Ems,
    pad: f64,
    width: f64,
    title: Vec<Placed>,
    subtitle: Vec<Placed>,
    footer: Vec<Placed>,
    rule: Option<f64>,
    legend: Vec<legend::Item<Sample>>,
    sample_w: f64,
    /// Plot rectangle: left, top, right, bottom.
    plot: (f64, f64, f64, f64),
    /// Data x range mapped to `plot.0 + inset.0 ..= plot.2 - inset.1`.
    x_dom: (f64, f64),
    inset: (f64, f64),
    y_dom: (f64, f64),
    x_ticks: Vec<(f64, String)>,
    y_ticks: Vec<(f64, String)>,
    lines: Vec<LinePx>,
    /// Line segments in pixels, for placing the target label clear of them.
    segments: Vec<((f64, f64), (f64, f64))>,
    /// Bottom of the header (title and subtitle); read by the overlap tests.
    #[cfg_attr(not(test), allow(dead_code))]
    header_bottom: f64,
    bands: Vec<BandPx>,
    bars: Vec<(Rect, bool)>,
    right: Option<RightAxis>,
    events: Vec<EventPx>,
    /// Font size of the badge text.
    badge_em: f64,
    breaks: Vec<(f64, String)>,
    /// Revised points: centre, ring radius and colour.
    revised: Vec<((f64, f64), f64, RGBColor)>,
}

/// Greedy word wrap to `max_w`; a word longer than a line (a URL) is broken between characters.
pub(crate) fn wrap(text: &str, em: f64, bold: bool, max_w: f64) -> Result<Vec<String>, ChartError> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&joined, em, bold)? <= max_w {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if line.chars().nth(1).is_some() && text_width(&line, em, bold)? > max_w {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Wraps `texts` into lines below `*y` (the top), advancing `*y` by `leading` ems per line.
fn text_block<'a>(
    texts: impl IntoIterator<Item = &'a String>,
    em: f64,
    bold: bool,
    max_w: f64,
    leading: f64,
    y: &mut f64,
) -> Result<Vec<Placed>, ChartError> {
    let mut out = Vec::new();
    for text in texts {
        for line in wrap(text, em, bold, max_w)? {
            out.push((line, *y + 0.95 * em));
            *y += leading * em;
        }
    }
    Ok(out)
}

/// Finite points of `line`, clipped to `x_range` (with interpolated end points) if given.
fn visible(points: &[ChartPoint], x_range: Option<(f64, f64)>) -> Vec<Pt> {
    let finite = points
        .iter()
        .filter(|p| p.t.is_finite() && p.value.is_finite());
    let Some((a, b)) = x_range else {
        return finite
            .map(|p| Pt {
                t: p.t,
                v: p.value,
                provisional: Some(p.provisional),
                revised: p.revised,
            })
            .collect();
    };
    let mut out = Vec::new();
    let mut prev: Option<&ChartPoint> = None;
    for p in finite {
        if let Some(q) = prev {
            let bounds = if p.t >= q.t { [a, b] } else { [b, a] };
            for edge in bounds {
                if (q.t - edge) * (p.t - edge) < 0.0 {
                    let f = (edge - q.t) / (p.t - q.t);
                    out.push(Pt {
                        t: edge,
                        v: q.value + f * (p.value - q.value),
                        provisional: None,
                        revised: false,
                    });
                }
            }
        }
        if (a..=b).contains(&p.t) {
            out.push(Pt {
                t: p.t,
                v: p.value,
                provisional: Some(p.provisional),
                revised: p.revised,
            });
        }
        prev = Some(p);
    }
    out
}

/// The bars' own axis: from zero with headroom. Where the left axis starts at a zero tick,
/// its ticks sit on the left axis' grid lines (one grid for both) at a nice step of its own.
fn right_axis(
    bars: &[&Bar],
    y_dom: (f64, f64),
    y_ticks: &[(f64, String)],
    step: f64,
    wanted: usize,
    thousands: char,
) -> RightAxis {
    // More headroom than the left axis: the bars stay below the lines they go with.
    let (lo, hi) = value_domain(bars.iter().map(|b| b.value), true);
    let dom = (lo, lo + (hi - lo) * 1.25 / 1.08);
    let aligned = y_dom.0 == 0.0
        && y_dom.1 > 0.0
        && step > 0.0
        && dom.0 == 0.0
        && y_ticks.len() >= 2
        && y_ticks.first().is_some_and(|(v, _)| *v == 0.0);
    if aligned {
        let r_step = nice_ceil(step * dom.1 / y_dom.1);
        let decimals = decimals_for(r_step);
        let ticks = y_ticks
            .iter()
            .map(|(v, _)| {
                let rv = (v / step).round() * r_step;
                (rv, format_number(rv, decimals, thousands))
            })
            .collect();
        return RightAxis {
            dom: (0.0, y_dom.1 * r_step / step),
            ticks,
            title: None,
        };
    }
    let (ticks, r_step) = value_ticks(dom.0, dom.1, wanted);
    let decimals = decimals_for(r_step);
    RightAxis {
        dom,
        ticks: ticks
            .into_iter()
            .map(|v| (v, format_number(v, decimals, thousands)))
            .collect(),
        title: None,
    }
}

impl Layout {
    /// Measures and places everything for `size` logical pixels drawn at `scale`.
    pub(crate) fn new(spec: &ChartSpec, size: Size, scale: u32) -> Result<Self, ChartError> {
        let s = f64::from(scale);
        let (lw, lh) = (f64::from(size.width), f64::from(size.height));
        // Text follows the chart's area, but never outgrows its width (tall narrow charts).
        let k = (lw * lh / (1200.0 * 675.0)).sqrt().min(lw / 1000.0);
        let ems = Ems {
            title: (24.0 * k).max(16.0) * s,
            subtitle: (17.0 * k).max(12.5) * s,
            tick: (15.0 * k).max(11.5) * s,
            legend: (15.0 * k).max(11.5) * s,
            footer: (13.0 * k).max(11.0) * s,
        };
        let u = k.clamp(0.75, 1.5) * s;
        let (width, height) = (lw * s, lh * s);
        let pad = (22.0 * k).max(10.0) * s;
        let text_w = width - 2.0 * pad;

        // Header from the top.
        let mut y = pad;
        let title = text_block([&spec.title], ems.title, true, text_w, 1.22, &mut y)?;
        if !title.is_empty() {
            y += 0.15 * ems.title;
        }
        let subtitle = text_block([&spec.subtitle], ems.subtitle, false, text_w, 1.3, &mut y)?;
        let header_bottom = y;

        // Footer from the bottom.
        let n_footer: usize = spec
            .footer
            .iter()
            .map(|f| wrap(f, ems.footer, false, text_w).map(|l| l.len()))
            .sum::<Result<_, _>>()?;
        let leading = 1.35;
        let mut y = height - pad - n_footer as f64 * leading * ems.footer;
        let rule = (n_footer > 0).then_some(y - 0.7 * ems.footer);
        let mut bottom = rule.map_or(height - pad, |r| r - 0.7 * ems.footer);
        let footer = text_block(&spec.footer, ems.footer, false, text_w, leading, &mut y)?;

        // Data.
        let x_range = spec
            .x_range
            .filter(|(a, b)| a.is_finite() && b.is_finite())
            .map(|(a, b)| (a.min(b), a.max(b)));
        let mut lines: Vec<(LineKind, Vec<Pt>)> = spec
            .lines
            .iter()
            .map(|l| (l.kind, visible(&l.points, x_range)))
            .collect();
        lines.sort_by_key(|(kind, _)| z_order(*kind));
        // Bands: both edges clipped alike (same times), at least two times to make an area.
        let bands: Vec<(&str, Vec<Pt>, Vec<Pt>)> = spec
            .bands
            .iter()
            .filter_map(|b| {
                let edge = |f: fn(&crate::BandPoint) -> f64| -> Vec<ChartPoint> {
                    b.points
                        .iter()
                        .filter(|p| p.t.is_finite() && p.lower.is_finite() && p.upper.is_finite())
                        .map(|p| ChartPoint {
                            t: p.t,
                            value: f(p),
                            ..ChartPoint::default()
                        })
                        .collect()
                };
                let lower = visible(&edge(|p| p.lower.min(p.upper)), x_range);
                let upper = visible(&edge(|p| p.lower.max(p.upper)), x_range);
                (lower.len() >= 2 && lower.len() == upper.len()).then_some((
                    b.label.as_str(),
                    upper,
                    lower,
                ))
            })
            .collect();
        let bars: Vec<&Bar> = spec
            .bars
            .iter()
            .filter(|b| {
                b.t.is_finite()
                    && b.value.is_finite()
                    && x_range.is_none_or(|(a, b_)| (a..=b_).contains(&b.t))
            })
            .collect();
        let right_title = spec.bars_axis.as_deref().filter(|_| !bars.is_empty());
        let target = spec.target.as_ref().filter(|t| {
            t.t.is_finite()
                && t.value.is_finite()
                && x_range.is_none_or(|(a, b)| (a..=b).contains(&t.t))
        });
        let all_t = lines
            .iter()
            .flat_map(|(_, p)| p.iter().map(|p| p.t))
            .chain(target.map(|t| t.t))
            .chain(bands.iter().flat_map(|(_, u, _)| u.iter().map(|p| p.t)))
            .chain(bars.iter().map(|b| b.t));
        let x_dom = x_range.unwrap_or_else(|| {
            all_t.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
                (a.min(t), b.max(t))
            })
        });
        let has_x = x_dom.0 <= x_dom.1;
        let x_dom = match x_dom {
            (a, b) if a < b => (a, b),
            (a, _) if a.is_finite() => (a - 1.0, a + 1.0),
            _ => (0.0, 1.0),
        };
        let left_bars = if right_title.is_none() && !bars.is_empty() {
            &bars[..]
        } else {
            &[]
        };
        let y_dom = value_domain(
            lines
                .iter()
                .flat_map(|(_, p)| p.iter().map(|p| p.v))
                .chain(target.map(|t| t.value))
                .chain(
                    bands
                        .iter()
                        .flat_map(|(_, u, l)| u.iter().chain(l).map(|p| p.v)),
                )
                .chain(left_bars.iter().map(|b| b.value))
                .chain(left_bars.first().map(|_| 0.0)),
            spec.y_from_zero,
        );
        // Events and breaks only where the time axis is, sorted by time.
        let on_axis = |t: f64| has_x && t.is_finite() && (x_dom.0..=x_dom.1).contains(&t);
        let mut events: Vec<&crate::EventMarker> =
            spec.events.iter().filter(|e| on_axis(e.t)).collect();
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        let breaks: Vec<&crate::BreakMarker> =
            spec.breaks.iter().filter(|b| on_axis(b.t)).collect();

        // Legend: one entry per label and kind (a series break makes two lines of one entry),
        // then the band, bar, break and event entries.
        let sample_w = 34.0 * u;
        let mut entries: Vec<(Sample, &str)> = Vec::new();
        let mut seen: Vec<(LineKind, &str)> = Vec::new();
        for line in &spec.lines {
            if !seen.contains(&(line.kind, line.label.as_str())) && !line.label.trim().is_empty() {
                seen.push((line.kind, &line.label));
                entries.push((Sample::Line(look(line.kind)), &line.label));
            }
        }
        let mut extra: Vec<&str> = Vec::new();
        for (label, _, _) in &bands {
            if !label.trim().is_empty() && !extra.contains(label) {
                extra.push(label);
                entries.push((Sample::Band, label));
            }
        }
        for bar in &bars {
            if !bar.label.trim().is_empty() && !extra.contains(&bar.label.as_str()) {
                extra.push(&bar.label);
                let set = || bars.iter().filter(|b| b.label == bar.label);
                let hollow = set().all(|b| b.hollow);
                let mixed = !hollow && set().any(|b| b.hollow);
                entries.push((Sample::Bars { hollow, mixed }, &bar.label));
            }
        }
        if let Some(text) = spec.legend_break.as_deref()
            && !text.trim().is_empty()
            && !breaks.is_empty()
        {
            entries.push((Sample::Break, text));
        }
        if let (Some(text), Some(first)) = (spec.legend_events.as_deref(), events.first())
            && !text.trim().is_empty()
        {
            entries.push((Sample::Event(first.label.clone()), text));
        }
        let metrics = Metrics {
            em: ems.legend,
            u,
            sample_w,
            left: pad,
            right: width - pad,
        };
        let (legend, legend_top) = legend::place(entries, &metrics, bottom)?;
        if !legend.is_empty() {
            bottom = legend_top - 0.6 * ems.legend;
        }

        // Above the plot: the right axis' title, then rows of event badges.
        let mut top = header_bottom;
        let right_title = right_title.map(|t| {
            let base = top + 0.95 * ems.tick;
            if !t.trim().is_empty() {
                top += 1.35 * ems.tick;
            }
            (t.to_owned(), base)
        });
        let badge_em = (0.8 * ems.tick).max(10.0 * s);
        let mut badge_r: f64 = 0.72 * badge_em;
        for e in &events {
            badge_r = badge_r.max(0.5 * text_width(&e.label, badge_em, true)? + 0.45 * badge_em);
        }
        let badge_gap = 4.0 * u;

        // Plot rectangle: x labels below it, y labels left of it (and the bars' axis right of
        // it). More badge rows only when one row cannot hold them apart.
        let plot_b = (bottom - X_LABEL_DROP * u - 1.05 * ems.tick).max(header_bottom + 2.0);
        let year_w = text_width("2030", ems.tick, false)?;
        let edge = 12.0 * u;
        let mut rows = usize::from(!events.is_empty());
        let (plot_l, plot_t, plot_r, y_ticks, right, inset, x_ticks, badges) = loop {
            let strip = if rows == 0 {
                0.0
            } else {
                rows as f64 * (2.0 * badge_r + badge_gap) + badge_gap
            };
            let plot_t = (top + (0.9 * ems.tick).max(strip)).min(plot_b - 1.0);
            let wanted = ((plot_b - plot_t) / (3.2 * ems.tick))
                .round()
                .clamp(2.0, 7.0) as usize;
            let (ticks, step) = value_ticks(y_dom.0, y_dom.1, wanted);
            let decimals = decimals_for(step);
            let y_ticks: Vec<(f64, String)> = ticks
                .into_iter()
                .map(|v| (v, format_number(v, decimals, spec.thousands_separator)))
                .collect();
            let mut label_w: f64 = 0.0;
            for (_, l) in &y_ticks {
                label_w = label_w.max(text_width(l, ems.tick, false)?);
            }
            let plot_l = pad + label_w + 8.0 * u;
            let right = match &right_title {
                Some((title, base)) => {
                    let axis = right_axis(
                        &bars,
                        y_dom,
                        &y_ticks,
                        step,
                        wanted,
                        spec.thousands_separator,
                    );
                    let mut w: f64 = 0.0;
                    for (_, l) in &axis.ticks {
                        w = w.max(text_width(l, ems.tick, false)?);
                    }
                    let title = (!title.trim().is_empty()).then(|| (title.clone(), *base));
                    Some((RightAxis { title, ..axis }, w))
                }
                None => None,
            };
            let plot_r = match &right {
                Some((_, w)) => width - pad - w - 8.0 * u,
                None => width - pad - (year_w / 2.0 - edge).max(0.0),
            }
            .max(plot_l + 1.0);
            // Room right of a target at the right edge for its label ("◇ Doel 2030: 0").
            let right_inset = match target {
                Some(t) if has_x && t.t >= x_dom.1 - 1e-9 => {
                    let need = (TARGET_GAP + 2.0 * TARGET_MARGIN + 2.0) * u
                        + text_width(&t.label, ems.tick, true)?;
                    if need < 0.3 * (plot_r - plot_l) {
                        edge.max(need)
                    } else {
                        edge
                    }
                }
                _ => edge,
            };
            let mut inset = (edge, right_inset);
            if !bars.is_empty() {
                // Half a bar (and a little) at either end.
                let half =
                    0.5 * BAR_WIDTH * (plot_r - plot_l) / (x_dom.1 - x_dom.0 + BAR_WIDTH) + 2.0 * u;
                inset = (inset.0.max(half), inset.1.max(half));
            }
            let x0 = plot_l + inset.0;
            let per_year = (plot_r - plot_l - inset.0 - inset.1) / (x_dom.1 - x_dom.0);
            let x_ticks: Vec<(f64, String)> = if has_x {
                year_ticks(x_dom.0, x_dom.1, (year_w + ems.tick) / per_year)
                    .into_iter()
                    .map(|t| (t, format!("{}", t.round() as i64)))
                    .collect()
            } else {
                Vec::new()
            };
            // Badges: event i in row i % rows, each row packed apart.
            let mut badges = Vec::with_capacity(events.len());
            let mut fits = true;
            for row in 0..rows {
                let in_row: Vec<(usize, f64)> = events
                    .iter()
                    .enumerate()
                    .skip(row)
                    .step_by(rows)
                    .map(|(i, e)| (i, x0 + (e.t - x_dom.0) * per_year))
                    .collect();
                let desired: Vec<f64> = in_row.iter().map(|(_, x)| *x).collect();
                let (centres, ok) = spread(
                    &desired,
                    2.0 * badge_r + 3.0 * u,
                    plot_l + badge_r,
                    plot_r.max(plot_l + 2.0 * badge_r) - badge_r,
                );
                fits &= ok;
                let cy = plot_t - badge_gap - badge_r - row as f64 * (2.0 * badge_r + badge_gap);
                for ((i, x), cx) in in_row.into_iter().zip(centres) {
                    badges.push(EventPx {
                        x,
                        c: (cx, cy),
                        r: badge_r,
                        label: events[i].label.clone(),
                    });
                }
            }
            if fits || rows >= 3 {
                break (
                    plot_l, plot_t, plot_r, y_ticks, right, inset, x_ticks, badges,
                );
            }
            rows += 1;
        };

        let mut layout = Self {
            u,
            ems,
            pad,
            width,
            title,
            subtitle,
            footer,
            rule,
            legend,
            sample_w,
            plot: (plot_l, plot_t, plot_r, plot_b),
            x_dom,
            inset,
            y_dom,
            x_ticks,
            y_ticks,
            lines: Vec::new(),
            segments: Vec::new(),
            header_bottom,
            bands: Vec::new(),
            bars: Vec::new(),
            right: right.map(|(axis, _)| axis),
            events: badges,
            badge_em,
            breaks: Vec::new(),
            revised: Vec::new(),
        };

        // Geometry in pixels. Markers only where points are not packed too tightly; hollow
        // (provisional) and revised ones also where they do not overlap the previous one.
        let r = 5.0 * u;
        for (kind, points) in lines {
            let look = look(kind);
            let px: Vec<(f64, f64)> = points.iter().map(|q| layout.px(q.t, q.v)).collect();
            layout.segments.extend(px.windows(2).map(|w| (w[0], w[1])));
            let spread = match (px.first(), px.last()) {
                (Some(a), Some(b)) if px.len() >= 2 => (b.0 - a.0).abs() / (px.len() - 1) as f64,
                _ => f64::INFINITY,
            };
            let shape = match look.marker {
                Some(shape) => Some(shape),
                None if px.len() < 2 => Some(Shape::Circle),
                None => None,
            };
            let mut marks = Vec::new();
            if let Some(shape) = shape {
                let mut last: Option<(f64, f64)> = None;
                for (q, c) in points.iter().zip(&px) {
                    let hollow = q.provisional == Some(true);
                    let apart = last.is_none_or(|l| (c.0 - l.0).hypot(c.1 - l.1) >= 2.5 * r);
                    if q.provisional.is_some()
                        && (spread >= 2.5 * r || (hollow || q.revised) && apart)
                    {
                        marks.push(Mark {
                            c: *c,
                            hollow,
                            revised: q.revised,
                        });
                        last = Some(*c);
                    }
                }
                let ring = match shape {
                    Shape::Circle | Shape::Square | Shape::Cross => r + 3.5 * u,
                    Shape::Triangle | Shape::Diamond => 1.25 * r + 3.0 * u,
                };
                layout.revised.extend(
                    marks
                        .iter()
                        .filter(|m| m.revised)
                        .map(|m| (m.c, ring, look.color)),
                );
            }
            layout.lines.push(LinePx {
                look,
                px,
                shape,
                marks,
            });
        }
        for (_, upper, lower) in &bands {
            let band = BandPx {
                upper: upper.iter().map(|p| layout.px(p.t, p.v)).collect(),
                lower: lower.iter().map(|p| layout.px(p.t, p.v)).collect(),
            };
            layout.bands.push(band);
        }
        let (_, pt, _, pb) = layout.plot;
        let half = (0.5 * BAR_WIDTH * layout.per_year()).max(1.5 * u);
        for bar in &bars {
            let x = layout.px(bar.t, 0.0).0;
            let (y0, y1) = match &layout.right {
                Some(axis) => (
                    layout.py_on(axis.dom, 0.0),
                    layout.py_on(axis.dom, bar.value),
                ),
                None => (layout.px(bar.t, 0.0).1, layout.px(bar.t, bar.value).1),
            };
            let (y0, y1) = (y0.clamp(pt, pb), y1.clamp(pt, pb));
            let rect = (x - half, y0.min(y1), x + half, y0.max(y1));
            layout.segments.push(((rect.0, rect.1), (rect.2, rect.1)));
            layout.bars.push((rect, bar.hollow));
        }
        for b in &breaks {
            let x = layout.px(b.t, 0.0).0;
            layout.breaks.push((x, b.label.clone()));
        }
        Ok(layout)
    }

    /// Pixels per year on the time axis.
    fn per_year(&self) -> f64 {
        let (l, _, r, _) = self.plot;
        (r - l - self.inset.0 - self.inset.1) / (self.x_dom.1 - self.x_dom.0)
    }

    /// The y pixel of `v` on an axis showing `dom`.
    fn py_on(&self, dom: (f64, f64), v: f64) -> f64 {
        let (_, top, _, b) = self.plot;
        b - (v - dom.0) / (dom.1 - dom.0) * (b - top)
    }

    /// What to paint, in order (later parts on top).
    pub(crate) fn parts(&self) -> Vec<Part> {
        let mut parts = vec![Part::Base];
        parts.extend((0..self.bands.len()).map(Part::Band));
        if self.right.is_some() {
            parts.push(Part::RightAxis);
        }
        parts.extend((0..self.bars.len()).map(Part::Bar));
        parts.extend((0..self.breaks.len()).map(Part::Break));
        parts.extend((0..self.events.len()).map(Part::Event));
        parts.push(Part::Lines);
        parts.extend((0..self.revised.len()).map(Part::Revised));
        parts.push(Part::Target);
        parts.extend((0..self.legend.len()).map(Part::Legend));
        parts.push(Part::Text);
        parts
    }

    /// The SVG group a part goes into (`data-kind`), if any.
    pub(crate) fn kind(&self, part: Part) -> Option<&'static str> {
        match part {
            Part::Base | Part::Lines | Part::Target | Part::Text => None,
            Part::Band(_) => Some("band"),
            Part::RightAxis => Some("bars-axis"),
            Part::Bar(i) => Some(match self.bars.get(i) {
                Some((_, true)) => "bar-hollow",
                _ => "bar",
            }),
            Part::Break(_) => Some("break"),
            Part::Event(_) => Some("event"),
            Part::Revised(_) => Some("revised"),
            Part::Legend(i) => self.legend.get(i).and_then(|item| item.sample.kind()),
        }
    }

    /// The areas text and marks occupy, named, for checking that nothing overlaps: the
    /// header, the right axis title, the event badges, the plot with its axis labels, every
    /// legend entry and the footer.
    #[cfg(test)]
    pub(crate) fn regions(&self) -> Result<Vec<(String, Rect)>, ChartError> {
        let (pl, pt, pr, pb) = self.plot;
        let em = self.ems.tick;
        let mut out = Vec::new();
        let mut header_w: f64 = 0.0;
        for (line, _) in &self.title {
            header_w = header_w.max(text_width(line, self.ems.title, true)?);
        }
        for (line, _) in &self.subtitle {
            header_w = header_w.max(text_width(line, self.ems.subtitle, false)?);
        }
        out.push((
            "header".into(),
            (self.pad, self.pad, self.pad + header_w, self.header_bottom),
        ));
        if let Some((title, base)) = self.right.as_ref().and_then(|a| a.title.as_ref()) {
            let right = self.width - self.pad;
            let w = text_width(title, em, false)?;
            out.push((
                "right axis title".into(),
                (right - w, base - 0.78 * em, right, base + 0.25 * em),
            ));
        }
        for (i, e) in self.events.iter().enumerate() {
            out.push((
                format!("event {i}"),
                (e.c.0 - e.r, e.c.1 - e.r, e.c.0 + e.r, e.c.1 + e.r),
            ));
        }
        let label_bottom = pb + X_LABEL_DROP * self.u + 0.73 * em + 0.25 * em;
        out.push((
            "y labels".into(),
            (self.pad, pt - 0.5 * em, pl, pb + 0.5 * em),
        ));
        out.push((
            "plot".into(),
            (pl, pt, pr.max(self.width - self.pad), label_bottom),
        ));
        for (i, item) in self.legend.iter().enumerate() {
            out.push((format!("legend {i}"), item.rect));
        }
        if let (Some(first), Some(last)) = (self.footer.first(), self.footer.last()) {
            let f = self.ems.footer;
            out.push((
                "footer".into(),
                (
                    self.pad,
                    first.1 - 0.78 * f,
                    self.width - self.pad,
                    last.1 + 0.25 * f,
                ),
            ));
        }
        Ok(out)
    }

    fn px(&self, t: f64, v: f64) -> (f64, f64) {
        let (l, top, r, b) = self.plot;
        let x0 = l + self.inset.0;
        let x = x0 + (t - self.x_dom.0) / (self.x_dom.1 - self.x_dom.0) * (r - self.inset.1 - x0);
        let y = b - (v - self.y_dom.0) / (self.y_dom.1 - self.y_dom.0) * (b - top);
        (x, y)
    }

    /// A length in logical pixels (times the scale), at least one pixel.
    fn w(&self, logical: f64) -> u32 {
        (logical * self.u).round().max(1.0) as u32
    }
}

fn ip((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// Draws on one backend; text positions depend on how the backend anchors text.
struct Painter<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    backend: Backend,
    layout: &'a Layout,
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    fn draw<E>(&self, element: &E) -> Result<(), ChartError>
    where
        for<'b> &'b E: PointCollection<'b, (i32, i32)>,
        E: Drawable<DB>,
    {
        self.area.draw(element).map_err(draw_err)
    }

    /// Draws `text` with its baseline at `baseline`, anchored at `x` by `h`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &self,
        text: &str,
        x: f64,
        baseline: f64,
        em: f64,
        bold: bool,
        color: &RGBColor,
        h: HPos,
    ) -> Result<(), ChartError> {
        if self.backend == Backend::Bitmap {
            let left = match h {
                HPos::Left => x,
                HPos::Center => x - text_width(text, em, bold)? / 2.0,
                HPos::Right => x - text_width(text, em, bold)?,
            };
            let mut pixels = Vec::new();
            crate::font::rasterize(text, (left, baseline), em, bold, |x, y, c| {
                pixels.push(((x, y), c));
            })?;
            return pixels.into_iter().try_for_each(|(xy, c)| {
                let color = color.mix(f64::from(c.min(1.0)));
                self.area.draw_pixel(xy, &color).map_err(draw_err)
            });
        }
        // SVG: the baseline lies 0.76em below the anchor (dy), font-size = size / 1.24.
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let font = FontDesc::new(FontFamily::SansSerif, em * SVG_SIZE_PER_EM, style)
            .color(color)
            .pos(Pos::new(h, VPos::Top));
        self.area
            .draw(&Text::new(text, ip((x, baseline - 0.76 * em)), font))
            .map_err(draw_err)
    }

    fn path(&self, points: &[(i32, i32)], look: &Look, width: u32) -> Result<(), ChartError> {
        let style = look.color.stroke_width(width);
        let u = self.layout.u;
        let px = |l: f64| (l * u).round().max(1.0) as i32;
        let pts = points.to_vec();
        match look.stroke {
            Stroke::Solid => self.draw(&PathElement::new(pts, style)),
            Stroke::Dashed => DashedLineSeries::new(pts, px(9.0), px(6.0), style)
                .into_iter()
                .try_for_each(|e| self.draw(&e)),
            Stroke::Dotted => {
                let r = (0.5 * f64::from(width)).round().max(1.0) as u32;
                let color = look.color;
                DottedLineSeries::new(pts, 0, px(6.5), move |c| Circle::new(c, r, color.filled()))
                    .into_iter()
                    .try_for_each(|e| self.draw(&e))
            }
        }
    }

    /// A marker of radius `r` around `c`; hollow ones have a white fill and a coloured outline.
    fn marker(
        &self,
        shape: Shape,
        c: (i32, i32),
        r: f64,
        color: RGBColor,
        hollow: bool,
    ) -> Result<(), ChartError> {
        let sw = self.layout.w(1.8);
        let (x, y) = (f64::from(c.0), f64::from(c.1));
        let poly: Vec<(i32, i32)> = match shape {
            Shape::Circle => {
                let r = r.round() as u32;
                if hollow {
                    self.draw(&Circle::new(c, r, WHITE.filled()))?;
                    let ring = r.saturating_sub(sw / 2).max(1);
                    return self.draw(&Circle::new(c, ring, color.stroke_width(sw)));
                }
                return self.draw(&Circle::new(c, r, color.filled()));
            }
            Shape::Cross => {
                let d = r * 0.85;
                let style = color.stroke_width(if hollow { sw } else { sw + sw / 2 });
                self.draw(&PathElement::new(
                    [ip((x - d, y - d)), ip((x + d, y + d))],
                    style,
                ))?;
                return self.draw(&PathElement::new(
                    [ip((x - d, y + d)), ip((x + d, y - d))],
                    style,
                ));
            }
            Shape::Triangle => [(0.0, -1.2), (1.1, 0.75), (-1.1, 0.75)].to_vec(),
            Shape::Square => [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)].to_vec(),
            Shape::Diamond => [(0.0, -1.25), (1.25, 0.0), (0.0, 1.25), (-1.25, 0.0)].to_vec(),
        }
        .into_iter()
        .map(|(dx, dy)| ip((x + dx * r, y + dy * r)))
        .collect();
        if hollow {
            self.draw(&Polygon::new(poly.clone(), WHITE.filled()))?;
            let mut outline = poly;
            outline.extend(outline.first().copied());
            self.draw(&PathElement::new(outline, color.stroke_width(sw)))
        } else {
            self.draw(&Polygon::new(poly, color.filled()))
        }
    }
}

/// Whether the segment `a`–`b` touches the rectangle `(x0, y0, x1, y1)` (Liang–Barsky).
fn hits(a: (f64, f64), b: (f64, f64), (x0, y0, x1, y1): (f64, f64, f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x0),
        (dx, x1 - a.0),
        (-dy, a.1 - y0),
        (dy, y1 - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    t0 <= t1
}

/// Paints one part of the chart (see [`Layout::parts`]).
pub(crate) fn paint<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    l: &Layout,
    backend: Backend,
    part: Part,
) -> Result<(), ChartError> {
    let p = Painter {
        area,
        backend,
        layout: l,
    };
    match part {
        Part::Base => p.base(),
        Part::Band(i) => l.bands.get(i).map_or(Ok(()), |b| p.band(b)),
        Part::RightAxis => p.right_axis(),
        Part::Bar(i) => l
            .bars
            .get(i)
            .map_or(Ok(()), |(rect, hollow)| p.bar(*rect, *hollow)),
        Part::Break(i) => l
            .breaks
            .get(i)
            .map_or(Ok(()), |(x, label)| p.series_break(*x, label)),
        Part::Event(i) => l.events.get(i).map_or(Ok(()), |e| p.event(e)),
        Part::Lines => p.lines(),
        Part::Revised(i) => l.revised.get(i).map_or(Ok(()), |(c, r, color)| {
            p.draw(&Circle::new(
                ip(*c),
                r.round() as u32,
                color.stroke_width(l.w(1.5)),
            ))
        }),
        Part::Target => p.target(spec),
        Part::Legend(i) => l.legend.get(i).map_or(Ok(()), |item| p.legend(item)),
        Part::Text => p.header_and_footer(),
    }
}

impl<DB: DrawingBackend> Painter<'_, DB> {
    /// Background, grid with y labels, x axis with ticks and year labels.
    fn base(&self) -> Result<(), ChartError> {
        let l = self.layout;
        let u = l.u;
        let (pl, _, pr, pb) = l.plot;
        let em = l.ems.tick;
        self.area.fill(&WHITE).map_err(draw_err)?;
        let thin = l.w(1.0);
        for (v, label) in &l.y_ticks {
            let y = l.px(l.x_dom.0, *v).1;
            self.draw(&PathElement::new(
                [ip((pl, y)), ip((pr, y))],
                GRID.stroke_width(thin),
            ))?;
            self.text(
                label,
                pl - 8.0 * u,
                y + 0.36 * em,
                em,
                false,
                &MUTED,
                HPos::Right,
            )?;
        }
        self.draw(&PathElement::new(
            [ip((pl, pb)), ip((pr, pb))],
            AXIS.stroke_width(thin),
        ))?;
        for (t, label) in &l.x_ticks {
            let x = l.px(*t, l.y_dom.0).0;
            self.draw(&PathElement::new(
                [ip((x, pb)), ip((x, pb + 5.0 * u))],
                AXIS.stroke_width(thin),
            ))?;
            self.text(
                label,
                x,
                pb + X_LABEL_DROP * u + 0.73 * em,
                em,
                false,
                &MUTED,
                HPos::Center,
            )?;
        }
        Ok(())
    }

    /// A dashed polyline: `dash` on, `gap` off (logical pixels).
    fn dashed(
        &self,
        points: &[(f64, f64)],
        color: RGBColor,
        width: u32,
        dash: f64,
        gap: f64,
    ) -> Result<(), ChartError> {
        let u = self.layout.u;
        let px = |l: f64| (l * u).round().max(1.0) as i32;
        let pts: Vec<(i32, i32)> = points.iter().copied().map(ip).collect();
        DashedLineSeries::new(pts, px(dash), px(gap), color.stroke_width(width))
            .into_iter()
            .try_for_each(|e| self.draw(&e))
    }

    /// A light translucent area between the edges, each edge thin and dashed.
    fn band(&self, b: &BandPx) -> Result<(), ChartError> {
        let outline: Vec<(i32, i32)> = b
            .upper
            .iter()
            .chain(b.lower.iter().rev())
            .copied()
            .map(ip)
            .collect();
        self.draw(&Polygon::new(
            outline,
            BREAKDOWN[0].mix(BAND_ALPHA).filled(),
        ))?;
        let w = self.layout.w(1.0);
        self.dashed(&b.upper, BAND_EDGE, w, 4.0, 3.0)?;
        self.dashed(&b.lower, BAND_EDGE, w, 4.0, 3.0)
    }

    /// The bars' axis labels right of the plot, and its title above them.
    fn right_axis(&self) -> Result<(), ChartError> {
        let l = self.layout;
        let Some(axis) = &l.right else {
            return Ok(());
        };
        let em = l.ems.tick;
        let (_, _, pr, _) = l.plot;
        for (v, label) in &axis.ticks {
            let y = l.py_on(axis.dom, *v);
            self.text(
                label,
                pr + 8.0 * l.u,
                y + 0.36 * em,
                em,
                false,
                &BAR_EDGE,
                HPos::Left,
            )?;
        }
        if let Some((title, base)) = &axis.title {
            self.text(
                title,
                l.width - l.pad,
                *base,
                em,
                false,
                &BAR_EDGE,
                HPos::Right,
            )?;
        }
        Ok(())
    }

    /// A bar: filled, or hollow (white with diagonal hatching), always with a dark outline.
    fn bar(&self, (x0, y0, x1, y1): Rect, hollow: bool) -> Result<(), ChartError> {
        let l = self.layout;
        if hollow {
            self.draw(&Rectangle::new(
                [ip((x0, y0)), ip((x1, y1))],
                WHITE.filled(),
            ))?;
            // Lines x + y = c ("/"), clipped to the bar.
            let step = 5.0 * l.u;
            let mut c = x0 + y0 + step;
            while c < x1 + y1 {
                let (xa, xb) = ((c - y1).max(x0), (c - y0).min(x1));
                if xa < xb {
                    self.draw(&PathElement::new(
                        [ip((xa, c - xa)), ip((xb, c - xb))],
                        BAR_HATCH.stroke_width(l.w(1.0)),
                    ))?;
                }
                c += step;
            }
        } else {
            self.draw(&Rectangle::new(
                [ip((x0, y0)), ip((x1, y1))],
                BAR_FILL.filled(),
            ))?;
        }
        let outline = [(x0, y1), (x0, y0), (x1, y0), (x1, y1)].map(ip);
        self.draw(&PathElement::new(
            outline,
            BAR_EDGE.stroke_width(l.w(if hollow { 1.5 } else { 1.0 })),
        ))
    }

    /// The axis-break sign "//" centred at `c`, `h` high: two slanted strokes with white
    /// between them, cutting whatever lies under it.
    fn break_sign(&self, c: (f64, f64), h: f64) -> Result<(), ChartError> {
        let l = self.layout;
        let (dx, dy, g) = (0.28 * h, 0.5 * h, 2.5 * l.u);
        self.draw(&Polygon::new(
            vec![
                ip((c.0 - g - dx, c.1 + dy)),
                ip((c.0 + g - dx, c.1 + dy)),
                ip((c.0 + g + dx, c.1 - dy)),
                ip((c.0 - g + dx, c.1 - dy)),
            ],
            WHITE.filled(),
        ))?;
        for off in [-g, g] {
            self.draw(&PathElement::new(
                [
                    ip((c.0 + off - dx, c.1 + dy)),
                    ip((c.0 + off + dx, c.1 - dy)),
                ],
                INK.stroke_width(l.w(1.5)),
            ))?;
        }
        Ok(())
    }

    /// A series break: a dashed vertical line, "//" on the time axis and the label just
    /// above it, on a white ground.
    fn series_break(&self, x: f64, label: &str) -> Result<(), ChartError> {
        let l = self.layout;
        let (pl, pt, pr, pb) = l.plot;
        let u = l.u;
        let h = 15.0 * u;
        self.dashed(&[(x, pt), (x, pb)], BREAK, l.w(1.25), 6.0, 4.0)?;
        self.break_sign((x, pb), h)?;
        if label.trim().is_empty() {
            return Ok(());
        }
        let em = 0.9 * l.ems.tick;
        let tw = text_width(label, em, false)?;
        let cx = x.clamp(pl + 0.5 * tw + 2.0 * u, (pr - 0.5 * tw - 2.0 * u).max(pl));
        let base = pb - 0.5 * h - 4.0 * u - 0.25 * em;
        self.draw(&Rectangle::new(
            [
                ip((cx - 0.5 * tw - 2.0 * u, base - 0.8 * em)),
                ip((cx + 0.5 * tw + 2.0 * u, base + 0.25 * em)),
            ],
            WHITE.filled(),
        ))?;
        self.text(label, cx, base, em, false, &BREAK, HPos::Center)
    }

    /// A circled badge with `label`, centred at `c`.
    fn badge(&self, c: (f64, f64), r: f64, label: &str) -> Result<(), ChartError> {
        let l = self.layout;
        let ic = ip(c);
        let r_px = r.round() as u32;
        self.draw(&Circle::new(ic, r_px, WHITE.filled()))?;
        self.draw(&Circle::new(ic, r_px, EVENT_EDGE.stroke_width(l.w(1.25))))?;
        let em = l.badge_em;
        self.text(label, c.0, c.1 + 0.36 * em, em, true, &INK, HPos::Center)
    }

    /// An event: a thin dotted line through the plot, a leader up to its badge above it.
    fn event(&self, e: &EventPx) -> Result<(), ChartError> {
        let l = self.layout;
        let (_, pt, _, pb) = l.plot;
        // Short dashes of one pixel: a fine dotted line, lighter than any data line.
        self.dashed(&[(e.x, pb), (e.x, pt)], EVENT, l.w(1.0), 1.0, 2.5)?;
        self.draw(&PathElement::new(
            [ip((e.x, pt)), ip((e.c.0, e.c.1 + e.r))],
            EVENT.stroke_width(l.w(1.0)),
        ))?;
        self.badge(e.c, e.r, &e.label)
    }

    /// Every line, then its markers.
    fn lines(&self) -> Result<(), ChartError> {
        let l = self.layout;
        let r = 5.0 * l.u;
        for line in &l.lines {
            if line.px.len() >= 2 {
                let ipx: Vec<(i32, i32)> = line.px.iter().copied().map(ip).collect();
                self.path(&ipx, &line.look, l.w(line.look.width))?;
            }
            if let Some(shape) = line.shape {
                for m in &line.marks {
                    self.marker(shape, ip(m.c), r, line.look.color, m.hollow)?;
                }
            }
        }
        Ok(())
    }

    /// Target: hollow diamond and its label, placed where it stays inside the plot and,
    /// if possible, clear of every line.
    fn target(&self, spec: &ChartSpec) -> Result<(), ChartError> {
        let l = self.layout;
        let u = l.u;
        let (pl, pt, pr, pb) = l.plot;
        let em = l.ems.tick;
        let Some(t) = spec.target.as_ref().filter(|t| {
            t.t.is_finite()
                && t.value.is_finite()
                && (l.x_dom.0..=l.x_dom.1).contains(&t.t)
                && (l.y_dom.0..=l.y_dom.1).contains(&t.value)
        }) else {
            return Ok(());
        };
        let (mx, my) = l.px(t.t, t.value);
        let tw = text_width(&t.label, em, true)?;
        let (g, m) = (TARGET_GAP * u, TARGET_MARGIN * u);
        // Candidate baselines/left edges: right, left, above-right, above-left, below-...
        let (up, down, mid) = (my - g - 0.25 * em, my + g + 0.78 * em, my + 0.36 * em);
        let candidates = [
            (mx + g, mid, 1.0, 0.0),
            (mx - g - tw, mid, -1.0, 0.0),
            (mx - 0.2 * tw, up, 0.0, -1.0),
            (mx - 0.8 * tw, up, 0.0, -1.0),
            (mx - 0.2 * tw, down, 0.0, 1.0),
            (mx - 0.8 * tw, down, 0.0, 1.0),
        ];
        let marker_box = (mx - g + m, my - g + m, mx + g - m, my + g - m);
        let mut first_fit = None;
        let mut chosen = None;
        'search: for (x, base, sx, sy) in candidates {
            for slide in 0..8 {
                let off = f64::from(slide) * 0.5 * em;
                let x = (x + sx * off).min(pr - m - tw).max(pl + m);
                let base = (base + sy * off)
                    .min(pb - m - 0.25 * em)
                    .max(pt + m + 0.78 * em);
                let bx = (
                    x - m,
                    base - 0.78 * em - m,
                    x + tw + m,
                    base + 0.25 * em + m,
                );
                if legend::overlap(bx, marker_box) {
                    continue;
                }
                first_fit.get_or_insert((x, base, bx));
                if !l.segments.iter().any(|(a, b)| hits(*a, *b, bx)) {
                    chosen = Some((x, base, bx));
                    break 'search;
                }
            }
        }
        self.marker(Shape::Diamond, ip((mx, my)), TARGET_R * u, INK, true)?;
        if let Some((x, base, bx)) = chosen.or(first_fit) {
            if chosen.is_none() {
                self.draw(&Rectangle::new(
                    [ip((bx.0, bx.1)), ip((bx.2, bx.3))],
                    WHITE.mix(0.85).filled(),
                ))?;
            }
            self.text(&t.label, x, base, em, true, &INK, HPos::Left)?;
        }
        Ok(())
    }

    /// One legend entry: its sample, then its label lines.
    fn legend(&self, item: &legend::Item<Sample>) -> Result<(), ChartError> {
        let l = self.layout;
        let u = l.u;
        let lem = l.ems.legend;
        let (x, y, w) = (item.x, item.mid, l.sample_w);
        match &item.sample {
            Sample::Line(look) => {
                let sample = [ip((x, y)), ip((x + w, y))];
                self.path(&sample, look, l.w(look.width))?;
                if let Some(shape) = look.marker {
                    self.marker(shape, ip((x + w / 2.0, y)), 5.0 * u, look.color, false)?;
                }
            }
            Sample::Band => {
                let (top, bottom) = (y - 0.42 * lem, y + 0.42 * lem);
                self.draw(&Rectangle::new(
                    [ip((x, top)), ip((x + w, bottom))],
                    BREAKDOWN[0].mix(BAND_ALPHA).filled(),
                ))?;
                self.dashed(&[(x, top), (x + w, top)], BAND_EDGE, l.w(1.0), 4.0, 3.0)?;
                self.dashed(
                    &[(x, bottom), (x + w, bottom)],
                    BAND_EDGE,
                    l.w(1.0),
                    4.0,
                    3.0,
                )?;
            }
            Sample::Bars { hollow, mixed } => {
                // Two bars of different heights on the text's baseline; the second one
                // hollow when some of the set are.
                let base = y + 0.5 * lem;
                let bw = 0.3 * w;
                let first = (x + 0.12 * w, base - 1.05 * lem, x + 0.12 * w + bw, base);
                self.bar(first, *hollow)?;
                let second = (x + 0.58 * w, base - 0.8 * lem, x + 0.58 * w + bw, base);
                self.bar(second, *hollow || *mixed)?;
            }
            Sample::Break => {
                self.draw(&PathElement::new(
                    [ip((x, y)), ip((x + w, y))],
                    AXIS.stroke_width(l.w(1.0)),
                ))?;
                self.break_sign((x + w / 2.0, y), 0.95 * lem)?;
            }
            Sample::Event(label) => {
                let r = l.events.first().map_or(0.6 * lem, |e| e.r).min(0.7 * lem);
                self.badge((x + w / 2.0, y), r, label)?;
            }
        }
        for (line, base) in &item.lines {
            self.text(line, x + w + 7.0 * u, *base, lem, false, &INK, HPos::Left)?;
        }
        Ok(())
    }

    /// Title, subtitle, the rule above the footer and the footer.
    fn header_and_footer(&self) -> Result<(), ChartError> {
        let l = self.layout;
        for (line, base) in &l.title {
            self.text(line, l.pad, *base, l.ems.title, true, &INK, HPos::Left)?;
        }
        for (line, base) in &l.subtitle {
            self.text(
                line,
                l.pad,
                *base,
                l.ems.subtitle,
                false,
                &MUTED,
                HPos::Left,
            )?;
        }
        if let Some(y) = l.rule {
            self.draw(&PathElement::new(
                [ip((l.pad, y)), ip((l.width - l.pad, y))],
                RULE.stroke_width(l.w(1.0)),
            ))?;
        }
        for (line, base) in &l.footer {
            self.text(line, l.pad, *base, l.ems.footer, false, &MUTED, HPos::Left)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVED: [(u32, u32); 5] = [
        (1200, 675),
        (1080, 1080),
        (800, 600),
        (640, 400),
        (480, 420),
    ];

    /// Asserts that no two regions of `layout` overlap and all lie on the canvas.
    fn assert_apart(layout: &Layout, size: (u32, u32)) {
        let regions = layout.regions().expect("measures");
        let canvas = (0.0, 0.0, f64::from(size.0), f64::from(size.1));
        for (i, (name, r)) in regions.iter().enumerate() {
            assert!(
                r.0 >= canvas.0 - 0.5 && r.1 >= canvas.1 - 0.5,
                "{name} leaves the canvas at {size:?}: {r:?}"
            );
            assert!(
                r.2 <= canvas.2 + 0.5 && r.3 <= canvas.3 + 0.5,
                "{name} leaves the canvas at {size:?}: {r:?}"
            );
            assert!(
                r.0 <= r.2 && r.1 <= r.3,
                "{name} is empty at {size:?}: {r:?}"
            );
            for (other, q) in &regions[i + 1..] {
                assert!(
                    !legend::overlap(*r, *q),
                    "{name} {r:?} overlaps {other} {q:?} at {size:?}"
                );
            }
        }
    }

    #[test]
    fn eight_long_breakdown_labels_overlap_nothing_at_every_served_size() {
        // Arrange
        crate::font::init().expect("fonts");
        let spec = crate::fixture::breakdown_spec();
        for (width, height) in SERVED {
            // Act
            let layout = Layout::new(&spec, Size { width, height }, 1).expect("lays out");
            // Assert
            assert_eq!(layout.legend.len(), 8);
            assert_apart(&layout, (width, height));
            let (_, top, _, bottom) = layout.plot;
            assert!(
                bottom - top > 0.3 * f64::from(height),
                "the plot keeps a third of the height at {width}x{height}: {}",
                bottom - top
            );
        }
    }

    #[test]
    fn badges_titles_legends_and_footers_of_every_sample_stay_apart_at_every_size() {
        // Arrange
        crate::font::init().expect("fonts");
        let specs = [
            crate::fixture::story_spec(),
            crate::fixture::band_spec(),
            crate::fixture::housing_spec(),
        ];
        for spec in &specs {
            for (width, height) in SERVED {
                // Act
                let layout = Layout::new(spec, Size { width, height }, 1).expect("lays out");
                // Assert
                assert_apart(&layout, (width, height));
            }
        }
    }

    #[test]
    fn events_a_few_weeks_apart_get_badges_side_by_side_on_a_phone() {
        // Arrange
        crate::font::init().expect("fonts");
        let spec = crate::fixture::story_spec();
        // Act
        let layout = Layout::new(
            &spec,
            Size {
                width: 480,
                height: 420,
            },
            1,
        )
        .expect("lays out");
        // Assert
        assert_eq!(layout.events.len(), 4);
        let (left, top, right, _) = layout.plot;
        for e in &layout.events {
            assert!(e.c.1 + e.r < top, "badge above the plot");
            assert!(e.c.0 - e.r >= left - 1e-9 && e.c.0 + e.r <= right + 1e-9);
        }
        assert!(
            layout.events[0].x < layout.events[1].x,
            "lines stay at their dates"
        );
    }

    #[test]
    fn the_right_axis_shares_the_grid_of_the_left_one_with_nice_numbers() {
        // Arrange
        crate::font::init().expect("fonts");
        let spec = crate::fixture::housing_spec();
        // Act
        let layout = Layout::new(
            &spec,
            Size {
                width: 1200,
                height: 675,
            },
            1,
        )
        .expect("lays out");
        // Assert
        let axis = layout.right.as_ref().expect("a right axis");
        assert_eq!(axis.ticks.len(), layout.y_ticks.len());
        for ((v, _), (rv, _)) in layout.y_ticks.iter().zip(&axis.ticks) {
            let (left_y, right_y) = (layout.px(2022.0, *v).1, layout.py_on(axis.dom, *rv));
            assert!((left_y - right_y).abs() < 1e-6);
        }
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0", "25.000", "50.000", "75.000", "100.000"]);
        assert!(
            layout
                .bars
                .iter()
                .all(|(r, _)| r.1 > layout.plot.1 + 0.2 * (layout.plot.3 - layout.plot.1)),
            "the bars keep headroom"
        );
    }

    #[test]
    fn long_footer_lines_and_urls_wrap_inside_the_width() {
        // Arrange
        crate::font::init().expect("fonts");
        let text = format!(
            "Permalink: https://koers.example.nl/{} einde",
            "abcdefghij".repeat(20)
        );
        // Act
        let lines = wrap(&text, 11.0, false, 300.0).expect("wraps");
        // Assert
        assert!(lines.len() > 3);
        assert_eq!(lines.first().map(String::as_str), Some("Permalink:"));
        for line in &lines {
            assert!(
                text_width(line, 11.0, false).expect("measures") <= 300.0,
                "{line}"
            );
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }
}
