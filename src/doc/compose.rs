//! Composing the Document: the spec's header, addressees, receivers and signer around the parsed
//! body, with every NĐ 30 wording rule applied (upper case, number padding, draft blanks, "./.").

use chrono::NaiveDate;

use crate::diag::{Error, Result};
use crate::doc::{
    Addressees, Appendix, AppendixSource, Block, Closing, Document, Header, Heading, Inline,
    Layout, Margins, Signature,
};
use crate::input::spec::LetterSpec;
use crate::vocab::nd30;

/// Draft or final, and the values that fill the blanks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Issue {
    /// The letter date (month and year show even in a draft).
    pub date: NaiveDate,
    /// The number, when known.
    pub number: Option<u32>,
    /// Final: number and day filled in; draft: left blank for the văn thư.
    pub is_final: bool,
}

/// The spec's text fields after filling in any `{{ … }}` they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecTexts {
    /// Trích yếu.
    pub subject: String,
    /// Kính gửi entries.
    pub recipients: Vec<String>,
    /// Output file stem, when the spec names one.
    pub output: Option<String>,
}

/// Blank left for the number in a draft: "Số:" + these spaces + "/VP-KSTTHC".
const NUMBER_BLANK: &str = "      ";

/// Build the Document from the spec, the body blocks and the issue details.
pub fn document(
    spec: &LetterSpec,
    body: Vec<Block>,
    appendices: Vec<AppendixSource>,
    issue: &Issue,
    texts: &SpecTexts,
) -> Result<Document> {
    let f = &spec.fields;
    let w = nd30::wording();
    let kind = w
        .kind(f.document.kind.get_ref())
        .ok_or_else(|| Error::input("unknown document kind").in_file(&spec.path))?;
    let symbol = if kind.abbreviation.is_empty() {
        f.document.symbol.clone()
    } else {
        format!("{}-{}", kind.abbreviation, f.document.symbol)
    };
    let number_line = match (issue.is_final, issue.number) {
        (true, Some(n)) => format!("{} {n:02}/{symbol}", w.number_label),
        (true, None) => {
            return Err(Error::usage("a final document needs its number")
                .hint("pass --number N, or set number in the spec's [document] table"))
        }
        (false, _) => format!("{}{NUMBER_BLANK}/{symbol}", w.number_label),
    };
    let date_words = if !issue.is_final && f.document.blank_month {
        crate::calendar::wording::header_date_blank_month(issue.date)
    } else {
        crate::calendar::wording::header_date(issue.date, !issue.is_final)
    };
    let number_words = number_line
        .strip_prefix(w.number_label.as_str())
        .unwrap_or(&number_line)
        .trim_start()
        .to_string();
    let number_words = if issue.is_final {
        number_words
    } else {
        format!("{NUMBER_BLANK}{}", number_words.trim_start())
    };
    let header = Header {
        parent_body: f
            .issuer
            .parent
            .as_ref()
            .map(|l| typed_lines(&l.lines()))
            .unwrap_or_default(),
        issuing_body: typed_lines(&f.issuer.name.lines()),
        national_title: w.national_title.clone(),
        motto: w.motto.clone(),
        number_line,
        place_date_line: format!(
            "{}{}{date_words}",
            crate::text::nfc(&f.issuer.place),
            w.date_place_separator
        ),
    };
    let subject = crate::text::nfc_string(texts.subject.trim());
    let heading = if kind.title.is_empty() {
        Heading::Letter {
            subject: format!(
                "{} {}",
                w.subject_prefix,
                without_prefix(&subject, &w.subject_prefix_forms)
            ),
        }
    } else {
        Heading::Titled {
            title: kind.title.clone(),
            subject,
        }
    };
    let recipients: Vec<String> = texts.recipients.iter().map(|r| clean_item(r)).collect();
    let addressees = match recipients.len() {
        0 => None,
        1 => Some(Addressees {
            label: w.addressees_label.clone(),
            items: recipients,
        }),
        _ => Some(Addressees {
            label: w.addressees_label.clone(),
            items: punctuate(&recipients),
        }),
    };
    let mut receivers: Vec<String> = f.copies.iter().map(|r| clean_item(r)).collect();
    if let Some(archive) = &f.archive {
        receivers.push(format!("{} {}", w.archive_label, clean_item(archive)));
    }
    let closing = Closing {
        receivers_label: w.receivers_label.clone(),
        receivers: punctuate(&receivers),
        authority: authority_lines(&f.signer),
        signer: crate::text::nfc_string(f.signer.name.trim()),
        co_signature: f.co_signer.as_ref().map(|s| Signature {
            authority: authority_lines(s),
            signer: crate::text::nfc_string(s.name.trim()),
        }),
    };
    let l = &f.layout;
    let m = l.margins.get_ref();
    let layout = Layout {
        margins: Margins {
            top: m.top,
            bottom: m.bottom,
            left: m.left,
            right: m.right,
        },
        profile: *l.profile.get_ref(),
        first_line_indent_cm: *l.first_line_indent.get_ref(),
        paragraph_spacing_pt: *l.paragraph_spacing.get_ref(),
        line_spacing: *l.line_spacing.get_ref(),
    };
    let kind_name = if kind.title.is_empty() {
        w.letter_name.clone()
    } else {
        sentence_case(&kind.title)
    };
    let issuer = f
        .issuer
        .name
        .lines()
        .iter()
        .chain(
            f.issuer
                .parent
                .as_ref()
                .map(|p| p.lines())
                .unwrap_or_default()
                .iter(),
        )
        .map(|l| crate::text::nfc_string(l.trim()))
        .collect::<Vec<_>>()
        .join(" ");
    let note = |of: Option<&str>| {
        w.appendix_note
            .replace("{kind}", &kind_name)
            .replace("{number}", &number_words)
            .replace("{date}", &date_words)
            .replace("{issuer}", of.unwrap_or(&issuer))
    };
    // Only the phụ lục proper are numbered ("Phụ lục I", "Phụ lục II"); a labelled
    // attachment (a Kế hoạch) is not counted.
    let several = appendices.iter().filter(|a| a.label.is_none()).count() > 1;
    let mut counted = 0;
    let appendices = appendices
        .into_iter()
        .map(|a| Appendix {
            label: match &a.label {
                Some(label) => label.clone(),
                None if several => {
                    counted += 1;
                    format!("{} {}", w.appendix_label, roman(counted))
                }
                None => w.appendix_label.clone(),
            },
            title: a.title.to_uppercase(),
            note: note(a.of.as_deref()),
            landscape: a.landscape,
            own_page_numbers: !a.continue_pages,
            blocks: a.blocks,
        })
        .collect();
    Ok(Document {
        header,
        heading,
        addressees,
        body: end_with_closing_mark(body),
        closing,
        appendices,
        layout,
    })
}

/// "QUYẾT ĐỊNH" → "Quyết định": how a phụ lục note names a typed document.
fn sentence_case(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// 1 → "I", 4 → "IV", 12 → "XII": phụ lục numbers (NĐ 30 numbers them in Roman numerals).
fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Authority and title lines of the signature, upper case: "TL. ỦY BAN NHÂN DÂN", "CHÁNH VĂN PHÒNG".
fn authority_lines(s: &crate::input::spec::Signer) -> Vec<String> {
    let mut lines = Vec::new();
    if let (Some(prefix), Some(of)) = (&s.authority, &s.on_behalf_of) {
        lines.push(format!("{} {}", prefix.get_ref(), of.trim()).to_uppercase());
    }
    if let Some(title) = &s.title {
        lines.extend(title.lines().iter().map(|t| t.trim().to_uppercase()));
    }
    lines
}

/// A list item as written by the user, without a leading dash or final punctuation.
fn clean_item(item: &str) -> String {
    let t = crate::text::nfc_string(item.trim());
    let t = t.strip_prefix("- ").unwrap_or(&t);
    t.trim_end_matches([';', '.', ',']).trim().to_string()
}

/// Agency name lines in upper case, a line typed with line breaks split at them.
fn typed_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.split(crate::text::is_line_break))
        .map(|l| l.trim().to_uppercase())
        .filter(|l| !l.is_empty())
        .collect()
}

/// `subject` without a typed "V/v" or "Về việc" (any of `forms`, any case, then a space or ':'),
/// so the letter never reads "V/v V/v …".
fn without_prefix<'a>(subject: &'a str, forms: &[String]) -> &'a str {
    for form in forms {
        let n = form.chars().count();
        let head: String = subject.chars().take(n).collect();
        if head.to_lowercase() != form.to_lowercase() {
            continue;
        }
        let rest = &subject[head.len()..];
        if rest.is_empty() || rest.starts_with([' ', ':', '\n', '\t']) {
            return rest.trim_start_matches([' ', ':', '\n', '\t']);
        }
    }
    subject
}

/// "- a;", "- b;", "- c." — the NĐ 30 list punctuation.
fn punctuate(items: &[String]) -> Vec<String> {
    let last = items.len().saturating_sub(1);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| format!("- {item}{}", if i == last { "." } else { ";" }))
        .collect()
}

/// The body ends with "./.": added to the last paragraph unless it is already there.
fn end_with_closing_mark(mut body: Vec<Block>) -> Vec<Block> {
    const MARK: &str = "./.";
    let Some(Block::Paragraph(p)) = body.last_mut() else {
        return body;
    };
    let Some(Inline::Text { text, .. }) = p.inlines.iter_mut().rev().find(|i| !i.text().is_empty())
    else {
        return body;
    };
    if !text.ends_with(MARK) {
        let trimmed = text.trim_end().trim_end_matches('.').to_string();
        *text = format!("{trimmed}{MARK}");
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Paragraph;

    #[test]
    fn roman_numbers_and_type_names() {
        let got: Vec<String> = [1, 2, 3, 4, 9, 14].into_iter().map(roman).collect();
        assert_eq!(got, ["I", "II", "III", "IV", "IX", "XIV"]);
        assert_eq!(sentence_case("QUYẾT ĐỊNH"), "Quyết định");
        assert_eq!(sentence_case("KẾ HOẠCH"), "Kế hoạch");
    }

    #[test]
    fn list_punctuation() {
        let items = vec!["Như trên".to_string(), "Lưu: VT, KSTTHC5".to_string()];
        assert_eq!(punctuate(&items), ["- Như trên;", "- Lưu: VT, KSTTHC5."]);
        assert_eq!(clean_item(" - Bộ Nội vụ; "), "Bộ Nội vụ");
    }

    #[test]
    fn trust_header_subject_prefix_once() {
        let forms = &nd30::wording().subject_prefix_forms;
        assert_eq!(without_prefix("V/v đôn đốc", forms), "đôn đốc");
        assert_eq!(without_prefix("Về việc: đôn đốc", forms), "đôn đốc");
        assert_eq!(without_prefix("về việc đôn đốc", forms), "đôn đốc");
        assert_eq!(without_prefix("đôn đốc về việc", forms), "đôn đốc về việc");
        assert_eq!(without_prefix("Về việcx", forms), "Về việcx");
    }

    #[test]
    fn closing_mark_added_once() {
        let para = |t: &str| {
            Block::Paragraph(Paragraph {
                inlines: vec![Inline::plain(t)],
                ..Paragraph::default()
            })
        };
        for (input, want) in [
            ("thực hiện.", "thực hiện./."),
            ("thực hiện./.", "thực hiện./."),
            ("thực hiện", "thực hiện./."),
        ] {
            let out = end_with_closing_mark(vec![para(input)]);
            assert_eq!(out, vec![para(want)]);
        }
    }
}
