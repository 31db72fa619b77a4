//! Negation and normality: whether the words before a mention state it is absent.
//!
//! A mention is negated when a cue ("no", "not", "n't", "without", "absence of", "absent", "denies", "free of",
//! "never", "nor", "neither") comes before it in the same sentence, with at most six words and no
//! clause break (`,` `;` `:` or a word of [`CLAUSE_BREAKS`]) between them; "non" right before it ("non-bloody") too.
//! "normal" right before a mention (at most one word between), or in "normal levels (amounts, numbers...) of X and
//! Y", also states the phenotype is absent. The reviewed `ontology/normal-findings.tsv` lists normal findings
//! whose words name no HPO term ("normal intelligence" denies *Intellectual disability*).

use crate::lexicon::lay::LaySynonyms;
use crate::recognize::RecognizeError;
use crate::recognize::ontology::Ontology;
use crate::recognize::phenotypes::amounts::Amount;
use crate::recognize::phenotypes::matcher::Match;
use crate::recognize::words::{CLAUSE_BREAKS, name_spans};

/// Nouns of quantity: "normal levels of X" states X is not abnormal.
const QUANTITY_NOUNS: [&str; 10] =
    ["level", "levels", "amount", "amounts", "number", "numbers", "count", "counts", "value", "values"];

/// How many words may stand between "normal" and a mention in "normal levels of X and Y".
const NORMAL_WINDOW: usize = 5;

/// How many words may stand between a negation cue and the mention it negates.
const NEGATION_WINDOW: usize = 6;

/// Whether the mention starting at `char` offset `start` of `sentence` is negated (see the module docs).
pub fn is_negated(sentence: &str, start: usize) -> bool {
    let before: Vec<char> = sentence.chars().take(start).collect();
    // Words and clause breaks, nearest first.
    let mut words: Vec<String> = Vec::new();
    let mut i = before.len();
    while i > 0 && words.len() < NEGATION_WINDOW + 2 {
        let c = before[i - 1];
        if matches!(c, ',' | ';' | ':') {
            break;
        }
        if !is_word_char(c) {
            i -= 1;
            continue;
        }
        let end = i;
        while i > 0 && is_word_char(before[i - 1]) {
            i -= 1;
        }
        let word: String = before[i..end].iter().collect::<String>().to_lowercase().replace('\u{2019}', "'");
        if CLAUSE_BREAKS.contains(&word.as_str()) {
            break;
        }
        words.push(word);
    }
    words.iter().enumerate().take(NEGATION_WINDOW + 1).any(|(distance, word)| {
        let next = words.get(distance + 1).map(String::as_str);
        match word.as_str() {
            "no" | "not" | "without" | "absent" | "never" | "denies" | "denied" | "deny" | "nor" | "neither" => true,
            w if w.ends_with("n't") || w == "cannot" => true,
            "of" => matches!(next, Some("absence" | "free")),
            // "non-bloody diarrhea": the prefix right before the mention.
            "non" => distance == 0,
            // "normal hearing"; "normal levels of IgG and IgA" (a quantity noun and "of" right after "normal").
            "normal" => {
                distance <= 1
                    || (distance <= NORMAL_WINDOW
                        && QUANTITY_NOUNS.contains(&words[distance - 1].as_str())
                        && words[distance - 2] == "of")
            }
            _ => false,
        }
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '\u{2019}'
}

/// The reviewed normal findings: words that state a phenotype is absent ("normal intelligence").
#[derive(Debug, Clone, Default)]
pub struct NormalFindings {
    /// (words, HPO id).
    rows: Vec<(String, String)>,
}

impl NormalFindings {
    /// The bundled table (`ontology/normal-findings.tsv`), checked against `hpo`.
    pub fn bundled(hpo: &Ontology) -> Result<NormalFindings, RecognizeError> {
        let table = LaySynonyms::bundled_normal_findings()?;
        crate::recognize::phenotypes::lay::check(&table, hpo)?;
        Ok(NormalFindings { rows: table.rows().iter().map(|r| (r.text.clone(), r.hpo_id.clone())).collect() })
    }

    /// "normal intelligence": the negated terms the reviewed normal-finding table names in `text`, longest first.
    pub fn find(&self, text: &str) -> Vec<Amount> {
        let mut found: Vec<Amount> = Vec::new();
        let mut spans: Vec<(usize, usize, &str)> = Vec::new();
        for (words, id) in &self.rows {
            spans.extend(name_spans(std::slice::from_ref(words), text).into_iter().map(|(a, b)| (a, b, id.as_str())));
        }
        spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        for (start, end, id) in spans {
            if found.iter().all(|f| end <= f.found.start || f.found.end <= start) {
                let matched = text.chars().skip(start).take(end - start).collect();
                let found_match = Match {
                    start,
                    end,
                    hpo_id: id.to_owned(),
                    matched,
                    alternatives: Vec::new(),
                    rule: crate::recognize::phenotypes::Rule::NormalFinding,
                };
                found.push(Amount { found: found_match, negated: true });
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `mention`, at its first occurrence in `sentence`, is negated.
    fn negated(sentence: &str, mention: &str) -> bool {
        let byte = sentence.find(mention).expect("mention in sentence");
        is_negated(sentence, sentence[..byte].chars().count())
    }

    #[test]
    fn negation_cues() {
        assert!(negated("The child has no seizures.", "seizures"));
        assert!(!negated("Seizures are common.", "Seizures"));
        assert!(!negated("The child has seizures.", "seizures"));
        assert!(negated("She was born without a rash.", "rash"));
        assert!(negated("There was an absence of fever.", "fever"));
        assert!(negated("They were free of seizures for a year.", "seizures"));
        assert!(negated("He doesn't have seizures.", "seizures"));
        assert!(negated("He doesn\u{2019}t have seizures.", "seizures"));
        assert!(negated("No history of frequent ear infections or seizures.", "seizures"));
        assert!(negated("Examination showed normal hearing.", "hearing"));
        // A clause break ends the reach of the cue.
        assert!(!negated("No fever, but seizures occur.", "seizures"));
        assert!(!negated("No fever but seizures occur.", "seizures"));
        assert!(!negated("No fever; seizures occur.", "seizures"));
        // Too far away.
        assert!(!negated("No one in the family of this young child ever had seizures.", "seizures"));
        // A cue after the mention does not count.
        assert!(!negated("Seizures did not stop.", "Seizures"));
        // "normal" only right before the mention.
        assert!(!negated("Normal at birth the child later had seizures.", "seizures"));
        // "normal levels of X and Y" states both are not decreased.
        assert!(negated("Blood tests found normal levels of IgG and IgA.", "IgG"));
        assert!(negated("Blood tests found normal levels of IgG and IgA.", "IgA"));
        assert!(negated("The counts showed normal numbers of platelets.", "platelets"));
        assert!(!negated("IgA was low although IgG levels were normal.", "IgA"));
        assert!(!negated("Normal levels of activity were followed by seizures.", "seizures"));
        assert!(negated("They had non-bloody stools.", "bloody"));
    }
}
