//! `congvan check [SPEC]`: validate the spec, template, data, registry, targets and calendar
//! without writing anything, reporting every problem found in one run.

use serde::Serialize;

use crate::diag::Error;
use crate::input::source::Source;
use crate::input::spec::LetterSpec;
use crate::pipeline::{self, DraftOptions, Prepared};
use crate::template::Engine;

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every problem, in the order the stages ran.
    pub problems: Vec<Error>,
    /// What was checked and found sound, for the summary line.
    pub checked: Vec<String>,
    /// What the data say should be looked at (a ready-made commune level its communes do not
    /// add up to); printed on stderr, not problems.
    pub warnings: Vec<String>,
}

/// Check the spec at `path` in `source`; `each_unit` also drafts (in memory) one letter per
/// lagging unit, as `draft --each unit` would.
pub fn check(
    source: Source,
    path: &std::path::Path,
    options: &DraftOptions,
    each_unit: bool,
) -> CheckReport {
    match LetterSpec::load_all(source, path) {
        Ok(spec) => check_spec(&spec, options, each_unit),
        Err(errors) => CheckReport {
            problems: errors.0,
            ..CheckReport::default()
        },
    }
}

/// Check a spec already loaded (and perhaps adjusted, e.g. `congvan serve` pointing
/// `[data] values` at an upload): every stage after reading the spec, as [`check`].
pub fn check_spec(spec: &LetterSpec, options: &DraftOptions, each_unit: bool) -> CheckReport {
    let mut report = CheckReport::default();
    report.checked.push("spec".into());
    let mut stages_ok = true;
    let calendar = match pipeline::load_calendar(spec, options.strict) {
        Ok(calendar) => {
            report.checked.push("calendar".into());
            Some(calendar)
        }
        Err(e) => {
            stages_ok = false;
            report.problems.push(e);
            None
        }
    };
    match crate::pipeline::load::facts_all(spec) {
        Ok(facts) => {
            report.checked.push(format!(
                "data ({} units, {} indicators with values)",
                facts.units.len(),
                facts.indicators.len()
            ));
            report.warnings = facts.warnings;
        }
        Err(errors) => {
            stages_ok = false;
            report.problems.extend(errors.0);
        }
    }
    let template_path = spec.template_path();
    match spec.source.read_text(&template_path) {
        Ok(text) => {
            // Register the functions and filters so unknown ones are reported at compile time.
            let mut engine = Engine::new();
            if let Some(calendar) = calendar {
                let calendar = std::sync::Arc::new(calendar);
                crate::template::dates::register(engine.tera_mut(), calendar, options.today);
            }
            crate::template::data::register(engine.tera_mut(), std::sync::Arc::default());
            match engine.compile(&template_path, &text) {
                Ok(()) => report.checked.push("template syntax".into()),
                Err(e) => {
                    stages_ok = false;
                    report.problems.push(e);
                }
            }
        }
        Err(e) => {
            stages_ok = false;
            report.problems.push(e);
        }
    }
    if !stages_ok {
        return report;
    }
    // Everything loads: draft in memory, to find what only rendering shows (unknown variables,
    // bad filter arguments, a final document without its number …).
    let drafted = Prepared::new(spec, options).and_then(|prepared| {
        let units = if each_unit {
            prepared.facts().lagging_units()
        } else {
            Vec::new()
        };
        if each_unit {
            for unit in &units {
                let letter = prepared.letter(spec, Some(unit))?;
                pipeline::outputs(
                    &letter,
                    &[pipeline::Format::Docx, pipeline::Format::Md],
                    None,
                )?;
            }
            Ok(format!("{} letters drafted in memory", units.len()))
        } else {
            let letter = prepared.letter(spec, None)?;
            pipeline::outputs(
                &letter,
                &[pipeline::Format::Docx, pipeline::Format::Md],
                None,
            )?;
            Ok("letter drafted in memory".to_string())
        }
    });
    match drafted {
        Ok(what) => report.checked.push(what),
        Err(e) => report.problems.push(e),
    }
    report
}

/// One problem as JSON.
#[derive(Debug, Serialize)]
struct Problem<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    field: Option<&'a str>,
    message: &'a str,
    hint: Option<&'a str>,
}

/// The report as JSON: `{"ok": …, "checked": […], "problems": [{file, line, column, field,
/// message, hint}], "warnings": ["…"]}` (warnings do not make `ok` false).
pub fn render_json(report: &CheckReport) -> String {
    let problems: Vec<Problem> = report
        .problems
        .iter()
        .map(|e| {
            let loc = e.location.as_deref();
            Problem {
                file: loc.map(|l| l.file.display().to_string()),
                line: loc.and_then(|l| l.line),
                column: loc.and_then(|l| l.column),
                field: loc.and_then(|l| l.field.as_deref()),
                message: &e.message,
                hint: e.hint.as_deref(),
            }
        })
        .collect();
    let value = serde_json::json!({
        "ok": report.problems.is_empty(),
        "checked": report.checked,
        "problems": problems,
        "warnings": report.warnings,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
