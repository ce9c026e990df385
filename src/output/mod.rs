//! The output folder: files land atomically (temp file + rename) under an advisory lock, each
//! recorded in a journal before its rename, so a kill or a full disk never leaves the manifest
//! behind the files; a person's edits and files congvan did not write are never replaced unless
//! forced.
//!
//! Order of a run (see [`Plan`]): lock the folder (`flock`) → recover (replay `.congvan-journal` into
//! the manifest, delete stale `.congvan-tmp-*` files) → check every target → stage every file as
//! a temp file → check again, then for each file: check it once more, journal it, rename it →
//! save the manifest → delete the journal.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Error, Result};

/// Name of the manifest kept in every output folder: file name → SHA-256 of what congvan last
/// wrote there.
pub const MANIFEST: &str = ".congvan-manifest.json";

/// The journal: one JSON line `{"name":…,"sha256":…}` appended before each rename, replayed into
/// the manifest by the next run when a run was killed before saving it.
pub const JOURNAL: &str = ".congvan-journal";

/// The lock file where a folder cannot be locked itself (not on Unix).
const LOCK: &str = ".congvan-lock";

/// Prefix of temp files; any other `.congvan-*` file than the manifest and the journal is a
/// stale temp file.
const TEMP_PREFIX: &str = ".congvan-tmp-";

/// How long a run waits for another run writing into the same folder.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

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

/// What a run found left over from an interrupted run, and repaired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Files whose rename the journal records and whose contents match it: now in the manifest.
    pub recovered: Vec<String>,
    /// Stale temp files deleted.
    pub removed: Vec<String>,
}

impl Recovery {
    /// Nothing was left over.
    pub fn is_empty(&self) -> bool {
        self.recovered.is_empty() && self.removed.is_empty()
    }

    /// One line for the user, e.g. "recovered an interrupted run in out: 3 files recorded in
    /// the manifest, 2 temporary files removed".
    pub fn message(&self, dir: &Path) -> String {
        format!(
            "recovered an interrupted run in {}: {} file(s) recorded in the manifest, {} temporary file(s) removed",
            dir.display(),
            self.recovered.len(),
            self.removed.len()
        )
    }
}

/// What a write did: the files written (in the order given) and what was recovered first.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Files written.
    pub written: Vec<Written>,
    /// Repairs of an interrupted earlier run.
    pub recovery: Recovery,
    /// Files of an earlier run this run no longer makes (a chart of a part that is gone),
    /// deleted because nobody edited them since congvan wrote them.
    pub retired: Vec<PathBuf>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// File name → SHA-256 of what congvan last wrote there.
    files: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct JournalEntry {
    name: String,
    sha256: String,
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Write `outputs` into `dir` (created if needed). All files are checked first: if any existing
/// file was edited since congvan wrote it, or was not written by congvan, nothing is written and
/// the error names it (unless `force`, which replaces all of them or none).
pub fn write_all(dir: &Path, outputs: &[Output], force: bool) -> Result<Report> {
    write_all_retiring(dir, outputs, force, &|_| false)
}

/// [`write_all`], then [`Plan::commit_retiring`] with `stale`.
pub fn write_all_retiring(
    dir: &Path,
    outputs: &[Output],
    force: bool,
    stale: &dyn Fn(&str) -> bool,
) -> Result<Report> {
    let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
    let mut plan = Plan::new(dir, &names, force)?;
    for o in outputs {
        plan.stage(o)?;
    }
    plan.commit_retiring(stale)
}

/// A checked set of files to write into one locked folder: staged one by one as temp files (so
/// a batch never holds every letter in memory), then renamed into place together by
/// [`Plan::commit`]. Dropping a plan deletes its staged temp files and releases the lock.
pub struct Plan {
    dir: PathBuf,
    /// The folder, locked (advisory `flock`) until the plan is dropped.
    _lock: File,
    manifest: Manifest,
    force: bool,
    staged: Vec<Staged>,
    recovery: Recovery,
}

struct Staged {
    name: String,
    temp: tempfile::TempPath,
    sha256: String,
}

impl Plan {
    /// Create `dir` if needed, lock it (waiting up to [`LOCK_WAIT`] for another run), recover
    /// what an interrupted run left, and check that every one of `names` may be replaced.
    pub fn new(dir: &Path, names: &[&str], force: bool) -> Result<Plan> {
        Plan::with_wait(dir, names, force, LOCK_WAIT)
    }

    /// [`Plan::new`] with another lock wait.
    pub fn with_wait(dir: &Path, names: &[&str], force: bool, wait: Duration) -> Result<Plan> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::io("create", dir, &e)
                .hint("choose another folder with --out, or fix its permissions")
        })?;
        let lock = lock(dir, wait)?;
        let (manifest, recovery) = recover(dir)?;
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(*name) {
                return Err(
                    Error::input(format!("two outputs would both be named {name}"))
                        .hint("give each letter its own output name (e.g. include the unit id)"),
                );
            }
            check_target(dir, name, &manifest, force)?;
        }
        Ok(Plan {
            dir: dir.to_path_buf(),
            _lock: lock,
            manifest,
            force,
            staged: Vec::new(),
            recovery,
        })
    }

    /// What was recovered from an interrupted run when the folder was opened.
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Write one file as a temp file in the folder (mode 0666 less the umask). A full disk
    /// fails here, before any file is replaced.
    pub fn stage(&mut self, out: &Output) -> Result<()> {
        let path = self.dir.join(&out.name);
        let temp = write_temp(&self.dir, &path, &out.bytes)?;
        self.staged.push(Staged {
            name: out.name.clone(),
            temp,
            sha256: sha256_hex(&out.bytes),
        });
        Ok(())
    }

    /// Rename every staged file into place, in the order staged. Every target is checked again
    /// first (nothing is replaced if one was edited meanwhile), and each once more just before
    /// its rename; each is journaled before its rename. A replaced file keeps its mode.
    pub fn commit(self) -> Result<Report> {
        self.commit_retiring(&|_| false)
    }

    /// [`Plan::commit`], then delete the files of the manifest that `stale` names and this run
    /// did not write (an earlier run's chart of a part that is gone): each only when it still
    /// has the bytes congvan wrote there; an edited one is left, and stays in the manifest.
    pub fn commit_retiring(mut self, stale: &dyn Fn(&str) -> bool) -> Result<Report> {
        for s in &self.staged {
            check_target(&self.dir, &s.name, &self.manifest, self.force)?;
        }
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::with_capacity(staged.len());
        let outcome = self.rename_all(staged, &mut written);
        let retired = match outcome {
            Ok(()) => self.retire(stale, &written),
            Err(_) => Vec::new(),
        };
        // Save what landed even when a later file failed; if this fails too, the journal
        // remains and the next run recovers.
        let saved = self.save();
        outcome.and(saved)?;
        Ok(Report {
            written,
            recovery: std::mem::take(&mut self.recovery),
            retired,
        })
    }

    /// Delete the unedited files of the manifest that `stale` names and `written` does not.
    fn retire(&mut self, stale: &dyn Fn(&str) -> bool, written: &[Written]) -> Vec<PathBuf> {
        let names: Vec<String> = self
            .manifest
            .files
            .keys()
            .filter(|n| stale(n) && !written.iter().any(|w| w.path == self.dir.join(n)))
            .cloned()
            .collect();
        let mut retired = Vec::new();
        for name in names {
            let path = self.dir.join(&name);
            let unedited = match std::fs::read(&path) {
                Ok(bytes) => self.manifest.files.get(&name) == Some(&sha256_hex(&bytes)),
                // Gone already: only the manifest's line is left to drop.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.manifest.files.remove(&name);
                    continue;
                }
                Err(_) => false,
            };
            if unedited && std::fs::remove_file(&path).is_ok() {
                self.manifest.files.remove(&name);
                retired.push(path);
            }
        }
        retired
    }

    fn rename_all(&mut self, staged: Vec<Staged>, written: &mut Vec<Written>) -> Result<()> {
        if staged.is_empty() {
            return Ok(());
        }
        let journal_path = self.dir.join(JOURNAL);
        let mut journal = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&journal_path)
            .map_err(|e| Error::io("write", &journal_path, &e))?;
        for s in staged {
            let path = self.dir.join(&s.name);
            if let Some(mode) = check_target(&self.dir, &s.name, &self.manifest, self.force)? {
                keep_mode(&s.temp, mode).map_err(|e| Error::io("write", &path, &e))?;
            }
            let mut line = serde_json::to_vec(&JournalEntry {
                name: s.name.clone(),
                sha256: s.sha256.clone(),
            })
            .map_err(|e| Error::output(format!("failed to encode the journal ({e})")))?;
            line.push(b'\n');
            journal
                .write_all(&line)
                .map_err(|e| Error::io("write", &journal_path, &e).hint(SPACE_HINT))?;
            s.temp
                .persist(&path)
                .map_err(|e| Error::io("write", &path, &e.error))?;
            self.manifest.files.insert(s.name, s.sha256.clone());
            written.push(Written {
                path,
                sha256: s.sha256,
            });
        }
        Ok(())
    }

    /// Save the manifest, then drop the journal it now contains.
    fn save(&self) -> Result<()> {
        save_manifest(&self.dir, &self.manifest)?;
        remove_if_present(&self.dir.join(JOURNAL))
    }
}

const SPACE_HINT: &str =
    "free some disk space (or fix the folder's permissions) and run again; the next run recovers";

/// Take the folder's advisory lock, retrying until `wait` has passed. On Unix the folder itself
/// is locked, so the lock leaves no file behind.
fn lock(dir: &Path, wait: Duration) -> Result<File> {
    #[cfg(unix)]
    let (path, file) = (dir.to_path_buf(), File::open(dir));
    #[cfg(not(unix))]
    let (path, file) = {
        let path = dir.join(LOCK);
        let file = OpenOptions::new().create(true).write(true).open(&path);
        (path, file)
    };
    let file = file.map_err(|e| Error::io("open", &path, &e))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::output(format!(
                    "another congvan run is writing into {} (it holds the folder's lock); gave up after {} s",
                    dir.display(),
                    wait.as_secs()
                ))
                .hint("wait for the other run to finish and run again, or write to another folder with --out"))
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", &path, &e)),
        }
    }
}

/// Delete stale temp files, replay the journal into the manifest, save it and drop the journal.
fn recover(dir: &Path) -> Result<(Manifest, Recovery)> {
    let mut recovery = Recovery::default();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read", dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = name.starts_with(".congvan-") && ![MANIFEST, JOURNAL, LOCK].contains(&&*name);
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            remove_if_present(&entry.path())?;
            recovery.removed.push(name);
        }
    }
    recovery.removed.sort();
    let mut manifest = read_manifest(&dir.join(MANIFEST))?;
    let journal_path = dir.join(JOURNAL);
    let journal = match read_record(&journal_path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((manifest, recovery)),
        Err(e) => return Err(Error::io("read", &journal_path, &e)),
    };
    // A line cut short by a kill or a full disk does not parse: its rename never happened.
    for line in journal.split(|&b| b == b'\n') {
        let Ok(entry) = serde_json::from_slice::<JournalEntry>(line) else {
            continue;
        };
        if matches!(hash_file(&dir.join(&entry.name)), Ok(Some(h)) if h == entry.sha256)
            && manifest.files.get(&entry.name) != Some(&entry.sha256)
        {
            manifest.files.insert(entry.name.clone(), entry.sha256);
            recovery.recovered.push(entry.name);
        }
    }
    save_manifest(dir, &manifest)?;
    remove_if_present(&journal_path)?;
    Ok((manifest, recovery))
}

/// Check that `name` may be replaced: it is absent, or a regular file (or a link to one) that
/// congvan wrote and nobody changed since (any regular file when `force`). Returns the mode of
/// the existing file. A FIFO, device, socket or folder is refused without being opened.
fn check_target(dir: &Path, name: &str, manifest: &Manifest, force: bool) -> Result<Option<u32>> {
    let path = dir.join(name);
    let meta = match std::fs::metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", &path, &e)),
    };
    if !meta.is_file() {
        return Err(not_regular(&path, &meta));
    }
    let mode = file_mode(&meta);
    if force {
        return Ok(Some(mode));
    }
    let current = hash_file(&path).map_err(|e| Error::io("read", &path, &e))?;
    match (manifest.files.get(name), current) {
        (_, None) => Ok(None),
        (Some(hash), Some(current)) if *hash == current => Ok(Some(mode)),
        (Some(_), Some(_)) => Err(Error::output(format!(
            "{} was changed since congvan wrote it; not overwriting",
            path.display()
        ))
        .hint("move your edited copy elsewhere, write to another folder with --out, or pass --force to replace it")),
        (None, Some(_)) => Err(Error::output(format!(
            "{} exists and was not written by congvan; not overwriting",
            path.display()
        ))
        .hint("write to another folder with --out, or pass --force to replace it")),
    }
}

fn not_regular(path: &Path, meta: &std::fs::Metadata) -> Error {
    let kind = if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file (a FIFO, device or socket)"
    };
    Error::output(format!(
        "{} is {kind}; congvan neither reads nor replaces it",
        path.display()
    ))
    .hint("remove or rename it, or write to another folder with --out")
}

/// SHA-256 of a regular file, read in blocks (`None` when it does not exist). The file is
/// opened non-blocking and checked to be regular before any read, so a FIFO or device swapped
/// in after a check is refused, not read.
fn hash_file(path: &Path) -> std::io::Result<Option<String>> {
    let mut file = match open_regular(path, OpenOptions::new().read(true)) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(hex(&hasher.finalize())))
}

/// Open `path` without blocking on a FIFO, and fail unless it is a regular file.
fn open_regular(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    Ok(file)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, &e)),
    }
}

/// Most bytes of a manifest or journal read (20,000 letters take 3 MiB).
const MAX_RECORD: u64 = 256 * 1024 * 1024;

/// The contents of congvan's own `path` (manifest, journal): a regular file, opened without
/// blocking, read up to [`MAX_RECORD`] bytes.
fn read_record(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = open_regular(path, OpenOptions::new().read(true))?;
    let mut bytes = Vec::new();
    file.take(MAX_RECORD).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_manifest(path: &Path) -> Result<Manifest> {
    match read_record(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Error::output(format!("the manifest {} is damaged ({e})", path.display()))
                .hint("delete it; congvan will then refuse to overwrite existing drafts until you pass --force")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(Error::io("read", path, &e)),
    }
}

fn save_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| Error::output(format!("failed to encode the manifest ({e})")))?;
    write_atomic(&dir.join(MANIFEST), &json)
}

/// Write `bytes` to `path` through a temporary file in the same folder, then rename: readers
/// see the old file or the new one, never a part. (No fsync: like git and cargo, congvan
/// leaves durability across power loss to the file system; a batch writes thousands of files.)
/// A new file gets mode 0666 less the umask; a replaced one keeps its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = write_temp(dir, path, bytes)?;
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() {
            keep_mode(&temp, file_mode(&meta)).map_err(|e| Error::io("write", path, &e))?;
        }
    }
    temp.persist(path)
        .map_err(|e| Error::io("write", path, &e.error))?;
    Ok(())
}

/// A temp file in `dir` holding `bytes` (for `path`), deleted when dropped unless persisted.
fn write_temp(dir: &Path, path: &Path, bytes: &[u8]) -> Result<tempfile::TempPath> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("write in", dir, &e).hint("check that the folder is writable"))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.flush())
        .map_err(|e| Error::io("write", path, &e).hint(SPACE_HINT))?;
    Ok(tmp.into_temp_path())
}

#[cfg(unix)]
fn file_mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn file_mode(_meta: &std::fs::Metadata) -> u32 {
    0
}

#[cfg(unix)]
fn keep_mode(temp: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(temp, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn keep_mode(_temp: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
