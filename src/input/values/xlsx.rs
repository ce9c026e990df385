//! XLSX values (calamine): the sheet named in the spec, else the first sheet with a header. The header row is the first row,
//! within the first ten, that names a unit column (title rows above it are skipped). Errors
//! name the cell as `Sheet!B7`.
//!
//! Excel stores a cell formatted as a percentage as a fraction (0,6552 shows as 65,52%): such a
//! cell (its number format, see [`super::xlsx_formats`]) is read × 100; a rate column mixing
//! percentage cells and plain numbers above 1 (75 for 75%) is an error; a column without percentage formats whose
//! numbers all lie within 0–1 (one strictly between) is read as fractions too.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::{Cell, Layout, Loader, ValueTable};
use crate::diag::{Error, Errors, Result};
use crate::input::catalogue::Catalogue;
use crate::input::limits;
use crate::input::registry::Registry;
use crate::input::source::Source;

/// Excel column letters for a 0-based index: 0 → A, 27 → AB.
pub fn column_name(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn to_cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(crate::text::nfc_string(s.trim())),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => Cell::Text(dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(excel_error(e).to_string()),
    }
}

/// An error value as Excel shows it ("#DIV/0!").
fn excel_error(e: &calamine::CellErrorType) -> &'static str {
    use calamine::CellErrorType as E;
    match e {
        E::Div0 => "#DIV/0!",
        E::NA => "#N/A",
        E::Name => "#NAME?",
        E::Null => "#NULL!",
        E::Num => "#NUM!",
        E::Ref => "#REF!",
        E::Value => "#VALUE!",
        E::GettingData => "#GETTING_DATA",
    }
}

/// Read the values sheet of an XLSX workbook.
pub fn read(
    source: &Source,
    path: &Path,
    sheet: Option<&str>,
    registry: &Registry,
    catalogue: &Catalogue,
) -> std::result::Result<ValueTable, Errors> {
    let bytes = workbook_bytes(source, path)?;
    let mut book = open_workbook(&bytes, path)?;
    let names = book.sheet_names();
    let sheet_name = match sheet {
        Some(s) => named_sheet(&names, s, path)?,
        // The first sheet whose rows lay out (a notes sheet before the data is passed over);
        // when none does, the first sheet, whose error is the one reported.
        None => {
            let first = names
                .first()
                .cloned()
                .ok_or_else(|| Error::input("workbook has no sheets").in_file(path))?;
            names
                .iter()
                .find(|n| {
                    // Read cell by cell within the limits, like the chosen sheet below: a sheet
                    // over them is passed over here and reported if it is the one read.
                    sheet_rows(&mut book, n, path).is_ok_and(|(_, _, rows)| {
                        rows.iter().take(10).any(|r| {
                            let texts: Vec<String> = r.iter().map(Cell::text).collect();
                            Layout::from_headers(
                                &texts,
                                catalogue,
                                registry.vocabulary.column_keys(),
                            )
                            .is_ok()
                        })
                    })
                })
                .cloned()
                .unwrap_or(first)
        }
    };
    let (row0, col0, rows) = sheet_rows(&mut book, &sheet_name, path)?;
    let cell_ref =
        |r: usize, c: usize| format!("{sheet_name}!{}{}", column_name(col0 + c), row0 + r + 1);

    // Header row: the first of the first ten rows that lays out.
    let mut header = None;
    let mut first_err = None;
    for (i, row) in rows.iter().enumerate().take(10) {
        let texts: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) => s.clone(),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        match Layout::from_headers(&texts, catalogue, registry.vocabulary.column_keys()) {
            Ok(l) => {
                header = Some((i, l));
                break;
            }
            Err(e) => {
                if first_err.is_none() || e.0.is_some() {
                    let has_unit = e.1.message != "missing column \"unit\"";
                    if has_unit || first_err.is_none() {
                        first_err = Some((i, e));
                    }
                }
                if e_is_final(&first_err) {
                    break;
                }
            }
        }
    }
    let Some((hrow, layout)) = header else {
        let (i, (col, e)) = first_err.unwrap_or((0, (None, Error::input("empty sheet"))));
        let hint = e.hint.clone();
        let mut err = Error::input(e.message)
            .in_file(path)
            .field(cell_ref(i, col.unwrap_or(0)));
        err.hint = hint;
        return Err(err.into());
    };
    // A second header row (merged cells above: "Tỷ lệ hồ sơ trực tuyến" over "Tử số",
    // "Mẫu số", "Tỷ lệ (%)"): its words are joined to the header above, and data start below it.
    let (layout, first_data) = match two_row_header(
        &rows,
        hrow,
        &layout,
        catalogue,
        registry.vocabulary.column_keys(),
    ) {
        Some(l) => (l, hrow + 2),
        None => (layout, hrow + 1),
    };

    // Rate columns: a cell formatted as a percentage holds a fraction (0,9 shows as 90%). A
    // column mixing percentage cells and plain percent figures has no one reading: refused. A column
    // with no percentage format whose numbers all lie within 0–1 (one strictly between) holds
    // fractions too.
    let formats = super::xlsx_formats::read(&bytes, &sheet_name).unwrap_or_default();
    let is_percent = |i: usize, c: usize| formats.percent.contains(&(row0 + i, col0 + c));
    let mut scale = vec![1.0f64; rows.get(hrow).map_or(0, Vec::len)];
    for (c, factor) in scale.iter_mut().enumerate() {
        if !layout_rate_col(&layout, c, catalogue) {
            continue;
        }
        let nums: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .skip(first_data)
            .filter_map(|(i, r)| match r.get(c) {
                Some(Cell::Number(n)) => Some((i, *n)),
                _ => None,
            })
            .collect();
        let percent = nums.iter().find(|(i, _)| is_percent(*i, c));
        // Plain numbers beside percentage cells read as fractions too while all lie within 0–1;
        // one above 1 (75 for 75%) is another reading.
        let plain = nums
            .iter()
            .find(|(i, n)| !is_percent(*i, c) && !(0.0..=1.0).contains(n));
        match (percent, plain) {
            (Some(&(pi, pv)), Some(&(qi, qv))) => {
                let shown = |v: f64| {
                    let d = crate::text::numbers::decimal(v, 6, crate::text::numbers::Whole::Trim);
                    match d.contains(',') {
                        true => d.trim_end_matches('0').trim_end_matches(',').to_string(),
                        false => d,
                    }
                };
                return Err(Error::input(format!(
                    "the column mixes readings: {} is formatted as a percentage ({} shows as {}), {} is a plain number ({})",
                    cell_ref(pi, c),
                    shown(pv),
                    crate::text::numbers::percent(pv * 100.0, 2, crate::text::numbers::Whole::Trim),
                    cell_ref(qi, c),
                    shown(qv)
                ))
                .in_file(path)
                .field(match header_text(rows.get(hrow).and_then(|r| r.get(c))) {
                    Some(h) => format!("{} ({h})", cell_ref(qi, c)),
                    None => cell_ref(qi, c),
                })
                .hint("format the whole column one way: every cell as a percentage (Format Cells → Percentage), or every cell as a plain number of percent (90 for 90%)")
                .into());
            }
            (Some(_), None) => *factor = 100.0,
            (None, _) => {
                if !nums.is_empty()
                    && nums.iter().all(|(_, n)| (0.0..=1.0).contains(n))
                    && nums.iter().any(|(_, n)| *n > 0.0 && *n < 1.0)
                {
                    *factor = 100.0;
                }
            }
        }
    }

    let mut loader = Loader::new(path, registry, catalogue);
    for (i, row) in rows.iter().enumerate().skip(first_data) {
        if let Some(c) = (0..row.len()).find(|c| {
            formats
                .formula_without_value
                .contains(&(row0 + i, col0 + c))
        }) {
            loader.problem(Error::input("the cell holds a formula with no saved value")
                .in_file(path)
                .field(cell_ref(i, c))
                .hint("open the workbook in Excel or LibreOffice and save it again, so every formula's result is stored; or paste the values (Paste Special → Values)"));
            continue;
        }
        let cells: Vec<Cell> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| match cell {
                Cell::Number(n) if scale.get(c).copied().unwrap_or(1.0) != 1.0 => {
                    Cell::Number(n * 100.0)
                }
                other => other.clone(),
            })
            .collect();
        if let Err((col, e)) = loader.row(&layout, &cells, row0 + i + 1) {
            let hint = e.hint.clone();
            let c = col.unwrap_or(0);
            let field = match header_text(rows.get(hrow).and_then(|r| r.get(c))) {
                Some(h) => format!("{} ({h})", cell_ref(i, c)),
                None => cell_ref(i, c),
            };
            let mut err = Error::input(e.message).in_file(path).field(field);
            err.hint = hint;
            loader.problem(err);
        }
    }
    if let Some(problems) = loader.take_problems() {
        return Err(problems);
    }
    loader
        .finish()
        .map_err(|e| {
            let hint = e.hint.clone();
            let mut err = Error::input(e.message)
                .in_file(path)
                .field(cell_ref(first_data, 0));
            err.hint = hint;
            err
        })
        .map_err(Errors::from)
}

/// The layout of a two-row header at `hrow`, when the row below it is one: no unit, only text,
/// some of it under a column the first row leaves empty or names an indicator. Each upper cell
/// spans the empty cells to its right (a merged cell keeps its text in the first); a lower cell
/// that names the value ("Tỷ lệ (%)", "Giá trị") keeps the upper header, another ("Tử số")
/// is added to it in brackets.
fn two_row_header(
    rows: &[Vec<Cell>],
    hrow: usize,
    layout: &Layout,
    catalogue: &Catalogue,
    cols: &crate::vocab::vocabulary::Columns,
) -> Option<Layout> {
    let upper = rows.get(hrow)?;
    let lower = rows.get(hrow + 1)?;
    let unit_cols = [layout.id, layout.name];
    let unit_empty = unit_cols
        .iter()
        .flatten()
        .all(|c| lower.get(*c).is_none_or(Cell::is_empty));
    let texts_only = lower.iter().all(|c| !matches!(c, Cell::Number(_)));
    if !unit_empty || !texts_only || lower.iter().all(Cell::is_empty) {
        return None;
    }
    let width = upper.len().max(lower.len());
    let mut heads = Vec::with_capacity(width);
    let mut above = String::new();
    for c in 0..width {
        let up = upper.get(c).map(Cell::text).unwrap_or_default();
        if !up.trim().is_empty() {
            above = up.trim().to_string();
        }
        let low = lower.get(c).map(Cell::text).unwrap_or_default();
        let low = low.trim();
        let head = if low.is_empty() {
            if up.trim().is_empty() {
                String::new()
            } else {
                above.clone()
            }
        } else if super::is_one_of(low, &cols.value)
            || super::is_one_of(
                low.trim_end_matches("(%)").trim_end_matches('%').trim(),
                &cols.value,
            )
            || low == "%"
        {
            above.clone()
        } else {
            format!("{above} ({low})")
        };
        heads.push(head);
    }
    Layout::from_headers(&heads, catalogue, cols).ok()
}

/// The sheet the spec names (`sheet = "…"`), matched as typed or folded like unit names; an
/// error lists the workbook's sheets.
pub(crate) fn named_sheet(names: &[String], wanted: &str, path: &Path) -> Result<String> {
    let folded = crate::text::names::fold(wanted);
    names
        .iter()
        .find(|n| n.as_str() == wanted || crate::text::names::fold(n) == folded)
        .cloned()
        .ok_or_else(|| {
            Error::input(format!("workbook has no sheet \"{wanted}\""))
                .in_file(path)
                .field("sheet")
                .hint(format!("sheets: {}", names.join(", ")))
        })
}

/// The bytes of an XLSX file, checked against the size limits before anything is unpacked: the
/// file's size, then what its zip entries really decompress to ([`limits::ZIP_MAX_DECOMPRESSED`]).
pub(crate) fn workbook_bytes(source: &Source, path: &Path) -> Result<Vec<u8>> {
    if matches!(source, Source::Disk) {
        limits::check_file_size(path, limits::ZIP_MAX_DECOMPRESSED)?;
    }
    let bytes = source.read_bytes(path)?;
    limits::check_zip(
        &bytes,
        path,
        limits::ZIP_MAX_DECOMPRESSED,
        "keep only the sheet congvan reads in the workbook, or export it as CSV",
    )?;
    Ok(bytes)
}

/// The workbook in `bytes` (from [`workbook_bytes`]); an error names the file and says how to
/// save it from Excel.
pub(crate) fn open_workbook<'a>(bytes: &'a [u8], path: &Path) -> Result<Xlsx<Cursor<&'a [u8]>>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::input(format!("not a readable .xlsx workbook ({e})"))
            .in_file(path)
            .hint("save the file from Excel as \"Excel Workbook (.xlsx)\"; old .xls files are not read")
    })
}

/// The cells of a sheet as rows from its first used cell, read cell by cell: the area is
/// checked against [`limits::SHEET_MAX_CELLS`] before any row is laid out, so a stray cell at
/// `XFD1048576` is refused instead of allocating the sheet's bounding box. Returns the first
/// row and column (0-based) and the rows.
fn sheet_rows<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    sheet_name: &str,
    path: &Path,
) -> Result<(usize, usize, Vec<Vec<Cell>>)> {
    sheet_cells(book, sheet_name, path, to_cell, |c| *c == Cell::Empty)
}

/// [`sheet_rows`] with each cell turned into a `T` by `convert` (cells `empty` says are
/// skipped): shared with the data tables of templates, which read cells as text.
pub(crate) fn sheet_cells<RS: std::io::Read + std::io::Seek, T: Clone + Default>(
    book: &mut Xlsx<RS>,
    sheet_name: &str,
    path: &Path,
    convert: impl Fn(&Data) -> T,
    empty: impl Fn(&T) -> bool,
) -> Result<(usize, usize, Vec<Vec<T>>)> {
    let unreadable = |e: calamine::XlsxError| {
        Error::input(format!("cannot read sheet \"{sheet_name}\" ({e})")).in_file(path)
    };
    let mut reader = book
        .worksheet_cells_reader(sheet_name)
        .map_err(unreadable)?;
    let mut cells: Vec<(u32, u32, T)> = Vec::new();
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let value = convert(&Data::from(cell.get_value().clone()));
        if empty(&value) {
            continue;
        }
        first = (first.0.min(r), first.1.min(c));
        last = (last.0.max(r), last.1.max(c));
        limits::check_sheet_area(
            u64::from(last.0 - first.0) + 1,
            u64::from(last.1 - first.1) + 1,
            path,
            &format!(
                "{sheet_name}!{}{}",
                column_name(last.1 as usize),
                last.0 + 1
            ),
        )?;
        cells.push((r, c, value));
    }
    if cells.is_empty() {
        return Ok((0, 0, Vec::new()));
    }
    let width = (last.1 - first.1) as usize + 1;
    let mut rows = vec![vec![T::default(); width]; (last.0 - first.0) as usize + 1];
    for (r, c, value) in cells {
        rows[(r - first.0) as usize][(c - first.1) as usize] = value;
    }
    Ok((first.0 as usize, first.1 as usize, rows))
}

/// The text of a header cell, if it has any.
fn header_text(cell: Option<&Cell>) -> Option<String> {
    match cell? {
        Cell::Text(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Cell::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn e_is_final(e: &Option<(usize, (Option<usize>, Error))>) -> bool {
    // An unknown indicator column in a row that has a unit column is the real header: stop.
    matches!(e, Some((_, (Some(_), _))))
}

fn layout_rate_col(layout: &Layout, c: usize, catalogue: &Catalogue) -> bool {
    if let Some((_, parts)) = &layout.long {
        return parts
            .iter()
            .any(|(col, p)| *col == c && matches!(p, super::Part::Value | super::Part::Target))
            && catalogue.indicators.iter().all(|i| i.is_rate());
    }
    layout.wide.iter().any(|(col, ind, p)| {
        *col == c
            && matches!(p, super::Part::Value | super::Part::Target)
            && catalogue.indicators[*ind].is_rate()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_names() {
        assert_eq!(super::column_name(0), "A");
        assert_eq!(super::column_name(25), "Z");
        assert_eq!(super::column_name(26), "AA");
        assert_eq!(super::column_name(27), "AB");
    }
}
