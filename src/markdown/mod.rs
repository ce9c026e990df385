//! The Markdown reader: the rendered body (CommonMark + pipe tables) → Document blocks.
//! List markers are kept as literal text ("1.", "a)", "-", "+"), never renumbered; links are
//! kept; a construct the writers cannot render is refused ([`read`]), never dropped.

pub mod escape;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use crate::doc::{Align, Block, Inline, Paragraph, Table};
use crate::text;

/// Options the reader parses with: tables are rendered; footnotes, strikethrough and task
/// lists are recognised only so that [`read`] can refuse them instead of printing their marks.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// A Markdown construct the writers cannot render (raw HTML, a rule, a quote, code, an image,
/// a footnote …): what it is and its byte range in the rendered Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// What it is, e.g. "raw HTML".
    pub what: &'static str,
    /// Byte range in the Markdown read.
    pub range: std::ops::Range<usize>,
}

impl Unsupported {
    /// The error at the template line and column the construct comes from: the first place in
    /// `template` (the file at `path`) holding the construct's first line, else the line of
    /// the rendered body.
    pub fn error(
        &self,
        path: &std::path::Path,
        template: &str,
        rendered: &str,
    ) -> crate::diag::Error {
        let start = self.range.start.min(rendered.len());
        let end = self.range.end.clamp(start, rendered.len());
        let snippet = rendered[start..end].lines().next().unwrap_or("").trim();
        let mut err = crate::diag::Error::input(format!(
            "template error: {} is not supported in a letter",
            self.what
        ))
        .in_file(path)
        .hint("write the letter's words as paragraphs, lists, **bold**, *italic*, [links](url) and pipe tables; remove this construct (to keep a note out of the letter, use a Tera comment {# … #})");
        // A line that is the construct ("---", "> …") first, else the first line holding it.
        let whole_line = template
            .split_inclusive('\n')
            .scan(0usize, |offset, line| {
                let start = *offset;
                *offset += line.len();
                Some((start, line))
            })
            .find(|(_, line)| line.trim() == snippet)
            .map(|(start, line)| start + (line.len() - line.trim_start().len()));
        let found = (!snippet.is_empty())
            .then(|| whole_line.or_else(|| template.find(snippet)))
            .flatten();
        if let Some(at) = found {
            let before = &template[..at];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let column = before[line_start..].chars().count() + 1;
            err = err
                .at(line, column)
                .width(snippet.chars().count().max(1))
                .with_source_from(template);
        } else {
            let line = rendered[..start].matches('\n').count() + 1;
            err.message = format!(
                "{} (line {line} of the rendered body: {snippet})",
                err.message
            );
        }
        err
    }
}

/// Parse `markdown` into body blocks, refusing any construct the writers cannot render.
pub fn read(markdown: &str) -> Result<Vec<Block>, Unsupported> {
    let mut reader = Reader::new(markdown);
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, range) in parser {
        reader.event(event, range);
        if let Some(u) = reader.unsupported.take() {
            return Err(u);
        }
    }
    Ok(reader.blocks)
}

/// Parse `markdown` into body blocks, keeping the text of constructs [`read`] refuses (for
/// Markdown congvan wrote itself, which has none).
pub fn parse(markdown: &str) -> Vec<Block> {
    let mut reader = Reader::new(markdown);
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, range) in parser {
        reader.event(event, range);
    }
    reader.blocks
}

/// Walks pulldown-cmark events, collecting runs into paragraphs and cells.
struct Reader<'a> {
    source: &'a str,
    blocks: Vec<Block>,
    /// Runs of the paragraph (or cell) being read.
    runs: Vec<Inline>,
    bold: usize,
    italic: usize,
    /// Literal list marker waiting to prefix the next paragraph of a list item.
    pending_marker: Option<String>,
    /// Alignment of the paragraph being read.
    align: Align,
    table: Option<TableBuilder>,
    /// The link being read: its address and words.
    link: Option<(String, String)>,
    /// The first construct the writers cannot render.
    unsupported: Option<Unsupported>,
}

struct TableBuilder {
    aligns: Vec<Align>,
    head: Option<Vec<Vec<Inline>>>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
    in_head: bool,
}

impl<'a> Reader<'a> {
    fn new(source: &'a str) -> Self {
        Reader {
            source,
            blocks: Vec::new(),
            runs: Vec::new(),
            bold: 0,
            italic: 0,
            pending_marker: None,
            align: Align::Justify,
            table: None,
            link: None,
            unsupported: None,
        }
    }

    fn refuse(&mut self, what: &'static str, range: std::ops::Range<usize>) {
        if self.unsupported.is_none() {
            self.unsupported = Some(Unsupported { what, range });
        }
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                self.refuse("inline code (`…`)", range);
                self.text(&t)
            }
            Event::InlineHtml(t) | Event::Html(t) => {
                self.refuse("raw HTML (a tag or an <!-- comment -->)", range);
                self.text(&t)
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.refuse("math", range);
                self.text(&t)
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                if self.link.is_some() {
                    self.text(" ");
                } else {
                    self.runs.push(Inline::LineBreak)
                }
            }
            Event::Rule => self.refuse("a thematic break (---, ***)", range),
            Event::FootnoteReference(t) => {
                self.refuse("a footnote", range);
                self.text(&t)
            }
            Event::TaskListMarker(done) => {
                self.refuse("a task list item ([ ] / [x])", range);
                self.text(if done { "[x] " } else { "[ ] " })
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        match tag {
            Tag::Paragraph => self.begin_paragraph(Align::Justify),
            Tag::Heading { .. } => {
                self.begin_paragraph(Align::Center);
                self.bold += 1;
            }
            Tag::Item => {
                // The literal marker as written: "1.", "3)", "-", "+", "*".
                let written = &self.source[range.start..range.end.min(self.source.len())];
                let marker: String = written
                    .trim_start()
                    .chars()
                    .take_while(|c| !c.is_whitespace())
                    .collect();
                self.flush_paragraph();
                self.pending_marker = Some(marker);
            }
            Tag::Strong => self.bold += 1,
            Tag::Emphasis => self.italic += 1,
            Tag::Table(aligns) => {
                self.flush_paragraph();
                self.table = Some(TableBuilder {
                    aligns: aligns.iter().map(column_align).collect(),
                    head: None,
                    rows: Vec::new(),
                    row: Vec::new(),
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.row.clear();
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                }
            }
            Tag::TableCell => self.runs.clear(),
            Tag::CodeBlock(_) => {
                self.refuse("a code block (``` or an indented line)", range);
                self.begin_paragraph(Align::Justify)
            }
            Tag::BlockQuote(_) => {
                self.refuse("a block quote (>)", range);
                self.begin_paragraph(Align::Justify)
            }
            Tag::HtmlBlock => {
                self.refuse("raw HTML (a tag or an <!-- comment -->)", range);
                self.begin_paragraph(Align::Justify)
            }
            Tag::Link { dest_url, .. } => {
                if self.link.is_some() {
                    self.refuse("a link inside a link", range);
                }
                self.link = Some((dest_url.to_string(), String::new()));
            }
            Tag::Image { .. } => self.refuse("an image", range),
            Tag::FootnoteDefinition(_) => self.refuse("a footnote", range),
            Tag::Strikethrough => self.refuse("strikethrough (~~…~~)", range),
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => self.refuse("this Markdown extension", range),
            Tag::List(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_) | TagEnd::HtmlBlock => {
                self.flush_paragraph()
            }
            TagEnd::Heading(_) => {
                self.bold = self.bold.saturating_sub(1);
                self.flush_paragraph();
            }
            TagEnd::Item => {
                self.flush_paragraph();
                // An item whose text rendered empty keeps its marker to itself.
                self.pending_marker = None;
            }
            TagEnd::Link => {
                if let Some((url, text)) = self.link.take() {
                    self.take_marker();
                    self.runs.push(Inline::Link {
                        text: text::nfc_string(&text),
                        url,
                    });
                }
            }
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::TableCell => {
                let cell = trim_runs(std::mem::take(&mut self.runs));
                if let Some(t) = self.table.as_mut() {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.head = Some(std::mem::take(&mut t.row));
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    if !t.in_head {
                        let row = std::mem::take(&mut t.row);
                        t.rows.push(row);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let width = t.aligns.len();
                    let fit = |mut row: Vec<Vec<Inline>>| {
                        row.resize(width, Vec::new());
                        row
                    };
                    self.blocks.push(Block::Table(Table {
                        aligns: t.aligns,
                        head: t.head.map(fit),
                        rows: t.rows.into_iter().map(fit).collect(),
                    }));
                }
            }
            TagEnd::List(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Image
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    fn begin_paragraph(&mut self, align: Align) {
        if self.table.is_none() {
            self.flush_paragraph();
            self.align = align;
        }
    }

    fn take_marker(&mut self) {
        if let Some(marker) = self.pending_marker.take() {
            self.push_run(&format!("{marker} "), false, false);
        }
    }

    fn text(&mut self, t: &str) {
        if let Some((_, words)) = self.link.as_mut() {
            words.push_str(t);
            return;
        }
        self.take_marker();
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        self.push_run(&text::nfc(t), bold, italic);
    }

    fn push_run(&mut self, t: &str, bold: bool, italic: bool) {
        if t.is_empty() {
            return;
        }
        if let Some(Inline::Text {
            text,
            bold: b,
            italic: i,
        }) = self.runs.last_mut()
        {
            if *b == bold && *i == italic {
                text.push_str(t);
                return;
            }
        }
        self.runs.push(Inline::Text {
            text: t.to_string(),
            bold,
            italic,
        });
    }

    fn flush_paragraph(&mut self) {
        if self.table.is_some() {
            return;
        }
        let runs = trim_runs(std::mem::take(&mut self.runs));
        if !runs.is_empty() {
            self.blocks.push(Block::Paragraph(Paragraph {
                inlines: runs,
                align: self.align,
            }));
        }
        self.align = Align::Justify;
    }
}

fn column_align(a: &Alignment) -> Align {
    match a {
        Alignment::None | Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// Drop leading and trailing whitespace of a paragraph (and trailing line breaks).
fn trim_runs(mut runs: Vec<Inline>) -> Vec<Inline> {
    while matches!(runs.last(), Some(Inline::LineBreak)) {
        runs.pop();
    }
    if let Some(Inline::Text { text, .. }) = runs.first_mut() {
        *text = text.trim_start().to_string();
    }
    if let Some(Inline::Text { text, .. }) = runs.last_mut() {
        *text = text.trim_end().to_string();
    }
    runs.retain(|r| !matches!(r, Inline::Text { text, .. } if text.is_empty()));
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::inlines_text;

    fn texts(md: &str) -> Vec<String> {
        parse(md)
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => inlines_text(&p.inlines),
                Block::Table(_) => "<table>".to_string(),
            })
            .collect()
    }

    #[test]
    fn list_markers_stay_literal() {
        let md =
            "3. Yêu cầu\n\n3.1. Đối với\n\na) Khối sở\n\n- Thường xuyên\n\n+ Về việc\n\n7) bảy\n";
        assert_eq!(
            texts(md),
            [
                "3. Yêu cầu",
                "3.1. Đối với",
                "a) Khối sở",
                "- Thường xuyên",
                "+ Về việc",
                "7) bảy"
            ]
        );
        let md = "1. một\n1. lại một\n";
        assert_eq!(texts(md), ["1. một", "1. lại một"]);
    }

    #[test]
    fn bold_and_italic_runs() {
        let blocks = parse("a) Khối: **Sở Tài chính 65,52%**, *ghi chú* ***cả hai***.");
        let Some(Block::Paragraph(p)) = blocks.first() else {
            panic!("no paragraph");
        };
        let flags: Vec<(String, bool, bool)> = p
            .inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Text { text, bold, italic } => Some((text.clone(), *bold, *italic)),
                Inline::LineBreak | Inline::Link { .. } => None,
            })
            .collect();
        assert_eq!(
            flags,
            [
                ("a) Khối: ".to_string(), false, false),
                ("Sở Tài chính 65,52%".to_string(), true, false),
                (", ".to_string(), false, false),
                ("ghi chú".to_string(), false, true),
                (" ".to_string(), false, false),
                ("cả hai".to_string(), true, true),
                (".".to_string(), false, false),
            ]
        );
    }

    #[test]
    fn escaped_specials_come_back_literal() {
        assert_eq!(
            texts("NC\\&KTGS \\*x\\* \\[y\\] a\\_b"),
            ["NC&KTGS *x* [y] a_b"]
        );
        assert_eq!(
            texts("1\\. không phải danh sách"),
            ["1. không phải danh sách"]
        );
    }

    #[test]
    fn pipe_table() {
        let blocks = parse("| Đơn vị | Tỷ lệ |\n|:--|--:|\n| Sở Tư pháp | 89,22% |\n| Sở Y tế |\n");
        let Some(Block::Table(t)) = blocks.first() else {
            panic!("no table");
        };
        assert_eq!(t.aligns, [Align::Left, Align::Right]);
        assert_eq!(
            t.head.as_ref().map(|h| inlines_text(&h[0])).as_deref(),
            Some("Đơn vị")
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(inlines_text(&t.rows[0][1]), "89,22%");
        assert!(t.rows[1][1].is_empty());
    }

    #[test]
    fn nfd_text_is_normalised() {
        assert_eq!(texts("Thu\u{309}y Nguye\u{302}n"), ["Thủy Nguyên"]);
    }
}
