//! `congvan check`: every problem in one run, JSON for CI, nothing written.

use crate::harness::congvan;
use std::path::Path;

/// The sample written by `congvan init` into `dir/s`, with `edit` applied to the spec text.
fn sample_with(dir: &Path, edit: impl Fn(String) -> String) -> String {
    assert!(congvan(dir, &["init", "s"]).status.success());
    let spec = dir.join("s/templates/cong-van-dvc.toml");
    let text = std::fs::read_to_string(&spec).unwrap_or_default();
    std::fs::write(&spec, edit(text)).unwrap_or_default();
    "s/templates/cong-van-dvc.toml".to_string()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            all.push(p.display().to_string());
        }
    }
    all.sort();
    all
}

#[test]
fn the_sample_checks_clean() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = congvan(dir.path(), &["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("ok: spec, calendar, data (185 units"),
        "{stdout}"
    );
    assert!(listing(dir.path()).is_empty(), "check writes nothing");
}

#[test]
fn several_spec_problems_in_one_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = sample_with(dir.path(), |t| {
        t.replace("kind = \"cong-van\"", "kind = \"cong-vann\"")
            .replace("date = 2024-08-05", "date = \"2024-02-30\"")
            .replace("profile = 14", "profile = 12")
    });
    let before = listing(dir.path());
    let out = congvan(dir.path(), &["check", &spec]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "error: document.kind: unknown document kind \"cong-vann\"",
        "s/templates/cong-van-dvc.toml:24:8",
        "did you mean \"cong-van\"?",
        "error: document.date: 2024-02-30 is not a valid date",
        "error: layout.profile: size profile 12 does not exist",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert_eq!(listing(dir.path()), before, "check writes nothing");

    let out = congvan(dir.path(), &["check", &spec, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json["ok"], serde_json::Value::Bool(false));
    let fields: Vec<&str> = json["problems"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["document.kind", "document.date", "layout.profile"]);
    assert_eq!(json["problems"][0]["line"], 24);
}

#[test]
fn data_and_template_problems_together() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = sample_with(dir.path(), |t| t.replace("2024-07.csv", "2024-13.csv"));
    let template = dir.path().join("s/templates/cong-van-dvc.md.tera");
    let text = std::fs::read_to_string(&template).unwrap_or_default();
    std::fs::write(&template, text.replace("| date_body }}", "| date_bdy }}")).unwrap_or_default();
    let out = congvan(dir.path(), &["check", &spec]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2024-13.csv"), "data problem reported:\n{err}");
    assert!(
        err.contains("unknown filter `date_bdy`"),
        "template problem reported:\n{err}"
    );
    assert!(err.contains("cong-van-dvc.md.tera:"), "{err}");
}

#[test]
fn an_undefined_variable_is_found_by_drafting_in_memory() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = sample_with(dir.path(), |t| t);
    let template = dir.path().join("s/templates/cong-van-dvc.md.tera");
    let text = std::fs::read_to_string(&template).unwrap_or_default();
    std::fs::write(
        &template,
        text.replace("params.bao_cao_so", "params.bao_cao_sô"),
    )
    .unwrap_or_default();
    let out = congvan(dir.path(), &["check", &spec]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bao_cao_sô"), "{err}");
    assert!(!dir.path().join("drafts").exists());
}

/// Two unknown indicators in targets, two bad rows in this month's values (a CRLF file: the
/// lines must still be right) and one in last month's: one run reports all five, in file order, and `--json` lists the same five.
#[test]
fn every_data_problem_in_one_run_in_file_order() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let spec = sample_with(dir.path(), |t| t);
    let data = dir.path().join("s/data/hai-phong-2024");
    let edit = |name: &str, f: &dyn Fn(String) -> String| {
        let p = data.join(name);
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        std::fs::write(&p, f(text)).unwrap_or_default();
    };
    edit("targets.toml", &|t| {
        t + "\n[targets.ty_le_khong_co]\ndefault = 50\n\n[targets.ty_le_cung_khong]\ndefault = 50\n"
    });
    edit("2024-07.csv", &|t| {
        t.replace("1;Sở Nội vụ;;;;94,97%", "1;Sở Nội vụ;;;;abc%")
            .replace("4;Sở Tư  pháp;", "4;Sở Tư Pháp Mới;")
    });
    edit("2024-06.csv", &|t| {
        t.replace(
            "so-noi-vu,ty_le_so_hoa_ho_so,95.47",
            "so-noi-vu,ty_le_so_hoa_ho_so,195.47",
        )
    });
    let out = congvan(dir.path(), &["check", &spec]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let wanted = [
        "unknown indicator \"ty_le_khong_co\"",
        "unknown indicator \"ty_le_cung_khong\"",
        "value \"abc%\" is not a number",
        "2024-07.csv:2:16",
        "unknown unit \"Sở Tư Pháp Mới\"",
        "2024-07.csv:5:3",
        "rate 195,47 is above 100%",
        "2024-06.csv:3:",
    ];
    let mut last = 0;
    for needle in wanted {
        let at = err
            .find(needle)
            .unwrap_or_else(|| panic!("missing {needle:?} in:\n{err}"));
        assert!(at >= last, "{needle:?} out of file order in:\n{err}");
        last = at;
    }
    let out = congvan(dir.path(), &["check", &spec, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let files: Vec<String> = json["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["file"].as_str())
                .map(|f| f.rsplit('/').next().unwrap_or(f).to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        files,
        [
            "targets.toml",
            "targets.toml",
            "2024-07.csv",
            "2024-07.csv",
            "2024-06.csv"
        ]
    );
    // draft stops on the same problems, reports them all, and writes nothing.
    let out = congvan(dir.path(), &["draft", &spec, "--out", "out"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr)
            .matches("error: ")
            .count(),
        5
    );
    assert!(!dir.path().join("out").exists());
}

/// A registry with four bad rows: one run names all four, in line order, and a unit whose
/// parent is one of the rejected rows is not reported as "unknown parent" as well.
#[test]
fn every_registry_problem_in_one_run() {
    let run = crate::harness::Run::in_copy_of(
        &crate::harness::repo().join("tests/cases/errors/data-registry-duplicate-id"),
    );
    let registry = run.path("registry.csv");
    let mut text = std::fs::read_to_string(&registry).unwrap_or_default();
    text.push_str("so-x,,,sở,,,\nxa-y,,Y,xã,huyen-khong,,\nxa-z,,Z,xã,so-x,,\n,,W,xã,,,\n");
    std::fs::write(&registry, text).unwrap_or_default();
    let out = run.args(["check", "spec.toml"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let titles: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: ") || l.contains("--> "))
        .map(str::trim)
        .collect();
    assert_eq!(
        titles,
        [
            "error: id: duplicate unit id \"so-tu-phap\"",
            "--> registry.csv:8:1",
            "error: name: empty unit name",
            "--> registry.csv:9:7",
            "error: parent: unknown parent \"huyen-khong\"",
            "--> registry.csv:10:12",
            "error: id: empty unit id",
            "--> registry.csv:12:1",
        ],
        "{}",
        out.stderr
    );
}
