//! The analysis: per indicator, each unit's value against its target, commune-level
//! aggregates per parent (sums of numerators over sums of denominators), and the grouped,
//! sorted lists of lagging units that letters print.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::CollatorBorrowed;
use serde::{Deserialize, Serialize};

use crate::input::catalogue::{Catalogue, Direction};
use crate::input::registry::{Registry, Unit};
use crate::input::targets::{SortOrder, Targets};
use crate::input::values::ValueTable;

/// One unit's standing on one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Registry index.
    #[serde(skip)]
    pub unit: usize,
    /// Unit id.
    pub id: String,
    /// The value (percent for rates).
    pub value: f64,
    /// Numerator, when given.
    pub numerator: Option<f64>,
    /// Denominator, when given.
    pub denominator: Option<f64>,
    /// Last period's value, when a previous file is given.
    pub previous: Option<f64>,
    /// The target that applies.
    pub target: Option<f64>,
    /// Shortfall: target − value (higher is better) or value − target (lower is better);
    /// positive when lagging.
    pub gap: Option<f64>,
    /// Whether the unit misses its target.
    pub lagging: bool,
}

/// The commune level of one parent taken as one unit ("cấp xã thuộc huyện An Lão").
#[derive(Debug, Clone, Serialize)]
pub struct Aggregate {
    /// Registry index of the parent.
    #[serde(skip)]
    pub parent: usize,
    /// Parent id.
    pub parent_id: String,
    /// Registry indices of the members with data, registry order.
    #[serde(skip)]
    pub members: Vec<usize>,
    /// Σ numerators / Σ denominators × 100; `None` when a member lacks counts.
    pub value: Option<f64>,
    /// Σ numerators.
    pub numerator: f64,
    /// Σ denominators.
    pub denominator: f64,
    /// A member given as a rate only (no counts), which makes the sum impossible.
    pub missing_counts: Option<String>,
    /// Target (that of the first member).
    pub target: Option<f64>,
    /// Shortfall, positive when lagging.
    pub gap: Option<f64>,
    /// Whether the aggregate misses its target.
    pub lagging: bool,
    /// Whether the value was given ready-made ("cấp xã thuộc huyện X" in the values file).
    pub given: bool,
}

/// Everything computed for one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorFacts {
    /// Catalogue key.
    pub key: String,
    /// QĐ 766 number.
    pub id: String,
    /// Vietnamese name.
    pub name: String,
    /// Unit of measure ("%").
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
    /// Every unit with a value, registry order.
    pub entries: Vec<Entry>,
    /// Commune-level aggregates per parent, registry order of the parents.
    pub aggregates: Vec<Aggregate>,
}

/// The analysis of one month: the input to templates and to `congvan lagging`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// Registry units.
    pub units: Vec<Unit>,
    /// Indicators with data, catalogue order.
    pub indicators: Vec<IndicatorFacts>,
    /// Default list order (targets `[options] sort`).
    pub sort: SortOrder,
    /// The kinds and blocs of the registry (filters accept bloc codes; aggregates' names).
    #[serde(skip)]
    pub vocabulary: crate::vocab::vocabulary::Vocabulary,
    /// What the reader should check: a commune level given ready-made that disagrees with
    /// the sum over its communes by more than rounding (the given value is used).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// How communes with a parent are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Communes {
    /// Each lagging commune, grouped under its parent.
    #[default]
    List,
    /// One aggregate per parent ("cấp xã thuộc huyện An Lão").
    Aggregate,
}

/// What list to build.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    /// Only units of this bloc (its label or a code, folded like names).
    pub bloc: Option<String>,
    /// Only units of this kind (its word or a code, folded); aggregates by their members' kind.
    pub kind: Option<String>,
    /// Only this unit (id, code or name, folded); aggregates by their parent.
    pub unit: Option<String>,
    /// How communes with a parent are shown.
    pub communes: Communes,
    /// Order; `None` = the facts' default.
    pub sort: Option<SortOrder>,
    /// The N worst instead of those below target.
    pub bottom: Option<usize>,
}

/// One unit's — or one commune-level aggregate's — standing on one indicator: who (unit,
/// parent, bloc), on what (indicator, direction), how (value, target, gap, previous) and the
/// verdict. Built only by [`Facts::standings`]; lists, `congvan lagging`, `congvan diff`,
/// `check`, batch letters, template context and JSON output all read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    /// Unit id (aggregates: "<parent id>/cap-xa" or "/cap-phuong").
    pub id: String,
    /// Proper name ("Lê Chân"; aggregates: the parent's).
    pub name: String,
    /// Name with kind ("quận Lê Chân"; aggregates: "cấp xã thuộc huyện An Lão").
    pub full_name: String,
    /// Kind ("quận"; aggregates: "cấp xã" or "cấp phường").
    pub kind: String,
    /// Whether a local government (a list may write "UBND" before it).
    pub local: bool,
    /// Parent id.
    pub parent_id: Option<String>,
    /// Parent name with kind.
    pub parent_name: Option<String>,
    /// Bloc label ("Khối sở, ngành").
    pub bloc: String,
    /// Indicator key ("ty_le_ho_so_truc_tuyen").
    #[serde(default)]
    pub indicator: String,
    /// Indicator name (Vietnamese).
    #[serde(default)]
    pub indicator_name: String,
    /// Unit of measure of the indicator ("%").
    #[serde(default)]
    pub measure: String,
    /// Value, in the indicator's unit (percent for rates); aggregates: Σ numerators /
    /// Σ denominators.
    pub value: f64,
    /// Target that applies (unit > kind > bloc > default; aggregates: the first member's).
    pub target: Option<f64>,
    /// Exact shortfall, positive when below target (target − value, or value − target when
    /// lower is better).
    pub gap: Option<f64>,
    /// Last period's value (units only).
    pub previous: Option<f64>,
    /// Whether this is a commune-level aggregate.
    pub aggregate: bool,
    /// Whether it misses its target (compared at [`VERDICT_PRECISION`] decimals).
    pub lagging: bool,
    /// Which way is better on the indicator.
    #[serde(default = "informational")]
    pub direction: Direction,
    /// A commune listed under its parent (not by itself).
    #[serde(default, skip_serializing)]
    grouped: bool,
    #[serde(default, skip_serializing)]
    order: i64,
}

fn informational() -> Direction {
    Direction::Informational
}

impl Standing {
    /// The value to print with `precision` decimals: the value as it rounds, except that a
    /// unit below target never prints its target or better (89,96% against 90% with no
    /// decimals prints "89%", not "90%") and one at or above it never prints below.
    pub fn shown_value(&self, precision: usize) -> f64 {
        let at = |x: f64| crate::text::numbers::at_precision(x, precision);
        let v = at(self.value);
        let Some(t) = self.target.map(at) else {
            return v;
        };
        let step = 10f64.powi(-(precision as i32));
        match (self.direction, self.lagging) {
            (Direction::HigherIsBetter, true) if v >= t => at(t - step),
            (Direction::LowerIsBetter, true) if v <= t => at(t + step),
            (Direction::HigherIsBetter, false) if v < t => t,
            (Direction::LowerIsBetter, false) if v > t => t,
            _ => v,
        }
    }

    /// The name for a person reading a report: a commune with its parent ("xã Quốc Tuấn,
    /// huyện An Dương"), anything else by its full name.
    pub fn label(&self) -> String {
        match &self.parent_name {
            Some(p) if self.grouped && !self.aggregate => format!("{}, {p}", self.full_name),
            _ => self.full_name.clone(),
        }
    }

    /// What identifies it across two months: the unit id, or the parent id of an aggregate
    /// (whose own id may change from "/cap-xa" to "/cap-phuong").
    pub fn match_key(&self) -> String {
        match (&self.parent_id, self.aggregate) {
            (Some(p), true) => format!("aggregate:{p}"),
            _ => format!("unit:{}", self.id),
        }
    }
}

/// What a group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Units listed by themselves ("Sở Tư pháp 89,22%, UBND quận Lê Chân 64,98%").
    Units,
    /// The commune level of a parent as one figure.
    Aggregate,
    /// One commune, with its parent ("xã Quốc Tuấn, huyện An Dương 61,22%").
    Single,
    /// Several communes of one parent ("các xã thuộc huyện Thủy Nguyên: …").
    Members,
}

/// A run of a list: units, or the communes of one parent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Group {
    /// What the group is.
    pub kind: GroupKind,
    /// Parent id for commune groups.
    pub parent_id: Option<String>,
    /// Parent name with kind ("huyện Thủy Nguyên").
    pub parent_name: Option<String>,
    /// Word for the members: "các xã", "các phường", "các đơn vị cấp xã"; aggregates
    /// "cấp xã" / "cấp phường"; empty for units.
    pub members_word: String,
    /// Whether the members are of several kinds (then each is named with its kind).
    pub mixed: bool,
    /// What a list writes before several members: "các xã thuộc huyện Thủy Nguyên"; empty
    /// for other groups.
    #[serde(default)]
    pub heading: String,
    /// The items.
    pub items: Vec<Standing>,
}

/// The Vietnamese collator (ICU, locale "vi"), built once.
pub fn collator() -> Option<&'static CollatorBorrowed<'static>> {
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            let locale = icu_locale_core::locale!("vi");
            CollatorBorrowed::try_new(locale.into(), CollatorOptions::default()).ok()
        })
        .as_ref()
}

/// Compare two names in Vietnamese alphabetical order (Đ after D, Ư after U).
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    match collator() {
        Some(c) => c.compare(a, b),
        None => a.cmp(b),
    }
}

/// Decimals at which a value is compared with its target: those letters print (2, as the
/// national portal publishes rates). A unit at 89,996% against 90% prints "90,00%" and is not
/// below target; one at 89,994% prints "89,99%" and is. See README, "What congvan refuses".
pub const VERDICT_PRECISION: usize = 2;

/// The shortfall (exact: target − value, or value − target when lower is better) and whether
/// the value misses its target as both print at [`VERDICT_PRECISION`] decimals.
pub fn shortfall(direction: Direction, value: f64, target: Option<f64>) -> (Option<f64>, bool) {
    let shown = |x: f64| crate::text::numbers::at_precision(x, VERDICT_PRECISION);
    match (direction, target) {
        (Direction::HigherIsBetter, Some(t)) => (Some(t - value), shown(value) < shown(t)),
        (Direction::LowerIsBetter, Some(t)) => (Some(value - t), shown(value) > shown(t)),
        (Direction::Informational, Some(t)) => (Some(t - value), false),
        (_, None) => (None, false),
    }
}

/// Compare every value with its target and build the aggregates.
pub fn analyse(
    registry: &Registry,
    catalogue: &Catalogue,
    targets: &Targets,
    values: &ValueTable,
    previous: Option<&ValueTable>,
) -> Facts {
    let mut per_indicator: Vec<Vec<(usize, crate::input::values::Measure)>> =
        vec![Vec::new(); catalogue.indicators.len()];
    for (&(u, i), m) in &values.data {
        per_indicator[i].push((u, *m));
    }
    let mut warnings = Vec::new();
    // Units with a figure for some indicator of this month's file.
    let mut reported = vec![false; registry.units.len()];
    for &(u, _) in values.data.keys() {
        reported[u] = true;
    }
    let mut indicators = Vec::new();
    for (ii, mut measures) in per_indicator.into_iter().enumerate() {
        if measures.is_empty() && !values.given.keys().any(|(_, i)| *i == ii) {
            continue;
        }
        let ind = &catalogue.indicators[ii];
        let rate = ind.is_rate();
        measures.sort_by_key(|(u, _)| (registry.units[*u].order, *u));
        let mut entries = Vec::with_capacity(measures.len());
        let mut by_unit: Vec<Option<usize>> = vec![None; registry.units.len()];
        for (u, m) in &measures {
            let Some(value) = m.resolved(rate) else {
                continue;
            };
            let unit = &registry.units[*u];
            // The export's own target for the unit ("Chỉ tiêu") wins over targets.toml.
            let target = m
                .target
                .or_else(|| targets.for_unit(&ind.key, unit, ind.typical_target));
            let (gap, lagging) = shortfall(ind.direction, value, target);
            let prev = previous
                .and_then(|p| p.get(*u, ii))
                .and_then(|m| m.resolved(rate));
            by_unit[*u] = Some(entries.len());
            entries.push(Entry {
                unit: *u,
                id: unit.id.clone(),
                value,
                numerator: m.numerator,
                denominator: m.denominator,
                previous: prev,
                target,
                gap,
                lagging,
            });
        }
        warnings.extend(missing_values(
            registry, &ind.key, rate, ii, &by_unit, &reported, values, previous,
        ));
        // Aggregates: commune-level children of each parent with data.
        let mut aggregates = Vec::new();
        let mut parents: Vec<usize> = entries
            .iter()
            .filter_map(|e| {
                let u = &registry.units[e.unit];
                if u.commune_level {
                    u.parent
                } else {
                    None
                }
            })
            .collect();
        parents.sort_by_key(|p| (registry.units[*p].order, *p));
        parents.dedup();
        for p in parents {
            let members: Vec<usize> = registry.children[p]
                .iter()
                .copied()
                .filter(|c| registry.units[*c].commune_level && by_unit[*c].is_some())
                .collect();
            let (mut num, mut den, mut missing) = (0.0, 0.0, None);
            for &c in &members {
                let Some(e) = by_unit[c].and_then(|i| entries.get(i)) else {
                    continue;
                };
                match (e.numerator, e.denominator) {
                    (Some(n), Some(d)) => {
                        num += n;
                        den += d;
                    }
                    _ => {
                        if missing.is_none() {
                            missing = Some(registry.units[c].full_name.clone());
                        }
                    }
                }
            }
            let value = if missing.is_none() && den > 0.0 {
                Some(if rate { num / den * 100.0 } else { num / den })
            } else {
                None
            };
            let target = members
                .first()
                .and_then(|&c| targets.for_unit(&ind.key, &registry.units[c], ind.typical_target));
            let (gap, lagging) = match value {
                Some(v) => shortfall(ind.direction, v, target),
                None => (None, false),
            };
            aggregates.push(Aggregate {
                parent: p,
                parent_id: registry.units[p].id.clone(),
                members,
                value,
                numerator: num,
                denominator: den,
                missing_counts: missing,
                target,
                gap,
                lagging,
                given: false,
            });
        }
        // Commune levels given ready-made replace the sums (a parent's communes need not be
        // in the registry); a sum that disagrees beyond rounding is a warning.
        let mut given: Vec<(usize, crate::input::values::Measure)> = values
            .given
            .iter()
            .filter(|((_, i), _)| *i == ii)
            .map(|((p, _), m)| (*p, *m))
            .collect();
        given.sort_by_key(|(p, _)| (registry.units[*p].order, *p));
        for (p, m) in given {
            let Some(value) = m.resolved(rate) else {
                continue;
            };
            let pos = match aggregates.iter().position(|a| a.parent == p) {
                Some(pos) => {
                    let a = &aggregates[pos];
                    if let Some(sum) = a.value {
                        if (sum - value).abs() >= 0.005 {
                            warnings.push(format!(
                                "{}: the commune level of {} is given as {} in {}, but its communes add up to {}; the given value is used",
                                ind.key,
                                registry.units[p].full_name,
                                crate::text::numbers::decimal(value, 2, crate::text::numbers::Whole::Trim),
                                values.path.display(),
                                crate::text::numbers::decimal(sum, 2, crate::text::numbers::Whole::Trim),
                            ));
                        }
                    }
                    pos
                }
                None => {
                    let members: Vec<usize> = registry.children[p]
                        .iter()
                        .copied()
                        .filter(|c| registry.units[*c].commune_level)
                        .collect();
                    let target = match members.first() {
                        Some(&c) => {
                            targets.for_unit(&ind.key, &registry.units[c], ind.typical_target)
                        }
                        // No communes in the registry: the target of a commune of the parent.
                        None => {
                            let mut commune = registry.units[p].clone();
                            commune.id = String::new();
                            commune.kind = registry
                                .vocabulary
                                .kinds
                                .iter()
                                .find(|k| k.level == crate::vocab::vocabulary::Level::Commune)
                                .map_or_else(String::new, |k| k.word.clone());
                            targets.for_unit(&ind.key, &commune, ind.typical_target)
                        }
                    };
                    aggregates.push(Aggregate {
                        parent: p,
                        parent_id: registry.units[p].id.clone(),
                        members,
                        value: None,
                        numerator: 0.0,
                        denominator: 0.0,
                        missing_counts: None,
                        target,
                        gap: None,
                        lagging: false,
                        given: true,
                    });
                    aggregates.len() - 1
                }
            };
            let a = &mut aggregates[pos];
            a.value = Some(value);
            a.numerator = m.numerator.unwrap_or(0.0);
            a.denominator = m.denominator.unwrap_or(0.0);
            a.missing_counts = None;
            a.given = true;
            let (gap, lagging) = shortfall(ind.direction, value, a.target);
            a.gap = gap;
            a.lagging = lagging;
        }
        aggregates.sort_by_key(|a| (registry.units[a.parent].order, a.parent));
        indicators.push(IndicatorFacts {
            key: ind.key.clone(),
            id: ind.id.clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            direction: ind.direction,
            entries,
            aggregates,
        });
    }
    Facts {
        units: registry.units.clone(),
        indicators,
        sort: targets.options.sort,
        vocabulary: registry.vocabulary.clone(),
        warnings,
    }
}

/// Units the month's file gives no value for indicator `ii` although they had one last month,
/// or have one for another indicator this month: a deleted row or an emptied cell drops a
/// lagging unit from the letter without a word, so each such case is a warning naming them.
#[allow(clippy::too_many_arguments)]
fn missing_values(
    registry: &Registry,
    key: &str,
    rate: bool,
    ii: usize,
    by_unit: &[Option<usize>],
    reported: &[bool],
    values: &ValueTable,
    previous: Option<&ValueTable>,
) -> Vec<String> {
    let had = |u: usize| {
        previous
            .and_then(|p| p.get(u, ii))
            .and_then(|m| m.resolved(rate))
            .is_some()
    };
    let (mut last_month, mut other) = (Vec::new(), Vec::new());
    for (u, entry) in by_unit.iter().enumerate() {
        if entry.is_some() || values.given.contains_key(&(u, ii)) {
            continue;
        }
        if had(u) {
            last_month.push(u);
        } else if reported[u] {
            other.push(u);
        }
    }
    let names = |units: &[usize]| {
        let shown: Vec<&str> = units
            .iter()
            .take(5)
            .map(|&u| registry.units[u].full_name.as_str())
            .collect();
        match units.len() {
            n if n > 5 => format!("{} and {} more", shown.join(", "), n - 5),
            _ => shown.join(", "),
        }
    };
    let file = values.path.display();
    let mut out = Vec::new();
    if !last_month.is_empty() {
        out.push(format!(
            "{key}: no value in {file} for {}, which had one last month; the lists and the phụ lục leave them out: check the export for a deleted row or an empty cell",
            names(&last_month)
        ));
    }
    if !other.is_empty() {
        out.push(format!(
            "{key}: no value in {file} for {}, with values for other indicators there; the lists and the phụ lục leave them out: check the export for an empty cell",
            names(&other)
        ));
    }
    out
}

/// The names of a commune-level aggregate (see [`Facts::aggregate_label`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateLabel {
    /// "<parent id>/cap-xa" or "<parent id>/cap-phuong".
    pub id: String,
    /// "cấp xã" or "cấp phường".
    pub level: String,
    /// "cấp xã thuộc huyện An Lão".
    pub full_name: String,
    /// The bloc of its members.
    pub bloc: String,
}

/// A unit below target on at least one indicator: the subject of one batch letter.
#[derive(Debug, Clone, Serialize)]
pub struct LaggingUnit {
    /// The unit, as in lists (value fields are those of its first lagging indicator).
    #[serde(flatten)]
    pub unit: Standing,
    /// Its standing on every indicator it lags on, catalogue order; templates see each as
    /// `key`, `name` (the indicator's), `unit` (of measure), `value`, `target`, `gap`,
    /// `previous`, `direction`.
    #[serde(serialize_with = "indicator_view")]
    pub indicators: Vec<Standing>,
}

/// How a batch letter's template sees the indicators of its unit.
fn indicator_view<S: serde::Serializer>(v: &[Standing], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    use serde_json::json;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for st in v {
        seq.serialize_element(&Fields(vec![
            ("key", json!(st.indicator)),
            ("name", json!(st.indicator_name)),
            ("unit", json!(st.measure)),
            ("value", json!(st.value)),
            ("target", json!(st.target)),
            ("gap", json!(st.gap)),
            ("previous", json!(st.previous)),
            ("direction", json!(st.direction)),
        ]))?;
    }
    seq.end()
}

/// A JSON object whose keys serialize in the order given: the output shapes of standings
/// (`congvan lagging --json`, `diff --json`, batch context), which CI diffs byte for byte.
#[derive(Debug, Clone, PartialEq)]
pub struct Fields(pub Vec<(&'static str, serde_json::Value)>);

impl Serialize for Fields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Facts {
    /// A name for each unit (indexed like [`Facts::units`]) that tells it from every other:
    /// its full name, followed by ", " and its parent's full name when another unit of the
    /// registry has the same full name ("xã Quốc Tuấn, huyện An Dương" beside "xã Quốc Tuấn,
    /// huyện An Lão"), as the lists write a commune alone.
    pub fn distinct_names(&self) -> Vec<String> {
        use crate::text::names::fold;
        let keys: Vec<String> = self.units.iter().map(|u| fold(&u.full_name)).collect();
        let mut count: std::collections::HashMap<&str, usize> = Default::default();
        for k in &keys {
            *count.entry(k.as_str()).or_default() += 1;
        }
        self.units
            .iter()
            .zip(&keys)
            .map(|(u, k)| {
                let parent = u.parent.and_then(|p| self.units.get(p));
                match parent {
                    Some(p) if count.get(k.as_str()).is_some_and(|&n| n > 1) => {
                        format!("{}, {}", u.full_name, p.full_name)
                    }
                    _ => u.full_name.clone(),
                }
            })
            .collect()
    }

    /// Every unit with a value for `ind` (no aggregates), in the spec's sort order (registry,
    /// Vietnamese alphabetical by full name, or worst value first): the rows of a phụ lục of
    /// results.
    pub fn sorted_entries<'a>(&'a self, ind: &'a IndicatorFacts) -> Vec<&'a Entry> {
        let mut rows: Vec<&Entry> = ind.entries.iter().collect();
        let order = |e: &Entry| self.units.get(e.unit).map_or(0, |u| u.order);
        let name = |e: &Entry| self.units.get(e.unit).map_or("", |u| u.full_name.as_str());
        match self.sort {
            SortOrder::Registry => rows.sort_by_key(|e| order(e)),
            SortOrder::Alphabetical => {
                rows.sort_by(|a, b| compare_vi(name(a), name(b)).then(order(a).cmp(&order(b))))
            }
            SortOrder::Value => rows.sort_by(|a, b| {
                let o = a.value.partial_cmp(&b.value).unwrap_or(Ordering::Equal);
                let o = if ind.direction == Direction::LowerIsBetter {
                    o.reverse()
                } else {
                    o
                };
                o.then(order(a).cmp(&order(b)))
            }),
        }
        rows
    }

    /// The facts of indicator `key` (catalogue key or QĐ 766 number).
    pub fn indicator(&self, key: &str) -> Option<&IndicatorFacts> {
        self.indicators
            .iter()
            .find(|i| i.key == key || (!i.id.is_empty() && i.id == key))
    }

    /// Units below target on at least one indicator, registry order (aggregates excluded: a
    /// letter goes to a unit, not to "cấp xã thuộc huyện X").
    pub fn lagging_units(&self) -> Vec<LaggingUnit> {
        let mut by_unit: std::collections::BTreeMap<usize, LaggingUnit> = Default::default();
        for ind in &self.indicators {
            for e in ind.entries.iter().filter(|e| e.lagging) {
                if self.units.get(e.unit).is_none() {
                    continue;
                }
                let st = self.unit_standing(ind, e);
                by_unit
                    .entry(e.unit)
                    .or_insert_with(|| LaggingUnit {
                        unit: st.clone(),
                        indicators: Vec::new(),
                    })
                    .indicators
                    .push(st);
            }
        }
        let mut units: Vec<LaggingUnit> = by_unit.into_values().collect();
        units.sort_by_key(|u| u.unit.order);
        units
    }

    /// How an aggregate is named: id "<parent id>/cap-xa" (or "/cap-phuong" when every member
    /// is a phường), level "cấp xã", full name "cấp xã thuộc huyện An Lão", and the members' bloc.
    pub fn aggregate_label(&self, a: &Aggregate) -> AggregateLabel {
        let lists = &crate::vocab::wording::wording().lists;
        let members = || a.members.iter().filter_map(|&c| self.units.get(c));
        // Members all of one kind that names its own level ("cấp phường"), else "cấp xã".
        let first_kind = members().next().map(|m| m.kind.as_str()).unwrap_or("");
        let own = members()
            .all(|m| m.kind == first_kind)
            .then(|| self.vocabulary.kind(first_kind))
            .flatten()
            .and_then(|k| k.aggregate.clone());
        let level = own.unwrap_or_else(|| lists.commune_level.clone());
        let slug = crate::text::file_stem(&level);
        let (parent_id, parent_name) = self
            .units
            .get(a.parent)
            .map_or((a.parent_id.as_str(), ""), |p| {
                (p.id.as_str(), p.full_name.as_str())
            });
        AggregateLabel {
            id: format!("{parent_id}/{slug}"),
            full_name: format!("{level} {} {parent_name}", lists.of),
            level,
            bloc: members()
                .next()
                .map_or_else(String::new, |m| m.bloc.clone()),
        }
    }

    /// The filters of `opts` resolved against the registry: a bloc, kind or unit that matches
    /// no unit is an error naming the closest values (a list filtered on a typo would print
    /// "không có" where units lag).
    fn filter(&self, opts: &ListOptions) -> std::result::Result<Filter, String> {
        let mut f = Filter::default();
        if let Some(want) = opts.bloc.as_deref() {
            let label = self.vocabulary.bloc_label(want);
            let key = fold(&label);
            if !self.units.iter().any(|u| fold(&u.bloc) == key) {
                let mut blocs: Vec<&str> = self.units.iter().map(|u| u.bloc.as_str()).collect();
                blocs.sort_unstable();
                blocs.dedup();
                let near = crate::text::names::closest_n(want, blocs.iter().copied(), 3);
                return Err(format!(
                    "bloc = \"{want}\" matches no bloc of the registry; closest: {} (the registry's blocs: {})",
                    quoted(&near),
                    quoted(&blocs)
                ));
            }
            f.bloc = Some(key);
        }
        if let Some(want) = opts.kind.as_deref() {
            let word = self.vocabulary.kind(want).map(|k| k.word.clone());
            match word {
                Some(w) if self.units.iter().any(|u| u.kind == w) => f.kind = Some(w),
                _ => {
                    let mut kinds: Vec<&str> = self.units.iter().map(|u| u.kind.as_str()).collect();
                    kinds.sort_unstable();
                    kinds.dedup();
                    if let Some(b) = self.vocabulary.bloc(want) {
                        return Err(format!(
                            "kind = \"{want}\" names the bloc \"{}\", not a kind: write bloc = \"{}\" (the registry's kinds: {})",
                            b.label,
                            b.label,
                            quoted(&kinds)
                        ));
                    }
                    let near = crate::text::names::closest_n(want, kinds.iter().copied(), 3);
                    return Err(format!(
                        "kind = \"{want}\" matches no kind of the registry; closest: {} (the registry's kinds: {})",
                        quoted(&near),
                        quoted(&kinds)
                    ));
                }
            }
        }
        if let Some(want) = opts.unit.as_deref() {
            let key = fold(want);
            let found: Vec<usize> = (0..self.units.len())
                .filter(|&i| {
                    let u = &self.units[i];
                    u.id == want.trim()
                        || u.code.as_deref() == Some(want.trim())
                        || fold(&u.name) == key
                        || fold(&u.full_name) == key
                })
                .collect();
            match found.as_slice() {
                [one] => f.unit = Some(*one),
                [] => {
                    let near = crate::text::names::closest_n(
                        want,
                        self.units.iter().map(|u| u.full_name.as_str()),
                        3,
                    );
                    return Err(format!(
                        "unit = \"{want}\" matches no unit of the registry; closest: {}",
                        quoted(&near)
                    ));
                }
                many => {
                    let ids: Vec<&str> = many.iter().map(|&i| self.units[i].id.as_str()).collect();
                    return Err(format!(
                        "unit = \"{want}\" names {} units of the registry; write the id: {}",
                        many.len(),
                        quoted(&ids)
                    ));
                }
            }
        }
        Ok(f)
    }

    /// Every standing on `ind`: the units with a value (registry order), then the commune-level
    /// aggregates whose value can be computed (registry order of their parents).
    pub fn standings(&self, ind: &IndicatorFacts) -> Vec<Standing> {
        let units = ind
            .entries
            .iter()
            .filter(|e| e.unit < self.units.len())
            .map(|e| self.unit_standing(ind, e));
        let aggregates = ind
            .aggregates
            .iter()
            .filter_map(|a| self.aggregate_standing(ind, a));
        units.chain(aggregates).collect()
    }

    /// The standings of the units below target on `ind` (no aggregates): what
    /// [`Facts::standings`] filtered to `lagging && !aggregate` holds, in the same order,
    /// without building the standings of the others (the template context needs only these).
    pub fn lagging_unit_standings(&self, ind: &IndicatorFacts) -> Vec<Standing> {
        ind.entries
            .iter()
            .filter(|e| e.unit < self.units.len() && e.lagging)
            .map(|e| self.unit_standing(ind, e))
            .collect()
    }

    /// The standing of the unit of entry `e` (which must index `self.units`).
    fn unit_standing(&self, ind: &IndicatorFacts, e: &Entry) -> Standing {
        let u = &self.units[e.unit];
        let parent = u.parent.and_then(|p| self.units.get(p));
        Standing {
            id: u.id.clone(),
            name: u.name.clone(),
            full_name: u.full_name.clone(),
            kind: u.kind.clone(),
            local: u.local,
            parent_id: parent.map(|p| p.id.clone()),
            parent_name: parent.map(|p| p.full_name.clone()),
            bloc: u.bloc.clone(),
            indicator: ind.key.clone(),
            indicator_name: ind.name.clone(),
            measure: ind.unit.clone(),
            value: e.value,
            target: e.target,
            gap: e.gap,
            previous: e.previous,
            aggregate: false,
            lagging: e.lagging,
            direction: ind.direction,
            grouped: u.commune_level && u.parent.is_some(),
            order: u.order,
        }
    }

    /// The standing of aggregate `a`; `None` when its value cannot be computed.
    fn aggregate_standing(&self, ind: &IndicatorFacts, a: &Aggregate) -> Option<Standing> {
        let value = a.value?;
        let p = self.units.get(a.parent)?;
        // A level given ready-made may have no communes in the registry: the parent's place.
        let order = a
            .members
            .first()
            .and_then(|&m| self.units.get(m))
            .map_or(p.order, |f| f.order);
        let mut label = self.aggregate_label(a);
        if label.bloc.is_empty() {
            label.bloc = p.bloc.clone();
        }
        Some(Standing {
            id: label.id,
            name: p.name.clone(),
            full_name: label.full_name,
            kind: label.level,
            local: true,
            parent_id: Some(p.id.clone()),
            parent_name: Some(p.full_name.clone()),
            bloc: label.bloc,
            indicator: ind.key.clone(),
            indicator_name: ind.name.clone(),
            measure: ind.unit.clone(),
            value,
            target: a.target,
            gap: a.gap,
            previous: None,
            aggregate: true,
            lagging: a.lagging,
            direction: ind.direction,
            grouped: true,
            order,
        })
    }

    /// The grouped list for a letter: units below target (or the `bottom` N worst), by bloc,
    /// communes with a parent grouped under it or aggregated, sorted.
    pub fn list<'a>(
        &'a self,
        indicator: &str,
        opts: &ListOptions,
    ) -> std::result::Result<Vec<Group>, String> {
        let ind = self.indicator(indicator).ok_or_else(|| {
            let keys: Vec<&str> = self.indicators.iter().map(|i| i.key.as_str()).collect();
            format!(
                "no data for indicator \"{indicator}\"; indicators with data: {}",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )
        })?;
        let sort = opts.sort.unwrap_or(self.sort);
        let filter = self.filter(opts)?;
        // A registry has a handful of bloc labels: each is folded once per list, not per unit.
        let mut blocs_seen: Vec<(&str, bool)> = Vec::new();
        let mut bloc_ok = |b: &'a str| {
            let Some(want) = filter.bloc.as_ref() else {
                return true;
            };
            if let Some(&(_, ok)) = blocs_seen.iter().find(|(seen, _)| *seen == b) {
                return ok;
            }
            let ok = fold(b) == *want;
            blocs_seen.push((b, ok));
            ok
        };
        let kind_ok = |k: &str| filter.kind.as_ref().is_none_or(|want| k == want);
        let unit_ok = |u: usize| filter.unit.is_none_or(|want| u == want);
        let aggregate_mode = opts.communes == Communes::Aggregate;
        let mut candidates: Vec<Standing> = Vec::new();
        for e in &ind.entries {
            let u = &self.units[e.unit];
            if !bloc_ok(&u.bloc) || !kind_ok(&u.kind) || !unit_ok(e.unit) {
                continue;
            }
            if aggregate_mode && u.commune_level && u.parent.is_some() {
                continue;
            }
            candidates.push(self.unit_standing(ind, e));
        }
        // Commune-level kinds, for a level given ready-made with no communes in the registry.
        let commune_kind = |k: &str| {
            self.vocabulary
                .kind(k)
                .is_some_and(|k| k.level == crate::vocab::vocabulary::Level::Commune)
        };
        let has_member_data = |a: &Aggregate| {
            ind.entries.iter().any(|e| {
                self.units[e.unit].parent == Some(a.parent) && self.units[e.unit].commune_level
            })
        };
        for a in &ind.aggregates {
            // A level given ready-made stands for its communes when none of them has data,
            // whatever the mode: left out, the list would miss it.
            let stands_in = a.given && !has_member_data(a);
            if !aggregate_mode && !stands_in {
                continue;
            }
            let (bloc, kind_matches) = match a.members.first() {
                Some(&first) => (&self.units[first].bloc, kind_ok(&self.units[first].kind)),
                None => (
                    &self.units[a.parent].bloc,
                    filter.kind.as_ref().is_none_or(|k| commune_kind(k)),
                ),
            };
            if !bloc_ok(bloc) || !kind_matches || !unit_ok(a.parent) {
                continue;
            }
            {
                let Some(st) = self.aggregate_standing(ind, a) else {
                    if opts.bottom.is_some() || a.missing_counts.is_some() {
                        return Err(format!(
                            "cannot compute the commune level of {} for \"{}\": {} has a rate but no numerator and denominator",
                            self.units[a.parent].full_name,
                            ind.key,
                            a.missing_counts.as_deref().unwrap_or("a unit")
                        ));
                    }
                    continue;
                };
                candidates.push(st);
            }
        }
        let worse = |a: &Standing, b: &Standing| -> Ordering {
            let o = a.value.partial_cmp(&b.value).unwrap_or(Ordering::Equal);
            let o = if ind.direction == Direction::LowerIsBetter {
                o.reverse()
            } else {
                o
            };
            o.then(a.order.cmp(&b.order))
        };
        let mut chosen: Vec<Standing> = match opts.bottom {
            Some(n) => {
                let mut all = candidates;
                all.sort_by(worse);
                all.truncate(n);
                all
            }
            None => candidates.into_iter().filter(|it| it.lagging).collect(),
        };
        let item_cmp = |a: &Standing, b: &Standing| -> Ordering {
            match sort {
                SortOrder::Registry => a.order.cmp(&b.order),
                SortOrder::Alphabetical => compare_vi(&a.name, &b.name)
                    .then_with(|| compare_vi(&a.kind, &b.kind))
                    .then(a.order.cmp(&b.order)),
                SortOrder::Value => worse(a, b),
            }
        };
        chosen.sort_by(item_cmp);
        // Split: units by themselves, then one group per parent of communes.
        let mut top: Vec<Standing> = Vec::new();
        let mut by_parent: Vec<(String, Vec<Standing>)> = Vec::new();
        for it in chosen {
            if it.grouped {
                let pid = it.parent_id.clone().unwrap_or_default();
                match by_parent.iter_mut().find(|(p, _)| *p == pid) {
                    Some((_, v)) => v.push(it),
                    None => by_parent.push((pid, vec![it])),
                }
            } else {
                top.push(it);
            }
        }
        // Parent groups keep the order of their first item (items are already sorted), except
        // in alphabetical order, where parents sort by name.
        if sort == SortOrder::Alphabetical {
            by_parent.sort_by(|a, b| {
                let pa =
                    a.1.first()
                        .and_then(|i| i.parent_name.clone())
                        .unwrap_or_default();
                let pb =
                    b.1.first()
                        .and_then(|i| i.parent_name.clone())
                        .unwrap_or_default();
                let v = &self.vocabulary;
                compare_vi(v.strip_kind(&pa), v.strip_kind(&pb)).then_with(|| compare_vi(&pa, &pb))
            });
        }
        let mut groups = Vec::new();
        if !top.is_empty() {
            groups.push(Group {
                kind: GroupKind::Units,
                parent_id: None,
                parent_name: None,
                members_word: String::new(),
                mixed: false,
                heading: String::new(),
                items: top,
            });
        }
        let lists = &crate::vocab::wording::wording().lists;
        for (pid, items) in by_parent {
            let parent_name = items.first().and_then(|i| i.parent_name.clone());
            let first_kind = items.first().map(|i| i.kind.clone()).unwrap_or_default();
            let mixed = items.iter().any(|i| i.kind != first_kind);
            let (kind, word) = if items.iter().all(|i| i.aggregate) {
                (GroupKind::Aggregate, first_kind.clone())
            } else if items.len() == 1 {
                (GroupKind::Single, first_kind.clone())
            } else if mixed {
                (GroupKind::Members, lists.mixed_members.clone())
            } else {
                (
                    GroupKind::Members,
                    format!("{} {first_kind}", lists.members),
                )
            };
            if kind == GroupKind::Aggregate {
                // One group per aggregate item (there is one per parent).
                for it in items {
                    groups.push(Group {
                        kind,
                        parent_id: Some(pid.clone()),
                        parent_name: parent_name.clone(),
                        members_word: it.kind.clone(),
                        mixed: false,
                        heading: String::new(),
                        items: vec![it],
                    });
                }
                continue;
            }
            let heading = if kind == GroupKind::Members {
                format!(
                    "{word} {} {}",
                    lists.of,
                    parent_name.as_deref().unwrap_or("")
                )
            } else {
                String::new()
            };
            groups.push(Group {
                kind,
                parent_id: Some(pid),
                parent_name,
                members_word: word,
                mixed,
                heading,
                items,
            });
        }
        Ok(groups)
    }
}

/// The filters of a list, resolved: the folded bloc label, the kind word, the unit index.
#[derive(Debug, Default)]
struct Filter {
    bloc: Option<String>,
    kind: Option<String>,
    unit: Option<usize>,
}

fn fold(s: &str) -> String {
    crate::text::names::fold(s)
}

/// `"a", "b"` for a message.
fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
