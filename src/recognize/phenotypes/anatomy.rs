//! A phenotype written with the body part as a noun after a preposition ("paralysis of the face", "cysts in the
//! kidneys", "pain in the affected joint") is looked up as HPO writes it: with the part's adjective ("facial
//! paralysis", "renal cysts"), as a compound ("joint pain"), or with "of" ("hemorrhages within the eye" meets
//! *Hemorrhage of the eye*).
//!
//! The adjectives are a reviewed table, `ontology/anatomy-adjectives.tsv` ([`AnatomyAdjectives`]), each row citing
//! the dictionary entry that defines the adjective. A row only widens how a phrase is looked up: the rewritten
//! phrase must be an HPO name or synonym in the phenotype dictionary, so a rewrite HPO does not name gives nothing.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::lexicon::tables::{self, TableError};
use crate::recognize::RecognizeError;
use crate::recognize::phenotypes::matcher::PhenotypeMatcher;
use crate::recognize::words::{Word, inflect, spaces};

/// The bundled table.
static BUNDLED_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/anatomy-adjectives.tsv"));

/// The name errors in the bundled table carry.
pub const BUNDLED_NAME: &str = "ontology/anatomy-adjectives.tsv";

/// The columns of the table.
const COLUMNS: [&str; 3] = ["noun", "adjective", "source"];

/// Prepositions between a phenotype and the body part it affects.
const PREPOSITIONS: [&str; 7] = ["of", "in", "within", "on", "affecting", "involving", "around"];

/// Words that may stand between the preposition and the body part ("of the affected joint", "in both eyes").
const DETERMINERS: [&str; 7] = ["the", "both", "affected", "one", "either", "his", "her"];

/// Body parts whose plural is not made with "s" ("pain in the feet").
const IRREGULAR_PLURALS: [(&str, &str); 2] = [("feet", "foot"), ("teeth", "tooth")];

/// The adjective of a part that has none in use: the noun itself modifies ("leg pain").
const NO_ADJECTIVE: &str = "-";

/// The longest phenotype head (in words) before the preposition.
const MAX_HEAD_WORDS: usize = 3;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AnatomyAdjective {
    /// The body part, singular and lower case ("kidney", "blood vessel").
    pub noun: String,
    /// Its adjective, lower case ("renal"), or "-" when it has none in use (the noun itself modifies: "leg pain").
    pub adjective: String,
    /// The dictionary entry that defines the adjective.
    pub source: String,
}

/// The reviewed table of body-part adjectives.
#[derive(Debug, Clone, Default)]
pub struct AnatomyAdjectives {
    rows: Vec<tables::Line<AnatomyAdjective>>,
}

impl AnatomyAdjectives {
    /// The table compiled into the library, read on first use.
    pub fn bundled() -> Result<&'static AnatomyAdjectives, RecognizeError> {
        static BUNDLED: OnceLock<Result<AnatomyAdjectives, RecognizeError>> = OnceLock::new();
        BUNDLED.get_or_init(|| Self::parse(BUNDLED_TSV, BUNDLED_NAME)).as_ref().map_err(RecognizeError::clone)
    }

    /// Reads a table of three columns, `noun`, `adjective` and `source` ([`tables::read`]): lower case, each noun
    /// once.
    pub fn parse(text: &str, name: &str) -> Result<AnatomyAdjectives, RecognizeError> {
        let rows = tables::read::<AnatomyAdjective>(text.as_bytes(), name, &COLUMNS)?;
        for (i, l) in rows.iter().enumerate() {
            if l.row.noun != l.row.noun.to_lowercase() || l.row.adjective != l.row.adjective.to_lowercase() {
                return Err(TableError::new(name, l.line, "the noun and the adjective must be lower case").into());
            }
            if let Some(first) = rows[..i].iter().find(|f| f.row.noun == l.row.noun) {
                let reason = format!("{:?} is already listed on line {}", l.row.noun, first.line);
                return Err(TableError::new(name, l.line, reason).into());
            }
        }
        Ok(AnatomyAdjectives { rows })
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = &AnatomyAdjective> {
        self.rows.iter().map(|l| &l.row)
    }

    /// The row of a body part written `words` (singular or plural, any case).
    fn part(&self, words: &str) -> Option<&AnatomyAdjective> {
        let lower = words.to_lowercase();
        let irregular = IRREGULAR_PLURALS.iter().find(|(plural, _)| *plural == lower).map(|(_, one)| (*one).to_owned());
        let other = irregular.or_else(|| inflect(&lower));
        self.rows().find(|r| r.noun == lower || other.as_deref() == Some(r.noun.as_str()))
    }

    /// The phenotype `words[i]` (a preposition) joins to a body part after it: (start, end, terms) of the phrase
    /// from the head before the preposition to the body part, the longest head first. Body parts coordinated after
    /// the first ("cysts in the liver and kidneys", "pain in the muscles, joints or bones") each give the head's
    /// term for them too, and the span reaches the last one that gives a term.
    pub fn paraphrased(
        &self,
        matcher: &PhenotypeMatcher,
        chars: &[char],
        words: &[Word],
        i: usize,
    ) -> Option<(usize, usize, Vec<String>)> {
        if i == 0 || !PREPOSITIONS.contains(&words[i].lower.as_str()) {
            return None;
        }
        let joined = |a: usize, b: usize| (a..b).all(|k| spaces(chars, words[k].end, words[k + 1].start));
        let text = |a: usize, b: usize| chars[words[a].start..words[b].end].iter().collect::<String>();
        let skip_determiners = |mut k: usize| {
            while words.get(k).is_some_and(|w| DETERMINERS.contains(&w.lower.as_str())) {
                k += 1;
            }
            k
        };
        // The body part starting at word `first`: two words ("blood vessels") before one.
        let part_at = |first: usize| {
            (first..(first + 2).min(words.len()))
                .rev()
                .filter(|&last| joined(first, last))
                .find_map(|last| self.part(&text(first, last)).map(|part| (last, part)))
        };
        let first = skip_determiners(i + 1);
        if first >= words.len() || !joined(i - 1, first) {
            return None;
        }
        let (last, part) = part_at(first)?;
        let lookup = |head: &str, part: &AnatomyAdjective| {
            let heads = [Some(head.to_owned()), inflect(&head.to_lowercase())];
            heads.into_iter().flatten().find_map(|head| {
                [
                    (part.adjective != NO_ADJECTIVE).then(|| format!("{} {head}", part.adjective)),
                    Some(format!("{} {head}", part.noun)),
                    Some(format!("{head} of the {}", part.noun)),
                ]
                .iter()
                .flatten()
                .find_map(|p| matcher.lookup_phrase(p).map(str::to_owned))
            })
        };
        for head_first in (i.saturating_sub(MAX_HEAD_WORDS)..i).filter(|&h| joined(h, i)) {
            let head = text(head_first, i - 1);
            // The first part must give a term: "paralysis of both arms and legs" is not the legs' paraplegia.
            let Some(id) = lookup(&head, part) else { continue };
            let mut ids = vec![id];
            let mut end = words[last].end;
            // More parts: ", the joints", "and kidneys", ", joints or bones".
            let mut k = last + 1;
            while let Some(next) = words.get(k) {
                let gap: String = chars[words[k - 1].end..next.start].iter().collect();
                if !gap.trim().is_empty() && gap.trim() != "," {
                    break;
                }
                let conjunction = next.lower == "and" || next.lower == "or";
                let at = skip_determiners(k + usize::from(conjunction));
                if !conjunction && !gap.contains(',') {
                    break;
                }
                let Some((part_last, part)) = part_at(at) else { break };
                if let Some(id) = lookup(&head, part) {
                    end = words[part_last].end;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                k = part_last + 1;
            }
            return Some((words[head_first].start, end, ids));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_reads_and_cites_a_source_per_row() {
        let table = AnatomyAdjectives::bundled().unwrap();
        assert!(table.rows().count() >= 40);
        let face = table.rows().find(|r| r.noun == "face").unwrap();
        assert_eq!(face.adjective, "facial");
        assert!(table.rows().all(|r| !r.source.is_empty()));
        assert_eq!(table.part("Kidneys").map(|r| r.adjective.as_str()), Some("renal"));
    }

    #[test]
    fn a_preposition_or_determiner_ending_the_text_finds_nothing() {
        let table = AnatomyAdjectives::bundled().unwrap();
        let hpo = crate::recognize::Ontology::bundled().unwrap();
        let matcher = PhenotypeMatcher::new(hpo).unwrap();
        for text in ["pain in", "pain in the", "cysts in the kidneys and", "cysts in the kidneys, the"] {
            let chars: Vec<char> = text.chars().collect();
            let words = crate::recognize::words::words(&chars);
            for i in 0..words.len() {
                let found = table.paraphrased(&matcher, &chars, &words, i);
                assert!(found.as_ref().is_none_or(|f| f.1 <= chars.len()), "{text}: {found:?}");
            }
        }
    }

    #[test]
    fn bad_rows_are_errors_naming_the_line() {
        let parse = |rows: &str| AnatomyAdjectives::parse(&format!("noun\tadjective\tsource\n{rows}"), "a.tsv");
        assert!(parse("face\tfacial\tMW\n").is_ok());
        let twice = parse("face\tfacial\tMW\nface\tfacial\tMW\n").unwrap_err().to_string();
        assert!(twice.contains("a.tsv") && twice.contains("line 3") && twice.contains("already listed"), "{twice}");
        assert!(parse("Face\tfacial\tMW\n").unwrap_err().to_string().contains("lower case"));
    }
}
