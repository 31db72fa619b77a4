//! Loading ontologies into the store, listing them and refreshing them.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, Triple,
};

use super::{Bundled, Header, OntologyError, categories, closure, closure_graph, hierarchy, obo};
use crate::model::vocab::{dcterms, owl, rdf, rdfs, void};
use crate::source::fetch::{self, FetchLimits};
use crate::store::GraphStore;

/// The largest ontology file fetched from a URL by default (Mondo's OWL is about 250 MB).
pub const DEFAULT_MAX_DOWNLOAD: u64 = 2 * 1024 * 1024 * 1024;

/// What the store says about one loaded ontology (its line in the metadata graph).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OntologyInfo {
    /// The ontology IRI, which names its graph.
    pub iri: String,
    /// The short name (`hp`).
    pub name: String,
    /// The release, when the ontology states one.
    pub version: Option<String>,
    /// Where it was loaded from: `bundled:ontology/hp.obo.gz`, a file name or a URL.
    pub source: String,
    /// Triples in the ontology's graph.
    pub triples: u64,
    /// The graph holding the closure of its hierarchy.
    pub closure_graph: String,
    /// `(class, ancestor-or-self)` pairs in the closure.
    pub closure_pairs: u64,
    /// For a bundled ontology, the release the binary pins.
    pub pinned: Option<String>,
}

/// How to load a file or URL.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The format, when the extension and content do not say (`obo`, `ttl`, `owl`/`rdfxml`, `nt`, `jsonld`...).
    pub format: Option<String>,
    /// The short name for the closure graph and listings (default: from the ontology IRI).
    pub name: Option<String>,
    /// Limits for URLs.
    pub fetch: FetchLimits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            format: None,
            name: None,
            fetch: FetchLimits {
                max_body: DEFAULT_MAX_DOWNLOAD,
                timeout: std::time::Duration::from_secs(600),
                // An ontology's location is the user's choice (often a mirror on the local network), not a page's.
                allow_private: true,
                ..FetchLimits::default()
            },
        }
    }
}

/// What loading or refreshing changed in one ontology.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Changes {
    /// The ontology IRI.
    pub iri: String,
    /// The release before (`None` when it was not loaded).
    pub old_version: Option<String>,
    /// The release now.
    pub new_version: Option<String>,
    /// Classes that are new.
    pub added: usize,
    /// Classes that are gone.
    pub removed: usize,
    /// Classes that became obsolete (`owl:deprecated true`).
    pub obsoleted: usize,
    /// Classes whose label changed.
    pub relabelled: usize,
    /// Triples now in the ontology's graph.
    pub triples: u64,
    /// Closure pairs now.
    pub closure_pairs: u64,
    /// Whether the graph was written (false when the same release was already loaded and nothing was forced).
    pub written: bool,
    /// What the reader had to repair or leave out (an invalid OBO stanza).
    pub warnings: Vec<String>,
}

/// The metadata-graph properties of an ontology line, in the project's namespace.
struct MetaTerms {
    ontology: NamedNode,
    name: NamedNode,
    closure_graph: NamedNode,
    closure_pairs: NamedNode,
    pinned: NamedNode,
}

impl MetaTerms {
    fn new(store: &GraphStore) -> Self {
        let ns = store.namespace();
        Self {
            ontology: ns.iri("ontology"),
            name: ns.iri("ontology_name"),
            closure_graph: ns.iri("closure_graph"),
            closure_pairs: ns.iri("closure_pairs"),
            pinned: ns.iri("pinned_release"),
        }
    }
}

/// Loads the bundled HPO, MAxO and ECO into a store that lacks them, or whose copy was loaded for another pinned
/// release; returns the ones written. A store created by `gardkg ingest` gets them this way.
pub fn ensure_bundled(store: &GraphStore) -> Result<Vec<Changes>, OntologyError> {
    let loaded = list(store)?;
    let mut written = Vec::new();
    for bundled in Bundled::ALL {
        let pinned = bundled.release();
        let current = loaded.iter().find(|o| o.source == bundled_source(bundled));
        if current.is_some_and(|o| o.pinned.as_deref() == Some(pinned.as_str())) {
            continue;
        }
        let doc = bundled.read()?;
        written.push(write_obo(store, doc, &bundled_source(bundled), Some(&pinned))?);
    }
    Ok(written)
}

fn bundled_source(bundled: Bundled) -> String {
    format!("bundled:{}", bundled.file())
}

/// Loads an ontology from a file or an `http(s)` URL into its own graph (replacing an earlier copy), with its
/// closure and categories.
pub fn load(store: &GraphStore, location: &str, options: &LoadOptions) -> Result<Changes, OntologyError> {
    let (path, _download) = local_copy(location, &options.fetch)?;
    let format = detect_format(&path, location, options.format.as_deref())?;
    match format {
        Format::Obo => {
            let reader = open(&path, location)?;
            let mut doc = obo::read(BufReader::new(reader))
                .map_err(|e| OntologyError::Input { location: location.to_owned(), reason: e.to_string() })?;
            if let Some(name) = &options.name {
                doc.header.name.clone_from(name);
            }
            write_obo(store, doc, location, None)
        }
        Format::Rdf(format) => write_rdf(store, &path, location, format, options.name.as_deref()),
    }
}

/// Fetches the newest release of every loaded ontology that came from a URL or is bundled (from its OBO
/// Foundry PURL), and reloads those whose release changed. Returns what changed.
pub fn refresh(store: &GraphStore, options: &LoadOptions, only: &[String]) -> Result<Vec<Changes>, OntologyError> {
    let mut out = Vec::new();
    for info in list(store)? {
        if !only.is_empty() && !only.iter().any(|o| *o == info.name || *o == info.iri) {
            continue;
        }
        let url = match Bundled::ALL.iter().find(|b| bundled_source(**b) == info.source) {
            Some(b) => b.release_url().to_owned(),
            None if info.source.starts_with("http://") || info.source.starts_with("https://") => info.source.clone(),
            None => continue,
        };
        let (path, _download) = local_copy(&url, &options.fetch)?;
        let format = detect_format(&path, &url, None)?;
        let version = match format {
            Format::Obo => obo_version(&path, &url)?,
            Format::Rdf(format) => scan_rdf(&path, &url, format)?.header.version,
        };
        if version.is_some() && version == info.version {
            out.push(Changes {
                iri: info.iri,
                old_version: info.version.clone(),
                new_version: version,
                triples: info.triples,
                closure_pairs: info.closure_pairs,
                ..Changes::default()
            });
            continue;
        }
        let mut changes = match format {
            Format::Obo => {
                let mut doc = obo::read(BufReader::new(open(&path, &url)?))
                    .map_err(|e| OntologyError::Input { location: url.clone(), reason: e.to_string() })?;
                doc.header.name.clone_from(&info.name);
                // A bundled ontology keeps its pinned mark: the next gardkg release, not this refresh, changes it.
                write_obo(store, doc, &info.source, info.pinned.as_deref())?
            }
            Format::Rdf(format) => write_rdf(store, &path, &url, format, Some(&info.name))?,
        };
        changes.old_version.clone_from(&info.version);
        out.push(changes);
    }
    Ok(out)
}

/// Every ontology with a line in the metadata graph, sorted by name.
pub fn list(store: &GraphStore) -> Result<Vec<OntologyInfo>, OntologyError> {
    let terms = MetaTerms::new(store);
    let meta = store.namespace().meta_graph();
    let meta_ref = GraphNameRef::NamedNode(meta.as_ref());
    let ox = store.oxigraph();
    let mut out = Vec::new();
    for quad in ox.quads_for_pattern(None, Some(terms.ontology.as_ref()), None, Some(meta_ref)) {
        let Term::NamedNode(iri) = quad?.object else { continue };
        let mut values: HashMap<NamedNode, Term> = HashMap::new();
        for q in ox.quads_for_pattern(Some(iri.as_ref().into()), None, None, Some(meta_ref)) {
            let q = q?;
            values.insert(q.predicate, q.object);
        }
        let text = |p: NamedNodeRef<'_>| match values.get(&p.into_owned()) {
            Some(Term::Literal(l)) => Some(l.value().to_owned()),
            Some(Term::NamedNode(n)) => Some(n.as_str().to_owned()),
            _ => None,
        };
        let number = |p: NamedNodeRef<'_>| text(p).and_then(|v| v.parse().ok()).unwrap_or(0);
        out.push(OntologyInfo {
            name: text(terms.name.as_ref()).unwrap_or_default(),
            version: text(dcterms::HAS_VERSION),
            source: text(dcterms::SOURCE).unwrap_or_default(),
            triples: number(void::TRIPLES),
            closure_graph: text(terms.closure_graph.as_ref()).unwrap_or_default(),
            closure_pairs: number(terms.closure_pairs.as_ref()),
            pinned: text(terms.pinned.as_ref()),
            iri: iri.as_str().to_owned(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.iri.cmp(&b.iri)));
    Ok(out)
}

/// The classes of an ontology and what a refresh compares: label and obsolescence.
#[derive(Default)]
struct ClassSummary {
    classes: HashMap<NamedNode, (Option<String>, bool)>,
}

impl ClassSummary {
    fn add(&mut self, t: &Triple) {
        let NamedOrBlankNode::NamedNode(s) = &t.subject else { return };
        if t.predicate == rdf::TYPE && t.object == Term::NamedNode(owl::CLASS.into_owned()) {
            self.classes.entry(s.clone()).or_default();
        } else if t.predicate == rdfs::LABEL {
            if let Term::Literal(l) = &t.object {
                self.classes.entry(s.clone()).or_default().0 = Some(l.value().to_owned());
            }
        } else if t.predicate == owl::DEPRECATED && matches!(&t.object, Term::Literal(l) if l.value() == "true") {
            self.classes.entry(s.clone()).or_default().1 = true;
        }
    }

    fn of_graph(store: &GraphStore, graph: &NamedNode) -> Result<Self, OntologyError> {
        let mut summary = Self::default();
        let g = GraphNameRef::NamedNode(graph.as_ref());
        for p in [rdf::TYPE, rdfs::LABEL, owl::DEPRECATED] {
            for q in store.oxigraph().quads_for_pattern(None, Some(p), None, Some(g)) {
                let q = q?;
                summary.add(&Triple::new(q.subject, q.predicate, q.object));
            }
        }
        // Label-only subjects of another kind (the ontology node) are not classes.
        summary.classes.retain(|_, (label, _)| label.is_some());
        Ok(summary)
    }

    fn compare(&self, new: &Self, changes: &mut Changes) {
        for (class, (label, obsolete)) in &new.classes {
            match self.classes.get(class) {
                None => changes.added += 1,
                Some((old_label, old_obsolete)) => {
                    changes.obsoleted += usize::from(*obsolete && !old_obsolete);
                    changes.relabelled += usize::from(old_label != label);
                }
            }
        }
        changes.removed = self.classes.keys().filter(|c| !new.classes.contains_key(*c)).count();
    }
}

/// Writes an OBO document's triples into the ontology's graph, then the closure and the metadata line.
fn write_obo(
    store: &GraphStore,
    doc: obo::OboTriples,
    source: &str,
    pinned: Option<&str>,
) -> Result<Changes, OntologyError> {
    let old = ClassSummary::of_graph(store, &doc.header.iri)?;
    let mut new = ClassSummary::default();
    doc.triples.iter().for_each(|t| new.add(t));
    new.classes.retain(|_, (label, _)| label.is_some());
    let (edges, classes) = hierarchy(&doc.triples);
    let graph = GraphName::NamedNode(doc.header.iri.clone());
    let quads = doc.triples.into_iter().map(|t| t.in_graph(graph.clone()));
    let mut changes = write(store, &doc.header, quads, (&edges, classes), source, pinned)?;
    old.compare(&new, &mut changes);
    changes.warnings = doc.warnings;
    Ok(changes)
}

/// Writes an RDF ontology file: pass 1 found its header and hierarchy, pass 2 streams its triples to the loader.
fn write_rdf(
    store: &GraphStore,
    path: &Path,
    location: &str,
    format: RdfFormat,
    name: Option<&str>,
) -> Result<Changes, OntologyError> {
    let mut scan = scan_rdf(path, location, format)?;
    if let Some(name) = name {
        name.clone_into(&mut scan.header.name);
    }
    let old = ClassSummary::of_graph(store, &scan.header.iri)?;
    let graph = GraphName::NamedNode(scan.header.iri.clone());
    let parser = RdfParser::from_format(format).with_default_graph(graph).without_named_graphs();
    let reader = BufReader::new(open(path, location)?);
    let quads = parser
        .for_reader(reader)
        .map(|q| q.map_err(|e| OntologyError::Input { location: location.to_owned(), reason: e.to_string() }));
    let mut quads = quads.peekable();
    // The loader takes infallible quads here; a parse error stops the load and is reported after it.
    let mut failure = None;
    let mut count = 0u64;
    let iter = std::iter::from_fn(|| match quads.next()? {
        Ok(q) => {
            count += 1;
            Some(q)
        }
        Err(e) => {
            failure = Some(e);
            None
        }
    });
    let mut changes = write(store, &scan.header, iter, (&scan.edges, scan.classes), location, None)?;
    if let Some(e) = failure {
        return Err(e);
    }
    old.compare(&scan.summary, &mut changes);
    changes.triples = changes.triples.max(count);
    Ok(changes)
}

/// Replaces the ontology's graph and closure graph, then writes its metadata line last (an interrupted load has
/// none, so it is redone). `quads` are the ontology's own triples, already in its graph.
fn write(
    store: &GraphStore,
    header: &Header,
    quads: impl Iterator<Item = Quad>,
    (edges, classes): (&[(NamedNode, NamedNode)], Vec<NamedNode>),
    source: &str,
    pinned: Option<&str>,
) -> Result<Changes, OntologyError> {
    let ox = store.oxigraph();
    let terms = MetaTerms::new(store);
    let meta = GraphName::NamedNode(store.namespace().meta_graph());
    let previous = list(store)?.into_iter().find(|o| o.iri == header.iri.as_str());
    // The line goes first, so that a crash from here on leaves no line and the next run reloads.
    remove_line(store, &header.iri)?;
    if let Some(old) = previous.as_ref().and_then(|o| NamedNode::new(o.closure_graph.clone()).ok()) {
        ox.remove_named_graph(old.as_ref())?;
    }
    let old_version = previous.and_then(|o| o.version);
    let graph = GraphName::NamedNode(header.iri.clone());
    let closure_name = closure_graph(store.namespace(), &header.name);
    ox.clear_graph(GraphNameRef::NamedNode(header.iri.as_ref()))?;
    ox.clear_graph(GraphNameRef::NamedNode(closure_name.as_ref()))?;

    let pairs = closure(edges, classes);
    let category = categories::assign(&header.name, &pairs);
    let mut category_quads: Vec<Quad> = category
        .iter()
        .map(|(term, c)| Quad::new(term.clone(), crate::model::vocab::biolink::CATEGORY, *c, graph.clone()))
        .collect();
    category_quads.sort_by_cached_key(ToString::to_string);
    let closure_graph = GraphName::NamedNode(closure_name.clone());
    let ancestor = store.namespace().iri("ancestor_or_self");
    let information_content = store.namespace().iri("information_content");
    let ic_quads: Vec<Quad> = super::information_content(&pairs)
        .into_iter()
        .map(|(term, ic)| {
            let value = Literal::new_typed_literal(format!("{ic:.4}"), crate::model::vocab::xsd::DOUBLE);
            Quad::new(term, information_content.clone(), value, closure_graph.clone())
        })
        .collect();
    let closure_quads = pairs
        .iter()
        .map(|(c, a)| Quad::new(c.clone(), ancestor.clone(), a.clone(), closure_graph.clone()))
        .chain(ic_quads);

    let mut loader = ox.bulk_loader().with_max_memory_size_in_megabytes(256);
    loader.load_quads(quads.chain(category_quads.iter().cloned()).chain(closure_quads))?;
    loader.commit()?;

    let triples = store.graph_len(header.iri.as_ref())? as u64;
    let iri = &header.iri;
    let dataset = store.namespace().dataset();
    let mut line = vec![
        Quad::new(dataset, terms.ontology.clone(), iri.clone(), meta.clone()),
        Quad::new(iri.clone(), rdf::TYPE, void::DATASET, meta.clone()),
        Quad::new(iri.clone(), terms.name.clone(), Literal::new_simple_literal(&header.name), meta.clone()),
        Quad::new(iri.clone(), dcterms::SOURCE, Literal::new_simple_literal(source), meta.clone()),
        Quad::new(iri.clone(), void::TRIPLES, Literal::from(i64::try_from(triples).unwrap_or(i64::MAX)), meta.clone()),
        Quad::new(iri.clone(), terms.closure_graph.clone(), closure_name, meta.clone()),
        Quad::new(
            iri.clone(),
            terms.closure_pairs.clone(),
            Literal::from(i64::try_from(pairs.len()).unwrap_or(i64::MAX)),
            meta.clone(),
        ),
    ];
    if let Some(version) = &header.version {
        line.push(Quad::new(iri.clone(), dcterms::HAS_VERSION, Literal::new_simple_literal(version), meta.clone()));
    }
    if let Some(pinned) = pinned {
        line.push(Quad::new(iri.clone(), terms.pinned.clone(), Literal::new_simple_literal(pinned), meta));
    }
    let mut transaction = ox.start_transaction()?;
    transaction.extend(line.iter());
    transaction.commit()?;
    Ok(Changes {
        iri: iri.as_str().to_owned(),
        old_version,
        new_version: header.version.clone(),
        triples,
        closure_pairs: pairs.len() as u64,
        written: true,
        ..Changes::default()
    })
}

/// Removes an ontology's line from the metadata graph.
fn remove_line(store: &GraphStore, iri: &NamedNode) -> Result<(), OntologyError> {
    let meta = store.namespace().meta_graph();
    let meta_ref = GraphNameRef::NamedNode(meta.as_ref());
    let ox = store.oxigraph();
    let mut transaction = ox.start_transaction()?;
    let old: Vec<Quad> = transaction
        .quads_for_pattern(Some(iri.as_ref().into()), None, None, Some(meta_ref))
        .chain(transaction.quads_for_pattern(None, None, Some(iri.as_ref().into()), Some(meta_ref)))
        .collect::<Result<_, _>>()?;
    for quad in &old {
        transaction.remove(quad);
    }
    transaction.commit()?;
    Ok(())
}

/// An input's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Obo,
    Rdf(RdfFormat),
}

/// The format from `--format`, else the file name (`.gz` aside), else the content.
fn detect_format(path: &Path, location: &str, forced: Option<&str>) -> Result<Format, OntologyError> {
    let unsupported = |what: &str| OntologyError::Input {
        location: location.to_owned(),
        reason: format!(
            "{what}: gardkg loads OBO and RDF syntaxes (RDF/XML, Turtle, N-Triples, N-Quads, TriG, JSON-LD); convert \
             OWL/XML or functional syntax with ROBOT (`robot convert --format owl`)"
        ),
    };
    if let Some(name) = forced {
        if name.eq_ignore_ascii_case("obo") {
            return Ok(Format::Obo);
        }
        return crate::export::rdf::format_from_name(name)
            .map(Format::Rdf)
            .ok_or_else(|| unsupported(&format!("unknown format {name:?}")));
    }
    let file_name = location.rsplit('/').next().unwrap_or(location).split(['?', '#']).next().unwrap_or_default();
    let file_name = file_name.strip_suffix(".gz").unwrap_or(file_name).to_ascii_lowercase();
    if Path::new(&file_name).extension().is_some_and(|e| e.eq_ignore_ascii_case("obo")) {
        return Ok(Format::Obo);
    }
    let head = super::head_of(&mut open(path, location)?, 4096)
        .map_err(|e| OntologyError::Input { location: location.to_owned(), reason: e.to_string() })?;
    let head = String::from_utf8_lossy(&head);
    match super::looks_like_ontology(&head) {
        Some("OBO") => return Ok(Format::Obo),
        Some(what @ ("OWL/XML" | "OWL functional syntax")) => return Err(unsupported(what)),
        _ => {}
    }
    if let Some(format) =
        Path::new(&file_name).extension().and_then(|e| e.to_str()).and_then(crate::export::rdf::format_from_name)
    {
        return Ok(Format::Rdf(format));
    }
    match super::looks_like_ontology(&head) {
        Some("RDF/XML") => Ok(Format::Rdf(RdfFormat::RdfXml)),
        Some("Turtle") => Ok(Format::Rdf(RdfFormat::Turtle)),
        Some(_) => Ok(Format::Rdf(RdfFormat::NQuads)),
        None => Err(unsupported("cannot tell the format from the name or the content; pass --format")),
    }
}

/// What pass 1 over an RDF file finds.
struct RdfScan {
    header: Header,
    edges: Vec<(NamedNode, NamedNode)>,
    classes: Vec<NamedNode>,
    summary: ClassSummary,
}

/// Pass 1 over an RDF ontology: its `owl:Ontology` node (the graph name), release, classes and hierarchy.
fn scan_rdf(path: &Path, location: &str, format: RdfFormat) -> Result<RdfScan, OntologyError> {
    let error = |reason: String| OntologyError::Input { location: location.to_owned(), reason };
    let parser = RdfParser::from_format(format).without_named_graphs();
    let mut iri: Option<NamedNode> = None;
    let mut versions: BTreeMap<NamedNode, String> = BTreeMap::new();
    let mut edges = Vec::new();
    let mut classes = Vec::new();
    let mut summary = ClassSummary::default();
    for quad in parser.for_reader(BufReader::new(open(path, location)?)) {
        let quad = quad.map_err(|e| error(e.to_string()))?;
        let triple = Triple::new(quad.subject, quad.predicate, quad.object);
        summary.add(&triple);
        let NamedOrBlankNode::NamedNode(s) = &triple.subject else { continue };
        match &triple.object {
            Term::NamedNode(o) if triple.predicate == rdfs::SUB_CLASS_OF => edges.push((s.clone(), o.clone())),
            Term::NamedNode(o) if triple.predicate == rdf::TYPE && o.as_ref() == owl::ONTOLOGY => {
                iri.get_or_insert_with(|| s.clone());
            }
            Term::NamedNode(o) if triple.predicate == rdf::TYPE && o.as_ref() == owl::CLASS => classes.push(s.clone()),
            Term::Literal(l) if triple.predicate == owl::VERSION_INFO => {
                versions.insert(s.clone(), l.value().to_owned());
            }
            Term::NamedNode(o) if triple.predicate == owl::VERSION_IRI => {
                versions.entry(s.clone()).or_insert_with(|| o.as_str().to_owned());
            }
            _ => {}
        }
    }
    let iri = iri.ok_or_else(|| error("no owl:Ontology node: the graph would have no name".into()))?;
    summary.classes.retain(|_, (label, _)| label.is_some());
    let version = versions.get(&iri).cloned();
    let name = short_name(&iri);
    Ok(RdfScan { header: Header { iri, name, version }, edges, classes, summary })
}

/// A short name from an ontology IRI: `http://purl.obolibrary.org/obo/mondo.owl` -> `mondo`,
/// `…/obo/maxo/maxo-base.owl` -> `maxo`, `http://www.orpha.net/ontology/orphanet.owl` -> `orphanet`.
fn short_name(iri: &NamedNode) -> String {
    let iri = iri.as_str().trim_end_matches(['/', '#']);
    let segment = match iri.strip_prefix(super::obo::OBO_PURL) {
        Some(rest) => rest.split('/').next().unwrap_or(rest),
        None => iri.rsplit('/').next().unwrap_or(iri),
    };
    crate::model::vocab::slug(segment.strip_suffix(".owl").unwrap_or(segment))
}

/// The `data-version` of an OBO file, from its header lines.
fn obo_version(path: &Path, location: &str) -> Result<Option<String>, OntologyError> {
    use std::io::BufRead;
    let reader = BufReader::new(open(path, location)?);
    Ok(reader
        .lines()
        .take(100)
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("data-version:").map(|v| v.trim().to_owned())))
}

/// Opens a file, decompressing `.gz` (by name or magic bytes).
fn open(path: &Path, location: &str) -> Result<Box<dyn Read>, OntologyError> {
    let error = |e: std::io::Error| OntologyError::Input { location: location.to_owned(), reason: e.to_string() };
    let mut file = File::open(path).map_err(error)?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(error)?;
    let file = File::open(path).map_err(error)?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Ok(Box::new(file))
    }
}

/// A local path for the input: the file itself, or a download to a temporary file (kept alive by the handle).
fn local_copy(
    location: &str,
    limits: &FetchLimits,
) -> Result<(PathBuf, Option<tempfile::NamedTempFile>), OntologyError> {
    if !(location.starts_with("http://") || location.starts_with("https://")) {
        let path = PathBuf::from(location);
        if !path.is_file() {
            return Err(OntologyError::Input { location: location.to_owned(), reason: "no such file".into() });
        }
        return Ok((path, None));
    }
    let error = |reason: String| OntologyError::Input { location: location.to_owned(), reason };
    let client = fetch::client(limits).map_err(&error)?;
    let response = client.get(location).send().map_err(|e| error(fetch::describe(&e)))?;
    if !response.status().is_success() {
        return Err(error(format!("the server answered HTTP {}", response.status())));
    }
    let cap = limits.max_body;
    if let Some(length) = response.content_length().filter(|&l| l > cap) {
        return Err(error(format!("the body is {length} bytes, more than the {cap}-byte limit (--max-bytes)")));
    }
    let mut file = tempfile::NamedTempFile::new().map_err(|e| error(e.to_string()))?;
    let copied = std::io::copy(&mut response.take(cap.saturating_add(1)), file.as_file_mut())
        .map_err(|e| error(format!("reading the body failed: {}", fetch::chain(&e))))?;
    if copied > cap {
        return Err(error(format!("the body is larger than the {cap}-byte limit (--max-bytes)")));
    }
    file.as_file_mut().flush().map_err(|e| error(e.to_string()))?;
    Ok((file.path().to_owned(), Some(file)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_from_ontology_iris() {
        let n = |s: &str| NamedNode::new(s).unwrap();
        assert_eq!(short_name(&n("http://purl.obolibrary.org/obo/mondo.owl")), "mondo");
        assert_eq!(short_name(&n("http://purl.obolibrary.org/obo/maxo/maxo-base.owl")), "maxo");
        assert_eq!(short_name(&n("http://www.orpha.net/ontology/orphanet.owl")), "orphanet");
    }
}
