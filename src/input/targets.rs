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

use crate::diag::{Error, Errors, Result};
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
    /// Read and check a targets file against the catalogue and registry; the first problem is
    /// the error (see [`Targets::load_all`]).
    pub fn load(
        source: &Source,
        path: &Path,
        catalogue: &Catalogue,
        registry: &Registry,
    ) -> Result<Targets> {
        Targets::load_all(source, path, catalogue, registry).map_err(Errors::into_first)
    }

    /// Read and check a targets file, reporting every problem found (in file order).
    pub fn load_all(
        source: &Source,
        path: &Path,
        catalogue: &Catalogue,
        registry: &Registry,
    ) -> std::result::Result<Targets, Errors> {
        let text = source.read_text(path)?;
        Targets::parse_all(&text, path, catalogue, registry)
    }

    /// Parse and check targets TOML; the first problem is the error.
    pub fn parse(
        text: &str,
        path: &Path,
        catalogue: &Catalogue,
        registry: &Registry,
    ) -> Result<Targets> {
        Targets::parse_all(text, path, catalogue, registry).map_err(Errors::into_first)
    }

    /// Parse and check targets TOML, reporting every problem: unknown indicators, targets that
    /// are negative, not finite or (for rates) above 100, unknown unit ids. Each is placed at
    /// its key through toml's spans.
    pub fn parse_all(
        text: &str,
        path: &Path,
        catalogue: &Catalogue,
        registry: &Registry,
    ) -> std::result::Result<Targets, Errors> {
        let mut t: Targets = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            let err = Error::input(format!("invalid targets file: {message}"));
            let general = "see data/README.md: [targets.<indicator>] with default, bloc, kind and unit tables; [options] sort = registry | alphabetical | value";
            match e.span() {
                Some(span) => {
                    let key = text.get(span.clone()).unwrap_or("").trim().trim_matches('"').to_string();
                    let comma = crate::diag::toml::decimal_comma_hint(text, span.start);
                    let err = crate::diag::toml::located_key(err, text, path, span);
                    match (comma, unknown_field_suggestion(&message, &key)) {
                        (Some(h), _) => err.hint(h),
                        (None, Some(s)) => err.hint(format!("did you mean `{s}`? {general}")),
                        (None, None) => err.hint(general),
                    }
                }
                None => err.in_file(path).hint(general),
            }
        })?;
        t.path = path.to_path_buf();
        // Place an error at the key targets.<key>[.<part>[.<sub>]], as deep as it is written
        // (at its value, for a value that is wrong).
        let place = |value: bool,
                     key: &str,
                     part: Option<&str>,
                     sub: Option<&str>,
                     field: String,
                     message: String| {
            let keys: Vec<&str> = ["targets", key]
                .into_iter()
                .chain(part)
                .chain(sub)
                .collect();
            let e = Error::input(message);
            let span = value
                .then(|| crate::diag::toml::value_span_of(text, &keys))
                .flatten()
                .or_else(|| crate::diag::toml::span_of(text, &keys));
            match span {
                Some(span) => crate::diag::toml::located(e, text, path, span).field(field),
                None => e.in_file(path).field(field),
            }
        };
        let at =
            |key: &str, part: Option<&str>, sub: Option<&str>, field: String, message: String| {
                place(false, key, part, sub, field, message)
            };
        let mut problems = Vec::new();
        for (key, it) in &t.targets {
            let Some(ind) = catalogue.find(key) else {
                let u = catalogue.unknown(key);
                problems.push(
                    at(key, None, None, format!("targets.{key}"), u.message)
                        .hint(u.hint.unwrap_or_default()),
                );
                continue;
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
                    problems.push(place(true, key, Some(part), sub, field, message).hint(hint));
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
                let field = format!("targets.{key}.bloc");
                let Some(found) = found else {
                    let near = names::closest_n(k, registry_blocs.iter().copied(), 3);
                    problems.push(
                        at(key, Some("bloc"), Some(k), field, format!("bloc \"{k}\" matches no bloc of the registry"))
                            .hint(format!("closest: {}; write the bloc as the registry does (case, NFD and tone placement do not matter) or a bloc code of the vocabulary", near.join("; "))),
                    );
                    continue;
                };
                if bloc.insert(found.clone(), *v).is_some() {
                    problems.push(
                        at(key, Some("bloc"), Some(k), field, format!("bloc \"{found}\" has two targets"))
                            .hint("keys that differ only in case, NFD or tone placement name the same bloc; keep one"),
                    );
                }
            }
            let mut kind = BTreeMap::new();
            for (k, v) in &it.kind {
                let field = format!("targets.{key}.kind");
                let Some(found) = vocabulary.kind(k).map(|d| d.word.clone()) else {
                    let near = names::closest_n(k, vocabulary.kind_spellings().into_iter(), 3);
                    problems.push(
                        at(
                            key,
                            Some("kind"),
                            Some(k),
                            field,
                            format!("kind \"{k}\" is no kind of the vocabulary"),
                        )
                        .hint(match vocabulary.bloc(k) {
                            Some(b) => format!(
                                "\"{k}\" is the bloc \"{}\", not a kind: write it under the indicator's bloc table; kinds are {}",
                                b.label,
                                vocabulary.kind_words().join(", ")
                            ),
                            None => format!(
                                "closest: {}; the kinds are {} (or their codes: `congvan vocabulary`)",
                                near.join(", "),
                                vocabulary.kind_words().join(", ")
                            ),
                        }),
                    );
                    continue;
                };
                if kind.insert(found.clone(), *v).is_some() {
                    problems.push(
                        at(key, Some("kind"), Some(k), field, format!("kind \"{found}\" has two targets"))
                            .hint("keys that differ only in case, NFD, tone placement or code name the same kind; keep one"),
                    );
                }
            }
            let mut unit = BTreeMap::new();
            for (id, v) in &it.unit {
                let field = format!("targets.{key}.unit");
                let found = registry
                    .by_id(id)
                    .or_else(|| registry.resolve(id, None).ok());
                let Some(found) = found else {
                    let ids: Vec<&str> = registry.units.iter().map(|u| u.id.as_str()).collect();
                    let near = names::closest_n(id, ids.into_iter(), 3);
                    problems.push(
                        at(
                            key,
                            Some("unit"),
                            Some(id),
                            field,
                            format!("unknown unit id \"{id}\""),
                        )
                        .hint(format!(
                            "unit overrides are keyed by registry id (or name); closest: {}",
                            near.join(", ")
                        )),
                    );
                    continue;
                };
                let found = registry.units[found].id.clone();
                if unit.insert(found.clone(), *v).is_some() {
                    problems.push(
                        at(
                            key,
                            Some("unit"),
                            Some(id),
                            field,
                            format!("unit \"{found}\" has two targets"),
                        )
                        .hint("two keys name the same unit; keep one"),
                    );
                }
            }
            it.bloc = bloc;
            it.kind = kind;
            it.unit = unit;
        }
        // A table may name its indicator by key, QĐ 766 number, name or alias: keep it under
        // the catalogue key, where the analysis looks (else its targets would silently not
        // apply); two tables for one indicator are an error.
        let mut by_key = BTreeMap::new();
        for (key, it) in std::mem::take(&mut t.targets) {
            let Some(ind) = catalogue.find(&key) else {
                continue;
            };
            let canonical = catalogue.indicators[ind].key.clone();
            if by_key.contains_key(&canonical) {
                problems.push(
                    at(&key, None, None, format!("targets.{key}"), format!("indicator \"{canonical}\" has two target tables"))
                        .hint("keys, numbers, names and aliases of one indicator name the same table; keep one"),
                );
                continue;
            }
            by_key.insert(canonical, it);
        }
        t.targets = by_key;
        if problems.is_empty() {
            Ok(t)
        } else {
            Err(Errors::in_file_order(problems))
        }
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
