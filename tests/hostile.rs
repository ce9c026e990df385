//! Hostile inputs, generated here (small on disk): each stops within seconds with a clear error
//! naming the file, never a panic, an abort or a hang. The full-size corpus (a zip bomb, a
//! 200 MB line, 10⁶ columns, silent endless loops) runs under a memory limit in `.ci/hostile`.

use std::io::Write;

use crate::harness::{Outcome, Run};

/// A run in a fresh copy of the sample, with `cong-van-dvc.toml` reading `values` instead.
fn sample_with_values(values: &str, bytes: &[u8]) -> Run {
    let run = Run::new().args(["init", "s"]);
    assert_eq!(run.run().code, 0);
    run.write(values, bytes);
    let spec = std::fs::read_to_string(run.path("s/templates/cong-van-dvc.toml")).unwrap();
    let spec: String = spec
        .lines()
        .filter(|l| !l.starts_with("previous ="))
        .map(|l| match l.starts_with("values =") {
            true => format!("values = \"../../{values}\"\n"),
            false => format!("{l}\n"),
        })
        .collect();
    run.write("s/templates/cong-van-dvc.toml", spec);
    run
}

const CHECK: [&str; 2] = ["check", "s/templates/cong-van-dvc.toml"];

fn clear_error(out: &Outcome, needles: &[&str]) {
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    for n in needles {
        assert!(out.stderr.contains(n), "no {n:?} in:\n{}", out.stderr);
    }
}

/// An .xlsx whose first sheet's XML is `sheet` (rows and cells only).
fn xlsx(sheet: &[u8], dimension: &str) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    let parts: [(&str, String); 4] = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
    ];
    for (name, text) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    write!(z, r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>"#).unwrap();
    z.write_all(sheet).unwrap();
    z.write_all(b"</sheetData></worksheet>").unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

#[test]
fn xlsx_with_one_cell_at_xfd1048576_is_refused_without_allocating_the_sheet() {
    let bytes = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Đơn vị</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#.as_bytes(),
        "A1:XFD1048576",
    );
    assert!(bytes.len() < 4096);
    let out = sample_with_values("far.xlsx", &bytes).run_with(&CHECK);
    clear_error(
        &out,
        &[
            "far.xlsx",
            "Sheet1!XFD1048576",
            "1048576 rows × 16384 columns",
            "stray cells",
        ],
    );
}

#[test]
fn a_data_table_xlsx_with_a_stray_far_cell_is_refused_like_a_values_file() {
    // [data.tables] reads workbooks through the same bounded reader as the values.
    let bytes = xlsx(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>TT</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#.as_bytes(),
        "A1:XFD1048576",
    );
    let run = sample_with_values("unused.csv", b"");
    let spec = std::fs::read_to_string(run.path("s/templates/cong-van-dvc.toml")).unwrap();
    let spec = spec.replace(
        "values = \"../../unused.csv\"\n",
        "values = \"../data/hai-phong-2024/2024-07.csv\"\n",
    );
    run.write(
        "s/templates/cong-van-dvc.toml",
        format!("{spec}\n[data.tables]\nnhiem_vu = \"../../far.xlsx\"\n"),
    );
    run.write("far.xlsx", bytes);
    let out = run.run_with(&CHECK);
    clear_error(&out, &["far.xlsx", "Sheet1!XFD1048576", "stray cells"]);
}

#[test]
fn csv_line_longer_than_a_mebibyte_is_refused_at_its_line() {
    let mut csv = "Đơn vị;ty_le_ho_so_truc_tuyen\nSở Nội vụ;50\nSở Tư pháp;"
        .as_bytes()
        .to_vec();
    csv.resize(csv.len() + 3 * 1024 * 1024, b'9');
    let out = sample_with_values("long.csv", &csv).run_with(&CHECK);
    clear_error(&out, &["long.csv:3", "longer than 1 MiB"]);
    assert!(out.stderr.len() < 2_000, "the line is not printed whole");
}

#[test]
fn csv_with_more_columns_than_the_limit_is_refused() {
    let mut csv = "Đơn vị".as_bytes().to_vec();
    csv.resize(csv.len() + 20_000, b';');
    csv.push(b'\n');
    let out = sample_with_values("wide.csv", &csv).run_with(&CHECK);
    clear_error(&out, &["wide.csv:1", "20001 columns", "at most 10000"]);
}

/// A letter drafted from the sample, with its body replaced by tables nested `depth` deep.
fn nested_docx(run: &Run, depth: usize) -> Vec<u8> {
    let out = run.run_with(&["draft", "s/templates/cong-van-dvc.toml", "--out", "src"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let bytes = std::fs::read(run.path("src/cong-van-dvc-2024-07.docx")).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zout = zip::ZipWriter::new(&mut buf);
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == "word/document.xml" {
            let text = String::from_utf8(data).unwrap();
            let start = text.find("<w:body>").unwrap() + "<w:body>".len();
            let end = start + text[start..].find("<w:sectPr").unwrap();
            let body = format!(
                "{}<w:p><w:r><w:t>lõi</w:t></w:r></w:p>{}",
                "<w:tbl><w:tr><w:tc>".repeat(depth),
                "</w:tc></w:tr></w:tbl><w:p/>".repeat(depth)
            );
            data = format!("{}{body}{}", &text[..start], &text[end..]).into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap();
    buf.into_inner()
}

#[test]
fn textconv_reads_tables_nested_600_deep_without_overflowing_the_stack() {
    let run = Run::new().args(["init", "s"]);
    assert_eq!(run.run().code, 0);
    let deep = nested_docx(&run, 600);
    run.write("deep.docx", deep);
    let out = run.run_with(&["textconv", "deep.docx"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.trim(), "lõi");
}

#[test]
fn textconv_refuses_a_docx_that_decompresses_past_the_limit() {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", opts).unwrap();
    let block = vec![b' '; 1024 * 1024];
    for _ in 0..40 {
        z.write_all(&block).unwrap();
    }
    z.finish().unwrap();
    let run = Run::new();
    run.write("bomb.docx", buf.into_inner());
    let out = run.run_with(&["textconv", "bomb.docx"]);
    clear_error(&out, &["bomb.docx", "decompresses to more than 32 MiB"]);
}

/// A run of the sample letter with its body template replaced by `body`.
fn template(body: &str) -> Outcome {
    let run = Run::new().args(["init", "s"]);
    assert_eq!(run.run().code, 0);
    run.write("s/templates/cong-van-dvc.md.tera", body);
    run.run_with(&["draft", "s/templates/cong-van-dvc.toml", "--out", "out"])
}

#[test]
fn a_template_writing_without_end_is_stopped_by_the_output_bound() {
    let out = template(&format!(
        "{{% for a in range(end=100000) %}}{{% for b in range(end=100000) %}}{}{{% endfor %}}{{% endfor %}}",
        "x".repeat(64 * 1024)
    ));
    clear_error(&out, &["cong-van-dvc.md.tera", "wrote more than 16 MiB"]);
}

#[test]
fn a_template_doubling_a_string_is_stopped_by_the_memory_bound() {
    let out = template(
        r#"{% set s = "ab" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}"#,
    );
    clear_error(&out, &["used more than 256 MiB", "doubles in a loop"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_link_to_dev_zero_with_an_outputs_name_is_refused_unopened() {
    let run = Run::new().args(["draft", "--out", "out"]);
    std::fs::create_dir(run.path("out")).unwrap();
    let fifo = std::ffi::CString::new(
        run.path("out/cong-van-dvc-2024-07.docx")
            .into_os_string()
            .into_encoded_bytes(),
    )
    .unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    clear_error(
        &run.run(),
        &["cong-van-dvc-2024-07.docx is not a regular file"],
    );
    std::fs::remove_file(run.path("out/cong-van-dvc-2024-07.docx")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", run.path("out/cong-van-dvc-2024-07.md")).unwrap();
    clear_error(
        &run.run(),
        &["cong-van-dvc-2024-07.md is not a regular file"],
    );
}
