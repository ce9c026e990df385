//! What calamine does not say about an XLSX cell: whether its number format shows a percentage
//! (`0.00%`: Excel stores 90 % as 0.9) and whether it is a formula with no saved value.
//! Read from the workbook's own parts (styles, workbook relationships, the sheet).

use std::collections::{HashMap, HashSet};
use std::io::Read;

use quick_xml::events::{BytesStart, Event};

/// Per cell (0-based absolute row, column) facts about one sheet.
#[derive(Debug, Default)]
pub struct SheetFormats {
    /// Cells whose number format shows a percentage.
    pub percent: HashSet<(usize, usize)>,
    /// Cells holding a formula with no saved result (never calculated, or saved by a tool
    /// that does not calculate): no value to read.
    pub formula_without_value: HashSet<(usize, usize)>,
}

/// The formats of sheet `sheet` of the workbook `bytes`. `None` when the workbook's parts
/// cannot be followed (calamine's error, if any, says more).
pub fn read(bytes: &[u8], sheet: &str) -> Option<SheetFormats> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut part = |name: &str| -> Option<String> {
        let mut s = String::new();
        zip.by_name(name).ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let workbook = part("xl/workbook.xml")?;
    let rels = part("xl/_rels/workbook.xml.rels")?;
    let styles = part("xl/styles.xml").unwrap_or_default();
    let rid = sheet_rid(&workbook, sheet)?;
    let target = rel_target(&rels, &rid)?;
    let path = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    let sheet_xml = part(&path)?;
    let percent_styles = percent_styles(&styles);
    Some(scan_sheet(&sheet_xml, &percent_styles))
}

fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| String::from_utf8_lossy(&a.value).into_owned())
    })
}

/// The relationship id of the sheet named `name` in xl/workbook.xml.
fn sheet_rid(xml: &str, name: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"sheet"
                    && attr(&e, b"name").as_deref() == Some(name) =>
            {
                return attr(&e, b"id");
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The target of relationship `id`.
fn rel_target(xml: &str, id: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"Relationship"
                    && attr(&e, b"Id").as_deref() == Some(id) =>
            {
                return attr(&e, b"Target");
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Indexes into `cellXfs` (a cell's `s`) whose number format shows a percentage.
fn percent_styles(xml: &str) -> HashSet<usize> {
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut out = HashSet::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut in_cell_xfs = false;
    let mut index = 0usize;
    loop {
        let Ok(event) = reader.read_event() else {
            return out;
        };
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"numFmt" => {
                    if let (Some(id), Some(code)) = (attr(&e, b"numFmtId"), attr(&e, b"formatCode"))
                    {
                        custom.insert(id, code);
                    }
                }
                b"cellXfs" => in_cell_xfs = true,
                b"xf" if in_cell_xfs => {
                    let id = attr(&e, b"numFmtId").unwrap_or_default();
                    let percent = match custom.get(&id) {
                        Some(code) => is_percent_format(code),
                        // Built-in 9 is "0%", 10 is "0.00%" (ECMA-376 Part 1, 18.8.30).
                        None => id == "9" || id == "10",
                    };
                    if percent {
                        out.insert(index);
                    }
                    index += 1;
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_cell_xfs = false,
            Event::Eof => return out,
            _ => {}
        }
    }
}

/// Whether a number format code shows a percentage: a '%' in its first (positive) section,
/// outside quotes and not escaped.
pub fn is_percent_format(code: &str) -> bool {
    let (mut quoted, mut escaped) = (false, false);
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// "B7" → (6, 1).
fn cell_position(r: &str) -> Option<(usize, usize)> {
    let letters: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: usize = r[letters.len()..].parse().ok()?;
    let mut col = 0usize;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1);
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

fn scan_sheet(xml: &str, percent_styles: &HashSet<usize>) -> SheetFormats {
    let mut out = SheetFormats::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    // The open cell: position, has a formula, has a value.
    let mut cell: Option<((usize, usize), bool, bool)> = None;
    loop {
        let Ok(event) = reader.read_event() else {
            return out;
        };
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let pos = attr(&e, b"r").and_then(|r| cell_position(&r));
                if let Some(pos) = pos {
                    let style = attr(&e, b"s").and_then(|s| s.parse::<usize>().ok());
                    if style.is_some_and(|s| percent_styles.contains(&s)) {
                        out.percent.insert(pos);
                    }
                    cell = Some((pos, false, false));
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                // A styled empty cell: no value either way.
            }
            Event::Start(e) | Event::Empty(e) if cell.is_some() => match e.local_name().as_ref() {
                b"f" => cell = cell.map(|(p, _, v)| (p, true, v)),
                b"v" | b"is" => cell = cell.map(|(p, f, _)| (p, f, true)),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"c" => {
                if let Some((pos, true, false)) = cell.take() {
                    out.formula_without_value.insert(pos);
                }
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_numbers_percent_format_codes() {
        for yes in ["0%", "0.00%", "#,##0.0%", "0.00%;[Red]-0.00%"] {
            assert!(is_percent_format(yes), "{yes}");
        }
        for no in ["0.00", "General", "0.00\"%\"", "0\\%", "0;0%", "@"] {
            assert!(!is_percent_format(no), "{no}");
        }
        assert_eq!(cell_position("B2"), Some((1, 1)));
        assert_eq!(cell_position("AB10"), Some((9, 27)));
    }
}
