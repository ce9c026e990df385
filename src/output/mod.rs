//! Writing outputs safely: every file atomically (temp file + rename), and never over a file that
//! a person edited or that congvan did not write, unless forced. A manifest keeps the hashes.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Error, Result};

/// Name of the manifest kept in every output folder.
pub const MANIFEST: &str = ".congvan-manifest.json";

/// A file to write: its name inside the output folder and its bytes.
#[derive(Debug, Clone)]
pub struct Output {
    /// File name (no separators).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// A file that was written.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// Its path.
    pub path: PathBuf,
    /// SHA-256 of its contents, hex.
    pub sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// File name → SHA-256 of what congvan last wrote there.
    files: BTreeMap<String, String>,
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Write `outputs` into `dir` (created if needed). All files are checked first: if any existing
/// file was edited since congvan wrote it, or was not written by congvan, nothing is written and
/// the error names it (unless `force`).
pub fn write_all(dir: &Path, outputs: &[Output], force: bool) -> Result<Vec<Written>> {
    let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    let mut plan = Plan::new(dir, &names, force)?;
    let written = outputs
        .iter()
        .map(|o| plan.write(o))
        .collect::<Result<Vec<_>>>()?;
    plan.finish()?;
    Ok(written)
}

/// A checked set of files to write into one folder: written one by one (so a batch never holds
/// every letter in memory), then the manifest is saved once.
pub struct Plan {
    dir: PathBuf,
    manifest: Manifest,
}

impl Plan {
    /// Create `dir` if needed and check that none of `names` may not be replaced.
    pub fn new(dir: &Path, names: &[&str], force: bool) -> Result<Plan> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::io("create", dir, &e)
                .hint("choose another folder with --out, or fix its permissions")
        })?;
        let manifest = read_manifest(&dir.join(MANIFEST))?;
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(*name) {
                return Err(
                    Error::input(format!("two outputs would both be named {name}"))
                        .hint("give each letter its own output name (e.g. include the unit id)"),
                );
            }
            if !force {
                check_overwrite(dir, name, &manifest)?;
            }
        }
        Ok(Plan {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    /// Write one planned file atomically.
    pub fn write(&mut self, out: &Output) -> Result<Written> {
        let path = self.dir.join(&out.name);
        write_atomic(&path, &out.bytes)?;
        let sha256 = sha256_hex(&out.bytes);
        self.manifest.files.insert(out.name.clone(), sha256.clone());
        Ok(Written { path, sha256 })
    }

    /// Save the manifest.
    pub fn finish(self) -> Result<()> {
        let json = serde_json::to_vec_pretty(&self.manifest)
            .map_err(|e| Error::output(format!("failed to encode the manifest ({e})")))?;
        write_atomic(&self.dir.join(MANIFEST), &json)
    }
}

/// Refuse to replace `name` in `dir` if its current contents are not what congvan last wrote.
fn check_overwrite(dir: &Path, name: &str, manifest: &Manifest) -> Result<()> {
    let path = dir.join(name);
    let current = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("read", &path, &e)),
    };
    match manifest.files.get(name) {
        Some(hash) if *hash == sha256_hex(&current) => Ok(()),
        Some(_) => Err(Error::output(format!(
            "{} was changed since congvan wrote it; not overwriting",
            path.display()
        ))
        .hint("move your edited copy elsewhere, write to another folder with --out, or pass --force to replace it")),
        None => Err(Error::output(format!(
            "{} exists and was not written by congvan; not overwriting",
            path.display()
        ))
        .hint("write to another folder with --out, or pass --force to replace it")),
    }
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Error::output(format!("the manifest {} is damaged ({e})", path.display()))
                .hint("delete it; congvan will then refuse to overwrite existing drafts until you pass --force")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(Error::io("read", path, &e)),
    }
}

/// Write `bytes` to `path` through a temporary file in the same folder, then rename: readers
/// see the old file or the new one, never a part. (No fsync: like git and cargo, congvan
/// leaves durability across power loss to the file system; a batch writes thousands of files.)
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".congvan-")
        .tempfile_in(dir)
        .map_err(|e| Error::io("write in", dir, &e).hint("check that the folder is writable"))?;
    tmp.write_all(bytes)
        .and_then(|()| readable_by_all(tmp.as_file()))
        .map_err(|e| Error::io("write", path, &e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    Ok(())
}

/// Temporary files are created private (0600); a draft is an ordinary file (0644).
#[cfg(unix)]
fn readable_by_all(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_all(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(name: &str, text: &str) -> Output {
        Output {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn rewrites_untouched_refuses_edited_and_foreign() -> Result<()> {
        let dir = tempfile::tempdir().map_err(|e| Error::output(e.to_string()))?;
        let d = dir.path();
        write_all(d, &[out("a.md", "one")], false)?;
        write_all(d, &[out("a.md", "two")], false)?;
        assert_eq!(
            std::fs::read_to_string(d.join("a.md")).ok().as_deref(),
            Some("two")
        );

        std::fs::write(d.join("a.md"), "edited by hand")
            .map_err(|e| Error::output(e.to_string()))?;
        let err = write_all(d, &[out("b.md", "new"), out("a.md", "three")], false).err();
        assert!(err.is_some_and(|e| e.message.contains("was changed since congvan wrote it")));
        assert!(
            !d.join("b.md").exists(),
            "nothing is written when one file is refused"
        );
        assert_eq!(
            std::fs::read_to_string(d.join("a.md")).ok().as_deref(),
            Some("edited by hand")
        );

        std::fs::write(d.join("c.md"), "mine").map_err(|e| Error::output(e.to_string()))?;
        let err = write_all(d, &[out("c.md", "x")], false).err();
        assert!(err.is_some_and(|e| e.message.contains("was not written by congvan")));

        write_all(d, &[out("a.md", "forced")], true)?;
        assert_eq!(
            std::fs::read_to_string(d.join("a.md")).ok().as_deref(),
            Some("forced")
        );
        Ok(())
    }
}
