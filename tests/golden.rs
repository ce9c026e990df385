//! Golden Markdown of the shipped samples. The files in tests/golden/ were read line by line
//! against seeds 000 and 003 (header, V/v, Kính gửi, section 3 lists, deadlines, Nơi nhận,
//! signature). After a deliberate change: `UPDATE_GOLDEN=1 cargo test golden`, then read the diff.

use std::path::Path;

use chrono::NaiveDate;
use congvan::input::source::Source;
use congvan::input::spec::LetterSpec;
use congvan::pipeline::{self, DraftOptions, Format};

fn markdown(spec: &str, is_final: bool, number: Option<u32>) -> String {
    let spec = LetterSpec::load(Source::Sample, Path::new(spec))
        .unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)));
    let options = DraftOptions {
        is_final,
        date: None,
        number,
        today: NaiveDate::from_ymd_opt(2025, 1, 15).unwrap_or_default(),
        strict: false,
    };
    let letter = pipeline::draft(&spec, &options)
        .unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)));
    let outputs = pipeline::outputs(&letter, &[Format::Md], None).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(outputs[0].bytes.clone()).unwrap_or_default()
}

fn check(spec: &str, is_final: bool, golden: &str) {
    let got = markdown(spec, is_final, None);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap_or_else(|e| panic!("{e}"));
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "{golden} line {} differs", i + 1);
    }
    assert_eq!(
        got, want,
        "{golden}: same lines, different length or line ends"
    );
}

#[test]
fn cong_van_sample_matches_golden() {
    check(
        "templates/cong-van-dvc.toml",
        false,
        "cong-van-dvc-2024-07.md",
    );
}

#[test]
fn thong_bao_sample_matches_golden() {
    check(
        "templates/thong-bao-ket-luan.toml",
        true,
        "thong-bao-ket-luan-2020-03.md",
    );
}

#[test]
fn blank_month_is_for_drafts_only() {
    // cong-van-dvc.toml sets blank-month = true: the draft (golden above) leaves day and month
    // blank; the final fills both, and the phụ lục note would too.
    let draft = markdown("templates/cong-van-dvc.toml", false, None);
    assert!(draft.contains("*Hải Phòng, ngày      tháng      năm 2024*"));
    let fin = markdown("templates/cong-van-dvc.toml", true, Some(5));
    assert!(
        fin.contains("*Hải Phòng, ngày 05 tháng 8 năm 2024*"),
        "{}",
        fin.lines()
            .find(|l| l.contains("Hải Phòng, ngày"))
            .unwrap_or("no date line")
    );
    assert!(!fin.contains("tháng      năm"));
}
