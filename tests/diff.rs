//! `congvan diff`: two Hải Phòng months compared by hand, spec-vs-spec mode, the JSON shape,
//! units in one month only, commune-level aggregates, and located errors.
//!
//! Expected values come from reading data/hai-phong-2024/2024-06.csv (long, by id) and
//! 2024-07.csv (wide, registry order) against targets.toml: online dossiers sở/ban 90,
//! quận/huyện 80, xã/phường/thị trấn 60 (communes computed from tử số / mẫu số); digitisation 80.

use crate::harness::congvan;
use std::path::{Path, PathBuf};

use congvan::commands::diff::{self, DiffReport, DiffRow, IndicatorDiff};
use congvan::text::numbers::{decimal, Whole};

const JUNE: &str = "data/hai-phong-2024/2024-06.csv";
const JULY: &str = "data/hai-phong-2024/2024-07.csv";

fn report(old: &Path, new: &Path, spec: Option<&Path>) -> DiffReport {
    let (o, n) = diff::load(old, new, spec)
        .unwrap_or_else(|e| panic!("{}", congvan::diag::render(&e, false)));
    diff::diff(&o, &n)
}

fn hai_phong() -> DiffReport {
    report(Path::new(JUNE), Path::new(JULY), None)
}

fn indicator<'a>(r: &'a DiffReport, key: &str) -> &'a IndicatorDiff {
    r.indicators
        .iter()
        .find(|i| i.key == key)
        .unwrap_or_else(|| panic!("no indicator {key}"))
}

fn ids(rows: &[DiffRow]) -> Vec<&str> {
    rows.iter().map(|r| r.standing.id.as_str()).collect()
}

fn row<'a>(rows: &'a [DiffRow], id: &str) -> &'a DiffRow {
    rows.iter()
        .find(|r| r.standing.id == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn hai_phong_online_dossiers_june_to_july() {
    let r = hai_phong();
    let ind = indicator(&r, "ty_le_ho_so_truc_tuyen");
    // June ≥ target, July below: e.g. Sở Tư pháp 91,62 → 89,22 (90); xã Tân Hưng 62,28 →
    // 52/93 = 55,91 (60).
    assert_eq!(
        ids(&ind.newly_lagging),
        [
            "so-tai-nguyen-va-moi-truong",
            "so-tu-phap",
            "quan-hong-bang",
            "xa-doan-xa-kien-thuy",
            "xa-dai-dong-kien-thuy",
            "xa-an-son-thuy-nguyen",
            "xa-tan-hung-vinh-bao",
            "xa-vinh-tien-vinh-bao",
        ]
    );
    let names: Vec<&str> = ind
        .newly_lagging
        .iter()
        .map(|r| r.standing.full_name.as_str())
        .collect();
    assert_eq!(
        &names[..4],
        [
            "Sở Tài nguyên và Môi trường",
            "Sở Tư pháp",
            "quận Hồng Bàng",
            "xã Đoàn Xá"
        ]
    );
    // June below, July at or above: Sở GD&ĐT 89,15 → 90,88; xã Quốc Tuấn (An Lão) 59,80 →
    // 28/46 = 60,87.
    assert_eq!(
        ids(&ind.recovered),
        [
            "so-giao-duc-va-dao-tao",
            "huyen-bach-long-vi",
            "xa-quoc-tuan-an-lao",
            "xa-thuy-huong-kien-thuy",
            "phuong-hung-dao-duong-kinh",
            "phuong-phu-lien-kien-an",
            "phuong-du-hang-le-chan",
        ]
    );
    assert_eq!(ind.still_lagging.len(), 87);
    assert_eq!(
        ids(&ind.still_lagging[..3]),
        ["so-tai-chinh", "quan-le-chan", "quan-ngo-quyen"]
    );
    // Still lagging, down: Sở Tài chính 66,90 → 65,52; up: quận Ngô Quyền 48,06 → 51,67.
    let tc = row(&ind.still_lagging, "so-tai-chinh");
    assert_eq!(
        (tc.old, tc.new, tc.standing.target),
        (Some(66.9), Some(65.52), Some(90.0))
    );
    assert_eq!(
        diff::change_words(tc.change.unwrap_or_default(), "%"),
        "giảm 1,38 điểm"
    );
    let nq = row(&ind.still_lagging, "quan-ngo-quyen");
    assert_eq!(
        diff::change_words(nq.change.unwrap_or_default(), "%"),
        "tăng 3,61 điểm"
    );
    // The commune level has counts in July only (June gives rates): aggregates are new.
    assert!(ind.only_in_old.is_empty());
    assert_eq!(ind.only_in_new.len(), 14);
    let an_lao = row(&ind.only_in_new, "huyen-an-lao/cap-xa");
    assert_eq!(an_lao.standing.full_name, "cấp xã thuộc huyện An Lão");
    assert_eq!(an_lao.old, None);
    let new = an_lao.new.unwrap_or_default();
    assert_eq!(decimal(new, 2, Whole::Keep), "54,75", "the seed's figure");
    assert!(an_lao.standing.lagging);
    assert_eq!(
        row(&ind.only_in_new, "quan-do-son/cap-phuong")
            .standing
            .full_name,
        "cấp phường thuộc quận Đồ Sơn"
    );
}

#[test]
fn hai_phong_digitisation_and_indicators_of_one_month() {
    let r = hai_phong();
    // Catalogue order; payment and on-time have July data only.
    let keys: Vec<&str> = r.indicators.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "ty_le_dung_han",
            "ty_le_ho_so_truc_tuyen",
            "ty_le_thanh_toan_truc_tuyen",
            "ty_le_so_hoa_ho_so"
        ]
    );
    let dung_han = indicator(&r, "ty_le_dung_han");
    assert_eq!(dung_han.only_in_new.len(), 185);
    assert!(dung_han.newly_lagging.is_empty() && dung_han.only_in_old.is_empty());

    let so_hoa = indicator(&r, "ty_le_so_hoa_ho_so");
    assert!(so_hoa.newly_lagging.is_empty());
    // Trân Châu 78,00 → 81,06, Quang Phục 78,17 → 80,76, Việt Tiến 79,17 → 82,58.
    assert_eq!(
        ids(&so_hoa.recovered),
        [
            "xa-tran-chau-cat-hai",
            "xa-quang-phuc-tien-lang",
            "xa-viet-tien-vinh-bao"
        ]
    );
    assert_eq!(so_hoa.still_lagging.len(), 20);
    let cong_thuong = row(&so_hoa.still_lagging, "so-cong-thuong");
    assert_eq!(
        diff::change_words(cong_thuong.change.unwrap_or_default(), "%"),
        "tăng 2,14 điểm"
    );
    let vinh_bao = row(&so_hoa.still_lagging, "huyen-vinh-bao");
    assert_eq!(
        diff::change_words(vinh_bao.change.unwrap_or_default(), "%"),
        "giảm 3,47 điểm"
    );
    // No counts for digitisation in either month: no aggregates at all.
    assert!(so_hoa.only_in_new.is_empty() && so_hoa.only_in_old.is_empty());
}

#[test]
fn text_report_has_headings_sections_and_aligned_columns() {
    let text = diff::render_text(&hai_phong(), "2024-06.csv", "2024-07.csv");
    assert!(text.starts_with("2024-06.csv → 2024-07.csv\n"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes");
    let so_hoa = &text[text
        .find("ty_le_so_hoa_ho_so — ")
        .unwrap_or_else(|| panic!("{text}"))..];
    let expected = "\
ty_le_so_hoa_ho_so — Tỷ lệ hồ sơ TTHC thực hiện số hóa hồ sơ
  newly lagging: none
  recovered: 3
    unit                                 bloc               old    new  target  change
    xã Trân Châu, huyện Cát Hải          Khối địa phương  78,00  81,06   80,00  tăng 3,06 điểm
    xã Quang Phục, huyện Tiên Lãng       Khối địa phương  78,17  80,76   80,00  tăng 2,59 điểm
    xã Việt Tiến, huyện Vĩnh Bảo         Khối địa phương  79,17  82,58   80,00  tăng 3,41 điểm
  still lagging: 20
    Sở Công Thương                       Khối sở, ngành   26,68  28,82   80,00  tăng 2,14 điểm
    Sở Lao động - Thương binh và Xã hội  Khối sở, ngành   70,24  71,09   80,00  tăng 0,85 điểm
";
    assert!(so_hoa.starts_with(expected), "{so_hoa}");
    assert!(text.contains(
        "ty_le_dung_han — Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn\n  data in 2024-07.csv only (185 units, 0 lagging); nothing to compare\n"
    ));
    assert!(text.contains("  only in 2024-07.csv: 14\n"));
    let an_lao = text
        .lines()
        .find(|l| l.contains("cấp xã thuộc huyện An Lão"))
        .unwrap_or_default();
    assert!(
        an_lao.contains("—  54,75   60,00  chưa đạt chỉ tiêu"),
        "{an_lao}"
    );
}

#[test]
fn json_shape_is_stable() {
    let json = diff::render_json(&hai_phong()).unwrap_or_else(|e| panic!("{e}"));
    assert!(json.ends_with("}\n"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    let top: Vec<&String> = v
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(top, ["indicators"]);
    let first = &v["indicators"][1];
    let keys: Vec<&String> = first
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 7, "{keys:?}");
    // Keys in this order in the text (serde_json::Value sorts them, so look at the text).
    let order = [
        "\"key\"",
        "\"name\"",
        "\"newly_lagging\"",
        "\"recovered\"",
        "\"still_lagging\"",
        "\"only_in_old\"",
        "\"only_in_new\"",
        "\"unit_id\"",
        "\"parent\"",
        "\"bloc\"",
        "\"old\"",
        "\"new\"",
        "\"target\"",
        "\"change\"",
    ];
    let second = &json[json
        .find("\"key\": \"ty_le_ho_so_truc_tuyen\"")
        .unwrap_or_else(|| panic!("{json}"))..];
    let mut at = 0;
    for k in order {
        let p = second[at..]
            .find(k)
            .unwrap_or_else(|| panic!("{k} after byte {at}"));
        at += p + k.len();
    }
    assert_eq!(first["key"], "ty_le_ho_so_truc_tuyen");
    let tu_phap = &first["newly_lagging"][1];
    assert_eq!(
        tu_phap,
        &serde_json::json!({
            "unit_id": "so-tu-phap", "name": "Sở Tư pháp", "parent": null,
            "bloc": "Khối sở, ngành", "old": 91.62, "new": 89.22, "target": 90.0, "change": -2.4
        })
    );
    assert_eq!(
        first["only_in_new"][0]["parent"], "quan-le-chan",
        "aggregates name their parent"
    );
    // Same bytes on a second run.
    assert_eq!(
        diff::render_json(&hai_phong()).unwrap_or_default(),
        json,
        "stable"
    );
}

fn spec_text(values: &Path, targets: &Path) -> String {
    let r = root();
    format!(
        "template = \"{t}\"\n[issuer]\nname = \"Văn phòng\"\nplace = \"Hải Phòng\"\n\
         [document]\nkind = \"cong-van\"\nsymbol = \"VP-KSTTHC\"\nsubject = \"thử\"\n\
         [signer]\nname = \"Trần Huy Kiên\"\n[data]\nregistry = \"{reg}\"\nvalues = \"{v}\"\n\
         targets = \"{tg}\"\n",
        t = r.join("templates/cong-van-dvc.md.tera").display(),
        reg = r.join("data/hai-phong-2024/registry.csv").display(),
        v = values.display(),
        tg = targets.display(),
    )
}

#[test]
fn two_specs_compare_their_values_each_with_its_own_targets() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let r = root();
    let targets = r.join("data/hai-phong-2024/targets.toml");
    let old = dir.path().join("thang-6.toml");
    let new = dir.path().join("thang-7.toml");
    std::fs::write(&old, spec_text(&r.join(JUNE), &targets)).unwrap_or_default();
    std::fs::write(&new, spec_text(&r.join(JULY), &targets)).unwrap_or_default();
    assert_eq!(report(&old, &new, None), hai_phong());

    // July's spec raises Sở Xây dựng's digitisation target to 85: 82,76 → 82,92 now lags.
    let text = std::fs::read_to_string(&targets).unwrap_or_default();
    let raised = text.replace(
        "[targets.ty_le_so_hoa_ho_so]\ndefault = 80",
        "[targets.ty_le_so_hoa_ho_so]\ndefault = 80\nunit = { so-xay-dung = 85 }",
    );
    assert_ne!(raised, text);
    let raised_path = dir.path().join("targets-7.toml");
    std::fs::write(&raised_path, raised).unwrap_or_default();
    std::fs::write(&new, spec_text(&r.join(JULY), &raised_path)).unwrap_or_default();
    let rep = report(&old, &new, None);
    let so_hoa = indicator(&rep, "ty_le_so_hoa_ho_so");
    assert_eq!(ids(&so_hoa.newly_lagging), ["so-xay-dung"]);
    assert_eq!(so_hoa.newly_lagging[0].standing.target, Some(85.0));

    let out = congvan(
        dir.path(),
        &["diff", "thang-6.toml", "thang-7.toml", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(
        v["indicators"][3]["newly_lagging"][0]["unit_id"],
        "so-xay-dung"
    );
}

#[test]
fn units_in_one_month_and_aggregates_compared() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = dir.path().join("old.csv");
    let new = dir.path().join("new.csv");
    // Targets of the sample: sở 90, xã 60. An Lão's commune level: 110/200 = 55% → 130/200 = 65%.
    std::fs::write(
        &old,
        "unit_id,indicator,numerator,denominator\n\
         so-noi-vu,ty_le_ho_so_truc_tuyen,95,100\n\
         so-tai-chinh,ty_le_ho_so_truc_tuyen,50,100\n\
         xa-an-tien-an-lao,ty_le_ho_so_truc_tuyen,50,100\n\
         xa-bat-trang-an-lao,ty_le_ho_so_truc_tuyen,60,100\n",
    )
    .unwrap_or_default();
    std::fs::write(
        &new,
        "unit_id,indicator,numerator,denominator\n\
         so-tai-chinh,ty_le_ho_so_truc_tuyen,50,100\n\
         so-tu-phap,ty_le_ho_so_truc_tuyen,80,100\n\
         xa-an-tien-an-lao,ty_le_ho_so_truc_tuyen,70,100\n\
         xa-bat-trang-an-lao,ty_le_ho_so_truc_tuyen,60,100\n",
    )
    .unwrap_or_default();
    let r = report(&old, &new, None);
    assert_eq!(r.indicators.len(), 1);
    let ind = &r.indicators[0];
    assert!(ind.newly_lagging.is_empty());
    assert_eq!(
        ids(&ind.recovered),
        ["xa-an-tien-an-lao", "huyen-an-lao/cap-xa"]
    );
    let agg = row(&ind.recovered, "huyen-an-lao/cap-xa");
    assert_eq!(agg.standing.full_name, "cấp xã thuộc huyện An Lão");
    assert_eq!(
        (agg.old, agg.new, agg.change),
        (Some(55.0), Some(65.0), Some(10.0))
    );
    assert_eq!(ids(&ind.still_lagging), ["so-tai-chinh"]);
    assert_eq!(
        diff::change_words(ind.still_lagging[0].change.unwrap_or(1.0), "%"),
        "không đổi"
    );
    assert_eq!(ids(&ind.only_in_old), ["so-noi-vu"]);
    assert_eq!(ids(&ind.only_in_new), ["so-tu-phap"]);
    assert_eq!(
        (ind.only_in_new[0].old, ind.only_in_new[0].new),
        (None, Some(80.0))
    );

    let out = congvan(dir.path(), &["diff", "old.csv", "new.csv"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("  newly lagging: none\n"), "{text}");
    assert!(text.contains("  only in old.csv: 1\n"), "{text}");
    assert!(text.contains("  only in new.csv: 1\n"), "{text}");
    let tu_phap = text
        .lines()
        .find(|l| l.contains("Sở Tư pháp"))
        .unwrap_or_default();
    assert!(tu_phap.ends_with("chưa đạt chỉ tiêu"), "{tu_phap}");
    let noi_vu = text
        .lines()
        .find(|l| l.contains("Sở Nội vụ"))
        .unwrap_or_default();
    assert!(noi_vu.ends_with("90,00"), "not lagging: no mark: {noi_vu}");
}

#[test]
fn errors_are_located() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let june = root().join(JUNE);
    let june = june.to_string_lossy();

    // Missing file: exit 1, named.
    let out = congvan(dir.path(), &["diff", &june, "thang-7.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("failed to open thang-7.csv"), "{err}");

    // NEW with a unit the registry does not know: file and line.
    std::fs::write(
        dir.path().join("thang-7.csv"),
        "unit_id,indicator,value\nso-noi-vu,ty_le_so_hoa_ho_so,90\nso-khong-co,ty_le_so_hoa_ho_so,50\n",
    )
    .unwrap_or_default();
    let e = diff::load(Path::new(JUNE), &dir.path().join("thang-7.csv"), None)
        .err()
        .unwrap_or_else(|| panic!("an unknown unit is an error"));
    let shown = e.to_string();
    assert!(shown.contains("thang-7.csv:3"), "{shown}");
    assert!(shown.contains("unknown unit \"so-khong-co\""), "{shown}");
    let out = congvan(dir.path(), &["diff", &june, "thang-7.csv"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("thang-7.csv:3"), "{err}");
    assert!(out.stdout.is_empty());

    // A spec and a data file: usage error.
    let out = congvan(dir.path(), &["diff", &june, "letter.toml"]);
    assert_eq!(out.status.code(), Some(2));
    // A spec without values.
    let spec = root().join("templates/thong-bao-ket-luan.toml");
    let e = diff::load(&spec, &spec, None).err();
    assert!(
        e.is_some_and(|e| e.to_string().contains("data.values")),
        "a spec without [data] values is located"
    );
}
