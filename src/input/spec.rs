//! The letter spec: a TOML file naming the issuing body, the document, recipients, signer,
//! template, data files and layout. Strict: unknown keys and out-of-range values are errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Error, Errors, Result};
use crate::input::source::{self, Source};
use crate::text;

/// A parsed letter spec, with the path it came from.
#[derive(Debug, Clone)]
pub struct LetterSpec {
    /// The spec file as the user named it.
    pub path: PathBuf,
    /// The spec's text (NFC), for pointing at lines in later errors.
    pub text: String,
    /// Where the spec and every file it names are read from.
    pub source: Source,
    /// The parsed fields.
    pub fields: SpecFields,
}

/// The TOML document of a spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SpecFields {
    /// The body template (Tera + Markdown), relative to the spec file.
    pub template: Spanned<PathBuf>,
    /// Output file name without extension; default: the spec file's stem.
    #[serde(default)]
    pub output: Option<String>,
    /// The issuing body (ô 2, ô 4).
    pub issuer: Issuer,
    /// Kind, number, date and subject (ô 3, ô 4, ô 5).
    pub document: DocumentFields,
    /// Kính gửi (ô 9a): one recipient or group per entry.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Nơi nhận (ô 9b), without the leading dash or final punctuation.
    #[serde(default)]
    pub copies: Vec<String>,
    /// The "Lưu:" entry, e.g. "VT, KSTTHC5".
    #[serde(default)]
    pub archive: Option<String>,
    /// The signature block (ô 7).
    pub signer: Signer,
    /// A second signature block for a joint document (văn bản liên tịch): printed on the left,
    /// beside the lead body's on the right, with Nơi nhận below.
    #[serde(default)]
    pub co_signer: Option<Signer>,
    /// Data files for the analysis.
    #[serde(default)]
    pub data: DataFiles,
    /// Page geometry and type sizes.
    #[serde(default)]
    pub layout: LayoutFields,
    /// Free values handed to the template as `params`.
    #[serde(default)]
    pub params: BTreeMap<String, toml::Value>,
    /// Kinds and blocs added to (or replacing) the compiled-in vocabulary.
    #[serde(default)]
    pub vocabulary: VocabularyFields,
}

/// `[vocabulary]`: a file in the format of `data/vocabulary.toml`, and/or entries inline.
///
/// ```toml
/// [vocabulary]
/// file = "vocabulary.toml"            # optional, relative to the spec
/// blocs = [{ label = "Khối sở, ngành", codes = ["SN"] }]
/// kinds = [{ word = "chi cục", codes = ["chi-cuc"], level = "agency", local = false, bloc = "SN" }]
/// columns = { name = ["Tên cơ quan, địa phương"] }   # added to data/vocabulary.toml [columns]
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VocabularyFields {
    /// A vocabulary file, relative to the spec.
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// Kinds written inline (applied after the file).
    #[serde(default)]
    pub kinds: Vec<crate::vocab::vocabulary::Kind>,
    /// Blocs written inline (applied after the file).
    #[serde(default)]
    pub blocs: Vec<crate::vocab::vocabulary::Bloc>,
    /// Column names of values files written inline, added to the built-in ones.
    #[serde(default)]
    pub columns: crate::vocab::vocabulary::Columns,
}

impl VocabularyFields {
    /// The inline kinds and blocs.
    pub fn inline(&self) -> crate::vocab::vocabulary::Additions {
        crate::vocab::vocabulary::Additions {
            kinds: self.kinds.clone(),
            blocs: self.blocs.clone(),
            columns: self.columns.clone(),
        }
    }
}

/// Tên cơ quan chủ quản and ban hành, and the place name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Issuer {
    /// Cơ quan chủ quản; a string, or one string per printed line. Printed in upper case.
    #[serde(default)]
    pub parent: Option<Lines>,
    /// Cơ quan ban hành; a string, or one string per printed line. Printed in upper case.
    pub name: Lines,
    /// Địa danh of the date line, e.g. "Hải Phòng".
    pub place: String,
}

/// A string, or a list of strings each printed on its own line.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Lines {
    /// One line.
    One(String),
    /// Several lines.
    Many(Vec<String>),
}

impl Lines {
    /// The lines, NFC.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Lines::One(s) => vec![text::nfc_string(s)],
            Lines::Many(v) => v.iter().map(|s| text::nfc_string(s)).collect(),
        }
    }
}

/// The document's own identity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DocumentFields {
    /// "cong-van", "thong-bao", "ke-hoach" … (see data/nd30.toml).
    pub kind: Spanned<String>,
    /// Ký hiệu without the number. Công văn: "VP-KSTTHC"; typed: the agency part ("UBND"),
    /// the type abbreviation is prefixed ("TB-UBND").
    pub symbol: String,
    /// Số; blank in a draft unless given here or with `--number`.
    #[serde(default)]
    pub number: Option<Spanned<u32>>,
    /// The letter date; `--date` overrides.
    #[serde(default)]
    pub date: Option<Spanned<DateField>>,
    /// Trích yếu, without "V/v".
    pub subject: String,
    /// In a draft, leave the month of the header date blank too ("ngày      tháng      năm
    /// 2024", as seed 000's draft); a final document always prints day and month.
    #[serde(default)]
    pub blank_month: bool,
}

/// A date written as a TOML date or as a "YYYY-MM-DD" string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DateField {
    /// `date = 2024-08-05`
    Toml(toml::value::Datetime),
    /// `date = "2024-08-05"`
    Text(String),
}

/// Ô 7: quyền hạn, chức vụ and name of the signer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Signer {
    /// "TM.", "KT.", "TL.", "TUQ.", "Q." or absent.
    #[serde(default)]
    pub authority: Option<Spanned<String>>,
    /// What the authority prefix applies to: "Ủy ban nhân dân", "Chủ tịch", "Giám đốc".
    #[serde(default)]
    pub on_behalf_of: Option<String>,
    /// Chức vụ lines under the authority line, e.g. "Chánh Văn phòng".
    #[serde(default)]
    pub title: Option<Lines>,
    /// Họ và tên, normal case.
    #[serde(default)]
    pub name: String,
}

/// Data files for the analysis; paths relative to the spec file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataFiles {
    /// Unit registry (CSV).
    #[serde(default)]
    pub registry: Option<PathBuf>,
    /// Indicator values for the month (CSV, XLSX or JSON).
    #[serde(default)]
    pub values: Option<PathBuf>,
    /// Sheet of an XLSX `values` file; default the first.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Targets (TOML).
    #[serde(default)]
    pub targets: Option<PathBuf>,
    /// Indicator catalogue (TOML); default the built-in 766 catalogue.
    #[serde(default)]
    pub indicators: Option<PathBuf>,
    /// Holiday calendar (TOML); default the built-in one.
    #[serde(default)]
    pub holidays: Option<PathBuf>,
    /// The previous month's values, for comparisons and `congvan diff`.
    #[serde(default)]
    pub previous: Option<PathBuf>,
    /// The office's own indicator names (`[data.indicator-names]`): name as printed in its
    /// files → key, QĐ 766 number or name of a catalogue indicator.
    #[serde(default)]
    pub indicator_names: std::collections::BTreeMap<String, String>,
    /// Tables a template loops over, by name: `nhiem_vu = "tasks.xlsx"` or
    /// `nhiem_vu = { file = "tasks.xlsx", sheet = "Kế hoạch" }` (CSV or XLSX).
    #[serde(default)]
    pub tables: std::collections::BTreeMap<String, TableFile>,
}

/// A file named in `[data.tables]`: a path, or a path and its XLSX sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TableFile {
    /// Just the path (the first sheet of an XLSX).
    Path(PathBuf),
    /// The path and the sheet.
    Sheet {
        /// The file.
        file: PathBuf,
        /// The sheet of an XLSX file.
        sheet: Option<String>,
    },
}

impl TableFile {
    /// The file, as written in the spec.
    pub fn path(&self) -> &std::path::Path {
        match self {
            TableFile::Path(p) | TableFile::Sheet { file: p, .. } => p,
        }
    }
    /// The sheet, if named.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            TableFile::Path(_) => None,
            TableFile::Sheet { sheet, .. } => sheet.as_deref(),
        }
    }
}

/// Page layout settings, each within the decree's ranges.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LayoutFields {
    /// Margins in millimetres.
    #[serde(default = "default_margins")]
    pub margins: Spanned<MarginFields>,
    /// Size profile, 13 or 14.
    #[serde(default = "default_profile")]
    pub profile: Spanned<u8>,
    /// First-line indent in cm: 1.0 or 1.27.
    #[serde(default = "default_indent")]
    pub first_line_indent: Spanned<f32>,
    /// Line spacing, 1.0 to 1.5.
    #[serde(default = "default_line_spacing")]
    pub line_spacing: Spanned<f32>,
    /// Space before paragraphs in points, at least 6.
    #[serde(default = "default_paragraph_spacing")]
    pub paragraph_spacing: Spanned<f32>,
}

/// Margins in millimetres.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarginFields {
    /// 20–25.
    pub top: f32,
    /// 20–25.
    pub bottom: f32,
    /// 30–35.
    pub left: f32,
    /// 15–20.
    pub right: f32,
}

impl Default for MarginFields {
    fn default() -> Self {
        MarginFields {
            top: 20.0,
            bottom: 20.0,
            left: 30.0,
            right: 15.0,
        }
    }
}

impl Default for LayoutFields {
    fn default() -> Self {
        LayoutFields {
            margins: default_margins(),
            profile: default_profile(),
            first_line_indent: default_indent(),
            line_spacing: default_line_spacing(),
            paragraph_spacing: default_paragraph_spacing(),
        }
    }
}

fn default_margins() -> Spanned<MarginFields> {
    Spanned::new(0..0, MarginFields::default())
}
fn default_profile() -> Spanned<u8> {
    Spanned::new(0..0, 14)
}
fn default_indent() -> Spanned<f32> {
    Spanned::new(0..0, 1.0)
}
fn default_line_spacing() -> Spanned<f32> {
    Spanned::new(0..0, 1.0)
}
fn default_paragraph_spacing() -> Spanned<f32> {
    Spanned::new(0..0, 6.0)
}

/// Every key a spec may have and the table it belongs in, for "did you mean" hints.
const KNOWN_KEYS: &[(&str, &str)] = &[
    ("template", TOP),
    ("output", TOP),
    ("recipients", TOP),
    ("copies", TOP),
    ("archive", TOP),
    ("issuer", TOP),
    ("document", TOP),
    ("signer", TOP),
    ("co-signer", TOP),
    ("data", TOP),
    ("layout", TOP),
    ("params", TOP),
    ("parent", "[issuer]"),
    ("name", "[issuer] or [signer]"),
    ("place", "[issuer]"),
    ("kind", "[document]"),
    ("symbol", "[document]"),
    ("number", "[document]"),
    ("date", "[document]"),
    ("subject", "[document]"),
    ("authority", "[signer]"),
    ("on-behalf-of", "[signer]"),
    ("title", "[signer]"),
    ("registry", "[data]"),
    ("values", "[data]"),
    ("sheet", "[data]"),
    ("targets", "[data]"),
    ("indicators", "[data]"),
    ("holidays", "[data]"),
    ("previous", "[data]"),
    ("indicator-names", "[data]"),
    ("tables", "[data]"),
    ("margins", "[layout]"),
    ("profile", "[layout]"),
    ("first-line-indent", "[layout]"),
    ("line-spacing", "[layout]"),
    ("paragraph-spacing", "[layout]"),
    ("top", "[layout] margins"),
    ("bottom", "[layout] margins"),
    ("left", "[layout] margins"),
    ("right", "[layout] margins"),
];

const TOP: &str = "the top level, above the first [table] header";

/// The hint for an unknown key: where it belongs if it is a key of another table, or the
/// closest known key.
fn unknown_key_hint(key: &str) -> String {
    if let Some((_, table)) = KNOWN_KEYS.iter().find(|(k, _)| *k == key) {
        return format!("`{key}` belongs in {table}");
    }
    let names: Vec<&str> = KNOWN_KEYS.iter().map(|(k, _)| *k).collect();
    match text::closest(key, &names) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "remove the key; the README lists every spec key".to_string(),
    }
}

impl LetterSpec {
    /// Read and validate the spec at `path` in `source`; the first problem is the error.
    pub fn load(source: Source, path: &Path) -> Result<LetterSpec> {
        Self::load_all(source, path).map_err(|errors| {
            errors
                .0
                .into_iter()
                .next()
                .unwrap_or_else(|| Error::input("invalid spec").in_file(path))
        })
    }

    /// Read and validate the spec at `path` in `source`, reporting every problem found.
    pub fn load_all(source: Source, path: &Path) -> std::result::Result<LetterSpec, Errors> {
        let text = source.read_text(path)?;
        if text.trim().is_empty() {
            return Err(Error::input("the spec is empty")
                .in_file(path)
                .hint("a spec needs at least template, [issuer], [document] and [signer]; run `congvan init DIR` for a sample spec to start from")
                .into());
        }
        let fields: SpecFields =
            toml::from_str(&text).map_err(|e| Errors::from(toml_error(&e, &text, path)))?;
        let spec = LetterSpec {
            path: path.to_path_buf(),
            text,
            source,
            fields,
        };
        let problems = spec.problems();
        if problems.is_empty() {
            Ok(spec)
        } else {
            Err(Errors(problems))
        }
    }

    /// A path named in the spec, resolved against the spec's folder.
    pub fn resolve(&self, relative: &Path) -> PathBuf {
        source::resolve(&self.path, relative)
    }

    /// The body template's path.
    pub fn template_path(&self) -> PathBuf {
        self.resolve(self.fields.template.get_ref())
    }

    /// The letter date written in the spec, if any (already validated).
    pub fn date(&self) -> Option<NaiveDate> {
        let d = self.fields.document.date.as_ref()?;
        parse_date(d.get_ref()).ok()
    }

    /// Output file stem: `output`, or the spec file's stem.
    pub fn output_stem(&self) -> String {
        match &self.fields.output {
            Some(s) => s.clone(),
            None => self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "letter".to_string()),
        }
    }

    /// An error pointing at the byte range `span` of the spec.
    pub fn error_at(&self, span: std::ops::Range<usize>, field: &str, message: String) -> Error {
        located(Error::input(message), &self.text, &self.path, span).field(field)
    }

    /// Every problem in the spec's values (the TOML already parsed).
    fn problems(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        let f = &self.fields;
        let nd30 = crate::vocab::nd30::wording();
        if nd30.kind(f.document.kind.get_ref()).is_none() {
            let names: Vec<&str> = nd30.kinds.iter().map(|k| k.kind.as_str()).collect();
            let mut e = self.error_at(
                f.document.kind.span(),
                "document.kind",
                format!("unknown document kind \"{}\"", f.document.kind.get_ref()),
            );
            e = e.hint(match text::closest(f.document.kind.get_ref(), &names) {
                Some(s) => format!("did you mean \"{s}\"? known kinds: {}", names.join(", ")),
                None => format!("known kinds: {}", names.join(", ")),
            });
            problems.push(e);
        }
        // "Lưu: VT" typed among the copies prints a second "Lưu:" line under Nơi nhận.
        let label = nd30.archive_label.trim_end_matches(':').trim();
        let fold = crate::text::names::fold;
        // What comes before the entry's colon, folded, against the label ("Lưu trữ lịch sử
        // tỉnh", with no colon, is a recipient).
        let head_rest = |c: &str| match c.split_once(':') {
            Some((head, rest)) => (fold(head.trim()), rest.trim().to_string()),
            None => (String::new(), String::new()),
        };
        if let Some(c) = f.copies.iter().find(|c| head_rest(c).0 == fold(label)) {
            let message = format!(
                "copies entry \"{c}\" would print a second \"{}\" line: the archive is a field of its own",
                nd30.archive_label
            );
            let e = match crate::diag::toml::value_span_of(&self.text, &["copies"]) {
                Some(span) => self.error_at(span, "copies", message),
                None => Error::input(message).in_file(&self.path).field("copies"),
            };
            problems.push(e.hint(format!(
                "take it out of copies and write archive = \"{}\" (congvan prints \"{} …\")",
                head_rest(c).1,
                nd30.archive_label
            )));
        }
        if let Some(d) = &f.document.date {
            if let Err(msg) = parse_date(d.get_ref()) {
                problems.push(
                    self.error_at(d.span(), "document.date", msg)
                        .hint("write the date as YYYY-MM-DD, e.g. 2024-08-05"),
                );
            }
        }
        if let Some(n) = &f.document.number {
            if *n.get_ref() == 0 {
                problems.push(
                    self.error_at(
                        n.span(),
                        "document.number",
                        "number must be 1 or more".into(),
                    )
                    .hint("numbers restart at 1 every 1 January; leave it out for a draft"),
                );
            }
        }
        for (table, signer) in std::iter::once(("signer", &f.signer))
            .chain(f.co_signer.as_ref().map(|s| ("co-signer", s)))
        {
            let Some(a) = &signer.authority else { continue };
            {
                if !nd30.authorities.iter().any(|x| x == a.get_ref()) {
                    problems.push(
                        self.error_at(
                            a.span(),
                            &format!("{table}.authority"),
                            format!("unknown authority prefix \"{}\"", a.get_ref()),
                        )
                        .hint(format!(
                            "use one of {} or leave it out",
                            nd30.authorities.join(", ")
                        )),
                    );
                }
                if signer.on_behalf_of.is_none() {
                    problems.push(self
                    .error_at(
                        a.span(),
                        &format!("{table}.on-behalf-of"),
                        format!("\"{}\" needs what it applies to", a.get_ref()),
                    )
                    .hint("add e.g. on-behalf-of = \"Ủy ban nhân dân\" (TM., TL.) or \"Chủ tịch\" (KT.)"));
                }
            }
        }
        if f.issuer.place.trim().is_empty() {
            problems.push(
                Error::input("issuer.place is empty")
                    .in_file(&self.path)
                    .field("issuer.place")
                    .hint("write the địa danh of the date line, e.g. place = \"Hải Phòng\""),
            );
        }
        problems.extend(self.layout_problems());
        problems.extend(self.control_characters());
        let template = self.template_path();
        if !self.source.exists(&template) {
            problems.push(
                self.error_at(
                    f.template.span(),
                    "template",
                    format!("template file {} does not exist", template.display()),
                )
                .hint(self.relative_paths_hint()),
            );
        }
        problems
    }

    /// The hint for a file named in the spec that is not there: where its path starts from.
    fn relative_paths_hint(&self) -> String {
        let folder = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
            _ => ".".to_string(),
        };
        format!("paths in a spec are relative to the spec's folder ({folder})")
    }

    /// A problem for each file named in `[data]` that does not exist, at its value in the spec
    /// (checked by the loader, so that `check` still goes on to the template).
    pub fn missing_data_files(&self) -> Vec<Error> {
        let d = &self.fields.data;
        let named = [
            ("registry", &d.registry),
            ("values", &d.values),
            ("targets", &d.targets),
            ("indicators", &d.indicators),
            ("holidays", &d.holidays),
            ("previous", &d.previous),
        ];
        let mut problems = Vec::new();
        for (name, table) in &d.tables {
            let resolved = self.resolve(table.path());
            if self.source.exists(&resolved) {
                continue;
            }
            let message = format!("table file {} does not exist", resolved.display());
            let e = match crate::diag::toml::value_span_of(&self.text, &["data", "tables", name]) {
                Some(span) => self.error_at(span, &format!("data.tables.{name}"), message),
                None => Error::input(message)
                    .in_file(&self.path)
                    .field(format!("data.tables.{name}")),
            };
            problems.push(e.hint(self.relative_paths_hint()));
        }
        for (key, path) in named {
            let Some(path) = path else { continue };
            let resolved = self.resolve(path);
            if self.source.exists(&resolved) {
                continue;
            }
            let message = format!("{key} file {} does not exist", resolved.display());
            let e = match crate::diag::toml::value_span_of(&self.text, &["data", key]) {
                Some(span) => self.error_at(span, &format!("data.{key}"), message),
                None => Error::input(message)
                    .in_file(&self.path)
                    .field(format!("data.{key}")),
            };
            problems.push(e.hint(self.relative_paths_hint()));
        }
        problems
    }

    /// Text fields (subject, recipients, params …) holding a character XML forbids, written as a
    /// TOML escape ("\\u0001"): refused at the value. U+000B counts as a line break.
    fn control_characters(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        if let Ok(table) = toml::de::DeTable::parse(&self.text) {
            for (key, value) in table.get_ref() {
                self.walk_strings(key.get_ref(), value, &mut problems);
            }
        }
        problems
    }

    fn walk_strings(
        &self,
        path: &str,
        value: &toml::Spanned<toml::de::DeValue<'_>>,
        problems: &mut Vec<Error>,
    ) {
        use toml::de::DeValue;
        match value.get_ref() {
            DeValue::String(s) => {
                if let Some((_, c)) = text::first_forbidden(s) {
                    problems.push(
                        self.error_at(
                            value.span(),
                            path,
                            format!("control character {} in the text", text::char_name(c)),
                        )
                        .hint("a Word document cannot hold this character; remove the escape (a line break is \\n)"),
                    );
                }
            }
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk_strings(&format!("{path}[{i}]"), item, problems);
                }
            }
            DeValue::Table(t) => {
                for (key, item) in t {
                    self.walk_strings(&format!("{path}.{}", key.get_ref()), item, problems);
                }
            }
            _ => {}
        }
    }

    fn layout_problems(&self) -> Vec<Error> {
        let mut problems = Vec::new();
        let l = &self.fields.layout;
        let m = l.margins.get_ref();
        let checks: [(&str, f32, f32, f32); 4] = [
            ("layout.margins.top", m.top, 20.0, 25.0),
            ("layout.margins.bottom", m.bottom, 20.0, 25.0),
            ("layout.margins.left", m.left, 30.0, 35.0),
            ("layout.margins.right", m.right, 15.0, 20.0),
        ];
        for (field, value, lo, hi) in checks {
            if !(lo..=hi).contains(&value) {
                problems.push(
                    self.error_at(
                        l.margins.span(),
                        field,
                        format!("{value} mm is outside Nghị định 30's range {lo}–{hi} mm"),
                    )
                    .hint("margins: top 20–25, bottom 20–25, left 30–35, right 15–20 mm"),
                );
            }
        }
        if !matches!(l.profile.get_ref(), 13 | 14) {
            problems.push(
                self.error_at(
                    l.profile.span(),
                    "layout.profile",
                    format!("size profile {} does not exist", l.profile.get_ref()),
                )
                .hint("use 14 (body 14 pt, like mẫu 1.4) or 13 (body 13 pt)"),
            );
        }
        let indent = *l.first_line_indent.get_ref();
        if !((indent - 1.0).abs() < 1e-3 || (indent - 1.27).abs() < 1e-3) {
            problems.push(
                self.error_at(
                    l.first_line_indent.span(),
                    "layout.first-line-indent",
                    format!("first-line indent {indent} cm is not allowed"),
                )
                .hint("Nghị định 30 allows 1 or 1.27 cm"),
            );
        }
        let ls = *l.line_spacing.get_ref();
        if !(1.0..=1.5).contains(&ls) {
            problems.push(
                self.error_at(
                    l.line_spacing.span(),
                    "layout.line-spacing",
                    format!("line spacing {ls} is outside 1.0–1.5"),
                )
                .hint("Nghị định 30 allows single (1.0) up to 1.5 lines"),
            );
        }
        let ps = *l.paragraph_spacing.get_ref();
        if !(6.0..=24.0).contains(&ps) {
            problems.push(
                self.error_at(
                    l.paragraph_spacing.span(),
                    "layout.paragraph-spacing",
                    format!("paragraph spacing {ps} pt is outside 6–24 pt"),
                )
                .hint("Nghị định 30 asks for at least 6 pt between paragraphs"),
            );
        }
        problems
    }
}

/// Parse a spec date, rejecting impossible days such as 2024-02-30.
pub fn parse_date(d: &DateField) -> std::result::Result<NaiveDate, String> {
    let text = match d {
        DateField::Toml(dt) => match (dt.date, dt.time) {
            (Some(date), None) => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
            _ => return Err(format!("{dt} is not a plain date")),
        },
        DateField::Text(s) => s.trim().to_string(),
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| format!("{text} is not a valid date"))
}

/// Place `error` at byte range `span` of `text` (file `path`); see [`crate::diag::toml::located`].
pub fn located(error: Error, text: &str, path: &Path, span: std::ops::Range<usize>) -> Error {
    crate::diag::toml::located(error, text, path, span)
}

fn toml_error(e: &toml::de::Error, text: &str, path: &Path) -> Error {
    let message = e.message().trim().to_string();
    let mut err = Error::input(format!("invalid spec: {message}"));
    if let Some(span) = e.span() {
        err = crate::diag::toml::located_key(err, text, path, span.clone());
        let comma = crate::diag::toml::decimal_comma_hint(text, span.start);
        let key = text
            .get(span)
            .unwrap_or("")
            .trim()
            .trim_matches('"')
            .to_string();
        if let Some(h) = comma {
            err = err.hint(h);
        } else if message.starts_with("unknown field") {
            err = err.hint(unknown_key_hint(&key));
        } else if message.starts_with("missing field") {
            err = err.hint("add the field; the README lists every spec key with an example");
        } else if message.contains("invalid type") {
            err = err.hint("check the value's type against the README's spec example");
        } else if message.contains("invalid date") {
            err = err.hint("write the date as YYYY-MM-DD with a day that exists, e.g. 2024-08-05");
        }
    } else {
        err = err.in_file(path);
    }
    err
}
