//! Amounts of a substance: "no immunoglobulin M (IgM) antibodies", "too little IgM", "normal levels of IgG and
//! IgA".
//!
//! Laboratory phenotypes are named in HPO as "Decreased X" (with synonyms such as "X deficiency", "Low X",
//! "Reduced X levels"). Pages rarely say it that way: they say the patient has *no* X, *too little* X, *low levels
//! of* X, or *normal levels of* X. This module reads those phrases:
//!
//! - A deficit cue ([`DEFICIT_CUES`]) followed by a substance gives the "decreased" term of the substance, stated
//!   as present (the "no" of "no IgM" does not negate the phenotype, it is the phenotype).
//! - A normality cue ([`NORMAL_CUES`]) followed by one or more substances ("IgG and IgA") gives the "decreased"
//!   term of each, stated as absent (`negated`): the page says the amount is not decreased. This is how Orphanet
//!   curates the same statement (`NOT` rows in `phenotype.hpoa`).
//!
//! A substance is the words after the cue up to a clause break, `and`/`or`/`,` (which start the next substance of
//! a list), or a word that cannot be part of a substance name. It is looked up with its parenthesis ("(IgM)"), the
//! parenthesis alone, and without a trailing "antibodies"/"levels", as "decreased X", "X deficiency", "low X",
//! "decreased circulating X" among HPO names and `EXACT` synonyms; the term found must be a *decrease* (its HPO
//! name starts with "Decreased", "Reduced", "Low" or "Absent", or ends with "deficiency"), so that a synonym filed
//! under another concept is not taken.

use crate::recognize::ontology::Ontology;
use crate::recognize::phenotypes::matcher::{Match, PhenotypeMatcher};
use crate::recognize::words::{self, Word};

/// Word sequences (lower case) that state a substance is missing or lower than normal.
pub const DEFICIT_CUES: [&[&str]; 14] = [
    &["little", "or", "no"],
    &["too", "little"],
    &["low", "levels", "of"],
    &["low", "amounts", "of"],
    &["reduced", "levels", "of"],
    &["decreased", "levels", "of"],
    &["absence", "of"],
    &["lack", "of"],
    &["deficiency", "of"],
    &["no"],
    &["low"],
    &["reduced"],
    &["decreased"],
    &["absent"],
];

/// Word sequences (lower case) that state a substance is at its normal amount.
pub const NORMAL_CUES: [&[&str]; 4] =
    [&["normal", "levels", "of"], &["normal", "amounts", "of"], &["normal", "level", "of"], &["normal"]];

/// Words after a substance's name that are not part of it ("IgM antibodies", "IgG levels").
const TRAILING: [&str; 6] = ["antibodies", "antibody", "levels", "level", "amounts", "amount"];

/// The longest substance name, in words (parenthesis and one trailing word such as "levels" not counted).
const MAX_SUBSTANCE_WORDS: usize = 3;

/// How HPO names a decrease of a substance `x`.
const DECREASE_FORMS: [&str; 7] = [
    "decreased {}",
    "{} deficiency",
    "low {}",
    "reduced {} levels",
    "decreased circulating {}",
    "decreased circulating {} level",
    "decreased circulating total {}",
];

/// A substance amount found in a sentence: the term and whether the page says the decrease is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    /// The "decreased" term, with the span of the words that state it.
    pub found: Match,
    /// `true` for "normal levels of X": the page states X is not decreased.
    pub negated: bool,
}

/// The amounts stated in `text` (see the module docs), in text order.
pub fn amounts(matcher: &PhenotypeMatcher, hpo: &Ontology, text: &str) -> Vec<Amount> {
    let chars: Vec<char> = text.chars().collect();
    let words = words::words(&chars);
    let mut out: Vec<Amount> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (cue_len, negated) =
            match (cue_at(&chars, &words, i, &DEFICIT_CUES), cue_at(&chars, &words, i, &NORMAL_CUES)) {
                (Some(n), _) => (n, false),
                (None, Some(n)) => (n, true),
                (None, None) => {
                    i += 1;
                    continue;
                }
            };
        let mut next = i + cue_len;
        let mut found_any = false;
        // One substance, or for "normal levels of IgG and IgA" a list of them.
        while let Some((end_word, id)) = substance(matcher, hpo, &chars, &words, next) {
            let start = if negated { words[next].start } else { words[i].start };
            let end = substance_end(&chars, &words, end_word);
            out.push(Amount {
                found: Match {
                    start,
                    end,
                    hpo_id: id,
                    matched: chars[start..end].iter().collect(),
                    alternatives: Vec::new(),
                    rule: crate::recognize::phenotypes::Rule::Amount,
                },
                negated,
            });
            found_any = true;
            // "IgG and IgA", "IgG, IgA and IgE".
            match list_continues(&chars, &words, end, end_word + 1) {
                Some(n) => next = n,
                None => break,
            }
            if next >= words.len() {
                break;
            }
        }
        i = if found_any { next.max(i + 1) } else { i + 1 };
    }
    out
}

/// How many words of the cue list `cues` start at `words[i]` (longest cue first), when one does.
fn cue_at(chars: &[char], words: &[Word], i: usize, cues: &[&[&str]]) -> Option<usize> {
    cues.iter()
        .filter(|cue| {
            cue.iter().enumerate().all(|(k, w)| words.get(i + k).is_some_and(|word| word.lower == *w))
                && (i..i + cue.len() - 1).all(|k| words::spaces(chars, words[k].end, words[k + 1].start))
        })
        .map(|cue| cue.len())
        .max()
}

/// Where the next item of a list of substances starts, when the substance ending at `end` is followed by one:
/// `and`/`or` (after an optional comma) or a comma alone.
fn list_continues(chars: &[char], words: &[Word], end: usize, after: usize) -> Option<usize> {
    let word = words.get(after)?;
    let gap = chars.get(end..word.start)?;
    if !gap.iter().all(|&c| c.is_whitespace() || c == ',') || gap.iter().filter(|&&c| c == ',').count() > 1 {
        return None;
    }
    if word.lower == "and" || word.lower == "or" { Some(after + 1) } else { gap.contains(&',').then_some(after) }
}

/// Where the substance ending at `words[last]` ends, a closing parenthesis right after it included.
fn substance_end(chars: &[char], words: &[Word], last: usize) -> usize {
    let end = words[last].end;
    if chars.get(end) == Some(&')') { end + 1 } else { end }
}

/// The substance starting at `words[first]`: the index of its last word and its "decreased" term.
fn substance(
    matcher: &PhenotypeMatcher,
    hpo: &Ontology,
    chars: &[char],
    words: &[Word],
    first: usize,
) -> Option<(usize, String)> {
    let mut best = None;
    // Candidate last words, growing: plain words separated by spaces, or one parenthesis "(IgM)".
    let mut names: Vec<String> = Vec::new();
    let mut abbreviation: Option<String> = None;
    let mut plain = 0;
    let mut k = first;
    while k < words.len() && plain <= MAX_SUBSTANCE_WORDS {
        let word = &words[k];
        if k > first {
            let gap: String = chars[words[k - 1].end..word.start].iter().collect();
            let gap = gap.trim();
            if gap == "(" && chars.get(word.end) == Some(&')') {
                abbreviation = Some(chars[word.start..word.end].iter().collect());
                k += 1;
                continue;
            }
            if !gap.is_empty() && gap != ")" {
                break;
            }
        }
        if matches!(word.lower.as_str(), "and" | "or" | "with" | "in" | "of" | "but" | "rather") {
            break;
        }
        let text: String = chars[word.start..word.end].iter().collect();
        let trailing = TRAILING.contains(&word.lower.as_str());
        // After "(IgA)" only a trailing word may follow; a trailing word ends the name.
        if (abbreviation.is_some() && !trailing) || (trailing && names.is_empty()) {
            break;
        }
        if !trailing {
            names.push(text);
        }
        plain += 1;
        let mut candidates: Vec<String> = vec![names.join(" ")];
        candidates.extend(abbreviation.clone());
        if let Some(id) = candidates.iter().find_map(|name| decrease(matcher, hpo, name)) {
            best = Some((k, id));
        }
        if trailing {
            break;
        }
        k += 1;
    }
    best
}

/// The "decreased" term of a substance name, when HPO has one (see the module docs).
fn decrease(matcher: &PhenotypeMatcher, hpo: &Ontology, name: &str) -> Option<String> {
    DECREASE_FORMS.iter().find_map(|form| {
        let id = matcher.lookup_phrase(&form.replace("{}", name))?;
        let label = hpo.term(id)?.label.to_lowercase();
        let is_decrease = ["decreased", "reduced", "low", "absent"].iter().any(|w| label.starts_with(w))
            || label.ends_with("deficiency");
        is_decrease.then(|| id.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use super::*;

    fn bundled() -> &'static (&'static Ontology, PhenotypeMatcher) {
        static R: OnceLock<(&'static Ontology, PhenotypeMatcher)> = OnceLock::new();
        R.get_or_init(|| {
            let hpo = Ontology::bundled().expect("bundled HPO");
            (hpo, PhenotypeMatcher::new(hpo).expect("matcher"))
        })
    }

    fn found(text: &str) -> Vec<(String, String, bool)> {
        let (hpo, matcher) = bundled();
        amounts(matcher, hpo, text).into_iter().map(|a| (a.found.matched, a.found.hpo_id, a.negated)).collect()
    }

    fn row(words: &str, id: &str, negated: bool) -> (String, String, bool) {
        (words.to_owned(), id.to_owned(), negated)
    }

    #[test]
    fn deficits_give_the_decrease_as_present() {
        assert_eq!(
            found("The child makes no immunoglobulin A (IgA) antibodies at all."),
            [row("no immunoglobulin A (IgA) antibodies", "HP:0002720", false)]
        );
        assert_eq!(found("Adults had too little IgM."), [row("too little IgM", "HP:0002850", false)]);
        assert_eq!(
            found("Tests showed low levels of IgG in two boys."),
            [row("low levels of IgG", "HP:0004315", false)]
        );
    }

    #[test]
    fn normal_levels_deny_the_decrease_of_each_substance() {
        assert_eq!(
            found("Blood has normal levels of IgG and IgA antibodies."),
            [row("IgG", "HP:0004315", true), row("IgA antibodies", "HP:0002720", true)]
        );
        assert_eq!(found("They had normal IgM, IgG, and IgA."), {
            [row("IgM", "HP:0002850", true), row("IgG", "HP:0004315", true), row("IgA", "HP:0002720", true)]
        });
    }

    #[test]
    fn words_that_name_no_substance_give_nothing() {
        assert!(found("There are no symptoms and no known cause.").is_empty());
        assert!(found("Normal levels of other antibodies were seen.").is_empty());
        assert!(found("A low fever, reduced appetite and normal growth.").is_empty());
        assert!(found("no").is_empty());
        assert!(found("normal levels of").is_empty());
        assert!(found("low (").is_empty());
    }
}
