//! Legacy Vietnamese encodings: fixtures made by encoding seed 000's sentences in each.

use std::path::Path;

use congvan::text::encoding::{guess_legacy, CP1258, TCVN3, VNI};

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
