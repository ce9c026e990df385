//! Benchmark of `congvan serve`'s preview: re-rendering the shipped sample's letter as HTML after
//! a field change (a new date and number), with the data and template loaded once, as the server
//! does (`Prepared::renew` → `letter` → `write::html`). Target: median ≤ 10 ms.
//! Run with `cargo bench --bench preview`.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use congvan::input::sample;
use congvan::input::source::Source;
use congvan::input::spec::LetterSpec;
use congvan::pipeline::{DraftOptions, Prepared};
use congvan::write;

fn main() {
    let spec = LetterSpec::load(Source::Sample, Path::new(sample::DEFAULT_SPEC)).expect("sample");
    let day = |d| NaiveDate::from_ymd_opt(2024, 8, d).expect("date");
    let options = |d, n| DraftOptions {
        is_final: true,
        date: Some(day(d)),
        number: Some(n),
        today: day(1),
        strict: false,
    };
    let t = Instant::now();
    let loaded = Prepared::new(&spec, &options(5, 461)).expect("load");
    println!("load once (data, calendar, template): {:?}", t.elapsed());

    let mut times: Vec<Duration> = Vec::new();
    let mut bytes = 0;
    for i in 0..200u32 {
        let t = Instant::now();
        let prepared = loaded
            .renew(&spec, &options(1 + i % 28, 400 + i))
            .expect("renew");
        let letter = prepared.letter(&spec, None).expect("letter");
        let html = write::html::write(&letter.document);
        times.push(t.elapsed());
        bytes = html.len();
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "preview re-render after a field change: median {:?}, p90 {:?}, max {:?} ({} KiB of HTML)",
        median,
        times[times.len() * 9 / 10],
        times[times.len() - 1],
        bytes / 1024
    );
    let target = Duration::from_millis(10);
    println!(
        "{} median ≤ {target:?}",
        if median <= target { "PASS" } else { "FAIL" }
    );
}
