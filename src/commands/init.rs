//! `congvan init DIR --registry FILE --values FILE`: a project from an office's own files — its
//! registry and values copied in, a spec, targets and the sample letter of the registry's shape.

use std::path::{Path, PathBuf};

use crate::diag::{Error, Result};
use crate::input::catalogue::Catalogue;
use crate::input::registry::Registry;
use crate::input::sample;
use crate::input::source::Source;
use crate::input::spec::LetterSpec;
use crate::vocab::vocabulary::Level;

/// The indicators the sample letters list (their targets are written from the catalogue).
const LETTER_INDICATORS: [&str; 2] = ["ty_le_ho_so_truc_tuyen", "ty_le_so_hoa_ho_so"];

/// A project to write: files (path under DIR, bytes) and the spec's path.
#[derive(Debug)]
pub struct Project {
    /// Every file, its path joined to DIR.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The spec (`DIR/letter.toml`).
    pub spec: PathBuf,
    /// 3 when the registry has districts (before 7/2025), else 2.
    pub levels: u8,
    /// The office whose sample letter the project starts from (its `[issuer]` in the sample
    /// spec: "Văn phòng, Ủy ban nhân dân thành phố Hải Phòng"), whose words the user replaces.
    pub sample_office: String,
}

/// The project for `registry` and `values` in `dir`: `data/<registry>`, `data/<values>`
/// (copied unchanged), `targets.toml` (the catalogue's default targets for the letter's
/// indicators), `letter.md.tera` and `letter.toml` from the sample of the registry's shape —
/// three levels (a district kind in the registry: the Hải Phòng 2024 letter) or two (the Hưng
/// Yên 2025 letter). Errors: an unreadable or invalid registry, a file without a name.
pub fn project(dir: &Path, registry: &Path, values: &Path) -> Result<Project> {
    let reg = Registry::load(&Source::Disk, registry)?;
    let three = reg.units.iter().any(|u| {
        reg.vocabulary
            .kind(&u.kind)
            .is_some_and(|k| k.level == Level::District)
    });
    let (spec_path, template_path) = if three {
        (
            "templates/cong-van-dvc.toml",
            "templates/cong-van-dvc.md.tera",
        )
    } else {
        (
            "templates/cong-van-hung-yen.toml",
            "templates/cong-van-hung-yen.md.tera",
        )
    };
    let name = |p: &Path, what: &str| -> Result<String> {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::usage(format!("--{what} {} names no file", p.display())))
    };
    let (reg_name, values_name) = (name(registry, "registry")?, name(values, "values")?);
    let read = |p: &Path| std::fs::read(p).map_err(|e| Error::io("read", p, &e));
    let sample_text = |p: &str| {
        sample::file(Path::new(p))
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .ok_or_else(|| Error::input(format!("the sample has no {p}")))
    };
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut spec = String::new();
    for line in sample_text(spec_path)?.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        let line = match key {
            "template" => format!("template = {}", quoted("letter.md.tera")),
            "output" => format!("output = {}", quoted("letter")),
            "registry" => format!("registry = {}", quoted(&format!("data/{reg_name}"))),
            "values" => format!("values = {}", quoted(&format!("data/{values_name}"))),
            "targets" => format!("targets = {}", quoted("targets.toml")),
            "previous" => continue,
            _ => line.to_string(),
        };
        spec.push_str(&line);
        spec.push('\n');
    }
    let catalogue = Catalogue::builtin()?;
    let mut targets = String::from(
        "# Default targets (the QĐ 766 catalogue's); replace them with the province's plan and\n# add overrides by bloc, kind or unit (README, \"Targets\").\n[options]\nsort = \"registry\"\n",
    );
    for key in LETTER_INDICATORS {
        if let Some(t) = catalogue
            .find(key)
            .and_then(|i| catalogue.indicators[i].typical_target)
        {
            targets.push_str(&format!("\n[targets.{key}]\ndefault = {t}\n"));
        }
    }
    let files = vec![
        (dir.join("data").join(&reg_name), read(registry)?),
        (dir.join("data").join(&values_name), read(values)?),
        (dir.join("targets.toml"), targets.into_bytes()),
        (
            dir.join("letter.md.tera"),
            sample_text(template_path)?.into_bytes(),
        ),
        (dir.join("letter.toml"), spec.into_bytes()),
    ];
    let sample_office = LetterSpec::load(Source::Sample, Path::new(spec_path))
        .map(|s| {
            let i = &s.fields.issuer;
            std::iter::once(i.name.lines().join(" "))
                .chain(i.parent.iter().map(|p| p.lines().join(" ")))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|_| spec_path.to_string());
    Ok(Project {
        files,
        spec: dir.join("letter.toml"),
        levels: if three { 3 } else { 2 },
        sample_office,
    })
}
