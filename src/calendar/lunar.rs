//! Vietnamese lunar calendar (âm lịch) at UTC+7, after Hồ Ngọc Đức's astronomical method.
//! Owns solar↔lunar conversion, mùng 1 Tết and Giỗ Tổ (10/3 âm lịch) of a year.

use chrono::{Datelike, NaiveDate};
use std::f64::consts::PI;

/// Vietnam's time zone in hours; the lunar calendar is computed at this meridian.
pub const VIETNAM_UTC_OFFSET_HOURS: f64 = 7.0;

/// Julian day number of 1900-01-01 minus one half-day origin used by the method (JD 2415021).
const EPOCH_JDN: f64 = 2_415_021.0;
/// Julian date of the new moon of 1900-01-01 13:52 UT (lunation k = 0).
const EPOCH_NEW_MOON: f64 = 2_415_021.076_998_695;
/// Mean synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Days between chrono's day 1 (0001-01-01, proleptic Gregorian) and its Julian day number.
const JDN_OF_CE_DAY_ZERO: i64 = 1_721_425;

/// A date of the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    /// Day of the lunar month, 1–30.
    pub day: u32,
    /// Lunar month, 1–12.
    pub month: u32,
    /// Lunar year, numbered like the solar year in which its mùng 1 Tết falls.
    pub year: i32,
    /// True for the intercalary month (tháng nhuận) that repeats `month`.
    pub leap: bool,
}

/// Julian day number of a solar date.
fn julian_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_OF_CE_DAY_ZERO
}

/// Solar date of a Julian day number, `None` outside chrono's range.
fn date_of_julian_day(jdn: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jdn - JDN_OF_CE_DAY_ZERO).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// Julian date (TT) of the `k`-th new moon after the epoch (Meeus' low-precision series).
fn new_moon_julian_date(k: f64) -> f64 {
    let centuries = k / 1236.85;
    let t2 = centuries * centuries;
    let t3 = t2 * centuries;
    let rad = PI / 180.0;
    let mut mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    mean += 0.000_33 * ((166.56 + 132.87 * centuries - 0.009_173 * t2) * rad).sin();
    let sun_anomaly = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let moon_anomaly = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let latitude_arg = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let (m, mp, f) = (sun_anomaly * rad, moon_anomaly * rad, latitude_arg * rad);
    let correction = (0.1734 - 0.000_393 * centuries) * m.sin() + 0.0021 * (2.0 * m).sin()
        - 0.4068 * mp.sin()
        + 0.0161 * (2.0 * mp).sin()
        - 0.0004 * (3.0 * mp).sin()
        + 0.0104 * (2.0 * f).sin()
        - 0.0051 * (m + mp).sin()
        - 0.0074 * (m - mp).sin()
        + 0.0004 * (2.0 * f + m).sin()
        - 0.0004 * (2.0 * f - m).sin()
        - 0.0006 * (2.0 * f + mp).sin()
        + 0.0010 * (2.0 * f - mp).sin()
        + 0.0005 * (2.0 * mp + m).sin();
    let delta_t = if centuries < -11.0 {
        0.001 + 0.000_839 * centuries + 0.000_226_1 * t2
            - 0.000_008_45 * t3
            - 0.000_000_081 * centuries * t3
    } else {
        -0.000_278 + 0.000_265 * centuries + 0.000_262 * t2
    };
    mean + correction - delta_t
}

/// Local (UTC+7) day number on which the `k`-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon_julian_date(k as f64) + 0.5 + VIETNAM_UTC_OFFSET_HOURS / 24.0).floor() as i64
}

/// Apparent longitude of the sun in radians, in [0, 2π), at Julian date `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let centuries = (jd - 2_451_545.0) / 36_525.0;
    let t2 = centuries * centuries;
    let rad = PI / 180.0;
    let mean_anomaly =
        (357.529_10 + 35_999.050_30 * centuries - 0.000_155_9 * t2 - 0.000_000_48 * centuries * t2)
            * rad;
    let mean_longitude = 280.466_45 + 36_000.769_83 * centuries + 0.000_303_2 * t2;
    let equation_of_centre = (1.914_600 - 0.004_817 * centuries - 0.000_014 * t2)
        * mean_anomaly.sin()
        + (0.019_993 - 0.000_101 * centuries) * (2.0 * mean_anomaly).sin()
        + 0.000_290 * (3.0 * mean_anomaly).sin();
    let longitude = (mean_longitude + equation_of_centre) * rad;
    longitude.rem_euclid(2.0 * PI)
}

/// Which 30° sector (0–11) the sun is in at the start of local day `day_number`.
fn sun_sector(day_number: i64) -> i64 {
    let jd = day_number as f64 - 0.5 - VIETNAM_UTC_OFFSET_HOURS / 24.0;
    (sun_longitude(jd) / PI * 6.0).floor() as i64
}

/// Day number of the start of lunar month 11 (the month containing the winter solstice) of `year`.
fn month_eleven_start(year: i32) -> i64 {
    let last_day = NaiveDate::from_ymd_opt(year, 12, 31).map_or(0, julian_day);
    let k = ((last_day as f64 - EPOCH_JDN) / SYNODIC_MONTH).floor() as i64;
    let candidate = new_moon_day(k);
    if sun_sector(candidate) >= 9 {
        new_moon_day(k - 1)
    } else {
        candidate
    }
}

/// Index (1-based, counted from month 11) of the leap month in the lunar year starting at
/// `month_eleven`: the first month that contains no major solar term.
fn leap_month_offset(month_eleven: i64) -> i64 {
    let k = ((month_eleven as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut index = 1;
    let mut sector = sun_sector(new_moon_day(k + index));
    loop {
        let previous = sector;
        index += 1;
        sector = sun_sector(new_moon_day(k + index));
        if sector == previous || index >= 14 {
            return index - 1;
        }
    }
}

/// The lunar date of a solar date.
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day_number = julian_day(date);
    let k = ((day_number as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH).floor() as i64;
    let mut month_start = new_moon_day(k + 1);
    if month_start > day_number {
        month_start = new_moon_day(k);
    }
    let mut eleven = month_eleven_start(date.year());
    let next_eleven;
    let mut lunar_year;
    if eleven >= month_start {
        lunar_year = date.year();
        next_eleven = eleven;
        eleven = month_eleven_start(date.year() - 1);
    } else {
        lunar_year = date.year() + 1;
        next_eleven = month_eleven_start(date.year() + 1);
    }
    let day = (day_number - month_start + 1) as u32;
    let months_since_eleven = (month_start - eleven) / 29;
    let mut leap = false;
    let mut month = months_since_eleven + 11;
    if next_eleven - eleven > 365 {
        let leap_offset = leap_month_offset(eleven);
        if months_since_eleven >= leap_offset {
            month = months_since_eleven + 10;
            leap = months_since_eleven == leap_offset;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && months_since_eleven < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day,
        month: month as u32,
        year: lunar_year,
        leap,
    }
}

/// The solar date of a lunar date; `None` when that lunar date does not exist (a leap month the
/// year lacks, day 30 of a 29-day month, or outside chrono's range).
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    if !(1..=30).contains(&lunar.day) || !(1..=12).contains(&lunar.month) {
        return None;
    }
    if !(-100_000..=100_000).contains(&lunar.year) {
        return None;
    }
    let (eleven, next_eleven) = if lunar.month < 11 {
        (
            month_eleven_start(lunar.year - 1),
            month_eleven_start(lunar.year),
        )
    } else {
        (
            month_eleven_start(lunar.year),
            month_eleven_start(lunar.year + 1),
        )
    };
    let k = (0.5 + (eleven as f64 - EPOCH_NEW_MOON) / SYNODIC_MONTH).floor() as i64;
    let mut offset = i64::from(lunar.month) - 11;
    if offset < 0 {
        offset += 12;
    }
    if next_eleven - eleven > 365 {
        let leap_offset = leap_month_offset(eleven);
        let mut leap_month = leap_offset - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && i64::from(lunar.month) != leap_month {
            return None;
        }
        if lunar.leap || offset >= leap_offset {
            offset += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let month_start = new_moon_day(k + offset);
    let next_month_start = new_moon_day(k + offset + 1);
    let day_number = month_start + i64::from(lunar.day) - 1;
    if day_number >= next_month_start {
        return None;
    }
    date_of_julian_day(day_number)
}

/// Mùng 1 Tết (1/1 âm lịch) of lunar year `year`, as a solar date.
pub fn tet(year: i32) -> Option<NaiveDate> {
    lunar_to_solar(LunarDate {
        day: 1,
        month: 1,
        year,
        leap: false,
    })
}

/// Giỗ Tổ Hùng Vương (10/3 âm lịch, never the leap third month) of lunar year `year`.
pub fn gio_to(year: i32) -> Option<NaiveDate> {
    lunar_to_solar(LunarDate {
        day: 10,
        month: 3,
        year,
        leap: false,
    })
}

/// The sexagenary name (can chi) of a lunar year, e.g. 2025 → "Ất Tỵ".
pub fn year_name(year: i32) -> String {
    const STEMS: [&str; 10] = [
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
    ];
    const BRANCHES: [&str; 12] = [
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
    ];
    let stem = STEMS[(i64::from(year) + 6).rem_euclid(10) as usize];
    let branch = BRANCHES[(i64::from(year) + 8).rem_euclid(12) as usize];
    format!("{stem} {branch}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn julian_day_of_j2000() {
        assert_eq!(julian_day(d(2000, 1, 1)), 2_451_545);
        assert_eq!(date_of_julian_day(2_451_545), Some(d(2000, 1, 1)));
    }

    #[test]
    fn vietnamese_tet_differs_from_chinese_in_known_years() {
        assert_eq!(tet(1985), Some(d(1985, 1, 21)));
        assert_eq!(tet(2007), Some(d(2007, 2, 17)));
        assert_eq!(tet(2030), Some(d(2030, 2, 2)));
    }

    #[test]
    fn solar_to_lunar_of_known_days() {
        // Tết Giáp Thìn 10/2/2024; 30 tháng Chạp Quý Mão = 9/2/2024.
        assert_eq!(
            solar_to_lunar(d(2024, 2, 10)),
            LunarDate {
                day: 1,
                month: 1,
                year: 2024,
                leap: false
            }
        );
        assert_eq!(
            solar_to_lunar(d(2024, 2, 9)),
            LunarDate {
                day: 30,
                month: 12,
                year: 2023,
                leap: false
            }
        );
        // 2023 had a leap second month (tháng 2 nhuận Quý Mão began 22/3/2023).
        assert_eq!(
            solar_to_lunar(d(2023, 3, 22)),
            LunarDate {
                day: 1,
                month: 2,
                year: 2023,
                leap: true
            }
        );
    }

    #[test]
    fn impossible_lunar_dates_are_none() {
        let no_leap = LunarDate {
            day: 1,
            month: 5,
            year: 2024,
            leap: true,
        };
        assert_eq!(lunar_to_solar(no_leap), None);
        let day_31 = LunarDate {
            day: 31,
            month: 1,
            year: 2024,
            leap: false,
        };
        assert_eq!(lunar_to_solar(day_31), None);
        // Tháng Chạp Giáp Thìn had 29 days: 27/1/2025 was 28 Chạp, 29/1/2025 mùng 1 Tết.
        let day_30 = LunarDate {
            day: 30,
            month: 12,
            year: 2024,
            leap: false,
        };
        assert_eq!(lunar_to_solar(day_30), None);
    }

    #[test]
    fn year_names() {
        assert_eq!(year_name(2025), "Ất Tỵ");
        assert_eq!(year_name(2027), "Đinh Mùi");
        assert_eq!(year_name(1984), "Giáp Tý");
        assert_eq!(year_name(2023), "Quý Mão");
    }
}
