//! The fixed wording of Nghị định 30/2020/NĐ-CP (national title, motto, labels, document kinds),
//! read once from the compiled-in `data/nd30.toml`.

use std::sync::OnceLock;

use serde::Deserialize;

/// The decree's fixed words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Wording {
    /// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
    pub national_title: String,
    /// "Độc lập - Tự do - Hạnh phúc".
    pub motto: String,
    /// "Số:".
    pub number_label: String,
    /// "V/v".
    pub subject_prefix: String,
    /// How people type that prefix ("V/v", "Về việc"): a subject starting so keeps its own.
    pub subject_prefix_forms: Vec<String>,
    /// Words an agency name too long for its column breaks before ("tỉnh", "thành phố", "và").
    pub agency_name_breaks: Vec<String>,
    /// "Kính gửi:".
    pub addressees_label: String,
    /// "Nơi nhận:".
    pub receivers_label: String,
    /// "Như trên".
    pub same_as_above: String,
    /// "Lưu:".
    pub archive_label: String,
    /// ", " between place and date.
    pub date_place_separator: String,
    /// Authority prefixes: TM., KT., TL., TUQ., Q.
    pub authorities: Vec<String>,
    /// "Phụ lục".
    pub appendix_label: String,
    /// "Công văn": what a phụ lục note calls a document with no type name.
    pub letter_name: String,
    /// "(Kèm theo {kind} số {number} {date} của {issuer})".
    pub appendix_note: String,
    /// Document kinds.
    pub kinds: Vec<Kind>,
}

/// A document kind with its printed title and ký hiệu abbreviation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Kind {
    /// Spec value, e.g. "thong-bao".
    pub kind: String,
    /// Printed title, e.g. "THÔNG BÁO"; empty for a công văn.
    pub title: String,
    /// Ký hiệu prefix, e.g. "TB"; empty for a công văn.
    pub abbreviation: String,
}

impl Wording {
    /// The kind named `name`.
    pub fn kind(&self, name: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.kind == name)
    }
}

/// The decree's wording, parsed on first use.
pub fn wording() -> &'static Wording {
    static WORDING: OnceLock<Wording> = OnceLock::new();
    WORDING.get_or_init(|| {
        // The file is part of the binary and covered by a test; a failure here is a build defect.
        toml::from_str(include_str!("../../data/nd30.toml"))
            .unwrap_or_else(|e| panic!("data/nd30.toml compiled into congvan is invalid: {e}"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn compiled_wording_parses() {
        let w = super::wording();
        assert_eq!(w.national_title, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
        assert_eq!(
            w.kind("thong-bao").map(|k| k.abbreviation.as_str()),
            Some("TB")
        );
        assert_eq!(
            w.kind("quy-dinh").map(|k| k.abbreviation.as_str()),
            Some("QyĐ")
        );
    }
}
