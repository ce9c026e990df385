//! Matching unit names as people type them to registry units: NFC, case and whitespace folding,
//! the "UBND" / "Ủy ban nhân dân" prefixes, dash variants and old vs new tone placement
//! (hoà/hòa, thuỷ/thủy, Thuỵ/Thụy, khoẻ/khỏe).

use std::collections::HashMap;

use crate::text;

/// Old-style (tone on the second vowel) and new-style spellings of open syllables ending in
/// "oa", "oe", "uy". Folding rewrites both to one form so either spelling matches.
const TONE_PAIRS: &[(&str, &str)] = &[
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
];

/// The folded key of a name: NFC, lower case, single spaces, no "UBND"/"Ủy ban nhân dân"
/// prefix, '-' for every dash, and new-style tone placement in open syllables.
///
/// One pass into one `String` (every unit name is folded when the registry loads and every
/// name cell when values are matched, so this is on the hot path of each draft).
pub fn fold(name: &str) -> String {
    let nfc = text::nfc(name);
    let mut out = String::with_capacity(nfc.len());
    let sigma = nfc.contains('Σ');
    for word in nfc.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        let start = out.len();
        let dash = |c: char| match c {
            '–' | '—' | '‐' | '‑' | '−' => '-',
            c => c,
        };
        if sigma && word.contains('Σ') {
            // Lower-case the word as a whole, as `str::to_lowercase` does for the final sigma.
            word.to_lowercase().chars().for_each(|c| out.push(dash(c)));
        } else {
            // Without a capital sigma, char by char is the same, with no allocation; ASCII
            // (most letters of most names) without the Unicode tables.
            for c in word.chars() {
                if c.is_ascii() {
                    out.push(c.to_ascii_lowercase());
                } else {
                    c.to_lowercase().for_each(|l| out.push(dash(l)));
                }
            }
        }
        retone_in_place(&mut out, start);
    }
    for prefix in prefixes() {
        if out.starts_with(prefix.as_str()) {
            out.drain(..prefix.len());
            break;
        }
    }
    out
}

/// The name prefixes of `data/vocabulary.toml` (`[names] prefixes`: "UBND", "Ủy ban nhân
/// dân"), folded, each with a trailing space.
fn prefixes() -> &'static [String] {
    #[derive(serde::Deserialize)]
    struct File {
        names: Names,
    }
    #[derive(serde::Deserialize)]
    struct Names {
        prefixes: Vec<String>,
    }
    static PREFIXES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    PREFIXES.get_or_init(|| {
        // Part of the binary and covered by a test; a failure here is a build defect.
        let file: File =
            toml::from_str(include_str!("../../data/vocabulary.toml")).unwrap_or_else(|e| {
                panic!("data/vocabulary.toml compiled into congvan is invalid: {e}")
            });
        file.names
            .prefixes
            .iter()
            .map(|p| {
                let lower = text::nfc(p).to_lowercase();
                let words: Vec<String> = lower.split_whitespace().map(retone).collect();
                format!("{} ", words.join(" "))
            })
            .collect()
    })
}

/// Rewrite old-style tone placement at the end of a word ("hoà" → "hòa", "thuỷ" → "thủy").
fn retone(word: &str) -> String {
    let mut out = word.to_string();
    retone_in_place(&mut out, 0);
    out
}

/// Rewrite old-style tone placement at the end of the word `out[start..]` ("hoà" → "hòa",
/// "thuỷ" → "thủy"). Only word-final pairs change: in "hoàng" the tone is on 'a' in both.
fn retone_in_place(out: &mut String, start: usize) {
    // Every old-style spelling ends in a toned 'a', 'e' or 'y': most words end otherwise.
    if !out[start..]
        .chars()
        .next_back()
        .is_some_and(|last| TONE_PAIRS.iter().any(|(old, _)| old.ends_with(last)))
    {
        return;
    }
    for (old, new) in TONE_PAIRS {
        if out[start..].ends_with(old) {
            let stem_end = out.len() - old.len();
            // "quý": the 'u' belongs to "qu", so the tone is on 'y' in both styles.
            if old.starts_with('u') && out[start..stem_end].ends_with('q') {
                return;
            }
            out.truncate(stem_end);
            out.push_str(new);
            return;
        }
    }
}

/// Lookup from folded names to the indices of the things carrying them.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    map: HashMap<String, Vec<usize>>,
}

impl NameIndex {
    /// An empty index.
    pub fn new() -> Self {
        NameIndex::default()
    }

    /// Register `name` for item `index` (several names per item are fine).
    pub fn insert(&mut self, name: &str, index: usize) {
        let entry = self.map.entry(fold(name)).or_default();
        if !entry.contains(&index) {
            entry.push(index);
        }
    }

    /// Every item whose name folds like `name`.
    pub fn get(&self, name: &str) -> &[usize] {
        self.map.get(&fold(name)).map_or(&[], Vec::as_slice)
    }
}

/// Up to `n` of `candidates` closest to `word` by edit distance on folded text, closest first.
pub fn closest_n<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let key = fold(word);
    // Names containing what was typed (or contained in it) come first, then by edit distance.
    let mut scored: Vec<((bool, usize), &str)> = candidates
        .map(|c| {
            let f = fold(c);
            let related = !key.is_empty() && (f.contains(&key) || key.contains(&f));
            ((!related, text::edit_distance(&key, &f)), c)
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The former, allocation-heavy fold, kept as the reference the one-pass fold must match.
    fn fold_reference(name: &str) -> String {
        let lower = text::nfc(name).to_lowercase();
        let mut words: Vec<String> = Vec::new();
        for w in lower.split_whitespace() {
            let w: String = w
                .chars()
                .map(|c| match c {
                    '–' | '—' | '‐' | '‑' | '−' => '-',
                    c => c,
                })
                .collect();
            words.push(retone_reference(&w));
        }
        let mut joined = words.join(" ");
        for prefix in prefixes() {
            if let Some(rest) = joined.strip_prefix(prefix.as_str()) {
                joined = rest.to_string();
                break;
            }
        }
        joined
    }

    fn retone_reference(word: &str) -> String {
        for (old, new) in TONE_PAIRS {
            if let Some(stem) = word.strip_suffix(old) {
                if old.starts_with('u') && stem.ends_with('q') {
                    return word.to_string();
                }
                let mut s = stem.to_string();
                s.push_str(new);
                return s;
            }
        }
        word.to_string()
    }

    proptest::proptest! {
        #[test]
        fn one_pass_fold_matches_the_reference(name in "(\\PC|[ –—ΣỦỷÀàoàuỷq]){0,30}") {
            proptest::prop_assert_eq!(fold(&name), fold_reference(&name));
        }
    }

    #[test]
    fn folds_prefix_case_space_tone() {
        assert_eq!(fold("UBND  Quận Lê Chân"), "quận lê chân");
        assert_eq!(fold("Ủy ban nhân dân quận Lê Chân"), "quận lê chân");
        assert_eq!(fold("Uỷ ban nhân dân quận Lê Chân"), "quận lê chân");
        assert_eq!(fold("huyện Thuỷ Nguyên"), fold("Huyện Thủy Nguyên"));
        assert_eq!(fold("Kiến Thuỵ"), fold("Kiến Thụy"));
        assert_eq!(fold("Hiệp Hoà"), fold("Hiệp Hòa"));
        assert_eq!(fold("Hoàng Châu"), "hoàng châu");
        assert_eq!(fold("Quý"), "quý");
        assert_eq!(fold("Lao động – Thương binh"), "lao động - thương binh");
        assert_eq!(fold("Thu\u{309}y Nguye\u{302}n"), fold("Thủy Nguyên"));
    }

    #[test]
    fn a_word_with_a_capital_sigma_is_lowered_whole() {
        // The final sigma depends on the word: lowered char by char it would be 'σ'.
        assert_eq!(fold("ΟΔΟΣ ΣΑΣ"), "οδος σας");
        assert_eq!(fold("Hoà Bình"), "hòa bình");
    }

    #[test]
    fn index_and_suggestions() {
        let mut idx = NameIndex::new();
        idx.insert("Sở Tài chính", 0);
        idx.insert("Sở Tư pháp", 1);
        assert_eq!(idx.get("SỞ TÀI CHÍNH"), &[0]);
        assert!(idx.get("Sở Tài chánh").is_empty());
        let names = ["Sở Tài chính", "Sở Tư pháp", "Sở Y tế"];
        assert_eq!(
            closest_n("Sở Tài chánh", names.iter().copied(), 2)[0],
            "Sở Tài chính"
        );
    }
}
