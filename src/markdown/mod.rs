//! The Markdown reader: the rendered body (CommonMark + pipe tables + `:::` blocks) → Document
//! blocks. List markers are kept as literal text ("1.", "a)", "-", "+"), never renumbered; links
//! are kept; a construct the writers cannot render is refused ([`read`]), never dropped.
//!
//! Besides CommonMark, the reader knows (README "Tables, page breaks, landscape pages"):
//! - fenced blocks in pandoc's `:::` style, each fence on a line of its own:
//!   `::: landscape`, `::: center`, `::: right`, `::: table widths="8 52 20 20"`, closed by `:::`,
//!   `::: phu-luc title="…" [landscape] [pages="continue"] [label="…"] [of="…"]` (a phụ lục,
//!   printed after the signature), and the single lines `::: page-break` and
//!   `::: chart indicator="…"` (a bar chart, drawn by the caller's [`ChartMaker`]; amid other
//!   text on a line, an error);
//! - in pipe tables, MultiMarkdown 6 merges: a cell followed by `||` spans the next column
//!   (`| I. CÔNG TÁC CHỈ ĐẠO |||` spans three), a cell holding only `^^` continues the cell
//!   above; `<br>` breaks a line inside a cell (the one HTML tag read).

pub mod escape;

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

use crate::diag::Error;
use crate::doc::{Align, AppendixSource, Block, Image, Inline, Merge, Paragraph, Table};
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

/// The body and the phụ lục of a rendered template.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parts {
    /// The body, in order, without the phụ lục.
    pub body: Vec<Block>,
    /// The phụ lục, in order.
    pub appendices: Vec<AppendixSource>,
}

/// Why a rendered body cannot be read: a construct the writers cannot render, or a `:::`
/// block or merged cell written wrong (an error at a line of the rendered body).
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// Raw HTML, a rule, a quote … (see [`Unsupported`]).
    Unsupported(Unsupported),
    /// A `:::` or table-merge problem, with its line in the rendered body.
    Invalid(Error),
}

impl From<Error> for ReadError {
    fn from(e: Error) -> Self {
        ReadError::Invalid(e)
    }
}

/// Parse `markdown` into body blocks, refusing any construct the writers cannot render and any
/// `::: phu-luc` (see [`read_parts`]).
pub fn read(markdown: &str) -> Result<Vec<Block>, ReadError> {
    let parts = read_parts(markdown)?;
    if parts.appendices.is_empty() {
        Ok(parts.body)
    } else {
        Err(ReadError::Invalid(
            Error::input("a phụ lục block where only body text can be")
                .field("template")
                .hint("phụ lục belong in a letter's template"),
        ))
    }
}

/// Parse `markdown` into body blocks, keeping the text of constructs [`read`] refuses (for
/// Markdown congvan wrote itself, which has none); phụ lục blocks follow the body.
pub fn parse(markdown: &str) -> Vec<Block> {
    match parse_parts_with(markdown, false, None) {
        Ok(mut parts) => {
            for a in parts.appendices {
                parts.body.extend(a.blocks);
            }
            parts.body
        }
        // A `:::` line congvan did not write: read the text as plain Markdown.
        Err(_) => parse_segment(markdown, 1, 0, false).unwrap_or_default(),
    }
}

/// Draws the chart of an indicator (its key as the `::: chart indicator="…"` line names it):
/// the images, or why there is none (no data for that indicator).
pub type ChartMaker<'a> = &'a dyn Fn(&str) -> Result<Vec<Image>, String>;

/// Parse `markdown` into body blocks and phụ lục, refusing what [`read`] refuses; a
/// `::: chart` line is refused (no data to draw it from: see [`read_parts_with_charts`]).
pub fn read_parts(markdown: &str) -> Result<Parts, ReadError> {
    parse_parts_with(markdown, true, None)
}

/// [`read_parts`], with each `::: chart indicator="…"` line turned into the images `charts`
/// draws. Errors: as [`read_parts`], and the indicator's chart cannot be drawn (at its line).
pub fn read_parts_with_charts(markdown: &str, charts: ChartMaker<'_>) -> Result<Parts, ReadError> {
    parse_parts_with(markdown, true, Some(charts))
}

/// Parse `markdown` into body blocks and phụ lục; `strict` refuses unsupported constructs.
///
/// Errors (with the 1-based line of `markdown`): an unknown `:::` block, a `:::` closing
/// nothing, a block left open, `widths` that are not one positive number per column, a
/// landscape block inside another, a `^^` with no cell above it.
fn parse_parts_with(
    markdown: &str,
    strict: bool,
    charts: Option<ChartMaker<'_>>,
) -> Result<Parts, ReadError> {
    let mut appendices = Vec::new();
    let mut stack: Vec<Frame> = vec![Frame {
        kind: Fence::Root,
        line: 0,
        blocks: Vec::new(),
    }];
    let mut segment = String::new();
    let mut segment_line = 1;
    let mut segment_offset = 0;
    let mut offset = 0;
    let mut in_code = false;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        if in_code || !trimmed.starts_with(":::") {
            // A chart is a block: inside a table cell, a heading, a list item, bold text or a
            // sentence it would split them and print their pieces as text.
            if charts.is_some() && !in_code && line.contains("::: chart") {
                return Err(ReadError::Invalid(
                    Error::input("a chart stands on a line of its own")
                        .at_line(number)
                        .field("template")
                        .hint("write {{ chart(indicator=…) }} (or `::: chart indicator=\"…\"`) alone on its line, between paragraphs or after a table; never in a table cell, a heading, a list item, bold text or a sentence"),
                ));
            }
            if segment.is_empty() {
                segment_line = number;
                segment_offset = line_start;
            }
            segment.push_str(line);
            continue;
        }
        let blocks = parse_segment(&segment, segment_line, segment_offset, strict)?;
        segment.clear();
        if let Some(top) = stack.last_mut() {
            top.blocks.extend(blocks);
        }
        let directive = trimmed.trim_start_matches(':').trim();
        if directive.is_empty() {
            if stack.len() == 1 {
                return Err(ReadError::Invalid(
                    Error::input("`:::` closes no block")
                        .at_line(number)
                        .field("template")
                        .hint("every `::: name` line opens a block that one `:::` line closes"),
                ));
            }
            let frame = stack.pop().unwrap_or_else(|| unreachable!());
            if let Fence::Appendix {
                title,
                landscape,
                continue_pages,
                label,
                of,
            } = &frame.kind
            {
                appendices.push(AppendixSource {
                    title: title.clone(),
                    landscape: *landscape,
                    continue_pages: *continue_pages,
                    label: label.clone(),
                    of: of.clone(),
                    blocks: frame.blocks,
                });
                continue;
            }
            let done = frame.close()?;
            if let Some(parent) = stack.last_mut() {
                parent.blocks.extend(done);
            }
            continue;
        }
        let kind = Fence::read(directive, number)?;
        if kind == Fence::PageBreak {
            if let Some(parent) = stack.last_mut() {
                parent.blocks.push(Block::PageBreak);
            }
            continue;
        }
        if let Fence::Chart(indicator) = &kind {
            let Some(charts) = charts else {
                return Err(ReadError::Invalid(
                    Error::input("a chart where no data is")
                        .at_line(number)
                        .field("template")
                        .hint("charts belong in a letter's template, drawn from its [data]"),
                ));
            };
            let images = charts(indicator).map_err(|message| {
                Error::input(format!("cannot draw the chart: {message}"))
                    .at_line(number)
                    .field("indicator")
                    .hint("name an indicator with data: `::: chart indicator=\"ty_le_ho_so_truc_tuyen\"`, or {{ chart(indicator=ind.key) }} in a loop over `standings` (`congvan indicators` lists the keys)")
            })?;
            if let Some(parent) = stack.last_mut() {
                parent.blocks.extend(images.into_iter().map(Block::Image));
            }
            continue;
        }
        let in_appendix = stack
            .iter()
            .any(|f| matches!(f.kind, Fence::Appendix { .. }));
        if kind == Fence::Landscape && stack.iter().any(|f| f.kind == Fence::Landscape) {
            return Err(ReadError::Invalid(
                Error::input("a landscape block inside a landscape block")
                    .at_line(number)
                    .field("template")
                    .hint("close the first `::: landscape` with `:::` before opening another"),
            ));
        }
        if kind == Fence::Landscape && in_appendix {
            return Err(ReadError::Invalid(
                Error::input("a landscape block inside a phụ lục")
                    .at_line(number)
                    .field("template")
                    .hint("a phụ lục is landscape as a whole: `::: phu-luc landscape title=\"…\"`"),
            ));
        }
        if matches!(kind, Fence::Appendix { .. }) && stack.len() > 1 {
            return Err(ReadError::Invalid(Error::input("a phụ lục inside another block")
                .at_line(number)
                .field("template")
                .hint("open `::: phu-luc` at the top level of the template, outside other `:::` blocks")));
        }
        stack.push(Frame {
            kind,
            line: number,
            blocks: Vec::new(),
        });
    }
    let blocks = parse_segment(&segment, segment_line, segment_offset, strict)?;
    if let Some(top) = stack.last_mut() {
        top.blocks.extend(blocks);
    }
    if stack.len() > 1 {
        let open = &stack[stack.len() - 1];
        return Err(ReadError::Invalid(
            Error::input("a `:::` block is never closed")
                .at_line(open.line)
                .field("template")
                .hint("end the block with a line holding only `:::`"),
        ));
    }
    Ok(Parts {
        body: stack.pop().map(|f| f.blocks).unwrap_or_default(),
        appendices,
    })
}

/// A `:::` block being read.
struct Frame {
    kind: Fence,
    /// Line of its opening fence.
    line: usize,
    blocks: Vec<Block>,
}

/// The kinds of `:::` block.
#[derive(Debug, Clone, PartialEq)]
enum Fence {
    Root,
    PageBreak,
    /// `::: chart indicator="…"`: the indicator's key.
    Chart(String),
    Landscape,
    Align(Align),
    Widths(Vec<f32>),
    Appendix {
        title: String,
        landscape: bool,
        continue_pages: bool,
        label: Option<String>,
        of: Option<String>,
    },
}

/// The words of a fence line: bare words and `key="value"` pairs (the value may hold spaces).
fn fence_words(text: &str) -> Option<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = rest[..end].to_string();
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.strip_prefix('"')?;
            let close = after.find('"')?;
            out.push((key, Some(after[..close].to_string())));
            rest = after[close + 1..].trim_start();
        } else {
            out.push((key, None));
            rest = rest.trim_start();
        }
    }
    Some(out)
}

impl Fence {
    /// Read the words after `:::` on line `line`.
    fn read(directive: &str, line: usize) -> Result<Fence, Error> {
        let (name, rest) = directive
            .split_once(char::is_whitespace)
            .unwrap_or((directive, ""));
        let rest = rest.trim();
        let unknown = || {
            Error::input(format!("unknown block `::: {directive}`"))
                .at_line(line)
                .field("template")
                .hint(
                    "congvan knows `::: page-break`, `::: landscape`, `::: center`, \
                     `::: right`, `::: table widths=\"…\"`, `::: chart indicator=\"…\"` and \
                     `::: phu-luc title=\"…\" [landscape] [pages=\"continue\"] [label=\"…\"] [of=\"…\"]`, \
                     each closed by `:::` (page-break and chart are single lines)",
                )
        };
        let fence = match name {
            "page-break" => Fence::PageBreak,
            "chart" => match fence_words(rest).as_deref() {
                Some([(key, Some(indicator))]) if key == "indicator" && !indicator.is_empty() => {
                    return Ok(Fence::Chart(indicator.clone()))
                }
                _ => return Err(unknown()),
            },
            "landscape" => Fence::Landscape,
            "phu-luc" => {
                let words = fence_words(rest).ok_or_else(unknown)?;
                let mut title = String::new();
                let mut landscape = false;
                let mut continue_pages = false;
                let mut label = None;
                let mut of = None;
                for (key, value) in words {
                    match (key.as_str(), value) {
                        ("title", Some(v)) => title = text::nfc(&v).into_owned(),
                        ("label", Some(v)) => label = Some(text::nfc(&v).into_owned()),
                        ("of", Some(v)) => of = Some(text::nfc(&v).into_owned()),
                        ("landscape", None) => landscape = true,
                        ("pages", Some(v)) if v == "continue" => continue_pages = true,
                        ("pages", Some(v)) if v == "own" => continue_pages = false,
                        _ => return Err(unknown()),
                    }
                }
                return Ok(Fence::Appendix {
                    title,
                    landscape,
                    continue_pages,
                    label,
                    of,
                });
            }
            "center" => Fence::Align(Align::Center),
            "right" => Fence::Align(Align::Right),
            "table" => {
                let value = rest
                    .strip_prefix("widths=")
                    .map(|v| v.trim_matches('"'))
                    .ok_or_else(unknown)?;
                let widths: Option<Vec<f32>> = value
                    .split_whitespace()
                    .map(|w| w.parse::<f32>().ok().filter(|w| *w > 0.0 && w.is_finite()))
                    .collect();
                match widths {
                    Some(w) if !w.is_empty() => return Ok(Fence::Widths(w)),
                    _ => {
                        return Err(Error::input(format!("bad column widths `{value}`"))
                            .at_line(line)
                            .field("widths")
                            .hint("one positive number per column, e.g. widths=\"8 52 20 20\" (shares of the text width)"))
                    }
                }
            }
            _ => return Err(unknown()),
        };
        if rest.is_empty() {
            Ok(fence)
        } else {
            Err(unknown())
        }
    }
}

impl Frame {
    /// The blocks this frame leaves in its parent.
    fn close(self) -> Result<Vec<Block>, Error> {
        let line = self.line;
        match self.kind {
            Fence::Root | Fence::PageBreak | Fence::Chart(_) | Fence::Appendix { .. } => {
                Ok(self.blocks)
            }
            Fence::Landscape => Ok(vec![Block::Landscape(self.blocks)]),
            Fence::Align(align) => Ok(self
                .blocks
                .into_iter()
                .map(|b| match b {
                    Block::Paragraph(p) => Block::Paragraph(Paragraph { align, ..p }),
                    other => other,
                })
                .collect()),
            Fence::Widths(widths) => {
                let mut tables = 0;
                let mut out = Vec::new();
                for b in self.blocks {
                    match b {
                        Block::Table(t) => {
                            if t.aligns.len() != widths.len() {
                                return Err(Error::input(format!(
                                    "{} column widths for a table of {} columns",
                                    widths.len(),
                                    t.aligns.len()
                                ))
                                .at_line(line)
                                .field("widths")
                                .hint("give one width per column"));
                            }
                            tables += 1;
                            out.push(Block::Table(Table {
                                widths: Some(widths.clone()),
                                ..t
                            }));
                        }
                        other => out.push(other),
                    }
                }
                if tables == 0 {
                    return Err(Error::input("a `::: table` block holds no table")
                        .at_line(line)
                        .field("template")
                        .hint("put the pipe table between `::: table widths=\"…\"` and `:::`"));
                }
                Ok(out)
            }
        }
    }
}

/// Parse a run of plain Markdown lines starting at line `first_line` (1-based, of the whole
/// rendered body, whose byte offset the run starts at); `strict` refuses unsupported constructs.
fn parse_segment(
    markdown: &str,
    first_line: usize,
    first_byte: usize,
    strict: bool,
) -> Result<Vec<Block>, ReadError> {
    if markdown.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut reader = Reader::new(markdown);
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    for (event, range) in parser {
        reader.event(event, range);
        if let Some(u) = reader.unsupported.take() {
            if strict {
                return Err(ReadError::Unsupported(Unsupported {
                    what: u.what,
                    range: u.range.start + first_byte..u.range.end + first_byte,
                }));
            }
        }
        if let Some(offset) = reader.error.take() {
            let line = first_line + markdown[..offset].matches('\n').count();
            return Err(ReadError::Invalid(
                Error::input("`^^` continues a cell, but there is none above it")
                    .at_line(line)
                    .field("template")
                    .hint("`^^` merges a body cell with the cell above it; the first body row has none"),
            ));
        }
    }
    Ok(reader.blocks)
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
    /// The image being read (congvan's own Markdown only): its file and alt text.
    image: Option<(String, String)>,
    /// The first construct the writers cannot render.
    unsupported: Option<Unsupported>,
    /// Byte offset of a `^^` with nothing above it.
    error: Option<usize>,
}

struct TableBuilder {
    /// Column alignments as written (`None`: not given).
    written: Vec<Alignment>,
    head: Option<Vec<Vec<Inline>>>,
    rows: Vec<Vec<Vec<Inline>>>,
    merges: Vec<Vec<Merge>>,
    row: Vec<Vec<Inline>>,
    row_merges: Vec<Merge>,
    in_head: bool,
    /// The cell being read is `||` (empty, no space): covered by the span to its left.
    cell_is_span: bool,
    /// Byte offset of the cell being read.
    cell_start: usize,
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
            image: None,
            unsupported: None,
            error: None,
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
            // `<br>` is the one tag read: a line break inside a table cell.
            Event::InlineHtml(t) if is_line_break(&t) => self.runs.push(Inline::LineBreak),
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
                    written: aligns,
                    head: None,
                    rows: Vec::new(),
                    merges: Vec::new(),
                    row: Vec::new(),
                    row_merges: Vec::new(),
                    in_head: false,
                    cell_is_span: false,
                    cell_start: 0,
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
                    t.row_merges.clear();
                }
            }
            Tag::TableCell => {
                self.runs.clear();
                if let Some(t) = self.table.as_mut() {
                    t.cell_is_span = range.is_empty() && !t.in_head && !t.row.is_empty();
                    t.cell_start = range.start;
                }
            }
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
            // Refused in a template; in congvan's own .md, a chart's link to its PNG file.
            Tag::Image { dest_url, .. } => {
                self.refuse("an image", range);
                self.image = Some((dest_url.to_string(), String::new()));
            }
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
                let mut cell = trim_runs(std::mem::take(&mut self.runs));
                if let Some(t) = self.table.as_mut() {
                    let mut merge = Merge::Single;
                    if t.cell_is_span {
                        merge = Merge::Covered;
                        // The span grows from the last cell that is not covered.
                        if let Some(first) = t
                            .row_merges
                            .iter_mut()
                            .rev()
                            .find(|m| **m != Merge::Covered)
                        {
                            *first = match *first {
                                Merge::Span(n) => Merge::Span(n + 1),
                                _ => Merge::Span(2),
                            };
                        }
                    } else if !t.in_head && crate::doc::inlines_text(&cell) == "^^" {
                        if t.rows.is_empty() {
                            self.error = Some(t.cell_start);
                        }
                        merge = Merge::Up;
                        cell.clear();
                    }
                    t.row.push(cell);
                    t.row_merges.push(merge);
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
                        let merges = std::mem::take(&mut t.row_merges);
                        t.merges.push(merges);
                    }
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let width = t.written.len();
                    let fit = |mut row: Vec<Vec<Inline>>| {
                        row.resize(width, Vec::new());
                        row
                    };
                    let rows: Vec<_> = t.rows.into_iter().map(fit).collect();
                    let merges: Vec<Vec<Merge>> = t
                        .merges
                        .into_iter()
                        .map(|mut m| {
                            m.resize(width, Merge::Single);
                            m
                        })
                        .collect();
                    let merges = if merges.iter().flatten().all(|m| *m == Merge::Single) {
                        Vec::new()
                    } else {
                        merges
                    };
                    let mut table = Table {
                        aligns: Vec::new(),
                        widths: None,
                        head: t.head.map(fit),
                        rows,
                        merges,
                    };
                    table.aligns = t
                        .written
                        .iter()
                        .enumerate()
                        .map(|(col, a)| match a {
                            Alignment::None if is_number_column(&table, col) => Align::Right,
                            other => column_align(other),
                        })
                        .collect();
                    self.blocks.push(Block::Table(table));
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
            | TagEnd::MetadataBlock(_) => {}
            TagEnd::Image => {
                if let Some((file, alt)) = self.image.take() {
                    if self.table.is_none() {
                        self.flush_paragraph();
                        self.blocks.push(Block::Image(Image {
                            png: Vec::new(),
                            alt: text::nfc(&alt).into_owned(),
                            width_mm: 0.0,
                            height_mm: 0.0,
                            file,
                        }));
                    } else {
                        self.push_run(&text::nfc(&alt), false, false);
                    }
                }
            }
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
        if let Some((_, alt)) = self.image.as_mut() {
            alt.push_str(t);
            return;
        }
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

/// `<br>`, `<br/>` or `<br />`: a line break inside a table cell.
fn is_line_break(html: &str) -> bool {
    let tag: String = html.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(tag.to_ascii_lowercase().as_str(), "<br>" | "<br/>")
}

/// A column whose body cells (those not merged) all hold a number — "92,47%", "1.200", "-3,5"
/// — and at least one does: printed right-aligned when the template gives no alignment.
fn is_number_column(t: &Table, col: usize) -> bool {
    let mut any = false;
    for (r, row) in t.rows.iter().enumerate() {
        if t.merge(r, col) != Merge::Single {
            continue;
        }
        let text = row
            .get(col)
            .map(|c| crate::doc::inlines_text(c))
            .unwrap_or_default();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let numeric = text.chars().any(|c| c.is_ascii_digit())
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || ".,%+- \u{2212}\u{a0}".contains(c));
        if !numeric {
            return false;
        }
        any = true;
    }
    any
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
                Block::PageBreak => "<page-break>".to_string(),
                Block::Landscape(_) => "<landscape>".to_string(),
                Block::Image(i) => format!("<image {}>", i.alt),
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
    fn table_of(md: &str) -> Table {
        match parse(md).into_iter().next() {
            Some(Block::Table(t)) => t,
            other => panic!("no table: {other:?}"),
        }
    }

    #[test]
    fn multimarkdown_spans_and_vertical_merges() {
        let t = table_of(
            "| TT | Nội dung | Chủ trì |\n|--|--|--|\n| I. CHỈ ĐẠO |||\n| 1 | Rà soát | Sở Nội vụ |\n| 2 | Tuyên truyền | ^^ |\n| 3 | Báo cáo | ^^ |\n",
        );
        assert_eq!(t.merge(0, 0), Merge::Span(3));
        assert_eq!(t.merge(0, 1), Merge::Covered);
        assert_eq!(t.merge(0, 2), Merge::Covered);
        assert_eq!(t.merge(1, 2), Merge::Single);
        assert_eq!(t.merge(2, 2), Merge::Up);
        assert_eq!(t.merge(3, 2), Merge::Up);
        assert!(t.rows[2][2].is_empty(), "a continued cell holds nothing");
        assert_eq!(inlines_text(&t.rows[0][0]), "I. CHỈ ĐẠO");
        // A two-column span in the middle of a row.
        let t = table_of("| a | b | c | d |\n|--|--|--|--|\n| 1 | x || 4 |\n");
        assert_eq!(
            t.merges[0],
            [Merge::Single, Merge::Span(2), Merge::Covered, Merge::Single]
        );
        // No merge at all leaves `merges` empty.
        assert!(table_of("| a | b |\n|--|--|\n| 1 | |\n").merges.is_empty());
    }

    #[test]
    fn br_breaks_a_line_in_a_cell() {
        let t = table_of("| Nội dung |\n|--|\n| Các sở:<br>- Sở A<br/>- Sở B |\n");
        assert_eq!(inlines_text(&t.rows[0][0]), "Các sở:\n- Sở A\n- Sở B");
    }

    #[test]
    fn number_columns_without_alignment_are_right_aligned() {
        let t = table_of(
            "| STT | Đơn vị | Tỷ lệ | Số hồ sơ |\n|:-:|--|--|--|\n| 1 | Sở Y tế | 92,47% | 1.200 |\n| 2 | Sở Tư pháp | | -3,5 |\n",
        );
        assert_eq!(
            t.aligns,
            [Align::Center, Align::Left, Align::Right, Align::Right]
        );
        // An explicit left alignment is kept.
        let t = table_of("| Tỷ lệ |\n|:--|\n| 92,47% |\n");
        assert_eq!(t.aligns, [Align::Left]);
    }

    #[test]
    fn fences_make_page_breaks_landscape_and_aligned_paragraphs() {
        let md = "Trước\n\n::: page-break\n\n::: landscape\n\n| a | b |\n|--|--|\n| 1 | 2 |\n\n:::\n\n::: center\n\nGiữa\n\n:::\n\n::: right\n\nPhải\n\n:::\n";
        let blocks = read(md).unwrap();
        assert_eq!(blocks.len(), 5, "{blocks:?}");
        assert_eq!(blocks[1], Block::PageBreak);
        assert!(
            matches!(&blocks[2], Block::Landscape(inner) if matches!(inner[..], [Block::Table(_)]))
        );
        let aligns: Vec<Align> = blocks[3..]
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.align,
                _ => panic!("not a paragraph"),
            })
            .collect();
        assert_eq!(aligns, [Align::Center, Align::Right]);
    }

    #[test]
    fn table_fence_gives_explicit_widths() {
        let t = table_of(
            "::: table widths=\"8 52 40\"\n| a | b | c |\n|--|--|--|\n| 1 | 2 | 3 |\n:::\n",
        );
        assert_eq!(t.widths, Some(vec![8.0, 52.0, 40.0]));
    }

    #[test]
    fn bad_fences_are_errors_at_their_line() {
        let line_of = |md: &str| {
            let Err(ReadError::Invalid(e)) = read(md) else {
                panic!("{md}: not refused")
            };
            (e.location.and_then(|l| l.line), e.message)
        };
        let (line, msg) = line_of("a\n\n::: sidebar\n\nb\n\n:::\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("unknown block"), "{msg}");
        assert_eq!(line_of("a\n\n:::\n").0, Some(3));
        let (line, msg) = line_of("a\n\n::: landscape\n\nb\n");
        assert_eq!(line, Some(3));
        assert!(msg.contains("never closed"), "{msg}");
        let (line, msg) = line_of("::: table widths=\"10 90\"\n| a | b | c |\n|--|--|--|\n:::\n");
        assert_eq!(line, Some(1));
        assert!(msg.contains("2 column widths for a table of 3"), "{msg}");
        assert_eq!(line_of("::: table widths=\"10 x\"\n:::\n").0, Some(1));
        assert_eq!(
            line_of("::: table widths=\"10\"\nkhông có bảng\n:::\n").0,
            Some(1)
        );
        let (line, _) = line_of("::: landscape\n::: landscape\n:::\n:::\n");
        assert_eq!(line, Some(2));
        let (line, msg) = line_of("Bảng:\n\n| a | b |\n|--|--|\n| ^^ | 1 |\n");
        assert_eq!(line, Some(5));
        assert!(msg.contains("^^"), "{msg}");
    }

    #[test]
    fn unsupported_constructs_inside_blocks_are_refused_at_their_offset() {
        let md = "Một.\n\n::: center\n\n> trích\n\n:::\n";
        let Err(ReadError::Unsupported(u)) = read(md) else {
            panic!("a quote inside a block is not refused")
        };
        assert_eq!(&md[u.range.start..u.range.start + 1], ">");
        // Other HTML than <br> is still refused, inside a table too.
        assert!(read("| a |\n|--|\n| x<b>y</b> |\n").is_err());
        assert!(read("| a |\n|--|\n| x<br>y |\n").is_ok());
    }
}
