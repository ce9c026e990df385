//! The Vietnamese civil-service calendar: which days are working days, and why.
//! Owns holiday data, the lunar calendar, deadline arithmetic and date wording.

// `diag::Error` is the crate's one rich error type (file, line, field, hint) by design.

pub mod deadline;
pub mod holidays;
pub mod lunar;
pub mod wording;

use crate::diag;
use chrono::{Datelike, NaiveDate, Weekday};
use holidays::{HolidayFile, Status, YearSchedule};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

/// First year the calendar can classify (the lunar conversion is tested from here).
pub const FIRST_YEAR: i32 = 1900;
/// Last year the calendar can classify (the lunar conversion is tested up to here).
pub const LAST_YEAR: i32 = 2100;

/// The built-in holidays file, compiled into the binary.
pub const BUILTIN_HOLIDAYS: &str = include_str!("../../data/holidays/vn.toml");
/// The name the built-in file has in error messages.
pub const BUILTIN_HOLIDAYS_NAME: &str = "data/holidays/vn.toml";

/// Why a day is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday working day.
    Working,
    /// A Saturday or Sunday worked in exchange for a weekday off ("làm bù").
    MakeUp {
        /// The weekday given off in exchange, when known.
        replaces: Option<NaiveDate>,
    },
    /// A Saturday or Sunday outside any break.
    Weekend,
    /// A day inside a holiday break (holiday, nghỉ bù, swapped day, or weekend inside it).
    Holiday {
        /// The break's name, e.g. "Tết Nguyên đán Ất Tỵ".
        name: String,
    },
}

/// One classified day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    /// The day.
    pub date: NaiveDate,
    /// Why it is (not) a working day.
    pub kind: DayKind,
    /// Whether the year's schedule is confirmed or provisional.
    pub status: Status,
}

impl DayInfo {
    /// True for working days, make-up Saturdays included.
    pub fn is_working(&self) -> bool {
        matches!(self.kind, DayKind::Working | DayKind::MakeUp { .. })
    }
}

/// The working-day calendar: confirmed schedules from a holidays file, provisional ones from
/// the rules for every other year in [`FIRST_YEAR`]..=[`LAST_YEAR`].
///
/// It also remembers which provisional years deadline helpers relied on, so the caller can
/// print [`Calendar::warnings`]; in strict mode relying on one is an error instead.
#[derive(Debug)]
pub struct Calendar {
    confirmed: BTreeMap<i32, Arc<YearSchedule>>,
    unconfirmed_in_file: BTreeSet<i32>,
    provisional: Mutex<BTreeMap<i32, Arc<YearSchedule>>>,
    provisional_used: Mutex<BTreeSet<i32>>,
    strict: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Calendar {
    /// The calendar of the built-in `data/holidays/vn.toml`.
    pub fn builtin() -> diag::Result<Calendar> {
        Calendar::from_toml(BUILTIN_HOLIDAYS, Path::new(BUILTIN_HOLIDAYS_NAME))
    }

    /// A calendar from holidays-file text; `file` names it in errors.
    pub fn from_toml(text: &str, file: &Path) -> diag::Result<Calendar> {
        Ok(Calendar::from_holiday_file(holidays::parse_holiday_file(
            text, file,
        )?))
    }

    /// A calendar read from a holidays file on disk.
    pub fn load(path: &Path) -> diag::Result<Calendar> {
        let text = std::fs::read_to_string(path).map_err(|e| diag::Error::io("read", path, &e))?;
        Calendar::from_toml(&text, path)
    }

    /// A calendar from already parsed holiday data.
    pub fn from_holiday_file(file: HolidayFile) -> Calendar {
        Calendar {
            confirmed: file
                .confirmed
                .into_iter()
                .map(|(year, s)| (year, Arc::new(s)))
                .collect(),
            unconfirmed_in_file: file.unconfirmed,
            provisional: Mutex::new(BTreeMap::new()),
            provisional_used: Mutex::new(BTreeSet::new()),
            strict: false,
        }
    }

    /// In strict mode, a deadline that depends on a provisional year is an error.
    pub fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Whether strict mode is on.
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Years with a confirmed schedule, ascending.
    pub fn confirmed_years(&self) -> Vec<i32> {
        self.confirmed.keys().copied().collect()
    }

    /// Years the holidays file lists as unconfirmed (they get provisional schedules).
    pub fn unconfirmed_years(&self) -> Vec<i32> {
        self.unconfirmed_in_file.iter().copied().collect()
    }

    /// The schedule of `year`: the confirmed one, or a provisional one from the rules.
    /// An error outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    pub fn schedule(&self, year: i32) -> diag::Result<Arc<YearSchedule>> {
        check_year_in_range(year)?;
        if let Some(s) = self.confirmed.get(&year) {
            return Ok(Arc::clone(s));
        }
        let mut cache = lock(&self.provisional);
        if let Some(s) = cache.get(&year) {
            return Ok(Arc::clone(s));
        }
        let schedule = Arc::new(holidays::provisional_schedule(year)?);
        cache.insert(year, Arc::clone(&schedule));
        Ok(schedule)
    }

    /// Classify one day. An error outside the supported years.
    pub fn day(&self, date: NaiveDate) -> diag::Result<DayInfo> {
        let schedule = self.schedule(date.year())?;
        let kind = if let Some(extra) = schedule.extra_work_day(date) {
            DayKind::MakeUp {
                replaces: extra.replaces,
            }
        } else if let Some(range) = schedule.off_range(date) {
            DayKind::Holiday {
                name: range.name.clone(),
            }
        } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            DayKind::Weekend
        } else {
            DayKind::Working
        };
        Ok(DayInfo {
            date,
            kind,
            status: schedule.status,
        })
    }

    /// True when `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> diag::Result<bool> {
        Ok(self.day(date)?.is_working())
    }

    /// Note that a result relied on the provisional `years`: an error in strict mode, otherwise
    /// remembered for [`Calendar::warnings`].
    pub fn rely_on_provisional(&self, years: &BTreeSet<i32>) -> diag::Result<()> {
        if years.is_empty() {
            return Ok(());
        }
        if self.strict {
            return Err(provisional_error(years));
        }
        lock(&self.provisional_used).extend(years.iter().copied());
        Ok(())
    }

    /// One warning per provisional year a result relied on so far, for the caller to print.
    pub fn warnings(&self) -> Vec<String> {
        lock(&self.provisional_used)
            .iter()
            .map(|year| provisional_warning(*year))
            .collect()
    }
}

/// The warning for a result that relied on the provisional schedule of `year`.
pub fn provisional_warning(year: i32) -> String {
    format!(
        "{year} has no confirmed holiday schedule; days in {year} were counted with a provisional calendar (BLLĐ 2019 rules), check the official schedule"
    )
}

/// The strict-mode error for results relying on provisional `years`.
pub fn provisional_error(years: &BTreeSet<i32>) -> diag::Error {
    let list = years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    diag::Error::input(format!(
        "the deadline depends on the provisional calendar of {list}"
    ))
    .hint("add the official schedule to a holidays file, or run without --strict")
}

/// An error unless `year` is within the supported range.
pub fn check_year_in_range(year: i32) -> diag::Result<()> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(diag::Error::input(format!(
            "{year} is outside the calendar's range {FIRST_YEAR}–{LAST_YEAR}"
        ))
        .hint("working days can only be counted where the lunar calendar is validated"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn builtin_parses_and_classifies() {
        let cal = Calendar::builtin().unwrap();
        assert_eq!(cal.confirmed_years(), (2020..=2026).collect::<Vec<_>>());
        assert_eq!(cal.unconfirmed_years(), vec![2027]);
        assert_eq!(
            cal.day(d(2025, 4, 26)).unwrap().kind,
            DayKind::MakeUp {
                replaces: Some(d(2025, 5, 2))
            }
        );
        assert_eq!(
            cal.day(d(2025, 5, 3)).unwrap().kind,
            DayKind::Holiday {
                name: "30/4 – 1/5 (hoán đổi)".into()
            }
        );
        assert_eq!(cal.day(d(2025, 5, 10)).unwrap().kind, DayKind::Weekend);
        assert_eq!(cal.day(d(2025, 5, 12)).unwrap().kind, DayKind::Working);
        assert_eq!(cal.day(d(2027, 3, 1)).unwrap().status, Status::Provisional);
    }

    #[test]
    fn out_of_range_is_error() {
        let cal = Calendar::builtin().unwrap();
        assert!(cal.day(d(1899, 12, 31)).is_err());
        assert!(cal.day(d(2101, 1, 1)).is_err());
        assert!(cal.day(d(1900, 1, 1)).is_ok());
        assert!(cal.day(d(2100, 12, 31)).is_ok());
    }

    #[test]
    fn strict_turns_provisional_into_error() {
        let mut cal = Calendar::builtin().unwrap();
        let years: BTreeSet<i32> = [2027].into();
        cal.rely_on_provisional(&years).unwrap();
        assert_eq!(cal.warnings().len(), 1);
        assert!(cal.warnings()[0].starts_with("2027 "));
        cal.set_strict(true);
        assert!(cal.rely_on_provisional(&years).is_err());
    }
}
