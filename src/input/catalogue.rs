//! The indicator catalogue: id, Vietnamese name, formula, unit and direction of each indicator.
//! The default is the QĐ 766 set in `data/indicators.toml`, compiled into the binary; a spec may
//! name its own file under `[data] indicators`. Each indicator is found by key, number, name or
//! alias (the short names portals print as column headers), folded; a spec adds aliases.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Error, Result};
use crate::input::source::Source;

/// The built-in catalogue (QĐ 766/QĐ-TTg indicators).
pub const DEFAULT_TOML: &str = include_str!("../../data/indicators.toml");
/// Name shown in errors about the built-in catalogue.
pub const DEFAULT_PATH: &str = "data/indicators.toml";

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values are better; lagging = below target.
    HigherIsBetter,
    /// Lower values are better; lagging = above target.
    LowerIsBetter,
    /// Not judged.
    Informational,
}

/// One indicator.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indicator {
    /// ASCII key used in data files and templates ("ty_le_ho_so_truc_tuyen").
    pub key: String,
    /// Number in QĐ 766 ("3.3").
    #[serde(default)]
    pub id: String,
    /// Vietnamese name.
    pub name: String,
    /// Other names offices and portals print for it ("Tỷ lệ hồ sơ trực tuyến"); matched as
    /// [`name_key`] folds them, so case, accent form, "tỉ/tỷ" and a "(%)" suffix do not matter.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Formula, when not plainly numerator / denominator.
    #[serde(default)]
    pub formula: Option<String>,
    /// What is counted above the line.
    #[serde(default)]
    pub numerator: Option<String>,
    /// What is counted below the line.
    #[serde(default)]
    pub denominator: Option<String>,
    /// Unit: "%" for rates.
    #[serde(default = "percent")]
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Default target when a targets file gives none.
    #[serde(default)]
    pub typical_target: Option<f64>,
}

fn percent() -> String {
    "%".to_string()
}

impl Indicator {
    /// Whether values are percentages (0–100).
    pub fn is_rate(&self) -> bool {
        self.unit.trim() == "%"
    }
}

/// All indicators, in file order.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// Indicators in file order.
    pub indicators: Vec<Indicator>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    indicators: Vec<Indicator>,
}

impl Catalogue {
    /// The built-in QĐ 766 catalogue.
    pub fn builtin() -> Result<Catalogue> {
        Catalogue::parse(DEFAULT_TOML, Path::new(DEFAULT_PATH))
    }

    /// Read a catalogue file.
    pub fn load(source: &Source, path: &Path) -> Result<Catalogue> {
        let text = source.read_text(path)?;
        Catalogue::parse(&text, path)
    }

    /// Parse catalogue TOML.
    pub fn parse(text: &str, path: &Path) -> Result<Catalogue> {
        let file: File = toml::from_str(text).map_err(|e| {
            let err = Error::input(format!("invalid indicator catalogue: {}", e.message().trim()));
            match e.span() {
                Some(span) => crate::input::spec::located(err, text, path, span),
                None => err.in_file(path),
            }
            .hint("each [[indicators]] needs key, name and direction (higher_is_better, lower_is_better or informational)")
        })?;
        let mut seen = std::collections::HashSet::new();
        for ind in &file.indicators {
            if !seen.insert(ind.key.clone()) {
                return Err(
                    Error::input(format!("duplicate indicator key \"{}\"", ind.key))
                        .in_file(path)
                        .field("indicators.key")
                        .hint("indicator keys must be unique"),
                );
            }
        }
        Ok(Catalogue {
            indicators: file.indicators,
        })
    }

    /// Add the spec's own names (`[data.indicator-names]`: name → key, number or name of a
    /// catalogue indicator) as aliases. The error names the first mapping whose target is not
    /// in the catalogue (the caller locates it in the spec).
    pub fn add_names<'a>(
        &mut self,
        names: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> std::result::Result<(), (String, Error)> {
        for (name, target) in names {
            let Some(i) = self.find(target) else {
                return Err((target.to_string(), self.unknown(target)));
            };
            if let Some(other) = self.find(name).filter(|o| *o != i) {
                return Err((
                    name.to_string(),
                    Error::input(format!(
                        "indicator name \"{name}\" already means \"{}\"",
                        self.indicators[other].key
                    ))
                    .hint("map each name to one indicator; the catalogue's own names and aliases are listed by `congvan indicators`"),
                ));
            }
            self.indicators[i].aliases.push(name.to_string());
        }
        Ok(())
    }

    /// Index of the indicator with this key, QĐ 766 number, name or alias (keys
    /// case-insensitive; names and aliases as [`name_key`] folds them).
    pub fn find(&self, key: &str) -> Option<usize> {
        let k = key.trim();
        if let Some(i) = self.indicators.iter().position(|i| i.key == k) {
            return Some(i);
        }
        let lower = k.to_lowercase();
        if let Some(i) = self
            .indicators
            .iter()
            .position(|i| i.key.to_lowercase() == lower)
        {
            return Some(i);
        }
        if let Some(i) = self
            .indicators
            .iter()
            .position(|i| !i.id.is_empty() && i.id == k)
        {
            return Some(i);
        }
        let folded = name_key(k);
        if folded.is_empty() {
            return None;
        }
        self.indicators.iter().position(|i| {
            name_key(&i.name) == folded
                || name_key(&i.key) == folded
                || i.aliases.iter().any(|a| name_key(a) == folded)
        })
    }

    /// The error for an unknown indicator, with the closest indicators: those sharing the
    /// most words with `key` (in key, name or aliases), else the nearest keys by spelling.
    pub fn unknown(&self, key: &str) -> Error {
        let near = self.closest(key, 3);
        Error::input(format!("unknown indicator \"{key}\"")).hint(format!(
            "use a key, name or alias of the indicator catalogue (`congvan indicators` lists them), or map the name in the spec under [data.indicator-names]; closest: {}",
            near.join(", ")
        ))
    }

    /// Up to `n` keys of indicators close to `name`, each with its alias or name in brackets.
    pub fn closest(&self, name: &str, n: usize) -> Vec<String> {
        let words = |s: &str| -> Vec<String> {
            name_key(s)
                .split([' ', '.', ',', '(', ')', '/', '-'])
                .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
                .map(str::to_string)
                .collect()
        };
        let query = words(name);
        let mut scored: Vec<(usize, usize, &Indicator)> = self
            .indicators
            .iter()
            .enumerate()
            .filter_map(|(pos, ind)| {
                let mut best = 0;
                for label in std::iter::once(&ind.key)
                    .chain(std::iter::once(&ind.name))
                    .chain(ind.aliases.iter())
                {
                    let have = words(label);
                    let shared = query.iter().filter(|w| have.contains(w)).count();
                    best = best.max(shared);
                }
                (best > 0).then_some((best, pos, ind))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let top = scored.first().map_or(0, |s| s.0);
        let mut out: Vec<String> = scored
            .iter()
            .filter(|s| s.0 == top)
            .take(n)
            .map(|(_, _, i)| match i.aliases.first() {
                Some(a) => format!("{} ({a})", i.key),
                None => i.key.clone(),
            })
            .collect();
        if out.is_empty() {
            let keys: Vec<&str> = self.indicators.iter().map(|i| i.key.as_str()).collect();
            out = crate::text::names::closest_n(name, keys.iter().copied(), n)
                .into_iter()
                .map(str::to_string)
                .collect();
        }
        out
    }
}

/// Words too common in indicator names to tell them apart.
const STOP_WORDS: &[&str] = &[
    "tỷ", "lệ", "ty", "le", "hồ", "sơ", "ho", "so", "%", "được", "của", "và", "trên", "tthc",
];

/// An indicator name as it is compared: folded ([`crate::text::names::fold`]), '_' read as a
/// space, "tỉ" as "tỷ", a trailing "(%)" or "%" dropped ("Tỷ lệ số hóa hồ sơ (%)" → "tỷ lệ số
/// hóa hồ sơ").
pub fn name_key(name: &str) -> String {
    let folded = crate::text::names::fold(&name.replace('_', " "));
    let mut s = folded.trim().to_string();
    loop {
        let t = s
            .trim_end_matches("(%)")
            .trim_end_matches('%')
            .trim_end_matches([' ', ':', '.'])
            .to_string();
        if t == s {
            break;
        }
        s = t;
    }
    s.split_whitespace()
        .map(|w| if w == "tỉ" { "tỷ" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_has_headline_indicators() {
        let c = Catalogue::builtin().unwrap();
        for key in [
            "ty_le_ho_so_truc_tuyen",
            "ty_le_so_hoa_ho_so",
            "ty_le_thanh_toan_truc_tuyen",
            "ty_le_dung_han",
            "ty_le_hai_long_tthc",
            "ty_le_qua_han",
        ] {
            assert!(c.find(key).is_some(), "{key}");
        }
        let q = c.find("ty_le_qua_han").unwrap();
        assert_eq!(c.indicators[q].direction, Direction::LowerIsBetter);
        assert_eq!(c.find("3.3"), c.find("ty_le_ho_so_truc_tuyen"));
        assert!(c
            .unknown("ty_le_so_hoa")
            .hint
            .unwrap()
            .contains("ty_le_so_hoa_ho_so"));
    }

    #[test]
    fn finds_the_names_offices_print_in_any_case_form_and_with_percent() {
        let c = Catalogue::builtin().unwrap_or_else(|e| panic!("{e}"));
        let key = |k: &str| c.find(k).map(|i| c.indicators[i].key.as_str());
        assert_eq!(
            key("Tỷ lệ hồ sơ trực tuyến"),
            Some("ty_le_ho_so_truc_tuyen")
        );
        assert_eq!(
            key("TỶ LỆ HỒ SƠ TRỰC TUYẾN (%)"),
            Some("ty_le_ho_so_truc_tuyen")
        );
        // NFD, old tone placement ("hoá"), "tỉ" for "tỷ", a bare "%".
        let nfd: String =
            unicode_normalization::UnicodeNormalization::nfd("Tỉ lệ số hoá hồ sơ %").collect();
        assert_eq!(key(&nfd), Some("ty_le_so_hoa_ho_so"));
        assert_eq!(
            key("Tỷ lệ thanh toán trực tuyến(%)"),
            Some("ty_le_thanh_toan_truc_tuyen")
        );
        assert_eq!(key("tỷ lệ giải quyết đúng hạn"), Some("ty_le_dung_han"));
        assert_eq!(key("Tỷ lệ hồ sơ"), None);
    }

    #[test]
    fn a_spec_adds_names_and_a_bad_mapping_is_refused() {
        let mut c = Catalogue::builtin().unwrap_or_else(|e| panic!("{e}"));
        c.add_names([("DVC trực tuyến", "3.3"), ("HS số", "ty_le_so_hoa_ho_so")])
            .unwrap_or_else(|e| panic!("{}", e.1));
        assert_eq!(
            c.find("dvc TRỰC tuyến (%)"),
            c.find("ty_le_ho_so_truc_tuyen")
        );
        assert_eq!(c.find("HS số"), c.find("4.2"));
        let Err((what, e)) = c.add_names([("X", "ty_le_so_hoa")]) else {
            panic!("a mapping to no indicator was taken")
        };
        assert_eq!(what, "ty_le_so_hoa");
        assert!(e.hint.unwrap_or_default().contains("ty_le_so_hoa_ho_so"));
        let Err((what, e)) = c.add_names([("Tỷ lệ số hóa hồ sơ", "3.3")]) else {
            panic!("a name of one indicator was mapped to another")
        };
        assert_eq!(what, "Tỷ lệ số hóa hồ sơ");
        assert!(
            e.message.contains("already means \"ty_le_so_hoa_ho_so\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn suggestions_search_words_and_aliases() {
        let c = Catalogue::builtin().unwrap_or_else(|e| panic!("{e}"));
        let near = c.closest("Tỷ lệ thanh toán qua mạng", 3);
        assert!(
            near.iter()
                .any(|k| k.starts_with("ty_le_thanh_toan_truc_tuyen")),
            "{near:?}"
        );
        let near = c.closest("Đúng hạn giải quyết", 3);
        assert!(near[0].starts_with("ty_le_dung_han"), "{near:?}");
    }
}
