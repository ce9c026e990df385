//! Never a silent wrong letter (issue #10): each shared case under `tests/cases/trust/<case>/`
//! (copied from the office trials) gives the right letter or an error at its place. Tests are
//! named after the kind of fault they cover: `trust_numbers_*`, `trust_markup_*`,
//! `trust_template_*`, `trust_header_*`, `trust_errors_*`, `trust_textconv_*`, `trust_corpus_*`.

use std::path::PathBuf;

use proptest::prelude::*;

use crate::harness::{repo, Outcome, Run, Snapshot};

fn case(name: &str) -> PathBuf {
    repo().join("tests/cases/trust").join(name)
}

/// The only spec of a case folder.
fn spec_of(dir: &std::path::Path) -> String {
    let mut specs: Vec<String> = std::fs::read_dir(dir)
        .expect("case folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    specs.sort();
    assert_eq!(specs.len(), 1, "one spec in {}", dir.display());
    specs.remove(0)
}

/// Draft `name` (optionally changed by `edit`) into `out/`; the run and its outcome.
fn draft(name: &str, edit: impl FnOnce(&Run)) -> (Run, Outcome) {
    let run = Run::in_copy_of(&case(name));
    edit(&run);
    let spec = spec_of(run.dir());
    let run = run.args(["draft", spec.as_str(), "--out", "out"]);
    let out = run.run();
    (run, out)
}

/// Draft and expect exit 1, no output written, and every needle in stderr.
fn refused(name: &str, edit: impl FnOnce(&Run), needles: &[&str]) -> Outcome {
    let (run, out) = draft(name, edit);
    assert_eq!(out.code, 1, "{name}: {}{}", out.stdout, out.stderr);
    assert!(
        Snapshot::of(&run.path("out")).0.is_empty(),
        "{name}: a refused draft wrote files"
    );
    for n in needles {
        assert!(
            out.stderr.contains(n),
            "{name}: missing {n:?} in:\n{}",
            out.stderr
        );
    }
    // `check` fails wherever `draft` does.
    let spec = spec_of(run.dir());
    let check = Run::in_copy_of(run.dir())
        .args(["check", spec.as_str()])
        .run();
    assert_eq!(check.code, 1, "{name}: check passed:\n{}", check.stdout);
    out
}

/// Draft and expect success; the .md text.
fn drafted(name: &str, edit: impl FnOnce(&Run)) -> (Run, String) {
    let (run, out) = draft(name, edit);
    assert_eq!(out.code, 0, "{name}: {}", out.stderr);
    let md = std::fs::read_dir(run.path("out"))
        .expect("out")
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).expect("md"))
        .expect("a .md written");
    (run, md)
}

/// The .docx written into `out/`.
fn docx_of(run: &Run) -> Vec<u8> {
    let path = std::fs::read_dir(run.path("out"))
        .expect("out")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "docx"))
        .expect("a .docx written");
    std::fs::read(path).expect("docx")
}

// ---------------------------------------------------------------- 7. errors that are true

#[test]
fn trust_errors_crlf_file_names_the_physical_line() {
    refused(
        "crlf-lines",
        |_| {},
        &["unknown unit \"Sở Tư phap\"", "data/excel-crlf.csv:5:3"],
    );
}

#[test]
fn trust_errors_cr_only_file_names_the_physical_line() {
    refused(
        "cr-only-lines",
        |_| {},
        &["value \"7x0%\" is not a number", "data/cr-bad.csv:3:15"],
    );
}

#[test]
fn trust_errors_blank_header_line_is_not_an_empty_file() {
    let out = refused(
        "cr-only-lines",
        |run| {
            let csv = std::fs::read(run.path("data/cr-bad.csv")).expect("csv");
            let mut blank = b"\r\n".to_vec();
            blank.extend(csv);
            run.write("data/cr-bad.csv", blank);
        },
        &["the header line is blank", "data/cr-bad.csv:1"],
    );
    assert!(!out.stderr.contains("empty"), "{}", out.stderr);
}

// ---------------------------------------------------------------- 2. numbers read wrongly

#[test]
fn trust_numbers_thousands_comma_counts_are_whole() {
    // 1,200/1,500 + 300/900 dossiers: the commune aggregate is 1500/2400 = 62,5 %, not the
    // 33,41 % of reading "1,200" as 1.2. At a target of 70 the aggregate is listed with it.
    let (_, md) = drafted("thousands-comma", |run| {
        let t = std::fs::read_to_string(run.path("data/targets.toml")).expect("targets");
        run.write("data/targets.toml", t.replace("= 60", "= 70"));
    });
    assert!(
        md.contains("Cấp xã chưa đạt: cấp xã thuộc huyện An Phú 62,50%."),
        "{md}"
    );
    // At the case's own target of 60 the aggregate (62,5 %) is not lagging.
    let (_, md) = drafted("thousands-comma", |_| {});
    assert!(md.contains("Cấp xã chưa đạt: không có."), "{md}");
}

#[test]
fn trust_numbers_ambiguous_count_is_refused_at_its_cell() {
    refused(
        "thousands-comma",
        |run| {
            let v = std::fs::read_to_string(run.path("data/values-en.csv")).expect("values");
            run.write("data/values-en.csv", v.replace("\"1,200\"", "\"1,000\""));
        },
        &["numerator \"1,000\" is ambiguous", "data/values-en.csv:2:"],
    );
    refused(
        "thousands-comma",
        |run| {
            let v = std::fs::read_to_string(run.path("data/values-en.csv")).expect("values");
            run.write("data/values-en.csv", v.replace("300,900", "\"300,5\",900"));
        },
        &[
            "numerator \"300,5\" is not a whole number",
            "data/values-en.csv:3:",
        ],
    );
}

// ---------------------------------------------------------------- 8. textconv

#[test]
fn trust_textconv_prints_what_the_document_shows() {
    let (run, _) = drafted("link-and-textconv", |run| {
        // The template's raw HTML comment is refused (see trust_template_*): drop it here.
        let t = std::fs::read_to_string(run.path("body.md.tera")).expect("template");
        let t: String = t.lines().skip(1).map(|l| format!("{l}\n")).collect();
        run.write("body.md.tera", t);
    });
    let out = Run::in_copy_of(&run.path("out"))
        .args(["textconv", "case06.docx"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The registry name is literally "Ban A&amp;B &copy; &#65;"; the document shows exactly that.
    assert!(
        out.stdout.contains("- Ban A&amp;B &copy; &#65;\n"),
        "{}",
        out.stdout
    );
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    assert!(
        xml.contains("Ban A&amp;amp;B &amp;copy; &amp;#65;"),
        "{xml}"
    );
}

/// Every XML part of a .docx parses with a strict XML 1.0 parser; the part names.
pub fn assert_parts_parse(bytes: &[u8], what: &str) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{what}: {name} is not UTF-8: {e}"));
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{what}: {name} is not well-formed XML: {e}");
        }
        names.push(name);
    }
    assert!(names.iter().any(|n| n == "word/document.xml"), "{what}");
    names
}

// ---------------------------------------------------------------- 4. data never becomes markup

#[test]
fn trust_markup_line_break_in_a_name_stays_in_its_paragraph() {
    let (run, md) = drafted("newline-in-name", |_| {});
    // The registry name holds an Alt+Enter line break and then "- Chi nhánh số 2": one
    // paragraph, bold around the whole list, no literal "**", no new list item.
    assert!(
        md.contains("a) Khối sở, ngành: **Trung tâm Phục vụ hành chính công - Chi nhánh số 2 50%, Sở Y tế 40%**.\n"),
        "{md}"
    );
    assert!(!md.contains("\\*\\*"), "{md}");
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    let paragraphs = crate::docx::paragraph_texts(&xml);
    assert!(
        paragraphs.iter().any(|p| p
            == "a) Khối sở, ngành: Trung tâm Phục vụ hành chính công - Chi nhánh số 2 50%, Sở Y tế 40%."),
        "{paragraphs:#?}"
    );
}

#[test]
fn trust_markup_vertical_tab_from_word_is_a_line_break_not_a_broken_file() {
    let (run, md) = drafted("control-chars", |_| {});
    // "Sở Tài\u{b}chính" (Shift+Enter in Word, pasted into Excel) reads as "Sở Tài chính".
    assert!(md.contains("Sở Tài chính 65,52%"), "{md}");
    assert!(!md.contains('\u{b}'), "raw U+000B in the .md");
    assert_parts_parse(&docx_of(&run), "control-chars");
}

#[test]
fn trust_markup_other_control_characters_are_refused_at_their_source() {
    refused(
        "control-chars",
        |run| {
            let r = std::fs::read_to_string(run.path("data/registry.csv")).expect("registry");
            run.write("data/registry.csv", r.replace('\u{b}', "\u{1}"));
        },
        &["control character U+0001", "data/registry.csv:7:21", "name"],
    );
    refused(
        "control-chars",
        |run| {
            let s = std::fs::read_to_string(run.path("case07b.toml")).expect("spec");
            run.write("case07b.toml", s.replace("năm 2024\"", "năm 2024\\u0007\""));
        },
        &[
            "control character U+0007",
            "case07b.toml:27:",
            "document.subject",
        ],
    );
    refused(
        "control-chars",
        |run| {
            let s = std::fs::read_to_string(run.path("case07b.toml")).expect("spec");
            run.write(
                "case07b.toml",
                s.replace("thang = 7", "thang = \"7\\u001b\""),
            );
        },
        &["control character U+001B", "params.thang"],
    );
    refused(
        "control-chars",
        |run| {
            let t = std::fs::read_to_string(run.path("cong-van-dvc.md.tera")).expect("template");
            run.write("cong-van-dvc.md.tera", format!("Mở đầu\u{c}\n{t}"));
        },
        &["control character U+000C", "cong-van-dvc.md.tera:1:7"],
    );
}

#[test]
fn trust_markup_markdown_like_values_stay_text() {
    let (run, md) = drafted("newline-in-name", |run| {
        let r = std::fs::read_to_string(run.path("data/registry.csv")).expect("registry");
        let r = r.replace(
            "\"Trung tâm Phục vụ hành chính công\n- Chi nhánh số 2\"",
            "\"# Ban *A* | B\n===\n1. C_D\"",
        );
        run.write("data/registry.csv", r);
        // The unit alone on its own template line: its name starts the line.
        let t = "{{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", bloc=\"Khối sở, ngành\") }}\n\nVăn phòng thông báo./.\n";
        run.write("body3.md.tera", t);
    });
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    let paragraphs = crate::docx::paragraph_texts(&xml);
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "# Ban *A* | B === 1. C_D 50%, Sở Y tế 40%"),
        "{paragraphs:#?}"
    );
    assert!(
        md.contains("\\# Ban \\*A\\* \\| B === 1. C\\_D 50%, Sở Y tế 40%"),
        "{md}"
    );
}

// ---------------------------------------------------------------- 2. numbers: XLSX formats

/// The workbook at `path` with `from` replaced by `to` in its sheet XML.
fn edit_sheet(path: &std::path::Path, from: &str, to: &str) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).expect("xlsx");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read entry");
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data).expect("utf-8");
            assert!(text.contains(from), "{text}");
            data = text.replace(from, to).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    let bytes = out.finish().expect("finish").into_inner();
    std::fs::write(path, bytes).expect("write xlsx");
}

#[test]
fn trust_numbers_xlsx_percent_cells_read_by_their_format() {
    // B2 holds 0.9 formatted 0.00% (Excel shows 90,00%); B3 formatted the same way holds 0.5.
    let (_, md) = drafted("xlsx-percent-format", |run| {
        edit_sheet(
            &run.path("data/mixed.xlsx"),
            r#"<c r="B3" t="n"><v>75</v></c>"#,
            r#"<c r="B3" s="1" t="n"><v>0.5</v></c>"#,
        );
    });
    assert!(md.contains("Cấp xã chưa đạt: xã Minh Sơn 50%."), "{md}");
    assert!(
        !md.contains("Phúc An"),
        "90% is above the target of 60: {md}"
    );
}

#[test]
fn trust_numbers_xlsx_column_mixing_readings_is_refused() {
    refused(
        "xlsx-percent-format",
        |_| {},
        &[
            "T7!B3 (ty_le_ho_so_truc_tuyen): the column mixes readings",
            "T7!B2 is formatted as a percentage (0,9 shows as 90%)",
            "T7!B3 is a plain number (75)",
            "data/mixed.xlsx",
        ],
    );
}

#[test]
fn trust_numbers_xlsx_cells_without_a_number_are_errors_at_their_cell() {
    refused(
        "xlsx-percent-format",
        |run| {
            edit_sheet(
                &run.path("data/mixed.xlsx"),
                r#"<c r="B3" t="n"><v>75</v></c>"#,
                r#"<c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>"#,
            );
        },
        &[
            "T7!B3 (ty_le_ho_so_truc_tuyen)",
            "\"#DIV/0!\" is not a finite number",
        ],
    );
    refused(
        "xlsx-percent-format",
        |run| {
            edit_sheet(
                &run.path("data/mixed.xlsx"),
                r#"<c r="B3" t="n"><v>75</v></c>"#,
                r#"<c r="B3"><f>SUM(C1:C2)</f></c>"#,
            );
        },
        &["T7!B3", "formula with no saved value"],
    );
    refused(
        "xlsx-percent-format",
        |run| {
            edit_sheet(
                &run.path("data/mixed.xlsx"),
                r#"<c r="B3" t="n"><v>75</v></c>"#,
                r#"<c r="B3" t="inlineStr"><is><t>đang cập nhật</t></is></c>"#,
            );
        },
        &[
            "T7!B3 (ty_le_ho_so_truc_tuyen)",
            "\"đang cập nhật\" is not a number",
        ],
    );
}

// ---------------------------------------------------------------- 5. every construct rendered or refused

/// The link-and-textconv case with its template replaced by `body`.
fn with_body(body: &'static str) -> impl FnOnce(&Run) {
    move |run: &Run| {
        run.write("body.md.tera", body);
    }
}

#[test]
fn trust_template_links_become_hyperlinks_in_both_outputs() {
    let body = "Xem [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn) và [Cổng tỉnh](https://a.gov.vn/b?x=1&y=2).\n\nVăn phòng thông báo./.\n";
    let (run, md) = drafted("link-and-textconv", with_body(body));
    assert!(
        md.contains("Xem [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn) và [Cổng tỉnh](https://a.gov.vn/b?x=1&y=2)."),
        "{md}"
    );
    let bytes = docx_of(&run);
    assert_parts_parse(&bytes, "links");
    let rels = crate::docx::part(&bytes, "word/_rels/document.xml.rels");
    let first = rels.find("Target=\"https://dichvucong.gov.vn\" TargetMode=\"External\"");
    let second = rels.find("Target=\"https://a.gov.vn/b?x=1&amp;y=2\" TargetMode=\"External\"");
    assert!(first.is_some() && second.is_some(), "{rels}");
    // Relationships in document order, whatever the hash order docx-rs keeps them in.
    assert!(first < second, "{rels}");
    let xml = crate::docx::part(&bytes, "word/document.xml");
    assert!(xml.contains("<w:hyperlink r:id=\"rIdHyperlink1\""), "{xml}");
    assert!(xml.contains("<w:hyperlink r:id=\"rIdHyperlink2\""), "{xml}");
    // The same input gives the same bytes.
    let (again, _) = drafted("link-and-textconv", with_body(body));
    assert_eq!(bytes, docx_of(&again));
}

#[test]
fn trust_template_unsupported_constructs_are_refused_at_their_line() {
    refused(
        "link-and-textconv",
        |_| {},
        &[
            "raw HTML (a tag or an <!-- comment -->) is not supported",
            "body.md.tera:1:1",
            "Tera comment",
        ],
    );
    let cases: [(&'static str, &str, &str); 8] = [
        (
            "Mở đầu.\n\n---\n\nTiếp./.\n",
            "thematic break",
            "body.md.tera:3:1",
        ),
        (
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\nTiếp./.\n",
            "thematic break",
            "body.md.tera:5:1",
        ),
        (
            "Mở đầu.\n\n> trích dẫn\n",
            "block quote",
            "body.md.tera:3:1",
        ),
        (
            "Mở đầu.\n\n```\nmã\n```\n",
            "code block",
            "body.md.tera:3:1",
        ),
        (
            "Ảnh ![logo](a.png) đây./.\n",
            "an image",
            "body.md.tera:1:5",
        ),
        ("Xem `mã` đây./.\n", "inline code", "body.md.tera:1:5"),
        (
            "Có chú thích[^1]./.\n\n[^1]: chú thích\n",
            "a footnote",
            "body.md.tera:1:13",
        ),
        ("Chữ <b>đậm</b> đây./.\n", "raw HTML", "body.md.tera:1:5"),
    ];
    for (body, what, place) in cases {
        refused("link-and-textconv", with_body(body), &[what, place]);
    }
}

#[test]
fn trust_template_empty_list_item_lends_no_marker() {
    let body = "{% for x in [1, 2] %}- {% if x == 1 %}có{% endif %}\n{% endfor %}\nĐoạn sau./.\n";
    let (_, md) = drafted("link-and-textconv", with_body(body));
    assert!(md.contains("\n\\- có\n\nĐoạn sau./.\n"), "{md}");
    assert!(!md.contains("\\- \\- có"), "{md}");
    assert!(!md.contains("\\- Đoạn sau"), "{md}");
}

// ---------------------------------------------------------------- 6. header fields as typed

/// The link-and-textconv case with a plain body and the spec edited by `edit`.
fn header_case(edit: impl Fn(String) -> String + 'static) -> impl FnOnce(&Run) {
    move |run: &Run| {
        run.write("body.md.tera", "Văn phòng thông báo./.\n");
        let s = std::fs::read_to_string(run.path("case06.toml")).expect("spec");
        run.write("case06.toml", edit(s));
    }
}

/// The `w:p` element holding `needle`, from its start to the needle.
fn paragraph_before(xml: &str, needle: &str) -> String {
    let at = xml
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {xml}"));
    let start = xml[..at].rfind("<w:p ").expect("a paragraph");
    xml[start..at].to_string()
}

#[test]
fn trust_header_subject_keeps_hand_line_breaks_and_one_prefix() {
    let (run, md) = drafted(
        "link-and-textconv",
        header_case(|s| {
            s.replace(
                "subject = \"đôn đốc <khẩn> & báo cáo\"",
                "subject = \"V/v Bộ chỉ số\\nphục vụ người dân\"",
            )
        }),
    );
    assert!(
        md.contains("\nV/v Bộ chỉ số\\\nphục vụ người dân\n"),
        "{md}"
    );
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    let paragraphs = crate::docx::paragraph_texts(&xml);
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "V/v Bộ chỉ số\nphục vụ người dân"),
        "{paragraphs:#?}"
    );
    assert!(!xml.contains("V/v V/v"), "{xml}");
    assert!(!xml.contains("sốphục"), "{xml}");
}

#[test]
fn trust_header_agency_name_in_one_string_is_broken_to_fit_its_column() {
    let (run, md) = drafted(
        "link-and-textconv",
        header_case(|s| {
            s.replace(
                "parent = [\"Ủy ban nhân dân\", \"thành phố Hải Phòng\"]",
                "parent = \"Ủy ban nhân dân tỉnh Quảng Ninh\"",
            )
            .replace(
                "name = \"Văn phòng\"",
                "name = \"Sở Thông tin và Truyền thông tỉnh Quảng Ninh\"",
            )
        }),
    );
    // The fewest lines that fit the header column, as even as possible; the .md keeps the
    // name as typed, one line each.
    assert!(
        md.starts_with(
            "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH\n\n**SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH QUẢNG NINH**\n"
        ),
        "{md}"
    );
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    let paragraphs = crate::docx::paragraph_texts(&xml);
    let at = paragraphs
        .iter()
        .position(|p| p == "ỦY BAN NHÂN DÂN")
        .unwrap_or_else(|| panic!("{paragraphs:#?}"));
    assert_eq!(
        paragraphs[at..at + 6],
        [
            "ỦY BAN NHÂN DÂN",
            "TỈNH QUẢNG NINH",
            "SỞ THÔNG TIN",
            "VÀ TRUYỀN THÔNG",
            "TỈNH QUẢNG NINH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ],
        "{paragraphs:#?}"
    );
}

#[test]
fn trust_header_long_single_recipient_hangs_under_its_first_line() {
    let (run, _) = drafted(
        "link-and-textconv",
        header_case(|s| {
            s.replace(
                "recipients = [\"Ban Quản lý <KCN> A&B\"]",
                "recipients = [\"Ban Quản lý các khu công nghiệp, khu kinh tế và khu chế xuất thành phố Hải Phòng\"]",
            )
        }),
    );
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    let p = paragraph_before(&xml, "Kính gửi: Ban Quản lý các khu công nghiệp");
    assert!(p.contains("<w:jc w:val=\"left\" />"), "{p}");
    assert!(p.contains("w:hanging="), "{p}");
    // A short one stays on one centred line.
    let (run, _) = drafted("link-and-textconv", header_case(|s| s));
    let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
    let p = paragraph_before(&xml, "Kính gửi: Ban Quản lý &lt;KCN&gt; A&amp;B");
    assert!(p.contains("<w:jc w:val=\"center\" />"), "{p}");
}

// ---------------------------------------------------------------- 7. errors name the real cause

#[test]
fn trust_errors_diff_without_spec_says_so() {
    let run = Run::in_copy_of(&case("thousands-comma")).args([
        "diff",
        "data/values-en.csv",
        "data/values-en.csv",
    ]);
    // With no spec in the current folder either (one there would be taken).
    std::fs::remove_file(run.path("case11.toml")).expect("remove the case's spec");
    let out = run.run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    for needle in [
        "unknown unit \"xa-binh-minh\" (no --spec was given",
        "shipped sample's registry",
        "data/values-en.csv:2:1",
        "help: pass --spec SPEC",
    ] {
        assert!(
            out.stderr.contains(needle),
            "missing {needle:?}:\n{}",
            out.stderr
        );
    }
    let with_spec = Run::in_copy_of(&case("thousands-comma"))
        .args([
            "diff",
            "data/values-en.csv",
            "data/values-en.csv",
            "--spec",
            "case11.toml",
        ])
        .run();
    assert_eq!(with_spec.code, 0, "{}", with_spec.stderr);
}

// ---------------------------------------------------------------- 4. property: any text, any source

/// A TOML basic string holding `s`, every control character escaped.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How a value reads inside one paragraph: each run of line breaks one space, a tab a space.
fn one_paragraph(s: &str) -> String {
    let mut out = String::new();
    let mut last_break = false;
    for c in s.chars() {
        let is_break = matches!(
            c,
            '\n' | '\r' | '\u{b}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if is_break && !last_break {
            out.push(' ');
        } else if !is_break {
            out.push(if c == '\t' { ' ' } else { c });
        }
        last_break = is_break;
    }
    out
}

/// The number of paragraphs in word/document.xml.
fn paragraph_count(xml: &str) -> usize {
    xml.matches("<w:p ").count() + xml.matches("<w:p>").count()
}

/// Draft the link-and-textconv case with `value` as a registry name (so-d), a param shown in
/// the body, the trích yếu and the one recipient.
fn draft_with_value(value: &str) -> (Run, Outcome) {
    let run = Run::in_copy_of(&case("link-and-textconv"));
    run.write("body.md.tera", "Danh sách: {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\") }}.\n\nTrước {{ params.x }} sau.\n\nHết./.\n");
    let registry = std::fs::read_to_string(run.path("data/registry.csv")).expect("registry");
    let quoted = format!("\"{}\"", value.replace('"', "\"\""));
    run.write(
        "data/registry.csv",
        registry.replace("Ban A&amp;B &copy; &#65;", &quoted),
    );
    let spec = std::fs::read_to_string(run.path("case06.toml")).expect("spec");
    let v = toml_string(value);
    let spec = spec
        .replace("\"đôn đốc <khẩn> & báo cáo\"", &v)
        .replace("[\"Ban Quản lý <KCN> A&B\"]", &format!("[{v}]"))
        .replace(
            "tham_chieu = \"Công văn số 12/SNV-VP < 5 ngày & \\\"khẩn\\\" 'gấp' a\\\\b *x* &lt; &#x41;\"",
            &format!("x = {v}"),
        );
    assert!(spec.contains("x = "), "{spec}");
    run.write("case06.toml", spec);
    let run = run.args(["draft", "case06.toml", "--out", "out"]);
    let out = run.run();
    (run, out)
}

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec![
            'a', 'ế', 'Ư', ' ', ' ', '1', '.', ')', '#', '=', '-', '+', '*', '_', '|', '[', ']',
            '(', ')', '<', '>', '&', '!', '`', '~', '\\', '"', '\'', ';', ',', ':', '%', '{',
            '}',
        ]),
        2 => prop::sample::select(vec!['\n', '\r', '\u{b}', '\t', '\u{2028}', '\u{2029}']),
    ]
}

/// Sometimes one character XML forbids, at some place.
fn forbidden_char() -> impl Strategy<Value = Option<(usize, char)>> {
    prop::option::weighted(
        0.3,
        (
            0usize..24,
            prop::sample::select(vec![
                '\u{0}', '\u{1}', '\u{8}', '\u{c}', '\u{1b}', '\u{1f}', '\u{fffe}', '\u{ffff}',
            ]),
        ),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text in any source: a located refusal for characters XML forbids, otherwise a .docx
    /// whose every part parses, the same number of paragraphs as with plain text, and the
    /// literal text in both outputs.
    #[test]
    fn trust_markup_any_text_through_every_source(
        mut chars in prop::collection::vec(hostile_char(), 0..24),
        bad in forbidden_char(),
    ) {
        if let Some((at, c)) = bad {
            chars.insert(at.min(chars.len()), c);
        }
        let value = format!("a{}z", chars.iter().collect::<String>());
        // A spec text field holding "{{", "{%" or "{#" is a template by design (README).
        prop_assume!(!["{{", "{%", "{#"].iter().any(|t| value.contains(t)));
        let (run, out) = draft_with_value(&value);
        let forbidden = value.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'));
        if forbidden {
            prop_assert_eq!(out.code, 1, "{}", out.stderr);
            prop_assert!(out.stderr.contains("control character U+"), "{}", out.stderr);
            prop_assert!(out.stderr.contains(" --> "), "{}", out.stderr);
            prop_assert!(Snapshot::of(&run.path("out")).0.is_empty());
            return Ok(());
        }
        prop_assert_eq!(out.code, 0, "{}", out.stderr);
        let bytes = docx_of(&run);
        assert_parts_parse(&bytes, &format!("{value:?}"));
        let xml = crate::docx::part(&bytes, "word/document.xml");
        let (plain, plain_out) = draft_with_value("abz");
        prop_assert_eq!(plain_out.code, 0, "{}", plain_out.stderr);
        let plain_xml = crate::docx::part(&docx_of(&plain), "word/document.xml");
        prop_assert_eq!(paragraph_count(&xml), paragraph_count(&plain_xml));
        let inline = one_paragraph(&value);
        let docx_texts = crate::docx::paragraph_texts(&xml);
        prop_assert!(docx_texts.iter().any(|t| t == &format!("Trước {inline} sau.")), "{:#?}", docx_texts);
        prop_assert!(docx_texts.iter().any(|t| t.contains(&format!("{inline} 40%"))), "{:#?}", docx_texts);
        let md = std::fs::read_to_string(run.path("out/case06.md")).expect("md");
        let md_texts: Vec<String> = congvan::markdown::parse(&md)
            .iter()
            .map(|b| match b {
                congvan::doc::Block::Paragraph(p) => congvan::doc::inlines_text(&p.inlines),
                _ => String::new(),
            })
            .collect();
        prop_assert!(md_texts.iter().any(|t| t == &format!("Trước {inline} sau.")), "{}\n{:#?}", md, md_texts);
        prop_assert!(md_texts.iter().any(|t| t.contains(&format!("{inline} 40%"))), "{:#?}", md_texts);
    }
}

// ---------------------------------------------------------------- corpus: every case

/// Every case folder: the trust cases kept here, and the shared office trials when a copy of
/// `shared/` sits beside the repository (as on the team's machines and in CI).
fn corpus() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for root in [
        repo().join("tests/cases/trust"),
        repo().join("../shared/cases"),
    ] {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

#[test]
fn trust_corpus_every_case_drafts_a_valid_docx_or_a_located_error() {
    let dirs = corpus();
    assert!(dirs.len() >= 7, "{dirs:?}");
    let mut drafted_cases = 0;
    for dir in &dirs {
        let spec = spec_of(dir);
        let run = Run::in_copy_of(dir).args(["draft", spec.as_str(), "--out", "out"]);
        let out = run.run();
        let what = dir.display().to_string();
        match out.code {
            0 => {
                drafted_cases += 1;
                let bytes = docx_of(&run);
                let parts = assert_parts_parse(&bytes, &what);
                assert!(
                    parts.iter().any(|p| p == "word/styles.xml"),
                    "{what}: {parts:?}"
                );
                // textconv reads it back, and the .md says the same words.
                let docx = std::fs::read_dir(run.path("out"))
                    .expect("out")
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|x| x == "docx"))
                    .expect("docx");
                let text = Run::new()
                    .args(["textconv", docx.to_string_lossy().as_ref()])
                    .run();
                assert_eq!(text.code, 0, "{what}: {}", text.stderr);
                assert!(
                    text.stdout.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                    "{what}"
                );
            }
            1 => {
                // A located error (file:line or Sheet!Cell), and nothing written.
                assert!(
                    out.stderr.contains("--> "),
                    "{what}: unlocated error:\n{}",
                    out.stderr
                );
                assert!(
                    Snapshot::of(&run.path("out")).0.is_empty(),
                    "{what}: a refused draft wrote files"
                );
            }
            code => panic!("{what}: exit {code}:\n{}", out.stderr),
        }
    }
    assert!(
        drafted_cases >= 3,
        "{drafted_cases} of {} cases drafted",
        dirs.len()
    );
}

#[test]
fn trust_header_rule_under_a_two_line_trich_yeu_measures_its_longest_line() {
    let inds = |subject: &'static str| {
        let (run, _) = drafted(
            "link-and-textconv",
            header_case(move |s| {
                s.replace("kind = \"cong-van\"", "kind = \"thong-bao\"")
                    .replace("\"đôn đốc <khẩn> & báo cáo\"", subject)
            }),
        );
        let xml = crate::docx::part(&docx_of(&run), "word/document.xml");
        assert!(xml.contains("phục vụ người dân"), "{xml}");
        xml.match_indices("<w:ind ")
            .map(|(i, _)| xml[i..i + xml[i..].find("/>").expect("closed")].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        inds("\"kết quả phục vụ người dân\\nkết quả phục vụ người dân\""),
        inds("\"kết quả phục vụ người dân\"")
    );
}

#[test]
fn trust_data_a_deleted_row_or_emptied_cell_is_a_warning_naming_the_unit() {
    // Sở Y tế's row deleted from this month's export: the letter can only leave it out, so
    // check and draft say so on stderr, and check --json lists it under "warnings".
    let r = Run::in_copy_of(&repo().join("tests/cases/names/kind-codes"));
    let csv = std::fs::read_to_string(r.path("data/2024-07.csv")).unwrap_or_default();
    let kept: Vec<&str> = csv.lines().filter(|l| !l.contains(";Sở Y tế;")).collect();
    assert_eq!(kept.len() + 1, csv.lines().count());
    r.write("data/2024-07.csv", kept.join("\n") + "\n");
    let warning = "ty_le_ho_so_truc_tuyen: no value in data/2024-07.csv for Sở Y tế, which had one last month";
    let r = r.args(["check", "cong-van-dvc.toml", "--json"]);
    let o = r.run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains(&format!("warning: {warning}")),
        "{}",
        o.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
    assert_eq!(v["ok"], true);
    assert!(
        v["warnings"].as_array().is_some_and(|w| w
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.starts_with(warning)))),
        "{}",
        o.stdout
    );
    // The shipped sample has every unit: no warning.
    let o = Run::new().args(["check"]).run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
}
