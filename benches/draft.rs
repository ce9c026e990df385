//! Benchmark of whole `congvan` processes (release build), as a user or CI runs them:
//! one draft (.docx + .md) of the shipped sample side by side with `pandoc letter.md -o
//! letter.docx` on the same letter (the drafted .md), runs interleaved so both see the same
//! machine load, reporting the ratio (goal: congvan ≥ 15× faster; the ratio is skipped with a
//! message when pandoc is not installed); and a batch of one letter per commune of the
//! national registry (3,321 letters, .docx + .md), goal ≤ 0.25 ms per letter on a 2-core
//! machine; with the peak memory (max RSS, from GNU time when installed) of both, and the
//! floors under both goals: the process start alone (`congvan --version`) and the kernel's
//! part of the batch alone (the same files written and renamed into a folder, no congvan).
//!
//! Run with `cargo bench --bench draft`.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

/// One letter per commune, into `out/`, replacing the previous run.
const BATCH: &[&str] = &[
    "draft",
    "batch/spec.toml",
    "--each",
    "unit",
    "--out",
    "out",
    "--quiet",
    "--force",
];

const BIN: &str = env!("CARGO_BIN_EXE_congvan");

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();

    // 1. One draft of the shipped sample, 30 runs, each followed by pandoc on the same letter.
    run(d, &["draft", "--out", "one", "--force"]);
    let pandoc_ok = Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let mut times = Vec::new();
    let mut pandoc_times = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        run(d, &["draft", "--out", "one", "--force"]);
        times.push(t.elapsed());
        if pandoc_ok {
            let t = Instant::now();
            let out = Command::new("pandoc")
                .args(["one/cong-van-dvc-2024-07.md", "-o", "pandoc.docx"])
                .current_dir(d)
                .output()
                .expect("run pandoc");
            assert!(out.status.success(), "pandoc failed");
            pandoc_times.push(t.elapsed());
        }
    }
    report("one draft (docx + md), whole process", &mut times, 1);
    if pandoc_ok {
        report(
            "pandoc cong-van-dvc-2024-07.md -o pandoc.docx, same letter",
            &mut pandoc_times,
            1,
        );
        let ratio = median(&pandoc_times).as_secs_f64() / median(&times).as_secs_f64();
        let verdict = if ratio >= 15.0 { "met" } else { "NOT met" };
        println!("  congvan is {ratio:.1}× faster than pandoc (median; goal ≥ 15×: {verdict})");
    } else {
        println!("pandoc not found: ratio skipped (apt-get install pandoc to measure it)");
    }
    println!(
        "  peak memory: {}",
        peak_rss(d, &["draft", "--out", "one", "--force"])
    );
    // The floor under any draft: starting the process and exiting (no file read or written).
    let mut start = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        run(d, &["--version"]);
        start.push(t.elapsed());
    }
    report(
        "process start and exit alone (congvan --version)",
        &mut start,
        1,
    );
    if pandoc_ok {
        let budget = median(&pandoc_times).as_secs_f64() * 1000.0 / 15.0;
        println!(
            "  the 15× goal leaves {budget:.1} ms per draft, {:.1} ms after the process start",
            budget - ms(median(&start))
        );
    }

    // 2. One letter per commune of the national registry.
    let letters = national_batch(d);
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        run(d, BATCH);
        times.push(t.elapsed());
    }
    report(
        &format!("batch of {letters} letters (docx + md), whole process"),
        &mut times,
        letters,
    );
    let per_letter = median(&times).as_secs_f64() * 1000.0 / letters as f64;
    let verdict = if per_letter <= 0.25 { "met" } else { "NOT met" };
    println!("  goal ≤ 0.25 ms per letter: {verdict}");
    let written = std::fs::read_dir(d.join("out"))
        .map(|r| r.count())
        .unwrap_or(0);
    println!("  files in the output folder: {written} (2 per letter + manifest)");
    println!("  peak memory: {}", peak_rss(d, BATCH));

    // The floor under the batch: the kernel's part alone, the same files (same sizes) each
    // written as a new file and renamed into place in one folder, by one thread, as congvan
    // stages and commits them: into an empty folder, then replacing the files of the run before.
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(d.join("out"))
        .expect("out")
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).ok()?;
            Some((name, bytes))
        })
        .collect();
    let floor = d.join("floor");
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        write_and_rename(&floor, &files);
        times.push(t.elapsed());
    }
    report(
        &format!(
            "writing and renaming the batch's {} files alone (one thread, no congvan)",
            files.len()
        ),
        &mut times,
        letters,
    );
}

/// Write each of `files` as a temp file in `dir`, then rename it to its name.
fn write_and_rename(dir: &Path, files: &[(String, Vec<u8>)]) {
    std::fs::create_dir_all(dir).expect("floor dir");
    for (name, bytes) in files {
        let temp = dir.join(format!(".tmp-{name}"));
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .expect("temp file");
        f.write_all(bytes).expect("write");
        drop(f);
        std::fs::rename(&temp, dir.join(name)).expect("rename");
    }
}

fn run(dir: &Path, args: &[&str]) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run congvan");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn report(what: &str, times: &mut [Duration], letters: usize) {
    times.sort();
    let min = times[0];
    let median = times[times.len() / 2];
    println!(
        "{what}: min {:.1} ms, median {:.1} ms over {} runs",
        ms(min),
        ms(median),
        times.len()
    );
    if letters > 1 {
        println!(
            "  per letter: min {:.3} ms, median {:.3} ms",
            ms(min) / letters as f64,
            ms(median) / letters as f64
        );
    }
}

/// The median of `times` (sorted or not).
fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Max RSS of one run, from GNU time (`apt-get install time`).
fn peak_rss(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(BIN)
        .args(args)
        .current_dir(dir)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stderr);
            let kb: u64 = text
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
                .unwrap_or(0);
            format!("{:.1} MiB max RSS", kb as f64 / 1024.0)
        }
        _ => "n/a (install GNU time: apt-get install time)".to_string(),
    }
}

/// A spec, template, registry of every commune in Vietnam and values putting each below
/// target; returns the number of letters.
fn national_batch(dir: &Path) -> usize {
    let root = env!("CARGO_MANIFEST_DIR");
    let b = dir.join("batch");
    std::fs::create_dir_all(&b).expect("batch dir");
    let mut registry = std::fs::File::create(b.join("registry.csv")).expect("registry");
    let mut values = std::fs::File::create(b.join("values.csv")).expect("values");
    writeln!(registry, "id,code,name,kind,parent,bloc,order").expect("write");
    writeln!(values, "unit;indicator;numerator;denominator").expect("write");
    let mut n = 0usize;
    for c in common::communes() {
        writeln!(
            registry,
            "c{},{},\"{}\",{},,Khối địa phương,",
            c.code, c.code, c.name, c.kind
        )
        .expect("write");
        n += 1;
        let den = 100 + n % 300;
        writeln!(
            values,
            "c{};{};{};{den}",
            c.code,
            common::INDICATORS[0],
            den * (10 + n % 39) / 100
        )
        .expect("write");
        writeln!(
            values,
            "c{};{};{};{den}",
            c.code,
            common::INDICATORS[1],
            den * (60 + n % 40) / 100
        )
        .expect("write");
    }
    std::fs::write(
        b.join("targets.toml"),
        format!(
            "[targets.{}]\ndefault = 50\n\n[targets.{}]\ndefault = 80\n",
            common::INDICATORS[0],
            common::INDICATORS[1]
        ),
    )
    .expect("targets");
    std::fs::copy(
        format!("{root}/templates/nhac-nho.md.tera"),
        b.join("nhac-nho.md.tera"),
    )
    .expect("template");
    let spec = std::fs::read_to_string(format!("{root}/templates/nhac-nho.toml")).expect("spec");
    let spec = spec
        .replace("../data/hai-phong-2024/registry.csv", "registry.csv")
        .replace("../data/hai-phong-2024/2024-07.csv", "values.csv")
        .replace("previous = \"../data/hai-phong-2024/2024-06.csv\"\n", "")
        .replace("../data/hai-phong-2024/targets.toml", "targets.toml");
    std::fs::write(b.join("spec.toml"), spec).expect("spec");
    n
}
