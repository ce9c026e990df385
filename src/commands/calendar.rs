//! `congvan calendar YEAR [--json]`: a year's non-working ranges and make-up working days,
//! marked confirmed or provisional, as text or JSON.

use crate::calendar::holidays::{Status, YearSchedule};
use crate::calendar::wording::{iso, weekday_name};
use crate::calendar::Calendar;
use crate::diag;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

/// One non-working range as listed by `congvan calendar`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffListing {
    /// First day off, ISO.
    pub from: String,
    /// Last day off, ISO, inclusive.
    pub to: String,
    /// Name of the break.
    pub name: String,
    /// Days in the range, weekends included.
    pub days: i64,
    /// Monday–Friday days in the range (the working days lost).
    pub weekdays_off: i64,
    /// Free-text detail.
    pub note: Option<String>,
    /// Where it was announced.
    pub source: Option<String>,
}

/// One extra working day as listed by `congvan calendar`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkListing {
    /// The day worked, ISO.
    pub date: String,
    /// Its weekday name.
    pub weekday: String,
    /// The weekday given off in exchange, ISO.
    pub replaces: Option<String>,
    /// Free-text detail.
    pub note: Option<String>,
    /// Where it was announced.
    pub source: Option<String>,
}

/// A year's listing; the JSON output of `congvan calendar YEAR --json` (keys in this order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearListing {
    /// The year.
    pub year: i32,
    /// "confirmed" or "provisional".
    pub status: Status,
    /// The law or rule the schedule follows.
    pub basis: String,
    /// Non-working ranges in date order.
    pub off: Vec<OffListing>,
    /// Extra working days in date order.
    pub work: Vec<WorkListing>,
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The listing of `year` (confirmed from the holidays file, else provisional from the rules).
/// Errors: `year` outside 1900–2100; with a strict calendar (`--strict`), a year that has only
/// a provisional schedule.
pub fn listing(calendar: &Calendar, year: i32) -> diag::Result<YearListing> {
    let schedule: std::sync::Arc<YearSchedule> = calendar.schedule(year)?;
    if calendar.is_strict() && schedule.status == Status::Provisional {
        return Err(diag::Error::input(format!(
            "{year} has no confirmed holiday schedule, only a provisional one"
        ))
        .hint("add the official schedule to a holidays file (--holidays FILE), or run without --strict"));
    }
    let off = schedule
        .off
        .iter()
        .map(|r| {
            let days: Vec<NaiveDate> = r.from.iter_days().take_while(|d| *d <= r.to).collect();
            OffListing {
                from: iso(r.from),
                to: iso(r.to),
                name: r.name.clone(),
                days: days.len() as i64,
                weekdays_off: days.iter().filter(|d| is_weekday(**d)).count() as i64,
                note: r.note.clone(),
                source: r.source.clone(),
            }
        })
        .collect();
    let work = schedule
        .work
        .iter()
        .map(|w| WorkListing {
            date: iso(w.date),
            weekday: weekday_name(w.date).to_owned(),
            replaces: w.replaces.map(iso),
            note: w.note.clone(),
            source: w.source.clone(),
        })
        .collect();
    Ok(YearListing {
        year,
        status: schedule.status,
        basis: schedule.basis.clone(),
        off,
        work,
    })
}

/// `congvan calendar YEAR`: one line per break and per make-up day, each marked.
pub fn render_text(calendar: &Calendar, year: i32) -> diag::Result<String> {
    let listing = listing(calendar, year)?;
    let mark = listing.status.as_str();
    let mut out = format!("{year}: {mark} ({})\n", listing.basis);
    if listing.status == Status::Provisional {
        out.push_str("warning: no official schedule is known for this year; the days below are computed from the labour code and may differ from the announced ones\n");
    }
    out.push_str("non-working days:\n");
    for r in &listing.off {
        let plural = |n: i64, word: &str| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        };
        out.push_str(&format!(
            "  {} – {}  {}  ({}, {} off) [{mark}]\n",
            r.from,
            r.to,
            r.name,
            plural(r.days, "day"),
            plural(r.weekdays_off, "weekday")
        ));
    }
    out.push_str("make-up working days:\n");
    if listing.work.is_empty() {
        out.push_str("  none\n");
    }
    for w in &listing.work {
        let replaces = w
            .replaces
            .as_deref()
            .map(|r| format!(" in exchange for {r}"))
            .unwrap_or_default();
        out.push_str(&format!("  {} {}{replaces} [{mark}]\n", w.date, w.weekday));
    }
    Ok(out)
}

/// `congvan calendar YEAR --json`: [`YearListing`] as pretty JSON with stable key order.
pub fn render_json(calendar: &Calendar, year: i32) -> diag::Result<String> {
    let listing = listing(calendar, year)?;
    serde_json::to_string_pretty(&listing)
        .map_err(|e| diag::Error::output(format!("cannot write the calendar as JSON ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_marks_confirmed_and_lists_make_up_days() {
        let cal = Calendar::builtin().unwrap();
        let text = render_text(&cal, 2026).unwrap();
        assert!(text.starts_with("2026: confirmed"), "{text}");
        assert!(text.contains("  2026-02-14 – 2026-02-22  Tết Nguyên đán Bính Ngọ  (9 days, 5 weekdays off) [confirmed]"), "{text}");
        assert!(
            text.contains("  2026-01-10 Thứ Bảy in exchange for 2026-01-02 [confirmed]"),
            "{text}"
        );
    }

    #[test]
    fn json_has_stable_keys_and_provisional_mark() {
        let cal = Calendar::builtin().unwrap();
        let json = render_json(&cal, 2027).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["status"], "provisional");
        assert_eq!(value["off"][0]["from"], "2027-01-01");
        let keys: Vec<&str> =
            ["\"year\"", "\"status\"", "\"basis\"", "\"off\"", "\"work\""].to_vec();
        let positions: Vec<usize> = keys.iter().map(|k| json.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{json}");
        assert!(render_json(&cal, 1899).is_err());
    }

    #[test]
    fn strict_refuses_a_provisional_year_only() {
        let mut cal = Calendar::builtin().unwrap();
        cal.set_strict(true);
        let e = render_text(&cal, 2027).unwrap_err();
        assert_eq!(
            e.message,
            "2027 has no confirmed holiday schedule, only a provisional one"
        );
        assert!(render_text(&cal, 2026)
            .unwrap()
            .starts_with("2026: confirmed"));
    }
}
