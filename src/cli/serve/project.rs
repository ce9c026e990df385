//! What `congvan serve` works on: the project folder (its specs and data files), the uploads
//! kept in a private temporary folder, and the letter of one form — checked, analysed, drafted.
//! No HTTP here: routes call [`Project::view`] and [`Project::files`].

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use congvan::analysis::LaggingUnit;
use congvan::commands::{self, check::CheckReport};
use congvan::diag::{Error, Result};
use congvan::input::sample;
use congvan::input::source::Source;
use congvan::input::spec::LetterSpec;
use congvan::output::Output;
use congvan::pipeline::{self, DraftOptions, Format, Letter, Prepared};
use congvan::text::numbers::{self, Whole};
use congvan::write;

/// Extensions of the data files a project lists and an upload may have.
pub const DATA_EXTENSIONS: &[&str] = &["csv", "xlsx", "json"];
/// Folders never listed: hidden ones, build output, drafts.
const SKIPPED_FOLDERS: &[&str] = &["target", "drafts", "node_modules"];
/// How deep the project folder is searched for specs and data files.
const MAX_DEPTH: usize = 4;
/// How many loaded letters (spec × data) are kept for quick re-renders.
const CACHE_SIZE: usize = 8;

/// A file of the project, shown by its path relative to the project folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative path with '/' (what the page shows).
    pub label: String,
    /// The real path (never sent to the browser).
    pub path: PathBuf,
}

/// An uploaded export, kept in the private temporary folder.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file name as the browser sent it (only the last component, for display).
    pub name: String,
    /// Where it is kept.
    pub path: PathBuf,
}

/// Which data file the letter reads as this month's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DataChoice {
    /// The one the spec names.
    #[default]
    Spec,
    /// A data file of the project, by index in [`Project::data`].
    Project(usize),
    /// An upload, by index.
    Upload(usize),
}

impl DataChoice {
    /// "", "p3", "u1" (the form's value).
    pub fn encode(self) -> String {
        match self {
            DataChoice::Spec => String::new(),
            DataChoice::Project(i) => format!("p{i}"),
            DataChoice::Upload(i) => format!("u{i}"),
        }
    }

    fn decode(s: &str) -> Option<DataChoice> {
        if s.is_empty() {
            return Some(DataChoice::Spec);
        }
        let (kind, n) = s.split_at(1);
        let n: usize = n.parse().ok()?;
        match kind {
            "p" => Some(DataChoice::Project(n)),
            "u" => Some(DataChoice::Upload(n)),
            _ => None,
        }
    }
}

/// The fields of the page's form, as the browser sent them.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// Index into [`Project::specs`].
    pub spec: usize,
    /// This month's data.
    pub data: DataChoice,
    /// Letter date (empty: the spec's, else today).
    pub date: Option<NaiveDate>,
    /// Document number.
    pub number: Option<u32>,
    /// Final (number and day filled in) rather than a draft.
    pub is_final: bool,
    /// One letter per lagging unit; `None`: decided by the spec (it uses `unit.`).
    pub each: Option<bool>,
    /// In a batch, the unit whose letter is previewed (unit id).
    pub unit: Option<String>,
    /// Values of the spec's scalar `params`, by key.
    pub params: Vec<(String, String)>,
    /// Fields that could not be read (field name, raw value), reported on the page.
    pub invalid: Vec<(&'static str, String)>,
}

impl Form {
    /// Read the form from query or body pairs; unknown keys are ignored, unreadable values are
    /// kept in `invalid` (the page says so) and left at their default.
    pub fn parse(pairs: &[(String, String)]) -> Form {
        let mut form = Form::default();
        for (key, value) in pairs {
            let value = congvan::text::nfc(value.trim()).into_owned();
            match key.as_str() {
                "spec" => match value.parse() {
                    Ok(i) => form.spec = i,
                    Err(_) => form.invalid.push(("spec", value)),
                },
                "data" => match DataChoice::decode(&value) {
                    Some(d) => form.data = d,
                    None => form.invalid.push(("data", value)),
                },
                "date" if value.is_empty() => {}
                "date" => match NaiveDate::parse_from_str(&value, "%Y-%m-%d") {
                    Ok(d) => form.date = Some(d),
                    Err(_) => form.invalid.push(("date", value)),
                },
                "number" if value.is_empty() => {}
                "number" => match value.parse::<u32>() {
                    Ok(n) if n > 0 => form.number = Some(n),
                    _ => form.invalid.push(("number", value)),
                },
                "final" => form.is_final = value == "1" || value == "on",
                "each" => form.each = Some(value == "1" || value == "on"),
                "unit" if !value.is_empty() => form.unit = Some(value),
                k => {
                    if let Some(name) = k.strip_prefix("param.") {
                        form.params.push((name.to_string(), value));
                    }
                }
            }
        }
        form
    }

    /// The form as query pairs (for links: downloads, the page after an upload).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![
            ("spec".to_string(), self.spec.to_string()),
            ("data".to_string(), self.data.encode()),
        ];
        if let Some(d) = self.date {
            out.push(("date".into(), d.format("%Y-%m-%d").to_string()));
        }
        if let Some(n) = self.number {
            out.push(("number".into(), n.to_string()));
        }
        if self.is_final {
            out.push(("final".into(), "1".into()));
        }
        if let Some(each) = self.each {
            out.push(("each".into(), if each { "1" } else { "0" }.into()));
        }
        if let Some(u) = &self.unit {
            out.push(("unit".into(), u.clone()));
        }
        for (k, v) in &self.params {
            out.push((format!("param.{k}"), v.clone()));
        }
        out
    }
}

/// One problem, ready for the page: where (relative to the project, or the upload's name) and
/// what.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Problem {
    /// File, relative to the project folder, or the uploaded file's name.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// Field, key or column.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// The offending line of the file, when known.
    pub source_line: Option<String>,
}

/// The lagging units of one indicator, for the table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LaggingTable {
    /// Indicator name (Vietnamese).
    pub name: String,
    /// Rows in the order of `congvan lagging`.
    pub rows: Vec<LaggingRow>,
}

/// One lagging unit or commune-level aggregate, numbers written the Vietnamese way.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LaggingRow {
    /// Unit name with its kind.
    pub name: String,
    /// Bloc.
    pub bloc: String,
    /// Value, e.g. "87,58".
    pub value: String,
    /// Target, or "—".
    pub target: String,
    /// Gap, or "—".
    pub gap: String,
    /// A commune-level aggregate.
    pub aggregate: bool,
}

/// An editable `params` entry of the spec.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Param {
    /// Key.
    pub key: String,
    /// Current value as text.
    pub value: String,
    /// "text", "number" or "checkbox".
    pub input: &'static str,
}

/// Everything the page shows for one form.
#[derive(Debug, Clone, serde::Serialize)]
pub struct View {
    /// Problems `check` finds, then those of this very draft (form values, rendering).
    pub problems: Vec<Problem>,
    /// What was checked and found sound.
    pub checked: Vec<String>,
    /// What the reader should look at although the letter can be drafted (a unit with no value
    /// this month that had one last month …), as `check` prints them.
    pub warnings: Vec<String>,
    /// Lagging units per indicator.
    pub lagging: Vec<LaggingTable>,
    /// The letter as HTML (write::html), when it could be drafted.
    pub preview: Option<String>,
    /// The letter date used (YYYY-MM-DD), for the form.
    pub date: String,
    /// The number used, for the form.
    pub number: String,
    /// Whether the letter is a batch (one per lagging unit).
    pub each: bool,
    /// In a batch: the lagging units (value: id, label: name) to choose the previewed one from.
    pub units: Vec<Choice>,
    /// The unit previewed.
    pub unit: Option<String>,
    /// The spec's editable params.
    pub params: Vec<Param>,
    /// Downloads (value: "docx", "md" or "zip"; label: the file name).
    pub downloads: Vec<Choice>,
}

/// A value and what the page shows for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Choice {
    /// The form's value.
    pub value: String,
    /// The text shown.
    pub label: String,
}

/// A letter loaded once per (spec, data, batch): the spec, its loaded data and template, and
/// what check found. Field changes re-render from here without reading anything.
struct Loaded {
    spec: Option<LetterSpec>,
    prepared: Option<Prepared>,
    report: CheckReport,
    units: Vec<LaggingUnit>,
    lagging: Vec<LaggingTable>,
    batch_spec: bool,
}

/// What a [`Loaded`] depends on: the spec (index), the data file and the batch choice.
type LoadKey = (usize, DataChoice, Option<bool>);

/// The project the server works on.
pub struct Project {
    root: PathBuf,
    /// The shipped sample written out (no project folder given); removed on exit.
    _sample: Option<tempfile::TempDir>,
    /// Private folder for uploads (mode 0700), removed on exit.
    uploads_dir: tempfile::TempDir,
    /// Letter specs (TOML files with a `template` key), sorted by label.
    pub specs: Vec<Entry>,
    /// Data files (CSV, XLSX, JSON), sorted by label.
    pub data: Vec<Entry>,
    /// The spec shown first.
    pub default_spec: usize,
    uploads: Mutex<Vec<Upload>>,
    cache: Mutex<HashMap<LoadKey, Arc<Loaded>>>,
    today: NaiveDate,
}

impl Project {
    /// Open `dir` (a folder made by `congvan init`), or the shipped sample written to a private
    /// temporary folder. Errors: the folder cannot be read, or holds no letter spec.
    pub fn open(dir: Option<&Path>, today: NaiveDate) -> Result<Project> {
        let (root, sample) = match dir {
            Some(d) => {
                let root = d.canonicalize().map_err(|e| {
                    Error::io("open", d, &e).hint("give a folder made by `congvan init DIR`")
                })?;
                (root, None)
            }
            None => {
                let tmp = private_tempdir()?;
                for (p, bytes) in sample::FILES {
                    let path = tmp.path().join(p);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)
                            .map_err(|e| Error::io("create", parent, &e))?;
                    }
                    std::fs::write(&path, bytes).map_err(|e| Error::io("write", &path, &e))?;
                }
                (tmp.path().to_path_buf(), Some(tmp))
            }
        };
        let mut files = Vec::new();
        walk(&root, 0, &mut files);
        let entry = |path: &PathBuf| Entry {
            label: path
                .strip_prefix(&root)
                .unwrap_or(path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            path: path.clone(),
        };
        let mut specs: Vec<Entry> = files.iter().filter(|p| is_spec(p)).map(entry).collect();
        // A registry or a task table a spec names is no month's export: not offered as one.
        let not_values: Vec<PathBuf> = specs
            .iter()
            .filter_map(|s| LetterSpec::load(Source::Disk, &s.path).ok())
            .flat_map(|spec| {
                let d = &spec.fields.data;
                d.registry
                    .iter()
                    .map(|p| spec.resolve(p))
                    .chain(d.tables.values().map(|t| spec.resolve(t.path())))
                    .collect::<Vec<_>>()
            })
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        let mut data: Vec<Entry> = files
            .iter()
            .filter(|p| extension(p).is_some_and(|e| DATA_EXTENSIONS.contains(&e.as_str())))
            .filter(|p| p.canonicalize().map_or(true, |c| !not_values.contains(&c)))
            .map(entry)
            .collect();
        specs.sort_by(|a, b| a.label.cmp(&b.label));
        data.sort_by(|a, b| a.label.cmp(&b.label));
        if specs.is_empty() {
            return Err(Error::input(format!(
                "{} holds no letter spec (a .toml file with template = …)",
                root.display()
            ))
            .hint("run `congvan init DIR` for a project to start from, then `congvan serve DIR`"));
        }
        let default_spec = specs
            .iter()
            .position(|s| s.label == sample::DEFAULT_SPEC)
            .unwrap_or(0);
        Ok(Project {
            root,
            _sample: sample,
            uploads_dir: private_tempdir()?,
            specs,
            data,
            default_spec,
            uploads: Mutex::default(),
            cache: Mutex::default(),
            today,
        })
    }

    /// The uploads so far, in order (index = the form's `u<N>`).
    pub fn uploads(&self) -> Vec<Upload> {
        self.uploads.lock().map(|u| u.clone()).unwrap_or_default()
    }

    /// Keep an uploaded export; returns its index. The name is only for display: the file is
    /// stored as `<index>.<ext>` in the private folder. Errors: no or unknown extension.
    pub fn add_upload(&self, name: &str, bytes: &[u8]) -> std::result::Result<usize, UploadError> {
        let name = display_name(name);
        let ext = extension(Path::new(&name))
            .filter(|e| DATA_EXTENSIONS.contains(&e.as_str()))
            .ok_or(UploadError::Extension)?;
        let mut uploads = self.uploads.lock().map_err(|_| UploadError::Store)?;
        let index = uploads.len();
        let path = self.uploads_dir.path().join(format!("{index}.{ext}"));
        std::fs::File::create_new(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|_| UploadError::Store)?;
        uploads.push(Upload { name, path });
        Ok(index)
    }

    /// Everything the page shows for `form`.
    pub fn view(&self, form: &Form) -> View {
        let loaded = self.loaded(form);
        let mut problems: Vec<Problem> = loaded
            .report
            .problems
            .iter()
            .map(|e| self.problem(e))
            .collect();
        for (field, value) in &form.invalid {
            problems.push(Problem {
                file: None,
                line: None,
                column: None,
                field: Some((*field).to_string()),
                message: format!("cannot read \"{value}\""),
                hint: None,
                source_line: None,
            });
        }
        let each = form.each.unwrap_or(loaded.batch_spec);
        let unit = if each {
            form.unit
                .clone()
                .filter(|u| loaded.units.iter().any(|l| &l.unit.id == u))
                .or_else(|| loaded.units.first().map(|u| u.unit.id.clone()))
        } else {
            None
        };
        let mut view = View {
            problems,
            checked: loaded.report.checked.clone(),
            warnings: loaded
                .report
                .warnings
                .iter()
                .map(|w| self.without_private_paths(w))
                .collect(),
            lagging: loaded.lagging.clone(),
            preview: None,
            date: String::new(),
            number: form.number.map(|n| n.to_string()).unwrap_or_default(),
            each,
            units: loaded
                .units
                .iter()
                .map(|u| Choice {
                    value: u.unit.id.clone(),
                    label: u.unit.full_name.clone(),
                })
                .collect(),
            unit: unit.clone(),
            params: Vec::new(),
            downloads: Vec::new(),
        };
        let Some(spec) = &loaded.spec else {
            return view;
        };
        view.params = params(spec, form);
        let options = self.options(form);
        view.date = pipeline::letter_date(spec, &options)
            .format("%Y-%m-%d")
            .to_string();
        if view.number.is_empty() {
            if let Some(n) = &spec.fields.document.number {
                view.number = n.get_ref().to_string();
            }
        }
        match self.letter(&loaded, form, unit.as_deref()) {
            Ok(letter) => {
                view.preview = Some(write::html::write(&letter.document));
                for f in [Format::Docx, Format::Md] {
                    view.downloads.push(Choice {
                        value: f.extension().into(),
                        label: format!("{}.{}", letter.stem, f.extension()),
                    });
                }
                // A batch, or a letter whose .md links chart images: every file in one zip.
                if (each && !loaded.units.is_empty()) || !letter.document.images().is_empty() {
                    view.downloads.push(Choice {
                        value: "zip".into(),
                        label: format!("{}.zip", spec.output_stem()),
                    });
                }
            }
            Err(e) => {
                // Drafting fails on what check already reported, or on this form's values.
                let problem = self.problem(&e);
                if !view.problems.contains(&problem) {
                    view.problems.push(problem);
                }
            }
        }
        view
    }

    /// The file of one download: `kind` "docx", "md" (the letter of the form, in a batch the
    /// previewed unit's) or "zip" (every letter of the batch, or the one letter, .docx and .md
    /// with the PNG files of its charts). The bytes are
    /// those `congvan draft` writes for the same inputs. Errors: as the preview's, with the
    /// file name and bytes otherwise.
    pub fn files(&self, form: &Form, kind: &str) -> std::result::Result<Output, Box<Problem>> {
        self.try_files(form, kind).map_err(Box::new)
    }

    #[allow(clippy::result_large_err)] // a private step of `files`, which boxes the problem
    fn try_files(&self, form: &Form, kind: &str) -> std::result::Result<Output, Problem> {
        let loaded = self.loaded(form);
        let Some(spec) = &loaded.spec else {
            return Err(loaded
                .report
                .problems
                .first()
                .map(|e| self.problem(e))
                .unwrap_or_else(|| self.problem(&Error::input("the spec cannot be read"))));
        };
        let spec = with_params(spec, form).map_err(|e| self.problem(&e))?;
        let prepared = self
            .prepared(&loaded, &spec, form)
            .map_err(|e| self.problem(&e))?;
        let each = form.each.unwrap_or(loaded.batch_spec);
        let letters: Vec<Letter> = if each {
            pipeline::batch::letters(&spec, &prepared, &loaded.units, &|| ())
                .map_err(|e| self.problem(&e))?
        } else {
            vec![prepared.letter(&spec, None).map_err(|e| self.problem(&e))?]
        };
        let picked = |letters: &[Letter]| -> Option<usize> {
            if !each {
                return Some(0);
            }
            let wanted = form.unit.as_deref();
            match wanted {
                Some(id) => loaded.units.iter().position(|u| u.unit.id == id),
                None => (!letters.is_empty()).then_some(0),
            }
        };
        #[allow(clippy::result_large_err)]
        let one = |format: Format| -> std::result::Result<Output, Problem> {
            let i = picked(&letters).ok_or_else(|| {
                self.problem(&Error::input("no unit is below target; no letter to write"))
            })?;
            let mut files =
                pipeline::outputs(&letters[i], &[format], None).map_err(|e| self.problem(&e))?;
            Ok(files.remove(0))
        };
        match kind {
            "docx" => one(Format::Docx),
            "md" => one(Format::Md),
            "zip" => {
                let mut files = Vec::new();
                for letter in &letters {
                    files.extend(
                        pipeline::outputs(letter, &[Format::Docx, Format::Md], None)
                            .map_err(|e| self.problem(&e))?,
                    );
                }
                Ok(Output {
                    name: format!("{}.zip", spec.output_stem()),
                    bytes: zip_files(&files).map_err(|e| self.problem(&e))?,
                })
            }
            _ => Err(self.problem(&Error::input(format!("unknown download \"{kind}\"")))),
        }
    }

    /// The spec, data and template of `form`, loaded once and cached.
    fn loaded(&self, form: &Form) -> Arc<Loaded> {
        let key = (form.spec, form.data, form.each);
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let loaded = Arc::new(self.load(form));
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_SIZE {
                cache.clear();
            }
            cache.insert(key, Arc::clone(&loaded));
        }
        loaded
    }

    fn load(&self, form: &Form) -> Loaded {
        let failed = |e: Error| Loaded {
            spec: None,
            prepared: None,
            report: CheckReport {
                problems: vec![e],
                ..CheckReport::default()
            },
            units: Vec::new(),
            lagging: Vec::new(),
            batch_spec: false,
        };
        let Some(entry) = self.specs.get(form.spec) else {
            return failed(Error::input(format!(
                "there is no letter number {}",
                form.spec
            )));
        };
        let mut spec = match LetterSpec::load_all(Source::Disk, &entry.path) {
            Ok(spec) => spec,
            Err(errors) => {
                return Loaded {
                    report: CheckReport {
                        problems: errors.0,
                        ..CheckReport::default()
                    },
                    ..failed(Error::input(""))
                }
            }
        };
        match form.data {
            DataChoice::Spec => {}
            DataChoice::Project(i) => match self.data.get(i) {
                Some(d) => spec.fields.data.values = Some(d.path.clone()),
                None => return failed(Error::input(format!("there is no data file number {i}"))),
            },
            DataChoice::Upload(i) => match self.uploads().get(i) {
                Some(u) => spec.fields.data.values = Some(u.path.clone()),
                None => return failed(Error::input(format!("there is no upload number {i}"))),
            },
        }
        let template = spec
            .source
            .read_text(&spec.template_path())
            .unwrap_or_default();
        let batch_spec = spec.text.contains("unit.") || template.contains("unit.");
        let each = form.each.unwrap_or(batch_spec);
        let options = self.options(&Form::default());
        let report = commands::check::check_spec(&spec, &options, each);
        let prepared = Prepared::new(&spec, &options).ok();
        let (units, lagging) = match &prepared {
            Some(p) => (p.facts().lagging_units(), lagging_tables(p.facts())),
            None => (Vec::new(), Vec::new()),
        };
        Loaded {
            spec: Some(spec),
            prepared,
            report,
            units,
            lagging,
            batch_spec,
        }
    }

    fn options(&self, form: &Form) -> DraftOptions {
        DraftOptions {
            is_final: form.is_final,
            date: form.date,
            number: form.number,
            today: self.today,
            strict: false,
        }
    }

    fn prepared(&self, loaded: &Loaded, spec: &LetterSpec, form: &Form) -> Result<Prepared> {
        match &loaded.prepared {
            Some(p) => p.renew(spec, &self.options(form)),
            None => Prepared::new(spec, &self.options(form)),
        }
    }

    /// The letter of `form` (in a batch, the one to `unit`), from the loaded data.
    fn letter(&self, loaded: &Loaded, form: &Form, unit: Option<&str>) -> Result<Letter> {
        let spec = loaded
            .spec
            .as_ref()
            .ok_or_else(|| Error::input("the spec cannot be read"))?;
        let spec = with_params(spec, form)?;
        let prepared = self.prepared(loaded, &spec, form)?;
        let unit = unit.and_then(|id| loaded.units.iter().find(|u| u.unit.id == id));
        prepared.letter(&spec, unit)
    }

    /// An error for the page: paths relative to the project, an upload by its name.
    fn problem(&self, e: &Error) -> Problem {
        let loc = e.location.as_deref();
        let file = loc.map(|l| self.label(&l.file)).filter(|f| !f.is_empty());
        // Messages may name paths too (a failed read): never show the private folders.
        let message = self.without_private_paths(&e.message);
        Problem {
            file,
            line: loc.and_then(|l| l.line),
            column: loc.and_then(|l| l.column),
            field: loc.and_then(|l| l.field.clone()),
            message,
            hint: e.hint.clone(),
            source_line: loc.and_then(|l| l.source_line.clone()),
        }
    }

    /// `text` with every upload's private path replaced by its name, and the project's folder
    /// left out of paths under it.
    fn without_private_paths(&self, text: &str) -> String {
        let mut text = text.to_string();
        for (path, label) in self.path_labels() {
            text = text.replace(&path, &label);
        }
        text
    }

    fn path_labels(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .uploads()
            .into_iter()
            .map(|u| (u.path.display().to_string(), u.name))
            .collect();
        out.push((format!("{}/", self.root.display()), String::new()));
        out.push((self.root.display().to_string(), ".".into()));
        out
    }

    fn label(&self, path: &Path) -> String {
        if let Some(u) = self.uploads().into_iter().find(|u| u.path == path) {
            return u.name;
        }
        let path = congvan::input::source::normalize(path);
        path.strip_prefix(&self.root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned()
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// Not .csv, .xlsx or .json.
    Extension,
    /// The private folder could not take it.
    Store,
}

/// `spec` with the form's `params` values (typed as in the spec); the rest unchanged.
fn with_params(spec: &LetterSpec, form: &Form) -> Result<LetterSpec> {
    let mut spec = spec.clone();
    for (key, raw) in &form.params {
        let Some(old) = spec.fields.params.get(key) else {
            continue;
        };
        let new = match old {
            toml::Value::String(_) => toml::Value::String(raw.clone()),
            toml::Value::Integer(_) => raw.parse().map(toml::Value::Integer).map_err(|_| {
                Error::input(format!(
                    "params.{key} must be a whole number, not \"{raw}\""
                ))
                .field(format!("params.{key}"))
            })?,
            toml::Value::Float(_) => decimal(raw).map(toml::Value::Float).ok_or_else(|| {
                Error::input(format!("params.{key} must be a number, not \"{raw}\""))
                    .field(format!("params.{key}"))
                    .hint("write it with one decimal mark and no thousands mark, e.g. 92,5")
            })?,
            toml::Value::Boolean(_) => toml::Value::Boolean(raw == "1" || raw == "on"),
            _ => continue,
        };
        spec.fields.params.insert(key.clone(), new);
    }
    Ok(spec)
}

/// A decimal typed in the form: one decimal mark, a comma or a point, and no thousands mark
/// ("92,5", "92.5", "90"). "1.234" would be 1,234 to one reader and 1234 to another, so a
/// number with both marks, or a mark twice, is refused rather than guessed.
fn decimal(raw: &str) -> Option<f64> {
    let marks = raw.matches([',', '.']).count();
    if marks > 1 {
        return None;
    }
    raw.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The spec's scalar params, with the form's values where given.
fn params(spec: &LetterSpec, form: &Form) -> Vec<Param> {
    spec.fields
        .params
        .iter()
        .filter_map(|(key, value)| {
            let given = form
                .params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            let (text, input) = match value {
                toml::Value::String(s) => (s.clone(), "text"),
                toml::Value::Integer(i) => (i.to_string(), "number"),
                toml::Value::Float(f) => (f.to_string().replace('.', ","), "text"),
                toml::Value::Boolean(b) => ((if *b { "1" } else { "" }).to_string(), "checkbox"),
                _ => return None,
            };
            Some(Param {
                key: key.clone(),
                value: given.unwrap_or(text),
                input,
            })
        })
        .collect()
}

/// The lagging units per indicator, as `congvan lagging` lists them.
fn lagging_tables(facts: &congvan::analysis::Facts) -> Vec<LaggingTable> {
    let rows = commands::lagging::rows(facts);
    let pct =
        |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| numbers::decimal(v, 2, Whole::Keep));
    facts
        .indicators
        .iter()
        .map(|ind| LaggingTable {
            name: ind.name.clone(),
            rows: rows
                .iter()
                .filter(|r| r.indicator == ind.key)
                .map(|r| LaggingRow {
                    name: r.full_name.clone(),
                    bloc: r.bloc.clone(),
                    value: pct(Some(r.value)),
                    target: pct(r.target),
                    gap: pct(r.gap),
                    aggregate: r.aggregate,
                })
                .collect(),
        })
        .collect()
}

/// A zip of `files` in order, with fixed timestamps (the same bytes on every run).
fn zip_files(files: &[Output]) -> Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let failed =
        |e: &dyn std::fmt::Display| Error::output(format!("failed to build the zip ({e})"));
    for f in files {
        zip.start_file(f.name.as_str(), options)
            .map_err(|e| failed(&e))?;
        zip.write_all(&f.bytes).map_err(|e| failed(&e))?;
    }
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}

/// A temporary folder only this user can read (tempfile creates it 0700 on Unix).
fn private_tempdir() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("congvan-serve-")
        .tempdir()
        .map_err(|e| Error::output(format!("failed to create a temporary folder ({e})")))
}

/// The last component of a name the browser sent, NFC, without control characters.
fn display_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = congvan::text::nfc(last)
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    if clean.is_empty() {
        "upload".into()
    } else {
        clean
    }
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Whether `path` is a letter spec: a TOML file with a top-level `template` string.
fn is_spec(path: &Path) -> bool {
    extension(path).as_deref() == Some("toml")
        && std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .is_some_and(|t| t.get("template").is_some_and(toml::Value::is_str))
}

/// Files under `dir`, skipping hidden and build folders, at most [`MAX_DEPTH`] deep.
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() && depth < MAX_DEPTH && !SKIPPED_FOLDERS.contains(&name.as_str()) {
            walk(&path, depth + 1, out);
        } else if kind.is_file() {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_round_trips_and_reports_bad_fields() {
        let pairs: Vec<(String, String)> = [
            ("spec", "2"),
            ("data", "u1"),
            ("date", "2024-08-05"),
            ("number", "461"),
            ("final", "1"),
            ("param.thang", "7"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let form = Form::parse(&pairs);
        assert_eq!(form.data, DataChoice::Upload(1));
        assert_eq!(Form::parse(&form.pairs()).pairs(), form.pairs());
        let bad = Form::parse(&[
            ("date".into(), "5/8/2024".into()),
            ("number".into(), "0".into()),
        ]);
        assert_eq!(bad.invalid.len(), 2);
        assert_eq!(bad.date, None);
    }

    #[test]
    fn decimals_take_one_mark_and_refuse_ambiguity() {
        assert_eq!(decimal("92,5"), Some(92.5));
        assert_eq!(decimal("92.5"), Some(92.5));
        assert_eq!(decimal("90"), Some(90.0));
        assert_eq!(decimal("1.234,5"), None);
        assert_eq!(decimal("1,234,5"), None);
        assert_eq!(decimal("abc"), None);
        assert_eq!(decimal("inf"), None);
    }

    #[test]
    fn upload_names_are_only_shown() {
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("C:\\x\\2024-07.csv"), "2024-07.csv");
        assert_eq!(display_name(""), "upload");
    }
}
