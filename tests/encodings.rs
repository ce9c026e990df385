//! Legacy Vietnamese encodings: fixtures made by encoding seed 000's sentences in each.

use std::path::Path;

use congvan::text::encoding::{guess, guess_legacy, CP1258, TCVN3, UTF16, VNI};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/encodings")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_legacy_encoding_is_recognised() {
    assert_eq!(guess_legacy(&fixture("seed000.tcvn3.txt")), Some(TCVN3));
    assert_eq!(guess_legacy(&fixture("seed000.vni.txt")), Some(VNI));
    assert_eq!(guess_legacy(&fixture("seed000.cp1258.txt")), Some(CP1258));
}

#[test]
fn each_line_alone_is_recognised() {
    for (file, name) in [
        ("seed000.tcvn3.txt", TCVN3),
        ("seed000.vni.txt", VNI),
        ("seed000.cp1258.txt", CP1258),
    ] {
        for line in fixture(file)
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_ascii())
        {
            assert_eq!(
                guess_legacy(line),
                Some(name),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}

#[test]
fn decoding_gives_back_the_sentences() {
    for (file, name) in [
        ("seed000.tcvn3.txt", TCVN3),
        ("seed000.vni.txt", VNI),
        ("seed000.cp1258.txt", CP1258),
    ] {
        let text = congvan::text::encoding::decode(name, &fixture(file));
        assert!(
            text.contains("Xét báo cáo, đề nghị của Sở Thông tin và Truyền thông"),
            "{name}: {text}"
        );
        assert!(
            text.contains("Độc lập - Tự do - Hạnh phúc"),
            "{name}: {text}"
        );
    }
}

#[test]
fn latin1_and_utf8_noise_is_not_vietnamese() {
    assert_eq!(guess_legacy(&fixture("latin1-noise.txt")), None);
    let mut utf8 = "Xét báo cáo, đề nghị của Sở Thông tin và Truyền thông"
        .as_bytes()
        .to_vec();
    utf8.extend_from_slice(b" \xe9\xff trailing");
    assert_eq!(guess_legacy(&utf8), None);
    assert_eq!(guess_legacy(b"\xff\xfe\x00\x01binary\x80\x81"), None);
    assert_eq!(
        guess_legacy(b"na\xefve caf\xe9 \xe0 Paris, o\xf9 \xeates-vous"),
        None
    );
}

#[test]
fn error_names_file_line_column_encoding_and_conversion() {
    for (file, name, column) in [
        ("seed000.tcvn3.txt", TCVN3, 2),
        ("seed000.vni.txt", VNI, 3),
        ("seed000.cp1258.txt", CP1258, 2),
    ] {
        let path = Path::new("data/thang-7.txt");
        let err = congvan::text::decode_utf8(&fixture(file), path).err();
        let Some(err) = err else {
            panic!("{file} decoded as UTF-8")
        };
        let line = err.to_string();
        assert!(
            line.starts_with(&format!(
                "data/thang-7.txt:2:{column}: file is not UTF-8; it looks like {name}"
            )),
            "{line}"
        );
        let text = congvan::diag::render(&err, false);
        assert!(text.contains("Xét báo cáo"), "{text}");
        assert!(text.contains("to UTF-8"), "{text}");
        assert!(text.contains(name), "{text}");
    }
}

/// Excel's "Unicode Text" (UTF-16 with a BOM) is named as such, never taken for a legacy
/// encoding; binary that merely starts with FF FE is not claimed.
#[test]
fn utf16_with_its_bom_is_named_and_read_for_the_error() {
    let text = "STT;Đơn vị;ty_le_ho_so_truc_tuyen\r\n1;Sở Tư pháp;89,22%\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for bytes in [&le, &be] {
        assert_eq!(guess(bytes), Some(UTF16));
    }
    assert_eq!(guess(b"\xff\xfe\x00\x01binary\x80\x81"), None);
    assert_eq!(guess(&fixture("seed000.tcvn3.txt")), Some(TCVN3));
    // The first line as a reader cuts it at its '\n' byte, and a later cell cut after ";".
    let line = &le[..le.iter().position(|b| *b == b'\n').unwrap()];
    let decode = |b: &[u8]| congvan::text::encoding::decode(UTF16, b);
    assert_eq!(decode(line), "STT;Đơn vị;ty_le_ho_so_truc_tuyen");
    let cell_start = 2 + 2 * "STT".len() + 1; // after the 3B of ";"
    assert_eq!(decode(&le[cell_start..cell_start + 13]), "Đơn vị");
    let err = congvan::text::decode_utf8(&le, Path::new("v.txt")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("v.txt:1:1: file is not UTF-8; it looks like UTF-16"),
        "{err}"
    );
}
