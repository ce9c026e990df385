//! Schema order for the WordprocessingML parts that docx-rs writes (`word/document.xml`,
//! headers, footers).
//!
//! docx-rs 0.4.22 serialises property elements in the order of its own struct fields, not the
//! schema's: `w:sz` before `w:rFonts`, `w:b` and `w:i` in `w:rPr`; the paragraph-mark `w:rPr`
//! first in `w:pPr`; `w:tblLayout` after `w:tblCellMar`; `w:headerReference` after `w:pgSz`
//! in `w:sectPr`. It also puts a `w:type` attribute on `w:gridCol` (not declared there) and
//! writes empty `<w:rPr />` and `<w:pPr><w:rPr /></w:pPr>`. None of this can be configured
//! through its builder, so this pass fixes the bytes after it: the part is parsed with
//! quick-xml (the XML crate docx-rs itself depends on, so nothing new is compiled) into a
//! small tree, the children of the property containers below are sorted (stably) into the
//! sequence of ECMA-376 Part 1 (transitional schema, §17.3 and §17.4), empty run, paragraph,
//! row and cell property containers are dropped, and every other event is written back
//! unchanged. No string matching on the XML text.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

/// `CT_RPr` / `CT_ParaRPr`: `EG_RPrBase` in schema order, with the revision marks of a
/// paragraph mark first and `w:rPrChange` last.
const RPR: &[&str] = &[
    "w:ins",
    "w:del",
    "w:moveFrom",
    "w:moveTo",
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
    "w:rPrChange",
];

/// `CT_PPr`: `CT_PPrBase`, then the paragraph mark's `w:rPr`, `w:sectPr`, `w:pPrChange`.
const PPR: &[&str] = &[
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
];

/// `CT_TblPr`.
const TBLPR: &[&str] = &[
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
];

/// `CT_TcPr`.
const TCPR: &[&str] = &[
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
];

/// `CT_TblBorders`, `CT_TcBorders`, `CT_PBdr`, `CT_TblCellMar`, `CT_TcMar`: one list serves
/// them all (each uses a subsequence of it). Names joined by `|` share a place.
const SIDES: &[&str] = &[
    "w:top",
    "w:left|w:start",
    "w:bottom",
    "w:right|w:end",
    "w:between",
    "w:bar",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

/// `CT_SectPr`: header and footer references come first, in any order among themselves.
const SECTPR: &[&str] = &[
    "w:headerReference|w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
];

/// Property containers whose children are a sequence in the schema, and that sequence.
/// (`w:trPr` is a choice in any order, so it is left as written.)
fn sequence(parent: &[u8]) -> Option<&'static [&'static str]> {
    Some(match parent {
        b"w:rPr" => RPR,
        b"w:pPr" => PPR,
        b"w:tblPr" => TBLPR,
        b"w:tcPr" => TCPR,
        b"w:tblBorders" | b"w:tcBorders" | b"w:pBdr" | b"w:tblCellMar" | b"w:tcMar" => SIDES,
        b"w:sectPr" => SECTPR,
        _ => return None,
    })
}

/// Containers that say nothing when empty and are dropped then.
const DROP_WHEN_EMPTY: &[&[u8]] = &[b"w:rPr", b"w:pPr", b"w:trPr", b"w:tcPr"];

/// Attributes that docx-rs writes but the schema does not declare on that element.
const UNDECLARED: &[(&[u8], &[u8])] = &[(b"w:gridCol", b"w:type")];

/// One parsed node: an element with its children, or any other event (text, declaration…).
enum Node<'a> {
    Element {
        start: BytesStart<'a>,
        children: Vec<Node<'a>>,
        /// Written as `<x/>` (when it has no children).
        empty: bool,
    },
    Other(Event<'a>),
}

/// Put `xml` (one WordprocessingML part) into schema order; see the module doc.
pub(super) fn canonical(xml: &[u8]) -> Result<Vec<u8>, String> {
    canonical_described(xml, &[])
}

/// [`canonical`], with the n-th picture of the part described by `alts[n]` (its alt text,
/// `wp:docPr/@descr`).
pub(super) fn canonical_described(xml: &[u8], alts: &[String]) -> Result<Vec<u8>, String> {
    let mut nodes = parse(xml)?;
    tidy(&mut nodes, b"")?;
    number_drawings(&mut nodes, &mut 0, alts)?;
    let mut writer = Writer::new(Vec::with_capacity(xml.len()));
    write(&mut writer, &nodes).map_err(|e| e.to_string())?;
    Ok(writer.into_inner())
}

fn parse(xml: &[u8]) -> Result<Vec<Node<'_>>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut open: Vec<(BytesStart<'_>, Vec<Node<'_>>)> = Vec::new();
    let mut top: Vec<Node<'_>> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        let node = match event {
            Event::Eof => break,
            Event::Start(start) => {
                open.push((start, Vec::new()));
                continue;
            }
            Event::End(_) => {
                let (start, children) = open.pop().ok_or("an end tag without a start")?;
                Node::Element {
                    start,
                    children,
                    empty: false,
                }
            }
            Event::Empty(start) => Node::Element {
                start,
                children: Vec::new(),
                empty: true,
            },
            other => Node::Other(other),
        };
        match open.last_mut() {
            Some((_, children)) => children.push(node),
            None => top.push(node),
        }
    }
    if open.is_empty() {
        Ok(top)
    } else {
        Err("an element is not closed".into())
    }
}

/// Fix the children of `parent` (and their subtrees): undeclared attributes, empty
/// containers, order.
fn tidy(nodes: &mut Vec<Node<'_>>, parent: &[u8]) -> Result<(), String> {
    if parent == b"w:trPr" {
        mark_header_row(nodes)?;
    }
    for node in nodes.iter_mut() {
        if let Node::Element {
            start, children, ..
        } = node
        {
            drop_undeclared(start)?;
            tidy(children, start.name().as_ref())?;
        }
    }
    nodes.retain(|n| match n {
        Node::Element {
            start, children, ..
        } => !(children.is_empty() && DROP_WHEN_EMPTY.contains(&start.name().as_ref())),
        Node::Other(_) => true,
    });
    if let Some(order) = sequence(parent) {
        // Stable: elements of equal rank (and anything unknown, last) keep their order. Each
        // rank is computed once, and children already in order (most) are left as they are.
        if nodes.len() > 1 {
            let ranks: Vec<usize> = nodes.iter().map(|n| rank(order, n)).collect();
            if !ranks.is_sorted() {
                let mut ranked: Vec<(usize, Node<'_>)> =
                    ranks.into_iter().zip(nodes.drain(..)).collect();
                ranked.sort_by_key(|(r, _)| *r);
                nodes.extend(ranked.into_iter().map(|(_, n)| n));
            }
        }
    }
    Ok(())
}

/// docx-rs gives every picture `<wp:docPr id="1">` and no alt text; drawing ids must be unique
/// in a part (ECMA-376 Part 1 §20.4.2.5): number them 1, 2 … in document order, and describe
/// the n-th with `alts[n - 1]` when given.
fn number_drawings(
    nodes: &mut [Node<'_>],
    next: &mut usize,
    alts: &[String],
) -> Result<(), String> {
    for node in nodes.iter_mut() {
        let Node::Element {
            start, children, ..
        } = node
        else {
            continue;
        };
        if start.name().as_ref() == b"wp:docPr" {
            *next += 1;
            let mut kept: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
            for attribute in start.attributes() {
                let a = attribute.map_err(|e| e.to_string())?;
                let value = match a.key.as_ref() {
                    b"id" => next.to_string().into_bytes(),
                    b"descr" => continue,
                    _ => a.value.to_vec(),
                };
                kept.push((a.key.as_ref().to_vec(), value));
            }
            start.clear_attributes();
            for (key, value) in &kept {
                start.push_attribute((key.as_slice(), value.as_slice()));
            }
            if let Some(alt) = alts.get(*next - 1) {
                // Escaped by quick-xml.
                start.push_attribute(("descr", alt.as_str()));
            }
        }
        number_drawings(children, next, alts)?;
    }
    Ok(())
}

/// docx-rs cannot write `w:tblHeader` (a row that repeats on every page): the .docx writer
/// marks header rows with `<w:trHeight w:val="1" w:hRule="atLeast"/>` (its
/// `HEADER_ROW_MARK`), which becomes `<w:tblHeader/>` here.
fn mark_header_row(nodes: &mut [Node<'_>]) -> Result<(), String> {
    for node in nodes.iter_mut() {
        let Node::Element { start, .. } = node else {
            continue;
        };
        if start.name().as_ref() != b"w:trHeight" {
            continue;
        }
        let mut val = None;
        let mut rule = None;
        for attribute in start.attributes() {
            let a = attribute.map_err(|e| e.to_string())?;
            match a.key.as_ref() {
                b"w:val" => val = Some(a.value.to_vec()),
                b"w:hRule" => rule = Some(a.value.to_vec()),
                _ => {}
            }
        }
        if val.as_deref() == Some(b"1") && rule.as_deref() == Some(b"atLeast") {
            *node = Node::Element {
                start: BytesStart::new("w:tblHeader"),
                children: Vec::new(),
                empty: true,
            };
        }
    }
    Ok(())
}

fn rank(order: &[&str], node: &Node<'_>) -> usize {
    let Node::Element { start, .. } = node else {
        return order.len();
    };
    let name = start.name();
    order
        .iter()
        .position(|names| {
            // "a|b" names alternatives, and is longer than either.
            names.as_bytes() == name.as_ref()
                || (names.len() > name.as_ref().len()
                    && names.split('|').any(|n| n.as_bytes() == name.as_ref()))
        })
        .unwrap_or(order.len())
}

fn drop_undeclared(start: &mut BytesStart<'_>) -> Result<(), String> {
    let name = start.name();
    if !UNDECLARED
        .iter()
        .any(|(element, _)| *element == name.as_ref())
    {
        return Ok(());
    }
    let undeclared: Vec<&[u8]> = UNDECLARED
        .iter()
        .filter(|(element, _)| *element == name.as_ref())
        .map(|(_, attribute)| *attribute)
        .collect();
    if undeclared.is_empty() {
        return Ok(());
    }
    let mut kept: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for attribute in start.attributes() {
        let a = attribute.map_err(|e| e.to_string())?;
        if !undeclared.contains(&a.key.as_ref()) {
            kept.push((a.key.as_ref().to_vec(), a.value.to_vec()));
        }
    }
    start.clear_attributes();
    for (key, value) in &kept {
        start.push_attribute((key.as_slice(), value.as_slice()));
    }
    Ok(())
}

fn write(writer: &mut Writer<Vec<u8>>, nodes: &[Node<'_>]) -> std::io::Result<()> {
    for node in nodes {
        match node {
            Node::Element {
                start,
                children,
                empty,
            } => {
                if children.is_empty() && *empty {
                    writer.write_event(Event::Empty(start.borrow()))?;
                } else {
                    writer.write_event(Event::Start(start.borrow()))?;
                    write(writer, children)?;
                    writer.write_event(Event::End(start.to_end()))?;
                }
            }
            Node::Other(event) => writer.write_event(event.borrow())?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{canonical, canonical_described};

    fn fix(xml: &str) -> String {
        String::from_utf8(canonical(xml.as_bytes()).expect("parses")).expect("utf-8")
    }

    #[test]
    fn run_properties_come_in_schema_order() {
        assert_eq!(
            fix(
                r#"<w:r><w:rPr><w:sz w:val="26" /><w:szCs w:val="26" /><w:rFonts w:ascii="X" /><w:b /><w:i /></w:rPr><w:t>a &amp; b</w:t></w:r>"#
            ),
            r#"<w:r><w:rPr><w:rFonts w:ascii="X" /><w:b /><w:i /><w:sz w:val="26" /><w:szCs w:val="26" /></w:rPr><w:t>a &amp; b</w:t></w:r>"#
        );
    }

    #[test]
    fn paragraph_mark_properties_go_last_and_empty_ones_go() {
        assert_eq!(
            fix(
                r#"<w:p><w:pPr><w:rPr><w:sz w:val="2" /></w:rPr><w:jc w:val="center" /><w:spacing w:after="0" /><w:keepNext /></w:pPr></w:p>"#
            ),
            r#"<w:p><w:pPr><w:keepNext /><w:spacing w:after="0" /><w:jc w:val="center" /><w:rPr><w:sz w:val="2" /></w:rPr></w:pPr></w:p>"#
        );
        assert_eq!(
            fix(r#"<w:p a="1"><w:pPr><w:rPr /></w:pPr></w:p>"#),
            r#"<w:p a="1"></w:p>"#
        );
    }

    #[test]
    fn sections_tables_and_grid_columns() {
        assert_eq!(
            fix(
                r#"<w:sectPr><w:pgSz /><w:headerReference w:type="default" /><w:footerReference /><w:headerReference w:type="first" /><w:titlePg /></w:sectPr>"#
            ),
            r#"<w:sectPr><w:headerReference w:type="default" /><w:footerReference /><w:headerReference w:type="first" /><w:pgSz /><w:titlePg /></w:sectPr>"#
        );
        assert_eq!(
            fix(
                r#"<w:tblPr><w:tblCellMar><w:right /><w:top /></w:tblCellMar><w:tblLayout /><w:tblW /></w:tblPr><w:tblGrid><w:gridCol w:w="10" w:type="dxa" /></w:tblGrid>"#
            ),
            r#"<w:tblPr><w:tblW /><w:tblLayout /><w:tblCellMar><w:top /><w:right /></w:tblCellMar></w:tblPr><w:tblGrid><w:gridCol w:w="10"/></w:tblGrid>"#
        );
    }

    #[test]
    fn header_row_mark_becomes_tbl_header() {
        assert_eq!(
            fix(r#"<w:trPr><w:cantSplit /><w:trHeight w:val="1" w:hRule="atLeast" /></w:trPr>"#),
            r#"<w:trPr><w:cantSplit /><w:tblHeader/></w:trPr>"#
        );
        // Any other height stays a height.
        let other = r#"<w:trPr><w:trHeight w:val="400" w:hRule="atLeast" /></w:trPr>"#;
        assert_eq!(fix(other), other);
    }

    #[test]
    fn drawings_get_their_alt_text() {
        let two = r#"<w:p><wp:docPr id="1" name="Figure" /></w:p><w:p><wp:docPr id="1" name="Figure" /></w:p>"#;
        let alts = ["Biểu đồ A & B".to_string()];
        let out = canonical_described(two.as_bytes(), &alts).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<w:p><wp:docPr id="1" name="Figure" descr="Biểu đồ A &amp; B"/></w:p><w:p><wp:docPr id="2" name="Figure"/></w:p>"#
        );
    }

    #[test]
    fn drawings_are_numbered_in_order() {
        let two = r#"<w:p><wp:docPr id="1" name="Figure" /></w:p><w:p><wp:docPr id="1" name="Figure" /></w:p>"#;
        assert_eq!(
            fix(two),
            r#"<w:p><wp:docPr id="1" name="Figure"/></w:p><w:p><wp:docPr id="2" name="Figure"/></w:p>"#
        );
    }

    #[test]
    fn malformed_parts_are_errors() {
        assert!(canonical(b"<w:p><w:r></w:p>").is_err());
        assert!(canonical(b"<w:p>").is_err());
    }
}
