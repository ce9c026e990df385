//! Escaping text so Markdown shows it literally: the one escaper used by the template
//! (autoescape of every `{{ value }}`) and by the Markdown writer.

/// ASCII characters that can start or end Markdown syntax inside a line.
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '&', '~', '!',
];

/// `text` with every Markdown-special character backslash-escaped, so a CommonMark parser
/// gives back exactly `text`. Line starts that would read as list markers or headings are
/// handled by the writers, which know where lines start.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
}
