//! Ontologies in the store: the pinned HPO, MAxO and ECO the binary bundles, and any other ontology a user loads
//! (OBO, or any RDF syntax: Mondo or ORDO in OWL), each in its own named graph with its hierarchy's closure.
//!
//! - Graphs (MODELING.md): an ontology's triples go into the graph named by its ontology IRI
//!   (`http://purl.obolibrary.org/obo/hp.owl`), with its release as `owl:versionInfo`. OBO is mapped to RDF as the
//!   OBO-to-OWL mapping writes it ([`obo`]); RDF is loaded as it is.
//! - Closure: the reflexive transitive closure of `rdfs:subClassOf` between named classes is precomputed into
//!   `gardkg:graph/closure/<name>` as `gardkg:ancestor_or_self` triples (Monarch ships `*_closure` columns for the
//!   same reason: `rdfs:subClassOf*` inside a larger pattern is slow in Oxigraph), so "every disease with a
//!   phenotype under HP:0002715" is one join.
//! - Categories: terms of the bundled ontologies (and Mondo) get their Biolink category in the ontology's graph,
//!   once ([`categories`]); pages then describe no term themselves.
//! - Bookkeeping: each loaded ontology has a line in the metadata graph (`gardkg:ontology`, its version, source,
//!   triple and closure counts). It is written last, so an interrupted load has no line and is redone.

pub mod categories;
mod load;
pub mod obo;
pub mod terms;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

pub use load::{Changes, DEFAULT_MAX_DOWNLOAD, LoadOptions, OntologyInfo, ensure_bundled, list, load, refresh};

use crate::model::vocab::{self, Namespace};
use crate::store::StoreError;

/// Why an ontology could not be read or loaded.
#[derive(Debug, thiserror::Error)]
pub enum OntologyError {
    /// The OBO text is malformed.
    #[error("{}{reason}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Obo {
        /// The 1-based line, when known.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// The RDF is malformed or not an ontology gardkg can load.
    #[error("{0}")]
    Rdf(String),
    /// The input could not be read.
    #[error("{location}: {reason}")]
    Input {
        /// The file or URL.
        location: String,
        /// What went wrong.
        reason: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<oxigraph::store::StorageError> for OntologyError {
    fn from(e: oxigraph::store::StorageError) -> Self {
        Self::Store(e.into())
    }
}

impl From<oxigraph::store::LoaderError> for OntologyError {
    fn from(e: oxigraph::store::LoaderError) -> Self {
        match e {
            oxigraph::store::LoaderError::Storage(e) => e.into(),
            other => Self::Rdf(other.to_string()),
        }
    }
}

/// What identifies a loaded ontology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The ontology IRI, also the name of its graph.
    pub iri: NamedNode,
    /// A short name for graph names and listings (`hp`, `maxo`, `mondo`).
    pub name: String,
    /// The release (`owl:versionInfo`, or an OBO `data-version`).
    pub version: Option<String>,
}

/// An ontology the binary bundles (vendored under `ontology/` with its licence note and refresh script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundled {
    /// Human Phenotype Ontology.
    Hp,
    /// Medical Action Ontology (base edition).
    Maxo,
    /// Evidence and Conclusion Ontology.
    Eco,
}

impl Bundled {
    /// Every bundled ontology.
    pub const ALL: [Bundled; 3] = [Bundled::Hp, Bundled::Maxo, Bundled::Eco];

    /// The short name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Hp => "hp",
            Self::Maxo => "maxo",
            Self::Eco => "eco",
        }
    }

    /// The vendored file.
    pub fn file(self) -> &'static str {
        match self {
            Self::Hp => "ontology/hp.obo.gz",
            Self::Maxo => "ontology/maxo.obo.gz",
            Self::Eco => "ontology/eco.obo.gz",
        }
    }

    /// The compressed OBO text compiled into the binary.
    pub fn gz(self) -> &'static [u8] {
        match self {
            Self::Hp => include_bytes!("../../ontology/hp.obo.gz"),
            Self::Maxo => include_bytes!("../../ontology/maxo.obo.gz"),
            Self::Eco => include_bytes!("../../ontology/eco.obo.gz"),
        }
    }

    /// Where `gardkg ontology refresh` fetches the newest release (the OBO Foundry PURLs).
    pub fn release_url(self) -> &'static str {
        match self {
            Self::Hp => "http://purl.obolibrary.org/obo/hp.obo",
            Self::Maxo => "http://purl.obolibrary.org/obo/maxo/maxo-base.obo",
            Self::Eco => "http://purl.obolibrary.org/obo/eco.obo",
        }
    }

    /// The pinned release (the `data-version` header line), read from the first lines only.
    pub fn release(self) -> String {
        self.header_value("data-version:").unwrap_or_default()
    }

    /// The ontology IRI (from the `ontology:` header line), which names its graph in the store.
    pub fn ontology_iri(self) -> Result<NamedNode, String> {
        let id = self.header_value("ontology:").ok_or_else(|| format!("{}: no `ontology:` header", self.file()))?;
        obo::ontology_iri(&id).map_err(|e| format!("{}: {e}", self.file()))
    }

    fn header_value(self, tag: &str) -> Option<String> {
        let reader = BufReader::new(flate2::read::GzDecoder::new(self.gz()));
        reader
            .lines()
            .take(60)
            .map_while(Result::ok)
            .take_while(|l| !l.starts_with('['))
            .find_map(|l| l.strip_prefix(tag).map(|v| v.trim().to_owned()))
    }

    /// The bundled ontology as RDF.
    pub fn read(self) -> Result<obo::OboTriples, OntologyError> {
        obo::read(BufReader::new(flate2::read::GzDecoder::new(self.gz())))
            .map_err(|e| OntologyError::Input { location: self.file().to_owned(), reason: e.to_string() })
    }
}

/// The closure graph of an ontology: `gardkg:graph/closure/hp`.
pub fn closure_graph(namespace: &Namespace, name: &str) -> NamedNode {
    namespace.iri(&format!("graph/closure/{}", vocab::slug(name)))
}

/// The reflexive transitive closure of the subclass edges `(child, parent)` over named classes: every
/// `(class, ancestor)` pair, each class its own ancestor. `classes` are classes without edges that still get their
/// reflexive pair. Cycles (equivalent classes stated both ways) are safe.
pub fn closure(
    edges: &[(NamedNode, NamedNode)],
    classes: impl IntoIterator<Item = NamedNode>,
) -> Vec<(NamedNode, NamedNode)> {
    let mut index: HashMap<NamedNode, usize> = HashMap::new();
    let mut nodes: Vec<NamedNode> = Vec::new();
    let id = |n: &NamedNode, index: &mut HashMap<NamedNode, usize>, nodes: &mut Vec<NamedNode>| -> usize {
        *index.entry(n.clone()).or_insert_with(|| {
            nodes.push(n.clone());
            nodes.len() - 1
        })
    };
    let mut parents: Vec<Vec<usize>> = Vec::new();
    for (child, parent) in edges {
        let (c, p) = (id(child, &mut index, &mut nodes), id(parent, &mut index, &mut nodes));
        parents.resize(nodes.len(), Vec::new());
        if c != p {
            parents[c].push(p);
        }
    }
    for class in classes {
        id(&class, &mut index, &mut nodes);
    }
    parents.resize(nodes.len(), Vec::new());
    let mut out = Vec::new();
    let mut seen = vec![usize::MAX; nodes.len()];
    for start in 0..nodes.len() {
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if seen[i] == start {
                continue;
            }
            seen[i] = start;
            out.push((nodes[start].clone(), nodes[i].clone()));
            stack.extend(&parents[i]);
        }
    }
    out
}

/// The intrinsic information content of every class from its closure pairs (Seco et al. 2004):
/// `1 - ln(descendants) / ln(classes)`, with a class its own descendant; 1 for a leaf, 0 for a class above all
/// others. It weighs shared ancestors in the `similar-diseases` query without depending on what was ingested.
pub fn information_content(pairs: &[(NamedNode, NamedNode)]) -> Vec<(NamedNode, f64)> {
    let mut descendants: HashMap<&NamedNode, u32> = HashMap::new();
    for (_, ancestor) in pairs {
        *descendants.entry(ancestor).or_default() += 1;
    }
    let classes = f64::from(u32::try_from(descendants.len()).unwrap_or(u32::MAX)).max(2.0);
    let mut out: Vec<(NamedNode, f64)> = descendants
        .into_iter()
        .map(|(class, n)| (class.clone(), (1.0 - f64::from(n).ln() / classes.ln()).max(0.0)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Named classes and their subclass edges among `triples` (restrictions on blank nodes are not classes here).
pub fn hierarchy(triples: &[Triple]) -> (Vec<(NamedNode, NamedNode)>, Vec<NamedNode>) {
    let mut edges = Vec::new();
    let mut classes = Vec::new();
    for t in triples {
        let NamedOrBlankNode::NamedNode(s) = &t.subject else { continue };
        match &t.object {
            Term::NamedNode(o) if t.predicate == vocab::rdfs::SUB_CLASS_OF => edges.push((s.clone(), o.clone())),
            Term::NamedNode(o) if t.predicate == vocab::rdf::TYPE && o.as_ref() == vocab::owl::CLASS => {
                classes.push(s.clone());
            }
            _ => {}
        }
    }
    (edges, classes)
}

/// Whether text looks like an ontology file (OBO, RDF/XML, OWL/XML, functional syntax, Turtle, N-Triples):
/// `gardkg ingest` refuses such input and points at `gardkg ontology load`.
pub fn looks_like_ontology(head: &str) -> Option<&'static str> {
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let lower: String = head.chars().take(4096).collect::<String>().to_ascii_lowercase();
    if lower.starts_with("format-version:") || lower.contains("\n[term]\n") || lower.starts_with("[term]") {
        return Some("OBO");
    }
    if lower.contains("<rdf:rdf") || lower.contains("xmlns:owl=") || lower.contains("<owl:ontology") {
        return Some("RDF/XML");
    }
    if lower.contains("<ontology xmlns=\"http://www.w3.org/2002/07/owl#\"") {
        return Some("OWL/XML");
    }
    if lower.starts_with("prefix(") || lower.starts_with("ontology(") {
        return Some("OWL functional syntax");
    }
    if lower.starts_with("@prefix") || lower.starts_with("@base") || lower.starts_with("prefix ") {
        return Some("Turtle");
    }
    let first = lower.lines().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).unwrap_or("");
    if first.starts_with("<http") && first.trim_end().ends_with('.') {
        return Some("N-Triples or N-Quads");
    }
    None
}

/// Reads everything from a reader into a string, for sniffing formats of small heads.
fn head_of(reader: &mut impl Read, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    reader.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> NamedNode {
        NamedNode::new(format!("http://example.org/{s}")).unwrap()
    }

    #[test]
    fn closure_is_reflexive_transitive_and_survives_cycles() {
        let edges = vec![(n("c"), n("b")), (n("b"), n("a")), (n("d"), n("b")), (n("x"), n("y")), (n("y"), n("x"))];
        let mut pairs: Vec<(String, String)> = closure(&edges, [n("lonely")])
            .into_iter()
            .map(|(c, a)| (c.as_str()[19..].to_owned(), a.as_str()[19..].to_owned()))
            .collect();
        pairs.sort();
        let expected: Vec<(String, String)> = [
            ("a", "a"),
            ("b", "a"),
            ("b", "b"),
            ("c", "a"),
            ("c", "b"),
            ("c", "c"),
            ("d", "a"),
            ("d", "b"),
            ("d", "d"),
            ("lonely", "lonely"),
            ("x", "x"),
            ("x", "y"),
            ("y", "x"),
            ("y", "y"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn information_content_is_one_at_leaves_and_zero_at_the_top() {
        let pairs = closure(&[(n("b"), n("a")), (n("c"), n("a"))], []);
        let ic: HashMap<String, f64> =
            information_content(&pairs).into_iter().map(|(c, v)| (c.as_str()[19..].to_owned(), v)).collect();
        assert!((ic["b"] - 1.0).abs() < 1e-9 && (ic["c"] - 1.0).abs() < 1e-9);
        assert!(ic["a"].abs() < 1e-9, "{ic:?}");
    }

    #[test]
    fn recognizes_ontology_files() {
        assert_eq!(looks_like_ontology("format-version: 1.2\nontology: hp\n"), Some("OBO"));
        assert_eq!(looks_like_ontology("<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:owl=\"x\">"), Some("RDF/XML"));
        assert_eq!(looks_like_ontology("@prefix owl: <http://www.w3.org/2002/07/owl#> ."), Some("Turtle"));
        assert_eq!(looks_like_ontology("<http://a> <http://b> <http://c> .\n"), Some("N-Triples or N-Quads"));
        assert_eq!(looks_like_ontology("Kettle fever\n\nKettle fever is a disease."), None);
        assert_eq!(looks_like_ontology("<?xml version=\"1.0\"?><Document id=\"1\"><Focus>x</Focus>"), None);
    }

    #[test]
    fn bundled_releases_are_read_from_the_headers() {
        assert_eq!(Bundled::Hp.release(), "hp/releases/2025-01-16");
        assert_eq!(Bundled::Maxo.release(), "maxo/releases/2024-07-29/maxo-base.owl");
        assert_eq!(Bundled::Eco.release(), "releases/2024-07-19");
    }
}
