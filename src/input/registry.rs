//! The unit registry: every body that can appear in a lagging list, with its kind, parent and
//! bloc. One CSV per province and period; works for the pre-2025 three levels (sở; quận,
//! huyện; xã, phường, thị trấn) and today's two (sở; xã, phường, đặc khu).
//!
//! Columns (header names fixed, order free): `id` (required, unique), `name` (required; the
//! proper name without the kind word for local units: "Lê Chân", "Quốc Tuấn"; the full name for
//! agencies: "Sở Tư pháp"), `kind` (required: sở, ban, quận, huyện, thị xã, thành phố, xã,
//! phường, thị trấn, đặc khu, or any other word), `parent` (id of the parent unit, or empty),
//! `bloc` (e.g. "Khối sở, ngành"; default by kind), `code` (optional official code),
//! `order` (optional integer; default the row number). Lines starting with '#' are comments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Error, Errors, Result};
use crate::input::csv::CsvFile;
use crate::input::source::Source;
use crate::text::names::{self, NameIndex};

/// The bloc of agencies.
pub const BLOC_AGENCIES: &str = "Khối sở, ngành";
/// The bloc of local governments.
pub const BLOC_LOCAL: &str = "Khối địa phương";

/// Kinds of local government (people's committees), written before the proper name.
pub const LOCAL_KINDS: &[&str] = &[
    "tỉnh",
    "thành phố",
    "quận",
    "huyện",
    "thị xã",
    "xã",
    "phường",
    "thị trấn",
    "đặc khu",
];
/// Kinds at commune level.
pub const COMMUNE_KINDS: &[&str] = &["xã", "phường", "thị trấn", "đặc khu"];

/// One unit of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Stable identifier, unique in the registry.
    pub id: String,
    /// Official code (GSO commune code, agency code), if known.
    pub code: Option<String>,
    /// Proper name ("Lê Chân", "Sở Tư pháp").
    pub name: String,
    /// Kind, lower case ("quận", "sở").
    pub kind: String,
    /// Name with the kind word for local units ("quận Lê Chân"); the name otherwise.
    pub full_name: String,
    /// Index of the parent unit.
    #[serde(skip)]
    pub parent: Option<usize>,
    /// Id of the parent unit.
    pub parent_id: Option<String>,
    /// Bloc ("Khối sở, ngành", "Khối địa phương", …).
    pub bloc: String,
    /// Sort position (registry order).
    pub order: i64,
    /// Whether the unit is at commune level (xã, phường, thị trấn, đặc khu).
    pub commune_level: bool,
    /// Whether the unit is a local government (its name takes "UBND" in letters).
    pub local: bool,
}

/// All units of a registry, with lookups by id, code and name.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// The file it came from.
    pub path: PathBuf,
    /// Units in file order.
    pub units: Vec<Unit>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
    names: NameIndex,
    /// Children of each unit, in registry order.
    pub children: Vec<Vec<usize>>,
}

/// Why a name did not resolve to one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No unit has this id, code or name; the closest names.
    Unknown(Vec<String>),
    /// Several units carry this name; their descriptions.
    Ambiguous(Vec<String>),
}

impl Unresolved {
    /// The message and hint for an error about `name`.
    pub fn into_error(self, name: &str) -> Error {
        match self {
            Unresolved::Unknown(near) => {
                let e = Error::input(format!("unknown unit \"{name}\""));
                if near.is_empty() {
                    e.hint("add the unit to the registry, or write its id, code or name as in the registry")
                } else {
                    e.hint(format!(
                        "closest registry names: {}; write the unit's id, code or name as in the registry",
                        near.join(", ")
                    ))
                }
            }
            Unresolved::Ambiguous(options) => Error::input(format!(
                "ambiguous unit \"{name}\": {} units have this name",
                options.len()
            ))
            .hint(format!(
                "write the id or the name with its parent (\"xã Quốc Tuấn, huyện An Dương\") or fill the parent column; candidates: {}",
                options.join("; ")
            )),
        }
    }
}

/// Whether `kind` is a local-government kind.
pub fn is_local_kind(kind: &str) -> bool {
    LOCAL_KINDS.contains(&kind)
}

impl Unit {
    /// "xã Quốc Tuấn (huyện An Dương) [id]" — for error candidate lists.
    fn describe(&self, registry: &Registry) -> String {
        match self.parent.and_then(|p| registry.units.get(p)) {
            Some(p) => format!("{} ({}) [{}]", self.full_name, p.full_name, self.id),
            None => format!("{} [{}]", self.full_name, self.id),
        }
    }
}

/// Most bad rows reported per registry file; the rest are counted in one last line.
const MAX_PROBLEMS: usize = 50;

impl Registry {
    /// Read a registry CSV from `source`; the first problem is the error (see
    /// [`Registry::load_all`]).
    pub fn load(source: &Source, path: &Path) -> Result<Registry> {
        Registry::load_all(source, path).map_err(Errors::into_first)
    }

    /// Read a registry CSV from `source`, reporting every bad row (empty or duplicate id,
    /// empty name or kind, bad order, duplicate code; at most 50) and every unknown or
    /// self-referencing parent, in file order; a parent cycle is checked once rows are sound.
    pub fn load_all(source: &Source, path: &Path) -> std::result::Result<Registry, Errors> {
        let mut csv = CsvFile::open(source, path)?;
        let col = |name: &str| {
            csv.headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
        };
        let (Some(c_id), Some(c_name), Some(c_kind)) = (col("id"), col("name"), col("kind")) else {
            let missing: Vec<&str> = ["id", "name", "kind"]
                .into_iter()
                .filter(|n| col(n).is_none())
                .collect();
            return Err(Error::input(format!("missing column \"{}\"", missing.join("\", \"")))
                .in_file(path)
                .at_line(csv.skipped + 1)
                .field(missing.join(", "))
                .source_line(csv.headers.join(&char::from(csv.delimiter).to_string()))
                .hint("a registry has the columns id,code,name,kind,parent,bloc,order (code, parent, bloc and order may be empty)")
                .into());
        };
        let (c_parent, c_bloc, c_code, c_order) =
            (col("parent"), col("bloc"), col("code"), col("order"));
        let mut reg = Registry {
            path: path.to_path_buf(),
            ..Registry::default()
        };
        let mut parents: Vec<(usize, String, usize)> = Vec::new(); // (unit, parent id, line)
        let mut rows = Vec::new();
        let mut problems: Vec<Error> = Vec::new();
        let mut more_problems = 0usize;
        // Ids of rejected rows: a unit naming one as parent is not "unknown parent" as well.
        let mut rejected: Vec<String> = Vec::new();
        while let Some(row) = csv.next_row()? {
            if row.cells.first().is_some_and(|c| c.starts_with('#')) {
                continue;
            }
            // A bad row is kept as a problem and skipped; reading goes on to find the others.
            macro_rules! problem {
                ($e:expr) => {{
                    rejected.push(row.cells.get(c_id).cloned().unwrap_or_default());
                    if problems.len() < MAX_PROBLEMS {
                        problems.push($e);
                    } else {
                        more_problems += 1;
                    }
                    continue;
                }};
            }
            let cell = |i: Option<usize>| {
                i.and_then(|i| row.cells.get(i))
                    .map(String::as_str)
                    .unwrap_or("")
            };
            let id = cell(Some(c_id)).to_string();
            if id.is_empty() {
                problem!(csv
                    .cell_error(&row, c_id, "empty unit id")
                    .hint("every unit needs a unique id, e.g. quan-le-chan"));
            }
            if let Some(first) = reg.by_id.get(&id) {
                let first_line: usize = rows.get(*first).copied().unwrap_or(0);
                problem!(csv
                    .cell_error(&row, c_id, format!("duplicate unit id \"{id}\""))
                    .hint(format!(
                        "the id is already used on line {first_line}; ids must be unique"
                    )));
            }
            let name = cell(Some(c_name)).to_string();
            if name.is_empty() {
                problem!(csv
                    .cell_error(&row, c_name, "empty unit name")
                    .hint("write the unit's name, e.g. Lê Chân or Sở Tư pháp"));
            }
            let kind = cell(Some(c_kind)).to_lowercase();
            if kind.is_empty() {
                problem!(csv
                    .cell_error(&row, c_kind, "empty unit kind")
                    .hint(format!(
                        "write the kind: sở, ban, {} or another word",
                        LOCAL_KINDS.join(", ")
                    )));
            }
            let order = match cell(c_order) {
                "" => rows.len() as i64 + 1,
                s => match s.parse::<i64>() {
                    Ok(n) => n,
                    Err(_) => problem!(csv
                        .cell_error(
                            &row,
                            c_order.unwrap_or(0),
                            format!("order \"{s}\" is not a whole number"),
                        )
                        .hint("order is an integer position (1, 2, 3 …) or empty for file order")),
                },
            };
            let local = is_local_kind(&kind);
            let bloc = match cell(c_bloc) {
                "" if local => BLOC_LOCAL.to_string(),
                "" => BLOC_AGENCIES.to_string(),
                b => b.to_string(),
            };
            let full_name = if local && !names::fold(&name).starts_with(&format!("{kind} ")) {
                format!("{kind} {name}")
            } else {
                name.clone()
            };
            let code = Some(cell(c_code).to_string()).filter(|c| !c.is_empty());
            let index = reg.units.len();
            if let Some(code) = &code {
                if let Some(&other) = reg.by_code.get(code) {
                    let other_id = reg
                        .units
                        .get(other)
                        .map_or("", |u| u.id.as_str())
                        .to_string();
                    problem!(csv
                        .cell_error(
                            &row,
                            c_code.unwrap_or(0),
                            format!("duplicate code \"{code}\""),
                        )
                        .hint(format!("unit \"{other_id}\" already has this code")));
                }
                reg.by_code.insert(code.clone(), index);
            }
            let parent_id = cell(c_parent).to_string();
            if !parent_id.is_empty() {
                parents.push((index, parent_id.clone(), row.line));
            }
            reg.by_id.insert(id.clone(), index);
            reg.names.insert(&name, index);
            reg.names.insert(&full_name, index);
            reg.units.push(Unit {
                id,
                code,
                name,
                commune_level: COMMUNE_KINDS.contains(&kind.as_str()),
                kind,
                full_name,
                parent: None,
                parent_id: Some(parent_id).filter(|p| !p.is_empty()),
                bloc,
                order,
                local,
            });
            rows.push(row.line);
        }
        if reg.units.is_empty() && problems.is_empty() {
            return Err(Error::input("the registry lists no units")
                .in_file(path)
                .hint("add one row per unit under the header id,code,name,kind,parent,bloc,order")
                .into());
        }
        let c_parent = c_parent.unwrap_or(0);
        for (unit, parent_id, line) in parents {
            let parent = reg
                .by_id
                .get(&parent_id)
                .copied()
                .or_else(|| reg.by_code.get(&parent_id).copied());
            match parent {
                Some(p) if p != unit => reg.units[unit].parent = Some(p),
                Some(_) => problems.push(
                    row_error(
                        source,
                        path,
                        line,
                        c_parent,
                        format!("unit \"{parent_id}\" is its own parent"),
                    )
                    .hint("leave parent empty for a top-level unit"),
                ),
                None if rejected.contains(&parent_id) => {}
                None => {
                    let ids: Vec<&str> = reg.units.iter().map(|u| u.id.as_str()).collect();
                    let near = names::closest_n(&parent_id, ids.into_iter(), 3);
                    problems.push(row_error(
                        source,
                        path,
                        line,
                        c_parent,
                        format!("unknown parent \"{parent_id}\""),
                    )
                    .hint(format!(
                        "parent is the id (or code) of another row of the registry; closest ids: {}",
                        near.join(", ")
                    )));
                }
            }
        }
        if !problems.is_empty() {
            if more_problems > 0 {
                problems.push(
                    Error::input(format!("… and {more_problems} more problems in this file"))
                        .in_file(path)
                        .hint("fix the problems above first; congvan lists at most 50 bad rows per file"),
                );
            }
            return Err(Errors::in_file_order(problems));
        }
        if let Some(cycle) = find_cycle(&reg.units) {
            let first = cycle.iter().copied().min().unwrap_or(0);
            let ids: Vec<&str> = cycle.iter().map(|&u| reg.units[u].id.as_str()).collect();
            let line = rows.get(first).copied().unwrap_or(0);
            return Err(row_error(
                source,
                path,
                line,
                c_parent,
                format!("parents go round in a cycle: {} → {} (each unit → its parent)", ids.join(" → "), ids[0]),
            )
            .hint("a unit cannot be (indirectly) its own parent; fix the parent of one of these rows, and leave parent empty for top-level units")
            .into());
        }
        reg.children = vec![Vec::new(); reg.units.len()];
        for i in 0..reg.units.len() {
            if let Some(p) = reg.units[i].parent {
                reg.children[p].push(i);
            }
        }
        for list in &mut reg.children {
            let units = &reg.units;
            list.sort_by_key(|&c| (units[c].order, c));
        }
        Ok(reg)
    }

    /// The unit with this id.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Resolve what a data file calls a unit: an id, a code, or a name (any case, with or
    /// without "UBND", old or new tone placement, optionally "name, parent name").
    /// `parent` narrows a name shared by several units.
    pub fn resolve(
        &self,
        key: &str,
        parent: Option<&str>,
    ) -> std::result::Result<usize, Unresolved> {
        let key = key.trim();
        if let Some(&i) = self.by_id.get(key) {
            return Ok(i);
        }
        if let Some(&i) = self.by_code.get(key) {
            return Ok(i);
        }
        let mut found: Vec<usize> = self.names.get(key).to_vec();
        let mut parent_text = parent.map(str::to_string).filter(|p| !p.trim().is_empty());
        if found.is_empty() {
            if let Some((name, par)) = key.rsplit_once(',') {
                found = self.names.get(name).to_vec();
                if parent_text.is_none() && !found.is_empty() {
                    parent_text = Some(par.trim().to_string());
                }
            }
        }
        if let (Some(p), true) = (&parent_text, found.len() > 1 || parent.is_none()) {
            let parents = self.resolve(p, None).ok();
            let narrowed: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&u| parents.is_some() && self.units[u].parent == parents)
                .collect();
            if !narrowed.is_empty() {
                found = narrowed;
            }
        }
        match found.len() {
            1 => Ok(found[0]),
            0 => Err(Unresolved::Unknown(
                names::closest_n(key, self.units.iter().map(|u| u.full_name.as_str()), 3)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            )),
            _ => Err(Unresolved::Ambiguous(
                found
                    .iter()
                    .map(|&u| self.units[u].describe(self))
                    .collect(),
            )),
        }
    }
}

/// A cycle in the parent links (units in the order the links go), if there is one.
fn find_cycle(units: &[Unit]) -> Option<Vec<usize>> {
    // 0 = not seen, 1 = on the current path, 2 = known to reach a root.
    let mut state = vec![0u8; units.len()];
    for start in 0..units.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(u) = at {
            match state.get(u).copied() {
                Some(0) => {
                    state[u] = 1;
                    path.push(u);
                    at = units[u].parent;
                }
                Some(1) => {
                    let from = path.iter().position(|&p| p == u).unwrap_or(0);
                    return Some(path.split_off(from));
                }
                _ => break,
            }
        }
        for u in path {
            state[u] = 2;
        }
    }
    None
}

/// An error about cell `column` of the row on `line` of registry `path`, read again to show
/// the row (errors are rare; the registry is not kept as text).
fn row_error(source: &Source, path: &Path, line: usize, column: usize, message: String) -> Error {
    if let Ok(mut csv) = CsvFile::open(source, path) {
        while let Ok(Some(row)) = csv.next_row() {
            if row.line == line {
                return csv.cell_error(&row, column, message);
            }
            if row.line > line {
                break;
            }
        }
    }
    Error::input(message).in_file(path).at_line(line)
}
