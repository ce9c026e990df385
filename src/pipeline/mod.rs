//! Sequencing the stages for one letter: spec → facts → template context → Tera → Markdown →
//! Document → writers. The only module that knows the order of the stages.

pub mod batch;
pub mod load;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

use crate::analysis::{Facts, LaggingUnit};
use crate::calendar::Calendar;
use crate::diag::Result;
use crate::doc::compose::{self, Issue, SpecTexts};
use crate::doc::Document;
use crate::input::spec::LetterSpec;
use crate::output::Output;
use crate::template::{self, Engine};
use crate::template::{data as template_data, dates as template_dates};
use crate::{markdown, text, write};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Word document.
    Docx,
    /// Markdown twin.
    Md,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Md => "md",
        }
    }
}

/// How to draft: final or draft, and the values that override the spec.
#[derive(Debug, Clone)]
pub struct DraftOptions {
    /// Fill in the number and day.
    pub is_final: bool,
    /// Letter date from the command line (beats the spec's).
    pub date: Option<NaiveDate>,
    /// Number from the command line (beats the spec's).
    pub number: Option<u32>,
    /// The date used when neither the command line nor the spec gives one.
    pub today: NaiveDate,
    /// A deadline in a year with only a provisional holiday calendar is an error, not a warning.
    pub strict: bool,
}

/// A drafted letter: the Document and the Markdown body it was parsed from.
#[derive(Debug, Clone)]
pub struct Letter {
    /// The composed document.
    pub document: Document,
    /// The rendered body (template output), for debugging.
    pub body_markdown: String,
    /// Output file stem.
    pub stem: String,
    /// The letter date used.
    pub date: NaiveDate,
    /// Things the user should know (e.g. a provisional holiday calendar was relied on).
    pub warnings: Vec<String>,
}

impl Letter {
    /// Give the letter's files another stem: its .docx and .md, and the PNG files of its
    /// charts (`<stem>-bieu-do-N.png`), so two letters never share a file name.
    pub fn rename(&mut self, stem: String) {
        self.document.name_images(&image_prefix(&stem));
        self.stem = stem;
    }
}

/// The letter date: command line, then spec, then `today`.
pub fn letter_date(spec: &LetterSpec, options: &DraftOptions) -> NaiveDate {
    options
        .date
        .or_else(|| spec.date())
        .unwrap_or(options.today)
}

/// Draft the letter described by `spec`.
pub fn draft(spec: &LetterSpec, options: &DraftOptions) -> Result<Letter> {
    Prepared::new(spec, options)?.letter(spec, None)
}

/// Everything loaded once per spec — calendar, facts, the compiled template and the base
/// context — so a batch renders each letter without loading anything again.
pub struct Prepared {
    engine: Engine,
    template_path: PathBuf,
    template_text: String,
    context: tera::Context,
    calendar: Arc<Calendar>,
    facts: Arc<Facts>,
    issue: Issue,
    /// The charts drawn so far, by indicator: a batch draws each once for all its letters.
    charts: Charts,
}

/// Chart images by indicator key, shared by the letters of one [`Prepared`].
type Charts = std::sync::Mutex<std::collections::HashMap<String, Vec<crate::doc::Image>>>;

impl Prepared {
    /// Load and compile everything `spec` needs; the first problem is the error.
    pub fn new(spec: &LetterSpec, options: &DraftOptions) -> Result<Prepared> {
        Prepared::new_all(spec, options).map_err(crate::diag::Errors::into_first)
    }

    /// [`Prepared::new`], reporting every problem of the data files at once (see
    /// [`crate::pipeline::load::facts_all`]); `draft` still writes nothing when there is one.
    pub fn new_all(
        spec: &LetterSpec,
        options: &DraftOptions,
    ) -> std::result::Result<Prepared, crate::diag::Errors> {
        let template_path = spec.template_path();
        let template_text = spec.source.read_text(&template_path)?;
        let calendar = Arc::new(load_calendar(spec, options.strict)?);
        let facts = Arc::new(crate::pipeline::load::facts_all(spec)?);
        Ok(Prepared::assemble(
            spec,
            options,
            template_path,
            template_text,
            calendar,
            facts,
        )?)
    }

    /// The same data, calendar and template for another issue of the letter: a new date,
    /// number, draft/final choice or `params` (from `spec`). Nothing is read again; only the
    /// template is recompiled, because its date functions count from the letter date.
    /// Errors: the template fails to compile (as in [`Prepared::new`]).
    pub fn renew(&self, spec: &LetterSpec, options: &DraftOptions) -> Result<Prepared> {
        Prepared::assemble(
            spec,
            options,
            self.template_path.clone(),
            self.template_text.clone(),
            Arc::clone(&self.calendar),
            Arc::clone(&self.facts),
        )
    }

    /// Compile the template against the loaded calendar and facts, and build the context.
    fn assemble(
        spec: &LetterSpec,
        options: &DraftOptions,
        template_path: PathBuf,
        template_text: String,
        calendar: Arc<Calendar>,
        facts: Arc<Facts>,
    ) -> Result<Prepared> {
        let date = letter_date(spec, options);
        let number = options
            .number
            .or_else(|| spec.fields.document.number.as_ref().map(|n| *n.get_ref()));
        let mut engine = Engine::new();
        template_dates::register(engine.tera_mut(), Arc::clone(&calendar), date);
        template_data::register(engine.tera_mut(), Arc::clone(&facts));
        engine.compile(&template_path, &template_text)?;
        let mut context = context(spec, date, options.is_final, number);
        let mut tables = serde_json::Map::new();
        for (name, file) in &spec.fields.data.tables {
            let path = spec.resolve(file.path());
            let table = crate::input::tables::read(&spec.source, &path, file.sheet())?;
            tables.insert(name.clone(), table.to_json());
        }
        context.insert("tables", &tables);
        template_data::insert_context(&mut context, &facts);
        Ok(Prepared {
            engine,
            template_path,
            template_text,
            context,
            calendar,
            facts,
            issue: Issue {
                date,
                number,
                is_final: options.is_final,
            },
            charts: Charts::default(),
        })
    }

    /// An error of the rendered body moved to the template line that wrote it: the line of
    /// the template holding the same text (fences are literal in templates), else the
    /// rendered line, quoted.
    fn at_template_line(&self, error: crate::diag::Error, body: &str) -> crate::diag::Error {
        let Some(line) = error.location.as_ref().and_then(|l| l.line) else {
            return error;
        };
        let text = body
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim();
        let found = self
            .template_text
            .lines()
            .position(|l| l.trim() == text)
            .or_else(|| chart_call_line(&self.template_text, text))
            .map(|i| i + 1);
        let error = error.in_file(self.template_path.clone());
        match found {
            Some(n) => error
                .at_line(n)
                .source_line(self.template_text.lines().nth(n - 1).unwrap_or("")),
            None => error.source_line(text),
        }
    }

    /// The analysis of the spec's data.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Render one letter; in a batch, `unit` is the unit it is addressed to (the template and
    /// the spec's text fields see it as `unit`).
    pub fn letter(&self, spec: &LetterSpec, unit: Option<&LaggingUnit>) -> Result<Letter> {
        let mut context = self.context.clone();
        if let Some(unit) = unit {
            context.insert("unit", unit);
        }
        let body_markdown =
            self.engine
                .render_compiled(&self.template_path, &self.template_text, &context)?;
        let charts = |indicator: &str| -> std::result::Result<Vec<crate::doc::Image>, String> {
            let drawn = self
                .charts
                .lock()
                .ok()
                .and_then(|c| c.get(indicator).cloned());
            if let Some(images) = drawn {
                return Ok(images);
            }
            let images = crate::chart::draw(&crate::chart::of_indicator(&self.facts, indicator)?)?;
            if let Ok(mut cache) = self.charts.lock() {
                cache.insert(indicator.to_string(), images.clone());
            }
            Ok(images)
        };
        let parts =
            markdown::read_parts_with_charts(&body_markdown, &charts).map_err(|e| match e {
                markdown::ReadError::Unsupported(u) => {
                    u.error(&self.template_path, &self.template_text, &body_markdown)
                }
                markdown::ReadError::Invalid(e) => self.at_template_line(e, &body_markdown),
            })?;
        let texts = spec_texts(spec, &context)?;
        let mut document =
            compose::document(spec, parts.body, parts.appendices, &self.issue, &texts)?;
        let stem = match (&texts.output, unit) {
            (Some(stem), _) => text::file_stem(stem),
            (None, Some(u)) => {
                text::file_stem(&format!("{}-{}", spec.output_stem(), u.unit.full_name))
            }
            (None, None) => text::file_stem(&spec.output_stem()),
        };
        document.name_images(&image_prefix(&stem));
        Ok(Letter {
            document,
            body_markdown,
            stem,
            date: self.issue.date,
            warnings: self
                .calendar
                .warnings()
                .into_iter()
                .chain(self.facts.warnings.iter().cloned())
                .collect(),
        })
    }
}

/// The spec's text fields, rendered as templates when they hold `{{ … }}` or `{% … %}`
/// (a batch spec writes `recipients = ["{{ unit.full_name }}"]`).
fn spec_texts(spec: &LetterSpec, context: &tera::Context) -> Result<SpecTexts> {
    let f = &spec.fields;
    let render = |field: &str, value: &str| -> Result<String> {
        if !(value.contains("{{") || value.contains("{%")) {
            return Ok(value.to_string());
        }
        let _guard = crate::template::guard::Render::begin();
        tera::Tera::one_off(value, context, false).map_err(|e| {
            let message = crate::template::tera_error(&e, &spec.path, value).message;
            crate::diag::Error::input(format!("cannot fill in {field}: {message}"))
                .in_file(&spec.path)
                .field(field)
                .hint("spec fields may use {{ letter.… }}, {{ params.… }} and, with --each unit, {{ unit.… }}")
        })
    };
    Ok(SpecTexts {
        subject: render("document.subject", &f.document.subject)?,
        recipients: f
            .recipients
            .iter()
            .map(|r| render("recipients", r))
            .collect::<Result<_>>()?,
        output: f
            .output
            .as_deref()
            .map(|o| render("output", o))
            .transpose()?,
    })
}

/// The holiday calendar: the spec's `[data] holidays` file, or the built-in one.
pub fn load_calendar(spec: &LetterSpec, strict: bool) -> Result<Calendar> {
    let mut calendar = match &spec.fields.data.holidays {
        Some(path) => {
            let path = spec.resolve(path);
            Calendar::from_toml(&spec.source.read_text(&path)?, &path)?
        }
        None => Calendar::builtin()?,
    };
    calendar.set_strict(strict);
    Ok(calendar)
}

/// The Tera context: `letter` (date, month, year, draft, number) and `params`.
fn context(
    spec: &LetterSpec,
    date: NaiveDate,
    is_final: bool,
    number: Option<u32>,
) -> tera::Context {
    let f = &spec.fields;
    let mut ctx = tera::Context::new();
    ctx.insert(
        "letter",
        &serde_json::json!({
            "date": date.format("%Y-%m-%d").to_string(),
            "day": date.day(),
            "month": date.month(),
            "year": date.year(),
            "draft": !is_final,
            "number": number,
            "kind": f.document.kind.get_ref(),
            "symbol": f.document.symbol,
            "subject": crate::text::nfc(&f.document.subject),
            "place": crate::text::nfc(&f.issuer.place),
        }),
    );
    let params: serde_json::Map<String, serde_json::Value> = f
        .params
        .iter()
        .map(|(k, v)| (k.clone(), template::toml_to_json(v)))
        .collect();
    ctx.insert("params", &params);
    ctx
}

/// The index of the template line whose `chart(…)` call rendered as `rendered` (a line with
/// `::: chart indicator="…"` amid other text): the line with "chart(" that starts and ends
/// with the text around it. None when there is no such line.
fn chart_call_line(template: &str, rendered: &str) -> Option<usize> {
    let (before, rest) = rendered.split_once("::: chart indicator=\"")?;
    let after = rest.split_once('"')?.1;
    template.lines().position(|l| {
        let l = l.trim();
        l.contains("chart(") && l.starts_with(before.trim()) && l.ends_with(after.trim())
    })
}

/// The start of the names of a letter's PNG files beside its .md: "<stem>-bieu-do-".
fn image_prefix(stem: &str) -> String {
    format!("{stem}-{}-", crate::vocab::wording::wording().chart.file)
}

/// Whether `name` is a PNG file beside the .md of one of the letters named `stems`
/// ("<stem>-bieu-do-<n>.png"): what [`crate::output::Plan::commit_retiring`] deletes when a
/// new draft of the letter no longer makes it (an unedited chart of a part that is gone).
pub fn is_image_of<'a>(stems: &'a [&'a str]) -> impl Fn(&str) -> bool + 'a {
    // One lookup per name, not one per letter: a batch has thousands of stems.
    let stems: std::collections::HashSet<&str> = stems.iter().copied().collect();
    let word = format!("-{}", crate::vocab::wording::wording().chart.file);
    move |name: &str| {
        name.strip_suffix(".png")
            .and_then(|rest| rest.rsplit_once('-'))
            .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(rest, _)| rest.strip_suffix(word.as_str()))
            .is_some_and(|stem| stems.contains(stem))
    }
}

/// The names of the files [`outputs`] makes for `letter` in `formats`, in its order: the
/// letter's own `<stem>.<ext>`, and after the .md the PNG files it links.
pub fn output_names(letter: &Letter, formats: &[Format]) -> Vec<String> {
    let mut names = Vec::new();
    for format in formats {
        names.push(format!("{}.{}", letter.stem, format.extension()));
        if *format == Format::Md {
            names.extend(letter.document.images().iter().map(|i| i.file.clone()));
        }
    }
    names
}

/// The files for `letter` in the requested formats, named `<stem>.<ext>`; with the .md, the
/// PNG of each chart it links (`<stem>-bieu-do-<n>.png`), beside it. The .docx records
/// `created` as its creation time (default: the letter date at midnight), never the clock.
pub fn outputs(
    letter: &Letter,
    formats: &[Format],
    created: Option<NaiveDateTime>,
) -> Result<Vec<Output>> {
    let docx_options = write::docx::DocxOptions {
        created: Some(created.unwrap_or_else(|| letter.date.and_time(NaiveTime::MIN))),
    };
    let mut out = Vec::new();
    for format in formats {
        let bytes = match format {
            Format::Md => write::markdown::write(&letter.document).into_bytes(),
            Format::Docx => write::docx::write_with(&letter.document, &docx_options)?,
        };
        out.push(Output {
            name: format!("{}.{}", letter.stem, format.extension()),
            bytes,
        });
        if *format == Format::Md {
            out.extend(letter.document.images().into_iter().map(|i| Output {
                name: i.file.clone(),
                bytes: i.png.clone(),
            }));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn image_names_of_the_letters_and_nothing_else() {
        let stems = ["nhac", "nhac-2"];
        let is = super::is_image_of(&stems);
        for name in ["nhac-bieu-do-1.png", "nhac-2-bieu-do-12.png"] {
            assert!(is(name), "{name}");
        }
        for name in [
            "nhac.md",
            "nhac-bieu-do-.png",
            "nhac-bieu-do-1a.png",
            "nhac-3-bieu-do-1.png",
            "khac-bieu-do-1.png",
            "nhac-bieu-do-1.png.bak",
        ] {
            assert!(!is(name), "{name}");
        }
    }
}
