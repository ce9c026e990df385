//! Data tables for templates (`[data.tables]`): rows of a CSV or XLSX file, each cell as text,
//! keyed by its header. Same reading rules and located errors as the values files.

use std::path::Path;

use calamine::{Data, Reader};
use serde::Serialize;

use crate::diag::{Error, Result};
use crate::input::csv::CsvFile;
use crate::input::source::Source;
use crate::input::values::xlsx::{self, column_name};

/// A table read from a file: its header names and its rows, every cell NFC text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataTable {
    /// Header cells in order, NFC, trimmed; never empty nor repeated.
    pub columns: Vec<String>,
    /// Rows in file order (blank rows skipped), each with one cell per column.
    pub rows: Vec<Vec<String>>,
}

impl DataTable {
    /// The rows as objects keyed by header, the shape templates loop over:
    /// `{% for r in tables.nhiem_vu %}{{ r["Nhiệm vụ"] }}{% endfor %}`.
    pub fn to_json(&self) -> serde_json::Value {
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let map: serde_json::Map<String, serde_json::Value> = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                    .collect();
                serde_json::Value::Object(map)
            })
            .collect();
        serde_json::Value::Array(rows)
    }
}

/// Read `path` (CSV by default; `.xlsx` by its extension, `sheet` or the first one).
///
/// Errors: an unreadable file; an empty or repeated header name (at its cell); a row with a
/// value beyond the last named column (at that cell); a sheet that does not exist.
pub fn read(source: &Source, path: &Path, sheet: Option<&str>) -> Result<DataTable> {
    let xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        read_xlsx(source, path, sheet)
    } else {
        read_csv(source, path)
    }
}

fn read_csv(source: &Source, path: &Path) -> Result<DataTable> {
    let mut file = CsvFile::open(source, path)?;
    let line = file.skipped + 1;
    check_headers(&file.headers, |i, message| {
        Error::input(message)
            .in_file(path)
            .at_line(line)
            .field(format!("column {}", i + 1))
    })?;
    let width = file.headers.len();
    let mut rows = Vec::new();
    while let Some(row) = file.next_row()? {
        if let Some(extra) = (width..row.cells.len()).find(|i| !row.cells[*i].is_empty()) {
            return Err(file
                .cell_error(&row, extra, "a value beyond the last named column")
                .hint("give the column a header, or remove the value"));
        }
        let mut cells = row.cells.clone();
        cells.resize(width, String::new());
        rows.push(cells);
    }
    Ok(DataTable {
        columns: file.headers,
        rows,
    })
}

fn read_xlsx(source: &Source, path: &Path, sheet: Option<&str>) -> Result<DataTable> {
    let bytes = xlsx::workbook_bytes(source, path)?;
    let mut book = xlsx::open_workbook(&bytes, path)?;
    let names = book.sheet_names();
    let sheet_name = match sheet {
        Some(s) => xlsx::named_sheet(&names, s, path)?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::input("workbook has no sheets").in_file(path))?,
    };
    // Cell by cell within the sheet limits, as the values reader does.
    let (row0, col0, sheet_rows) =
        xlsx::sheet_cells(&mut book, &sheet_name, path, cell_text, String::is_empty)?;
    let cell_ref =
        |r: usize, c: usize| format!("{sheet_name}!{}{}", column_name(col0 + c), row0 + r + 1);
    let mut rows = sheet_rows
        .into_iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()));
    let Some((hrow, mut columns)) = rows.next() else {
        return Err(Error::input("the sheet is empty; expected a header row")
            .in_file(path)
            .field(sheet_name.clone()));
    };
    while columns.last().is_some_and(String::is_empty) {
        columns.pop();
    }
    check_headers(&columns, |i, message| {
        Error::input(message).in_file(path).field(cell_ref(hrow, i))
    })?;
    let width = columns.len();
    let mut out = Vec::new();
    for (i, mut cells) in rows {
        if let Some(extra) = (width..cells.len()).find(|c| !cells[*c].is_empty()) {
            return Err(Error::input("a value beyond the last named column")
                .in_file(path)
                .field(cell_ref(i, extra))
                .hint("give the column a header, or remove the value"));
        }
        cells.resize(width, String::new());
        out.push(cells);
    }
    Ok(DataTable { columns, rows: out })
}

/// Header names must be present and distinct.
fn check_headers(headers: &[String], at: impl Fn(usize, String) -> Error) -> Result<()> {
    if headers.is_empty() {
        return Err(at(0, "no header row".into()).hint("the first row names the columns"));
    }
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            return Err(at(i, format!("column {} has no header", i + 1))
                .hint("name every column in the header row; templates use the names"));
        }
        if headers[..i].contains(h) {
            return Err(at(i, format!("column \"{h}\" is named twice"))
                .hint("give each column its own name"));
        }
    }
    Ok(())
}

/// A cell as text: numbers as written in Vietnamese (whole numbers bare, "2,5"), dates as
/// dd/mm/yyyy, text NFC with its line breaks kept ("\n").
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string().replace('.', ","),
        Data::String(s) => crate::text::nfc_string(s.trim()).replace("\r\n", "\n"),
        Data::Bool(b) => b.to_string(),
        // Excel's serial day 0 is 1899-12-30 (the 1900 leap-year bug included).
        Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|d| d.checked_add_signed(chrono::Duration::days(dt.as_f64().floor() as i64)))
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_by_header() {
        let dir = std::env::temp_dir().join(format!("congvan-tables-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("nv.csv");
        std::fs::write(
            &path,
            "TT;Nhiệm vụ;Chủ trì\n1;Rà soát;Sở Nội vụ\n\n2;Tuyên truyền\n",
        )
        .unwrap();
        let t = read(&Source::Disk, &path, None).unwrap();
        assert_eq!(t.columns, ["TT", "Nhiệm vụ", "Chủ trì"]);
        assert_eq!(
            t.rows,
            [["1", "Rà soát", "Sở Nội vụ"], ["2", "Tuyên truyền", ""]]
        );
        assert_eq!(t.to_json()[1]["Nhiệm vụ"], "Tuyên truyền");

        std::fs::write(&path, "TT;Nhiệm vụ;TT\n1;a;b\n").unwrap();
        let e = read(&Source::Disk, &path, None).unwrap_err();
        assert!(e.message.contains("named twice"), "{e:?}");
        std::fs::write(&path, "TT;Nhiệm vụ\n1;a;thừa\n").unwrap();
        let e = read(&Source::Disk, &path, None).unwrap_err();
        let l = e.location.unwrap();
        assert_eq!((l.line, l.column), (Some(2), Some(5)), "{}", e.message);
        std::fs::remove_dir_all(&dir).ok();
    }
}
