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
    regular: FontRef<'static>,
    bold: FontRef<'static>,
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
                regular: FontRef::try_from_slice(REGULAR).ok()?,
                bold: FontRef::try_from_slice(BOLD).ok()?,
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
    let font = if bold { &faces.bold } else { &faces.regular };
    let font = font.as_scaled(PxScale::from((em * SIZE_PER_EM) as f32));
    let mut pen = 0f32;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += font.h_advance(id);
        prev = Some(id);
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
    let font = if bold { &faces.bold } else { &faces.regular };
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
