//! The indicator catalogue: id, Vietnamese name, formula, unit and direction of each indicator.
//! The default is the QĐ 766 set in `data/indicators.toml`, compiled into the binary; a spec may
//! name its own file under `[data] indicators`.

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

    /// Index of the indicator with this key, QĐ 766 number or name (case-insensitive).
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
        let folded = crate::text::names::fold(k);
        self.indicators
            .iter()
            .position(|i| crate::text::names::fold(&i.name) == folded)
    }

    /// The error for an unknown indicator, with the closest keys.
    pub fn unknown(&self, key: &str) -> Error {
        let keys: Vec<&str> = self.indicators.iter().map(|i| i.key.as_str()).collect();
        let near = crate::text::names::closest_n(key, keys.iter().copied(), 3);
        Error::input(format!("unknown indicator \"{key}\"")).hint(format!(
            "use a key of the indicator catalogue; closest: {}",
            near.join(", ")
        ))
    }
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
}
