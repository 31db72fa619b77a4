//! Modes of inheritance: "inherited in an autosomal recessive pattern", "X-linked dominant inheritance".
//!
//! The dictionary is the names and `EXACT` synonyms of the current HPO terms under *Mode of inheritance*
//! (`HP:0000005`), folded like phenotype names and matched on word boundaries, longest first. A name counts only
//! in a sentence about heredity: one that contains a word starting with "inherit", or "pattern", "manner",
//! "fashion", "trait" or "transmission" (so "mitochondrial" in "mitochondrial disease" is not a mode of
//! inheritance). A negated mention ("is not inherited in an X-linked manner") gives nothing.

use crate::recognize::negation::is_negated;
use crate::recognize::ontology::{Ontology, Scope};
use crate::recognize::words::name_spans;

/// The root of the inheritance subtree.
pub const MODE_OF_INHERITANCE: &str = "HP:0000005";

/// Words (lower case, prefixes) that make a sentence about heredity.
const HEREDITY_WORDS: [&str; 6] = ["inherit", "pattern", "manner", "fashion", "trait", "transmission"];

/// Names shorter than this are not matched ("AD" and "AR" are too ambiguous in prose).
const MIN_NAME_CHARS: usize = 6;

/// The inheritance terms' names, built once from an ontology.
#[derive(Debug, Clone)]
pub struct InheritanceLexicon {
    /// (term id, its names), longest names first within a term.
    terms: Vec<(String, Vec<String>)>,
}

/// One mode of inheritance stated in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InheritanceMention {
    /// The HPO term.
    pub hpo_id: String,
    /// Offset of the first `char` of the words.
    pub start: usize,
    /// Offset one past the last `char`.
    pub end: usize,
}

impl InheritanceLexicon {
    /// The names of every current term under `HP:0000005`.
    pub fn new(hpo: &Ontology) -> InheritanceLexicon {
        let terms = hpo
            .descendants(MODE_OF_INHERITANCE)
            .filter(|t| !t.obsolete && t.id != MODE_OF_INHERITANCE)
            .map(|t| {
                let mut names: Vec<String> = std::iter::once(t.label.clone())
                    .chain(t.synonyms.iter().filter(|s| s.scope == Scope::Exact).map(|s| s.text.clone()))
                    .filter(|n| n.chars().count() >= MIN_NAME_CHARS && !n.contains('_'))
                    .collect();
                names.sort_by_key(|n| std::cmp::Reverse(n.len()));
                (t.id.clone(), names)
            })
            .filter(|(_, names)| !names.is_empty())
            .collect();
        InheritanceLexicon { terms }
    }

    /// The modes of inheritance `sentence` states, in text order, without overlaps (longest first).
    pub fn find(&self, sentence: &str) -> Vec<InheritanceMention> {
        let lower = sentence.to_lowercase();
        let about_heredity =
            lower.split(|c: char| !c.is_alphanumeric()).any(|w| HEREDITY_WORDS.iter().any(|h| w.starts_with(h)));
        if !about_heredity {
            return Vec::new();
        }
        let mut found: Vec<InheritanceMention> = Vec::new();
        for (id, names) in &self.terms {
            for (start, end) in name_spans(names, sentence) {
                found.push(InheritanceMention { hpo_id: id.clone(), start, end });
            }
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.hpo_id.cmp(&b.hpo_id)));
        let mut kept: Vec<InheritanceMention> = Vec::new();
        for m in found {
            if kept.iter().all(|k| m.end <= k.start || k.end <= m.start) && !is_negated(sentence, m.start) {
                kept.push(m);
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn lexicon() -> &'static InheritanceLexicon {
        static L: OnceLock<InheritanceLexicon> = OnceLock::new();
        L.get_or_init(|| InheritanceLexicon::new(Ontology::bundled().expect("bundled HPO")))
    }

    fn ids(text: &str) -> Vec<String> {
        lexicon().find(text).into_iter().map(|m| m.hpo_id).collect()
    }

    #[test]
    fn modes_in_sentences_about_heredity() {
        assert_eq!(ids("Kettle fever is inherited in an autosomal recessive pattern."), ["HP:0000007"]);
        assert_eq!(ids("It follows X-linked dominant inheritance."), ["HP:0001423"]);
        assert_eq!(ids("It is inherited in an X-linked manner."), ["HP:0001417"]);
        assert_eq!(
            ids("Both autosomal dominant and autosomal recessive inheritance have been reported."),
            ["HP:0000006", "HP:0000007"]
        );
    }

    #[test]
    fn no_mode_outside_heredity_or_under_negation() {
        assert!(ids("It is a mitochondrial disease.").is_empty());
        assert!(ids("It is not inherited in an autosomal dominant manner.").is_empty());
        assert!(ids("").is_empty());
    }

    #[test]
    fn spans_cover_the_words() {
        let text = "It is inherited in an autosomal dominant manner.";
        let m = &lexicon().find(text)[0];
        assert_eq!(text.chars().skip(m.start).take(m.end - m.start).collect::<String>(), "autosomal dominant");
    }
}
