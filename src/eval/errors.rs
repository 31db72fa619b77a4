//! Why phenotype mentions were missed or wrong ([`ErrorKind`]), counted from a [`Report`] and the ontology alone,
//! so that a gold set whose rows nobody may read (the held-out gold) still says where recognition stops: how many
//! misses a more general or more specific term stood in for, how many had a name's words there that no rule put
//! together, and how many are paraphrases no name of the term shares a word set with.

use std::collections::{BTreeMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;

use super::{Kind, Report, Row};
use crate::recognize::Ontology;
use crate::recognize::phenotypes::reorder::{base_form, is_function_word};
use crate::recognize::phenotypes::{PHENOTYPIC_ABNORMALITY, Rule};

/// Why one phenotype mention (gold or predicted) did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// A row of the other side over the same words names an ancestor of this row's term (a miss: recognition said
    /// something more general there; a wrong row: the curator did).
    MoreGeneral,
    /// A row of the other side over the same words names a descendant of this row's term (a miss: recognition said
    /// something more specific there; a wrong row: the curator did, where recognition read a general term).
    MoreSpecific,
    /// A row of the other side over the same words names an unrelated term, the same term with the other
    /// negation, or the same term matched to another row (one-to-one matching: a list's span over two mentions).
    OtherTerm,
    /// A miss with nothing predicted over its words, though every content word of one of the term's HPO names or
    /// synonyms (any scope) is among them, by stem: within reach of the dictionary's words.
    NameWords,
    /// A miss with nothing predicted over its words, which hold no name of the term: a paraphrase.
    Paraphrase,
    /// A miss whose term is outside *Phenotypic abnormality*, which the recognizer does not read.
    OutsideDictionary,
    /// A wrong row with no gold row over its words: the curator saw no phenotype there (the disease's class, a
    /// cause, another disease, a generic word), or missed one.
    NoGoldThere,
}

impl ErrorKind {
    /// Every kind, in report order.
    pub const ALL: [ErrorKind; 7] = [
        ErrorKind::MoreGeneral,
        ErrorKind::MoreSpecific,
        ErrorKind::OtherTerm,
        ErrorKind::NameWords,
        ErrorKind::Paraphrase,
        ErrorKind::OutsideDictionary,
        ErrorKind::NoGoldThere,
    ];

    /// The kind's name in reports.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::MoreGeneral => "more-general",
            ErrorKind::MoreSpecific => "more-specific",
            ErrorKind::OtherTerm => "other-term",
            ErrorKind::NameWords => "name-words",
            ErrorKind::Paraphrase => "paraphrase",
            ErrorKind::OutsideDictionary => "outside-dictionary",
            ErrorKind::NoGoldThere => "no-gold-there",
        }
    }
}

/// Phenotype mention errors of one report by kind: misses (gold rows), and wrong rows per rule family (`gardkg eval
/// --json` writes them as a list: the tuple keys are no JSON object keys).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors {
    /// Missed gold phenotype mentions per kind.
    pub missed: BTreeMap<ErrorKind, usize>,
    /// Wrong predicted phenotype mentions per (rule family, kind).
    pub wrong: BTreeMap<(Rule, ErrorKind), usize>,
}

impl Errors {
    /// Wrong rows of one kind, over every rule family.
    pub fn wrong_of(&self, kind: ErrorKind) -> usize {
        self.wrong.iter().filter(|((_, k), _)| *k == kind).map(|(_, n)| n).sum()
    }
}

/// The stems of the content words of `text`, lower-cased, an irregular participle as its verb: a name's words as
/// the word-order rule reads them (its function words, its participles).
fn stems(stemmer: &Stemmer, text: &str) -> HashSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !is_function_word(w))
        .map(|w| stemmer.stem(base_form(&w)).into_owned())
        .collect()
}

/// How `row`'s term relates to `other`'s, when `other` is over the same words.
fn relation(hpo: &Ontology, row: &Row, other: &Row) -> ErrorKind {
    if row.negated != other.negated || row.id == other.id {
        ErrorKind::OtherTerm
    } else if hpo.is_a(&row.id, &other.id) {
        ErrorKind::MoreGeneral
    } else if hpo.is_a(&other.id, &row.id) {
        ErrorKind::MoreSpecific
    } else {
        ErrorKind::OtherTerm
    }
}

/// The closest relation among the rows of `others` over `row`'s words (the hierarchy first), if any.
fn over_same_words<'a>(hpo: &Ontology, row: &Row, others: impl Iterator<Item = &'a Row>) -> Option<ErrorKind> {
    let span = row.span?;
    others
        .filter(|o| o.kind == Kind::Phenotype && o.file == row.file && o.span.is_some_and(|s| s.overlaps(&span)))
        .map(|o| relation(hpo, row, o))
        .min()
}

/// Counts the phenotype errors of `report` by kind. A miss is compared with every predicted row over its words
/// (right or wrong: a right row for another gold term there is still what recognition said), a wrong row with
/// every gold row over its words.
pub fn errors(report: &Report, hpo: &Ontology) -> Errors {
    let stemmer = Stemmer::create(Algorithm::English);
    let predicted = || report.matches.iter().map(|p| &p.predicted).chain(&report.false_positives);
    let gold = || report.matches.iter().map(|p| &p.gold).chain(&report.false_negatives);
    let mut out = Errors::default();
    for row in report.false_negatives.iter().filter(|r| r.kind == Kind::Phenotype) {
        let kind = if !hpo.is_a(&row.id, PHENOTYPIC_ABNORMALITY) {
            ErrorKind::OutsideDictionary
        } else if let Some(kind) = over_same_words(hpo, row, predicted()) {
            kind
        } else {
            let words = stems(&stemmer, &row.text);
            let names = hpo
                .term(&row.id)
                .into_iter()
                .flat_map(|t| std::iter::once(t.label.as_str()).chain(t.synonyms.iter().map(|s| s.text.as_str())));
            let mut names = names.map(|name| stems(&stemmer, name));
            if names.any(|name| !name.is_empty() && name.is_subset(&words)) {
                ErrorKind::NameWords
            } else {
                ErrorKind::Paraphrase
            }
        };
        *out.missed.entry(kind).or_default() += 1;
    }
    for row in report.false_positives.iter().filter(|r| r.kind == Kind::Phenotype) {
        let kind = over_same_words(hpo, row, gold()).unwrap_or(ErrorKind::NoGoldThere);
        *out.wrong.entry((row.rule.unwrap_or_default(), kind)).or_default() += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Pair, Span};

    fn ontology() -> Ontology {
        let obo = "format-version: 1.2\n\n\
            [Term]\nid: HP:0000001\nname: All\n\n\
            [Term]\nid: HP:0000118\nname: Phenotypic abnormality\nis_a: HP:0000001\n\n\
            [Term]\nid: HP:0012531\nname: Pain\nis_a: HP:0000118\n\n\
            [Term]\nid: HP:0030157\nname: Flank pain\nsynonym: \"Loin pain\" EXACT []\nis_a: HP:0012531\n\n\
            [Term]\nid: HP:0002716\nname: Lymphadenopathy\nsynonym: \"Swollen lymph nodes\" EXACT []\n\
            is_a: HP:0000118\n\n\
            [Term]\nid: HP:0001250\nname: Seizure\nis_a: HP:0000118\n\n\
            [Term]\nid: HP:0011420\nname: Age of death\nis_a: HP:0000001\n";
        Ontology::from_obo(obo.as_bytes()).expect("test ontology parses")
    }

    fn row(text: &str, id: &str, start: usize, rule: Option<Rule>) -> Row {
        Row {
            file: "medquad-gard/1.xml".to_owned(),
            span: Some(Span { section: 0, start, end: start + text.chars().count() }),
            text: text.to_owned(),
            kind: Kind::Phenotype,
            id: id.to_owned(),
            negated: false,
            frequency: None,
            origin: None,
            rule,
        }
    }

    #[test]
    fn misses_and_wrong_rows_are_sorted_by_what_stood_there() {
        let hpo = ontology();
        let report = Report {
            false_negatives: vec![
                row("persistent loin pain", "HP:0030157", 0, None),
                row("nodes of the lymph, swollen", "HP:0002716", 40, None),
                row("fits", "HP:0001250", 80, None),
                row("died young", "HP:0011420", 90, None),
                row("no fits at all", "HP:0001250", 200, None),
            ],
            false_positives: vec![
                row("pain", "HP:0012531", 16, Some(Rule::Name)),
                row("tumors", "HP:0000118", 100, Some(Rule::Name)),
                Row { negated: true, ..row("no fits", "HP:0001250", 200, Some(Rule::Name)) },
            ],
            matches: vec![Pair {
                gold: row("seizure", "HP:0001250", 120, None),
                predicted: row("seizure", "HP:0001250", 120, Some(Rule::Name)),
            }],
            ..Report::default()
        };
        let errors = errors(&report, &hpo);
        let missed: Vec<(ErrorKind, usize)> = errors.missed.iter().map(|(k, n)| (*k, *n)).collect();
        assert_eq!(
            missed,
            [
                (ErrorKind::MoreGeneral, 1),
                (ErrorKind::OtherTerm, 1),
                (ErrorKind::NameWords, 1),
                (ErrorKind::Paraphrase, 1),
                (ErrorKind::OutsideDictionary, 1)
            ]
        );
        assert_eq!(errors.wrong.get(&(Rule::Name, ErrorKind::MoreSpecific)), Some(&1));
        assert_eq!(errors.wrong.get(&(Rule::Name, ErrorKind::NoGoldThere)), Some(&1));
        // The same term with the other negation is another statement.
        assert_eq!(errors.wrong.get(&(Rule::Name, ErrorKind::OtherTerm)), Some(&1));
        assert_eq!(errors.wrong_of(ErrorKind::NoGoldThere), 1);
    }
}
