//! The .docx writer: page setup, fonts, header table, rules, word order, determinism.
//!
//! Set `CONGVAN_DOCX_CHECK_DIR=/tmp/docx-check` to also write the sample files
//! (`cong-van.docx`, `thong-bao.docx`, `cong-van-13.docx`) for a visual check.

use std::io::{Cursor, Read};

use congvan::doc::{
    Addressees, Align, Block, Closing, Document, Header, Heading, Inline, Layout, Paragraph, Table,
};
use congvan::write::docx::{write, write_with, DocxOptions};

fn text(t: &str) -> Inline {
    Inline::plain(t)
}

fn bold(t: &str) -> Inline {
    Inline::Text {
        text: t.into(),
        bold: true,
        italic: false,
    }
}

fn italic(t: &str) -> Inline {
    Inline::Text {
        text: t.into(),
        bold: false,
        italic: true,
    }
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        align: Align::Justify,
    })
}

/// A công văn shaped like seed 000 (Văn phòng UBND TP Hải Phòng), as a draft.
pub fn cong_van() -> Document {
    Document {
        header: Header {
            parent_body: vec!["ỦY BAN NHÂN DÂN".into(), "THÀNH PHỐ HẢI PHÒNG".into()],
            issuing_body: vec!["VĂN PHÒNG".into()],
            national_title: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            motto: "Độc lập - Tự do - Hạnh phúc".into(),
            number_line: "Số:        /VP-KSTTHC".into(),
            place_date_line: "Hải Phòng, ngày      tháng 8 năm 2024".into(),
        },
        heading: Heading::Letter {
            subject: "V/v nâng cao chất lượng, hiệu quả sử dụng dịch vụ công trực tuyến năm 2024"
                .into(),
        },
        addressees: Some(Addressees {
            label: "Kính gửi:".into(),
            items: vec![
                "- Các sở, ban, ngành thuộc thành phố;".into(),
                "- Ủy ban nhân dân cấp huyện, cấp xã.".into(),
            ],
        }),
        body: vec![
            para(vec![text("Xét báo cáo, đề nghị của Sở Thông tin và Truyền thông tại Báo cáo số 461/BC-STTTT ngày 30/7/2024 về việc kết quả vận hành, khai thác Hệ thống thông tin giải quyết thủ tục hành chính (TTHC) thành phố tháng 7 năm 2024 (gửi kèm theo),")]),
            para(vec![text("Phó Chủ tịch Ủy ban nhân dân thành phố Hoàng Minh Cường có ý kiến như sau:")]),
            para(vec![text("1. Giao các sở, ban, ngành thuộc Ủy ban nhân dân thành phố:")]),
            para(vec![
                text("- Thường xuyên rà soát các Quyết định công bố TTHC trên Cổng Thông tin điện tử của Bộ, ngành và Cổng Dịch vụ công quốc gia (địa chỉ https://dichvucong.gov.vn), phối hợp với Văn phòng Ủy ban nhân dân thành phố kịp thời trình Chủ tịch Ủy ban nhân dân thành phố công bố danh mục TTHC thuộc thẩm quyền giải quyết của địa phương "),
                bold("chậm nhất là 10 ngày làm việc"),
                text(" kể từ ngày Bộ, ngành chủ quản công bố."),
            ]),
            para(vec![
                text("- "),
                bold("Chậm nhất 10 ngày làm việc"),
                text(" kể từ ngày Quyết định công bố danh mục TTHC được ban hành, các sở, ban, ngành chủ động xây dựng quy trình nội bộ giải quyết TTHC, phối hợp với Sở Thông tin và Truyền thông cập nhật trên Hệ thống thông tin giải quyết TTHC thành phố."),
            ]),
            para(vec![
                text("- Các Sở: Tài chính, Kế hoạch và Đầu tư, Nội vụ khẩn trương trình Chủ tịch Ủy ban nhân dân thành phố công bố Danh mục TTHC được chuẩn hóa và các TTHC còn thiếu sau khi rà soát, "),
                bold("hoàn thành trong tháng 8/2024"),
                text("."),
            ]),
            para(vec![text("2. Yêu cầu các sở, ban, ngành thuộc thành phố, Ủy ban nhân dân cấp huyện và cấp xã:")]),
            para(vec![text("- Hoàn thành các chỉ tiêu đề ra tại Kế hoạch số 125/KH-UBND ngày 31/5/2024 của Ủy ban nhân dân thành phố về nâng cao chất lượng, hiệu quả sử dụng dịch vụ công trực tuyến năm 2024.")]),
            para(vec![text("- Tăng cường công tác tuyên truyền, hướng dẫn người dân, doanh nghiệp thực hiện TTHC và thanh toán phí, lệ phí trực tuyến trên Hệ thống thông tin giải quyết TTHC thành phố và Cổng Dịch vụ công quốc gia.")]),
            para(vec![
                text("3. Yêu cầu các sở, ban, ngành, địa phương có tỷ lệ hồ sơ trực tuyến còn thấp ("),
                italic("so sánh với các chỉ tiêu tại Kế hoạch số 125/KH-UBND ngày 31/5/2024 của Ủy ban nhân dân thành phố"),
                text("), khẩn trương phối hợp với Sở Thông tin và Truyền thông, Sở Nội vụ để có giải pháp nâng cao các tỷ lệ này, cụ thể:"),
            ]),
            Block::Table(Table {
                aligns: vec![Align::Center, Align::Left, Align::Right],
                head: Some(vec![
                    vec![text("STT")],
                    vec![text("Cơ quan, đơn vị")],
                    vec![text("Tỷ lệ trực tuyến")],
                ]),
                rows: vec![
                    vec![vec![text("1")], vec![text("Sở Tài chính")], vec![text("65,52%")]],
                    vec![vec![text("2")], vec![text("Sở Tài nguyên và Môi trường")], vec![text("87,58%")]],
                    vec![vec![text("3")], vec![text("Sở Tư pháp")], vec![text("89,22%")]],
                ],
                ..Table::default()
            }),
            para(vec![
                text("a) Khối sở, ngành: "),
                bold("Sở Tài chính 65,52%, Sở Tài nguyên và Môi trường 87,58%, Sở Tư pháp 89,22%"),
                text("."),
            ]),
            para(vec![
                text("b) Khối địa phương: "),
                bold("UBND Quận Lê Chân 64,98%, UBND Quận Ngô Quyền 51,67%, UBND quận Hồng Bàng 78,99%; cấp xã thuộc huyện An Lão 54,75%; cấp xã thuộc huyện Cát Hải 26,61%; cấp xã thuộc huyện Kiến Thụy 52,99%"),
                text("."),
            ]),
            para(vec![text("4. Giao Sở Thông tin và Truyền thông:")]),
            para(vec![text("- Kiểm tra, rà soát các sở, ngành, địa phương có tỷ lệ còn thấp tại mục 3, báo cáo rõ nguyên nhân, giải pháp khắc phục, đôn đốc thực hiện khắc phục để nâng cao tỷ lệ hồ sơ trực tuyến trên tổng hồ sơ; tỷ lệ số hóa hồ sơ TTHC đã giải quyết đảm bảo theo quy định.")]),
            para(vec![
                text("- Chủ trì, phối hợp với các sở, ban, ngành thuộc thành phố đẩy mạnh việc thanh toán phí, lệ phí trực tuyến."),
                Inline::LineBreak,
                text("Thời gian hoàn thành: Trước ngày 15/12/2024."),
            ]),
            para(vec![text("5. Giao Văn phòng Ủy ban nhân dân thành phố: (1) Đôn đốc các sở, ban, ngành thành phố trình công bố danh mục thủ tục hành chính và ban hành quy trình nội bộ giải quyết TTHC; (2) Phối hợp với Sở Thông tin và Truyền thông trình Chủ tịch UBND thành phố công bố Danh mục dịch vụ công trực tuyến toàn trình và một phần trên địa bàn thành phố Hải Phòng.")]),
            para(vec![text("Văn phòng Ủy ban nhân dân thành phố thông báo để các cơ quan, đơn vị có liên quan thực hiện./.")]),
        ],
        closing: Closing {
            receivers_label: "Nơi nhận:".into(),
            receivers: vec![
                "- Như trên;".into(),
                "- CT, PCT UBND TP H.M.Cường;".into(),
                "- CVP, các PCVP UBND TP;".into(),
                "- Các Phòng: KSTTHC, NC&KTGS;".into(),
                "- Lưu: VT, KSTTHC5.".into(),
            ],
            authority: vec!["TL. CHỦ TỊCH".into(), "CHÁNH VĂN PHÒNG".into()],
            signer: "Trần Huy Kiên".into(),
            co_signature: None,
        },
        appendices: Vec::new(),
        layout: Layout::default(),
    }
}

/// A thông báo shaped like seed 003 (titled document, one-line header sides), final form.
pub fn thong_bao() -> Document {
    Document {
        header: Header {
            parent_body: vec![],
            issuing_body: vec!["ỦY BAN NHÂN DÂN".into(), "THÀNH PHỐ HẢI PHÒNG".into()],
            national_title: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            motto: "Độc lập - Tự do - Hạnh phúc".into(),
            number_line: "Số: 149/TB-UBND".into(),
            place_date_line: "Hải Phòng, ngày 24 tháng 3 năm 2020".into(),
        },
        heading: Heading::Titled {
            title: "THÔNG BÁO".into(),
            subject: "Kết luận của Phó Chủ tịch Thường trực Ủy ban nhân dân thành phố Nguyễn Xuân Bình tại cuộc họp về tình hình thực hiện nhiệm vụ công tác cải cách hành chính và xây dựng Chính quyền điện tử thành phố".into(),
        },
        addressees: None,
        body: vec![
            para(vec![text("Ngày 20/3/2020, Phó Chủ tịch Thường trực Ủy ban nhân dân thành phố Nguyễn Xuân Bình chủ trì họp về tình hình thực hiện nhiệm vụ công tác cải cách hành chính và xây dựng Chính quyền điện tử thành phố. Dự họp có lãnh đạo các sở, ngành: Sở Nội vụ, Sở Thông tin và Truyền thông, Sở Tư pháp, Sở Khoa học và Công nghệ, Sở Tài chính, Sở Kế hoạch và Đầu tư, Thanh tra thành phố, Văn phòng Ủy ban nhân dân thành phố.")]),
            para(vec![text("Sau khi nghe báo cáo của Sở Nội vụ, Sở Thông tin và Truyền thông, Văn phòng Ủy ban nhân dân thành phố; ý kiến của các đại biểu dự họp, Phó Chủ tịch Thường trực Ủy ban nhân dân thành phố kết luận như sau:")]),
            para(vec![text("1. Trong những năm qua, công tác cải cách hành chính luôn được Thành ủy, Ủy ban nhân dân thành phố quan tâm chỉ đạo đẩy mạnh thực hiện và đạt được nhiều kết quả tích cực, để tạo điều kiện thuận lợi nhất cho người dân, tổ chức và doanh nghiệp.")]),
            para(vec![text("2. Tuy nhiên, để bảo đảm thực hiện theo đúng yêu cầu, chỉ đạo của Chính phủ, Thủ tướng Chính phủ, Ủy ban nhân dân thành phố yêu cầu các cơ quan, đơn vị cần khắc phục một số tồn tại, hạn chế sau đây:")]),
            para(vec![
                text("- Về sắp xếp các đơn vị sự nghiệp: Giao Giám đốc Sở Nội vụ phối hợp Văn phòng Ủy ban nhân dân thành phố tổ chức kiểm tra, rà soát lại toàn bộ kết quả việc sắp xếp, kiện toàn các đơn vị sự nghiệp trên địa bàn thành phố; báo cáo Ủy ban nhân dân thành phố "),
                bold("trước ngày 25/3/2020"),
                text("."),
            ]),
            para(vec![
                text("- Về hiện đại hóa nền hành chính: Giao Sở Nội vụ chủ trì, phối hợp với Sở Thông tin và Truyền thông, Sở Khoa học và Công nghệ kiểm tra, rà soát làm rõ những tồn tại hạn chế; báo cáo Ủy ban nhân dân thành phố "),
                bold("trước ngày 31/3/2020"),
                text("."),
            ]),
            para(vec![text("3. Ủy ban nhân dân thành phố ghi nhận, biểu dương Đài Phát thanh và Truyền hình Hải Phòng, Báo Hải Phòng trong thời gian qua đã chủ động xây dựng nhiều tin, bài tuyên truyền về công tác cải cách hành chính.")]),
            para(vec![text("Văn phòng Ủy ban nhân dân thành phố thông báo để các cơ quan, đơn vị liên quan thực hiện./.")]),
        ],
        closing: Closing {
            receivers_label: "Nơi nhận:".into(),
            receivers: vec![
                "- TTTU, TTHĐNDTP;".into(),
                "- CT, các PCT UBNDTP;".into(),
                "- Các Sở, ban, ngành TP;".into(),
                "- UBND các quận, huyện, phường, xã, thị trấn;".into(),
                "- CVP, PCVP Trần Huy Kiên;".into(),
                "- Lưu: VT.".into(),
            ],
            authority: vec!["TL. ỦY BAN NHÂN DÂN".into(), "CHÁNH VĂN PHÒNG".into()],
            signer: "Phạm Hưng Hùng".into(),
            co_signature: None,
        },
        appendices: Vec::new(),
        layout: Layout::default(),
    }
}

/// The text of one part of the archive.
/// The XML part `name` of a .docx.
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut entry = zip.by_name(name).expect(name);
    let mut s = String::new();
    entry.read_to_string(&mut s).expect("utf-8 part");
    s
}

/// The WordprocessingML namespace.
const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// `xml` parsed; a part that is not well-formed XML fails the test.
fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

/// Whether `node` is the WordprocessingML element `w:<name>`.
fn is_w(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(W) && node.tag_name().name() == name
}

/// Every `w:<name>` element at or under `node`, in document order.
fn all<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &'a str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.descendants().filter(|n| is_w(n, name)).collect()
}

/// The first `w:<name>` element at or under `node`.
fn first<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
    node.descendants()
        .find(|n| is_w(n, name))
        .unwrap_or_else(|| panic!("no w:{name}"))
}

/// The `w:<name>` attribute of `node` ("" when absent).
fn w_attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.attribute((W, name)).unwrap_or("")
}

/// The text of `node`: its `w:t` texts in order, `w:br` as '\n'.
fn node_text(node: roxmltree::Node) -> String {
    let mut text = String::new();
    for n in node.descendants() {
        if is_w(&n, "t") {
            text.push_str(n.text().unwrap_or(""));
        } else if is_w(&n, "br") {
            text.push('\n');
        }
    }
    text
}

/// The text of every non-empty paragraph of `xml`, in order (`w:br` as '\n').
pub fn paragraph_texts(xml: &str) -> Vec<String> {
    let doc = parse(xml);
    all(doc.root(), "p")
        .into_iter()
        .map(node_text)
        .filter(|t| !t.is_empty())
        .collect()
}

/// Attribute `w:<name>` of the first element `w:<elem>` in `xml`.
fn attr(xml: &str, elem: &str, name: &str) -> String {
    let doc = parse(xml);
    let node = first(doc.root(), elem);
    node.attribute((W, name))
        .unwrap_or_else(|| panic!("no w:{name} on w:{elem}"))
        .to_owned()
}

/// The paragraph (`w:p`) of `xml` whose text starts with `start`.
fn paragraph_starting<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    start: &str,
) -> roxmltree::Node<'a, 'i> {
    all(doc.root(), "p")
        .into_iter()
        .find(|p| node_text(*p).starts_with(start))
        .unwrap_or_else(|| panic!("no paragraph starting {start:?}"))
}

/// The value of `w:<prop>/@w:val` in the properties (`w:pPr` or `w:rPr`) of `node`.
fn prop<'a>(node: roxmltree::Node<'a, '_>, props: &str, prop: &str) -> Option<&'a str> {
    node.children()
        .find(|n| is_w(n, props))?
        .children()
        .find(|n| is_w(n, prop))
        .map(|n| w_attr(n, "val"))
}

fn document_xml(doc: &Document) -> String {
    part(&write(doc).expect("writes"), "word/document.xml")
}

#[test]
fn writes_sample_files_when_asked() {
    let Ok(dir) = std::env::var("CONGVAN_DOCX_CHECK_DIR") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    let mut cv13 = cong_van();
    cv13.layout.profile = 13;
    let mut single = thong_bao();
    single.addressees = Some(Addressees {
        label: "Kính gửi:".into(),
        items: vec!["Sở Thông tin và Truyền thông".into()],
    });
    for (name, doc) in [
        ("cong-van", cong_van()),
        ("thong-bao", thong_bao()),
        ("cong-van-13", cv13),
        ("thong-bao-kinh-gui", single),
    ] {
        std::fs::write(format!("{dir}/{name}.docx"), write(&doc).unwrap()).unwrap();
    }
}

#[test]
fn page_is_a4_portrait_with_layout_margins() {
    let xml = document_xml(&cong_van());
    assert_eq!(attr(&xml, "pgSz", "w"), "11906");
    assert_eq!(attr(&xml, "pgSz", "h"), "16838");
    assert_eq!(attr(&xml, "pgMar", "top"), "1134");
    assert_eq!(attr(&xml, "pgMar", "bottom"), "1134");
    assert_eq!(attr(&xml, "pgMar", "left"), "1701");
    assert_eq!(attr(&xml, "pgMar", "right"), "850");
    assert_eq!(attr(&xml, "pgMar", "header"), "567");
}

#[test]
fn margins_follow_the_layout() {
    let mut doc = cong_van();
    doc.layout.margins.top = 25.0;
    doc.layout.margins.left = 35.0;
    doc.layout.margins.right = 20.0;
    let xml = document_xml(&doc);
    assert_eq!(attr(&xml, "pgMar", "top"), "1417");
    assert_eq!(attr(&xml, "pgMar", "left"), "1984");
    assert_eq!(attr(&xml, "pgMar", "right"), "1134");
}

#[test]
fn times_new_roman_in_all_four_slots_everywhere() {
    let bytes = write(&cong_van()).unwrap();
    let styles = part(&bytes, "word/styles.xml");
    let xml = part(&bytes, "word/document.xml");
    for slot in ["ascii", "hAnsi", "cs", "eastAsia"] {
        assert_eq!(
            attr(&styles, "rFonts", slot),
            "Times New Roman",
            "{slot} in styles"
        );
    }
    let doc = parse(&xml);
    let fonts = all(doc.root(), "rFonts");
    assert!(!fonts.is_empty());
    for f in &fonts {
        for slot in ["ascii", "hAnsi", "cs", "eastAsia"] {
            assert_eq!(
                w_attr(*f, slot),
                "Times New Roman",
                "every rFonts, slot {slot}"
            );
        }
    }
    // Every run carries the font itself, so nothing depends on style inheritance.
    for run in all(doc.root(), "r") {
        let rpr = run
            .children()
            .find(|n| is_w(n, "rPr"))
            .expect("run properties");
        let font = rpr
            .children()
            .find(|n| is_w(n, "rFonts"))
            .expect("run font");
        assert_eq!(w_attr(font, "ascii"), "Times New Roman");
    }
}

#[test]
fn page_number_in_header_from_page_two() {
    let bytes = write(&cong_van()).unwrap();
    let xml = part(&bytes, "word/document.xml");
    let doc = parse(&xml);
    let sect = first(doc.root(), "sectPr");
    assert!(sect.children().any(|n| is_w(&n, "titlePg")), "titlePg set");
    let kinds: Vec<&str> = all(sect, "headerReference")
        .into_iter()
        .map(|h| w_attr(h, "type"))
        .collect();
    assert!(
        kinds.contains(&"first") && kinds.contains(&"default"),
        "{kinds:?}"
    );
    assert!(
        all(doc.root(), "footerReference").is_empty(),
        "no page number in a footer"
    );
    let headers: Vec<String> = (1..=2)
        .map(|i| part(&bytes, &format!("word/header{i}.xml")))
        .collect();
    let is_page_field = |n: &roxmltree::Node| {
        (is_w(n, "instrText") && n.text().unwrap_or("").trim() == "PAGE")
            || (is_w(n, "fldSimple") && w_attr(*n, "instr").trim() == "PAGE")
    };
    let numbered: Vec<&String> = headers
        .iter()
        .filter(|h| parse(h).descendants().any(|n| is_page_field(&n)))
        .collect();
    assert_eq!(numbered.len(), 1, "one header has the PAGE field");
    let header = parse(numbered[0]);
    let p = all(header.root(), "p")
        .into_iter()
        .find(|p| p.descendants().any(|n| is_page_field(&n)))
        .expect("the page number paragraph");
    assert_eq!(prop(p, "pPr", "jc"), Some("center"));
}

#[test]
fn header_table_is_borderless_two_rows_and_wide_enough() {
    let xml = document_xml(&cong_van());
    let doc = parse(&xml);
    let table = first(doc.root(), "tbl");
    let rows: Vec<_> = table.children().filter(|n| is_w(n, "tr")).collect();
    assert_eq!(rows.len(), 2);
    let grid: Vec<i32> = all(table, "gridCol")
        .into_iter()
        .map(|g| w_attr(g, "w").parse().unwrap())
        .collect();
    assert_eq!(grid.len(), 2);
    assert!(grid[1] >= 5670, "right column {} twips", grid[1]);
    assert_eq!(grid[0] + grid[1], 11906 - 1701 - 850);
    // Only the rule paragraphs draw lines: table and cell borders are all nil.
    for borders in all(table, "tblBorders")
        .into_iter()
        .chain(all(table, "tcBorders"))
    {
        for side in borders.children().filter(|n| n.is_element()) {
            assert_ne!(w_attr(side, "val"), "single", "{:?}", side.tag_name());
        }
    }
    assert!(all(table, "vAlign")
        .iter()
        .any(|v| w_attr(*v, "val") == "top"));
    // Số and the date sit in row 2, the names in row 1.
    let (top, bottom) = (node_text(rows[0]), node_text(rows[1]));
    assert!(
        top.contains("VĂN PHÒNG") && top.contains("CỘNG HÒA"),
        "{top}"
    );
    assert!(
        bottom.contains("VP-KSTTHC") && bottom.contains("Hải Phòng, ngày"),
        "{bottom}"
    );
    assert!(
        bottom.contains("V/v nâng cao"),
        "V/v under Số in the left column"
    );
}

#[test]
fn rules_are_paragraph_borders_not_underlines() {
    for document in [cong_van(), thong_bao()] {
        let xml = document_xml(&document);
        let doc = parse(&xml);
        assert!(all(doc.root(), "u").is_empty(), "no underline anywhere");
        let rules = all(doc.root(), "pBdr")
            .into_iter()
            .filter(|b| {
                b.children()
                    .any(|n| is_w(&n, "bottom") && w_attr(n, "val") == "single")
            })
            .count();
        // Issuing body and motto; plus the one under the trích yếu for a typed document.
        let expected = if matches!(document.heading, Heading::Titled { .. }) {
            3
        } else {
            2
        };
        assert_eq!(rules, expected);
        for cell in all(doc.root(), "tcBorders") {
            assert!(!cell
                .children()
                .any(|n| is_w(&n, "bottom") && w_attr(n, "val") == "single"));
        }
    }
}

#[test]
fn motto_rule_is_as_long_as_the_motto_and_centred() {
    let xml = document_xml(&cong_van());
    let doc = parse(&xml);
    // The second rule is the motto's: indents (right cell − 60.5 mm) / 2 on each side.
    let rule = all(doc.root(), "pBdr")[1];
    let ppr = rule.parent().expect("paragraph properties");
    let ind = ppr.children().find(|n| is_w(n, "ind")).expect("w:ind");
    let left: i32 = w_attr(ind, "left").parse().unwrap();
    let right: i32 = w_attr(ind, "right").parse().unwrap();
    assert_eq!(left, right);
    let cell = 5670;
    let len_mm = (cell - 2 * left) as f32 * 25.4 / 1440.0;
    assert!((len_mm - 60.5).abs() < 0.3, "motto rule {len_mm} mm");
}

#[test]
fn word_order_equals_document_words() {
    for doc in [cong_van(), thong_bao()] {
        let got = paragraph_texts(&document_xml(&doc));
        let want: Vec<String> = doc.words().into_iter().filter(|w| !w.is_empty()).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn single_addressee_on_one_line() {
    let mut doc = thong_bao();
    doc.addressees = Some(Addressees {
        label: "Kính gửi:".into(),
        items: vec!["Bộ Nội vụ".into()],
    });
    let got = paragraph_texts(&document_xml(&doc));
    assert!(got.contains(&"Kính gửi: Bộ Nội vụ".to_owned()));
    assert_eq!(got, doc.words());
}

#[test]
fn draft_and_final_strings_come_out_as_given() {
    let has = |texts: &[String], want: &str| texts.iter().any(|t| t.contains(want));
    let draft = paragraph_texts(&document_xml(&cong_van()));
    assert!(has(&draft, "Số:        /VP-KSTTHC"), "{draft:?}");
    assert!(
        has(&draft, "Hải Phòng, ngày      tháng 8 năm 2024"),
        "{draft:?}"
    );
    let fin = paragraph_texts(&document_xml(&thong_bao()));
    assert!(has(&fin, "Số: 149/TB-UBND"), "{fin:?}");
    assert!(has(&fin, "Hải Phòng, ngày 24 tháng 3 năm 2020"), "{fin:?}");
    assert!(fin.iter().any(|t| t == "THÔNG BÁO"), "{fin:?}");
}

#[test]
fn xml_special_characters_come_out_literally() {
    let mut doc = thong_bao();
    doc.body = vec![para(vec![text(r#"A & B <c> "d" 'e' ./."#)])];
    let xml = document_xml(&doc);
    assert!(xml.contains("A &amp; B &lt;c&gt;"), "escaped in XML");
    assert!(paragraph_texts(&xml).contains(&r#"A & B <c> "d" 'e' ./."#.to_owned()));
}

#[test]
fn profile_13_uses_smaller_sizes() {
    let mut document = cong_van();
    document.layout.profile = 13;
    let xml = document_xml(&document);
    let doc = parse(&xml);
    // Quốc hiệu 12 pt bold (24 half-points), body 13 pt (26).
    let run = all(doc.root(), "r")
        .into_iter()
        .find(|r| node_text(*r).contains("CỘNG HÒA"))
        .expect("the quốc hiệu run");
    assert_eq!(prop(run, "rPr", "sz"), Some("24"));
    let styles_xml = part(&write(&document).unwrap(), "word/styles.xml");
    let styles = parse(&styles_xml);
    let defaults = first(styles.root(), "docDefaults");
    assert_eq!(w_attr(first(defaults, "sz"), "val"), "26");
}

#[test]
fn identical_input_gives_identical_bytes() {
    let a = write(&cong_van()).unwrap();
    let b = write(&cong_van()).unwrap();
    assert_eq!(a, b);
    // Other documents written in between must not shift ids.
    let _ = write(&thong_bao()).unwrap();
    assert_eq!(a, write(&cong_van()).unwrap());
}

#[test]
fn no_wall_clock_in_archive_or_core_properties() {
    let bytes = write(&cong_van()).unwrap();
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        let t = f.last_modified().expect("timestamp");
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
    }
    let when = chrono::NaiveDate::from_ymd_opt(2024, 8, 5)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap();
    let dated = write_with(
        &cong_van(),
        &DocxOptions {
            created: Some(when),
        },
    )
    .unwrap();
    assert!(part(&dated, "docProps/core.xml").contains("2024-08-05T09:30:00Z"));
}

#[test]
fn body_paragraphs_justified_with_indent_and_spacing() {
    let xml = document_xml(&thong_bao());
    let doc = parse(&xml);
    let p = paragraph_starting(&doc, "Ngày 20/3/2020");
    assert_eq!(prop(p, "pPr", "jc"), Some("both"));
    let ppr = p.children().find(|n| is_w(n, "pPr")).expect("w:pPr");
    let ind = ppr.children().find(|n| is_w(n, "ind")).expect("w:ind");
    let spacing = ppr
        .children()
        .find(|n| is_w(n, "spacing"))
        .expect("w:spacing");
    assert_eq!(w_attr(ind, "firstLine"), "567");
    assert_eq!(w_attr(spacing, "before"), "120");
    assert_eq!(w_attr(spacing, "line"), "240");
}

/// A body of one task table (seed 002's shape): a group row, a vertical merge, a cell of
/// lines, inside a landscape block after a page break.
fn task_table_doc() -> Document {
    let md = "Kế hoạch:\n\n::: page-break\n\n::: landscape\n\n\
        | TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n|:-:|--|--|--|\n\
        | I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH ||||\n\
        | 1 | Rà soát danh mục<br>- cấp tỉnh<br>- cấp huyện | Sở Nội vụ | Quý III |\n\
        | 2 | Tuyên truyền | ^^ | Thường xuyên |\n\n:::\n\nVăn bản kết thúc./.\n";
    let mut doc = cong_van();
    doc.body = congvan::markdown::parse(md);
    doc
}

#[test]
fn table_header_repeats_rows_do_not_split_and_cells_merge() {
    let xml = document_xml(&task_table_doc());
    let body = &xml[xml
        .find("Rà soát")
        .map(|i| xml[..i].rfind("<w:tbl>").unwrap())
        .unwrap()..];
    let table = &body[..body.find("</w:tbl>").unwrap()];
    assert_eq!(table.matches("<w:tblHeader/>").count(), 1, "one header row");
    assert!(
        !table.contains(r#"<w:trHeight w:val="1""#),
        "the mark is replaced"
    );
    assert_eq!(
        table.matches("<w:tr>").count(),
        table.matches("<w:cantSplit />").count()
    );
    assert!(
        table.contains(r#"<w:gridSpan w:val="4" />"#),
        "group row spans 4"
    );
    assert!(table.contains(r#"<w:vMerge w:val="restart" />"#));
    assert!(table.contains(r#"<w:vMerge w:val="continue" />"#));
    // The cell of three lines is three paragraphs, the "- " ones hanging on their dash.
    let texts = paragraph_texts(&xml);
    for want in ["Rà soát danh mục", "- cấp tỉnh", "- cấp huyện"] {
        assert!(texts.iter().any(|t| t == want), "{texts:?}");
    }
    assert!(table.contains("w:hanging="), "{table}");
}

#[test]
fn landscape_block_is_its_own_section_and_numbering_runs_on() {
    let doc = task_table_doc();
    let xml = document_xml(&doc);
    // Two section ends inside the body (portrait, landscape) and the final portrait one.
    assert_eq!(xml.matches("<w:sectPr>").count(), 3, "{xml}");
    let landscape = xml
        .find(r#"w:orient="landscape""#)
        .expect("a landscape section");
    let first_end = xml.find("<w:sectPr>").unwrap();
    assert!(first_end < landscape);
    // The first section keeps page 1 unnumbered; the later ones number every page, from the
    // same default header, with no restart.
    let first = &xml[first_end..xml[first_end..].find("</w:sectPr>").unwrap() + first_end];
    assert!(
        first.contains("<w:titlePg />") && first.contains(r#"w:type="first""#),
        "{first}"
    );
    let last = &xml[xml.rfind("<w:sectPr>").unwrap()..];
    assert!(!last.contains("<w:titlePg />"), "{last}");
    assert!(!xml.contains("<w:pgNumType"), "numbering never restarts");
    // The page break right before the landscape block is the section break's own.
    assert!(!xml.contains(r#"<w:br w:type="page" />"#));
    // The landscape table spans the landscape text width: 297 − 30 − 15 mm.
    let grid: i32 = xml[xml.find("<w:tblGrid>").unwrap()..]
        .split("</w:tblGrid>")
        .next()
        .unwrap()
        .matches("w:w=\"")
        .count() as i32;
    assert!(grid >= 2);
    let words: Vec<String> = doc.words().into_iter().filter(|w| !w.is_empty()).collect();
    let printed: Vec<String> = paragraph_texts(&xml)
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .collect();
    assert_eq!(printed, words);
}

#[test]
fn markdown_twin_of_merged_table_reads_back_the_same_blocks() {
    let doc = task_table_doc();
    let md = congvan::write::markdown::write(&doc);
    assert!(md.contains("| I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH ||||"), "{md}");
    assert!(md.contains("| ^^ |"), "{md}");
    assert!(
        md.contains("Rà soát danh mục<br>- cấp tỉnh<br>- cấp huyện |"),
        "{md}"
    );
    let back = congvan::markdown::parse(&md);
    for block in &doc.body {
        assert!(back.contains(block), "{block:?} not read back from\n{md}");
    }
}

#[test]
fn page_break_starts_a_new_page() {
    let mut doc = cong_van();
    doc.body = congvan::markdown::parse("Trang một.\n\n::: page-break\n\nTrang hai./.\n");
    let xml = document_xml(&doc);
    let br = xml.find(r#"<w:br w:type="page" />"#).expect("a page break");
    assert!(xml.find("Trang một.").unwrap() < br && br < xml.find("Trang hai./.").unwrap());
    assert_eq!(xml.matches("<w:sectPr>").count(), 1, "no section break");
}
