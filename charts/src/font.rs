//! The embedded DejaVu Sans: registration with plotters, measuring, and drawing PNG text.
//!
//! PNG text is rasterised here with ab_glyph at sub-pixel pen positions: plotters rounds every
//! glyph to whole pixels, which makes letter spacing visibly uneven at chart text sizes.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters::style::FontStyle;

use crate::ChartError;

/// DejaVu Sans (Bitstream Vera licence, see `assets/DejaVu-LICENSE.txt`).
static REGULAR: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
/// DejaVu Sans Bold.
static BOLD: &[u8] = include_bytes!("../assets/DejaVuSans-Bold.ttf");

/// ab_glyph scales a font so that ascent − descent equals the requested size; DejaVu Sans has
/// (1901 + 483) / 2048 em between them. Multiplying an em size by this gives that size.
const SIZE_PER_EM: f64 = 2384.0 / 2048.0;

struct Faces {
    regular: Face,
    bold: Face,
}

/// Characters whose glyph, advance and kerning are looked up once, when the font is loaded:
/// ASCII and Latin-1, nearly all chart text. Others are looked up in the font each time.
const TABLE_CHARS: usize = 256;

/// A face with its lookups for `TABLE_CHARS` done once (the font's `kern` table is searched on
/// every lookup, and text is measured many times per chart).
struct Face {
    font: FontRef<'static>,
    glyphs: Vec<GlyphId>,
    /// Unscaled advance per table char.
    advances: Vec<f32>,
    /// Unscaled kerning of each ordered pair of table chars, `TABLE_CHARS * first + second`.
    kerning: Vec<f32>,
}

impl Face {
    fn new(data: &'static [u8]) -> Option<Self> {
        let font = FontRef::try_from_slice(data).ok()?;
        let glyphs: Vec<GlyphId> = (0..TABLE_CHARS as u32)
            .map(|c| font.glyph_id(char::from_u32(c).unwrap_or(' ')))
            .collect();
        let advances = glyphs.iter().map(|&g| font.h_advance_unscaled(g)).collect();
        let kerning = glyphs
            .iter()
            .flat_map(|&a| glyphs.iter().map(move |&b| (a, b)))
            .map(|(a, b)| font.kern_unscaled(a, b))
            .collect();
        Some(Self {
            font,
            glyphs,
            advances,
            kerning,
        })
    }

    /// The glyph of `c` and, for a table char, its index in the tables.
    fn glyph(&self, c: char) -> (GlyphId, Option<usize>) {
        let i = c as usize;
        match self.glyphs.get(i) {
            Some(&g) => (g, Some(i)),
            None => (self.font.glyph_id(c), None),
        }
    }

    fn advance(&self, (g, i): (GlyphId, Option<usize>)) -> f32 {
        i.map_or_else(|| self.font.h_advance_unscaled(g), |i| self.advances[i])
    }

    fn kern(&self, (a, ia): (GlyphId, Option<usize>), (b, ib): (GlyphId, Option<usize>)) -> f32 {
        match (ia, ib) {
            (Some(ia), Some(ib)) => self.kerning[ia * TABLE_CHARS + ib],
            _ => self.font.kern_unscaled(a, b),
        }
    }
}

/// The parsed faces; the first call also registers them as plotters' "sans-serif" family, so
/// plotters never looks for a system font either.
fn faces() -> Result<&'static Faces, ChartError> {
    static FACES: OnceLock<Option<Faces>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let register = plotters::style::register_font;
            let registered = register("sans-serif", FontStyle::Normal, REGULAR).is_ok()
                && register("sans-serif", FontStyle::Bold, BOLD).is_ok();
            let faces = Faces {
                regular: Face::new(REGULAR)?,
                bold: Face::new(BOLD)?,
            };
            registered.then_some(faces)
        })
        .as_ref()
        .ok_or_else(|| ChartError::Draw("the embedded font could not be loaded".into()))
}

/// Makes sure the fonts are loaded and registered.
pub(crate) fn init() -> Result<(), ChartError> {
    faces().map(|_| ())
}

/// Glyphs of `text` with their pen offsets (kerned), and the advance of the whole text.
fn shape(text: &str, em: f64, bold: bool) -> Result<(Vec<(GlyphId, f32)>, f64), ChartError> {
    let faces = faces()?;
    let face = if bold { &faces.bold } else { &faces.regular };
    let scale = face
        .font
        .as_scaled(PxScale::from((em * SIZE_PER_EM) as f32))
        .h_scale_factor();
    let mut pen = 0f32;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let glyph = face.glyph(c);
        if let Some(p) = prev {
            pen += face.kern(p, glyph) * scale;
        }
        glyphs.push((glyph.0, pen));
        pen += face.advance(glyph) * scale;
        prev = Some(glyph);
    }
    Ok((glyphs, f64::from(pen)))
}

/// Width of `text` in pixels at `em` pixels per em.
pub(crate) fn width(text: &str, em: f64, bold: bool) -> Result<f64, ChartError> {
    shape(text, em, bold).map(|(_, w)| w)
}

/// Rasterises `text` starting at `x` on `baseline`; calls `put(x, y, coverage)` per pixel.
pub(crate) fn rasterize(
    text: &str,
    (x, baseline): (f64, f64),
    em: f64,
    bold: bool,
    mut put: impl FnMut(i32, i32, f32),
) -> Result<(), ChartError> {
    let (glyphs, _) = shape(text, em, bold)?;
    let faces = faces()?;
    let font = if bold {
        &faces.bold.font
    } else {
        &faces.regular.font
    };
    let scale = PxScale::from((em * SIZE_PER_EM) as f32);
    for (id, pen) in glyphs {
        let glyph = id.with_scale_and_position(scale, point(x as f32 + pen, baseline as f32));
        if let Some(outline) = font.outline_glyph(glyph) {
            let min = outline.px_bounds().min;
            outline.draw(|gx, gy, c| put(min.x as i32 + gx as i32, min.y as i32 + gy as i32, c));
        }
    }
    Ok(())
}
