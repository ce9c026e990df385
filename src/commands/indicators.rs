//! `congvan indicators [SPEC] [--json]`: the indicator catalogue as a user sees it — key, QĐ 766
//! number, name, aliases (with a spec's `[data.indicator-names]`), direction, default target.

use crate::input::catalogue::{Catalogue, Direction};
use crate::text::numbers;

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::HigherIsBetter => "higher",
        Direction::LowerIsBetter => "lower",
        Direction::Informational => "informational",
    }
}

/// JSON: `[{"key","number","name","aliases":[…],"direction":"higher"|"lower"|"informational",
/// "target":number|null,"unit"}]`, pretty-printed, with a trailing newline.
pub fn render_json(c: &Catalogue) -> String {
    let list: Vec<serde_json::Value> = c
        .indicators
        .iter()
        .map(|i| {
            serde_json::json!({
                "key": i.key,
                "number": i.id,
                "name": i.name,
                "aliases": i.aliases,
                "direction": direction(i.direction),
                "target": i.typical_target,
                "unit": i.unit,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}

/// Plain text: one block per indicator — "number  key  direction  target", then the name and
/// each alias on its own indented line.
pub fn render_table(c: &Catalogue) -> String {
    let wn = c
        .indicators
        .iter()
        .map(|i| i.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(2);
    let wk = c
        .indicators
        .iter()
        .map(|i| i.key.chars().count())
        .max()
        .unwrap_or(0)
        .max(3);
    let mut out = String::new();
    for i in &c.indicators {
        let target = match i.typical_target {
            Some(t) if i.is_rate() => {
                format!("target {}%", numbers::decimal(t, 2, numbers::Whole::Trim))
            }
            Some(t) => format!("target {}", numbers::decimal(t, 2, numbers::Whole::Trim)),
            None => "no target".to_string(),
        };
        out.push_str(&format!(
            "{:wn$}  {:wk$}  {:13}  {target}\n",
            i.id,
            i.key,
            direction(i.direction),
        ));
        out.push_str(&format!("    {}\n", i.name));
        for a in &i.aliases {
            out.push_str(&format!("    = {a}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keys_numbers_aliases_direction_and_target() {
        let c = Catalogue::builtin().unwrap_or_else(|e| panic!("{e}"));
        let t = render_table(&c);
        let line = t
            .lines()
            .find(|l| l.contains(" ty_le_ho_so_truc_tuyen "))
            .unwrap_or_default();
        assert!(line.starts_with("3.3 "), "{line}");
        assert!(
            line.contains("higher") && line.ends_with("target 50%"),
            "{line}"
        );
        assert!(t.contains("    = Tỷ lệ hồ sơ trực tuyến\n"), "{t}");
        assert!(t
            .lines()
            .any(|l| l.contains(" ty_le_qua_han ") && l.contains("lower")));
        let j: serde_json::Value = serde_json::from_str(&render_json(&c)).unwrap_or_default();
        let so_hoa = j
            .as_array()
            .and_then(|a| a.iter().find(|i| i["key"] == "ty_le_so_hoa_ho_so"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(so_hoa["number"], "4.2");
        assert_eq!(so_hoa["target"], 80.0);
        assert_eq!(so_hoa["direction"], "higher");
        assert!(so_hoa["aliases"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "Tỷ lệ số hóa hồ sơ")));
    }
}
