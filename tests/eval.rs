//! Recognition measured against gold, as `gardkg eval` scores it: the prose of 73 random MedQuAD pages
//! (`tests/gold/medquad/`, the dev gold rules may be studied on) beside the prose of 40 other random pages that no
//! rule was written from (`tests/gold/heldout/`, see its README); and the sign-and-symptom table rows of the whole
//! MedQuAD GARD folder (gold derived from the pinned `hp.obo`, independently of the recognizer), with the exactness
//! of the table frequencies. The reference page is scored in `tests/reference_page.rs`. Runs when `GARDKG_SHARED`
//! is set; `--nocapture` shows the numbers.
//!
//! The floors are the values measured when the recognizer last changed (rounded down to three decimals): a change
//! that lowers any of them fails, and a change that raises them raises the floors in the same commit.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use gardkg::eval::{self, GoldSet, Measure};
use gardkg::model::vocab::Namespace;
use gardkg::page::Page;
use gardkg::pipeline::Pipeline;
use gardkg::recognize::{Evidence, Frequency, PhenotypeAnnotation, Recognizer};
use gardkg::source::{self, ReadOptions};
use rayon::prelude::*;

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    #[allow(clippy::cast_precision_loss)]
    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 { 1.0 } else { a as f64 / b as f64 }
    }
    fn precision(self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        Self::ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

/// Prints one line of the results table.
fn row(what: &str, s: Score) {
    println!(
        "| {what:<34} | {:>6} | {:>5} | {:>5} | {:>9.4} | {:>6.4} | {:>6.4} |",
        s.tp,
        s.fp,
        s.fn_,
        s.precision(),
        s.recall(),
        s.f1()
    );
}

fn header() {
    println!(
        "| {:<34} | {:>6} | {:>5} | {:>5} | {:>9} | {:>6} | {:>6} |",
        "kind", "TP", "FP", "FN", "precision", "recall", "F1"
    );
    println!("|{:-<36}|{:->8}|{:->7}|{:->7}|{:->11}|{:->8}|{:->8}|", "", "", "", "", "", "", "");
}

/// Checks a measured value against a floor.
fn floor(what: &str, value: f64, floor: f64, failures: &mut Vec<String>) {
    if value + 1e-9 < floor {
        failures.push(format!("{what} is {value:.4}, below its floor {floor}"));
    }
}

/// Scores gardkg against the gold `files` (relative to the repository) and prints the table under `title`.
fn score_gold(pipeline: &Pipeline, files: &[&str], title: &str) -> Option<eval::Report> {
    let corpus_root = common::shared("corpus")?;
    let paths: Vec<std::path::PathBuf> = files.iter().map(|g| common::root().join(g)).collect();
    let gold = GoldSet::load(&paths, &corpus_root).unwrap_or_else(|e| panic!("{e}"));
    let (predicted, _) = eval::predict(pipeline, &gold.corpus);
    let report = eval::score(&gold.rows, &predicted, &gold.corpus, &Measure::ALL);
    println!("\n{title}");
    header();
    for s in report.scores.iter().filter(|s| s.gold > 0) {
        row(s.measure.name(), Score { tp: s.true_positives, fp: s.false_positives, fn_: s.false_negatives });
    }
    Some(report)
}

/// Floors of one gold set: (measure, precision, recall, F1) as last measured.
type Floors = [(Measure, f64, f64, f64)];

/// Floors of the dev gold (`tests/gold/medquad`).
const DEV_FLOORS: &Floors = &[
    (Measure::Phenotype, 0.784, 0.567, 0.658),
    (Measure::PhenotypePage, 0.807, 0.571, 0.669),
    (Measure::Frequency, 0.616, 0.354, 0.449),
    (Measure::Condition, 0.909, 0.227, 0.363),
    (Measure::Treatment, 0.697, 0.252, 0.370),
];

/// Floors of the held-out gold (`tests/gold/heldout`).
const HELD_OUT_FLOORS: &Floors = &[
    (Measure::Phenotype, 0.729, 0.548, 0.625),
    (Measure::PhenotypePage, 0.822, 0.560, 0.666),
    (Measure::Frequency, 0.923, 0.275, 0.424),
    (Measure::Condition, 0.666, 0.117, 0.200),
    (Measure::Treatment, 0.782, 0.327, 0.461),
];

/// The prose of the dev gold and of the held-out gold, side by side, each held to its floors. Held-out rows are
/// never printed: only their aggregate scores.
#[test]
fn dev_and_held_out_prose() {
    let pipeline = Pipeline::new(Namespace::default()).expect("pipeline");
    let Some(dev) = score_gold(&pipeline, &["tests/gold/medquad"], "Dev gold: MedQuAD prose, 73 random pages") else {
        return;
    };
    let held_out = score_gold(&pipeline, &["tests/gold/heldout"], "Held-out gold: MedQuAD prose, 40 random pages")
        .expect("the corpus was found for the dev gold");
    let mut failures = Vec::new();
    for (name, report, floors) in [("dev", &dev, DEV_FLOORS), ("held-out", &held_out, HELD_OUT_FLOORS)] {
        for &(measure, precision, recall, f1) in floors {
            let s = report.score(measure).unwrap_or_else(|| panic!("no {} score", measure.name()));
            let what = |m: &str| format!("{name} {} {m}", measure.name());
            floor(&what("precision"), s.precision.unwrap_or(0.0), precision, &mut failures);
            floor(&what("recall"), s.recall.unwrap_or(0.0), recall, &mut failures);
            floor(&what("F1"), s.f1.unwrap_or(0.0), f1, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Normalization of the gold dictionary (written here, not shared with the recognizer): lower case, runs of
/// whitespace as one space, trimmed.
fn gold_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A minimal reading of `hp.obo`: what the table gold needs.
#[derive(Debug, Default)]
struct OboTerm {
    id: String,
    name: String,
    exact: Vec<String>,
    alt_ids: Vec<String>,
    obsolete: bool,
    replaced_by: Option<String>,
    consider: Vec<String>,
}

fn read_obo(path: &Path) -> Vec<OboTerm> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut terms = Vec::new();
    let mut current: Option<OboTerm> = None;
    for line in text.lines() {
        if line.starts_with('[') {
            terms.extend(current.take());
            if line == "[Term]" {
                current = Some(OboTerm::default());
            }
            continue;
        }
        let Some(term) = current.as_mut() else { continue };
        let Some((tag, value)) = line.split_once(": ") else { continue };
        let value = value.split(" ! ").next().unwrap_or(value).trim();
        match tag {
            "id" => value.clone_into(&mut term.id),
            "name" => value.clone_into(&mut term.name),
            "alt_id" => term.alt_ids.push(value.to_owned()),
            "is_obsolete" => term.obsolete = value == "true",
            "replaced_by" => term.replaced_by = Some(value.to_owned()),
            "consider" => term.consider.push(value.to_owned()),
            "synonym" => {
                // synonym: "text" SCOPE [xrefs]
                let Some(rest) = value.strip_prefix('"') else { continue };
                let Some(close) = rest.find("\" ") else { continue };
                if rest[close + 2..].starts_with("EXACT") {
                    term.exact.push(rest[..close].replace("\\\"", "\""));
                }
            }
            _ => {}
        }
    }
    terms.extend(current);
    terms
}

/// Table gold: normalized name -> the current ids it names, from the best kind of name only (current label, then
/// current `EXACT` synonym, then obsolete label without "obsolete ", then obsolete `EXACT` synonym). Obsolete
/// terms stand for their `replaced_by`, or their only `consider`, followed to a current term; `alt_id`s resolve.
fn table_gold(terms: &[OboTerm]) -> HashMap<String, HashSet<String>> {
    let by_id: HashMap<&str, &OboTerm> = terms.iter().map(|t| (t.id.as_str(), t)).collect();
    let alt: HashMap<&str, &str> =
        terms.iter().flat_map(|t| t.alt_ids.iter().map(move |a| (a.as_str(), t.id.as_str()))).collect();
    let current = |id: &str| -> Option<String> {
        let mut id = alt.get(id).copied().unwrap_or(id);
        for _ in 0..16 {
            let t = by_id.get(id)?;
            if !t.obsolete {
                return Some(t.id.clone());
            }
            let next = match (&t.replaced_by, t.consider.as_slice()) {
                (Some(by), _) => by.as_str(),
                (None, [only]) => only.as_str(),
                (None, _) => return None,
            };
            id = alt.get(next).copied().unwrap_or(next);
        }
        None
    };
    let mut best: HashMap<String, (u8, HashSet<String>)> = HashMap::new();
    for t in terms {
        let Some(id) = current(&t.id) else { continue };
        let name = if t.obsolete {
            let lower = t.name.to_lowercase();
            if lower.starts_with("obsolete ") { t.name["obsolete ".len()..].to_owned() } else { t.name.clone() }
        } else {
            t.name.clone()
        };
        let rank = if t.obsolete { 2 } else { 0 };
        let names = std::iter::once((name, rank)).chain(t.exact.iter().map(|s| (s.clone(), rank + 1)));
        for (name, rank) in names {
            let key = gold_key(&name);
            if key.is_empty() {
                continue;
            }
            let entry = best.entry(key).or_insert((rank, HashSet::new()));
            if rank < entry.0 {
                *entry = (rank, HashSet::new());
            }
            if rank == entry.0 {
                entry.1.insert(id.clone());
            }
        }
    }
    best.into_iter().map(|(k, (_, ids))| (k, ids)).collect()
}

/// The frequency a table's column states, read here independently: `N%` or `N/M`.
fn expected_frequency(text: &str) -> Option<Frequency> {
    let text = text.trim();
    if let Some(n) = text.strip_suffix('%') {
        return n.trim().parse().ok().map(Frequency::Percentage);
    }
    let (a, b) = text.split_once('/')?;
    Some(Frequency::Ratio { count: a.trim().parse().ok()?, total: b.trim().parse().ok()? })
}

/// Every table row of the MedQuAD GARD folder: gold is each row whose label is exactly a current or obsolete
/// HPO name or `EXACT` synonym (case and spacing aside); the recognizer's table annotations are scored against it.
#[test]
fn medquad_table_rows() {
    let Some(dir) = common::shared("corpus/medquad-gard") else { return };
    let Some(obo) = common::shared("ontologies/hp.obo") else { return };
    let gold = table_gold(&read_obo(&obo));
    let inputs = source::expand_inputs(&[dir.to_string_lossy().into_owned()]).unwrap();
    assert_eq!(inputs.len(), 2385, "the MedQuAD GARD folder has 2,385 pages");
    let recognizer = Recognizer::bundled().unwrap();
    let pages: Vec<(Page, Vec<PhenotypeAnnotation>)> = inputs
        .par_iter()
        .map(|i| {
            let page = source::read(i, &ReadOptions::default()).unwrap_or_else(|e| panic!("{i}: {e}"));
            let found = recognizer.recognize(&page).phenotypes;
            (page, found)
        })
        .collect();

    let (mut rows, mut matched, mut tp, mut fp, mut fn_, mut outside) = (0, 0, 0, 0, 0, 0);
    let (mut freq_rows, mut freq_exact) = (0, 0);
    let mut unmatched: BTreeMap<String, usize> = BTreeMap::new();
    let mut wrong_examples = Vec::new();
    let (mut missed_examples, mut outside_examples) = (Vec::new(), Vec::new());
    let mut freq_examples = Vec::new();
    for (page, found) in &pages {
        let by_row: HashMap<(usize, usize), &PhenotypeAnnotation> = found
            .iter()
            .filter(|p| p.evidence == Evidence::Table)
            .filter_map(|p| Some(((p.section, p.table_row?), p)))
            .collect();
        for (s, section) in page.sections.iter().enumerate() {
            for (r, table_row) in section.table.iter().enumerate() {
                rows += 1;
                let expected = gold.get(&gold_key(&table_row.label));
                let system = by_row.get(&(s, r));
                match (expected, system) {
                    (Some(ids), Some(p)) if ids.contains(&p.hpo_id) => tp += 1,
                    (Some(ids), Some(p)) => {
                        fp += 1;
                        fn_ += 1;
                        if wrong_examples.len() < 20 {
                            wrong_examples.push(format!("{:?}: {} not in {ids:?}", table_row.label, p.hpo_id));
                        }
                    }
                    (Some(ids), None) => {
                        fn_ += 1;
                        if missed_examples.len() < 20 {
                            missed_examples.push(format!("{:?}: gold {ids:?}", table_row.label));
                        }
                    }
                    (None, Some(p)) => {
                        fp += 1;
                        outside += 1;
                        if outside_examples.len() < 10 {
                            outside_examples.push(format!("{:?}: {} {}", table_row.label, p.hpo_id, p.label));
                        }
                    }
                    (None, None) => {}
                }
                let Some(p) = system else {
                    *unmatched.entry(table_row.label.clone()).or_default() += 1;
                    continue;
                };
                matched += 1;
                if let Some(want) = table_row.frequency.as_deref().and_then(expected_frequency) {
                    freq_rows += 1;
                    if p.frequency.as_ref() == Some(&want) {
                        freq_exact += 1;
                    } else if freq_examples.len() < 20 {
                        freq_examples
                            .push(format!("{:?} {:?}: {:?}", table_row.label, table_row.frequency, p.frequency));
                    }
                }
            }
        }
    }
    let score = Score { tp, fp, fn_ };
    let exact = Score::ratio(freq_exact, freq_rows);

    println!("\nMedQuAD GARD tables: {rows} rows, {matched} annotated, {} without an HPO term", rows - matched);
    header();
    row("table rows (exact HPO names)", score);
    println!("annotations outside the gold (inflections, lay synonyms; counted as FP): {outside}");
    println!("frequencies (N% or N/M) exact: {freq_exact}/{freq_rows} = {exact:.4}");
    for w in &wrong_examples {
        println!("WRONG ID {w}");
    }
    for m in &missed_examples {
        println!("MISSED ROW {m}");
    }
    for o in &outside_examples {
        println!("OUTSIDE GOLD {o}");
    }
    for f in &freq_examples {
        println!("FREQUENCY {f}");
    }
    let mut top: Vec<(&String, &usize)> = unmatched.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    println!("most frequent labels without an HPO term ({} distinct):", unmatched.len());
    for (label, n) in top.iter().take(30) {
        println!("{n:>5}  {label}");
    }

    assert!(score.f1() >= 0.999 && exact >= 1.0, "table rows F1 {:.4}, frequencies exact {exact:.4}", score.f1());
}
