//! JSON values: an array of objects (or `{"values": [...]}`), each object one row of a long
//! table (`unit`, `indicator`, `value`, …) or a wide one (`unit` plus one key per indicator).
//! Numbers may be JSON numbers or strings as in CSV ("65,52%").

use std::path::Path;

use serde_json::Value;

use super::{Cell, Layout, Loader, ValueTable};
use crate::diag::{Error, Errors};
use crate::input::catalogue::Catalogue;
use crate::input::registry::Registry;
use crate::input::source::Source;

/// Read a JSON values file.
pub fn read(
    source: &Source,
    path: &Path,
    registry: &Registry,
    catalogue: &Catalogue,
) -> Result<ValueTable, Errors> {
    let text = source.read_text(path)?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        // serde_json counts columns in bytes; the error counts characters.
        let line = e.line().max(1);
        let line_text = text.lines().nth(line - 1).unwrap_or("");
        let byte = e.column().saturating_sub(1).min(line_text.len());
        let before = line_text.get(..byte).unwrap_or(line_text);
        let column = before.chars().count() + 1;
        let decimal_comma = {
            let t = before.trim_end();
            t.ends_with(',') && t[..t.len() - 1].ends_with(|c: char| c.is_ascii_digit())
        };
        let hint = if decimal_comma {
            "JSON numbers take a decimal point (95.10), not a comma; or write the number as a string as in CSV (\"95,10%\")"
        } else {
            "the file must be an array of objects, e.g. [{\"unit\": \"Sở Tư pháp\", \"indicator\": \"ty_le_ho_so_truc_tuyen\", \"value\": 89.22}]"
        };
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        Error::input(format!("invalid JSON: {message}"))
            .in_file(path)
            .at(line, column)
            .source_line(line_text)
            .hint(hint)
    })?;
    let rows = match &doc {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("values") {
            Some(Value::Array(a)) => a,
            _ => {
                return Err(Error::input(
                    "expected an array of rows or an object with a \"values\" array",
                )
                .in_file(path)
                .hint("write [{\"unit\": …, \"indicator\": …, \"value\": …}, …]")
                .into())
            }
        },
        _ => {
            return Err(Error::input("expected an array of rows")
                .in_file(path)
                .hint("write [{\"unit\": …, \"indicator\": …, \"value\": …}, …]")
                .into())
        }
    };
    let mut loader = Loader::new(path, registry, catalogue);
    for (i, row) in rows.iter().enumerate() {
        let Value::Object(obj) = row else {
            loader.problem(
                Error::input("row is not an object")
                    .in_file(path)
                    .field(format!("[{i}]"))
                    .hint("each row is {\"unit\": …, …}"),
            );
            continue;
        };
        let keys: Vec<String> = obj.keys().cloned().collect();
        let cells: Vec<Cell> = obj
            .values()
            .map(|v| match v {
                Value::Null => Cell::Empty,
                Value::Number(n) => n.as_f64().map_or(Cell::Empty, Cell::Number),
                Value::String(s) => Cell::Text(crate::text::nfc_string(s.trim())),
                other => Cell::Text(other.to_string()),
            })
            .collect();
        let locate = |col: Option<usize>, e: Error| {
            let hint = e.hint.clone();
            let field = match col.and_then(|c| keys.get(c)) {
                Some(k) => format!("[{i}].{k}"),
                None => format!("[{i}]"),
            };
            let mut err = Error::input(e.message).in_file(path).field(field);
            err.hint = hint;
            err
        };
        let layout = match Layout::from_headers(&keys, catalogue, registry.vocabulary.column_keys())
        {
            Ok(layout) => layout,
            Err((c, e)) => {
                loader.problem(locate(c, e));
                continue;
            }
        };
        if let Err((c, e)) = loader.row(&layout, &cells, i + 1) {
            loader.problem(locate(c, e));
        }
    }
    if let Some(problems) = loader.take_problems() {
        return Err(problems);
    }
    loader
        .finish()
        .map_err(|e| {
            let hint = e.hint.clone();
            let mut err =
                Error::input(e.message.replace("a header but no values", "no rows")).in_file(path);
            err.hint = hint;
            err
        })
        .map_err(Errors::from)
}
