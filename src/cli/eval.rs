//! `gardkg eval`: scores gardkg's recognition (or a prediction file) against gold TSV files.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;

use gardkg::eval::{self, Corpus, Measure, Report, Row, Timing};
use gardkg::model::vocab::Namespace;
use gardkg::pipeline::Pipeline;
use gardkg::recognize::Hpo;
use gardkg::source::sanitize;

use super::EvalArgs;

/// Where the scored predictions came from.
enum Predicted {
    /// gardkg's own recognizer, with its speed.
    Gardkg(Timing),
    /// A prediction file.
    File(String),
}

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let files = eval::tsv_files(&args.gold)?;
    anyhow::ensure!(!files.is_empty(), "no .tsv gold files in {}", list(&args.gold));
    let mut gold = Vec::new();
    for file in &files {
        gold.extend(eval::read_tsv(file)?);
    }
    let root =
        args.corpus.clone().or_else(Corpus::default_root).context(
            "no corpus folder: give --corpus DIR or set GARDKG_SHARED (the corpus is $GARDKG_SHARED/corpus)",
        )?;
    let corpus = Corpus::load(&root, &gold)?;
    corpus.check(&gold)?;
    let measures: Vec<Measure> =
        if args.kind.is_empty() { Measure::ALL.to_vec() } else { args.kind.iter().map(|k| k.measure()).collect() };

    let (predicted, source, hpo) = if let Some(path) = &args.predictions {
        let rows = eval::read_tsv(path)?;
        // Rows of pages the gold does not name are out of scope; the others must agree with their pages.
        let named: Vec<Row> = rows.iter().filter(|r| corpus.page(&r.file).is_some()).cloned().collect();
        corpus.check(&named)?;
        (rows, Predicted::File(path.display().to_string()), Hpo::bundled()?)
    } else {
        let started = Instant::now();
        let pipeline = Pipeline::new(Namespace::default())?;
        let load = started.elapsed().as_secs_f64();
        let (rows, mut timing) = eval::predict(&pipeline, &corpus);
        timing.load_seconds = Some(load);
        corpus.check(&rows).context("gardkg's own predictions do not agree with their pages (a bug)")?;
        if let Some(path) = &args.write_predictions {
            let comment = format!(
                "Predictions of gardkg {} ({}) for the {} pages named by {}",
                env!("CARGO_PKG_VERSION"),
                pipeline.recognizer().hpo().release(),
                timing.pages,
                list(&args.gold)
            );
            let mut file = super::AtomicFile::create(path)?;
            eval::write_tsv(&rows, &comment, &mut file, &path.display().to_string())?;
            file.commit()?;
        }
        (rows, Predicted::Gardkg(timing), Hpo::bundled()?)
    };

    let mut report = eval::score(&gold, &predicted, &corpus, &measures);
    report.warnings.extend(eval::check_hpo_ids(&gold, hpo));
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut json = serde_json::json!({
            "gold_files": files.len(),
            "gold_rows": gold.len(),
            "pages": corpus.pages().count(),
            "corpus": root.display().to_string(),
            "predictions": match &source {
                Predicted::Gardkg(_) => format!("gardkg {}", env!("CARGO_PKG_VERSION")),
                Predicted::File(path) => path.clone(),
            },
            "timing": match &source {
                Predicted::Gardkg(timing) => serde_json::to_value(timing)?,
                Predicted::File(_) => serde_json::Value::Null,
            },
            "scores": report.scores,
            "not_scored": report.not_scored,
            "warnings": report.warnings,
        });
        if args.misses {
            json["matches"] = serde_json::to_value(&report.matches)?;
            json["false_negatives"] = serde_json::to_value(&report.false_negatives)?;
            json["false_positives"] = serde_json::to_value(&report.false_positives)?;
        }
        serde_json::to_writer_pretty(&mut out, &json)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &report, &source, files.len(), &corpus, hpo)?;
        if args.misses {
            print_misses(&mut out, &report, hpo)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(paths: &[std::path::PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")
}

fn ratio(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.4}"))
}

fn print_report(
    out: &mut impl Write,
    report: &Report,
    source: &Predicted,
    gold_files: usize,
    corpus: &Corpus,
    hpo: &Hpo,
) -> std::io::Result<()> {
    writeln!(out, "gold: {gold_files} files, {} pages (corpus {})", corpus.pages().count(), corpus.root().display())?;
    match source {
        Predicted::Gardkg(_) => writeln!(out, "predictions: gardkg {} ({})", env!("CARGO_PKG_VERSION"), hpo.release())?,
        Predicted::File(path) => writeln!(out, "predictions: {path}")?,
    }
    writeln!(
        out,
        "{:<10} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}",
        "kind", "pages", "gold", "pred", "TP", "FP", "FN", "precision", "recall", "F1"
    )?;
    for s in &report.scores {
        writeln!(
            out,
            "{:<10} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>7}",
            s.measure.name(),
            s.files,
            s.gold,
            s.predicted,
            s.true_positives,
            s.false_positives,
            s.false_negatives,
            ratio(s.precision),
            ratio(s.recall),
            ratio(s.f1)
        )?;
    }
    for n in &report.not_scored {
        let mut parts = Vec::new();
        if n.no_gold_rows > 0 {
            parts.push(format!("{} in pages without {} gold rows", n.no_gold_rows, n.kind));
        }
        if n.out_of_scope > 0 {
            parts.push(format!("{} outside the gold's scope (other pages, sections or table rows)", n.out_of_scope));
        }
        writeln!(out, "not scored: {} predictions: {}", n.kind, parts.join("; "))?;
    }
    if let Predicted::Gardkg(t) = source {
        let per_second = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.0}"));
        writeln!(
            out,
            "recognition: {} pages, {} sentences, {} chars in {:.3} s ({} sentences/s, {} chars/s); pipeline load {}",
            t.pages,
            t.sentences,
            t.chars,
            t.recognize_seconds,
            per_second(t.sentences_per_second()),
            per_second(t.chars_per_second()),
            t.load_seconds.map_or_else(|| "-".to_owned(), |s| format!("{s:.2} s"))
        )?;
    }
    for w in &report.warnings {
        writeln!(out, "warning: {}", sanitize(w))?;
    }
    Ok(())
}

fn print_misses(out: &mut impl Write, report: &Report, hpo: &Hpo) -> std::io::Result<()> {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn ratios_print_four_decimals_or_a_dash() {
        assert_eq!(ratio(Some(0.5)), "0.5000");
        assert_eq!(ratio(None), "-");
        assert_eq!(list(&[Path::new("a").to_owned(), Path::new("b/c").to_owned()]), "a b/c");
    }
}
