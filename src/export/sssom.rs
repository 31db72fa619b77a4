//! The mappings the recognizer used, as SSSOM (Simple Standard for Sharing Ontological Mappings) TSV.
//!
//! Three kinds of rows, all read back from the store (so the file states what the graph actually relies on):
//!
//! - The disease of each page to its Mondo, Orphanet, OMIM and UMLS identifiers (`skos:exactMatch` and
//!   `oboInOwl:hasDbXref`, from the pinned Mondo mapping rows: `semapv:ManualMappingCuration` by Mondo).
//! - Words of the pages to ontology terms: every lay synonym of the reviewed table (`ontology/lay-synonyms.tsv`)
//!   that some mention in the store was found through (subject is the literal, `subject_type: rdfs literal`;
//!   `semapv:ManualMappingCuration`, the table's reviewed source in `comment`).
//! - Named associated conditions resolved to Orphanet, OMIM or MONDO by exact name (literal subject,
//!   `semapv:LexicalMatching`).
//!
//! The header carries the `curie_map`, the mapping set id and licence, as the SSSOM schema asks.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;

use crate::lexicon::{fold::fold_pattern, lay::LaySynonyms};
use crate::model::vocab::{self, biolink, oa, rdf, rdfs, skos};
use crate::store::{GraphStore, StoreError};

/// The columns written, in order.
pub const COLUMNS: [&str; 10] = [
    "subject_id",
    "subject_label",
    "subject_type",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "mapping_provider",
    "subject_source",
    "comment",
];

/// One mapping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mapping {
    /// The subject CURIE (empty for a literal subject).
    pub subject_id: String,
    /// The subject's label, or the literal.
    pub subject_label: String,
    /// `rdfs literal` for a literal subject, else empty.
    pub subject_type: String,
    /// `skos:exactMatch`, `oboInOwl:hasDbXref`...
    pub predicate_id: String,
    /// The object CURIE.
    pub object_id: String,
    /// The object's label, when the store has it.
    pub object_label: String,
    /// A SEMAPV justification CURIE.
    pub mapping_justification: String,
    /// Who made the mapping.
    pub mapping_provider: String,
    /// Where the subject comes from.
    pub subject_source: String,
    /// Free text.
    pub comment: String,
}

/// Every mapping the store relies on (see the module docs), sorted.
pub fn mappings(store: &GraphStore, lay: &LaySynonyms) -> Result<Vec<Mapping>, StoreError> {
    let mut out = BTreeSet::new();
    disease_mappings(store, &mut out)?;
    lay_mappings(store, lay, &mut out)?;
    condition_mappings(store, &mut out)?;
    Ok(out.into_iter().collect())
}

/// Writes `rows` as SSSOM TSV with its YAML header.
pub fn write(rows: &[Mapping], store: &GraphStore, out: &mut impl Write) -> std::io::Result<()> {
    let ns = store.namespace();
    let mut prefixes: BTreeMap<&str, &str> = vocab::ID_PREFIXES.iter().copied().collect();
    prefixes.insert("skos", "http://www.w3.org/2004/02/skos/core#");
    prefixes.insert("oboInOwl", "http://www.geneontology.org/formats/oboInOwl#");
    prefixes.insert("semapv", "https://w3id.org/semapv/vocab/");
    writeln!(out, "# curie_map:")?;
    for (prefix, iri) in &prefixes {
        writeln!(out, "#   {prefix}: {iri}")?;
    }
    writeln!(out, "# mapping_set_id: {}mappings/gardkg.sssom.tsv", ns.base())?;
    writeln!(out, "# mapping_set_description: Mappings gardkg {} used to build its graph", env!("CARGO_PKG_VERSION"))?;
    writeln!(out, "# license: https://creativecommons.org/licenses/by/4.0/")?;
    writeln!(out, "{}", COLUMNS.join("\t"))?;
    for m in rows {
        let cells = [
            &m.subject_id,
            &m.subject_label,
            &m.subject_type,
            &m.predicate_id,
            &m.object_id,
            &m.object_label,
            &m.mapping_justification,
            &m.mapping_provider,
            &m.subject_source,
            &m.comment,
        ];
        let cells: Vec<String> = cells.iter().map(|c| c.replace(['\t', '\n', '\r'], " ")).collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}

/// Runs a SELECT query and returns each row's values of `vars` (empty strings for unbound ones).
fn select(store: &GraphStore, query: &str, vars: &[&str]) -> Result<Vec<Vec<String>>, StoreError> {
    let mut rows = Vec::new();
    if let QueryResults::Solutions(solutions) = store.query(query)? {
        for solution in solutions {
            let solution = solution?;
            rows.push(
                vars.iter()
                    .map(|v| match solution.get(*v) {
                        Some(Term::NamedNode(n)) => {
                            vocab::compact_iri(n.as_str()).unwrap_or_else(|| n.as_str().to_owned())
                        }
                        Some(Term::Literal(l)) => l.value().to_owned(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    })
                    .collect(),
            );
        }
    }
    Ok(rows)
}

fn disease_mappings(store: &GraphStore, out: &mut BTreeSet<Mapping>) -> Result<(), StoreError> {
    let query = format!(
        "SELECT DISTINCT ?d ?label ?o ?exact WHERE {{ ?d a {disease} ; {label} ?label ; {xref} ?o . \
         BIND(EXISTS {{ ?d {exact} ?o }} AS ?exact) }}",
        disease = biolink::DISEASE,
        label = rdfs::LABEL,
        xref = biolink::XREF,
        exact = skos::EXACT_MATCH,
    );
    for row in select(store, &query, &["d", "label", "o", "exact"])? {
        let [subject, label, object, exact] = <[String; 4]>::try_from(row).unwrap_or_default();
        if !subject.starts_with("GARD:") || object.is_empty() {
            continue;
        }
        let exact = exact == "true";
        out.insert(Mapping {
            subject_id: subject,
            subject_label: label,
            subject_type: String::new(),
            predicate_id: if exact { "skos:exactMatch" } else { "oboInOwl:hasDbXref" }.to_owned(),
            object_id: object,
            object_label: String::new(),
            mapping_justification: "semapv:ManualMappingCuration".to_owned(),
            mapping_provider: "https://github.com/monarch-initiative/mondo".to_owned(),
            subject_source: "infores:gard".to_owned(),
            comment: "pinned Mondo SSSOM rows (ontology/mondo-gard.sssom.tsv.gz)".to_owned(),
        });
    }
    Ok(())
}

/// (mention words folded, object id) of every phenotype mention in the store.
fn mention_words(
    store: &GraphStore,
    class: oxigraph::model::NamedNodeRef<'_>,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let query = format!(
        "SELECT DISTINCT ?words ?o ?label WHERE {{ ?a a {class} ; {object} ?o ; {selector} ?s . ?s {exact} ?words . \
         OPTIONAL {{ ?o {label} ?label }} }}",
        object = rdf::OBJECT,
        selector = oa::HAS_SELECTOR,
        exact = oa::EXACT,
        label = rdfs::LABEL,
    );
    Ok(select(store, &query, &["words", "o", "label"])?
        .into_iter()
        .map(|row| {
            let [words, id, label] = <[String; 3]>::try_from(row).unwrap_or_default();
            (words, id, label)
        })
        .collect())
}

fn lay_mappings(store: &GraphStore, lay: &LaySynonyms, out: &mut BTreeSet<Mapping>) -> Result<(), StoreError> {
    let mentions = mention_words(store, biolink::DISEASE_TO_PHENOTYPIC_FEATURE_ASSOCIATION)?;
    for row in lay.rows() {
        // The folded lay words without a plural ending, found in the words of a mention of the same term.
        let key = fold_pattern(&row.text);
        let stem = key.strip_suffix('s').unwrap_or(&key);
        let used = mentions.iter().any(|(words, id, _)| *id == row.hpo_id && fold_pattern(words).contains(stem));
        if used {
            out.insert(Mapping {
                subject_id: String::new(),
                subject_label: row.text.clone(),
                subject_type: "rdfs literal".to_owned(),
                predicate_id: lay_predicate(&row.source).to_owned(),
                object_id: row.hpo_id.clone(),
                object_label: row.hpo_label.clone(),
                mapping_justification: "semapv:ManualMappingCuration".to_owned(),
                mapping_provider: format!("{}ontology/lay-synonyms.tsv", store.namespace().base()),
                subject_source: "infores:gard".to_owned(),
                comment: row.source.clone(),
            });
        }
    }
    Ok(())
}

/// The SKOS predicate of a reviewed lay word, from the scope of the HPO synonym its row cites as the reason
/// (`HPO BROAD layperson synonym 'Sinus infection' of Sinusitis`): an EXACT synonym is `skos:exactMatch`; a BROAD
/// one means the words are broader than the term (`skos:narrowMatch`: the term is narrower); NARROW the reverse
/// (`skos:broadMatch`); RELATED `skos:relatedMatch`. A row that cites no HPO synonym (a `MedlinePlus` lay term, a
/// textbook definition) is a reviewed close match, `skos:closeMatch`.
pub fn lay_predicate(source: &str) -> &'static str {
    let scope = source
        .split("HPO ")
        .skip(1)
        .find_map(|rest| ["EXACT", "BROAD", "NARROW", "RELATED"].into_iter().find(|s| rest.starts_with(s)));
    match scope {
        Some("EXACT") => "skos:exactMatch",
        Some("BROAD") => "skos:narrowMatch",
        Some("NARROW") => "skos:broadMatch",
        Some(_) => "skos:relatedMatch",
        None => "skos:closeMatch",
    }
}

fn condition_mappings(store: &GraphStore, out: &mut BTreeSet<Mapping>) -> Result<(), StoreError> {
    for (words, id, label) in mention_words(store, biolink::DISEASE_TO_DISEASE_ASSOCIATION)? {
        if !["Orphanet:", "OMIM:", "MONDO:"].iter().any(|p| id.starts_with(p)) {
            continue;
        }
        out.insert(Mapping {
            subject_id: String::new(),
            subject_label: words,
            subject_type: "rdfs literal".to_owned(),
            predicate_id: "skos:exactMatch".to_owned(),
            object_id: id,
            object_label: label,
            mapping_justification: "semapv:LexicalMatching".to_owned(),
            mapping_provider: store.namespace().base().to_owned(),
            subject_source: "infores:gard".to_owned(),
            comment: "exact name in phenotype.hpoa or the Mondo mappings (ontology/disease-names.tsv.gz)".to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lay_words_map_by_the_scope_of_the_synonym_they_rest_on() {
        assert_eq!(
            lay_predicate("HPO EXACT layperson synonym 'Middle ear infection' of Otitis media"),
            "skos:exactMatch"
        );
        assert_eq!(lay_predicate("HPO BROAD layperson synonym 'Sinus infection' of Sinusitis"), "skos:narrowMatch");
        assert_eq!(lay_predicate("HPO RELATED synonym 'High blood pressure' of Hypertension"), "skos:relatedMatch");
        assert_eq!(lay_predicate("HPO NARROW synonym 'x' of y"), "skos:broadMatch");
        assert_eq!(lay_predicate("MedlinePlus lay term 'Learning disabilities'"), "skos:closeMatch");
    }
}
