//! The query page and its files (`static/`, compiled into the binary), and the small JSON documents it reads.
//!
//! The files are a fixed table of names, each `include_bytes!`: a request path is looked up in the table, never
//! joined to a directory, so no path (`../`, `%2e%2e/`, an absolute path) can reach another file. A crate such as
//! rust-embed would do the same with a derive macro; for eight files the table is as short and has no debug-build
//! mode that reads from the disk.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::AppState;
use super::formats::{ApiError, not_modified};
use crate::queries::{self, ParamKind};

/// (path under `/static/`, media type, content).
const FILES: &[(&str, &str, &[u8])] = &[
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../static/app.js")),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("pages.css", "text/css; charset=utf-8", include_bytes!("../../static/pages.css")),
    (
        "vendor/yasqe/yasqe.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/yasqe/yasqe.min.js"),
    ),
    (
        "vendor/yasqe/yasqe.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/vendor/yasqe/yasqe.min.css"),
    ),
    ("vendor/yasqe/LICENSE", "text/plain; charset=utf-8", include_bytes!("../../static/vendor/yasqe/LICENSE")),
    (
        "vendor/yasqe/THIRD-PARTY-LICENSES.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../static/vendor/yasqe/THIRD-PARTY-LICENSES.txt"),
    ),
    ("vendor/README.md", "text/markdown; charset=utf-8", include_bytes!("../../static/vendor/README.md")),
];

const INDEX: &[u8] = include_bytes!("../../static/index.html");

/// The Content-Security-Policy of the query page: its own scripts and styles only (`CodeMirror` sets inline styles).
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                      object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

fn etags() -> &'static HashMap<&'static str, String> {
    static ETAGS: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        let tag = |bytes: &[u8]| {
            let digest = Sha256::digest(bytes);
            let hex = digest.iter().take(12).fold(String::new(), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            });
            format!("\"{hex}\"")
        };
        let mut tags: HashMap<&'static str, String> = FILES.iter().map(|(p, _, b)| (*p, tag(b))).collect();
        tags.insert("", tag(INDEX));
        tags
    })
}

fn file_response(
    headers: &HeaderMap,
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
) -> Response {
    let etag = &etags()[name];
    if let Some(response) = not_modified(headers, etag) {
        return response;
    }
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(tag) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, tag);
    }
    response
}

/// `GET /`: the query page.
pub async fn index(headers: HeaderMap) -> Response {
    let mut response = file_response(&headers, "", "text/html; charset=utf-8", INDEX);
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    response
}

/// `GET /static/PATH`: one of the page's files.
pub async fn file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    match FILES.iter().find(|(name, ..)| *name == path) {
        Some((name, content_type, bytes)) => file_response(&headers, name, content_type, bytes),
        None => ApiError::not_found(format!("no file {path:?} under /static/")).into_response(),
    }
}

/// `GET /api/queries`: the canned queries, with what they answer and their parameters.
pub async fn queries(State(state): State<Arc<AppState>>) -> Json<Value> {
    let base = state.store.namespace().base();
    let list: Vec<Value> = queries::ALL
        .iter()
        .map(|q| {
            let params: Vec<Value> = q
                .params()
                .iter()
                .map(|p| {
                    json!({
                        "name": p.name,
                        "kind": if p.kind == ParamKind::Iri { "iri" } else { "literal" },
                        "description": p.description,
                    })
                })
                .collect();
            json!({ "name": q.name, "summary": q.summary(), "params": params, "text": queries::with_base(q.text, base) })
        })
        .collect();
    Json(Value::Array(list))
}

/// `GET /api/prefixes`: the prefixes the project writes, `{prefix: namespace}`.
pub async fn prefixes(State(state): State<Arc<AppState>>) -> Json<Value> {
    let map: Map<String, Value> = state
        .store
        .namespace()
        .prefixes()
        .into_iter()
        .map(|(p, ns)| (p.to_owned(), Value::String(ns.to_owned())))
        .collect();
    Json(Value::Object(map))
}

/// `GET /context.jsonld`: the project's JSON-LD context (Biolink's prefixes and the project's).
pub async fn context(State(state): State<Arc<AppState>>) -> Response {
    let context = crate::export::jsonld::context(state.store.namespace());
    let mut response = Json(context).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/ld+json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_loads_is_served() {
        let page = std::str::from_utf8(INDEX).unwrap();
        for reference in page.split('"').filter_map(|s| s.strip_prefix("/static/")) {
            assert!(FILES.iter().any(|(name, ..)| *name == reference), "index.html loads /static/{reference}");
        }
        assert!(FILES.iter().all(|(name, ..)| !name.contains("..") && !name.starts_with('/')));
    }
}
