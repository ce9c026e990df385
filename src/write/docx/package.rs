//! The OPC package around the document body: which parts the .docx holds, their content
//! types and relationships, the package-level parts, and the zip itself.
//!
//! docx-rs 0.4.22 writes the body (`word/document.xml`) and the headers well enough, but its
//! package is not valid Office Open XML and cannot be configured into one: it always adds
//! `comments.xml`, `commentsExtended.xml`, `numbering.xml`, `footnotes.xml` and an empty
//! `custom.xml` (the first three unreferenced), no theme, East-Asian (Japanese Word) compat flags and a
//! 840-twip default tab in the settings, an empty `w:rPr` and out-of-order children in the
//! styles, and "unknown" as author. So [`finish`] keeps from docx-rs only the parts its
//! `word/_rels/document.xml.rels` points at with a type congvan uses (styles, settings, font
//! table, headers, footers, PNG pictures), replaces styles, settings and the package-level parts
//! (`[Content_Types].xml`, `_rels/.rels`, `docProps/core.xml`, `docProps/app.xml`) with its
//! own, adds `word/theme/theme1.xml`, puts the WordprocessingML parts into schema order
//! ([`super::order`]), and writes the archive once, with fixed entry timestamps.
//!
//! The parts congvan writes itself are built with quick-xml's writer (the XML crate docx-rs
//! already depends on), so every value is escaped; the theme is a fixed text.
//!
//! Language and compatibility: Vietnamese (`w:lang w:val="vi-VN"` in the default run
//! properties, `w:themeFontLang`, `dc:language`), `w:defaultTabStop` 720 (half an inch, as a
//! Vietnamese Word has it) and Word 2013+ compatibility mode without the East-Asian layout
//! flags (`useFELayout`, `balanceSingleByteDoubleByteWidth`, `spaceForUL`, `ulTrailSpace`,
//! `doNotLeaveBackslashAlone`). `doNotExpandShiftReturn` stays: a justified line ending in a
//! manual break is not stretched, as congvan's letters expect.

use std::io::{Cursor, Write};

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use quick_xml::XmlVersion;

use crate::diag::{Error, Result};

/// What the package says about the letter.
#[derive(Debug, Clone)]
pub(super) struct Properties {
    /// `dc:creator`: the issuing body.
    pub creator: String,
    /// `dc:title`: the trích yếu.
    pub title: String,
    /// `dcterms:created` and `dcterms:modified`, W3CDTF.
    pub stamp: String,
    /// Font of every slot of the default run properties.
    pub font: &'static str,
    /// Default type size, in half-points.
    pub size: usize,
    /// Alt text of each picture of the body, in document order.
    pub pictures: Vec<String>,
}

/// Language of the text, the theme fonts and the core properties.
const LANGUAGE: &str = "vi-VN";
/// `Application` in `docProps/app.xml`.
const APPLICATION: &str = "congvan";
/// `w:defaultTabStop`, twips.
const DEFAULT_TAB_STOP: usize = 720;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const NS_TYPES: &str = "http://schemas.openxmlformats.org/package/2006/content-types";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
const REL_CORE: &str =
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties";
const WORD_CT: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
const MAIN: &str = "word/document.xml";
const MAIN_RELS: &str = "word/_rels/document.xml.rels";
const THEME: &str = "word/theme/theme1.xml";
const THEME_ID: &str = "rIdTheme1";

/// Relationship types (after [`REL`]) of the document's parts that congvan keeps, with the
/// content type of their targets.
const KEPT: &[(&str, &str)] = &[
    ("styles", "styles+xml"),
    ("settings", "settings+xml"),
    ("fontTable", "fontTable+xml"),
    ("header", "header+xml"),
    ("footer", "footer+xml"),
];

/// One relationship of `word/_rels/document.xml.rels`.
struct Relationship {
    id: String,
    kind: String,
    target: String,
    /// `TargetMode="External"`: a hyperlink's address, not a part of the package.
    external: bool,
}

/// The parts docx-rs built, named as its own archive names them (`word/document.xml`,
/// `word/header1.xml`, `word/_rels/header1.xml.rels` …), without packing them into a zip
/// first: [`finish`] keeps only some of them and writes the one archive itself. Parts congvan
/// never keeps (comments, numbering, footnotes, custom properties…) are left out; pictures
/// (`word/media/<id>.png`) are kept when the body points at them.
pub(super) fn parts(xml: docx_rs::XMLDocx) -> Vec<(String, Vec<u8>)> {
    let mut parts = vec![
        (MAIN_RELS.to_owned(), xml.document_rels),
        (MAIN.to_owned(), xml.document),
        ("word/styles.xml".to_owned(), xml.styles),
        ("word/settings.xml".to_owned(), xml.settings),
        ("word/fontTable.xml".to_owned(), xml.font_table),
    ];
    let mut header_rels = xml.header_rels.into_iter();
    for (i, h) in xml.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = header_rels.next() {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels));
        }
    }
    // Pictures (the phụ lục's charts), under the names document.xml.rels gives them.
    for (id, png) in xml.media {
        parts.push((format!("word/media/{id}.png"), png));
    }
    let mut footer_rels = xml.footer_rels.into_iter();
    for (i, f) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = footer_rels.next() {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels));
        }
    }
    parts
}

/// Turn docx-rs's parts ([`parts`]) into the finished package; see the module doc.
pub(super) fn finish(parts: &[(String, Vec<u8>)], props: &Properties) -> Result<Vec<u8>> {
    let get = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, data)| data.as_slice())
            .ok_or_else(|| fail(format!("docx-rs wrote no {name}")))
    };

    let mut relationships = Vec::new();
    // (part name, content type, bytes) in archive order.
    let mut word: Vec<(String, String, Vec<u8>)> = vec![(
        MAIN.to_owned(),
        format!("{WORD_CT}document.main+xml"),
        super::order::canonical_described(get(MAIN)?, &props.pictures)
            .map_err(|e| fail(format!("{MAIN}: {e}")))?,
    )];
    for rel in read_relationships(get(MAIN_RELS)?)? {
        // The body's hyperlinks: an address outside the package, no part to keep.
        if rel.external && rel.kind == format!("{REL}hyperlink") {
            relationships.push(rel);
            continue;
        }
        // A picture: its PNG part, typed image/png.
        if !rel.external && rel.kind == format!("{REL}image") {
            let name = format!("word/{}", rel.target);
            if name.contains("..") || name.contains("//") || !name.ends_with(".png") {
                return Err(fail(format!("unexpected image target {}", rel.target)));
            }
            let data = get(&name)?.to_vec();
            if !word.iter().any(|(n, _, _)| *n == name) {
                word.push((name, "image/png".to_owned(), data));
            }
            relationships.push(rel);
            continue;
        }
        let Some((_, content)) = KEPT.iter().find(|(k, _)| rel.kind == format!("{REL}{k}")) else {
            continue; // comments, numbering, footnotes…: nothing of congvan's is in them
        };
        let name = format!("word/{}", rel.target);
        if name.contains("..") || name.contains("//") {
            return Err(fail(format!(
                "unexpected relationship target {}",
                rel.target
            )));
        }
        let data = match rel.kind.trim_start_matches(REL) {
            "styles" => styles(props)?,
            "settings" => settings()?,
            _ => order(&name, get(&name)?)?,
        };
        // A header or footer that points at anything (an image…) would need that part too.
        let rels_name = format!("word/_rels/{}.rels", rel.target);
        if let Some((_, own)) = parts.iter().find(|(n, _)| *n == rels_name) {
            if !read_relationships(own)?.is_empty() {
                return Err(fail(format!(
                    "{rels_name} has relationships congvan does not keep"
                )));
            }
        }
        word.push((name, format!("{WORD_CT}{content}"), data));
        relationships.push(rel);
    }
    word.push((
        THEME.to_owned(),
        "application/vnd.openxmlformats-officedocument.theme+xml".to_owned(),
        THEME_XML.as_bytes().to_vec(),
    ));
    relationships.push(Relationship {
        id: THEME_ID.to_owned(),
        kind: format!("{REL}theme"),
        target: "theme/theme1.xml".to_owned(),
        external: false,
    });

    let core = (
        "docProps/core.xml".to_owned(),
        "application/vnd.openxmlformats-package.core-properties+xml".to_owned(),
        core(props)?,
    );
    let app = (
        "docProps/app.xml".to_owned(),
        "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_owned(),
        app()?,
    );
    let package_rels = rels(&[
        ("rId1", &format!("{REL}officeDocument"), MAIN, false),
        ("rId2", REL_CORE, "docProps/core.xml", false),
        (
            "rId3",
            &format!("{REL}extended-properties"),
            "docProps/app.xml",
            false,
        ),
    ])?;
    let main_rels = rels(
        &relationships
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.kind.as_str(),
                    r.target.as_str(),
                    r.external,
                )
            })
            .collect::<Vec<_>>(),
    )?;

    let mut typed = vec![core, app];
    typed.extend(word);
    let mut out: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".to_owned(), content_types(&typed)?),
        ("_rels/.rels".to_owned(), package_rels),
    ];
    for (name, _, data) in typed {
        out.push((name, data));
        if out.last().is_some_and(|(n, _)| n == MAIN) {
            out.push((MAIN_RELS.to_owned(), main_rels.clone()));
        }
    }
    write_zip(&out)
}

fn fail(message: String) -> Error {
    Error::output(format!("failed to build the .docx package ({message})"))
}

fn order(name: &str, xml: &[u8]) -> Result<Vec<u8>> {
    super::order::canonical(xml).map_err(|e| fail(format!("{name}: {e}")))
}

/// Parts smaller than this are stored rather than deflated.
const DEFLATE_FROM_BYTES: usize = 4096;

/// The archive: entries in the given order, large ones deflated, with a fixed timestamp
/// (1980-01-01, the zip epoch) and mode, so equal input gives equal bytes whatever features
/// of the `zip` crate are enabled elsewhere. No directory entries (OPC does not need them).
fn write_zip(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let zip_fail = |e: zip::result::ZipError| fail(e.to_string());
    let size = parts.iter().map(|(_, d)| d.len()).sum::<usize>();
    let mut output = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(size / 2)));
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let deflated = stored.compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        // Each deflated entry costs a fresh compressor (hundreds of KiB to set up): only the
        // parts large enough to gain from it are deflated, the small ones are stored.
        // A PNG is deflated already.
        let options = if data.len() >= DEFLATE_FROM_BYTES && !name.ends_with(".png") {
            deflated
        } else {
            stored
        };
        output
            .start_file(name.as_str(), options)
            .map_err(zip_fail)?;
        output.write_all(data).map_err(|e| fail(e.to_string()))?;
    }
    Ok(output.finish().map_err(zip_fail)?.into_inner())
}

/// The relationships of a `.rels` part, in order.
fn read_relationships(xml: &[u8]) -> Result<Vec<Relationship>> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| fail(e.to_string()))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let value = |key: &str| -> Result<String> {
                    let a = e
                        .try_get_attribute(key)
                        .map_err(|e| fail(e.to_string()))?
                        .ok_or_else(|| fail(format!("a relationship without {key}")))?;
                    Ok(
                        a.decoded_and_normalized_value(XmlVersion::Implicit1_0, reader.decoder())
                            .map_err(|e| fail(e.to_string()))?
                            .into_owned(),
                    )
                };
                let external = e
                    .try_get_attribute("TargetMode")
                    .map_err(|e| fail(e.to_string()))?
                    .is_some_and(|a| a.value.as_ref() == b"External");
                out.push(Relationship {
                    id: value("Id")?,
                    kind: value("Type")?,
                    target: value("Target")?,
                    external,
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

type Xml = Writer<Vec<u8>>;

/// An XML part: the declaration, then what `body` writes.
fn part(body: impl FnOnce(&mut Xml) -> std::io::Result<()>) -> Result<Vec<u8>> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))
    .and_then(|_| body(&mut w))
    .map_err(|e| fail(e.to_string()))?;
    Ok(w.into_inner())
}

/// `<name attr…/>`.
fn empty(w: &mut Xml, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
    w.create_element(name)
        .with_attributes(attributes.iter().copied())
        .write_empty()?;
    Ok(())
}

/// `<name attr…>text</name>`.
fn text(w: &mut Xml, name: &str, attributes: &[(&str, &str)], value: &str) -> std::io::Result<()> {
    w.create_element(name)
        .with_attributes(attributes.iter().copied())
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn content_types(parts: &[(String, String, Vec<u8>)]) -> Result<Vec<u8>> {
    part(|w| {
        w.create_element("Types")
            .with_attribute(("xmlns", NS_TYPES))
            .write_inner_content(|w| {
                empty(
                    w,
                    "Default",
                    &[
                        ("Extension", "rels"),
                        (
                            "ContentType",
                            "application/vnd.openxmlformats-package.relationships+xml",
                        ),
                    ],
                )?;
                empty(
                    w,
                    "Default",
                    &[("Extension", "xml"), ("ContentType", "application/xml")],
                )?;
                for (name, content, _) in parts {
                    empty(
                        w,
                        "Override",
                        &[("PartName", &format!("/{name}")), ("ContentType", content)],
                    )?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

/// A `.rels` part: (id, type, target, external) each.
fn rels(list: &[(&str, &str, &str, bool)]) -> Result<Vec<u8>> {
    part(|w| {
        w.create_element("Relationships")
            .with_attribute(("xmlns", NS_RELS))
            .write_inner_content(|w| {
                for (id, kind, target, external) in list {
                    let mut attributes = vec![("Id", *id), ("Type", *kind), ("Target", *target)];
                    if *external {
                        attributes.push(("TargetMode", "External"));
                    }
                    empty(w, "Relationship", &attributes)?;
                }
                Ok(())
            })?;
        Ok(())
    })
}

fn core(p: &Properties) -> Result<Vec<u8>> {
    part(|w| {
        w.create_element("cp:coreProperties")
            .with_attributes([
                (
                    "xmlns:cp",
                    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
                ),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:dcterms", "http://purl.org/dc/terms/"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ])
            .write_inner_content(|w| {
                if !p.title.is_empty() {
                    text(w, "dc:title", &[], &p.title)?;
                }
                if !p.creator.is_empty() {
                    text(w, "dc:creator", &[], &p.creator)?;
                }
                text(w, "dc:language", &[], LANGUAGE)?;
                text(w, "cp:revision", &[], "1")?;
                let w3c = [("xsi:type", "dcterms:W3CDTF")];
                text(w, "dcterms:created", &w3c, &p.stamp)?;
                text(w, "dcterms:modified", &w3c, &p.stamp)?;
                Ok(())
            })?;
        Ok(())
    })
}

fn app() -> Result<Vec<u8>> {
    part(|w| {
        w.create_element("Properties")
            .with_attribute((
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            ))
            .write_inner_content(|w| text(w, "Application", &[], APPLICATION))?;
        Ok(())
    })
}

/// Default run properties (font in every slot, size, Vietnamese), default paragraph
/// properties and the Normal style.
///
/// Widow and orphan control is on for every paragraph, as in Word's own defaults. docx-rs
/// wrote an empty `w:pPrDefault`, on which LibreOffice turns it on; an element that says so
/// keeps that (and the page breaks of every letter) without an empty element.
fn styles(p: &Properties) -> Result<Vec<u8>> {
    let size = p.size.to_string();
    part(|w| {
        w.create_element("w:styles")
            .with_attribute(("xmlns:w", NS_W))
            .write_inner_content(|w| {
                w.create_element("w:docDefaults").write_inner_content(|w| {
                    w.create_element("w:rPrDefault").write_inner_content(|w| {
                        w.create_element("w:rPr").write_inner_content(|w| {
                            empty(
                                w,
                                "w:rFonts",
                                &[
                                    ("w:ascii", p.font),
                                    ("w:hAnsi", p.font),
                                    ("w:eastAsia", p.font),
                                    ("w:cs", p.font),
                                ],
                            )?;
                            empty(w, "w:sz", &[("w:val", &size)])?;
                            empty(w, "w:szCs", &[("w:val", &size)])?;
                            empty(w, "w:lang", &[("w:val", LANGUAGE)])
                        })?;
                        Ok(())
                    })?;
                    w.create_element("w:pPrDefault").write_inner_content(|w| {
                        w.create_element("w:pPr")
                            .write_inner_content(|w| empty(w, "w:widowControl", &[]))?;
                        Ok(())
                    })?;
                    Ok(())
                })?;
                w.create_element("w:style")
                    .with_attributes([
                        ("w:type", "paragraph"),
                        ("w:default", "1"),
                        ("w:styleId", "Normal"),
                    ])
                    .write_inner_content(|w| {
                        empty(w, "w:name", &[("w:val", "Normal")])?;
                        empty(w, "w:qFormat", &[])
                    })?;
                Ok(())
            })?;
        Ok(())
    })
}

/// Settings in `CT_Settings` order.
fn settings() -> Result<Vec<u8>> {
    const WORD: &str = "http://schemas.microsoft.com/office/word";
    let tab = DEFAULT_TAB_STOP.to_string();
    part(|w| {
        w.create_element("w:settings")
            .with_attribute(("xmlns:w", NS_W))
            .write_inner_content(|w| {
                empty(w, "w:zoom", &[("w:percent", "100")])?;
                empty(w, "w:defaultTabStop", &[("w:val", &tab)])?;
                empty(
                    w,
                    "w:characterSpacingControl",
                    &[("w:val", "doNotCompress")],
                )?;
                w.create_element("w:compat").write_inner_content(|w| {
                    empty(w, "w:doNotExpandShiftReturn", &[])?;
                    for (name, val) in [
                        ("compatibilityMode", "15"),
                        ("overrideTableStyleFontSizeAndJustification", "1"),
                        ("enableOpenTypeFeatures", "1"),
                        ("doNotFlipMirrorIndents", "1"),
                        ("differentiateMultirowTableHeaders", "1"),
                    ] {
                        empty(
                            w,
                            "w:compatSetting",
                            &[("w:name", name), ("w:uri", WORD), ("w:val", val)],
                        )?;
                    }
                    Ok(())
                })?;
                empty(w, "w:themeFontLang", &[("w:val", LANGUAGE)])?;
                empty(w, "w:decimalSymbol", &[("w:val", ",")])?;
                empty(w, "w:listSeparator", &[("w:val", ";")])
            })?;
        Ok(())
    })
}

/// A minimal Office theme: the standard colours, Times New Roman as both theme fonts (the
/// decree's one font), plain fills, lines and no effects.
const THEME_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="congvan">"#,
    r#"<a:themeElements><a:clrScheme name="Office">"#,
    r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>"#,
    r#"<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>"#,
    r#"<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>"#,
    r#"<a:accent1><a:srgbClr val="4472C4"/></a:accent1><a:accent2><a:srgbClr val="ED7D31"/></a:accent2>"#,
    r#"<a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>"#,
    r#"<a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6>"#,
    r#"<a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink>"#,
    r#"</a:clrScheme><a:fontScheme name="congvan">"#,
    r#"<a:majorFont><a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>"#,
    r#"<a:minorFont><a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>"#,
    r#"</a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"</a:fillStyleLst><a:lnStyleLst>"#,
    r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"<a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"<a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#,
    r#"</a:lnStyleLst><a:effectStyleLst>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"<a:effectStyle><a:effectLst/></a:effectStyle>"#,
    r#"</a:effectStyleLst><a:bgFillStyleLst>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#,
    r#"</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#,
);

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use docx_rs::{Docx, Footer, Header, Paragraph, Run};

    /// [`super::parts`] names and fills every part exactly as docx-rs's own archive would.
    #[test]
    fn parts_are_what_docx_rs_would_have_zipped() {
        let p = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
        let docx = Docx::new()
            .add_paragraph(p("thân"))
            .header(Header::new().add_paragraph(p("đầu trang")))
            .first_header(Header::new().add_paragraph(p("trang đầu")))
            .footer(Footer::new().add_paragraph(p("chân trang")));
        let mut packed = Cursor::new(Vec::new());
        docx.clone().build().pack(&mut packed).unwrap();
        let mut zip = zip::ZipArchive::new(packed).unwrap();
        let parts = super::parts(docx.build());
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/header1.xml",
            "word/header2.xml",
            "word/footer1.xml",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        for (name, data) in &parts {
            let mut entry = zip
                .by_name(name)
                .unwrap_or_else(|_| panic!("{name} not zipped"));
            let mut zipped = Vec::new();
            entry.read_to_end(&mut zipped).unwrap();
            assert_eq!(&zipped, data, "{name}");
        }
    }
}
