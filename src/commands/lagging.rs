//! `congvan lagging [SPEC] [--json]`: the lagging lists as a terminal table, or JSON for CI.
//! Both list every unit below target and every commune-level aggregate below target, in
//! catalogue order of indicators, then registry order.

use crate::text::numbers::round6 as round;
use serde::Serialize;

use crate::analysis::Facts;
use crate::text::numbers::{self, Whole};

/// One lagging unit or aggregate.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Unit id ("<parent id>/cap-xa" for an aggregate).
    pub unit_id: String,
    /// Name with kind.
    pub name: String,
    /// Parent id.
    pub parent: Option<String>,
    /// Bloc.
    pub bloc: String,
    /// Indicator key.
    pub indicator: String,
    /// Value.
    pub value: f64,
    /// Target.
    pub target: Option<f64>,
    /// Shortfall (positive: how far from the target).
    pub gap: Option<f64>,
    /// Whether this is a commune-level aggregate.
    pub aggregate: bool,
}

/// Every lagging unit and aggregate, stable order.
pub fn rows(facts: &Facts) -> Vec<Row> {
    let mut out = Vec::new();
    for ind in &facts.indicators {
        for e in ind.entries.iter().filter(|e| e.lagging) {
            let u = &facts.units[e.unit];
            out.push(Row {
                unit_id: u.id.clone(),
                name: u.full_name.clone(),
                parent: u.parent_id.clone(),
                bloc: u.bloc.clone(),
                indicator: ind.key.clone(),
                value: round(e.value),
                target: e.target,
                gap: e.gap.map(round),
                aggregate: false,
            });
        }
        for a in ind.aggregates.iter().filter(|a| a.lagging) {
            let label = facts.aggregate_label(a);
            out.push(Row {
                unit_id: label.id,
                name: label.full_name,
                parent: Some(a.parent_id.clone()),
                bloc: label.bloc,
                indicator: ind.key.clone(),
                value: round(a.value.unwrap_or(0.0)),
                target: a.target,
                gap: a.gap.map(round),
                aggregate: true,
            });
        }
    }
    out
}

/// JSON array of [`Row`]s, pretty-printed, with a trailing newline.
pub fn render_json(facts: &Facts) -> String {
    let mut s = serde_json::to_string_pretty(&rows(facts)).unwrap_or_else(|_| "[]".to_string());
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
                r.name.clone(),
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
