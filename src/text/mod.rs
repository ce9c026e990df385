//! Text on the way in: UTF-8 decoding with a clear error, NFC normalisation, and the characters
//! XML forbids. Everything inside congvan is NFC; readers call these on every string they take in.

pub mod encoding;
pub mod names;
pub mod numbers;

use std::borrow::Cow;
use std::path::Path;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::diag::{Error, Result};

/// `s` in NFC, borrowing when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.chars().all(plainly_nfc) {
        return Cow::Borrowed(s);
    }
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => Cow::Borrowed(s),
        _ => Cow::Owned(s.nfc().collect()),
    }
}

/// Whether `c` leaves any text NFC whatever stands around it: below U+0300 (ASCII, Latin-1,
/// Latin Extended-A/B: no combining mark, no character NFC replaces) or a precomposed letter
/// of Latin Extended Additional (U+1E00–U+1EFF: Vietnamese "ạ", "ế", "ữ"). Unicode's
/// NFC_Quick_Check is Yes and the combining class 0 for all of them, so a text made only of
/// them is NFC without the table lookups of the full quick check.
fn plainly_nfc(c: char) -> bool {
    (c as u32) < 0x300 || ('\u{1e00}'..='\u{1eff}').contains(&c)
}

/// `s` in NFC, owned.
pub fn nfc_string(s: &str) -> String {
    nfc(s).into_owned()
}

/// Whether XML 1.0 forbids `c` in text (U+0000–U+001F except tab, LF and CR; U+FFFE, U+FFFF):
/// such a character written raw makes the .docx unreadable (XML 1.0 § 2.2 Char).
pub fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Whether `c` breaks a line: LF, CR, U+000B (what Word's Shift+Enter leaves in text pasted
/// into Excel), NEL and the Unicode line and paragraph separators.
pub fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{b}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// The first character of `s` that XML forbids and that is not a line break (U+000B counts
/// as one): its 0-based character index and the character. Sources refuse such text.
pub fn first_forbidden(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| xml_forbidden(*c) && !is_line_break(*c))
}

/// How an error names a control character: "U+0001".
pub fn char_name(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Decode a whole file: UTF-8 with an optional BOM, normalised to NFC.
/// Anything else is an error naming the line and column of the first bad byte.
pub fn decode_utf8(bytes: &[u8], path: &Path) -> Result<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(nfc_string(s)),
        Err(e) => Err(not_utf8(body, e.valid_up_to(), path)),
    }
}

/// The error for a file that is not UTF-8: where, and what it looks like instead.
pub fn not_utf8(body: &[u8], valid_up_to: usize, path: &Path) -> Error {
    let valid_up_to = valid_up_to.min(body.len());
    let before = &body[..valid_up_to];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&body[line_start..valid_up_to])
        .chars()
        .count()
        + 1;
    let line_end = body[valid_up_to..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(body.len(), |i| valid_up_to + i);
    let line_bytes = &body[line_start..line_end];
    let line_bytes = line_bytes.strip_suffix(b"\r").unwrap_or(line_bytes);
    let guess = crate::text::encoding::guess(body);
    let (message, shown) = match guess {
        Some(name) => (
            format!("file is not UTF-8; it looks like {name}"),
            crate::text::encoding::decode(name, line_bytes),
        ),
        None => (
            "file is not UTF-8".to_string(),
            String::from_utf8_lossy(line_bytes).into_owned(),
        ),
    };
    Error::input(message)
        .in_file(path)
        .at(line, column)
        .source_line(shown)
        .hint(crate::text::encoding::conversion_hint(guess))
}

/// A safe file stem from any text: Vietnamese folded to ASCII ("Đồ Sơn" → "do-son"), every run
/// of other characters turned into one '-', so no separators, no "..", no reserved device
/// names (CON, NUL, COM1 …), at most 100 characters, never empty.
pub fn file_stem(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if ('\u{300}'..='\u{36f}').contains(&c) => continue,
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(100);
    let mut out = out.trim_end_matches('-').to_string();
    const RESERVED: &[&str] = &["con", "prn", "aux", "nul"];
    let device = RESERVED.contains(&out.as_str())
        || (out.len() == 4
            && (out.starts_with("com") || out.starts_with("lpt"))
            && out.as_bytes()[3].is_ascii_digit());
    if device {
        out.push_str("-file");
    }
    if out.is_empty() {
        out.push_str("letter");
    }
    out
}

/// The entry of `candidates` closest to `word` by edit distance, if close enough to suggest.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path of [`nfc`] takes only characters Unicode's own quick check passes with
    /// combining class 0, so it can never borrow a text the full check would normalise.
    #[test]
    fn plainly_nfc_characters_pass_the_unicode_quick_check() {
        let mut checked = 0;
        for c in (0..0x2000u32)
            .filter_map(char::from_u32)
            .filter(|c| plainly_nfc(*c))
        {
            assert!(
                matches!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                unicode_normalization::char::canonical_combining_class(c),
                0,
                "U+{:04X}",
                c as u32
            );
            checked += 1;
        }
        assert_eq!(checked, 0x300 + 0x100);
        assert!(
            !plainly_nfc('\u{301}'),
            "a combining acute is no plain character"
        );
        assert_eq!(nfc("Ha\u{300}"), "Hà");
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd = "Thu\u{309}y Nguye\u{302}n"; // "Thủy Nguyên" decomposed
        assert_eq!(nfc(nfd), "Thủy Nguyên");
        assert!(matches!(nfc("Thủy"), Cow::Borrowed(_)));
    }

    #[test]
    fn decode_drops_bom_and_reports_bad_byte() {
        let ok = decode_utf8(b"\xEF\xBB\xBFa;b", Path::new("x.csv"));
        assert_eq!(ok.ok().as_deref(), Some("a;b"));
        let err = decode_utf8(b"unit;value\nS\xe1;1", Path::new("x.csv")).err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("x.csv:2:2: file is not UTF-8"), "{err}");
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("cong-van-dvc-2024-07"), "cong-van-dvc-2024-07");
        assert_eq!(
            file_stem("nhắc nhở - phường Đồ Sơn"),
            "nhac-nho-phuong-do-son"
        );
        assert_eq!(file_stem("../x"), "x");
        assert_eq!(file_stem("a/b\\c"), "a-b-c");
        assert_eq!(file_stem("CON"), "con-file");
        assert_eq!(file_stem("com1"), "com1-file");
        assert_eq!(file_stem(""), "letter");
        assert_eq!(file_stem("..."), "letter");
        assert_eq!(file_stem(&"ư".repeat(300)).len(), 100);
    }

    #[test]
    fn suggests_close_keys_only() {
        assert_eq!(
            closest("recipent", &["recipients", "copies"]),
            Some("recipients")
        );
        assert_eq!(closest("zzzzzz", &["recipients", "copies"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
