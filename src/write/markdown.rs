//! The Markdown writer: the Document as CommonMark that reads well as plain text, one printed
//! line per paragraph, in the same order as the .docx, with numbering kept literal.

use crate::doc::{Align, Block, Document, Heading, Inline, Table};
use crate::markdown_escape::escape;

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
    for block in &doc.body {
        match block {
            Block::Paragraph(p) => out.line(&inlines(&p.inlines)),
            Block::Table(t) => out.line(&table(t)),
        }
    }
    out.line(&strong_emphasis(&doc.closing.receivers_label));
    for r in &doc.closing.receivers {
        out.line(&plain(r));
    }
    for a in &doc.closing.authority {
        out.line(&strong(a));
    }
    if !doc.closing.signer.is_empty() {
        out.line(&strong(&doc.closing.signer));
    }
    out.text
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
    guard_line_start(&escape(text))
}

fn strong(text: &str) -> String {
    wrap(&escape(text), "**")
}

fn emphasis(text: &str) -> String {
    wrap(&escape(text), "*")
}

fn strong_emphasis(text: &str) -> String {
    wrap(&escape(text), "***")
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
fn inlines(runs: &[Inline]) -> String {
    let mut out = String::new();
    for run in runs {
        match run {
            Inline::Text { text, bold, italic } => {
                let escaped = escape(text);
                out.push_str(&match (bold, italic) {
                    (false, false) => escaped,
                    (true, false) => wrap(&escaped, "**"),
                    (false, true) => wrap(&escaped, "*"),
                    (true, true) => wrap(&escaped, "***"),
                });
            }
            Inline::LineBreak => out.push_str("\\\n"),
        }
    }
    guard_line_start(&out)
}

/// Escape what would make the start of a line a list item, heading, quote or rule:
/// "1." → "1\.", "3)" → "3\)", "- " → "\- ", "+ " → "\+ ", "=" / "-" rules.
fn guard_line_start(line: &str) -> String {
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

fn table(t: &Table) -> String {
    let row = |cells: &[Vec<Inline>]| {
        let cells: Vec<String> = cells.iter().map(|c| inlines_in_cell(c)).collect();
        format!("| {} |", cells.join(" | "))
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
    lines.extend(t.rows.iter().map(|r| row(r)));
    lines.join("\n")
}

/// A cell's runs; line breaks become spaces (a pipe-table cell is one line).
fn inlines_in_cell(runs: &[Inline]) -> String {
    let flat: Vec<Inline> = runs
        .iter()
        .map(|r| match r {
            Inline::LineBreak => Inline::plain(" "),
            other => other.clone(),
        })
        .collect();
    inlines(&flat)
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
    fn emphasis_keeps_spaces_outside() {
        assert_eq!(wrap(" Sở Tư pháp ", "**"), " **Sở Tư pháp** ");
        assert_eq!(wrap("  ", "**"), "  ");
    }
}
