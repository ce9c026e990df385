//! What templates get from the analysis: context keys and Tera filters/functions.
//!
//! Context (merged into the template context by [`context`]):
//! - `lagging.<indicator key>`: `{ name, unit, direction, blocs: { "<bloc>": [items below
//!   target, registry order] }, count }` — items as in [`crate::analysis::Standing`];
//! - `indicators.<key>`: `{ id, name, unit, direction, units_with_data, lagging_count }`;
//! - `standings`: a list, one entry per indicator in catalogue order (a list, not a map, so
//!   a loop over it has a fixed order): `{ key, id, name, unit, direction, rows }`, `rows`
//!   every unit with a value in the spec's sort order:
//!   `{ id, name, full_name, bloc, value, target, gap, previous, change, lagging }`
//!   (`change` = value − previous, percentage points for rates);
//! - `units`: the registry (`id, code, name, kind, full_name, parent_id, bloc, order`).
//!
//! Filters: `percent`, `decimal`, `integer`, `lagging_text`. Functions: `lagging`,
//! `lagging_list`, `chart(indicator=…)` (the line `::: chart indicator="<key>"` on a
//! paragraph of its own, drawn by the pipeline as the phụ lục's bar chart). Kwargs of the list helpers: `indicator` (required), `bloc` (label or code),
//! `kind` (word or code), `unit` (id, code or name) — each must match the registry — `communes`
//! ("list" | "aggregate"), `sort` ("registry" | "alphabetical" | "value"), `bottom` (N), and
//! for wording `prefix` ("UBND "), `bold`, `precision`, `whole` ("trim" | "keep"), `empty`.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{json, Map, Value as Json};
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::analysis::{Communes, Facts, Group, ListOptions};
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
            Ok(Value::safe_string(&format!(
                "\n\n::: chart indicator=\"{key}\"\n\n"
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

/// Context keys from the analysis: `lagging`, `indicators`, `units`.
pub fn context(facts: &Facts) -> Json {
    let mut lagging = Map::new();
    let mut indicators = Map::new();
    let mut standings = Vec::new();
    for ind in &facts.indicators {
        let rows: Vec<Json> = facts
            .sorted_entries(ind)
            .into_iter()
            .map(|e| {
                let u = &facts.units[e.unit];
                json!({
                    "id": u.id, "name": u.name, "full_name": u.full_name, "bloc": u.bloc,
                    "value": e.value, "target": e.target, "gap": e.gap, "previous": e.previous,
                    "change": e.previous.map(|p| e.value - p), "lagging": e.lagging,
                })
            })
            .collect();
        standings.push(json!({
            "key": ind.key, "id": ind.id, "name": ind.name, "unit": ind.unit,
            "direction": ind.direction, "rows": rows,
        }));
        let mut blocs: Map<String, Json> = Map::new();
        let mut count = 0;
        let lagging_units = facts
            .standings(ind)
            .into_iter()
            .filter(|s| s.lagging && !s.aggregate);
        for st in lagging_units {
            count += 1;
            let bloc = st.bloc.clone();
            let item = serde_json::to_value(st).unwrap_or(Json::Null);
            if let Some(Json::Array(a)) = blocs.get_mut(&bloc) {
                a.push(item);
            } else {
                blocs.insert(bloc, Json::Array(vec![item]));
            }
        }
        lagging.insert(
            ind.key.clone(),
            json!({ "name": ind.name, "unit": ind.unit, "direction": ind.direction, "blocs": blocs, "count": count }),
        );
        indicators.insert(
            ind.key.clone(),
            json!({ "id": ind.id, "name": ind.name, "unit": ind.unit, "direction": ind.direction,
                    "units_with_data": ind.entries.len(), "lagging_count": count }),
        );
    }
    json!({ "lagging": lagging, "indicators": indicators, "standings": standings, "units": facts.units })
}
