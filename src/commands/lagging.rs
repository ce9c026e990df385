//! `congvan lagging [SPEC] [--json]`: the lagging lists as a terminal table, or JSON for CI.
//! Both list every unit below target and every commune-level aggregate below target, in
//! catalogue order of indicators, then registry order.

use crate::text::numbers::round6 as round;

use serde_json::json;

use crate::analysis::{Facts, Fields, Standing};
use crate::text::numbers::{self, Whole};

/// Every lagging unit and aggregate, stable order: catalogue order of indicators, then units
/// (registry order), then aggregates.
pub fn rows(facts: &Facts) -> Vec<Standing> {
    facts
        .indicators
        .iter()
        .flat_map(|ind| facts.standings(ind))
        .filter(|s| s.lagging)
        .collect()
}

/// The JSON of one row: `unit_id`, `name` (with kind), `parent` (id), `bloc`, `indicator`,
/// `value`, `target`, `gap` (rounded to 6 decimals), `aggregate`.
fn json_row(s: &Standing) -> Fields {
    Fields(vec![
        ("unit_id", json!(s.id)),
        ("name", json!(s.full_name)),
        ("parent", json!(s.parent_id)),
        ("bloc", json!(s.bloc)),
        ("indicator", json!(s.indicator)),
        ("value", json!(round(s.value))),
        ("target", json!(s.target)),
        ("gap", json!(s.gap.map(round))),
        ("aggregate", json!(s.aggregate)),
    ])
}

/// JSON array of rows (see [`json_row`]), pretty-printed, with a trailing newline.
pub fn render_json(facts: &Facts) -> String {
    let rows: Vec<Fields> = rows(facts).iter().map(json_row).collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}

/// A plain-text table for a terminal: indicator, bloc, unit, value, target, gap.
pub fn render_table(facts: &Facts) -> String {
    let rows = rows(facts);
    if rows.is_empty() {
        return "no unit is below its target\n".to_string();
    }
    let pct =
        |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| numbers::decimal(v, 2, Whole::Keep));
    let header = ["indicator", "bloc", "unit", "value", "target", "gap"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.indicator.clone(),
                r.bloc.clone(),
                r.full_name.clone(),
                pct(Some(r.value)),
                pct(r.target),
                pct(r.gap),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for c in &cells {
        for (w, s) in widths.iter_mut().zip(c.iter()) {
            *w = (*w).max(s.chars().count());
        }
    }
    let line = |c: &[String]| -> String {
        let mut s = String::new();
        for (i, (cell, w)) in c.iter().zip(widths.iter()).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            if i >= 3 {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i < 5 {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i < 5 {
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(&header.map(String::from));
    out.push('\n');
    out.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    out.push('\n');
    for c in &cells {
        out.push_str(&line(c));
        out.push('\n');
    }
    out.push_str(&format!("{} lagging\n", rows.len()));
    out
}
