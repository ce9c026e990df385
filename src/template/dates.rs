//! Date functions and filters for letter templates (Tera): deadlines from the working-day
//! calendar and NĐ 30 date wording, all over ISO "YYYY-MM-DD" strings so they chain.

use crate::calendar::deadline::{self, Period};
use crate::calendar::{wording, Calendar};
use chrono::NaiveDate;
use std::sync::Arc;
use tera::{Kwargs, State, TeraResult};

fn template_error(name: &str, error: impl std::fmt::Display) -> tera::Error {
    tera::Error::message(format!("`{name}`: {error}"))
}

/// Parse an ISO date given to filter or function `name`.
fn parse_date(name: &str, value: &str) -> TeraResult<NaiveDate> {
    wording::parse_iso(value).map_err(|_| {
        template_error(
            name,
            format!("\"{value}\" is not a date; expected YYYY-MM-DD, e.g. \"2024-07-30\""),
        )
    })
}

/// A deadline function: `n` (required, ≥ 1) periods after `from` (default: the letter date).
fn deadline_function(
    name: &'static str,
    calendar: Arc<Calendar>,
    letter_date: NaiveDate,
    period: fn(u32) -> Period,
) -> impl Fn(Kwargs, &State) -> TeraResult<String> + Sync + Send + 'static {
    move |kwargs: Kwargs, _: &State| {
        let n = kwargs.must_get::<i64>("n")?;
        let n = u32::try_from(n).ok().filter(|n| *n >= 1).ok_or_else(|| {
            template_error(name, format!("n must be a whole number ≥ 1, got {n}"))
        })?;
        let from = match kwargs.get::<&str>("from")? {
            Some(text) => parse_date(name, text)?,
            None => letter_date,
        };
        let date = deadline::deadline(&calendar, from, period(n))
            .map_err(|e| template_error(name, diag_text(&e)))?;
        Ok(wording::iso(date))
    }
}

fn diag_text(error: &crate::diag::Error) -> String {
    match &error.hint {
        Some(hint) => format!("{} ({hint})", error.message),
        None => error.message.clone(),
    }
}

/// Register the date functions and filters on `tera`.
///
/// Functions (return ISO dates; `from` defaults to `letter_date`):
/// `working_days_after(n=10, from="2024-07-30")`, `days_after(n, from?)`, `months_after(n, from?)`.
/// Filters over ISO dates: `date_header` ("ngày 05 tháng 3 năm 2024"), `date_body`
/// ("30/7/2024"; `pad=true` → "30/07/2024"), `before_date` (the next calendar day, for
/// "trước ngày"), `weekday` ("Thứ Ba"). Deadlines in provisional years are recorded in
/// [`Calendar::warnings`], or fail the render when the calendar is strict.
pub fn register(tera: &mut tera::Tera, calendar: Arc<Calendar>, letter_date: NaiveDate) {
    tera.register_function(
        "working_days_after",
        deadline_function(
            "working_days_after",
            Arc::clone(&calendar),
            letter_date,
            Period::WorkingDays,
        ),
    );
    tera.register_function(
        "days_after",
        deadline_function(
            "days_after",
            Arc::clone(&calendar),
            letter_date,
            Period::CalendarDays,
        ),
    );
    tera.register_function(
        "months_after",
        deadline_function("months_after", calendar, letter_date, Period::Months),
    );
    tera.register_filter(
        "date_header",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(wording::header_date(
                parse_date("date_header", value)?,
                false,
            ))
        },
    );
    tera.register_filter(
        "date_body",
        |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let pad = kwargs.get::<bool>("pad")?.unwrap_or(false);
            Ok(wording::body_date(parse_date("date_body", value)?, pad))
        },
    );
    tera.register_filter(
        "before_date",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            let last_day = parse_date("before_date", value)?;
            let date = deadline::before_date(last_day)
                .map_err(|e| template_error("before_date", diag_text(&e)))?;
            Ok(wording::iso(date))
        },
    );
    tera.register_filter(
        "weekday",
        |value: &str, _: Kwargs, _: &State| -> TeraResult<String> {
            Ok(wording::weekday_name(parse_date("weekday", value)?).to_owned())
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> TeraResult<String> {
        let mut tera = tera::Tera::default();
        let calendar = Arc::new(Calendar::builtin().unwrap());
        register(
            &mut tera,
            calendar,
            NaiveDate::from_ymd_opt(2025, 1, 20).unwrap(),
        );
        tera.render_str(template, &tera::Context::new(), false)
    }

    #[test]
    fn functions_default_to_letter_date_and_chain() {
        assert_eq!(
            render("{{ working_days_after(n=10) }}").unwrap(),
            "2025-02-10"
        );
        assert_eq!(
            render("{{ working_days_after(n=10) | date_body(pad=true) }}").unwrap(),
            "10/02/2025"
        );
        assert_eq!(
            render("{{ days_after(n=10, from=\"2025-04-19\") | weekday }}").unwrap(),
            "Thứ Ba"
        );
    }

    #[test]
    fn not_a_date_is_a_tera_error() {
        let e = render("{{ \"30/7/2024\" | date_header }}").unwrap_err();
        let text = format!("{e:?}");
        assert!(text.contains("not a date"), "{text}");
        assert!(render("{{ 5 | weekday }}").is_err());
        assert!(render("{{ working_days_after(n=0) }}").is_err());
        assert!(render("{{ working_days_after(n=-3) }}").is_err());
        assert!(render("{{ working_days_after() }}").is_err());
    }
}
