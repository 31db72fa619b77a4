//! Biolink categories of ontology terms, by the branch of the ontology a term sits in.
//!
//! A term's category is a fact about the term, not about a page: it is written once, in the ontology's graph,
//! when the ontology is loaded (and, for a store without the full ontology, for the terms its pages use). The
//! rules are data: an ontology's roots, most specific first; a term takes the category of the first root it
//! descends from (reflexively).

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedNodeRef};

use crate::model::vocab::{self, biolink};

/// The category rules of an ontology, by short name: `(root CURIE, category)`, most specific root first.
pub fn rules(ontology: &str) -> &'static [(&'static str, NamedNodeRef<'static>)] {
    match ontology {
        // HPO's top-level branches, as phenotype.hpoa's aspects read them (P, I, C, M, H) and Biolink types them.
        "hp" => &[
            ("HP:0000118", biolink::PHENOTYPIC_FEATURE),
            ("HP:0000005", biolink::GENETIC_INHERITANCE),
            ("HP:0003674", biolink::ONSET),
            ("HP:0031797", biolink::CLINICAL_COURSE),
            ("HP:0012823", biolink::CLINICAL_MODIFIER),
            ("HP:0032443", biolink::CLINICAL_FINDING),
        ],
        // Every MAxO medical action: the category Biolink's treatment predicates take as subject (MODELING.md).
        "maxo" => &[("MAXO:0000001", biolink::TREATMENT)],
        "eco" => &[("ECO:0000000", biolink::EVIDENCE_TYPE)],
        "mondo" => &[("MONDO:0000001", biolink::DISEASE)],
        _ => &[],
    }
}

/// The category of every term that descends from a rule's root, from the ontology's closure pairs
/// `(term, ancestor)`.
pub fn assign(ontology: &str, closure: &[(NamedNode, NamedNode)]) -> HashMap<NamedNode, NamedNodeRef<'static>> {
    let rules: Vec<(NamedNode, usize, NamedNodeRef<'static>)> = rules(ontology)
        .iter()
        .enumerate()
        .filter_map(|(rank, (root, category))| Some((vocab::expand_curie(root)?, rank, *category)))
        .collect();
    let mut best: HashMap<NamedNode, (usize, NamedNodeRef<'static>)> = HashMap::new();
    for (term, ancestor) in closure {
        if let Some((_, rank, category)) = rules.iter().find(|(root, _, _)| root == ancestor) {
            let entry = best.entry(term.clone()).or_insert((*rank, *category));
            if *rank < entry.0 {
                *entry = (*rank, *category);
            }
        }
    }
    best.into_iter().map(|(term, (_, category))| (term, category)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_root_wins() {
        let n = |c: &str| vocab::expand_curie(c).unwrap();
        // An onset term is under Clinical course, itself under Clinical modifier: it is an Onset.
        let closure = vec![
            (n("HP:0003593"), n("HP:0003674")),
            (n("HP:0003593"), n("HP:0031797")),
            (n("HP:0003593"), n("HP:0012823")),
            (n("HP:0031797"), n("HP:0031797")),
            (n("HP:0031797"), n("HP:0012823")),
            (n("HP:0012824"), n("HP:0012823")),
            (n("HP:0002719"), n("HP:0000118")),
            (n("HP:0000001"), n("HP:0000001")),
        ];
        let categories = assign("hp", &closure);
        assert_eq!(categories[&n("HP:0003593")], biolink::ONSET);
        assert_eq!(categories[&n("HP:0031797")], biolink::CLINICAL_COURSE);
        assert_eq!(categories[&n("HP:0012824")], biolink::CLINICAL_MODIFIER);
        assert_eq!(categories[&n("HP:0002719")], biolink::PHENOTYPIC_FEATURE);
        assert!(!categories.contains_key(&n("HP:0000001")));
    }
}
