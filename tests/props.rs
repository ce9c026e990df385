//! Property tests: the Markdown writer keeps every word and its emphasis through the reader;
//! no spec, template or diagnostic input makes congvan panic.

use std::path::{Path, PathBuf};

use congvan::diag::{self, Error};
use congvan::doc::{Align, Block, Inline, Paragraph};
use proptest::prelude::*;

/// Vietnamese-ish words, Markdown and XML specials, and line-start traps.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Sở",
            "Tư",
            "pháp",
            "65,52%",
            "ngày",
            "làm",
            "việc",
            "NC&KTGS",
            "Ủy",
            "ban",
            "được",
            "1.",
            "2)",
            "-",
            "+",
            "#",
            ">",
            "*",
            "**",
            "_",
            "__",
            "|",
            "\\",
            "`",
            "[x]",
            "<b>",
            "&amp;",
            "\"",
            "'",
            "=",
            "---",
            "~",
            "!",
            "(",
            ")",
            ".",
            ",",
            ";",
            ":",
            "./.",
            "a*b",
            "1\\.",
            "http://x.vn",
            "&",
            "<",
            "{{",
            "}}",
            "%",
            "***",
        ])
        .prop_map(str::to_string),
        "[a-zàáảãạăằắâầấđêềếôồốơờớưừứ0-9*_#|\\\\`\\[\\]<>&.,!-]{1,6}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(word(), 1..6),
        prop::sample::select(vec!["", " ", "  ", "    "]),
        prop::sample::select(vec!["", " ", "  "]),
    )
        .prop_map(|(words, lead, trail)| format!("{lead}{}{trail}", words.join(" ")))
}

fn run() -> impl Strategy<Value = Inline> {
    prop_oneof![
        8 => (text(), any::<bool>(), any::<bool>())
            .prop_map(|(text, bold, italic)| Inline::Text { text, bold, italic }),
        1 => Just(Inline::LineBreak),
    ]
}

fn paragraph() -> impl Strategy<Value = Vec<Inline>> {
    prop::collection::vec(run(), 1..6).prop_filter("some words", |runs| {
        runs.iter()
            .any(|r| matches!(r, Inline::Text { text, .. } if !text.trim().is_empty()))
    })
}

/// Every non-blank character with its emphasis, white space collapsed to one plain space
/// (paragraph ends trimmed, line breaks counted as white space).
fn shape(runs: &[Inline]) -> Vec<(char, bool, bool)> {
    let mut out: Vec<(char, bool, bool)> = Vec::new();
    for run in runs {
        let (text, b, i) = match run {
            Inline::Text { text, bold, italic } => (text.as_str(), *bold, *italic),
            Inline::LineBreak => (" ", false, false),
            Inline::Link { text, .. } => (text.as_str(), false, false),
        };
        for c in text.chars() {
            if c.is_whitespace() {
                if out.last().is_some_and(|(l, _, _)| *l != ' ') {
                    out.push((' ', false, false));
                }
            } else {
                out.push((c, b, i));
            }
        }
    }
    while out.last().is_some_and(|(c, _, _)| *c == ' ') {
        out.pop();
    }
    out
}

fn body_paragraphs(md: &str, skip: usize) -> Vec<Vec<Inline>> {
    congvan::markdown::parse(md)
        .into_iter()
        .skip(skip)
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.inlines),
            _ => None,
        })
        .collect()
}

/// One scratch folder per test thread, reused by every generated case: making and deleting a
/// temporary folder per case was most of these tests' time. `Scratch.path()` is that folder.
struct Scratch;

impl Scratch {
    fn path(&self) -> std::path::PathBuf {
        thread_local! {
            static DIR: tempfile::TempDir = tempfile::tempdir().expect("temporary folder");
        }
        DIR.with(|d| d.path().to_path_buf())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// (a) write::markdown then markdown::parse gives back the body's words and emphasis.
    #[test]
    fn markdown_writer_keeps_words_and_emphasis(paras in prop::collection::vec(paragraph(), 1..5)) {
        let mut doc = crate::docx::cong_van();
        let header_count = {
            let mut d = doc.clone();
            d.body.clear();
            d.closing.receivers.clear();
            d.closing.authority.clear();
            d.closing.signer.clear();
            congvan::markdown::parse(&congvan::write::markdown::write(&d)).len() - 1
        };
        doc.body = paras
            .iter()
            .map(|inlines| Block::Paragraph(Paragraph { inlines: inlines.clone(), align: Align::Justify }))
            .collect();
        let md = congvan::write::markdown::write(&doc);
        let back = body_paragraphs(&md, header_count);
        for (i, want) in paras.iter().enumerate() {
            let got = back.get(i).map(|p| shape(p)).unwrap_or_default();
            prop_assert_eq!(got, shape(want), "paragraph {} of:\n{}", i, md);
        }
    }

    /// (b) any text as a spec never panics.
    #[test]
    fn any_spec_text_is_an_error_or_a_spec(src in any::<String>(), bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let dir = Scratch;
        for (name, content) in [("a.toml", src.as_bytes()), ("b.toml", bytes.as_slice())] {
            let path = dir.path().join(name);
            std::fs::write(&path, content).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if let Err(e) = congvan::input::spec::LetterSpec::load(congvan::input::source::Source::Disk, &path) {
                let _ = diag::render(&e, false);
            }
        }
    }

    /// (b) spec-shaped text with random values never panics.
    #[test]
    fn spec_shaped_text_never_panics(key in "[a-z-]{1,12}", value in any::<String>(), table in prop::sample::select(vec!["issuer", "document", "signer", "layout", "params", "data"])) {
        let dir = Scratch;
        let base = std::fs::read_to_string(crate::harness::repo().join("tests/cases/errors/valid/spec.toml")).unwrap_or_default();
        let text = format!("{base}\n[{table}]\n{key} = {value:?}\n{value}\n");
        let path = dir.path().join("spec.toml");
        std::fs::write(&path, text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if let Err(e) = congvan::input::spec::LetterSpec::load(congvan::input::source::Source::Disk, &path) {
            let _ = diag::render(&e, false);
        }
    }

    /// (b) any template never panics, and an error renders.
    #[test]
    fn any_template_is_an_error_or_markdown(src in any::<String>(), pieces in prop::collection::vec(prop::sample::select(vec![
        "{{", "}}", "{%", "%}", "{#", "#}", " if ", " for x in ", " endif ", " endfor ", " params.thang ",
        " | upper ", "(", ")", "\n", "é", "x", "=", " set ", " raw ", " endraw ", " letter.year ", "-",
    ]), 0..20)) {
        let mut ctx = tera::Context::new();
        ctx.insert("params", &serde_json::json!({"thang": 7}));
        ctx.insert("letter", &serde_json::json!({"year": 2024}));
        for text in [src, pieces.concat()] {
            let mut engine = congvan::template::Engine::new();
            match engine.render(Path::new("t.md.tera"), &text, &ctx) {
                Ok(md) => { let _ = congvan::markdown::parse(&md); }
                Err(e) => { let _ = diag::render(&e, false); }
            }
        }
    }

    /// (c) diag::render never panics on any location, column, width or line.
    #[test]
    fn render_never_panics(
        line in prop::option::of(0usize..10_000),
        column in prop::option::of(0usize..500),
        width in prop::option::of(0usize..500),
        source in prop::option::of(any::<String>()),
        field in prop::option::of("[a-zà-ỹ.\\- ]{0,10}"),
        message in any::<String>(),
        hint in prop::option::of(any::<String>()),
        file in any::<String>(),
    ) {
        let mut e = Error::input(message).in_file(PathBuf::from(file));
        if let Some(l) = line { e = e.at_line(l); }
        if let (Some(l), Some(c)) = (line, column) { e = e.at(l, c); }
        if let Some(w) = width { e = e.width(w); }
        if let Some(s) = source { e = e.source_line(s); }
        if let Some(f) = field { e = e.field(f); }
        if let Some(h) = hint { e = e.hint(h); }
        let _ = diag::render(&e, false);
        let _ = diag::render(&e, true);
        let _ = e.to_string();
    }
}

/// Cells a values export may hold: names, numbers in every notation, specials, broken bytes.
fn data_cell() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "Sở Tư pháp",
            "SỞ TƯ PHÁP",
            "UBND quận Lê Chân",
            "Đông Sơn",
            "Kiền Bái",
            "Thu\u{309}y Nguye\u{302}n",
            "huyện Thủy Nguyên",
            "ty_le_ho_so_truc_tuyen",
            "ty_le_so_hoa",
            "3.3",
            "Ghi chú",
            "STT",
            "unit",
            "indicator",
            "value",
            "Tử số",
            "Mẫu số",
            "65,52%",
            "1.234",
            "1,234,567",
            "-0",
            "1e400",
            "NaN",
            "-inf",
            "#DIV/0!",
            "0",
            "100,0001",
            "99999999999999999999999999",
            "\"a;b\"",
            "\"",
            "",
            " ",
            "%",
            ",",
            ".",
            ";",
            "\t",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..6),
        any::<String>().prop_map(String::into_bytes),
    ]
}

fn data_file(rows: Vec<Vec<Vec<u8>>>, sep: u8) -> Vec<u8> {
    let mut out = Vec::new();
    for row in rows {
        for (i, cell) in row.into_iter().enumerate() {
            if i > 0 {
                out.push(sep);
            }
            out.extend(cell);
        }
        out.push(b'\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// (b) any values, registry or targets file gives facts or an error, never a panic, and
    /// every error renders.
    #[test]
    fn any_data_file_is_an_error_or_facts(
        rows in prop::collection::vec(prop::collection::vec(data_cell(), 0..7), 0..6),
        sep in prop::sample::select(vec![b';', b',', b'\t']),
        which in 0usize..4,
        noise in any::<String>(),
    ) {
        use congvan::input::source::Source;
        let dir = Scratch;
        let case = crate::harness::repo().join("tests/cases/errors/data-nfd-and-extra-columns");
        let read = |f: &str| std::fs::read(case.join(f)).unwrap_or_default();
        let mut files = vec![
            ("registry.csv", read("registry.csv")),
            ("values.csv", read("values.csv")),
            ("targets.toml", read("targets.toml")),
            ("values.json", b"[]".to_vec()),
        ];
        let body = data_file(rows.clone(), sep);
        match which {
            0 => {
                // A registry header, then random rows.
                let mut reg = b"id,code,name,kind,parent,bloc,order\n".to_vec();
                reg.extend(data_file(rows, b','));
                files[0].1 = reg;
            }
            1 => files[1].1 = body,
            2 => files[2].1 = format!("[targets.ty_le_ho_so_truc_tuyen]\n{noise}\n").into_bytes(),
            _ => files[3].1 = format!("[{{\"unit\": \"Sở Tư pháp\", {noise:?}: {noise}}}]").into_bytes(),
        }
        for (name, bytes) in &files {
            std::fs::write(dir.path().join(name), bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let values = if which == 3 { "values.json" } else { "values.csv" };
        let result = congvan::pipeline::load::facts_from_files(
            &Source::Disk,
            &dir.path().join("registry.csv"),
            &dir.path().join(values),
            Some(&dir.path().join("targets.toml")),
        );
        match result {
            Ok(facts) => {
                for ind in &facts.indicators {
                    for e in &ind.entries {
                        prop_assert!(e.value.is_finite() && e.value >= 0.0, "{:?}", e);
                    }
                }
            }
            Err(e) => {
                let _ = diag::render(&e, false);
            }
        }
    }
}

proptest! {
    /// A rate printed the Vietnamese way reads back as the same rate (to its precision).
    #[test]
    fn percent_prints_and_parses_back(hundredths in 0u32..=10_000, keep in any::<bool>()) {
        use congvan::text::numbers::{parse, percent, Whole};
        let value = f64::from(hundredths) / 100.0;
        let whole = if keep { Whole::Keep } else { Whole::Trim };
        let text = percent(value, 2, whole);
        let (back, had_percent) = parse(&text).map_err(|_| TestCaseError::fail(format!("{text} does not parse")))?;
        prop_assert!(had_percent, "{}", text);
        prop_assert!((back - value).abs() < 1e-9, "{} → {} → {}", value, text, back);
    }

    /// Large decimals with thousands dots and a decimal comma read back too.
    #[test]
    fn decimal_prints_and_parses_back(cents in 0u64..=1_000_000_000_000) {
        use congvan::text::numbers::{decimal, parse, Whole};
        let value = cents as f64 / 100.0;
        let text = decimal(value, 2, Whole::Keep);
        let (back, had_percent) = parse(&text).map_err(|_| TestCaseError::fail(format!("{text} does not parse")))?;
        prop_assert!(!had_percent);
        prop_assert!((back - value).abs() < 1e-6, "{} → {} → {}", value, text, back);
    }

    /// Folding a unit name never panics, is idempotent and ignores NFD and case.
    #[test]
    fn name_folding_is_stable(name in "\\PC{0,40}") {
        use unicode_normalization::UnicodeNormalization;
        let folded = congvan::text::names::fold(&name);
        prop_assert_eq!(congvan::text::names::fold(&folded), folded.clone());
        let nfd: String = name.nfd().collect();
        prop_assert_eq!(congvan::text::names::fold(&nfd), folded.clone());
    }

    /// Vietnamese names fold the same whatever their case ("SỞ TƯ PHÁP", "Sở Tư pháp").
    #[test]
    fn name_folding_ignores_case(name in "[a-zA-Z àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ-]{0,40}") {
        prop_assert_eq!(congvan::text::names::fold(&name.to_uppercase()), congvan::text::names::fold(&name.to_lowercase()));
    }
}
