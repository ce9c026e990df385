//! The Markdown writer: the Document as CommonMark that reads well as plain text, one printed
//! line per paragraph, in the same order as the .docx, with numbering kept literal.

use crate::doc::{Align, Block, Document, Heading, Inline, Merge, Table};
use crate::markdown::escape::escape;

/// The whole document as Markdown.
pub fn write(doc: &Document) -> String {
    let mut out = Writer::default();
    let h = &doc.header;
    for line in &h.parent_body {
        out.line(&plain(line));
    }
    for line in &h.issuing_body {
        out.line(&strong(line));
    }
    out.line(&strong(&h.national_title));
    out.line(&strong(&h.motto));
    out.line(&plain(&h.number_line));
    if let Heading::Letter { subject } = &doc.heading {
        out.line(&plain(subject));
    }
    out.line(&emphasis(&h.place_date_line));
    if let Heading::Titled { title, subject } = &doc.heading {
        out.line(&strong(title));
        if !subject.is_empty() {
            out.line(&strong(subject));
        }
    }
    if let Some(a) = &doc.addressees {
        if let [only] = a.items.as_slice() {
            out.line(&plain(&format!("{} {only}", a.label)));
        } else {
            out.line(&plain(&a.label));
            for item in &a.items {
                out.line(&plain(item));
            }
        }
    }
    body(&mut out, &doc.body);
    let c = &doc.closing;
    let signature = |out: &mut Writer, authority: &[String], signer: &str| {
        for a in authority {
            out.line(&strong(a));
        }
        if !signer.is_empty() {
            out.line(&strong(signer));
        }
    };
    let receivers = |out: &mut Writer| {
        out.line(&strong_emphasis(&c.receivers_label));
        for r in &c.receivers {
            out.line(&plain(r));
        }
    };
    // In the .docx's reading order: a joint document's two signatures, then Nơi nhận.
    match &c.co_signature {
        Some(co) => {
            signature(&mut out, &co.authority, &co.signer);
            signature(&mut out, &c.authority, &c.signer);
            receivers(&mut out);
        }
        None => {
            receivers(&mut out);
            signature(&mut out, &c.authority, &c.signer);
        }
    }
    for a in &doc.appendices {
        out.line("::: page-break");
        out.line("::: center");
        out.line(&strong(&a.label));
        if !a.title.is_empty() {
            out.line(&strong(&a.title));
        }
        out.line(&emphasis(&a.note));
        out.line(":::");
        if a.landscape {
            out.line("::: landscape");
            body(&mut out, &a.blocks);
            out.line(":::");
        } else {
            body(&mut out, &a.blocks);
        }
    }
    out.text
}

/// Body blocks; page breaks and landscape pages are written as the `:::` fences the reader
/// knows, so the twin reads back to the same blocks.
fn body(out: &mut Writer, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Paragraph(p) => match p.align {
                Align::Center | Align::Right => {
                    let fence = if p.align == Align::Center {
                        "center"
                    } else {
                        "right"
                    };
                    out.line(&format!("::: {fence}\n\n{}\n\n:::", inlines(&p.inlines)));
                }
                Align::Justify | Align::Left => out.line(&inlines(&p.inlines)),
            },
            Block::Table(t) => match &t.widths {
                Some(w) => {
                    let w: Vec<String> = w.iter().map(|x| x.to_string()).collect();
                    out.line(&format!(
                        "::: table widths=\"{}\"\n\n{}\n\n:::",
                        w.join(" "),
                        table(t)
                    ))
                }
                None => out.line(&table(t)),
            },
            Block::PageBreak => out.line("::: page-break"),
            // The PNG is written beside the .md under this name (pipeline::outputs).
            Block::Image(i) => out.line(&format!("![{}]({})", escape(&i.alt), i.file)),
            Block::Landscape(inner) => {
                out.line("::: landscape");
                body(out, inner);
                out.line(":::");
            }
        }
    }
}

#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    /// One paragraph, separated from the previous by a blank line.
    fn line(&mut self, markdown: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(markdown);
        self.text.push('\n');
    }
}

/// Text that must come back word for word, with a line start that cannot read as a list
/// marker, heading, quote or rule.
fn plain(text: &str) -> String {
    by_line(text, |l| guard_line_start(&escape(l)))
}

fn strong(text: &str) -> String {
    by_line(text, |l| wrap(&escape(l), "**"))
}

fn emphasis(text: &str) -> String {
    by_line(text, |l| wrap(&escape(l), "*"))
}

fn strong_emphasis(text: &str) -> String {
    by_line(text, |l| wrap(&escape(l), "***"))
}

/// A header field typed with line breaks (a trích yếu on two lines) keeps them as hard breaks
/// ("\\" at the end of a line), each line written by `write`.
fn by_line(text: &str, write: impl Fn(&str) -> String) -> String {
    let text = text.replace("\r\n", "\n");
    text.split(crate::text::is_line_break)
        .map(|l| write(l.trim()))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\\\n")
}

/// Wrap `escaped` in `marker`, keeping surrounding white space outside so it still delimits.
fn wrap(escaped: &str, marker: &str) -> String {
    let inner = escaped.trim();
    if inner.is_empty() {
        return escaped.to_string();
    }
    let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
    let trail = &escaped[escaped.trim_end().len()..];
    format!("{lead}{marker}{inner}{marker}{trail}")
}

/// Paragraph runs with their emphasis.
///
/// Runs with the same emphasis are merged, and line breaks at the ends dropped (the reader
/// trims them). Emphasis delimiters only open and close in CommonMark when they "flank" the
/// text: `**65,52%**b` is not bold, because the closing `**` has punctuation on one side and a
/// letter on the other. Wherever that happens the letter is written as a numeric character
/// reference (`**65,52%**&#98;`), which reads back as the same letter but counts as
/// punctuation for flanking. Every line start (also after a hard break) is guarded.
fn inlines(runs: &[Inline]) -> String {
    enum Token {
        Text(String),
        /// An emphasis delimiter: opening or not, its character (`*` or `_`), its length.
        Marker(bool, char, usize),
        Break,
    }
    let mut merged: Vec<Inline> = Vec::with_capacity(runs.len());
    for run in runs {
        match (merged.last_mut(), run) {
            (
                Some(Inline::Text { text, bold, italic }),
                Inline::Text {
                    text: t,
                    bold: b,
                    italic: i,
                },
            ) if bold == b && italic == i => text.push_str(t),
            _ => merged.push(run.clone()),
        }
    }
    while matches!(merged.last(), Some(Inline::LineBreak)) {
        merged.pop();
    }
    while matches!(merged.first(), Some(Inline::LineBreak)) {
        merged.remove(0);
    }
    let mut tokens: Vec<Token> = Vec::new();
    for run in &merged {
        match run {
            Inline::Text { text, bold, italic } => {
                let escaped = escape(text);
                let marker = match (bold, italic) {
                    (false, false) => 0,
                    (true, false) => 2,
                    (false, true) => 1,
                    (true, true) => 3,
                };
                let inner = escaped.trim();
                if marker == 0 || inner.is_empty() {
                    tokens.push(Token::Text(escaped));
                    continue;
                }
                let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
                let trail = &escaped[escaped.trim_end().len()..];
                tokens.push(Token::Text(lead.to_string()));
                tokens.push(Token::Marker(true, '*', marker));
                tokens.push(Token::Text(inner.to_string()));
                tokens.push(Token::Marker(false, '*', marker));
                tokens.push(Token::Text(trail.to_string()));
            }
            Inline::LineBreak => tokens.push(Token::Break),
            Inline::Link { text, url } => tokens.push(Token::Text(format!(
                "[{}]({})",
                escape(text),
                link_destination(url)
            ))),
        }
    }
    tokens.retain(|t| !matches!(t, Token::Text(s) if s.is_empty()));
    // Where one run closes and the next opens with nothing between, the two delimiter runs
    // would merge (`*a****b**`); the opening one switches to the other character (`*a*__b__`).
    let mut i = 0;
    while i < tokens.len() {
        let closer = match tokens[i] {
            Token::Marker(false, c, _) => c,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        while let Some(Token::Marker(..)) = tokens.get(j) {
            j += 1;
        }
        let other = if closer == '*' { '_' } else { '*' };
        for k in i + 1..j {
            if let Token::Marker(true, c, _) = &mut tokens[k] {
                *c = other;
                let close =
                    (k + 1..tokens.len()).find(|n| matches!(tokens[*n], Token::Marker(false, ..)));
                if let Some(Token::Marker(false, c, _)) = close.and_then(|n| tokens.get_mut(n)) {
                    *c = other;
                }
            }
        }
        i = j;
    }
    // Make every group of touching markers flank: a letter facing punctuation across it becomes
    // a character reference.
    let mut i = 0;
    while i < tokens.len() {
        if !matches!(tokens[i], Token::Marker(..)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while matches!(tokens.get(j), Some(Token::Marker(..))) {
            j += 1;
        }
        // The nearest non-empty text on each side (empty texts are the runs' white space).
        let before = (0..i)
            .rev()
            .take_while(|k| matches!(&tokens[*k], Token::Text(_)))
            .find(|k| matches!(&tokens[*k], Token::Text(t) if !t.is_empty()));
        let after = (j..tokens.len())
            .take_while(|k| matches!(&tokens[*k], Token::Text(_)))
            .find(|k| matches!(&tokens[*k], Token::Text(t) if !t.is_empty()));
        let left = before.and_then(|k| match &tokens[k] {
            Token::Text(t) => t.chars().next_back(),
            _ => None,
        });
        let right = after.and_then(|k| match &tokens[k] {
            Token::Text(t) => t.chars().next(),
            _ => None,
        });
        let is_punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
        // `_` neither opens nor closes between two letters (intraword).
        let underscore = tokens[i..j]
            .iter()
            .any(|t| matches!(t, Token::Marker(_, '_', _)));
        // A closer must be right-flanking (fails with punctuation before and a letter after);
        // an opener left-flanking (fails with a letter before and punctuation after).
        let opens = tokens[i..j]
            .iter()
            .any(|t| matches!(t, Token::Marker(true, ..)));
        let closes = tokens[i..j]
            .iter()
            .any(|t| matches!(t, Token::Marker(false, ..)));
        match (left, right) {
            (Some(l), Some(r))
                if r.is_alphanumeric()
                    && ((closes && is_punct(l)) || (underscore && l.is_alphanumeric())) =>
            {
                if let Some(Token::Text(t)) = after.and_then(|k| tokens.get_mut(k)) {
                    let rest = t[r.len_utf8()..].to_string();
                    *t = format!("&#{};{rest}", u32::from(r));
                }
            }
            (Some(l), Some(r)) if opens && l.is_alphanumeric() && is_punct(r) => {
                if let Some(Token::Text(t)) = before.and_then(|k| tokens.get_mut(k)) {
                    let keep = t[..t.len() - l.len_utf8()].to_string();
                    *t = format!("{keep}&#{};", u32::from(l));
                }
            }
            _ => {}
        }
        i = j;
    }
    let mut out = String::new();
    let mut line_start = true;
    for token in &tokens {
        match token {
            Token::Text(t) if line_start => {
                let guarded = guard_line_start(t);
                line_start = guarded.is_empty();
                out.push_str(&guarded);
            }
            Token::Text(t) => out.push_str(t),
            Token::Marker(_, c, n) => {
                line_start = false;
                out.extend(std::iter::repeat_n(*c, *n));
            }
            Token::Break => {
                out.push_str("\\\n");
                line_start = true;
            }
        }
    }
    out
}

/// A link destination as CommonMark reads it back: in `<…>` when it holds spaces or
/// parentheses, with `<`, `>` and `\\` escaped.
fn link_destination(url: &str) -> String {
    let escaped = url
        .replace('\\', "\\\\")
        .replace('<', "\\<")
        .replace('>', "\\>");
    if url.contains([' ', '(', ')']) || url.is_empty() {
        format!("<{escaped}>")
    } else {
        escaped
    }
}

/// Escape what would make the start of a line a list item, heading, quote or rule:
/// "1." → "1\.", "3)" → "3\)", "- " → "\- ", "+ " → "\+ ", "=" / "-" rules.
fn guard_line_start(line: &str) -> String {
    // Leading white space is dropped (the reader trims it; four spaces would start a code block).
    let line = line.trim_start();
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        let mut chars = rest.chars();
        if let Some(delim @ ('.' | ')')) = chars.next() {
            if chars.next().is_none_or(char::is_whitespace) {
                return format!("{}\\{delim}{}", &line[..digits], &rest[1..]);
            }
        }
    }
    match line.chars().next() {
        Some(c @ ('-' | '+' | '=')) => format!("\\{c}{}", &line[1..]),
        _ => line.to_string(),
    }
}

/// A pipe table; merged cells in MultiMarkdown 6 syntax (`||` spans, `^^` continues the
/// cell above), which congvan reads back.
fn table(t: &Table) -> String {
    let row = |cells: &[Vec<Inline>]| {
        let cells: Vec<String> = cells.iter().map(|c| inlines_in_cell(c)).collect();
        format!("| {} |", cells.join(" | "))
    };
    let body_row = |r: usize, cells: &[Vec<Inline>]| {
        let mut line = String::from("|");
        for (c, cell) in cells.iter().enumerate() {
            match t.merge(r, c) {
                Merge::Covered => line.push('|'),
                Merge::Up => line.push_str(" ^^ |"),
                Merge::Single | Merge::Span(_) => {
                    line.push_str(&format!(" {} |", inlines_in_cell(cell)))
                }
            }
        }
        line
    };
    let empty: Vec<Vec<Inline>> = vec![Vec::new(); t.aligns.len()];
    let mut lines = vec![row(t.head.as_deref().unwrap_or(&empty))];
    let rule: Vec<&str> = t
        .aligns
        .iter()
        .map(|a| match a {
            Align::Left | Align::Justify => ":--",
            Align::Center => ":-:",
            Align::Right => "--:",
        })
        .collect();
    lines.push(format!("| {} |", rule.join(" | ")));
    lines.extend(t.rows.iter().enumerate().map(|(i, r)| body_row(i, r)));
    lines.join("\n")
}

/// A cell's runs on one line (a pipe-table cell is one line), line breaks as `<br>`.
/// A cell is inline text, so a "- " line needs no block guard there.
fn inlines_in_cell(runs: &[Inline]) -> String {
    runs.split(|r| *r == Inline::LineBreak)
        .map(|line| {
            let text = inlines(line);
            match text.strip_prefix('\\') {
                Some(rest) if rest.starts_with(['-', '+']) => rest.to_string(),
                _ => text,
            }
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_are_guarded() {
        assert_eq!(guard_line_start("1. Giao"), "1\\. Giao");
        assert_eq!(guard_line_start("3.1. Đối với"), "3.1. Đối với");
        assert_eq!(guard_line_start("2024. năm"), "2024\\. năm");
        assert_eq!(guard_line_start("- Như trên;"), "\\- Như trên;");
        assert_eq!(guard_line_start("a) Khối"), "a) Khối");
        assert_eq!(guard_line_start("12345678901. x"), "12345678901. x");
    }

    #[test]
    fn bold_before_punctuation_needs_no_character_reference() {
        let runs = [
            Inline::Text {
                text: "trước ngày 20/8/2024".into(),
                bold: true,
                italic: false,
            },
            Inline::plain("."),
        ];
        assert_eq!(inlines(&runs), "**trước ngày 20/8/2024**.");
        let runs = [
            Inline::Text {
                text: "65,52%".into(),
                bold: true,
                italic: false,
            },
            Inline::plain("b"),
        ];
        assert_eq!(inlines(&runs), "**65,52%**&#98;");
    }

    #[test]
    fn emphasis_keeps_spaces_outside() {
        assert_eq!(wrap(" Sở Tư pháp ", "**"), " **Sở Tư pháp** ");
        assert_eq!(wrap("  ", "**"), "  ");
    }
}
