//! Prevalence statements: "ranged from 0.03% to 3.8%", "1 in 40,000 people", "3 to 380 per ten thousand".
//!
//! Every figure becomes a percentage range; a single figure is a range of one value. Numbers are read as
//! written, never rounded or inferred from words such as "rare".

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::page::{Page, SectionKind};

/// A prevalence figure found in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prevalence {
    /// Index into `page.sections`.
    pub section: usize,
    /// Index of the paragraph in the section.
    pub paragraph: usize,
    /// Index of the sentence in the paragraph.
    pub sentence: usize,
    /// Lower bound, in percent of the population.
    pub min_percentage: f64,
    /// Upper bound, in percent of the population.
    pub max_percentage: f64,
    /// The words the figure was read from, as written.
    pub text: String,
}

const NUMBER: &str = r"(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|a|an)";
const DENOMINATOR: &str = r"(?:\d[\d,]*(?:\.\d+)?|one|ten|a|an)?(?:[\s-]*(?:hundred|thousand|million|billion))*";

static PERCENT_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*%?\s*(?:to|and|-|\u{2013})\s*(\d+(?:\.\d+)?)\s*%").expect("valid regex")
});
static PERCENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d+(?:\.\d+)?)\s*%").expect("valid regex"));
static RATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b({NUMBER})(?:\s*(?:to|-|\u{{2013}})\s*({NUMBER}))?\s+(?:in|per|out\s+of)\s+(?:every\s+)?({DENOMINATOR})\b"
    ))
    .expect("valid regex")
});

/// Finds prevalence figures: every sentence of a prevalence section, and sentences elsewhere that speak of
/// prevalence or of how many people a disease affects.
pub fn find(page: &Page) -> Vec<Prevalence> {
    let mut out = Vec::new();
    for (s, section) in page.sections.iter().enumerate() {
        for (p, paragraph) in section.paragraphs.iter().enumerate() {
            for (t, sentence) in paragraph.sentences.iter().enumerate() {
                let lower = sentence.text.to_lowercase();
                let relevant = section.kind == SectionKind::Prevalence
                    || ["prevalence", "affects", "affect about", "affect an estimated", "occurs in"]
                        .iter()
                        .any(|c| lower.contains(c));
                if !relevant {
                    continue;
                }
                for (min, max, text) in figures(&sentence.text) {
                    out.push(Prevalence {
                        section: s,
                        paragraph: p,
                        sentence: t,
                        min_percentage: min,
                        max_percentage: max,
                        text,
                    });
                }
            }
        }
    }
    out
}

impl Prevalence {
    /// Whether two figures state the same range (to 1e-9 of their size).
    pub fn same_range(&self, other: &Prevalence) -> bool {
        same(self.min_percentage, other.min_percentage) && same(self.max_percentage, other.max_percentage)
    }
}

/// The figures of one sentence, as percentage ranges with the words they came from.
pub fn figures(sentence: &str) -> Vec<(f64, f64, String)> {
    let mut out = Vec::new();
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for m in PERCENT_RANGE.captures_iter(sentence) {
        let (Ok(a), Ok(b)) = (m[1].parse::<f64>(), m[2].parse::<f64>()) else { continue };
        let whole = m.get(0).expect("match");
        covered.push((whole.start(), whole.end()));
        out.push((a.min(b), a.max(b), whole.as_str().to_owned()));
    }
    for m in PERCENT.captures_iter(sentence) {
        let whole = m.get(0).expect("match");
        if covered.iter().any(|&(s, e)| whole.start() >= s && whole.end() <= e) {
            continue;
        }
        if let Ok(a) = m[1].parse::<f64>() {
            out.push((a, a, whole.as_str().to_owned()));
        }
    }
    for m in RATE.captures_iter(sentence) {
        let Some(denominator) = number(&m[3]).filter(|&d| d >= 10.0) else { continue };
        let Some(a) = number(&m[1]) else { continue };
        let b = m.get(2).and_then(|b| number(b.as_str())).unwrap_or(a);
        if a > denominator || b > denominator {
            continue;
        }
        let (lo, hi) = (a.min(b) / denominator * 100.0, a.max(b) / denominator * 100.0);
        out.push((round(lo), round(hi), m[0].trim().to_owned()));
    }
    dedup(out)
}

/// Keeps the first of figures that state the same range twice ("0.03% to 3.8%, that is 3 to 380 per 10,000").
fn dedup(figures: Vec<(f64, f64, String)>) -> Vec<(f64, f64, String)> {
    let mut out: Vec<(f64, f64, String)> = Vec::new();
    for f in figures {
        if !out.iter().any(|o| same(o.0, f.0) && same(o.1, f.1)) {
            out.push(f);
        }
    }
    out
}

/// Two percentages are the same figure when they agree to 1e-9 of their size.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// Removes floating-point noise from a division (0.030000000000000002 -> 0.03) without changing the figure.
fn round(x: f64) -> f64 {
    let scale = 1e12;
    (x * scale).round() / scale
}

/// Reads "40,000", "ten thousand", "a million", "100 thousand", "1.5 million".
fn number(text: &str) -> Option<f64> {
    let mut value: Option<f64> = None;
    for word in text.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()) {
        let w = word.to_lowercase();
        let unit = match w.as_str() {
            "hundred" => Some(100.0),
            "thousand" => Some(1e3),
            "million" => Some(1e6),
            "billion" => Some(1e9),
            _ => None,
        };
        if let Some(unit) = unit {
            value = Some(value.unwrap_or(1.0) * unit);
            continue;
        }
        let n = match w.as_str() {
            "a" | "an" | "one" => 1.0,
            "two" => 2.0,
            "three" => 3.0,
            "four" => 4.0,
            "five" => 5.0,
            "six" => 6.0,
            "seven" => 7.0,
            "eight" => 8.0,
            "nine" => 9.0,
            "ten" => 10.0,
            digits => digits.replace(',', "").parse().ok()?,
        };
        if value.is_some() {
            return None;
        }
        value = Some(n);
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_ranges_and_single_percentages() {
        let f = figures("Estimates have run from 0.5% to 2.25% in the groups studied.");
        assert_eq!(f.len(), 1);
        assert!(same(f[0].0, 0.5) && same(f[0].1, 2.25));
        let f = figures("About 7% of carriers show it.");
        assert_eq!((f[0].0, f[0].1), (7.0, 7.0));
    }

    #[test]
    fn rates_become_percentages() {
        let f = figures("It is thought to affect 1 in 40,000 newborns.");
        assert!(same(f[0].0, 0.0025), "{f:?}");
        let f = figures("That is between 5 to 250 per ten thousand people.");
        assert!(same(f[0].0, 0.05) && same(f[0].1, 2.5), "{f:?}");
        let f = figures("Fewer than one in a million people are affected.");
        assert!(same(f[0].0, 1e-4), "{f:?}");
    }

    #[test]
    fn restated_ranges_are_kept_once() {
        let f = figures("It ranges from 0.03% to 3.8%, or 3 to 380 per ten thousand.");
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn no_figures_in_plain_prose() {
        assert!(figures("It is rare in one family.").is_empty());
        assert!(figures("Type 2 in 3 ways.").is_empty());
    }
}
