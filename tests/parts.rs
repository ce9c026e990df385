//! Documents in several parts: phụ lục after the signature (heading, note filled from the
//! header, sections and page numbers), and template errors for `:::` blocks.

use crate::docx::part;
use crate::harness::Run;

const SPEC: &str = r#"template = "body.md.tera"
output = "phu-luc"
recipients = ["Các sở, ban, ngành"]
copies = ["Như trên"]
archive = "VT"

[issuer]
parent = ["Ủy ban nhân dân", "thành phố Hải Phòng"]
name = "Văn phòng"
place = "Hải Phòng"

[document]
kind = "cong-van"
symbol = "VP-KSTTHC"
date = 2024-08-05
subject = "kết quả tháng 7"

[signer]
title = "Chánh Văn phòng"
name = "Trần Văn A"
"#;

const TEMPLATE: &str = "Văn phòng thông báo./.\n\n\
::: phu-luc landscape title=\"Kết quả các chỉ tiêu\"\n\n\
| STT | Đơn vị | Tỷ lệ |\n|:-:|--|--|\n| 1 | Sở Y tế | 92,47% |\n\n:::\n\n\
::: phu-luc title=\"Danh sách\" pages=\"continue\"\n\nSở Tư pháp.\n\n:::\n";

fn draft(template: &str, extra: &[&str]) -> (Run, crate::harness::Outcome) {
    let run = Run::new();
    run.write("spec.toml", SPEC).write("body.md.tera", template);
    let mut args = vec!["draft", "spec.toml"];
    args.extend_from_slice(extra);
    let run = run.args(args);
    let out = run.run();
    (run, out)
}

#[test]
fn phu_luc_follow_the_signature_with_their_heading_and_note() {
    let (run, out) = draft(TEMPLATE, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(run.path("drafts/phu-luc.docx")).expect("docx");
    let text = congvan::commands::textconv::textconv(&docx, std::path::Path::new("x.docx"))
        .expect("textconv");
    let lines: Vec<&str> = text.lines().collect();
    let signer = lines
        .iter()
        .position(|l| *l == "Trần Văn A")
        .expect("signer");
    let note = "(Kèm theo Công văn số       /VP-KSTTHC ngày      tháng 8 năm 2024 của Văn phòng Ủy ban nhân dân thành phố Hải Phòng)";
    assert_eq!(
        &lines[signer + 1..],
        [
            "Phụ lục I",
            "KẾT QUẢ CÁC CHỈ TIÊU",
            note,
            "STT",
            "Đơn vị",
            "Tỷ lệ",
            "1",
            "Sở Y tế",
            "92,47%",
            "Phụ lục II",
            "DANH SÁCH",
            note,
            "Sở Tư pháp."
        ]
    );
    let xml = part(&docx, "word/document.xml");
    // Letter, phụ lục I (landscape, numbered from 1), phụ lục II (portrait, running on).
    let sections: Vec<&str> = xml.split("<w:sectPr>").skip(1).collect();
    assert_eq!(sections.len(), 3, "{xml}");
    assert!(!sections[0].contains("landscape") && sections[0].contains("<w:titlePg"));
    assert!(
        sections[1].contains(r#"w:orient="landscape""#),
        "{}",
        sections[1]
    );
    assert!(
        sections[1].contains(r#"<w:pgNumType w:start="1""#),
        "{}",
        sections[1]
    );
    assert!(!sections[2].contains("landscape") && !sections[2].contains("pgNumType"));
    assert!(!sections[2].contains("<w:titlePg"), "{}", sections[2]);

    // The .md twin shows the same words, the headings centred.
    let md = std::fs::read_to_string(run.path("drafts/phu-luc.md")).expect("md");
    assert!(
        md.contains("::: center\n\n**Phụ lục I**\n\n**KẾT QUẢ CÁC CHỈ TIÊU**"),
        "{md}"
    );

    // A final fills the number and the date.
    let (run, out) = draft(TEMPLATE, &["--final", "--number", "5"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(run.path("drafts/phu-luc.docx")).expect("docx");
    let text = congvan::commands::textconv::textconv(&docx, std::path::Path::new("x.docx"))
        .expect("textconv");
    assert!(
        text.contains("(Kèm theo Công văn số 05/VP-KSTTHC ngày 05 tháng 8 năm 2024 của Văn phòng Ủy ban nhân dân thành phố Hải Phòng)"),
        "{text}"
    );
}

#[test]
fn one_phu_luc_is_not_numbered() {
    let (run, out) = draft("Thông báo./.\n\n::: phu-luc\n\nNội dung.\n\n:::\n", &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(run.path("drafts/phu-luc.docx")).expect("docx");
    let text = congvan::commands::textconv::textconv(&docx, std::path::Path::new("x.docx"))
        .expect("textconv");
    assert!(text.contains("\nPhụ lục\n(Kèm theo"), "{text}");
}

#[test]
fn fence_errors_name_the_template_line() {
    let cases = [
        ("Một.\n\n::: sidebar\n\nHai.\n\n:::\n", 3, "unknown block"),
        (
            "Một.\n\n::: phu-luc\n\n::: landscape\n\nx\n\n:::\n\n:::\n",
            5,
            "inside a phụ lục",
        ),
        (
            "::: center\n\n::: phu-luc\n\nx\n\n:::\n\n:::\n",
            3,
            "inside another block",
        ),
        (
            "Một.\n\n::: phu-luc title=\"x\" sideways\n\nx\n\n:::\n",
            3,
            "unknown block",
        ),
        ("Một.\n\n::: landscape\n\nHai.\n", 3, "never closed"),
    ];
    for (template, line, message) in cases {
        let (run, out) = draft(template, &[]);
        assert_eq!(out.code, 1, "{template}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("body.md.tera:{line}")),
            "{template}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(message), "{template}: {}", out.stderr);
        assert!(
            !run.path("drafts/phu-luc.docx").exists(),
            "no file on error"
        );
    }
}

const TASKS_TEMPLATE: &str = "Kế hoạch như sau./.\n\n\
::: phu-luc landscape title=\"Nhiệm vụ\"\n\n\
| TT | Nội dung | Chủ trì | Thời gian |\n|:-:|--|--|--|\n\
{% for r in tables.nhiem_vu %}{% if r[\"Chủ trì\"] == \"\" and r[\"Thời gian\"] == \"\" %}| **{{ r.TT }}. {{ r[\"Nội dung\"] }}** ||||\n\
{% else %}| {{ r.TT }} | {{ r[\"Nội dung\"] | cell }} | {{ r[\"Chủ trì\"] | cell }} | {{ r[\"Thời gian\"] | cell }} |\n{% endif %}{% endfor %}\n:::\n";

#[test]
fn a_template_loops_over_an_xlsx_table() {
    let run = Run::new();
    let spec = format!(
        "{SPEC}\n[data.tables]\nnhiem_vu = {{ file = \"tasks.xlsx\", sheet = \"Nhiệm vụ\" }}\n"
    );
    let xlsx =
        std::fs::read(crate::harness::repo().join("tests/fixtures/data/tasks.xlsx")).unwrap();
    run.write("spec.toml", spec)
        .write("body.md.tera", TASKS_TEMPLATE)
        .write("tasks.xlsx", xlsx);
    let run = run.args(["draft", "spec.toml"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("drafts/phu-luc.md")).expect("md");
    for want in [
        "| **I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH** ||||",
        "| 1 | Xây dựng Kế hoạch | - Các sở, ban, ngành<br>- UBND cấp huyện | Trong tháng 02/2024 |",
        "| 2 | Rà soát công chức đầu mối | Văn phòng UBND thành phố | 15/03/2024 |",
        "| 3 | Tỷ lệ số hóa |  | 2,5 |",
    ] {
        assert!(md.contains(want), "{want}\n{md}");
    }
    let xml = part(
        &std::fs::read(run.path("drafts/phu-luc.docx")).unwrap(),
        "word/document.xml",
    );
    assert!(
        xml.contains(r#"<w:gridSpan w:val="4"/>"#) || xml.contains(r#"<w:gridSpan w:val="4" />"#)
    );
}

#[test]
fn table_file_errors_are_located() {
    // A missing file: at its key in the spec.
    let run = Run::new();
    run.write(
        "spec.toml",
        format!("{SPEC}\n[data.tables]\nnhiem_vu = \"khong-co.csv\"\n"),
    )
    .write("body.md.tera", "x\n");
    let out = run.args(["draft", "spec.toml"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("spec.toml:") && out.stderr.contains("khong-co.csv"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("data.tables.nhiem_vu"),
        "{}",
        out.stderr
    );
    // A value beyond the last named column: at its line and column.
    let run = Run::new();
    run.write(
        "spec.toml",
        format!("{SPEC}\n[data.tables]\nnhiem_vu = \"nv.csv\"\n"),
    )
    .write("body.md.tera", "x\n")
    .write("nv.csv", "TT;Nội dung\n1;Rà soát\n2;Tuyên truyền;thừa\n");
    let run = run.args(["draft", "spec.toml"]);
    let out = run.run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("nv.csv:3:"), "{}", out.stderr);
    assert!(!run.path("drafts").exists(), "nothing written");
}

#[test]
fn monthly_cong_van_carries_a_phu_luc_of_results_per_indicator() {
    let run = Run::new();
    let repo = crate::harness::repo();
    for folder in ["templates", "data"] {
        std::fs::create_dir_all(run.path(folder)).unwrap();
        crate::harness::copy_tree(&repo.join(folder), &run.path(folder));
    }
    let spec = std::fs::read_to_string(repo.join("templates/cong-van-dvc.toml")).unwrap();
    run.write(
        "templates/pl.toml",
        spec.replace("[params]", "[params]\nphu_luc = true"),
    );
    let run = run.args(["draft", "templates/pl.toml", "--out", "out"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("out/cong-van-dvc-2024-07.md")).unwrap();
    for label in [
        "**Phụ lục I**",
        "**Phụ lục II**",
        "**Phụ lục III**",
        "**Phụ lục IV**",
    ] {
        assert_eq!(md.matches(label).count(), 1, "{label}");
    }
    // Every unit, lagging ones in bold with their gap; the change from last month signed.
    assert!(
        md.contains("| **2** | **Sở Tài chính** | **65,52%** | 90% | **\\-24,48** | -1,38 |"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | Sở Nội vụ | 94,97% | 90% | 4,97 | +0,65 |"),
        "{md}"
    );
    // The .docx says the same words.
    let docx = std::fs::read(run.path("out/cong-van-dvc-2024-07.docx")).unwrap();
    let text = congvan::commands::textconv::textconv(&docx, std::path::Path::new("x.docx"))
        .expect("textconv");
    let mut words = Vec::new();
    let blocks = congvan::markdown::parse(&md);
    congvan::doc::blocks_words(&blocks, &mut words);
    let from_md: Vec<String> = words
        .into_iter()
        .map(|w| w.replace('\n', " "))
        .filter(|w| !w.trim().is_empty())
        .collect();
    // Charts print as "[hình: …]" lines: pictures, not words of the .md.
    let from_docx: Vec<&str> = text.lines().filter(|l| !l.starts_with("[hình: ")).collect();
    let tail = from_docx.len() - from_docx.iter().position(|l| *l == "Phụ lục I").unwrap();
    assert_eq!(
        from_docx[from_docx.len() - tail..],
        from_md[from_md.len() - tail..]
    );
}

#[test]
fn tm_and_kt_on_their_own_lines_and_lu_as_typed() {
    let run = Run::new();
    let spec = SPEC
        .replace(
            "[signer]\ntitle = \"Chánh Văn phòng\"",
            "[signer]\nauthority = \"TM.\"\non-behalf-of = \"Ủy ban nhân dân\"\ntitle = [\"KT. Chủ tịch\", \"Phó Chủ tịch\"]",
        )
        .replace("archive = \"VT\"", "archive = \"VT, KSTTHC(Nam) 05b\"");
    run.write("spec.toml", spec)
        .write("body.md.tera", "Nội dung./.\n");
    let run = run.args(["draft", "spec.toml"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(run.path("drafts/phu-luc.docx")).unwrap();
    let text = congvan::commands::textconv::textconv(&docx, std::path::Path::new("x.docx"))
        .expect("textconv");
    assert!(
        text.contains("- Lưu: VT, KSTTHC(Nam) 05b.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn A"),
        "{text}"
    );
}

#[test]
fn joint_document_signs_side_by_side() {
    let run = Run::new();
    let spec = format!(
        "{SPEC}\n[co-signer]\nauthority = \"TM.\"\non-behalf-of = \"Ban Thường trực Ủy ban MTTQ\"\ntitle = \"Chủ tịch\"\nname = \"Lê Văn C\"\n"
    );
    run.write("spec.toml", spec)
        .write("body.md.tera", "Nội dung./.\n");
    let run = run.args(["draft", "spec.toml"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let docx = std::fs::read(run.path("drafts/phu-luc.docx")).unwrap();
    let xml = part(&docx, "word/document.xml");
    // The closing table: one row of two equal signature cells, then Nơi nhận below.
    let closing = &xml[xml.rfind("<w:tbl>").unwrap()..];
    let row1 = &closing[..closing.find("</w:tr>").unwrap()];
    let left = row1
        .find("TM. BAN THƯỜNG TRỰC ỦY BAN MTTQ")
        .expect("co-signer in row 1");
    let right = row1.find("CHÁNH VĂN PHÒNG").expect("signer in row 1");
    assert!(left < right, "co-signer on the left");
    assert!(!row1.contains("Nơi nhận"), "Nơi nhận below");
    let text = congvan::commands::textconv::textconv(&docx, std::path::Path::new("x.docx"))
        .expect("textconv");
    let md = std::fs::read_to_string(run.path("drafts/phu-luc.md")).unwrap();
    let mut words = Vec::new();
    congvan::doc::blocks_words(&congvan::markdown::parse(&md), &mut words);
    let docx_lines: Vec<&str> = text.lines().collect();
    let tail = [
        "TM. BAN THƯỜNG TRỰC ỦY BAN MTTQ",
        "CHỦ TỊCH",
        "Lê Văn C",
        "CHÁNH VĂN PHÒNG",
        "Trần Văn A",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
    ];
    assert_eq!(docx_lines[docx_lines.len() - tail.len()..], tail, "{text}");
    assert_eq!(words[words.len() - tail.len()..], tail, "{md}");
    // An unknown authority of the co-signer is an error at its value.
    let run = Run::new();
    run.write(
        "spec.toml",
        format!("{SPEC}\n[co-signer]\nauthority = \"XX.\"\non-behalf-of = \"Ban\"\nname = \"C\"\n"),
    )
    .write("body.md.tera", "x\n");
    let out = run.args(["check", "spec.toml"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("co-signer.authority"), "{}", out.stderr);
}
