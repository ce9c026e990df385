//! Batch drafting (`draft --each unit`): every letter is rendered first, so a template error
//! stops the batch before any file is written; then files are built on all cores and written.

use std::collections::HashSet;
use std::path::Path;
use std::sync::mpsc;

use chrono::NaiveDateTime;

use crate::analysis::LaggingUnit;
use crate::diag::Result;
use crate::input::spec::LetterSpec;
use crate::output::{Plan, Written};
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

/// Render one letter per unit of `units`, with unique file stems ("x", "x-2", …).
/// `progress` is called once per letter.
pub fn letters(
    spec: &LetterSpec,
    prepared: &Prepared,
    units: &[LaggingUnit],
    progress: &dyn Fn(),
) -> Result<Vec<Letter>> {
    let mut used = HashSet::new();
    let mut letters = Vec::with_capacity(units.len());
    for unit in units {
        let mut letter = prepared.letter(spec, Some(unit))?;
        letter.stem = unique_stem(&mut used, &letter.stem);
        letters.push(letter);
        progress();
    }
    Ok(letters)
}

/// Write `letters` into the output folder after checking every target may be replaced.
/// Files are built on all cores; the list returned is in letter order. `progress` is called
/// once per letter written.
pub fn write(
    letters: &[Letter],
    options: &BatchOptions,
    progress: &dyn Fn(),
) -> Result<Vec<Written>> {
    let names: Vec<String> = letters
        .iter()
        .flat_map(|l| {
            options
                .formats
                .iter()
                .map(move |f| format!("{}.{}", l.stem, f.extension()))
        })
        .collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut plan = Plan::new(options.out, &name_refs, options.force)?;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut written: Vec<(usize, Vec<Written>)> = Vec::with_capacity(letters.len());
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
            let files = files?;
            let done = files
                .iter()
                .map(|f| plan.write(f))
                .collect::<Result<Vec<_>>>()?;
            written.push((i, done));
            progress();
        }
        Ok(())
    });
    // Record what was written even when a later file failed, so a rerun may replace it.
    plan.finish()?;
    outcome?;
    written.sort_by_key(|(i, _)| *i);
    Ok(written.into_iter().flat_map(|(_, w)| w).collect())
}

/// A stem not used yet in this batch: "x", then "x-2", "x-3" …
fn unique_stem(used: &mut HashSet<String>, stem: &str) -> String {
    let mut candidate = stem.to_string();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    #[test]
    fn stems_are_made_unique_in_order() {
        let mut used = std::collections::HashSet::new();
        let got: Vec<String> = ["a", "a", "b", "a", "a-2"]
            .iter()
            .map(|s| super::unique_stem(&mut used, s))
            .collect();
        assert_eq!(got, ["a", "a-2", "b", "a-3", "a-2-2"]);
    }
}
