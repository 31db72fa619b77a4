//! Full-text search over disease names, synonyms and identifiers: a [tantivy] index beside the store.
//!
//! Oxigraph has no full-text search, and a SPARQL string scan over every name takes 0.2 s on the corpus; this
//! index answers in well under a millisecond, forgives typos, word order and case, and ranks exact names and
//! identifiers first. [`SearchIndex`] is the whole API: `gardkg find`, `/search` of the server and the SPARQL
//! `SERVICE` ([`SearchService`]) all call [`SearchIndex::search`].
//!
//! **Where.** The index of the store at `DIR` is the directory `DIR.search` beside it ([`index_path`]):
//! `~/.local/share/gardkg/store.search` for the default store. It is not inside the store directory, which belongs
//! to RocksDB.
//!
//! **What.** Every disease with a page (the `biolink:Disease` of each page graph) with its `rdfs:label`, its
//! `biolink:synonym`s and its identifiers: its own GARD id and every `biolink:xref` and `skos:exactMatch` (Orphanet,
//! MONDO, OMIM, UMLS). Every condition node of `gardkg:graph/terms` (associated conditions without a page) with its
//! label and IRI. Identifiers are found in every spelling: `GARD:0012547`, `GARD:12547`, `12547`,
//! `ORPHA:331235`, `Orphanet:331235`, `Orphanet_331235`, `331235`, `MONDO:0018039`, `UMLS:C0154275`, `C0154275`,
//! `OMIM:…`, `MIM:…`, and the full IRI.
//!
//! **Ranking.** One index document per name or identifier; a disease takes its best document. Hits come in tiers:
//! an identifier, then an exact name (case, accents and punctuation aside), then a name with the same words in
//! another order, then the rest (BM25 over the words of the name, with each query word also matched at edit
//! distance 1, or 2 for words of 8 letters or more, and the last word as a prefix). Within a tier: the names with
//! more of the query's words first, a disease with a page before a condition node, a disease's own identifier
//! before a cross-reference (`7172` is GARD:0007172 before the disease whose Orphanet code is 7172), then the
//! higher score.
//!
//! **Freshness.** The index records the state of the store it was built from ([`StoreState`]: the triple count
//! and source hash of every page graph, the content of `gardkg:graph/terms`, the tool version and pinned
//! releases of the metadata graph). Opening it recomputes that state and refuses an index that is missing or
//! stale ([`SearchError::Missing`], [`SearchError::Stale`], both saying to run `gardkg find --rebuild`): a stale
//! index is never served silently. `gardkg ingest` updates the index after it writes the pages
//! ([`SearchIndex::refresh`]: only the pages whose state changed are re-indexed). What the state does not see: an
//! edit that keeps every page graph's triple count and source hash (a SPARQL Update replacing a label in place);
//! a writer other than `gardkg ingest` must call [`SearchIndex::rebuild`] after it writes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use levenshtein_automata::LevenshteinAutomatonBuilder;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Variable,
};
use oxigraph::sparql::QuerySolutionIter;
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spargebra::algebra::GraphPattern;
use spargebra::term::{NamedNodePattern, TermPattern};
use tantivy::collector::TopDocs;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value as _};
use tantivy::tokenizer::{AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::model::vocab::{self, Namespace, biolink, prov, rdf, rdfs, skos, void};
use crate::store::{GraphStore, StoreError};

/// The version of the index layout and analysis; an index of another version is rebuilt.
pub const INDEX_FORMAT: u32 = 1;
/// Most hits one search returns.
pub const MAX_LIMIT: usize = 1000;
/// Longest query text considered, in characters (a longer one is cut).
const MAX_QUERY_CHARS: usize = 500;
/// Most query words matched (each becomes a few index lookups).
const MAX_QUERY_WORDS: usize = 16;
/// The analyzer of names: words split on anything but letters and digits, lower-cased, accents folded.
const WORDS: &str = "gardkg_words";
/// Memory of the index writer (tantivy's floor is 15 MB per thread).
const WRITER_MEMORY: usize = 50_000_000;

/// Why the search index cannot answer.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// There is no index beside the store.
    #[error(
        "no search index for the store {store} (expected at {index}): run `gardkg find --rebuild --store {store}` \
         (`gardkg ingest` also writes it)"
    )]
    Missing {
        /// The store directory.
        store: PathBuf,
        /// Where the index should be.
        index: PathBuf,
    },
    /// The store changed after the index was built.
    #[error(
        "the search index {index} is stale: {reason} since it was built; run `gardkg find --rebuild --store {store}`"
    )]
    Stale {
        /// The store directory.
        store: PathBuf,
        /// The index directory.
        index: PathBuf,
        /// What changed.
        reason: String,
    },
    /// The directory where the index belongs holds something else.
    #[error("{0} exists but is not a gardkg search index: move it away, then run `gardkg find --rebuild`")]
    Foreign(PathBuf),
    /// Another process is writing the index.
    #[error("the search index {0} is being written by another process (an ingest or a rebuild); try again after it")]
    Busy(PathBuf),
    /// tantivy failed.
    #[error("search index {path}: {source}")]
    Index {
        /// The index directory (or `memory`).
        path: PathBuf,
        /// The tantivy error.
        #[source]
        source: tantivy::TantivyError,
    },
    /// A file operation on the index directory failed.
    #[error("search index {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A malformed search `SERVICE` call, or one made without an index.
    #[error("SERVICE <{service}>: {reason}")]
    Service {
        /// The service IRI.
        service: String,
        /// What is wrong.
        reason: String,
    },
}

impl From<oxigraph::store::StorageError> for SearchError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Store(e.into())
    }
}

/// The index directory of the store at `store_path`: `<store>.search` beside it.
pub fn index_path(store_path: &Path) -> PathBuf {
    let absolute;
    let path = if store_path.file_name().is_some() {
        store_path
    } else {
        // `.` or `..`: name the index after the directory itself.
        absolute = std::fs::canonicalize(store_path).unwrap_or_else(|_| store_path.to_owned());
        &absolute
    };
    let mut name = path.file_name().map_or_else(|| OsString::from("store"), OsString::from);
    name.push(".search");
    path.with_file_name(name)
}

/// The IRI of the search `SERVICE`: `gardkg:search` (`https://w3id.org/gardkg/search` with the default base).
pub fn service_iri(namespace: &Namespace) -> NamedNode {
    namespace.iri("search")
}

/// One disease found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The disease IRI.
    pub iri: String,
    /// Its compact identifier: `GARD:0012547`, `Orphanet:558` (a condition node), or the IRI.
    pub id: String,
    /// Its label.
    pub label: String,
    /// The name or identifier that matched, as the store writes it.
    pub matched: String,
    /// How it matched.
    pub match_kind: MatchKind,
    /// How many words of the text the matched name has, exactly, misspelt or begun (0 for an identifier).
    pub words_matched: usize,
    /// A disease with a page, or a condition node.
    pub kind: HitKind,
    /// The relevance of the matched name (BM25 with the exact and fuzzy boosts). Hits are ordered by tier
    /// ([`MatchKind`]) first, so a later hit can have a higher score: order by position, not by score.
    pub score: f32,
}

/// How a hit matched, best first: hits are ordered by this, then by [`HitKind`], then by score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// The text is one of its identifiers.
    Identifier,
    /// The text is one of its names (case, accents and punctuation aside).
    ExactName,
    /// The text has the words of one of its names, in another order.
    SameWords,
    /// Some words of a name, exactly, with typos or as a prefix.
    Words,
}

impl MatchKind {
    /// Its name, as JSON and the search `SERVICE` write it: `identifier`, `exact-name`, `same-words`, `words`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Identifier => "identifier",
            Self::ExactName => "exact-name",
            Self::SameWords => "same-words",
            Self::Words => "words",
        }
    }
}

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    /// The disease of a page (`gardkg:graph/gard/…`).
    Page,
    /// A condition node of `gardkg:graph/terms` (an associated condition without a page).
    Condition,
}

impl HitKind {
    /// Its name, as JSON and the search `SERVICE` write it: `page` or `condition`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Condition => "condition",
        }
    }
}

/// What a build or refresh did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    /// The index directory (`memory` for an in-memory index).
    pub index: PathBuf,
    /// Whether the whole index was written (otherwise only the pages that changed).
    pub rebuilt: bool,
    /// Page graphs indexed in this run.
    pub pages_indexed: usize,
    /// Page graphs removed from the index in this run.
    pub pages_removed: usize,
    /// Whether the condition nodes were indexed in this run.
    pub conditions_indexed: bool,
    /// Index documents written (one per name or identifier).
    pub documents: usize,
    /// Page graphs the index covers.
    pub pages: usize,
    /// Wall time.
    pub seconds: f64,
}

/// The state of a store that the index depends on, read from the metadata graph and the page nodes (a few
/// thousand quads on the corpus, so opening the index can check it every time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreState {
    /// The base IRI of the store's namespace.
    pub base: String,
    /// The tool version and pinned releases recorded in the metadata graph, hashed.
    pub tool: String,
    /// Every page graph: a hash of its triple count (metadata graph) and its source's SHA-256 (page node).
    pub pages: BTreeMap<String, String>,
    /// A hash of the content of `gardkg:graph/terms`.
    pub terms: String,
}

impl StoreState {
    /// Reads the state of `store`.
    pub fn read(store: &GraphStore) -> Result<Self, SearchError> {
        let ns = store.namespace();
        let inner = store.oxigraph();
        let meta = ns.meta_graph();
        let meta_ref = GraphNameRef::NamedNode(meta.as_ref());
        let mut counts: BTreeMap<String, String> = BTreeMap::new();
        for quad in inner.quads_for_pattern(None, Some(void::TRIPLES), None, Some(meta_ref)) {
            let quad = quad?;
            if let (NamedOrBlankNode::NamedNode(g), Term::Literal(n)) = (&quad.subject, &quad.object) {
                if ns.is_page_graph(g.as_str()) {
                    counts.insert(g.as_str().to_owned(), n.value().to_owned());
                }
            }
        }
        let mut sources: HashMap<String, String> = HashMap::new();
        for quad in inner.quads_for_pattern(None, Some(ns.iri("content_sha256").as_ref()), None, None) {
            let quad = quad?;
            if let (oxigraph::model::GraphName::NamedNode(g), Term::Literal(h)) = (&quad.graph_name, &quad.object) {
                sources.insert(g.as_str().to_owned(), h.value().to_owned());
            }
        }
        let pages = counts
            .into_iter()
            .map(|(graph, count)| {
                let source = sources.get(&graph).map_or("", String::as_str);
                let fp = short_hash(&[&count, source]);
                (graph, fp)
            })
            .collect();
        let dataset = ns.dataset();
        let mut tool: Vec<String> = Vec::new();
        for predicate in [prov::WAS_GENERATED_BY, ns.iri("pinned_release").as_ref()] {
            for quad in inner.quads_for_pattern(Some(dataset.as_ref().into()), Some(predicate), None, Some(meta_ref)) {
                tool.push(quad?.object.to_string());
            }
        }
        tool.sort();
        let mut terms: Vec<String> = Vec::new();
        let terms_graph = ns.terms_graph();
        for quad in inner.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(terms_graph.as_ref()))) {
            let quad = quad?;
            terms.push(format!("{} {} {}", quad.subject, quad.predicate, quad.object));
        }
        terms.sort();
        let tool: Vec<&str> = tool.iter().map(String::as_str).collect();
        let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
        Ok(Self { base: ns.base().to_owned(), tool: short_hash(&tool), pages, terms: short_hash(&terms) })
    }

    /// One hash of the whole state.
    pub fn fingerprint(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.base, &self.tool, &self.terms];
        for (graph, fp) in &self.pages {
            parts.push(graph);
            parts.push(fp);
        }
        short_hash(&parts)
    }

    /// What changed from `old` to `self`, in words ("3 pages added, 1 page changed").
    fn changes_since(&self, old: &Self) -> String {
        let added = self.pages.keys().filter(|g| !old.pages.contains_key(*g)).count();
        let removed = old.pages.keys().filter(|g| !self.pages.contains_key(*g)).count();
        let changed = self.pages.iter().filter(|(g, fp)| old.pages.get(*g).is_some_and(|o| o != *fp)).count();
        let mut parts = Vec::new();
        let plural = |n: usize| if n == 1 { "page" } else { "pages" };
        if added > 0 {
            parts.push(format!("{added} {} added", plural(added)));
        }
        if changed > 0 {
            parts.push(format!("{changed} {} changed", plural(changed)));
        }
        if removed > 0 {
            parts.push(format!("{removed} {} removed", plural(removed)));
        }
        if self.terms != old.terms {
            parts.push("the condition nodes changed".to_owned());
        }
        if self.tool != old.tool {
            parts.push("the store was written by another gardkg version or with other pinned releases".to_owned());
        }
        if self.base != old.base {
            parts.push(format!("the base IRI is {} (the index has {})", self.base, old.base));
        }
        if parts.is_empty() { "the store changed".to_owned() } else { parts.join(", ") }
    }
}

/// A 128-bit hex hash of some strings (each ended by a newline, so `["ab", "c"]` and `["a", "bc"]` differ).
fn short_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(str::as_bytes(part));
        hasher.update(b"\n");
    }
    hasher.finalize()[..16].iter().fold(String::with_capacity(32), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// What the index records with each commit (tantivy's commit payload, so it changes with the documents
/// atomically).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Payload {
    format: u32,
    fingerprint: String,
    state: StoreState,
}

/// The fields of an index document (one name or identifier of one disease).
#[derive(Debug, Clone, Copy)]
struct Fields {
    /// The disease IRI (indexed, for deletes; stored).
    iri: Field,
    /// The graph the disease comes from (indexed, for deletes on refresh).
    graph: Field,
    /// `page` or `condition` (stored).
    kind: Field,
    /// The disease's compact id (stored).
    id: Field,
    /// The disease's label (stored).
    label: Field,
    /// The name or identifier as written (stored).
    text: Field,
    /// `name` or `identifier` (stored).
    what: Field,
    /// The words of a name (analyzed with [`WORDS`]).
    words: Field,
    /// The whole name, normalized: its words joined by spaces.
    exact: Field,
    /// The words of the name, sorted and joined.
    bag: Field,
    /// Each hyphenated compound of the name written as one word (`Russell-Silver` is `russellsilver`).
    joined: Field,
    /// Every spelling of an identifier ([`id_keys`]).
    key: Field,
}

impl Fields {
    fn schema() -> (Schema, Self) {
        let mut b = Schema::builder();
        let stored = TextOptions::default().set_stored();
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(WORDS).set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Self {
            iri: b.add_text_field("iri", STRING | STORED),
            graph: b.add_text_field("graph", STRING),
            kind: b.add_text_field("kind", stored.clone()),
            id: b.add_text_field("id", stored.clone()),
            label: b.add_text_field("label", stored.clone()),
            text: b.add_text_field("text", stored.clone()),
            what: b.add_text_field("what", stored),
            words: b.add_text_field("words", words),
            exact: b.add_text_field("exact", STRING),
            bag: b.add_text_field("bag", STRING),
            joined: b.add_text_field("joined", STRING),
            key: b.add_text_field("key", STRING),
        };
        (b.build(), fields)
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The words of a text as the index sees them.
fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// The hyphenated compounds of a name written as one word, whole and by pairs of parts: `Say-Field-Coldwell` gives
/// `sayfieldcoldwell`, `sayfield` and `fieldcoldwell`.
fn compounds(analyzer: &mut TextAnalyzer, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name.split_whitespace() {
        let parts = words(analyzer, chunk);
        if parts.len() > 1 {
            out.push(parts.concat());
        }
        if parts.len() > 2 {
            out.extend(parts.windows(2).map(<[String]>::concat));
        }
    }
    out
}

fn sorted_bag(words: &[String]) -> String {
    let mut sorted = words.to_vec();
    sorted.sort();
    sorted.join(" ")
}

/// An identifier as typed, normalized for lookup: lower case, no spaces, `_` after a prefix read as `:`, leading
/// zeros of a numeric local part dropped (`ORPHA: 0331235` is `orpha:331235`, `GARD:0012547` is `gard:12547`).
fn id_key(text: &str) -> String {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    if text.contains("://") {
        return text;
    }
    let (prefix, local) = match text.split_once([':', '_']) {
        Some((p, l)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()) => (Some(p), l),
        _ => (None, text.as_str()),
    };
    let local = if !local.is_empty() && local.chars().all(|c| c.is_ascii_digit()) {
        let trimmed = local.trim_start_matches('0');
        if trimmed.is_empty() { "0" } else { trimmed }
    } else {
        local
    };
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_owned(),
    }
}

/// Every spelling of an identifier IRI that a search finds it by ([`id_key`] of each): the IRI, the CURIE with
/// each alias of its prefix, and the bare local part.
fn id_keys(iri: &str) -> Vec<String> {
    let mut keys = vec![iri.to_lowercase()];
    if let Some(curie) = vocab::compact_iri(iri) {
        if let Some((prefix, local)) = curie.split_once(':') {
            let aliases: &[&str] = match prefix {
                "Orphanet" => &["orphanet", "orpha", "ordo"],
                "OMIM" => &["omim", "mim"],
                "UMLS" => &["umls", "cui"],
                other => &[other],
            };
            for alias in aliases {
                keys.push(id_key(&format!("{alias}:{local}")));
            }
            keys.push(id_key(local));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// The compact form of a disease or identifier IRI: a CURIE with a known prefix, `gardkg:…` for minted nodes,
/// else the IRI.
fn compact(iri: &str, namespace: &Namespace) -> String {
    if let Some(curie) = vocab::compact_iri(iri) {
        return curie;
    }
    match iri.strip_prefix(namespace.base()) {
        Some(local) => format!("gardkg:{local}"),
        None => iri.to_owned(),
    }
}

/// A disease as the index holds it.
struct Entry {
    iri: NamedNode,
    label: String,
    names: Vec<String>,
    ids: Vec<NamedNode>,
}

/// The diseases of one graph (a page graph, or the terms graph), read with quad patterns.
fn entries_of_graph(store: &Store, graph: NamedNodeRef<'_>) -> Result<Vec<Entry>, SearchError> {
    let g = GraphNameRef::NamedNode(graph);
    let mut entries = Vec::new();
    for quad in store.quads_for_pattern(None, Some(rdf::TYPE), Some(biolink::DISEASE.into()), Some(g)) {
        let NamedOrBlankNode::NamedNode(disease) = quad?.subject else { continue };
        let subject = NamedOrBlankNodeRef::NamedNode(disease.as_ref());
        let literals = |p: NamedNodeRef<'_>| -> Result<Vec<String>, SearchError> {
            let mut out = Vec::new();
            for quad in store.quads_for_pattern(Some(subject), Some(p), None, Some(g)) {
                if let Term::Literal(l) = quad?.object {
                    out.push(l.value().to_owned());
                }
            }
            out.sort();
            Ok(out)
        };
        let labels = literals(rdfs::LABEL)?;
        let mut names = labels.clone();
        names.extend(literals(biolink::SYNONYM)?);
        let mut ids = vec![disease.clone()];
        for p in [biolink::XREF, skos::EXACT_MATCH] {
            for quad in store.quads_for_pattern(Some(subject), Some(p), None, Some(g)) {
                if let Term::NamedNode(n) = quad?.object {
                    ids.push(n);
                }
            }
        }
        let mut seen = HashSet::new();
        ids.retain(|n| seen.insert(n.clone()));
        let label = labels.first().cloned().unwrap_or_else(|| disease.as_str().to_owned());
        entries.push(Entry { iri: disease, label, names, ids });
    }
    entries.sort_by(|a, b| a.iri.cmp(&b.iri));
    Ok(entries)
}

/// Writes the documents of one graph's diseases; returns how many.
fn add_graph(
    writer: &IndexWriter<TantivyDocument>,
    fields: Fields,
    analyzer: &mut TextAnalyzer,
    store: &GraphStore,
    graph: NamedNodeRef<'_>,
    kind: HitKind,
    path: &Path,
) -> Result<usize, SearchError> {
    let namespace = store.namespace();
    let mut n = 0;
    for entry in entries_of_graph(store.oxigraph(), graph)? {
        let common = |doc: &mut TantivyDocument, text: &str, what: &str| {
            doc.add_text(fields.iri, entry.iri.as_str());
            doc.add_text(fields.graph, graph.as_str());
            doc.add_text(fields.kind, kind.name());
            doc.add_text(fields.id, compact(entry.iri.as_str(), namespace));
            doc.add_text(fields.label, &entry.label);
            doc.add_text(fields.text, text);
            doc.add_text(fields.what, what);
        };
        let mut seen = HashSet::new();
        for name in &entry.names {
            let tokens = words(analyzer, name);
            if tokens.is_empty() || !seen.insert(tokens.clone()) {
                continue;
            }
            let mut doc = TantivyDocument::default();
            common(&mut doc, name, "name");
            doc.add_text(fields.words, name);
            doc.add_text(fields.exact, tokens.join(" "));
            doc.add_text(fields.bag, sorted_bag(&tokens));
            for compound in compounds(analyzer, name) {
                doc.add_text(fields.joined, compound);
            }
            writer.add_document(doc).map_err(|source| SearchError::Index { path: path.to_owned(), source })?;
            n += 1;
        }
        for id in &entry.ids {
            let mut doc = TantivyDocument::default();
            common(&mut doc, &compact(id.as_str(), namespace), "identifier");
            for key in id_keys(id.as_str()) {
                doc.add_text(fields.key, key);
            }
            writer.add_document(doc).map_err(|source| SearchError::Index { path: path.to_owned(), source })?;
            n += 1;
        }
    }
    Ok(n)
}

/// The full-text index of a store's diseases. Cheap to share (`Arc`) between threads; [`search`](Self::search)
/// takes `&self`.
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analyzer: TextAnalyzer,
    namespace: Namespace,
    state: StoreState,
    /// The store's files when the index was opened ([`store_files`]), if it could list them.
    files: Option<String>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("path", &self.path)
            .field("namespace", &self.namespace)
            .field("pages", &self.state.pages.len())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index beside the store at `store_path` for searching, after checking that it describes the store
    /// as it is now.
    ///
    /// The check is free when the store's files are exactly those of the last successful check (RocksDB never
    /// changes a file without changing its size or time, so a write always shows); otherwise the store is opened
    /// read-only, its state compared with the index's, and closed. Fails with [`SearchError::Missing`] when there
    /// is no index and [`SearchError::Stale`] when the store changed after it was built; both say to run
    /// `gardkg find --rebuild`.
    pub fn open_for(store_path: &Path) -> Result<Self, SearchError> {
        let path = index_path(store_path);
        // Listed before the store is opened: what is remembered is never newer than what was checked.
        let files = store_files(store_path);
        let (index, payload) = open_existing(&path, store_path)?;
        let namespace = Namespace::new(&payload.state.base).map_err(|e| SearchError::Stale {
            store: store_path.to_owned(),
            index: path.clone(),
            reason: e,
        })?;
        if files.is_some() && files == checked_files(&path, &payload.fingerprint) {
            return Self::from_index(index, path, namespace, payload.state, files);
        }
        let store = GraphStore::open_read_only(store_path, namespace)?;
        let opened = Self::checked(index, payload, &store, store_path, path, files)?;
        if let Some(files) = &opened.files {
            // Best effort: a read-only index directory only means the next open checks the store again.
            let _ = remember_files(&opened.path, files, &opened.state.fingerprint());
        }
        Ok(opened)
    }

    /// Opens the index beside the store at `store_path` for searching, checking it against `store` (already open,
    /// with the namespace it was written with): a full comparison of the store's state with the index's. For a
    /// long-running reader (a server) that opens the index once.
    pub fn open(store: &GraphStore, store_path: &Path) -> Result<Self, SearchError> {
        let path = index_path(store_path);
        let (index, payload) = open_existing(&path, store_path)?;
        Self::checked(index, payload, store, store_path, path, None)
    }

    /// Checks that `store`, opened after this index was (with [`open_for`](Self::open_for)), holds what the index
    /// describes: free when the store's files are still those seen by `open_for`, else a full comparison.
    pub fn check_store(&self, store: &GraphStore, store_path: &Path) -> Result<(), SearchError> {
        if self.files.is_some() && store_files(store_path) == self.files {
            return Ok(());
        }
        let now = StoreState::read(store)?;
        if now.fingerprint() == self.state.fingerprint() {
            return Ok(());
        }
        Err(SearchError::Stale {
            store: store_path.to_owned(),
            index: self.path.clone(),
            reason: now.changes_since(&self.state),
        })
    }

    fn checked(
        index: Index,
        payload: Payload,
        store: &GraphStore,
        store_path: &Path,
        path: PathBuf,
        files: Option<String>,
    ) -> Result<Self, SearchError> {
        let now = StoreState::read(store)?;
        if now.fingerprint() != payload.fingerprint {
            return Err(SearchError::Stale {
                store: store_path.to_owned(),
                index: path,
                reason: now.changes_since(&payload.state),
            });
        }
        Self::from_index(index, path, store.namespace().clone(), payload.state, files)
    }

    fn from_index(
        index: Index,
        path: PathBuf,
        namespace: Namespace,
        state: StoreState,
        files: Option<String>,
    ) -> Result<Self, SearchError> {
        let (_, fields) = Fields::schema();
        index.tokenizers().register(WORDS, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|source| SearchError::Index { path: path.clone(), source })?;
        Ok(Self { path, index, reader, fields, analyzer: analyzer(), namespace, state, files })
    }

    /// Builds an index of `store` in memory (for an in-memory store, or tests); nothing is written to disk.
    pub fn in_memory(store: &GraphStore) -> Result<Self, SearchError> {
        let path = PathBuf::from("memory");
        let (schema, _) = Fields::schema();
        let index = Index::create_in_ram(schema);
        let state = StoreState::read(store)?;
        write_index(&index, &path, store, &state, None)?;
        Self::from_index(index, path, store.namespace().clone(), state, None)
    }

    /// Rebuilds the index of the store at `store_path` from `store`, whatever is there: a missing, stale, older or
    /// broken index is replaced. The new index is written beside the old one and moved into place when complete, so
    /// readers see the old or the new one.
    pub fn rebuild(store: &GraphStore, store_path: &Path) -> Result<BuildReport, SearchError> {
        let started = Instant::now();
        let path = index_path(store_path);
        check_ours(&path)?;
        let state = StoreState::read(store)?;
        let building = sibling(&path, "building");
        remove_dir(&building)?;
        std::fs::create_dir_all(&building).map_err(|source| SearchError::Io { path: building.clone(), source })?;
        let (schema, _) = Fields::schema();
        let index = Index::create_in_dir(&building, schema)
            .map_err(|source| SearchError::Index { path: building.clone(), source })?;
        let mut report = write_index(&index, &building, store, &state, None)?;
        drop(index);
        let old = sibling(&path, "old");
        remove_dir(&old)?;
        if path.exists() {
            std::fs::rename(&path, &old).map_err(|source| SearchError::Io { path: path.clone(), source })?;
        }
        std::fs::rename(&building, &path).map_err(|source| SearchError::Io { path: path.clone(), source })?;
        remove_dir(&old)?;
        report.index = path;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Brings the index of the store at `store_path` up to date with `store`, re-indexing only the page graphs
    /// whose state changed (and the condition nodes if they changed); rebuilds it when it is missing, of another
    /// format, or the tool version or base changed. What `gardkg ingest` runs after writing the pages.
    pub fn refresh(store: &GraphStore, store_path: &Path) -> Result<BuildReport, SearchError> {
        let started = Instant::now();
        let path = index_path(store_path);
        let existing = match open_existing(&path, store_path) {
            Ok(existing) => Some(existing),
            Err(SearchError::Missing { .. } | SearchError::Stale { .. } | SearchError::Index { .. }) => None,
            Err(e) => return Err(e),
        };
        let state = StoreState::read(store)?;
        let Some((index, payload)) = existing.filter(|(_, p)| p.state.base == state.base && p.state.tool == state.tool)
        else {
            return Self::rebuild(store, store_path);
        };
        let mut report = write_index(&index, &path, store, &state, Some(&payload))?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Whether the index still describes `store` (false after an ingest the index missed). Reads a few thousand
    /// quads: cheap enough for every request of a server.
    pub fn is_current(&self, store: &GraphStore) -> Result<bool, SearchError> {
        Ok(StoreState::read(store)?.fingerprint() == self.state.fingerprint())
    }

    /// The index directory (`memory` for an in-memory index).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store state the index was built from.
    pub fn state(&self) -> &StoreState {
        &self.state
    }

    /// The namespace of the store the index was built from.
    pub fn namespace(&self) -> &Namespace {
        &self.namespace
    }

    /// The diseases best matching `text` (a name, a synonym or an identifier), best first, at most `limit` (capped at
    /// [`MAX_LIMIT`]). An empty text finds nothing.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let limit = limit.min(MAX_LIMIT);
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let text = text.trim();
        if text.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let mut analyzer = self.analyzer.clone();
        let mut tokens = words(&mut analyzer, text);
        tokens.truncate(MAX_QUERY_WORDS);
        let exact = tokens.join(" ");
        let bag = sorted_bag(&tokens);
        let key = id_key(text);

        let searcher = self.reader.searcher();
        let term = |field: Field, value: &str, boost: f32| -> Box<dyn Query> {
            let query = TermQuery::new(tantivy::Term::from_field_text(field, value), IndexRecordOption::WithFreqs);
            Box::new(BoostQuery::new(Box::new(query), boost))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, term(f.key, &key, 50.0))];
        if !tokens.is_empty() {
            clauses.push((Occur::Should, term(f.exact, &exact, 20.0)));
            clauses.push((Occur::Should, term(f.bag, &bag, 10.0)));
        }
        // What each query word may stand for, to count later how many of them a name has.
        let mut stands_for: Vec<HashSet<String>> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            // Each query word counts once per name: by the best of the indexed words it may stand for.
            let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
            let mut near = HashSet::new();
            for (field, word, weight) in self.near_words(&searcher, token, i + 1 == tokens.len())? {
                disjuncts.push(term(field, &word, 2.0 * weight));
                near.insert(word);
            }
            if !disjuncts.is_empty() {
                clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(disjuncts))));
            }
            stands_for.push(near);
        }
        let query = BooleanQuery::new(clauses);
        let candidates = (limit * 4).max(50);
        let top = searcher
            .search(&query, &TopDocs::with_limit(candidates))
            .map_err(|source| SearchError::Index { path: self.path.clone(), source })?;

        let mut best: HashMap<String, Hit> = HashMap::new();
        for (score, address) in top {
            let doc: TantivyDocument =
                searcher.doc(address).map_err(|source| SearchError::Index { path: self.path.clone(), source })?;
            let get = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let matched = get(f.text);
            let (match_kind, words_matched) = if get(f.what) == "identifier" {
                (MatchKind::Identifier, 0)
            } else {
                let name = words(&mut analyzer, &matched);
                let mut has: HashSet<String> = name.iter().cloned().collect();
                has.extend(compounds(&mut analyzer, &matched));
                let words_matched = stands_for.iter().filter(|near| near.iter().any(|w| has.contains(w))).count();
                let kind = if name.join(" ") == exact {
                    MatchKind::ExactName
                } else if sorted_bag(&name) == bag {
                    MatchKind::SameWords
                } else {
                    MatchKind::Words
                };
                (kind, words_matched)
            };
            let kind = if get(f.kind) == "condition" { HitKind::Condition } else { HitKind::Page };
            let (iri, id, label) = (get(f.iri), get(f.id), get(f.label));
            let hit = Hit { iri, id, label, matched, match_kind, words_matched, kind, score };
            match best.get(&hit.iri) {
                Some(b) if rank_key(b) <= rank_key(&hit) => {}
                _ => {
                    best.insert(hit.iri.clone(), hit);
                }
            }
        }
        let mut hits: Vec<Hit> = best.into_values().collect();
        // A text that is an identifier means that identifier, not the names that share a word with it.
        if hits.iter().any(|h| h.match_kind == MatchKind::Identifier) {
            hits.retain(|h| h.match_kind != MatchKind::Words);
        }
        hits.sort_by(|a, b| rank_key(a).cmp(&rank_key(b)).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        Ok(hits)
    }

    /// The indexed words a query word may stand for, with a weight. A word of the index stands for itself only (1);
    /// another word (misspelt, or unfinished) stands for the indexed words at edit distance 1 (0.6) or 2 (0.35),
    /// allowing 1 edit for words of 4 to 7 letters and 2 from 8, for the hyphenated compounds written without the
    /// hyphen (`russellsilver`, same distances), and, when it is the last word (a search box being typed), for
    /// the words it begins (0.5). At most [`MAX_EXPANSIONS`] per field, nearest first.
    fn near_words(
        &self,
        searcher: &tantivy::Searcher,
        token: &str,
        last: bool,
    ) -> Result<Vec<(Field, String, f32)>, SearchError> {
        let letters = token.chars().count();
        let distance: u8 = match letters {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let mut known = false;
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.words)
                .map_err(|source| SearchError::Index { path: self.path.clone(), source })?;
            if inverted
                .terms()
                .get(token)
                .map_err(|e| SearchError::Io { path: self.path.clone(), source: e })?
                .is_some()
            {
                known = true;
                break;
            }
        }
        if known {
            return Ok(vec![(self.fields.words, token.to_owned(), 1.0)]);
        }
        let mut found: HashMap<(Field, String), f32> = HashMap::new();
        let mut scan = |field: Field, dfa: levenshtein_automata::DFA, prefix: bool| -> Result<(), SearchError> {
            let mut near: Vec<(u8, String)> = Vec::new();
            for segment in searcher.segment_readers() {
                let inverted = segment
                    .inverted_index(field)
                    .map_err(|source| SearchError::Index { path: self.path.clone(), source })?;
                let mut stream = inverted
                    .terms()
                    .search(Levenshtein(&dfa))
                    .into_stream()
                    .map_err(|e| SearchError::Io { path: self.path.clone(), source: e })?;
                while stream.advance() {
                    let Ok(word) = std::str::from_utf8(stream.key()) else { continue };
                    let d = match dfa.eval(word) {
                        levenshtein_automata::Distance::Exact(d) => d,
                        levenshtein_automata::Distance::AtLeast(_) => continue,
                    };
                    near.push((d, word.to_owned()));
                }
            }
            near.sort();
            near.dedup();
            for (d, word) in near.into_iter().take(MAX_EXPANSIONS) {
                let weight = match (prefix, d) {
                    (true, _) if word != token => 0.5,
                    (_, 0) => 1.0,
                    (_, 1) => 0.6,
                    _ => 0.35,
                };
                let slot = found.entry((field, word)).or_insert(0.0);
                *slot = slot.max(weight);
            }
            Ok(())
        };
        scan(self.fields.words, automaton(distance).build_dfa(token), false)?;
        if letters >= 6 {
            scan(self.fields.joined, automaton(distance).build_dfa(token), false)?;
        }
        if last && letters >= 3 {
            scan(self.fields.words, automaton(0).build_prefix_dfa(token), true)?;
        }
        let mut out: Vec<(Field, String, f32)> = found.into_iter().map(|((f, w), weight)| (f, w, weight)).collect();
        out.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
        Ok(out)
    }

    /// Documents in the index (one per name or identifier).
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The underlying tantivy index, for what this wrapper does not cover.
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

/// Hits a search `SERVICE` call returns when its pattern gives no `search:limit`.
pub const SERVICE_DEFAULT_LIMIT: usize = 10;

/// The namespace of the search `SERVICE`'s predicates: the service IRI followed by `/`
/// (`PREFIX search: <https://w3id.org/gardkg/search/>` with the default base).
pub fn service_namespace(namespace: &Namespace) -> String {
    format!("{}/", service_iri(namespace).as_str())
}

/// A predicate of a search `SERVICE` pattern (its local name under [`service_namespace`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServiceTerm {
    /// The text searched for (a literal; required).
    Query,
    /// Most hits (an integer literal; default [`SERVICE_DEFAULT_LIMIT`], at most [`MAX_LIMIT`]).
    Limit,
    /// The position of the hit, from 1.
    Rank,
    /// [`Hit::score`], as an `xsd:double`.
    Score,
    /// [`Hit::matched`].
    Matched,
    /// [`Hit::match_kind`]: `identifier`, `exact-name`, `same-words` or `words`.
    Match,
    /// [`Hit::kind`]: `page` or `condition`.
    Kind,
    /// [`Hit::label`].
    Label,
    /// [`Hit::id`].
    Id,
}

impl ServiceTerm {
    const ALL: [Self; 9] = [
        Self::Query,
        Self::Limit,
        Self::Rank,
        Self::Score,
        Self::Matched,
        Self::Match,
        Self::Kind,
        Self::Label,
        Self::Id,
    ];

    fn local(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Limit => "limit",
            Self::Rank => "rank",
            Self::Score => "score",
            Self::Matched => "matched",
            Self::Match => "match",
            Self::Kind => "kind",
            Self::Label => "label",
            Self::Id => "id",
        }
    }

    /// The value of this term for the hit at `rank` (from 1); `None` for the inputs.
    fn value(self, hit: &Hit, rank: usize) -> Option<Term> {
        let text = |s: &str| Some(Literal::new_simple_literal(s).into());
        match self {
            Self::Query | Self::Limit => None,
            Self::Rank => Some(Literal::from(i64::try_from(rank).unwrap_or(i64::MAX)).into()),
            // Written with the f32's own shortest digits (18.469231, not 18.46923065185547).
            Self::Score => Some(Literal::new_typed_literal(hit.score.to_string(), xsd::DOUBLE).into()),
            Self::Matched => text(&hit.matched),
            Self::Match => text(hit.match_kind.name()),
            Self::Kind => text(hit.kind.name()),
            Self::Label => text(&hit.label),
            Self::Id => text(&hit.id),
        }
    }
}

/// The search index as a SPARQL `SERVICE`: `gardkg find` inside a query, its hits joined with the store.
///
/// The service IRI is [`service_iri`] (`https://w3id.org/gardkg/search` with the default base), a local name
/// that never leaves the process: it is always allowed, whatever the `SERVICE` allow-list says, and no other IRI
/// reaches it. Its pattern is triple patterns about one subject, the disease found, with the predicates of
/// [`service_namespace`]:
///
/// ```sparql
/// PREFIX search: <https://w3id.org/gardkg/search/>
/// SELECT ?disease ?rank ?matched ?phenotype WHERE {
///   SERVICE <https://w3id.org/gardkg/search> {
///     ?disease search:query "selectve igm deficency" ; search:limit 3 ;
///              search:rank ?rank ; search:matched ?matched .
///   }
///   ?association biolink:subject ?disease ; biolink:object ?phenotype .
/// }
/// ```
///
/// `search:query` (required) and `search:limit` are inputs and must be literals written in the pattern: Oxigraph
/// hands a `SERVICE` its pattern, not the solutions around it, so a variable bound outside is not seen (a caller's
/// bound parameter is written into the pattern by [`GraphStore::query_with_options`], which is how the canned
/// `find-disease` query takes `--bind q=…`). The outputs are `search:rank` (from 1), `search:score`
/// (`xsd:double`), `search:matched`, `search:match` (`identifier`, `exact-name`, `same-words`, `words`),
/// `search:kind` (`page`, `condition`), `search:label` and `search:id`; a constant in their place keeps only the
/// hits that have it (`search:kind "page"`).
#[derive(Clone)]
pub struct SearchService {
    iri: NamedNode,
    prefix: String,
    source: Arc<ServiceSource>,
}

enum ServiceSource {
    /// An index already open (a server).
    Open(Arc<SearchIndex>),
    /// The index beside an on-disk store, opened (and checked) at the first call.
    Beside { store: PathBuf, index: OnceLock<Result<Arc<SearchIndex>, String>> },
    /// No index can answer here, and why.
    Unavailable(String),
}

impl std::fmt::Debug for SearchService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchService").field("iri", &self.iri.as_str()).finish_non_exhaustive()
    }
}

impl SearchService {
    /// The service over an open index.
    pub fn new(index: Arc<SearchIndex>) -> Self {
        let namespace = index.namespace().clone();
        Self::with_source(&namespace, ServiceSource::Open(index))
    }

    /// The service over the index beside the store at `store_path`, opened with [`SearchIndex::open_for`] at the
    /// first call (a query that does not search never opens it); a missing or stale index fails the call with the
    /// message saying to run `gardkg find --rebuild`.
    pub fn beside(store_path: &Path, namespace: &Namespace) -> Self {
        Self::with_source(namespace, ServiceSource::Beside { store: store_path.to_owned(), index: OnceLock::new() })
    }

    /// A service that answers every call with an error saying why there is no index (an in-memory store).
    pub fn unavailable(namespace: &Namespace, reason: impl Into<String>) -> Self {
        Self::with_source(namespace, ServiceSource::Unavailable(reason.into()))
    }

    fn with_source(namespace: &Namespace, source: ServiceSource) -> Self {
        Self { iri: service_iri(namespace), prefix: service_namespace(namespace), source: Arc::new(source) }
    }

    /// The service IRI.
    pub fn iri(&self) -> &NamedNode {
        &self.iri
    }

    fn error(&self, reason: impl Into<String>) -> SearchError {
        SearchError::Service { service: self.iri.as_str().to_owned(), reason: reason.into() }
    }

    fn index(&self) -> Result<Arc<SearchIndex>, SearchError> {
        match &*self.source {
            ServiceSource::Open(index) => Ok(Arc::clone(index)),
            ServiceSource::Beside { store, index } => index
                .get_or_init(|| SearchIndex::open_for(store).map(Arc::new).map_err(|e| e.to_string()))
                .clone()
                .map_err(|e| self.error(e)),
            ServiceSource::Unavailable(reason) => Err(self.error(reason.clone())),
        }
    }

    /// Runs the search a `SERVICE` pattern asks for.
    pub fn evaluate(&self, pattern: &GraphPattern) -> Result<ServiceSolutions, SearchError> {
        let call = self.parse(pattern)?;
        let hits = self.index()?.search(call.text, call.limit)?;
        call.solutions(&hits).map_err(|e| self.error(e))
    }

    /// Reads a `SERVICE` pattern: its text, limit, subject and outputs.
    fn parse<'a>(&self, pattern: &'a GraphPattern) -> Result<ServiceCall<'a>, SearchError> {
        let known = || ServiceTerm::ALL.map(|t| format!("search:{}", t.local())).join(", ");
        let GraphPattern::Bgp { patterns } = pattern else {
            return Err(self.error(format!(
                "the search SERVICE takes triple patterns about one subject (with {}), not {}",
                known(),
                pattern_kind(pattern)
            )));
        };
        let Some(subject) = patterns.first().map(|t| &t.subject) else {
            return Err(self.error("an empty pattern: give at least `?disease search:query \"text\"`"));
        };
        let mut call = ServiceCall { subject, text: "", limit: SERVICE_DEFAULT_LIMIT, outputs: Vec::new() };
        let mut has_text = false;
        for triple in patterns {
            if &triple.subject != subject {
                return Err(self.error(format!(
                    "every triple of the pattern is about one subject, the disease found ({subject} and {})",
                    triple.subject
                )));
            }
            let term = match &triple.predicate {
                NamedNodePattern::NamedNode(p) => p
                    .as_str()
                    .strip_prefix(self.prefix.as_str())
                    .and_then(|local| ServiceTerm::ALL.into_iter().find(|t| t.local() == local)),
                NamedNodePattern::Variable(_) => None,
            };
            let Some(term) = term else {
                return Err(self.error(format!(
                    "unknown predicate {} (with PREFIX search: <{}>, the predicates are {})",
                    triple.predicate,
                    self.prefix,
                    known()
                )));
            };
            let literal = match &triple.object {
                TermPattern::Literal(l) => Some(l),
                _ => None,
            };
            match term {
                ServiceTerm::Query => {
                    let Some(l) = literal else {
                        return Err(self.error(format!(
                            "search:query {}: the text must be a literal written in the SERVICE pattern (the \
                             SERVICE does not see values bound outside it; a canned query's parameter is bound \
                             with --bind)",
                            triple.object
                        )));
                    };
                    if std::mem::replace(&mut has_text, true) {
                        return Err(self.error("more than one search:query"));
                    }
                    call.text = l.value();
                }
                ServiceTerm::Limit => {
                    call.limit = literal
                        .and_then(|l| l.value().parse::<usize>().ok())
                        .filter(|n| (1..=MAX_LIMIT).contains(n))
                        .ok_or_else(|| {
                            self.error(format!(
                                "search:limit {}: expected a whole number from 1 to {MAX_LIMIT}",
                                triple.object
                            ))
                        })?;
                }
                _ => call.outputs.push((term, &triple.object)),
            }
        }
        if !has_text {
            return Err(self.error("no search:query: say what to look for, as in `?disease search:query \"text\"`"));
        }
        Ok(call)
    }
}

/// What a search `SERVICE` call answers: its variables (in the order of the pattern), and one row per hit that
/// fits the pattern, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSolutions {
    /// The variables of the pattern.
    pub variables: Vec<Variable>,
    /// One value (or none) per variable, per hit.
    pub rows: Vec<Vec<Option<Term>>>,
}

/// A search `SERVICE` pattern, read.
struct ServiceCall<'a> {
    /// The disease found: a variable, a blank node, or an IRI (the search then only says whether it is a hit).
    subject: &'a TermPattern,
    text: &'a str,
    limit: usize,
    /// The output predicates and their objects (variables, or constants the hits must have).
    outputs: Vec<(ServiceTerm, &'a TermPattern)>,
}

impl ServiceCall<'_> {
    fn solutions(&self, hits: &[Hit]) -> Result<ServiceSolutions, String> {
        let mut variables: Vec<Variable> = Vec::new();
        for pattern in std::iter::once(self.subject).chain(self.outputs.iter().map(|(_, o)| *o)) {
            if let TermPattern::Variable(v) = pattern {
                if !variables.contains(v) {
                    variables.push(v.clone());
                }
            }
        }
        let mut rows = Vec::new();
        'hits: for (i, hit) in hits.iter().enumerate() {
            let mut row: Vec<Option<Term>> = vec![None; variables.len()];
            let disease = NamedNode::new(hit.iri.as_str()).map_err(|e| format!("{}: {e}", hit.iri))?;
            let values = std::iter::once((self.subject, Some(Term::from(disease))))
                .chain(self.outputs.iter().map(|(t, o)| (*o, t.value(hit, i + 1))));
            for (pattern, value) in values {
                let Some(value) = value else { continue };
                let fits = match pattern {
                    TermPattern::Variable(v) => {
                        let slot = &mut row[variables.iter().position(|x| x == v).unwrap_or_default()];
                        if let Some(bound) = slot {
                            *bound == value
                        } else {
                            *slot = Some(value);
                            true
                        }
                    }
                    TermPattern::NamedNode(n) => Term::from(n.clone()) == value,
                    TermPattern::Literal(l) => Term::from(l.clone()) == value,
                    // A blank node stands for anything and is not returned.
                    TermPattern::BlankNode(_) => true,
                };
                if !fits {
                    continue 'hits;
                }
            }
            rows.push(row);
        }
        Ok(ServiceSolutions { variables, rows })
    }
}

/// A graph pattern's kind, for messages.
fn pattern_kind(pattern: &GraphPattern) -> &'static str {
    match pattern {
        GraphPattern::Filter { .. } => "a FILTER (filter outside the SERVICE)",
        GraphPattern::Union { .. } => "a UNION",
        GraphPattern::LeftJoin { .. } => "an OPTIONAL",
        GraphPattern::Path { .. } => "a property path",
        GraphPattern::Graph { .. } => "a GRAPH",
        GraphPattern::Service { .. } => "a nested SERVICE",
        GraphPattern::Values { .. } => "VALUES",
        GraphPattern::Extend { .. } => "a BIND",
        _ => "a group of several patterns",
    }
}

impl oxigraph::sparql::ServiceHandler for SearchService {
    type Error = SearchError;

    fn handle(
        &self,
        pattern: &GraphPattern,
        _base_iri: Option<&oxiri::Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, SearchError> {
        let solutions = self.evaluate(pattern)?;
        let variables: Arc<[Variable]> = solutions.variables.into();
        Ok(QuerySolutionIter::from_tuples(variables, solutions.rows.into_iter().map(Ok)))
    }
}

/// Most indexed words one query word expands to, per field.
const MAX_EXPANSIONS: usize = 20;

/// The Levenshtein automaton builder for a distance (transpositions cost 1), built once per process.
fn automaton(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    BUILDERS[usize::from(distance.min(2))].get_or_init(|| LevenshteinAutomatonBuilder::new(distance.min(2), true))
}

/// A Levenshtein DFA as an automaton over tantivy's term dictionary (as tantivy's own fuzzy query runs it).
struct Levenshtein<'a>(&'a levenshtein_automata::DFA);

impl tantivy_fst::Automaton for Levenshtein<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), levenshtein_automata::Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The order of hits: tier; then names with more of the query's words; then pages before condition nodes; then a
/// disease's own identifier before another's cross-reference (a bare number that is both a GARD id and an
/// Orphanet code means the GARD disease first); then score (higher first; to 1/1000, as the same name can score a
/// few ulps apart); then a disease whose own label matched before one that has the matched name as a synonym.
fn rank_key(hit: &Hit) -> (MatchKind, std::cmp::Reverse<usize>, HitKind, bool, std::cmp::Reverse<i64>, bool) {
    #[allow(clippy::cast_possible_truncation, reason = "scores are small and finite")]
    let score = (f64::from(hit.score) * 1000.0).round() as i64;
    let cross_reference = hit.match_kind == MatchKind::Identifier && hit.matched != hit.id;
    (
        hit.match_kind,
        std::cmp::Reverse(hit.words_matched),
        hit.kind,
        cross_reference,
        std::cmp::Reverse(score),
        hit.matched != hit.label,
    )
}

/// An index directory that can also be read from read-only media. Tantivy's reader takes a lock file while it
/// opens the segments, so that a writer's clean-up does not delete them meanwhile; on a read-only file system that
/// file cannot be made, and no writer can exist either, so the lock is granted without one. Everything else is the
/// memory-mapped directory's own.
#[derive(Clone, Debug)]
struct ReadOnlyMedia(MmapDirectory);

impl Directory for ReadOnlyMedia {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e)) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            result => result,
        }
    }
}

/// Opens an index directory and reads its payload; [`SearchError::Missing`] when there is none,
/// [`SearchError::Stale`] when it was written in another format.
fn open_existing(path: &Path, store_path: &Path) -> Result<(Index, Payload), SearchError> {
    if !path.join("meta.json").exists() {
        return Err(SearchError::Missing { store: store_path.to_owned(), index: path.to_owned() });
    }
    let index = MmapDirectory::open(path)
        .map_err(tantivy::TantivyError::from)
        .and_then(|directory| Index::open(ReadOnlyMedia(directory)))
        .map_err(|source| SearchError::Index { path: path.to_owned(), source })?;
    let stale = |reason: &str| SearchError::Stale {
        store: store_path.to_owned(),
        index: path.to_owned(),
        reason: reason.to_owned(),
    };
    let (schema, _) = Fields::schema();
    if index.schema() != schema {
        return Err(stale("gardkg's index layout changed"));
    }
    let metas = index.load_metas().map_err(|source| SearchError::Index { path: path.to_owned(), source })?;
    let payload: Payload = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or_else(|| stale("the index records no store state (an interrupted build)"))?;
    if payload.format != INDEX_FORMAT {
        return Err(stale("gardkg's index format changed"));
    }
    Ok((index, payload))
}

/// Writes the documents of `store` into `index`: all of them (`old` is `None`), or only those of the pages whose
/// state differs from `old`; commits with the new state as payload.
fn write_index(
    index: &Index,
    path: &Path,
    store: &GraphStore,
    state: &StoreState,
    old: Option<&Payload>,
) -> Result<BuildReport, SearchError> {
    let started = Instant::now();
    let fields = Fields::schema().1;
    index.tokenizers().register(WORDS, analyzer());
    let mut report = BuildReport {
        index: path.to_owned(),
        rebuilt: old.is_none(),
        pages_indexed: 0,
        pages_removed: 0,
        conditions_indexed: false,
        documents: 0,
        pages: state.pages.len(),
        seconds: 0.0,
    };
    if old.is_some_and(|old| old.fingerprint == state.fingerprint()) {
        return Ok(report);
    }
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(1, WRITER_MEMORY).map_err(|e| {
        if matches!(e, tantivy::TantivyError::LockFailure(..)) {
            SearchError::Busy(path.to_owned())
        } else {
            SearchError::Index { path: path.to_owned(), source: e }
        }
    })?;
    let err = |source| SearchError::Index { path: path.to_owned(), source };
    let mut analyzer = analyzer();
    let empty = BTreeMap::new();
    let old_pages = old.map_or(&empty, |o| &o.state.pages);
    if old.is_none() {
        writer.delete_all_documents().map_err(err)?;
    }
    for graph in old_pages.keys().filter(|g| !state.pages.contains_key(*g)) {
        writer.delete_term(tantivy::Term::from_field_text(fields.graph, graph));
        report.pages_removed += 1;
    }
    for (graph, fp) in &state.pages {
        if old.is_some() && old_pages.get(graph) == Some(fp) {
            continue;
        }
        if old.is_some() {
            writer.delete_term(tantivy::Term::from_field_text(fields.graph, graph));
        }
        let graph = NamedNode::new_unchecked(graph.clone());
        report.documents += add_graph(&writer, fields, &mut analyzer, store, graph.as_ref(), HitKind::Page, path)?;
        report.pages_indexed += 1;
    }
    if old.is_none_or(|o| o.state.terms != state.terms) {
        let terms = store.namespace().terms_graph();
        if old.is_some() {
            writer.delete_term(tantivy::Term::from_field_text(fields.graph, terms.as_str()));
        }
        report.documents += add_graph(&writer, fields, &mut analyzer, store, terms.as_ref(), HitKind::Condition, path)?;
        report.conditions_indexed = true;
    }
    let payload = Payload { format: INDEX_FORMAT, fingerprint: state.fingerprint(), state: state.clone() };
    let payload =
        serde_json::to_string(&payload).map_err(|e| SearchError::Io { path: path.to_owned(), source: e.into() })?;
    let mut prepared = writer.prepare_commit().map_err(err)?;
    prepared.set_payload(&payload);
    prepared.commit().map_err(err)?;
    writer.wait_merging_threads().map_err(err)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The file in the index directory naming the store files of the last successful check, with the fingerprint it
/// checked: `<files hash> <fingerprint>`.
const CHECKED: &str = "gardkg-checked-store";

/// A hash of the store directory's files: names, sizes and modification times, RocksDB's info logs and lock file
/// aside. `None` when the directory cannot be listed.
fn store_files(store_path: &Path) -> Option<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(store_path).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "LOCK" || name.starts_with("LOG") {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        files.push(format!("{name} {} {modified}", meta.len()));
    }
    files.sort();
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    Some(short_hash(&files))
}

/// The store files of the last successful check, if it checked `fingerprint`.
fn checked_files(index: &Path, fingerprint: &str) -> Option<String> {
    let text = std::fs::read_to_string(index.join(CHECKED)).ok()?;
    let (files, checked) = text.trim().split_once(' ')?;
    (checked == fingerprint).then(|| files.to_owned())
}

/// Records a successful check (written to a temporary file, then renamed over the old record).
fn remember_files(index: &Path, files: &str, fingerprint: &str) -> std::io::Result<()> {
    let temporary = index.join(format!("{CHECKED}.{}", std::process::id()));
    std::fs::write(&temporary, format!("{files} {fingerprint}\n"))?;
    std::fs::rename(&temporary, index.join(CHECKED))
}

/// `<index>.<what>`: where a rebuild writes before moving into place.
fn sibling(path: &Path, what: &str) -> PathBuf {
    let mut name = path.file_name().map_or_else(|| OsString::from("search"), OsString::from);
    name.push(format!(".{what}"));
    path.with_file_name(name)
}

/// Refuses to replace a directory that gardkg did not write.
fn check_ours(path: &Path) -> Result<(), SearchError> {
    if !path.exists() {
        return Ok(());
    }
    if !path.is_dir() {
        return Err(SearchError::Foreign(path.to_owned()));
    }
    let entries = std::fs::read_dir(path).map_err(|source| SearchError::Io { path: path.to_owned(), source })?;
    let mut empty = true;
    for entry in entries {
        let entry = entry.map_err(|source| SearchError::Io { path: path.to_owned(), source })?;
        empty = false;
        if entry.file_name() == "meta.json" {
            return Ok(());
        }
    }
    if empty { Ok(()) } else { Err(SearchError::Foreign(path.to_owned())) }
}

fn remove_dir(path: &Path) -> Result<(), SearchError> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(SearchError::Io { path: path.to_owned(), source: e }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{GraphName, Literal, Quad};

    use super::*;
    use crate::model::vocab::PageKey;

    /// A disease page as the store holds it: the disease with its names and identifiers in its page graph, the
    /// page node with its source hash, and the graph's line in the metadata graph.
    fn add_page(store: &GraphStore, gard: u32, label: &str, synonyms: &[&str], ids: &[&str], source: &str) {
        let ns = store.namespace().clone();
        let key = PageKey::Gard(gard);
        let graph = ns.page_graph(&key);
        let g = GraphName::NamedNode(graph.clone());
        let disease = vocab::expand_curie(&vocab::gard_curie(gard)).unwrap();
        let mut quads = vec![
            Quad::new(disease.clone(), rdf::TYPE, biolink::DISEASE, g.clone()),
            Quad::new(disease.clone(), rdfs::LABEL, Literal::new_simple_literal(label), g.clone()),
            Quad::new(ns.page(&key), ns.iri("content_sha256"), Literal::new_simple_literal(source), g.clone()),
        ];
        for s in synonyms {
            quads.push(Quad::new(disease.clone(), biolink::SYNONYM, Literal::new_simple_literal(*s), g.clone()));
        }
        for id in ids {
            quads.push(Quad::new(disease.clone(), biolink::XREF, vocab::expand_curie(id).unwrap(), g.clone()));
        }
        let old: Vec<Quad> = store
            .oxigraph()
            .quads_for_pattern(Some(graph.as_ref().into()), None, None, Some(ns.meta_graph().as_ref().into()))
            .collect::<Result<_, _>>()
            .unwrap();
        for quad in old {
            store.oxigraph().remove(&quad).unwrap();
        }
        store.oxigraph().clear_graph(graph.as_ref()).unwrap();
        let count = Literal::from(i64::try_from(quads.len()).unwrap());
        quads.push(Quad::new(graph, void::TRIPLES, count, GraphName::NamedNode(ns.meta_graph())));
        store.oxigraph().extend(quads).unwrap();
    }

    fn add_condition(store: &GraphStore, curie: &str, label: &str) {
        let g = GraphName::NamedNode(store.namespace().terms_graph());
        let node = vocab::expand_curie(curie).unwrap();
        store
            .oxigraph()
            .extend([
                Quad::new(node.clone(), rdf::TYPE, biolink::DISEASE, g.clone()),
                Quad::new(node, rdfs::LABEL, Literal::new_simple_literal(label), g),
            ])
            .unwrap();
    }

    /// Three imaginary diseases (real identifiers, to test their spellings) and a condition node.
    fn fixture(store: &GraphStore) {
        add_page(
            store,
            12547,
            "Selective IgM deficiency",
            &["Selective immunoglobulin M deficiency", "SIgMD"],
            &["Orphanet:331235", "MONDO:0018039", "UMLS:C0154275"],
            "a",
        );
        add_page(store, 99999, "Kettle fever", &["Boiling water fever", "KTF"], &[], "b");
        add_page(
            store,
            1418,
            "CODAS syndrome",
            &["Cerebral ocular dental auricular skeletal syndrome"],
            &["OMIM:600373"],
            "c",
        );
        add_page(store, 8, "Selective IgA deficiency", &[], &[], "d");
        add_condition(store, "Orphanet:558", "Marfan syndrome");
        add_page(store, 6975, "Marfan syndrome", &[], &[], "e");
    }

    fn first(index: &SearchIndex, text: &str) -> Hit {
        index.search(text, 5).unwrap().into_iter().next().unwrap_or_else(|| panic!("nothing found for {text:?}"))
    }

    #[test]
    fn identifiers_are_found_in_every_spelling() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        let index = SearchIndex::in_memory(&store).unwrap();
        for text in [
            "GARD:0012547",
            "GARD:12547",
            "gard:12547",
            "12547",
            "0012547",
            "ORPHA:331235",
            "Orphanet:331235",
            "Orphanet_331235",
            "ORPHA: 331235",
            "331235",
            "MONDO:0018039",
            "MONDO_0018039",
            "C0154275",
            "UMLS:C0154275",
            "https://rarediseases.info.nih.gov/diseases/0012547",
            "http://www.orpha.net/ORDO/Orphanet_331235",
        ] {
            let hits = index.search(text, 5).unwrap();
            assert_eq!(hits.len(), 1, "{text}: {hits:?}");
            assert_eq!(hits[0].id, "GARD:0012547", "{text}");
            assert_eq!(hits[0].match_kind, MatchKind::Identifier, "{text}");
            assert_eq!(hits[0].label, "Selective IgM deficiency");
        }
        for text in ["OMIM:600373", "MIM:600373", "600373"] {
            let hit = first(&index, text);
            assert_eq!((hit.id.as_str(), hit.matched.as_str()), ("GARD:0001418", "OMIM:600373"), "{text}");
        }
        // A number that is no identifier finds nothing by identifier.
        assert!(index.search("331236", 5).unwrap().iter().all(|h| h.match_kind != MatchKind::Identifier));
    }

    #[test]
    fn typos_word_order_and_case_are_forgiven_and_exact_names_come_first() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        let index = SearchIndex::in_memory(&store).unwrap();
        let hit = first(&index, "selectve igm deficency");
        assert_eq!((hit.id.as_str(), hit.match_kind, hit.words_matched), ("GARD:0012547", MatchKind::Words, 3));
        let hit = first(&index, "deficiency IGM selective");
        assert_eq!((hit.id.as_str(), hit.match_kind), ("GARD:0012547", MatchKind::SameWords));
        let hit = first(&index, "SELECTIVE IGM DEFICIENCY");
        assert_eq!((hit.id.as_str(), hit.match_kind), ("GARD:0012547", MatchKind::ExactName));
        let hit = first(&index, "sigmd");
        assert_eq!((hit.id.as_str(), hit.matched.as_str()), ("GARD:0012547", "SIgMD"));
        assert_eq!(first(&index, "boiling watr fever").id, "GARD:0099999");
        assert_eq!(first(&index, "ketle").id, "GARD:0099999");
        // An unfinished last word is read as a prefix.
        assert_eq!(first(&index, "kettle fev").id, "GARD:0099999");
        // IgA is not IgM: three letters allow no typo.
        let hits = index.search("selective iga deficiency", 5).unwrap();
        assert_eq!(hits[0].id, "GARD:0000008");
        assert_eq!(hits[0].match_kind, MatchKind::ExactName);
        // The same name on a page and on a condition node: the page first, both found.
        let hits = index.search("marfan syndrome", 5).unwrap();
        assert_eq!((hits[0].id.as_str(), hits[0].kind), ("GARD:0006975", HitKind::Page));
        assert_eq!((hits[1].id.as_str(), hits[1].kind), ("Orphanet:558", HitKind::Condition));
        assert_eq!(hits[1].match_kind, MatchKind::ExactName);
        // Nothing for nothing; the limit holds.
        assert!(index.search("   ", 5).unwrap().is_empty());
        assert!(index.search("syndrome", 0).unwrap().is_empty());
        assert_eq!(index.search("selective deficiency syndrome fever", 2).unwrap().len(), 2);
        assert!(index.search("zzzzqqq", 5).unwrap().is_empty());
    }

    #[test]
    fn an_identifier_comes_before_a_name_that_has_it_as_a_word() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        // A name that contains CODAS syndrome's OMIM number and Kettle fever's own words.
        add_page(&store, 7, "Kettle fever type 600373", &[], &[], "h");
        let index = SearchIndex::in_memory(&store).unwrap();
        let hits = index.search("600373", 5).unwrap();
        assert_eq!((hits[0].id.as_str(), hits[0].match_kind), ("GARD:0001418", MatchKind::Identifier));
        // The text is an identifier: the name that only shares the word is not offered beside it.
        assert_eq!(hits.len(), 1, "{hits:?}");
        // An exact name comes before a longer name with the same words first.
        let hits = index.search("kettle fever", 5).unwrap();
        assert_eq!((hits[0].id.as_str(), hits[0].match_kind), ("GARD:0099999", MatchKind::ExactName));
        assert_eq!((hits[1].id.as_str(), hits[1].match_kind), ("GARD:0000007", MatchKind::Words));
        // A name with more of the query's words comes before one with fewer, whatever their scores.
        let hits = index.search("kettle fever type", 5).unwrap();
        assert_eq!((hits[0].id.as_str(), hits[0].words_matched), ("GARD:0000007", 3));
        assert_eq!((hits[1].id.as_str(), hits[1].words_matched), ("GARD:0099999", 2));
    }

    #[test]
    fn query_syntax_and_markup_are_plain_text() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        add_page(&store, 9, "<script>alert(1)</script> fever", &["Fever \"quoted\" & <b>bold</b>"], &[], "i");
        let index = SearchIndex::in_memory(&store).unwrap();
        // tantivy's query language means nothing here: no error, no field or wildcard or boolean reading.
        for text in [
            "kettle AND fever",
            "label:kettle",
            "kettle*",
            "\"kettle fever\"",
            "(kettle) [fever] {x} ~2 ^3",
            "kettle\u{0}fever",
            "\u{202e}kettle fever",
        ] {
            let hits = index.search(text, 5).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(hits.first().map(|h| h.id.as_str()), Some("GARD:0099999"), "{text:?}: {hits:?}");
        }
        for text in ["\"\" :: ** ()", "\\ / : + - ! ? ' ` | &&"] {
            assert!(index.search(text, 5).unwrap().is_empty(), "{text:?}");
        }
        // Markup in a name is a name: found by its words, returned exactly as stored (callers escape it).
        let hit = first(&index, "script alert fever");
        assert_eq!((hit.id.as_str(), hit.label.as_str()), ("GARD:0000009", "<script>alert(1)</script> fever"));
        let hit = first(&index, "fever quoted bold");
        assert_eq!(hit.matched, "Fever \"quoted\" & <b>bold</b>");
        // A text longer than any name is cut, not refused.
        let long = "kettle fever ".repeat(1000);
        assert_eq!(first(&index, &long).id, "GARD:0099999");
    }

    /// The rows of a SELECT as `?var=value` cells, for comparison.
    fn rows(store: &GraphStore, query: &str, options: &crate::store::QueryOptions) -> Vec<String> {
        rows_bound(store, query, Vec::new(), options)
    }

    fn rows_bound(
        store: &GraphStore,
        query: &str,
        bindings: Vec<(Variable, Term)>,
        options: &crate::store::QueryOptions,
    ) -> Vec<String> {
        let oxigraph::sparql::QueryResults::Solutions(solutions) =
            store.query_with_options(query, bindings, options).unwrap_or_else(|e| panic!("{query}: {e}"))
        else {
            panic!("not a SELECT")
        };
        solutions
            .map(|s| {
                let s = s.unwrap();
                s.iter().map(|(v, t)| format!("{v}={t}")).collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    const SEARCH: &str = "PREFIX search: <https://w3id.org/gardkg/search/>\n\
                          PREFIX biolink: <https://w3id.org/biolink/vocab/>\n";

    #[test]
    fn the_search_service_joins_hits_with_the_store() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        let index = Arc::new(SearchIndex::in_memory(&store).unwrap());
        let service = SearchService::new(Arc::clone(&index));
        assert_eq!(service.iri().as_str(), "https://w3id.org/gardkg/search");
        let options = crate::store::QueryOptions { search: Some(service), ..Default::default() };

        // Hits joined with the store: the cross-references of the diseases found, in the order of the hits.
        let query = format!(
            "{SEARCH}SELECT ?rank ?disease ?xref WHERE {{
               SERVICE <https://w3id.org/gardkg/search> {{
                 ?disease search:query \"selectve igm deficency\" ; search:rank ?rank .
               }}
               ?disease biolink:xref ?xref .
             }} ORDER BY ?rank ?xref"
        );
        let got = rows(&store, &query, &options);
        let igm = "?disease=<https://rarediseases.info.nih.gov/diseases/0012547>";
        let one = "?rank=\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>";
        assert_eq!(
            got,
            [
                format!("{one} {igm} ?xref=<http://identifiers.org/umls/C0154275>"),
                format!("{one} {igm} ?xref=<http://purl.obolibrary.org/obo/MONDO_0018039>"),
                format!("{one} {igm} ?xref=<http://www.orpha.net/ORDO/Orphanet_331235>"),
            ],
            "Selective IgA deficiency (rank 2) has no xref, so the join drops it"
        );

        // Every output, a constant that filters (only condition nodes), and the limit.
        let query = format!(
            "{SEARCH}SELECT * WHERE {{ SERVICE <https://w3id.org/gardkg/search> {{
               ?d search:query \"marfan syndrome\" ; search:limit 5 ; search:kind \"condition\" ; search:rank ?r ;
                  search:score ?s ; search:matched ?m ; search:match ?k ; search:label ?l ; search:id ?id . }} }}"
        );
        let got = rows(&store, &query, &options);
        assert_eq!(got.len(), 1, "{got:?}");
        for cell in [
            "?d=<http://www.orpha.net/ORDO/Orphanet_558>",
            "?r=\"2\"^^<http://www.w3.org/2001/XMLSchema#integer>",
            "?m=\"Marfan syndrome\"",
            "?k=\"exact-name\"",
            "?l=\"Marfan syndrome\"",
            "?id=\"Orphanet:558\"",
            "^^<http://www.w3.org/2001/XMLSchema#double>",
        ] {
            assert!(got[0].contains(cell), "{cell} missing from {got:?}");
        }
        let query = format!(
            "{SEARCH}SELECT ?d WHERE {{ SERVICE <https://w3id.org/gardkg/search> {{
               ?d search:query \"selective deficiency\" ; search:limit 1 }} }}"
        );
        assert_eq!(rows(&store, &query, &options).len(), 1);

        // Inside FILTER EXISTS the call is made while the query runs (by the handler), once per candidate.
        let query = format!(
            "{SEARCH}SELECT ?d WHERE {{ GRAPH ?g {{ ?d a biolink:Disease }}
               FILTER EXISTS {{ SERVICE <https://w3id.org/gardkg/search> {{ ?d search:query \"ketle\" }} }} }}"
        );
        assert_eq!(rows(&store, &query, &options), ["?d=<https://rarediseases.info.nih.gov/diseases/0099999>"]);

        // A caller's bound parameter reaches the pattern, as a term (the canned find-disease takes --bind q=…).
        let canned = crate::queries::get("find-disease").unwrap().text;
        let q = (Variable::new("q").unwrap(), Term::from(Literal::new_simple_literal("ORPHA:331235")));
        let got = rows_bound(&store, canned, vec![q], &options);
        assert!(got[0].starts_with(igm) && got[0].contains("?match=\"identifier\""), "{got:?}");
        // Also when the query does not project the variable.
        let query = format!(
            "{SEARCH}SELECT ?d WHERE {{ SERVICE <https://w3id.org/gardkg/search> {{ ?d search:query ?text ; search:limit 1 }} }}"
        );
        let text = (Variable::new("text").unwrap(), Term::from(Literal::new_simple_literal("codas")));
        assert_eq!(
            rows_bound(&store, &query, vec![text], &options),
            ["?d=<https://rarediseases.info.nih.gov/diseases/0001418>"]
        );
        let quote = (Variable::new("q").unwrap(), Term::from(Literal::new_simple_literal("\"} } DROP ALL #")));
        assert!(rows_bound(&store, canned, vec![quote], &options).is_empty());

        // The service is local: allowed with an empty allow-list, which still refuses every other SERVICE.
        let other = "SELECT * WHERE { SERVICE <http://169.254.169.254/sparql> { ?s ?p ?o } }";
        let oxigraph::sparql::QueryResults::Solutions(mut solutions) =
            store.query_with_options(other, Vec::new(), &options).unwrap()
        else {
            panic!("not a SELECT")
        };
        let err = solutions.next().expect("a row or an error").expect_err("refused").to_string();
        assert!(err.contains("refused: the endpoint is not on the allow-list"), "{err}");
    }

    #[test]
    fn a_malformed_search_service_call_says_what_is_wrong() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        let index = Arc::new(SearchIndex::in_memory(&store).unwrap());
        let options = crate::store::QueryOptions { search: Some(SearchService::new(index)), ..Default::default() };
        let fails = |pattern: &str, expected: &str| {
            let query =
                format!("{SEARCH}SELECT * WHERE {{ SERVICE <https://w3id.org/gardkg/search> {{ {pattern} }} }}");
            let Err(err) = store.query_with_options(&query, Vec::new(), &options) else {
                panic!("{pattern}: no error")
            };
            let message = err.to_string();
            assert!(message.contains("SERVICE <https://w3id.org/gardkg/search>"), "{message}");
            assert!(message.contains(expected), "{pattern}: {message}");
        };
        fails("?d search:rank ?r", "no search:query");
        fails("?d search:query ?q", "must be a literal");
        fails("?d search:query \"a\", \"b\"", "more than one search:query");
        fails("?d search:query \"kettle\" ; search:limit 0", "from 1 to 1000");
        fails("?d search:query \"kettle\" ; search:limit \"many\"", "from 1 to 1000");
        fails("?d search:query \"kettle\" ; search:rnk ?r", "unknown predicate <https://w3id.org/gardkg/search/rnk>");
        fails("?d search:query \"kettle\" . ?e search:rank ?r", "one subject");
        fails("?d search:query \"kettle\" FILTER(?d != ?d)", "a FILTER");
        fails("?d search:query \"kettle\" ; ?p ?o", "unknown predicate ?p");
        // SERVICE SILENT: one empty solution, as for any failed SERVICE.
        let query = format!(
            "{SEARCH}SELECT * WHERE {{ SERVICE SILENT <https://w3id.org/gardkg/search> {{ ?d search:rank ?r }} }}"
        );
        assert_eq!(rows(&store, &query, &options), [""]);
        // Without an index (an in-memory store queried directly), the call says so.
        let query = format!(
            "{SEARCH}SELECT * WHERE {{ SERVICE <https://w3id.org/gardkg/search> {{ ?d search:query \"kettle\" }} }}"
        );
        let err = store.query(&query).err().expect("no index").to_string();
        assert!(err.contains("no search index is open for this store"), "{err}");
        // The same variable in two places keeps the hits where both agree: a label that is the matched name.
        let query = format!(
            "{SEARCH}SELECT ?d WHERE {{ SERVICE <https://w3id.org/gardkg/search> {{
               ?d search:query \"selective immunoglobulin deficiency\" ; search:matched ?n ; search:label ?n }} }}"
        );
        let got = rows(&store, &query, &options);
        assert_eq!(got, ["?d=<https://rarediseases.info.nih.gov/diseases/0000008>"]);
    }

    #[test]
    fn kinds_are_named_alike_in_json_and_sparql() {
        for kind in [MatchKind::Identifier, MatchKind::ExactName, MatchKind::SameWords, MatchKind::Words] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
        for kind in [HitKind::Page, HitKind::Condition] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
    }

    #[test]
    fn identifier_keys_normalize_spellings() {
        assert_eq!(id_key("ORPHA: 0331235"), "orpha:331235");
        assert_eq!(id_key("GARD:0012547"), "gard:12547");
        assert_eq!(id_key("Orphanet_331235"), "orphanet:331235");
        assert_eq!(id_key("0012547"), "12547");
        assert_eq!(id_key("C0154275"), "c0154275");
        assert_eq!(id_key("GARD:0000000"), "gard:0");
        let keys = id_keys("http://www.orpha.net/ORDO/Orphanet_331235");
        for k in ["orphanet:331235", "orpha:331235", "331235", "http://www.orpha.net/ordo/orphanet_331235"] {
            assert!(keys.contains(&k.to_owned()), "{k} missing from {keys:?}");
        }
        assert!(id_keys("http://identifiers.org/umls/C0154275").contains(&"c0154275".to_owned()));
    }

    #[test]
    fn the_index_lives_beside_the_store() {
        assert_eq!(index_path(Path::new("/data/gardkg/store")), Path::new("/data/gardkg/store.search"));
        assert_eq!(index_path(Path::new("/data/gardkg/store/")), Path::new("/data/gardkg/store.search"));
        assert_eq!(index_path(Path::new("relative")), Path::new("relative.search"));
    }

    #[test]
    fn the_state_sees_added_changed_and_removed_pages_and_conditions() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        fixture(&store);
        let before = StoreState::read(&store).unwrap();
        assert_eq!(before.pages.len(), 5);
        // Same triple count, another source: changed.
        add_page(&store, 99999, "Kettle fever", &["Boiling water fever", "KTF"], &[], "b2");
        let after = StoreState::read(&store).unwrap();
        assert_ne!(after.fingerprint(), before.fingerprint());
        assert_eq!(after.changes_since(&before), "1 page changed");
        add_page(&store, 4, "Imaginary disease", &[], &[], "f");
        add_condition(&store, "Orphanet:1652", "Dent disease");
        let again = StoreState::read(&store).unwrap();
        assert_eq!(again.changes_since(&after), "1 page added, the condition nodes changed");
        assert_eq!(after.changes_since(&again), "1 page removed, the condition nodes changed");
        assert_eq!(StoreState::read(&store).unwrap().fingerprint(), again.fingerprint());
    }

    #[test]
    fn a_stale_index_is_refused_and_a_refresh_reindexes_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store_path = dir.path().join("store");
        let store = GraphStore::open(&store_path, Namespace::default()).unwrap();
        fixture(&store);
        assert!(matches!(SearchIndex::open(&store, &store_path), Err(SearchError::Missing { .. })));
        let report = SearchIndex::refresh(&store, &store_path).unwrap();
        assert!(report.rebuilt && report.conditions_indexed);
        assert_eq!((report.pages, report.pages_indexed), (5, 5));
        let index = SearchIndex::open(&store, &store_path).unwrap();
        assert!(index.is_current(&store).unwrap());
        assert_eq!(first(&index, "kettle fever").id, "GARD:0099999");

        // An ingest the index missed: refused, with what changed and how to fix it.
        add_page(&store, 99999, "Kettle fever", &["Boiling water fever", "KTF", "Steam fever"], &[], "b2");
        assert!(!index.is_current(&store).unwrap());
        let err = SearchIndex::open(&store, &store_path).unwrap_err();
        assert!(matches!(err, SearchError::Stale { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("1 page changed") && message.contains("gardkg find --rebuild"), "{message}");

        let report = SearchIndex::refresh(&store, &store_path).unwrap();
        assert!(!report.rebuilt && !report.conditions_indexed);
        assert_eq!(report.pages_indexed, 1);
        let index = SearchIndex::open(&store, &store_path).unwrap();
        assert_eq!(first(&index, "steam fevr").id, "GARD:0099999");
        // The old documents of the page are gone, the others stay.
        assert_eq!(index.search("kettle fever", 10).unwrap().iter().filter(|h| h.id == "GARD:0099999").count(), 1);
        assert_eq!(first(&index, "codas").id, "GARD:0001418");
        // Nothing changed: nothing written.
        let report = SearchIndex::refresh(&store, &store_path).unwrap();
        assert_eq!((report.pages_indexed, report.documents), (0, 0));
    }

    #[test]
    fn open_for_checks_the_store_once_then_trusts_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let store_path = dir.path().join("store");
        {
            let store = GraphStore::open(&store_path, Namespace::default()).unwrap();
            fixture(&store);
            SearchIndex::rebuild(&store, &store_path).unwrap();
        }
        let index_dir = index_path(&store_path);
        assert!(!index_dir.join(CHECKED).exists());
        let index = SearchIndex::open_for(&store_path).unwrap();
        assert!(index_dir.join(CHECKED).exists(), "a successful check is remembered");
        assert_eq!(first(&index, "ORPHA:331235").id, "GARD:0012547");
        drop(index);
        assert!(SearchIndex::open_for(&store_path).is_ok());
        {
            let store = GraphStore::open(&store_path, Namespace::default()).unwrap();
            add_page(&store, 5, "Another imaginary disease", &[], &[], "g");
        }
        let err = SearchIndex::open_for(&store_path).unwrap_err();
        assert!(err.to_string().contains("1 page added"), "{err}");
        // A rebuild replaces the index whole.
        {
            let store = GraphStore::open_read_only(&store_path, Namespace::default()).unwrap();
            let report = SearchIndex::rebuild(&store, &store_path).unwrap();
            assert_eq!(report.pages, 6);
        }
        assert_eq!(first(&SearchIndex::open_for(&store_path).unwrap(), "another imaginary").id, "GARD:0000005");
    }

    #[test]
    fn a_directory_that_is_not_an_index_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store_path = dir.path().join("store");
        let store = GraphStore::open(&store_path, Namespace::default()).unwrap();
        fixture(&store);
        let index_dir = index_path(&store_path);
        std::fs::create_dir_all(&index_dir).unwrap();
        std::fs::write(index_dir.join("notes.txt"), "mine").unwrap();
        assert!(matches!(SearchIndex::rebuild(&store, &store_path), Err(SearchError::Foreign(_))));
        assert!(matches!(SearchIndex::refresh(&store, &store_path), Err(SearchError::Foreign(_))));
        assert_eq!(std::fs::read_to_string(index_dir.join("notes.txt")).unwrap(), "mine");
    }
}
