//! What changed between two versions of pages: `gardkg diff`.
//!
//! Each side is read into [`Facts`], per disease: its phenotype and disease-level HPO annotations (keyed by
//! predicate and term; with negation, frequencies, onsets and evidence), the references its page lists, its
//! identifiers (`biolink:xref`, `skos:exactMatch`) and its sections' last-updated dates. The facts come from triples
//! (a page graph, a store, an export, or a page run through the pipeline), so every side compares the same way.
//! [`compare`] gives a [`Report`]: per disease, what was added, removed or changed. It is written for people
//! ([`Report::markdown`]), as JSON, or as RDF ([`Report::changeset`]): one Talis changeset per disease
//! (`cs:ChangeSet` with `cs:removal` and `cs:addition` statements), a graph a curator can load beside the data.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use serde::Serialize;

use crate::model::vocab::{self, Namespace, biolink, dcterms, rdf};

/// The Talis changeset vocabulary (`http://purl.org/vocab/changeset/schema#`).
const CS: &str = "http://purl.org/vocab/changeset/schema#";

/// What one annotation (a disease's statement about an HPO term) says besides its term.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Annotation {
    /// The page states the term is absent.
    pub negated: bool,
    /// Frequencies (HPO terms, `n/m`, `n%`).
    pub frequencies: BTreeSet<String>,
    /// Onsets (HPO terms).
    pub onsets: BTreeSet<String>,
    /// Evidence codes (ECO terms).
    pub evidence: BTreeSet<String>,
    /// Publications supporting it (the page's numbered references cited where the term is stated).
    pub publications: BTreeSet<String>,
}

/// What a page says of its disease, in comparable form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The disease's label.
    pub label: Option<String>,
    /// Annotations by (predicate CURIE, term CURIE, negated): `biolink:has_phenotype`, the aspect predicates and
    /// `biolink:has_mode_of_inheritance`.
    pub annotations: BTreeMap<(String, String, bool), Annotation>,
    /// References the page lists (CURIEs or IRIs).
    pub references: BTreeSet<String>,
    /// Identifiers of the disease (`biolink:xref`, `skos:exactMatch`).
    pub identifiers: BTreeSet<String>,
    /// Section (fragment) -> last-updated date.
    pub sections: BTreeMap<String, Option<String>>,
}

/// Facts by disease CURIE.
pub type Side = BTreeMap<String, Facts>;

/// The triples of one or more pages, by subject.
#[derive(Default)]
pub struct Triples {
    by_subject: HashMap<NamedOrBlankNode, HashMap<NamedNode, Vec<Term>>>,
}

impl Triples {
    /// Adds a triple (of any graph).
    pub fn add(&mut self, subject: NamedOrBlankNode, predicate: NamedNode, object: Term) {
        self.by_subject.entry(subject).or_default().entry(predicate).or_default().push(object);
    }

    fn values(&self, subject: &NamedOrBlankNode, predicate: oxigraph::model::NamedNodeRef<'_>) -> &[Term] {
        self.by_subject.get(subject).and_then(|p| p.get(&predicate.into_owned())).map_or(&[], Vec::as_slice)
    }

    /// The facts of every disease the triples describe.
    pub fn facts(&self) -> Side {
        let mut side = Side::new();
        let predicates: BTreeSet<String> = [biolink::HAS_PHENOTYPE, biolink::HAS_MODE_OF_INHERITANCE]
            .iter()
            .map(|p| p.as_str().to_owned())
            .chain(vocab::ASPECT_PREDICATES.iter().map(|(local, _)| (*local).to_owned()))
            .collect();
        for (subject, props) in &self.by_subject {
            // Associations: rdf:subject/predicate/object.
            let first = |p: oxigraph::model::NamedNodeRef<'_>| props.get(&p.into_owned()).and_then(|v| v.first());
            if let (Some(Term::NamedNode(disease)), Some(Term::NamedNode(predicate)), Some(Term::NamedNode(term))) =
                (first(rdf::SUBJECT), first(rdf::PREDICATE), first(rdf::OBJECT))
            {
                let known = predicates.contains(predicate.as_str())
                    || predicates.iter().any(|local| predicate.as_str().ends_with(&format!("/{local}")));
                if !known {
                    continue;
                }
                let negated = self.values(subject, biolink::NEGATED).iter().any(|t| text(t) == "true");
                let facts = side.entry(curie(disease.as_str())).or_default();
                let key = (curie(predicate.as_str()), curie(term.as_str()), negated);
                let a = facts.annotations.entry(key).or_default();
                a.negated = negated;
                a.frequencies.extend(self.values(subject, biolink::FREQUENCY_QUALIFIER).iter().map(text));
                if let (Some(count), Some(total)) =
                    (self.values(subject, biolink::HAS_COUNT).first(), self.values(subject, biolink::HAS_TOTAL).first())
                {
                    a.frequencies.insert(format!("{}/{}", text(count), text(total)));
                } else if let Some(p) = self.values(subject, biolink::HAS_PERCENTAGE).first() {
                    a.frequencies.insert(format!("{}%", text(p)));
                }
                a.onsets.extend(self.values(subject, biolink::ONSET_QUALIFIER).iter().map(text));
                a.evidence.extend(self.values(subject, biolink::HAS_EVIDENCE).iter().map(text));
                a.publications.extend(self.values(subject, biolink::PUBLICATIONS).iter().map(text));
                continue;
            }
            // A disease node (typed biolink:Disease, with the page's identifiers).
            let NamedOrBlankNode::NamedNode(node) = subject else { continue };
            let is_disease = self
                .values(subject, rdf::TYPE)
                .iter()
                .any(|t| matches!(t, Term::NamedNode(n) if *n == biolink::DISEASE));
            // A page's own disease: a GARD id, or a disease minted from a title without one.
            if is_disease && (node.as_str().starts_with(vocab::GARD_NS) || node.as_str().contains("/disease/")) {
                let facts = side.entry(curie(node.as_str())).or_default();
                facts.label = self.values(subject, vocab::rdfs::LABEL).first().map(text).or(facts.label.take());
                facts.identifiers.extend(
                    self.values(subject, biolink::XREF)
                        .iter()
                        .chain(self.values(subject, vocab::skos::EXACT_MATCH))
                        .map(text),
                );
            }
            // A page node: its disease, references and sections.
            if let Some(Term::NamedNode(disease)) = self.values(subject, dcterms::SUBJECT).first() {
                let facts = side.entry(curie(disease.as_str())).or_default();
                facts.references.extend(self.values(subject, dcterms::REFERENCES).iter().map(text));
                for section in self.values(subject, dcterms::HAS_PART) {
                    let Term::NamedNode(section_iri) = section else { continue };
                    let fragment = section_iri.as_str().rsplit('#').next().unwrap_or_default().to_owned();
                    let date = self
                        .values(&NamedOrBlankNode::NamedNode(section_iri.clone()), dcterms::MODIFIED)
                        .first()
                        .map(text);
                    facts.sections.insert(fragment, date);
                }
            }
        }
        // Nodes that only appeared as a condition or treatment object are not pages' diseases.
        side.retain(|id, _| id.starts_with("GARD:") || id.contains("/disease/"));
        side
    }
}

/// A term as text: a CURIE for a known IRI, the value of a literal.
fn text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => curie(n.as_str()),
        Term::Literal(l) => l.value().to_owned(),
        other @ Term::BlankNode(_) => other.to_string(),
    }
}

fn curie(iri: &str) -> String {
    vocab::compact_iri(iri).unwrap_or_else(|| iri.to_owned())
}

/// One disease's changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiseaseChanges {
    /// The disease (CURIE).
    pub disease: String,
    /// Its label (new side, else old).
    pub label: Option<String>,
    /// Only in the new side.
    pub added: bool,
    /// Only in the old side.
    pub removed: bool,
    /// Annotations added: (predicate, term, negated).
    pub annotations_added: Vec<(String, String, bool)>,
    /// Annotations removed.
    pub annotations_removed: Vec<(String, String, bool)>,
    /// Annotations whose frequency, onset or evidence changed: key, old, new.
    pub annotations_changed: Vec<((String, String, bool), Annotation, Annotation)>,
    /// References added.
    pub references_added: Vec<String>,
    /// References removed.
    pub references_removed: Vec<String>,
    /// Identifiers added.
    pub identifiers_added: Vec<String>,
    /// Identifiers removed.
    pub identifiers_removed: Vec<String>,
    /// Sections whose date changed (or that appeared or went): fragment, old date, new date.
    pub sections_changed: Vec<(String, Option<String>, Option<String>)>,
}

impl DiseaseChanges {
    fn is_empty(&self) -> bool {
        !self.added
            && !self.removed
            && self.annotations_added.is_empty()
            && self.annotations_removed.is_empty()
            && self.annotations_changed.is_empty()
            && self.references_added.is_empty()
            && self.references_removed.is_empty()
            && self.identifiers_added.is_empty()
            && self.identifiers_removed.is_empty()
            && self.sections_changed.is_empty()
    }
}

/// What changed from one side to the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Diseases compared (in either side).
    pub diseases: usize,
    /// Diseases with a change, sorted.
    pub changes: Vec<DiseaseChanges>,
}

fn added<T: Ord + Clone>(old: &BTreeSet<T>, new: &BTreeSet<T>) -> Vec<T> {
    new.difference(old).cloned().collect()
}

/// Compares two sides.
pub fn compare(old: &Side, new: &Side) -> Report {
    let empty = Facts::default();
    let diseases: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut report = Report { diseases: diseases.len(), changes: Vec::new() };
    for disease in diseases {
        let (was, now) = (old.get(disease).unwrap_or(&empty), new.get(disease).unwrap_or(&empty));
        let old_keys: BTreeSet<_> = was.annotations.keys().cloned().collect();
        let new_keys: BTreeSet<_> = now.annotations.keys().cloned().collect();
        let mut changes = DiseaseChanges {
            disease: disease.clone(),
            label: now.label.clone().or_else(|| was.label.clone()),
            added: !old.contains_key(disease),
            removed: !new.contains_key(disease),
            annotations_added: added(&old_keys, &new_keys),
            annotations_removed: added(&new_keys, &old_keys),
            references_added: added(&was.references, &now.references),
            references_removed: added(&now.references, &was.references),
            identifiers_added: added(&was.identifiers, &now.identifiers),
            identifiers_removed: added(&now.identifiers, &was.identifiers),
            ..DiseaseChanges::default()
        };
        for key in old_keys.intersection(&new_keys) {
            let (before, after) = (&was.annotations[key], &now.annotations[key]);
            if before != after {
                changes.annotations_changed.push((key.clone(), before.clone(), after.clone()));
            }
        }
        let sections: BTreeSet<&String> = was.sections.keys().chain(now.sections.keys()).collect();
        for section in sections {
            let before = was.sections.get(section).cloned().flatten();
            let after = now.sections.get(section).cloned().flatten();
            if before != after || was.sections.contains_key(section) != now.sections.contains_key(section) {
                changes.sections_changed.push((section.clone(), before, after));
            }
        }
        if !changes.is_empty() {
            report.changes.push(changes);
        }
    }
    report
}

/// A term with its label when one is known.
fn named(id: &str, labels: &dyn Fn(&str) -> Option<String>) -> String {
    labels(id).map_or_else(|| id.to_owned(), |l| format!("{l} ({id})"))
}

/// What differs between two versions of an annotation, field by field: `frequency HP:0040282 -> HP:0040281;
/// publications -PMID:1 +PMID:2`.
fn describe_change(old: &Annotation, new: &Annotation) -> String {
    let fields = [
        ("frequency", &old.frequencies, &new.frequencies),
        ("onset", &old.onsets, &new.onsets),
        ("evidence", &old.evidence, &new.evidence),
        ("publications", &old.publications, &new.publications),
    ];
    let mut parts = Vec::new();
    for (name, before, after) in fields {
        if before == after {
            continue;
        }
        let removed: Vec<String> = before.difference(after).map(|v| format!("-{v}")).collect();
        let added: Vec<String> = after.difference(before).map(|v| format!("+{v}")).collect();
        parts.push(format!("{name} {}", removed.into_iter().chain(added).collect::<Vec<_>>().join(" ")));
    }
    parts.join("; ")
}

fn predicate_name(p: &str) -> &str {
    p.rsplit(['/', ':']).next().unwrap_or(p)
}

impl Report {
    /// A Markdown report (also readable on a terminal). Terms are named by the side they come from: a removed
    /// annotation by `old_labels`, an added or changed one by `new_labels` (across ontology releases a term's label
    /// may differ between the sides).
    pub fn markdown(
        &self,
        old_name: &str,
        new_name: &str,
        old_labels: &dyn Fn(&str) -> Option<String>,
        new_labels: &dyn Fn(&str) -> Option<String>,
    ) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Changes from {old_name} to {new_name}\n\n{} of {} diseases changed.",
            self.changes.len(),
            self.diseases
        );
        for c in &self.changes {
            let _ = writeln!(out, "\n## {} {}", c.disease, c.label.as_deref().unwrap_or(""));
            if c.added {
                let _ = writeln!(out, "\n- new disease");
            }
            if c.removed {
                let _ = writeln!(out, "\n- disease no longer present");
            }
            let key = |(p, t, neg): &(String, String, bool), labels: &dyn Fn(&str) -> Option<String>| {
                format!("{}{} {}", if *neg { "NOT " } else { "" }, predicate_name(p), named(t, labels))
            };
            for k in &c.annotations_added {
                let _ = writeln!(out, "- added: {}", key(k, new_labels));
            }
            for k in &c.annotations_removed {
                let _ = writeln!(out, "- removed: {}", key(k, old_labels));
            }
            for (k, a, b) in &c.annotations_changed {
                let _ = writeln!(out, "- changed: {}: {}", key(k, new_labels), describe_change(a, b));
            }
            for r in &c.references_added {
                let _ = writeln!(out, "- reference added: {r}");
            }
            for r in &c.references_removed {
                let _ = writeln!(out, "- reference removed: {r}");
            }
            for r in &c.identifiers_added {
                let _ = writeln!(out, "- identifier added: {r}");
            }
            for r in &c.identifiers_removed {
                let _ = writeln!(out, "- identifier removed: {r}");
            }
            for (s, a, b) in &c.sections_changed {
                let date = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".to_owned());
                let _ = writeln!(out, "- section {s} updated: {} -> {}", date(a), date(b));
            }
        }
        out
    }

    /// The changes as RDF: per disease a `cs:ChangeSet` (`cs:subjectOfChange` the disease, `cs:changeReason`), with
    /// a `cs:removal` and a `cs:addition` `rdf:Statement` per fact that went or came (an annotation's statement
    /// carries its negation, frequencies, onsets and evidence). A changed annotation is a removal and an addition.
    pub fn changeset(&self, namespace: &Namespace, reason: &str) -> Vec<Quad> {
        let graph = GraphName::DefaultGraph;
        let cs = |local: &str| NamedNode::new_unchecked(format!("{CS}{local}"));
        let mut quads = Vec::new();
        let iri = |id: &str| vocab::expand_curie(id).or_else(|| NamedNode::new(id).ok());
        for c in &self.changes {
            let Some(disease) = iri(&c.disease) else { continue };
            let set = namespace.iri(&format!("changeset/{}", vocab::slug(&c.disease)));
            let mut add = |s: &NamedNode, p: NamedNode, o: Term| quads.push(Quad::new(s.clone(), p, o, graph.clone()));
            add(&set, rdf::TYPE.into(), cs("ChangeSet").into());
            add(&set, cs("subjectOfChange"), disease.clone().into());
            add(&set, cs("changeReason"), Literal::new_simple_literal(reason).into());
            let mut n = 0;
            let mut statement =
                |kind: &str, s: &NamedNode, p: NamedNode, o: Term, extra: &[(NamedNode, Term)]| -> Vec<Quad> {
                    n += 1;
                    let node = namespace.iri(&format!("changeset/{}/{n}", vocab::slug(&c.disease)));
                    let mut out = vec![
                        Quad::new(set.clone(), cs(kind), node.clone(), graph.clone()),
                        Quad::new(
                            node.clone(),
                            rdf::TYPE,
                            NamedNode::new_unchecked(format!("{}Statement", rdf::NS)),
                            graph.clone(),
                        ),
                        Quad::new(node.clone(), rdf::SUBJECT, s.clone(), graph.clone()),
                        Quad::new(node.clone(), rdf::PREDICATE, p, graph.clone()),
                        Quad::new(node.clone(), rdf::OBJECT, o, graph.clone()),
                    ];
                    out.extend(extra.iter().map(|(p, v)| Quad::new(node.clone(), p.clone(), v.clone(), graph.clone())));
                    out
                };
            let annotation = |(p, t, neg): &(String, String, bool), a: Option<&Annotation>| {
                let predicate = iri(p)?;
                let term = iri(t)?;
                let mut extra: Vec<(NamedNode, Term)> = vec![(biolink::NEGATED.into(), Literal::from(*neg).into())];
                if let Some(a) = a {
                    for f in &a.frequencies {
                        let value: Term = iri(f).map_or_else(|| Literal::new_simple_literal(f).into(), Term::from);
                        extra.push((biolink::FREQUENCY_QUALIFIER.into(), value));
                    }
                    extra.extend(
                        a.onsets.iter().filter_map(|o| iri(o)).map(|o| (biolink::ONSET_QUALIFIER.into(), o.into())),
                    );
                    extra.extend(
                        a.evidence.iter().filter_map(|e| iri(e)).map(|e| (biolink::HAS_EVIDENCE.into(), e.into())),
                    );
                }
                Some((predicate, term, extra))
            };
            for k in &c.annotations_removed {
                if let Some((p, t, extra)) = annotation(k, None) {
                    quads.extend(statement("removal", &disease, p, t.into(), &extra));
                }
            }
            for k in &c.annotations_added {
                if let Some((p, t, extra)) = annotation(k, None) {
                    quads.extend(statement("addition", &disease, p, t.into(), &extra));
                }
            }
            for (k, a, b) in &c.annotations_changed {
                if let Some((p, t, extra)) = annotation(k, Some(a)) {
                    quads.extend(statement("removal", &disease, p, t.into(), &extra));
                }
                if let Some((p, t, extra)) = annotation(k, Some(b)) {
                    quads.extend(statement("addition", &disease, p, t.into(), &extra));
                }
            }
            for (list, kind, predicate) in [
                (&c.references_removed, "removal", dcterms::REFERENCES),
                (&c.references_added, "addition", dcterms::REFERENCES),
                (&c.identifiers_removed, "removal", biolink::XREF),
                (&c.identifiers_added, "addition", biolink::XREF),
            ] {
                for value in list {
                    if let Some(v) = iri(value) {
                        quads.extend(statement(kind, &disease, predicate.into(), v.into(), &[]));
                    }
                }
            }
            for (section, a, b) in &c.sections_changed {
                let node = namespace.iri(&format!(
                    "page/{}#{section}",
                    c.disease.strip_prefix("GARD:").map_or_else(|| vocab::slug(&c.disease), |n| format!("gard/{n}"))
                ));
                for (kind, date) in [("removal", a), ("addition", b)] {
                    if let Some(d) = date {
                        let value = Literal::new_typed_literal(d.clone(), vocab::xsd::DATE);
                        quads.extend(statement(kind, &node, dcterms::MODIFIED.into(), value.into(), &[]));
                    }
                }
            }
        }
        quads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_names_each_term_by_its_own_side() {
        let phenotype = "biolink:has_phenotype".to_owned();
        let report = Report {
            diseases: 1,
            changes: vec![DiseaseChanges {
                disease: "GARD:0099999".into(),
                label: Some("Kettle fever".into()),
                annotations_added: vec![(phenotype.clone(), "HP:0000002".into(), false)],
                annotations_removed: vec![(phenotype, "HP:0000001".into(), true)],
                ..DiseaseChanges::default()
            }],
        };
        // The same id means something else in each release: the old side names what was removed, the new side
        // what was added.
        let old = |id: &str| (id == "HP:0000001").then(|| "Forearm".to_owned());
        let new = |id: &str| Some(format!("{id} in the new release"));
        let text = report.markdown("old", "new", &old, &new);
        assert!(text.contains("- removed: NOT has_phenotype Forearm (HP:0000001)"), "{text}");
        assert!(text.contains("- added: has_phenotype HP:0000002 in the new release (HP:0000002)"), "{text}");
    }
}
