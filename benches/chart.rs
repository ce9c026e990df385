//! Benchmark of the phụ lục's bar charts: drawing one indicator of the shipped data (185 units,
//! five PNG parts of 37) and the whole sample with its phụ lục (four indicators, 20 charts,
//! .docx + .md + PNG files in memory). Run with `cargo bench --bench chart`.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use congvan::input::source::Source;
use congvan::input::spec::LetterSpec;
use congvan::pipeline::{self, DraftOptions, Format, Prepared};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let spec = LetterSpec::load(
        Source::Sample,
        Path::new("templates/cong-van-dvc-phu-luc.toml"),
    )
    .expect("the phụ lục sample");
    let day = NaiveDate::from_ymd_opt(2024, 8, 5).expect("date");
    let options = DraftOptions {
        is_final: false,
        date: None,
        number: None,
        today: day,
        strict: false,
    };
    let prepared = Prepared::new(&spec, &options).expect("load");

    let chart = congvan::chart::of_indicator(prepared.facts(), "ty_le_ho_so_truc_tuyen")
        .expect("standings");
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let images = congvan::chart::draw(&chart).expect("draw");
        times.push(t.elapsed());
        bytes = images.iter().map(|i| i.png.len()).sum();
    }
    println!(
        "one indicator, {} units: median {:?} ({} KiB of PNG)",
        chart.bars.len(),
        median(times),
        bytes / 1024
    );

    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let fresh = Prepared::new(&spec, &options).expect("load");
        let letter = fresh.letter(&spec, None).expect("letter");
        let files = pipeline::outputs(&letter, &[Format::Docx, Format::Md], None).expect("files");
        times.push(t.elapsed());
        bytes = files.iter().map(|f| f.bytes.len()).sum();
    }
    println!(
        "the sample with its phụ lục (load, 20 charts, .docx, .md, PNG): median {:?} ({} KiB)",
        median(times),
        bytes / 1024
    );
}
