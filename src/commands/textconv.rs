//! `congvan textconv FILE.docx`: the text of a .docx, one paragraph per line, table cells in
//! order, a picture as its alt text and a hash of its bytes, so `git diff` can compare drafts
//! (a chart that changes shows) through a diff driver.
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
    // Pictures: relationship id → the SHA-256 (first 12 hex digits) of the part it targets.
    let mut rels = String::new();
    if let Ok(mut part) = zip.by_name("word/_rels/document.xml.rels") {
        part.read_to_string(&mut rels)
            .map_err(|e| not_docx(format!("word/_rels/document.xml.rels: {e}")))?;
    }
    let targets = relationship_targets(&rels);
    let mut hash_of = |id: &str| -> String {
        let Some(target) = targets.iter().find(|(i, _)| i == id).map(|(_, t)| t) else {
            return "?".to_string();
        };
        let mut bytes = Vec::new();
        let read = zip
            .by_name(&format!("word/{}", target.trim_start_matches('/')))
            .map(|mut part| part.read_to_end(&mut bytes));
        match read {
            Ok(Ok(_)) => {
                use sha2::Digest;
                sha2::Sha256::digest(&bytes)
                    .iter()
                    .take(6)
                    .map(|b| format!("{b:02x}"))
                    .collect()
            }
            _ => "?".to_string(),
        }
    };
    let lines = paragraphs(&xml, &mut hash_of).map_err(not_docx)?;
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// The value of attribute `name` (its local name) of element `e`, unescaped.
fn attribute(
    e: &quick_xml::events::BytesStart<'_>,
    name: &[u8],
    decoder: quick_xml::encoding::Decoder,
) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, decoder)
                .ok()
        })
        .map(|v| v.into_owned())
}

/// (Id, Target) of every relationship of a `.rels` part.
fn relationship_targets(rels: &str) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(rels);
    let decoder = reader.decoder();
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Empty(e) | Event::Start(e) if e.local_name().as_ref() == b"Relationship" => {
                let attr = |name: &[u8]| attribute(&e, name, decoder);
                if let (Some(id), Some(target)) = (attr(b"Id"), attr(b"Target")) {
                    out.push((id, target));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The non-empty paragraphs of a WordprocessingML body, in document order; a picture prints
/// as `[hình: <alt text> <hash_of(its relationship id)>]`.
fn paragraphs(
    xml: &str,
    hash_of: &mut dyn FnMut(&str) -> String,
) -> std::result::Result<Vec<String>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let decoder = reader.decoder();
    // The alt text of the picture being read (wp:docPr descr), until its a:blip.
    let mut alt: Option<String> = None;
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
            Event::Empty(e) | Event::Start(e)
                if matches!(e.local_name().as_ref(), b"docPr" | b"blip") =>
            {
                let attr = |name: &[u8]| attribute(&e, name, decoder);
                if e.local_name().as_ref() == b"docPr" {
                    alt = Some(attr(b"descr").unwrap_or_default());
                } else if let Some(id) = attr(b"embed") {
                    let descr = alt.take().unwrap_or_default();
                    text.push_str(&format!("[hình: {descr} {}]", hash_of(&id)));
                }
            }
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
            super::paragraphs(xml, &mut |_| String::new()),
            Ok(vec![
                "Ban A&amp;B &copy; A< x".to_string(),
                "ô\t2".to_string()
            ])
        );
    }

    #[test]
    fn a_picture_prints_its_alt_text_and_the_hash_of_its_part() {
        let xml = r#"<w:document xmlns:w="w" xmlns:wp="wp" xmlns:a="a" xmlns:r="r"><w:body><w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Figure" descr="Biểu đồ A &amp; B (1/2)"/><a:graphic><a:blip r:embed="rId7"/></a:graphic></wp:inline></w:drawing></w:r></w:p></w:body></w:document>"#;
        let mut asked = Vec::new();
        let lines = super::paragraphs(xml, &mut |id| {
            asked.push(id.to_string());
            "0123456789ab".to_string()
        });
        assert_eq!(
            lines,
            Ok(vec!["[hình: Biểu đồ A & B (1/2) 0123456789ab]".to_string()])
        );
        assert_eq!(asked, ["rId7"]);
        let rels = r#"<Relationships><Relationship Id="rId7" Type="image" Target="media/x.png"/></Relationships>"#;
        assert_eq!(
            super::relationship_targets(rels),
            [("rId7".to_string(), "media/x.png".to_string())]
        );
    }
}
