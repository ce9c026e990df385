//! The command line: clap definitions, and the glue from parsed flags to library calls.
//! Owns exit codes, stdout/stderr and colour; the library never prints.

mod serve;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use congvan::calendar::Calendar;
use congvan::commands;
use congvan::diag::{self, Error, Result};
use congvan::input::sample;
use congvan::input::source::Source;
use congvan::input::spec::LetterSpec;
use congvan::output;
use congvan::pipeline::{self, DraftOptions, Format, Prepared};

/// Draft Vietnamese official letters (công văn, thông báo) from indicator data.
#[derive(Debug, Parser)]
#[command(name = "congvan", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Today's date, YYYY-MM-DD, instead of the clock (and of SOURCE_DATE_EPOCH's date):
    /// the default letter date and what `today()` gives a template.
    #[arg(long, global = true, value_parser = parse_date, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Draft a letter as .docx and Markdown (no SPEC: the shipped sample).
    Draft(DraftArgs),
    /// Write the shipped sample (specs, templates, data) into DIR as a starting point.
    Init {
        /// Folder to create or fill.
        dir: PathBuf,
        /// Replace files that exist already.
        #[arg(long)]
        force: bool,
        /// Your registry (CSV): with --values, a project from your own files instead of the
        /// sample (spec, targets and the letter of the registry's shape), drafted once.
        #[arg(long, requires = "values", value_name = "FILE")]
        registry: Option<PathBuf>,
        /// Your values file (CSV, XLSX or JSON), with --registry.
        #[arg(long, requires = "registry", value_name = "FILE")]
        values: Option<PathBuf>,
    },
    /// Validate the spec, template, data, registry, targets and calendar; write nothing.
    Check {
        /// The letter spec (TOML); default: the shipped sample.
        spec: Option<PathBuf>,
        /// Print JSON: ok, checked, problems (file, line, column, field, message, hint).
        #[arg(long)]
        json: bool,
        /// Also draft (in memory) one letter per unit below target, as `draft --each unit`.
        #[arg(long, value_enum, value_name = "WHAT")]
        each: Option<Each>,
        /// A deadline in a year whose holidays are only provisional is a problem.
        #[arg(long)]
        strict: bool,
    },
    /// List the units below target, per indicator (a table, or JSON for CI).
    Lagging {
        /// The letter spec (TOML) whose [data] to analyse; default: the shipped sample.
        spec: Option<PathBuf>,
        /// Print JSON: unit id, name, parent, bloc, indicator, value, target, gap.
        #[arg(long)]
        json: bool,
    },
    /// The indicator catalogue: key, number, name, aliases, direction and default target.
    Indicators {
        /// A spec whose [data] indicators and [data.indicator-names] apply; default: built-in.
        spec: Option<PathBuf>,
        /// Print JSON: one object per indicator.
        #[arg(long)]
        json: bool,
    },
    /// The unit kinds (words and export codes) and blocs registries are read with.
    Vocabulary {
        /// A spec whose [vocabulary] extends the built-in one; default: the built-in one.
        spec: Option<PathBuf>,
        /// Print JSON: kinds (word, codes, level, local, bloc), blocs (label, codes).
        #[arg(long)]
        json: bool,
    },
    /// Compare two months: units that newly lag, recovered or still lag, per indicator.
    Diff {
        /// The earlier month: a values file (CSV, XLSX, JSON) or a spec (.toml).
        old: PathBuf,
        /// The later month: of the same kind as OLD.
        new: PathBuf,
        /// With two values files: the spec whose registry and targets to use; default: the one
        /// spec in the current folder, else the shipped sample.
        #[arg(long, value_name = "SPEC")]
        spec: Option<PathBuf>,
        /// Print JSON: per indicator, newly_lagging, recovered, still_lagging, only_in_old,
        /// only_in_new.
        #[arg(long)]
        json: bool,
    },
    /// Compute a deadline: N working days (or calendar days) after FROM, with the count shown.
    Deadline {
        /// The start day (not counted), YYYY-MM-DD.
        #[arg(value_parser = parse_date)]
        from: NaiveDate,
        /// How many days.
        #[arg(value_parser = parse_positive)]
        n: u32,
        /// Count calendar days (rolled forward to a working day) instead of working days.
        #[arg(long)]
        calendar_days: bool,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
    /// List the non-working days and make-up working days of YEAR.
    Calendar {
        /// The year.
        year: i32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        calendar: CalendarArgs,
    },
    /// Print the text of a .docx, one paragraph per line (a git diff driver for drafts).
    Textconv {
        /// The .docx file.
        file: PathBuf,
    },
    /// Serve a page in the browser for one project: upload the month's data, see the
    /// problems and lagging units, preview the letter, download it (no PROJECT: the sample).
    Serve(serve::ServeArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of congvan, or of one COMMAND (`congvan man draft`).
    Man {
        /// The subcommand whose page to print (draft, check, …); none: the main page.
        command: Option<String>,
    },
}

/// Which holiday calendar to use.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// Holiday calendar (TOML) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub holidays: Option<PathBuf>,
    /// A year whose holidays are only provisional is an error (exit 1), not a warning: counting
    /// through it (`deadline`) or listing it (`calendar`).
    #[arg(long)]
    pub strict: bool,
}

impl CalendarArgs {
    fn load(&self) -> Result<Calendar> {
        let mut calendar = match &self.holidays {
            Some(path) => Calendar::from_toml(&Source::Disk.read_text(path)?, path)?,
            None => Calendar::builtin()?,
        };
        calendar.set_strict(self.strict);
        Ok(calendar)
    }
}

/// Flags of `congvan draft`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The letter spec (TOML); default: the shipped sample.
    pub spec: Option<PathBuf>,
    /// Output folder.
    #[arg(long, short, default_value = "drafts")]
    pub out: PathBuf,
    /// Output formats, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "docx,md")]
    pub format: Vec<FormatArg>,
    /// Fill in the number and the day (default: a draft with blanks for the văn thư).
    #[arg(long = "final")]
    pub is_final: bool,
    /// Letter date, YYYY-MM-DD (default: the spec's, else today or SOURCE_DATE_EPOCH).
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Document number (default: the spec's).
    #[arg(long, value_parser = parse_positive)]
    pub number: Option<u32>,
    /// Overwrite files that were edited since congvan wrote them, or not written by congvan.
    #[arg(long)]
    pub force: bool,
    /// Print the written files as JSON (path and sha256).
    #[arg(long)]
    pub json: bool,
    /// A deadline in a year whose holidays are only provisional is an error, not a warning.
    #[arg(long)]
    pub strict: bool,
    /// Write one letter per unit below target, addressed to it (the spec and template see `unit`).
    #[arg(long, value_enum, value_name = "WHAT")]
    pub each: Option<Each>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// What `--each` iterates over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Each {
    /// Every unit below target on at least one indicator.
    Unit,
}

/// An output format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Word document.
    Docx,
    /// Markdown.
    Md,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Docx => Format::Docx,
            FormatArg::Md => Format::Md,
        }
    }
}

/// A date on the command line: exactly YYYY-MM-DD (four-digit year, two-digit month and day),
/// so `2025-1-20` is refused rather than guessed.
fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(format!(
            "\"{s}\" is not a date; write YYYY-MM-DD, e.g. 2024-08-05"
        ));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s} is not a valid date: that day does not exist (YYYY-MM-DD)"))
}

/// A count on the command line (a document number, a number of days): 1 or more.
fn parse_positive(s: &str) -> std::result::Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err("must be 1 or more".to_string()),
        Err(_) => Err(format!("\"{s}\" is not a whole number")),
    }
}

/// Run congvan with the process arguments; returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("{}", diag::render(e, color));
            }
            ExitCode::from(errors.exit_code())
        }
    }
}

/// Execute one parsed command line.
pub fn run(cli: Cli) -> std::result::Result<(), diag::Errors> {
    let clock = Clock { today: cli.today };
    match cli.command {
        Command::Draft(args) => draft(&args, &clock)?,
        Command::Init {
            dir,
            force,
            registry: Some(registry),
            values: Some(values),
        } => {
            let project = commands::init::project(&dir, &registry, &values)?;
            let outputs: Vec<(PathBuf, &[u8])> = project
                .files
                .iter()
                .map(|(p, b)| (p.clone(), b.as_slice()))
                .collect();
            write_new(&outputs, force)?;
            // Drafted once, so what init wrote is known to work as it is.
            let args = DraftArgs {
                spec: Some(project.spec.clone()),
                out: dir.join("drafts"),
                format: vec![FormatArg::Docx, FormatArg::Md],
                is_final: false,
                date: None,
                number: None,
                force,
                json: false,
                strict: false,
                each: None,
                quiet: true,
            };
            eprintln!(
                "{}: a {}-level letter from your registry, made from the sample letter of {}; replace the sample office's words: [issuer], [document], [signer], recipients, copies and [params] in it, and the agency and place names written in {}",
                project.spec.display(),
                project.levels,
                project.sample_office,
                project.spec.with_file_name("letter.md.tera").display()
            );
            draft(&args, &clock)?;
        }
        Command::Init { dir, force, .. } => init(&dir, force)?,
        Command::Check {
            spec,
            json,
            each,
            strict,
        } => {
            let (source, path) = match &spec {
                Some(p) => {
                    spec_exists(p)?;
                    (Source::Disk, p.clone())
                }
                None => (Source::Sample, PathBuf::from(sample::DEFAULT_SPEC)),
            };
            let options = DraftOptions {
                is_final: false,
                date: None,
                number: None,
                today: clock.today()?,
                strict,
            };
            let report = commands::check::check(source, &path, &options, each.is_some());
            warn(&report.warnings);
            // JSON on stdout for machines; the problems also go to stderr for people.
            if json {
                write_stdout(&commands::check::render_json(&report))?;
            } else if report.problems.is_empty() {
                write_stdout(&format!("ok: {}\n", report.checked.join(", ")))?;
            }
            if !report.problems.is_empty() {
                return Err(diag::Errors(report.problems));
            }
        }
        Command::Lagging { spec, json } => {
            let spec = load_spec(spec.as_deref())?;
            let facts = congvan::pipeline::load::facts(&spec)?;
            warn(&facts.warnings);
            let text = if json {
                commands::lagging::render_json(&facts)
            } else {
                commands::lagging::render_table(&facts)
            };
            write_lines(&text)?;
        }
        Command::Indicators { spec, json } => {
            let c = match spec {
                Some(p) => congvan::pipeline::load::catalogue(&load_spec(Some(&p))?)?,
                None => congvan::input::catalogue::Catalogue::builtin()?,
            };
            let text = if json {
                commands::indicators::render_json(&c)
            } else {
                commands::indicators::render_table(&c)
            };
            write_lines(&text)?;
        }
        Command::Vocabulary { spec, json } => {
            let v = match spec {
                Some(p) => congvan::pipeline::load::vocabulary(&load_spec(Some(&p))?)?,
                None => congvan::vocab::vocabulary::Vocabulary::builtin().clone(),
            };
            let text = if json {
                commands::vocabulary::render_json(&v)
            } else {
                commands::vocabulary::render_table(&v)
            };
            write_lines(&text)?;
        }
        Command::Diff {
            old,
            new,
            spec,
            json,
        } => {
            let (spec, found) = match spec {
                Some(s) => (Some(s), false),
                None if old.extension().is_none_or(|e| e != "toml") => {
                    let found = commands::diff::spec_in_folder(Path::new("."))?;
                    let from_folder = found.is_some();
                    (found, from_folder)
                }
                None => (None, false),
            };
            let (old_facts, new_facts) = commands::diff::load(&old, &new, spec.as_deref())
                .map_err(|mut e| {
                    // Say which spec matched the units when the user named none.
                    if let (true, Some(s)) = (found, &spec) {
                        if e.message.starts_with("unknown") {
                            e.message = format!(
                                "{} (no --spec was given, so the units were matched against the registry of {}, the spec in the current folder)",
                                e.message,
                                s.display()
                            );
                        }
                    }
                    e
                })?;
            let report = commands::diff::diff(&old_facts, &new_facts);
            let text = if json {
                commands::diff::render_json(&report)?
            } else {
                let (mut a, mut b) = (label(&old), label(&new));
                if a == b {
                    (a, b) = (old.display().to_string(), new.display().to_string());
                }
                commands::diff::render_text(&report, &a, &b)
            };
            write_stdout(&text)?;
        }
        Command::Deadline {
            from,
            n,
            calendar_days,
            calendar,
        } => {
            let cal = calendar.load()?;
            let report =
                commands::deadline::deadline(&cal, from, n, calendar_days, calendar.strict)?;
            warn(&report.warnings);
            write_lines(&commands::deadline::render_text(&report))?;
        }
        Command::Calendar {
            year,
            json,
            calendar,
        } => {
            let cal = calendar.load()?;
            let text = if json {
                commands::calendar::render_json(&cal, year)?
            } else {
                commands::calendar::render_text(&cal, year)?
            };
            write_lines(&text)?;
        }
        Command::Textconv { file } => {
            congvan::input::limits::check_file_size(
                &file,
                congvan::input::limits::DOCX_MAX_DECOMPRESSED,
            )?;
            let bytes = Source::Disk.read_bytes(&file)?;
            write_stdout(&commands::textconv::textconv(&bytes, &file)?)?;
        }
        Command::Serve(args) => serve::run(&args, clock.today()?)?,
        Command::Completions { shell } => clap_complete::generate(
            shell,
            &mut Cli::command(),
            "congvan",
            &mut std::io::stdout(),
        ),
        Command::Man { command } => write_stdout(&man_page(command.as_deref())?)?,
    }
    Ok(())
}

/// Print `text` on stdout; a closed pipe (`congvan diff … | head`) is not an error.
/// `text` on stdout, ending with a newline.
fn write_lines(text: &str) -> Result<()> {
    if text.ends_with('\n') {
        write_stdout(text)
    } else {
        write_stdout(&format!("{text}\n"))
    }
}

/// Write to stdout; a reader that stops early (`| head`) is not an error.
fn write_stdout(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::output(format!("failed to write to stdout ({e})")))
        }
        _ => Ok(()),
    }
}

/// A file as a report names it: its file name, or the path when it has none.
fn label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Load the spec named on the command line, or the shipped sample.
pub fn load_spec(path: Option<&Path>) -> Result<LetterSpec> {
    match path {
        Some(p) => {
            spec_exists(p)?;
            LetterSpec::load(Source::Disk, p)
        }
        None => LetterSpec::load(Source::Sample, Path::new(sample::DEFAULT_SPEC)),
    }
}

/// An error unless the spec named on the command line exists; the hint is about that path
/// (relative to the current folder), not about paths inside a spec.
fn spec_exists(path: &Path) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    let what = if path.exists() {
        "is not a file"
    } else {
        "does not exist"
    };
    Err(Error::input(format!("the spec {} {what}", path.display())).hint(
        "check the path (relative to the current folder), or run `congvan init DIR` to get sample specs to start from",
    ))
}

/// The man page (roff) of congvan, or of its subcommand `name` as `congvan-NAME(1)`, the
/// pages the main page's SUBCOMMANDS section refers to. Errors: an unknown `name` (usage).
pub fn man_page(name: Option<&str>) -> Result<String> {
    let mut cli = Cli::command();
    cli.build();
    let page = match name {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name) else {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                return Err(Error::usage(format!("congvan has no command \"{name}\""))
                    .hint(format!("man pages exist for: {}", names.join(", "))));
            };
            let full = format!("congvan-{}", sub.get_name());
            sub.clone()
                .name(full.clone())
                .bin_name(format!("congvan {}", sub.get_name()))
                .display_name(full)
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Error::output(format!("failed to write the man page ({e})")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The clock as the command line sets it: `--today` beats SOURCE_DATE_EPOCH beats the clock.
/// The only place congvan reads the time of day; the library gets dates through options.
struct Clock {
    /// `--today`, when given.
    today: Option<NaiveDate>,
}

impl Clock {
    /// Today's date: `--today`, else the date of SOURCE_DATE_EPOCH (UTC), else the local clock.
    /// Errors: SOURCE_DATE_EPOCH set to something other than whole seconds (usage).
    fn today(&self) -> Result<NaiveDate> {
        if let Some(day) = self.today {
            return Ok(day);
        }
        Ok(match source_date_epoch()? {
            Some(t) => t.date(),
            None => chrono::Local::now().date_naive(),
        })
    }
}

/// The time in SOURCE_DATE_EPOCH (UTC), when set.
pub fn source_date_epoch() -> Result<Option<NaiveDateTime>> {
    let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    s.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| Some(dt.naive_utc()))
        .ok_or_else(|| {
            Error::usage(format!(
                "SOURCE_DATE_EPOCH=\"{s}\" is not a number of seconds"
            ))
            .hint("set it to a Unix time, e.g. SOURCE_DATE_EPOCH=1722816000, or unset it")
        })
}

fn draft(args: &DraftArgs, clock: &Clock) -> std::result::Result<(), diag::Errors> {
    let spec = load_spec(args.spec.as_deref())?;
    let options = DraftOptions {
        is_final: args.is_final,
        date: args.date,
        number: args.number,
        today: clock.today()?,
        strict: args.strict,
    };
    let mut formats: Vec<Format> = args.format.iter().map(|f| Format::from(*f)).collect();
    formats.sort();
    formats.dedup();
    let created = source_date_epoch()?;
    let prepared = Prepared::new_all(&spec, &options)?;
    let units = args.each.map(|Each::Unit| prepared.facts().lagging_units());
    let Some(units) = units else {
        let letter = prepared.letter(&spec, None)?;
        warn(&letter.warnings);
        // With the .md, an earlier draft's charts that this one no longer makes are removed.
        let stem = letter.stem.clone();
        let stems = [stem.as_str()];
        let stale = pipeline::is_image_of(&stems);
        let none = |_: &str| false;
        let done = output::write_all_retiring(
            &args.out,
            &pipeline::outputs(&letter, &formats, created)?,
            args.force,
            match formats.contains(&Format::Md) {
                true => &stale,
                false => &none,
            },
        )?;
        recovered(&done.recovery, &args.out);
        retired(&done.retired, args.quiet);
        left_for_exit((prepared, letter));
        return Ok(report(&done.written, args.json, None, &args.out)?);
    };
    if units.is_empty() {
        eprintln!("no unit is below target; no letter to write");
        return match args.json {
            true => Ok(report(&[], true, Some(0), &args.out)?),
            false => Ok(()),
        };
    }
    let show = !args.quiet && std::io::stdout().is_terminal();
    let bar = progress(show, 2 * units.len() as u64);
    bar.set_message("drafting");
    let letters = congvan::pipeline::batch::letters(&spec, &prepared, &units, &|| bar.inc(1))?;
    if let Some(first) = letters.first() {
        warn(&first.warnings);
    }
    bar.set_message("writing");
    let options = congvan::pipeline::batch::BatchOptions {
        out: &args.out,
        formats: &formats,
        created,
        force: args.force,
    };
    let done = congvan::pipeline::batch::write(&letters, &options, &|| bar.inc(1));
    bar.finish_and_clear();
    let done = done?;
    recovered(&done.recovery, &args.out);
    retired(&done.retired, args.quiet);
    let count = letters.len();
    left_for_exit((prepared, letters));
    Ok(report(&done.written, args.json, Some(count), &args.out)?)
}

/// Leave `value` (the analysis, the template engine and context, the letters) to the end of
/// the process instead of freeing it one allocation at a time just before the process ends
/// anyway: 2 M instructions of a 56 M draft of the sample. Only for what holds memory, never
/// a file, a lock or a buffer still to be written.
fn left_for_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Say on stderr what was repaired after an interrupted run.
fn recovered(recovery: &output::Recovery, out: &Path) {
    if !recovery.is_empty() {
        eprintln!("note: {}", recovery.message(out));
    }
}

/// A progress bar on stderr, or a hidden one.
fn progress(show: bool, len: u64) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Tell what was written: the paths (one letter), a summary line (a batch), or JSON.
fn report(
    written: &[output::Written],
    json: bool,
    letters: Option<usize>,
    out: &Path,
) -> Result<()> {
    if json {
        let value = serde_json::json!({ "letters": letters.unwrap_or(1), "written": written });
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| Error::output(format!("failed to encode JSON ({e})")))?;
        write_lines(&text)?;
        return Ok(());
    }
    match letters {
        None => {
            let paths: String = written
                .iter()
                .map(|w| format!("{}\n", w.path.display()))
                .collect();
            write_stdout(&paths)?;
        }
        Some(n) => {
            write_stdout(&format!(
                "wrote {n} letters ({} files) to {}\n",
                written.len(),
                out.display()
            ))?;
        }
    }
    Ok(())
}

/// Print warnings on stderr.
/// Say which files of an earlier run were removed (charts this draft no longer makes).
fn retired(paths: &[PathBuf], quiet: bool) {
    if !quiet {
        for p in paths {
            eprintln!(
                "removed {} (an earlier draft's chart this one no longer makes)",
                p.display()
            );
        }
    }
}

fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn init(dir: &Path, force: bool) -> Result<()> {
    let outputs: Vec<(PathBuf, &[u8])> = sample::FILES
        .iter()
        .map(|(p, bytes)| (dir.join(p), *bytes))
        .collect();
    write_new(&outputs, force)?;
    write_stdout(&format!("{}\n", dir.join(sample::DEFAULT_SPEC).display()))?;
    Ok(())
}

/// Write `outputs`, none of which may exist unless `force`.
fn write_new(outputs: &[(PathBuf, &[u8])], force: bool) -> Result<()> {
    if !force {
        if let Some((p, _)) = outputs.iter().find(|(p, _)| p.exists()) {
            return Err(
                Error::output(format!("{} exists already; not overwriting", p.display()))
                    .hint("choose an empty folder, or pass --force to replace the sample files"),
            );
        }
    }
    for (path, bytes) in outputs {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, &e))?;
        }
        output::write_atomic(path, bytes)?;
    }
    Ok(())
}
