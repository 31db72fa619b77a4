//! Linked data: every IRI the project mints, and every disease, dereferences at the server.
//!
//! The mapping from IRI to URL (the README documents it):
//!
//! | IRI | URL |
//! |---|---|
//! | `{base}X` (anything gardkg mints: `page/gard/0012547`, `assoc/…`, `ref/…`, `prevalence/…`, `condition/…`) | `/X` |
//! | `GARD:0012547` (`https://rarediseases.info.nih.gov/diseases/0012547`) | `/gard/0012547` |
//! | any other IRI the store describes (HPO, MAxO, Orphanet, PMID…) | `/resource?iri=IRI` (percent-encoded) |
//!
//! A fragment (`page/gard/0012547#summary`) is never sent by a browser: it lands on the page, at the section's
//! anchor. With `--base` set to the server's own address at ingest, minted IRIs are these URLs.
//! `/resource?iri=` answers for every IRI, and redirects (303) to the first two forms.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::CancellationToken;
use oxigraph::store::Store;

use super::AppState;
use super::disease::{self, DiseasePage, Node};
use super::formats::{self, ApiError, PageFormat, not_modified, respond};
use super::html;
use super::limits::Answer;
use super::negotiate::choose;
use crate::model::vocab::{self, GARD_NS, Namespace, dcterms, rdfs};

/// The URL on this server (a path) where an IRI is described.
pub fn href(namespace: &Namespace, iri: &str) -> String {
    if let Some(local) = iri.strip_prefix(namespace.base()) {
        // Minted: the path is the local part (the fragment becomes the anchor).
        if !local.is_empty() && local.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'"' | b'<' | b'>')) {
            return format!("/{local}");
        }
    }
    if let Some(id) = iri.strip_prefix(GARD_NS) {
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            return format!("/gard/{id}");
        }
    }
    format!("/resource?iri={}", form_urlencoded::byte_serialize(iri.as_bytes()).collect::<String>())
}

/// `/resource?iri=IRI`.
#[derive(Debug, serde::Deserialize)]
pub struct ResourceQuery {
    iri: Option<String>,
    format: Option<String>,
}

/// `GET /resource?iri=IRI`: any IRI; minted ones and diseases are redirected to their own URL.
pub async fn by_iri(
    State(state): State<Arc<AppState>>,
    Query(query): Query<ResourceQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(iri) = query.iri.as_deref().map(str::trim).filter(|i| !i.is_empty()) else {
        return ApiError::bad_request("give the IRI: /resource?iri=…").into_response();
    };
    let Ok(iri) = NamedNode::new(iri) else {
        return ApiError::bad_request(format!("{iri:?} is not an absolute IRI")).into_response();
    };
    let target = href(state.store.namespace(), iri.as_str());
    if !target.starts_with("/resource?") {
        let target = match &query.format {
            Some(f) => format!("{target}?format={}", form_urlencoded::byte_serialize(f.as_bytes()).collect::<String>()),
            None => target,
        };
        return Redirect::to(&target).into_response();
    }
    page(&state, &headers, iri, query.format.as_deref()).await.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /gard/0012547`: a GARD disease (`/gard/12547` redirects to the padded id).
pub async fn gard(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(query): Query<ResourceQuery>,
    headers: HeaderMap,
) -> Response {
    let Ok(number) = id.parse::<u32>() else {
        return ApiError::not_found(format!("{id:?} is not a GARD id (digits, as in /gard/0012547)")).into_response();
    };
    let padded = format!("{number:07}");
    if padded != id {
        return Redirect::permanent(&format!("/gard/{padded}")).into_response();
    }
    let iri = NamedNode::new_unchecked(format!("{GARD_NS}{padded}"));
    page(&state, &headers, iri, query.format.as_deref()).await.unwrap_or_else(IntoResponse::into_response)
}

/// Every other path: a minted IRI (`/page/gard/0012547` is `{base}page/gard/0012547`).
pub async fn minted(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    Query(query): Query<ResourceQuery>,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return ApiError::method_not_allowed("GET, HEAD").into_response();
    }
    let local = uri.path().trim_start_matches('/');
    let decoded: String = percent_decode(local);
    let iri = format!("{}{decoded}", state.store.namespace().base());
    match NamedNode::new(iri) {
        Ok(iri) if !decoded.is_empty() && !decoded.contains("..") => {
            page(&state, &headers, iri, query.format.as_deref()).await.unwrap_or_else(IntoResponse::into_response)
        }
        _ => ApiError::not_found(format!("nothing at {}", uri.path())).into_response(),
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `GET /.well-known/void`: the dataset description (the metadata graph), with the SPARQL endpoint.
pub async fn void(
    State(state): State<Arc<AppState>>,
    Query(query): Query<ResourceQuery>,
    headers: HeaderMap,
) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let syntax = match choose(accept, query.format.as_deref(), formats::GRAPHS) {
        Ok(syntax) => syntax,
        Err(e) => return ApiError::from_negotiation(e).into_response(),
    };
    let endpoint = super::protocol::endpoint_iri(&state, &headers);
    let timeout = state.config.timeout;
    let reader = state.clone();
    let answer = state
        .gate
        .run(timeout, move |_| {
            let namespace = reader.store.namespace();
            let meta = namespace.meta_graph();
            let mut triples = Vec::new();
            for quad in reader.store.oxigraph().quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(meta.as_ref())),
            ) {
                let quad = quad.map_err(ApiError::internal)?;
                triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
            }
            triples.push(Triple::new(namespace.dataset(), vocab::void::SPARQL_ENDPOINT, endpoint));
            formats::write_graph(syntax, namespace, triples)
        })
        .await;
    match answer {
        Ok(Ok(answer)) => respond(&Arc::new(answer), None),
        Ok(Err(e)) => e.into_response(),
        Err(refusal) => ApiError::refused(refusal, timeout).into_response(),
    }
}

/// The description of one IRI in the negotiated format, cached under the store's generation.
async fn page(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    iri: NamedNode,
    format: Option<&str>,
) -> Result<Response, ApiError> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let chosen = choose(accept, format, formats::PAGES).map_err(ApiError::from_negotiation)?;
    let generation = state.generation();
    let key = format!("page\u{0}{generation}\u{0}{chosen:?}\u{0}{}", iri.as_str());
    let etag = state.etag(generation, &key);
    if let Some(response) = not_modified(headers, &etag) {
        return Ok(response);
    }
    if let Some(answer) = state.cache.get(&key) {
        return Ok(respond(&answer, Some(&etag)));
    }
    let timeout = state.config.timeout;
    let reader = state.clone();
    let answer = state
        .gate
        .run(timeout, move |token| render(&reader, &iri, chosen, token))
        .await
        .map_err(|refusal| ApiError::refused(refusal, timeout))??;
    let answer = Arc::new(answer);
    state.cache.insert(key, answer.clone());
    Ok(respond(&answer, Some(&etag)))
}

fn render(
    state: &AppState,
    iri: &NamedNode,
    format: PageFormat,
    token: &CancellationToken,
) -> Result<Answer, ApiError> {
    let store = state.store.oxigraph();
    let namespace = state.store.namespace();
    match format {
        PageFormat::Html => {
            if let Some(page) = DiseasePage::read(store, namespace, iri).map_err(ApiError::internal)? {
                return Ok(html::disease(namespace, &page));
            }
            let view = ResourceView::read(store, namespace, iri, token)?;
            if view.is_empty() {
                return Err(not_described(iri));
            }
            Ok(html::resource(namespace, &view))
        }
        PageFormat::Rdf(syntax) => {
            let triples = description(store, namespace, iri)?;
            if triples.is_empty() {
                return Err(not_described(iri));
            }
            formats::write_graph(syntax, namespace, triples)
        }
    }
}

fn not_described(iri: &NamedNode) -> ApiError {
    ApiError::not_found(format!("the store has no statement about <{}>", iri.as_str()))
}

/// The RDF description of an IRI: for a disease described by a page, the page's graph (everything the page says)
/// with the labels of the terms it names; otherwise the IRI's own triples and those of its sections (`#…`) and
/// selectors.
pub fn description(store: &Store, namespace: &Namespace, iri: &NamedNode) -> Result<Vec<Triple>, ApiError> {
    if let Some(graph) = page_graph_of(store, namespace, iri)? {
        let mut triples = Vec::new();
        let mut named = std::collections::BTreeSet::new();
        for quad in store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref()))) {
            let quad = quad.map_err(ApiError::internal)?;
            if let Term::NamedNode(object) = &quad.object {
                named.insert(object.clone());
            }
            triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
        for term in named {
            if let Some(label) = disease::label(store, term.as_ref()).map_err(ApiError::internal)? {
                triples.push(Triple::new(term, rdfs::LABEL, oxigraph::model::Literal::new_simple_literal(label)));
            }
        }
        return Ok(triples);
    }
    let node = Node::read(store, iri.as_ref()).map_err(ApiError::internal)?;
    let mut triples: Vec<Triple> =
        node.properties.iter().map(|(p, o)| Triple::new(iri.clone(), p.clone(), o.clone())).collect();
    let parts = node.iris(dcterms::HAS_PART).into_iter().chain(disease::selectors(&node));
    for part in parts.filter(|p| p.as_str().starts_with(namespace.base())) {
        let part_node = Node::read(store, part.as_ref()).map_err(ApiError::internal)?;
        triples.extend(part_node.properties.into_iter().map(|(p, o)| Triple::new(part.clone(), p, o)));
    }
    if triples.is_empty() {
        // Described by nothing but what points to it (the tool that generated the pages): those statements.
        let mut incoming = store.quads_for_pattern(None, None, Some(iri.as_ref().into()), None);
        for quad in incoming.by_ref().take(ResourceView::MAX_INCOMING) {
            let quad = quad.map_err(ApiError::internal)?;
            triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
    }
    Ok(triples)
}

/// The page graph that describes a disease, if any.
fn page_graph_of(store: &Store, namespace: &Namespace, iri: &NamedNode) -> Result<Option<NamedNode>, ApiError> {
    for quad in store.quads_for_pattern(None, Some(dcterms::SUBJECT), Some(iri.as_ref().into()), None) {
        if let GraphName::NamedNode(graph) = quad.map_err(ApiError::internal)?.graph_name {
            if namespace.is_page_graph(graph.as_str()) {
                return Ok(Some(graph));
            }
        }
    }
    Ok(None)
}

/// A statement of a resource page: predicate, object, and the object's label when it is an IRI.
pub type Property = (NamedNode, Term, Option<String>);

/// What a generic resource page shows: the IRI's statements, its parts (sections, selectors), what points to it,
/// and the graphs it appears in.
#[derive(Debug)]
pub struct ResourceView {
    /// The IRI.
    pub iri: NamedNode,
    /// Its label.
    pub label: Option<String>,
    /// Its statements, with the labels of IRI objects.
    pub properties: Vec<Property>,
    /// Its sections and selectors, each with its own statements.
    pub parts: Vec<(NamedNode, Vec<Property>)>,
    /// Statements pointing to it (subject, predicate, subject's label), at most [`ResourceView::MAX_INCOMING`].
    pub incoming: Vec<(NamedOrBlankNode, NamedNode, Option<String>)>,
    /// Whether there were more incoming statements than shown.
    pub more_incoming: bool,
    /// The graphs holding its statements.
    pub graphs: Vec<NamedNode>,
    /// Whether it is itself a named graph of the store.
    pub is_graph: bool,
}

impl ResourceView {
    /// The most statements pointing to a resource that a page lists.
    pub const MAX_INCOMING: usize = 200;

    /// Reads what the page shows.
    pub fn read(
        store: &Store,
        namespace: &Namespace,
        iri: &NamedNode,
        token: &CancellationToken,
    ) -> Result<Self, ApiError> {
        let labelled = |node: Node| -> Result<Vec<(NamedNode, Term, Option<String>)>, ApiError> {
            let mut out = Vec::new();
            for (p, o) in node.properties {
                let label = match &o {
                    Term::NamedNode(n) => disease::label(store, n.as_ref()).map_err(ApiError::internal)?,
                    _ => None,
                };
                out.push((p, o, label));
            }
            out.sort_by(|a, b| (a.0.as_str(), a.1.to_string()).cmp(&(b.0.as_str(), b.1.to_string())));
            Ok(out)
        };
        let node = Node::read(store, iri.as_ref()).map_err(ApiError::internal)?;
        let label = node.literal(rdfs::LABEL).or_else(|| node.literal(dcterms::TITLE));
        let part_iris: Vec<NamedNode> = node
            .iris(dcterms::HAS_PART)
            .into_iter()
            .chain(disease::selectors(&node))
            .filter(|p| p.as_str().starts_with(namespace.base()))
            .collect();
        let mut parts = Vec::new();
        for part in part_iris {
            let part_node = Node::read(store, part.as_ref()).map_err(ApiError::internal)?;
            parts.push((part, labelled(part_node)?));
        }
        let mut graphs = std::collections::BTreeSet::new();
        for quad in store.quads_for_pattern(Some(iri.as_ref().into()), None, None, None) {
            if let GraphName::NamedNode(g) = quad.map_err(ApiError::internal)?.graph_name {
                graphs.insert(g);
            }
        }
        let mut incoming = Vec::new();
        let mut more_incoming = false;
        let mut seen = std::collections::HashSet::new();
        for quad in store.quads_for_pattern(None, None, Some(iri.as_ref().into()), None) {
            if token.is_cancelled() {
                return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "cancelled (the server's --timeout)"));
            }
            let quad = quad.map_err(ApiError::internal)?;
            if !seen.insert((quad.subject.clone(), quad.predicate.clone())) {
                continue;
            }
            if incoming.len() == Self::MAX_INCOMING {
                more_incoming = true;
                break;
            }
            let label = match &quad.subject {
                NamedOrBlankNode::NamedNode(n) => disease::label(store, n.as_ref()).map_err(ApiError::internal)?,
                NamedOrBlankNode::BlankNode(_) => None,
            };
            incoming.push((quad.subject, quad.predicate, label));
        }
        let is_graph = store.contains_named_graph(iri.as_ref()).map_err(ApiError::internal)?;
        Ok(Self {
            iri: iri.clone(),
            label,
            properties: labelled(node)?,
            parts,
            incoming,
            more_incoming,
            graphs: graphs.into_iter().collect(),
            is_graph,
        })
    }

    /// Whether the store says nothing about the IRI.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty() && self.incoming.is_empty() && !self.is_graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_map_to_urls() {
        let ns = Namespace::default();
        assert_eq!(href(&ns, "https://w3id.org/gardkg/page/gard/0012547#summary"), "/page/gard/0012547#summary");
        assert_eq!(href(&ns, "https://w3id.org/gardkg/assoc/0a1b"), "/assoc/0a1b");
        assert_eq!(href(&ns, "https://rarediseases.info.nih.gov/diseases/0012547"), "/gard/0012547");
        assert_eq!(
            href(&ns, "http://purl.obolibrary.org/obo/HP_0002719"),
            "/resource?iri=http%3A%2F%2Fpurl.obolibrary.org%2Fobo%2FHP_0002719"
        );
        // Nothing from an IRI reaches the path unescaped except the minted local part's plain characters.
        assert!(href(&ns, "https://w3id.org/gardkg/x\"onload=\"y").starts_with("/resource?iri="));
        assert!(href(&ns, "javascript:alert(1)").starts_with("/resource?iri=javascript%3A"));
        assert_eq!(percent_decode("page/gard/0012547%23summary"), "page/gard/0012547#summary");
        assert_eq!(percent_decode("a%2"), "a%2");
    }
}
