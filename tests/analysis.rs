//! Lagging units from indicator data: registry, readers, name matching, analysis, helpers.

use std::path::Path;
use std::sync::Arc;

use congvan::analysis::{self, Facts};
use congvan::source::Source;

fn hai_phong() -> Facts {
    analysis::load_files(
        &Source::Disk,
        Path::new("data/hai-phong-2024/registry.csv"),
        Path::new("data/hai-phong-2024/2024-07.csv"),
        Some(Path::new("data/hai-phong-2024/targets.toml")),
    )
    .unwrap()
}

fn render(facts: Facts, template: &str) -> String {
    let mut tera = tera::Tera::default();
    congvan::template_data::register(&mut tera, Arc::new(facts));
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
    let spec = congvan::spec::LetterSpec::load(Source::Disk, Path::new("tests/fixtures/data/hai-phong-spec.toml")).unwrap();
    let facts = analysis::load(&spec).unwrap();
    let e = facts.indicator("ty_le_so_hoa_ho_so").unwrap().entries.iter().find(|e| e.id == "xa-dong-son-thuy-nguyen").unwrap();
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
        let spec = congvan::spec::LetterSpec::load(source, Path::new("templates/cong-van-hung-yen.toml")).unwrap();
        let facts = analysis::load(&spec).unwrap();
        assert_eq!(facts.units.len(), 13 + 104);
        let out = render(facts, &section3("templates/cong-van-dvc.md.tera"));
        assert_eq!(out.trim(), HUNG_YEN_SECTION_3, "{source:?}");
    }
}
