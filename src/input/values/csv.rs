//! Values from CSV: a long or wide table of indicator values, streamed row by row through the
//! shared [`crate::input::csv`] reader.

use std::path::Path;

use crate::diag::{Error, Errors};
use crate::input::csv::CsvFile;
use crate::input::source::Source;

/// Read a values CSV (long or wide), streaming its rows.
pub fn read(
    source: &Source,
    path: &Path,
    registry: &crate::input::registry::Registry,
    catalogue: &crate::input::catalogue::Catalogue,
) -> Result<super::ValueTable, Errors> {
    let mut file = CsvFile::open(source, path)?;
    // Title rows written across a row of cells ("BÁO CÁO …;;;;") sit above the header: the
    // header is the first of the first ten rows that names a unit column.
    let mut hl = file.skipped + 1;
    let mut title_rows = 0;
    let mut first = None;
    let layout = loop {
        let header_line = file.headers.join(&char::from(file.delimiter).to_string());
        match super::Layout::from_headers(
            &file.headers,
            catalogue,
            registry.vocabulary.column_keys(),
        ) {
            Ok(layout) => break layout,
            Err((None, e)) if e.message == "missing column \"unit\"" => {
                let first = first.get_or_insert((hl, header_line, e));
                match file.next_row()? {
                    Some(row) if title_rows < 10 => {
                        title_rows += 1;
                        hl = row.line;
                        file.headers = row.cells;
                        continue;
                    }
                    // No row names a unit: the first row is the header that lacks it.
                    _ => {
                        let (line, text, e) = first.clone();
                        return Err(e.in_file(path).at_line(line).source_line(text).into());
                    }
                }
            }
            Err((col, e)) => {
                let mut e = e.in_file(path).at_line(hl).source_line(header_line);
                if let Some(c) = col {
                    let column = file
                        .headers
                        .iter()
                        .take(c)
                        .map(|h| h.chars().count() + 1)
                        .sum::<usize>()
                        + 1;
                    e = e
                        .at(hl, column)
                        .width(file.headers.get(c).map_or(1, |h| h.chars().count()));
                    if let Some(h) = file.headers.get(c) {
                        e = e.field(h.clone());
                    }
                }
                return Err(e.into());
            }
        }
    };
    let header_line = file.headers.join(&char::from(file.delimiter).to_string());
    let mut loader = super::Loader::new(path, registry, catalogue);
    let mut cells: Vec<super::Cell> = Vec::new();
    while let Some(row) = file.next_row()? {
        if let Some(e) = file
            .extra_cell_error(&row)
            .or_else(|| file.missing_cell_error(&row))
        {
            loader.problem(e);
            continue;
        }
        cells.clear();
        cells.extend(row.cells.iter().map(|c| {
            if c.is_empty() {
                super::Cell::Empty
            } else {
                super::Cell::Text(c.clone())
            }
        }));
        if let Err((col, e)) = loader.row(&layout, &cells, row.line) {
            let hint = e.hint.clone();
            let mut err = match col {
                Some(c) => file.cell_error(&row, c, e.message.clone()),
                None => Error::input(e.message.clone())
                    .in_file(path)
                    .at_line(row.line)
                    .source_line(file.line_text(&row)),
            };
            err.hint = hint;
            loader.problem(err);
        }
    }
    if let Some(problems) = loader.take_problems() {
        return Err(problems);
    }
    let header_line_no = hl;
    loader.finish().map_err(|e| {
        let hint = e.hint.clone();
        let mut err = Error::input(e.message)
            .in_file(path)
            .at_line(header_line_no)
            .source_line(header_line);
        err.hint = hint;
        err.into()
    })
}
