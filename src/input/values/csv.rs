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
    let header_line = file.headers.join(&char::from(file.delimiter).to_string());
    let layout = super::Layout::from_headers(&file.headers, catalogue).map_err(|(col, e)| {
        let hl = file.skipped + 1;
        let mut e = e.in_file(path).at_line(hl).source_line(header_line.clone());
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
        e
    })?;
    let mut loader = super::Loader::new(path, registry, catalogue);
    let mut cells: Vec<super::Cell> = Vec::new();
    while let Some(row) = file.next_row()? {
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
    let header_line_no = file.skipped + 1;
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
