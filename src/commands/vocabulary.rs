//! `congvan vocabulary [SPEC] [--json]`: the unit kinds, blocs and column names congvan reads
//! registries and values files with (`data/vocabulary.toml` plus a spec's `[vocabulary]`).

use crate::vocab::vocabulary::{Level, Vocabulary};

/// JSON: `{"kinds":[{"word","codes","level","local","bloc","aggregate"?}],"blocs":[{"label","codes"}],
/// "columns":{"id":[…],"name":[…],"parent","indicator","value","numerator","denominator","ignored",
/// "target","totals"}}`, pretty-printed, with a trailing newline.
pub fn render_json(v: &Vocabulary) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// A plain-text listing: one kind a line (word, codes, level, UBND, bloc), then the blocs, then
/// the column names of values files.
pub fn render_table(v: &Vocabulary) -> String {
    let level = |l: Level| match l {
        Level::Agency => "agency",
        Level::Province => "province",
        Level::District => "district",
        Level::Commune => "commune",
    };
    let rows: Vec<[String; 5]> = v
        .kinds
        .iter()
        .map(|k| {
            [
                k.word.clone(),
                k.codes.join(", "),
                level(k.level).to_string(),
                if k.local { "UBND" } else { "" }.to_string(),
                v.bloc_label(&k.bloc),
            ]
        })
        .collect();
    let header = ["kind", "codes", "level", "local", "bloc"].map(String::from);
    let mut widths = header.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |r: &[String; 5]| {
        let cells: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        cells.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(&header);
    for r in &rows {
        out.push_str(&line(r));
    }
    let w = v
        .blocs
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let pad = |s: &str| format!("{s}{}", " ".repeat(w - s.chars().count()));
    out.push_str(&format!("\n{}  codes\n", pad("bloc")));
    for b in &v.blocs {
        out.push_str(&format!("{}  {}\n", pad(&b.label), b.codes.join(", ")));
    }
    let c = &v.columns;
    let columns = [
        ("id", &c.id),
        ("name", &c.name),
        ("parent", &c.parent),
        ("indicator", &c.indicator),
        ("value", &c.value),
        ("numerator", &c.numerator),
        ("denominator", &c.denominator),
        ("target", &c.target),
        ("ignored", &c.ignored),
        ("totals", &c.totals),
    ];
    out.push_str("\ncolumn       names (headers of values files, matched folded)\n");
    for (column, names) in columns {
        out.push_str(&format!("{column:<11}  {}\n", names.join("; ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_kind_with_its_codes_and_every_bloc() {
        let v = Vocabulary::builtin();
        let t = render_table(v);
        assert!(
            t.lines().any(|l| l.starts_with("quận")
                && l.contains("quan")
                && l.contains("district")
                && l.contains("UBND")
                && l.ends_with("Khối địa phương")),
            "{t}"
        );
        assert!(t.contains("Khối sở, ngành   so-nganh"), "{t}");
        let j: serde_json::Value = serde_json::from_str(&render_json(v)).unwrap_or_default();
        assert_eq!(j["kinds"][0]["word"], "sở");
        assert_eq!(j["blocs"][0]["codes"][0], "so-nganh");
        assert_eq!(j["columns"]["numerator"][1], "tử số");
        assert!(
            t.lines()
                .any(|l| l.starts_with("totals") && l.contains("tổng cộng")),
            "{t}"
        );
    }
}
