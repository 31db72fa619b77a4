//! JSON-LD people and tools can read: one node object per subject, compacted with the project's context
//! (`ontology/context.jsonld`: Biolink's prefixes and the project's), the context inline so that readers need no
//! network.
//!
//! Written here rather than with a library writer: Oxigraph's JSON-LD serializer writes expanded, per-graph JSON-LD
//! (an rdflib `Graph` reads no triple from a dataset of named graphs) and neither it nor sophia compacts against a
//! context. The output is the flattened form of JSON-LD 1.1 (`@graph` of node objects), so every triple round-trips
//! through rdflib, pyld and pyoxigraph (`.ci/checks/jsonld_check.py`).

use std::io::Write;

use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{Map, Value, json};

use crate::model::vocab::{Namespace, rdf, xsd};

/// The context shipped with the project (Biolink's prefixes and the project's own); `{base}` is the namespace.
const CONTEXT: &str = include_str!("../../ontology/context.jsonld");

/// The project's JSON-LD context for a namespace: the shipped one, with `gardkg` (and the `gardkg.<kind>` prefixes
/// of minted nodes) bound to the namespace's base.
pub fn context(namespace: &Namespace) -> Value {
    let mut value: Value = serde_json::from_str(CONTEXT).expect("ontology/context.jsonld is valid JSON");
    if let Some(ctx) = value.get_mut("@context").and_then(Value::as_object_mut) {
        for (key, iri) in ctx.iter_mut() {
            if let Some(kind) = key.strip_prefix("gardkg.") {
                *iri = Value::String(format!("{}{kind}/", namespace.base()));
            }
        }
        ctx.insert("gardkg".into(), json!({ "@id": namespace.base(), "@prefix": true }));
    }
    value
}

/// The prefixes of the project's context (prefix, namespace IRI), for writers that compact IRIs.
pub fn context_prefixes(namespace: &Namespace) -> Vec<(String, String)> {
    prefixes(&context(namespace))
}

/// The prefixes of the context, longest namespace first (for compaction).
fn prefixes(context: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = context["@context"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| {
            let iri = v.as_str().or_else(|| v.get("@id").and_then(Value::as_str))?;
            (!k.starts_with('@')).then(|| (k.clone(), iri.to_owned()))
        })
        .collect();
    out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    out
}

/// An IRI as a compact IRI when a prefix of the context covers it and the rest is a plain local part.
fn compact(iri: &str, prefixes: &[(String, String)]) -> String {
    for (prefix, ns) in prefixes {
        if let Some(local) = iri.strip_prefix(ns.as_str()) {
            // A local part that could read as an IRI or a blank node ("//x", "_:") stays a full IRI.
            if !local.is_empty() && !local.starts_with("//") && local.chars().all(|c| !c.is_whitespace()) {
                return format!("{prefix}:{local}");
            }
        }
    }
    iri.to_owned()
}

/// Writes sorted, deduplicated triples (see [`super::readable::sorted_triples`]) as one JSON-LD document.
pub fn write<W: Write>(namespace: &Namespace, triples: &[Triple], mut writer: W) -> std::io::Result<W> {
    let context = context(namespace);
    let prefixes = prefixes(&context);
    let id = |n: &NamedOrBlankNode| match n {
        NamedOrBlankNode::NamedNode(n) => compact(n.as_str(), &prefixes),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    };
    let mut nodes: Vec<Value> = Vec::new();
    let mut current: Option<(NamedOrBlankNode, Map<String, Value>)> = None;
    for t in triples {
        if current.as_ref().is_none_or(|(s, _)| *s != t.subject) {
            if let Some((_, node)) = current.take() {
                nodes.push(Value::Object(node));
            }
            let mut node = Map::new();
            node.insert("@id".into(), Value::String(id(&t.subject)));
            current = Some((t.subject.clone(), node));
        }
        let Some((_, node)) = current.as_mut() else { continue };
        let (key, value) = if t.predicate == rdf::TYPE {
            let Term::NamedNode(class) = &t.object else {
                append(node, compact(t.predicate.as_str(), &prefixes), object(&t.object, &prefixes));
                continue;
            };
            ("@type".to_owned(), Value::String(compact(class.as_str(), &prefixes)))
        } else {
            (compact(t.predicate.as_str(), &prefixes), object(&t.object, &prefixes))
        };
        append(node, key, value);
    }
    if let Some((_, node)) = current {
        nodes.push(Value::Object(node));
    }
    let document = json!({ "@context": context["@context"], "@graph": nodes });
    serde_json::to_writer_pretty(&mut writer, &document)?;
    writer.write_all(b"\n")?;
    Ok(writer)
}

fn append(node: &mut Map<String, Value>, key: String, value: Value) {
    match node.get_mut(&key) {
        None => {
            node.insert(key, value);
        }
        Some(Value::Array(values)) => values.push(value),
        Some(single) => {
            let first = single.take();
            *single = Value::Array(vec![first, value]);
        }
    }
}

/// A value object: `{"@id": …}` for IRIs, a plain string for `xsd:string`, `{"@value", "@type"|"@language"}`
/// otherwise (typed values keep their lexical form).
fn object(term: &Term, prefixes: &[(String, String)]) -> Value {
    match term {
        Term::NamedNode(n) => json!({ "@id": compact(n.as_str(), prefixes) }),
        Term::BlankNode(b) => json!({ "@id": format!("_:{}", b.as_str()) }),
        Term::Literal(l) => match l.language() {
            Some(lang) => json!({ "@value": l.value(), "@language": lang }),
            None if l.datatype() == xsd::STRING => Value::String(l.value().to_owned()),
            None => json!({ "@value": l.value(), "@type": compact(l.datatype().as_str(), prefixes) }),
        },
        #[allow(unreachable_patterns)]
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{Literal, NamedNode};

    #[test]
    fn documents_round_trip_through_oxigraph() {
        let n = |s: &str| NamedNode::new(s).unwrap();
        let triples = vec![
            Triple::new(
                n("https://rarediseases.info.nih.gov/diseases/0012547"),
                rdf::TYPE,
                n("https://w3id.org/biolink/vocab/Disease"),
            ),
            Triple::new(
                n("https://rarediseases.info.nih.gov/diseases/0012547"),
                n("https://w3id.org/biolink/vocab/has_phenotype"),
                n("http://purl.obolibrary.org/obo/HP_0002719"),
            ),
            Triple::new(
                n("https://rarediseases.info.nih.gov/diseases/0012547"),
                n("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal::from("Selective IgM deficiency"),
            ),
            Triple::new(
                n("https://w3id.org/gardkg/assoc/ab"),
                n("https://w3id.org/biolink/vocab/negated"),
                Literal::from(false),
            ),
            Triple::new(
                n("https://w3id.org/gardkg/page/gard/0012547#summary"),
                n("http://purl.org/dc/terms/modified"),
                Literal::new_typed_literal("2024-01-02", xsd::DATE),
            ),
        ];
        let text = String::from_utf8(write(&Namespace::default(), &triples, Vec::new()).unwrap()).unwrap();
        assert!(text.contains("\"GARD:0012547\""), "{text}");
        assert!(text.contains("\"HP:0002719\""), "{text}");
        let back: Vec<Triple> =
            RdfParser::from_format(RdfFormat::JsonLd { profile: oxigraph::io::JsonLdProfileSet::empty() })
                .for_slice(text.as_bytes())
                .map(|q| q.map(Triple::from).unwrap())
                .collect();
        assert_eq!(back.len(), triples.len(), "{text}");
        for t in &triples {
            assert!(back.contains(t), "{t} missing from\n{text}");
        }
    }
}
