//! The calendar commands as a user runs them: deadline first line, provisional-year warning,
//! --strict, out-of-range dates, calendar JSON; and usage errors exit 2.

use std::process::Output;

fn congvan(args: &[&str]) -> Output {
    crate::harness::congvan(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn deadline_prints_the_iso_date_first_then_the_count() {
    let out = congvan(&["deadline", "2025-01-20", "10"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "2025-02-10");
    assert!(
        stdout.contains("2025-01-25 Thứ Bảy  skipped: Tết Nguyên đán"),
        "{stdout}"
    );
    assert!(stdout.contains("2025-02-10 Thứ Hai  day 10"), "{stdout}");
    assert!(out.stderr.is_empty(), "a confirmed year gives no warning");

    let out = congvan(&["deadline", "2026-01-16", "15", "--calendar-days"]);
    assert_eq!(text(&out.stdout).lines().next(), Some("2026-02-02"));
}

#[test]
fn provisional_years_warn_and_strict_refuses() {
    let out = congvan(&["deadline", "2027-03-01", "5"]);
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).lines().next(), Some("2027-03-08"));
    assert!(text(&out.stderr).contains("warning: 2027 has no confirmed holiday schedule"));

    let out = congvan(&["deadline", "2027-03-01", "5", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("provisional calendar of 2027"));
}

#[test]
fn dates_outside_the_calendar_are_errors_not_weekend_counts() {
    let out = congvan(&["deadline", "1800-01-01", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("1800 is outside the calendar's range 1900–2100"));
}

#[test]
fn calendar_json_lists_make_up_days() {
    let out = congvan(&["calendar", "2026", "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json["status"], "confirmed");
    let text = out.stdout.iter().map(|b| *b as char).collect::<String>();
    assert!(
        text.contains("2026-01-10") && text.contains("2026-08-22"),
        "make-up Saturdays"
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["deadline", "20/01/2025", "10"][..],
        &["deadline", "2025-01-20", "0"][..],
        &["frobnicate"][..],
        &["draft", "--format", "pdf"][..],
    ] {
        let out = congvan(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

/// `--today` replaces the clock (and beats SOURCE_DATE_EPOCH) for a spec without a date.
#[test]
fn today_flag_replaces_the_clock_and_beats_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    assert!(crate::harness::congvan(d, &["init", "s"]).status.success());
    let spec = d.join("s/templates/cong-van-dvc.toml");
    let text = std::fs::read_to_string(&spec).unwrap_or_default();
    assert!(text.contains("date = 2024-08-05"));
    std::fs::write(&spec, text.replace("date = 2024-08-05\n", "")).unwrap_or_default();
    let args = [
        "--today",
        "2025-03-04",
        "draft",
        "s/templates/cong-van-dvc.toml",
        "--final",
        "--number",
        "7",
        "--format",
        "md",
        "--out",
        "out",
    ];
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_congvan"))
        .args(args)
        .current_dir(d)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}", text_of(&out.stderr));
    let md = std::fs::read_to_string(d.join("out/cong-van-dvc-2024-07.md")).unwrap_or_default();
    assert!(md.contains("ngày 04 tháng 3 năm 2025"), "{md}");
    assert!(
        !md.contains("năm 2023"),
        "SOURCE_DATE_EPOCH lost to --today: {md}"
    );
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `congvan man draft` is the congvan-draft(1) page the main page refers to.
#[test]
fn man_pages_exist_for_the_subcommands_the_main_page_names() {
    let main = congvan(&["man"]);
    assert!(main.status.success());
    let main = text(&main.stdout);
    assert!(main.contains("congvan\\-draft(1)"), "{main}");
    for name in ["draft", "check", "calendar", "deadline"] {
        let out = congvan(&["man", name]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let page = text(&out.stdout);
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
        assert!(page.contains(&format!(".TH congvan-{name} 1")), "{page}");
        assert!(page.contains(&format!("congvan {name}")), "{page}");
    }
    let page = text(&congvan(&["man", "calendar"]).stdout);
    assert!(page.contains("\\-\\-strict"), "{page}");
}
