//! Holiday schedules: reading `data/holidays/*.toml` (confirmed years) and building the
//! provisional schedule of any other year from Bộ luật Lao động 2019 Điều 111–112.

use super::lunar;
use crate::diag;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Whether a year's schedule was officially announced or derived from the statutory rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every entry is backed by an official notice (from the holidays file).
    Confirmed,
    /// Computed from BLLĐ 2019 rules because no official schedule is known; may be wrong.
    Provisional,
}

impl Status {
    /// "confirmed" or "provisional".
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Provisional => "provisional",
        }
    }
}

/// An inclusive range of non-working days (weekends inside a break included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffRange {
    /// First day off.
    pub from: NaiveDate,
    /// Last day off (inclusive).
    pub to: NaiveDate,
    /// Name of the break, e.g. "Tết Nguyên đán Ất Tỵ".
    pub name: String,
    /// Free-text detail (which days are nghỉ bù, swaps).
    pub note: Option<String>,
    /// Where the schedule comes from.
    pub source: Option<String>,
}

impl OffRange {
    /// True when `date` lies inside the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// An extra working day (a make-up Saturday, "làm bù").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraWorkDay {
    /// The Saturday (or Sunday) that is worked.
    pub date: NaiveDate,
    /// The weekday given off in exchange, when known.
    pub replaces: Option<NaiveDate>,
    /// Free-text detail.
    pub note: Option<String>,
    /// Where the swap was announced.
    pub source: Option<String>,
}

/// The civil-service schedule of one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSchedule {
    /// The solar year.
    pub year: i32,
    /// Confirmed (from the file) or provisional (from the rules).
    pub status: Status,
    /// The law or rule the schedule follows.
    pub basis: String,
    /// Non-working ranges, in date order.
    pub off: Vec<OffRange>,
    /// Extra working days, in date order.
    pub work: Vec<ExtraWorkDay>,
}

impl YearSchedule {
    /// The break containing `date`, if any.
    pub fn off_range(&self, date: NaiveDate) -> Option<&OffRange> {
        self.off.iter().find(|r| r.contains(date))
    }

    /// The make-up entry for `date`, if it is an extra working day.
    pub fn extra_work_day(&self, date: NaiveDate) -> Option<&ExtraWorkDay> {
        self.work.iter().find(|w| w.date == date)
    }
}

/// What a holidays file says: the confirmed schedules and the years it marks unconfirmed.
#[derive(Debug, Clone, Default)]
pub struct HolidayFile {
    /// Confirmed schedules by year.
    pub confirmed: BTreeMap<i32, YearSchedule>,
    /// Years listed with `status = "unconfirmed"` (their days come from the rules).
    pub unconfirmed: BTreeSet<i32>,
}

/// An ISO "YYYY-MM-DD" date inside the TOML file.
#[derive(Debug, Clone, Copy)]
struct IsoDate(NaiveDate);

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 10)
            .map(IsoDate)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "\"{text}\" is not a date; write it as YYYY-MM-DD, e.g. \"2025-01-29\""
                ))
            })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    schema_version: Spanned<i64>,
    #[serde(default)]
    timezone: Option<Spanned<String>>,
    #[serde(default)]
    weekly_rest_days: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    years: BTreeMap<Spanned<String>, RawYear>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum RawStatus {
    Confirmed,
    Unconfirmed,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawYear {
    status: Spanned<RawStatus>,
    #[serde(default)]
    labour_code: Option<String>,
    #[serde(default)]
    tet: Option<IsoDate>,
    #[serde(default)]
    gio_to: Option<IsoDate>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    off: Option<Spanned<Vec<RawOff>>>,
    #[serde(default)]
    work: Option<Spanned<Vec<RawWork>>>,
    /// Announced but not yet in force; informational only.
    #[serde(default)]
    pending: Vec<RawOff>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOff {
    from: Spanned<IsoDate>,
    to: Spanned<IsoDate>,
    name: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWork {
    date: Spanned<IsoDate>,
    #[serde(default)]
    replaces: Option<IsoDate>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

/// An input error located at byte `span` of `text` in `file`, with the dotted key as field.
fn error_at(
    message: impl Into<String>,
    file: &Path,
    text: &str,
    span: Range<usize>,
) -> diag::Error {
    diag::toml::located_key(diag::Error::input(message), text, file, span)
}

/// Parse a holidays file. `file` names it in errors.
pub fn parse_holiday_file(text: &str, file: &Path) -> diag::Result<HolidayFile> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_owned();
        match e.span() {
            Some(span) => error_at(message, file, text, span),
            None => diag::Error::input(message).in_file(file),
        }
        .hint("see data/holidays/vn.toml for the expected layout")
    })?;
    if *raw.schema_version.get_ref() != 1 {
        return Err(error_at(
            format!(
                "unsupported schema_version {}",
                raw.schema_version.get_ref()
            ),
            file,
            text,
            raw.schema_version.span(),
        )
        .hint("this version of congvan reads schema_version = 1"));
    }
    if let Some(tz) = &raw.timezone {
        if tz.get_ref() != "Asia/Ho_Chi_Minh" {
            return Err(error_at(
                format!("unsupported timezone \"{}\"", tz.get_ref()),
                file,
                text,
                tz.span(),
            )
            .hint(
                "the calendar is Vietnam's: write timezone = \"Asia/Ho_Chi_Minh\" or leave it out",
            ));
        }
    }
    if let Some(days) = &raw.weekly_rest_days {
        if days.get_ref() != &["Sat".to_owned(), "Sun".to_owned()] {
            return Err(error_at(
                "only the Saturday + Sunday rest week of state bodies is supported",
                file,
                text,
                days.span(),
            )
            .hint("write weekly_rest_days = [\"Sat\", \"Sun\"] or leave it out"));
        }
    }
    let mut result = HolidayFile::default();
    for (key, raw_year) in raw.years {
        let year: i32 = key
            .get_ref()
            .parse()
            .ok()
            .filter(|y| (super::FIRST_YEAR..=super::LAST_YEAR).contains(y))
            .ok_or_else(|| {
                error_at(
                    format!("\"{}\" is not a supported year", key.get_ref()),
                    file,
                    text,
                    key.span(),
                )
                .hint(format!(
                    "tables are named [years.YYYY] with YYYY from {} to {}",
                    super::FIRST_YEAR,
                    super::LAST_YEAR
                ))
            })?;
        let schedule = check_year(year, raw_year, file, text)?;
        match schedule {
            Some(s) => {
                result.confirmed.insert(year, s);
            }
            None => {
                result.unconfirmed.insert(year);
            }
        }
    }
    Ok(result)
}

/// Validate one `[years.YYYY]` table; `None` for an unconfirmed year.
fn check_year(
    year: i32,
    raw: RawYear,
    file: &Path,
    text: &str,
) -> diag::Result<Option<YearSchedule>> {
    let in_year = |d: &Spanned<IsoDate>| -> diag::Result<NaiveDate> {
        let date = d.get_ref().0;
        if date.year() == year {
            Ok(date)
        } else {
            Err(
                error_at(format!("{date} is not in {year}"), file, text, d.span())
                    .hint(format!("move the entry to [years.{}]", date.year())),
            )
        }
    };
    let _ = (raw.tet, raw.gio_to, raw.note, raw.pending);
    let off_span = raw
        .off
        .as_ref()
        .filter(|l| !l.get_ref().is_empty())
        .map(|l| l.span());
    let work_span = raw
        .work
        .as_ref()
        .filter(|l| !l.get_ref().is_empty())
        .map(|l| l.span());
    if *raw.status.get_ref() == RawStatus::Unconfirmed {
        if let Some(span) = off_span.or(work_span) {
            return Err(error_at(
                format!("{year} is unconfirmed but lists off/work days"),
                file,
                text,
                span,
            )
            .hint("an unconfirmed year is computed from BLLĐ 2019 rules: empty off/work, or set status = \"confirmed\""));
        }
        return Ok(None);
    }
    let mut off = Vec::new();
    for entry in raw.off.map(Spanned::into_inner).unwrap_or_default() {
        let from = in_year(&entry.from)?;
        let to = in_year(&entry.to)?;
        if to < from {
            return Err(error_at(
                format!("range ends ({to}) before it starts ({from})"),
                file,
                text,
                entry.to.span(),
            )
            .hint("`to` is the last day off, inclusive"));
        }
        off.push(OffRange {
            from,
            to,
            name: entry.name,
            note: entry.note,
            source: entry.source,
        });
    }
    let mut work = Vec::new();
    for entry in raw.work.map(Spanned::into_inner).unwrap_or_default() {
        let date = in_year(&entry.date)?;
        if off.iter().any(|r| r.contains(date)) {
            return Err(error_at(
                format!("{date} is listed both as a day off and as a working day"),
                file,
                text,
                entry.date.span(),
            ));
        }
        work.push(ExtraWorkDay {
            date,
            replaces: entry.replaces.map(|d| d.0),
            note: entry.note,
            source: entry.source,
        });
    }
    off.sort_by_key(|r| (r.from, r.to));
    work.sort_by_key(|w| w.date);
    Ok(Some(YearSchedule {
        year,
        status: Status::Confirmed,
        basis: raw
            .labour_code
            .unwrap_or_else(|| "official schedule".to_owned()),
        off,
        work,
    }))
}

/// The statutory rule for the day added to Quốc khánh 2/9: 3/9 when 2/9 is a Monday or a
/// Thursday (joining the weekend), otherwise 1/9. It reproduces the choices of 2021–2026.
pub fn quoc_khanh_adjacent_day(year: i32) -> Option<NaiveDate> {
    let national_day = NaiveDate::from_ymd_opt(year, 9, 2)?;
    match national_day.weekday() {
        Weekday::Mon | Weekday::Thu => national_day.succ_opt(),
        _ => national_day.pred_opt(),
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn body_date(date: NaiveDate) -> String {
    format!("{}/{}", date.day(), date.month())
}

/// The provisional schedule of `year` from BLLĐ 2019 Điều 111–112: 1/1; Tết = the day before
/// mùng 1 plus mùng 1–4; Giỗ Tổ 10/3 âm lịch; 30/4 and 1/5; 2/9 plus the day chosen by
/// [`quoc_khanh_adjacent_day`]. Each holiday on a Saturday or Sunday gives one nghỉ bù day: the next
/// weekday after it that is neither a holiday nor already a nghỉ bù day.
pub fn provisional_schedule(year: i32) -> diag::Result<YearSchedule> {
    let out_of_range = || {
        diag::Error::input(format!("cannot compute a provisional calendar for {year}")).hint(
            format!(
                "supported years are {} to {}",
                super::FIRST_YEAR,
                super::LAST_YEAR
            ),
        )
    };
    let date = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).ok_or_else(out_of_range);
    let tet = lunar::tet(year).ok_or_else(out_of_range)?;
    let gio_to = lunar::gio_to(year).ok_or_else(out_of_range)?;
    let tet_days: Vec<NaiveDate> = (-1..=3).map(|i| tet + Duration::days(i)).collect();
    let names = &crate::vocab::wording::wording().holidays;
    let groups: Vec<(String, Vec<NaiveDate>)> = vec![
        (names.new_year.clone(), vec![date(1, 1)?]),
        (
            format!("{} {}", names.lunar_new_year, lunar::year_name(year)),
            tet_days,
        ),
        (names.hung_kings.clone(), vec![gio_to]),
        (names.reunification.clone(), vec![date(4, 30)?, date(5, 1)?]),
        (
            names.national_day.clone(),
            vec![
                date(9, 2)?,
                quoc_khanh_adjacent_day(year).ok_or_else(out_of_range)?,
            ],
        ),
    ];
    let holidays: BTreeSet<NaiveDate> =
        groups.iter().flat_map(|(_, d)| d.iter().copied()).collect();
    let mut compensatory: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut off = Vec::new();
    for (name, days) in &groups {
        let mut group_comp = Vec::new();
        for day in days.iter().copied().filter(|d| is_weekend(*d)) {
            let mut candidate = day;
            loop {
                candidate = candidate.succ_opt().ok_or_else(out_of_range)?;
                if !is_weekend(candidate)
                    && !holidays.contains(&candidate)
                    && !compensatory.contains(&candidate)
                {
                    break;
                }
            }
            compensatory.insert(candidate);
            group_comp.push(candidate);
        }
        let from = days
            .iter()
            .chain(&group_comp)
            .min()
            .copied()
            .ok_or_else(out_of_range)?;
        let to = days
            .iter()
            .chain(&group_comp)
            .max()
            .copied()
            .ok_or_else(out_of_range)?;
        let mut note = format!(
            "tạm tính theo BLLĐ 2019 Điều 112: {}",
            days.iter()
                .map(|d| body_date(*d))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !group_comp.is_empty() {
            note.push_str(&format!(
                "; nghỉ bù {}",
                group_comp
                    .iter()
                    .map(|d| body_date(*d))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        off.push(OffRange {
            from,
            to,
            name: name.clone(),
            note: Some(note),
            source: None,
        });
    }
    off.sort_by_key(|r| (r.from, r.to));
    Ok(YearSchedule {
        year,
        status: Status::Provisional,
        basis: "rules of BLLĐ 2019 Điều 111–112 (Tết = 1 day before + mùng 1–4; Quốc khánh + 3/9 if 2/9 is Mon/Thu, else 1/9)".to_owned(),
        off,
        work: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn parse(text: &str) -> diag::Result<HolidayFile> {
        parse_holiday_file(text, Path::new("h.toml"))
    }

    #[test]
    fn bad_date_names_line_and_field() {
        let text = "schema_version = 1\n[years.2025]\nstatus = \"confirmed\"\noff = [\n  { from = \"2025-13-01\", to = \"2025-01-01\", name = \"x\" },\n]\n";
        let e = parse(text).unwrap_err();
        let loc = e.location.clone().unwrap();
        assert_eq!(loc.line, Some(5), "{e}");
        assert_eq!(loc.column, Some(12), "{e}");
        assert_eq!(loc.field.as_deref(), Some("years.2025.off.from"), "{e}");
        assert!(e.message.contains("2025-13-01"), "{e}");
    }

    #[test]
    fn reversed_range_and_wrong_year_are_errors() {
        let text = "schema_version = 1\n[years.2025]\nstatus = \"confirmed\"\noff = [ { from = \"2025-02-02\", to = \"2025-01-25\", name = \"Tết\" } ]\n";
        let e = parse(text).unwrap_err();
        assert!(e.message.contains("before it starts"), "{e}");
        assert_eq!(e.location.unwrap().line, Some(4));
        let text = "schema_version = 1\n[years.2025]\nstatus = \"confirmed\"\nwork = [ { date = \"2024-05-04\" } ]\n";
        let e = parse(text).unwrap_err();
        assert!(e.message.contains("not in 2025"), "{e}");
    }

    #[test]
    fn unknown_status_and_fields_are_errors() {
        let e = parse("schema_version = 1\n[years.2025]\nstatus = \"maybe\"\n").unwrap_err();
        assert_eq!(e.location.unwrap().line, Some(3));
        let e = parse("schema_version = 1\n[years.2025]\nstatus = \"confirmed\"\nholidays = []\n")
            .unwrap_err();
        assert!(e.message.contains("holidays"), "{e}");
        let e = parse("schema_version = 2\n").unwrap_err();
        assert!(e.message.contains("schema_version"), "{e}");
        let e = parse("schema_version = 1\n[years.abc]\nstatus = \"confirmed\"\n").unwrap_err();
        assert!(e.message.contains("abc"), "{e}");
    }

    #[test]
    fn unconfirmed_year_with_days_is_an_error() {
        let text = "schema_version = 1\n[years.2027]\nstatus = \"unconfirmed\"\noff = [ { from = \"2027-01-01\", to = \"2027-01-01\", name = \"x\" } ]\n";
        assert!(parse(text).is_err());
        let ok = parse("schema_version = 1\n[years.2027]\nstatus = \"unconfirmed\"\n").unwrap();
        assert!(ok.unconfirmed.contains(&2027));
    }

    #[test]
    fn quoc_khanh_rule_matches_announced_years() {
        // Announced adjacent days (reference holidays-vn.toml): 2021 3/9, 2022 1/9, 2023 1/9,
        // 2024 3/9, 2025 1/9, 2026 1/9.
        assert_eq!(quoc_khanh_adjacent_day(2021), Some(d(2021, 9, 3)));
        assert_eq!(quoc_khanh_adjacent_day(2022), Some(d(2022, 9, 1)));
        assert_eq!(quoc_khanh_adjacent_day(2023), Some(d(2023, 9, 1)));
        assert_eq!(quoc_khanh_adjacent_day(2024), Some(d(2024, 9, 3)));
        assert_eq!(quoc_khanh_adjacent_day(2025), Some(d(2025, 9, 1)));
        assert_eq!(quoc_khanh_adjacent_day(2026), Some(d(2026, 9, 1)));
    }

    #[test]
    fn provisional_2023_gives_nghi_bu_after_gio_to_and_30_4() {
        // 2023: Giỗ Tổ Sat 29/4, 30/4 Sun, 1/5 Mon → nghỉ bù 2/5 and 3/5 (as announced).
        let s = provisional_schedule(2023).unwrap();
        let off = |date| s.off_range(date).is_some();
        assert!(off(d(2023, 5, 2)) && off(d(2023, 5, 3)));
        assert!(!off(d(2023, 5, 4)));
        assert_eq!(s.status, Status::Provisional);
    }
}
