//! Every phenotype mention gardkg finds in the reference page and the MedQuAD corpus, as TSV, so that two versions
//! of the recognizer can be compared with `diff` (a measurement tool; the gold scores are `gardkg eval`).
//!
//! `GARDKG_SHARED=../shared cargo run --release --example dump_mentions -- mentions.tsv`
//!
//! Columns: file, section, evidence, start, end, text, HPO id, label, negated, frequency, rule, the words around the
//! mention (60 characters either side).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;
use gardkg::recognize::Recognizer;
use gardkg::source::{self, ReadOptions};

fn main() -> anyhow::Result<()> {
    let out = std::env::args().nth(1).context("usage: dump_mentions OUT.tsv (with GARDKG_SHARED set)")?;
    let shared = std::env::var_os("GARDKG_SHARED").context("GARDKG_SHARED must name the shared data folder")?;
    let shared = Path::new(&shared);
    let mut paths = vec![shared.join("corpus/gard-pages/12547-selective-igm-deficiency.txt")];
    let dir = shared.join("corpus/medquad-gard");
    let mut medquad = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|x| x == "xml") {
            medquad.push(path);
        }
    }
    medquad.sort();
    paths.extend(medquad);
    let recognizer = Recognizer::bundled()?;
    let mut tsv = String::new();
    for path in &paths {
        let location = path.to_str().with_context(|| format!("{} is not UTF-8", path.display()))?;
        let page = match source::read(location, &ReadOptions::default()) {
            Ok(page) => page,
            Err(e) => {
                eprintln!("dump_mentions: skipped {}: {e}", path.display());
                continue;
            }
        };
        let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        for p in &recognizer.recognize(&page).phenotypes {
            let frequency = p.frequency.as_ref().map(|f| format!("{f:?}")).unwrap_or_default();
            let rule = p.rule.unwrap_or_default().name();
            // The words around the mention, for reading a rule's output by eye.
            let context: String = page.sections.get(p.section).map_or_else(String::new, |s| {
                s.text.chars().skip(p.start.saturating_sub(60)).take(p.end - p.start.saturating_sub(60) + 60).collect()
            });
            let _ = writeln!(
                tsv,
                "{name}\t{}\t{:?}\t{}\t{}\t{}\t{}\t{}\t{}\t{frequency}\t{rule}\t{}",
                p.section,
                p.evidence,
                p.start,
                p.end,
                p.text,
                p.hpo_id,
                p.label,
                p.negated,
                context.replace(['\t', '\n'], " ")
            );
        }
    }
    std::fs::write(&out, tsv).with_context(|| format!("cannot write {out}"))?;
    eprintln!("dump_mentions: {} pages, written to {out}", paths.len());
    Ok(())
}
