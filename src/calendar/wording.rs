//! How dates are written in letters: the NĐ 30/2020 header date (final and draft), body dates,
//! weekday names and ISO parsing for templates and the command line.

use crate::diag;
use chrono::{Datelike, NaiveDate};

/// Spaces left blank for the day in a draft header ("ngày" + 6 spaces + "tháng").
pub const DRAFT_DAY_BLANK: &str = "      ";

/// The header date without the place name: "ngày 05 tháng 3 năm 2024" (days 1–9 and months 1–2
/// zero-padded, NĐ 30/2020 Phụ lục I). In a draft the day is blank: "ngày      tháng 8 năm 2024".
pub fn header_date(date: NaiveDate, draft: bool) -> String {
    let w = &crate::vocab::wording::wording().dates;
    let (d, m, y) = (&w.day, &w.month, &w.year);
    let month = if date.month() <= 2 {
        format!("{:02}", date.month())
    } else {
        date.month().to_string()
    };
    if draft {
        format!("{d}{DRAFT_DAY_BLANK}{m} {month} {y} {}", date.year())
    } else {
        format!("{d} {:02} {m} {month} {y} {}", date.day(), date.year())
    }
}

/// A draft header date with the month blank as well as the day, as seed 000's draft writes it:
/// "ngày      tháng      năm 2024" (the văn thư fills both on issue; spec `blank-month`).
pub fn header_date_blank_month(date: NaiveDate) -> String {
    let w = &crate::vocab::wording::wording().dates;
    let (d, m, y) = (&w.day, &w.month, &w.year);
    format!(
        "{d}{DRAFT_DAY_BLANK}{m}{DRAFT_DAY_BLANK}{y} {}",
        date.year()
    )
}

/// A date in body text: "30/7/2024", or "30/07/2024" with `pad`.
pub fn body_date(date: NaiveDate, pad: bool) -> String {
    if pad {
        format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
    } else {
        format!("{}/{}/{}", date.day(), date.month(), date.year())
    }
}

/// The Vietnamese weekday name: "Thứ Hai" … "Thứ Bảy", "Chủ nhật" (`data/wording.toml`).
pub fn weekday_name(date: NaiveDate) -> &'static str {
    let names = &crate::vocab::wording::wording().dates.weekdays;
    &names[date.weekday().num_days_from_monday() as usize]
}

/// An ISO "YYYY-MM-DD" date.
pub fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Parse an ISO "YYYY-MM-DD" date (exactly four-digit year, two-digit month and day).
pub fn parse_iso(text: &str) -> diag::Result<NaiveDate> {
    let trimmed = text.trim();
    let well_formed = trimmed.len() == 10
        && trimmed.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    well_formed
        .then(|| NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            diag::Error::input(format!("\"{text}\" is not a date"))
                .hint("write dates as YYYY-MM-DD, e.g. 2024-07-30")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn header_pads_day_and_only_months_one_and_two() {
        assert_eq!(
            header_date(d(2024, 3, 5), false),
            "ngày 05 tháng 3 năm 2024"
        );
        assert_eq!(
            header_date(d(2026, 1, 5), false),
            "ngày 05 tháng 01 năm 2026"
        );
        assert_eq!(
            header_date(d(2026, 2, 28), false),
            "ngày 28 tháng 02 năm 2026"
        );
        assert_eq!(
            header_date(d(2019, 6, 29), false),
            "ngày 29 tháng 6 năm 2019"
        );
        assert_eq!(
            header_date(d(2024, 12, 10), false),
            "ngày 10 tháng 12 năm 2024"
        );
    }

    #[test]
    fn draft_header_leaves_six_spaces() {
        assert_eq!(
            header_date(d(2024, 8, 15), true),
            "ngày      tháng 8 năm 2024"
        );
        assert_eq!(
            header_date(d(2024, 1, 15), true),
            "ngày      tháng 01 năm 2024"
        );
    }

    #[test]
    fn body_and_weekday() {
        assert_eq!(body_date(d(2024, 7, 30), false), "30/7/2024");
        assert_eq!(body_date(d(2024, 7, 3), true), "03/07/2024");
        assert_eq!(weekday_name(d(2024, 7, 30)), "Thứ Ba");
        assert_eq!(weekday_name(d(2024, 8, 4)), "Chủ nhật");
    }

    #[test]
    fn parse_iso_rejects_other_forms() {
        assert_eq!(parse_iso("2024-07-30").unwrap(), d(2024, 7, 30));
        for bad in [
            "30/07/2024",
            "2024-7-30",
            "2024-02-30",
            "",
            "abcd-ef-gh",
            "+2024-07-3",
        ] {
            assert!(parse_iso(bad).is_err(), "{bad}");
        }
    }
}
