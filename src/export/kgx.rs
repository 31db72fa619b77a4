//! KGX, the node and edge tables Monarch and the Translator tools exchange (`nodes.tsv` + `edges.tsv`, or the JSON
//! Lines form).
//!
//! One edge per reified association, its IRI as the edge `id`, never merged with another association of the same
//! subject, predicate and object (KGX's own RDF reader merges those and glues their qualifiers). Identifiers are
//! CURIEs by Biolink's prefix map where it has the namespace (Orphanet IRIs are `ORDO:Orphanet_331235` there) and by
//! the project's context otherwise (`GARD:`, `gardkg:`; declared in `ontology/context.jsonld`). A predicate of the
//! project's own (an aspect C, M or H annotation) is written as the Biolink predicate `ontology/gardkg.ttl` declares
//! it a sub-property of, with the project's in `original_predicate`. Every property the RDF carries is a column;
//! the project's own ones are prefixed `gardkg_`.
//!
//! TSV conventions of the KGX reader are followed: lists are joined with `|` (a `|` inside a value, which the reader
//! would split, is written as `¦`); `negated` is written only when true (the reader parses any non-empty cell as
//! true); tabs and line breaks inside values become spaces.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use serde_json::{Map, Value};

use crate::model::vocab::{self, biolink, dcterms, oa, prov, rdf, rdfs, skos};
use crate::store::{GraphStore, StoreError};

/// Biolink's prefix map for the namespaces gardkg writes (Biolink 4.4.6 `biolink-model-prefix-map.json`), then the
/// project's own prefixes for those Biolink's map lacks.
const BIOLINK_PREFIXES: &[(&str, &str)] = &[
    ("biolink", "https://w3id.org/biolink/vocab/"),
    ("HP", "http://purl.obolibrary.org/obo/HP_"),
    ("MONDO", "http://purl.obolibrary.org/obo/MONDO_"),
    ("MAXO", "http://purl.obolibrary.org/obo/MAXO_"),
    ("ECO", "http://purl.obolibrary.org/obo/ECO_"),
    ("NCIT", "http://purl.obolibrary.org/obo/NCIT_"),
    ("OMIM", "http://purl.obolibrary.org/obo/OMIM_"),
    ("PATO", "http://purl.obolibrary.org/obo/PATO_"),
    ("ORDO", "http://www.orpha.net/ORDO/"),
    ("UMLS", "http://identifiers.org/umls/"),
    ("PMID", "http://www.ncbi.nlm.nih.gov/pubmed/"),
    ("PMCID", "http://www.ncbi.nlm.nih.gov/pmc/"),
    ("doi", "https://doi.org/"),
];

/// The project's prefixes KGX readers need besides Biolink's (`kgx validate --extra-prefix`): those of the
/// project's context (`ontology/context.jsonld`) for namespaces Biolink's map does not cover. Minted nodes get a
/// prefix per kind (`gardkg.condition:lung-disease`), since KGX's CURIEs have no `/` in the local part.
pub fn extra_prefixes(namespace: &vocab::Namespace) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = super::jsonld::context_prefixes(namespace)
        .into_iter()
        .filter(|(p, iri)| {
            !BIOLINK_PREFIXES.iter().any(|(bp, bi)| bp == p || bi == iri)
                && (p == "GARD" || p == "infores" || p.starts_with("gardkg"))
        })
        .collect();
    out.sort();
    out
}

/// The KGX flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KgxFormat {
    /// `nodes.tsv` and `edges.tsv`.
    Tsv,
    /// `nodes.jsonl` and `edges.jsonl`.
    JsonLines,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct KgxCounts {
    /// Node records.
    pub nodes: usize,
    /// Edge records.
    pub edges: usize,
}

const NODE_COLUMNS: &[&str] = &["id", "category", "name", "description", "synonym", "xref", "provided_by", "iri"];
const EDGE_COLUMNS: &[&str] = &[
    "id",
    "subject",
    "predicate",
    "object",
    "category",
    "negated",
    "knowledge_level",
    "agent_type",
    "primary_knowledge_source",
    "aggregator_knowledge_source",
    "has_evidence",
    "publications",
    "frequency_qualifier",
    "onset_qualifier",
    "has_percentage",
    "has_count",
    "has_total",
    "has_quotient",
    "supporting_text",
    "original_predicate",
    "gardkg_hpo_aspect",
    "gardkg_derived_from",
    "gardkg_text_positions",
];

/// A record: column -> values (one for single-valued columns).
type Record = BTreeMap<&'static str, Vec<Value>>;

/// Writes the store's associations and the nodes they connect as KGX into `dir` (created when missing), with
/// `curie_map.json`: the project's prefixes the files use beside Biolink's.
pub fn write(store: &GraphStore, dir: &Path, format: KgxFormat) -> Result<KgxCounts, StoreError> {
    std::fs::create_dir_all(dir)?;
    let ns = store.namespace();
    let mut prefixes: Vec<(String, String)> =
        BIOLINK_PREFIXES.iter().map(|(p, i)| ((*p).to_owned(), (*i).to_owned())).collect();
    prefixes.extend(extra_prefixes(ns));
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.1.len()));
    let curie = |iri: &str| -> String {
        prefixes
            .iter()
            .find_map(|(p, ns)| iri.strip_prefix(ns.as_str()).filter(|l| !l.is_empty()).map(|l| format!("{p}:{l}")))
            .unwrap_or_else(|| iri.to_owned())
    };

    let mut edges: Vec<Record> = Vec::new();
    let mut nodes: BTreeMap<String, Record> = BTreeMap::new();
    let mut wanted: BTreeSet<NamedNode> = BTreeSet::new();
    let extension = super::extension_predicates(ns);
    let mut graphs = store.page_graphs()?;
    graphs.push(ns.terms_graph());
    for graph in &graphs {
        let subjects = subjects_of(store, graph.as_ref())?;
        for (subject, props) in &subjects {
            let NamedOrBlankNode::NamedNode(node) = subject else { continue };
            let types: Vec<&NamedNode> =
                props.get(&rdf::TYPE.into_owned()).into_iter().flatten().filter_map(named).collect();
            if types.iter().any(|t| is_association(t)) {
                edges.push(edge(node, props, &subjects, &extension, &curie, &mut wanted));
            } else if props.contains_key(&biolink::CATEGORY.into_owned())
                || types.iter().any(|t| t.as_str().starts_with(biolink::NS))
            {
                let record = node_record(node, props, &curie);
                merge(nodes.entry(curie(node.as_str())).or_default(), record);
            }
        }
    }
    // Terms described outside page graphs (ontology graphs): their label and category, once.
    for term in wanted {
        let id = curie(term.as_str());
        if nodes.contains_key(&id) || !is_curie(&id) {
            continue;
        }
        let mut props: HashMap<NamedNode, Vec<Term>> = HashMap::new();
        for p in [rdfs::LABEL, biolink::CATEGORY] {
            for q in store.oxigraph().quads_for_pattern(Some(term.as_ref().into()), Some(p), None, None) {
                let q = q?;
                props.entry(q.predicate).or_default().push(q.object);
            }
        }
        if props.contains_key(&biolink::CATEGORY.into_owned()) {
            nodes.insert(id, node_record(&term, &props, &curie));
        }
    }
    nodes.retain(|id, _| is_curie(id));
    edges.sort_by(|a, b| a["id"].first().map(Value::to_string).cmp(&b["id"].first().map(Value::to_string)));
    let (node_file, edge_file) = match format {
        KgxFormat::Tsv => ("nodes.tsv", "edges.tsv"),
        KgxFormat::JsonLines => ("nodes.jsonl", "edges.jsonl"),
    };
    // The prefixes beside Biolink's that the files use, for readers (`kgx validate --extra-prefix P=IRI`).
    let curie_map: Map<String, Value> =
        extra_prefixes(ns).into_iter().map(|(p, iri)| (p, Value::String(iri))).collect();
    std::fs::write(
        dir.join("curie_map.json"),
        serde_json::to_string_pretty(&curie_map).map_err(std::io::Error::other)? + "\n",
    )?;
    let node_records: Vec<Record> = nodes.into_values().collect();
    write_records(&dir.join(node_file), NODE_COLUMNS, &node_records, format)?;
    write_records(&dir.join(edge_file), EDGE_COLUMNS, &edges, format)?;
    Ok(KgxCounts { nodes: node_records.len(), edges: edges.len() })
}

fn named(t: &Term) -> Option<&NamedNode> {
    match t {
        Term::NamedNode(n) => Some(n),
        _ => None,
    }
}

fn is_curie(id: &str) -> bool {
    !id.contains("://")
}

fn is_association(class: &NamedNode) -> bool {
    class.as_str().strip_prefix(biolink::NS).is_some_and(|c| c.ends_with("Association"))
}

/// The triples of one graph by subject.
fn subjects_of(
    store: &GraphStore,
    graph: NamedNodeRef<'_>,
) -> Result<HashMap<NamedOrBlankNode, HashMap<NamedNode, Vec<Term>>>, StoreError> {
    let mut out: HashMap<NamedOrBlankNode, HashMap<NamedNode, Vec<Term>>> = HashMap::new();
    for q in store.oxigraph().quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph))) {
        let q = q?;
        out.entry(q.subject).or_default().entry(q.predicate).or_default().push(q.object);
    }
    Ok(out)
}

/// The values of one property, as KGX values: CURIEs for IRIs, lexical forms for literals (numbers and booleans
/// typed in JSON Lines), sorted.
fn values(props: &HashMap<NamedNode, Vec<Term>>, p: NamedNodeRef<'_>, curie: &dyn Fn(&str) -> String) -> Vec<Value> {
    let mut out: Vec<Value> = props
        .get(&p.into_owned())
        .into_iter()
        .flatten()
        .map(|t| match t {
            Term::NamedNode(n) => Value::String(curie(n.as_str())),
            Term::Literal(l) => {
                let dt = l.datatype();
                if dt == vocab::xsd::BOOLEAN {
                    Value::Bool(l.value() == "true")
                } else if dt == vocab::xsd::INTEGER {
                    l.value().parse::<i64>().map_or_else(|_| Value::String(l.value().to_owned()), Value::from)
                } else if dt == vocab::xsd::DOUBLE || dt == vocab::xsd::DECIMAL {
                    l.value().parse::<f64>().map_or_else(|_| Value::String(l.value().to_owned()), Value::from)
                } else {
                    Value::String(l.value().to_owned())
                }
            }
            Term::BlankNode(b) => Value::String(format!("_:{}", b.as_str())),
            #[allow(unreachable_patterns)]
            _ => Value::Null,
        })
        .collect();
    out.sort_by_key(Value::to_string);
    out.dedup();
    out
}

/// One association as an edge record.
fn edge(
    node: &NamedNode,
    props: &HashMap<NamedNode, Vec<Term>>,
    subjects: &HashMap<NamedOrBlankNode, HashMap<NamedNode, Vec<Term>>>,
    extension: &HashMap<String, String>,
    curie: &dyn Fn(&str) -> String,
    wanted: &mut BTreeSet<NamedNode>,
) -> Record {
    let mut r = Record::new();
    let v = |p: NamedNodeRef<'_>| values(props, p, curie);
    r.insert("id", vec![Value::String(curie(node.as_str()))]);
    for (column, p) in [("subject", rdf::SUBJECT), ("object", rdf::OBJECT)] {
        for t in props.get(&p.into_owned()).into_iter().flatten().filter_map(named) {
            wanted.insert(t.clone());
        }
        r.insert(column, v(p));
    }
    let predicate = props.get(&rdf::PREDICATE.into_owned()).into_iter().flatten().find_map(named);
    if let Some(p) = predicate {
        match extension.get(p.as_str()) {
            Some(biolink_predicate) => {
                r.insert("predicate", vec![Value::String(curie(biolink_predicate))]);
                r.insert("original_predicate", vec![Value::String(curie(p.as_str()))]);
            }
            None => {
                r.insert("predicate", vec![Value::String(curie(p.as_str()))]);
            }
        }
    }
    let categories: Vec<Value> = v(biolink::CATEGORY);
    r.insert("category", if categories.is_empty() { v(rdf::TYPE) } else { categories });
    for (column, p) in [
        ("negated", biolink::NEGATED),
        ("knowledge_level", biolink::KNOWLEDGE_LEVEL),
        ("agent_type", biolink::AGENT_TYPE),
        ("primary_knowledge_source", biolink::PRIMARY_KNOWLEDGE_SOURCE),
        ("aggregator_knowledge_source", biolink::AGGREGATOR_KNOWLEDGE_SOURCE),
        ("has_evidence", biolink::HAS_EVIDENCE),
        ("publications", biolink::PUBLICATIONS),
        ("frequency_qualifier", biolink::FREQUENCY_QUALIFIER),
        ("onset_qualifier", biolink::ONSET_QUALIFIER),
        ("has_percentage", biolink::HAS_PERCENTAGE),
        ("has_count", biolink::HAS_COUNT),
        ("has_total", biolink::HAS_TOTAL),
        ("has_quotient", biolink::HAS_QUOTIENT),
        ("supporting_text", biolink::SUPPORTING_TEXT),
        ("gardkg_derived_from", prov::WAS_DERIVED_FROM),
    ] {
        let values = v(p);
        if !values.is_empty() {
            r.insert(column, values);
        }
    }
    let aspect = props.iter().find(|(p, _)| p.as_str().ends_with("/hpo_aspect")).map(|(p, _)| p.clone());
    if let Some(p) = aspect {
        r.insert("gardkg_hpo_aspect", v(p.as_ref()));
    }
    // Where the words are: each selector's `start-end` in its section's text.
    let mut positions: Vec<Value> = Vec::new();
    for selector in props.get(&oa::HAS_SELECTOR.into_owned()).into_iter().flatten().filter_map(named) {
        let Some(sel) = subjects.get(&NamedOrBlankNode::NamedNode(selector.clone())) else { continue };
        let number = |p: NamedNodeRef<'_>| {
            sel.get(&p.into_owned()).and_then(|v| v.first()).and_then(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
        };
        if let (Some(start), Some(end)) = (number(oa::START), number(oa::END)) {
            positions.push(Value::String(format!("{start}-{end}")));
        }
    }
    positions.sort_by_key(Value::to_string);
    if !positions.is_empty() {
        r.insert("gardkg_text_positions", positions);
    }
    r
}

/// A node record from the node's triples.
fn node_record(node: &NamedNode, props: &HashMap<NamedNode, Vec<Term>>, curie: &dyn Fn(&str) -> String) -> Record {
    let mut r = Record::new();
    r.insert("id", vec![Value::String(curie(node.as_str()))]);
    let mut categories = values(props, biolink::CATEGORY, curie);
    if categories.is_empty() {
        categories = values(props, rdf::TYPE, curie)
            .into_iter()
            .filter(|c| c.as_str().is_some_and(|c| c.starts_with("biolink:")))
            .collect();
    }
    r.insert("category", categories);
    for (column, p) in [
        ("name", rdfs::LABEL),
        ("description", dcterms::DESCRIPTION),
        ("synonym", biolink::SYNONYM),
        ("xref", biolink::XREF),
    ] {
        let v = values(props, p, curie);
        if !v.is_empty() {
            r.insert(column, v);
        }
    }
    if !props.contains_key(&skos::EXACT_MATCH.into_owned()) && curie(node.as_str()).starts_with("gardkg:") {
        r.insert("provided_by", vec![Value::String("infores:gard".into())]);
    }
    if node.as_str().starts_with(vocab::GARD_NS) {
        r.insert("provided_by", vec![Value::String("infores:gard".into())]);
    }
    r.insert("iri", vec![Value::String(node.as_str().to_owned())]);
    r
}

/// Merges what two graphs say of one node: values are unioned (a condition named by two pages).
fn merge(into: &mut Record, from: Record) {
    for (column, values) in from {
        let slot = into.entry(column).or_default();
        for v in values {
            if !slot.contains(&v) {
                slot.push(v);
            }
        }
        slot.sort_by_key(Value::to_string);
    }
    if let Some(name) = into.get_mut("name") {
        name.truncate(1);
    }
}

/// Columns that hold one value (others are lists).
fn single(column: &str) -> bool {
    matches!(
        column,
        "id" | "subject"
            | "predicate"
            | "object"
            | "name"
            | "description"
            | "negated"
            | "knowledge_level"
            | "agent_type"
            | "primary_knowledge_source"
            | "frequency_qualifier"
            | "onset_qualifier"
            | "has_percentage"
            | "has_count"
            | "has_total"
            | "has_quotient"
            | "original_predicate"
            | "iri"
    )
}

fn write_records(
    path: &Path,
    columns: &[&'static str],
    records: &[Record],
    format: KgxFormat,
) -> Result<(), StoreError> {
    let mut out = BufWriter::new(File::create(path)?);
    match format {
        KgxFormat::Tsv => {
            writeln!(out, "{}", columns.join("\t"))?;
            for r in records {
                let cells: Vec<String> =
                    columns.iter().map(|c| tsv_cell(c, r.get(c).map(Vec::as_slice).unwrap_or_default())).collect();
                writeln!(out, "{}", cells.join("\t"))?;
            }
        }
        KgxFormat::JsonLines => {
            for r in records {
                let mut object = Map::new();
                for column in columns {
                    let Some(values) = r.get(column) else { continue };
                    if values.is_empty() {
                        continue;
                    }
                    let value = if single(column) { values[0].clone() } else { Value::Array(values.clone()) };
                    object.insert((*column).to_owned(), value);
                }
                serde_json::to_writer(&mut out, &Value::Object(object)).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// A TSV cell: values joined by `|`, `negated` only when true (`True`), no tabs or line breaks.
fn tsv_cell(column: &str, values: &[Value]) -> String {
    if column == "negated" {
        return if values.iter().any(|v| v == &Value::Bool(true)) { "True".to_owned() } else { String::new() };
    }
    let text = |v: &Value| match v {
        Value::String(s) => s.replace(['\t', '\n', '\r'], " ").replace('|', "¦"),
        other => other.to_string(),
    };
    let values = if single(column) { &values[..values.len().min(1)] } else { values };
    values.iter().map(text).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_follow_the_kgx_reader() {
        assert_eq!(tsv_cell("negated", &[Value::Bool(false)]), "");
        assert_eq!(tsv_cell("negated", &[Value::Bool(true)]), "True");
        assert_eq!(tsv_cell("publications", &["PMID:1".into(), "PMID:2".into()]), "PMID:1|PMID:2");
        assert_eq!(tsv_cell("supporting_text", &["a | b\tc".into()]), "a ¦ b c");
        assert_eq!(tsv_cell("has_count", &[Value::from(3)]), "3");
    }
}
