//! Recognition cases as data: every row of `tests/recognition/cases.tsv` is a sentence and the exact set of
//! phenotypes (id, negation, frequency, onset) the recognizer must find in it. A curator adds a case by adding a row.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use gardkg::annotate::{TextAnnotation, annotate};
use gardkg::recognize::Recognizer;

const CASES: &str = include_str!("recognition/cases.tsv");

/// One expected or found phenotype, written as in the table: `[!]id[@frequency][^onset]`.
fn item(a: &TextAnnotation) -> String {
    let mut s = String::new();
    if a.negated {
        s.push('!');
    }
    s.push_str(&a.id);
    if let Some(f) = &a.frequency {
        let _ = write!(s, "@{f}");
    }
    if let Some(o) = &a.onset {
        let _ = write!(s, "^{o}");
    }
    s
}

/// The rows of the table: (line number, sentence, expected items, rule).
fn cases() -> Vec<(usize, &'static str, BTreeSet<String>, &'static str)> {
    let mut rows = Vec::new();
    let mut header = false;
    for (i, line) in CASES.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 3, "line {}: three tab-separated columns, got {}", i + 1, columns.len());
        if !header {
            assert_eq!(columns, ["sentence", "expected", "rule"], "the header row");
            header = true;
            continue;
        }
        let expected: BTreeSet<String> =
            if columns[1] == "-" { BTreeSet::new() } else { columns[1].split(' ').map(str::to_owned).collect() };
        assert!(!columns[2].trim().is_empty(), "line {}: every case names its rule", i + 1);
        rows.push((i + 1, columns[0], expected, columns[2]));
    }
    rows
}

#[test]
fn every_case_of_the_table_is_recognized_exactly() {
    let recognizer = Recognizer::bundled().expect("the bundled recognizer");
    let recognizer = &recognizer;
    let cases = cases();
    assert!(cases.len() >= 20, "the table has {} cases", cases.len());
    let mut failures = Vec::new();
    for (line, sentence, expected, rule) in &cases {
        let found: BTreeSet<String> = annotate(recognizer, sentence).iter().map(item).collect();
        if &found != expected {
            failures.push(format!(
                "line {line}: {sentence:?}\n  rule:     {rule}\n  expected: {}\n  found:    {}",
                expected.iter().cloned().collect::<Vec<_>>().join(" "),
                found.iter().cloned().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn every_id_in_the_table_is_a_current_hpo_term() {
    let recognizer = Recognizer::bundled().expect("the bundled recognizer");
    let hpo = recognizer.hpo();
    for (line, _, expected, _) in cases() {
        for item in expected {
            for id in item.trim_start_matches('!').split(['@', '^']).filter(|p| p.starts_with("HP:")) {
                assert_eq!(hpo.resolve(id), Some(id), "line {line}: {id} is not a current term of the pinned HPO");
            }
        }
    }
}
