//! The HTTP side of `congvan serve`: the routes, and the guard every request passes (host on
//! loopback, token elsewhere, Origin on uploads). Work is done off the async threads.
//!
//! Routes: `GET /` the page; `GET /view` its results (problems, lagging units, preview) for
//! the script; `GET /download/{docx|md|zip}` a file; `POST /upload` an export (multipart).
//! All take the form's fields (see [`Form`]); none takes a path.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use super::page::Pages;
use super::project::{DataChoice, Form, Project, UploadError, View};

/// The cookie that carries the token after the first request.
const TOKEN_COOKIE: &str = "congvan_token";
/// Room for the form's text fields around the uploaded file.
const FORM_OVERHEAD: usize = 64 * 1024;

/// What every request shares.
pub struct State {
    /// The project and its uploads.
    pub project: Project,
    /// Templates and messages.
    pub pages: Pages,
    /// The token every request must carry, when listening beyond loopback.
    pub token: Option<String>,
    /// Listening on loopback without a token: only local host names are accepted.
    pub loopback_only: bool,
    /// Largest upload, in bytes.
    pub max_upload: usize,
}

type Shared = Arc<State>;

/// The router with its guard.
pub fn router(state: Shared) -> Router {
    let limit = state.max_upload + FORM_OVERHEAD;
    Router::new()
        .route("/", get(index))
        .route("/view", get(view))
        .route("/download/{kind}", get(download))
        .route("/upload", post(upload).layer(DefaultBodyLimit::max(limit)))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// Refuse requests from elsewhere: a foreign Host on loopback (DNS rebinding), a missing token
/// beyond loopback, an upload whose Origin is not this page. Adds the security headers.
async fn guard(
    axum::extract::State(state): axum::extract::State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    if state.loopback_only && !is_local_host(&host) {
        return message(&state, StatusCode::FORBIDDEN, "forbidden_host", &[]);
    }
    let mut set_cookie = None;
    if let Some(token) = &state.token {
        let from_query = request
            .uri()
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(k, _)| k == "token")
                    .map(|(_, v)| v)
            });
        let from_cookie = cookie(headers, TOKEN_COOKIE);
        if from_query.as_deref().is_some_and(|t| same(t, token)) {
            set_cookie = Some(token.clone());
        } else if !from_cookie.as_deref().is_some_and(|t| same(t, token)) {
            return message(&state, StatusCode::FORBIDDEN, "forbidden_token", &[]);
        }
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let expected = format!("http://{host}");
        let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
        let referer = headers.get(header::REFERER).and_then(|h| h.to_str().ok());
        let same_origin = match (origin, referer) {
            (Some(o), _) => o == expected,
            (None, Some(r)) => r.starts_with(&format!("{expected}/")),
            (None, None) => false,
        };
        if !same_origin {
            return message(&state, StatusCode::FORBIDDEN, "forbidden_origin", &[]);
        }
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; \
             connect-src 'self'; form-action 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(token) = set_cookie {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
        )) {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

/// `GET /`: the whole page.
async fn index(
    axum::extract::State(state): axum::extract::State<Shared>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let form = form_or_default(&state, &pairs);
    page(state, form, None, StatusCode::OK).await
}

/// `GET /view`: the results part of the page, for the script.
async fn view(
    axum::extract::State(state): axum::extract::State<Shared>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let form = form_or_default(&state, &pairs);
    let s = state.clone();
    let f = form.clone();
    match tokio::task::spawn_blocking(move || s.project.view(&f)).await {
        Ok(view) => {
            let ctx = context(&state, &form, &view, None);
            html(StatusCode::OK, state.pages.render("results.html", &ctx))
        }
        Err(_) => message(&state, StatusCode::INTERNAL_SERVER_ERROR, "failed", &[]),
    }
}

/// `GET /download/{kind}`: the .docx, .md or .zip of the form, as `congvan draft` writes it.
async fn download(
    axum::extract::State(state): axum::extract::State<Shared>,
    Path(kind): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let form = form_or_default(&state, &pairs);
    let s = state.clone();
    let k = kind.clone();
    let result = tokio::task::spawn_blocking(move || s.project.files(&form, &k)).await;
    let file = match result {
        Ok(Ok(file)) => file,
        Ok(Err(problem)) => {
            let reason = match &problem.file {
                Some(f) => format!("{f}: {}", problem.message),
                None => problem.message,
            };
            return message(
                &state,
                StatusCode::BAD_REQUEST,
                "no_download",
                &[("reason", &reason)],
            );
        }
        Err(_) => return message(&state, StatusCode::INTERNAL_SERVER_ERROR, "failed", &[]),
    };
    let content_type = match kind.as_str() {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "md" => "text/markdown; charset=utf-8",
        _ => "application/zip",
    };
    let disposition = format!("attachment; filename=\"{}\"", file.name.replace('"', ""));
    let mut response = (StatusCode::OK, file.bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// `POST /upload`: keep the export (size-limited, in the private folder) and show the page
/// with it chosen; a bad upload gets the page back with a message, the server stays up.
async fn upload(
    axum::extract::State(state): axum::extract::State<Shared>,
    mut multipart: Multipart,
) -> Response {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut file: Option<(String, axum::body::Bytes)> = None;
    let refused = loop {
        match multipart.next_field().await {
            Ok(None) => break None,
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "file" {
                    let file_name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        Ok(bytes) => file = Some((file_name, bytes)),
                        Err(e) => break Some(e),
                    }
                } else {
                    match field.text().await {
                        Ok(text) => pairs.push((name, text)),
                        Err(e) => break Some(e),
                    }
                }
            }
            Err(e) => break Some(e),
        }
    };
    let mut form = form_or_default(&state, &pairs);
    let limit = human_size(state.max_upload);
    if let Some(e) = refused {
        let (status, text) = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                state.pages.message("too_large", &[("limit", &limit)]),
            )
        } else {
            (
                StatusCode::BAD_REQUEST,
                state
                    .pages
                    .message("bad_upload", &[("reason", &e.body_text())]),
            )
        };
        return page(state, form, Some(text), status).await;
    }
    let refuse = |key: &str, status| (status, state.pages.message(key, &[("limit", &limit)]));
    let stored = match file {
        Some((_, bytes)) if bytes.len() > state.max_upload => {
            Err(refuse("too_large", StatusCode::PAYLOAD_TOO_LARGE))
        }
        Some((name, bytes)) if !(name.is_empty() && bytes.is_empty()) => {
            match state.project.add_upload(&name, &bytes) {
                Ok(i) => Ok(i),
                Err(UploadError::Extension) => {
                    Err(refuse("bad_extension", StatusCode::UNSUPPORTED_MEDIA_TYPE))
                }
                Err(UploadError::Store) => {
                    Err(refuse("store_failed", StatusCode::INTERNAL_SERVER_ERROR))
                }
            }
        }
        _ => Err(refuse("no_file", StatusCode::BAD_REQUEST)),
    };
    match stored {
        Ok(i) => {
            form.data = DataChoice::Upload(i);
            let query = serde_urlencoded::to_string(form.pairs()).unwrap_or_default();
            Redirect::to(&format!("/?{query}")).into_response()
        }
        Err((status, text)) => page(state, form, Some(text), status).await,
    }
}

async fn not_found(axum::extract::State(state): axum::extract::State<Shared>) -> Response {
    message(&state, StatusCode::NOT_FOUND, "not_found", &[])
}

/// The whole page for `form`, with an optional message on top.
async fn page(state: Shared, form: Form, note: Option<String>, status: StatusCode) -> Response {
    let s = state.clone();
    let f = form.clone();
    match tokio::task::spawn_blocking(move || s.project.view(&f)).await {
        Ok(view) => {
            let ctx = context(&state, &form, &view, note);
            html(status, state.pages.render("page.html", &ctx))
        }
        Err(_) => message(&state, StatusCode::INTERNAL_SERVER_ERROR, "failed", &[]),
    }
}

/// The template context of the page and its results.
fn context(state: &State, form: &Form, view: &View, note: Option<String>) -> serde_json::Value {
    let project = &state.project;
    let specs: Vec<_> = project
        .specs
        .iter()
        .enumerate()
        .map(|(i, s)| serde_json::json!({"value": i.to_string(), "label": s.label}))
        .collect();
    let mut data = vec![serde_json::json!({
        "value": DataChoice::Spec.encode(),
        "label": state.pages.message("data_of_spec", &[]),
    })];
    for (i, d) in project.data.iter().enumerate() {
        data.push(serde_json::json!({"value": DataChoice::Project(i).encode(), "label": d.label}));
    }
    for (i, u) in project.uploads().iter().enumerate() {
        data.push(serde_json::json!({
            "value": DataChoice::Upload(i).encode(),
            "label": state.pages.message("uploaded_file", &[("name", &u.name)]),
        }));
    }
    serde_json::json!({
        "specs": specs,
        "spec": form.spec.to_string(),
        "data_options": data,
        "data": form.data.encode(),
        "final": form.is_final,
        "view": view,
        "query": serde_urlencoded::to_string(form.pairs()).unwrap_or_default(),
        "message": note,
        "max_upload": human_size(state.max_upload),
    })
}

/// The form of a request; with no spec given, the project's default letter.
fn form_or_default(state: &State, pairs: &[(String, String)]) -> Form {
    let mut form = Form::parse(pairs);
    if !pairs.iter().any(|(k, _)| k == "spec") {
        form.spec = state.project.default_spec;
    }
    form
}

fn message(state: &State, status: StatusCode, key: &str, args: &[(&str, &str)]) -> Response {
    let text = state.pages.message(key, args);
    html(
        status,
        state
            .pages
            .render("message.html", &serde_json::json!({ "message": text })),
    )
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// "20 MB", "500 kB", "900 B".
fn human_size(bytes: usize) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{} MB", b / (1024 * 1024)),
        b if b >= 1024 => format!("{} kB", b / 1024),
        b => format!("{b} B"),
    }
}

/// Whether a Host header names this machine: localhost, 127.0.0.1 or [::1], any port.
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The value of cookie `name`.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Compare two tokens in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_local() {
        for ok in [
            "localhost:8080",
            "127.0.0.1:1",
            "[::1]:80",
            "LOCALHOST",
            "127.0.0.1",
        ] {
            assert!(is_local_host(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "192.168.1.5:8080",
            "",
            "localhost.evil.com",
        ] {
            assert!(!is_local_host(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abcdef", "abcdef"));
        assert!(!same("abcdef", "abcdeg"));
        assert!(!same("abc", "abcdef"));
    }
}
