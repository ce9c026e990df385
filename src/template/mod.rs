//! The template stage: builds the Tera context (letter, params, analysis facts) and renders the
//! body template to Markdown, escaping every inserted value so data can never become markup.

pub mod data;
pub mod dates;
pub mod guard;
pub mod lists;

use std::path::Path;

use crate::diag::{Error, Result};
use crate::markdown::escape;

/// A Tera engine set up for letter bodies: Markdown autoescape and strict undefined values.
pub struct Engine {
    tera: tera::Tera,
}

/// Name under which the body template is registered (its suffix turns autoescape on).
const BODY: &str = "body.md";

impl Engine {
    /// A fresh engine with the Markdown escaper.
    pub fn new() -> Self {
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(|input: &str, out: &mut dyn std::io::Write| {
            out.write_all(escape::escape(input).as_bytes())
        });
        tera.autoescape_on([".md"]);
        tera.register_filter(
            "cell",
            |v: &str, _: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
                Ok(tera::Value::safe_string(&cell(v)))
            },
        );
        // The list component is part of the binary and covered by tests; a failure here is a
        // build defect.
        lists::register(&mut tera).unwrap_or_else(|e| {
            panic!("templates/lists.md.tera compiled into congvan is invalid: {e}")
        });
        Engine { tera }
    }

    /// The underlying Tera, for registering filters and functions.
    pub fn tera_mut(&mut self) -> &mut tera::Tera {
        &mut self.tera
    }

    /// Render `text` (the template file at `path`) with `context` to Markdown.
    pub fn render(&mut self, path: &Path, text: &str, context: &tera::Context) -> Result<String> {
        self.compile(path, text)?;
        self.render_compiled(path, text, context)
    }

    /// Parse `text` (the template file at `path`) once, for many renders.
    pub fn compile(&mut self, path: &Path, text: &str) -> Result<()> {
        for (i, line) in text.lines().enumerate() {
            if let Some((at, c)) = crate::text::first_forbidden(line) {
                return Err(Error::input(format!(
                    "template error: control character {} in the template",
                    crate::text::char_name(c)
                ))
                .in_file(path)
                .at(i + 1, at + 1)
                .source_line(line.replace(crate::text::xml_forbidden, "\u{fffd}"))
                .hint("a Word document cannot hold this character; delete it"));
            }
        }
        self.tera
            .add_raw_template(BODY, text)
            .map_err(|e| tera_error(&e, path, text))
    }

    /// Render the compiled template (`path`, `text` only name the place of an error).
    pub fn render_compiled(
        &self,
        path: &Path,
        text: &str,
        context: &tera::Context,
    ) -> Result<String> {
        let render = guard::Render::begin();
        let mut out = guard::Bounded::new(&render);
        let rendered = self.tera.render_to(BODY, context, &mut out);
        if let Some(limit) = out.broken {
            return Err(Error::input(limit.to_string())
                .in_file(path)
                .hint(guard::HINT));
        }
        rendered.map_err(|e| tera_error(&e, path, text))?;
        String::from_utf8(out.buf).map_err(|e| {
            Error::input(format!("the template wrote invalid UTF-8 ({e})")).in_file(path)
        })
    }
}

/// The `cell` filter: a value for a pipe-table cell, escaped, its line breaks as `<br>` (the
/// reader's line break inside a cell) and an empty value as nothing.
pub fn cell(value: &str) -> String {
    value
        .lines()
        .map(|l| escape::escape(l.trim()))
        .collect::<Vec<_>>()
        .join("<br>")
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// Turn a Tera error into a diagnostic at the template line it names.
pub fn tera_error(e: &tera::Error, path: &Path, text: &str) -> Error {
    let (message, span) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.message().to_string(),
            Some((
                r.span().start_line,
                r.span().start_col,
                r.span().end_line,
                r.span().end_col,
            )),
        ),
        other => parse_report(&other.to_string()),
    };
    let mut message = message;
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(&format!(" ({c})"));
        cause = c.source();
    }
    let lower = first_lowercase(&message);
    let mut err = Error::input(format!("template error: {lower}")).in_file(path);
    if let Some((start_line, start_col, end_line, end_col)) = span {
        let width = if end_line == start_line {
            end_col.saturating_sub(start_col).max(1)
        } else {
            1
        };
        err = err
            .at(start_line, start_col + 1)
            .width(width)
            .with_source_from(text);
    }
    let hint = if lower.contains("cannot compute the commune level") {
        "a commune level is summed from the communes' counts: give the numerator and denominator columns in the export, or a ready-made row \"Cấp xã thuộc huyện …\", or list the communes one by one with communes=\"list\"".to_string()
    } else if lower.contains("no data for indicator") && !lower.contains(" to chart") {
        "this month's file has no figure for the indicator: check its column or rows in the export (`congvan indicators` lists the keys and the names an export may use), or take the list out of the template".to_string()
    } else if lower.contains(" to chart") {
        "chart(indicator=…) takes the key of an indicator with data (`congvan indicators` lists them); in a loop over `standings` write chart(indicator=ind.key)".to_string()
    } else if lower.contains(" of the registry") {
        "write the bloc, kind or unit as the registry writes it (folded: case, NFD and tone placement do not matter), or a code of the vocabulary (`congvan vocabulary`)".to_string()
    } else if lower.contains("variable `unit` is not defined") {
        "`unit` exists only in a batch: run `congvan draft SPEC --each unit`".to_string()
    } else if lower.contains("not found in context")
        || lower.contains("undefined")
        || lower.contains("not defined")
    {
        "check the spelling; the README lists the variables a template can use (letter, params, lagging …); a value that may be missing needs `{% if x is defined %}` or `| default(value=…)`".to_string()
    } else if lower.contains("filter") || lower.contains("function") {
        "the README lists congvan's filters and functions".to_string()
    } else if let Some((tag, line)) = lower
        .contains("end of input")
        .then(|| unclosed_tag(text))
        .flatten()
    {
        format!("the `{{% {tag} %}}` on line {line} is never closed; add its `{{% end{tag} %}}`")
    } else {
        "see the Tera 2 syntax: {{ value }}, {% if %}…{% endif %}, {% for x in xs %}…{% endfor %}"
            .to_string()
    };
    err.hint(hint)
}

/// The innermost block tag (`if`, `for`, …) opened in `text` and never closed, with its line.
fn unclosed_tag(text: &str) -> Option<(String, usize)> {
    const BLOCKS: &[&str] = &["if", "for", "block", "macro", "filter", "raw", "set"];
    let mut stack: Vec<(String, usize)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{%") {
            let after = &rest[start + 2..];
            let inner = after.trim_start_matches(['-', ' ', '\t']);
            let word: String = inner
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if let Some(closed) = word.strip_prefix("end") {
                if let Some(pos) = stack.iter().rposition(|(t, _)| t == closed) {
                    stack.truncate(pos);
                }
            } else if BLOCKS.contains(&word.as_str()) {
                // `{% set x = … %}` is one tag; only `{% set x %}…{% endset %}` opens a block.
                let is_block_set = word != "set" || !inner.contains('=');
                if is_block_set {
                    stack.push((word, i + 1));
                }
            }
            rest = after;
        }
    }
    stack.pop()
}

/// Tera reports unknown filters and functions as pre-rendered text
/// ("error: Unknown filter `x`\n --> body.md:1:8 …", one report per problem): take the first
/// report's message and position, and count the others.
fn parse_report(report: &str) -> (String, Option<(usize, usize, usize, usize)>) {
    let messages: Vec<&str> = report
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .collect();
    let Some(first) = messages.first() else {
        return (report.trim().to_string(), None);
    };
    let mut message = first.to_string();
    if messages.len() > 1 {
        message.push_str(&format!(" (and {} more problems)", messages.len() - 1));
    }
    let position = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .and_then(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let col: usize = parts.next()?.trim().parse().ok()?;
            let line: usize = parts.next()?.trim().parse().ok()?;
            Some((line, col.saturating_sub(1), line, col.saturating_sub(1)))
        });
    let width = report
        .lines()
        .find(|l| l.contains('^'))
        .map_or(1, |l| l.matches('^').count());
    (
        message,
        position.map(|(l, c, _, _)| (l, c, l, c + width.max(1))),
    )
}

fn first_lowercase(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Convert a TOML value to the JSON the template sees (dates become "YYYY-MM-DD" strings).
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(crate::text::nfc_string(s)),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(src: &str, ctx: &tera::Context) -> Result<String> {
        Engine::new().render(Path::new("t.md.tera"), src, ctx)
    }

    #[test]
    fn cell_filter_keeps_lines_and_escapes() {
        let mut engine = Engine::new();
        let mut ctx = tera::Context::new();
        ctx.insert("v", "Rà soát:\n- cấp tỉnh | A*B\n- cấp huyện");
        let md = engine
            .render(Path::new("t.md.tera"), "| {{ v | cell }} |", &ctx)
            .unwrap();
        // Each line is escaped as a value (a "- " start guarded); it reads back the same.
        assert_eq!(
            md,
            "| Rà soát:<br>\\- cấp tỉnh \\| A\\*B<br>\\- cấp huyện |"
        );
        let md = format!("| a |\n|--|\n{md}\n");
        let Some(crate::doc::Block::Table(t)) = crate::markdown::parse(&md).into_iter().next()
        else {
            panic!("no table");
        };
        assert_eq!(
            crate::doc::inlines_text(&t.rows[0][0]),
            "Rà soát:\n- cấp tỉnh | A*B\n- cấp huyện"
        );
    }

    #[test]
    fn inserted_values_are_markdown_escaped() {
        let mut ctx = tera::Context::new();
        ctx.insert("name", "A*B_C <x> & [y]");
        let out = render("**{{ name }}**", &ctx).ok();
        assert_eq!(out.as_deref(), Some("**A\\*B\\_C \\<x\\> \\& \\[y\\]**"));
    }

    #[test]
    fn undefined_variable_is_an_error_at_its_line() {
        let ctx = tera::Context::new();
        let err = render("line one\n\nhello {{ nobody }}\n", &ctx).err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("t.md.tera:3:"), "{err}");
    }

    #[test]
    fn syntax_error_names_line() {
        let err = render("a\n{% if %}\n", &tera::Context::new()).err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("t.md.tera:2:"), "{err}");
    }

    #[test]
    fn unclosed_if_is_named_in_the_hint() {
        let err = render(
            "a\n{% if x %}\nb {% for y in z %}{% endfor %}\n",
            &tera::Context::new(),
        )
        .err();
        let hint = err.and_then(|e| e.hint).unwrap_or_default();
        assert!(hint.contains("`{% if %}` on line 2"), "{hint}");
    }

    #[test]
    fn unknown_filter_is_an_error() {
        let mut ctx = tera::Context::new();
        ctx.insert("x", &1);
        let err = render("{{ x | nosuchfilter }}", &ctx).err();
        let err = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("t.md.tera:1:"), "{err}");
    }
}
