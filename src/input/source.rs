//! Where input files come from: the disk, or the shipped sample compiled into the binary.
//! Readers get a `Read` or NFC text from here and never open files themselves.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Error, Result};
use crate::text;

/// A file tree that inputs are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The real file system; relative paths are relative to the working directory.
    Disk,
    /// The sample shipped inside the binary (see [`crate::input::sample`]).
    Sample,
}

impl Source {
    /// Open `path` for streaming reads.
    pub fn open(&self, path: &Path) -> Result<Box<dyn Read + 'static>> {
        match self {
            Source::Disk => std::fs::File::open(path)
                .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn Read>)
                .map_err(|e| not_found_hint(Error::io("open", path, &e), path)),
            Source::Sample => crate::input::sample::file(&normalize(path))
                .map(|bytes| Box::new(bytes) as Box<dyn Read>)
                .ok_or_else(|| missing_sample(path)),
        }
    }

    /// Read the whole of `path` as bytes.
    pub fn read_bytes(&self, path: &Path) -> Result<Vec<u8>> {
        match self {
            Source::Disk => {
                std::fs::read(path).map_err(|e| not_found_hint(Error::io("read", path, &e), path))
            }
            Source::Sample => crate::input::sample::file(&normalize(path))
                .map(<[u8]>::to_vec)
                .ok_or_else(|| missing_sample(path)),
        }
    }

    /// Read `path` as text: UTF-8 (a BOM is dropped), normalised to NFC.
    pub fn read_text(&self, path: &Path) -> Result<String> {
        let bytes = self.read_bytes(path)?;
        text::decode_utf8(&bytes, path)
    }

    /// Whether `path` exists in this source.
    pub fn exists(&self, path: &Path) -> bool {
        match self {
            Source::Disk => path.exists(),
            Source::Sample => crate::input::sample::file(&normalize(path)).is_some(),
        }
    }
}

/// Resolve `relative` against the folder holding `base_file`, folding `.` and `..` lexically.
pub fn resolve(base_file: &Path, relative: &Path) -> PathBuf {
    if relative.is_absolute() {
        return relative.to_path_buf();
    }
    let dir = base_file.parent().unwrap_or(Path::new(""));
    normalize(&dir.join(relative))
}

/// Fold `.` and `..` components without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                _ => out.push(c),
            },
            other => out.push(other),
        }
    }
    out.iter().collect()
}

fn not_found_hint(e: Error, path: &Path) -> Error {
    if path.exists() {
        e
    } else {
        e.hint("check the path (relative paths start from the current folder)")
    }
}

fn missing_sample(path: &Path) -> Error {
    Error::input(format!("the shipped sample has no file {}", path.display()))
        .hint("run `congvan init DIR` to write the sample to disk and edit it there")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_to_spec_folder() {
        let p = resolve(
            Path::new("templates/a.toml"),
            Path::new("../data/x/2024-07.csv"),
        );
        assert_eq!(p, PathBuf::from("data/x/2024-07.csv"));
        let p = resolve(Path::new("a.toml"), Path::new("b.tera"));
        assert_eq!(p, PathBuf::from("b.tera"));
        let p = resolve(Path::new("/x/y/a.toml"), Path::new("../b.tera"));
        assert_eq!(p, PathBuf::from("/x/b.tera"));
    }
}
