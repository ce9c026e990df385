//! Reproducible output: identical inputs give byte-identical .docx and .md, in any folder;
//! the only time inside a .docx is the letter date, or SOURCE_DATE_EPOCH when set.

use std::io::Read;
use std::path::Path;
use std::process::Command;

fn congvan(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_congvan"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH");
    cmd.envs(env.iter().copied());
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run congvan: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn sha(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    congvan::output::sha256_hex(&bytes)
}

fn core_xml(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::new();
    let mut file = zip
        .by_name("docProps/core.xml")
        .unwrap_or_else(|e| panic!("{e}"));
    file.read_to_string(&mut text).unwrap_or_default();
    text
}

/// Every zip entry of the .docx at `path` carries the fixed 1980-01-01 timestamp, so two runs a
/// second apart give the same bytes (checked directly instead of sleeping between two runs).
fn assert_no_wall_clock(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    assert!(!zip.is_empty());
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap_or_else(|e| panic!("{e}"));
        let t = f
            .last_modified()
            .unwrap_or_else(|| panic!("{}: no timestamp", f.name()));
        let when = (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        );
        assert_eq!(when, (1980, 1, 1, 0, 0, 0), "{}", f.name());
    }
}

const FILES: [&str; 2] = ["cong-van-dvc-2024-07.docx", "cong-van-dvc-2024-07.md"];

#[test]
fn two_runs_and_another_folder_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    std::fs::create_dir_all(d.join("elsewhere/deeper")).unwrap_or_default();
    congvan(d, &["draft", "--out", "a"], &[]);
    // No waiting for the clock to tick: the archive itself must carry no wall-clock time.
    assert_no_wall_clock(&d.join("a").join(FILES[0]));
    congvan(d, &["draft", "--out", "b"], &[]);
    congvan(&d.join("elsewhere/deeper"), &["draft", "--out", "c"], &[]);
    for f in FILES {
        let a = sha(&d.join("a").join(f));
        assert_eq!(a, sha(&d.join("b").join(f)), "{f}: second run");
        assert_eq!(
            a,
            sha(&d.join("elsewhere/deeper/c").join(f)),
            "{f}: other folder"
        );
    }

    // A spec given by relative and by absolute path drafts the same bytes too.
    congvan(d, &["init", "s"], &[]);
    congvan(
        d,
        &["draft", "s/templates/cong-van-dvc.toml", "--out", "rel"],
        &[],
    );
    let abs = d.join("s/templates/cong-van-dvc.toml");
    congvan(
        &d.join("elsewhere"),
        &["draft", &abs.to_string_lossy(), "--out", "abs"],
        &[],
    );
    for f in FILES {
        assert_eq!(
            sha(&d.join("rel").join(f)),
            sha(&d.join("elsewhere/abs").join(f)),
            "{f}"
        );
    }
}

#[test]
fn docx_time_is_the_letter_date_or_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    congvan(d, &["draft", "--out", "plain", "--format", "docx"], &[]);
    let core = core_xml(&d.join("plain").join(FILES[0]));
    assert!(
        core.contains("2024-08-05T00:00:00Z"),
        "letter date expected: {core}"
    );

    // 1722816000 = 2024-08-05T00:00:00Z; 1700000000 = 2023-11-14T22:13:20Z.
    congvan(
        d,
        &["draft", "--out", "epoch", "--format", "docx"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    let core = core_xml(&d.join("epoch").join(FILES[0]));
    assert!(
        core.contains("2023-11-14T22:13:20Z"),
        "SOURCE_DATE_EPOCH expected: {core}"
    );
    assert!(!core.contains("2024-08-05T00:00:00Z"), "{core}");
}

/// A template looping over a map of the context (`indicators`, `lagging`, a bloc map, `params`,
/// a standings row) gets its keys in the same order every run: Tera's maps hashed with a
/// random seed per process made the letter differ from run to run.
#[test]
fn loops_over_context_maps_give_the_same_letter_every_run() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    congvan(d, &["init", "s"], &[]);
    let templates = d.join("s/templates");
    std::fs::write(
        templates.join("maps.md.tera"),
        "Một.\n\n{% for k, v in indicators %}{{ k }} {% endfor %}\n\n\
         {% for k, v in lagging %}{{ k }} {% endfor %}\n\n\
         {% for b, items in lagging.ty_le_ho_so_truc_tuyen.blocs %}{{ b }}; {% endfor %}\n\n\
         {% for k, v in params %}{{ k }} {% endfor %}\n\n\
         {% for k, v in standings[0].rows[0] %}{{ k }} {% endfor %}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let spec = std::fs::read_to_string(templates.join("cong-van-dvc.toml")).unwrap_or_default();
    std::fs::write(
        templates.join("maps.toml"),
        spec.replace(
            "template = \"cong-van-dvc.md.tera\"",
            "template = \"maps.md.tera\"",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let body = |run: usize| -> String {
        let out = format!("run{run}");
        congvan(
            d,
            &[
                "draft",
                "s/templates/maps.toml",
                "--out",
                &out,
                "--format",
                "md",
            ],
            &[],
        );
        std::fs::read_to_string(d.join(out).join("cong-van-dvc-2024-07.md")).unwrap_or_default()
    };
    let first = body(0);
    assert!(first.contains("ty\\_le\\_dung\\_han"), "{first}");
    for run in 1..6 {
        assert_eq!(body(run), first, "run {run}");
    }
}
