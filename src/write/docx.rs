//! The .docx writer: lays a [`Document`] out per Nghị định 30/2020/NĐ-CP, Phụ lục I.
//!
//! The ladder follows pandoc's writers: [`document`] → [`header_table`] → [`heading`] →
//! [`addressees`] → [`blocks`] → [`block`] → [`paragraph`] / [`table`] → [`inlines`], then
//! [`closing_table`]. Every string comes from the model, in the order of [`Document::words`];
//! the writer adds only empty spacer paragraphs and the short rules (paragraph bottom borders).
//!
//! Output is byte-identical for identical input: fixed document dates, paragraph ids reset per
//! write, and the archive written once with fixed entry timestamps.
//!
//! docx-rs makes the body and the headers; [`package`] makes the rest of a valid Office Open
//! XML package around them (content types, relationships, properties, styles, settings,
//! theme) and [`order`] puts docx-rs's elements into schema order.

mod order;
mod package;

// `diag::Error` (the crate's one error type, 176 bytes) is returned as is, as everywhere else.

use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Header, HeaderReference, HeightRule,
    InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, PageNumType,
    PageOrientationType, PageSize, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Pic, Run, RunFonts, SectionProperty, SpecialIndentType, Table, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

use crate::diag::Result;
use crate::doc::{Addressees, Align, Block, Closing, Document, Heading, Inline, Merge};

/// The one font of ND30, set in all four `w:rFonts` slots.
const FONT: &str = "Times New Roman";
/// A4 portrait in twips.
const PAGE_WIDTH: i32 = 11906;
const PAGE_HEIGHT: i32 = 16838;
/// Header and footer distance from the page edge: 10 mm, as in the decree's own files.
const HEADER_DISTANCE_MM: f32 = 10.0;
/// Default date written into docProps/core.xml when none is given.
const EPOCH: &str = "1980-01-01T00:00:00Z";
/// Cell padding (left and right) of the bordered body tables: Word's default 1.9 mm.
const BODY_TABLE_PADDING: i32 = 108;
/// Ascent of Times New Roman as a fraction of the type size (hhea ascender 1825/2048).
const ASCENT: f32 = 0.891;
/// Weight of the short rules, in eighths of a point (0.75 pt).
const RULE_WEIGHT: usize = 6;
/// docx-rs cannot write `w:tblHeader`: header rows get this exact row height (1 twip,
/// "atLeast", which changes nothing on the page) and [`order`] turns it into `w:tblHeader`.
const HEADER_ROW_MARK: f32 = 1.0;
/// Relationship ids docx-rs gives the first-page header and the default (page number)
/// header, in the order [`document`] adds them.
const FIRST_HEADER_RID: &str = "rIdHeader1";
const DEFAULT_HEADER_RID: &str = "rIdHeader2";

/// Options that do not come from the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxOptions {
    /// Creation and modification time written to docProps/core.xml (UTC);
    /// `None` writes the fixed epoch 1980-01-01T00:00:00Z.
    pub created: Option<chrono::NaiveDateTime>,
}

/// Type sizes (points) of one coherent profile from nd30-layout §9.1, plus the few
/// geometry choices that depend on them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Profile {
    national_title: usize,
    motto: usize,
    parent_body: usize,
    issuing_body: usize,
    number: usize,
    place_date: usize,
    title: usize,
    subject: usize,
    letter_subject: usize,
    addressees: usize,
    body: usize,
    authority: usize,
    signer: usize,
    receivers_label: usize,
    receivers: usize,
    page_number: usize,
    /// Narrowest right header column, twips: holds the quốc hiệu on one line.
    min_right_column: i32,
}

/// Profile "14" (close to mẫu 1.4).
const PROFILE_14: Profile = Profile {
    national_title: 13,
    motto: 14,
    parent_body: 13,
    issuing_body: 13,
    number: 13,
    place_date: 14,
    title: 14,
    subject: 14,
    letter_subject: 13,
    addressees: 14,
    body: 14,
    authority: 14,
    signer: 14,
    receivers_label: 12,
    receivers: 11,
    page_number: 14,
    // 100 mm, as mẫu 1.4; the 13 pt quốc hiệu is 95.7 mm.
    min_right_column: 5670,
};

/// Profile "13".
const PROFILE_13: Profile = Profile {
    national_title: 12,
    motto: 13,
    parent_body: 12,
    issuing_body: 12,
    number: 13,
    place_date: 13,
    title: 13,
    subject: 13,
    letter_subject: 12,
    addressees: 13,
    body: 13,
    authority: 13,
    signer: 13,
    receivers_label: 12,
    receivers: 11,
    page_number: 13,
    // 93 mm; the 12 pt quốc hiệu is 88.3 mm.
    min_right_column: 5273,
};

/// Layout constants that are not type sizes.
mod geometry {
    /// Space before the title of a typed document (pt).
    pub const TITLE_BEFORE_PT: f32 = 12.0;
    /// Space before "Kính gửi" (pt).
    pub const ADDRESSEES_BEFORE_PT: f32 = 12.0;
    /// Space before "V/v …" under the number (pt).
    pub const LETTER_SUBJECT_BEFORE_PT: f32 = 6.0;
    /// Space before the Số and date row (pt).
    pub const NUMBER_ROW_BEFORE_PT: f32 = 6.0;
    /// Space before the closing table (pt).
    pub const CLOSING_BEFORE_PT: f32 = 10.0;
    /// "Kính gửi:" first-line indent in the list form (cm), mẫu 1.5.
    pub const ADDRESSEES_LABEL_INDENT_CM: f32 = 3.5;
    /// Fraction of the issuing body's (or trích yếu's) length drawn under it.
    pub const SHORT_RULE_FRACTION: f32 = 0.4;
    /// Left and right margin Word gives a table cell by default (0,19 cm), in twips: text in a
    /// header column has its width less twice this.
    pub const HEADER_CELL_MARGIN: i32 = 108;
    /// Share of the text width given to the Nơi nhận column (mẫu 1.5: 38/62).
    pub const RECEIVERS_SHARE: f32 = 0.38;
    /// Empty lines left for the signature.
    pub const SIGNING_LINES: usize = 5;
    /// Height of a rule paragraph (pt, exact).
    pub const RULE_LINE_PT: f32 = 4.0;
    /// Space before a body table (pt).
    pub const TABLE_BEFORE_PT: f32 = 6.0;
    /// Top and bottom padding of body-table cells (twips).
    pub const TABLE_CELL_PADDING_Y: usize = 30;
}

/// Write `doc` as .docx bytes with default options.
pub fn write(doc: &Document) -> Result<Vec<u8>> {
    write_with(doc, &DocxOptions::default())
}

/// Write `doc` as .docx bytes.
pub fn write_with(doc: &Document, options: &DocxOptions) -> Result<Vec<u8>> {
    reset_paragraph_ids();
    HYPERLINKS.with(|c| c.set(0));
    let docx = document(doc);
    let mut xml = docx.build();
    xml.document_rels = sort_hyperlink_relationships(&xml.document_rels);
    package::finish(&package::parts(xml), &properties(doc, options))
}

/// What the package says about `doc`: the issuing body as author, the trích yếu as title
/// (the type name when a typed document has none), the date, the default font and size.
fn properties(doc: &Document, options: &DocxOptions) -> package::Properties {
    let title = match &doc.heading {
        Heading::Letter { subject } => subject,
        Heading::Titled { title, subject } if subject.is_empty() => title,
        Heading::Titled { subject, .. } => subject,
    };
    package::Properties {
        creator: one_line(&doc.header.issuing_body.join(" ")),
        title: one_line(title),
        stamp: options
            .created
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_else(|| EPOCH.to_owned()),
        font: FONT,
        size: profile(doc.layout.profile).body * 2,
        pictures: doc.images().iter().map(|i| one_line(&i.alt)).collect(),
    }
}

/// `text` on one line for a package property: each run of line breaks a space, a character
/// XML forbids U+FFFD.
fn one_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split(crate::text::is_line_break)
        .filter(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .replace(crate::text::xml_forbidden, "\u{fffd}")
}

/// Paragraph ids (`w14:paraId`) come from a per-thread counter in docx-rs that only its own
/// build resets (`reset_para_id` is private). Reset it through an empty document so this
/// write numbers from 1 whatever ran before on this thread.
fn reset_paragraph_ids() {
    let _ = Docx::new().json();
}

/// The document: page setup, page-number header, then the body in order. (The default font
/// and size, and the document dates, are written by [`package`].)
fn document(doc: &Document) -> Docx {
    let p = profile(doc.layout.profile);
    let g = Geometry::new(doc);

    let m = &doc.layout.margins;
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH as u32, PAGE_HEIGHT as u32)
        .page_margin(page_margin(m))
        .title_pg()
        .first_header(Header::new().add_paragraph(Paragraph::new()))
        .header(page_number_header(&p));

    docx = docx.add_table(header_table(doc, &p, &g));
    for para in heading(doc, &p, &g) {
        docx = docx.add_paragraph(para);
    }
    if let Some(a) = &doc.addressees {
        for para in addressees(a, &p, &g) {
            docx = docx.add_paragraph(para);
        }
    }
    let mut body = blocks(&doc.body, doc, &p, &g);
    // The signature should not stand alone on a page: keep the last body paragraph with it.
    if let Some(Out::Paragraph(last)) = body.last_mut() {
        **last = std::mem::take(&mut **last).keep_next(true);
    }
    // Sections: the letter (page 1 unnumbered), landscape blocks and back, then each phụ
    // lục. Each section's properties go on the paragraph that ends it; the last section's on
    // the document.
    let mut current = Section {
        landscape: false,
        title_pg: true,
        restart: false,
    };
    for b in body {
        docx = match b {
            Out::Paragraph(para) => docx.add_paragraph(*para),
            Out::Table(t) => docx
                .add_paragraph(spacer(geometry::TABLE_BEFORE_PT))
                .add_table(*t),
            Out::Section(landscape) => {
                let end = section_end(doc, current);
                current = Section {
                    landscape,
                    title_pg: false,
                    restart: false,
                };
                docx.add_paragraph(end)
            }
        };
    }
    // A spacer keeps the closing table apart from a body table and gives it room above.
    docx = docx.add_paragraph(spacer(geometry::CLOSING_BEFORE_PT).keep_next(true));
    docx = docx.add_table(closing_table(&doc.closing, &p, &g));
    for a in &doc.appendices {
        docx = docx.add_paragraph(section_end(doc, current));
        current = Section {
            landscape: a.landscape,
            title_pg: a.own_page_numbers,
            restart: a.own_page_numbers,
        };
        let width = if a.landscape {
            PAGE_HEIGHT - (PAGE_WIDTH - g.text_width)
        } else {
            g.text_width
        };
        for para in appendix_heading(a, &p) {
            docx = docx.add_paragraph(para);
        }
        let inner = Geometry {
            text_width: width,
            ..g
        };
        for b in blocks(&a.blocks, doc, &p, &inner) {
            docx = match b {
                Out::Paragraph(para) => docx.add_paragraph(*para),
                Out::Table(t) => docx
                    .add_paragraph(spacer(geometry::TABLE_BEFORE_PT))
                    .add_table(*t),
                // The reader refuses landscape blocks inside a phụ lục.
                Out::Section(_) => docx,
            };
        }
    }
    let last = section_property(doc, current);
    let headers = std::mem::take(&mut docx.document.section_property);
    docx.document.section_property = SectionProperty {
        header: headers.header,
        first_header: headers.first_header,
        ..last
    };
    docx
}

/// Ô 1–3 of a phụ lục (mẫu 2.1): "Phụ lục I" bold, the title upper case bold, the note
/// italic, all centred; then a short rule.
fn appendix_heading(a: &crate::doc::Appendix, p: &Profile) -> Vec<Paragraph> {
    let mut out = vec![line_para(
        &a.label,
        Style::bold(p.title),
        AlignmentType::Center,
    )];
    if !a.title.is_empty() {
        out.push(line_para(
            &a.title,
            Style::bold(p.title),
            AlignmentType::Center,
        ));
    }
    out.push(line_para(
        &a.note,
        Style::italic(p.body),
        AlignmentType::Center,
    ));
    out.push(spacer(geometry::TABLE_BEFORE_PT));
    out.into_iter().map(|para| para.keep_next(true)).collect()
}

/// Body output: paragraphs and tables in order, and section changes.
enum Out {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
    /// A new section starts here, landscape (`true`) or portrait.
    Section(bool),
}

/// How a section's pages are set.
#[derive(Debug, Clone, Copy)]
struct Section {
    landscape: bool,
    /// Its first page shows no number (the letter's page 1, a phụ lục numbered on its own).
    title_pg: bool,
    /// Page numbers start again at 1.
    restart: bool,
}

/// The properties of `section`: page size and margins (the document's, turned for
/// landscape), the page-number headers (a section without `title_pg` numbers every page),
/// and a restart of the numbering when asked. Without a restart numbering runs on.
fn section_property(doc: &Document, section: Section) -> SectionProperty {
    let m = &doc.layout.margins;
    let size = if section.landscape {
        PageSize::new()
            .width(PAGE_HEIGHT as u32)
            .height(PAGE_WIDTH as u32)
            .orient(PageOrientationType::Landscape)
    } else {
        PageSize::new()
            .width(PAGE_WIDTH as u32)
            .height(PAGE_HEIGHT as u32)
    };
    let mut property = SectionProperty::new()
        .page_size(size)
        .page_margin(page_margin(m));
    property.header_reference = Some(HeaderReference::new("default", DEFAULT_HEADER_RID));
    if section.title_pg {
        property.first_header_reference = Some(HeaderReference::new("first", FIRST_HEADER_RID));
        property.title_pg = true;
    }
    if section.restart {
        property = property.page_num_type(PageNumType::new().start(1));
    }
    property
}

/// An empty paragraph that ends `section` (a new page follows).
fn section_end(doc: &Document, section: Section) -> Paragraph {
    spacer(0.0).section_property(section_property(doc, section))
}

/// The document's margins, with the header and footer 10 mm from the edge.
fn page_margin(m: &crate::doc::Margins) -> PageMargin {
    PageMargin::new()
        .top(mm(m.top))
        .bottom(mm(m.bottom))
        .left(mm(m.left))
        .right(mm(m.right))
        .header(mm(HEADER_DISTANCE_MM))
        .footer(mm(HEADER_DISTANCE_MM))
        .gutter(0)
}

/// Widths derived from the page and the profile, in twips.
struct Geometry {
    text_width: i32,
    header_left: i32,
    header_right: i32,
}

impl Geometry {
    fn new(doc: &Document) -> Self {
        let p = profile(doc.layout.profile);
        let m = &doc.layout.margins;
        let text_width = PAGE_WIDTH - mm(m.left) - mm(m.right);
        // The quốc hiệu must never wrap: at least the profile's minimum, and wider if the
        // actual string needs it (with 3 mm to spare).
        let needed = text_width_twips(&doc.header.national_title, true, p.national_title) + mm(3.0);
        let header_right = p.min_right_column.max(needed).min(text_width);
        Geometry {
            text_width,
            header_left: text_width - header_right,
            header_right,
        }
    }
}

fn profile(size: u8) -> Profile {
    if size == 13 {
        PROFILE_13
    } else {
        PROFILE_14
    }
}

/// Rows 1 and 2 of page 1: names and rules, then Số (and V/v) beside the date.
fn header_table(doc: &Document, p: &Profile, g: &Geometry) -> Table {
    let h = &doc.header;
    let (left_w, right_w) = (g.header_left, g.header_right);

    // A name typed as one long string is broken where it fits the column, so the short rule
    // under it measures the printed line (NĐ 30: ⅓–½ of the name).
    let room = left_w - 2 * geometry::HEADER_CELL_MARGIN;
    let parent_body = fit_lines(&h.parent_body, false, p.parent_body, room);
    let issuing_body = fit_lines(&h.issuing_body, true, p.issuing_body, room);
    let mut names: Vec<Paragraph> = Vec::new();
    for line in &parent_body {
        names.push(line_para(
            line,
            Style::regular(p.parent_body),
            AlignmentType::Center,
        ));
    }
    for line in &issuing_body {
        names.push(line_para(
            line,
            Style::bold(p.issuing_body),
            AlignmentType::Center,
        ));
    }
    let longest = issuing_body
        .iter()
        .map(|l| text_width_twips(l, true, p.issuing_body))
        .max()
        .unwrap_or(0);
    if longest > 0 {
        let len = (longest as f32 * geometry::SHORT_RULE_FRACTION) as i32;
        names.push(rule(left_w, len));
    }

    let state = vec![
        line_para(
            &h.national_title,
            Style::bold(p.national_title),
            AlignmentType::Center,
        ),
        line_para(&h.motto, Style::bold(p.motto), AlignmentType::Center),
        rule(right_w, text_width_twips(&h.motto, true, p.motto)),
    ];

    // Số (13 pt) and the date (13–14 pt) share a baseline: the smaller line starts lower by
    // the difference in ascent.
    let ascent_gap = (p.place_date as f32 - p.number as f32) * ASCENT;
    let mut number = vec![line_para(
        &h.number_line,
        Style::regular(p.number),
        AlignmentType::Center,
    )
    .line_spacing(spacing(
        geometry::NUMBER_ROW_BEFORE_PT + ascent_gap.max(0.0),
        1.0,
    ))];
    if let Heading::Letter { subject } = &doc.heading {
        number.push(
            line_para(
                subject,
                Style::regular(p.letter_subject),
                AlignmentType::Center,
            )
            .line_spacing(spacing(geometry::LETTER_SUBJECT_BEFORE_PT, 1.0)),
        );
    }
    let date = vec![line_para(
        &h.place_date_line,
        Style::italic(p.place_date),
        AlignmentType::Center,
    )
    .line_spacing(spacing(
        geometry::NUMBER_ROW_BEFORE_PT + (-ascent_gap).max(0.0),
        1.0,
    ))];

    borderless_table(
        &[left_w, right_w],
        vec![vec![names, state], vec![number, date]],
    )
}

/// Ô 5a for typed documents: title, trích yếu and the short rule under it. Nothing for a
/// công văn, whose "V/v" sits in the header table.
fn heading(doc: &Document, p: &Profile, g: &Geometry) -> Vec<Paragraph> {
    let Heading::Titled { title, subject } = &doc.heading else {
        return Vec::new();
    };
    let mut out = vec![
        line_para(title, Style::bold(p.title), AlignmentType::Center)
            .line_spacing(spacing(geometry::TITLE_BEFORE_PT, 1.0))
            .keep_next(true),
    ];
    // The rule goes under the trích yếu, or under the title when there is none.
    let (measured, bold_size) = if subject.is_empty() {
        (title.as_str(), p.title)
    } else {
        out.push(line_para(subject, Style::bold(p.subject), AlignmentType::Center).keep_next(true));
        (subject.as_str(), p.subject)
    };
    // A trích yếu typed on several lines: the rule measures its longest line.
    let width = measured
        .split(crate::text::is_line_break)
        .map(|l| text_width_twips(l.trim(), true, bold_size))
        .max()
        .unwrap_or(0)
        .min(g.text_width);
    let len = (width as f32 * geometry::SHORT_RULE_FRACTION) as i32;
    out.push(rule(g.text_width, len));
    out
}

/// `lines` with each line too wide for `room` twips broken between words into the fewest lines
/// that fit, as even as possible: "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH" → "ỦY BAN NHÂN DÂN" /
/// "TỈNH QUẢNG NINH". A single word wider than the column stays whole.
fn fit_lines(lines: &[String], bold: bool, size: usize, room: i32) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let line = line.trim();
        if text_width_twips(line, bold, size) <= room {
            out.push(line.to_string());
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        out.extend(balanced_lines(
            &words,
            &|s| text_width_twips(s, bold, size),
            room,
        ));
    }
    out
}

/// The fewest lines of `words` each at most `room` wide (a lone word may be wider); among
/// those, the split with the fewest breaks outside the preferred places (before "tỉnh",
/// "thành phố", "và" …, from data/nd30.toml), then the one whose widest line is narrowest.
fn balanced_lines(words: &[&str], width: &dyn Fn(&str) -> i32, room: i32) -> Vec<String> {
    let n = words.len();
    let span = |i: usize, j: usize| words[i..j].join(" ");
    let fits = |i: usize, j: usize| j == i + 1 || width(&span(i, j)) <= room;
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let preferred = |i: usize| {
        crate::vocab::nd30::wording()
            .agency_name_breaks
            .iter()
            .any(|phrase| {
                let phrase: Vec<String> =
                    phrase.split_whitespace().map(str::to_lowercase).collect();
                lower.get(i..i + phrase.len()) == Some(&phrase[..])
            })
    };
    // (breaks outside preferred places, widest line, break before each line).
    type Best = Option<(usize, i32, Vec<usize>)>;
    for lines in 1..=n {
        let mut best: Vec<Vec<Best>> = vec![vec![None; n + 1]; lines + 1];
        best[0][0] = Some((0, 0, Vec::new()));
        for k in 1..=lines {
            for j in 1..=n {
                for i in (k - 1)..j {
                    let Some((bad, widest, breaks)) = best[k - 1][i].clone() else {
                        continue;
                    };
                    if !fits(i, j) {
                        continue;
                    }
                    let bad = bad + usize::from(i > 0 && !preferred(i));
                    let w = widest.max(width(&span(i, j)));
                    if best[k][j]
                        .as_ref()
                        .is_none_or(|(b, bw, _)| (bad, w) < (*b, *bw))
                    {
                        let mut breaks = breaks;
                        breaks.push(i);
                        best[k][j] = Some((bad, w, breaks));
                    }
                }
            }
        }
        if let Some((_, _, breaks)) = &best[lines][n] {
            let mut ends: Vec<usize> = breaks[1..].to_vec();
            ends.push(n);
            return breaks.iter().zip(ends).map(|(&i, j)| span(i, j)).collect();
        }
    }
    vec![words.join(" ")]
}

/// Ô 9a: "Kính gửi: X" on one centred line, or the label and a dashed list under it. A single
/// recipient too long for one line starts at the label's indent and wraps flush under its own
/// first word (a hanging indent), never centred.
fn addressees(a: &Addressees, p: &Profile, g: &Geometry) -> Vec<Paragraph> {
    let style = Style::regular(p.addressees);
    let before = spacing(geometry::ADDRESSEES_BEFORE_PT, 1.0);
    let label_indent = cm(geometry::ADDRESSEES_LABEL_INDENT_CM);
    if a.items.len() == 1 {
        let text = format!("{} {}", a.label, a.items[0]);
        if text_width_twips(&text, false, p.addressees) <= g.text_width {
            return vec![line_para(&text, style, AlignmentType::Center).line_spacing(before)];
        }
        let label = text_width_twips(&format!("{} ", a.label), false, p.addressees);
        return vec![line_para(&text, style, AlignmentType::Left)
            .indent(
                Some(label_indent + label),
                Some(SpecialIndentType::Hanging(label)),
                None,
                None,
            )
            .line_spacing(before)];
    }
    // Items start under the recipient text: label indent + width of "Kính gửi: ".
    let item_indent =
        label_indent + text_width_twips(&format!("{} ", a.label), false, p.addressees);
    let dash = text_width_twips("- ", false, p.addressees);
    let mut out = vec![line_para(&a.label, style, AlignmentType::Left)
        .indent(Some(label_indent), None, None, None)
        .line_spacing(before)];
    for item in &a.items {
        out.push(
            line_para(item, style, AlignmentType::Left)
                .indent(
                    Some(item_indent + dash),
                    Some(SpecialIndentType::Hanging(dash)),
                    None,
                    None,
                )
                .line_spacing(spacing(0.0, 1.0)),
        );
    }
    out
}

/// Ô 6: the body blocks; a landscape block becomes a section of its own between two
/// portrait ones.
fn blocks(body: &[Block], doc: &Document, p: &Profile, g: &Geometry) -> Vec<Out> {
    let mut out = Vec::new();
    for (i, b) in body.iter().enumerate() {
        match b {
            Block::Paragraph(para) => out.push(Out::Paragraph(Box::new(paragraph(para, doc, p)))),
            Block::Table(t) => out.push(Out::Table(Box::new(table(t, p, g.text_width)))),
            // A section break next to it already starts a new page.
            Block::PageBreak
                if matches!(body.get(i + 1), Some(Block::Landscape(_)))
                    || matches!(
                        i.checked_sub(1).map(|j| &body[j]),
                        Some(Block::Landscape(_))
                    ) => {}
            Block::PageBreak => out.push(Out::Paragraph(Box::new(page_break()))),
            Block::Image(image) => out.push(Out::Paragraph(Box::new(picture(image, g.text_width)))),
            Block::Landscape(inner) => {
                out.push(Out::Section(true));
                let wide = PAGE_HEIGHT - (PAGE_WIDTH - g.text_width);
                for b in inner {
                    match b {
                        Block::Table(t) => out.push(Out::Table(Box::new(table(t, p, wide)))),
                        other => out.extend(blocks(std::slice::from_ref(other), doc, p, g)),
                    }
                }
                out.push(Out::Section(false));
            }
        }
    }
    out
}

/// A centred paragraph holding `image` at its printed size (at most `text_width` twips wide,
/// keeping its proportions). The relationship id is derived from the PNG's bytes (docx-rs
/// would number it from a process-wide counter), so equal letters give equal files.
fn picture(image: &crate::doc::Image, text_width: i32) -> Paragraph {
    use sha2::Digest;
    const EMU_PER_MM: f32 = 36_000.0;
    const EMU_PER_TWIP: f32 = 635.0;
    let max_w = text_width as f32 * EMU_PER_TWIP;
    let w = image.width_mm * EMU_PER_MM;
    let scale = if w > max_w { max_w / w } else { 1.0 };
    let (w, h) = (w * scale, image.height_mm * EMU_PER_MM * scale);
    // The PNG's own pixel size (IHDR); only a default, the EMU size below wins.
    let dim = |at: usize| {
        image
            .png
            .get(at..at + 4)
            .map_or(1, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let digest = sha2::Sha256::digest(&image.png);
    let id: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let pic = Pic::new_with_dimensions(image.png.clone(), dim(16), dim(20))
        .size(w.round() as u32, h.round() as u32)
        .id(format!("rIdImage{id}"));
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(spacing(6.0, 1.0))
        .add_run(Run::new().add_image(pic))
}

/// An empty paragraph ending in a page break.
fn page_break() -> Paragraph {
    Paragraph::new()
        .line_spacing(spacing(0.0, 1.0))
        .add_run(Run::new().add_break(BreakType::Page))
}

/// A body paragraph: alignment as given, first-line indent, spacing per the layout.
fn paragraph(para: &crate::doc::Paragraph, doc: &Document, p: &Profile) -> Paragraph {
    let l = &doc.layout;
    let first_line = if para.align == Align::Justify {
        Some(SpecialIndentType::FirstLine(cm(l.first_line_indent_cm)))
    } else {
        None
    };
    let out = Paragraph::new()
        .align(alignment(para.align))
        .line_spacing(spacing(l.paragraph_spacing_pt, l.line_spacing))
        .indent(None, first_line, None, None)
        .fonts(fonts())
        .size(p.body * 2);
    inlines(out, &para.inlines, p.body)
}

/// Runs of a paragraph: text with its emphasis, line breaks as `w:br`.
fn inlines(mut out: Paragraph, runs: &[Inline], size: usize) -> Paragraph {
    for inline in runs {
        let run = match inline {
            Inline::Text { text, bold, italic } => run(
                text,
                Style {
                    size,
                    bold: *bold,
                    italic: *italic,
                },
            ),
            Inline::LineBreak => {
                styled(Run::new(), Style::regular(size)).add_break(BreakType::TextWrapping)
            }
            Inline::Link { text, url } => {
                out = out.add_hyperlink(hyperlink(text, url, size));
                continue;
            }
        };
        out = out.add_run(run);
    }
    out
}

thread_local! {
    /// Hyperlink relationship numbers of the document being written (docx-rs numbers them
    /// from a process-wide counter; equal input must give equal bytes).
    static HYPERLINKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// An external hyperlink: the words underlined, in the body's font.
fn hyperlink(text: &str, url: &str, size: usize) -> docx_rs::Hyperlink {
    let n = HYPERLINKS.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    let mut link = docx_rs::Hyperlink::new(url, docx_rs::HyperlinkType::External)
        .add_run(run(text, Style::regular(size)).underline("single"));
    if let docx_rs::HyperlinkData::External { rid, .. } = &mut link.link {
        *rid = format!("rIdHyperlink{n}");
    }
    link
}

/// docx-rs lists hyperlink relationships in hash order: sort them, so equal input gives
/// equal bytes.
fn sort_hyperlink_relationships(rels: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(rels) else {
        return rels.to_vec();
    };
    let Some(first) = text.find("<Relationship Id=\"rIdHyperlink") else {
        return rels.to_vec();
    };
    let Some(end) = text.rfind("</Relationships>") else {
        return rels.to_vec();
    };
    let mut items: Vec<&str> = text[first..end]
        .split_inclusive("/>")
        .filter(|s| !s.trim().is_empty())
        .collect();
    if items.iter().any(|i| {
        !i.trim_start()
            .starts_with("<Relationship Id=\"rIdHyperlink")
    }) {
        return rels.to_vec();
    }
    let number = |s: &str| -> usize {
        s.trim_start()
            .trim_start_matches("<Relationship Id=\"rIdHyperlink")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    };
    items.sort_by_key(|s| number(s));
    format!("{}{}{}", &text[..first], items.concat(), &text[end..]).into_bytes()
}

/// A body table across `total` twips: thin single borders, text one point smaller than the
/// body, the header row bold and centred and repeated on every page, rows never split
/// across pages; merged cells as the model says; each line of a cell its own paragraph
/// ("- " lines hang on their dash).
fn table(t: &crate::doc::Table, p: &Profile, total: i32) -> Table {
    let size = p.body - 1;
    let widths = column_widths(t, size, total);
    let dash = text_width_twips("- ", false, size);

    let cell = |content: &[Inline], col: usize, span: usize, bold: bool, align: Align| {
        let width: i32 = widths[col..(col + span).min(widths.len())].iter().sum();
        let mut c = TableCell::new()
            .width(width as usize, WidthType::Dxa)
            .vertical_align(VAlignType::Center);
        if span > 1 {
            c = c.grid_span(span);
        }
        for line in content.split(|i| *i == Inline::LineBreak) {
            let mut para = Paragraph::new()
                .align(alignment(align))
                .line_spacing(spacing(0.0, 1.0))
                .fonts(fonts())
                .size(size * 2);
            if crate::doc::inlines_text(line).starts_with("- ") {
                para = para.indent(
                    Some(dash),
                    Some(SpecialIndentType::Hanging(dash)),
                    None,
                    None,
                );
            }
            let runs: Vec<Inline> = line
                .iter()
                .map(|i| match i {
                    Inline::Text { text, italic, .. } if bold => Inline::Text {
                        text: text.clone(),
                        bold: true,
                        italic: *italic,
                    },
                    other => other.clone(),
                })
                .collect();
            c = c.add_paragraph(inlines(para, &runs, size));
        }
        c
    };
    let mut rows = Vec::new();
    if let Some(head) = &t.head {
        let cells = head
            .iter()
            .enumerate()
            .map(|(i, c)| cell(c, i, 1, true, Align::Center))
            .collect();
        rows.push(
            TableRow::new(cells)
                .cant_split()
                .row_height(HEADER_ROW_MARK)
                .height_rule(HeightRule::AtLeast),
        );
    }
    for (r, row) in t.rows.iter().enumerate() {
        let mut cells = Vec::new();
        for (i, content) in row.iter().enumerate() {
            let align = t.aligns.get(i).copied().unwrap_or(Align::Left);
            let merge = t.merge(r, i);
            let mut c = match merge {
                Merge::Covered => continue,
                Merge::Span(n) => cell(content, i, n, false, Align::Left),
                Merge::Single | Merge::Up => cell(content, i, 1, false, align),
            };
            if merge == Merge::Up {
                c = c.vertical_merge(VMergeType::Continue);
            } else if t.merge(r + 1, i) == Merge::Up {
                c = c.vertical_merge(VMergeType::Restart);
            }
            cells.push(c);
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    let mut borders = TableBorders::with_empty();
    for pos in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        borders = borders.set(
            TableBorder::new(pos)
                .border_type(BorderType::Single)
                .size(4)
                .color("000000"),
        );
    }
    Table::new(rows)
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .width(total as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(
            geometry::TABLE_CELL_PADDING_Y,
            BODY_TABLE_PADDING as usize,
            geometry::TABLE_CELL_PADDING_Y,
            BODY_TABLE_PADDING as usize,
        ))
        .set_borders(borders)
}

/// Column widths of a body table in twips, summing to `total`.
///
/// Explicit `widths` are scaled to `total`. Otherwise every column first gets its floor —
/// its longest word (header words bold) plus the cell padding, so no word is ever broken —
/// and the rest of the width is shared in proportion to how much more each column's longest
/// body line needs (a long header wraps rather than widen its column). If the floors alone exceed `total` they are scaled down (a word then breaks;
/// give the table a landscape page or explicit widths). Spanning cells do not count.
fn column_widths(t: &crate::doc::Table, size: usize, total: i32) -> Vec<i32> {
    let cols = t.aligns.len().max(1);
    if let Some(w) = t.widths.as_ref().filter(|w| w.len() == cols) {
        let sum: f32 = w.iter().sum();
        return fill(
            w.iter().map(|x| (x / sum * total as f32) as i32).collect(),
            total,
        );
    }
    // Cell padding on both sides, the borders, and 1 mm so a renderer's rounding never
    // pushes a word that just fits onto two lines.
    let pad = 2 * BODY_TABLE_PADDING + mm(1.0);
    let mut floor = vec![mm(5.0); cols];
    let mut natural = vec![mm(5.0); cols];
    let head = t.head.iter().map(|r| (usize::MAX, r, true));
    let body = t.rows.iter().enumerate().map(|(i, r)| (i, r, false));
    for (r, row, bold) in head.chain(body) {
        for (i, cell) in row.iter().enumerate().take(cols) {
            if r != usize::MAX && t.merge(r, i) != Merge::Single {
                continue;
            }
            let text = crate::doc::inlines_text(cell);
            for line in text.split('\n') {
                // A header may wrap: it sets the floor (its longest word), not the share.
                if !bold {
                    natural[i] = natural[i].max(text_width_twips(line, bold, size) + pad);
                }
                for word in line.split_whitespace() {
                    floor[i] = floor[i].max(text_width_twips(word, bold, size) + pad);
                }
            }
        }
    }
    for (n, f) in natural.iter_mut().zip(&floor) {
        *n = (*n).max(*f);
    }
    let floors: i32 = floor.iter().sum();
    if floors >= total {
        let scaled = floor
            .iter()
            .map(|f| (*f as i64 * total as i64 / floors as i64) as i32);
        return fill(scaled.collect(), total);
    }
    let spare = total - floors;
    let want: Vec<i64> = floor
        .iter()
        .zip(&natural)
        .map(|(f, n)| (n - f).max(0) as i64)
        .collect();
    let wanted: i64 = want.iter().sum();
    let widths = if wanted <= spare as i64 {
        // Everything fits on one line: the leftover goes by natural width to the columns of
        // several words (a "STT" or number column stays as narrow as it is).
        let grows = |i: usize| natural[i] > floor[i] || want.iter().all(|w| *w == 0);
        let naturals: i64 = (0..cols)
            .filter(|i| grows(*i))
            .map(|i| natural[i] as i64)
            .sum();
        let left = (total as i64 - natural.iter().map(|n| *n as i64).sum::<i64>()).max(0);
        (0..cols)
            .map(|i| {
                let extra = if grows(i) {
                    left * natural[i] as i64 / naturals.max(1)
                } else {
                    0
                };
                (natural[i] as i64 + extra) as i32
            })
            .collect()
    } else {
        floor
            .iter()
            .zip(&want)
            .map(|(f, w)| f + (spare as i64 * w / wanted.max(1)) as i32)
            .collect()
    };
    fill(widths, total)
}

/// Give the rounding remainder to the widest column, so the widths sum to `total`.
fn fill(mut widths: Vec<i32>, total: i32) -> Vec<i32> {
    let used: i32 = widths.iter().sum();
    if let Some(widest) = (0..widths.len()).max_by_key(|i| widths[*i]) {
        widths[widest] += total - used;
    }
    widths
}

/// Ô 9b beside ô 7: Nơi nhận on the left, authority, signing space and name on the right,
/// in one top-aligned row.
fn closing_table(c: &Closing, p: &Profile, g: &Geometry) -> Table {
    let left_w = (g.text_width as f32 * geometry::RECEIVERS_SHARE) as i32;
    let right_w = g.text_width - left_w;

    let mut receivers = vec![line_para(
        &c.receivers_label,
        Style {
            size: p.receivers_label,
            bold: true,
            italic: true,
        },
        AlignmentType::Left,
    )];
    // Wrapped recipients continue under their text, not under the dash.
    let dash = text_width_twips("- ", false, p.receivers);
    for r in &c.receivers {
        receivers.push(
            line_para(r, Style::regular(p.receivers), AlignmentType::Left).indent(
                Some(dash),
                Some(SpecialIndentType::Hanging(dash)),
                None,
                None,
            ),
        );
    }

    let signature = signature_block(&c.authority, &c.signer, p);
    if let Some(co) = &c.co_signature {
        // A joint document: the co-signer on the left, the lead body on the right, in halves;
        // Nơi nhận in the row below.
        let half = g.text_width / 2;
        let co = signature_block(&co.authority, &co.signer, p);
        let mut receivers = receivers;
        if let Some(first) = receivers.first_mut() {
            *first = std::mem::take(first).line_spacing(spacing(geometry::CLOSING_BEFORE_PT, 1.0));
        }
        return borderless_table(
            &[half, g.text_width - half],
            vec![vec![co, signature], vec![receivers, Vec::new()]],
        )
        .set_borders(TableBorders::new().clear_all());
    }
    borderless_table(&[left_w, right_w], vec![vec![receivers, signature]])
        .set_borders(TableBorders::new().clear_all())
}

/// Ô 7: authority lines bold and centred, space to sign, the name.
fn signature_block(authority: &[String], signer: &str, p: &Profile) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = authority
        .iter()
        .map(|a| line_para(a, Style::bold(p.authority), AlignmentType::Center))
        .collect();
    for _ in 0..geometry::SIGNING_LINES {
        out.push(
            Paragraph::new()
                .line_spacing(spacing(0.0, 1.0))
                .fonts(fonts())
                .size(p.authority * 2),
        );
    }
    if !signer.is_empty() {
        out.push(line_para(
            signer,
            Style::bold(p.signer),
            AlignmentType::Center,
        ));
    }
    out
}

/// The default header: the page number, centred (shown from page 2 on via `titlePg`).
fn page_number_header(p: &Profile) -> Header {
    let field = styled(Run::new(), Style::regular(p.page_number))
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("2")
        .add_field_char(FieldCharType::End, false);
    Header::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .fonts(fonts())
            .size(p.page_number * 2)
            .add_run(field),
    )
}

/// A borderless fixed-width table with top-aligned cells, no padding and rows that never
/// split across pages; `rows` holds, per row, the paragraphs of each cell.
fn borderless_table(widths: &[i32], rows: Vec<Vec<Vec<Paragraph>>>) -> Table {
    let rows = rows
        .into_iter()
        .map(|cells| {
            TableRow::new(
                cells
                    .into_iter()
                    .zip(widths)
                    .map(|(paras, w)| {
                        let mut cell = TableCell::new()
                            .width(*w as usize, WidthType::Dxa)
                            .vertical_align(VAlignType::Top)
                            .clear_all_border();
                        if paras.is_empty() {
                            cell = cell.add_paragraph(Paragraph::new());
                        }
                        for para in paras {
                            cell = cell.add_paragraph(para);
                        }
                        cell
                    })
                    .collect(),
            )
            .cant_split()
        })
        .collect();
    let total: i32 = widths.iter().sum();
    Table::new(rows)
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .width(total as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .set_borders(TableBorders::new().clear_all())
}

/// A centred short rule: an empty, exactly 2 pt high paragraph with a bottom border,
/// indented so the border is `len` long and centred in `width`.
fn rule(width: i32, len: i32) -> Paragraph {
    let len = len.clamp(0, width);
    let side = (width - len) / 2;
    let mut para = Paragraph::new()
        .align(AlignmentType::Center)
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .before(0)
                .after(0)
                .line((geometry::RULE_LINE_PT * 20.0) as i32)
                .line_rule(LineSpacingType::Exact),
        )
        .fonts(fonts())
        .size(4);
    para.property = para.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(RULE_WEIGHT)
                .space(0)
                .color("000000"),
        ),
    );
    para
}

/// An empty paragraph 1 pt high with `before_pt` of space above it.
fn spacer(before_pt: f32) -> Paragraph {
    Paragraph::new()
        .line_spacing(
            LineSpacing::new()
                .before((before_pt * 20.0) as u32)
                .after(0)
                .line(20)
                .line_rule(LineSpacingType::Exact),
        )
        .fonts(fonts())
        .size(2)
}

/// Run formatting.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// Points.
    size: usize,
    bold: bool,
    italic: bool,
}

impl Style {
    fn regular(size: usize) -> Self {
        Style {
            size,
            bold: false,
            italic: false,
        }
    }
    fn bold(size: usize) -> Self {
        Style {
            size,
            bold: true,
            italic: false,
        }
    }
    fn italic(size: usize) -> Self {
        Style {
            size,
            bold: false,
            italic: true,
        }
    }
}

/// A single-spaced paragraph holding one string.
fn line_para(text: &str, style: Style, align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .align(align)
        .line_spacing(spacing(0.0, 1.0))
        .fonts(fonts())
        .size(style.size * 2)
        .add_run(run(text, style))
}

/// One run of `text`: a line break in it (LF, CR, CRLF, U+000B, U+2028 …) is a `w:br`, a
/// character XML forbids is U+FFFD, so no text can break the file.
fn run(text: &str, style: Style) -> Run {
    let mut r = styled(Run::new(), style);
    let text = text.replace("\r\n", "\n");
    for (i, line) in text.split(crate::text::is_line_break).enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        if !line.is_empty() {
            r = r.add_text(line.replace(crate::text::xml_forbidden, "\u{fffd}"));
        }
    }
    r
}

fn styled(mut r: Run, style: Style) -> Run {
    r = r.fonts(fonts()).size(style.size * 2);
    if style.bold {
        r = r.bold();
    }
    if style.italic {
        r = r.italic();
    }
    r
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

/// Space before (pt) and "auto" line spacing as a multiple of single; nothing after.
fn spacing(before_pt: f32, lines: f32) -> LineSpacing {
    LineSpacing::new()
        .before((before_pt.max(0.0) * 20.0).round() as u32)
        .after(0)
        .line((lines.clamp(1.0, 1.5) * 240.0).round() as i32)
        .line_rule(LineSpacingType::Auto)
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Justify => AlignmentType::Both,
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// Millimetres to twips.
fn mm(v: f32) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

/// Centimetres to twips.
fn cm(v: f32) -> i32 {
    mm(v * 10.0)
}

/// Width of `text` set in Times New Roman at `size_pt`, in twips.
pub(crate) fn text_width_twips(text: &str, bold: bool, size_pt: usize) -> i32 {
    let units: u32 = text.chars().map(|c| advance(c, bold)).sum();
    (units as f32 / 1000.0 * size_pt as f32 * 20.0).round() as i32
}

/// Advance widths (1/1000 em) of Times New Roman (measured on the metric-compatible
/// Liberation Serif 2) for U+0020–U+007E, regular and bold.
const ADVANCE_REGULAR: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];
const ADVANCE_BOLD: [u16; 95] = [
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667,
    611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722,
    722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556,
    278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
];

/// Advance width of one character: Vietnamese letters take the width of their base letter
/// (tone and hat marks do not widen it), except the horned ơ/ư and đ, which have their own.
fn advance(c: char, bold: bool) -> u32 {
    use unicode_normalization::UnicodeNormalization;
    let table = if bold {
        &ADVANCE_BOLD
    } else {
        &ADVANCE_REGULAR
    };
    let ascii = |b: char| table[(b as usize) - 0x20] as u32;
    let mut parts = std::iter::once(c).nfd();
    let base = parts.next().unwrap_or(c);
    let horn = parts.any(|m| m == '\u{031B}');
    let (r, b) = match (base, horn) {
        ('Đ', _) => (722, 722),
        ('đ', _) => (500, 556),
        ('O', true) => (722, 778),
        ('o', true) => (529, 554),
        ('U', true) => (776, 796),
        ('u', true) => (542, 600),
        (ch, _) if (' '..='~').contains(&ch) => return ascii(ch),
        // Anything else (symbols, other scripts): a typical lower-case width.
        _ => (500, 556),
    };
    if bold {
        b
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width_mm(text: &str, bold: bool, size: usize) -> f32 {
        text_width_twips(text, bold, size) as f32 * 25.4 / 1440.0
    }

    #[test]
    fn text_widths_match_the_measured_ones() {
        // nd30-layout §2.3, measured with fontTools on Liberation Serif.
        let cases = [
            ("Độc lập - Tự do - Hạnh phúc", 14, 60.5),
            ("Độc lập - Tự do - Hạnh phúc", 13, 56.1),
            ("ỦY BAN NHÂN DÂN", 13, 43.2),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, 95.7),
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, 88.3),
            ("TM. ỦY BAN NHÂN DÂN", 14, 56.9),
            ("VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ", 14, 83.6),
        ];
        for (text, size, want) in cases {
            let got = width_mm(text, true, size);
            assert!(
                (got - want).abs() < 0.15,
                "{text} {size} B: {got} mm, want {want}"
            );
        }
        // "Kính gửi:" at 14 regular is 19.0 mm (§7.1).
        assert!((width_mm("Kính gửi:", false, 14) - 19.0).abs() < 0.15);
    }

    #[test]
    fn horned_letters_are_wider_than_their_base() {
        assert!(advance('ư', true) > advance('u', true));
        assert!(advance('Ự', false) > advance('U', false));
        assert!(advance('ợ', false) > advance('o', false));
        assert_eq!(advance('ấ', false), advance('a', false));
    }

    #[test]
    fn profiles_keep_the_national_title_on_one_line() {
        for p in [PROFILE_13, PROFILE_14] {
            let qh = text_width_twips("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, p.national_title);
            assert!(p.min_right_column > qh + mm(2.0), "{p:?}");
        }
    }

    fn one_row_table(head: &[&str], row: &[&str]) -> crate::doc::Table {
        let cells = |v: &[&str]| {
            v.iter()
                .map(|t| vec![Inline::plain(*t)])
                .collect::<Vec<_>>()
        };
        crate::doc::Table {
            aligns: vec![Align::Left; head.len()],
            head: Some(cells(head)),
            rows: vec![cells(row)],
            ..Default::default()
        }
    }

    #[test]
    fn no_column_is_narrower_than_its_longest_word() {
        // /work/shared/cases/stt-column: "STT" beside long text printed S/T/T.
        let t = one_row_table(
            &["STT", "Đơn vị", "Thời gian hoàn thành", "Ghi chú"],
            &[
                "1",
                "Ban Quản lý Khu kinh tế Hải Phòng và các khu công nghiệp trên địa bàn thành phố",
                "Quý III",
                "Đạt chỉ tiêu kế hoạch năm, đề nghị tiếp tục duy trì kết quả trong các tháng tiếp theo",
            ],
        );
        let total = 9355;
        let w = column_widths(&t, 13, total);
        assert_eq!(w.iter().sum::<i32>(), total);
        for (i, word) in [(0, "STT"), (2, "Thời"), (2, "thành")] {
            let need = text_width_twips(word, true, 13) + 2 * BODY_TABLE_PADDING;
            assert!(w[i] > need, "column {i}: {} ≤ {need} for {word}", w[i]);
        }
        // The long texts share the rest: the two wordy columns are the widest.
        assert!(w[1] > w[0] && w[3] > w[2], "{w:?}");
    }

    #[test]
    fn short_tables_give_the_spare_width_to_wordy_columns() {
        let t = one_row_table(&["STT", "Đơn vị", "Tỷ lệ"], &["1", "Sở Y tế", "92,47%"]);
        let w = column_widths(&t, 13, 9355);
        assert_eq!(w.iter().sum::<i32>(), 9355);
        // One-word columns keep their natural width; "Đơn vị" takes the rest.
        let stt = text_width_twips("STT", true, 13) + 2 * BODY_TABLE_PADDING + mm(1.0);
        assert_eq!(w[0], stt, "{w:?}");
        assert!(w[1] > 3 * w[2], "{w:?}");
    }

    #[test]
    fn explicit_widths_are_scaled_to_the_text_width() {
        let mut t = one_row_table(&["a", "b", "c"], &["1", "2", "3"]);
        t.widths = Some(vec![10.0, 30.0, 60.0]);
        assert_eq!(column_widths(&t, 13, 10000), [1000, 3000, 6000]);
    }
}
