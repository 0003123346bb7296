//! Legend layout: pure placement of (sample, label) entries in final pixels, no drawing.
//!
//! Short legends flow left to right like text (the original layout). When a label would wrap,
//! when a grid needs less height, or when the flow takes three rows or more — many or long
//! breakdown labels, small charts — the entries go into equal columns instead, labels wrapped
//! inside their column, so rows never overlap and the legend stays as low as possible above
//! the footer.

use crate::ChartError;
use crate::draw::wrap;
use crate::font::width as text_width;

/// Left, top, right, bottom in pixels.
pub(crate) type Rect = (f64, f64, f64, f64);

/// Whether two rectangles share any area (touching edges do not count).
pub(crate) fn overlap(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// One placed legend entry.
pub(crate) struct Item<S> {
    /// What to draw as the sample.
    pub sample: S,
    /// Left edge of the sample.
    pub x: f64,
    /// Vertical centre of the sample (the middle of the first text line).
    pub mid: f64,
    /// Label lines with their baselines.
    pub lines: Vec<(String, f64)>,
    /// Everything the entry covers: sample and text (read by the overlap tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub rect: Rect,
}

/// Sizes the legend is laid out with (pixels).
pub(crate) struct Metrics {
    /// Legend font size.
    pub em: f64,
    /// Stroke unit (see `Layout::u`).
    pub u: f64,
    /// Width of the line sample before each label.
    pub sample_w: f64,
    /// Left and right limits of the legend.
    pub left: f64,
    pub right: f64,
}

/// Height of one legend row of single-line labels, in ems.
const ROW: f64 = 1.45;
/// Distance between the wrapped lines of one label in a grid, in ems.
const WRAPPED: f64 = 1.2;

impl Metrics {
    fn gap(&self) -> f64 {
        7.0 * self.u
    }

    fn spacing(&self) -> f64 {
        22.0 * self.u
    }
}

/// A legend before it is moved to its final height: items relative to a top of 0.
struct Draft {
    /// Per item: x, offset of the middle of its first line, wrapped lines, line pitch.
    items: Vec<(f64, f64, Vec<String>, f64)>,
    height: f64,
    rows: usize,
    wrapped: bool,
}

/// The original flowing layout: entries side by side, a new row when the width is used up.
fn flow(labels: &[&str], m: &Metrics) -> Result<Draft, ChartError> {
    let (gap, spacing, row_h) = (m.gap(), m.spacing(), ROW * m.em);
    let text_w = m.right - m.left;
    let mut items = Vec::new();
    let (mut x, mut row_top, mut row_lines, mut rows) = (m.left, 0.0, 1usize, 1);
    let mut wrapped = false;
    for label in labels {
        let label_lines = wrap(label, m.em, false, text_w - m.sample_w - gap)?;
        wrapped |= label_lines.len() > 1;
        let mut item_w = m.sample_w + gap;
        for l in &label_lines {
            item_w = item_w.max(m.sample_w + gap + text_width(l, m.em, false)?);
        }
        if x > m.left && x + item_w > m.right {
            x = m.left;
            row_top += row_lines as f64 * row_h;
            row_lines = 1;
            rows += 1;
        }
        row_lines = row_lines.max(label_lines.len());
        items.push((x, row_top + 0.5 * row_h, label_lines, ROW));
        x += item_w + spacing;
    }
    Ok(Draft {
        items,
        height: row_top + row_lines as f64 * row_h,
        rows,
        wrapped,
    })
}

/// Equal columns, row by row; labels wrap inside their column. `None` if the columns would
/// be too narrow for text.
fn grid(labels: &[&str], m: &Metrics, columns: usize) -> Result<Option<Draft>, ChartError> {
    let col_gap = 0.75 * m.spacing();
    let col_w = (m.right - m.left - (columns - 1) as f64 * col_gap) / columns as f64;
    let text_max = col_w - m.sample_w - m.gap();
    if text_max < 3.0 * m.em {
        return Ok(None);
    }
    let mut items = Vec::new();
    let (mut top, mut wrapped) = (0.0, false);
    let rows = labels.len().div_ceil(columns);
    for row in labels.chunks(columns) {
        let mut lines_in_row = 1;
        for (i, label) in row.iter().enumerate() {
            let lines = wrap(label, m.em, false, text_max)?;
            wrapped |= lines.len() > 1;
            lines_in_row = lines_in_row.max(lines.len());
            let x = m.left + i as f64 * (col_w + col_gap);
            items.push((x, top + 0.5 * ROW * m.em, lines, WRAPPED));
        }
        top += (ROW + (lines_in_row - 1) as f64 * WRAPPED) * m.em;
    }
    Ok(Some(Draft {
        items,
        height: top,
        rows,
        wrapped,
    }))
}

/// Places `entries` in rows ending at `bottom`; returns the items and the legend's top
/// (`bottom` itself when there are no entries).
pub(crate) fn place<S>(
    entries: Vec<(S, &str)>,
    m: &Metrics,
    bottom: f64,
) -> Result<(Vec<Item<S>>, f64), ChartError> {
    if entries.is_empty() {
        return Ok((Vec::new(), bottom));
    }
    let labels: Vec<&str> = entries.iter().map(|(_, l)| *l).collect();
    let mut draft = flow(&labels, m)?;
    // Grid alternatives: the lowest one wins, a wrapped line costing a little extra, and of
    // equal ones the one with the fewest columns (the most even rows).
    let score = |d: &Draft| {
        d.height
            + 0.25
                * m.em
                * (d.items.iter().map(|i| i.2.len()).sum::<usize>() - d.items.len()) as f64
    };
    let mut best: Option<Draft> = None;
    for columns in 1..=labels.len().min(6) {
        if let Some(g) = grid(&labels, m, columns)?
            && best.as_ref().is_none_or(|b| score(&g) < score(b) - 1e-9)
        {
            best = Some(g);
        }
    }
    // The grid replaces the flow when a flowing label wraps, when the grid is lower, or,
    // for three rows or more, when it is as low (aligned columns read better there).
    if let Some(g) = best
        && (draft.wrapped
            || g.height < draft.height - 0.01 * m.em
            || draft.rows >= 3 && g.height <= draft.height + 0.01 * m.em)
    {
        draft = g;
    }
    let top = bottom - draft.height;
    let mut items = Vec::with_capacity(entries.len());
    for ((sample, _), (x, mid, lines, pitch)) in entries.into_iter().zip(draft.items) {
        let mid = mid + top;
        let mut right = x + m.sample_w;
        let mut placed = Vec::with_capacity(lines.len());
        for (i, line) in lines.into_iter().enumerate() {
            right = right.max(x + m.sample_w + m.gap() + text_width(&line, m.em, false)?);
            placed.push((line, mid + 0.36 * m.em + i as f64 * pitch * m.em));
        }
        let last = placed.last().map_or(mid, |(_, b)| *b);
        items.push(Item {
            sample,
            x,
            mid,
            rect: (x, mid - 0.5 * ROW * m.em, right, last + 0.3 * m.em),
            lines: placed,
        });
    }
    Ok((items, top))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(left: f64, right: f64) -> Metrics {
        Metrics {
            em: 11.5,
            u: 0.75,
            sample_w: 25.5,
            left,
            right,
        }
    }

    #[test]
    fn a_few_short_labels_flow_on_one_row() {
        // Arrange
        crate::font::init().expect("fonts");
        let entries = vec![((), "Actual"), ((), "Path"), ((), "Projection")];
        // Act
        let (items, top) = place(entries, &metrics(10.0, 1190.0), 600.0).expect("places");
        // Assert
        assert!(items.iter().all(|i| (i.mid - items[0].mid).abs() < 1e-9));
        assert!(items.windows(2).all(|w| w[0].rect.2 < w[1].rect.0));
        assert!((top - (600.0 - ROW * 11.5)).abs() < 1e-9);
    }

    #[test]
    fn eight_long_labels_on_a_phone_go_into_columns_without_overlap() {
        // Arrange
        crate::font::init().expect("fonts");
        let labels = [
            "Met Nederlandse achtergrond",
            "Met westerse migratieachtergrond",
            "Met niet-westerse achtergrond",
            "Mannen van 18 tot 30 jaar oud",
            "Vrouwen van 18 tot 30 jaar oud",
            "In de vier grote gemeenten (G4)",
            "Buiten de vier grote gemeenten",
            "Leeftijd onbekend of niet vermeld",
        ];
        let entries = labels.iter().map(|l| ((), *l)).collect();
        let m = metrics(10.5, 469.5);
        // Act
        let (items, top) = place(entries, &m, 330.0).expect("places");
        // Assert
        assert_eq!(items.len(), 8);
        for (i, a) in items.iter().enumerate() {
            assert!(
                a.rect.0 >= m.left && a.rect.2 <= m.right,
                "inside: {:?}",
                a.rect
            );
            assert!(
                a.rect.1 >= top - 1e-9 && a.rect.3 <= 330.0 + 1e-9,
                "{:?}",
                a.rect
            );
            for b in &items[i + 1..] {
                assert!(!overlap(a.rect, b.rect), "{:?} / {:?}", a.rect, b.rect);
            }
        }
        assert!(
            330.0 - top < 8.0 * ROW * 11.5,
            "lower than one entry per row"
        );
    }
}
