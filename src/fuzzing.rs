//! The bodies of the cargo-fuzz targets in `fuzz/fuzz_targets/`, one function per target, so that the committed
//! corpora and every crash found are replayed by `cargo test` on stable (`tests/fuzz_replay.rs`) through exactly
//! the code the fuzzer runs.
//!
//! Each function takes arbitrary bytes, runs one part of gardkg on them, and checks what the project promises about
//! the result. It panics only on a real bug: a reader, the pipeline or the binding path that panics, or a broken
//! promise (an offset outside its section, a page that reads differently twice, an emitted IRI that does not parse,
//! a bound value that behaves as query text). Bad input itself is fine: it must be refused with an error that names
//! the input.
//!
//! - [`read_text`], [`read_medquad`], [`read_html`]: one reader, forced, on the bytes.
//! - [`build_quads`]: the bytes read by format detection, then the whole [`Pipeline`] (identity, recognition, quads).
//! - [`bind`]: the bytes as a value bound to a canned query's parameter (`--bind NAME=VALUE`).

use std::str::FromStr as _;
use std::sync::{Arc, OnceLock};

use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term, Variable};
use oxigraph::sparql::QueryResults;

use crate::model::vocab::Namespace;
use crate::page::{Page, SourceFormat};
use crate::pipeline::Pipeline;
use crate::queries::{self, ParamKind};
use crate::search::{SearchIndex, SearchService};
use crate::source::{self, ReadOptions, SourceError};
use crate::store::{GraphStore, QueryOptions, StoreError};

/// The name the fuzzed input is read under: no GARD id in it (the file-name rule finds none), so identity comes
/// from the page or the Mondo mappings as it would for a page without one.
const LOCATION: &str = "fuzz-input";

/// The example page, the content of the store the binding target queries.
const EXAMPLE: &str = include_str!("../examples/99999-kettle-fever.txt");

/// Reads the bytes as a GARD text page (the reader forced, as `--format gard-text`).
pub fn read_text(data: &[u8]) {
    read_as(data, SourceFormat::GardText);
}

/// Reads the bytes as a MedQuAD XML document (`--format medquad`).
pub fn read_medquad(data: &[u8]) {
    read_as(data, SourceFormat::Medquad);
}

/// Reads the bytes as an HTML page (`--format html`).
pub fn read_html(data: &[u8]) {
    read_as(data, SourceFormat::Html);
}

/// Loads what [`build_quads`] and [`bind`] share (the pinned ontologies, the example store), so that a fuzzer can do
/// it before it times its first input (`fuzz_target!(init: ...)`): seconds, or a minute the first time under a
/// sanitizer, when the start-up cache is written.
pub fn init() {
    bind_store();
}

fn read_as(data: &[u8], format: SourceFormat) {
    let options = ReadOptions { format: Some(format), ..ReadOptions::default() };
    match source::read_bytes(data, LOCATION, &options) {
        Ok(page) => {
            assert_eq!(page.source.format, format, "the forced reader was not the one used");
            check_page(&page);
        }
        Err(error) => check_error(&error),
    }
}

/// Reads the bytes twice (the readers are deterministic) and checks the page (or the error), returning the page.
fn read_twice(data: &[u8], options: &ReadOptions) -> Option<Page> {
    let first = source::read_bytes(data, LOCATION, options);
    let second = source::read_bytes(data, LOCATION, options);
    match (first, second) {
        (Ok(page), Ok(again)) => {
            assert!(page == again, "the same bytes read as two different pages");
            check_page(&page);
            Some(page)
        }
        (Err(error), Err(again)) => {
            check_error(&error);
            assert_eq!(error.to_string(), again.to_string(), "the same bytes failed in two ways");
            None
        }
        (Ok(_), Err(e)) | (Err(e), Ok(_)) => panic!("the same bytes read once and failed once: {e}"),
    }
}

/// An error names the input it is about (every [`SourceError`] says where).
fn check_error(error: &SourceError) {
    let message = error.to_string();
    assert!(message.starts_with(LOCATION), "an error that does not name the input: {message:?}");
}

/// What every page a reader accepts must hold (`page.rs`): a title, offsets inside their section that give back the
/// text they carry, and a record that survives its JSON form (`gardkg parse --json`).
fn check_page(page: &Page) {
    assert!(!page.title.trim().is_empty(), "a page accepted with a blank title");
    for section in &page.sections {
        let chars: Vec<char> = section.text.chars().collect();
        let span = |start: usize, end: usize, what: &str| {
            assert!(
                start <= end && end <= chars.len(),
                "{what} offsets {start}..{end} outside a {}-char section",
                chars.len()
            );
            chars[start..end].iter().collect::<String>()
        };
        for paragraph in &section.paragraphs {
            span(paragraph.start, paragraph.end, "paragraph");
            for sentence in &paragraph.sentences {
                assert_eq!(span(sentence.start, sentence.end, "sentence"), sentence.text, "a sentence's offsets");
            }
        }
        for row in &section.table {
            span(row.start, row.end, "table row");
        }
    }
    let json = serde_json::to_string(page).expect("a page serializes to JSON");
    let back: Page = serde_json::from_str(&json).expect("a page's JSON reads back");
    assert!(back == *page, "a page changed through its JSON form");
}

/// The pipeline, loaded once per process (the start-up cache makes it fast after the first run).
fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(Namespace::default()).expect("the pinned ontologies load"))
}

/// Reads the bytes by format detection and runs the whole pipeline twice: the same page must give the same quads,
/// every page quad must be in the page's graph, and every IRI and typed literal emitted must be valid.
pub fn build_quads(data: &[u8]) {
    let Some(page) = read_twice(data, &ReadOptions::default()) else { return };
    let first = pipeline().process(page.clone());
    let second = pipeline().process(page);
    assert!(first.graph.quads == second.graph.quads, "the same page gave different quads");
    assert!(first.graph.descriptions == second.graph.descriptions, "the same page gave different term descriptions");
    let graph = GraphName::NamedNode(first.graph.graph.clone());
    for quad in &first.graph.quads {
        assert_eq!(quad.graph_name, graph, "a page quad outside the page graph: {quad}");
    }
    for quad in first.graph.quads.iter().chain(&first.graph.descriptions) {
        if let Err(problem) = check_quad(quad) {
            panic!("{problem}");
        }
    }
}

/// Checks that every IRI of a quad parses as an absolute IRI (RFC 3987) and that its object, if a typed literal, is
/// valid for its datatype (by Oxigraph's own XSD types) or, if language-tagged, has a well-formed tag.
pub fn check_quad(quad: &Quad) -> Result<(), String> {
    let mut iris = vec![quad.predicate.as_str()];
    if let NamedOrBlankNode::NamedNode(n) = &quad.subject {
        iris.push(n.as_str());
    }
    if let GraphName::NamedNode(n) = &quad.graph_name {
        iris.push(n.as_str());
    }
    match &quad.object {
        Term::NamedNode(n) => iris.push(n.as_str()),
        Term::Literal(l) => check_literal(l).map_err(|e| format!("{e} in {quad}"))?,
        Term::BlankNode(_) => {}
    }
    for iri in iris {
        oxiri::Iri::parse(iri).map_err(|e| format!("not an IRI ({e}): <{iri}> in {quad}"))?;
    }
    Ok(())
}

/// Whether a literal's lexical form is valid for its datatype (the XSD types gardkg writes; any other is an error).
pub fn check_literal(literal: &Literal) -> Result<(), String> {
    use oxsdatatypes::{Boolean, Date, DateTime, Decimal, Double, GYear, Integer};
    let value = literal.value();
    let valid = match literal.datatype().as_str() {
        "http://www.w3.org/2001/XMLSchema#string" => true,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" => {
            let tag = literal.language().unwrap_or_default();
            !tag.is_empty()
                && tag
                    .split('-')
                    .all(|part| (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric()))
        }
        "http://www.w3.org/2001/XMLSchema#integer" => Integer::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#decimal" => Decimal::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#double" => Double::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#boolean" => Boolean::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#date" => Date::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#dateTime" => DateTime::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#gYear" => GYear::from_str(value).is_ok(),
        "http://www.w3.org/2001/XMLSchema#anyURI" => oxiri::Iri::parse(value).is_ok(),
        other => return Err(format!("a literal of a datatype gardkg does not write: {other} ({value:?})")),
    };
    if valid { Ok(()) } else { Err(format!("a literal invalid for its datatype: {literal}")) }
}

/// The store the binding target queries: the example page, with a search index in memory.
struct BindStore {
    store: GraphStore,
    options: QueryOptions,
}

fn bind_store() -> &'static BindStore {
    static STORE: OnceLock<BindStore> = OnceLock::new();
    STORE.get_or_init(|| {
        let store = GraphStore::memory(Namespace::default()).expect("an in-memory store");
        let page = source::read_bytes(EXAMPLE.as_bytes(), "99999-kettle-fever.txt", &ReadOptions::default())
            .expect("the example page reads");
        store.replace_page(&pipeline().process(page).graph).expect("the example page is stored");
        let index = SearchIndex::in_memory(&store).expect("the example page is indexed");
        let options = QueryOptions { search: Some(SearchService::new(Arc::new(index))), ..QueryOptions::default() };
        BindStore { store, options }
    })
}

/// Binds the bytes to a parameter as `gardkg query NAME --bind PARAM=VALUE` does: the first byte picks a canned
/// query's declared parameter (or an undeclared one, read without a kind), the rest is the value (UTF-8, damaged
/// bytes replaced). The bound term must be the value itself (a literal with exactly that text, or a valid IRI); the
/// canned query must run with it; and bound to `?name` in `?s rdfs:label ?name` it must find exactly the labels
/// equal to it, which a value pasted into the query text would not.
pub fn bind(data: &[u8]) {
    let Some((&pick, value)) = data.split_first() else { return };
    let value = String::from_utf8_lossy(value);
    let params: Vec<(&queries::CannedQuery, queries::Param)> =
        queries::ALL.iter().flat_map(|q| q.params().into_iter().map(move |p| (q, p))).collect();
    let choice = usize::from(pick) % (params.len() + 1);
    let (query, param) = match params.get(choice) {
        Some((query, param)) => (Some(*query), Some(param)),
        None => (None, None),
    };
    let kind = param.map(|p| p.kind);
    let term = match queries::bind_value(&value, kind) {
        Ok(term) => term,
        Err(message) => {
            assert!(!message.is_empty(), "a binding refused without a reason");
            return;
        }
    };
    let trimmed = value.trim();
    match &term {
        Term::Literal(literal) => {
            assert_eq!(literal.value(), trimmed, "a bound literal is not the value given");
            assert_eq!(literal.datatype(), oxigraph::model::vocab::xsd::STRING, "a bound value became a typed literal");
        }
        Term::NamedNode(iri) => {
            assert!(oxiri::Iri::parse(iri.as_str()).is_ok(), "a bound IRI that does not parse: <{}>", iri.as_str());
            if let Some(inner) = trimmed.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
                assert_eq!(iri.as_str(), inner, "an <IRI> bound as another IRI");
            }
            assert!(kind != Some(ParamKind::Literal) || trimmed.starts_with('<'), "a text parameter bound as an IRI");
        }
        Term::BlankNode(_) => panic!("a value bound as a blank node"),
    }

    let bound = bind_store();
    if let (Some(query), Some(param)) = (query, param) {
        let variable = Variable::new(&param.name).expect("a declared parameter is a variable name");
        let results = bound.store.query_with_options(query.text, vec![(variable, term.clone())], &bound.options);
        match results {
            Ok(QueryResults::Solutions(rows)) => {
                for row in rows {
                    row.unwrap_or_else(|e| panic!("{} with ?{} bound: {e}", query.name, param.name));
                }
            }
            Ok(_) => panic!("the canned query {} is not a SELECT", query.name),
            // The search index refuses some text (said in its message); that is an answer, not a failure.
            Err(StoreError::Search(e)) => assert!(!e.to_string().is_empty()),
            Err(e) => panic!("{} with ?{} bound to {term}: {e}", query.name, param.name),
        }
    }

    // The value is a term, never query text: it finds exactly the labels equal to it.
    let label = "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }";
    let results = bound
        .store
        .query_with(label, vec![(Variable::new_unchecked("name"), term.clone())])
        .unwrap_or_else(|e| panic!("the label query with ?name bound to {term}: {e}"));
    let QueryResults::Solutions(rows) = results else { panic!("a SELECT gives solutions") };
    let mut found: Vec<String> =
        rows.filter_map(|row| row.expect("a solution").get("s").map(Term::to_string)).collect();
    let mut expected: Vec<String> = bound
        .store
        .oxigraph()
        .quads_for_pattern(None, Some(oxigraph::model::vocab::rdfs::LABEL), Some(term.as_ref()), None)
        .map(|quad| quad.expect("a stored quad").subject.to_string())
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected, "the value bound to ?name found other labels than those equal to it: {term}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_pages_pass_every_target() {
        read_text(EXAMPLE.as_bytes());
        read_html(include_bytes!("../examples/kettle-fever.html"));
        build_quads(EXAMPLE.as_bytes());
    }

    #[test]
    fn a_broken_promise_is_caught() {
        let quad = Quad::new(
            oxigraph::model::NamedNode::new_unchecked("https://example.org/a"),
            oxigraph::model::NamedNode::new_unchecked("https://example.org/b"),
            Literal::new_typed_literal("ten", oxigraph::model::vocab::xsd::INTEGER),
            GraphName::DefaultGraph,
        );
        assert!(check_quad(&quad).unwrap_err().contains("invalid for its datatype"));
        let quad = Quad::new(
            oxigraph::model::NamedNode::new_unchecked("not an iri"),
            oxigraph::model::NamedNode::new_unchecked("https://example.org/b"),
            Literal::new_simple_literal("x"),
            GraphName::DefaultGraph,
        );
        assert!(check_quad(&quad).unwrap_err().starts_with("not an IRI"));
    }

    #[test]
    fn refused_input_and_injection_attempts_pass() {
        read_text(b"\n\n");
        read_medquad(b"<?xml version=\"1.0\"?><Document");
        bind(b"\x05x\" } ; DROP ALL #");
        bind(b"\xffKettle fever");
    }
}
