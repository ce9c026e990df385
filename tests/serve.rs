//! `congvan serve` through the real server on 127.0.0.1 with an ephemeral port: the page, the
//! upload, problems, lagging units, preview, downloads equal to `congvan draft`'s bytes, and the
//! refusals (token, Origin, size, bad files) after which the server still answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::harness::Run;

const BIN: &str = env!("CARGO_BIN_EXE_congvan");

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    /// "127.0.0.1:PORT".
    addr: String,
    /// The printed address, with its token query if any.
    url: String,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        Server::start_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
    }

    /// Start in the folder `dir` (where a PROJECT argument is relative to).
    fn start_in(dir: &Path, args: &[&str]) -> Server {
        Server::start_with(dir, args, &[])
    }

    /// Start in `dir` with extra environment.
    fn start_with(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(args)
            .current_dir(dir)
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start congvan serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the address line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        let host = url["http://".len()..].split('/').next().unwrap_or("");
        let port = host.rsplit(':').next().unwrap_or("");
        Server {
            child,
            addr: format!("127.0.0.1:{port}"),
            url,
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], &[])
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        http(&self.addr, method, path, headers, body)
    }

    /// Upload `bytes` as `name` with the page's Origin, plus form fields.
    fn upload(&self, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Reply {
        let (content_type, body) = multipart(name, bytes, fields);
        let origin = format!("http://{}", self.addr);
        self.request(
            "POST",
            "/upload",
            &[("Content-Type", &content_type), ("Origin", &origin)],
            &body,
        )
    }
}

impl Drop for Server {
    /// SIGTERM, as a service manager stops it, so it removes its temporary folders.
    fn drop(&mut self) {
        let termed = Command::new("kill")
            .arg(self.child.id().to_string())
            .status()
            .is_ok_and(|s| s.success());
        if !termed {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// A response: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection; the body is read to the end (or de-chunked).
fn http(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    // The server may answer (413) before reading a large body; keep reading the reply anyway.
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no reply from {method} {path}: {raw:?}"));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..eol]).trim(), 16)
            .expect("chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

fn multipart(name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "congvan-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The value of the `<option>` whose label is `label` in the page.
fn option_value(page: &str, label: &str) -> String {
    let at = page
        .find(&format!(">{label}</option>"))
        .unwrap_or_else(|| panic!("no option {label}"));
    let start = page[..at].rfind("value=\"").expect("option value") + "value=\"".len();
    page[start..].split('"').next().unwrap_or("").to_string()
}

/// The sample written to disk by `congvan init`, with `edit` applied to the main spec.
fn project(edit: impl Fn(String) -> String) -> Run {
    let run = Run::new().args(["init", "p"]);
    let out = run.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let spec = run.path("p/templates/cong-van-dvc.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, edit(text)).unwrap();
    run
}

fn cli(dir: &Path, args: &[&str]) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run congvan");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const LETTER: &str = "final=1&number=461&date=2024-08-05";

#[test]
fn page_lists_every_lagging_unit_and_no_problem_for_the_sample() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Không có lỗi"), "{text}");
    // Every unit `congvan lagging --json` lists is in the table.
    let out = Command::new(BIN)
        .args(["lagging", "--json"])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() > 5);
    for row in rows {
        let name = row["name"].as_str().unwrap();
        assert!(text.contains(name), "{name} missing from the lagging table");
    }
    assert!(text.contains("<article class=\"nd30\">"), "no preview");
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    // The month's data offers the exports, not a registry or a task table a spec names.
    assert!(text.contains("2024-06.csv</option>"), "{text}");
    assert!(!text.contains("registry.csv</option>"), "{text}");
    assert!(
        !text.contains("ke-hoach-kstthc-2024.xlsx</option>"),
        "{text}"
    );
    // What was checked is said in Vietnamese, as the rest of the page.
    assert!(text.contains("Đã kiểm tra tệp công văn"), "{text}");
}

#[test]
fn preview_follows_the_date_and_number() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let a = server
        .get("/view?final=1&number=461&date=2024-08-05")
        .text();
    assert!(a.contains("ngày 05 tháng 8 năm 2024"), "{a}");
    assert!(a.contains("Số: 461/VP-KSTTHC"), "{a}");
    let b = server.get("/view?final=1&number=7&date=2024-09-10").text();
    assert!(b.contains("ngày 10 tháng 9 năm 2024"), "{b}");
    assert!(b.contains("Số: 07/VP-KSTTHC"), "{b}");
    // A draft leaves the number and day blank.
    let c = server.get("/view?date=2024-09-10").text();
    assert!(!c.contains("ngày 10 tháng 9"), "{c}");
    // The spec's params are fields too, typed as in the spec.
    let e = server.get("/view?date=2024-09-10&param.thang=6").text();
    assert!(
        e.contains("tháng 6 năm 2024") && !e.contains("tháng 7 năm 2024"),
        "{e}"
    );
    let f = server
        .get("/view?date=2024-09-10&param.thang=s%C3%A1u")
        .text();
    assert!(f.contains("params.thang must be a whole number"), "{f}");
    assert!(
        !f.contains("<article class=\"nd30\">"),
        "no preview from a bad param"
    );
    // A date the form cannot read is reported, not guessed.
    let d = server.get("/view?date=10/9/2024").text();
    assert!(d.contains("10/9/2024") && d.contains("date"), "{d}");
}

#[test]
fn downloads_are_the_bytes_of_congvan_draft() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let dir = tempfile::tempdir().unwrap();
    cli(
        dir.path(),
        &[
            "draft",
            "--final",
            "--number",
            "461",
            "--date",
            "2024-08-05",
            "--out",
            "d",
        ],
    );
    for ext in ["docx", "md"] {
        let reply = server.get(&format!("/download/{ext}?{LETTER}"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        let name = "cong-van-dvc-2024-07";
        assert_eq!(
            reply.header("content-disposition"),
            Some(format!("attachment; filename=\"{name}.{ext}\"").as_str())
        );
        let cli_bytes = std::fs::read(dir.path().join(format!("d/{name}.{ext}"))).unwrap();
        assert!(reply.body == cli_bytes, "{ext} differs from congvan draft");
    }
}

#[test]
fn an_upload_that_drops_a_unit_shows_the_warning_on_the_page() {
    // This month's export without Sở Y tế's row: the letter can only leave it out, so the page
    // says so, as `check` does on stderr.
    let july = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/hai-phong-2024/2024-07.csv"),
    )
    .unwrap();
    let export: String = july
        .lines()
        .filter(|l| !l.contains(";Sở Y tế;"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(export.len(), july.len());
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let reply = server.upload("thang-7.csv", export.as_bytes(), &[]);
    assert_eq!(reply.status, 303, "{}", reply.text());
    let location = reply.header("location").expect("redirect").to_string();
    let page = server.get(&location).text();
    assert!(page.contains("Cần xem lại trước khi gửi"), "{page}");
    assert!(
        page.contains("no value in thang-7.csv for Sở Y tế, which had one last month"),
        "{page}"
    );
    // The shipped sample, every unit present: no such list.
    let page = server.get("/").text();
    assert!(!page.contains("Cần xem lại"), "{page}");
}

#[test]
fn an_upload_replaces_the_month_and_downloads_match_the_cli_on_that_file() {
    // This month's export where Sở Nội vụ falls to 84,97% on online applications.
    let july = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/hai-phong-2024/2024-07.csv"),
    )
    .unwrap();
    let export = String::from_utf8(july)
        .unwrap()
        .replacen("94,97%", "84,97%", 1);
    let run = project(|t| t.replace("2024-07.csv", "xuat-thang-7.csv"));
    run.write("p/data/hai-phong-2024/xuat-thang-7.csv", &export);
    cli(
        run.dir(),
        &[
            "draft",
            "p/templates/cong-van-dvc.toml",
            "--final",
            "--number",
            "461",
            "--date",
            "2024-08-05",
            "--out",
            "d",
        ],
    );
    // Serve the unedited sample and upload the export as this month's.
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let before = server.get("/").text();
    let fields = [("final", "1"), ("number", "461"), ("date", "2024-08-05")];
    let reply = server.upload("Xuất dữ liệu tháng 7.csv", export.as_bytes(), &fields);
    assert_eq!(reply.status, 303, "{}", reply.text());
    let location = reply.header("location").expect("redirect").to_string();
    assert!(location.contains("data=u0"), "{location}");
    let page = server.get(&location).text();
    assert!(
        page.contains("Tệp tải lên: Xuất dữ liệu tháng 7.csv"),
        "{page}"
    );
    assert!(page.contains("Không có lỗi"), "{page}");
    assert!(
        !page.contains("/tmp/"),
        "a private path leaks into the page"
    );
    let lagging = |p: &str| {
        p[p.find("id=\"lagging\"").unwrap()..p.find("id=\"preview\"").unwrap()].to_string()
    };
    assert!(!lagging(&before).contains("Sở Nội vụ"));
    assert!(
        lagging(&page).contains("Sở Nội vụ"),
        "the upload's lagging unit is listed"
    );
    let query = location.trim_start_matches("/?");
    for ext in ["docx", "md"] {
        let reply = server.get(&format!("/download/{ext}?{query}"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        let cli_bytes = std::fs::read(run.path(&format!("d/cong-van-dvc-2024-07.{ext}"))).unwrap();
        assert!(
            reply.body == cli_bytes,
            "{ext} of the upload differs from congvan draft"
        );
    }
    // And it is a different letter from the sample's.
    let sample = server.get(&format!("/download/md?{LETTER}")).body;
    assert!(sample != server.get(&format!("/download/md?{query}")).body);
}

#[test]
fn a_bad_upload_shows_file_line_and_field_and_the_server_stays_up() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let july = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/hai-phong-2024/2024-07.csv"),
    )
    .unwrap();
    // LF line ends: line numbers in CRLF files are fixed on another branch (trust).
    let bad = july.replace("\r\n", "\n").replacen("94,97%", "94,9x%", 1);
    assert_ne!(bad, july);
    let reply = server.upload("thang-7.csv", bad.as_bytes(), &[]);
    assert_eq!(reply.status, 303, "{}", reply.text());
    let page = server.get(reply.header("location").unwrap()).text();
    assert!(
        page.contains("Tệp <code>thang-7.csv</code>, dòng 2"),
        "{page}"
    );
    assert!(
        page.contains("94,9x%"),
        "the offending line is shown: {page}"
    );
    assert!(page.contains("vấn đề cần sửa"), "{page}");
    // Nothing to download from data that does not read.
    let q = reply
        .header("location")
        .unwrap()
        .trim_start_matches("/?")
        .to_string();
    assert_eq!(server.get(&format!("/download/docx?{q}")).status, 400);
    // Not a data file at all.
    let exe = server.upload("report.exe", b"MZ\x90\x00", &[]);
    assert_eq!(exe.status, 415);
    assert!(exe.text().contains("Chỉ nhận tệp CSV, XLSX hoặc JSON"));
    // Binary garbage named .xlsx.
    let junk = server.upload("thang-7.xlsx", &[0xff, 0x00, 0x13, 0x37], &[]);
    assert_eq!(junk.status, 303);
    let page = server.get(junk.header("location").unwrap());
    assert_eq!(page.status, 200);
    assert!(page.text().contains("thang-7.xlsx"));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn an_oversized_upload_is_refused_with_a_message() {
    let server = Server::start(&["--listen", "127.0.0.1:0", "--max-upload", "2000"]);
    let big = vec![b'a'; 200_000];
    let reply = server.upload("big.csv", &big, &[]);
    assert_eq!(reply.status, 413);
    assert!(reply.text().contains("Tệp quá lớn"), "{}", reply.text());
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn beyond_loopback_a_token_is_required() {
    let server = Server::start(&["--listen", "0.0.0.0:0"]);
    let token = server
        .url
        .split("?token=")
        .nth(1)
        .expect("a generated token in the printed address")
        .to_string();
    assert_eq!(token.len(), 64);
    assert_eq!(server.get("/").status, 403);
    assert_eq!(server.get("/download/docx").status, 403);
    assert_eq!(server.get("/?token=wrong").status, 403);
    let ok = server.get(&format!("/?token={token}"));
    assert_eq!(ok.status, 200);
    let cookie = ok.header("set-cookie").expect("token cookie");
    let pair = cookie.split(';').next().unwrap();
    let again = server.request("GET", "/view", &[("Cookie", pair)], &[]);
    assert_eq!(again.status, 200);
}

#[test]
fn uploads_need_the_page_origin_and_loopback_needs_a_local_host() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let (ct, body) = multipart("a.csv", b"x", &[]);
    let none = server.request("POST", "/upload", &[("Content-Type", &ct)], &body);
    assert_eq!(none.status, 403);
    let foreign = server.request(
        "POST",
        "/upload",
        &[("Content-Type", &ct), ("Origin", "http://evil.example")],
        &body,
    );
    assert_eq!(foreign.status, 403);
    let rebound = http(&server.addr, "GET", "/", &[("Host", "evil.example")], &[]);
    assert_eq!(rebound.status, 403);
}

#[test]
fn a_batch_downloads_a_zip_of_the_letters_of_draft_each_unit() {
    let run = project(|t| t);
    cli(
        run.dir(),
        &[
            "draft",
            "p/templates/nhac-nho.toml",
            "--each",
            "unit",
            "--out",
            "d",
            "--quiet",
        ],
    );
    let server = Server::start_in(run.dir(), &["p", "--listen", "127.0.0.1:0"]);
    let page = server.get("/").text();
    let spec = option_value(&page, "templates/nhac-nho.toml");
    let preview = server.get(&format!("/view?spec={spec}")).text();
    assert!(preview.contains("Tất cả công văn (.zip)"), "{preview}");
    let zip = server.get(&format!("/download/zip?spec={spec}"));
    assert_eq!(zip.status, 200, "{}", zip.text());
    zip_of_folder(zip.body, &run.path("d"));
}

#[test]
fn every_hostile_data_file_of_the_cases_gets_an_answer_and_the_server_stays_up() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let mut files = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| ["csv", "xlsx", "json"].contains(&e.to_str().unwrap_or("")))
            {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 20, "{} case files", files.len());
    // Four browsers at once: the server answers each upload on its own, and the test stays short.
    let per_client = files.len().div_ceil(4);
    std::thread::scope(|scope| {
        for chunk in files.chunks(per_client) {
            let server = &server;
            scope.spawn(move || {
                for path in chunk {
                    let name = path.file_name().unwrap().to_string_lossy().into_owned();
                    let reply = server.upload(&name, &std::fs::read(path).unwrap(), &[]);
                    assert_eq!(reply.status, 303, "{}: {}", path.display(), reply.text());
                    let page = server.get(reply.header("location").unwrap());
                    assert_eq!(page.status, 200, "{}", path.display());
                    let text = page.text();
                    assert!(
                        text.contains("Không có lỗi") || text.contains("vấn đề cần sửa"),
                        "{}: neither ok nor problems",
                        path.display()
                    );
                }
            });
        }
    });
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn renew_gives_the_letter_of_a_fresh_load() {
    use congvan::input::{sample, source::Source, spec::LetterSpec};
    use congvan::pipeline::{DraftOptions, Prepared};
    let spec = LetterSpec::load(Source::Sample, Path::new(sample::DEFAULT_SPEC)).unwrap();
    let options = |day, number, is_final| DraftOptions {
        is_final,
        date: chrono::NaiveDate::from_ymd_opt(2024, 8, day),
        number: Some(number),
        today: chrono::NaiveDate::from_ymd_opt(2024, 8, 1).unwrap(),
        strict: false,
    };
    let first = Prepared::new(&spec, &options(5, 461, false)).unwrap();
    for (day, number, is_final) in [(9, 7, true), (30, 12, false), (5, 461, true)] {
        let renewed = first.renew(&spec, &options(day, number, is_final)).unwrap();
        let fresh = Prepared::new(&spec, &options(day, number, is_final)).unwrap();
        let a = renewed.letter(&spec, None).unwrap();
        let b = fresh.letter(&spec, None).unwrap();
        assert_eq!(a.document, b.document, "day {day}");
        assert_eq!(a.date, b.date);
    }
    let a = first.letter(&spec, None).unwrap();
    let b = first
        .renew(&spec, &options(9, 7, true))
        .unwrap()
        .letter(&spec, None)
        .unwrap();
    assert_ne!(
        a.document, b.document,
        "a renewed letter follows the new date"
    );
}

#[test]
fn stopping_the_server_removes_the_sample_and_the_uploads() {
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--listen", "127.0.0.1:0"],
        &[("TMPDIR", tmp.path())],
    );
    let reply = server.upload("a.csv", b"x;y\n1;2\n", &[]);
    assert_eq!(reply.status, 303);
    let inside = |p: &Path| std::fs::read_dir(p).unwrap().count();
    assert_eq!(inside(tmp.path()), 2, "the sample and the uploads folder");
    drop(server);
    assert_eq!(inside(tmp.path()), 0, "temporary folders left behind");
}

#[test]
fn a_letter_with_charts_previews_them_and_downloads_them_in_a_zip() {
    // The sample letter with one indicator's phụ lục: five charts (185 units, parts of 37).
    let run = project(|t| t);
    let spec = std::fs::read_to_string(run.path("p/templates/cong-van-dvc.toml")).unwrap();
    run.write(
        "p/templates/x.toml",
        spec.replace("cong-van-dvc.md.tera", "x.md.tera"),
    );
    run.write(
        "p/templates/x.md.tera",
        "Nội dung./.\n\n::: phu-luc title=\"Kết quả\"\n\n{{ chart(indicator=\"ty_le_so_hoa_ho_so\") }}\n\n:::\n",
    );
    cli(
        run.dir(),
        &["draft", "p/templates/x.toml", "--out", "d", "--quiet"],
    );
    let server = Server::start_in(run.dir(), &["p", "--listen", "127.0.0.1:0"]);
    let page = server.get("/").text();
    let spec = option_value(&page, "templates/x.toml");
    let preview = server.get(&format!("/view?spec={spec}")).text();
    assert_eq!(
        preview.matches("src=\"data:image/png;base64,").count(),
        5,
        "the preview inlines every chart"
    );
    assert!(preview.contains("Công văn và biểu đồ (.zip)"), "{preview}");
    let zip = server.get(&format!("/download/zip?spec={spec}"));
    assert_eq!(zip.status, 200, "{}", zip.text());
    let names = zip_of_folder(zip.body, &run.path("d"));
    assert!(
        names.iter().any(|n| n.ends_with("-bieu-do-5.png")),
        "{names:?}"
    );
}

/// The file names of a zip download, sorted, which must be those of `folder` (what `congvan
/// draft` wrote there, hidden files aside), each entry holding the same bytes as its file.
fn zip_of_folder(body: Vec<u8>, folder: &std::path::Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
    let mut written: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    written.sort();
    let mut names: Vec<String> = archive.file_names().map(str::to_string).collect();
    names.sort();
    assert_eq!(names, written);
    for name in &names {
        let mut bytes = Vec::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert!(bytes == std::fs::read(folder.join(name)).unwrap(), "{name}");
    }
    names
}
