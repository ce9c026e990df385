//! Names that must match: a bloc, kind or unit written in a template filter, a targets key or a
//! registry cell either names a registry value (folded like unit names) or is an error at its
//! line with the closest real values; registries as offices export them (kind and bloc codes,
//! kind words in names) draft the same letter as the shipped sample.
//! Cases from the field in `tests/cases/names/` (copied from the team's shared cases).

use crate::harness::{repo, Outcome, Run};

fn case(name: &str) -> Run {
    Run::in_copy_of(&repo().join("tests/cases/names").join(name))
}

fn run(r: Run, args: &[&str]) -> (Run, Outcome) {
    let r = r.args(args.iter().copied());
    let o = r.run();
    (r, o)
}

/// The Markdown of `spec` drafted in `r`'s folder.
fn draft_md(r: Run, spec: Option<&str>) -> String {
    let mut args = vec!["draft"];
    args.extend(spec);
    args.extend(["--out", "out", "--format", "md"]);
    let (r, o) = run(r, &args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let md = std::fs::read_dir(r.path("out"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap_or_else(|| panic!("no .md written"));
    std::fs::read_to_string(md).unwrap_or_else(|e| panic!("{e}"))
}

fn sample_md() -> String {
    draft_md(Run::new(), None)
}

fn lines_of_section_3(md: &str) -> Vec<&str> {
    md.lines()
        .skip_while(|l| !l.starts_with("3.1."))
        .take_while(|l| !l.starts_with("4."))
        .filter(|l| !l.trim().is_empty())
        .collect()
}

#[test]
fn trust_names_that_match_nothing_template_bloc_filter_is_an_error_at_its_line() {
    for cmd in ["check", "draft"] {
        let (r, o) = run(case("bloc-typo"), &[cmd, "cong-van-dvc.toml"]);
        assert_eq!(o.code, 1, "{cmd}: {}", o.stdout);
        assert!(
            o.stderr
                .contains("bloc = \"Khối sở ngành\" matches no bloc of the registry"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("--> cong-van-dvc.md.tera:34:"),
            "{}",
            o.stderr
        );
        assert!(
            o.stderr.contains("closest: \"Khối sở, ngành\""),
            "{}",
            o.stderr
        );
        assert!(!r.path("drafts").exists(), "{cmd} wrote nothing");
    }
}

#[test]
fn trust_names_that_match_nothing_kind_and_unit_filters() {
    let r = case("kind-codes");
    let tpl = std::fs::read_to_string(r.path("cong-van-dvc.md.tera")).unwrap_or_default();
    let probe = "\n\nX: {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", kind=\"quận\") }} ; {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", kind=\"quan\", prefix=\"UBND \") }} ; {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", unit=\"Sở Tư pháp\") }} ; {{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", bloc=\"so-nganh\") }}\n";
    r.write("cong-van-dvc.md.tera", format!("{tpl}{probe}"));
    let md = draft_md(r, Some("cong-van-dvc.toml"));
    assert!(
        md.contains("X: quận Lê Chân 64,98%, quận Ngô Quyền 51,67%, quận Hồng Bàng 78,99% ; UBND quận Lê Chân 64,98%, UBND quận Ngô Quyền 51,67%, UBND quận Hồng Bàng 78,99% ; Sở Tư pháp 89,22% ; Sở Tài chính 65,52%, Sở Tài nguyên và Môi trường 87,58%, Sở Tư pháp 89,22%"),
        "{md}"
    );
    for (filter, message) in [
        (
            "kind=\"quân\"",
            "kind = \"quân\" matches no kind of the registry",
        ),
        (
            "kind=\"đặc khu\"",
            "kind = \"đặc khu\" matches no kind of the registry",
        ),
        (
            "unit=\"Sở Tư phap\"",
            "unit = \"Sở Tư phap\" matches no unit of the registry; closest: \"Sở Tư pháp\"",
        ),
        (
            "unit=\"Quốc Tuấn\"",
            "unit = \"Quốc Tuấn\" names 2 units of the registry",
        ),
    ] {
        let r = case("kind-codes");
        r.write(
            "cong-van-dvc.md.tera",
            format!(
                "{tpl}\n\n{{{{ lagging_list(indicator=\"ty_le_ho_so_truc_tuyen\", {filter}) }}}}\n"
            ),
        );
        let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
        assert_eq!(o.code, 1, "{filter}");
        assert!(o.stderr.contains(message), "{filter}: {}", o.stderr);
        assert!(
            o.stderr.contains("--> cong-van-dvc.md.tera:"),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn trust_names_that_match_nothing_target_keys_fold_like_names() {
    // "Khối Sở, Ngành", "Quận", "Huyện": folded to the registry's words, they apply.
    let md = draft_md(case("target-key-case"), Some("cong-van-dvc.toml"));
    assert_eq!(lines_of_section_3(&md), lines_of_section_3(&sample_md()));
}

#[test]
fn trust_names_that_match_nothing_target_keys_are_errors_at_their_line() {
    for (from, to, message, hint) in [
        (
            "\"Khối Sở, Ngành\"",
            "\"Khối Sở Ngành\"",
            "targets.ty_le_ho_so_truc_tuyen.bloc: bloc \"Khối Sở Ngành\" matches no bloc of the registry",
            "closest: Khối sở, ngành",
        ),
        (
            "\"Quận\" = 80",
            "\"Quân\" = 80",
            "targets.ty_le_ho_so_truc_tuyen.kind: kind \"Quân\" is no kind of the vocabulary",
            "quận",
        ),
        (
            "\"Quận\" = 80",
            "\"Quận\" = 80, \"quan\" = 70",
            "kind \"quận\" has two targets",
            "keep one",
        ),
        (
            "[targets.ty_le_so_hoa_ho_so]",
            "[targets.ty_le_so_hoa_ho_so]\nunit = { \"so-tu-phapp\" = 95 }",
            "unknown unit id \"so-tu-phapp\"",
            "so-tu-phap",
        ),
    ] {
        let r = case("target-key-case");
        let t = std::fs::read_to_string(r.path("data/targets.toml")).unwrap_or_default();
        assert!(t.contains(from), "{from}");
        r.write("data/targets.toml", t.replacen(from, to, 1));
        for cmd in ["check", "lagging"] {
            let (_, o) = run(Run::in_copy_of(r.dir()), &[cmd, "cong-van-dvc.toml"]);
            assert_eq!(o.code, 1, "{cmd} {to}: {}", o.stdout);
            assert!(o.stderr.contains(message), "{to}: {}", o.stderr);
            assert!(o.stderr.contains("--> data/targets.toml:"), "{}", o.stderr);
            assert!(o.stderr.contains(hint), "{to}: {}", o.stderr);
        }
    }
}

#[test]
fn trust_names_that_match_nothing_target_unit_key_by_name() {
    let r = case("target-key-case");
    let t = std::fs::read_to_string(r.path("data/targets.toml")).unwrap_or_default();
    r.write(
        "data/targets.toml",
        t.replacen(
            "[targets.ty_le_so_hoa_ho_so]",
            "[targets.ty_le_so_hoa_ho_so]\nunit = { \"UBND huyện Thuỷ Nguyên\" = 70 }",
            1,
        ),
    );
    let (_, o) = run(r, &["lagging", "cong-van-dvc.toml", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
    let thuy_nguyen =
        rows.as_array().into_iter().flatten().find(|r| {
            r["unit_id"] == "huyen-thuy-nguyen" && r["indicator"] == "ty_le_so_hoa_ho_so"
        });
    // 76,90% against 70: no longer lagging once the unit's own target applies.
    assert!(thuy_nguyen.is_none(), "{}", o.stdout);
}

#[test]
fn own_data_kind_codes_draft_the_same_letter_as_the_sample() {
    let md = draft_md(case("kind-codes"), Some("cong-van-dvc.toml"));
    let sample = sample_md();
    assert_eq!(lines_of_section_3(&md), lines_of_section_3(&sample));
    assert!(md.contains("UBND quận Lê Chân 64,98%"), "{md}");
    assert!(
        !md.contains("Quận Lê Chân"),
        "the kind word is written once, lower case"
    );
    assert_eq!(md, sample, "the whole letter is the same");
}

#[test]
fn own_data_unknown_kind_is_an_error_listing_the_known_kinds() {
    let r = case("kind-codes");
    let reg = std::fs::read_to_string(r.path("data/registry.csv")).unwrap_or_default();
    r.write(
        "data/registry.csv",
        reg.replacen("Sở Y tế,so,", "Sở Y tế,soo,", 1),
    );
    let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("unknown unit kind \"soo\""),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("--> data/registry.csv:11:"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("sở, ban"), "{}", o.stderr);
}

#[test]
fn own_data_a_bloc_written_as_a_kind_is_named_as_a_bloc() {
    // In the registry's kind column.
    let r = case("kind-codes");
    let reg = std::fs::read_to_string(r.path("data/registry.csv")).unwrap_or_default();
    r.write(
        "data/registry.csv",
        reg.replacen("Sở Y tế,so,", "Sở Y tế,so-nganh,", 1),
    );
    let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains(
            "help: \"so-nganh\" is the bloc \"Khối sở, ngành\", not a kind: the kind column takes sở, ban"
        ),
        "{}",
        o.stderr
    );
    // In a template's kind= filter.
    let r = case("kind-codes");
    let t = std::fs::read_to_string(r.path("cong-van-dvc.md.tera")).unwrap_or_default();
    r.write(
        "cong-van-dvc.md.tera",
        t.replacen("bloc=\"Khối sở, ngành\"", "kind=\"Khối sở, ngành\"", 1),
    );
    let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains(
            "kind = \"Khối sở, ngành\" names the bloc \"Khối sở, ngành\", not a kind: write bloc = \"Khối sở, ngành\""
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn own_data_spec_vocabulary_adds_kinds_and_bloc_codes() {
    let r = case("kind-codes");
    let reg = std::fs::read_to_string(r.path("data/registry.csv")).unwrap_or_default();
    let reg = reg
        .replacen("Sở Y tế,so,,so-nganh", "Sở Y tế,chi-cuc,,SN", 1)
        .replace(",so,,so-nganh", ",so,,SN");
    r.write("data/registry.csv", reg);
    let spec = std::fs::read_to_string(r.path("cong-van-dvc.toml")).unwrap_or_default();
    r.write(
        "cong-van-dvc.toml",
        format!("{spec}\n[vocabulary]\nblocs = [{{ label = \"Khối sở, ngành\", codes = [\"SN\"] }}]\nkinds = [{{ word = \"chi cục\", codes = [\"chi-cuc\"], level = \"agency\", local = false, bloc = \"SN\" }}]\n"),
    );
    let md = draft_md(r, Some("cong-van-dvc.toml"));
    assert!(
        md.contains("a) Khối sở, ngành: **Sở Tài chính 65,52%"),
        "{md}"
    );
}

#[test]
fn trust_names_that_match_nothing_spec_vocabulary_entry() {
    let r = case("kind-codes");
    let spec = std::fs::read_to_string(r.path("cong-van-dvc.toml")).unwrap_or_default();
    r.write(
        "cong-van-dvc.toml",
        format!(
            "{spec}\n[vocabulary]\nblocs = [{{ label = \"Khối sở ngành\", codes = [\"SN\"] }}]\n"
        ),
    );
    let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(
        o.stderr
            .contains("[vocabulary] bloc \"Khối sở ngành\" matches no bloc of the registry"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("Khối sở, ngành"), "{}", o.stderr);
}

#[test]
fn own_data_vocabulary_command_lists_kinds_codes_and_blocs() {
    let (_, o) = run(Run::new(), &["vocabulary", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
    let kinds = v["kinds"].as_array().cloned().unwrap_or_default();
    for code in [
        "so",
        "ban-nganh",
        "quan",
        "huyen",
        "thi-xa",
        "thanh-pho",
        "xa",
        "phuong",
        "thi-tran",
        "dac-khu",
    ] {
        assert!(
            kinds.iter().any(|k| k["codes"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == code))),
            "{code}"
        );
    }
    assert_eq!(v["blocs"][0]["label"], "Khối sở, ngành");
    // A spec's [vocabulary] is listed with the built-in entries.
    let r = case("kind-codes");
    let spec = std::fs::read_to_string(r.path("cong-van-dvc.toml")).unwrap_or_default();
    r.write(
        "cong-van-dvc.toml",
        format!(
            "{spec}\n[vocabulary]\nblocs = [{{ label = \"Khối sở, ngành\", codes = [\"SN\"] }}]\n"
        ),
    );
    let (_, o) = run(r, &["vocabulary", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("Khối sở, ngành   SN, so-nganh"),
        "{}",
        o.stdout
    );
}

#[test]
fn own_data_spec_vocabulary_file() {
    let r = case("kind-codes");
    let reg = std::fs::read_to_string(r.path("data/registry.csv")).unwrap_or_default();
    r.write("data/registry.csv", reg.replace(",quan,", ",Q,"));
    r.write(
        "data/vocabulary.toml",
        "[[kinds]]\nword = \"quận\"\ncodes = [\"Q\"]\nlevel = \"district\"\nlocal = true\nbloc = \"dia-phuong\"\n",
    );
    let spec = std::fs::read_to_string(r.path("cong-van-dvc.toml")).unwrap_or_default();
    r.write(
        "cong-van-dvc.toml",
        format!("{spec}\n[vocabulary]\nfile = \"data/vocabulary.toml\"\n"),
    );
    let md = draft_md(r, Some("cong-van-dvc.toml"));
    assert_eq!(lines_of_section_3(&md), lines_of_section_3(&sample_md()));
    // Without the file, "Q" is no kind.
    let r = case("kind-codes");
    let reg = std::fs::read_to_string(r.path("data/registry.csv")).unwrap_or_default();
    r.write("data/registry.csv", reg.replace(",quan,", ",Q,"));
    let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("unknown unit kind \"Q\""), "{}", o.stderr);
}

#[test]
fn own_data_spec_vocabulary_adds_column_names() {
    // An export whose unit column is headed "Tên cơ quan, địa phương" (no built-in name), with
    // a totals row "Cộng toàn thành phố" and an ignored "Người lập" column.
    let own_export = |r: &Run| {
        let csv = std::fs::read_to_string(r.path("data/2024-07.csv")).unwrap_or_default();
        let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
        lines[0] = lines[0].replacen(";Đơn vị;", ";Tên cơ quan, địa phương;", 1) + ";Người lập";
        for l in lines.iter_mut().skip(1) {
            l.push_str(";Nguyễn Văn A");
        }
        lines.push(";Cộng toàn thành phố;;;;80,00%;80,00%;80,00%;80,00%;".to_string());
        r.write("data/2024-07.csv", lines.join("\n") + "\n");
    };
    // Without [vocabulary] columns: no unit column, at the header line, with the hint.
    let r = case("kind-codes");
    own_export(&r);
    let (_, o) = run(r, &["check", "cong-van-dvc.toml"]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert!(o.stderr.contains("missing column \"unit\""), "{}", o.stderr);
    assert!(o.stderr.contains("data/2024-07.csv:1"), "{}", o.stderr);
    // With them: the letter of the sample, the totals row skipped.
    let r = case("kind-codes");
    own_export(&r);
    let spec = std::fs::read_to_string(r.path("cong-van-dvc.toml")).unwrap_or_default();
    r.write(
        "cong-van-dvc.toml",
        format!("{spec}\n[vocabulary.columns]\nname = [\"Tên cơ quan, địa phương\"]\ntotals = [\"Cộng toàn thành phố\"]\nignored = [\"Người lập\"]\n"),
    );
    let md = draft_md(r, Some("cong-van-dvc.toml"));
    assert_eq!(lines_of_section_3(&md), lines_of_section_3(&sample_md()));
    // `congvan vocabulary` lists the added names with the built-in ones.
    let r = case("kind-codes");
    r.write(
        "cong-van-dvc.toml",
        format!("{spec}\n[vocabulary.columns]\nname = [\"Tên cơ quan, địa phương\"]\n"),
    );
    let (_, o) = run(r, &["vocabulary", "cong-van-dvc.toml", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
    let names = v["columns"]["name"].as_array().cloned().unwrap_or_default();
    assert!(names.iter().any(|n| n == "tên đơn vị"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "Tên cơ quan, địa phương"),
        "{names:?}"
    );
}
