//! Concept recognition on plain text (`gardkg annotate`): the HPO phenotypes a text names, with their spans,
//! negation, frequency and onset, found by the same [`Recognizer`] that ingest runs on a page's prose.
//!
//! The text becomes a page of one summary section whose paragraphs are its lines, so that every rule of the
//! page's prose applies (negation cues, quantified subjects, onset phrases, coordination); the page has no title,
//! so no words are set aside as the disease's own name. Offsets are `char` offsets into the text as given.

use serde::Serialize;

use crate::page::{Page, Section, SectionKind, Source, SourceFormat};
use crate::recognize::{Frequency, Recognizer};
use crate::source::sentences;

/// One phenotype named in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextAnnotation {
    /// Offset of the first `char` of the mention in the text.
    pub start: usize,
    /// Offset one past its last `char`.
    pub end: usize,
    /// The words, as written.
    pub text: String,
    /// The HPO term (a current identifier).
    pub id: String,
    /// Its HPO name.
    pub label: String,
    /// Whether the text states the phenotype is absent.
    pub negated: bool,
    /// The HPO frequency term, percentage (`40%`) or count (`7/19`) the sentence states for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// The HPO onset term the sentence states for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onset: Option<String>,
    /// The rule family that found it ("name", "lay-synonym", "anatomy", ...: [`crate::recognize::phenotypes::Rule`]).
    pub rule: &'static str,
}

/// The page a plain text is read as: one summary section, one prose paragraph per non-blank line.
pub fn text_page(text: &str, location: &str) -> Page {
    let paragraphs = sentences::line_paragraphs(text);
    let summary = Section {
        kind: SectionKind::Summary,
        heading: None,
        text: text.to_owned(),
        paragraphs,
        table: Vec::new(),
        last_updated: None,
    };
    Page {
        source: Source {
            format: SourceFormat::GardText,
            location: location.to_owned(),
            url: None,
            content_sha256: String::new(),
        },
        gard_id: None,
        title: String::new(),
        synonyms: Vec::new(),
        identifiers: Vec::new(),
        sections: vec![summary],
        references: Vec::new(),
        resources: Vec::new(),
        warnings: Vec::new(),
    }
}

/// The phenotypes `text` names, in text order.
pub fn annotate(recognizer: &Recognizer, text: &str) -> Vec<TextAnnotation> {
    let page = text_page(text, "-");
    let mut out: Vec<TextAnnotation> = recognizer
        .recognize(&page)
        .phenotypes
        .into_iter()
        .map(|p| TextAnnotation {
            start: p.start,
            end: p.end,
            text: p.text,
            id: p.hpo_id,
            label: p.label,
            negated: p.negated,
            frequency: p.frequency.map(|f| match f {
                Frequency::Term(id) => id,
                Frequency::Percentage(value) => format!("{value}%"),
                Frequency::Ratio { count, total } => format!("{count}/{total}"),
            }),
            onset: p.onset,
            rule: p.rule.unwrap_or_default().name(),
        })
        .collect();
    out.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phenotypes_of_a_text_with_spans_negation_frequency_and_onset() {
        let recognizer = Recognizer::bundled().expect("bundled recognizer");
        let text = "Most people with kettle fever have seizures.\n\nThere is no hearing loss. Symptoms begin in infancy \
                    with hypotonia.";
        let found = annotate(&recognizer, text);
        let chars: Vec<char> = text.chars().collect();
        for a in &found {
            assert_eq!(chars[a.start..a.end].iter().collect::<String>(), a.text, "spans index the text");
        }
        let get = |id: &str| found.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("{id} in {found:?}"));
        let seizure = get("HP:0001250");
        assert_eq!((seizure.text.as_str(), seizure.negated), ("seizures", false));
        assert_eq!(seizure.frequency.as_deref(), Some("HP:0040281"), "most: very frequent");
        let hearing = get("HP:0000365");
        assert!(hearing.negated, "{hearing:?}");
        // Hypotonia in infancy is HPO's Infantile muscular hypotonia: its synonym "Hypotonia in infancy" in another
        // word order.
        let hypotonia = get("HP:0008947");
        assert_eq!(hypotonia.text, "infancy with hypotonia");
        assert_eq!(hypotonia.onset.as_deref(), Some("HP:0003593"), "infantile onset");
        assert!(annotate(&recognizer, "").is_empty());
        assert!(annotate(&recognizer, "The kettle is on the stove.").is_empty());
    }
}
