//! What the words around a phenotype name say about it: whether they are the page's own disease name, an
//! associated condition rather than a feature, and how often the feature occurs.
//!
//! - [`name_spans`]: the page's title and synonyms in a sentence. A phenotype name inside them ("fever" in an
//!   imaginary "Kettle fever") names the disease, not one of its features.
//! - [`associated_conditions`]: after "associated with" or "in association with", list items whose head is
//!   "disease(s)", "disorder(s)" or "condition(s)" ("autoimmune diseases") are other conditions the disease occurs
//!   with, not phenotypes.
//! - [`frequency_cue`]: a sentence whose subject is quantified ("Most people with ...", "Some patients ...")
//!   states how often the phenotypes of its main clause occur, as an HPO frequency term.

use super::compose::{self, Word};
use super::matcher::{fold_pattern, normalize};

/// The heads of list items that name associated conditions.
const CONDITION_HEADS: [&str; 6] = ["disease", "diseases", "disorder", "disorders", "condition", "conditions"];

/// The phrases after which a list of associated conditions starts (normalized, lower case).
const CONDITION_CUES: [&str; 2] = ["associated with", "association with"];

/// Words that open a list item without being part of the condition's name.
const DETERMINERS: [&str; 10] = ["some", "other", "another", "certain", "various", "several", "a", "an", "the", "many"];

/// Names shorter than this (in `char`s) are not masked.
const MIN_NAME_CHARS: usize = 3;

/// Quantifiers of a sentence's subject and the HPO frequency terms they state.
pub const FREQUENCY_CUES: [(&str, &str); 4] =
    [("most", "HP:0040281"), ("all", "HP:0040280"), ("some", "HP:0040283"), ("rarely", "HP:0040284")];

/// The nouns a quantified subject may have ("most people", "some affected individuals").
const SUBJECT_NOUNS: [&str; 12] = [
    "people",
    "patients",
    "individuals",
    "persons",
    "children",
    "adults",
    "infants",
    "babies",
    "newborns",
    "women",
    "men",
    "males",
];

/// Words that end the main clause: a frequency cue does not reach past them.
const CLAUSE_BREAKS: [&str; 7] = ["but", "while", "whereas", "although", "though", "however", "others"];

/// Where the names (the page's title and synonyms) occur in `text`, as `char` spans: case-insensitive, spaces and
/// dashes folded, on word boundaries.
pub fn name_spans(names: &[String], text: &str) -> Vec<(usize, usize)> {
    let norm = normalize(text);
    let chars: Vec<char> = norm.folded.chars().collect();
    let mut spans = Vec::new();
    for name in names {
        let key = fold_pattern(name);
        if key.chars().count() < MIN_NAME_CHARS {
            continue;
        }
        for (byte, _) in norm.folded.match_indices(&key) {
            let start = norm.folded_offsets.partition_point(|&o| o < byte);
            let end = norm.folded_offsets.partition_point(|&o| o < byte + key.len());
            let bounded = (start == 0 || !chars[start - 1].is_alphanumeric())
                && (end >= chars.len() || !chars[end].is_alphanumeric());
            if bounded && end > start {
                spans.push((norm.origin[start], norm.origin[end - 1] + 1));
            }
        }
    }
    spans.sort_unstable();
    spans
}

/// Associated conditions named in `text` (see the module docs), as `char` spans of their names (determiners
/// left out).
pub fn associated_conditions(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let words = compose::words(&chars);
    let mut spans = Vec::new();
    for (i, pair) in words.windows(2).enumerate() {
        let cue = format!("{} {}", pair[0].lower, pair[1].lower);
        if !CONDITION_CUES.contains(&cue.as_str()) || !compose::spaces(&chars, pair[0].end, pair[1].start) {
            continue;
        }
        // The list: the words after the cue up to the end of the clause.
        let mut item: Vec<&Word> = Vec::new();
        let mut previous_end = pair[1].end;
        for word in &words[i + 2..] {
            let gap = &chars[previous_end..word.start];
            let clause_ends = gap.iter().any(|c| matches!(c, '.' | ';' | ':' | '(' | ')' | '[' | '!' | '?'));
            let separated = clause_ends || gap.contains(&',') || matches!(word.lower.as_str(), "and" | "or");
            if separated {
                push_condition(&item, &mut spans);
                item.clear();
            }
            if clause_ends {
                break;
            }
            if !matches!(word.lower.as_str(), "and" | "or") {
                item.push(word);
            }
            previous_end = word.end;
        }
        push_condition(&item, &mut spans);
    }
    spans
}

fn push_condition(item: &[&Word], spans: &mut Vec<(usize, usize)>) {
    let Some(last) = item.last() else { return };
    if !CONDITION_HEADS.contains(&last.lower.as_str()) {
        return;
    }
    let first = item.iter().find(|w| !DETERMINERS.contains(&w.lower.as_str())).unwrap_or(last);
    spans.push((first.start, last.end));
}

/// The HPO frequency term a sentence's quantified subject states, and the `char` offset where its main clause
/// ends (mentions after it are not covered): "Most people with X have A" -> very frequent.
pub fn frequency_cue(text: &str) -> Option<(&'static str, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let words = compose::words(&chars);
    let first = words.first()?;
    let (_, term) = FREQUENCY_CUES.iter().find(|(cue, _)| *cue == first.lower)?;
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
    let clause_end = words
        .iter()
        .skip(subject + 1)
        .find(|w| CLAUSE_BREAKS.contains(&w.lower.as_str()))
        .map_or(chars.len(), |w| w.start);
    let semicolon = chars.iter().position(|&c| c == ';').unwrap_or(chars.len());
    Some((term, clause_end.min(semicolon)))
}
