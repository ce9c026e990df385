//! Benchmark: a registry of all 3,321 post-2025 communes (plus agencies) × 6 indicators,
//! loaded from CSV, analysed and rendered into the letter's lists. Target: under 50 ms.
//! Run with `cargo bench --bench analysis`.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;

use congvan::analysis::{Communes, ListOptions};
use congvan::input::source::Source;
use congvan::pipeline::load;
use congvan::template::lists::{self, Wording};

use common::INDICATORS;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let registry = dir.path().join("registry.csv");
    let values = dir.path().join("values.csv");
    let mut r = std::fs::File::create(&registry).unwrap();
    let mut v = std::fs::File::create(&values).unwrap();
    writeln!(r, "id,code,name,kind,parent,bloc,order").unwrap();
    writeln!(v, "\u{feff}Mã đơn vị;Chỉ số;Tử số;Mẫu số").unwrap();
    let mut n = 0u64;
    for c in common::communes() {
        writeln!(r, "c{},{},\"{}\",{},,,", c.code, c.code, c.name, c.kind).unwrap();
        for (i, ind) in INDICATORS.iter().enumerate() {
            n += 1;
            let den = 50 + (n * 7919 % 400);
            let num = den * (30 + (n * 31 + i as u64) % 70) / 100;
            writeln!(v, "{};{ind};{};{}", c.code, num, den).unwrap();
        }
    }
    drop((r, v));
    let run = || {
        let facts = load::facts_from_files(
            &Source::Disk,
            Path::new(&registry),
            Path::new(&values),
            None,
        )
        .unwrap();
        let mut out = 0;
        for ind in INDICATORS {
            let groups = facts
                .list(
                    ind,
                    &ListOptions {
                        communes: Communes::Aggregate,
                        ..ListOptions::default()
                    },
                )
                .unwrap();
            out += lists::word(&groups, "%", &Wording::default()).map_or(0, |s| s.len());
        }
        out
    };
    let size = run();
    let mut times: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(run());
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "analysis: 3,321 communes × 6 indicators, load + analyse + render ({size} bytes of lists): min {:.1} ms, median {:.1} ms over {} runs",
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        times.len()
    );
}
