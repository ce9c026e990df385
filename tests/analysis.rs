//! Lagging units from indicator data: registry, readers, name matching, analysis, helpers.

use std::path::Path;
use std::sync::Arc;

use congvan::analysis::{self, Facts};
use congvan::input::source::Source;

fn hai_phong() -> Facts {
    congvan::pipeline::load::facts_from_files(
        &Source::Disk,
        Path::new("data/hai-phong-2024/registry.csv"),
        Path::new("data/hai-phong-2024/2024-07.csv"),
        Some(Path::new("data/hai-phong-2024/targets.toml")),
    )
    .unwrap()
}

fn render(facts: Facts, template: &str) -> String {
    let mut tera = tera::Tera::default();
    congvan::template::data::register(&mut tera, Arc::new(facts));
    let ctx = tera::Context::new();
    tera.render_str(template, &ctx, true).unwrap()
}

/// The section-3 Tera code of a shipped template: from "3.1." up to "4. Giao".
fn section3(template: &str) -> String {
    let text = std::fs::read_to_string(template).unwrap();
    let start = text.find("{# Section 3").unwrap();
    let end = text.find("\n\n4. Giao").unwrap();
    text[start..end].to_string()
}

/// Seed 000, section 3.1 and 3.2 lists, with the seed's slips corrected:
/// - "UBND Quận Lê Chân", "Quận Ngô Quyền" → lowercase "quận" (NĐ 30, Phụ lục II: the kind
///   word of an administrative unit is not capitalised inside a sentence), as the seed itself
///   writes "UBND quận Hồng Bàng";
/// - 3.1 b) ends "23,79% ...**": the clerk's "..." marks a list cut short; the generated list
///   is complete and ends with a period like 3.1 a);
/// - 3.2 b) the bold run broken by a page break ("Đông** Sơn") is one run;
/// - "phường Hợp Đức (38,30%) thuộc quận Đồ Sơn" is worded like the other single communes:
///   "phường Hợp Đức, quận Đồ Sơn 38,30%".
const SEED_000_SECTION_3: &str = "\
3.1. Đối với tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ:

a) Khối sở, ngành: **Sở Tài chính 65,52%, Sở Tài nguyên và Môi trường 87,58%, Sở Tư pháp 89,22%**.

b) Khối địa phương: **UBND quận Lê Chân 64,98%, UBND quận Ngô Quyền 51,67%, UBND quận Hồng Bàng 78,99%; cấp xã thuộc huyện An Lão 54,75%; cấp xã thuộc huyện Cát Hải 26,61%; cấp xã thuộc huyện Kiến Thụy 52,99%; cấp phường thuộc quận Dương Kinh 40,93%; cấp phường thuộc quận Hồng Bàng 23,83%; cấp phường thuộc quận Kiến An 40,81%; cấp phường thuộc quận Ngô Quyền 42,12%; cấp phường thuộc quận Đồ Sơn 23,79%**.

3.2. Đối với tỷ lệ số hóa hồ sơ đã giải quyết:

a) Khối sở, ngành: **Sở Công Thương 28,82%, Sở Lao động - Thương binh và Xã hội 71,09%**;

b) Khối địa phương: **huyện Thủy Nguyên 76,90%, huyện Vĩnh Bảo 63,87%, quận Hải An 74,46%; xã Quốc Tuấn, huyện An Dương 61,22%; xã Hoàng Châu, huyện Cát Hải 10,42%; xã Đại Hợp, huyện Kiến Thụy 54,64%; các xã thuộc huyện Thủy Nguyên: Kiền Bái 37,39%, Phả Lễ 45,10%, Đông Sơn 5,26%; các xã thuộc huyện Tiên Lãng: Tiên Thắng 13,64%, Đoàn Lập 35,29%, Đông Hưng 60%; các xã thuộc huyện Vĩnh Bảo: Cao Minh 61,29%, Dũng Tiến 57,14%, Giang Biên 37,50%, Hưng Nhân 41,67%, Vĩnh Tiến 45,45%; phường Hợp Đức, quận Đồ Sơn 38,30%**.";

#[test]
fn sample_reproduces_seed_000_section_3() {
    let out = render(hai_phong(), &section3("templates/cong-van-dvc.md.tera"));
    assert_eq!(out.trim(), SEED_000_SECTION_3);
}

#[test]
fn load_from_spec() {
    let spec = congvan::input::spec::LetterSpec::load(
        Source::Disk,
        Path::new("tests/fixtures/data/hai-phong-spec.toml"),
    )
    .unwrap();
    let facts = congvan::pipeline::load::facts(&spec).unwrap();
    let e = facts
        .indicator("ty_le_so_hoa_ho_so")
        .unwrap()
        .entries
        .iter()
        .find(|e| e.id == "xa-dong-son-thuy-nguyen")
        .unwrap();
    assert!(e.previous.is_some(), "previous month read");
    let out = render(facts, &section3("templates/cong-van-dvc.md.tera"));
    assert_eq!(out.trim(), SEED_000_SECTION_3);
}

/// The two-level province: communes have no district, so they are listed by themselves.
const HUNG_YEN_SECTION_3: &str = "\
3.1. Đối với tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ:

a) Khối sở, ngành: **Sở Xây dựng 84,17%**.

b) Khối địa phương: **UBND phường Sơn Nam 57,74%, UBND phường Trần Lãm 56,89%, UBND xã Thái Ninh 49,25%**.

3.2. Đối với tỷ lệ số hóa hồ sơ đã giải quyết:

a) Khối sở, ngành: **Sở Nông nghiệp và Môi trường 62,50%, Sở Xây dựng 71,30%**;

b) Khối địa phương: **phường Đường Hào 59,59%, phường Vũ Phúc 44,43%, xã Bình Nguyên 44,36%**.";

#[test]
fn hung_yen_sample_from_the_compiled_in_spec() {
    for source in [Source::Disk, Source::Sample] {
        let spec = congvan::input::spec::LetterSpec::load(
            source,
            Path::new("templates/cong-van-hung-yen.toml"),
        )
        .unwrap();
        let facts = congvan::pipeline::load::facts(&spec).unwrap();
        assert_eq!(facts.units.len(), 13 + 104);
        let out = render(facts, &section3("templates/cong-van-dvc.md.tera"));
        assert_eq!(out.trim(), HUNG_YEN_SECTION_3, "{source:?}");
    }
}

// ---------------------------------------------------------------- readers and errors

const REG: &str = "tests/fixtures/data/registry.csv";

fn with_values(name: &str, bytes: &[u8], targets: Option<&str>) -> congvan::diag::Result<Facts> {
    let dir = tempfile::tempdir().unwrap();
    let values = dir.path().join(name);
    std::fs::write(&values, bytes).unwrap();
    let t = targets.map(|t| {
        let p = dir.path().join("targets.toml");
        std::fs::write(&p, t).unwrap();
        p
    });
    congvan::pipeline::load::facts_from_files(&Source::Disk, Path::new(REG), &values, t.as_deref())
}

fn value(f: &Facts, ind: &str, id: &str) -> f64 {
    f.indicator(ind)
        .unwrap()
        .entries
        .iter()
        .find(|e| e.id == id)
        .unwrap()
        .value
}

fn err(name: &str, bytes: &[u8]) -> String {
    let e = with_values(name, bytes, None).unwrap_err();
    format!("{e} | hint: {}", e.hint.clone().unwrap_or_default())
}

#[test]
fn csv_bom_semicolon_decimal_comma_percent() {
    let f = with_values(
        "v.csv",
        "\u{feff}Đơn vị;Chỉ số;Giá trị\r\nSở Tư pháp;ty_le_ho_so_truc_tuyen;89,22%\r\nSở Tài chính;ty_le_ho_so_truc_tuyen;65,52\r\n".as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(value(&f, "ty_le_ho_so_truc_tuyen", "so-tu-phap"), 89.22);
    assert_eq!(value(&f, "ty_le_ho_so_truc_tuyen", "so-tai-chinh"), 65.52);
}

#[test]
fn csv_comma_wide_with_thousands_dot_counts() {
    let f = with_values(
        "v.csv",
        "unit,parent,ty_le_ho_so_truc_tuyen.numerator,ty_le_ho_so_truc_tuyen.denominator\nQuốc Tuấn,huyện An Dương,\"1.234\",\"2.000\"\n".as_bytes(),
        None,
    )
    .unwrap();
    assert!((value(&f, "ty_le_ho_so_truc_tuyen", "xa-quoc-tuan-ad") - 61.7).abs() < 1e-9);
}

#[test]
fn nfd_input_old_tone_placement_ubnd_prefix_and_codes() {
    let text = "id;unit;ty_le_so_hoa_ho_so\n;UBND huye\u{323}\u{302}n Thu\u{309}y Nguye\u{302}n;50\n;Ủy ban nhân dân quận Lê Chân;60\n31111;;70\nSTP;;75\n;xã Thuỷ Sơn;10\n";
    let f = with_values("v.csv", text.as_bytes(), None).unwrap();
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "huyen-thuy-nguyen"), 50.0);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "quan-le-chan"), 60.0);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "xa-quoc-tuan-ad"), 70.0);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "so-tu-phap"), 75.0);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "xa-thuy-son"), 10.0);
}

#[test]
fn xlsx_first_or_named_sheet_fraction_columns_and_cell_errors() {
    let bytes = std::fs::read("tests/fixtures/data/values.xlsx").unwrap();
    let f = with_values("v.xlsx", &bytes, None).unwrap();
    assert!((value(&f, "ty_le_ho_so_truc_tuyen", "so-tu-phap") - 89.22).abs() < 1e-9);
    assert!((value(&f, "ty_le_ho_so_truc_tuyen", "quan-le-chan") - 64.98).abs() < 1e-9);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "so-tu-phap"), 86.54);
    assert!((value(&f, "ty_le_so_hoa_ho_so", "huyen-thuy-nguyen") - 76.9).abs() < 1e-9);
    let registry = congvan::input::registry::Registry::load(&Source::Disk, Path::new(REG)).unwrap();
    let cat = congvan::input::catalogue::Catalogue::builtin().unwrap();
    let e = congvan::input::values::read(
        &Source::Disk,
        Path::new("tests/fixtures/data/values.xlsx"),
        Some("Lỗi"),
        &registry,
        &cat,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "tests/fixtures/data/values.xlsx: Lỗi!B2 (ty_le_ho_so_truc_tuyen): value \"abc\" is not a number"
    );
    let e = congvan::input::values::read(
        &Source::Disk,
        Path::new("tests/fixtures/data/values.xlsx"),
        Some("Nope"),
        &registry,
        &cat,
    )
    .unwrap_err();
    assert!(e.hint.unwrap().contains("Tổng hợp"));
}

#[test]
fn json_long_and_wide() {
    let f = with_values(
        "v.json",
        r#"[{"unit": "Sở Tư pháp", "indicator": "ty_le_ho_so_truc_tuyen", "value": 89.22},
            {"unit": "Lê Chân", "ty_le_so_hoa_ho_so": "74,46%"}]"#
            .as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(value(&f, "ty_le_ho_so_truc_tuyen", "so-tu-phap"), 89.22);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "quan-le-chan"), 74.46);
    assert!(err("v.json", b"[{\"unit\": 1,}]").contains("v.json:1:"));
}

#[test]
fn aggregates_sum_counts_never_average_rates() {
    // Đông Sơn 1/10 = 10%, Kiền Bái 90/100 = 90%: the mean of rates is 50%, the true rate 91/110.
    let f = with_values(
        "v.csv",
        "unit;parent;indicator;numerator;denominator\nĐông Sơn;huyện Thủy Nguyên;ty_le_ho_so_truc_tuyen;1;10\nKiền Bái;huyện Thủy Nguyên;ty_le_ho_so_truc_tuyen;90;100\n".as_bytes(),
        Some("[targets.ty_le_ho_so_truc_tuyen]\ndefault = 90\n"),
    )
    .unwrap();
    let a = &f.indicator("ty_le_ho_so_truc_tuyen").unwrap().aggregates[0];
    assert!((a.value.unwrap() - 91.0 / 110.0 * 100.0).abs() < 1e-9);
    assert!(a.lagging);
    let groups = f
        .list(
            "ty_le_ho_so_truc_tuyen",
            &analysis::ListOptions {
                communes: analysis::Communes::Aggregate,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        congvan::template::lists::word(&groups, "%", &congvan::template::lists::Wording::default()),
        Ok("cấp xã thuộc huyện Thủy Nguyên 82,73%".to_string())
    );
    // A member with a rate only makes the aggregate impossible, and says which.
    let f = with_values(
        "v.csv",
        "unit;parent;indicator;numerator;denominator;value\nĐông Sơn;huyện Thủy Nguyên;ty_le_ho_so_truc_tuyen;1;10;\nKiền Bái;huyện Thủy Nguyên;ty_le_ho_so_truc_tuyen;;;90\n".as_bytes(),
        None,
    )
    .unwrap();
    let e = f
        .list(
            "ty_le_ho_so_truc_tuyen",
            &analysis::ListOptions {
                communes: analysis::Communes::Aggregate,
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(e.contains("xã Kiền Bái has a rate but no numerator"), "{e}");
}

const THREE: &str = "unit;parent;ty_le_so_hoa_ho_so\nĐông Sơn;huyện Thủy Nguyên;40\nKiền Bái;huyện Thủy Nguyên;40\nThủy Sơn;huyện Thủy Nguyên;20\n";

fn order(f: &Facts, sort: &str) -> String {
    let out = render(
        f.clone(),
        &format!("{{{{ lagging_list(indicator=\"ty_le_so_hoa_ho_so\", sort=\"{sort}\") }}}}"),
    );
    out
}

#[test]
fn sort_registry_collation_value_and_ties() {
    let f = with_values("v.csv", THREE.as_bytes(), None).unwrap();
    // Registry order.
    assert_eq!(
        order(&f, "registry"),
        "các xã thuộc huyện Thủy Nguyên: Đông Sơn 40%, Kiền Bái 40%, Thủy Sơn 20%"
    );
    // Vietnamese collation: Đ after D, before K (byte order would put Đ after T).
    assert_eq!(
        order(&f, "alphabetical"),
        "các xã thuộc huyện Thủy Nguyên: Đông Sơn 40%, Kiền Bái 40%, Thủy Sơn 20%"
    );
    let mut names = vec![
        "Ngô Quyền",
        "Đồ Sơn",
        "Dương Kinh",
        "Ưng Hòa",
        "Uông Bí",
        "Vĩnh Bảo",
    ];
    names.sort_by(|a, b| analysis::compare_vi(a, b));
    assert_eq!(
        names,
        [
            "Dương Kinh",
            "Đồ Sơn",
            "Ngô Quyền",
            "Uông Bí",
            "Ưng Hòa",
            "Vĩnh Bảo"
        ]
    );
    // By value, worst first; the tie at 40% keeps registry order.
    assert_eq!(
        order(&f, "value"),
        "các xã thuộc huyện Thủy Nguyên: Thủy Sơn 20%, Đông Sơn 40%, Kiền Bái 40%"
    );
    // Bottom N and a target exactly met (not lagging).
    let g = render(
        f.clone(),
        "{{ lagging_list(indicator=\"ty_le_so_hoa_ho_so\", bottom=1) }}",
    );
    assert_eq!(g, "xã Thủy Sơn, huyện Thủy Nguyên 20%");
    let f = with_values(
        "v.csv",
        b"unit;ty_le_so_hoa_ho_so\nS\xe1\xbb\x9f T\xc6\xb0 ph\xc3\xa1p;80\n",
        None,
    )
    .unwrap();
    assert_eq!(
        render(
            f,
            "{{ lagging_list(indicator=\"ty_le_so_hoa_ho_so\", empty=\"—\") }}"
        ),
        "—"
    );
}

#[test]
fn helpers_format_and_escape() {
    let f = with_values(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tư pháp;60\n".as_bytes(),
        None,
    )
    .unwrap();
    let out = render(
        f,
        "{{ 65.52 | percent }} {{ 60 | percent }} {{ 60 | percent(whole=\"keep\") }} {{ 5.256 | percent(precision=1) }} {{ 1234567 | integer }} {{ 1234.5 | decimal }}|{% for g in lagging(indicator=\"ty_le_so_hoa_ho_so\") %}{{ g.kind }}:{{ g.items[0].full_name }}{% endfor %}|{{ lagging(indicator=\"ty_le_so_hoa_ho_so\") | lagging_text(bold=true) }}",
    );
    assert_eq!(
        out,
        "65,52% 60% 60,00% 5,3% 1.234.567 1.234,50|units:Sở Tư pháp|**Sở Tư pháp 60%**"
    );
    assert_eq!(
        congvan::markdown::escape::escape("Phường *1* [A]"),
        "Phường \\*1\\* \\[A\\]"
    );
}

#[test]
fn error_unknown_unit_lists_closest_names() {
    let e = err(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tài chánh;50\n".as_bytes(),
    );
    assert!(
        e.contains("v.csv:2:1: unit: unknown unit \"Sở Tài chánh\""),
        "{e}"
    );
    assert!(e.contains("closest registry names: Sở Tài chính"), "{e}");
}

#[test]
fn error_ambiguous_name_lists_candidates() {
    let e = err(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nQuốc Tuấn;50\n".as_bytes(),
    );
    assert!(e.contains("ambiguous unit \"Quốc Tuấn\": 2 units"), "{e}");
    assert!(e.contains("xã Quốc Tuấn (huyện An Dương) [xa-quoc-tuan-ad]; xã Quốc Tuấn (huyện An Lão) [xa-quoc-tuan-al]"), "{e}");
    // Disambiguated by "name, parent" or by kind.
    let f = with_values(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\n\"xã Quốc Tuấn, huyện An Lão\";50\nphường An Dương;20\n"
            .as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "xa-quoc-tuan-al"), 50.0);
    assert_eq!(value(&f, "ty_le_so_hoa_ho_so", "phuong-an-duong"), 20.0);
}

#[test]
fn error_value_not_a_number_points_at_the_cell() {
    let e = with_values(
        "v.csv",
        "unit;indicator;value\nSở Tư pháp;ty_le_so_hoa_ho_so;abc%\n".as_bytes(),
        None,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}:2:31: value: value \"abc%\" is not a number",
            e.location.as_ref().unwrap().file.display()
        )
    );
    assert!(e.hint.unwrap().contains("65,52"));
    let e = err(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tư pháp;65.520\n".as_bytes(),
    );
    assert!(e.contains("rate 65.520 is above 100%"), "{e}");
}

#[test]
fn error_missing_and_unknown_columns() {
    assert!(err("v.csv", "Cột A;ty_le_so_hoa_ho_so\nA;1\n".as_bytes())
        .contains(":1: unit: missing column \"unit\""));
    assert!(err("v.csv", "unit;indicator\nA;b\n".as_bytes()).contains("missing column \"value\""));
    let e = err("v.csv", "unit;ty_le_so_hoa\nSở Tư pháp;1\n".as_bytes());
    assert!(
        e.contains(":1:6: ty_le_so_hoa: unknown column \"ty_le_so_hoa\"")
            && e.contains("ty_le_so_hoa_ho_so"),
        "{e}"
    );
    let e = err(
        "v.csv",
        "unit;indicator;value\nSở Tư pháp;ty_le_so_hoa;1\n".as_bytes(),
    );
    assert!(
        e.contains("unknown indicator \"ty_le_so_hoa\"")
            && e.contains("closest: ty_le_so_hoa_ho_so"),
        "{e}"
    );
    let e = err(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tư pháp;1\nSở Tư pháp;2\n".as_bytes(),
    );
    assert!(
        e.contains(":3:") && e.contains("duplicate value") && e.contains("line 2"),
        "{e}"
    );
    let e = err("v.csv", b"unit;ty_le_so_hoa_ho_so\nS\xe1;1\n");
    assert!(e.contains(":2:1: unit: file is not UTF-8"), "{e}");
    assert!(err("v.pdf", b"x").contains("unsupported values file type \".pdf\""));
}

#[test]
fn registry_and_targets_errors() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("r.csv");
    for (text, want) in [
        ("id,name\na,B\n", "missing column \"kind\""),
        (
            "id,name,kind\na,B,sở\na,C,sở\n",
            ":3:1: id: duplicate unit id \"a\"",
        ),
        (
            "id,name,kind,parent\na,B,xã,huyen-x\n",
            ":2:8: parent: unknown parent \"huyen-x\"",
        ),
    ] {
        std::fs::write(&reg, text).unwrap();
        let e = congvan::input::registry::Registry::load(&Source::Disk, &reg)
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{e} / {want}");
    }
    let e = with_values(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tư pháp;1\n".as_bytes(),
        Some("[targets.ty_le_so_hoa]\ndefault = 80\n"),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("targets.toml:1:10: targets.ty_le_so_hoa: unknown indicator"),
        "{e}"
    );
    let e = with_values(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tư pháp;1\n".as_bytes(),
        Some("[targets.ty_le_so_hoa_ho_so]\nunit = { so-tu-phap = 180 }\n"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("outside 0–100%"), "{e}");
    let e = with_values(
        "v.csv",
        "unit;ty_le_so_hoa_ho_so\nSở Tư pháp;1\n".as_bytes(),
        Some("[options]\nsort = \"random\"\n"),
    )
    .unwrap_err();
    assert!(e.to_string().contains("invalid targets file"), "{e}");
}

#[test]
fn targets_override_unit_kind_bloc_default_and_lower_is_better() {
    let t = "[targets.ty_le_so_hoa_ho_so]\ndefault = 10\nbloc = { \"Khối địa phương\" = 20 }\nkind = { \"xã\" = 30 }\nunit = { xa-dong-son = 40 }\n[targets.ty_le_qua_han]\ndefault = 5\n";
    let f = with_values("v.csv", "unit;parent;ty_le_so_hoa_ho_so;ty_le_qua_han\nSở Tư pháp;;0;6\nLê Chân;;0;5\nKiền Bái;huyện Thủy Nguyên;0;1\nĐông Sơn;huyện Thủy Nguyên;0;0\n".as_bytes(), Some(t)).unwrap();
    let targets: Vec<f64> = f
        .indicator("ty_le_so_hoa_ho_so")
        .unwrap()
        .entries
        .iter()
        .map(|e| e.target.unwrap())
        .collect();
    assert_eq!(targets, [10.0, 20.0, 40.0, 30.0]);
    let lagging: Vec<&str> = f
        .indicator("ty_le_qua_han")
        .unwrap()
        .entries
        .iter()
        .filter(|e| e.lagging)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(lagging, ["so-tu-phap"]);
    let json = congvan::commands::lagging::render_json(&f);
    assert!(
        json.contains("\"unit_id\": \"so-tu-phap\"") && json.contains("\"gap\": 1.0"),
        "{json}"
    );
    assert!(congvan::commands::lagging::render_table(&f).contains("Sở Tư pháp"));
}

/// The lagging units the template context lists are exactly those of the full standings,
/// in the same order, on every indicator.
#[test]
fn lagging_unit_standings_are_the_lagging_units_of_the_standings() {
    let f = hai_phong();
    let mut total = 0;
    for ind in &f.indicators {
        let expected: Vec<_> = f
            .standings(ind)
            .into_iter()
            .filter(|s| s.lagging && !s.aggregate)
            .collect();
        total += expected.len();
        assert_eq!(f.lagging_unit_standings(ind), expected, "{}", ind.key);
    }
    assert!(total > 0, "the sample has lagging units");
}

#[test]
fn context_keys() {
    let ctx = congvan::template::data::context(&hai_phong());
    assert_eq!(
        ctx["lagging"]["ty_le_ho_so_truc_tuyen"]["blocs"]["Khối sở, ngành"][0]["name"],
        "Sở Tài chính"
    );
    assert_eq!(ctx["indicators"]["ty_le_so_hoa_ho_so"]["id"], "4.2");
    assert!(ctx["units"].as_array().unwrap().len() > 100);
}

/// The registry looks each distinct kind and bloc spelling up once (a memo per load): rows
/// repeating a spelling, in another case or form, still get their own kind and bloc, and an
/// unknown kind repeated is reported on every row.
#[test]
fn repeated_kind_and_bloc_spellings_resolve_on_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry.csv");
    std::fs::write(
        &reg,
        "id,name,kind,bloc\na,An Hòa,xã,\nb,Lê Chân,quận,\nc,Bình Minh,XA,\nd,Tư pháp,sở,so-nganh\ne,Tài chính,sở,so-nganh\nf,Cát Bi,xa,so-nganh\n",
    )
    .unwrap();
    let r = congvan::input::registry::Registry::load(&Source::Disk, &reg).unwrap();
    let kinds: Vec<&str> = r.units.iter().map(|u| u.kind.as_str()).collect();
    assert_eq!(kinds, ["xã", "quận", "xã", "sở", "sở", "xã"]);
    let blocs: Vec<&str> = r.units.iter().map(|u| u.bloc.as_str()).collect();
    assert_eq!(blocs[0], blocs[2], "same kind, same default bloc");
    assert_eq!(blocs[3], blocs[4]);
    assert_eq!(blocs[0], blocs[1]);
    assert_ne!(blocs[0], blocs[3]);
    assert_eq!(blocs[5], blocs[3], "a bloc code given on the row wins");

    std::fs::write(&reg, "id,name,kind\na,B,soo\nb,C,soo\n").unwrap();
    let e = congvan::input::registry::Registry::load_all(&Source::Disk, &reg).unwrap_err();
    let messages: Vec<String> = e.0.iter().map(|e| e.to_string()).collect();
    let unknown = messages
        .iter()
        .filter(|m| m.contains("unknown unit kind \"soo\""))
        .count();
    assert_eq!(unknown, 2, "{messages:?}");
}
