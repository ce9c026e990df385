//! An office's own files, unchanged (issue #11): two provinces' data as offices keep them —
//! Sơn Hà, June 2024, three levels (tỉnh → huyện → xã); Bắc Sơn, September 2025, two levels
//! (tỉnh → xã) — each as a long file with the office's own indicator names, a wide CSV export
//! (BOM, ';', CRLF, decimal comma, '%', NFD names, "UBND" prefixes, old tone marks, title rows,
//! STT, a totals row) and an XLSX export built here (notes sheet, two-row merged header,
//! percent-formatted cells, totals row; or a sheet chosen by name). Every variant must give the
//! lagging lists written below by hand from the figures in `tests/fixtures/owndata/`, with no
//! edit of those files (the spec maps at most).

use std::io::Write;
use std::path::Path;

use crate::harness::Run;

fn fixtures(province: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/owndata")
        .join(province)
}

/// A spec over the province's files (in the run folder) with `values` and extra `[data]` lines.
fn spec(values: &str, extra: &str) -> String {
    format!(
        r#"template = "body.md.tera"
recipients = ["Các đơn vị"]
[issuer]
name = "Văn phòng"
place = "Sơn Hà"
[document]
kind = "cong-van"
symbol = "VP-KSTTHC"
subject = "đôn đốc nâng cao chỉ số phục vụ người dân, doanh nghiệp"
[signer]
name = "Nguyễn Văn An"
[data]
registry = "registry.csv"
values = "{values}"
targets = "targets.toml"
{extra}"#
    )
}

/// Lagging entries from `congvan lagging SPEC --json`: (indicator, unit id, value in hundredths),
/// sorted; every entry must be a unit's own (no computed aggregate lags in these data sets).
fn lagging(run: Run, spec_text: &str) -> Vec<(String, String, i64)> {
    run.write("spec.toml", spec_text)
        .write("body.md.tera", "Kính gửi các đơn vị.\n");
    let out = run.args(["lagging", "spec.toml", "--json"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("lagging JSON");
    let mut got: Vec<(String, String, i64)> = list
        .as_array()
        .expect("a JSON list")
        .iter()
        .map(|e| {
            assert_eq!(e["aggregate"], false, "{e}");
            (
                e["indicator"].as_str().unwrap_or_default().to_string(),
                e["unit_id"].as_str().unwrap_or_default().to_string(),
                (e["value"].as_f64().unwrap_or(f64::NAN) * 100.0).round() as i64,
            )
        })
        .collect();
    got.sort();
    got
}

fn expect(list: &[(&str, &str, i64)]) -> Vec<(String, String, i64)> {
    let mut v: Vec<_> = list
        .iter()
        .map(|(i, u, x)| (i.to_string(), u.to_string(), *x))
        .collect();
    v.sort();
    v
}

/// Sơn Hà, hand-checked against its plan (targets.toml, keyed by the office's names):
/// online 50% (sở 90%), digitised 80%, on time 95%; a value equal to its target does not lag.
fn son_ha_expected() -> Vec<(String, String, i64)> {
    expect(&[
        // Tỷ lệ hồ sơ trực tuyến: Sở Xây dựng 85 < 90, Đông Hòa 48,30 < 50, An Thủy 49,99 < 50
        // (Sở Tư pháp 92,10 ≥ 90, Quang Trung 50,00 = 50).
        ("ty_le_ho_so_truc_tuyen", "so-xay-dung", 8500),
        ("ty_le_ho_so_truc_tuyen", "huyen-dong-hoa", 4830),
        ("ty_le_ho_so_truc_tuyen", "xa-an-thuy", 4999),
        // Tỷ lệ số hóa hồ sơ: Sở Tư pháp 75,40, TP Sơn Hà 79,99, Bình Minh 60,50 (Quang Trung 80).
        ("ty_le_so_hoa_ho_so", "so-tu-phap", 7540),
        ("ty_le_so_hoa_ho_so", "tp-son-ha", 7999),
        ("ty_le_so_hoa_ho_so", "xa-binh-minh", 6050),
        // Tỷ lệ giải quyết đúng hạn: Sở Xây dựng 94,50, Bình Minh 93,20, Quang Trung 88 (An Thủy 95).
        ("ty_le_dung_han", "so-xay-dung", 9450),
        ("ty_le_dung_han", "xa-binh-minh", 9320),
        ("ty_le_dung_han", "phuong-quang-trung", 8800),
    ])
}

/// Bắc Sơn, hand-checked: online 50% (sở 90%, xã 60%), online payment 45%, digitised 80%.
fn bac_son_expected() -> Vec<(String, String, i64)> {
    expect(&[
        // Online: Sở Y tế 88 < 90, xã Tân Phú 59,90 < 60, phường Bến Thủy 49 < 50
        // (Hòa Thuận 72 ≥ 60, Cồn Cỏ 51 ≥ 50).
        ("ty_le_ho_so_truc_tuyen", "so-y-te", 8800),
        ("ty_le_ho_so_truc_tuyen", "xa-tan-phu", 5990),
        ("ty_le_ho_so_truc_tuyen", "phuong-ben-thuy", 4900),
        // Payment: Sở Y tế 30,10, Hòa Thuận 44,99, Cồn Cỏ 20 (Tân Phú 45 = 45).
        ("ty_le_thanh_toan_truc_tuyen", "so-y-te", 3010),
        ("ty_le_thanh_toan_truc_tuyen", "xa-hoa-thuan", 4499),
        ("ty_le_thanh_toan_truc_tuyen", "dac-khu-con-co", 2000),
        // Digitised: Sở Nội vụ 79,50, Hòa Thuận 70 (Cồn Cỏ 80 = 80).
        ("ty_le_so_hoa_ho_so", "so-noi-vu", 7950),
        ("ty_le_so_hoa_ho_so", "xa-hoa-thuan", 7000),
    ])
}

#[test]
fn the_fixtures_are_exports_as_offices_send_them() {
    for (province, file) in [
        ("son-ha-2024", "2024-06-export.csv"),
        ("bac-son-2025", "2025-09-export.csv"),
    ] {
        let bytes = std::fs::read(fixtures(province).join(file)).expect("fixture");
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file}: BOM");
        assert!(
            text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
            "{file}: CRLF"
        );
        assert!(
            text.contains('\u{0301}') || text.contains('\u{0300}'),
            "{file}: NFD"
        );
        assert!(text.contains("UBND ") && text.contains("%;") && text.contains(','));
        assert!(text.contains("STT;") && text.contains("BÁO CÁO"));
        assert!(text.contains("Tổng cộng") || text.contains("Toàn tỉnh"));
    }
    let old_tone = std::fs::read_to_string(fixtures("son-ha-2024").join("2024-06-export.csv"))
        .expect("fixture");
    let nfc: String = unicode_normalization::UnicodeNormalization::nfc(old_tone.as_str()).collect();
    assert!(
        nfc.contains("Đông Hoà") && nfc.contains("An Thuỷ"),
        "old tone placement"
    );
}

#[test]
fn three_levels_long_file_with_the_office_indicator_names() {
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    assert_eq!(
        lagging(run, &spec("2024-06-long.csv", "")),
        son_ha_expected()
    );
}

#[test]
fn three_levels_wide_csv_export_unchanged() {
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    assert_eq!(
        lagging(run, &spec("2024-06-export.csv", "")),
        son_ha_expected()
    );
}

#[test]
fn two_levels_long_file_with_names_mapped_in_the_spec() {
    let run = Run::in_copy_of(&fixtures("bac-son-2025"));
    let names = "[data.indicator-names]\n\"DVC trực tuyến\" = \"ty_le_ho_so_truc_tuyen\"\n\"Thanh toán TT\" = \"3.6\"\n";
    assert_eq!(
        lagging(run, &spec("2025-09-long.csv", names)),
        bac_son_expected()
    );
}

#[test]
fn two_levels_wide_csv_export_unchanged() {
    let run = Run::in_copy_of(&fixtures("bac-son-2025"));
    assert_eq!(
        lagging(run, &spec("2025-09-export.csv", "")),
        bac_son_expected()
    );
}

#[test]
fn a_long_file_name_the_spec_does_not_map_is_refused_with_close_indicators() {
    let run = Run::in_copy_of(&fixtures("bac-son-2025"));
    run.write("spec.toml", spec("2025-09-long.csv", ""))
        .write("body.md.tera", "Kính gửi các đơn vị.\n");
    let out = run.args(["check", "spec.toml"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("unknown indicator \"DVC trực tuyến\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("2025-09-long.csv:2:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("[data.indicator-names]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("ty_le_thanh_toan_truc_tuyen"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_spec_mapping_to_no_indicator_is_an_error_at_its_place() {
    let run = Run::in_copy_of(&fixtures("bac-son-2025"));
    let names = "[data.indicator-names]\n\"DVC trực tuyến\" = \"ty_le_truc_tuyen\"\n";
    run.write("spec.toml", spec("2025-09-long.csv", names))
        .write("body.md.tera", "Kính gửi các đơn vị.\n");
    let out = run.args(["check", "spec.toml"]).run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("unknown indicator \"ty_le_truc_tuyen\""),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("spec.toml:17:"), "{}", out.stderr);
    assert!(
        out.stderr.contains("ty_le_ho_so_truc_tuyen"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------- XLSX built by hand

/// A cell of a hand-built sheet.
enum X {
    T(&'static str),
    S(String),
    N(f64),
    E,
}

fn column(c: usize) -> char {
    (b'A' + c as u8) as char
}

fn sheet_xml(rows: &[Vec<X>], merges: &[&str]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        s.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            match cell {
                X::T(t) => s.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{t}</t></is></c>"
                )),
                X::S(t) => s.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t>{t}</t></is></c>"
                )),
                X::N(n) => s.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>")),
                X::E => {}
            }
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData>");
    if !merges.is_empty() {
        s.push_str(&format!("<mergeCells count=\"{}\">", merges.len()));
        for m in merges {
            s.push_str(&format!("<mergeCell ref=\"{m}\"/>"));
        }
        s.push_str("</mergeCells>");
    }
    s.push_str("</worksheet>");
    s
}

/// A workbook of (sheet name, sheet XML), zipped by hand.
fn workbook(sheets: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, body: &str| {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("zip write");
    };
    let overrides: String = (1..=sheets.len())
        .map(|i| format!("<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
        .collect();
    put(
        "[Content_Types].xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
        ),
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let list: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (n, _))| {
            format!(
                "<sheet name=\"{n}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
                i + 1,
                i + 1
            )
        })
        .collect();
    put(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{list}</sheets></workbook>"#
        ),
    );
    let rels: String = (1..=sheets.len())
        .map(|i| format!("<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"))
        .collect();
    put(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    for (i, (_, xml)) in sheets.iter().enumerate() {
        put(&format!("xl/worksheets/sheet{}.xml", i + 1), xml);
    }
    zip.finish().expect("zip").into_inner()
}

fn nfd(s: &str) -> String {
    unicode_normalization::UnicodeNormalization::nfd(s).collect()
}

#[test]
fn three_levels_xlsx_with_notes_sheet_two_row_header_and_totals() {
    // Sheet 1 is notes; sheet 2 the export: title row, a two-row header whose upper cells are
    // merged ("Tỷ lệ hồ sơ trực tuyến" over Tử số / Mẫu số), percent-formatted rates stored as
    // fractions, names NFD with "UBND" and old tone marks, a totals row written under STT.
    let notes = sheet_xml(
        &[
            vec![X::T("Hướng dẫn: số liệu tại trang T6-2024")],
            vec![X::T("Người lập: Phòng KSTTHC")],
        ],
        &[],
    );
    let units: [(&str, f64, f64, f64); 8] = [
        ("Sở Tư pháp", 9210.0, 0.754, 0.98),
        ("SỞ XÂY DỰNG", 8500.0, 0.882, 0.945),
        ("UBND huyện Đông Hoà", 4830.0, 0.81, 0.961),
        ("UBND Thành phố Sơn Hà", 6125.0, 0.7999, 0.99),
        ("UBND xã An Thuỷ", 4999.0, 0.9, 0.95),
        ("Xã Bình Minh", 5500.0, 0.605, 0.932),
        ("UBND phường Quang Trung", 5000.0, 0.8, 0.88),
        ("Phường Hoà Lạc", 7010.0, 0.82, 0.97),
    ];
    let mut rows = vec![
        vec![X::T("BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC THÁNG 6/2024")],
        vec![
            X::T("STT"),
            X::T("Tên đơn vị"),
            X::T("Tỷ lệ hồ sơ trực tuyến"),
            X::E,
            X::T("Tỷ lệ số hóa hồ sơ"),
            X::T("Tỷ lệ giải quyết đúng hạn"),
        ],
        vec![
            X::E,
            X::E,
            X::T("Tử số"),
            X::T("Mẫu số"),
            X::T("Tỷ lệ (%)"),
            X::T("Tỷ lệ (%)"),
        ],
    ];
    for (i, (name, online, so_hoa, dung_han)) in units.iter().enumerate() {
        rows.push(vec![
            X::N(i as f64 + 1.0),
            X::S(nfd(name)),
            X::N(*online),
            X::N(10000.0),
            X::N(*so_hoa),
            X::N(*dung_han),
        ]);
    }
    rows.push(vec![
        X::T("Tổng cộng"),
        X::E,
        X::N(51174.0),
        X::N(80000.0),
        X::N(0.7964),
        X::N(0.951),
    ]);
    let data = sheet_xml(&rows, &["A2:A3", "B2:B3", "C2:D2"]);
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    run.write(
        "2024-06.xlsx",
        workbook(&[("Hướng dẫn", notes), ("T6-2024", data)]),
    );
    assert_eq!(lagging(run, &spec("2024-06.xlsx", "")), son_ha_expected());
}

#[test]
fn two_levels_xlsx_sheet_chosen_by_name() {
    let header = || {
        vec![
            X::T("STT"),
            X::T("Cơ quan, đơn vị"),
            X::T("Tỷ lệ hồ sơ trực tuyến (%)"),
            X::T("Tỷ lệ thanh toán trực tuyến (%)"),
            X::T("Tỷ lệ số hóa hồ sơ (%)"),
        ]
    };
    let names = [
        "Sở Nội vụ",
        "Sở Y Tế",
        "UBND xã Tân Phú",
        "UBND xã Hoà Thuận",
        "UBND phường Bến Thuỷ",
        "UBND đặc khu Cồn Cỏ",
    ];
    let sheet = |title: &'static str, figures: &[[f64; 3]]| {
        let mut rows = vec![vec![X::T(title)], header()];
        for (i, (n, f)) in names.iter().zip(figures).enumerate() {
            rows.push(vec![
                X::N(i as f64 + 1.0),
                X::S(nfd(n)),
                X::N(f[0]),
                X::N(f[1]),
                X::N(f[2]),
            ]);
        }
        rows.push(vec![
            X::E,
            X::T("Toàn tỉnh"),
            X::N(69.23),
            X::N(41.52),
            X::N(80.92),
        ]);
        sheet_xml(&rows, &[])
    };
    // August: nobody lags; September: the figures of the CSV export, in percent points.
    let august = sheet("Tháng 8 năm 2025", &[[100.0, 100.0, 100.0]; 6]);
    let september = sheet(
        "Tháng 9 năm 2025",
        &[
            [95.46, 50.0, 79.5],
            [88.0, 30.1, 85.0],
            [59.9, 45.0, 81.0],
            [72.0, 44.99, 70.0],
            [49.0, 60.0, 90.0],
            [51.0, 20.0, 80.0],
        ],
    );
    let run = Run::in_copy_of(&fixtures("bac-son-2025"));
    run.write(
        "2025-09.xlsx",
        workbook(&[("Tháng 8", august), ("Tháng 9", september)]),
    );
    assert_eq!(
        lagging(run, &spec("2025-09.xlsx", "sheet = \"THÁNG 9\"\n")),
        bac_son_expected()
    );
}

#[test]
fn diff_takes_the_spec_of_the_current_folder() {
    // Two months of Bắc Sơn's export; the folder's one spec brings the registry and targets.
    let run = Run::in_copy_of(&fixtures("bac-son-2025"));
    run.write("spec.toml", spec("2025-09-export.csv", ""))
        .write("body.md.tera", "Kính gửi các đơn vị.\n")
        .write(
            "2025-08.csv",
            "Đơn vị;Tỷ lệ hồ sơ trực tuyến\nSở Y tế;91,00\nXã Tân Phú;59,00\n",
        );
    let run = run.args(["diff", "2025-08.csv", "2025-09-export.csv", "--json"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).expect("diff JSON");
    let online = j["indicators"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["key"] == "ty_le_ho_so_truc_tuyen"))
        .cloned()
        .unwrap_or_default();
    let ids = |k: &str| -> Vec<String> {
        online[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|u| u["unit_id"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    // Sở Y tế: 91 ≥ 90 in August, 88 in September; Tân Phú lags both months (xã target 60).
    assert_eq!(ids("newly_lagging"), ["so-y-te"], "{}", out.stdout);
    assert_eq!(ids("still_lagging"), ["xa-tan-phu"], "{}", out.stdout);
    // A second spec makes the choice ambiguous: refused, naming both.
    run.write("spec-2.toml", spec("2025-09-long.csv", ""));
    let out = run.run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("several specs: spec-2.toml, spec.toml"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------- levels given ready-made

/// `congvan lagging --json` entries as (unit id, value in hundredths, aggregate), and stderr.
fn lagging_raw(run: Run) -> (Vec<(String, i64, bool)>, String) {
    run.write("body.md.tera", "Kính gửi các đơn vị.\n");
    let out = run.args(["lagging", "spec.toml", "--json"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("lagging JSON");
    let mut got: Vec<(String, i64, bool)> = list
        .as_array()
        .expect("a JSON list")
        .iter()
        .map(|e| {
            (
                e["unit_id"].as_str().unwrap_or_default().to_string(),
                (e["value"].as_f64().unwrap_or(f64::NAN) * 100.0).round() as i64,
                e["aggregate"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    (got, out.stderr)
}

#[test]
fn a_commune_level_given_ready_made_needs_no_communes_in_the_registry() {
    // Sơn Hà's districts only; the office reports each district's commune level as a rate.
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    run.write(
        "registry.csv",
        "id,code,name,kind,parent,bloc\nso-tu-phap,,Sở Tư pháp,so,,so-nganh\nhuyen-dong-hoa,,Huyện Đông Hòa,huyen,,dia-phuong\ntp-son-ha,,Thành phố Sơn Hà,thanh-pho,,dia-phuong\n",
    )
    .write(
        "levels.csv",
        "Đơn vị;Chỉ số;Giá trị\nSở Tư pháp;Tỷ lệ hồ sơ trực tuyến;92,10\nCấp xã thuộc huyện Đông Hoà;Tỷ lệ hồ sơ trực tuyến;47,00\nCấp phường thuộc thành phố Sơn Hà;Tỷ lệ hồ sơ trực tuyến;55,00\n",
    )
    .write("spec.toml", spec("levels.csv", ""));
    let (got, stderr) = lagging_raw(run);
    // Đông Hòa's commune level 47 < 50 (the commune target); Sơn Hà's 55 ≥ 50; Sở Tư pháp 92,10 ≥ 90.
    assert_eq!(
        got,
        [("huyen-dong-hoa/cap-xa".to_string(), 4700, true)],
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_given_commune_level_is_used_and_a_disagreeing_sum_is_a_warning() {
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    run.write(
        "levels.csv",
        "Đơn vị;Chỉ số;Tử số;Mẫu số;Giá trị\n\
         Xã An Thủy;Tỷ lệ hồ sơ trực tuyến;4999;10000;\n\
         Xã Bình Minh;Tỷ lệ hồ sơ trực tuyến;5500;10000;\n\
         Phường Quang Trung;Tỷ lệ hồ sơ trực tuyến;5000;10000;\n\
         Phường Hòa Lạc;Tỷ lệ hồ sơ trực tuyến;7010;10000;\n\
         Cấp xã thuộc huyện Đông Hòa;Tỷ lệ hồ sơ trực tuyến;;;48,00\n\
         cấp xã thuộc Thành phố Sơn Hà;Tỷ lệ hồ sơ trực tuyến;;;60,05\n",
    )
    .write("spec.toml", spec("levels.csv", ""));
    let (got, stderr) = lagging_raw(run);
    // Units: An Thủy 49,99 < 50. Levels: Đông Hòa given 48 (its communes add up to 52,495):
    // lags; Sơn Hà given 60,05, its wards add up to 60,05: no lag, no warning.
    assert_eq!(
        got,
        [
            ("huyen-dong-hoa/cap-xa".to_string(), 4800, true),
            ("xa-an-thuy".to_string(), 4999, false),
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("the commune level of huyện Đông Hòa is given as 48"),
        "{stderr}"
    );
    assert!(stderr.contains("communes add up to 52,"), "{stderr}");
    assert!(!stderr.contains("Sơn Hà"), "{stderr}");
}

#[test]
fn check_warns_of_a_given_commune_level_its_communes_do_not_add_up_to() {
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    run.write(
        "levels.csv",
        "Đơn vị;Chỉ số;Tử số;Mẫu số;Giá trị\n\
         Xã An Thủy;Tỷ lệ hồ sơ trực tuyến;4999;10000;\n\
         Xã Bình Minh;Tỷ lệ hồ sơ trực tuyến;5500;10000;\n\
         Cấp xã thuộc huyện Đông Hòa;Tỷ lệ hồ sơ trực tuyến;;;48,00\n",
    )
    .write("spec.toml", spec("levels.csv", ""))
    .write("body.md.tera", "Kính gửi các đơn vị.\n");
    let out = run.args(["check", "spec.toml"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: ty_le_ho_so_truc_tuyen: the commune level of huyện Đông Hòa is given as 48 in levels.csv, but its communes add up to 52,"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------- targets from the export

#[test]
fn targets_from_the_export_columns_win_over_the_targets_file() {
    // Long: "Chỉ số" names the indicator, "Chỉ tiêu" is the unit's target.
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    run.write(
        "with-targets.csv",
        "Đơn vị;Chỉ số;Giá trị;Chỉ tiêu\n\
         Sở Tư pháp;Tỷ lệ hồ sơ trực tuyến;92,10;95\n\
         Xã An Thủy;Tỷ lệ hồ sơ trực tuyến;49,99;45\n\
         Xã Bình Minh;Tỷ lệ hồ sơ trực tuyến;55,00;\n",
    )
    .write("spec.toml", spec("with-targets.csv", ""));
    let (got, stderr) = lagging_raw(run);
    // Sở Tư pháp 92,10 < its 95; An Thủy 49,99 ≥ its 45; Bình Minh 55 ≥ the file's 50.
    assert_eq!(got, [("so-tu-phap".to_string(), 9210, false)], "{stderr}");

    // Wide, two-row XLSX header: "Chỉ tiêu" under the indicator, percent-formatted fractions.
    let rows = vec![
        vec![
            X::T("STT"),
            X::T("Đơn vị"),
            X::T("Tỷ lệ số hóa hồ sơ"),
            X::E,
        ],
        vec![X::E, X::E, X::T("Tỷ lệ (%)"), X::T("Chỉ tiêu")],
        vec![X::N(1.0), X::T("Sở Tư pháp"), X::N(0.754), X::N(0.7)],
        vec![X::N(2.0), X::T("Xã Bình Minh"), X::N(0.905), X::N(0.95)],
        vec![X::T("Tổng cộng"), X::E, X::N(0.83), X::E],
    ];
    let run = Run::in_copy_of(&fixtures("son-ha-2024"));
    run.write(
        "t.xlsx",
        workbook(&[("Số liệu", sheet_xml(&rows, &["C1:D1"]))]),
    )
    .write("spec.toml", spec("t.xlsx", ""));
    let (got, stderr) = lagging_raw(run);
    // Sở Tư pháp 75,40 ≥ its 70 (the file says 80); Bình Minh 90,50 < its 95.
    assert_eq!(got, [("xa-binh-minh".to_string(), 9050, false)], "{stderr}");
}

// ---------------------------------------------------------------- init from the office's files

#[test]
fn init_from_own_files_picks_the_letter_of_the_registry_shape_and_drafts_it() {
    // Two levels (2025): the Hưng Yên letter; the project drafts again unchanged.
    let files = fixtures("bac-son-2025");
    let run = Run::new().args([
        "init",
        "p",
        "--registry",
        &files.join("registry.csv").display().to_string(),
        "--values",
        &files.join("2025-09-export.csv").display().to_string(),
    ]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("a 2-level letter"), "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("p/drafts/letter.md")).expect("drafted");
    assert!(
        md.contains("Ủy ban nhân dân các xã, phường"),
        "two-level letter"
    );
    // init's targets are the catalogue defaults (online 50%, digitised 80%): phường Bến Thủy
    // (49) lags on online dossiers, Sở Nội vụ (79,50) and xã Hòa Thuận (70) on digitisation;
    // Sở Y tế (88 ≥ 50) does not.
    assert!(md.contains("phường Bến Thủy 49%"), "{md}");
    assert!(md.contains("Sở Nội vụ 79,50%"), "{md}");
    assert!(!md.contains("Sở Y tế"), "{md}");
    let exported = std::fs::read(files.join("2025-09-export.csv")).expect("fixture");
    assert_eq!(
        std::fs::read(run.path("p/data/2025-09-export.csv")).ok(),
        Some(exported)
    );
    let again = Run::in_copy_of(&run.path("p"))
        .args(["draft", "letter.toml", "--out", "again"])
        .run();
    assert_eq!(again.code, 0, "{}", again.stderr);

    // Three levels (2024): the Hải Phòng letter, whose commune levels need counts.
    let run = Run::new();
    run.write(
        "values.csv",
        "Đơn vị;Chỉ số;Tử số;Mẫu số\n\
         Sở Tư pháp;Tỷ lệ hồ sơ trực tuyến;921;1000\nSở Tư pháp;Tỷ lệ số hóa hồ sơ;754;1000\n\
         Xã An Thủy;Tỷ lệ hồ sơ trực tuyến;40;100\nXã An Thủy;Tỷ lệ số hóa hồ sơ;90;100\n",
    );
    let registry = fixtures("son-ha-2024").join("registry.csv");
    let run = run.args([
        "init",
        "p",
        "--registry",
        &registry.display().to_string(),
        "--values",
        "values.csv",
    ]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("a 3-level letter"), "{}", out.stderr);
    // The words to replace are named: the sample office's, and the body's.
    assert!(
        out.stderr.contains(
            "made from the sample letter of Văn phòng, Ủy ban nhân dân thành phố Hải Phòng"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("letter.md.tera"), "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("p/drafts/letter.md")).expect("drafted");
    assert!(md.contains("cấp xã thuộc huyện Đông Hòa 40%"), "{md}");
    assert!(md.contains("Sở Tư pháp 75,40%"), "{md}");
}
