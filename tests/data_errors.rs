//! Bad data files, one test per case under `tests/cases/errors/data-*/`: each runs
//! `congvan draft spec.toml --out out` and expects exit code 1, the problem and its place
//! (file:line:column and the column name; XLSX `Sheet!Cell`), a hint, and no file written.
//! Every case is the tiny letter of `data-nfd-and-extra-columns` with one thing broken.

use unicode_normalization::UnicodeNormalization;

use crate::errors::{case_dir, fails, says};
use crate::harness::Run;

// ---------------------------------------------------------------- values: encoding

#[test]
fn values_in_windows_1258() {
    let out = fails("data-values-not-utf8-cp1258", 1);
    says(
        &out,
        &[
            "file is not UTF-8; it looks like Windows-1258",
            "values.csv:1:5",
            "STT;Đơn vị;Chỉ số;Giá trị;Ghi chú",
            "iconv -f CP1258 -t UTF-8",
        ],
    );
}

#[test]
fn values_in_tcvn3() {
    let out = fails("data-values-not-utf8-tcvn3", 1);
    says(
        &out,
        &[
            "error: Đơn vị: file is not UTF-8; it looks like TCVN3 (ABC)",
            "values.csv:6:3",
            "5;Sở Thông tin và Truyền thông;ty_le_ho_so_truc_tuyen;98,52%;",
            "source: TCVN3 (ABC), target: Unicode",
        ],
    );
}

#[test]
fn values_in_vni() {
    let out = fails("data-values-not-utf8-vni", 1);
    says(
        &out,
        &[
            "error: Đơn vị: file is not UTF-8; it looks like VNI-Windows",
            "values.csv:6:3",
            "Sở Thông tin và Truyền thông",
            "source: VNI-Windows, target: Unicode",
        ],
    );
}

/// Excel's "Unicode Text" saves UTF-16 with a BOM: named as such, with a way to UTF-8, never
/// taken for a legacy Vietnamese encoding (converting from TCVN3 would garble every letter).
#[test]
fn values_in_utf16() {
    let out = fails("data-values-utf16", 1);
    says(
        &out,
        &[
            "file is not UTF-8; it looks like UTF-16",
            "values.csv:1:1",
            "iconv -f UTF-16 -t UTF-8",
        ],
    );
    for legacy in ["TCVN3", "VNI", "1258"] {
        assert!(!out.stderr.contains(legacy), "{legacy}: {}", out.stderr);
    }
}

// ---------------------------------------------------------------- values: shape

#[test]
fn values_unquoted_decimal_comma_in_a_comma_separated_file() {
    // "95,10%" unquoted splits into 95 and 10%: the row is refused, not read as 95.
    let out = fails("data-values-unquoted-decimal-comma", 1);
    says(
        &out,
        &[
            "this row has 6 cells, but the header has 5",
            "values.csv:3:46",
            "2,Sở Tài chính,ty_le_ho_so_truc_tuyen,95,10%,",
            "a cell holding a comma must be in quotes (\"37,39%\"",
        ],
    );
}

#[test]
fn values_fraction_beside_percentages() {
    // "0,951" among "89,22%" cells would print "Sở Tài chính 0,95%" as lagging.
    let out = fails("data-values-fraction-beside-percent", 1);
    says(
        &out,
        &[
            "value \"0,951\" (line 3) has no '%' and lies between 0 and 1, while \"89,22%\" (line 2) is written in percent",
            "the fraction 95,10% or the rate 0,95%",
            "values.csv:3:39",
            "help: write every rate of the column in percent with its sign",
        ],
    );
}

#[test]
fn values_row_missing_a_cell() {
    let out = fails("data-values-missing-cell", 1);
    says(
        &out,
        &[
            "error: Ghi chú: this row has 4 cells, but the header names 5 columns",
            "values.csv:5:19",
            "4;Đông Sơn;41,50%;",
            "help: write every cell of the row",
        ],
    );
}

#[test]
fn values_empty_file() {
    let out = fails("data-values-empty", 1);
    says(
        &out,
        &[
            "the file is empty; expected a header row",
            "values.csv:1",
            "help: the first row names the columns",
        ],
    );
}

#[test]
fn values_header_only() {
    let out = fails("data-values-header-only", 1);
    says(
        &out,
        &[
            "no data rows: the file has a header but no values",
            "values.csv:1:1",
            "help: add one row per unit under the header",
        ],
    );
}

#[test]
fn values_missing_column() {
    let out = fails("data-values-missing-column", 1);
    says(
        &out,
        &[
            "error: value: missing column \"value\"",
            "values.csv:1:1",
            "Đơn vị;Chỉ số;Ghi chú",
            "help: a long table needs a value column",
        ],
    );
}

#[test]
fn values_unknown_indicator_column_is_an_error_other_extra_columns_are_not() {
    // "STT", "Người lập", "Ghi chú" are ignored; "ty_le_so_hoa" looks like an indicator key.
    let out = fails("data-values-unknown-indicator-column", 1);
    says(
        &out,
        &[
            "error: ty_le_so_hoa: unknown column \"ty_le_so_hoa\": not an indicator",
            "values.csv:1:35",
            "closest: ty_le_so_hoa_ho_so",
        ],
    );
    assert!(!out.stderr.contains("Người lập\""), "{}", out.stderr);
}

#[test]
fn values_duplicate_unit() {
    let out = fails("data-values-duplicate-unit", 1);
    says(
        &out,
        &[
            "error: Giá trị: duplicate value for unit \"Sở Tư pháp\", indicator \"ty_le_ho_so_truc_tuyen\"",
            "values.csv:6:37",
            "5;SỞ TƯ PHÁP;ty_le_ho_so_truc_tuyen;70,00%;",
            "the first value is on line 2",
        ],
    );
}

#[test]
fn values_unknown_unit_lists_the_closest_registry_names() {
    let out = fails("data-values-unknown-unit", 1);
    says(
        &out,
        &[
            "error: Đơn vị: unknown unit \"Sở Tư phap\"",
            "values.csv:6:3",
            "closest registry names: Sở Tư pháp, ",
        ],
    );
}

// ---------------------------------------------------------------- values: numbers

#[test]
fn values_not_a_number() {
    let out = fails("data-values-not-a-number", 1);
    says(
        &out,
        &[
            "error: Giá trị: value \"chưa có\" is not a number",
            "values.csv:6:35",
            "leave the cell empty when there is no data",
        ],
    );
}

#[test]
fn values_negative() {
    let out = fails("data-values-negative", 1);
    says(
        &out,
        &[
            "error: Giá trị: value -12,50 is negative",
            "values.csv:6:35",
            "help: indicator values are rates in percent (0–100) or counts, never below 0",
        ],
    );
}

#[test]
fn values_rate_above_100() {
    let out = fails("data-values-rate-above-100", 1);
    says(
        &out,
        &[
            "error: Giá trị: rate 112,40 is above 100%",
            "values.csv:6:35",
            "write rates in percent",
        ],
    );
}

#[test]
fn values_nan_and_inf() {
    for (case, text) in [("data-values-nan", "NaN"), ("data-values-inf", "inf")] {
        let out = fails(case, 1);
        says(
            &out,
            &[
                &format!("error: Giá trị: value \"{text}\" is not a finite number"),
                "values.csv:6:35",
                "division by 0, #DIV/0!",
            ],
        );
    }
}

#[test]
fn values_numerator_above_denominator() {
    let out = fails("data-values-numerator-above-denominator", 1);
    says(
        &out,
        &[
            "error: Mẫu số: numerator 150 is larger than denominator 120",
            "values.csv:3:55",
            "check the two columns are not swapped",
        ],
    );
}

#[test]
fn values_denominator_zero() {
    let out = fails("data-values-denominator-zero", 1);
    says(
        &out,
        &[
            "error: Mẫu số: denominator is 0, so \"ty_le_ho_so_truc_tuyen\" has no value (0/0)",
            "values.csv:3:53",
            "leave numerator and denominator empty",
        ],
    );
}

// ---------------------------------------------------------------- values: XLSX and JSON

#[test]
fn xlsx_bad_cell_names_sheet_cell_and_column() {
    let out = fails("data-values-xlsx-bad-cell", 1);
    says(
        &out,
        &[
            "error: Tổng hợp!C4 (ty_le_ho_so_truc_tuyen): value \"#DIV/0!\" is not a finite number",
            "values.xlsx",
            "help: the cell holds the result of a failed formula",
        ],
    );
}

#[test]
fn json_syntax_error_line_and_column() {
    let out = fails("data-values-json-syntax", 1);
    says(
        &out,
        &[
            "error: invalid JSON: key must be a string",
            "values.json:3:79",
            "\"value\": 95,10}",
            "JSON numbers take a decimal point (95.10)",
        ],
    );
}

// ---------------------------------------------------------------- registry

#[test]
fn registry_missing_parent() {
    let out = fails("data-registry-missing-parent", 1);
    says(
        &out,
        &[
            "error: parent: unknown parent \"huyen-thuy-ngyuen\"",
            "registry.csv:7:26",
            "xa-kien-bai,,Kiền Bái,xã,huyen-thuy-ngyuen,Khối địa phương,",
            "closest ids: huyen-thuy-nguyen",
        ],
    );
}

#[test]
fn registry_cycle_in_parents() {
    let out = fails("data-registry-cycle", 1);
    says(
        &out,
        &[
            "error: parent: parents go round in a cycle: huyen-thuy-nguyen → xa-dong-son → huyen-thuy-nguyen",
            "registry.csv:5:38",
            "help: a unit cannot be (indirectly) its own parent",
        ],
    );
}

#[test]
fn registry_duplicate_id() {
    let out = fails("data-registry-duplicate-id", 1);
    says(
        &out,
        &[
            "error: id: duplicate unit id \"so-tu-phap\"",
            "registry.csv:8:1",
            "so-tu-phap,,Sở Tư pháp (cũ),sở,,\"Khối sở, ngành\",",
            "already used on line 2",
        ],
    );
}

// ---------------------------------------------------------------- targets

#[test]
fn targets_unknown_indicator() {
    let out = fails("data-targets-unknown-indicator", 1);
    says(
        &out,
        &[
            "error: targets.ty_le_so_hoa: unknown indicator \"ty_le_so_hoa\"",
            "targets.toml:6:10",
            "closest: ty_le_so_hoa_ho_so",
        ],
    );
}

#[test]
fn targets_out_of_range() {
    let out = fails("data-targets-out-of-range", 1);
    says(
        &out,
        &[
            "error: targets.ty_le_ho_so_truc_tuyen.kind.\"quận\": target 800 is outside 0–100%",
            "targets.toml:4:19",
            "kind = { \"quận\" = 800 }",
            "write rate targets in percent",
        ],
    );
}

#[test]
fn targets_unknown_key_suggests_the_closest() {
    let out = fails("data-targets-unknown-key", 1);
    says(
        &out,
        &[
            "unknown field `defualt`",
            "targets.toml:2:1",
            "did you mean `default`?",
        ],
    );
}

// ---------------------------------------------------------------- what must work

#[test]
fn nfd_data_and_registry_work_and_extra_columns_are_ignored() {
    let case = case_dir("data-nfd-and-extra-columns");
    let run = Run::in_copy_of(&case).args(["draft", "spec.toml", "--out", "out"]);
    for file in ["values.csv", "registry.csv"] {
        let text = std::fs::read_to_string(run.path(file)).unwrap_or_default();
        assert!(
            text.contains("O\u{31b}") || text.contains("o\u{31b}"),
            "{file} is NFD"
        );
    }
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("out/cong-van.md")).unwrap_or_default();
    assert!(
        md.contains(
            "**Sở Tư pháp 89,22%, quận Lê Chân 64,98%; xã Đông Sơn, huyện Thủy Nguyên 41,50%**"
        ),
        "{md}"
    );
    assert_eq!(md.nfc().collect::<String>(), md, "the .md is NFC");
}
