//! The Document model: the one tree both writers read, in reading order.
//! Every word is final here (numbering, dates, blanks, punctuation); writers only lay it out.

pub mod compose;

use serde::Serialize;

/// A whole letter: header, heading, addressees, body, closing, and its page layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Ô 1–4: issuing body, national title and motto, number and place-date lines.
    pub header: Header,
    /// Ô 5: "V/v …" for a công văn, or a typed title and trích yếu.
    pub heading: Heading,
    /// Ô 9a "Kính gửi"; `None` for documents that have none.
    pub addressees: Option<Addressees>,
    /// Ô 6: the body, in order.
    pub body: Vec<Block>,
    /// Ô 9b Nơi nhận and ô 7 signature block.
    pub closing: Closing,
    /// Phụ lục printed after the signature, in order, each from a new page.
    pub appendices: Vec<Appendix>,
    /// Page geometry and type sizes (only the .docx writer uses it).
    pub layout: Layout,
}

/// The two-column header of page 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// Cơ quan chủ quản, upper case, one entry per printed line (empty when there is none).
    pub parent_body: Vec<String>,
    /// Cơ quan ban hành, upper case, one entry per printed line.
    pub issuing_body: Vec<String>,
    /// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
    pub national_title: String,
    /// "Độc lập - Tự do - Hạnh phúc".
    pub motto: String,
    /// "Số: 149/TB-UBND", or with blanks in a draft.
    pub number_line: String,
    /// "Hải Phòng, ngày 24 tháng 3 năm 2020", or with blanks in a draft.
    pub place_date_line: String,
}

/// Ô 5: how the document names itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Heading {
    /// A công văn: "V/v …" under the number, in the left header column; no title.
    Letter {
        /// The full line, starting "V/v ".
        subject: String,
    },
    /// A typed document (THÔNG BÁO, KẾ HOẠCH …): centred bold title and trích yếu.
    Titled {
        /// Upper-case type name, e.g. "THÔNG BÁO".
        title: String,
        /// The trích yếu, normal case; may be empty.
        subject: String,
    },
}

/// A phụ lục (NĐ 30, Phụ lục I, mẫu 2.1): its heading lines, then its blocks, on pages of
/// its own.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendix {
    /// "Phụ lục" or "Phụ lục II" (numbered when the document has several).
    pub label: String,
    /// The title, upper case; may be empty.
    pub title: String,
    /// "(Kèm theo Công văn số 05/VP-KSTTHC ngày 05 tháng 8 năm 2024 của …)", blanks in a draft.
    pub note: String,
    /// Its pages are landscape.
    pub landscape: bool,
    /// Its pages are numbered from 1 (NĐ 30 numbers each phụ lục on its own) rather than
    /// continuing the letter's.
    pub own_page_numbers: bool,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A phụ lục as the template wrote it (`::: phu-luc …` … `:::`).
#[derive(Debug, Clone, PartialEq)]
pub struct AppendixSource {
    /// `title="…"`, as written (may be empty).
    pub title: String,
    /// `landscape` was given.
    pub landscape: bool,
    /// `pages="continue"`: page numbers run on from the letter instead of restarting.
    pub continue_pages: bool,
    /// `label="KẾ HOẠCH"`: a heading in place of "Phụ lục I" (a document issued with a
    /// quyết định).
    pub label: Option<String>,
    /// `of="Chủ tịch Ủy ban nhân dân thành phố"`: who issued the document in the note, in
    /// place of the issuing body.
    pub of: Option<String>,
    /// Its blocks.
    pub blocks: Vec<Block>,
}

/// Ô 9a: "Kính gửi:" and its recipients, punctuation included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addressees {
    /// "Kính gửi:".
    pub label: String,
    /// One recipient: the bare name, printed on the label's line.
    /// Several: one line each, "- Bộ Nội vụ;" … "- Bộ Tài chính.".
    pub items: Vec<String>,
}

/// A body block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph of runs; literal numbering ("1.", "a)", "-") is part of its text.
    Paragraph(Paragraph),
    /// A table with an optional header row.
    Table(Table),
    /// The rest of the document starts on a new page.
    PageBreak,
    /// Blocks printed on pages of their own in landscape (a section), then back to portrait.
    Landscape(Vec<Block>),
    /// A picture on a paragraph of its own, centred (a phụ lục's bar chart).
    Image(Image),
}

/// A PNG picture shown at a physical size: the .docx embeds it, the .md links the file
/// [`Image::file`] written beside it, the HTML preview inlines it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    /// The PNG file's bytes.
    #[serde(skip)]
    pub png: Vec<u8>,
    /// Alt text (NFC): what the picture shows, for readers that cannot see it.
    pub alt: String,
    /// Printed width, millimetres.
    pub width_mm: f32,
    /// Printed height, millimetres.
    pub height_mm: f32,
    /// Name of the PNG file beside the .md ("cong-van-dvc-2024-07-bieu-do-1.png"); empty
    /// until the pipeline names the letter's files.
    pub file: String,
}

impl Document {
    /// Every image of the letter, body then phụ lục, in reading order.
    pub fn images(&self) -> Vec<&Image> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Image>) {
            for b in blocks {
                match b {
                    Block::Image(i) => out.push(i),
                    Block::Landscape(inner) => walk(inner, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.body, &mut out);
        for a in &self.appendices {
            walk(&a.blocks, &mut out);
        }
        out
    }

    /// Name every image's file `<prefix><n>.png`, n from 1 in reading order (the pipeline's
    /// prefix: "<stem>-bieu-do-").
    pub fn name_images(&mut self, prefix: &str) {
        fn walk(blocks: &mut [Block], stem: &str, n: &mut usize) {
            for b in blocks {
                match b {
                    Block::Image(i) => {
                        *n += 1;
                        i.file = format!("{stem}{n}.png");
                    }
                    Block::Landscape(inner) => walk(inner, stem, n),
                    _ => {}
                }
            }
        }
        let mut n = 0;
        walk(&mut self.body, prefix, &mut n);
        for a in &mut self.appendices {
            walk(&mut a.blocks, prefix, &mut n);
        }
    }
}

/// A paragraph of inline runs.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Paragraph {
    /// Text runs in order.
    pub inlines: Vec<Inline>,
    /// Horizontal alignment.
    pub align: Align,
}

/// Horizontal alignment of a paragraph or table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    /// Justified body text (the default for paragraphs).
    #[default]
    Justify,
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// An inline element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Inline {
    /// A run of text with its emphasis.
    Text {
        /// The words, NFC.
        text: String,
        /// Bold.
        bold: bool,
        /// Italic.
        italic: bool,
    },
    /// A hard line break inside a paragraph.
    LineBreak,
    /// A hyperlink: its words (plain) and where it leads. The .docx makes it a hyperlink,
    /// the .md `[text](url)`.
    Link {
        /// The words shown, NFC.
        text: String,
        /// The address, as written in the template.
        url: String,
    },
}

impl Inline {
    /// A plain run.
    pub fn plain(text: impl Into<String>) -> Self {
        Inline::Text {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
}

/// A pipe table.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Table {
    /// Column alignments, one per column.
    pub aligns: Vec<Align>,
    /// Explicit column widths as shares of the text width (any unit; they are scaled to sum
    /// to it), one per column; `None` derives them from the content.
    pub widths: Option<Vec<f32>>,
    /// The header row, if any; it repeats at the top of every page the table runs onto.
    pub head: Option<Vec<Cell>>,
    /// Body rows; every row has `aligns.len()` cells.
    pub rows: Vec<Vec<Cell>>,
    /// How body cells merge, the same shape as `rows`; empty when no cell merges.
    pub merges: Vec<Vec<Merge>>,
}

/// How one body cell joins its neighbours (MultiMarkdown 6 syntax in the template:
/// `||` spans, a cell holding only `^^` continues the one above).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Merge {
    /// An ordinary cell.
    #[default]
    Single,
    /// The first cell of a horizontal span over this many columns (≥ 2).
    Span(usize),
    /// Covered by a span to its left; its content is empty and it is not printed.
    Covered,
    /// Continues the cell above (a vertical merge); its content is empty.
    Up,
}

impl Table {
    /// The merge of body cell (`row`, `col`).
    pub fn merge(&self, row: usize, col: usize) -> Merge {
        self.merges
            .get(row)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or_default()
    }
}

/// A table cell: inline runs; a line break starts a new line in the cell.
pub type Cell = Vec<Inline>;

/// Ô 9b and ô 7: Nơi nhận beside the signature block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Closing {
    /// "Nơi nhận:".
    pub receivers_label: String,
    /// "- Như trên;" … "- Lưu: VT, KSTTHC5." — one printed line each.
    pub receivers: Vec<String>,
    /// Quyền hạn and chức vụ lines, upper case: ["TL. ỦY BAN NHÂN DÂN", "CHÁNH VĂN PHÒNG"].
    pub authority: Vec<String>,
    /// The signer's name, normal case; empty leaves the space for it.
    pub signer: String,
    /// A joint document's second signature block, printed on the left of the lead body's
    /// (NĐ 30: the lead body signs on the right), with Nơi nhận moving below both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co_signature: Option<Signature>,
}

/// One signature block: quyền hạn and chức vụ lines (upper case) and the name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    /// "TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH".
    pub authority: Vec<String>,
    /// The signer's name; empty leaves the space for it.
    pub signer: String,
}

/// Page geometry and the type-size profile, within the ranges of Nghị định 30.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    /// Margins in millimetres.
    pub margins: Margins,
    /// Body size profile: 13 or 14 (nd30-layout §9.1).
    pub profile: u8,
    /// First-line indent of body paragraphs, in centimetres (1.0 or 1.27).
    pub first_line_indent_cm: f32,
    /// Space before each body paragraph, in points (≥ 6).
    pub paragraph_spacing_pt: f32,
    /// Line spacing as a multiple of single (1.0 – 1.5).
    pub line_spacing: f32,
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Margins {
    /// Top, 20–25.
    pub top: f32,
    /// Bottom, 20–25.
    pub bottom: f32,
    /// Left, 30–35.
    pub left: f32,
    /// Right, 15–20.
    pub right: f32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            margins: Margins {
                top: 20.0,
                bottom: 20.0,
                left: 30.0,
                right: 15.0,
            },
            profile: 14,
            first_line_indent_cm: 1.0,
            paragraph_spacing_pt: 6.0,
            line_spacing: 1.0,
        }
    }
}

impl Inline {
    /// The text of this run ("" for a line break).
    pub fn text(&self) -> &str {
        match self {
            Inline::Text { text, .. } | Inline::Link { text, .. } => text,
            Inline::LineBreak => "",
        }
    }
}

impl Document {
    /// Every printed string in reading order, one per paragraph or cell: what both writers say.
    pub fn words(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let h = &self.header;
        out.extend(h.parent_body.iter().cloned());
        out.extend(h.issuing_body.iter().cloned());
        out.push(h.national_title.clone());
        out.push(h.motto.clone());
        out.push(h.number_line.clone());
        if let Heading::Letter { subject } = &self.heading {
            out.push(subject.clone());
        }
        out.push(h.place_date_line.clone());
        if let Heading::Titled { title, subject } = &self.heading {
            out.push(title.clone());
            if !subject.is_empty() {
                out.push(subject.clone());
            }
        }
        if let Some(a) = &self.addressees {
            if a.items.len() == 1 {
                out.push(format!("{} {}", a.label, a.items[0]));
            } else {
                out.push(a.label.clone());
                out.extend(a.items.iter().cloned());
            }
        }
        blocks_words(&self.body, &mut out);
        let c = &self.closing;
        let signature = |out: &mut Vec<String>, authority: &[String], signer: &str| {
            out.extend(authority.iter().cloned());
            if !signer.is_empty() {
                out.push(signer.to_string());
            }
        };
        match &c.co_signature {
            // Joint document: both signatures in one row, Nơi nhận in the row below.
            Some(co) => {
                signature(&mut out, &co.authority, &co.signer);
                signature(&mut out, &c.authority, &c.signer);
                out.push(c.receivers_label.clone());
                out.extend(c.receivers.iter().cloned());
            }
            None => {
                out.push(c.receivers_label.clone());
                out.extend(c.receivers.iter().cloned());
                signature(&mut out, &c.authority, &c.signer);
            }
        }
        for a in &self.appendices {
            out.push(a.label.clone());
            if !a.title.is_empty() {
                out.push(a.title.clone());
            }
            out.push(a.note.clone());
            blocks_words(&a.blocks, &mut out);
        }
        out
    }
}

/// Every printed string of `blocks`, one per paragraph or table-cell line (each line of a
/// cell is a paragraph of its own; covered cells of a span are not printed).
pub fn blocks_words(blocks: &[Block], out: &mut Vec<String>) {
    let cell_lines = |cell: &Cell, out: &mut Vec<String>| {
        out.extend(inlines_text(cell).split('\n').map(str::to_string));
    };
    for block in blocks {
        match block {
            Block::Paragraph(p) => out.push(inlines_text(&p.inlines)),
            Block::Table(t) => {
                for cell in t.head.iter().flatten() {
                    cell_lines(cell, out);
                }
                for (r, row) in t.rows.iter().enumerate() {
                    for (c, cell) in row.iter().enumerate() {
                        if t.merge(r, c) != Merge::Covered {
                            cell_lines(cell, out);
                        }
                    }
                }
            }
            Block::PageBreak | Block::Image(_) => {}
            Block::Landscape(inner) => blocks_words(inner, out),
        }
    }
}

/// The plain text of a run list, line breaks as '\n'.
pub fn inlines_text(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text, .. } | Inline::Link { text, .. } => text.as_str(),
            Inline::LineBreak => "\n",
        })
        .collect()
}
