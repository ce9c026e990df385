//! Diagnostics: the one error type of congvan, carrying file, line, column, field and a hint.
//! Every stage returns `diag::Error`; only `render` turns one into text for a person.

use std::fmt;
use std::path::{Path, PathBuf};

pub mod toml;

/// What went wrong, broadly; decides the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The user's input (spec, template, data, registry, targets, calendar) is wrong: exit 1.
    Input,
    /// Writing output failed or was refused (unwritable folder, edited draft): exit 1.
    Output,
    /// The command line itself is wrong: exit 2.
    Usage,
}

/// Where a problem is: a file, and inside it a line, column or named field when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it (relative paths stay relative).
    pub file: PathBuf,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    /// Length of the offending text in characters (for the underline), at least 1.
    pub width: Option<usize>,
    /// The field, key or column the problem is in (`document.date`, `value`, `B7`).
    pub field: Option<String>,
    /// The text of the offending line, when the reader has it.
    pub source_line: Option<String>,
}

/// One problem, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Exit-code class.
    pub kind: Kind,
    /// Lowercase message without a trailing period, e.g. `unknown unit "Sở Tài chánh"`.
    pub message: String,
    /// Where, if known.
    pub location: Option<Box<Location>>,
    /// What to do about it.
    pub hint: Option<String>,
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A problem in the user's input.
    pub fn input(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Input,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    /// A problem writing output.
    pub fn output(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Output,
            message: message.into(),
            ..Error::input("")
        }
    }

    /// A problem with the command line.
    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: Kind::Usage,
            message: message.into(),
            ..Error::input("")
        }
    }

    /// A failed read or write of `path`.
    pub fn io(verb: &str, path: &Path, err: &std::io::Error) -> Self {
        let kind = if verb == "read" || verb == "open" {
            Kind::Input
        } else {
            Kind::Output
        };
        Error {
            kind,
            message: format!("failed to {verb} {} ({err})", path.display()),
            location: None,
            hint: None,
        }
    }

    /// Attach the file this error is about (keeps line/field already set).
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        let loc = self.location.get_or_insert_with(Box::default);
        loc.file = file.into();
        self
    }

    /// Attach a 1-based line number.
    pub fn at_line(mut self, line: usize) -> Self {
        self.location.get_or_insert_with(Box::default).line = Some(line);
        self
    }

    /// Attach a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        let loc = self.location.get_or_insert_with(Box::default);
        loc.line = Some(line);
        loc.column = Some(column);
        self
    }

    /// Attach the width of the offending text (for the underline).
    pub fn width(mut self, width: usize) -> Self {
        self.location.get_or_insert_with(Box::default).width = Some(width.max(1));
        self
    }

    /// Attach the field, key or column name.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.location.get_or_insert_with(Box::default).field = Some(field.into());
        self
    }

    /// Attach the text of the offending line.
    pub fn source_line(mut self, text: impl Into<String>) -> Self {
        self.location.get_or_insert_with(Box::default).source_line = Some(text.into());
        self
    }

    /// Attach a hint telling the user what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Process exit code for this error: 1 for bad input or output, 2 for usage.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Input | Kind::Output => 1,
            Kind::Usage => 2,
        }
    }

    /// Fill in the source line from the file's text when a line is known but no text yet.
    pub fn with_source_from(mut self, text: &str) -> Self {
        if let Some(loc) = self.location.as_mut() {
            if let (Some(line), None) = (loc.line, loc.source_line.as_ref()) {
                loc.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
            }
        }
        self
    }
}

impl fmt::Display for Error {
    /// One line: `file:line:column: field: message`; hints are left to `render`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}", loc.file.display())?;
            if let Some(line) = loc.line {
                write!(f, ":{line}")?;
                if let Some(col) = loc.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
            if let Some(field) = &loc.field {
                write!(f, "{field}: ")?;
            }
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Error {}

/// Several problems found in one pass (validation reports all at once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// Exit code of the worst problem (usage beats input).
    pub fn exit_code(&self) -> u8 {
        self.0.iter().map(Error::exit_code).max().unwrap_or(0)
    }

    /// `problems` sorted in file order: by file as first named, then line, then column (stable,
    /// so problems without a line keep their place after the located ones of their file).
    pub fn in_file_order(mut problems: Vec<Error>) -> Errors {
        sort_in_file_order(&mut problems);
        Errors(problems)
    }

    /// The first problem, for callers that stop at one (`draft`); an empty set (which no
    /// reader returns) becomes a generic input error.
    pub fn into_first(self) -> Error {
        self.0
            .into_iter()
            .next()
            .unwrap_or_else(|| Error::input("invalid input"))
    }

    /// Add the problems of `other` after these.
    pub fn extend(&mut self, other: Errors) {
        self.0.extend(other.0);
    }

    /// Whether there is no problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Sort `problems` in file order: files in the order first seen, then by line and column;
/// problems without a line go after their file's located ones. Stable.
pub fn sort_in_file_order(problems: &mut [Error]) {
    let mut files: Vec<PathBuf> = Vec::new();
    for e in problems.iter() {
        let f = e
            .location
            .as_ref()
            .map(|l| l.file.clone())
            .unwrap_or_default();
        if !files.contains(&f) {
            files.push(f);
        }
    }
    problems.sort_by_key(|e| {
        let loc = e.location.as_deref();
        let f = loc.map(|l| l.file.clone()).unwrap_or_default();
        let rank = files.iter().position(|x| *x == f).unwrap_or(usize::MAX);
        (
            rank,
            loc.and_then(|l| l.line).unwrap_or(usize::MAX),
            loc.and_then(|l| l.column).unwrap_or(0),
        )
    });
}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}

/// Render one error for a person: a title, the offending line underlined, the field and the hint.
pub fn render(error: &Error, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let message = shorten_quotes(&error.message);
    let title = match error.location.as_ref().and_then(|l| l.field.as_ref()) {
        Some(field) => format!("{field}: {message}"),
        None => message,
    };
    let mut groups: Vec<Group> = Vec::new();
    match &error.location {
        Some(loc) => {
            let path_text = match (loc.line, loc.column, &loc.source_line) {
                (Some(l), Some(c), None) => format!("{}:{l}:{c}", loc.file.display()),
                (Some(l), None, None) => format!("{}:{l}", loc.file.display()),
                _ => loc.file.display().to_string(),
            };
            match (&loc.source_line, loc.line) {
                (Some(text), Some(line)) => {
                    let (text, column) = window(text, loc.column);
                    let span = underline_span(&text, column, loc.width);
                    let snippet = Snippet::source(text)
                        .line_start(line)
                        .path(path_text)
                        .annotation(AnnotationKind::Primary.span(span));
                    groups.push(Level::ERROR.primary_title(title).element(snippet));
                }
                _ => {
                    let origin = annotate_snippets::Origin::path(path_text);
                    groups.push(Level::ERROR.primary_title(title).element(origin));
                }
            }
        }
        None => {
            // Nothing to point at: two plain lines read better than an empty snippet frame.
            let mut text = renderer.render(&[Group::with_title(Level::ERROR.primary_title(title))]);
            if let Some(hint) = &error.hint {
                text.push('\n');
                text.push_str(
                    &renderer.render(&[Group::with_title(Level::HELP.primary_title(hint.clone()))]),
                );
            }
            return text;
        }
    }
    if let Some(hint) = &error.hint {
        groups.push(Group::with_title(Level::HELP.secondary_title(hint.clone())));
    }
    renderer.render(&groups)
}

/// Most characters of a source line shown in an error; a longer line is cut to a window
/// around the column, marked with "…" at the cut ends.
pub const SNIPPET_WIDTH: usize = 120;

/// `text` cut to [`SNIPPET_WIDTH`] characters around the 1-based `column` (the start when none),
/// and the column within the cut text.
fn window(text: &str, column: Option<usize>) -> (String, Option<usize>) {
    let chars = text.chars().count();
    if chars <= SNIPPET_WIDTH {
        return (text.to_string(), column);
    }
    let at = column.unwrap_or(1).clamp(1, chars) - 1;
    let start = at
        .saturating_sub(SNIPPET_WIDTH / 3)
        .min(chars - SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut cut: String = text.chars().skip(start).take(SNIPPET_WIDTH).collect();
    let mut shifted = column.map(|c| c - start);
    if start > 0 {
        cut.insert(0, '…');
        shifted = shifted.map(|c| c + 1);
    }
    if end < chars {
        cut.push('…');
    }
    (cut, shifted)
}

/// Longest quoted text shown whole in a message (a CSV cell may hold a megabyte).
const QUOTE_WIDTH: usize = 80;

/// `message` with every quoted text ("…") longer than [`QUOTE_WIDTH`] characters cut to its
/// start and end around a "…".
fn shorten_quotes(message: &str) -> String {
    let parts: Vec<&str> = message.split('"').collect();
    if parts.len() < 3 {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len().min(4 * QUOTE_WIDTH));
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('"');
        }
        let quoted = i % 2 == 1 && i < last;
        let chars = part.chars().count();
        if quoted && chars > QUOTE_WIDTH {
            out.extend(part.chars().take(QUOTE_WIDTH - 12));
            out.push('…');
            out.extend(part.chars().skip(chars - 10));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Byte range to underline in `text`: from the 1-based character `column`, `width` characters
/// long; the whole line when no column is known.
fn underline_span(
    text: &str,
    column: Option<usize>,
    width: Option<usize>,
) -> std::ops::Range<usize> {
    let offsets: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = offsets.len() - 1;
    let (first, count) = match column {
        Some(c) => (c.max(1) - 1, width.unwrap_or(1).max(1)),
        None => (0, width.unwrap_or(chars).max(1)),
    };
    let first = first.min(chars);
    let last = (first + count).min(chars);
    offsets[first]..offsets[last]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_quoted_value_is_cut_in_the_message() {
        let e = Error::input(format!("value \"{}x\" is not a number", "9".repeat(5_000)));
        let text = render(&e, false);
        assert!(text.len() < 300, "{text}");
        assert!(text.contains("99…999999999x\" is not a number"), "{text}");
        assert_eq!(shorten_quotes("a \"b\" c"), "a \"b\" c");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_column() {
        let line = format!("{}BAD{}", "a".repeat(100_000), "b".repeat(100_000));
        let e = Error::input("value is not a number")
            .in_file("v.csv")
            .at(2, 100_001)
            .width(3)
            .source_line(line);
        let text = render(&e, false);
        assert!(text.len() < 1_000, "{} bytes", text.len());
        assert!(text.contains("aaaBADbbb"));
        let shown = text.lines().find(|l| l.contains("BAD")).unwrap_or_default();
        let marks = text.lines().find(|l| l.contains("^^^")).unwrap_or_default();
        assert_eq!(
            shown.find("BAD").map(|i| shown[..i].chars().count()),
            marks.find("^^^").map(|i| marks[..i].chars().count()),
            "{text}"
        );
    }

    #[test]
    fn trust_errors_long_lines_are_cut_around_the_column() {
        for (line, column) in [
            (format!("{};abc%", "x".repeat(5000)), 5002),
            (format!("abc%;{}", "y".repeat(5000)), 1),
            (
                format!("{};abc%;{}", "x".repeat(3000), "y".repeat(3000)),
                3002,
            ),
        ] {
            let e = Error::input("value is not a number")
                .in_file("v.csv")
                .at(7, column)
                .width(4)
                .source_line(line);
            let text = render(&e, false);
            assert!(text.contains("abc%"), "{text}");
            assert!(text.contains("^^^^"), "{text}");
            assert!(text.contains("v.csv:7:"), "{text}");
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(widest <= 160, "a line of {widest} characters:\n{text}");
        }
    }

    #[test]
    fn renders_file_line_field_and_hint() {
        let e = Error::input("value is not a number")
            .in_file("data/2024-07.csv")
            .at(3, 28)
            .width(4)
            .field("value")
            .source_line("SO_TC;ty_le_ho_so_truc_tuyen;abc%")
            .hint("write the rate as 65,52 or 65,52%");
        let text = render(&e, false);
        assert!(
            text.contains("error: value: value is not a number"),
            "{text}"
        );
        assert!(text.contains("data/2024-07.csv:3:28"), "{text}");
        assert!(text.contains("SO_TC;ty_le_ho_so_truc_tuyen;abc%"), "{text}");
        assert!(text.contains("^^^^"), "{text}");
        assert!(
            text.contains("help: write the rate as 65,52 or 65,52%"),
            "{text}"
        );
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn file_order_keeps_files_as_first_seen_and_sorts_lines() {
        let at = |f: &str, line: usize| Error::input(format!("{f}{line}")).in_file(f).at_line(line);
        let e = Errors::in_file_order(vec![
            at("b", 9),
            at("a", 7),
            at("b", 2),
            Error::input("b-").in_file("b"),
            at("a", 3),
        ]);
        let order: Vec<&str> = e.0.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(order, ["b2", "b9", "b-", "a3", "a7"]);
        assert_eq!(e.into_first().message, "b2");
    }

    #[test]
    fn renders_without_location() {
        let e = Error::usage("unknown format \"pdf\"");
        assert!(render(&e, false).starts_with("error: unknown format"));
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn underline_handles_multibyte_and_overflow() {
        assert_eq!(underline_span("Sở Tư pháp", Some(4), Some(2)), 5..8);
        assert_eq!(underline_span("ab", Some(9), Some(3)), 2..2);
        assert_eq!(underline_span("ab", None, None), 0..2);
    }
}
