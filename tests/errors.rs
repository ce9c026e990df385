//! Bad input, one test per case under `tests/cases/errors/<case>/`: the exit code, a message
//! naming the problem and the place, and no output file created or changed.

use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;

use crate::harness::{repo, Outcome, Run, Snapshot};

pub fn case_dir(case: &str) -> PathBuf {
    repo().join("tests/cases/errors").join(case)
}

/// Draft `case`'s spec.toml into `out/` and expect failure with exit code `code`; the working
/// folder must be unchanged.
pub fn fails(case: &str, code: i32) -> Outcome {
    let run = Run::in_copy_of(&case_dir(case)).args(["draft", "spec.toml", "--out", "out"]);
    let before = run.snapshot();
    let out = run.run();
    before.assert_unchanged(&run.snapshot(), &out.stderr);
    assert!(!run.path("out").exists() || Snapshot::of(&run.path("out")).0.is_empty());
    assert_eq!(out.code, code, "{case}: {}", out.stderr);
    assert!(out.stdout.is_empty(), "{case}: {}", out.stdout);
    assert!(out.stderr.starts_with("error: "), "{case}: {}", out.stderr);
    out
}

/// `stderr` mentions every one of `needles`.
pub fn says(out: &Outcome, needles: &[&str]) {
    for n in needles {
        assert!(out.stderr.contains(n), "missing {n:?} in:\n{}", out.stderr);
    }
}

#[test]
fn valid_case_is_valid() {
    let run = Run::in_copy_of(&case_dir("valid")).args(["draft", "spec.toml", "--out", "out"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(run.path("out/cong-van.md").exists());
    assert!(run.path("out/cong-van.docx").exists());
}

#[test]
fn spec_unknown_key_suggests_the_closest() {
    let out = fails("spec-unknown-key", 1);
    says(
        &out,
        &[
            "signer.nmae",
            "unknown field `nmae`",
            "spec.toml:32:1",
            "did you mean `name`?",
        ],
    );
}

#[test]
fn spec_key_in_wrong_table_names_the_right_table() {
    let out = fails("spec-key-in-wrong-table", 1);
    says(
        &out,
        &[
            "document.place",
            "unknown field `place`",
            "spec.toml:26:1",
            "`place` belongs in [issuer]",
        ],
    );
}

#[test]
fn spec_wrong_type() {
    let out = fails("spec-wrong-type", 1);
    says(
        &out,
        &[
            "layout.profile",
            "invalid type",
            "expected u8",
            "spec.toml:35:11",
            "help:",
        ],
    );
}

#[test]
fn spec_missing_required_field() {
    let out = fails("spec-missing-field", 1);
    says(
        &out,
        &[
            "missing field `subject`",
            "spec.toml:23:1",
            "[document]",
            "help: add the field",
        ],
    );
}

#[test]
fn spec_impossible_date() {
    let out = fails("spec-impossible-date", 1);
    says(
        &out,
        &[
            "document.date",
            "invalid date",
            "spec.toml:26:8",
            "2024-02-30",
            "YYYY-MM-DD",
        ],
    );
    let out = fails("spec-impossible-date-string", 1);
    says(
        &out,
        &[
            "document.date: 2024-02-30 is not a valid date",
            "spec.toml:26:8",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn spec_bad_document_kind() {
    let out = fails("spec-bad-kind", 1);
    says(
        &out,
        &[
            "document.kind: unknown document kind \"cong-vn\"",
            "spec.toml:24:8",
            "did you mean \"cong-van\"?",
        ],
    );
}

#[test]
fn spec_bad_authority_prefix() {
    let out = fails("spec-bad-authority", 1);
    says(
        &out,
        &[
            "signer.authority: unknown authority prefix \"TM\"",
            "spec.toml:30:13",
            "TM., KT., TL.",
        ],
    );
}

#[test]
fn spec_margins_out_of_range() {
    let out = fails("spec-margin-out-of-range", 1);
    says(
        &out,
        &[
            "layout.margins.left: 40 mm is outside",
            "30–35",
            "spec.toml:34:11",
        ],
    );
}

#[test]
fn spec_missing_template_file() {
    let out = fails("spec-missing-template", 1);
    says(
        &out,
        &[
            "template: template file khong-co.md.tera does not exist",
            "spec.toml:3:12",
            "relative to the spec's folder",
        ],
    );
}

#[test]
fn spec_empty() {
    let out = fails("spec-empty", 1);
    says(&out, &["the spec is empty", "spec.toml", "congvan init"]);
}

#[test]
fn spec_file_missing_is_input_error() {
    let run = Run::new().args(["draft", "khong-co.toml", "--out", "out"]);
    let out = run.run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    says(&out, &["khong-co.toml", "check the path"]);
    assert!(!run.path("out").exists());
}

#[test]
fn spec_in_windows_1258() {
    let out = fails("spec-not-utf8-cp1258", 1);
    says(
        &out,
        &[
            "file is not UTF-8; it looks like Windows-1258",
            "spec.toml:1:4",
            "# Công văn đôn đốc",
            "iconv -f CP1258 -t UTF-8",
        ],
    );
}

#[test]
fn spec_in_tcvn3() {
    let out = fails("spec-not-utf8-tcvn3", 1);
    says(
        &out,
        &[
            "it looks like TCVN3 (ABC)",
            "spec.toml:1:4",
            "# Công văn đôn đốc",
            "source: TCVN3 (ABC), target: Unicode",
        ],
    );
}

#[test]
fn spec_in_vni() {
    let out = fails("spec-not-utf8-vni", 1);
    says(
        &out,
        &[
            "it looks like VNI-Windows",
            "spec.toml:1:5",
            "# Công văn đôn đốc",
            "source: VNI-Windows, target: Unicode",
        ],
    );
}

#[test]
fn template_in_vni() {
    let out = fails("template-not-utf8", 1);
    says(
        &out,
        &["it looks like VNI-Windows", "body.md.tera:1:", "Unikey"],
    );
}

#[test]
fn template_syntax_error() {
    let out = fails("template-syntax-error", 1);
    says(
        &out,
        &[
            "template error",
            "body.md.tera:",
            "`{% if %}` on line 8 is never closed",
        ],
    );
}

#[test]
fn template_unknown_variable_is_an_error_not_empty() {
    let out = fails("template-unknown-variable", 1);
    says(
        &out,
        &[
            "`thang_bao_cao` is not defined",
            "body.md.tera:8:17",
            "check the spelling",
        ],
    );
    let out = fails("template-unknown-top-variable", 1);
    says(
        &out,
        &[
            "`thang` is not defined",
            "body.md.tera:8:10",
            "check the spelling",
        ],
    );
}

#[test]
fn template_unknown_filter() {
    let out = fails("template-unknown-filter", 1);
    says(
        &out,
        &[
            "unknown filter `chu_hoa`",
            "body.md.tera:8:25",
            "filters and functions",
        ],
    );
}

#[test]
fn template_unknown_function() {
    let out = fails("template-unknown-function", 1);
    says(
        &out,
        &[
            "unknown function `ngay_lam_viec_sau`",
            "body.md.tera:8:9",
            "filters and functions",
        ],
    );
}

#[test]
fn nfd_spec_and_template_work_and_give_nfc() {
    let run = Run::in_copy_of(&case_dir("nfd-input")).args(["draft", "spec.toml", "--out", "out"]);
    let spec = std::fs::read_to_string(run.path("spec.toml")).unwrap_or_default();
    assert!(
        spec.contains("Thu\u{309}y") || spec.contains("Chu\u{309}"),
        "fixture is NFD"
    );
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("out/cong-van.md")).unwrap_or_default();
    assert!(
        md.contains("Hải Phòng") && md.contains("Trần Huy Kiên"),
        "{md}"
    );
    assert_eq!(md.nfc().collect::<String>(), md, "the .md is NFC");
}

#[test]
fn output_folder_under_a_regular_file() {
    let run = Run::new().args(["draft", "--out", "blocker/drafts"]);
    run.write("blocker", "a file, not a folder");
    let before = run.snapshot();
    let out = run.run();
    before.assert_unchanged(&run.snapshot(), &out.stderr);
    assert_eq!(out.code, 1, "{}", out.stderr);
    says(&out, &["blocker/drafts", "--out"]);
}

#[test]
fn edited_draft_is_refused_unless_forced() {
    let run = Run::new().args(["draft", "--out", "drafts"]);
    assert_eq!(run.run().code, 0);
    let md = "drafts/cong-van-dvc-2024-07.md";
    let edited = format!(
        "{}\nThêm một câu.\n",
        std::fs::read_to_string(run.path(md)).unwrap_or_default()
    );
    run.write(md, &edited);
    let before = run.snapshot();
    let out = run.run();
    before.assert_unchanged(&run.snapshot(), &out.stderr);
    assert_eq!(out.code, 1, "{}", out.stderr);
    says(
        &out,
        &[
            "cong-van-dvc-2024-07.md was changed since congvan wrote it",
            "--force",
        ],
    );
    let forced = run.args(["--force"]);
    assert_eq!(forced.run().code, 0);
    assert_ne!(
        std::fs::read_to_string(forced.path(md)).unwrap_or_default(),
        edited
    );
}

#[test]
fn foreign_file_is_refused_unless_forced() {
    let run = Run::new().args(["draft", "--out", "drafts"]);
    run.write("drafts/cong-van-dvc-2024-07.docx", "not congvan's");
    let before = run.snapshot();
    let out = run.run();
    before.assert_unchanged(&run.snapshot(), &out.stderr);
    assert_eq!(out.code, 1, "{}", out.stderr);
    says(
        &out,
        &[
            "cong-van-dvc-2024-07.docx exists and was not written by congvan",
            "--force",
        ],
    );
    assert!(
        !run.path("drafts/cong-van-dvc-2024-07.md").exists(),
        "nothing written"
    );
    assert_eq!(run.args(["--force"]).run().code, 0);
}

#[test]
fn rerun_on_untouched_output_replaces_it_silently() {
    let run = Run::new().args(["draft", "--out", "drafts"]);
    let first = run.run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = run.run();
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stderr.is_empty(), "{}", second.stderr);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["khong-co-lenh"],
        vec!["draft", "--date", "2024-02-30"],
        vec!["draft", "--date", "05/08/2024"],
        vec!["draft", "--format", "pdf"],
        vec!["draft", "--number", "0"],
    ] {
        let run = Run::new().args(args.clone());
        let out = run.run();
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(Snapshot::of(run.dir()).0.is_empty(), "{args:?} wrote files");
    }
    let out = Run::new().args(["draft", "--date", "2024-02-30"]).run();
    says(&out, &["2024-02-30", "YYYY-MM-DD"]);
    let run = Run::new()
        .args(["draft", "--out", "drafts"])
        .env("SOURCE_DATE_EPOCH", "hôm qua");
    let out = run.run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    says(&out, &["SOURCE_DATE_EPOCH=\"hôm qua\"", "Unix time"]);
    assert!(Snapshot::of(run.dir()).0.is_empty());
}

#[test]
fn final_without_number_is_usage_error() {
    let run = Run::new().args(["draft", "--final", "--out", "drafts"]);
    let out = run.run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    says(&out, &["needs its number", "--number"]);
    assert!(Snapshot::of(run.dir()).0.is_empty());
}
