//! The words congvan generates into lists and reports ("cấp xã thuộc …", "tăng … điểm"),
//! read once from the compiled-in `data/wording.toml`.

use std::sync::OnceLock;

use serde::Deserialize;

/// Generated wording.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// Words of grouped lists.
    pub lists: Lists,
    /// Words of month-to-month changes.
    pub changes: Changes,
}

/// Words of grouped lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Lists {
    /// "cấp xã".
    pub commune_level: String,
    /// "thuộc".
    pub of: String,
    /// "các".
    pub members: String,
    /// "các đơn vị cấp xã".
    pub mixed_members: String,
    /// "không có".
    pub empty: String,
}

/// Words of month-to-month changes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Changes {
    /// "tăng".
    pub up: String,
    /// "giảm".
    pub down: String,
    /// "điểm".
    pub points: String,
    /// "không đổi".
    pub unchanged: String,
    /// "chưa đạt chỉ tiêu".
    pub below_target: String,
}

/// The wording, parsed on first use.
pub fn wording() -> &'static Wording {
    static WORDING: OnceLock<Wording> = OnceLock::new();
    WORDING.get_or_init(|| {
        // The file is part of the binary and covered by a test; a failure here is a build defect.
        toml::from_str(include_str!("../../data/wording.toml"))
            .unwrap_or_else(|e| panic!("data/wording.toml compiled into congvan is invalid: {e}"))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn compiled_wording_parses() {
        let w = super::wording();
        assert_eq!(w.lists.commune_level, "cấp xã");
        assert_eq!(w.changes.points, "điểm");
    }
}
