//! What templates get from the analysis: context keys and Tera filters/functions.
//!
//! Context (merged into the template context by [`context`]):
//! - `lagging.<indicator key>`: `{ name, unit, direction, blocs: { "<bloc>": [items below
//!   target, registry order] }, count }` — items as in [`crate::analysis::Standing`];
//! - `indicators.<key>`: `{ id, name, unit, direction, units_with_data, lagging_count }`;
//! - `standings`: a list, one entry per indicator in catalogue order (a list, not a map, so
//!   a loop over it has a fixed order): `{ key, id, name, unit, direction, rows }`, `rows`
//!   every unit with a value in the spec's sort order:
//!   `{ id, name, full_name, label, parent_name, bloc, value, target, gap, previous, change,
//!   lagging }` (`label`: the full name, with the parent's when another unit shares it)
//!   (`change` = value − previous, percentage points for rates);
//! - `units`: the registry (`id, code, name, kind, full_name, parent_id, bloc, order`).
//!
//! Filters: `percent`, `decimal`, `integer`, `lagging_text`. Functions: `lagging`,
//! `lagging_list`, `chart(indicator=…)` (the line `::: chart indicator="<key>"`, alone on its
//! line or refused by the reader, drawn by the pipeline as the phụ lục's bar chart). Kwargs of the list helpers: `indicator` (required), `bloc` (label or code),
//! `kind` (word or code), `unit` (id, code or name) — each must match the registry — `communes`
//! ("list" | "aggregate"), `sort` ("registry" | "alphabetical" | "value"), `bottom` (N), and
//! for wording `prefix` ("UBND "), `bold`, `precision`, `whole` ("trim" | "keep"), `empty`.

use std::sync::Arc;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::analysis::{Communes, Facts, Group, ListOptions};
use crate::input::catalogue::Direction;
use crate::input::targets::SortOrder;
use crate::template::lists::{self, Wording};
use crate::text::numbers::{self, Whole};

fn whole(kwargs: &Kwargs) -> TeraResult<Whole> {
    match kwargs.get::<&str>("whole")? {
        None | Some("trim") => Ok(Whole::Trim),
        Some("keep") => Ok(Whole::Keep),
        Some(other) => Err(tera::Error::message(format!(
            "whole = \"{other}\" is not known; use \"trim\" (60%) or \"keep\" (60,00%)"
        ))),
    }
}

fn precision(kwargs: &Kwargs) -> TeraResult<usize> {
    let p = kwargs.get::<usize>("precision")?.unwrap_or(2);
    if p > 6 {
        return Err(tera::Error::message(format!(
            "precision {p} is too large; use 0 to 6"
        )));
    }
    Ok(p)
}

fn list_options(kwargs: &Kwargs) -> TeraResult<(String, ListOptions)> {
    let indicator = kwargs.must_get::<&str>("indicator")?.to_string();
    let communes = match kwargs.get::<&str>("communes")? {
        None | Some("list") => Communes::List,
        Some("aggregate") => Communes::Aggregate,
        Some(other) => {
            return Err(tera::Error::message(format!(
                "communes = \"{other}\" is not known; use \"list\" (each commune under its parent) or \"aggregate\" (cấp xã thuộc …)"
            )))
        }
    };
    let sort = match kwargs.get::<&str>("sort")? {
        None => None,
        Some(s) => Some(SortOrder::parse(s).ok_or_else(|| {
            tera::Error::message(format!(
                "sort = \"{s}\" is not known; use \"registry\", \"alphabetical\" or \"value\""
            ))
        })?),
    };
    let opts = ListOptions {
        bloc: kwargs.get::<&str>("bloc")?.map(str::to_string),
        kind: kwargs.get::<&str>("kind")?.map(str::to_string),
        unit: kwargs.get::<&str>("unit")?.map(str::to_string),
        communes,
        sort,
        bottom: kwargs.get::<usize>("bottom")?,
    };
    Ok((indicator, opts))
}

fn wording(kwargs: &Kwargs) -> TeraResult<Wording> {
    Ok(Wording {
        prefix: kwargs.get::<&str>("prefix")?.unwrap_or("").to_string(),
        bold: kwargs.get::<bool>("bold")?.unwrap_or(false),
        precision: precision(kwargs)?,
        whole: whole(kwargs)?,
        empty: kwargs
            .get::<&str>("empty")?
            .unwrap_or(&crate::vocab::wording::wording().lists.empty)
            .to_string(),
    })
}

/// Register the filters and functions on `tera`.
pub fn register(tera: &mut Tera, facts: Arc<Facts>) {
    tera.register_filter(
        "percent",
        |v: f64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            Ok(numbers::percent(v, precision(&kwargs)?, whole(&kwargs)?))
        },
    );
    tera.register_filter(
        "decimal",
        |v: f64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            Ok(numbers::decimal(v, precision(&kwargs)?, whole(&kwargs)?))
        },
    );
    tera.register_filter("integer", |v: f64, _: Kwargs, _: &State| -> String {
        numbers::integer(v.round() as i64)
    });
    let f = facts.clone();
    tera.register_function(
        "lagging",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let (indicator, opts) = list_options(&kwargs)?;
            let groups = f.list(&indicator, &opts).map_err(tera::Error::message)?;
            Value::try_from_serializable(&groups)
        },
    );
    let f = facts.clone();
    tera.register_function(
        "lagging_list",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let (indicator, opts) = list_options(&kwargs)?;
            let groups = f.list(&indicator, &opts).map_err(tera::Error::message)?;
            let unit = f.indicator(&indicator).map_or("%", |i| i.unit.as_str());
            lists::word(&groups, unit, &wording(&kwargs)?)
                .map(|s| Value::safe_string(&s))
                .map_err(tera::Error::message)
        },
    );
    let f = facts.clone();
    tera.register_function(
        "chart",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let indicator = kwargs.must_get::<&str>("indicator")?;
            let key = chart_key(&f, indicator).map_err(tera::Error::message)?;
            // The fence line alone, no blank lines around it: called anywhere but alone on
            // its line, the reader sees the chart inside other text and refuses it.
            Ok(Value::safe_string(&format!(
                "::: chart indicator=\"{key}\""
            )))
        },
    );
    tera.register_filter(
        "lagging_text",
        |v: Value, kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let groups = Vec::<Group>::deserialize(&v).map_err(|e| {
                tera::Error::message(format!(
                    "lagging_text expects the result of lagging(…): {e}"
                ))
            })?;
            let unit = kwargs.get::<&str>("unit")?.unwrap_or("%").to_string();
            lists::word(&groups, &unit, &wording(&kwargs)?)
                .map(|s| Value::safe_string(&s))
                .map_err(tera::Error::message)
        },
    );
}

/// The catalogue key of the indicator a `chart(indicator=…)` call names (key or QĐ 766
/// number), checked here so a wrong name is an error at the call: no data for it, or no unit
/// with a value (nothing to chart).
fn chart_key(facts: &Facts, indicator: &str) -> Result<String, String> {
    crate::chart::of_indicator(facts, indicator).map(|_| ())?;
    facts
        .indicator(indicator)
        .map(|i| i.key.clone())
        .ok_or_else(|| format!("no data for indicator \"{indicator}\""))
}

/// Insert the context keys from the analysis (`lagging`, `indicators`, `standings`,
/// `units`) into `ctx`, serialized straight into Tera's values (no `serde_json` tree between).
pub fn insert_context(ctx: &mut tera::Context, facts: &Facts) {
    let keys = Keys::new(facts);
    ctx.insert("indicators", &keys.indicators);
    ctx.insert("lagging", &keys.lagging);
    ctx.insert("standings", &keys.standings);
    ctx.insert("units", &keys.units);
}

/// The context keys from the analysis as JSON (what [`insert_context`] inserts).
pub fn context(facts: &Facts) -> serde_json::Value {
    serde_json::to_value(Keys::new(facts)).unwrap_or(serde_json::Value::Null)
}

/// The context keys from the analysis, borrowing from the facts: each value is the one the
/// JSON shape in this module's docs gives — integers unsigned when not negative and
/// non-finite numbers none, as a `serde_json::Value` holds them.
#[derive(Serialize)]
struct Keys<'a> {
    lagging: BTreeMap<&'a str, Lagging<'a>>,
    indicators: BTreeMap<&'a str, IndicatorInfo<'a>>,
    standings: Vec<Table<'a>>,
    units: Vec<UnitInfo<'a>>,
}

impl<'a> Keys<'a> {
    fn new(facts: &'a Facts) -> Keys<'a> {
        let mut lagging = BTreeMap::new();
        let mut indicators = BTreeMap::new();
        let mut standings = Vec::with_capacity(facts.indicators.len());
        let labels = if facts.indicators.is_empty() {
            Vec::new()
        } else {
            facts.distinct_names()
        };
        for ind in &facts.indicators {
            let rows: Vec<Row> = facts
                .sorted_entries(ind)
                .into_iter()
                .map(|e| {
                    let u = &facts.units[e.unit];
                    Row {
                        id: &u.id,
                        name: &u.name,
                        full_name: &u.full_name,
                        label: labels.get(e.unit).cloned().unwrap_or_default(),
                        parent_name: u
                            .parent
                            .and_then(|p| facts.units.get(p))
                            .map(|p| p.full_name.as_str()),
                        bloc: &u.bloc,
                        value: Num(e.value),
                        target: e.target.map(Num),
                        gap: e.gap.map(Num),
                        previous: e.previous.map(Num),
                        change: e.previous.map(|p| Num(e.value - p)),
                        lagging: e.lagging,
                    }
                })
                .collect();
            standings.push(Table {
                key: &ind.key,
                id: &ind.id,
                name: &ind.name,
                unit: &ind.unit,
                direction: ind.direction,
                rows,
            });
            let mut blocs: BTreeMap<String, Vec<crate::analysis::Standing>> = BTreeMap::new();
            let mut count = 0usize;
            for st in facts.lagging_unit_standings(ind) {
                count += 1;
                blocs.entry(st.bloc.clone()).or_default().push(st);
            }
            lagging.insert(
                ind.key.as_str(),
                Lagging {
                    name: &ind.name,
                    unit: &ind.unit,
                    direction: ind.direction,
                    blocs,
                    count,
                },
            );
            indicators.insert(
                ind.key.as_str(),
                IndicatorInfo {
                    id: &ind.id,
                    name: &ind.name,
                    unit: &ind.unit,
                    direction: ind.direction,
                    units_with_data: ind.entries.len(),
                    lagging_count: count,
                },
            );
        }
        let units: Vec<UnitInfo> = facts
            .units
            .iter()
            .map(|u| UnitInfo {
                id: &u.id,
                code: u.code.as_deref(),
                name: &u.name,
                kind: &u.kind,
                full_name: &u.full_name,
                parent_id: u.parent_id.as_deref(),
                bloc: &u.bloc,
                order: Int(u.order),
                commune_level: u.commune_level,
                local: u.local,
            })
            .collect();
        Keys {
            lagging,
            indicators,
            standings,
            units,
        }
    }
}

/// A number as a `serde_json::Value` holds it: non-finite is none.
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            s.serialize_f64(self.0)
        } else {
            s.serialize_unit()
        }
    }
}

/// An integer as a `serde_json::Value` holds it: unsigned when not negative.
struct Int(i64);

impl Serialize for Int {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match u64::try_from(self.0) {
            Ok(u) => s.serialize_u64(u),
            Err(_) => s.serialize_i64(self.0),
        }
    }
}

/// `standings[].rows[]`.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    full_name: &'a str,
    label: String,
    parent_name: Option<&'a str>,
    bloc: &'a str,
    value: Num,
    target: Option<Num>,
    gap: Option<Num>,
    previous: Option<Num>,
    change: Option<Num>,
    lagging: bool,
}

/// `standings[]`.
#[derive(Serialize)]
struct Table<'a> {
    key: &'a str,
    id: &'a str,
    name: &'a str,
    unit: &'a str,
    direction: Direction,
    rows: Vec<Row<'a>>,
}

/// `lagging.<key>`.
#[derive(Serialize)]
struct Lagging<'a> {
    name: &'a str,
    unit: &'a str,
    direction: Direction,
    blocs: BTreeMap<String, Vec<crate::analysis::Standing>>,
    count: usize,
}

/// `indicators.<key>`.
#[derive(Serialize)]
struct IndicatorInfo<'a> {
    id: &'a str,
    name: &'a str,
    unit: &'a str,
    direction: Direction,
    units_with_data: usize,
    lagging_count: usize,
}

/// `units[]`: the registry's [`crate::input::registry::Unit`] as serialized.
#[derive(Serialize)]
struct UnitInfo<'a> {
    id: &'a str,
    code: Option<&'a str>,
    name: &'a str,
    kind: &'a str,
    full_name: &'a str,
    parent_id: Option<&'a str>,
    bloc: &'a str,
    order: Int,
    commune_level: bool,
    local: bool,
}
