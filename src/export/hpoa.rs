//! The corpus as HPO annotations: the columns and header of `phenotype.hpoa`, one row per association whose object
//! is an HPO term (aspects P, I, C, M and H).
//!
//! `database_id` is the GARD CURIE (`GARD:0012547`); `qualifier` is `NOT` for a negated row; `reference` the
//! publications the supporting sentences cite, else the GARD page itself; `evidence` `TAS` for MedQuAD's tables (HPO's
//! own annotations) and `IEA` for text mined from prose; `frequency` an HPO frequency term, `n/m` or `n%` as the page
//! gives it; `biocuration` `GARD:gardkg[date]`, the date the section was last updated (else the export's date).

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};

use crate::model::vocab::{self, biolink, dcterms, prov, rdf, rdfs};
use crate::store::{GraphStore, StoreError};

/// The column header of `phenotype.hpoa`.
pub const HEADER: &str = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration";

/// Writes every HPO association of the store's pages as HPOA; returns the number of rows.
pub fn write<W: Write>(
    store: &GraphStore,
    hpo_release: &str,
    today: &str,
    mut out: W,
) -> Result<(W, usize), StoreError> {
    writeln!(
        out,
        "#description: \"GARD rare-disease pages as HPO annotations, made by gardkg {}\"",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(out, "#version: {today}")?;
    writeln!(out, "#tracker: https://rarediseases.info.nih.gov/")?;
    writeln!(out, "#hpo-version: http://purl.obolibrary.org/obo/{hpo_release}/hp.owl")?;
    writeln!(out, "{HEADER}")?;
    let aspect_property = store.namespace().iri("hpo_aspect");
    let mut rows = 0;
    for graph in store.page_graphs()? {
        let mut by_subject: HashMap<NamedOrBlankNode, HashMap<NamedNode, Vec<Term>>> = HashMap::new();
        for q in store.oxigraph().quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph.as_ref()))) {
            let q = q?;
            by_subject.entry(q.subject).or_default().entry(q.predicate).or_default().push(q.object);
        }
        let first = |node: &NamedOrBlankNode, p: oxigraph::model::NamedNodeRef<'_>| -> Option<Term> {
            by_subject.get(node)?.get(&p.into_owned())?.first().cloned()
        };
        let mut lines: BTreeSet<String> = BTreeSet::new();
        for (node, props) in &by_subject {
            let Some(object) = props.get(&rdf::OBJECT.into_owned()).and_then(|v| v.first()) else { continue };
            let Term::NamedNode(object) = object else { continue };
            let Some(hpo_id) = vocab::compact_iri(object.as_str()).filter(|c| c.starts_with("HP:")) else { continue };
            let Some(Term::NamedNode(disease)) = props.get(&rdf::SUBJECT.into_owned()).and_then(|v| v.first()).cloned()
            else {
                continue;
            };
            let Some(database_id) = vocab::compact_iri(disease.as_str()) else { continue };
            let name = match first(&NamedOrBlankNode::NamedNode(disease.clone()), rdfs::LABEL) {
                Some(Term::Literal(l)) => l.value().replace(['\t', '\n'], " "),
                _ => String::new(),
            };
            let text = |p: oxigraph::model::NamedNodeRef<'_>| match first(node, p) {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                Some(Term::NamedNode(n)) => {
                    Some(vocab::compact_iri(n.as_str()).unwrap_or_else(|| n.as_str().to_owned()))
                }
                _ => None,
            };
            let negated = text(biolink::NEGATED).as_deref() == Some("true");
            let table = text(biolink::HAS_EVIDENCE).is_some_and(|e| e == "ECO:0000304");
            let mut references: Vec<String> = props
                .get(&biolink::PUBLICATIONS.into_owned())
                .into_iter()
                .flatten()
                .filter_map(|t| match t {
                    Term::NamedNode(n) => vocab::compact_iri(n.as_str()).or_else(|| Some(n.as_str().to_owned())),
                    _ => None,
                })
                .collect();
            references.sort();
            if references.is_empty() {
                references.push(database_id.clone());
            }
            let frequency =
                match (text(biolink::FREQUENCY_QUALIFIER), text(biolink::HAS_COUNT), text(biolink::HAS_TOTAL)) {
                    (Some(term), _, _) => term,
                    (None, Some(count), Some(total)) => format!("{count}/{total}"),
                    _ => text(biolink::HAS_PERCENTAGE).map(|p| format!("{}%", trim_number(&p))).unwrap_or_default(),
                };
            let aspect = text(aspect_property.as_ref()).unwrap_or_else(|| "P".to_owned());
            let date = props
                .get(&prov::WAS_DERIVED_FROM.into_owned())
                .into_iter()
                .flatten()
                .filter_map(|section| match section {
                    Term::NamedNode(s) => match first(&NamedOrBlankNode::NamedNode(s.clone()), dcterms::MODIFIED) {
                        Some(Term::Literal(d)) => Some(d.value().to_owned()),
                        _ => None,
                    },
                    _ => None,
                })
                .max()
                .unwrap_or_else(|| today.to_owned());
            let row = [
                database_id,
                name,
                if negated { "NOT".to_owned() } else { String::new() },
                hpo_id,
                references.join(";"),
                if table { "TAS" } else { "IEA" }.to_owned(),
                text(biolink::ONSET_QUALIFIER).unwrap_or_default(),
                frequency,
                String::new(),
                String::new(),
                aspect,
                format!("GARD:gardkg[{date}]"),
            ];
            lines.insert(row.join("\t"));
        }
        for line in &lines {
            writeln!(out, "{line}")?;
            rows += 1;
        }
    }
    Ok((out, rows))
}

/// `90.0` -> `90`, `7.5` -> `7.5`.
fn trim_number(text: &str) -> String {
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text.to_owned() }
}
