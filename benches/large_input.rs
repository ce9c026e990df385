//! Large input: a 1,000,000-row long-format values CSV (the 3,321 post-2025 communes ×
//! 6 indicators, each pair's counts split over ~50 rows, as an export per field of procedure
//! gives them) read by the release binary: `congvan lagging SPEC --json > /dev/null` under
//! `/usr/bin/time -v`, reporting rows, file size, peak RSS and wall time. The same run on
//! 100,000 rows shows whether memory grows with the rows (it must not: the reader streams and
//! keeps one figure per unit and indicator). Run with `cargo bench --bench large_input`
//! (needs GNU time: `apt-get install time`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

mod common;

use common::INDICATORS;

/// Write registry.csv, values.csv (`rows` data rows), targets.toml, body.md.tera and
/// spec.toml into `dir`; returns the values file's size in bytes. With `synthetic`, the
/// registry is that many made-up communes instead of the real 3,321.
fn write_case(dir: &Path, rows: u64, synthetic: Option<usize>) -> u64 {
    let mut communes = Vec::new();
    let mut r = std::io::BufWriter::new(std::fs::File::create(dir.join("registry.csv")).unwrap());
    writeln!(r, "id,code,name,kind,parent,bloc,order").unwrap();
    for i in 0..synthetic.unwrap_or(0) {
        let code = format!("{:06}", i + 1);
        writeln!(r, "c{code},{code},Thử Nghiệm {},xã,,,", i + 1).unwrap();
        communes.push(code);
    }
    for c in common::communes()
        .into_iter()
        .filter(|_| synthetic.is_none())
    {
        writeln!(r, "c{},{},\"{}\",{},,,", c.code, c.code, c.name, c.kind).unwrap();
        communes.push(c.code);
    }
    drop(r);
    let path = dir.join("values.csv");
    let mut v = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(v, "\u{feff}STT;Mã đơn vị;Chỉ số;Tử số;Mẫu số;Ghi chú").unwrap();
    let pairs = communes.len() as u64 * INDICATORS.len() as u64;
    for n in 0..rows {
        let pair = n % pairs;
        let code = &communes[(pair / INDICATORS.len() as u64) as usize];
        let ind = INDICATORS[(pair % INDICATORS.len() as u64) as usize];
        let den = 1 + (n * 7919 % 40);
        let num = den * (30 + (n * 31) % 70) / 100;
        writeln!(v, "{};{code};{ind};{num};{den};", n + 1).unwrap();
    }
    drop(v);
    std::fs::write(
        dir.join("targets.toml"),
        "[targets.ty_le_ho_so_truc_tuyen]\ndefault = 50\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("body.md.tera"),
        "{{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\") }}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("spec.toml"),
        "template = \"body.md.tera\"\nrecipients = [\"Các xã, phường\"]\n\n[issuer]\nname = \"Văn phòng\"\nplace = \"Hà Nội\"\n\n[document]\nkind = \"cong-van\"\nsymbol = \"VP\"\nsubject = \"dịch vụ công trực tuyến\"\n\n[signer]\nname = \"Nguyễn Văn A\"\n\n[data]\nregistry = \"registry.csv\"\nvalues = \"values.csv\"\ntargets = \"targets.toml\"\n",
    )
    .unwrap();
    std::fs::metadata(&path).unwrap().len()
}

/// Run `congvan lagging spec.toml --json` in `dir` under GNU time: (peak RSS KiB, wall s).
fn measure(dir: &Path) -> Option<(u64, f64)> {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_congvan"))
        .args(["lagging", "spec.toml", "--json"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "congvan lagging failed:\n{err}");
    let field = |name: &str| {
        err.lines()
            .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string()))
    };
    let rss = field("Maximum resident set size (kbytes):")?.parse().ok()?;
    // "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23"
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):")?;
    let secs = wall
        .split(':')
        .fold(0.0, |acc, p| acc * 60.0 + p.parse::<f64>().unwrap_or(0.0));
    Some((rss, secs))
}

/// Formerly the test `million_rows_stream` (16 s of every `cargo test`): 1,000,000 rows of
/// counts for one unit add up, through the library, to the right rate.
fn million_rows_one_unit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("big.csv");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
        writeln!(w, "id;indicator;numerator;denominator").unwrap();
        for _ in 0..1_000_000 {
            writeln!(w, "so-tu-phap;ty_le_ho_so_truc_tuyen;1;2").unwrap();
        }
    }
    let registry = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/data/registry.csv");
    let t = std::time::Instant::now();
    let facts = congvan::pipeline::load::facts_from_files(
        &congvan::input::source::Source::Disk,
        &registry,
        &p,
        None,
    )
    .expect("the million rows load");
    let value = facts
        .indicator("ty_le_ho_so_truc_tuyen")
        .and_then(|i| i.entries.iter().find(|e| e.id == "so-tu-phap"))
        .expect("a value for so-tu-phap")
        .value;
    assert_eq!(value, 50.0, "1,000,000 × 1/2 must give 50 %");
    println!(
        "large_input: 1,000,000 rows of one unit through the library: {:.2} s, rate {value}",
        t.elapsed().as_secs_f64()
    );
}

fn main() {
    million_rows_one_unit();
    // Rows repeat the 3,321 × 6 (unit, indicator) pairs: memory must not grow with the rows.
    // Then 166,667 units × 6 indicators, every row its own pair: the figures the analysis
    // keeps, about a million of them, are the floor.
    for (rows, synthetic) in [
        (100_000u64, None),
        (1_000_000, None),
        (1_000_002, Some(166_667)),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let size = write_case(dir.path(), rows, synthetic);
        let units = synthetic.map_or("3,321 communes".to_string(), |n| format!("{n} units"));
        match measure(dir.path()) {
            Some((rss, secs)) => println!(
                "large_input: {rows} rows ({units} × 6 indicators), {:.1} MB CSV: peak RSS {:.1} MiB, wall {secs:.2} s",
                size as f64 / 1e6,
                rss as f64 / 1024.0
            ),
            None => println!("large_input: /usr/bin/time -v unavailable; install GNU time"),
        }
    }
}
