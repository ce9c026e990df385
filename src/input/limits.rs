//! Bounds on hostile or broken inputs, so every reader fails within seconds and well under
//! 512 MiB: CSV line length and column count, ZIP (XLSX, DOCX) decompressed size, sheet area.

use std::io::Read;
use std::path::Path;

use crate::diag::{Error, Result};

/// Longest CSV line accepted, in bytes (a real row of a values table is under 10 KiB).
pub const CSV_MAX_LINE: usize = 1024 * 1024;

/// Most CSV columns accepted (a wide values table has a few hundred).
pub const CSV_MAX_COLUMNS: usize = 10_000;

/// Most bytes an .xlsx or .docx may hold once decompressed, all parts together.
pub const ZIP_MAX_DECOMPRESSED: u64 = 256 * 1024 * 1024;

/// Most bytes a .docx given to `textconv` may hold once decompressed (a letter is under 1 MiB).
pub const DOCX_MAX_DECOMPRESSED: u64 = 32 * 1024 * 1024;

/// Most cells of a sheet's used area (rows × columns from its first to its last cell): a
/// values sheet of 10,000 units × 500 columns fits.
pub const SHEET_MAX_CELLS: u64 = 5_000_000;

/// A reader that fails once a line (bytes between two `\n`) grows past `max` bytes, so a
/// 200 MB line is refused after reading 1 MiB of it.
pub struct LineBounded<R> {
    inner: R,
    max: usize,
    /// Bytes since the last `\n`.
    current: usize,
    /// 1-based number of the line being read.
    line: usize,
}

impl<R: Read> LineBounded<R> {
    /// Wrap `inner`, refusing lines longer than `max` bytes.
    pub fn new(inner: R, max: usize) -> Self {
        LineBounded {
            inner,
            max,
            current: 0,
            line: 1,
        }
    }
}

/// The error a [`LineBounded`] reader returns; found again with [`line_too_long`].
#[derive(Debug)]
struct LineTooLong {
    line: usize,
    max: usize,
}

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {} is longer than {} bytes", self.line, self.max)
    }
}

impl std::error::Error for LineTooLong {}

impl<R: Read> Read for LineBounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        // Line by line rather than byte by byte: a line is too long once the bytes since the
        // last '\n' exceed the bound.
        let mut rest = &buf[..n];
        loop {
            let (len, end) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (rest.len(), false),
            };
            if self.current + len > self.max {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    LineTooLong {
                        line: self.line,
                        max: self.max,
                    },
                ));
            }
            if !end {
                self.current += len;
                return Ok(n);
            }
            self.current = 0;
            self.line += 1;
            rest = &rest[len + 1..];
        }
    }
}

/// The clear error for an I/O error raised by a [`LineBounded`] reader, if `err` is one.
pub fn line_too_long(err: &std::io::Error, path: &Path) -> Option<Error> {
    let inner = err.get_ref()?.downcast_ref::<LineTooLong>()?;
    Some(
        Error::input(format!(
            "line {} is longer than {} MiB; congvan reads CSV lines up to that length",
            inner.line,
            inner.max / (1024 * 1024)
        ))
        .in_file(path)
        .at_line(inner.line)
        .hint("is this really a CSV table? a field may hold a whole file, or line ends may be missing (save it again as CSV UTF-8)"),
    )
}

/// Refuse a CSV row of more than [`CSV_MAX_COLUMNS`] cells.
pub fn check_columns(count: usize, path: &Path, line: usize) -> Result<()> {
    if count <= CSV_MAX_COLUMNS {
        return Ok(());
    }
    Err(Error::input(format!(
        "the row has {count} columns; congvan reads at most {CSV_MAX_COLUMNS}"
    ))
    .in_file(path)
    .at_line(line)
    .hint("check the delimiter, or split the table: one column per indicator, one row per unit"))
}

/// Check the ZIP archive `bytes` (an .xlsx or .docx from `path`) decompresses to at most
/// `max` bytes, by inflating every part into nothing (sizes declared in the archive may lie);
/// `hint` tells the user what to do instead.
pub fn check_zip(bytes: &[u8], path: &Path, max: u64, hint: &str) -> Result<()> {
    let unreadable = |e: zip::result::ZipError| {
        Error::input(format!("not a readable ZIP archive ({e})"))
            .in_file(path)
            .hint("save the file again from Excel or Word (.xlsx, .docx)")
    };
    let too_big = || {
        Error::input(format!(
            "the file decompresses to more than {} MiB; congvan refuses it (a ZIP bomb, or far larger than congvan needs)",
            max / (1024 * 1024)
        ))
        .in_file(path)
        .hint(hint)
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let declared: u64 = (0..archive.len())
        .filter_map(|i| archive.by_index_raw(i).ok().map(|f| f.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max {
        return Err(too_big());
    }
    let mut left = max;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(unreadable)?;
        let n = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|e| Error::io("read", path, &e))?;
        if n > left {
            return Err(too_big());
        }
        left -= n;
    }
    Ok(())
}

/// Refuse `path` unless it is a regular file of at most `max` bytes (checked without opening
/// it, so a FIFO or device is not read). A missing file passes: its reader says so.
pub fn check_file_size(path: &Path, max: u64) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // the reader reports a missing file, with its hint
    };
    if !meta.is_file() {
        return Err(
            Error::input("not a regular file (a folder, FIFO or device)")
                .in_file(path)
                .hint("give the path of a file"),
        );
    }
    if meta.len() > max {
        return Err(Error::input(format!(
            "the file is {} MiB; congvan reads files up to {} MiB here",
            meta.len() / (1024 * 1024),
            max / (1024 * 1024)
        ))
        .in_file(path)
        .hint("is this the right file? letters and values workbooks are a few MiB"));
    }
    Ok(())
}

/// Refuse a sheet whose used area (first to last cell) exceeds [`SHEET_MAX_CELLS`]; `last` is
/// its last cell's name (`XFD1048576`).
pub fn check_sheet_area(rows: u64, columns: u64, path: &Path, last: &str) -> Result<()> {
    let area = rows.saturating_mul(columns);
    if area <= SHEET_MAX_CELLS {
        return Ok(());
    }
    Err(Error::input(format!(
        "the sheet's cells span {rows} rows × {columns} columns (to {last}); congvan reads at most {SHEET_MAX_CELLS} cells"
    ))
    .in_file(path)
    .field(last.to_string())
    .hint("delete stray cells outside the table (Ctrl+End in Excel shows the last one), or copy the table to a new sheet"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_refused_after_the_limit_not_at_its_end() {
        let mut text = b"a;b\n1;2\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', 10_000));
        let mut r = LineBounded::new(&text[..], 100);
        let mut sink = Vec::new();
        let err = r.read_to_end(&mut sink).err();
        let e = err.and_then(|e| line_too_long(&e, Path::new("v.csv")));
        assert!(e.is_some_and(|e| e.location.and_then(|l| l.line) == Some(3)));
        assert!(sink.len() < 10_000);
    }

    /// A reader handing over at most 3 bytes per read, so lines span reads.
    struct Dribble<'a>(&'a [u8]);

    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Lines of exactly the bound pass and one byte more fails on its own line, whether a line
    /// comes in one read or spans several.
    #[test]
    fn the_bound_is_exact_across_reads() {
        let read = |text: &[u8], dribble: bool| -> std::result::Result<Vec<u8>, Option<usize>> {
            let mut sink = Vec::new();
            let result = if dribble {
                LineBounded::new(Dribble(text), 5).read_to_end(&mut sink)
            } else {
                LineBounded::new(text, 5).read_to_end(&mut sink)
            };
            match result {
                Ok(_) => Ok(sink),
                Err(e) => Err(line_too_long(&e, Path::new("v.csv"))
                    .and_then(|e| e.location.and_then(|l| l.line))),
            }
        };
        for dribble in [false, true] {
            let fits = b"12345\n\n1234\n12345";
            assert_eq!(read(fits, dribble), Ok(fits.to_vec()), "dribble {dribble}");
            assert_eq!(read(b"12345\n1\n123456\n", dribble), Err(Some(3)));
            assert_eq!(read(b"123456", dribble), Err(Some(1)));
        }
    }

    #[test]
    fn zip_bomb_is_refused() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            assert!(z.start_file("xl/worksheets/sheet1.xml", opts).is_ok());
            let block = vec![b' '; 1024 * 1024];
            for _ in 0..20 {
                assert!(std::io::Write::write_all(&mut z, &block).is_ok());
            }
            assert!(z.finish().is_ok());
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 100_000);
        let err = check_zip(&bytes, Path::new("b.xlsx"), 10 * 1024 * 1024, "h").err();
        assert!(err.is_some_and(|e| e.message.contains("decompresses to more than 10 MiB")));
        assert!(check_zip(&bytes, Path::new("b.xlsx"), 30 * 1024 * 1024, "h").is_ok());
    }
}
