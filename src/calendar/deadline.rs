//! Deadline arithmetic per Bộ luật Dân sự 2015 Điều 144–148: the start day never counts;
//! working days, calendar days and months, rolled forward to a working day.

use super::{Calendar, DayInfo};
use crate::calendar::holidays::Status;
use crate::diag;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeSet;

/// How a period is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// "n ngày làm việc": count n working days after the start day.
    WorkingDays(u32),
    /// "n ngày": the n-th day after the start day, rolled forward to a working day.
    CalendarDays(u32),
    /// "n tháng": the same day n months later (clamped to month end), rolled forward.
    Months(u32),
}

/// What one day of a trace did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRole {
    /// The k-th counted day (working day, or calendar day in calendar-day mode).
    Counted(u32),
    /// The day n months after the start (months mode).
    MonthsLater(u32),
    /// Not a working day; passed over.
    Skipped,
    /// The first working day after a period ending on a non-working day (Điều 148).
    NextWorkingDay,
}

/// One day of a deadline computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The day and why it is (not) a working day.
    pub day: DayInfo,
    /// What it did in the count.
    pub role: StepRole,
}

/// A deadline with the day-by-day count that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The day the period runs from ("kể từ ngày …"); never counted.
    pub start: NaiveDate,
    /// The period.
    pub period: Period,
    /// The last permitted day, inclusive ("chậm nhất là ngày …").
    pub deadline: NaiveDate,
    /// The days looked at, in order; the last one is the deadline.
    pub steps: Vec<Step>,
    /// Provisional years whose schedule decided the result.
    pub provisional_years: BTreeSet<i32>,
}

fn next_day(date: NaiveDate) -> diag::Result<NaiveDate> {
    date.succ_opt()
        .ok_or_else(|| diag::Error::input(format!("no day after {date}")))
}

/// Compute a deadline with its trace. Provisional years are reported in the trace, not checked;
/// use [`Calendar::rely_on_provisional`] (the helpers below do) to warn or fail.
pub fn trace(calendar: &Calendar, start: NaiveDate, period: Period) -> diag::Result<Trace> {
    let count = match period {
        Period::WorkingDays(n) | Period::CalendarDays(n) | Period::Months(n) => n,
    };
    if count == 0 {
        return Err(
            diag::Error::input("a period must be at least 1 day or month long")
                .hint("write the number of days or months as 1 or more"),
        );
    }
    super::check_year_in_range(start.year())?;
    let mut steps = Vec::new();
    let mut provisional_years = BTreeSet::new();
    let note = |day: &DayInfo, years: &mut BTreeSet<i32>| {
        if day.status == Status::Provisional {
            years.insert(day.date.year());
        }
    };
    let mut date = start;
    match period {
        Period::WorkingDays(n) => {
            let mut counted = 0;
            while counted < n {
                date = next_day(date)?;
                let day = calendar.day(date)?;
                note(&day, &mut provisional_years);
                let role = if day.is_working() {
                    counted += 1;
                    StepRole::Counted(counted)
                } else {
                    StepRole::Skipped
                };
                steps.push(Step { day, role });
            }
        }
        Period::CalendarDays(n) => {
            for k in 1..=n {
                date = next_day(date)?;
                let day = calendar.day(date)?;
                steps.push(Step {
                    day,
                    role: StepRole::Counted(k),
                });
            }
        }
        Period::Months(n) => {
            date = start.checked_add_months(Months::new(n)).ok_or_else(|| {
                diag::Error::input(format!("{n} months after {start} is out of range"))
            })?;
            let day = calendar.day(date)?;
            steps.push(Step {
                day,
                role: StepRole::MonthsLater(n),
            });
        }
    }
    if !matches!(period, Period::WorkingDays(_)) {
        if let Some(last) = steps.last() {
            note(&last.day, &mut provisional_years);
            if !last.day.is_working() {
                loop {
                    date = next_day(date)?;
                    let day = calendar.day(date)?;
                    note(&day, &mut provisional_years);
                    if day.is_working() {
                        steps.push(Step {
                            day,
                            role: StepRole::NextWorkingDay,
                        });
                        break;
                    }
                    steps.push(Step {
                        day,
                        role: StepRole::Skipped,
                    });
                }
            }
        }
    }
    Ok(Trace {
        start,
        period,
        deadline: date,
        steps,
        provisional_years,
    })
}

/// The deadline only, warning (or, when strict, failing) through the calendar on provisional years.
pub fn deadline(calendar: &Calendar, start: NaiveDate, period: Period) -> diag::Result<NaiveDate> {
    let t = trace(calendar, start, period)?;
    calendar.rely_on_provisional(&t.provisional_years)?;
    Ok(t.deadline)
}

/// "chậm nhất n ngày làm việc kể từ ngày `start`".
pub fn working_days_after(
    calendar: &Calendar,
    start: NaiveDate,
    n: u32,
) -> diag::Result<NaiveDate> {
    deadline(calendar, start, Period::WorkingDays(n))
}

/// "trong thời hạn n ngày kể từ ngày `start`".
pub fn calendar_days_after(
    calendar: &Calendar,
    start: NaiveDate,
    n: u32,
) -> diag::Result<NaiveDate> {
    deadline(calendar, start, Period::CalendarDays(n))
}

/// "trong thời hạn n tháng kể từ ngày `start`".
pub fn months_after(calendar: &Calendar, start: NaiveDate, n: u32) -> diag::Result<NaiveDate> {
    deadline(calendar, start, Period::Months(n))
}

/// The date to write after "trước ngày" so that `last_day` stays the last permitted day:
/// the next calendar day.
pub fn before_date(last_day: NaiveDate) -> diag::Result<NaiveDate> {
    next_day(last_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn zero_is_an_error() {
        let cal = Calendar::builtin().unwrap();
        assert!(working_days_after(&cal, d(2025, 1, 20), 0).is_err());
        assert!(months_after(&cal, d(2025, 1, 20), 0).is_err());
    }

    #[test]
    fn months_clamp_to_month_end_then_roll() {
        let cal = Calendar::builtin().unwrap();
        // 31/1/2025 + 1 month → 28/2/2025 (Friday, working).
        assert_eq!(
            months_after(&cal, d(2025, 1, 31), 1).unwrap(),
            d(2025, 2, 28)
        );
        // 31/3/2024 + 1 month → 30/4/2024 (holiday) → 2/5/2024 (Thursday).
        assert_eq!(
            months_after(&cal, d(2024, 3, 31), 1).unwrap(),
            d(2024, 5, 2)
        );
    }

    #[test]
    fn trace_lists_skipped_days() {
        let cal = Calendar::builtin().unwrap();
        let t = trace(&cal, d(2025, 1, 25), Period::WorkingDays(1)).unwrap();
        assert_eq!(t.deadline, d(2025, 2, 3));
        assert_eq!(t.steps.len(), 9);
        assert!(t.steps[..8].iter().all(|s| s.role == StepRole::Skipped));
        assert_eq!(t.steps[8].role, StepRole::Counted(1));
    }

    #[test]
    fn running_past_the_range_is_an_error() {
        let cal = Calendar::builtin().unwrap();
        assert!(working_days_after(&cal, d(2100, 12, 20), 30).is_err());
        assert!(calendar_days_after(&cal, d(1899, 12, 20), 3).is_err());
    }

    #[test]
    fn before_date_is_next_day() {
        assert_eq!(before_date(d(2026, 2, 9)).unwrap(), d(2026, 2, 10));
    }
}
