//! What the words around a phenotype name say about it: whether they are the page's own disease name, an
//! associated condition rather than a feature, and how often the feature occurs.
//!
//! - [`name_spans`]: the page's title and synonyms in a sentence. A phenotype name inside them ("fever" in an
//!   imaginary "Kettle fever") names the disease, not one of its features.
//! - [`associated_conditions`]: after "associated with", "in association with", "in (some) people with" or a
//!   condition noun followed by "such as", "including" or "called", list items whose head is "disease(s)", "disorder(s)", "condition(s)",
//!   "syndrome(s)", "cancer(s)" or "tumor(s)" ("autoimmune diseases", "22q11.2 deletion syndrome") are other
//!   conditions the disease occurs with, not phenotypes.
//! - [`frequency_cue`]: a sentence whose subject is quantified ("Most people with ...", "Some patients ...")
//!   states how often the phenotypes of its main clause occur, as an HPO frequency term; [`frequency_cues`] adds
//!   "In some people, ...", frequency adjectives ("Common signs include", "are common") and adverbs ("often").

use super::words::{self, Word};

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
/// antecedent must be a plural condition noun ([`CONDITION_HEADS`]): "a disorder that causes seizures", said of the
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
/// "called" or "named" that follow a condition noun ("chromosome disorders such as", "a disorder called").
fn list_start(chars: &[char], words: &[Word], i: usize) -> Option<(usize, bool)> {
    let after_head = i.checked_sub(1).is_some_and(|h| CONDITION_HEADS.contains(&words[h].lower.as_str()));
    if after_head && matches!(words[i].lower.as_str(), "including" | "called" | "named") {
        return (i + 1 < words.len()).then_some((i + 1, false));
    }
    let next = words.get(i + 1)?;
    if !words::spaces(chars, words[i].end, next.start) || i + 2 >= words.len() {
        return None;
    }
    let cue = format!("{} {}", words[i].lower, next.lower);
    let (listed, strong) = match cue.as_str() {
        "associated with" | "association with" => (true, true),
        "such as" | "known as" => (after_head, false),
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

/// Words that may open a clause before its number of patients ("About 20% of people ...").
const HEDGES: [&str; 12] =
    ["about", "approximately", "roughly", "around", "nearly", "almost", "over", "more", "than", "up", "to", "some"];

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

/// Frequency adjectives of a subject ("Common signs include ...") or predicate ("Seizures are common"), and
/// frequency adverbs ("often have"), with the HPO frequency terms they state. "very" before an adjective selects
/// the stronger term ([`VERY`]).
pub const FREQUENCY_ADJECTIVES: [(&str, &str); 5] = [
    ("common", "HP:0040282"),
    ("frequent", "HP:0040282"),
    ("uncommon", "HP:0040283"),
    ("infrequent", "HP:0040283"),
    ("rare", "HP:0040284"),
];

/// "very common" is very frequent; "very rare" stays very rare.
const VERY: [(&str, &str); 2] = [("common", "HP:0040281"), ("frequent", "HP:0040281")];

/// Frequency adverbs and the HPO frequency terms they state; the adverb covers its clause.
pub const FREQUENCY_ADVERBS: [(&str, &str); 9] = [
    ("always", "HP:0040280"),
    ("usually", "HP:0040281"),
    ("typically", "HP:0040281"),
    ("often", "HP:0040282"),
    ("frequently", "HP:0040282"),
    ("commonly", "HP:0040282"),
    ("sometimes", "HP:0040283"),
    ("occasionally", "HP:0040283"),
    ("rarely", "HP:0040284"),
];

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

/// Quantifiers of "In some cases, ..." and the HPO frequency terms they state.
const CASE_QUANTIFIERS: [(&str, &str); 6] = [
    ("most", "HP:0040281"),
    ("many", "HP:0040282"),
    ("some", "HP:0040283"),
    ("few", "HP:0040284"),
    ("rare", "HP:0040284"),
    ("all", "HP:0040280"),
];

/// Nouns of "In some cases, ..." besides the subject nouns.
const CASE_NOUNS: [&str; 4] = ["cases", "instances", "families", "affected"];

/// Forms of "be" that link a subject to a frequency adjective ("are common").
const BE: [&str; 4] = ["is", "are", "was", "were"];

/// The frequency cues of a sentence (see [`frequency_cue`] for the quantified subject, the first form):
///
/// - a quantified subject: "Most people with X have A" covers the main clause;
/// - "In some people, A is the first symptom": the quantifier phrase before the first comma covers the clause
///   after it;
/// - a frequency adjective opening the sentence: "Common infections include A and B" covers the clause;
/// - a predicative frequency adjective: "A and B are common" covers the clause before the verb;
/// - a frequency adverb: "Patients often have A" covers the adverb's clause.
///
/// Where several cues cover a mention, the narrowest range wins ([`frequency_at`]).
pub fn frequency_cues(text: &str) -> Vec<FrequencyCue> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
    let mut cues = Vec::new();
    if let Some((term, end)) = frequency_cue(text) {
        cues.push(FrequencyCue { value: CueValue::Term(term), start: 0, end });
    }
    let clause = |at: usize| clause_around(&chars, &words, at);
    // "In some people, ..."
    if let [first, quantifier, noun, ..] = words.as_slice() {
        let comma = chars.get(noun.end) == Some(&',');
        let known_noun = SUBJECT_NOUNS.contains(&noun.lower.as_str()) || CASE_NOUNS.contains(&noun.lower.as_str());
        if first.lower == "in" && comma && known_noun {
            if let Some((_, term)) = CASE_QUANTIFIERS.iter().find(|(q, _)| *q == quantifier.lower) {
                let (_, end) = clause(noun.end + 1);
                cues.push(FrequencyCue { value: CueValue::Term(term), start: noun.end + 1, end });
            }
        }
    }
    for (i, word) in words.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| words[p].lower.as_str());
        // "less commonly", "less frequent": occasional, over the clause.
        if previous == Some("less") && LESS.contains(&word.lower.as_str()) {
            let (start, end) = clause(word.start);
            cues.push(FrequencyCue { value: CueValue::Term(OCCASIONAL), start, end });
            continue;
        }
        // A quantified subject inside the sentence ("In X, most affected people experience A"), or after the
        // phenotype ("A occurs in most people with X"): the clause.
        if i > 0 {
            if let Some(term) = quantified_subject(&words, i) {
                let (start, end) = clause(word.start);
                cues.push(FrequencyCue { value: CueValue::Term(term), start, end });
            }
        }
        // "is not common": occasional, for the clause before the verb.
        if previous == Some("not") && matches!(word.lower.as_str(), "common" | "frequent") && i >= 2 {
            let verb = &words[i - 2];
            if BE.contains(&verb.lower.as_str()) {
                let (start, _) = clause(verb.start);
                cues.push(FrequencyCue { value: CueValue::Term(OCCASIONAL), start, end: verb.start });
                continue;
            }
        }
        if let Some(term) = adjective_term(&word.lower, previous == Some("very")) {
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
        if let Some((_, term)) = FREQUENCY_ADVERBS.iter().find(|(a, _)| *a == word.lower) {
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

/// The HPO frequency term for "occasional" (5-29%): "less commonly", "not common".
const OCCASIONAL: &str = "HP:0040283";

/// Words after "less" that make it a frequency ("less commonly").
const LESS: [&str; 6] = ["common", "commonly", "frequent", "frequently", "often", "usual"];

/// The term of a quantified subject starting at `words[i]`: "most people", "some affected individuals".
fn quantified_subject(words: &[Word], i: usize) -> Option<&'static str> {
    let (_, term) = FREQUENCY_CUES.iter().filter(|(q, _)| *q != "rarely").find(|(q, _)| *q == words[i].lower)?;
    let mut noun = words.get(i + 1)?;
    if noun.lower == "affected" {
        noun = words.get(i + 2)?;
    }
    SUBJECT_NOUNS.contains(&noun.lower.as_str()).then_some(*term)
}

/// What the narrowest cue covering `[start, end)` states.
pub fn frequency_at(cues: &[FrequencyCue], start: usize, end: usize) -> Option<CueValue> {
    cues.iter().filter(|c| c.start <= start && end <= c.end).min_by_key(|c| c.end - c.start).map(|c| c.value)
}

fn adjective_term(word: &str, very: bool) -> Option<&'static str> {
    let very_term = very.then(|| VERY.iter().find(|(a, _)| *a == word).map(|(_, t)| *t)).flatten();
    very_term.or_else(|| FREQUENCY_ADJECTIVES.iter().find(|(a, _)| *a == word).map(|(_, t)| *t))
}

/// The clause around `char` offset `at`: from after the last clause break (word, `;` or `:`) before it to the
/// next one after it.
fn clause_around(chars: &[char], words: &[Word], at: usize) -> (usize, usize) {
    let is_break = |w: &Word| CLAUSE_BREAKS.contains(&w.lower.as_str());
    let start_word = words.iter().filter(|w| w.end <= at && is_break(w)).map(|w| w.end).max().unwrap_or(0);
    let start_punct = chars[..at.min(chars.len())].iter().rposition(|&c| c == ';' || c == ':').map_or(0, |p| p + 1);
    let end_word = words.iter().find(|w| w.start >= at && is_break(w)).map_or(chars.len(), |w| w.start);
    let end_punct = chars.iter().skip(at).position(|&c| c == ';' || c == ':').map_or(chars.len(), |p| p + at);
    (start_word.max(start_punct), end_word.min(end_punct))
}

/// The HPO frequency term a sentence's quantified subject states, and the `char` offset where its main clause
/// ends (mentions after it are not covered): "Most people with X have A" -> very frequent.
pub fn frequency_cue(text: &str) -> Option<(&'static str, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
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
