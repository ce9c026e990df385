//! `congvan deadline FROM N [--calendar-days] [--strict]`: the deadline and the day-by-day
//! count behind it, with skipped days and why.

use crate::calendar::deadline::{self as arithmetic, Period, StepRole, Trace};
use crate::calendar::holidays::Status;
use crate::calendar::wording::{iso, weekday_name};
use crate::calendar::{provisional_error, provisional_warning, Calendar, DayInfo, DayKind};
use crate::diag;
use chrono::NaiveDate;

/// The result of `congvan deadline`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineReport {
    /// The computation, day by day.
    pub trace: Trace,
    /// Warnings for the caller to print on stderr (provisional years relied on).
    pub warnings: Vec<String>,
}

impl DeadlineReport {
    /// The last permitted day.
    pub fn deadline(&self) -> NaiveDate {
        self.trace.deadline
    }
}

/// Count `n` working days (or, with `calendar_days`, `n` calendar days rolled forward to a working
/// day) after `from`. With `strict` (or a strict calendar) a provisional year is an error.
pub fn deadline(
    calendar: &Calendar,
    from: NaiveDate,
    n: u32,
    calendar_days: bool,
    strict: bool,
) -> diag::Result<DeadlineReport> {
    let period = if calendar_days {
        Period::CalendarDays(n)
    } else {
        Period::WorkingDays(n)
    };
    let trace = arithmetic::trace(calendar, from, period)?;
    if (strict || calendar.is_strict()) && !trace.provisional_years.is_empty() {
        return Err(provisional_error(&trace.provisional_years));
    }
    let warnings = trace
        .provisional_years
        .iter()
        .map(|year| provisional_warning(*year))
        .collect();
    Ok(DeadlineReport { trace, warnings })
}

/// Why a day is not a working day, in a few words.
fn reason(day: &DayInfo) -> String {
    let text = match &day.kind {
        DayKind::Holiday { name } => name.clone(),
        DayKind::Weekend => "weekend".to_owned(),
        DayKind::Working | DayKind::MakeUp { .. } => "working day".to_owned(),
    };
    if day.status == Status::Provisional && matches!(day.kind, DayKind::Holiday { .. }) {
        format!("{text} (provisional)")
    } else {
        text
    }
}

fn make_up_note(day: &DayInfo) -> String {
    match day.kind {
        DayKind::MakeUp {
            replaces: Some(replaced),
        } => format!(" (make-up working day for {})", iso(replaced)),
        DayKind::MakeUp { replaces: None } => " (make-up working day)".to_owned(),
        _ => String::new(),
    }
}

/// The text output: the ISO deadline on the first line, then what was counted, one day a line,
/// e.g. `2025-01-25 Thứ Bảy  skipped: Tết Nguyên đán Ất Tỵ`, `2025-02-03 Thứ Hai  day 1`.
pub fn render_text(report: &DeadlineReport) -> String {
    let trace = &report.trace;
    let mut out = format!("{}\n", iso(trace.deadline));
    let what = match trace.period {
        Period::WorkingDays(n) => format!("{n} working day(s)"),
        Period::CalendarDays(n) => format!("{n} calendar day(s)"),
        Period::Months(n) => format!("{n} month(s)"),
    };
    out.push_str(&format!(
        "{what} from {} {}; the start day is not counted\n",
        iso(trace.start),
        weekday_name(trace.start)
    ));
    for step in &trace.steps {
        let day = &step.day;
        let action = match step.role {
            StepRole::Counted(k) | StepRole::MonthsLater(k) => {
                let unit = if matches!(step.role, StepRole::Counted(_)) {
                    "day"
                } else {
                    "month"
                };
                if day.is_working() {
                    format!("{unit} {k}{}", make_up_note(day))
                } else {
                    format!("{unit} {k} (not a working day: {})", reason(day))
                }
            }
            StepRole::Skipped => format!("skipped: {}", reason(day)),
            StepRole::NextWorkingDay => {
                format!("next working day, deadline{}", make_up_note(day))
            }
        };
        out.push_str(&format!(
            "{} {}  {action}\n",
            iso(day.date),
            weekday_name(day.date)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn text_lists_skipped_days_with_reasons() {
        let cal = Calendar::builtin().unwrap();
        let report = deadline(&cal, d(2025, 1, 24), 1, false, false).unwrap();
        let text = render_text(&report);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "2025-02-03");
        assert!(
            lines.contains(&"2025-01-25 Thứ Bảy  skipped: Tết Nguyên đán Ất Tỵ"),
            "{text}"
        );
        assert_eq!(*lines.last().unwrap(), "2025-02-03 Thứ Hai  day 1");
        assert!(report.warnings.is_empty());
    }

    #[test]
    fn make_up_day_and_roll_forward_are_explained() {
        let cal = Calendar::builtin().unwrap();
        let text = render_text(&deadline(&cal, d(2025, 4, 25), 1, false, false).unwrap());
        assert!(
            text.contains("2025-04-26 Thứ Bảy  day 1 (make-up working day for 2025-05-02)"),
            "{text}"
        );
        let text = render_text(&deadline(&cal, d(2026, 1, 16), 15, true, false).unwrap());
        assert!(text.starts_with("2026-02-02\n"), "{text}");
        assert!(
            text.contains("2026-01-31 Thứ Bảy  day 15 (not a working day: weekend)"),
            "{text}"
        );
        assert!(
            text.contains("2026-02-01 Chủ nhật  skipped: weekend"),
            "{text}"
        );
        assert!(
            text.ends_with("2026-02-02 Thứ Hai  next working day, deadline\n"),
            "{text}"
        );
    }

    #[test]
    fn provisional_year_warns_and_strict_fails() {
        let cal = Calendar::builtin().unwrap();
        let report = deadline(&cal, d(2027, 2, 4), 2, false, false).unwrap();
        // 2027 provisional Tết 5–11/2 (reference baseline): day 1 is Fri 12/2, day 2 Mon 15/2.
        assert_eq!(report.deadline(), d(2027, 2, 15));
        assert_eq!(report.warnings.len(), 1);
        assert!(render_text(&report).contains("skipped: Tết Nguyên đán Đinh Mùi (provisional)"));
        assert!(deadline(&cal, d(2027, 2, 4), 2, false, true).is_err());
    }
}
