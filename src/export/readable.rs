//! Triple syntaxes people read and diff: each triple once, all statements of a subject together, sorted, and
//! prefixed names only where they need no escapes.
//!
//! Oxigraph's Turtle writer streams what it is given: a triple present in several graphs is written each time, a
//! subject's statements are split when they are not adjacent, and a local name with `/` or `#` is escaped
//! (`gardkg:page\/gard\/0001123\#diagnosis`, valid but unreadable). Here the union's triples are collected,
//! deduplicated and sorted first; N-Triples and RDF/XML take them through Oxigraph's writers, Turtle through
//! [`write_turtle`]. That one is written here because neither Turtle writer at hand does it: oxttl escapes local names
//! and has no option not to, and sophia's pretty serializer, which avoids escapes, validates IRIs with a regular
//! expression while grouping and ran for more than 15 minutes on the 400,000 triples of HPO and its closure. Terms
//! are formatted as N-Triples (valid Turtle) except prefixed names, used only where the local part needs no escape.
//! Memory grows with the export (measured in the README); `--streaming` keeps Oxigraph's streaming writers for
//! stores too large to sort.

use std::io::Write;

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNodeRef, NamedOrBlankNode, Term, Triple};

use crate::model::vocab::{Namespace, rdf, xsd};
use crate::store::{GraphStore, StoreError};

/// Every distinct triple of the given graphs (all graphs when `graphs` is empty), sorted by subject, predicate and
/// object (N-Triples order).
pub fn sorted_triples(store: &GraphStore, graphs: &[NamedNodeRef<'_>]) -> Result<Vec<Triple>, StoreError> {
    let mut keyed: Vec<(String, Triple)> = Vec::new();
    let mut push = |quad: oxigraph::model::Quad| {
        let triple = Triple::new(quad.subject, quad.predicate, quad.object);
        keyed.push((triple.to_string(), triple));
    };
    if graphs.is_empty() {
        for quad in store.oxigraph() {
            push(quad?);
        }
    } else {
        for graph in graphs {
            for quad in store.oxigraph().quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(*graph))) {
                push(quad?);
            }
        }
    }
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    Ok(keyed.into_iter().map(|(_, t)| t).collect())
}

/// Writes sorted triples in a triple syntax (Turtle, N-Triples, RDF/XML); JSON-LD has its own writer
/// ([`super::jsonld`]).
pub fn write_triples<W: Write>(
    format: RdfFormat,
    namespace: &Namespace,
    triples: &[Triple],
    mut writer: W,
) -> Result<W, StoreError> {
    if format == RdfFormat::Turtle {
        write_turtle(namespace, triples, &mut writer)?;
        return Ok(writer);
    }
    let mut out = super::rdf::serializer(format, namespace).for_writer(writer);
    for triple in triples {
        out.serialize_triple(triple)?;
    }
    Ok(out.finish()?)
}

/// Turtle for triples sorted by subject and predicate: one block per subject, `;` between predicates, `,` between
/// objects, prefixed names where the local part is a plain `PN_LOCAL`, `a` for `rdf:type`, and bare integers,
/// decimals and booleans where their lexical form allows.
pub fn write_turtle<W: Write>(namespace: &Namespace, triples: &[Triple], w: &mut W) -> std::io::Result<()> {
    let mut prefixes: Vec<(&str, &str)> = namespace.prefixes();
    for (prefix, iri) in &prefixes {
        writeln!(w, "@prefix {prefix}: <{iri}> .")?;
    }
    // Longest namespace first, so that `gardkg:` never shadows a more specific prefix.
    prefixes.sort_by_key(|(_, iri)| std::cmp::Reverse(iri.len()));
    let name = |iri: &str| -> String {
        for (prefix, ns) in &prefixes {
            if let Some(local) = iri.strip_prefix(ns) {
                if is_plain_local_name(local) {
                    return format!("{prefix}:{local}");
                }
            }
        }
        format!("<{iri}>")
    };
    let mut start = 0;
    while start < triples.len() {
        let subject = &triples[start].subject;
        let end = start + triples[start..].iter().take_while(|t| t.subject == *subject).count();
        let subject_text = match subject {
            NamedOrBlankNode::NamedNode(n) => name(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        };
        write!(w, "\n{subject_text}")?;
        // `a …` first, as people write Turtle; the other predicates in sorted order.
        let block = &triples[start..end];
        let ordered =
            block.iter().filter(|t| t.predicate == rdf::TYPE).chain(block.iter().filter(|t| t.predicate != rdf::TYPE));
        let mut previous: Option<&oxigraph::model::NamedNode> = None;
        for triple in ordered {
            if previous == Some(&triple.predicate) {
                write!(w, " , ")?;
            } else {
                let predicate =
                    if triple.predicate == rdf::TYPE { "a".to_owned() } else { name(triple.predicate.as_str()) };
                write!(w, "{}{predicate} ", if previous.is_none() { " " } else { " ;\n    " })?;
                previous = Some(&triple.predicate);
            }
            write_object(&triple.object, &name, w)?;
        }
        writeln!(w, " .")?;
        start = end;
    }
    Ok(())
}

fn write_object<W: Write>(term: &Term, name: &dyn Fn(&str) -> String, w: &mut W) -> std::io::Result<()> {
    let literal = match term {
        Term::Literal(literal) => literal,
        Term::NamedNode(n) => return write!(w, "{}", name(n.as_str())),
        other @ Term::BlankNode(_) => return write!(w, "{other}"),
    };
    let value = literal.value();
    let quoted = oxigraph::model::Literal::new_simple_literal(value).to_string();
    if let Some(language) = literal.language() {
        return write!(w, "{quoted}@{language}");
    }
    let datatype = literal.datatype();
    let bare = (datatype == xsd::INTEGER && is_integer(value))
        || (datatype == xsd::DECIMAL && is_decimal(value))
        || (datatype == xsd::BOOLEAN && matches!(value, "true" | "false"));
    if bare {
        write!(w, "{value}")
    } else if datatype == xsd::STRING {
        write!(w, "{quoted}")
    } else {
        write!(w, "{quoted}^^{}", name(datatype.as_str()))
    }
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    body.split_once('.').is_some_and(|(int, frac)| {
        int.bytes().all(|b| b.is_ascii_digit()) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A Turtle `PN_LOCAL` that needs no escape (ASCII only, to stay on the safe side): letters, digits, `_`, `-`, `.`
/// and `:`, not starting with `-` or `.`, not ending with `.`.
fn is_plain_local_name(local: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    !local.is_empty() && local.chars().all(ok) && !local.starts_with(['-', '.']) && !local.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};

    fn parse(text: &str) -> Vec<Triple> {
        oxigraph::io::RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|q| q.map(Triple::from))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn turtle_groups_subjects_once_and_avoids_escaped_names() {
        let store = GraphStore::memory(Namespace::default()).unwrap();
        let n = |s: &str| NamedNode::new(s).unwrap();
        let page = n("https://w3id.org/gardkg/page/gard/0001123#diagnosis");
        let label = n("http://www.w3.org/2000/01/rdf-schema#label");
        for g in ["https://w3id.org/gardkg/graph/gard/0000001", "https://w3id.org/gardkg/graph/gard/0000002"] {
            let g = GraphName::NamedNode(n(g));
            let hp = n("http://purl.obolibrary.org/obo/HP_0000006");
            store
                .oxigraph()
                .insert(&Quad::new(page.clone(), label.clone(), Literal::from("Diagnosis"), g.clone()))
                .unwrap();
            store.oxigraph().insert(&Quad::new(hp, label.clone(), Literal::from("AD"), g)).unwrap();
        }
        let triples = sorted_triples(&store, &[]).unwrap();
        assert_eq!(triples.len(), 2, "each triple once");
        let text =
            String::from_utf8(write_triples(RdfFormat::Turtle, &Namespace::default(), &triples, Vec::new()).unwrap())
                .unwrap();
        assert!(!text.contains('\\'), "no escaped local names:\n{text}");
        assert!(text.contains("<https://w3id.org/gardkg/page/gard/0001123#diagnosis>"), "{text}");
        assert_eq!(text.matches("HP:0000006").count(), 1, "{text}");
        assert_eq!(parse(&text).len(), 2);
    }

    #[test]
    fn subjects_are_one_block_and_literals_keep_their_values() {
        let n = |s: &str| NamedNode::new(s).unwrap();
        let s = n("https://w3id.org/gardkg/a");
        let mut triples: Vec<Triple> = [
            Literal::from(true),
            Literal::from(12_i64),
            Literal::new_typed_literal("90.0", xsd::DECIMAL),
            Literal::new_typed_literal("0.9", xsd::DOUBLE),
            Literal::new_simple_literal("say \"hi\"\nthere"),
            Literal::new_language_tagged_literal("chat", "fr").unwrap(),
            Literal::new_typed_literal("2024-01-02", xsd::DATE),
        ]
        .into_iter()
        .map(|o| Triple::new(s.clone(), n("https://w3id.org/gardkg/p"), o))
        .collect();
        triples.push(Triple::new(s.clone(), rdf::TYPE, n("https://w3id.org/biolink/vocab/Disease")));
        triples.sort_by_cached_key(ToString::to_string);
        let text =
            String::from_utf8(write_triples(RdfFormat::Turtle, &Namespace::default(), &triples, Vec::new()).unwrap())
                .unwrap();
        assert_eq!(text.matches("gardkg:a ").count(), 1, "one block:\n{text}");
        assert!(text.contains(" a biolink:Disease"), "{text}");
        let again = parse(&text);
        assert_eq!(again.len(), triples.len(), "{text}");
        for t in &triples {
            assert!(again.contains(t), "{t} lost in\n{text}");
        }
    }
}
