//! The spine end to end on the shipped samples: the .docx and the .md say the same words in the
//! same order as the Document; draft and final header strings; CLI defaults and init.

use crate::harness::congvan;
use std::path::Path;

use chrono::NaiveDate;
use congvan::doc::{Block, Document};
use congvan::input::source::Source;
use congvan::input::spec::LetterSpec;
use congvan::pipeline::{self, DraftOptions, Format, Letter};

const CONG_VAN: &str = "templates/cong-van-dvc.toml";
const THONG_BAO: &str = "templates/thong-bao-ket-luan.toml";

fn options(is_final: bool) -> DraftOptions {
    DraftOptions {
        is_final,
        date: None,
        number: None,
        today: NaiveDate::from_ymd_opt(2025, 1, 15).unwrap_or_default(),
        strict: false,
    }
}

fn draft(spec: &str, options: &DraftOptions) -> Letter {
    let spec = LetterSpec::load(Source::Sample, Path::new(spec));
    let spec = spec.unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)));
    pipeline::draft(&spec, options)
        .unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)))
}

fn files(letter: &Letter) -> (Vec<u8>, String) {
    let outputs = pipeline::outputs(letter, &[Format::Docx, Format::Md], None)
        .unwrap_or_else(|e| panic!("{e}"));
    let docx = outputs[0].bytes.clone();
    let md = String::from_utf8(outputs[1].bytes.clone()).unwrap_or_default();
    (docx, md)
}

/// Paragraph texts of a Markdown file as congvan's reader sees them (tables cell by cell).
fn md_words(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let blocks = congvan::markdown::parse(md);
    congvan::doc::blocks_words(&blocks, &mut out);
    out.into_iter().map(|w| w.replace('\n', " ")).collect()
}

fn docx_words(docx: &[u8]) -> Vec<String> {
    congvan::commands::textconv::textconv(docx, Path::new("x.docx"))
        .unwrap_or_else(|e| panic!("{e}"))
        .lines()
        .map(str::to_string)
        .collect()
}

fn doc_words(doc: &Document) -> Vec<String> {
    doc.words()
        .into_iter()
        .map(|w| w.replace('\n', " "))
        .collect()
}

#[test]
fn docx_and_markdown_say_the_document_words_in_order() {
    for spec in [
        CONG_VAN,
        THONG_BAO,
        "templates/cong-van-hung-yen.toml",
        "templates/quyet-dinh-ke-hoach.toml",
        "templates/cong-van-bo-chi-so.toml",
    ] {
        for is_final in [false, true] {
            let mut opts = options(is_final);
            opts.number = Some(7);
            let letter = draft(spec, &opts);
            let (docx, md) = files(&letter);
            let words = doc_words(&letter.document);
            assert!(words.len() > 20, "{spec}: too few words");
            assert_eq!(docx_words(&docx), words, "{spec} final={is_final}: .docx");
            assert_eq!(md_words(&md), words, "{spec} final={is_final}: .md");
        }
    }
}

#[test]
fn draft_leaves_number_and_day_blank() {
    // thong-bao-ket-luan: the day only; cong-van-dvc sets blank-month = true, as seed 000's draft.
    let letter = draft(THONG_BAO, &options(false));
    let h = &letter.document.header;
    assert_eq!(h.number_line, "Số:      /TB-UBND");
    assert_eq!(h.place_date_line, "Hải Phòng, ngày      tháng 3 năm 2020");
    let letter = draft(CONG_VAN, &options(false));
    let h = &letter.document.header;
    assert_eq!(h.number_line, "Số:      /VP-KSTTHC");
    assert_eq!(
        h.place_date_line,
        "Hải Phòng, ngày      tháng      năm 2024"
    );
}

#[test]
fn final_fills_and_pads_number_and_day() {
    let mut opts = options(true);
    opts.number = Some(5);
    opts.date = NaiveDate::from_ymd_opt(2025, 2, 3);
    let letter = draft(CONG_VAN, &opts);
    let h = &letter.document.header;
    assert_eq!(h.number_line, "Số: 05/VP-KSTTHC");
    assert_eq!(h.place_date_line, "Hải Phòng, ngày 03 tháng 02 năm 2025");

    opts.number = Some(461);
    opts.date = NaiveDate::from_ymd_opt(2024, 12, 25);
    let letter = draft(CONG_VAN, &opts);
    let h = &letter.document.header;
    assert_eq!(h.number_line, "Số: 461/VP-KSTTHC");
    assert_eq!(h.place_date_line, "Hải Phòng, ngày 25 tháng 12 năm 2024");

    let letter = draft(THONG_BAO, &options(true));
    assert_eq!(letter.document.header.number_line, "Số: 149/TB-UBND");
    assert_eq!(
        letter.document.header.place_date_line,
        "Hải Phòng, ngày 24 tháng 3 năm 2020"
    );
    assert_eq!(
        letter.document.closing.authority,
        ["TL. ỦY BAN NHÂN DÂN", "CHÁNH VĂN PHÒNG"]
    );
}

#[test]
fn deadlines_move_with_the_letter_date() {
    // The seed 003 spec with its deadlines counted from the letter date instead of typed.
    let run = crate::harness::Run::new();
    let spec = std::fs::read_to_string(THONG_BAO).unwrap_or_default();
    let spec = spec
        .replace("thong-bao-ket-luan.md.tera", "han.md.tera")
        .replace("han_ra_soat = 2020-03-25", "han_ra_soat = 2")
        .replace("han_bao_cao = 2020-03-31", "han_bao_cao = 5");
    run.write("spec.toml", spec);
    run.write(
        "han.md.tera",
        "Báo cáo **trước ngày {{ working_days_after(n=params.han_ra_soat) | before_date | date_body }}** \
         và **trước ngày {{ working_days_after(n=params.han_bao_cao) | before_date | date_body }}**.\n",
    );
    let spec_path = run.path("spec.toml");
    let body = |date: (i32, u32, u32)| {
        let mut opts = options(false);
        opts.date = NaiveDate::from_ymd_opt(date.0, date.1, date.2);
        let spec = LetterSpec::load(Source::Disk, &spec_path)
            .unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)));
        pipeline::draft(&spec, &opts)
            .unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)))
            .body_markdown
    };
    // Fri 24/3/2020 + 2 working days = Tue 26/3 → "trước ngày 27/3/2020"; + 5 → Tue 31/3 → 1/4.
    let march = body((2020, 3, 24));
    assert!(march.contains("trước ngày 27/3/2020"), "{march}");
    assert!(march.contains("trước ngày 1/4/2020"), "{march}");
    // Mon 20/1/2025 + 5 working days crosses Tết (25/1–2/2): Fri 24/1 is day 4, Mon 3/2 day 5.
    let tet = body((2025, 1, 20));
    assert!(tet.contains("trước ngày 4/2/2025"), "{tet}");
}

#[test]
fn seed_samples_keep_their_own_deadlines_whatever_the_date() {
    // Seeds 000 and 003 set their deadlines as dates; drafting on another day moves none.
    for (spec, deadlines) in [
        (
            THONG_BAO,
            &["trước ngày 25/3/2020", "trước ngày 31/3/2020"][..],
        ),
        (
            CONG_VAN,
            &[
                "hoàn thành trong tháng 8/2024",
                "trước ngày 10/9/2024",
                "Trước ngày 15/12/2024",
                "trước ngày 25/9/2024",
            ][..],
        ),
    ] {
        let mut opts = options(false);
        opts.date = NaiveDate::from_ymd_opt(2020, 1, 20);
        let body = draft(spec, &opts).body_markdown;
        for d in deadlines {
            assert!(body.contains(d), "{spec}: {d} missing in\n{body}");
        }
    }
}

#[test]
fn body_ends_with_the_closing_mark() {
    let letter = draft(CONG_VAN, &options(false));
    let last = letter.document.body.last().map(|b| match b {
        Block::Paragraph(p) => congvan::doc::inlines_text(&p.inlines),
        _ => String::new(),
    });
    assert!(last.is_some_and(|t| t.ends_with("thực hiện./.")));
}

#[test]
fn draft_with_no_arguments_writes_the_sample_twice_without_complaint() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..2 {
        let out = congvan(dir.path(), &["draft"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            stdout.lines().collect::<Vec<_>>(),
            [
                "drafts/cong-van-dvc-2024-07.docx",
                "drafts/cong-van-dvc-2024-07.md"
            ]
        );
    }
}

#[test]
fn init_writes_a_sample_that_drafts_unchanged() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = congvan(dir.path(), &["init", "mine"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for spec in [
        "mine/templates/cong-van-dvc.toml",
        "mine/templates/thong-bao-ket-luan.toml",
        "mine/templates/cong-van-hung-yen.toml",
    ] {
        let out = congvan(
            dir.path(),
            &["draft", spec, "--out", "out", "--format", "md"],
        );
        assert!(
            out.status.success(),
            "{spec}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let batch = congvan(
        dir.path(),
        &[
            "draft",
            "mine/templates/nhac-nho.toml",
            "--each",
            "unit",
            "--out",
            "batch",
        ],
    );
    assert!(
        batch.status.success(),
        "{}",
        String::from_utf8_lossy(&batch.stderr)
    );
    let from_disk =
        std::fs::read(dir.path().join("out/cong-van-dvc-2024-07.md")).unwrap_or_default();
    let out = congvan(
        dir.path(),
        &["draft", "--out", "embedded", "--format", "md"],
    );
    assert!(out.status.success());
    let embedded =
        std::fs::read(dir.path().join("embedded/cong-van-dvc-2024-07.md")).unwrap_or_default();
    assert!(!embedded.is_empty());
    assert_eq!(
        from_disk, embedded,
        "init copy and compiled-in sample draft the same letter"
    );

    let again = congvan(dir.path(), &["init", "mine"]);
    assert_eq!(again.status.code(), Some(1), "init refuses to overwrite");
}

#[test]
fn final_without_a_number_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = congvan(dir.path(), &["draft", "--final"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a final document needs its number"), "{err}");
    assert!(!dir.path().join("drafts").exists(), "nothing written");
}
