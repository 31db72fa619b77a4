//! Concept recognition: HPO phenotypes (with negation, frequency and onset), onsets and modes of inheritance of the
//! disease, associated conditions, MAxO treatments and prevalence figures, in a page's prose and tables.
//!
//! [`Recognizer::recognize`] reads a [`Page`] and returns [`Annotations`], everything the model needs: each mention
//! with its section, paragraph, sentence (or table row) and `char` span, so that every statement the model makes can
//! be traced back to the words that produced it. Nothing is grouped or deduplicated here.
//!
//! One module per concern:
//! - [`ontology`]: an OBO ontology (HPO, MAxO) indexed for lookups; [`words`]: tokenizing (the folding and the
//!   reader of the reviewed tables of `ontology/` live below, in [`crate::lexicon`]); [`dictionary`]: the name
//!   search (finite-state transducers).
//! - [`phenotypes`]: the HPO dictionary, lay words, composition (modifiers, coordination, predicative adjectives,
//!   organs) and amounts of substances; [`negation`]: negation and normal findings; [`frequency`]: the HPO
//!   frequency words of tables and sentences; [`onset`]: ages of onset; [`inheritance`]: modes of inheritance.
//! - [`conditions`]: associated conditions and their name lexicon; [`treatments`]: MAxO treatments and preventive
//!   measures; [`prevalence`]: prevalence figures.
//!
//! Prose phenotypes are read only in the summary and symptoms sections: the other sections talk about treatment,
//! causes or diagnosis, and a phenotype named there ("treated for fevers") is not a feature of the disease. Words of
//! the page's own title and synonyms are not phenotypes, nor are associated conditions. Table rows are looked up by
//! their whole label among all HPO names and `EXACT` synonyms.

pub mod conditions;
pub mod dictionary;
pub mod frequency;
pub mod inheritance;
pub mod negation;
pub mod onset;
pub mod ontology;
pub mod packed;
pub mod phenotypes;
pub mod prevalence;
pub mod treatments;
pub mod words;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::lexicon::lay::{LaySynonym, LaySynonyms};

use crate::page::{Page, SectionKind};
pub use conditions::lexicon::{ConditionLexicon, ResolvedCondition};
pub use frequency::{FREQUENCY_EXCLUDED, Frequency};
pub use ontology::{Ontology, Scope, Synonym, Term};
pub use phenotypes::{Match, MatcherStats, PhenotypeMatcher};
pub use prevalence::Prevalence;
pub use treatments::{TreatmentRecognizer, TreatmentRelation, bundled_maxo};
pub use words::fold_pattern;

/// Why an ontology could not be read or a recognizer built.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RecognizeError {
    /// The OBO text is malformed.
    #[error("{}{reason}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Obo {
        /// The 1-based line, when the parser knows it.
        line: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// An ontology or table compiled into the library could not be read (a packaging bug).
    #[error("bundled ontology: {reason}")]
    Bundled {
        /// What went wrong.
        reason: String,
    },
    /// A table is malformed, or a row names a term the ontology does not have.
    #[error(transparent)]
    Table(#[from] crate::lexicon::tables::TableError),
    /// The dictionary automaton could not be built.
    #[error("cannot build the phenotype dictionary: {reason}")]
    Matcher {
        /// What went wrong.
        reason: String,
    },
}

/// Everything recognized in one page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Annotations {
    /// Phenotype mentions, in page order (prose of each section, then its table rows).
    pub phenotypes: Vec<PhenotypeAnnotation>,
    /// Sentences examined: every sentence of the summary and symptoms sections.
    pub sentences: usize,
    /// Examined sentences in which no phenotype was found.
    pub unannotated_sentences: usize,
    /// Table rows whose label names no HPO term, as (section index, row index).
    pub unmatched_table_rows: Vec<(usize, usize)>,
    /// Conditions the page says the disease occurs with ("in association with autoimmune diseases"): not
    /// phenotypes; resolved to Orphanet, OMIM or MONDO by exact name when a pinned lexicon names them.
    #[serde(default)]
    pub conditions: Vec<ConditionMention>,
    /// Ages of onset stated of the disease itself, in a sentence that names no phenotype ("can occur in infants,
    /// children, or adults"): HPO onset terms, as `phenotype.hpoa` annotates them (aspect C).
    #[serde(default)]
    pub onsets: Vec<TermMention>,
    /// Modes of inheritance the page states (HPO terms under `HP:0000005`, aspect I), from every section.
    #[serde(default)]
    pub inheritance: Vec<TermMention>,
    /// Treatments and preventive measures named in the treatment sections.
    #[serde(default)]
    pub treatments: Vec<TreatmentAnnotation>,
    /// Prevalence figures of the disease, from its prevalence sections and sentences that speak of how many people
    /// it affects.
    #[serde(default)]
    pub prevalence: Vec<Prevalence>,
    /// The Orphanet, OMIM or MONDO term whose name is exactly the page's title, with the identifiers Mondo says are
    /// the same disease; the model uses it when the pinned Mondo mappings do not list the page's GARD id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_match: Option<ResolvedCondition>,
}

/// A mention of an HPO term that describes the disease as a whole (an onset or a mode of inheritance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMention {
    /// Where the words are.
    #[serde(flatten)]
    pub at: Mention,
    /// The HPO term.
    pub hpo_id: String,
    /// Its HPO label.
    pub label: String,
}

/// Where a mention is: its sentence in the page and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// Index into `page.sections`.
    pub section: usize,
    /// Index of the paragraph in the section.
    pub paragraph: usize,
    /// Index of the sentence in the paragraph.
    pub sentence: usize,
    /// Offset of the first `char` of the words in `section.text`.
    pub start: usize,
    /// Offset one past the last `char` of the words in `section.text`.
    pub end: usize,
    /// The words, as written.
    pub text: String,
}

/// A condition named as occurring with the disease, not as one of its features.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionMention {
    /// Where the name is ("autoimmune diseases").
    #[serde(flatten)]
    pub at: Mention,
    /// The Orphanet, OMIM or MONDO identifier a pinned lexicon gives the name, when it names exactly one
    /// ([`ConditionLexicon::resolve`]); `None` for an unresolved name or a category of disease.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The identifier's label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A treatment or preventive measure named in a treatment section, as a MAxO term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreatmentAnnotation {
    /// Where the words are.
    #[serde(flatten)]
    pub at: Mention,
    /// The MAxO term.
    pub maxo_id: String,
    /// Its MAxO label.
    pub label: String,
    /// Whether it treats (ameliorates) or prevents the disease.
    pub relation: TreatmentRelation,
}

/// One mention of a phenotype.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhenotypeAnnotation {
    /// Index into `page.sections`.
    pub section: usize,
    /// Index of the paragraph in the section (prose mentions).
    pub paragraph: Option<usize>,
    /// Index of the sentence in the paragraph (prose mentions).
    pub sentence: Option<usize>,
    /// Index into the section's `table` (table mentions).
    pub table_row: Option<usize>,
    /// Offset of the first `char` of the mention in `section.text`.
    pub start: usize,
    /// Offset one past the last `char` of the mention in `section.text`.
    pub end: usize,
    /// The words matched, as written.
    pub text: String,
    /// The HPO term (current identifier).
    pub hpo_id: String,
    /// The HPO label of the term.
    pub label: String,
    /// Whether the page states the phenotype is absent.
    pub negated: bool,
    /// How often the phenotype occurs, when the page says: a table's frequency column, or the quantified subject
    /// of the sentence ("Most people with ..." is `HP:0040281`, see [`frequency`]).
    pub frequency: Option<Frequency>,
    /// The age of onset the sentence states for it, when it states exactly one (an HPO onset term, see
    /// [`onset`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<String>,
    /// How the mention was found.
    pub evidence: Evidence,
    /// The rule family that found it (`None` in annotations made before rules were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<phenotypes::Rule>,
}

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Dictionary matching in prose.
    TextMined,
    /// A row of a sign-and-symptom table.
    Table,
}

/// Finds HPO phenotypes in pages. Build it once and share it: building indexes the whole ontology.
#[derive(Debug, Clone)]
pub struct Recognizer {
    hpo: ontology::OntologyRef,
    matcher: Arc<PhenotypeMatcher>,
    inheritance: inheritance::InheritanceLexicon,
    treatments: &'static TreatmentRecognizer,
    conditions: &'static ConditionLexicon,
    /// Words that deny a phenotype (`ontology/normal-findings.tsv`).
    normal: negation::NormalFindings,
    /// Words that say how often a phenotype occurs (`ontology/frequency-words.tsv`).
    frequency: &'static frequency::FrequencyWords,
    /// Adjectives of body parts (`ontology/anatomy-adjectives.tsv`).
    anatomy: &'static phenotypes::anatomy::AnatomyAdjectives,
}

impl Recognizer {
    /// A recognizer over the HPO release bundled with the library. Its ontologies, dictionaries and lexicons are
    /// built once per process, or read from the start-up cache ([`crate::cache`]) where an earlier run left them.
    pub fn bundled() -> Result<Recognizer, RecognizeError> {
        // The parts are independent: read (or build) them on two threads, each about half of the start-up.
        let ((hpo, matcher), (treatments, conditions)) = rayon::join(
            || rayon::join(Ontology::bundled, PhenotypeMatcher::bundled),
            || rayon::join(TreatmentRecognizer::bundled, ConditionLexicon::bundled),
        );
        treatments?;
        conditions?;
        Self::from_parts(ontology::OntologyRef::Static(hpo?), matcher?)
    }

    /// A recognizer over a loaded ontology that lives for the whole program (see [`Ontology::bundled`]).
    pub fn new(hpo: &'static Ontology) -> Result<Recognizer, RecognizeError> {
        Self::from_parts(ontology::OntologyRef::Static(hpo), Arc::new(PhenotypeMatcher::new(hpo)?))
    }

    /// A recognizer over a shared ontology (another release read with [`Ontology::from_obo`]) and the bundled lay
    /// synonyms, which must all name current terms of that release.
    pub fn with_shared(hpo: Arc<Ontology>) -> Result<Recognizer, RecognizeError> {
        let matcher = Arc::new(PhenotypeMatcher::new(&hpo)?);
        Self::from_parts(ontology::OntologyRef::Shared(hpo), matcher)
    }

    /// A recognizer over an ontology and a matcher built from it with the bundled lay synonyms, and the bundled
    /// tables.
    fn from_parts(hpo: ontology::OntologyRef, matcher: Arc<PhenotypeMatcher>) -> Result<Recognizer, RecognizeError> {
        Ok(Recognizer {
            matcher,
            inheritance: inheritance::InheritanceLexicon::new(&hpo),
            treatments: TreatmentRecognizer::bundled()?,
            conditions: ConditionLexicon::bundled()?,
            normal: negation::NormalFindings::bundled(&hpo)?,
            frequency: checked_frequency_words(&hpo)?,
            anatomy: phenotypes::anatomy::AnatomyAdjectives::bundled()?,
            hpo,
        })
    }

    /// A recognizer over a shared ontology and a lay-synonym table of one's own (and no normal-finding table).
    pub fn with_lay_synonyms(hpo: Arc<Ontology>, lay: &LaySynonyms) -> Result<Recognizer, RecognizeError> {
        Ok(Recognizer {
            matcher: Arc::new(PhenotypeMatcher::with_lay_synonyms(&hpo, lay)?),
            inheritance: inheritance::InheritanceLexicon::new(&hpo),
            treatments: TreatmentRecognizer::bundled()?,
            conditions: ConditionLexicon::bundled()?,
            // The bundled table names terms of the bundled release; a table of one's own comes without it.
            normal: negation::NormalFindings::default(),
            // The bundled frequency words name terms of the bundled release, checked by its recognizers.
            frequency: frequency::FrequencyWords::bundled()?,
            anatomy: phenotypes::anatomy::AnatomyAdjectives::bundled()?,
            hpo: ontology::OntologyRef::Shared(hpo),
        })
    }

    /// The ontology.
    pub fn hpo(&self) -> &Ontology {
        &self.hpo
    }

    /// The dictionary matcher.
    pub fn matcher(&self) -> &PhenotypeMatcher {
        &self.matcher
    }

    /// Finds the phenotypes of a page: in the prose of its summary and symptoms sections, and in every table;
    /// with the onsets and associated conditions stated there, the modes of inheritance stated anywhere, and the
    /// treatments of its treatment sections.
    pub fn recognize(&self, page: &Page) -> Annotations {
        let mut out = Annotations {
            title_match: self.conditions.resolve(&page.title),
            prevalence: prevalence::find(page),
            ..Annotations::default()
        };
        let names = disease_names(page);
        for (s, section) in page.sections.iter().enumerate() {
            let prose = matches!(section.kind, SectionKind::Summary | SectionKind::Symptoms);
            for (p, paragraph) in section.paragraphs.iter().enumerate() {
                for (t, sentence) in paragraph.sentences.iter().enumerate() {
                    let at =
                        Place { section: s, paragraph: p, sentence: t, start: sentence.start, text: &sentence.text };
                    if prose {
                        self.prose_sentence(&mut out, &at, &names);
                    }
                    for m in self.inheritance.find(at.text) {
                        out.inheritance.push(at.term(m.start, m.end, &m.hpo_id, self.label(&m.hpo_id)));
                    }
                    if section.kind == SectionKind::Treatment {
                        out.treatments.extend(self.treatments.find(at.text).into_iter().map(|m| TreatmentAnnotation {
                            at: at.mention(m.start, m.end),
                            maxo_id: m.maxo_id,
                            label: m.label,
                            relation: m.relation,
                        }));
                    }
                }
            }
            self.table_rows(&mut out, s, &section.table);
        }
        out
    }

    /// Phenotypes, associated conditions and onsets of one sentence of the summary or symptoms.
    fn prose_sentence(&self, out: &mut Annotations, at: &Place<'_>, names: &[String]) {
        out.sentences += 1;
        let found = self.find_in_sentence(at.text, names);
        let own_names = words::name_spans(names, at.text);
        for &(start, end) in &found.conditions {
            if own_names.iter().any(|&(a, b)| start < b && a < end) {
                continue;
            }
            let text = at.words(start, end);
            let resolved = self.conditions.resolve(&text);
            out.conditions.push(ConditionMention {
                at: at.mention(start, end),
                id: resolved.as_ref().map(|r| r.id.clone()),
                label: resolved.map(|r| r.label),
            });
        }
        if found.phenotypes.is_empty() {
            out.unannotated_sentences += 1;
        }
        // One period qualifies the sentence's phenotypes; without phenotypes, the periods are the disease's onset.
        let onsets = onset::onsets(at.text);
        let single_onset = match onsets.as_slice() {
            [first, rest @ ..] if rest.iter().all(|o| o.hpo_id == first.hpo_id) => Some(first.hpo_id),
            _ => None,
        };
        if found.phenotypes.is_empty() {
            out.onsets.extend(onsets.iter().map(|o| at.term(o.start, o.end, o.hpo_id, self.label(o.hpo_id))));
        }
        for (m, negated) in found.phenotypes {
            let frequency =
                frequency::frequency_at(&found.frequency, m.start, m.end).filter(|_| !negated).map(|v| match v {
                    frequency::CueValue::Term(term) => Frequency::Term(term.to_owned()),
                    frequency::CueValue::Percentage(p) => Frequency::Percentage(p),
                    frequency::CueValue::Ratio(count, total) => Frequency::Ratio { count, total },
                });
            out.phenotypes.push(PhenotypeAnnotation {
                section: at.section,
                paragraph: Some(at.paragraph),
                sentence: Some(at.sentence),
                table_row: None,
                start: at.start + m.start,
                end: at.start + m.end,
                negated,
                label: self.label(&m.hpo_id),
                text: m.matched,
                hpo_id: m.hpo_id,
                frequency,
                onset: single_onset.filter(|_| !negated).map(str::to_owned),
                evidence: Evidence::TextMined,
                rule: Some(m.rule),
            });
        }
    }

    /// The rows of a sign-and-symptom table: each whole label looked up among HPO names.
    fn table_rows(&self, out: &mut Annotations, s: usize, table: &[crate::page::TableRow]) {
        for (r, row) in table.iter().enumerate() {
            let Some(id) = self.matcher.lookup_label(self.hpo(), &row.label) else {
                out.unmatched_table_rows.push((s, r));
                continue;
            };
            let frequency = row.frequency.as_deref().and_then(|cell| self.frequency.cell(cell));
            out.phenotypes.push(PhenotypeAnnotation {
                section: s,
                paragraph: None,
                sentence: None,
                table_row: Some(r),
                start: row.start,
                end: row.end,
                text: row.label.clone(),
                label: self.label(id),
                hpo_id: id.to_owned(),
                negated: matches!(&frequency, Some(Frequency::Term(t)) if t == FREQUENCY_EXCLUDED),
                frequency,
                onset: None,
                evidence: Evidence::Table,
                rule: Some(phenotypes::Rule::TableRow),
            });
        }
    }

    /// Phenotypes of one sentence: dictionary matches refined by modifiers and coordination, without the words
    /// of the disease's own names (`names`) and of associated conditions; each with whether it is negated.
    pub fn find_in_sentence(&self, text: &str, names: &[String]) -> SentenceFindings {
        let matches =
            phenotypes::compose::refine(&self.matcher, self.hpo(), self.anatomy, text, &self.matcher.find(text));
        let mut masked = words::name_spans(names, text);
        masked.extend(words::defined_class(text, &masked));
        let conditions =
            conditions::associated_conditions_with(text, &|words| self.conditions.resolve(words).is_some(), &|words| {
                self.matcher.lookup_phrase(words).is_some()
            });
        masked.extend(conditions::caused_by_others(text));
        let overlaps = |m: &Match, spans: &[(usize, usize)]| spans.iter().any(|&(a, b)| m.start < b && a < m.end);
        // An amount ("no IgM antibodies") replaces the dictionary matches inside its words, unless one of them
        // already names the same term over a longer span ("low or absent IgM").
        let amounts: Vec<phenotypes::amounts::Amount> = phenotypes::amounts::amounts(&self.matcher, self.hpo(), text)
            .into_iter()
            .filter(|a| {
                !matches.iter().any(|m| m.hpo_id == a.found.hpo_id && m.start <= a.found.start && a.found.end <= m.end)
            })
            .collect();
        let amounts: Vec<phenotypes::amounts::Amount> = amounts.into_iter().chain(self.normal.find(text)).collect();
        let amount_spans: Vec<(usize, usize)> = amounts.iter().map(|a| (a.found.start, a.found.end)).collect();
        let mut phenotypes: Vec<(Match, bool)> = matches
            .into_iter()
            .filter(|m| !overlaps(m, &amount_spans))
            .map(|m| {
                let negated = negation::is_negated(text, m.start);
                (m, negated)
            })
            .chain(amounts.into_iter().map(|a| (a.found, a.negated)))
            .filter(|(m, _)| !overlaps(m, &masked) && !overlaps(m, &conditions))
            .filter(|(m, _)| !qualifies_a_remedy(text, m.end))
            .collect();
        phenotypes.sort_by_key(|(m, _)| m.start);
        SentenceFindings { phenotypes, conditions, frequency: self.frequency.cues(text) }
    }

    fn label(&self, id: &str) -> String {
        self.hpo().term(id).map(|t| t.label.clone()).unwrap_or_default()
    }
}

/// Whether the words ending at `end` (a `char` offset) are the first part of a compound whose head is a remedy
/// ([`words::REMEDY_NOUNS`]): "pain" in "pain medications" names what a therapy is for. Between the two, any run
/// of spaces or dashes, as the dictionary reads them ("pain-relievers", a non-breaking space).
fn qualifies_a_remedy(text: &str, end: usize) -> bool {
    let mut rest = text.chars().skip(end).peekable();
    let mut gap = 0;
    while rest.next_if(|&c| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}')).is_some() {
        gap += 1;
    }
    let next: String = rest.take_while(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    gap > 0 && words::REMEDY_NOUNS.contains(&next.as_str())
}

/// The bundled frequency words, checked against `hpo`.
fn checked_frequency_words(hpo: &Ontology) -> Result<&'static frequency::FrequencyWords, RecognizeError> {
    let words = frequency::FrequencyWords::bundled()?;
    words.check(hpo)?;
    Ok(words)
}

/// The names of the page's disease whose words are not phenotypes: the title, its synonyms, and for an inverted
/// title ("Erythema nodosum, idiopathic") the name before the comma.
fn disease_names(page: &Page) -> Vec<String> {
    let mut names: Vec<String> = std::iter::once(&page.title).chain(&page.synonyms).cloned().collect();
    if let Some((head, _)) = page.title.split_once(", ") {
        if head.split_whitespace().count() >= 2 {
            names.push(head.to_owned());
        }
    }
    names
}

/// Where a sentence is: its indexes in the page and the offset of its first `char` in the section text.
struct Place<'a> {
    section: usize,
    paragraph: usize,
    sentence: usize,
    start: usize,
    text: &'a str,
}

impl Place<'_> {
    /// The sentence's `char`s `start..end`.
    fn words(&self, start: usize, end: usize) -> String {
        self.text.chars().skip(start).take(end - start).collect()
    }

    /// The mention of the sentence's `char`s `start..end`.
    fn mention(&self, start: usize, end: usize) -> Mention {
        Mention {
            section: self.section,
            paragraph: self.paragraph,
            sentence: self.sentence,
            start: self.start + start,
            end: self.start + end,
            text: self.words(start, end),
        }
    }

    /// A term mention over the sentence's `char`s `start..end`.
    fn term(&self, start: usize, end: usize, hpo_id: &str, label: String) -> TermMention {
        TermMention { at: self.mention(start, end), hpo_id: hpo_id.to_owned(), label }
    }
}

/// What [`Recognizer::find_in_sentence`] found in one sentence (offsets are `char`s of the sentence).
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceFindings {
    /// Phenotype matches, in text order, each with whether it is negated.
    pub phenotypes: Vec<(Match, bool)>,
    /// Spans of associated conditions.
    pub conditions: Vec<(usize, usize)>,
    /// The frequency cues of the sentence, each with the range of mentions it covers.
    pub frequency: Vec<frequency::FrequencyCue>,
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, OnceLock};

    use super::*;
    use crate::page::{Section, Source, SourceFormat, TableRow};
    use crate::source::sentences;

    /// An invented ontology: enough terms to test matching rules without the real HPO.
    const FIXTURE_OBO: &str = "format-version: 1.2\ndata-version: fixture/2024-01-01\n\n\
        [Term]\nid: HP:0000001\nname: All\n\n\
        [Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001\n\n\
        [Term]\nid: HP:0040279\nname: Frequency\nis_a: HP:0000001\n\n\
        [Term]\nid: HP:0040281\nname: Very frequent\nis_a: HP:0040279\n\n\
        [Term]\nid: HP:0001250\nname: Seizure\nalt_id: HP:0002279\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0000388\nname: Otitis media\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0000403\nname: Recurrent otitis media\nsynonym: \"Frequent ear infections\" EXACT []\n\
        is_a: HP:0000388\n\n\
        [Term]\nid: HP:0000988\nname: Rash\nsynonym: \"Skin eruption\" EXACT []\nsynonym: \"Spots\" BROAD []\n\
        is_a: HP:0000118\n\n\
        [Term]\nid: HP:0002719\nname: Recurrent infections\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0012115\nname: Hepatitis\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0100806\nname: Sepsis\nsynonym: \"Blood poisoning\" EXACT []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0007018\nname: Attention deficit hyperactivity disorder\nsynonym: \"ADHD\" EXACT []\n\
        synonym: \"ASD\" EXACT []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0011134\nname: Low-grade fever\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0004395\nname: Failure to gain weight\nsynonym: \"Poor weight gain\" EXACT []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0004396\nname: Poor weight gain\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0009999\nname: obsolete Fits\nis_obsolete: true\nreplaced_by: HP:0001250\n\n\
        [Term]\nid: HP:0004429\nname: Recurrent viral infections\nis_a: HP:0002719\n\n\
        [Term]\nid: HP:0002718\nname: Recurrent bacterial infections\nis_a: HP:0002719\n\n\
        [Term]\nid: HP:0002841\nname: Recurrent fungal infections\nis_a: HP:0002719\n\n\
        [Term]\nid: HP:0033349\nname: Seizure cluster\nsynonym: \"Recurrent seizures\" EXACT []\nis_a: HP:0001250\n\n\
        [Term]\nid: HP:0002960\nname: Autoimmunity\nsynonym: \"Autoimmune disease\" EXACT []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0002850\nname: Decreased circulating total IgM\nsynonym: \"IgM deficiency\" EXACT []\n\
        is_a: HP:0000118\n\n\
        [Term]\nid: HP:0003326\nname: Myalgia\nsynonym: \"Muscle pain\" EXACT []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0002829\nname: Arthralgia\nsynonym: \"Joint pain\" EXACT []\nis_a: HP:0000118\n\n\
        [Term]\nid: HP:0003418\nname: Back pain\nis_a: HP:0000118\n";

    /// An invented lay-synonym table over the fixture ontology.
    const FIXTURE_LAY: &str = "# fixture\ntext\thpo_id\thpo_label\tsource\n\
        ear infection\tHP:0000388\tOtitis media\tinvented for the tests\n";

    fn fixture() -> &'static Recognizer {
        static RECOGNIZER: OnceLock<Recognizer> = OnceLock::new();
        RECOGNIZER.get_or_init(|| {
            let hpo = Ontology::from_obo(FIXTURE_OBO.as_bytes()).expect("fixture ontology");
            let lay = LaySynonyms::parse(FIXTURE_LAY, "fixture lay table").expect("fixture lay table");
            Recognizer::with_lay_synonyms(Arc::new(hpo), &lay).expect("fixture recognizer")
        })
    }

    fn bundled() -> &'static Recognizer {
        static RECOGNIZER: OnceLock<Recognizer> = OnceLock::new();
        RECOGNIZER.get_or_init(|| Recognizer::bundled().expect("bundled recognizer"))
    }

    /// (matched words, HPO id) of every match.
    fn found(recognizer: &Recognizer, text: &str) -> Vec<(String, String)> {
        recognizer.matcher().find(text).into_iter().map(|m| (m.matched, m.hpo_id)).collect()
    }

    fn pair(words: &str, id: &str) -> (String, String) {
        (words.to_owned(), id.to_owned())
    }

    #[test]
    fn plurals_and_singulars_match() {
        let r = fixture();
        assert_eq!(found(r, "Two seizures a week."), [pair("seizures", "HP:0001250")]);
        assert_eq!(found(r, "A recurrent infection."), [pair("recurrent infection", "HP:0002719")]);
        assert_eq!(found(r, "Itchy rashes."), [pair("rashes", "HP:0000988")]);
        assert_eq!(
            found(r, "Skin eruptions and seizure."),
            [pair("Skin eruptions", "HP:0000988"), pair("seizure", "HP:0001250")]
        );
    }

    #[test]
    fn hyphens_dashes_and_nbsp_are_spaces() {
        let r = fixture();
        assert_eq!(found(r, "a low grade fever"), [pair("low grade fever", "HP:0011134")]);
        assert_eq!(found(r, "a low\u{2011}grade  fever"), [pair("low\u{2011}grade  fever", "HP:0011134")]);
        let text = "Then \u{00A0}blood\u{00A0}poisoning\u{00A0}set in.";
        let m = r.matcher().find(text);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].hpo_id, "HP:0100806");
        // Offsets are chars of the original text, NBSPs included.
        assert_eq!((m[0].start, m[0].end), (6, 21));
        assert_eq!(text.chars().skip(m[0].start).take(m[0].end - m[0].start).collect::<String>(), m[0].matched);
    }

    #[test]
    fn offsets_are_chars_after_multibyte_text() {
        let r = fixture();
        let text = "Caf\u{e9} \u{2014} na\u{ef}ve: “Sepsis” occurred.";
        let m = r.matcher().find(text);
        assert_eq!(m.len(), 1);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[m[0].start..m[0].end].iter().collect::<String>(), "Sepsis");
    }

    #[test]
    fn longest_match_wins() {
        let r = fixture();
        assert_eq!(found(r, "She has recurrent otitis media."), [pair("recurrent otitis media", "HP:0000403")]);
        assert_eq!(found(r, "She has otitis media."), [pair("otitis media", "HP:0000388")]);
        assert_eq!(found(r, "frequent ear infections"), [pair("frequent ear infections", "HP:0000403")]);
    }

    #[test]
    fn matches_need_word_boundaries() {
        let r = fixture();
        assert!(found(r, "He acted rashly.").is_empty());
        assert!(found(r, "Unseizures and prerash.").is_empty());
        assert!(found(r, "autohepatitis and hepatitisoid").is_empty());
        // A rejected longer candidate does not hide a shorter one that ends on a boundary.
        assert_eq!(found(r, "otitis mediastinal rash"), [pair("rash", "HP:0000988")]);
        assert_eq!(found(r, "rash, seizure."), [pair("rash", "HP:0000988"), pair("seizure", "HP:0001250")]);
    }

    #[test]
    fn short_names_broad_synonyms_and_abbreviations() {
        let r = fixture();
        // BROAD synonyms are not indexed.
        assert!(found(r, "red spots").is_empty());
        // Upper-case abbreviations of up to five letters match only in upper case; three letters never.
        assert_eq!(found(r, "a child with ADHD"), [pair("ADHD", "HP:0007018")]);
        assert!(found(r, "adhd").is_empty());
        assert!(found(r, "ASD").is_empty());
        // Obsolete terms are not indexed for prose.
        assert!(found(r, "fits").is_empty());
    }

    #[test]
    fn shared_names_prefer_the_label_and_keep_the_other() {
        let r = fixture();
        let m = r.matcher().find("poor weight gain");
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].hpo_id, "HP:0004396");
        assert_eq!(m[0].alternatives, ["HP:0004395"]);
        assert!(r.matcher().stats().collisions >= 1);
    }

    /// (matched words, HPO id, negated) of every phenotype `find_in_sentence` reports.
    fn findings(recognizer: &Recognizer, text: &str, names: &[&str]) -> Vec<(String, String, bool)> {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        recognizer
            .find_in_sentence(text, &names)
            .phenotypes
            .into_iter()
            .map(|(m, n)| (m.matched, m.hpo_id, n))
            .collect()
    }

    fn triple(words: &str, id: &str, negated: bool) -> (String, String, bool) {
        (words.to_owned(), id.to_owned(), negated)
    }

    #[test]
    fn lay_words_come_from_the_table() {
        let r = fixture();
        assert_eq!(found(r, "She keeps getting ear infections."), [pair("ear infections", "HP:0000388")]);
        assert_eq!(found(r, "An ear infection."), [pair("ear infection", "HP:0000388")]);
        assert_eq!(r.matcher().lookup_label(r.hpo(), "Ear infections"), Some("HP:0000388"));
        assert_eq!(r.matcher().stats().lay_synonyms, 1);
        assert_eq!(r.matcher().lookup_phrase("EAR-INFECTIONS"), Some("HP:0000388"));
        assert_eq!(r.matcher().lookup_phrase("ear"), None);
    }

    #[test]
    fn modifiers_select_the_recurrent_term() {
        let r = fixture();
        assert_eq!(
            findings(r, "The boy had repeated infections.", &[]),
            [triple("repeated infections", "HP:0002719", false)]
        );
        // Through the HPO name of the lay match: ear infections -> otitis media -> recurrent otitis media.
        assert_eq!(
            findings(r, "Frequent ear infections and repeated ear infections.", &[]),
            [
                triple("Frequent ear infections", "HP:0000403", false),
                triple("repeated ear infections", "HP:0000403", false)
            ]
        );
        // "Recurrent seizures" is a synonym of Seizure cluster, whose name does not start with "recurrent": the
        // modifier does not select it, the plain term stays.
        assert_eq!(findings(r, "He had repeated seizures.", &[]), [triple("seizures", "HP:0001250", false)]);
        // No modifier, no change.
        assert_eq!(findings(r, "Infections are common.", &[]), []);
    }

    #[test]
    fn coordinated_lists_give_one_term_per_conjunct() {
        let r = fixture();
        let all = "repeated viral, bacterial, or fungal infections";
        assert_eq!(
            findings(r, "Babies get repeated viral, bacterial, or fungal infections, and sepsis.", &[]),
            [
                triple(all, "HP:0004429", false),
                triple(all, "HP:0002718", false),
                triple(all, "HP:0002841", false),
                triple("sepsis", "HP:0100806", false),
            ]
        );
        assert_eq!(
            findings(r, "Adults have muscle and joint pain.", &[]),
            [
                triple("muscle and joint pain", "HP:0003326", false),
                triple("muscle and joint pain", "HP:0002829", false)
            ]
        );
        // An ordinary list is left to the dictionary: "seizures pain" is no term.
        assert_eq!(
            findings(r, "Seizures and back pain.", &[]),
            [triple("Seizures", "HP:0001250", false), triple("back pain", "HP:0003418", false)]
        );
        // One term is enough when only the shared head completes it; a conjunct that gives no term keeps its own
        // dictionary match.
        assert_eq!(
            findings(r, "Some get muscle or kettle pain.", &[]),
            [triple("muscle or kettle pain", "HP:0003326", false)]
        );
        let list = "muscle, sepsis and joint pain";
        assert_eq!(
            findings(r, "Adults have muscle, sepsis and joint pain.", &[]),
            [
                triple(list, "HP:0003326", false),
                triple(list, "HP:0002829", false),
                triple("sepsis", "HP:0100806", false)
            ]
        );
        // Negation reaches the whole list.
        assert_eq!(
            findings(r, "There were no recurrent bacterial or viral infections.", &[]),
            [
                triple("recurrent bacterial or viral infections", "HP:0002718", true),
                triple("recurrent bacterial or viral infections", "HP:0004429", true)
            ]
        );
    }

    #[test]
    fn the_disease_name_is_not_its_own_phenotype() {
        let r = fixture();
        let text = "Partial IgM deficiency (PIgMD) brings sepsis.";
        assert_eq!(
            findings(r, text, &[]),
            [triple("IgM deficiency", "HP:0002850", false), triple("sepsis", "HP:0100806", false)]
        );
        assert_eq!(findings(r, text, &["Partial IgM deficiency", "PIgMD"]), [triple("sepsis", "HP:0100806", false)]);
        // Elsewhere in the sentence the same words are a phenotype.
        assert_eq!(
            findings(r, "Partial IgM-deficiency is rare; an IgM deficiency is common.", &["Partial IgM deficiency"]),
            [triple("IgM deficiency", "HP:0002850", false)]
        );
    }

    #[test]
    fn associated_conditions_are_not_phenotypes() {
        let r = fixture();
        let text = "It may occur in association with some autoimmune diseases, sepsis, or heart disorders.";
        assert_eq!(findings(r, text, &[]), [triple("sepsis", "HP:0100806", false)]);
        let spans = r.find_in_sentence(text, &[]).conditions;
        let words: Vec<String> = spans.iter().map(|&(a, b)| text.chars().skip(a).take(b - a).collect()).collect();
        assert_eq!(words, ["autoimmune diseases", "heart disorders"]);
        // Without the cue, or with a phenotype head, the words are phenotypes.
        assert_eq!(
            findings(r, "Many have an autoimmune disease.", &[]),
            [triple("autoimmune disease", "HP:0002960", false)]
        );
        assert_eq!(
            findings(r, "It is associated with rashes and sepsis.", &[]),
            [triple("rashes", "HP:0000988", false), triple("sepsis", "HP:0100806", false)]
        );
    }

    #[test]
    fn normal_levels_and_absent_symptoms_are_not_positive_phenotypes() {
        let r = fixture();
        assert_eq!(findings(r, "Some people have no symptoms.", &[]), []);
        assert_eq!(findings(r, "The cause is not yet known.", &[]), []);
        assert_eq!(
            findings(r, "Tests show normal levels of IgM deficiency markers.", &[]),
            [triple("IgM deficiency", "HP:0002850", true)]
        );
    }

    #[test]
    fn effects_of_other_conditions_are_not_phenotypes() {
        let r = bundled();
        let ids = |text: &str| -> Vec<String> {
            r.find_in_sentence(text, &[]).phenotypes.into_iter().map(|(m, _)| m.hpo_id).collect()
        };
        assert_eq!(ids("Doctors rule out other conditions that can cause seizures."), [] as [&str; 0]);
        assert_eq!(ids("It is a disorder that causes seizures."), ["HP:0001250"]);
    }

    #[test]
    fn amounts_and_predicative_adjectives_name_phenotypes() {
        let r = bundled();
        let found = |text: &str| -> Vec<(String, String, bool)> {
            r.find_in_sentence(text, &[]).phenotypes.into_iter().map(|(m, n)| (m.matched, m.hpo_id, n)).collect()
        };
        let row = |w: &str, id: &str, n: bool| (w.to_owned(), id.to_owned(), n);
        assert_eq!(
            found("The boy had no immunoglobulin G (IgG) antibodies, with normal levels of IgM."),
            [row("no immunoglobulin G (IgG) antibodies", "HP:0004315", false), row("IgM", "HP:0002850", true)]
        );
        assert_eq!(found("Tests show low or absent IgM."), [row("low or absent IgM", "HP:0002850", false)]);
        assert_eq!(
            found("Infections can be life-threatening."),
            [row("Infections can be life-threatening", "HP:0032169", false)]
        );
        assert_eq!(found("Sepsis, which can be life-threatening, is rare."), [row("Sepsis", "HP:0100806", false)]);
        // An organ with a problem noun is the organ's general abnormality.
        assert_eq!(found("Some have kidney problems."), [row("kidney problems", "HP:0000077", false)]);
        assert_eq!(
            found("They had abnormalities of the eyes."),
            [row("abnormalities of the eyes", "HP:0000478", false)]
        );
        assert_eq!(found("Paperwork problems are common."), [] as [(String, String, bool); 0]);
        // The reviewed normal-finding table: the words deny the term.
        assert_eq!(
            found("Most have normal intelligence and normal hearing."),
            [row("normal intelligence", "HP:0001249", true), row("normal hearing", "HP:0000365", true)]
        );
    }

    #[test]
    fn frequency_words_reach_the_annotations_of_their_clause_only() {
        let mut page = page();
        let text = "Most people with kettle fever have sepsis, but others have a rash. Some children have no seizures.";
        page.sections[0].text = text.to_owned();
        let chars: Vec<char> = text.chars().collect();
        page.sections[0].paragraphs[0].sentences = sentences::split(&chars, 0, chars.len());
        page.sections[0].paragraphs[0].end = chars.len();
        let a = fixture().recognize(&page);
        let summary: Vec<(&str, Option<&Frequency>, bool)> = a
            .phenotypes
            .iter()
            .filter(|p| p.section == 0)
            .map(|p| (p.text.as_str(), p.frequency.as_ref(), p.negated))
            .collect();
        let very_frequent = Frequency::Term("HP:0040281".into());
        assert_eq!(summary, [("sepsis", Some(&very_frequent), false), ("rash", None, false), ("seizures", None, true)]);
    }

    #[test]
    fn bundled_recognizer_composes_lay_words_modifiers_and_lists() {
        let r = bundled();
        let ids = |text: &str| -> Vec<String> {
            r.find_in_sentence(text, &[]).phenotypes.into_iter().map(|(m, _)| m.hpo_id).collect()
        };
        assert_eq!(
            ids(
                "Infants get repeated viral, bacterial, or fungal infections, such as ear infections and sinus infections."
            ),
            ["HP:0004429", "HP:0002718", "HP:0002841", "HP:0000388", "HP:0000246"]
        );
        assert_eq!(ids("They have repeated ear and sinus infections."), ["HP:0410018", "HP:0011108"]);
        assert_eq!(ids("Repeated infections and hearing loss occur."), ["HP:0002719", "HP:0000365"]);
        assert_eq!(ids("A baby with weak muscle tone."), ["HP:0001252"]);
        assert_eq!(ids("Tests show low or absent IgM."), ["HP:0002850"]);
        assert_eq!(
            ids("It occurs in association with autoimmune diseases and gastrointestinal diseases."),
            [] as [&str; 0]
        );
    }

    #[test]
    fn table_labels_resolve_alt_ids_obsolete_names_and_synonyms() {
        let r = fixture();
        let (hpo, m) = (r.hpo(), r.matcher());
        assert_eq!(m.lookup_label(hpo, "HP:0002279"), Some("HP:0001250"));
        assert_eq!(m.lookup_label(hpo, "Fits"), Some("HP:0001250"));
        assert_eq!(m.lookup_label(hpo, " Seizures "), Some("HP:0001250"));
        assert_eq!(m.lookup_label(hpo, "Frequent ear-infections"), Some("HP:0000403"));
        // Whole label only, and outside the phenotype subtree too.
        assert_eq!(m.lookup_label(hpo, "Very frequent"), Some("HP:0040281"));
        assert_eq!(m.lookup_label(hpo, "Seizures of the cat"), None);
        assert_eq!(m.lookup_label(hpo, "HP:1234567"), None);
    }

    /// An invented page: a summary, a symptoms section with a table, and a treatment section.
    fn page() -> Page {
        fn section(kind: SectionKind, text: &str, table: Vec<TableRow>) -> Section {
            let paragraphs = sentences::line_paragraphs(text);
            Section { kind, heading: None, text: text.to_owned(), paragraphs, table, last_updated: None }
        }
        let symptoms = "Kettle fever causes recurrent otitis media.[1] Some children have no seizures.\n\
            The table lists features.\nSeizure  90%\nPurple hair  -";
        let row = |label: &str, frequency: Option<&str>| {
            let start = symptoms.find(label).map(|b| symptoms[..b].chars().count()).unwrap();
            TableRow {
                label: label.to_owned(),
                frequency: frequency.map(str::to_owned),
                start,
                end: start + label.chars().count(),
            }
        };
        let table = vec![row("Seizure", Some("90%")), row("Purple hair", Some("-"))];
        let mut symptoms_section = section(SectionKind::Symptoms, symptoms, table);
        // The table lines are not prose.
        symptoms_section.paragraphs.truncate(2);
        Page {
            source: Source {
                format: SourceFormat::GardText,
                location: "fixture".into(),
                url: None,
                content_sha256: String::new(),
            },
            gard_id: None,
            title: "Kettle fever".into(),
            synonyms: Vec::new(),
            identifiers: Vec::new(),
            sections: vec![
                section(SectionKind::Summary, "Kettle fever is an invented disease. It brings sepsis.", Vec::new()),
                symptoms_section,
                section(SectionKind::Treatment, "Sepsis is treated at once.", Vec::new()),
            ],
            references: Vec::new(),
            resources: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn recognizes_prose_and_tables_of_a_page() {
        type Row<'a> = (&'a str, usize, &'a str, bool, Option<&'a Frequency>, Evidence);
        let page = page();
        let a = fixture().recognize(&page);
        let summary: Vec<Row<'_>> = a
            .phenotypes
            .iter()
            .map(|p| (p.hpo_id.as_str(), p.section, p.text.as_str(), p.negated, p.frequency.as_ref(), p.evidence))
            .collect();
        assert_eq!(
            summary,
            [
                ("HP:0100806", 0, "sepsis", false, None, Evidence::TextMined),
                ("HP:0000403", 1, "recurrent otitis media", false, None, Evidence::TextMined),
                ("HP:0001250", 1, "seizures", true, None, Evidence::TextMined),
                ("HP:0001250", 1, "Seizure", false, Some(&Frequency::Percentage(90.0)), Evidence::Table),
            ]
        );
        // Sentences of the summary (2) and symptoms (3) sections; the treatment section is not read.
        assert_eq!(a.sentences, 5);
        assert_eq!(a.unannotated_sentences, 2);
        assert_eq!(a.unmatched_table_rows, [(1, 1)]);
        // Offsets point into the section text, and labels come from HPO.
        for p in &a.phenotypes {
            let text: String = page.sections[p.section].text.chars().skip(p.start).take(p.end - p.start).collect();
            assert_eq!(text, p.text);
        }
        assert_eq!(a.phenotypes[1].label, "Recurrent otitis media");
        assert_eq!((a.phenotypes[1].paragraph, a.phenotypes[1].sentence), (Some(0), Some(0)));
        assert_eq!((a.phenotypes[2].paragraph, a.phenotypes[2].sentence), (Some(0), Some(1)));
        assert_eq!(a.phenotypes[3].table_row, Some(0));
    }

    #[test]
    fn annotations_round_trip_through_json() {
        let a = fixture().recognize(&page());
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Annotations>(&json).unwrap(), a);
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let r = fixture();
        for text in [
            "",
            " ",
            "\u{0}\u{FFFF}",
            "\u{0130}\u{0130}\u{0130}",
            "-–—",
            "seizure\u{00AD}",
            "ſeizure",
            "rash\u{200B}",
            "repeated",
            "muscle and",
            ", or",
            "associated with ,",
            "Most people",
        ] {
            for m in r.matcher().find(text) {
                assert!(m.start < m.end && m.end <= text.chars().count());
            }
            let names = [text.to_owned(), "-".to_owned()];
            for (m, _) in r.find_in_sentence(text, &names).phenotypes {
                assert!(m.start < m.end && m.end <= text.chars().count());
            }
            let _ = r.frequency.subject_cue(text);
            let _ = r.frequency.cues(text);
            let _ = conditions::associated_conditions(text);
            let _ = negation::is_negated(text, text.chars().count());
            let _ = negation::is_negated(text, 1000);
            let _ = r.frequency.cell(text);
        }
    }

    #[test]
    fn bundled_hpo_matches_everyday_phenotype_words() {
        let r = bundled();
        assert_eq!(r.hpo().release(), "hp/releases/2025-01-16");
        let text = "Recurrent ear infections, skin rashes and wheezing; no diarrhea.";
        let ids: Vec<String> = r.matcher().find(text).into_iter().map(|m| m.hpo_id).collect();
        assert_eq!(ids, ["HP:0410018", "HP:0000988", "HP:0030828", "HP:0002014"]);
        // Frequency, onset and inheritance terms are not phenotypes in prose.
        assert!(found(r, "very frequent").is_empty());
        assert!(found(r, "autosomal dominant inheritance").is_empty());
        let stats = r.matcher().stats();
        assert!(stats.terms > 15_000, "{stats:?}");
    }

    /// The start-up cache gives back what was built: the HPO and the phenotype matcher written to a cache and read
    /// back are equal to the built ones, and a recognizer over them annotates an invented page (and plain text)
    /// exactly as the recognizer over the built ones does.
    #[test]
    fn cached_and_built_recognizers_annotate_alike() {
        let dir = tempfile::tempdir().unwrap();
        let cache = crate::cache::Cache::at(dir.path(), "test key");
        let hpo = Ontology::parse_bundled().unwrap();
        let matcher = PhenotypeMatcher::new(&hpo).unwrap();
        cache.write("hp", &hpo).unwrap();
        cache.write("phenotype-matcher", &matcher).unwrap();
        let cached_hpo: Ontology = cache.read("hp").unwrap();
        let cached_matcher: PhenotypeMatcher = cache.read("phenotype-matcher").unwrap();
        assert_eq!(cached_hpo, hpo);
        assert_eq!(cached_matcher.stats(), matcher.stats());
        let built = Recognizer::from_parts(ontology::OntologyRef::Shared(Arc::new(hpo)), Arc::new(matcher)).unwrap();
        let cached =
            Recognizer::from_parts(ontology::OntologyRef::Shared(Arc::new(cached_hpo)), Arc::new(cached_matcher))
                .unwrap();
        let page = crate::source::read("examples/99999-kettle-fever.txt", &crate::source::ReadOptions::default())
            .expect("the invented page");
        let annotations = built.recognize(&page);
        assert!(annotations.phenotypes.len() > 5, "{annotations:?}");
        assert_eq!(cached.recognize(&page), annotations);
        let text = "Kettle fever causes recurrent ear infections, skin rashes and seizures; no diarrhea.\n\
            About half of the children have hearing loss. Muscles are weak and the joints hurt.";
        let found = crate::annotate::annotate(&built, text);
        assert!(found.len() >= 4, "{found:?}");
        assert_eq!(crate::annotate::annotate(&cached, text), found);
    }
}
