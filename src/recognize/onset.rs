//! Age of onset: "can occur in infants, children, or adults", "symptoms usually begin in early childhood",
//! "present at birth".
//!
//! An onset statement needs a verb of onset ([`ONSET_VERBS`]: occur, begin, start, appear, develop, present,
//! onset, ...) and, after it in the same clause, a period of life introduced by a preposition ("in", "during",
//! "at", "by", "from", "before"): each period word or phrase of [`PERIODS`] gives its HPO onset term (subtree
//! `HP:0003674` *Onset*). A list ("in infants, children, or adults") gives one term per item. Negated clauses
//! ("does not appear until adulthood") give nothing.
//!
//! The recognizer attaches a single onset term to the phenotypes of the same sentence (`biolink:onset_qualifier`);
//! a sentence without phenotypes states the onset of the disease itself (an HPO aspect C annotation, as
//! `phenotype.hpoa` has).

use crate::recognize::words::{self, Word};

/// Verbs (and the noun "onset") that introduce when a disease or sign starts.
pub const ONSET_VERBS: [&str; 24] = [
    "occur",
    "occurs",
    "occurred",
    "begin",
    "begins",
    "began",
    "start",
    "starts",
    "started",
    "appear",
    "appears",
    "appeared",
    "develop",
    "develops",
    "developed",
    "present",
    "presents",
    "onset",
    "manifest",
    "manifests",
    "diagnosed",
    "apparent",
    "evident",
    "noticed",
];

/// Adverbs that may stand between the verb and the period ("begins most often in childhood").
const ADVERBS: [&str; 16] = [
    "usually",
    "often",
    "first",
    "typically",
    "generally",
    "sometimes",
    "also",
    "only",
    "most",
    "commonly",
    "frequently",
    "mostly",
    "always",
    "initially",
    "even",
    "already",
];

/// Prepositions that introduce a period of life.
const PREPOSITIONS: [&str; 8] = ["in", "during", "at", "by", "from", "before", "after", "until"];

/// Words that may stand between the preposition and the period ("in early childhood", "in the first year").
const FILLERS: [&str; 4] = ["the", "their", "early", "a"];

/// Periods of life (lower-case word sequences) and their HPO onset terms. Sources: the HPO names, definitions
/// and `EXACT` synonyms of the terms (e.g. *Infantile onset* "Onset in infancy"; *Congenital onset* "Onset at
/// birth"; *Adult onset* "Onset in adulthood"; *Antenatal onset* "Onset in utero"). "early childhood" stays
/// *Childhood onset*: HPO has no early-childhood term in this release.
pub const PERIODS: [(&[&str], &str); 24] = [
    (&["birth"], "HP:0003577"),
    (&["utero"], "HP:0030674"),
    (&["newborn", "period"], "HP:0003623"),
    (&["neonatal", "period"], "HP:0003623"),
    (&["newborns"], "HP:0003623"),
    (&["neonates"], "HP:0003623"),
    (&["first", "weeks", "of", "life"], "HP:0003623"),
    (&["first", "year", "of", "life"], "HP:0003593"),
    (&["infancy"], "HP:0003593"),
    (&["infants"], "HP:0003593"),
    (&["babies"], "HP:0003593"),
    (&["childhood"], "HP:0011463"),
    (&["children"], "HP:0011463"),
    (&["young", "children"], "HP:0011463"),
    (&["young", "adulthood"], "HP:0011462"),
    (&["young", "adults"], "HP:0011462"),
    (&["adulthood"], "HP:0003581"),
    (&["adults"], "HP:0003581"),
    (&["adult", "life"], "HP:0003581"),
    (&["middle", "age"], "HP:0003596"),
    (&["midlife"], "HP:0003596"),
    (&["later", "in", "life"], "HP:0003584"),
    (&["late", "in", "life"], "HP:0003584"),
    (&["older", "adults"], "HP:0003584"),
];

/// One onset period found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnsetCue {
    /// The HPO onset term.
    pub hpo_id: &'static str,
    /// Offset of the first `char` of the period's words.
    pub start: usize,
    /// Offset one past the last `char`.
    pub end: usize,
}

/// The onset periods a sentence states (see the module docs), in text order.
pub fn onsets(text: &str) -> Vec<OnsetCue> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
    let mut out: Vec<OnsetCue> = Vec::new();
    for (v, verb) in words.iter().enumerate() {
        if !ONSET_VERBS.contains(&verb.lower.as_str()) || negated_before(&words, v) {
            continue;
        }
        // The first preposition after the verb within a few words, in the same clause.
        let mut k = v + 1;
        let mut seen = 0;
        while let Some(word) = words.get(k) {
            if seen > 3 || chars[words[k - 1].end..word.start].iter().any(|c| matches!(c, ';' | ':' | '.')) {
                break;
            }
            // "later in life" carries its own preposition.
            if matches!(word.lower.as_str(), "later" | "late") && period_at(&words, k).is_some() {
                read_list(&chars, &words, k, &mut out);
                break;
            }
            if PREPOSITIONS.contains(&word.lower.as_str()) {
                if word.lower == "until" || word.lower == "after" {
                    break;
                }
                read_list(&chars, &words, k + 1, &mut out);
                break;
            }
            // Only adverbs between the verb and the period: "appear healthy at birth" is not an onset.
            if !ADVERBS.contains(&word.lower.as_str()) {
                break;
            }
            seen += 1;
            k += 1;
        }
    }
    out.sort_by_key(|c| c.start);
    out.dedup();
    out
}

/// Reads "infants, children, or adults" from `words[first]`: one period per list item.
fn read_list(chars: &[char], words: &[Word], first: usize, out: &mut Vec<OnsetCue>) {
    let mut k = first;
    loop {
        while words.get(k).is_some_and(|w| FILLERS.contains(&w.lower.as_str())) {
            k += 1;
        }
        let Some((len, hpo_id)) = period_at(words, k) else { return };
        let last = &words[k + len - 1];
        out.push(OnsetCue { hpo_id, start: words[k].start, end: last.end });
        let Some(next) = words.get(k + len) else { return };
        let gap = &chars[last.end..next.start];
        if !gap.iter().all(|&c| c.is_whitespace() || c == ',') {
            return;
        }
        k += len;
        if words[k].lower == "and" || words[k].lower == "or" {
            k += 1;
        } else if !gap.contains(&',') {
            return;
        }
    }
}

/// The longest period starting at `words[k]`: its length in words and its term.
/// The periods of life a sentence places something in, with or without a verb of onset ("Signs in infants
/// include ...", "respiratory distress shortly after birth"): each period of [`PERIODS`] after a preposition
/// (fillers such as "the" and "early" between), as its HPO onset term; "after birth" is the neonatal period, not
/// birth itself. Used to choose the onset-specific name of a phenotype ("infantile hypotonia"), not as an onset
/// qualifier, which needs the verb ([`onsets`]). Each with the `char` offset of its preposition, in text order.
pub fn periods_mentioned(text: &str) -> Vec<(usize, &'static str)> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
    let mut out = Vec::new();
    for (p, preposition) in words.iter().enumerate() {
        if !PREPOSITIONS.contains(&preposition.lower.as_str()) || preposition.lower == "until" {
            continue;
        }
        let mut k = p + 1;
        while words.get(k).is_some_and(|w| FILLERS.contains(&w.lower.as_str())) {
            k += 1;
        }
        let Some((_, id)) = period_at(&words, k) else { continue };
        let id = if preposition.lower == "after" && id == CONGENITAL { NEONATAL } else { id };
        out.push((preposition.start, id));
    }
    out
}

/// *Congenital onset*, what "at birth" states.
const CONGENITAL: &str = "HP:0003577";

/// *Neonatal onset*, what "shortly after birth" states.
const NEONATAL: &str = "HP:0003623";

fn period_at(words: &[Word], k: usize) -> Option<(usize, &'static str)> {
    PERIODS
        .iter()
        .filter(|(phrase, _)| phrase.iter().enumerate().all(|(i, w)| words.get(k + i).is_some_and(|x| x.lower == *w)))
        .max_by_key(|(phrase, _)| phrase.len())
        .map(|(phrase, id)| (phrase.len(), *id))
}

/// Whether a negation stands among the three words before the verb ("does not appear").
fn negated_before(words: &[Word], v: usize) -> bool {
    words[v.saturating_sub(3)..v]
        .iter()
        .any(|w| matches!(w.lower.as_str(), "not" | "never" | "no") || w.lower.ends_with("n't"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        onsets(text).into_iter().map(|c| c.hpo_id).collect()
    }

    #[test]
    fn periods_after_a_verb_of_onset() {
        assert_eq!(
            ids("Kettle fever can occur in infants, children, or adults."),
            ["HP:0003593", "HP:0011463", "HP:0003581"]
        );
        assert_eq!(ids("Symptoms usually begin in early childhood."), ["HP:0011463"]);
        assert_eq!(ids("The rash is present at birth."), ["HP:0003577"]);
        assert_eq!(ids("Signs often appear in the first year of life."), ["HP:0003593"]);
        assert_eq!(ids("Onset in young adulthood is typical."), ["HP:0011462"]);
        assert_eq!(ids("It develops later in life."), ["HP:0003584"]);
    }

    #[test]
    fn periods_mentioned_need_a_preposition_not_a_verb() {
        assert_eq!(periods_mentioned("Signs in infants include low muscle tone."), [(6, "HP:0003593")]);
        assert_eq!(periods_mentioned("They have respiratory distress shortly after birth."), [(39, "HP:0003623")]);
        assert_eq!(periods_mentioned("The rash is present at birth."), [(20, "HP:0003577")]);
        assert!(periods_mentioned("Infants have low muscle tone.").is_empty());
        assert!(periods_mentioned("It does not begin until adulthood.").is_empty());
    }

    #[test]
    fn no_onset_without_a_verb_or_under_negation() {
        assert!(ids("Infections are common in infants.").is_empty());
        assert!(ids("Seizures do not appear in adults.").is_empty());
        assert!(ids("It does not begin until adulthood.").is_empty());
        assert!(ids("Symptoms begin. Children are tired.").is_empty());
        assert!(ids("Most babies appear healthy at birth.").is_empty());
        assert!(ids("").is_empty());
        assert!(ids("occurs in").is_empty());
    }

    #[test]
    fn spans_are_the_period_words() {
        let text = "Weakness starts in childhood";
        let cue = &onsets(text)[0];
        assert_eq!(text.chars().skip(cue.start).take(cue.end - cue.start).collect::<String>(), "childhood");
    }
}
