//! The shipped sample (specs, templates, data), compiled into the binary so `congvan draft`
//! works from any folder and `congvan init DIR` can write it out as a starting point.

use std::path::Path;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path)) as &[u8])),*]
    };
}

/// Every sample file: its path (relative, '/'-separated) and its bytes.
pub const FILES: &[(&str, &[u8])] = embed![
    "templates/cong-van-dvc.toml",
    "templates/cong-van-dvc.md.tera",
    "templates/cong-van-dvc-phu-luc.toml",
    "templates/thong-bao-ket-luan.toml",
    "templates/thong-bao-ket-luan.md.tera",
    "templates/nhac-nho.toml",
    "templates/nhac-nho.md.tera",
    "templates/cong-van-bo-chi-so.toml",
    "templates/cong-van-bo-chi-so.md.tera",
    "templates/quyet-dinh-ke-hoach.toml",
    "templates/quyet-dinh-ke-hoach.md.tera",
    "data/hai-phong-2024/ke-hoach-kstthc-2024.xlsx",
    "data/hai-phong-2024/registry.csv",
    "data/hai-phong-2024/2024-07.csv",
    "data/hai-phong-2024/2024-06.csv",
    "data/hai-phong-2024/targets.toml",
    "templates/cong-van-hung-yen.toml",
    "templates/cong-van-hung-yen.md.tera",
    "data/hung-yen-2025/registry.csv",
    "data/hung-yen-2025/2025-09.csv",
    "data/hung-yen-2025/targets.toml",
];

/// The spec `congvan draft` uses when given none.
pub const DEFAULT_SPEC: &str = "templates/cong-van-dvc.toml";

/// The bytes of the sample file at `path` (relative, already normalised: no `.` or `..`).
pub fn file(wanted: &Path) -> Option<&'static [u8]> {
    FILES
        .iter()
        .find(|(p, _)| Path::new(p) == wanted)
        .map(|(_, bytes)| *bytes)
}
