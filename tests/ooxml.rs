//! Valid Office Open XML: every shipped sample (and a batch) is drafted by the binary, every
//! XML part is parsed with a real XML parser (quick-xml), and the children of the property
//! elements are checked against the order of the ECMA-376 schema (transitional). Also: no
//! empty property elements, no orphan or missing parts, Vietnamese language, the settings
//! of a Vietnamese Word, and the core properties (issuing body, trích yếu, vi-VN).
//!
//! The schema sequences below are written out here from the standard, independently of the
//! writer's own tables, so a mistake in one is caught by the other. CI also runs the
//! `openxml-audit` validator over the same files (`.ci/run`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::sync::OnceLock;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::harness::congvan;

/// A parsed XML element: qualified name, attributes, child elements, text content.
#[derive(Debug, Clone)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// This element and every descendant, depth first.
    fn walk(&self) -> Vec<&Element> {
        let mut out = vec![self];
        for c in &self.children {
            out.extend(c.walk());
        }
        out
    }

    fn names(&self) -> Vec<&str> {
        self.children.iter().map(|c| c.name.as_str()).collect()
    }
}

fn element(start: &BytesStart<'_>, reader: &Reader<&[u8]>) -> Element {
    let mut attrs = BTreeMap::new();
    for a in start.attributes() {
        let a = a.unwrap_or_else(|e| panic!("bad attribute: {e}"));
        let value = a
            .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, reader.decoder())
            .unwrap_or_else(|e| panic!("bad attribute value: {e}"));
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        assert!(
            attrs.insert(key.clone(), value.into_owned()).is_none(),
            "duplicate attribute {key}"
        );
    }
    Element {
        name: String::from_utf8_lossy(start.name().as_ref()).into_owned(),
        attrs,
        children: Vec::new(),
        text: String::new(),
    }
}

/// Parse a whole part; panics (with the part's name) unless it is well-formed XML with one
/// root element.
fn parse(name: &str, xml: &[u8]) -> Element {
    let mut reader = Reader::from_reader(xml);
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{name}: not well-formed XML: {e}"));
        let done = match event {
            Event::Eof => break,
            Event::Start(s) => {
                open.push(element(&s, &reader));
                None
            }
            Event::Empty(s) => Some(element(&s, &reader)),
            Event::End(_) => open.pop(),
            Event::Text(t) => {
                let text = t.decode().unwrap_or_else(|e| panic!("{name}: {e}"));
                if let Some(top) = open.last_mut() {
                    top.text.push_str(&text);
                }
                None
            }
            Event::GeneralRef(r) => {
                let entity = r.decode().unwrap_or_else(|e| panic!("{name}: {e}"));
                let c = match entity.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("{name}: unexpected entity &{other};"),
                };
                if let Some(top) = open.last_mut() {
                    top.text.push_str(c);
                }
                None
            }
            _ => None,
        };
        if let Some(el) = done {
            match open.last_mut() {
                Some(parent) => parent.children.push(el),
                None => {
                    assert!(root.is_none(), "{name}: two root elements");
                    root = Some(el);
                }
            }
        }
    }
    assert!(open.is_empty(), "{name}: unclosed elements");
    root.unwrap_or_else(|| panic!("{name}: no root element"))
}

/// A .docx: its entries by name.
struct Package {
    label: String,
    parts: BTreeMap<String, Vec<u8>>,
}

impl Package {
    fn read(label: &str, bytes: &[u8]) -> Self {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .unwrap_or_else(|e| panic!("{label}: not a zip: {e}"));
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap_or_else(|e| panic!("{label}: {e}"));
            let mut data = Vec::new();
            entry
                .read_to_end(&mut data)
                .unwrap_or_else(|e| panic!("{label}: {e}"));
            parts.insert(entry.name().to_owned(), data);
        }
        Package {
            label: label.to_owned(),
            parts,
        }
    }

    fn xml(&self, name: &str) -> Element {
        let data = self
            .parts
            .get(name)
            .unwrap_or_else(|| panic!("{}: no part {name}", self.label));
        parse(&format!("{} {name}", self.label), data)
    }

    /// Every XML part (`.xml` and `.rels`), parsed.
    fn xml_parts(&self) -> Vec<(String, Element)> {
        self.parts
            .keys()
            .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
            .map(|n| (n.clone(), self.xml(n)))
            .collect()
    }
}

/// The shipped samples drafted by the binary (as drafts, the thông báo also final, the
/// reminder as a batch), and the writer's two test documents, which add a body table and
/// a line break.
fn packages() -> &'static [Package] {
    static PACKAGES: OnceLock<Vec<Package>> = OnceLock::new();
    PACKAGES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let run = |args: &[&str]| {
            let out = congvan(d, args);
            assert!(
                out.status.success(),
                "congvan {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run(&["init", "s"]);
        for spec in [
            "cong-van-dvc",
            "cong-van-dvc-phu-luc",
            "cong-van-hung-yen",
            "thong-bao-ket-luan",
        ] {
            run(&["draft", &format!("s/templates/{spec}.toml"), "--out", "out"]);
        }
        run(&[
            "draft",
            "s/templates/thong-bao-ket-luan.toml",
            "--final",
            "--out",
            "final",
        ]);
        run(&[
            "draft",
            "s/templates/nhac-nho.toml",
            "--each",
            "unit",
            "--out",
            "batch",
        ]);
        let mut out = Vec::new();
        for folder in ["out", "final", "batch"] {
            let mut names: Vec<_> = std::fs::read_dir(d.join(folder))
                .unwrap_or_else(|e| panic!("{e}"))
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "docx"))
                .collect();
            names.sort();
            for path in names {
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
                let label = format!(
                    "{folder}/{}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                );
                out.push(Package::read(&label, &bytes));
            }
        }
        for (label, doc) in [
            ("writer cong_van", crate::docx::cong_van()),
            ("writer thong_bao", crate::docx::thong_bao()),
        ] {
            let bytes = congvan::write::docx::write(&doc).unwrap_or_else(|e| panic!("{e}"));
            out.push(Package::read(label, &bytes));
        }
        assert!(out.len() > 10, "the samples and a batch: {}", out.len());
        out
    })
}

fn sample(label: &str) -> &'static Package {
    packages()
        .iter()
        .find(|p| p.label == label)
        .unwrap_or_else(|| panic!("no sample {label}"))
}

/// `CT_RPr` and `CT_ParaRPr` (ECMA-376 Part 1, §17.3.2.28 and §17.3.1.29).
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

/// `CT_PPr` (§17.3.1.26).
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

/// `CT_TblPr` (§17.4.60).
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

/// `CT_TcPr` (§17.4.70).
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

/// `CT_TblBorders`, `CT_TcBorders`, `CT_PBdr`, `CT_TblCellMar`.
const SIDES: &[&str] = &[
    "w:top",
    "w:left",
    "w:bottom",
    "w:right",
    "w:between",
    "w:bar",
    "w:insideH",
    "w:insideV",
    "w:tl2br",
    "w:tr2bl",
];

/// `CT_SectPr` (§17.6.17); header and footer references share the first place.
const SECTPR: &[&str] = &[
    "w:headerReference",
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

/// `CT_Settings` (§17.15.1.78), the part of it up to `w:listSeparator`.
const SETTINGS: &[&str] = &[
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
];

/// `CT_Style` (§17.7.4.17).
const STYLE: &[&str] = &[
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
];

/// The schema sequence of `name`'s children, when it is one this module checks.
fn sequence(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "w:rPr" => RPR,
        "w:pPr" => PPR,
        "w:tblPr" => TBLPR,
        "w:tcPr" => TCPR,
        "w:tblBorders" | "w:tcBorders" | "w:pBdr" | "w:tblCellMar" | "w:tcMar" => SIDES,
        "w:sectPr" => SECTPR,
        "w:settings" => SETTINGS,
        "w:style" => STYLE,
        "w:docDefaults" => &["w:rPrDefault", "w:pPrDefault"],
        "w:tbl" => &["w:tblPr", "w:tblGrid", "w:tr"],
        _ => return None,
    })
}

/// Where `child` stands in `order` (`start`/`end` sides and footer references share the
/// place of `left`/`right` and header references).
fn place(order: &[&str], child: &str) -> Option<usize> {
    let alias = match child {
        "w:start" => "w:left",
        "w:end" => "w:right",
        "w:footerReference" => "w:headerReference",
        other => other,
    };
    order.iter().position(|n| *n == alias)
}

/// Problems with the order of `el`'s children, if `el` has a checked sequence.
fn order_problems(part: &str, el: &Element) -> Vec<String> {
    let Some(order) = sequence(&el.name) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let mut last = 0;
    for child in &el.children {
        match place(order, &child.name) {
            None => problems.push(format!("{part}: {} not allowed in {}", child.name, el.name)),
            Some(i) if i < last => problems.push(format!(
                "{part}: {} out of order in {} ({:?})",
                child.name,
                el.name,
                el.names()
            )),
            Some(i) => last = i,
        }
    }
    problems
}

#[test]
fn property_children_come_in_schema_order() {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for p in packages() {
        for (name, root) in p.xml_parts() {
            for el in root.walk() {
                if sequence(&el.name).is_some() && !el.children.is_empty() {
                    seen.insert(el.name.clone());
                }
                problems.extend(order_problems(&format!("{} {name}", p.label), el));
            }
        }
    }
    problems.truncate(20);
    assert!(problems.is_empty(), "{problems:#?}");
    // The check looked at every kind of element this module knows.
    for name in [
        "w:rPr",
        "w:pPr",
        "w:tblPr",
        "w:tcPr",
        "w:tblBorders",
        "w:tcBorders",
        "w:pBdr",
        "w:tblCellMar",
        "w:sectPr",
        "w:settings",
        "w:style",
        "w:docDefaults",
        "w:tbl",
    ] {
        assert!(seen.contains(name), "no {name} in the samples");
    }
}

#[test]
fn the_order_check_catches_docx_rs_order() {
    // What docx-rs 0.4.22 wrote before the writer sorted it.
    let run = parse(
        "old run",
        br#"<w:rPr><w:sz w:val="26" /><w:szCs w:val="26" /><w:rFonts w:ascii="T" /><w:b /></w:rPr>"#,
    );
    assert_eq!(
        order_problems("old", &run).len(),
        2,
        "rFonts and b after sz"
    );
    let para = parse(
        "old paragraph",
        br#"<w:pPr><w:rPr><w:b /></w:rPr><w:jc w:val="center" /><w:spacing /></w:pPr>"#,
    );
    assert_eq!(
        order_problems("old", &para).len(),
        2,
        "jc and spacing after rPr"
    );
    let sect = parse(
        "old section",
        br#"<w:sectPr><w:pgSz /><w:headerReference /><w:titlePg /></w:sectPr>"#,
    );
    assert_eq!(order_problems("old", &sect).len(), 1);
}

#[test]
fn no_empty_property_elements_or_undeclared_attributes() {
    for p in packages() {
        for (name, root) in p.xml_parts() {
            for el in root.walk() {
                let container = matches!(
                    el.name.as_str(),
                    "w:rPr"
                        | "w:pPr"
                        | "w:tblPr"
                        | "w:trPr"
                        | "w:tcPr"
                        | "w:tblBorders"
                        | "w:tcBorders"
                        | "w:pBdr"
                        | "w:tblCellMar"
                        | "w:compat"
                        | "w:docDefaults"
                        | "w:rPrDefault"
                        | "w:pPrDefault"
                );
                assert!(
                    !container || !el.children.is_empty(),
                    "{} {name}: empty {}",
                    p.label,
                    el.name
                );
                if el.name == "w:gridCol" {
                    assert_eq!(
                        el.attrs.keys().collect::<Vec<_>>(),
                        ["w:w"],
                        "{} {name}: gridCol takes only w:w",
                        p.label
                    );
                }
            }
        }
    }
}

/// Part name of `target` relative to the source part `source` ("" for the package).
fn resolve(source: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_owned();
    }
    let mut path: Vec<&str> = source.split('/').collect();
    path.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                path.pop();
            }
            "." | "" => {}
            s => path.push(s),
        }
    }
    path.join("/")
}

/// The `.rels` part of `source`.
fn rels_of(source: &str) -> String {
    match source.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{source}.rels"),
    }
}

#[test]
fn every_part_is_referenced_and_every_reference_exists() {
    for p in packages() {
        let l = &p.label;
        let names: BTreeSet<String> = p.parts.keys().cloned().collect();
        // Walk the relationships from the package root.
        let mut reached: BTreeSet<String> = BTreeSet::new();
        let mut todo = vec![String::new()];
        while let Some(source) = todo.pop() {
            let rels = rels_of(&source);
            let Some(data) = p.parts.get(&rels) else {
                continue;
            };
            reached.insert(rels.clone());
            let root = parse(&rels, data);
            let mut ids = BTreeSet::new();
            assert!(!root.children.is_empty(), "{l}: empty {rels}");
            for r in &root.children {
                assert!(
                    ids.insert(r.attr("Id").unwrap_or_default().to_owned()),
                    "{l}: Id twice"
                );
                assert_ne!(
                    r.attr("TargetMode"),
                    Some("External"),
                    "{l}: external target"
                );
                let target = resolve(&source, r.attr("Target").unwrap_or_default());
                assert!(
                    names.contains(&target),
                    "{l}: {rels} points at missing {target}"
                );
                if reached.insert(target.clone()) {
                    todo.push(target);
                }
            }
        }
        let orphans: Vec<&String> = names
            .iter()
            .filter(|n| *n != "[Content_Types].xml" && !reached.contains(*n))
            .collect();
        assert!(
            orphans.is_empty(),
            "{l}: parts nothing points at: {orphans:?}"
        );

        // Content types: exactly the parts there are, every part covered.
        let types = p.xml("[Content_Types].xml");
        let mut defaults = BTreeSet::new();
        let mut overrides = BTreeSet::new();
        for t in &types.children {
            match t.name.as_str() {
                "Default" => defaults.insert(t.attr("Extension").unwrap_or_default().to_owned()),
                "Override" => overrides.insert(
                    t.attr("PartName")
                        .unwrap_or_default()
                        .trim_start_matches('/')
                        .to_owned(),
                ),
                other => panic!("{l}: {other} in [Content_Types].xml"),
            };
        }
        for o in &overrides {
            assert!(names.contains(o), "{l}: content type for missing part {o}");
        }
        for n in names.iter().filter(|n| *n != "[Content_Types].xml") {
            let ext = n.rsplit('.').next().unwrap_or_default();
            assert!(
                overrides.contains(n) || (ext == "rels" && defaults.contains("rels")),
                "{l}: {n} has no content type of its own"
            );
        }
        assert_eq!(
            defaults,
            BTreeSet::from(["rels".to_owned(), "xml".to_owned()]),
            "{l}: defaults for extensions the package does not use"
        );
        for part in [
            "word/theme/theme1.xml",
            "word/styles.xml",
            "word/settings.xml",
        ] {
            assert!(names.contains(part), "{l}: no {part}");
        }
        for gone in [
            "word/numbering.xml",
            "word/comments.xml",
            "word/footnotes.xml",
        ] {
            assert!(!names.contains(gone), "{l}: {gone}");
        }
    }
}

#[test]
fn the_text_is_vietnamese_and_the_settings_are_a_vietnamese_words() {
    for p in packages() {
        let l = &p.label;
        let styles = p.xml("word/styles.xml");
        let defaults = styles
            .child("w:docDefaults")
            .and_then(|d| d.child("w:rPrDefault"))
            .and_then(|d| d.child("w:rPr"))
            .unwrap_or_else(|| panic!("{l}: no default run properties"));
        let lang = defaults
            .child("w:lang")
            .unwrap_or_else(|| panic!("{l}: no w:lang"));
        assert_eq!(lang.attr("w:val"), Some("vi-VN"), "{l}");
        let fonts = defaults
            .child("w:rFonts")
            .unwrap_or_else(|| panic!("{l}: no rFonts"));
        for slot in ["w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"] {
            assert_eq!(fonts.attr(slot), Some("Times New Roman"), "{l}: {slot}");
        }
        // No run or paragraph says another language.
        for (name, root) in p.xml_parts() {
            for el in root.walk().into_iter().filter(|e| e.name == "w:lang") {
                assert_eq!(el.attr("w:val"), Some("vi-VN"), "{l} {name}");
            }
        }

        let settings = p.xml("word/settings.xml");
        let val = |name: &str| {
            settings
                .child(name)
                .and_then(|e| e.attr("w:val"))
                .unwrap_or_else(|| panic!("{l}: no {name}"))
                .to_owned()
        };
        assert_eq!(val("w:defaultTabStop"), "720", "{l}");
        assert_eq!(val("w:themeFontLang"), "vi-VN", "{l}");
        let compat = settings
            .child("w:compat")
            .unwrap_or_else(|| panic!("{l}: no compat"));
        for legacy in [
            "w:useFELayout",
            "w:balanceSingleByteDoubleByteWidth",
            "w:spaceForUL",
            "w:ulTrailSpace",
            "w:doNotLeaveBackslashAlone",
        ] {
            assert!(
                compat.child(legacy).is_none(),
                "{l}: East-Asian flag {legacy}"
            );
        }
        let mode = compat
            .children
            .iter()
            .find(|c| c.attr("w:name") == Some("compatibilityMode"))
            .and_then(|c| c.attr("w:val"));
        assert_eq!(mode, Some("15"), "{l}: Word 2013+ layout");

        let core = p.xml("docProps/core.xml");
        let lang = core.child("dc:language").map(|e| e.text.as_str());
        assert_eq!(lang, Some("vi-VN"), "{l}");
        let app = p.xml("docProps/app.xml");
        let application = app.child("Application").map(|e| e.text.as_str());
        assert_eq!(application, Some("congvan"), "{l}");
    }
}

fn core_text(p: &Package, name: &str) -> String {
    let core = p.xml("docProps/core.xml");
    core.child(name)
        .map(|e| e.text.clone())
        .unwrap_or_else(|| panic!("{}: no {name}", p.label))
}

#[test]
fn core_properties_name_the_issuing_body_and_the_subject() {
    let cv = sample("out/cong-van-dvc-2024-07.docx");
    assert_eq!(core_text(cv, "dc:creator"), "VĂN PHÒNG");
    assert_eq!(
        core_text(cv, "dc:title"),
        "V/v nâng cao chất lượng, hiệu quả sử dụng dịch vụ công trực tuyến năm 2024"
    );
    let tb = sample("final/thong-bao-ket-luan-2020-03.docx");
    assert_eq!(
        core_text(tb, "dc:creator"),
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
    );
    assert!(
        core_text(tb, "dc:title").starts_with("Kết luận của Phó Chủ tịch Thường trực"),
        "{}",
        core_text(tb, "dc:title")
    );
    for p in packages() {
        for name in ["dc:creator", "dc:title"] {
            let v = core_text(p, name);
            assert!(!v.is_empty() && v != "unknown", "{}: {name} {v:?}", p.label);
            assert!(
                unicode_normalization::is_nfc(&v),
                "{}: {name} not NFC",
                p.label
            );
        }
        let core = p.xml("docProps/core.xml");
        assert!(core.child("cp:lastModifiedBy").is_none(), "{}", p.label);
    }
}
