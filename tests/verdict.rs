//! What is printed agrees with the verdict, through the binary: a unit listed below target never
//! prints its target (89,996% against 90% prints "90,00%" and is not listed), in both
//! directions (higher and lower is better) and at fewer decimals.

use crate::harness::Run;

const SPEC: &str = "template = \"body.md.tera\"\nrecipients = [\"Các sở\"]\n\n[issuer]\nname = \"Văn phòng\"\nplace = \"Hà Nội\"\n\n[document]\nkind = \"cong-van\"\nsymbol = \"VP\"\ndate = 2024-08-05\nsubject = \"dịch vụ công trực tuyến\"\n\n[signer]\nname = \"Nguyễn Văn A\"\n\n[data]\nregistry = \"registry.csv\"\nvalues = \"values.csv\"\ntargets = \"targets.toml\"\n";

const REGISTRY: &str =
    "id,code,name,kind,parent,bloc,order\nso-a,,Sở A,so,,,\nso-b,,Sở B,so,,,\nso-c,,Sở C,so,,,\n";

const TARGETS: &str =
    "[targets.ty_le_ho_so_truc_tuyen]\ndefault = 90\n[targets.ty_le_qua_han]\ndefault = 5\n";

/// Sở A sits just at the target as printed, Sở B just below (or above, lower is better),
/// Sở C well clear of it.
const VALUES: &str = "unit;ty_le_ho_so_truc_tuyen;ty_le_qua_han\nSở A;89,996;5,004\nSở B;89,994;5,006\nSở C;89,96;5,4\n";

const BODY: &str = "A: {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", whole=\"keep\") }}.\n\nB: {{ lagging_list(indicator=\"ty_le_qua_han\", whole=\"keep\") }}.\n\nC: {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", precision=0) }}.\n\nD: {{ lagging_list(indicator=\"ty_le_qua_han\", precision=0) }}.\n";

fn case() -> Run {
    let r = Run::new();
    r.write("spec.toml", SPEC)
        .write("registry.csv", REGISTRY)
        .write("targets.toml", TARGETS)
        .write("values.csv", VALUES)
        .write("body.md.tera", BODY);
    r
}

#[test]
fn trust_printed_value_agrees_with_verdict_at_the_rounding_boundary() {
    let r = case().args(["draft", "spec.toml", "--out", "out", "--format", "md"]);
    let o = r.run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let md = std::fs::read_to_string(r.path("out/spec.md")).unwrap_or_default();
    // Higher is better: 89,996 prints 90,00 = the target, so not below it.
    assert!(md.contains("A: Sở B 89,99%, Sở C 89,96%."), "{md}");
    // Lower is better: 5,004 prints 5,00 = the ceiling, within it.
    assert!(md.contains("B: Sở B 5,01%, Sở C 5,40%."), "{md}");
    // No decimals: listed units never print the target (89,96 would round to 90).
    assert!(md.contains("C: Sở B 89%, Sở C 89%."), "{md}");
    assert!(md.contains("D: Sở B 6%, Sở C 6%."), "{md}");
    assert!(!md.contains("90%") && !md.contains("90,00%"), "{md}");
}

#[test]
fn trust_lagging_json_agrees_with_the_letter_at_the_rounding_boundary() {
    let o = case().args(["lagging", "spec.toml", "--json"]).run();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
    let ids: Vec<String> = rows
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            format!(
                "{}:{}",
                r["indicator"].as_str().unwrap_or(""),
                r["unit_id"].as_str().unwrap_or("")
            )
        })
        .collect();
    // Catalogue order of indicators, then registry order.
    assert_eq!(
        ids,
        [
            "ty_le_qua_han:so-b",
            "ty_le_qua_han:so-c",
            "ty_le_ho_so_truc_tuyen:so-b",
            "ty_le_ho_so_truc_tuyen:so-c",
        ]
    );
}
