//! Sequencing the stages for one letter: spec → facts → template context → Tera → Markdown →
//! Document → writers. The only module that knows the order of the stages.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::compose::{self, Issue};
use crate::diag::Result;
use crate::doc::Document;
use crate::output::Output;
use crate::spec::LetterSpec;
use crate::template::{self, Engine};
use crate::{analysis, markdown, template_data, template_dates, write};

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

/// The letter date: command line, then spec, then `today`.
pub fn letter_date(spec: &LetterSpec, options: &DraftOptions) -> NaiveDate {
    options
        .date
        .or_else(|| spec.date())
        .unwrap_or(options.today)
}

/// Draft the letter described by `spec`.
pub fn draft(spec: &LetterSpec, options: &DraftOptions) -> Result<Letter> {
    let date = letter_date(spec, options);
    let number = options
        .number
        .or_else(|| spec.fields.document.number.as_ref().map(|n| *n.get_ref()));
    let template_path = spec.template_path();
    let template_text = spec.source.read_text(&template_path)?;
    let calendar = Arc::new(load_calendar(spec, options.strict)?);
    let facts = Arc::new(analysis::load(spec)?);
    let mut engine = Engine::new();
    template_dates::register(engine.tera_mut(), Arc::clone(&calendar), date);
    template_data::register(engine.tera_mut(), Arc::clone(&facts));
    let mut context = context(spec, date, options.is_final, number)?;
    if let serde_json::Value::Object(map) = template_data::context(&facts) {
        for (key, value) in map {
            context.insert(key, &value);
        }
    }
    let body_markdown = engine.render(&template_path, &template_text, &context)?;
    let body = markdown::parse(&body_markdown);
    let issue = Issue {
        date,
        number,
        is_final: options.is_final,
    };
    let document = compose::document(spec, body, &issue)?;
    Ok(Letter {
        document,
        body_markdown,
        stem: spec.output_stem(),
        date,
        warnings: calendar.warnings(),
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
) -> Result<tera::Context> {
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
    Ok(ctx)
}

/// The files for `letter` in the requested formats, named `<stem>.<ext>`. The .docx records
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
    }
    Ok(out)
}
