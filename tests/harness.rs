//! Test harness: runs the real `congvan` binary in a fresh temporary folder with `NO_COLOR=1`,
//! captures stdout, stderr and the exit code, and snapshots folders to prove that a failed run
//! created or changed no file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// A run of the binary: arguments, a temporary working folder, extra environment.
pub struct Run {
    args: Vec<String>,
    dir: tempfile::TempDir,
    env: Vec<(String, String)>,
}

/// What a finished run printed and returned.
#[derive(Debug)]
pub struct Outcome {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Run {
    /// A run with a fresh empty working folder.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        Run {
            args: Vec::new(),
            dir,
            env: Vec::new(),
        }
    }

    /// A run whose working folder starts as a copy of `case` (every file, recursively).
    pub fn in_copy_of(case: &Path) -> Self {
        let run = Run::new();
        copy_tree(case, run.dir());
        run
    }

    /// The working folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the working folder.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir().join(relative)
    }

    /// Write `bytes` to `relative` inside the working folder.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, bytes).expect("write file");
        self
    }

    /// Add arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Set an environment variable for the run.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Run the binary with the arguments so far (they are kept for another run).
    pub fn run(&self) -> Outcome {
        self.run_with(&self.args)
    }

    /// Run the binary with `args` instead of the run's own (same folder and environment).
    pub fn run_with<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Outcome {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_congvan"));
        cmd.args(args)
            .current_dir(self.dir())
            .env("NO_COLOR", "1")
            .env_remove("SOURCE_DATE_EPOCH");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run congvan");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Snapshot of every file under the working folder.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(self.dir())
    }
}

/// Every file under a folder: relative path → SHA-256 of its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(pub BTreeMap<PathBuf, String>);

impl Snapshot {
    /// Walk `root` (a missing folder is empty).
    pub fn of(root: &Path) -> Self {
        let mut files = BTreeMap::new();
        walk(root, root, &mut files);
        Snapshot(files)
    }

    /// Panic with a list of differences unless `self` and `after` are identical.
    pub fn assert_unchanged(&self, after: &Snapshot, context: &str) {
        if self == after {
            return;
        }
        let mut diffs = Vec::new();
        for (p, h) in &after.0 {
            match self.0.get(p) {
                None => diffs.push(format!("created {}", p.display())),
                Some(old) if old != h => diffs.push(format!("changed {}", p.display())),
                Some(_) => {}
            }
        }
        for p in self.0.keys().filter(|p| !after.0.contains_key(*p)) {
            diffs.push(format!("deleted {}", p.display()));
        }
        panic!("files changed by a failed run: {diffs:?}\n{context}");
    }
}

fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            files.insert(rel, hash);
        }
    }
}

/// Copy every file under `from` into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read case folder").flatten() {
        let src = entry.path();
        let dst = to.join(entry.file_name());
        if src.is_dir() {
            std::fs::create_dir_all(&dst).expect("create folder");
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy file");
        }
    }
}

/// The repository's root folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run congvan in `dir` with `args` (no colour, no SOURCE_DATE_EPOCH) and return what it did.
pub fn congvan(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_congvan"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap_or_else(|e| panic!("cannot run congvan: {e}"))
}
