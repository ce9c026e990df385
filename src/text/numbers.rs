//! Vietnamese numbers: parsing what offices type into spreadsheets ("65,52%", "1.234", "65.52")
//! and formatting for letters ("65,52%", "60%", "1.234.567").
//!
//! Parsing rules, in order:
//! - spaces (also no-break) are ignored, a trailing '%' is dropped (the value stays in percent);
//! - both '.' and ',' present: the last one is the decimal separator, the other groups thousands;
//! - only ',': one comma is a decimal comma ("65,52"); several commas group thousands ("1,234,567");
//! - only '.': "1.234" or "12.345.678" (groups of exactly three digits) are thousands;
//!   anything else ("65.5", "0.25") is a decimal point.

use num_format::{Locale, ToFormattedString};

/// Why a text is not a number (the caller adds file, line and hint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotANumber;

/// Parse a number as written in a Vietnamese export. Returns the number and whether a '%'
/// sign was present.
pub fn parse(text: &str) -> Result<(f64, bool), NotANumber> {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    // A leading '+' or '-' (also the Unicode minus).
    let (negative, body) = match s.chars().next() {
        Some('-') | Some('\u{2212}') => (true, s.chars().skip(1).collect::<String>()),
        Some('+') => (false, s.chars().skip(1).collect::<String>()),
        _ => (false, s.clone()),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Err(NotANumber);
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let plain: String = if dots > 0 && commas > 0 {
        let last_dot = body.rfind('.').unwrap_or(0);
        let last_comma = body.rfind(',').unwrap_or(0);
        let (decimal, group) = if last_comma > last_dot {
            (',', '.')
        } else {
            ('.', ',')
        };
        if body.matches(decimal).count() != 1
            || !groups_ok(body.split(decimal).next().unwrap_or(""), group)
        {
            return Err(NotANumber);
        }
        body.replace(group, "").replace(decimal, ".")
    } else if commas == 1 {
        body.replace(',', ".")
    } else if commas > 1 {
        if !groups_ok(&body, ',') {
            return Err(NotANumber);
        }
        body.replace(',', "")
    } else if dots >= 1 && groups_ok(&body, '.') {
        body.replace('.', "")
    } else if dots <= 1 {
        body
    } else {
        return Err(NotANumber);
    };
    if plain.starts_with('.') || plain.ends_with('.') {
        return Err(NotANumber);
    }
    let v: f64 = plain.parse().map_err(|_| NotANumber)?;
    if !v.is_finite() {
        return Err(NotANumber);
    }
    Ok((if negative { -v } else { v }, percent))
}

/// Why a text is not a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotACount {
    /// Not a number at all.
    NotANumber,
    /// A number with a fraction (a count of dossiers is whole), or a percentage.
    NotWhole,
    /// "1,000": one comma then three digits, whole both as 1 and as 1000.
    Ambiguous,
}

/// Parse a count (a numerator or denominator: a whole number of dossiers).
///
/// A count is whole, so the one comma of "1,200" cannot be a decimal comma (1.2 dossiers):
/// it groups thousands, 1200, as English-locale exports write it. "1,000" reads as a whole
/// number both ways (1 or 1000) and is refused as [`NotACount::Ambiguous`]. Everything else
/// follows [`parse`], and a result with a fraction (or a '%' sign) is [`NotACount::NotWhole`].
pub fn parse_count(text: &str) -> Result<f64, NotACount> {
    let body: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    if !body.contains('.') && body.matches(',').count() == 1 && groups_ok(&body, ',') {
        let (_, frac) = body.split_once(',').unwrap_or_default();
        if frac == "000" {
            return Err(NotACount::Ambiguous);
        }
        return body
            .replace(',', "")
            .parse()
            .map_err(|_| NotACount::NotANumber);
    }
    match parse(text) {
        Ok((_, true)) => Err(NotACount::NotWhole),
        Ok((v, false)) if v.fract() != 0.0 => Err(NotACount::NotWhole),
        Ok((v, false)) => Ok(v),
        Err(NotANumber) => Err(NotACount::NotANumber),
    }
}

/// Whether `s` is digits grouped by `sep` in threes ("1.234.567"), with at least one `sep`.
fn groups_ok(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    let mut any = false;
    if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    for p in parts {
        any = true;
        if p.len() != 3 || !p.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    any
}

/// How whole numbers print: "60%" (`Trim`, as seed 000 does) or "60,00%" (`Keep`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Whole {
    /// Drop the decimals of a value that rounds to a whole number.
    #[default]
    Trim,
    /// Always print `precision` decimals.
    Keep,
}

/// A decimal with a decimal comma and thousands dots: `decimal(1234.5, 2, Keep)` = "1.234,50".
pub fn decimal(value: f64, precision: usize, whole: Whole) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let fixed = format!("{:.*}", precision, value.abs());
    let (int_part, frac) = match fixed.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (fixed.clone(), String::new()),
    };
    let negative = value < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(&int_part));
    let frac_is_zero = frac.chars().all(|c| c == '0');
    let drop = frac.is_empty() || (whole == Whole::Trim && frac_is_zero);
    if !drop {
        out.push(',');
        out.push_str(&frac);
    }
    out
}

/// A percentage: `percent(65.52, 2, Trim)` = "65,52%", `percent(60.0, 2, Trim)` = "60%".
pub fn percent(value: f64, precision: usize, whole: Whole) -> String {
    format!("{}%", decimal(value, precision, whole))
}

/// `value` as it prints with `precision` decimals (the same rounding as [`decimal`]):
/// `at_precision(89.996, 2)` = 90.0. Verdicts compare these, so a value that prints as its
/// target is never listed below it.
pub fn at_precision(value: f64, precision: usize) -> f64 {
    if !value.is_finite() {
        return value;
    }
    if already_at(value, precision) {
        return value;
    }
    exact_at_precision(value, precision)
}

/// [`at_precision`] the long way: print with `precision` decimals, read back.
fn exact_at_precision(value: f64, precision: usize) -> f64 {
    format!("{:.*}", precision, value).parse().unwrap_or(value)
}

/// Whether `value` prints with `precision` decimals as itself (most values read from a file:
/// "89,22" at 2 decimals): its shortest form (what `Display` writes, which reads back as
/// `value`) has at most `precision` decimals. Then that form is the multiple of 10^-precision
/// nearest to `value`, since `value` lies within half a unit in the last place of it and, below
/// 1e9 with at most 6 decimals, a unit in the last place (≤ 2^-23) is less than 10^-precision;
/// so printing with `precision` decimals gives it, padded with zeros, and reading it back gives
/// `value`. Checked on a stack buffer, without allocating.
fn already_at(value: f64, precision: usize) -> bool {
    if precision > 6 || value.abs() >= 1e9 {
        return false;
    }
    struct Shortest {
        buf: [u8; 48],
        len: usize,
    }
    impl std::fmt::Write for Shortest {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let end = self.len + s.len();
            self.buf
                .get_mut(self.len..end)
                .ok_or(std::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }
    let mut w = Shortest {
        buf: [0; 48],
        len: 0,
    };
    if std::fmt::write(&mut w, format_args!("{value}")).is_err() {
        return false; // a tiny value with many decimals
    }
    let text = &w.buf[..w.len];
    match text.iter().position(|&b| b == b'.') {
        Some(dot) => text.len() - dot - 1 <= precision,
        None => true,
    }
}

/// `v` rounded to 6 decimals, so JSON shows 24.48 rather than 24.480000000000004.
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// An integer with thousands dots: 1234567 → "1.234.567".
pub fn integer(value: i64) -> String {
    let s = value.unsigned_abs().to_formatted_string(&Locale::vi);
    // num-format's "vi" groups with '.'; normalise in case a future table changes.
    let s = s.replace([',', '\u{a0}', ' '], ".");
    if value < 0 {
        format!("-{s}")
    } else {
        s
    }
}

/// Digits grouped by three with dots ("1234567" → "1.234.567"); works past u64 (a figure of
/// 1e25 from a spreadsheet must not print as 0).
fn group_digits(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcut of [`at_precision`] agrees with printing and reading back, on values
        /// as files give them (a few decimals), as divisions make them, and anywhere.
        #[test]
        fn at_precision_agrees_with_printing(
            hundredths in -1_000_000_000i64..1_000_000_000,
            decimals in 0u32..8,
            n in 0u32..100_000,
            d in 1u32..100_000,
            any in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
            precision in 0usize..9,
        ) {
            let given = hundredths as f64 / 10f64.powi(decimals as i32);
            let rate = f64::from(n) / f64::from(d) * 100.0;
            for v in [given, rate, any, -rate] {
                proptest::prop_assert_eq!(
                    at_precision(v, precision).to_bits(),
                    exact_at_precision(v, precision).to_bits(),
                    "{} at {}", v, precision
                );
            }
        }
    }

    #[test]
    fn values_already_at_the_precision_are_kept_and_others_rounded() {
        assert!(already_at(89.22, 2) && already_at(90.0, 0) && already_at(-0.5, 1));
        assert!(!already_at(89.225, 2) && !already_at(1e9, 2) && !already_at(0.1, 7));
        assert_eq!(at_precision(89.996, 2), 90.0);
        assert_eq!(at_precision(89.22, 2), 89.22);
        assert_eq!(at_precision(2.0 / 3.0 * 100.0, 2), 66.67);
    }

    /// Edges of the shortcut: a half that is not one in binary, a value just under it, tiny,
    /// huge and negative zero agree with printing and reading back, and with what prints.
    #[test]
    fn at_precision_edges_agree_with_what_prints() {
        for v in [
            89.995,
            89.9949999,
            89.99499999999999,
            1e-7,
            -1e-7,
            1e21,
            -0.0,
            0.005,
            999_999_999.995,
            5e-324,
        ] {
            for p in 0..=7 {
                assert_eq!(
                    at_precision(v, p).to_bits(),
                    exact_at_precision(v, p).to_bits(),
                    "{v} at {p}"
                );
                if p <= 2 {
                    assert_eq!(
                        decimal(at_precision(v, p), p, Whole::Keep),
                        decimal(v, p, Whole::Keep),
                        "{v} at {p}"
                    );
                }
            }
        }
        assert_eq!(at_precision(89.9949999, 2), 89.99);
        assert_eq!(at_precision(-0.0, 2).to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn formats_beyond_u64() {
        assert_eq!(decimal(1234567.5, 2, Whole::Keep), "1.234.567,50");
        assert_eq!(
            decimal(1e25, 0, Whole::Trim),
            "10.000.000.000.000.000.905.969.664"
        );
        assert_eq!(decimal(-0.004, 2, Whole::Trim), "0");
        assert_eq!(decimal(999.0, 0, Whole::Trim), "999");
    }

    #[test]
    fn parses_office_numbers() {
        assert_eq!(parse("65,52"), Ok((65.52, false)));
        assert_eq!(parse("65,52%"), Ok((65.52, true)));
        assert_eq!(parse(" 65,52 % "), Ok((65.52, true)));
        assert_eq!(parse("65.52"), Ok((65.52, false)));
        assert_eq!(parse("1.234"), Ok((1234.0, false)));
        assert_eq!(parse("1.234.567"), Ok((1234567.0, false)));
        assert_eq!(parse("1.234,5"), Ok((1234.5, false)));
        assert_eq!(parse("1,234.5"), Ok((1234.5, false)));
        assert_eq!(parse("1,234,567"), Ok((1234567.0, false)));
        assert_eq!(parse("100"), Ok((100.0, false)));
        assert_eq!(parse("-5,5"), Ok((-5.5, false)));
        for bad in [
            "",
            "%",
            "abc",
            "6,5,2,1",
            "1.2.3",
            "12,34.5.6",
            ",5",
            "5,",
            "NaN",
            "1e5",
        ] {
            assert_eq!(parse(bad), Err(NotANumber), "{bad}");
        }
    }

    #[test]
    fn trust_numbers_counts_are_whole() {
        assert_eq!(parse_count("1,200"), Ok(1200.0));
        assert_eq!(parse_count("12,345"), Ok(12345.0));
        assert_eq!(parse_count("1,234,567"), Ok(1234567.0));
        assert_eq!(parse_count("1.200"), Ok(1200.0));
        assert_eq!(parse_count("1 200"), Ok(1200.0));
        assert_eq!(parse_count("900"), Ok(900.0));
        assert_eq!(parse_count("1,000"), Err(NotACount::Ambiguous));
        assert_eq!(parse_count("1,5"), Err(NotACount::NotWhole));
        assert_eq!(parse_count("12,34"), Err(NotACount::NotWhole));
        assert_eq!(parse_count("65.5"), Err(NotACount::NotWhole));
        assert_eq!(parse_count("50%"), Err(NotACount::NotWhole));
        assert_eq!(parse_count("x"), Err(NotACount::NotANumber));
    }

    #[test]
    fn formats_vietnamese() {
        assert_eq!(percent(65.52, 2, Whole::Trim), "65,52%");
        assert_eq!(percent(60.0, 2, Whole::Trim), "60%");
        assert_eq!(percent(60.0, 2, Whole::Keep), "60,00%");
        assert_eq!(percent(37.5, 2, Whole::Trim), "37,50%");
        assert_eq!(percent(5.2551, 1, Whole::Trim), "5,3%");
        assert_eq!(decimal(1234.5, 2, Whole::Keep), "1.234,50");
        assert_eq!(decimal(-0.001, 2, Whole::Keep), "0,00");
        assert_eq!(integer(1_234_567), "1.234.567");
        assert_eq!(integer(-1000), "-1.000");
        assert_eq!(integer(12), "12");
    }
}
