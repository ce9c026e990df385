//! `congvan textconv FILE.docx`: the text of a .docx, one paragraph per line, table cells in
//! order, so `git diff` can compare drafts through a diff driver.
//!
//! It reads `word/document.xml` itself with an XML parser, so every entity is unescaped exactly
//! once: a document showing `Ban A&amp;B` prints `Ban A&amp;B`, never `Ban A&B`.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

use crate::diag::{Error, Result};
use crate::input::limits;

/// The text of the .docx `bytes` (from `path`), one non-empty paragraph per line (a line break
/// inside a paragraph prints as a space, a tab as a tab; deleted text is not printed).
/// Refuses a file over [`limits::DOCX_MAX_DECOMPRESSED`] unpacked (git runs textconv on any
/// .docx in a repository); the streaming parser reads tables nested at any depth.
pub fn textconv(bytes: &[u8], path: &Path) -> Result<String> {
    limits::check_zip(
        bytes,
        path,
        limits::DOCX_MAX_DECOMPRESSED,
        "a letter is well under 1 MiB; is this file really a letter?",
    )?;
    let not_docx = |why: String| {
        Error::input(format!(
            "failed to read {} as a Word document ({why})",
            path.display()
        ))
        .hint("textconv reads .docx files (Office Open XML), not .doc or .odt")
    };
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| not_docx(e.to_string()))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| not_docx(format!("word/document.xml: {e}")))?
        .read_to_string(&mut xml)
        .map_err(|e| not_docx(format!("word/document.xml: {e}")))?;
    let lines = paragraphs(&xml).map_err(not_docx)?;
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// The non-empty paragraphs of a WordprocessingML body, in document order.
fn paragraphs(xml: &str) -> std::result::Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut lines = Vec::new();
    let mut text = String::new();
    // Inside <w:t>: its text is the document's text.
    let mut in_text = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("word/document.xml at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    if !text.trim().is_empty() {
                        lines.push(std::mem::take(&mut text));
                    }
                    text.clear();
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" | b"ptab" => text.push('\t'),
                b"br" | b"cr" => text.push(' '),
                _ => {}
            },
            Event::Text(t) if in_text => {
                text.push_str(&t.decode().map_err(|e| e.to_string())?);
            }
            Event::CData(t) if in_text => {
                text.push_str(&t.decode().map_err(|e| e.to_string())?);
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    text.push(c);
                } else {
                    let name = r.decode().map_err(|e| e.to_string())?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => text.push_str(s),
                        None => return Err(format!("unknown entity &{name};")),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    #[test]
    fn trust_textconv_unescapes_exactly_once() {
        let xml = r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t xml:space="preserve">Ban A&amp;amp;B &amp;copy; &#65;&lt;</w:t></w:r><w:r><w:br/><w:t>x</w:t></w:r></w:p><w:p/><w:tbl><w:tr><w:tc><w:p><w:r><w:t>ô</w:t><w:tab/><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;
        assert_eq!(
            super::paragraphs(xml),
            Ok(vec![
                "Ban A&amp;B &copy; A< x".to_string(),
                "ô\t2".to_string()
            ])
        );
    }
}
