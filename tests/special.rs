//! Text that is special in XML or Markdown comes out literally in the .docx and the .md.

use congvan::doc::{inlines_text, Block};

use crate::harness::Run;

const S: &str = r#"A&B <C> "D" 'E' *F* _G_ #H |I| \J `K` [L] ~M! 65,52%"#;

fn toml_str(s: &str) -> String {
    format!("{s:?}")
}

fn spec() -> String {
    let q = toml_str;
    format!(
        r#"template = "body.md.tera"
output = "dac-biet"
recipients = [{r1}, {r2}]
copies = [{c1}]
archive = {a}

[issuer]
parent = {p}
name = {n}
place = {pl}

[document]
kind = "cong-van"
symbol = "VP-KSTTHC"
date = 2024-08-05
subject = {sub}

[signer]
authority = "TL."
on-behalf-of = {obo}
title = {t}
name = {sn}

[params]
x = {x}
list = {list}
"#,
        r1 = q(&format!("Sở 1 {S}")),
        r2 = q(&format!("# Sở 2 {S}")),
        c1 = q(&format!("Phòng {S}")),
        a = q(&format!("VT {S}")),
        p = q(&format!("ủy ban {S}")),
        n = q(&format!("văn phòng {S}")),
        pl = q(&format!("Hải Phòng {S}")),
        sub = q(&format!("việc {S}")),
        obo = q(&format!("chủ tịch {S}")),
        t = q(&format!("chánh văn phòng {S}")),
        sn = q(&format!("Trần {S}")),
        x = q(S),
        list = q(&format!("1. {S}")),
    )
}

const TEMPLATE: &str =
    "Đầu {{ params.x }} cuối.\n\n{{ params.list }}\n\n**{{ params.x }}** và *{{ params.x }}*.\n";

fn expected() -> Vec<String> {
    vec![
        format!("ỦY BAN {}", S.to_uppercase()),
        format!("VĂN PHÒNG {}", S.to_uppercase()),
        format!("V/v việc {S}"),
        format!("Hải Phòng {S}, ngày"),
        format!("- Sở 1 {S};"),
        format!("- # Sở 2 {S}."),
        format!("Đầu {S} cuối."),
        format!("1. {S}"),
        format!("{S} và {S}./."),
        format!("- Phòng {S};"),
        format!("- Lưu: VT {S}."),
        format!("TL. CHỦ TỊCH {}", S.to_uppercase()),
        format!("CHÁNH VĂN PHÒNG {}", S.to_uppercase()),
        format!("Trần {S}"),
    ]
}

/// The text of every non-empty paragraph of word/document.xml, entities unescaped.
fn docx_paragraphs(bytes: &[u8]) -> Vec<String> {
    crate::docx::paragraph_texts(&crate::docx::part(bytes, "word/document.xml"))
}

#[test]
fn specials_come_out_literally_in_docx_and_md() {
    let run = Run::new().args(["draft", "spec.toml", "--out", "out"]);
    run.write("spec.toml", spec())
        .write("body.md.tera", TEMPLATE);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);

    let md = std::fs::read_to_string(run.path("out/dac-biet.md")).expect("md");
    let md_texts: Vec<String> = congvan::markdown::parse(&md)
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => inlines_text(&p.inlines),
            _ => String::new(),
        })
        .collect();
    let docx = std::fs::read(run.path("out/dac-biet.docx")).expect("docx");
    let docx_texts = docx_paragraphs(&docx);
    for want in expected() {
        assert!(
            md_texts.iter().any(|t| t.contains(&want)),
            "md lacks {want:?}:\n{md}\n{md_texts:#?}"
        );
        // An agency name too wide for its header column is printed over several lines.
        assert!(
            docx_texts.iter().any(|t| t.contains(&want)) || docx_texts.join(" ").contains(&want),
            "docx lacks {want:?}:\n{docx_texts:#?}"
        );
    }
    // The bold value stays bold (its closing `**` follows punctuation).
    let bold_ok = congvan::markdown::parse(&md).iter().any(|b| match b {
        Block::Paragraph(p) => p
            .inlines
            .iter()
            .any(|i| matches!(i, congvan::doc::Inline::Text { text, bold: true, .. } if text == S)),
        _ => false,
    });
    assert!(bold_ok, "{md}");
}
