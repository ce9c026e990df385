//! Targets per indicator, one TOML file per plan and year: a default, overridden per bloc,
//! per kind and per unit (most specific wins: unit > kind > bloc > default > the catalogue's
//! typical target). An `[options]` table chooses how lists are sorted.
//!
//! ```toml
//! [options]
//! sort = "registry"          # registry | alphabetical | value
//!
//! [targets.ty_le_ho_so_truc_tuyen]
//! default = 50
//! bloc = { "Khối sở, ngành" = 90 }
//! kind = { "quận" = 80, "xã" = 60 }
//! unit = { "so-tu-phap" = 95 }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::diag::{Error, Result};
use crate::registry::{Registry, Unit};
use crate::source::Source;

/// How lists of units are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// The registry's order (its `order` column, else row order).
    #[default]
    Registry,
    /// Vietnamese alphabetical order (ICU collation, locale vi).
    Alphabetical,
    /// Worst value first; ties in registry order.
    Value,
}

impl SortOrder {
    /// Parse "registry", "alphabetical" or "value".
    pub fn parse(s: &str) -> Option<SortOrder> {
        match s.trim() {
            "registry" => Some(SortOrder::Registry),
            "alphabetical" | "alpha" | "name" => Some(SortOrder::Alphabetical),
            "value" => Some(SortOrder::Value),
            _ => None,
        }
    }
}

/// Options of a targets file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// List order; default registry.
    #[serde(default)]
    pub sort: SortOrder,
}

/// Targets of one indicator.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorTargets {
    /// Target for every unit not overridden.
    #[serde(default)]
    pub default: Option<f64>,
    /// Per bloc name.
    #[serde(default)]
    pub bloc: BTreeMap<String, f64>,
    /// Per kind (lower case: "quận", "xã").
    #[serde(default)]
    pub kind: BTreeMap<String, f64>,
    /// Per unit id.
    #[serde(default)]
    pub unit: BTreeMap<String, f64>,
}

/// A parsed targets file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// File it came from (empty when built in).
    #[serde(skip)]
    pub path: PathBuf,
    /// Options.
    #[serde(default)]
    pub options: Options,
    /// Targets per indicator key.
    #[serde(default)]
    pub targets: BTreeMap<String, IndicatorTargets>,
}

impl Targets {
    /// Read and check a targets file against the catalogue and registry.
    pub fn load(
        source: &Source,
        path: &Path,
        catalogue: &Catalogue,
        registry: &Registry,
    ) -> Result<Targets> {
        let text = source.read_text(path)?;
        Targets::parse(&text, path, catalogue, registry)
    }

    /// Parse and check targets TOML.
    pub fn parse(
        text: &str,
        path: &Path,
        catalogue: &Catalogue,
        registry: &Registry,
    ) -> Result<Targets> {
        let mut t: Targets = toml::from_str(text).map_err(|e| {
            let err = Error::input(format!("invalid targets file: {}", e.message().trim()));
            match e.span() {
                Some(span) => crate::spec::located(err, text, path, span),
                None => err.in_file(path),
            }
            .hint("see data/README.md: [targets.<indicator>] with default, bloc, kind and unit tables; [options] sort = registry | alphabetical | value")
        })?;
        t.path = path.to_path_buf();
        let at = |needle: &str, field: String, message: String| {
            let mut e = Error::input(message).in_file(path).field(field);
            if let Some(line) = line_of(text, needle) {
                e = e.at_line(line).with_source_from(text);
            }
            e
        };
        for (key, it) in &t.targets {
            let Some(ind) = catalogue.find(key) else {
                let u = catalogue.unknown(key);
                return Err(
                    at(key, format!("targets.{key}"), u.message).hint(u.hint.unwrap_or_default())
                );
            };
            let rate = catalogue.indicators[ind].is_rate();
            let all = it
                .default
                .iter()
                .map(|v| ("default".to_string(), *v))
                .chain(it.bloc.iter().map(|(k, v)| (format!("bloc.\"{k}\""), *v)))
                .chain(it.kind.iter().map(|(k, v)| (format!("kind.\"{k}\""), *v)))
                .chain(it.unit.iter().map(|(k, v)| (format!("unit.{k}"), *v)));
            for (field, v) in all {
                if !v.is_finite() || (rate && !(0.0..=100.0).contains(&v)) {
                    return Err(at(
                        key,
                        format!("targets.{key}.{field}"),
                        format!("target {v} is outside 0–100%"),
                    )
                    .hint("write rate targets in percent, e.g. 50 for 50%"));
                }
            }
            for id in it.unit.keys() {
                if registry.by_id(id).is_none() {
                    let ids: Vec<&str> = registry.units.iter().map(|u| u.id.as_str()).collect();
                    let near = crate::names::closest_n(id, ids.into_iter(), 3);
                    return Err(at(
                        id,
                        format!("targets.{key}.unit"),
                        format!("unknown unit id \"{id}\""),
                    )
                    .hint(format!(
                        "unit overrides are keyed by registry id; closest: {}",
                        near.join(", ")
                    )));
                }
            }
        }
        Ok(t)
    }

    /// The target for `unit` on indicator `key`, falling back to `fallback` (the catalogue's).
    pub fn for_unit(&self, key: &str, unit: &Unit, fallback: Option<f64>) -> Option<f64> {
        let Some(t) = self.targets.get(key) else {
            return fallback;
        };
        t.unit
            .get(&unit.id)
            .or_else(|| t.kind.get(&unit.kind))
            .or_else(|| t.bloc.get(&unit.bloc))
            .copied()
            .or(t.default)
            .or(fallback)
    }
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.find(needle)
        .map(|i| text[..i].matches('\n').count() + 1)
}
