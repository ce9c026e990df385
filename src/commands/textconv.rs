//! `congvan textconv FILE.docx`: the text of a .docx, one paragraph per line, table cells in
//! order, so `git diff` can compare drafts through a diff driver.

use std::path::Path;

use docx_rs::{
    DocumentChild, ParagraphChild, RunChild, TableCellContent, TableChild, TableRowChild,
};

use crate::diag::{Error, Result};
use crate::input::limits;

/// The text of the .docx `bytes` (from `path`), one non-empty paragraph per line.
/// Refuses a file over [`limits::DOCX_MAX_DECOMPRESSED`] unpacked or with tables nested deeper
/// than [`limits::DOCX_MAX_TABLE_DEPTH`] (git runs textconv on any .docx in a repository).
pub fn textconv(bytes: &[u8], path: &Path) -> Result<String> {
    limits::check_zip(bytes, path, limits::DOCX_MAX_DECOMPRESSED)?;
    limits::check_table_depth(bytes, path, limits::DOCX_MAX_TABLE_DEPTH)?;
    let docx = docx_rs::read_docx(bytes).map_err(|e| {
        Error::input(format!(
            "failed to read {} as a Word document ({e})",
            path.display()
        ))
        .hint("textconv reads .docx files (Office Open XML), not .doc or .odt")
    })?;
    let mut lines = Vec::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => push_paragraph(&mut lines, &p.children),
            DocumentChild::Table(t) => push_table(&mut lines, t),
            _ => {}
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

fn push_table(lines: &mut Vec<String>, table: &docx_rs::Table) {
    for TableChild::TableRow(row) in &table.rows {
        for TableRowChild::TableCell(cell) in &row.cells {
            for content in &cell.children {
                match content {
                    TableCellContent::Paragraph(p) => push_paragraph(lines, &p.children),
                    TableCellContent::Table(t) => push_table(lines, t),
                    _ => {}
                }
            }
        }
    }
}

fn push_paragraph(lines: &mut Vec<String>, children: &[ParagraphChild]) {
    let mut text = String::new();
    collect(&mut text, children);
    if !text.trim().is_empty() {
        lines.push(text);
    }
}

fn collect(text: &mut String, children: &[ParagraphChild]) {
    for child in children {
        match child {
            ParagraphChild::Run(run) => {
                for rc in &run.children {
                    match rc {
                        RunChild::Text(t) => text.push_str(&t.text),
                        RunChild::Tab(_) | RunChild::PTab(_) => text.push('\t'),
                        RunChild::Break(_) | RunChild::CarriageReturn(_) => text.push(' '),
                        _ => {}
                    }
                }
            }
            ParagraphChild::Hyperlink(h) => collect(text, &h.children),
            ParagraphChild::Insert(ins) => {
                for c in &ins.children {
                    if let docx_rs::InsertChild::Run(run) = c {
                        collect(text, &[ParagraphChild::Run(run.clone())]);
                    }
                }
            }
            _ => {}
        }
    }
}
