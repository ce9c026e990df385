//! The output folder across runs: a killed run is recovered by the next plain run, and
//! `--force` replaces all files or none. (Kills at random points, concurrent runs and a full
//! disk: `.ci/chaos`.)

use crate::harness::Run;

fn sha(bytes: &[u8]) -> String {
    congvan::output::sha256_hex(bytes)
}

#[test]
fn a_killed_run_is_recovered_by_the_next_plain_run() {
    let run = Run::new().args(["draft", "--out", "out"]);
    let first = run.run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    // What a run killed after one rename leaves: the file replaced, its journal line, a line
    // cut short, a temp file, and the manifest not yet saved.
    let name = "cong-van-dvc-2024-07.md";
    let newer = b"the letter as the killed run wrote it\n";
    run.write(&format!("out/{name}"), newer);
    run.write(
        "out/.congvan-journal",
        format!(
            "{{\"name\":\"{name}\",\"sha256\":\"{}\"}}\n{{\"name\":\"cong",
            sha(newer)
        ),
    );
    run.write("out/.congvan-tmp-Ab12Cd", "half a lett");
    let next = run.run();
    assert_eq!(next.code, 0, "{}", next.stderr);
    assert!(
        next.stderr.contains(
            "note: recovered an interrupted run in out: 1 file(s) recorded in the manifest, 1 temporary file(s) removed"
        ),
        "{}",
        next.stderr
    );
    let left: Vec<String> = std::fs::read_dir(run.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".congvan-") && n != ".congvan-manifest.json")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.path("out/.congvan-manifest.json")).unwrap())
            .unwrap();
    let files = manifest["files"].as_object().unwrap();
    for (file, hash) in files {
        let bytes = std::fs::read(run.path(&format!("out/{file}"))).unwrap();
        assert_eq!(hash.as_str(), Some(sha(&bytes).as_str()), "{file}");
    }
    assert_eq!(files.len(), 2);
    assert_eq!(run.run().stderr, "", "nothing left to recover");
}

#[cfg(unix)]
#[test]
fn force_replaces_all_files_or_none() {
    let run = Run::new().args(["draft", "--out", "out", "--force"]);
    run.write("out/cong-van-dvc-2024-07.docx", "mine");
    std::os::unix::fs::symlink("/dev/null", run.path("out/cong-van-dvc-2024-07.md")).unwrap();
    let out = run.run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("cong-van-dvc-2024-07.md is not a regular file"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(run.path("out/cong-van-dvc-2024-07.docx")).unwrap(),
        "mine",
        "the other output is not replaced either"
    );
    std::fs::remove_file(run.path("out/cong-van-dvc-2024-07.md")).unwrap();
    assert_eq!(run.run().code, 0);
    assert_ne!(
        std::fs::read(run.path("out/cong-van-dvc-2024-07.docx")).unwrap(),
        b"mine"
    );
}
