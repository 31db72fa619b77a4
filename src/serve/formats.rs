//! What answers are written in, how, and how refusals are answered.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::Triple;
use oxigraph::sparql::results::QueryResultsFormat;

use super::limits::{Answer, Refusal};
use super::negotiate::{NoMatch, Offer};
use crate::export::{jsonld, readable};
use crate::model::vocab::Namespace;

/// The `Content-Type` of HTML pages.
pub const HTML: &str = "text/html; charset=utf-8";

/// SELECT and ASK results, by preference.
pub const RESULTS: &[Offer<QueryResultsFormat>] = &[
    Offer { media_type: "application/sparql-results+json", names: &["json", "srj"], value: QueryResultsFormat::Json },
    Offer { media_type: "application/json", names: &[], value: QueryResultsFormat::Json },
    Offer { media_type: "application/sparql-results+xml", names: &["xml", "srx"], value: QueryResultsFormat::Xml },
    Offer { media_type: "application/xml", names: &[], value: QueryResultsFormat::Xml },
    Offer { media_type: "text/csv", names: &["csv"], value: QueryResultsFormat::Csv },
    Offer { media_type: "text/tab-separated-values", names: &["tsv"], value: QueryResultsFormat::Tsv },
];

/// A triple syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Turtle, with the project's prefixes, one block per subject.
    Turtle,
    /// N-Triples.
    NTriples,
    /// JSON-LD compacted with the project's context.
    JsonLd,
    /// RDF/XML.
    RdfXml,
}

/// CONSTRUCT and DESCRIBE results and graph reads, by preference.
pub const GRAPHS: &[Offer<Syntax>] = &[
    Offer { media_type: "text/turtle", names: &["ttl", "turtle"], value: Syntax::Turtle },
    Offer { media_type: "application/n-triples", names: &["nt", "ntriples", "n-triples"], value: Syntax::NTriples },
    Offer { media_type: "application/ld+json", names: &["jsonld", "json-ld", "json"], value: Syntax::JsonLd },
    Offer { media_type: "application/rdf+xml", names: &["rdfxml", "rdf", "xml"], value: Syntax::RdfXml },
    Offer { media_type: "text/plain", names: &[], value: Syntax::NTriples },
];

/// A page of the linked data: HTML for people, a triple syntax for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFormat {
    /// An HTML page.
    Html,
    /// RDF.
    Rdf(Syntax),
}

/// Resource pages, by preference: Turtle first, so that `curl` without `Accept` gets data, while a browser's
/// `text/html` (ranked above its `*/*`) gets HTML.
pub const PAGES: &[Offer<PageFormat>] = &[
    Offer { media_type: "text/turtle", names: &["ttl", "turtle"], value: PageFormat::Rdf(Syntax::Turtle) },
    Offer { media_type: "text/html", names: &["html"], value: PageFormat::Html },
    Offer { media_type: "application/xhtml+xml", names: &[], value: PageFormat::Html },
    Offer {
        media_type: "application/ld+json",
        names: &["jsonld", "json-ld", "json"],
        value: PageFormat::Rdf(Syntax::JsonLd),
    },
    Offer {
        media_type: "application/n-triples",
        names: &["nt", "ntriples", "n-triples"],
        value: PageFormat::Rdf(Syntax::NTriples),
    },
    Offer {
        media_type: "application/rdf+xml",
        names: &["rdfxml", "rdf", "xml"],
        value: PageFormat::Rdf(Syntax::RdfXml),
    },
];

/// The `Content-Type` of a results format.
pub fn results_content_type(format: QueryResultsFormat) -> &'static str {
    match format {
        QueryResultsFormat::Xml => "application/sparql-results+xml",
        QueryResultsFormat::Csv => "text/csv; charset=utf-8",
        QueryResultsFormat::Tsv => "text/tab-separated-values; charset=utf-8",
        _ => "application/sparql-results+json",
    }
}

/// The `Content-Type` of a triple syntax.
pub fn syntax_content_type(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Turtle => "text/turtle; charset=utf-8",
        Syntax::NTriples => "application/n-triples",
        Syntax::JsonLd => "application/ld+json",
        Syntax::RdfXml => "application/rdf+xml",
    }
}

/// Writes triples: sorted and each once (Turtle and JSON-LD group them by subject).
pub fn write_graph(syntax: Syntax, namespace: &Namespace, mut triples: Vec<Triple>) -> Result<Answer, ApiError> {
    triples.sort_by_cached_key(ToString::to_string);
    triples.dedup();
    let body =
        match syntax {
            Syntax::Turtle => {
                let mut out = Vec::new();
                readable::write_turtle(namespace, &triples, &mut out).map_err(ApiError::internal)?;
                out
            }
            Syntax::JsonLd => jsonld::write(namespace, &triples, Vec::new()).map_err(ApiError::internal)?,
            Syntax::NTriples => readable::write_triples(RdfFormat::NTriples, namespace, &triples, Vec::new())
                .map_err(ApiError::internal)?,
            Syntax::RdfXml => readable::write_triples(RdfFormat::RdfXml, namespace, &triples, Vec::new())
                .map_err(ApiError::internal)?,
        };
    Ok(Answer { content_type: syntax_content_type(syntax), body: body.into() })
}

/// The JSON-LD format Oxigraph knows, for parsing request bodies.
pub fn jsonld_format() -> RdfFormat {
    RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }
}

/// An answer that is not the one asked for: a status and a plain-text message saying why.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// The message (plain text).
    pub message: String,
    /// A header that goes with the status (`Retry-After`, `Allow`, `WWW-Authenticate`).
    pub header: Option<(HeaderName, &'static str)>,
}

impl ApiError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), header: None }
    }

    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 405 Method Not Allowed.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        Self::new(StatusCode::METHOD_NOT_ALLOWED, format!("allowed methods: {allow}")).with_header(header::ALLOW, allow)
    }

    /// The error with a header.
    pub fn with_header(mut self, name: HeaderName, value: &'static str) -> Self {
        self.header = Some((name, value));
        self
    }

    /// 500, with the error and its causes.
    pub fn internal(error: impl std::error::Error) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, error_chain(&error))
    }

    /// The answer to a refusal of the gate.
    pub fn refused(refusal: Refusal, timeout: std::time::Duration) -> Self {
        match refusal {
            Refusal::Busy => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy: every evaluation slot is taken and the queue is full; retry later",
            )
            .with_header(header::RETRY_AFTER, "1"),
            Refusal::Timeout => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the evaluation took longer than {} and was cancelled (the server's --timeout); narrow the query \
                     or add a LIMIT",
                    humanize(timeout)
                ),
            ),
            Refusal::Crashed => Self::new(StatusCode::INTERNAL_SERVER_ERROR, "the evaluation failed unexpectedly"),
        }
    }

    /// The answer to a failed negotiation.
    pub fn from_negotiation(no_match: NoMatch) -> Self {
        match no_match {
            NoMatch::NotAcceptable(message) => Self::new(StatusCode::NOT_ACCEPTABLE, message),
            NoMatch::UnknownFormat(message) => Self::bad_request(message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], self.message + "\n").into_response();
        if let Some((name, value)) = self.header {
            response.headers_mut().insert(name, HeaderValue::from_static(value));
        }
        response
    }
}

/// An error and its causes, as one line.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// `30 s`, `500 ms`.
pub fn humanize(duration: std::time::Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

/// An answer as a response, with its `ETag` and the headers of a negotiated, revalidated representation.
pub fn respond(answer: &Arc<Answer>, etag: Option<&str>) -> Response {
    let mut response = Response::new(Body::from(answer.body.clone()));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    if let Some(tag) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        headers.insert(header::ETAG, tag);
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// 304 Not Modified when the request's `If-None-Match` names `etag` (weak comparison, `*` included).
pub fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let wanted = opaque(etag);
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|value| value.split(',').any(|candidate| candidate.trim() == "*" || opaque(candidate) == wanted));
    matches.then(|| {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(tag) = HeaderValue::from_str(etag) {
            response.headers_mut().insert(header::ETAG, tag);
        }
        response.headers_mut().insert(header::VARY, HeaderValue::from_static("accept"));
        response
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_uses_weak_comparison() {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"a-1-f\""));
        assert!(not_modified(&headers, "W/\"a-1-f\"").is_some());
        assert!(not_modified(&headers, "W/\"a-2-f\"").is_none());
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&headers, "W/\"anything\"").is_some());
        assert!(not_modified(&HeaderMap::new(), "W/\"a\"").is_none());
    }

    #[test]
    fn error_chains_read_as_one_line() {
        let error = std::io::Error::other("outer");
        assert_eq!(error_chain(&error), "outer");
        assert_eq!(humanize(std::time::Duration::from_millis(1500)), "1500 ms");
        assert_eq!(humanize(std::time::Duration::from_secs(30)), "30 s");
    }
}
