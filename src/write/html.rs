//! The HTML writer: the Document as an HTML fragment laid out as on paper (NĐ 30 header in two
//! columns, Kính gửi, body, Nơi nhận beside the signature), for a preview in a browser.
//!
//! Every string comes from the model, in the order of [`Document::words`]; the writer adds only
//! elements and classes. The fragment is one `<article class="nd30">`; its look is
//! [`STYLESHEET`] (class names below), so a page embeds both. Nothing here is a file path or a
//! script: all text is escaped.
//!
//! Classes: `header` (a two-column grid: `parent-body`, `issuing-body` with its short rule,
//! `national-title`, `motto` with its rule, `number`, `letter-subject`, `place-date`),
//! `title` and `subject` (a typed document's ô 5a), `addressees`, `body` (`p` with `align-*`,
//! `table`, `hr.page-break`, `div.landscape`), `closing` (`receivers` with `receivers-label`,
//! `signature` with `authority`, `signer`; `closing joint` with two signatures), and each
//! phụ lục a `section.appendix` (`appendix-label`, `appendix-title`, `appendix-note`, `body`).

use std::fmt::Write;

use crate::doc::{Align, Block, Document, Heading, Inline, Merge, Table};

/// The CSS for the fragment: A4-like width, Times New Roman (Liberation Serif as a stand-in),
/// the rules of nd30-layout §2.3 drawn as borders.
pub const STYLESHEET: &str = include_str!("../../templates/html/nd30.css");

/// The whole document as an HTML fragment (`<article class="nd30">…</article>`).
pub fn write(doc: &Document) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let h = &doc.header;
    out.push_str("<article class=\"nd30\">\n<div class=\"header\">\n<div class=\"left names\">");
    for line in &h.parent_body {
        line_div(&mut out, "parent-body", line);
    }
    if !h.issuing_body.is_empty() {
        out.push_str("<div class=\"issuing-body\">");
        for (i, line) in h.issuing_body.iter().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            out.push_str(&escape(line));
        }
        out.push_str("</div>");
    }
    out.push_str("</div>\n<div class=\"right state\">");
    line_div(&mut out, "national-title", &h.national_title);
    out.push_str("<div class=\"motto\"><span>");
    out.push_str(&escape(&h.motto));
    out.push_str("</span></div></div>\n<div class=\"left\">");
    line_div(&mut out, "number", &h.number_line);
    if let Heading::Letter { subject } = &doc.heading {
        line_div(&mut out, "letter-subject", subject);
    }
    out.push_str("</div>\n<div class=\"right\">");
    line_div(&mut out, "place-date", &h.place_date_line);
    out.push_str("</div>\n</div>\n");
    if let Heading::Titled { title, subject } = &doc.heading {
        line_div(&mut out, "title", title);
        if !subject.is_empty() {
            line_div(&mut out, "subject", subject);
        }
        out.push_str("<div class=\"title-rule\"></div>\n");
    }
    if let Some(a) = &doc.addressees {
        out.push_str("<div class=\"addressees\">");
        if let [only] = a.items.as_slice() {
            line_div(&mut out, "single", &format!("{} {only}", a.label));
        } else {
            line_div(&mut out, "label", &a.label);
            for item in &a.items {
                line_div(&mut out, "item", item);
            }
        }
        out.push_str("</div>\n");
    }
    out.push_str("<div class=\"body\">\n");
    blocks(&mut out, &doc.body);
    let c = &doc.closing;
    let receivers = |out: &mut String| {
        out.push_str("<div class=\"receivers\">");
        line_div(out, "receivers-label", &c.receivers_label);
        for r in &c.receivers {
            line_div(out, "receiver", r);
        }
        out.push_str("</div>\n");
    };
    match &c.co_signature {
        // A joint document: the two signatures side by side, Nơi nhận below.
        Some(co) => {
            out.push_str("</div>\n<div class=\"closing joint\">\n");
            signature(&mut out, &co.authority, &co.signer);
            signature(&mut out, &c.authority, &c.signer);
            receivers(&mut out);
        }
        None => {
            out.push_str("</div>\n<div class=\"closing\">\n");
            receivers(&mut out);
            signature(&mut out, &c.authority, &c.signer);
        }
    }
    out.push_str("</div>\n");
    for a in &doc.appendices {
        let class = if a.landscape {
            "appendix landscape"
        } else {
            "appendix"
        };
        let _ = write!(out, "<section class=\"{class}\">");
        line_div(&mut out, "appendix-label", &a.label);
        if !a.title.is_empty() {
            line_div(&mut out, "appendix-title", &a.title);
        }
        line_div(&mut out, "appendix-note", &a.note);
        out.push_str("\n<div class=\"body\">\n");
        blocks(&mut out, &a.blocks);
        out.push_str("</div>\n</section>\n");
    }
    out.push_str("</article>\n");
    out
}

/// Body blocks: paragraphs, tables, a page break as a rule, landscape pages as a block.
fn blocks(out: &mut String, body: &[Block]) {
    for block in body {
        match block {
            Block::Paragraph(p) => {
                let _ = write!(out, "<p class=\"{}\">", align_class(p.align));
                inlines(out, &p.inlines);
                out.push_str("</p>\n");
            }
            Block::Table(t) => table(out, t),
            Block::PageBreak => out.push_str("<hr class=\"page-break\">\n"),
            // Inlined: the preview is one page with no files beside it.
            Block::Image(i) => {
                let _ = writeln!(
                    out,
                    "<p class=\"image\"><img alt=\"{}\" style=\"width:{:.1}mm;max-width:100%\" src=\"data:image/png;base64,{}\"></p>",
                    escape(&i.alt),
                    i.width_mm,
                    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &i.png)
                );
            }
            Block::Landscape(inner) => {
                out.push_str("<div class=\"landscape\">\n");
                blocks(out, inner);
                out.push_str("</div>\n");
            }
        }
    }
}

/// One signature block: authority lines, the space to sign, the name.
fn signature(out: &mut String, authority: &[String], signer: &str) {
    out.push_str("<div class=\"signature\">");
    for a in authority {
        line_div(out, "authority", a);
    }
    out.push_str("<div class=\"signing-space\"></div>");
    if !signer.is_empty() {
        line_div(out, "signer", signer);
    }
    out.push_str("</div>\n");
}

/// `<div class="CLASS">TEXT</div>`, the text escaped.
fn line_div(out: &mut String, class: &str, text: &str) {
    let _ = write!(out, "<div class=\"{class}\">{}</div>", escape(text));
}

fn align_class(a: Align) -> &'static str {
    match a {
        Align::Justify => "align-justify",
        Align::Left => "align-left",
        Align::Center => "align-center",
        Align::Right => "align-right",
    }
}

fn inlines(out: &mut String, runs: &[Inline]) {
    for run in runs {
        match run {
            Inline::LineBreak => out.push_str("<br>"),
            Inline::Link { text, url } if is_web_address(url) => {
                let _ = write!(
                    out,
                    "<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{}</a>",
                    escape(url),
                    escape(text)
                );
            }
            // Any other scheme (javascript:, data:, file:) is shown as its words only.
            Inline::Link { text, .. } => out.push_str(&escape(text)),
            Inline::Text { text, bold, italic } => {
                let text = escape(text);
                match (bold, italic) {
                    (false, false) => out.push_str(&text),
                    (true, false) => {
                        let _ = write!(out, "<strong>{text}</strong>");
                    }
                    (false, true) => {
                        let _ = write!(out, "<em>{text}</em>");
                    }
                    (true, true) => {
                        let _ = write!(out, "<strong><em>{text}</em></strong>");
                    }
                }
            }
        }
    }
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<table>\n");
    if let Some(head) = &t.head {
        out.push_str("<thead><tr>");
        for (cell, a) in head.iter().zip(&t.aligns) {
            let _ = write!(out, "<th class=\"{}\">", align_class(*a));
            inlines(out, cell);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for (r, row) in t.rows.iter().enumerate() {
        out.push_str("<tr>");
        for (c, (cell, a)) in row.iter().zip(&t.aligns).enumerate() {
            let mut attrs = String::new();
            match t.merge(r, c) {
                Merge::Covered | Merge::Up => continue,
                Merge::Span(n) => {
                    let _ = write!(attrs, " colspan=\"{n}\"");
                }
                Merge::Single => {}
            }
            let below = (r + 1..t.rows.len())
                .take_while(|&b| t.merge(b, c) == Merge::Up)
                .count();
            if below > 0 {
                let _ = write!(attrs, " rowspan=\"{}\"", below + 1);
            }
            let _ = write!(out, "<td class=\"{}\"{attrs}>", align_class(*a));
            inlines(out, cell);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Whether a link may be followed from the preview: http, https or mailto.
fn is_web_address(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// `text` safe inside an element or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Addressees, Closing, Header, Layout, Paragraph};

    fn doc() -> Document {
        Document {
            header: Header {
                parent_body: vec!["ỦY BAN NHÂN DÂN".into(), "THÀNH PHỐ HẢI PHÒNG".into()],
                issuing_body: vec!["VĂN PHÒNG".into()],
                national_title: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
                motto: "Độc lập - Tự do - Hạnh phúc".into(),
                number_line: "Số: 461/VP-KSTTHC".into(),
                place_date_line: "Hải Phòng, ngày 05 tháng 8 năm 2024".into(),
            },
            heading: Heading::Letter {
                subject: "V/v <script>alert(1)</script> & tiến độ".into(),
            },
            addressees: Some(Addressees {
                label: "Kính gửi:".into(),
                items: vec!["- Các sở;".into(), "- UBND cấp huyện.".into()],
            }),
            body: vec![Block::Paragraph(Paragraph {
                inlines: vec![
                    Inline::Text {
                        text: "1. Đơn vị chậm".into(),
                        bold: true,
                        italic: false,
                    },
                    Inline::LineBreak,
                    Inline::plain("Sở Tư pháp"),
                ],
                align: Align::Justify,
            })],
            closing: Closing {
                receivers_label: "Nơi nhận:".into(),
                receivers: vec!["- Như trên;".into(), "- Lưu: VT.".into()],
                authority: vec!["CHÁNH VĂN PHÒNG".into()],
                signer: "Nguyễn Văn A".into(),
                co_signature: None,
            },
            appendices: Vec::new(),
            layout: Layout::default(),
        }
    }

    #[test]
    fn every_word_appears_in_reading_order_and_is_escaped() {
        let d = doc();
        let html = write(&d);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("V/v &lt;script&gt;alert(1)&lt;/script&gt; &amp; tiến độ"));
        let mut from = 0;
        for word in d.words().iter().flat_map(|w| w.split('\n')) {
            let word = escape(word);
            let at = html[from..]
                .find(&word)
                .unwrap_or_else(|| panic!("{word:?} missing after byte {from}:\n{html}"));
            from += at + word.len();
        }
    }

    #[test]
    fn links_lead_only_to_web_addresses() {
        let mut out = String::new();
        inlines(
            &mut out,
            &[
                Inline::Link {
                    text: "Cổng DVC".into(),
                    url: "https://dichvucong.gov.vn/?a=1&b=\"2\"".into(),
                },
                Inline::Link {
                    text: "bấm".into(),
                    url: " JavaScript:alert(1)".into(),
                },
            ],
        );
        assert!(out.contains("<a href=\"https://dichvucong.gov.vn/?a=1&amp;b=&quot;2&quot;\""));
        assert!(out.ends_with("</a>bấm"), "{out}");
    }

    #[test]
    fn header_is_two_columns_with_number_and_date_on_one_row() {
        let html = write(&doc());
        let header = &html
            [html.find("<div class=\"header\">").unwrap()..html.find("</div>\n</div>\n").unwrap()];
        assert_eq!(header.matches("<div class=\"left").count(), 2, "{header}");
        assert_eq!(header.matches("<div class=\"right").count(), 2, "{header}");
        assert!(header.find("number").unwrap() < header.find("place-date").unwrap());
        assert!(html.contains("<strong>1. Đơn vị chậm</strong><br>Sở Tư pháp"));
    }

    #[test]
    fn merged_cells_page_breaks_and_landscape() {
        let mut d = doc();
        d.body = crate::markdown::parse(
            "::: page-break\n\n::: landscape\n\n| TT | Việc | Chủ trì |\n|--|--|--|\n| I. CHỈ ĐẠO |||\n| 1 | a | Sở Nội vụ |\n| 2 | b | ^^ |\n\n:::\n",
        );
        let html = write(&d);
        assert!(html.contains("<hr class=\"page-break\">"), "{html}");
        assert!(html.contains("<div class=\"landscape\">"), "{html}");
        assert!(
            html.contains("colspan=\"3\">I. CHỈ ĐẠO</td></tr>"),
            "{html}"
        );
        assert!(html.contains("rowspan=\"2\">Sở Nội vụ</td>"), "{html}");
        assert_eq!(
            html.matches("<td").count(),
            1 + 3 + 2,
            "covered cells are not written"
        );
    }
}
