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
    /// Only units of this bloc.
    pub bloc: Option<String>,
    /// How communes with a parent are shown.
    pub communes: Communes,
    /// Order; `None` = the facts' default.
    pub sort: Option<SortOrder>,
    /// The N worst instead of those below target.
    pub bottom: Option<usize>,
}

/// A unit (or aggregate) in a list.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    /// Unit id (aggregates: "<parent id>/cap-xa").
    pub id: String,
    /// Proper name ("Lê Chân"; aggregates: the parent's).
    pub name: String,
    /// Name with kind ("quận Lê Chân"; aggregates: "cấp xã thuộc huyện An Lão").
    pub full_name: String,
    /// Kind ("quận"; aggregates: "cấp xã" or "cấp phường").
    pub kind: String,
    /// Whether a local government (takes "UBND").
    pub local: bool,
    /// Parent id.
    pub parent_id: Option<String>,
    /// Parent name with kind.
    pub parent_name: Option<String>,
    /// Bloc.
    pub bloc: String,
    /// Value.
    pub value: f64,
    /// Target.
    pub target: Option<f64>,
    /// Shortfall, positive when lagging.
    pub gap: Option<f64>,
    /// Last period's value.
    pub previous: Option<f64>,
    /// Whether this is a commune-level aggregate.
    pub aggregate: bool,
    /// Whether it misses its target.
    pub lagging: bool,
    /// A commune listed under its parent (not by itself).
    #[serde(default, skip_serializing)]
    grouped: bool,
    #[serde(default, skip_serializing)]
    order: i64,
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
    /// The items.
    pub items: Vec<Item>,
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

fn shortfall(direction: Direction, value: f64, target: Option<f64>) -> (Option<f64>, bool) {
    match (direction, target) {
        (Direction::HigherIsBetter, Some(t)) => (Some(t - value), value < t),
        (Direction::LowerIsBetter, Some(t)) => (Some(value - t), value > t),
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
    let mut indicators = Vec::new();
    for (ii, mut measures) in per_indicator.into_iter().enumerate() {
        if measures.is_empty() {
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
            let target = targets.for_unit(&ind.key, unit, ind.typical_target);
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
            });
        }
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
    }
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
    pub unit: Item,
    /// Every indicator it lags on, catalogue order.
    pub indicators: Vec<LaggingIndicator>,
}

/// One indicator a unit lags on.
#[derive(Debug, Clone, Serialize)]
pub struct LaggingIndicator {
    /// Catalogue key.
    pub key: String,
    /// Vietnamese name.
    pub name: String,
    /// Unit of measure ("%").
    pub unit: String,
    /// The unit's value.
    pub value: f64,
    /// Its target.
    pub target: Option<f64>,
    /// Shortfall, positive.
    pub gap: Option<f64>,
    /// Last period's value, when known.
    pub previous: Option<f64>,
}

impl Facts {
    /// Every unit with a value for `ind`, in the spec's sort order (registry, Vietnamese
    /// alphabetical by full name, or worst value first): the rows of a phụ lục of results.
    pub fn standings<'a>(&'a self, ind: &'a IndicatorFacts) -> Vec<&'a Entry> {
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
                let lagging = by_unit.entry(e.unit).or_insert_with(|| LaggingUnit {
                    unit: self.item_for_unit(e),
                    indicators: Vec::new(),
                });
                lagging.indicators.push(LaggingIndicator {
                    key: ind.key.clone(),
                    name: ind.name.clone(),
                    unit: ind.unit.clone(),
                    value: e.value,
                    target: e.target,
                    gap: e.gap,
                    previous: e.previous,
                });
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
        let all_phuong = members().all(|m| m.kind == "phường");
        let (level, slug) = if all_phuong {
            (&lists.ward_level, "cap-phuong")
        } else {
            (&lists.commune_level, "cap-xa")
        };
        let (parent_id, parent_name) = self
            .units
            .get(a.parent)
            .map_or((a.parent_id.as_str(), ""), |p| {
                (p.id.as_str(), p.full_name.as_str())
            });
        AggregateLabel {
            id: format!("{parent_id}/{slug}"),
            full_name: format!("{level} {} {parent_name}", lists.of),
            level: level.clone(),
            bloc: members()
                .next()
                .map_or_else(String::new, |m| m.bloc.clone()),
        }
    }

    fn item_for_unit(&self, e: &Entry) -> Item {
        let u = &self.units[e.unit];
        let parent = u.parent.and_then(|p| self.units.get(p));
        Item {
            id: u.id.clone(),
            name: u.name.clone(),
            full_name: u.full_name.clone(),
            kind: u.kind.clone(),
            local: u.local,
            parent_id: parent.map(|p| p.id.clone()),
            parent_name: parent.map(|p| p.full_name.clone()),
            bloc: u.bloc.clone(),
            value: e.value,
            target: e.target,
            gap: e.gap,
            previous: e.previous,
            aggregate: false,
            lagging: e.lagging,
            grouped: u.commune_level && u.parent.is_some(),
            order: u.order,
        }
    }

    /// The grouped list for a letter: units below target (or the `bottom` N worst), by bloc,
    /// communes with a parent grouped under it or aggregated, sorted.
    pub fn list(
        &self,
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
        let bloc_ok = |b: &str| {
            opts.bloc
                .as_deref()
                .is_none_or(|want| crate::text::names::fold(want) == crate::text::names::fold(b))
        };
        let aggregate_mode = opts.communes == Communes::Aggregate;
        let mut candidates: Vec<Item> = Vec::new();
        for e in &ind.entries {
            let u = &self.units[e.unit];
            if !bloc_ok(&u.bloc) {
                continue;
            }
            if aggregate_mode && u.commune_level && u.parent.is_some() {
                continue;
            }
            candidates.push(self.item_for_unit(e));
        }
        if aggregate_mode {
            for a in &ind.aggregates {
                let Some(&first) = a.members.first() else {
                    continue;
                };
                let m = &self.units[first];
                if !bloc_ok(&m.bloc) {
                    continue;
                }
                let p = &self.units[a.parent];
                let Some(value) = a.value else {
                    if opts.bottom.is_some() || a.missing_counts.is_some() {
                        return Err(format!(
                            "cannot compute the commune level of {} for \"{}\": {} has a rate but no numerator and denominator",
                            p.full_name,
                            ind.key,
                            a.missing_counts.as_deref().unwrap_or("a unit")
                        ));
                    }
                    continue;
                };
                let label = self.aggregate_label(a);
                candidates.push(Item {
                    id: label.id,
                    name: p.name.clone(),
                    full_name: label.full_name,
                    kind: label.level,
                    local: true,
                    parent_id: Some(p.id.clone()),
                    parent_name: Some(p.full_name.clone()),
                    bloc: m.bloc.clone(),
                    value,
                    target: a.target,
                    gap: a.gap,
                    previous: None,
                    aggregate: true,
                    lagging: a.lagging,
                    grouped: true,
                    order: m.order,
                });
            }
        }
        let worse = |a: &Item, b: &Item| -> Ordering {
            let o = a.value.partial_cmp(&b.value).unwrap_or(Ordering::Equal);
            let o = if ind.direction == Direction::LowerIsBetter {
                o.reverse()
            } else {
                o
            };
            o.then(a.order.cmp(&b.order))
        };
        let mut chosen: Vec<Item> = match opts.bottom {
            Some(n) => {
                let mut all = candidates;
                all.sort_by(worse);
                all.truncate(n);
                all
            }
            None => candidates.into_iter().filter(|it| it.lagging).collect(),
        };
        let item_cmp = |a: &Item, b: &Item| -> Ordering {
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
        let mut top: Vec<Item> = Vec::new();
        let mut by_parent: Vec<(String, Vec<Item>)> = Vec::new();
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
                compare_vi(strip_kind(&pa), strip_kind(&pb)).then_with(|| compare_vi(&pa, &pb))
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
                        items: vec![it],
                    });
                }
                continue;
            }
            groups.push(Group {
                kind,
                parent_id: Some(pid),
                parent_name,
                members_word: word,
                mixed,
                items,
            });
        }
        Ok(groups)
    }
}

/// "huyện An Lão" → "An Lão".
fn strip_kind(full: &str) -> &str {
    for k in crate::input::registry::LOCAL_KINDS {
        if let Some(rest) = full.strip_prefix(k).and_then(|r| r.strip_prefix(' ')) {
            return rest;
        }
    }
    full
}
