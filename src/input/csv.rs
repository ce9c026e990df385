//! CSV as Vietnamese offices export it: UTF-8 with or without BOM, ';' or ',' (or tab)
//! delimiter sniffed from the header line, LF, CRLF or CR line ends (lines counted as they are
//! physically), every field NFC; U+000B read as a line break, other characters XML forbids
//! refused at their cell. Rows are streamed, never slurped.
//! Shared by the registry and the values readers.

use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::diag::{Error, Result};
use crate::input::limits;
use crate::input::source::Source;
use crate::text;

/// An open CSV file, read one record at a time.
pub struct CsvFile {
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::ByteRecord,
    /// The file as named.
    pub path: PathBuf,
    /// The sniffed delimiter.
    pub delimiter: u8,
    /// Header cells, NFC and trimmed.
    pub headers: Vec<String>,
    /// Comment and title lines (no delimiter) skipped before the header.
    pub skipped: usize,
}

/// One data row: its 1-based line and NFC, trimmed cells.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line of the row's start.
    pub line: usize,
    /// Cells, NFC, trimmed.
    pub cells: Vec<String>,
}

impl CsvFile {
    /// Open `path` from `source`, sniff the delimiter and read the header row.
    pub fn open(source: &Source, path: &Path) -> Result<CsvFile> {
        // Line ends first, so the length bound counts physical lines of any ending.
        let raw =
            limits::LineBounded::new(LineEndings::new(source.open(path)?), limits::CSV_MAX_LINE);
        let mut buf = BufReader::with_capacity(64 * 1024, raw);
        // Leading lines starting with '#' are comments (licence and provenance notes); lines
        // with no delimiter are title rows.
        let mut skipped = 0usize;
        let head = loop {
            let mut first = Vec::new();
            let n = buf.read_until(b'\n', &mut first).map_err(|e| {
                limits::line_too_long(&e, path).unwrap_or_else(|| Error::io("read", path, &e))
            })?;
            if n == 0 && skipped == 0 {
                return Err(Error::input("the file is empty; expected a header row")
                    .in_file(path)
                    .at_line(1)
                    .hint("the first row names the columns: id,name,kind,… in a registry, unit;indicator;value in a values file"));
            }
            let line = if skipped == 0 {
                first
                    .strip_prefix(b"\xEF\xBB\xBF")
                    .unwrap_or(&first)
                    .to_vec()
            } else {
                first
            };
            // A title line above the header ("BÁO CÁO KẾT QUẢ …") has no delimiter at all:
            // a header always has two columns or more.
            let title = !line.iter().all(u8::is_ascii_whitespace)
                && !line.iter().any(|b| matches!(b, b';' | b',' | b'\t'));
            if line.first() == Some(&b'#') || title {
                skipped += 1;
                continue;
            }
            break line;
        };
        if head.iter().all(u8::is_ascii_whitespace) {
            let message = if head.is_empty() {
                "the file has only comment or title lines; expected a header row"
            } else {
                "the header line is blank; expected the column names"
            };
            return Err(Error::input(message)
                .in_file(path)
                .at_line(skipped + 1)
                .hint("the first row (after '#' comment lines) names the columns, e.g. unit;indicator;value; remove blank lines above it"));
        }
        let delimiter = sniff(&head);
        let chained: Box<dyn Read> = Box::new(Cursor::new(head).chain(buf));
        // Records end at '\n' only (a '\r' before it is trimmed with the last cell), so every
        // record consumes its own line end and line numbers stay right in CRLF files.
        let mut reader = csv::ReaderBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(chained);
        let mut record = csv::ByteRecord::new();
        let headers = match reader.read_byte_record(&mut record) {
            Ok(true) => {
                limits::check_columns(record.len(), path, skipped + 1)?;
                decode(&record, path, skipped + 1, delimiter, &[])?
            }
            Ok(false) => Vec::new(),
            Err(e) => return Err(csv_error(&e, path, skipped)),
        };
        Ok(CsvFile {
            reader,
            record,
            path: path.to_path_buf(),
            delimiter,
            headers,
            skipped,
        })
    }

    /// The next non-blank row, or `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {
                    let line = self.record_line() + self.skipped;
                    if self
                        .record
                        .iter()
                        .all(|f| f.iter().all(u8::is_ascii_whitespace))
                    {
                        continue;
                    }
                    limits::check_columns(self.record.len(), &self.path, line)?;
                    let cells = decode(
                        &self.record,
                        &self.path,
                        line,
                        self.delimiter,
                        &self.headers,
                    )?;
                    return Ok(Some(Row { line, cells }));
                }
                Err(e) => return Err(csv_error(&e, &self.path, self.skipped)),
            }
        }
    }

    /// 1-based line (of the text after the skipped comments) where the record just read
    /// starts. The csv crate stamps a record with the line where reading began, before any
    /// blank lines it skipped; counting back from where the record ended (its own line end
    /// consumed, less the line breaks inside quoted cells) is right after blank lines but one
    /// short for a last line without a line end. Each is exact where the other can be short,
    /// and neither overshoots, so the larger is the line.
    fn record_line(&self) -> usize {
        let stamped = self.record.position().map_or(1, |p| p.line() as usize);
        let inner: usize = self
            .record
            .iter()
            .map(|f| f.iter().filter(|b| **b == b'\n').count())
            .sum();
        let ended = (self.reader.position().line() as usize).saturating_sub(1 + inner);
        stamped.max(ended)
    }

    /// The row's text as it was (cells joined by the delimiter), for error snippets.
    pub fn line_text(&self, row: &Row) -> String {
        let d = char::from(self.delimiter);
        let shown: Vec<std::borrow::Cow<str>> = row.cells.iter().map(|c| quoted(c, d)).collect();
        shown.join(&d.to_string())
    }

    /// 1-based character column where cell `index` of `row` starts in [`CsvFile::line_text`].
    pub fn column_of(&self, row: &Row, index: usize) -> usize {
        let d = char::from(self.delimiter);
        row.cells
            .iter()
            .take(index)
            .map(|c| quoted(c, d).chars().count() + 1)
            .sum::<usize>()
            + 1
    }

    /// Columns the header names: up to its last non-empty cell.
    fn named_columns(&self) -> usize {
        self.headers
            .iter()
            .rposition(|h| !h.trim().is_empty())
            .map_or(0, |i| i + 1)
    }

    /// A row with more cells than the header (an unquoted decimal comma in a comma-separated
    /// file, a stray separator): every figure after the split has moved one column on, even
    /// when the cell that fell off the end is empty, so the row is refused.
    pub fn extra_cell_error(&self, row: &Row) -> Option<Error> {
        let width = self.headers.len();
        if row.cells.len() <= width {
            return None;
        }
        let at = (width..row.cells.len())
            .find(|&i| !row.cells[i].trim().is_empty())
            .unwrap_or(width);
        let d = char::from(self.delimiter);
        let mut e = self
            .cell_error(
                row,
                at,
                format!(
                    "this row has {} cells, but the header has {width}: the figures of the row may have moved to the wrong columns",
                    row.cells.len()
                ),
            )
            .hint(if d == ',' {
                "in a comma-separated file, a cell holding a comma must be in quotes (\"37,39%\", \"Sở Tài chính, Kế hoạch\"), or save the file with ';' as separator; remove stray separators"
            } else {
                "remove the stray separator (also one at the end of the line), or name the column in the header"
            });
        if row.cells[at].is_empty() {
            // The empty cell after a trailing separator: point at the end of the line.
            e = e.at(row.line, self.line_text(row).chars().count() + 1);
        }
        Some(e)
    }

    /// A row with fewer cells than the header names: a cell is missing, so the figures after it
    /// may sit under the wrong columns.
    pub fn missing_cell_error(&self, row: &Row) -> Option<Error> {
        let named = self.named_columns();
        if row.cells.len() >= named {
            return None;
        }
        let text = self.line_text(row);
        let field = self
            .headers
            .get(row.cells.len())
            .cloned()
            .unwrap_or_default();
        Some(
            Error::input(format!(
                "this row has {} cells, but the header names {named} columns: a cell is missing, so the figures after it may be under the wrong columns",
                row.cells.len()
            ))
            .in_file(&self.path)
            .at(row.line, text.chars().count() + 1)
            .field(field)
            .source_line(text)
            .hint("write every cell of the row, an empty one as nothing between two separators (;;)"),
        )
    }

    /// An error about cell `index` of `row`: file, line, column, field and the line's text.
    pub fn cell_error(&self, row: &Row, index: usize, message: impl Into<String>) -> Error {
        let field = self
            .headers
            .get(index)
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1));
        let width = row.cells.get(index).map_or(1, |c| c.chars().count());
        // A cell shown in quotes ("89,22%" in a comma-separated file): the caret starts at
        // its first character, after the quote.
        let d = char::from(self.delimiter);
        let quote = row
            .cells
            .get(index)
            .is_some_and(|c| matches!(quoted(c, d), std::borrow::Cow::Owned(_)));
        Error::input(message)
            .in_file(&self.path)
            .at(row.line, self.column_of(row, index) + usize::from(quote))
            .width(width)
            .field(field)
            .source_line(self.line_text(row))
    }
}

/// A reader that turns every line ending (CRLF from Windows, a lone CR from Excel for Mac) into
/// LF, so line numbers count physical lines whatever the file uses. A CRLF split across two
/// reads is still one line ending.
pub struct LineEndings<R> {
    inner: R,
    after_cr: bool,
}

impl<R: Read> LineEndings<R> {
    /// Wrap `inner`.
    pub fn new(inner: R) -> Self {
        LineEndings {
            inner,
            after_cr: false,
        }
    }
}

impl<R: Read> Read for LineEndings<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            // Most files end their lines with '\n' alone: nothing to rewrite.
            if !self.after_cr && !buf[..n].contains(&b'\r') {
                return Ok(n);
            }
            let mut w = 0;
            for r in 0..n {
                let b = buf[r];
                if b == b'\n' && self.after_cr {
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                buf[w] = if b == b'\r' { b'\n' } else { b };
                w += 1;
            }
            if w > 0 {
                return Ok(w);
            }
        }
    }
}

/// A cell as CSV writes it: quoted when it holds the delimiter or a quote.
fn quoted(cell: &str, delimiter: char) -> std::borrow::Cow<'_, str> {
    if cell.contains(delimiter) || cell.contains('"') {
        format!("\"{}\"", cell.replace('"', "\"\"")).into()
    } else {
        cell.into()
    }
}

/// The most frequent of ';', ',' and tab outside quotes in the header line; ',' if none.
pub fn sniff(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => counts[0] += 1,
            b',' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let options = [b';', b',', b'\t'];
    let mut best = 1;
    for i in [0, 2] {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    options[best]
}

/// The cells of `record`, NFC and trimmed; a cell that is not UTF-8 is an error naming the
/// line, the column (and its header, when known) and the legacy encoding the row looks like.
fn decode(
    record: &csv::ByteRecord,
    path: &Path,
    line: usize,
    delimiter: u8,
    headers: &[String],
) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        match std::str::from_utf8(field) {
            // U+000B is a line break typed in Word and pasted into Excel: read it as one.
            Ok(s) => {
                let cell = text::nfc(s.trim());
                out.push(if cell.contains('\u{b}') {
                    cell.replace('\u{b}', "\n")
                } else {
                    cell.into_owned()
                });
            }
            Err(_) => return Err(not_utf8(record, i, path, line, delimiter, headers)),
        }
    }
    for (i, cell) in out.iter().enumerate() {
        if let Some((at, c)) = text::first_forbidden(cell) {
            let d = char::from(delimiter);
            let column = out
                .iter()
                .take(i)
                .map(|c| quoted(c, d).chars().count() + 1)
                .sum::<usize>()
                + 1
                + at;
            let shown: Vec<String> = out
                .iter()
                .map(|c| quoted(c, d).replace(text::xml_forbidden, "\u{fffd}"))
                .collect();
            let field = headers
                .get(i)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1));
            return Err(Error::input(format!(
                "control character {} in the text",
                text::char_name(c)
            ))
            .in_file(path)
            .at(line, column)
            .field(field)
            .source_line(shown.join(&d.to_string()))
            .hint("a Word document cannot hold this character (it usually comes from copying out of another program); delete it from the cell"));
        }
    }
    Ok(out)
}

fn not_utf8(
    record: &csv::ByteRecord,
    index: usize,
    path: &Path,
    line: usize,
    delimiter: u8,
    headers: &[String],
) -> Error {
    // Guess from the whole row: one short cell says too little.
    let raw = record.iter().collect::<Vec<_>>().join(&delimiter);
    let guess = crate::text::encoding::guess(&raw);
    let show = |bytes: &[u8]| match guess {
        Some(name) => crate::text::encoding::decode(name, bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    };
    let d = char::from(delimiter);
    let cells: Vec<String> = record.iter().map(|f| show(f).trim().to_string()).collect();
    let column = cells
        .iter()
        .take(index)
        .map(|c| quoted(c, d).chars().count() + 1)
        .sum::<usize>()
        + 1;
    let shown: Vec<String> = cells.iter().map(|c| quoted(c, d).into_owned()).collect();
    let message = match guess {
        Some(name) => format!("file is not UTF-8; it looks like {name}"),
        None => "file is not UTF-8".to_string(),
    };
    let field = headers
        .get(index)
        .filter(|h| !h.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("column {}", index + 1));
    Error::input(message)
        .in_file(path)
        .at(line, column)
        .width(cells.get(index).map_or(1, |c| c.chars().count()))
        .field(field)
        .source_line(shown.join(&d.to_string()))
        .hint(crate::text::encoding::conversion_hint(guess))
}

fn csv_error(e: &csv::Error, path: &Path, skipped: usize) -> Error {
    if let csv::ErrorKind::Io(io) = e.kind() {
        if let Some(err) = limits::line_too_long(io, path) {
            return err;
        }
    }
    let line = e.position().map(|p| p.line() as usize + skipped);
    let mut err = Error::input(format!("malformed CSV ({e})"))
        .in_file(path)
        .hint("check the quotes on this line: a field with the delimiter inside must be quoted \"like, this\"");
    if let Some(l) = line {
        err = err.at_line(l);
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of every data row of `text`, read from a temporary file.
    fn lines_of(text: &str) -> Vec<(usize, String)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.csv");
        std::fs::write(&path, text).unwrap();
        let mut file = CsvFile::open(&Source::Disk, &path).unwrap();
        let mut out = Vec::new();
        while let Some(row) = file.next_row().unwrap() {
            out.push((row.line, row.cells[0].clone()));
        }
        out
    }

    #[test]
    fn line_numbers_are_right_with_crlf_blank_lines_and_comments() {
        let want = vec![
            (3, "a".to_string()),
            (6, "b".to_string()),
            (7, "c".to_string()),
        ];
        let lf = "# note\nunit;value\na;1\n\n\nb;2\nc;3";
        assert_eq!(lines_of(lf), want);
        assert_eq!(lines_of(&lf.replace('\n', "\r\n")), want);
        let cells = lines_of("unit;value\r\nSở Tư pháp;1\r\n");
        assert_eq!(cells, vec![(2, "Sở Tư pháp".to_string())]);
    }
}
