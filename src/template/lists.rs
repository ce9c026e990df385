//! The list grammar: a grouped list of lagging units worded as seed 000 words it ("Sở A 65,52%;
//! các xã thuộc huyện X: B 37,39%, C 45,10%"), as Markdown with every name escaped.

use crate::analysis::{Group, GroupKind};
use crate::markdown::escape::escape;

/// How a list is worded.
#[derive(Debug, Clone)]
pub struct Wording {
    /// Written before local-government units listed by themselves ("UBND ").
    pub prefix: String,
    /// Wrap the whole list in `**…**`.
    pub bold: bool,
    /// Decimals.
    pub precision: usize,
    /// Whole numbers as "60%" or "60,00%".
    pub whole: crate::text::numbers::Whole,
    /// Text when the list is empty.
    pub empty: String,
}

impl Default for Wording {
    fn default() -> Self {
        Wording {
            prefix: String::new(),
            bold: false,
            precision: 2,
            whole: crate::text::numbers::Whole::Trim,
            empty: crate::vocab::wording::wording().lists.empty.clone(),
        }
    }
}

/// The seed's wording of a grouped list, as Markdown (names escaped): groups joined by "; ",
/// units inside a group by ", ".
pub fn word(groups: &[Group], unit: &str, w: &Wording) -> String {
    let of = &crate::vocab::wording::wording().lists.of;
    // Each value prints as its verdict reads (see `Standing::shown_value`).
    let fmt = |i: &crate::analysis::Standing| {
        let v = i.shown_value(w.precision);
        if unit.trim() == "%" {
            crate::text::numbers::percent(v, w.precision, w.whole)
        } else {
            crate::text::numbers::decimal(v, w.precision, w.whole)
        }
    };
    let mut parts: Vec<String> = Vec::new();
    for g in groups {
        let parent = escape(g.parent_name.as_deref().unwrap_or(""));
        match g.kind {
            GroupKind::Units => {
                let items: Vec<String> = g
                    .items
                    .iter()
                    .map(|i| {
                        let prefix = if i.local {
                            escape(&w.prefix)
                        } else {
                            String::new()
                        };
                        format!("{prefix}{} {}", escape(&i.full_name), fmt(i))
                    })
                    .collect();
                parts.push(items.join(", "));
            }
            GroupKind::Aggregate => {
                for i in &g.items {
                    parts.push(format!("{} {of} {parent} {}", escape(&i.kind), fmt(i)));
                }
            }
            GroupKind::Single => {
                for i in &g.items {
                    parts.push(format!("{}, {parent} {}", escape(&i.full_name), fmt(i)));
                }
            }
            GroupKind::Members => {
                let items: Vec<String> = g
                    .items
                    .iter()
                    .map(|i| {
                        let name = if g.mixed { &i.full_name } else { &i.name };
                        format!("{} {}", escape(name), fmt(i))
                    })
                    .collect();
                parts.push(format!(
                    "{} {of} {parent}: {}",
                    escape(&g.members_word),
                    items.join(", ")
                ));
            }
        }
    }
    if parts.is_empty() {
        return escape(&w.empty);
    }
    let text = parts.join("; ");
    if w.bold {
        format!("**{text}**")
    } else {
        text
    }
}
