//! Escaping text so Markdown shows it literally: the one escaper used by the template
//! (autoescape of every `{{ value }}`) and by the Markdown writer.

/// ASCII characters that can start or end Markdown syntax inside a line.
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '&', '~', '!',
];

/// `text` with every Markdown-special character backslash-escaped, so a CommonMark parser
/// gives back exactly `text` inside one paragraph: a line break (LF, CR, U+000B, U+2028 …) or a
/// tab becomes a space, a character XML forbids becomes U+FFFD (sources refuse them first), and
/// a start that could open a block (`- `, `+ `, `===`, `1.`, `3)`) is escaped too, since a value
/// may be the first thing on a template line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last_break = false;
    for c in text.chars() {
        if crate::text::is_line_break(c) {
            // CRLF and blank lines in a value are one space.
            if !last_break {
                out.push(' ');
            }
            last_break = true;
            continue;
        }
        last_break = false;
        if c == '\t' {
            out.push(' ');
        } else if crate::text::xml_forbidden(c) {
            out.push('\u{fffd}');
        } else {
            if SPECIAL.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    guard_start(out)
}

/// Escape a block-opening start of an escaped value: "- x", "+ x", "=", "1. x", "3) x".
fn guard_start(escaped: String) -> String {
    let lead = escaped.len() - escaped.trim_start().len();
    let body = &escaped[lead..];
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &body[digits..];
        let mut chars = rest.chars();
        if let Some(delim @ ('.' | ')')) = chars.next() {
            if chars.next().is_none_or(char::is_whitespace) {
                return format!(
                    "{}{}\\{delim}{}",
                    &escaped[..lead],
                    &body[..digits],
                    &rest[1..]
                );
            }
        }
    }
    match body.chars().next() {
        Some('-' | '+' | '=') => format!("{}\\{body}", &escaped[..lead]),
        _ => escaped,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_specials_only() {
        assert_eq!(super::escape("NC&KTGS"), "NC\\&KTGS");
        assert_eq!(
            super::escape("a*b_c [d] <e> |f| #g `h` \\"),
            "a\\*b\\_c \\[d\\] \\<e\\> \\|f\\| \\#g \\`h\\` \\\\"
        );
        assert_eq!(super::escape("Sở Tư pháp 89,22%"), "Sở Tư pháp 89,22%");
    }

    #[test]
    fn trust_markup_line_breaks_and_block_starts_stay_text() {
        assert_eq!(
            super::escape("Trung tâm\r\n- Chi nhánh 2"),
            "Trung tâm - Chi nhánh 2"
        );
        assert_eq!(super::escape("a\u{b}b\u{2028}c"), "a b c");
        assert_eq!(super::escape("- x"), "\\- x");
        assert_eq!(super::escape("=== x"), "\\=== x");
        assert_eq!(super::escape("1. x"), "1\\. x");
        assert_eq!(super::escape("3) x"), "3\\) x");
        assert_eq!(super::escape("3.1. x"), "3.1. x");
        assert_eq!(super::escape("a\u{1}b"), "a\u{fffd}b");
    }
}
