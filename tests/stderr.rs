//! Stderr goldens: the exact text a person sees for every error case and every CLI error path.
//! The expected texts are files written and read by a person (`tests/cases/errors/<case>/
//! expected.stderr`, `tests/cases/cli-errors/<name>.stderr`); the code never rewrites them. To
//! change one, run the command shown in the failure, read the new text, and edit the file.

use std::path::Path;

use crate::harness::{repo, Run};

/// Cases under `tests/cases/errors/` that draft successfully (no stderr golden).
const SUCCEEDING: &[&str] = &["valid", "nfd-input", "data-nfd-and-extra-columns"];

/// Compare `actual` with the golden at `golden`; the message says how to look at the new text.
fn compare(golden: &Path, actual: &str, how: &str) -> Option<String> {
    let expected = std::fs::read_to_string(golden).unwrap_or_default();
    if expected.is_empty() {
        return Some(format!(
            "{}: missing golden; {how} prints:\n{actual}",
            golden.display()
        ));
    }
    (expected != actual).then(|| {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        format!(
            "{}: stderr differs from line {} ({how}):\n--- expected\n{expected}--- actual\n{actual}",
            golden.display(),
            first + 1
        )
    })
}

/// `congvan draft spec.toml --out out` in a copy of each error case: stderr, byte for byte.
#[test]
fn every_error_case_prints_its_golden_stderr() {
    let root = repo().join("tests/cases/errors");
    let mut cases: Vec<String> = std::fs::read_dir(&root)
        .expect("tests/cases/errors")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !SUCCEEDING.contains(&n.as_str()))
        .collect();
    cases.sort();
    assert!(cases.len() >= 40, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let dir = root.join(case);
        let out = Run::in_copy_of(&dir)
            .args(["draft", "spec.toml", "--out", "out"])
            .run();
        if out.code == 0 {
            failures.push(format!("{case}: succeeded"));
            continue;
        }
        let how = format!(
            "cd tests/cases/errors/{case} && NO_COLOR=1 congvan draft spec.toml --out /tmp/out"
        );
        failures.extend(compare(&dir.join("expected.stderr"), &out.stderr, &how));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// One test per CLI error path: `$name` runs `congvan $args` in an empty folder (with `$env`)
/// and must exit `$code` (2 usage, 1 bad input) with stdout empty and stderr exactly
/// `tests/cases/cli-errors/$name.stderr`.
macro_rules! cli_error {
    ($name:ident, $code:expr, [$($arg:expr),*] $(, env $k:expr => $v:expr)?) => {
        #[test]
        fn $name() {
            let run = Run::new().args([$($arg),*]);
            $(let run = run.env($k, $v);)?
            let out = run.run();
            let args = [$($arg),*].join(" ");
            assert_eq!(out.code, $code, "congvan {args}: {}", out.stderr);
            assert!(out.stdout.is_empty(), "congvan {args}: {}", out.stdout);
            let golden = repo()
                .join("tests/cases/cli-errors")
                .join(concat!(stringify!($name), ".stderr"));
            let how = format!("NO_COLOR=1 congvan {args}");
            if let Some(diff) = compare(&golden, &out.stderr, &how) {
                panic!("{diff}");
            }
        }
    };
}

// Usage errors: exit 2.
cli_error!(unknown_command, 2, ["frobnicate"]);
cli_error!(unknown_flag, 2, ["draft", "--frobnicate"]);
cli_error!(unknown_format, 2, ["draft", "--format", "pdf"]);
cli_error!(deadline_date_not_iso, 2, ["deadline", "20/01/2025", "10"]);
cli_error!(deadline_date_not_padded, 2, ["deadline", "2025-1-20", "10"]);
cli_error!(deadline_zero_days, 2, ["deadline", "2025-01-20", "0"]);
cli_error!(draft_impossible_date, 2, ["draft", "--date", "2024-02-30"]);
cli_error!(draft_number_zero, 2, ["draft", "--number", "0"]);
cli_error!(today_not_a_date, 2, ["--today", "hôm nay", "draft"]);
cli_error!(
    final_without_number,
    2,
    ["draft", "--final", "--out", "out"]
);
cli_error!(man_unknown_command, 2, ["man", "frobnicate"]);
cli_error!(each_unknown_kind, 2, ["draft", "--each", "bloc"]);
cli_error!(calendar_year_not_a_number, 2, ["calendar", "năm-nay"]);
cli_error!(bad_source_date_epoch, 2, ["draft", "--out", "out"], env "SOURCE_DATE_EPOCH" => "hôm qua");
cli_error!(missing_argument, 2, ["deadline", "2025-01-20"]);
// Bad input: exit 1.
cli_error!(draft_missing_spec, 1, ["draft", "nope.toml"]);
cli_error!(check_missing_spec, 1, ["check", "nope.toml"]);
cli_error!(lagging_missing_spec, 1, ["lagging", "nope.toml"]);
cli_error!(spec_is_a_folder, 1, ["draft", "."]);
cli_error!(diff_missing_file, 1, ["diff", "a.csv", "b.csv"]);
cli_error!(textconv_missing_file, 1, ["textconv", "nope.docx"]);
cli_error!(calendar_year_out_of_range, 1, ["calendar", "1800"]);
cli_error!(
    calendar_strict_provisional,
    1,
    ["calendar", "2027", "--strict"]
);
cli_error!(
    calendar_missing_holidays,
    1,
    ["calendar", "2026", "--holidays", "nope.toml"]
);
cli_error!(
    deadline_strict_provisional,
    1,
    ["deadline", "2027-03-01", "5", "--strict"]
);
cli_error!(deadline_out_of_range, 1, ["deadline", "1800-01-01", "3"]);
