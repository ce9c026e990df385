//! `congvan diff OLD NEW [--spec SPEC] [--json]`: what changed between two months for
//! reviewers. Per indicator: units (and commune-level aggregates) that newly lag, that
//! recovered, that still lag, and those with data in only one month.
//!
//! OLD and NEW are two values files (registry and targets from `--spec`, default the shipped
//! sample spec) or two specs (each compared through its own `[data] values`, registry and
//! targets). Units are matched by id; aggregates by parent id. An aggregate whose value cannot
//! be computed in a month (a member without counts) counts as absent from that month.
//! Order: catalogue order of indicators, then registry order (units, then aggregates), as in
//! `congvan lagging`.

use crate::text::numbers::round6 as round;
use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::analysis::{self, Facts, Fields, IndicatorFacts, Standing};
use crate::diag::{Error, Result};
use crate::input::registry::Registry;
use crate::input::sample;
use crate::input::source::Source;
use crate::input::spec::LetterSpec;
use crate::input::targets::Targets;
use crate::input::values;
use crate::text::numbers::{self, Whole};

/// One unit or aggregate in a section of the report: its standing in NEW (in OLD when it
/// has data in OLD only) and the two values.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    /// The standing that decides the section (NEW's; OLD's for a unit only in OLD).
    pub standing: Standing,
    /// Value in OLD.
    pub old: Option<f64>,
    /// Value in NEW.
    pub new: Option<f64>,
    /// NEW − OLD, when both are known.
    pub change: Option<f64>,
}

/// JSON: `unit_id`, `name` (with kind), `parent` (id), `bloc`, `old`, `new`, `target`,
/// `change` (values rounded to 6 decimals).
impl Serialize for DiffRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde_json::json;
        let st = &self.standing;
        Fields(vec![
            ("unit_id", json!(st.id)),
            ("name", json!(st.full_name)),
            ("parent", json!(st.parent_id)),
            ("bloc", json!(st.bloc)),
            ("old", json!(self.old)),
            ("new", json!(self.new)),
            ("target", json!(st.target)),
            ("change", json!(self.change)),
        ])
        .serialize(s)
    }
}

/// The changes on one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorDiff {
    /// Catalogue key.
    pub key: String,
    /// Vietnamese name.
    pub name: String,
    /// Unit of measure ("%"), for wording changes.
    #[serde(skip)]
    pub unit: String,
    /// Lagging in NEW, not in OLD.
    pub newly_lagging: Vec<DiffRow>,
    /// Lagging in OLD, not in NEW.
    pub recovered: Vec<DiffRow>,
    /// Lagging in both.
    pub still_lagging: Vec<DiffRow>,
    /// With data in OLD only.
    pub only_in_old: Vec<DiffRow>,
    /// With data in NEW only.
    pub only_in_new: Vec<DiffRow>,
    /// Units with data in OLD (to tell an indicator absent from a month).
    #[serde(skip)]
    pub count_old: usize,
    /// Units with data in NEW.
    #[serde(skip)]
    pub count_new: usize,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DiffReport {
    /// Every indicator with data in either month, catalogue order.
    pub indicators: Vec<IndicatorDiff>,
}

/// The union of two ordered key lists, keeping NEW's order and slotting keys found only in
/// OLD right after the OLD key before them (so two lists in one order merge in that order).
fn merge_keys<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = new.to_vec();
    let mut pos: Option<usize> = None;
    for &k in old {
        match out.iter().position(|x| *x == k) {
            Some(p) => pos = Some(p),
            None => {
                let at = pos.map_or(0, |p| p + 1);
                out.insert(at, k);
                pos = Some(at);
            }
        }
    }
    out
}

fn indicator_diff(
    old: Option<(&Facts, &IndicatorFacts)>,
    new: Option<(&Facts, &IndicatorFacts)>,
) -> IndicatorDiff {
    let old_points = old.map(|(f, i)| f.standings(i)).unwrap_or_default();
    let new_points = new.map(|(f, i)| f.standings(i)).unwrap_or_default();
    let base = new.or(old).map(|(_, i)| i);
    let mut d = IndicatorDiff {
        key: base.map(|i| i.key.clone()).unwrap_or_default(),
        name: base.map(|i| i.name.clone()).unwrap_or_default(),
        unit: base.map(|i| i.unit.clone()).unwrap_or_default(),
        newly_lagging: Vec::new(),
        recovered: Vec::new(),
        still_lagging: Vec::new(),
        only_in_old: Vec::new(),
        only_in_new: Vec::new(),
        count_old: old_points.len(),
        count_new: new_points.len(),
    };
    let old_keys: Vec<String> = old_points.iter().map(Standing::match_key).collect();
    let new_keys: Vec<String> = new_points.iter().map(Standing::match_key).collect();
    let old_by: HashMap<&str, &Standing> = old_keys
        .iter()
        .map(String::as_str)
        .zip(&old_points)
        .collect();
    let new_by: HashMap<&str, &Standing> = new_keys
        .iter()
        .map(String::as_str)
        .zip(&new_points)
        .collect();
    let old_keys: Vec<&str> = old_keys.iter().map(String::as_str).collect();
    let new_keys: Vec<&str> = new_keys.iter().map(String::as_str).collect();
    for k in merge_keys(&old_keys, &new_keys) {
        match (old_by.get(k), new_by.get(k)) {
            (Some(o), Some(n)) => {
                let row = DiffRow {
                    standing: (*n).clone(),
                    old: Some(round(o.value)),
                    new: Some(round(n.value)),
                    change: Some(round(n.value - o.value)),
                };
                match (o.lagging, n.lagging) {
                    (false, true) => d.newly_lagging.push(row),
                    (true, false) => d.recovered.push(row),
                    (true, true) => d.still_lagging.push(row),
                    (false, false) => {}
                }
            }
            (Some(p), None) | (None, Some(p)) => {
                let in_old = old_by.contains_key(k);
                let row = DiffRow {
                    standing: (*p).clone(),
                    old: in_old.then(|| round(p.value)),
                    new: (!in_old).then(|| round(p.value)),
                    change: None,
                };
                if in_old {
                    d.only_in_old.push(row);
                } else {
                    d.only_in_new.push(row);
                }
            }
            (None, None) => {}
        }
    }
    d
}

/// Compare two months' analyses.
pub fn diff(old: &Facts, new: &Facts) -> DiffReport {
    let old_keys: Vec<&str> = old.indicators.iter().map(|i| i.key.as_str()).collect();
    let new_keys: Vec<&str> = new.indicators.iter().map(|i| i.key.as_str()).collect();
    let indicators = merge_keys(&old_keys, &new_keys)
        .into_iter()
        .map(|k| {
            let o = old.indicators.iter().find(|i| i.key == k).map(|i| (old, i));
            let n = new.indicators.iter().find(|i| i.key == k).map(|i| (new, i));
            indicator_diff(o, n)
        })
        .collect();
    DiffReport { indicators }
}

/// "tăng 3,20 điểm", "giảm 3,20 điểm", "không đổi" (points for percentages, else the unit).
pub fn change_words(change: f64, unit: &str) -> String {
    let words = &crate::vocab::wording::wording().changes;
    let amount = numbers::decimal(change.abs(), 2, Whole::Keep);
    if amount.chars().all(|c| matches!(c, '0' | ',' | '.')) {
        return words.unchanged.clone();
    }
    let verb = if change > 0.0 { &words.up } else { &words.down };
    let unit = unit.trim();
    let word = if unit == "%" || unit.is_empty() {
        &words.points
    } else {
        unit
    };
    format!("{verb} {amount} {word}")
}

/// A plain-text report: a heading per indicator, then newly lagging, recovered and still
/// lagging (and units with data in one month only, marked "chưa đạt chỉ tiêu" when below
/// target), in aligned columns. `old_label` and
/// `new_label` name the two months (e.g. the file names).
pub fn render_text(report: &DiffReport, old_label: &str, new_label: &str) -> String {
    let mut out = format!("{old_label} → {new_label}\n");
    if report.indicators.is_empty() {
        out.push_str("\nno indicator has data in either month\n");
        return out;
    }
    let num =
        |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| numbers::decimal(v, 2, Whole::Keep));
    for ind in &report.indicators {
        out.push('\n');
        out.push_str(&format!("{} — {}\n", ind.key, ind.name));
        if ind.count_old == 0 || ind.count_new == 0 {
            let (label, rows) = if ind.count_old == 0 {
                (new_label, &ind.only_in_new)
            } else {
                (old_label, &ind.only_in_old)
            };
            let lagging = rows.iter().filter(|r| r.standing.lagging).count();
            out.push_str(&format!(
                "  data in {label} only ({} units, {lagging} lagging); nothing to compare\n",
                rows.len()
            ));
            continue;
        }
        let sections: [(String, &Vec<DiffRow>, bool); 5] = [
            ("newly lagging".to_string(), &ind.newly_lagging, true),
            ("recovered".to_string(), &ind.recovered, true),
            ("still lagging".to_string(), &ind.still_lagging, true),
            (format!("only in {old_label}"), &ind.only_in_old, false),
            (format!("only in {new_label}"), &ind.only_in_new, false),
        ];
        let cells = |r: &DiffRow| -> [String; 6] {
            [
                r.standing.label(),
                r.standing.bloc.clone(),
                num(r.old),
                num(r.new),
                num(r.standing.target),
                match r.change {
                    Some(c) => change_words(c, &ind.unit),
                    None if r.standing.lagging => crate::vocab::wording::wording()
                        .changes
                        .below_target
                        .clone(),
                    None => String::new(),
                },
            ]
        };
        let header: [String; 6] =
            ["unit", "bloc", "old", "new", "target", "change"].map(String::from);
        let mut widths = header.clone().map(|h| h.chars().count());
        for (_, rows, _) in &sections {
            for r in rows.iter() {
                for (w, c) in widths.iter_mut().zip(cells(r).iter()) {
                    *w = (*w).max(c.chars().count());
                }
            }
        }
        let line = |c: &[String; 6]| -> String {
            let mut s = String::from("    ");
            for (i, (cell, w)) in c.iter().zip(widths.iter()).enumerate() {
                let pad = " ".repeat(w.saturating_sub(cell.chars().count()));
                if (2..=4).contains(&i) {
                    s.push_str(&pad);
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    s.push_str(&pad);
                }
                s.push_str("  ");
            }
            s.trim_end().to_string()
        };
        let mut header_done = false;
        for (title, rows, always) in &sections {
            if rows.is_empty() {
                if *always {
                    out.push_str(&format!("  {title}: none\n"));
                }
                continue;
            }
            out.push_str(&format!("  {title}: {}\n", rows.len()));
            if !header_done {
                out.push_str(&line(&header));
                out.push('\n');
                header_done = true;
            }
            for r in rows.iter() {
                out.push_str(&line(&cells(r)));
                out.push('\n');
            }
        }
    }
    out
}

/// The report as pretty JSON with a trailing newline:
/// `{"indicators":[{"key","name","newly_lagging":[…],…}]}`.
pub fn render_json(report: &DiffReport) -> Result<String> {
    let mut s = serde_json::to_string_pretty(report)
        .map_err(|e| Error::output(format!("failed to encode JSON ({e})")))?;
    s.push('\n');
    Ok(s)
}

fn is_spec(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("toml"))
}

/// Analyse OLD and NEW as the command line names them: two specs, or two values files read
/// from disk with the registry and targets of `spec` (the CLI passes `--spec`, else the spec of
/// the current folder, [`spec_in_folder`]; default: the shipped sample spec).
pub fn load(old: &Path, new: &Path, spec: Option<&Path>) -> Result<(Facts, Facts)> {
    match (is_spec(old), is_spec(new)) {
        (true, true) => {
            if let Some(s) = spec {
                return Err(Error::usage(format!(
                    "--spec {} is for comparing two data files, but OLD and NEW are specs",
                    s.display()
                ))
                .hint("drop --spec: each spec brings its own registry and targets"));
            }
            Ok((load_spec_facts(old)?, load_spec_facts(new)?))
        }
        (false, false) => {
            let Some(p) = spec else {
                // Without --spec the units are matched against the shipped sample's registry:
                // an error then says so, since the real cause is the missing --spec.
                let sample = LetterSpec::load(Source::Sample, Path::new(sample::DEFAULT_SPEC))?;
                return load_values_pair(&sample, old, new).map_err(|mut e| {
                    // Only names that match nothing depend on the registry.
                    if !e.message.starts_with("unknown") {
                        return e;
                    }
                    e.message = format!(
                        "{} (no --spec was given and no spec is in the current folder, so the units were matched against the shipped sample's registry, {})",
                        e.message,
                        sample.fields.data.registry.as_ref().map_or_else(
                            || sample::DEFAULT_SPEC.to_string(),
                            |r| sample.resolve(r).display().to_string()
                        )
                    );
                    e.hint = Some(format!(
                        "pass --spec SPEC, the letter spec whose [data] registry and targets these files use: congvan diff {} {} --spec SPEC",
                        old.display(),
                        new.display()
                    ));
                    e
                });
            };
            let spec = LetterSpec::load(Source::Disk, p)?;
            load_values_pair(&spec, old, new)
        }
        _ => Err(Error::usage(format!(
            "cannot compare {} with {}: give two specs (.toml) or two data files",
            old.display(),
            new.display()
        ))
        .hint("e.g. congvan diff 2024-06.csv 2024-07.csv --spec letter.toml")),
    }
}

/// The letter spec in `dir` for `diff` without `--spec`: the one `.toml` there that reads as a
/// spec naming a registry (targets files, catalogues and broken specs are passed over). `None`
/// when there is none; several are a usage error listing them, as guessing would compare with
/// the wrong registry.
pub fn spec_in_folder(dir: &Path) -> Result<Option<std::path::PathBuf>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut found: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_spec(p))
        .filter(|p| {
            LetterSpec::load(Source::Disk, p).is_ok_and(|s| s.fields.data.registry.is_some())
        })
        .map(|p| p.strip_prefix(dir).map(Path::to_path_buf).unwrap_or(p))
        .collect();
    found.sort();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(Error::usage(format!(
            "no --spec was given and the current folder has several specs: {}",
            found
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint(
            "pass --spec SPEC, the letter spec whose [data] registry and targets these files use",
        )),
    }
}

/// The analysis of a spec's `[data] values`, which must be named.
fn load_spec_facts(path: &Path) -> Result<Facts> {
    let spec = LetterSpec::load(Source::Disk, path)?;
    if spec.fields.data.values.is_none() {
        return Err(Error::input("the spec names no values to compare")
            .in_file(&spec.path)
            .field("data.values")
            .hint("add [data] registry = \"…\" and values = \"path/to/2024-07.csv\""));
    }
    crate::pipeline::load::facts(&spec)
}

/// Two values files from disk against the registry, catalogue and targets of `spec`.
fn load_values_pair(spec: &LetterSpec, old: &Path, new: &Path) -> Result<(Facts, Facts)> {
    let d = &spec.fields.data;
    let Some(registry_path) = &d.registry else {
        return Err(
            Error::input("the spec names no registry to match units against")
                .in_file(&spec.path)
                .field("data.registry")
                .hint("add [data] registry = \"path/to/registry.csv\", or pass another --spec"),
        );
    };
    let source = &spec.source;
    let registry = Registry::load_with(
        source,
        &spec.resolve(registry_path),
        &crate::pipeline::load::vocabulary(spec)?,
    )?;
    crate::pipeline::load::check_spec_vocabulary(spec, &registry)?;
    let catalogue = crate::pipeline::load::catalogue(spec)?;
    let targets = match &d.targets {
        Some(p) => Targets::load(source, &spec.resolve(p), &catalogue, &registry)?,
        None => Targets::default(),
    };
    let read = |path: &Path| {
        values::read(
            &Source::Disk,
            path,
            d.sheet.as_deref(),
            &registry,
            &catalogue,
        )
    };
    let old_values = read(old)?;
    let new_values = read(new)?;
    let facts = |v| analysis::analyse(&registry, &catalogue, &targets, v, None);
    Ok((facts(&old_values), facts(&new_values)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_changes() {
        assert_eq!(change_words(3.2, "%"), "tăng 3,20 điểm");
        assert_eq!(change_words(-3.2, "%"), "giảm 3,20 điểm");
        assert_eq!(change_words(0.001, "%"), "không đổi");
        assert_eq!(change_words(-0.004, "%"), "không đổi");
        assert_eq!(change_words(1234.5, ""), "tăng 1.234,50 điểm");
        assert_eq!(change_words(-1.5, "ngày"), "giảm 1,50 ngày");
    }

    #[test]
    fn merges_in_shared_order() {
        assert_eq!(
            merge_keys(&["a", "b", "c"], &["a", "c", "d"]),
            ["a", "b", "c", "d"]
        );
        assert_eq!(merge_keys(&["x", "a"], &["a"]), ["x", "a"]);
        assert_eq!(merge_keys(&[], &["a"]), ["a"]);
    }
}
