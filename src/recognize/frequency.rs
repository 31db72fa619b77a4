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
use crate::recognize::words::{self, CLAUSE_BREAKS, SUBJECT_NOUNS, Word};

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
    /// ends (mentions after it are not covered): "Most people with X have A" -> very frequent.
    pub fn subject_cue(&'static self, text: &str) -> Option<(&'static str, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let words = words::words(&chars);
        let first = words.first()?;
        let term = self.term(Role::Subject, &first.lower)?;
        // "Rarely" needs its comma: "Rarely, people with X have ...".
        if first.lower == "rarely" && chars.get(first.end) != Some(&',') {
            return None;
        }
        let subject = 1;
        let mut noun = words.get(subject)?;
        if noun.lower == "affected" {
            noun = words.get(subject + 1)?;
        }
        if !SUBJECT_NOUNS.contains(&noun.lower.as_str()) {
            return None;
        }
        let clause_end = words.iter().skip(subject + 1).find(|w| is_clause_break(w)).map_or(chars.len(), |w| w.start);
        let semicolon = chars.iter().position(|&c| c == ';').unwrap_or(chars.len());
        Some((term, clause_end.min(semicolon)))
    }

    /// The frequency cues of a sentence (see [`FrequencyWords::subject_cue`] for the quantified subject, the first form):
    ///
    /// - a quantified subject: "Most people with X have A" covers the main clause;
    /// - "In some people, A is the first symptom": the quantifier phrase before the first comma covers the clause
    ///   after it;
    /// - a frequency adjective opening the sentence: "Common infections include A and B" covers the clause;
    /// - a predicative frequency adjective: "A and B are common" covers the clause before the verb;
    /// - a frequency adverb: "Patients often have A" covers the adverb's clause.
    ///
    /// Where several cues cover a mention, the narrowest range wins ([`frequency_at`]).
    pub fn cues(&'static self, text: &str) -> Vec<FrequencyCue> {
        let chars: Vec<char> = text.chars().collect();
        let words = words::words(&chars);
        let mut cues = Vec::new();
        if let Some((term, end)) = self.subject_cue(text) {
            cues.push(FrequencyCue { value: CueValue::Term(term), start: 0, end });
        }
        let clause = |at: usize| clause_around(&chars, &words, at);
        // "In some people, ..."
        if let [first, quantifier, noun, ..] = words.as_slice() {
            let comma = chars.get(noun.end) == Some(&',');
            let known_noun = SUBJECT_NOUNS.contains(&noun.lower.as_str()) || CASE_NOUNS.contains(&noun.lower.as_str());
            if first.lower == "in" && comma && known_noun {
                if let Some(term) = self.term(Role::Case, &quantifier.lower) {
                    let (_, end) = clause(noun.end + 1);
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
            // A quantified subject inside the sentence ("In X, most affected people experience A"), or after the
            // phenotype ("A occurs in most people with X"): the clause.
            if i > 0 {
                if let Some(term) = self.quantified_subject(&words, i) {
                    let (start, end) = clause(word.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end });
                }
            }
            // "is not common": occasional, for the clause before the verb.
            let negated =
                previous.filter(|p| *p == "not").and_then(|_| self.term(Role::Not, &format!("not {}", word.lower)));
            if let Some(term) = negated.filter(|_| i >= 2) {
                let verb = &words[i - 2];
                if BE.contains(&verb.lower.as_str()) {
                    let (start, _) = clause(verb.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end: verb.start });
                    continue;
                }
            }
            if let Some(term) = self.adjective_term(&word.lower, previous == Some("very")) {
                let at_start = i == 0 || (i == 1 && previous == Some("very"));
                let predicative = previous.is_some_and(|p| BE.contains(&p))
                    || (previous == Some("very") && i >= 2 && BE.contains(&words[i - 2].lower.as_str()));
                if at_start {
                    let (_, end) = clause(word.end);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start: 0, end });
                } else if predicative {
                    let verb = if previous == Some("very") { &words[i - 2] } else { &words[i - 1] };
                    let (start, _) = clause(verb.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end: verb.start });
                }
            }
            if let Some(term) = self.term(Role::Adverb, &word.lower) {
                // "Rarely, ..." at the start is the quantified-subject form; "who are sick often may have" has no verb
                // after the adverb and states nothing about the phenotypes.
                let next = words.get(i + 1).map(|w| w.lower.as_str());
                let comma_after = chars.get(word.end) == Some(&',');
                if i == 0 && comma_after && word.lower != "rarely" {
                    // "Occasionally, ...": the clause after the comma.
                    let (_, end) = clause(word.end);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start: word.end, end });
                } else if i > 0 && next.is_some_and(|n| INTRANSITIVE.contains(&n)) {
                    let (start, _) = clause(word.start);
                    cues.push(FrequencyCue { value: CueValue::Term(term), start, end: word.start });
                } else if i > 0 && next.is_some_and(|n| TRANSITIVE.contains(&n)) {
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

    /// The term of a quantified subject starting at `words[i]`: "most people", "some affected individuals".
    fn quantified_subject(&'static self, words: &[Word], i: usize) -> Option<&'static str> {
        // "rarely" is an adverb: it quantifies a subject only when it opens the sentence ([`Self::subject_cue`]).
        let term = self.term(Role::Subject, &words[i].lower).filter(|_| words[i].lower != "rarely")?;
        let mut noun = words.get(i + 1)?;
        if noun.lower == "affected" {
            noun = words.get(i + 2)?;
        }
        SUBJECT_NOUNS.contains(&noun.lower.as_str()).then_some(term)
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

/// Nouns of "In some cases, ..." besides the subject nouns.
const CASE_NOUNS: [&str; 4] = ["cases", "instances", "families", "affected"];

/// Forms of "be" that link a subject to a frequency adjective ("are common").
const BE: [&str; 4] = ["is", "are", "was", "were"];

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
        // The term the cues give to the word `of` (first occurrence) of `text`.
        let at = |text: &str, of: &str| {
            let start = text[..text.find(of).unwrap()].chars().count();
            frequency_at(&words().cues(text), start, start + of.chars().count()).map(|v| match v {
                CueValue::Term(term) => term.to_owned(),
                CueValue::Percentage(p) => format!("{p}%"),
                CueValue::Ratio(count, total) => format!("{count}/{total}"),
            })
        };
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
