//! Recognising legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258) and UTF-16 (Excel's
//! "Unicode Text") in non-UTF-8 input, so the error can say what the file is and how to convert it.
//!
//! Each candidate encoding decodes the bytes; the one whose non-ASCII words are most often
//! well-formed Vietnamese syllables (initial consonant, vowel cluster, final consonant, at most
//! one tone mark) wins, provided most of its words are. Text that is mostly valid UTF-8 with a
//! stray byte, and Western European text (café, Müller, señor), are not claimed.

use unicode_normalization::UnicodeNormalization;

/// Display name of TCVN3.
pub const TCVN3: &str = "TCVN3 (ABC)";
/// Display name of VNI.
pub const VNI: &str = "VNI-Windows";
/// Display name of Windows-1258.
pub const CP1258: &str = "Windows-1258";

/// Display name of UTF-16 with a byte order mark, as Excel's "Unicode Text (*.txt)" saves.
pub const UTF16: &str = "UTF-16 (Excel's \"Unicode Text\")";

/// What a file that is not UTF-8 is: [`UTF16`] when it starts with a UTF-16 byte order mark
/// and reads as text, else [`guess_legacy`]. `bytes` from the file's start (its first line or
/// record will do).
pub fn guess(bytes: &[u8]) -> Option<&'static str> {
    if is_utf16(bytes) {
        Some(UTF16)
    } else {
        guess_legacy(bytes)
    }
}

/// Whether `bytes` start with a UTF-16 byte order mark (FF FE or FE FF) and read after it as
/// UTF-16 text: no unpaired surrogate, and mostly ASCII (digits, separators, Latin letters) as
/// a spreadsheet export is, so binary that happens to start with FF FE is not claimed.
fn is_utf16(bytes: &[u8]) -> bool {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return false,
    };
    let units = bytes[2..].chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let (mut ascii, mut all) = (0usize, 0usize);
    for c in char::decode_utf16(units) {
        let Ok(c) = c else { return false };
        all += 1;
        if c.is_ascii_graphic() || c.is_ascii_whitespace() {
            ascii += 1;
        }
    }
    all > 0 && ascii * 2 >= all
}

/// Name of the legacy encoding `bytes` most likely use, if any is recognisable.
pub fn guess_legacy(bytes: &[u8]) -> Option<&'static str> {
    // Mostly UTF-8 with a stray byte or two: not a legacy file.
    let (mut utf8_chars, mut bad_bytes) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        utf8_chars += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad_bytes += chunk.invalid().len();
    }
    if bad_bytes == 0 || utf8_chars >= bad_bytes {
        return None;
    }
    let mut best: Option<(&'static str, usize)> = None;
    for name in [CP1258, VNI, TCVN3] {
        let (valid, considered) = score(&decode(name, bytes));
        let plausible = valid >= 2 && valid * 10 >= considered * 6;
        if plausible && best.is_none_or(|(_, v)| valid > v) {
            best = Some((name, valid));
        }
    }
    best.map(|(name, _)| name)
}

/// `bytes` decoded from the legacy encoding named `name` (one of [`TCVN3`], [`VNI`],
/// [`CP1258`]), NFC; other names decode as UTF-8 with replacement characters.
pub fn decode(name: &str, bytes: &[u8]) -> String {
    match name {
        CP1258 => decode_cp1258(bytes),
        VNI => decode_vni(bytes),
        TCVN3 => decode_tcvn3(bytes),
        UTF16 => decode_utf16(bytes),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// How to turn a file in `encoding` into UTF-8.
pub fn conversion_hint(encoding: Option<&str>) -> String {
    match encoding {
        Some(name) if name == UTF16 => "save the file as UTF-8 (in Excel: Save As → \"CSV UTF-8 (Comma delimited)\", not \"Unicode Text\"), or convert it: `iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8`".to_string(),
        Some(name) if name == CP1258 => format!(
            "convert it from {name} to UTF-8 first: `iconv -f CP1258 -t UTF-8 FILE > FILE.utf8`, or Unikey's converter (Ctrl+Shift+F6, source: Vietnamese locale CP 1258, target: Unicode); in Notepad or Excel use Save As → UTF-8"
        ),
        Some(name) => format!(
            "convert it from {name} to UTF-8 first, e.g. with Unikey's converter (Ctrl+Shift+F6, source: {name}, target: Unicode), and save the result as UTF-8 (in Excel: Save As → \"CSV UTF-8\")"
        ),
        None => "save the file as UTF-8 (in Excel: Save As → \"CSV UTF-8 (Comma delimited)\")"
            .to_string(),
    }
}

/// UTF-16 (little-endian unless it starts with FE FF) from a line or cell of it, which a
/// reader looking for single-byte separators may have cut one byte off its code units: a
/// leading NUL is the rest of the separator before it (";" is 3B 00), a trailing odd byte is
/// dropped; a line's '\\r' is dropped too. NFC.
fn decode_utf16(bytes: &[u8]) -> String {
    let (big, body) = match bytes {
        [0xFE, 0xFF, rest @ ..] => (true, rest),
        [0xFF, 0xFE, rest @ ..] => (false, rest),
        [0, rest @ ..] if bytes.len() % 2 == 1 => (false, rest),
        _ => (false, bytes),
    };
    let units = body.chunks_exact(2).map(|p| {
        if big {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .nfc()
        .collect();
    // A line cut at its '\n' byte keeps the '\r' before it.
    text.strip_suffix('\r').map_or(text.clone(), str::to_string)
}

/// Combining tone marks: grave, acute, tilde, hook above, dot below.
const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Windows-1258: Latin-1 with Vietnamese letters and five combining tone marks.
fn decode_cp1258(bytes: &[u8]) -> String {
    let decoded: String = bytes
        .iter()
        .map(|&b| match b {
            0x00..=0x7F => char::from(b),
            0x80..=0x9F => '\u{FFFD}',
            0xC3 => 'Ă',
            0xCC => '\u{300}',
            0xD0 => 'Đ',
            0xD2 => '\u{309}',
            0xD5 => 'Ơ',
            0xDD => 'Ư',
            0xDE => '\u{303}',
            0xE3 => 'ă',
            0xEC => '\u{301}',
            0xF0 => 'đ',
            0xF2 => '\u{323}',
            0xF5 => 'ơ',
            0xFD => 'ư',
            0xFE => '₫',
            _ => char::from(b),
        })
        .collect();
    decoded.nfc().collect()
}

/// VNI-Windows: ASCII base letters followed by mark bytes (upper case: the byte minus 0x20);
/// i with a tone, ỵ, ơ, ư and đ are single bytes.
fn decode_vni(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b < 0x80 {
            out.push(char::from(b));
            continue;
        }
        let lower = if (0xC0..=0xDF).contains(&b) {
            b + 0x20
        } else {
            b
        };
        let upper = lower != b;
        let marks: &[char] = match lower {
            0xF9 => &['\u{301}'],
            0xF8 => &['\u{300}'],
            0xFB => &['\u{309}'],
            0xF5 => &['\u{303}'],
            0xEF => &['\u{323}'],
            0xE2 => &['\u{302}'],
            0xE1 => &['\u{302}', '\u{301}'],
            0xE0 => &['\u{302}', '\u{300}'],
            0xE5 => &['\u{302}', '\u{309}'],
            0xE3 => &['\u{302}', '\u{303}'],
            0xE4 => &['\u{302}', '\u{323}'],
            0xEA => &['\u{306}'],
            0xE9 => &['\u{306}', '\u{301}'],
            0xE8 => &['\u{306}', '\u{300}'],
            0xFA => &['\u{306}', '\u{309}'],
            0xFC => &['\u{306}', '\u{303}'],
            0xEB => &['\u{306}', '\u{323}'],
            _ => &[],
        };
        if !marks.is_empty() {
            out.extend(marks);
            continue;
        }
        let letter = match lower {
            0xED => "í",
            0xEC => "ì",
            0xE6 => "ỉ",
            0xF3 => "ĩ",
            0xF2 => "ị",
            0xEE => "ỵ",
            0xF4 => "ơ",
            0xF6 => "ư",
            0xF1 => "đ",
            _ => "\u{FFFD}",
        };
        if upper {
            out.extend(letter.chars().flat_map(char::to_uppercase));
        } else {
            out.push_str(letter);
        }
    }
    out.nfc().collect()
}

/// TCVN3 (ABC): precomposed lower-case letters; upper-case toned letters share their codes
/// (the .VnTimeH fonts draw them upper case); Ă Â Ê Ô Ơ Ư Đ have codes 0xA1–0xA7.
fn decode_tcvn3(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x00..=0x7F => char::from(b),
            0xA1..=0xA7 => "ĂÂÊÔƠƯĐ"
                .chars()
                .nth(usize::from(b - 0xA1))
                .unwrap_or('\u{FFFD}'),
            _ => tcvn3_letter(b).unwrap_or('\u{FFFD}'),
        })
        .collect()
}

fn tcvn3_letter(b: u8) -> Option<char> {
    Some(match b {
        0xA8 => 'ă',
        0xA9 => 'â',
        0xAA => 'ê',
        0xAB => 'ô',
        0xAC => 'ơ',
        0xAD => 'ư',
        0xAE => 'đ',
        0xB5 => 'à',
        0xB6 => 'ả',
        0xB7 => 'ã',
        0xB8 => 'á',
        0xB9 => 'ạ',
        0xBB => 'ằ',
        0xBC => 'ẳ',
        0xBD => 'ẵ',
        0xBE => 'ắ',
        0xC6 => 'ặ',
        0xC7 => 'ầ',
        0xC8 => 'ẩ',
        0xC9 => 'ẫ',
        0xCA => 'ấ',
        0xCB => 'ậ',
        0xCC => 'è',
        0xCE => 'ẻ',
        0xCF => 'ẽ',
        0xD0 => 'é',
        0xD1 => 'ẹ',
        0xD2 => 'ề',
        0xD3 => 'ể',
        0xD4 => 'ễ',
        0xD5 => 'ế',
        0xD6 => 'ệ',
        0xD7 => 'ì',
        0xD8 => 'ỉ',
        0xDC => 'ĩ',
        0xDD => 'í',
        0xDE => 'ị',
        0xDF => 'ò',
        0xE1 => 'ỏ',
        0xE2 => 'õ',
        0xE3 => 'ó',
        0xE4 => 'ọ',
        0xE5 => 'ồ',
        0xE6 => 'ổ',
        0xE7 => 'ỗ',
        0xE8 => 'ố',
        0xE9 => 'ộ',
        0xEA => 'ờ',
        0xEB => 'ở',
        0xEC => 'ỡ',
        0xED => 'ớ',
        0xEE => 'ợ',
        0xEF => 'ù',
        0xF1 => 'ủ',
        0xF2 => 'ũ',
        0xF3 => 'ú',
        0xF4 => 'ụ',
        0xF5 => 'ừ',
        0xF6 => 'ử',
        0xF7 => 'ữ',
        0xF8 => 'ứ',
        0xF9 => 'ự',
        0xFA => 'ỳ',
        0xFB => 'ỷ',
        0xFC => 'ỹ',
        0xFD => 'ý',
        0xFE => 'ỵ',
        _ => return None,
    })
}

/// (well-formed Vietnamese syllables, words considered) over the words of `text` that have a
/// non-ASCII letter.
fn score(text: &str) -> (usize, usize) {
    let mut valid = 0;
    let mut considered = 0;
    for word in text.split(|c: char| !(c.is_alphabetic() || ('\u{300}'..='\u{36F}').contains(&c))) {
        if word.is_ascii() {
            continue;
        }
        considered += 1;
        if is_syllable(word) {
            valid += 1;
        }
    }
    (valid, considered)
}

const INITIALS: &[&str] = &[
    "ngh", "ng", "nh", "gh", "gi", "kh", "ph", "th", "tr", "ch", "qu", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];

const NUCLEI: &[&str] = &[
    "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "ươi", "ươu", "uyu", "ai", "ao",
    "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua",
    "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "oo", "a", "ă", "â", "e",
    "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
];

const FINALS: &[&str] = &["ch", "ng", "nh", "c", "m", "n", "p", "t", ""];

/// Whether `word` is a well-formed Vietnamese syllable (any case, at most one tone mark).
fn is_syllable(word: &str) -> bool {
    let lower = word.to_lowercase();
    let decomposed: String = lower.nfd().collect();
    if decomposed.chars().filter(|c| TONES.contains(c)).count() > 1 {
        return false;
    }
    let base: String = decomposed
        .chars()
        .filter(|c| !TONES.contains(c))
        .nfc()
        .collect();
    INITIALS.iter().any(|initial| {
        base.strip_prefix(initial).is_some_and(|rest| {
            NUCLEI.iter().any(|nucleus| {
                rest.strip_prefix(nucleus)
                    .is_some_and(|tail| FINALS.contains(&tail))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        for w in [
            "Việt",
            "nghiêng",
            "được",
            "ỦY",
            "gì",
            "quyết",
            "khuỷu",
            "đ\u{1b0}\u{1a1}ng",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in ["café", "Müller", "señor", "été", "việtt", "ẵá"] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    #[test]
    fn short_samples() {
        assert_eq!(
            guess_legacy(b"Xe\xf9t ba\xf9o ca\xf9o, \xf1e\xe0 ngh\xf2"),
            Some(VNI)
        );
        assert_eq!(
            guess_legacy(b"X\xd0t b\xb8o c\xb8o, \xae\xd2 ngh\xde"),
            Some(TCVN3)
        );
        assert_eq!(
            guess_legacy(b"X\xe9t b\xe1o c\xe1o, \xf0\xea\xcc ngh\xec\xf2"),
            Some(CP1258)
        );
        assert_eq!(guess_legacy(b"caf\xe9 na\xefve M\xfcller se\xf1or"), None);
        assert_eq!(guess_legacy("Việt Nam \u{e9}".as_bytes()), None);
        assert_eq!(guess_legacy(b""), None);
    }
}
