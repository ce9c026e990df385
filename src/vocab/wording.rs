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
    /// Words of dates.
    pub dates: Dates,
    /// Names of the holidays of a provisional year.
    pub holidays: Holidays,
    /// Words of a phụ lục's bar chart.
    pub chart: ChartWords,
}

/// Words of a phụ lục's bar chart (legend, axis titles, alt text).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChartWords {
    /// Legend of the dark bars: "Chưa đạt chỉ tiêu".
    pub lagging: String,
    /// Legend of the light bars: "Đạt chỉ tiêu".
    pub passing: String,
    /// Legend of the white bars of units without a target (beside the other two only):
    /// "Không có chỉ tiêu".
    pub no_target: String,
    /// Legend of the dashed line, before its value: "Chỉ tiêu" (→ "Chỉ tiêu 90%").
    pub target: String,
    /// Legend of the per-unit target marks: "Chỉ tiêu của đơn vị".
    pub unit_target: String,
    /// Value axis of a rate: "Tỷ lệ (%)".
    pub percent_axis: String,
    /// Value axis of another unit, before "(unit)": "Giá trị".
    pub value_axis: String,
    /// Alt text before the indicator's name: "Biểu đồ".
    pub alt: String,
    /// The PNG files' names after the letter's: "bieu-do" (→ "<stem>-bieu-do-1.png").
    pub file: String,
}

/// Words of dates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Dates {
    /// "ngày".
    pub day: String,
    /// "tháng".
    pub month: String,
    /// "năm".
    pub year: String,
    /// "Thứ Hai" … "Chủ nhật", Monday first (7 names).
    pub weekdays: [String; 7],
}

/// Names of the public holidays of a provisional year (BLLĐ 2019 Điều 112).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Holidays {
    /// "Tết Dương lịch".
    pub new_year: String,
    /// "Tết Nguyên đán" (the year's name follows).
    pub lunar_new_year: String,
    /// "Giỗ Tổ Hùng Vương".
    pub hung_kings: String,
    /// "30/4 – 1/5".
    pub reunification: String,
    /// "Quốc khánh".
    pub national_day: String,
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
        assert_eq!(w.dates.weekdays[6], "Chủ nhật");
        assert_eq!(w.holidays.national_day, "Quốc khánh");
        assert_eq!(w.chart.percent_axis, "Tỷ lệ (%)");
    }
}
