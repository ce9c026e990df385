//! Escaping text for Markdown: the Tera autoescaper and every helper that inserts a unit or
//! indicator name into Markdown it builds itself (e.g. the lagging lists in **bold**).

/// ASCII characters that mean something in Markdown and are backslash-escaped.
pub const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '&', '~'];

/// `text` with every Markdown-special ASCII character backslash-escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
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
    use super::*;

    #[test]
    fn escapes_specials_and_keeps_vietnamese() {
        assert_eq!(escape("Sở Tư pháp"), "Sở Tư pháp");
        assert_eq!(
            escape("a*b_c [x] <y> |#&~ `\\"),
            "a\\*b\\_c \\[x\\] \\<y\\> \\|\\#\\&\\~ \\`\\\\"
        );
    }
}
