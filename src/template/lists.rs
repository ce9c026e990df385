//! The list grammar: a grouped list of lagging units worded as seed 000 words it ("Sở A 65,52%;
//! các xã thuộc huyện X: B 37,39%, C 45,10%"), by the Tera component `lagging_words` of
//! `templates/lists.md.tera` (compiled in; templates may call it or word lists their own way).

use std::sync::OnceLock;

use serde::Deserialize;
use tera::{Kwargs, State, TeraResult, Value};

use crate::analysis::{Group, Standing};
use crate::markdown::escape::escape;
use crate::text::numbers::{self, Whole};

/// The component file: `{% component lagging_words(groups, prefix, bold, precision, whole,
/// empty) %}`.
pub const COMPONENT: &str = include_str!("../../templates/lists.md.tera");

/// Name under which [`COMPONENT`] is registered (its suffix turns Markdown autoescape on).
pub const COMPONENT_NAME: &str = "lists.md";

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
    pub whole: Whole,
    /// Text when the list is empty.
    pub empty: String,
}

impl Default for Wording {
    fn default() -> Self {
        Wording {
            prefix: String::new(),
            bold: false,
            precision: 2,
            whole: Whole::Trim,
            empty: crate::vocab::wording::wording().lists.empty.clone(),
        }
    }
}

/// Register the list component and the `standing_value` filter it uses on `tera`.
pub fn register(tera: &mut tera::Tera) -> TeraResult<()> {
    tera.register_filter(
        "standing_value",
        |v: Value, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let st = Standing::deserialize(&v).map_err(|e| {
                tera::Error::message(format!("standing_value expects an item of lagging(…): {e}"))
            })?;
            let precision = kwargs.get::<usize>("precision")?.unwrap_or(2).min(6);
            let whole = match kwargs.get::<&str>("whole")? {
                Some("keep") => Whole::Keep,
                _ => Whole::Trim,
            };
            Ok(Value::safe_string(&printed(&st, precision, whole)))
        },
    );
    tera.add_raw_template(COMPONENT_NAME, COMPONENT)
}

/// The value of `st` as a list prints it: as its verdict reads ([`Standing::shown_value`]),
/// as a percentage for "%" (or no) unit, else a decimal.
pub fn printed(st: &Standing, precision: usize, whole: Whole) -> String {
    let v = st.shown_value(precision);
    match st.measure.trim() {
        "%" | "" => numbers::percent(v, precision, whole),
        _ => numbers::decimal(v, precision, whole),
    }
}

/// A Tera engine holding only the list component, built once.
fn engine() -> &'static tera::Tera {
    static ENGINE: OnceLock<tera::Tera> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(|input: &str, out: &mut dyn std::io::Write| {
            out.write_all(escape(input).as_bytes())
        });
        tera.autoescape_on([".md"]);
        // Both are part of the binary and covered by tests; a failure is a build defect.
        register(&mut tera)
            .and_then(|()| {
                tera.add_raw_template(
                    "word.md",
                    "{{ <lagging_words groups={groups} prefix={prefix} bold={bold} precision={precision} whole={whole} empty={empty} /> }}",
                )
            })
            .unwrap_or_else(|e| panic!("templates/lists.md.tera compiled into congvan is invalid: {e}"));
        tera
    })
}

/// The seed's wording of a grouped list, as Markdown (names escaped): groups joined by "; ",
/// units inside a group by ", "; the values of items whose unit of measure is not given print
/// in `unit`.
pub fn word(groups: &[Group], unit: &str, w: &Wording) -> Result<String, String> {
    let mut groups = groups.to_vec();
    for st in groups.iter_mut().flat_map(|g| g.items.iter_mut()) {
        if st.measure.is_empty() {
            st.measure = unit.to_string();
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert("groups", &groups);
    ctx.insert("prefix", &w.prefix);
    ctx.insert("bold", &w.bold);
    ctx.insert("precision", &w.precision);
    ctx.insert(
        "whole",
        match w.whole {
            Whole::Trim => "trim",
            Whole::Keep => "keep",
        },
    );
    ctx.insert("empty", &w.empty);
    engine()
        .render("word.md", &ctx)
        .map_err(|e| format!("the list grammar (templates/lists.md.tera) failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups as `lagging(…)` gives them, written as JSON.
    fn groups() -> Vec<Group> {
        let item = |id: &str, full: &str, name: &str, local: bool, v: f64, agg: bool| {
            serde_json::json!({"id": id, "name": name, "full_name": full, "kind": "", "local": local,
                "parent_id": null, "parent_name": null, "bloc": "", "value": v, "target": 90.0,
                "gap": 90.0 - v, "previous": null, "aggregate": agg, "lagging": true,
                "direction": "higher_is_better", "measure": "%"})
        };
        let json = serde_json::json!([
            {"kind": "units", "parent_id": null, "parent_name": null, "members_word": "", "mixed": false,
             "items": [item("a", "Sở A*B", "Sở A*B", false, 65.52, false), item("q", "quận Lê Chân", "Lê Chân", true, 89.996_1, false)]},
            {"kind": "aggregate", "parent_id": "h", "parent_name": "huyện An Lão", "members_word": "cấp xã", "mixed": false,
             "items": [item("h/cap-xa", "cấp xã thuộc huyện An Lão", "An Lão", true, 54.75, true)]},
            {"kind": "single", "parent_id": "h", "parent_name": "huyện An Dương", "members_word": "xã", "mixed": false,
             "items": [item("x", "xã Quốc Tuấn", "Quốc Tuấn", true, 61.22, false)]},
            {"kind": "members", "parent_id": "t", "parent_name": "huyện Thủy Nguyên", "members_word": "các xã", "mixed": false,
             "heading": "các xã thuộc huyện Thủy Nguyên",
             "items": [item("k", "xã Kiền Bái", "Kiền Bái", true, 37.39, false), item("p", "xã Phả Lễ", "Phả Lễ", true, 60.0, false)]},
        ]);
        serde_json::from_value(json).unwrap_or_default()
    }

    #[test]
    fn the_component_words_every_group_kind_as_the_seed() {
        let w = Wording {
            prefix: "UBND ".into(),
            bold: true,
            ..Wording::default()
        };
        assert_eq!(
            word(&groups(), "%", &w).as_deref(),
            Ok("**Sở A\\*B 65,52%, UBND quận Lê Chân 89,99%; cấp xã thuộc huyện An Lão 54,75%; xã Quốc Tuấn, huyện An Dương 61,22%; các xã thuộc huyện Thủy Nguyên: Kiền Bái 37,39%, Phả Lễ 60%**")
        );
        assert_eq!(word(&[], "%", &w).as_deref(), Ok("không có"));
    }

    #[test]
    fn a_template_calls_the_component_or_its_own() {
        let mut engine = crate::template::Engine::new();
        let mut ctx = tera::Context::new();
        ctx.insert("groups", &groups()[..1]);
        let out = engine.render(
            std::path::Path::new("t.md.tera"),
            "{{ <lagging_words groups={groups} precision={0} /> }} | {% component mine(groups) %}{% for i in groups[0].items %}[{{ i.name }} {{ i | standing_value(precision=1) }}]{% endfor %}{% endcomponent mine %}{{ <mine groups={groups} /> }}",
            &ctx,
        );
        assert_eq!(
            out.as_deref().ok(),
            Some("Sở A\\*B 66%, quận Lê Chân 89% | [Sở A\\*B 65,5%][Lê Chân 89,9%]")
        );
    }
}
