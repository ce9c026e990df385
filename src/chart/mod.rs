//! The phụ lục's bar charts: one indicator's standings → PNG images (a horizontal bar per unit,
//! the target line, lagging bars dark), drawn with the shipped Liberation Serif; never files.
//!
//! Geometry: [`DPI`] dots per inch at the text width of an A4 page with NĐ 30's margins
//! ([`WIDTH_MM`]); one row per unit ([`ROW_MM`]), so the height grows with the units; more
//! than [`MAX_ROWS`] units are split into parts of equal size, each at most one page high.
//! Black-and-white print: lagging bars near black, the others light grey with a dark outline
//! (white when the unit has no target to be judged against),
//! the target a dashed black line (or a black mark per row when targets differ by unit), a
//! legend above the bars and the value at the end of each bar with a decimal comma ("37,39").
//! Bytes are reproducible: no clock, no system font, the PNG encoded here (8-bit grey).

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle};

use crate::analysis::Facts;
use crate::doc::Image;
use crate::input::catalogue::Direction;
use crate::text::numbers::{self, Whole};

/// Dots per inch of the PNG (print quality at the size it is shown).
pub const DPI: f32 = 180.0;
/// Width of a chart as printed, in millimetres: the text block of A4 with margins 30 + 15 mm.
pub const WIDTH_MM: f32 = 165.0;
/// Height of one unit's row, in millimetres.
pub const ROW_MM: f32 = 5.0;
/// Most units in one chart (40 rows ≈ 20 cm, with legend and axis under one A4 text page).
pub const MAX_ROWS: usize = 40;

/// The family name the shipped font is registered under (plotters' font registry).
const FAMILY: &str = "congvan-serif";
/// Liberation Serif 2.1.5 (SIL OFL 1.1, `data/fonts/LICENSE.txt`): Vietnamese glyphs.
const FONT_REGULAR: &[u8] = include_bytes!("../../data/fonts/LiberationSerif-Regular.ttf");
/// Its bold face, for the names of lagging units.
const FONT_BOLD: &[u8] = include_bytes!("../../data/fonts/LiberationSerif-Bold.ttf");

/// Grey levels (0 black – 255 white).
const LAGGING_FILL: u8 = 64;
const PASSING_FILL: u8 = 205;
/// A bar without a target (or of an informational indicator): white, outlined.
const UNJUDGED_FILL: u8 = 255;
const GRID: u8 = 222;

/// One bar: a unit's name, value and target, and whether it lags.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The unit's full name, NFC ("UBND huyện Thủy Nguyên").
    pub label: String,
    /// Its value, in the indicator's unit (percent for rates).
    pub value: f64,
    /// The target that applies to it, if any.
    pub target: Option<f64>,
    /// It misses its target (drawn dark, its name bold).
    pub lagging: bool,
    /// It has a target it is judged against: false without a target, or on an informational
    /// indicator (drawn white, neither "Chưa đạt" nor "Đạt chỉ tiêu").
    pub judged: bool,
}

/// What one chart shows: the indicator's name and unit, and the bars in the table's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The indicator's name (in the alt text).
    pub name: String,
    /// Its unit of measure ("%": the axis runs 0–100 unless a value exceeds it).
    pub unit: String,
    /// One bar per unit, top to bottom.
    pub bars: Vec<Bar>,
}

/// The chart of indicator `key` (catalogue key or QĐ 766 number): every unit with a value,
/// in the order of the phụ lục's table ([`Facts::sorted_entries`]).
/// Errors: no data for the indicator, or no unit with a value (nothing to chart).
pub fn of_indicator(facts: &Facts, key: &str) -> Result<Chart, String> {
    let ind = facts.indicator(key).ok_or_else(|| {
        let keys: Vec<&str> = facts.indicators.iter().map(|i| i.key.as_str()).collect();
        format!(
            "no data for indicator \"{key}\" to chart; indicators with data: {}",
            if keys.is_empty() {
                "none".to_string()
            } else {
                keys.join(", ")
            }
        )
    })?;
    let labels = facts.distinct_names();
    let bars: Vec<Bar> = facts
        .sorted_entries(ind)
        .into_iter()
        .filter(|e| e.value.is_finite())
        .map(|e| Bar {
            label: labels.get(e.unit).cloned().unwrap_or_else(|| e.id.clone()),
            value: e.value,
            target: e.target,
            lagging: e.lagging,
            judged: e.target.is_some() && ind.direction != Direction::Informational,
        })
        .collect();
    if bars.is_empty() {
        return Err(format!(
            "indicator \"{}\" has no unit with a value: no standings to chart",
            ind.key
        ));
    }
    Ok(Chart {
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        bars,
    })
}

/// The words of a chart (legend, axis, alt text), from `data/wording.toml` `[chart]`.
fn words() -> &'static crate::vocab::wording::ChartWords {
    &crate::vocab::wording::wording().chart
}

/// Register the shipped faces once; plotters keeps them for the process.
fn fonts() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, FONT_REGULAR)
            .and_then(|()| register_font(FAMILY, FontStyle::Bold, FONT_BOLD))
            .map_err(|_| "the chart font compiled into congvan cannot be read".to_string())
    })
    .clone()
}

/// Millimetres to pixels at [`DPI`].
fn px(mm: f32) -> i32 {
    (mm / 25.4 * DPI).round() as i32
}

/// The parts of `n` rows: at most [`MAX_ROWS`] each, as equal as can be (45 → 23 + 22).
pub fn parts(n: usize) -> Vec<std::ops::Range<usize>> {
    let count = n.div_ceil(MAX_ROWS).max(1);
    let base = n / count;
    let extra = n % count;
    let mut out = Vec::with_capacity(count);
    let mut start = 0;
    for i in 0..count {
        let len = base + usize::from(i < extra);
        out.push(start..start + len);
        start += len;
    }
    out
}

/// Draw `chart` as one PNG image per part (see [`parts`]), each [`WIDTH_MM`] wide.
/// Errors: the chart has no bars, or drawing failed (a message for the template's error).
pub fn draw(chart: &Chart) -> Result<Vec<Image>, String> {
    if chart.bars.is_empty() {
        return Err(format!("no unit to chart for \"{}\"", chart.name));
    }
    fonts()?;
    let scale = Scale::of(chart);
    let ranges = parts(chart.bars.len());
    let total = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, range)| {
            let bars = &chart.bars[range];
            let png = draw_part(chart, bars, &scale)?;
            let alt = if total > 1 {
                format!("{} {} ({}/{})", words().alt, chart.name, i + 1, total)
            } else {
                format!("{} {}", words().alt, chart.name)
            };
            let (w, h) = png.1;
            Ok(Image {
                png: png.0,
                alt: crate::text::nfc(&alt).into_owned(),
                // Exactly the text width; the height in proportion to the pixels.
                width_mm: WIDTH_MM,
                height_mm: WIDTH_MM * h as f32 / w as f32,
                file: String::new(),
            })
        })
        .collect()
}

/// The value axis shared by every part of a chart: its range and tick step.
#[derive(Debug, Clone, Copy)]
struct Scale {
    min: f64,
    max: f64,
    step: f64,
    /// Every bar has the same target: one dashed line for all.
    common_target: Option<f64>,
    /// Some bar has a target.
    any_target: bool,
}

impl Scale {
    fn of(chart: &Chart) -> Scale {
        let values = chart
            .bars
            .iter()
            .flat_map(|b| std::iter::once(b.value).chain(b.target));
        let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let percent = chart.unit.trim() == "%";
        let hi = if percent && hi <= 100.0 && lo >= 0.0 {
            100.0
        } else {
            hi
        };
        // About five ticks; labels print 2 decimals, so never closer than 0,01, and all values
        // equal (all 0) get an axis of 1.
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let step = nice_step(((hi - lo) / 5.0).max(0.01));
        let min = (lo / step).floor() * step;
        let max = ((hi / step).ceil() * step).max(min + step);
        let first = chart.bars[0].target;
        let common_target = first.filter(|t| chart.bars.iter().all(|b| b.target == Some(*t)));
        Scale {
            min,
            max,
            step,
            common_target,
            any_target: chart.bars.iter().any(|b| b.target.is_some()),
        }
    }
}

/// 1, 2 or 5 × 10^k, the smallest at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let exp = raw.log10().floor();
    let base = 10f64.powf(exp);
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * base)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * base)
}

/// A number as Vietnamese print writes it: decimal comma, at most 2 decimals, whole numbers
/// without ",00" ("37,39", "60").
fn number(v: f64) -> String {
    numbers::decimal(v, 2, Whole::Trim)
}

/// Text sizes in pixels (ab_glyph's scale: ascent − descent; 27 px ≈ 9,5 pt at 180 dpi).
const LABEL_PX: f64 = 27.0;
const SMALL_PX: f64 = 25.0;

/// The drawing of one part: (PNG bytes, (width, height) in pixels).
fn draw_part(chart: &Chart, bars: &[Bar], scale: &Scale) -> Result<(Vec<u8>, (u32, u32)), String> {
    let width = px(WIDTH_MM);
    let row = px(ROW_MM);
    let pad = px(2.0);
    let legend_h = px(8.0);
    let axis_h = px(13.0);
    let height = legend_h + row * bars.len() as i32 + axis_h + pad;
    let (w, h) = (width as u32, height as u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    let err = |e: &dyn std::fmt::Display| format!("cannot draw the chart of {}: {e}", chart.name);
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let regular = TextStyle::from((FAMILY, LABEL_PX).into_font()).color(&BLACK);
        // (FontDesc::style keeps the regular face's glyphs: the face is chosen when built.)
        let bold = TextStyle::from((FAMILY, LABEL_PX, FontStyle::Bold).into_font()).color(&BLACK);
        let small = TextStyle::from((FAMILY, SMALL_PX).into_font()).color(&BLACK);
        let measure = |text: &str, font: &TextStyle| -> i32 {
            root.estimate_text_size(text, font)
                .map_or(0, |(w, _)| w as i32)
        };
        // Label column: as wide as the longest name, at most 42% of the width.
        let label_max = (width as f32 * 0.42) as i32;
        let label_w = bars
            .iter()
            .map(|b| measure(&b.label, if b.lagging { &bold } else { &regular }))
            .max()
            .unwrap_or(0)
            .min(label_max);
        // Room after the axis for the widest value ("100,00" at least, "2.000.000" a count).
        let value_room = chart
            .bars
            .iter()
            .map(|b| measure(&number(b.value), &small))
            .fold(measure("100,00", &small), i32::max)
            + px(2.0);
        let x0 = pad + label_w + px(2.0);
        let x1 = width - pad - value_room;
        let y0 = legend_h;
        let y1 = legend_h + row * bars.len() as i32;
        let x_of = |v: f64| -> i32 {
            let t = (v - scale.min) / (scale.max - scale.min);
            x0 + ((x1 - x0) as f64 * t).round() as i32
        };
        let grey = |g: u8| RGBColor(g, g, g);
        // plotters centres a line on its glyphs' box, accents included: lowered a little, the
        // letters sit on the middle of their bar.
        let drop = px(0.4);

        // Grid and ticks.
        let mut v = scale.min;
        while v <= scale.max + scale.step * 1e-6 {
            let x = x_of(v);
            root.draw(&PathElement::new(vec![(x, y0), (x, y1)], grey(GRID)))
                .map_err(|e| err(&e))?;
            root.draw(&PathElement::new(vec![(x, y1), (x, y1 + px(1.0))], BLACK))
                .map_err(|e| err(&e))?;
            root.draw(&Text::new(
                number(v),
                (x, y1 + px(1.5)),
                small.pos(Pos::new(HPos::Center, VPos::Top)),
            ))
            .map_err(|e| err(&e))?;
            v += scale.step;
        }
        // Axis title, a line below the tick labels (never on them).
        let title = if chart.unit.trim() == "%" {
            words().percent_axis.clone()
        } else {
            format!("{} ({})", words().value_axis, chart.unit.trim())
        };
        root.draw(&Text::new(
            title,
            ((x0 + x1) / 2, y1 + px(7.0)),
            regular.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| err(&e))?;

        // Names as they fit: cut at the end, or in the middle when cutting at the end would
        // print two different units the same ("… Đặc biệt 1", "… Đặc biệt 2").
        let font_of = |b: &Bar| if b.lagging { &bold } else { &regular };
        let mut labels: Vec<String> = bars
            .iter()
            .map(|b| fit(&b.label, label_w, font_of(b), &measure, false))
            .collect();
        let shared = |labels: &[String], i: usize| {
            labels
                .iter()
                .zip(bars)
                .enumerate()
                .any(|(j, (l, b))| j != i && *l == labels[i] && b.label != bars[i].label)
        };
        let twins: Vec<usize> = (0..bars.len()).filter(|&i| shared(&labels, i)).collect();
        for i in twins {
            labels[i] = fit(&bars[i].label, label_w, font_of(&bars[i]), &measure, true);
        }

        // Bars, names and values.
        let bar_h = (row as f32 * 0.68).round() as i32;
        for (i, b) in bars.iter().enumerate() {
            let top = y0 + row * i as i32 + (row - bar_h) / 2;
            let bottom = top + bar_h;
            let (a, z) = (
                x_of(scale.min.max(0.0).min(b.value)),
                x_of(b.value.max(0.0).max(scale.min)),
            );
            let fill = if !b.judged {
                UNJUDGED_FILL
            } else if b.lagging {
                LAGGING_FILL
            } else {
                PASSING_FILL
            };
            root.draw(&Rectangle::new(
                [(a, top), (z, bottom)],
                grey(fill).filled(),
            ))
            .map_err(|e| err(&e))?;
            root.draw(&Rectangle::new(
                [(a, top), (z, bottom)],
                BLACK.stroke_width(1),
            ))
            .map_err(|e| err(&e))?;
            let font = if b.lagging { &bold } else { &regular };
            let label = labels[i].clone();
            let mid = top + bar_h / 2;
            root.draw(&Text::new(
                label,
                (x0 - px(1.5), mid + drop),
                font.pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(|e| err(&e))?;
            // The value after the bar end, or after the target mark when it would cross it.
            let text = number(b.value);
            let mut at = z.max(a) + px(1.0);
            if let Some(t) = scale.common_target.or(b.target) {
                let mark = x_of(t);
                if mark >= at - px(0.5) && mark <= at + measure(&text, &small) {
                    at = mark + px(1.2);
                }
            }
            root.draw(&Text::new(
                text,
                (at, mid + drop),
                small.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| err(&e))?;
            // A unit's own target: a black mark across its row.
            if scale.common_target.is_none() {
                if let Some(t) = b.target {
                    let x = x_of(t);
                    let (t0, t1) = (top - px(0.6), bottom + px(0.6));
                    root.draw(&Rectangle::new([(x - 2, t0), (x + 2, t1)], BLACK.filled()))
                        .map_err(|e| err(&e))?;
                }
            }
        }
        // Value axis line.
        root.draw(&PathElement::new(vec![(x0, y1), (x1, y1)], BLACK))
            .map_err(|e| err(&e))?;
        root.draw(&PathElement::new(vec![(x0, y0), (x0, y1)], BLACK))
            .map_err(|e| err(&e))?;
        // The common target: a dashed line over the bars.
        if let Some(t) = scale.common_target {
            let x = x_of(t);
            dashed(&root, x, y0 - px(1.0), y1).map_err(|e| err(&e))?;
        }

        // Legend, top left of the bars; further left when long names would push it past
        // the right edge.
        let lw = px(6.0);
        let lh = (legend_h as f32 * 0.4) as i32;
        let ly = (legend_h - lh) / 2 - px(0.5);
        // The verdict boxes only when some unit is judged against a target, "no target" only
        // beside them (a chart where no unit has a target claims no verdict at all).
        let judged = chart.bars.iter().any(|b| b.judged);
        let unjudged = judged && chart.bars.iter().any(|b| !b.judged);
        let boxes: Vec<(u8, &str)> = [
            (LAGGING_FILL, words().lagging.as_str(), judged),
            (PASSING_FILL, words().passing.as_str(), judged),
            (UNJUDGED_FILL, words().no_target.as_str(), unjudged),
        ]
        .into_iter()
        .filter(|b| b.2)
        .map(|(fill, text, _)| (fill, text))
        .collect();
        let target_entry = match scale.common_target {
            Some(t) => {
                let unit = if chart.unit.trim() == "%" { "%" } else { "" };
                Some(format!("{} {}{unit}", words().target, number(t)))
            }
            None if scale.any_target => Some(words().unit_target.clone()),
            None => None,
        };
        let advance = |text: &str| lw + px(1.5) + measure(text, &small) + px(5.0);
        let legend_w = boxes.iter().map(|(_, t)| advance(t)).sum::<i32>()
            + target_entry.as_deref().map_or(0, advance)
            - px(5.0);
        let mut x = x0.min(width - pad - legend_w).max(pad);
        let entry = |x: &mut i32, text: &str| -> Result<(), String> {
            root.draw(&Text::new(
                text.to_string(),
                (*x + lw + px(1.5), ly + lh / 2 + drop),
                small.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| err(&e))?;
            *x += advance(text);
            Ok(())
        };
        for (fill, text) in boxes {
            root.draw(&Rectangle::new(
                [(x, ly), (x + lw, ly + lh)],
                grey(fill).filled(),
            ))
            .map_err(|e| err(&e))?;
            root.draw(&Rectangle::new(
                [(x, ly), (x + lw, ly + lh)],
                BLACK.stroke_width(1),
            ))
            .map_err(|e| err(&e))?;
            entry(&mut x, text)?;
        }
        if let Some(text) = target_entry {
            let mid = x + lw / 2;
            if scale.common_target.is_some() {
                dashed(&root, mid, ly - px(0.5), ly + lh + px(0.5)).map_err(|e| err(&e))?;
            } else {
                root.draw(&Rectangle::new(
                    [(mid - 2, ly - px(0.5)), (mid + 2, ly + lh + px(0.5))],
                    BLACK.filled(),
                ))
                .map_err(|e| err(&e))?;
            }
            entry(&mut x, &text)?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    // Every colour drawn is a grey (r = g = b): to 8-bit grey, by the image crate (built
    // optimised; its luma of a grey is that grey).
    let rgb = image::RgbImage::from_raw(w, h, buf)
        .ok_or_else(|| format!("cannot draw the chart of {}: buffer size", chart.name))?;
    let grey = image::DynamicImage::ImageRgb8(rgb).into_luma8();
    Ok((encode(grey.as_raw(), w, h)?, (w, h)))
}

/// A vertical dashed line at `x` from `top` to `bottom`, 3 px wide.
fn dashed<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    x: i32,
    top: i32,
    bottom: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (dash, gap) = (px(2.0), px(1.2));
    let mut y = top;
    while y < bottom {
        let end = (y + dash).min(bottom);
        root.draw(&Rectangle::new([(x - 1, y), (x + 1, end)], BLACK.filled()))?;
        y = end + gap;
    }
    Ok(())
}

/// `label` as it fits in `room` pixels: whole, else cut with "…" (the table above names it
/// in full): its end cut off, or with `middle` its middle, keeping its start and its end.
fn fit(
    label: &str,
    room: i32,
    font: &TextStyle,
    measure: &dyn Fn(&str, &TextStyle) -> i32,
    middle: bool,
) -> String {
    if measure(label, font) <= room {
        return label.to_string();
    }
    let chars: Vec<char> = label.chars().collect();
    let mut n = chars.len();
    while n > 1 {
        n -= 1;
        let head: String = chars[..n - if middle { n / 2 } else { 0 }].iter().collect();
        let tail: String = chars[chars.len() - if middle { n / 2 } else { 0 }..]
            .iter()
            .collect();
        let cut = format!("{}…{}", head.trim_end(), tail.trim_start());
        if measure(&cut, font) <= room {
            return cut;
        }
    }
    "…".to_string()
}

/// 8-bit grey PNG of `pixels` (row-major, `w` × `h`), deterministic: no time, no metadata.
fn encode(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
        .write_image(pixels, w, h, image::ExtendedColorType::L8)
        .map_err(|e| format!("cannot encode the chart as PNG: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests;
