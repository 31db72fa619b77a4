//! Words: tokenizing and folding text for matching, with the way back to the original `char` offsets.
//!
//! - [`normalize`] and [`fold_pattern`]: the folded form dictionaries and text are compared in (case, every kind of
//!   space and dash, typographic quotes, the article "the"); [`inflect`] gives the other number of a name's last
//!   word.
//! - [`words`]: the words of a sentence with their `char` spans; [`spaces`] and [`comma`] say what stands between
//!   two of them.
//! - [`name_spans`]: where given names (the page's own disease names, a table's phrases) occur in a sentence.

use std::fmt::Write as _;

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

/// Words after which a new clause starts: a negation, a frequency cue or a prevention word before them does not
/// reach past them.
pub const CLAUSE_BREAKS: [&str; 8] = ["but", "although", "though", "however", "whereas", "while", "except", "unless"];

/// The dictionary key of a name: normalized, lower case, trimmed.
pub fn fold_pattern(name: &str) -> String {
    normalize(name).folded.trim().to_owned()
}

/// Text prepared for matching, with the way back to the original `char` offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// Lower case, spaces and dashes folded to one space, quotes folded.
    pub folded: String,
    /// The same characters as `folded` (one for one), with case kept.
    pub cased: String,
    /// For each char of `folded`: the index of the original char it came from.
    pub origin: Vec<usize>,
    /// For each char of `folded`: its byte offset in `folded` (sorted, for the automaton's byte offsets).
    pub folded_offsets: Vec<usize>,
    /// For each char of `cased`: its byte offset in `cased`.
    pub cased_offsets: Vec<usize>,
}

/// Normalizes text for matching: every kind of whitespace (NBSP included) and dash (hyphen, en and em dashes,
/// minus) becomes one space, runs of spaces collapse, typographic quotes become ASCII, soft hyphens and
/// zero-width characters vanish, and letters are lower-cased one char for one char (so offsets map back).
pub fn normalize(text: &str) -> Normalized {
    let mut out = Normalized {
        folded: String::with_capacity(text.len()),
        cased: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len()),
        folded_offsets: Vec::with_capacity(text.len()),
        cased_offsets: Vec::with_capacity(text.len()),
    };
    let mut last_space = false;
    for (i, c) in text.chars().enumerate() {
        let c = match c {
            '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => ' ',
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{0060}' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        // One char for one char: the rare multi-char lower case (U+0130) keeps its first char.
        let lower = c.to_lowercase().next().unwrap_or(c);
        out.folded_offsets.push(out.folded.len());
        out.cased_offsets.push(out.cased.len());
        out.folded.push(lower);
        out.cased.push(c);
        out.origin.push(i);
    }
    drop_articles(out)
}

/// Removes the word "the" (and the space after it) from normalized text: HPO writes "Bleeding in brain" and
/// "Abnormality of the eye", pages write "bleeding in the brain"; names and text are folded alike, so both sides
/// meet without the article. Offsets still map back to the original text.
fn drop_articles(norm: Normalized) -> Normalized {
    let chars: Vec<char> = norm.folded.chars().collect();
    let is_article =
        |k: usize| chars.get(k..k + 4) == Some(&['t', 'h', 'e', ' '][..]) && (k == 0 || chars[k - 1] == ' ');
    if !(0..chars.len()).any(is_article) {
        return norm;
    }
    let cased: Vec<char> = norm.cased.chars().collect();
    let mut out = Normalized {
        folded: String::with_capacity(norm.folded.len()),
        cased: String::with_capacity(norm.cased.len()),
        origin: Vec::with_capacity(chars.len()),
        folded_offsets: Vec::with_capacity(chars.len()),
        cased_offsets: Vec::with_capacity(chars.len()),
    };
    let mut k = 0;
    while k < chars.len() {
        if is_article(k) {
            k += 4;
            continue;
        }
        out.folded_offsets.push(out.folded.len());
        out.cased_offsets.push(out.cased.len());
        out.folded.push(chars[k]);
        out.cased.push(cased[k]);
        out.origin.push(norm.origin[k]);
        k += 1;
    }
    out
}

/// The plural of a singular last word, or the singular of a plural one: "seizure" <-> "seizures", "rash" <->
/// "rashes", "allergy" <-> "allergies". `None` when the last word is not a plain lower-case word.
pub fn inflect(key: &str) -> Option<String> {
    let (head, word) = match key.rfind(' ') {
        Some(i) => key.split_at(i + 1),
        None => ("", key),
    };
    if word.len() < 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let consonant_before =
        |suffix: usize| word[..word.len() - suffix].bytes().last().is_some_and(|b| !b"aeiou".contains(&b));
    let other = if word.ends_with("ies") && word.len() > 4 {
        format!("{}y", &word[..word.len() - 3])
    } else if ["sses", "xes", "ches", "shes", "zes"].iter().any(|s| word.ends_with(s)) {
        word[..word.len() - 2].to_owned()
    } else if word.ends_with('s') && !["ss", "us", "is"].iter().any(|s| word.ends_with(s)) {
        word[..word.len() - 1].to_owned()
    } else if word.ends_with('y') && consonant_before(1) {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|s| word.ends_with(s)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    };
    let mut out = String::with_capacity(head.len() + other.len());
    let _ = write!(out, "{head}{other}");
    Some(out)
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
