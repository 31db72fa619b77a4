//! Sentence splitting with citation markers, shared by every reader.
//!
//! GARD prose ends sentences with numbered markers (`...antibodies.[1][2] IgM is...`). The splitter cuts after the
//! terminal punctuation, moves the markers that follow it into [`Sentence::citations`], and keeps offsets in
//! `char`s so a sentence is always exactly `text[start..end]`.

use crate::page::{Paragraph, ParagraphKind, Sentence};

/// Words that end in a period without ending a sentence (compared lower-case, without the period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "al", "dr", "drs", "mr", "mrs", "ms", "vs", "approx", "no", "nos", "st", "fig", "figs", "ref",
    "refs", "etc", "inc", "ltd", "co", "jr", "sr", "vol", "ed", "eds", "pp", "ca", "cf", "sp", "spp", "var", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "e.t.c",
];

/// The longest word looked at for an abbreviation.
const MAX_WORD: usize = 32;
/// How far back an open parenthesis is looked for.
const MAX_PAREN_SPAN: usize = 500;
/// The longest citation marker read (`[1, 2, 3, 4, 5, 6]`).
const MAX_MARKER: usize = 64;

/// A plain text as prose paragraphs, one per non-blank line, each split into sentences; offsets are `char`
/// offsets into the text (`gardkg annotate`, and the invented pages of tests).
pub fn line_paragraphs(text: &str) -> Vec<Paragraph> {
    let chars: Vec<char> = text.chars().collect();
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let end = start + line.chars().count();
        if !line.trim().is_empty() {
            paragraphs.push(Paragraph { kind: ParagraphKind::Prose, start, end, sentences: split(&chars, start, end) });
        }
        start = end + 1;
    }
    paragraphs
}

/// Splits the characters `start..end` of `chars` (a section's text) into sentences.
///
/// Offsets in the result are indexes into `chars`. Whitespace between sentences belongs to no sentence;
/// citation markers that end a sentence (`[1]`, `[1,2]`, `[1-3]`, `[1][4]`) are reported in `citations`,
/// not in the text.
pub fn split(chars: &[char], start: usize, end: usize) -> Vec<Sentence> {
    let end = end.min(chars.len());
    let mut out = Vec::new();
    let mut i = skip_space(chars, start, end);
    let mut sentence_start = i;
    while i < end {
        let c = chars[i];
        if matches!(c, '.' | '?' | '!') && !is_abbreviation(chars, sentence_start, i) {
            // Closing quotes and brackets belong to the sentence they close.
            let mut close = i + 1;
            while close < end && matches!(chars[close], '"' | '\'' | '\u{201d}' | '\u{2019}' | ')' | ']') {
                if chars[close] == ']' || (chars[close] == ')' && !has_open_paren(chars, sentence_start, close)) {
                    break;
                }
                close += 1;
            }
            let (after_markers, citations) = markers(chars, close, end);
            let next = skip_space(chars, after_markers, end);
            let spaced = next > after_markers || after_markers == end;
            if (spaced || !citations.is_empty()) && (next == end || starts_sentence(chars[next])) {
                push(&mut out, chars, sentence_start, close, citations);
                sentence_start = next;
                i = next;
                continue;
            }
        }
        i += 1;
    }
    if sentence_start < end {
        // The tail: a sentence without terminal punctuation, possibly ending in markers (`include:[1]`).
        let mut text_end = trim_end(chars, sentence_start, end);
        let mut citations = Vec::new();
        if let Some((marker_start, found)) = trailing_markers(chars, sentence_start, text_end) {
            text_end = trim_end(chars, sentence_start, marker_start);
            citations = found;
        }
        push(&mut out, chars, sentence_start, text_end, citations);
    }
    out
}

fn push(out: &mut Vec<Sentence>, chars: &[char], start: usize, end: usize, citations: Vec<u32>) {
    let end = trim_end(chars, start, end);
    if end > start {
        out.push(Sentence { text: chars[start..end].iter().collect(), start, end, citations });
    } else if let Some(last) = out.last_mut() {
        // Markers standing alone belong to the sentence before them.
        last.citations.extend(citations);
    }
}

fn skip_space(chars: &[char], mut i: usize, end: usize) -> usize {
    while i < end && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

fn trim_end(chars: &[char], start: usize, mut end: usize) -> usize {
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    end
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_ascii_digit()
        || matches!(c, '"' | '\u{201c}' | '\'' | '\u{2018}' | '(' | '[' | '\u{2022}' | '-' | '*')
}

fn has_open_paren(chars: &[char], start: usize, end: usize) -> bool {
    // Only the recent text counts, which keeps runs of ".)" linear.
    let start = start.max(end.saturating_sub(MAX_PAREN_SPAN));
    let opened = chars[start..end].iter().filter(|&&c| c == '(').count();
    let closed = chars[start..end].iter().filter(|&&c| c == ')').count();
    opened > closed
}

/// Whether the period at `dot` ends an abbreviation, an initial or a number rather than a sentence.
fn is_abbreviation(chars: &[char], sentence_start: usize, dot: usize) -> bool {
    if chars[dot] != '.' {
        return false;
    }
    let mut w = dot;
    // Bounded: no abbreviation is that long, and an unbounded walk is quadratic on text like "a.a.a.a".
    while w > sentence_start && dot - w < MAX_WORD && (chars[w - 1].is_alphanumeric() || chars[w - 1] == '.') {
        w -= 1;
    }
    let word: String = chars[w..dot].iter().collect::<String>().to_lowercase();
    if word.is_empty() {
        return false;
    }
    // A single capital letter is an initial ("Smith J. et al"), unless it closes a sentence like "type A.".
    let single_initial = word.chars().count() == 1 && chars[w].is_uppercase();
    // A decimal point: "7.5" is never a sentence end since a digit follows without a space.
    let decimal = dot + 1 < chars.len() && chars[dot + 1].is_ascii_digit();
    ABBREVIATIONS.contains(&word.as_str())
        || decimal
        || (single_initial && w > sentence_start && initial_context(chars, w))
}

/// An initial is preceded by a capitalized word and a space ("Gupta S."), not by "type" or "group".
fn initial_context(chars: &[char], w: usize) -> bool {
    if w < 2 || chars[w - 1] != ' ' {
        return false;
    }
    let mut k = w - 1;
    while k > 0 && chars[k - 1].is_alphabetic() {
        k -= 1;
    }
    let previous: String = chars[k..w - 1].iter().collect();
    previous.chars().next().is_some_and(char::is_uppercase)
        && !matches!(previous.as_str(), "Type" | "Group" | "Class" | "Factor" | "Vitamin" | "Hepatitis")
}

/// Reads citation markers starting at `i`: `[1]`, `[1][2]`, `[1, 2]`, `[1-3]`. Returns the index after them.
fn markers(chars: &[char], mut i: usize, end: usize) -> (usize, Vec<u32>) {
    let mut citations = Vec::new();
    while i < end && chars[i] == '[' {
        let Some(close) = (i + 1..end.min(i + MAX_MARKER)).find(|&k| chars[k] == ']') else { break };
        let inner: String = chars[i + 1..close].iter().collect();
        match parse_marker(&inner) {
            Some(numbers) => citations.extend(numbers),
            None => break,
        }
        i = close + 1;
    }
    (i, citations)
}

/// Finds markers that end the span `start..end` and returns where they begin.
fn trailing_markers(chars: &[char], start: usize, end: usize) -> Option<(usize, Vec<u32>)> {
    let mut k = end;
    while k > start && chars[k - 1] == ']' {
        let open = (start.max(k.saturating_sub(MAX_MARKER))..k - 1).rev().find(|&j| chars[j] == '[')?;
        let inner: String = chars[open + 1..k - 1].iter().collect();
        parse_marker(&inner)?;
        k = open;
    }
    if k == end {
        return None;
    }
    let (_, citations) = markers(chars, k, end);
    Some((k, citations))
}

/// Parses the inside of one marker: `2`, `1, 4`, `1-3`, `1–3`.
pub fn parse_marker(inner: &str) -> Option<Vec<u32>> {
    let mut numbers = Vec::new();
    for part in inner.split(',') {
        let part = part.trim();
        if let Some((a, b)) = part.split_once(['-', '\u{2013}']) {
            let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            if b < a || b - a > 50 {
                return None;
            }
            numbers.extend(a..=b);
        } else {
            numbers.push(part.parse().ok()?);
        }
    }
    (!numbers.is_empty() && numbers.iter().all(|&n| n > 0 && n < 1000)).then_some(numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<Sentence> {
        let chars: Vec<char> = text.chars().collect();
        split(&chars, 0, chars.len())
    }

    #[test]
    fn markers_leave_the_text_and_become_citations() {
        let s = sentences("Kettle fever is rare.[1][3] It starts early in life.[2] Nothing else.");
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Kettle fever is rare.", "It starts early in life.", "Nothing else."]);
        assert_eq!(s[0].citations, [1, 3]);
        assert_eq!(s[1].citations, [2]);
        assert!(s[2].citations.is_empty());
    }

    #[test]
    fn offsets_are_chars_and_round_trip() {
        let text = "Caf\u{e9}\u{a0}syndrome is rare.[1] Some people get rashes.";
        let chars: Vec<char> = text.chars().collect();
        for s in split(&chars, 0, chars.len()) {
            let back: String = chars[s.start..s.end].iter().collect();
            assert_eq!(back, s.text);
        }
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_split() {
        let s = sentences("Smith J. et al. found it in 7.5% of cases, e.g. in adults. Type A. Next one.");
        let texts: Vec<_> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["Smith J. et al. found it in 7.5% of cases, e.g. in adults.", "Type A.", "Next one."]);
    }

    #[test]
    fn trailing_markers_after_a_colon_are_citations() {
        let s = sentences("Conditions seen with it include:[4]");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text, "Conditions seen with it include:");
        assert_eq!(s[0].citations, [4]);
    }

    #[test]
    fn marker_lists_and_ranges() {
        assert_eq!(parse_marker("1, 4"), Some(vec![1, 4]));
        assert_eq!(parse_marker("2-4"), Some(vec![2, 3, 4]));
        assert_eq!(parse_marker("a"), None);
        assert_eq!(parse_marker(""), None);
    }

    #[test]
    fn pathological_runs_are_read_in_one_pass() {
        // Each of these was quadratic before the look-backs were bounded; they must stay one sentence.
        for text in [format!("x a.{}", "a.".repeat(20_000)), format!("A (b{}", ".)".repeat(20_000))] {
            let s = sentences(&text);
            assert_eq!(s.len(), 1);
            assert_eq!(s[0].end, text.chars().count());
        }
        let s = sentences(&format!("It is rare.{}", "[".repeat(20_000)));
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn question_and_quote_endings() {
        let s = sentences("Is it inherited? Doctors say \"rarely.\" It varies.");
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].text, "Doctors say \"rarely.\"");
    }
}
