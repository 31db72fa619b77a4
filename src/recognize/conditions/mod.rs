//! Associated conditions: other diseases a page names as occurring with its disease, and the lexicon that
//! resolves their names ([`lexicon`]).
//!
//! - [`associated_conditions`]: after "associated with", "in association with", "in (some) people with" or a
//!   condition noun followed by "such as", "including" or "called", list items whose head is "disease(s)",
//!   "disorder(s)", "condition(s)", "syndrome(s)", "cancer(s)" or "tumor(s)" ("autoimmune diseases", "22q11.2
//!   deletion syndrome") are other conditions the disease occurs with, not phenotypes.
//! - [`caused_by_others`]: what other conditions cause ("conditions that can cause low levels of IgM") is not a
//!   feature of the page's disease either.

pub mod lexicon;

use crate::recognize::words::{self, SUBJECT_NOUNS, Word};

/// The heads of list items that name associated conditions.
const CONDITION_HEADS: [&str; 14] = [
    "disease",
    "diseases",
    "disorder",
    "disorders",
    "condition",
    "conditions",
    "syndrome",
    "syndromes",
    "cancer",
    "cancers",
    "tumor",
    "tumors",
    "tumour",
    "tumours",
];

/// Plural heads that announce a list of other diseases ("conditions including", "diseases such as"): the cue
/// after them is strong.
const LIST_HEADS: [&str; 2] = ["conditions", "diseases"];

/// Words after which a condition noun stands bare ("associated with conditions such as", "rule out
/// certain conditions including"): no adjective makes it specific.
const BEFORE_BARE_HEAD: [&str; 11] =
    ["with", "of", "to", "and", "or", "include", "includes", "including", "have", "has", "had"];

/// Words that open a list item without being part of the condition's name.
const DETERMINERS: [&str; 10] = ["some", "other", "another", "certain", "various", "several", "a", "an", "the", "many"];

/// Words that open a reference to a condition, not its name ("this condition", "an underlying disease",
/// "which may ...", "a number of conditions", "no family history of the condition").
const NOT_A_NAME: [&str; 21] = [
    "this",
    "that",
    "these",
    "those",
    "which",
    "who",
    "underlying",
    "similar",
    "related",
    "such",
    "same",
    "systemic",
    "as",
    "no",
    "number",
    "variety",
    "range",
    "group",
    "kind",
    "type",
    "types",
];

/// Verbs and auxiliaries that end a list of conditions: the clause goes on about something else.
const LIST_VERBS: [&str; 18] = [
    "may",
    "can",
    "could",
    "might",
    "will",
    "is",
    "are",
    "was",
    "were",
    "occur",
    "occurs",
    "develop",
    "develops",
    "include",
    "includes",
    "including",
    "has",
    "have",
];

/// The longest condition name, in words.
const MAX_CONDITION_WORDS: usize = 6;

/// Associated conditions named in `text` (see the module docs), as `char` spans of their names (determiners
/// left out).
pub fn associated_conditions(text: &str) -> Vec<(usize, usize)> {
    associated_conditions_with(text, &|_: &str| false, &|_: &str| false)
}

/// [`associated_conditions`], also keeping list items without a condition head that `is_known` names a disease
/// ("sarcoidosis, lymphoma, and Behcet's disease"). After the weaker cues ("such as", "including", "called"),
/// an item that `is_phenotype` names is left to the phenotypes ("a lung disorder called pulmonary alveolar
/// proteinosis" among the features of a disease).
pub fn associated_conditions_with(
    text: &str,
    is_known: &dyn Fn(&str) -> bool,
    is_phenotype: &dyn Fn(&str) -> bool,
) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
    let mut spans = Vec::new();
    for i in 0..words.len() {
        let Some((first, strong)) = list_start(&chars, &words, i) else { continue };
        let mut found = Vec::new();
        // The list: the words after the cue up to the end of the clause.
        let mut item: Vec<&Word> = Vec::new();
        let mut previous_end = words[first - 1].end;
        for word in &words[first..] {
            let gap = &chars[previous_end..word.start];
            let clause_ends = gap.iter().any(|c| matches!(c, '.' | ';' | ':' | '(' | ')' | '[' | '!' | '?'));
            let separated = clause_ends || gap.contains(&',') || matches!(word.lower.as_str(), "and" | "or");
            if separated {
                push_condition(&chars, &item, is_known, &mut found);
                item.clear();
            }
            if clause_ends {
                break;
            }
            // A verb ends the list: "associated with X may also occur, including ..." lists X alone.
            if LIST_VERBS.contains(&word.lower.as_str()) {
                push_condition(&chars, &item, is_known, &mut found);
                item.clear();
                break;
            }
            if !matches!(word.lower.as_str(), "and" | "or") {
                item.push(word);
            }
            previous_end = word.end;
        }
        push_condition(&chars, &item, is_known, &mut found);
        let words_of = |&(a, b): &(usize, usize)| chars[a..b].iter().collect::<String>();
        spans.extend(found.into_iter().filter(|span| strong || !is_phenotype(&words_of(span))));
    }
    spans.sort_unstable();
    spans.dedup();
    spans
}

/// What other conditions cause: in "underlying conditions that can cause low levels of IgM", the words after
/// the relative clause's verb are effects of those conditions, not features of the page's disease. The
/// antecedent must be a plural condition noun (a condition noun: "diseases", "disorders", ...): "a disorder that causes seizures", said of the
/// disease itself, keeps its phenotypes. Returns the `char` spans from the verb to the end of the clause.
pub fn caused_by_others(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
    let mut spans = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if !matches!(word.lower.as_str(), "that" | "which") || i == 0 {
            continue;
        }
        let antecedent = &words[i - 1];
        if !CONDITION_HEADS.contains(&antecedent.lower.as_str()) || !antecedent.lower.ends_with('s') {
            continue;
        }
        let mut k = i + 1;
        while words.get(k).is_some_and(|w| matches!(w.lower.as_str(), "can" | "may" | "might" | "could" | "also")) {
            k += 1;
        }
        let Some(verb) = words.get(k) else { continue };
        if !matches!(verb.lower.as_str(), "cause" | "causes" | "lead" | "result" | "produce") {
            continue;
        }
        let end = chars
            .iter()
            .skip(verb.end)
            .position(|&c| matches!(c, ';' | '.' | ','))
            .map_or(chars.len(), |p| p + verb.end);
        spans.push((verb.start, end));
    }
    spans
}

/// Where a list of associated conditions starts when a cue ends at `words[i]` or `words[i + 1]`, and whether
/// the cue is strong (its items are conditions even when HPO names them too): after
/// "associated with", "in association with", "in (some) people with"; after "such as", "known as", "including",
/// "called" or "named" that follow a condition noun ("chromosome disorders such as", "a disorder called"), strong
/// only for "such as" and "including" after a bare plural generic head ([`LIST_HEADS`]: "other conditions such
/// as").
fn list_start(chars: &[char], words: &[Word], i: usize) -> Option<(usize, bool)> {
    let head = i.checked_sub(1).map(|h| words[h].lower.as_str());
    let after_head = head.is_some_and(|h| CONDITION_HEADS.contains(&h));
    // "other conditions including", "diseases such as": a list announced as other diseases. A singular or specific
    // head ("a lung disorder called", "skeletal disorders such as scoliosis", "skin conditions such as eczema") may
    // name a feature: the plural generic head must stand bare, after a determiner or a function word, or be
    // "other" conditions.
    let announced = head.is_some_and(|h| LIST_HEADS.contains(&h)) && {
        let h = i - 1;
        h == 0
            || !words::spaces(chars, words[h - 1].end, words[h].start)
            || DETERMINERS.contains(&words[h - 1].lower.as_str())
            || BEFORE_BARE_HEAD.contains(&words[h - 1].lower.as_str())
            // "other fibrosing conditions such as": other diseases, whatever their kind.
            || (h >= 2 && words[h - 2].lower == "other")
    };
    if after_head && matches!(words[i].lower.as_str(), "including" | "called" | "named") {
        return (i + 1 < words.len()).then_some((i + 1, announced && words[i].lower == "including"));
    }
    let next = words.get(i + 1)?;
    if !words::spaces(chars, words[i].end, next.start) || i + 2 >= words.len() {
        return None;
    }
    let cue = format!("{} {}", words[i].lower, next.lower);
    let (listed, strong) = match cue.as_str() {
        "associated with" | "association with" => (true, true),
        "such as" => (after_head, announced),
        "known as" => (after_head, false),
        _ => (people_with(words, i), true),
    };
    listed.then_some((i + 2, strong))
}

/// Whether `words[i..=i + 1]` is "people with" (any subject noun) after "in" and at most one determiner.
fn people_with(words: &[Word], i: usize) -> bool {
    let is_in = |k: Option<usize>| k.and_then(|k| words.get(k)).is_some_and(|w| w.lower == "in");
    words[i + 1].lower == "with"
        && SUBJECT_NOUNS.contains(&words[i].lower.as_str())
        && (is_in(i.checked_sub(1))
            || (i >= 2 && DETERMINERS.contains(&words[i - 1].lower.as_str()) && is_in(Some(i - 2))))
}

fn push_condition(chars: &[char], item: &[&Word], is_known: &dyn Fn(&str) -> bool, spans: &mut Vec<(usize, usize)>) {
    let named: Vec<&Word> = item.iter().copied().skip_while(|w| DETERMINERS.contains(&w.lower.as_str())).collect();
    let (Some(first), Some(last)) = (named.first(), named.last()) else { return };
    if NOT_A_NAME.contains(&first.lower.as_str()) {
        return;
    }
    let text = |to: &Word| chars[first.start..to.end].iter().collect::<String>();
    if named.len() <= MAX_CONDITION_WORDS {
        // A bare head names a condition only when it is a kind of disease by itself ("some cancers"), not a
        // placeholder ("a condition").
        let headed = CONDITION_HEADS.contains(&last.lower.as_str())
            && (named.len() > 1
                || matches!(last.lower.as_str(), "cancer" | "cancers" | "tumor" | "tumors" | "tumours"));
        if headed || is_known(&text(last)) {
            spans.push((first.start, last.end));
            return;
        }
    }
    // "a disorder called purpura fulminans soon after birth": the longest known name the item starts with.
    if let Some(end) = (1..named.len().min(MAX_CONDITION_WORDS + 1)).rev().find(|&n| is_known(&text(named[n - 1]))) {
        spans.push((first.start, named[end - 1].end));
    }
}
