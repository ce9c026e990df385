//! `congvan draft SPEC --each unit`: one letter per lagging unit, safe file names, JSON listing
//! with hashes, no progress bar off a terminal, the overwrite rule.

use crate::harness::congvan;
use std::collections::BTreeSet;
use std::path::Path;

fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn case(name: &str) -> String {
    format!("{}/tests/cases/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn hostile_unit_names_stay_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = format!("{}/spec.toml", case("batch_hostile"));
    let out = congvan(
        dir.path(),
        &["draft", &spec, "--each", "unit", "--out", "out/letters"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // "../x", "a/b", "CON" and "..." (nothing left after folding); "Sở Ổn Định" is above target.
    let expected: BTreeSet<String> = [
        ".congvan-manifest.json",
        "x.docx",
        "x.md",
        "a-b.docx",
        "a-b.md",
        "con-file.docx",
        "con-file.md",
        "letter.docx",
        "letter.md",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(files(&dir.path().join("out/letters")), expected);
    assert_eq!(
        files(&dir.path().join("out")),
        BTreeSet::from(["letters".to_string()])
    );
    assert_eq!(files(dir.path()), BTreeSet::from(["out".to_string()]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.trim(), "wrote 4 letters (8 files) to out/letters");
    assert!(out.stderr.is_empty(), "no progress bar off a terminal");
}

#[test]
fn one_letter_per_lagging_unit_with_hashes_in_json() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let init = congvan(d, &["init", "s"]);
    assert!(init.status.success());
    let lagging = congvan(d, &["lagging", "s/templates/nhac-nho.toml", "--json"]);
    assert!(
        lagging.status.success(),
        "{}",
        String::from_utf8_lossy(&lagging.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&lagging.stdout).unwrap_or_default();
    let units: BTreeSet<String> = rows
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|r| r["aggregate"] != serde_json::Value::Bool(true))
        .filter_map(|r| r["unit_id"].as_str().map(str::to_string))
        .collect();
    assert!(
        units.len() > 20,
        "the sample has many lagging units: {}",
        units.len()
    );

    let out = congvan(
        d,
        &[
            "draft",
            "s/templates/nhac-nho.toml",
            "--each",
            "unit",
            "--json",
            "--format",
            "md",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(report["letters"].as_u64(), Some(units.len() as u64));
    let written = report["written"].as_array().cloned().unwrap_or_default();
    assert_eq!(written.len(), units.len());
    let names: BTreeSet<String> = written
        .iter()
        .filter_map(|w| w["path"].as_str())
        .map(|p| p.trim_start_matches("drafts/").to_string())
        .collect();
    let expected: BTreeSet<String> = units
        .iter()
        .map(|id| format!("nhac-nho-{}.md", congvan::text::file_stem(id)))
        .collect();
    assert_eq!(names, expected);
    for w in &written {
        let path = d.join(w["path"].as_str().unwrap_or_default());
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert_eq!(
            w["sha256"].as_str(),
            Some(congvan::output::sha256_hex(&bytes).as_str())
        );
    }
    let one =
        std::fs::read_to_string(d.join("drafts/nhac-nho-so-tai-chinh.md")).unwrap_or_default();
    assert!(one.contains("Kính gửi: Sở Tài chính"), "{one}");
    assert!(one.contains("đạt **65,52%**, chỉ tiêu 90%"), "{one}");

    // Untouched outputs are replaced silently; an edited one stops the whole batch.
    let again = congvan(
        d,
        &[
            "draft",
            "s/templates/nhac-nho.toml",
            "--each",
            "unit",
            "--format",
            "md",
        ],
    );
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    std::fs::write(d.join("drafts/nhac-nho-so-tai-chinh.md"), "sửa tay").unwrap_or_default();
    let refused = congvan(
        d,
        &[
            "draft",
            "s/templates/nhac-nho.toml",
            "--each",
            "unit",
            "--format",
            "md",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("was changed since congvan wrote it"));
    assert_eq!(
        std::fs::read_to_string(d.join("drafts/nhac-nho-so-tai-chinh.md")).unwrap_or_default(),
        "sửa tay"
    );
}
