//! `gardkg eval`: scores gardkg's recognition (or a prediction file) against gold TSV files, the dev gold and,
//! beside it, a held-out gold (`--held-out`) that is only ever reported as aggregate numbers.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;

use gardkg::eval::{self, Corpus, GoldSet, Measure, Report, Row, Timing};
use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::recognize::Ontology;
use gardkg::source::sanitize;

use super::EvalArgs;

/// Where the scored predictions came from.
enum Predicted {
    /// gardkg's own recognizer (with the seconds its pipeline took to load).
    Gardkg(f64),
    /// A prediction file.
    File(PathBuf),
}

/// One gold set scored.
struct Scored {
    /// `dev` or `held-out`.
    name: &'static str,
    gold: GoldSet,
    report: Report,
    /// The recognizer's speed on the set's pages (gardkg's own predictions only).
    timing: Option<Timing>,
}

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let root =
        args.corpus.clone().or_else(Corpus::default_root).context(
            "no corpus folder: give --corpus DIR or set GARDKG_SHARED (the corpus is $GARDKG_SHARED/corpus)",
        )?;
    let dev = GoldSet::load(&args.gold, &root)?;
    let held_out = if args.held_out.is_empty() { None } else { Some(GoldSet::load(&args.held_out, &root)?) };
    if let Some(held_out) = &held_out {
        if let Some((file, _)) = held_out.corpus.pages().find(|(file, _)| dev.corpus.page(file).is_some()) {
            anyhow::bail!("{file} is in both the dev gold and the held-out gold: a page belongs to one of them");
        }
    }
    let measures: Vec<Measure> =
        if args.kind.is_empty() { Measure::ALL.to_vec() } else { args.kind.iter().map(|k| k.measure()).collect() };
    let hpo = Ontology::bundled()?;

    let sets = std::iter::once(("dev", dev)).chain(held_out.map(|h| ("held-out", h)));
    let mut scored = Vec::new();
    let source = if let Some(path) = &args.predictions {
        let rows = eval::read_tsv(path)?;
        for (name, gold) in sets {
            // Rows of pages this gold does not name are out of its scope; the others must agree with their pages.
            let named: Vec<Row> = rows.iter().filter(|r| gold.corpus.page(&r.file).is_some()).cloned().collect();
            gold.corpus.check(&named)?;
            let report = eval::score(&gold.rows, &named, &gold.corpus, &measures);
            scored.push(Scored { name, gold, report, timing: None });
        }
        Predicted::File(path.clone())
    } else {
        let started = Instant::now();
        let pipeline = Pipeline::new(Namespace::default())?;
        let load = started.elapsed().as_secs_f64();
        let mut written = Vec::new();
        for (name, gold) in sets {
            let (rows, timing) = eval::predict(&pipeline, &gold.corpus);
            gold.corpus.check(&rows).context("gardkg's own predictions do not agree with their pages (a bug)")?;
            let report = eval::score(&gold.rows, &rows, &gold.corpus, &measures);
            written.extend(rows);
            scored.push(Scored { name, gold, report, timing: Some(timing) });
        }
        if let Some(path) = &args.write_predictions {
            let named: Vec<String> = args.gold.iter().chain(&args.held_out).map(|p| p.display().to_string()).collect();
            let comment = format!(
                "Predictions of gardkg {} ({}) for the {} pages named by {}",
                env!("CARGO_PKG_VERSION"),
                pipeline.recognizer().hpo().release(),
                scored.iter().map(|s| s.gold.corpus.pages().count()).sum::<usize>(),
                named.join(" ")
            );
            let mut file = super::AtomicFile::create(path)?;
            eval::write_tsv(&written, &comment, &mut file, &path.display().to_string())?;
            file.commit()?;
        }
        Predicted::Gardkg(load)
    };
    for s in &mut scored {
        s.report.warnings.extend(eval::check_hpo_ids(&s.gold.rows, hpo));
    }

    let mut out = std::io::stdout().lock();
    if args.json {
        let mut json = set_json(&scored[0], hpo)?;
        json["corpus"] = root.display().to_string().into();
        json["predictions"] = match &source {
            Predicted::Gardkg(_) => format!("gardkg {}", env!("CARGO_PKG_VERSION")),
            Predicted::File(path) => path.display().to_string(),
        }
        .into();
        if let Predicted::Gardkg(load) = source {
            json["load_seconds"] = load.into();
        }
        if args.misses {
            let dev = &scored[0].report;
            json["matches"] = serde_json::to_value(&dev.matches)?;
            json["false_negatives"] = serde_json::to_value(&dev.false_negatives)?;
            json["false_positives"] = serde_json::to_value(&dev.false_positives)?;
        }
        if let Some(held_out) = scored.get(1) {
            json["held_out"] = set_json(held_out, hpo)?;
        }
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &scored, &source, &root, hpo)?;
        if args.misses {
            if scored.len() > 1 {
                writeln!(out, "\nmisses of the dev gold only: held-out rows are never listed")?;
            }
            print_misses(&mut out, &scored[0].report, hpo)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON of one scored set: its size, timing, scores, phenotype errors by kind, what was not scored and the
/// warnings.
fn set_json(s: &Scored, hpo: &Ontology) -> anyhow::Result<serde_json::Value> {
    let errors = eval::errors::errors(&s.report, hpo);
    let missed: serde_json::Map<String, serde_json::Value> =
        errors.missed.iter().map(|(kind, n)| (kind.name().to_owned(), (*n).into())).collect();
    let wrong: Vec<serde_json::Value> = errors
        .wrong
        .iter()
        .map(|((rule, kind), n)| serde_json::json!({"rule": rule.name(), "kind": kind.name(), "count": n}))
        .collect();
    Ok(serde_json::json!({
        "phenotype_errors": {"missed": missed, "wrong": wrong},
        "gold_files": s.gold.files.len(),
        "gold_rows": s.gold.rows.len(),
        "pages": s.gold.corpus.pages().count(),
        "timing": serde_json::to_value(s.timing)?,
        "scores": s.report.scores,
        "not_scored": s.report.not_scored,
        "warnings": s.report.warnings,
    }))
}

/// Phenotype misses and wrong mentions by kind ([`eval::errors::ErrorKind`]), each gold set side by side, and the
/// wrong mentions of each rule family by kind: counts only, so the held-out gold's rows stay unread.
fn print_errors(out: &mut impl Write, scored: &[Scored], hpo: &Ontology) -> std::io::Result<()> {
    use eval::errors::ErrorKind;
    let errors: Vec<eval::errors::Errors> = scored.iter().map(|s| eval::errors::errors(&s.report, hpo)).collect();
    if errors.iter().all(|e| e.missed.is_empty() && e.wrong.is_empty()) {
        return Ok(());
    }
    let names: Vec<String> = scored.iter().map(|s| format!("{:>14}", s.name)).collect();
    let cell = |n: usize, of: usize| format!("{:>14}", format!("{n} ({})", percent(n, of)));
    writeln!(out, "phenotype mentions missed, by what gardkg found there | {}", names.join(" | "))?;
    let missed_total: Vec<usize> = errors.iter().map(|e| e.missed.values().sum()).collect();
    for kind in ErrorKind::ALL.into_iter().filter(|&k| k != ErrorKind::NoGoldThere) {
        let cells: Vec<String> = errors
            .iter()
            .zip(&missed_total)
            .map(|(e, &total)| cell(e.missed.get(&kind).copied().unwrap_or(0), total))
            .collect();
        writeln!(out, "  {:<44} | {}", kind.name(), cells.join(" | "))?;
    }
    writeln!(out, "phenotype mentions wrong, by what the gold has there | {}", names.join(" | "))?;
    let wrong_total: Vec<usize> = errors.iter().map(|e| e.wrong.values().sum()).collect();
    for kind in [ErrorKind::MoreGeneral, ErrorKind::MoreSpecific, ErrorKind::OtherTerm, ErrorKind::NoGoldThere] {
        let cells: Vec<String> =
            errors.iter().zip(&wrong_total).map(|(e, &total)| cell(e.wrong_of(kind), total)).collect();
        writeln!(out, "  {:<44} | {}", kind.name(), cells.join(" | "))?;
    }
    for (s, e) in scored.iter().zip(&errors) {
        let mut by_rule: BTreeMap<gardkg::recognize::phenotypes::Rule, Vec<String>> = BTreeMap::new();
        for (&(rule, kind), n) in &e.wrong {
            by_rule.entry(rule).or_default().push(format!("{} {n}", kind.name()));
        }
        let rules: Vec<String> =
            by_rule.into_iter().map(|(rule, kinds)| format!("{}: {}", rule.name(), kinds.join(", "))).collect();
        if !rules.is_empty() {
            writeln!(out, "{}: wrong mentions by rule: {}", s.name, rules.join("; "))?;
        }
    }
    Ok(())
}

/// `a / b` as a whole percentage, when `b` is not 0.
fn percent(a: usize, b: usize) -> String {
    fraction(a, b).map_or_else(|| "-".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

/// `a / b`, when `b` is not 0.
#[allow(clippy::cast_precision_loss, reason = "counts far below 2^52")]
fn fraction(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

/// The columns of one set's score: gold, pred, TP, FP, FN, precision, recall, F1.
fn columns(s: &eval::Score) -> String {
    format!(
        "{:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}",
        s.gold,
        s.predicted,
        s.true_positives,
        s.false_positives,
        s.false_negatives,
        ratio(s.precision),
        ratio(s.recall),
        ratio(s.f1)
    )
}

fn print_report(
    out: &mut impl Write,
    scored: &[Scored],
    source: &Predicted,
    root: &std::path::Path,
    hpo: &Ontology,
) -> std::io::Result<()> {
    let sizes: Vec<String> = scored
        .iter()
        .map(|s| format!("{} {} files, {} pages", s.name, s.gold.files.len(), s.gold.corpus.pages().count()))
        .collect();
    writeln!(out, "gold: {} (corpus {})", sizes.join("; "), root.display())?;
    match source {
        Predicted::Gardkg(_) => writeln!(out, "predictions: gardkg {} ({})", env!("CARGO_PKG_VERSION"), hpo.release())?,
        Predicted::File(path) => writeln!(out, "predictions: {}", path.display())?,
    }
    let heading = format!(
        "{:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}",
        "gold", "pred", "TP", "FP", "FN", "precision", "recall", "F1"
    );
    if scored.len() > 1 {
        let names: Vec<String> = scored.iter().map(|s| format!("{:<width$}", s.name, width = heading.len())).collect();
        writeln!(out, "{:<14} {:>5} {}", "", "", names.join(" | ").trim_end())?;
    }
    let headings = vec![heading; scored.len()];
    writeln!(out, "{:<14} {:>5} {}", "kind", "pages", headings.join(" | "))?;
    for (i, s) in scored[0].report.scores.iter().enumerate() {
        let pages: Vec<String> = scored.iter().map(|set| set.report.scores[i].files.to_string()).collect();
        let cells: Vec<String> = scored.iter().map(|set| columns(&set.report.scores[i])).collect();
        writeln!(out, "{:<14} {:>5} {}", s.measure.name(), pages.join("/"), cells.join(" | "))?;
    }
    let tag = |s: &Scored| if scored.len() > 1 { format!("{}: ", s.name) } else { String::new() };
    // Precision per rule family (phenotype mentions), each gold set side by side.
    let rules: Vec<Vec<(gardkg::recognize::phenotypes::Rule, usize, usize)>> =
        scored.iter().map(|s| s.report.by_rule()).collect();
    if rules.iter().any(|r| !r.is_empty()) {
        let names: Vec<String> = scored.iter().map(|s| format!("{:>24}", s.name)).collect();
        writeln!(out, "phenotype mentions by rule: right / found (precision) | {}", names.join(" | "))?;
        for rule in gardkg::recognize::phenotypes::Rule::ALL {
            let cells: Vec<String> = rules
                .iter()
                .map(|r| match r.iter().find(|(x, _, _)| *x == rule) {
                    Some(&(_, right, wrong)) => {
                        let found = right + wrong;
                        format!("{:>24}", format!("{right} / {found} ({})", ratio(fraction(right, found))))
                    }
                    None => format!("{:>24}", "-"),
                })
                .collect();
            if cells.iter().any(|c| c.trim() != "-") {
                writeln!(out, "  {:<16} {}", rule.name(), cells.join(" | "))?;
            }
        }
    }
    print_errors(out, scored, hpo)?;
    for s in scored {
        // How much of the frequency measure's recall is lost to the phenotype and how much to the frequency.
        let with_frequency = |p: &&eval::Pair| p.gold.kind == eval::Kind::Phenotype && p.gold.frequency.is_some();
        let matched = s.report.matches.iter().filter(with_frequency).count();
        let right =
            s.report.matches.iter().filter(with_frequency).filter(|p| p.gold.frequency == p.predicted.frequency);
        writeln!(
            out,
            "{}frequency given the phenotype: {} of the {matched} matched gold phenotypes with a frequency",
            tag(s),
            right.count()
        )?;
    }
    for s in scored {
        for n in &s.report.not_scored {
            let mut parts = Vec::new();
            if n.no_gold_rows > 0 {
                parts.push(format!("{} in pages without {} gold rows", n.no_gold_rows, n.kind));
            }
            if n.out_of_scope > 0 {
                parts
                    .push(format!("{} outside the gold's scope (other pages, sections or table rows)", n.out_of_scope));
            }
            writeln!(out, "{}not scored: {} predictions: {}", tag(s), n.kind, parts.join("; "))?;
        }
    }
    if let Predicted::Gardkg(load) = source {
        for s in scored {
            let Some(t) = &s.timing else { continue };
            let per_second = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"));
            writeln!(
                out,
                "{}recognition: {} pages, {} sentences, {} chars in {:.3} s ({} sentences/s, {} chars/s)",
                tag(s),
                t.pages,
                t.sentences,
                t.chars,
                t.recognize_seconds,
                per_second(t.sentences_per_second()),
                per_second(t.chars_per_second()),
            )?;
        }
        writeln!(out, "pipeline load {load:.2} s")?;
    }
    for s in scored {
        for w in &s.report.warnings {
            writeln!(out, "{}warning: {}", tag(s), sanitize(w))?;
        }
    }
    Ok(())
}

fn print_misses(out: &mut impl Write, report: &Report, hpo: &Ontology) -> std::io::Result<()> {
    let line = |out: &mut dyn Write, tag: &str, row: &Row| -> std::io::Result<()> {
        let place = row.span.map_or_else(|| "-".to_owned(), |s| format!("{}:{}-{}", s.section, s.start, s.end));
        let label = hpo.term(&row.id).map(|t| format!(" ({})", t.label)).unwrap_or_default();
        let negated = if row.negated { " negated" } else { "" };
        let frequency = row.frequency.as_deref().map(|f| format!(" frequency {f}")).unwrap_or_default();
        let origin = row.origin.as_ref().map(|o| format!("  [{}:{}]", o.path, o.line)).unwrap_or_default();
        writeln!(
            out,
            "{tag} {} {place} {} {}{}{negated}{frequency} {:?}{origin}",
            row.file,
            row.kind,
            row.id,
            sanitize(&label),
            sanitize(&row.text)
        )
    };
    writeln!(out, "\nfalse negatives (gold rows no prediction matched): {}", report.false_negatives.len())?;
    for row in &report.false_negatives {
        line(out, "FN", row)?;
    }
    writeln!(out, "\nfalse positives (predictions no gold row matched): {}", report.false_positives.len())?;
    for row in &report.false_positives {
        line(out, "FP", row)?;
    }
    // Frequency misses among matched phenotypes: the gold's row, then the frequency predicted (or none).
    let frequency_misses: Vec<&eval::Pair> = report
        .matches
        .iter()
        .filter(|p| p.gold.frequency.is_some() || p.predicted.frequency.is_some())
        .filter(|p| p.gold.frequency != p.predicted.frequency)
        .collect();
    writeln!(
        out,
        "\nfrequencies that differ (matched rows; gold, then what was predicted): {}",
        frequency_misses.len()
    )?;
    for pair in frequency_misses {
        line(out, "FQ", &pair.gold)?;
        writeln!(out, "   predicted {}", pair.predicted.frequency.as_deref().unwrap_or("no frequency"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_print_four_decimals_or_a_dash() {
        assert_eq!(ratio(Some(0.5)), "0.5000");
        assert_eq!(ratio(None), "-");
        let score = eval::Score::new(Measure::Phenotype, 2, 4, 2, 1);
        assert_eq!(columns(&score), "     4      2      1      1      3    0.5000  0.2500  0.3333");
    }
}
