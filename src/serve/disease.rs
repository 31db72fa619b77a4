//! What a disease page shows, read from the store (MODELING.md): names and identifiers, the reified
//! associations (phenotypes with their qualifiers and provenance, inheritance, onset, conditions, treatments),
//! prevalence, references and the page's sections.
//!
//! Read with quad patterns rather than SPARQL: a page is a few hundred lookups by subject, each an index seek.

use std::collections::BTreeSet;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::store::Store;

use crate::model::vocab::{self, Namespace, biolink, dcterms, foaf, oa, prov, rdf, rdfs};
use crate::page::SectionKind;
use crate::store::StoreError;

/// The triples of one subject, from the union of all graphs, each once.
#[derive(Debug, Default)]
pub struct Node {
    /// (predicate, object) pairs.
    pub properties: Vec<(NamedNode, Term)>,
}

impl Node {
    /// Reads a subject's triples.
    pub fn read(store: &Store, subject: NamedNodeRef<'_>) -> Result<Self, StoreError> {
        let mut properties = Vec::new();
        for quad in store.quads_for_pattern(Some(NamedOrBlankNodeRef::NamedNode(subject)), None, None, None) {
            let quad = quad?;
            let pair = (quad.predicate, quad.object);
            if !properties.contains(&pair) {
                properties.push(pair);
            }
        }
        Ok(Self { properties })
    }

    /// The objects of a predicate.
    pub fn objects<'a>(&'a self, predicate: NamedNodeRef<'a>) -> impl Iterator<Item = &'a Term> + 'a {
        self.properties.iter().filter(move |(p, _)| p.as_ref() == predicate).map(|(_, o)| o)
    }

    /// The IRI objects of a predicate.
    pub fn iris(&self, predicate: NamedNodeRef<'_>) -> Vec<NamedNode> {
        let mut iris: Vec<NamedNode> = self
            .objects(predicate)
            .filter_map(|o| match o {
                Term::NamedNode(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        iris.sort();
        iris
    }

    /// The first IRI object of a predicate.
    pub fn iri(&self, predicate: NamedNodeRef<'_>) -> Option<NamedNode> {
        self.iris(predicate).into_iter().next()
    }

    /// The literal values of a predicate, sorted.
    pub fn literals(&self, predicate: NamedNodeRef<'_>) -> Vec<String> {
        let mut values: Vec<String> = self
            .objects(predicate)
            .filter_map(|o| match o.as_ref() {
                TermRef::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect();
        values.sort();
        values
    }

    /// The first literal value of a predicate.
    pub fn literal(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        self.literals(predicate).into_iter().next()
    }

    /// Whether the subject has this `rdf:type`.
    pub fn is_a(&self, class: NamedNodeRef<'_>) -> bool {
        self.objects(rdf::TYPE).any(|o| matches!(o, Term::NamedNode(n) if n.as_ref() == class))
    }
}

/// The label of an IRI (its `rdfs:label`, else `dcterms:title`), if the store has one.
pub fn label(store: &Store, iri: NamedNodeRef<'_>) -> Result<Option<String>, StoreError> {
    for predicate in [rdfs::LABEL, dcterms::TITLE] {
        let subject = NamedOrBlankNodeRef::NamedNode(iri);
        if let Some(quad) = store.quads_for_pattern(Some(subject), Some(predicate), None, None).next() {
            if let Term::Literal(l) = quad?.object {
                return Ok(Some(l.value().to_owned()));
            }
        }
    }
    Ok(None)
}

/// An IRI with its label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Named {
    /// The IRI.
    pub iri: NamedNode,
    /// Its label in the store.
    pub label: Option<String>,
}

impl Named {
    fn read(store: &Store, iri: NamedNode) -> Result<Self, StoreError> {
        Ok(Self { label: label(store, iri.as_ref())?, iri })
    }

    /// The label, else the compact IRI.
    pub fn text(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| vocab::compact_iri(self.iri.as_str()).unwrap_or_else(|| self.iri.to_string()))
    }
}

/// One reified statement about the disease, with its qualifiers and where it was read.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The association node.
    pub iri: NamedNode,
    /// The other end: the phenotype, condition, inheritance mode or onset (the object), or the treatment (the
    /// subject).
    pub term: Named,
    /// The predicate.
    pub predicate: Option<NamedNode>,
    /// The page states the opposite.
    pub negated: bool,
    /// An HPO frequency term.
    pub frequency: Option<Named>,
    /// A percentage.
    pub percentage: Option<String>,
    /// n of m patients.
    pub count: Option<(String, String)>,
    /// The onset.
    pub onset: Option<Named>,
    /// The evidence code.
    pub evidence: Option<Named>,
    /// The HPO aspect (C, M, H) of a disease annotation.
    pub aspect: Option<String>,
    /// Whether a condition is a node gardkg could not resolve to an ontology term.
    pub unresolved: bool,
    /// The sentences (or table rows) it was read from.
    pub sentences: Vec<String>,
    /// The references those sentences cite.
    pub references: Vec<NamedNode>,
    /// The sections it was read from.
    pub sections: Vec<NamedNode>,
}

/// A prevalence range.
#[derive(Debug, Clone)]
pub struct Prevalence {
    /// The node.
    pub iri: NamedNode,
    /// Lowest percentage.
    pub min: Option<String>,
    /// Highest percentage.
    pub max: Option<String>,
    /// The sentences stating it.
    pub sentences: Vec<String>,
    /// The references they cite.
    pub references: Vec<NamedNode>,
    /// The sections they are in.
    pub sections: Vec<NamedNode>,
}

/// A reference of the page.
#[derive(Debug, Clone)]
pub struct Reference {
    /// Its IRI (PMID, PMCID, DOI, URL, or a minted `gardkg:ref/…`).
    pub iri: NamedNode,
    /// The title.
    pub title: Option<String>,
    /// The whole citation.
    pub citation: Option<String>,
    /// A web page of it.
    pub url: Option<NamedNode>,
}

/// A section of the page.
#[derive(Debug, Clone)]
pub struct Section {
    /// `gardkg:page/gard/0012547#summary`.
    pub iri: NamedNode,
    /// The kind (`summary`, `symptoms`...).
    pub kind: String,
    /// Its heading.
    pub heading: Option<String>,
    /// When the section was last updated.
    pub modified: Option<String>,
}

/// Everything a disease page shows.
#[derive(Debug, Clone)]
pub struct DiseasePage {
    /// The disease.
    pub iri: NamedNode,
    /// Its name.
    pub label: String,
    /// Other names.
    pub synonyms: Vec<String>,
    /// Identifiers in other resources.
    pub xrefs: Vec<NamedNode>,
    /// The terms it is exactly (MONDO, Orphanet).
    pub exact: Vec<NamedNode>,
    /// The summary.
    pub description: Option<String>,
    /// Where the page came from.
    pub source: Option<NamedNode>,
    /// The page node and its named graph, when a page describes the disease.
    pub page: Option<(NamedNode, NamedNode)>,
    /// The page's sections.
    pub sections: Vec<Section>,
    /// What the reader lost or did not understand.
    pub warnings: Vec<String>,
    /// Phenotypes (negated ones included).
    pub phenotypes: Vec<Statement>,
    /// Modes of inheritance.
    pub inheritance: Vec<Statement>,
    /// Onset, clinical course, modifiers and history of the disease itself.
    pub course: Vec<Statement>,
    /// Associated conditions.
    pub conditions: Vec<Statement>,
    /// Treatments and preventive measures.
    pub treatments: Vec<Statement>,
    /// Diseases whose pages name this one as an associated condition.
    pub named_by: Vec<Named>,
    /// Prevalence ranges.
    pub prevalence: Vec<Prevalence>,
    /// References.
    pub references: Vec<Reference>,
    /// Other resources about it.
    pub see_also: Vec<Named>,
}

impl DiseasePage {
    /// The page of `iri`, when the store says it is a `biolink:Disease`.
    pub fn read(store: &Store, namespace: &Namespace, iri: &NamedNode) -> Result<Option<Self>, StoreError> {
        let node = Node::read(store, iri.as_ref())?;
        if !node.is_a(biolink::DISEASE) {
            return Ok(None);
        }
        let mut page = Self {
            iri: iri.clone(),
            label: node.literal(rdfs::LABEL).unwrap_or_else(|| iri.as_str().to_owned()),
            synonyms: node.literals(biolink::SYNONYM),
            xrefs: node.iris(biolink::XREF),
            exact: node.iris(vocab::skos::EXACT_MATCH),
            description: node.literal(dcterms::DESCRIPTION),
            source: node.iri(dcterms::SOURCE),
            page: None,
            sections: Vec::new(),
            warnings: Vec::new(),
            phenotypes: Vec::new(),
            inheritance: Vec::new(),
            course: Vec::new(),
            conditions: Vec::new(),
            treatments: Vec::new(),
            named_by: Vec::new(),
            prevalence: Vec::new(),
            references: Vec::new(),
            see_also: Vec::new(),
        };
        page.read_page_node(store, namespace)?;
        page.read_statements(store, namespace)?;
        for range in node.iris(namespace.iri("prevalence").as_ref()) {
            let n = Node::read(store, range.as_ref())?;
            page.prevalence.push(Prevalence {
                min: n.literal(namespace.iri("min_percentage").as_ref()),
                max: n.literal(namespace.iri("max_percentage").as_ref()),
                sentences: n.literals(biolink::SUPPORTING_TEXT),
                references: n.iris(biolink::PUBLICATIONS),
                sections: n.iris(prov::WAS_DERIVED_FROM),
                iri: range,
            });
        }
        for resource in node.iris(rdfs::SEE_ALSO) {
            page.see_also.push(Named::read(store, resource)?);
        }
        page.see_also.sort_by_key(Named::text);
        Ok(Some(page))
    }

    fn read_page_node(&mut self, store: &Store, namespace: &Namespace) -> Result<(), StoreError> {
        let about = store.quads_for_pattern(None, Some(dcterms::SUBJECT), Some(self.iri.as_ref().into()), None);
        for quad in about {
            let quad = quad?;
            let (oxigraph::model::NamedOrBlankNode::NamedNode(node), oxigraph::model::GraphName::NamedNode(graph)) =
                (quad.subject, quad.graph_name)
            else {
                continue;
            };
            if namespace.is_page_graph(graph.as_str()) {
                self.page = Some((node, graph));
                break;
            }
        }
        let Some((page_node, _)) = &self.page else { return Ok(()) };
        let node = Node::read(store, page_node.as_ref())?;
        self.warnings = node.literals(namespace.iri("warning").as_ref());
        let kind_rank = |kind: &str| SectionKind::ALL.iter().position(|k| k.name() == kind).unwrap_or(usize::MAX);
        for section in node.iris(dcterms::HAS_PART) {
            let n = Node::read(store, section.as_ref())?;
            self.sections.push(Section {
                kind: n.literal(namespace.iri("section_kind").as_ref()).unwrap_or_default(),
                heading: n.literal(rdfs::LABEL),
                modified: n.literal(dcterms::MODIFIED),
                iri: section,
            });
        }
        self.sections.sort_by(|a, b| kind_rank(&a.kind).cmp(&kind_rank(&b.kind)).then_with(|| a.iri.cmp(&b.iri)));
        for reference in node.iris(dcterms::REFERENCES) {
            let n = Node::read(store, reference.as_ref())?;
            self.references.push(Reference {
                title: n.literal(rdfs::LABEL),
                citation: n.literal(dcterms::BIBLIOGRAPHIC_CITATION),
                url: n.iri(foaf::PAGE),
                iri: reference,
            });
        }
        self.references.sort_by(|a, b| a.citation.cmp(&b.citation).then_with(|| a.iri.cmp(&b.iri)));
        Ok(())
    }

    fn read_statements(&mut self, store: &Store, namespace: &Namespace) -> Result<(), StoreError> {
        let mut seen = BTreeSet::new();
        let disease = Term::from(self.iri.clone());
        for (position, slot) in [(rdf::SUBJECT, rdf::OBJECT), (rdf::OBJECT, rdf::SUBJECT)] {
            for quad in store.quads_for_pattern(None, Some(position), Some(disease.as_ref()), None) {
                let quad = quad?;
                let oxigraph::model::NamedOrBlankNode::NamedNode(association) = quad.subject else { continue };
                if !seen.insert(association.clone()) {
                    continue;
                }
                let node = Node::read(store, association.as_ref())?;
                let Some(other) = node.iri(slot) else { continue };
                let statement = read_statement(store, namespace, association, &node, other)?;
                if position == rdf::SUBJECT {
                    if node.is_a(biolink::DISEASE_TO_PHENOTYPIC_FEATURE_ASSOCIATION) {
                        self.phenotypes.push(statement);
                    } else if node.is_a(biolink::DISEASE_OR_PHENOTYPIC_FEATURE_TO_GENETIC_INHERITANCE_ASSOCIATION) {
                        self.inheritance.push(statement);
                    } else if node.is_a(biolink::DISEASE_TO_DISEASE_ASSOCIATION) {
                        self.conditions.push(statement);
                    } else {
                        self.course.push(statement);
                    }
                } else if node.is_a(biolink::TREATMENT_TO_DISEASE_ASSOCIATION) {
                    self.treatments.push(statement);
                } else if node.is_a(biolink::DISEASE_TO_DISEASE_ASSOCIATION) {
                    self.named_by.push(statement.term);
                }
            }
        }
        let by_label = |a: &Statement, b: &Statement| {
            (a.negated, a.term.text().to_lowercase(), &a.iri).cmp(&(b.negated, b.term.text().to_lowercase(), &b.iri))
        };
        for list in
            [&mut self.phenotypes, &mut self.inheritance, &mut self.course, &mut self.conditions, &mut self.treatments]
        {
            list.sort_by(by_label);
        }
        self.named_by.sort_by_key(Named::text);
        self.named_by.dedup();
        Ok(())
    }
}

fn read_statement(
    store: &Store,
    namespace: &Namespace,
    iri: NamedNode,
    node: &Node,
    other: NamedNode,
) -> Result<Statement, StoreError> {
    let named = |iri: Option<NamedNode>| iri.map(|i| Named::read(store, i)).transpose();
    let count = node.literal(biolink::HAS_COUNT).zip(node.literal(biolink::HAS_TOTAL));
    let unresolved = if other.as_str().starts_with(namespace.base()) {
        Node::read(store, other.as_ref())?.literal(namespace.iri("unresolved").as_ref()).as_deref() == Some("true")
    } else {
        false
    };
    Ok(Statement {
        term: Named::read(store, other)?,
        predicate: node.iri(rdf::PREDICATE),
        negated: node.literal(biolink::NEGATED).as_deref() == Some("true"),
        frequency: named(node.iri(biolink::FREQUENCY_QUALIFIER))?,
        percentage: node.literal(biolink::HAS_PERCENTAGE),
        count,
        onset: named(node.iri(biolink::ONSET_QUALIFIER))?,
        evidence: named(node.iri(biolink::HAS_EVIDENCE))?,
        aspect: node.literal(namespace.iri("hpo_aspect").as_ref()),
        unresolved,
        sentences: node.literals(biolink::SUPPORTING_TEXT),
        references: node.iris(biolink::PUBLICATIONS),
        sections: node.iris(prov::WAS_DERIVED_FROM),
        iri,
    })
}

/// The selectors of an association, for its RDF description: the nodes it points to with `oa:hasSelector`.
pub fn selectors(node: &Node) -> Vec<NamedNode> {
    node.iris(oa::HAS_SELECTOR)
}
