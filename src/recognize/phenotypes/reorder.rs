//! Word-order and derivation variants of phenotype names: the words of an HPO name written in another order or
//! form, with a few words between ("weakness in the proximal muscles" is *Proximal muscle weakness*, "loss of
//! vision" meets "Vision loss", "kidneys to become enlarged" *Enlarged kidney*), or shared by a coordination ("dry
//! mouth and eyes" says "dry eyes", "cleft lip and palate" "cleft palate").
//!
//! The names are the phenotype dictionary's own (names, `EXACT` synonyms, the loose synonyms it lets stand alone
//! and the reviewed lay synonyms, [`super::matcher`]) of two content words or more. A name matches when every one
//! of its content words is in one stretch of the sentence, each as the same Snowball stem and a plain inflection or
//! derivation of the name's word ("weak" for "weakness", "delayed" for "delay"; "personality" is not "person",
//! "generalized" not "general"), under these conditions, which keep the rule to phrases that say the name:
//!
//! - A stretch ends at punctuation, at a capitalized word inside the sentence (flattened lists), at auxiliaries
//!   and verbs of having, causing and including, subordinators and negations ([`BREAKS`]): "the severe form may
//!   have short stature" is not *Severe short stature*, "the kidneys are not enlarged" not *Enlarged kidney*.
//! - At most [`MAX_EXTRA_WORDS`] other content words stand between the name's words (linking words aside).
//! - Words in another order than the name's need a linking word between them ("of", "in", "that are": "loss of
//!   vision", "muscles that are weak"), or a name that has one ("Loss of vision" for "vision loss") or is one of
//!   HPO's inverted names ("Intellectual disability, severe" for "severe intellectual disability"): "they report
//!   hearing abnormal" is not *Abnormal hearing*.
//! - Words in the name's order are modifiers before a head, not phrases joined by a linking word, unless the name
//!   has one or the linking word follows the first word ("enlargement of the liver" is *Enlarged liver*): "small
//!   blood vessels of the hands" is not *Small hand*, "bowing of a bone in the leg" is *Bowing of the legs*.
//! - Across "and"/"or", the name's words keep their order and the conjunction shares one of them ("dry [mouth and]
//!   eyes", "delayed motor [and walking] milestones"), or, in the other order, a phrase after the conjunction
//!   attaches to both ("weakness and loss of sensation in the limbs"; not "low calcium and high phosphate levels in
//!   the blood" for *Hypercalcemia*); "broad ends and short nails" is not *Broad nail*, "blood and urine" not
//!   *Blood in urine*.
//! - The last word ends its phrase: it is the stretch's last word or a function or linking word follows
//!   ("paralysis of the facial nerve" is not *Facial paralysis*).
//! - A range ("mild to severe intellectual disability") selects no degree, a word joined by a hyphen
//!   ("tonic-clonic") is not one of its parts, and the name written as it is, word for word, is the dictionary's
//!   business (where it gave nothing, the recognizer chose so: a disease's own name).
//!
//! Of two overlapping variants, one whose stems include all the other's is kept (the more specific name). The
//! names are those of two to five content words, each letters and digits only (HPO's inverted names with their
//! comma), as written (their other number is covered by the stems), and without a word that ends a stretch.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

use crate::recognize::RecognizeError;
use crate::recognize::packed::{Keys, Lists, Strings, index};
use crate::recognize::words::{Word, inflect, words};

/// Function words: never a content word of a name, and the words that may end a phrase.
const FUNCTION_WORDS: [&str; 20] = [
    "a", "an", "the", "of", "in", "on", "to", "and", "or", "with", "by", "for", "from", "at", "as", "its", "their",
    "his", "her", "affected",
];

/// Words that link a head to what it is said of, allowing the other word order ("loss of vision", "muscles that
/// are weak", "weakness in the legs").
const LINKS: [&str; 11] = ["of", "in", "on", "to", "with", "at", "affecting", "involving", "that", "are", "is"];

/// Degrees a range runs between ("mild to severe").
const DEGREES: [&str; 5] = ["mild", "moderate", "severe", "profound", "borderline"];

/// Conjunctions a name's words may be shared across.
const CONJUNCTIONS: [&str; 3] = ["and", "or", "nor"];

/// Words that end a stretch: auxiliaries, verbs of having, causing and including, subordinators and negations.
const BREAKS: [&str; 49] = [
    "may",
    "can",
    "might",
    "will",
    "could",
    "would",
    "should",
    "have",
    "has",
    "had",
    "was",
    "were",
    "be",
    "been",
    "being",
    "include",
    "includes",
    "including",
    "included",
    "such",
    "like",
    "called",
    "known",
    "cause",
    "causes",
    "caused",
    "causing",
    "lead",
    "leads",
    "led",
    "result",
    "results",
    "resulting",
    "due",
    "than",
    "but",
    "because",
    "although",
    "while",
    "when",
    "where",
    "which",
    "who",
    "characterized",
    "not",
    "no",
    "never",
    "without",
    "none",
];

/// Endings a word may have beyond the name's word (or the name's word without its last letter: "delay" ->
/// "delayed", "enlarge" -> "enlarged", "yellow" -> "yellowing").
const ENDINGS: [&str; 13] = ["", "s", "es", "ed", "d", "ing", "ness", "ly", "e", "ied", "ies", "en", "ened"];

/// Endings two words may each have after a base they share (the base a word itself or a longer stem): "episodes"
/// and "episodic", "enlargement" and "enlarged".
const SHARED_BASE_ENDINGS: [&str; 15] =
    ["", "s", "es", "ed", "d", "ing", "ness", "ly", "e", "y", "ies", "ied", "ic", "ment", "ments"];

/// The most content words that may stand between a name's words.
pub const MAX_EXTRA_WORDS: usize = 2;

/// The most content words a name may have to be looked up this way.
const MAX_NAME_WORDS: usize = 5;

/// The most ways of placing a name's words in a stretch that are compared (a long list without commas repeats
/// words): beyond it the name is not looked for there.
const MAX_PLACINGS: usize = 4096;

/// The names of the phenotype dictionary by the stems of their content words.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WordOrder {
    /// A stem (the smallest of each name's) -> the names that have it.
    anchors: Keys,
    anchor_names: Lists<u32>,
    /// Each name's words, space-separated, as the dictionary folded them.
    names: Strings,
    /// Each name's content-word stems, space-separated, in the name's order.
    stems: Strings,
    /// Each name's term (a number the dictionary gives identifiers).
    terms: Vec<u32>,
}

/// One name found in another order or form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Offset of the first `char` of the phrase.
    pub start: usize,
    /// Offset one past its last `char`.
    pub end: usize,
    /// The term (its number in the dictionary's identifiers).
    pub term: u32,
    /// The spans (`char`s) of the words that stand for the name's content words.
    pub words: Vec<(usize, usize)>,
}

/// The most words whose stems a thread remembers (text repeats its words; beyond this the memory starts over).
const REMEMBERED_STEMS: usize = 1 << 16;

thread_local! {
    static STEMS: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::new());
}

/// The stem of a lower-case word, remembered per thread: stemming every word of every sentence was most of the rule's
/// time.
fn stem(stemmer: &Stemmer, word: &str) -> String {
    STEMS.with_borrow_mut(|stems| {
        if let Some(s) = stems.get(word) {
            return s.clone();
        }
        if stems.len() >= REMEMBERED_STEMS {
            stems.clear();
        }
        let s = stemmer.stem(base_form(word)).into_owned();
        stems.insert(word.to_owned(), s.clone());
        s
    })
}

/// Irregular past participles and their verbs, which the stemmer does not bring together ("Swollen lymph nodes" and
/// "swelling of the lymph nodes"): English morphology, not a list of phenotypes ("torn" is left out: its verb
/// "tear" is also the noun of the lacrimal terms).
const IRREGULAR_PARTICIPLES: [(&str, &str); 11] = [
    ("bent", "bend"),
    ("bitten", "bite"),
    ("broken", "break"),
    ("fallen", "fall"),
    ("frozen", "freeze"),
    ("grown", "grow"),
    ("shrunk", "shrink"),
    ("shrunken", "shrink"),
    ("stuck", "stick"),
    ("swollen", "swell"),
    ("worn", "wear"),
];

/// The verb of an irregular participle ([`IRREGULAR_PARTICIPLES`]), else the word itself.
pub(crate) fn base_form(word: &str) -> &str {
    IRREGULAR_PARTICIPLES.iter().find(|(participle, _)| *participle == word).map_or(word, |(_, verb)| verb)
}

fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

/// The words of a folded name, without the comma of HPO's inverted names ("intellectual disability, severe").
fn name_words(key: &str) -> impl Iterator<Item = &str> {
    key.split(' ').map(|w| w.trim_end_matches(','))
}

/// Whether a lower-case word is a function word or a conjunction: never a content word of a name.
pub(crate) fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.contains(&word) || CONJUNCTIONS.contains(&word)
}

/// Whether text word `a` may stand for name word `b` (same stem assumed): equal, one is the other (or the other
/// without its last letter) with one of [`ENDINGS`], or both are one base with [`SHARED_BASE_ENDINGS`]; an irregular
/// participle stands for its verb ([`base_form`]).
fn same_word(a: &str, b: &str) -> bool {
    let (a, b) = (base_form(a), base_form(b));
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let cut = short.char_indices().next_back().map_or(short, |(i, _)| &short[..i]);
    if [short, cut].iter().any(|base| long.strip_prefix(base).is_some_and(|rest| ENDINGS.contains(&rest))) {
        return true;
    }
    // Two forms of one base: "episodes" and "episodic", "enlargement" and "enlarged", "allergies" and "allergy".
    let common: usize = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum();
    [&a[common..], &b[common..]].iter().all(|rest| SHARED_BASE_ENDINGS.contains(rest))
}

impl WordOrder {
    /// Indexes dictionary keys (folded names, [`crate::lexicon::fold::fold_pattern`]) with their term numbers.
    pub fn build<'a>(names: impl IntoIterator<Item = (&'a str, u32)>) -> Result<WordOrder, RecognizeError> {
        let stemmer = stemmer();
        let mut out = WordOrder::default();
        let mut indexed: Vec<(Vec<String>, u32)> = Vec::new();
        for (key, term) in names {
            let content: Vec<&str> = name_words(key).filter(|w| !w.is_empty() && !is_function_word(w)).collect();
            if content.len() < 2 || content.len() > MAX_NAME_WORDS {
                continue;
            }
            if content.iter().any(|w| BREAKS.contains(w) || !w.chars().all(char::is_alphanumeric)) {
                continue;
            }
            let stems: Vec<String> = content.iter().map(|w| stemmer.stem(base_form(w)).into_owned()).collect();
            if (1..stems.len()).any(|i| stems[..i].contains(&stems[i])) {
                continue;
            }
            out.names.push(key);
            out.stems.push(&stems.join(" "));
            out.terms.push(term);
            indexed.push((stems, term));
        }
        // Each name under its rarest stem, so that a common word ("abnormal") looks few names up.
        let mut frequency: HashMap<&str, usize> = HashMap::new();
        for (stems, _) in &indexed {
            for s in stems {
                *frequency.entry(s.as_str()).or_default() += 1;
            }
        }
        let mut by_anchor: HashMap<String, Vec<u32>> = HashMap::new();
        for (number, (stems, _)) in (0u32..).zip(&indexed) {
            let anchor = stems.iter().min_by_key(|s| (frequency[s.as_str()], s.as_str())).cloned().unwrap_or_default();
            by_anchor.entry(anchor).or_default().push(number);
        }
        let (anchors, anchor_names) = index(by_anchor)?;
        out.anchors = anchors;
        out.anchor_names = anchor_names;
        Ok(out)
    }

    /// Names indexed.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether no name is indexed.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The names of the index found in `text` in another order or form (see the module doc), in text order.
    pub fn find(&self, text: &str) -> Vec<Variant> {
        let chars: Vec<char> = text.chars().collect();
        let all = words(&chars);
        let stemmer = stemmer();
        let mut found: Vec<(Variant, Vec<String>)> = Vec::new();
        for stretch in stretches(&chars, &all) {
            let lower: Vec<&str> = stretch.iter().map(|w| w.lower.as_str()).collect();
            let stems: Vec<Option<String>> = lower
                .iter()
                .map(|w| (!is_function_word(w) && w.chars().all(char::is_alphanumeric)).then(|| stem(&stemmer, w)))
                .collect();
            let mut at: HashMap<&str, Vec<usize>> = HashMap::new();
            for (i, s) in stems.iter().enumerate() {
                if let Some(s) = s {
                    at.entry(s.as_str()).or_default().push(i);
                }
            }
            let mut anchors: Vec<&str> = at.keys().copied().collect();
            anchors.sort_unstable();
            for anchor in anchors {
                let Some(list) = self.anchors.get(anchor) else { continue };
                for &n in self.anchor_names.get(list) {
                    if !self.stems.get(n).split(' ').all(|s| at.contains_key(s)) {
                        continue;
                    }
                    if let Some(chosen) = self.place(n, &lower, &stems, &at) {
                        let (a, b) =
                            (chosen.iter().min().copied().unwrap_or(0), chosen.iter().max().copied().unwrap_or(0));
                        let mut spans: Vec<(usize, usize)> =
                            chosen.iter().map(|&i| (stretch[i].start, stretch[i].end)).collect();
                        spans.sort_unstable();
                        let variant = Variant {
                            start: stretch[a].start,
                            end: stretch[b].end,
                            term: self.terms[n as usize],
                            words: spans,
                        };
                        let name_stems = self.stems.get(n).split(' ').map(str::to_owned).collect();
                        found.push((variant, name_stems));
                    }
                }
            }
        }
        // A variant whose stems another overlapping one includes (and more) is the less specific reading.
        let keep: Vec<bool> = found
            .iter()
            .map(|(v, s)| {
                !found.iter().any(|(o, os)| {
                    o.start < v.end && v.start < o.end && os.len() > s.len() && s.iter().all(|x| os.contains(x))
                })
            })
            .collect();
        let mut out: Vec<Variant> = found.into_iter().zip(keep).filter(|(_, k)| *k).map(|((v, _), _)| v).collect();
        out.sort_by_key(|v| (v.start, v.end, v.term));
        out.dedup();
        out
    }

    /// Where name `n` is said in a stretch of words (`lower`, their `stems`, and the positions of each stem): the
    /// positions of the words standing for its content words, when the conditions of the module doc hold.
    fn place(
        &self,
        n: u32,
        lower: &[&str],
        stems: &[Option<String>],
        at: &HashMap<&str, Vec<usize>>,
    ) -> Option<Vec<usize>> {
        let name_words: Vec<&str> = name_words(self.names.get(n)).collect();
        let content: Vec<&str> = name_words.iter().copied().filter(|w| !is_function_word(w)).collect();
        let name_stems: Vec<&str> = self.stems.get(n).split(' ').collect();
        // The candidate positions of each name word.
        let mut options: Vec<Vec<usize>> = Vec::with_capacity(name_stems.len());
        for (s, w) in name_stems.iter().zip(&content) {
            let here: Vec<usize> = at.get(s)?.iter().copied().filter(|&i| same_word(lower[i], w)).collect();
            if here.is_empty() {
                return None;
            }
            options.push(here);
        }
        // The tightest placing (names have at most five words, stretches a few occurrences of each; the stems of a
        // name differ, so two of its words never take the same position).
        options.iter().try_fold(1usize, |n, o| n.checked_mul(o.len()).filter(|&n| n <= MAX_PLACINGS))?;
        let mut best: Option<(usize, Vec<usize>)> = None;
        let mut pick = vec![0usize; options.len()];
        loop {
            let chosen: Vec<usize> = pick.iter().zip(&options).map(|(&p, o)| o[p]).collect();
            let width = chosen.iter().max()? - chosen.iter().min()?;
            if best.as_ref().is_none_or(|(w, _)| width < *w) {
                best = Some((width, chosen));
            }
            // Next combination.
            let mut k = 0;
            while k < pick.len() {
                pick[k] += 1;
                if pick[k] < options[k].len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
            if k == pick.len() {
                break;
            }
        }
        let (_, chosen) = best?;
        let (first, last) = (*chosen.iter().min()?, *chosen.iter().max()?);
        let between: Vec<usize> = (first..=last).filter(|i| !chosen.contains(i)).collect();
        let extra = between.iter().filter(|&&i| stems[i].is_some() && !LINKS.contains(&lower[i])).count();
        if extra > MAX_EXTRA_WORDS {
            return None;
        }
        // The name as it is written, word for word (its last word in the other number too): the dictionary's
        // business. Another form of a word is not ("muscle twitching" for "Muscle twitch").
        let written = lower[first..=last].iter().copied().filter(|w| *w != "the").collect::<Vec<&str>>().join(" ");
        let name = name_words.join(" ");
        if written == name || inflect(&written).is_some_and(|other| other == name) {
            return None;
        }
        let in_order = chosen.windows(2).all(|p| p[0] < p[1]);
        let linked = |from: usize| between.iter().any(|&i| i > from && LINKS.contains(&lower[i]));
        // HPO's inverted names ("Intellectual disability, severe") are read in the other order too.
        let name_links = name_words.iter().any(|w| LINKS.contains(w)) || self.names.get(n).contains(',');
        if !(in_order || linked(first) || (last - first + 1 == chosen.len() && name_links)) {
            return None;
        }
        // Words in the name's order are modifiers before a head ("sparse pubic hair"), not phrases joined by a
        // preposition, unless the name has one ("bowing of a bone in the leg"): "small blood vessels of the hands".
        // A head right before the linking word is a nominalization of the name ("enlargement of the liver",
        // "episodes of pain").
        let head_linked = lower.get(first + 1).is_some_and(|w| LINKS.contains(w) || *w == "the");
        if in_order && linked(first) && !name_links && !head_linked {
            return None;
        }
        // A range selects no degree ("mild to severe").
        let degree = |i: Option<usize>| i.and_then(|i| lower.get(i)).is_some_and(|w| DEGREES.contains(w));
        let range = |i: usize| lower[i] == "to" && (degree(Some(i + 1)) || degree(i.checked_sub(1)));
        let to_outside = [first.checked_sub(1), Some(last + 1)].into_iter().flatten().filter(|&i| i < lower.len());
        if between.iter().copied().chain(to_outside).any(range) {
            return None;
        }
        if let Some(&c) = between.iter().find(|&&i| CONJUNCTIONS.contains(&lower[i])) {
            let shared = if in_order {
                // "dry [mouth and] eyes": the word after the conjunction is the name's, the one before is not;
                // "delayed motor [and walking] milestones": the word before is, one word stands after.
                let after = chosen.contains(&(c + 1));
                let before = chosen.contains(&(c - 1));
                (after && !before) || (before && !after && (c + 1..last).filter(|i| !chosen.contains(i)).count() == 1)
            } else {
                // "weakness and loss of sensation in the limbs": the word before the conjunction and a phrase
                // after a linking word, nothing between ("low calcium and high phosphate levels in the blood" is
                // not *Hypercalcemia*).
                let link = between.iter().copied().find(|&i| i > c && LINKS.contains(&lower[i]));
                chosen.contains(&(c - 1)) && link.is_some_and(|l| !chosen.iter().any(|&i| c < i && i < l))
            };
            if !shared {
                return None;
            }
        }
        match lower.get(last + 1) {
            Some(next) if !is_function_word(next) && !LINKS.contains(next) => None,
            _ => Some(chosen),
        }
    }
}

/// The stretches of a sentence's words a variant may span: split at punctuation (other than a hyphen or an
/// apostrophe inside a word), at a capitalized word after the first, and at [`BREAKS`] (left out).
fn stretches<'w>(chars: &[char], all: &'w [Word]) -> Vec<Vec<&'w Word>> {
    let mut out: Vec<Vec<&Word>> = Vec::new();
    let mut current: Vec<&Word> = Vec::new();
    for (i, w) in all.iter().enumerate() {
        let punctuated = i > 0 && chars[all[i - 1].end..w.start].iter().any(|c| !c.is_whitespace() && *c != '/');
        let first = chars[w.start];
        let capital = i > 0 && first.is_uppercase() && chars[w.start..w.end].iter().any(|c| c.is_lowercase());
        let breaks = BREAKS.contains(&w.lower.as_str());
        if (punctuated || capital || breaks) && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if !breaks {
            current.push(w);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(names: &[(&str, u32)]) -> WordOrder {
        WordOrder::build(names.iter().copied()).unwrap()
    }

    fn found(order: &WordOrder, text: &str) -> Vec<(String, u32)> {
        let chars: Vec<char> = text.chars().collect();
        order.find(text).into_iter().map(|v| (chars[v.start..v.end].iter().collect(), v.term)).collect()
    }

    #[test]
    fn other_orders_and_forms_of_a_name_are_found() {
        let order = index(&[("proximal muscle weakness", 1), ("loss of vision", 2), ("enlarged kidney", 3)]);
        assert_eq!(
            found(&order, "They have weakness in the proximal muscles."),
            [("weakness in the proximal muscles".into(), 1)]
        );
        assert_eq!(found(&order, "Vision loss is common."), [("Vision loss".into(), 2)]);
        assert_eq!(
            found(&order, "It causes the kidneys to become enlarged."),
            [("kidneys to become enlarged".into(), 3)]
        );
        assert_eq!(found(&order, "The kidneys are enlarged."), [("kidneys are enlarged".into(), 3)]);
    }

    #[test]
    fn the_name_written_as_it_is_is_left_to_the_dictionary() {
        let order = index(&[("loss of vision", 2)]);
        assert_eq!(found(&order, "Loss of the vision"), []);
        assert_eq!(found(&order, "loss of vision"), []);
        assert_eq!(found(&order, "loss of visions"), []);
    }

    #[test]
    fn coordination_shares_a_word_only_in_the_names_order() {
        let order = index(&[("dry eyes", 1), ("broad nail", 2), ("blood in urine", 3), ("delayed walking", 4)]);
        assert_eq!(found(&order, "They have dry mouth and eyes."), [("dry mouth and eyes".into(), 1)]);
        assert_eq!(found(&order, "They have broad ends and short nails."), []);
        assert_eq!(found(&order, "They test the blood and urine."), []);
        assert_eq!(found(&order, "They have delayed motor and walking milestones."), []);
        assert_eq!(
            found(&order, "They showed delayed speech and walking."),
            [("delayed speech and walking".into(), 4)]
        );
    }

    #[test]
    fn breaks_ranges_hyphens_and_open_phrases_stop_a_variant() {
        let order = index(&[
            ("severe short stature", 1),
            ("intellectual disability, mild", 2),
            ("generalized tonic seizures", 3),
            ("small hands", 4),
            ("abnormal hearing", 5),
            ("person disorder", 6),
        ]);
        assert_eq!(found(&order, "The severe form may have short stature."), []);
        assert_eq!(found(&order, "Mild to severe intellectual disability."), []);
        assert_eq!(found(&order, "Severe to mild intellectual disability."), []);
        assert_eq!(
            found(&order, "It is a mild intellectual disability."),
            [("mild intellectual disability".into(), 2)]
        );
        assert_eq!(found(&order, "Generalized tonic-clonic seizures."), []);
        assert_eq!(found(&order, "Small blood vessels of the hands are seen."), []);
        assert_eq!(found(&order, "They report hearing abnormal."), []);
        assert_eq!(found(&order, "A personality disorder."), []);
    }

    #[test]
    fn the_more_specific_of_two_overlapping_variants_is_kept() {
        let order = index(&[("delayed milestones", 1), ("delayed motor milestones", 2)]);
        // Both names are placed here; only the one whose stems include the other's is kept.
        assert_eq!(
            found(&order, "Their milestones in motor skills are delayed."),
            [("milestones in motor skills are delayed".into(), 2)]
        );
        assert_eq!(
            found(&order, "They had motor milestones that are delayed."),
            [("motor milestones that are delayed".into(), 2)]
        );
    }

    #[test]
    fn negations_stop_a_variant_and_odd_text_finds_nothing() {
        let order = index(&[("enlarged kidney", 3), ("folie deux", 4)]);
        assert_eq!(found(&order, "The kidneys are not enlarged."), []);
        assert_eq!(found(&order, "The kidneys are often enlarged."), [("kidneys are often enlarged".into(), 3)]);
        for text in ["", " ,;. ", "à à à", "The patient has folie à deux."] {
            assert!(found(&order, text).len() <= 1, "{text:?}");
        }
    }

    #[test]
    fn words_are_the_same_across_inflection_and_derivation_only() {
        assert!(same_word("à", "à"));
        assert!(same_word("episodes", "episodic"));
        assert!(same_word("enlargement", "enlarged"));
        assert!(!same_word("abnormality", "abnormal"));
        assert!(same_word("éclairé", "éclairés"));
        assert!(same_word("weakness", "weak"));
        assert!(same_word("delayed", "delay"));
        assert!(same_word("enlarged", "enlarge"));
        assert!(!same_word("personality", "person"));
        assert!(!same_word("generalized", "general"));
    }
}
