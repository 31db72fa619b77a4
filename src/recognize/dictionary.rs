//! The dictionary search shared by the phenotype and treatment recognizers: names folded by [`super::words`],
//! searched with Aho-Corasick automata at every word start, longest name first.
//!
//! Matching runs an anchored leftmost-longest Aho-Corasick search at every word start: when the longest name
//! starting there ends inside a word ("rash" in "rashly"), the search is repeated on a shorter window so that a
//! shorter name ending on a word boundary can still match. An unanchored non-overlapping search could not do that:
//! it reports one match per position and hides the shorter candidates behind a rejected one. Abbreviations (all
//! capitals, at most five letters) are kept in a second automaton matched with case kept.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use crate::recognize::RecognizeError;
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

/// Two automata over the names of a dictionary (case folded, and abbreviations with case kept) and the candidates
/// of each name.
#[derive(Debug, Clone)]
pub(crate) struct Dictionary<C> {
    folded: AhoCorasick,
    folded_ids: Vec<Vec<C>>,
    exact: AhoCorasick,
    exact_ids: Vec<Vec<C>>,
}

impl<C> Dictionary<C> {
    /// The dictionary of `folded` names (keys of [`super::words::fold_pattern`]) and `exact` abbreviations (the
    /// `cased` form of [`normalize`]), each with its candidates.
    pub(crate) fn new(folded: HashMap<String, Vec<C>>, exact: HashMap<String, Vec<C>>) -> Result<Self, RecognizeError> {
        let (folded, folded_ids) = automaton(folded)?;
        let (exact, exact_ids) = automaton(exact)?;
        Ok(Dictionary { folded, folded_ids, exact, exact_ids })
    }

    /// The names found in `text`: (start, end) in `char`s and the name's candidates, never empty (see [`scan`]).
    pub(crate) fn find(&self, text: &str) -> Vec<(usize, usize, &[C])> {
        scan((&self.folded, &self.folded_ids), (&self.exact, &self.exact_ids), text)
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

/// Builds one automaton; pattern `i` has candidates `ids[i]`.
fn automaton<C>(map: HashMap<String, C>) -> Result<(AhoCorasick, Vec<C>), RecognizeError> {
    let mut entries: Vec<(String, C)> = map.into_iter().collect();
    // Sorted so that the automaton, and pattern numbers, are the same from run to run.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let (keys, ids): (Vec<String>, Vec<C>) = entries.into_iter().unzip();
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .build(&keys)
        .map_err(|e| RecognizeError::Matcher { reason: e.to_string() })?;
    Ok((ac, ids))
}

/// The longest pattern starting at normalized char `k` and ending on a word boundary: its end (normalized char
/// index, exclusive) and pattern number.
fn longest_at(ac: &AhoCorasick, hay: &str, offsets: &[usize], chars: &[char], k: usize) -> Option<(usize, usize)> {
    let from = offsets[k];
    let mut limit = hay.len();
    while limit > from {
        let input = Input::new(hay).span(from..limit).anchored(Anchored::Yes);
        let m = ac.try_find(input).ok()??;
        // Patterns are whole UTF-8 strings, so a match ends on a char boundary.
        let end = offsets.partition_point(|&o| o < m.end());
        let boundary = end >= chars.len() || !chars[end].is_alphanumeric() || !chars[end - 1].is_alphanumeric();
        if boundary {
            return Some((end, m.pattern().as_usize()));
        }
        limit = m.end() - 1;
    }
    None
}

/// The dictionary search both matchers run: at every word start of the normalized `text`, the longest name of the
/// case-insensitive automaton or of the case-kept one (abbreviations) that ends on a word boundary, left to right
/// without overlaps. Returns (start, end) in `char`s of `text` and the candidates of the name, which are never empty.
fn scan<'a, C>(
    folded: (&AhoCorasick, &'a [Vec<C>]),
    exact: (&AhoCorasick, &'a [Vec<C>]),
    text: &str,
) -> Vec<(usize, usize, &'a [C])> {
    let norm = normalize(text);
    let chars: Vec<char> = norm.folded.chars().collect();
    let mut found = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let starts_word = chars[k].is_alphanumeric() && (k == 0 || !chars[k - 1].is_alphanumeric());
        if !starts_word {
            k += 1;
            continue;
        }
        let in_folded = longest_at(folded.0, &norm.folded, &norm.folded_offsets, &chars, k);
        let in_exact = longest_at(exact.0, &norm.cased, &norm.cased_offsets, &chars, k);
        let (end, candidates) = match (in_folded, in_exact) {
            (Some((fe, _)), Some((ee, ep))) if ee > fe => (ee, &exact.1[ep]),
            (Some((fe, fp)), _) => (fe, &folded.1[fp]),
            (None, Some((ee, ep))) => (ee, &exact.1[ep]),
            (None, None) => {
                k += 1;
                continue;
            }
        };
        if !candidates.is_empty() {
            found.push((norm.origin[k], norm.origin[end - 1] + 1, candidates.as_slice()));
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
