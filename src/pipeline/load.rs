//! The one loader: reads every data file a spec names (registry, catalogue, targets, this
//! month's and last month's values) through `input`, then hands them to the pure `analysis`.

use std::path::Path;

use crate::analysis::{self, Facts};
use crate::diag::{Error, Errors, Result};
use crate::input::catalogue::Catalogue;
use crate::input::registry::Registry;
use crate::input::source::Source;
use crate::input::spec::LetterSpec;
use crate::input::targets::Targets;
use crate::input::values;
use crate::vocab::vocabulary::{Additions, Vocabulary};

/// The vocabulary of `spec`: the compiled-in one, extended by its `[vocabulary]` file, then by
/// its inline entries; an entry that breaks it (a kind whose bloc is unknown) is an error.
pub fn vocabulary(spec: &LetterSpec) -> Result<Vocabulary> {
    let v = &spec.fields.vocabulary;
    let mut vocabulary = Vocabulary::builtin().clone();
    if let Some(file) = &v.file {
        let path = spec.resolve(file);
        let text = spec.source.read_text(&path)?;
        let extra: Additions = toml::from_str(&text).map_err(|e| {
            let err = Error::input(format!("invalid vocabulary file: {}", e.message().trim()));
            let err = match e.span() {
                Some(span) => crate::input::spec::located(err, &text, &path, span),
                None => err.in_file(&path),
            };
            err.hint("see data/vocabulary.toml: [[kinds]] word, codes, level, local, bloc; [[blocs]] label, codes; [columns] id, name, parent, indicator, value, numerator, denominator, target, ignored, totals")
        })?;
        vocabulary = vocabulary.extended(&extra);
    }
    vocabulary = vocabulary.extended(&v.inline());
    vocabulary.validate().map_err(|m| {
        Error::input(m)
            .in_file(&spec.path)
            .field("vocabulary")
            .hint("a kind's bloc is the label or a code of a bloc: add the bloc to [vocabulary] blocs, or fix the kind's bloc")
    })?;
    Ok(vocabulary)
}

/// Every bloc and kind the spec's `[vocabulary]` writes inline names a value of `registry`: a
/// mapping that matches nothing is a typo whose units would fall out of their lists.
pub fn check_spec_vocabulary(spec: &LetterSpec, registry: &Registry) -> Result<()> {
    use crate::text::names::{closest_n, fold};
    let v = &spec.fields.vocabulary;
    let mut blocs: Vec<&str> = registry.units.iter().map(|u| u.bloc.as_str()).collect();
    blocs.sort_unstable();
    blocs.dedup();
    let mut kinds: Vec<&str> = registry.units.iter().map(|u| u.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let problem = v
        .blocs
        .iter()
        .find(|b| !blocs.iter().any(|r| fold(r) == fold(&b.label)))
        .map(|b| ("bloc", b.label.as_str(), &blocs))
        .or_else(|| {
            v.kinds
                .iter()
                .find(|k| !kinds.iter().any(|r| fold(r) == fold(&k.word)))
                .map(|k| ("kind", k.word.as_str(), &kinds))
        });
    let Some((what, name, known)) = problem else {
        return Ok(());
    };
    let near = closest_n(name, known.iter().copied(), 3);
    let mut e = Error::input(format!(
        "[vocabulary] {what} \"{name}\" matches no {what} of the registry"
    ))
    .in_file(&spec.path)
    .field(format!("vocabulary.{what}s"));
    let table = spec.text.find("[vocabulary]").unwrap_or(0);
    if let Some(at) = spec.text[table..].find(name).map(|i| i + table) {
        e = crate::input::spec::located(e, &spec.text, &spec.path, at..at + name.len());
    }
    Err(e.hint(format!(
        "closest: {}; the registry's {what}s: {}",
        near.join("; "),
        known.join("; ")
    )))
}

/// The spec's catalogue (its `[data] indicators` file or the built-in one) with the spec's
/// `[data.indicator-names]` added as aliases; a mapping to no indicator is an error at its
/// place in the spec.
pub fn catalogue(spec: &LetterSpec) -> Result<Catalogue> {
    let d = &spec.fields.data;
    let mut catalogue = match &d.indicators {
        Some(p) => Catalogue::load(&spec.source, &spec.resolve(p))?,
        None => Catalogue::builtin()?,
    };
    catalogue
        .add_names(
            d.indicator_names
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .map_err(|(what, e)| {
            let mut e = e.in_file(&spec.path).field("data.indicator-names");
            let table = spec.text.find("indicator-names").unwrap_or(0);
            if let Some(at) = spec.text[table..].find(what.as_str()).map(|i| i + table) {
                e = crate::input::spec::located(e, &spec.text, &spec.path, at..at + what.len());
            }
            e
        })?;
    Ok(catalogue)
}

/// Read every data file of the spec and analyse. A spec without `[data]` gives empty facts.
/// The first problem is the error; see [`facts_all`].
pub fn facts(spec: &LetterSpec) -> Result<Facts> {
    facts_all(spec).map_err(Errors::into_first)
}

/// [`facts`], reporting every problem: the registry and catalogue stop the loading (nothing can
/// be matched without them), but targets, this month's and last month's values are all read
/// and all their problems reported, file by file in the order the spec names them.
pub fn facts_all(spec: &LetterSpec) -> std::result::Result<Facts, Errors> {
    let missing = spec.missing_data_files();
    if !missing.is_empty() {
        return Err(Errors(missing));
    }
    let d = &spec.fields.data;
    let (registry_path, values_path) = match (&d.registry, &d.values) {
        (None, None) => return Ok(Facts::default()),
        (Some(r), Some(v)) => (spec.resolve(r), spec.resolve(v)),
        (None, Some(_)) => {
            return Err(Error::input("[data] names values but no registry")
                .in_file(&spec.path)
                .field("data.registry")
                .hint("add registry = \"path/to/registry.csv\" so units can be matched")
                .into())
        }
        (Some(_), None) => {
            return Err(Error::input("[data] names a registry but no values")
                .in_file(&spec.path)
                .field("data.values")
                .hint("add values = \"path/to/2024-07.csv\" (CSV, XLSX or JSON)")
                .into())
        }
    };
    let source = &spec.source;
    let registry = Registry::load_all_with(source, &registry_path, &vocabulary(spec)?)?;
    check_spec_vocabulary(spec, &registry)?;
    let catalogue = catalogue(spec)?;
    let mut problems = Errors::default();
    let targets = match &d.targets {
        Some(p) => keep(
            &mut problems,
            Targets::load_all(source, &spec.resolve(p), &catalogue, &registry),
        ),
        None => Some(Targets::default()),
    };
    let values = keep(
        &mut problems,
        values::read_all(
            source,
            &values_path,
            d.sheet.as_deref(),
            &registry,
            &catalogue,
        ),
    );
    let previous = match &d.previous {
        Some(p) => keep(
            &mut problems,
            values::read_all(
                source,
                &spec.resolve(p),
                d.sheet.as_deref(),
                &registry,
                &catalogue,
            ),
        )
        .map(Some),
        None => Some(None),
    };
    let (Some(targets), Some(values), Some(previous)) = (targets, values, previous) else {
        return Err(problems);
    };
    Ok(analysis::analyse(
        &registry,
        &catalogue,
        &targets,
        &values,
        previous.as_ref(),
    ))
}

/// The value of `result`, or `None` with its problems added to `problems`.
fn keep<T>(problems: &mut Errors, result: std::result::Result<T, Errors>) -> Option<T> {
    result.map_err(|e| problems.extend(e)).ok()
}

/// Load from explicit paths (for tests, benches and tools without a spec).
pub fn facts_from_files(
    source: &Source,
    registry: &Path,
    values: &Path,
    targets: Option<&Path>,
) -> Result<Facts> {
    let registry = Registry::load(source, registry)?;
    let catalogue = Catalogue::builtin()?;
    let targets = match targets {
        Some(p) => Targets::load(source, p, &catalogue, &registry)?,
        None => Targets::default(),
    };
    let values = values::read(source, values, None, &registry, &catalogue)?;
    Ok(analysis::analyse(
        &registry, &catalogue, &targets, &values, None,
    ))
}
