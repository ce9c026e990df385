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

use crate::diag::{Error, Result};
use crate::input::catalogue::Catalogue;
use crate::input::registry::{Registry, Unit};
use crate::input::source::Source;
use crate::text::names;

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
            let message = e.message().trim().to_string();
            let err = Error::input(format!("invalid targets file: {message}"));
            let general = "see data/README.md: [targets.<indicator>] with default, bloc, kind and unit tables; [options] sort = registry | alphabetical | value";
            match e.span() {
                Some(span) => {
                    let key = text.get(span.clone()).unwrap_or("").trim().trim_matches('"').to_string();
                    let err = crate::input::spec::located(err, text, path, span);
                    match unknown_field_suggestion(&message, &key) {
                        Some(s) => err.hint(format!("did you mean `{s}`? {general}")),
                        None => err.hint(general),
                    }
                }
                None => err.in_file(path).hint(general),
            }
        })?;
        t.path = path.to_path_buf();
        // Place an error on the line of targets.<key>[.<part>[.<sub>]], as near as can be found.
        let at =
            |key: &str, part: Option<&str>, sub: Option<&str>, field: String, message: String| {
                let mut e = Error::input(message).in_file(path).field(field);
                if let Some((line, column, width)) = find_key(text, key, part, sub) {
                    e = e.at(line, column).width(width).with_source_from(text);
                }
                e
            };
        for (key, it) in &t.targets {
            let Some(ind) = catalogue.find(key) else {
                let u = catalogue.unknown(key);
                return Err(at(key, None, None, format!("targets.{key}"), u.message)
                    .hint(u.hint.unwrap_or_default()));
            };
            let rate = catalogue.indicators[ind].is_rate();
            let all = it
                .default
                .iter()
                .map(|v| ("default", None, *v))
                .chain(it.bloc.iter().map(|(k, v)| ("bloc", Some(k.as_str()), *v)))
                .chain(it.kind.iter().map(|(k, v)| ("kind", Some(k.as_str()), *v)))
                .chain(it.unit.iter().map(|(k, v)| ("unit", Some(k.as_str()), *v)));
            for (part, sub, v) in all {
                let field = match sub {
                    Some(k) if part == "unit" => format!("targets.{key}.unit.{k}"),
                    Some(k) => format!("targets.{key}.{part}.\"{k}\""),
                    None => format!("targets.{key}.{part}"),
                };
                let bad = if !v.is_finite() {
                    Some(format!("target {v} is not a number"))
                } else if v < 0.0 {
                    Some(format!("target {v} is negative"))
                } else if rate && v > 100.0 {
                    Some(format!("target {v} is outside 0–100%"))
                } else {
                    None
                };
                if let Some(message) = bad {
                    let hint = if rate {
                        "write rate targets in percent, between 0 and 100, e.g. 50 for 50%"
                    } else {
                        "targets are 0 or more, in the indicator's unit"
                    };
                    return Err(at(key, Some(part), sub, field, message).hint(hint));
                }
            }
        }
        // Keys name registry values as people write them: fold them like unit names and store
        // them as the registry writes them; a key that matches nothing is an error (its target
        // would silently not apply).
        let vocabulary = &registry.vocabulary;
        let mut registry_blocs: Vec<&str> =
            registry.units.iter().map(|u| u.bloc.as_str()).collect();
        registry_blocs.sort_unstable();
        registry_blocs.dedup();
        for (key, it) in &mut t.targets {
            let mut bloc = BTreeMap::new();
            for (k, v) in &it.bloc {
                let label = vocabulary.bloc_label(k);
                let fk = names::fold(&label);
                let found = registry_blocs
                    .iter()
                    .find(|b| names::fold(b) == fk)
                    .map(|b| b.to_string())
                    .or_else(|| vocabulary.bloc(k).map(|b| b.label.clone()));
                let Some(found) = found else {
                    let near = names::closest_n(k, registry_blocs.iter().copied(), 3);
                    return Err(at(key, Some("bloc"), Some(k), format!("targets.{key}.bloc"), format!("bloc \"{k}\" matches no bloc of the registry"))
                        .hint(format!("closest: {}; write the bloc as the registry does (case, NFD and tone placement do not matter) or a bloc code of the vocabulary", near.join("; "))));
                };
                if bloc.insert(found.clone(), *v).is_some() {
                    return Err(at(key, Some("bloc"), Some(k), format!("targets.{key}.bloc"), format!("bloc \"{found}\" has two targets"))
                        .hint("keys that differ only in case, NFD or tone placement name the same bloc; keep one"));
                }
            }
            let mut kind = BTreeMap::new();
            for (k, v) in &it.kind {
                let Some(found) = vocabulary.kind(k).map(|d| d.word.clone()) else {
                    let near = names::closest_n(k, vocabulary.kind_spellings().into_iter(), 3);
                    return Err(at(
                        key,
                        Some("kind"),
                        Some(k),
                        format!("targets.{key}.kind"),
                        format!("kind \"{k}\" is no kind of the vocabulary"),
                    )
                    .hint(format!(
                        "closest: {}; the kinds are {} (or their codes: `congvan vocabulary`)",
                        near.join(", "),
                        vocabulary.kind_words().join(", ")
                    )));
                };
                if kind.insert(found.clone(), *v).is_some() {
                    return Err(at(key, Some("kind"), Some(k), format!("targets.{key}.kind"), format!("kind \"{found}\" has two targets"))
                        .hint("keys that differ only in case, NFD, tone placement or code name the same kind; keep one"));
                }
            }
            let mut unit = BTreeMap::new();
            for (id, v) in &it.unit {
                let found = registry
                    .by_id(id)
                    .or_else(|| registry.resolve(id, None).ok());
                let Some(found) = found else {
                    let ids: Vec<&str> = registry.units.iter().map(|u| u.id.as_str()).collect();
                    let near = names::closest_n(id, ids.into_iter(), 3);
                    return Err(at(
                        key,
                        Some("unit"),
                        Some(id),
                        format!("targets.{key}.unit"),
                        format!("unknown unit id \"{id}\""),
                    )
                    .hint(format!(
                        "unit overrides are keyed by registry id (or name); closest: {}",
                        near.join(", ")
                    )));
                };
                let found = registry.units[found].id.clone();
                if unit.insert(found.clone(), *v).is_some() {
                    return Err(at(
                        key,
                        Some("unit"),
                        Some(id),
                        format!("targets.{key}.unit"),
                        format!("unit \"{found}\" has two targets"),
                    )
                    .hint("two keys name the same unit; keep one"));
                }
            }
            it.bloc = bloc;
            it.kind = kind;
            it.unit = unit;
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

/// For serde's "unknown field `x`, expected one of `a`, `b`" message, the expected name
/// closest to the key that was written.
fn unknown_field_suggestion(message: &str, key: &str) -> Option<String> {
    let expected = message
        .strip_prefix("unknown field")?
        .split_once("expected")?
        .1;
    let names: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|n| !n.is_empty())
        .collect();
    crate::text::closest(key, &names).map(str::to_string)
}

/// Line, column and width of `targets.<key>` (its `[targets.<key>]` header or `<key> = …`
/// line), of its `part` (`default`, `bloc`, `kind`, `unit`) and of `sub` inside that part, as
/// far as they can be found in `text`; a plain text search, good enough for error places.
fn find_key(
    text: &str,
    key: &str,
    part: Option<&str>,
    sub: Option<&str>,
) -> Option<(usize, usize, usize)> {
    let strip = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '"' | '\''))
            .collect()
    };
    let lines: Vec<&str> = text.lines().collect();
    let header = |l: &str| -> Option<String> {
        let t = l.trim();
        t.starts_with('[')
            .then(|| strip(t.trim_matches(['[', ']'])))
    };
    let left = |l: &str| -> Option<String> {
        let t = l.trim();
        (!t.starts_with('#') && !t.starts_with('['))
            .then(|| t.split_once('=').map(|(k, _)| strip(k)))?
    };
    let ours = format!("targets.{key}");
    // The line that opens the indicator's targets.
    let mut at = None;
    let mut table = String::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(h) = header(l) {
            table = h;
            if table == ours && at.is_none() {
                at = Some(i);
            }
        } else if table == "targets" && left(l).is_some_and(|k| k == key) && at.is_none() {
            at = Some(i);
        }
        if at.is_some() {
            break;
        }
    }
    let start = at?;
    let mut found = Some((start, key.to_string()));
    if let Some(part) = part {
        let mut table = header(lines[start]).unwrap_or_default();
        for (i, l) in lines.iter().enumerate().skip(start) {
            if let Some(h) = header(l) {
                if i > start && !h.starts_with(&ours) {
                    break;
                }
                table = h;
                continue;
            }
            let k = left(l).unwrap_or_default();
            let in_part = k == part
                || k.starts_with(&format!("{part}."))
                || table == format!("{ours}.{part}")
                || (table == "targets" && k == key);
            if !in_part {
                continue;
            }
            let needle = sub.unwrap_or(part);
            if l.contains(needle) {
                found = Some((i, needle.to_string()));
                break;
            }
        }
    }
    let (i, needle) = found?;
    let line = lines.get(i)?;
    let column = line
        .find(needle.as_str())
        .map_or(1, |b| line[..b].chars().count() + 1);
    Some((i + 1, column, needle.chars().count()))
}
