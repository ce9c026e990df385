//! The unit registry: every body that can appear in a lagging list, with its kind, parent and
//! bloc. One CSV per province and period; works for the pre-2025 three levels (sở; quận,
//! huyện; xã, phường, thị trấn) and today's two (sở; xã, phường, đặc khu).
//!
//! Columns (header names fixed, order free): `id` (required, unique), `name` (required; the
//! proper name without the kind word for local units: "Lê Chân", "Quốc Tuấn"; the full name for
//! agencies: "Sở Tư pháp"; a local unit's name may carry its kind word, "Xã An Hòa", which is
//! dropped), `kind` (required: a kind of the vocabulary, as a word or a code — sở/`so`,
//! quận/`quan`, xã/`xa` … see `data/vocabulary.toml`; anything else is an error), `parent` (id
//! of the parent unit, or empty), `bloc` (a label or code: "Khối sở, ngành"/`so-nganh`; default
//! by kind), `code` (optional official code), `order` (optional integer; default the row
//! number). Lines starting with '#' are comments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Error, Errors, Result};
use crate::input::csv::CsvFile;
use crate::input::source::Source;
use crate::text::names::{self, NameIndex};
use crate::vocab::vocabulary::{Kind, Level, Vocabulary};

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
    /// The kinds and blocs its cells were read with.
    pub vocabulary: Vocabulary,
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
    /// Read a registry CSV from `source` with the compiled-in vocabulary; the first problem is
    /// the error (see [`Registry::load_all_with`]).
    pub fn load(source: &Source, path: &Path) -> Result<Registry> {
        Registry::load_with(source, path, Vocabulary::builtin())
    }

    /// Read a registry CSV from `source`; kinds and blocs are read through `vocabulary`. The
    /// first problem is the error.
    pub fn load_with(source: &Source, path: &Path, vocabulary: &Vocabulary) -> Result<Registry> {
        Registry::load_all_with(source, path, vocabulary).map_err(Errors::into_first)
    }

    /// [`Registry::load_all_with`] the compiled-in vocabulary.
    pub fn load_all(source: &Source, path: &Path) -> std::result::Result<Registry, Errors> {
        Registry::load_all_with(source, path, Vocabulary::builtin())
    }

    /// Read a registry CSV from `source` through `vocabulary`, reporting every bad row (empty
    /// or duplicate id, empty name, empty or unknown kind, bad order, duplicate code; at most
    /// 50) and every unknown or self-referencing parent, in file order; a parent cycle is
    /// checked once the rows are sound.
    pub fn load_all_with(
        source: &Source,
        path: &Path,
        vocabulary: &Vocabulary,
    ) -> std::result::Result<Registry, Errors> {
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
            vocabulary: vocabulary.clone(),
            ..Registry::default()
        };
        let mut parents: Vec<(usize, String, usize)> = Vec::new(); // (unit, parent id, line)
        let mut rows = Vec::new();
        let mut problems: Vec<Error> = Vec::new();
        let mut more_problems = 0usize;
        // Ids of rejected rows: a unit naming one as parent is not "unknown parent" as well.
        let mut rejected: Vec<String> = Vec::new();
        // A registry repeats a few kind and bloc spellings on every row: each distinct one is
        // looked up (folded against the whole vocabulary) once.
        let mut kinds: HashMap<String, Option<&Kind>> = HashMap::new();
        let mut blocs: HashMap<String, String> = HashMap::new();
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
            // An unquoted comma in a name moves the kind, parent and bloc on by a column.
            if let Some(e) = csv.extra_cell_error(&row) {
                problem!(e);
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
            let kind_cell = cell(Some(c_kind));
            if kind_cell.is_empty() {
                problem!(csv
                    .cell_error(&row, c_kind, "empty unit kind")
                    .hint(format!(
                        "write the kind as a word or code of the vocabulary: {}",
                        vocabulary.kind_words().join(", ")
                    )));
            }
            let found = match kinds.get(kind_cell) {
                Some(found) => *found,
                None => *kinds
                    .entry(kind_cell.to_string())
                    .or_insert_with(|| vocabulary.kind(kind_cell)),
            };
            let Some(kind_def) = found else {
                let near = names::closest_n(kind_cell, vocabulary.kind_spellings().into_iter(), 3);
                let hint = match vocabulary.bloc(kind_cell) {
                    Some(b) => format!(
                        "\"{kind_cell}\" is the bloc \"{}\", not a kind: the kind column takes {} (or their codes: `congvan vocabulary`), the bloc goes in the bloc column",
                        b.label,
                        vocabulary.kind_words().join(", ")
                    ),
                    None => format!(
                        "closest: {}; the known kinds are {} (or their codes: `congvan vocabulary`); add a new kind to the spec's [vocabulary]",
                        near.join(", "),
                        vocabulary.kind_words().join(", ")
                    ),
                };
                problem!(csv
                    .cell_error(&row, c_kind, format!("unknown unit kind \"{kind_cell}\""))
                    .hint(hint));
            };
            let kind = kind_def.word.clone();
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
            let local = kind_def.local;
            let bloc_cell = match cell(c_bloc) {
                "" => kind_def.bloc.as_str(),
                b => b,
            };
            let bloc = match blocs.get(bloc_cell) {
                Some(label) => label.clone(),
                None => blocs
                    .entry(bloc_cell.to_string())
                    .or_insert_with(|| vocabulary.bloc_label(bloc_cell))
                    .clone(),
            };
            // A local unit's name may be exported with its kind word ("Xã An Hòa"): the proper
            // name is what follows it; the letter words the kind once, lower case.
            let (name, full_name) = if local {
                let proper = strip_kind_word(&name, &kind).to_string();
                let full = format!("{kind} {proper}");
                (proper, full)
            } else {
                (name.clone(), name)
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
                commune_level: kind_def.level == Level::Commune,
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
        reg.link_children();
        Ok(reg)
    }

    /// A registry built in memory (tests, tools): `units` in order, each `parent` resolved from
    /// its `parent_id`, the name lookups and children filled in. `units` must carry what
    /// [`Registry::load_with`] would give them (kind words, full names, blocs); a `parent_id`
    /// that names no unit leaves `parent` empty.
    pub fn from_units(units: Vec<Unit>, vocabulary: Vocabulary) -> Registry {
        let mut reg = Registry {
            vocabulary,
            ..Registry::default()
        };
        for (i, u) in units.iter().enumerate() {
            reg.by_id.insert(u.id.clone(), i);
            if let Some(code) = &u.code {
                reg.by_code.insert(code.clone(), i);
            }
            reg.names.insert(&u.name, i);
            reg.names.insert(&u.full_name, i);
        }
        reg.units = units;
        for i in 0..reg.units.len() {
            let parent = reg.units[i]
                .parent_id
                .as_deref()
                .and_then(|p| reg.by_id.get(p).copied());
            reg.units[i].parent = parent.filter(|&p| p != i);
        }
        reg.link_children();
        reg
    }

    fn link_children(&mut self) {
        self.children = vec![Vec::new(); self.units.len()];
        for i in 0..self.units.len() {
            if let Some(p) = self.units[i].parent {
                self.children[p].push(i);
            }
        }
        for list in &mut self.children {
            let units = &self.units;
            list.sort_by_key(|&c| (units[c].order, c));
        }
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

/// `name` without a leading `kind` word, whatever its case or normalisation ("Xã An Hòa",
/// "XÃ An Hòa" → "An Hòa"); `name` itself when it does not start with it or is only that word.
fn strip_kind_word<'a>(name: &'a str, kind: &str) -> &'a str {
    let want = names::fold(kind);
    let words = kind.split_whitespace().count();
    let mut rest = name.trim_start();
    let mut head_end = 0;
    for _ in 0..words {
        rest = rest.trim_start();
        let w = rest.find(char::is_whitespace).unwrap_or(rest.len());
        head_end = name.len() - rest.len() + w;
        rest = &rest[w..];
    }
    let proper = rest.trim();
    if !proper.is_empty() && names::fold(&name[..head_end]) == want {
        proper
    } else {
        name
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
