//! The phụ lục's bar charts: the shipped sample with charts (.docx picture parts, the .md's
//! PNG files beside it, the manifest), reproducible bytes, and a chart of an indicator with no
//! data refused at the template's line by `draft` and `check`.

use std::io::{Cursor, Read};

use crate::harness::Run;

/// A run in a copy of the repository's templates and data.
fn sample_run() -> Run {
    let run = Run::new();
    let repo = crate::harness::repo();
    for folder in ["templates", "data"] {
        std::fs::create_dir_all(run.path(folder)).unwrap();
        crate::harness::copy_tree(&repo.join(folder), &run.path(folder));
    }
    run
}

/// The sample with `templates/x.toml`: the shipped letter's spec with body `template`.
fn sample_with_template(template: &str) -> Run {
    sample_with_template_on("cong-van-dvc", template)
}

/// The sample with `templates/x.toml`: the spec `templates/<base>.toml` with body `template`.
fn sample_with_template_on(base: &str, template: &str) -> Run {
    let run = sample_run();
    run.write("templates/x.md.tera", template);
    let spec = std::fs::read_to_string(run.path(&format!("templates/{base}.toml"))).unwrap();
    run.write(
        "templates/x.toml",
        spec.replace(
            &format!("template = \"{base}.md.tera\""),
            "template = \"x.md.tera\"",
        ),
    );
    run
}

const STEM: &str = "cong-van-dvc-phu-luc-2024-07";

fn zip_part(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut entry = zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut out = Vec::new();
    entry.read_to_end(&mut out).unwrap();
    out
}

/// The alt texts of the .md's image links, in order.
fn links_alt(md: &str) -> Vec<String> {
    md.lines()
        .filter_map(|l| Some(l.strip_prefix("![")?.split_once("](")?.0.to_string()))
        .collect()
}

#[test]
fn the_phu_luc_sample_embeds_its_charts_and_writes_them_beside_the_md() {
    let run = sample_run();
    let out = run.run_with(&[
        "draft",
        "templates/cong-van-dvc-phu-luc.toml",
        "--out",
        "out",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // The .md links PNG files that exist beside it, one per chart part, in order.
    let md = std::fs::read_to_string(run.path(&format!("out/{STEM}.md"))).unwrap();
    let links: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("![")?.split_once("](")?.1.strip_suffix(')'))
        .collect();
    // Four indicators, 185 units each: five charts of 37 per indicator.
    assert_eq!(links.len(), 20, "{links:?}");
    for (i, link) in links.iter().enumerate() {
        assert_eq!(*link, format!("{STEM}-bieu-do-{}.png", i + 1));
        let png = std::fs::read(run.path(&format!("out/{link}"))).expect(link);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{link}");
    }
    assert!(
        md.contains("![Biểu đồ Tỷ lệ hồ sơ TTHC nộp trực tuyến (theo hình thức nộp) (1/5)]"),
        "{md}"
    );
    // Two communes named alike are told apart by their district, as the letter's lists do;
    // a unique name stands alone; figures keep their decimals down the column.
    assert!(
        md.contains("| 41 | xã Quốc Tuấn, huyện An Dương | 94,14% | 90% | 4,14 |  |"),
        "{md}"
    );
    assert!(
        md.contains("| 50 | xã Quốc Tuấn, huyện An Lão | 90,84% | 90% | 0,84 |  |"),
        "{md}"
    );
    assert!(
        md.contains("| 25 | quận Kiến An | 96,00% | 90% | 6,00 |  |"),
        "{md}"
    );

    // The manifest lists every file written, the PNG files too, with their hashes.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.path("out/.congvan-manifest.json")).unwrap())
            .unwrap();
    for link in &links {
        assert!(
            manifest.to_string().contains(&format!("\"{link}\"")),
            "{link} not in {manifest}"
        );
    }

    // The .docx: a picture part per chart, each reached by an image relationship from the
    // body and typed image/png; the same bytes as the PNG file beside the .md.
    let docx = std::fs::read(run.path(&format!("out/{STEM}.docx"))).unwrap();
    let rels = String::from_utf8(zip_part(&docx, "word/_rels/document.xml.rels")).unwrap();
    let rels = roxmltree::Document::parse(&rels).unwrap();
    let images: Vec<(String, String)> = rels
        .root_element()
        .children()
        .filter(|r| r.attribute("Type").is_some_and(|t| t.ends_with("/image")))
        .map(|r| {
            (
                r.attribute("Id").unwrap().to_string(),
                r.attribute("Target").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(images.len(), 20);
    let types = String::from_utf8(zip_part(&docx, "[Content_Types].xml")).unwrap();
    let types = roxmltree::Document::parse(&types).unwrap();
    for (_, target) in &images {
        let name = format!("word/{target}");
        let typed = types.root_element().children().any(|t| {
            t.attribute("PartName") == Some(&format!("/{name}"))
                && t.attribute("ContentType") == Some("image/png")
        });
        assert!(typed, "{name} is not typed image/png");
        assert!(zip_part(&docx, &name).starts_with(b"\x89PNG"));
    }
    let first = std::fs::read(run.path(&format!("out/{}", links[0]))).unwrap();
    let document = String::from_utf8(zip_part(&docx, "word/document.xml")).unwrap();
    let body = roxmltree::Document::parse(&document).unwrap();
    let blips: Vec<&str> = body
        .descendants()
        .filter(|n| n.tag_name().name() == "blip")
        .filter_map(|n| {
            n.attributes()
                .find(|a| a.name() == "embed")
                .map(|a| a.value())
        })
        .collect();
    assert_eq!(blips.len(), 20);
    let (_, first_target) = images.iter().find(|(id, _)| id == blips[0]).unwrap();
    assert_eq!(zip_part(&docx, &format!("word/{first_target}")), first);
    // Drawing ids are unique in the part; the extent is the printed size (165 mm wide).
    let ids: std::collections::BTreeSet<&str> = body
        .descendants()
        .filter(|n| n.tag_name().name() == "docPr")
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(ids.len(), 20);
    // Each picture carries the alt text the .md gives it.
    let first_alt = body
        .descendants()
        .find(|n| n.tag_name().name() == "docPr")
        .and_then(|n| n.attribute("descr"))
        .unwrap_or_default();
    assert_eq!(first_alt, links_alt(&md)[0]);
    let extent = body
        .descendants()
        .find(|n| n.tag_name().name() == "extent")
        .and_then(|n| n.attribute("cx"))
        .unwrap();
    assert_eq!(extent, "5940000", "165 mm in EMU");

    // A second run into another folder writes the same bytes.
    let again = run.run_with(&["draft", "templates/cong-van-dvc-phu-luc.toml", "--out", "b"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    for name in [format!("{STEM}.docx"), links[7].to_string()] {
        assert_eq!(
            std::fs::read(run.path(&format!("out/{name}"))).unwrap(),
            std::fs::read(run.path(&format!("b/{name}"))).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_chart_of_an_indicator_without_data_is_an_error_at_the_call() {
    for (template, line, column, wanted) in [
        (
            "Một.\n\n{{ chart(indicator=\"ty_le_khong_co\") }}\n",
            3,
            4,
            "no data for indicator \"ty_le_khong_co\" to chart",
        ),
        (
            "Một.\n\n::: chart indicator=\"ty_le_khong_co\"\n",
            3,
            1,
            "cannot draw the chart",
        ),
    ] {
        let run = sample_with_template(template);
        let before = run.snapshot();
        for command in ["draft", "check"] {
            let out = run.run_with(&[command, "templates/x.toml"]);
            assert_eq!(out.code, 1, "{command}: {}", out.stderr);
            assert!(
                out.stderr
                    .contains(&format!("templates/x.md.tera:{line}:{column}")),
                "{command}: {}",
                out.stderr
            );
            assert!(out.stderr.contains(wanted), "{command}: {}", out.stderr);
            assert!(
                out.stderr.contains("ty_le_ho_so_truc_tuyen"),
                "{}",
                out.stderr
            );
            assert!(out.stderr.contains("help:"), "{}", out.stderr);
        }
        before.assert_unchanged(&run.snapshot(), "a refused chart writes nothing");
    }
}

#[test]
fn a_chart_line_takes_one_indicator() {
    let run = sample_with_template("Một.\n\n::: chart ty_le_dung_han\n");
    let out = run.run_with(&["check", "templates/x.toml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("templates/x.md.tera:3"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("unknown block"), "{}", out.stderr);
    assert!(
        out.stderr.contains("::: chart indicator=\\\"…\\\"")
            || out.stderr.contains("::: chart indicator=\"…\""),
        "{}",
        out.stderr
    );
}

#[test]
fn a_batch_writes_each_letters_charts_beside_its_md() {
    // Hưng Yên: a few units below target, so a few letters.
    let run = sample_with_template_on(
        "cong-van-hung-yen",
        "Đơn vị {{ unit.full_name }} chưa đạt./.\n\n::: phu-luc title=\"Kết quả\"\n\n{{ chart(indicator=\"ty_le_ho_so_truc_tuyen\") }}\n\n:::\n",
    );
    // One stem for all: the letters become nhac, nhac-2 …, and so do their PNG files.
    let spec = std::fs::read_to_string(run.path("templates/x.toml")).unwrap();
    run.write(
        "templates/x.toml",
        spec.replace(
            "output = \"cong-van-hung-yen-2025-09\"",
            "output = \"nhac\"",
        ),
    );
    let out = run.run_with(&[
        "draft",
        "templates/x.toml",
        "--each",
        "unit",
        "--quiet",
        "--out",
        "out",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let names: Vec<String> = std::fs::read_dir(run.path("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let mds: Vec<&String> = names.iter().filter(|n| n.ends_with(".md")).collect();
    assert!(mds.len() > 1, "{names:?}");
    assert!(names.contains(&"nhac-2.md".to_string()), "{names:?}");
    for md in mds {
        let text = std::fs::read_to_string(run.path(&format!("out/{md}"))).unwrap();
        let stem = md.trim_end_matches(".md");
        let links = text.matches("![").count();
        assert!(links >= 1, "{md}: {text}");
        for part in 1..=links {
            let png = format!("{stem}-bieu-do-{part}.png");
            assert!(text.contains(&format!("]({png})")), "{md}: {text}");
            assert!(names.contains(&png), "{png} not written");
        }
    }
}

#[test]
fn an_edited_chart_file_is_not_clobbered_without_force() {
    let run = sample_with_template_on(
        "cong-van-hung-yen",
        "Một./.\n\n::: phu-luc title=\"Kết quả\"\n\n{{ chart(indicator=\"ty_le_so_hoa_ho_so\") }}\n\n:::\n",
    );
    let draft = ["draft", "templates/x.toml", "--out", "out"];
    let first = run.run_with(&draft);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let png = "out/cong-van-hung-yen-2025-09-bieu-do-1.png";
    assert!(run.path(png).exists());
    // Run again: its own untouched files are replaced silently.
    assert_eq!(run.run_with(&draft).code, 0);
    // A person's edit of the chart is kept, and nothing else is written either.
    run.write(png, b"edited");
    let before = run.snapshot();
    let out = run.run_with(&draft);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("bieu-do-1.png"), "{}", out.stderr);
    before.assert_unchanged(&run.snapshot(), "an edited PNG blocks the run");
    let forced = run.run_with(&["draft", "templates/x.toml", "--out", "out", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(std::fs::read(run.path(png))
        .unwrap()
        .starts_with(b"\x89PNG"));
}

#[test]
fn a_chart_the_new_draft_no_longer_makes_is_removed_unless_edited() {
    let two = "Một./.\n\n::: phu-luc title=\"Kết quả\"\n\n{{ chart(indicator=\"ty_le_so_hoa_ho_so\") }}\n{{ chart(indicator=\"ty_le_ho_so_truc_tuyen\") }}\n\n:::\n";
    let one = "Một./.\n\n::: phu-luc title=\"Kết quả\"\n\n{{ chart(indicator=\"ty_le_so_hoa_ho_so\") }}\n\n:::\n";
    let png = |n: u32| format!("out/cong-van-hung-yen-2025-09-bieu-do-{n}.png");
    let manifest =
        |run: &Run| std::fs::read_to_string(run.path("out/.congvan-manifest.json")).unwrap();
    let draft = ["draft", "templates/x.toml", "--out", "out"];
    // Two indicators (three parts each), then one, with the sixth PNG edited: the fourth and
    // fifth, untouched, go (and leave the manifest); the edited sixth stays.
    let run = sample_with_template_on("cong-van-hung-yen", two);
    assert_eq!(run.run_with(&draft).code, 0);
    assert!(run.path(&png(6)).exists());
    run.write(&png(6), b"edited");
    run.write("templates/x.md.tera", one);
    let out = run.run_with(&draft);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(run.path(&png(3)).exists());
    assert!(
        !run.path(&png(5)).exists(),
        "the chart of the earlier draft stayed"
    );
    assert!(
        out.stderr
            .contains("removed out/cong-van-hung-yen-2025-09-bieu-do-5.png"),
        "{}",
        out.stderr
    );
    assert!(!manifest(&run).contains("bieu-do-5.png"));
    assert_eq!(std::fs::read(run.path(&png(6))).unwrap(), b"edited");
    // Without the .md, every PNG stays: the earlier .md still links them.
    run.write("templates/x.md.tera", two);
    let forced = run.run_with(&["draft", "templates/x.toml", "--out", "out", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    run.write("templates/x.md.tera", one);
    let docx_only = run.run_with(&[
        "draft",
        "templates/x.toml",
        "--out",
        "out",
        "--format",
        "docx",
    ]);
    assert_eq!(docx_only.code, 0, "{}", docx_only.stderr);
    assert!(
        run.path(&png(5)).exists(),
        "the .md of the earlier draft still links it"
    );
}

/// A chart is a block of its own: `chart(…)` inside a table cell, a bold run, a list item, a
/// heading or a sentence would split it (a header-only table and a stray "| x |" printed, a
/// literal "**", a heading lost), so it is an error at its template line for `draft` and
/// `check`, and nothing is written.
#[test]
fn a_chart_inside_a_table_cell_or_a_sentence_is_an_error_at_its_line() {
    let call = "{{ chart(indicator=\"ty_le_ho_so_truc_tuyen\") }}";
    for (template, line) in [
        (format!("Một.\n\n| a | b |\n|---|---|\n| {call} | x |\n"), 5),
        (format!("Một.\n\n**{call}**\n"), 3),
        (format!("Một.\n\n- mục {call}\n"), 3),
        (format!("Một.\n\n# {call}\n"), 3),
        (format!("Một.\n\nNội dung {call} tiếp.\n"), 3),
        ("Một.\n\nXem ::: chart indicator=\"ty_le_ho_so_truc_tuyen\"\n".to_string(), 3),
        // In a loop after 185 lines of units: the template's line, not the rendered one.
        (
            "Một.\n\n{% for u in units %}{{ u.id }}\n{% endfor %}\n{% for ind in standings %}\n**{{ chart(indicator=ind.key) }}**\n{% endfor %}\n".to_string(),
            6,
        ),
    ] {
        let run = sample_with_template(&template);
        let before = run.snapshot();
        for command in ["draft", "check"] {
            let out = run.run_with(&[command, "templates/x.toml"]);
            assert_eq!(out.code, 1, "{command} {template:?}: {}", out.stderr);
            assert!(
                out.stderr.contains(&format!("templates/x.md.tera:{line}:")),
                "{command} {template:?}: {}",
                out.stderr
            );
            assert!(out.stderr.contains("line of its own"), "{}", out.stderr);
            assert!(out.stderr.contains("chart("), "the template's line: {}", out.stderr);
            assert!(out.stderr.contains("help:"), "{}", out.stderr);
        }
        before.assert_unchanged(&run.snapshot(), "a refused chart writes nothing");
    }
    // Alone on its line, also indented or right under a paragraph, it draws.
    let run = sample_with_template(&format!("Một.\n  {call}\nHai.\n{call}\n"));
    let out = run.run_with(&["draft", "templates/x.toml", "--out", "out"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let md = std::fs::read_to_string(run.path("out/cong-van-dvc-2024-07.md")).unwrap_or_default();
    assert_eq!(links_alt(&md).len(), 10, "{md}");
}
