//! Folding: the one key under which two spellings of a name meet, for the dictionaries of recognition and for
//! anything else that compares words with names (the SSSOM export matches mentions to lay synonyms with it).
//!
//! [`normalize`] and [`fold_pattern`] fold case, every kind of space and dash, typographic quotes and the article
//! "the", keeping the way back to the original `char` offsets; [`inflect`] gives the other number of a name's last
//! word.

use std::fmt::Write as _;

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
