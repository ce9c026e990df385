//! TOML positions for diagnostics: byte spans (from `toml::Spanned`, a serde error or toml's
//! span-keeping `DeTable`) turned into file:line:column, the dotted key and the source line.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::Error;

/// Place `error` at byte range `span` of `text` (file `path`): 1-based line and column (in
/// characters), the underline width (first line of the span, at least 1) and the line's text.
pub fn located(error: Error, text: &str, path: &Path, span: Range<usize>) -> Error {
    let start = floor_char(text, span.start.min(text.len()));
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let end = floor_char(text, span.end.min(text.len()).max(start));
    let line_text = text[line_start..].lines().next().unwrap_or("");
    let width = text[start..end]
        .lines()
        .next()
        .map_or(1, |s| s.chars().count().max(1));
    error
        .in_file(path)
        .at(line, column)
        .width(width)
        .source_line(line_text)
}

/// When the line of byte `offset` of `text` gives a value with a decimal comma (`default =
/// 60,5`), which TOML reads as the end of the value: the hint to write a dot.
pub fn decimal_comma_hint(text: &str, offset: usize) -> Option<String> {
    let start = floor_char(text, offset.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("");
    let value = line.split_once('=')?.1;
    let value = value.split('#').next().unwrap_or("").trim();
    let (whole, fraction) = value.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (digits(whole.trim_start_matches(['-', '+'])) && digits(fraction.trim_end_matches('%')))
        .then(|| {
            format!(
                "a number in this file is written with a dot: {whole}.{} (a comma would start a new item)",
                fraction.trim_end_matches('%')
            )
        })
}

/// [`located`], plus the dotted key at the span (see [`key_at`]) as the error's field.
pub fn located_key(error: Error, text: &str, path: &Path, span: Range<usize>) -> Error {
    let key = key_at(text, span.start);
    let error = located(error, text, path, span);
    match key {
        Some(k) => error.field(k),
        None => error,
    }
}

/// The dotted key (`layout.profile`, `years.2025.off`) whose key or value holds byte `offset`
/// of the TOML `text`, from toml's own parse with spans (recovering past syntax errors);
/// `None` when the offset is outside every key, e.g. in a comment.
pub fn key_at(text: &str, offset: usize) -> Option<String> {
    let (root, _) = DeTable::parse_recoverable(text);
    let mut path = Vec::new();
    descend(root.get_ref(), offset, &mut path);
    (!path.is_empty()).then(|| path.join("."))
}

fn descend(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) {
    // Keys come in the order written; the innermost one containing the offset wins.
    for (key, value) in table {
        let in_key = key.span().contains(&offset);
        let in_value = value.span().contains(&offset);
        if in_key || in_value {
            path.push(key.get_ref().to_string());
            if in_value {
                descend_value(value, offset, path);
            }
            return;
        }
    }
    // A header line (`[layout]`): the value span of a table can miss its header.
    for (key, value) in table {
        if let DeValue::Table(inner) = value.get_ref() {
            let before = path.len();
            path.push(key.get_ref().to_string());
            descend(inner, offset, path);
            if path.len() > before + 1 {
                return;
            }
            path.truncate(before);
        }
    }
}

fn descend_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut Vec<String>) {
    match value.get_ref() {
        DeValue::Table(t) => descend(t, offset, path),
        DeValue::Array(items) => {
            if let Some(item) = items.iter().find(|i| i.span().contains(&offset)) {
                descend_value(item, offset, path);
            }
        }
        _ => {}
    }
}

/// The span of the deepest key of `keys` (`["targets", "ty_le_x", "unit", "so-tp"]`) that
/// exists in `text`, walking down as far as the keys are found; `None` if not even the first.
pub fn span_of(text: &str, keys: &[&str]) -> Option<Range<usize>> {
    let (root, _) = DeTable::parse_recoverable(text);
    let mut table: &DeTable<'_> = root.get_ref();
    let mut found = None;
    for want in keys {
        let Some((key, value)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *want) else {
            break;
        };
        found = Some(key.span());
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => break,
        }
    }
    found
}

/// The span of the value at exactly the key path `keys` (`["data", "values"]`), when written.
pub fn value_span_of(text: &str, keys: &[&str]) -> Option<Range<usize>> {
    let (root, _) = DeTable::parse_recoverable(text);
    let (last, parents) = keys.split_last()?;
    let mut table: &DeTable<'_> = root.get_ref();
    for want in parents {
        match table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == *want)?
            .1
            .get_ref()
        {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    let (_, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *last)?;
    Some(value.span())
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "template = \"a.tera\"\n\n[layout]\nprofile = 15\n\n[targets.ty_le]\ndefault = 50\nunit = { \"so-tp\" = 120 }\n";

    #[test]
    fn key_at_names_the_dotted_key() {
        let at = |needle: &str| key_at(TEXT, TEXT.find(needle).unwrap());
        assert_eq!(at("15").as_deref(), Some("layout.profile"));
        assert_eq!(at("profile").as_deref(), Some("layout.profile"));
        assert_eq!(at("\"a.tera\"").as_deref(), Some("template"));
        assert_eq!(at("120").as_deref(), Some("targets.ty_le.unit.so-tp"));
    }

    #[test]
    fn span_of_walks_as_deep_as_it_can() {
        let span = span_of(TEXT, &["targets", "ty_le", "unit", "so-tp"]).unwrap();
        assert_eq!(&TEXT[span], "\"so-tp\"");
        let span = span_of(TEXT, &["targets", "ty_le", "bloc", "x"]).unwrap();
        assert_eq!(&TEXT[span], "ty_le");
        assert!(span_of(TEXT, &["nothing"]).is_none());
        let span = value_span_of(TEXT, &["layout", "profile"]).unwrap();
        assert_eq!(&TEXT[span], "15");
        assert!(value_span_of(TEXT, &["layout", "margins"]).is_none());
    }

    #[test]
    fn a_decimal_comma_gets_the_dot_hint() {
        let text = "[targets.x]\ndefault = 60,5\n";
        assert_eq!(
            decimal_comma_hint(text, text.find("60").unwrap_or(0) + 3).as_deref(),
            Some("a number in this file is written with a dot: 60.5 (a comma would start a new item)")
        );
        assert_eq!(decimal_comma_hint("a = \"60,5\"\n", 2), None);
        assert_eq!(decimal_comma_hint("a = [1, 2]\n", 2), None);
    }

    #[test]
    fn located_counts_characters_not_bytes() {
        let text = "a = 1\nnơi = \"Hà Nội\"\n";
        let start = text.find("\"Hà").unwrap();
        let e = located(
            Error::input("x"),
            text,
            Path::new("f.toml"),
            start..text.len() - 1,
        );
        let loc = e.location.unwrap();
        assert_eq!(
            (loc.line, loc.column, loc.width),
            (Some(2), Some(7), Some(8))
        );
        assert_eq!(loc.source_line.as_deref(), Some("nơi = \"Hà Nội\""));
    }
}
