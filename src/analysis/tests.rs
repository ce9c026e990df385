//! The pure analysis on tables built in memory: grouping, aggregates, sort orders, the
//! rounding boundary of verdicts and of printed values.

use std::collections::HashMap;

use super::*;
use crate::input::catalogue::Catalogue;
use crate::input::registry::{Registry, Unit};
use crate::input::targets::{IndicatorTargets, Targets};
use crate::input::values::{Measure, ValueTable};
use crate::vocab::vocabulary::{Level, Vocabulary};

const HIGHER: &str = "ty_le_ho_so_truc_tuyen";
const LOWER: &str = "ty_le_qua_han";

/// A unit as the registry reader makes it: kind word, full name, bloc label, levels.
fn unit(id: &str, name: &str, kind: &str, parent: Option<&str>) -> Unit {
    let v = Vocabulary::builtin();
    let k = v.kind(kind).unwrap_or_else(|| panic!("kind {kind}"));
    Unit {
        id: id.to_string(),
        code: None,
        name: name.to_string(),
        kind: k.word.clone(),
        full_name: if k.local {
            format!("{} {name}", k.word)
        } else {
            name.to_string()
        },
        parent: None,
        parent_id: parent.map(str::to_string),
        bloc: v.bloc_label(&k.bloc),
        order: 0,
        commune_level: k.level == Level::Commune,
        local: k.local,
    }
}

/// Sở B, Sở A, huyện Đông (xã D1, xã D2, phường D3), huyện Dương (xã G1, xã G2), quận Hải (phường H1, phường H2).
fn registry() -> Registry {
    let mut units = vec![
        unit("so-b", "Sở B", "so", None),
        unit("so-a", "Sở A", "so", None),
        unit("h-dong", "Đông", "huyen", None),
        unit("d1", "D1", "xa", Some("h-dong")),
        unit("d2", "D2", "xa", Some("h-dong")),
        unit("d3", "D3", "phuong", Some("h-dong")),
        unit("h-duong", "Dương", "huyen", None),
        unit("g1", "G1", "xa", Some("h-duong")),
        unit("g2", "G2", "xa", Some("h-duong")),
        unit("q-hai", "Hải", "quan", None),
        unit("h1", "H1", "phuong", Some("q-hai")),
        unit("h2", "H2", "phuong", Some("q-hai")),
    ];
    for (i, u) in units.iter_mut().enumerate() {
        u.order = i as i64 + 1;
    }
    Registry::from_units(units, Vocabulary::builtin().clone())
}

fn targets(key: &str, default: f64) -> Targets {
    let mut t = Targets::default();
    t.targets.insert(
        key.to_string(),
        IndicatorTargets {
            default: Some(default),
            ..IndicatorTargets::default()
        },
    );
    t
}

/// Values of indicator `key`: (unit id, value) or (unit id, numerator/denominator).
fn facts(key: &str, target: f64, rows: &[(&str, Fig)]) -> Facts {
    let reg = registry();
    let cat = Catalogue::builtin().unwrap_or_else(|e| panic!("{e}"));
    let ind = cat.find(key).unwrap_or_else(|| panic!("{key}"));
    let mut data = HashMap::new();
    for (id, fig) in rows {
        let u = reg.by_id(id).unwrap_or_else(|| panic!("{id}"));
        let m = match *fig {
            Fig::Value(v) => Measure {
                value: Some(v),
                numerator: None,
                denominator: None,
                target: None,
                line: 0,
            },
            Fig::Counts(n, d) => Measure {
                value: None,
                numerator: Some(n),
                denominator: Some(d),
                target: None,
                line: 0,
            },
        };
        data.insert((u, ind), m);
    }
    let values = ValueTable {
        path: Default::default(),
        data,
        given: Default::default(),
    };
    analyse(&reg, &cat, &targets(key, target), &values, None)
}

#[derive(Clone, Copy)]
enum Fig {
    Value(f64),
    Counts(f64, f64),
}
use Fig::{Counts, Value};

fn names(groups: &[Group]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| g.items.iter().map(|i| i.full_name.clone()).collect())
        .collect()
}

fn list(f: &Facts, key: &str, opts: ListOptions) -> Vec<Group> {
    f.list(key, &opts).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn aggregates_sum_numerators_over_denominators_not_average_rates() {
    // D1 1/4 = 25%, D2 90/100 = 90%: the mean of rates would be 57,5%; the commune level of
    // huyện Đông is 91/104 = 87,5%.
    let f = facts(
        HIGHER,
        88.0,
        &[("d1", Counts(1.0, 4.0)), ("d2", Counts(90.0, 100.0))],
    );
    let ind = f.indicator(HIGHER).unwrap_or_else(|| panic!("facts"));
    let a = &ind.aggregates[0];
    assert_eq!(a.numerator, 91.0);
    assert_eq!(a.denominator, 104.0);
    assert_eq!(a.value, Some(87.5));
    assert!(a.lagging);
    let label = f.aggregate_label(a);
    assert_eq!(label.full_name, "cấp xã thuộc huyện Đông");
    assert_eq!(label.id, "h-dong/cap-xa");
}

#[test]
fn aggregate_of_a_member_without_counts_is_refused_not_guessed() {
    let f = facts(
        HIGHER,
        88.0,
        &[("d1", Counts(1.0, 4.0)), ("d2", Value(90.0))],
    );
    let opts = ListOptions {
        communes: Communes::Aggregate,
        ..ListOptions::default()
    };
    let e = f.list(HIGHER, &opts).err().unwrap_or_default();
    assert!(e.contains("xã D2 has a rate but no numerator"), "{e}");
}

#[test]
fn aggregate_of_wards_only_is_named_cap_phuong() {
    let f = facts(
        HIGHER,
        60.0,
        &[("h1", Counts(1.0, 4.0)), ("h2", Counts(1.0, 4.0))],
    );
    let opts = ListOptions {
        communes: Communes::Aggregate,
        ..ListOptions::default()
    };
    let g = list(&f, HIGHER, opts);
    assert_eq!(g[0].kind, GroupKind::Aggregate);
    assert_eq!(g[0].items[0].full_name, "cấp phường thuộc quận Hải");
    assert_eq!(g[0].items[0].id, "q-hai/cap-phuong");
}

#[test]
fn grouping_units_alone_then_communes_under_their_parent() {
    let f = facts(
        HIGHER,
        50.0,
        &[
            ("so-b", Value(10.0)),
            ("h-dong", Value(20.0)),
            ("d1", Value(30.0)),
            ("d2", Value(40.0)),
            ("d3", Value(45.0)),
            ("g1", Value(10.0)),
            ("g2", Value(90.0)),
            ("so-a", Value(95.0)),
        ],
    );
    let g = list(&f, HIGHER, ListOptions::default());
    let kinds: Vec<GroupKind> = g.iter().map(|g| g.kind).collect();
    assert_eq!(
        kinds,
        [GroupKind::Units, GroupKind::Members, GroupKind::Single]
    );
    assert_eq!(
        names(&g),
        [
            vec!["Sở B", "huyện Đông"],
            vec!["xã D1", "xã D2", "phường D3"],
            vec!["xã G1"],
        ]
    );
    assert!(g[1].mixed, "xã and phường under one parent");
    assert_eq!(g[1].members_word, "các đơn vị cấp xã");
    assert_eq!(g[2].parent_name.as_deref(), Some("huyện Dương"));
    // Only the bloc asked for.
    let sn = list(
        &f,
        HIGHER,
        ListOptions {
            bloc: Some("so-nganh".into()),
            ..ListOptions::default()
        },
    );
    assert_eq!(names(&sn), [vec!["Sở B"]]);
}

#[test]
fn sort_orders_registry_alphabetical_value() {
    let rows = [
        ("so-b", Value(10.0)),
        ("so-a", Value(30.0)),
        ("h-duong", Value(20.0)),
        ("h-dong", Value(40.0)),
    ];
    let f = facts(HIGHER, 50.0, &rows);
    let by = |sort| {
        names(&list(
            &f,
            HIGHER,
            ListOptions {
                sort: Some(sort),
                ..ListOptions::default()
            },
        ))
        .concat()
    };
    assert_eq!(
        by(SortOrder::Registry),
        ["Sở B", "Sở A", "huyện Đông", "huyện Dương"]
    );
    // Vietnamese collation: Dương before Đông (Đ after D).
    assert_eq!(
        by(SortOrder::Alphabetical),
        ["huyện Dương", "huyện Đông", "Sở A", "Sở B"]
    );
    assert_eq!(
        by(SortOrder::Value),
        ["Sở B", "huyện Dương", "Sở A", "huyện Đông"]
    );
    // Lower is better: the highest value is the worst.
    let f = facts(LOWER, 5.0, &rows);
    let worst = names(&list(
        &f,
        LOWER,
        ListOptions {
            sort: Some(SortOrder::Value),
            ..ListOptions::default()
        },
    ))
    .concat();
    assert_eq!(worst, ["huyện Đông", "Sở A", "huyện Dương", "Sở B"]);
}

#[test]
fn rounding_boundary_higher_is_better_verdict_follows_the_printed_value() {
    let f = facts(
        HIGHER,
        90.0,
        &[
            ("so-a", Value(89.996)),
            ("so-b", Value(89.994)),
            ("h-dong", Value(90.0)),
        ],
    );
    let g = list(&f, HIGHER, ListOptions::default());
    // 89,996 prints "90,00%": at target, not listed; 89,994 prints "89,99%": below.
    assert_eq!(names(&g), [vec!["Sở B"]]);
    assert_eq!(g[0].items[0].shown_value(2), 89.99);
}

#[test]
fn rounding_boundary_lower_is_better_verdict_follows_the_printed_value() {
    let f = facts(
        LOWER,
        5.0,
        &[
            ("so-a", Value(5.004)),
            ("so-b", Value(5.006)),
            ("h-dong", Value(5.0)),
        ],
    );
    let g = list(&f, LOWER, ListOptions::default());
    assert_eq!(names(&g), [vec!["Sở B"]]);
    assert_eq!(g[0].items[0].shown_value(2), 5.01);
}

#[test]
fn rounding_boundary_a_listed_value_never_prints_its_target() {
    // Below target at 2 decimals; with no decimals 89,96 would round to 90.
    let f = facts(HIGHER, 90.0, &[("so-a", Value(89.96))]);
    let g = list(&f, HIGHER, ListOptions::default());
    assert_eq!(g[0].items[0].shown_value(0), 89.0);
    assert_eq!(g[0].items[0].shown_value(1), 89.9);
    assert_eq!(g[0].items[0].shown_value(2), 89.96);
    let f = facts(LOWER, 5.0, &[("so-a", Value(5.04))]);
    let g = list(&f, LOWER, ListOptions::default());
    assert_eq!(g[0].items[0].shown_value(0), 6.0);
    assert_eq!(g[0].items[0].shown_value(1), 5.1);
    // The N worst may include units at target: they never print below it.
    let f = facts(HIGHER, 90.0, &[("so-a", Value(90.004))]);
    let g = list(
        &f,
        HIGHER,
        ListOptions {
            bottom: Some(1),
            ..ListOptions::default()
        },
    );
    assert!(!g[0].items[0].lagging);
    assert_eq!(g[0].items[0].shown_value(0), 90.0);
}

#[test]
fn trust_names_that_match_nothing_in_list_filters() {
    let f = facts(HIGHER, 50.0, &[("so-a", Value(10.0))]);
    let err = |opts: ListOptions| f.list(HIGHER, &opts).err().unwrap_or_default();
    let e = err(ListOptions {
        bloc: Some("Khối sở ngành".into()),
        ..ListOptions::default()
    });
    assert!(e.contains("closest: \"Khối sở, ngành\""), "{e}");
    let e = err(ListOptions {
        kind: Some("thị xã".into()),
        ..ListOptions::default()
    });
    assert!(
        e.contains("kind = \"thị xã\" matches no kind of the registry"),
        "{e}"
    );
    let e = err(ListOptions {
        unit: Some("Sở C".into()),
        ..ListOptions::default()
    });
    assert!(e.contains("matches no unit of the registry"), "{e}");
    // Folded like names: case, NFD, codes.
    for bloc in [
        "KHỐI SỞ, NGÀNH",
        "Kho\u{302}\u{301}i sở, ngành",
        "so-nganh",
        "so_nganh",
    ] {
        let g = f.list(
            HIGHER,
            &ListOptions {
                bloc: Some(bloc.into()),
                ..ListOptions::default()
            },
        );
        assert_eq!(
            g.map(|g| names(&g)),
            Ok(vec![vec!["Sở A".to_string()]]),
            "{bloc}"
        );
    }
}

/// A table of values: (unit id, indicator key, value).
fn table(reg: &Registry, cat: &Catalogue, rows: &[(&str, &str, f64)]) -> ValueTable {
    let mut data = HashMap::new();
    for (id, key, v) in rows {
        let u = reg.by_id(id).unwrap_or_else(|| panic!("{id}"));
        let i = cat.find(key).unwrap_or_else(|| panic!("{key}"));
        data.insert(
            (u, i),
            Measure {
                value: Some(*v),
                numerator: None,
                denominator: None,
                target: None,
                line: 0,
            },
        );
    }
    ValueTable {
        path: "thang.csv".into(),
        data,
        given: Default::default(),
    }
}

#[test]
fn a_unit_without_a_value_it_had_last_month_or_has_for_another_indicator_is_a_warning() {
    let reg = registry();
    let cat = Catalogue::builtin().unwrap_or_else(|e| panic!("{e}"));
    let now = table(
        &reg,
        &cat,
        &[
            ("so-a", HIGHER, 80.0),
            ("so-b", LOWER, 2.0),
            ("d1", HIGHER, 70.0),
        ],
    );
    let before = table(&reg, &cat, &[("so-a", HIGHER, 80.0), ("g1", HIGHER, 60.0)]);
    let f = analyse(&reg, &cat, &targets(HIGHER, 90.0), &now, Some(&before));
    // G1 had a value last month; Sở B has one for another indicator; H2 never had one.
    assert_eq!(
        f.warnings,
        [
            format!("{LOWER}: no value in thang.csv for Sở A, xã D1, with values for other indicators there; the lists and the phụ lục leave them out: check the export for an empty cell"),
            format!("{HIGHER}: no value in thang.csv for xã G1, which had one last month; the lists and the phụ lục leave them out: check the export for a deleted row or an empty cell"),
            format!("{HIGHER}: no value in thang.csv for Sở B, with values for other indicators there; the lists and the phụ lục leave them out: check the export for an empty cell"),
        ]
    );
    // Every unit with a value: no warning.
    let f = analyse(&reg, &cat, &targets(HIGHER, 90.0), &before, Some(&before));
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
}

#[test]
fn distinct_names_add_the_parent_only_to_names_two_units_share() {
    let mut units = registry().units;
    // A second xã D1, under huyện Dương.
    let mut twin = unit("g3", "D1", "xa", Some("h-duong"));
    twin.order = 99;
    units.push(twin);
    let reg = Registry::from_units(units, Vocabulary::builtin().clone());
    let f = Facts {
        units: reg.units.clone(),
        indicators: Vec::new(),
        sort: Default::default(),
        vocabulary: Vocabulary::builtin().clone(),
        warnings: Vec::new(),
    };
    let names = f.distinct_names();
    let of = |id: &str| names[reg.by_id(id).unwrap_or_else(|| panic!("{id}"))].clone();
    assert_eq!(of("d1"), "xã D1, huyện Đông");
    assert_eq!(of("g3"), "xã D1, huyện Dương");
    assert_eq!(of("d2"), "xã D2");
    assert_eq!(of("so-a"), "Sở A");
}
