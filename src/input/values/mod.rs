//! Indicator values for a month: readers for CSV (long or wide), XLSX and JSON, all producing
//! one [`ValueTable`] keyed by registry unit and catalogue indicator.
//!
//! Layouts (header names are matched case-, accent-form- and '_'-insensitively):
//! - **long**: `unit` (or `id`/`mã đơn vị`), optional `parent`, `indicator`, `value` and/or
//!   `numerator` + `denominator`;
//! - **wide**: `unit` (or `id`), optional `parent`, then one column per indicator (its key,
//!   QĐ 766 number or name), optionally `<key>.numerator` / `<key>.denominator` columns.
//!
//! Numerators and denominators are whole counts ([`crate::text::numbers::parse_count`]:
//! "1,200" is 1200, "1,000" is ambiguous, a fraction is an error).
//! Rates are computed from numerator and denominator when no value is given; parent
//! aggregates are later summed from numerators and denominators, never averaged.

pub mod csv;
pub mod json;
pub mod xlsx;
mod xlsx_formats;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Error, Errors, Result};
use crate::input::catalogue::Catalogue;
use crate::input::registry::Registry;
use crate::input::source::Source;
use crate::text::names;
use crate::text::numbers;

/// One unit's figures for one indicator.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measure {
    /// The value as given (percent for rates).
    pub value: Option<f64>,
    /// Numerator, when given.
    pub numerator: Option<f64>,
    /// Denominator, when given.
    pub denominator: Option<f64>,
    /// The unit's target from the export's own target column ("Chỉ tiêu"), when given.
    pub target: Option<f64>,
    /// Line (or row) where it was first given.
    pub line: usize,
}

impl Measure {
    /// The value: as given, else numerator / denominator (× 100 for rates).
    pub fn resolved(&self, rate: bool) -> Option<f64> {
        self.value.or(match (self.numerator, self.denominator) {
            (Some(n), Some(d)) if d > 0.0 => Some(if rate { n / d * 100.0 } else { n / d }),
            _ => None,
        })
    }
}

/// All values of one file.
#[derive(Debug, Clone, Default)]
pub struct ValueTable {
    /// The file they came from.
    pub path: PathBuf,
    /// (unit index, indicator index) → figures.
    pub data: HashMap<(usize, usize), Measure>,
    /// Commune levels given ready-made: (parent unit index, indicator index) → figures of a row
    /// "cấp xã thuộc huyện X", used instead of the sum over the parent's communes.
    pub given: HashMap<(usize, usize), Measure>,
}

impl ValueTable {
    /// Figures of `unit` for `indicator`.
    pub fn get(&self, unit: usize, indicator: usize) -> Option<&Measure> {
        self.data.get(&(unit, indicator))
    }
}

/// Read a values file; the format follows the extension (.csv/.txt, .xlsx/.xlsm, .json).
/// The first problem is the error; see [`read_all`] for every problem.
pub fn read(
    source: &Source,
    path: &Path,
    sheet: Option<&str>,
    registry: &Registry,
    catalogue: &Catalogue,
) -> Result<ValueTable> {
    read_all(source, path, sheet, registry, catalogue).map_err(Errors::into_first)
}

/// Most row problems reported per values file; the rest are counted in one last line.
pub const MAX_PROBLEMS_PER_FILE: usize = 50;

/// Read a values file, reporting every bad row (up to [`MAX_PROBLEMS_PER_FILE`], in file
/// order), each at its line/cell with the column's field and a hint.
pub fn read_all(
    source: &Source,
    path: &Path,
    sheet: Option<&str>,
    registry: &Registry,
    catalogue: &Catalogue,
) -> std::result::Result<ValueTable, Errors> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => csv::read(source, path, registry, catalogue),
        "xlsx" | "xlsm" => xlsx::read(source, path, sheet, registry, catalogue),
        "json" => json::read(source, path, registry, catalogue),
        other => Err(
            Error::input(format!("unsupported values file type \".{other}\""))
                .in_file(path)
                .hint("export the data as .csv (UTF-8), .xlsx or .json")
                .into(),
        ),
    }
}

/// A cell as a reader hands it over.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Nothing.
    #[default]
    Empty,
    /// Text (NFC).
    Text(String),
    /// A number from a typed source (XLSX, JSON).
    Number(f64),
}

impl Cell {
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// Which part of a measure a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The value or rate.
    Value,
    /// The numerator.
    Numerator,
    /// The denominator.
    Denominator,
    /// The unit's target ("Chỉ tiêu").
    Target,
}

/// How the columns of a table are read.
#[derive(Debug, Clone)]
pub struct Layout {
    id: Option<usize>,
    name: Option<usize>,
    parent: Option<usize>,
    /// Long layout: the indicator column and part columns.
    long: Option<(usize, Vec<(usize, Part)>)>,
    /// Wide layout: (column, indicator, part).
    wide: Vec<(usize, usize, Part)>,
}

use crate::vocab::vocabulary::{header_key, Columns};

/// Whether header or cell `h` is one of `keys` (a list of [`Vocabulary::column_keys`]).
///
/// [`Vocabulary::column_keys`]: crate::vocab::vocabulary::Vocabulary::column_keys
fn is_one_of(h: &str, keys: &[String]) -> bool {
    let k = header_key(h);
    keys.contains(&k)
}

/// Split "ty_le_x.numerator" / "ty_le_x (tử số)" into ("ty_le_x", Numerator).
fn split_part(h: &str, cols: &Columns) -> (String, Part) {
    let k = header_key(h);
    for (list, part) in [
        (&cols.numerator, Part::Numerator),
        (&cols.denominator, Part::Denominator),
        (&cols.target, Part::Target),
    ] {
        for s in list {
            if let Some(base) = k.strip_suffix(s.as_str()) {
                let base = base.trim_end_matches([' ', '.', ':', '-', '(', '/']).trim();
                if !base.is_empty() {
                    return (base.to_string(), part);
                }
            }
        }
        // Also "(tử số)" in parentheses.
        for suffix in list {
            let s = format!("({suffix})");
            if let Some(base) = k.strip_suffix(&s) {
                return (base.trim().to_string(), part);
            }
        }
    }
    (k, Part::Value)
}

/// Whether an unrecognised header looks like an indicator column: its key written close to a
/// catalogue key ("ty_le_so_hoa"), a rate name ("Tỷ lệ hồ sơ …", "ty_le_…") or a QĐ 766
/// number ("3.3"). Other unknown columns ("Người lập", "Tổng số hồ sơ") are ignored.
fn looks_like_indicator(h: &str, catalogue: &Catalogue, cols: &Columns) -> bool {
    let (base, _) = split_part(h, cols);
    if base.is_empty() {
        return false;
    }
    if base.starts_with("ty le ") || base.starts_with("tỷ lệ ") || base.starts_with("tỉ lệ ")
    {
        return true;
    }
    if base.chars().all(|c| c.is_ascii_digit() || c == '.') && base.contains('.') {
        return true;
    }
    catalogue.indicators.iter().any(|i| {
        let key = header_key(&i.key);
        let limit = (key.chars().count() / 4).max(2);
        crate::text::edit_distance(&base, &key) <= limit
            || (base.chars().count() >= 8 && (key.contains(&base) || base.contains(&key)))
    })
}

impl Layout {
    /// Work out the layout from header cells, `cols` the column names as keys
    /// ([`Vocabulary::column_keys`]); an error carries the offending column.
    ///
    /// [`Vocabulary::column_keys`]: crate::vocab::vocabulary::Vocabulary::column_keys
    pub fn from_headers(
        headers: &[String],
        catalogue: &Catalogue,
        cols: &Columns,
    ) -> std::result::Result<Layout, (Option<usize>, Error)> {
        let find = |list: &[String]| headers.iter().position(|h| is_one_of(h, list));
        let id = find(&cols.id);
        let name = find(&cols.name);
        if id.is_none() && name.is_none() {
            return Err((
                None,
                Error::input("missing column \"unit\"").field("unit").hint(
                    "the header needs a unit column: unit, đơn vị or tên đơn vị (names) or id / mã đơn vị (ids or codes)",
                ),
            ));
        }
        let parent = find(&cols.parent);
        let mut layout = Layout {
            id,
            name,
            parent,
            long: None,
            wide: Vec::new(),
        };
        if let Some(ind_col) = find(&cols.indicator) {
            let mut parts = Vec::new();
            for (list, part) in [
                (&cols.value, Part::Value),
                (&cols.numerator, Part::Numerator),
                (&cols.denominator, Part::Denominator),
            ] {
                if let Some(c) = find(list) {
                    parts.push((c, part));
                }
            }
            // The unit's target ("Chỉ tiêu" beside an indicator column "Chỉ số").
            if let Some(c) = (0..headers.len()).find(|&c| {
                c != ind_col
                    && (is_one_of(&headers[c], &cols.target)
                        || is_one_of(&headers[c], &cols.indicator))
            }) {
                parts.push((c, Part::Target));
            }
            let has = |p: Part| parts.iter().any(|(_, q)| *q == p);
            let complete = has(Part::Value) || (has(Part::Numerator) && has(Part::Denominator));
            if !complete {
                let missing = if has(Part::Numerator) {
                    "denominator"
                } else if has(Part::Denominator) {
                    "numerator"
                } else {
                    "value"
                };
                return Err((
                    None,
                    Error::input(format!("missing column \"{missing}\""))
                        .field(missing)
                        .hint("a long table needs a value column (giá trị, tỷ lệ) or both numerator and denominator (tử số, mẫu số)"),
                ));
            }
            for (c, h) in headers.iter().enumerate() {
                let known = c == ind_col
                    || Some(c) == id
                    || Some(c) == name
                    || Some(c) == parent
                    || parts.iter().any(|(p, _)| *p == c);
                if known || h.trim().is_empty() || is_one_of(h, &cols.ignored) {
                    continue;
                }
                if catalogue.find(h).is_some() || looks_like_indicator(h, catalogue, cols) {
                    return Err((
                        Some(c),
                        Error::input(format!(
                            "column \"{}\" looks like an indicator, but this is a long table (it has an indicator column)",
                            h.trim()
                        ))
                        .hint("in a long table each row names its indicator in the indicator column and its figure in value (or numerator and denominator); remove this column, or drop the indicator column to make a wide table with one column per indicator"),
                    ));
                }
            }
            layout.long = Some((ind_col, parts));
            return Ok(layout);
        }
        for (c, h) in headers.iter().enumerate() {
            if Some(c) == id
                || Some(c) == name
                || Some(c) == parent
                || h.trim().is_empty()
                || is_one_of(h, &cols.ignored)
            {
                continue;
            }
            let (base, part) = split_part(h, cols);
            let found = catalogue
                .find(h)
                .map(|i| (i, Part::Value))
                .or_else(|| catalogue.find(&base).map(|i| (i, part)));
            match found {
                Some((ind, part)) => layout.wide.push((c, ind, part)),
                // Columns an export carries besides the data ("Người lập", "Tổng số hồ sơ").
                None if !looks_like_indicator(h, catalogue, cols) => {}
                None => {
                    let u = catalogue.unknown(h.trim());
                    return Err((
                        Some(c),
                        Error::input(format!("unknown column \"{}\": not an indicator", h.trim())).hint(format!(
                            "{}; name indicator columns by key (add .numerator / .denominator for counts), or remove the column",
                            u.hint.unwrap_or_default()
                        )),
                    ));
                }
            }
        }
        if layout.wide.is_empty() {
            return Err((
                None,
                Error::input("missing indicator columns")
                    .field("indicator")
                    .hint("add an indicator column (long table) or one column per indicator named by its key, e.g. ty_le_ho_so_truc_tuyen"),
            ));
        }
        Ok(layout)
    }
}

/// Turns rows into a [`ValueTable`], resolving units and checking numbers.
pub struct Loader<'a> {
    registry: &'a Registry,
    catalogue: &'a Catalogue,
    cache: HashMap<(String, String), usize>,
    /// Row problems so far, already located by the reader (at most MAX_PROBLEMS_PER_FILE).
    problems: Vec<Error>,
    /// Row problems beyond the cap.
    more_problems: usize,
    /// Data rows taken so far (blank rows are not counted).
    pub rows: usize,
    /// The table being filled.
    pub table: ValueTable,
    /// Whether the row being taken is a ready-made commune level.
    given_row: bool,
    /// Per rate indicator, the first value written with a '%' sign and the first written
    /// without one between 0 and 1 (line, text): together they are two readings, reported once.
    readings: HashMap<usize, Readings>,
}

/// A rate column's first cell written with '%', its first plain value between 0 and 1 (line,
/// text each), and whether the two were reported.
type Readings = (Option<(usize, String)>, Option<(usize, String)>, bool);

impl<'a> Loader<'a> {
    /// A loader for `path`.
    pub fn new(path: &Path, registry: &'a Registry, catalogue: &'a Catalogue) -> Self {
        Loader {
            registry,
            catalogue,
            cache: HashMap::new(),
            problems: Vec::new(),
            more_problems: 0,
            rows: 0,
            table: ValueTable {
                path: path.to_path_buf(),
                data: HashMap::new(),
                given: HashMap::new(),
            },
            given_row: false,
            readings: HashMap::new(),
        }
    }

    /// Take one row; an error carries the column it is about.
    pub fn row(
        &mut self,
        layout: &Layout,
        cells: &[Cell],
        line: usize,
    ) -> std::result::Result<(), (Option<usize>, Error)> {
        let get = |c: Option<usize>| c.and_then(|c| cells.get(c)).filter(|c| !c.is_empty());
        let cols = self.registry.vocabulary.column_keys();
        let totals = |c: &Cell| matches!(c, Cell::Text(t) if is_one_of(t, &cols.totals));
        // The unit cells' keys, folded once each: for the totals check and the commune level.
        let cell_key = |c: Option<usize>| match get(c) {
            Some(Cell::Text(t)) => Some(header_key(t)),
            _ => None,
        };
        let (id_key, name_key) = (cell_key(layout.id), cell_key(layout.name));
        let is_totals = |k: &Option<String>| k.as_ref().is_some_and(|k| cols.totals.contains(k));
        // A totals row ("Tổng cộng", "Toàn tỉnh") is no unit: skipped.
        if is_totals(&name_key) || is_totals(&id_key) {
            return Ok(());
        }
        let (key_col, key, key_folded) = match (get(layout.id), get(layout.name)) {
            (Some(c), _) => (layout.id, c.text(), id_key),
            (None, Some(c)) => (layout.name, c.text(), name_key),
            (None, None) => {
                // A row with no unit but nothing else either is a spacer; a totals row written
                // across merged cells (its words under STT) is skipped; otherwise an error.
                if cells.iter().all(Cell::is_empty) || cells.iter().any(totals) {
                    return Ok(());
                }
                return Err((
                    layout.name.or(layout.id),
                    Error::input("empty unit cell")
                        .hint("every data row names its unit; remove subtotal or title rows"),
                ));
            }
        };
        self.rows += 1;
        let parent = get(layout.parent).map(Cell::text).unwrap_or_default();
        // "cấp xã thuộc huyện An Lão": the commune level of a parent, given ready-made.
        let level_of = commune_level_of(&key, key_folded);
        self.given_row = level_of.is_some();
        let unit = match level_of {
            Some(of) => self
                .registry
                .resolve(&of, None)
                .map_err(|e| (key_col, e.into_error(&of)))?,
            None => match self.cache.get(&(key.clone(), parent.clone())) {
                Some(u) => *u,
                None => {
                    let p = Some(parent.as_str()).filter(|p| !p.is_empty());
                    let u = self
                        .registry
                        .resolve(&key, p)
                        .map_err(|e| (key_col, e.into_error(&key)))?;
                    self.cache.insert((key, parent), u);
                    u
                }
            },
        };
        if let Some((ind_col, parts)) = &layout.long {
            let Some(ind_cell) = get(Some(*ind_col)) else {
                return Err((
                    Some(*ind_col),
                    Error::input("empty indicator cell")
                        .hint("write the indicator key, e.g. ty_le_ho_so_truc_tuyen"),
                ));
            };
            let name = ind_cell.text();
            let ind = self
                .catalogue
                .find(&name)
                .ok_or_else(|| (Some(*ind_col), self.catalogue.unknown(&name)))?;
            let mut m = Measure {
                line,
                ..Measure::default()
            };
            for (c, part) in parts {
                if let Some(cell) = get(Some(*c)) {
                    self.set(&mut m, ind, *part, cell)
                        .map_err(|e| (Some(*c), e))?;
                }
            }
            self.store(unit, ind, m)
                .map_err(|e| (parts.first().map(|p| p.0), e))?;
        } else {
            let mut per: Vec<(usize, Measure, usize)> = Vec::new();
            for &(c, ind, part) in &layout.wide {
                let Some(cell) = get(Some(c)) else { continue };
                let pos = match per.iter().position(|(i, _, _)| *i == ind) {
                    Some(p) => p,
                    None => {
                        per.push((
                            ind,
                            Measure {
                                line,
                                ..Measure::default()
                            },
                            c,
                        ));
                        per.len() - 1
                    }
                };
                let mut m = per[pos].1;
                self.set(&mut m, ind, part, cell)
                    .map_err(|e| (Some(c), e))?;
                per[pos].1 = m;
            }
            for (ind, m, c) in per {
                self.store(unit, ind, m).map_err(|e| (Some(c), e))?;
            }
        }
        Ok(())
    }

    /// Keep a row's problem (located by the reader) and go on to the next row.
    pub fn problem(&mut self, error: Error) {
        if self.problems.len() < MAX_PROBLEMS_PER_FILE {
            self.problems.push(error);
        } else {
            self.more_problems += 1;
        }
    }

    /// Every row problem kept so far, with a last line counting those beyond the cap; `None`
    /// when every row was sound.
    pub fn take_problems(&mut self) -> Option<Errors> {
        if self.problems.is_empty() {
            return None;
        }
        let mut problems = std::mem::take(&mut self.problems);
        if self.more_problems > 0 {
            problems.push(
                Error::input(format!(
                    "… and {} more problems in this file",
                    self.more_problems
                ))
                .in_file(&self.table.path)
                .hint("fix the problems above first; congvan lists at most 50 per file"),
            );
        }
        Some(Errors::in_file_order(problems))
    }

    /// The table, or an error (without a place: the reader adds it) when no row had data.
    pub fn finish(self) -> Result<ValueTable> {
        if self.rows == 0 {
            return Err(Error::input("no data rows: the file has a header but no values")
                .hint("add one row per unit under the header (e.g. Sở Tư pháp;ty_le_ho_so_truc_tuyen;89,22%), or point [data] values at the month's export"));
        }
        Ok(self.table)
    }

    fn set(&mut self, m: &mut Measure, ind: usize, part: Part, cell: &Cell) -> Result<()> {
        let indicator = &self.catalogue.indicators[ind];
        let what = match part {
            Part::Value => "value",
            Part::Numerator => "numerator",
            Part::Denominator => "denominator",
            Part::Target => "target",
        };
        let count = part != Part::Value;
        let v = match cell {
            Cell::Number(n) if !n.is_finite() => return Err(not_finite(what, &n.to_string())),
            Cell::Number(n) if count && n.fract() != 0.0 => {
                return Err(not_whole(what, &numbers::decimal(*n, 6, numbers::Whole::Trim)))
            }
            Cell::Number(n) => *n,
            Cell::Text(t) if count => match numbers::parse_count(t) {
                Ok(v) => v,
                Err(_) if is_spreadsheet_error(t) => return Err(not_finite(what, t)),
                Err(numbers::NotACount::Ambiguous) => {
                    return Err(Error::input(format!(
                        "{what} \"{t}\" is ambiguous: 1 or {}?",
                        t.replace([',', ' '], "")
                    ))
                    .hint("a count is a whole number of dossiers; write it without a separator (1000) or with a thousands dot (1.000)"))
                }
                Err(numbers::NotACount::NotWhole) => return Err(not_whole(what, t)),
                Err(numbers::NotACount::NotANumber) => {
                    return Err(Error::input(format!("{what} \"{t}\" is not a number")).hint(
                        "counts are whole numbers of dossiers: 1234, 1.234 or 1,234; leave the cell empty when there is no data",
                    ))
                }
            },
            Cell::Text(t) => match numbers::parse(t) {
                Ok((v, percent)) => {
                    if part == Part::Value && indicator.is_rate() {
                        self.one_reading(ind, m.line, t, v, percent)?;
                    }
                    v
                }
                Err(_) if is_spreadsheet_error(t) => return Err(not_finite(what, t)),
                Err(_) => return Err(Error::input(format!("{what} \"{t}\" is not a number")).hint(
                    "write the rate as 65,52 or 65,52% (decimal comma) and counts as 1234 or 1.234; leave the cell empty when there is no data",
                )),
            },
            Cell::Empty => return Ok(()),
        };
        if v < 0.0 {
            let shown = numbers::decimal(v, 2, numbers::Whole::Trim);
            return Err(match part {
                Part::Value => Error::input(format!("value {shown} is negative")).hint(
                    "indicator values are rates in percent (0–100) or counts, never below 0; check the sign and the formula that made the cell",
                ),
                _ => Error::input(format!("{what} {shown} is negative"))
                    .hint("numerators and denominators are counts of dossiers, 0 or more"),
            });
        }
        match part {
            Part::Value => {
                if indicator.is_rate() && v > 100.0 {
                    return Err(Error::input(format!("rate {} is above 100%", numbers::decimal(v, 2, numbers::Whole::Trim)))
                        .hint("write rates in percent (65,52 or 65,52%); a dot groups thousands in Vietnamese, so 65.520 reads as 65520"));
                }
                m.value = Some(v);
            }
            Part::Target => {
                if indicator.is_rate() && v > 100.0 {
                    return Err(Error::input(format!(
                        "target {} is above 100%",
                        numbers::decimal(v, 2, numbers::Whole::Trim)
                    ))
                    .hint("write rate targets in percent (90 or 90%)"));
                }
                m.target = Some(v);
            }
            Part::Numerator => m.numerator = Some(v),
            Part::Denominator => {
                if v == 0.0 {
                    return Err(Error::input(format!(
                        "denominator is 0, so \"{}\" has no value (0/0)",
                        indicator.key
                    ))
                    .hint("a unit with no dossiers this month has no rate: leave numerator and denominator empty (the unit is left out of the lists), or give its value"));
                }
                m.denominator = Some(v);
            }
        }
        if let (Some(n), Some(d)) = (m.numerator, m.denominator) {
            if indicator.is_rate() && n > d {
                return Err(Error::input(format!("numerator {} is larger than denominator {}", numbers::decimal(n, 2, numbers::Whole::Trim), numbers::decimal(d, 2, numbers::Whole::Trim)))
                    .hint("a rate's numerator counts part of its denominator; check the two columns are not swapped"));
            }
        }
        Ok(())
    }

    /// A rate value without a '%' sign between 0 and 1 ("0,921") where another of the file
    /// has one ("92,10%") is refused: it is a fraction of 1 (92,1%) or a rate below 1%, and
    /// the file does not say which.
    fn one_reading(
        &mut self,
        ind: usize,
        line: usize,
        text: &str,
        v: f64,
        percent: bool,
    ) -> Result<()> {
        let (signed, fraction, reported) = self.readings.entry(ind).or_default();
        if *reported {
            return Ok(());
        }
        let small = !percent && v > 0.0 && v <= 1.0;
        let other = match (percent, small) {
            (true, _) => {
                signed.get_or_insert_with(|| (line, text.to_string()));
                fraction.clone().map(|f| (f, (line, text.to_string())))
            }
            (false, true) => {
                fraction.get_or_insert_with(|| (line, text.to_string()));
                signed.clone().map(|s| ((line, text.to_string()), s))
            }
            (false, false) => None,
        };
        if other.is_some() {
            *reported = true;
        }
        match other {
            Some(((fl, ft), (sl, st))) => Err(Error::input(format!(
                "value \"{ft}\" (line {fl}) has no '%' and lies between 0 and 1, while \"{st}\" (line {sl}) is written in percent: \"{ft}\" may be the fraction {} or the rate {}",
                numbers::percent(numbers::parse(&ft).map_or(0.0, |p| p.0) * 100.0, 2, numbers::Whole::Trim),
                numbers::percent(numbers::parse(&ft).map_or(0.0, |p| p.0), 2, numbers::Whole::Trim),
            ))
            .hint("write every rate of the column in percent with its sign: 92,1% for a fraction 0,921, or 0,92% for a rate below 1%")),
            None => Ok(()),
        }
    }

    fn store(&mut self, unit: usize, ind: usize, m: Measure) -> Result<()> {
        if m.value.is_none() && m.numerator.is_none() && m.denominator.is_none() {
            return Ok(());
        }
        let map = if self.given_row {
            &mut self.table.given
        } else {
            &mut self.table.data
        };
        match map.get_mut(&(unit, ind)) {
            None => {
                map.insert((unit, ind), m);
                Ok(())
            }
            Some(old) => match (old.numerator, old.denominator, m.numerator, m.denominator, old.value, m.value) {
                // Counts split over several rows (per field, per channel) add up.
                (Some(a), Some(b), Some(c), Some(d), None, None) => {
                    old.numerator = Some(a + c);
                    old.denominator = Some(b + d);
                    Ok(())
                }
                _ => Err(Error::input(format!(
                    "duplicate value for unit \"{}\", indicator \"{}\"",
                    self.registry.units[unit].full_name, self.catalogue.indicators[ind].key
                ))
                .hint(format!(
                    "the first value is on line {}; give each unit one value per indicator (rows with only numerator and denominator are added up)",
                    old.line
                ))),
            },
        }
    }
}

/// The parent named by a ready-made commune-level row ("Cấp xã thuộc huyện An Lão" →
/// "huyện An Lão"): a unit cell that starts with "cấp " and names its parent after the
/// wording's "thuộc" (`data/wording.toml`).
///
/// `key` is the cell's [`header_key`] when already computed: the name's fold when the text
/// has no '_' (which the header key reads as a space).
fn commune_level_of(unit: &str, key: Option<String>) -> Option<String> {
    let of = &crate::vocab::wording::wording().lists.of;
    let folded = match key {
        Some(k) if !unit.contains('_') => k,
        _ => names::fold(unit),
    };
    let rest = folded.strip_prefix("cấp ")?;
    let of = names::fold(of);
    let at = rest.find(&format!(" {of} "))?;
    let parent = rest[at + of.len() + 2..].trim();
    (!parent.is_empty()).then(|| parent.to_string())
}

/// Whether `text` is what a spreadsheet shows for a failed formula or a non-finite number.
fn is_spreadsheet_error(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['+', '-']).to_lowercase();
    matches!(t.as_str(), "nan" | "inf" | "infinity" | "∞")
        || (t.starts_with('#') && (t.ends_with('!') || t.ends_with("/a") || t.ends_with('?')))
}

/// The error for a numerator or denominator with a fraction.
fn not_whole(what: &str, shown: &str) -> Error {
    Error::input(format!("{what} \"{shown}\" is not a whole number")).hint(
        "numerators and denominators count dossiers, so they are whole (1234 or 1.234); a rate goes in the value column",
    )
}

/// The error for NaN, ±infinity or a spreadsheet error value (#DIV/0!) in a number cell.
fn not_finite(what: &str, shown: &str) -> Error {
    Error::input(format!("{what} \"{shown}\" is not a finite number")).hint(
        "the cell holds the result of a failed formula (usually a division by 0, #DIV/0!); give the figure, or leave the cell empty when there is no data",
    )
}
