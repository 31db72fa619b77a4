//! The dictionary search shared by the phenotype and treatment recognizers: names folded by [`super::words`],
//! searched in finite-state transducers ([`tantivy_fst`]) at every word start, longest name first.
//!
//! Matching walks the transducer along the text from every word start (not the second part of a hyphenated word:
//! "non-bloody diarrhea" is not *Bloody diarrhea*) and keeps the longest name that ends on a word boundary: when the longest name starting there ends inside a word ("rash" in "rashly"), a shorter name
//! ending on a word boundary can still match. An unanchored non-overlapping search could not do that: it reports
//! one match per position and hides the shorter candidates behind a rejected one. Abbreviations (all capitals, at
//! most five letters) are kept in a second transducer matched with case kept.
//!
//! A transducer rather than an Aho-Corasick automaton: only prefixes of the text at a word start are looked up, which
//! a transducer does as fast; it is built in a tenth of the time (about 60 ms for HPO's 60,000 names, where the
//! automaton took 0.5 s) and is a byte string, so the start-up cache ([`crate::cache`]) stores it as it is. The
//! transducer maps each name to its number in the candidate lists, so a whole phrase is looked up in it too.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy_fst::Map;

use crate::recognize::RecognizeError;
use crate::recognize::packed::{Keys, Lists, index};
use crate::recognize::words::{inflect, normalize};

/// Names shorter than this (in `char`s) are not indexed: too ambiguous in prose.
pub(crate) const MIN_PATTERN_CHARS: usize = 4;

/// All-uppercase names with at most this many letters are abbreviations, matched only with exact case.
pub(crate) const MAX_ABBREVIATION_LETTERS: usize = 5;

/// Whether a name is an all-uppercase abbreviation short enough to be ambiguous in lower case ("ADHD", "IUGR").
pub(crate) fn is_abbreviation(name: &str) -> bool {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    letters > 0 && letters <= MAX_ABBREVIATION_LETTERS && !name.chars().any(char::is_lowercase)
}

/// Two transducers over the names of a dictionary (case folded, and abbreviations with case kept) and the
/// candidates of each name, packed ([`super::packed`]) so that the start-up cache decodes them in a few
/// allocations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Dictionary<C> {
    folded: Keys,
    folded_ids: Lists<C>,
    exact: Keys,
    exact_ids: Lists<C>,
}

impl<C: Clone> Dictionary<C> {
    /// The dictionary of `folded` names (keys of [`super::words::fold_pattern`]) and `exact` abbreviations (the
    /// `cased` form of [`normalize`]), each with its candidates.
    pub(crate) fn new(folded: HashMap<String, Vec<C>>, exact: HashMap<String, Vec<C>>) -> Result<Self, RecognizeError> {
        let (folded, folded_ids) = index(folded)?;
        let (exact, exact_ids) = index(exact)?;
        Ok(Dictionary { folded, folded_ids, exact, exact_ids })
    }
}

impl<C> Dictionary<C> {
    /// The names found in `text`: (start, end) in `char`s and the name's candidates, never empty (see [`scan`]).
    pub(crate) fn find(&self, text: &str) -> Vec<(usize, usize, &[C])> {
        scan((self.folded.map(), &self.folded_ids), (self.exact.map(), &self.exact_ids), text)
    }

    /// The candidates of a folded name (a key of [`super::words::fold_pattern`]), when it is one of the names.
    pub(crate) fn folded(&self, key: &str) -> Option<&[C]> {
        self.folded.get(key).map(|i| self.folded_ids.get(i))
    }
}

/// Adds `candidate` under the dictionary key `key`.
pub(crate) fn add<C>(map: &mut HashMap<String, Vec<C>>, key: String, candidate: C) {
    map.entry(key).or_default().push(candidate);
}

/// Adds a folded name and its other number (its plural, or singular: [`inflect`]) when that is long enough to be
/// indexed; the other number stands for `inflected`, which ranks below a name written that way.
pub(crate) fn add_with_inflection<C>(map: &mut HashMap<String, Vec<C>>, key: &str, candidate: C, inflected: C) {
    if key.is_empty() {
        return;
    }
    add(map, key.to_owned(), candidate);
    if let Some(other) = inflect(key).filter(|o| o.chars().count() >= MIN_PATTERN_CHARS) {
        add(map, other, inflected);
    }
}

/// The longest name starting at normalized char `k` and ending on a word boundary: its end (normalized char index,
/// exclusive) and name number.
fn longest_at(names: &Map<Vec<u8>>, hay: &str, offsets: &[usize], chars: &[char], k: usize) -> Option<(usize, u32)> {
    let fst = names.as_fst();
    let from = offsets[k];
    let mut node = fst.root();
    let mut output = tantivy_fst::raw::Output::zero();
    let mut best = None;
    for (i, &byte) in hay.as_bytes()[from..].iter().enumerate() {
        let Some(t) = node.find_input(byte) else { break };
        let transition = node.transition(t);
        output = output.cat(transition.out);
        node = fst.node(transition.addr);
        if !node.is_final() {
            continue;
        }
        // Names are whole UTF-8 strings, so a name ends on a char boundary.
        let end = offsets.partition_point(|&o| o < from + i + 1);
        let boundary = end >= chars.len() || !chars[end].is_alphanumeric() || !chars[end - 1].is_alphanumeric();
        if boundary {
            best = u32::try_from(output.cat(node.final_output()).value()).ok().map(|n| (end, n));
        }
    }
    best
}

/// The dictionary search both matchers run: at every word start of the normalized `text`, the longest name of the
/// case-insensitive transducer or of the case-kept one (abbreviations) that ends on a word boundary, left to right
/// without overlaps. Returns (start, end) in `char`s of `text` and the candidates of the name, which are never empty.
fn scan<'a, C>(
    folded: (&Map<Vec<u8>>, &'a Lists<C>),
    exact: (&Map<Vec<u8>>, &'a Lists<C>),
    text: &str,
) -> Vec<(usize, usize, &'a [C])> {
    let norm = normalize(text);
    let chars: Vec<char> = norm.folded.chars().collect();
    // The second part of a hyphenated word starts no name: "non-bloody diarrhea" is not *Bloody diarrhea*,
    // "tonic-clonic seizures" not *Clonic seizure* (a name that spans the hyphen starts before it).
    let original: Vec<char> = text.chars().collect();
    let after_hyphen = |k: usize| {
        let o = norm.origin[k];
        o >= 2 && matches!(original[o - 1], '-' | '\u{2010}' | '\u{2011}') && original[o - 2].is_alphanumeric()
    };
    let mut found = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let starts_word = chars[k].is_alphanumeric() && (k == 0 || !chars[k - 1].is_alphanumeric());
        if !starts_word || after_hyphen(k) {
            k += 1;
            continue;
        }
        let in_folded = longest_at(folded.0, &norm.folded, &norm.folded_offsets, &chars, k);
        let in_exact = longest_at(exact.0, &norm.cased, &norm.cased_offsets, &chars, k);
        let (end, candidates) = match (in_folded, in_exact) {
            (Some((fe, _)), Some((ee, ep))) if ee > fe => (ee, exact.1.get(ep)),
            (Some((fe, fp)), _) => (fe, folded.1.get(fp)),
            (None, Some((ee, ep))) => (ee, exact.1.get(ep)),
            (None, None) => {
                k += 1;
                continue;
            }
        };
        if !candidates.is_empty() {
            found.push((norm.origin[k], norm.origin[end - 1] + 1, candidates));
        }
        k = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_recognized() {
        assert!(is_abbreviation("ADHD"));
        assert!(is_abbreviation("IUGR"));
        assert!(!is_abbreviation("IgM deficiency"));
        assert!(!is_abbreviation("HYPERTENSION"));
    }
}
