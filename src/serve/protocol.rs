//! The SPARQL 1.1 Protocol on `/sparql` and the Graph Store Protocol on `/store`.
//!
//! - Queries: `GET /sparql?query=…`, `POST` of a form (`query=…`) or of the query itself
//!   (`application/sparql-query`); `default-graph-uri` and `named-graph-uri` replace the query's `FROM`; gardkg's
//!   extension `bind.NAME=VALUE` substitutes a value for `?NAME` (never pasted into the query text).
//! - Updates, with `--writable` only: `POST` of a form (`update=…`) or of the update (`application/sparql-update`).
//! - `GET /sparql` without a query: the Service Description (a browser is sent to the query page).
//! - Graph Store Protocol: `GET /store?graph=IRI` (also `/sparql?graph=IRI`), `?default` (the union of all graphs,
//!   which queries see as their default graph); `PUT`, `POST`, `DELETE` of a named graph with `--writable`.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use http_body_util::BodyExt as _;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, Quad, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults, Variable};
use regex::Regex;

use super::AppState;
use super::formats::{self, ApiError, PageFormat, Syntax, not_modified, respond};
use super::limits::Answer;
use super::negotiate::choose;
use crate::federation::ServiceError;
use crate::model::vocab::{formats as fmt, rdf, sd, void};
use crate::queries;
use crate::store::{QueryOptions, StoreError};

/// The deepest nesting of brackets, braces and parentheses a query or update may have. The SPARQL parser and
/// evaluator recurse with it; no real query comes near (the canned ones stay under 10).
pub const MAX_DEPTH: usize = 100;

/// The parameters of a protocol request, from the URL and a form body.
#[derive(Debug, Default, Clone)]
pub struct Params {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    using: bool,
    binds: Vec<(String, String)>,
    format: Option<String>,
    graph: Option<String>,
    default: bool,
    repeated: Option<&'static str>,
}

impl Params {
    fn read(&mut self, encoded: &[u8]) {
        for (key, value) in form_urlencoded::parse(encoded) {
            self.add(&key, value.into_owned());
        }
    }

    fn add(&mut self, key: &str, value: String) {
        let once = |slot: &mut Option<String>, repeated: &mut Option<&'static str>, name: &'static str| {
            if slot.is_some() {
                *repeated = Some(name);
            }
            *slot = Some(value.clone());
        };
        match key {
            "query" => once(&mut self.query, &mut self.repeated, "query"),
            "update" => once(&mut self.update, &mut self.repeated, "update"),
            "graph" => once(&mut self.graph, &mut self.repeated, "graph"),
            "format" => self.format = Some(value),
            "default-graph-uri" => self.default_graphs.push(value),
            "named-graph-uri" => self.named_graphs.push(value),
            "using-graph-uri" | "using-named-graph-uri" => self.using = true,
            "default" => self.default = true,
            _ => {
                if let Some(name) = key.strip_prefix("bind.") {
                    self.binds.push((name.to_owned(), value));
                }
            }
        }
    }

    /// What identifies the answer besides the store's state and the negotiation.
    fn key(&self, text: &str) -> String {
        let mut key = String::with_capacity(text.len() + 64);
        for part in [text]
            .into_iter()
            .chain(self.default_graphs.iter().map(String::as_str))
            .chain(["\u{1}"])
            .chain(self.named_graphs.iter().map(String::as_str))
            .chain(["\u{1}"])
        {
            key.push_str(part);
            key.push('\u{0}');
        }
        for (name, value) in &self.binds {
            key.push_str(name);
            key.push('=');
            key.push_str(value);
            key.push('\u{0}');
        }
        key
    }
}

/// `/sparql`: queries, updates, graph reads and the Service Description.
pub async fn sparql(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    sparql_request(state, method, uri, headers, body).await.unwrap_or_else(IntoResponse::into_response)
}

async fn sparql_request(
    state: Arc<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let mut params = Params::default();
    params.read(uri.query().unwrap_or_default().as_bytes());
    if method == Method::POST {
        let body = read_body(body, &headers, &state).await?;
        match media_type(&headers).as_deref() {
            Some("application/x-www-form-urlencoded") => params.read(&body),
            Some("application/sparql-query") => params.add("query", utf8(&body)?),
            Some("application/sparql-update") => params.add("update", utf8(&body)?),
            other => {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "a POST to /sparql is a form (application/x-www-form-urlencoded), a query \
                         (application/sparql-query) or an update (application/sparql-update), not {}",
                        other.unwrap_or("a body without Content-Type")
                    ),
                ));
            }
        }
    } else if method != Method::GET && method != Method::HEAD {
        return Err(ApiError::method_not_allowed("GET, HEAD, POST"));
    }
    if let Some(name) = params.repeated {
        return Err(ApiError::bad_request(format!("the parameter {name} is given more than once")));
    }
    match (params.query.take(), params.update.take()) {
        (Some(_), Some(_)) => Err(ApiError::bad_request("give a query or an update, not both")),
        (Some(query), None) => run_query(&state, &headers, params, query).await,
        (None, Some(update)) if method == Method::POST => run_update(&state, &headers, &params, update).await,
        (None, Some(_)) => Err(ApiError::method_not_allowed("POST")),
        (None, None) if params.graph.is_some() || params.default => {
            let target = Target::from_params(&params)?;
            read_graph(&state, &headers, target, params.format.as_deref()).await
        }
        (None, None) if method == Method::POST => Err(ApiError::bad_request("the request has no query= or update=")),
        (None, None) => service_description(&state, &headers, params.format.as_deref()),
    }
}

/// Reads a request body: at most `--max-body` bytes (checked against `Content-Length`, then while reading, so a
/// chunked body cannot exceed it either), within `--header-timeout`.
pub async fn read_body(body: Body, headers: &HeaderMap, state: &AppState) -> Result<Bytes, ApiError> {
    let limit = state.config.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {limit} bytes (the server's --max-body)"),
        )
    };
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let collect = async {
        let mut body = body;
        let mut bytes = Vec::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| ApiError::bad_request(format!("cannot read the request body: {e}")))?;
            if let Ok(data) = frame.into_data() {
                if bytes.len() + data.len() > limit {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&data);
            }
        }
        Ok(Bytes::from(bytes))
    };
    tokio::time::timeout(state.config.header_timeout, collect).await.map_err(|_| {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body did not arrive within {} (the server's --header-timeout)",
                formats::humanize(state.config.header_timeout)
            ),
        )
    })?
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

fn utf8(body: &Bytes) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec()).map_err(|_| ApiError::bad_request("the request body is not UTF-8"))
}

/// How deeply brackets, braces and parentheses nest in a query, outside strings and comments. Brackets inside
/// IRIs are counted too: counting too many can only refuse a query, counting too few could let one through.
pub fn nesting_depth(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    let is_iri_char = |c: u8| !c.is_ascii_whitespace() && !b"<>\"{}|^`\\".contains(&c);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                let long = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
                i += if long { 3 } else { 1 };
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        c if c == quote && !long => break,
                        b'\n' if !long => break,
                        c if c == quote && bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) => {
                            i += 2;
                            break;
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' => {
                // An IRI reference: skip its `#` (not a comment) but count what it holds.
                let end = bytes[i + 1..].iter().position(|&c| !is_iri_char(c)).map(|p| i + 1 + p);
                if let Some(end) = end.filter(|&e| bytes[e] == b'>') {
                    for &c in &bytes[i + 1..end] {
                        if matches!(c, b'(' | b'[') {
                            depth += 1;
                            deepest = deepest.max(depth);
                        } else if matches!(c, b')' | b']') {
                            depth = depth.saturating_sub(1);
                        }
                    }
                    i = end;
                }
            }
            b'(' | b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

fn check_depth(text: &str) -> Result<(), ApiError> {
    let depth = nesting_depth(text);
    if depth > MAX_DEPTH {
        return Err(ApiError::bad_request(format!(
            "the request nests brackets, braces or parentheses {depth} deep; at most {MAX_DEPTH} are accepted"
        )));
    }
    Ok(())
}

/// Whether the answer depends only on the store: no `SERVICE`, no function whose value changes from call to call.
/// A false "no" only costs the cache.
fn depends_only_on_store(text: &str) -> bool {
    static VOLATILE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let volatile = VOLATILE.get_or_init(|| {
        Regex::new(r"(?i)\bSERVICE\b|\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(").expect("the pattern is valid")
    });
    !volatile.is_match(text)
}

async fn run_query(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    params: Params,
    query: String,
) -> Result<Response, ApiError> {
    check_depth(&query)?;
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let cacheable = depends_only_on_store(&query);
    let generation = state.generation();
    let key = format!(
        "sparql\u{0}{generation}\u{0}{accept}\u{0}{}\u{0}{}",
        params.format.as_deref().unwrap_or_default(),
        params.key(&query)
    );
    let etag = cacheable.then(|| state.etag(generation, &key));
    if let Some(etag) = &etag {
        if let Some(response) = not_modified(headers, etag) {
            return Ok(response);
        }
        if let Some(answer) = state.cache.get(&key) {
            return Ok(respond(&answer, Some(etag)));
        }
    }
    let timeout = state.config.timeout;
    let evaluation = state.clone();
    let answer = state
        .gate
        .run(timeout, move |token| evaluate(&evaluation, &query, &params, &accept, token))
        .await
        .map_err(|refusal| ApiError::refused(refusal, timeout))??;
    let answer = Arc::new(answer);
    if cacheable {
        state.cache.insert(key, answer.clone());
    }
    Ok(respond(&answer, etag.as_deref()))
}

/// Parses, negotiates, binds, evaluates and writes one query (on a blocking thread).
fn evaluate(
    state: &AppState,
    query: &str,
    params: &Params,
    accept: &str,
    token: &CancellationToken,
) -> Result<Answer, ApiError> {
    let mut parsed = match spargebra::SparqlParser::new().parse_query(query) {
        Ok(parsed) => parsed,
        Err(e) if spargebra::SparqlParser::new().parse_update(query).is_ok() => {
            drop(e);
            return Err(update_as_query(state));
        }
        Err(e) => return Err(ApiError::bad_request(format!("malformed SPARQL query: {e}"))),
    };
    let accept = Some(accept);
    let format = params.format.as_deref();
    let graph_syntax = match &parsed {
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => {
            Some(choose(accept, format, formats::GRAPHS).map_err(ApiError::from_negotiation)?)
        }
        _ => None,
    };
    let results_format = match graph_syntax {
        Some(_) => QueryResultsFormat::Json,
        None => choose(accept, format, formats::RESULTS).map_err(ApiError::from_negotiation)?,
    };
    // The protocol's dataset replaces the query's FROM and FROM NAMED.
    let text = if params.default_graphs.is_empty() && params.named_graphs.is_empty() {
        std::borrow::Cow::Borrowed(query)
    } else {
        let iri = |s: &String| {
            NamedNode::new(s.as_str()).map_err(|_| ApiError::bad_request(format!("{s:?} is not an absolute IRI")))
        };
        let dataset = spargebra::algebra::QueryDataset {
            default: params.default_graphs.iter().map(iri).collect::<Result<_, _>>()?,
            named: Some(params.named_graphs.iter().map(iri).collect::<Result<_, _>>()?),
        };
        match &mut parsed {
            spargebra::Query::Select { dataset: d, .. }
            | spargebra::Query::Construct { dataset: d, .. }
            | spargebra::Query::Describe { dataset: d, .. }
            | spargebra::Query::Ask { dataset: d, .. } => *d = Some(dataset),
        }
        std::borrow::Cow::Owned(parsed.to_string())
    };
    let declared = queries::params(query);
    let mut bindings = Vec::new();
    for (name, value) in &params.binds {
        let variable = Variable::new(name.as_str())
            .map_err(|_| ApiError::bad_request(format!("bind.{name}: {name:?} is not a variable name")))?;
        let kind = declared.iter().find(|p| p.name == *name).map(|p| p.kind);
        let term = queries::bind_value(value, kind).map_err(|e| ApiError::bad_request(format!("bind.{name}: {e}")))?;
        bindings.push((variable, term));
    }
    let services = state.config.services.for_query();
    let search = state.search.service(&state.store, state.generation());
    let options =
        QueryOptions { services: Some(services.clone()), cancellation: Some(token.clone()), search: Some(search) };
    let results =
        state.store.query_with_options(&text, bindings, &options).map_err(|e| store_error(state, e, &services))?;
    let max_rows = state.config.max_rows;
    let too_many = |what: &str| {
        ApiError::bad_request(format!(
            "the answer has more than {max_rows} {what} (the server's --max-rows): add a LIMIT or narrow the query"
        ))
    };
    match results {
        QueryResults::Solutions(solutions) => {
            let mut writer = QueryResultsSerializer::from_format(results_format)
                .serialize_solutions_to_writer(Vec::new(), solutions.variables().to_vec())
                .map_err(ApiError::internal)?;
            for (row, solution) in solutions.enumerate() {
                let solution = solution.map_err(|e| evaluation_error(e, &services, token))?;
                if row == max_rows {
                    return Err(too_many("rows"));
                }
                writer.serialize(&solution).map_err(ApiError::internal)?;
            }
            let body = writer.finish().map_err(ApiError::internal)?;
            Ok(Answer { content_type: formats::results_content_type(results_format), body: body.into() })
        }
        QueryResults::Boolean(value) => {
            let body = QueryResultsSerializer::from_format(results_format)
                .serialize_boolean_to_writer(Vec::new(), value)
                .map_err(ApiError::internal)?;
            Ok(Answer { content_type: formats::results_content_type(results_format), body: body.into() })
        }
        QueryResults::Graph(triples) => {
            let mut all = Vec::new();
            for triple in triples {
                if all.len() == max_rows {
                    return Err(too_many("triples"));
                }
                all.push(triple.map_err(|e| evaluation_error(e, &services, token))?);
            }
            formats::write_graph(graph_syntax.unwrap_or(Syntax::Turtle), state.store.namespace(), all)
        }
    }
}

fn update_as_query(state: &AppState) -> ApiError {
    if state.config.writable {
        ApiError::bad_request(
            "this is a SPARQL Update: send it as update= or with Content-Type application/sparql-update",
        )
    } else {
        read_only()
    }
}

fn read_only() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "this server is read-only: SPARQL Update and Graph Store writes need `gardkg serve --writable`",
    )
}

fn store_error(state: &AppState, error: StoreError, services: &crate::federation::ServiceClient) -> ApiError {
    match error {
        StoreError::UpdateNotAccepted => update_as_query(state),
        StoreError::Syntax(e) => ApiError::bad_request(format!("malformed SPARQL: {e}")),
        // A query too deep to evaluate safely is the client's to fix: 400, as a malformed one.
        StoreError::Unbindable(_) | StoreError::TooDeep { .. } => ApiError::bad_request(error.to_string()),
        StoreError::Evaluation(e) => evaluation_error(e, services, &CancellationToken::new()),
        StoreError::LoadRefused => ApiError::new(StatusCode::FORBIDDEN, error.to_string()),
        StoreError::UpdateFailed(ref e) => {
            if services.problems().iter().any(|p| matches!(p, ServiceError::NotAllowed(_))) {
                return service_refused(services);
            }
            match e {
                oxigraph::sparql::UpdateEvaluationError::Storage(_) => ApiError::internal(error),
                _ => ApiError::bad_request(formats::error_chain(&error)),
            }
        }
        other => ApiError::internal(other),
    }
}

fn service_refused(services: &crate::federation::ServiceClient) -> ApiError {
    let message = services.problems().iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
    ApiError::new(StatusCode::FORBIDDEN, message)
}

fn evaluation_error(
    error: QueryEvaluationError,
    services: &crate::federation::ServiceClient,
    token: &CancellationToken,
) -> ApiError {
    if token.is_cancelled() || matches!(error, QueryEvaluationError::Cancelled) {
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the evaluation was cancelled (the server's --timeout)");
    }
    if services.problems().iter().any(|p| matches!(p, ServiceError::NotAllowed(_))) {
        return service_refused(services);
    }
    match error {
        QueryEvaluationError::Service(_) => {
            ApiError::new(StatusCode::BAD_GATEWAY, format!("SERVICE failed: {}", formats::error_chain(&error)))
        }
        QueryEvaluationError::Dataset(_) => ApiError::internal(error),
        _ => ApiError::bad_request(formats::error_chain(&error)),
    }
}

/// Checks the bearer token when one is configured.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.config.token else { return Ok(()) };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .trim();
    // Compared in a time that does not depend on where the strings differ.
    let same =
        given.len() == token.len() && given.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::UNAUTHORIZED, "writes need the server's bearer token (Authorization: Bearer …)")
            .with_header(header::WWW_AUTHENTICATE, "Bearer"))
    }
}

async fn run_update(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    params: &Params,
    update: String,
) -> Result<Response, ApiError> {
    if !state.config.writable {
        return Err(read_only());
    }
    authorize(state, headers)?;
    if params.using || !params.default_graphs.is_empty() || !params.named_graphs.is_empty() {
        return Err(ApiError::bad_request(
            "using-graph-uri and using-named-graph-uri are not supported: write USING in the update",
        ));
    }
    check_depth(&update)?;
    let _writing = state.writing.lock().await;
    let timeout = state.config.timeout;
    let evaluation = state.clone();
    state
        .gate
        .run(timeout, move |token| {
            let services = evaluation.config.services.for_query();
            let search = evaluation.search.service(&evaluation.store, evaluation.generation());
            let options = QueryOptions {
                services: Some(services.clone()),
                cancellation: Some(token.clone()),
                search: Some(search),
            };
            evaluation.store.update(&update, &options).map_err(|e| store_error(&evaluation, e, &services))
        })
        .await
        .map_err(|refusal| ApiError::refused(refusal, timeout))??;
    state.bump_generation();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The graph a Graph Store Protocol request is about.
#[derive(Debug, Clone)]
enum Target {
    /// `?default`: the union of all graphs, as queries see their default graph.
    Default,
    /// `?graph=IRI`.
    Named(NamedNode),
}

impl Target {
    fn from_params(params: &Params) -> Result<Self, ApiError> {
        match (&params.graph, params.default) {
            (Some(_), true) => Err(ApiError::bad_request("give ?graph=IRI or ?default, not both")),
            (Some(iri), false) => NamedNode::new(iri.as_str())
                .map(Self::Named)
                .map_err(|_| ApiError::bad_request(format!("graph={iri:?} is not an absolute IRI"))),
            (None, true) => Ok(Self::Default),
            (None, false) => Err(ApiError::bad_request("give ?graph=IRI or ?default")),
        }
    }
}

/// `/store`: the Graph Store Protocol.
pub async fn graph_store(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    graph_store_request(state, method, uri, headers, body).await.unwrap_or_else(IntoResponse::into_response)
}

async fn graph_store_request(
    state: Arc<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let mut params = Params::default();
    params.read(uri.query().unwrap_or_default().as_bytes());
    if let Some(name) = params.repeated {
        return Err(ApiError::bad_request(format!("the parameter {name} is given more than once")));
    }
    let target = Target::from_params(&params)?;
    if method == Method::GET || method == Method::HEAD {
        return read_graph(&state, &headers, target, params.format.as_deref()).await;
    }
    if !state.config.writable {
        return Err(read_only());
    }
    authorize(&state, &headers)?;
    let Target::Named(graph) = target else {
        return Err(ApiError::bad_request(
            "the default graph is the union of all graphs and cannot be written: name a graph (?graph=IRI)",
        ));
    };
    let triples = if method == Method::DELETE {
        Vec::new()
    } else {
        let body = read_body(body, &headers, &state).await?;
        parse_graph(&headers, &body)?
    };
    let _writing = state.writing.lock().await;
    let timeout = state.config.timeout;
    let writer = state.clone();
    let method_name = method.clone();
    let status = state
        .gate
        .run(timeout, move |_| write_graph(&writer, &method_name, &graph, triples))
        .await
        .map_err(|refusal| ApiError::refused(refusal, timeout))??;
    if status != StatusCode::NOT_FOUND {
        state.bump_generation();
    }
    if status == StatusCode::NOT_FOUND {
        return Err(ApiError::not_found("no such graph"));
    }
    Ok(status.into_response())
}

fn parse_graph(headers: &HeaderMap, body: &[u8]) -> Result<Vec<Triple>, ApiError> {
    let media = media_type(headers).unwrap_or_default();
    let format = match media.as_str() {
        "application/ld+json" => formats::jsonld_format(),
        other => RdfFormat::from_media_type(other).filter(|f| !f.supports_datasets()).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("a graph is sent as Turtle, N-Triples, RDF/XML or JSON-LD (Content-Type), not {media:?}"),
            )
        })?,
    };
    RdfParser::from_format(format)
        .for_slice(body)
        .map(|quad| quad.map(Triple::from).map_err(|e| ApiError::bad_request(format!("malformed graph: {e}"))))
        .collect()
}

fn write_graph(
    state: &AppState,
    method: &Method,
    graph: &NamedNode,
    triples: Vec<Triple>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.oxigraph();
    let existed = store.contains_named_graph(graph).map_err(ApiError::internal)?;
    let name = GraphNameRef::NamedNode(graph.as_ref());
    let mut transaction = store.start_transaction().map_err(ApiError::internal)?;
    match *method {
        Method::DELETE if !existed => return Ok(StatusCode::NOT_FOUND),
        Method::DELETE => {
            transaction.remove_named_graph(graph.as_ref()).map_err(ApiError::internal)?;
        }
        Method::PUT => {
            transaction.clear_graph(name).map_err(ApiError::internal)?;
            transaction.insert_named_graph(graph.as_ref());
            transaction.extend(triples.into_iter().map(|t| t.in_graph(graph.clone())).collect::<Vec<Quad>>().iter());
        }
        _ => {
            transaction.insert_named_graph(graph.as_ref());
            transaction.extend(triples.into_iter().map(|t| t.in_graph(graph.clone())).collect::<Vec<Quad>>().iter());
        }
    }
    transaction.commit().map_err(ApiError::internal)?;
    Ok(if existed || *method == Method::DELETE { StatusCode::NO_CONTENT } else { StatusCode::CREATED })
}

async fn read_graph(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    target: Target,
    format: Option<&str>,
) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let syntax = choose(accept, format, formats::GRAPHS).map_err(ApiError::from_negotiation)?;
    let name = match &target {
        Target::Default => String::new(),
        Target::Named(g) => g.as_str().to_owned(),
    };
    state
        .cached(headers, &format!("graph\u{0}{syntax:?}\u{0}{name}"), move |reader, token| {
            let triples = graph_triples(reader, &target, token)?;
            formats::write_graph(syntax, reader.store.namespace(), triples)
        })
        .await
}

/// The triples of a graph (each once for the union), at most `--max-rows` of them.
fn graph_triples(state: &AppState, target: &Target, token: &CancellationToken) -> Result<Vec<Triple>, ApiError> {
    let store = state.store.oxigraph();
    let max = state.config.max_rows;
    let too_many = || {
        ApiError::bad_request(format!(
            "the graph has more than {max} triples (the server's --max-rows): use `gardkg export` for whole graphs"
        ))
    };
    let graph = match target {
        Target::Named(graph) => {
            if !store.contains_named_graph(graph).map_err(ApiError::internal)? {
                return Err(ApiError::not_found(format!("no graph <{}> in the store", graph.as_str())));
            }
            Some(GraphNameRef::NamedNode(graph.as_ref()))
        }
        Target::Default => None,
    };
    let mut seen = std::collections::HashSet::new();
    for quad in store.quads_for_pattern(None, None, None, graph) {
        if token.is_cancelled() {
            return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "cancelled (the server's --timeout)"));
        }
        let quad = quad.map_err(ApiError::internal)?;
        seen.insert(Triple::new(quad.subject, quad.predicate, quad.object));
        if seen.len() > max {
            return Err(too_many());
        }
    }
    Ok(seen.into_iter().collect())
}

/// The Service Description (SPARQL 1.1 Service Description) of the endpoint; a browser goes to the query page.
fn service_description(state: &AppState, headers: &HeaderMap, format: Option<&str>) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let syntax = match choose(accept, format, formats::PAGES).map_err(ApiError::from_negotiation)? {
        PageFormat::Html => return Ok(Redirect::to("/").into_response()),
        PageFormat::Rdf(syntax) => syntax,
    };
    let endpoint = endpoint_iri(state, headers);
    let service = endpoint.clone();
    let dataset = state.store.namespace().dataset();
    let mut triples = vec![
        Triple::new(service.clone(), rdf::TYPE, sd::SERVICE),
        Triple::new(service.clone(), sd::ENDPOINT, endpoint.clone()),
        Triple::new(service.clone(), sd::SUPPORTED_LANGUAGE, sd::SPARQL11_QUERY),
        Triple::new(service.clone(), sd::FEATURE, sd::UNION_DEFAULT_GRAPH),
        Triple::new(service.clone(), sd::DEFAULT_DATASET, dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd::DATASET),
        Triple::new(dataset.clone(), void::SPARQL_ENDPOINT, endpoint),
    ];
    if state.config.writable {
        triples.push(Triple::new(service.clone(), sd::SUPPORTED_LANGUAGE, sd::SPARQL11_UPDATE));
    }
    if state.config.services.policy().allowed().next().is_some() {
        triples.push(Triple::new(service.clone(), sd::FEATURE, sd::BASIC_FEDERATED_QUERY));
    }
    for format in [
        fmt::SPARQL_RESULTS_JSON,
        fmt::SPARQL_RESULTS_XML,
        fmt::SPARQL_RESULTS_CSV,
        fmt::SPARQL_RESULTS_TSV,
        fmt::TURTLE,
        fmt::N_TRIPLES,
        fmt::JSON_LD,
        fmt::RDF_XML,
    ] {
        triples.push(Triple::new(service.clone(), sd::RESULT_FORMAT, format));
    }
    let limits = [
        ("timeout_seconds", state.config.timeout.as_secs()),
        ("max_rows", state.config.max_rows as u64),
        ("max_body_bytes", state.config.max_body as u64),
    ];
    for (name, value) in limits {
        triples.push(Triple::new(
            service.clone(),
            state.store.namespace().iri(&format!("server_{name}")),
            Term::from(Literal::from(i64::try_from(value).unwrap_or(i64::MAX))),
        ));
    }
    let answer = formats::write_graph(syntax, state.store.namespace(), triples)?;
    Ok(respond(&Arc::new(answer), None))
}

/// `http://HOST/sparql`, from the request's `Host` (the address it listens on when that is missing or odd).
pub fn endpoint_iri(state: &AppState, headers: &HeaderMap) -> NamedNode {
    server_iri(state, headers, "sparql")
}

/// An IRI on this server, from the request's `Host`.
pub fn server_iri(state: &AppState, headers: &HeaderMap, path: &str) -> NamedNode {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    NamedNode::new(format!("http://{host}/{path}"))
        .ok()
        .filter(|_| !host.is_empty() && !host.contains(['/', '@', '?', '#']))
        .unwrap_or_else(|| NamedNode::new_unchecked(format!("http://{}/{path}", state.config.bind)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_structure_not_strings_or_comments() {
        assert_eq!(nesting_depth("SELECT * WHERE { ?s ?p ?o }"), 1);
        assert_eq!(nesting_depth("SELECT * WHERE { { { ?s ?p ?o } } FILTER((?x)) }"), 3);
        assert_eq!(nesting_depth("SELECT * WHERE { ?s ?p \"{{{{((((\" } # {{{{{{{{"), 1);
        assert_eq!(nesting_depth("SELECT * WHERE { ?s ?p '''{{{\n''' }"), 1);
        assert_eq!(nesting_depth("SELECT * WHERE { ?s ?p \"a\\\"{{{\" }"), 1);
        // A `#` inside an IRI is no comment: what follows still counts.
        assert_eq!(nesting_depth("SELECT * WHERE { <http://x/#a> ?p ?o . { { } } }"), 3);
        // Parentheses inside an IRI are counted (too many can only refuse a query).
        assert_eq!(nesting_depth("ASK { ?a ?b ?c FILTER(?a<((((?b>3) }"), 6);
        let deep = format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(10_000), "}".repeat(10_000));
        assert_eq!(nesting_depth(&deep), 10_000);
        assert!(check_depth(&deep).is_err());
        assert!(check_depth(&format!("ASK {{ FILTER({}1{}) }}", "(".repeat(90), ")".repeat(90))).is_ok());
    }

    #[test]
    fn the_deepest_accepted_query_parses_on_a_small_stack() {
        // Tests run on 2 MiB threads; the server's are 16 MiB.
        let query = format!("ASK {{ FILTER({}1{} = 1) }}", "(".repeat(MAX_DEPTH - 2), ")".repeat(MAX_DEPTH - 2));
        assert_eq!(nesting_depth(&query), MAX_DEPTH);
        spargebra::SparqlParser::new().parse_query(&query).unwrap();
        let braces = format!("SELECT * WHERE {}?s ?p ?o{}", "{".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        spargebra::SparqlParser::new().parse_query(&braces).unwrap();
    }

    #[test]
    fn volatile_queries_are_not_cached() {
        assert!(depends_only_on_store("SELECT * WHERE { ?s ?p ?o }"));
        assert!(!depends_only_on_store("SELECT (NOW() AS ?t) {}"));
        assert!(!depends_only_on_store("SELECT (rand () AS ?t) {}"));
        assert!(!depends_only_on_store("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }"));
    }

    #[test]
    fn params_read_forms_and_bindings() {
        let mut params = Params::default();
        params.read(b"query=SELECT+*+%7B%7D&bind.disease=GARD%3A12547&default-graph-uri=http%3A%2F%2Fa&format=csv");
        assert_eq!(params.query.as_deref(), Some("SELECT * {}"));
        assert_eq!(params.binds, [("disease".to_owned(), "GARD:12547".to_owned())]);
        assert_eq!(params.default_graphs, ["http://a"]);
        assert_eq!(params.format.as_deref(), Some("csv"));
        params.read(b"query=ASK%7B%7D");
        assert_eq!(params.repeated, Some("query"));
    }
}
