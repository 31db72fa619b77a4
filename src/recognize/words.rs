//! Words: tokenizing and folding text for matching, with the way back to the original `char` offsets.
//!
//! - [`normalize`] and [`fold_pattern`]: the folded form dictionaries and text are compared in (case, every kind of
//!   space and dash, typographic quotes, the article "the"); [`inflect`] gives the other number of a name's last
//!   word.
//! - [`words`]: the words of a sentence with their `char` spans; [`spaces`] and [`comma`] say what stands between
//!   two of them.
//! - [`name_spans`]: where given names (the page's own disease names, a table's phrases) occur in a sentence;
//!   [`defined_class`]: the class a sentence defines the disease as ("is a rare type of skin cancer").

pub use crate::lexicon::fold::{Normalized, fold_pattern, inflect, normalize};

/// The nouns a quantified subject may have ("most people", "some affected individuals").
pub const SUBJECT_NOUNS: [&str; 12] = [
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

/// Forms of "be" and "become" that link a subject to a predicative adjective ("Infections may be
/// life-threatening", "is mild", "can become severe").
pub const COPULAS: [&str; 9] = ["be", "is", "are", "was", "were", "been", "become", "becomes", "became"];

/// The finite forms of "be" ("are common", "are frequently seen").
pub const FINITE_BE: [&str; 4] = ["is", "are", "was", "were"];

/// Nouns of a remedy that a symptom word can qualify as the first part of a compound: in "pain medications",
/// "pain relievers", "pain management" the symptom names what the remedy is for, not a finding on the page
/// (a curator reading "treatment may include pain medications" records a therapy, not *Pain*). "Control" is not
/// here: "poor seizure control" says the seizures are there.
pub const REMEDY_NOUNS: [&str; 9] =
    ["medication", "medications", "medicine", "medicines", "reliever", "relievers", "killer", "killers", "management"];

/// Words after which a new clause starts: a negation, a frequency cue or a prevention word before them does not
/// reach past them.
pub const CLAUSE_BREAKS: [&str; 8] = ["but", "although", "though", "however", "whereas", "while", "except", "unless"];

/// A word of the searched text, in `char` offsets.
#[derive(Debug, Clone)]
pub struct Word {
    /// Offset of the first char.
    pub start: usize,
    /// Offset one past the last char.
    pub end: usize,
    /// The word in lower case.
    pub lower: String,
}

/// Words: runs of letters and digits, with inner hyphens and apostrophes ("life-threatening", "Crohn's") and
/// decimal points or thousands separators between digits ("22q11.2", "1,000").
pub fn words(chars: &[char]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric()
                || (matches!(chars[i], '-' | '\'' | '\u{2019}' | '\u{2011}')
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric()))
                || (matches!(chars[i], '.' | ',')
                    && i > start
                    && chars[i - 1].is_ascii_digit()
                    && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        out.push(Word { start, end: i, lower: chars[start..i].iter().collect::<String>().to_lowercase() });
    }
    out
}

/// Whether only spaces stand between two words.
pub fn spaces(chars: &[char], from: usize, to: usize) -> bool {
    from < to && chars[from..to].iter().all(|c| c.is_whitespace())
}

/// Whether one comma (and spaces) stands between two words.
pub fn comma(chars: &[char], from: usize, to: usize) -> bool {
    from < to
        && chars[from..to].iter().filter(|&&c| c == ',').count() == 1
        && chars[from..to].iter().all(|&c| c == ',' || c.is_whitespace())
}
/// Names shorter than this (in `char`s) are not masked.
const MIN_NAME_CHARS: usize = 3;

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

/// Words a subject may be instead of the disease's name in a sentence that defines it ("It is a ...", "This
/// condition is a ...").
const DEFINED_SUBJECTS: [&[&str]; 5] =
    [&["it"], &["this", "condition"], &["this", "disorder"], &["this", "disease"], &["this", "syndrome"]];

/// Nouns after which "of" continues the class ("a rare type of skin cancer", "a group of conditions").
const CLASS_KINDS: [&str; 7] = ["type", "form", "kind", "group", "subtype", "variant", "class"];

/// Words that end the class of a defining sentence: what follows describes the disease, not its class.
const CLASS_ENDS: [&str; 20] = [
    "that",
    "which",
    "who",
    "whose",
    "where",
    "in",
    "characterized",
    "characterised",
    "caused",
    "causing",
    "affecting",
    "resulting",
    "marked",
    "associated",
    "due",
    "with",
    "present",
    "described",
    "first",
    "involving",
];

/// The class a sentence defines the disease as ("Merkel cell carcinoma is a rare type of skin cancer that ...":
/// "rare type of skin cancer"), when the subject is one of the disease's names (`names`, their spans in the
/// sentence, [`name_spans`]; a parenthesized abbreviation after it aside) or "It", "This condition": the words from
/// after "is a"/"is an" to the first word that describes rather than classifies ([`CLASS_ENDS`]) or punctuation.
/// A curator does not record the disease's own class as its phenotype ("dementia" for a type of dementia).
pub fn defined_class(text: &str, names: &[(usize, usize)]) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let all = words(&chars);
    let verb = all
        .windows(2)
        .position(|w| matches!(w[0].lower.as_str(), "is" | "are") && matches!(w[1].lower.as_str(), "a" | "an"))?;
    let subject = &all[..verb];
    if subject.is_empty() {
        return None;
    }
    let depth = |at: usize| {
        chars[..at].iter().fold(0i32, |d, c| match c {
            '(' => d + 1,
            ')' => d - 1,
            _ => d,
        })
    };
    let by_name = subject.iter().all(|w| names.iter().any(|&(a, b)| a <= w.start && w.end <= b) || depth(w.start) > 0);
    let subject_words: Vec<&str> = subject.iter().map(|w| w.lower.as_str()).collect();
    if !by_name && !DEFINED_SUBJECTS.contains(&subject_words.as_slice()) {
        return None;
    }
    let first = verb + 2;
    let mut last = None;
    for (k, w) in all.iter().enumerate().skip(first) {
        let gap_punctuated = k > first && chars[all[k - 1].end..w.start].iter().any(|c| !c.is_whitespace());
        let continues_kind = w.lower == "of" && k > first && CLASS_KINDS.contains(&all[k - 1].lower.as_str());
        if gap_punctuated || (CLASS_ENDS.contains(&w.lower.as_str()) || w.lower == "of") && !continues_kind {
            break;
        }
        last = Some(k);
    }
    last.map(|l| (all[first].start, all[l].end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_class_a_sentence_defines_the_disease_as() {
        let class = |text: &str, names: &[&str]| {
            let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            let chars: Vec<char> = text.chars().collect();
            defined_class(text, &name_spans(&names, text)).map(|(a, b)| chars[a..b].iter().collect::<String>())
        };
        assert_eq!(
            class("Kettle fever (KF) is a rare type of skin cancer that appears early.", &["Kettle fever"]).as_deref(),
            Some("rare type of skin cancer")
        );
        assert_eq!(class("It is an autoimmune disorder, often mild.", &[]).as_deref(), Some("autoimmune disorder"));
        assert_eq!(
            class("Kettle fever is a condition characterized by short stature.", &["Kettle fever"]).as_deref(),
            Some("condition")
        );
        assert_eq!(class("Kettle fever is a disorder of the skin.", &["Kettle fever"]).as_deref(), Some("disorder"));
        assert_eq!(class("Short stature is a common finding.", &["Kettle fever"]), None);
        assert_eq!(class("Kettle fever is not a disease.", &["Kettle fever"]), None);
    }

    #[test]
    fn normalize_maps_back_to_original_chars() {
        let text = "Skin\u{00A0}\u{00A0}rash\u{2014}Non\u{2011}Specific";
        let n = normalize(text);
        assert_eq!(n.folded, "skin rash non specific");
        assert_eq!(n.cased, "Skin rash Non Specific");
        // The second NBSP is dropped: "rash" starts at original char 6.
        assert_eq!(n.origin[5], 6);
        assert_eq!(n.origin.len(), n.folded.chars().count());
    }

    #[test]
    fn normalize_keeps_one_char_per_char_for_odd_case_mappings() {
        let n = normalize("\u{0130}stanbul rash");
        assert_eq!(n.folded.chars().count(), n.cased.chars().count());
        assert!(n.folded.starts_with('i'));
    }

    #[test]
    fn inflections_go_both_ways() {
        assert_eq!(inflect("seizure").as_deref(), Some("seizures"));
        assert_eq!(inflect("recurrent infections").as_deref(), Some("recurrent infection"));
        assert_eq!(inflect("skin rash").as_deref(), Some("skin rashes"));
        assert_eq!(inflect("skin rashes").as_deref(), Some("skin rash"));
        assert_eq!(inflect("food allergy").as_deref(), Some("food allergies"));
        assert_eq!(inflect("allergies").as_deref(), Some("allergy"));
        assert_eq!(inflect("delay").as_deref(), Some("delays"));
        assert_eq!(inflect("abscess").as_deref(), Some("abscesses"));
        assert_eq!(inflect("sinusitis").as_deref(), Some("sinusitises"));
        assert_eq!(inflect("decreased circulating igm"), Some("decreased circulating igms".into()));
        assert_eq!(inflect("type 2"), None);
    }
}
