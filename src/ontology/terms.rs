//! What the model may say about a term: its label, Biolink category and, for HPO, its annotation aspect. The
//! facts come from the bundled ontologies and are written as the ontology's own triples, in the ontology's graph,
//! exactly as loading the whole ontology writes them (so a store that has both holds each fact once).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::sync::OnceLock;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad};

use super::{Bundled, categories};
use crate::model::vocab::{self, biolink, rdfs};
use crate::recognize::Ontology;

/// The aspect of an HPO annotation, as `phenotype.hpoa` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Aspect {
    /// Phenotypic abnormality (`P`): a phenotype.
    Phenotype,
    /// Mode of inheritance (`I`).
    Inheritance,
    /// Clinical course, onset included (`C`).
    ClinicalCourse,
    /// Clinical modifier (`M`).
    ClinicalModifier,
    /// Past medical history (`H`).
    PastMedicalHistory,
}

impl Aspect {
    /// The letter `phenotype.hpoa` uses.
    pub fn letter(self) -> &'static str {
        match self {
            Self::Phenotype => "P",
            Self::Inheritance => "I",
            Self::ClinicalCourse => "C",
            Self::ClinicalModifier => "M",
            Self::PastMedicalHistory => "H",
        }
    }

    /// The aspect of a term with this Biolink category (from HPO's branches, [`categories::rules`]).
    fn of_category(category: NamedNodeRef<'_>) -> Option<Self> {
        if category == biolink::PHENOTYPIC_FEATURE {
            Some(Self::Phenotype)
        } else if category == biolink::GENETIC_INHERITANCE {
            Some(Self::Inheritance)
        } else if category == biolink::ONSET || category == biolink::CLINICAL_COURSE {
            Some(Self::ClinicalCourse)
        } else if category == biolink::CLINICAL_MODIFIER {
            Some(Self::ClinicalModifier)
        } else if category == biolink::CLINICAL_FINDING {
            Some(Self::PastMedicalHistory)
        } else {
            None
        }
    }
}

/// The bundled ontologies' terms, for the model.
#[derive(Debug)]
pub struct Terms {
    hp: &'static Ontology,
    maxo: &'static Ontology,
    /// ECO labels: only the evidence codes gardkg writes are needed, read by a line scan of the OBO text.
    eco: HashMap<String, String>,
    /// The category of every categorized term (computed once from the rules' roots down).
    categories: HashMap<String, NamedNodeRef<'static>>,
    graphs: HashMap<&'static str, NamedNode>,
}

impl Terms {
    /// The bundled HPO, MAxO and ECO (read once, shared).
    pub fn bundled() -> Result<&'static Terms, String> {
        static CELL: OnceLock<Result<Terms, String>> = OnceLock::new();
        CELL.get_or_init(|| {
            let hp = Ontology::bundled().map_err(|e| e.to_string())?;
            let maxo = crate::recognize::bundled_maxo().map_err(|e| e.to_string())?;
            let eco = obo_labels(Bundled::Eco, &[vocab::ECO_TEXT_MINED, vocab::ECO_AUTHOR_STATEMENT]);
            let mut graphs = HashMap::new();
            for b in Bundled::ALL {
                graphs.insert(b.name(), b.ontology_iri()?);
            }
            let mut categories = HashMap::new();
            for (name, ontology) in [("hp", hp), ("maxo", maxo)] {
                // Least specific rule first, so that a more specific root overwrites it.
                for (root, category) in categories::rules(name).iter().rev() {
                    for term in ontology.descendants(root) {
                        categories.insert(term.id.clone(), *category);
                    }
                }
            }
            for id in eco.keys() {
                categories.insert(id.clone(), biolink::EVIDENCE_TYPE);
            }
            Ok(Terms { hp, maxo, eco, categories, graphs })
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Which bundled ontology a CURIE belongs to, by prefix.
    fn ontology(curie: &str) -> Option<&'static str> {
        match curie.split_once(':')?.0 {
            "HP" => Some("hp"),
            "MAXO" => Some("maxo"),
            "ECO" => Some("eco"),
            _ => None,
        }
    }

    /// The term's label in its bundled ontology.
    pub fn label(&self, curie: &str) -> Option<&str> {
        match Self::ontology(curie)? {
            "hp" => self.hp.term(curie).map(|t| t.label.as_str()),
            "maxo" => self.maxo.term(curie).map(|t| t.label.as_str()),
            _ => self.eco.get(curie).map(String::as_str),
        }
    }

    /// The term's Biolink category: that of the most specific root of [`categories::rules`] it descends from.
    pub fn category(&self, curie: &str) -> Option<NamedNodeRef<'static>> {
        self.categories.get(curie).copied()
    }

    /// The aspect of an HPO term's annotations; `None` for a frequency term, the root, or an unknown id.
    pub fn aspect(&self, curie: &str) -> Option<Aspect> {
        self.category(curie).and_then(Aspect::of_category)
    }

    /// The term's own triples (label, category) in its ontology's graph: what a page may add about it.
    pub fn describe(&self, curie: &str) -> Vec<Quad> {
        let (Some(name), Some(iri)) = (Self::ontology(curie), vocab::expand_curie(curie)) else { return Vec::new() };
        let graph = GraphName::NamedNode(self.graphs[name].clone());
        let mut quads = Vec::with_capacity(2);
        if let Some(label) = self.label(curie) {
            quads.push(Quad::new(iri.clone(), rdfs::LABEL, Literal::new_simple_literal(label), graph.clone()));
        }
        if let Some(category) = self.category(curie) {
            quads.push(Quad::new(iri, biolink::CATEGORY, category, graph));
        }
        quads
    }
}

/// The `name` of the given terms in a bundled OBO file, by a scan of its stanzas.
fn obo_labels(ontology: Bundled, ids: &[NamedNodeRef<'_>]) -> HashMap<String, String> {
    let wanted: Vec<String> = ids.iter().filter_map(|iri| vocab::compact_iri(iri.as_str())).collect();
    let reader = BufReader::new(flate2::read::GzDecoder::new(ontology.gz()));
    let mut out = HashMap::new();
    let mut current: Option<String> = None;
    for line in reader.lines().map_while(Result::ok) {
        if let Some(id) = line.strip_prefix("id: ") {
            current = wanted.iter().find(|w| *w == id).cloned();
        } else if let (Some(id), Some(name)) = (&current, line.strip_prefix("name: ")) {
            out.insert(id.clone(), name.to_owned());
            current = None;
        }
        if out.len() == wanted.len() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspects_follow_hpo_branches() {
        let terms = Terms::bundled().unwrap();
        assert_eq!(terms.aspect("HP:0002719"), Some(Aspect::Phenotype));
        assert_eq!(terms.aspect("HP:0000006"), Some(Aspect::Inheritance));
        assert_eq!(terms.aspect("HP:0003593"), Some(Aspect::ClinicalCourse));
        assert_eq!(terms.aspect("HP:0003577"), Some(Aspect::ClinicalCourse));
        assert_eq!(terms.aspect("HP:0012828"), Some(Aspect::ClinicalModifier));
        assert_eq!(terms.aspect("HP:0040281"), None);
        assert_eq!(terms.category("HP:0003593"), Some(biolink::ONSET));
        assert_eq!(terms.category("MAXO:0001480"), Some(biolink::TREATMENT));
        assert_eq!(terms.label("ECO:0007669"), Some("computational evidence used in automatic assertion"));
        assert_eq!(terms.category("ECO:0000304"), Some(biolink::EVIDENCE_TYPE));
    }

    #[test]
    fn descriptions_are_in_the_ontology_graph() {
        let terms = Terms::bundled().unwrap();
        let quads = terms.describe("HP:0002719");
        assert_eq!(quads.len(), 2);
        assert!(quads.iter().all(|q| q.graph_name.to_string() == "<http://purl.obolibrary.org/obo/hp.owl>"));
        assert!(terms.describe("NOPE:1").is_empty());
    }
}
