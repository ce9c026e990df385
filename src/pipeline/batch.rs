//! Batch drafting (`draft --each unit`): every letter is rendered first, so a template error
//! stops the batch before any file is written; then files are built on all cores and written.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc;

use chrono::NaiveDateTime;

use crate::analysis::LaggingUnit;
use crate::diag::Result;
use crate::input::spec::LetterSpec;
use crate::output::{Plan, Report};
use crate::pipeline::{self, Format, Letter, Prepared};

/// Where and how a batch is written.
pub struct BatchOptions<'a> {
    /// Output folder.
    pub out: &'a Path,
    /// Formats per letter.
    pub formats: &'a [Format],
    /// Creation time recorded in each .docx (default: the letter date).
    pub created: Option<NaiveDateTime>,
    /// Replace files edited since congvan wrote them.
    pub force: bool,
}

/// Render one letter per unit of `units`, with unique file stems ("x", "x-2", …), in time
/// linear in the number of units.
/// `progress` is called once per letter.
pub fn letters(
    spec: &LetterSpec,
    prepared: &Prepared,
    units: &[LaggingUnit],
    progress: &dyn Fn(),
) -> Result<Vec<Letter>> {
    let mut used = Stems::default();
    let mut letters = Vec::with_capacity(units.len());
    for unit in units {
        let mut letter = prepared.letter(spec, Some(unit))?;
        let stem = unique_stem(&mut used, &letter.stem);
        letter.rename(stem);
        letters.push(letter);
        progress();
    }
    Ok(letters)
}

/// Write `letters` into the output folder after checking every target may be replaced.
/// Files are built on all cores and staged as temp files; once all are staged they are renamed
/// into place (see [`crate::output::Plan`]), so a failure while building or staging (a full
/// disk) replaces nothing. The list returned is in letter order. `progress` is called once per
/// letter staged.
pub fn write(letters: &[Letter], options: &BatchOptions, progress: &dyn Fn()) -> Result<Report> {
    let names: Vec<String> = letters
        .iter()
        .flat_map(|l| pipeline::output_names(l, options.formats))
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut plan = Plan::new(options.out, &name_refs, options.force)?;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // Letter index of each staged file, in staging order.
    let mut staged: Vec<usize> = Vec::with_capacity(names.len());
    let outcome = std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel(4 * workers);
        for worker in 0..workers {
            let tx = tx.clone();
            scope.spawn(move || {
                for i in (worker..letters.len()).step_by(workers) {
                    let files = pipeline::outputs(&letters[i], options.formats, options.created);
                    let failed = files.is_err();
                    if tx.send((i, files)).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Files are written here, one at a time, as the workers finish them.
        for (i, files) in rx {
            for f in files? {
                plan.stage(&f)?;
                staged.push(i);
            }
            progress();
        }
        Ok(())
    });
    outcome?;
    // With the .md, the letters' earlier charts that this run no longer makes are removed.
    let stems: Vec<&str> = letters.iter().map(|l| l.stem.as_str()).collect();
    let stale = pipeline::is_image_of(&stems);
    let mut report = match options.formats.contains(&Format::Md) {
        true => plan.commit_retiring(&stale)?,
        false => plan.commit()?,
    };
    let mut order: Vec<(usize, crate::output::Written)> =
        staged.into_iter().zip(report.written).collect();
    order.sort_by_key(|(i, _)| *i);
    report.written = order.into_iter().map(|(_, w)| w).collect();
    Ok(report)
}

/// Stems used so far in a batch, and for each stem asked for, the next suffix to try.
#[derive(Default)]
struct Stems {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

/// A stem not used yet in this batch: "x", then "x-2", "x-3" … Each stem remembers its next
/// suffix, so 20,000 letters with one name take linear time, not quadratic.
fn unique_stem(stems: &mut Stems, stem: &str) -> String {
    if stems.used.insert(stem.to_string()) {
        return stem.to_string();
    }
    let n = stems.next.entry(stem.to_string()).or_insert(2);
    loop {
        let candidate = format!("{stem}-{n}");
        *n += 1;
        if stems.used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stems_are_made_unique_in_order() {
        let mut used = super::Stems::default();
        let got: Vec<String> = ["a", "a", "b", "a", "a-2"]
            .iter()
            .map(|s| super::unique_stem(&mut used, s))
            .collect();
        assert_eq!(got, ["a", "a-2", "b", "a-3", "a-2-2"]);
    }

    #[test]
    fn twenty_thousand_same_stems_are_all_distinct() {
        let mut used = super::Stems::default();
        let got: std::collections::HashSet<String> = (0..20_000)
            .map(|_| super::unique_stem(&mut used, "x"))
            .collect();
        assert_eq!(got.len(), 20_000);
        assert!(got.contains("x-20000"));
    }
}
