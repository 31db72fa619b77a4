//! How often a feature occurs: the HPO frequency terms (subtree `HP:0040279` *Frequency*) that a table's
//! frequency column or the words of a sentence state.
//!
//! One reviewed table, `ontology/frequency-words.tsv` ([`FrequencyWords`]), holds every word and its term, with the
//! role in which the word counts:
//!
//! - a table's frequency column: `90%`, `7.5%` (percentages), `25/25` (a ratio), or an HPO frequency word
//!   (`Very frequent (99-80%)`), read by [`FrequencyWords::cell`];
//! - in a sentence ([`FrequencyWords::cues`]): a quantified subject ("Most people with X have A" covers the main
//!   clause); "In some people, A ..." (the clause after the comma); a frequency adjective opening the sentence
//!   ("Common infections include A and B") or predicative ("A and B are common", "is not common"); a frequency
//!   adverb before a verb of having or occurring ("Patients often have A"); "less commonly"; and numbers of
//!   patients ("About 25% of people with X have A", "A occurs in 40 percent of patients", "7 of 19 patients"),
//!   which stay numbers: no category is inferred from a number, as Monarch does, and a range gives none.
//!
//! Where several cues cover a mention, the narrowest range wins ([`frequency_at`]).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::lexicon::tables::{self, TableError};
use crate::recognize::RecognizeError;
use crate::recognize::ontology::Ontology;
use crate::recognize::words::{self, CLAUSE_BREAKS, COPULAS, FINITE_BE, SUBJECT_NOUNS, Word};

/// The bundled table.
static BUNDLED_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/frequency-words.tsv"));

/// The name errors in the bundled table carry.
pub const BUNDLED_NAME: &str = "ontology/frequency-words.tsv";

/// The root of the frequency terms.
pub const FREQUENCY: &str = "HP:0040279";

/// The HPO frequency term for "excluded" (0%): the phenotype is absent.
pub const FREQUENCY_EXCLUDED: &str = "HP:0040285";

/// The columns of the table.
const COLUMNS: [&str; 5] = ["words", "role", "hpo_id", "hpo_label", "source"];

/// A phenotype's frequency, as the page gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    /// An HPO frequency term (`HP:0040280` obligate ... `HP:0040285` excluded).
    Term(String),
    /// A percentage of patients (`90%`).
    Percentage(f64),
    /// A count of patients out of a total (`25/25`).
    Ratio {
        /// Patients with the feature.
        count: u32,
        /// Patients examined.
        total: u32,
    },
}

impl Frequency {
    /// The HPO frequency term this frequency falls in: the term itself, or the bin of HPO's definitions for a
    /// percentage or a ratio (100%: *Obligate*; 80-99%: *Very frequent*; 30-79%: *Frequent*; 5-29%: *Occasional*;
    /// under 5% but above 0: *Very rare*; 0%: *Excluded*). Percentages between two bins' whole numbers (4.5%)
    /// fall in the lower one. The model keeps numbers as numbers (HPOA's frequency column takes them); this is
    /// for comparing a number with a curator's category.
    pub fn hpo_term(&self) -> &str {
        let percent = match self {
            Frequency::Term(term) => return term,
            Frequency::Percentage(p) => *p,
            Frequency::Ratio { count, total } => f64::from(*count) * 100.0 / f64::from((*total).max(1)),
        };
        match percent {
            p if p >= 100.0 => "HP:0040280",
            p if p >= 80.0 => "HP:0040281",
            p if p >= 30.0 => "HP:0040282",
            p if p >= 5.0 => "HP:0040283",
            p if p > 0.0 => "HP:0040284",
            _ => FREQUENCY_EXCLUDED,
        }
    }
}

/// Where the words of a row of the table count (see the table's header comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A table's frequency column.
    Table,
    /// The quantifier of a sentence's subject.
    Subject,
    /// The quantifier of "In some cases, ...".
    Case,
    /// A frequency adjective.
    Adjective,
    /// A frequency adverb.
    Adverb,
    /// "less" and a frequency word.
    Less,
    /// "not" and a predicative frequency adjective.
    Not,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FrequencyWord {
    /// The words, lower case ("very common").
    pub words: String,
    /// Where they count.
    pub role: Role,
    /// The HPO frequency term.
    pub hpo_id: String,
    /// Its HPO name (checked against the ontology).
    pub hpo_label: String,
    /// Why the words state that term.
    pub source: String,
}

/// The reviewed frequency words.
#[derive(Debug, Clone, Default)]
pub struct FrequencyWords {
    name: String,
    rows: Vec<tables::Line<FrequencyWord>>,
}

impl FrequencyWords {
    /// The table compiled into the library, read on first use.
    pub fn bundled() -> Result<&'static FrequencyWords, RecognizeError> {
        static BUNDLED: OnceLock<Result<FrequencyWords, RecognizeError>> = OnceLock::new();
        BUNDLED.get_or_init(|| Self::parse(BUNDLED_TSV, BUNDLED_NAME)).as_ref().map_err(RecognizeError::clone)
    }

    /// Reads a table of five columns, `words`, `role`, `hpo_id`, `hpo_label` and `source` ([`tables::read`]); the same words may not have two rows of one role.
    pub fn parse(text: &str, name: &str) -> Result<FrequencyWords, RecognizeError> {
        let rows = tables::read::<FrequencyWord>(text.as_bytes(), name, &COLUMNS)?;
        for (i, l) in rows.iter().enumerate() {
            if l.row.words != l.row.words.to_lowercase() {
                return Err(TableError::new(name, l.line, format!("{:?} is not lower case", l.row.words)).into());
            }
            if let Some(first) = rows[..i].iter().find(|f| f.row.words == l.row.words && f.row.role == l.row.role) {
                let reason = format!("{:?} is already listed for its role on line {}", l.row.words, first.line);
                return Err(TableError::new(name, l.line, reason).into());
            }
        }
        Ok(FrequencyWords { name: name.to_owned(), rows })
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = &FrequencyWord> {
        self.rows.iter().map(|l| &l.row)
    }

    /// Checks every row against an ontology: a current frequency term (under [`FREQUENCY`]) named `hpo_label`.
    pub fn check(&self, hpo: &Ontology) -> Result<(), RecognizeError> {
        for l in &self.rows {
            let error = |reason: String| RecognizeError::from(TableError::new(&self.name, l.line, reason));
            let term = hpo.term(&l.row.hpo_id).filter(|t| t.id == l.row.hpo_id && !t.obsolete);
            let Some(term) = term.filter(|t| hpo.is_a(&t.id, FREQUENCY)) else {
                return Err(error(format!(
                    "{} is not a current frequency term of HPO {}",
                    l.row.hpo_id,
                    hpo.release()
                )));
            };
            if term.label != l.row.hpo_label {
                return Err(error(format!("{} is named {:?} in HPO, not {:?}", term.id, term.label, l.row.hpo_label)));
            }
        }
        Ok(())
    }

    /// The term of `words` (lower case) in `role`.
    fn term(&'static self, role: Role, words: &str) -> Option<&'static str> {
        self.rows.iter().find(|l| l.row.role == role && l.row.words == words).map(|l| l.row.hpo_id.as_str())
    }

    /// Reads a table's frequency column: `90%` and `7.5%` give a percentage, `25/25` a ratio, an HPO frequency word
    /// (`Very frequent (99-80%)`) its term; `-`, empty or anything else gives `None`.
    pub fn cell(&self, text: &str) -> Option<Frequency> {
        let text = text.trim();
        let lower = text.to_lowercase();
        // The longest table word the cell starts with ("very frequent" before "frequent").
        if let Some(row) = self
            .rows()
            .filter(|r| r.role == Role::Table)
            .filter(|r| {
                lower.strip_prefix(&r.words).is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
            })
            .max_by_key(|r| r.words.len())
        {
            return Some(Frequency::Term(row.hpo_id.clone()));
        }
        if let Some(number) = text.strip_suffix('%') {
            let value: f64 = number.trim().parse().ok()?;
            return (value.is_finite() && (0.0..=100.0).contains(&value)).then_some(Frequency::Percentage(value));
        }
        let (count, total) = text.split_once('/')?;
        let count: u32 = count.trim().parse().ok()?;
        let total: u32 = total.trim().parse().ok()?;
        (total > 0 && count <= total).then_some(Frequency::Ratio { count, total })
    }

    /// The HPO frequency term a sentence's quantified subject states, and the `char` offset where its main clause
    /// ends (mentions after it are not covered): "Most people with X have A" -> very frequent; "The majority of
    /// affected individuals", "Approximately half of people with X" ([`HEDGES`] before the quantifier are skipped).
    /// The main clause ends at a clause break, a semicolon, or another quantified subject ("Most people have A,
    /// and some have B").
    pub fn subject_cue(&'static self, text: &str) -> Option<(&'static str, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let words = words::words(&chars);
        self.subject_cue_in(&chars, &words)
    }

    fn subject_cue_in(&'static self, chars: &[char], words: &[Word]) -> Option<(&'static str, usize)> {
        let first = words.first()?;
        // "Rarely" needs its comma: "Rarely, people with X have ...".
        let (term, noun) = if first.lower == "rarely" {
            if chars.get(first.end) != Some(&',') {
                return None;
            }
            let term = self.term(Role::Subject, "rarely")?;
            let noun = usize::from(words.get(1)?.lower == "affected") + 1;
            (term, noun)
        } else {
            // "Nearly all people", else after hedges: "Approximately half of people".
            let opening = words.iter().take_while(|w| HEDGES.contains(&w.lower.as_str()) && w.lower != "some").count();
            self.quantified_subject(Role::Subject, words, 0, false)
                .or_else(|| self.quantified_subject(Role::Subject, words, opening, false))?
        };
        if !SUBJECT_NOUNS.contains(&words.get(noun)?.lower.as_str()) {
            return None;
        }
        let clause_end = words.iter().skip(noun + 1).find(|w| is_clause_break(w)).map_or(chars.len(), |w| w.start);
        let next_subject = (noun + 1..words.len())
            .find(|&j| self.inner_subject(words, j).is_some())
            .map_or(chars.len(), |j| words[j].start);
        let semicolon = chars.iter().position(|&c| c == ';').unwrap_or(chars.len());
        Some((term, clause_end.min(semicolon).min(next_subject)))
    }

    /// The frequency cues of a sentence (see [`FrequencyWords::subject_cue`] for the quantified subject, the first form):
    ///
    /// - a quantified subject: "Most people with X have A" covers the main clause;
    /// - "In some people, A is the first symptom": the quantifier phrase before the first comma covers the clause
    ///   after it;
    /// - a quantified subject or case phrase inside the sentence ("A occurs in many people with X", "A is seen in
    ///   most cases", "and some have B") covers its clause;
    /// - a frequency adjective opening the sentence: "Common infections include A and B" covers the clause;
    /// - a predicative frequency adjective: "A and B are (also) common", "A is a rare complication" covers the
    ///   clause before the verb;
    /// - a frequency adverb: "Patients often have A" covers the adverb's clause, "A is frequently seen" the clause
    ///   before it.
    ///
    /// Where several cues cover a mention, the narrowest range wins ([`frequency_at`]).
    pub fn cues(&'static self, text: &str) -> Vec<FrequencyCue> {
        let chars: Vec<char> = text.chars().collect();
        let words = words::words(&chars);
        let mut cues = Vec::new();
        let subject = self.subject_cue_in(&chars, &words);
        if let Some((term, end)) = subject {
            cues.push(FrequencyCue { value: CueValue::Term(term), start: 0, end });
        }
        let clause = |at: usize| clause_around(&chars, &words, at);
        // "In some people, ...", "In a few cases, ...": the clause after the comma.
        if words.first().is_some_and(|w| w.lower == "in") {
            if let Some((term, noun)) = self.quantified_subject(Role::Case, &words, 1, true) {
                let noun = &words[noun];
                let (_, end) = clause(noun.end + 1);
                if chars.get(noun.end) == Some(&',') && !states_a_quality(&words, noun.end + 1, end) {
                    cues.push(FrequencyCue { value: CueValue::Term(term), start: noun.end + 1, end });
                }
            }
        }
        for (i, word) in words.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| words[p].lower.as_str());
            // "less commonly", "less frequent": occasional, over the clause.
            if let Some(term) =
                previous.filter(|p| *p == "less").and_then(|_| self.term(Role::Less, &format!("less {}", word.lower)))
            {
                let (start, end) = clause(word.start);
                cues.push(FrequencyCue { value: CueValue::Term(term), start, end });
                continue;
            }
            // A quantified subject inside the sentence ("In X, most affected people experience A"), after the
            // phenotype ("A occurs in most people with X", "A is seen in most cases"), or elliptical after another
            // ("..., and some have B"): the clause.
            if i > 0 {
                if let Some(term) = self.inner_subject(&words, i) {
                    let (start, end) = match parenthesis_around(&chars, word.start) {
                        // "A (in most cases) and B": the item before the parenthesis.
                        Some((open, close)) => {
                            let item = chars[..open].iter().rposition(|c| matches!(c, ',' | ';' | ':' | '('));
                            (item.map_or(0, |p| p + 1), close)
                        }
                        None => clause(word.start),
                    };
                    if !states_a_quality(&words, word.end, end) {
                        cues.push(FrequencyCue { value: CueValue::Term(term), start, end });
                    }
                }
            }
            // "is not common": occasional, for the clause before the verb.
            let negated =
                previous.filter(|p| *p == "not").and_then(|_| self.term(Role::Not, &format!("not {}", word.lower)));
            if let Some(term) = negated.filter(|_| i >= 2) {
                let verb = &words[i - 2];
                if FINITE_BE.contains(&verb.lower.as_str()) {
                    let (start, _) = clause(verb.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end: verb.start });
                    continue;
                }
            }
            if let Some(term) = self.adjective_term(&word.lower, previous == Some("very")) {
                let before = if previous == Some("very") { i - 1 } else { i };
                let opener = before == 1 && OPENERS.contains(&words[0].lower.as_str());
                if before == 0 || opener {
                    let (_, end) = clause(word.end);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start: 0, end });
                } else if let Some(verb) = predicative_verb(&words, before, words.get(i + 1)) {
                    let (start, _) = clause(verb.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end: verb.start });
                }
            }
            // "often, but not always, develop": a negated adverb states nothing.
            let adverb = self.term(Role::Adverb, &word.lower).filter(|_| previous != Some("not"));
            if let Some(term) = adverb {
                // "Rarely, people with X have ..." is the quantified-subject form; "who are sick often may have" has
                // no verb after the adverb and states nothing about the phenotypes.
                let next = words.get(i + 1).map(|w| w.lower.as_str());
                let comma_after = chars.get(word.end) == Some(&',');
                let passive = previous.is_some_and(|p| FINITE_BE.contains(&p) || p == "been")
                    && next.is_some_and(|n| PARTICIPLES.contains(&n));
                let intransitive = next.is_some_and(|n| {
                    INTRANSITIVE.contains(&n) && !(TRANSITIVE_TOO.contains(&n) && has_object(&chars, &words, i + 1))
                });
                if i == 0 && comma_after && (word.lower != "rarely" || subject.is_none()) {
                    // "Occasionally, ...", "Rarely, seizures occur": the clause after the comma.
                    let (_, end) = clause(word.end);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start: word.end, end });
                } else if i > 0 && (passive || intransitive) {
                    let (start, _) = clause(word.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end: word.start });
                } else if i > 0 && next.is_some_and(|n| TRANSITIVE.contains(&n) || TRANSITIVE_TOO.contains(&n)) {
                    let (_, end) = clause(word.end);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start: word.end, end });
                }
            }
            if let Some(value) = number_of_patients(&chars, &words, i) {
                // "About 20% of people with X have A": the rest of the clause. "A occurs in 70% of people": only the
                // phrase before it, back to the nearest punctuation (a flattened list must not lend it to every item).
                let (start, end) = clause(word.start);
                let phrase_start = chars[start..word.start]
                    .iter()
                    .rposition(|c| matches!(c, ',' | ':' | ';' | '(' | ')'))
                    .map_or(start, |p| start + p + 1);
                let leads = words
                    .iter()
                    .filter(|w| w.start >= phrase_start && w.end <= word.start)
                    .all(|w| HEDGES.contains(&w.lower.as_str()));
                if leads {
                    cues.push(FrequencyCue { value, start: word.start, end });
                } else {
                    cues.push(FrequencyCue { value, start: phrase_start, end: word.start });
                }
            }
        }
        cues
    }

    /// A quantifier of `role` starting at `words[i]` (the longest row of the table, up to three words: "most",
    /// "the majority", "nearly all") followed by its noun: optionally "of" (and "the", "these", "those"),
    /// optionally "affected", then a subject noun ("people", "patients"; with `cases`, also "cases", "families").
    /// Its term and the index of the noun.
    fn quantified_subject(
        &'static self,
        role: Role,
        words: &[Word],
        i: usize,
        cases: bool,
    ) -> Option<(&'static str, usize)> {
        let (term, mut j) = (1..=3usize.min(words.len().saturating_sub(i))).rev().find_map(|k| {
            let phrase: Vec<&str> = words[i..i + k].iter().map(|w| w.lower.as_str()).collect();
            self.term(role, &phrase.join(" ")).map(|term| (term, i + k))
        })?;
        let is = |j: usize, any: &[&str]| words.get(j).is_some_and(|w| any.contains(&w.lower.as_str()));
        if is(j, &["of"]) {
            j += 1;
            j += usize::from(is(j, &["the", "these", "those"]));
        }
        let noun_at = |j: usize| is(j, &SUBJECT_NOUNS) || (cases && is(j, &CASE_NOUNS));
        if is(j, &["affected"]) && noun_at(j + 1) {
            j += 1;
        }
        noun_at(j).then_some((term, j))
    }

    /// The term of a quantified subject inside a sentence starting at `words[i]` (`i > 0`): "most people" (after
    /// the phenotype or a clause), "most cases" after "in", or an elliptical subject before a verb of having after
    /// a comma or a conjunction ("..., and some have B").
    fn inner_subject(&'static self, words: &[Word], i: usize) -> Option<&'static str> {
        // "rarely" is an adverb: it quantifies a subject only when it opens the sentence ([`Self::subject_cue`]).
        if words[i].lower == "rarely" {
            return None;
        }
        let after_in = i > 0 && words[i - 1].lower == "in";
        if let Some((term, _)) = self.quantified_subject(Role::Subject, words, i, after_in) {
            return Some(term);
        }
        if after_in {
            if let Some((term, _)) = self.quantified_subject(Role::Case, words, i, true) {
                return Some(term);
            }
        }
        let joined = i > 0 && ["and", "while", "but", "whereas"].contains(&words[i - 1].lower.as_str());
        let verb = words.get(i + 1).is_some_and(|w| TRANSITIVE.contains(&w.lower.as_str()));
        if joined && verb { self.term(Role::Subject, &words[i].lower) } else { None }
    }

    /// The term of a frequency adjective, of "very" and the adjective when `very` is before it.
    fn adjective_term(&'static self, word: &str, very: bool) -> Option<&'static str> {
        let very_term = very.then(|| self.term(Role::Adjective, &format!("very {word}"))).flatten();
        very_term.or_else(|| self.term(Role::Adjective, word))
    }
}

/// Whether a word ends the main clause for a frequency cue: a [`CLAUSE_BREAKS`] word, or "others" ("Some people
/// have A; others have B").
fn is_clause_break(word: &Word) -> bool {
    CLAUSE_BREAKS.contains(&word.lower.as_str()) || word.lower == "others"
}

/// How often the phenotypes in part of a sentence occur, and the `char` range of mentions it covers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrequencyCue {
    /// An HPO frequency term, or the numbers the sentence gives.
    pub value: CueValue,
    /// The first `char` of the range of mentions it covers.
    pub start: usize,
    /// One past the last `char` of that range.
    pub end: usize,
}

/// What a frequency cue states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CueValue {
    /// An HPO frequency term ("most" is `HP:0040281`).
    Term(&'static str),
    /// A percentage of patients ("about 25 percent of affected individuals").
    Percentage(f64),
    /// Patients with the feature out of patients examined ("7 of 19 patients").
    Ratio(u32, u32),
}

/// Words that may open a clause before its number of patients ("About 20% of people ...").
const HEDGES: [&str; 12] =
    ["about", "approximately", "roughly", "around", "nearly", "almost", "over", "more", "than", "up", "to", "some"];

/// Verbs after a frequency adverb whose phenotypes come before ("Seizures often occur"): the adverb covers the
/// clause before it.
const INTRANSITIVE: [&str; 8] = ["occur", "occurs", "occurred", "appear", "appears", "develop", "develops", "arise"];

/// Whether the verb `words[verb]` has an object: a word after it that is not a preposition or adverb of
/// [`AFTER_INTRANSITIVE`], with no punctuation between. "develop" is both: "Seizures often develop early in life"
/// (no object: the phenotypes are before it), "Infants often develop severe seizures" (the phenotypes after).
fn has_object(chars: &[char], words: &[Word], verb: usize) -> bool {
    words.get(verb + 1).is_some_and(|w| {
        !AFTER_INTRANSITIVE.contains(&w.lower.as_str())
            && !chars[words[verb].end..w.start].iter().any(|c| ",.;:(".contains(*c))
    })
}

/// Verbs of [`INTRANSITIVE`] that may take an object ("Infants with X often develop seizures").
const TRANSITIVE_TOO: [&str; 2] = ["develop", "develops"];

/// Words after a verb that show it has no object: prepositions and adverbs ("often develops during adolescence",
/// "often develop early in life", "usually develops more than 10 years after").
const AFTER_INTRANSITIVE: [&str; 26] = [
    "in",
    "during",
    "at",
    "by",
    "after",
    "before",
    "from",
    "between",
    "within",
    "over",
    "around",
    "when",
    "as",
    "until",
    "early",
    "late",
    "later",
    "slowly",
    "gradually",
    "soon",
    "first",
    "again",
    "quickly",
    "rapidly",
    "spontaneously",
    "more",
];

/// Verbs after a frequency adverb whose phenotypes come after ("Patients often have seizures"): the adverb covers
/// the rest of its clause.
const TRANSITIVE: [&str; 20] = [
    "begin",
    "begins",
    "start",
    "starts",
    "have",
    "has",
    "had",
    "experience",
    "experiences",
    "show",
    "shows",
    "present",
    "get",
    "gets",
    "suffer",
    "suffers",
    "include",
    "includes",
    "involve",
    "involves",
];

/// Past participles after "is/are" and a frequency adverb whose phenotypes come before ("Seizures are frequently
/// seen"): the adverb covers the clause before it.
const PARTICIPLES: [&str; 8] = ["seen", "reported", "observed", "found", "noted", "described", "present", "associated"];

/// Adverbs that may stand between a form of "be" and a predicative frequency adjective ("are also common").
const DEGREE: [&str; 7] = ["also", "quite", "relatively", "fairly", "particularly", "especially", "generally"];

/// Nouns of a predicative noun phrase with a frequency adjective ("is a common feature", "are rare complications").
const FEATURE_NOUNS: [&str; 14] = [
    "feature",
    "features",
    "finding",
    "findings",
    "sign",
    "signs",
    "symptom",
    "symptoms",
    "complication",
    "complications",
    "manifestation",
    "manifestations",
    "occurrence",
    "problem",
];

/// Words that may open a sentence before its frequency adjective ("Other common signs include A").
const OPENERS: [&str; 3] = ["other", "additional", "further"];

/// The form of "be" whose predicate is the frequency adjective at `words[adjective]`: right before it, before a
/// degree adverb ("are also common"), or before "a"/"an" when a feature noun follows the adjective ("is a rare
/// complication").
fn predicative_verb<'w>(words: &'w [Word], adjective: usize, next: Option<&Word>) -> Option<&'w Word> {
    let at = |k: usize| adjective.checked_sub(k).map(|j| &words[j]);
    let be = |w: &&Word| FINITE_BE.contains(&w.lower.as_str());
    if let Some(verb) = at(1).filter(be) {
        return Some(verb);
    }
    let article = at(1).is_some_and(|w| w.lower == "a" || w.lower == "an");
    let feature = next.is_some_and(|w| FEATURE_NOUNS.contains(&w.lower.as_str()));
    let degree = at(1).is_some_and(|w| DEGREE.contains(&w.lower.as_str()));
    if (article && feature) || degree {
        return at(2).filter(be);
    }
    None
}

/// Nouns of "In some cases, ..." besides the subject nouns.
const CASE_NOUNS: [&str; 4] = ["cases", "instances", "families", "affected"];

/// "25 percent of affected individuals", "25% of patients", "7 of 19 patients" starting at `words[i]`: the
/// numbers, kept as numbers (no frequency category is inferred from them, as Monarch does). A range ("10 to 20
/// percent") states no single number and gives nothing.
fn number_of_patients(chars: &[char], words: &[Word], i: usize) -> Option<CueValue> {
    let word = |k: usize| words.get(k).map(|w| w.lower.as_str());
    let number: f64 = words[i].lower.parse().ok()?;
    if i > 0 && matches!(word(i - 1), Some("to" | "and" | "or")) {
        return None;
    }
    let subject = |k: usize| {
        let k = if matches!(word(k), Some("affected" | "the")) { k + 1 } else { k };
        word(k).is_some_and(|w| SUBJECT_NOUNS.contains(&w) || w == "cases")
    };
    let percent_sign = words.get(i + 1).is_some_and(|next| chars[words[i].end..next.start].contains(&'%'));
    let percentage = |k: usize| {
        (word(k) == Some("of") && subject(k + 1) && (0.0..=100.0).contains(&number))
            .then_some(CueValue::Percentage(number))
    };
    if word(i + 1) == Some("percent") {
        return percentage(i + 2);
    }
    if percent_sign {
        return percentage(i + 1);
    }
    if word(i + 1) == Some("of") {
        let count = words[i].lower.parse::<u32>().ok()?;
        let total = word(i + 2)?.parse::<u32>().ok()?;
        return (total > 0 && count <= total && subject(i + 3)).then_some(CueValue::Ratio(count, total));
    }
    None
}

/// Adjectives of a feature's course or severity: a quantifier of a clause that gives one ("in some cases, the
/// deafness may be permanent") counts the cases with that course, not the patients with the feature.
const QUALITIES: [&str; 16] = [
    "permanent",
    "temporary",
    "transient",
    "lifelong",
    "mild",
    "moderate",
    "severe",
    "fatal",
    "life-threatening",
    "reversible",
    "irreversible",
    "progressive",
    "stable",
    "treatable",
    "chronic",
    "persistent",
];

/// Verbs of a feature's course: a quantifier of a clause with one ("in some cases, the myoclonus persists")
/// counts the cases with that course, not the patients with the feature.
const COURSE_VERBS: [&str; 16] = [
    "persist",
    "persists",
    "resolve",
    "resolves",
    "improve",
    "improves",
    "worsen",
    "worsens",
    "disappear",
    "disappears",
    "subside",
    "subsides",
    "regress",
    "regresses",
    "last",
    "lasts",
];

/// Whether the words in `[start, end)` give their subject a course or severity: with a copula ([`QUALITIES`]:
/// "... may be permanent", "is mild", "can become severe") or a verb of course ([`COURSE_VERBS`]: "persists",
/// "improves"): then a quantifier of the clause states no frequency.
fn states_a_quality(words: &[Word], start: usize, end: usize) -> bool {
    let inside: Vec<&Word> = words.iter().filter(|w| w.start >= start && w.end <= end).collect();
    if inside.iter().any(|w| COURSE_VERBS.contains(&w.lower.as_str())) {
        return true;
    }
    inside.iter().enumerate().any(|(k, w)| {
        let copula = COPULAS.contains(&w.lower.as_str());
        let next = |n: usize| inside.get(k + n).map(|w| w.lower.as_str());
        let adjective = match next(1) {
            Some(adverb) if DEGREE.contains(&adverb) || adverb == "very" || adverb == "often" => next(2),
            other => other,
        };
        copula && adjective.is_some_and(|a| QUALITIES.contains(&a))
    })
}

/// The parenthesis `at` is inside: the offsets of its `(` and `)`.
fn parenthesis_around(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let open = chars[..at].iter().rposition(|&c| c == '(' || c == ')').filter(|&p| chars[p] == '(')?;
    let close = chars[at..].iter().position(|&c| c == ')' || c == '(').map(|p| p + at).filter(|&p| chars[p] == ')')?;
    Some((open, close))
}

/// What the narrowest cue covering `[start, end)` states.
pub fn frequency_at(cues: &[FrequencyCue], start: usize, end: usize) -> Option<CueValue> {
    cues.iter().filter(|c| c.start <= start && end <= c.end).min_by_key(|c| c.end - c.start).map(|c| c.value)
}

/// The clause around `char` offset `at`: from after the last clause break (word, `;` or `:`) before it to the
/// next one after it.
fn clause_around(chars: &[char], words: &[Word], at: usize) -> (usize, usize) {
    let is_break = is_clause_break;
    let start_word = words.iter().filter(|w| w.end <= at && is_break(w)).map(|w| w.end).max().unwrap_or(0);
    let start_punct = chars[..at.min(chars.len())].iter().rposition(|&c| c == ';' || c == ':').map_or(0, |p| p + 1);
    let end_word = words.iter().find(|w| w.start >= at && is_break(w)).map_or(chars.len(), |w| w.start);
    let end_punct = chars.iter().skip(at).position(|&c| c == ';' || c == ':').map_or(chars.len(), |p| p + at);
    (start_word.max(start_punct), end_word.min(end_punct))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> &'static FrequencyWords {
        FrequencyWords::bundled().expect("the bundled frequency words")
    }

    /// What the cues of `text` give the first occurrence of the words `of`: a term, `25%` or `7/19`.
    fn at(text: &str, of: &str) -> Option<String> {
        let start = text[..text.find(of).unwrap()].chars().count();
        frequency_at(&words().cues(text), start, start + of.chars().count()).map(|v| match v {
            CueValue::Term(term) => term.to_owned(),
            CueValue::Percentage(p) => format!("{p}%"),
            CueValue::Ratio(count, total) => format!("{count}/{total}"),
        })
    }

    #[test]
    fn the_bundled_table_names_current_frequency_terms() {
        words().check(Ontology::bundled().unwrap()).unwrap();
        assert!(words().rows().any(|r| r.words == "usually" && r.role == Role::Adverb));
        let bad = |row: &str| {
            FrequencyWords::parse(&format!("{}\n{row}\n", COLUMNS.join("\t")), "f.tsv")
                .and_then(|w| w.check(Ontology::bundled().unwrap()))
                .unwrap_err()
                .to_string()
        };
        assert!(bad("most\tsubject\tHP:0000118\tPhenotypic abnormality\tx").contains("not a current frequency term"));
        assert!(bad("most\tsubject\tHP:0040281\tFrequent\tx").contains("is named \"Very frequent\""));
        assert!(bad("Most\tsubject\tHP:0040281\tVery frequent\tx").contains("not lower case"));
        assert!(bad("most\tseldom\tHP:0040281\tVery frequent\tx").contains("line 2"));
        let twice = "most\tcase\tHP:0040281\tVery frequent\tx\nmost\tcase\tHP:0040281\tVery frequent\ty";
        assert!(bad(twice).contains("already listed for its role on line 2"));
    }

    #[test]
    fn a_quantified_subject_gives_the_frequency_of_its_clause() {
        let frequency_cue = |text: &str| words().subject_cue(text);
        let text = "Most people with kettle fever have sepsis, but others have rashes.";
        let (term, clause_end) = frequency_cue(text).unwrap();
        assert_eq!(term, "HP:0040281");
        assert_eq!(
            text.chars().take(clause_end).collect::<String>().trim_end(),
            "Most people with kettle fever have sepsis,"
        );
        assert_eq!(frequency_cue("Some affected individuals develop rashes.").map(|f| f.0), Some("HP:0040283"));
        assert_eq!(frequency_cue("All patients have sepsis.").map(|f| f.0), Some("HP:0040280"));
        assert_eq!(frequency_cue("Rarely, children have seizures.").map(|f| f.0), Some("HP:0040284"));
        assert_eq!(frequency_cue("Rarely do children have seizures."), None);
        assert_eq!(frequency_cue("Some of these infections end in sepsis."), None);
        assert_eq!(frequency_cue("Most cases are mild."), None);
        assert_eq!(frequency_cue("Sepsis is seen in most people."), None);
    }

    #[test]
    fn frequency_adjectives_adverbs_and_case_phrases_cover_their_clause() {
        assert_eq!(at("In some people, sepsis is the first sign.", "sepsis").as_deref(), Some("HP:0040283"));
        assert_eq!(at("In most cases, rashes appear first.", "rashes").as_deref(), Some("HP:0040281"));
        assert_eq!(at("Common signs include rashes and sepsis.", "sepsis").as_deref(), Some("HP:0040282"));
        assert_eq!(at("Rashes are common in babies, but sepsis is rare.", "Rashes").as_deref(), Some("HP:0040282"));
        assert_eq!(at("Rashes are common in babies, but sepsis is rare.", "sepsis").as_deref(), Some("HP:0040284"));
        assert_eq!(at("Seizures are very common.", "Seizures").as_deref(), Some("HP:0040281"));
        assert_eq!(at("Patients often have seizures.", "seizures").as_deref(), Some("HP:0040282"));
        assert_eq!(at("Seizures sometimes occur at night.", "Seizures").as_deref(), Some("HP:0040283"));
        // An adverb without a verb of having after it says nothing about the phenotypes.
        assert_eq!(at("Children who are sick often may have rashes.", "rashes").as_deref(), None);
        assert_eq!(at("Rashes may occur.", "Rashes").as_deref(), None);
        assert_eq!(at("In some ways, rashes are mild.", "rashes").as_deref(), None);
        assert_eq!(at("Less commonly, seizures cause rashes.", "rashes").as_deref(), Some("HP:0040283"));
        assert_eq!(at("In kettle fever, most affected people have rashes.", "rashes").as_deref(), Some("HP:0040281"));
        assert_eq!(at("Rashes also occur in most people with it.", "Rashes").as_deref(), Some("HP:0040281"));
        assert_eq!(at("Rashes are not common.", "Rashes").as_deref(), Some("HP:0040283"));
        assert_eq!(at("Occasionally, rashes appear.", "rashes").as_deref(), Some("HP:0040283"));
        assert_eq!(at("Patients typically have rashes.", "rashes").as_deref(), Some("HP:0040281"));
        // Numbers stay numbers; a range gives none.
        assert_eq!(at("About 25 percent of affected individuals have seizures.", "seizures").as_deref(), Some("25%"));
        assert_eq!(at("Seizures occur in 40% of patients.", "Seizures").as_deref(), Some("40%"));
        assert_eq!(at("In one study, 7 of 19 patients had seizures.", "seizures").as_deref(), Some("7/19"));
        assert_eq!(at("Seizures occur in 10 to 20 percent of people.", "Seizures").as_deref(), None);
        // The narrowest cue wins.
        assert_eq!(
            at("Most people with it have rashes and sometimes have seizures.", "seizures").as_deref(),
            Some("HP:0040283")
        );
    }

    #[test]
    fn multi_word_quantifiers_passives_and_predicative_phrases() {
        let very_frequent = Some("HP:0040281");
        let frequent = Some("HP:0040282");
        let occasional = Some("HP:0040283");
        let very_rare = Some("HP:0040284");
        assert_eq!(at("The majority of affected people have rashes.", "rashes").as_deref(), very_frequent);
        assert_eq!(at("Nearly all patients have rashes.", "rashes").as_deref(), very_frequent);
        assert_eq!(at("Approximately half of people with it have rashes.", "rashes").as_deref(), frequent);
        assert_eq!(at("Many children with it have rashes.", "rashes").as_deref(), frequent);
        assert_eq!(at("A few affected individuals have rashes.", "rashes").as_deref(), very_rare);
        assert_eq!(at("Rashes occur in many people with it.", "Rashes").as_deref(), frequent);
        assert_eq!(at("Rashes are seen in most cases.", "Rashes").as_deref(), very_frequent);
        assert_eq!(at("Rashes were reported in a few cases.", "Rashes").as_deref(), very_rare);
        assert_eq!(at("In a few cases, rashes appear.", "rashes").as_deref(), very_rare);
        // Another quantified subject ends the first one's clause.
        assert_eq!(at("Most people have rashes, and some have fevers.", "rashes").as_deref(), very_frequent);
        assert_eq!(at("Most people have rashes, and some have fevers.", "fevers").as_deref(), occasional);
        // A parenthesized quantifier covers the item before it.
        assert_eq!(at("Signs include rashes (in most cases) and fevers.", "rashes").as_deref(), very_frequent);
        assert_eq!(at("Signs include rashes (in most cases) and fevers.", "fevers"), None);
        // Passives and predicative phrases.
        assert_eq!(at("Rashes are frequently seen.", "Rashes").as_deref(), frequent);
        assert_eq!(at("Rashes and fevers are also common.", "fevers").as_deref(), frequent);
        assert_eq!(at("Rashes are a common feature.", "Rashes").as_deref(), frequent);
        assert_eq!(at("Fever is a rare complication.", "Fever").as_deref(), very_rare);
        assert_eq!(at("Other common signs include rashes.", "rashes").as_deref(), frequent);
        assert_eq!(at("Rarely, rashes appear.", "rashes").as_deref(), very_rare);
        // A quantifier of a quality of the feature, not of the patients with it.
        assert_eq!(at("It resolves, but in some cases, deafness may be permanent.", "deafness"), None);
        assert_eq!(at("In some cases, the rashes are mild.", "rashes"), None);
        assert_eq!(at("In some cases, the rash persists for years.", "rash"), None);
        assert_eq!(at("Infants with it often develop severe rashes.", "rashes").as_deref(), frequent);
        assert_eq!(at("Rashes often develop in winter.", "Rashes").as_deref(), frequent);
        assert_eq!(at("Rashes often develop early in life.", "Rashes").as_deref(), frequent);
        // "often," has no verb after it, and "not always" is negated: nothing rather than Obligate.
        assert_eq!(at("Children often, but not always, develop rashes.", "rashes"), None);
        let text = "The cancer is a carcinoma, which often develops during adolescence.";
        assert_eq!(at(text, "carcinoma").as_deref(), frequent);
        // "may" alone states no frequency.
        assert_eq!(at("Affected people may also have rashes.", "rashes"), None);
    }

    #[test]
    fn numbers_fall_in_the_bins_of_hpo_definitions() {
        let bin = |p: f64| Frequency::Percentage(p).hpo_term().to_owned();
        assert_eq!(bin(100.0), "HP:0040280");
        assert_eq!(bin(99.5), "HP:0040281");
        assert_eq!(bin(80.0), "HP:0040281");
        assert_eq!(bin(79.9), "HP:0040282");
        assert_eq!(bin(30.0), "HP:0040282");
        assert_eq!(bin(25.0), "HP:0040283");
        assert_eq!(bin(5.0), "HP:0040283");
        assert_eq!(bin(4.5), "HP:0040284");
        assert_eq!(bin(0.5), "HP:0040284");
        assert_eq!(bin(0.0), "HP:0040285");
        assert_eq!(Frequency::Ratio { count: 7, total: 19 }.hpo_term(), "HP:0040282");
        assert_eq!(Frequency::Ratio { count: 19, total: 19 }.hpo_term(), "HP:0040280");
        assert_eq!(Frequency::Term("HP:0040283".into()).hpo_term(), "HP:0040283");
    }

    #[test]
    fn frequencies_parse() {
        assert_eq!(words().cell("90%"), Some(Frequency::Percentage(90.0)));
        assert_eq!(words().cell(" 7.5% "), Some(Frequency::Percentage(7.5)));
        assert_eq!(words().cell("25/25"), Some(Frequency::Ratio { count: 25, total: 25 }));
        assert_eq!(words().cell("3 / 17"), Some(Frequency::Ratio { count: 3, total: 17 }));
        assert_eq!(words().cell("-"), None);
        assert_eq!(words().cell(""), None);
        assert_eq!(words().cell("150%"), None);
        assert_eq!(words().cell("5/0"), None);
        assert_eq!(words().cell("Very frequent (99-80%)"), Some(Frequency::Term("HP:0040281".into())));
        assert_eq!(words().cell("frequent"), Some(Frequency::Term("HP:0040282".into())));
        assert_eq!(words().cell("Excluded (0%)"), Some(Frequency::Term(FREQUENCY_EXCLUDED.into())));
        assert_eq!(words().cell("frequently"), None);
    }
}
